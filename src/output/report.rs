//! Renders results for people and scripts: text tables, JSON (stable shapes that scripts rely
//! on), and markdown for pull-request comments (a tera template in `templates/`). Pure functions
//! from data to strings; no I/O.

use std::fmt::Write as _;

use serde_json::{json, Value};

use crate::classify::check::Finding;
use crate::classify::Classification;
use crate::graph::{ResourceGraph, UnitId, UnitKind};
use crate::run::consent::Confirmation;
use crate::run::resume::Resume;
use crate::run::verify::{Item, PhaseCheck, Verification};
use crate::run::Outcome;
use crate::target::explain::Explanation;
use crate::target::plan::Plan;

/// `1 resource`, `2 resources`.
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

fn kind_name(kind: UnitKind) -> &'static str {
    match kind {
        UnitKind::Managed => "managed",
        UnitKind::Data => "data",
        UnitKind::OpaqueModule => "module",
    }
}

/// `{"scopes":[..],"resources":[{"address","type","scope","reason","stateful","file","line",..}]}`
///
/// Serialized straight from the graph and the classification (no intermediate `Value`): the
/// fields borrow, so a large configuration's JSON costs only its text.
pub fn classify_json<'a>(graph: &'a ResourceGraph, class: &'a Classification) -> ClassifyJson<'a> {
    ClassifyJson { graph, class }
}

/// What [`classify_json`] returns: serializes to the document it describes.
pub struct ClassifyJson<'a> {
    graph: &'a ResourceGraph,
    class: &'a Classification,
}

#[derive(serde::Serialize)]
struct ClassifiedJson<'a> {
    address: &'a str,
    #[serde(rename = "type")]
    resource_type: &'a str,
    scope: &'a str,
    reason: &'a str,
    stateful: bool,
    file: &'a str,
    line: usize,
    kind: &'static str,
    allow_destroy: bool,
}

#[derive(serde::Serialize)]
struct AbsentJson<'a> {
    address: &'a str,
    #[serde(rename = "type")]
    resource_type: &'a str,
    kind: &'static str,
    file: &'a str,
    line: usize,
    why: &'a str,
}

impl serde::Serialize for ClassifyJson<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let (graph, class) = (self.graph, self.class);
        let resources = graph.unit_ids().map(|u| {
            let (unit, c) = (&graph.units[u], &class.units[u]);
            ClassifiedJson {
                address: &unit.address,
                resource_type: &unit.resource_type,
                scope: class.scope_name(u),
                reason: &c.reason,
                stateful: c.stateful,
                file: &unit.location.file,
                line: unit.location.line,
                kind: kind_name(unit.kind),
                allow_destroy: c.allow_destroy,
            }
        });
        let absent = graph.absent.iter().map(|a| AbsentJson {
            address: &a.address,
            resource_type: &a.resource_type,
            kind: kind_name(a.kind),
            file: &a.location.file,
            line: a.location.line,
            why: &a.why,
        });
        let mut doc = serializer.serialize_struct("Classification", 3)?;
        doc.serialize_field("scopes", &class.scopes)?;
        doc.serialize_field("resources", &Seq(std::cell::Cell::new(Some(resources))))?;
        doc.serialize_field("absent", &Seq(std::cell::Cell::new(Some(absent))))?;
        doc.end()
    }
}

/// An iterator serialized as a JSON array, once.
struct Seq<I>(std::cell::Cell<Option<I>>);

impl<I> serde::Serialize for Seq<I>
where
    I: Iterator,
    I::Item: serde::Serialize,
{
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let items = self.0.take().expect("a Seq serializes once");
        serializer.collect_seq(items)
    }
}

