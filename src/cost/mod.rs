//! Cost reports: what each scope costs per month, offline, and what tearing the later scopes
//! down on a schedule saves. Prices and their quantity expressions ([`price`]), schedules
//! ([`schedule`], from a calendar in a time zone: [`crate::calendar`]), the per-instance arguments
//! prices read ([`evaluate`]), the region each instance is priced in ([`region`]), usage values
//! per type and address ([`usage`]), the estimate ([`estimate`]) and its reports ([`render`]);
//! [`estimate_root`] runs them for an analysis.

pub mod coverage;
pub mod estimate;
pub mod evaluate;
pub mod history;
pub mod infracost;
pub mod price;
pub mod region;
pub mod render;
pub mod schedule;
pub mod usage;

use std::collections::BTreeSet;
use std::path::Path;

use crate::analysis::Analysis;
use crate::classify::config::ScopeId;
use crate::error::{read_file, Error};
use estimate::Estimate;
use price::PriceList;
use schedule::Schedule;
use usage::Usage;

/// Hours in a billing month, as cloud price pages count them.
pub const HOURS_PER_MONTH: f64 = 730.0;

/// What `tfscope cost` was asked, beside the analysis.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options<'a> {
    pub env: Option<&'a str>,
    /// Schedules as written: a `schedule` block's name, a built-in name or `NAME=HOURS`; empty:
    /// the built-in ones.
    pub schedules: &'a [String],
    /// The year whose months a `schedule` block's hours average (default: this year).
    pub year: Option<i16>,
    /// The first scope a schedule takes down (default: the catalog's runtime scope).
    pub down: Option<&'a str>,
    /// A price file that extends (and overrides) the built-in prices.
    pub prices: Option<&'a Path>,
    /// Usage values per type or address (`gb_processed`, ...).
    pub usage: Option<&'a Path>,
}

/// The first scope schedules tear down: `--down NAME`, else the scope of the `schedule` block
/// among `schedules`, else where catalog runtime types land.
pub fn down_scope(
    a: &Analysis,
    down: Option<&str>,
    schedules: &[String],
) -> Result<ScopeId, Error> {
    let declared = schedules.iter().find_map(|s| a.config.schedule(s));
    match (down, declared) {
        (Some(name), _) => a.config.require_scope(name),
        (None, Some(schedule)) => Ok(schedule.scope),
        (None, None) => Ok(a.config.catalog_runtime),
    }
}

/// The estimate for an analysed root: prices (built-in plus `--prices`), usage, schedules, and
/// every priced instance evaluated with the environment's variables. The evaluated instances
/// come back too, so that a command about to exit can leave them to the operating system.
pub fn estimate_root(
    a: &Analysis,
    options: Options<'_>,
) -> Result<(Estimate, evaluate::Evaluator), Error> {
    let mut catalog = PriceList::builtin();
    if let Some(p) = options.prices {
        catalog.extend(PriceList::parse(p, &read_file(p)?)?);
    }
    let usage = match options.usage {
        Some(p) => Usage::parse(p, &read_file(p)?)?,
        None => Usage::default(),
    };
    let schedules = schedules(a, &options)?;
    let down_from = down_scope(a, options.down, options.schedules)?;
    let types: BTreeSet<String> = catalog
        .entries
        .iter()
        .map(|e| e.resource_type.clone())
        .collect();
    let evaluated = evaluate::Evaluator::run(&a.loaded, a.var_file.as_deref(), &types)?;
    let request = estimate::Request {
        prices: &catalog,
        usage: &usage,
        schedules: &schedules,
        down_from,
        env: options.env.map(str::to_string),
    };
    let mut estimate = estimate::estimate(
        &a.graph,
        &a.class,
        &evaluated.instances,
        &evaluated.uncounted,
        request,
    );
    estimate
        .assumptions
        .extend(schedules.iter().filter_map(Schedule::describe));
    Ok((estimate, evaluated))
}

/// The schedules a report compares. A `schedule` block applies only to the environments it
/// lists, and blocks that take down different scopes (or another than `--down`) cannot share
/// one report.
fn schedules(a: &Analysis, options: &Options<'_>) -> Result<Vec<Schedule>, Error> {
    if options.schedules.is_empty() {
        return Ok(Schedule::builtin());
    }
    let mut out = vec![Schedule::always()];
    let mut scope: Option<ScopeId> = options
        .down
        .map(|d| a.config.require_scope(d))
        .transpose()?;
    for spec in options.schedules {
        let wrong = |message: String, help: String| Error::Usage {
            flag: "--schedule",
            value: spec.clone(),
            message,
            help: Some(help),
        };
        let Some(declared) = a.config.schedule(spec) else {
            let parsed = Schedule::parse(spec).map_err(|m| {
                wrong(m, "`tfscope cost --help` lists the built-in schedules; tfscope.hcl may declare more".into())
            })?;
            out.push(parsed);
            continue;
        };
        if let Some(env) = options
            .env
            .filter(|e| !declared.environments.iter().any(|d| d == e))
        {
            return Err(wrong(
                format!("schedule {spec:?} never takes environment {env:?} down"),
                format!("it runs for: {}", declared.environments.join(", ")),
            ));
        }
        if scope.is_some_and(|s| s != declared.scope) {
            return Err(wrong(
                format!(
                    "schedule {spec:?} takes {} down, not the scope of --down or the other schedules",
                    a.config.scopes[declared.scope.index()]
                ),
                "compare schedules of one scope per report".into(),
            ));
        }
        scope = Some(declared.scope);
        let year = options.year.unwrap_or_else(|| {
            jiff::Timestamp::now()
                .to_zoned(declared.calendar.zone.clone())
                .year()
        });
        out.push(
            Schedule::from_calendar(declared, year).map_err(|m| wrong(m, "pass --year".into()))?,
        );
    }
    Ok(out)
}
