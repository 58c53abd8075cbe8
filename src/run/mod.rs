//! Runs Terraform for a plan: finds the binary (`--tf`, `TFSCOPE_TERRAFORM`, `terraform`, then
//! `tofu` on PATH), runs `init` when the root has not been initialised, then the phases in order.
//!
//! Verified (the default): each phase is `terraform plan [-destroy] -out=FILE -target=...`, then
//! `terraform show -json FILE`, checked against the phase's promise ([`verify`](mod@verify)), then
//! `terraform apply FILE`, so what was verified is exactly what runs. The plan file lives in a
//! private temporary directory (0700, the file 0600: it may hold secrets) that is removed after
//! the phase, on failure and on interrupt. Direct (`--no-verify`): one `apply`/`destroy
//! -target=...` per phase, with Terraform's own prompt.
//!
//! Interrupts: Terraform stops gracefully on its first SIGINT (finishes what is in flight, writes
//! state, releases the lock) and exits at once on a second. tfscope makes sure it gets exactly
//! one: in verified mode Terraform runs in its own process group and tfscope forwards the signal;
//! in direct mode Terraform shares the terminal (it prompts), so a Ctrl-C from the terminal
//! reaches it directly and tfscope forwards only signals sent to tfscope alone. When no Terraform
//! runs, an interrupt removes the plan files and exits with 130.
//!
//! Stops at the first failure and reports which phase failed so the caller can say how to resume.
//! Owns every Terraform process of `up`, `down` and `verify`; the phases come from `plan`.

pub mod consent;
pub mod history;
pub mod invocation;
pub mod resume;
pub mod status;
pub mod verify;

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};

use crate::error::Error;
use crate::run::invocation::Invocation;
use crate::run::verify::{PhaseCheck, SavedPlan, Verifier};
use crate::target::plan::{Phase, Plan};

/// The state document `tfscope status` reads, and where it came from (for messages): a file,
/// standard input (`-`), or `terraform show -json` in the root.
pub fn read_state(
    root: &Path,
    state: Option<&Path>,
    tf: Option<&Path>,
) -> Result<(String, String), Error> {
    use std::io::Read;
    match state {
        Some(p) if p == Path::new("-") => {
            let mut text = String::new();
            std::io::stdin()
                .read_to_string(&mut text)
                .map_err(|source| Error::Io {
                    path: PathBuf::from("<stdin>"),
                    source,
                })?;
            Ok((text, "standard input".into()))
        }
        Some(p) => Ok((crate::error::read_file(p)?, crate::error::display_path(p))),
        None => {
            let binary = find_terraform(tf)?.path.display().to_string();
            let invocation = Invocation {
                binary,
                ..Invocation::new(root, None)
            };
            let supervisor = Supervisor::start()?;
            let args = invocation.show_state_args();
            let exited = supervisor.spawn_and_wait(
                &invocation.binary,
                &args,
                Group::Own,
                Stdio::piped(),
                Capture::StdoutAndStderr,
            )?;
            let origin = format!("`terraform show -json` in {}", root.display());
            if exited.code != 0 {
                return Err(Error::state(origin, exited.stderr.trim().to_string()));
            }
            Ok((exited.stdout, origin))
        }
    }
}

/// What `--no-verify` gives up, said before Terraform runs.
pub fn unverified_warning() -> crate::error::Warning {
    crate::error::Warning {
        location: None,
        message: "--no-verify: Terraform runs apply/destroy -target=... directly; nothing checks its plan against tfscope's promise, so a wrong classification or drifted state can change objects of other scopes".into(),
    }
}

/// Where the terraform binary came from, for messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binary {
    pub path: PathBuf,
    pub source: &'static str,
}

