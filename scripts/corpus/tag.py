#!/usr/bin/env python3
"""Runs `tfscope tag` over every corpus root: `tag --check` must never panic nor fail on valid
configuration, and on a copy of each root the files `tag` edits must still pass
`terraform fmt -check` (files already unformatted before do not count).

    python3 scripts/corpus/tag.py --tfscope target/debug/tfscope \
        --terraform .cache/terraform/1.15.5/terraform [--roots /work/corpus/roots] [--work /tmp/corpus-tag]

`--packages` also tags every installed package under `.terraform/modules/` as a root of its own,
which exercises the editor on module code (in a root, installed modules are never edited).
"""
import argparse
import collections
import json
import shutil
import subprocess
from pathlib import Path


def unformatted(terraform, files, cwd):
    """The subset of `files` that `terraform fmt -check` rejects."""
    bad = set()
    for f in files:
        r = subprocess.run([terraform, "fmt", "-check", "-no-color", f], cwd=cwd,
                           capture_output=True, text=True)
        if r.returncode != 0:
            bad.add(f)
    return bad


def run(tfscope, terraform, root, work, totals):
    name = root.name if root.parent.name == "roots" else f"{root.parents[2].name}:{root.name}"
    check = subprocess.run([tfscope, "tag", "--check", "--format", "json", "."], cwd=root,
                           capture_output=True, text=True)
    if check.returncode not in (0, 1):
        kind = "panic" if check.returncode == 101 else f"exit {check.returncode}"
        totals["errors"].append(f"{name}: {kind}: {check.stderr.strip().splitlines()[-1:]}")
        return
    plan = json.loads(check.stdout)
    for e in plan["entries"]:
        totals["status"][e["status"]] += 1
        if e["status"] in ("conflict", "module-conflict", "unsupported"):
            totals["findings"].append(f"{name}: {e['location']} {e['addresses'][0]} "
                                      f"[{e['status']}] {e.get('message', '')}")
    totals["hints"] += len(plan["modules"])
    totals["hints_with_input"] += sum(1 for m in plan["modules"] if m["input"])
    copy = work / name.replace(":", "__")
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(root, copy, symlinks=True)
    files = [f["file"] for f in plan["files"]]
    before = unformatted(terraform, files, copy)
    tagged = subprocess.run([tfscope, "tag", "."], cwd=copy, capture_output=True, text=True)
    if tagged.returncode not in (0, 1):
        totals["errors"].append(f"{name}: tag exit {tagged.returncode}: {tagged.stderr[-300:]}")
        return
    after = unformatted(terraform, files, copy)
    totals["files"] += len(files)
    totals["files_unformatted_before"] += len(before)
    for f in sorted(after - before):
        totals["fmt_failures"].append(f"{name}: {f}")
    again = subprocess.run([tfscope, "tag", "--check", "--format", "json", "."], cwd=copy,
                           capture_output=True, text=True)
    left = json.loads(again.stdout)
    if any(e["status"] in ("add", "stale") for e in left["entries"]):
        totals["errors"].append(f"{name}: tag --check still finds missing tags after tag")
    totals["roots"] += 1


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--tfscope", type=Path, required=True)
    p.add_argument("--terraform", type=Path, required=True)
    p.add_argument("--roots", type=Path, default=Path("/work/corpus/roots"))
    p.add_argument("--work", type=Path, default=Path("/tmp/corpus-tag"))
    p.add_argument("--packages", action="store_true")
    a = p.parse_args()
    tfscope, terraform = a.tfscope.resolve(), a.terraform.resolve()
    totals = {"roots": 0, "files": 0, "files_unformatted_before": 0, "hints": 0,
              "hints_with_input": 0, "status": collections.Counter(), "findings": [],
              "errors": [], "fmt_failures": []}
    roots = sorted(d for d in a.roots.iterdir() if d.is_dir())
    if a.packages:
        seen, packages = set(), []
        for r in roots:
            for d in sorted((r / ".terraform" / "modules").glob("*/")):
                # The same package is installed in many roots: once each, by content.
                key = tuple(sorted((f.name, f.stat().st_size) for f in d.glob("*.tf")))
                if key and key not in seen:
                    seen.add(key)
                    packages.append(d)
        roots = packages
    a.work.mkdir(parents=True, exist_ok=True)
    for r in roots:
        run(tfscope, terraform, r, a.work, totals)
    print(json.dumps({k: (dict(v) if isinstance(v, collections.Counter) else v)
                      for k, v in totals.items()}, indent=1))


if __name__ == "__main__":
    main()
