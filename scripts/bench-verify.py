#!/usr/bin/env python3
"""bench-verify.py: what verified execution costs per phase, with real Terraform.

    python3 scripts/bench-verify.py [--runs 5] [--versions 1.15.5 1.0.3]

On a copy of the reference infrastructure (modules/ + environments/dev.tfvars), against the
mock provider (`make tools` installs both into .cache/), for each Terraform version:

1. `terraform apply` everything once;
2. RUNS times: `tfscope down --scope runtime` then `tfscope up --scope runtime`, once verified
   (plan -out, show -json, check, apply PLANFILE) and once with --no-verify (destroy/apply
   -target directly), each with --auto-approve;
3. RUNS times, on the full state: `terraform show -json PLANFILE` of the runtime destroy plan
   alone, the one extra step verification adds (the plan is already saved; the check itself is
   tfscope's comparison, in the same process).

Prints medians (and min/max) in seconds. Needs python3 (standard library) and a release build
of tfscope (built when missing).
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
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CACHE = Path(os.environ.get("TFSCOPE_CACHE", REPO / ".cache"))
TFSCOPE = REPO / "target" / "release" / "tfscope"


def run(argv, cwd, env, check=True):
    t0 = time.monotonic()
    r = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True)
    dt = time.monotonic() - t0
    if check and r.returncode != 0:
        sys.exit(f"{' '.join(map(str, argv))} failed ({r.returncode}):\n{r.stdout[-2000:]}\n{r.stderr[-2000:]}")
    return dt, r


def stats(xs):
    return f"{statistics.median(xs):6.2f} s (min {min(xs):.2f}, max {max(xs):.2f})"


def bench(version: str, runs: int) -> dict:
    terraform = CACHE / "terraform" / version / "terraform"
    if not terraform.is_file():
        sys.exit(f"{terraform} is missing: run `make tools`")
    tmp = Path(tempfile.mkdtemp(prefix="tfscope-bench-verify-"))
    try:
        root = tmp / "modules"
        shutil.copytree(REPO / "modules", root)
        shutil.copytree(REPO / "environments", tmp / "environments")
        schema = subprocess.run([TFSCOPE, "mock-schema", root], capture_output=True, text=True, check=True)
        (tmp / "schema.json").write_text(schema.stdout)
        env = dict(os.environ, TF_CLI_CONFIG_FILE=str(CACHE / "terraformrc"),
                   TFSCOPE_MOCK_SCHEMA=str(tmp / "schema.json"), TFSCOPE_MOCK_LOG=str(tmp / "mock.log"),
                   CHECKPOINT_DISABLE="1", TF_IN_AUTOMATION="1", NO_COLOR="1",
                   TFSCOPE_TERRAFORM=str(terraform))
        env.pop("TFSCOPE_MOCK_FAULT", None)
        tf = [str(terraform)]
        run(tf + ["init", "-input=false"], root, env)
        run(tf + ["apply", "-auto-approve", "-input=false", "-var-file=../environments/dev.tfvars"], root, env)
        times = {"verified": {"down": [], "up": []}, "direct": {"down": [], "up": []}}
        for _ in range(runs):
            for mode, extra in (("verified", []), ("direct", ["--no-verify"])):
                for verb in ("down", "up"):
                    dt, _ = run([TFSCOPE, verb, "--scope", "runtime", "--env", "dev", "--auto-approve", *extra, "."],
                                root, env)
                    times[mode][verb].append(dt)
        # The extra step alone: show -json of a saved runtime destroy plan.
        _, targets = run([TFSCOPE, "targets", "--scope", "runtime", "--destroy", "--env", "dev", "."], root, env)
        plan = tmp / "runtime.tfplan"
        args = [l.strip().replace("'", "") for l in targets.stdout.splitlines() if l.strip()]
        run(tf + ["plan", "-destroy", "-input=false", f"-out={plan}", "-var-file=../environments/dev.tfvars", *args],
            root, env)
        show = []
        for _ in range(runs):
            dt, r = run(tf + ["show", "-json", str(plan)], root, env)
            show.append(dt)
        changes = len(json.loads(r.stdout)["resource_changes"])
        return {"times": times, "show": show, "changes": changes}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--versions", nargs="+", default=["1.15.5", "1.0.3"])
    a = ap.parse_args()
    if not TFSCOPE.is_file():
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO, check=True)
    for version in a.versions:
        r = bench(version, a.runs)
        t = r["times"]
        print(f"Terraform {version}, reference infra (dev), runtime scope, {a.runs} runs each:")
        for verb in ("down", "up"):
            v, d = t["verified"][verb], t["direct"][verb]
            extra = statistics.median(v) - statistics.median(d)
            print(f"  {verb:4}  verified {stats(v)}   --no-verify {stats(d)}   difference {extra:+.2f} s")
        print(f"  terraform show -json of the saved runtime destroy plan ({r['changes']} changes): {stats(r['show'])}")


if __name__ == "__main__":
    main()
