//! Turns scopes into `-target` lists that mean exactly what Terraform will do with them.
//! Terraform's rules (internal/terraform/transform_targets.go): `apply -target=X` also applies
//! everything X depends on; `destroy -target=X` also destroys everything that depends on X;
//! `-target=module.m` selects every resource inside, all instances; a resource address inside a
//! module with count/for_each needs the instance key. This module computes the closures, the
//! minimal target set, and the rendered addresses; it does not run Terraform.

pub mod explain;
pub mod plan;

use std::collections::{BTreeMap, BTreeSet};

use crate::classify::config::{Config, ScopeId};
use crate::classify::Classification;
use crate::error::{Error, Warning};
use crate::eval::instances::Instances;
use crate::graph::{Direction, ResourceGraph, UnitId, UnitKind};
use crate::load::address::ModulePath;
use crate::load::model::Repetition;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    Apply,
    Destroy,
}

impl Action {
    /// Terraform's command for it: `apply` or `destroy`.
    pub fn verb(self) -> &'static str {
        match self {
            Action::Apply => "apply",
            Action::Destroy => "destroy",
        }
    }
}

/// Which scopes a command is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Selection {
    Scope(ScopeId),
    /// Every scope up to and including this one, in order (`up --through K`). An apply
    /// selection: destroying the first scope takes everything, so for destroy it means all.
    Through(ScopeId),
    All,
}

impl Selection {
    /// `--scope NAME`: that scope, or every scope for `all`.
    pub fn named(config: &Config, name: &str) -> Result<Selection, Error> {
        if name == "all" {
            return Ok(Selection::All);
        }
        config.require_scope(name).map(Selection::Scope)
    }
}

/// One target: a unit, or a whole module call.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Target {
    Unit(UnitId),
    Module(ModulePath),
}

/// A computed target list and what Terraform will touch with it.
#[derive(Debug, Clone)]
pub struct Targets {
    pub action: Action,
    /// The units the list is meant to cover.
    pub want: BTreeSet<UnitId>,
    pub targets: Vec<Target>,
    /// Everything Terraform selects with these targets (all edge kinds).
    pub closure: BTreeSet<UnitId>,
    /// Units in `closure` outside the allowed scopes. Empty unless there are violations.
    pub outside: Vec<UnitId>,
}

/// The units a selection covers for an action, and the scopes its closure may touch.
pub fn wanted<'a>(
    graph: &'a ResourceGraph,
    class: &'a Classification,
    selection: Selection,
    action: Action,
) -> (BTreeSet<UnitId>, impl Fn(UnitId) -> bool + 'a) {
    let scope = move |u: UnitId| class.units[u].scope;
    let selection = match (action, selection) {
        (Action::Destroy, Selection::Through(_)) => Selection::All,
        (_, s) => s,
    };
    let in_want = move |u: UnitId| match (action, selection) {
        (Action::Apply, Selection::All) => true,
        (Action::Apply, Selection::Scope(k)) => scope(u) == k,
        (_, Selection::Through(k)) => scope(u) <= k,
        (Action::Destroy, Selection::All) => graph.units[u].kind != UnitKind::Data,
        (Action::Destroy, Selection::Scope(k)) => {
            scope(u) >= k && graph.units[u].kind != UnitKind::Data
        }
    };
    let allowed = move |u: UnitId| match (action, selection) {
        (_, Selection::All) => true,
        (Action::Apply, Selection::Scope(k)) | (_, Selection::Through(k)) => scope(u) <= k,
        (Action::Destroy, Selection::Scope(k)) => scope(u) >= k,
    };
    (graph.unit_ids().filter(|&u| in_want(u)).collect(), allowed)
}

