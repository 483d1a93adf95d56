"""Fail-stop and atomic creation through the real server and CLI: 503 JSON, nothing half-made."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.helpers.api import admin, assert_error, client, in_process, join
from tests.helpers.cli import run_cli
from tests.helpers.export_samples import SAMPLES
from tests.helpers.paths import ROOT
from tests.helpers.serve import start_serve
from tests.helpers.waiting import wait_until_sync
from workshop_tui.errors import StoreFailed
from workshop_tui.phases import Phase
from workshop_tui.service import WorkshopService
from workshop_tui.store import fsync as fsync_mod


def delete(directory: Path) -> None:
    """rm -rf, retried while the store's snapshot thread is still adding a file to it."""

    def gone() -> bool:
        shutil.rmtree(directory, ignore_errors=True)
        return not directory.exists()

    wait_until_sync(gone, what=f"{directory} deleted")


async def test_service_rolls_a_refused_note_out_of_the_wall(data_dir: Path) -> None:
    service = WorkshopService(data_dir).open()
    w = await service.create_workshop("gone")
    await service.set_phase(w.code, Phase.IDEATE)
    kept = await service.post_idea(w.code, "acknowledged")
    delete(data_dir / "workshops" / w.id)
    with pytest.raises(StoreFailed):
        await service.post_idea(w.code, "refused")
    state = service.state(w.code)
    assert [i.text for i in state.ideas.values()] == [kept.text]  # the wall shows only what was acknowledged
    assert state.store.failed
    with pytest.raises(StoreFailed, match="failed while open"):
        await service.close()


@pytest.mark.slow
def test_serve_answers_503_after_its_workshop_directory_is_deleted_and_exits_non_zero(tmp_path: Path) -> None:
    served = start_serve(tmp_path, "--port", "0")
    try:
        with httpx.Client(base_url=served.url, timeout=30) as c:
            auth = {"Authorization": f"Bearer {served.admin_token}"}
            code = c.post("/api/v1/admin/workshops", json={"title": "Gone"}, headers=auth).json()["code"]
            assert c.post(f"/api/v1/admin/w/{code}/phase", json={"phase": "ideate"}, headers=auth).is_success
            token = c.post(f"/api/v1/w/{code}/join", json={"name": "Ann"}).json()["token"]
            phone = {"Authorization": f"Bearer {token}"}
            assert c.post(f"/api/v1/w/{code}/ideas", json={"text": "kept"}, headers=phone).status_code == 201
            (directory,) = (tmp_path / "workshops").iterdir()
            delete(directory)
            refused = c.post(f"/api/v1/w/{code}/ideas", json={"text": "refused"}, headers=phone)
            assert_error(refused, 503)
            assert_error(c.post(f"/api/v1/w/{code}/ideas", json={"text": "later"}, headers=phone), 503)
            texts = [i["text"] for i in c.get(f"/api/v1/w/{code}/ideas", headers=phone).json()]
            assert texts == ["kept"]
        served.process.send_signal(signal.SIGTERM)
        _, err = served.process.communicate(timeout=30)
    finally:
        if served.process.poll() is None:
            served.process.kill()
            served.process.communicate(timeout=10)
    assert served.process.returncode == 1, err
    assert "failed while open" in err and "Traceback" not in err


