//! Schedules: how many hours a month the scopes that are torn down are up. Built-in: `always`
//! (730 h), `nights` (down 12 h every day), `weekends` (down Saturday and Sunday),
//! `nights-and-weekends` (up 12 h on weekdays), `office-hours` (up 10 h on weekdays); or a custom
//! spec: up-hours per week, as `NAME=HOURS` or just `HOURS`. Scopes that are not torn down stay on.

use super::HOURS_PER_MONTH;

const HOURS_PER_WEEK: f64 = 168.0;

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Schedule {
    pub name: String,
    /// Hours per week the torn-down scopes are up.
    pub up_hours_per_week: f64,
}

impl Schedule {
    /// Hours per month the torn-down scopes are up.
    pub fn hours_per_month(&self) -> f64 {
        HOURS_PER_MONTH * self.up_hours_per_week / HOURS_PER_WEEK
    }

    pub fn always() -> Schedule {
        Schedule {
            name: "always".into(),
            up_hours_per_week: HOURS_PER_WEEK,
        }
    }

    /// The built-in schedules, in report order.
    pub fn builtin() -> Vec<Schedule> {
        [
            ("always", HOURS_PER_WEEK),
            ("nights", 12.0 * 7.0),
            ("weekends", 24.0 * 5.0),
            ("nights-and-weekends", 12.0 * 5.0),
            ("office-hours", 10.0 * 5.0),
        ]
        .into_iter()
        .map(|(name, up)| Schedule {
            name: name.into(),
            up_hours_per_week: up,
        })
        .collect()
    }

    /// A built-in name, `HOURS`, or `NAME=HOURS` (up-hours per week, 0 to 168).
    pub fn parse(spec: &str) -> Result<Schedule, String> {
        if let Some(s) = Schedule::builtin().into_iter().find(|s| s.name == spec) {
            return Ok(s);
        }
        let (name, hours) = match spec.split_once('=') {
            Some((n, h)) if !n.trim().is_empty() => (n.trim().to_string(), h.trim()),
            Some(_) => return Err(format!("schedule {spec:?} has an empty name")),
            None => (format!("{}h/week", spec.trim()), spec.trim()),
        };
        let up: f64 = hours.parse().map_err(|_| {
            let names: Vec<String> = Schedule::builtin().into_iter().map(|s| s.name).collect();
            format!(
                "unknown schedule {spec:?}: use one of {}, or up-hours per week (e.g. 60 or crunch=84)",
                names.join(", ")
            )
        })?;
        if !(0.0..=HOURS_PER_WEEK).contains(&up) {
            return Err(format!("schedule {spec:?}: a week has 168 hours"));
        }
        Ok(Schedule {
            name,
            up_hours_per_week: up,
        })
    }
}

#[cfg(test)]
mod tests {
    //! Schedules: the built-in ones in hours per month, custom specifications and mistakes.

    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn builtin_schedules_in_hours_per_month() {
        let h: Vec<(String, f64)> = Schedule::builtin()
            .into_iter()
            .map(|s| (s.name.clone(), s.hours_per_month()))
            .collect();
        assert!(close(h[0].1, 730.0), "always");
        assert!(close(h[1].1, 365.0), "nights: half the time");
        assert!(close(h[2].1, 730.0 * 5.0 / 7.0), "weekends: 521.43 h");
        assert!(
            close(h[3].1, 730.0 * 60.0 / 168.0),
            "nights-and-weekends: 260.71 h"
        );
        assert!(
            close(h[4].1, 730.0 * 50.0 / 168.0),
            "office-hours: 217.26 h"
        );
    }

    #[test]
    fn custom_specs_and_mistakes() {
        assert_eq!(Schedule::parse("nights").unwrap().name, "nights");
        let s = Schedule::parse("84").unwrap();
        assert_eq!((s.name.as_str(), s.up_hours_per_week), ("84h/week", 84.0));
        let s = Schedule::parse("crunch=120").unwrap();
        assert_eq!((s.name.as_str(), s.up_hours_per_week), ("crunch", 120.0));
        assert!(Schedule::parse("200").unwrap_err().contains("168 hours"));
        assert!(Schedule::parse("sometimes")
            .unwrap_err()
            .contains("unknown schedule"));
        assert!(Schedule::parse("=5").unwrap_err().contains("empty name"));
    }
}
