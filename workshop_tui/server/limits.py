"""Abuse limits of the participant server; the defaults are the contract (design.md section 5)."""

from __future__ import annotations

from pydantic import BaseModel


class Limits(BaseModel):
    max_body: int = 16 * 1024
    write_burst: float = 20
    write_rate: float = 2.0
    # A whole room can sit behind one address (a hotspot's NAT, a proxy for --public-url):
    # 300 people get in within a minute, a script joining thousands is refused.
    join_burst: float = 100
    join_rate: float = 5.0