/// Computes the target list covering `want`. For apply the closure follows dependencies (all edge
/// kinds: Terraform applies a provider's dependencies first); for destroy it follows dependents,
/// and only value edges count when dropping implied targets, since Terraform records only those.
pub fn compute(
    graph: &ResourceGraph,
    want: BTreeSet<UnitId>,
    allowed: impl Fn(UnitId) -> bool,
    action: Action,
    expand: bool,
) -> Targets {
    debug_assert!(want.iter().all(|&u| allowed(u)));
    let (direction, value_only) = closure_direction(action);
    let implied = graph.reach(direction, want.iter().copied(), value_only);
    let minimal: BTreeSet<UnitId> = if expand {
        want.clone()
    } else {
        want.difference(&implied).copied().collect()
    };
    let mut targets: Vec<Target> = Vec::new();
    let collapsed = if expand {
        Vec::new()
    } else {
        let cover = Cover {
            want: &want,
            minimal: &minimal,
            allowed: &allowed,
            action,
        };
        collapsed_modules(graph, &cover)
    };
    targets.extend(collapsed.iter().map(|&m| Target::Module(m.clone())));
    for &u in &minimal {
        if !collapsed
            .iter()
            .any(|c| graph.units[u].module.starts_with(c))
        {
            targets.push(Target::Unit(u));
        }
    }
    targets.sort_by_key(|t| target_sort_key(graph, t));

    let seeds: Vec<UnitId> = want.iter().copied().collect();
    let mut closure = graph.reach(direction, seeds, false);
    closure.extend(want.iter().copied());
    let outside = closure.iter().copied().filter(|&u| !allowed(u)).collect();
    Targets {
        action,
        want,
        targets,
        closure,
        outside,
    }
}

/// Which way an action's closure runs, and whether only value edges imply a target: Terraform
/// applies what a target depends on (every edge kind) and destroys what depends on it (as
/// recorded in state: value edges).
fn closure_direction(action: Action) -> (Direction, bool) {
    match action {
        Action::Apply => (Direction::Dependencies, false),
        Action::Destroy => (Direction::Dependents, true),
    }
}

/// What a target list must cover, for deciding which module calls collapse into one target.
struct Cover<'a, F> {
    want: &'a BTreeSet<UnitId>,
    minimal: &'a BTreeSet<UnitId>,
    allowed: &'a F,
    action: Action,
}

/// The module calls whose every unit is wanted, outer calls first: each becomes one
/// `-target=module.m` in place of its units.
fn collapsed_modules<'g, F: Fn(UnitId) -> bool>(
    graph: &'g ResourceGraph,
    cover: &Cover<'_, F>,
) -> Vec<&'g ModulePath> {
    let action = cover.action;
    let (direction, value_only) = closure_direction(action);
    let mut modules: Vec<&ModulePath> = graph.modules.keys().collect();
    modules.sort_by_key(|m| (m.0.len(), (*m).clone()));
    let inside_of = units_inside_modules(graph);
    let mut collapsed: Vec<&ModulePath> = Vec::new();
    for m in modules {
        if collapsed.iter().any(|c| m.starts_with(c)) {
            continue;
        }
        let everything: &[UnitId] = inside_of.get(m).map_or(&[], Vec::as_slice);
        let inside: Vec<UnitId> = everything
            .iter()
            .copied()
            .filter(|&u| action == Action::Apply || graph.units[u].kind != UnitKind::Data)
            .collect();
        // Every unit of the module is in the set itself: `module.m` then selects exactly
        // the closure of those units, which the minimal targets already cover. For destroy,
        // `module.m` targets its data sources too, and Terraform destroys every resource
        // whose state lists one of them: collapse only when those may all go as well.
        let useful = inside.iter().any(|u| cover.minimal.contains(u));
        if !useful || !inside.iter().all(|u| cover.want.contains(u)) {
            continue;
        }
        let contained = action == Action::Apply
            || graph
                .reach(direction, everything.iter().copied(), value_only)
                .iter()
                .all(|&d| graph.units[d].kind == UnitKind::Data || (cover.allowed)(d));
        if contained {
            collapsed.push(m);
        }
    }
    collapsed
}

/// The units inside each module call, nested calls included, in one pass.
fn units_inside_modules(graph: &ResourceGraph) -> BTreeMap<&ModulePath, Vec<UnitId>> {
    let mut inside_of: BTreeMap<&ModulePath, Vec<UnitId>> = BTreeMap::new();
    for u in graph.unit_ids() {
        let unit = &graph.units[u];
        for n in 1..=unit.module.0.len() {
            let prefix = ModulePath(unit.module.0[..n].to_vec());
            if let Some((m, _)) = graph.modules.get_key_value(&prefix) {
                inside_of.entry(m).or_default().push(u);
            }
        }
    }
    inside_of
}

fn target_sort_key(graph: &ResourceGraph, t: &Target) -> String {
    match t {
        Target::Unit(u) => graph.units[*u].address.clone(),
        Target::Module(m) => m.to_string(),
    }
}

