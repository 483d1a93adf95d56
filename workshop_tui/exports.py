"""One place that turns a workshop into export files, for the CLI and the TUI's export dialog.

Formats: ``json`` (the v1 document), ``csv`` (a directory with one file per table), ``md`` (the
report for the city website, or with ``by_department`` the per-department digest) and ``decidim``
(Decidim accountability results).
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal, get_args

from workshop_tui.anonymize import anonymize
from workshop_tui.export_csv import csv_tables
from workshop_tui.export_decidim import render_decidim
from workshop_tui.export_json import ExportDocument, build_export, dump_json
from workshop_tui.export_markdown import render_by_department, render_markdown
from workshop_tui.state import WorkshopState
from workshop_tui.store.fsync import write_atomic

ExportFormat = Literal["json", "csv", "md", "decidim"]
FORMATS: tuple[ExportFormat, ...] = get_args(ExportFormat)


def prepare(state: WorkshopState, *, anonymized: bool = False) -> ExportDocument:
    doc = build_export(state)
    return anonymize(doc) if anonymized else doc


def render(
    doc: ExportDocument,
    fmt: ExportFormat,
    *,
    anonymized: bool = False,
    by_department: bool = False,
    locale: str = "en",
) -> dict[str, bytes]:
    """File name -> contents. Every format but ``csv`` is one file."""
    code = doc.workshop.code
    if fmt == "json":
        return {f"{code}.json": dump_json(doc)}
    if fmt == "csv":
        return {name: text.encode() for name, text in csv_tables(doc, anonymized=anonymized).items()}
    if fmt == "md":
        if by_department:
            return {f"{code}-departments.md": render_by_department(doc).encode()}
        return {f"{code}-report.md": render_markdown(doc).encode()}
    if fmt == "decidim":
        return {f"{code}-decidim-results.csv": render_decidim(doc, locale=locale).encode()}
    raise ValueError(f"unknown export format {fmt!r}")


def default_name(code: str, fmt: ExportFormat, *, by_department: bool = False) -> str:
    """The file (or, for csv, directory) name an export gets when only a folder is chosen."""
    return {
        "json": f"{code}.json",
        "csv": f"{code}-csv",
        "md": f"{code}-departments.md" if by_department else f"{code}-report.md",
        "decidim": f"{code}-decidim-results.csv",
    }[fmt]


def write_files(files: dict[str, bytes], fmt: ExportFormat, destination: Path) -> Path:
    """Write atomically; ``csv`` goes into the directory ``destination`` (created), the others to the
    file ``destination`` (its folder is created). Returns what was written. Raises ``OSError``."""
    if fmt == "csv":
        destination.mkdir(parents=True, exist_ok=True)
        for name, data in files.items():
            write_atomic(destination / name, data)
        return destination
    ((_, data),) = files.items()
    if destination.is_dir():
        raise IsADirectoryError(21, "is a directory; give a file name", str(destination))
    destination.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(destination, data)
    return destination
