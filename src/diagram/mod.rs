//! The picture of a classified configuration that `tfscope graph` draws: resources as nodes
//! grouped by module and coloured by scope, stateful ones marked, edges that cross scopes
//! flagged, optionally each node's state (up/down/missing) and monthly cost. [`Diagram`] is
//! the one model every format renders: its JSON is `--format json` (and what the HTML viewer
//! reads), and `dot.rs`, `mermaid.rs` and `html.rs` draw it. Building it is deterministic:
//! everything is sorted by address.
//!
//! Past [`AUTO_COLLAPSE_ABOVE`] units the picture collapses by module ([`Collapse::Module`]):
//! one node per top-level module call and scope, and, when the root module itself is large,
//! one node per root resource type and scope. Edges are aggregated between collapsed nodes. When
//! that still leaves more than [`AUTO_COLLAPSE_ABOVE`] nodes, module calls that look alike from
//! outside share one node per scope (`alike.rs`).

pub mod alike;
pub mod dot;
pub mod html;
pub mod mermaid;

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::classify::config::ScopeId;
use crate::classify::Classification;
use crate::graph::{EdgeKind, ResourceGraph, UnitId, UnitKind};
use crate::run::status::State;
use crate::target::explain::ScopeEffects;

/// The format tag of the JSON document.
pub const FORMAT: &str = "tfscope-graph/1";

/// Without `--collapse`, graphs with more units than this collapse by module.
pub const AUTO_COLLAPSE_ABOVE: usize = 400;

/// In a collapsed picture, a root module with more units than this shows one node per resource
/// type and scope instead of one per resource.
pub const ROOT_TYPES_ABOVE: usize = 60;

/// How many dependencies and dependents a node's explain text lists (the page draws them all as
/// edges and links anyway).
pub const EXPLAIN_LISTS: usize = 30;

/// The colour of each scope by its rank (cycling past the last); also what the HTML viewer,
/// DOT and Mermaid use, so every picture agrees.
const PALETTE: [&str; 8] = [
    "#2f6fde", "#e8890c", "#1a9e6a", "#a0522d", "#d23f4f", "#1596b0", "#7a9a12", "#c2428f",
];

/// The colour scope number `rank` is drawn in.
pub fn scope_color(rank: usize) -> &'static str {
    PALETTE[rank % PALETTE.len()]
}

/// How much the picture groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Collapse {
    /// One node per resource, data source and opaque module call.
    None,
    /// One node per top-level module call and scope (see the module doc).
    Module,
}

/// What to draw beside the graph and the classification.
#[derive(Debug, Clone, Default)]
pub struct Options<'a> {
    /// The root directory as the user gave it (shown in titles).
    pub root: String,
    pub env: Option<String>,
    /// Show only this scope, with its direct neighbours in other scopes.
    pub focus: Option<ScopeId>,
    /// `None`: decide by size ([`AUTO_COLLAPSE_ABOVE`]).
    pub collapse: Option<Collapse>,
    /// Managed resources present in Terraform state, when `--state` was given.
    pub present: Option<&'a BTreeSet<String>>,
    /// Monthly cost per unit address, when `--cost` was given.
    pub costs: Option<&'a BTreeMap<String, f64>>,
    /// Whether to explain every node (the HTML viewer shows it on a click).
    pub explain: bool,
    /// Only these unit addresses (what one phase of a plan touches).
    pub only: Option<&'a BTreeSet<String>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Diagram {
    pub format: &'static str,
    pub root: String,
    pub env: Option<String>,
    /// The scope `--scope` focused on.
    pub scope: Option<String>,
    pub collapse: Collapse,
    /// Whether nodes carry a state status.
    pub state: bool,
    /// Whether nodes and scopes carry a monthly cost.
    pub cost: bool,
    pub scopes: Vec<ScopeSummary>,
    pub groups: Vec<Group>,
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ScopeSummary {
    pub name: String,
    pub rank: usize,
    pub color: &'static str,
    /// Nodes of this scope in the picture.
    pub nodes: usize,
    /// Units of this scope in the picture (a collapsed node counts what it stands for).
    pub resources: usize,
    pub monthly_usd: Option<f64>,
}

