"""The end-to-end benchmark's memory figures: the tree PSS sums the processes
of a run, counting shared copy-on-write pages once; wait4's max RSS does not sum."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


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
    # Measured from a small process, as the benchmark runs (Linux carries the
    # peak RSS of the process that starts a program over to it: pytest's own).
    measure = (
        "import json, sys; sys.path.insert(0, sys.argv[1]); import bench_e2e; "
        "r = bench_e2e.run([sys.executable, '-c', sys.argv[2]]); r.pop('output'); print(json.dumps(r))"
    )
    done = subprocess.run(
        [sys.executable, "-c", measure, str(ROOT / "benchmarks"), TWO_PROCESSES],
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(done.stdout)
    assert result["exit"] == 0
    assert result["processes"] == 2
    # 40 shared + 40 + 40 MB, plus two small interpreters.  A sum of RSS
    # would count the shared 40 MB twice (160 MB and more).
    assert 120 <= result["tree_pss_mb"] <= 150
    # wait4 gives the largest single process (its 80 MB and an interpreter),
    # not the sum: the second process's own 40 MB are not in it.
    assert 80 <= result["peak_mb"] <= 105
