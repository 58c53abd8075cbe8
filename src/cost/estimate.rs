//! A cost estimate: every evaluated resource instance priced by the catalog, totals per scope,
//! and for each schedule the monthly total and the savings against always-on. A schedule only
//! shortens the hours of the scopes it tears down (`down_from` and later); everything else stays
//! on. Whatever cannot be priced (unknown inputs, types not in the catalog) is listed, never
//! counted as zero.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::evaluate::{Instance, Uncounted};
use super::price::{Entry, InstanceContext, PriceList};
use super::region::{self, Basis};
use super::schedule::Schedule;
use super::usage::Usage;
use super::HOURS_PER_MONTH;
use crate::classify::config::ScopeId;
use crate::classify::Classification;
use crate::graph::{ResourceGraph, UnitKind};

#[derive(Debug, Clone, Serialize)]
pub struct Component {
    pub name: String,
    pub unit: String,
    pub quantity: f64,
    /// The unit price in the resource's region.
    pub price: f64,
    pub monthly: f64,
    /// Scales with the hours the resource is up.
    #[serde(skip)]
    hourly: bool,
    /// How `price` was chosen for the region.
    #[serde(skip)]
    basis: Basis,
}

impl Component {
    /// Whether it scales with the hours the resource is up (what schedules shorten).
    pub fn hourly(&self) -> bool {
        self.hourly
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ResourceCost {
    pub address: String,
    pub scope: String,
    /// The region it is priced in; `null`: none set, the prices' base region.
    pub region: Option<String>,
    /// How its prices were chosen for the region (its least exact component): `exact`,
    /// `global`, `factor 1.08`, `base: no figure for REGION` or `base: no region set`.
    pub region_basis: String,
    pub monthly: f64,
    /// `monthly` before rounding, so that totals over resources (the graph's per scope) add
    /// up to the report's.
    #[serde(skip)]
    pub monthly_exact: f64,
    pub components: Vec<Component>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ScopeCost {
    pub scope: String,
    pub monthly: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ScheduleCost {
    pub name: String,
    pub up_hours_per_month: f64,
    pub monthly: f64,
    pub savings: f64,
    pub savings_pct: f64,
    /// Monthly cost per scope under this schedule.
    pub scopes: Vec<ScopeCost>,
    /// A `schedule` block's calendar: zone, times and each month's up-hours.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub calendar: Option<super::schedule::CalendarHours>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Unpriced {
    pub address: String,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Estimate {
    pub currency: &'static str,
    pub env: Option<String>,
    /// Always-on monthly total.
    pub monthly: f64,
    pub scopes: Vec<ScopeCost>,
    pub resources: Vec<ResourceCost>,
    pub unpriced: Vec<Unpriced>,
    pub schedules: Vec<ScheduleCost>,
    /// What the figures take for granted.
    pub assumptions: Vec<String>,
}

pub struct Request<'a> {
    pub prices: &'a PriceList,
    pub usage: &'a Usage,
    pub schedules: &'a [Schedule],
    /// First scope that schedules tear down.
    pub down_from: ScopeId,
    pub env: Option<String>,
}

fn round(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// One priced component of an instance, kept to re-price it under each schedule.
struct Priced<'a> {
    scope: ScopeId,
    component: Component,
    instance: &'a Instance,
    entry: &'a Entry,
}

pub fn estimate(
    graph: &ResourceGraph,
    class: &Classification,
    instances: &[Instance],
    uncounted: &[Uncounted],
    request: Request<'_>,
) -> Estimate {
    let mut unpriced: Vec<Unpriced> = uncounted
        .iter()
        .map(|u| Unpriced {
            address: u.config_address.clone(),
            reason: u.reason.clone(),
        })
        .collect();
    let mut resources = Vec::new();
    let mut priced: Vec<Priced> = Vec::new();
    for inst in instances {
        let Some(scope) = graph
            .find(&inst.config_address)
            .map(|u| class.units[u].scope)
        else {
            continue;
        };
        let components = price_instance(inst, scope, &request, &mut priced, &mut unpriced);
        if components.is_empty() {
            continue;
        }
        resources.push(resource_cost(inst, class.scopes[scope].clone(), components));
    }
    unpriced.extend(unlisted_types(graph, request.prices));
    let totals = |hours_for: &dyn Fn(ScopeId) -> f64| {
        per_scope(&priced, class.scopes.len(), request.usage, hours_for)
    };
    let always = totals(&|_| HOURS_PER_MONTH);
    let always_total: f64 = always.iter().sum();
    let schedules = request
        .schedules
        .iter()
        .map(|s| {
            let hours = s.hours_per_month();
            let scaled = totals(&|scope| {
                if scope >= request.down_from {
                    hours
                } else {
                    HOURS_PER_MONTH
                }
            });
            schedule_cost(s, hours, &scaled, always_total, class)
        })
        .collect();
    Estimate {
        currency: "USD",
        env: request.env,
        monthly: round(always_total),
        scopes: named(class, &always),
        resources,
        unpriced,
        schedules,
        assumptions: assumptions(
            &priced,
            instances,
            request.usage,
            down_from_name(class, request.down_from),
        ),
    }
}

/// An instance's priced components as the report shows them: rounded, with its region and how
/// its least exact component was priced there.
fn resource_cost(inst: &Instance, scope: String, components: Vec<Component>) -> ResourceCost {
    let basis = components
        .iter()
        .map(|c| &c.basis)
        .fold(&Basis::Global, |a, b| if b > a { b } else { a });
    ResourceCost {
        address: inst.address.clone(),
        scope,
        region: inst.region.clone(),
        region_basis: basis.describe(inst.region.as_deref()),
        monthly: round(components.iter().map(|c| c.monthly).sum()),
        monthly_exact: components.iter().map(|c| c.monthly).sum(),
        components: components
            .into_iter()
            .map(|mut c| {
                c.monthly = round(c.monthly);
                c
            })
            .collect(),
    }
}

/// Prices one instance with every catalog entry of its type: the components that match, kept
/// in `priced` too, and what could not be priced in `unpriced`.
fn price_instance<'a>(
    inst: &'a Instance,
    scope: ScopeId,
    request: &Request<'a>,
    priced: &mut Vec<Priced<'a>>,
    unpriced: &mut Vec<Unpriced>,
) -> Vec<Component> {
    let usage = request
        .usage
        .for_instance(&inst.address, &inst.resource_type);
    let mut prices = InstanceContext::new(&inst.args, &inst.refs, &usage);
    let mut components = Vec::new();
    // One unpriced line per component, however many class-specific entries failed.
    let mut failed: BTreeMap<&str, String> = BTreeMap::new();
    let mut matched: BTreeSet<&str> = BTreeSet::new();
    let mut entries = request.prices.for_type(&inst.resource_type).peekable();
    let primary = entries.peek().map(|e| e.component.as_str());
    for entry in entries {
        match prices.evaluate(entry, HOURS_PER_MONTH) {
            Ok(Some(p)) => {
                // Hourly when the quantity changes with the hours.
                let hourly = prices
                    .evaluate(entry, HOURS_PER_MONTH / 2.0)
                    .ok()
                    .flatten()
                    .is_some_and(|half| (half.quantity - p.quantity).abs() > 1e-12);
                let (price, basis) =
                    region::price_in(entry, inst.region.as_deref(), &request.prices.regions);
                let component = Component {
                    name: entry.component.clone(),
                    unit: entry.unit.clone(),
                    quantity: p.quantity,
                    price,
                    monthly: p.quantity * price,
                    hourly,
                    basis,
                };
                priced.push(Priced {
                    scope,
                    component: component.clone(),
                    instance: inst,
                    entry,
                });
                components.push(component);
                matched.insert(&entry.component);
            }
            Ok(None) => {}
            Err(reason) => {
                failed.entry(&entry.component).or_insert(reason);
            }
        }
    }
    for (component, reason) in &failed {
        if !matched.contains(component) {
            unpriced.push(Unpriced {
                address: inst.address.clone(),
                reason: format!("{component}: {reason}"),
            });
        }
    }
    // The type's main component matched no entry: e.g. an instance class the catalog lacks.
    if let Some(p) = primary.filter(|p| !matched.contains(p) && !failed.contains_key(p)) {
        unpriced.push(Unpriced {
            address: inst.address.clone(),
            reason: format!(
                "{p}: no price matches its arguments (class or type not in the catalog)"
            ),
        });
    }
    components
}

/// Managed resources whose type has no price at all, one line per type: left unpriced on
/// purpose (with the price list's reason), or a type the price list does not know.
fn unlisted_types(graph: &ResourceGraph, catalog: &PriceList) -> Vec<Unpriced> {
    let mut missing: BTreeMap<&str, usize> = BTreeMap::new();
    for u in graph.units.iter().filter(|u| u.kind == UnitKind::Managed) {
        let known = catalog.for_type(&u.resource_type).next().is_some()
            || catalog.free.contains(&u.resource_type);
        if !known {
            *missing.entry(u.resource_type.as_str()).or_default() += 1;
        }
    }
    missing
        .into_iter()
        .map(|(t, n)| Unpriced {
            address: t.to_string(),
            reason: match catalog.unpriced.get(t) {
                Some(why) => format!("{n} resource(s) not priced: {why}; not counted"),
                None => format!(
                    "{n} resource(s) of a type the price catalog does not list; not counted"
                ),
            },
        })
        .collect()
}

/// Monthly totals per scope when each scope is up `hours_for(scope)` hours: hourly components
/// re-priced for those hours, the rest as they are.
fn per_scope(
    priced: &[Priced],
    scopes: usize,
    usage: &Usage,
    hours_for: &dyn Fn(ScopeId) -> f64,
) -> Vec<f64> {
    let mut totals = vec![0.0; scopes];
    // The components of one instance are adjacent: one context serves them all.
    let mut current: Option<(&Instance, InstanceContext)> = None;
    for p in priced {
        let monthly = if p.component.hourly {
            let prices = match &mut current {
                Some((i, prices)) if std::ptr::eq(*i, p.instance) => prices,
                _ => {
                    let inst = p.instance;
                    let usage = usage.for_instance(&inst.address, &inst.resource_type);
                    let prices = InstanceContext::new(&inst.args, &inst.refs, &usage);
                    &mut current.insert((inst, prices)).1
                }
            };
            prices
                .evaluate(p.entry, hours_for(p.scope))
                .ok()
                .flatten()
                .map_or(p.component.monthly, |q| q.quantity * p.component.price)
        } else {
            p.component.monthly
        };
        totals[p.scope] += monthly;
    }
    totals
}

/// One schedule's totals against always-on.
fn schedule_cost(
    schedule: &Schedule,
    hours: f64,
    totals: &[f64],
    always_total: f64,
    class: &Classification,
) -> ScheduleCost {
    let total: f64 = totals.iter().sum();
    let savings = always_total - total;
    ScheduleCost {
        name: schedule.name.clone(),
        up_hours_per_month: round(hours),
        monthly: round(total),
        savings: round(savings),
        savings_pct: if always_total > 0.0 {
            round(100.0 * savings / always_total)
        } else {
            0.0
        },
        scopes: named(class, totals),
        calendar: schedule.calendar.clone(),
    }
}

/// Totals with their scope names.
fn named(class: &Classification, totals: &[f64]) -> Vec<ScopeCost> {
    class
        .scopes
        .iter()
        .zip(totals)
        .map(|(s, m)| ScopeCost {
            scope: s.clone(),
            monthly: round(*m),
        })
        .collect()
}

fn down_from_name(class: &Classification, k: ScopeId) -> String {
    class.scopes.get(k.index()).cloned().unwrap_or_default()
}

/// What the figures take for granted: the regions priced and how, where usage values come from
/// (and the usage file's keys that matched nothing), and what schedules scale.
fn assumptions(
    priced: &[Priced],
    instances: &[Instance],
    usage: &Usage,
    down: String,
) -> Vec<String> {
    let mut regions = region::Tally::default();
    for p in priced {
        regions.add(p.entry, p.instance.region.as_deref(), &p.component.basis);
    }
    let unused = usage.unmatched(
        instances
            .iter()
            .map(|i| (i.address.as_str(), i.resource_type.as_str())),
    );
    let mut out = vec![
        regions.describe(),
        if usage.is_empty() {
            "usage-based parts use the catalog's documented defaults (pass --usage to set yours)"
                .into()
        } else {
            format!(
                "usage values from the usage file for: {}",
                usage.keys().collect::<Vec<_>>().join(", ")
            )
        },
    ];
    if !unused.is_empty() {
        let keys: Vec<String> = unused.iter().map(|k| format!("{k:?}")).collect();
        out.push(format!(
            "warning: the usage file's {} match{} no priced resource in this environment; not used",
            keys.join(", "),
            if unused.len() == 1 { "es" } else { "" }
        ));
    }
    out.push(format!("schedules tear down {down} and later scopes and scale only hourly components; 730 hours a month"));
    out
}

#[cfg(test)]
mod tests {
    //! A whole estimate checked by hand: scopes, schedules and savings.

    use super::*;
    use std::collections::BTreeSet;

    const PRICES: &str = r#"
[[price]]
type = "aws_nat_gateway"
component = "gateway hours"
unit = "hour"
price = 0.045
region = "us-east-1"
source = "test"
date = "2025-06"
quantity = "hours"

[[price]]
type = "aws_nat_gateway"
component = "data processed"
unit = "GB"
price = 0.045
region = "us-east-1"
source = "test"
date = "2025-06"
quantity = "usage.gb_processed"
usage = { gb_processed = 100 }

[[price]]
type = "aws_ecs_service"
component = "Fargate vCPU"
unit = "vCPU-hour"
price = 0.04048
region = "us-east-1"
source = "test"
date = "2025-06"
quantity = "hours * self.desired_count * tonumber(refs.task_definition.cpu) / 1024"

[[price]]
type = "aws_route53_zone"
component = "hosted zone"
unit = "month"
price = 0.5
region = "global"
source = "test"
date = "2025-06"
quantity = "1"
"#;

    #[test]
    fn scopes_schedules_and_savings_by_hand() {
        let files = [(
            "main.tf",
            r#"
resource "aws_nat_gateway" "nat" {}
resource "aws_route53_zone" "z" {}
resource "aws_ecs_task_definition" "t" {
  cpu = "1024"
}
resource "aws_ecs_service" "s" {
  task_definition = aws_ecs_task_definition.t.arn
  desired_count   = 2
}
resource "aws_ecs_service" "unknown" {
  desired_count = aws_nat_gateway.nat.id
}
resource "aws_iam_role" "r" {}
"#,
        )];
        let (graph, class) = crate::testing::analyse(&files, "");
        let tmp = crate::testing::tree(&files);
        let config = crate::load::load(tmp.path()).unwrap();
        let catalog = PriceList::parse(std::path::Path::new("p"), PRICES).unwrap();
        let types: BTreeSet<String> = catalog
            .entries
            .iter()
            .map(|e| e.resource_type.clone())
            .collect();
        let ev = super::super::evaluate::Evaluator::run(&config, None, &types).unwrap();
        let schedules = vec![Schedule::always(), Schedule::parse("nights").unwrap()];
        let usage = Usage::default();
        let e = estimate(
            &graph,
            &class,
            &ev.instances,
            &ev.uncounted,
            Request {
                prices: &catalog,
                usage: &usage,
                schedules: &schedules,
                down_from: crate::classify::config::ScopeId::at(1),
                env: None,
            },
        );
        // base: NAT 32.85 + 4.50 data + zone 0.50 = 37.85; runtime: 2 tasks x 1 vCPU x 730 h x 0.04048 = 59.1008
        assert_eq!(e.scopes[0].monthly, 37.85);
        assert_eq!(e.scopes[1].monthly, 59.1);
        assert_eq!(e.schedules[0].monthly, 96.95);
        assert_eq!(e.monthly, 96.95);
        assert_eq!(e.schedules[0].savings, 0.0);
        // nights: runtime at 365 h: 29.5504; base unchanged.
        assert_eq!(e.schedules[1].monthly, 67.40);
        assert_eq!(e.schedules[1].savings, 29.55);
        assert_eq!(e.schedules[1].savings_pct, 30.48);
        let reasons: Vec<String> = e
            .unpriced
            .iter()
            .map(|u| format!("{}: {}", u.address, u.reason))
            .collect();
        assert!(
            reasons
                .iter()
                .any(|r| r.starts_with("aws_ecs_service.unknown: Fargate vCPU: quantity")),
            "{reasons:?}"
        );
        assert!(
            reasons
                .iter()
                .any(|r| r.starts_with("aws_iam_role: 1 resource(s)")),
            "{reasons:?}"
        );
    }

    // Schedules re-price hourly components: with a regional price they must use it, not the
    // base region's.
    #[test]
    fn schedules_reprice_with_the_regional_price() {
        let files = [(
            "main.tf",
            r#"
provider "aws" {
  region = "eu-west-1"
}
resource "aws_ecs_task_definition" "t" {
  cpu = "1024"
}
resource "aws_ecs_service" "s" {
  task_definition = aws_ecs_task_definition.t.arn
  desired_count   = 1
}
"#,
        )];
        let (graph, class) = crate::testing::analyse(&files, "");
        let tmp = crate::testing::tree(&files);
        let config = crate::load::load(tmp.path()).unwrap();
        let prices = PRICES.replace(
            "quantity = \"hours * self.desired_count",
            "regional = { \"eu-west-1\" = 0.05 }\nquantity = \"hours * self.desired_count",
        );
        let catalog = PriceList::parse(std::path::Path::new("p"), &prices).unwrap();
        let types: BTreeSet<String> = ["aws_ecs_service".to_string()].into();
        let ev = super::super::evaluate::Evaluator::run(&config, None, &types).unwrap();
        let schedules = vec![Schedule::always(), Schedule::parse("nights").unwrap()];
        let usage = Usage::default();
        let e = estimate(
            &graph,
            &class,
            &ev.instances,
            &ev.uncounted,
            Request {
                prices: &catalog,
                usage: &usage,
                schedules: &schedules,
                down_from: crate::classify::config::ScopeId::at(1),
                env: None,
            },
        );
        let r = &e.resources[0];
        assert_eq!(
            (r.region.as_deref(), r.region_basis.as_str()),
            (Some("eu-west-1"), "exact")
        );
        assert_eq!(r.components[0].price, 0.05);
        // 1 vCPU x 730 h x $0.05 = 36.50; at night 365 h: 18.25.
        assert_eq!(e.monthly, 36.5);
        assert_eq!(e.schedules[1].monthly, 18.25);
        assert!(
            e.assumptions[0].contains("eu-west-1: exact for 1 component"),
            "{:?}",
            e.assumptions
        );
    }
}
