//! Projects the acyclic build graph onto units (resources, data sources, opaque module calls)
//! and hubs (module expansion and close nodes): each depends directly on the units and hubs it
//! reaches through variables, locals, outputs and provider configurations. Owns the numbering
//! of a [`ResourceGraph`]'s nodes; not the build (`build.rs`), nor leaving out units without
//! instances (`environment.rs`).

use std::collections::{BTreeMap, BTreeSet};

use petgraph::algo::toposort;
use petgraph::graph::NodeIndex;
use petgraph::visit::EdgeRef;

use crate::load::address::{Mode, ModulePath};
use crate::load::model::Repetition;

use super::build::{Builder, Node, NodeKind};
use super::{reverse, EdgeKind, Hub, HubRole, ResourceGraph, Unit, UnitKind};

impl Builder<'_> {
    /// Projects the graph onto units and hubs: each depends directly on the units and hubs it
    /// reaches through variables, locals, outputs and provider configurations.
    pub(super) fn project(mut self) -> ResourceGraph {
        // A module directory called twice reports the same reference twice.
        self.warnings.sort();
        self.warnings.dedup();
        let reach = self.reach_through_others();
        let units = self.units();
        let hubs = self.hubs();
        let nodes: Vec<NodeIndex> = units
            .iter()
            .map(|(n, _)| *n)
            .chain(hubs.iter().map(|(n, _)| *n))
            .collect();
        let mut position: Vec<usize> = vec![usize::MAX; self.graph.node_count()];
        for (i, n) in nodes.iter().enumerate() {
            position[n.index()] = i;
        }
        let deps: Vec<BTreeMap<usize, EdgeKind>> = nodes
            .iter()
            .map(|n| {
                reach[n.index()]
                    .iter()
                    .filter(|(u, _)| u != n)
                    .map(|(u, k)| (position[u.index()], *k))
                    .collect()
            })
            .collect();
        let rdeps = reverse(&deps);
        let modules = self.module_repetitions();
        let arg_deps = self.arg_deps(&units, &reach, &position);
        ResourceGraph {
            units: units.into_iter().map(|(_, u)| u).collect(),
            hubs: hubs.into_iter().map(|(_, h)| h).collect(),
            deps,
            rdeps,
            modules,
            absent: Vec::new(),
            arg_deps,
            warnings: self.warnings,
        }
    }

    /// Whether node `n` is kept in the projection: a unit or a hub.
    fn is_projected(&self, n: NodeIndex) -> bool {
        let kind = &self.graph[n].kind;
        kind.is_unit() || kind.is_hub()
    }

    /// For every node, the units and hubs reachable from it through other nodes, with the edge
    /// kind (sorted by node, one entry per node).
    fn reach_through_others(&self) -> Vec<Vec<(NodeIndex, EdgeKind)>> {
        let g = &self.graph;
        // Reverse topological order: dependencies before dependents.
        let mut order = toposort(g, None).expect("cycles were rejected");
        order.reverse();
        let mut reach: Vec<Vec<(NodeIndex, EdgeKind)>> = vec![Vec::new(); g.node_count()];
        for &n in &order {
            let mut mine: Vec<(NodeIndex, EdgeKind)> = Vec::new();
            for e in g.edges(n) {
                let (t, kind) = (e.target(), *e.weight());
                if self.is_projected(t) {
                    mine.push((t, kind));
                } else {
                    mine.extend(reach[t.index()].iter().map(|&(u, k)| (u, k.max(kind))));
                }
            }
            // The strongest path to each: the smallest kind comes first after sorting.
            mine.sort_unstable();
            mine.dedup_by_key(|(u, _)| *u);
            reach[n.index()] = mine;
        }
        reach
    }

    /// The units with their nodes, sorted by address.
    fn units(&self) -> Vec<(NodeIndex, Unit)> {
        let g = &self.graph;
        let mut units: Vec<(NodeIndex, Unit)> = g
            .node_indices()
            .filter(|&n| g[n].kind.is_unit())
            .map(|n| (n, unit_of(&g[n])))
            .collect();
        units.sort_by(|a, b| a.1.address.cmp(&b.1.address));
        units
    }

    /// The hubs with their nodes, sorted by module and role.
    fn hubs(&self) -> Vec<(NodeIndex, Hub)> {
        let g = &self.graph;
        let mut hubs: Vec<(NodeIndex, Hub)> = g
            .node_indices()
            .filter_map(|n| match &g[n].kind {
                NodeKind::Expansion(m) => Some((
                    n,
                    Hub {
                        module: m.clone(),
                        role: HubRole::Expansion,
                    },
                )),
                NodeKind::Close(m) => Some((
                    n,
                    Hub {
                        module: m.clone(),
                        role: HubRole::Close,
                    },
                )),
                _ => None,
            })
            .collect();
        hubs.sort_by(|a, b| a.1.cmp(&b.1));
        hubs
    }

    /// Every resolved module call (not the root) with how it repeats.
    fn module_repetitions(&self) -> BTreeMap<ModulePath, Repetition> {
        self.scopes
            .iter()
            .zip(&self.config.modules)
            .filter_map(|(scope, module)| {
                scope
                    .parent
                    .map(|(_, _, item)| (module.path.clone(), item.repetition))
            })
            .collect()
    }

    /// Parallel to `units`: the units and hubs each tracked argument of a unit references,
    /// at their `position` in the projection.
    fn arg_deps(
        &self,
        units: &[(NodeIndex, Unit)],
        reach: &[Vec<(NodeIndex, EdgeKind)>],
        position: &[usize],
    ) -> Vec<Vec<(String, BTreeSet<usize>)>> {
        units
            .iter()
            .map(|(n, _)| {
                self.arg_nodes
                    .get(n)
                    .map(|args| {
                        args.iter()
                            .map(|(name, nodes)| {
                                let mut set = BTreeSet::new();
                                for &t in nodes {
                                    if self.is_projected(t) {
                                        set.insert(position[t.index()]);
                                    } else {
                                        set.extend(
                                            reach[t.index()]
                                                .iter()
                                                .map(|(u, _)| position[u.index()]),
                                        );
                                    }
                                }
                                (name.clone(), set)
                            })
                            .collect()
                    })
                    .unwrap_or_default()
            })
            .collect()
    }
}

/// The unit a resource or opaque module node stands for.
fn unit_of(node: &Node) -> Unit {
    let item = node.item.expect("units are declared");
    match &node.kind {
        NodeKind::Resource(addr) => Unit {
            address: addr.to_string(),
            kind: if addr.mode == Mode::Data {
                UnitKind::Data
            } else {
                UnitKind::Managed
            },
            resource_type: addr.kind.clone(),
            module: addr.module.clone(),
            location: item.location.clone(),
            tags: item.tags.clone(),
            repetition: item.repetition,
            arguments: BTreeMap::new(),
        },
        NodeKind::Opaque(path) => Unit {
            address: path.to_string(),
            kind: UnitKind::OpaqueModule,
            resource_type: "module".into(),
            module: path.parent().unwrap_or_default(),
            location: item.location.clone(),
            tags: BTreeMap::new(),
            repetition: item.repetition,
            arguments: BTreeMap::new(),
        },
        _ => unreachable!("filtered to units"),
    }
}
