//! The diagram as a Mermaid flowchart (`tfscope graph --format mermaid`, and the graph of a
//! phase in `plan --format markdown`), drawn the way GitHub renders Mermaid in markdown: modules
//! as subgraphs, nodes in their scope's colour, stateful ones as cylinders, cross-scope edges purple.
//! Arrows run from a dependency to what needs it, as in the DOT picture.
//!
//! GitHub renders Mermaid with its default limits: at most [`MAX_TEXT`] characters and
//! [`MAX_EDGES`] edges; [`Mermaid::too_large`] says when a diagram is past either.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::{Diagram, NodeKind, Status};
use crate::graph::EdgeKind;

/// Mermaid's default `maxTextSize`: a longer diagram is not drawn.
pub const MAX_TEXT: usize = 50_000;
/// Mermaid's default `maxEdges`: a diagram with more edges is not drawn.
pub const MAX_EDGES: usize = 500;

/// A rendered flowchart and what GitHub's limits read from it.
#[derive(Debug, Clone)]
pub struct Mermaid {
    pub text: String,
    pub edges: usize,
}

impl Mermaid {
    /// Why GitHub would not draw it, if it would not.
    pub fn too_large(&self) -> Option<String> {
        let chars = self.text.chars().count();
        if chars > MAX_TEXT {
            return Some(format!(
                "the Mermaid text has {chars} characters, more than the {MAX_TEXT} Mermaid draws"
            ));
        }
        if self.edges > MAX_EDGES {
            return Some(format!(
                "the Mermaid graph has {} edges, more than the {MAX_EDGES} Mermaid draws",
                self.edges
            ));
        }
        None
    }
}

pub fn render(d: &Diagram) -> Mermaid {
    let id: BTreeMap<&str, String> = d
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id.as_str(), format!("n{i}")))
        .collect();
    let mut out = String::new();
    out.push_str("flowchart TB\n");
    let _ = writeln!(out, "  %% {}", super::title(d).replace('\n', " "));
    for s in &d.scopes {
        let _ = writeln!(
            out,
            "  classDef scope{} fill:{c},stroke:{c},color:#ffffff",
            s.rank,
            c = s.color
        );
    }
    out.push_str("  classDef stateful stroke:#1b1f24,stroke-width:3px\n");
    out.push_str("  classDef down fill:#ffffff,color:#3d4650,stroke-dasharray:4 3\n");
    let _ = writeln!(
        out,
        "  classDef missing stroke:{},stroke-width:3px",
        super::dot::MISSING
    );
    out.push_str("  classDef neighbour fill:#d5dae0,stroke:#94a0ae,color:#3d4650\n");

    let mut by_group: BTreeMap<Option<&str>, Vec<usize>> = BTreeMap::new();
    for (i, n) in d.nodes.iter().enumerate() {
        by_group.entry(n.group.as_deref()).or_default().push(i);
    }
    let mut children: BTreeMap<Option<&str>, Vec<usize>> = BTreeMap::new();
    for (i, g) in d.groups.iter().enumerate() {
        children.entry(g.parent.as_deref()).or_default().push(i);
    }
    write_group(d, None, &by_group, &children, &id, 1, &mut out);

    write_edges(d, &id, &mut out);
    write_classes(d, &id, &mut out);
    Mermaid {
        text: out,
        edges: d.edges.len(),
    }
}

/// The edges, from a dependency to what needs it; cross-scope ones purple.
fn write_edges(d: &Diagram, id: &BTreeMap<&str, String>, out: &mut String) {
    let mut cross = Vec::new();
    for (i, e) in d.edges.iter().enumerate() {
        let arrow = match e.kind {
            EdgeKind::Value => "-->",
            EdgeKind::Provider => "-.->",
        };
        let label = match e.count {
            1 => String::new(),
            c => format!("|{c}|"),
        };
        let _ = writeln!(
            out,
            "  {} {arrow}{label} {}",
            id[e.to.as_str()],
            id[e.from.as_str()]
        );
        if e.cross_scope {
            cross.push(i.to_string());
        }
    }
    if !cross.is_empty() {
        let _ = writeln!(
            out,
            "  linkStyle {} stroke:{},stroke-width:2px",
            cross.join(","),
            super::dot::CROSS_SCOPE
        );
    }
}

