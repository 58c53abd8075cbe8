//! Settles the first decisions through the graph, round after round until nothing moves:
//! attachments and grants go with what they join, units move to the earliest scope of what
//! depends on them, and data sources to their readers. Owns only these moves; the first decisions
//! and the violations stay in [`super`].

use std::collections::{BTreeMap, HashMap};

use crate::classify::config::{Config, ScopeId};
use crate::classify::{Classified, Decision};
use crate::graph::{Direction, HubMemo, ResourceGraph, UnitId, UnitKind};
use crate::load::address::ModulePath;

/// Promotion, attachments and data sources, until nothing moves. Each round:
/// - a grant (`principal` in the catalog) takes the scope of the principal it names, and any
///   other attachment (`follows`) the latest scope among the managed resources it joins;
/// - every unit that is not explicit moves to the earliest scope among the units that depend on
///   it (dependents first, so promotion travels down whole chains);
/// - a data source takes the scope of the earliest unit that reads it; one that no unit reads
///   takes the latest scope of what it reads and of the resources of its own module, so it
///   never splits a module or pulls a later scope in.
///
/// Scopes only ever move earlier from the first round on, so this ends; an attachment is
/// settled again after the resources it joins have been promoted, and a data source after all
/// its readers have.
pub(super) fn settle(
    graph: &ResourceGraph,
    config: &Config,
    follows: &[Option<Vec<String>>],
    units: &mut [Classified],
) {
    let settling = Settling::new(graph, config, follows, units);
    let mut first = true;
    loop {
        let mut moved = settling.follow_attachments(units, first);
        moved |= settling.promote(units, first);
        if !moved && !first {
            return;
        }
        first = false;
    }
}

/// What every round of [`settle`] reads: the graph in both orders, each unit's reason before
/// settling, and the modules.
struct Settling<'g> {
    graph: &'g ResourceGraph,
    config: &'g Config,
    follows: &'g [Option<Vec<String>>],
    dependents_first: Vec<UnitId>,
    dependencies_first: Vec<UnitId>,
    catalog_reason: Vec<String>,
    /// The managed resources of each module, for unread data sources.
    managed_in: HashMap<&'g ModulePath, Vec<UnitId>>,
    /// Each unit's module as a number, for the same-module preference of promotion.
    module_of: Vec<usize>,
}

/// What an attachment joins: the managed resource `to` and its scope; `grant` when `to` is the
/// principal the attachment grants to.
struct Joined {
    scope: ScopeId,
    to: UnitId,
    grant: bool,
}

