//! Schedules: how many hours a month the scopes that are torn down are up. Built-in: `always`
//! (730 h), `nights` (down 12 h every day), `weekends` (down Saturday and Sunday),
//! `nights-and-weekends` (up 12 h on weekdays), `office-hours` (up 10 h on weekdays); or a custom
//! spec: up-hours per week, as `NAME=HOURS` or just `HOURS`; or a `schedule` block of
//! `tfscope.hcl`, whose hours come from its calendar (the average of a year's months, daylight
//! saving time and holidays included). Scopes that are not torn down stay on.

use super::HOURS_PER_MONTH;
use crate::classify::schedules::Schedule as Declared;

const HOURS_PER_WEEK: f64 = 168.0;

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Schedule {
    pub name: String,
    /// Hours per week the torn-down scopes are up (for a calendar, the year's average).
    pub up_hours_per_week: f64,
    /// Where the hours come from when the schedule is a `schedule` block.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub calendar: Option<CalendarHours>,
}

/// A `schedule` block's hours: its calendar in one year.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CalendarHours {
    pub timezone: String,
    pub down: String,
    pub up: String,
    pub holidays: usize,
    pub year: i16,
    /// Up-hours in each month of `year`, January first.
    pub months: Vec<f64>,
    /// Their average: the schedule's hours per month.
    pub average: f64,
}

impl Schedule {
    /// Hours per month the torn-down scopes are up.
    pub fn hours_per_month(&self) -> f64 {
        match &self.calendar {
            Some(c) => c.average,
            None => HOURS_PER_MONTH * self.up_hours_per_week / HOURS_PER_WEEK,
        }
    }

    pub fn always() -> Schedule {
        Schedule {
            name: "always".into(),
            up_hours_per_week: HOURS_PER_WEEK,
            calendar: None,
        }
    }

    /// A `schedule` block's hours in `year`: each month's from the calendar, and their average.
    pub fn from_calendar(declared: &Declared, year: i16) -> Result<Schedule, String> {
        let (average, months) = declared.calendar.year(year)?;
        Ok(Schedule {
            name: declared.name.clone(),
            up_hours_per_week: average * HOURS_PER_WEEK / HOURS_PER_MONTH,
            calendar: Some(CalendarHours {
                timezone: declared.timezone.clone(),
                down: declared.down.clone(),
                up: declared.up.clone(),
                holidays: declared.calendar.holidays.len(),
                year,
                months,
                average,
            }),
        })
    }

    /// What the report says about where a calendar schedule's hours come from.
    pub fn describe(&self) -> Option<String> {
        let c = self.calendar.as_ref()?;
        let (low, high) = c
            .months
            .iter()
            .fold((f64::MAX, f64::MIN), |(l, h), m| (l.min(*m), h.max(*m)));
        Some(format!(
            "{}: down {}, up {} ({}), {} holiday(s); up-hours are the average of {}'s months \
             ({low:.1} to {high:.1} h), daylight saving time included",
            self.name, c.down, c.up, c.timezone, c.holidays, c.year
        ))
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
            calendar: None,
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
            calendar: None,
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
