//! `tfscope check`: the CI gate. Findings (scope violations, unprotected state, recreate
//! hazards, unknown types, a stale generated file, a dependency cycle) exit 1.

use super::{finish, CommandResult};
use crate::app::args::{CheckArgs, Format};
use crate::app::exit::Exit;
use crate::app::printer::Out;
use crate::app::settings::{Global, Settings};
use crate::classify::check::{check, Finding};
use crate::error::Error;
use crate::output::report;

pub fn run(args: CheckArgs, global: &Global, out: &mut Out) -> CommandResult {
    let settings = Settings::resolve(global, args.dir, args.env)?;
    let (findings, warnings) = match settings.analyse() {
        Ok(a) => {
            let mut findings = check(&a.graph, &a.class, args.strict);
            findings.extend(crate::output::hcl::stale(&a.dir, &a.graph, &a.class));
            (findings, finish(a))
        }
        // Terraform rejects a cycle too: a finding, not an input error.
        Err(Error::Cycle { cycle }) => (vec![Finding::cycle(&cycle)], Vec::new()),
        Err(e) => return Err(e),
    };
    match args.format {
        Format::Json => out.json(&report::check_json(&findings)),
        _ => out.line(report::check_text(&findings)),
    }
    Ok((Exit::findings_if(!findings.is_empty()), warnings))
}
