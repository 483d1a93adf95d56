"""The command line as a user runs it, on a real data directory: in-process, and the process contract
(exit codes, one-line errors, JSON lines, CSV bytes) once through a real ``python -m workshop_tui``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tinydb import TinyDB

from tests.helpers.cli import run_cli, run_cli_bytes, run_cli_subprocess


def test_new_list_export(tmp_path: Path) -> None:
    made = run_cli(tmp_path, "new", "Bike lanes", "--template", "policy-workshop", "--json")
    assert made.returncode == 0, made.stderr
    info = json.loads(made.stdout)
    assert info["title"] == "Bike lanes" and info["template"] == "policy-workshop"
    listed = run_cli(tmp_path, "list", "--json")
    rows = [json.loads(line) for line in listed.stdout.splitlines()]
    assert [r["code"] for r in rows] == [info["code"]]
    exported = run_cli(tmp_path, "export", info["code"].lower(), "--format", "json")
    assert exported.returncode == 0, exported.stderr
    doc = json.loads(exported.stdout)
    assert doc["format"] == "workshop-tui.export" and doc["version"] == 1
    assert doc["workshop"]["code"] == info["code"]
    assert set(doc) == {
        "format", "version", "exported_at", "workshop", "participants", "themes", "ideas", "votes", "teams", "backlog",
    }  # fmt: skip


def test_env_var_sets_the_data_dir(tmp_path: Path) -> None:
    out = run_cli(None, "new", "x", "--json", env={"WORKSHOP_TUI_HOME": str(tmp_path / "home")})
    assert out.returncode == 0, out.stderr
    assert list((tmp_path / "home" / "workshops").iterdir())


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["bogus"], 2, "invalid choice"),
        (["new"], 2, "required: title"),
        (["export", "ABCDE", "--format", "xml"], 2, "invalid choice"),
        (["new", "x", "--template", "nope"], 1, "unknown template 'nope'"),
        (["new", "   "], 1, "title"),
        (["export", "ZZZZZ"], 1, "no workshop with code 'ZZZZZ'"),
        (["serve", "--port", "99999"], 2, "must be between 0 and 65535"),
        (["run", "--port", "http"], 2, "not a port number"),
    ],
)
def test_errors_are_one_line_with_exit_codes(tmp_path: Path, args: list[str], code: int, message: str) -> None:
    out = run_cli(tmp_path, *args)
    assert out.returncode == code
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], out.stderr
    assert "Traceback" not in out.stderr and out.stdout == ""


@pytest.mark.parametrize(("args", "code"), [(["bogus"], 2), (["export", "ZZZZZ"], 1)])
def test_a_real_process_exits_with_the_code_and_one_stderr_line(tmp_path: Path, args: list[str], code: int) -> None:
    done = run_cli_subprocess(tmp_path, *args)
    assert done.returncode == code
    assert done.stdout == b"" and done.stderr.count(b"\n") == 1 and done.stderr.startswith(b"workshop-tui")
    assert done.stderr == run_cli_bytes(tmp_path, *args).stderr


def test_a_real_process_prints_the_same_json_lines_and_csv_bytes(tmp_path: Path) -> None:
    code = json.loads(run_cli(tmp_path, "new", "Bike lanes", "--json").stdout)["code"]
    assert run_cli(tmp_path, "demo").returncode == 0
    listed = run_cli_subprocess(tmp_path, "list", "--json")
    assert listed.returncode == 0, listed.stderr
    assert [json.loads(line)["code"] for line in listed.stdout.split(b"\n")[:-1]] == [code, "MAKE"]
    assert listed.stdout == run_cli_bytes(tmp_path, "list", "--json").stdout
    csv = run_cli_subprocess(tmp_path, "export", "MAKE", "--format", "csv")
    assert csv.returncode == 0, csv.stderr
    assert csv.stdout.startswith(b"id,") and csv.stdout.endswith(b"\r\n")
    assert csv.stdout == run_cli_bytes(tmp_path, "export", "MAKE", "--format", "csv").stdout


def test_list_prints_the_same_rows_from_the_summaries_as_from_the_opened_workshops(tmp_path: Path) -> None:
    assert run_cli(tmp_path, "demo").returncode == 0
    assert run_cli(tmp_path, "new", "Bike lanes").returncode == 0
    from_summaries = run_cli(tmp_path, "list", "--json")
    for summary in (tmp_path / "workshops").glob("*/summary.json"):
        summary.unlink()  # as left by a crash: `list` opens the workshops (read-only, writes nothing)
    opened = run_cli(tmp_path, "list", "--json")
    assert opened.returncode == 0 and opened.stdout == from_summaries.stdout
    assert [json.loads(line)["code"] for line in opened.stdout.splitlines()][:1] == ["MAKE"]
    assert not list((tmp_path / "workshops").glob("*/summary.json"))


def test_busy_data_dir_is_a_clear_error(tmp_path: Path) -> None:
    from workshop_tui.lock import DataDirLock

    lock = DataDirLock(tmp_path)
    lock.acquire()
    try:
        out = run_cli(tmp_path, "new", "x")
        assert out.returncode == 1 and "in use by workshop-tui" in out.stderr
        assert run_cli(tmp_path, "list").returncode == 0  # reading is fine while a session runs
    finally:
        lock.release()


def test_damaged_file_is_named_and_the_workshop_still_loads(tmp_path: Path) -> None:
    code = json.loads(run_cli(tmp_path, "new", "x", "--json").stdout)["code"]
    (wdir,) = (tmp_path / "workshops").iterdir()
    newest = sorted(wdir.glob("snapshot-*.json"))[-1]
    newest.write_bytes(b"{broken")
    out = run_cli(tmp_path, "new", "second")  # a writer opens everything and recovers
    assert out.returncode == 0
    assert newest.name in out.stderr and "damaged" in out.stderr
    assert code in run_cli(tmp_path, "list").stdout


def test_demo_is_a_full_session(tmp_path: Path) -> None:
    out = run_cli(tmp_path, "demo", "--json")
    assert out.returncode == 0, out.stderr
    code = json.loads(out.stdout)["code"]
    again = run_cli(tmp_path, "demo", "--json")
    assert json.loads(again.stdout)["created"] is False
    doc = json.loads(run_cli(tmp_path, "export", code).stdout)
    assert doc["workshop"]["phase"] == "backlog"
    assert len(doc["participants"]) >= 16 and len(doc["ideas"]) >= 12
    assert sum(v["dots"] for v in doc["votes"]) > 50
    assert len(doc["teams"]) == 4 and all(t["champion_id"] for t in doc["teams"])
    assert len(doc["backlog"]) >= 3 and any(i["budget_requests"] for i in doc["backlog"])
    snapshot = sorted(next((tmp_path / "workshops").iterdir()).glob("snapshot-*.json"))[-1]
    assert len(TinyDB(snapshot).table("ideas").all()) == len(doc["ideas"])


def test_in_process_runs_leave_the_process_as_they_found_it(tmp_path: Path) -> None:
    import logging
    import os
    import sys

    before = (logging.getLogger().handlers[:], dict(os.environ), os.getcwd(), sys.stdout, sys.stderr)
    assert run_cli(tmp_path, "demo").returncode == 0
    assert run_cli(tmp_path, "new", "x", env={"WORKSHOP_TUI_HOME": "/nowhere"}).returncode == 0
    assert run_cli(tmp_path, "--version").stdout.startswith("workshop-tui ")
    assert (logging.getLogger().handlers[:], dict(os.environ), os.getcwd(), sys.stdout, sys.stderr) == before
    assert run_cli(tmp_path, "new", "y").returncode == 0  # the lock was released: the directory is free
