#!/usr/bin/env bash
# bench.sh: wall time and peak memory of tfscope on the bundled reference root and on a large
# generated configuration.
#
#   scripts/bench.sh [TREE_DIR]
#
# 1. Builds target/release/tfscope with `cargo build --release` when it is missing or older than
#    src/, data/, templates/ or Cargo.{toml,lock} (SKIP_BUILD=1 skips this).
# 2. Generates a tree with scripts/gen-bench-tree.py (FILES=2000 RESOURCES=20000 SEED=1) into a
#    temporary directory removed on exit; with TREE_DIR, generates into it when it does not exist
#    and reuses it when it does.
# 3. Runs every command once to warm the page cache, then RUNS times (default 5), and prints
#    median/min/max wall time and peak RSS (ru_maxrss of each child, from os.wait4).
#    A run is killed after TIMEOUT seconds (default 60).
#
# Needs only bash and python3 (standard library). Run from anywhere; commands on the reference
# root run from the repository root, where tfscope defaults to modules/.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
bin="$repo/target/release/tfscope"
RUNS=${RUNS:-5}
FILES=${FILES:-2000}
RESOURCES=${RESOURCES:-20000}
SEED=${SEED:-1}
TIMEOUT=${TIMEOUT:-60}

# --- 1. build -----------------------------------------------------------------------------------
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
    stale=""
    if [[ ! -x "$bin" ]]; then
        stale="missing"
    elif [[ -n "$(find src data templates Cargo.toml Cargo.lock -newer "$bin" -print -quit 2>/dev/null)" ]]; then
        stale="older than the sources"
    fi
    if [[ -n "$stale" ]]; then
        echo "building release binary ($stale)..." >&2
        if ! cargo build --release --quiet; then
            if [[ -x "$bin" ]]; then
                echo "warning: cargo build failed; benchmarking the existing (stale) binary" >&2
            else
                echo "error: cargo build failed and there is no binary" >&2
                exit 2
            fi
        fi
    fi
fi
[[ -x "$bin" ]] || { echo "error: $bin not found" >&2; exit 2; }

# --- 2. tree ------------------------------------------------------------------------------------
work=$(mktemp -d "${TMPDIR:-/tmp}/tfscope-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
tree="${1:-$work/tree}"
if [[ -d "$tree" ]]; then
    echo "reusing $tree" >&2
else
    start=$(date +%s.%N)
    python3 "$repo/scripts/gen-bench-tree.py" "$tree" --files "$FILES" --resources "$RESOURCES" --seed "$SEED" >&2
    echo "generated in $(python3 -c "print(f'{$(date +%s.%N) - $start:.1f}')") s" >&2
fi

# --- 3. measure ---------------------------------------------------------------------------------
BIN="$bin" TREE="$tree" WORK="$work" RUNS="$RUNS" TIMEOUT="$TIMEOUT" REPO="$repo" python3 - <<'PY'
import os, re, statistics, subprocess, sys, threading, time

bin_, tree, work, repo = os.environ["BIN"], os.environ["TREE"], os.environ["WORK"], os.environ["REPO"]
runs, timeout = int(os.environ["RUNS"]), float(os.environ["TIMEOUT"])

def tree_stats(path):
    files = res = size = 0
    dirs = set()
    for d, _, names in os.walk(path):
        for n in names:
            if n.endswith(".tf"):
                p = os.path.join(d, n)
                files += 1
                size += os.path.getsize(p)
                dirs.add(d)
                with open(p, errors="replace") as f:
                    res += len(re.findall(r'^resource\s+"', f.read(), re.M))
    return files, res, size, len(dirs)

def run_once(argv, cwd, tag):
    out_path = os.path.join(work, f"{tag}.out")
    err_path = os.path.join(work, f"{tag}.err")
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        t0 = time.perf_counter()
        p = subprocess.Popen(argv, cwd=cwd, stdout=out, stderr=err)
        killer = threading.Timer(timeout, p.kill)
        killer.start()
        try:
            _, status, ru = os.wait4(p.pid, 0)
        finally:
            killer.cancel()
        elapsed = time.perf_counter() - t0
    p.returncode = rc = os.waitstatus_to_exitcode(status)
    return elapsed, ru.ru_maxrss, rc, os.path.getsize(out_path), err_path

commands = [
    ("reference: plan --scope all --env dev", [bin_, "plan", "--scope", "all", "--env", "dev"], repo),
    ("tree: plan --scope all", [bin_, "plan", "--scope", "all", tree], repo),
    ("tree: targets --scope runtime --destroy", [bin_, "targets", "--scope", "runtime", "--destroy", tree], repo),
    ("tree: classify --format json", [bin_, "classify", "--format", "json", tree], repo),
]

files, res, size, dirs = tree_stats(tree)
print(f"tree: {tree}: {files} .tf files, {res} resource blocks, {size / 1e6:.1f} MB, {dirs} directories with .tf files (root + modules)")
print(f"cpus: {os.cpu_count()}; {runs} timed runs per command after one warm-up run\n")

rows = []
for i, (label, argv, cwd) in enumerate(commands):
    warm = run_once(argv, cwd, f"c{i}")
    n = runs
    if warm[0] > 10 and runs > 2:
        n = 2  # keep the whole bench within a couple of minutes if something is very slow
        print(f"note: {label}: warm-up took {warm[0]:.1f} s; timing only {n} runs", file=sys.stderr)
    samples = [run_once(argv, cwd, f"c{i}") for _ in range(n)]
    times = [s[0] for s in samples]
    rss = max(s[1] for s in samples + [warm]) / 1024
    rcs = sorted({s[2] for s in samples + [warm]})
    if rcs != [0]:
        with open(samples[-1][4], errors="replace") as f:
            tail = f.read().strip().splitlines()[-5:]
        print(f"warning: {label}: exit code(s) {rcs}:", *tail, sep="\n  ", file=sys.stderr)
    rows.append((label, n, statistics.median(times), min(times), max(times), rss,
                 ",".join(map(str, rcs)), samples[-1][3] / 1024))

head = ("command", "runs", "median s", "min s", "max s", "peak RSS MB", "exit", "stdout KB")
w = max(len(r[0]) for r in rows + [head])
print(f"{head[0]:<{w}}  {head[1]:>4}  {head[2]:>8}  {head[3]:>6}  {head[4]:>6}  {head[5]:>11}  {head[6]:>4}  {head[7]:>9}")
for label, n, med, lo, hi, rss, rc, out_kb in rows:
    print(f"{label:<{w}}  {n:>4}  {med:>8.3f}  {lo:>6.3f}  {hi:>6.3f}  {rss:>11.1f}  {rc:>4}  {out_kb:>9.0f}")
PY
