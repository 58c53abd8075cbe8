//! `tfscope graph`: DOT that Graphviz renders, Mermaid that Mermaid's own CLI parses within
//! GitHub's limits, JSON that agrees with `classify`, `cost` and the state, the focus on one
//! scope, collapsing past the threshold (and module calls that look alike sharing a node), and
//! `plan --format markdown --graph`. Graphviz and Mermaid come from `make tools`; a test fails
//! loudly when either is missing.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::{code, fixture, result, stderr, stdout, tfscope, tfscope_in};

const MAX_MERMAID_TEXT: usize = 50_000;
const MAX_MERMAID_EDGES: usize = 500;

fn json(args: &[&str]) -> Value {
    let out = tfscope(args);
    assert_eq!(code(&out), 0, "{}", result(&out));
    serde_json::from_str(&stdout(&out)).expect("graph --format json is JSON")
}

fn node<'a>(g: &'a Value, id: &str) -> &'a Value {
    g["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["id"] == id)
        .unwrap_or_else(|| panic!("no node {id}"))
}

/// The SVG Graphviz draws from `dot`; fails with Graphviz's error when it cannot.
fn dot_svg(dot: &str) -> String {
    assert!(
        Command::new("dot").arg("-V").output().is_ok(),
        "Graphviz is missing: run `make tools` (or scripts/install-graphviz.sh)"
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("graph.dot");
    std::fs::write(&path, dot).unwrap();
    let svg = Command::new("dot")
        .arg("-Tsvg")
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        svg.status.success(),
        "dot -Tsvg: {}",
        String::from_utf8_lossy(&svg.stderr)
    );
    String::from_utf8_lossy(&svg.stdout).into_owned()
}

/// Mermaid's CLI with Debian's Chromium; fails with Mermaid's parse error when `input` (a .mmd
/// file, or a .md file whose every ```mermaid block is rendered) is not valid Mermaid.
pub fn mermaid_check(input: &Path) -> Result<(), String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mmdc = root.join(".cache/mermaid/node_modules/.bin/mmdc");
    assert!(
        mmdc.exists(),
        "Mermaid's CLI is missing: run `make tools` (or scripts/install-mermaid.sh)"
    );
    let dir = input.parent().unwrap();
    let puppeteer = dir.join("puppeteer.json");
    std::fs::write(
        &puppeteer,
        r#"{"executablePath":"/usr/bin/chromium","args":["--no-sandbox","--disable-gpu"]}"#,
    )
    .unwrap();
    let output: PathBuf = match input.extension().and_then(|e| e.to_str()) {
        Some("md") => dir.join("rendered.md"),
        _ => dir.join("rendered.svg"),
    };
    let out = Command::new(mmdc)
        .args(["-q", "-p"])
        .arg(&puppeteer)
        .arg("-i")
        .arg(input)
        .arg("-o")
        .arg(&output)
        .output()
        .expect("mmdc runs");
    match out.status.success() {
        true => Ok(()),
        false => Err(String::from_utf8_lossy(&out.stderr).into_owned()),
    }
}

#[test]
fn dot_of_the_reference_infrastructure_renders_with_graphviz() {
    let out = tfscope(&["graph", "--env", "dev", "--cost"]);
    assert_eq!(code(&out), 0, "{}", result(&out));
    let svg = dot_svg(&stdout(&out));
    let g = json(&["graph", "--env", "dev", "--format", "json"]);
    for s in g["scopes"].as_array().unwrap() {
        let color = s["color"].as_str().unwrap();
        assert!(
            svg.contains(&format!("fill=\"{color}\"")),
            "{} is drawn in {color}",
            s["name"]
        );
    }
    assert!(svg.contains(">aws_ecs_service.this<"), "labels are drawn");
    assert!(svg.contains("/mo<"), "--cost puts $/month on the nodes");
    // The reverse check: Graphviz rejects what is not DOT, so the test can fail.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.dot");
    std::fs::write(&path, "digraph { \"a\" -> }").unwrap();
    let bad = Command::new("dot")
        .arg("-Tsvg")
        .arg(&path)
        .output()
        .unwrap();
    assert!(!bad.status.success());
}

