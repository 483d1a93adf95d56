"""What the read side keeps instead of walking the workshop (issue 13): the room's ready counts,
computed once per change, and the last activity, a running maximum. Both must follow every change,
including one that the disk refused."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import two_notes_of_one_idea_with_dots, workshop_in
from tests.helpers.waiting import wait_until
from workshop_tui.errors import StoreFailed, WorkshopError
from workshop_tui.exports import export_files
from workshop_tui.models import Source
from workshop_tui.phases import Phase
from workshop_tui.server.views import me_view
from workshop_tui.service import WorkshopService
from workshop_tui.service.queries import Readiness
from workshop_tui.state import WorkshopState


def _walked(state: WorkshopState) -> dt.datetime:
    """The last activity as it was computed before it was kept: the latest stamp of all."""
    stamps = [state.workshop.updated_at, *(i.updated_at for i in state.ideas.values())]
    return max(stamps + [p.joined_at for p in state.participants.values()])


async def test_ready_counts_follow_every_change(service: WorkshopService) -> None:
    code = await workshop_in(service, Phase.IDEATE, dots_per_participant=2, max_dots_per_idea=2)
    view = service.view(code)
    assert view.readiness() == Readiness("writing", 0, 0)
    p, _ = await service.join(code, "P")
    q, _ = await service.join(code, "Q")
    assert view.readiness() == Readiness("writing", 2, 0)
    await service.say_done(code, p.id)
    assert view.readiness() == service.view(code).readiness() == Readiness("writing", 2, 1)
    await service.block_participant(code, q.id)
    assert view.readiness() == Readiness("writing", 1, 1)
    note = await service.post_idea(code, "shade trees", author_id=p.id)
    await service.set_phase(code, Phase.GROUP)
    assert view.readiness() is None
    await service.set_phase(code, Phase.VOTE)
    await service.set_voting(code, voting_open=True)
    assert view.readiness() == Readiness("voting", 1, 0)
    await service.cast_dot(code, p.id, note.id)
    assert view.readiness() == Readiness("voting", 1, 0)
    await service.cast_dot(code, p.id, note.id)
    assert view.readiness() == Readiness("voting", 1, 1)  # every dot placed
    await service.withdraw_dot(code, p.id, note.id)
    assert view.readiness() == Readiness("voting", 1, 0)


async def test_ready_counts_drop_a_join_the_disk_refused(data_dir: Path) -> None:
    service = WorkshopService(data_dir).open()
    code = await workshop_in(service, Phase.IDEATE)
    await service.join(code, "acknowledged")
    view = service.view(code)
    assert view.readiness() == Readiness("writing", 1, 0)
    directory = data_dir / "workshops" / view.id

    def gone() -> bool:  # retried: the phase change's snapshot thread may still add a file
        shutil.rmtree(directory, ignore_errors=True)
        return not directory.exists()

    await wait_until(gone, what="the workshop's directory deleted")
    refused = asyncio.ensure_future(service.join(code, "refused"))
    # one turn of the loop at a time: the refusal comes back a few turns after the join is applied
    await wait_until(lambda: len(view.participants) == 2, what="the join in memory", pause=lambda _: asyncio.sleep(0))
    assert view.readiness() == Readiness("writing", 2, 0)  # read while its write is on its way to disk
    with pytest.raises(StoreFailed):
        await refused
    assert view.readiness() == Readiness("writing", 1, 0)
    with pytest.raises(StoreFailed):
        await service.close()


async def test_last_activity_is_the_latest_stamp_after_each_change_and_a_reopen(data_dir: Path) -> None:
    async with WorkshopService(data_dir) as service:
        code = await workshop_in(service, Phase.IDEATE)
        state = service.state(code)
        assert service.view(code).last_activity() == _walked(state)
        p, _ = await service.join(code, "P")
        assert service.view(code).last_activity() == p.joined_at == _walked(state)
        note = await service.post_idea(code, "bike lane", author_id=p.id)
        assert service.view(code).last_activity() == note.updated_at == _walked(state)
        edited = await service.edit_idea(code, note.id, "bike lane on Main St", by=p.id)
        assert service.view(code).last_activity() == edited.updated_at == _walked(state)
        await service.set_phase(code, Phase.GROUP)
        assert service.view(code).last_activity() == state.workshop.updated_at == _walked(state)
        expected = service.summary(state.id).last_activity
    async with WorkshopService(data_dir) as service:
        state = service.state(code)
        assert service.view(code).last_activity() == expected == _walked(state)


async def test_dots_rankings_teams_and_themes_are_activity_too(data_dir: Path) -> None:
    """The home list's "last activity" is the latest thing anybody did, kept by the service (and in the
    store: a reopen without the summary file gives the same time)."""
    async with WorkshopService(data_dir) as service:
        code = await workshop_in(service, Phase.IDEATE, dots_per_participant=3, max_dots_per_idea=3)
        view = service.view(code)
        people = [(await service.join(code, name))[0] for name in ("P", "Q")]
        notes = [await service.post_idea(code, text, author_id=people[0].id) for text in ("bikes", "trees")]
        steps: list[tuple[str, Callable[[], Any]]] = [
            ("a theme", lambda: service.create_theme(code, "Mobility")),
            ("the vote", lambda: service.set_phase(code, Phase.GROUP)),
            ("the vote", lambda: service.set_phase(code, Phase.VOTE)),
            ("the ballot", lambda: service.set_voting(code, voting_open=True)),
            ("a dot", lambda: service.cast_dot(code, people[1].id, notes[0].id)),
            ("a paper dot", lambda: service.add_paper_dots(code, notes[1].id, 2)),
            ("teams", lambda: service.set_phase(code, Phase.TEAMS)),
            ("the candidates", lambda: service.set_team_candidates(code, idea_ids=[notes[0].id, notes[1].id])),
            ("a ranking", lambda: service.set_preferences(code, people[1].id, [notes[0].id, notes[1].id])),
            ("teams", lambda: service.form_teams(code, idea_ids=[notes[0].id, notes[1].id], min_size=1)),
        ]
        for what, step in steps:
            before = view.last_activity()
            await step()
            assert view.last_activity() > before, what
        team = next(t for t in view.teams.values() if people[0].id not in t.member_ids)
        before = view.last_activity()
        await service.move_member(code, people[0].id, team.id)
        assert view.last_activity() > before > _walked(service.state(code))  # no document says when
        expected = service.summary(view.id).last_activity
        assert expected == view.last_activity()
    directory = data_dir / "workshops" / view.id
    async with WorkshopService(data_dir) as service:  # from the summary file
        assert service.summary(view.id).last_activity == expected
    (directory / "summary.json").unlink()
    async with WorkshopService(data_dir) as service:  # from the store
        assert service.summary(view.id).last_activity == expected
        assert service.view(code).last_activity() == expected


# ------------------------------------------------------------------ dots, validated on first use


async def _voted(data_dir: Path) -> tuple[str, str, str]:
    """A closed service's workshop in the vote: p put 1 dot on a note, q 2; its code, p's id, the note."""
    async with WorkshopService(data_dir) as service:
        code = await workshop_in(service, Phase.IDEATE, dots_per_participant=5, max_dots_per_idea=3)
        p, _ = await service.join(code, "P")
        q, _ = await service.join(code, "Q")
        note = await service.post_idea(code, "bike lane", author_id=p.id)
        await service.set_phase(code, Phase.GROUP)
        await service.set_phase(code, Phase.VOTE)
        await service.set_voting(code, voting_open=True)
        await service.cast_dot(code, p.id, note.id)
        for _ in range(2):
            await service.cast_dot(code, q.id, note.id)
    return code, p.id, note.id


def _edit_stored(data_dir: Path, table: str, edit: Callable[[dict[str, Any]], None]) -> None:
    """Apply ``edit`` to every document of ``table`` in the closed workshop's newest snapshot."""
    (directory,) = (data_dir / "workshops").iterdir()
    newest = sorted(directory.glob("snapshot-*.json"))[-1]
    tables = json.loads(newest.read_text())
    for doc in tables[table].values():
        edit(doc)
    newest.write_text(json.dumps(tables))


