"""Session info: where phones connect, the admin token, the data directory, recovery notes and the log.

Logs never go over the screen: the app installs a ``LogPanelHandler`` (kept lines, shown here) and a
file handler (``<data_dir>/logs/workshop-tui.log``). The admin token is never drawn (this screen may be
on a projector): it shows the owner-only file that holds it, and ``c`` copies it to the clipboard (OSC 52).
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import RichLog, Static

from screens.host import SessionHost, host_of
from screens.navigation import ServerStatus
from screens.widgets.steady_footer import SteadyFooter
from workshop_tui.text_safety import terminal_safe


class InfoScreen(Screen[None]):
    CSS_PATH = "info.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Back"),
        Binding("c", "copy_token", "Copy admin token"),
    ]

    @property
    def workshop_app(self) -> SessionHost:
        return host_of(self.app)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="info-top"):
            yield Static(Text("Session info", style="bold"), id="info-title")
            yield Static("", id="info-server", markup=False)
            yield Static("", id="info-messages", markup=False)
        yield RichLog(id="log", markup=False, highlight=False, wrap=True, max_lines=2000)
        yield SteadyFooter()

    def on_mount(self) -> None:
        self.refresh_info()
        log = self.query_one("#log", RichLog)
        handler = self.workshop_app.log_panel
        if handler is not None:
            for line in handler.lines:
                log.write(Text(terminal_safe(line)))
            handler.sinks.append(self._write)

    def on_unmount(self) -> None:
        handler = self.workshop_app.log_panel
        if handler is not None and self._write in handler.sinks:
            handler.sinks.remove(self._write)

    def _write(self, line: str) -> None:
        self.query_one("#log", RichLog).write(Text(terminal_safe(line)))

    def refresh_info(self) -> None:
        app = self.workshop_app
        server = app.server
        info = Text()

        def row(label: str, value: str, style: str = "") -> None:
            info.append(f"{label:<14}", style="bold")
            info.append(value, style=style)
            info.append("\n")

        if server is not None and server.running:
            row("Server", f"listening on {server.host}:{server.port}", "green")
            row("Base URL", server.base_url, "bold")
            if app.code is not None:
                row("Join URL", server.join_url(app.code), "bold")
            where = f"in {app.token_file} (owner only)" if app.token_file else "not written to a file"
            row("Admin token", f"{where} · c copies it to the clipboard")
        else:
            row("Server", "not running: phones cannot join (restart with another --port)", "bold red")
        row("Data dir", str(app.service.data_dir))
        row("Log file", str(app.log_file) if app.log_file else "-")
        self.query_one("#info-server", Static).update(info)
        messages = Text()
        if app.service.messages:
            messages.append("Recovery notes\n", style="bold yellow")
            for message in app.service.messages:
                messages.append(f"• {terminal_safe(message)}\n")  # may quote file names: plain text
        else:
            messages.append("No recovery notes: every file loaded cleanly.", style="dim")
        self.query_one("#info-messages", Static).update(messages)

    def action_copy_token(self) -> None:
        server = self.workshop_app.server
        if server is None or not server.running:
            self.notify("No participant server, no admin token.", severity="warning")
            return
        self.app.copy_to_clipboard(server.admin_token)
        self.notify("Admin token copied to the clipboard (if the terminal allows OSC 52).")

    def action_close(self) -> None:
        self.dismiss(None)

    def on_server_status(self, message: ServerStatus) -> None:
        self.refresh_info()
