//! `Makefile.infra` and `scripts/generate-targets.sh`, the seed's workflow (`make infra-up`,
//! `make infra-down SCOPE=base`, ...) on top of tfscope, run against the fake terraform of
//! `workflow.rs` with only `/usr/bin:/bin` on PATH, so no real Terraform can be reached.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use crate::workflow::Fake;
use crate::{code, result, stderr, stdout};

const TFSCOPE: &str = env!("CARGO_BIN_EXE_tfscope");
const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const PATH: &str = "/usr/bin:/bin";

/// Feeds `input` to a command's stdin (closed right after; `None`: /dev/null) and waits.
fn run_with_stdin(mut cmd: Command, input: Option<&str>) -> Output {
    cmd.env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("TFSCOPE_TERRAFORM")
        .env_remove("MAKEFLAGS")
        .env_remove("MFLAGS")
        .env_remove("MAKELEVEL")
        .env("PATH", PATH)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        });
    let mut child = cmd.spawn().expect("make runs");
    if let Some(text) = input {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
    }
    child.wait_with_output().unwrap()
}

/// `make -f Makefile.infra ARGS...` from the repository root, with tfscope and the fake
/// terraform passed as `TFSCOPE=` and `TF=`.
fn make(fake: &Fake, args: &[&str], input: Option<&str>) -> Output {
    let mut cmd = Command::new("make");
    cmd.current_dir(ROOT)
        .args(["-f", "Makefile.infra"])
        .arg(format!("TFSCOPE={TFSCOPE}"))
        .arg(format!(
            "TF={}",
            fake.dir.path().join("terraform").display()
        ))
        // The fake terraform cannot save plans: direct mode (verified mode is in the e2e suite).
        .arg("VERIFY=false")
        .args(args)
        .env("FAKE_TF_LOG", fake.log())
        .env("TFSCOPE_HISTORY", fake.history());
    run_with_stdin(cmd, input)
}

/// The raw terraform calls, targets included.
fn raw_calls(fake: &Fake) -> Vec<String> {
    std::fs::read_to_string(fake.log())
        .unwrap_or_default()
        .lines()
        .map(str::to_string)
        .collect()
}

const TARGETS: [&str; 7] = [
    "help",
    "infra-up",
    "infra-down",
    "infra-plan",
    "infra-status",
    "infra-render",
    "infra-targets",
];
const PARAMETERS: [&str; 13] = [
    "SCOPE",
    "ENV",
    "AUTO",
    "ALLOW_STATEFUL",
    "TF",
    "DIR",
    "TFSCOPE",
    "FORMAT",
    "ACTION",
    "FROM_PHASE",
    "STATE",
    "OUT",
    "FORCE",
];

#[test]
fn help_is_the_default_goal_and_lists_every_target_and_parameter() {
    let fake = Fake::new();
    let out = make(&fake, &[], None);
    assert_eq!(code(&out), 0, "{}", result(&out));
    let help = stdout(&out);
    for target in TARGETS {
        assert!(
            help.lines()
                .any(|l| l.trim_start().starts_with(&format!("{target} "))),
            "target {target} missing from help:\n{help}"
        );
    }
    for param in PARAMETERS {
        assert!(
            help.lines()
                .any(|l| l.trim_start().starts_with(&format!("{param}="))),
            "parameter {param} missing from help:\n{help}"
        );
    }
    assert_eq!(stderr(&out), "", "help prints nothing else");
    let named = make(&fake, &["help"], None);
    assert_eq!(stdout(&named), help);

    // With -C from elsewhere: the same help, and a target that runs tfscope on modules/.
    let elsewhere = tempfile::tempdir().unwrap();
    let mut cmd = Command::new("make");
    cmd.current_dir(elsewhere.path())
        .args(["-s", "-C", ROOT, "-f", "Makefile.infra", "help"]);
    let out = run_with_stdin(cmd, None);
    assert_eq!(code(&out), 0, "{}", result(&out));
    assert_eq!(stdout(&out), help);
    let mut cmd = Command::new("make");
    cmd.current_dir(elsewhere.path()).args([
        "-s",
        "-C",
        ROOT,
        "-f",
        "Makefile.infra",
        "infra-targets",
        &format!("TFSCOPE={TFSCOPE}"),
    ]);
    let out = run_with_stdin(cmd, None);
    assert_eq!(code(&out), 0, "{}", result(&out));
    assert!(
        stdout(&out).contains("-target=module.app\n"),
        "{}",
        result(&out)
    );
    assert!(
        !Path::new(&fake.log()).exists(),
        "no terraform call: {:?}",
        fake.calls()
    );
}