#[test]
fn mermaid_parses_and_stays_within_what_github_draws() {
    let out = tfscope(&["graph", "--env", "dev", "--format", "mermaid"]);
    assert_eq!(code(&out), 0, "{}", result(&out));
    let text = stdout(&out);
    assert!(
        text.chars().count() < MAX_MERMAID_TEXT,
        "{} chars",
        text.len()
    );
    let edges = text
        .lines()
        .filter(|l| l.contains("-->") || l.contains("-.->"))
        .count();
    assert!(edges <= MAX_MERMAID_EDGES, "{edges} edges");
    assert!(
        !stderr(&out).contains("GitHub will not draw"),
        "{}",
        stderr(&out)
    );

    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("graph.mmd");
    std::fs::write(&good, &text).unwrap();
    mermaid_check(&good).expect("Mermaid parses the graph");

    // A plan for a pull request, with the graph of each phase.
    let out = tfscope(&[
        "plan",
        "--scope",
        "all",
        "--destroy",
        "--env",
        "dev",
        "--format",
        "markdown",
        "--graph",
    ]);
    assert_eq!(code(&out), 0, "{}", result(&out));
    let md = stdout(&out);
    assert_eq!(
        md.matches("```mermaid").count(),
        2,
        "one graph per phase:\n{md}"
    );
    let plan = dir.path().join("plan.md");
    std::fs::write(&plan, &md).unwrap();
    mermaid_check(&plan).expect("Mermaid parses every graph in the plan");

    // The checker itself rejects broken Mermaid.
    let broken = dir.path().join("broken.mmd");
    std::fs::write(&broken, text.replacen("(\"", "(\"\"", 1)).unwrap();
    assert!(
        mermaid_check(&broken).is_err(),
        "a stray quote must not parse"
    );
}

#[test]
fn json_colours_by_scope_and_marks_stateful_and_cross_scope_edges() {
    let g = json(&["graph", "--env", "dev", "--format", "json"]);
    assert_eq!(g["format"], "tfscope-graph/1");
    assert_eq!(g["collapse"], "none");
    let classify = json(&["classify", "--env", "dev", "--format", "json"]);
    let resources = classify["resources"].as_array().unwrap();
    assert_eq!(g["nodes"].as_array().unwrap().len(), resources.len());
    for r in resources {
        let n = node(&g, r["address"].as_str().unwrap());
        assert_eq!(n["scope"], r["scope"], "{}", r["address"]);
    }
    assert_eq!(
        node(&g, "module.data.aws_db_instance.this")["stateful"],
        true
    );
    assert_eq!(
        node(&g, "module.app.aws_ecs_cluster.this")["stateful"],
        false
    );
    let svc = node(&g, "module.app.module.service.aws_ecs_service.this");
    assert_eq!(svc["group"], "module.app.module.service");
    assert!(svc["explain"]
        .as_str()
        .unwrap()
        .contains("scope:     runtime"));
    let edges = g["edges"].as_array().unwrap();
    let listener = edges
        .iter()
        .find(|e| {
            e["from"] == "module.app.aws_lb_listener.http" && e["to"] == "module.edge.aws_lb.this"
        })
        .expect("the listener depends on the load balancer");
    assert_eq!(listener["cross_scope"], true);
    for e in edges {
        let (from, to) = (
            node(&g, e["from"].as_str().unwrap()),
            node(&g, e["to"].as_str().unwrap()),
        );
        assert_eq!(e["cross_scope"], from["scope"] != to["scope"], "{e}");
    }
    let again = tfscope(&["graph", "--env", "dev", "--format", "json"]);
    assert_eq!(
        serde_json::from_str::<Value>(&stdout(&again)).unwrap(),
        g,
        "deterministic"
    );
}