/// Rows grouped by scope in order, with a count per scope at the end.
pub fn classify_text(graph: &ResourceGraph, class: &Classification) -> String {
    let mut out = String::new();
    let width = graph
        .units
        .iter()
        .map(|u| u.address.len())
        .max()
        .unwrap_or(0);
    for (k, scope) in class.each_scope() {
        let members: Vec<UnitId> = graph
            .unit_ids()
            .filter(|&u| class.units[u].scope == k)
            .collect();
        let _ = writeln!(out, "{scope} ({})", count(members.len(), "resource"));
        for u in members {
            let unit = &graph.units[u];
            let c = &class.units[u];
            let flag = match (c.stateful, unit.kind) {
                (_, UnitKind::Data) => "data",
                (true, _) => "stateful",
                _ => "",
            };
            let _ = writeln!(
                out,
                "  {:width$}  {:8}  {}  [{}:{}]",
                unit.address, flag, c.reason, unit.location.file, unit.location.line
            );
        }
        out.push('\n');
    }
    let counts: Vec<String> = class
        .each_scope()
        .map(|(k, s)| {
            format!(
                "{s} {}",
                class.units.iter().filter(|c| c.scope == k).count()
            )
        })
        .collect();
    if !graph.absent.is_empty() {
        let _ = writeln!(
            out,
            "without instances in this environment, left out ({})",
            graph.absent.len()
        );
        for a in &graph.absent {
            let _ = writeln!(out, "  {:width$}  {}", a.address, a.why);
        }
        let _ = writeln!(out);
    }
    let _ = writeln!(
        out,
        "{}: {}; {} unclassified, {}; {} without instances (left out)",
        count(graph.units.len(), "resource"),
        counts.join(", "),
        class.unclassified.len(),
        count(class.violations.len(), "violation"),
        graph.absent.len()
    );
    out
}

/// `explain` of a unit without instances in the environment.
pub fn explain_absent_text(a: &crate::graph::Absent) -> String {
    format!(
        "{}: no instances in this environment
  why: {}
  defined at: {}
  left out: never a target, never counted on to imply or cascade anything, never a reason to promote, not expected by status, not priced
",
        a.address, a.why, a.location
    )
}

pub fn plan_json(plan: &Plan) -> Value {
    serde_json::to_value(plan).expect("plan serializes")
}

pub fn plan_text(plan: &Plan) -> String {
    let mut out = String::new();
    let env = env_suffix(plan.env.as_deref());
    let _ = writeln!(
        out,
        "{} {}{env}: {}",
        action_name(plan),
        plan.scope,
        count(plan.phases.len(), "phase")
    );
    if plan.phases.is_empty() {
        let _ = writeln!(out, "nothing to do: the selected scope has no resources");
    }
    for phase in &plan.phases {
        let n: usize = phase.resources.values().map(Vec::len).sum();
        let _ = writeln!(
            out,
            "\nPhase {}: {} {} ({})",
            phase.number,
            action_word(phase.action),
            phase.scope,
            count(n, "resource")
        );
        for (module, addresses) in &phase.resources {
            let name = if module.is_empty() {
                "(root)"
            } else {
                module.as_str()
            };
            let _ = writeln!(out, "  {name}");
            for a in addresses {
                let _ = writeln!(out, "    {a}");
            }
        }
        let _ = writeln!(out, "  command:\n    {}", phase.command);
        if !phase.also.is_empty() {
            let title = match phase.action {
                crate::target::Action::Apply => {
                    "dependencies pulled in (Terraform applies what targets depend on)"
                }
                crate::target::Action::Destroy => {
                    "dependents cascaded (Terraform destroys what depends on targets)"
                }
            };
            let _ = writeln!(out, "  {title}:");
            for t in &phase.also {
                let _ = writeln!(out, "    {} ({}): {}", t.address, t.scope, t.why);
            }
        }
        if !phase.stateful_at_risk.is_empty() {
            let _ = writeln!(out, "  stateful resources deleted:");
            for r in &phase.stateful_at_risk {
                let note = if r.allow_destroy {
                    "allowed by a rule"
                } else {
                    "NOT allowed: no allow_destroy"
                };
                let _ = writeln!(out, "    {} ({}): {note}", r.address, r.scope);
            }
        }
        if !phase.hazards.is_empty() {
            let _ = writeln!(out, "  recreate hazards:");
            for h in &phase.hazards {
                let _ = writeln!(out, "    {}", h.message);
            }
        }
        if !phase.outside.is_empty() {
            let _ = writeln!(
                out,
                "  VIOLATION: this phase touches resources of scopes it must not:"
            );
            for t in &phase.outside {
                let _ = writeln!(out, "    {} ({}): {}", t.address, t.scope, t.why);
            }
        }
    }
    out
}

