//! `tfscope schedule`: list the `schedule` blocks of tfscope.hcl, write the CI definition that
//! runs them (`--ci github|gitlab`), or tell a CI run what is due (`schedule due`).

use std::fmt::Write as _;
use std::path::Path;

use super::CommandResult;
use crate::app::args::{CiKind, DueArgs, DueEvent, ScheduleArgs, ScheduleCommand};
use crate::app::exit::Exit;
use crate::app::printer::Out;
use crate::app::settings::{root_or_default, Global};
use crate::calendar::Event;
use crate::classify::config::Config;
use crate::error::{display_path, Error};
use crate::output::ci::{self, Ci, Setup, Trigger};
use crate::output::hcl::{write, Written};

pub fn run(args: ScheduleArgs, global: &Global, out: &mut Out) -> CommandResult {
    if let Some(ScheduleCommand::Due(due)) = args.due {
        return run_due(due, global, out);
    }
    let root = root_or_default(args.dir);
    let config = Config::discover(&root, global.config.as_deref())?;
    let year = args.year.unwrap_or_else(this_year);
    let Some(kind) = args.ci else {
        out.line(list(&config, year)?);
        return Ok((Exit::Ok, Vec::new()));
    };
    let kind = match kind {
        CiKind::Github => Ci::Github,
        CiKind::Gitlab => Ci::Gitlab,
    };
    let dir = display_path(&root);
    let setup = Setup {
        dir: &dir,
        install: &args.install,
        year,
    };
    let text = ci::render(kind, &config, &setup)?;
    match args.out {
        None => out.line(text),
        Some(path) if path == Path::new("-") => out.line(text),
        Some(path) => {
            let what = match write(&path, &text, args.force)? {
                Written::Created => "wrote",
                Written::Updated => "updated",
                Written::Unchanged => "up to date:",
            };
            eprintln!("tfscope: {what} {}", display_path(&path));
        }
    }
    Ok((Exit::Ok, Vec::new()))
}

fn run_due(args: DueArgs, global: &Global, out: &mut Out) -> CommandResult {
    let root = root_or_default(args.dir);
    let config = Config::discover(&root, global.config.as_deref())?;
    let Some(schedule) = config.schedule(&args.name) else {
        let names: Vec<&str> = config.schedules.iter().map(|s| s.name.as_str()).collect();
        return Err(Error::Usage {
            flag: "NAME",
            value: args.name,
            message: "no schedule of that name in tfscope.hcl".into(),
            help: Some(format!("schedules: {}", names.join(", "))),
        });
    };
    let now = match &args.now {
        Some(t) => t.parse().map_err(|e| usage("--now", t, format!("{e}")))?,
        None => jiff::Timestamp::now(),
    };
    let keep_up_until = match args.keep_up_until.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(d) => Some(
            d.parse()
                .map_err(|e| usage("--keep-up-until", d, format!("{e}")))?,
        ),
    };
    let trigger = match (&args.cron, args.event) {
        (Some(cron), _) => Trigger::Cron(cron),
        (None, Some(e)) => Trigger::Event(
            match e {
                DueEvent::Down => Event::Down,
                DueEvent::Up => Event::Up,
            },
            jiff::SignedDuration::from_mins(i64::from(args.within)),
        ),
        (None, None) => unreachable!("clap requires --cron or --event"),
    };
    let decision = ci::due(schedule, trigger, now, keep_up_until);
    eprintln!("tfscope: {}", decision.reason);
    out.line(decision.output());
    Ok((Exit::Ok, Vec::new()))
}

fn usage(flag: &'static str, value: &str, message: String) -> Error {
    Error::Usage {
        flag,
        value: value.to_string(),
        message,
        help: None,
    }
}

fn this_year() -> i16 {
    jiff::Timestamp::now()
        .to_zoned(jiff::tz::TimeZone::UTC)
        .year()
}

/// Each schedule: its times, environments and scope, its up-hours in `year`, and its UTC lines.
fn list(config: &Config, year: i16) -> Result<String, Error> {
    if config.schedules.is_empty() {
        return Ok("No schedules: add a `schedule` block to tfscope.hcl (tfscope schedule --help shows one).".into());
    }
    let mut text = String::new();
    for s in &config.schedules {
        let (average, _) = s
            .calendar
            .year(year)
            .map_err(|m| usage("--year", &year.to_string(), m))?;
        let lines = s
            .calendar
            .utc_crons(year)
            .map_err(|m| usage("--year", &year.to_string(), m))?;
        let _ = writeln!(text, "{} ({}):", s.name, s.timezone);
        let _ = writeln!(
            text,
            "  down {}, up {}, {} holiday(s)",
            s.down,
            s.up,
            s.calendar.holidays.len()
        );
        let _ = writeln!(
            text,
            "  scope {}, environments {}",
            config.scopes[s.scope.index()],
            s.environments.join(", ")
        );
        let _ = writeln!(text, "  up {average:.1} hours a month on average in {year}");
        for l in lines {
            let _ = writeln!(text, "  UTC cron for {}: {}", l.event.name(), l.cron);
        }
    }
    Ok(text.trim_end().to_string())
}
