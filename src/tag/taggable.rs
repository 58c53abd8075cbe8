//! Which resource types take cost-allocation tags, and in which argument: the data file
//! `data/catalog/taggable.toml`, generated from the providers' own source by
//! `scripts/catalog/taggable-types.py`. This module parses it; it never branches on a type name.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    provider: Vec<Provider>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Provider {
    name: String,
    #[allow(dead_code)]
    source: String,
    attribute: String,
    lowercase: bool,
    types: Vec<String>,
    #[serde(default)]
    attribute_for: HashMap<String, String>,
}

/// Where one type takes its tags.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagSpec {
    /// The provider section it comes from (`aws`, `google`, `azurerm`).
    pub provider: String,
    /// The argument: `tags`, `labels`, `resource_labels`.
    pub attribute: String,
    /// Keys and values must be lowercase (Google labels).
    pub lowercase: bool,
}

/// The table of taggable types.
#[derive(Debug, Default)]
pub struct Taggable {
    by_type: HashMap<String, TagSpec>,
}

impl Taggable {
    /// The built-in table, parsed once.
    pub fn builtin() -> &'static Taggable {
        static TABLE: OnceLock<Taggable> = OnceLock::new();
        TABLE.get_or_init(|| {
            Taggable::parse(include_str!("../../data/catalog/taggable.toml"))
                .expect("data/catalog/taggable.toml is valid")
        })
    }

    pub fn parse(text: &str) -> Result<Taggable, toml::de::Error> {
        let file: File = toml::from_str(text)?;
        let mut by_type = HashMap::new();
        for p in file.provider {
            for t in &p.types {
                let attribute = p.attribute_for.get(t).unwrap_or(&p.attribute).clone();
                by_type.insert(
                    t.clone(),
                    TagSpec {
                        provider: p.name.clone(),
                        attribute,
                        lowercase: p.lowercase,
                    },
                );
            }
        }
        Ok(Taggable { by_type })
    }

    /// Where `resource_type` takes tags, or `None` when it takes none.
    pub fn spec(&self, resource_type: &str) -> Option<&TagSpec> {
        self.by_type.get(resource_type)
    }

    /// How many types the table lists.
    pub fn len(&self) -> usize {
        self.by_type.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_type.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_table_knows_each_clouds_argument() {
        let t = Taggable::builtin();
        assert_eq!(t.spec("aws_instance").unwrap().attribute, "tags");
        assert!(!t.spec("aws_instance").unwrap().lowercase);
        // Auto Scaling groups take `tag` blocks, not the tags map.
        assert_eq!(t.spec("aws_autoscaling_group"), None);
        assert_eq!(t.spec("aws_iam_role_policy_attachment"), None);
        let bucket = t.spec("google_storage_bucket").unwrap();
        assert_eq!(
            (bucket.attribute.as_str(), bucket.lowercase),
            ("labels", true)
        );
        assert_eq!(
            t.spec("google_container_cluster").unwrap().attribute,
            "resource_labels"
        );
        assert_eq!(t.spec("google_compute_network"), None);
        assert_eq!(t.spec("azurerm_resource_group").unwrap().attribute, "tags");
        assert_eq!(t.spec("azurerm_subnet"), None);
        assert!(t.len() > 1000);
    }
}
