#!/usr/bin/env python3
"""A corpus of real public Terraform root configurations, and a checker that runs tfscope on them.

Subcommands (Python 3.11 standard library only):

  scan    --mirrors DIR [--manifest roots.toml]
          list every module call each root makes, recursively, with source, version constraint and
          the repository it maps to (to fill in the manifest's [sources] table).
  layout  --mirrors DIR --out /work/corpus/roots [--manifest roots.toml] [--only NAME ...]
          lay every root out the way `terraform init` (1.x) does: the example's files in the root,
          each registry/git module under .terraform/modules/<dotted key>, local calls resolved
          relative to their caller, and .terraform/modules/modules.json. Reads only the local bare
          git mirrors (no network). Deterministic for the same mirrors and manifest.
  check   --tfscope PATH --roots /work/corpus/roots [--json out.json] [--timeout S] [--only NAME ...]
          run every tfscope command on every root and report exit codes, times and error lines.
  sweep   --tfscope PATH --mirrors DIR --out /work/corpus/sweep
          every .tf/.tf.json file of every mirror's newest commit through `tfscope classify`,
          directory by directory: what does not parse.
  cycle   --tfscope PATH --roots /work/corpus/roots-constrained --work DIR [--json out.json] [--only ...]
          real Terraform (mock provider, no network) over every root: full apply, destroy with
          tfscope's runtime list, apply with its runtime list, plan; see cycle.py.

See README.md beside this file.
"""

from __future__ import annotations

import argparse
import json
import os
import posixpath
import re
import shutil
import subprocess
import sys
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import cycle

HERE = Path(__file__).resolve().parent
DEFAULT_MANIFEST = HERE / "roots.toml"
MAX_DEPTH = 32

# --------------------------------------------------------------------------------------------
# A small HCL scanner: enough to find `module` blocks and their literal `source`/`version`.
# --------------------------------------------------------------------------------------------

_HEREDOC = re.compile(r"<<(-?)([A-Za-z_][A-Za-z0-9_-]*)[ \t]*\r?\n")


class _Masker:
    """Blanks comments, string contents and heredoc bodies (quotes are kept), so that braces,
    brackets and keywords can be found with plain text search on the result."""

    def __init__(self, text: str):
        self.text = text
        self.out = list(text)
        self.n = len(text)

    def blank(self, a: int, b: int) -> None:
        out = self.out
        for k in range(a, min(b, self.n)):
            if out[k] != "\n":
                out[k] = " "

    def code(self, i: int, stop_at_close: bool) -> int:
        """Scans code from i. With stop_at_close, returns the index after the `}` that closes an
        interpolation; otherwise scans to the end of the text."""
        t, n = self.text, self.n
        depth = 0
        while i < n:
            c = t[i]
            if c == "#" or (c == "/" and t.startswith("//", i)):
                j = t.find("\n", i)
                j = n if j < 0 else j
                self.blank(i, j)
                i = j
            elif c == "/" and t.startswith("/*", i):
                j = t.find("*/", i + 2)
                j = n if j < 0 else j + 2
                self.blank(i, j)
                i = j
            elif c == '"':
                j = self.string(i + 1)
                self.blank(i + 1, j - 1)
                i = j
            elif c == "<" and t.startswith("<<", i):
                m = _HEREDOC.match(t, i)
                if not m:
                    i += 2
                    continue
                body = m.end()
                end = re.compile(r"(?m)^[ \t]*" + re.escape(m.group(2)) + r"[ \t]*\r?$").search(t, body)
                j = n if end is None else end.start()
                self.blank(body, j)
                i = n if end is None else end.end()
            elif c in "{[(":
                depth += 1
                i += 1
            elif c in "}])":
                if c == "}" and depth == 0 and stop_at_close:
                    return i + 1
                depth -= 1
                i += 1
            else:
                i += 1
        return n

    def string(self, i: int) -> int:
        """i is just after an opening quote; returns the index after the closing quote."""
        t, n = self.text, self.n
        while i < n:
            c = t[i]
            if c == "\\":
                i += 2
            elif c == '"':
                return i + 1
            elif c in "$%" and t.startswith("{", i + 1):
                if t.startswith("{", i + 2) or (i > 0 and t[i - 1] == c):
                    i += 2  # `$${` / `%%{` escapes
                    continue
                i = self.code(i + 2, True)
            elif c == "\n":
                return i + 1  # unterminated; HCL strings are single-line
            else:
                i += 1
        return n


def mask_hcl(text: str) -> str:
    m = _Masker(text)
    m.code(0, False)
    return "".join(m.out)


_BLOCK_HEADER = re.compile(r'([A-Za-z_][A-Za-z0-9_-]*)((?:[ \t]+(?:"[^"\n]*"|[A-Za-z_][A-Za-z0-9_-]*))*)[ \t]*$')
_LABEL = re.compile(r'"([^"\n]*)"|([A-Za-z_][A-Za-z0-9_-]*)')


def _unquote(s: str) -> str:
    return re.sub(r'\\(.)', lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), s)


def top_level_blocks(text: str, masked: str):
    """Yields (type, labels, body_start, body_end) for every block at depth 0."""
    depth = 0
    line_start = 0
    i = 0
    n = len(masked)
    stack = []
    while i < n:
        c = masked[i]
        if c == "\n":
            if depth == 0:
                line_start = i + 1
        elif c in "{[(":
            if c == "{" and depth == 0:
                header = masked[line_start:i]
                m = _BLOCK_HEADER.search(header)
                if m and header[: m.start()].strip() == "":
                    labels = []
                    hstart = line_start + m.start(2)
                    for lm in _LABEL.finditer(text, hstart, line_start + m.end(2)):
                        labels.append(_unquote(lm.group(1)) if lm.group(1) is not None else lm.group(2))
                    stack.append((m.group(1), labels, i + 1))
                else:
                    stack.append(None)
            depth += 1
        elif c in "}])":
            depth -= 1
            if depth == 0 and c == "}":
                entry = stack.pop() if stack else None
                if entry is not None:
                    yield entry[0], entry[1], entry[2], i
                line_start = i + 1
            if depth < 0:
                depth = 0
        i += 1


