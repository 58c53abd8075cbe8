//! `tfscope up` / `down` in direct mode (`--no-verify`) against a fake terraform on PATH that
//! records its arguments and fails on demand: phase order, init, resume, refusals, dry runs and
//! binary lookup. Verified mode (saved plans checked against the promise) is in `verified.rs`
//! and, with real Terraform, in the end-to-end suite.

use std::path::{Path, PathBuf};
use std::process::Output;

use insta::assert_snapshot;

use crate::{code, result, stderr, stdout};

/// A fake `terraform` in a temporary directory: appends its arguments to a log, exits 3 when its
/// arguments contain `FAKE_TF_FAIL`, writes the file of `plan -out=FILE`, and answers
/// `show -json` with the file `FAKE_TF_SHOW` names.
pub struct Fake {
    pub dir: tempfile::TempDir,
}

impl Fake {
    pub fn new() -> Fake {
        let dir = tempfile::tempdir().unwrap();
        let script = dir.path().join("terraform");
        std::fs::write(
            &script,
            concat!(
                "#!/bin/sh\n",
                "echo \"$*\" >> \"$FAKE_TF_LOG\"\n",
                "case \"$*\" in *\"$FAKE_TF_FAIL\"*) [ -n \"$FAKE_TF_FAIL\" ] && { echo 'fake terraform: failing on purpose' >&2; exit 3; };; esac\n",
                // plan -out=FILE writes the plan file; show -json prints $FAKE_TF_SHOW.
                "for a in \"$@\"; do case \"$a\" in -out=*) : > \"${a#-out=}\";; esac; done\n",
                "case \" $* \" in *\" show \"*) [ -n \"$FAKE_TF_SHOW\" ] && cat \"$FAKE_TF_SHOW\";; esac\n",
                "exit 0\n"
            ),
        )
        .unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
        Fake { dir }
    }

    pub fn log(&self) -> PathBuf {
        self.dir.path().join("argv.log")
    }

    /// tfscope with only the fake terraform (and the shell's basics) on PATH.
    pub fn command(&self, args: &[&str]) -> assert_cmd::Command {
        let mut cmd = assert_cmd::Command::cargo_bin("tfscope").unwrap();
        cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
            .env("NO_COLOR", "1")
            .env(
                "PATH",
                format!("{}:/usr/bin:/bin", self.dir.path().display()),
            )
            .env_remove("TFSCOPE_TERRAFORM")
            .env("FAKE_TF_LOG", self.log())
            .env("FAKE_TF_FAIL", "")
            // up/down append to a history; keep it out of the repository's roots.
            .env("TFSCOPE_HISTORY", self.history())
            .args(args);
        cmd
    }

    /// The history file up/down append to under [`Fake::command`].
    pub fn history(&self) -> PathBuf {
        self.dir.path().join("history.jsonl")
    }

    /// Runs [`Fake::command`], the fake failing on a call that contains `fail_on`.
    pub fn run(&self, args: &[&str], fail_on: &str) -> Output {
        self.command(args)
            .env("FAKE_TF_FAIL", fail_on)
            .output()
            .unwrap()
    }

    /// Each recorded terraform call, targets elided to keep it readable.
    pub fn calls(&self) -> Vec<String> {
        std::fs::read_to_string(self.log())
            .unwrap_or_default()
            .lines()
            .map(|l| {
                let targets = l.matches("-target=").count();
                // Plan files live in a fresh temporary directory each time.
                let head: Vec<&str> = l
                    .split(' ')
                    .filter(|w| !w.starts_with("-target="))
                    .map(|w| {
                        if w.starts_with("-out=") {
                            "-out=PLANFILE"
                        } else if w.ends_with(".tfplan") {
                            "PLANFILE"
                        } else {
                            w
                        }
                    })
                    .collect();
                format!("{} [{targets} targets]", head.join(" "))
            })
            .collect()
    }
}

#[test]
fn up_all_inits_then_applies_each_scope_in_order() {
    let fake = Fake::new();
    let out = fake.run(
        &[
            "up",
            "--no-verify",
            "--scope",
            "all",
            "--env",
            "dev",
            "--auto-approve",
        ],
        "",
    );
    assert_eq!(code(&out), 0, "{}", result(&out));
    assert_eq!(
        fake.calls(),
        vec![
            "-chdir=modules init -input=false [0 targets]",
            "-chdir=modules apply -var-file=../environments/dev.tfvars -auto-approve [4 targets]",
            "-chdir=modules apply -var-file=../environments/dev.tfvars -auto-approve [2 targets]",
        ]
    );
    assert!(stderr(&out).contains("tfscope: phase 2/2: apply runtime (25 resources, 2 targets)"));
}

