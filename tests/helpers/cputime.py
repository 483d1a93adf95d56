"""``pytest -p tests.helpers.cputime``: the tests that cost the most CPU, child processes included.

On a shared machine wall-clock durations mostly measure the neighbours; CPU seconds (this process's
threads plus the children it waited for) say what a test itself costs. Also prints the total per
test module, to see where a suite's time goes. Works under xdist (``-n``): each report carries its cost.
"""

from __future__ import annotations

import os
import time
from collections import defaultdict
from collections.abc import Generator

import pytest

SHOWN = 25
_costs: dict[str, float] = {}


def _cpu() -> float:
    t = os.times()
    return time.process_time() + t.children_user + t.children_system


def _measured(item: pytest.Item) -> Generator[None, object, object]:
    """One phase's CPU, kept on the item: its report carries it, from an xdist worker too."""
    start = _cpu()
    try:
        return (yield)
    finally:
        item.user_properties.append(("cpu_seconds", _cpu() - start))


pytest_runtest_setup = pytest.hookimpl(wrapper=True)(_measured)
pytest_runtest_call = pytest.hookimpl(wrapper=True)(_measured)
pytest_runtest_teardown = pytest.hookimpl(wrapper=True)(_measured)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when == "teardown":
        _costs[report.nodeid] = sum(v for k, v in report.user_properties if k == "cpu_seconds" and isinstance(v, float))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not _costs:
        return
    write = terminalreporter.write_line
    total = sum(_costs.values())
    terminalreporter.section(f"most CPU (setup + call + teardown, child processes included), total {total:.1f} s")
    for nodeid, cost in sorted(_costs.items(), key=lambda kv: -kv[1])[:SHOWN]:
        write(f"{cost:8.2f}s  {nodeid}")
    by_module: dict[str, float] = defaultdict(float)
    for nodeid, cost in _costs.items():
        by_module[nodeid.split("::")[0]] += cost
    terminalreporter.section("CPU per module")
    for module, cost in sorted(by_module.items(), key=lambda kv: -kv[1]):
        write(f"{cost:8.2f}s  {module}")
