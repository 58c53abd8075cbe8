//! What a configuration uses that the catalog cannot classify (`tfscope catalog`): the
//! unclassified resources grouped by type (and, for generic types such as `azapi_resource`, by
//! what their argument says), each with a `tfscope.hcl` rule that would classify it, and the
//! catalog's coverage of the providers it covers.

use std::fmt::Write;

use crate::classify::catalog::Catalog;
use crate::classify::config::Config;
use crate::classify::{Classification, Decision};
use crate::error::Location;
use crate::graph::{ResourceGraph, UnitKind};

/// Resources of one type the catalog lacks.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Gap {
    pub resource_type: String,
    /// For a generic type: what is unknown about it (`its type "Contoso.X/y" is not in the arm
    /// catalog`); `None` for a type the catalog does not list at all.
    pub detail: Option<String>,
    pub resources: Vec<GapResource>,
    /// The scope they are kept in now.
    pub scope: String,
    /// A rule that classifies them, ready for `tfscope.hcl`.
    pub rule: String,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct GapResource {
    pub address: String,
    pub location: Location,
}

/// The unclassified managed resources of `class`, grouped; opaque module calls are left out
/// (they need `terraform init`, not a rule).
pub fn gaps(
    graph: &ResourceGraph,
    class: &Classification,
    config: &Config,
    catalog: &Catalog,
) -> Vec<Gap> {
    let mut out: Vec<Gap> = Vec::new();
    for &u in &class.unclassified {
        let unit = &graph.units[u];
        if unit.kind != UnitKind::Managed {
            continue;
        }
        let detail = match &class.units[u].decision {
            Decision::Default { why } if catalog.keyed(&unit.resource_type).is_some() => {
                Some(why.clone())
            }
            _ => None,
        };
        let resource = GapResource {
            address: unit.address.clone(),
            location: unit.location.clone(),
        };
        match out
            .iter_mut()
            .find(|g| g.resource_type == unit.resource_type && g.detail == detail)
        {
            Some(g) => g.resources.push(resource),
            None => out.push(Gap {
                resource_type: unit.resource_type.clone(),
                detail,
                resources: vec![resource],
                scope: class.scope_name(u).to_string(),
                rule: String::new(),
            }),
        }
    }
    out.sort_by(|a, b| (&a.resource_type, &a.detail).cmp(&(&b.resource_type, &b.detail)));
    for g in &mut out {
        g.rule = rule_for(g, config);
    }
    out
}

/// A rule for a gap: by type when the type itself is unknown, by address for a generic type
/// (every `azapi_resource` shares the type; only the addresses tell them apart).
fn rule_for(gap: &Gap, config: &Config) -> String {
    let name = gap.resource_type.clone();
    let matcher = match &gap.detail {
        None => format!("  type   = \"{}\"\n", gap.resource_type),
        Some(_) => {
            let addresses: Vec<String> = gap
                .resources
                .iter()
                .map(|r| format!("\"{}\"", r.address))
                .collect();
            format!("  address = [{}]\n", addresses.join(", "))
        }
    };
    let earliest = &config.scopes[0];
    let others: Vec<String> = config.scopes[1..]
        .iter()
        .map(|s| format!("\"{s}\""))
        .collect();
    let alternative = if others.is_empty() {
        String::new()
    } else {
        format!(
            "  # or {}: only if it is cheap to recreate and holds no data\n",
            others.join(" / ")
        )
    };
    format!(
        "rule \"{name}\" {{\n{matcher}  scope  = \"{earliest}\"\n{alternative}  reason = \"what it is and why it belongs there\"\n}}\n"
    )
}

pub fn gaps_text(gaps: &[Gap]) -> String {
    if gaps.is_empty() {
        return "every resource type this configuration uses is in the catalog".to_string();
    }
    let resources: usize = gaps.iter().map(|g| g.resources.len()).sum();
    let mut out = format!(
        "{} the catalog cannot classify ({}); they are kept in their scope until a rule or tag says otherwise:\n",
        plural(gaps.len(), "resource type"),
        plural(resources, "resource")
    );
    for g in gaps {
        let _ = write!(
            out,
            "\n{} ({}, kept in {})",
            g.resource_type,
            plural(g.resources.len(), "resource"),
            g.scope
        );
        if let Some(d) = &g.detail {
            let _ = write!(out, ": {d}");
        }
        out.push('\n');
        for r in &g.resources {
            let _ = writeln!(
                out,
                "  {}  [{}:{}:{}]",
                r.address, r.location.file, r.location.line, r.location.column
            );
        }
        out.push_str("  a rule for tfscope.hcl:\n");
        for line in g.rule.lines() {
            let _ = writeln!(out, "    {line}");
        }
    }
    out.trim_end().to_string()
}

