"""The command line as a user runs it: a real subprocess, a real data directory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from tinydb import TinyDB

from tests.cli_support import run_cli


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
    out = subprocess.run(
        [sys.executable, "-m", "workshop_tui", "new", "x", "--json"],
        capture_output=True,
        text=True,
        env={**os.environ, "WORKSHOP_TUI_HOME": str(tmp_path / "home")},
    )
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
    assert "Traceback" not in out.stderr


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