#[test]
fn a_scope_is_shown_with_its_direct_neighbours_only() {
    let g = json(&[
        "graph", "--env", "dev", "--scope", "runtime", "--format", "json",
    ]);
    assert_eq!(g["scope"], "runtime");
    let nodes = g["nodes"].as_array().unwrap();
    let is_neighbour = |n: &&Value| n["neighbour"] == true;
    assert!(nodes
        .iter()
        .filter(|n| !is_neighbour(n))
        .all(|n| n["scope"] == "runtime"));
    let neighbours: Vec<&Value> = nodes.iter().filter(is_neighbour).collect();
    assert!(neighbours
        .iter()
        .any(|n| n["id"] == "module.edge.aws_lb.this"));
    // Every neighbour is joined to a runtime node, and no edge joins two neighbours.
    let edges = g["edges"].as_array().unwrap();
    for n in &neighbours {
        assert!(
            edges
                .iter()
                .any(|e| e["from"] == n["id"] || e["to"] == n["id"]),
            "{} is a neighbour of nothing",
            n["id"]
        );
    }
    for e in edges {
        let both = [&e["from"], &e["to"]]
            .iter()
            .all(|id| node(&g, id.as_str().unwrap())["neighbour"] == true);
        assert!(!both, "{e}");
    }
    let full = json(&["graph", "--env", "dev", "--format", "json"]);
    assert!(nodes.len() < full["nodes"].as_array().unwrap().len());
    assert!(full["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n["id"] == "module.network.aws_vpc.this"));
    assert!(nodes
        .iter()
        .all(|n| n["id"] != "module.network.aws_flow_log.this"));
}

#[test]
fn state_shows_up_down_and_missing() {
    let state = "tests/fixtures/states/base-only.tfstate";
    let g = json(&[
        "graph",
        "--state",
        state,
        "--format",
        "json",
        &fixture("promotion"),
    ]);
    assert_eq!(g["state"], true);
    let statuses: Vec<(String, String, Value)> = g["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["kind"] == "managed")
        .map(|n| {
            (
                n["id"].as_str().unwrap().to_string(),
                n["scope"].as_str().unwrap().to_string(),
                n["status"].clone(),
            )
        })
        .collect();
    assert!(
        statuses
            .iter()
            .all(|(_, scope, s)| (scope == "base") == (s == "up")),
        "{statuses:?}"
    );
    assert!(statuses
        .iter()
        .any(|(_, scope, s)| scope == "runtime" && s == "down"));

    // Take one base resource out of the state: it is missing, since base is up.
    let mut doc: Value = serde_json::from_str(&std::fs::read_to_string(state).unwrap()).unwrap();
    let resources = doc["resources"].as_array_mut().unwrap();
    let i = resources
        .iter()
        .position(|r| r["mode"] == "managed" && r["type"] != "aws_instance")
        .unwrap();
    let gone = format!(
        "{}.{}",
        resources[i]["type"].as_str().unwrap(),
        resources[i]["name"].as_str().unwrap()
    );
    resources.remove(i);
    let dir = tempfile::tempdir().unwrap();
    let partial = dir.path().join("partial.tfstate");
    std::fs::write(&partial, doc.to_string()).unwrap();
    let g = json(&[
        "graph",
        "--state",
        partial.to_str().unwrap(),
        "--format",
        "json",
        &fixture("promotion"),
    ]);
    assert_eq!(node(&g, &gone)["status"], "missing", "{gone}");
    let dot = stdout(&tfscope(&[
        "graph",
        "--state",
        partial.to_str().unwrap(),
        &fixture("promotion"),
    ]));
    assert!(dot.contains("[missing]"), "{dot}");

    // Mermaid styles class by class, the later winning: status outlines beat the scope's fill.
    let mermaid = tfscope(&[
        "graph",
        "--state",
        partial.to_str().unwrap(),
        "--format",
        "mermaid",
        &fixture("promotion"),
    ]);
    let mmd = dir.path().join("graph.mmd");
    std::fs::write(&mmd, stdout(&mermaid)).unwrap();
    mermaid_check(&mmd).unwrap();
    let svg = std::fs::read_to_string(dir.path().join("rendered.svg")).unwrap();
    let style_of = |class: &str| {
        let at = svg
            .find(&format!(" {class}\" id="))
            .unwrap_or_else(|| panic!("a node of class {class}"));
        let style = &svg[at..][svg[at..].find("style=\"").unwrap()..];
        style[..style.find("\"/>").unwrap()].to_string()
    };
    assert!(
        style_of("missing").contains("stroke:#cf222e"),
        "{}",
        style_of("missing")
    );
    assert!(
        style_of("down").contains("fill:#ffffff"),
        "{}",
        style_of("down")
    );
}

#[test]
fn cost_per_scope_agrees_with_tfscope_cost() {
    let g = json(&["graph", "--env", "dev", "--cost", "--format", "json"]);
    let c = json(&["cost", "--env", "dev", "--format", "json"]);
    for (s, c) in g["scopes"]
        .as_array()
        .unwrap()
        .iter()
        .zip(c["scopes"].as_array().unwrap())
    {
        assert_eq!(s["name"], c["scope"]);
        let (a, b) = (
            s["monthly_usd"].as_f64().unwrap(),
            c["monthly"].as_f64().unwrap(),
        );
        assert!((a - b).abs() < 0.011, "{}: graph {a}, cost {b}", s["name"]);
    }
    assert!(
        node(&g, "module.network.aws_nat_gateway.this")["monthly_usd"]
            .as_f64()
            .unwrap()
            > 30.0
    );
}

/// A tree of `scripts/gen-bench-tree.py` in `dir`: `resources` resources of `shape`, ten a file.
fn bench_tree(dir: &Path, shape: &str, resources: usize) -> PathBuf {
    let tree = dir.join("tree");
    let gen = Command::new("python3")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/gen-bench-tree.py"))
        .arg(&tree)
        .args(["--shape", shape, "--resources", &resources.to_string()])
        .args(["--files", &(resources / 10).to_string()])
        .output()
        .unwrap();
    assert!(
        gen.status.success(),
        "{}",
        String::from_utf8_lossy(&gen.stderr)
    );
    tree
}

#[test]
fn large_configurations_collapse_by_module() {
    let dir = tempfile::tempdir().unwrap();
    let tree = bench_tree(dir.path(), "modules", 1200);
    let run = |args: &[&str]| {
        let out = tfscope_in(&tree, args);
        assert_eq!(code(&out), 0, "{}", result(&out));
        serde_json::from_str::<Value>(&stdout(&out)).unwrap()
    };
    let classify = run(&["classify", "--format", "json"]);
    let units = classify["resources"].as_array().unwrap().len();
    let g = run(&["graph", "--format", "json"]);
    assert_eq!(
        g["collapse"], "module",
        "{units} resources collapse by default"
    );
    let nodes = g["nodes"].as_array().unwrap();
    assert!(
        nodes.len() * 10 < units,
        "{} nodes for {units} resources",
        nodes.len()
    );
    let covered: u64 = nodes.iter().map(|n| n["resources"].as_u64().unwrap()).sum();
    assert_eq!(covered as usize, units, "every resource is in one node");
    let full = run(&["graph", "--format", "json", "--collapse", "none"]);
    assert_eq!(full["nodes"].as_array().unwrap().len(), units);
    let forced = tfscope_in(&tree, &["graph", "--collapse", "none"]);
    assert!(
        stderr(&forced).contains("--collapse module draws one node per module call"),
        "{}",
        result(&forced)
    );
    assert!(!stderr(&tfscope_in(&tree, &["graph"])).contains("warning"));
    let mermaid = tfscope_in(&tree, &["graph", "--format", "mermaid"]);
    assert!(stdout(&mermaid).len() < MAX_MERMAID_TEXT);
}

#[test]
fn hundreds_of_module_calls_that_look_alike_share_a_node() {
    // The benchmark's depends-on shape: 250 module calls, most of them depending only on the
    // first, every eighth also on one other call.
    let dir = tempfile::tempdir().unwrap();
    let tree = bench_tree(dir.path(), "depends-on", 5000);
    let run = |args: &[&str]| {
        let out = tfscope_in(&tree, args);
        assert_eq!(code(&out), 0, "{}", result(&out));
        stdout(&out)
    };
    let classify: Value = serde_json::from_str(&run(&["classify", "--format", "json"])).unwrap();
    let units = classify["resources"].as_array().unwrap().len();
    let g: Value = serde_json::from_str(&run(&["graph", "--format", "json"])).unwrap();
    let nodes = g["nodes"].as_array().unwrap();
    assert!(nodes.len() < 20, "{} nodes", nodes.len());
    let covered: u64 = nodes.iter().map(|n| n["resources"].as_u64().unwrap()).sum();
    assert_eq!(covered as usize, units, "every resource is in one node");
    let alike: Vec<&Value> = nodes
        .iter()
        .filter(|n| n["id"].as_str().unwrap().contains(" alike ["))
        .collect();
    assert!(!alike.is_empty(), "{g}");
    for n in &alike {
        let said = n["explain"].as_str().unwrap();
        assert!(said.contains("module calls that look alike"), "{said}");
        assert!(said.contains("\n  module.m0"), "{said}");
    }
    assert!(dot_svg(&run(&["graph"])).contains("<svg"));
}

#[test]
fn bad_flags_and_state_are_errors_that_say_what_to_do() {
    let out = tfscope(&["graph", "--scope", "nope"]);
    assert_ne!(code(&out), 0);
    assert!(stderr(&out).contains("nope"), "{}", result(&out));
    let out = tfscope(&["graph", "--state", "Cargo.toml"]);
    assert_ne!(code(&out), 0);
    assert!(stderr(&out).contains("Cargo.toml"), "{}", result(&out));
    let out = tfscope(&["plan", "--scope", "runtime", "--graph"]);
    assert_ne!(code(&out), 0);
    assert!(
        stderr(&out).contains("--format markdown"),
        "{}",
        result(&out)
    );
}
