//! The built-in resource catalog: which layer (base or runtime) and category each resource type
//! belongs to, and whether destroying it loses data. The rules are data files in `data/catalog/`,
//! compiled in with `include_str!`; this module parses them into a lookup table and never
//! branches on a type name itself.

use std::collections::HashMap;

use globset::{Glob, GlobMatcher};
use serde::Deserialize;

/// The two layers the catalog knows. Configured scopes map onto them (see `config`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Layer {
    Base,
    Runtime,
}

/// What the catalog says about one resource type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub layer: Layer,
    pub category: String,
    pub stateful: bool,
    /// The type joins other resources and takes the latest scope among its dependencies.
    pub follows: bool,
    /// Arguments that name the principal a grant is for (`role` of a policy attachment,
    /// `member` of a Google IAM member, `principal_id` of an Azure role assignment): a grant
    /// takes the scope of its principal.
    pub principal: Vec<String>,
    /// The exact name or glob that matched, for reasons.
    pub pattern: String,
    /// The catalog file the rule came from (`aws`, `google`, `azure`, `generic`).
    pub source: &'static str,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    rule: Vec<Rule>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Rule {
    category: String,
    layer: Layer,
    stateful: bool,
    #[serde(default)]
    follows: bool,
    #[serde(default)]
    principal: Vec<String>,
    types: Vec<String>,
}

const FILES: &[(&str, &str)] = &[
    ("aws", include_str!("../data/catalog/aws.toml")),
    ("google", include_str!("../data/catalog/google.toml")),
    ("azure", include_str!("../data/catalog/azure.toml")),
    ("generic", include_str!("../data/catalog/generic.toml")),
];

/// The category names catalog rules may use.
pub const CATEGORIES: &[&str] = &[
    "network",
    "security",
    "dns-zone",
    "certificate",
    "registry",
    "load-balancer",
    "waf",
    "encryption",
    "data",
    "data-config",
    "identity",
    "compute",
    "observability",
    "dns-record",
    "service-discovery",
    "autoscaling",
    "routing",
    "messaging-config",
    "utility",
];

/// Exact names, then globs from the longest pattern to the shortest.
#[derive(Debug)]
pub struct Catalog {
    exact: HashMap<String, Entry>,
    globs: Vec<(GlobMatcher, Entry)>,
}

impl Catalog {
    /// Every argument name that some type's `principal` lists: the arguments whose references
    /// the graph must keep apart.
    pub fn principal_args(&self) -> std::collections::BTreeSet<String> {
        self.exact
            .values()
            .chain(self.globs.iter().map(|(_, e)| e))
            .flat_map(|e| e.principal.iter().cloned())
            .collect()
    }

    /// The built-in catalog. Its files are checked by the unit tests, so parsing cannot fail
    /// at run time for a released binary.
    pub fn builtin() -> Catalog {
        Catalog::from_sources(FILES).expect("built-in catalog is valid (see catalog tests)")
    }

