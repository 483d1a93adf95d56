"""Decidim accountability results, imported back by a re-implementation of its ResultsCsvImporter."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from tests.helpers.decidim_import import Organization, import_results, ruby_csv, ruby_date_parse
from tests.helpers.export_samples import SAMPLES
from tests.helpers.hostile_text import ESCAPES
from workshop_tui import export_decidim
from workshop_tui.errors import Invalid
from workshop_tui.export_decidim import PROGRESS, columns, progress, render_decidim
from workshop_tui.export_json import ExportDocument
from workshop_tui.importer import read_export
from workshop_tui.models import Ask, AskKind, AskStatus, BacklogItem, BacklogStatus, StatusChange

S = BacklogStatus
EN = Organization()


def sample() -> ExportDocument:
    return read_export(SAMPLES / "MAKE.json")


def test_every_row_of_the_demo_is_imported() -> None:
    doc = sample()
    text = render_decidim(doc)
    assert not text.startswith("\ufeff") and text.endswith("\r\n")
    outcome = import_results(text, EN)
    assert outcome.errors == [] and outcome.updated == {}
    assert len(outcome.created) == len(doc.backlog)
    by_id = {b.id: b for b in doc.backlog}
    for result in outcome.created:
        item = by_id[result["external_id"]]
        assert result["title"] == {"en": item.title}
        assert result["start_date"] == item.created_at.date()
        assert result["progress"] == progress(item) and result["weight"] == 1
        assert result["proposal_ids"] == []
        assert "<script" not in result["description"]["en"]
    rows = ruby_csv(text, ";")
    assert [r["id"] for r in rows] == [None] * len(rows)  # nothing linked yet: every row creates a result
    early = {b.id for b in doc.backlog if b.next_review and b.next_review < b.created_at.date()}
    overdue = [r for r in rows if r["external_id"] in early]
    assert overdue and all(r["end_date"] is None for r in overdue)  # an end before the start would be invalid


def test_other_locales_are_left_to_decidim_to_fill_from_the_default() -> None:
    text = render_decidim(sample(), locale="en,fi,sv")
    assert text.startswith("id;title/en;title/fi;title/sv;description/en;description/fi;description/sv;start_date;")
    rows = ruby_csv(text, ";")
    assert all(r["title/fi"] is None and r["description/sv"] is None for r in rows)  # no made-up translation
    outcome = import_results(text, Organization("en", ["en", "fi", "sv"]))
    assert outcome.errors == []
    for result in outcome.created:
        assert result["title"]["fi"] == result["title"]["sv"] == result["title"]["en"]


def test_a_hyphenated_default_locale_reaches_the_form(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(export_decidim, "workshop_language", lambda _: "pt-BR")
    doc = sample()
    text = render_decidim(doc, locale="pt-BR,en")
    header = text.split("\r\n")[0].split(";")
    assert header[1:5] == ["title/pt-BR", "title/en", "description/pt-BR", "description/en"]
    assert header[5:7] == ["title_pt__BR", "description_pt__BR"]
    org = Organization("pt-BR", ["pt-BR", "en"])
    outcome = import_results(text, org)
    assert outcome.errors == [] and len(outcome.created) == len(doc.backlog)
    assert all(r["title"]["pt-BR"] == r["title"]["en"] != "" for r in outcome.created)
    # Without the form's own columns, the importer's "title_pt-BR" is dropped: every row loses its title.
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows([r[:5] + r[7:] for r in rows])
    bare = import_results(out.getvalue(), org)
    assert bare.created == [] and len(bare.errors) == len(doc.backlog)


def test_a_locale_list_must_start_with_the_workshops_language() -> None:
    doc = sample()
    with pytest.raises(Invalid, match="must start with the workshop's language, en"):
        render_decidim(doc, locale="fi,en")
    with pytest.raises(Invalid, match="not a locale code"):
        render_decidim(doc, locale="en;x")
    with pytest.raises(Invalid, match="Decidim writes pt-BR"):
        render_decidim(doc, locale="en,pt_BR")
    with pytest.raises(Invalid, match="twice"):
        render_decidim(doc, locale="en,fi,en")
    assert render_decidim(doc, locale="en-GB,fi").startswith("id;title/en-GB;title/fi;")  # one language


def test_a_finnish_workshop_exports_with_finnish_as_the_default() -> None:
    doc = sample()
    fi = doc.model_copy(update={"workshop": doc.workshop.model_copy(update={"language": "fi"})})
    assert render_decidim(fi).startswith("id;title/fi;description/fi;")  # no --locale: the workshop's language
    text = render_decidim(fi, locale="fi,sv,en")
    assert import_results(text, Organization("fi", ["fi", "sv", "en"])).errors == []
    with pytest.raises(Invalid, match="workshop's language, fi"):
        render_decidim(fi, locale="en,fi")


@pytest.mark.parametrize("separator", [";", ",", "\t", "|"])
def test_the_separator_is_the_instances(separator: str) -> None:
    text = render_decidim(sample(), separator=separator)
    assert text.split("\r\n")[0] == separator.join(columns())
    assert import_results(text, EN, col_sep=separator).errors == []
    if separator != ";":  # read with the wrong separator: a malformed file, or rows without a title
        try:
            wrong = import_results(text, EN)
        except ValueError as exc:
            assert "MalformedCSVError" in str(exc)
        else:
            assert wrong.errors and not wrong.created


def test_linked_items_update_their_result() -> None:
    doc = sample()
    linked = [b.model_copy(update={"decidim_id": 100 + n}) for n, b in enumerate(doc.backlog)]
    linked[-1] = linked[-1].model_copy(update={"decidim_id": None})
    text = render_decidim(doc.model_copy(update={"backlog": linked}))
    org = Organization(results={100 + n: {} for n in range(len(linked))})
    outcome = import_results(text, org)
    assert outcome.errors == []
    assert sorted(outcome.updated) == sorted(b.decidim_id for b in linked if b.decidim_id)
    assert [r["external_id"] for r in outcome.created] == [linked[-1].id]  # the one not linked is new


def edited(text: str, column: str, value: str, *, row: int = 1) -> str:
    """``text`` with one cell changed (``row`` 1: the first data row), written back as CSV."""
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    rows[row][rows[0].index(column)] = value
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(rows)
    return out.getvalue()


def test_the_importer_is_all_or_nothing() -> None:
    """The re-implementation refuses what Decidim refuses, so accepting our rows means something."""
    text = render_decidim(sample())
    for column, bad, message in [
        ("title/en", "", "Title (en) can't be blank"),
        ("progress", "101", "between 0 and 100"),
        ("progress", "lots", "not a number"),
        ("start_date", "2026-02-30", "invalid date"),
        ("end_date", "soon", "invalid date"),
        ("status/id", "7", "Status"),
    ]:
        outcome = import_results(edited(text, column, bad, row=2), EN)
        assert outcome.created == [] and outcome.updated == {}, column
        assert [n for n, _ in outcome.errors] == [3] and message in outcome.errors[0][1][0], column


def test_ruby_date_parse() -> None:
    assert ruby_date_parse("2026-03-14") == dt.date(2026, 3, 14)
    assert ruby_date_parse("2026-03-14T09:00:00+00:00") == dt.date(2026, 3, 14)
    assert ruby_date_parse("14/03/2026") == ruby_date_parse("2026/03/14") == dt.date(2026, 3, 14)
    for bad in ("2026-13-01", "2026-02-29", "next week", "14-03"):
        with pytest.raises(ValueError):
            ruby_date_parse(bad)


def test_proposal_urls_would_keep_only_the_last_digit() -> None:
    """Why the exporter leaves proposal_urls empty: the importer keeps the last digit of each URL."""
    url = "https://city.example/processes/x/f/5/proposals/123"
    outcome = import_results(edited(render_decidim(sample()), "proposal_urls", url), Organization())
    assert outcome.created[0]["proposal_ids"] == [3]  # not 123


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


def test_hostile_text_is_escaped_and_neutralised() -> None:
    doc = sample()
    evil = doc.backlog[0].model_copy(
        update={"problem": "<script>alert(1)</script>\nsecond line", "title": ' =HYPERLINK("x")\nb;c '}
    )
    answered = Ask(kind=AskKind.SPACE, department="Parks", status=AskStatus.GRANTED, answer="<b>yes</b>\n  soon",
                   answered_at=dt.date(2026, 3, 20), due=dt.date(2026, 3, 18))  # fmt: skip
    odd = doc.backlog[1].model_copy(
        update={"title": "@SUM(A1) " + ESCAPES["csi"], "problem": "+1;-2", "asks": [answered]}
    )
    text = render_decidim(doc.model_copy(update={"backlog": [evil, odd]}), locale="en,fi")
    outcome = import_results(text, Organization("en", ["en", "fi"]))
    assert outcome.errors == []
    by_id = {r["external_id"]: r for r in outcome.created}
    first, second = by_id[evil.id], by_id[odd.id]
    assert first["description"]["en"].startswith("<p>&lt;script&gt;alert(1)&lt;/script&gt;</p><p>second line</p>")
    assert first["title"]["en"] == '\'=HYPERLINK("x") b;c' == first["title"]["fi"]
    assert second["title"]["en"].startswith("'@SUM(A1)")
    assert "+1;-2" in second["description"]["en"]
    assert "(granted; answered 2026-03-20)<br>Answer: &lt;b&gt;yes&lt;/b&gt; soon</li>" in second["description"]["en"]
