//! The built-in Tera templates (`templates/`), compiled into the binary and parsed once: the
//! plan and verification reports (markdown), the generated `resource-scopes.tf`, the HTML
//! cost report and the interactive graph page, and the scheduled CI definitions. Owns loading and rendering them, not what goes into their contexts. Tera escapes
//! HTML only for names ending in `.html`, so Terraform and markdown output are left as written.

use std::sync::OnceLock;

/// (name, source) of every built-in template.
const TEMPLATES: &[(&str, &str)] = &[
    ("plan.md", include_str!("../../templates/plan.md.tera")),
    ("verify.md", include_str!("../../templates/verify.md.tera")),
    (
        "resource-scopes.tf",
        include_str!("../../templates/resource-scopes.tf.tera"),
    ),
    ("cost.html", include_str!("../../templates/cost.html.tera")),
    (
        "graph.html",
        include_str!("../../templates/graph.html.tera"),
    ),
    (
        "schedule-github.yml",
        include_str!("../../templates/schedule-github.yml.tera"),
    ),
    (
        "schedule-gitlab.yml",
        include_str!("../../templates/schedule-gitlab.yml.tera"),
    ),
];

fn tera() -> &'static tera::Tera {
    static TERA: OnceLock<tera::Tera> = OnceLock::new();
    TERA.get_or_init(|| {
        let mut tera = tera::Tera::default();
        tera.add_raw_templates(TEMPLATES.iter().copied())
            .expect("built-in templates parse (see the templates tests)");
        tera
    })
}

/// Renders the built-in template `name` with `context`. The built-in templates and the values
/// passed to them are tested, so a failure here is a bug, not bad input.
pub fn render(name: &str, context: &tera::Context) -> String {
    tera()
        .render(name, context)
        .unwrap_or_else(|e| panic!("built-in template {name} renders: {e:?}"))
}

#[cfg(test)]
mod tests {
    //! The templates parse; escaping follows the name.

    use super::*;

    #[test]
    fn every_template_parses_and_only_html_is_escaped() {
        let names: Vec<&str> = tera().get_template_names().collect();
        for (name, _) in TEMPLATES {
            assert!(names.contains(name), "{name} missing from {names:?}");
        }
        let mut t = tera::Tera::default();
        t.add_raw_templates(vec![("x.html", "{{ v }}"), ("x.tf", "{{ v }}")])
            .unwrap();
        let mut c = tera::Context::new();
        c.insert("v", "\"<a>\"");
        assert_eq!(t.render("x.html", &c).unwrap(), "&quot;&lt;a&gt;&quot;");
        assert_eq!(t.render("x.tf", &c).unwrap(), "\"<a>\"");
    }
}
