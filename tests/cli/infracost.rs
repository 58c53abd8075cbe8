//! `tfscope cost --format infracost-usage`: the usage file, read back as YAML, gives the
//! schedule's hours to the hourly resources of the scopes it tears down and to nothing else.

use serde_yaml::Value;

use crate::{code, result, stderr, stdout, tfscope};

fn yaml(out: &std::process::Output) -> Value {
    assert_eq!(code(out), 0, "{}", result(out));
    serde_yaml::from_str(&stdout(out)).expect("the usage file is YAML")
}

#[test]
fn reference_infra_nights_keeps_base_out_and_names_what_infracost_cannot_scale() {
    let out = tfscope(&[
        "cost",
        "--env",
        "dev",
        "--format",
        "infracost-usage",
        "--schedule",
        "nights",
    ]);
    let doc = yaml(&out);
    assert_eq!(doc["version"], Value::from(0.1));
    let usage = doc["resource_usage"].as_mapping().expect("a mapping");
    // Base (NAT gateway, database, load balancer: all hourly) stays on: absent.
    for base in [
        "module.network.aws_nat_gateway.this[0]",
        "module.data.aws_db_instance.this",
        "module.edge.aws_lb.this",
    ] {
        assert!(!usage.contains_key(base), "{base} in {usage:?}");
    }
    // dev's runtime runs on Fargate: hourly, but infracost reads no hours for aws_ecs_service.
    assert!(usage.is_empty(), "{usage:?}");
    let text = stdout(&out);
    assert!(
        text.contains("# module.app.module.service[\"api\"].aws_ecs_service.this: hourly, but infracost reads no hours for aws_ecs_service"),
        "{text}"
    );
    assert!(
        text.contains("# schedule nights: runtime up 365 h a month"),
        "{text}"
    );
}

#[test]
fn runtime_instances_get_the_schedules_hours_by_instance_address() {
    let root = tempfile::tempdir().unwrap();
    std::fs::write(
        root.path().join("main.tf"),
        r#"resource "aws_instance" "bastion" {
  instance_type = "t3.micro"
  tags          = { Scope = "base" }
}

resource "aws_instance" "app" {
  for_each      = toset(["a", "b"])
  instance_type = "t3.micro"
}
"#,
    )
    .unwrap();
    let dir = root.path().to_str().unwrap();
    let run = |schedule: &str| {
        tfscope(&[
            "cost",
            "--format",
            "infracost-usage",
            "--schedule",
            schedule,
            dir,
        ])
    };
    let doc = yaml(&run("nights"));
    let usage = doc["resource_usage"].as_mapping().unwrap();
    let keys: Vec<&str> = usage.keys().map(|k| k.as_str().unwrap()).collect();
    assert_eq!(
        keys,
        [r#"aws_instance.app["a"]"#, r#"aws_instance.app["b"]"#]
    );
    let hours = |doc: &Value, key: &str| doc["resource_usage"][key]["monthly_hrs"].as_f64();
    assert_eq!(hours(&doc, r#"aws_instance.app["a"]"#), Some(365.0));
    // office-hours: 50 h a week of 168, of 730 h a month.
    let doc = yaml(&run("office-hours"));
    assert_eq!(hours(&doc, r#"aws_instance.app["b"]"#), Some(217.26));
    // A schedule that tears nothing down is a usage error.
    let out = run("always");
    assert_eq!(code(&out), 2, "{}", result(&out));
    assert!(stderr(&out).contains("needs a schedule that tears scopes down"));
}
