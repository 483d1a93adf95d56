"""The domain service: the only writer. The TUI, the HTTP routes and the CLI all call it.

Every rule is checked and applied synchronously (no await between check and apply), so the
invariants hold under any interleaving of concurrent requests on the event loop; each call then
awaits durability before it returns and before its event is published.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import hmac
import logging
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from workshop_tui import events as ev
from workshop_tui.backlog import PromiseLedger, allowed_transitions, budget_totals, promise_ledger
from workshop_tui.errors import Conflict, Invalid, NotFound, PhaseError, Unauthorized, WorkshopError
from workshop_tui.export_json import ExportDocument
from workshop_tui.ids import new_id, new_join_code, new_token, normalize_code
from workshop_tui.lock import DataDirLock
from workshop_tui.models import (
    Ask,
    BacklogItem,
    BacklogStatus,
    BudgetRequest,
    Idea,
    IdeaChange,
    LongText,
    Owner,
    Participant,
    Preference,
    Settings,
    Source,
    StatusChange,
    Team,
    Theme,
    Title,
    Vote,
    Workshop,
    utcnow,
)
from workshop_tui.phases import Phase, allowed_targets, can_move
from workshop_tui.state import Change, WorkshopState, vote_id
from workshop_tui.store import WorkshopStore
from workshop_tui.teaming import InfeasibleTeams, Person, TeamPlan
from workshop_tui.teaming import form_teams as solve_teams
from workshop_tui.templates import get_template

log = logging.getLogger(__name__)

WORKSHOPS_DIR = "workshops"
FACILITATOR = "facilitator"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def validation_message(exc: ValidationError) -> str:
    """One readable line from a pydantic error, for CLI lines, TUI forms and HTTP 422 bodies."""
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"])
        msg = str(err["msg"]).removeprefix("Value error, ")
        parts.append(f"{where}: {msg}" if where else msg)
    return "; ".join(parts)


class WorkshopService:
    def __init__(self, data_dir: Path, *, read_only: bool = False) -> None:
        self.data_dir = data_dir
        self.read_only = read_only
        self.bus = ev.EventBus()
        self.messages: list[str] = []  # recovery notes for the facilitator (files set aside, ...)
        self._by_code: dict[str, WorkshopState] = {}
        self._by_id: dict[str, WorkshopState] = {}
        self._lock = DataDirLock(data_dir)
        self._opened = False

    # ------------------------------------------------------------------ lifecycle

    def open(self) -> WorkshopService:
        if not self.read_only:
            self._lock.acquire()
        root = self.data_dir / WORKSHOPS_DIR
        if root.is_dir():
            for directory in sorted(p for p in root.iterdir() if p.is_dir()):
                try:
                    store = WorkshopStore.open(directory, read_only=self.read_only)
                    if "workshop" not in store.tables or not store.tables["workshop"]:
                        continue  # created but never written: nothing to show
                    state = WorkshopState(store)
                except (WorkshopError, ValidationError, ValueError, OSError) as exc:
                    self.messages.append(f"workshop {directory.name} could not be opened: {exc}")
                    log.error("workshop %s could not be opened: %s", directory, exc)
                    continue
                self.messages += [f"{directory.name}: {m}" for m in store.report.messages]
                self._register(state)
        self._opened = True
        return self

    async def close(self) -> None:
        for state in list(self._by_id.values()):
            await state.store.close()
        if not self.read_only:
            self._lock.release()

    async def __aenter__(self) -> WorkshopService:
        if not self._opened:
            self.open()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    def _emit(self, state: WorkshopState, event_type: type[ev.Event], **fields: Any) -> None:
        self.bus.publish(event_type(workshop_id=state.id, code=state.code, **fields))

    def _register(self, state: WorkshopState) -> None:
        self._by_code[state.code] = state
        self._by_id[state.id] = state

    # ------------------------------------------------------------------ lookups

    def state(self, code_or_id: str) -> WorkshopState:
        state = self._by_code.get(normalize_code(code_or_id)) or self._by_id.get(code_or_id)
        if state is None:
            raise NotFound(f"no workshop with code {code_or_id!r}")
        return state

    def workshops(self) -> list[Workshop]:
        return sorted((s.workshop for s in self._by_id.values()), key=lambda w: w.created_at)

    def states(self) -> list[WorkshopState]:
        return sorted(self._by_id.values(), key=lambda s: s.workshop.created_at)

    def authenticate(self, code: str, token: str | None) -> Participant:
        state = self.state(code)
        if not token:
            raise Unauthorized("join the workshop first: no participant token")
        digest = hash_token(token)
        pid = state.by_token_hash.get(digest)
        participant = state.participants.get(pid) if pid else None
        if participant is None or not hmac.compare_digest(participant.token_hash, digest):
            raise Unauthorized("unknown participant token for this workshop: join again")
        return participant

    def _idea(self, state: WorkshopState, idea_id: str) -> Idea:
        idea = state.ideas.get(idea_id)
        if idea is None:
            raise NotFound(f"no idea {idea_id!r} in workshop {state.code}")
        return idea

    @staticmethod
    def _require_phase(state: WorkshopState, allowed: Iterable[Phase], doing: str) -> None:
        allowed = tuple(allowed)
        if state.workshop.phase not in allowed:
            names = " or ".join(p.value for p in allowed)
            raise PhaseError(
                f"cannot {doing} in the {state.workshop.phase.value} phase (only in {names})",
                {"phase": state.workshop.phase.value},
            )

    # ------------------------------------------------------------------ workshops

    async def create_workshop(
        self,
        title: str,
        *,
        prompt: str | None = None,
        template: str | None = None,
        settings: dict[str, Any] | None = None,
        code: str | None = None,
    ) -> Workshop:
        chosen = get_template(template) if template else None
        base = chosen.settings.model_dump() if chosen else {}
        try:
            merged = Settings.model_validate({**base, **(settings or {})})
            workshop = Workshop(
                id=new_id(),
                code=code or new_join_code(set(self._by_code)),
                title=title,
                prompt=prompt if prompt is not None else (chosen.prompt if chosen else ""),
                template=chosen.id if chosen else None,
                settings=merged,
            )
        except ValidationError as exc:
            raise Invalid(validation_message(exc)) from None
        if workshop.code in self._by_code:
            raise Conflict(f"a workshop with code {workshop.code} already exists")
        store = WorkshopStore.create(self.data_dir / WORKSHOPS_DIR / workshop.id)
        durable = store.apply([["p", "workshop", workshop.id, workshop.model_dump(mode="json")]])
        state = WorkshopState(store)
        self._register(state)
        await durable
        self._emit(state, ev.WorkshopCreated, workshop=workshop)
        return workshop

    async def update_workshop(
        self,
        code: str,
        *,
        title: str | None = None,
        prompt: str | None = None,
        settings: dict[str, Any] | None = None,
    ) -> Workshop:
        state = self.state(code)
        w = state.workshop
        try:
            new_settings = Settings.model_validate({**w.settings.model_dump(), **(settings or {})})
            updated = w.model_copy(update={"updated_at": utcnow()})
            updated = Workshop.model_validate(
                {
                    **updated.model_dump(),
                    "title": title if title is not None else w.title,
                    "prompt": prompt if prompt is not None else w.prompt,
                    "settings": new_settings,
                }
            )
        except ValidationError as exc:
            raise Invalid(validation_message(exc)) from None
        if settings and "dots_per_participant" in settings and state.dots_used:
            most = max(state.dots_used.values())
            if new_settings.dots_per_participant < most:
                raise Conflict(f"someone already placed {most} dots: the budget cannot go below that")
        change = Change(state)
        change.put("workshop", updated)
        await change.commit()
        self._emit(state, ev.WorkshopUpdated, workshop=updated)
        return updated

    async def set_phase(self, code: str, phase: Phase | str) -> Workshop:
        state = self.state(code)
        try:
            target = Phase(phase)
        except ValueError:
            raise Invalid(f"unknown phase {phase!r}; phases are {', '.join(p.value for p in Phase)}") from None
        current = state.workshop.phase
        if target == current:
            return state.workshop
        if not can_move(current, target):
            allowed = ", ".join(sorted(p.value for p in allowed_targets(current)))
            raise Conflict(f"cannot go from {current.value} to {target.value}; from here: {allowed}")
        update: dict[str, Any] = {"phase": target, "updated_at": utcnow()}
        if target == Phase.TEAMS and not self._candidates_still_valid(state):
            update["team_candidates"] = self.candidate_ideas(state.code)
        if target == Phase.VOTE:
            update["voting_open"] = True
            if current in (Phase.GROUP, Phase.IDEATE):
                update["results_revealed"] = False
        else:
            update["voting_open"] = False
        updated = state.workshop.model_copy(update=update)
        change = Change(state)
        change.put("workshop", updated)
        await change.commit()
        self._emit(state, ev.PhaseChanged, phase=target, previous=current)
        return updated

    async def set_voting(
        self, code: str, *, voting_open: bool | None = None, results_revealed: bool | None = None
    ) -> Workshop:
        """Open or close the ballot, reveal or hide the results (vote phase and later)."""
        state = self.state(code)
        w = state.workshop
        if voting_open is not None:
            self._require_phase(state, [Phase.VOTE], "open or close voting")
        if results_revealed is not None:
            self._require_phase(state, [Phase.VOTE, Phase.TEAMS, Phase.BACKLOG, Phase.CLOSED], "reveal the results")
        updated = w.model_copy(
            update={
                "voting_open": w.voting_open if voting_open is None else voting_open,
                "results_revealed": w.results_revealed if results_revealed is None else results_revealed,
                "updated_at": utcnow(),
            }
        )
        change = Change(state)
        change.put("workshop", updated)
        await change.commit()
        self.bus.publish(
            ev.VotingChanged(
                workshop_id=w.id,
                code=w.code,
                voting_open=updated.voting_open,
                results_revealed=updated.results_revealed,
            )
        )
        return updated

    # ------------------------------------------------------------------ participants

    async def join(
        self, code: str, name: str | None = None, skills: list[str] | None = None
    ) -> tuple[Participant, str]:
        """Returns the participant and their secret token (only its hash is stored)."""
        state = self.state(code)
        if state.workshop.phase == Phase.CLOSED:
            raise Conflict("this workshop is closed")
        token = new_token()
        clean_name = (name or "").strip() or f"Guest {len(state.participants) + 1}"
        try:
            participant = Participant(
                id=new_id(),
                workshop_id=state.id,
                name=clean_name,
                skills=[s for s in (skills or []) if s.strip()],
                token_hash=hash_token(token),
            )
        except ValidationError as exc:
            raise Invalid(validation_message(exc)) from None
        change = Change(state)
        change.put("participants", participant)
        await change.commit()
        self._emit(state, ev.ParticipantJoined, participant=participant)
        return participant, token

    # ------------------------------------------------------------------ ideas

    def _clean_text(self, state: WorkshopState, text: str) -> str:
        clean = text.strip()
        if not clean:
            raise Invalid("a note needs some text")
        limit = state.workshop.settings.idea_max_length
        if len(clean) > limit:
            raise Invalid(f"a note is at most {limit} characters (this one has {len(clean)})")
        return clean

    async def post_idea(
        self,
        code: str,
        text: str,
        *,
        author_id: str | None = None,
        source: Source = Source.PHONE,
        theme_id: str | None = None,
    ) -> Idea:
        state = self.state(code)
        if source == Source.PHONE:
            self._require_phase(state, [Phase.IDEATE], "post a note")
        else:
            self._require_phase(state, [Phase.LOBBY, Phase.IDEATE, Phase.GROUP, Phase.VOTE], "add a note")
        clean = self._clean_text(state, text)
        if theme_id is not None and theme_id not in state.themes:
            raise NotFound(f"no theme {theme_id!r}")
        by = author_id or source.value
        idea = Idea(
            id=new_id(),
            workshop_id=state.id,
            text=clean,
            author_id=author_id,
            source=source,
            theme_id=theme_id,
            history=[IdeaChange(action="posted", by=by)],
        )
        change = Change(state)
        change.put("ideas", idea)
        await change.commit()
        self._emit(state, ev.IdeaPosted, idea=idea)
        return idea

    def _own_or_facilitator(self, state: WorkshopState, idea: Idea, by: str | None, doing: str) -> str:
        """``by`` is a participant id, or None for the facilitator (who may act in more phases)."""
        if by is None:
            self._require_phase(state, [Phase.LOBBY, Phase.IDEATE, Phase.GROUP, Phase.VOTE], doing)
            return FACILITATOR
        if idea.author_id != by:
            raise NotFound(f"no note {idea.id!r} of yours")  # never reveal other people's notes exist
        self._require_phase(state, [Phase.IDEATE], doing)
        return by

    async def _update_idea(self, state: WorkshopState, idea: Idea, action: str, by: str, **update: Any) -> Idea:
        history = [*idea.history, IdeaChange(action=action, by=by, detail=update.pop("detail", ""))]
        updated = idea.model_copy(update={**update, "history": history, "updated_at": utcnow()})
        change = Change(state)
        change.put("ideas", updated)
        await change.commit()
        self._emit(state, ev.IdeaChanged, idea=updated, action=action)
        return updated

    async def edit_idea(self, code: str, idea_id: str, text: str, *, by: str | None = None) -> Idea:
        state = self.state(code)
        idea = self._idea(state, idea_id)
        who = self._own_or_facilitator(state, idea, by, "edit a note")
        if idea.deleted or idea.merged_into:
            raise Conflict("this note was deleted or merged")
        clean = self._clean_text(state, text)
        return await self._update_idea(state, idea, "edited", who, text=clean, detail=f"was: {idea.text}")

    async def delete_idea(self, code: str, idea_id: str, *, by: str | None = None) -> Idea:
        """Soft delete: the note leaves the wall but stays in the data with its history (undo)."""
        state = self.state(code)
        idea = self._idea(state, idea_id)
        who = self._own_or_facilitator(state, idea, by, "delete a note")
        if idea.deleted:
            return idea
        if state.idea_dots[idea.id]:
            dots = state.idea_dots[idea.id]
            raise Conflict(f"this note has {dots} dots: merge it into another note or hide it instead")
        return await self._update_idea(state, idea, "deleted", who, deleted=True)

    async def restore_idea(self, code: str, idea_id: str) -> Idea:
        state = self.state(code)
        idea = self._idea(state, idea_id)
        if not idea.deleted:
            return idea
        return await self._update_idea(state, idea, "restored", FACILITATOR, deleted=False)

    async def hide_idea(self, code: str, idea_id: str, hidden: bool = True) -> Idea:
        state = self.state(code)
        idea = self._idea(state, idea_id)
        if idea.hidden == hidden:
            return idea
        return await self._update_idea(state, idea, "hidden" if hidden else "shown", FACILITATOR, hidden=hidden)

    async def set_idea_theme(self, code: str, idea_id: str, theme_id: str | None) -> Idea:
        state = self.state(code)
        idea = self._idea(state, idea_id)
        if state.workshop.phase == Phase.CLOSED:
            raise PhaseError("the workshop is closed")
        if theme_id is not None and theme_id not in state.themes:
            raise NotFound(f"no theme {theme_id!r}")
        if idea.theme_id == theme_id:
            return idea
        name = state.themes[theme_id].name if theme_id else "no theme"
        return await self._update_idea(state, idea, "themed", FACILITATOR, theme_id=theme_id, detail=name)

    async def merge_ideas(self, code: str, survivor_id: str, duplicate_id: str) -> Idea:
        """Fold ``duplicate`` into ``survivor``: its dots move over, both keep a trace in their history.

        A person whose dots on the two notes together exceed the per-idea limit gets the excess back
        in their budget, so the limit still holds; the survivor's history says so.
        """
        state = self.state(code)
        self._require_phase(state, [Phase.IDEATE, Phase.GROUP, Phase.VOTE], "merge notes")
        if survivor_id == duplicate_id:
            raise Invalid("cannot merge a note into itself")
        survivor, duplicate = self._idea(state, survivor_id), self._idea(state, duplicate_id)
        for idea in (survivor, duplicate):
            if idea.deleted or idea.merged_into:
                raise Conflict(f"note {idea.id} was already deleted or merged")
        cap = state.workshop.settings.max_dots_per_idea
        change = Change(state)
        moved = refunded = 0
        for vote in [v for v in state.votes.values() if v.idea_id == duplicate.id]:
            change.delete("votes", vote.id)
            existing = state.vote_of(vote.participant_id, survivor.id)
            total = vote.dots + (existing.dots if existing else 0)
            keep = total if vote.participant_id is None else min(total, cap)
            refunded += total - keep
            moved += vote.dots
            change.put(
                "votes",
                Vote(
                    id=vote_id(vote.participant_id, survivor.id),
                    workshop_id=state.id,
                    participant_id=vote.participant_id,
                    idea_id=survivor.id,
                    dots=keep,
                    source=vote.source,
                ),
            )
        note = f"merged {duplicate.id}: {duplicate.text!r}; {moved} dots moved"
        if refunded:
            note += f", {refunded} over the per-idea limit returned to their owners"
        now = utcnow()
        theme = survivor.theme_id or duplicate.theme_id
        survivor_new = survivor.model_copy(
            update={
                "theme_id": theme,
                "updated_at": now,
                "history": [*survivor.history, IdeaChange(action="merged-in", detail=note)],
            }
        )
        duplicate_new = duplicate.model_copy(
            update={
                "merged_into": survivor.id,
                "updated_at": now,
                "history": [*duplicate.history, IdeaChange(action="merged-into", detail=survivor.id)],
            }
        )
        change.put("ideas", survivor_new)
        change.put("ideas", duplicate_new)
        await change.commit()
        for idea, action in ((survivor_new, "merged-in"), (duplicate_new, "merged-into")):
            self._emit(state, ev.IdeaChanged, idea=idea, action=action)
        return survivor_new

    # ------------------------------------------------------------------ themes

    async def create_theme(self, code: str, name: str) -> Theme:
        state = self.state(code)
        if state.workshop.phase == Phase.CLOSED:
            raise PhaseError("the workshop is closed")
        if any(t.name.casefold() == name.strip().casefold() for t in state.themes.values()):
            raise Conflict(f"a theme named {name.strip()!r} already exists")
        try:
            theme = Theme(id=new_id(), workshop_id=state.id, name=name)
        except ValidationError as exc:
            raise Invalid(validation_message(exc)) from None
        change = Change(state)
        change.put("themes", theme)
        await change.commit()
        self._emit(state, ev.ThemeChanged, theme=theme, action="created")
        return theme

    async def rename_theme(self, code: str, theme_id: str, name: str) -> Theme:
        state = self.state(code)
        theme = state.themes.get(theme_id)
        if theme is None:
            raise NotFound(f"no theme {theme_id!r}")
        try:
            renamed = Theme.model_validate({**theme.model_dump(), "name": name})
        except ValidationError as exc:
            raise Invalid(validation_message(exc)) from None
        change = Change(state)
        change.put("themes", renamed)
        await change.commit()
        self._emit(state, ev.ThemeChanged, theme=renamed, action="renamed")
        return renamed

    async def delete_theme(self, code: str, theme_id: str) -> None:
        """The theme goes; its notes stay, without a theme, each with a history entry."""
        state = self.state(code)
        theme = state.themes.get(theme_id)
        if theme is None:
            raise NotFound(f"no theme {theme_id!r}")
        change = Change(state)
        change.delete("themes", theme_id)
        moved = []
        for idea in [i for i in state.ideas.values() if i.theme_id == theme_id]:
            entry = IdeaChange(action="unthemed", detail=f"theme {theme.name!r} deleted")
            updated = idea.model_copy(update={"theme_id": None, "history": [*idea.history, entry]})
            change.put("ideas", updated)
            moved.append(updated)
        await change.commit()
        self._emit(state, ev.ThemeChanged, theme=theme, action="deleted")
        for idea in moved:
            self._emit(state, ev.IdeaChanged, idea=idea, action="unthemed")

    # ------------------------------------------------------------------ dots

    def remaining_dots(self, state: WorkshopState, participant_id: str) -> int:
        return state.workshop.settings.dots_per_participant - state.dots_used[participant_id]

    async def cast_dot(self, code: str, participant_id: str, idea_id: str) -> int:
        """Adds one dot; returns the participant's remaining dots."""
        state = self.state(code)
        self._require_phase(state, [Phase.VOTE], "vote")
        if not state.workshop.voting_open:
            raise PhaseError("voting is closed")
        idea = self._idea(state, idea_id)
        if not idea.visible:
            raise NotFound(f"no idea {idea_id!r} on the wall")
        settings = state.workshop.settings
        if self.remaining_dots(state, participant_id) <= 0:
            raise Conflict(f"no dots left: you have placed all {settings.dots_per_participant}")
        existing = state.vote_of(participant_id, idea_id)
        mine = existing.dots if existing else 0
        if mine >= settings.max_dots_per_idea:
            raise Conflict(f"at most {settings.max_dots_per_idea} of your dots can go on one idea")
        vote = Vote(
            id=vote_id(participant_id, idea_id),
            workshop_id=state.id,
            participant_id=participant_id,
            idea_id=idea_id,
            dots=mine + 1,
        )
        return await self._write_vote(state, vote, participant_id, idea_id, +1)

    async def withdraw_dot(self, code: str, participant_id: str, idea_id: str) -> int:
        state = self.state(code)
        self._require_phase(state, [Phase.VOTE], "change a vote")
        if not state.workshop.voting_open:
            raise PhaseError("voting is closed")
        self._idea(state, idea_id)
        existing = state.vote_of(participant_id, idea_id)
        if existing is None:
            raise Conflict("you have no dot on this idea")
        vote = existing.model_copy(update={"dots": existing.dots - 1}) if existing.dots > 1 else None
        return await self._write_vote(state, vote, participant_id, idea_id, -1)

    async def add_paper_dots(self, code: str, idea_id: str, dots: int) -> int:
        """Dots counted from a paper wall (no participant); negative numbers correct a miscount."""
        state = self.state(code)
        self._require_phase(state, [Phase.VOTE], "add paper dots")
        idea = self._idea(state, idea_id)
        if not idea.visible:
            raise NotFound(f"no idea {idea_id!r} on the wall")
        existing = state.vote_of(None, idea_id)
        total = (existing.dots if existing else 0) + dots
        if total < 0:
            raise Conflict("cannot remove more paper dots than were added")
        vote = (
            Vote(
                id=vote_id(None, idea_id),
                workshop_id=state.id,
                participant_id=None,
                idea_id=idea_id,
                dots=total,
                source=Source.PAPER,
            )
            if total
            else None
        )
        return await self._write_vote(state, vote, None, idea_id, dots)

    async def _write_vote(
        self, state: WorkshopState, vote: Vote | None, participant_id: str | None, idea_id: str, delta: int
    ) -> int:
        change = Change(state)
        if vote is None:
            change.delete("votes", vote_id(participant_id, idea_id))
        else:
            change.put("votes", vote)
        durable = change.apply()
        # Read the tallies as this call left them, before other requests run during the sync.
        remaining = self.remaining_dots(state, participant_id) if participant_id else None
        idea_dots, dots_cast = state.idea_dots[idea_id], state.dots_cast()
        await durable
        self._emit(
            state,
            ev.VoteChanged,
            participant_id=participant_id,
            idea_id=idea_id,
            delta=delta,
            idea_dots=idea_dots,
            remaining_dots=remaining,
            dots_cast=dots_cast,
        )
        return remaining if remaining is not None else idea_dots

    def ranking(self, code: str) -> list[tuple[Idea, int]]:
        """Visible ideas by dots, most first; ties go to the earliest posted."""
        state = self.state(code)
        visible = [i for i in state.ideas.values() if i.visible]
        return sorted(((i, state.idea_dots[i.id]) for i in visible), key=lambda p: (-p[1], p[0].created_at, p[0].id))

    # ------------------------------------------------------------------ preferences

    async def set_preferences(self, code: str, participant_id: str, idea_ids: list[str]) -> Preference:
        state = self.state(code)
        self._require_phase(state, [Phase.TEAMS], "rank ideas for teams")
        if len(set(idea_ids)) != len(idea_ids):
            raise Invalid("each idea can appear only once in a ranking")
        allowed = set(state.workshop.team_candidates) or {i for i, idea in state.ideas.items() if idea.visible}
        for idea_id in idea_ids:
            if idea_id not in allowed:
                raise Invalid(f"idea {idea_id!r} is not one of the ideas teams form around")
        try:
            pref = Preference(id=participant_id, workshop_id=state.id, participant_id=participant_id, idea_ids=idea_ids)
        except ValidationError as exc:
            raise Invalid(validation_message(exc)) from None
        change = Change(state)
        change.put("preferences", pref)
        await change.commit()
        self._emit(state, ev.PreferencesSet, participant_id=participant_id, idea_ids=idea_ids)
        return pref

    # ------------------------------------------------------------------ teams

    def candidate_ideas(self, code: str, team_count: int | None = None, idea_ids: list[str] | None = None) -> list[str]:
        """``idea_ids`` when given (checked), else the top ``team_count`` ideas by dots (ties: earliest)."""
        state = self.state(code)
        if idea_ids:
            if len(set(idea_ids)) != len(idea_ids):
                raise Invalid("each idea can be chosen only once")
            for idea_id in idea_ids:
                idea = state.ideas.get(idea_id)
                if idea is None or not idea.visible:
                    raise Invalid(f"no idea {idea_id!r} on the wall")
            return list(idea_ids)
        count = team_count if team_count is not None else self.default_team_count(code)
        return [idea.id for idea, _ in self.ranking(code)[:count]]

    def _candidates_still_valid(self, state: WorkshopState) -> bool:
        chosen = state.workshop.team_candidates
        return bool(chosen) and all(i in state.ideas and state.ideas[i].visible for i in chosen)

    async def set_team_candidates(
        self, code: str, *, idea_ids: list[str] | None = None, team_count: int | None = None
    ) -> Workshop:
        """Choose the ideas people rank and teams form around (default: the top ideas by dots)."""
        state = self.state(code)
        self._require_phase(state, [Phase.TEAMS], "choose the ideas for teams")
        if team_count is not None and team_count < 1:
            raise Invalid("team_count must be at least 1")
        chosen = self.candidate_ideas(code, team_count, idea_ids)
        if not chosen:
            raise Invalid("there are no ideas on the wall to form teams around")
        updated = state.workshop.model_copy(update={"team_candidates": chosen, "updated_at": utcnow()})
        change = Change(state)
        change.put("workshop", updated)
        await change.commit()
        self._emit(state, ev.WorkshopUpdated, workshop=updated)
        return updated

    def default_team_count(self, code: str) -> int:
        """As many teams as the room fills at a middling size, within what the size bounds allow."""
        state = self.state(code)
        s = state.workshop.settings
        people = len(state.participants)
        ideas = sum(1 for i in state.ideas.values() if i.visible)
        if people == 0 or ideas == 0:
            return max(1, min(ideas, 1))
        lowest = -(-people // s.team_max_size)
        highest = max(1, people // s.team_min_size)
        middle = round(people / ((s.team_min_size + s.team_max_size) / 2)) or 1
        return max(1, min(ideas, highest, max(lowest, middle)))

    async def form_teams(
        self,
        code: str,
        *,
        team_count: int | None = None,
        min_size: int | None = None,
        max_size: int | None = None,
        idea_ids: list[str] | None = None,
    ) -> tuple[list[Team], TeamPlan]:
        """Solve the assignment (off the event loop) and replace the workshop's teams with it."""
        state = self.state(code)
        self._require_phase(state, [Phase.TEAMS], "form teams")
        s = state.workshop.settings
        low = s.team_min_size if min_size is None else min_size
        high = s.team_max_size if max_size is None else max_size
        if low < 1 or high < low:
            raise Invalid(f"team sizes must satisfy 1 <= min_size <= max_size (got {low} and {high})")
        if team_count is not None and team_count < 1:
            raise Invalid("team_count must be at least 1")
        if idea_ids is None and team_count is None and self._candidates_still_valid(state):
            candidates = list(state.workshop.team_candidates)
        else:
            candidates = self.candidate_ideas(code, team_count, idea_ids)
        if not candidates:
            raise Invalid("there are no ideas on the wall to form teams around")
        people = [
            Person(
                id=p.id,
                ranking=state.preferences[p.id].idea_ids if p.id in state.preferences else [],
                skills=p.skills,
            )
            for p in state.participants.values()
        ]
        try:
            plan = await asyncio.to_thread(solve_teams, people, candidates, low, high)
        except InfeasibleTeams as exc:
            raise Invalid(str(exc)) from None
        self._require_phase(state, [Phase.TEAMS], "form teams")  # the phase may have moved meanwhile
        change = Change(state)
        for old in state.teams.values():
            change.delete("teams", old.id)
        teams = [
            Team(
                id=new_id(),
                workshop_id=state.id,
                idea_id=planned.idea_id,
                name=_short(state.ideas[planned.idea_id].text, 60),
                member_ids=[m for m in planned.member_ids if m in state.participants],
                champion_id=planned.champion_id,
            )
            for planned in plan.teams
        ]
        for team in teams:
            change.put("teams", team)
        await change.commit()
        self._emit(state, ev.TeamsChanged, teams=teams)
        return teams, plan

    def team_of(self, state: WorkshopState, participant_id: str) -> Team | None:
        return next((t for t in state.teams.values() if participant_id in t.member_ids), None)

    async def move_member(self, code: str, participant_id: str, team_id: str) -> list[Team]:
        """Move a person to another team (the facilitator's adjustment); size bounds are advice here."""
        state = self.state(code)
        self._require_phase(state, [Phase.TEAMS, Phase.BACKLOG], "change teams")
        if participant_id not in state.participants:
            raise NotFound(f"no participant {participant_id!r}")
        target = state.teams.get(team_id)
        if target is None:
            raise NotFound(f"no team {team_id!r}")
        change = Change(state)
        changed = []
        current = self.team_of(state, participant_id)
        if current is not None and current.id == team_id:
            return list(state.teams.values())
        if current is not None:
            champion = None if current.champion_id == participant_id else current.champion_id
            members = [m for m in current.member_ids if m != participant_id]
            changed.append(current.model_copy(update={"member_ids": members, "champion_id": champion}))
        changed.append(target.model_copy(update={"member_ids": [*target.member_ids, participant_id]}))
        for team in changed:
            change.put("teams", team)
        await change.commit()
        self._emit(state, ev.TeamsChanged, teams=list(state.teams.values()))
        return list(state.teams.values())

    async def set_champion(self, code: str, team_id: str, participant_id: str | None) -> Team:
        state = self.state(code)
        team = state.teams.get(team_id)
        if team is None:
            raise NotFound(f"no team {team_id!r}")
        if participant_id is not None and participant_id not in team.member_ids:
            raise Invalid("the champion must be a member of the team")
        updated = team.model_copy(update={"champion_id": participant_id})
        change = Change(state)
        change.put("teams", updated)
        await change.commit()
        self._emit(state, ev.TeamsChanged, teams=list(state.teams.values()))
        return updated

    # ------------------------------------------------------------------ backlog

    def backlog_items(
        self, *, status: str | None = None, owner: str | None = None, workshop: str | None = None
    ) -> list[BacklogItem]:
        states = [self.state(workshop)] if workshop else self.states()
        items = [item for st in states for item in st.backlog.values()]
        if status is not None:
            try:
                wanted = BacklogStatus(status)
            except ValueError:
                known = ", ".join(s.value for s in BacklogStatus)
                raise Invalid(f"unknown status {status!r}; statuses are {known}") from None
            items = [i for i in items if i.status == wanted]
        if owner is not None:
            needle = owner.casefold()
            items = [i for i in items if needle in i.owner.name.casefold()]
        return sorted(items, key=lambda i: (i.created_at, i.id))

    def find_backlog_item(self, item_id: str) -> tuple[WorkshopState, BacklogItem]:
        for st in self._by_id.values():
            item = st.backlog.get(item_id)
            if item is not None:
                return st, item
        raise NotFound(f"no backlog item {item_id!r}")

    def backlog_ledger(self, code: str, *, now: dt.datetime | None = None) -> PromiseLedger:
        """The promise ledger of one workshop's backlog (definitions in ``workshop_tui.backlog``)."""
        state = self.state(code)
        return promise_ledger(state.workshop, state.backlog.values(), now or utcnow())

    async def convert_to_backlog(
        self, code: str, idea_ids: list[str] | None = None, *, review_in_days: int = 14
    ) -> list[BacklogItem]:
        """Turn chosen ideas (default: the teams' ideas) into backlog items; twice is refused."""
        state = self.state(code)
        self._require_phase(state, [Phase.TEAMS, Phase.BACKLOG, Phase.CLOSED], "build the backlog")
        teams_by_idea = {t.idea_id: t for t in state.teams.values()}
        if idea_ids is None:
            if not teams_by_idea:
                raise Conflict("there are no teams yet: choose the ideas to convert (idea_ids)")
            ranked = [idea.id for idea, _ in self.ranking(code)]
            idea_ids = [i for i in ranked if i in teams_by_idea]
        if len(set(idea_ids)) != len(idea_ids):
            raise Invalid("each idea can be converted only once")
        for idea_id in idea_ids:
            idea = state.ideas.get(idea_id)
            if idea is None or idea.deleted or idea.merged_into:
                raise NotFound(f"no idea {idea_id!r} to convert")
        converted = {i for item in state.backlog.values() for i in item.idea_ids}
        already = [i for i in idea_ids if i in converted]
        if already:
            raise Conflict("already in the backlog: " + ", ".join(already), {"idea_ids": already})
        now = utcnow()
        items = []
        for idea_id in idea_ids:
            idea = state.ideas[idea_id]
            merged = [i.id for i in state.ideas.values() if i.merged_into == idea_id]
            team = teams_by_idea.get(idea_id)
            champion = state.participants.get(team.champion_id) if team and team.champion_id else None
            items.append(
                BacklogItem(
                    id=new_id(),
                    workshop=state.id,
                    title=_short(idea.text, 80),
                    problem=idea.text,
                    idea_ids=[idea_id, *merged],
                    team_id=team.id if team else None,
                    owner=Owner(name=champion.name if champion else ""),
                    status=BacklogStatus.PROPOSED,
                    history=[
                        StatusChange(
                            at=now,
                            to=BacklogStatus.PROPOSED,
                            note=f"from workshop {state.code}",
                            next_review=now.date() + dt.timedelta(days=review_in_days),
                        )
                    ],
                    next_review=now.date() + dt.timedelta(days=review_in_days),
                    dots=state.idea_dots[idea_id],
                    created_at=now,
                    updated_at=now,
                )
            )
        change = Change(state)
        for item in items:
            change.put("backlog", item)
        await change.commit()
        for item in items:
            self._emit(state, ev.BacklogChanged, item=item, action="created")
        return items

    async def update_backlog_item(
        self, item_id: str, patch: BacklogPatch | dict[str, Any], *, now: dt.datetime | None = None
    ) -> BacklogItem:
        try:
            p = patch if isinstance(patch, BacklogPatch) else BacklogPatch.model_validate(patch)
        except ValidationError as exc:
            raise Invalid(validation_message(exc)) from None
        state, item = self.find_backlog_item(item_id)
        settings = state.workshop.settings
        now = now or utcnow()
        update: dict[str, Any] = {}
        said: list[str] = []
        if p.title is not None and p.title != item.title:
            update["title"] = p.title
            said.append("title changed")
        if p.problem is not None and p.problem != item.problem:
            update["problem"] = p.problem
            said.append("problem statement changed")
        if p.owner is not None and p.owner != item.owner:
            update["owner"] = p.owner
            said.append(f"owner: {p.owner.name or 'nobody'}")
        if "next_review" in p.model_fields_set and p.next_review != item.next_review:
            update["next_review"] = p.next_review
            said.append(f"next review: {p.next_review.isoformat() if p.next_review else 'none'}")
        if p.asks is not None and p.asks != item.asks:
            update["asks"] = p.asks
            said.append(f"{len(p.asks)} asks to the city")
        if p.budget_requests is not None and p.budget_requests != item.budget_requests:
            for req in p.budget_requests:
                if req.currency != settings.currency:
                    raise Invalid(f"budget requests are in the workshop's currency, {settings.currency}")
                if req.amount > settings.budget_cap_per_request:
                    raise Invalid(
                        f"a request is at most {settings.budget_cap_per_request} {settings.currency} "
                        f"(this one asks {req.amount})"
                    )
            others = [i for i in state.backlog.values() if i.id != item.id]
            before = budget_totals(state.backlog.values(), settings.budget_pool, settings.currency)
            after = budget_totals(
                [*others, item.model_copy(update={"budget_requests": p.budget_requests})],
                settings.budget_pool,
                settings.currency,
            )
            if after.committed > after.pool and after.committed > before.committed:
                raise Conflict(
                    f"approving this would commit {after.committed} {settings.currency} "
                    f"of a {after.pool} {settings.currency} pool ({before.remaining} left)",
                    {"pool": str(after.pool), "remaining": str(before.remaining)},
                )
            update["budget_requests"] = p.budget_requests
            said.append(f"budget: {after.requested} requested, {after.committed} approved or spent in the pool")
        new_status = item.status
        if p.status is not None and p.status != item.status:
            if p.status not in allowed_transitions(item.status):
                allowed = ", ".join(sorted(s.value for s in allowed_transitions(item.status)))
                raise Conflict(f"cannot go from {item.status.value} to {p.status.value}; from here: {allowed}")
            new_status = p.status
            update["status"] = p.status
        if not update and not p.note:
            return item
        note = "; ".join(x for x in [p.note, *said] if x)
        entry = StatusChange(
            at=now,
            **{"from": item.status},
            to=new_status,
            note=note,
            next_review=update.get("next_review", item.next_review),
        )
        update["history"] = [*item.history, entry]
        update["updated_at"] = now
        try:
            updated = BacklogItem.model_validate({**item.model_dump(), **update})
        except ValidationError as exc:
            raise Invalid(validation_message(exc)) from None
        change = Change(state)
        change.put("backlog", updated)
        await change.commit()
        self._emit(state, ev.BacklogChanged, item=updated, action="updated")
        return updated

    # ------------------------------------------------------------------ import

    async def import_export(self, doc: ExportDocument, *, as_new_code: bool = False) -> Workshop:
        """Restore a workshop from a v1 export, in one durable batch, never over an existing one.

        A code already in use is refused unless ``as_new_code`` (then the workshop gets a fresh code).
        The same workshop (its id) already here is refused; with ``as_new_code`` it is imported as a
        copy with fresh ids for every entity. Participants come back without tokens.
        """
        from workshop_tui.importer import check_references, store_ops, with_fresh_ids

        check_references(doc)
        w = doc.workshop
        existing = self._by_id.get(w.id)
        if existing is not None and not as_new_code:
            raise Conflict(
                f"this workshop is already here as code {existing.code} ({existing.workshop.title!r}); "
                "nothing imported (--as-new-code imports a copy)"
            )
        if not as_new_code and normalize_code(w.code) in self._by_code:
            other = self._by_code[normalize_code(w.code)].workshop
            raise Conflict(
                f"code {w.code} is already used by {other.title!r}; nothing imported "
                "(--as-new-code imports it under a fresh code)"
            )
        if as_new_code:
            if existing is not None or (self.data_dir / WORKSHOPS_DIR / w.id).exists():
                doc = with_fresh_ids(doc)
            fresh = new_join_code(set(self._by_code))
            doc = doc.model_copy(update={"workshop": doc.workshop.model_copy(update={"code": fresh})})
        workshop = doc.workshop
        directory = self.data_dir / WORKSHOPS_DIR / workshop.id
        try:
            store = WorkshopStore.create(directory)
        except FileExistsError:
            raise Conflict(
                f"{directory} already exists (a workshop that could not be opened?); nothing imported"
            ) from None
        durable = store.apply(store_ops(doc))
        state = WorkshopState(store)
        self._register(state)
        await durable
        self._emit(state, ev.WorkshopCreated, workshop=workshop)
        return workshop

    # ------------------------------------------------------------------ housekeeping

    async def flush(self) -> None:
        for state in self._by_id.values():
            await state.store.flush()

    def remove_workshop_dir(self, workshop_id: str) -> None:  # pragma: no cover - used by import on failure
        shutil.rmtree(self.data_dir / WORKSHOPS_DIR / workshop_id, ignore_errors=True)


def today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


def _short(text: str, limit: int) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


class BacklogPatch(BaseModel):
    """What ``PATCH /api/v1/admin/backlog/{id}`` and the TUI's edit form may change."""

    model_config = ConfigDict(extra="forbid")

    title: Title | None = None
    problem: LongText | None = None
    owner: Owner | None = None
    status: BacklogStatus | None = None
    note: LongText | None = None
    next_review: dt.date | None = None
    budget_requests: list[BudgetRequest] | None = Field(None, max_length=50)
    asks: list[Ask] | None = Field(None, max_length=50)
