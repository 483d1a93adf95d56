"""The domain service: the only writer. The TUI, the HTTP routes and the CLI all call it.

``WorkshopService`` is assembled from one class per concern, each building on the one before:
``base`` (data directory, lookups, shared checks), ``ideas``, ``dots``, ``teams``, ``backlog_ops``,
``importing`` and, here, the workshop's own lifecycle (create, settings, phase, joining).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import ValidationError

from workshop_tui import events as ev
from workshop_tui.errors import Conflict, Invalid
from workshop_tui.ids import new_id, new_join_code, new_token
from workshop_tui.models import DEFAULT_TIMEBOX_MINUTES, Participant, PhaseClock, Settings, Workshop, utcnow
from workshop_tui.phases import Phase, allowed_targets, can_move
from workshop_tui.service.backlog_ops import BacklogPatch
from workshop_tui.service.base import FACILITATOR, WORKSHOPS_DIR, ServiceBase, hash_token, validated, validation_message
from workshop_tui.service.importing import ImportOps
from workshop_tui.state import Change, WorkshopState
from workshop_tui.store import WorkshopStore
from workshop_tui.templates import get_template


class WorkshopService(ImportOps):
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
        merged = validated(Settings, {**base, **(settings or {})})
        workshop = validated(
            Workshop,
            {
                "id": new_id(),
                "code": code or new_join_code(set(self._by_code)),
                "title": title,
                "prompt": prompt if prompt is not None else (chosen.prompt if chosen else ""),
                "template": chosen.id if chosen else None,
                "settings": merged,
            },
        )
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
        # The ballot never opens by itself: the facilitator explains the rules, then opens it (set_voting).
        update["voting_open"] = False
        if target == Phase.VOTE and current in (Phase.GROUP, Phase.IDEATE):
            update["results_revealed"] = False
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

    async def publish_teams(self, code: str, published: bool = True) -> Workshop:
        """Show phones their team; until then the teams are the facilitator's draft and ranking stays open."""
        state = self.state(code)
        self._require_phase(state, [Phase.TEAMS], "publish the teams")
        if published and not state.teams:
            raise Conflict("there are no teams to publish yet: form them first")
        return await self._put_workshop(state, {"teams_published": published})

    # ------------------------------------------------------------------ the phase timer

    def timer(self, code: str) -> PhaseClock:
        """The current phase's timer: the stored one, or a fresh paused one from the phase's timebox."""
        w = self.state(code).workshop
        if w.timer is not None and w.timer.phase == w.phase:
            return w.timer
        seconds = 60 * w.settings.timeboxes.get(w.phase, DEFAULT_TIMEBOX_MINUTES)
        return PhaseClock(phase=w.phase, duration_s=seconds, remaining_s=seconds)

    async def start_timer(self, code: str) -> PhaseClock:
        clock = self.timer(code)
        if clock.running:
            return clock
        left = clock.remaining_s if clock.remaining_s > 0 else float(clock.duration_s)
        ends = utcnow() + dt.timedelta(seconds=left)
        return await self._put_timer(code, clock.model_copy(update={"running": True, "ends_at": ends}))

    async def pause_timer(self, code: str) -> PhaseClock:
        clock = self.timer(code)
        if not clock.running:
            return clock
        paused = {"running": False, "ends_at": None, "remaining_s": clock.left()}
        return await self._put_timer(code, clock.model_copy(update=paused))

    async def add_timer_time(self, code: str, seconds: int = 60) -> PhaseClock:
        """More time (from now if it already ran out); negative takes time off, never below zero."""
        clock = self.timer(code)
        left = max(0.0, clock.left() + seconds)
        if clock.running:
            update: dict[str, Any] = {"ends_at": utcnow() + dt.timedelta(seconds=left)}
        else:
            update = {"remaining_s": left}
        return await self._put_timer(code, clock.model_copy(update=update))

    async def reset_timer(self, code: str, seconds: int | None = None) -> PhaseClock:
        """Back to the phase's timebox (or ``seconds``), paused."""
        w = self.state(code).workshop
        if seconds is not None and not 0 <= seconds <= 60 * 60 * 24:
            raise Invalid("a timer is between 0 seconds and 24 hours")
        total = seconds if seconds is not None else 60 * w.settings.timeboxes.get(w.phase, DEFAULT_TIMEBOX_MINUTES)
        return await self._put_timer(code, PhaseClock(phase=w.phase, duration_s=total, remaining_s=total))

    async def _put_timer(self, code: str, clock: PhaseClock) -> PhaseClock:
        state = self.state(code)
        await self._put_workshop(state, {"timer": clock}, emit=False)
        self._emit(state, ev.TimerChanged, timer=clock)
        return clock

    async def _put_workshop(self, state: WorkshopState, update: dict[str, Any], *, emit: bool = True) -> Workshop:
        updated = state.workshop.model_copy(update={**update, "updated_at": utcnow()})
        change = Change(state)
        change.put("workshop", updated)
        await change.commit()
        if emit:
            self._emit(state, ev.WorkshopUpdated, workshop=updated)
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
        participant = validated(
            Participant,
            {
                "id": new_id(),
                "workshop_id": state.id,
                "name": clean_name,
                "skills": [s for s in (skills or []) if s.strip()],
                "token_hash": hash_token(token),
            },
        )
        change = Change(state)
        change.put("participants", participant)
        await change.commit()
        self._emit(state, ev.ParticipantJoined, participant=participant)
        return participant, token


__all__ = [
    "FACILITATOR",
    "WORKSHOPS_DIR",
    "BacklogPatch",
    "ServiceBase",
    "WorkshopService",
    "hash_token",
    "validation_message",
]
