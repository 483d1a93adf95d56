"""A review meeting in the backlog screen under Pilot, with a frozen clock, on a real data directory:
the items due in order (overdue first), outcomes in a few keys through the service, and the ledger."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from rich.text import Text
from textual.actions import parse
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import OptionList, Static

from screens.backlog.review import ReviewScreen
from screens.backlog.screen import BacklogScreen
from tests.conftest import workshop_in
from tests.helpers.tui import contrast, on_screen, running_app, screen_segments, wait_for
from tests.helpers.tui_harness import HarnessApp
from workshop_tui.models import BacklogStatus, Source
from workshop_tui.phases import Phase
from workshop_tui.service import WorkshopService

MEETING = dt.datetime(2030, 2, 10, 10, tzinfo=dt.UTC)
HOSTILE = "[b]Parks[/b] [@click=app.quit]x"


class Frozen(App[None]):
    def __init__(self, service: WorkshopService, code: str) -> None:
        super().__init__()
        self.service = service
        self.code = code

    def on_mount(self) -> None:
        self.push_screen(BacklogScreen(self.service, self.code, now=lambda: MEETING))


async def four_items(service: WorkshopService) -> tuple[str, dict[str, str]]:
    """Items A (review overdue), B (review due in two days), C (an ask overdue, review later), D (not due)."""
    code = await workshop_in(service, Phase.IDEATE)
    ideas = [await service.post_idea(code, text, source=Source.FACILITATOR) for text in "ABCD"]
    for phase in (Phase.GROUP, Phase.VOTE, Phase.TEAMS, Phase.BACKLOG):
        await service.set_phase(code, phase)
    items = await service.convert_to_backlog(code, [i.id for i in ideas])
    ids = {item.title: item.id for item in items}
    set_up = dt.datetime(2030, 1, 20, 9, tzinfo=dt.UTC)
    plans: dict[str, dict[str, Any]] = {
        "A": {"next_review": "2030-02-05"},
        "B": {
            "status": "approved",
            "next_review": "2030-02-12",
            "asks": [{"kind": "space", "department": "Facilities", "due": "2030-02-20"}],
        },
        "C": {
            "next_review": "2030-02-20",
            "asks": [{"kind": "procedure", "department": HOSTILE, "detail": "a permit", "due": "2030-02-01"}],
        },
        "D": {"next_review": "2030-03-30"},
    }
    for title, plan in plans.items():
        await service.update_backlog_item(ids[title], plan, now=set_up)
    return code, ids


async def start_meeting(pilot: Pilot[None]) -> ReviewScreen:
    """Press m on the backlog (once the app has drawn it) and return the review screen it opens."""
    await pilot.pause()
    await pilot.press("m")
    await pilot.pause()
    assert isinstance(pilot.app.screen, ReviewScreen)
    return pilot.app.screen


def shown(screen: ReviewScreen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def test_a_meeting_steps_through_what_is_due_and_ends_with_its_ledger(service: WorkshopService) -> None:
    code, ids = await four_items(service)
    async with Frozen(service, code).run_test(size=(80, 24)) as pilot:
        review = await start_meeting(pilot)
        assert [i.title for i in review.queue] == ["A", "C", "B"]  # overdue first (review, then ask), then by date
        assert "item 1 of 3" in shown(review, "#review-head") and "2 overdue, shown first" in shown(
            review, "#review-head"
        )
        assert "review was due 2030-02-05" in shown(review, "#review-item-body")
        assert "Next review 2030-02-24" in shown(review, "#review-date")  # two weeks after the meeting
        # A: a note, one week later than proposed, moved forward
        await pilot.press("n", *"landlord agreed", "enter", "plus", "f")
        await pilot.pause()
        a = service.find_backlog_item(ids["A"])[1]
        assert a.status == BacklogStatus.APPROVED and a.next_review == dt.date(2030, 3, 3)
        assert a.history[-1].at == MEETING and "landlord agreed" in a.history[-1].note
        assert "moved forward to approved" in a.history[-1].note
        # C: its overdue ask (hostile department drawn as typed) is granted with an answer; no step forward
        assert "item 2 of 3" in shown(review, "#review-head")
        options = review.query_one("#review-asks", OptionList)
        prompt = options.get_option_at_index(0).prompt
        assert isinstance(prompt, Text) and HOSTILE in prompt.plain and "OVERDUE" in prompt.plain
        await pilot.press("n", *"yes, by March", "enter", "g")
        await pilot.pause()
        c = service.find_backlog_item(ids["C"])[1]
        assert (c.asks[0].status.value, c.asks[0].answered_at, c.asks[0].answer) == (
            "granted",
            MEETING.date(),
            "yes, by March",
        )
        assert "answered 2030-02-10" in options.get_option_at_index(0).prompt.plain  # type: ignore[union-attr]
        await pilot.press("minus", "minus", "minus", "k")  # never sooner than tomorrow
        await pilot.pause()
        c = service.find_backlog_item(ids["C"])[1]
        assert c.status == BacklogStatus.PROPOSED and c.next_review == dt.date(2030, 2, 11)
        assert "reviewed, no step forward" in c.history[-1].note
        # B: skipped, then the meeting is over
        b_before = service.find_backlog_item(ids["B"])[1]
        await pilot.press("s")
        await pilot.pause()
        assert service.find_backlog_item(ids["B"])[1] == b_before
        assert review.ended
        offered = {b.binding.description for b in review.active_bindings.values() if b.enabled}
        assert "Back to the backlog" in offered and "End meeting" not in offered  # the footer says what esc does
        ledger = review.ledger()
        assert (ledger.reviewed, ledger.moved_forward, ledger.stalled, ledger.asks_answered) == (2, 1, 1, 1)
        text = shown(review, "#review-ledger")
        for line in ("2 items reviewed", "1 moved forward", "1 stalled", "1 ask answered", "1 due but not reviewed"):
            assert line in " ".join(text.split()), (line, text)
        await pilot.press("f", "k")  # outcome keys do nothing once the meeting ended
        await pilot.pause()
        assert service.find_backlog_item(ids["A"])[1] == a
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(pilot.app.screen, BacklogScreen)
        assert pilot.app.is_running


async def test_escape_ends_early_and_a_meeting_with_nothing_due_says_so(service: WorkshopService) -> None:
    code, ids = await four_items(service)
    async with Frozen(service, code).run_test(size=(100, 30)) as pilot:
        review = await start_meeting(pilot)
        await pilot.press("p")  # A parked
        await pilot.pause()
        assert service.find_backlog_item(ids["A"])[1].status == BacklogStatus.PARKED
        await pilot.press("n", *"x", "escape")  # escape leaves the note first, typed keys stay in it
        await pilot.pause()
        assert not review.ended
        await pilot.press("a")  # C's ask answered, nothing decided yet: in progress, dated today
        await pilot.pause()
        ask = service.find_backlog_item(ids["C"])[1].asks[0]
        assert (ask.status.value, ask.answered_at, ask.answer) == ("in-progress", MEETING.date(), "x")
        await pilot.press("escape")
        await pilot.pause()
        ledger = review.ledger()
        assert review.ended and (ledger.parked, ledger.reviewed, ledger.asks_answered) == (1, 2, 1)
        assert "1 due but not reviewed" in " ".join(shown(review, "#review-ledger").split())
        await pilot.press("escape")
        await pilot.pause()
        # everything reviewed to a far date: nothing is due any more
        for item_id in ids.values():
            await service.update_backlog_item(item_id, {"next_review": "2031-01-01", "asks": []}, now=MEETING)
        review = await start_meeting(pilot)
        assert review.ended and "Nothing is due for review" in shown(review, "#review-ledger")


async def test_a_review_meeting_offers_no_phase_keys(data_dir: Path) -> None:
    """The meeting is not a phase screen: no "Next phase" or "Step back" in its footer or the palette,
    and the keys do nothing; the backlog phase's own screen still offers stepping back."""
    async with WorkshopService(data_dir) as service:
        code = await workshop_in(service, Phase.IDEATE)
        idea = await service.post_idea(code, "A", source=Source.FACILITATOR)
        for phase in (Phase.GROUP, Phase.VOTE, Phase.TEAMS, Phase.BACKLOG):
            await service.set_phase(code, phase)
        (item,) = await service.convert_to_backlog(code, [idea.id])
        yesterday = dt.date.today() - dt.timedelta(days=1)
        await service.update_backlog_item(item.id, {"next_review": yesterday.isoformat()})
    async with running_app(data_dir, code=code, size=(120, 30)) as (app, pilot):
        await wait_for(pilot, lambda: on_screen(app, BacklogScreen), "the backlog")
        assert app.check_action("step_back_phase", ()), "the backlog phase's screen offers stepping back"
        await pilot.press("m")
        await wait_for(pilot, lambda: on_screen(app, ReviewScreen), "the review meeting")
        review = app.screen
        offered = {b.binding.action for b in review.active_bindings.values() if b.enabled}
        assert not offered & {"advance_phase", "step_back_phase", "reveal_results"}
        titles = [c.title for c in app.palette_commands() if app.action_allowed(*parse(c.action)[1:], review)]
        assert not [t for t in titles if t.startswith(("Next phase", "Step back"))]
        await pilot.press("ctrl+left")
        await pilot.pause()
        assert app.service.view(code).phase == Phase.BACKLOG and app.screen is review


async def test_the_highlighted_ask_is_readable_on_the_projector(service: WorkshopService) -> None:
    """An ask's status and due date keep their colours on the highlighted row: on the projector's yellow
    highlight an orange "open" was unreadable. Every character of the asks list stands out 4.5:1."""
    code, _ids = await four_items(service)
    app = HarnessApp(service, lambda: BacklogScreen(service, code, now=lambda: MEETING))
    async with app.run_test(size=(80, 24)) as pilot:
        review = await start_meeting(pilot)
        await pilot.press("s")  # to C, with an overdue ask
        await wait_for(pilot, lambda: "item 2 of 3" in shown(review, "#review-head"), "the second item")
        asks = review.query_one("#review-asks", OptionList)
        asks.focus()
        await pilot.pause()
        assert asks.highlighted == 0
        box = asks.content_region
        checked = []
        for row in screen_segments(app)[box.y : box.bottom]:
            x = 0
            for segment in row:
                if box.x <= x < box.right and segment.text.strip():
                    checked.append((round(contrast(segment), 1), segment.text))
                x += segment.cell_length
        assert checked and min(c for c, _ in checked) >= 4.5, checked
