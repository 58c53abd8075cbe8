#!/usr/bin/env python3
"""bench.py: every tfscope command against a single-thread hcl-edit parse of the same files.

    make bench                                   # builds both binaries, then runs this
    python3 scripts/bench.py [--sizes 5000 10000 20000 40000] [--shapes flat modules depends-on]
                             [--runs 5] [--timeout 120] [--keep DIR] [--bin PATH]

For each shape (scripts/gen-bench-tree.py --shape: `flat` one directory of independent stacks,
`modules` a root and wired child modules with for_each, `depends-on` module calls chained by
`depends_on = [module.x]`) and size (resource blocks; files = size / 10), it generates the tree,
then times `parse-baseline DIR` (target/release/parse-baseline, built with `--features bench`:
read and parse every .tf file with hcl-edit on one thread) and each command: classify, targets,
plan, explain, check, render, cost, status (with a state file holding every managed resource),
graph (DOT) and graph --format html; for the graph commands the size of what they print is listed
after the table.
One warm-up run, then the median of RUNS runs; peak memory is the largest ru_maxrss (this
script keeps its own footprint small, since a child's ru_maxrss starts from its parent's).

Columns: tfscope's median, the baseline's, their ratio (issue 11's goal: at most 0.7), peak
memory against the size of the .tf files (goal: at most 5x), and microseconds per resource with
its growth against the smallest size of the same shape (goal: within 1.3x). A run that exceeds
--timeout is shown as `T/O` and the command is not run again at larger sizes of that shape.
Standard library only.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = REPO / "target" / "release" / "tfscope"
BASELINE = REPO / "target" / "release" / "parse-baseline"


def run_once(argv, timeout):
    """(seconds, peak RSS in MB, exit code); seconds is None on a timeout."""
    with open(os.devnull, "wb") as null:
        t0 = time.perf_counter()
        p = subprocess.Popen(argv, stdout=null, stderr=subprocess.PIPE)
        timer = threading.Timer(timeout, p.kill)
        timer.start()
        try:
            _, status, ru = os.wait4(p.pid, 0)
        finally:
            timer.cancel()
        elapsed = time.perf_counter() - t0
        err = p.stderr.read().decode(errors="replace")
        p.stderr.close()
    code = os.waitstatus_to_exitcode(status)
    if code == -9 and elapsed >= timeout:
        return None, ru.ru_maxrss / 1024, code, err
    return elapsed, ru.ru_maxrss / 1024, code, err


def measure(argv, runs, timeout):
    first = run_once(argv, timeout)
    if first[0] is None:
        return None
    samples = [first] + [run_once(argv, timeout) for _ in range(runs)]
    if any(s[0] is None for s in samples):
        return None
    codes = sorted({s[2] for s in samples})
    if any(c not in (0, 1) for c in codes):
        sys.exit(f"{' '.join(map(str, argv))} failed ({codes}):\n{samples[-1][3][-1500:]}")
    return statistics.median(s[0] for s in samples[1:]), max(s[1] for s in samples)


def tf_bytes(tree: Path) -> int:
    return sum(p.stat().st_size for p in tree.rglob("*.tf"))


def state_file(tree: Path, out: Path) -> str:
    """Writes the state (below) in a child process and returns the first address. The child does
    the big JSON work: a process started from this one inherits this one's peak RSS in its
    ru_maxrss (fork and vfork share or copy the parent's pages until exec), so this process must
    stay small for the peak-memory column to be tfscope's own."""
    r = subprocess.run([sys.executable, __file__, "--bin", str(BIN), "--write-state", str(tree), str(out)],
                       check=True, capture_output=True, text=True)
    return r.stdout.strip()


def write_state(tree: Path, out: Path) -> str:
    """A version 4 state holding one instance of every managed resource tfscope lists, and the
    address of the first one (for `explain`)."""
    r = subprocess.run([BIN, "classify", "--format", "json", tree], capture_output=True, text=True)
    doc = json.loads(r.stdout)
    resources, first = [], None
    for res in doc["resources"]:
        if res.get("kind") != "managed":
            continue
        first = first or res["address"]
        parts = res["address"].split(".")
        module = ".".join(parts[:-2])
        entry = {"mode": "managed", "type": parts[-2], "name": parts[-1], "instances": [{"attributes": {}}]}
        if module:
            entry["module"] = module
        resources.append(entry)
    out.write_text(json.dumps({"version": 4, "serial": 1, "lineage": "bench", "resources": resources}))
    return first


def commands(tree: Path, state: Path, first: str):
    t = str(tree)
    return [
        ("classify", ["classify", "--format", "json", t]),
        ("targets", ["targets", "--scope", "runtime", t]),
        ("targets --destroy", ["targets", "--scope", "runtime", "--destroy", t]),
        ("plan", ["plan", "--scope", "all", t]),
        ("explain", ["explain", first, t]),
        ("check", ["check", t]),
        ("render", ["render", "--out", "-", t]),
        ("cost", ["cost", "--format", "json", t]),
        ("status", ["status", "--state", str(state), t]),
        ("graph", ["graph", t]),
        ("graph --format html", ["graph", "--format", "html", t]),
    ]


def main():
    global BIN
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[5000, 10000, 20000, 40000])
    ap.add_argument("--shapes", nargs="+", default=["flat", "modules", "depends-on"])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--timeout", type=float, default=120)
    ap.add_argument("--keep", help="generate trees into DIR and keep them (reused when present)")
    ap.add_argument("--bin", type=Path, default=BIN,
                    help="the tfscope binary to time (default: target/release/tfscope); a build of "
                         "another commit, to compare")
    ap.add_argument("--write-state", nargs=2, metavar=("TREE", "OUT"), help=argparse.SUPPRESS)
    a = ap.parse_args()
    BIN = a.bin.resolve()
    if a.write_state:
        print(write_state(Path(a.write_state[0]), Path(a.write_state[1])))
        return
    for b in (BIN, BASELINE):
        if not b.is_file():
            sys.exit(f"{b} is missing: run `make bench` (cargo build --release --features bench)")
    work = Path(a.keep) if a.keep else Path(tempfile.mkdtemp(prefix="tfscope-bench-"))
    print(f"cpus: {os.cpu_count()}; median of {a.runs} runs after one warm-up; timeout {a.timeout:.0f} s\n")
    head = ("shape", "resources", "command", "tfscope s", "parse s", "ratio", "peak MB", "MB/.tf MB",
            "us/resource", "growth")
    print("| " + " | ".join(head) + " |")
    print("|" + "|".join(" --- " for _ in head) + "|")
    sizes: list[str] = []
    try:
        for shape in a.shapes:
            smallest: dict[str, float] = {}
            timed_out: set[str] = set()
            for size in a.sizes:
                tree = work / f"{shape}-{size}"
                if not tree.is_dir():
                    subprocess.run([sys.executable, REPO / "scripts" / "gen-bench-tree.py", tree, "--shape", shape,
                                    "--files", str(max(10, size // 10)), "--resources", str(size)],
                                   check=True, stdout=subprocess.DEVNULL)
                mb = tf_bytes(tree) / 1e6
                base = measure([BASELINE, tree], a.runs, a.timeout)
                state = work / f"{shape}-{size}.tfstate"
                first = state_file(tree, state)
                for name, args in commands(tree, state, first):
                    if name in timed_out:
                        print(f"| {shape} | {size} | {name} | skipped (timed out at a smaller size) | | | | | | |")
                        continue
                    m = measure([BIN, *args], a.runs, a.timeout)
                    if m is None:
                        timed_out.add(name)
                        print(f"| {shape} | {size} | {name} | T/O | {base[0]:.3f} | | | | | |")
                        continue
                    secs, rss = m
                    per = secs / size * 1e6
                    smallest.setdefault(name, per)
                    print(f"| {shape} | {size} | {name} | {secs:.3f} | {base[0]:.3f} | {secs / base[0]:.2f} | "
                          f"{rss:.0f} | {rss / mb:.1f} | {per:.1f} | {per / smallest[name]:.2f} |", flush=True)
                    if name.startswith("graph"):
                        out = subprocess.run([BIN, *args], capture_output=True, timeout=a.timeout).stdout
                        sizes.append(f"{shape} {size} {name}: {len(out) / 1e3:.0f} KB")
        if sizes:
            print("\nwhat the graph commands print:\n" + "\n".join(sizes))
    finally:
        if not a.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
