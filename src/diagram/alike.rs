//! Module calls of the same shape, drawn as one node. A picture collapsed by module can still be
//! too large to read when a root calls hundreds of modules (one per service, per team, per
//! tenant). Most such calls look alike from outside: the same scopes, the same dependencies and
//! the same dependents. [`merge_alike_calls`] puts each set of such calls into one node per scope,
//! `module.FIRST +N alike [scope]`. Alike is decided on the merged picture itself (calls whose
//! dependencies are alike calls can be alike), and chains stay chains: the calls of a chain
//! differ in how far they are from its ends.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::classify::Classification;
use crate::graph::{ResourceGraph, UnitId};

/// The id suffix of a node standing for several module calls: `module.a +3 alike [runtime]`.
pub const ALIKE: &str = "alike";

/// What an edge end is, seen from a module call: a set of calls in a scope, or a node that is no
/// module call (a root resource or a root type node).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum End {
    Calls { set: usize, scope: usize },
    Node(usize),
}

/// What a call looks like from outside: a scope it has nodes in, and from which of its scopes a
/// dependency (`Out`) or a dependent (`In`) is connected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Link {
    Scope(usize),
    Out(usize, End),
    In(usize, End),
}

/// `members` (collapsed by module: node id to its units) with the nodes of alike module calls
/// merged, one node per set of calls and scope. Nodes that are not module calls stay as they are.
pub fn merge_alike_calls(
    graph: &ResourceGraph,
    class: &Classification,
    members: BTreeMap<String, Vec<UnitId>>,
) -> BTreeMap<String, Vec<UnitId>> {
    let members: Vec<(String, Vec<UnitId>)> = members.into_iter().collect();
    let scope_of: Vec<usize> = members
        .iter()
        .map(|(_, units)| class.units[units[0]].scope.index())
        .collect();
    let call_name = |units: &[UnitId]| graph.units[units[0]].module.0.first().map(String::as_str);
    let names: Vec<&str> = members
        .iter()
        .filter_map(|(_, units)| call_name(units))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let call_of: Vec<Option<usize>> = members
        .iter()
        .map(|(_, units)| names.binary_search(&call_name(units)?).ok())
        .collect();

    let edges = member_edges(graph, &members);
    let (set_of, sets) = alike_sets(names.len(), &call_of, &scope_of, &edges);

    let mut set_calls: Vec<Vec<usize>> = vec![Vec::new(); sets];
    for (c, &s) in set_of.iter().enumerate() {
        set_calls[s].push(c);
    }
    let mut out: BTreeMap<String, Vec<UnitId>> = BTreeMap::new();
    for (m, (id, units)) in members.into_iter().enumerate() {
        let key = match call_of[m].map(|c| &set_calls[set_of[c]]) {
            Some(same) if same.len() > 1 => format!(
                "module.{} +{} {ALIKE} [{}]",
                names[same[0]],
                same.len() - 1,
                class.scopes[scope_of[m]]
            ),
            _ => id,
        };
        out.entry(key).or_default().extend(units);
    }
    for units in out.values_mut() {
        units.sort();
    }
    out
}

/// The set of each call, and how many sets: refined from one set of all calls, a set splits
/// while its calls differ in scopes or in the sets they connect to, until no set splits (the
/// coarsest partition where every call of a set looks the same from outside).
fn alike_sets(
    calls: usize,
    call_of: &[Option<usize>],
    scope_of: &[usize],
    edges: &BTreeSet<(usize, usize)>,
) -> (Vec<usize>, usize) {
    let mut set_of: Vec<usize> = vec![0; calls];
    let mut sets = usize::from(calls > 0);
    loop {
        let end = |m: usize| match call_of[m] {
            Some(c) => End::Calls {
                set: set_of[c],
                scope: scope_of[m],
            },
            None => End::Node(m),
        };
        let mut links: Vec<BTreeSet<Link>> = vec![BTreeSet::new(); calls];
        for (m, c) in call_of.iter().enumerate() {
            if let Some(c) = c {
                links[*c].insert(Link::Scope(scope_of[m]));
            }
        }
        for &(from, to) in edges {
            if let Some(a) = call_of[from] {
                links[a].insert(Link::Out(scope_of[from], end(to)));
            }
            if let Some(b) = call_of[to] {
                links[b].insert(Link::In(scope_of[to], end(from)));
            }
        }
        let mut by_key: HashMap<(usize, &BTreeSet<Link>), usize> = HashMap::new();
        let next: Vec<usize> = links
            .iter()
            .enumerate()
            .map(|(c, l)| {
                let n = by_key.len();
                *by_key.entry((set_of[c], l)).or_insert(n)
            })
            .collect();
        let split = by_key.len();
        set_of = next;
        if split == sets {
            break;
        }
        sets = split;
    }
    (set_of, sets)
}

