//! Phased plans: for a scope (or all) and an action, the ordered phases Terraform will run
//! (destroy runs in reverse scope order), each with its targets, its resources grouped by module,
//! the exact terraform command, and the blast radius: what else Terraform touches and why.
//! Owns the plan data type; rendering is in `report`.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use crate::address::target_flag;
use crate::classify::Classification;
use crate::error::{display_path, Error};
use crate::graph::{Direction, ResourceGraph, UnitKind};
use crate::instances::Instances;
use crate::target::{self, Action, Selection};

#[derive(Debug, Clone, serde::Serialize)]
pub struct Plan {
    pub action: Action,
    pub scope: String,
    pub env: Option<String>,
    pub phases: Vec<Phase>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Phase {
    pub number: usize,
    pub scope: String,
    pub action: Action,
    pub targets: Vec<String>,
    /// The phase's own resources, by module (`""` is the root module).
    pub resources: BTreeMap<String, Vec<String>>,
    /// Every managed resource Terraform will create/update (apply) or delete (destroy).
    pub touches: Vec<String>,
    /// Apply: dependencies from earlier scopes pulled in. Destroy: dependents cascaded.
    pub also: Vec<Touch>,
    /// Destroy: stateful resources that this phase deletes.
    pub stateful_at_risk: Vec<Risk>,
    /// Destroy: what this phase deletes that `up` cannot simply create again (or that the
    /// destroy itself fails on), from the catalog's recreate hazards.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub hazards: Vec<crate::hazard::Hazard>,
    /// Resources of a scope this phase must not touch (only with violations).
    pub outside: Vec<Touch>,
    pub command: String,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Touch {
    pub address: String,
    pub scope: String,
    pub why: String,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Risk {
    pub address: String,
    pub scope: String,
    pub allow_destroy: bool,
}

/// How to invoke terraform for a root module: which binary, where, with which tfvars.
#[derive(Debug, Clone)]
pub struct Invocation {
    pub binary: String,
    /// `-chdir` value, when the root is not the current directory.
    pub chdir: Option<String>,
    /// `-var-file` value, relative to the root module.
    pub var_file: Option<String>,
    /// Pass `-auto-approve` (tfscope up/down --auto-approve).
    pub auto_approve: bool,
}

impl Invocation {
    pub fn new(root: &Path, var_file: Option<&Path>) -> Invocation {
        let chdir = (root != Path::new(".") && root != Path::new("")).then(|| display_path(root));
        let var_file = var_file.map(|f| display_path(&relative_to(f, root)));
        Invocation {
            binary: "terraform".into(),
            chdir,
            var_file,
            auto_approve: false,
        }
    }

    /// Arguments after the binary; `targets` must not be empty (callers skip empty phases).
    pub fn args(&self, action: Action, targets: &[String]) -> Vec<String> {
        debug_assert!(!targets.is_empty(), "a terraform command without -target");
        let mut args = Vec::new();
        if let Some(d) = &self.chdir {
            args.push(format!("-chdir={d}"));
        }
        args.push(action.verb().to_string());
        if let Some(f) = &self.var_file {
            args.push(format!("-var-file={f}"));
        }
        if self.auto_approve {
            args.push("-auto-approve".into());
        }
        args.extend(targets.iter().map(|t| format!("-target={t}")));
        args
    }

    fn chdir(&self) -> Vec<String> {
        self.chdir.iter().map(|d| format!("-chdir={d}")).collect()
    }

    /// `terraform init`, never asking.
    pub fn init_args(&self) -> Vec<String> {
        let mut args = self.chdir();
        args.extend(["init".to_string(), "-input=false".to_string()]);
        args
    }

    /// `terraform plan [-destroy] -out=FILE`: the plan a verified phase checks, then applies.
    pub fn plan_args(&self, action: Action, targets: &[String], out: &Path) -> Vec<String> {
        debug_assert!(!targets.is_empty(), "a terraform command without -target");
        let mut args = self.chdir();
        args.push("plan".into());
        if action == Action::Destroy {
            args.push("-destroy".into());
        }
        args.push("-input=false".into());
        args.push(format!("-out={}", out.display()));
        if let Some(f) = &self.var_file {
            args.push(format!("-var-file={f}"));
        }
        args.extend(targets.iter().map(|t| format!("-target={t}")));
        args
    }

    /// `terraform show -json FILE`.
    pub fn show_args(&self, plan_file: &Path) -> Vec<String> {
        let mut args = self.chdir();
        args.extend(["show".into(), "-json".into(), "-no-color".into()]);
        args.push(plan_file.display().to_string());
        args
    }

    /// `terraform apply FILE`: exactly the saved plan (it takes no -target and never prompts).
    pub fn apply_plan_args(&self, plan_file: &Path) -> Vec<String> {
        let mut args = self.chdir();
        args.extend(["apply".into(), "-input=false".into()]);
        args.push(plan_file.display().to_string());
        args
    }

    /// A command line as a shell would take it.
    pub fn shell(&self, args: &[String]) -> String {
        std::iter::once(crate::address::shell_quote(&self.binary))
            .chain(args.iter().map(|a| match a.strip_prefix("-target=") {
                Some(t) => target_flag(t),
                None => crate::address::shell_quote(a),
            }))
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The command line as a shell would take it.
    pub fn command(&self, action: Action, targets: &[String]) -> String {
        self.shell(&self.args(action, targets))
    }
}

/// Finds `environments/NAME.tfvars` beside or above the root module, or in the current directory.
pub fn find_env(root: &Path, name: &str) -> Result<PathBuf, Error> {
    let file = format!("{name}.tfvars");
    let tried: Vec<PathBuf> = vec![
        root.join("environments").join(&file),
        root.join("..").join("environments").join(&file),
        PathBuf::from("environments").join(&file),
    ];
    tried
        .iter()
        .find(|p| p.is_file())
        .map(|p| crate::load::normalize(p))
        .ok_or(Error::UnknownEnv {
            name: name.to_string(),
            tried,
        })
}

/// `path` relative to the directory `base` (both relative to the current directory or both
/// absolute); falls back to an absolute path when that is impossible.
pub fn relative_to(path: &Path, base: &Path) -> PathBuf {
    let abs = |p: &Path| {
        std::path::absolute(p)
            .map(|a| crate::load::normalize(&a))
            .unwrap_or_else(|_| p.to_path_buf())
    };
    let (path, base) = (abs(path), abs(base));
    let p: Vec<_> = path.components().collect();
    let b: Vec<_> = base.components().collect();
    let common = p.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut out = PathBuf::new();
    for _ in common..b.len() {
        out.push("..");
    }
    for c in &p[common..] {
        out.push(c);
    }
    out
}

/// What to plan: the scope selection, the action, and how to render commands.
pub struct PlanRequest<'a> {
    pub selection: Selection,
    pub action: Action,
    /// List every resource instead of the minimal targets.
    pub expand: bool,
    pub instances: &'a Instances,
    pub invocation: &'a Invocation,
    pub env: Option<String>,
}

/// Builds the phases of a request.
pub fn plan(
    graph: &ResourceGraph,
    class: &Classification,
    request: PlanRequest<'_>,
) -> Result<Plan, Error> {
    let PlanRequest {
        selection,
        action,
        expand,
        instances,
        invocation,
        env,
    } = request;
    let n = class.scopes.len();
    let scopes: Vec<usize> = match (action, selection) {
        (Action::Apply, Selection::Scope(k)) => vec![k],
        (Action::Apply, Selection::Through(k)) => (0..=k).collect(),
        (Action::Apply, Selection::All) => (0..n).collect(),
        (Action::Destroy, Selection::Scope(k)) => (k..n).rev().collect(),
        (Action::Destroy, Selection::All | Selection::Through(_)) => (0..n).rev().collect(),
    };
    let mut phases = Vec::new();
    for scope in scopes {
        let (want, allowed) = phase_want(graph, class, scope, action);
        if want.is_empty() {
            continue;
        }
        let t = target::compute(graph, want, allowed, action, expand);
        let targets = target::render(graph, &t.targets, instances)?;
        if targets.is_empty() {
            // Never print a command without -target: Terraform would act on everything.
            continue;
        }
        let mut resources: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for &u in &t.want {
            resources
                .entry(graph.units[u].module.to_string())
                .or_default()
                .push(graph.units[u].address.clone());
        }
        let touches = t
            .closure
            .iter()
            .filter(|&&u| graph.units[u].kind != UnitKind::Data)
            .map(|&u| graph.units[u].address.clone())
            .collect();
        // The first address, among the units of the closure next to a unit, that explains why
        // it is touched; what each hub leads to is computed once per phase.
        let mut first_behind = HashMap::new();
        let mut why = |u: usize| -> String {
            let leaf = |d: usize| {
                t.closure
                    .contains(&d)
                    .then(|| graph.units[d].address.as_str())
            };
            let (direction, verb) = match action {
                Action::Apply => (Direction::Dependents, "needed by"),
                Action::Destroy => (Direction::Dependencies, "depends on"),
            };
            let first = graph.fold_adjacent(direction, u, &leaf, &std::cmp::min, &mut first_behind);
            format!("{verb} {}", first.unwrap_or("?"))
        };
        let mut touch = |u: usize| Touch {
            address: graph.units[u].address.clone(),
            scope: class.scope_name(u).to_string(),
            why: why(u),
        };
        let outside_set: BTreeSet<usize> = t.outside.iter().copied().collect();
        let also = t
            .closure
            .iter()
            .copied()
            .filter(|u| !t.want.contains(u) && !outside_set.contains(u))
            .filter(|&u| action == Action::Apply || graph.units[u].kind != UnitKind::Data)
            .map(&mut touch)
            .collect();
        let outside = t.outside.iter().map(|&u| touch(u)).collect();
        let stateful_at_risk = match action {
            Action::Apply => Vec::new(),
            Action::Destroy => t
                .closure
                .iter()
                .filter(|&&u| class.units[u].stateful && graph.units[u].kind == UnitKind::Managed)
                .map(|&u| Risk {
                    address: graph.units[u].address.clone(),
                    scope: class.scope_name(u).to_string(),
                    allow_destroy: class.units[u].allow_destroy,
                })
                .collect(),
        };
        let hazards = match action {
            Action::Apply => Vec::new(),
            Action::Destroy => crate::hazard::hazards(graph, class, t.closure.iter().copied()),
        };
        phases.push(Phase {
            number: phases.len() + 1,
            scope: class.scopes[scope].clone(),
            action,
            command: invocation.command(action, &targets),
            targets,
            resources,
            touches,
            also,
            stateful_at_risk,
            hazards,
            outside,
        });
    }
    Ok(Plan {
        action,
        scope: match selection {
            Selection::All => "all".into(),
            Selection::Scope(k) => class.scopes[k].clone(),
            Selection::Through(k) => format!("through {}", class.scopes[k]),
        },
        env,
        phases,
    })
}

/// What the person running `down` agreed to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Consent {
    pub auto_approve: bool,
    pub allow_cascade: bool,
    pub allow_stateful: bool,
}

/// What `up`/`down` refuse before Terraform runs: a plan that touches a scope it must not (scope
/// violations); a `down` that cascades into later scopes, or destroys stateful resources without
/// `allow_destroy`, unless `--auto-approve` comes with `--allow-cascade` / `--allow-stateful`.
pub fn check_consent(plan: &Plan, selection: Selection, consent: Consent) -> Result<(), Error> {
    let verb = match plan.action {
        Action::Apply => "up",
        Action::Destroy => "down",
    };
    let crossing: Vec<&str> = plan
        .phases
        .iter()
        .flat_map(|p| p.outside.iter().map(|t| t.address.as_str()))
        .collect();
    if !crossing.is_empty() {
        return Err(Error::Refused {
            message: format!(
                "refusing to {verb} {}: scope violations make it touch {}",
                plan.scope,
                crossing.join(", ")
            ),
            help: Some("run `tfscope check` and fix the rules or tags behind them".into()),
        });
    }
    if plan.action == Action::Apply {
        return Ok(());
    }
    // Phases of other scopes: bringing this one down takes them too.
    let cascaded: Vec<String> = match selection {
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
    };
    let cascade_accepted = consent.auto_approve && consent.allow_cascade;
    if !cascaded.is_empty() && !cascade_accepted {
        return Err(Error::Refused {
            message: format!(
                "refusing to bring {} down: it takes later scopes with it: {}",
                plan.scope,
                cascaded.join(", ")
            ),
            help: Some("Terraform destroys everything that depends on what it destroys; pass --auto-approve --allow-cascade to accept it".into()),
        });
    }
    let stateful: Vec<&str> = plan
        .phases
        .iter()
        .flat_map(|p| p.stateful_at_risk.iter())
        .filter(|r| !r.allow_destroy)
        .map(|r| r.address.as_str())
        .collect();
    let loss_accepted = consent.auto_approve && consent.allow_stateful;
    if !stateful.is_empty() && !loss_accepted {
        return Err(Error::Refused {
            message: format!(
                "refusing to bring {} down: it destroys stateful resources: {}",
                plan.scope,
                stateful.join(", ")
            ),
            help: Some("pass --auto-approve --allow-stateful to accept losing their data, or add rules with allow_destroy = true".into()),
        });
    }
    Ok(())
}

/// One phase covers exactly one scope; destroy phases may reach later scopes (already gone when
/// phases run in order), apply phases earlier ones.
fn phase_want<'a>(
    graph: &'a ResourceGraph,
    class: &'a Classification,
    scope: usize,
    action: Action,
) -> (BTreeSet<usize>, impl Fn(usize) -> bool + 'a) {
    let want = (0..graph.units.len())
        .filter(|&u| class.units[u].scope == scope)
        .filter(|&u| action == Action::Apply || graph.units[u].kind != UnitKind::Data)
        .collect();
    let allowed = move |u: usize| match action {
        Action::Apply => class.units[u].scope <= scope,
        Action::Destroy => class.units[u].scope >= scope,
    };
    (want, allowed)
}

#[cfg(test)]
mod tests {
    //! Phases and their commands, and the consent rules of down.

