//! Faults, not just refusals (issue 10), with real Terraform and the mock provider failing or
//! stalling on command (`TFSCOPE_MOCK_FAULT`, tests/mock-provider/README.md):
//! 1. a failure in phase 2 of `up --scope all` stops there, names the phase and the resume
//!    command, and `--from-phase 2` finishes with a clean plan;
//! 2. a failure halfway through `down` leaves a consistent state, and a rerun completes;
//! 3. SIGINT during a phase reaches Terraform, which stops gracefully and releases the state
//!    lock; tfscope removes its plan file and exits 130; resuming completes.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::verified::{reference, text, Tmp};

pub fn a_failed_phase_resumes(version: &str) {
    let ws = reference(version);
    let tmp = Tmp::new();
    let spec = "fail:create:aws_ecs_service";
    let out = ws.run_tfscope(
        &["up", "--scope", "all", "--auto-approve"],
        &[
            ("TMPDIR", tmp.path()),
            ("TFSCOPE_MOCK_FAULT", Path::new(spec)),
        ],
    );
    let all = text(&out);
    assert_eq!(out.status.code(), Some(1), "terraform's exit code: {all}");
    assert!(
        all.contains("mock fault: create of aws_ecs_service failed on purpose"),
        "{all}"
    );
    assert!(
        all.contains("tfscope: phase 2/2 (apply runtime) failed: terraform exited with 1"),
        "{all}"
    );
    assert!(
        all.contains("hint: fix the problem, then resume with: tfscope up --scope all --env dev --auto-approve --from-phase 2 ."),
        "{all}"
    );
    tmp.assert_empty("failed up");
    let state = ws.state();
    assert!(
        state.keys().any(|a| a.starts_with("module.network.")),
        "base is up"
    );
    assert!(
        !state.keys().any(|a| a.contains("aws_ecs_service")),
        "the failed create left nothing: {state:?}"
    );

    let out = ws.run_tfscope(
        &[
            "up",
            "--scope",
            "all",
            "--auto-approve",
            "--from-phase",
            "2",
        ],
        &[("TMPDIR", tmp.path())],
    );
    let all = text(&out);
    assert!(out.status.success(), "{all}");
    assert!(!all.contains("phase 1/2"), "only phase 2 runs: {all}");
    assert!(
        all.contains("tfscope: phase 2: Terraform's plan keeps the promise"),
        "{all}"
    );
    assert_eq!(ws.plan_exit_code(), 0, "the plan is clean after the resume");
    tmp.assert_empty("resumed up");
}

pub fn a_failed_down_leaves_a_consistent_state(version: &str) {
    let ws = reference(version);
    let tmp = Tmp::new();
    let out = ws.run_tfscope(&["up", "--scope", "all", "--auto-approve"], &[]);
    assert!(out.status.success(), "{}", text(&out));
    let full = ws.state();
    // The services go first (everything else of runtime they need outlives them); failing their
    // delete stops the destroy halfway. (Failing a later delete, the cluster's, would leave a
    // state that Terraform 1.0.3 itself cannot destroy from: its outputs index a deleted
    // `count` resource, "Invalid index"; 1.15.5 handles it.)
    let spec = "fail:delete:aws_ecs_service";
    let out = ws.run_tfscope(
        &["down", "--scope", "runtime", "--auto-approve"],
        &[
            ("TMPDIR", tmp.path()),
            ("TFSCOPE_MOCK_FAULT", Path::new(spec)),
        ],
    );
    let all = text(&out);
    assert_eq!(out.status.code(), Some(1), "{all}");
    assert!(
        all.contains("mock fault: delete of aws_ecs_service failed on purpose"),
        "{all}"
    );
    assert!(all.contains("phase 1/1 (destroy runtime) failed"), "{all}");
    tmp.assert_empty("failed down");
    // Consistent: what depends on the services is gone, the services and what they need are
    // still there, and every object left has the id it had.
    let half = ws.state();
    assert!(
        half.keys().any(|a| a.contains("aws_ecs_service")),
        "{half:?}"
    );
    assert!(
        half.contains_key("module.app.aws_ecs_cluster.this"),
        "{half:?}"
    );
    assert!(
        half.len() < full.len(),
        "something was destroyed before the failure"
    );
    for (addr, id) in &half {
        assert_eq!(full.get(addr), Some(id), "{addr} changed");
    }
    let status = ws.run_tfscope(&["status"], &[]);
    assert!(
        String::from_utf8_lossy(&status.stdout).contains("runtime  partial"),
        "{}",
        text(&status)
    );
    // The rerun completes, verified against the half-destroyed state.
    let out = ws.run_tfscope(
        &["down", "--scope", "runtime", "--auto-approve"],
        &[("TMPDIR", tmp.path())],
    );
    assert!(out.status.success(), "{}", text(&out));
    let scopes = ws.scopes();
    let after = ws.state();
    assert!(!after.is_empty());
    assert!(after
        .keys()
        .all(|a| scopes.scope_of(&crate::harness::config_address(a)) == 0));
    tmp.assert_empty("rerun down");
}