#[test]
fn infra_up_all_inits_then_applies_base_then_runtime() {
    let fake = Fake::new();
    let out = make(&fake, &["infra-up", "SCOPE=all", "AUTO=true"], None);
    assert_eq!(code(&out), 0, "{}", result(&out));
    let calls = raw_calls(&fake);
    assert_eq!(calls.len(), 3, "{calls:?}");
    assert_eq!(calls[0], "-chdir=modules init -input=false");
    let apply = "-chdir=modules apply -var-file=../environments/dev.tfvars -auto-approve -target=";
    assert!(calls[1].starts_with(apply), "{calls:?}");
    assert!(calls[2].starts_with(apply), "{calls:?}");
    // base first (the database lives there), runtime second (the app).
    assert!(calls[1].contains("-target=module.data"), "{calls:?}");
    assert!(!calls[1].contains("-target=module.app"), "{calls:?}");
    assert!(calls[2].contains("-target=module.app"), "{calls:?}");
    assert!(!calls[2].contains("-target=module.data"), "{calls:?}");
    // It says what it runs.
    let err = stderr(&out);
    assert!(
        err.contains(&format!(
            "+ {TFSCOPE} up --scope all --env dev --auto-approve --no-verify --tf "
        )),
        "{err}"
    );
    assert!(err.contains("tfscope: up all: done (2 phase(s))"), "{err}");
}

#[test]
fn infra_up_passes_terraforms_failure_on() {
    let fake = Fake::new();
    let mut cmd = Command::new("make");
    cmd.current_dir(ROOT)
        .args([
            "-f",
            "Makefile.infra",
            "infra-up",
            "AUTO=true",
            "VERIFY=false",
        ])
        .arg(format!("TFSCOPE={TFSCOPE}"))
        .arg(format!(
            "TF={}",
            fake.dir.path().join("terraform").display()
        ))
        .env("FAKE_TF_LOG", fake.log())
        .env("TFSCOPE_HISTORY", fake.history())
        .env("FAKE_TF_FAIL", "apply");
    let out = run_with_stdin(cmd, None);
    assert_ne!(code(&out), 0, "{}", result(&out));
    assert!(
        stderr(&out).contains("terraform exited with 3"),
        "{}",
        result(&out)
    );
}

#[test]
fn infra_down_of_runtime_destroys_it_once_and_lets_terraform_ask() {
    let fake = Fake::new();
    // stdin is /dev/null: a prompt from the Makefile would abort, so there must be none.
    let out = make(&fake, &["infra-down"], None);
    assert_eq!(code(&out), 0, "{}", result(&out));
    let calls = fake.calls();
    let destroys: Vec<&String> = calls.iter().filter(|c| c.contains(" destroy ")).collect();
    assert_eq!(
        destroys,
        vec!["-chdir=modules destroy -var-file=../environments/dev.tfvars [5 targets]"],
        "{calls:?}"
    );
    assert!(
        calls.iter().all(|c| !c.contains("-auto-approve")),
        "{calls:?}"
    );
    let err = stderr(&out);
    assert!(!err.contains("WARNING"), "runtime does not cascade: {err}");
    assert!(
        err.contains(&format!(
            "+ {TFSCOPE} down --scope runtime --env dev --no-verify --tf "
        )),
        "{err}"
    );
}