    use super::*;

    #[test]
    fn commands_change_directory_and_pass_the_var_file_relative_to_the_root() {
        let inv = Invocation::new(
            Path::new("modules"),
            Some(Path::new("environments/dev.tfvars")),
        );
        assert_eq!(
            inv.command(Action::Apply, &["module.app".into(), "aws_x.y[\"k\"]".into()]),
            "terraform -chdir=modules apply -var-file=../environments/dev.tfvars -target=module.app -target='aws_x.y[\"k\"]'"
        );
        let here = Invocation::new(Path::new("."), None);
        assert_eq!(
            here.command(Action::Destroy, &["aws_x.y".into()]),
            "terraform destroy -target=aws_x.y"
        );
    }

    fn plan_of(selection: Selection, action: Action) -> Plan {
        let a = crate::testing::analysis(
            &[(
                "main.tf",
                "resource \"aws_db_instance\" \"db\" {}\nresource \"aws_ecs_cluster\" \"app\" {\n  name = aws_db_instance.db.address\n}\n",
            )],
            "",
        );
        let invocation = Invocation::new(Path::new("."), None);
        let request = PlanRequest {
            selection,
            action,
            expand: false,
            instances: &a.instances,
            invocation: &invocation,
            env: None,
        };
        plan(&a.graph, &a.class, request).unwrap()
    }

