//! An infracost usage file for a schedule: infracost prices a running resource at 730 hours a
//! month, and its usage file (YAML, `version: 0.1`, `resource_usage:` keyed by Terraform
//! address) is where hours are told otherwise. tfscope writes the hours a schedule leaves the
//! torn-down scopes up (`monthly_hrs: 365` for `nights`) for each of their hourly resources,
//! so `infracost breakdown --usage-file` prices the schedule too.
//!
//! Only the types infracost reads hours for get a key ([`data/infracost/usage-hours.toml`],
//! with its source); other hourly resources of those scopes are listed as comments, since
//! infracost would ignore the key. Resources of the scopes that stay on are left out: 730 hours
//! is infracost's default. Owns the choice of resources and the YAML; the estimate is
//! `estimate`'s and the schedules `schedule`'s.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::estimate::{Estimate, ScheduleCost};
use super::HOURS_PER_MONTH;
use crate::error::Error;
use crate::load::address::parse_address;

/// The data list: resource type, usage key, where infracost declares it.
const DATA: &str = include_str!("../../data/infracost/usage-hours.toml");

#[derive(Debug, Deserialize)]
struct DataFile {
    #[serde(rename = "type")]
    types: Vec<HoursKey>,
}

/// One resource type infracost reads run hours for.
#[derive(Debug, Clone, Deserialize)]
pub struct HoursKey {
    #[serde(rename = "type")]
    pub resource_type: String,
    /// The usage key, dotted when nested (`default_node_pool.monthly_hrs`).
    pub key: String,
    pub source: String,
}

/// Resource type → the usage key infracost reads its monthly hours from.
pub fn hours_keys() -> BTreeMap<String, String> {
    let file: DataFile = toml::from_str(DATA).expect("data/infracost/usage-hours.toml parses");
    file.types
        .into_iter()
        .map(|k| (k.resource_type, k.key))
        .collect()
}

/// What goes into the file.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct UsageFile {
    pub schedule: String,
    pub hours: f64,
    /// The scopes the schedule tears down, in order.
    pub torn_down: Vec<String>,
    /// `(address, key)`: the resources that get the hours.
    pub entries: Vec<(String, String)>,
    /// `(address, type)`: hourly resources of the torn-down scopes infracost reads no hours for.
    pub skipped: Vec<(String, String)>,
}

/// The schedule whose hours go into the file: the first one that tears something down. More
/// than one asked for, or none that tears anything down, is a usage error.
pub fn pick_schedule<'e>(
    estimate: &'e Estimate,
    asked: &[String],
) -> Result<&'e ScheduleCost, Error> {
    let tearing: Vec<&ScheduleCost> = estimate
        .schedules
        .iter()
        .filter(|s| s.up_hours_per_month < HOURS_PER_MONTH)
        .collect();
    let usage = |message: &str| {
        Error::Usage {
        flag: "--schedule",
        value: asked.join(", "),
        message: message.to_string(),
        help: Some(
            "pass one schedule that tears scopes down: --schedule nights (or weekends, office-hours, NAME=HOURS)"
                .into(),
        ),
    }
    };
    match tearing.as_slice() {
        [] => Err(usage(
            "--format infracost-usage needs a schedule that tears scopes down",
        )),
        [_, _, ..] if asked.len() > 1 => Err(usage(
            "--format infracost-usage writes the hours of one schedule",
        )),
        [first, ..] => Ok(first),
    }
}

/// The file for `schedule`: every resource of `resources` (`(address, scope, hourly)`) in a
/// torn-down scope with an hourly component, keyed when infracost reads its hours.
pub fn usage_file<'r>(
    resources: impl IntoIterator<Item = (&'r str, &'r str, bool)>,
    torn_down: &[String],
    schedule: &ScheduleCost,
) -> UsageFile {
    let keys = hours_keys();
    let mut file = UsageFile {
        schedule: schedule.name.clone(),
        hours: schedule.up_hours_per_month,
        torn_down: torn_down.to_vec(),
        ..UsageFile::default()
    };
    for (address, scope, hourly) in resources {
        if !hourly || !torn_down.iter().any(|s| s == scope) {
            continue;
        }
        let Some((_, Some((_, kind, _)))) = parse_address(address) else {
            continue;
        };
        match keys.get(&kind) {
            Some(key) => file.entries.push((address.to_string(), key.clone())),
            None => file.skipped.push((address.to_string(), kind)),
        }
    }
    file
}

/// The resources of an estimate as [`usage_file`] takes them.
pub fn resources(estimate: &Estimate) -> impl Iterator<Item = (&str, &str, bool)> {
    estimate.resources.iter().map(|r| {
        let hourly = r.components.iter().any(|c| c.hourly());
        (r.address.as_str(), r.scope.as_str(), hourly)
    })
}

/// A YAML scalar for a key: a JSON string is a valid YAML double-quoted scalar.
fn quoted(s: &str) -> String {
    serde_json::to_string(s).expect("a string serializes")
}

