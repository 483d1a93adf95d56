"""Import: a v1 export restores the workshop (export -> import -> export is equal), never clobbers."""

from __future__ import annotations

import contextlib
import hashlib
import json
from pathlib import Path
from typing import Any

import jsonschema
import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers.cli import run_cli
from tests.helpers.export_samples import SAMPLES
from workshop_tui.errors import Conflict, Invalid, Unauthorized
from workshop_tui.export_json import ExportDocument, build_export, dump_json
from workshop_tui.importer import parse_export, read_export
from workshop_tui.models import Source, is_blank
from workshop_tui.phases import Phase
from workshop_tui.schema import export_schema
from workshop_tui.service import WorkshopService


def comparable(doc: ExportDocument) -> dict[str, object]:
    data = doc.model_dump(mode="json", by_alias=True)
    data.pop("exported_at")
    return data


def tree(path: Path) -> dict[str, str]:
    """Every file under ``path`` with a hash of its contents."""
    if not path.exists():
        return {}
    return {
        str(p.relative_to(path)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(path.rglob("*"))
        if p.is_file()
    }


async def test_import_then_export_reproduces_the_export(tmp_path: Path) -> None:
    original = read_export(SAMPLES / "MAKE.json")
    async with WorkshopService(tmp_path / "a") as service:
        workshop = await service.import_export(original)
        assert workshop.code == "MAKE"
        again = build_export(service.view("MAKE"))
    assert comparable(again) == comparable(original)
    async with WorkshopService(tmp_path / "a") as reopened:  # and it is durable
        assert comparable(build_export(reopened.view("MAKE"))) == comparable(original)
        with pytest.raises(Unauthorized):  # no tokens came along: people join again
            reopened.authenticate("MAKE", "any-token")


def test_an_export_from_before_ask_commitments_imports(tmp_path: Path) -> None:
    """Files written before asks had ``due``, ``answer`` and ``answered_at`` still import, with defaults."""
    data = json.loads((SAMPLES / "MAKE.json").read_text())
    for item in data["backlog"]:
        for ask in item["asks"]:
            for field in ("due", "answer", "answered_at"):
                ask.pop(field)
    old = tmp_path / "old.json"
    old.write_text(json.dumps(data))
    out = run_cli(tmp_path / "data", "import", str(old))
    assert out.returncode == 0, out.stderr
    listed = run_cli(tmp_path / "data", "backlog", "--json")
    asks = [a for line in listed.stdout.splitlines() for a in json.loads(line)["asks"]]
    assert len(asks) == 4 and all(a["due"] is None and a["answer"] == "" for a in asks)
    assert all(a["answered_at"] is None for a in asks)


def test_cli_round_trip_and_clashes(tmp_path: Path) -> None:
    source, target = tmp_path / "source", tmp_path / "target"
    assert run_cli(source, "demo").returncode == 0
    exported = run_cli(source, "export", "MAKE", "-o", str(tmp_path / "make.json"))
    assert exported.returncode == 0, exported.stderr
    first = run_cli(target, "import", str(tmp_path / "make.json"), "--json")
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)["code"] == "MAKE"
    again = run_cli(target, "export", "MAKE")
    a, b = json.loads((tmp_path / "make.json").read_text()), json.loads(again.stdout)
    a.pop("exported_at"), b.pop("exported_at")
    assert a == b

    before = tree(target / "workshops")
    clash = run_cli(target, "import", str(tmp_path / "make.json"))
    assert clash.returncode == 1
    assert clash.stderr.count("\n") == 1 and "already here as code MAKE" in clash.stderr
    assert "--as-new-code" in clash.stderr
    assert tree(target / "workshops") == before

    copy = run_cli(target, "import", str(tmp_path / "make.json"), "--as-new-code", "--json")
    assert copy.returncode == 0, copy.stderr
    info = json.loads(copy.stdout)
    assert info["code"] != "MAKE" and info["id"] != a["workshop"]["id"]
    copied = json.loads(run_cli(target, "export", info["code"]).stdout)
    assert len(copied["ideas"]) == len(a["ideas"]) and len(copied["backlog"]) == len(a["backlog"])
    original_ids = {i["id"] for i in a["ideas"]} | {p["id"] for p in a["participants"]}
    assert not original_ids & ({i["id"] for i in copied["ideas"]} | {p["id"] for p in copied["participants"]})
    assert not any(old in json.dumps(copied) for old in original_ids)  # references followed everywhere


