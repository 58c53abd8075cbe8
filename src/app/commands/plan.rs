//! `tfscope plan`: the phases, commands and blast radius of bringing a scope up or down.

use super::{action, finish, CommandResult};
use crate::app::args::{Format, PlanArgs};
use crate::app::exit::Exit;
use crate::app::printer::Out;
use crate::app::settings::{Global, Settings};
use crate::output::report;
use crate::run::invocation::Invocation;
use crate::target::plan::{plan, PlanRequest};

pub fn run(args: PlanArgs, global: &Global, out: &mut Out) -> CommandResult {
    let settings = Settings::resolve(global, args.dir, args.env)?;
    let a = settings.analyse()?;
    let invocation = Invocation::new(&a.dir, a.var_file.as_deref());
    let request = PlanRequest {
        selection: args.which.selection(&a.config)?,
        action: action(args.destroy),
        expand: args.expand,
        instances: &a.instances,
        command: &|action, targets| invocation.command(action, targets),
        env: settings.env,
    };
    let plan = plan(&a.graph, &a.class, request)?;
    match args.format {
        Format::Json => out.json(&report::plan_json(&plan)),
        Format::Markdown => out.line(report::plan_markdown(&plan)),
        Format::Text => out.line(report::plan_text(&plan)),
    }
    let violated = plan.phases.iter().any(|p| !p.outside.is_empty());
    Ok((Exit::findings_if(violated), finish(a)))
}
