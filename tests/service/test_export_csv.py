"""CSV tables: parsed back with the csv module, RFC 4180 quoting, money as decimal strings."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

from tests.conftest import workshop_in
from tests.helpers.cli import run_cli_bytes
from tests.helpers.export_samples import SAMPLES
from workshop_tui.anonymize import anonymize
from workshop_tui.export_csv import BACKLOG_COLUMNS, IDEA_COLUMNS, csv_tables
from workshop_tui.export_json import build_export
from workshop_tui.importer import read_export
from workshop_tui.models import Source
from workshop_tui.phases import Phase
from workshop_tui.service import WorkshopService


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_demo_ideas_table() -> None:
    doc = read_export(SAMPLES / "MAKE.json")
    text = csv_tables(doc)["ideas.csv"]
    assert text.splitlines()[0] == ",".join(IDEA_COLUMNS)
    assert text.endswith("\r\n") and "\r\n" in text
    ideas = rows(text)
    assert len(ideas) == len(doc.ideas)
    assert sum(int(r["dots"]) for r in ideas) == sum(v.dots for v in doc.votes)
    statuses = {r["status"] for r in ideas}
    assert statuses == {"visible", "merged"}
    merged = next(r for r in ideas if r["status"] == "merged")
    assert merged["merged_into"] in {r["id"] for r in ideas}
    assert {r["theme"] for r in ideas} == {t.name for t in doc.themes}
    assert "Amina" in {r["author"] for r in ideas}
    assert {r["author"] for r in ideas if r["source"] == "paper"} == {""}


def test_anonymized_tables_carry_no_names() -> None:
    doc = read_export(SAMPLES / "MAKE.json")
    public = {b.owner.name for b in doc.backlog if b.owner.public}
    tables = csv_tables(anonymize(doc), anonymized=True)
    assert {r["author"] for r in rows(tables["ideas.csv"])} == {""}
    assert [r["name"] for r in rows(tables["participants.csv"])][:2] == ["Participant 1", "Participant 2"]
    everything = "".join(tables.values())
    for p in doc.participants:
        if p.name not in public:
            assert p.name not in everything, p.name


def test_backlog_table_budget_asks_flags() -> None:
    doc = read_export(SAMPLES / "MAKE.json")
    table = rows(csv_tables(doc)["backlog.csv"])
    assert list(table[0]) == BACKLOG_COLUMNS
    by_id = {r["id"]: r for r in table}
    for item in doc.backlog:
        row = by_id[item.id]
        requested = sum((r.amount for r in item.budget_requests if r.status == "requested"), Decimal(0))
        assert Decimal(row["requested"]) == requested and row["requested"].count(".") == 1
        assert int(row["asks_count"]) == len(item.asks)
        assert row["asks"].count("; ") == max(0, len(item.asks) - 1)
        assert row["next_review"] == (item.next_review.isoformat() if item.next_review else "")
    sensors = next(r for r in table if "1800.00" in r["approved"])
    assert sensors["requested"] == "450.00" and sensors["spent"] == "0.00"
    assert "open-data from Mobility: bike rack locations (granted, answered 2026-03-14)" in sensors["asks"]
    assert any(r["flags"].startswith("review was due") for r in table)


async def test_commas_quotes_newlines_survive_a_round_trip(service: WorkshopService) -> None:
    code = await workshop_in(service, Phase.IDEATE, idea_max_length=400)
    texts = [
        'Bike racks, "covered" ones,\nnear the station',
        'semi;colon, and a trailing quote"',
        "line one\r\nline two\n\nline four",
        "=SUM(A1:A2) starts with an equals sign",
    ]
    for text in texts:
        await service.post_idea(code, text, source=Source.FACILITATOR)
    theme = await service.create_theme(code, 'Theme, with "quotes"')
    idea = next(iter(service.state(code).ideas.values()))
    await service.set_idea_theme(code, idea.id, theme.id)
    tables = csv_tables(build_export(service.view(code)))
    parsed = rows(tables["ideas.csv"])
    assert [r["text"] for r in parsed] == [*(t.strip() for t in texts[:3]), "'" + texts[3]]  # formula defused
    assert parsed[0]["theme"] == 'Theme, with "quotes"'
    assert [r["name"] for r in rows(tables["themes.csv"])] == ['Theme, with "quotes"']
    raw = tables["ideas.csv"]
    assert '"Bike racks, ""covered"" ones,\nnear the station"' in raw  # RFC 4180 quoting


def test_cli_csv_to_stdout_and_to_a_directory(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert run_cli_bytes(data, "demo").returncode == 0
    out = run_cli_bytes(data, "export", "MAKE", "--format", "csv")
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith(b"id,text,theme,source,dots,author,status,merged_into,created_at,theme_id\r\n")
    target = tmp_path / "tables"
    out = run_cli_bytes(data, "export", "MAKE", "--format", "csv", "--anonymize", "-o", str(target))
    assert out.returncode == 0, out.stderr
    names = {"ideas.csv", "themes.csv", "participants.csv", "votes.csv", "teams.csv", "backlog.csv"}
    assert {p.name for p in target.iterdir()} == names
    assert "Amina" not in (target / "participants.csv").read_text()
    a_file = tmp_path / "file.csv"
    a_file.write_text("x")
    out = run_cli_bytes(data, "export", "MAKE", "--format", "csv", "-o", str(a_file))
    assert out.returncode == 2 and b"needs a directory" in out.stderr