/// A module (a box around its resources); only in uncollapsed pictures.
#[derive(Debug, Clone, Serialize)]
pub struct Group {
    pub id: String,
    pub label: String,
    pub parent: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NodeKind {
    Managed,
    Data,
    OpaqueModule,
    /// A collapsed module call, or the root's resources of one type.
    Module,
}

/// A node's resources in Terraform state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// In state.
    Up,
    /// Not in state, and neither is anything else of its scope.
    Down,
    /// Not in state although its scope is (partly) up.
    Missing,
}

#[derive(Debug, Clone, Serialize)]
pub struct Node {
    /// Unique: the address, or for a collapsed node `module.NAME [scope]` (`module.NAME +N alike
    /// [scope]` for N + 1 calls that look alike).
    pub id: String,
    /// The resource's address, the module call's (`module.NAME`), the root type, or for calls
    /// that look alike `module.NAME +N alike`.
    pub address: String,
    /// What to draw: the address without its module prefix, or the module call (or root
    /// resource type) of a collapsed node, whose count is `resources`.
    pub label: String,
    #[serde(rename = "type")]
    pub resource_type: String,
    pub kind: NodeKind,
    pub group: Option<String>,
    pub scope: String,
    #[serde(skip)]
    pub rank: usize,
    pub stateful: bool,
    /// How many units the node stands for.
    pub resources: usize,
    pub status: Option<Status>,
    pub monthly_usd: Option<f64>,
    /// `monthly_usd` before rounding to cents, for the scope totals.
    #[serde(skip)]
    pub monthly_exact: f64,
    /// Shown only as a direct neighbour of the focused scope.
    pub neighbour: bool,
    /// What `tfscope explain` says of it (empty unless asked for).
    pub explain: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Edge {
    /// The node that depends on `to`.
    pub from: String,
    pub to: String,
    pub kind: EdgeKind,
    pub cross_scope: bool,
    /// How many of `from`'s units depend on something in `to` (1 uncollapsed).
    pub count: usize,
}

impl Diagram {
    /// The node with this id.
    pub fn node(&self, id: &str) -> Option<&Node> {
        self.nodes
            .binary_search_by(|n| n.id.as_str().cmp(id))
            .ok()
            .map(|i| &self.nodes[i])
    }
}

/// The diagram of `graph` as classified by `class`.
pub fn build(graph: &ResourceGraph, class: &Classification, options: &Options<'_>) -> Diagram {
    let mut shown = shown_units(graph, class, options.focus);
    if let Some(only) = options.only {
        shown.retain(|u, _| only.contains(&graph.units[*u].address));
    }
    let collapse = options
        .collapse
        .unwrap_or(if shown.len() > AUTO_COLLAPSE_ABOVE {
            Collapse::Module
        } else {
            Collapse::None
        });
    let status = options.present.map(|p| unit_status(graph, class, p));
    let effects = options.explain.then(|| ScopeEffects::compute(graph, class));

    let mut members = members(graph, class, &shown, collapse);
    if collapse == Collapse::Module && members.len() > AUTO_COLLAPSE_ABOVE {
        members = alike::merge_alike_calls(graph, class, members);
    }
    let mut node_of: Vec<Option<usize>> = vec![None; graph.units.len()];
    for (i, units) in members.values().enumerate() {
        for &u in units {
            node_of[u.index()] = Some(i);
        }
    }

    let nodes: Vec<Node> = members
        .iter()
        .map(|(id, units)| {
            let node = NodeParts {
                graph,
                class,
                id,
                units,
                // Collapsed pictures keep a small root's resources as themselves.
                single: collapse == Collapse::None || *id == graph.units[units[0]].address,
            };
            let mut n = node.node(options.costs, status.as_deref());
            n.neighbour = units.iter().all(|u| shown[u]);
            if let Some(effects) = &effects {
                n.explain = node.explain(effects);
            }
            n
        })
        .collect();

    let edges = edges(graph, &nodes, &node_of);
    let groups = match collapse {
        Collapse::None => groups(nodes.iter().filter_map(|n| n.group.as_deref())),
        Collapse::Module => Vec::new(),
    };
    let scopes = scope_summaries(class, &nodes, options.costs.is_some());
    Diagram {
        format: FORMAT,
        root: options.root.clone(),
        env: options.env.clone(),
        scope: options.focus.map(|k| class.scopes[k.index()].clone()),
        collapse,
        state: options.present.is_some(),
        cost: options.costs.is_some(),
        scopes,
        groups,
        nodes,
        edges,
    }
}

/// The units of each node, by node id: each shown unit itself, or collapsed into its top-level
/// module call's node for its scope (a large root's resources into one node per type and scope).
fn members(
    graph: &ResourceGraph,
    class: &Classification,
    shown: &BTreeMap<UnitId, bool>,
    collapse: Collapse,
) -> BTreeMap<String, Vec<UnitId>> {
    let root_units = shown
        .keys()
        .filter(|&&u| graph.units[u].module.is_root())
        .count();
    let key = |u: UnitId| -> String {
        let unit = &graph.units[u];
        match collapse {
            Collapse::None => unit.address.clone(),
            Collapse::Module => match unit.module.0.first() {
                Some(call) => format!("module.{call} [{}]", class.scope_name(u)),
                // A module call tfscope cannot see into stays itself; data sources group apart.
                None if root_units > ROOT_TYPES_ABOVE => match unit.kind {
                    UnitKind::OpaqueModule => unit.address.clone(),
                    UnitKind::Data => {
                        format!("data.{} [{}]", unit.resource_type, class.scope_name(u))
                    }
                    UnitKind::Managed => {
                        format!("{} [{}]", unit.resource_type, class.scope_name(u))
                    }
                },
                None => unit.address.clone(),
            },
        }
    };
    let mut members: BTreeMap<String, Vec<UnitId>> = BTreeMap::new();
    for &u in shown.keys() {
        members.entry(key(u)).or_default().push(u);
    }
    members
}

/// The edges between nodes: unit dependencies gathered per node pair, the strongest kind kept.
fn edges(graph: &ResourceGraph, nodes: &[Node], node_of: &[Option<usize>]) -> Vec<Edge> {
    let deps = graph.grouped_deps(|d| node_of[d.index()]);
    let mut edges: BTreeMap<(usize, usize), (EdgeKind, usize)> = BTreeMap::new();
    for u in graph.unit_ids() {
        let Some(from) = node_of[u.index()] else {
            continue;
        };
        for (&to, &kind) in &deps[u.index()] {
            // An edge between two neighbours of the focused scope is not about it.
            if to == from || nodes[from].neighbour && nodes[to].neighbour {
                continue;
            }
            let e = edges.entry((from, to)).or_insert((kind, 0));
            e.0 = e.0.min(kind);
            e.1 += 1;
        }
    }
    edges
        .into_iter()
        .map(|((from, to), (kind, count))| Edge {
            from: nodes[from].id.clone(),
            to: nodes[to].id.clone(),
            kind,
            cross_scope: nodes[from].rank != nodes[to].rank,
            count,
        })
        .collect()
}

/// Each scope's nodes, resources and cost in the picture (neighbours count for nobody).
fn scope_summaries(class: &Classification, nodes: &[Node], cost: bool) -> Vec<ScopeSummary> {
    class
        .each_scope()
        .map(|(k, name)| {
            let mine = nodes.iter().filter(|n| n.rank == k.index() && !n.neighbour);
            let (count, resources, monthly) = mine.fold((0, 0, 0.0), |(c, r, m), n| {
                (c + 1, r + n.resources, m + n.monthly_exact)
            });
            ScopeSummary {
                name: name.clone(),
                rank: k.index(),
                color: scope_color(k.index()),
                nodes: count,
                resources,
                monthly_usd: cost.then(|| round_cents(monthly)),
            }
        })
        .collect()
}

/// The units in the picture, each with whether it is only a neighbour of the focused scope.
fn shown_units(
    graph: &ResourceGraph,
    class: &Classification,
    focus: Option<ScopeId>,
) -> BTreeMap<UnitId, bool> {
    let Some(k) = focus else {
        return graph.unit_ids().map(|u| (u, false)).collect();
    };
    let inside = |u: UnitId| class.units[u].scope == k;
    let deps = graph.grouped_deps(|d| Some(d.index()));
    let mut shown: BTreeMap<UnitId, bool> = BTreeMap::new();
    for u in graph.unit_ids() {
        let near = deps[u.index()].keys().map(|&d| UnitId::at(d));
        if inside(u) {
            shown.insert(u, false);
            for d in near {
                shown.entry(d).or_insert(true);
            }
        } else if near.clone().any(inside) {
            shown.entry(u).or_insert(true);
        }
    }
    shown
}

/// Each managed unit's status against the resources present in state.
fn unit_status(
    graph: &ResourceGraph,
    class: &Classification,
    present: &BTreeSet<String>,
) -> Vec<Option<Status>> {
    let scope_state = crate::run::status::status(graph, class, present, None).scopes;
    graph
        .unit_ids()
        .map(|u| {
            let unit = &graph.units[u];
            if unit.kind != UnitKind::Managed {
                return None;
            }
            Some(if present.contains(&unit.address) {
                Status::Up
            } else if scope_state[class.units[u].scope.index()].status == State::Down {
                Status::Down
            } else {
                Status::Missing
            })
        })
        .collect()
}

/// One node's units, and how to describe them.
struct NodeParts<'a> {
    graph: &'a ResourceGraph,
    class: &'a Classification,
    id: &'a str,
    units: &'a [UnitId],
    /// An uncollapsed node: one unit, drawn as itself.
    single: bool,
}

