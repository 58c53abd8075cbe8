//! The dependency graph of a configuration, built the way Terraform builds its own: a node for
//! every resource, data source, variable, local, output, provider configuration and module call,
//! and an edge for every reference (`var.x` inside a module is wired to the caller's argument,
//! `module.m.out` to what the output references, `depends_on = [module.m]` to everything in it).
//! Cycles are errors. The result is projected onto *units* (managed resources, data sources and
//! opaque module calls) and *hubs* (a module call's expansion, and everything inside a module)
//! as a plain [`ResourceGraph`] for classification and targeting. Hubs keep the projection
//! linear: `depends_on = [module.m]` on many calls is one edge per call to `m`'s hub, not one
//! edge per pair of resources; every walk looks through them.
//!
//! This file owns the types and the simple queries. The rest is one file per step: `build.rs`
//! builds the graph of a configuration, `cycles.rs` breaks or rejects its cycles, `project.rs`
//! projects it onto units and hubs, `environment.rs` leaves out what an environment does not
//! instantiate, and `walk.rs` walks and folds through hubs.

mod build;
mod cycles;
mod environment;
mod project;
mod walk;

use std::collections::{BTreeMap, BTreeSet};

use crate::error::{Location, Warning};
use crate::eval::instances::ArgumentValue;
use crate::load::address::ModulePath;
use crate::load::model::Repetition;

pub use build::build;
pub use walk::HubMemo;

/// Why one node depends on another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EdgeKind {
    /// A reference, `depends_on`, or module wiring: Terraform records it in the state and honours
    /// it for both apply and destroy targeting.
    Value,
    /// A resource's provider configuration references something. Terraform must apply that first,
    /// but does not record it as a dependency for destroy.
    Provider,
}

/// What a unit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    Managed,
    Data,
    /// A module call whose source is not available locally: targeted as a whole.
    OpaqueModule,
}

/// A unit of a [`ResourceGraph`]: its position in `units`, and in every per-unit vector a later
/// stage keeps beside it (the classification's units). Walks yield these; node numbers, which
/// also count hubs, stay inside this module.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UnitId(usize);

impl UnitId {
    /// The position in `units` (and in any vector kept per unit).
    pub fn index(self) -> usize {
        self.0
    }

    /// The unit at position `index` (callers keep it below the number of units).
    pub fn at(index: usize) -> UnitId {
        UnitId(index)
    }
}

impl<T> std::ops::Index<UnitId> for Vec<T> {
    type Output = T;
    fn index(&self, u: UnitId) -> &T {
        &self[u.0]
    }
}

impl<T> std::ops::IndexMut<UnitId> for Vec<T> {
    fn index_mut(&mut self, u: UnitId) -> &mut T {
        &mut self[u.0]
    }
}

impl<T> std::ops::Index<UnitId> for [T] {
    type Output = T;
    fn index(&self, u: UnitId) -> &T {
        &self[u.0]
    }
}

impl<T> std::ops::IndexMut<UnitId> for [T] {
    fn index_mut(&mut self, u: UnitId) -> &mut T {
        &mut self[u.0]
    }
}

/// A targetable thing: a resource, a data source, or an opaque module call.
#[derive(Debug, Clone)]
pub struct Unit {
    pub address: String,
    pub kind: UnitKind,
    /// Resource type, or `module` for an opaque module call.
    pub resource_type: String,
    /// The module that declares it (for an opaque call: the module containing the call).
    pub module: ModulePath,
    pub location: Location,
    pub tags: BTreeMap<String, String>,
    pub repetition: Repetition,
    /// Kept arguments ([`crate::load::hcl::Detail::kept`]) in every instance, once evaluated for
    /// an environment ([`ResourceGraph::for_environment`]).
    pub arguments: BTreeMap<String, Vec<ArgumentValue>>,
}

