//! The interactive HTML graph page in a real browser: headless Chromium (Debian's, installed by
//! `make tools`) renders it to a PNG, whose pixels show each scope's colour and the search
//! highlight, and dumps its DOM after the script ran, which shows search hits and the scope
//! filter. The pages come from the library (`diagram::html::render_html`) with a small document
//! built here, and from `tfscope graph --format html` on the reference infrastructure.

use serde_json::{json, Value};

use crate::browser::{hex, Page};

/// The search highlight's colour (graph.css, `.node.hit .halo`).
const HIT: [u8; 3] = [0xff, 0x2b, 0xd6];

/// Where the drawing starts, right of the legend column (graph.css, `grid-template-columns`).
pub const DRAWING_LEFT: u32 = 251;

/// The colour a graph document gives `scope`.
pub fn scope_colour(graph: &Value, scope: &str) -> [u8; 3] {
    let scopes = graph["scopes"].as_array().expect("scopes");
    let s = scopes
        .iter()
        .find(|s| s["name"] == scope)
        .expect("the scope");
    hex(s["color"].as_str().expect("a colour"))
}

/// An attribute value as Chromium's serializer writes it.
fn attr_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('\u{a0}', "&nbsp;")
}

/// The classes of the drawn node with id `id` in a dumped DOM, or None when it is not drawn.
pub fn node_classes(dom: &str, id: &str) -> Option<Vec<String>> {
    let needle = format!("data-id=\"{}\"", attr_escape(id));
    let at = dom.find(&needle)?;
    let start = dom[..at].rfind('<')?;
    let end = at + dom[at..].find('>')?;
    let tag = &dom[start..end];
    let class = tag.split("class=\"").nth(1)?.split('"').next()?;
    Some(class.split_whitespace().map(str::to_string).collect())
}

/// A `<body>` attribute of a dumped DOM.
pub fn body_attr<'a>(dom: &'a str, name: &str) -> Option<&'a str> {
    let body = &dom[dom.find("<body")?..];
    let tag = &body[..body.find('>')?];
    let needle = format!("{name}=\"");
    let value = &tag[tag.find(&needle)? + needle.len()..];
    Some(&value[..value.find('"')?])
}

/// A resource node of the contract's shape.
fn node(id: &str, scope: &str, stateful: bool, status: &str, usd: Option<f64>) -> Value {
    let (group, label) = match id.strip_prefix("module.") {
        Some(rest) => {
            let (name, label) = rest.split_once('.').unwrap();
            (Some(format!("module.{name}")), label.to_string())
        }
        None => (None, id.to_string()),
    };
    let ty = label.trim_start_matches("data.").split('.').next().unwrap();
    json!({
        "id": id, "address": id, "label": label, "type": ty,
        "kind": if label.starts_with("data.") { "data" } else { "managed" },
        "group": group, "scope": scope, "stateful": stateful, "resources": 1,
        "status": status, "monthly_usd": usd, "neighbour": false,
        "explain": format!("{id}\n  type:      {ty}\n  scope:     {scope}\n  stateful:  {}", if stateful { "yes" } else { "no" }),
    })
}

