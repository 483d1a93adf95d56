"""The Markdown report and department digest: golden files of the demo, escaping, consent."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt

from tests.conftest import workshop_in
from tests.helpers.export_samples import SAMPLES, frozen_demo, sample_files
from workshop_tui.anonymize import anonymize
from workshop_tui.export_json import ExportDocument, build_export
from workshop_tui.export_markdown import bar, md_text, render_by_department, render_markdown
from workshop_tui.importer import read_export
from workshop_tui.models import Source
from workshop_tui.phases import Phase
from workshop_tui.service import WorkshopService


def committed() -> dict[str, bytes]:
    return {str(p.relative_to(SAMPLES)): p.read_bytes() for p in sorted(SAMPLES.rglob("*")) if p.is_file()}


def test_golden_files_of_the_demo_in_every_format() -> None:
    """Report, digest, CSV and Decidim rendered from the committed (frozen) demo equal the committed files."""
    doc = read_export(SAMPLES / "MAKE.json")
    expected = committed()
    produced = sample_files(doc)
    assert sorted(produced) == sorted(expected), "run `python -m tests.helpers.export_samples`"
    for name, data in produced.items():
        assert data.decode() == expected[name].decode(), f"{name} differs: run `python -m tests.helpers.export_samples`"


async def test_the_committed_sample_is_the_current_demo() -> None:
    """Teams depend on random ids, so compare what does not: people, notes, themes, dots, the backlog."""
    fresh = await frozen_demo()
    sample = read_export(SAMPLES / "MAKE.json")

    def facts(doc: ExportDocument) -> tuple[object, ...]:
        themes = {t.id: t.name for t in doc.themes}
        dots: dict[str, int] = {}
        for v in doc.votes:
            dots[v.idea_id] = dots.get(v.idea_id, 0) + v.dots
        return (
            doc.workshop.model_dump(exclude={"id", "created_at", "updated_at", "team_candidates"}),
            [(p.name, p.skills) for p in doc.participants],
            sorted(
                (i.text, themes.get(i.theme_id or ""), i.merged_into is not None, dots.get(i.id, 0)) for i in doc.ideas
            ),
            sorted((b.title, b.status, b.dots, len(b.asks)) for b in doc.backlog),
        )

    assert facts(fresh) == facts(sample)


def test_report_sections_of_the_demo() -> None:
    doc = read_export(SAMPLES / "MAKE.json")
    report = render_markdown(doc)
    for heading in ("## The challenge", "## Participation", "## Top ideas", "## Teams", "## Prototype backlog"):
        assert heading in report
    assert "## Asks per department" in report and "## Next reviews" in report
    assert "| 18 | 13 |" in report  # people, notes
    assert "what small prototype could we build" in report.casefold()
    assert "overdue" in report and "⚠ review was due" in report
    top = next(line for line in report.splitlines() if line.startswith("| 1 |"))
    assert "█" * 20 in top  # the most dotted idea has the full bar


def test_bars_scale_with_dots() -> None:
    assert bar(10, 10) == "█" * 20
    assert bar(5, 10) == "█" * 10
    assert bar(1, 100) == "█"  # one dot still shows
    assert bar(0, 10) == ""


def test_escaping_keeps_participant_text_inert() -> None:
    nasty = (
        "[click](http://evil.example) ![x](http://evil.example/i.png) <script>alert(1)</script> "
        "**bold** _it_ `code` # not a heading | cell <b>b</b> &amp; \\ ~~s~~\n- item\n1. one"
    )
    inline = md_text(nasty)
    html = MarkdownIt("commonmark").enable("table").enable("strikethrough").renderInline(inline)
    assert "<a " not in html and "<img" not in html and "<script" not in html and "<b>" not in html
    assert "<strong>" not in html and "<em>" not in html and "<code>" not in html and "<s>" not in html
    assert "&lt;script&gt;" in html and "\n" not in inline
    for start in ("# heading", "- item", "+ item", "1. one", "2) two", "= x"):
        block = MarkdownIt("commonmark").render(md_text(start))
        assert block.startswith("<p>"), (start, block)


async def test_a_malicious_note_cannot_inject_links_or_html(service: WorkshopService) -> None:
    code = await workshop_in(service, Phase.IDEATE)
    evil = "[free money](http://evil.example) <img src=x onerror=alert(1)> | a | b |"
    await service.post_idea(code, evil, source=Source.FACILITATOR)
    await service.create_theme(code, "<script>x</script>")
    report = render_markdown(build_export(service.view(code)))
    html = MarkdownIt("commonmark").enable("table").render(report)
    assert "<a " not in html and "<img" not in html and "<script" not in html
    row = next(line for line in report.splitlines() if "free money" in line)
    assert len(re.findall(r"(?<!\\)\|", row)) == 6  # the note's pipes do not add table cells


def test_anonymized_report_and_digest_name_nobody() -> None:
    sample = read_export(SAMPLES / "MAKE.json")
    public = {b.owner.name for b in sample.backlog if b.owner.public}
    hidden = [p.name for p in sample.participants if p.name not in public]
    anonymous = anonymize(sample)
    for text in (render_markdown(anonymous), render_by_department(anonymous)):
        for name in hidden:
            assert not re.search(rf"\b{re.escape(name)}\b", text), name
    assert "Participant 1" in render_markdown(anonymous)


def test_department_digest_lists_what_each_department_is_asked() -> None:
    doc = read_export(SAMPLES / "MAKE.json")
    digest = render_by_department(doc)
    departments = sorted({a.department for b in doc.backlog for a in b.asks})
    headings = [line[3:] for line in digest.splitlines() if line.startswith("## ")]
    assert headings == sorted(departments, key=str.casefold)
    section = digest.split("## Facilities")[1].split("## ")[0]
    assert "mounting on station poles" in section and "€450.00" in section
    # an owner appears only when they consented to be named
    for item in doc.backlog:
        if item.owner.name and not item.owner.public:
            assert item.owner.name not in digest


def test_asks_as_commitments_in_the_report_and_the_digest() -> None:
    doc = read_export(SAMPLES / "MAKE.json")
    report = render_markdown(doc)
    table = report.split("## Asks per department")[1].split("## ")[0]
    assert "| Department | Asked | Answered | Median days to answer | Overdue | Still open | Kinds |" in table
    rows = {line.split(" | ")[0].lstrip("| "): line for line in table.splitlines() if line.startswith("| ")}
    assert rows["Mobility"].startswith("| Mobility | 1 | 1 | 0 | 0 | 0 |")
    assert rows["Economic Affairs"].startswith("| Economic Affairs | 1 | 0 | – | 1 | 1 |")
    assert "(open, due Mar 12, 2026, overdue)" in report and "⚠ ask to Economic Affairs was due Mar 12, 2026" in report
    assert "- Answer: Published on the open data portal, updated weekly" in report
    assert "asks to departments overdue: 1" in report
    digest = render_by_department(doc)
    assert "Asked 1, answered 0, overdue 1; median days to answer: –." in digest
    assert "| Mar 12, 2026 (overdue) |" in digest and "| Mar 14, 2026: Published on the open data portal" in digest


async def test_a_hostile_answer_stays_inert(service: WorkshopService) -> None:
    code = await workshop_in(service, Phase.IDEATE)
    idea = await service.post_idea(code, "Benches", source=Source.FACILITATOR)
    for phase in (Phase.GROUP, Phase.VOTE, Phase.TEAMS):
        await service.set_phase(code, phase)
    [item] = await service.convert_to_backlog(code, [idea.id])
    evil = "[ok](http://evil.example) <img src=x> | x | see www.evil.example\n# heading"
    ask = {"kind": "space", "department": "Parks | <b>", "answer": evil, "answered_at": "2030-01-02"}
    await service.update_backlog_item(item.id, {"asks": [ask]})
    doc = build_export(service.view(code))
    report, digest = render_markdown(doc), render_by_department(doc)
    for text in (report, digest):
        html = MarkdownIt("commonmark").enable("table").enable("linkify").render(text)
        assert "<a " not in html and "<img" not in html and "<b>" not in html and "<h1>heading" not in html
        assert "evil" in html
    row = next(line for line in digest.splitlines() if "evil" in line)
    assert len(re.findall(r"(?<!\\)\|", row)) == 9  # 8 cells: the answer's pipes add none
