//! Regions: where a priced resource instance runs (its own `region`/`location`/`zone`
//! argument, else the `region` of the provider configuration it uses), and which price one
//! component takes there (global, the base region's, an exact regional figure, the base price
//! times a `[[region]]` factor, or the base price kept because there is no figure). It does not
//! evaluate configurations: [`super::evaluate`] hands it evaluated arguments.

use std::collections::BTreeMap;
use std::fmt;

use hcl::{Map, Value};

use super::price::{Entry, Region};

/// The arguments that name a resource's region, per provider prefix, in the order they are
/// read. AWS `location` arguments (Direct Connect sites) are not regions.
const REGION_ARGUMENTS: &[(&str, &[&str])] = &[
    ("aws", &["region"]),
    ("azurerm", &["location"]),
    ("google", &["region", "location", "zone"]),
];

/// Any other provider: whichever of these it sets.
const OTHER_REGION_ARGUMENTS: &[&str] = &["region", "location", "zone"];

/// Arguments that reference the resource whose region a resource shares, per provider prefix,
/// read when the resource names no region of its own: an Azure resource without `location`
/// (a container app, a database) is where its resource group is.
const REGION_HOLDERS: &[(&str, &[&str])] = &[("azurerm", &["resource_group_name"])];

/// The provider prefix of a resource type: `aws`, `google`, `azurerm` (the part before the
/// first `_`), which is also the name of its default provider configuration.
pub fn provider_prefix(resource_type: &str) -> &str {
    resource_type
        .split_once('_')
        .map_or(resource_type, |(p, _)| p)
}

/// A region as price files write it: lower case without spaces (`"West Europe"` ->
/// `westeurope`), a zone reduced to its region (`europe-west1-b` -> `europe-west1`).
pub fn normalise(raw: &str) -> String {
    let region: String = raw
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    zone_region(&region).map_or(region.clone(), str::to_string)
}

/// The region of a Google zone (`europe-west1-b`): a region with a dash and one letter after
/// its number.
fn zone_region(zone: &str) -> Option<&str> {
    let (region, letter) = zone.rsplit_once('-')?;
    let is_zone = letter.len() == 1
        && letter.chars().all(|c| c.is_ascii_lowercase())
        && region.ends_with(|c: char| c.is_ascii_digit())
        && region.contains('-');
    is_zone.then_some(region)
}

/// The region a resource instance is priced in: its own region argument, or the same argument
/// of the resource it references there (`location = azurerm_resource_group.main.location`),
/// else the region of the resource a holder argument references (`resource_group_name`), else
/// its provider configuration's `region`, else none (the prices' base region). `refs` maps an
/// argument to the evaluated arguments of the resource it references.
pub fn of_instance(
    resource_type: &str,
    args: &Map<String, Value>,
    refs: &Map<String, Value>,
    provider_region: Option<&str>,
) -> Option<String> {
    let prefix = provider_prefix(resource_type);
    let names = REGION_ARGUMENTS
        .iter()
        .find(|(p, _)| *p == prefix)
        .map_or(OTHER_REGION_ARGUMENTS, |(_, names)| names);
    let referenced = |arg: &str, name: &str| {
        refs.get(arg)
            .and_then(|r| r.as_object())
            .and_then(|r| r.get(name))
            .and_then(Value::as_str)
    };
    let holders = REGION_HOLDERS
        .iter()
        .find(|(p, _)| *p == prefix)
        .map_or(&[][..], |(_, h)| h);
    names
        .iter()
        .find_map(|name| {
            args.get(*name)
                .and_then(Value::as_str)
                .or_else(|| referenced(name, name))
        })
        .or_else(|| {
            holders
                .iter()
                .find_map(|h| names.iter().find_map(|name| referenced(h, name)))
        })
        .or(provider_region)
        .map(normalise)
        .filter(|r| !r.is_empty())
}

/// How a component's price was chosen for its region.
#[derive(Debug, Clone, PartialEq, PartialOrd)]
pub enum Basis {
    /// The entry's price is the same in every region.
    Global,
    /// The base region's price or an exact regional figure.
    Exact,
    /// The base price times the region's factor.
    Factor(f64),
    /// No region set: the base region's price.
    NoRegion,
    /// The region has no figure: the base price, kept rather than guessed.
    Base,
}

impl Basis {
    /// What the report says, for a resource in `region`.
    pub fn describe(&self, region: Option<&str>) -> String {
        match self {
            Basis::Global => "global".into(),
            Basis::Exact => "exact".into(),
            Basis::Factor(f) => format!("factor {}", Factor(*f)),
            Basis::NoRegion => "base: no region set".into(),
            Basis::Base => format!("base: no figure for {}", region.unwrap_or("?")),
        }
    }
}

/// A factor as written in the price file (`1.08`, `1.1`), without float noise.
struct Factor(f64);