/// Which classes each node takes. Mermaid styles a node class statement by class statement, the
/// later winning, so the scope's fill comes first and the status and neighbour classes after it.
fn write_classes(d: &Diagram, id: &BTreeMap<&str, String>, out: &mut String) {
    let mut scopes: BTreeMap<usize, Vec<&str>> = BTreeMap::new();
    let mut marks: [(&str, Vec<&str>); 4] = [
        ("stateful", Vec::new()),
        ("down", Vec::new()),
        ("missing", Vec::new()),
        ("neighbour", Vec::new()),
    ];
    for n in &d.nodes {
        let nid = id[n.id.as_str()].as_str();
        scopes.entry(n.rank).or_default().push(nid);
        let takes = [
            n.stateful,
            n.status == Some(Status::Down),
            n.status == Some(Status::Missing),
            n.neighbour,
        ];
        for (mark, on) in marks.iter_mut().zip(takes) {
            if on {
                mark.1.push(nid);
            }
        }
    }
    let scopes = scopes
        .into_iter()
        .map(|(r, ids)| (format!("scope{r}"), ids));
    let marks = marks.into_iter().map(|(m, ids)| (m.to_string(), ids));
    for (class, ids) in scopes.chain(marks) {
        for chunk in ids.chunks(40) {
            let _ = writeln!(out, "  class {} {class}", chunk.join(","));
        }
    }
}

fn write_group(
    d: &Diagram,
    group: Option<&str>,
    by_group: &BTreeMap<Option<&str>, Vec<usize>>,
    children: &BTreeMap<Option<&str>, Vec<usize>>,
    id: &BTreeMap<&str, String>,
    depth: usize,
    out: &mut String,
) {
    let pad = "  ".repeat(depth);
    for &i in by_group.get(&group).map(Vec::as_slice).unwrap_or_default() {
        let n = &d.nodes[i];
        let mut label = escape(&n.label);
        if n.kind == NodeKind::Module {
            label.push_str(&format!(" ×{}", n.resources));
        }
        if let (true, Some(m)) = (d.cost, n.monthly_usd) {
            label.push_str(&format!("<br>${m:.2}/mo"));
        }
        if let Some(s) = n.status {
            label.push_str(&format!("<br>{}", super::dot::status_word(s)));
        }
        let (open, close) = match (n.stateful, n.kind) {
            (true, _) => ("[(", ")]"),
            (false, NodeKind::Data) => ("[/", "/]"),
            (false, NodeKind::Module) => ("[[", "]]"),
            (false, _) => ("(", ")"),
        };
        let _ = writeln!(out, "{pad}{}{open}\"{label}\"{close}", id[n.id.as_str()]);
    }
    for &g in children.get(&group).map(Vec::as_slice).unwrap_or_default() {
        let group = &d.groups[g];
        let _ = writeln!(out, "{pad}subgraph g{g}[\"{}\"]", escape(&group.label));
        write_group(d, Some(&group.id), by_group, children, id, depth + 1, out);
        let _ = writeln!(out, "{pad}end");
    }
}

/// Text inside a quoted Mermaid label: quotes and angle brackets as Mermaid's entity codes.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '#' => out.push_str("#35;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    //! Label escaping and GitHub's size limits.

    use super::*;

    #[test]
    fn labels_escape_what_ends_or_opens_a_mermaid_string() {
        assert_eq!(escape(r#"a["k"]<b>#"#), "a[#quot;k#quot;]#lt;b#gt;#35;");
    }

    #[test]
    fn too_large_names_the_limit_that_is_passed() {
        let small = Mermaid {
            text: "flowchart LR\n".into(),
            edges: 3,
        };
        assert_eq!(small.too_large(), None);
        let long = Mermaid {
            text: "x".repeat(MAX_TEXT + 1),
            edges: 3,
        };
        assert!(long.too_large().unwrap().contains("characters"));
        let dense = Mermaid {
            text: "flowchart LR\n".into(),
            edges: MAX_EDGES + 1,
        };
        assert!(dense.too_large().unwrap().contains("edges"));
    }
}
