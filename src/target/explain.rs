//! `tfscope explain ADDR`: one unit's scope and the decision behind it, its direct dependencies
//! and dependents, and what bringing each scope up or down does to it.

use crate::classify::Classification;
use crate::error::{Error, Location};
use crate::graph::{Absent, EdgeKind, ResourceGraph, UnitId, UnitKind};
use crate::load::address::parse_address;
use crate::target::{self, Action, Selection};

#[derive(Debug, Clone, serde::Serialize)]
pub struct Explanation {
    pub address: String,
    pub kind: UnitKind,
    #[serde(rename = "type")]
    pub resource_type: String,
    pub scope: String,
    pub reason: String,
    pub decision: crate::classify::Decision,
    pub stateful: bool,
    pub allow_destroy: bool,
    pub location: Location,
    pub dependencies: Vec<Related>,
    pub dependents: Vec<Related>,
    pub effects: Vec<Effect>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Related {
    pub address: String,
    pub scope: String,
    pub via: EdgeKind,
}

/// What `up`/`down` of one scope does to the unit.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Effect {
    pub scope: String,
    pub up: String,
    pub down: String,
}

/// A module call: its resources and their scopes.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ModuleExplanation {
    pub module: String,
    pub resources: Vec<Related>,
}

/// Explains a module call (`module.app`) when `address` names a resolved one.
pub fn explain_module(
    graph: &ResourceGraph,
    class: &Classification,
    address: &str,
) -> Option<ModuleExplanation> {
    let (path, None) = parse_address(address)? else {
        return None;
    };
    graph
        .modules
        .contains_key(&path)
        .then(|| ModuleExplanation {
            module: path.to_string(),
            resources: graph
                .unit_ids()
                .filter(|&u| graph.units[u].module.starts_with(&path))
                .map(|u| Related {
                    address: graph.units[u].address.clone(),
                    scope: class.scope_name(u).to_string(),
                    via: EdgeKind::Value,
                })
                .collect(),
        })
}

/// Explains a unit that has no instances in the environment, when `address` names one.
pub fn explain_absent<'g>(graph: &'g ResourceGraph, address: &str) -> Option<&'g Absent> {
    let (path, resource) = parse_address(address)?;
    let (mode, kind, name) = resource?;
    let config = crate::load::address::ResourceAddr {
        module: path,
        mode,
        kind,
        name,
    }
    .to_string();
    graph.absent.iter().find(|a| a.address == config)
}

pub fn explain(
    graph: &ResourceGraph,
    class: &Classification,
    address: &str,
) -> Result<Explanation, Error> {
    let u = find(graph, address)?;
    Ok(ScopeEffects::compute(graph, class).explain(u))
}

/// What bringing each scope up and down selects, computed once: explaining many units (the
/// graph picture explains every node) costs one targeting pass per scope, not per unit.
pub struct ScopeEffects<'g> {
    graph: &'g ResourceGraph,
    class: &'g Classification,
    /// Per scope, in order: its name, what `up` selects and what `down` selects.
    scopes: Vec<(
        crate::classify::config::ScopeId,
        String,
        target::Targets,
        target::Targets,
    )>,
}