/// Resolves the Terraform (or OpenTofu) binary.
pub fn find_terraform(explicit: Option<&Path>) -> Result<Binary, Error> {
    let mut tried = Vec::new();
    let from_env = std::env::var_os("TFSCOPE_TERRAFORM").filter(|v| !v.is_empty());
    for (candidate, source) in [
        (explicit.map(Path::to_path_buf), "--tf"),
        (from_env.map(PathBuf::from), "TFSCOPE_TERRAFORM"),
    ] {
        let Some(path) = candidate else { continue };
        // A bare name is looked up on PATH; a path must exist.
        let found = if path.components().count() == 1 {
            which::which(&path).ok()
        } else {
            path.is_file().then(|| path.clone())
        };
        match found {
            Some(p) => return Ok(Binary { path: p, source }),
            None => {
                return Err(Error::TerraformNotFound {
                    tried: vec![format!("{} ({source})", path.display())],
                })
            }
        }
    }
    for name in ["terraform", "tofu"] {
        if let Ok(p) = which::which(name) {
            return Ok(Binary {
                path: p,
                source: "PATH",
            });
        }
        tried.push(format!("{name} on PATH"));
    }
    Err(Error::TerraformNotFound { tried })
}

/// How a run ended. Phases are 1-based; phase 0 is `terraform init`.
#[derive(Debug, Clone)]
pub enum Outcome {
    Done {
        phases: usize,
    },
    /// Terraform exited with `code`.
    Failed {
        phase: usize,
        code: i32,
    },
    /// Terraform's plan for the phase breaks the promise; nothing of it was applied.
    Refused {
        phase: usize,
        check: Box<PhaseCheck>,
    },
    /// The person at the prompt did not answer `yes`.
    Declined {
        phase: usize,
    },
    /// SIGINT or SIGTERM: Terraform was told to stop and has stopped.
    Interrupted {
        phase: usize,
    },
}

/// A run of a plan's phases.
pub struct Run<'a> {
    pub plan: &'a Plan,
    pub invocation: &'a Invocation,
    pub root: &'a Path,
    /// First phase to run (1-based), to resume after a failure.
    pub from_phase: usize,
    /// `None`: `--no-verify`, Terraform's direct apply/destroy.
    pub verifier: Option<&'a Verifier<'a>>,
    /// Where each phase that ends is recorded (`None`: nowhere).
    pub history: Option<&'a history::Recorder>,
}

/// Runs the phases of `run.plan` from `run.from_phase`, writing progress to `progress` and
/// reading the answer to "apply this plan?" from `answers` unless `-auto-approve` was given.
pub fn run(
    run: &Run<'_>,
    progress: &mut dyn Write,
    answers: &mut dyn BufRead,
) -> Result<Outcome, Error> {
    let supervisor = Supervisor::start()?;
    let total = run.plan.phases.len();
    if let Some(code) = init_if_needed(&supervisor, run.invocation, run.root, progress)? {
        return Ok(Outcome::Failed { phase: 0, code });
    }
    let mut ran = 0;
    for phase in run
        .plan
        .phases
        .iter()
        .filter(|p| p.number >= run.from_phase)
    {
        let count: usize = phase.resources.values().map(Vec::len).sum();
        let _ = writeln!(
            progress,
            "tfscope: phase {}/{total}: {} {} ({count} resources, {} targets)",
            phase.number,
            phase.action.verb(),
            phase.scope,
            phase.targets.len()
        );
        let outcome = match run.verifier {
            None => {
                let args = run.invocation.args(phase.action, &phase.targets);
                let code = supervisor.execute(
                    &run.invocation.binary,
                    &args,
                    Group::Shared,
                    Sink::Stdout,
                )?;
                finished(&supervisor, phase.number, code)
            }
            Some(verifier) => verified_phase(&supervisor, run, verifier, phase, progress, answers)?,
        };
        record(run.history, phase, outcome.as_ref(), progress);
        if let Some(outcome) = outcome {
            return Ok(outcome);
        }
        ran += 1;
    }
    Ok(Outcome::Done { phases: ran })
}