/// The `-target` list `tfscope targets` prints for a selection: every address rendered with its
/// instance keys. A list that would also act on resources of a scope the selection must not
/// touch (a scope violation) is refused; an empty list is returned as it is, and the caller must
/// not run Terraform with it ([`nothing_to_target`]).
pub fn target_list(
    analysis: (&ResourceGraph, &Classification, &Instances),
    selection: Selection,
    action: Action,
    expand: bool,
) -> Result<Vec<String>, Error> {
    let (graph, class, instances) = analysis;
    let (want, allowed) = wanted(graph, class, selection, action);
    let t = compute(graph, want, allowed, action, expand);
    if !t.outside.is_empty() {
        let names: Vec<&str> = t
            .outside
            .iter()
            .map(|&u| graph.units[u].address.as_str())
            .collect();
        return Err(Error::Targets {
            message: format!(
                "these targets would also {} resources of scopes they must not touch: {}",
                action.verb(),
                names.join(", ")
            ),
            help: Some("run `tfscope check` to see the scope violations behind this".into()),
        });
    }
    render(graph, &t.targets, instances)
}

/// Why no list was printed. An empty list is dangerous: `terraform destroy $(tfscope targets
/// ...)` would destroy everything, so the command says so and fails.
pub fn nothing_to_target(action: Action, scope: &str) -> Warning {
    Warning {
        location: None,
        message: format!(
            "nothing to {} in scope {scope}: no targets printed (an empty -target list makes Terraform act on everything)",
            action.verb()
        ),
    }
}

/// Renders targets as Terraform addresses. Terraform needs instance keys for every keyed module
/// step of an address except the last step of a whole-module target; a resource's own keys are
/// never needed (`aws_x.y` selects every instance). Keys come from the environment's
/// [`Instances`], one address per module instance in which the unit exists; where they cannot
/// be known before apply, the error names the `count`/`for_each` and where it is written.
pub fn render(
    graph: &ResourceGraph,
    targets: &[Target],
    instances: &Instances,
) -> Result<Vec<String>, Error> {
    let keyed = |path: &ModulePath| {
        (1..=path.0.len()).any(|n| {
            graph
                .modules
                .get(&ModulePath(path.0[..n].to_vec()))
                .is_some_and(|r| *r != Repetition::Single)
        })
    };
    let mut out = Vec::new();
    for t in targets {
        // (the unit or call whose expansion lists where it exists, the path whose keys matter,
        //  the address relative to its module instance)
        let (address, within, local) = match t {
            Target::Module(m) => module_target(m),
            Target::Unit(u) => {
                let unit = &graph.units[*u];
                if unit.kind == UnitKind::OpaqueModule {
                    let path = crate::load::address::parse_address(&unit.address)
                        .map(|(p, _)| p)
                        .unwrap_or_default();
                    module_target(&path)
                } else {
                    let local = unit.address[unit.module.prefix().len()..].to_string();
                    (unit.address.clone(), unit.module.clone(), local)
                }
            }
        };
        if !keyed(&within) {
            out.push(address);
            continue;
        }
        let Some(expansion) = instances.get(&address) else {
            return Err(Error::Targets {
                message: format!(
                    "{address} is inside a module that uses count/for_each, and its instance keys were not evaluated"
                ),
                help: Some("this is a bug in tfscope; please report it".into()),
            });
        };
        if let Some(u) = &expansion.module_unknown {
            return Err(Error::Targets {
                message: format!(
                    "{address} is only part of {}, so Terraform needs that module's instance keys: {u}",
                    u.address
                ),
                help: Some(format!(
                    "pass --env NAME so tfscope can evaluate it with that environment's tfvars, or put everything in {} into one scope with a rule (module = \"{}\") so it is targeted whole",
                    u.address, u.address
                )),
            });
        }
        for (prefix, keys) in &expansion.per_module {
            if keys.may_exist() {
                out.push(format!("{prefix}{local}"));
            }
        }
    }
    Ok(out)
}

/// A whole-module target: its call's expansion is listed under the module path; keys are needed
/// for the steps above it only.
fn module_target(m: &ModulePath) -> (String, ModulePath, String) {
    let parent = m.parent().unwrap_or_default();
    let name = m.0.last().cloned().unwrap_or_default();
    (m.to_string(), parent, format!("module.{name}"))
}