/// Which module-wide node a hub stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum HubRole {
    /// A resolved module call's count/for_each/depends_on, which everything inside inherits.
    Expansion,
    /// Everything inside a module, for `depends_on = [module.m]`.
    Close,
}

/// A module-wide node kept in the resource graph so that edges to a whole module stay one edge.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Hub {
    pub module: ModulePath,
    pub role: HubRole,
}

/// Resource-level dependencies: everything classification and targeting need.
///
/// Nodes are numbered units first (`0..units.len()`), then hubs. A unit's direct dependencies
/// are the units reachable from it through hubs only ([`ResourceGraph::unit_deps`]); walks
/// ([`ResourceGraph::reach`], [`ResourceGraph::fold_adjacent`]) look through hubs and only ever
/// yield units.
#[derive(Debug, Clone)]
pub struct ResourceGraph {
    /// Sorted by address.
    pub units: Vec<Unit>,
    /// Node ids `units.len()..`, sorted by module and role.
    pub hubs: Vec<Hub>,
    /// `deps[n]` for every node: the units and hubs node `n` depends on directly (through any
    /// number of variables, locals, outputs and module boundaries), with the weakest edge kind
    /// on the strongest path.
    pub deps: Vec<BTreeMap<usize, EdgeKind>>,
    /// The reverse of `deps`: who depends on each node directly.
    pub rdeps: Vec<BTreeMap<usize, EdgeKind>>,
    /// Every resolved module call (not the root) with how it repeats.
    pub modules: BTreeMap<ModulePath, Repetition>,
    /// Units with no instance in the environment, left out of `units` (see [`ResourceGraph::for_environment`]).
    pub absent: Vec<Absent>,
    /// Parallel to `units`: for the tracked arguments a unit sets (principals of grants), the
    /// units and hubs each one references, through variables, locals and module boundaries.
    pub arg_deps: Vec<Vec<(String, BTreeSet<usize>)>>,
    pub warnings: Vec<Warning>,
}

/// A unit that has no instance in the evaluated environment.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Absent {
    pub address: String,
    pub kind: UnitKind,
    pub resource_type: String,
    pub location: Location,
    /// Which `count`/`for_each` leaves it without instances.
    pub why: String,
}

impl ResourceGraph {
    /// The unit with this address.
    pub fn find(&self, address: &str) -> Option<UnitId> {
        self.units
            .binary_search_by(|u| u.address.as_str().cmp(address))
            .ok()
            .map(UnitId)
    }

    /// Every unit, in address order.
    pub fn unit_ids(&self) -> impl DoubleEndedIterator<Item = UnitId> + ExactSizeIterator {
        (0..self.units.len()).map(UnitId)
    }

    /// Direct dependents of each node (the reverse of `deps`).
    pub fn dependents(&self) -> &[BTreeMap<usize, EdgeKind>] {
        &self.rdeps
    }

    /// Whether node `n` is a unit rather than a hub.
    pub fn is_unit(&self, n: usize) -> bool {
        n < self.units.len()
    }
}

/// Which way a walk follows edges.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// From a node to what it depends on (what `apply -target` pulls in).
    Dependencies,
    /// From a node to what depends on it (what `destroy -target` takes along).
    Dependents,
}

/// The reverse of `deps`: who depends on each node directly.
fn reverse(deps: &[BTreeMap<usize, EdgeKind>]) -> Vec<BTreeMap<usize, EdgeKind>> {
    let mut rdeps = vec![BTreeMap::new(); deps.len()];
    for (from, d) in deps.iter().enumerate() {
        for (&to, &kind) in d {
            rdeps[to].insert(from, kind);
        }
    }
    rdeps
}

#[cfg(test)]
mod tests {
    //! The dependency graph: module wiring, depends_on, providers, cycles, and walks through hubs.

    use super::*;

    use crate::testing::graph as graph_of;

