"""``<data dir>/server.json``: written owner-only and whole, removed only by its owner, stale when its
process is gone, ignored (with a reason) when it is not ours."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from workshop_tui.models import utcnow
from workshop_tui.server.runtime_file import RUNTIME_FILE, ServerRuntime, local_url, read_runtime, remove_runtime
from workshop_tui.server.runtime_file import write_runtime as write


def runtime(pid: int) -> ServerRuntime:
    return ServerRuntime(
        local_url="http://127.0.0.1:8765",
        public_url="http://10.0.0.2:8765",
        admin_token="t",
        pid=pid,
        started_at=utcnow(),
    )


def test_written_owner_only_and_read_back(tmp_path: Path) -> None:
    mine = runtime(os.getpid())
    path = write(tmp_path, mine)
    assert path.stat().st_mode & 0o777 == 0o600 and read_runtime(tmp_path).runtime == mine
    assert [p.name for p in tmp_path.iterdir()] == [RUNTIME_FILE]  # no temporary file left


def test_a_newer_owners_file_is_not_removed_by_an_older_one(tmp_path: Path) -> None:
    write(tmp_path, runtime(os.getppid()))  # another live process wrote it
    remove_runtime(tmp_path, os.getpid())
    assert (tmp_path / RUNTIME_FILE).exists()
    remove_runtime(tmp_path, os.getppid())
    assert not (tmp_path / RUNTIME_FILE).exists()


def test_a_file_that_is_not_ours_is_ignored_with_a_reason(tmp_path: Path) -> None:
    (tmp_path / RUNTIME_FILE).write_text("{not json")
    found = read_runtime(tmp_path)
    assert found.runtime is None and found.problem is not None and "not a server file" in found.problem
    assert read_runtime(tmp_path / "missing").problem is None  # no file: simply no owner


def test_the_local_url_is_loopback_for_a_server_listening_everywhere() -> None:
    assert local_url("0.0.0.0", 8765) == "http://127.0.0.1:8765"
    assert local_url("::", 1) == "http://[::1]:1"
    assert local_url("192.168.1.5", 2) == "http://192.168.1.5:2"


def test_a_killed_writers_temporary_file_with_its_token_is_removed(tmp_path: Path) -> None:
    dead = subprocess.Popen(["true"])  # a process that is gone: its pid names the leftover
    dead.wait()
    leftover = tmp_path / f".{RUNTIME_FILE}.{dead.pid}.tmp"
    leftover.write_text('{"admin_token": "secret"}')
    alive = tmp_path / f".{RUNTIME_FILE}.1.tmp"  # pid 1 runs: another writer's file in progress stays
    alive.write_text("{}")
    write(tmp_path, runtime(os.getpid()))
    assert not leftover.exists() and alive.exists()