#[cfg(test)]
mod tests {
    //! Target lists: minimal, closed over Terraform's rules, never crossing into other scopes.

    use super::*;
    use crate::classify::config::ScopeId;

    struct Fixture {
        graph: ResourceGraph,
        class: Classification,
        instances: Instances,
    }

    fn fixture(files: &[(&str, &str)], config: &str) -> Fixture {
        let a = crate::testing::analysis(files, config);
        Fixture {
            graph: a.graph,
            class: a.class,
            instances: a.instances,
        }
    }

    impl Fixture {
        fn targets(&self, sel: Selection, action: Action, expand: bool) -> (Vec<String>, Targets) {
            let (r, t) = self.try_targets(sel, action, expand);
            (r.unwrap(), t)
        }

        fn try_targets(
            &self,
            sel: Selection,
            action: Action,
            expand: bool,
        ) -> (Result<Vec<String>, Error>, Targets) {
            let (want, allowed) = wanted(&self.graph, &self.class, sel, action);
            let t = compute(&self.graph, want, allowed, action, expand);
            (render(&self.graph, &t.targets, &self.instances), t)
        }

        fn names(&self, set: &BTreeSet<UnitId>) -> Vec<String> {
            set.iter()
                .map(|&u| self.graph.units[u].address.clone())
                .collect()
        }
    }

    const APP: &str = r#"
resource "aws_vpc" "v" {}
resource "aws_subnet" "s" { vpc_id = aws_vpc.v.id }
resource "aws_lb" "lb" { subnets = [aws_subnet.s.id] }
resource "aws_lb_target_group" "tg" { vpc_id = aws_vpc.v.id }
resource "aws_lb_listener" "l" {
  load_balancer_arn = aws_lb.lb.arn
  default_action { target_group_arn = aws_lb_target_group.tg.arn }
}
resource "aws_ecs_cluster" "c" {}
resource "aws_ecs_service" "svc" {
  cluster = aws_ecs_cluster.c.id
  load_balancer { target_group_arn = aws_lb_target_group.tg.arn }
  depends_on = [aws_lb_listener.l]
}
data "aws_region" "current" {}
"#;

    #[test]
    fn apply_runtime_is_minimal_and_its_closure_stays_out_of_later_scopes() {
        let f = fixture(&[("main.tf", APP)], "");
        let (r, t) = f.targets(Selection::Scope(ScopeId::at(1)), Action::Apply, false);
        // The service implies the listener, target group and cluster; the data source that
        // nothing reads is runtime by default and stays a target of its own.
        assert_eq!(r, vec!["aws_ecs_service.svc", "data.aws_region.current"]);
        assert!(t.outside.is_empty());
        for u in &t.want {
            assert!(t.closure.contains(u));
        }
        // Dependencies pulled in from base:
        let pulled: BTreeSet<UnitId> = t.closure.difference(&t.want).copied().collect();
        assert_eq!(t.want.len(), 5);
        assert_eq!(
            f.names(&pulled),
            vec!["aws_lb.lb", "aws_subnet.s", "aws_vpc.v"]
        );
    }

    #[test]
    fn destroy_runtime_never_touches_base() {
        let f = fixture(&[("main.tf", APP)], "");
        let (r, t) = f.targets(Selection::Scope(ScopeId::at(1)), Action::Destroy, false);
        // The service depends on the cluster; the listener (and the service) on the target group.
        assert_eq!(r, vec!["aws_ecs_cluster.c", "aws_lb_target_group.tg"]);
        assert!(t.outside.is_empty());
        assert_eq!(
            f.names(&t.closure),
            vec![
                "aws_ecs_cluster.c",
                "aws_ecs_service.svc",
                "aws_lb_listener.l",
                "aws_lb_target_group.tg"
            ]
        );
    }

    #[test]
    fn destroy_base_honestly_takes_runtime_with_it() {
        let f = fixture(&[("main.tf", APP)], "");
        let (r, t) = f.targets(Selection::Scope(ScopeId::at(0)), Action::Destroy, false);
        // The VPC's dependents are everything but the cluster (and data sources are never
        // destroyed), so the cluster must be named too.
        assert_eq!(r, vec!["aws_ecs_cluster.c", "aws_vpc.v"]);
        assert_eq!(t.closure.len(), 7);
    }

