use insta::assert_snapshot;

use crate::{code, fixture, result, stdout, tfscope};

/// The promotion fixture after `infra-down`: base up, runtime down, one orphan.
#[test]
fn base_up_runtime_down_from_a_state_file() {
    let out = tfscope(&[
        "status",
        "--state",
        "tests/fixtures/states/base-only.tfstate",
        &fixture("promotion"),
    ]);
    assert_eq!(code(&out), 0, "{}", result(&out));
    assert_snapshot!(result(&out));
}

#[test]
fn json_and_stdin() {
    let state = std::fs::read("tests/fixtures/states/base-only.tfstate").unwrap();
    let out = assert_cmd::Command::cargo_bin("tfscope")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "status",
            "--state",
            "-",
            "--format",
            "json",
            &fixture("promotion"),
        ])
        .write_stdin(state)
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", result(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["scopes"][0]["status"], "up");
    assert_eq!(v["scopes"][0]["present"], 10);
    assert_eq!(v["scopes"][1]["status"], "down");
    assert_eq!(v["orphans"], serde_json::json!(["aws_instance.legacy"]));
}

#[test]
fn a_bad_state_is_an_input_error() {
    let out = tfscope(&["status", "--state", "Cargo.toml", &fixture("promotion")]);
    assert_eq!(code(&out), 2);
    assert!(
        crate::stderr(&out).contains("cannot read the state from Cargo.toml"),
        "{}",
        result(&out)
    );
}

/// Issue 8, reproduction 7: on a fully applied, plan-clean state, `status` said "partial"
/// because it expected `aws_iam_role.infra`, whose `count = var.m ? 1 : 0` gives no instance.
#[test]
fn a_full_state_is_up_although_a_resource_has_no_instances() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("full.tfstate");
    let resource = |kind: &str, name: &str| {
        serde_json::json!({"mode": "managed", "type": kind, "name": name,
            "provider": "provider[\"registry.terraform.io/hashicorp/aws\"]",
            "instances": [{"attributes": {"id": format!("{kind}-1")}}]})
    };
    let doc = serde_json::json!({"version": 4, "terraform_version": "1.15.5", "serial": 1,
        "lineage": "l", "outputs": {},
        "resources": [resource("aws_vpc", "v"), resource("aws_ecs_capacity_provider", "this")]});
    std::fs::write(&state, doc.to_string()).unwrap();
    let out = tfscope(&[
        "status",
        "--format",
        "json",
        "--state",
        state.to_str().unwrap(),
        "tests/fixtures/issue8/destroy_through_zero_instances",
    ]);
    assert_eq!(code(&out), 0, "{}", result(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let statuses: Vec<(&str, &str)> = v["scopes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["scope"].as_str().unwrap(), s["status"].as_str().unwrap()))
        .collect();
    assert_eq!(statuses, vec![("base", "up"), ("runtime", "up")], "{v}");
}
