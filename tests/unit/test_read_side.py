"""The read side: outside the service, code reads a workshop through ``service.view(code)`` (frozen models,
read-only mappings), never the live ``WorkshopState`` that ``service.state(code)`` hands to the concerns.

The import-linter contract keeps those modules from importing the state's type; this test catches the call,
which needs no import.
"""

from __future__ import annotations

import ast
from pathlib import Path

import screens
import workshop_tui

CORE = Path(workshop_tui.__file__).parent
READERS = [
    Path(screens.__file__).parent,
    CORE / "server",
    CORE / "commands",
    CORE / "publish",
    CORE / "cli.py",
    CORE / "exports.py",
]


def _sources() -> list[Path]:
    files: list[Path] = []
    for place in READERS:
        files += sorted(place.rglob("*.py")) if place.is_dir() else [place]
    return files


def _live_state_calls(source: str) -> list[int]:
    """Lines that call ``<something>service.state(...)`` or ``.states()``."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        if node.func.attr not in ("state", "states"):
            continue
        owner = node.func.value
        name = owner.attr if isinstance(owner, ast.Attribute) else owner.id if isinstance(owner, ast.Name) else ""
        if name.endswith("service"):
            lines.append(node.lineno)
    return lines


def test_the_check_finds_a_live_state_call() -> None:
    assert _live_state_calls("files = export_files(self.service.state(self.code), 'json')") == [1]
    assert _live_state_calls("states = service.states()\nview = service.view(code)") == [1]
    assert _live_state_calls("app.state.context\nrequest.app.state") == []


def test_no_reader_outside_the_service_takes_the_live_state() -> None:
    files = _sources()
    assert len(files) > 50  # the folders above exist and were read
    found = {
        f"{path.relative_to(CORE.parent)}:{line}" for path in files for line in _live_state_calls(path.read_text())
    }
    assert not found, f"read through service.view(code) instead: {sorted(found)}"
