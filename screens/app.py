"""The facilitator's App: one ``WorkshopService``, one ``ParticipantServer``, screens per phase.

- The service is opened by the launcher (``workshop_tui.commands.tui``, via ``screens.launcher``) and handed
  over; the app closes it on the way out (final snapshot). The server starts in ``on_mount`` in the app's own loop;
  a busy port opens ``PortBusyScreen`` (another port, any free port, or no phones), never a crash.
- Events: the ``EventBridge`` posts coalesced ``DomainEvents`` batches to the app; the app forwards a
  fresh copy to every screen in the stack (see ``screens.navigation``), and switches to the phase's
  screen on ``PhaseChanged``.
- Phase control, timer, help, info and quit are app actions: in the Footer, in the palette, and hidden
  by ``check_action`` when the phase (or the screen) does not allow them.
- Quit: ctrl+q asks while a session is live (``y`` confirms, escape/``n`` cancels); SIGTERM shuts down
  the same way without asking. Both stop the server gracefully and close the service before exiting.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Awaitable, Callable, Iterable
from functools import partial
from pathlib import Path
from typing import Any, ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen, Screen

from screens import timer_keys
from screens.admin_token import remove_token_file, write_token_file
from screens.app_logging import LogPanelHandler, TuiLogging
from screens.confirm import ConfirmScreen
from screens.events import DomainEvents, EventBridge
from screens.home import HomeScreen
from screens.info import InfoScreen
from screens.navigation import (
    BACKLOG_SCREEN,
    EXPORT_SCREEN,
    PHASE_SCREENS,
    ServerStatus,
    forward_events,
    screen_for,
)
from screens.palette import PaletteCommand, WorkshopCommands
from screens.port_busy import Choice, PortBusyScreen
from screens.session import SessionScreen
from screens.theme import PROJECTOR, PROJECTOR_NAME
from workshop_tui.actions import Action, allowed
from workshop_tui.errors import StoreFailed, WorkshopError
from workshop_tui.events import PhaseChanged, VotingChanged
from workshop_tui.phases import ORDER, PHASE_SPECS, Phase, allowed_targets, next_phase
from workshop_tui.server.runner import ParticipantServer, PortInUse, ServerError
from workshop_tui.service import WorkshopService
from workshop_tui.text_safety import terminal_safe

log = logging.getLogger(__name__)

PHASE_TITLES = {phase: spec.title for phase, spec in PHASE_SPECS.items()}
SESSION_ACTIONS = frozenset(
    {"advance_phase", "step_back_phase", "reveal_results", "export", "home", "show_phase", "toggle_authors"}
)
TIMER_ACTIONS = frozenset({"timer_toggle", "timer_add_minute", "timer_reset"})
STORE_FAILED_BANNER_SECONDS = 7 * 24 * 3600.0  # stays up: the failure does not go away by itself


def step_back_target(phase: Phase) -> Phase | None:
    """The nearest earlier phase the machine allows (vote steps back to group, not straight to ideate)."""
    back = [p for p in allowed_targets(phase) if ORDER.index(p) < ORDER.index(phase)]
    return max(back, key=ORDER.index) if back else None


class WorkshopApp(App[None]):
    CSS_PATH = "app.tcss"
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
        self.service = service
        self.server = server
        self.code: str | None = None  # the open workshop
        self._initial_code = code
        self.bridge = EventBridge()
        self.logs = TuiLogging(service.data_dir)
        self.token_file: Path | None = None
        self._quit_asked = False
        self._closed = False
        self._sigterm_installed = False
        self.register_theme(PROJECTOR)
        self.theme = PROJECTOR_NAME

    @property
    def log_panel(self) -> LogPanelHandler | None:
        return self.logs.panel

    @property
    def log_file(self) -> Path | None:
        return self.logs.file

    def get_default_screen(self) -> Screen[Any]:
        return HomeScreen(self.service)

    # ------------------------------------------------------------------ lifecycle

    async def on_mount(self) -> None:
        self.logs.install()
        if self.logs.problem:
            self.notify(self.logs.problem, severity="warning", markup=False)
        self._install_sigterm()
        self.bridge.start(self.service.bus.subscribe, self.post_message)
        self.service.on_store_failure.append(self._store_failed)
        for message in self.service.messages:
            log.warning("recovery: %s", message)
        await self.start_server()
        if self._initial_code is not None:
            self.open_workshop(self._initial_code)

    async def on_unmount(self) -> None:
        await self.shutdown_session()
        self.logs.remove()

    def _install_sigterm(self) -> None:
        try:
            asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, self._on_sigterm)
        except (NotImplementedError, RuntimeError, ValueError):  # not the main thread, or no signals here
            return
        self._sigterm_installed = True

    def _on_sigterm(self) -> None:
        log.info("SIGTERM: shutting down")
        self.call_later(self.shutdown_and_exit)

    async def shutdown_session(self) -> None:
        """Stop the server gracefully and close the service (final snapshot). Safe to call twice."""
        if self._closed:
            return
        self._closed = True
        self.bridge.stop()
        if self._sigterm_installed:
            with contextlib.suppress(Exception):
                asyncio.get_running_loop().remove_signal_handler(signal.SIGTERM)
            self._sigterm_installed = False
        if self.server is not None and self.server.running:
            try:
                await self.server.stop()
            except Exception:
                log.exception("the participant server did not stop cleanly")
        if self.token_file is not None:
            remove_token_file(self.token_file)
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
        await self.shutdown_session()
        self.exit(return_code=0)

    # ------------------------------------------------------------------ the participant server

    @property
    def server_running(self) -> bool:
        return self.server is not None and self.server.running

    def join_url(self, code: str) -> str | None:
        """The URL phones open for ``code``, or None while no server is listening."""
        return self.server.join_url(code) if self.server is not None and self.server.running else None

    async def start_server(self) -> None:
        server = self.server
        if server is None:
            return
        try:
            await server.start()
        except PortInUse as exc:
            log.warning("%s", exc.message)
            self.push_screen(PortBusyScreen(server.host, server.port, exc.message), self._port_choice)
            return
        except ServerError as exc:
            log.error("%s", exc.message)
            self.notify(exc.message, title="Phones cannot join", severity="error", markup=False, timeout=15)
            return
        try:
            self.token_file = write_token_file(self.service.data_dir, server.admin_token)
        except OSError as exc:
            log.warning("cannot write the admin token file: %s", exc)
        log.info("participant server at %s (admin token in %s)", server.base_url, self.token_file)
        self._server_changed()

    async def _port_choice(self, choice: Choice | None) -> None:
        server = self.server
        if server is None:
            return
        if choice == "next":
            server.port += 1
        elif choice == "free":
            server.port = 0
        else:
            log.warning("continuing without the participant server: phones cannot join")
            self.notify("No participant server: phones cannot join.", severity="warning")
            self._server_changed()
            return
        await self.start_server()

    def _server_changed(self) -> None:
        for screen in self.screen_stack:
            if screen.is_mounted:
                screen.post_message(ServerStatus())

    # ------------------------------------------------------------------ events

    def on_domain_events(self, message: DomainEvents) -> None:
        # A screen not mounted yet reads fresh state in its on_mount: nothing to forward to it.
        for screen in self.screen_stack:
            if screen.is_mounted:
                forward_events(screen, message.events)
        if self.code is None:
            return
        state = self.service.state(self.code)
        mine = message.for_workshop(state.id)
        changes = [e for e in mine if isinstance(e, PhaseChanged)]
        if changes:
            self._show_phase(changes[-1].phase)
        if changes or any(isinstance(e, VotingChanged) for e in mine):
            self.refresh_bindings()  # what the footer and palette offer depends on the phase and the ballot

    # ------------------------------------------------------------------ navigation

    @property
    def phase(self) -> Phase | None:
        return self.service.state(self.code).workshop.phase if self.code is not None else None

    def live_workshops(self) -> list[str]:
        """Codes of the workshops phones can reach now: the server listens and they are not closed."""
        if not self.server_running:
            return []
        return [w.code for w in self.service.workshops() if w.phase != Phase.CLOSED]

    @property
    def is_live(self) -> bool:
        """A session is live: phones can reach a workshop, open on screen or not (the list does not stop them)."""
        return bool(self.live_workshops())

    def _pop_to(self, depth: int) -> None:
        while len(self.screen_stack) > depth:
            self.pop_screen()

    def open_workshop(self, code: str) -> None:
        try:
            state = self.service.state(code)
            screen = screen_for(state.workshop.phase, self.service, state.code)
        except WorkshopError as exc:
            self.notify(terminal_safe(exc.message), title="Cannot open the workshop", severity="error", markup=False)
            return
        self.code = state.code
        log.info("opened workshop %s in the %s phase", state.code, state.workshop.phase.value)
        self._pop_to(1)
        self.push_screen(screen)

    def on_home_screen_open_workshop(self, message: HomeScreen.OpenWorkshop) -> None:
        self.open_workshop(message.code)

    def _show_phase(self, phase: Phase) -> None:
        """The open workshop moved to ``phase``: replace the session screen (and anything above it)."""
        assert self.code is not None
        screen = screen_for(phase, self.service, self.code)
        self._pop_to(2)
        if len(self.screen_stack) == 2:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    def action_home(self) -> None:
        self.code = None
        self._pop_to(1)
        self.refresh_bindings()

    def action_show_phase(self, phase: str) -> None:
        if self.code is not None:
            self._show_phase(Phase(phase))

    # ------------------------------------------------------------------ phase control

    def advance_target(self) -> Phase | None:
        return next_phase(self.phase) if self.phase is not None else None

    def step_back_target(self) -> Phase | None:
        return step_back_target(self.phase) if self.phase is not None else None

    def action_advance_phase(self) -> None:
        self._ask_phase(self.advance_target(), "Next phase")

    def action_step_back_phase(self) -> None:
        self._ask_phase(self.step_back_target(), "Step back")

    def _ask_phase(self, target: Phase | None, verb: str) -> None:
        if target is None or self.code is None:
            return
        current = self.service.state(self.code).workshop
        question = f"{verb}: move {current.code} from {current.phase.value} to {target.value}?"
        detail = f"Phones follow at once. The screen becomes the {PHASE_TITLES[target]}."
        self.push_screen(ConfirmScreen(question, detail), partial(self._move_phase, target))

    async def _move_phase(self, target: Phase, confirmed: bool | None) -> None:
        if not confirmed or self.code is None:
            return
        try:
            await self.service.set_phase(self.code, target)
        except WorkshopError as exc:
            self.notify(terminal_safe(exc.message), title="Phase not changed", severity="error", markup=False)

    async def action_toggle_authors(self) -> None:
        if self.code is None:
            return
        shown = self.service.state(self.code).workshop.settings.show_authors
        try:
            await self.service.update_workshop(self.code, settings={"show_authors": not shown})
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
            self.service.state(DEMO_CODE)
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

    def action_info(self) -> None:
        if not isinstance(self.screen, InfoScreen):
            self.push_screen(InfoScreen())

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
        if not self.is_live:
            await self.shutdown_and_exit()
            return
        self._quit_asked = True
        question = "Quit workshop-tui?"
        live = self.live_workshops()
        which = self.code if self.code in live else ", ".join(live[:3]) + ("…" if len(live) > 3 else "")
        detail = f"Phones in {which} lose the connection: the server stops. Everything is saved."
        self.push_screen(ConfirmScreen(question, detail, yes="Quit (y)", no="Stay (n)"), self._quit_answer)

    async def _quit_answer(self, confirmed: bool | None) -> None:
        self._quit_asked = False
        if confirmed:
            await self.shutdown_and_exit()

    # ------------------------------------------------------------------ what is allowed now

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.action_allowed(action, parameters, self.screen)

    def action_allowed(self, action: str, parameters: tuple[object, ...], screen: Screen[Any]) -> bool:
        """Whether ``action`` makes sense on ``screen`` now (the palette asks about the screen beneath it)."""
        modal = isinstance(screen, ModalScreen)
        if (action in SESSION_ACTIONS or action in TIMER_ACTIONS) and (modal or self.code is None):
            return False
        if action == "advance_phase":
            return self.advance_target() is not None
        if action == "step_back_phase":
            return self.step_back_target() is not None
        if action == "show_phase":
            return bool(parameters) and Phase(str(parameters[0])) in PHASE_SCREENS
        if action == "reveal_results":
            w = self.service.state(self.code).workshop if self.code else None
            return w is not None and allowed(Action.REVEAL_RESULTS, w.phase) and not w.results_revealed
        if action in TIMER_ACTIONS:
            phase = self.phase
            return isinstance(screen, SessionScreen) and phase is not None and allowed(Action.TIMER, phase)
        return not (modal and action in ("new_workshop", "open_demo", "backlog"))

    def palette_commands(self) -> list[PaletteCommand]:
        advance, back = self.advance_target(), self.step_back_target()
        commands = [
            PaletteCommand(
                f"Next phase: {advance.value if advance else '-'}", "Advance the open workshop", "advance_phase"
            ),
            PaletteCommand(f"Step back: {back.value if back else '-'}", "Reopen the previous phase", "step_back_phase"),
        ]
        for phase in PHASE_SCREENS:
            commands.append(
                PaletteCommand(
                    f"Show the {PHASE_TITLES[phase]}", "Without changing the phase", f"show_phase('{phase}')"
                )
            )
        commands += [
            PaletteCommand("Timer: start or pause", "The phase timer, on the phones too (space)", "timer_toggle"),
            PaletteCommand("Timer: add a minute", "(+)", "timer_add_minute"),
            PaletteCommand("Timer: stop", "Back to the phase's timebox (ctrl+r)", "timer_reset"),
            PaletteCommand("Reveal the vote results", "Show the ranking to the room", "reveal_results"),
            PaletteCommand(
                "Authors' names on the projector: show or hide", "Off unless you turn it on", "toggle_authors"
            ),
            PaletteCommand("Export this workshop", "JSON, CSV or Markdown", "export"),
            PaletteCommand("Backlog of prototypes", "Every workshop's backlog", "backlog"),
            PaletteCommand("New workshop", "From a template", "new_workshop"),
            PaletteCommand("Open the demo workshop", "Adds it first if needed", "open_demo"),
            PaletteCommand("Workshops", "Back to the list (escape)", "home"),
            PaletteCommand("Help: every key", "(f1)", "help"),
            PaletteCommand("Session info", "Server address, admin token, data directory, log (f2)", "info"),
            PaletteCommand("Quit", "Stops the server, saves everything (ctrl+q)", "quit"),
        ]
        return commands
