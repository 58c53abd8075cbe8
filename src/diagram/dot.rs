//! The diagram as Graphviz DOT (`tfscope graph --format dot`, for `dot -Tsvg`): modules as
//! nested clusters, nodes filled with their scope's colour, stateful ones as cylinders, data
//! sources dashed, cross-scope edges purple and thick, provider edges dotted, and a legend with
//! each scope's count (and cost). Arrows run from a dependency to what needs it, the order `up`
//! applies in, so the earlier scopes sit above the later ones.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::{Diagram, Node, NodeKind, Status};
use crate::graph::EdgeKind;

/// The colour of an edge that crosses scopes.
pub const CROSS_SCOPE: &str = "#8250df";
/// The outline of a resource missing from state while its scope is up.
pub const MISSING: &str = "#cf222e";

pub fn render(d: &Diagram) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "digraph tfscope {{");
    let _ = writeln!(
        out,
        "  graph [rankdir=TB, fontname=\"Helvetica\", fontsize=12, labelloc=t, label={}, nodesep=0.25, ranksep=0.5];",
        quote(&super::title(d))
    );
    let _ = writeln!(
        out,
        "  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=10, fontcolor=\"#ffffff\", penwidth=1];"
    );
    let _ = writeln!(out, "  edge [color=\"#8c96a3\", arrowsize=0.6];");
    legend(d, &mut out);

    // Nodes by group; groups nested as clusters.
    let mut by_group: BTreeMap<Option<&str>, Vec<&Node>> = BTreeMap::new();
    for n in &d.nodes {
        by_group.entry(n.group.as_deref()).or_default().push(n);
    }
    let mut children: BTreeMap<Option<&str>, Vec<&str>> = BTreeMap::new();
    for g in &d.groups {
        children
            .entry(g.parent.as_deref())
            .or_default()
            .push(g.id.as_str());
    }
    write_group(d, None, &by_group, &children, 1, &mut out);

    for e in &d.edges {
        let mut attrs = Vec::new();
        if e.cross_scope {
            attrs.push(format!("color=\"{CROSS_SCOPE}\""));
            attrs.push("penwidth=2".to_string());
        }
        if e.kind == EdgeKind::Provider {
            attrs.push("style=dotted".to_string());
        }
        if e.count > 1 {
            attrs.push(format!("label=\"{}\"", e.count));
            attrs.push("fontsize=8".to_string());
        }
        let attrs = match attrs.is_empty() {
            true => String::new(),
            false => format!(" [{}]", attrs.join(", ")),
        };
        let _ = writeln!(out, "  {} -> {}{attrs};", quote(&e.to), quote(&e.from));
    }
    out.push_str("}\n");
    out
}

/// A cluster per module, holding its nodes and its child modules.
fn write_group(
    d: &Diagram,
    group: Option<&str>,
    by_group: &BTreeMap<Option<&str>, Vec<&Node>>,
    children: &BTreeMap<Option<&str>, Vec<&str>>,
    depth: usize,
    out: &mut String,
) {
    let pad = "  ".repeat(depth);
    for n in by_group.get(&group).map(Vec::as_slice).unwrap_or_default() {
        let _ = writeln!(out, "{pad}{} [{}];", quote(&n.id), node_attrs(d, n));
    }
    for child in children.get(&group).map(Vec::as_slice).unwrap_or_default() {
        let label = d
            .groups
            .iter()
            .find(|g| g.id == *child)
            .map_or(*child, |g| g.label.as_str());
        let _ = writeln!(
            out,
            "{pad}subgraph {} {{",
            quote(&format!("cluster_{child}"))
        );
        let _ = writeln!(
            out,
            "{pad}  label={}; style=\"rounded,dashed\"; color=\"#94a0ae\"; fontcolor=\"#3d4650\"; fontsize=11;",
            quote(label)
        );
        write_group(d, Some(child), by_group, children, depth + 1, out);
        let _ = writeln!(out, "{pad}}}");
    }
}

fn node_attrs(d: &Diagram, n: &Node) -> String {
    let color = super::scope_color(n.rank);
    let mut label = n.label.clone();
    if n.kind == NodeKind::Module {
        label.push_str(&format!(" ×{}", n.resources));
    }
    if let (true, Some(m)) = (d.cost, n.monthly_usd) {
        label.push_str(&format!("\n${m:.2}/mo"));
    }
    if let Some(s) = n.status {
        label.push_str(&format!("\n[{}]", status_word(s)));
    }
    // Filled with the scope's colour; hollow when down, grey when only a neighbour.
    let (fill, font) = match (n.neighbour, n.status) {
        (true, _) => ("#d5dae0", "#3d4650"),
        (false, Some(Status::Down)) => ("#ffffff", "#3d4650"),
        (false, _) => (color, "#ffffff"),
    };
    let mut style = vec!["filled"];
    if n.kind != NodeKind::Data {
        style.push("rounded");
    }
    if n.kind == NodeKind::Data || n.status == Some(Status::Down) {
        style.push("dashed");
    }
    let mut attrs = vec![
        format!("label={}", quote(&label)),
        format!("fillcolor=\"{fill}\""),
        format!("fontcolor=\"{font}\""),
        format!("style=\"{}\"", style.join(",")),
        format!("tooltip={}", quote(&format!("{} ({})", n.address, n.scope))),
    ];
    if n.stateful {
        attrs.push("shape=cylinder".to_string());
    } else if n.kind == NodeKind::Module {
        attrs.push("shape=box3d".to_string());
    }
    match (n.status, n.stateful) {
        (Some(Status::Missing), _) => attrs.push(format!("color=\"{MISSING}\", penwidth=3")),
        (_, true) => attrs.push("color=\"#1b1f24\", penwidth=2.5".to_string()),
        _ => attrs.push(format!("color=\"{color}\"")),
    }
    attrs.join(", ")
}

/// The legend: one box per scope with its colour, counts and cost.
fn legend(d: &Diagram, out: &mut String) {
    let _ = writeln!(out, "  subgraph cluster_legend {{");
    let _ = writeln!(
        out,
        "    label=\"scopes\"; style=\"rounded\"; color=\"#c4cad1\"; fontsize=11;"
    );
    for s in &d.scopes {
        let mut label = format!("{}: {} nodes", s.name, s.nodes);
        if s.resources != s.nodes {
            label.push_str(&format!(", {} resources", s.resources));
        }
        if let Some(m) = s.monthly_usd {
            label.push_str(&format!("\n${m:.2}/mo"));
        }
        let _ = writeln!(
            out,
            "    {} [label={}, fillcolor=\"{}\"];",
            quote(&format!("legend: {}", s.name)),
            quote(&label),
            s.color
        );
    }
    let _ = writeln!(out, "  }}");
}

pub fn status_word(s: Status) -> &'static str {
    match s {
        Status::Up => "up",
        Status::Down => "down",
        Status::Missing => "missing",
    }
}

/// A DOT double-quoted string: `"` and `\` escaped, newlines as `\n`.
fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            _ => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    //! DOT text: quoting, clusters, colours and the edge direction.

    use super::*;

    #[test]
    fn quote_escapes_what_dot_reads_specially() {
        assert_eq!(quote(r#"a["k"]\b"#), r#""a[\"k\"]\\b""#);
        assert_eq!(quote("x\ny"), r#""x\ny""#);
    }
}
