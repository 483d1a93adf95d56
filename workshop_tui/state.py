"""One workshop in memory: typed documents plus the tallies the rules need, kept in step with its store.

Tallies (dots used per person, dots per idea, notes per theme and per author) are maintained
incrementally: recomputing them for every request would make a voting storm quadratic, and a note
from a phone cost more the fuller the wall.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple, TypeVar

from pydantic import BaseModel, ValidationError

from workshop_tui.errors import StoreFailed
from workshop_tui.models import (
    BacklogItem,
    Idea,
    OfWorkshop,
    Participant,
    PhaseTimer,
    Preference,
    Source,
    Team,
    Theme,
    Vote,
    Workshop,
    note_awaiting_reveal,
    note_visible,
    utcnow,
)
from workshop_tui.store import WorkshopStore
from workshop_tui.store.documents import Op
from workshop_tui.store.snapshot_file import bulk_load

M = TypeVar("M", bound=BaseModel)
_SOURCE_VALUES = {source: source.value for source in Source}
T = TypeVar("T")


class DotRow(NamedTuple):
    participant_id: str | None
    idea_id: str
    dots: int
    source: str


class WorkshopState(OfWorkshop):
    def __init__(self, store: WorkshopStore) -> None:
        self.store = store
        with bulk_load():
            self._load()
        # After a failed write the store takes the unacknowledged changes out of its tables: so must we.
        store.on_failure.append(lambda _reason: self._load())

    def _load(self) -> None:
        t = self.store.tables
        (workshop_doc,) = t["workshop"].values()
        self.workshop = Workshop.model_validate(workshop_doc)
        self.participants = _documents(Participant, t.get("participants", {}))
        self.themes = _documents(Theme, t.get("themes", {}))
        # Notes and dots are validated on first use, each table in one pass: the tallies come from the
        # stored documents, and nothing at start (serve's ready line and first answer, the home list, the
        # session bar) reads the notes or the dots themselves. The copies are the tables as loaded: every
        # later change goes through ``Change.apply``, which reads ``ideas`` or ``votes`` (so validates)
        # before it changes the typed state.
        self._ideas: dict[str, Idea] | None = None
        self._stored_ideas: dict[str, Any] = dict(t.get("ideas", {}))
        self._votes: dict[str, Vote] | None = None
        self._stored_votes: dict[str, Any] = dict(t.get("votes", {}))
        self.preferences = _documents(Preference, t.get("preferences", {}))
        self.teams = _documents(Team, t.get("teams", {}))
        self.backlog = _documents(BacklogItem, t.get("backlog", {}))
        self.timers = _documents(PhaseTimer, t.get("timers", {}))
        self.by_token_hash = {p.token_hash: p.id for p in self.participants.values() if p.token_hash}
        self.dots_used: Counter[str] = Counter()
        self.idea_dots: Counter[str] = Counter()
        #: the ideas each person has dots on: a phone's ``/me`` lists them without walking every note
        self.voted: dict[str, set[str]] = {}
        self._dots_cast = 0  # kept with the tallies: summing them per vote is O(ideas) on the hot path
        if not self._count_stored_votes():
            self._count_validated_votes()
        self.theme_notes: Counter[str | None] = Counter()  # notes on the wall per theme (None: no theme)
        self.private_notes = 0  # notes written in private, off the wall until revealed
        self.notes_by: Counter[str] = Counter()  # notes (deleted ones too) per author: the per-phone cap
        self.authored: dict[str, set[str]] = {}  # their ids: a phone's ``/me`` lists its own without a walk
        self.merged: Counter[str] = Counter()  # notes merged into each note (not deleted): what unmerge offers
        # A running maximum: the home list asks for it on every event batch, and walking every note
        # and person made that linear in the workshop. Stamps only move forward (each write sets now).
        # Dots, teams and themes carry no time of their own: every change also records when it was
        # made (``ACTIVITY``), so a ballot or a team move counts as much as a note. The notes' stamps
        # join from the bulk tally below.
        recorded = t.get(ACTIVITY, {}).get(LAST, {}).get("at")
        self._last_activity = max(
            [self.workshop.updated_at]
            + [p.joined_at for p in self.participants.values()]
            + [r.updated_at for r in self.preferences.values()]
            + [b.updated_at for b in self.backlog.values()]
            + ([dt.datetime.fromisoformat(recorded)] if isinstance(recorded, str) else [])
        )
        if not self._count_stored_ideas():
            self._count_validated_ideas()
        self._memo: dict[str, tuple[int, Any]] = {}

    @property
    def ideas(self) -> dict[str, Idea]:
        """Every note by id, validated on the first read (``StoreFailed``, HTTP 503, if one cannot be)."""
        if self._ideas is None:
            try:
                with bulk_load():
                    ideas = _documents(Idea, self._stored_ideas)
                    _share_fields_sets(e for idea in ideas.values() for e in idea.history)
            except ValidationError as exc:
                raise StoreFailed(f"the notes of workshop {self.code} could not be read: {exc}") from None
            self._ideas, self._stored_ideas = ideas, {}
        return self._ideas

    @property
    def votes(self) -> dict[str, Vote]:
        """Every vote by id, validated on the first read (``StoreFailed``, HTTP 503, if one cannot be)."""
        if self._votes is None:
            try:
                with bulk_load():
                    self._votes = _documents(Vote, self._stored_votes)
            except ValidationError as exc:
                raise StoreFailed(f"the dots of workshop {self.code} could not be read: {exc}") from None
            self._stored_votes = {}
        return self._votes

    def dot_rows(self) -> list[DotRow]:
        """Every vote as plain values; the stored documents as they are while the votes are not validated
        yet (an export validates what it writes: a one-shot command need not build a model per dot)."""
        if self._votes is not None:
            value = _SOURCE_VALUES  # a dict lookup: the enum's ``.value`` descriptor was half of this loop
            return [DotRow(v.participant_id, v.idea_id, v.dots, value[v.source]) for v in self._votes.values()]
        return [
            DotRow(d.get("participant_id"), d["idea_id"], d["dots"], d.get("source", "phone"))
            for d in self._stored_votes.values()
        ]

    def _count_stored_votes(self) -> bool:
        """Tally the stored votes as they are; False (nothing counted) if one is not shaped like a vote,
        so that one is refused at once, as a validated load refuses it."""
        # Plain dicts and bound methods: a Counter's += and setdefault's throw-away set made this loop
        # the slowest part of a big workshop's load after the parse (20,000 dots: 29 -> 12 ms).
        used: dict[str, int] = {}
        on: dict[str, int] = {}
        voted: dict[str, set[str]] = {}
        used_get, on_get, voted_get, cast = used.get, on.get, voted.get, 0
        for doc in self._stored_votes.values():
            pid, idea_id, dots = doc.get("participant_id"), doc.get("idea_id"), doc.get("dots")
            if type(dots) is not int or dots < 1 or type(idea_id) is not str:
                return False
            if pid is not None:
                if type(pid) is not str:
                    return False
                used[pid] = used_get(pid, 0) + dots
                ideas = voted_get(pid)
                if ideas is None:
                    voted[pid] = {idea_id}
                else:
                    ideas.add(idea_id)
            on[idea_id] = on_get(idea_id, 0) + dots
            cast += dots
        self.dots_used, self.idea_dots, self.voted, self._dots_cast = Counter(used), Counter(on), voted, cast
        return True

    def _count_stored_ideas(self) -> bool:
        """Tally the stored notes as they are, and take their latest stamp; False (nothing counted) if one
        is not shaped like a note, so that one is refused at once, as a validated load refuses it.

        The bulk form of ``_count_idea`` (+1 for each), in plain dicts as ``_count_stored_votes``; a test
        checks both give the same tallies."""
        on_wall: dict[str | None, int] = {}
        notes_by: dict[str, int] = {}
        authored: dict[str, set[str]] = {}
        merged: dict[str, int] = {}
        private = 0
        latest = self._last_activity
        parse = dt.datetime.fromisoformat
        for doc in self._stored_ideas.values():
            get = doc.get
            note_id, author, theme, into, stamp = (
                get("id"),
                get("author_id"),
                get("theme_id"),
                get("merged_into"),
                get("updated_at"),
            )
            deleted, hidden, secret = get("deleted", False), get("hidden", False), get("private", False)
            if type(note_id) is not str or type(stamp) is not str:
                return False
            if type(deleted) is not bool or type(hidden) is not bool or type(secret) is not bool:
                return False
            if not all(v is None or type(v) is str for v in (author, theme, into)):
                return False
            try:
                updated = parse(stamp)
            except ValueError:
                return False
            if updated.tzinfo is None:
                return False  # the store writes UTC: anything else is left to the validated load
            if updated > latest:
                latest = updated
            if note_visible(deleted, hidden, into, secret):
                on_wall[theme] = on_wall.get(theme, 0) + 1
            elif note_awaiting_reveal(deleted, into, secret):
                private += 1
            if author is not None:
                notes_by[author] = notes_by.get(author, 0) + 1
                mine = authored.get(author)
                if mine is None:
                    authored[author] = {note_id}
                else:
                    mine.add(note_id)
            if into and not deleted:
                merged[into] = merged.get(into, 0) + 1
        self.theme_notes, self.private_notes = Counter(on_wall), private
        self.notes_by, self.authored, self.merged = Counter(notes_by), authored, Counter(merged)
        self._last_activity = latest
        return True

    def _count_validated_ideas(self) -> None:
        for idea in self.ideas.values():  # raises the StoreFailed a load reports
            self._count_idea(idea, +1)
            self._touch(idea.updated_at)

    def _count_validated_votes(self) -> None:
        for vote in self.votes.values():  # raises the ValidationError a load reports
            self._count(vote, +1)

    def _tally(self, doc: BaseModel, sign: int) -> None:
        """Keep the counters in step with a vote or a note that comes (+1) or goes (-1)."""
        if isinstance(doc, Vote):
            self._count(doc, sign)
        elif isinstance(doc, Idea):
            self._count_idea(doc, sign)

    def _count(self, vote: Vote, sign: int) -> None:
        if vote.participant_id is not None:
            self.dots_used[vote.participant_id] += sign * vote.dots
            ideas = self.voted.setdefault(vote.participant_id, set())
            if sign > 0:
                ideas.add(vote.idea_id)
            else:  # one vote per person and idea: a replaced one comes back with the +1 that follows
                ideas.discard(vote.idea_id)
        self.idea_dots[vote.idea_id] += sign * vote.dots
        self._dots_cast += sign * vote.dots

    def _count_idea(self, idea: Idea, sign: int) -> None:
        if idea.visible:
            self.theme_notes[idea.theme_id] += sign
        elif idea.awaiting_reveal:
            self.private_notes += sign
        if idea.author_id is not None:
            self.notes_by[idea.author_id] += sign
            mine = self.authored.setdefault(idea.author_id, set())
            if sign > 0:
                mine.add(idea.id)
            else:  # a replaced note comes back with the +1 that follows
                mine.discard(idea.id)
        if idea.merged_into and not idea.deleted:
            self.merged[idea.merged_into] += sign

    def dots_cast(self) -> int:
        return self._dots_cast

    def notes_on_wall(self) -> int:
        """How many notes are on the wall (what every count of "notes" shows)."""
        return self.theme_notes.total()

    def vote_of(self, participant_id: str | None, idea_id: str) -> Vote | None:
        return self.votes.get(vote_id(participant_id, idea_id))

    def last_activity(self) -> dt.datetime:
        """The latest of the workshop's, its notes' and its people's stamps (a running maximum)."""
        return self._last_activity

    def _touch(self, stamp: dt.datetime) -> None:
        if stamp > self._last_activity:
            self._last_activity = stamp

    def memo(self, key: str, compute: Callable[[], T]) -> T:
        """``compute()``, computed once per store record: every change to the workshop is one record
        (``store.seq``), so an answer derived from the state alone stays true until the next one."""
        seq = self.store.seq
        hit = self._memo.get(key)
        if hit is not None and hit[0] == seq:
            return hit[1]  # type: ignore[no-any-return]
        value = compute()
        self._memo[key] = (seq, value)
        return value


