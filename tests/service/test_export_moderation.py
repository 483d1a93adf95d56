"""Exports carry only what is on the wall: deleted and hidden notes never leave the store (text,
author, dots), in every format, with and without --anonymize; the store keeps the full trail."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from tests.conftest import open_vote, workshop_in
from tests.helpers.api import admin, in_process
from workshop_tui.export_json import build_export, dump_json
from workshop_tui.exports import EXPORTERS, ExportOptions, export_files
from workshop_tui.importer import parse_export
from workshop_tui.models import Source
from workshop_tui.phases import Phase
from workshop_tui.schema import export_schema
from workshop_tui.service import WorkshopService

SECRETS = ["SECRET-DELETED", "SECRET-HIDDEN", "SECRET-HIDDEN-MERGED", "SECRET-UNDER-DELETED", "SECRET-OLD-TEXT"]


async def moderated_workshop(service: WorkshopService, *, also_deleted: int = 0) -> tuple[str, dict[str, str]]:
    """A session where the facilitator deleted, hid and edited notes (and ``also_deleted`` more notes);
    returns the code and note ids."""
    code = await workshop_in(service, Phase.IDEATE, dots_per_participant=5, max_dots_per_idea=3)
    if also_deleted:
        spam = [await service.post_idea(code, f"spam {k}", source=Source.PAPER) for k in range(also_deleted)]
        await service.delete_ideas(code, [i.id for i in spam])
    mallory, _ = await service.join(code, "Mallory")
    ana, _ = await service.join(code, "Ana")
    post = service.post_idea
    ids = {
        "kept": (await post(code, "Benches in the park", author_id=ana.id)).id,
        "deleted": (await post(code, "SECRET-DELETED insult", author_id=mallory.id)).id,
        "hidden": (await post(code, "SECRET-HIDDEN rumour", author_id=mallory.id)).id,
        "hidden_merged": (await post(code, "SECRET-HIDDEN-MERGED", author_id=mallory.id)).id,
        "survivor": (await post(code, "A note deleted later", author_id=mallory.id)).id,
        "under": (await post(code, "SECRET-UNDER-DELETED", author_id=mallory.id)).id,
        "edited": (await post(code, "SECRET-OLD-TEXT", author_id=ana.id)).id,
    }
    await service.edit_idea(code, ids["edited"], "Better street lights")
    await service.delete_idea(code, ids["deleted"])
    await service.hide_idea(code, ids["hidden_merged"])
    await service.merge_ideas(code, ids["kept"], ids["hidden_merged"])  # a hidden note merged into a kept one
    await service.merge_ideas(code, ids["survivor"], ids["under"])
    await service.delete_idea(code, ids["survivor"])  # takes the note merged into it along
    await open_vote(service, code)
    await service.cast_dot(code, mallory.id, ids["hidden"])
    await service.cast_dot(code, ana.id, ids["kept"])
    await service.hide_idea(code, ids["hidden"])  # hidden after it got a dot
    await service.set_phase(code, Phase.TEAMS)
    return code, ids


def _everything(service: WorkshopService, code: str) -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    for exp in EXPORTERS.values():
        for anonymize in (False, True) if "anonymize" in exp.options else (False,):
            for by_department in (False, True) if "by_department" in exp.options else (False,):
                options = ExportOptions(anonymize=anonymize, by_department=by_department)
                for name, data in export_files(service.view(code), exp.name, options).items():
                    out[f"{exp.name} {options} {name}"] = data
    return out


async def test_no_export_carries_a_moderated_note(service: WorkshopService) -> None:
    code, ids = await moderated_workshop(service)
    files = _everything(service, code)
    assert len(files) >= 16
    for name, data in files.items():
        text = data.decode()
        for secret in SECRETS:
            assert secret not in text, (name, secret)
    doc = build_export(service.view(code))
    withheld = {ids[k] for k in ("deleted", "hidden", "hidden_merged", "survivor", "under")}
    assert {i.id for i in doc.ideas} == {ids["kept"], ids["edited"]}
    assert all(v.idea_id not in withheld for v in doc.votes) and len(doc.votes) == 1
    mallory = next(p.id for p in doc.participants if p.name == "Mallory")
    assert all(i.author_id != mallory for i in doc.ideas)  # her notes were all moderated
    assert not json.dumps(doc.model_dump(mode="json")).count("was: ")
    jsonschema.Draft202012Validator(export_schema()).validate(json.loads(dump_json(doc)))
    # The store keeps everything, for the facilitator's undo and the trail.
    state = service.state(code)
    assert state.ideas[ids["deleted"]].text == "SECRET-DELETED insult" and state.ideas[ids["hidden"]].hidden
    assert state.idea_dots[ids["hidden"]] == 1


async def test_moderated_notes_stay_out_however_many_were_withheld(service: WorkshopService) -> None:
    """More withheld notes than characters in a history entry: the export looks for them through the
    entry's text (linear in the workshop), and still finds every one."""
    code, ids = await moderated_workshop(service, also_deleted=120)
    for name, data in _everything(service, code).items():
        for secret in SECRETS:
            assert secret not in data.decode(), (name, secret)
    kept = next(i for i in build_export(service.view(code)).ideas if i.id == ids["kept"])
    assert [c.detail for c in kept.history if c.action == "merged-in"] == ["a note that is not on the wall"]


async def test_import_of_a_moderated_export_reproduces_it(service: WorkshopService, tmp_path: Path) -> None:
    code, _ = await moderated_workshop(service)
    exported = build_export(service.view(code))
    async with WorkshopService(tmp_path / "other") as fresh:
        await fresh.import_export(parse_export(dump_json(exported)))
        again = build_export(fresh.view(code))
    a, b = exported.model_dump(mode="json"), again.model_dump(mode="json")
    a.pop("exported_at"), b.pop("exported_at")
    assert a == b


async def test_the_admin_api_export_leaves_them_out(service: WorkshopService) -> None:
    code, _ = await moderated_workshop(service)
    async with in_process(service) as server, admin(server) as a:
        r = await a.get(f"/api/v1/admin/w/{code}/export")
        assert r.status_code == 200
        assert not any(secret in r.text for secret in SECRETS)


async def test_an_anonymous_workshop_exports_no_authorship(service: WorkshopService) -> None:
    code = await workshop_in(service, Phase.IDEATE, anonymous=True)
    ana, _ = await service.join(code, "Ana")
    idea = await service.post_idea(code, "Shade trees on the square", author_id=ana.id)
    await service.edit_idea(code, idea.id, "Shade trees on the main square", by=ana.id)
    for name, data in _everything(service, code).items():
        if name.endswith(".json") and not name.endswith("datapackage.json"):  # the descriptor has no data
            assert ana.id not in json.dumps(json.loads(data)["ideas"]), name  # nothing ties the note to Ana
        elif name.endswith("ideas.csv"):
            assert ana.id not in data.decode() and "Ana" not in data.decode(), name
    exported = build_export(service.view(code)).ideas[0]
    assert exported.author_id is None and {c.by for c in exported.history} == {"participant"}
    assert service.state(code).ideas[idea.id].author_id == ana.id  # the store keeps it (her phone may edit)
