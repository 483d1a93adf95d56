"""The exporter registry: one entry per export format, read by the CLI, the TUI's export dialog, the
admin API and the tests. A new format is one :class:`Exporter` in :data:`EXPORTERS` (and its render
module); nothing else lists formats.

This module is imported when the CLI builds its parser, so it stays light: each renderer imports
its format's module only when it runs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from workshop_tui.locales import parse_locales

if TYPE_CHECKING:
    from workshop_tui.export_json import ExportDocument
    from workshop_tui.service.view import WorkshopView

#: The options a format may accept. Each is a CLI flag (``--by-department``), a dialog control and
#: an API query parameter (``by_department``); a format that does not accept one refuses it.
OptionName = Literal["anonymize", "by_department", "locale", "separator"]
OPTION_FLAGS: dict[OptionName, str] = {
    "anonymize": "--anonymize",
    "by_department": "--by-department",
    "locale": "--locale",
    "separator": "--separator",
}
#: The column separators a Decidim file may use (``Decidim.default_csv_col_sep``, ``;`` by default).
SEPARATORS = (";", ",", "\t", "|")


@dataclass(frozen=True)
class ExportOptions:
    anonymize: bool = False
    by_department: bool = False
    #: One locale or a list, the default first (``en,fi,sv``); None: the workshop's language.
    locale: str | None = None
    #: None: the format's default (``;`` for Decidim).
    separator: str | None = None

    def __post_init__(self) -> None:
        if self.locale is not None:
            parse_locales(self.locale)  # raises ValueError naming the bad code
        if self.separator is not None and self.separator not in SEPARATORS:
            raise ValueError(f"{self.separator!r} is not a separator: use ; , | or a tab")

    def given(self) -> set[OptionName]:
        """The options that differ from their defaults (those a format must accept)."""
        default = ExportOptions()
        return {name for name in OPTION_FLAGS if getattr(self, name) != getattr(default, name)}


Files = dict[str, bytes]


@dataclass(frozen=True)
class Exporter:
    name: str
    label: str
    #: Of the file, or of a multi-file format's main file (as one stream, a multi-file export is a zip).
    media_type: str
    #: The file or, for a multi-file format, the folder an export gets when only a folder is chosen.
    destination: Callable[[str, ExportOptions], str]
    #: File name -> contents; several files are written into a folder.
    render: Callable[[ExportDocument, ExportOptions], Files]
    options: frozenset[OptionName] = field(default_factory=lambda: frozenset({"anonymize"}))
    #: For a multi-file format: the file printed when the output is a stream (stdout).
    main_file: str | None = None
    help: str = ""

    @property
    def multi_file(self) -> bool:
        return self.main_file is not None

    def check(self, options: ExportOptions, *, cli: bool = True) -> None:
        """Raise ``ValueError`` naming the first option this format does not accept (as a CLI flag,
        or as the API's query parameter)."""
        refused = sorted(options.given() - self.options)
        if not refused:
            return
        name = refused[0]
        takers = " or ".join(e.name for e in EXPORTERS.values() if name in e.options)
        if cli:
            raise ValueError(f"{OPTION_FLAGS[name]} goes with --format {takers}")
        raise ValueError(f"{name} goes with format {takers}")


# ---------------------------------------------------------------------------------- the renderers


def _json(doc: ExportDocument, options: ExportOptions) -> Files:
    from workshop_tui.export_json import dump_json

    return {f"{doc.workshop.code}.json": dump_json(doc)}


def _csv(doc: ExportDocument, options: ExportOptions) -> Files:
    from workshop_tui.export_csv import csv_tables

    return {name: text.encode() for name, text in csv_tables(doc, anonymized=options.anonymize).items()}


def _md_name(code: str, options: ExportOptions) -> str:
    return f"{code}-departments.md" if options.by_department else f"{code}-report.md"


def _md(doc: ExportDocument, options: ExportOptions) -> Files:
    from workshop_tui.export_markdown import render_by_department, render_markdown

    text = render_by_department(doc) if options.by_department else render_markdown(doc)
    return {_md_name(doc.workshop.code, options): text.encode()}


def _decidim_exporter(kind: Literal["results", "proposals"], name: str, label: str, help: str) -> Exporter:
    """A Decidim CSV format: one file, in the locales and column separator asked for."""

    def destination(code: str, _options: ExportOptions) -> str:
        return f"{code}-decidim-{kind}.csv"

    def render(doc: ExportDocument, options: ExportOptions) -> Files:
        from workshop_tui.export_decidim import SEPARATOR, render_decidim
        from workshop_tui.export_decidim_proposals import render_proposals

        to_csv = render_decidim if kind == "results" else render_proposals
        text = to_csv(doc, locale=options.locale, separator=options.separator or SEPARATOR)
        return {destination(doc.workshop.code, options): text.encode()}

    return Exporter(
        name=name,
        label=label,
        media_type="text/csv; charset=utf-8",
        destination=destination,
        render=render,
        options=frozenset({"anonymize", "locale", "separator"}),
        help=help,
    )


def _datapackage(doc: ExportDocument, options: ExportOptions) -> Files:
    from workshop_tui.export_datapackage import render_datapackage

    return render_datapackage(doc)


_EXPORTERS = [
    Exporter(
        name="json",
        label="JSON (the whole workshop, for other tools)",
        media_type="application/json",
        destination=lambda code, _: f"{code}.json",
        render=_json,
        help="the v1 document, valid against `workshop-tui schema`; `import` reads it back",
    ),
    Exporter(
        name="csv",
        label="CSV tables (a folder, one file per table)",
        media_type="text/csv; charset=utf-8",
        destination=lambda code, _: f"{code}-csv",
        render=_csv,
        main_file="ideas.csv",
        help="ideas, themes, participants, votes, teams and backlog tables (stdout: ideas.csv)",
    ),
    Exporter(
        name="md",
        label="Markdown report (city website)",
        media_type="text/markdown; charset=utf-8",
        destination=_md_name,
        render=_md,
        options=frozenset({"anonymize", "by_department"}),
        help="the public report for the city website (with --by-department: the per-department digest)",
    ),
    _decidim_exporter(
        "results",
        "decidim",
        "Decidim accountability results (CSV)",
        "one result per backlog item, for Decidim's admin 'Import results' (linked ones update their result)",
    ),
    _decidim_exporter(
        "proposals",
        "decidim-proposals",
        "Decidim proposals (CSV, the ideas on the wall)",
        "one proposal per idea on the wall, for the proposals component's 'Import proposals from a file'",
    ),
    Exporter(
        name="datapackage",
        label="Open data (Frictionless Data Package, a folder)",
        media_type="application/json",
        destination=lambda code, _: f"{code}-datapackage",
        render=_datapackage,
        options=frozenset({"anonymize"}),  # it always is: asking for it is fine
        main_file="datapackage.json",
        help="the CSV tables with a datapackage.json for CKAN and DCAT portals, always anonymised (stdout: the "
        "descriptor)",
    ),
]
EXPORTERS: dict[str, Exporter] = {e.name: e for e in _EXPORTERS}


def exporter(name: str) -> Exporter:
    try:
        return EXPORTERS[name]
    except KeyError:
        raise ValueError(f"unknown export format {name!r} (choose from {', '.join(EXPORTERS)})") from None


# ---------------------------------------------------------------------------------- running one


def prepare(view: WorkshopView, *, anonymized: bool = False) -> ExportDocument:
    from workshop_tui.anonymize import anonymize
    from workshop_tui.export_json import build_export

    doc = build_export(view)
    return anonymize(doc) if anonymized else doc


def export_files(view: WorkshopView, fmt: str, options: ExportOptions | None = None) -> Files:
    """The files of one export of a workshop: checks the options, anonymizes if asked, renders."""
    from workshop_tui.store.snapshot_file import gc_paused

    chosen = exporter(fmt)
    opts = options or ExportOptions()
    chosen.check(opts)
    # Tens of thousands of short-lived objects: collections in between would scan the whole
    # workshop again and again (measured: two thirds of a big export), while refcounting frees them.
    with gc_paused():
        return chosen.render(prepare(view, anonymized=opts.anonymize), opts)


def bundle(files: Files, exp: Exporter, code: str, options: ExportOptions) -> tuple[bytes, str, str]:
    """One export as one stream (an HTTP response): (bytes, media type, file name). A multi-file
    format is a zip of its files, with fixed times so the same export is the same bytes."""
    import io
    import zipfile

    if not exp.multi_file:
        ((name, data),) = files.items()
        return data, exp.media_type, name
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in sorted(files.items()):
            archive.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)
    return buf.getvalue(), "application/zip", f"{exp.destination(code, options)}.zip"


def write_files(files: Files, exp: Exporter, destination: Path) -> Path:
    """Write atomically; a multi-file export goes into the directory ``destination`` (created), its files
    replaced together (a failure midway changes none of them), the others to the file ``destination`` (its
    folder is created). Returns what was written. Raises ``OSError``."""
    from workshop_tui.store.fsync import replace_all, write_atomic

    if exp.multi_file:
        if destination.exists() and not destination.is_dir():
            raise NotADirectoryError(20, f"{exp.name} needs a directory (one file per table)", str(destination))
        destination.mkdir(parents=True, exist_ok=True)
        replace_all({destination / name: data for name, data in files.items()})  # all the tables or none
        return destination
    ((_, data),) = files.items()
    if destination.is_dir():
        raise IsADirectoryError(21, "is a directory; give a file name", str(destination))
    destination.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(destination, data)
    return destination
