#!/usr/bin/env python3
"""Which types of data/providers/*.txt the catalog (data/catalog/*.toml) lacks: a quick check
while editing the catalog, with the same matching as src/classify/catalog.rs (exact names first, then
`*` globs; ARM types case-insensitive, looked up in arm*.toml only).

    python3 scripts/catalog/coverage.py [--missing PROVIDER] [--invariants]
"""
import argparse
import fnmatch
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def load(files):
    exact, globs = {}, []
    for f in files:
        data = tomllib.loads(f.read_text())
        for keyed in data.get("by_argument", []):
            for t in keyed["types"]:
                exact[t] = (f.name, {"stateful": False, "layer": "base"})
        for rule in data.get("rule", []):
            for t in rule["types"]:
                key = t.lower() if f.name.startswith("arm") else t
                entry = (f.name, rule)
                if "*" in t:
                    globs.append((key, entry))
                elif key in exact:
                    print(f"{f.name}: {t} is listed twice (also in {exact[key][0]})", file=sys.stderr)
                else:
                    exact[key] = entry
    globs.sort(key=lambda g: -len(g[0]))
    return exact, globs


def lookup(table, t):
    exact, globs = table
    if t in exact:
        return exact[t]
    for pattern, entry in globs:
        if fnmatch.fnmatchcase(t, pattern):
            return entry
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--missing", help="print the types of this provider the catalog lacks")
    ap.add_argument("--invariants", action="store_true",
                    help="also list stateful entries outside base")
    args = ap.parse_args()
    files = sorted((ROOT / "data" / "catalog").glob("*.toml"))
    types = load([f for f in files if not f.name.startswith("arm")])
    arm = load([f for f in files if f.name.startswith("arm")])
    for p in sorted((ROOT / "data" / "providers").glob("*.txt")):
        name = p.stem
        listed = [l for l in p.read_text().split("\n") if l and not l.startswith("#")]
        table, norm = (arm, str.lower) if name == "arm" else (types, str)
        missing = [t for t in listed if lookup(table, norm(t)) is None]
        print(f"{name:12} {len(listed) - len(missing):5} / {len(listed):5}")
        if args.missing == name:
            print("\n".join(missing))
    if args.invariants:
        for table in (types, arm):
            for key, (f, rule) in list(table[0].items()) + table[1]:
                if rule["stateful"] and rule["layer"] != "base":
                    print(f"stateful outside base: {key} ({f})")


if __name__ == "__main__":
    main()
