//! Price coverage: for every resource type the classification catalog knows, whether the
//! price list prices it, declares it free, or leaves it unpriced on purpose (with the reason),
//! per provider. The tests hold each cloud to "no type left unexplained".

use std::collections::BTreeMap;

use crate::classify::catalog::{Catalog, PROVIDER_LISTS};

use super::price::PriceList;

/// What the price list says about one provider's catalogued types.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct PriceCoverage {
    pub provider: String,
    pub priced: Vec<String>,
    pub free: Vec<String>,
    /// Reason -> the types left unpriced for it.
    pub unpriced: BTreeMap<String, Vec<String>>,
    /// Types the price list says nothing about: each is a gap to fill.
    pub missing: Vec<String>,
}

/// Coverage of every provider the catalog has a type list for, except those whose list holds
/// no resource types (ARM's resource type strings).
pub fn every_provider(prices: &PriceList, catalog: &Catalog) -> Vec<PriceCoverage> {
    PROVIDER_LISTS
        .iter()
        .map(|(provider, _)| price_coverage(prices, catalog, provider))
        .filter(|c| c.summary_total() > 0)
        .collect()
}

/// Coverage of `provider`'s type list (`aws`, `google`, `google-beta`, `azurerm`, ...), over
/// the types the classification catalog knows.
pub fn price_coverage(prices: &PriceList, catalog: &Catalog, provider: &str) -> PriceCoverage {
    let mut out = PriceCoverage {
        provider: provider.to_string(),
        ..Default::default()
    };
    let Some((_, text)) = PROVIDER_LISTS.iter().find(|(p, _)| *p == provider) else {
        return out;
    };
    // The provider's list, and the types of its prefix the catalog names although no list has
    // them (older or renamed ones): a report must explain every type tfscope classifies.
    let listed = |text: &'static str| {
        text.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
    };
    let in_any_list: std::collections::BTreeSet<&str> =
        PROVIDER_LISTS.iter().flat_map(|(_, t)| listed(t)).collect();
    let prefix = format!("{}_", provider.split('-').next().unwrap_or(provider));
    let types: std::collections::BTreeSet<&str> = listed(text)
        .chain(
            catalog
                .exact_types()
                .filter(|t| t.starts_with(&prefix) && !in_any_list.contains(t)),
        )
        .filter(|t| catalog.knows(t))
        .collect();
    for t in types {
        let name = t.to_string();
        if prices.for_type(t).next().is_some() {
            out.priced.push(name);
        } else if prices.free.contains(t) {
            out.free.push(name);
        } else if let Some(reason) = prices.unpriced.get(t) {
            out.unpriced
                .entry(reason.to_string())
                .or_default()
                .push(name);
        } else {
            out.missing.push(name);
        }
    }
    out
}

impl PriceCoverage {
    /// How many types it covers.
    fn summary_total(&self) -> usize {
        self.priced.len()
            + self.free.len()
            + self.unpriced.values().map(Vec::len).sum::<usize>()
            + self.missing.len()
    }

    /// `priced P, free F, unpriced U, missing M` for notes and test output.
    pub fn summary(&self) -> String {
        let unpriced: usize = self.unpriced.values().map(Vec::len).sum();
        format!(
            "{}: priced {}, free {}, unpriced {}, missing {}",
            self.provider,
            self.priced.len(),
            self.free.len(),
            unpriced,
            self.missing.len()
        )
    }
}

/// One line per provider, then each provider's reasons for leaving types unpriced, with counts.
pub fn coverage_text(coverage: &[PriceCoverage]) -> String {
    let mut text: Vec<String> = coverage.iter().map(PriceCoverage::summary).collect();
    for c in coverage.iter().filter(|c| !c.unpriced.is_empty()) {
        text.push(format!("\n{} unpriced, by reason:", c.provider));
        let mut reasons: Vec<(&String, &Vec<String>)> = c.unpriced.iter().collect();
        reasons.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(b.0)));
        text.extend(
            reasons
                .iter()
                .map(|(why, types)| format!("  {:>4}  {why}", types.len())),
        );
    }
    for c in coverage.iter().filter(|c| !c.missing.is_empty()) {
        text.push(format!(
            "\n{} missing: {}",
            c.provider,
            c.missing.join(", ")
        ));
    }
    text.join("\n")
}

#[cfg(test)]
mod tests {
    //! Coverage sorts a provider's types into priced, free, unpriced-with-reason and missing.

    use super::*;
    use std::path::Path;

    #[test]
    fn types_sort_into_priced_free_unpriced_and_missing() {
        let prices = PriceList::parse(
            Path::new("p.toml"),
            r#"
[[price]]
type = "aws_nat_gateway"
component = "hours"
unit = "hour"
price = 0.045
region = "us-east-1"
source = "s"
date = "2026-12"
quantity = "hours"

[[free]]
source = "IAM is free"
types = ["aws_iam_*"]

[[unpriced]]
reason = "billed per request only"
types = ["aws_lambda_function"]
"#,
        )
        .unwrap();
        let c = price_coverage(&prices, Catalog::builtin(), "aws");
        assert!(c.priced.contains(&"aws_nat_gateway".to_string()));
        assert!(c.free.contains(&"aws_iam_role".to_string()));
        assert_eq!(
            c.unpriced["billed per request only"],
            vec!["aws_lambda_function".to_string()]
        );
        assert!(c.missing.contains(&"aws_db_instance".to_string()));
        assert!(!c.missing.contains(&"aws_iam_policy".to_string()));
        assert!(c.summary().starts_with("aws: priced 1, free "));
    }
}
