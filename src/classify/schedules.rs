//! `schedule "NAME" { ... }` blocks of `tfscope.hcl`: when a scope of some environments goes down
//! and comes back up, as weekly times in a time zone with holidays. Owns reading and checking
//! the block (every mistake at its line and column); the calendar arithmetic is
//! [`crate::calendar`], pricing is `cost`, and the CI definition is `output`.

use std::collections::BTreeSet;

use hcl_edit::structure::{Attribute, Block};
use hcl_edit::Span;

use super::config::{Config, Reader, ScopeId};
use crate::calendar::{Calendar, Weekly};
use crate::error::{Error, Location};

const KEYS: &[&str] = &[
    "timezone",
    "down",
    "up",
    "holidays",
    "environments",
    "scope",
];

/// One `schedule` block.
#[derive(Debug, Clone)]
pub struct Schedule {
    pub name: String,
    pub location: Location,
    /// The IANA zone as written (`Europe/Berlin`).
    pub timezone: String,
    /// `down` and `up` as written (`Mon-Fri 19:00`).
    pub down: String,
    pub up: String,
    pub calendar: Calendar,
    /// The only environments it runs for.
    pub environments: Vec<String>,
    /// The scope its `down` destroys (later scopes go with it) and its `up` applies.
    pub scope: ScopeId,
}

impl Config {
    /// The schedule called `name`.
    pub fn schedule(&self, name: &str) -> Option<&Schedule> {
        self.schedules.iter().find(|s| s.name == name)
    }
}

impl Reader<'_> {
    /// One `schedule "NAME"` block, checked against the scopes declared and the schedules
    /// before it.
    pub(super) fn schedule(&self, block: &Block, config: &Config) -> Result<Schedule, Error> {
        let help = "schedule \"nights\" { timezone = \"Europe/Berlin\"  down = \"Mon-Fri 19:00\"  \
                    up = \"Mon-Fri 07:30\"  environments = [\"dev\"] }";
        let name = match block.labels.first().map(|l| l.as_str().to_string()) {
            Some(n) if !n.is_empty() && block.labels.len() == 1 => n,
            _ => {
                let message = "a schedule has one name: schedule \"NAME\" { ... }".to_string();
                return Err(self.err(block.span(), message, help));
            }
        };
        if !is_plain_name(&name) {
            let message = format!("schedule name {name:?} has characters a CI job id cannot hold");
            return Err(self.err(
                block.span(),
                message,
                "use letters, digits, '-', '_' and '.'",
            ));
        }
        if config.schedule(&name).is_some() {
            let message = format!("schedule {name:?} is declared twice");
            return Err(self.err(block.span(), message, "give each schedule its own name"));
        }
        let attr = |key: &str| block.body.get_attribute(key);
        for a in block.body.attributes() {
            if !KEYS.contains(&a.key.as_str()) {
                let message = format!("unknown schedule setting `{}`", a.key.as_str());
                let keys = format!("schedule settings: {}", KEYS.join(", "));
                return Err(self.err(a.span(), message, &keys));
            }
        }
        let required = |key: &str| {
            attr(key).ok_or_else(|| {
                let message = format!("schedule {name:?} has no `{key}`");
                self.err(block.span(), message, help)
            })
        };
        let timezone_attr = required("timezone")?;
        let timezone = self.string(timezone_attr)?;
        let (down_attr, up_attr) = (required("down")?, required("up")?);
        let (down, up) = (self.string(down_attr)?, self.string(up_attr)?);
        let weekly = |text: &str, attr: &Attribute| {
            Weekly::parse(text).map_err(|m| self.err(attr.value.span(), m, help))
        };
        let calendar = Calendar::new(
            &timezone,
            weekly(&down, down_attr)?,
            weekly(&up, up_attr)?,
            self.holidays(attr("holidays"))?,
        )
        .map_err(|m| self.err(timezone_attr.value.span(), m, help))?;
        let environments_attr = required("environments")?;
        let environments = self.strings(environments_attr)?;
        if let Some(bad) = environments.iter().find(|e| !is_plain_name(e)) {
            let message =
                format!("environment name {bad:?} has characters a CI job id cannot hold");
            let help = "use letters, digits, '-', '_' and '.', as in environments/NAME.tfvars";
            return Err(self.err(environments_attr.value.span(), message, help));
        }
        if environments.is_empty() {
            let message = format!("schedule {name:?} lists no environments");
            return Err(self.err(environments_attr.value.span(), message, help));
        }
        let scope = match attr("scope") {
            Some(a) => self.scope(&config.scopes, a)?,
            None => config.catalog_runtime,
        };
        Ok(Schedule {
            location: self.location(block.span()),
            name,
            timezone,
            down,
            up,
            calendar,
            environments,
            scope,
        })
    }

    /// `holidays`: dates as `YYYY-MM-DD`.
    fn holidays(&self, attr: Option<&Attribute>) -> Result<BTreeSet<jiff::civil::Date>, Error> {
        let Some(attr) = attr else {
            return Ok(BTreeSet::new());
        };
        self.strings(attr)?
            .iter()
            .map(|d| {
                d.parse().map_err(|_| {
                    self.err(
                        attr.value.span(),
                        format!("holiday {d:?} is not a date"),
                        "write dates as YYYY-MM-DD, e.g. \"2026-12-24\"",
                    )
                })
            })
            .collect()
    }
}

