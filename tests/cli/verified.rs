//! Verified execution against a fake terraform that saves plans and answers `show -json` with a
//! canned document (tests/fixtures/issue10/verify/plans): the order plan → show → apply PLANFILE,
//! refusals that run nothing, the prompt, and `tfscope verify` in its three formats. Real
//! Terraform proves the same in the end-to-end suite (tests/e2e/verified.rs, faults.rs).

use insta::assert_snapshot;

use crate::workflow::Fake;
use crate::{code, result, stderr, stdout};

const ROOT: &str = "tests/fixtures/issue10/verify";

fn plan(name: &str) -> String {
    format!("{}/{ROOT}/plans/{name}.json", env!("CARGO_MANIFEST_DIR"))
}

fn run(fake: &Fake, args: &[&str], show: &str, stdin: &str) -> std::process::Output {
    fake.command(args)
        .env("FAKE_TF_SHOW", plan(show))
        .write_stdin(stdin)
        .output()
        .unwrap()
}

#[test]
fn down_plans_checks_then_applies_exactly_the_saved_plan() {
    let fake = Fake::new();
    let args = ["down", "--scope", "runtime", "--auto-approve", ROOT];
    let out = run(&fake, &args, "destroy-runtime-agrees", "");
    assert_eq!(code(&out), 0, "{}", result(&out));
    let root = format!("-chdir={ROOT}");
    assert_eq!(
        fake.calls(),
        vec![
            format!("{root} init -input=false [0 targets]"),
            format!("{root} plan -destroy -input=false -out=PLANFILE [1 targets]"),
            format!("{root} show -json -no-color PLANFILE [0 targets]"),
            format!("{root} apply -input=false PLANFILE [0 targets]"),
        ]
    );
    assert!(
        stderr(&out).contains("tfscope: phase 1: Terraform's plan keeps the promise (3 changes)"),
        "{}",
        result(&out)
    );
}

#[test]
fn a_plan_that_breaks_the_promise_is_refused_and_nothing_is_applied() {
    let fake = Fake::new();
    let args = ["down", "--scope", "runtime", "--auto-approve", ROOT];
    let out = run(&fake, &args, "destroy-runtime-drift", "");
    assert_eq!(code(&out), 1, "{}", result(&out));
    assert!(
        fake.calls().iter().all(|c| !c.contains(" apply ")),
        "{:?}",
        fake.calls()
    );
    assert_snapshot!(stderr(&out));
}

#[test]
fn without_auto_approve_only_yes_applies() {
    let fake = Fake::new();
    let args = ["down", "--scope", "runtime", ROOT];
    let out = run(&fake, &args, "destroy-runtime-agrees", "no\n");
    assert_eq!(code(&out), 1, "{}", result(&out));
    assert!(stderr(&out).contains("Only 'yes' will be accepted"));
    assert!(stderr(&out).contains("not applied: the answer was not 'yes'"));
    assert!(fake.calls().iter().all(|c| !c.contains(" apply ")));
    let fake = Fake::new();
    let out = run(&fake, &args, "destroy-runtime-agrees", "yes\n");
    assert_eq!(code(&out), 0, "{}", result(&out));
    assert!(fake
        .calls()
        .last()
        .unwrap()
        .contains(" apply -input=false PLANFILE"));
}

#[test]
fn no_verify_says_so_and_runs_terraform_directly() {
    let fake = Fake::new();
    let args = [
        "down",
        "--scope",
        "runtime",
        "--auto-approve",
        "--no-verify",
        ROOT,
    ];
    let out = run(&fake, &args, "destroy-runtime-drift", "");
    assert_eq!(code(&out), 0, "{}", result(&out));
    assert!(
        stderr(&out).contains("warning: --no-verify: "),
        "{}",
        result(&out)
    );
    assert_eq!(
        fake.calls().len(),
        2,
        "init and destroy: {:?}",
        fake.calls()
    );
    assert!(fake.calls()[1].contains(" destroy -auto-approve"));
}

#[test]
fn dry_run_prints_plan_show_and_apply_per_phase() {
    let fake = Fake::new();
    let out = run(
        &fake,
        &["up", "--scope", "all", "--dry-run", ROOT],
        "apply-runtime-updates-base",
        "",
    );
    assert_eq!(code(&out), 0, "{}", result(&out));
    let binary = fake.dir.path().join("terraform").display().to_string();
    assert_snapshot!(stdout(&out).replace(&binary, "terraform"));
    assert!(!fake.log().exists());
}

#[test]
fn verify_text() {
    let fake = Fake::new();
    let args = ["verify", "--scope", "runtime", "--destroy", ROOT];
    let out = run(&fake, &args, "destroy-runtime-drift", "");
    assert_eq!(code(&out), 1);
    assert_snapshot!(stdout(&out));
    assert!(fake.calls().iter().all(|c| !c.contains(" apply ")));
}

#[test]
fn verify_json() {
    let fake = Fake::new();
    let args = [
        "verify",
        "--scope",
        "runtime",
        "--destroy",
        "--format",
        "json",
        ROOT,
    ];
    let out = run(&fake, &args, "destroy-runtime-drift", "");
    assert_eq!(code(&out), 1);
    assert_snapshot!(stdout(&out));
}

#[test]
fn verify_markdown() {
    let fake = Fake::new();
    let args = [
        "verify",
        "--scope",
        "runtime",
        "--destroy",
        "--format",
        "markdown",
        ROOT,
    ];
    let out = run(&fake, &args, "destroy-runtime-drift", "");
    assert_eq!(code(&out), 1);
    assert_snapshot!(stdout(&out));
}

#[test]
fn verify_reports_updates_of_earlier_scopes_and_agrees() {
    let fake = Fake::new();
    for format in ["text", "json", "markdown"] {
        let args = ["verify", "--scope", "runtime", "--format", format, ROOT];
        let out = run(&fake, &args, "apply-runtime-updates-base", "");
        assert_eq!(code(&out), 0, "{}", result(&out));
        assert!(
            stdout(&out).contains("aws_security_group.web"),
            "{format}: {}",
            result(&out)
        );
    }
    let out = run(
        &fake,
        &["verify", "--scope", "runtime", "--format", "json", ROOT],
        "apply-runtime-updates-base",
        "",
    );
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["agrees"], true);
    assert_eq!(
        v["phases"][0]["cross_scope_updates"][0]["address"],
        "aws_security_group.web"
    );
    assert_eq!(v["phases"][0]["cross_scope_updates"][0]["scope"], "base");
}