_ATTR = re.compile(r'(?m)^[ \t]*(source|version)[ \t]*=[ \t]*"')


def block_string_attrs(text: str, masked: str, start: int, end: int) -> dict[str, str]:
    """Literal string attributes `source` and `version` at the top level of a block body."""
    attrs: dict[str, str] = {}
    depth = 0
    depth_at = {}
    # depth of each candidate position
    positions = [m for m in _ATTR.finditer(masked, start, end)]
    if not positions:
        return attrs
    want = {m.start(): m for m in positions}
    for k in range(start, end):
        if k in want:
            depth_at[k] = depth
        c = masked[k]
        if c in "{[(":
            depth += 1
        elif c in "}])":
            depth -= 1
    for pos, m in want.items():
        if depth_at.get(pos) != 0:
            continue
        q = m.end() - 1  # the opening quote
        close = masked.find('"', q + 1)
        if close < 0:
            continue
        raw = text[q + 1 : close]
        if "${" in raw or "%{" in raw:
            continue
        attrs.setdefault(m.group(1), _unquote(raw))
    return attrs


@dataclass
class ModuleCall:
    name: str
    source: str
    version: str | None
    file: str


def config_files(d: Path) -> list[Path]:
    """Terraform's rule: .tf and .tf.json files of the directory itself, not hidden/backup ones."""
    if not d.is_dir():
        return []
    out = []
    for p in sorted(d.iterdir()):
        name = p.name
        if name.startswith(".") or name.startswith("#") or name.endswith("~"):
            continue
        if (name.endswith(".tf") or name.endswith(".tf.json")) and p.is_file():
            out.append(p)
    return out


def module_calls(d: Path) -> list[ModuleCall]:
    calls: dict[str, ModuleCall] = {}
    for f in config_files(d):
        text = f.read_text(encoding="utf-8", errors="replace")
        if f.name.endswith(".tf.json"):
            try:
                doc = json.loads(text)
            except json.JSONDecodeError:
                continue
            mods = doc.get("module", {}) if isinstance(doc, dict) else {}
            items = mods if isinstance(mods, list) else [mods]
            for item in items:
                for name, body in (item or {}).items():
                    bodies = body if isinstance(body, list) else [body]
                    for b in bodies:
                        if isinstance(b, dict) and isinstance(b.get("source"), str):
                            calls[name] = ModuleCall(name, b["source"], b.get("version"), f.name)
            continue
        masked = mask_hcl(text)
        for btype, labels, start, end in top_level_blocks(text, masked):
            if btype != "module" or len(labels) != 1:
                continue
            attrs = block_string_attrs(text, masked, start, end)
            if "source" in attrs:
                # override files replace; plain duplicates are a Terraform error, keep the first
                if labels[0] not in calls or f.name.endswith("_override.tf"):
                    calls[labels[0]] = ModuleCall(labels[0], attrs["source"], attrs.get("version"), f.name)
    return [calls[k] for k in sorted(calls)]


# --------------------------------------------------------------------------------------------
# Module sources
# --------------------------------------------------------------------------------------------

_REGISTRY = re.compile(
    r"^(?:(?P<host>[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)/)?(?P<ns>[A-Za-z0-9][A-Za-z0-9_-]*)/"
    r"(?P<name>[A-Za-z0-9][A-Za-z0-9_-]*)/(?P<prov>[a-z0-9]+)(?://(?P<sub>[^?]*))?$"
)


@dataclass
class Source:
    kind: str  # local | registry | git | unsupported
    raw: str
    address: str = ""  # registry: ns/name/provider
    repo: str = ""  # owner/name on GitHub (git sources)
    subdir: str = ""
    ref: str = ""
    normalized: str = ""  # what Terraform >= 1.1 writes to modules.json


def parse_source(raw: str) -> Source:
    s = raw.strip()
    if s in (".", "..") or s.startswith("./") or s.startswith("../"):
        return Source("local", raw, normalized=raw)
    m = _REGISTRY.match(s)
    if m and (m.group("host") is None or m.group("host") != "github.com"):
        host = m.group("host") or "registry.terraform.io"
        addr = f"{m.group('ns')}/{m.group('name')}/{m.group('prov')}"
        sub = (m.group("sub") or "").strip("/")
        norm = f"{host}/{addr}" + (f"//{sub}" if sub else "")
        return Source("registry", raw, address=addr if host == "registry.terraform.io" else f"{host}/{addr}",
                      subdir=sub, normalized=norm)
    g = s
    forced = g.startswith("git::")
    if forced:
        g = g[5:]
    query = ""
    if "?" in g:
        g, query = g.split("?", 1)
    ref = ""
    for part in query.split("&"):
        if part.startswith("ref="):
            ref = part[4:]
    sub = ""
    scheme_end = g.find("://")
    search_from = scheme_end + 3 if scheme_end >= 0 else 0
    k = g.find("//", search_from)
    if k >= 0:
        g, sub = g[:k], g[k + 2 :].strip("/")
    gm = re.match(r"^(?:https://|ssh://git@|git@)?github\.com[/:]([^/]+)/([^/]+?)(?:\.git)?/?$", g)
    if gm and (forced or g.startswith("github.com") or g.startswith("git@")):
        repo = f"{gm.group(1)}/{gm.group(2)}"
        norm = f"git::https://github.com/{repo}.git" + (f"//{sub}" if sub else "") + (f"?{query}" if query else "")
        return Source("git", raw, repo=repo, subdir=sub, ref=ref, normalized=norm)
    return Source("unsupported", raw, normalized=raw)


def default_repo(address: str) -> str:
    ns, name, prov = address.split("/")[-3:]
    return f"{ns}/terraform-{prov}-{name}"


# --------------------------------------------------------------------------------------------
# Manifest and mirrors
# --------------------------------------------------------------------------------------------


@dataclass
class Root:
    name: str
    cloud: str
    repo: str
    path: str
    note: str = ""


