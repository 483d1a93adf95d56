"""Which address goes into the join URL (core: never imports textual).

Phones in the room must reach the facilitator's laptop, so the join URL names a LAN address, not
127.0.0.1 and not a container bridge. Interfaces are listed with ``ifaddr`` and the default route is
read from /proc/net/route (Linux); the hostname is never resolved (DNS/mDNS) and no packet is sent.
``--host`` and ``--public-url`` override the choice.

Everything that decides is a pure function of its inputs (``parse_default_routes``, ``skip_reason``,
``rank_candidates``), so tests feed them fixture interface lists and route tables.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import ifaddr

PROC_NET_ROUTE = Path("/proc/net/route")
LOOPBACK_FALLBACK = "127.0.0.1"
WILDCARD_HOSTS = frozenset({"", "0.0.0.0", "::"})
QR_ALPHANUMERIC = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")

_RTF_UP = 0x0001
# Container runtimes, VM host-only networks and their bridges: never the room's network.
_CONTAINER_IFACE = re.compile(
    r"^(docker|br-|veth|virbr|lxcbr|lxdbr|cni|flannel|cali|cilium|vxlan|weave|kube|podman|vboxnet|vmnet|vnet|tap)",
    re.IGNORECASE,
)
# A plain bridge (br0, bridge0) is skipped too, unless it carries the default route: then it is the
# host's own uplink (a machine bridging its NIC for VMs); container bridges never carry it.
_BRIDGE_IFACE = re.compile(r"^(br\d|bridge)", re.IGNORECASE)
# VPN tunnels are kept but ranked last: phones on the room's Wi-Fi rarely reach them.
_TUNNEL_IFACE = re.compile(r"^(tun|wg|tailscale|zt|utun)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Candidate:
    """One usable address of one interface."""

    interface: str
    address: str
    has_default_route: bool

    @property
    def is_ipv4(self) -> bool:
        return ipaddress.ip_address(self.address).version == 4


def parse_default_routes(route_table: str) -> dict[str, int]:
    """Interfaces holding an IPv4 default route in the text of /proc/net/route, with their best metric.

    Columns: Iface Destination Gateway Flags RefCnt Use Metric Mask ... (hex, little-endian). A default
    route has destination 0 and mask 0 and the RTF_UP flag. Malformed lines are ignored.
    """
    routes: dict[str, int] = {}
    for line in route_table.splitlines()[1:]:
        fields = line.split()
        if len(fields) < 8:
            continue
        iface, destination, flags, metric, mask = fields[0], fields[1], fields[3], fields[6], fields[7]
        try:
            is_default = int(destination, 16) == 0 and int(mask, 16) == 0 and int(flags, 16) & _RTF_UP
            metric_value = int(metric)
        except ValueError:
            continue
        if is_default:
            routes[iface] = min(metric_value, routes.get(iface, metric_value))
    return routes


def skip_reason(interface: str, address: str, has_default_route: bool) -> str | None:
    """Why this address must not go into the join URL, or None when it may."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return "not an IP address"
    if ip.is_loopback:
        return "loopback"
    if ip.is_link_local:
        return "link-local"
    if ip.is_unspecified or ip.is_multicast:
        return "not a host address"
    if _CONTAINER_IFACE.match(interface):
        return "container or VM interface"
    if _BRIDGE_IFACE.match(interface) and not has_default_route:
        return "bridge interface"
    return None


def rank_candidates(interfaces: Iterable[tuple[str, str]], default_routes: Mapping[str, int]) -> list[Candidate]:
    """Usable ``(interface, address)`` pairs, best first.

    Order: default-route interface first (lowest metric first), VPN tunnels last, IPv4 before IPv6,
    otherwise the order the system listed them.
    """
    kept: list[tuple[tuple[bool, bool, bool, int], Candidate]] = []
    for interface, address in interfaces:
        has_default = interface in default_routes
        if skip_reason(interface, address, has_default) is not None:
            continue
        candidate = Candidate(interface=interface, address=address, has_default_route=has_default)
        key = (
            not has_default,
            bool(_TUNNEL_IFACE.match(interface)),
            not candidate.is_ipv4,
            default_routes.get(interface, 0),
        )
        kept.append((key, candidate))
    kept.sort(key=lambda item: item[0])  # stable: ties keep the system's order
    return [candidate for _, candidate in kept]


def read_default_routes(path: Path = PROC_NET_ROUTE) -> dict[str, int]:
    """Default-route interfaces from /proc/net/route; empty where there is no such file (macOS, Windows)."""
    try:
        return parse_default_routes(path.read_text(encoding="ascii", errors="replace"))
    except OSError:
        return {}


def system_interfaces() -> list[tuple[str, str]]:
    """Every ``(interface, address)`` the OS reports, via getifaddrs (ifaddr): no DNS, no packets."""
    pairs: list[tuple[str, str]] = []
    try:
        adapters = ifaddr.get_adapters()
    except OSError:
        return pairs
    for adapter in adapters:
        for ip in adapter.ips:
            # IPv6 comes as (address, flowinfo, scope_id).
            address = ip.ip if isinstance(ip.ip, str) else ip.ip[0]
            pairs.append((str(adapter.nice_name), str(address)))
    return pairs


def lan_candidates() -> list[Candidate]:
    """This machine's usable LAN addresses, best first."""
    return rank_candidates(system_interfaces(), read_default_routes())


def choose_host(bind_host: str, candidates: Sequence[Candidate] | None = None) -> str:
    """The host for the join URL of a server bound to ``bind_host``.

    A specific bind address is used as given. For a wildcard ("", 0.0.0.0, ::) the best LAN candidate
    is used (IPv4 only for 0.0.0.0, which does not listen on IPv6), else 127.0.0.1.
    ``candidates`` defaults to ``lan_candidates()``.
    """
    host = bind_host.strip()
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    if host not in WILDCARD_HOSTS:
        return host
    pool = lan_candidates() if candidates is None else list(candidates)
    if host == "0.0.0.0":
        pool = [candidate for candidate in pool if candidate.is_ipv4]
    return pool[0].address if pool else LOOPBACK_FALLBACK


def join_url(host: str, port: int, code: str, public_url: str | None = None) -> str:
    """The URL phones open to join.

    Without ``public_url`` it is all upper case, e.g. ``HTTP://192.168.1.20:8765/J/ABCDE`` (scheme and
    host are case-insensitive and the server accepts /J/), so the QR code can use alphanumeric mode.
    With ``public_url`` (a reverse proxy or tunnel): ``public_url + "/j/" + code``, case unchanged.
    """
    if public_url:
        return public_url.rstrip("/") + "/j/" + code
    host = host.strip()
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"  # IPv6 literal
    return f"http://{host}:{port}/J/{code}".upper()


def is_qr_alphanumeric(text: str) -> bool:
    """True when every character fits QR alphanumeric mode (0-9, A-Z, space and $%*+-./:)."""
    return set(text) <= QR_ALPHANUMERIC
