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
    #[serde(default)]
    rule: Vec<Rule>,
    /// Generic types that say what they are in an argument (`azapi_resource`'s `type`).
    #[serde(default)]
    by_argument: Vec<ByArgument>,
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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ByArgument {
    types: Vec<String>,
    argument: String,
    /// The sub-catalog its values are looked up in (`arm`).
    catalog: String,
}

/// A generic resource type classified by the value of one of its arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keyed {
    /// The argument that says what the resource is (`type`).
    pub argument: String,
    /// The sub-catalog its values are looked up in (`arm`).
    pub catalog: &'static str,
}

/// Catalog files of resource types, by source name.
const FILES: &[(&str, &str)] = &[
    ("aws", include_str!("../../data/catalog/aws.toml")),
    (
        "aws-services",
        include_str!("../../data/catalog/aws-services.toml"),
    ),
    ("google", include_str!("../../data/catalog/google.toml")),
    (
        "google-services",
        include_str!("../../data/catalog/google-services.toml"),
    ),
    ("azure", include_str!("../../data/catalog/azure.toml")),
    (
        "azure-services",
        include_str!("../../data/catalog/azure-services.toml"),
    ),
    ("azapi", include_str!("../../data/catalog/azapi.toml")),
    ("generic", include_str!("../../data/catalog/generic.toml")),
];

/// Sub-catalogs of what generic types stand for: `(name, file source, text)`. Their names are
/// matched case-insensitively and without an `@version` suffix (ARM: `...@2023-05-01`).
const SUB_CATALOGS: &[(&str, &str, &str)] = &[
    ("arm", "arm", include_str!("../../data/catalog/arm.toml")),
    (
        "arm",
        "arm-services",
        include_str!("../../data/catalog/arm-services.toml"),
    ),
];

