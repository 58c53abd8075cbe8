//! Regression tests for the real-world fidelity issue (8): each reproduction is a fixture in
//! `tests/fixtures/issue8/`, and each test is named after what broke. The end-to-end suite runs
//! reproductions 2, 3, 6 and 8 against real Terraform as well.

use crate::{code, result, stdout, tfscope};

fn fixture(name: &str) -> String {
    format!("tests/fixtures/issue8/{name}")
}

fn targets(name: &str, scope: &str, destroy: bool) -> (i32, Vec<String>) {
    let dir = fixture(name);
    let mut args = vec!["targets", dir.as_str(), "--scope", scope];
    if destroy {
        args.push("--destroy");
    }
    let out = tfscope(&args);
    (
        code(&out),
        stdout(&out).lines().map(str::to_string).collect(),
    )
}

/// Scope of every resource, from `classify --format json`.
fn scopes(name: &str) -> Vec<(String, String)> {
    crate::classified(&fixture(name))
        .into_iter()
        .map(|(address, scope, _)| (address, scope))
        .collect()
}

fn scope_of(all: &[(String, String)], address: &str) -> String {
    all.iter()
        .find(|(a, _)| a == address)
        .unwrap_or_else(|| panic!("{address} is not classified"))
        .1
        .clone()
}

// 1: `down runtime` detached a policy from the base cluster's role (and the flow log's role).
#[test]
fn a_grant_to_a_base_role_is_base_and_brings_its_policy() {
    let s = scopes("grant_to_base_role");
    for base in [
        "aws_iam_role_policy_attachment.enc",
        "aws_iam_policy.enc",
        "aws_iam_role_policy.fl",
    ] {
        assert_eq!(scope_of(&s, base), "base", "{base}");
    }
    assert_eq!(
        scope_of(&s, "aws_iam_role_policy_attachment.task_enc"),
        "runtime",
        "a grant to a runtime role stays runtime"
    );
    assert_eq!(
        targets("grant_to_base_role", "runtime", true),
        (0, vec!["-target=aws_iam_role.task".to_string()])
    );
}

// 2: a security group with count = 0 promoted the autoscaling group and launch template to base.
#[test]
fn a_resource_without_instances_promotes_nothing() {
    let s = scopes("zero_instance_promotes_nothing");
    assert_eq!(scope_of(&s, "aws_autoscaling_group.asg"), "runtime");
    assert_eq!(scope_of(&s, "aws_launch_template.lt"), "runtime");
    assert!(s.iter().all(|(a, _)| a != "aws_security_group.mi"));
    // With the switch on, the security group exists and does promote them.
    let out = tfscope(&[
        "classify",
        &fixture("zero_instance_promotes_nothing"),
        "--env",
        "mi",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let base: Vec<&str> = v["resources"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["scope"] == "base")
        .map(|r| r["address"].as_str().unwrap())
        .collect();
    assert_eq!(
        base,
        vec![
            "aws_autoscaling_group.asg",
            "aws_launch_template.lt",
            "aws_security_group.mi",
            "aws_vpc.v"
        ]
    );
}

// 3: targets inside a for_each module exited 2 when the map's values referenced resources.
#[test]
fn keys_of_a_map_whose_values_reference_resources_are_known() {
    assert_eq!(
        targets("keys_known_values_unknown", "runtime", true),
        (
            0,
            vec!["-target='module.svc[\"api\"].aws_ecs_service.s'".to_string()]
        )
    );
    assert_eq!(
        targets("keys_known_values_unknown", "base", false),
        (
            0,
            vec!["-target='module.svc[\"api\"].aws_security_group.sg'".to_string()]
        )
    );
}

// 4: a data source read by a grant that moved to base kept the grant's old scope: a violation
// tfscope itself created.
#[test]
fn a_data_source_takes_its_scope_after_its_readers_settle() {
    let out = tfscope(&["check", &fixture("data_source_after_readers")]);
    assert_eq!(code(&out), 0, "{}", result(&out));
    let s = scopes("data_source_after_readers");
    assert_eq!(scope_of(&s, "data.google_project.p"), "base");
    assert_eq!(scope_of(&s, "google_project_iam_member.m"), "base");
}

// 5: the same with an attachment that follows its role: `targets --scope base` exited 2.
#[test]
fn a_data_source_read_by_a_following_attachment_follows_too() {
    assert_eq!(
        targets("data_source_of_a_grant", "base", false),
        (
            0,
            vec![
                "-target=aws_db_instance.db".to_string(),
                "-target=aws_iam_role_policy_attachment.mon".to_string()
            ]
        )
    );
    let out = tfscope(&["plan", &fixture("data_source_of_a_grant"), "--scope", "all"]);
    assert_eq!(code(&out), 0, "{}", result(&out));
}

// 6: the destroy list counted on a resource without instances to take its dependents along.
#[test]
fn a_destroy_list_never_leans_on_a_resource_without_instances() {
    assert_eq!(
        targets("destroy_through_zero_instances", "runtime", true),
        (
            0,
            vec!["-target=aws_ecs_capacity_provider.this".to_string()]
        )
    );
    let out = tfscope(&[
        "explain",
        "aws_iam_role.infra",
        &fixture("destroy_through_zero_instances"),
    ]);
    assert_eq!(code(&out), 0, "{}", result(&out));
    assert!(
        stdout(&out).contains("no instances") && stdout(&out).contains("count = var.m ? 1 : 0"),
        "{}",
        result(&out)
    );
}

// 8: `-target=module.regions` destroyed the module's data sources' readers (the base resource
// group among them).
#[test]
fn a_module_whose_data_sources_base_reads_is_not_destroyed_whole() {
    assert_eq!(
        targets("module_with_data_sources", "runtime", true),
        (
            0,
            vec!["-target=module.regions.azurerm_container_group.telemetry".to_string()]
        )
    );
}
