"""Which facilitator action (``workshop_tui.actions``) each admin route performs.

A route declares it with ``**performs(Action.X)``; ``/openapi.json`` shows it as ``x-actions`` and a
test checks that every facilitator action of the table has a route (admin API parity, issue 10 item 3).
"""

from __future__ import annotations

from typing import Any

from workshop_tui.actions import Action

EXTENSION = "x-actions"


def performs(*actions: Action) -> dict[str, Any]:
    return {"openapi_extra": {EXTENSION: [a.value for a in actions]}}


def action_routes(openapi: dict[str, Any]) -> dict[Action, list[str]]:
    """Each action and the operations (``METHOD path``) of ``/openapi.json`` that perform it."""
    found: dict[Action, list[str]] = {}
    for path, operations in openapi.get("paths", {}).items():
        for method, operation in operations.items():
            for name in operation.get(EXTENSION, ()):
                found.setdefault(Action(name), []).append(f"{method.upper()} {path}")
    return found
