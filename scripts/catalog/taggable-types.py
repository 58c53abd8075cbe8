#!/usr/bin/env python3
"""Writes data/catalog/taggable.toml: which resource types take cost-allocation tags or labels,
and in which argument, read from each provider's own source (local git mirrors, HEAD), so
`tfscope tag` never guesses from a type's name.

    python3 scripts/catalog/taggable-types.py --mirrors /work/.mirror [--out data/catalog/taggable.toml]

Where each list comes from:
  aws      the provider's service registrations, as the v6 index keeps them
           (lonegunmanb/terraform-provider-aws-index, index/internal/service/*/
           method.servicePackage.{SDK,Framework}Resources.goindex): a resource registered with
           `Tags: unique.Make(inttypes.ServicePackageResourceTags{...})` takes the provider's
           transparent `tags` map (and default_tags)
  google   hashicorp/terraform-provider-google: a resource whose CustomizeDiff calls
           tpgresource.SetLabelsDiff takes a top-level `labels` map (the provider-5 label
           model with effective_labels); SetDiffForLabelsWithCustomizedName("x") names another
           argument (`resource_labels` of google_container_cluster). SetMetadataLabelsDiff
           (Cloud Run v1: labels inside a `metadata` block) is left out: not a top-level map.
           google-beta serves the same google_* types and takes the same list.
  azurerm  the provider's resource schemas, as lonegunmanb/terraform-provider-azurerm-index
           keeps them (index/resources/*.json -> schema function): a schema with a top-level
           `"tags": commonschema.Tags...(` argument
"""
import argparse
import json
import re
import subprocess
from pathlib import Path


def git(repo, *args):
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True,
                          text=True).stdout


def describe(repo, name):
    commit = git(repo, "rev-parse", "HEAD").strip()
    date = git(repo, "log", "-1", "--format=%cd", "--date=short").strip()
    return f"{name} {commit[:12]} ({date})"


def aws(mirrors):
    repo = mirrors / "lonegunmanb+terraform-provider-aws-index" / "repo"
    files = [f for f in git(repo, "ls-tree", "-r", "--name-only", "HEAD", "index/internal/service/").split()
             if re.search(r"method\.servicePackage\.(SDK|Framework)Resources\.goindex$", f)]
    types = set()
    for f in files:
        text = git(repo, "show", f"HEAD:{f}")
        # One registration per `{ ... }` entry; split on TypeName and look ahead to the next.
        parts = re.split(r'TypeName:\s+"', text)
        for part in parts[1:]:
            name = part.split('"', 1)[0]
            entry = re.split(r"\n\t\t\},?\n", part, maxsplit=1)[0]
            if "ServicePackageResourceTags" in entry and re.fullmatch(r"aws_[a-z0-9_]+", name):
                types.add(name)
    return sorted(types), describe(repo, "lonegunmanb/terraform-provider-aws-index")


def google(mirrors):
    repo = mirrors / "hashicorp+terraform-provider-google" / "repo"
    out = git(repo, "grep", "-n", "-E",
              r'SetLabelsDiff\b|SetDiffForLabelsWithCustomizedName\("[a-z_]+"\)', "HEAD", "--",
              "google/services")
    types, custom = set(), {}
    for line in out.splitlines():
        path = line.split(":")[1]
        m = re.search(r"/resource_([a-z0-9_]+)\.go$", path)
        if not m or path.endswith("_test.go"):
            continue
        name = m.group(1)
        name = name if name.startswith("google_") else "google_" + name
        c = re.search(r'SetDiffForLabelsWithCustomizedName\("([a-z_]+)"\)', line)
        if c:
            custom[name] = c.group(1)
        else:
            types.add(name)
    known = set(Path("data/providers/google.txt").read_text().split())
    types = sorted(t for t in types | set(custom) if t in known)
    return types, {k: v for k, v in sorted(custom.items()) if k in known}, describe(
        repo, "hashicorp/terraform-provider-google")


# `"tags": commonschema.Tags()` (and its variants), or a hand-written TypeMap named tags.
TAGS = re.compile(r'^\t+"tags":\s*(commonschema\.Tags\w*\(|\{\s*(//[^\n]*\s*)*Type:\s*pluginsdk\.TypeMap)',
                  re.M)


def read(repo, service, name):
    try:
        return git(repo, "show", f"HEAD:index/internal/{service}/{name}")
    except subprocess.CalledProcessError:
        return ""


def azurerm(mirrors):
    repo = mirrors / "lonegunmanb+terraform-provider-azurerm-index" / "repo"
    types = []
    for f in git(repo, "ls-tree", "--name-only", "HEAD", "index/resources/").split():
        meta = json.loads(git(repo, "show", f"HEAD:{f}"))
        service = meta["namespace"].split("/internal/", 1)[1]
        schema = read(repo, service, meta["schema_index"])
        # Schemas built by a helper (`Schema: resourceVirtualNetworkSchema()`): read those too.
        for helper in sorted(set(re.findall(r"\b(\w*[Ss]chema\w*)\(\)", schema))):
            schema += read(repo, service, f"func.{helper}.goindex")
        if TAGS.search(schema):
            types.append(meta["terraform_type"])
    return sorted(types), describe(repo, "lonegunmanb/terraform-provider-azurerm-index")


def toml_list(names):
    return "[\n" + "".join(f'  "{n}",\n' for n in names) + "]"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--mirrors", type=Path, required=True)
    p.add_argument("--out", type=Path, default=Path("data/catalog/taggable.toml"))
    a = p.parse_args()
    aws_types, aws_source = aws(a.mirrors)
    g_types, g_custom, g_source = google(a.mirrors)
    az_types, az_source = azurerm(a.mirrors)
    custom = "".join(f'{k} = "{v}"\n' for k, v in g_custom.items())
    a.out.write_text(f"""# Which resource types take cost-allocation tags (labels on Google), and in which argument.
# Written by scripts/catalog/taggable-types.py; do not edit by hand. `tfscope tag` writes the
# scope into `attribute` of exactly these types; `lowercase` providers (Google labels: keys and
# values [a-z0-9_-], at most 63 characters) get the key and the value lowercased.

[[provider]]
name = "aws"
source = "{aws_source}"
attribute = "tags"
lowercase = false
types = {toml_list(aws_types)}

[[provider]]
name = "google"
source = "{g_source}"
attribute = "labels"
lowercase = true
types = {toml_list(g_types)}

[provider.attribute_for]
{custom}
[[provider]]
name = "azurerm"
source = "{az_source}"
attribute = "tags"
lowercase = false
types = {toml_list(az_types)}
""")
    print(f"aws {len(aws_types)}, google {len(g_types)}, azurerm {len(az_types)} -> {a.out}")


if __name__ == "__main__":
    main()