impl fmt::Display for Factor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = format!("{:.4}", self.0);
        f.write_str(s.trim_end_matches('0').trim_end_matches('.'))
    }
}

/// The unit price of `entry` in `region`, and how it was chosen.
pub fn price_in(entry: &Entry, region: Option<&str>, factors: &[Region]) -> (f64, Basis) {
    if entry.region == "global" {
        return (entry.price, Basis::Global);
    }
    let Some(region) = region else {
        return (entry.price, Basis::NoRegion);
    };
    if normalise(&entry.region) == region {
        return (entry.price, Basis::Exact);
    }
    if let Some((_, p)) = entry
        .regional
        .iter()
        .find(|(name, _)| normalise(name) == region)
    {
        return (*p, Basis::Exact);
    }
    let prefix = provider_prefix(&entry.resource_type);
    match factors
        .iter()
        .find(|f| f.provider == prefix && normalise(&f.name) == region)
    {
        Some(f) => (entry.price * f.factor, Basis::Factor(f.factor)),
        None => (entry.price, Basis::Base),
    }
}

/// How many priced components of each kind a region has, for the report's assumptions.
#[derive(Debug, Default)]
pub struct Tally {
    /// Region (`None`: not set) -> counts per basis.
    regions: BTreeMap<Option<String>, Counts>,
    global: usize,
}

#[derive(Debug, Default)]
struct Counts {
    exact: usize,
    /// Factor (as written) -> components.
    factors: BTreeMap<String, usize>,
    /// Components priced at their base region's price, per base region.
    base: BTreeMap<String, usize>,
}

impl Tally {
    pub fn add(&mut self, entry: &Entry, region: Option<&str>, basis: &Basis) {
        if *basis == Basis::Global {
            self.global += 1;
            return;
        }
        let counts = self.regions.entry(region.map(str::to_string)).or_default();
        match basis {
            Basis::Global => {}
            Basis::Exact => counts.exact += 1,
            Basis::Factor(f) => *counts.factors.entry(Factor(*f).to_string()).or_default() += 1,
            Basis::NoRegion | Basis::Base => {
                *counts.base.entry(entry.region.clone()).or_default() += 1;
            }
        }
    }

    /// One line: each region with how its components were priced, then the global ones.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        for (region, c) in &self.regions {
            let mut how = Vec::new();
            if c.exact > 0 {
                how.push(format!("exact for {}", components(c.exact)));
            }
            for (f, n) in &c.factors {
                how.push(format!("factor {f} for {}", components(*n)));
            }
            for (base, n) in &c.base {
                how.push(match region {
                    Some(r) => format!(
                        "{base} price for {} (no figure for {r}; it may differ)",
                        components(*n)
                    ),
                    None => format!("{base} price for {}", components(*n)),
                });
            }
            let name = region.as_deref().unwrap_or("no region set");
            parts.push(format!("{name}: {}", how.join(", ")));
        }
        if self.global > 0 {
            parts.push(format!(
                "global (the same in every region) for {}",
                components(self.global)
            ));
        }
        if parts.is_empty() {
            return "on-demand list prices; nothing priced".into();
        }
        format!(
            "on-demand list prices, discounts not included; {}",
            parts.join("; ")
        )
    }
}

fn components(n: usize) -> String {
    format!("{n} component{}", if n == 1 { "" } else { "s" })
}

#[cfg(test)]
mod tests {
    //! Regions resolved from arguments and provider configurations, and prices chosen per
    //! region: global, base, exact, factor, and a region without a figure.

    use super::*;
    use crate::cost::price::PriceList;
    use std::path::Path;

