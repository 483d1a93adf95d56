"""What the routes of one server share: the service, the limiters, the SSE broker, the admin token."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from workshop_tui.server.join_pass import JoinPasses
from workshop_tui.server.limits import Limits
from workshop_tui.server.ratelimit import RateLimiter
from workshop_tui.server.sse import Broker
from workshop_tui.server.views import WallCache
from workshop_tui.service import WorkshopService


@dataclass(frozen=True)
class ServerContext:
    service: WorkshopService
    limits: Limits
    writes: RateLimiter
    joins: JoinPasses
    broker: Broker
    admin_token: bytes
    secure_cookie: bool
    join_url: Callable[[str], str]
    walls: WallCache