    fn deps_of(g: &ResourceGraph, addr: &str) -> Vec<String> {
        let i = g.find(addr).unwrap_or_else(|| panic!("no {addr}"));
        g.unit_deps(i)
            .iter()
            .map(|(&d, &k)| match k {
                EdgeKind::Value => g.units[d].address.clone(),
                EdgeKind::Provider => format!("{} (provider)", g.units[d].address),
            })
            .collect()
    }

    // Three public examples stopped with "Terraform rejects cyclic configurations too".
    #[test]
    fn a_cycle_through_a_module_that_is_not_installed_is_a_warning() {
        let g = graph_of(&[(
            "main.tf",
            r#"
module "remote" {
  source = "example/thing/aws"
  role   = aws_iam_role.r.arn
}
resource "aws_iam_role" "r" {
  name   = "r"
  policy = module.remote.policy_json
}
"#,
        )])
        .expect("not an error");
        assert!(
            g.warnings
                .iter()
                .any(|w| w.message.contains("run terraform init for exact targets")),
            "{:?}",
            g.warnings
        );
        assert_eq!(deps_of(&g, "aws_iam_role.r"), vec!["module.remote"]);
    }

    #[test]
    fn dependencies_flow_through_module_inputs_and_outputs() {
        let g = graph_of(&[
            (
                "main.tf",
                r#"
module "net" { source = "./net" }
module "app" {
  source = "./app"
  subnet = module.net.subnet_id
}
"#,
            ),
            (
                "net/main.tf",
                r#"
resource "aws_vpc" "v" {}
resource "aws_subnet" "s" { vpc_id = aws_vpc.v.id }
resource "aws_eip" "unrelated" {}
locals { id = aws_subnet.s.id }
output "subnet_id" { value = local.id }
output "eip" { value = aws_eip.unrelated.id }
"#,
            ),
            (
                "app/main.tf",
                r#"
variable "subnet" {}
resource "aws_instance" "i" { subnet_id = var.subnet }
"#,
            ),
        ])
        .unwrap();
        assert_eq!(
            deps_of(&g, "module.app.aws_instance.i"),
            vec!["module.net.aws_subnet.s"]
        );
        assert_eq!(
            deps_of(&g, "module.net.aws_subnet.s"),
            vec!["module.net.aws_vpc.v"]
        );
    }

    #[test]
    fn depends_on_a_module_means_everything_inside_it() {
        let g = graph_of(&[
            (
                "main.tf",
                r#"
module "db" { source = "./db" }
resource "null_resource" "migrate" { depends_on = [module.db] }
"#,
            ),
            (
                "db/main.tf",
                "resource \"aws_db_instance\" \"a\" {}\nmodule \"inner\" { source = \"./inner\" }\n",
            ),
            ("db/inner/main.tf", "resource \"aws_s3_bucket\" \"b\" {}\n"),
        ])
        .unwrap();
        assert_eq!(
            deps_of(&g, "null_resource.migrate"),
            vec![
                "module.db.aws_db_instance.a",
                "module.db.module.inner.aws_s3_bucket.b"
            ]
        );
    }

    /// Many calls with `depends_on` on one shared module, and a `for_each` call inside each.
    fn shared_module_calls(calls: usize) -> ResourceGraph {
        let mut root = String::from("module \"shared\" { source = \"./shared\" }\n");
        for c in 0..calls {
            root.push_str(&format!(
                "module \"c{c}\" {{\n  source     = \"./caller\"\n  depends_on = [module.shared]\n}}\n"
            ));
        }
        let shared = "resource \"aws_vpc\" \"a\" {}\nresource \"aws_vpc\" \"b\" {}\nresource \"aws_vpc\" \"c\" {}\n";
        let caller = r#"
resource "aws_ecs_cluster" "k" {}
resource "aws_ecs_service" "s" { cluster = aws_ecs_cluster.k.id }
module "inner" {
  source   = "./inner"
  for_each = toset(["x", "y"])
  cluster  = aws_ecs_cluster.k.id
}
"#;
        let inner = "variable \"cluster\" {}\nresource \"aws_ecs_task_definition\" \"t\" { family = var.cluster }\n";
        graph_of(&[
            ("main.tf", root.as_str()),
            ("shared/main.tf", shared),
            ("caller/main.tf", caller),
            ("caller/inner/main.tf", inner),
        ])
        .unwrap()
    }

