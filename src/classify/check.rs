//! The CI gate's findings: scope-order violations, stateful resources outside the protected
//! scopes without `allow_destroy`, resources outside the protected scopes that `up` cannot
//! simply recreate after `down` ([`crate::classify::hazard`]), resources whose type the catalog does not
//! know, and (strict) module calls tfscope cannot read. Cycles never reach here:
//! the graph rejects them, and the command layer reports that as a finding too.

use crate::classify::Classification;
use crate::error::Location;
use crate::graph::{ResourceGraph, UnitKind};

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    Cycle,
    Violation,
    StatefulUnprotected,
    /// A resource that routine `down` destroys and `up` cannot simply create again (or that
    /// `down` cannot destroy while it holds data).
    RecreateHazard,
    Unclassified,
    /// The generated resource-scopes.tf no longer matches the configuration.
    Stale,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Finding {
    pub kind: FindingKind,
    pub address: Option<String>,
    pub location: Option<Location>,
    pub message: String,
}

impl Finding {
    /// The finding for a configuration the graph rejects: Terraform rejects the cycle too.
    pub fn cycle(cycle: &[String]) -> Finding {
        Finding {
            kind: FindingKind::Cycle,
            address: None,
            location: None,
            message: format!("dependency cycle: {}", cycle.join(" -> ")),
        }
    }
}

pub fn check(graph: &ResourceGraph, class: &Classification, strict: bool) -> Vec<Finding> {
    let mut findings = Vec::new();
    for v in &class.violations {
        let (a, b) = (&graph.units[v.dependent], &graph.units[v.dependency]);
        findings.push(Finding {
            kind: FindingKind::Violation,
            address: Some(a.address.clone()),
            location: Some(a.location.clone()),
            message: format!(
                "{} ({}) depends on {} ({}), a later scope: applying {} would apply it too, destroying {} would destroy it. {} is {}: {}",
                a.address,
                class.scope_name(v.dependent),
                b.address,
                class.scope_name(v.dependency),
                class.scope_name(v.dependent),
                class.scope_name(v.dependency),
                b.address,
                class.scope_name(v.dependency),
                class.units[v.dependency].reason
            ),
        });
    }
    for u in graph.unit_ids() {
        let (unit, c) = (&graph.units[u], &class.units[u]);
        if c.stateful
            && unit.kind == UnitKind::Managed
            && !class.protected.contains(&c.scope)
            && !c.allow_destroy
        {
            findings.push(Finding {
                kind: FindingKind::StatefulUnprotected,
                address: Some(unit.address.clone()),
                location: Some(unit.location.clone()),
                message: format!(
                    "{} holds data but is in scope {}, which `down` destroys ({}); move it to a protected scope or add a rule with allow_destroy = true",
                    unit.address,
                    class.scope_name(u),
                    c.reason
                ),
            });
        }
    }
    let routine = graph
        .unit_ids()
        .filter(|&u| !class.protected.contains(&class.units[u].scope));
    for h in crate::classify::hazard::hazards(graph, class, routine) {
        findings.push(Finding {
            kind: FindingKind::RecreateHazard,
            address: Some(h.address),
            location: Some(h.location),
            message: h.message,
        });
    }
    for &u in &class.unclassified {
        let unit = &graph.units[u];
        let opaque = unit.kind == UnitKind::OpaqueModule;
        if opaque && !strict {
            continue;
        }
        let hint = if opaque {
            "run `terraform init` so tfscope can read the module, or add a rule for it".to_string()
        } else {
            "add a rule for it in tfscope.hcl (`tfscope catalog` prints one), or tell us the type and what it holds so the catalog learns it".to_string()
        };
        findings.push(Finding {
            kind: FindingKind::Unclassified,
            address: Some(unit.address.clone()),
            location: Some(unit.location.clone()),
            message: format!(
                "{} ({}): {}; {hint}",
                unit.address,
                unit.resource_type,
                class.units[u].reason.trim_start_matches("unclassified: ")
            ),
        });
    }
    findings.sort();
    findings
}

#[cfg(test)]
mod tests {
    //! Findings: stateful resources and recreate hazards outside the protected scopes.

    use super::*;

    fn findings(tf: &str, config: &str, strict: bool) -> Vec<Finding> {
        let (graph, class) = crate::testing::analyse(&[("main.tf", tf)], config);
        check(&graph, &class, strict)
    }

    #[test]
    fn stateful_resources_outside_protected_scopes_need_allow_destroy() {
        // force_destroy: a bucket that `down` can empty is no recreate hazard, only data loss.
        let tf = "resource \"aws_s3_bucket\" \"tmp\" {\n  force_destroy = true\n  tags          = { Scope = \"runtime\" }\n}\n";
        let found = findings(tf, "", false);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].kind, FindingKind::StatefulUnprotected);
        assert_eq!(found[0].location.as_ref().unwrap().line, 1);
        let allowed =
            "rule \"tmp\" {\n  address = \"aws_s3_bucket.tmp\"\n  allow_destroy = true\n}\n";
        assert!(findings(tf, allowed, false).is_empty());
    }

    #[test]
    fn a_recreate_hazard_outside_the_protected_scopes_is_a_finding() {
        let tf = "resource \"aws_secretsmanager_secret\" \"s\" {\n  tags = { Scope = \"runtime\" }\n}\nresource \"aws_secretsmanager_secret\" \"kept\" {}\n";
        let allowed = "rule \"s\" {\n  address = \"aws_secretsmanager_secret.s\"\n  allow_destroy = true\n}\n";
        let found = findings(tf, allowed, false);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].kind, FindingKind::RecreateHazard);
        assert_eq!(
            found[0].address.as_deref(),
            Some("aws_secretsmanager_secret.s")
        );
        assert!(
            found[0]
                .message
                .starts_with("aws_secretsmanager_secret.s (runtime) will block `up` for 30 days"),
            "{}",
            found[0].message
        );
        let fixed = tf.replace("tags", "recovery_window_in_days = 0\n  tags");
        assert!(findings(&fixed, allowed, false).is_empty());
    }

    #[test]
    fn an_unknown_type_is_a_finding_with_a_hint() {
        let tf = "resource \"acme_widget\" \"w\" {}\n";
        let found = findings(tf, "", false);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].kind, FindingKind::Unclassified);
        assert!(
            found[0].message.contains("acme_widget"),
            "{}",
            found[0].message
        );
        assert!(
            found[0].message.contains("kept in base"),
            "{}",
            found[0].message
        );
        assert!(
            found[0].message.contains("tfscope catalog"),
            "{}",
            found[0].message
        );
        let ruled = "rule \"w\" {\n  type = \"acme_*\"\n  scope = \"runtime\"\n}\n";
        assert!(findings(tf, ruled, false).is_empty());
    }
}
