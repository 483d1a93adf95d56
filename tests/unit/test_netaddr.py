"""The LAN address in the join URL: pure functions fed fixture interface lists and route tables."""

from __future__ import annotations

from pathlib import Path

import pytest

from workshop_tui.netaddr import (
    LOOPBACK_FALLBACK,
    Candidate,
    choose_host,
    is_qr_alphanumeric,
    join_url,
    lan_candidates,
    parse_default_routes,
    rank_candidates,
    read_default_routes,
    skip_reason,
)

ROUTE_HEADER = "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n"
# A laptop on Wi-Fi with Docker running: default via wlan0 (192.168.1.1), docker0 and a compose bridge.
ROUTES_WIFI = ROUTE_HEADER + (
    "wlan0\t00000000\t0101A8C0\t0003\t0\t0\t600\t00000000\t0\t0\t0\n"
    "wlan0\t0001A8C0\t00000000\t0001\t0\t0\t600\t00FFFFFF\t0\t0\t0\n"
    "docker0\t000011AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0\n"
    "br-3f2a9c\t000012AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0\n"
)
# Listed in the order getifaddrs tends to give: loopback and bridges before the real NIC.
IFACES_WIFI = [
    ("lo", "127.0.0.1"),
    ("lo", "::1"),
    ("docker0", "172.17.0.1"),
    ("br-3f2a9c", "172.18.0.1"),
    ("veth1a2b3c", "169.254.10.20"),
    ("veth1a2b3c", "fe80::a8bb:ccff:fedd:eeff"),
    ("eth0", "169.254.33.7"),  # unplugged Ethernet with a self-assigned address
    ("virbr0", "192.168.122.1"),
    ("wlan0", "fe80::1234:5678:9abc:def0"),
    ("wlan0", "2001:db8:1::20"),
    ("wlan0", "192.168.1.20"),
]


def test_parse_default_routes_finds_only_the_default_route() -> None:
    assert parse_default_routes(ROUTES_WIFI) == {"wlan0": 600}


def test_parse_default_routes_keeps_the_lowest_metric_and_ignores_down_routes_and_junk() -> None:
    table = ROUTE_HEADER + (
        "eth0\t00000000\t0101A8C0\t0003\t0\t0\t100\t00000000\t0\t0\t0\n"
        "eth0\t00000000\t0201A8C0\t0003\t0\t0\t50\t00000000\t0\t0\t0\n"
        "wlan0\t00000000\t0101A8C0\t0003\t0\t0\t600\t00000000\t0\t0\t0\n"
        "tun0\t00000000\t00000000\t0000\t0\t0\t0\t00000000\t0\t0\t0\n"  # not RTF_UP
        "garbage line\n"
        "eth1\tZZZZZZZZ\t00000000\t0003\t0\t0\t0\t00000000\t0\t0\t0\n"
        "\n"
    )
    assert parse_default_routes(table) == {"eth0": 50, "wlan0": 600}


def test_parse_default_routes_of_empty_or_header_only_table() -> None:
    assert parse_default_routes("") == {}
    assert parse_default_routes(ROUTE_HEADER) == {}


def test_read_default_routes_from_file_and_missing_file(tmp_path: Path) -> None:
    route = tmp_path / "route"
    route.write_text(ROUTES_WIFI, encoding="ascii")
    assert read_default_routes(route) == {"wlan0": 600}
    assert read_default_routes(tmp_path / "absent") == {}


@pytest.mark.parametrize(
    ("interface", "address", "has_default", "reason"),
    [
        ("lo", "127.0.0.1", False, "loopback"),
        ("lo", "::1", False, "loopback"),
        ("eth0", "169.254.33.7", False, "link-local"),
        ("wlan0", "fe80::1", True, "link-local"),
        ("docker0", "172.17.0.1", False, "container or VM interface"),
        ("docker0", "172.17.0.1", True, "container or VM interface"),
        ("br-3f2a9c", "172.18.0.1", False, "container or VM interface"),
        ("veth1a2b3c", "10.0.0.5", False, "container or VM interface"),
        ("virbr0", "192.168.122.1", False, "container or VM interface"),
        ("cni0", "10.88.0.1", False, "container or VM interface"),
        ("br0", "192.168.1.20", False, "bridge interface"),
        ("br0", "192.168.1.20", True, None),  # a bridged uplink carrying the default route is the LAN
        ("wlan0", "192.168.1.20", True, None),
        ("enp3s0", "10.1.2.3", False, None),
        ("wlan0", "2001:db8::20", True, None),
        ("wlan0", "not-an-ip", True, "not an IP address"),
    ],
)
def test_skip_reason(interface: str, address: str, has_default: bool, reason: str | None) -> None:
    assert skip_reason(interface, address, has_default) == reason


def test_rank_prefers_default_route_ipv4_and_skips_virtual_and_link_local() -> None:
    ranked = rank_candidates(IFACES_WIFI, parse_default_routes(ROUTES_WIFI))
    assert ranked == [
        Candidate(interface="wlan0", address="192.168.1.20", has_default_route=True),
        Candidate(interface="wlan0", address="2001:db8:1::20", has_default_route=True),
    ]