    #[test]
    fn depends_on_a_module_is_one_edge_per_call_to_its_hub() {
        let g = shared_module_calls(6);
        let hub = |module: &str, role: HubRole| {
            let i = g
                .hubs
                .iter()
                .position(|h| h.module.to_string() == module && h.role == role)
                .unwrap_or_else(|| panic!("no hub for {module}"));
            g.units.len() + i
        };
        let close = hub("module.shared", HubRole::Close);
        // Everything inside the shared module, once, and the six calls' expansions behind it.
        assert_eq!(g.deps[close].len(), 3);
        assert_eq!(g.rdeps[close].len(), 6);
        for c in 0..6 {
            let expansion = hub(&format!("module.c{c}"), HubRole::Expansion);
            assert_eq!(g.deps[expansion].keys().collect::<Vec<_>>(), vec![&close]);
        }
        // Edges grow with the calls, not with calls times resources.
        let edges = |g: &ResourceGraph| g.deps.iter().map(BTreeMap::len).sum::<usize>();
        let (small, big) = (
            edges(&shared_module_calls(6)),
            edges(&shared_module_calls(12)),
        );
        let per_call = (big - small) / 6;
        assert!(per_call <= 12, "{per_call} edges per call");
        // Looking through the hubs, a resource of a call still depends on the whole module.
        assert_eq!(
            deps_of(&g, "module.c3.module.inner.aws_ecs_task_definition.t"),
            vec![
                "module.c3.aws_ecs_cluster.k",
                "module.shared.aws_vpc.a",
                "module.shared.aws_vpc.b",
                "module.shared.aws_vpc.c"
            ]
        );
    }

    #[test]
    fn walks_through_hubs_agree_with_the_unit_level_graph() {
        let g = shared_module_calls(4);
        let units: Vec<UnitId> = g.unit_ids().collect();
        let unit_deps: Vec<BTreeMap<UnitId, EdgeKind>> =
            units.iter().map(|&u| g.unit_deps(u)).collect();
        // Direct dependents are the reverse of direct dependencies.
        for &u in &units {
            let from_deps: BTreeSet<UnitId> = units
                .iter()
                .copied()
                .filter(|&d| unit_deps[d].contains_key(&u))
                .collect();
            assert_eq!(
                g.unit_dependents(u)
                    .keys()
                    .copied()
                    .collect::<BTreeSet<_>>(),
                from_deps
            );
        }
        // Dependents first, smallest ready unit first: Kahn's order on the unit-level graph.
        let mut remaining: Vec<usize> = units.iter().map(|&u| g.unit_dependents(u).len()).collect();
        let mut ready: BTreeSet<UnitId> = units
            .iter()
            .copied()
            .filter(|&u| remaining[u] == 0)
            .collect();
        let mut naive = Vec::new();
        while let Some(u) = ready.pop_first() {
            naive.push(u);
            for &d in unit_deps[u].keys() {
                remaining[d] -= 1;
                if remaining[d] == 0 {
                    ready.insert(d);
                }
            }
        }
        assert_eq!(g.dependents_first(), naive);
        // A fold over the neighbours is the fold over `unit_deps`, memo or not.
        let mut memo = HubMemo::default();
        for &u in &units {
            let leaf = |d: UnitId| Some(g.units[d].address.clone());
            let first =
                g.fold_adjacent(Direction::Dependencies, u, &leaf, &std::cmp::min, &mut memo);
            let expected = unit_deps[u]
                .keys()
                .map(|&d| g.units[d].address.clone())
                .min();
            assert_eq!(first, expected, "{}", g.units[u].address);
        }
        // Reach through hubs yields units only: the closure of one shared VPC's dependents.
        let vpc = g.find("module.shared.aws_vpc.a").unwrap();
        let cascade = g.reach(Direction::Dependents, [vpc], true);
        assert!(cascade.iter().all(|u| g.is_unit(u.index())));
        assert_eq!(
            cascade.len(),
            4 * 3,
            "the three resources of each of the four calls"
        );
    }

