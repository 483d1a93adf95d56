"""Run uvicorn inside an event loop someone else owns (Textual's, or the headless `serve` loop).

Facts this follows (docs/architecture.md): uvicorn replaces SIGINT/SIGTERM handlers inside
``serve()`` and re-raises them, so ``capture_signals`` is a no-op here; if uvicorn binds the port
itself a busy port calls ``sys.exit(3)``, so the socket is bound here first, with ``IPPROTO_TCP``
(without it TCP_NODELAY is lost and throughput drops ~7x); ``log_config=None`` keeps uvicorn from
printing over the TUI; SSE streams are ended before the server stops, or shutdown hangs.

``bind`` listens before anything heavy is loaded: the port (hence the join URL and its QR code) is
known and a busy port is reported at once, and a phone that connects waits in the backlog until
``start`` serves it. uvicorn, its protocol and the routes load only in ``start`` (the TUI draws its
first frame before that).
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import logging
import os
import socket
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from workshop_tui.errors import WorkshopError
from workshop_tui.ids import new_token
from workshop_tui.models import utcnow
from workshop_tui.netaddr import choose_host, join_url
from workshop_tui.server import DEFAULT_PORT
from workshop_tui.server.limits import Limits
from workshop_tui.server.runtime_file import RUNTIME_FILE, ServerRuntime, local_url, remove_runtime, write_runtime
from workshop_tui.service import WorkshopService
from workshop_tui.store.snapshot_file import bulk_load

if TYPE_CHECKING:
    from workshop_tui.server.connections import GuardedHttpTools
    from workshop_tui.server.quiet_uvicorn import QuietServer

log = logging.getLogger(__name__)

ENV_ADMIN_TOKEN = "WORKSHOP_TUI_ADMIN_TOKEN"


class ServerError(WorkshopError):
    status = 500
    kind = "server_error"


class PortInUse(ServerError):
    kind = "port_in_use"


def bind_socket(host: str, port: int) -> socket.socket:
    """A listening TCP socket, or a clear error (never ``sys.exit``) when the port is taken."""
    wildcard = host in ("", "0.0.0.0", "::", "[::]")
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if family == socket.AF_INET6 and wildcard:
            sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
        sock.bind((host.strip("[]") or "0.0.0.0", port))
        sock.listen(2048)
        sock.setblocking(False)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise PortInUse(
                f"port {port} is already in use by another program; choose another with --port (0 picks a free one)",
                {"port": port},
            ) from None
        raise ServerError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    return sock


AppFactory = Callable[["ParticipantServer"], Any]


class ParticipantServer:
    """The HTTP server for phones and tools, started and stopped by its host."""

    def __init__(
        self,
        service: WorkshopService,
        *,
        host: str = "0.0.0.0",
        port: int = DEFAULT_PORT,
        public_url: str | None = None,
        admin_token: str | None = None,
        app_factory: AppFactory | None = None,
        limits: Limits | None = None,
    ) -> None:
        self.service = service
        self.host = host
        self.port = port
        self.public_url = public_url
        self.admin_token = admin_token or os.environ.get(ENV_ADMIN_TOKEN) or new_token()
        self._app_factory = app_factory
        self.limits = limits
        self.max_connections = 0  # known once started: the open-file limit less a reserve
        self.protocol: type[GuardedHttpTools] | None = None
        self._server: QuietServer | None = None
        self._socket: socket.socket | None = None  # bound and listening, not served yet
        self._task: asyncio.Task[None] | None = None
        self._before_stop: list[Callable[[], Awaitable[None]]] = []
        self.app: Any = None

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    @property
    def listening(self) -> bool:
        """The port is bound: the join URL is final (phones are served once ``running``)."""
        return self._socket is not None or self.running

    @property
    def public_host(self) -> str:
        return choose_host(self.host)

    @property
    def base_url(self) -> str:
        if self.public_url:
            return self.public_url.rstrip("/")
        host = self.public_host
        return f"http://[{host}]:{self.port}" if ":" in host else f"http://{host}:{self.port}"

    def join_url(self, code: str) -> str:
        """What the QR code encodes: upper case (QR alphanumeric mode) unless a public URL is set."""
        return join_url(self.public_host, self.port, code, self.public_url)

    def on_stop(self, callback: Callable[[], Awaitable[None]]) -> None:
        """Run ``callback`` before the server stops (the SSE broker ends its streams here)."""
        self._before_stop.append(callback)

    def bind(self) -> None:
        """Listen on the port (``PortInUse`` if it is taken); cheap: nothing is served yet."""
        if self._socket is None and not self.running:
            self._socket = bind_socket(self.host, self.port)
            self.port = self._socket.getsockname()[1]

    async def start(self) -> None:
        if self.running:
            return
        import uvicorn

        from workshop_tui.server.connections import FD_RESERVE, protocol_for, raise_fd_limit
        from workshop_tui.server.quiet_uvicorn import QuietServer

        limits = self.limits or Limits()
        self.max_connections = max(64, raise_fd_limit() - FD_RESERVE)
        protocol = protocol_for(
            first_byte=limits.first_byte_timeout,
            headers=limits.header_timeout,
            body=limits.body_timeout,
            max_connections=self.max_connections,
        )
        self.bind()
        sock = self._socket
        assert sock is not None
        # The app (FastAPI, its routes' models and validators) lives as long as the server: no collections
        # while it is built, and frozen after, so the full passes a vote storm triggers never walk it.
        with bulk_load():
            if self._app_factory is None:
                from workshop_tui.server.app import create_app

                self.app = create_app(self)
            else:
                self.app = self._app_factory(self)
        config = uvicorn.Config(
            self.app,
            log_config=None,
            access_log=False,
            lifespan="off",
            timeout_graceful_shutdown=3,
            http=protocol,
            timeout_keep_alive=limits.keep_alive,
            proxy_headers=False,
            server_header=False,
        )
        self.protocol = protocol
        self._server = QuietServer(config)
        self._task = asyncio.get_running_loop().create_task(self._server.serve(sockets=[sock]), name="uvicorn")
        self._socket = None  # uvicorn's now: it closes it when it stops
        while not self._server.started:
            if self._task.done():
                exc = self._task.exception()
                raise ServerError(f"the participant server did not start: {exc}")
            await asyncio.sleep(0.01)
        log.info("participant server listening on %s:%s", self.host, self.port)
        self._write_runtime()

    def _write_runtime(self) -> None:
        """Tell local clients (``workshop-tui present``) where we serve: ``<data dir>/server.json``."""
        runtime = ServerRuntime(
            local_url=local_url(self.host, self.port),
            public_url=self.base_url,
            admin_token=self.admin_token,
            pid=os.getpid(),
            started_at=utcnow(),
        )
        try:
            write_runtime(self.service.data_dir, runtime)
        except OSError as exc:  # the server still serves phones; only a presenter cannot find it
            log.warning("cannot write %s in %s: %s", RUNTIME_FILE, self.service.data_dir, exc)

    async def stop(self) -> None:
        if self._socket is not None:  # bound, never served
            self._socket.close()
            self._socket = None
        if self._server is None or self._task is None:
            return
        for callback in self._before_stop:
            with contextlib.suppress(Exception):
                await callback()
        self._server.should_exit = True
        try:
            await asyncio.wait_for(asyncio.shield(self._task), timeout=5)
        except TimeoutError:
            self._server.force_exit = True
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._task, timeout=2)
        self._server = None
        self._task = None
        with contextlib.suppress(OSError):
            remove_runtime(self.service.data_dir, os.getpid())
