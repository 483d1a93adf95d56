"""`workshop-tui serve` as a user runs it: ready line, join URLs, SIGTERM, a busy port."""

from __future__ import annotations

import asyncio
import json
import signal
import socket
from pathlib import Path

import httpx

from tests.helpers.cli import run_cli
from tests.helpers.serve import read_lines, start_serve
from workshop_tui.service import WorkshopService


def test_serve_prints_ready_then_join_urls_and_stops_on_sigterm(tmp_path: Path) -> None:
    open_one = json.loads(run_cli(tmp_path, "new", "Open one", "--json").stdout)["code"]
    served = start_serve(tmp_path, "--port", "0")
    try:
        ready = json.loads(served.lines[0])
        assert set(ready) == {"event", "url", "admin_token"} and ready["url"].startswith("http://127.0.0.1:")
        human = read_lines(served, 2)
        assert human[0].startswith(f"{open_one}  Open one: ") and human[0].endswith(f"/J/{open_one}")
        assert served.admin_token in human[1]
        with httpx.Client(base_url=served.url, timeout=10) as c:
            assert c.get("/healthz").json() == {"status": "ok"}
            made = c.post(
                "/api/v1/admin/workshops",
                json={"title": "Via API"},
                headers={"Authorization": f"Bearer {served.admin_token}"},
            )
            assert made.status_code == 201
            events = c.stream("GET", f"/api/v1/w/{open_one}/events")  # an open SSE stream must not block exit
            with events as stream:
                served.process.send_signal(signal.SIGTERM)
                assert served.process.wait(timeout=20) == 0
                assert stream.status_code == 200
    finally:
        if served.process.poll() is None:
            served.process.kill()
        served.process.communicate(timeout=10)
    # the data directory is released and reopens with everything in it
    service = WorkshopService(tmp_path).open()
    try:
        assert sorted(w.title for w in service.workshops()) == ["Open one", "Via API"]
    finally:
        asyncio.run(service.close())


def test_sigint_also_stops_cleanly(tmp_path: Path) -> None:
    served = start_serve(tmp_path, "--port", "0")
    served.process.send_signal(signal.SIGINT)
    assert served.process.wait(timeout=20) == 0
    served.process.communicate(timeout=10)


def test_busy_port_is_one_line_and_exit_1(tmp_path: Path) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli(tmp_path, "serve", "--host", "127.0.0.1", "--port", str(port))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and f"port {port}" in lines[0] and "in use" in lines[0]
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_bad_port_is_a_usage_error(tmp_path: Path) -> None:
    result = run_cli(tmp_path, "serve", "--port", "70000")
    assert result.returncode == 2 and "--port" in result.stderr
    assert run_cli(tmp_path, "serve", "--port", "eighty").returncode == 2
    assert "--public-url" in run_cli(tmp_path, "serve", "--help").stdout