_FIELD_SETS = 8  # distinct sets of given fields kept per table (documents written alike share one)


def _documents(model: type[M], docs: dict[str, Any]) -> dict[str, M]:
    # The validator itself: ``model_validate``'s Python wrapper was a third of a vote's validation.
    validate = model.__pydantic_validator__.validate_python
    out: dict[str, M] = {k: validate(v) for k, v in docs.items()}
    _share_fields_sets(out.values())
    return out


def _share_fields_sets(models: Iterable[BaseModel]) -> None:
    """Documents loaded together share one set of the fields they were given.

    Pydantic keeps that set per instance (about 700 bytes, a third of a big workshop's memory).
    Our models are frozen, so nothing adds to an instance's set, and ``model_copy`` copies it
    before an update: sharing equal sets changes nothing but the memory.
    """
    seen: list[set[str]] = []
    for m in models:
        given = m.__pydantic_fields_set__
        for shared in seen:
            if shared == given:
                object.__setattr__(m, "__pydantic_fields_set__", shared)
                break
        else:
            if len(seen) < _FIELD_SETS:
                seen.append(given)


def vote_id(participant_id: str | None, idea_id: str) -> str:
    return f"{participant_id or 'paper'}:{idea_id}"


#: The store's table of when the workshop last changed (one document, ``LAST``): not a model of the
#: workshop (no export carries it), only what the home list's "last activity" reads.
ACTIVITY = "activity"
LAST = "last"