@dataclass
class Manifest:
    roots: list[Root]
    sources: dict[str, dict]  # registry address -> {repo, constraints}
    repos: dict[str, dict]  # owner/name -> {commit}
    skipped: list[dict] = field(default_factory=list)

    def repo_for(self, src: Source) -> str:
        if src.kind == "git":
            return src.repo
        entry = self.sources.get(src.address)
        if entry and entry.get("repo"):
            return entry["repo"]
        return default_repo(src.address)


def load_manifest(path: Path) -> Manifest:
    with open(path, "rb") as f:
        doc = tomllib.load(f)
    roots = [Root(r["name"], r["cloud"], r["repo"], r.get("path", "."), r.get("note", "")) for r in doc.get("root", [])]
    names = [r.name for r in roots]
    dup = {n for n in names if names.count(n) > 1}
    if dup:
        sys.exit(f"roots.toml: duplicate root names: {sorted(dup)}")
    return Manifest(roots, doc.get("sources", {}), doc.get("repos", {}), doc.get("skipped", []))


def parse_constraint(text: str):
    """A predicate on (major, minor, patch) for a Terraform version constraint string
    (`=`, `!=`, `>`, `>=`, `<`, `<=`, `~>`, comma-separated). Pre-releases are not handled."""
    checks = []
    for part in text.split(","):
        m = re.match(r"^\s*(=|!=|>=|<=|>|<|~>)?\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?\s*$", part)
        if not m:
            raise ValueError(f"unsupported version constraint {text!r}")
        op = m.group(1) or "="
        nums = [int(x) for x in m.group(2, 3, 4) if x is not None]
        v = tuple(nums + [0] * (3 - len(nums)))
        if op == "~>":
            if len(nums) == 1:
                upper = (nums[0] + 1, 0, 0)
            else:
                upper = tuple(nums[:-2] + [nums[-2] + 1]) + (0,) * (3 - len(nums) + 1)
            checks.append(lambda k, lo=v, hi=upper: lo <= k < hi)
        else:
            checks.append({
                "=": lambda k, v=v: k == v, "!=": lambda k, v=v: k != v,
                ">": lambda k, v=v: k > v, ">=": lambda k, v=v: k >= v,
                "<": lambda k, v=v: k < v, "<=": lambda k, v=v: k <= v,
            }[op])
    return lambda k: all(c(k) for c in checks)


class Mirrors:
    """Bare git mirrors laid out as DIR/<owner>+<name>/repo (what `fetch` produces)."""

    def __init__(self, base: Path, manifest: Manifest, cache: Path):
        self.base = base
        self.manifest = manifest
        self.cache = cache
        self.index: dict[str, Path] = {}
        if base.is_dir():
            for d in sorted(base.iterdir()):
                if "+" not in d.name:
                    continue
                gd = d / "repo" if (d / "repo").is_dir() else d
                self.index[d.name.replace("+", "/", 1).lower()] = gd
        self.resolved: dict[str, tuple[str, str]] = {}  # repo -> (commit, version)
        self._tags: dict[str, list] = {}
        self.match_constraints = False

    def git_dir(self, repo: str) -> Path | None:
        return self.index.get(repo.lower())

    def git(self, repo: str, *args: str, binary: bool = False):
        gd = self.git_dir(repo)
        r = subprocess.run(["git", f"--git-dir={gd}", *args], capture_output=True, check=False)
        if r.returncode != 0:
            raise RuntimeError(f"git {' '.join(args)} in {gd}: {r.stderr.decode(errors='replace').strip()}")
        return r.stdout if binary else r.stdout.decode()

    def resolve(self, repo: str) -> tuple[str, str]:
        """(commit, version) of the repository: the manifest's pinned commit, else HEAD; the version
        is the highest semver tag merged into that commit."""
        if repo in self.resolved:
            return self.resolved[repo]
        pinned = (self.manifest.repos.get(repo) or {}).get("commit")
        commit = self.git(repo, "rev-parse", (pinned or "HEAD") + "^{commit}").strip()
        tags = self.git(repo, "tag", "--merged", commit).split()
        best = None
        for t in tags:
            m = re.match(r"^v?(\d+)\.(\d+)\.(\d+)$", t)
            if m:
                key = tuple(int(x) for x in m.groups())
                if best is None or key > best[0]:
                    best = (key, t.lstrip("v"))
        version = best[1] if best else "0.0.0"
        self.resolved[repo] = (commit, version)
        return commit, version

    def tags(self, repo: str) -> list[tuple[tuple[int, int, int], str, str]]:
        """Release tags (x.y.z or vx.y.z): (version tuple, version string, tag name), ascending."""
        if repo not in self._tags:
            out = []
            for t in self.git(repo, "tag", "--list").split():
                m = re.match(r"^v?(\d+)\.(\d+)\.(\d+)$", t)
                if m:
                    out.append((tuple(int(x) for x in m.groups()), t.lstrip("v"), t))
            self._tags[repo] = sorted(out)
        return self._tags[repo]

    def resolve_constraint(self, repo: str, constraint: str | None) -> tuple[str, str] | None:
        """(commit, version) of the highest release tag that satisfies the constraint, like
        `terraform init`; None when no tag does."""
        if not constraint:
            return None
        try:
            check = parse_constraint(constraint)
        except ValueError:
            return None
        for key, version, tag in reversed(self.tags(repo)):
            if check(key):
                commit = self.git(repo, "rev-parse", f"refs/tags/{tag}^{{commit}}").strip()
                return commit, version
        return None

    def tree(self, repo: str, commit: str | None = None) -> Path:
        """An extracted copy of the repository at a commit (default: its resolved commit); cached."""
        if commit is None:
            commit, _ = self.resolve(repo)
        dest = self.cache / f"{repo.replace('/', '+')}@{commit[:12]}"
        if dest.is_dir() and (dest / ".complete").exists():
            return dest
        if dest.exists():
            shutil.rmtree(dest)
        tmp = dest.with_name(dest.name + ".tmp")
        if tmp.exists():
            shutil.rmtree(tmp)
        tmp.mkdir(parents=True)
        # Not `git archive`: snapshots lack blobs of 4 MiB and more, which makes it fail. Write
        # every blob that is present; list the missing ones in .complete.
        listing = self.git(repo, "ls-tree", "-r", "-z", "--full-tree", commit, binary=True)
        items = []
        for rec in listing.split(b"\0"):
            if not rec:
                continue
            meta, name = rec.split(b"\t", 1)
            mode, otype, sha = meta.split()
            items.append((mode.decode(), otype.decode(), sha.decode(), name.decode("utf-8", "surrogateescape")))
        gd = self.git_dir(repo)
        proc = subprocess.Popen(["git", f"--git-dir={gd}", "cat-file", "--batch"], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE)
        skipped = []
        for mode, otype, sha, name in items:
            if otype != "blob":
                skipped.append(f"{name}: {otype} (submodule) not extracted")
                continue
            rel = posixpath.normpath(name)
            if rel.startswith("..") or rel.startswith("/"):
                skipped.append(f"{name}: unsafe path")
                continue
            proc.stdin.write(sha.encode() + b"\n")
            proc.stdin.flush()
            header = proc.stdout.readline().split()
            if len(header) < 2 or header[1] == b"missing":
                skipped.append(f"{name}: blob missing from the snapshot")
                continue
            size = int(header[2])
            data = proc.stdout.read(size)
            proc.stdout.read(1)
            path = tmp / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if mode == "120000":
                link = data.decode("utf-8", "surrogateescape")
                resolved = posixpath.normpath(posixpath.join(posixpath.dirname(rel), link))
                if link.startswith("/") or resolved.startswith(".."):
                    skipped.append(f"{name}: symlink leaves the repository ({link})")
                    continue
                os.symlink(link, path)
            else:
                path.write_bytes(data)
                if mode == "100755":
                    path.chmod(0o755)
        proc.stdin.close()
        proc.wait()
        (tmp / ".complete").write_text(commit + "\n" + "".join(s + "\n" for s in skipped))
        tmp.rename(dest)
        return dest


