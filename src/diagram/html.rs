//! The interactive HTML view of the resource graph (`tfscope graph --format html`): one
//! self-contained page that needs no network when viewed. It embeds the graph JSON document
//! (`tfscope-graph/1`, see `graph --format json`) unchanged in a `<script type="application/json">`
//! element, and the viewer's CSS and JavaScript (`templates/graph.css`, `templates/graph.js`)
//! inline; the viewer lays the graph out in the browser (layered, scopes as bands, modules as
//! boxes), draws it as SVG and pans, zooms, filters by scope, searches addresses and shows what
//! `explain` says about a clicked node.
//!
//! This module owns the page: embedding the document safely and the viewer's assets. It does not
//! build the document (the graph model does) and does not write files (the command does).

/// The viewer's stylesheet, inlined into every page.
const CSS: &str = include_str!("../../templates/graph.css");

/// The viewer's script, inlined into every page. Vanilla JavaScript, no libraries.
const JS: &str = include_str!("../../templates/graph.js");

/// The page for one graph document, titled `title`. The same document and title give the same
/// bytes. The document is embedded as JSON with every `<`, `>` and `&` written as a `\u` escape,
/// so no address (a `for_each` key can hold anything) can close the script element or open a
/// comment, and `JSON.parse` in the page reads back exactly `graph`.
pub fn render_html(graph: &serde_json::Value, title: &str) -> String {
    let mut ctx = tera::Context::new();
    ctx.insert("title", title);
    ctx.insert("css", CSS);
    ctx.insert("script", JS);
    ctx.insert("data", &embed_json(graph));
    crate::output::templates::render("graph.html", &ctx)
}

/// `value` as compact JSON that is safe inside a `<script>` element of an HTML page: `<`, `>`
/// and `&` only occur inside JSON strings, where `\u003c` and friends mean the same character.
/// U+2028 and U+2029 are escaped too, for JavaScript engines that predate JSON superset.
pub fn embed_json(value: &serde_json::Value) -> String {
    let text = serde_json::to_string(value).expect("a JSON value serializes");
    let mut out = String::with_capacity(text.len() + 64);
    for c in text.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    //! The page embeds the document safely, reads back exactly, loads nothing from the network
    //! and is deterministic.

    use super::*;

    /// A small document in the shape of the contract, with hostile text in an address.
    fn sample() -> serde_json::Value {
        let evil = "aws_s3_object.f[\"</script><script>alert(1)</script><!--&amp;\u{2028}\"]";
        serde_json::json!({
            "format": "tfscope-graph/1",
            "root": "modules",
            "env": null,
            "scope": null,
            "collapse": "none",
            "state": false,
            "cost": false,
            "scopes": [
                {"name": "base", "rank": 0, "color": "#1f6feb", "nodes": 2, "resources": 2, "monthly_usd": null},
                {"name": "runtime", "rank": 1, "color": "#e8a33d", "nodes": 0, "resources": 0, "monthly_usd": null}
            ],
            "groups": [],
            "nodes": [
                {"id": "aws_vpc.this", "address": "aws_vpc.this", "label": "aws_vpc.this",
                 "type": "aws_vpc", "kind": "managed", "group": null, "scope": "base",
                 "stateful": false, "resources": 1, "status": null, "monthly_usd": null,
                 "neighbour": false, "explain": "aws_vpc.this\n  scope: base"},
                {"id": evil, "address": evil, "label": evil, "type": "aws_s3_object",
                 "kind": "managed", "group": null, "scope": "base", "stateful": true,
                 "resources": 1, "status": null, "monthly_usd": null, "neighbour": false,
                 "explain": "a < b && c > d"}
            ],
            "edges": [
                {"from": evil, "to": "aws_vpc.this", "kind": "value", "cross_scope": false, "count": 1}
            ]
        })
    }

    /// The text of the element `<script type="application/json" id="graph-data">`.
    fn embedded(page: &str) -> &str {
        let open = "<script type=\"application/json\" id=\"graph-data\">";
        let start = page.find(open).expect("the data element") + open.len();
        let len = page[start..].find("</script>").expect("closed");
        &page[start..start + len]
    }

    #[test]
    fn hostile_addresses_cannot_close_the_script_or_open_a_comment() {
        let page = render_html(&sample(), "t");
        let data = embedded(&page);
        for bad in ["</", "<!--", "<script", "-->", "&amp;"] {
            assert!(!data.contains(bad), "{bad} in {data}");
        }
        // Exactly as many script elements close as open: the hostile key added none.
        assert_eq!(
            page.matches("<script").count(),
            page.matches("</script>").count()
        );
        assert_eq!(page.matches("<script").count(), 2, "data and viewer");
    }

    #[test]
    fn the_embedded_document_reads_back_exactly() {
        let graph = sample();
        let page = render_html(&graph, "t");
        let back: serde_json::Value = serde_json::from_str(embedded(&page)).unwrap();
        assert_eq!(back, graph);
    }

    #[test]
    fn the_title_is_escaped() {
        let page = render_html(&sample(), "<b>dev & prod</b>");
        assert!(
            page.contains("&lt;b&gt;dev &amp; prod&lt;&#x2F;b&gt;"),
            "{page}"
        );
        assert!(!page.contains("<b>dev"));
    }

    #[test]
    fn the_page_loads_nothing_from_the_network() {
        let page = render_html(&sample(), "t").to_lowercase();
        for needle in [
            "http://", "https://", "//cdn", "@import", "<link", "src=", "href=",
        ] {
            assert!(!page.contains(needle), "{needle} in the page");
        }
        // Only references inside the page, such as an arrowhead marker: `url(#id)`.
        for (at, _) in page.match_indices("url(") {
            assert!(page[at..].starts_with("url(#"), "{}", &page[at..at + 20]);
        }
        // The inlined assets cannot end their elements early either.
        assert!(!JS.contains("</script"), "graph.js closes its script");
        assert!(!CSS.contains("</style"), "graph.css closes its style");
    }

    #[test]
    fn the_same_document_gives_the_same_bytes() {
        assert_eq!(render_html(&sample(), "t"), render_html(&sample(), "t"));
    }

    #[test]
    fn the_viewer_stays_small() {
        // A readable, commented viewer; the page must stay quick to open and to mail around.
        assert!(
            JS.len() + CSS.len() < 40_000,
            "{} bytes",
            JS.len() + CSS.len()
        );
    }
}