/// What `down` shows before it asks for the scope name to be typed back: what it cascades
/// into, the stateful resources it destroys, and the commands that then run without prompts.
pub fn confirmation_text(confirmation: &Confirmation, plan: &Plan, commands: &[String]) -> String {
    let mut out = String::new();
    if !confirmation.cascade.is_empty() {
        let _ = writeln!(
            out,
            "tfscope: WARNING: destroying {} also destroys the later scope(s) that depend on it: {}",
            plan.scope,
            confirmation.cascade.join(", ")
        );
    }
    if !confirmation.stateful.is_empty() {
        let _ = writeln!(
            out,
            "tfscope: WARNING: this destroys stateful resources and their data: {}",
            confirmation.stateful.join(", ")
        );
    }
    let _ = writeln!(out, "tfscope: this runs, without further prompts:");
    for command in commands {
        let _ = writeln!(out, "    {command}");
    }
    out
}

/// What `up`/`down` say on stderr when their run ends: done, or which phase stopped, why, and
/// the command that resumes it.
pub fn run_outcome_text(outcome: &Outcome, plan: &Plan, verb: &str, resume: &Resume) -> String {
    let total = plan.phases.len();
    let name = |phase: usize| {
        let p = &plan.phases[phase - 1];
        format!("phase {phase}/{total} ({} {})", p.action.verb(), p.scope)
    };
    match outcome {
        Outcome::Done { phases } => {
            format!("tfscope: {verb} {}: done ({phases} phase(s))\n", plan.scope)
        }
        Outcome::Failed { phase: 0, code } => format!(
            "tfscope: terraform init failed (exit {code}); fix it and run the same command again\n"
        ),
        Outcome::Failed { phase, code } => format!(
            "tfscope: {} failed: terraform exited with {code}\nhint: fix the problem, then resume with: {}\n",
            name(*phase),
            resume.at(*phase)
        ),
        Outcome::Refused { phase, check } => format!(
            "tfscope: refusing {}: Terraform's plan does not keep tfscope's promise; nothing was applied\n{}\
             hint: `tfscope explain ADDRESS` shows why tfscope scoped an address; fix the rules, or the drifted state, then run the same command again\n",
            name(*phase),
            phase_check_table(check)
        ),
        Outcome::Declined { phase } => format!(
            "tfscope: {} not applied: the answer was not 'yes'\nhint: resume with: {}\n",
            name(*phase),
            resume.at(*phase)
        ),
        Outcome::Interrupted { phase } => format!(
            "tfscope: interrupted during {}: Terraform was asked to stop and has stopped; its state records what it finished\n\
             hint: see what is up with `tfscope status`; resume with: {}\n",
            name(*phase),
            resume.at(*phase)
        ),
    }
}

