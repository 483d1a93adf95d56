"""What the core imports: never the TUI, and at start only what the command needs (docs/architecture.md)."""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import workshop_tui
from workshop_tui.commands import COMMAND_MODULES, COMMANDS

HEAVY = ("scipy", "numpy", "fastapi", "uvicorn", "starlette", "textual", "screens")


def _imported_after(code: str) -> list[str]:
    """The top-level packages of ``HEAVY`` that a fresh interpreter holds after running ``code``."""
    probe = f"{code}\nimport sys\nprint(','.join(sorted({{m.split('.')[0] for m in sys.modules}} & {set(HEAVY)!r})))\n"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return [name for name in out.stdout.strip().split(",") if name]


def test_no_core_module_imports_textual() -> None:
    modules = [
        m.name
        for m in pkgutil.walk_packages(workshop_tui.__path__, "workshop_tui.")
        if m.name != "workshop_tui.__main__"
    ]
    assert "workshop_tui.service" in modules
    code = f"import importlib\nfor name in {modules!r}: importlib.import_module(name)"
    assert not {"textual", "screens"} & set(_imported_after(code))


@pytest.mark.parametrize("argv", [["--version"], ["list"], ["list", "--json"], ["backlog"]])
def test_a_command_that_neither_serves_nor_forms_teams_imports_none_of_their_libraries(
    argv: list[str], tmp_path: Path
) -> None:
    call = ["--data-dir", str(tmp_path / "data"), *argv]
    code = (
        "import contextlib, io\n"
        "from workshop_tui.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
        f"    main({call!r})"
    )
    assert _imported_after(code) == []


def test_forming_teams_is_what_imports_scipy() -> None:
    assert "scipy" not in _imported_after("import workshop_tui.service, workshop_tui.server.schemas")
    assert "scipy" in _imported_after("import workshop_tui.teaming")


def test_every_command_is_registered_by_the_module_the_table_names() -> None:
    for module in COMMAND_MODULES:
        parser = argparse.ArgumentParser()
        sub = parser.add_subparsers()
        importlib.import_module(f"workshop_tui.commands.{module}").register(sub)
        assert set(sub.choices) == {name for name, owner in COMMANDS.items() if owner == module}, module


@pytest.mark.parametrize(
    ("argv", "modules"),
    [
        (["--version"], []),
        ([], []),  # the TUI by default: its launcher is imported by the CLI itself
        (["--data-dir", "list", "export", "X"], ["export"]),  # a directory may be named like a command
        (["--data-dir=/tmp/x", "serve"], ["serve"]),
        (["run", "ABC"], ["tui"]),
        (["-h"], COMMAND_MODULES),
        (["lst"], COMMAND_MODULES),  # so the usage error lists every command
    ],
)
def test_the_cli_loads_only_the_module_of_the_command(argv: list[str], modules: list[str]) -> None:
    from workshop_tui.cli import modules_for

    assert modules_for(argv) == modules
