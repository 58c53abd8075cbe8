//! `tfscope schedule --ci github|gitlab`: the CI definition that runs `infra-down` and `infra-up`
//! at a `schedule` block's times, for the environments it lists and no others. GitHub gets UTC
//! cron lines per offset of the zone (the calendar's); GitLab gets pipeline schedules in the
//! zone itself. Owns what goes into the two templates, not the calendar or the writing.

use serde::Serialize;

use crate::calendar::Event;
use crate::classify::config::Config;
use crate::classify::schedules::Schedule;
use crate::error::Error;

use super::hcl::MARKER;
use super::templates;

/// The CI systems a definition can be written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ci {
    Github,
    Gitlab,
}

/// What the definition needs beside the schedules.
#[derive(Debug, Clone)]
pub struct Setup<'a> {
    /// The root module directory, as the job's `DIR` and `tfscope` argument.
    pub dir: &'a str,
    /// The command that installs tfscope on the runner.
    pub install: &'a str,
    /// The year whose clock changes the UTC lines follow (they repeat every year the zone's
    /// rules stay as they are).
    pub year: i16,
}

#[derive(Serialize)]
struct Context {
    marker: &'static str,
    name: String,
    config: String,
    dir: String,
    install: String,
    image: &'static str,
    environments: Vec<String>,
    schedules: Vec<ScheduleContext>,
}

#[derive(Serialize)]
struct ScheduleContext {
    name: String,
    timezone: String,
    scope: String,
    crons: Vec<CronContext>,
    local: Vec<CronContext>,
    environments: Vec<EnvironmentContext>,
}

#[derive(Serialize)]
struct CronContext {
    event: &'static str,
    cron: String,
    comment: String,
}

#[derive(Serialize)]
struct EnvironmentContext {
    name: String,
    job: String,
    variable: String,
}

/// The CI definition for every `schedule` block of `config`.
pub fn render(ci: Ci, config: &Config, setup: &Setup<'_>) -> Result<String, Error> {
    if config.schedules.is_empty() {
        return Err(Error::Refused {
            message: format!(
                "{} declares no schedule",
                config
                    .file
                    .as_deref()
                    .unwrap_or("the configuration (no tfscope.hcl)")
            ),
            help: Some(
                "add a block to tfscope.hcl: schedule \"nights\" { timezone = \"Europe/Berlin\" \
                 down = \"Mon-Fri 19:00\" up = \"Mon-Fri 07:30\" environments = [\"dev\"] }"
                    .into(),
            ),
        });
    }
    let schedules = config
        .schedules
        .iter()
        .map(|s| schedule_context(config, s, setup.year))
        .collect::<Result<Vec<_>, Error>>()?;
    let mut environments: Vec<String> = config
        .schedules
        .iter()
        .flat_map(|s| s.environments.iter().cloned())
        .collect();
    environments.sort();
    environments.dedup();
    let context = Context {
        marker: MARKER,
        name: "tfscope schedules".into(),
        config: config.file.clone().unwrap_or_else(|| "tfscope.hcl".into()),
        dir: setup.dir.to_string(),
        install: setup.install.to_string(),
        image: "rust:1-bookworm",
        environments,
        schedules,
    };
    let context = tera::Context::from_serialize(context).expect("the CI context serialises");
    let name = match ci {
        Ci::Github => "schedule-github.yml",
        Ci::Gitlab => "schedule-gitlab.yml",
    };
    Ok(templates::render(name, &context))
}

