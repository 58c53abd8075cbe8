//! Issue 9: what tfscope does not understand is kept, reported, and one rule away from
//! classified; generic azapi resources go by their ARM type; the catalog covers its providers.

use crate::{classified, code, fixture, result, stdout, tfscope};

fn scope_of<'a>(all: &'a [(String, String, bool)], address: &str) -> (&'a str, bool) {
    let r = all
        .iter()
        .find(|r| r.0 == address)
        .unwrap_or_else(|| panic!("{address} not in {all:?}"));
    (r.1.as_str(), r.2)
}

#[test]
fn azapi_storage_accounts_are_base_and_stateful_by_their_arm_type() {
    let dir = fixture("issue9/azapi_storage");
    let all = classified(&dir);
    // The storage account's type comes into the shared module as a variable.
    assert_eq!(
        scope_of(&all, "module.storage.azapi_resource.this"),
        ("base", true)
    );
    assert_eq!(scope_of(&all, "azapi_resource.container"), ("base", true));
    assert_eq!(scope_of(&all, "azapi_resource.rg").0, "base");
    assert_eq!(scope_of(&all, "azapi_resource.site").0, "runtime");

    let out = tfscope(&[
        "targets",
        "--scope",
        "runtime",
        "--destroy",
        "--expand",
        &dir,
    ]);
    assert_eq!(code(&out), 0, "{}", result(&out));
    let targets = stdout(&out);
    assert!(targets.contains("-target=azapi_resource.site"), "{targets}");
    assert!(targets.contains("-target=azapi_resource.plan"), "{targets}");
    for kept in [
        "module.storage",
        "azapi_resource.container",
        "azapi_resource.rg",
    ] {
        assert!(!targets.contains(kept), "{kept} in {targets}");
    }
    let out = tfscope(&["check", &dir]);
    assert_eq!(code(&out), 0, "{}", result(&out));
}

#[test]
fn an_unknown_type_is_kept_reported_and_one_rule_from_classified() {
    let dir = fixture("issue9/unknown_type");
    let all = classified(&dir);
    assert_eq!(scope_of(&all, "acme_ledger.books"), ("base", false));
    assert_eq!(scope_of(&all, "aws_msk_topic.orders"), ("base", true));
    assert_eq!(scope_of(&all, "aws_ecs_service.api").0, "runtime");

    let out = tfscope(&["targets", "--scope", "runtime", "--destroy", &dir]);
    assert_eq!(code(&out), 0, "{}", result(&out));
    assert!(!stdout(&out).contains("acme_ledger"), "{}", result(&out));
    assert!(!stdout(&out).contains("aws_msk"), "{}", result(&out));

    let out = tfscope(&["check", &dir]);
    assert_eq!(code(&out), 1, "{}", result(&out));
    let text = stdout(&out);
    assert!(text.contains("acme_ledger.books (acme_ledger)"), "{text}");
    assert!(text.contains("kept in base"), "{text}");
    assert!(text.contains("tfscope catalog"), "{text}");

    let out = tfscope(&["catalog", &dir]);
    assert_eq!(code(&out), 1, "{}", result(&out));
    let text = stdout(&out);
    assert!(text.contains("rule \"acme_ledger\""), "{text}");
    assert!(text.contains("type   = \"acme_ledger\""), "{text}");
    assert!(
        !text.contains("aws_msk_topic"),
        "known types are not gaps: {text}"
    );
}

#[test]
fn the_rule_catalog_prints_classifies_the_type() {
    let tmp = tempfile::tempdir().unwrap();
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(fixture("issue9/unknown_type"));
    std::fs::copy(src.join("main.tf"), tmp.path().join("main.tf")).unwrap();
    let root = tmp.path().to_str().unwrap();
    let out = tfscope(&["catalog", "--format", "json", root]);
    assert_eq!(code(&out), 1, "{}", result(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let rule = v["gaps"][0]["rule"].as_str().unwrap();
    std::fs::write(tmp.path().join("tfscope.hcl"), rule).unwrap();
    assert_eq!(code(&tfscope(&["catalog", root])), 0);
    assert_eq!(code(&tfscope(&["check", root])), 0);
}

#[test]
fn catalog_describes_one_type() {
    let out = tfscope(&["catalog", "--type", "aws_msk_topic"]);
    assert_eq!(code(&out), 0, "{}", result(&out));
    assert!(stdout(&out).contains("base layer"), "{}", result(&out));
    assert!(stdout(&out).contains("stateful"), "{}", result(&out));
    let out = tfscope(&["catalog", "--type", "Microsoft.Storage/storageAccounts"]);
    assert_eq!(code(&out), 0, "{}", result(&out));
    let out = tfscope(&["catalog", "--type", "acme_ledger"]);
    assert_eq!(code(&out), 1, "{}", result(&out));
    assert!(
        stdout(&out).contains("not in the catalog"),
        "{}",
        result(&out)
    );
}

#[test]
fn coverage_is_complete_for_every_provider() {
    let out = tfscope(&["catalog", "--coverage", "--format", "json"]);
    assert_eq!(code(&out), 0, "{}", result(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let rows = v.as_array().unwrap();
    let providers: Vec<&str> = rows
        .iter()
        .map(|r| r["provider"].as_str().unwrap())
        .collect();
    for p in [
        "aws",
        "google",
        "google-beta",
        "azurerm",
        "azapi",
        "arm",
        "kubernetes",
        "helm",
    ] {
        assert!(providers.contains(&p), "{p} in {providers:?}");
    }
    for r in rows {
        assert!(r["listed"].as_u64().unwrap() > 0, "{r}");
        assert_eq!(r["missing"].as_array().unwrap().len(), 0, "{r}");
    }
}
