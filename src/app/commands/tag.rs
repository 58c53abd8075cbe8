//! `tfscope tag`: plans every resource's scope tag, then prints the report and writes the changed
//! files (or, with `--check` / `--diff`, writes nothing). Exit 1 when `--check` finds a tag
//! missing or stale, or when a finding is left that needs a person.

use super::{finish, CommandResult};
use crate::app::args::{Format, TagArgs};
use crate::app::exit::Exit;
use crate::app::printer::Out;
use crate::app::settings::{Global, Settings};

pub fn run(args: TagArgs, global: &Global, out: &mut Out) -> CommandResult {
    let settings = Settings::resolve(global, args.dir, args.env)?;
    let a = settings.analyse()?;
    let key = args
        .key
        .or_else(|| a.config.tag_keys.first().cloned())
        .unwrap_or_else(|| "Scope".into());
    // Every edit is computed (and re-parsed) before the first file is written.
    let plan = crate::tag::plan(&a, &key)?;
    let write = !args.check && !args.diff;
    if args.diff {
        out.line(crate::tag::render_diff(&plan));
    }
    // Written before the report, so a report that says "changed" is true.
    if write {
        plan.write()?;
    }
    match args.format {
        Format::Json => out.json(&plan),
        _ if args.diff => {}
        _ => out.line(crate::tag::render_text(&plan, !write)),
    }
    let failed = plan.findings() > 0 || (args.check && plan.changes() > 0);
    Ok((Exit::findings_if(failed), finish(a)))
}
