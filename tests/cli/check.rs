use insta::assert_snapshot;

use crate::{code, fixture, result, stdout, tfscope};

#[test]
fn reference_infra_passes() {
    let out = tfscope(&["check", "--strict"]);
    assert_eq!(code(&out), 0, "{}", result(&out));
    assert_eq!(stdout(&out), "0 findings\n");
}

#[test]
fn violations_and_unprotected_state_are_findings() {
    let out = tfscope(&["check", &fixture("violation")]);
    assert_eq!(code(&out), 1);
    assert_snapshot!(result(&out));
}

#[test]
fn a_cycle_is_a_finding() {
    let out = tfscope(&["check", &fixture("cycle"), "--format", "json"]);
    assert_eq!(code(&out), 1);
    assert_snapshot!(result(&out));
}

#[test]
fn strict_reports_unclassified_resources() {
    let out = tfscope(&["check", &fixture("remote_module")]);
    assert_eq!(code(&out), 0, "{}", result(&out));
    let out = tfscope(&["check", "--strict", &fixture("remote_module")]);
    assert_eq!(code(&out), 1);
    assert!(
        stdout(&out).contains("unclassified: module.eks"),
        "{}",
        result(&out)
    );
}