    fn args(pairs: &[(&str, &str)]) -> Map<String, Value> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), Value::from(*v)))
            .collect()
    }

    #[test]
    fn a_resource_s_own_region_argument_wins_over_its_provider() {
        let a = args(&[("region", "eu-central-1")]);
        assert_eq!(
            of_instance("aws_nat_gateway", &a, &Map::new(), Some("eu-west-1")).as_deref(),
            Some("eu-central-1")
        );
        assert_eq!(
            of_instance(
                "aws_nat_gateway",
                &Map::new(),
                &Map::new(),
                Some("eu-west-1")
            )
            .as_deref(),
            Some("eu-west-1")
        );
    }

    #[test]
    fn a_google_zone_is_priced_in_its_region() {
        let a = args(&[("zone", "europe-west1-b")]);
        assert_eq!(
            of_instance(
                "google_compute_instance",
                &a,
                &Map::new(),
                Some("us-central1")
            )
            .as_deref(),
            Some("europe-west1")
        );
        // A region argument comes first; a regional location stays as it is.
        let a = args(&[("region", "asia-east1"), ("zone", "europe-west1-b")]);
        assert_eq!(
            of_instance("google_compute_address", &a, &Map::new(), None).as_deref(),
            Some("asia-east1")
        );
        let a = args(&[("location", "europe-west4")]);
        assert_eq!(
            of_instance("google_container_cluster", &a, &Map::new(), None).as_deref(),
            Some("europe-west4")
        );
    }

    #[test]
    fn an_azure_resource_is_where_the_resource_it_references_is() {
        let group = Value::Object(args(&[("location", "North Europe")]));
        // `location = azurerm_resource_group.main.location`: the argument is the group's.
        let refs: Map<String, Value> = [("location".to_string(), group.clone())]
            .into_iter()
            .collect();
        assert_eq!(
            of_instance("azurerm_nat_gateway", &Map::new(), &refs, None).as_deref(),
            Some("northeurope")
        );
        // No location of its own (a container app): where its resource group is.
        let refs: Map<String, Value> = [("resource_group_name".to_string(), group)]
            .into_iter()
            .collect();
        assert_eq!(
            of_instance("azurerm_container_app", &Map::new(), &refs, None).as_deref(),
            Some("northeurope")
        );
        // Its own location still comes first.
        let own = args(&[("location", "uksouth")]);
        assert_eq!(
            of_instance("azurerm_container_app", &own, &refs, None).as_deref(),
            Some("uksouth")
        );
        // Other providers have no holder argument.
        assert_eq!(
            of_instance("google_sql_database_instance", &Map::new(), &refs, None),
            None
        );
    }

    #[test]
    fn an_azure_display_name_is_normalised() {
        let a = args(&[("location", "West Europe")]);
        assert_eq!(
            of_instance("azurerm_linux_virtual_machine", &a, &Map::new(), None).as_deref(),
            Some("westeurope")
        );
        assert_eq!(normalise("East US 2"), "eastus2");
    }

    #[test]
    fn no_region_anywhere_is_none_and_aws_location_is_not_a_region() {
        assert_eq!(
            of_instance("aws_nat_gateway", &Map::new(), &Map::new(), None),
            None
        );
        let a = args(&[("location", "EqDC2")]);
        assert_eq!(
            of_instance("aws_dx_connection", &a, &Map::new(), None),
            None
        );
        assert_eq!(normalise("us-east-1"), "us-east-1");
    }

    const PRICES: &str = r#"
[[price]]
type = "google_compute_instance"
component = "vm"
unit = "hour"
price = 0.1
region = "us-central1"
regional = { "europe-west1" = 0.11 }
source = "test"
date = "2026-12"
quantity = "hours"

[[price]]
type = "google_dns_managed_zone"
component = "zone"
unit = "month"
price = 0.2
region = "global"
source = "test"
date = "2026-12"
quantity = "1"

[[region]]
provider = "google"
name = "asia-east1"
factor = 1.08
source = "test"
date = "2026-12"
"#;

    #[test]
    fn the_price_in_a_region_is_global_base_exact_factor_or_kept_base() {
        let list = PriceList::parse(Path::new("p.toml"), PRICES).unwrap();
        let vm = &list.entries[0];
        let zone = &list.entries[1];
        let at = |e, r: Option<&str>| price_in(e, r, &list.regions);
        assert_eq!(at(zone, Some("asia-east1")), (0.2, Basis::Global));
        assert_eq!(at(vm, Some("us-central1")), (0.1, Basis::Exact));
        assert_eq!(at(vm, Some("europe-west1")), (0.11, Basis::Exact));
        let (p, basis) = at(vm, Some("asia-east1"));
        assert!((p - 0.108).abs() < 1e-12, "{p}");
        assert_eq!(basis.describe(Some("asia-east1")), "factor 1.08");
        assert_eq!(at(vm, Some("mars-north1")), (0.1, Basis::Base));
        assert_eq!(
            Basis::Base.describe(Some("mars-north1")),
            "base: no figure for mars-north1"
        );
        assert_eq!(at(vm, None), (0.1, Basis::NoRegion));
    }

    #[test]
    fn the_tally_says_how_each_region_was_priced() {
        let list = PriceList::parse(Path::new("p.toml"), PRICES).unwrap();
        let mut t = Tally::default();
        for region in ["europe-west1", "asia-east1", "asia-east1", "mars-north1"] {
            let (_, basis) = price_in(&list.entries[0], Some(region), &list.regions);
            t.add(&list.entries[0], Some(region), &basis);
        }
        let (_, basis) = price_in(&list.entries[1], Some("asia-east1"), &list.regions);
        t.add(&list.entries[1], Some("asia-east1"), &basis);
        t.add(&list.entries[0], None, &Basis::NoRegion);
        assert_eq!(
            t.describe(),
            "on-demand list prices, discounts not included; no region set: us-central1 price \
             for 1 component; asia-east1: factor 1.08 for 2 \
             components; europe-west1: exact for 1 component; mars-north1: us-central1 price \
             for 1 component (no figure for mars-north1; it may differ); global (the same in every \
             region) for 1 component"
        );
    }
}
