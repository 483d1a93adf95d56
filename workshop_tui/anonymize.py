"""Stable pseudonyms for an export: "Participant 1", "Participant 2", ... in order of joining.

Owners of backlog items keep their name only when they consented to be named (``owner.public``);
otherwise they get the pseudonym of the participant with that name, and their contact is dropped.
History entries refer to people by id only, so they need no scrubbing.
"""

from __future__ import annotations

from workshop_tui.export_json import ExportDocument


def anonymize(doc: ExportDocument) -> ExportDocument:
    pseudonyms = {p.id: f"Participant {n}" for n, p in enumerate(doc.participants, start=1)}
    by_name = {p.name: pseudonyms[p.id] for p in reversed(doc.participants) if p.name}
    participants = [p.model_copy(update={"name": pseudonyms[p.id]}) for p in doc.participants]
    backlog = []
    for item in doc.backlog:
        owner = item.owner
        if not owner.public and (owner.name or owner.contact):
            name = by_name.get(owner.name, "Owner (not public)") if owner.name else ""
            owner = owner.model_copy(update={"name": name, "contact": ""})
        backlog.append(item.model_copy(update={"owner": owner}))
    return doc.model_copy(update={"participants": participants, "backlog": backlog})