impl<'g> ScopeEffects<'g> {
    pub fn compute(graph: &'g ResourceGraph, class: &'g Classification) -> ScopeEffects<'g> {
        let scopes = class
            .each_scope()
            .map(|(k, name)| {
                let (want, allowed) =
                    target::wanted(graph, class, Selection::Scope(k), Action::Apply);
                let up = target::compute(graph, want, allowed, Action::Apply, false);
                let (want, allowed) =
                    target::wanted(graph, class, Selection::Scope(k), Action::Destroy);
                let down = target::compute(graph, want, allowed, Action::Destroy, false);
                (k, name.clone(), up, down)
            })
            .collect();
        ScopeEffects {
            graph,
            class,
            scopes,
        }
    }

    /// The explanation of unit `u`.
    pub fn explain(&self, u: UnitId) -> Explanation {
        let (graph, class) = (self.graph, self.class);
        let unit = &graph.units[u];
        let related = |edges: &std::collections::BTreeMap<UnitId, EdgeKind>| {
            edges
                .iter()
                .map(|(&d, &via)| Related {
                    address: graph.units[d].address.clone(),
                    scope: class.scope_name(d).to_string(),
                    via,
                })
                .collect::<Vec<_>>()
        };
        let effects = self
            .scopes
            .iter()
            .map(|(k, name, up_t, down_t)| self.effect(u, *k, name, up_t, down_t))
            .collect();
        let c = &class.units[u];
        Explanation {
            address: unit.address.clone(),
            kind: unit.kind,
            resource_type: unit.resource_type.clone(),
            scope: class.scope_name(u).to_string(),
            reason: c.reason.clone(),
            decision: c.decision.clone(),
            stateful: c.stateful,
            allow_destroy: c.allow_destroy,
            location: unit.location.clone(),
            dependencies: related(&graph.unit_deps(u)),
            dependents: related(&graph.unit_dependents(u)),
            effects,
        }
    }

    /// What `up` and `down` of scope `k` do to unit `u`.
    fn effect(
        &self,
        u: UnitId,
        k: crate::classify::config::ScopeId,
        name: &str,
        up_t: &target::Targets,
        down_t: &target::Targets,
    ) -> Effect {
        let unit = &self.graph.units[u];
        let verb = if unit.kind == UnitKind::Data {
            "read"
        } else {
            "applied"
        };
        let up = if up_t.want.contains(&u) {
            format!("{verb}: it is in {name}")
        } else if up_t.closure.contains(&u) {
            format!("{verb} too: something in {name} depends on it")
        } else {
            "not touched".to_string()
        };
        let down = if unit.kind == UnitKind::Data {
            "not destroyed (data source)".to_string()
        } else if down_t.want.contains(&u) {
            if self.class.units[u].scope == k {
                format!("destroyed: it is in {name}")
            } else {
                format!("destroyed: {} comes after {name}", self.class.scope_name(u))
            }
        } else if down_t.closure.contains(&u) {
            "destroyed: it depends on something in that scope".to_string()
        } else {
            "kept".to_string()
        };
        Effect {
            scope: name.to_string(),
            up,
            down,
        }
    }
}

/// Finds a unit by address, accepting instance keys (`x.y["a"]`); suggests near matches.
fn find(graph: &ResourceGraph, address: &str) -> Result<UnitId, Error> {
    if let Some(u) = graph.find(address) {
        return Ok(u);
    }
    if let Some((module, Some((mode, kind, name)))) = parse_address(address) {
        let stripped = crate::load::address::ResourceAddr {
            module,
            mode,
            kind,
            name,
        }
        .to_string();
        if let Some(u) = graph.find(&stripped) {
            return Ok(u);
        }
    }
    let last = address.rsplit('.').next().unwrap_or(address);
    let mut near: Vec<&str> = graph
        .units
        .iter()
        .map(|u| u.address.as_str())
        .filter(|a| a.ends_with(&format!(".{last}")) || a.contains(address))
        .take(5)
        .collect();
    near.sort();
    Err(Error::UnknownAddress {
        address: address.to_string(),
        help: Some(if near.is_empty() {
            "run `tfscope classify` to list every address".to_string()
        } else {
            format!("did you mean: {}", near.join(", "))
        }),
    })
}

#[cfg(test)]
mod tests {
    //! What explain says a scope does to a resource, and near matches for a mistyped address.

    use super::*;

    fn setup(tf: &str) -> (ResourceGraph, Classification) {
        crate::testing::analyse(&[("main.tf", tf)], "")
    }

    #[test]
    fn effects_say_what_each_scope_does_to_the_resource() {
        let (g, c) = setup(
            "resource \"aws_vpc\" \"v\" {}\nresource \"aws_ecs_service\" \"s\" {\n  for_each = toset([\"a\"])\n  x = aws_vpc.v.id\n}\n",
        );
        let e = explain(&g, &c, "aws_vpc.v").unwrap();
        assert_eq!(e.scope, "base");
        assert_eq!(e.dependents[0].address, "aws_ecs_service.s");
        assert_eq!(e.effects[0].up, "applied: it is in base");
        assert_eq!(
            e.effects[1].up,
            "applied too: something in runtime depends on it"
        );
        assert_eq!(e.effects[1].down, "kept");
        let s = explain(&g, &c, "aws_ecs_service.s[\"a\"]").unwrap();
        assert_eq!(s.effects[0].down, "destroyed: runtime comes after base");
    }

    #[test]
    fn unknown_addresses_suggest_near_matches() {
        let (g, c) = setup("resource \"aws_vpc\" \"main\" {}\n");
        let err = explain(&g, &c, "aws_vpc.mian").unwrap_err();
        assert!(err
            .to_string()
            .contains("no resource, data source or module call"));
        let err = explain(&g, &c, "main").unwrap_err();
        let Error::UnknownAddress { help, .. } = err else {
            panic!()
        };
        assert_eq!(help.as_deref(), Some("did you mean: aws_vpc.main"));
    }
}
