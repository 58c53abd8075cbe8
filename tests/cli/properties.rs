//! Terraform's targeting rules checked from the outside: take the rendered `-target` strings,
//! select what Terraform would select for them (a module address takes every resource inside,
//! all instances), close over dependencies (apply) or dependents (destroy) with a naive walk,
//! and check that the result covers the scope and never crosses into a scope it must not touch.

use std::collections::BTreeSet;
use std::path::Path;

use tfscope::address::{parse_address, ResourceAddr};
use tfscope::catalog::Catalog;
use tfscope::classify::classify;
use tfscope::config::Config;
use tfscope::graph::{EdgeKind, ResourceGraph, UnitKind};
use tfscope::instances::Instances;
use tfscope::target::{self, Action, Selection};

/// Units a rendered target selects.
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
            graph.find(&addr).into_iter().collect()
        }
    }
}

/// Naive transitive closure, seeds included.
fn closure(
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
    seen
}

fn check_root(root: &Path, env: Option<&Path>) -> usize {
    let loaded = tfscope::load::load(root).unwrap();
    let graph = tfscope::graph::build(&loaded).unwrap();
    let config = Config::discover(root, None).unwrap();
    let class = classify(&graph, &config, &Catalog::builtin());
    assert!(
        class.violations.is_empty(),
        "{}: fixture has violations",
        root.display()
    );
    let instances = Instances::evaluate(&loaded, env).unwrap();
    let dependents = graph.dependents();
    let scope = |u: usize| class.units[u].scope;
    let mut checked = 0;
    for k in 0..class.scopes.len() {
        for action in [Action::Apply, Action::Destroy] {
            for expand in [false, true] {
                let (want, allowed) =
                    target::wanted(&graph, &class, Selection::Scope(k), action, &instances);
                let t = target::compute(&graph, want.clone(), allowed, action, expand);
                let rendered = target::render(&graph, &t.targets, &instances).unwrap();
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
                    let s = selected(&graph, r);
                    assert!(!s.is_empty(), "{r} selects nothing");
                    seeds.extend(s);
                }
                let ctx = format!(
                    "{} scope {} {:?} expand={expand}: {rendered:?}",
                    root.display(),
                    class.scopes[k],
                    action
                );
                match action {
                    Action::Apply => {
                        let c = closure(&graph.deps, &seeds, false);
                        for u in &want {
                            assert!(c.contains(u), "{ctx}: misses {}", graph.units[*u].address);
                        }
                        for &u in &c {
                            assert!(
                                scope(u) <= k,
                                "{ctx}: applies later-scope {}",
                                graph.units[u].address
                            );
                        }
                    }
                    Action::Destroy => {
                        for &u in &seeds {
                            assert_ne!(
                                graph.units[u].kind,
                                UnitKind::Data,
                                "{ctx}: targets a data source"
                            );
                        }
                        // What Terraform certainly destroys (recorded dependencies) covers the
                        // scope and every later one...
                        let certain = closure(dependents, &seeds, true);
                        for u in 0..graph.units.len() {
                            let real = target::exists(&graph, &instances, u);
                            if real && scope(u) >= k && graph.units[u].kind != UnitKind::Data {
                                assert!(
                                    certain.contains(&u),
                                    "{ctx}: leaves {}",
                                    graph.units[u].address
                                );
                            }
                        }
                        // ...and even counting provider edges nothing earlier is touched.
                        let possible = closure(dependents, &seeds, false);
                        for &u in &possible {
                            assert!(
                                scope(u) >= k,
                                "{ctx}: destroys earlier-scope {}",
                                graph.units[u].address
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
