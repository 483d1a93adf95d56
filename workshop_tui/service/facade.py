"""``WorkshopService``, the domain service: the only writer. The TUI, the HTTP routes and the CLI all call it.

``WorkshopService`` is a facade over one small object per concern (``workshops``, ``ideas``,
``merging``, ``themes``, ``dots``, ``teams``, ``backlog_ops``, ``importing``, ``timer``). Each is built
from the registry of open workshops and the event bus, nothing else: concerns never call one another,
and what they share is a pure query in ``queries``. See docs/architecture.md, "The service".
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Self

from workshop_tui import events as ev
from workshop_tui.service.backlog_ops import BacklogOps
from workshop_tui.service.dots import DotOps
from workshop_tui.service.ideas import IdeaOps
from workshop_tui.service.importing import ImportOps
from workshop_tui.service.merging import MergeOps
from workshop_tui.service.reading import RegistryViews
from workshop_tui.service.registry import Registry
from workshop_tui.service.teams import TeamOps
from workshop_tui.service.themes import ThemeOps
from workshop_tui.service.timer import TimerOps
from workshop_tui.service.workshops import WorkshopOps
from workshop_tui.summaries import WorkshopSummary


class WorkshopService:
    def __init__(self, data_dir: Path, *, read_only: bool = False) -> None:
        self.data_dir = data_dir
        self.read_only = read_only
        self.bus = ev.EventBus()
        self._registry = registry = Registry(data_dir, read_only=read_only)
        self.messages = registry.messages  # recovery notes for the facilitator (files set aside, ...)
        self.on_store_failure = registry.on_store_failure  # (code, reason) listeners: the TUI's banner

        # the workshops: listed from their summaries, each opened the first time it is asked for
        self.state = registry.state
        self.states = registry.states
        self.open_states = registry.open_states
        self.summary = registry.summary
        self.summaries = registry.summaries
        self.workshops = registry.workshops
        self.flush = registry.flush
        # what readers hold: views, never the live state
        views = RegistryViews(registry)
        self.view = views.view
        self.views = views.views
        self.open_views = views.open_views

        workshops = WorkshopOps(registry, self.bus)
        self.create_workshop = workshops.create_workshop
        self.update_workshop = workshops.update_workshop
        self.set_phase = workshops.set_phase
        self.set_voting = workshops.set_voting
        self.join = workshops.join
        self.say_done = workshops.say_done
        self.authenticate = workshops.authenticate

        ideas = IdeaOps(registry, self.bus)
        self.post_idea = ideas.post_idea
        self.edit_idea = ideas.edit_idea
        self.delete_idea = ideas.delete_idea
        self.restore_idea = ideas.restore_idea
        self.hide_idea = ideas.hide_idea
        self.set_idea_theme = ideas.set_idea_theme
        self.hide_ideas = ideas.hide_ideas
        self.delete_ideas = ideas.delete_ideas
        self.restore_ideas = ideas.restore_ideas
        self.block_participant = ideas.block_participant
        self.reveal_notes = ideas.reveal_notes

        merging = MergeOps(registry, self.bus)
        self.merge_ideas = merging.merge_ideas
        self.unmerge_idea = merging.unmerge_idea

        themes = ThemeOps(registry, self.bus)
        self.create_theme = themes.create_theme
        self.rename_theme = themes.rename_theme
        self.delete_theme = themes.delete_theme

        dots = DotOps(registry, self.bus)
        self.cast_dot = dots.cast_dot
        self.withdraw_dot = dots.withdraw_dot
        self.add_paper_dots = dots.add_paper_dots
        self.ranking = dots.ranking
        self.set_preferences = dots.set_preferences

        teams = TeamOps(registry, self.bus)
        self.candidate_ideas = teams.candidate_ideas
        self.default_team_count = teams.default_team_count
        self.set_team_candidates = teams.set_team_candidates
        self.form_teams = teams.form_teams
        self.publish_teams = teams.publish_teams
        self.move_member = teams.move_member
        self.set_champion = teams.set_champion

        backlog = BacklogOps(registry, self.bus)
        self.backlog_items = backlog.backlog_items
        self.find_backlog_item = backlog.find_backlog_item
        self.backlog_ledger = backlog.backlog_ledger
        self.convert_to_backlog = backlog.convert_to_backlog
        self.update_backlog_item = backlog.update_backlog_item
        self.link_decidim = backlog.link_decidim

        timers = TimerOps(registry, self.bus)
        self.timer = timers.timer
        self.set_timer = timers.set_timer

        self.import_export = ImportOps(registry, self.bus).import_export

    # ------------------------------------------------------------------ lifecycle

    def open(self, *, preload: Callable[[WorkshopSummary], bool] | None = None) -> Self:
        """List the data directory's workshops from their summaries, opening the stores only of those
        ``preload`` picks (and of any whose summary is missing or stale); the rest open on demand."""
        self._registry.open(preload=preload)
        return self

    async def close(self) -> None:
        await self._registry.close()

    async def __aenter__(self) -> Self:
        if not self._registry.opened:
            self.open()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()