/// Every resource type of the providers the catalog covers, from the providers' own
/// repositories (`scripts/catalog/provider-types.py`): the coverage the tests hold it to.
pub const PROVIDER_LISTS: &[(&str, &str)] = &[
    ("aws", include_str!("../../data/providers/aws.txt")),
    ("google", include_str!("../../data/providers/google.txt")),
    (
        "google-beta",
        include_str!("../../data/providers/google-beta.txt"),
    ),
    ("azurerm", include_str!("../../data/providers/azurerm.txt")),
    ("azapi", include_str!("../../data/providers/azapi.txt")),
    ("arm", include_str!("../../data/providers/arm.txt")),
    ("random", include_str!("../../data/providers/random.txt")),
    ("null", include_str!("../../data/providers/null.txt")),
    ("time", include_str!("../../data/providers/time.txt")),
    ("tls", include_str!("../../data/providers/tls.txt")),
    ("local", include_str!("../../data/providers/local.txt")),
    ("archive", include_str!("../../data/providers/archive.txt")),
    (
        "kubernetes",
        include_str!("../../data/providers/kubernetes.txt"),
    ),
    ("helm", include_str!("../../data/providers/helm.txt")),
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
#[derive(Debug, Default)]
struct Table {
    exact: HashMap<String, Entry>,
    globs: Vec<(GlobMatcher, Entry)>,
}

impl Table {
    fn lookup(&self, name: &str) -> Option<&Entry> {
        self.exact.get(name).or_else(|| {
            self.globs
                .iter()
                .find(|(m, _)| m.is_match(name))
                .map(|(_, e)| e)
        })
    }

    fn entries(&self) -> impl Iterator<Item = &Entry> {
        self.exact.values().chain(self.globs.iter().map(|(_, e)| e))
    }

    /// Adds a file's rules; `fold` normalises names (lower case for ARM types).
    fn add(
        &mut self,
        source: &'static str,
        rules: Vec<Rule>,
        fold: fn(&str) -> String,
    ) -> Result<(), String> {
        for rule in rules {
            if !CATEGORIES.contains(&rule.category.as_str()) {
                return Err(format!(
                    "{source}.toml: unknown category {:?}",
                    rule.category
                ));
            }
            if rule.stateful && rule.layer != Layer::Base {
                return Err(format!(
                    "{source}.toml: {:?}: a stateful type belongs in base",
                    rule.types.first().map(String::as_str).unwrap_or("")
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
                let key = fold(&pattern);
                if pattern.contains('*') {
                    let glob =
                        Glob::new(&key).map_err(|e| format!("{source}.toml: {pattern}: {e}"))?;
                    self.globs.push((glob.compile_matcher(), entry));
                } else if let Some(old) = self.exact.insert(key, entry) {
                    return Err(format!(
                        "{source}.toml: {pattern} is listed twice (also in {}.toml)",
                        old.source
                    ));
                }
            }
        }
        self.globs.sort_by(|a, b| {
            b.1.pattern
                .len()
                .cmp(&a.1.pattern.len())
                .then_with(|| a.1.pattern.cmp(&b.1.pattern))
        });
        Ok(())
    }
}

/// The resource types the catalog knows, generic types keyed by an argument, and the
/// sub-catalogs their argument values are looked up in.
#[derive(Debug)]
pub struct Catalog {
    types: Table,
    keyed: HashMap<String, Keyed>,
    sub: HashMap<&'static str, Table>,
}

/// A provider's types against the catalog: how many it lists, and the ones the catalog lacks.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Coverage {
    pub provider: &'static str,
    /// Where the list came from (its first comment line).
    pub source: String,
    pub listed: usize,
    pub missing: Vec<String>,
}

impl Catalog {
    /// Every argument name that some type's `principal` lists: the arguments whose references
    /// the graph must keep apart.
    pub fn principal_args(&self) -> std::collections::BTreeSet<String> {
        self.types
            .entries()
            .flat_map(|e| e.principal.iter().cloned())
            .collect()
    }

    /// The built-in catalog, parsed once. Its files are checked by the unit tests, so parsing
    /// cannot fail at run time for a released binary.
    pub fn builtin() -> &'static Catalog {
        static BUILTIN: std::sync::OnceLock<Catalog> = std::sync::OnceLock::new();
        BUILTIN.get_or_init(|| {
            Catalog::from_sources(FILES, SUB_CATALOGS)
                .expect("built-in catalog is valid (see catalog tests)")
        })
    }

    fn from_sources(
        files: &[(&'static str, &str)],
        sub_catalogs: &[(&'static str, &'static str, &str)],
    ) -> Result<Catalog, String> {
        let mut catalog = Catalog {
            types: Table::default(),
            keyed: HashMap::new(),
            sub: HashMap::new(),
        };
        for (source, text) in files {
            let file: File = toml::from_str(text).map_err(|e| format!("{source}.toml: {e}"))?;
            catalog.types.add(source, file.rule, str::to_string)?;
            for keyed in file.by_argument {
                let Some(&(name, _, _)) = sub_catalogs.iter().find(|s| s.0 == keyed.catalog) else {
                    return Err(format!("{source}.toml: no sub-catalog {:?}", keyed.catalog));
                };
                for t in keyed.types {
                    let entry = Keyed {
                        argument: keyed.argument.clone(),
                        catalog: name,
                    };
                    if catalog.types.exact.contains_key(&t)
                        || catalog.keyed.insert(t.clone(), entry).is_some()
                    {
                        return Err(format!("{source}.toml: {t} is listed twice"));
                    }
                }
            }
        }
        for (name, source, text) in sub_catalogs {
            let file: File = toml::from_str(text).map_err(|e| format!("{source}.toml: {e}"))?;
            catalog
                .sub
                .entry(name)
                .or_default()
                .add(source, file.rule, |s| s.to_ascii_lowercase())?;
        }
        Ok(catalog)
    }

    pub fn lookup(&self, resource_type: &str) -> Option<&Entry> {
        self.types.lookup(resource_type)
    }

    /// How a generic type is classified, when it is one (`azapi_resource` → its `type`).
    pub fn keyed(&self, resource_type: &str) -> Option<&Keyed> {
        self.keyed.get(resource_type)
    }

    /// `(type, argument)` for every generic type: the argument it is classified by.
    pub fn keyed_arguments(&self) -> impl Iterator<Item = (&str, &str)> {
        self.keyed
            .iter()
            .map(|(t, k)| (t.as_str(), k.argument.as_str()))
    }

    /// What a generic resource stands for: `value` (`Microsoft.Storage/storageAccounts@2023-05-01`)
    /// in the sub-catalog `catalog`, without its `@version`, case-insensitively.
    pub fn lookup_in(&self, catalog: &str, value: &str) -> Option<&Entry> {
        let name = value.split('@').next().unwrap_or(value).trim();
        self.sub.get(catalog)?.lookup(&name.to_ascii_lowercase())
    }

    /// Whether the catalog can classify a resource type at all (an entry, or keyed).
    pub fn knows(&self, resource_type: &str) -> bool {
        self.lookup(resource_type).is_some() || self.keyed(resource_type).is_some()
    }

    /// Coverage of every provider list in [`PROVIDER_LISTS`].
    pub fn coverage(&self) -> Vec<Coverage> {
        PROVIDER_LISTS
            .iter()
            .map(|&(provider, text)| {
                let source = text
                    .lines()
                    .next()
                    .and_then(|l| l.split(", from ").nth(1))
                    .unwrap_or("")
                    .to_string();
                let listed: Vec<&str> = text
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty() && !l.starts_with('#'))
                    .collect();
                let missing = listed
                    .iter()
                    .filter(|t| match provider {
                        "arm" => self.lookup_in("arm", t).is_none(),
                        _ => !self.knows(t),
                    })
                    .map(|t| t.to_string())
                    .collect();
                Coverage {
                    provider,
                    source,
                    listed: listed.len(),
                    missing,
                }
            })
            .collect()
    }

    /// Every type the catalog names exactly (globs and generic types aside).
    pub fn exact_types(&self) -> impl Iterator<Item = &str> {
        self.types.exact.keys().map(String::as_str)
    }

    pub fn len(&self) -> usize {
        self.types.exact.len() + self.types.globs.len() + self.keyed.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    //! The built-in catalog loads and covers its providers; exact names win over globs.

    use super::*;

    #[test]
    fn builtin_catalog_parses_without_duplicates() {
        let catalog = Catalog::from_sources(FILES, SUB_CATALOGS).unwrap();
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
    fn every_type_of_every_covered_provider_has_an_entry() {
        let c = Catalog::builtin();
        let gaps: Vec<String> = c
            .coverage()
            .into_iter()
            .filter(|cov| !cov.missing.is_empty())
            .map(|cov| {
                format!(
                    "{}: {} of {} types missing, e.g. {}",
                    cov.provider,
                    cov.missing.len(),
                    cov.listed,
                    cov.missing
                        .iter()
                        .take(5)
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })
            .collect();
        assert!(gaps.is_empty(), "{}", gaps.join("\n"));
    }

    #[test]
    fn every_data_bearing_entry_is_base() {
        let c = Catalog::builtin();
        let tables = std::iter::once(&c.types).chain(c.sub.values());
        for e in tables.flat_map(Table::entries) {
            assert!(
                !e.stateful || e.layer == Layer::Base,
                "{} ({})",
                e.pattern,
                e.source
            );
        }
        let stateful_rule = "[[rule]]\ncategory = \"data\"\nlayer = \"runtime\"\nstateful = true\ntypes = [\"x_db\"]\n";
        assert!(Catalog::from_sources(&[("t", stateful_rule)], &[])
            .unwrap_err()
            .contains("belongs in base"));
    }

    #[test]
    fn arm_types_are_looked_up_without_version_and_case() {
        let c = Catalog::builtin();
        let sa = c
            .lookup_in("arm", "microsoft.storage/STORAGEACCOUNTS@2023-05-01")
            .expect("storage accounts are in the ARM catalog");
        assert_eq!((sa.layer, sa.stateful), (Layer::Base, true));
        assert_eq!(c.keyed("azapi_resource").unwrap().argument, "type");
        assert!(c.lookup_in("arm", "Contoso.Widgets/gadgets").is_none());
        assert!(c
            .lookup_in("nope", "Microsoft.Storage/storageAccounts")
            .is_none());
    }

    #[test]
    fn a_sub_catalog_is_the_union_of_its_files_and_a_type_in_two_is_an_error() {
        let c = Catalog::builtin();
        // One from arm.toml, one from arm-services.toml.
        assert_eq!(
            c.lookup_in("arm", "Microsoft.Network/virtualNetworks")
                .unwrap()
                .layer,
            Layer::Base
        );
        let mi = c
            .lookup_in(
                "arm",
                "microsoft.appconfiguration/configurationStores@2024-05-01",
            )
            .expect("the long tail is in arm-services.toml");
        assert_eq!((mi.layer, mi.stateful), (Layer::Base, true));
        let rule = "[[rule]]\ncategory = \"data\"\nlayer = \"base\"\nstateful = true\ntypes = [\"Contoso.Widgets/gadgets\"]\n";
        let twice = Catalog::from_sources(&[], &[("arm", "a", rule), ("arm", "b", rule)]);
        assert!(twice.unwrap_err().contains("gadgets"));
    }

    #[test]
    fn a_bad_catalog_file_is_rejected() {
        let dup = "[[rule]]\ncategory = \"network\"\nlayer = \"base\"\nstateful = false\ntypes = [\"a\", \"a\"]\n";
        assert!(Catalog::from_sources(&[("t", dup)], &[])
            .unwrap_err()
            .contains("twice"));
        let cat = "[[rule]]\ncategory = \"nope\"\nlayer = \"base\"\nstateful = false\ntypes = []\n";
        assert!(Catalog::from_sources(&[("t", cat)], &[])
            .unwrap_err()
            .contains("category"));
    }
}