async def test_code_clash_is_refused_and_as_new_code_keeps_ids(tmp_path: Path) -> None:
    original = read_export(SAMPLES / "MAKE.json")
    async with WorkshopService(tmp_path) as service:
        other = await service.create_workshop("Someone else's workshop", code="MAKE")
        with pytest.raises(Conflict, match="code MAKE is already used"):
            await service.import_export(original)
        assert [w.id for w in service.workshops()] == [other.id]
        workshop = await service.import_export(original, as_new_code=True)
        assert workshop.code != "MAKE" and workshop.id == original.workshop.id  # ids kept: no clash there
        restored = build_export(service.view(workshop.code))
    expected = comparable(original)
    expected["workshop"] = {**expected["workshop"], "code": workshop.code}  # type: ignore[dict-item]
    assert comparable(restored) == expected


def valid() -> dict[str, object]:
    data: dict[str, object] = json.loads((SAMPLES / "MAKE.json").read_text())
    return data


def broken_reference() -> dict[str, object]:
    data = valid()
    data["votes"][0]["idea_id"] = "nope"  # type: ignore[index]
    return data


def path_escape() -> dict[str, object]:
    data = valid()
    data["workshop"]["id"] = "../../escape"  # type: ignore[index]
    return data


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        (b"{not json", "is not valid JSON"),
        (b"[1, 2]", "expected a JSON object"),
        (orjson.dumps({**valid(), "format": "something.else"}), "format is 'something.else'"),
        (orjson.dumps({**valid(), "version": 2}), "export version 2; this workshop-tui reads version 1"),
        (orjson.dumps({**valid(), "version": "1"}), "unknown export version"),
        (orjson.dumps({**valid(), "ideas": [{"id": 1}]}), "does not match the export schema: ideas.0"),
        (
            orjson.dumps(
                {
                    **valid(),
                    "participants": [{"id": "p", "name": "x", "joined_at": "2026-01-01T00:00:00Z", "token": "secret"}],
                }
            ),
            "does not match the export schema",
        ),
        (orjson.dumps(broken_reference()), "is inconsistent: a vote is on an unknown idea 'nope'"),
        (orjson.dumps(path_escape()), "is not a plain id"),
    ],
)
def test_bad_files_are_one_clear_line_and_write_nothing(tmp_path: Path, content: bytes | None, message: str) -> None:
    data_dir = tmp_path / "data"
    assert run_cli(data_dir, "new", "Already here").returncode == 0
    before = tree(data_dir)
    path = tmp_path / "export.json"
    if content is not None:
        path.write_bytes(content)
    out = run_cli(data_dir, "import", str(path))
    assert out.returncode == 1
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], out.stderr
    assert "Traceback" not in out.stderr
    assert tree(data_dir) == before


def test_a_bad_file_into_a_fresh_data_dir_creates_nothing(tmp_path: Path) -> None:
    (tmp_path / "bad.json").write_text("{}")
    out = run_cli(tmp_path / "fresh", "import", str(tmp_path / "bad.json"))
    assert out.returncode == 1 and "not a workshop-tui export" in out.stderr
    assert not (tmp_path / "fresh").exists()


def test_parse_rejects_an_inconsistent_workshop_id() -> None:
    data = valid()
    data["themes"][0]["workshop_id"] = "other"  # type: ignore[index]
    with pytest.raises(Invalid, match="belongs to another workshop"):
        parse_export(orjson.dumps(data))


