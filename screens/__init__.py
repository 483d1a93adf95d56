"""The Textual TUI of workshop-tui. Imports the core (workshop_tui); the core never imports this."""