/// A small web service: network and database in base, the ECS service in runtime; the
/// service reaches into base for its subnets and database, so those edges cross scopes. With
/// state (some runtime nodes down, one missing from the configuration) and cost. One for_each
/// key tries to end the page's script element.
pub fn web_service() -> Value {
    const FLAG: &str = "aws_ssm_parameter.flag[\"</script><!--x\"]";
    let base = |id, stateful, usd| node(id, "base", stateful, "up", usd);
    let runtime = |id, status, usd| node(id, "runtime", false, status, usd);
    let mut nodes = vec![
        runtime(FLAG, "up", Some(0.05)),
        runtime("module.app.aws_cloudwatch_log_group.app", "up", Some(1.5)),
        runtime("module.app.aws_cloudwatch_log_group.old", "missing", None),
        runtime("module.app.aws_ecs_service.app", "down", Some(36.04)),
        runtime("module.app.aws_ecs_task_definition.app", "down", None),
        runtime("module.app.aws_iam_role.task", "up", None),
        base("module.db.aws_db_instance.this", true, Some(98.55)),
        base("module.db.aws_db_subnet_group.this", false, None),
        base("module.network.aws_nat_gateway.this", false, Some(32.85)),
        base("module.network.aws_subnet.private[\"a\"]", false, None),
        base("module.network.aws_subnet.private[\"b\"]", false, None),
        base("module.network.aws_vpc.this", false, None),
        base("module.network.data.aws_availability_zones.up", false, None),
    ];
    nodes.sort_by(|a, b| a["id"].as_str().cmp(&b["id"].as_str()));
    let scope_of = |id: &str| {
        nodes.iter().find(|n| n["id"] == id).unwrap()["scope"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let pairs = [
        (FLAG, "module.app.aws_iam_role.task"),
        (
            "module.app.aws_ecs_service.app",
            "module.app.aws_ecs_task_definition.app",
        ),
        (
            "module.app.aws_ecs_service.app",
            "module.network.aws_subnet.private[\"a\"]",
        ),
        (
            "module.app.aws_ecs_service.app",
            "module.network.aws_subnet.private[\"b\"]",
        ),
        (
            "module.app.aws_ecs_task_definition.app",
            "module.app.aws_cloudwatch_log_group.app",
        ),
        (
            "module.app.aws_ecs_task_definition.app",
            "module.app.aws_iam_role.task",
        ),
        (
            "module.app.aws_ecs_task_definition.app",
            "module.db.aws_db_instance.this",
        ),
        (
            "module.db.aws_db_instance.this",
            "module.db.aws_db_subnet_group.this",
        ),
        (
            "module.db.aws_db_subnet_group.this",
            "module.network.aws_subnet.private[\"a\"]",
        ),
        (
            "module.db.aws_db_subnet_group.this",
            "module.network.aws_subnet.private[\"b\"]",
        ),
        (
            "module.network.aws_nat_gateway.this",
            "module.network.aws_subnet.private[\"a\"]",
        ),
        (
            "module.network.aws_subnet.private[\"a\"]",
            "module.network.aws_vpc.this",
        ),
        (
            "module.network.aws_subnet.private[\"a\"]",
            "module.network.data.aws_availability_zones.up",
        ),
        (
            "module.network.aws_subnet.private[\"b\"]",
            "module.network.aws_vpc.this",
        ),
        (
            "module.network.aws_subnet.private[\"b\"]",
            "module.network.data.aws_availability_zones.up",
        ),
    ];
    let edges: Vec<Value> = pairs
        .iter()
        .map(|(from, to)| {
            json!({"from": from, "to": to, "kind": "value",
                   "cross_scope": scope_of(from) != scope_of(to), "count": 1})
        })
        .collect();
    let count = |scope: &str| nodes.iter().filter(|n| n["scope"] == scope).count();
    json!({
        "format": "tfscope-graph/1",
        "root": "modules",
        "env": "dev",
        "scope": null,
        "collapse": "none",
        "state": true,
        "cost": true,
        "scopes": [
            {"name": "base", "rank": 0, "color": "#2f6fde", "nodes": count("base"),
             "resources": count("base"), "monthly_usd": 131.4},
            {"name": "runtime", "rank": 1, "color": "#e8890c", "nodes": count("runtime"),
             "resources": count("runtime"), "monthly_usd": 37.59}
        ],
        "groups": [
            {"id": "module.app", "label": "module.app", "parent": null},
            {"id": "module.db", "label": "module.db", "parent": null},
            {"id": "module.network", "label": "module.network", "parent": null}
        ],
        "nodes": nodes,
        "edges": edges,
    })
}

fn page() -> (Value, Page) {
    let graph = web_service();
    let html = tfscope::diagram::html::render_html(&graph, "tfscope graph: modules (dev)");
    (graph, Page::new(&html))
}

#[test]
fn both_scopes_are_drawn_in_their_colours() {
    let (graph, page) = page();
    let shot = page.screenshot("");
    assert_eq!((shot.width, shot.height), (1400, 900));
    for scope in graph["scopes"].as_array().unwrap() {
        let name = scope["name"].as_str().unwrap();
        let pixels = shot.count_right_of(DRAWING_LEFT, scope_colour(&graph, name));
        // Solid nodes (about 150 x 28 each) and the band's stripe.
        assert!(pixels > 5_000, "{name}: {pixels} pixels");
    }
    assert_eq!(
        shot.count(HIT),
        0,
        "nothing is highlighted without a search"
    );
}

#[test]
fn a_search_in_the_fragment_highlights_the_node() {
    let (_, page) = page();
    let dom = page.dump_dom("search=aws_nat");
    assert_eq!(body_attr(&dom, "data-hits"), Some("1"), "{dom}");
    let nat = node_classes(&dom, "module.network.aws_nat_gateway.this").expect("NAT drawn");
    assert!(nat.contains(&"hit".to_string()), "{nat:?}");
    let vpc = node_classes(&dom, "module.network.aws_vpc.this").expect("VPC drawn");
    assert!(!vpc.contains(&"hit".to_string()), "{vpc:?}");
    // Case-insensitive substring, over the whole address.
    let dom = page.dump_dom("search=PRIVATE%5B");
    assert_eq!(body_attr(&dom, "data-hits"), Some("2"));
    // And on screen: the highlight ring around the NAT gateway.
    let shot = page.screenshot("search=aws_nat");
    assert!(
        shot.count(HIT) > 300,
        "highlight pixels: {}",
        shot.count(HIT)
    );
}

#[test]
fn a_scope_in_the_fragment_hides_the_other_scopes() {
    let (graph, page) = page();
    let dom = page.dump_dom("scope=runtime");
    for n in graph["nodes"].as_array().unwrap() {
        let id = n["id"].as_str().unwrap();
        let classes = node_classes(&dom, id).unwrap_or_else(|| panic!("{id} not drawn"));
        let hidden = classes.contains(&"hidden".to_string());
        assert_eq!(hidden, n["scope"] == "base", "{id}: {classes:?}");
    }
    assert_eq!(body_attr(&dom, "data-visible"), Some("6"));
    // A search only finds what is shown.
    let dom = page.dump_dom("scope=runtime&search=aws_");
    assert_eq!(body_attr(&dom, "data-hits"), Some("6"));
    let shot = page.screenshot("scope=runtime");
    let base = shot.count_right_of(DRAWING_LEFT, scope_colour(&graph, "base"));
    assert_eq!(base, 0, "base is hidden");
    assert!(shot.count_right_of(DRAWING_LEFT, scope_colour(&graph, "runtime")) > 5_000);
}

#[test]
fn a_scope_name_with_a_comma_survives_the_fragment() {
    let mut graph = web_service();
    let rename = |v: &mut Value| {
        if v["scope"] == "runtime" {
            v["scope"] = json!("run,time");
        }
    };
    graph["nodes"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .for_each(rename);
    graph["scopes"][1]["name"] = json!("run,time");
    let html = tfscope::diagram::html::render_html(&graph, "scopes with commas");
    let page = Page::new(&html);
    let visible = |fragment: &str| {
        let dom = page.dump_dom(fragment);
        body_attr(&dom, "data-visible").map(str::to_string)
    };
    assert_eq!(visible("scope=run%2Ctime").as_deref(), Some("6"));
    assert_eq!(
        visible("scope=base&scope=run%2Ctime").as_deref(),
        Some("13")
    );
    assert_eq!(visible("scope=").as_deref(), Some("0"));
}

#[test]
fn a_hostile_for_each_key_stays_data() {
    let (_, page) = page();
    let dom = page.dump_dom("select=aws_ssm_parameter.flag%5B%22%3C%2Fscript%3E%3C!--x%22%5D");
    // The page's script ran to the end and drew the node; the panel shows the address as text.
    let classes = node_classes(&dom, "aws_ssm_parameter.flag[\"</script><!--x\"]").expect("drawn");
    assert!(classes.contains(&"selected".to_string()), "{classes:?}");
    assert!(
        dom.contains("<h2>aws_ssm_parameter.flag[\"&lt;/script&gt;&lt;!--x\"]</h2>"),
        "{dom}"
    );
}

/// What `tfscope graph --format html` writes for the reference infrastructure, in Chromium.
#[test]
fn the_command_draws_the_reference_infrastructure_and_finds_an_address() {
    let out = crate::tfscope(&["graph", "--env", "dev", "--cost", "--format", "html"]);
    assert_eq!(crate::code(&out), 0, "{}", crate::result(&out));
    let html = crate::stdout(&out);
    for scheme in ["http://", "https://"] {
        assert!(!html.contains(scheme), "the page loads nothing: {scheme}");
    }
    let doc = crate::tfscope(&["graph", "--env", "dev", "--cost", "--format", "json"]);
    let graph: Value = serde_json::from_str(&crate::stdout(&doc)).unwrap();
    let page = Page::new(&html);

    let shot = page.screenshot("");
    for scope in ["base", "runtime"] {
        let pixels = shot.count_right_of(DRAWING_LEFT, scope_colour(&graph, scope));
        assert!(pixels > 2_000, "{scope}: {pixels} pixels");
    }

    let nat = "module.network.aws_nat_gateway.this";
    let dom = page.dump_dom("search=aws_nat_gateway");
    assert_eq!(body_attr(&dom, "data-hits"), Some("1"));
    assert!(node_classes(&dom, nat)
        .unwrap()
        .contains(&"hit".to_string()));
    assert!(page.screenshot("search=aws_nat_gateway").count(HIT) > 100);

    // A click (here: the selection in the fragment) shows what `explain` says.
    let explain = crate::stdout(&crate::tfscope(&["explain", nat, "--env", "dev"]));
    let dom = page.dump_dom(&format!("select={nat}"));
    let why = explain
        .lines()
        .find(|l| l.trim_start().starts_with("why:"))
        .unwrap()
        .trim();
    let panel = &dom[dom.find("<aside id=\"panel\"").expect("the panel")..];
    let panel = &panel[..panel.find("</aside>").unwrap()];
    assert!(panel.contains("<pre>"), "{panel}");
    assert!(
        panel.contains(&attr_escape(why)),
        "the panel shows {why:?}: {panel}"
    );
}