async def test_creating_a_workshop_on_a_full_disk_is_a_503_and_leaves_no_directory(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    service = WorkshopService(data_dir).open()
    try:
        async with in_process(service) as server, admin(server) as c:
            real = fsync_mod.write_all

            def full(fd: int, data: bytes, point: str) -> None:
                raise OSError(errno.ENOSPC, "No space left on device")

            monkeypatch.setattr(fsync_mod, "write_all", full)
            body = assert_error(await c.post("/api/v1/admin/workshops", json={"title": "Full"}), 503)
            assert "No space left" in body["error"]
            assert list((data_dir / "workshops").iterdir()) == []
            monkeypatch.setattr(fsync_mod, "write_all", real)
            made = await c.post("/api/v1/admin/workshops", json={"title": "Room again"})
            assert made.status_code == 201, made.text
            code = made.json()["code"]
            await c.post(f"/api/v1/admin/w/{code}/phase", json={"phase": "ideate"})
            _, token = await join(server, code)
            async with client(server, token) as phone:
                assert (await phone.post(f"/api/v1/w/{code}/ideas", json={"text": "works"})).status_code == 201
    finally:
        await service.close()


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 256 KiB tmpfs (needs root; skipped where mounting is not allowed)."""
    mount = tmp_path / "tiny"
    mount.mkdir()
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mount)], capture_output=True)
    if made.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {made.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=True)


def fill(disk: Path, leave_pages: int) -> Path:
    """Fill ``disk`` to the last byte, then free ``leave_pages`` pages."""
    filler = disk / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        with contextlib.suppress(OSError):
            while True:
                os.write(fd, b"\0" * 4096)
    finally:
        os.close(fd)
    size = filler.stat().st_size
    os.truncate(filler, max(0, size - leave_pages * 4096))
    return filler


async def test_a_really_full_disk_is_a_503_and_leaves_no_directory(tiny_disk: Path) -> None:
    data_dir = tiny_disk / "data"
    service = WorkshopService(data_dir).open()
    try:
        async with in_process(service) as server, admin(server) as c:
            filler = fill(tiny_disk, leave_pages=1)  # room for the empty snapshot, not for the journal
            body = assert_error(await c.post("/api/v1/admin/workshops", json={"title": "Full"}), 503)
            assert "No space left" in body["error"]
            assert list((data_dir / "workshops").iterdir()) == []
            filler.unlink()
            assert (await c.post("/api/v1/admin/workshops", json={"title": "Room"})).status_code == 201
    finally:
        await service.close()


@pytest.mark.slow
def test_kill_9_during_import_leaves_nothing_half_made_and_a_retry_works(tmp_path: Path) -> None:
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.e2e.crash_child", "import", str(tmp_path), str(SAMPLES / "MAKE.json")],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert child.stdout is not None
    assert child.stdout.readline() == b"installing\n", child.stderr.read() if child.stderr else ""
    child.send_signal(signal.SIGKILL)
    child.communicate(timeout=30)
    assert next(p.name for p in (tmp_path / "workshops").iterdir()).endswith(".building")  # what a kill leaves
    assert "MAKE" not in run_cli(tmp_path, "list").stdout
    again = run_cli(tmp_path, "import", str(SAMPLES / "MAKE.json"))
    assert again.returncode == 0, again.stderr
    assert "MAKE" in run_cli(tmp_path, "list").stdout
    assert not [p for p in (tmp_path / "workshops").iterdir() if p.name.startswith(".")]


def test_an_empty_directory_from_an_older_interrupted_create_no_longer_blocks_an_import(tmp_path: Path) -> None:
    workshop_id = json.loads((SAMPLES / "MAKE.json").read_text())["workshop"]["id"]
    leftover = tmp_path / "workshops" / workshop_id
    leftover.mkdir(parents=True)  # what the old create left when killed: an empty snapshot, no journal
    (leftover / "snapshot-000000000000.json").write_bytes(b'{"_meta":{"1":{"schema_version":1,"seq":0}}}')
    damaged = tmp_path / "workshops" / "0badc0ffee0badc0ffee0badc0ffee00"
    damaged.mkdir()  # empty too, but something was set aside there: never removed
    (damaged / "snapshot-000000000000.json").write_bytes(b'{"_meta":{"1":{"schema_version":1,"seq":0}}}')
    (damaged / "snapshot-000000000009.json.damaged-20260101T000000Z").write_bytes(b"{broken")
    done = run_cli(tmp_path, "import", str(SAMPLES / "MAKE.json"))
    assert done.returncode == 0, done.stderr
    assert "MAKE" in run_cli(tmp_path, "list").stdout and damaged.exists()