    #[test]
    fn module_depends_on_and_for_each_reach_every_resource_inside() {
        let g = graph_of(&[
            (
                "main.tf",
                r#"
resource "aws_iam_role" "r" {}
resource "aws_s3_bucket" "keys" {}
module "svc" {
  source     = "./svc"
  for_each   = aws_s3_bucket.keys.tags
  depends_on = [aws_iam_role.r]
}
"#,
            ),
            ("svc/main.tf", "resource \"aws_ecs_service\" \"s\" {}\n"),
        ])
        .unwrap();
        assert_eq!(
            deps_of(&g, "module.svc.aws_ecs_service.s"),
            vec!["aws_iam_role.r", "aws_s3_bucket.keys"]
        );
        assert_eq!(
            g.modules[&ModulePath::root().child("svc")],
            Repetition::ForEach
        );
    }

    #[test]
    fn provider_configuration_references_are_provider_edges() {
        let g = graph_of(&[(
            "main.tf",
            r#"
resource "aws_eks_cluster" "c" {}
provider "kubernetes" { host = aws_eks_cluster.c.endpoint }
resource "kubernetes_namespace" "n" {}
resource "kubernetes_deployment" "d" {
  metadata {
    namespace = kubernetes_namespace.n.id
  }
}
"#,
        )])
        .unwrap();
        assert_eq!(
            deps_of(&g, "kubernetes_deployment.d"),
            vec!["aws_eks_cluster.c (provider)", "kubernetes_namespace.n"]
        );
    }

    #[test]
    fn providers_are_passed_into_modules_by_name() {
        let g = graph_of(&[
            (
                "main.tf",
                r#"
resource "aws_iam_role" "deployer" {}
provider "aws" {
  alias = "deploy"
  assume_role { role_arn = aws_iam_role.deployer.arn }
}
module "m" {
  source    = "./m"
  providers = { aws = aws.deploy }
}
"#,
            ),
            ("m/main.tf", "resource \"aws_s3_bucket\" \"b\" {}\n"),
        ])
        .unwrap();
        assert_eq!(
            deps_of(&g, "module.m.aws_s3_bucket.b"),
            vec!["aws_iam_role.deployer (provider)"]
        );
    }

    #[test]
    fn grouped_deps_agree_with_unit_deps_through_hubs_and_providers() {
        let g = graph_of(&[
            (
                "main.tf",
                r#"
resource "aws_iam_role" "deployer" {}
resource "aws_vpc" "v" {}
provider "aws" {
  alias = "deploy"
  assume_role { role_arn = aws_iam_role.deployer.arn }
}
module "net" {
  source = "./m"
  vpc    = aws_vpc.v.id
}
module "app" {
  source     = "./m"
  providers  = { aws = aws.deploy }
  vpc        = aws_vpc.v.id
  depends_on = [module.net]
}
resource "aws_s3_bucket" "after" { depends_on = [module.app, aws_iam_role.deployer] }
"#,
            ),
            (
                "m/main.tf",
                "variable \"vpc\" {}\nresource \"aws_subnet\" \"s\" { vpc_id = var.vpc }\nresource \"aws_s3_bucket\" \"b\" { bucket = aws_subnet.s.id }\n",
            ),
        ])
        .unwrap();
        let grouped = g.grouped_deps(|u| Some(u.index()));
        for u in g.unit_ids() {
            let expected: BTreeMap<usize, EdgeKind> = g
                .unit_deps(u)
                .into_iter()
                .map(|(d, k)| (d.index(), k))
                .collect();
            assert_eq!(grouped[u.index()], expected, "{}", g.units[u].address);
        }
        // Hubs were involved: module.app's bucket depends on everything in module.net.
        let b = g.find("module.app.aws_s3_bucket.b").unwrap();
        assert!(grouped[b.index()].len() >= 3, "{:?}", grouped[b.index()]);
        // Grouping: one group per module, the root left out.
        let by_module =
            g.grouped_deps(|d| (!g.units[d].module.is_root()).then(|| g.units[d].module.0.len()));
        let after = g.find("aws_s3_bucket.after").unwrap();
        assert_eq!(
            by_module[after.index()].keys().copied().collect::<Vec<_>>(),
            [1]
        );
    }

