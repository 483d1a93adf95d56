"""Restoring a workshop from a v1 export in one durable write."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workshop_tui import events as ev
from workshop_tui.errors import Conflict
from workshop_tui.ids import new_join_code
from workshop_tui.models import (
    Workshop,
)
from workshop_tui.service.base import Concern
from workshop_tui.state import WorkshopState
from workshop_tui.store import WorkshopStore

if TYPE_CHECKING:  # the export's models load with the command that reads an export
    from workshop_tui.export_json import ExportDocument


class ImportOps(Concern):
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
        existing = self.workshops.by_id(w.id)
        if existing is not None and not as_new_code:
            raise Conflict(
                f"this workshop is already here as code {existing.code} ({existing.workshop.title!r}); "
                "nothing imported (--as-new-code imports a copy)"
            )
        taken = self.workshops.by_code(w.code)
        if not as_new_code and taken is not None:
            other = taken.workshop
            raise Conflict(
                f"code {w.code} is already used by {other.title!r}; nothing imported "
                "(--as-new-code imports it under a fresh code)"
            )
        if as_new_code:
            if existing is not None or self.workshops.directory(w.id).exists():
                doc = with_fresh_ids(doc)
            fresh = new_join_code(self.workshops.codes())
            doc = doc.model_copy(update={"workshop": doc.workshop.model_copy(update={"code": fresh})})
        workshop = doc.workshop
        directory = self.workshops.directory(workshop.id)
        try:
            store = WorkshopStore.create(directory, store_ops(doc))  # built aside, renamed into place
        except FileExistsError:
            raise Conflict(
                f"{directory} already exists (a workshop that could not be opened?); nothing imported"
            ) from None
        state = WorkshopState(store)
        self.workshops.register(state)
        self._emit(state, ev.WorkshopCreated, workshop=workshop)
        return workshop
