"""What the room reads on the projector, in the workshop's language (``workshop_tui.i18n``): the lobby's
"scan to join", the phase, the counts, the timer, the vote's results. The facilitator's own controls
(keys, dialogs, editors) stay in English. The language is read on each redraw: a change reaches the
screen with the next event.
"""

from __future__ import annotations

from babel.support import NullTranslations
from rich.text import Text

from workshop_tui import i18n
from workshop_tui.phases import PHASE_SPECS
from workshop_tui.service import WorkshopService


def room_texts(service: WorkshopService, code: str) -> NullTranslations:
    return i18n.translator(service.view(code).workshop.language)


def phase_title(service: WorkshopService, code: str) -> str:
    """The phase as phones and the room call it ("Share ideas", "Äänestys")."""
    phase = service.view(code).workshop.phase
    return room_texts(service, code).gettext(PHASE_SPECS[phase].audience_title)


def with_bold_count(template: str, count: int, **fields: object) -> Text:
    """A translated sentence with its ``{count}`` in bold, wherever the language puts it."""
    before, _, after = template.partition("{count}")
    text = Text(before.format(**fields))
    if _:
        text.append(str(count), style="bold")
        text.append(after.format(**fields))
    return text