pub fn sigint_stops_terraform_gracefully(version: &str) {
    let ws = reference(version);
    let tmp = Tmp::new();
    let spec = "sleep=6:create:aws_ecs_service";
    // Output to files: an unread pipe would fill and stall Terraform.
    let out_file = tmp.path().with_extension("stdout");
    let err_file = tmp.path().with_extension("stderr");
    let mut child = ws
        .tfscope_command(
            &[
                "up",
                "--scope",
                "all",
                "--env",
                "dev",
                "--auto-approve",
                ".",
            ],
            &[
                ("TMPDIR", tmp.path()),
                ("TFSCOPE_MOCK_FAULT", Path::new(spec)),
            ],
        )
        .stdout(std::fs::File::create(&out_file).unwrap())
        .stderr(std::fs::File::create(&err_file).unwrap())
        .spawn()
        .unwrap();
    let output = |status: std::process::ExitStatus| {
        format!(
            "exit {:?}\n--- stdout\n{}--- stderr\n{}",
            status.code(),
            std::fs::read_to_string(&out_file).unwrap_or_default(),
            std::fs::read_to_string(&err_file).unwrap_or_default()
        )
    };
    // Wait until the mock provider stalls in the middle of phase 2's apply.
    let start = Instant::now();
    while !ws.log().iter().any(|(action, _)| action == "fault") {
        assert!(
            start.elapsed() < Duration::from_secs(240),
            "the fault never fired"
        );
        if let Some(status) = child.try_wait().unwrap() {
            panic!("tfscope ended early: {}", output(status));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(
        ws.root.join(".terraform.tfstate.lock.info").exists(),
        "Terraform holds the state lock while it applies"
    );
    // SIGINT to tfscope alone, as `kill -INT` would send it.
    // SAFETY: kill(2) on our own child.
    unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) };
    let status = child.wait().unwrap();
    let all = output(status);
    assert_eq!(status.code(), Some(130), "{all}");
    assert!(
        all.contains("Interrupt received") || all.contains("Stopping operation"),
        "Terraform got the interrupt: {all}"
    );
    assert!(
        all.contains("tfscope: interrupted during phase 2/2 (apply runtime)"),
        "{all}"
    );
    assert!(all.contains("--from-phase 2"), "{all}");
    tmp.assert_empty("interrupted up");
    assert!(
        !ws.root.join(".terraform.tfstate.lock.info").exists(),
        "the state lock is released"
    );
    // The state is readable and the lock free: a plan with no lock timeout works.
    ws.ok(&[
        "plan",
        "-lock-timeout=0s",
        "-input=false",
        "-no-color",
        "-var-file=../environments/dev.tfvars",
    ]);
    let out = ws.run_tfscope(
        &[
            "up",
            "--scope",
            "all",
            "--auto-approve",
            "--from-phase",
            "2",
        ],
        &[("TMPDIR", tmp.path())],
    );
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(ws.plan_exit_code(), 0, "clean after resuming");
}
