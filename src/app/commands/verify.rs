//! `tfscope verify`: Terraform's own plan for each phase against tfscope's promise, applying
//! nothing; exit 1 when a phase disagrees.

use super::{action, prepare, CommandResult, Prepared};
use crate::app::args::{Format, VerifyArgs};
use crate::app::exit::Exit;
use crate::app::printer::Out;
use crate::app::settings::{Global, Settings};
use crate::output::report;
use crate::run::verify::{Verification, Verifier};
use crate::run::Verified;

pub fn run(args: VerifyArgs, global: &Global, out: &mut Out) -> CommandResult {
    let settings = Settings::resolve(global, args.dir, args.env)?;
    let pick = |c: &_| args.which.selection(c);
    let tf = (args.tf.as_deref(), false);
    let Prepared {
        a,
        plan,
        invocation,
        ..
    } = prepare(&settings, pick, action(args.destroy), tf)?;
    let verifier = Verifier {
        graph: &a.graph,
        class: &a.class,
        instances: &a.instances,
        allow_replace: &args.allow_replace,
    };
    let stderr = &mut std::io::stderr();
    let checks = match crate::run::verify(&plan, &invocation, &a.dir, &verifier, stderr)? {
        Verified::Checked(checks) => checks,
        Verified::Failed { phase, code } => {
            eprintln!("tfscope: terraform failed while planning phase {phase} (exit {code}); nothing was verified");
            return Ok((Exit::Error, a.warnings));
        }
        Verified::Interrupted { phase } => {
            eprintln!("tfscope: interrupted while planning phase {phase}");
            return Ok((Exit::Interrupted, a.warnings));
        }
    };
    let v = Verification::new(&plan, checks);
    match args.format {
        Format::Json => out.json(&report::verify_json(&v)),
        Format::Markdown => out.line(report::verify_markdown(&v)),
        Format::Text => out.line(report::verify_text(&v)),
    }
    Ok((Exit::findings_if(!v.agrees), a.warnings))
}
