//! End-to-end: real Terraform (1.0.3 and 1.15.5, from PyPI) against the mock provider, driven by
//! `tfscope targets` and checked against `tfscope plan --format json`. What it proves, per root
//! and Terraform version:
//! 1. after a full apply, destroying `targets --scope S --destroy` leaves exactly the earlier
//!    scopes, every object with the id it had;
//! 2. applying the targets of S and the later scopes brings everything back, earlier ids
//!    unchanged, and `plan -detailed-exitcode` then exits 0;
//! 3. from an empty state, applying `targets --scope <first>` creates exactly the first scope;
//! 4. for every scope and action, what `terraform plan -out` + `show -json` would create/delete
//!    is exactly what `tfscope plan --format json` promises;
//! 5. fixtures with three or more layers, nested modules, count/for_each and promotion;
//! 6. repeated down/up cycles never delete (or replace) an object of the first scope, as the mock
//!    provider's log shows;
//! 7. `tfscope render`'s resource-scopes.tf passes `terraform validate`;
//! 8. `tfscope tag` leaves `terraform fmt -check` and `validate` passing, and on an applied
//!    configuration Terraform then plans only in-place updates of tags and labels.

mod faults;
mod harness;
mod tag;
mod verified;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use harness::{config_address, repo, Workspace};

struct Root<'a> {
    dir: &'a Path,
    environments: Option<&'a Path>,
    env: Option<&'a str>,
    /// Down/up cycles of each scope after the first.
    cycles: usize,
}

fn scenario(version: &str, root: Root<'_>) {
    let ws = Workspace::new(version, root.dir, root.environments, root.env);
    let scopes = ws.scopes();
    let names: Vec<String> = scopes.names().to_vec();
    let ctx = |what: &str| format!("{} with Terraform {version}: {what}", root.dir.display());

    // The generated resource-scopes.tf is valid Terraform for this provider.
    let render = ws.tfscope(&["render", "."]);
    assert!(
        render.status.success(),
        "{}",
        String::from_utf8_lossy(&render.stderr)
    );
    ws.ok(&["validate", "-no-color"]);

    // Full apply from empty.
    ws.apply(&[]);
    let full = ws.state();
    assert!(!full.is_empty(), "{}", ctx("full apply created nothing"));
    let scope_of = |addr: &str| scopes.scope_of(&config_address(addr));
    let existing: BTreeSet<String> = full.keys().map(|a| config_address(a)).collect();
    let first_ids: BTreeSet<String> = full
        .iter()
        .filter(|(a, _)| scope_of(a) == 0)
        .map(|(_, id)| id.clone())
        .collect();

    // 4, destroy side: from the full state.
    for name in names.iter().map(String::as_str).chain(["all"]) {
        let promised: BTreeSet<String> = ws
            .promised(name, true)
            .intersection(&existing)
            .cloned()
            .collect();
        let planned = match ws.targets(name, true) {
            Some(targets) => ws.planned(&targets, true),
            None => BTreeSet::new(),
        };
        assert_eq!(
            planned,
            promised,
            "{}",
            ctx(&format!("destroy {name}: terraform plan vs tfscope plan"))
        );
    }

    // 1, 2 and 6: down and up every scope after the first. `current` follows the ids: a scope
    // that was brought down and up again has new ones.
    let mut current = full.clone();
    for k in 1..names.len() {
        for cycle in 0..root.cycles {
            if let Some(targets) = ws.targets(&names[k], true) {
                ws.destroy(&targets);
            }
            let kept: BTreeMap<String, String> = current
                .iter()
                .filter(|(a, _)| scope_of(a) < k)
                .map(|(a, id)| (a.clone(), id.clone()))
                .collect();
            assert_eq!(
                ws.state(),
                kept,
                "{}",
                ctx(&format!("after down {} (cycle {cycle})", names[k]))
            );
            for later in &names[k..] {
                if let Some(targets) = ws.targets(later, false) {
                    ws.apply(&targets);
                }
            }
            let back = ws.state();
            assert_eq!(
                back.keys().collect::<Vec<_>>(),
                full.keys().collect::<Vec<_>>(),
                "{}",
                ctx(&format!("after up {} (cycle {cycle})", names[k]))
            );
            for (addr, id) in &kept {
                assert_eq!(&back[addr], id, "{}", ctx(&format!("{addr} changed id")));
            }
            assert_eq!(
                ws.plan_exit_code(),
                0,
                "{}",
                ctx("plan after up is not clean")
            );
            current = back;
        }
    }
    for (action, id) in ws.log() {
        assert!(
            !(action == "delete" && first_ids.contains(&id)),
            "{}",
            ctx(&format!(
                "the mock provider deleted {id} of scope {}",
                names[0]
            ))
        );
    }

    // 3: from empty, the first scope alone.
    ws.destroy(&[]);
    assert!(
        ws.state().is_empty(),
        "{}",
        ctx("full destroy left objects")
    );
    // 4, apply side: from the empty state.
    for name in names.iter().map(String::as_str).chain(["all"]) {
        let promised: BTreeSet<String> = ws
            .promised(name, false)
            .intersection(&existing)
            .cloned()
            .collect();
        let planned = match ws.targets(name, false) {
            Some(targets) => ws.planned(&targets, false),
            None => BTreeSet::new(),
        };
        assert_eq!(
            planned,
            promised,
            "{}",
            ctx(&format!("apply {name}: terraform plan vs tfscope plan"))
        );
    }
    if let Some(targets) = ws.targets(&names[0], false) {
        ws.apply(&targets);
    }
    let created: BTreeSet<String> = ws.state().keys().cloned().collect();
    let first: BTreeSet<String> = full.keys().filter(|a| scope_of(a) == 0).cloned().collect();
    assert!(!first.is_empty());
    assert_eq!(
        created,
        first,
        "{}",
        ctx(&format!("apply {} from empty", names[0]))
    );
}