/// The difference between a phase's promise and Terraform's plan as a table: what Terraform
/// would do that was not promised, and what was promised that it would not do.
pub fn phase_check_table(check: &PhaseCheck) -> String {
    let mut rows: Vec<[String; 5]> = vec![[
        "difference".into(),
        "address".into(),
        "action".into(),
        "scope".into(),
        "why".into(),
    ]];
    let row = |kind: &str, i: &Item| {
        [
            kind.to_string(),
            i.address.clone(),
            i.action.verb().to_string(),
            i.scope.clone().unwrap_or_else(|| "-".into()),
            i.why.clone(),
        ]
    };
    rows.extend(check.unexpected.iter().map(|i| row("unexpected", i)));
    rows.extend(check.missing.iter().map(|i| row("missing", i)));
    let mut widths = [0; 5];
    for r in &rows {
        for (w, cell) in widths.iter_mut().zip(r) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for r in &rows {
        let line: Vec<String> = r
            .iter()
            .zip(widths)
            .enumerate()
            .map(|(i, (cell, w))| {
                if i == 4 {
                    cell.clone()
                } else {
                    format!("{cell:<w$}")
                }
            })
            .collect();
        let _ = writeln!(out, "  {}", line.join("  "));
    }
    out
}

/// `tfscope verify` for people: per phase, whether Terraform keeps the promise, the table of
/// differences when not, and the earlier-scope objects it updates.
pub fn verify_text(v: &Verification) -> String {
    let mut out = String::new();
    let env = env_suffix(v.env.as_deref());
    let _ = writeln!(
        out,
        "verify {} {}{env}: {}",
        v.action.verb(),
        v.scope,
        if v.agrees {
            "Terraform's plans keep the promise"
        } else {
            "Terraform's plans do NOT keep the promise"
        }
    );
    if v.phases.is_empty() {
        let _ = writeln!(out, "nothing to do: the selected scope has no resources");
    }
    for c in &v.phases {
        let verdict = if c.agrees() { "agrees" } else { "DISAGREES" };
        let _ = writeln!(
            out,
            "\nPhase {}: {} {}: {verdict} ({} promised, {} planned)",
            c.number,
            c.action.verb(),
            c.scope,
            c.promised.len(),
            count(c.planned.len(), "change")
        );
        if !c.agrees() {
            out.push_str(&phase_check_table(c));
        }
        if !c.cross_scope_updates.is_empty() {
            let _ = writeln!(out, "  earlier-scope objects updated in place (allowed):");
            for u in &c.cross_scope_updates {
                let _ = writeln!(
                    out,
                    "    {} ({})",
                    u.address,
                    u.scope.as_deref().unwrap_or("-")
                );
            }
        }
        for r in &c.allowed_replaces {
            let _ = writeln!(out, "  {}: {}", r.address, r.why);
        }
    }
    out
}

/// `{"action","scope","env","agrees","phases":[{"promised","planned","missing","unexpected",
/// "cross_scope_updates",..}]}`
pub fn verify_json(v: &Verification) -> Value {
    serde_json::to_value(v).expect("verification serializes")
}

pub fn verify_markdown(v: &Verification) -> String {
    render_markdown("verify.md", "v", v)
}

fn render_markdown(name: &str, key: &str, value: &impl serde::Serialize) -> String {
    let mut context = tera::Context::new();
    context.insert(key, value);
    crate::output::templates::render(name, &context)
}

/// ` (env dev)`, or nothing without an environment.
fn env_suffix(env: Option<&str>) -> String {
    env.map(|e| format!(" (env {e})")).unwrap_or_default()
}

fn action_name(plan: &Plan) -> &'static str {
    action_word(plan.action)
}

fn action_word(action: crate::target::Action) -> &'static str {
    action.verb()
}

pub fn plan_markdown(plan: &Plan) -> String {
    plan_markdown_with_graphs(plan, &[])
}

/// The Mermaid graph of what one phase touches, for the markdown plan, or why there is none.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PhaseGraph {
    pub mermaid: Option<String>,
    pub note: Option<String>,
}

/// [`plan_markdown`] with the graph of each phase (`graphs[i]` for the i-th phase).
pub fn plan_markdown_with_graphs(plan: &Plan, graphs: &[PhaseGraph]) -> String {
    let mut context = tera::Context::new();
    context.insert("plan", plan);
    context.insert("graphs", graphs);
    crate::output::templates::render("plan.md", &context)
}