/// The usage file as YAML.
pub fn render(file: &UsageFile) -> String {
    let mut out = format!(
        "# infracost usage file written by tfscope {} (tfscope cost --format infracost-usage)\n\
         # schedule {}: {} up {} h a month; earlier scopes stay on (infracost's default, 730 h)\n\
         # infracost breakdown --path DIR --usage-file THIS_FILE\n\
         version: 0.1\n",
        env!("CARGO_PKG_VERSION"),
        file.schedule,
        file.torn_down.join(", "),
        file.hours
    );
    if file.entries.is_empty() {
        out.push_str("resource_usage: {}\n");
    } else {
        out.push_str("resource_usage:\n");
    }
    for (address, key) in &file.entries {
        out.push_str(&format!("  {}:\n", quoted(address)));
        let path: Vec<&str> = key.split('.').collect();
        for (depth, part) in path.iter().enumerate() {
            let indent = "  ".repeat(depth + 2);
            if depth + 1 == path.len() {
                out.push_str(&format!("{indent}{part}: {}\n", file.hours));
            } else {
                out.push_str(&format!("{indent}{part}:\n"));
            }
        }
    }
    for (address, kind) in &file.skipped {
        out.push_str(&format!(
            "# {address}: hourly, but infracost reads no hours for {kind} (it prices 730 h)\n"
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    //! Which resources get hours, and the YAML they are written as.

    use super::*;

    fn nights() -> ScheduleCost {
        ScheduleCost {
            name: "nights".into(),
            up_hours_per_month: 365.0,
            monthly: 0.0,
            savings: 0.0,
            savings_pct: 0.0,
            scopes: Vec::new(),
            calendar: None,
        }
    }

    #[test]
    fn the_schedule_is_the_first_that_tears_something_down_and_only_one() {
        let always = ScheduleCost {
            name: "always".into(),
            up_hours_per_month: 730.0,
            ..nights()
        };
        let weekends = ScheduleCost {
            name: "weekends".into(),
            up_hours_per_month: 521.43,
            ..nights()
        };
        let estimate = |schedules: Vec<ScheduleCost>| Estimate {
            currency: "USD",
            env: None,
            monthly: 0.0,
            scopes: Vec::new(),
            resources: Vec::new(),
            unpriced: Vec::new(),
            schedules,
            assumptions: Vec::new(),
        };
        let builtin = estimate(vec![always.clone(), nights(), weekends.clone()]);
        assert_eq!(pick_schedule(&builtin, &[]).unwrap().name, "nights");
        let two = ["nights".to_string(), "weekends".to_string()];
        let err = pick_schedule(&builtin, &two).unwrap_err().to_string();
        assert!(err.contains("one schedule"), "{err}");
        let only_always = estimate(vec![always.clone(), always]);
        let err = pick_schedule(&only_always, &["always".into()]).unwrap_err();
        assert!(err.to_string().contains("tears scopes down"), "{err}");
    }

    #[test]
    fn the_data_list_names_its_sources_and_the_keys_infracost_reads() {
        let file: DataFile = toml::from_str(DATA).unwrap();
        assert!(file
            .types
            .iter()
            .all(|k| k.source.starts_with("internal/resources/")));
        let keys = hours_keys();
        assert_eq!(keys["aws_instance"], "monthly_hrs");
        assert_eq!(
            keys["azurerm_kubernetes_cluster"],
            "default_node_pool.monthly_hrs"
        );
        assert!(
            !keys.contains_key("aws_ecs_service"),
            "infracost reads no hours for it"
        );
    }

    #[test]
    fn only_hourly_resources_of_torn_down_scopes_get_hours_and_the_yaml_is_keyed_by_address() {
        let resources = [
            ("aws_instance.bastion", "base", true),
            (r#"module.svc["api"].aws_instance.this[0]"#, "runtime", true),
            ("aws_kubernetes_cluster_node_pool.x", "runtime", false),
            ("azurerm_kubernetes_cluster.k", "runtime", true),
            (r#"module.svc["api"].aws_ecs_service.this"#, "runtime", true),
        ];
        let file = usage_file(resources, &["runtime".to_string()], &nights());
        assert_eq!(
            file.entries,
            [
                (
                    r#"module.svc["api"].aws_instance.this[0]"#.to_string(),
                    "monthly_hrs".to_string()
                ),
                (
                    "azurerm_kubernetes_cluster.k".to_string(),
                    "default_node_pool.monthly_hrs".to_string()
                ),
            ]
        );
        assert_eq!(
            file.skipped,
            [(
                r#"module.svc["api"].aws_ecs_service.this"#.to_string(),
                "aws_ecs_service".to_string()
            )]
        );
        let yaml = render(&file);
        let body: Vec<&str> = yaml.lines().skip_while(|l| l.starts_with('#')).collect();
        assert_eq!(
            body,
            [
                "version: 0.1",
                "resource_usage:",
                r#"  "module.svc[\"api\"].aws_instance.this[0]":"#,
                "    monthly_hrs: 365",
                r#"  "azurerm_kubernetes_cluster.k":"#,
                "    default_node_pool:",
                "      monthly_hrs: 365",
                r#"# module.svc["api"].aws_ecs_service.this: hourly, but infracost reads no hours for aws_ecs_service (it prices 730 h)"#,
            ]
        );
        let empty = render(&UsageFile::default());
        assert!(empty.contains("\nresource_usage: {}\n"), "{empty}");
    }
}