impl<'g> Settling<'g> {
    /// Orders the graph and numbers its modules once, for all rounds.
    fn new(
        graph: &'g ResourceGraph,
        config: &'g Config,
        follows: &'g [Option<Vec<String>>],
        units: &[Classified],
    ) -> Settling<'g> {
        let dependents_first = graph.dependents_first();
        let mut dependencies_first = dependents_first.clone();
        dependencies_first.reverse();
        let catalog_reason: Vec<String> = units.iter().map(|c| c.reason.clone()).collect();
        let mut managed_in: HashMap<&ModulePath, Vec<UnitId>> = HashMap::new();
        for d in graph.unit_ids() {
            let unit = &graph.units[d];
            if unit.kind == UnitKind::Managed {
                managed_in.entry(&unit.module).or_default().push(d);
            }
        }
        let mut module_ids: HashMap<&ModulePath, usize> = HashMap::new();
        let module_of: Vec<usize> = graph
            .units
            .iter()
            .map(|unit| {
                let next = module_ids.len();
                *module_ids.entry(&unit.module).or_insert(next)
            })
            .collect();
        Settling {
            graph,
            config,
            follows,
            dependents_first,
            dependencies_first,
            catalog_reason,
            managed_in,
            module_of,
        }
    }

    /// Attachments and grants, dependencies first so chains resolve; whether any moved. What a
    /// hub leads to was settled before any unit behind it reads it, so its summary is kept for
    /// the round.
    fn follow_attachments(&self, units: &mut [Classified], first: bool) -> bool {
        let mut moved = false;
        let mut latest_behind = HubMemo::default();
        for &u in &self.dependencies_first {
            let Some(principal_args) = &self.follows[u] else {
                continue;
            };
            let Some(joined) = self.joined(u, principal_args, units, &mut latest_behind) else {
                continue;
            };
            moved |= self.follow(u, joined, units, first);
        }
        moved
    }

    /// What attachment `u` joins: the principal named by `principal_args` if any, else the
    /// latest of all it depends on; among managed resources, the latest scope, the first
    /// address on a tie.
    fn joined(
        &self,
        u: UnitId,
        principal_args: &[String],
        units: &[Classified],
        latest_behind: &mut HubMemo<(ScopeId, UnitId)>,
    ) -> Option<Joined> {
        let graph = self.graph;
        let leaf =
            |d: UnitId| (graph.units[d].kind == UnitKind::Managed).then(|| (units[d].scope, d));
        let later = |a: (ScopeId, UnitId), b: (ScopeId, UnitId)| {
            let a_wins =
                a.0.cmp(&b.0)
                    .then_with(|| graph.units[b.1].address.cmp(&graph.units[a.1].address))
                    == std::cmp::Ordering::Greater;
            if a_wins {
                a
            } else {
                b
            }
        };
        let named = |name: &str| principal_args.iter().any(|a| a == name);
        let principal = graph.fold_arguments(u, named, &leaf, &later, latest_behind);
        let grant = principal.is_some();
        let latest = principal.or_else(|| {
            graph.fold_adjacent(Direction::Dependencies, u, &leaf, &later, latest_behind)
        });
        latest.map(|(scope, to)| Joined { scope, to, grant })
    }

    /// Moves attachment `u` to the scope of what it joins, with the reason; whether its scope
    /// changed.
    fn follow(&self, u: UnitId, joined: Joined, units: &mut [Classified], first: bool) -> bool {
        let Joined { scope, to, grant } = joined;
        // From the first round on, scopes only move earlier; where promotion already put
        // the unit where its principal (or what it joins) is, that is the better reason.
        let promoted_here =
            scope == units[u].scope && matches!(units[u].decision, Decision::Promoted { .. });
        if !first && scope >= units[u].scope && !promoted_here {
            return false;
        }
        let to_addr = self.graph.units[to].address.clone();
        let scope_name = &self.config.scopes[scope];
        let unit = &mut units[u];
        unit.reason = if grant {
            format!(
                "grants to {} ({}), so it goes with it; {}",
                to_addr, scope_name, self.catalog_reason[u]
            )
        } else {
            format!(
                "follows {} ({}), which it attaches to; {}",
                to_addr, scope_name, self.catalog_reason[u]
            )
        };
        let moved = unit.scope != scope;
        unit.scope = scope;
        unit.decision = Decision::Follows { to: to_addr };
        moved
    }

    /// Promotion and data sources, dependents first; whether any unit moved. As for
    /// attachments, what a hub leads to was settled before any unit behind it reads it.
    fn promote(&self, units: &mut [Classified], first: bool) -> bool {
        let mut moved = false;
        let mut earliest_behind = HubMemo::default();
        for &u in &self.dependents_first {
            let earliest = self.earliest_dependent(u, units, &mut earliest_behind);
            if units[u].decision == Decision::DataSource {
                moved |= self.place_data_source(u, earliest, units, first);
            } else if let Some((scope, by)) = earliest {
                moved |= self.promote_unit(u, scope, by, units);
            }
        }
        moved
    }

    /// The earliest scope among the units that depend on `u`, with the dependent that names it.
    fn earliest_dependent(
        &self,
        u: UnitId,
        units: &[Classified],
        earliest_behind: &mut HubMemo<Earliest>,
    ) -> Option<(ScopeId, UnitId)> {
        let leaf = |d: UnitId| Some(Earliest::of(d, units[d].scope, self.module_of[d]));
        let earlier = |a: Earliest, b: Earliest| a.merge(b, self.graph);
        self.graph
            .fold_adjacent(Direction::Dependents, u, &leaf, &earlier, earliest_behind)
            .map(|e| e.pick(self.module_of[u]))
    }

    /// Places data source `u` with the earliest unit that reads it, or, if none does, with
    /// what it reads and its module; after the first round only ever earlier. Whether it moved.
    fn place_data_source(
        &self,
        u: UnitId,
        earliest: Option<(ScopeId, UnitId)>,
        units: &mut [Classified],
        first: bool,
    ) -> bool {
        let (scope, reason) = match earliest {
            Some((scope, by)) => (
                scope,
                format!("data source read by {}", self.graph.units[by].address),
            ),
            None => self.unread_data_source(u, units),
        };
        if first || scope < units[u].scope {
            let moved = units[u].scope != scope;
            units[u].scope = scope;
            units[u].reason = reason;
            return moved;
        }
        false
    }

    /// The scope of data source `u`, which no unit reads, with the reason: the latest of what it
    /// reads and of the managed resources of its module, else the default scope.
    fn unread_data_source(&self, u: UnitId, units: &[Classified]) -> (ScopeId, String) {
        // What it reads has not been settled in this round yet: no summary is kept.
        let leaf = |d: UnitId| Some(units[d].scope);
        let reads = self.graph.fold_adjacent(
            Direction::Dependencies,
            u,
            &leaf,
            &std::cmp::max,
            &mut HubMemo::default(),
        );
        let module = self.module_latest(units, &self.graph.units[u].module);
        match reads.max(module) {
            Some(scope) => (
                scope,
                "data source read by no resource; it goes with what it reads and the resources of its module".to_string(),
            ),
            None => (
                self.config.default_scope,
                format!(
                    "data source read by no resource; default scope {}",
                    self.config.scopes[self.config.default_scope]
                ),
            ),
        }
    }

    /// The latest scope among the managed resources of `module`.
    fn module_latest(&self, units: &[Classified], module: &ModulePath) -> Option<ScopeId> {
        self.managed_in
            .get(module)
            .and_then(|ds| ds.iter().map(|&d| units[d].scope).max())
    }

    /// Moves unit `u` to `scope`, where its dependent `by` is, if that is earlier and the unit
    /// is not explicit; whether it moved.
    fn promote_unit(
        &self,
        u: UnitId,
        scope: ScopeId,
        by: UnitId,
        units: &mut [Classified],
    ) -> bool {
        let unit = &mut units[u];
        if scope < unit.scope && !unit.decision.is_explicit() {
            let by_addr = self.graph.units[by].address.clone();
            let scope_name = &self.config.scopes[scope];
            unit.reason = format!(
                "promoted to {}: {} ({}) depends on it; was {}",
                scope_name, by_addr, scope_name, unit.reason
            );
            unit.scope = scope;
            unit.decision = Decision::Promoted { by: by_addr };
            return true;
        }
        false
    }
}