/// Letters, digits, `-`, `_` and `.`: safe in a job id, a shell word and a file name.
fn is_plain_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

#[cfg(test)]
mod tests {
    //! Schedule blocks: a full one, the defaults, and the mistakes users make, at their line.

    use super::*;

    const NIGHTS: &str = r#"
schedule "nights" {
  timezone     = "Europe/Berlin"
  down         = "Mon-Fri 19:00"
  up           = "Mon-Fri 07:30"
  holidays     = ["2026-12-24", "2026-12-31"]
  environments = ["dev", "staging"]
}
"#;

    #[test]
    fn a_schedule_block_reads_into_a_calendar() {
        let c = Config::parse("tfscope.hcl", NIGHTS).unwrap();
        let s = c.schedule("nights").unwrap();
        assert_eq!(s.timezone, "Europe/Berlin");
        assert_eq!(s.environments, vec!["dev", "staging"]);
        assert_eq!(s.scope, c.catalog_runtime, "scope defaults to runtime");
        assert_eq!(s.calendar.holidays.len(), 2);
        assert_eq!(s.location.line, 2);
        // March 2027, Berlin: 23 weekdays of 11.5 hours.
        assert_eq!(s.calendar.month(2027, 3).unwrap().0, 23.0 * 11.5);
        let three = "scopes = [\"base\", \"app\", \"jobs\"]\n".to_string()
            + &NIGHTS.replace("environments", "scope = \"jobs\"\n  environments");
        let c = Config::parse("tfscope.hcl", &three).unwrap();
        assert_eq!(c.schedules[0].scope, ScopeId::at(2));
    }

    #[test]
    fn mistakes_in_a_schedule_are_reported_at_their_line() {
        let cases = [
            (
                NIGHTS.replace("Europe/Berlin", "Europe/Atlantis"),
                "tfscope.hcl:3:18: unknown time zone",
            ),
            (
                NIGHTS.replace("Mon-Fri 19:00", "weeknights 19:00"),
                "tfscope.hcl:4:18: \"weeknights 19:00\": days are",
            ),
            (
                NIGHTS.replace("2026-12-31", "31.12.2026"),
                "tfscope.hcl:6:18: holiday \"31.12.2026\" is not a date",
            ),
            (
                NIGHTS.replace("[\"dev\", \"staging\"]", "[]"),
                "tfscope.hcl:7:18: schedule \"nights\" lists no environments",
            ),
            (
                NIGHTS.replace("  up ", "  upp"),
                "tfscope.hcl:5:3: unknown schedule setting `upp",
            ),
            (
                NIGHTS.replace("  up           = \"Mon-Fri 07:30\"\n", ""),
                "tfscope.hcl:2:1: schedule \"nights\" has no `up`",
            ),
            (
                NIGHTS.to_string() + NIGHTS,
                "tfscope.hcl:10:1: schedule \"nights\" is declared twice",
            ),
            (
                NIGHTS.replace("schedule \"nights\"", "schedule"),
                "tfscope.hcl:2:1: a schedule has one name",
            ),
            (
                NIGHTS.replace("\"dev\"", "\"dev; rm -rf /\""),
                "tfscope.hcl:7:18: environment name \"dev; rm -rf /\" has characters",
            ),
            (
                NIGHTS.replace("environments", "scope = \"nope\"\n  environments"),
                "tfscope.hcl:7:11: unknown scope \"nope\"",
            ),
        ];
        for (text, want) in cases {
            let err = Config::parse("tfscope.hcl", &text).unwrap_err().to_string();
            assert!(err.starts_with(want), "{err}\nwanted: {want}");
        }
    }
}