# --------------------------------------------------------------------------------------------
# Layout
# --------------------------------------------------------------------------------------------


class LayoutError(Exception):
    pass


def _copy_tree(src: Path, dst: Path) -> None:
    def ignore(d, names):
        return [n for n in names if n in (".complete", ".git")]

    shutil.copytree(src, dst, symlinks=True, ignore=ignore)


def _rel(path: str) -> str:
    p = posixpath.normpath(path)
    return p


@dataclass
class Entry:
    key: str
    source: str
    version: str | None
    dir: str
    # for the lock file
    raw: str = ""
    constraint: str | None = None
    repo: str = ""
    commit: str = ""


def layout_root(root: Root, mf: Manifest, mirrors: Mirrors, out: Path) -> tuple[list[Entry], list[str]]:
    """Builds out/<root.name>. Returns the modules.json entries (root first) and notes."""
    if mirrors.git_dir(root.repo) is None:
        raise LayoutError(f"no mirror of {root.repo}")
    repo_tree = mirrors.tree(root.repo)
    ex_dir = (repo_tree / root.path).resolve()
    if not ex_dir.is_dir() or not config_files(ex_dir):
        raise LayoutError(f"{root.repo}:{root.path} holds no .tf files")
    dest = out / root.name
    tmp = out / f".{root.name}.tmp"
    if tmp.exists():
        shutil.rmtree(tmp)
    # the example's own directory, with its subdirectories (fixtures, local modules, templates)
    _copy_tree(ex_dir, tmp)
    for stale in (tmp / ".terraform", tmp / ".terraform.lock.hcl"):
        if stale.is_dir():
            shutil.rmtree(stale)
        elif stale.exists():
            stale.unlink()
    entries = [Entry("", "", None, ".")]
    notes: list[str] = []

    # walk: (key, dir relative to the root (posix), origin). origin is ("root", repo_path) for a
    # directory of the example's own tree (repo_path: its path inside the example's repository), or
    # ("pkg", package_dir) for a directory inside a copied package under .terraform/modules.
    ex_rel = _rel(root.path.strip("/") or ".")
    queue = [("", ".", ("root", ex_rel))]
    level = 0
    while queue:
        level += 1
        if level > MAX_DEPTH:
            raise LayoutError("module nesting deeper than 32")
        nxt = []
        for key, rel_dir, origin in queue:
            abs_dir = tmp / rel_dir
            for call in module_calls(abs_dir):
                ckey = f"{key}.{call.name}" if key else call.name
                src = parse_source(call.source)
                if src.kind == "local":
                    target = _rel(posixpath.join(rel_dir, call.source))
                    if origin[0] == "pkg":
                        pkg_dir = origin[1]
                        if not (target == pkg_dir or target.startswith(pkg_dir + "/")):
                            raise LayoutError(f"{ckey}: local source {call.source!r} leaves its package {pkg_dir}")
                        if not (tmp / target).is_dir():
                            raise LayoutError(f"{ckey}: local source {call.source!r}: no directory {target}")
                        entries.append(Entry(ckey, call.source, None, target, raw=call.source))
                        nxt.append((ckey, target, origin))
                        continue
                    repo_path = _rel(posixpath.join(origin[1], call.source))
                    if repo_path.startswith(".."):
                        raise LayoutError(f"{ckey}: local source {call.source!r} leaves the repository {root.repo}")
                    if ex_rel == "." or repo_path == ex_rel or repo_path.startswith(ex_rel + "/"):
                        if not (tmp / target).is_dir():
                            raise LayoutError(f"{ckey}: local source {call.source!r}: no directory {target}")
                        entries.append(Entry(ckey, call.source, None, target, raw=call.source))
                        nxt.append((ckey, target, ("root", repo_path)))
                        continue
                    # leaves the example directory (`../../`, `../../modules/x`): Terraform records
                    # Dir "../.." (every such call shares that directory). To keep the root
                    # self-contained, one copy of the example's repository goes to
                    # .terraform/modules/_example_repository and every such call's Dir points
                    # into it (shared, like Terraform's "../..").
                    pkg_dir = ".terraform/modules/_example_repository"
                    if not (tmp / pkg_dir).exists():
                        _copy_tree(repo_tree, tmp / pkg_dir)
                    d = _rel(posixpath.join(pkg_dir, repo_path))
                    if not (tmp / d).is_dir():
                        raise LayoutError(f"{ckey}: local source {call.source!r} is not a directory in {root.repo}")
                    commit, _ = mirrors.resolve(root.repo)
                    entries.append(Entry(ckey, call.source, None, d, raw=call.source, repo=root.repo, commit=commit))
                    nxt.append((ckey, d, ("pkg", pkg_dir)))
                    continue
                if src.kind == "unsupported":
                    raise LayoutError(f"{ckey}: unsupported module source {call.source!r}")
                repo = mf.repo_for(src)
                if src.kind == "registry" and src.address not in mf.sources:
                    notes.append(f"{ckey}: {src.address} is not in [sources]; assumed repository {repo}")
                if mirrors.git_dir(repo) is None:
                    raise LayoutError(f"{ckey}: no mirror of {repo} (source {call.source!r})")
                commit, version = mirrors.resolve(repo)
                if mirrors.match_constraints and src.kind == "registry":
                    hit = mirrors.resolve_constraint(repo, call.version)
                    if hit:
                        commit, version = hit
                    elif call.version:
                        notes.append(f"{ckey}: no tag of {repo} satisfies {call.version!r}; using {version} ({commit[:12]})")
                pkg_dir = f".terraform/modules/{ckey}"
                _copy_tree(mirrors.tree(repo, commit), tmp / pkg_dir)
                d = _rel(posixpath.join(pkg_dir, src.subdir)) if src.subdir else pkg_dir
                if not (tmp / d).is_dir():
                    raise LayoutError(f"{ckey}: {call.source!r}: no directory {src.subdir!r} in {repo}")
                entries.append(Entry(ckey, src.normalized, version if src.kind == "registry" else None, d,
                                     raw=call.source, constraint=call.version, repo=repo, commit=commit))
                nxt.append((ckey, d, ("pkg", pkg_dir)))
        queue = nxt

    entries.sort(key=lambda e: e.key)
    modules = []
    for e in entries:
        m = {"Key": e.key, "Source": e.source}
        if e.version:
            m["Version"] = e.version
        m["Dir"] = e.dir
        modules.append(m)
    mj = tmp / ".terraform" / "modules" / "modules.json"
    mj.parent.mkdir(parents=True, exist_ok=True)
    mj.write_text(json.dumps({"Modules": modules}, separators=(",", ":")) + "\n")
    if dest.exists():
        shutil.rmtree(dest)
    tmp.rename(dest)
    return entries, notes


