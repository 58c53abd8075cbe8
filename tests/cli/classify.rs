use insta::assert_snapshot;

use crate::{code, fixture, result, stdout, tfscope};

#[test]
fn reference_infra_json() {
    let out = tfscope(&["classify", "--format", "json"]);
    assert_eq!(code(&out), 0, "{}", result(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["scopes"], serde_json::json!(["base", "runtime"]));
    let resources = v["resources"].as_array().unwrap();
    // Every resource block of the reference infra is there, with the documented fields, but
    // for the three whose count is 0 with the variables' defaults: those are left out.
    assert_eq!(resources.len(), 73);
    assert_eq!(
        addresses(&v["absent"]),
        vec![
            "module.app.module.service.aws_appautoscaling_policy.cpu",
            "module.app.module.service.aws_appautoscaling_target.this",
            "module.monitoring.aws_sns_topic_subscription.email"
        ]
    );
    for r in resources {
        for key in [
            "address", "type", "scope", "reason", "stateful", "file", "line",
        ] {
            assert!(r.get(key).is_some(), "{key} missing in {r}");
        }
    }
    let scope_of = |addr: &str| {
        resources
            .iter()
            .find(|r| r["address"] == addr)
            .unwrap_or_else(|| panic!("no {addr}"))["scope"]
            .clone()
    };
    assert_eq!(scope_of("module.network.aws_nat_gateway.this"), "base");
    assert_eq!(
        scope_of("module.edge.aws_route53_record.cert_validation"),
        "base"
    );
    assert_eq!(scope_of("module.data.random_password.db"), "base");
    assert_eq!(
        scope_of("module.app.module.service.aws_ecs_service.this"),
        "runtime"
    );
    assert_eq!(scope_of("module.app.aws_lb_listener.https"), "runtime");
    assert_snapshot!(result(&out));
}

#[test]
fn reference_infra_text_is_the_default_dir() {
    let out = tfscope(&["classify"]);
    assert_eq!(code(&out), 0);
    assert!(
        stdout(&out).contains("73 resources: base 47, runtime 26; 0 unclassified, 0 violations; 3 without instances (left out)")
    );
}

#[test]
fn promotion() {
    assert_snapshot!(result(&tfscope(&["classify", &fixture("promotion")])));
}

#[test]
fn several_layers_from_the_config_file() {
    assert_snapshot!(result(&tfscope(&["classify", &fixture("layers")])));
}

#[test]
fn remote_module_resolved_through_modules_json() {
    let out = tfscope(&["classify", &fixture("remote_module")]);
    assert_eq!(code(&out), 0);
    let text = stdout(&out);
    assert!(text.contains("module.vpc.aws_vpc.this"), "{text}");
    assert!(
        text.contains("module.vpc.module.flow.aws_flow_log.this"),
        "{text}"
    );
    assert_snapshot!(result(&out));
}

#[test]
fn nested_modules() {
    assert_snapshot!(result(&tfscope(&[
        "classify",
        &fixture("nested_modules"),
        "--format",
        "json"
    ])));
}

#[test]
fn json_syntax_files_are_read_with_native_ones() {
    let out = tfscope(&[
        "explain",
        "aws_ecs_service.api",
        &fixture("json_syntax"),
        "--format",
        "json",
    ]);
    assert_eq!(code(&out), 0, "{}", result(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        addresses(&v["dependencies"]),
        vec![
            "aws_db_instance.main",
            "aws_ecs_cluster.app",
            "aws_subnet.private"
        ]
    );
    assert_eq!(
        v["location"]["file"],
        "tests/fixtures/json_syntax/cdk.tf.json"
    );
    let out = tfscope(&[
        "targets",
        "--scope",
        "runtime",
        "--destroy",
        &fixture("json_syntax"),
    ]);
    assert_eq!(stdout(&out), "-target=aws_ecs_cluster.app\n");
}

/// Issue 9: every cloudposse root stopped on `cloudposse/label/null` main.tf:82, a conditional
/// broken over lines inside a `for` object expression, which Terraform accepts.
#[test]
fn a_conditional_broken_over_lines_in_a_for_expression_parses() {
    let out = tfscope(&[
        "classify",
        "--format",
        "json",
        &fixture("issue9/multiline_conditional_in_for"),
    ]);
    assert_eq!(code(&out), 0, "{}", result(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let scopes: Vec<(&str, &str)> = v["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["address"].as_str().unwrap(), r["scope"].as_str().unwrap()))
        .collect();
    assert_eq!(
        scopes,
        vec![("aws_ecs_cluster.app", "runtime"), ("aws_vpc.main", "base")]
    );
}

#[test]
fn a_null_module_input_takes_the_default_of_a_non_nullable_variable() {
    let out = tfscope(&[
        "classify",
        "--format",
        "json",
        "tests/fixtures/issue9/nullable_defaults",
    ]);
    assert_eq!(code(&out), 0, "{}", result(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    // `extra = null` is `false`: the switch is known to be off, not unknown.
    assert_eq!(
        addresses(&v["absent"]),
        vec!["module.svc.aws_ecs_cluster.extra"]
    );
    assert!(addresses(&v["resources"]).contains(&"module.svc.aws_cloudwatch_log_group.queue"));
}

/// The `address` of every object in a JSON array.
fn addresses(list: &serde_json::Value) -> Vec<&str> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|o| o["address"].as_str().unwrap())
        .collect()
}
