//! `tfscope tag` against real Terraform: after tagging, `terraform fmt -check` and `validate`
//! pass, and on an applied configuration the saved plan holds only in-place updates whose one
//! changed attribute is the tags (labels) argument: no create, delete or replace.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::harness::{repo, Workspace};

/// Every `.tf` file under `root` (outside `.terraform`) and its text.
fn tf_files(root: &Path) -> BTreeMap<PathBuf, String> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .filter_entry(|e| e.file_name() != ".terraform")
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "tf"))
        .map(|e| {
            let text = std::fs::read_to_string(e.path()).unwrap();
            (e.path().to_path_buf(), text)
        })
        .collect()
}

fn tag(ws: &Workspace) {
    let out = ws.tfscope(&["tag", "."]);
    assert!(
        out.status.success(),
        "tfscope tag failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

pub fn scope_tags_only_update_tags(version: &str) {
    let ws = Workspace::new(version, &repo().join("tests/fixtures/tags_e2e"), None, None);
    // The mock provider serves what the configuration sets: derive its schema from the tagged
    // configuration, then put the untagged files back and apply them.
    let untagged = tf_files(&ws.root);
    tag(&ws);
    ws.derive_schema();
    for (path, text) in &untagged {
        std::fs::write(path, text).unwrap();
    }
    ws.apply(&[]);

    tag(&ws);
    assert_ne!(tf_files(&ws.root), untagged, "tfscope tag changed nothing");
    ws.ok(&["fmt", "-check", "-recursive", "-no-color"]);
    ws.ok(&["validate", "-no-color"]);
    let check = ws.tfscope(&["tag", "--check", "."]);
    assert!(check.status.success(), "tag --check fails after tag");

    ws.ok(&["plan", "-out=tag.plan", "-input=false", "-no-color"]);
    let plan: Value = serde_json::from_str(&ws.ok(&["show", "-json", "tag.plan"])).unwrap();
    let table = tfscope::tag::taggable::Taggable::builtin();
    let mut updated = Vec::new();
    for change in plan["resource_changes"].as_array().unwrap() {
        let address = change["address"].as_str().unwrap();
        let actions: Vec<&str> = change["change"]["actions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_str().unwrap())
            .collect();
        if actions == ["no-op"] || actions == ["read"] {
            continue;
        }
        assert_eq!(
            actions,
            ["update"],
            "{version}: {address} plans {actions:?}"
        );
        let spec = table
            .spec(change["type"].as_str().unwrap())
            .unwrap_or_else(|| panic!("{address} is updated but takes no tags"));
        let (before, after) = (&change["change"]["before"], &change["change"]["after"]);
        let differs: Vec<&String> = after
            .as_object()
            .unwrap()
            .keys()
            .filter(|k| before.get(k.as_str()) != after.get(k.as_str()))
            .collect();
        assert_eq!(
            differs,
            [&spec.attribute],
            "{version}: {address} changes {differs:?}"
        );
        updated.push(address.to_string());
    }
    // 2 instances, 2 queues, 2 module calls of one log group, and 4 single resources.
    assert_eq!(
        updated.len(),
        10,
        "{version}: updates in the plan: {updated:?}"
    );
}
