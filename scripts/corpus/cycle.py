"""`corpus.py cycle`: real Terraform over the corpus, against tfscope's mock provider.

For every root (a copy of it, so the corpus stays untouched):

1. strip `provisioner` blocks (public modules run package builds and downloads in `local-exec`);
2. derive the provider schema with `tfscope mock-schema`, and lay out a provider mirror of its own
   in which every provider the configuration requires is the mock provider, at a version that
   satisfies every `required_providers` constraint of the modules that are actually installed;
3. `terraform init -get=false` (the modules are already under `.terraform/modules`), then a full
   `terraform apply`;
4. `tfscope down --scope runtime --auto-approve`: verified execution (issue 10): Terraform's
   saved destroy plan must keep tfscope's promise, or tfscope refuses (a tfscope failure); then
   what went must be exactly the runtime instances that existed, every other object keeps its id;
5. `tfscope up --scope runtime --auto-approve`, verified the same way: everything is back, base
   ids unchanged;
6. `terraform plan -detailed-exitcode` exits 0 (nothing left to do).

A root that cannot get as far as a full apply (a provider function the mock cannot imitate, say) is
reported with the stage and Terraform's first error; it proves nothing either way. A root that
applies but then breaks 4-6 is a tfscope failure.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

# --------------------------------------------------------------------------------------------
# Provisioners out
# --------------------------------------------------------------------------------------------

# `provider_meta` too: it only sets a user agent, and tf-provider 0.2 declares no meta schema.
_NEUTRALISED = re.compile(r'\b(?:provisioner|provider_meta)[ \t]+"[^"\n]*"[ \t]*\{')


def strip_provisioners(text: str, mask) -> tuple[str, int]:
    """Removes every `provisioner "..." { ... }` and `provider_meta "..." { ... }` block. `mask`
    blanks strings and comments, so braces inside them do not count. Returns the new text and
    how many blocks went."""
    masked = mask(text)
    cuts = []
    for m in _NEUTRALISED.finditer(masked):
        depth = 0
        for i in range(m.end() - 1, len(masked)):
            c = masked[i]
            if c == "{":
                depth += 1
            elif c == "}":
                depth -= 1
                if depth == 0:
                    cuts.append((m.start(), i + 1))
                    break
    if not cuts:
        return text, 0
    out, last = [], 0
    for a, b in cuts:
        if a < last:  # nested inside an earlier cut (cannot happen in valid HCL)
            continue
        out.append(text[last:a])
        last = b
    out.append(text[last:])
    return "".join(out), len(cuts)


_EPHEMERAL = re.compile(r"(?m)^[ \t]*ephemeral[ \t]*=[ \t]*true[ \t]*$")


def strip_ephemeral(text: str) -> tuple[str, int]:
    """`ephemeral = true` out of variable blocks: the mock provider (tf-provider 0.2) cannot declare
    write-only attributes, which are the only place an ephemeral value may go."""
    return _EPHEMERAL.subn("", text)


# What real providers return for the data sources public examples compute with (`slice(names,
# 0, 3)`, `cidrsubnet(cidr_block, ...)`, `jsondecode(json)`): the mock's plain strings cannot take
# those functions. Values are plausible, not real; only their shape matters.
DATA_FAKES = {
    "aws_availability_zones": {"names": ["us-east-2a", "us-east-2b", "us-east-2c"],
                               "zone_ids": ["use2-az1", "use2-az2", "use2-az3"]},
    "aws_regions": {"names": ["eu-west-1", "us-east-2"]},
    "aws_caller_identity": {"account_id": "123456789012", "arn": "arn:aws:iam::123456789012:user/mock"},
    "aws_partition": {"partition": "aws", "dns_suffix": "amazonaws.com"},
    "aws_region": {"name": "us-east-2", "region": "us-east-2"},
    "aws_iam_policy_document": {"json": "{}", "minified_json": "{}"},
    "aws_ami": {"id": "ami-0123456789abcdef0"},
    "aws_vpc": {"cidr_block": "10.0.0.0/16"},
    "aws_subnets": {"ids": ["subnet-1", "subnet-2"]},
    "aws_ssm_parameter": {"value": '{"image_id": "ami-0123456789abcdef0"}', "insecure_value": "mock"},
    "aws_ecs_task_definition": {"revision": 1},
    "aws_eks_cluster_auth": {"token": "mock"},
    "google_client_config": {"access_token": "mock", "project": "mock-project", "region": "europe-west1"},
    "google_project": {"number": "123456789", "project_id": "mock-project"},
    "google_compute_zones": {"names": ["europe-west1-b", "europe-west1-c", "europe-west1-d"]},
    "azapi_client_config": {"tenant_id": "00000000-0000-0000-0000-000000000000",
                            "subscription_id": "00000000-0000-0000-0000-000000000000",
                            "subscription_resource_id": "/subscriptions/00000000-0000-0000-0000-000000000000"},
    "modtm_module_source": {"module_source": "registry.terraform.io/mock/mock/azurerm", "module_version": "1.0.0"},
    "azurerm_client_config": {"tenant_id": "00000000-0000-0000-0000-000000000000",
                              "subscription_id": "00000000-0000-0000-0000-000000000000",
                              "object_id": "00000000-0000-0000-0000-000000000000"},
}


# Managed resources whose results are indexes or numbers (`local.regions[random_integer.i.result]`).
RESOURCE_FAKES = {
    "random_integer": {"result": 0},
    "random_uuid": {"result": "00000000-0000-0000-0000-000000000000"},
}


def add_data_fakes(schema: dict) -> None:
    for provider in schema.get("providers", {}).values():
        for section, fakes in (("data_sources", DATA_FAKES), ("resources", RESOURCE_FAKES)):
            for kind, block in provider.get(section, {}).items():
                for attr, fake in fakes.get(kind, {}).items():
                    a = block.setdefault("attributes", {}).setdefault(attr, {})
                    a["computed"] = True
                    a["fake"] = fake


_VARIABLE_DEFAULT = re.compile(r"(?m)^[ \t]*default[ \t]*=")
_VARIABLE_TYPE = re.compile(r"(?m)^[ \t]*type[ \t]*=[ \t]*([a-z]+)")


def placeholders(root: Path, mask, blocks) -> dict:
    """A value for every root variable without a default (`project_id` of Google examples):
    Terraform would stop and ask for it."""
    out = {}
    for f in sorted(root.glob("*.tf")):
        text = f.read_text(errors="replace")
        masked = mask(text)
        for kind, labels, a, b in blocks(text, masked):
            if kind != "variable" or not labels or _VARIABLE_DEFAULT.search(masked, a, b):
                continue
            t = _VARIABLE_TYPE.search(text, a, b)
            ty = t.group(1) if t else "string"
            out[labels[0]] = {"number": 1, "bool": False, "list": [], "set": [], "map": {}, "object": {},
                              "tuple": []}.get(ty, f"mock-{labels[0].replace('_', '-')}")
    return out


# --------------------------------------------------------------------------------------------
# Provider versions
# --------------------------------------------------------------------------------------------

_VERSION = re.compile(r"^\s*(>=|<=|~>|!=|=|<|>)?\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?")


def parse_constraints(text: str) -> list[tuple[str, tuple[int, int, int], int]]:
    """`">= 5.0, < 7.0"` -> [(op, version, number of parts written)]."""
    out = []
    for part in text.split(","):
        m = _VERSION.match(part)
        if not m:
            continue
        op = m.group(1) or "="
        parts = [m.group(2), m.group(3), m.group(4)]
        written = sum(1 for p in parts if p is not None)
        v = tuple(int(p or 0) for p in parts)
        out.append((op, v, written))
    return out


def satisfies(v: tuple[int, int, int], constraints) -> bool:
    for op, c, written in constraints:
        if op == "=" and v != c:
            return False
        if op == "!=" and v == c:
            return False
        if op == ">=" and not v >= c:
            return False
        if op == ">" and not v > c:
            return False
        if op == "<=" and not v <= c:
            return False
        if op == "<" and not v < c:
            return False
        if op == "~>":
            if v < c:
                return False
            # ~> 1.2 allows 1.x (x >= 2); ~> 1.2.3 allows 1.2.x; ~> 1 allows 1.x
            upper = (c[0] + 1, 0, 0) if written <= 2 else (c[0], c[1] + 1, 0)
            if not v < upper:
                return False
    return True


def pick_version(constraints) -> tuple[int, int, int] | None:
    """The highest version that satisfies every constraint, among the versions they mention and
    the highest patch/minor releases around them."""
    candidates = {(9, 999, 0)}
    for _, (a, b, c), _ in constraints:
        candidates |= {(a, b, c), (a, b, 999), (a, 999, 0), (a, b + 1, 0), (a + 1, 0, 0)}
        if c > 0:
            candidates.add((a, b, c - 1))
    ok = [v for v in candidates if satisfies(v, constraints)]
    return max(ok) if ok else None


_REQUIRED_PROVIDERS = re.compile(r"\brequired_providers[ \t]*\{")
_ENTRY_OBJECT = re.compile(r'(?m)^[ \t]*([A-Za-z][A-Za-z0-9_-]*)[ \t]*=[ \t]*\{')
_ENTRY_STRING = re.compile(r'(?m)^[ \t]*([A-Za-z][A-Za-z0-9_-]*)[ \t]*=[ \t]*"([^"\n]*)"')
_INNER = re.compile(r'\b(source|version)[ \t]*=[ \t]*"([^"\n]*)"')
_TYPE_LABEL = re.compile(r'(?m)^[ \t]*(?:resource|data)[ \t]+"([a-z0-9]+)_[^"\n]*"')


def _block_end(masked: str, open_brace: int) -> int:
    depth = 0
    for i in range(open_brace, len(masked)):
        if masked[i] == "{":
            depth += 1
        elif masked[i] == "}":
            depth -= 1
            if depth == 0:
                return i
    return len(masked)


def required_providers(files: list[Path], mask) -> tuple[dict[str, list[str]], set[str]]:
    """Every provider source the files require, with its version constraints, and the type
    prefixes they use (a prefix without a required_providers entry is hashicorp/<prefix>)."""
    sources: dict[str, list[str]] = {}
    prefixes: set[str] = set()
    local_names: set[str] = set()
    for f in files:
        text = f.read_text(errors="replace")
        masked = mask(text)
        prefixes |= set(_TYPE_LABEL.findall(text))
        for m in _REQUIRED_PROVIDERS.finditer(masked):
            end = _block_end(masked, m.end() - 1)
            body_start = m.end()
            for e in _ENTRY_OBJECT.finditer(masked, body_start, end):
                inner_end = _block_end(masked, e.end() - 1)
                attrs = dict(_INNER.findall(text[e.end():inner_end]))
                name = e.group(1)
                source = attrs.get("source", f"hashicorp/{name}")
                key = normalise_source(source)
                local_names.add(name)
                sources.setdefault(key, [])
                if "version" in attrs:
                    sources[key].append(attrs["version"])
            for e in _ENTRY_STRING.finditer(text, body_start, end):
                if masked[e.start(2) - 1] != '"':  # inside an object entry: not a legacy string
                    continue
                # legacy `aws = "~> 3.0"`: only at the top of required_providers
                depth = masked.count("{", body_start, e.start()) - masked.count("}", body_start, e.start())
                if depth != 0 or e.group(1) in ("source", "version"):
                    continue
                key = normalise_source(f"hashicorp/{e.group(1)}")
                local_names.add(e.group(1))
                sources.setdefault(key, []).append(e.group(2))
    return sources, prefixes - local_names


def normalise_source(source: str) -> str:
    parts = source.lower().split("/")
    if len(parts) == 1:
        parts = ["hashicorp", parts[0]]
    if len(parts) == 2:
        parts = ["registry.terraform.io", *parts]
    return "/".join(parts)


def module_dirs(root: Path) -> list[Path]:
    """The root and every installed module directory that `modules.json` lists."""
    dirs = [root]
    manifest = root / ".terraform" / "modules" / "modules.json"
    if manifest.is_file():
        for m in json.loads(manifest.read_text()).get("Modules", []):
            if m.get("Key"):
                dirs.append((root / m["Dir"]).resolve())
    seen, out = set(), []
    for d in dirs:
        if d not in seen:
            seen.add(d)
            out.append(d)
    return out


# --------------------------------------------------------------------------------------------
# State
# --------------------------------------------------------------------------------------------


def config_address(instance: str) -> str:
    """`module.a["k"].aws_x.y[0]` -> `module.a.aws_x.y` (keys may hold dots and brackets)."""
    out, i, n = [], 0, len(instance)
    while i < n:
        c = instance[i]
        if c == "[":
            depth, j, in_str = 0, i, False
            while j < n:
                d = instance[j]
                if in_str:
                    if d == "\\":
                        j += 1
                    elif d == '"':
                        in_str = False
                elif d == '"':
                    in_str = True
                elif d == "[":
                    depth += 1
                elif d == "]":
                    depth -= 1
                    if depth == 0:
                        break
                j += 1
            i = j + 1
            continue
        out.append(c)
        i += 1
    return "".join(out)


def managed_ids(show_json: dict) -> dict[str, str]:
    """Instance address -> id for every managed resource in `terraform show -json`."""
    out: dict[str, str] = {}

    def walk(module):
        for r in module.get("resources", []):
            if r.get("mode") == "managed":
                out[r["address"]] = str((r.get("values") or {}).get("id"))
        for child in module.get("child_modules", []):
            walk(child)

    walk(((show_json.get("values") or {}).get("root_module")) or {})
    return out


# --------------------------------------------------------------------------------------------
# One root
# --------------------------------------------------------------------------------------------


class StageFailed(Exception):
    def __init__(self, stage: str, message: str, blame: str):
        super().__init__(message)
        self.stage, self.message, self.blame = stage, message, blame


def _first_error(text: str) -> str:
    lines = [l.strip() for l in text.splitlines()]
    for k, l in enumerate(lines):
        if l.startswith("Error:") or l.startswith("error:") or l.startswith("×"):
            detail = " ".join(x.lstrip("│ ").strip() for x in lines[k + 1 : k + 8] if x.lstrip("│ ").strip())
            return (l + " " + detail)[:400]
    tail = [l for l in lines if l][-3:]
    return " ".join(tail)[:400]


class Root:
    def __init__(self, name: str, src: Path, work: Path, tools: dict, hcl, timeout: float):
        self.name, self.src, self.work, self.tools = name, src, work, tools
        self.mask, self.blocks = hcl
        self.timeout = timeout
        self.dir = work / "root"
        self.log: list[dict] = []

    def env(self) -> dict:
        return dict(
            os.environ,
            TF_CLI_CONFIG_FILE=str(self.work / "terraformrc"),
            TF_DATA_DIR=str(self.dir / ".terraform"),
            TFSCOPE_MOCK_SCHEMA=str(self.work / "schema.json"),
            TFSCOPE_MOCK_LOG=str(self.work / "mock.log"),
            TF_IN_AUTOMATION="1",
            TF_INPUT="0",
            CHECKPOINT_DISABLE="1",
            NO_COLOR="1",
        )

    def run(self, stage: str, argv: list[str], blame: str, ok=(0,)) -> subprocess.CompletedProcess:
        t0 = time.monotonic()
        try:
            r = subprocess.run(argv, cwd=self.dir, env=self.env(), capture_output=True, text=True,
                               timeout=self.timeout)
        except subprocess.TimeoutExpired:
            raise StageFailed(stage, f"timed out after {self.timeout:.0f}s", blame)
        self.log.append({"stage": stage, "argv": argv[1:], "exit": r.returncode,
                         "seconds": round(time.monotonic() - t0, 2)})
        if r.returncode not in ok:
            (self.work / f"{stage}.log").write_text(r.stdout + "\n--- stderr\n" + r.stderr)
            raise StageFailed(stage, _first_error(r.stderr + "\n" + r.stdout), blame)
        return r

    def terraform(self, stage: str, *args: str, blame: str = "setup", ok=(0,)):
        return self.run(stage, [self.tools["terraform"], *args, "-no-color"], blame, ok)

    def tfscope(self, stage: str, *args: str, ok=(0,)):
        return self.run(stage, [self.tools["tfscope"], *args, "."], "tfscope", ok)

    def state(self) -> dict[str, str]:
        r = self.terraform("show", "show", "-json")
        return managed_ids(json.loads(r.stdout or "{}"))

    def prepare(self) -> dict:
        if self.work.exists():
            shutil.rmtree(self.work)
        self.work.mkdir(parents=True)
        shutil.copytree(self.src, self.dir, symlinks=True)
        stripped = 0
        for f in self.dir.rglob("*.tf"):
            if f.is_file() and not f.is_symlink():
                text = f.read_text(errors="replace")
                new, n = strip_provisioners(text, self.mask)
                new, e = strip_ephemeral(new)
                if n or e:
                    f.write_text(new)
                    stripped += n
        # cloudposse examples keep their inputs in fixtures.<region>.tfvars: auto-load it for
        # Terraform and tfscope alike.
        fixtures = sorted(self.dir.glob("fixtures*.tfvars"))
        given: set[str] = set()
        if fixtures:
            text = fixtures[0].read_text(errors="replace")
            (self.dir / "zz-corpus-fixtures.auto.tfvars").write_text(text)
            given = set(re.findall(r"(?m)^([A-Za-z_][A-Za-z0-9_-]*)[ \t]*=", text))
        values = {k: v for k, v in placeholders(self.dir, self.mask, self.blocks).items() if k not in given}
        if values:
            (self.dir / "zz-corpus-placeholders.auto.tfvars.json").write_text(json.dumps(values, indent=1))
        schema = self.run("schema", [self.tools["tfscope"], "mock-schema", "."], "tfscope")
        derived = json.loads(schema.stdout)
        derived.setdefault("providers", {})
        add_data_fakes(derived)
        files = [f for d in module_dirs(self.dir) if d.is_dir()
                 for f in sorted(d.iterdir()) if f.suffix == ".tf" and f.is_file()]
        sources, implied = required_providers(files, self.mask)
        for prefix in implied:
            sources.setdefault(normalise_source(prefix), [])
        mirror = self.work / "mirror"
        chosen = {}
        for source, texts in sorted(sources.items()):
            constraints = [c for t in texts for c in parse_constraints(t)]
            v = pick_version(constraints)
            if v is None:
                raise StageFailed("providers", f"no version satisfies {source} {texts}", "setup")
            version = ".".join(map(str, v))
            host, ns, kind = source.split("/")
            target = mirror / host / ns / kind / version / "linux_amd64" / f"terraform-provider-{kind}_v{version}"
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(self.tools["mock"], target)
            except OSError:
                shutil.copy2(self.tools["mock"], target)
            chosen[source] = version
            derived["providers"].setdefault(kind, {})  # served even when nothing uses it
        (self.work / "schema.json").write_text(json.dumps(derived, indent=1))
        (self.work / "terraformrc").write_text(
            "provider_installation {\n"
            f'  filesystem_mirror {{\n    path = "{mirror}"\n    include = ["*/*/*"]\n  }}\n'
            '  direct {\n    exclude = ["*/*/*"]\n  }\n}\n'
        )
        return {"provisioners_stripped": stripped, "placeholders": sorted(values), "providers": chosen}

    def cycle(self) -> dict:
        rec: dict = {"root": self.name}
        try:
            rec.update(self.prepare())
            self.terraform("init", "init", "-get=false", "-input=false", "-backend=false")
            self.terraform("apply", "apply", "-auto-approve", "-input=false")
            full = self.state()
            rec["applied"] = len(full)
            classify = json.loads(self.tfscope("classify", "classify", "--format", "json").stdout)
            scope = {r["address"]: r["scope"] for r in classify["resources"] if r.get("kind") == "managed"}
            unknown = sorted({config_address(a) for a in full} - set(scope))
            if unknown:
                raise StageFailed("classify", f"tfscope does not know {len(unknown)} applied resources: "
                                  + ", ".join(unknown[:5]), "tfscope")
            runtime = {a for a in full if scope[config_address(a)] != "base"}
            rec["runtime"] = len(runtime)
            if not runtime:
                rec["result"] = "no runtime"
                return rec

            down = self.tfscope("targets-destroy", "targets", "--scope", "runtime", "--destroy", ok=(0,))
            targets = [l.strip() for l in down.stdout.splitlines() if l.strip()]
            rec["destroy_targets"] = len(targets)
            # tfscope's own verified down: plan -destroy -out, show -json, check, apply the plan.
            self.tfscope("down", "down", "--scope", "runtime", "--auto-approve",
                         "--tf", self.tools["terraform"], ok=(0,))
            after = self.state()
            gone = set(full) - set(after)
            problems = []
            if gone != runtime:
                kept_runtime = sorted(runtime - gone)
                lost_base = sorted(gone - runtime)
                if lost_base:
                    problems.append(f"destroyed {len(lost_base)} base: " + ", ".join(lost_base[:6]))
                if kept_runtime:
                    problems.append(f"kept {len(kept_runtime)} runtime: " + ", ".join(kept_runtime[:6]))
            changed = sorted(a for a in after if a in full and after[a] != full[a])
            new = sorted(set(after) - set(full))
            if changed or new:
                problems.append(f"ids changed or created on destroy: {(changed + new)[:6]}")
            if problems:
                raise StageFailed("down", "; ".join(problems), "tfscope")

            up = self.tfscope("targets-apply", "targets", "--scope", "runtime", ok=(0,))
            targets = [l.strip() for l in up.stdout.splitlines() if l.strip()]
            rec["apply_targets"] = len(targets)
            self.tfscope("up", "up", "--scope", "runtime", "--auto-approve",
                         "--tf", self.tools["terraform"], ok=(0,))
            back = self.state()
            missing = sorted(set(full) - set(back))
            base_changed = sorted(a for a in full if a not in runtime and back.get(a) != full[a])
            if missing or base_changed:
                raise StageFailed("up", f"missing after up: {missing[:6]}; base ids changed: {base_changed[:6]}",
                                  "tfscope")
            r = self.terraform("plan", "plan", "-detailed-exitcode", "-input=false", blame="tfscope", ok=(0, 2))
            if r.returncode == 2:
                changes = [l.strip() for l in r.stdout.splitlines() if l.strip().startswith("#")]
                if changes or "Changes to Outputs" not in r.stdout:
                    raise StageFailed("plan", "final plan not clean: " + "; ".join(changes[:6]), "tfscope")
                # No object changes, only root outputs that a targeted apply left stale.
                rec["note"] = "root outputs stale after the targeted apply (no object changes)"
            rec["result"] = "holds"
        except StageFailed as e:
            rec["result"] = "tfscope FAILS" if e.blame == "tfscope" else "cannot apply"
            rec["stage"], rec["message"] = e.stage, e.message
        finally:
            rec["steps"] = self.log
        return rec


def cmd_cycle(args, hcl) -> int:
    """`hcl` is corpus.py's (mask_hcl, top_level_blocks)."""
    repo = Path(__file__).resolve().parents[2]
    cache = Path(os.environ.get("TFSCOPE_CACHE", repo / ".cache"))
    tools = {
        "tfscope": str(Path(args.tfscope).resolve()),
        "terraform": str(Path(args.terraform or cache / "terraform" / "1.15.5" / "terraform").resolve()),
        "mock": str(Path(args.mock or cache / "mock-provider" / "terraform-provider-mock").resolve()),
    }
    for what, path in tools.items():
        if not Path(path).exists():
            print(f"error: {what} not found at {path} (run `make tools` in the repository, or pass --{what})")
            return 2
    roots_dir = Path(args.roots).resolve()
    work = Path(args.work).resolve()
    roots = sorted(d for d in roots_dir.iterdir() if d.is_dir() and not d.name.startswith("."))
    if args.only:
        roots = [d for d in roots if d.name in args.only]
    records = []
    t0 = time.monotonic()
    for d in roots:
        t = time.monotonic()
        rec = Root(d.name, d, work / d.name, tools, hcl, args.timeout).cycle()
        rec["seconds"] = round(time.monotonic() - t, 1)
        records.append(rec)
        if args.progress:
            print(f"{d.name}: {rec['result']} ({rec['seconds']}s)", flush=True)
    w = max([len(r["root"]) for r in records] + [4])
    print(f"{'root':{w}} {'applied':>7} {'runtime':>7} {'result':<14} stage / why")
    for r in records:
        why = f"{r.get('stage', '')}: {r.get('message', '')}" if "stage" in r else r.get("note", "")
        print(f"{r['root']:{w}} {r.get('applied', '-')!s:>7} {r.get('runtime', '-')!s:>7} {r['result']:<14} {why}")
    counts: dict[str, int] = {}
    for r in records:
        counts[r["result"]] = counts.get(r["result"], 0) + 1
    print()
    print(f"roots: {len(records)}   " + "   ".join(f"{k}: {v}" for k, v in sorted(counts.items()))
          + f"   total time: {time.monotonic() - t0:.0f}s")
    if args.json:
        Path(args.json).write_text(json.dumps(records, indent=1) + "\n")
    return 1 if counts.get("tfscope FAILS") else 0
