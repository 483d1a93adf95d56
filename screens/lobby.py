"""The lobby: a QR code the whole room can scan, the join URL and code in large type, who has joined.

Participant names are untrusted: they reach the screen only as ``rich.text.Text``. The QR code and
the URL come from the hosting app's participant server (``SessionHost.join_url``); without a server (the
facilitator chose to continue without phones) the lobby says so instead of showing a dead code.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Digits, Static

from screens.audience import room_texts
from screens.events import DomainEvents
from screens.host import SessionHost, host_of
from screens.navigation import ServerStatus
from screens.session import SessionScreen
from screens.widgets.big_code import BigCode
from screens.widgets.qr_code import QRCode
from screens.widgets.session_bar import SessionBar
from screens.widgets.steady_footer import SteadyFooter
from screens.widgets.text_update import update_text
from screens.widgets.timer import PhaseTimer
from workshop_tui.events import ParticipantJoined, WorkshopUpdated
from workshop_tui.service import WorkshopService
from workshop_tui.text_safety import terminal_safe

LATEST_NAMES = 8


class LobbyScreen(SessionScreen):
    CSS_PATH = "lobby.tcss"

    def __init__(self, service: WorkshopService, code: str) -> None:
        super().__init__(service, code)
        self._people: list[str] = []
        self._more = ""

    def compose(self) -> ComposeResult:
        yield SessionBar(self.service, self.code)
        with Horizontal(id="lobby-body"):
            with Vertical(id="qr-side"):
                yield QRCode("", id="qr")
                yield Static("", id="no-server", markup=False)
            with Vertical(id="join-side"):
                yield Static("", id="scan-hint", classes="hint", markup=False)
                yield Static("", id="join-url", markup=False)
                yield Static("", id="code-hint", classes="hint", markup=False)
                yield BigCode(self.code, id="big-code")
                with Horizontal(id="count-row"):
                    yield Digits("0", id="count")
                    yield Static("joined", id="count-label", markup=False)
                yield Static("", id="names", markup=False)
                yield PhaseTimer(self.service, self.code)
        yield SteadyFooter()

    def on_mount(self) -> None:
        self.show_join_url()
        self.refresh_people()

    @property
    def workshop_app(self) -> SessionHost:
        return host_of(self.app)

    def show_join_url(self) -> None:
        url = self.workshop_app.join_url(self.code)
        qr = self.query_one("#qr", QRCode)
        note = self.query_one("#no-server", Static)
        link = self.query_one("#join-url", Static)
        if url is None:
            qr.data = ""
            qr.display = False
            note.display = True
            note.update(Text("Phones are off: the participant server is not running.\nOpen the info screen (f2)."))
            link.update(Text("no participant server", style="italic"))
        else:
            qr.data = url
            qr.display = True
            note.display = False
            link.update(Text(url, style="bold"))
        self.fit_to_size()

    def refresh_people(self) -> None:
        state = self.service.view(self.code)
        tr = room_texts(self.service, self.code)
        # Each join redraws these: in place, not with a layout of the whole screen (text_update).
        update_text(self.query_one("#scan-hint", Static), Text(tr.gettext("Scan the code, or open")))
        update_text(self.query_one("#code-hint", Static), Text(tr.gettext("and enter the code")))
        people = sorted(state.participants.values(), key=lambda p: p.joined_at, reverse=True)
        self.query_one("#count", Digits).update(str(len(people)))
        update_text(
            self.query_one("#count-label", Static), Text(tr.ngettext("person joined", "people joined", len(people)))
        )
        self._people = [terminal_safe(p.name) for p in people]  # untrusted: plain text, never markup
        more = len(people) - LATEST_NAMES
        self._more = tr.ngettext("+{count} more", "+{count} more", more).format(count=more) if more > 0 else ""
        self._show_names()

    def _show_names(self) -> None:
        """The newest names, laid out by hand so a line starts with a name, never with a separator."""
        box = self.query_one("#names", Static)
        width = box.content_region.width or self.size.width or 80
        lines: list[Text] = []
        line = Text()
        words = [(name, "") for name in self._people[:LATEST_NAMES]]
        if self._more:
            words.append((self._more, "dim"))
        for word, style in words:
            gap = "  " if style else "  ·  "
            if line and cell_len(line.plain) + cell_len(gap) + cell_len(word) > width:
                lines.append(line)
                line = Text()
            if line:
                line.append(gap, style="dim")
            line.append(word, style=style)
        if line:
            lines.append(line)
        names = Text("\n").join(lines)
        names.no_wrap, names.overflow = True, "ellipsis"
        update_text(box, names)

    def on_resize(self) -> None:
        self.fit_to_size()
        self.call_after_refresh(self._show_names)  # the names' box has its new width once laid out

    def fit_to_size(self) -> None:
        """The largest QR code the screen has room for beside the join text (3 on a 200x60 projector, where the
        back of a big room scans it), and the big code at 2 when the side still has room: the presenter's rule."""
        qr = self.query_one("#qr", QRCode)
        self.query_one("#big-code", BigCode).scale = qr.fit_beside_text(self.query_one("#lobby-body").size)

    def on_domain_events(self, message: DomainEvents) -> None:
        mine = message.for_workshop(self.workshop_id)
        if any(isinstance(e, ParticipantJoined | WorkshopUpdated) for e in mine):
            self.refresh_people()

    def on_server_status(self, message: ServerStatus) -> None:
        self.show_join_url()
