//! `tfscope up` and `tfscope down`: plan, refuse what needs consent, then run Terraform phase by
//! phase, each phase's saved plan verified against the promise unless `--no-verify`.

use super::{prepare, CommandResult, Prepared};
use crate::app::args::{DownArgs, RunArgs, UpArgs, Which};
use crate::app::exit::Exit;
use crate::app::printer::{warn, Answerer, Out};
use crate::app::settings::{Global, Settings};
use crate::load::address::shell_quote;
use crate::output::report;
use crate::run::consent::{check_consent, check_from_phase, confirmation, Confirmation, Consent};
use crate::run::history::{self, Recorder};
use crate::run::invocation::Invocation;
use crate::run::resume::Resume;
use crate::run::verify::Verifier;
use crate::run::{Outcome as Ran, Run};
use crate::target::plan::Plan;
use crate::target::{Action, Selection};

/// `up`: no consent beyond the prompt is ever needed to create.
pub fn up(args: UpArgs, global: &Global, out: &mut Out) -> CommandResult {
    let which = args.which.flag();
    let pick = |c: &_| Which::selection(&args.which, c);
    let consent = Consent::default();
    let request = (Action::Apply, consent, args.allow_replace.as_slice());
    run(&which, pick, args.run, request, global, out)
}

/// `down`: cascading into later scopes or destroying stateful resources needs explicit consent.
pub fn down(args: DownArgs, global: &Global, out: &mut Out) -> CommandResult {
    let which = format!("--scope {}", shell_quote(&args.scope));
    let pick = |c: &_| Selection::named(c, &args.scope);
    let consent = Consent {
        auto_approve: args.run.auto_approve,
        allow_cascade: args.allow_cascade,
        allow_stateful: args.allow_stateful,
    };
    run(
        &which,
        pick,
        args.run,
        (Action::Destroy, consent, &[]),
        global,
        out,
    )
}

fn run(
    which: &str,
    pick: impl FnOnce(&crate::classify::config::Config) -> Result<Selection, crate::error::Error>,
    args: RunArgs,
    (action, consent, allow_replace): (Action, Consent, &[String]),
    global: &Global,
    out: &mut Out,
) -> CommandResult {
    let verb = if action == Action::Apply {
        "up"
    } else {
        "down"
    };
    let settings = Settings::resolve(global, args.dir.clone(), args.env.clone())?;
    let tf = (args.tf.as_deref(), args.dry_run);
    let Prepared {
        a,
        selection,
        plan,
        mut invocation,
    } = prepare(&settings, pick, action, tf)?;
    invocation.auto_approve = args.auto_approve;
    let mut warnings = a.warnings;
    if plan.phases.is_empty() {
        warnings.push(plan.nothing_to(verb));
        return Ok((Exit::Ok, warnings));
    }
    let to_confirm = consent_or_question(&plan, selection, consent, &args)?;
    warnings.extend(plan.hazard_warnings());
    let dry_run = format!("tfscope {verb} {which} --dry-run");
    check_from_phase(&plan, args.from_phase, &dry_run)?;
    let verified = !args.no_verify;
    if args.dry_run {
        for phase in plan.phases.iter().filter(|p| p.number >= args.from_phase) {
            invocation
                .dry_run(phase, verified)
                .into_iter()
                .for_each(|l| out.line(l));
        }
        return Ok((Exit::Ok, warnings));
    }
    if !verified {
        warnings.push(crate::run::unverified_warning());
    }
    // Warnings now, before the question and Terraform's output.
    warn(warnings.drain(..), settings.quiet);
    if let Some((confirmation, answerer)) = to_confirm {
        if !confirm(&plan, &confirmation, answerer, &mut invocation, &args) {
            eprintln!("tfscope: aborted: nothing was destroyed.");
            return Ok((Exit::Findings, warnings));
        }
    }
    let verifier = Verifier {
        graph: &a.graph,
        class: &a.class,
        instances: &a.instances,
        allow_replace,
    };
    let history = Recorder {
        path: history::path(args.history.as_deref(), &settings.root),
        env: settings.env.clone(),
    };
    let job = Run {
        plan: &plan,
        invocation: &invocation,
        root: &a.dir,
        from_phase: args.from_phase,
        verifier: verified.then_some(&verifier),
        history: Some(&history),
    };
    let ran = crate::run::run(&job, &mut std::io::stderr(), &mut std::io::stdin().lock())?;
    let resume = resume(verb, which, &args, consent, allow_replace);
    eprint!("{}", report::run_outcome_text(&ran, &plan, verb, &resume));
    Ok((exit_of(&ran), warnings))
}

/// Consent before anything runs: none needed (`None`), or what the rules refuse but someone
/// on stdin may still confirm by typing the scope name (a `down` without `--auto-approve`);
/// otherwise the refusal. Stdin is read only when typing can consent.
fn consent_or_question(
    plan: &Plan,
    selection: Selection,
    consent: Consent,
    args: &RunArgs,
) -> Result<Option<(Confirmation, Answerer)>, crate::error::Error> {
    let Err(refusal) = check_consent(plan, selection, consent) else {
        return Ok(None);
    };
    let asking = plan.action == Action::Destroy && !args.auto_approve && !args.dry_run;
    let confirmable = asking
        .then(|| confirmation(plan, selection, consent))
        .flatten();
    match confirmable.and_then(|c| Answerer::on_stdin().map(|a| (c, a))) {
        Some(question) => Ok(Some(question)),
        None => Err(refusal),
    }
}

/// Shows what the `down` cascades into and destroys, and the commands that will run, then asks
/// for the scope name; typing it is consent to run every phase without further prompts.
fn confirm(
    plan: &Plan,
    confirmation: &Confirmation,
    answerer: Answerer,
    invocation: &mut Invocation,
    args: &RunArgs,
) -> bool {
    invocation.auto_approve = true;
    let commands: Vec<String> = plan
        .phases
        .iter()
        .filter(|p| p.number >= args.from_phase)
        .flat_map(|p| invocation.dry_run(p, !args.no_verify))
        .collect();
    eprint!(
        "{}",
        report::confirmation_text(confirmation, plan, &commands)
    );
    let question = format!("tfscope: type the scope name ({}) to confirm: ", plan.scope);
    let confirmed = answerer.ask(&question).as_deref() == Some(plan.scope.as_str());
    invocation.auto_approve = confirmed;
    confirmed
}

/// The command that resumes this one at a phase.
fn resume<'a>(
    verb: &'a str,
    which: &'a str,
    args: &'a RunArgs,
    consent: Consent,
    allow_replace: &'a [String],
) -> Resume<'a> {
    Resume {
        command: verb,
        which,
        env: args.env.as_deref(),
        auto_approve: args.auto_approve,
        allow_cascade: consent.allow_cascade,
        allow_stateful: consent.allow_stateful,
        allow_replace,
        no_verify: args.no_verify,
        tf: args.tf.as_deref(),
        history: args.history.as_deref(),
        dir: args.dir.as_deref(),
    }
}

/// Done is 0, Terraform's failure its own code, a refused or declined phase 1.
fn exit_of(ran: &Ran) -> Exit {
    match ran {
        Ran::Done { .. } => Exit::Ok,
        Ran::Failed { code, .. } => Exit::Terraform(*code),
        Ran::Refused { .. } | Ran::Declined { .. } => Exit::Findings,
        Ran::Interrupted { .. } => Exit::Interrupted,
    }
}
