use insta::assert_snapshot;

use crate::{code, fixture, result, stdout, tfscope};

#[test]
fn reference_infra_all_dev() {
    let out = tfscope(&["plan", "--scope", "all", "--env", "dev"]);
    assert_eq!(code(&out), 0);
    assert_snapshot!(result(&out));
}

#[test]
fn destroy_base_runs_runtime_first_and_says_so() {
    let out = tfscope(&["plan", "--scope", "base", "--destroy", "--format", "json"]);
    assert_eq!(code(&out), 0);
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let phases = v["phases"].as_array().unwrap();
    assert_eq!(phases.len(), 2);
    assert_eq!(phases[0]["scope"], "runtime");
    assert_eq!(phases[1]["scope"], "base");
    let risks: Vec<&str> = phases[1]["stateful_at_risk"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["address"].as_str().unwrap())
        .collect();
    assert!(
        risks.contains(&"module.data.aws_db_instance.this"),
        "{risks:?}"
    );
    assert!(phases[0]["stateful_at_risk"].as_array().unwrap().is_empty());
}

#[test]
fn markdown_for_a_pull_request() {
    let out = tfscope(&[
        "plan",
        "--scope",
        "runtime",
        "--destroy",
        "--env",
        "prod",
        "--format",
        "markdown",
    ]);
    assert_eq!(code(&out), 0);
    assert_snapshot!(result(&out));
}

#[test]
fn layers_destroy_in_reverse_order() {
    let out = tfscope(&["plan", "--scope", "data", "--destroy", &fixture("layers")]);
    assert_eq!(code(&out), 0);
    let text = stdout(&out);
    let order: Vec<&str> = text.lines().filter(|l| l.starts_with("Phase ")).collect();
    assert_eq!(
        order,
        vec![
            "Phase 1: destroy ops (1 resource)",
            "Phase 2: destroy app (3 resources)",
            "Phase 3: destroy edge (2 resources)",
            "Phase 4: destroy data (3 resources)",
        ]
    );
    assert_snapshot!(result(&out));
}

#[test]
fn unknown_environment_is_an_input_error() {
    let out = tfscope(&["plan", "--scope", "all", "--env", "qa"]);
    assert_eq!(code(&out), 2);
    assert_eq!(stdout(&out), "");
    assert_snapshot!(result(&out));
}

#[test]
fn destroy_plans_name_recreate_hazards_in_every_format() {
    let dir = fixture("issue10/hazards");
    let out = tfscope(&["plan", "--scope", "runtime", "--destroy", &dir]);
    assert_eq!(code(&out), 0, "{}", result(&out));
    let text = stdout(&out);
    assert!(text.contains("  recreate hazards:\n"), "{text}");
    assert!(
        text.contains(
            "module.app.aws_secretsmanager_secret.token (runtime) will block `up` for 7 days"
        ),
        "{text}"
    );
    let out = tfscope(&[
        "plan",
        "--scope",
        "runtime",
        "--destroy",
        "--format",
        "json",
        &dir,
    ]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let hazards: Vec<&str> = v["phases"][0]["hazards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["address"].as_str().unwrap())
        .collect();
    assert_eq!(
        hazards,
        [
            "aws_ecr_repository.images",
            "aws_kms_key.runtime",
            "aws_sqs_queue.named",
            "google_project_iam_custom_role.deployer",
            "module.app.aws_secretsmanager_secret.token"
        ]
    );
    let out = tfscope(&[
        "plan",
        "--scope",
        "runtime",
        "--destroy",
        "--format",
        "markdown",
        &dir,
    ]);
    assert!(
        stdout(&out).contains("**Recreate hazards**"),
        "{}",
        result(&out)
    );
    // Applying creates; no hazard applies.
    let out = tfscope(&["plan", "--scope", "runtime", "--format", "json", &dir]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert!(v["phases"][0].get("hazards").is_none(), "{v:#}");
}