async def test_dots_read_back_count_and_change_as_before(data_dir: Path) -> None:
    code, p, note = await _voted(data_dir)
    async with WorkshopService(data_dir) as service:
        view = service.view(code)
        assert (view.dots_cast(), view.dots_on(note), view.remaining_dots(p)) == (3, 3, 4)  # from the stored dots
        assert await service.cast_dot(code, p, note) == 3  # a vote that exists: +1, not a new one
        assert (view.dots_cast(), view.dots_on(note), view.dots_of(p, note)) == (4, 4, 2)
        assert sorted(v.dots for v in view.votes.values()) == [2, 2]
    async with WorkshopService(data_dir) as service:
        assert service.view(code).dots_cast() == 4


async def test_a_stored_dot_that_fails_validation_is_a_clear_503_when_first_read(data_dir: Path) -> None:
    code, p, note = await _voted(data_dir)
    _edit_stored(data_dir, "votes", lambda doc: doc.update(colour="red"))  # no such field
    async with WorkshopService(data_dir) as service:
        view = service.view(code)
        assert view.dots_cast() == 3  # the tallies stand: the wall and the counts still show
        with pytest.raises(StoreFailed, match=r"dots of workshop \w+ could not be read"):
            service.view(code).votes  # noqa: B018 - reading is the point
        with pytest.raises(StoreFailed):
            await service.cast_dot(code, p, note)