    fn from_sources(files: &[(&'static str, &str)]) -> Result<Catalog, String> {
        let mut exact = HashMap::new();
        let mut globs = Vec::new();
        for (source, text) in files {
            let file: File = toml::from_str(text).map_err(|e| format!("{source}.toml: {e}"))?;
            for rule in file.rule {
                if !CATEGORIES.contains(&rule.category.as_str()) {
                    return Err(format!(
                        "{source}.toml: unknown category {:?}",
                        rule.category
                    ));
                }
                for pattern in rule.types {
                    let entry = Entry {
                        layer: rule.layer,
                        category: rule.category.clone(),
                        stateful: rule.stateful,
                        follows: rule.follows,
                        principal: rule.principal.clone(),
                        pattern: pattern.clone(),
                        source,
                    };
                    if pattern.contains('*') {
                        let glob = Glob::new(&pattern)
                            .map_err(|e| format!("{source}.toml: {pattern}: {e}"))?;
                        globs.push((glob.compile_matcher(), entry));
                    } else if exact.insert(pattern.clone(), entry).is_some() {
                        return Err(format!("{source}.toml: {pattern} is listed twice"));
                    }
                }
            }
        }
        globs.sort_by(|a, b| {
            b.1.pattern
                .len()
                .cmp(&a.1.pattern.len())
                .then_with(|| a.1.pattern.cmp(&b.1.pattern))
        });
        Ok(Catalog { exact, globs })
    }

    pub fn lookup(&self, resource_type: &str) -> Option<&Entry> {
        self.exact.get(resource_type).or_else(|| {
            self.globs
                .iter()
                .find(|(m, _)| m.is_match(resource_type))
                .map(|(_, e)| e)
        })
    }

    pub fn len(&self) -> usize {
        self.exact.len() + self.globs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_catalog_parses_without_duplicates() {
        let catalog = Catalog::from_sources(FILES).unwrap();
        assert!(catalog.len() > 500, "{} entries", catalog.len());
    }

    #[test]
    fn exact_names_win_over_globs_and_longer_globs_over_shorter() {
        let c = Catalog::builtin();
        let bucket = c.lookup("aws_s3_bucket").unwrap();
        assert_eq!((bucket.layer, bucket.stateful), (Layer::Base, true));
        let versioning = c.lookup("aws_s3_bucket_versioning").unwrap();
        assert_eq!(
            (versioning.layer, versioning.stateful),
            (Layer::Base, false)
        );
        let notification = c.lookup("aws_s3_bucket_notification").unwrap();
        assert_eq!(notification.layer, Layer::Runtime);
        assert!(c.lookup("random_password").is_some(), "random_* glob");
        assert!(c.lookup("no_such_provider_thing").is_none());
        assert!(c.lookup("aws_iam_role_policy_attachment").unwrap().follows);
        assert!(!c.lookup("aws_iam_role").unwrap().follows);
    }

    #[test]
    fn the_issue_examples_land_in_the_right_layer() {
        let c = Catalog::builtin();
        for t in [
            "aws_vpc",
            "aws_subnet",
            "aws_nat_gateway",
            "aws_eip",
            "aws_route_table_association",
            "aws_security_group",
            "aws_route53_zone",
            "aws_acm_certificate",
            "aws_acm_certificate_validation",
            "aws_ecr_repository",
            "aws_lb",
            "aws_db_instance",
            "aws_sqs_queue",
            "aws_secretsmanager_secret",
            "aws_kms_key",
            "google_compute_network",
            "google_sql_database_instance",
            "azurerm_virtual_network",
            "azurerm_storage_account",
        ] {
            assert_eq!(c.lookup(t).map(|e| e.layer), Some(Layer::Base), "{t}");
        }
        for t in [
            "aws_ecs_cluster",
            "aws_ecs_service",
            "aws_ecs_task_definition",
            "aws_iam_role",
            "aws_iam_role_policy_attachment",
            "aws_cloudwatch_log_group",
            "aws_lb_listener",
            "aws_lb_listener_rule",
            "aws_lb_target_group",
            "aws_route53_record",
            "aws_service_discovery_service",
            "aws_appautoscaling_policy",
            "aws_lambda_function",
            "google_cloud_run_v2_service",
            "azurerm_linux_web_app",
        ] {
            assert_eq!(c.lookup(t).map(|e| e.layer), Some(Layer::Runtime), "{t}");
        }
        assert!(c.lookup("aws_db_instance").unwrap().stateful);
        assert!(!c.lookup("aws_vpc").unwrap().stateful);
    }

    #[test]
    fn a_bad_catalog_file_is_rejected() {
        let dup = "[[rule]]\ncategory = \"network\"\nlayer = \"base\"\nstateful = false\ntypes = [\"a\", \"a\"]\n";
        assert!(Catalog::from_sources(&[("t", dup)])
            .unwrap_err()
            .contains("twice"));
        let cat = "[[rule]]\ncategory = \"nope\"\nlayer = \"base\"\nstateful = false\ntypes = []\n";
        assert!(Catalog::from_sources(&[("t", cat)])
            .unwrap_err()
            .contains("category"));
    }
}
