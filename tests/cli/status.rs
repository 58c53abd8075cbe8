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
