"""What every benchmark shares: a quiet-machine check, timed child processes, medians, targets.

The machine has 2 cores shared with other work. Before each timed run we wait until /proc/stat
shows the machine near idle, and after it we record how much CPU the rest of the machine used
while it ran (machine busy time minus our child's own CPU time); a run where others used more
than NOISY cores is repeated.
"""

from __future__ import annotations

import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
PROJECT = BENCH.parent
WORK = BENCH / ".work"
PEERS = BENCH / ".peers"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
QUIET = 0.15  # cores used by others that count as a quiet machine before a run
NOISY = 0.25  # cores used by others during a run that make it noisy
CORES = os.cpu_count() or 1


def machine_cpu() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot, from /proc/stat."""
    with open("/proc/stat", encoding="ascii") as stat:
        fields = [int(value) for value in stat.readline().split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    total = sum(fields[:8])  # guest time is already counted in user
    return (total - idle) / CLOCK_TICKS, total / CLOCK_TICKS


def busy_cores(seconds: float = 1.0) -> float:
    """How many cores the machine keeps busy over the next `seconds`."""
    busy, _ = machine_cpu()
    time.sleep(seconds)
    return (machine_cpu()[0] - busy) / seconds


def wait_quiet(limit: float = QUIET, timeout: float = 10.0) -> float:
    """Wait until the machine is near idle (or `timeout`); the load last seen, in cores."""
    deadline = time.monotonic() + timeout
    load = busy_cores(0.5)
    while load > limit and time.monotonic() < deadline:
        load = busy_cores(1.0)
    return load


@dataclass
class Run:
    seconds: float
    peak_mb: float
    others: float  # cores used by the rest of the machine during the run
    output: str = ""

    @property
    def noisy(self) -> bool:
        return self.others > NOISY


def run_timed(
    command: Sequence[str | os.PathLike[str]],
    *,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
) -> Run:
    """Run a command to its end: wall seconds, its peak RSS (with its children), others' load."""
    wait_quiet()
    busy_before, _ = machine_cpu()
    started = time.perf_counter()
    process = subprocess.Popen(
        [str(part) for part in command],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    output = process.stdout.read().decode("utf-8", "replace") if process.stdout else ""
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    busy = machine_cpu()[0] - busy_before
    own = usage.ru_utime + usage.ru_stime
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, command))} failed:\n{output[-3000:]}")
    others = max(0.0, busy - own) / seconds
    return Run(seconds, usage.ru_maxrss / 1024, others, output)


def run_quietly(
    command: Sequence[str | os.PathLike[str]],
    tries: int = 2,
    before: Callable[[], object] | None = None,
    **kwargs,
) -> Run:
    """run_timed, repeated (up to `tries`) while the rest of the machine was busy during it.

    `before` (untimed) puts back the state every try must start from: a retried cold build
    must not find what the noisy try left (an incremental freeze would skip it all).
    """
    for _ in range(tries - 1):
        if before:
            before()
        run = run_timed(command, **kwargs)
        if not run.noisy:
            return run
    if before:
        before()
    return run_timed(command, **kwargs)


@dataclass
class Series:
    """The runs of one measured thing, in order."""

    name: str
    runs: list[Run] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        return statistics.median(run.seconds for run in self.runs)

    @property
    def peak_mb(self) -> float:
        return statistics.median(run.peak_mb for run in self.runs)

    @property
    def others(self) -> float:
        return max(run.others for run in self.runs)


def pair_ratio(ours: Series, theirs: Series) -> float:
    """Median of the run-by-run ratios of two series measured alternately."""
    return statistics.median(
        a.seconds / b.seconds for a, b in zip(ours.runs, theirs.runs, strict=True)
    )


@dataclass(frozen=True)
class Target:
    name: str
    figure: str
    met: bool

    def line(self) -> str:
        return f"  [{'met' if self.met else 'NOT MET'}] {self.name}: {self.figure}"


def print_targets(targets: Sequence[Target]) -> None:
    print("Targets:")
    for target in targets:
        print(target.line())


def fresh_folder(path: Path) -> Path:
    """An empty folder at `path`, deleting what was there (do this once, before timed runs)."""
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    return path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing answered on 127.0.0.1:{port} after {timeout:.0f} s")


def python() -> str:
    """The interpreter of the project's venv (the one running the bench)."""
    return sys.executable


def venv_tool(name: str) -> str:
    """A console script installed beside the running interpreter (flask, gunicorn)."""
    return str(Path(sys.executable).parent / name)


def say(text: str) -> None:
    print(text, flush=True)
