"""Locale codes as exports take them (``en``, ``ca``, ``pt-BR``): one pattern for the exporter registry
and the renderers, in a module of its own so neither has to import the other."""

from __future__ import annotations

import re

LOCALE_RE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")