impl NodeParts<'_> {
    fn node(
        &self,
        costs: Option<&BTreeMap<String, f64>>,
        status: Option<&[Option<Status>]>,
    ) -> Node {
        let (graph, class) = (self.graph, self.class);
        let first = self.units[0];
        let unit = &graph.units[first];
        let scope = class.units[first].scope;
        let exact: f64 = costs.map_or(0.0, |c| {
            self.units
                .iter()
                .filter_map(|u| c.get(&graph.units[*u].address))
                .sum()
        });
        let monthly = costs.map(|_| round_cents(exact));
        let status = status.and_then(|s| combine(self.units.iter().filter_map(|u| s[u.index()])));
        let stateful = self.units.iter().any(|&u| class.units[u].stateful);
        if self.single {
            let prefix = unit.module.prefix();
            return Node {
                id: self.id.to_string(),
                address: unit.address.clone(),
                label: unit
                    .address
                    .strip_prefix(&prefix)
                    .unwrap_or(&unit.address)
                    .to_string(),
                resource_type: unit.resource_type.clone(),
                kind: match unit.kind {
                    UnitKind::Managed => NodeKind::Managed,
                    UnitKind::Data => NodeKind::Data,
                    UnitKind::OpaqueModule => NodeKind::OpaqueModule,
                },
                group: (!unit.module.is_root()).then(|| unit.module.to_string()),
                scope: class.scopes[scope.index()].clone(),
                rank: scope.index(),
                stateful,
                resources: 1,
                status,
                monthly_usd: monthly
                    .filter(|_| costs.is_some_and(|c| c.contains_key(&unit.address))),
                monthly_exact: exact,
                neighbour: false,
                explain: String::new(),
            };
        }
        let calls = self.calls();
        let (address, label) = match calls.first() {
            Some(call) if calls.len() > 1 => {
                let alike = format!("module.{call} +{} {}", calls.len() - 1, alike::ALIKE);
                (alike.clone(), alike)
            }
            Some(call) => (format!("module.{call}"), format!("module.{call}")),
            None if unit.kind == UnitKind::Data => {
                let t = format!("data.{}", unit.resource_type);
                (t.clone(), t)
            }
            None => (unit.resource_type.clone(), unit.resource_type.clone()),
        };
        Node {
            id: self.id.to_string(),
            label,
            address,
            resource_type: "module".to_string(),
            kind: NodeKind::Module,
            group: None,
            scope: class.scopes[scope.index()].clone(),
            rank: scope.index(),
            stateful,
            resources: self.units.len(),
            status,
            monthly_usd: monthly,
            monthly_exact: exact,
            neighbour: false,
            explain: String::new(),
        }
    }

    /// The top-level module calls the node's units are in, sorted.
    fn calls(&self) -> BTreeSet<&str> {
        self.units
            .iter()
            .filter_map(|&u| self.graph.units[u].module.0.first().map(String::as_str))
            .collect()
    }

    /// What `explain` says: of the unit itself, or a list of what a collapsed node holds.
    fn explain(&self, effects: &ScopeEffects<'_>) -> String {
        if self.single {
            return crate::output::report::explain_text_listing(
                &effects.explain(self.units[0]),
                EXPLAIN_LISTS,
            );
        }
        const LISTED: usize = 40;
        let calls = self.calls();
        let mut out = format!(
            "{} stands for {} in {}",
            self.id,
            crate::output::report::count(self.units.len(), "resource"),
            self.class.scope_name(self.units[0])
        );
        let listed: Vec<String> = if calls.len() > 1 {
            out.push_str(&format!(
                " of {} that look alike (the same scopes, dependencies and dependents)",
                crate::output::report::count(calls.len(), "module call")
            ));
            calls.iter().map(|c| format!("module.{c}")).collect()
        } else {
            let addresses = self.units.iter().take(LISTED + 1);
            addresses
                .map(|&u| self.graph.units[u].address.clone())
                .collect()
        };
        out.push_str(":\n");
        for item in listed.iter().take(LISTED) {
            out.push_str(&format!("  {item}\n"));
        }
        let total = if calls.len() > 1 {
            calls.len()
        } else {
            self.units.len()
        };
        if total > LISTED {
            out.push_str(&format!("  ... and {} more\n", total - LISTED));
        }
        out.push_str(
            "run `tfscope graph --collapse none` or `tfscope explain ADDRESS` for one of them\n",
        );
        out
    }
}