# ------------------------------------------------------------------ notes, validated on first use


async def _noted(data_dir: Path) -> str:
    """A closed service's workshop with notes of every kind: themed, hidden, deleted, merged, and written in
    private (off the wall until revealed); its code."""
    async with WorkshopService(data_dir) as service:
        code = await workshop_in(service, Phase.IDEATE)
        p, _ = await service.join(code, "P")
        q, _ = await service.join(code, "Q")
        notes = [await service.post_idea(code, f"note {k}", author_id=p.id) for k in range(5)]
        await service.hide_idea(code, notes[0].id)
        await service.delete_idea(code, notes[1].id)
        await service.set_phase(code, Phase.GROUP)
        theme = await service.create_theme(code, "Shade")
        await service.set_idea_theme(code, notes[2].id, theme.id)
        await service.merge_ideas(code, notes[2].id, notes[3].id)
        await service.set_phase(code, Phase.IDEATE)  # back to writing, in private now
        await service.update_workshop(code, settings={"private_writing": True})
        private = await service.post_idea(code, "written in private", author_id=q.id)
        assert service.view(code).ideas[private.id].awaiting_reveal
    return code


def _note_tallies(state: WorkshopState) -> tuple[object, ...]:
    return (
        dict(state.theme_notes),
        state.private_notes,
        dict(state.notes_by),
        {k: set(v) for k, v in state.authored.items()},
        dict(state.merged),
        state.last_activity(),
    )


