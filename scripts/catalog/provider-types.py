#!/usr/bin/env python3
"""Writes data/providers/<provider>.txt: every resource type a provider serves, one per line,
read from the provider's own repository (a local git mirror, HEAD), so the catalog tests can
fail when the catalog lacks one.

    python3 scripts/catalog/provider-types.py --mirrors /work/.mirror [--out data/providers]

Where each list comes from:
  aws            the v6 index generated from the provider's service registrations
                 (lonegunmanb/terraform-provider-aws-index, index/resources/*.json): the
                 provider repository itself is larger than a mirror can hold
  google,        registry.Schema / registry.FrameworkResource registrations under google*/,
  google-beta    Type SchemaTypeResource or SchemaTypeIAMResource
  azurerm        website/docs/r/*.html.markdown
  azapi          docs/resources/{resource,update_resource,...}.md (the provider's own types)
  arm            docs/resources/<Namespace>_<type>_<child>.md of azapi: the ARM resource types
                 its documentation covers, as Microsoft.X/a/b
  random, null, time, tls, local, archive, kubernetes, helm   docs/resources/*.md
"""
import argparse
import re
import subprocess
import sys
from pathlib import Path


def git(repo, *args):
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True,
                          text=True).stdout


def names(repo, folder):
    return [Path(p).name for p in git(repo, "ls-tree", "--name-only", "HEAD", folder + "/").split()]


def describe(repo):
    commit = git(repo, "rev-parse", "HEAD").strip()
    date = git(repo, "log", "-1", "--format=%cd", "--date=short").strip()
    return f"{commit[:12]} ({date})"


def aws(mirrors):
    repo = mirrors / "lonegunmanb+terraform-provider-aws-index" / "repo"
    import json
    version = json.loads(git(repo, "show", "HEAD:index/terraform-provider-aws-index.json"))["version"]
    types = [n[:-5] for n in names(repo, "index/resources") if n.endswith(".json")]
    # One stray file name carries a Go fragment (`aws_x, name=.json`): keep type names only.
    types = [t for t in types if re.fullmatch(r"aws_[a-z0-9_]+", t)]
    return types, f"lonegunmanb/terraform-provider-aws-index {describe(repo)}, provider {version}"


def google(mirrors, name):
    repo = mirrors / f"hashicorp+terraform-provider-{name}" / "repo"
    text = git(repo, "grep", "-h", "-A4", "-E", r"registry\.(Schema|FrameworkResource)\{", "HEAD")
    types = set()
    for block in re.split(r"registry\.(?:Schema|FrameworkResource)\{", text):
        m = re.search(r'Name:\s+"(google_[a-z0-9_]+)"', block)
        if not m:
            continue
        kind = re.search(r"Type:\s+registry\.(SchemaType\w+)", block)
        framework = "Func:" in block and not kind
        if framework or (kind and kind.group(1) in ("SchemaTypeResource", "SchemaTypeIAMResource")):
            types.add(m.group(1))
    return sorted(types), f"hashicorp/terraform-provider-{name} {describe(repo)}"


def docs(mirrors, repo_name, folder, prefix, suffix):
    repo = mirrors / repo_name / "repo"
    types = [prefix + n[: -len(suffix)] for n in names(repo, folder) if n.endswith(suffix)]
    return types, f"{repo_name.replace('+', '/')} {describe(repo)}"


def azapi(mirrors):
    types, source = docs(mirrors, "Azure+terraform-provider-azapi", "docs/resources", "azapi_", ".md")
    return [t for t in types if re.fullmatch(r"azapi_[a-z_]+", t)], source


def arm(mirrors):
    repo = mirrors / "Azure+terraform-provider-azapi" / "repo"
    out = []
    for n in names(repo, "docs/resources"):
        stem = n[:-3]
        if "_" not in stem or not re.match(r"[A-Z][A-Za-z]*\.", stem):
            continue
        out.append("/".join(stem.split("_")))
    return out, f"Azure/terraform-provider-azapi {describe(repo)}, docs/resources"


PROVIDERS = {
    "aws": aws,
    "google": lambda m: google(m, "google"),
    "google-beta": lambda m: google(m, "google-beta"),
    "azurerm": lambda m: docs(m, "hashicorp+terraform-provider-azurerm", "website/docs/r", "azurerm_",
                              ".html.markdown"),
    "azapi": azapi,
    "arm": arm,
}
for small in ["random", "null", "time", "tls", "local", "archive", "kubernetes", "helm"]:
    PROVIDERS[small] = (lambda s: lambda m: docs(m, f"hashicorp+terraform-provider-{s}",
                                                 "docs/resources", f"{s}_", ".md"))(small)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mirrors", type=Path, required=True)
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[2] / "data" / "providers")
    ap.add_argument("--only", nargs="*")
    args = ap.parse_args()
    for name, read in PROVIDERS.items():
        if args.only and name not in args.only:
            continue
        types, source = read(args.mirrors)
        types = sorted(set(types))
        if not types:
            sys.exit(f"{name}: no types found")
        path = args.out / f"{name}.txt"
        path.write_text(f"# {name}: {len(types)} resource types, from {source}\n"
                        "# Written by scripts/catalog/provider-types.py; do not edit by hand.\n"
                        + "".join(t + "\n" for t in types))
        print(f"{name:12} {len(types):5}  {source}")


if __name__ == "__main__":
    main()
