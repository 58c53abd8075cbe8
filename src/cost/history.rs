//! Realized savings: the history `up` and `down` append (`run::history`) read back, the hours
//! each scope of each environment was really down in a window, and what that saved at the
//! estimate's hourly cost of the scope, beside what the schedules forecast for the same window.
//!
//! A scope is down from a successful `down` of it until the next successful `up` of it; a phase
//! that failed, was refused, declined or interrupted changes nothing. A scope still down at the
//! end of the window is counted up to then and marked ongoing. Before its first line a scope is
//! taken to be up. Lines after the end of the window are ignored; an interval that began before
//! the window counts from the window's start. Owns none of the writing and none of the prices.

use std::collections::BTreeMap;
use std::path::Path;

use jiff::Timestamp;
use serde::Serialize;

use super::estimate::Estimate;
use super::HOURS_PER_MONTH;
use crate::error::{offset_of, Error};
use crate::run::history::{Entry, Outcome, Verb};

/// A history line with its time read.
#[derive(Debug, Clone, PartialEq)]
pub struct Dated {
    pub time: Timestamp,
    pub entry: Entry,
}

/// Reads a history file's text. A malformed line is an error that names the file, the line and
/// the column; blank lines are skipped. Lines are returned in time order (a stable sort, so the
/// file's order breaks ties).
pub fn parse(path: &Path, text: &str) -> Result<Vec<Dated>, Error> {
    let mut dated = Vec::new();
    let help = || {
        let fields = "time, env, scope, action (up|down), result (ok|failed|...) and version";
        Some(format!(
            "each line is one JSON object with {fields}, as `tfscope up`/`down` append it"
        ))
    };
    let mut start = 0;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let line_start = start;
        start += line.len();
        if line.trim().is_empty() {
            continue;
        }
        let entry: Entry = serde_json::from_str(line.trim_end()).map_err(|e| {
            let at = line_start + offset_of(line, e.line(), e.column());
            let message = e.to_string();
            let message = message
                .rsplit_once(" at line ")
                .map_or(message.as_str(), |(m, _)| m);
            Error::input(
                path,
                text,
                Some(at..at + 1),
                format!("history line {}: {message}", i + 1),
                help(),
            )
        })?;
        let time = parse_time(&entry.time).map_err(|message| {
            let quoted = format!("\"{}\"", entry.time);
            let at = line_start + line.find(&quoted).map_or(0, |o| o + 1);
            Error::input(
                path,
                text,
                Some(at..at + entry.time.len()),
                format!("history line {}: time: {message}", i + 1),
                help(),
            )
        })?;
        dated.push(Dated { time, entry });
    }
    dated.sort_by_key(|d| d.time);
    Ok(dated)
}

/// An RFC 3339 time (`2026-12-01T18:00:00Z`) or a date (`2026-12-01`, midnight UTC).
pub fn parse_time(text: &str) -> Result<Timestamp, String> {
    if let Ok(t) = text.parse::<Timestamp>() {
        return Ok(t);
    }
    let date: jiff::civil::Date = text.parse().map_err(|_| {
        format!(
            "{text:?} is neither an RFC 3339 time (2026-12-01T18:00:00Z) nor a date (2026-12-01)"
        )
    })?;
    date.to_zoned(jiff::tz::TimeZone::UTC)
        .map(|z| z.timestamp())
        .map_err(|e| e.to_string())
}

/// The window the hours are counted in.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Window {
    pub since: Timestamp,
    pub now: Timestamp,
}

impl Window {
    /// `since` (default: the first line's time) to `now`.
    pub fn new(lines: &[Dated], since: Option<Timestamp>, now: Timestamp) -> Window {
        let first = lines.first().map_or(now, |d| d.time);
        Window {
            since: since.unwrap_or(first).min(now),
            now,
        }
    }

    pub fn hours(&self) -> f64 {
        hours(self.since, self.now)
    }
}

fn hours(from: Timestamp, to: Timestamp) -> f64 {
    to.duration_since(from).as_secs_f64().max(0.0) / 3600.0
}

/// One stretch of time a scope was down, cut to the window.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Interval {
    #[serde(serialize_with = "as_text")]
    pub start: Timestamp,
    #[serde(serialize_with = "as_text")]
    pub end: Timestamp,
    /// Still down at the end of the window: `end` is the window's end, not an `up`.
    pub ongoing: bool,
}

fn as_text<S: serde::Serializer>(t: &Timestamp, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(t)
}