pub fn check_text(findings: &[Finding]) -> String {
    let mut out = String::new();
    for f in findings {
        let kind = serde_json::to_value(&f.kind).ok();
        let kind = kind.as_ref().and_then(Value::as_str).unwrap_or("finding");
        match &f.location {
            Some(loc) => {
                let _ = writeln!(out, "{loc}: {kind}: {}", f.message);
            }
            None => {
                let _ = writeln!(out, "{kind}: {}", f.message);
            }
        }
    }
    let _ = writeln!(out, "{}", count(findings.len(), "finding"));
    out
}

pub fn check_json(findings: &[Finding]) -> Value {
    json!({ "findings": findings, "ok": findings.is_empty() })
}

/// Scopes at a glance: up / down / partial with counts, then what is missing and orphaned.
pub fn status_text(s: &crate::run::status::Status) -> String {
    let mut out = String::new();
    let width = s
        .scopes
        .iter()
        .map(|x| x.scope.len())
        .max()
        .unwrap_or(5)
        .max(5);
    let env = s
        .env
        .as_deref()
        .map(|e| format!(" (env {e})"))
        .unwrap_or_default();
    let _ = writeln!(out, "{:width$}  {:7}  resources{env}", "scope", "status");
    for sc in &s.scopes {
        let status = match sc.status {
            crate::run::status::State::Up => "up",
            crate::run::status::State::Down => "down",
            crate::run::status::State::Partial => "partial",
        };
        let _ = writeln!(
            out,
            "{:width$}  {status:7}  {}/{}",
            sc.scope, sc.present, sc.expected
        );
    }
    for sc in s
        .scopes
        .iter()
        .filter(|sc| sc.status == crate::run::status::State::Partial)
    {
        let _ = writeln!(
            out,
            "\nmissing from {} (in the configuration, not in state):",
            sc.scope
        );
        for a in &sc.missing {
            let _ = writeln!(out, "  {a}");
        }
    }
    if !s.orphans.is_empty() {
        let _ = writeln!(out, "\nin state but not in the configuration:");
        for a in &s.orphans {
            let _ = writeln!(out, "  {a}");
        }
    }
    out
}

pub fn explain_module_text(m: &crate::target::explain::ModuleExplanation) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} is a module call with {}:",
        m.module,
        count(m.resources.len(), "resource")
    );
    for r in &m.resources {
        let _ = writeln!(out, "  {} ({})", r.address, r.scope);
    }
    let _ = writeln!(
        out,
        "explain one of them for its dependencies and what up/down does to it"
    );
    out
}

pub fn explain_text(e: &Explanation) -> String {
    explain_text_listing(e, usize::MAX)
}

/// [`explain_text`] listing at most `listed` dependencies and dependents each (the graph page
/// explains every node: a VPC needed by thousands would make the page huge), with the count of
/// the rest.
pub fn explain_text_listing(e: &Explanation, listed: usize) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", e.address);
    let _ = writeln!(out, "  type:      {}", e.resource_type);
    let _ = writeln!(out, "  defined:   {}", e.location);
    let _ = writeln!(out, "  scope:     {}", e.scope);
    let _ = writeln!(out, "  why:       {}", e.reason);
    let _ = writeln!(
        out,
        "  stateful:  {}{}",
        if e.stateful { "yes" } else { "no" },
        if e.allow_destroy {
            " (allow_destroy)"
        } else {
            ""
        }
    );
    for (title, list) in [
        ("depends on", &e.dependencies),
        ("needed by", &e.dependents),
    ] {
        let _ = writeln!(out, "  {title} ({}):", list.len());
        for r in list.iter().take(listed) {
            let via = match r.via {
                crate::graph::EdgeKind::Value => "",
                crate::graph::EdgeKind::Provider => " via provider configuration",
            };
            let _ = writeln!(out, "    {} ({}){via}", r.address, r.scope);
        }
        if list.len() > listed {
            let _ = writeln!(
                out,
                "    ... and {} more (`tfscope explain {}` lists them all)",
                list.len() - listed,
                e.address
            );
        }
    }
    let _ = writeln!(out, "  effects:");
    for fx in &e.effects {
        let _ = writeln!(out, "    up {}: {}", fx.scope, fx.up);
        let _ = writeln!(out, "    down {}: {}", fx.scope, fx.down);
    }
    out
}

