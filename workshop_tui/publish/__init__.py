"""The public follow-up site (``workshop-tui publish DIR``): static HTML and CSS, Atom feeds, iCalendar files.

What a participant who left the room can see of what became of their ideas, without an account and
without JavaScript: :func:`build_site` turns workshops into files (path -> bytes), :func:`write_site`
puts them in a folder that any web server (or a file browser) can serve.

Rules every file follows:

- **Consent.** The site is public, so it is built from the anonymised export (workshop_tui/anonymize.py):
  participants are "Participant N", owners are named only when they consented (``Owner.public``) and their
  contact only then; notes that were deleted or hidden never reach it (workshop_tui/export_json.py).
- **Inert text.** Every page is a Jinja2 template with autoescape on, so nothing a participant typed can
  become markup; text that HTML or XML cannot carry (controls, noncharacters) becomes U+FFFD, and user
  text sits in ``<bdi>`` so a bidi override cannot reorder the page around it.
- **Self-contained.** No script, no external request: charts are inline SVG, links are relative. Only
  ``base_url`` (``--base-url``) adds absolute URLs, where feeds and calendars need them.
- **Idempotent.** The same data and the same ``as_of`` give the same bytes: no generation time (the
  ledger's "as of" day is an input, feed and calendar times come from the data), sorted iteration.
"""

from __future__ import annotations

from workshop_tui.publish.options import SiteOptions
from workshop_tui.publish.site import build_site, write_site

__all__ = ["SiteOptions", "build_site", "write_site"]
