"""The workshop itself: creating it, its settings, its phase and ballot, people joining."""

from __future__ import annotations

import hmac
from typing import Any

from pydantic import ValidationError

from workshop_tui import events as ev
from workshop_tui.actions import Action, require
from workshop_tui.errors import Conflict, Invalid, Unauthorized
from workshop_tui.i18n import facilitator_language
from workshop_tui.ids import new_id, new_join_code, new_token
from workshop_tui.models import Participant, Settings, Workshop, is_blank, utcnow
from workshop_tui.phases import Phase, allowed_targets, can_move
from workshop_tui.service import queries
from workshop_tui.service.base import Concern, changed, hash_token, validated, validation_message
from workshop_tui.state import Change, WorkshopState
from workshop_tui.store import WorkshopStore


def _names_off_when_anonymous(asked: dict[str, Any], settings: Settings) -> Settings:
    """An anonymous workshop shows no names anywhere: asking to project them is refused, and making a
    workshop anonymous takes them off the projector."""
    if not (settings.anonymous and settings.show_authors):
        return settings
    if asked.get("show_authors"):
        raise Conflict("this workshop is anonymous: authors' names are shown nowhere, not even on the projector")
    return settings.model_copy(update={"show_authors": False})


class WorkshopOps(Concern):
    # ------------------------------------------------------------------ workshops

    async def create_workshop(
        self,
        title: str,
        *,
        prompt: str | None = None,
        template: str | None = None,
        settings: dict[str, Any] | None = None,
        code: str | None = None,
        language: str | None = None,
        languages: list[str] | None = None,
        follow_url: str | None = None,
    ) -> Workshop:
        from workshop_tui.templates import get_template  # the template files: only when a workshop is created

        chosen = get_template(template) if template else None
        base = chosen.settings.model_dump() if chosen else {}
        merged = _names_off_when_anonymous(settings or {}, validated(Settings, {**base, **(settings or {})}))
        workshop = validated(
            Workshop,
            {
                "id": new_id(),
                "code": code or new_join_code(self.workshops.codes()),
                "title": title,
                "prompt": prompt if prompt is not None else (chosen.prompt if chosen else ""),
                "template": chosen.id if chosen else None,
                "language": language or facilitator_language(),
                "languages": languages or [],
                "settings": merged,
                "follow_url": follow_url or None,
            },
        )
        if self.workshops.by_code(workshop.code) is not None:
            raise Conflict(f"a workshop with code {workshop.code} already exists")
        doc = workshop.model_dump(mode="json")
        store = WorkshopStore.create(self.workshops.directory(workshop.id), [["p", "workshop", workshop.id, doc]])
        state = WorkshopState(store)
        self.workshops.register(state)
        self._emit(state, ev.WorkshopCreated, workshop=workshop)
        return workshop

    async def update_workshop(
        self,
        code: str,
        *,
        title: str | None = None,
        prompt: str | None = None,
        settings: dict[str, Any] | None = None,
        language: str | None = None,
        languages: list[str] | None = None,
        follow_url: str | None = None,
    ) -> Workshop:
        """Change what is given; ``follow_url=""`` removes the follow-up URL."""
        state = self.state(code)
        require(Action.EDIT_SETTINGS, state.workshop.phase)
        w = state.workshop
        try:
            new_settings = Settings.model_validate({**w.settings.model_dump(), **(settings or {})})
            new_settings = _names_off_when_anonymous(settings or {}, new_settings)
            updated = w.model_copy(update={"updated_at": utcnow()})
            updated = Workshop.model_validate(
                {
                    **updated.model_dump(),
                    "title": title if title is not None else w.title,
                    "prompt": prompt if prompt is not None else w.prompt,
                    "language": language if language is not None else w.language,
                    "languages": languages if languages is not None else w.languages,
                    "settings": new_settings,
                    "follow_url": (follow_url or None) if follow_url is not None else w.follow_url,
                }
            )
        except ValidationError as exc:
            raise Invalid(validation_message(exc)) from None
        if settings and "dots_per_participant" in settings and state.dots_used:
            most = max(state.dots_used.values())
            if new_settings.dots_per_participant < most:
                raise Conflict(f"someone already placed {most} dots: the budget cannot go below that")
        await self._commit(state, "workshop", [updated], ev.WorkshopUpdated, "workshop")
        return updated

    async def set_phase(self, code: str, phase: Phase | str) -> Workshop:
        state = self.state(code)
        try:
            target = Phase(phase)
        except ValueError:
            raise Invalid(f"unknown phase {phase!r}; phases are {', '.join(p.value for p in Phase)}") from None
        current = state.workshop.phase
        require(Action.SET_PHASE, current)
        if target == current:
            return await self._unchanged(state, state.workshop)
        if not can_move(current, target):
            allowed = ", ".join(sorted(p.value for p in allowed_targets(current)))
            raise Conflict(f"cannot go from {current.value} to {target.value}; from here: {allowed}")
        update: dict[str, Any] = {"phase": target, "updated_at": utcnow()}
        if target == Phase.TEAMS and not queries.candidates_still_valid(state):
            update["team_candidates"] = queries.candidate_ideas(state)
        # The ballot never opens by itself: the facilitator explains the rules, then opens it (set_voting).
        update["voting_open"] = False
        if target == Phase.VOTE and current in (Phase.GROUP, Phase.IDEATE):
            update["results_revealed"] = False
        updated = state.workshop.model_copy(update=update)
        change = Change(state)
        change.put("workshop", updated)
        # Notes still written in private go on the wall with the phase change: past ideate nobody
        # could see, group or vote on them otherwise.
        revealed = [] if target == Phase.IDEATE else changed(queries.private_notes(state), "revealed", private=False)
        for idea in revealed:
            change.put("ideas", idea)
        await change.commit()
        state.store.request_snapshot()  # a stock TinyDB reader of the newest snapshot sees each phase
        for idea in revealed:
            self._emit(state, ev.IdeaChanged, idea=idea, action="revealed")
        self._emit(state, ev.PhaseChanged, phase=target, previous=current)
        return updated

    async def set_voting(
        self, code: str, *, voting_open: bool | None = None, results_revealed: bool | None = None
    ) -> Workshop:
        """Open or close the ballot, reveal or hide the results (vote phase and later)."""
        state = self.state(code)
        w = state.workshop
        if voting_open is not None:
            require(Action.TOGGLE_VOTING, state.workshop.phase)
        if results_revealed is not None:
            require(Action.REVEAL_RESULTS, state.workshop.phase)
        updated = w.model_copy(
            update={
                "voting_open": w.voting_open if voting_open is None else voting_open,
                "results_revealed": w.results_revealed if results_revealed is None else results_revealed,
                "updated_at": utcnow(),
            }
        )
        await self._commit(
            state,
            "workshop",
            [updated],
            ev.VotingChanged,
            None,
            voting_open=updated.voting_open,
            results_revealed=updated.results_revealed,
        )
        return updated

    # ------------------------------------------------------------------ participants

    async def join(
        self, code: str, name: str | None = None, skills: list[str] | None = None
    ) -> tuple[Participant, str]:
        """Returns the participant and their secret token (only its hash is stored)."""
        state = self.state(code)
        require(Action.JOIN, state.workshop.phase)
        most = state.workshop.settings.max_participants
        if len(state.participants) >= most:
            raise Conflict(f"this workshop is full: at most {most} people can join")
        token = new_token()
        clean_name = (name or "").strip()
        if is_blank(clean_name):
            clean_name = f"Guest {len(state.participants) + 1}"
        participant = validated(
            Participant,
            {
                "id": new_id(),
                "workshop_id": state.id,
                "name": clean_name,
                "skills": [s for s in (skills or []) if not is_blank(s)],
                "token_hash": hash_token(token),
            },
        )
        await self._commit(state, "participants", [participant], ev.ParticipantJoined, "participant")
        return participant, token

    async def say_done(self, code: str, participant_id: str, done: bool = True) -> Participant:
        """A participant is done writing (ideate) or voting (vote), or takes it back: the room's
        screens count how many are still at it, never who."""
        state = self.state(code)
        phase = state.workshop.phase
        require(Action.SAY_DONE, phase)
        person = self._participant(state, participant_id)
        if (phase in person.done_in) == done:
            return await self._unchanged(state, person)
        done_in = [*person.done_in, phase] if done else [p for p in person.done_in if p != phase]
        updated = person.model_copy(update={"done_in": done_in})
        await self._commit(state, "participants", [updated], ev.ReadyChanged, None, participant_id=person.id, done=done)
        return updated

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