def _own_stamp(model: BaseModel | None) -> dt.datetime | None:
    """When a document says it was written (notes, people, rankings, backlog items, the workshop)."""
    if isinstance(model, Idea | Workshop | Preference | BacklogItem):
        return model.updated_at
    if isinstance(model, Participant):
        return model.joined_at
    return None


class Change:
    """The documents one service call writes: applied to the store (journal) and the typed state."""

    def __init__(self, state: WorkshopState) -> None:
        self.state = state
        self.ops: list[Op] = []
        self._typed: list[tuple[str, str, BaseModel | None]] = []

    def put(self, table: str, model: BaseModel) -> None:
        doc_id = str(model.id)  # type: ignore[attr-defined]
        self.ops.append(["p", table, doc_id, model.model_dump(mode="json", by_alias=True)])
        self._typed.append((table, doc_id, model))

    def delete(self, table: str, doc_id: str) -> None:
        self.ops.append(["d", table, doc_id])
        self._typed.append((table, doc_id, None))

    async def commit(self) -> None:
        """Apply in memory now (rules see it at once), return when it is on disk."""
        await self.apply()

    def apply(self) -> asyncio.Future[None]:
        """Apply in memory now; the returned future resolves when the change is on disk."""
        stamps = [stamp for _, _, model in self._typed if (stamp := _own_stamp(model)) is not None]
        stamp = max(stamps) if stamps else utcnow()  # a dot, a team, a theme: now
        ops = [*self.ops, ["p", ACTIVITY, LAST, {"id": LAST, "at": stamp.isoformat()}]] if self.ops else self.ops
        future = self.state.store.apply(ops)  # raises before touching anything if the store failed
        s = self.state
        if ops:
            s._touch(stamp)
        for table, doc_id, model in self._typed:
            if table == "workshop":
                assert isinstance(model, Workshop)
                s.workshop = model
                continue
            docs: dict[str, Any] = getattr(s, table)
            if table in ("votes", "ideas"):
                old = docs.get(doc_id)
                if old is not None:
                    s._tally(old, -1)
                if model is not None:
                    s._tally(model, +1)
            if table == "participants" and isinstance(model, Participant) and model.token_hash:
                s.by_token_hash[model.token_hash] = model.id
            if model is None:
                docs.pop(doc_id, None)
            else:
                docs[doc_id] = model
        return future
