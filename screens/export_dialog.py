"""The export dialog: format, destination, anonymize; writes the file(s) and returns the path written.

The app pushes it with ``push_screen(ExportDialog(service, code), callback)`` and, when the result is
a path, says so with ``notify(f"Wrote {path}", markup=False)``. "Board snapshot" closes the dialog
and saves the app's SVG screenshot of the board next to the report.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static, Switch

from workshop_tui.errors import WorkshopError
from workshop_tui.exports import EXPORTERS, Exporter, ExportOptions, export_files, write_files
from workshop_tui.service import WorkshopService
from workshop_tui.text_safety import terminal_safe

SEPARATOR_CHOICES = [("; (Decidim's default)", ";"), (", comma", ","), ("| bar", "|"), ("tab", "\t")]


class ExportDialog(ModalScreen[Path | None]):
    CSS_PATH = "export_dialog.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]
    # A projector at 80x24: no spare lines around the rows, so the buttons stay on the screen.
    VERTICAL_BREAKPOINTS = [(0, "-short"), (34, "-tall")]  # noqa: RUF012 (declared by Screen)

    def __init__(self, service: WorkshopService, code: str, *, directory: Path | None = None) -> None:
        super().__init__()
        self.service = service
        self.code = service.view(code).code
        self.directory = directory or service.data_dir / "exports"
        self.language = service.view(code).workshop.language  # Decidim's default locale
        self._last_default = ""

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label("Export the workshop", id="heading")
            yield Select([(e.label, e.name) for e in EXPORTERS.values()], value="md", allow_blank=False, id="format")
            yield Label("Save to")
            yield Input(id="destination")
            with Horizontal(classes="switch-row option", id="anonymize-row"):
                yield Switch(value=False, id="anonymize")
                yield Label("Anonymize (pseudonyms instead of names)")
            with Horizontal(classes="switch-row option", id="by_department"):
                yield Switch(value=False, id="by-department")
                yield Label("Per-department digest")
            with Horizontal(classes="switch-row option", id="locale"):
                yield Label("Locales")
                yield Input(
                    placeholder=f"{self.language} (Decidim's default first: {self.language},fi,sv)",
                    id="locale-code",
                    max_length=200,
                )
            with Horizontal(classes="switch-row option", id="separator"):
                yield Label("Separator")
                yield Select(SEPARATOR_CHOICES, value=";", allow_blank=False, id="separator-char")
            yield Static("", id="error", markup=False)
            with Horizontal(id="buttons"):
                yield Button("Export", variant="primary", id="export")
                yield Button("Board snapshot", id="snapshot")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self._refresh_default()

    # ------------------------------------------------------------------ state of the form

    @property
    def exporter(self) -> Exporter:
        value = self.query_one("#format", Select).value
        return EXPORTERS[value] if isinstance(value, str) and value in EXPORTERS else EXPORTERS["md"]

    def options(self) -> ExportOptions:
        """What the form says, for the chosen format (hidden controls do not count). Raises ValueError."""
        accepts = self.exporter.options
        locale = self.query_one("#locale-code", Input).value.strip()
        separator = self.query_one("#separator-char", Select).value
        return ExportOptions(
            anonymize="anonymize" in accepts and self.query_one("#anonymize", Switch).value,
            by_department="by_department" in accepts and self.query_one("#by-department", Switch).value,
            locale=locale if "locale" in accepts and locale else None,
            separator=separator if "separator" in accepts and isinstance(separator, str) else None,
        )

    def _default_destination(self) -> str:
        try:
            options = self.options()
        except ValueError:
            options = ExportOptions()
        return str(self.directory / self.exporter.destination(self.code, options))

    def _refresh_default(self) -> None:
        """Follow the format with the default path, unless the facilitator typed their own; show only
        the options the format accepts."""
        destination = self.query_one("#destination", Input)
        if not destination.value or destination.value == self._last_default:
            self._last_default = self._default_destination()
            destination.value = self._last_default
        accepts = self.exporter.options
        self.query_one("#anonymize-row").display = "anonymize" in accepts
        self.query_one("#by_department").display = "by_department" in accepts
        self.query_one("#locale").display = "locale" in accepts
        self.query_one("#separator").display = "separator" in accepts

    @on(Select.Changed, "#format")
    @on(Switch.Changed, "#by-department")
    def _changed(self) -> None:
        self._refresh_default()
        self.show_error("")

    def show_error(self, message: str) -> None:
        self.query_one("#error", Static).update(Text(terminal_safe(message)))

    # ------------------------------------------------------------------ actions

    def export(self) -> Path | None:
        """Write the export; on failure show the reason in the dialog and return None."""
        raw = self.query_one("#destination", Input).value.strip()
        if not raw:
            self.show_error("Choose where to save the export.")
            return None
        destination = Path(raw).expanduser()
        try:
            options = self.options()
        except ValueError as exc:
            self.show_error(f"Locale {exc}")
            return None
        try:
            files = export_files(self.service.view(self.code), self.exporter.name, options)
            return write_files(files, self.exporter, destination)
        except OSError as exc:
            self.show_error(f"Cannot write {exc.filename or destination}: {exc.strerror or exc}")
        except WorkshopError as exc:
            self.show_error(exc.message)
        return None

    def snapshot_path(self) -> Path | None:
        raw = self.query_one("#destination", Input).value.strip()
        if not raw:
            self.show_error("Choose where to save the export.")
            return None
        target = Path(raw).expanduser()
        svg = target / "board.svg" if self.exporter.multi_file else target.with_name(f"{target.stem}-board.svg")
        try:
            svg.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            self.show_error(f"Cannot write {exc.filename or svg.parent}: {exc.strerror or exc}")
            return None
        return svg

    @on(Button.Pressed, "#export")
    def _export_pressed(self) -> None:
        written = self.export()
        if written is not None:
            self.dismiss(written)

    @on(Button.Pressed, "#snapshot")
    def _snapshot_pressed(self) -> None:
        svg = self.snapshot_path()
        if svg is None:
            return
        app = self.app
        self.dismiss(svg)
        # Once the dialog is gone, the board is the screen: take its picture after the next repaint.
        app.call_after_refresh(app.save_screenshot, filename=svg.name, path=str(svg.parent))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