# ------------------------------------------------------------------------------ property


words = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=30).filter(
    lambda text: not is_blank(text.strip())  # the service refuses a note that would look empty
)


@st.composite
def workshops(draw: st.DrawFn) -> dict[str, Any]:
    return {
        "people": draw(st.lists(st.text(alphabet="abcdefgh XYZ", max_size=12), max_size=6)),
        "notes": draw(st.lists(words.filter(lambda t: not is_blank(t)), min_size=1, max_size=8)),
        "themes": draw(
            st.lists(st.text(alphabet="abcdef", min_size=1, max_size=8), max_size=3, unique_by=str.casefold)
        ),
        "theme_of": draw(st.lists(st.integers(0, 10), max_size=8)),
        "dots": draw(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 7)), max_size=20)),
        "paper": draw(st.lists(st.tuples(st.integers(0, 7), st.integers(1, 4)), max_size=3)),
        "merge": draw(st.booleans()),
        "backlog": draw(st.integers(0, 3)),
        "amounts": draw(st.lists(st.decimals(min_value="0.01", max_value="2000", places=2), max_size=3)),
    }


async def build(service: WorkshopService, plan: dict[str, Any]) -> str:
    w = await service.create_workshop("Random", settings={"dots_per_participant": 5, "max_dots_per_idea": 2})
    code = w.code
    await service.set_phase(code, Phase.IDEATE)
    people = [(await service.join(code, name))[0] for name in plan["people"]]
    ideas = []
    for n, text in enumerate(plan["notes"]):
        author = people[n % len(people)].id if people and n % 2 else None
        source = Source.PHONE if author else Source.PAPER
        ideas.append(await service.post_idea(code, text[:280], author_id=author, source=source))
    await service.set_phase(code, Phase.GROUP)
    themes = [await service.create_theme(code, name) for name in plan["themes"]]
    for idea, k in zip(ideas, plan["theme_of"], strict=False):
        if themes:
            await service.set_idea_theme(code, idea.id, themes[k % len(themes)].id)
    await service.set_phase(code, Phase.VOTE)
    await service.set_voting(code, voting_open=True)
    for p, i in plan["dots"]:
        if people:
            with contextlib.suppress(Conflict):  # budget or per-idea limit: a real person would stop
                await service.cast_dot(code, people[p % len(people)].id, ideas[i % len(ideas)].id)
    for i, dots in plan["paper"]:
        await service.add_paper_dots(code, ideas[i % len(ideas)].id, dots)
    if plan["merge"] and len(ideas) > 1:
        await service.merge_ideas(code, ideas[0].id, ideas[1].id)
    await service.set_phase(code, Phase.TEAMS)
    await service.set_phase(code, Phase.BACKLOG)
    visible = [i for i, _ in service.ranking(code)][: plan["backlog"]]
    if visible:
        items = await service.convert_to_backlog(code, [i.id for i in visible])
        requests = [{"amount": str(a), "purpose": 'x, "y"\nz'} for a in plan["amounts"]]
        await service.update_backlog_item(
            items[0].id,
            {"budget_requests": requests, "asks": [{"kind": "space", "department": "Parks", "detail": "a;b"}]},
        )
    return code


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(plan=workshops())
async def test_random_workshops_export_validate_import_equal(
    tmp_path_factory: pytest.TempPathFactory, plan: dict[str, object]
) -> None:
    root = tmp_path_factory.mktemp("prop")
    validator = jsonschema.Draft202012Validator(export_schema())
    async with WorkshopService(root / "a") as service:
        code = await build(service, plan)
        exported = build_export(service.view(code))
    data = orjson.loads(dump_json(exported))
    validator.validate(data)
    restored_doc = parse_export(dump_json(exported))
    async with WorkshopService(root / "b") as fresh:
        await fresh.import_export(restored_doc)
        again = build_export(fresh.view(code))
    assert comparable(again) == comparable(exported)
