//! Runs Terraform for a plan: finds the binary (`--tf`, `TFSCOPE_TERRAFORM`, `terraform`, then
//! `tofu` on PATH), runs `init` when the root has not been initialised, then one apply or destroy
//! per phase, in order, streaming Terraform's own output and prompts. Stops at the first failure
//! and reports which phase failed so the caller can say how to resume. Owns process execution;
//! the phases themselves come from `plan`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::error::Error;
use crate::plan::{Invocation, Plan};

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

/// How a run ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Done {
        phases: usize,
    },
    /// `phase` 0 is `terraform init`.
    Failed {
        phase: usize,
        code: i32,
    },
}

/// Runs the phases of `plan` from `from_phase` (1-based), writing progress to `progress`.
pub fn run(
    plan: &Plan,
    invocation: &Invocation,
    root: &Path,
    from_phase: usize,
    progress: &mut dyn Write,
) -> Result<Outcome, Error> {
    let total = plan.phases.len();
    if !root.join(".terraform").is_dir() {
        let mut args = Vec::new();
        if let Some(d) = &invocation.chdir {
            args.push(format!("-chdir={d}"));
        }
        args.extend(["init".to_string(), "-input=false".to_string()]);
        let _ = writeln!(
            progress,
            "tfscope: {} is not initialised: running terraform init",
            root.display()
        );
        let code = execute(&invocation.binary, &args)?;
        if code != 0 {
            return Ok(Outcome::Failed { phase: 0, code });
        }
    }
    let mut ran = 0;
    for phase in plan.phases.iter().filter(|p| p.number >= from_phase) {
        let count: usize = phase.resources.values().map(Vec::len).sum();
        let _ = writeln!(
            progress,
            "tfscope: phase {}/{total}: {} {} ({count} resources, {} targets)",
            phase.number,
            match phase.action {
                crate::target::Action::Apply => "apply",
                crate::target::Action::Destroy => "destroy",
            },
            phase.scope,
            phase.targets.len()
        );
        let code = execute(
            &invocation.binary,
            &invocation.args(phase.action, &phase.targets),
        )?;
        if code != 0 {
            return Ok(Outcome::Failed {
                phase: phase.number,
                code,
            });
        }
        ran += 1;
    }
    Ok(Outcome::Done { phases: ran })
}

/// Runs one command with inherited stdio (Terraform's output and prompts reach the user).
fn execute(binary: &str, args: &[String]) -> Result<i32, Error> {
    let status = Command::new(binary)
        .args(args)
        .status()
        .map_err(|source| Error::Spawn {
            binary: binary.to_string(),
            source,
        })?;
    // Killed by a signal: report a failure all the same.
    Ok(status.code().unwrap_or(1))
}

#[cfg(test)]
mod tests {
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
}