fn schedule_context(config: &Config, s: &Schedule, year: i16) -> Result<ScheduleContext, Error> {
    let offset = |seconds: i32| {
        let sign = if seconds < 0 { '-' } else { '+' };
        let m = seconds.abs() / 60;
        format!("UTC{sign}{:02}:{:02}", m / 60, m % 60)
    };
    let times = |e: Event| match e {
        Event::Down => &s.down,
        Event::Up => &s.up,
    };
    let crons = s
        .calendar
        .utc_crons(year)
        .map_err(|message| Error::Refused {
            message: format!("schedule {}: {message}", s.name),
            help: None,
        })?
        .into_iter()
        .map(|l| CronContext {
            event: l.event.name(),
            comment: format!(
                "{} {} {} at {}",
                l.event.name(),
                times(l.event),
                s.timezone,
                offset(l.offset_seconds)
            ),
            cron: l.cron,
        })
        .collect();
    let local = [(Event::Down, &s.calendar.down), (Event::Up, &s.calendar.up)]
        .into_iter()
        .map(|(event, weekly)| CronContext {
            event: event.name(),
            cron: weekly.local_cron(),
            comment: format!("{} {}", event.name(), times(event)),
        })
        .collect();
    let environments = s
        .environments
        .iter()
        .map(|e| EnvironmentContext {
            name: e.clone(),
            job: format!("{}-{}", slug(&s.name), slug(e)),
            variable: format!(
                "TFSCOPE_KEEP_UP_{}",
                slug(e).replace('-', "_").to_uppercase()
            ),
        })
        .collect();
    Ok(ScheduleContext {
        name: s.name.clone(),
        timezone: s.timezone.clone(),
        scope: config.scopes[s.scope.index()].clone(),
        crons,
        local,
        environments,
    })
}

/// A name as a job id: letters, digits, `-` and `_`; anything else becomes `-`.
fn slug(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

/// What started a CI run of a schedule.
#[derive(Debug, Clone, Copy)]
pub enum Trigger<'a> {
    /// A UTC cron line of the GitHub definition.
    Cron(&'a str),
    /// A pipeline schedule in the zone's own time for `Event`, up to `window` late (GitLab).
    Event(Event, jiff::SignedDuration),
}

/// What a scheduled run does, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub action: Option<Event>,
    pub reason: String,
}

impl Decision {
    /// `action=down`, `action=up` or `action=none`.
    pub fn output(&self) -> String {
        format!("action={}", self.action.map_or("none", Event::name))
    }
}

/// Whether the run `trigger` started at `now` should take `schedule`'s scope down or up:
/// only at the schedule's own times, never an `up` on a holiday, and no `down` on or before
/// `keep_up_until` (a date in the schedule's zone).
pub fn due(
    schedule: &Schedule,
    trigger: Trigger<'_>,
    now: jiff::Timestamp,
    keep_up_until: Option<jiff::civil::Date>,
) -> Decision {
    let cal = &schedule.calendar;
    let event = match trigger {
        Trigger::Cron(cron) => cal.due_for_cron(cron, now),
        Trigger::Event(event, window) => cal.due_within(event, now, window).map(|_| event),
    };
    let Some(event) = event else {
        let reason = match trigger {
            Trigger::Cron(cron) => format!(
                "cron {cron:?} is not a {} time of schedule {} today (the other UTC offset's \
                 line, a holiday, or a definition older than the schedule: regenerate it)",
                "down or up", schedule.name
            ),
            Trigger::Event(event, window) => format!(
                "no {} of schedule {} in the last {} minutes (a holiday has no up)",
                event.name(),
                schedule.name,
                window.as_mins()
            ),
        };
        return Decision {
            action: None,
            reason,
        };
    };
    let today = cal.local_date(now);
    if let Some(until) = keep_up_until.filter(|u| event == Event::Down && today <= *u) {
        return Decision {
            action: None,
            reason: format!(
                "kept up until {until}: no down of schedule {}",
                schedule.name
            ),
        };
    }
    Decision {
        action: Some(event),
        reason: format!(
            "{} of schedule {} at {} {}",
            event.name(),
            schedule.name,
            match event {
                Event::Down => &schedule.down,
                Event::Up => &schedule.up,
            },
            schedule.timezone
        ),
    }
}

#[cfg(test)]
mod tests {
    //! The CI definitions for a schedule, and what a run of them decides.

    use super::*;

    const CONFIG: &str = r#"
schedule "nights" {
  timezone     = "Europe/Berlin"
  down         = "Mon-Fri 19:00"
  up           = "Mon-Fri 07:30"
  holidays     = ["2027-03-10"]
  environments = ["dev", "staging"]
}
"#;

