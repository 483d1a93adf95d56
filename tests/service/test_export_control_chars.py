"""No export file carries a participant's control, escape or bidi character: ``cat`` of a report or
a CSV cannot retitle the terminal or set its clipboard, and the JSON still reads back as typed."""

from __future__ import annotations

import re
from pathlib import Path

import orjson
import pytest

from tests.conftest import workshop_in
from tests.helpers.hostile_text import ESCAPES
from workshop_tui.exports import EXPORTERS, ExportOptions, export_files, write_files
from workshop_tui.models import Source
from workshop_tui.phases import Phase
from workshop_tui.service import WorkshopService

#: Every escape kind, plus the C0 controls no escape above uses and the separators some terminals break on.
HOSTILE = " ".join(ESCAPES.values()) + " NUL\x00 BS\x08 VT\x0b FF\x0c CR\r SO\x0e NEL\x85 LS\u2028 PS\u2029 end"
# Line feed, tab and CRLF are legal in CSV cells and Markdown; a lone CR (overwrites the line) is not.
_FORBIDDEN = re.compile(
    "\r(?!\n)|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]"
)


#: For the short fields (names are at most 60 characters): one of each class.
SHORT = "\x1b]2;PWNED-TITLE\x07\x1b[31m\x9d0;\x9c\u202e\u2066\x7f\x00\x85\r\u2028"


def _hostile(tag: str) -> str:
    return f"{tag} {HOSTILE}"


def _short(tag: str) -> str:
    return f"{tag} {SHORT}"


async def _hostile_workshop(service: WorkshopService) -> str:
    code = await workshop_in(service, Phase.IDEATE, idea_max_length=1000)
    ana, _ = await service.join(code, name=_short("name"))
    idea = await service.post_idea(code, _hostile("note"), author_id=ana.id)
    await service.post_idea(code, "a plain second note", source=Source.FACILITATOR)
    await service.set_phase(code, Phase.GROUP)
    theme = await service.create_theme(code, _short("theme"))
    await service.set_idea_theme(code, idea.id, theme.id)
    await service.set_phase(code, Phase.VOTE)
    await service.set_voting(code, voting_open=True)
    await service.cast_dot(code, ana.id, idea.id)
    await service.set_phase(code, Phase.TEAMS)
    await service.form_teams(code, team_count=1, min_size=1)
    await service.set_phase(code, Phase.BACKLOG)
    (item,) = await service.convert_to_backlog(code, [idea.id])
    await service.update_backlog_item(
        item.id,
        {
            "title": _short("title"),
            "owner": {"name": _short("owner"), "contact": _short("contact"), "public": True},
            "problem": _hostile("problem"),
            "budget_requests": [{"amount": "10", "purpose": _short("purpose")}],
            "asks": [{"kind": "space", "department": _short("dept"), "detail": _short("detail")}],
            "note": _hostile("history"),
        },
    )
    return code


#: Every format of the registry, and each variant of one (the per-department digest).
CASES = [(name, ExportOptions()) for name in EXPORTERS] + [
    (name, ExportOptions(by_department=True)) for name, e in EXPORTERS.items() if "by_department" in e.options
]


@pytest.mark.parametrize(("fmt", "options"), CASES, ids=[f"{n}{'-by-department' * o.by_department}" for n, o in CASES])
async def test_no_export_file_carries_a_control_character(
    service: WorkshopService, tmp_path: Path, fmt: str, options: ExportOptions
) -> None:
    code = await _hostile_workshop(service)
    exp = EXPORTERS[fmt]
    written = write_files(
        export_files(service.view(code), fmt, options), exp, tmp_path / exp.destination(code, options)
    )
    files = sorted(written.iterdir()) if written.is_dir() else [written]
    assert files
    for path in files:
        text = path.read_bytes().decode()  # strict UTF-8: no lone surrogate either
        bad = sorted({f"U+{ord(m.group()):04X}" for m in _FORBIDDEN.finditer(text)})
        assert not bad, f"{path.name}: {bad}"
    shown = "".join(p.read_text() for p in files)
    assert "PWNED-TITLE" in shown  # the text is there, made visible


async def test_the_json_export_reads_back_as_typed(service: WorkshopService, tmp_path: Path) -> None:
    code = await _hostile_workshop(service)
    exp = EXPORTERS["json"]
    path = write_files(export_files(service.view(code), "json"), exp, tmp_path / "out.json")
    data = orjson.loads(path.read_bytes())
    view = service.view(code)
    (person,) = view.participants.values()
    idea = next(i for i in view.ideas.values() if i.author_id == person.id)
    (theme,) = view.themes.values()
    (item,) = view.backlog.values()
    assert HOSTILE in idea.text  # the service kept what was typed: the export must too
    assert [p["name"] for p in data["participants"]] == [person.name] == [_short("name").strip()]  # as typed, trimmed
    assert any(i["text"] == idea.text for i in data["ideas"])
    assert [t["name"] for t in data["themes"]] == [theme.name] == [_short("theme").strip()]
    (exported,) = data["backlog"]
    assert exported["problem"] == item.problem == _hostile("problem")
    assert exported["title"] == item.title == _short("title").strip()
    assert exported["owner"]["name"] == item.owner.name
    assert exported["asks"][0]["department"] == item.asks[0].department