/// The down time of one scope of one environment in the window.
#[derive(Debug, Clone, PartialEq)]
pub struct DownTime {
    pub env: Option<String>,
    pub scope: String,
    pub intervals: Vec<Interval>,
    pub hours: f64,
}

/// Every environment and scope the history names, with the intervals it was down in the
/// window; sorted by environment (none first), then scope.
pub fn down_time(lines: &[Dated], window: Window) -> Vec<DownTime> {
    let mut by_scope: BTreeMap<(Option<&str>, &str), Vec<&Dated>> = BTreeMap::new();
    for d in lines.iter().filter(|d| d.time <= window.now) {
        let key = (d.entry.env.as_deref(), d.entry.scope.as_str());
        by_scope.entry(key).or_default().push(d);
    }
    by_scope
        .into_iter()
        .map(|((env, scope), lines)| {
            let intervals: Vec<Interval> = intervals(&lines, window.now)
                .into_iter()
                .filter_map(|i| clip(i, window))
                .collect();
            DownTime {
                env: env.map(str::to_string),
                scope: scope.to_string(),
                hours: total(intervals.iter().map(|i| hours(i.start, i.end))),
                intervals,
            }
        })
        .collect()
}

/// The down intervals of one scope's lines (in time order), unclipped.
fn intervals(lines: &[&Dated], now: Timestamp) -> Vec<Interval> {
    let mut found = Vec::new();
    let mut down_since: Option<Timestamp> = None;
    for d in lines.iter().filter(|d| d.entry.result == Outcome::Ok) {
        match (d.entry.action, down_since) {
            // Already down: it stays down since the first successful `down`.
            (Verb::Down, None) => down_since = Some(d.time),
            (Verb::Up, Some(start)) => {
                found.push(Interval {
                    start,
                    end: d.time,
                    ongoing: false,
                });
                down_since = None;
            }
            _ => {}
        }
    }
    if let Some(start) = down_since {
        found.push(Interval {
            start,
            end: now,
            ongoing: true,
        });
    }
    found
}

/// The part of an interval inside the window, if any.
fn clip(i: Interval, window: Window) -> Option<Interval> {
    let start = i.start.max(window.since);
    let end = i.end.min(window.now);
    (start < end).then_some(Interval { start, end, ..i })
}

/// What each scope's hourly components cost per hour it is up: their always-on monthly figure
/// in the estimate over 730 hours. Usage-based and monthly components are not counted, as the
/// schedules do not count them.
pub fn hourly_rates(estimate: &Estimate) -> BTreeMap<String, f64> {
    let mut rates: BTreeMap<String, f64> = estimate
        .scopes
        .iter()
        .map(|s| (s.scope.clone(), 0.0))
        .collect();
    for r in &estimate.resources {
        let hourly: f64 = r
            .components
            .iter()
            .filter(|c| c.hourly())
            .map(|c| c.monthly)
            .sum();
        *rates.entry(r.scope.clone()).or_default() += hourly / HOURS_PER_MONTH;
    }
    rates
}

/// One scope's realized savings.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScopeSaving {
    pub scope: String,
    pub down_hours: f64,
    /// Share of the window the scope was down, in percent.
    pub down_pct: f64,
    /// What the scope costs per hour up; `None` for a scope the configuration no longer has.
    pub per_hour: Option<f64>,
    pub saved: Option<f64>,
    pub intervals: Vec<Interval>,
}

/// What a schedule forecasts for the same window.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Forecast {
    pub schedule: String,
    /// Hours the torn-down scopes would be down.
    pub down_hours: f64,
    pub saved: f64,
}

/// One environment's realized savings and the schedules' forecast.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EnvSaving {
    pub env: Option<String>,
    pub scopes: Vec<ScopeSaving>,
    pub saved: f64,
    pub forecast: Vec<Forecast>,
}

/// A sum that is 0, not -0, when there is nothing to add (`Sum for f64` starts at -0.0).
fn total(xs: impl Iterator<Item = f64>) -> f64 {
    xs.fold(0.0, |a, b| a + b)
}

