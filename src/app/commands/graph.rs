//! `tfscope graph`: the resource graph coloured by scope, as DOT, Mermaid, HTML or JSON, with
//! each resource's state (`--state`) and monthly cost (`--cost`) when asked.

use std::collections::{BTreeMap, BTreeSet};

use super::{finish, CommandResult};
use crate::app::args::{CollapseArg, GraphArgs, GraphFormat};
use crate::app::exit::Exit;
use crate::app::printer::Out;
use crate::app::settings::{Global, Settings};
use crate::diagram::{self, Collapse};
use crate::error::{Error, Warning};
use crate::run::status::resources_in_state_text;

pub fn run(args: GraphArgs, global: &Global, out: &mut Out) -> CommandResult {
    let settings = Settings::resolve(global, args.dir.clone(), args.env.clone())?;
    let a = settings.analyse()?;
    let focus = args
        .scope
        .as_deref()
        .map(|s| a.config.require_scope(s))
        .transpose()?;
    let present: Option<BTreeSet<String>> = match &args.state {
        Some(path) => {
            let (text, origin) = crate::run::read_state(&a.dir, Some(path), None)?;
            Some(resources_in_state_text(&text, origin)?)
        }
        None => None,
    };
    let costs = match args.cost {
        true => Some(unit_costs(&a, &settings)?),
        false => None,
    };
    let options = diagram::Options {
        root: settings.root.display().to_string(),
        env: settings.env.clone(),
        focus,
        collapse: args.collapse.map(|c| match c {
            CollapseArg::Module => Collapse::Module,
            CollapseArg::None => Collapse::None,
        }),
        present: present.as_ref(),
        costs: costs.as_ref(),
        explain: matches!(args.format, GraphFormat::Json | GraphFormat::Html),
        only: None,
    };
    let d = diagram::build(&a.graph, &a.class, &options);
    let mut warnings = Vec::new();
    if d.collapse == Collapse::None && d.nodes.len() > diagram::AUTO_COLLAPSE_ABOVE {
        warnings.push(Warning {
            location: None,
            message: format!(
                "{} resources and {} edges drawn one by one: a picture this large is hard to read; \
                 --collapse module draws one node per module call and scope",
                d.nodes.len(),
                d.edges.len()
            ),
        });
    }
    match args.format {
        GraphFormat::Dot => out.line(diagram::dot::render(&d)),
        GraphFormat::Mermaid => {
            let fitted = diagram::mermaid_fitting(&a.graph, &a.class, &options);
            if let Some(why) = fitted.too_large {
                let try_next = match fitted.collapse {
                    diagram::Collapse::None => "--collapse module or --scope",
                    diagram::Collapse::Module => "--scope, or --format html",
                };
                warnings.push(Warning {
                    location: None,
                    message: format!("GitHub will not draw this diagram: {why}; try {try_next}"),
                });
            }
            out.line(fitted.mermaid.text)
        }
        GraphFormat::Html => {
            let document = serde_json::to_value(&d).expect("a diagram serializes");
            out.line(diagram::html::render_html(&document, &diagram::title(&d)))
        }
        GraphFormat::Json => out.json(&d),
    }
    let mut all = finish(a);
    all.extend(warnings);
    Ok((Exit::Ok, all))
}

/// Each unit's monthly cost: the estimate's instances summed per configuration address.
fn unit_costs(
    a: &crate::analysis::Analysis,
    settings: &Settings,
) -> Result<BTreeMap<String, f64>, Error> {
    let options = crate::cost::Options {
        env: settings.env.as_deref(),
        ..Default::default()
    };
    let (estimate, evaluated) = crate::cost::estimate_root(a, options)?;
    // Like the analysis (see `finish`): left to the operating system at exit.
    std::mem::forget(evaluated);
    let mut out: BTreeMap<String, f64> = BTreeMap::new();
    for r in &estimate.resources {
        let unit = crate::load::address::resource_address(&r.address).unwrap_or(r.address.clone());
        *out.entry(unit).or_default() += r.monthly_exact;
    }
    Ok(out)
}