#[test]
fn without_auto_approve_terraform_keeps_its_prompt() {
    let fake = Fake::new();
    let out = fake.run(
        &["up", "--no-verify", "--scope", "runtime", "--env", "dev"],
        "",
    );
    assert_eq!(code(&out), 0, "{}", result(&out));
    assert!(fake.calls().iter().all(|c| !c.contains("-auto-approve")));
}

#[test]
fn a_failed_phase_stops_names_itself_and_says_how_to_resume() {
    let fake = Fake::new();
    let args = [
        "down",
        "--no-verify",
        "--scope",
        "base",
        "--env",
        "dev",
        "--auto-approve",
        "--allow-cascade",
        "--allow-stateful",
    ];
    // The second phase destroys base: its targets include module.network.
    let out = fake.run(&args, "-target=module.network");
    assert_eq!(code(&out), 3, "terraform's own exit code: {}", result(&out));
    assert_eq!(
        fake.calls().len(),
        3,
        "init, phase 1, failed phase 2: {:?}",
        fake.calls()
    );
    assert_snapshot!(stderr(&out));
    // Resume: only phase 2 runs.
    std::fs::remove_file(fake.log()).unwrap();
    let mut resumed = args.to_vec();
    resumed.extend(["--from-phase", "2"]);
    let out = fake.run(&resumed, "");
    assert_eq!(code(&out), 0, "{}", result(&out));
    let calls = fake.calls();
    assert_eq!(calls.len(), 2, "{calls:?}");
    assert!(calls[1].starts_with("-chdir=modules destroy"), "{calls:?}");
}

#[test]
fn down_that_cascades_or_destroys_state_is_refused_without_consent() {
    let fake = Fake::new();
    let out = fake.run(
        &["down", "--no-verify", "--scope", "base", "--env", "dev"],
        "",
    );
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains(
        "refusing to bring base down: it takes later scopes with it: runtime (25 resources)"
    ));
    // --allow-cascade alone is not consent: it needs --auto-approve too.
    let out = fake.run(
        &[
            "down",
            "--no-verify",
            "--scope",
            "base",
            "--env",
            "dev",
            "--allow-cascade",
        ],
        "",
    );
    assert_eq!(code(&out), 2);
    let out = fake.run(
        &[
            "down",
            "--no-verify",
            "--scope",
            "base",
            "--env",
            "dev",
            "--auto-approve",
            "--allow-cascade",
        ],
        "",
    );
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("it destroys stateful resources: "),
        "{}",
        result(&out)
    );
    assert!(
        stderr(&out).contains("module.data.aws_db_instance.this"),
        "{}",
        result(&out)
    );
    assert!(
        !Path::new(&fake.log()).exists(),
        "terraform never ran: {:?}",
        fake.calls()
    );
    // Runtime alone neither cascades nor holds state: no consent needed.
    let out = fake.run(
        &["down", "--no-verify", "--scope", "runtime", "--env", "dev"],
        "",
    );
    assert_eq!(code(&out), 0, "{}", result(&out));
}

#[test]
fn down_asks_for_the_scope_name_where_the_rules_need_consent() {
    let fake = Fake::new();
    let base = [
        "down",
        "--no-verify",
        "--scope",
        "base",
        "--env",
        "dev",
        "--allow-stateful",
    ];
    let question = "tfscope: type the scope name (base) to confirm: ";
    // A wrong answer: the question, what would have run, then nothing ran.
    let out = fake.command(&base).write_stdin("no\n").output().unwrap();
    assert_eq!(code(&out), 1, "{}", result(&out));
    let err = stderr(&out);
    assert!(err.contains("tfscope: WARNING: destroying base also destroys the later scope(s) that depend on it: runtime (25 resources)"), "{err}");
    assert!(
        err.contains(
            "this destroys stateful resources and their data: module.data.aws_db_instance.this"
        ),
        "{err}"
    );
    assert!(err.contains("/terraform -chdir=modules destroy -var-file=../environments/dev.tfvars -auto-approve -target=module.app"), "{err}");
    assert!(err.contains(&format!("{question}no\n")), "{err}");
    assert!(
        err.contains("tfscope: aborted: nothing was destroyed."),
        "{err}"
    );
    assert!(
        !Path::new(&fake.log()).exists(),
        "terraform ran: {:?}",
        fake.calls()
    );
    // No answer at all: the refusal, as without a question.
    let out = fake.command(&base).write_stdin("").output().unwrap();
    assert_eq!(code(&out), 2, "{}", result(&out));
    assert!(!stderr(&out).contains(question), "{}", result(&out));
    // Without --allow-stateful typing cannot consent to losing the data: no question.
    let out = fake
        .command(&base[..6])
        .write_stdin("base\n")
        .output()
        .unwrap();
    assert_eq!(code(&out), 2, "{}", result(&out));
    assert!(
        stderr(&out).contains("help: pass --allow-stateful"),
        "{}",
        result(&out)
    );
    assert!(!stderr(&out).contains(question), "{}", result(&out));
    assert!(
        !Path::new(&fake.log()).exists(),
        "terraform ran: {:?}",
        fake.calls()
    );
    // The scope name: every phase runs, later scope first, without Terraform's prompts.
    let out = fake.command(&base).write_stdin("base\n").output().unwrap();
    assert_eq!(code(&out), 0, "{}", result(&out));
    let calls = fake.calls();
    assert_eq!(calls.len(), 3, "{calls:?}");
    assert!(
        calls[1].contains("destroy") && calls[1].contains("-auto-approve"),
        "{calls:?}"
    );
    assert!(
        calls[2].contains("destroy") && calls[2].contains("-auto-approve"),
        "{calls:?}"
    );
    // A failure then says how to resume: with the same flags, so it asks again.
    std::fs::remove_file(fake.log()).unwrap();
    let out = fake
        .command(&base)
        .env("FAKE_TF_FAIL", "module.network")
        .write_stdin("base\n")
        .output()
        .unwrap();
    assert!(
        stderr(&out).contains(
            "resume with: tfscope down --scope base --env dev --allow-stateful --no-verify --from-phase 2"
        ),
        "{}",
        result(&out)
    );
}

