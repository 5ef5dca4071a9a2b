"""The end-to-end benchmark's memory figures: the tree PSS sums the processes
of a run, counting shared copy-on-write pages once; wait4's max RSS does not sum."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _bench():
    spec = importlib.util.spec_from_file_location("bench_e2e", ROOT / "benchmarks" / "bench_e2e.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# A parent writes 40 MB, forks a child that only reads them (shared,
# copy-on-write), then each writes 40 MB of its own; both hold their memory a
# while (many sampling intervals) before ending.
TWO_PROCESSES = """
import os, time

def written(mb):
    block = bytearray(mb << 20)
    for i in range(0, len(block), 4096):
        block[i] = 1
    return block

shared = written(40)
pid = os.fork()
own = written(40)
assert sum(shared[::4096]) == len(shared) // 4096  # read, not written: still shared
time.sleep(1.5)
if pid == 0:
    os._exit(0)
os.waitpid(pid, 0)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc/PID/smaps_rollup is Linux's")
def test_tree_pss_sums_the_processes_and_counts_shared_pages_once():
    bench = _bench()
    result = bench.run([sys.executable, "-c", TWO_PROCESSES])
    assert result["exit"] == 0
    assert result["processes"] == 2
    # 40 shared + 40 + 40 MB, plus two small interpreters.  A sum of RSS
    # would count the shared 40 MB twice (160 MB and more).
    assert 120 <= result["tree_pss_mb"] <= 150
    # wait4 gives the largest single process (its 80 MB and an interpreter),
    # not the sum: the second process's own 40 MB are not in it.
    assert 80 <= result["peak_mb"] <= 105