def cmd_layout(args) -> int:
    mf = load_manifest(Path(args.manifest))
    out = Path(args.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    cache = Path(args.cache).resolve() if args.cache else out.parent / ".cache"
    cache.mkdir(parents=True, exist_ok=True)
    mirrors = Mirrors(Path(args.mirrors), mf, cache)
    mirrors.match_constraints = args.match_constraints
    lock = {"mode": "constraints" if args.match_constraints else "newest", "roots": {}}
    failed = []
    wanted = set(args.only or [])
    for root in mf.roots:
        if wanted and root.name not in wanted:
            continue
        try:
            entries, notes = layout_root(root, mf, mirrors, out)
        except (LayoutError, RuntimeError) as e:
            failed.append((root.name, str(e)))
            print(f"FAIL {root.name}: {e}", file=sys.stderr)
            continue
        commit, version = mirrors.resolve(root.repo)
        lock["roots"][root.name] = {
            "cloud": root.cloud,
            "repo": root.repo,
            "path": root.path,
            "commit": commit,
            "modules": [
                {k: v for k, v in {"key": e.key, "source": e.raw, "constraint": e.constraint, "repo": e.repo,
                                   "commit": e.commit, "version": e.version, "dir": e.dir}.items() if v}
                for e in entries if e.key
            ],
        }
        if notes:
            lock["roots"][root.name]["notes"] = notes
        print(f"ok   {root.name}: {len(entries) - 1} module calls" + "".join(f"\n     note: {n}" for n in notes))
    if not wanted:
        # drop roots no longer in the manifest
        names = {r.name for r in mf.roots}
        for d in sorted(out.iterdir()):
            if d.is_dir() and not d.name.startswith(".") and d.name not in names:
                shutil.rmtree(d)
    lock_path = out.parent / (out.name + ".lock.json")
    if wanted and lock_path.exists():
        old = json.loads(lock_path.read_text())
        old.setdefault("roots", {}).update(lock["roots"])
        lock = old
    lock["roots"] = dict(sorted(lock["roots"].items()))
    lock_path.write_text(json.dumps(lock, indent=1, sort_keys=False) + "\n")
    print(f"{len(lock['roots'])} roots in {out}; lock file {lock_path}")
    if failed:
        print(f"{len(failed)} roots failed: " + ", ".join(n for n, _ in failed), file=sys.stderr)
        return 1
    return 0


def cmd_scan(args) -> int:
    """Prints the module calls of every root, recursively, without writing anything."""
    mf = load_manifest(Path(args.manifest))
    cache = Path(args.cache).resolve() if args.cache else Path("/tmp/corpus-cache")
    cache.mkdir(parents=True, exist_ok=True)
    mirrors = Mirrors(Path(args.mirrors), mf, cache)
    need: dict[str, dict] = {}
    for root in mf.roots:
        if args.only and root.name not in args.only:
            continue
        if mirrors.git_dir(root.repo) is None:
            print(f"{root.name}: no mirror of {root.repo}")
            continue
        print(f"== {root.name} ({root.repo}:{root.path})")
        stack = [(root.repo, root.path, "", 0)]
        while stack:
            repo, path, key, depth = stack.pop()
            if depth > 8:
                continue
            d = mirrors.tree(repo) / path
            for call in module_calls(d):
                ckey = f"{key}.{call.name}" if key else call.name
                src = parse_source(call.source)
                if src.kind == "local":
                    p = posixpath.normpath(posixpath.join(path, call.source))
                    print(f"  {ckey:40} local {call.source} -> {repo}:{p}")
                    stack.append((repo, p, ckey, depth + 1))
                elif src.kind in ("registry", "git"):
                    r = mf.repo_for(src)
                    have = "ok" if mirrors.git_dir(r) else "MISSING"
                    print(f"  {ckey:40} {call.source} {call.version or ''} -> {r} [{have}]")
                    if src.kind == "registry":
                        e = need.setdefault(src.address, {"repo": r, "constraints": set()})
                        if call.version:
                            e["constraints"].add(call.version)
                    if have == "ok":
                        stack.append((r, src.subdir or ".", ckey, depth + 1))
                else:
                    print(f"  {ckey:40} UNSUPPORTED {call.source}")
    print("\n# [sources] as found")
    for addr in sorted(need):
        e = need[addr]
        cons = ", ".join(json.dumps(c) for c in sorted(e["constraints"]))
        print(f'"{addr}" = {{ repo = "{e["repo"]}", constraints = [{cons}] }}')
    return 0


# --------------------------------------------------------------------------------------------
# Check
# --------------------------------------------------------------------------------------------

COMMANDS = [
    ("classify", ["classify", "--format", "json"]),
    ("t-base", ["targets", "--scope", "base"]),
    ("t-run", ["targets", "--scope", "runtime"]),
    ("t-run-d", ["targets", "--scope", "runtime", "--destroy"]),
    ("t-base-d", ["targets", "--scope", "base", "--destroy"]),
    ("plan-all", ["plan", "--scope", "all"]),
    ("plan-run-d", ["plan", "--scope", "runtime", "--destroy"]),
    ("check", ["check"]),
    ("explain", None),  # explain <first managed address>
    ("render", ["render", "--out", "-"]),
    ("cost", ["cost", "--format", "json"]),
]

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def _interesting_lines(stderr: str, limit: int = 6) -> list[str]:
    """The diagnostics of a tfscope run: miette errors (`code`, `× message` and its `│`
    continuation lines, joined), then `warning:`/`error:` lines and Rust panics."""
    lines = [_ANSI.sub("", l).rstrip() for l in stderr.splitlines()]
    errors, others = [], []
    code = None
    i = 0
    while i < len(lines):
        l = lines[i]
        st = l.strip()
        if re.fullmatch(r"[a-z_]+(::[a-z_]+)+", st):
            code = st
        elif st.startswith("× ") or st.startswith("x "):
            msg = st[2:].strip()
            prev_raw = l
            while i + 1 < len(lines) and lines[i + 1].strip().startswith("│"):
                i += 1
                part = lines[i].strip()[1:].strip()
                # miette wraps at 80 columns and splits words longer than a line (long
                # addresses) in the middle: rejoin those without a space
                last = msg.split(" ")[-1] if msg else ""
                glue = "" if len(prev_raw) >= 90 and len(last) >= 30 else " "
                msg = f"{msg}{glue}{part}" if part else msg
                prev_raw = lines[i]
            errors.append(f"{code}: {msg}" if code else msg)
            code = None
        elif re.match(r"(?i)^(error|warning)\b", st) or st.startswith("thread '") or "panicked at" in st:
            others.append(st)
        i += 1
    pick = errors + others
    if not pick:
        pick = [l.strip() for l in lines if l.strip()][:2]
    return pick[:limit]


def _finding_lines(stdout: str, limit: int = 6) -> list[str]:
    """Findings printed on stdout (check, plan): violation/cycle/stateful lines, location dropped."""
    out = []
    lines = [_ANSI.sub("", l).strip() for l in stdout.splitlines()]
    for i, l in enumerate(lines):
        m = re.match(r"^(?:\S+:\d+:\d+: )?((?:violation|cycle|stateful|stale|unclassified|error|warning)\b.*)$", l, re.I)
        if m:
            out.append(m.group(1))
        elif "VIOLATION" in l:
            nxt = lines[i + 1] if i + 1 < len(lines) else ""
            out.append(f"{l} {nxt}".strip())
    return out[:limit]


def _normalize_message(line: str, root_dir: str) -> str:
    name = Path(root_dir).name
    s = line.replace(root_dir.rstrip("/") + "/", "").replace(root_dir, "<root>")
    s = re.sub(r"(^|[\s\[(])" + re.escape(name) + "/", r"\1", s)
    s = re.sub(r"^[×⚠!\s]+", "", s)
    s = re.sub(r"(\S+\.tf(?:\.json)?):\d+:\d+", r"<file>", s)
    s = re.sub(r"\.terraform/modules/[^\s:\"']+", ".terraform/modules/<dir>", s)
    s = re.sub(r'"[^"]*"', '"…"', s)
    s = re.sub(r"\b\d+(\.\d+)?s\b", "<t>", s)
    s = re.sub(r"\b\d+\b", "N", s)
    return s[:300]


def _wrap_where(where: list[str]) -> str:
    """root:cmd list, grouped by root: `root (cmd, cmd), root (cmd)`."""
    by_root: dict[str, list[str]] = {}
    for w in where:
        root, cmd = w.rsplit(":", 1)
        by_root.setdefault(root, []).append(cmd)
    return ", ".join(f"{r} ({' '.join(c)})" for r, c in by_root.items())


def run_one(tfscope: str, argv: list[str], root_dir: Path, timeout: float) -> dict:
    env = dict(os.environ, NO_COLOR="1")
    env.pop("TFSCOPE_TERRAFORM", None)
    # relative to the corpus directory: shorter paths in diagnostics (miette wraps at 80 columns)
    cmd = [tfscope, *argv, root_dir.name]
    t0 = time.monotonic()
    try:
        r = subprocess.run(cmd, capture_output=True, timeout=timeout, env=env, cwd=root_dir.parent)
        code = r.returncode
        out, err = r.stdout.decode(errors="replace"), r.stderr.decode(errors="replace")
        status = "ok" if code == 0 else "findings" if code == 1 else "error" if code == 2 else "crash"
        if code < 0:
            status = "crash"
    except subprocess.TimeoutExpired as e:
        code = None
        out = (e.stdout or b"").decode(errors="replace")
        err = (e.stderr or b"").decode(errors="replace")
        status = "timeout"
    wall = time.monotonic() - t0
    return {
        "argv": argv,
        "exit": code,
        "status": status,
        "seconds": round(wall, 3),
        "stdout_lines": out.count("\n"),
        "stderr_lines": err.count("\n"),
        "messages": _interesting_lines(err) or (_finding_lines(out) if code == 1 else []),
        "_stdout": out,
        "_stderr": err,
    }


def check_root(tfscope: str, root_dir: Path, timeout: float) -> dict:
    rec = {"root": root_dir.name, "commands": {}, "resources": None}
    first_managed = None
    for name, argv in COMMANDS:
        if name == "explain":
            if first_managed is None:
                rec["commands"][name] = {"argv": ["explain"], "exit": None, "status": "skipped", "seconds": 0,
                                         "messages": ["no managed resource from classify"]}
                continue
            argv = ["explain", first_managed]
        r = run_one(tfscope, argv, root_dir, timeout)
        out = r.pop("_stdout")
        err = r.pop("_stderr")
        if name == "classify" and r["exit"] == 0:
            try:
                doc = json.loads(out)
                res = doc.get("resources", [])
                managed = [x for x in res if x.get("kind") == "managed"]
                counts = {}
                for x in managed:
                    counts[x.get("scope")] = counts.get(x.get("scope"), 0) + 1
                uncl = [x for x in managed if str(x.get("reason", "")).startswith("unclassified")]
                rec["resources"] = len(managed)
                rec["data_sources"] = sum(1 for x in res if x.get("kind") == "data")
                rec["opaque_modules"] = sum(1 for x in res if x.get("kind") == "module")
                rec["scopes"] = counts
                rec["unclassified"] = len(uncl)
                rec["unclassified_types"] = sorted({x.get("type") for x in uncl})
                # The roots run with the default scopes: data belongs in the first, base.
                rec["stateful_outside_base"] = sorted(x["address"] for x in managed
                                                      if x.get("stateful") and x.get("scope") != "base")
                rec["warnings"] = sum(1 for l in err.splitlines() if "warning" in l.lower())
                if managed:
                    first_managed = managed[0]["address"]
                rec["classify"] = [{k: x.get(k) for k in ("address", "type", "scope", "reason", "stateful", "kind")}
                                   for x in res]
            except (json.JSONDecodeError, AttributeError, KeyError, TypeError) as e:
                r["status"] = "bad-output"
                r["messages"] = [f"classify --format json: unreadable output: {e}"] + r["messages"]
        elif name == "cost" and r["exit"] in (0, 1):
            try:
                json.loads(out)
            except json.JSONDecodeError as e:
                r["status"] = "bad-output"
                r["messages"] = [f"cost --format json: unreadable output: {e}"] + r["messages"]
        elif name == "check":
            r["stdout_head"] = [l for l in out.splitlines() if l.strip()][:12]
        if name in ("t-base", "t-run", "t-run-d", "t-base-d"):
            r["targets"] = [l for l in out.splitlines() if l.strip()]
        rec["commands"][name] = r
    return rec


def cmd_check(args) -> int:
    tfscope = str(Path(args.tfscope).resolve())
    roots_dir = Path(args.roots).resolve()
    roots = sorted(d for d in roots_dir.iterdir() if d.is_dir() and not d.name.startswith("."))
    if args.only:
        roots = [d for d in roots if d.name in args.only]
    t0 = time.monotonic()
    records = []
    for d in roots:
        rec = check_root(tfscope, d, args.timeout)
        records.append(rec)
        if args.progress:
            print(f"checked {d.name} in {sum(c['seconds'] for c in rec['commands'].values()):.1f}s", file=sys.stderr)
    total = time.monotonic() - t0

    names = [n for n, _ in COMMANDS]
    w = max([len(r["root"]) for r in records] + [4])
    head = f"{'root':{w}} {'res':>5} {'base':>5} {'run':>5} {'uncl':>5} {'s-out':>5} " + " ".join(f"{n:>{max(len(n), 3)}}" for n in names)
    print(head)
    print("-" * len(head))
    for r in records:
        sc = r.get("scopes") or {}
        cells = []
        for n in names:
            c = r["commands"][n]
            v = "-" if c["status"] == "skipped" else "T/O" if c["status"] == "timeout" else "BAD" if c["status"] == "bad-output" else str(c["exit"])
            cells.append(f"{v:>{max(len(n), 3)}}")
        res = "?" if r["resources"] is None else str(r["resources"])
        print(f"{r['root']:{w}} {res:>5} {sc.get('base', 0):>5} {sc.get('runtime', 0):>5} {r.get('unclassified', 0):>5} {len(r.get('stateful_outside_base') or []):>5} " + " ".join(cells))

    # summary
    fails: dict[str, list[str]] = {}
    findings: dict[str, list[str]] = {}
    per_cmd: dict[str, int] = {}
    per_cmd_findings: dict[str, int] = {}
    for r in records:
        rd = str(roots_dir / r["root"])
        for n in names:
            c = r["commands"][n]
            msg = c["messages"][0] if c.get("messages") else f"exit {c['exit']} with no message"
            if c["status"] in ("error", "crash", "timeout", "bad-output"):
                per_cmd[n] = per_cmd.get(n, 0) + 1
                key = f"[{c['status']}] " + _normalize_message(msg, rd)
                fails.setdefault(key, []).append(f"{r['root']}:{n}")
            elif c["status"] == "findings":
                per_cmd_findings[n] = per_cmd_findings.get(n, 0) + 1
                findings.setdefault(_normalize_message(msg, rd), []).append(f"{r['root']}:{n}")
    print()
    print(f"roots: {len(records)}   resources: {sum(r['resources'] or 0 for r in records)}   "
          f"unclassified: {sum(r.get('unclassified', 0) for r in records)}   "
          f"stateful outside base: {sum(len(r.get('stateful_outside_base') or []) for r in records)}   "
          f"total time: {total:.1f}s")
    types = sorted({t for r in records for t in r.get("unclassified_types") or []})
    if types:
        print("unclassified types: " + ", ".join(types))
    for r in records:
        for a in r.get("stateful_outside_base") or []:
            print(f"stateful outside base: {r['root']}: {a}")
    print("failing commands (exit 2, crash, timeout, bad output): "
          + (", ".join(f"{n} {k}" for n, k in sorted(per_cmd.items())) or "none"))
    for key, where in sorted(fails.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        print(f"  {len(where):3}x {key}")
        print(f"        {_wrap_where(where)}")
    print("exit 1 (findings): " + (", ".join(f"{n} {k}" for n, k in sorted(per_cmd_findings.items())) or "none"))
    for key, where in sorted(findings.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        print(f"  {len(where):3}x {key}")
        print(f"        {_wrap_where(where)}")
    if args.json:
        Path(args.json).write_text(json.dumps({"tfscope": tfscope, "roots_dir": str(roots_dir),
                                               "total_seconds": round(total, 2), "roots": records}, indent=1) + "\n")
    return 1 if fails else 0


def cmd_sweep(args) -> int:
    """Every .tf/.tf.json file of every mirror's newest commit, directory by directory, through
    `tfscope classify`: which directories fail to parse, and why."""
    tfscope = str(Path(args.tfscope).resolve())
    mirrors = Path(args.mirrors)
    out = Path(args.out)
    dirs, files, failures = 0, 0, []
    for git_dir in sorted(mirrors.glob("*/repo")):
        name = git_dir.parent.name
        tree = out / name
        if not tree.exists():
            listing = subprocess.run(["git", "--git-dir", str(git_dir), "ls-tree", "-r", "--name-only", "HEAD"],
                                     capture_output=True, text=True, check=True).stdout.split("\n")
            wanted = [f for f in listing if f.endswith(".tf") or f.endswith(".tf.json")]
            tmp = tree.with_name(tree.name + ".tmp")
            shutil.rmtree(tmp, ignore_errors=True)
            tmp.mkdir(parents=True)
            for f in wanted:
                blob = subprocess.run(["git", "--git-dir", str(git_dir), "show", f"HEAD:{f}"], capture_output=True)
                if blob.returncode != 0:
                    continue  # absent from the snapshot (large file or LFS)
                (tmp / f).parent.mkdir(parents=True, exist_ok=True)
                (tmp / f).write_bytes(blob.stdout)
            tmp.rename(tree)
        for d in sorted({p.parent for p in tree.rglob("*") if p.name.endswith((".tf", ".tf.json"))}):
            dirs += 1
            files += sum(1 for p in d.iterdir() if p.name.endswith((".tf", ".tf.json")))
            r = subprocess.run([tfscope, "classify", "--format", "json", str(d)], capture_output=True,
                               env=dict(os.environ, NO_COLOR="1"))
            if r.returncode >= 2:
                first = _interesting_lines(r.stderr.decode(errors="replace"), 2)
                failures.append((str(d.relative_to(out)), r.returncode, first[0] if first else ""))
    repos = len(list(mirrors.glob("*/repo")))
    print(f"repositories: {repos}   directories: {dirs}   files: {files}   failing directories: {len(failures)}")
    for d, code, msg in failures:
        print(f"  exit {code}  {d}: {msg}")
    return 1 if failures else 0


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)

    s = sub.add_parser("scan", help="list every root's module calls, recursively")
    s.add_argument("--mirrors", required=True)
    s.add_argument("--manifest", default=str(DEFAULT_MANIFEST))
    s.add_argument("--cache")
    s.add_argument("--only", nargs="*")
    s.set_defaults(func=cmd_scan)

    l = sub.add_parser("layout", help="build the corpus from local mirrors")
    l.add_argument("--mirrors", required=True)
    l.add_argument("--out", required=True)
    l.add_argument("--manifest", default=str(DEFAULT_MANIFEST))
    l.add_argument("--cache", help="extracted repositories (default: OUT/../.cache)")
    l.add_argument("--only", nargs="*")
    l.add_argument("--match-constraints", action="store_true",
                   help="install each registry module at the highest release tag that satisfies its version "
                        "constraint, like terraform init (default: the pinned/newest snapshot, constraint ignored)")
    l.set_defaults(func=cmd_layout)

    c = sub.add_parser("check", help="run tfscope over every root")
    c.add_argument("--tfscope", required=True)
    c.add_argument("--roots", required=True)
    c.add_argument("--json")
    c.add_argument("--timeout", type=float, default=60.0)
    c.add_argument("--only", nargs="*")
    c.add_argument("--progress", action="store_true")
    c.set_defaults(func=cmd_check)

    y = sub.add_parser("cycle", help="real Terraform over every root: apply, down runtime, up runtime, plan")
    y.add_argument("--tfscope", required=True)
    y.add_argument("--roots", required=True, help="a --match-constraints layout (Terraform checks versions)")
    y.add_argument("--work", required=True, help="scratch directory: one copy of each root")
    y.add_argument("--terraform", help="default: <repo>/.cache/terraform/1.15.5/terraform")
    y.add_argument("--mock", help="default: <repo>/.cache/mock-provider/terraform-provider-mock")
    y.add_argument("--json")
    y.add_argument("--timeout", type=float, default=300.0, help="per Terraform or tfscope command")
    y.add_argument("--only", nargs="*")
    y.add_argument("--progress", action="store_true")
    y.set_defaults(func=lambda a: cycle.cmd_cycle(a, (mask_hcl, top_level_blocks)))

    w = sub.add_parser("sweep", help="every .tf file of every mirror through tfscope, directory by directory")
    w.add_argument("--tfscope", required=True)
    w.add_argument("--mirrors", required=True)
    w.add_argument("--out", required=True, help="where the mirrors' files are written (reused when present)")
    w.set_defaults(func=cmd_sweep)

    args = p.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
