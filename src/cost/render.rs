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

pub fn json(e: &Estimate) -> serde_json::Value {
    serde_json::to_value(e).expect("estimate serializes")
}

#[cfg(test)]
mod tests {
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
            schedules: vec![ScheduleCost {
                name: "nights".into(),
                up_hours_per_month: 365.0,
                monthly: 58.5,
                savings: 11.5,
                savings_pct: 16.43,
                scopes: vec![scope("base", 47.0), scope("runtime", 11.5)],
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
        let j = json(&sample());
        assert_eq!(j["currency"], "USD");
        assert_eq!(j["schedules"][0]["savings_pct"], 16.43);
    }
}