    #[test]
    fn expand_lists_every_resource() {
        let f = fixture(&[("main.tf", APP)], "");
        let (r, _) = f.targets(Selection::Scope(ScopeId::at(1)), Action::Destroy, true);
        assert_eq!(r.len(), 4);
        let (r, _) = f.targets(Selection::Scope(ScopeId::at(0)), Action::Apply, true);
        assert_eq!(r, vec!["aws_lb.lb", "aws_subnet.s", "aws_vpc.v"]);
    }

    const KEYED: &str = r#"
module "net" { source = "./net" }
module "svc" {
  source   = "./svc"
  for_each = FOR_EACH
  subnet   = module.net.subnet
}
resource "aws_s3_bucket" "names" {}
"#;

    fn keyed(for_each: &str) -> Fixture {
        fixture(
            &[
                ("main.tf", &KEYED.replace("FOR_EACH", for_each)),
                (
                    "net/main.tf",
                    "resource \"aws_vpc\" \"v\" {}\nresource \"aws_subnet\" \"s\" { vpc_id = aws_vpc.v.id }\noutput \"subnet\" { value = aws_subnet.s.id }\n",
                ),
                (
                    "svc/main.tf",
                    "variable \"subnet\" {}\nresource \"aws_ecs_service\" \"s\" { subnet = var.subnet }\nresource \"aws_s3_bucket\" \"b\" {}\n",
                ),
            ],
            "",
        )
    }

    #[test]
    fn a_module_wholly_in_the_set_is_one_target_and_keyed_parts_get_keys() {
        let f = keyed("toset([\"api\", \"web\"])");
        // Base is module.net plus the bucket inside each instance of the keyed module.
        let (r, t) = f.targets(Selection::Scope(ScopeId::at(0)), Action::Apply, false);
        assert!(t
            .targets
            .contains(&Target::Module(ModulePath::root().child("net"))));
        assert_eq!(
            r,
            vec![
                "aws_s3_bucket.names",
                "module.net",
                "module.svc[\"api\"].aws_s3_bucket.b",
                "module.svc[\"web\"].aws_s3_bucket.b"
            ]
        );
        // module.svc depends on module.net, so it alone covers everything else.
        let (r, _) = f.targets(Selection::All, Action::Apply, false);
        assert_eq!(r, vec!["aws_s3_bucket.names", "module.svc"]);
        let (r, _) = f.targets(Selection::Scope(ScopeId::at(1)), Action::Destroy, false);
        assert_eq!(
            r,
            vec![
                "module.svc[\"api\"].aws_ecs_service.s",
                "module.svc[\"web\"].aws_ecs_service.s"
            ]
        );
    }

    #[test]
    fn unknown_keys_refuse_only_a_partial_target_and_name_the_expression() {
        let f = keyed("toset(aws_s3_bucket.names.tags_all)");
        let (r, _) = f.try_targets(Selection::Scope(ScopeId::at(1)), Action::Destroy, false);
        let err = r.unwrap_err().to_string();
        assert!(
            err.contains("for_each = toset(aws_s3_bucket.names.tags_all)")
                && err.contains("main.tf:5:14")
                && err.contains("module.svc"),
            "{err}"
        );
        // A whole-module target needs no keys (module.svc's keys depend on the bucket).
        let (r, _) = f.try_targets(Selection::All, Action::Apply, false);
        assert_eq!(r.unwrap(), vec!["module.svc"]);
    }

    #[test]
    fn violations_show_up_as_closure_outside_the_allowed_scopes() {
        let f = fixture(
            &[(
                "main.tf",
                "resource \"aws_iam_role\" \"r\" {}\nresource \"aws_db_instance\" \"db\" { role = aws_iam_role.r.arn }\n",
            )],
            "rule \"roles\" {\n  type = \"aws_iam_role\"\n  scope = \"runtime\"\n}\n",
        );
        let (_, t) = f.targets(Selection::Scope(ScopeId::at(1)), Action::Destroy, false);
        assert_eq!(t.outside, vec![f.graph.find("aws_db_instance.db").unwrap()]);
        let (_, t) = f.targets(Selection::Scope(ScopeId::at(0)), Action::Apply, false);
        assert_eq!(t.outside, vec![f.graph.find("aws_iam_role.r").unwrap()]);
    }
}
