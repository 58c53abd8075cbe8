//! The Terraform command lines tfscope prints and runs: which binary, in which directory, with
//! which tfvars file, and the argv of every subcommand (`apply`/`destroy` with `-target`,
//! `init`, `plan -out`, `show -json`, `apply FILE`). Owns building argv, not spawning it.

use std::path::Path;

use crate::error::display_path;
use crate::load::address::{shell_quote, target_flag};
use crate::load::relative_to;
use crate::target::plan::Phase;
use crate::target::Action;

/// How to invoke terraform for a root module: which binary, where, with which tfvars.
#[derive(Debug, Clone)]
pub struct Invocation {
    pub binary: String,
    /// `-chdir` value, when the root is not the current directory.
    pub chdir: Option<String>,
    /// `-var-file` value, relative to the root module.
    pub var_file: Option<String>,
    /// Pass `-auto-approve` (tfscope up/down --auto-approve).
    pub auto_approve: bool,
}

impl Invocation {
    pub fn new(root: &Path, var_file: Option<&Path>) -> Invocation {
        let chdir = (root != Path::new(".") && root != Path::new("")).then(|| display_path(root));
        let var_file = var_file.map(|f| display_path(&relative_to(f, root)));
        Invocation {
            binary: "terraform".into(),
            chdir,
            var_file,
            auto_approve: false,
        }
    }

    /// Arguments after the binary; `targets` must not be empty (callers skip empty phases).
    pub fn args(&self, action: Action, targets: &[String]) -> Vec<String> {
        debug_assert!(!targets.is_empty(), "a terraform command without -target");
        let mut args = Vec::new();
        if let Some(d) = &self.chdir {
            args.push(format!("-chdir={d}"));
        }
        args.push(action.verb().to_string());
        if let Some(f) = &self.var_file {
            args.push(format!("-var-file={f}"));
        }
        if self.auto_approve {
            args.push("-auto-approve".into());
        }
        args.extend(targets.iter().map(|t| format!("-target={t}")));
        args
    }

    fn chdir(&self) -> Vec<String> {
        self.chdir.iter().map(|d| format!("-chdir={d}")).collect()
    }

    /// `terraform init`, never asking.
    pub fn init_args(&self) -> Vec<String> {
        let mut args = self.chdir();
        args.extend(["init".to_string(), "-input=false".to_string()]);
        args
    }

    /// `terraform plan [-destroy] -out=FILE`: the plan a verified phase checks, then applies.
    pub fn plan_args(&self, action: Action, targets: &[String], out: &Path) -> Vec<String> {
        debug_assert!(!targets.is_empty(), "a terraform command without -target");
        let mut args = self.chdir();
        args.push("plan".into());
        if action == Action::Destroy {
            args.push("-destroy".into());
        }
        args.push("-input=false".into());
        args.push(format!("-out={}", out.display()));
        if let Some(f) = &self.var_file {
            args.push(format!("-var-file={f}"));
        }
        args.extend(targets.iter().map(|t| format!("-target={t}")));
        args
    }

    /// `terraform show -json FILE`.
    pub fn show_args(&self, plan_file: &Path) -> Vec<String> {
        let mut args = self.chdir();
        args.extend(["show".into(), "-json".into(), "-no-color".into()]);
        args.push(plan_file.display().to_string());
        args
    }

    /// `terraform apply FILE`: exactly the saved plan (it takes no -target and never prompts).
    pub fn apply_plan_args(&self, plan_file: &Path) -> Vec<String> {
        let mut args = self.chdir();
        args.extend(["apply".into(), "-input=false".into()]);
        args.push(plan_file.display().to_string());
        args
    }

    /// `terraform show -json`: the state of the root, as `tfscope status` reads it.
    pub fn show_state_args(&self) -> Vec<String> {
        let mut args = self.chdir();
        args.extend(["show".into(), "-json".into(), "-no-color".into()]);
        args
    }

    /// What a dry run prints for a phase: the command itself, or with `verified` the three a
    /// verified phase runs (plan to a file, show it, apply exactly it).
    pub fn dry_run(&self, phase: &Phase, verified: bool) -> Vec<String> {
        if !verified {
            return vec![self.command(phase.action, &phase.targets)];
        }
        let file = Path::new("PLANFILE");
        vec![
            self.shell(&self.plan_args(phase.action, &phase.targets, file)),
            self.shell(&self.show_args(file)),
            self.shell(&self.apply_plan_args(file)),
        ]
    }

    /// A command line as a shell would take it.
    pub fn shell(&self, args: &[String]) -> String {
        std::iter::once(shell_quote(&self.binary))
            .chain(args.iter().map(|a| match a.strip_prefix("-target=") {
                Some(t) => target_flag(t),
                None => shell_quote(a),
            }))
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The command line as a shell would take it.
    pub fn command(&self, action: Action, targets: &[String]) -> String {
        self.shell(&self.args(action, targets))
    }
}

#[cfg(test)]
mod tests {
    //! The argv of every Terraform command tfscope prints or runs.

    use super::*;

    #[test]
    fn commands_change_directory_and_pass_the_var_file_relative_to_the_root() {
        let inv = Invocation::new(
            Path::new("modules"),
            Some(Path::new("environments/dev.tfvars")),
        );
        assert_eq!(
            inv.command(Action::Apply, &["module.app".into(), "aws_x.y[\"k\"]".into()]),
            "terraform -chdir=modules apply -var-file=../environments/dev.tfvars -target=module.app -target='aws_x.y[\"k\"]'"
        );
        let here = Invocation::new(Path::new("."), None);
        assert_eq!(
            here.command(Action::Destroy, &["aws_x.y".into()]),
            "terraform destroy -target=aws_x.y"
        );
    }
}
