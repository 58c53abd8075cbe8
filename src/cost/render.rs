//! Renders a cost estimate: a terminal table (what each scope costs, then each schedule with its
//! savings), markdown for a pull-request comment, and JSON for CI. Pure functions.

use std::fmt::Write as _;

use super::estimate::Estimate;

fn money(x: f64) -> String {
    format!("${x:.2}")
}

pub fn table(e: &Estimate) -> String {
    let mut out = String::new();
    let env = e
        .env
        .as_deref()
        .map(|e| format!(" (env {e})"))
        .unwrap_or_default();
    let _ = writeln!(out, "Monthly cost per scope, always on{env}:");
    let width = e
        .scopes
        .iter()
        .map(|s| s.scope.len())
        .max()
        .unwrap_or(5)
        .max(5);
    for s in &e.scopes {
        let _ = writeln!(out, "  {:width$}  {:>10}", s.scope, money(s.monthly));
    }
    let _ = writeln!(out, "  {:width$}  {:>10}", "total", money(e.monthly));
    if !e.schedules.is_empty() {
        let _ = writeln!(
            out,
            "\nSchedules (later scopes torn down; earlier ones stay on):"
        );
        let w = e
            .schedules
            .iter()
            .map(|s| s.name.len())
            .max()
            .unwrap_or(8)
            .max(8);
        let _ = writeln!(
            out,
            "  {:w$}  {:>9}  {:>10}  {:>10}  {:>7}",
            "schedule", "up h/mo", "monthly", "savings", "%"
        );
        for s in &e.schedules {
            let _ = writeln!(
                out,
                "  {:w$}  {:>9.1}  {:>10}  {:>10}  {:>6.1}%",
                s.name,
                s.up_hours_per_month,
                money(s.monthly),
                money(s.savings),
                s.savings_pct
            );
        }
    }
    if !e.assumptions.is_empty() {
        let _ = writeln!(out, "\nAssumptions:");
        for a in &e.assumptions {
            let _ = writeln!(out, "  - {a}");
        }
    }
    if !e.unpriced.is_empty() {
        let _ = writeln!(out, "\nNot priced ({}):", e.unpriced.len());
        for u in &e.unpriced {
            let _ = writeln!(out, "  {}: {}", u.address, u.reason);
        }
    }
    out
}

pub fn markdown(e: &Estimate) -> String {
    let mut out = String::new();
    let env = e
        .env
        .as_deref()
        .map(|e| format!(" ({e})"))
        .unwrap_or_default();
    let _ = writeln!(out, "## tfscope cost{env}\n");
    let _ = writeln!(out, "| scope | monthly (always on) |\n| --- | ---: |");
    for s in &e.scopes {
        let _ = writeln!(out, "| {} | {} |", s.scope, money(s.monthly));
    }
    let _ = writeln!(out, "| **total** | **{}** |", money(e.monthly));
    if !e.schedules.is_empty() {
        let _ = writeln!(
            out,
            "\n| schedule | up hours/month | monthly | savings |\n| --- | ---: | ---: | ---: |"
        );
        for s in &e.schedules {
            let _ = writeln!(
                out,
                "| {} | {:.1} | {} | {} ({:.1}%) |",
                s.name,
                s.up_hours_per_month,
                money(s.monthly),
                money(s.savings),
                s.savings_pct
            );
        }
    }
    for a in &e.assumptions {
        let _ = writeln!(out, "\n> {a}");
    }
    if !e.unpriced.is_empty() {
        let _ = writeln!(
            out,
            "\n<details><summary>Not priced ({})</summary>\n",
            e.unpriced.len()
        );
        for u in &e.unpriced {
            let _ = writeln!(out, "- `{}`: {}", u.address, u.reason);
        }
        let _ = writeln!(out, "\n</details>");
    }
    out
}

/// Colours for scopes, in order; distinct without colour vision too (light to dark).
const COLORS: &[&str] = &[
    "#1f5f8b", "#e8a33d", "#4f9d69", "#b8475a", "#7a5fa8", "#5b6673",
];

#[derive(serde::Serialize)]
struct Segment {
    scope: String,
    y: f64,
    height: f64,
    color: &'static str,
    label: String,
}

#[derive(serde::Serialize)]
struct Bar {
    name: String,
    x: f64,
    top: f64,
    total: String,
    segments: Vec<Segment>,
}

