//! `tfscope cost`: what each scope costs per month and what schedules that take the later
//! scopes down save.

use super::{finish, CommandResult};
use crate::app::args::{CostArgs, CostFormat};
use crate::app::exit::Exit;
use crate::app::printer::Out;
use crate::app::settings::{Global, Settings};
use crate::cost::{estimate_root, render, Options};

pub fn run(args: CostArgs, global: &Global, out: &mut Out) -> CommandResult {
    let settings = Settings::resolve(global, args.dir, args.env)?;
    let a = settings.analyse()?;
    let options = Options {
        env: settings.env.as_deref(),
        schedules: &args.schedules,
        year: args.year,
        down: args.down.as_deref(),
        prices: args.prices.as_deref(),
        usage: args.usage.as_deref(),
    };
    let (estimate, evaluated) = estimate_root(&a, options)?;
    // Like the analysis (see `finish`): left to the operating system at exit.
    std::mem::forget(evaluated);
    match args.format {
        CostFormat::Json => out.json(&render::json(&estimate)),
        CostFormat::Markdown => out.line(render::markdown(&estimate)),
        CostFormat::Table => out.line(render::table(&estimate)),
        CostFormat::Html => out.line(render::html(&estimate)),
    }
    Ok((Exit::Ok, finish(a)))
}
