//! `tfscope status`: which scopes are up, down or partly there, from Terraform state.

use super::{finish, CommandResult};
use crate::app::args::{Format, StatusArgs};
use crate::app::exit::Exit;
use crate::app::printer::Out;
use crate::app::settings::{Global, Settings};
use crate::output::report;
use crate::run::status::{resources_in_state_text, status};

pub fn run(args: StatusArgs, global: &Global, out: &mut Out) -> CommandResult {
    let settings = Settings::resolve(global, args.dir, args.env)?;
    let a = settings.analyse()?;
    let (text, origin) = crate::run::read_state(&a.dir, args.state.as_deref(), args.tf.as_deref())?;
    let present = resources_in_state_text(&text, origin)?;
    let s = status(&a.graph, &a.class, &present, settings.env);
    match args.format {
        Format::Json => out.json(&s),
        _ => out.line(report::status_text(&s)),
    }
    Ok((Exit::Ok, finish(a)))
}