/// Appends the phase's line to the history; a history that cannot be written is a warning,
/// never a reason to stop between phases.
fn record(
    history: Option<&history::Recorder>,
    phase: &Phase,
    outcome: Option<&Outcome>,
    progress: &mut dyn Write,
) {
    let Some(recorder) = history else { return };
    let result = match outcome {
        None | Some(Outcome::Done { .. }) => history::Outcome::Ok,
        Some(Outcome::Failed { .. }) => history::Outcome::Failed,
        Some(Outcome::Refused { .. }) => history::Outcome::Refused,
        Some(Outcome::Declined { .. }) => history::Outcome::Declined,
        Some(Outcome::Interrupted { .. }) => history::Outcome::Interrupted,
    };
    if let Err(e) = recorder.record(&phase.scope, phase.action, result) {
        let file = crate::error::display_path(&recorder.path);
        let _ = writeln!(progress, "tfscope: warning: cannot append to {file}: {e}");
    }
}

/// How `verify` ended.
#[derive(Debug, Clone)]
pub enum Verified {
    /// Every phase planned and compared.
    Checked(Vec<PhaseCheck>),
    Failed {
        phase: usize,
        code: i32,
    },
    Interrupted {
        phase: usize,
    },
}

/// Plans every phase against the current state and compares each with its promise, applying
/// nothing. Terraform's own output goes to `stderr`, so stdout stays the report's.
pub fn verify(
    plan: &Plan,
    invocation: &Invocation,
    root: &Path,
    verifier: &Verifier<'_>,
    progress: &mut dyn Write,
) -> Result<Verified, Error> {
    let supervisor = Supervisor::start()?;
    if let Some(code) = init_if_needed(&supervisor, invocation, root, progress)? {
        return Ok(Verified::Failed { phase: 0, code });
    }
    let mut checks = Vec::new();
    for phase in &plan.phases {
        let _ = writeln!(
            progress,
            "tfscope: phase {}/{}: planning {} {}",
            phase.number,
            plan.phases.len(),
            phase.action.verb(),
            phase.scope
        );
        let dir = supervisor.private_dir()?;
        match plan_and_show(&supervisor, invocation, phase, dir.path(), Sink::Stderr)? {
            PlanStep::Saved(saved, _) => checks.push(verifier.check(phase, &saved)),
            PlanStep::Failed(_) if supervisor.interrupted() => {
                return Ok(Verified::Interrupted {
                    phase: phase.number,
                });
            }
            PlanStep::Failed(code) => {
                return Ok(Verified::Failed {
                    phase: phase.number,
                    code,
                })
            }
        }
    }
    Ok(Verified::Checked(checks))
}

/// Runs `terraform init` when the root has no `.terraform`; `Some(code)` when it failed.
fn init_if_needed(
    supervisor: &Supervisor,
    invocation: &Invocation,
    root: &Path,
    progress: &mut dyn Write,
) -> Result<Option<i32>, Error> {
    if root.join(".terraform").is_dir() {
        return Ok(None);
    }
    let _ = writeln!(
        progress,
        "tfscope: {} is not initialised: running terraform init",
        root.display()
    );
    let code = supervisor.execute(
        &invocation.binary,
        &invocation.init_args(),
        Group::Own,
        Sink::Stdout,
    )?;
    Ok((code != 0).then_some(code))
}

/// `None` when a step succeeded and the run goes on.
fn finished(supervisor: &Supervisor, phase: usize, code: i32) -> Option<Outcome> {
    if supervisor.interrupted() {
        Some(Outcome::Interrupted { phase })
    } else if code != 0 {
        Some(Outcome::Failed { phase, code })
    } else {
        None
    }
}

/// What planning a phase gave: the saved plan read back, or Terraform's failure.
enum PlanStep {
    Saved(SavedPlan, PathBuf),
    Failed(i32),
}