#[cfg(test)]
mod tests {
    //! Text, JSON and markdown reports agree in their counts and carry what the reader needs.

    use super::*;
    use crate::target::plan::{Phase, Risk, Touch};
    use crate::target::Action;

    fn plan() -> Plan {
        Plan {
            action: Action::Destroy,
            scope: "runtime".into(),
            env: Some("dev".into()),
            phases: vec![Phase {
                number: 1,
                scope: "runtime".into(),
                action: Action::Destroy,
                targets: vec!["module.app".into()],
                resources: [(String::new(), vec!["aws_ecs_cluster.c".into()])].into(),
                touches: vec!["aws_ecs_cluster.c".into(), "aws_ecs_service.s".into()],
                also: vec![Touch {
                    address: "aws_ecs_service.s".into(),
                    scope: "runtime".into(),
                    why: "depends on aws_ecs_cluster.c".into(),
                }],
                stateful_at_risk: vec![Risk {
                    address: "aws_ebs_volume.v".into(),
                    scope: "runtime".into(),
                    allow_destroy: false,
                }],
                hazards: Vec::new(),
                outside: Vec::new(),
                command: "terraform destroy -target=module.app".into(),
            }],
        }
    }

    #[test]
    fn counts_agree_in_number() {
        assert_eq!(count(1, "phase"), "1 phase");
        assert_eq!(count(0, "finding"), "0 findings");
    }

    #[test]
    fn markdown_plan_has_the_command_blast_radius_and_risks() {
        let md = plan_markdown(&plan());
        assert!(
            md.starts_with("## tfscope plan: destroy runtime (dev)"),
            "{md}"
        );
        assert!(
            md.contains("```sh\nterraform destroy -target=module.app\n```"),
            "{md}"
        );
        assert!(md.contains("| (root) | 1 |"), "{md}");
        assert!(
            md.contains("- `aws_ecs_service.s` (runtime): depends on aws_ecs_cluster.c"),
            "{md}"
        );
        assert!(md.contains("**not allowed** (no allow_destroy)"), "{md}");
    }

    #[test]
    fn text_plan_names_every_part() {
        let text = plan_text(&plan());
        assert!(
            text.starts_with("destroy runtime (env dev): 1 phase\n"),
            "{text}"
        );
        assert!(
            text.contains("Phase 1: destroy runtime (1 resource)"),
            "{text}"
        );
        assert!(text.contains("dependents cascaded"), "{text}");
        assert!(
            text.contains("aws_ebs_volume.v (runtime): NOT allowed: no allow_destroy"),
            "{text}"
        );
    }

    #[test]
    fn explain_text_listing_counts_what_it_leaves_out() {
        let (graph, class) = crate::testing::analyse(
            &[(
                "main.tf",
                "resource \"aws_vpc\" \"v\" {}\nresource \"aws_subnet\" \"a\" { vpc_id = aws_vpc.v.id }\nresource \"aws_subnet\" \"b\" { vpc_id = aws_vpc.v.id }\nresource \"aws_subnet\" \"c\" { vpc_id = aws_vpc.v.id }\n",
            )],
            "",
        );
        let e = crate::target::explain::explain(&graph, &class, "aws_vpc.v").unwrap();
        let all = explain_text(&e);
        assert!(
            all.contains("needed by (3):") && all.contains("aws_subnet.c"),
            "{all}"
        );
        let short = explain_text_listing(&e, 1);
        assert!(short.contains("needed by (3):"), "{short}");
        assert!(
            short.contains("aws_subnet.a") && !short.contains("aws_subnet.c"),
            "{short}"
        );
        assert!(
            short.contains("... and 2 more (`tfscope explain aws_vpc.v` lists them all)"),
            "{short}"
        );
    }
}
