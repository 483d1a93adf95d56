"""Run every benchmark module in bench/ (or the ones named on the command line).

``--results FILE`` also writes what they printed to FILE (Markdown: the machine, the date, the
command and each module's tables), as ``make bench`` does for bench/RESULTS.md.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib
import io
import os
import pkgutil
import platform
import sys
from pathlib import Path
from typing import TextIO

import bench

NOTE = (
    "Absolute times on this machine swing with the load of other processes (it is shared): read the "
    "ratios, each against a baseline measured in the same run, interleaved, median of the repeats."
)


class _Tee(io.StringIO):
    """Keeps what is printed and passes it on to the terminal as it comes."""

    def __init__(self, terminal: TextIO) -> None:
        super().__init__()
        self.terminal = terminal

    def write(self, text: str) -> int:
        self.terminal.write(text)
        return super().write(text)

    def flush(self) -> None:
        self.terminal.flush()


def _machine() -> str:
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    cpu = platform.processor() or platform.machine()
    return (
        f"{platform.system()} {platform.release()}, {os.cpu_count()} cores ({cpu}), "
        f"Python {platform.python_version()}; load average at start {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}"
    )


def main(argv: list[str]) -> int:
    results: Path | None = None
    if argv[:1] == ["--results"]:
        results, argv = Path(argv[1]), argv[2:]
    names = argv or sorted(m.name for m in pkgutil.iter_modules(bench.__path__) if m.name.startswith("bench_"))
    captured = _Tee(sys.stdout)
    started = dt.datetime.now(dt.UTC)
    with contextlib.redirect_stdout(captured) if results is not None else contextlib.nullcontext():
        for name in names:
            module = importlib.import_module(f"bench.{name.removeprefix('bench.')}")
            print(f"\n## {module.__name__}\n", flush=True)
            module.main()
    if results is not None:
        command = "python -m bench " + " ".join(names) if argv else "python -m bench"
        head = (
            f"# Benchmark results\n\nThe last run of `make bench` (`{command}`), written by it.\n\n"
            f"- date: {started:%Y-%m-%d %H:%M} UTC\n- machine: {_machine()}\n\n{NOTE}\n"
        )
        results.write_text(head + captured.getvalue())
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
