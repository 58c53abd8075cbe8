//! Walks over a [`ResourceGraph`] that look through hubs and only ever yield units: direct
//! neighbours, reachability, folds over neighbours with hub summaries memoised, and the
//! dependents-first order. Nothing here builds or changes a graph.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::{Direction, EdgeKind, ResourceGraph, UnitId};

/// What the hubs behind a fold lead to, kept across the folds of one pass
/// ([`ResourceGraph::fold_adjacent`]).
#[derive(Debug)]
pub struct HubMemo<S>(HashMap<usize, Option<S>>);

impl<S> Default for HubMemo<S> {
    fn default() -> Self {
        HubMemo(HashMap::new())
    }
}

impl ResourceGraph {
    /// Every node's direct edges along `direction`.
    fn edges(&self, direction: Direction) -> &[BTreeMap<usize, EdgeKind>] {
        match direction {
            Direction::Dependencies => &self.deps,
            Direction::Dependents => &self.rdeps,
        }
    }

    /// The units unit `u` depends on directly, looking through hubs, with the weakest edge kind
    /// on the strongest path. Linear in what it returns; for one unit at a time (a pass over
    /// every unit uses [`ResourceGraph::fold_adjacent`]).
    pub fn unit_deps(&self, u: UnitId) -> BTreeMap<UnitId, EdgeKind> {
        self.adjacent_units(Direction::Dependencies, u.0)
    }

    /// The units that depend on unit `u` directly, looking through hubs.
    pub fn unit_dependents(&self, u: UnitId) -> BTreeMap<UnitId, EdgeKind> {
        self.adjacent_units(Direction::Dependents, u.0)
    }

    /// [`ResourceGraph::unit_deps`] or [`ResourceGraph::unit_dependents`], by `direction`.
    fn adjacent_units(&self, direction: Direction, n: usize) -> BTreeMap<UnitId, EdgeKind> {
        let edges = self.edges(direction);
        let mut out = BTreeMap::new();
        // Value edges first: a unit reached by an all-value path is a value dependency.
        for kind in [EdgeKind::Value, EdgeKind::Provider] {
            let mut seen: BTreeSet<usize> = BTreeSet::new();
            let mut stack = vec![n];
            while let Some(m) = stack.pop() {
                for (&t, &k) in &edges[m] {
                    if k > kind || !seen.insert(t) {
                        continue;
                    }
                    if self.is_unit(t) {
                        out.entry(UnitId(t)).or_insert(kind);
                    } else {
                        stack.push(t);
                    }
                }
            }
        }
        out
    }

    /// Every unit's direct dependencies gathered into groups: `group(d)` names the group of
    /// unit `d` (`None`: leave it out), and each unit gets the groups it depends on directly,
    /// looking through hubs, with the weakest edge kind on the strongest path, as
    /// [`ResourceGraph::unit_deps`] gives it per unit. What lies behind a hub is gathered once,
    /// so a `depends_on = [module.m]` on many calls costs one pass over `m`, not one per pair.
    pub fn grouped_deps(
        &self,
        group: impl Fn(UnitId) -> Option<usize>,
    ) -> Vec<BTreeMap<usize, EdgeKind>> {
        let mut memo: HashMap<usize, BTreeMap<usize, EdgeKind>> = HashMap::new();
        (0..self.units.len())
            .map(|u| self.gather(u, &group, &mut memo))
            .collect()
    }

    /// The groups node `n` depends on directly (see [`ResourceGraph::grouped_deps`]).
    fn gather(
        &self,
        n: usize,
        group: &impl Fn(UnitId) -> Option<usize>,
        memo: &mut HashMap<usize, BTreeMap<usize, EdgeKind>>,
    ) -> BTreeMap<usize, EdgeKind> {
        let mut out: BTreeMap<usize, EdgeKind> = BTreeMap::new();
        let keep = |g: usize, k: EdgeKind, out: &mut BTreeMap<usize, EdgeKind>| {
            let e = out.entry(g).or_insert(k);
            *e = (*e).min(k);
        };
        for (&t, &k) in &self.deps[n] {
            if self.is_unit(t) {
                if let Some(g) = group(UnitId(t)) {
                    keep(g, k, &mut out);
                }
                continue;
            }
            if !memo.contains_key(&t) {
                let behind = self.gather(t, group, memo);
                memo.insert(t, behind);
            }
            for (&g, &via) in &memo[&t] {
                keep(g, k.max(via), &mut out);
            }
        }
        out
    }

    /// Units reachable from `seeds` along `direction` (not including the seeds unless reached
    /// again); `value_only` follows only value edges.
    pub fn reach(
        &self,
        direction: Direction,
        seeds: impl IntoIterator<Item = UnitId>,
        value_only: bool,
    ) -> BTreeSet<UnitId> {
        let edges = self.edges(direction);
        // A bitmap keeps the walk linear in the edges it follows.
        let mut seen = vec![false; edges.len()];
        let mut queue: Vec<usize> = Vec::new();
        let visit = |from: usize, seen: &mut Vec<bool>, queue: &mut Vec<usize>| {
            for (&t, &k) in &edges[from] {
                if (!value_only || k == EdgeKind::Value) && !seen[t] {
                    seen[t] = true;
                    queue.push(t);
                }
            }
        };
        for s in seeds {
            visit(s.0, &mut seen, &mut queue);
        }
        while let Some(u) = queue.pop() {
            visit(u, &mut seen, &mut queue);
        }
        seen[..self.units.len()]
            .iter()
            .enumerate()
            .filter_map(|(u, &s)| s.then_some(UnitId(u)))
            .collect()
    }

