"""What the tests share: the command line (in-process and real), waiting for a condition, stores."""