#[test]
fn stateful_runtime_resources_need_allow_stateful() {
    let fake = Fake::new();
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("main.tf"),
        "resource \"aws_ebs_volume\" \"scratch\" {\n  size = 1\n  tags = { Scope = \"runtime\" }\n}\n",
    )
    .unwrap();
    let root = tmp.path().to_str().unwrap();
    let out = fake.run(&["down", "--no-verify", "--scope", "runtime", root], "");
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("it destroys stateful resources: aws_ebs_volume.scratch"),
        "{}",
        result(&out)
    );
    let out = fake.run(
        &[
            "down",
            "--no-verify",
            "--scope",
            "runtime",
            "--auto-approve",
            "--allow-stateful",
            root,
        ],
        "",
    );
    assert_eq!(code(&out), 0, "{}", result(&out));
}

#[test]
fn dry_run_prints_the_commands_and_runs_nothing() {
    let fake = Fake::new();
    let out = fake.run(
        &[
            "up",
            "--no-verify",
            "--scope",
            "all",
            "--env",
            "dev",
            "--dry-run",
        ],
        "",
    );
    assert_eq!(code(&out), 0);
    let lines: Vec<String> = stdout(&out).lines().map(str::to_string).collect();
    assert_eq!(lines.len(), 2);
    assert!(
        lines[0].contains("apply -var-file=../environments/dev.tfvars -target=module.data"),
        "{lines:?}"
    );
    assert!(!fake.log().exists());
}

#[test]
fn a_missing_terraform_is_a_clear_error() {
    let out = assert_cmd::Command::cargo_bin("tfscope")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .env("PATH", "/nonexistent")
        .env_remove("TFSCOPE_TERRAFORM")
        .args(["up", "--scope", "runtime", "--env", "dev"])
        .output()
        .unwrap();
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("no terraform binary found; tried: terraform on PATH, tofu on PATH"),
        "{}",
        result(&out)
    );
    let fake = Fake::new();
    let tf = fake.dir.path().join("terraform");
    let out = assert_cmd::Command::cargo_bin("tfscope")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("PATH", "/usr/bin:/bin")
        .env("TFSCOPE_TERRAFORM", &tf)
        .env("FAKE_TF_LOG", fake.log())
        .env("TFSCOPE_HISTORY", fake.history())
        .args([
            "up",
            "--no-verify",
            "--scope",
            "runtime",
            "--env",
            "dev",
            "--auto-approve",
        ])
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "TFSCOPE_TERRAFORM is used: {}", result(&out));
    assert_eq!(fake.calls().len(), 2);
}

#[test]
fn down_warns_about_recreate_hazards_before_terraform_runs() {
    let fake = Fake::new();
    let out = fake.run(
        &[
            "down",
            "--no-verify",
            "--scope",
            "runtime",
            "--auto-approve",
            "--allow-stateful",
            "tests/fixtures/issue10/hazards",
        ],
        "",
    );
    assert_eq!(code(&out), 0, "{}", result(&out));
    let err = stderr(&out);
    let warning = "warning: tests/fixtures/issue10/hazards/app/main.tf:6:1: module.app.aws_secretsmanager_secret.token (runtime) will block `up` for 7 days";
    let phase = "tfscope: phase 1/1: destroy runtime";
    assert!(err.contains(warning), "{err}");
    assert!(
        err.find(warning) < err.find(phase),
        "before Terraform: {err}"
    );
}
