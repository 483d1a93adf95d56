"""Join passes: a room behind one address gets in while a script on the same address floods joins.

A whole room can share one address (a hotspot's NAT), so the address cannot tell 300 phones from a
script; what tells them apart is what a phone does and a flood does not. The phone page hands out
a pass (the ``wt_pass`` cookie: issue time, a random id, an HMAC under this server's secret) and
each pass has its own small join bucket, so joins with a pass never compete with joins without one:

- joins with no valid pass (tools, scripts that keep no cookies) share the address's bucket, as
  before (``join_burst`` then ``join_rate``);
- a pass allows ``pass_join_burst`` joins, then ``pass_join_rate`` (a phone joins once, maybe again
  after clearing its token);
- the page hands out at most one pass per connection per ``pass_connection_seconds`` (a script
  keeping cookies on a keep-alive connection gets one pass, not one per request); a connection is
  the one the server accepted (``CONNECTION``), not its address and port: a NAT hands a closed
  connection's source port to the next phone, and a flood of connections brings a port round on
  loopback within the minute, which left such a phone without a pass; and at most
  ``pass_burst`` then ``pass_rate`` per address (a room arriving at once), to bound a script that
  opens a new connection for every pass.

What the passes cannot stop (a script that does exactly what hundreds of phones do, a new
connection and a page load per join) is bounded by the address's pass bucket and by the workshop's
``max_participants``; docs/http.md says so.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import time
from collections.abc import Callable, Mapping
from typing import Any

from workshop_tui.errors import RateLimited
from workshop_tui.server.limits import Limits
from workshop_tui.server.ratelimit import RateLimiter

PASS_COOKIE = "wt_pass"
#: The ASGI scope extension where the server's protocol names the connection a request came on
#: (``server/connections.py``): ``{"id": int}``, unique for the server's lifetime.
CONNECTION = "workshop_tui.connection"


def connection_of(scope: Mapping[str, Any]) -> str:
    """The connection a request came on: its id from the protocol, else (an ASGI client in tests, no
    socket) its address and port."""
    client = scope.get("client") or ("unknown", 0)
    named = (scope.get("extensions") or {}).get(CONNECTION)
    where = f"{client[0]}:{client[1]}"
    return f"{where}#{named['id']}" if named else where


class JoinPasses:
    def __init__(self, limits: Limits, *, clock: Callable[[], float] = time.monotonic) -> None:
        self._secret = os.urandom(32)  # passes end with the server: a restarted one hands out new ones
        self.max_age = limits.pass_max_age
        self.anonymous = RateLimiter(
            burst=limits.join_burst, rate=limits.join_rate, what="joins from this address", clock=clock
        )
        self._per_pass = RateLimiter(
            burst=limits.pass_join_burst, rate=limits.pass_join_rate, what="joins from this phone", clock=clock
        )
        self._per_connection = RateLimiter(burst=1, rate=1 / limits.pass_connection_seconds, clock=clock)
        self._per_address = RateLimiter(burst=limits.pass_burst, rate=limits.pass_rate, clock=clock)

    def _sign(self, body: str) -> str:
        return hmac.new(self._secret, body.encode(), hashlib.sha256).hexdigest()[:32]

    def valid(self, value: str | None) -> str | None:
        """The id of a pass this server issued and that has not expired, else None."""
        if not value or len(value) > 128:
            return None
        body, _, mac = value.rpartition(".")
        issued, _, pass_id = body.partition(".")
        if not (issued.isdigit() and pass_id and hmac.compare_digest(mac, self._sign(body))):
            return None
        return pass_id if 0 <= time.time() - int(issued) <= self.max_age else None

    def issue(self, host: str, connection: str) -> str | None:
        """A new pass for a page load from ``host`` on ``connection`` (``connection_of``), or None when over
        the limits."""
        try:
            self._per_connection.check(connection)
            self._per_address.check(host)
        except RateLimited:
            return None
        body = f"{int(time.time())}.{secrets.token_urlsafe(12)}"
        return f"{body}.{self._sign(body)}"

    def check_join(self, host: str, pass_value: str | None) -> None:
        """Take a join token: from the pass's own bucket, or the address's when there is no valid pass."""
        pass_id = self.valid(pass_value)
        if pass_id is None:
            self.anonymous.check(host)
        else:
            self._per_pass.check(pass_id)