    fn setup() -> Setup<'static> {
        Setup {
            dir: "infra",
            install: "cargo install --locked tfscope",
            year: 2027,
        }
    }

    #[test]
    fn github_gets_a_line_per_offset_and_a_job_per_listed_environment() {
        let config = Config::parse("tfscope.hcl", CONFIG).unwrap();
        let yaml = render(Ci::Github, &config, &setup()).unwrap();
        assert!(yaml.starts_with(MARKER));
        for line in [
            "- cron: \"0 18 * 1-3,10-12 1-5\" # nights: down Mon-Fri 19:00 Europe/Berlin at UTC+01:00",
            "- cron: \"0 17 * 3-10 1-5\" # nights: down Mon-Fri 19:00 Europe/Berlin at UTC+02:00",
            "- cron: \"30 5 * 3-10 1-5\" # nights: up Mon-Fri 07:30 Europe/Berlin at UTC+02:00",
            "  nights-dev:",
            "  nights-staging:",
            "      group: tfscope-dev",
            "run: make -f Makefile.infra infra-down DIR=infra ENV=staging SCOPE=runtime AUTO=true",
            "KEEP_UP_UNTIL: ${{ vars.TFSCOPE_KEEP_UP_STAGING }}",
        ] {
            assert!(yaml.contains(line), "{line}\n{yaml}");
        }
        assert!(!yaml.contains("ENV=prod"));
    }

    #[test]
    fn gitlab_gets_schedules_in_the_zone_and_a_resource_group_per_environment() {
        let config = Config::parse("tfscope.hcl", CONFIG).unwrap();
        let yaml = render(Ci::Gitlab, &config, &setup()).unwrap();
        for line in [
            "#   nights down: cron \"0 19 * * 1-5\", time zone \"Europe/Berlin\"",
            "#   nights up: cron \"30 7 * * 1-5\", time zone \"Europe/Berlin\"",
            "nights-dev:\n  extends: .tfscope\n  resource_group: tfscope-dev",
            "--event \"$TFSCOPE_EVENT\" --within 60",
            "eval \"$decision\"",
        ] {
            assert!(yaml.contains(line), "{line}\n{yaml}");
        }
        let none = Config::parse("tfscope.hcl", "").unwrap();
        let err = render(Ci::Gitlab, &none, &setup()).unwrap_err().to_string();
        assert!(err.contains("declares no schedule"), "{err}");
    }

    #[test]
    fn a_run_decides_from_its_line_the_holidays_and_keep_up() {
        let config = Config::parse("tfscope.hcl", CONFIG).unwrap();
        let nights = config.schedule("nights").unwrap();
        let at = |s: &str| s.parse::<jiff::Timestamp>().unwrap();
        let summer_down = Trigger::Cron("0 17 * 3-10 1-5");
        let d = due(nights, summer_down, at("2027-03-29T17:12:00Z"), None);
        assert_eq!(d.output(), "action=down", "{}", d.reason);
        let d = due(
            nights,
            Trigger::Cron("0 18 * 1-3,10-12 1-5"),
            at("2027-03-29T18:03:00Z"),
            None,
        );
        assert_eq!(d.output(), "action=none");
        let today = "2027-03-29".parse().ok();
        let d = due(nights, summer_down, at("2027-03-29T17:12:00Z"), today);
        assert_eq!(
            (
                d.output().as_str(),
                d.reason.contains("kept up until 2027-03-29")
            ),
            ("action=none", true)
        );
        let yesterday = "2027-03-28".parse().ok();
        assert_eq!(
            due(nights, summer_down, at("2027-03-29T17:12:00Z"), yesterday).output(),
            "action=down"
        );
        let gitlab_up = Trigger::Event(Event::Up, jiff::SignedDuration::from_mins(60));
        assert_eq!(
            due(nights, gitlab_up, at("2027-03-11T06:35:00Z"), None).output(),
            "action=up"
        );
        let holiday = due(nights, gitlab_up, at("2027-03-10T06:35:00Z"), None);
        assert_eq!(holiday.output(), "action=none", "{}", holiday.reason);
    }
}
