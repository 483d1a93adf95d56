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


def _modules_after(code: str) -> set[str]:
    """Every module a fresh interpreter holds after running ``code``."""
    probe = f"{code}\nimport sys\nprint(','.join(sorted(sys.modules)))\n"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return set(out.stdout.strip().splitlines()[-1].split(","))


def _imported_after(code: str, heavy: tuple[str, ...] = HEAVY) -> list[str]:
    """The top-level packages of ``heavy`` that a fresh interpreter holds after running ``code``."""
    return sorted({m.split(".")[0] for m in _modules_after(code)} & set(heavy))


def _cli(*argv: str) -> str:
    """Code that runs ``workshop-tui argv`` in-process, its output swallowed."""
    return (
        "import contextlib, io\n"
        "from workshop_tui.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
        f"    main({list(argv)!r})"
    )


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
    assert _imported_after(_cli("--data-dir", str(tmp_path / "data"), *argv)) == []


@pytest.mark.parametrize("argv", [["--help"], ["backlog", "--help"], ["serve", "--help"], ["lst"]])
def test_help_builds_the_parser_without_the_server_models_or_service(argv: list[str]) -> None:
    """Every sub-parser is built for help (and for a usage error): none may import what its handler uses."""
    assert _imported_after(_cli(*argv), (*HEAVY, "pydantic", "tinydb")) == []


async def test_list_reads_the_summaries_without_opening_the_service(tmp_path: Path) -> None:
    from workshop_tui.service import WorkshopService

    data = tmp_path / "data"
    async with WorkshopService(data) as service:
        for k in range(2):
            await service.create_workshop(f"Workshop {k}")
    modules = _modules_after(_cli("--data-dir", str(data), "list"))
    assert "workshop_tui.summaries" in modules
    assert not {"workshop_tui.service", "workshop_tui.state", "workshop_tui.events"} & modules


@pytest.mark.parametrize("command", ["export", "publish"])
async def test_a_one_shot_read_opens_the_workshop_without_the_service_facade_or_its_events(
    command: str, tmp_path: Path
) -> None:
    """``export`` and ``publish`` open the stores through the registry and the view: the facade, its
    concerns and the events are a tenth of the command's start, and a read needs none of them."""
    from workshop_tui.service import WorkshopService

    data, out = tmp_path / "data", tmp_path / "out"
    async with WorkshopService(data) as service:
        code = (await service.create_workshop("Workshop")).code
    argv = ["export", code, "-o", str(out)] if command == "export" else ["publish", str(out), "--workshop", code]
    modules = _modules_after(_cli("--data-dir", str(data), *argv))
    assert out.exists()
    assert {"workshop_tui.service.registry", "workshop_tui.service.view"} <= modules
    assert not {"workshop_tui.service.facade", "workshop_tui.events", "workshop_tui.service.backlog_ops"} & modules
    assert "workshop_tui.service.facade" not in _modules_after("import workshop_tui.service")


def test_forming_teams_is_what_imports_scipy() -> None:
    assert "scipy" not in _imported_after("import workshop_tui.service, workshop_tui.server.schemas")
    assert "scipy" in _imported_after("import workshop_tui.teaming")


#: What the service calls only for one action (an import, forming teams, the promise ledger, a template).
ONE_ACTION = (
    "workshop_tui.export_json",
    "workshop_tui.importer",
    "workshop_tui.team_plan",
    "workshop_tui.backlog_ledger",
    "workshop_tui.templates",
)


def test_the_first_frame_of_a_workshop_imports_no_module_of_a_single_action() -> None:
    """What ``run CODE`` imports before its first frame (the launcher, the app, the lobby) leaves the
    modules of one service action to that action."""
    modules = _modules_after("import workshop_tui.server.runner, screens.app, screens.lobby")
    assert "workshop_tui.service" in modules
    assert not set(ONE_ACTION) & modules


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
