"""How a site is published: the day its ledger is computed for, and where it will be served."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class SiteOptions:
    #: The day the ledger is computed for (overdue reviews, stalled prototypes); an input, never the clock.
    as_of: dt.date
    #: Where the site will be served, ending in "/": feeds and calendars then carry absolute links.
    base_url: str | None = None

    def url(self, path: str) -> str | None:
        return self.base_url + path if self.base_url else None