/// The daily workflow of seed 002 through Makefile.infra: everything up, `infra-down` (runtime),
/// `infra-status` shows runtime down, `infra-up SCOPE=runtime`, `infra-status` shows it up; base
/// objects keep their ids throughout.
fn makefile_workflow(version: &str) {
    let root = repo().join("modules");
    let ws = Workspace::new(
        version,
        &root,
        Some(&repo().join("environments")),
        Some("dev"),
    );
    let scopes = ws.scopes();
    let make = |args: &[&str]| {
        let out = ws.make(args);
        assert!(
            out.status.success(),
            "make {} with Terraform {version} failed:\n{}{}",
            args.join(" "),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    make(&["infra-up", "SCOPE=all", "ENV=dev", "AUTO=true"]);
    let full = ws.state();
    let base: BTreeMap<String, String> = full
        .iter()
        .filter(|(a, _)| scopes.scope_of(&config_address(a)) == 0)
        .map(|(a, id)| (a.clone(), id.clone()))
        .collect();
    let status = make(&["infra-status", "ENV=dev"]);
    assert!(status.contains("runtime  up"), "{status}");

    make(&["infra-down", "ENV=dev", "AUTO=true"]);
    assert_eq!(ws.state(), base, "infra-down keeps exactly base, same ids");
    let status = make(&["infra-status", "ENV=dev"]);
    assert!(
        status.contains("base     up") && status.contains("runtime  down"),
        "{status}"
    );

    make(&["infra-up", "SCOPE=runtime", "ENV=dev", "AUTO=true"]);
    let back = ws.state();
    assert_eq!(
        back.keys().collect::<Vec<_>>(),
        full.keys().collect::<Vec<_>>()
    );
    for (addr, id) in &base {
        assert_eq!(&back[addr], id, "{addr} changed id");
    }
    let status = make(&["infra-status", "ENV=dev"]);
    assert!(
        status.contains("base     up") && status.contains("runtime  up"),
        "{status}"
    );
    history_of_the_workflow(&ws);
}

/// Every phase of the workflow above appended its line to the root's history, and `cost
/// --actual` reads the runtime's time down back from it.
fn history_of_the_workflow(ws: &Workspace) {
    let history = ws.root.join(".tfscope/history.jsonl");
    let text = std::fs::read_to_string(&history).expect("up/down wrote the history");
    let lines: Vec<(String, String, String)> = text
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("a JSON line");
            assert_eq!(v["env"], "dev", "{l}");
            let s = |k: &str| v[k].as_str().unwrap().to_string();
            (s("scope"), s("action"), s("result"))
        })
        .collect();
    let line = |s: &str, a: &str| (s.to_string(), a.to_string(), "ok".to_string());
    assert_eq!(
        lines,
        [
            line("base", "up"),
            line("runtime", "up"),
            line("runtime", "down"),
            line("runtime", "up")
        ]
    );
    let out = ws.tfscope(&["cost", "--actual", "--env", "dev", "--format", "json", "."]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let runtime = &v["environments"][0]["scopes"][1];
    assert_eq!(runtime["scope"], "runtime", "{v}");
    assert_eq!(runtime["intervals"].as_array().unwrap().len(), 1, "{v}");
    assert_eq!(runtime["intervals"][0]["ongoing"], false, "{v}");
}

fn fixture(name: &str) -> std::path::PathBuf {
    repo().join("tests/fixtures").join(name)
}

macro_rules! both_versions {
    ($($name:ident => $root:expr;)*) => {
        mod terraform_1_0_3 {
            use super::*;
            $(#[test] fn $name() { scenario("1.0.3", $root) })*
            #[test] fn makefile_workflow() { super::makefile_workflow("1.0.3") }
            #[test] fn verified_workflow() { crate::verified::verified_workflow("1.0.3") }
            #[test] fn refuses_a_broken_promise() { crate::verified::refuses_a_broken_promise("1.0.3") }
            #[test] fn a_failed_phase_resumes() { crate::faults::a_failed_phase_resumes("1.0.3") }
            #[test] fn a_failed_down_leaves_a_consistent_state() { crate::faults::a_failed_down_leaves_a_consistent_state("1.0.3") }
            #[test] fn sigint_stops_terraform_gracefully() { crate::faults::sigint_stops_terraform_gracefully("1.0.3") }
            #[test] fn scope_tags_only_update_tags() { crate::tag::scope_tags_only_update_tags("1.0.3") }
        }
        mod terraform_1_15_5 {
            use super::*;
            $(#[test] fn $name() { scenario("1.15.5", $root) })*
            #[test] fn makefile_workflow() { super::makefile_workflow("1.15.5") }
            #[test] fn verified_workflow() { crate::verified::verified_workflow("1.15.5") }
            #[test] fn refuses_a_broken_promise() { crate::verified::refuses_a_broken_promise("1.15.5") }
            #[test] fn a_failed_phase_resumes() { crate::faults::a_failed_phase_resumes("1.15.5") }
            #[test] fn a_failed_down_leaves_a_consistent_state() { crate::faults::a_failed_down_leaves_a_consistent_state("1.15.5") }
            #[test] fn sigint_stops_terraform_gracefully() { crate::faults::sigint_stops_terraform_gracefully("1.15.5") }
            #[test] fn scope_tags_only_update_tags() { crate::tag::scope_tags_only_update_tags("1.15.5") }
        }
    };
}

/// `nullable` exists since Terraform 1.1: 1.0.3 rejects the fixture.
#[test]
fn nullable_defaults_with_terraform_1_15_5() {
    scenario(
        "1.15.5",
        Root {
            dir: &fixture("issue9/nullable_defaults"),
            environments: None,
            env: None,
            cycles: 1,
        },
    )
}

both_versions! {
    reference_infra => Root {
        dir: &repo().join("modules"),
        environments: Some(&repo().join("environments")),
        env: Some("dev"),
        cycles: 5,
    };
    layers => Root { dir: &fixture("layers"), environments: None, env: None, cycles: 1 };
    nested_modules => Root { dir: &fixture("nested_modules"), environments: None, env: None, cycles: 1 };
    count_for_each => Root { dir: &fixture("count_for_each"), environments: None, env: Some("prod"), cycles: 1 };
    promotion => Root { dir: &fixture("promotion"), environments: None, env: None, cycles: 1 };
    zero_instances => Root { dir: &fixture("zero_instances"), environments: None, env: None, cycles: 1 };
    // Reproductions of issue 8 (tests/fixtures/issue8).
    zero_instance_promotes_nothing => Root { dir: &fixture("issue8/zero_instance_promotes_nothing"), environments: None, env: None, cycles: 1 };
    keys_known_values_unknown => Root { dir: &fixture("issue8/keys_known_values_unknown"), environments: None, env: None, cycles: 1 };
    destroy_through_zero_instances => Root { dir: &fixture("issue8/destroy_through_zero_instances"), environments: None, env: None, cycles: 1 };
    module_with_data_sources => Root { dir: &fixture("issue8/module_with_data_sources"), environments: None, env: None, cycles: 1 };
    grant_to_base_role => Root { dir: &fixture("issue8/grant_to_base_role"), environments: None, env: None, cycles: 1 };
    // Issue 9: azapi resources by their ARM type; a type nobody knows is kept.
    azapi_by_arm_type => Root { dir: &fixture("issue9/azapi_storage"), environments: None, env: None, cycles: 1 };
    unknown_type_is_kept => Root { dir: &fixture("issue9/unknown_type"), environments: None, env: None, cycles: 1 };
}
