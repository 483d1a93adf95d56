"""workshop-tui core: domain, durable storage, participant server, export and CLI.

This package never imports textual; the TUI lives in the top-level ``screens`` package.
"""

__version__ = "0.1.0"