    #[test]
    fn iterator_and_meta_references_are_not_edges() {
        let g = graph_of(&[(
            "main.tf",
            r#"
resource "aws_subnet" "s" {
  count = 2
  cidr_block = cidrsubnet("10.0.0.0/16", 8, count.index)
  tags = { for k, v in var.tags : k => v }
}
resource "aws_route_table_association" "a" {
  for_each  = { for s in aws_subnet.s : s.id => s }
  subnet_id = each.value.id
  route_table_id = "${path.module}/${terraform.workspace}"
}
variable "tags" { default = {} }
"#,
        )])
        .unwrap();
        assert_eq!(
            deps_of(&g, "aws_route_table_association.a"),
            vec!["aws_subnet.s"]
        );
        assert!(deps_of(&g, "aws_subnet.s").is_empty());
    }

    #[test]
    fn a_cycle_is_an_error_that_prints_the_cycle() {
        let err = graph_of(&[(
            "main.tf",
            r#"
resource "aws_a" "x" { v = aws_b.y.id }
resource "aws_b" "y" { v = local.l }
locals { l = aws_a.x.id }
"#,
        )])
        .unwrap_err();
        let msg = err.to_string();
        assert!(msg.starts_with("dependency cycle: aws_a.x ("), "{msg}");
        assert!(msg.contains("aws_b.y ("), "{msg}");
        assert!(msg.contains("local.l ("), "{msg}");
        assert!(msg.contains("main.tf:2:1"), "{msg}");
    }

    #[test]
    fn undeclared_references_are_warnings_with_their_location() {
        let g = graph_of(&[
            (
                "main.tf",
                "module \"m\" { source = \"./m\" }\nresource \"aws_s3_bucket\" \"b\" {\n  bucket = \"${var.nope}-${module.m.missing}-${module.gone.x}\"\n}\n",
            ),
            ("m/main.tf", "output \"ok\" { value = 1 }\n"),
        ])
        .unwrap();
        let messages: Vec<String> = g.warnings.iter().map(|w| w.to_string()).collect();
        assert_eq!(messages.len(), 3, "{messages:?}");
        assert!(
            messages[0]
                .contains("main.tf:3:15: reference to undeclared var.nope in the root module"),
            "{messages:?}"
        );
        assert!(messages[1].contains("module.m.missing"), "{messages:?}");
        assert!(messages[2].contains("module.gone.x"), "{messages:?}");
    }

    #[test]
    fn opaque_modules_are_units_with_their_inputs_as_dependencies() {
        let g = graph_of(&[(
            "main.tf",
            r#"
resource "aws_vpc" "v" {}
module "eks" {
  source = "terraform-aws-modules/eks/aws"
  vpc_id = aws_vpc.v.id
}
resource "aws_iam_role_policy" "p" { role = module.eks.role_name }
"#,
        )])
        .unwrap();
        assert_eq!(deps_of(&g, "module.eks"), vec!["aws_vpc.v"]);
        assert_eq!(deps_of(&g, "aws_iam_role_policy.p"), vec!["module.eks"]);
        let eks = &g.units[g.find("module.eks").unwrap()];
        assert_eq!(eks.kind, UnitKind::OpaqueModule);
    }
}
