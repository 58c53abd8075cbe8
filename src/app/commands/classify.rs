//! `tfscope classify`: every resource with its scope and the reason for it.

use super::{finish, CommandResult};
use crate::app::args::{ClassifyArgs, Format};
use crate::app::exit::Exit;
use crate::app::printer::Out;
use crate::app::settings::{Global, Settings};
use crate::output::report;

pub fn run(args: ClassifyArgs, global: &Global, out: &mut Out) -> CommandResult {
    let a = Settings::resolve(global, args.dir, args.env)?.analyse()?;
    match args.format {
        Format::Json => out.json(&report::classify_json(&a.graph, &a.class)),
        _ => out.line(report::classify_text(&a.graph, &a.class)),
    }
    Ok((Exit::Ok, finish(a)))
}