/// `plan -out` into `dir`, then `show -json` of the plan file.
fn plan_and_show(
    supervisor: &Supervisor,
    invocation: &Invocation,
    phase: &Phase,
    dir: &Path,
    sink: Sink,
) -> Result<PlanStep, Error> {
    let file = dir.join(format!("phase-{}.tfplan", phase.number));
    let args = invocation.plan_args(phase.action, &phase.targets, &file);
    let code = supervisor.execute(&invocation.binary, &args, Group::Own, sink)?;
    if code != 0 || supervisor.interrupted() {
        return Ok(PlanStep::Failed(code.max(1)));
    }
    restrict(&file)?;
    let (code, json) = supervisor.capture(&invocation.binary, &invocation.show_args(&file))?;
    if code != 0 || supervisor.interrupted() {
        return Ok(PlanStep::Failed(code.max(1)));
    }
    let saved = SavedPlan::parse(&json).map_err(|message| {
        let origin = format!(
            "`terraform show -json` of the plan for phase {}",
            phase.number
        );
        Error::state(origin, message)
    })?;
    Ok(PlanStep::Saved(saved, file))
}

/// One verified phase: plan, compare, ask, apply the saved plan.
fn verified_phase(
    supervisor: &Supervisor,
    run: &Run<'_>,
    verifier: &Verifier<'_>,
    phase: &Phase,
    progress: &mut dyn Write,
    answers: &mut dyn BufRead,
) -> Result<Option<Outcome>, Error> {
    let dir = supervisor.private_dir()?;
    let (saved, file) =
        match plan_and_show(supervisor, run.invocation, phase, dir.path(), Sink::Stdout)? {
            PlanStep::Saved(saved, file) => (saved, file),
            PlanStep::Failed(code) => return Ok(finished(supervisor, phase.number, code)),
        };
    let check = verifier.check(phase, &saved);
    if !check.agrees() {
        return Ok(Some(Outcome::Refused {
            phase: phase.number,
            check: Box::new(check),
        }));
    }
    let _ = write!(progress, "{}", check.summary());
    if saved.is_empty() {
        let _ = writeln!(
            progress,
            "tfscope: phase {}: Terraform plans no changes; nothing to apply",
            phase.number
        );
        return Ok(None);
    }
    if !run.invocation.auto_approve {
        let _ = write!(
            progress,
            "tfscope: apply this plan ({} {})? Only 'yes' will be accepted: ",
            phase.action.verb(),
            phase.scope
        );
        let _ = progress.flush();
        let mut answer = String::new();
        let _ = answers.read_line(&mut answer);
        if !std::io::IsTerminal::is_terminal(&std::io::stdin()) {
            // The answer was not echoed: end the prompt's line.
            let _ = writeln!(progress);
        }
        if supervisor.interrupted() || answer.trim() != "yes" {
            return Ok(Some(Outcome::Declined {
                phase: phase.number,
            }));
        }
    }
    let code = supervisor.execute(
        &run.invocation.binary,
        &run.invocation.apply_plan_args(&file),
        Group::Own,
        Sink::Stdout,
    )?;
    Ok(finished(supervisor, phase.number, code))
}

/// Owner-only permissions: a plan file can hold secrets.
fn restrict(file: &Path) -> Result<(), Error> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(file, std::fs::Permissions::from_mode(0o600)).map_err(|source| {
        Error::Io {
            path: file.to_path_buf(),
            source,
        }
    })
}

/// Whether Terraform gets its own process group (tfscope forwards interrupts) or shares the
/// terminal's (it may prompt; the terminal interrupts it directly).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Group {
    Own,
    Shared,
}

/// Where Terraform's standard output goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sink {
    Stdout,
    Stderr,
}

#[derive(Default)]
struct Shared {
    /// The running Terraform: its pid and group mode.
    child: Option<(u32, Group)>,
    interrupted: bool,
    /// Private directories to remove if an interrupt ends tfscope between processes.
    dirs: Vec<PathBuf>,
}

