"""Past workshops are listed from their summaries and opened only when asked for (issue 13)."""

from __future__ import annotations

import shutil
from pathlib import Path

from workshop_tui.models import Source
from workshop_tui.phases import Phase
from workshop_tui.service import WorkshopService
from workshop_tui.summaries import SUMMARY_FILE, listed, read_summary


async def _fill(data_dir: Path, count: int) -> dict[str, tuple[int, int, int]]:
    """``count`` workshops with k people, k notes, k dots; (people, notes, dots) by code."""
    expected = {}
    async with WorkshopService(data_dir) as service:
        for k in range(1, count + 1):
            w = await service.create_workshop(f"Workshop {k}", settings={"dots_per_participant": 10})
            await service.set_phase(w.code, Phase.IDEATE)
            people = [(await service.join(w.code, f"P{j}"))[0] for j in range(k)]
            notes = [await service.post_idea(w.code, f"note {j}", author_id=p.id) for j, p in enumerate(people)]
            await service.set_phase(w.code, Phase.GROUP)
            await service.set_phase(w.code, Phase.VOTE)
            await service.set_voting(w.code, voting_open=True)
            for p, note in zip(people, notes, strict=True):
                await service.cast_dot(w.code, p.id, note.id)
            expected[w.code] = (k, k, k)
    return expected


def _counts(service: WorkshopService) -> dict[str, tuple[int, int, int]]:
    return {s.code: (s.participants, s.ideas, s.dots) for s in service.summaries()}


async def test_the_list_opens_no_workshop_and_each_opens_when_asked_for(data_dir: Path) -> None:
    expected = await _fill(data_dir, 3)
    for read_only in (True, False):
        service = WorkshopService(data_dir, read_only=read_only).open()
        try:
            assert service.open_states() == []
            assert _counts(service) == expected
            assert {w.code for w in service.workshops()} == set(expected)
            code = sorted(expected)[0]
            assert len(service.state(code).participants) == expected[code][0]  # opened on demand
            assert [s.code for s in service.open_states()] == [code]
            assert _counts(service) == expected  # the open one counts live, the others from their file
        finally:
            await service.close()


async def test_preload_opens_only_what_it_picks(data_dir: Path) -> None:
    expected = await _fill(data_dir, 3)
    first, *others = sorted(expected)
    async with WorkshopService(data_dir) as service:
        for phase in (Phase.TEAMS, Phase.BACKLOG, Phase.CLOSED):
            await service.set_phase(first, phase)
    service = WorkshopService(data_dir).open(preload=lambda s: s.phase != Phase.CLOSED)  # what `serve` does
    try:
        assert sorted(s.code for s in service.open_states()) == others
        assert service.view(first).phase == Phase.CLOSED
    finally:
        await service.close()


async def test_a_summary_the_files_moved_past_is_not_trusted(data_dir: Path, tmp_path: Path) -> None:
    """A crash after more writes leaves the summary of the previous close: it must be rebuilt."""
    expected = await _fill(data_dir, 2)
    code = sorted(expected)[1]
    crashed = tmp_path / "crashed"
    async with WorkshopService(data_dir) as service:
        await service.set_phase(code, Phase.IDEATE)
        joined, _ = await service.join(code, "late")
        await service.post_idea(code, "a late note", author_id=joined.id)
        await service.set_phase(code, Phase.GROUP)
        await service.set_phase(code, Phase.VOTE)
        await service.add_paper_dots(code, next(iter(service.state(code).ideas)), 2)
        await service.flush()
        shutil.copytree(data_dir, crashed)  # what kill -9 leaves now: acknowledged writes, the old summary
    (directory,) = (p for p in (crashed / "workshops").iterdir() if code in (p / SUMMARY_FILE).read_text())
    assert read_summary(directory) is None
    people, notes, dots = expected[code]
    for read_only in (True, False):
        service = WorkshopService(crashed, read_only=read_only).open()
        try:
            assert _counts(service)[code] == (people + 1, notes + 1, dots + 2)
        finally:
            await service.close()
    assert read_summary(directory) is not None  # the writer's close wrote it again


async def test_a_damaged_or_foreign_summary_is_ignored(data_dir: Path) -> None:
    expected = await _fill(data_dir, 2)
    first, second = sorted((p for p in (data_dir / "workshops").iterdir()), key=lambda p: p.name)
    (first / SUMMARY_FILE).write_bytes(b'{"format": 1, "fingerp')
    (second / SUMMARY_FILE).write_bytes((first / SUMMARY_FILE).read_bytes())
    service = WorkshopService(data_dir, read_only=True).open()
    try:
        assert len(service.open_states()) == 2
        assert _counts(service) == expected
    finally:
        await service.close()


async def test_a_workshop_damaged_while_listed_is_a_clear_error_when_opened(data_dir: Path) -> None:
    from workshop_tui.errors import StoreFailed

    expected = await _fill(data_dir, 1)
    (code,) = expected
    service = WorkshopService(data_dir, read_only=True).open()
    try:
        (directory,) = (data_dir / "workshops").iterdir()
        for path in directory.glob("snapshot-*"):
            path.write_bytes(b"{broken")
        for path in directory.glob("journal-*.wal"):
            path.write_bytes(b"")
        try:
            service.state(code)
        except StoreFailed as exc:
            assert code in exc.message and "could not be opened" in exc.message
        else:
            raise AssertionError("a workshop with no readable copy must not open")
        assert service.summaries() == []
        assert any("no readable copy" in m for m in service.messages)
    finally:
        await service.close()


async def test_a_paper_note_in_a_listed_workshop_reaches_its_summary(data_dir: Path) -> None:
    expected = await _fill(data_dir, 1)
    (code,) = expected
    async with WorkshopService(data_dir) as service:
        await service.set_phase(code, Phase.IDEATE)
        await service.post_idea(code, "from paper", source=Source.PAPER)
    service = WorkshopService(data_dir, read_only=True).open()
    try:
        assert service.open_states() == []
        assert _counts(service)[code] == (1, 2, 1)
    finally:
        await service.close()


async def test_listed_reads_what_the_service_lists_or_says_a_workshop_must_be_opened(data_dir: Path) -> None:
    """``list`` trusts ``listed`` without the service: the same rows, or None when one summary is unusable."""
    await _fill(data_dir, 3)
    service = WorkshopService(data_dir, read_only=True).open()
    assert listed(data_dir) == service.summaries()
    await service.close()
    assert listed(data_dir / "nowhere") == []
    (data_dir / "workshops" / ".half-built.building").mkdir()  # an interrupted import is not a workshop
    assert listed(data_dir) is not None
    first = sorted((data_dir / "workshops").glob("[!.]*"))[0]
    (first / SUMMARY_FILE).write_bytes(b"{")
    assert listed(data_dir) is None
