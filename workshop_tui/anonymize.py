"""Stable pseudonyms for an export: "Participant 1", "Participant 2", ... in order of joining.

Owners of backlog items keep their name only when they consented to be named (``owner.public``);
otherwise they get the pseudonym of the participant with that name (or "Owner (not public)"), and
their contact is dropped. Backlog history notes are written by the facilitator and by the service
("owner: NAME"), so every name that is not published is replaced there as well. Idea history
refers to people by id only. The text of the notes themselves is the participants' own words and
is left as written.
"""

from __future__ import annotations

import re

from workshop_tui.export_json import ExportDocument

NOT_PUBLIC = "Owner (not public)"


def pseudonyms(doc: ExportDocument) -> dict[str, str]:
    """Participant id -> "Participant N", numbered in the export's order (order of joining)."""
    return {p.id: f"Participant {n}" for n, p in enumerate(doc.participants, start=1)}


def _replacer(names: dict[str, str]) -> re.Pattern[str] | None:
    if not names:
        return None
    # Longest first, so "Ana Maria" wins over "Ana"; whole words only, so "Ivo" leaves "Ivory" alone.
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")


def anonymize(doc: ExportDocument) -> ExportDocument:
    names = pseudonyms(doc)
    by_name = {p.name: names[p.id] for p in reversed(doc.participants) if p.name}
    published = {item.owner.name for item in doc.backlog if item.owner.public and item.owner.name}
    hidden: dict[str, str] = {name: alias for name, alias in by_name.items() if name not in published}
    for item in doc.backlog:
        owner = item.owner
        if owner.name and not owner.public and owner.name not in hidden:
            hidden[owner.name] = NOT_PUBLIC
    pattern = _replacer(hidden)

    def scrub(text: str) -> str:
        return pattern.sub(lambda m: hidden[m.group(0)], text) if pattern else text

    participants = [p.model_copy(update={"name": names[p.id]}) for p in doc.participants]
    backlog = []
    for item in doc.backlog:
        owner = item.owner
        if not owner.public and (owner.name or owner.contact):
            owner = owner.model_copy(update={"name": hidden.get(owner.name, "") if owner.name else "", "contact": ""})
        history = [h.model_copy(update={"note": scrub(h.note)}) for h in item.history]
        backlog.append(item.model_copy(update={"owner": owner, "history": history}))
    return doc.model_copy(update={"participants": participants, "backlog": backlog})
