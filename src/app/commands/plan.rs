//! `tfscope plan`: the phases, commands and blast radius of bringing a scope up or down.

use super::{action, finish, CommandResult};
use crate::analysis::Analysis;
use crate::app::args::{Format, PlanArgs};
use crate::app::exit::Exit;
use crate::app::printer::Out;
use crate::app::settings::{Global, Settings};
use crate::diagram;
use crate::error::Error;
use crate::output::report;
use crate::output::report::PhaseGraph;
use crate::run::invocation::Invocation;
use crate::target::plan::{plan, Phase, PlanRequest};

pub fn run(args: PlanArgs, global: &Global, out: &mut Out) -> CommandResult {
    if args.graph && !matches!(args.format, Format::Markdown) {
        return Err(Error::Usage {
            flag: "--graph",
            value: String::new(),
            message: "embeds a Mermaid graph in the markdown plan only".into(),
            help: Some("add --format markdown, or draw the graph with `tfscope graph`".into()),
        });
    }
    let settings = Settings::resolve(global, args.dir, args.env)?;
    let settings_root = settings.root.display().to_string();
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
        Format::Markdown if args.graph => {
            let graphs: Vec<_> = plan
                .phases
                .iter()
                .map(|p| phase_graph(&a, &settings_root, p))
                .collect();
            out.line(report::plan_markdown_with_graphs(&plan, &graphs))
        }
        Format::Markdown => out.line(report::plan_markdown(&plan)),
        Format::Text => out.line(report::plan_text(&plan)),
    }
    let violated = plan.phases.iter().any(|p| !p.outside.is_empty());
    Ok((Exit::findings_if(violated), finish(a)))
}

/// The Mermaid graph of what `phase` touches: whole when GitHub draws it, else collapsed by
/// module, else a note of why there is none.
fn phase_graph(a: &Analysis, root: &str, phase: &Phase) -> PhaseGraph {
    let only: std::collections::BTreeSet<String> = phase.touches.iter().cloned().collect();
    let options = diagram::Options {
        root: root.to_string(),
        only: Some(&only),
        ..Default::default()
    };
    let fitted = diagram::mermaid_fitting(&a.graph, &a.class, &options);
    match fitted.too_large {
        None => PhaseGraph {
            mermaid: Some(fitted.mermaid.text),
            note: None,
        },
        Some(why) => PhaseGraph {
            mermaid: None,
            note: Some(format!(
                "{why} even collapsed by module; run `tfscope graph --format html`"
            )),
        },
    }
}
