"""The facilitator's App: it composes the pieces and owns the screen stack; each piece is its own module.

- The launcher (``workshop_tui.commands.tui`` via ``screens.launcher``) opens the service and builds the
  participant server; the app starts it (``screens.phone_server``: a busy port is a dialog) and closes
  both on the way out (final snapshot).
- Events: the ``EventBridge`` posts coalesced ``DomainEvents`` batches to the app; the app forwards a
  fresh copy to every screen in the stack (``screens.navigation``) and shows the phase's screen on
  ``PhaseChanged``.
- Phase control (``screens.phase_control``), the timer keys (``screens.timer_keys``), help, info and quit
  (``screens.quitting``) are app actions: in the Footer, in the palette (``screens.palette``), hidden by
  ``check_action`` when the phase or the screen does not allow them (``screens.allowed_now``).
- ctrl+q asks while a session is live; SIGTERM (``screens.sigterm``) shuts down the same way without asking.
- Screens reach the app only through messages (``HomeScreen.OpenWorkshop``) and the ``SessionHost``
  protocol (``screens.host``), never by importing this module.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Awaitable, Callable, Iterable
from functools import partial
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.command import CommandPalette
from textual.notifications import SeverityLevel
from textual.screen import Screen

from screens import timer_keys
from screens.allowed_now import action_allowed
from screens.app_logging import LogPanelHandler, TuiLogging
from screens.events import DomainEvents, EventBridge
from screens.home import HomeScreen
from screens.navigation import (
    BACKLOG_SCREEN,
    EXPORT_SCREEN,
    PHASE_SCREENS,
    LazyScreen,
    ServerStatus,
    forward_events,
    screen_for,
)
from screens.palette import PaletteCommand, WorkshopCommands, palette_commands
from screens.phase_control import advance_target, phase_question, step_back_target
from screens.phone_server import PhoneServer
from screens.quitting import live_workshops, quit_question
from screens.sigterm import SigtermHandler
from screens.theme import PROJECTOR, PROJECTOR_NAME, OtherThemes
from workshop_tui.errors import StoreFailed, WorkshopError
from workshop_tui.events import PhaseChanged, VotingChanged
from workshop_tui.phases import Phase
from workshop_tui.service import WorkshopService
from workshop_tui.service.view import WorkshopView
from workshop_tui.text_safety import terminal_safe

if TYPE_CHECKING:
    from workshop_tui.server.runner import ParticipantServer

log = logging.getLogger(__name__)

SETTLE_SECONDS = 5.0  # the longest quitting waits for a screen swap in progress
STORE_FAILED_BANNER_SECONDS = 7 * 24 * 3600.0  # stays up: the failure does not go away by itself


#: The app's styles, by absolute path (a subclass elsewhere reads the same). The home list is the default
#: screen, whose own CSS_PATH Textual never reads (only a pushed screen's): the app loads it.
APP_CSS: list[str | PurePath] = [Path(__file__).with_name(name) for name in ("app.tcss", "home.tcss")]


def first_screen_css(service: WorkshopService, code: str) -> list[Path]:
    """The styles of the screen ``run CODE`` opens on, to read with the app's at start: a screen's CSS read
    when it is pushed makes Textual parse every stylesheet again (each widget's default CSS included) and
    restyle every widget, before that screen's first frame."""
    try:
        phase = service.view(code).phase
    except WorkshopError:
        return []  # it does not open: the list shows, with a notice
    factory = PHASE_SCREENS[phase]
    if not isinstance(factory, LazyScreen):
        return []
    screen = factory.load()
    css = screen.CSS_PATH
    if not isinstance(css, str | PurePath):
        return []
    return [Path(inspect.getfile(screen)).with_name(str(css))] if css else []


class WorkshopApp(App[None]):
    CSS_PATH = APP_CSS
    TITLE = "workshop-tui"
    COMMANDS = App.COMMANDS | {WorkshopCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", priority=True),
        Binding("ctrl+right", "advance_phase", "Next phase"),
        Binding("right_square_bracket", "advance_phase", "Next phase", show=False),
        Binding("ctrl+left", "step_back_phase", "Step back"),
        Binding("left_square_bracket", "step_back_phase", "Step back", show=False),
        Binding("space", "timer_toggle", "Timer"),
        Binding("ctrl+t", "timer_toggle", "Timer", show=False),  # where space is taken (the wall marks notes)
        Binding("plus", "timer_add_minute", "+1 min"),
        Binding("equals_sign", "timer_add_minute", "+1 min", show=False),
        Binding("ctrl+r", "timer_reset", "Reset timer", show=False),
        Binding("f1", "help", "Help"),
        Binding("question_mark", "help", "Help", show=False),
        Binding("f2", "info", "Info"),
        Binding("ctrl+e", "export", "Export", show=False),
        Binding("escape", "home", "Workshops", show=False),
    ]

    def __init__(
        self,
        service: WorkshopService,
        server: ParticipantServer | None = None,
        *,
        code: str | None = None,
    ) -> None:
        """``server`` is built by the launcher (not started); None runs without phones."""
        super().__init__()
        if code is not None:
            self.css_path = [*self.css_path, *first_screen_css(service, code)]
        self.service = service
        self.phones = PhoneServer(server, service.data_dir, self, self._server_changed)
        self.code: str | None = None  # the open workshop
        self._initial_code = code
        self.bridge = EventBridge()
        self.logs = TuiLogging(service.data_dir)
        self.sigterm = SigtermHandler(self._on_sigterm)
        self._quit_asked = False
        self._closed = False
        self._phase_to_show: Phase | None = None  # the latest phase change a screen swap has not shown yet
        self._swapping = False
        self._shown: tuple[Screen[Any], Phase] | None = None  # the session screen a swap put up, and its phase
        self._quitting = False  # settle_screens: no screen swap from now on
        self._settled = asyncio.Event()  # no screen swap in progress (quitting waits for one)
        self._settled.set()
        self._serve_after_frame = False  # the server starts once the first session screen is drawn
        self.register_theme(PROJECTOR)
        self.theme = PROJECTOR_NAME

    # ------------------------------------------------------------------ what screens read (SessionHost)

    @property
    def server(self) -> ParticipantServer | None:
        return self.phones.server

    @property
    def token_file(self) -> Path | None:
        return self.phones.token_file

    @property
    def log_panel(self) -> LogPanelHandler | None:
        return self.logs.panel

    @property
    def log_file(self) -> Path | None:
        return self.logs.file

    @property
    def server_running(self) -> bool:
        return self.phones.running

    def join_url(self, code: str) -> str | None:
        return self.phones.join_url(code)

    @property
    def open_view(self) -> WorkshopView | None:
        return self.service.view(self.code) if self.code is not None else None

    @property
    def phase(self) -> Phase | None:
        view = self.open_view
        return view.phase if view is not None else None

    def get_default_screen(self) -> Screen[Any]:
        return HomeScreen(self.service, under_a_workshop=self._initial_code is not None)

    # ------------------------------------------------------------------ lifecycle

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Every toast of every screen passes here: a message that quotes untrusted text (an error that
        echoes a name or a file's value) reaches the terminal ``terminal_safe`` and as plain text, whoever
        called. ``markup`` is ignored: a screen's ``notify`` passes Textual's default (True) for every call,
        which would parse a quoted name, and no toast of ours needs markup."""
        super().notify(
            terminal_safe(message, multiline=True),
            title=terminal_safe(title),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    async def on_mount(self) -> None:
        self.logs.install()
        if self.logs.problem:
            self.notify(self.logs.problem, severity="warning", markup=False)
        self.sigterm.install()
        self.bridge.start(self.service.bus.subscribe, self.post_message)
        self.service.on_store_failure.append(self._store_failed)
        for message in self.service.messages:
            log.warning("recovery: %s", message)
        # The first frame first: uvicorn and the routes load once it is drawn. The lobby's QR code needs
        # only the port, bound now (phones that connect meanwhile wait in the socket's backlog).
        if self._initial_code is not None:
            self.phones.bind()
            self._serve_after_frame = True
            self.open_workshop(self._initial_code)
        if self.code is None:  # the list of workshops (or a workshop that did not open)
            self._serve_after_frame = False
            home = self.screen_stack[0]
            if self._initial_code is not None and isinstance(home, HomeScreen):
                self.call_after_refresh(home.show_list)  # it waited for the workshop to go on top
            self.call_after_refresh(self.phones.start)

    async def on_unmount(self) -> None:
        await self.shutdown_session()
        self.logs.remove()

    def _on_sigterm(self) -> None:
        log.info("SIGTERM: shutting down")
        self.call_later(self.shutdown_and_exit)

    async def shutdown_session(self) -> None:
        """Stop the server gracefully and close the service (final snapshot). Safe to call twice."""
        if self._closed:
            return
        self._closed = True
        self.bridge.stop()
        self.sigterm.remove()
        await self.phones.stop()
        try:
            await self.service.close()
        except StoreFailed as exc:  # the CLI exits non-zero once the terminal is back
            log.error("%s", exc.message)
        log.info("session closed")

    def _store_failed(self, code: str, reason: str) -> None:
        """A banner on every screen until the app closes: nothing more is being saved."""
        self.notify(
            f"Workshop {code} is no longer being saved ({terminal_safe(reason)}). Changes are refused and "
            "phones get an error; what was saved before is kept. Quit, check the data directory, and restart.",
            title="NOT SAVING",
            severity="error",
            timeout=STORE_FAILED_BANNER_SECONDS,
            markup=False,
        )

    async def shutdown_and_exit(self) -> None:
        await self.settle_screens()
        await self.shutdown_session()
        self.exit(return_code=0)

    def _server_changed(self) -> None:
        for screen in self.screen_stack:
            if screen.is_mounted:
                screen.post_message(ServerStatus())

    @property
    def _background_screens(self) -> list[Screen[Any]]:
        """The screens seen through the top one (under a dialog's translucent backdrop), bottom first.

        Textual's own list always holds the screen under the top one, even under an opaque screen: the
        home list under a session then counted as on screen, and each message it handled (every event
        batch of a voting storm) repainted it and, through it, the whole session screen, every frame.
        A screen hidden here is laid out and drawn again when it comes back (Textual's resume).
        """
        stack = self._screen_stack
        seen: list[Screen[Any]] = []
        for above, screen in zip(reversed(stack), reversed(stack[:-1]), strict=False):
            if above.styles.background.a >= 1:
                break
            seen.append(screen)
        return seen[::-1]

    # ------------------------------------------------------------------ events

    def on_domain_events(self, message: DomainEvents) -> None:
        # A screen not mounted yet reads fresh state in its on_mount: nothing to forward to it.
        for screen in self.screen_stack:
            if screen.is_mounted:
                forward_events(screen, message.events)
        view = self.open_view
        if view is None:
            return
        mine = message.for_workshop(view.id)
        changes = [e for e in mine if isinstance(e, PhaseChanged)]
        if changes:
            self._show_phase(changes[-1].phase)
        if changes or any(isinstance(e, VotingChanged) for e in mine):
            self.refresh_bindings()  # what the footer and palette offer depends on the phase and the ballot

    # ------------------------------------------------------------------ navigation

    def live_workshops(self) -> list[str]:
        return live_workshops(self.service, self.server_running)

    @property
    def is_live(self) -> bool:
        """A session is live: phones can reach a workshop, open on screen or not (the list does not stop them)."""
        return bool(self.live_workshops())

    def _pop_to(self, depth: int) -> None:
        while len(self.screen_stack) > depth:
            self.pop_screen()

    def open_workshop(self, code: str) -> None:
        try:
            view = self.service.view(code)
            # A workshop opens from its tallies; its notes and dots are validated on first read. Read them
            # here, so a stored one that fails validation is this notice, not a crash in a phase's screen.
            view.ideas, view.votes  # noqa: B018
        except WorkshopError as exc:
            self.notify(terminal_safe(exc.message), title="Cannot open the workshop", severity="error", markup=False)
            return
        self.code = view.code
        log.info("opened workshop %s in the %s phase", view.code, view.phase.value)
        self._pop_to(1)
        self._show_phase(view.phase)  # in turn with any phase change on its way

    def on_home_screen_open_workshop(self, message: HomeScreen.OpenWorkshop) -> None:
        self.open_workshop(message.code)

    def _show_phase(self, phase: Phase) -> None:
        """The open workshop moved to ``phase``: replace the session screen (and anything above it).

        Swaps run one at a time, each once the last new screen has mounted, and the latest phase wins:
        a screen replaced while its children mount runs their handlers after they are gone (a crash when
        a script or a co-facilitator steps through the phases quickly)."""
        if self._quitting:
            return
        if not self._swapping and self._shown is not None:
            screen, shown = self._shown
            if shown is phase and screen in self.screen_stack:
                # Already up: a batch from before the open, or a round trip within one frame. The screen reads
                # the batch itself; a second one would leave whoever holds the first (a test, a worker) stale.
                return
        self._phase_to_show = phase
        if not self._swapping:
            self._swapping = True
            self._settled.clear()
            self.run_worker(self._swap_session_screens(), group="phase-screens")

    async def _swap_session_screens(self) -> None:
        try:
            while (phase := self._phase_to_show) is not None and self.code is not None:
                self._phase_to_show = None
                screen = screen_for(phase, self.service, self.code)
                self._pop_to(2)
                if len(self.screen_stack) == 2:
                    await self.switch_screen(screen)
                else:
                    await self.push_screen(screen)
                self._shown = (screen, phase)
                if self._serve_after_frame:
                    self._serve_after_frame = False
                    self.call_after_refresh(self.phones.start)
        finally:
            self._phase_to_show = None
            self._swapping = False
            self._settled.set()

    async def settle_screens(self) -> None:
        """Before quitting: no more screen swaps (phase changes still on their way are not shown), and wait
        for the one in progress. Textual takes the screens apart at exit, and a screen taken apart while it
        mounts runs its own mount handler after its children are gone (a traceback, not a quit). Bounded:
        a mount that never ends does not keep the app from quitting."""
        self._quitting = True
        self.bridge.stop()
        try:
            await asyncio.wait_for(self._settled.wait(), SETTLE_SECONDS)
        except TimeoutError:
            log.warning("quitting while a screen still mounts")

    def action_home(self) -> None:
        self.code = None
        self._pop_to(1)
        self.refresh_bindings()

    def action_show_phase(self, phase: str) -> None:
        if self.code is not None:
            self._show_phase(Phase(phase))

    # ------------------------------------------------------------------ phase control

    def advance_target(self) -> Phase | None:
        return advance_target(self.phase) if self.phase is not None else None

    def step_back_target(self) -> Phase | None:
        return step_back_target(self.phase) if self.phase is not None else None

    def action_advance_phase(self) -> None:
        self._ask_phase(self.advance_target(), "Next phase")

    def action_step_back_phase(self) -> None:
        self._ask_phase(self.step_back_target(), "Step back")

    def _ask_phase(self, target: Phase | None, verb: str) -> None:
        view = self.open_view
        if target is not None and view is not None:
            self.push_screen(phase_question(view, target, verb), partial(self._move_phase, target))

    async def _move_phase(self, target: Phase, confirmed: bool | None) -> None:
        if not confirmed or self.code is None:
            return
        try:
            await self.service.set_phase(self.code, target)
        except WorkshopError as exc:
            self.notify(terminal_safe(exc.message), title="Phase not changed", severity="error", markup=False)

    async def action_toggle_authors(self) -> None:
        view = self.open_view
        if view is None:
            return
        shown = view.settings.show_authors
        try:
            await self.service.update_workshop(view.code, settings={"show_authors": not shown})
        except WorkshopError as exc:
            self.notify(exc.message, severity="error", markup=False)
            return
        self.notify("Authors' names are hidden from the projector." if shown else "Authors' names are projected.")

    async def action_reveal_results(self) -> None:
        if self.code is None:
            return
        try:
            await self.service.set_voting(self.code, results_revealed=True)
        except WorkshopError as exc:
            self.notify(terminal_safe(exc.message), severity="error", markup=False)

    # ------------------------------------------------------------------ other screens

    def action_new_workshop(self) -> None:
        from screens.new_workshop import NewWorkshopScreen

        def created(code: str | None) -> None:
            if code is not None:
                self.open_workshop(code)

        self.push_screen(NewWorkshopScreen(self.service), created)

    async def action_open_demo(self) -> None:
        from workshop_tui.demo import DEMO_CODE, build_demo

        try:
            self.service.view(DEMO_CODE)
        except WorkshopError:
            self.notify("Adding the demo workshop…")
            try:
                await build_demo(self.service)
            except WorkshopError as exc:
                self.notify(terminal_safe(exc.message), severity="error", markup=False)
                return
        self.open_workshop(DEMO_CODE)

    def action_backlog(self) -> None:
        self.push_screen(BACKLOG_SCREEN(self.service, ""))

    def action_export(self) -> None:
        if self.code is None:
            return
        dialog = EXPORT_SCREEN(self.service, self.code)

        def written(path: Any) -> None:
            if path:
                self.notify(terminal_safe(f"Wrote {path}"), markup=False)

        self.push_screen(dialog, written)

    def action_help(self) -> None:
        from screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_info(self) -> None:
        from screens.info import InfoScreen  # its log panel (RichLog) loads rich.pretty: not for the first frame

        if not isinstance(self.screen, InfoScreen):
            self.push_screen(InfoScreen())

    def search_themes(self) -> None:
        self.push_screen(
            CommandPalette(providers=[OtherThemes], placeholder=f"Theme now: {self.theme}. Search for another…")
        )

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        # Textual's Quit and Keys duplicate ours (ctrl+q asks first; f1 is the app's help).
        for command in super().get_system_commands(screen):
            if command.title in ("Theme", "Maximize", "Minimize"):
                yield command
        yield SystemCommand(
            "Screenshot",
            f"Save an SVG of this screen in {self.screenshot_dir}",
            lambda: self.set_timer(0.1, self.action_screenshot),  # once the palette has closed
        )

    @property
    def screenshot_dir(self) -> Path:
        return self.service.data_dir / "screenshots"

    def action_screenshot(self, filename: str | None = None, path: str | None = None) -> None:
        """Save under the data dir (not ~/Downloads, which a projector laptop may not have)."""
        folder = Path(path) if path else self.screenshot_dir
        try:
            folder.mkdir(parents=True, exist_ok=True)
            saved = self.save_screenshot(filename, str(folder))
        except OSError as exc:
            self.notify(f"cannot save the screenshot in {folder}: {exc}", severity="error", markup=False)
            return
        log.info("screenshot saved to %s", saved)
        self.notify(f"Screenshot saved to {saved}", markup=False)

    # ------------------------------------------------------------------ timer

    async def action_timer_toggle(self) -> None:
        await self._timer(timer_keys.toggle)

    async def action_timer_add_minute(self) -> None:
        await self._timer(timer_keys.add_minute)

    async def action_timer_reset(self) -> None:
        await self._timer(timer_keys.reset)

    async def _timer(self, key: Callable[[WorkshopService, str], Awaitable[None]]) -> None:
        if self.code is None:
            return
        try:
            await key(self.service, self.code)
        except WorkshopError as exc:
            self.notify(exc.message, title="Timer", severity="error", markup=False)

    # ------------------------------------------------------------------ quit

    async def action_quit(self) -> None:
        if self._quit_asked:
            return
        live = self.live_workshops()
        if not live:
            await self.shutdown_and_exit()
            return
        self._quit_asked = True
        self.push_screen(quit_question(live, self.code), self._quit_answer)

    async def _quit_answer(self, confirmed: bool | None) -> None:
        self._quit_asked = False
        if confirmed:
            await self.shutdown_and_exit()

    # ------------------------------------------------------------------ what is allowed now

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.action_allowed(action, parameters, self.screen)

    def action_allowed(self, action: str, parameters: tuple[object, ...], screen: Screen[Any]) -> bool:
        return action_allowed(action, parameters, screen, self.open_view)

    def palette_commands(self) -> list[PaletteCommand]:
        view = self.open_view
        return palette_commands(self.phase, view is not None and view.settings.names_projected)