fn round(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Prices one environment's down time with its estimate (`rates` from [`hourly_rates`]) and
/// prorates the estimate's schedules to the window.
pub fn env_saving(
    env: Option<String>,
    downs: &[DownTime],
    rates: &BTreeMap<String, f64>,
    estimate: &Estimate,
    window: Window,
) -> EnvSaving {
    let window_hours = window.hours();
    let scopes: Vec<ScopeSaving> = downs
        .iter()
        .filter(|d| d.env == env)
        .map(|d| {
            let per_hour = rates.get(&d.scope).copied();
            ScopeSaving {
                scope: d.scope.clone(),
                down_hours: round(d.hours),
                down_pct: if window_hours > 0.0 {
                    round(100.0 * d.hours / window_hours)
                } else {
                    0.0
                },
                per_hour: per_hour.map(|r| (r * 10_000.0).round() / 10_000.0),
                saved: per_hour.map(|r| round(r * d.hours)),
                intervals: d.intervals.clone(),
            }
        })
        .collect();
    let forecast = estimate
        .schedules
        .iter()
        .filter(|s| s.up_hours_per_month < HOURS_PER_MONTH)
        .map(|s| Forecast {
            schedule: s.name.clone(),
            down_hours: round(window_hours * (1.0 - s.up_hours_per_month / HOURS_PER_MONTH)),
            saved: round(s.savings * window_hours / HOURS_PER_MONTH),
        })
        .collect();
    EnvSaving {
        env,
        saved: round(total(scopes.iter().filter_map(|s| s.saved))),
        scopes,
        forecast,
    }
}

/// The whole `cost --actual` report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Actual {
    pub currency: &'static str,
    pub history: String,
    #[serde(serialize_with = "as_text")]
    pub since: Timestamp,
    #[serde(serialize_with = "as_text")]
    pub now: Timestamp,
    pub window_hours: f64,
    pub environments: Vec<EnvSaving>,
    pub saved: f64,
}

impl Actual {
    pub fn new(history: String, window: Window, environments: Vec<EnvSaving>) -> Actual {
        Actual {
            currency: "USD",
            history,
            since: window.since,
            now: window.now,
            window_hours: round(window.hours()),
            saved: round(total(environments.iter().map(|e| e.saved))),
            environments,
        }
    }
}

/// The report as a table.
pub fn text(actual: &Actual) -> String {
    let mut out = format!(
        "Realized savings from {} ({} to {}, {:.1} h):\n",
        actual.history, actual.since, actual.now, actual.window_hours
    );
    for e in &actual.environments {
        let env = e.env.as_deref().unwrap_or("(no --env)");
        out.push_str(&format!(
            "\nenv {env}\n  {:<12} {:>9} {:>7} {:>10} {:>10}\n",
            "scope", "down h", "%", "$/h up", "saved"
        ));
        for s in &e.scopes {
            let money = |x: Option<f64>, digits: usize| {
                x.map_or("-".to_string(), |v| format!("${v:.digits$}"))
            };
            out.push_str(&format!(
                "  {:<12} {:>9.1} {:>6.1}% {:>10} {:>10}\n",
                s.scope,
                s.down_hours,
                s.down_pct,
                money(s.per_hour, 4),
                money(s.saved, 2)
            ));
            for i in s.intervals.iter().filter(|i| i.ongoing) {
                out.push_str(&format!(
                    "    down since {} and still down (counted to {})\n",
                    i.start, i.end
                ));
            }
            if s.per_hour.is_none() {
                out.push_str("    not in this configuration any more: not priced\n");
            }
        }
        out.push_str(&format!(
            "  {:<12} {:>40}\n",
            "saved",
            format!("${:.2}", e.saved)
        ));
        if !e.forecast.is_empty() {
            out.push_str("  forecast for the same window:\n");
            for f in &e.forecast {
                out.push_str(&format!(
                    "    {:<22} {:>9.1} h down {:>10}\n",
                    f.schedule,
                    f.down_hours,
                    format!("${:.2}", f.saved)
                ));
            }
        }
    }
    out.push_str(&format!("\nTotal saved: ${:.2}\n", actual.saved));
    out.push_str(
        "Hourly components only, at on-demand list prices; a failed, refused or declined phase changes nothing.\n",
    );
    out
}

#[cfg(test)]
mod tests {
    //! Intervals from hand-written histories: a down/up pair, an ongoing down, a failed down,
    //! `--since` cutting an interval, two scopes, two environments; and malformed lines.

    use super::*;

