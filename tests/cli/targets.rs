use insta::assert_snapshot;

use crate::{code, fixture, result, stdout, tfscope};

#[test]
fn reference_infra_every_scope_and_action() {
    let mut all = String::new();
    for scope in ["base", "runtime", "all"] {
        for destroy in [false, true] {
            let mut args = vec!["targets", "--scope", scope];
            if destroy {
                args.push("--destroy");
            }
            let out = tfscope(&args);
            assert_eq!(code(&out), 0, "{}", result(&out));
            all.push_str(&format!("$ tfscope {}\n{}", args.join(" "), stdout(&out)));
        }
    }
    assert_snapshot!(all);
}

#[test]
fn stdout_holds_only_target_flags() {
    let out = tfscope(&["targets", "--scope", "runtime", "--destroy"]);
    let text = stdout(&out);
    assert!(!text.is_empty());
    for line in text.lines() {
        assert!(line.starts_with("-target="), "{line}");
    }
}

#[test]
fn for_each_keys_are_evaluated_and_quoted_for_a_shell() {
    let out = tfscope(&[
        "targets",
        "--scope",
        "runtime",
        "--destroy",
        &fixture("count_for_each"),
    ]);
    assert_snapshot!("for_each_default", result(&out));
    let out = tfscope(&[
        "targets",
        "--scope",
        "runtime",
        "--destroy",
        "--env",
        "prod",
        &fixture("count_for_each"),
    ]);
    assert_eq!(code(&out), 0, "{}", result(&out));
    assert_eq!(
        stdout(&out),
        "-target=aws_ecs_cluster.main\n\
         -target='module.svc[\"api\"].aws_ecs_task_definition.this'\n\
         -target='module.svc[\"web\"].aws_ecs_task_definition.this'\n\
         -target='module.svc[\"worker\"].aws_ecs_task_definition.this'\n"
    );
}

#[test]
fn expand_lists_every_resource() {
    // The service module uses for_each over var.services, which has no default: listing its
    // resources one by one needs the environment's keys.
    let out = tfscope(&["targets", "--scope", "runtime", "--expand"]);
    assert_eq!(code(&out), 2);
    assert!(
        crate::stderr(&out).contains("pass --env NAME"),
        "{}",
        result(&out)
    );
    let out = tfscope(&["targets", "--scope", "runtime", "--expand", "--env", "dev"]);
    assert_eq!(code(&out), 0, "{}", result(&out));
    // 11 in module.app, 8 in monitoring, and 6 per service for api and web; dev has no WAF, no
    // alarm e-mail and no autoscaling, so those resources have no instances and are left out.
    assert_eq!(stdout(&out).lines().count(), 11 + 8 + 6 * 2);
    assert!(
        stdout(&out).contains("-target='module.app.module.service[\"web\"].aws_ecs_service.this'")
    );
}

#[test]
fn a_violation_refuses_to_print_targets_that_cross_scopes() {
    let out = tfscope(&[
        "targets",
        "--scope",
        "runtime",
        "--destroy",
        &fixture("violation"),
    ]);
    assert_eq!(code(&out), 2);
    assert_eq!(stdout(&out), "");
    assert_snapshot!(result(&out));
}

/// Regression: a module with zero instances (`for_each = {}`, `count = 0`) implied the
/// database it depends on, then expanded to nothing, so tfscope printed terraform commands
/// without any -target (which act on everything).
#[test]
fn zero_instance_modules_never_hide_targets() {
    let out = tfscope(&["targets", "--scope", "base", &fixture("zero_instances")]);
    assert_eq!(code(&out), 0, "{}", result(&out));
    assert_eq!(stdout(&out), "-target=aws_db_instance.db\n");
    let out = tfscope(&[
        "plan",
        "--scope",
        "all",
        "--format",
        "json",
        &fixture("zero_instances"),
    ]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    for phase in v["phases"].as_array().unwrap() {
        assert!(
            phase["command"].as_str().unwrap().contains("-target="),
            "{phase}"
        );
    }
}

/// An empty list must not exit 0: `terraform destroy $(tfscope targets ...)` would destroy
/// everything.
#[test]
fn an_empty_target_list_fails_loudly() {
    let out = tfscope(&[
        "targets",
        "--scope",
        "runtime",
        "--destroy",
        &fixture("zero_instances"),
    ]);
    assert_eq!(code(&out), 1);
    assert_eq!(stdout(&out), "");
    assert_snapshot!(result(&out));
}

/// The root of `count_for_each` in Terraform's JSON syntax: the same variables, count and
/// for_each, with expressions in `"${...}"`.
const COUNT_FOR_EACH_JSON: &str = r#"{
  "variable": {
    "azs": { "type": "list(string)", "default": ["us-east-1a", "us-east-1b"] },
    "services": { "type": "map(object({ cpu = number }))", "default": { "api": { "cpu": 256 } } }
  },
  "resource": {
    "aws_vpc": { "main": { "cidr_block": "10.0.0.0/16" } },
    "aws_subnet": {
      "private": {
        "count": "${length(var.azs)}",
        "vpc_id": "${aws_vpc.main.id}",
        "availability_zone": "${var.azs[count.index]}",
        "cidr_block": "${cidrsubnet(aws_vpc.main.cidr_block, 8, count.index)}"
      }
    },
    "aws_ecs_cluster": { "main": { "name": "main" } }
  },
  "module": {
    "svc": {
      "source": "./svc",
      "for_each": "${var.services}",
      "name": "${each.key}",
      "cpu": "${each.value.cpu}",
      "cluster_id": "${aws_ecs_cluster.main.id}",
      "subnet_ids": "${aws_subnet.private[*].id}"
    }
  }
}"#;

#[test]
fn a_json_root_expands_count_and_for_each_like_the_same_hcl() {
    let hcl = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(fixture("count_for_each"));
    let tmp = tempfile::tempdir().unwrap();
    let json = tmp.path();
    for dir in ["svc", "environments"] {
        std::fs::create_dir(json.join(dir)).unwrap();
        for entry in std::fs::read_dir(hcl.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            std::fs::copy(&path, json.join(dir).join(path.file_name().unwrap())).unwrap();
        }
    }
    std::fs::write(json.join("main.tf.json"), COUNT_FOR_EACH_JSON).unwrap();
    let runs: [&[&str]; 4] = [
        &["targets", "--scope", "runtime", "--env", "prod", "."],
        &[
            "targets",
            "--scope",
            "base",
            "--destroy",
            "--expand",
            "--env",
            "prod",
            ".",
        ],
        &["plan", "--scope", "all", "--env", "prod", "."],
        &["cost", "--env", "prod", "--format", "json", "."],
    ];
    for args in runs {
        let from_hcl = crate::tfscope_in(&hcl, args);
        let from_json = crate::tfscope_in(json, args);
        assert_eq!(code(&from_hcl), 0, "{}", result(&from_hcl));
        assert_eq!(
            result(&from_json),
            result(&from_hcl),
            "tfscope {}",
            args.join(" ")
        );
    }
    // The keys come from prod.tfvars: three services, two subnets.
    let targets = crate::tfscope_in(json, runs[1]);
    assert!(stdout(&targets).contains("module.svc[\"worker\"].aws_s3_bucket.uploads"));
    assert!(stdout(&targets).contains("module.svc[\"web\"].aws_ecs_service.this"));
}
