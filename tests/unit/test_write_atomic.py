"""``write_atomic``, the one routine behind every whole-file write (snapshots, summaries, exports, the
site, ``server.json``): owner-only, never through a planted symlink, whole or not at all."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from workshop_tui.store.fsync import write_atomic


def test_the_file_is_written_whole_and_no_temporary_file_stays(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    write_atomic(target, b"new")
    write_atomic(target, b"newer")
    assert target.read_bytes() == b"newer" and [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_a_leftover_temporary_file_with_a_wider_mode_does_not_widen_the_file(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    leftover = tmp_path / ".out.json.tmp"
    leftover.write_bytes(b"half")
    leftover.chmod(0o644)
    write_atomic(target, b"whole")
    assert target.read_bytes() == b"whole" and target.stat().st_mode & 0o777 == 0o600


def test_a_symlink_planted_at_the_temporary_name_is_not_written_through(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.write_bytes(b"keep me")
    target = tmp_path / "out.json"
    (tmp_path / ".out.json.tmp").symlink_to(elsewhere)
    with pytest.raises(OSError):
        write_atomic(target, b"secret token")
    assert elsewhere.read_bytes() == b"keep me" and not target.exists()


def test_a_named_temporary_file_is_used_and_renamed(tmp_path: Path) -> None:
    target = tmp_path / "server.json"
    write_atomic(target, b"{}", tmp=tmp_path / f".server.json.{os.getpid()}.tmp")
    assert [p.name for p in tmp_path.iterdir()] == ["server.json"]


def test_a_full_disk_leaves_the_old_file_and_no_temporary_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The disk fills up in the middle of the write (ENOSPC from write(2) on the real temporary file)."""
    import errno

    target = tmp_path / "out.json"
    target.write_bytes(b"old")
    real_write = os.write
    calls = []

    def write(fd: int, data: bytes | memoryview) -> int:
        calls.append(fd)
        if len(calls) == 2:  # the second half: the temporary file already holds the first
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", write)
    with pytest.raises(OSError) as failed:
        write_atomic(target, b"new content, half of it written")
    assert failed.value.errno == errno.ENOSPC
    assert target.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_a_failing_rename_leaves_no_temporary_file(tmp_path: Path) -> None:
    """A real failure: a directory that is not empty stands where the file should go."""
    target = tmp_path / "out.json"
    target.mkdir()
    (target / "inside").write_bytes(b"keep")
    with pytest.raises(OSError):
        write_atomic(target, b"new")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"] and (target / "inside").read_bytes() == b"keep"


def test_a_failing_fsync_leaves_no_temporary_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    from workshop_tui.store import fsync

    def sync_file(fd: int) -> None:
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(fsync, "sync_file", sync_file)
    target = tmp_path / "out.json"
    with pytest.raises(OSError):
        write_atomic(target, b"new")
    assert list(tmp_path.iterdir()) == []