#[test]
fn infra_down_of_base_warns_and_needs_the_scope_typed() {
    let fake = Fake::new();
    let warning = "tfscope: WARNING: destroying base also destroys the later scope(s) that depend on it: runtime (25 resources)";
    let question = "tfscope: type the scope name (base) to confirm: ";

    // A wrong answer aborts before anything runs.
    let out = make(
        &fake,
        &["infra-down", "SCOPE=base", "ALLOW_STATEFUL=true"],
        Some("no\n"),
    );
    assert_ne!(code(&out), 0, "make fails: {}", result(&out));
    let err = stderr(&out);
    assert!(err.contains(warning), "{err}");
    assert!(err.contains(question), "{err}");
    assert!(
        err.contains("tfscope: aborted: nothing was destroyed."),
        "{err}"
    );
    assert!(
        !fake.log().exists(),
        "terraform never ran: {:?}",
        fake.calls()
    );

    // No answer at all (EOF) is tfscope's refusal, without a question.
    let out = make(
        &fake,
        &["infra-down", "SCOPE=base", "ALLOW_STATEFUL=true"],
        Some(""),
    );
    assert_ne!(code(&out), 0, "make fails: {}", result(&out));
    assert!(!stderr(&out).contains(question), "{}", result(&out));
    assert!(
        !fake.log().exists(),
        "terraform never ran: {:?}",
        fake.calls()
    );

    // Without ALLOW_STATEFUL, tfscope refuses to lose the database whatever the answer, and
    // asks nothing.
    for answer in ["no\n", "base\n"] {
        let out = make(&fake, &["infra-down", "SCOPE=base"], Some(answer));
        assert_ne!(code(&out), 0, "make fails: {}", result(&out));
        let err = stderr(&out);
        assert!(err.contains("module.data.aws_db_instance.this"), "{err}");
        assert!(
            err.contains("help: pass --allow-stateful"),
            "says how to accept it: {err}"
        );
        assert!(!err.contains("to confirm"), "no pointless question: {err}");
        assert!(
            !fake.log().exists(),
            "terraform never ran: {:?}",
            fake.calls()
        );
    }

    // The right answer, with ALLOW_STATEFUL: runtime goes first, then base, without prompts.
    let out = make(
        &fake,
        &["infra-down", "SCOPE=base", "ALLOW_STATEFUL=true"],
        Some("base\n"),
    );
    assert_eq!(code(&out), 0, "{}", result(&out));
    let err = stderr(&out);
    assert!(err.contains(warning), "{err}");
    assert!(err.contains(&format!("{question}base\n")), "{err}");
    assert!(
        err.contains(&format!(
            "+ {TFSCOPE} down --scope base --env dev --allow-stateful --no-verify --tf "
        )),
        "{err}"
    );
    assert_both_destroyed(&fake);
}

#[test]
fn infra_down_of_base_with_auto_needs_allow_stateful_too() {
    let fake = Fake::new();
    let out = make(&fake, &["infra-down", "SCOPE=base", "AUTO=true"], None);
    assert_ne!(code(&out), 0, "{}", result(&out));
    let err = stderr(&out);
    assert!(err.contains("it destroys stateful resources: "), "{err}");
    assert!(
        !fake.log().exists(),
        "terraform never ran: {:?}",
        fake.calls()
    );

    let out = make(
        &fake,
        &[
            "infra-down",
            "SCOPE=base",
            "AUTO=true",
            "ALLOW_STATEFUL=true",
        ],
        None,
    );
    assert_eq!(code(&out), 0, "{}", result(&out));
    let err = stderr(&out);
    assert!(
        err.contains(&format!(
            "+ {TFSCOPE} down --scope base --env dev --auto-approve --allow-cascade --allow-stateful --no-verify --tf "
        )),
        "{err}"
    );
    assert!(!err.contains("to confirm"), "AUTO=true asks nothing: {err}");
    assert_both_destroyed(&fake);
}

#[test]
fn infra_down_of_all_is_no_cascade_but_still_guards_the_data() {
    let fake = Fake::new();
    let out = make(&fake, &["infra-down", "SCOPE=all", "AUTO=true"], None);
    assert_ne!(code(&out), 0, "{}", result(&out));
    assert!(stderr(&out).contains("it destroys stateful resources: "));
    assert!(
        !fake.log().exists(),
        "terraform never ran: {:?}",
        fake.calls()
    );

    let out = make(
        &fake,
        &[
            "infra-down",
            "SCOPE=all",
            "AUTO=true",
            "ALLOW_STATEFUL=true",
        ],
        None,
    );
    assert_eq!(code(&out), 0, "{}", result(&out));
    assert!(!stderr(&out).contains("WARNING"), "{}", result(&out));
    assert_both_destroyed(&fake);
}

#[test]
fn infra_down_of_an_unknown_scope_fails_before_terraform_runs() {
    let fake = Fake::new();
    let out = make(&fake, &["infra-down", "SCOPE=nope"], None);
    assert_ne!(code(&out), 0, "{}", result(&out));
    let err = stderr(&out);
    assert!(err.contains("unknown scope \"nope\""), "{err}");
    assert!(
        !fake.log().exists(),
        "terraform never ran: {:?}",
        fake.calls()
    );
}

