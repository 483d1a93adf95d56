"""The Markdown report in the workshop's language: headings, labels, money and dates per locale (golden
values from the committed demo), and no English heading left."""

from __future__ import annotations

import itertools

import pytest

from tests.helpers.export_samples import SAMPLES
from workshop_tui.export_json import ExportDocument
from workshop_tui.export_markdown import render_by_department, render_markdown
from workshop_tui.importer import read_export

NBSP = "\u00a0"


def demo_in(lang: str) -> ExportDocument:
    doc = read_export(SAMPLES / "MAKE.json")
    return doc.model_copy(update={"workshop": doc.workshop.model_copy(update={"language": lang})})


@pytest.mark.parametrize(
    ("lang", "lines"),
    [
        (
            "fi",
            [
                "*Työpaja MAKE, raportti 14. maaliskuuta 2026.*",
                "## Haaste",
                "| Osallistujat | Laput | Pisteet | Teemat |",
                f"Budjetti: 1{NBSP}650,00{NBSP}€ haettu, 1{NBSP}800,00{NBSP}€ hyväksytty, 0,00{NBSP}€ käytetty; "
                f"määrärahaa 15{NBSP}000,00{NBSP}€ (13{NBSP}200,00{NBSP}€ jäljellä).",
                "- Tila: **kokeilussa** · Vastuuhenkilö: Bram (via the city's innovation team) · Pisteet: 19",
                "- Seuraava tarkistus: 28.3.2026",
                "- ⚠ tarkistuksen määräaika oli 11.3.2026",
                "- ⚠ pyynnön toimialalle Economic Affairs määräaika oli 12.3.2026",
                f"  - 1{NBSP}800,00{NBSP}€ kohteeseen 20 parking sensors (hyväksytty)",
                "## Pidetyt lupaukset",
            ],
        ),
        (
            "nl",
            [
                "*Workshop MAKE, verslag van 14 maart 2026.*",
                f"Budget: €{NBSP}1.650,00 aangevraagd, €{NBSP}1.800,00 goedgekeurd, €{NBSP}0,00 uitgegeven, "
                f"van een pot van €{NBSP}15.000,00 (€{NBSP}13.200,00 over).",
                "- Volgende bespreking: 28 mrt 2026",
            ],
        ),
        ("sv", ["*Workshop MAKE, rapport från 14 mars 2026.*", "## Utmaningen", "- Nästa avstämning: 28 mars 2026"]),
        ("en", ["*Workshop MAKE, report of March 14, 2026.*", "- Next review: Mar 28, 2026"]),
    ],
)
def test_the_report_speaks_the_workshops_language(lang: str, lines: list[str]) -> None:
    report = render_markdown(demo_in(lang)).splitlines()
    for line in lines:
        assert line in report, line


SAME_AS_ENGLISH = {"fi": set(), "sv": set(), "nl": {"## Teams"}}  # reviewed: Dutch says "Teams" too


def headings(report: str) -> set[str]:
    """Section headings and the header rows of tables (the line above ``|---``)."""
    lines = report.splitlines()
    rows = {line for line, below in itertools.pairwise(lines) if below.startswith("|-")}
    return rows | {line for line in lines if line.startswith("## ")}


@pytest.mark.parametrize("lang", ["fi", "sv", "nl"])
def test_no_english_heading_is_left(lang: str) -> None:
    english = headings(render_markdown(demo_in("en")))
    assert len(english) > 10
    assert english & headings(render_markdown(demo_in(lang))) == SAME_AS_ENGLISH[lang]


def test_the_department_digest_in_finnish() -> None:
    digest = render_by_department(demo_in("fi")).splitlines()
    assert digest[0] == "# Open City Hackathon (demo): pyynnöt kaupungin toimialoille"
    assert "Pyydetty 1, vastattu 0, myöhässä 1; vastausajan mediaani päivinä: –." in digest
    assert (
        f"1 pyyntö 1 kokeilusta; näiden kokeilujen hakema budjetti: 1{NBSP}200,00{NBSP}€ "
        f"(ja 0,00{NBSP}€ jo hyväksytty)." in digest
    )
    assert "| Laji | Tarkemmin | Tila | Määräaika | Vastaus | Kokeilu | Kokeilun tila | Vastuuhenkilö |" in digest
    assert any(line.startswith("| menettely |") and "| 12.3.2026 (myöhässä) |" in line for line in digest)
