//! `tfscope cost`: what each scope costs per month and what schedules that take the later
//! scopes down save; with `--format infracost-usage`, a schedule's hours as an infracost usage
//! file; with `--actual`, what the history of `up`/`down` really saved (`cost_actual.rs`).

use super::{finish, CommandResult};
use crate::analysis::Analysis;
use crate::app::args::{CostArgs, CostFormat};
use crate::app::exit::Exit;
use crate::app::printer::Out;
use crate::app::settings::{Global, Settings};
use crate::classify::catalog::Catalog;
use crate::cost::estimate::Estimate;
use crate::cost::{down_scope, estimate_root, infracost, render, Options};
use crate::error::Error;

pub fn run(args: CostArgs, global: &Global, out: &mut Out) -> CommandResult {
    if args.actual.actual {
        return super::cost_actual::run(args, global, out);
    }
    if args.coverage {
        let prices = crate::cost::price::PriceList::builtin();
        let coverage = crate::cost::coverage::every_provider(&prices, Catalog::builtin());
        match args.format {
            CostFormat::Json => out.json(&coverage),
            _ => out.line(crate::cost::coverage::coverage_text(&coverage)),
        }
        return Ok((Exit::Ok, Vec::new()));
    }
    let settings = Settings::resolve(global, args.dir.clone(), args.env.clone())?;
    let a = settings.analyse()?;
    let estimate = estimate(&a, &settings, &args)?;
    match args.format {
        CostFormat::Json => out.json(&render::json(&estimate)),
        CostFormat::Markdown => out.line(render::markdown(&estimate)),
        CostFormat::Table => out.line(render::table(&estimate)),
        CostFormat::Html => out.line(render::html(&estimate)),
        CostFormat::InfracostUsage => out.line(infracost_usage(&a, &estimate, &args)?),
    }
    Ok((Exit::Ok, finish(a)))
}

/// The estimate of an analysed root with the command's options.
pub fn estimate(a: &Analysis, settings: &Settings, args: &CostArgs) -> Result<Estimate, Error> {
    let options = Options {
        env: settings.env.as_deref(),
        schedules: &args.schedules,
        year: args.year,
        down: args.down.as_deref(),
        prices: args.prices.as_deref(),
        usage: args.usage.as_deref(),
    };
    let (estimate, evaluated) = estimate_root(a, options)?;
    // Like the analysis (see `finish`): left to the operating system at exit.
    std::mem::forget(evaluated);
    Ok(estimate)
}

/// The infracost usage file of the schedule `--schedule` names (default: the first built-in
/// one that tears scopes down).
fn infracost_usage(a: &Analysis, estimate: &Estimate, args: &CostArgs) -> Result<String, Error> {
    let schedule = infracost::pick_schedule(estimate, &args.schedules)?;
    let down_from = down_scope(a, args.down.as_deref(), &args.schedules)?;
    let torn_down = a.class.scopes.get(down_from.index()..).unwrap_or_default();
    let file = infracost::usage_file(infracost::resources(estimate), torn_down, schedule);
    Ok(infracost::render(&file))
}