    #[test]
    fn consent_to_cascade_and_to_lose_data_needs_auto_approve_too() {
        let base = Selection::Scope(0);
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
        let runtime = Selection::Scope(1);
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

    fn refused_all(p: &Plan) -> String {
        check_consent(p, Selection::All, Consent::default())
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn through_applies_every_scope_up_to_one_in_order() {
        let p = plan_of(Selection::Through(1), Action::Apply);
        let scopes: Vec<&str> = p.phases.iter().map(|p| p.scope.as_str()).collect();
        assert_eq!(scopes, ["base", "runtime"]);
        assert_eq!(p.scope, "through runtime");
        let p = plan_of(Selection::Through(0), Action::Apply);
        let scopes: Vec<&str> = p.phases.iter().map(|p| p.scope.as_str()).collect();
        assert_eq!(scopes, ["base"]);
        assert_eq!(p.phases[0].touches, ["aws_db_instance.db"]);
    }

    #[test]
    fn relative_paths_walk_up_from_the_base() {
        assert_eq!(
            relative_to(Path::new("a/b/c.tfvars"), Path::new("a/d")),
            PathBuf::from("../b/c.tfvars")
        );
        assert_eq!(
            relative_to(Path::new("x.tfvars"), Path::new(".")),
            PathBuf::from("x.tfvars")
        );
    }

    #[test]
    fn an_unknown_environment_lists_where_it_looked() {
        let tmp = tempfile::tempdir().unwrap();
        let err = find_env(tmp.path(), "nope").unwrap_err().to_string();
        assert!(
            err.contains("environment \"nope\": no tfvars file"),
            "{err}"
        );
        assert!(err.contains("environments/nope.tfvars"), "{err}");
    }
}
