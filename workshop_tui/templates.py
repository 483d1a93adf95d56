"""Workshop templates shipped in ``data/templates``: prompts, timeboxes and dot settings."""

from __future__ import annotations

import functools

import orjson
from pydantic import BaseModel, ConfigDict, Field

from workshop_tui.errors import Invalid
from workshop_tui.models import Settings
from workshop_tui.paths import shipped_data_dir


class Template(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    name: str
    description: str
    prompt: str
    settings: Settings = Field(default_factory=Settings)


@functools.cache
def templates() -> dict[str, Template]:
    found = {}
    for path in sorted((shipped_data_dir() / "templates").glob("*.json")):
        template = Template.model_validate(orjson.loads(path.read_bytes()))
        found[template.id] = template
    return found


def get_template(template_id: str) -> Template:
    try:
        return templates()[template_id]
    except KeyError:
        known = ", ".join(sorted(templates()))
        raise Invalid(f"unknown template {template_id!r}; choose one of: {known}") from None
