"""The real terminal path in tmux: launch, see the code and the QR code, a phone joins, quit.

Polls ``capture-pane`` with a bounded number of tries; skipped with a reason when tmux is missing.
"""

from __future__ import annotations

import shlex
import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from workshop_tui.service import WorkshopService

TMUX = shutil.which("tmux")
pytestmark = pytest.mark.skipif(TMUX is None, reason="tmux is not installed (apt-get install tmux)")
BIN = Path(sys.executable).parent / "workshop-tui"
TRIES = 200  # x 0.1 s


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def tmux(*args: str) -> str:
    assert TMUX is not None
    return subprocess.run([TMUX, *args], capture_output=True, text=True, check=True).stdout


def poll(condition: Callable[[], bool], what: str) -> None:
    for _ in range(TRIES):
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


class Session:
    def __init__(self, name: str, exit_file: Path) -> None:
        self.name = name
        self.exit_file = exit_file

    def screen(self) -> str:
        return tmux("capture-pane", "-p", "-t", self.name)

    def keys(self, *keys: str) -> None:
        tmux("send-keys", "-t", self.name, *keys)

    def exit_code(self) -> int | None:
        text = self.exit_file.read_text() if self.exit_file.exists() else ""
        return int(text.split("=")[1]) if text.startswith("EXIT=") and text.endswith("\n") else None

    def pane_pid(self) -> int:
        return int(tmux("display-message", "-p", "-t", self.name, "#{pane_pid}").strip())


@pytest.fixture
def session(tmp_path: Path, data_dir: Path) -> Iterator[tuple[Session, int]]:
    import asyncio

    async def seed() -> None:
        async with WorkshopService(data_dir) as service:
            await service.create_workshop("Bike lanes", code="BIKE")

    asyncio.run(seed())
    port = free_port()
    exit_file = tmp_path / "exit"
    name = f"wt-{uuid.uuid4().hex[:8]}"
    command = (
        f"{shlex.quote(str(BIN))} --data-dir {shlex.quote(str(data_dir))} run BIKE --port {port} --host 127.0.0.1; "
        f"echo EXIT=$? > {shlex.quote(str(exit_file))}; sleep 30"
    )
    tmux("new-session", "-d", "-s", name, "-x", "100", "-y", "30", command)
    try:
        yield Session(name, exit_file), port
    finally:
        subprocess.run([TMUX or "tmux", "kill-session", "-t", name], capture_output=True)


def join_over_http(port: int, name: str) -> None:
    import httpx

    response = httpx.post(f"http://127.0.0.1:{port}/api/v1/w/BIKE/join", json={"name": name}, timeout=5)
    assert response.status_code == 201, response.text


def test_launch_see_the_code_and_quit_with_ctrl_q_y(session: tuple[Session, int]) -> None:
    tui, port = session
    poll(lambda: f"HTTP://127.0.0.1:{port}/J/BIKE" in tui.screen(), "the join URL on screen")
    screen = tui.screen()
    assert "▀" in screen and "BIKE" in screen and "WELCOME" in screen
    assert "0 people" in screen
    join_over_http(port, "Phone")
    poll(lambda: "Phone" in tui.screen() and "1 person" in tui.screen(), "the phone's name and count")
    tui.keys("C-q")
    poll(lambda: "Quit workshop-tui?" in tui.screen(), "the quit question")
    tui.keys("y")
    poll(lambda: tui.exit_code() is not None, "the exit code")
    assert tui.exit_code() == 0
    assert "▀" not in tui.screen()  # the alternate screen is gone: the terminal is restored


def test_sigterm_quits_cleanly_and_restores_the_terminal(session: tuple[Session, int]) -> None:
    tui, port = session
    poll(lambda: f"HTTP://127.0.0.1:{port}/J/BIKE" in tui.screen(), "the join URL on screen")
    shell = tui.pane_pid()
    children = subprocess.run(["pgrep", "-P", str(shell)], capture_output=True, text=True).stdout.split()
    assert children, "the workshop-tui process"
    subprocess.run(["kill", "-TERM", children[0]], check=True)
    poll(lambda: tui.exit_code() is not None, "the exit code")
    assert tui.exit_code() == 0
    assert "▀" not in tui.screen()


def test_run_exits_1_after_its_store_failed(session: tuple[Session, int], data_dir: Path) -> None:
    """A workshop that stopped being saved while `run` was open must not end in exit code 0."""
    import httpx

    tui, port = session
    poll(lambda: f"HTTP://127.0.0.1:{port}/J/BIKE" in tui.screen(), "the join URL on screen")
    join_over_http(port, "Phone")
    (directory,) = (data_dir / "workshops").iterdir()
    for _ in range(TRIES):  # retried while a snapshot thread may still add a file to it
        shutil.rmtree(directory, ignore_errors=True)
        if not directory.exists():
            break
        time.sleep(0.01)
    refused = httpx.post(f"http://127.0.0.1:{port}/api/v1/w/BIKE/join", json={"name": "Late"}, timeout=5)
    assert refused.status_code == 503, refused.text
    poll(lambda: "NOT SAVING" in tui.screen(), "the banner")
    tui.keys("C-q")
    poll(lambda: "Quit workshop-tui?" in tui.screen(), "the quit question")
    tui.keys("y")
    poll(lambda: tui.exit_code() is not None, "the exit code")
    assert tui.exit_code() == 1
    screen = tui.screen()
    assert "stopped being saved" in screen and "Traceback" not in screen
    assert "▀" not in screen
