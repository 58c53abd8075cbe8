//! Terraform's targeting rules checked from the outside: take the rendered `-target` strings,
//! select what Terraform would select for them (a module address takes every resource inside,
//! all instances), close over dependencies (apply) or dependents (destroy) with a naive walk,
//! and check that the result covers the scope and never crosses into a scope it must not touch.
//! The walk runs on the full static graph, where units without instances in the environment are
//! still nodes (as in Terraform's graph): they pass dependencies on but are never selected.

use std::collections::BTreeSet;
use std::path::Path;

use tfscope::graph::{EdgeKind, ResourceGraph, UnitKind};
use tfscope::load::address::{parse_address, ResourceAddr};
use tfscope::target::{self, Action, Selection};

/// Units a rendered target selects (in the full graph; absent ones included, filtered later).
fn selected(graph: &ResourceGraph, rendered: &str) -> BTreeSet<usize> {
    let (module, resource) = parse_address(rendered).expect("rendered targets parse");
    match resource {
        None => (0..graph.units.len())
            .filter(|&u| {
                let unit = &graph.units[u];
                unit.module.starts_with(&module)
                    || (unit.kind == UnitKind::OpaqueModule && unit.address == module.to_string())
            })
            .collect(),
        Some((mode, kind, name)) => {
            let addr = ResourceAddr {
                module,
                mode,
                kind,
                name,
            }
            .to_string();
            graph.find(&addr).map(|u| u.index()).into_iter().collect()
        }
    }
}

/// Naive transitive closure, seeds included: every node (units and the module hubs after
/// them), then only the units.
fn closure(
    graph: &ResourceGraph,
    edges: &[std::collections::BTreeMap<usize, EdgeKind>],
    seeds: &BTreeSet<usize>,
    value_only: bool,
) -> BTreeSet<usize> {
    let mut seen = seeds.clone();
    let mut stack: Vec<usize> = seeds.iter().copied().collect();
    while let Some(u) = stack.pop() {
        for (&v, &k) in &edges[u] {
            if (!value_only || k == EdgeKind::Value) && seen.insert(v) {
                stack.push(v);
            }
        }
    }
    seen.retain(|&n| graph.is_unit(n));
    seen
}

fn check_root(root: &Path, env: Option<&Path>) -> usize {
    let a = tfscope::analysis::analyse(root, None, env).unwrap();
    let (graph, class, instances) = (&a.graph, &a.class, &a.instances);
    assert!(
        class.violations.is_empty(),
        "{}: fixture has violations",
        root.display()
    );
    // Terraform's view: every unit of the configuration, with or without instances.
    let full = tfscope::graph::build(&a.loaded, &Default::default()).unwrap();
    let dependents = full.dependents();
    let present = |f: usize| !instances.is_absent(&full.units[f].address);
    // Scope of a unit of the full graph, when it is present.
    let scope = |f: usize| {
        let u = graph
            .find(&full.units[f].address)
            .expect("present units are in the graph");
        class.units[u].scope
    };
    let mut checked = 0;
    for (k, _) in class.each_scope() {
        for action in [Action::Apply, Action::Destroy] {
            for expand in [false, true] {
                let (want, allowed) = target::wanted(graph, class, Selection::Scope(k), action);
                let t = target::compute(graph, want.clone(), allowed, action, expand);
                let rendered = target::render(graph, &t.targets, instances).unwrap();
                let want: BTreeSet<usize> = want
                    .iter()
                    .map(|&u| full.find(&graph.units[u].address).unwrap().index())
                    .collect();
                checked += 1;
                if want.is_empty() {
                    assert!(rendered.is_empty(), "{rendered:?}");
                    continue;
                }
                assert!(
                    !rendered.is_empty(),
                    "{}: targets for a non-empty set render to nothing",
                    root.display()
                );
                let mut seeds = BTreeSet::new();
                for r in &rendered {
                    let s: BTreeSet<usize> = selected(&full, r)
                        .into_iter()
                        .filter(|&f| present(f))
                        .collect();
                    assert!(!s.is_empty(), "{r} selects nothing that exists");
                    seeds.extend(s);
                }
                let ctx = format!(
                    "{} scope {} {:?} expand={expand}: {rendered:?}",
                    root.display(),
                    class.scopes[k.index()],
                    action
                );
                match action {
                    Action::Apply => {
                        let c = closure(&full, &full.deps, &seeds, false);
                        for u in &want {
                            assert!(c.contains(u), "{ctx}: misses {}", full.units[*u].address);
                        }
                        for &u in c.iter().filter(|&&f| present(f)) {
                            assert!(
                                scope(u) <= k,
                                "{ctx}: applies later-scope {}",
                                full.units[u].address
                            );
                        }
                    }
                    Action::Destroy => {
                        for &u in &seeds {
                            assert_ne!(
                                full.units[u].kind,
                                UnitKind::Data,
                                "{ctx}: targets a data source"
                            );
                        }
                        // What Terraform certainly destroys (recorded dependencies) covers the
                        // scope and every later one...
                        let certain = closure(&full, dependents, &seeds, true);
                        for u in (0..full.units.len()).filter(|&f| present(f)) {
                            if scope(u) >= k && full.units[u].kind != UnitKind::Data {
                                assert!(
                                    certain.contains(&u),
                                    "{ctx}: leaves {}",
                                    full.units[u].address
                                );
                            }
                        }
                        // ...and even counting provider edges nothing earlier is touched.
                        let possible = closure(&full, dependents, &seeds, false);
                        for &u in possible.iter().filter(|&&f| present(f)) {
                            assert!(
                                scope(u) >= k,
                                "{ctx}: destroys earlier-scope {}",
                                full.units[u].address
                            );
                        }
                    }
                }
            }
        }
    }
    checked
}

#[test]
fn targets_cover_their_scope_and_never_cross_it() {
    let base = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut checked = check_root(
        &base.join("modules"),
        Some(&base.join("environments/dev.tfvars")),
    );
    checked += check_root(
        &base.join("modules"),
        Some(&base.join("environments/prod.tfvars")),
    );
    for name in [
        "promotion",
        "count_for_each",
        "nested_modules",
        "remote_module",
        "layers",
    ] {
        checked += check_root(&base.join("tests/fixtures").join(name), None);
    }
    checked += check_root(
        &base.join("tests/fixtures/count_for_each"),
        Some(&base.join("tests/fixtures/count_for_each/environments/prod.tfvars")),
    );
    // 2 scopes x 2 actions x 2 modes per root, 5 scopes for layers.
    assert_eq!(
        checked,
        8 * 2 + 8 * 4 + 20 + 8,
        "every root, scope, action and mode was checked"
    );
}
