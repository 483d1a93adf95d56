"""A workshop that went on after the room, for the follow-up site, feeds and phone tests.

Built through the service on a real store: people join (one with a hostile name), post notes (hostile
ones too), vote; one note is hidden and one deleted; the ideas become prototypes that are then reviewed
over several weeks (``now=`` moves the clock of each backlog change), review dates move, asks are answered.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from tests.helpers.hostile_text import ESCAPES
from workshop_tui.phases import Phase
from workshop_tui.service import WorkshopService

#: Markup, template syntax, links and controls that must stay inert text on every page, feed and calendar.
HOSTILE_HTML = [
    "<script>alert('x')</script>",
    '"><img src=x onerror=alert(1)>',
    "<a href='https://evil.example/p'>click</a>",
    "{{ 7*7 }} {% raw %} ]]> &amp; &lt;",
    "javascript:alert(1)",
]
REAL_NAMES = ["Wilhelmina Quist", "Xander Yoell"]


@dataclass
class Followed:
    code: str
    item_ids: list[str]
    hidden_text: str
    deleted_text: str
    voter_id: str
    voter_token: str
    start: dt.datetime
    names: list[str] = field(default_factory=list)

    def day(self, n: int) -> dt.datetime:
        """``n`` days after the session."""
        return self.start + dt.timedelta(days=n)

    def date(self, n: int) -> str:
        return self.day(n).date().isoformat()


async def followed_workshop(
    service: WorkshopService, *, title: str = "Shade for the market square", language: str | None = None
) -> Followed:
    w = await service.create_workshop(
        title, prompt="How do we keep the square cool? <b>bold</b> & more", language=language
    )
    code = w.code
    await service.set_phase(code, Phase.IDEATE)
    people = [await service.join(code, name=name) for name in [*REAL_NAMES, HOSTILE_HTML[1], ESCAPES["bidi"]]]
    texts = [
        "Trees along the south side",
        HOSTILE_HTML[0],
        f"Misting posts {HOSTILE_HTML[2]}",
        f"Sails over the stalls {ESCAPES['csi']} {ESCAPES['c1']} {HOSTILE_HTML[3]}",
    ]
    ideas = [await service.post_idea(code, t, author_id=people[n % len(people)][0].id) for n, t in enumerate(texts)]
    hidden = await service.post_idea(code, "HIDDEN-NOTE-TEXT about a neighbour", author_id=people[0][0].id)
    deleted = await service.post_idea(code, "DELETED-NOTE-TEXT with a phone number", author_id=people[1][0].id)
    await service.hide_idea(code, hidden.id)
    await service.delete_idea(code, deleted.id)
    for phase in (Phase.GROUP, Phase.VOTE):
        await service.set_phase(code, phase)
    await service.set_voting(code, voting_open=True)
    for n, (person, _) in enumerate(people):
        for idea in ideas[: 2 + n % 3]:
            await service.cast_dot(code, person.id, idea.id)
    await service.set_voting(code, voting_open=False, results_revealed=True)
    await service.set_phase(code, Phase.TEAMS)
    await service.set_phase(code, Phase.BACKLOG)
    items = await service.convert_to_backlog(code, [i.id for i in ideas[:3]])
    first, second, third = (i.id for i in items)
    # The backlog starts now (the service's clock); every later change is dated by `now=`.
    f = Followed(
        code=code,
        item_ids=[first, second, third],
        hidden_text="HIDDEN-NOTE-TEXT",
        deleted_text="DELETED-NOTE-TEXT",
        voter_id=people[0][0].id,
        voter_token=people[0][1],
        start=items[0].created_at,
        names=[REAL_NAMES[0], "w.quist@example.org"],
    )
    # The same two asks in both updates of the first item; the second answers the first ask.
    pits = {
        "kind": "space",
        "department": "Parks & Green <Space>",
        "detail": f"planting pits {HOSTILE_HTML[0]}",
        "due": f.date(10),
    }
    delivery_times = {"kind": "open-data", "department": "Mobility", "detail": "delivery times"}
    await service.update_backlog_item(
        first,
        {
            "owner": {"name": REAL_NAMES[0], "contact": "w.quist@example.org", "public": False},
            "status": "approved",
            "note": f"Parks sponsors it; {REAL_NAMES[0]} leads. {HOSTILE_HTML[4]}",
            "next_review": f.date(14),
            "budget_requests": [{"amount": "900", "purpose": "saplings", "status": "approved"}],
            "asks": [pits, delivery_times],
        },
        now=f.day(1),
    )
    await service.update_backlog_item(
        first,
        {
            "note": "review held; the date moves",
            "next_review": f.date(30),
            "asks": [
                {
                    **pits,
                    "status": "granted",
                    "answer": f"Granted for spring {HOSTILE_HTML[2]}",
                    "answered_at": f.date(12),
                },
                delivery_times,
            ],
        },
        now=f.day(13),
    )
    await service.update_backlog_item(
        second,
        {
            "owner": {"name": REAL_NAMES[1], "contact": "xander@example.org", "public": True},
            "status": "approved",
            "next_review": f.date(7),
        },
        now=f.day(2),
    )
    await service.update_backlog_item(second, {"status": "prototyping", "note": "late but moving"}, now=f.day(20))
    await service.update_backlog_item(third, {"status": "parked", "note": HOSTILE_HTML[1]}, now=f.day(3))
    return f
