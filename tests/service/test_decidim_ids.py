"""Recording Decidim result ids on backlog items: one writer, durable, no two items on one result, and
bookkeeping only (no history line, no fresh updated_at); the matching rules of `decidim link`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.helpers.api import admin, assert_error, in_process
from tests.service.test_backlog_rules import backlog_workshop
from workshop_tui.decidim_link import DecidimResult, normalised_title, plan_links
from workshop_tui.errors import Conflict, NotFound
from workshop_tui.models import BacklogItem
from workshop_tui.service import WorkshopService


async def test_links_are_durable_and_leave_the_follow_up_alone(any_service: WorkshopService, data_dir: Path) -> None:
    code, (a, b) = await backlog_workshop(any_service)
    before = any_service.state(code).backlog[a]
    changed = await any_service.link_decidim(code, {a: 12, b: 13})
    assert [i.decidim_id for i in changed] == [12, 13]
    after = any_service.state(code).backlog[a]
    assert after.history == before.history and after.updated_at == before.updated_at
    assert await any_service.link_decidim(code, {a: 12}) == []  # unchanged: nothing written
    await any_service.close()
    reopened = WorkshopService(data_dir).open()
    try:
        assert {i: reopened.state(code).backlog[i].decidim_id for i in (a, b)} == {a: 12, b: 13}
    finally:
        await reopened.close()


async def test_two_items_cannot_share_a_result(service: WorkshopService) -> None:
    code, (a, b) = await backlog_workshop(service)
    await service.link_decidim(code, {a: 12})
    with pytest.raises(Conflict, match="already linked"):
        await service.link_decidim(code, {b: 12})
    with pytest.raises(Conflict, match="already linked"):
        await service.update_backlog_item(b, {"decidim_id": 12, "note": "same as the other"})
    assert service.state(code).backlog[b].decidim_id is None
    await service.link_decidim(code, {a: 13, b: 12})  # a swap in one write is fine
    with pytest.raises(NotFound):
        await service.link_decidim(code, {"nope": 1})


async def test_the_admin_api_sets_and_clears_a_link(service: WorkshopService) -> None:
    code, (a, _) = await backlog_workshop(service)
    history = len(service.state(code).backlog[a].history)
    async with in_process(service) as server, admin(server) as c:
        r = await c.patch(f"/api/v1/admin/backlog/{a}", json={"decidim_id": 41})
        assert r.status_code == 200 and r.json()["decidim_id"] == 41
        assert len(service.state(code).backlog[a].history) == history  # bookkeeping: no history line
        assert_error(await c.patch(f"/api/v1/admin/backlog/{a}", json={"decidim_id": 0}), 422)
        assert_error(await c.patch(f"/api/v1/admin/backlog/{a}", json={"decidim_id": "41"}), 422)
        assert_error(await c.patch(f"/api/v1/admin/backlog/{a}", json={"decidim_id": 2**64}), 422)  # not a bigint
        r = await c.patch(f"/api/v1/admin/backlog/{a}", json={"decidim_id": None})
        assert r.status_code == 200 and r.json()["decidim_id"] is None
        r = await c.patch(f"/api/v1/admin/backlog/{a}", json={"decidim_id": 7, "status": "approved"})
        assert r.json()["decidim_id"] == 7 and r.json()["status"] == "approved"


def _item(item_id: str, title: str, decidim_id: int | None = None, minute: int = 0) -> BacklogItem:
    created = dt.datetime(2026, 3, 14, 9, minute, tzinfo=dt.UTC)
    return BacklogItem(id=item_id, workshop="w", title=title, decidim_id=decidim_id, created_at=created)


def test_matching_prefers_kept_links_then_our_id_then_one_title() -> None:
    items = [
        _item("a", "Shade trees", decidim_id=1),
        _item("b", "Bike racks", minute=1),
        _item("c", "=SUM(A1) benches", minute=2),
        _item("d", "Same title", minute=3),
        _item("e", "same  TITLE", minute=4),
        _item("f", "Nothing like it", minute=5),
        _item("g", "Gone", decidim_id=99, minute=6),
    ]
    results = [
        DecidimResult(id=1, titles=["Shade trees"]),
        DecidimResult(id=2, titles=["Renamed in Decidim"], external_id="b"),
        DecidimResult(id=3, titles=["'=SUM(A1) benches", "Penkit"]),
        DecidimResult(id=4, titles=["Same title"]),
        DecidimResult(id=5, titles=["Elsewhere"]),
    ]
    plan = plan_links(items, results)
    assert [(x.item_id, x.decidim_id, x.by) for x in plan.links] == [
        ("a", 1, "kept"),
        ("b", 2, "external_id"),
        ("c", 3, "title"),
    ]
    assert [(x.item_id, x.candidates) for x in plan.ambiguous] == [("d", [4]), ("e", [4])]  # two items, one title
    assert plan.unmatched == ["f"] and plan.kept_absent == ["g"] and plan.foreign == [5]


def test_two_results_for_one_item_are_ambiguous() -> None:
    plan = plan_links([_item("a", "Shade")], [DecidimResult(id=7, titles=["x"], external_id="a"),
                                               DecidimResult(id=8, titles=["y"], external_id="a")])  # fmt: skip
    assert plan.links == [] and [(x.item_id, x.candidates) for x in plan.ambiguous] == [("a", [7, 8])]


def test_normalised_titles() -> None:
    assert normalised_title("  Bike\u00a0 RACKS ") == normalised_title("bike racks")
    assert normalised_title("'=1+1") == normalised_title("=1+1") and normalised_title("'quoted") == "'quoted"
    assert normalised_title("ﬁx") == "fix"  # NFKC