def test_rank_without_route_table_keeps_system_order_with_ipv4_first() -> None:
    interfaces = [("en0", "fd00::5"), ("en1", "10.0.0.7"), ("en0", "192.168.0.9"), ("utun3", "100.64.0.2")]
    ranked = rank_candidates(interfaces, {})
    assert [c.address for c in ranked] == ["10.0.0.7", "192.168.0.9", "fd00::5", "100.64.0.2"]


def test_rank_default_route_beats_an_earlier_interface_and_metric_breaks_ties() -> None:
    interfaces = [("eth0", "10.0.0.2"), ("wlan0", "192.168.1.20"), ("eth1", "172.20.0.9")]
    ranked = rank_candidates(interfaces, {"wlan0": 600, "eth1": 100})
    assert [c.interface for c in ranked] == ["eth1", "wlan0", "eth0"]


def test_rank_puts_a_vpn_with_the_default_route_after_the_lan() -> None:
    ranked = rank_candidates([("wg0", "10.8.0.2"), ("wlan0", "192.168.1.20")], {"wg0": 0, "wlan0": 600})
    assert [c.interface for c in ranked] == ["wlan0", "wg0"]


def test_rank_of_only_loopback_and_containers_is_empty() -> None:
    ranked = rank_candidates([("lo", "127.0.0.1"), ("docker0", "172.17.0.1")], {"docker0": 0})
    assert ranked == []


WIFI = rank_candidates(IFACES_WIFI, parse_default_routes(ROUTES_WIFI))


@pytest.mark.parametrize("bind_host", ["0.0.0.0", "", "  ", "::", "[::]"])
def test_choose_host_for_a_wildcard_bind_picks_the_best_lan_address(bind_host: str) -> None:
    assert choose_host(bind_host, WIFI) == "192.168.1.20"


@pytest.mark.parametrize("bind_host", ["192.168.1.77", "127.0.0.1", "localhost", "laptop.lan", "fd00::5"])
def test_choose_host_for_a_specific_bind_uses_it(bind_host: str) -> None:
    assert choose_host(bind_host, WIFI) == bind_host


def test_choose_host_falls_back_to_loopback() -> None:
    assert choose_host("0.0.0.0", []) == LOOPBACK_FALLBACK
    assert choose_host("::", []) == LOOPBACK_FALLBACK


def test_choose_host_ipv4_wildcard_never_picks_ipv6() -> None:
    ipv6_only = [Candidate(interface="wlan0", address="2001:db8::20", has_default_route=True)]
    assert choose_host("0.0.0.0", ipv6_only) == LOOPBACK_FALLBACK
    assert choose_host("::", ipv6_only) == "2001:db8::20"


def test_choose_host_on_this_machine_returns_an_address() -> None:
    host = choose_host("0.0.0.0")
    assert host == LOOPBACK_FALLBACK or host in {c.address for c in lan_candidates()}
    assert all(skip_reason(c.interface, c.address, c.has_default_route) is None for c in lan_candidates())


def test_join_url_is_upper_case_and_qr_alphanumeric() -> None:
    url = join_url("192.168.1.20", 8765, "ABCDE", None)
    assert url == "HTTP://192.168.1.20:8765/J/ABCDE"
    assert is_qr_alphanumeric(url)


def test_join_url_upper_cases_a_host_name() -> None:
    url = join_url("laptop.lan", 8765, "ABCDE", None)
    assert url == "HTTP://LAPTOP.LAN:8765/J/ABCDE"
    assert is_qr_alphanumeric(url)


def test_join_url_brackets_ipv6() -> None:
    assert join_url("2001:db8::20", 8765, "ABCDE", None) == "HTTP://[2001:DB8::20]:8765/J/ABCDE"
    assert join_url("[2001:db8::20]", 80, "ABCDE", None) == "HTTP://[2001:DB8::20]:80/J/ABCDE"
    assert not is_qr_alphanumeric(join_url("2001:db8::20", 8765, "ABCDE", None))  # [ ] are not


@pytest.mark.parametrize(
    ("public_url", "expected"),
    [
        ("https://workshop.example.org", "https://workshop.example.org/j/ABCDE"),
        ("https://workshop.example.org/", "https://workshop.example.org/j/ABCDE"),
        ("https://example.org/civic/Lab//", "https://example.org/civic/Lab/j/ABCDE"),
    ],
)
def test_join_url_with_public_url_keeps_its_case(public_url: str, expected: str) -> None:
    assert join_url("192.168.1.20", 8765, "ABCDE", public_url) == expected


def test_is_qr_alphanumeric() -> None:
    assert is_qr_alphanumeric("HTTP://10.0.0.1:8765/J/XYZ23 $%*+-./:")
    assert is_qr_alphanumeric("")
    for text in ["http://10.0.0.1", "HTTP://A_B", "HTTP://A?B", "HTTP://A#B", "É"]:
        assert not is_qr_alphanumeric(text), text
