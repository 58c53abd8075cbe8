//! `tfscope cost --actual`: reads the history `up`/`down` append, counts the hours each scope of
//! each environment was down in the window, and prices them with that environment's estimate.

use std::collections::BTreeSet;

use super::CommandResult;
use crate::app::args::{CostArgs, CostFormat};
use crate::app::exit::Exit;
use crate::app::printer::Out;
use crate::app::settings::{Global, Settings};
use crate::cost::history::{self, Actual, Window};
use crate::error::{display_path, Error};

pub fn run(args: CostArgs, global: &Global, out: &mut Out) -> CommandResult {
    let time = |flag: &'static str, value: &Option<String>| {
        value
            .as_deref()
            .map(|v| {
                history::parse_time(v).map_err(|message| Error::Usage {
                    flag,
                    value: v.to_string(),
                    message,
                    help: None,
                })
            })
            .transpose()
    };
    let since = time("--since", &args.actual.since)?;
    let now = time("--now", &args.actual.now)?.unwrap_or_else(jiff::Timestamp::now);
    let settings = Settings::resolve(global, args.dir.clone(), args.env.clone())?;
    let path = crate::run::history::path(args.actual.history.as_deref(), &settings.root);
    let lines = read(&path)?;
    let window = Window::new(&lines, since, now);
    let downs = history::down_time(&lines, window);
    // `--env`: that environment alone; otherwise every one the history names.
    let envs: BTreeSet<Option<String>> = match &settings.env {
        Some(e) => BTreeSet::from([Some(e.clone())]),
        None => downs.iter().map(|d| d.env.clone()).collect(),
    };
    let mut warnings = Vec::new();
    let mut environments = Vec::new();
    for env in envs {
        let settings = Settings::resolve(global, args.dir.clone(), env.clone())?;
        let a = settings.analyse()?;
        let estimate = super::cost::estimate(&a, &settings, &args)?;
        let rates = history::hourly_rates(&estimate);
        environments.push(history::env_saving(env, &downs, &rates, &estimate, window));
        warnings.extend(super::finish(a));
    }
    let actual = Actual::new(display_path(&path), window, environments);
    match args.format {
        CostFormat::Json => out.json(&actual),
        CostFormat::Table => out.line(history::text(&actual)),
        other => {
            return Err(Error::Usage {
                flag: "--format",
                value: clap::ValueEnum::to_possible_value(&other)
                    .map_or_else(String::new, |v| v.get_name().to_string()),
                message: "--actual prints a table or JSON".into(),
                help: Some("pass --format table or --format json".into()),
            })
        }
    }
    Ok((Exit::Ok, warnings))
}

/// The history's lines; a missing file says where `up`/`down` write it.
fn read(path: &std::path::Path) -> Result<Vec<history::Dated>, Error> {
    if !path.exists() {
        return Err(Error::Refused {
            message: format!("no history at {}", display_path(path)),
            help: Some(
                "`tfscope up` and `tfscope down` append a line there for each phase they run; pass --history FILE to read another file".into(),
            ),
        });
    }
    let text = crate::error::read_file(path)?;
    history::parse(path, &text)
}