async def test_notes_read_back_count_as_the_validated_ones_and_change_as_before(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code = await _noted(data_dir)
    async with WorkshopService(data_dir, read_only=True) as service:
        from_stored = _note_tallies(service.state(code))  # the notes themselves not read yet
    with monkeypatch.context() as m:
        m.setattr(WorkshopState, "_count_stored_ideas", lambda self: False)  # tallied from the validated notes
        async with WorkshopService(data_dir, read_only=True) as service:
            assert _note_tallies(service.state(code)) == from_stored
            assert service.state(code).last_activity() == _walked(service.state(code))
    async with WorkshopService(data_dir) as service:
        view = service.view(code)
        assert (view.notes_on_wall(), view.private_notes) == (2, 1)
        await service.post_idea(code, "one more", author_id=view.ideas[next(iter(view.ideas))].author_id)
        assert (view.notes_on_wall(), view.private_notes, len(view.ideas)) == (2, 2, 7)  # in private too
        await service.reveal_notes(code)
        assert (view.notes_on_wall(), view.private_notes) == (4, 0)


@pytest.mark.parametrize(
    ("table", "named", "bad"), [("votes", "dots", {"dots": "two"}), ("ideas", "notes", {"hidden": "maybe"})]
)
async def test_a_stored_record_that_is_not_shaped_like_one_keeps_the_workshop_closed(
    data_dir: Path, table: str, named: str, bad: dict[str, str]
) -> None:
    """Unlike a field the model does not know (a 503 when first read, below), a known field of the wrong
    shape is found when the workshop opens: its tallies cannot be counted."""
    code = (await _voted(data_dir))[0] if table == "votes" else await _noted(data_dir)
    _edit_stored(data_dir, table, lambda doc: doc.update(bad))
    async with WorkshopService(data_dir) as service:
        with pytest.raises(WorkshopError):
            service.view(code)
        assert any("could not be opened" in m and named in m for m in service.messages), service.messages


async def test_a_stored_note_that_fails_validation_is_a_clear_503_when_first_read(data_dir: Path) -> None:
    code = await _noted(data_dir)
    _edit_stored(data_dir, "ideas", lambda doc: doc.update(colour="red"))  # no such field
    async with WorkshopService(data_dir) as service:
        view = service.view(code)
        assert view.notes_on_wall() == 2  # the tallies stand: the counts still show
        with pytest.raises(StoreFailed, match=r"notes of workshop \w+ could not be read"):
            service.view(code).ideas  # noqa: B018 - reading is the point
        with pytest.raises(StoreFailed):
            await service.post_idea(code, "one more", source=Source.PAPER)


# ------------------------------------------------------------------ the ideas each person has dots on


def _walked_votes(service: WorkshopService, code: str) -> dict[str, frozenset[str]]:
    view = service.view(code)
    return {
        pid: frozenset(v.idea_id for v in view.votes.values() if v.participant_id == pid) for pid in view.participants
    }


def _indexed(service: WorkshopService, code: str) -> dict[str, frozenset[str]]:
    view = service.view(code)
    return {pid: view.voted_ideas(pid) for pid in view.participants}


async def test_the_ideas_each_person_voted_for_follow_dots_merges_and_a_reopen(data_dir: Path) -> None:
    async with WorkshopService(data_dir) as service:
        code, p, q, keep, dup = await two_notes_of_one_idea_with_dots(service)
        assert _indexed(service, code) == _walked_votes(service, code) == {p: {keep, dup}, q: {dup}}
        await service.withdraw_dot(code, q, dup)
        assert _indexed(service, code) == _walked_votes(service, code) == {p: {keep, dup}, q: frozenset()}
        await service.cast_dot(code, q, dup)
        await service.merge_ideas(code, keep, dup)  # the duplicate's dots move to the note kept
        assert _indexed(service, code) == _walked_votes(service, code)
        merged = _indexed(service, code)
        me = me_view(service.view(code), service.view(code).participants[q])
        assert [(v.idea_id, v.dots) for v in me.votes] == [(keep, 1)]
    async with WorkshopService(data_dir) as service:
        assert _indexed(service, code) == merged  # from the stored dots, before they are validated
        assert _indexed(service, code) == _walked_votes(service, code)


async def test_an_export_is_the_same_from_the_stored_dots_and_from_the_validated_ones(data_dir: Path) -> None:
    async with WorkshopService(data_dir) as service:
        code, _, _, keep, _ = await two_notes_of_one_idea_with_dots(service)
        await service.add_paper_dots(code, keep, 2)
        live = _exported(service, code)
    async with WorkshopService(data_dir, read_only=True) as service:
        stored = _exported(service, code)  # before anything validates the dots
        assert len(service.view(code).votes) == 4  # now validated
        validated = _exported(service, code)
    assert stored == validated == live
    assert [v["source"] for v in stored["votes"]].count("paper") == 1


def _exported(service: WorkshopService, code: str) -> dict[str, Any]:
    ((_, data),) = export_files(service.view(code), "json").items()
    doc: dict[str, Any] = json.loads(data)
    del doc["exported_at"]
    return doc


async def test_the_notes_each_person_wrote_follow_posts_deletes_merges_and_a_reopen(data_dir: Path) -> None:
    def walked(service: WorkshopService) -> dict[str, frozenset[str]]:
        view = service.view(code)
        return {p: frozenset(i for i, n in view.ideas.items() if n.author_id == p) for p in view.participants}

    def indexed(service: WorkshopService) -> dict[str, frozenset[str]]:
        view = service.view(code)
        return {p: view.authored_ideas(p) for p in view.participants}

    async with WorkshopService(data_dir) as service:
        code = await workshop_in(service, Phase.IDEATE)
        p, _ = await service.join(code, "P")
        q, _ = await service.join(code, "Q")
        a = await service.post_idea(code, "shade trees", author_id=p.id)
        b = await service.post_idea(code, "more shade", author_id=q.id)
        c = await service.post_idea(code, "bike lane", author_id=p.id)
        await service.edit_idea(code, c.id, "a bike lane", by=p.id)
        await service.delete_idea(code, c.id, by=p.id)
        assert indexed(service) == walked(service) == {p.id: {a.id, c.id}, q.id: {b.id}}
        await service.set_phase(code, Phase.GROUP)
        await service.merge_ideas(code, a.id, b.id)
        assert indexed(service) == walked(service)
        me = me_view(service.view(code), service.view(code).participants[p.id])
        assert [i.text for i in me.ideas] == ["shade trees"]  # deleted and merged notes are not listed
        assert me_view(service.view(code), service.view(code).participants[q.id]).ideas == []
    async with WorkshopService(data_dir) as service:
        assert indexed(service) == walked(service) == {p.id: {a.id, c.id}, q.id: {b.id}}