/// The earliest scope among a unit's dependents, with the dependents at that scope that could
/// name it: the one with the first address, and the one with the first address in each module
/// (a dependent from the unit's own module is the likelier reason a reader looks for).
#[derive(Debug, Clone)]
struct Earliest {
    scope: ScopeId,
    first: UnitId,
    by_module: BTreeMap<usize, UnitId>,
}

impl Earliest {
    fn of(d: UnitId, scope: ScopeId, module: usize) -> Earliest {
        Earliest {
            scope,
            first: d,
            by_module: BTreeMap::from([(module, d)]),
        }
    }

    fn merge(self, other: Earliest, graph: &ResourceGraph) -> Earliest {
        let before = |a: UnitId, b: UnitId| graph.units[a].address <= graph.units[b].address;
        match self.scope.cmp(&other.scope) {
            std::cmp::Ordering::Less => self,
            std::cmp::Ordering::Greater => other,
            std::cmp::Ordering::Equal => {
                let (mut big, small) = if self.by_module.len() >= other.by_module.len() {
                    (self, other)
                } else {
                    (other, self)
                };
                if !before(big.first, small.first) {
                    big.first = small.first;
                }
                for (m, d) in small.by_module {
                    let slot = big.by_module.entry(m).or_insert(d);
                    if !before(*slot, d) {
                        *slot = d;
                    }
                }
                big
            }
        }
    }

    /// The dependent that names the promotion of a unit in `module`.
    fn pick(&self, module: usize) -> (ScopeId, UnitId) {
        let by = self.by_module.get(&module).copied().unwrap_or(self.first);
        (self.scope, by)
    }
}