/// Starts Terraform processes and stands between them and interrupts.
struct Supervisor {
    shared: Arc<Mutex<Shared>>,
    handle: signal_hook::iterator::Handle,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Supervisor {
    fn start() -> Result<Supervisor, Error> {
        use signal_hook::consts::{SIGINT, SIGTERM};
        use signal_hook::iterator::exfiltrator::WithOrigin;
        use signal_hook::iterator::SignalsInfo;
        use signal_hook::low_level::siginfo::Cause;

        let mut signals =
            SignalsInfo::<WithOrigin>::new([SIGINT, SIGTERM]).map_err(|source| Error::Io {
                path: PathBuf::from("<signal handlers>"),
                source,
            })?;
        let handle = signals.handle();
        let shared: Arc<Mutex<Shared>> = Arc::default();
        let state = Arc::clone(&shared);
        let thread = std::thread::spawn(move || {
            for origin in signals.forever() {
                let mut s = state.lock().unwrap_or_else(|e| e.into_inner());
                s.interrupted = true;
                match s.child {
                    Some((pid, Group::Own)) => {
                        // The group id is the child's pid (process_group(0)).
                        // SAFETY: kill(2) with a valid signal number has no memory effects.
                        unsafe { libc::kill(-(pid as libc::pid_t), origin.signal) };
                    }
                    Some((pid, Group::Shared)) => {
                        // A terminal's Ctrl-C (from the kernel) already reached Terraform.
                        if origin.cause != Cause::Kernel {
                            // SAFETY: as above.
                            unsafe { libc::kill(pid as libc::pid_t, origin.signal) };
                        }
                    }
                    None => {
                        for dir in &s.dirs {
                            let _ = std::fs::remove_dir_all(dir);
                        }
                        eprintln!("\ntfscope: interrupted; no Terraform process was running");
                        std::process::exit(130);
                    }
                }
            }
        });
        Ok(Supervisor {
            shared,
            handle,
            thread: Some(thread),
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Shared> {
        self.shared.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn interrupted(&self) -> bool {
        self.lock().interrupted
    }

    /// A private (0700) temporary directory for plan files, removed when dropped or when an
    /// interrupt ends tfscope.
    fn private_dir(&self) -> Result<PrivateDir<'_>, Error> {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::Builder::new()
            .prefix("tfscope-")
            .permissions(std::fs::Permissions::from_mode(0o700))
            .tempdir()
            .map_err(|source| Error::Io {
                path: std::env::temp_dir(),
                source,
            })?;
        self.lock().dirs.push(dir.path().to_path_buf());
        Ok(PrivateDir {
            supervisor: self,
            dir,
        })
    }

    /// Spawns `binary args` and waits for it; the child's pid is recorded (under the lock, so an
    /// interrupt cannot slip between spawn and record) while it runs. This is the one place
    /// tfscope starts a process.
    fn spawn_and_wait(
        &self,
        binary: &str,
        args: &[String],
        group: Group,
        stdout: Stdio,
        capture: Capture,
    ) -> Result<Exited, Error> {
        use std::os::unix::process::CommandExt;
        let spawn_error = |source| Error::Spawn {
            binary: binary.to_string(),
            source,
        };
        let mut command = Command::new(binary);
        command.args(args).stdout(stdout);
        if capture == Capture::StdoutAndStderr {
            command.stderr(Stdio::piped());
        }
        if group == Group::Own {
            command.process_group(0).stdin(Stdio::null());
        }
        let child = {
            let mut s = self.lock();
            if s.interrupted {
                return Ok(Exited::code(130));
            }
            let child = command.spawn().map_err(spawn_error)?;
            s.child = Some((child.id(), group));
            child
        };
        let text = |bytes: Vec<u8>| String::from_utf8_lossy(&bytes).into_owned();
        let result = match capture {
            Capture::Nothing => {
                let mut child = child;
                child.wait().map(|status| (status, Exited::code(0)))
            }
            _ => child.wait_with_output().map(|o| {
                let output = Exited {
                    code: 0,
                    stdout: text(o.stdout),
                    stderr: text(o.stderr),
                };
                (o.status, output)
            }),
        };
        self.lock().child = None;
        let (status, output) = result.map_err(spawn_error)?;
        // Killed by a signal: report a failure all the same.
        Ok(Exited {
            code: status.code().unwrap_or(1),
            ..output
        })
    }

    /// Runs one command, Terraform's output streaming to the user.
    fn execute(
        &self,
        binary: &str,
        args: &[String],
        group: Group,
        sink: Sink,
    ) -> Result<i32, Error> {
        let stdout = match sink {
            Sink::Stdout => Stdio::inherit(),
            Sink::Stderr => {
                use std::os::fd::AsFd;
                let fd = std::io::stderr().as_fd().try_clone_to_owned();
                Stdio::from(fd.map_err(|source| Error::Io {
                    path: PathBuf::from("<stderr>"),
                    source,
                })?)
            }
        };
        self.spawn_and_wait(binary, args, group, stdout, Capture::Nothing)
            .map(|e| e.code)
    }

    /// Runs one command and returns its exit code and standard output.
    fn capture(&self, binary: &str, args: &[String]) -> Result<(i32, String), Error> {
        self.spawn_and_wait(binary, args, Group::Own, Stdio::piped(), Capture::Stdout)
            .map(|e| (e.code, e.stdout))
    }
}

/// Which output of a process tfscope keeps rather than passing on to the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Capture {
    Nothing,
    Stdout,
    StdoutAndStderr,
}

/// A finished process: its exit code and what was captured of its output.
#[derive(Debug, Default)]
struct Exited {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Exited {
    fn code(code: i32) -> Exited {
        Exited {
            code,
            ..Exited::default()
        }
    }
}

impl Drop for Supervisor {
    fn drop(&mut self) {
        self.handle.close();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// A private temporary directory registered with the supervisor.
struct PrivateDir<'s> {
    supervisor: &'s Supervisor,
    dir: tempfile::TempDir,
}

impl PrivateDir<'_> {
    fn path(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for PrivateDir<'_> {
    fn drop(&mut self) {
        let path = self.dir.path().to_path_buf();
        self.supervisor.lock().dirs.retain(|d| *d != path);
    }
}

#[cfg(test)]
mod tests {
    //! Finding Terraform, and private plan directories that are always removed.

    use super::*;

    #[test]
    fn an_explicit_binary_must_exist() {
        let err = find_terraform(Some(Path::new("/no/such/terraform"))).unwrap_err();
        assert!(
            err.to_string().contains("/no/such/terraform (--tf)"),
            "{err}"
        );
        let sh = find_terraform(Some(Path::new("/bin/sh"))).unwrap();
        assert_eq!(
            sh,
            Binary {
                path: "/bin/sh".into(),
                source: "--tf"
            }
        );
    }

    #[test]
    fn plan_files_live_in_a_private_directory_that_is_removed() {
        use std::os::unix::fs::PermissionsExt;
        let supervisor = Supervisor::start().unwrap();
        let path = {
            let dir = supervisor.private_dir().unwrap();
            let mode = std::fs::metadata(dir.path()).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o700);
            let file = dir.path().join("phase-1.tfplan");
            std::fs::write(&file, "secret").unwrap();
            restrict(&file).unwrap();
            let mode = std::fs::metadata(&file).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
            assert_eq!(supervisor.lock().dirs, vec![dir.path().to_path_buf()]);
            dir.path().to_path_buf()
        };
        assert!(!path.exists());
        assert!(supervisor.lock().dirs.is_empty());
    }

    #[test]
    fn a_child_in_its_own_group_runs_and_reports_its_exit_code() {
        let supervisor = Supervisor::start().unwrap();
        let sh = "/bin/sh".to_string();
        let exited = supervisor
            .spawn_and_wait(
                &sh,
                &["-c".into(), "echo out; echo err >&2; exit 4".into()],
                Group::Own,
                Stdio::piped(),
                Capture::StdoutAndStderr,
            )
            .unwrap();
        assert_eq!(
            (exited.code, exited.stdout.as_str(), exited.stderr.as_str()),
            (4, "out\n", "err\n")
        );
        assert!(supervisor.lock().child.is_none());
        assert!(!supervisor.interrupted());
    }
}
