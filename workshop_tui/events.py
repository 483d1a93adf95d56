"""Typed domain events and the bus that carries them to the TUI and the SSE streams.

Events are published only after the change they describe is durable.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Literal

from pydantic import BaseModel, ConfigDict

from workshop_tui.models import BacklogItem, Idea, Participant, PhaseTimer, Team, Theme, Workshop
from workshop_tui.phases import Phase

log = logging.getLogger(__name__)


class Event(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)  # built when first published (models._Strict)

    type: str
    workshop_id: str
    code: str


class WorkshopCreated(Event):
    type: Literal["workshop_created"] = "workshop_created"
    workshop: Workshop


class WorkshopUpdated(Event):
    type: Literal["workshop_updated"] = "workshop_updated"
    workshop: Workshop


class PhaseChanged(Event):
    type: Literal["phase_changed"] = "phase_changed"
    phase: Phase
    previous: Phase


class VotingChanged(Event):
    """Voting opened or closed, or results revealed or hidden."""

    type: Literal["voting_changed"] = "voting_changed"
    voting_open: bool
    results_revealed: bool


class TimerChanged(Event):
    """The phase timer started, paused, changed or stopped (``timer`` None)."""

    type: Literal["timer_changed"] = "timer_changed"
    timer: PhaseTimer | None


class ParticipantJoined(Event):
    type: Literal["participant_joined"] = "participant_joined"
    participant: Participant


class ReadyChanged(Event):
    """A participant said they are done (or not done after all) in the current phase."""

    type: Literal["ready_changed"] = "ready_changed"
    participant_id: str
    done: bool


class IdeaPosted(Event):
    type: Literal["idea_posted"] = "idea_posted"
    idea: Idea


class IdeaChanged(Event):
    """Edited, hidden, shown, deleted, restored, moved to a theme or merged."""

    type: Literal["idea_changed"] = "idea_changed"
    idea: Idea
    action: str


class ThemeChanged(Event):
    type: Literal["theme_changed"] = "theme_changed"
    theme: Theme
    action: Literal["created", "renamed", "deleted"]


class VoteChanged(Event):
    """A dot was cast or withdrawn (``participant_id`` None: paper dots). Readers take the tallies from
    the service's view; phones are never sent this event (votes are private)."""

    type: Literal["vote_changed"] = "vote_changed"
    participant_id: str | None
    idea_id: str
    delta: int


class PreferencesSet(Event):
    type: Literal["preferences_set"] = "preferences_set"
    participant_id: str
    idea_ids: list[str]


class TeamsChanged(Event):
    type: Literal["teams_changed"] = "teams_changed"
    teams: list[Team]


class BacklogChanged(Event):
    type: Literal["backlog_changed"] = "backlog_changed"
    item: BacklogItem
    action: str


Subscriber = Callable[[Event], None]


class EventBus:
    """Synchronous fan-out. Subscribers must be quick (queue or post_message) and never raise."""

    def __init__(self) -> None:
        self._subscribers: list[Subscriber] = []

    def subscribe(self, subscriber: Subscriber) -> Callable[[], None]:
        self._subscribers.append(subscriber)

        def unsubscribe() -> None:
            if subscriber in self._subscribers:
                self._subscribers.remove(subscriber)

        return unsubscribe

    def publish(self, event: Event) -> None:
        for subscriber in list(self._subscribers):
            try:
                subscriber(event)
            except Exception:  # one broken subscriber must not break a participant's request
                log.exception("event subscriber failed on %s", event.type)
