//! `tfscope explain`: one resource (or module call, or an address without instances in the
//! environment): its scope, why, its dependencies and what up/down does to it.

use super::{finish, CommandResult};
use crate::app::args::{ExplainArgs, Format};
use crate::app::exit::Exit;
use crate::app::printer::Out;
use crate::app::settings::{Global, Settings};
use crate::output::report;
use crate::target::explain::{explain, explain_absent, explain_module};

pub fn run(args: ExplainArgs, global: &Global, out: &mut Out) -> CommandResult {
    let a = Settings::resolve(global, args.dir, args.env)?.analyse()?;
    let json = matches!(args.format, Format::Json);
    if let Some(m) = explain_module(&a.graph, &a.class, &args.address) {
        match json {
            true => out.json(&m),
            false => out.line(report::explain_module_text(&m)),
        }
    } else if let Some(absent) = explain_absent(&a.graph, &args.address) {
        match json {
            true => out.json(&serde_json::json!({
                "address": absent.address,
                "absent": true,
                "why": absent.why,
            })),
            false => out.line(report::explain_absent_text(absent)),
        }
    } else {
        let e = explain(&a.graph, &a.class, &args.address)?;
        match json {
            true => out.json(&e),
            false => out.line(report::explain_text(&e)),
        }
    }
    Ok((Exit::Ok, finish(a)))
}
