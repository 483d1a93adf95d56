"""Decidim accountability results, parsed back the way its ResultsCsvImporter reads them."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.export_samples import SAMPLES
from workshop_tui.export_decidim import PROGRESS, columns, progress, render_decidim
from workshop_tui.importer import read_export
from workshop_tui.models import BacklogItem, BacklogStatus, StatusChange

S = BacklogStatus


def decidim_rows(text: str, locale: str = "en") -> list[dict[str, str]]:
    """As Ruby's ``CSV.new(file, headers: true, col_sep: ";")`` plus the importer's checks, row by row."""
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=";")
    assert reader.fieldnames == columns(locale)
    parsed = []
    for row in reader:
        assert None not in row and all(v is not None for v in row.values()), "a row with a wrong number of cells"
        assert row["id"] == "" and row["status/id"] == "" and row["parent/id"] == ""
        assert row[f"title/{locale}"].strip(), "an empty title rolls the whole import back"
        assert "\n" not in row[f"title/{locale}"]
        start = dt.date.fromisoformat(row["start_date"])  # Date.parse accepts ISO dates
        if row["end_date"]:
            assert dt.date.fromisoformat(row["end_date"]) >= start
        assert re.fullmatch(r"\d{1,3}", row["progress"]) and 0 <= int(row["progress"]) <= 100
        assert row["weight"] == "1" and row["external_id"]
        parsed.append(row)
    return parsed


def test_demo_results_are_valid_rows() -> None:
    doc = read_export(SAMPLES / "MAKE.json")
    text = render_decidim(doc)
    assert not text.startswith("\ufeff") and text.endswith("\r\n")
    parsed = decidim_rows(text)
    assert sorted(r["external_id"] for r in parsed) == sorted(b.id for b in doc.backlog)
    by_id = {b.id: b for b in doc.backlog}
    for row in parsed:
        item = by_id[row["external_id"]]
        assert row["title/en"] == item.title
        assert row["start_date"] == item.created_at.date().isoformat()
        assert int(row["progress"]) == progress(item)
        assert "<script" not in row["description/en"]
    early = {b.id for b in doc.backlog if b.next_review and b.next_review < b.created_at.date()}
    overdue = [r for r in parsed if r["external_id"] in early]
    assert overdue and all(r["end_date"] == "" for r in overdue)  # an end before the start would be invalid


def test_locale_names_the_columns(tmp_path: Path) -> None:
    doc = read_export(SAMPLES / "MAKE.json")
    assert decidim_rows(render_decidim(doc, locale="ca"), "ca")
    with pytest.raises(ValueError):
        render_decidim(doc, locale="en;x")
    out = subprocess.run(
        [sys.executable, "-m", "workshop_tui", "--data-dir", str(tmp_path), "export", "X", "--format", "decidim",
         "--locale", "no good"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert out.returncode == 2 and "--locale" in out.stderr


def item(status: BacklogStatus, *path: BacklogStatus) -> BacklogItem:
    history = [StatusChange(to=S.PROPOSED)]
    previous = S.PROPOSED
    for step in path:
        history.append(StatusChange(**{"from": previous}, to=step))
        previous = step
    return BacklogItem(id="x", workshop="w", title="t", status=status, history=history)


def test_progress_from_status() -> None:
    assert PROGRESS == {S.PROPOSED: 0, S.APPROVED: 20, S.PROTOTYPING: 50, S.TESTING: 75, S.ADOPTED: 100}
    assert progress(item(S.TESTING, S.APPROVED, S.PROTOTYPING, S.TESTING)) == 75
    assert progress(item(S.PARKED, S.APPROVED, S.PROTOTYPING, S.PARKED)) == 50  # keeps what it had reached
    assert progress(item(S.DROPPED, S.APPROVED, S.PARKED, S.DROPPED)) == 20
    assert progress(item(S.DROPPED, S.DROPPED)) == 0
    assert progress(BacklogItem(id="x", workshop="w", title="t", status=S.PARKED)) == 0  # no history at all


def test_html_in_descriptions_is_escaped() -> None:
    doc = read_export(SAMPLES / "MAKE.json")
    evil = doc.backlog[0].model_copy(update={"problem": "<script>alert(1)</script>\nsecond line", "title": " a\nb "})
    text = render_decidim(doc.model_copy(update={"backlog": [evil]}))
    (row,) = decidim_rows(text)
    assert row["description/en"].startswith("<p>&lt;script&gt;alert(1)&lt;/script&gt;</p><p>second line</p>")
    assert row["title/en"] == "a b"
