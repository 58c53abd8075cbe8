//! The consent rules of `up` and `down`: what they refuse before Terraform runs, as a pure
//! function of the plan, the selection and what the person agreed to.

use crate::error::Error;
use crate::target::plan::Plan;
use crate::target::{Action, Selection};

/// What the person running `down` agreed to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Consent {
    pub auto_approve: bool,
    pub allow_cascade: bool,
    pub allow_stateful: bool,
}

/// What typing the scope name back confirms, for a `down` run without `--auto-approve`: the
/// later scopes it takes along, and the stateful resources it destroys (`--allow-stateful`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Confirmation {
    /// `runtime (25 resources)` for each later scope the plan cascades into.
    pub cascade: Vec<String>,
    /// Stateful resources without `allow_destroy` that the plan destroys.
    pub stateful: Vec<String>,
}

/// What `up`/`down` refuse before Terraform runs: a plan that touches a scope it must not (scope
/// violations); a `down` that cascades into later scopes, or destroys stateful resources without
/// `allow_destroy`, unless `--auto-approve` comes with `--allow-cascade` / `--allow-stateful`.
pub fn check_consent(plan: &Plan, selection: Selection, consent: Consent) -> Result<(), Error> {
    refuse_crossing(plan)?;
    if plan.action == Action::Apply {
        return Ok(());
    }
    let cascade = cascaded(plan, selection);
    let stateful = unprotected_stateful(plan);
    let cascade_accepted = consent.auto_approve && consent.allow_cascade;
    let loss_accepted = consent.auto_approve && consent.allow_stateful;
    let cascade_refused = !cascade.is_empty() && !cascade_accepted;
    let stateful_refused = !stateful.is_empty() && !loss_accepted;
    match (cascade_refused, stateful_refused) {
        (false, false) => Ok(()),
        (true, false) => Err(refuse_cascade(plan, &cascade)),
        (false, true) => Err(refuse_stateful(plan, &stateful)),
        (true, true) => Err(refuse_both(plan, &cascade, &stateful)),
    }
}

/// For a `down` without `--auto-approve`: what typing the scope name back would confirm, or
/// `None` when typing cannot consent (data loss without `--allow-stateful`, scope violations)
/// or nothing needs consent. What it confirms is then run without further prompts.
pub fn confirmation(plan: &Plan, selection: Selection, consent: Consent) -> Option<Confirmation> {
    refuse_crossing(plan).ok()?;
    let stateful = unprotected_stateful(plan);
    if plan.action == Action::Apply || (!stateful.is_empty() && !consent.allow_stateful) {
        return None;
    }
    let cascade = cascaded(plan, selection);
    (!cascade.is_empty() || !stateful.is_empty()).then_some(Confirmation { cascade, stateful })
}

/// A plan that touches a scope it must not: refused whatever was agreed.
fn refuse_crossing(plan: &Plan) -> Result<(), Error> {
    let verb = match plan.action {
        Action::Apply => "up",
        Action::Destroy => "down",
    };
    let crossing: Vec<&str> = plan
        .phases
        .iter()
        .flat_map(|p| p.outside.iter().map(|t| t.address.as_str()))
        .collect();
    if crossing.is_empty() {
        return Ok(());
    }
    Err(Error::Refused {
        message: format!(
            "refusing to {verb} {}: scope violations make it touch {}",
            plan.scope,
            crossing.join(", ")
        ),
        help: Some("run `tfscope check` and fix the rules or tags behind them".into()),
    })
}

/// The phases of other scopes, with their sizes: bringing this one down takes them too.
fn cascaded(plan: &Plan, selection: Selection) -> Vec<String> {
    match selection {
        Selection::All | Selection::Through(_) => Vec::new(),
        Selection::Scope(_) => plan
            .phases
            .iter()
            .filter(|p| p.scope != plan.scope)
            .map(|p| {
                let n: usize = p.resources.values().map(Vec::len).sum();
                format!("{} ({n} resources)", p.scope)
            })
            .collect(),
    }
}

/// The stateful resources the plan destroys that no rule lets go (`allow_destroy`).
fn unprotected_stateful(plan: &Plan) -> Vec<String> {
    plan.phases
        .iter()
        .flat_map(|p| p.stateful_at_risk.iter())
        .filter(|r| !r.allow_destroy)
        .map(|r| r.address.clone())
        .collect()
}

fn refuse_cascade(plan: &Plan, cascade: &[String]) -> Error {
    Error::Refused {
        message: format!(
            "refusing to bring {} down: it takes later scopes with it: {}",
            plan.scope,
            cascade.join(", ")
        ),
        help: Some("Terraform destroys everything that depends on what it destroys; type the scope name when asked, or pass --auto-approve --allow-cascade, to accept it".into()),
    }
}