/// The pairs of member indexes where something of the first depends on something of the second.
fn member_edges(
    graph: &ResourceGraph,
    members: &[(String, Vec<UnitId>)],
) -> BTreeSet<(usize, usize)> {
    let mut member_of: Vec<Option<usize>> = vec![None; graph.units.len()];
    for (m, (_, units)) in members.iter().enumerate() {
        for u in units {
            member_of[u.index()] = Some(m);
        }
    }
    let deps = graph.grouped_deps(|d| member_of[d.index()]);
    let mut edges = BTreeSet::new();
    for (u, targets) in deps.iter().enumerate() {
        let Some(from) = member_of[u] else { continue };
        for &to in targets.keys() {
            if to != from {
                edges.insert((from, to));
            }
        }
    }
    edges
}

#[cfg(test)]
mod tests {
    //! Calls alike and not alike: same dependencies, different scopes, different dependents,
    //! chains, and calls that become alike once the calls they depend on merged.

    use super::*;
    use crate::testing::analyse;

    const CHILD: &str = r#"
variable "vpc" { default = "" }
resource "aws_ecs_service" "s" { cluster = var.vpc }
"#;
    const CHILD_WITH_BASE: &str = r#"
variable "vpc" { default = "" }
resource "aws_sqs_queue" "q" {}
resource "aws_ecs_service" "s" { cluster = aws_sqs_queue.q.id }
"#;

    /// The collapsed members of `files`, merged; the node ids that come out.
    fn merged(files: &[(&str, &str)]) -> Vec<String> {
        let (graph, class) = analyse(files, "");
        let mut members: BTreeMap<String, Vec<UnitId>> = BTreeMap::new();
        for u in graph.unit_ids() {
            let unit = &graph.units[u];
            let key = match unit.module.0.first() {
                Some(call) => format!("module.{call} [{}]", class.scope_name(u)),
                None => unit.address.clone(),
            };
            members.entry(key).or_default().push(u);
        }
        merge_alike_calls(&graph, &class, members)
            .into_keys()
            .collect()
    }

    #[test]
    fn calls_with_the_same_dependencies_and_scopes_become_one_node() {
        let root = r#"
resource "aws_vpc" "v" {}
module "a" {
  source = "./svc"
  vpc    = aws_vpc.v.id
}
module "b" {
  source = "./svc"
  vpc    = aws_vpc.v.id
}
module "c" {
  source = "./svc"
  vpc    = aws_vpc.v.id
}
module "lone" { source = "./svc" }
"#;
        assert_eq!(
            merged(&[("main.tf", root), ("svc/main.tf", CHILD)]),
            [
                "aws_vpc.v",
                "module.a +2 alike [runtime]",
                "module.lone [runtime]"
            ]
        );
    }

    #[test]
    fn calls_with_other_scopes_or_other_dependents_stay_apart() {
        let root = r#"
resource "aws_vpc" "v" {}
module "a" {
  source = "./svc"
  vpc    = aws_vpc.v.id
}
module "b" {
  source = "./svc"
  vpc    = aws_vpc.v.id
}
module "q" {
  source = "./queue"
  vpc    = aws_vpc.v.id
}
resource "aws_ecs_task_definition" "t" { family = module.b.x }
"#;
        let ids = merged(&[
            ("main.tf", root),
            ("svc/main.tf", CHILD),
            (
                "svc/outputs.tf",
                "output \"x\" { value = aws_ecs_service.s.id }\n",
            ),
            ("queue/main.tf", CHILD_WITH_BASE),
        ]);
        assert_eq!(
            ids,
            [
                "aws_ecs_task_definition.t",
                "aws_vpc.v",
                "module.a [runtime]",
                "module.b [runtime]",
                "module.q [base]",
                "module.q [runtime]"
            ]
        );
    }

    #[test]
    fn calls_whose_dependencies_are_alike_are_alike_and_chains_stay() {
        // y1 depends on x1 and y2 on x2: x1 and x2 are alike because y1 and y2 are, and the
        // other way round. z1 -> z2 -> z3 is a chain: each link is somewhere else in it.
        let root = r#"
module "x1" { source = "./svc" }
module "x2" { source = "./svc" }
module "y1" {
  source     = "./svc"
  depends_on = [module.x1]
}
module "y2" {
  source     = "./svc"
  depends_on = [module.x2]
}
module "z1" { source = "./svc" }
module "z2" {
  source     = "./svc"
  depends_on = [module.z1]
}
module "z3" {
  source     = "./svc"
  depends_on = [module.z2]
}
"#;
        assert_eq!(
            merged(&[("main.tf", root), ("svc/main.tf", CHILD)]),
            [
                "module.x1 +1 alike [runtime]",
                "module.y1 +1 alike [runtime]",
                "module.z1 [runtime]",
                "module.z2 [runtime]",
                "module.z3 [runtime]"
            ]
        );
    }
}
