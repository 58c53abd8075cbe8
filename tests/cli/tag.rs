//! `tfscope tag`: every case on the tags fixture (AWS, Google, Azure, merge(), var.tags, a local
//! module called twice, a module whose calls disagree, a registry module, a hand-set value, a
//! stale value), the exact text written, `--check` before and after, and the reference infra.

use std::path::Path;

use super::{code, fixture, result, stdout, tfscope, tfscope_in};

/// A copy of `from` (hidden directories included) under a new temporary directory.
fn copy(from: &Path) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_into(from, tmp.path());
    tmp
}

fn copy_into(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_into(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

fn repo(path: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn read(dir: &Path, file: &str) -> String {
    std::fs::read_to_string(dir.join(file)).unwrap()
}

#[test]
fn check_reports_every_case_and_writes_nothing() {
    let out = tfscope(&["tag", "--check", &fixture("tags")]);
    insta::assert_snapshot!(result(&out));
    assert_eq!(code(&out), 1);
}

#[test]
fn tag_writes_exactly_the_planned_edits_once() {
    let tmp = copy(&repo("tests/fixtures/tags"));
    let worker_before = read(tmp.path(), "worker/main.tf");
    let registry_before = read(tmp.path(), ".terraform/modules/vpc/main.tf");
    let out = tfscope_in(tmp.path(), &["tag", "."]);
    // Findings are left (a hand-set value, a module whose calls disagree): exit 1.
    assert_eq!(code(&out), 1, "{}", result(&out));
    insta::assert_snapshot!("tagged_main_tf", read(tmp.path(), "main.tf"));
    assert_eq!(
        read(tmp.path(), "svc/main.tf"),
        "variable \"name\" {\n  type = string\n}\n\nvariable \"tags\" {\n  type = map(string)\n}\n\n\
         resource \"aws_cloudwatch_log_group\" \"this\" {\n  name = \"/svc/${var.name}\"\n  \
         tags = merge(var.tags, { Scope = \"runtime\" })\n}\n"
    );
    // Untouched: the module whose calls disagree and the installed registry module.
    assert_eq!(read(tmp.path(), "worker/main.tf"), worker_before);
    assert_eq!(
        read(tmp.path(), ".terraform/modules/vpc/main.tf"),
        registry_before
    );
    // Nothing missing or stale any more; the findings stay findings.
    let again = tfscope_in(tmp.path(), &["tag", "--check", "--format", "json", "."]);
    assert_eq!(code(&again), 1);
    let v: serde_json::Value = serde_json::from_str(&stdout(&again)).unwrap();
    let statuses: Vec<&str> = v["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["status"].as_str().unwrap())
        .collect();
    assert!(!statuses.contains(&"add") && !statuses.contains(&"stale"));
    assert_eq!(statuses.iter().filter(|s| **s == "correct").count(), 8);
    assert!(v["files"].as_array().unwrap().is_empty());
    // A second run writes nothing.
    let main = read(tmp.path(), "main.tf");
    tfscope_in(tmp.path(), &["tag", "."]);
    assert_eq!(read(tmp.path(), "main.tf"), main);
}

#[test]
fn json_names_each_status_and_the_registry_hint() {
    let out = tfscope(&["tag", "--check", "--format", "json", &fixture("tags")]);
    assert_eq!(code(&out), 1);
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let status = |address: &str| {
        v["entries"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["addresses"][0] == address)
            .map(|e| e["status"].as_str().unwrap().to_string())
    };
    assert_eq!(status("aws_vpc.main").as_deref(), Some("add"));
    assert_eq!(status("aws_ecs_cluster.main").as_deref(), Some("stale"));
    assert_eq!(status("aws_sns_topic.alerts").as_deref(), Some("conflict"));
    assert_eq!(
        status("aws_sqs_queue_policy.jobs").as_deref(),
        Some("not-taggable")
    );
    assert_eq!(
        status("module.vpc.aws_vpc.this").as_deref(),
        Some("registry")
    );
    assert_eq!(
        status("module.worker_a.aws_cloudwatch_log_group.this").as_deref(),
        Some("module-conflict")
    );
    let google = v["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["resource_type"] == "google_storage_bucket")
        .unwrap();
    assert_eq!(
        (google["attribute"].as_str(), google["key"].as_str()),
        (Some("labels"), Some("scope"))
    );
    let hint = &v["modules"][0];
    assert_eq!(hint["module"], "module.vpc");
    assert_eq!(hint["input"], "tags");
    assert!(hint["hint"].as_str().unwrap().contains("Scope = \"base\""));
}

#[test]
fn diff_prints_a_unified_diff_and_writes_nothing() {
    let tmp = copy(&repo("tests/fixtures/tags"));
    let before = read(tmp.path(), "main.tf");
    let out = tfscope_in(tmp.path(), &["tag", "--diff", "."]);
    let diff = stdout(&out);
    assert!(diff.contains("--- a/main.tf\n+++ b/main.tf\n"), "{diff}");
    assert!(diff.contains("-  tags = var.tags\n+  tags = merge(var.tags, { Scope = \"base\" })\n"));
    assert_eq!(read(tmp.path(), "main.tf"), before);
}

#[test]
fn reference_infra_fails_check_before_tagging_and_passes_after() {
    let tmp = tempfile::tempdir().unwrap();
    copy_into(&repo("modules"), &tmp.path().join("modules"));
    copy_into(&repo("environments"), &tmp.path().join("environments"));
    let root = tmp.path().join("modules");
    let dir = root.to_str().unwrap();
    let scopes = crate::classified(dir);
    let before = tfscope_in(&root, &["tag", "--check", "."]);
    assert_eq!(code(&before), 1, "{}", result(&before));
    let tagged = tfscope_in(&root, &["tag", "."]);
    assert_eq!(code(&tagged), 0, "{}", result(&tagged));
    let after = tfscope_in(&root, &["tag", "--check", "."]);
    assert_eq!(code(&after), 0, "{}", result(&after));
    assert!(
        stdout(&after).contains("\n0 added, 0 updated, "),
        "{}",
        stdout(&after)
    );
    // Without an environment the autoscaling target has no instance: named, not tagged.
    let target = "module.app.module.service.aws_appautoscaling_target.this";
    assert!(
        stdout(&after).contains(&format!("{target}: no instance in this environment")),
        "{}",
        stdout(&after)
    );
    // The tags say what the classification said: reading them back changes no scope.
    assert_eq!(crate::classified(dir), scopes);
    // prod creates it: tagging with prod's variables adds its tag, and then prod checks clean.
    let prod = tfscope_in(&root, &["tag", "--env", "prod", "."]);
    assert_eq!(code(&prod), 0, "{}", result(&prod));
    assert!(stdout(&prod).contains(target), "{}", stdout(&prod));
    assert!(
        stdout(&prod).contains(", 0 without instances;"),
        "{}",
        stdout(&prod)
    );
    let check = tfscope_in(&root, &["tag", "--check", "--env", "prod", "."]);
    assert_eq!(code(&check), 0, "{}", result(&check));
}

#[test]
fn a_file_that_does_not_parse_stops_everything_before_any_write() {
    let tmp = copy(&repo("tests/fixtures/tags"));
    let before = read(tmp.path(), "main.tf");
    std::fs::write(
        tmp.path().join("broken.tf"),
        "resource \"aws_vpc\" \"x\" {\n  a = \n",
    )
    .unwrap();
    let out = tfscope_in(tmp.path(), &["tag", "."]);
    assert_eq!(code(&out), 2, "{}", result(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("broken.tf:"));
    assert_eq!(read(tmp.path(), "main.tf"), before);
}

/// Regression: once `terraform init` ran, modules.json lists local modules too (`Dir: "svc"`),
/// and they were taken for registry modules and left untagged.
#[test]
fn local_modules_listed_in_modules_json_are_still_edited() {
    let tmp = copy(&repo("tests/fixtures/tags"));
    std::fs::write(
        tmp.path().join(".terraform/modules/modules.json"),
        r#"{"Modules":[{"Key":"","Source":"","Dir":"."},{"Key":"svc_a","Source":"./svc","Dir":"svc"},{"Key":"svc_b","Source":"./svc","Dir":"svc"},{"Key":"vpc","Source":"registry.terraform.io/terraform-aws-modules/vpc/aws","Version":"5.0.0","Dir":".terraform/modules/vpc"}]}"#,
    )
    .unwrap();
    tfscope_in(tmp.path(), &["tag", "."]);
    assert!(read(tmp.path(), "svc/main.tf").contains("merge(var.tags, { Scope = \"runtime\" })"));
}

#[test]
fn the_readme_example_is_what_check_prints() {
    let out = tfscope(&["tag", "--check", &fixture("tags_e2e")]);
    assert_eq!(code(&out), 1);
    crate::assert_readme_shows("tfscope tag --check tests/fixtures/tags_e2e", &stdout(&out));
}