/// A standalone page with a stacked bar per schedule (cost per scope) and the tables.
pub fn html(e: &Estimate) -> String {
    let (width, height, left, base_y, bar_width) = (760.0, 360.0, 40.0, 320.0, 90.0);
    let max = e
        .schedules
        .iter()
        .map(|s| s.monthly)
        .fold(e.monthly, f64::max)
        .max(0.01);
    let scale = (base_y - 40.0) / max;
    let gap = if e.schedules.is_empty() {
        0.0
    } else {
        (width - left - 20.0) / e.schedules.len() as f64
    };
    let bars: Vec<Bar> = e
        .schedules
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let mut y = base_y;
            let segments = s
                .scopes
                .iter()
                .enumerate()
                .map(|(k, sc)| {
                    let h = sc.monthly * scale;
                    y -= h;
                    Segment {
                        scope: sc.scope.clone(),
                        y,
                        height: h,
                        color: COLORS[k % COLORS.len()],
                        label: money(sc.monthly),
                    }
                })
                .collect();
            Bar {
                name: s.name.clone(),
                x: left + gap * i as f64 + (gap - bar_width) / 2.0,
                top: y,
                total: money(s.monthly),
                segments,
            }
        })
        .collect();
    let legend: Vec<serde_json::Value> = e
        .scopes
        .iter()
        .enumerate()
        .map(|(k, s)| serde_json::json!({"scope": s.scope, "color": COLORS[k % COLORS.len()]}))
        .collect();
    let rows: Vec<serde_json::Value> = e
        .schedules
        .iter()
        .map(|s| {
            serde_json::json!({
                "name": s.name,
                "hours": format!("{:.1}", s.up_hours_per_month),
                "scopes": s.scopes.iter().map(|c| money(c.monthly)).collect::<Vec<_>>(),
                "monthly": money(s.monthly),
                "savings": format!("{} ({:.1}%)", money(s.savings), s.savings_pct),
            })
        })
        .collect();
    let mut ctx = tera::Context::new();
    ctx.insert("env", &e.env);
    ctx.insert("currency", e.currency);
    ctx.insert("width", &width);
    ctx.insert("height", &height);
    ctx.insert("left", &left);
    ctx.insert("base_y", &base_y);
    ctx.insert("bar_width", &bar_width);
    ctx.insert("bars", &bars);
    ctx.insert("legend", &legend);
    ctx.insert("rows", &rows);
    ctx.insert("unpriced", &e.unpriced);
    ctx.insert("assumptions", &e.assumptions);
    crate::output::templates::render("cost.html", &ctx)
}

pub fn json(e: &Estimate) -> serde_json::Value {
    serde_json::to_value(e).expect("estimate serializes")
}

#[cfg(test)]
mod tests {
    //! The table and markdown reports show scopes, schedules and what is not priced.

    use super::*;
    use crate::cost::estimate::{ScheduleCost, ScopeCost, Unpriced};

    fn sample() -> Estimate {
        let scope = |s: &str, m: f64| ScopeCost {
            scope: s.into(),
            monthly: m,
        };
        Estimate {
            currency: "USD",
            env: Some("dev".into()),
            monthly: 70.0,
            scopes: vec![scope("base", 47.0), scope("runtime", 23.0)],
            resources: Vec::new(),
            unpriced: vec![Unpriced {
                address: "aws_iam_role".into(),
                reason: "not in the catalog".into(),
            }],
            assumptions: vec!["list prices for us-east-1".into()],
            schedules: vec![ScheduleCost {
                name: "nights".into(),
                up_hours_per_month: 365.0,
                monthly: 58.5,
                savings: 11.5,
                savings_pct: 16.43,
                scopes: vec![scope("base", 47.0), scope("runtime", 11.5)],
                calendar: None,
            }],
        }
    }

    #[test]
    fn table_and_markdown_show_scopes_schedules_and_what_is_not_priced() {
        let t = table(&sample());
        assert!(t.contains("  base         $47.00\n"), "{t}");
        assert!(t.contains("  total        $70.00\n"), "{t}");
        assert!(t.contains("nights"), "{t}");
        assert!(t.contains("$11.50    16.4%"), "{t}");
        assert!(
            t.contains("Not priced (1):\n  aws_iam_role: not in the catalog"),
            "{t}"
        );
        let m = markdown(&sample());
        assert!(m.contains("| **total** | **$70.00** |"), "{m}");
        assert!(
            m.contains("| nights | 365.0 | $58.50 | $11.50 (16.4%) |"),
            "{m}"
        );
        let h = html(&sample());
        assert!(h.starts_with("<!doctype html>"), "{h}");
        assert!(h.contains("<svg id=\"chart\""), "{h}");
        // Two scopes stacked in one bar, the runtime part under the nights schedule.
        assert_eq!(h.matches("<rect ").count(), 2, "{h}");
        assert!(h.contains("<title>runtime: $11.50</title>"), "{h}");
        assert!(h.contains("<code>aws_iam_role</code>"), "{h}");
        let j = json(&sample());
        assert_eq!(j["currency"], "USD");
        assert_eq!(j["schedules"][0]["savings_pct"], 16.43);
    }
}