fn refuse_both(plan: &Plan, cascade: &[String], stateful: &[String]) -> Error {
    Error::Refused {
        message: format!(
            "refusing to bring {} down: it takes later scopes with it: {}; it destroys stateful resources: {}",
            plan.scope,
            cascade.join(", "),
            stateful.join(", ")
        ),
        help: Some("pass --allow-stateful to accept losing their data and confirm the cascade when asked (or add --auto-approve --allow-cascade), or add rules with allow_destroy = true".into()),
    }
}

fn refuse_stateful(plan: &Plan, stateful: &[String]) -> Error {
    Error::Refused {
        message: format!(
            "refusing to bring {} down: it destroys stateful resources: {}",
            plan.scope,
            stateful.join(", ")
        ),
        help: Some("pass --allow-stateful to accept losing their data (then type the scope name when asked, or add --auto-approve), or add rules with allow_destroy = true".into()),
    }
}

/// `--from-phase N` names a phase of this plan; `dry_run` is the command that lists them.
pub fn check_from_phase(plan: &Plan, from_phase: usize, dry_run: &str) -> Result<(), Error> {
    if (1..=plan.phases.len()).contains(&from_phase) {
        return Ok(());
    }
    Err(Error::Refused {
        message: format!(
            "--from-phase {from_phase} is out of range: this plan has {} phase(s)",
            plan.phases.len()
        ),
        help: Some(format!("run `{dry_run}` to see them")),
    })
}

#[cfg(test)]
mod tests {
    //! What down refuses without explicit consent, and what up never needs.

    use super::*;
    use crate::classify::config::ScopeId;
    use crate::target::plan::tests::plan_of;

    #[test]
    fn consent_to_cascade_and_to_lose_data_needs_auto_approve_too() {
        let base = Selection::Scope(ScopeId::at(0));
        let down_base = plan_of(base, Action::Destroy);
        let refused = |c: Consent| {
            check_consent(&down_base, base, c)
                .err()
                .map(|e| e.to_string())
        };
        assert!(refused(Consent::default())
            .unwrap()
            .contains("takes later scopes with it: runtime (1 resources)"));
        let cascade_only = Consent {
            allow_cascade: true,
            allow_stateful: true,
            ..Consent::default()
        };
        assert!(refused(cascade_only)
            .unwrap()
            .contains("takes later scopes"));
        let no_data = Consent {
            auto_approve: true,
            allow_cascade: true,
            ..Consent::default()
        };
        assert!(refused(no_data)
            .unwrap()
            .contains("destroys stateful resources: aws_db_instance.db"));
        let all = Consent {
            auto_approve: true,
            allow_cascade: true,
            allow_stateful: true,
        };
        assert_eq!(refused(all), None);
        // Runtime alone neither cascades nor holds data; `all` never "cascades".
        let runtime = Selection::Scope(ScopeId::at(1));
        assert!(check_consent(
            &plan_of(runtime, Action::Destroy),
            runtime,
            Consent::default()
        )
        .is_ok());
        let everything = plan_of(Selection::All, Action::Destroy);
        assert!(refused_all(&everything).contains("stateful"));
        assert!(check_consent(
            &plan_of(runtime, Action::Apply),
            runtime,
            Consent::default()
        )
        .is_ok());
    }

    #[test]
    fn typing_the_scope_name_confirms_a_cascade_but_data_loss_needs_the_flag_too() {
        let base = Selection::Scope(ScopeId::at(0));
        let down_base = plan_of(base, Action::Destroy);
        let allow_stateful = Consent {
            allow_stateful: true,
            ..Consent::default()
        };
        assert_eq!(
            confirmation(&down_base, base, allow_stateful),
            Some(Confirmation {
                cascade: vec!["runtime (1 resources)".into()],
                stateful: vec!["aws_db_instance.db".into()],
            })
        );
        assert_eq!(confirmation(&down_base, base, Consent::default()), None);
        // Both refused at once: one message names both.
        let both = check_consent(&down_base, base, Consent::default()).unwrap_err();
        assert!(both.to_string().contains(
            "takes later scopes with it: runtime (1 resources); it destroys stateful resources: aws_db_instance.db"
        ));
        // Nothing to confirm: runtime alone, and any apply.
        let runtime = Selection::Scope(ScopeId::at(1));
        assert_eq!(
            confirmation(&plan_of(runtime, Action::Destroy), runtime, allow_stateful),
            None
        );
        assert_eq!(
            confirmation(&plan_of(base, Action::Apply), base, allow_stateful),
            None
        );
    }

    #[test]
    fn from_phase_must_name_a_phase_of_the_plan() {
        let two = plan_of(Selection::All, Action::Apply);
        assert_eq!(two.phases.len(), 2);
        assert!(check_from_phase(&two, 1, "x").is_ok());
        assert!(check_from_phase(&two, 2, "x").is_ok());
        for n in [0, 3] {
            let err = check_from_phase(&two, n, "tfscope up --scope all --dry-run").unwrap_err();
            assert!(err
                .to_string()
                .contains(&format!("--from-phase {n} is out of range")));
        }
    }

    fn refused_all(p: &Plan) -> String {
        check_consent(p, Selection::All, Consent::default())
            .unwrap_err()
            .to_string()
    }
}
