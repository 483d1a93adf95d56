"""The ideas as Decidim proposals, imported back by a re-implementation of Decidim's proposals import."""

from __future__ import annotations

import pytest

from tests.conftest import workshop_in
from tests.helpers.decidim_import import Organization, import_proposals, ruby_csv
from tests.helpers.export_samples import SAMPLES
from tests.helpers.hostile_text import ESCAPES
from workshop_tui.errors import Invalid
from workshop_tui.export_decidim_proposals import TITLE_LENGTH, proposal_title, render_proposals
from workshop_tui.exports import ExportOptions, export_files
from workshop_tui.importer import read_export
from workshop_tui.models import Source
from workshop_tui.phases import Phase
from workshop_tui.service import WorkshopService


def test_every_idea_on_the_wall_is_one_valid_proposal() -> None:
    doc = read_export(SAMPLES / "MAKE.json")
    text = render_proposals(doc, locale="en,fi,sv")
    assert text.split("\r\n")[0] == "title/en;title/fi;title/sv;body/en;body/fi;body/sv"
    errors, proposals = import_proposals(text, Organization("en", ["en", "fi", "sv"]))
    assert errors == []
    on_wall = [i for i in doc.ideas if i.visible]
    assert len(proposals) == len(on_wall) and len(on_wall) < len(doc.ideas)  # the merged ones are inside others
    assert {p["title"]["en"] for p in proposals} == {proposal_title(i.text) for i in on_wall}
    assert all(set(p["title"]) == {"en"} for p in proposals)  # no made-up translations
    merged = [i for i in doc.ideas if i.merged_into]
    assert merged and any(" ".join(merged[0].text.split()) in p["body"]["en"] for p in proposals)
    assert all(p["body"]["en"].endswith(".</p>") and "Dots in the room:" in p["body"]["en"] for p in proposals)


async def test_deleted_and_hidden_notes_are_not_proposed(service: WorkshopService) -> None:
    code = await workshop_in(service, Phase.IDEATE)
    kept = await service.post_idea(code, "Shade trees on the square", source=Source.FACILITATOR)
    hidden = await service.post_idea(code, "Hidden SECRET-HIDDEN", source=Source.FACILITATOR)
    deleted = await service.post_idea(code, "Deleted SECRET-DELETED", source=Source.FACILITATOR)
    await service.hide_idea(code, hidden.id, hidden=True)
    await service.delete_idea(code, deleted.id)
    (data,) = export_files(service.view(code), "decidim-proposals").values()
    text = data.decode()
    assert "SECRET" not in text
    _, proposals = import_proposals(text, Organization())
    assert [p["title"]["en"] for p in proposals] == [kept.text]


async def test_hostile_notes_are_neutralised_and_escaped(service: WorkshopService) -> None:
    code = await workshop_in(service, Phase.IDEATE, idea_max_length=400)
    notes = ['=HYPERLINK("http://evil.example","x")', "-5 benches; +1", "<img src=x onerror=alert(1)>", ESCAPES["osc2"]]
    for note in notes:
        await service.post_idea(code, note, source=Source.FACILITATOR)
    for separator in (";", ","):
        (data,) = export_files(service.view(code), "decidim-proposals", ExportOptions(separator=separator)).values()
        rows = ruby_csv(data.decode(), separator)
        assert len(rows) == len(notes)
        for row in rows:
            for cell in row.values():
                assert cell is None or cell[:1] not in "=+-@", cell
        assert import_proposals(data.decode(), Organization(), col_sep=separator)[0] == []
    _, proposals = import_proposals(data.decode(), Organization(), col_sep=",")
    img = next(p for p in proposals if "img" in p["title"]["en"])
    assert img["body"]["en"].startswith("<p>&lt;img src=x onerror=alert(1)&gt;</p>")  # the body is HTML: escaped
    assert img["title"]["en"] == notes[2]  # a title is plain text, which Decidim escapes when it shows it
    assert {p["title"]["en"] for p in proposals} >= {"'" + notes[0], "'" + notes[1]}


def test_long_notes_get_a_short_title() -> None:
    long = "word " * 100
    title = proposal_title(long)
    assert len(title) <= TITLE_LENGTH and title.endswith("word…")
    assert proposal_title("x" * 400) == "x" * (TITLE_LENGTH - 1) + "…"
    assert proposal_title("  two\nlines ") == "two lines"


def test_the_default_locale_is_the_workshops_language() -> None:
    doc = read_export(SAMPLES / "MAKE.json")
    with pytest.raises(Invalid, match="workshop's language, en"):
        render_proposals(doc, locale="fi")
    text = render_proposals(doc, locale="en,pt-BR")
    assert text.startswith("title/en;title/pt-BR;body/en;body/pt-BR\r\n")
    errors, _ = import_proposals(text, Organization("fi", ["fi", "en"]))  # a Finnish default: header missing
    assert errors == ["missing header title/fi", "missing header body/fi"]
