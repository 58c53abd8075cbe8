//! Cost reports: what each scope costs per month, offline, and what tearing the later scopes
//! down on a schedule saves. Prices and their quantity expressions ([`price`]), schedules
//! ([`schedule`], and as a calendar in a time zone: [`calendar`]), the per-instance arguments
//! prices read ([`evaluate`]), the estimate ([`estimate`]) and its reports ([`render`]);
//! [`estimate_root`] runs them for an analysis.

pub mod calendar;
pub mod coverage;
pub mod estimate;
pub mod evaluate;
pub mod history;
pub mod infracost;
pub mod price;
pub mod render;
pub mod schedule;

use std::collections::BTreeSet;
use std::path::Path;

use crate::analysis::Analysis;
use crate::classify::config::ScopeId;
use crate::error::{read_file, Error};
use estimate::{Estimate, Usage};
use price::PriceList;
use schedule::Schedule;

/// Hours in a billing month, as cloud price pages count them.
pub const HOURS_PER_MONTH: f64 = 730.0;

/// What `tfscope cost` was asked, beside the analysis.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options<'a> {
    pub env: Option<&'a str>,
    /// Schedules as written (`weekdays=12x5`); empty: the built-in ones.
    pub schedules: &'a [String],
    /// The first scope a schedule takes down (default: the catalog's runtime scope).
    pub down: Option<&'a str>,
    /// A price file that extends (and overrides) the built-in prices.
    pub prices: Option<&'a Path>,
    /// Usage quantities per type (`gb_processed`, ...).
    pub usage: Option<&'a Path>,
}

/// The first scope schedules tear down: `--down NAME`, else where catalog runtime types land.
pub fn down_scope(a: &Analysis, down: Option<&str>) -> Result<ScopeId, Error> {
    match down {
        Some(name) => a.config.require_scope(name),
        None => Ok(a.config.catalog_runtime),
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
    let usage: Usage = match options.usage {
        Some(p) => {
            let text = read_file(p)?;
            toml::from_str(&text).map_err(|e| {
                let help = "per resource type: `[aws_nat_gateway]` then `gb_processed = 500`";
                Error::input(
                    p,
                    &text,
                    e.span(),
                    e.message().to_string(),
                    Some(help.into()),
                )
            })?
        }
        None => Default::default(),
    };
    let schedules: Vec<Schedule> = if options.schedules.is_empty() {
        Schedule::builtin()
    } else {
        let parsed: Result<Vec<Schedule>, Error> = options
            .schedules
            .iter()
            .map(|s| {
                Schedule::parse(s).map_err(|message| Error::Usage {
                    flag: "--schedule",
                    value: s.clone(),
                    message,
                    help: Some("`tfscope cost --help` lists the built-in schedules".into()),
                })
            })
            .collect();
        std::iter::once(Schedule::always()).chain(parsed?).collect()
    };
    let down_from = down_scope(a, options.down)?;
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
    let estimate = estimate::estimate(
        &a.graph,
        &a.class,
        &evaluated.instances,
        &evaluated.uncounted,
        request,
    );
    Ok((estimate, evaluated))
}
