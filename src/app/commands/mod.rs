//! One file per command: each resolves its settings, calls the library and hands the result to
//! the printer, in a few lines. Policy (what is refused, what counts as a finding) lives in the
//! library; what these files own is the order of the calls and the exit code.

pub mod catalog;
pub mod check;
pub mod classify;
pub mod cost;
pub mod cost_actual;
pub mod explain;
pub mod graph;
pub mod mock_schema;
pub mod plan;
pub mod render;
pub mod schedule;
pub mod status;
pub mod tag;
pub mod targets;
pub mod up_down;
pub mod verify;

use crate::analysis::Analysis;
use crate::app::exit::Exit;
use crate::app::settings::Settings;
use crate::error::{Error, Warning};
use crate::run::invocation::Invocation;
use crate::target::plan::{Plan, PlanRequest};
use crate::target::{Action, Selection};

/// What a command returns: its exit code and the warnings to print after its output.
pub type CommandResult = Result<(Exit, Vec<Warning>), Error>;

/// Ends a command with its analysis: keeps the warnings and leaks the rest. The process exits
/// right after the output is written, and freeing a large configuration piece by piece costs
/// more than the command's own output (issue 11); the operating system reclaims it at once.
/// Only for the command layer: library code never leaks.
pub fn finish(mut a: Analysis) -> Vec<Warning> {
    let warnings = std::mem::take(&mut a.warnings);
    std::mem::forget(a);
    warnings
}

/// `--destroy` as an action.
pub fn action(destroy: bool) -> Action {
    if destroy {
        Action::Destroy
    } else {
        Action::Apply
    }
}

/// What `up`, `down` and `verify` start from: the analysis, the plan and how to call Terraform.
pub struct Prepared {
    pub a: Analysis,
    pub selection: Selection,
    pub plan: Plan,
    pub invocation: Invocation,
}

/// Analyses the root, plans the selection `pick` makes for `action`, and resolves Terraform (a
/// dry run prints `terraform` when there is none).
pub fn prepare(
    settings: &Settings,
    pick: impl FnOnce(&crate::classify::config::Config) -> Result<Selection, Error>,
    action: Action,
    (tf, dry_run): (Option<&std::path::Path>, bool),
) -> Result<Prepared, Error> {
    let a = settings.analyse()?;
    let selection = pick(&a.config)?;
    let invocation = settings.invocation(tf, dry_run)?;
    let request = PlanRequest {
        selection,
        action,
        expand: false,
        instances: &a.instances,
        command: &|action, targets| invocation.command(action, targets),
        env: settings.env.clone(),
    };
    let plan = crate::target::plan::plan(&a.graph, &a.class, request)?;
    Ok(Prepared {
        a,
        selection,
        plan,
        invocation,
    })
}
