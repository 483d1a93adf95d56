"""The command line, in-process (fast: no 1.4 s interpreter start) or as a real subprocess.

``run_cli`` calls ``workshop_tui.cli.main`` with the process state a fresh interpreter would give it:
stdout/stderr captured as bytes, an empty stdin, the environment of ``run_cli_subprocess``, and
everything it may touch (environment, cwd, root logger, signal handlers) put back afterwards. A
file descriptor it leaves open (a data directory's lock, a journal) fails the test: a real process
would have closed it on exit, so only the in-process run could see it, as a busy directory. The
contracts a process boundary matters for (exit codes, one-line stderr, the ready line of ``serve``,
JSON lines, CSV bytes) keep one ``run_cli_subprocess`` test each.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from unittest import mock

from workshop_tui.cli import main

#: Variables the caller's shell may set that would change what a command does.
UNSET = ("WORKSHOP_TUI_HOME", "WORKSHOP_TUI_ADMIN_TOKEN")


def cli_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment a command runs with: a fixed width, the data dir from --data-dir only."""
    env = {k: v for k, v in os.environ.items() if k not in UNSET}
    return {**env, "COLUMNS": "160", **(extra or {})}


def command(data_dir: Path | None, args: Sequence[str]) -> list[str]:
    return [*(["--data-dir", str(data_dir)] if data_dir is not None else []), *args]


def run_cli_subprocess(
    data_dir: Path | None, *args: str, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[bytes]:
    """``python -m workshop_tui`` in a real process; bytes, so the exact output is what is checked."""
    return subprocess.run(
        [sys.executable, "-m", "workshop_tui", *command(data_dir, args)],
        capture_output=True,
        env=cli_env(env),
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )


def run_cli(data_dir: Path | None, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The command in this process; text with universal newlines, as ``subprocess.run(text=True)``."""
    done = run_cli_bytes(data_dir, *args, env=env)
    return subprocess.CompletedProcess(done.args, done.returncode, as_text(done.stdout), as_text(done.stderr))


def run_cli_bytes(
    data_dir: Path | None, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    """The command in this process, its output as the bytes a pipe would carry (CSV line endings)."""
    argv = command(data_dir, args)
    if _loop_running():
        # An async test: main() runs its own event loop, which needs a thread without one. The
        # test's loop waits meanwhile, as it would for subprocess.run.
        result: list[tuple[int, bytes, bytes]] = []
        failure: list[BaseException] = []

        def target() -> None:
            try:
                result.append(_run(argv, env, main_thread=False))
            except BaseException as exc:  # re-raised in the test's thread
                failure.append(exc)

        worker = threading.Thread(target=target, name="cli-in-process")
        worker.start()
        worker.join(timeout=120)
        assert not worker.is_alive(), f"workshop-tui {' '.join(argv)} did not finish"
        if failure:
            raise failure[0]
        code, out, err = result[0]
    else:
        code, out, err = _run(argv, env, main_thread=True)
    return subprocess.CompletedProcess(["workshop-tui", *argv], code, out, err)


def as_text(data: bytes) -> str:
    return io.TextIOWrapper(io.BytesIO(data), encoding="utf-8").read()


def _loop_running() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def _run(argv: list[str], env: dict[str, str] | None, *, main_thread: bool) -> tuple[int, bytes, bytes]:
    out, err = io.BytesIO(), io.BytesIO()
    stdout = io.TextIOWrapper(out, encoding="utf-8", write_through=True)
    stderr = io.TextIOWrapper(err, encoding="utf-8", errors="backslashreplace", write_through=True)
    with (
        _restored_process_state(main_thread),
        mock.patch.dict(os.environ, cli_env(env), clear=True),
        mock.patch.multiple(sys, stdin=io.StringIO(), stdout=stdout, stderr=stderr),
        _no_leaked_descriptors(argv),
    ):
        try:
            code = main(argv)
        except SystemExit as exc:  # argparse's --help and --version
            code = _exit_status(exc.code, stderr)
    stdout.flush()
    stderr.flush()
    return code, out.getvalue(), err.getvalue()


def _exit_status(code: object, stderr: io.TextIOWrapper) -> int:
    if code is None or isinstance(code, int):
        return code or 0
    print(code, file=stderr)  # what the interpreter does with sys.exit("message")
    return 1


@contextlib.contextmanager
def _restored_process_state(main_thread: bool) -> Iterator[None]:
    """A fresh root logger for main()'s basicConfig (pytest's capture handlers would make it a no-op)."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    cwd = os.getcwd()
    signals = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)} if main_thread else {}
    root.handlers = []
    try:
        yield
    finally:
        for added in root.handlers:
            added.close()
        root.handlers, root.level = handlers, level
        os.chdir(cwd)
        for sig, previous in signals.items():
            signal.signal(sig, previous)


def _open_descriptors() -> dict[int, str]:
    found = {}
    for name in os.listdir("/proc/self/fd"):
        with contextlib.suppress(OSError):  # the listing's own descriptor is gone by now
            found[int(name)] = os.readlink(f"/proc/self/fd/{name}")
    return found


@contextlib.contextmanager
def _no_leaked_descriptors(argv: list[str]) -> Iterator[None]:
    before = _open_descriptors()
    yield
    leaked = {fd: target for fd, target in _open_descriptors().items() if before.get(fd) != target}
    assert not leaked, f"workshop-tui {' '.join(argv)} left files open: {sorted(leaked.values())}"