/// The status of a node from its managed units' statuses; `None` when it has none. A node holds
/// one scope, so its units are all down or all up-or-missing; one missing makes it missing.
fn combine(statuses: impl Iterator<Item = Status>) -> Option<Status> {
    statuses.reduce(|a, b| if a == b { a } else { Status::Missing })
}

/// Every module box the nodes sit in, with its parents, sorted by id.
fn groups<'a>(modules: impl Iterator<Item = &'a str>) -> Vec<Group> {
    let mut ids: BTreeSet<String> = BTreeSet::new();
    for m in modules {
        // `module.a.module.b` has parent `module.a`.
        let steps: Vec<&str> = m.split(".module.").collect();
        for i in 1..=steps.len() {
            ids.insert(steps[..i].join(".module."));
        }
    }
    ids.into_iter()
        .map(|id| Group {
            parent: id.rsplit_once(".module.").map(|(p, _)| p.to_string()),
            label: id
                .rsplit_once(".module.")
                .map_or(id.clone(), |(_, c)| format!("module.{c}")),
            id,
        })
        .collect()
}

fn round_cents(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// A Mermaid rendering that GitHub draws when one can be had: with `options.collapse` unset,
/// the picture as [`build`] chooses it, and when that is past GitHub's limits, collapsed by
/// module. `too_large` says why the last try is still not drawn, if it is not.
pub struct FittedMermaid {
    pub mermaid: mermaid::Mermaid,
    pub collapse: Collapse,
    pub too_large: Option<String>,
}

pub fn mermaid_fitting(
    graph: &ResourceGraph,
    class: &Classification,
    options: &Options<'_>,
) -> FittedMermaid {
    let d = build(graph, class, options);
    let mut fitted = FittedMermaid {
        mermaid: mermaid::render(&d),
        collapse: d.collapse,
        too_large: None,
    };
    fitted.too_large = fitted.mermaid.too_large();
    if fitted.too_large.is_some() && options.collapse.is_none() && d.collapse == Collapse::None {
        let options = Options {
            collapse: Some(Collapse::Module),
            ..options.clone()
        };
        let collapsed = mermaid::render(&build(graph, class, &options));
        fitted = FittedMermaid {
            too_large: collapsed.too_large(),
            mermaid: collapsed,
            collapse: Collapse::Module,
        };
    }
    fitted
}

/// The picture's title: the root, environment, focus and grouping.
pub fn title(d: &Diagram) -> String {
    let mut t = format!(
        "tfscope graph of {}",
        if d.root.is_empty() { "." } else { &d.root }
    );
    if let Some(env) = &d.env {
        t.push_str(&format!(", env {env}"));
    }
    if let Some(s) = &d.scope {
        t.push_str(&format!(", scope {s} with its direct neighbours"));
    }
    if d.collapse == Collapse::Module {
        t.push_str(", collapsed by module");
    }
    t
}

#[cfg(test)]
mod tests {
    //! The picture of a small two-scope configuration: colours, groups, cross-scope edges, the
    //! focus on one scope, collapsing, state and cost.

    use super::*;
    use crate::testing::analyse;

    const ROOT: &str = r#"
resource "aws_vpc" "main" {}
resource "aws_subnet" "a" { vpc_id = aws_vpc.main.id }
resource "aws_db_instance" "db" { db_subnet_group_name = aws_subnet.a.id }
resource "aws_ecs_cluster" "c" {}
resource "aws_ecs_service" "s" {
  cluster = aws_ecs_cluster.c.id
  network_configuration { subnets = [aws_subnet.a.id] }
}
module "app" {
  source = "./app"
  subnet = aws_subnet.a.id
}
"#;
    const APP: &str = r#"
variable "subnet" {}
resource "aws_iam_role" "r" {}
resource "aws_ecs_service" "x" {
  iam_role = aws_iam_role.r.arn
  network_configuration { subnets = [var.subnet] }
}
"#;

    fn picture(options: &Options<'_>) -> Diagram {
        let (graph, class) = analyse(&[("main.tf", ROOT), ("app/main.tf", APP)], "");
        build(&graph, &class, options)
    }

    fn node<'d>(d: &'d Diagram, id: &str) -> &'d Node {
        d.node(id)
            .unwrap_or_else(|| panic!("{id} is drawn: {:?}", ids(d)))
    }

    fn ids(d: &Diagram) -> Vec<&str> {
        d.nodes.iter().map(|n| n.id.as_str()).collect()
    }

    fn edge<'d>(d: &'d Diagram, from: &str, to: &str) -> Option<&'d Edge> {
        d.edges.iter().find(|e| e.from == from && e.to == to)
    }

    #[test]
    fn nodes_take_their_scope_and_modules_become_groups() {
        let d = picture(&Options::default());
        assert_eq!(d.collapse, Collapse::None);
        assert_eq!(node(&d, "aws_vpc.main").scope, "base");
        assert!(node(&d, "aws_db_instance.db").stateful);
        assert!(!node(&d, "aws_subnet.a").stateful);
        let x = node(&d, "module.app.aws_ecs_service.x");
        assert_eq!(
            (x.scope.as_str(), x.label.as_str()),
            ("runtime", "aws_ecs_service.x")
        );
        assert_eq!(x.group.as_deref(), Some("module.app"));
        assert_eq!(d.groups.len(), 1);
        assert_eq!(d.scopes[0].color, scope_color(0));
        assert_ne!(d.scopes[0].color, d.scopes[1].color);
        let counts: Vec<usize> = d.scopes.iter().map(|s| s.nodes).collect();
        assert_eq!(counts, [3, 4]);
    }

    #[test]
    fn edges_point_at_dependencies_and_flag_the_ones_across_scopes() {
        let d = picture(&Options::default());
        let cross = edge(&d, "aws_ecs_service.s", "aws_subnet.a").expect("service -> subnet");
        assert!(cross.cross_scope);
        let inner = edge(&d, "aws_ecs_service.s", "aws_ecs_cluster.c").expect("service -> cluster");
        assert!(!inner.cross_scope);
        // Through the module's variable, as Terraform wires it.
        assert!(edge(&d, "module.app.aws_ecs_service.x", "aws_subnet.a").is_some());
        assert!(edge(&d, "aws_subnet.a", "aws_ecs_service.s").is_none());
    }

    #[test]
    fn a_focused_scope_keeps_only_its_direct_neighbours() {
        let (graph, class) = analyse(&[("main.tf", ROOT), ("app/main.tf", APP)], "");
        let runtime = ScopeId::all(class.scopes.len()).nth(1).unwrap();
        let d = build(
            &graph,
            &class,
            &Options {
                focus: Some(runtime),
                ..Default::default()
            },
        );
        assert!(d.node("aws_vpc.main").is_none(), "{:?}", ids(&d));
        assert!(d.node("aws_db_instance.db").is_none());
        assert!(node(&d, "aws_subnet.a").neighbour);
        assert!(!node(&d, "aws_ecs_service.s").neighbour);
        assert_eq!(
            d.scopes[0].nodes, 0,
            "neighbours do not count for their scope"
        );
        assert_eq!(d.scope.as_deref(), Some("runtime"));
    }

    #[test]
    fn collapsing_draws_a_module_call_per_scope_with_edges_added_up() {
        let d = picture(&Options {
            collapse: Some(Collapse::Module),
            ..Default::default()
        });
        let app = node(&d, "module.app [runtime]");
        assert_eq!((app.kind, app.resources), (NodeKind::Module, 2));
        assert!(d.groups.is_empty());
        // The root is small: its resources stay themselves.
        assert!(d.node("aws_vpc.main").is_some());
        let e = edge(&d, "module.app [runtime]", "aws_subnet.a").expect("module -> subnet");
        assert!(e.cross_scope);
        assert!(
            d.edges.iter().all(|e| e.from != e.to),
            "edges inside a collapsed node are dropped"
        );
    }

    #[test]
    fn state_marks_up_down_and_missing() {
        let present: BTreeSet<String> = ["aws_vpc.main", "aws_subnet.a"].map(String::from).into();
        let d = picture(&Options {
            present: Some(&present),
            ..Default::default()
        });
        assert_eq!(node(&d, "aws_vpc.main").status, Some(Status::Up));
        assert_eq!(
            node(&d, "aws_db_instance.db").status,
            Some(Status::Missing),
            "base is up, so a base resource out of state is missing"
        );
        assert_eq!(node(&d, "aws_ecs_service.s").status, Some(Status::Down));
        let collapsed = picture(&Options {
            present: Some(&present),
            collapse: Some(Collapse::Module),
            ..Default::default()
        });
        assert_eq!(
            node(&collapsed, "module.app [runtime]").status,
            Some(Status::Down)
        );
    }

    #[test]
    fn costs_add_up_per_node_and_per_scope() {
        let costs: BTreeMap<String, f64> = [
            ("aws_db_instance.db".to_string(), 12.5),
            ("module.app.aws_ecs_service.x".to_string(), 3.25),
            ("aws_ecs_service.s".to_string(), 1.0),
        ]
        .into();
        let d = picture(&Options {
            costs: Some(&costs),
            collapse: Some(Collapse::Module),
            ..Default::default()
        });
        assert_eq!(node(&d, "module.app [runtime]").monthly_usd, Some(3.25));
        assert_eq!(node(&d, "aws_vpc.main").monthly_usd, None, "unpriced");
        let totals: Vec<Option<f64>> = d.scopes.iter().map(|s| s.monthly_usd).collect();
        assert_eq!(totals, [Some(12.5), Some(4.25)]);
    }

    #[test]
    fn explain_text_is_kept_per_node_when_asked() {
        let d = picture(&Options {
            explain: true,
            ..Default::default()
        });
        let s = &node(&d, "aws_ecs_service.s").explain;
        assert!(s.contains("scope:     runtime"), "{s}");
        assert!(s.contains("aws_subnet.a (base)"), "{s}");
        assert!(picture(&Options::default()).nodes[0].explain.is_empty());
    }

    /// A root with `calls` calls of one module holding a base and a runtime resource.
    fn many_calls(calls: usize) -> (ResourceGraph, Classification) {
        let mut root = String::from("resource \"aws_vpc\" \"v\" {}\n");
        for i in 0..calls {
            root.push_str(&format!(
                "module \"svc{i:03}\" {{\n  source = \"./svc\"\n  vpc = aws_vpc.v.id\n}}\n"
            ));
        }
        let svc = r#"
variable "vpc" {}
resource "aws_sqs_queue" "q" { name = var.vpc }
resource "aws_ecs_service" "s" { cluster = aws_sqs_queue.q.id }
"#;
        analyse(&[("main.tf", &root), ("svc/main.tf", svc)], "")
    }

    #[test]
    fn past_the_threshold_module_calls_that_look_alike_share_a_node() {
        // 210 calls: 421 nodes collapsed by module, and every call looks like every other.
        let (graph, class) = many_calls(210);
        let options = Options {
            explain: true,
            ..Default::default()
        };
        let d = build(&graph, &class, &options);
        assert_eq!(d.collapse, Collapse::Module);
        assert_eq!(
            ids(&d),
            [
                "aws_vpc.v",
                "module.svc000 +209 alike [base]",
                "module.svc000 +209 alike [runtime]"
            ]
        );
        let runtime = node(&d, "module.svc000 +209 alike [runtime]");
        assert_eq!(runtime.label, "module.svc000 +209 alike");
        assert_eq!(runtime.address, "module.svc000 +209 alike");
        assert_eq!(runtime.resources, 210);
        let said = &runtime.explain;
        assert!(
            said.contains("210 resources in runtime of 210 module calls"),
            "{said}"
        );
        assert!(
            said.contains("  module.svc039\n  ... and 170 more\n"),
            "{said}"
        );
        let e = edge(
            &d,
            "module.svc000 +209 alike [runtime]",
            "module.svc000 +209 alike [base]",
        )
        .expect("runtime -> base inside the calls");
        assert_eq!((e.count, e.cross_scope), (210, true));
        assert_eq!(d.scopes[0].resources, 211);
    }

    #[test]
    fn a_large_root_groups_by_type_with_data_sources_and_opaque_calls_apart() {
        let mut root = String::new();
        for i in 0..ROOT_TYPES_ABOVE + 1 {
            root.push_str(&format!("resource \"aws_s3_bucket\" \"b{i}\" {{}}\n"));
        }
        root.push_str(
            r#"
data "aws_s3_bucket" "d" { bucket = "x" }
resource "aws_ecs_cluster" "c" { name = data.aws_s3_bucket.d.id }
module "eks" {
  source  = "terraform-aws-modules/eks/aws"
  version = "20.0.0"
}
module "vpc" { source = "git::https://example.com/vpc.git" }
"#,
        );
        let (graph, class) = analyse(&[("main.tf", &root)], "");
        let d = build(
            &graph,
            &class,
            &Options {
                collapse: Some(Collapse::Module),
                ..Default::default()
            },
        );
        let buckets = node(&d, "aws_s3_bucket [base]");
        assert_eq!(buckets.resources, ROOT_TYPES_ABOVE + 1);
        let data = d
            .nodes
            .iter()
            .find(|n| n.id.starts_with("data.aws_s3_bucket ["))
            .unwrap_or_else(|| panic!("a node for the data source: {:?}", ids(&d)));
        assert_eq!(
            (data.label.as_str(), data.resources),
            ("data.aws_s3_bucket", 1)
        );
        for call in ["module.eks", "module.vpc"] {
            assert_eq!(node(&d, call).kind, NodeKind::OpaqueModule);
        }
    }

    #[test]
    fn below_the_threshold_each_module_call_keeps_its_node() {
        let (graph, class) = many_calls(150);
        let options = Options {
            collapse: Some(Collapse::Module),
            ..Default::default()
        };
        let d = build(&graph, &class, &options);
        assert_eq!(d.nodes.len(), 301);
        assert_eq!(node(&d, "module.svc149 [runtime]").label, "module.svc149");
    }

    #[test]
    fn mermaid_collapses_by_module_when_github_would_not_draw_it_whole() {
        // 40 queues in a module, each reading every earlier one: 780 edges, more than Mermaid's 500.
        let mut module = String::new();
        for i in 0..40 {
            let refs: Vec<String> = (0..i).map(|j| format!("aws_sqs_queue.q{j}.arn")).collect();
            module.push_str(&format!(
                "resource \"aws_sqs_queue\" \"q{i}\" {{\n  policy = jsonencode([{}])\n}}\n",
                refs.join(", ")
            ));
        }
        let (graph, class) = analyse(
            &[
                ("main.tf", "module \"m\" {\n  source = \"./m\"\n}\n"),
                ("m/main.tf", &module),
            ],
            "",
        );
        let whole = mermaid::render(&build(&graph, &class, &Options::default()));
        assert!(
            whole.too_large().is_some_and(|w| w.contains("edges")),
            "{}",
            whole.edges
        );
        let fitted = mermaid_fitting(&graph, &class, &Options::default());
        assert_eq!(fitted.collapse, Collapse::Module);
        assert_eq!(fitted.too_large, None);
        assert!(
            fitted.mermaid.text.contains("module.m ×40"),
            "{}",
            fitted.mermaid.text
        );
        // Asked for every resource, it keeps them and says why GitHub will not draw it.
        let forced = Options {
            collapse: Some(Collapse::None),
            ..Default::default()
        };
        let fitted = mermaid_fitting(&graph, &class, &forced);
        assert_eq!(fitted.collapse, Collapse::None);
        assert!(fitted.too_large.is_some());
    }

    #[test]
    fn dot_and_mermaid_draw_the_cross_scope_edge_in_purple() {
        let d = picture(&Options::default());
        let text = dot::render(&d);
        let line = text
            .lines()
            .find(|l| l.contains(r#""aws_subnet.a" -> "aws_ecs_service.s""#))
            .expect("drawn from the dependency");
        assert!(line.contains(dot::CROSS_SCOPE), "{line}");
        assert!(text.contains(r#"subgraph "cluster_module.app""#));
        assert_eq!(
            text,
            dot::render(&picture(&Options::default())),
            "deterministic"
        );
        let m = mermaid::render(&d);
        assert!(m.text.contains("linkStyle"), "{}", m.text);
        assert!(m.too_large().is_none());
    }
}