pub fn gaps_json(gaps: &[Gap]) -> serde_json::Value {
    serde_json::json!({ "gaps": gaps })
}

/// The coverage table, one row per provider list (markdown: the README's table).
pub fn coverage_text(catalog: &Catalog, markdown: bool) -> String {
    let mut out = String::new();
    if markdown {
        out.push_str("| provider | types in the catalog / types in the provider | list from |\n|---|---|---|\n");
    }
    for c in catalog.coverage() {
        let covered = c.listed - c.missing.len();
        let percent = if c.listed == 0 {
            100.0
        } else {
            100.0 * covered as f64 / c.listed as f64
        };
        if markdown {
            let _ = writeln!(
                out,
                "| {} | {covered} / {} ({percent:.0}%) | {} |",
                c.provider, c.listed, c.source
            );
        } else {
            let _ = writeln!(
                out,
                "{:12} {covered:5} / {:5}  {percent:5.1}%",
                c.provider, c.listed
            );
            for m in &c.missing {
                let _ = writeln!(out, "  missing: {m}");
            }
        }
    }
    out.trim_end().to_string()
}

/// What `tfscope catalog --type NAME` says of a type the catalog does not list.
pub fn not_in_catalog(name: &str) -> String {
    format!("{name}: not in the catalog; a resource of this type is kept in the earliest scope until a rule or tag classifies it")
}

/// What the catalog says about one type, or one ARM type (`Microsoft.X/y`).
pub fn describe_type(catalog: &Catalog, name: &str) -> Option<String> {
    let (entry, what) = match catalog.lookup(name) {
        Some(e) => (e, name.to_string()),
        None if name.contains('/') => (catalog.lookup_in("arm", name)?, format!("ARM type {name}")),
        None => {
            let keyed = catalog.keyed(name)?;
            return Some(format!(
                "{name}: classified by its `{}` argument, looked up in the {} catalog",
                keyed.argument, keyed.catalog
            ));
        }
    };
    Some(format!(
        "{what}: {} layer, category {}, {}{} (matched {} in {}.toml)",
        match entry.layer {
            crate::classify::catalog::Layer::Base => "base",
            crate::classify::catalog::Layer::Runtime => "runtime",
        },
        entry.category,
        if entry.stateful {
            "stateful"
        } else {
            "not stateful"
        },
        if entry.follows {
            ", follows what it joins"
        } else {
            ""
        },
        entry.pattern,
        entry.source
    ))
}

fn plural(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

#[cfg(test)]
mod tests {
    //! Unknown types grouped with a rule that would classify them.

    use super::*;

    #[test]
    fn unknown_types_are_grouped_with_a_rule_that_classifies_them() {
        let a = crate::testing::analysis(
            &[(
                "main.tf",
                "resource \"acme_widget\" \"a\" {}\nresource \"acme_widget\" \"b\" {}\nresource \"aws_vpc\" \"v\" {}\nresource \"azapi_resource\" \"odd\" {\n  type = \"Contoso.Widgets/gadgets@2020-01-01\"\n}\n",
            )],
            "",
        );
        let gaps = gaps(&a.graph, &a.class, &a.config, Catalog::builtin());
        assert_eq!(gaps.len(), 2, "{gaps:?}");
        assert_eq!(gaps[0].resource_type, "acme_widget");
        assert_eq!(gaps[0].resources.len(), 2);
        assert_eq!(gaps[0].scope, "base");
        assert!(gaps[1]
            .detail
            .as_deref()
            .unwrap()
            .contains("Contoso.Widgets/gadgets"));
        assert!(
            gaps[1].rule.contains("address = [\"azapi_resource.odd\"]"),
            "{}",
            gaps[1].rule
        );

        // The rule it prints, added to tfscope.hcl, classifies the type.
        let config = gaps[0]
            .rule
            .replace("scope  = \"base\"", "scope  = \"runtime\"");
        let b = crate::testing::analysis(
            &[("main.tf", "resource \"acme_widget\" \"a\" {}\n")],
            &config,
        );
        let w = b.graph.find("acme_widget.a").unwrap();
        assert_eq!(b.class.scope_name(w), "runtime");
        assert!(super::gaps(&b.graph, &b.class, &b.config, Catalog::builtin()).is_empty());
    }

    #[test]
    fn a_type_is_described_from_its_entry() {
        let c = Catalog::builtin();
        assert!(describe_type(c, "aws_vpc")
            .unwrap()
            .contains("base layer, category network"));
        assert!(describe_type(c, "azapi_resource")
            .unwrap()
            .contains("`type` argument"));
        assert!(describe_type(c, "Microsoft.Storage/storageAccounts")
            .unwrap()
            .contains("stateful"));
        assert!(describe_type(c, "acme_widget").is_none());
    }
}
