"""Moved to ``tests.helpers.cli``; kept while other test modules still import it from here."""

from tests.helpers.cli import run_cli, run_cli_bytes

__all__ = ["run_cli", "run_cli_bytes"]