/// init, then destroy runtime, then destroy base, all with -auto-approve.
fn assert_both_destroyed(fake: &Fake) {
    let calls = raw_calls(fake);
    assert_eq!(calls.len(), 3, "{calls:?}");
    assert_eq!(calls[0], "-chdir=modules init -input=false");
    let destroy =
        "-chdir=modules destroy -var-file=../environments/dev.tfvars -auto-approve -target=";
    assert!(calls[1].starts_with(destroy), "{calls:?}");
    assert!(calls[2].starts_with(destroy), "{calls:?}");
    assert!(
        calls[1].contains("-target=module.app"),
        "runtime first: {calls:?}"
    );
    assert!(
        calls[2].contains("-target=module.network"),
        "base last: {calls:?}"
    );
    std::fs::remove_file(fake.log()).unwrap();
}

#[test]
fn infra_plan_format_json_prints_json() {
    let fake = Fake::new();
    let out = make(&fake, &["infra-plan", "FORMAT=json"], None);
    assert_eq!(code(&out), 0, "{}", result(&out));
    let plan: serde_json::Value =
        serde_json::from_str(&stdout(&out)).expect("stdout is exactly one JSON document");
    assert_eq!(plan["scope"], "runtime");
    assert_eq!(plan["action"], "apply");
    assert_eq!(plan["phases"].as_array().unwrap().len(), 1);

    let out = make(
        &fake,
        &["infra-plan", "FORMAT=json", "SCOPE=base", "ACTION=destroy"],
        None,
    );
    assert_eq!(code(&out), 0, "{}", result(&out));
    let plan: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let scopes: Vec<&str> = plan["phases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["scope"].as_str().unwrap())
        .collect();
    assert_eq!(scopes, ["runtime", "base"]);
    assert!(!fake.log().exists(), "plan never runs terraform");
}

#[test]
fn infra_targets_prints_only_the_flags() {
    let fake = Fake::new();
    let out = make(&fake, &["infra-targets", "ACTION=destroy"], None);
    assert_eq!(code(&out), 0, "{}", result(&out));
    let direct = crate::tfscope(&[
        "targets",
        "--scope",
        "runtime",
        "--destroy",
        "--env",
        "dev",
        "modules",
    ]);
    assert_eq!(stdout(&out), stdout(&direct));
}

/// `scripts/generate-targets.sh` with tfscope given through `TFSCOPE`.
fn script(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(Path::new(ROOT).join("scripts/generate-targets.sh"));
    cmd.current_dir(ROOT)
        .args(args)
        .env("TFSCOPE", TFSCOPE)
        .env_remove("ENV")
        .env_remove("DIR");
    for (k, v) in env {
        cmd.env(k, v);
    }
    run_with_stdin(cmd, None)
}

#[test]
fn generate_targets_prints_only_target_lines() {
    let out = script(&["runtime", "destroy"], &[]);
    assert_eq!(code(&out), 0, "{}", result(&out));
    let text = stdout(&out);
    assert!(!text.is_empty());
    assert!(
        text.lines().all(|l| l.starts_with("-target=")),
        "{}",
        result(&out)
    );
    let direct = crate::tfscope(&[
        "targets",
        "--scope",
        "runtime",
        "--destroy",
        "--env",
        "dev",
        "modules",
    ]);
    assert_eq!(text, stdout(&direct));

    // apply is the default; ENV and DIR are honoured.
    let out = script(&["base"], &[("ENV", "prod")]);
    assert_eq!(code(&out), 0, "{}", result(&out));
    let direct = crate::tfscope(&["targets", "--scope", "base", "--env", "prod", "modules"]);
    assert_eq!(stdout(&out), stdout(&direct));
    let out = script(
        &["runtime", "apply"],
        &[("DIR", "tests/fixtures/layers"), ("ENV", "")],
    );
    let direct = crate::tfscope(&[
        "targets",
        "--scope",
        "runtime",
        "--env",
        "dev",
        "tests/fixtures/layers",
    ]);
    assert_eq!(code(&out), code(&direct), "{}", result(&out));
    assert_eq!(stdout(&out), stdout(&direct));
}

#[test]
fn generate_targets_usage_errors_exit_2() {
    for args in [
        &[][..],
        &["runtime", "nuke"],
        &["-x"],
        &["a", "apply", "more"],
    ] {
        let out = script(args, &[]);
        assert_eq!(code(&out), 2, "{args:?}: {}", result(&out));
        assert_eq!(stdout(&out), "", "{args:?}");
        assert!(
            stderr(&out).contains("usage: generate-targets.sh SCOPE [apply|destroy]"),
            "{args:?}: {}",
            result(&out)
        );
    }
    // tfscope's own exit code comes through: an unknown scope is an input error.
    let out = script(&["nope"], &[]);
    assert_eq!(code(&out), 2, "{}", result(&out));
    assert!(stderr(&out).contains("unknown scope"), "{}", result(&out));
}