    fn t(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn line(time: &str, env: &str, scope: &str, action: &str, result: &str) -> String {
        format!(
            r#"{{"time":"{time}","env":"{env}","scope":"{scope}","action":"{action}","result":"{result}","version":"0.1.0"}}"#
        )
    }

    fn history(lines: &[String]) -> Vec<Dated> {
        parse(Path::new("h.jsonl"), &lines.join("\n")).unwrap()
    }

    fn spans(d: &DownTime) -> Vec<(String, String, bool)> {
        d.intervals
            .iter()
            .map(|i| (i.start.to_string(), i.end.to_string(), i.ongoing))
            .collect()
    }

    const NOW: &str = "2026-12-03T00:00:00Z";

    #[test]
    fn a_down_up_pair_is_one_interval() {
        let h = history(&[
            line("2026-12-01T18:00:00Z", "dev", "runtime", "down", "ok"),
            line("2026-12-02T08:00:00Z", "dev", "runtime", "up", "ok"),
        ]);
        let downs = down_time(&h, Window::new(&h, None, t(NOW)));
        assert_eq!(downs.len(), 1);
        assert_eq!(downs[0].hours, 14.0);
        assert_eq!(
            spans(&downs[0]),
            [(
                "2026-12-01T18:00:00Z".into(),
                "2026-12-02T08:00:00Z".into(),
                false
            )]
        );
    }

    #[test]
    fn a_down_without_an_up_is_ongoing_until_now() {
        let h = history(&[
            line("2026-12-01T18:00:00Z", "dev", "runtime", "down", "ok"),
            line("2026-12-02T08:00:00Z", "dev", "runtime", "up", "ok"),
            line("2026-12-02T18:00:00Z", "dev", "runtime", "down", "ok"),
        ]);
        let downs = down_time(&h, Window::new(&h, None, t(NOW)));
        assert_eq!(downs[0].hours, 14.0 + 6.0);
        assert_eq!(
            spans(&downs[0])[1],
            ("2026-12-02T18:00:00Z".into(), NOW.into(), true)
        );
    }

    #[test]
    fn a_failed_down_or_up_changes_nothing() {
        let h = history(&[
            line("2026-12-01T18:00:00Z", "dev", "runtime", "down", "failed"),
            line("2026-12-01T19:00:00Z", "dev", "runtime", "down", "refused"),
            line("2026-12-01T20:00:00Z", "dev", "runtime", "down", "ok"),
            line("2026-12-02T07:00:00Z", "dev", "runtime", "up", "failed"),
            line("2026-12-02T08:00:00Z", "dev", "runtime", "up", "ok"),
        ]);
        let downs = down_time(&h, Window::new(&h, None, t(NOW)));
        assert_eq!(downs[0].hours, 12.0, "20:00 to 08:00");
        // A second successful down while down keeps the first start.
        let h = history(&[
            line("2026-12-01T20:00:00Z", "dev", "runtime", "down", "ok"),
            line("2026-12-01T22:00:00Z", "dev", "runtime", "down", "ok"),
            line("2026-12-02T08:00:00Z", "dev", "runtime", "up", "ok"),
        ]);
        assert_eq!(down_time(&h, Window::new(&h, None, t(NOW)))[0].hours, 12.0);
    }

    #[test]
    fn since_cuts_an_interval_and_now_ends_one() {
        let h = history(&[
            line("2026-12-01T18:00:00Z", "dev", "runtime", "down", "ok"),
            line("2026-12-02T08:00:00Z", "dev", "runtime", "up", "ok"),
            line("2026-12-02T18:00:00Z", "dev", "runtime", "down", "ok"),
            line("2026-12-05T08:00:00Z", "dev", "runtime", "up", "ok"),
        ]);
        let window = Window::new(&h, Some(t("2026-12-02T00:00:00Z")), t(NOW));
        assert_eq!(window.hours(), 24.0);
        let downs = down_time(&h, window);
        assert_eq!(downs[0].hours, 8.0 + 6.0, "00:00-08:00, then 18:00-24:00");
        assert_eq!(
            spans(&downs[0]),
            [
                (
                    "2026-12-02T00:00:00Z".into(),
                    "2026-12-02T08:00:00Z".into(),
                    false
                ),
                // The `up` after now is ignored: still down at now.
                ("2026-12-02T18:00:00Z".into(), NOW.into(), true),
            ]
        );
        // A window after the last interval: nothing.
        let later = Window::new(
            &h,
            Some(t("2026-12-02T09:00:00Z")),
            t("2026-12-02T10:00:00Z"),
        );
        assert_eq!(down_time(&h, later)[0].hours, 0.0);
    }

    #[test]
    fn two_scopes_and_two_environments_are_counted_apart() {
        let h = history(&[
            line("2026-12-01T00:00:00Z", "dev", "runtime", "down", "ok"),
            line("2026-12-01T00:00:00Z", "dev", "base", "down", "ok"),
            line("2026-12-01T06:00:00Z", "dev", "base", "up", "ok"),
            line("2026-12-01T12:00:00Z", "prod", "runtime", "down", "ok"),
            line("2026-12-01T12:00:00Z", "dev", "runtime", "up", "ok"),
            line("2026-12-01T13:00:00Z", "prod", "runtime", "up", "ok"),
        ]);
        let downs = down_time(&h, Window::new(&h, None, t(NOW)));
        let got: Vec<(Option<&str>, &str, f64)> = downs
            .iter()
            .map(|d| (d.env.as_deref(), d.scope.as_str(), d.hours))
            .collect();
        assert_eq!(
            got,
            [
                (Some("dev"), "base", 6.0),
                (Some("dev"), "runtime", 12.0),
                (Some("prod"), "runtime", 1.0),
            ]
        );
    }

    #[test]
    fn savings_are_down_hours_times_the_hourly_rate_beside_the_forecast() {
        let h = history(&[
            line("2026-12-01T00:00:00Z", "dev", "runtime", "down", "ok"),
            line("2026-12-01T12:00:00Z", "dev", "runtime", "up", "ok"),
            line("2026-12-01T12:00:00Z", "prod", "runtime", "down", "ok"),
        ]);
        let window = Window::new(&h, None, t("2026-12-02T00:00:00Z"));
        let downs = down_time(&h, window);
        let estimate = Estimate {
            currency: "USD",
            env: Some("dev".into()),
            monthly: 0.0,
            scopes: Vec::new(),
            resources: Vec::new(),
            unpriced: Vec::new(),
            schedules: vec![super::super::estimate::ScheduleCost {
                name: "nights".into(),
                up_hours_per_month: 365.0,
                monthly: 0.0,
                savings: 73.0,
                savings_pct: 0.0,
                scopes: Vec::new(),
                calendar: None,
            }],
            assumptions: Vec::new(),
        };
        let rates = BTreeMap::from([("runtime".to_string(), 0.5)]);
        let dev = env_saving(Some("dev".into()), &downs, &rates, &estimate, window);
        assert_eq!(dev.scopes.len(), 1, "only dev's lines");
        assert_eq!(
            (dev.scopes[0].down_hours, dev.scopes[0].down_pct),
            (12.0, 50.0)
        );
        assert_eq!(dev.scopes[0].saved, Some(6.0));
        assert_eq!(dev.saved, 6.0);
        // nights over 24 h: down 12 h, $73/month prorated: 73 * 24 / 730.
        assert_eq!(
            dev.forecast,
            [Forecast {
                schedule: "nights".into(),
                down_hours: 12.0,
                saved: 2.4
            }]
        );
        let prod = env_saving(
            Some("prod".into()),
            &downs,
            &BTreeMap::new(),
            &estimate,
            window,
        );
        assert_eq!(
            (prod.scopes[0].down_hours, prod.scopes[0].saved),
            (12.0, None)
        );
        let report = text(&Actual::new("h.jsonl".into(), window, vec![dev, prod]));
        assert!(
            report.contains("down since 2026-12-01T12:00:00Z and still down"),
            "{report}"
        );
        assert!(report.contains("Total saved: $6.00"), "{report}");
    }

    #[test]
    fn a_malformed_line_names_the_file_line_and_column() {
        let text = format!(
            "{}\n{{\"time\":\"2026-12-01T00:00:00Z\",\"env\":null,\"scope\":\"runtime\",\"action\":\"sideways\"}}\n",
            line("2026-12-01T00:00:00Z", "dev", "runtime", "down", "ok")
        );
        let err = parse(Path::new("h.jsonl"), &text).unwrap_err().to_string();
        assert!(err.starts_with("h.jsonl:2:"), "{err}");
        assert!(
            err.contains("history line 2: unknown variant `sideways`"),
            "{err}"
        );
        let bad_time = line("yesterday", "dev", "runtime", "down", "ok");
        let err = parse(Path::new("h.jsonl"), &bad_time)
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("h.jsonl:1:10: history line 1: time:"),
            "{err}"
        );
        let err = parse(Path::new("h.jsonl"), "\n{\"time\": 3,\n")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("h.jsonl:2:"), "{err}");
    }

    #[test]
    fn dates_and_times() {
        assert_eq!(parse_time("2026-12-01").unwrap(), t("2026-12-01T00:00:00Z"));
        assert_eq!(
            parse_time("2026-12-01T01:00:00+01:00").unwrap(),
            t("2026-12-01T00:00:00Z")
        );
        assert!(parse_time("soon").unwrap_err().contains("RFC 3339"));
    }
}
