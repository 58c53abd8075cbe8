//! The graph in one environment ([`ResourceGraph::for_environment`]): units get their kept
//! arguments, and units without instances are left out with their edges contracted, not cut.
//! Evaluating the instances is not here (that is [`crate::eval::instances`]).

use std::collections::{BTreeMap, BTreeSet};

use crate::eval::instances::Instances;

use super::{reverse, Absent, EdgeKind, ResourceGraph, Unit};

impl ResourceGraph {
    /// The graph in the environment of `instances`: every unit gets its kept arguments
    /// evaluated (what a generic resource is), and the units that have no instance there are
    /// left out. Terraform records
    /// every transitive dependency in state, through nodes without instances too, so a unit
    /// that depended on something through an absent unit still depends on it: edges are
    /// contracted, not cut. An absent unit itself is never a target, never implies or cascades
    /// anything and never promotes anything.
    pub fn for_environment(mut self, instances: &Instances) -> ResourceGraph {
        for unit in &mut self.units {
            if let Some(e) = instances.get(&unit.address) {
                unit.arguments = e.arguments.clone();
            }
        }
        // Every node: units, then hubs, which are never absent.
        let gone: Vec<bool> = self
            .units
            .iter()
            .map(|u| instances.is_absent(&u.address))
            .chain(std::iter::repeat_n(false, self.hubs.len()))
            .collect();
        if !gone.contains(&true) {
            return self;
        }
        let through = contract_absent(&self.deps, &gone);
        let position = present_positions(&gone);
        let deps: Vec<BTreeMap<usize, EdgeKind>> = (0..self.deps.len())
            .filter(|&u| !gone[u])
            .map(|u| {
                contracted(&self.deps[u], &gone, &through)
                    .into_iter()
                    .map(|(t, kind)| (position[t].expect("present"), kind))
                    .collect()
            })
            .collect();
        let rdeps = reverse(&deps);
        let arg_deps = self.present_arg_deps(&gone, &through, &position);
        let (units, absent) = split_absent(self.units, self.absent, &gone, instances);
        ResourceGraph {
            units,
            hubs: self.hubs,
            deps,
            rdeps,
            modules: self.modules,
            absent,
            arg_deps,
            warnings: self.warnings,
        }
    }

    /// [`ResourceGraph::arg_deps`] of the units that are not `gone`, with absent units
    /// contracted and every node at its new `position`.
    fn present_arg_deps(
        &self,
        gone: &[bool],
        through: &[Option<BTreeMap<usize, EdgeKind>>],
        position: &[Option<usize>],
    ) -> Vec<Vec<(String, BTreeSet<usize>)>> {
        (0..self.units.len())
            .filter(|&u| !gone[u])
            .map(|u| {
                self.arg_deps[u]
                    .iter()
                    .map(|(name, set)| {
                        let mut mapped = BTreeSet::new();
                        for &t in set {
                            match position[t] {
                                Some(p) => {
                                    mapped.insert(p);
                                }
                                None => mapped.extend(
                                    through[t]
                                        .as_ref()
                                        .expect("computed")
                                        .keys()
                                        .map(|&x| position[x].expect("present")),
                                ),
                            }
                        }
                        (name.clone(), mapped)
                    })
                    .collect()
            })
            .collect()
    }
}

/// For every `gone` node, its dependencies with absent nodes contracted (`None` for the others).
fn contract_absent(
    deps: &[BTreeMap<usize, EdgeKind>],
    gone: &[bool],
) -> Vec<Option<BTreeMap<usize, EdgeKind>>> {
    let mut through: Vec<Option<BTreeMap<usize, EdgeKind>>> = vec![None; deps.len()];
    // Dependencies first: an absent dependency is contracted before its dependents need it.
    for u in dependencies_first(deps) {
        if gone[u] {
            let mine = contracted(&deps[u], gone, &through);
            through[u] = Some(mine);
        }
    }
    through
}

/// One node's dependencies `deps` with every `gone` one replaced by what it depends on
/// (`through`), each with the weakest edge kind on the strongest path.
fn contracted(
    deps: &BTreeMap<usize, EdgeKind>,
    gone: &[bool],
    through: &[Option<BTreeMap<usize, EdgeKind>>],
) -> BTreeMap<usize, EdgeKind> {
    let mut mine: BTreeMap<usize, EdgeKind> = BTreeMap::new();
    let mut add = |t: usize, kind: EdgeKind| {
        let slot = mine.entry(t).or_insert(kind);
        *slot = (*slot).min(kind);
    };
    for (&d, &k) in deps {
        if gone[d] {
            for (&t, &k2) in through[d].as_ref().expect("dependencies first") {
                add(t, k.max(k2));
            }
        } else {
            add(d, k);
        }
    }
    mine
}

/// The position of every node that is not `gone` once the gone ones are left out.
fn present_positions(gone: &[bool]) -> Vec<Option<usize>> {
    let mut next = 0;
    gone.iter()
        .map(|&g| {
            (!g).then(|| {
                next += 1;
                next - 1
            })
        })
        .collect()
}

/// Splits `units` into those that are not `gone` and the absent ones, which join `absent` with
/// why they have no instance (sorted by address).
fn split_absent(
    units: Vec<Unit>,
    mut absent: Vec<Absent>,
    gone: &[bool],
    instances: &Instances,
) -> (Vec<Unit>, Vec<Absent>) {
    let mut present = Vec::with_capacity(units.len());
    for (u, unit) in units.into_iter().enumerate() {
        if gone[u] {
            let why = instances
                .get(&unit.address)
                .and_then(|e| e.why_absent.clone())
                .unwrap_or_else(|| "it has no instances in this environment".into());
            absent.push(Absent {
                address: unit.address,
                kind: unit.kind,
                resource_type: unit.resource_type,
                location: unit.location,
                why,
            });
        } else {
            present.push(unit);
        }
    }
    absent.sort_by(|a, b| a.address.cmp(&b.address));
    (present, absent)
}

/// Unit indices in an order where every unit comes after all its dependencies.
fn dependencies_first(deps: &[BTreeMap<usize, EdgeKind>]) -> Vec<usize> {
    let n = deps.len();
    let mut remaining: Vec<usize> = deps.iter().map(BTreeMap::len).collect();
    let mut rdeps: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (u, d) in deps.iter().enumerate() {
        for &t in d.keys() {
            rdeps[t].push(u);
        }
    }
    let mut ready: Vec<usize> = (0..n).filter(|&u| remaining[u] == 0).collect();
    let mut order = Vec::with_capacity(n);
    while let Some(u) = ready.pop() {
        order.push(u);
        for &r in &rdeps[u] {
            remaining[r] -= 1;
            if remaining[r] == 0 {
                ready.push(r);
            }
        }
    }
    order
}
