"""Abuse limits of the participant server; the defaults are the contract (docs/http.md)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Limits(BaseModel):
    model_config = ConfigDict(defer_build=True)  # built when first used (models._Strict)

    max_body: int = 16 * 1024
    write_burst: float = 20
    write_rate: float = 2.0
    # A whole room can sit behind one address (a hotspot's NAT, a proxy for --public-url), so joins
    # with a pass from the phone page have their own buckets (server/join_pass.py): 300 phones get in
    # within a minute while a script on the same address floods. Joins without a pass, per address:
    join_burst: float = 100
    join_rate: float = 5.0
    # Joins per pass; passes per connection (one per this many seconds) and per address; their lifetime.
    pass_join_burst: float = 3
    pass_join_rate: float = 1 / 60
    pass_connection_seconds: float = 60.0
    pass_burst: float = 600
    pass_rate: float = 10.0
    pass_max_age: int = 12 * 3600
    # Connections that make no progress are closed (seconds): slowloris, idle sockets, stalled bodies.
    first_byte_timeout: float = 10.0
    header_timeout: float = 10.0
    body_timeout: float = 15.0
    keep_alive: int = 5
    # Live streams: every phone has one, a script may not hold hundreds. Streams with a participant's
    # token count per participant; those without (the join screen) per address, as a room behind one
    # NAT joins; the total leaves at least half the server's connections to ordinary requests.
    sse_total: int = 2_000
    sse_per_participant: int = 4
    sse_anonymous_per_address: int = 64