    /// Folds `leaf` over the units adjacent to node `n` along `direction`, looking through hubs:
    /// `merge` combines summaries, and a hub's summary is computed once and kept in `memo`.
    /// This is how a pass over every unit asks about its direct neighbours in linear time. The
    /// memo is valid while `leaf` gives the same answers for the units behind the hubs in it.
    pub fn fold_adjacent<S: Clone>(
        &self,
        direction: Direction,
        u: UnitId,
        leaf: &impl Fn(UnitId) -> Option<S>,
        merge: &impl Fn(S, S) -> S,
        memo: &mut HubMemo<S>,
    ) -> Option<S> {
        self.fold_behind(direction, u.0, leaf, merge, memo)
    }

    /// [`ResourceGraph::fold_adjacent`] from node `n`, a unit or a hub.
    fn fold_behind<S: Clone>(
        &self,
        direction: Direction,
        n: usize,
        leaf: &impl Fn(UnitId) -> Option<S>,
        merge: &impl Fn(S, S) -> S,
        memo: &mut HubMemo<S>,
    ) -> Option<S> {
        let nodes = self.edges(direction)[n].keys().copied();
        self.fold_nodes(direction, nodes, leaf, merge, memo)
    }

    /// [`ResourceGraph::fold_adjacent`] over the dependencies written in the arguments of unit
    /// `u` that `named` picks (`role = aws_iam_role.x.name`), looking through hubs.
    pub fn fold_arguments<S: Clone>(
        &self,
        u: UnitId,
        named: impl Fn(&str) -> bool,
        leaf: &impl Fn(UnitId) -> Option<S>,
        merge: &impl Fn(S, S) -> S,
        memo: &mut HubMemo<S>,
    ) -> Option<S> {
        let nodes = self.arg_deps[u.0]
            .iter()
            .filter(|(name, _)| named(name))
            .flat_map(|(_, set)| set.iter().copied());
        self.fold_nodes(Direction::Dependencies, nodes, leaf, merge, memo)
    }

    /// `merge` over [`ResourceGraph::fold_node`] of each of `nodes`.
    fn fold_nodes<S: Clone>(
        &self,
        direction: Direction,
        nodes: impl Iterator<Item = usize>,
        leaf: &impl Fn(UnitId) -> Option<S>,
        merge: &impl Fn(S, S) -> S,
        memo: &mut HubMemo<S>,
    ) -> Option<S> {
        let mut acc: Option<S> = None;
        for n in nodes {
            let s = self.fold_node(direction, n, leaf, merge, memo);
            acc = match (acc, s) {
                (Some(a), Some(b)) => Some(merge(a, b)),
                (a, b) => a.or(b),
            };
        }
        acc
    }

    /// [`ResourceGraph::fold_adjacent`] seen from a node: `leaf(n)` for a unit, and for a hub
    /// the fold over the units behind it, computed once and kept in `memo`.
    fn fold_node<S: Clone>(
        &self,
        direction: Direction,
        n: usize,
        leaf: &impl Fn(UnitId) -> Option<S>,
        merge: &impl Fn(S, S) -> S,
        memo: &mut HubMemo<S>,
    ) -> Option<S> {
        if self.is_unit(n) {
            return leaf(UnitId(n));
        }
        if let Some(s) = memo.0.get(&n) {
            return s.clone();
        }
        let s = self.fold_behind(direction, n, leaf, merge, memo);
        memo.0.insert(n, s.clone());
        s
    }

    /// Unit ids in an order where every unit comes after all units that depend on it (through
    /// hubs), taking the smallest ready unit first. Hubs are passed as soon as they are ready,
    /// so the order is the one the unit-level graph would give.
    pub fn dependents_first(&self) -> Vec<UnitId> {
        let n = self.deps.len();
        let mut remaining: Vec<usize> = self.rdeps.iter().map(BTreeMap::len).collect();
        let mut ready: BTreeSet<usize> = BTreeSet::new();
        let mut hubs: Vec<usize> = Vec::new();
        for (i, &r) in remaining.iter().enumerate() {
            if r == 0 {
                if self.is_unit(i) {
                    ready.insert(i);
                } else {
                    hubs.push(i);
                }
            }
        }
        let mut order = Vec::with_capacity(self.units.len());
        loop {
            let next = match hubs.pop() {
                Some(h) => h,
                None => match ready.pop_first() {
                    Some(u) => {
                        order.push(UnitId(u));
                        u
                    }
                    None => break,
                },
            };
            for &d in self.deps[next].keys() {
                remaining[d] -= 1;
                if remaining[d] == 0 {
                    if self.is_unit(d) {
                        ready.insert(d);
                    } else {
                        hubs.push(d);
                    }
                }
            }
        }
        debug_assert_eq!(order.len(), self.units.len(), "{n} nodes, acyclic");
        order
    }
}
