//! The JSON schema file named by `TFSCOPE_MOCK_SCHEMA` (written by tfscope).
//!
//! ```json
//! { "providers": { "aws": { "config": BLOCK,
//!                           "resources": { "aws_vpc": BLOCK },
//!                           "data_sources": { "aws_ami": BLOCK } } } }
//! BLOCK = { "attributes": { "NAME": { "optional": bool, "computed": bool, "fake": any } },
//!           "blocks": { "NAME": BLOCK } }
//! ```
//!
//! Every key is optional; unknown keys are ignored.

use std::collections::BTreeMap;

use serde_json::Value as Json;
use tf_provider::schema::{
    Attribute, AttributeConstraint, AttributeType, Block, Description, NestedBlock,
};

pub const SCHEMA_ENV: &str = "TFSCOPE_MOCK_SCHEMA";

#[derive(Debug, Clone, Default, PartialEq)]
pub struct AttrDef {
    pub optional: bool,
    pub computed: bool,
    /// Plan-time value template (see `cty::build_template`).
    pub fake: Option<Json>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct BlockDef {
    pub attributes: BTreeMap<String, AttrDef>,
    pub blocks: BTreeMap<String, BlockDef>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProviderDef {
    pub config: BlockDef,
    pub resources: BTreeMap<String, BlockDef>,
    pub data_sources: BTreeMap<String, BlockDef>,
}

fn bool_field(obj: &serde_json::Map<String, Json>, key: &str, path: &str) -> Result<bool, String> {
    match obj.get(key) {
        None | Some(Json::Null) => Ok(false),
        Some(Json::Bool(b)) => Ok(*b),
        Some(other) => Err(format!("{path}.{key}: expected true or false, got {other}")),
    }
}

fn object<'a>(v: &'a Json, path: &str) -> Result<&'a serde_json::Map<String, Json>, String> {
    v.as_object()
        .ok_or_else(|| format!("{path}: expected a JSON object, got {v}"))
}

fn optional_object<'a>(
    obj: &'a serde_json::Map<String, Json>,
    key: &str,
    path: &str,
) -> Result<Option<&'a serde_json::Map<String, Json>>, String> {
    match obj.get(key) {
        None | Some(Json::Null) => Ok(None),
        Some(v) => object(v, &format!("{path}.{key}")).map(Some),
    }
}

impl BlockDef {
    pub fn parse(v: &Json, path: &str) -> Result<Self, String> {
        let obj = object(v, path)?;
        let mut def = BlockDef::default();
        if let Some(attrs) = optional_object(obj, "attributes", path)? {
            for (name, a) in attrs {
                let apath = format!("{path}.attributes.{name}");
                let aobj = object(a, &apath)?;
                def.attributes.insert(
                    name.clone(),
                    AttrDef {
                        optional: bool_field(aobj, "optional", &apath)?,
                        computed: bool_field(aobj, "computed", &apath)?,
                        fake: aobj.get("fake").cloned(),
                    },
                );
            }
        }
        if let Some(blocks) = optional_object(obj, "blocks", path)? {
            for (name, b) in blocks {
                def.blocks.insert(
                    name.clone(),
                    BlockDef::parse(b, &format!("{path}.blocks.{name}"))?,
                );
            }
        }
        Ok(def)
    }

    /// Whether Terraform sees a DynamicPseudoType somewhere in this block's
    /// implied type. Every attribute is dynamic, so: any attribute at any depth.
    /// A LIST nested block whose content is dynamic is typed as a tuple, i.e.
    /// DynamicPseudoType at its position (configschema's BlockTupleSpec).
    pub fn has_dynamic(&self) -> bool {
        !self.attributes.is_empty() || self.blocks.values().any(BlockDef::has_dynamic)
    }

    /// The schema served to Terraform.
    pub fn to_tf_block(&self) -> Block {
        Block {
            version: 0,
            attributes: self
                .attributes
                .iter()
                .map(|(name, a)| {
                    let constraint = match (a.optional, a.computed) {
                        (true, true) => AttributeConstraint::OptionalComputed,
                        (false, true) => AttributeConstraint::Computed,
                        // Never required: a missing argument must not fail validation.
                        (_, false) => AttributeConstraint::Optional,
                    };
                    (
                        name.clone(),
                        Attribute {
                            attr_type: AttributeType::Any,
                            description: Description::plain(""),
                            constraint,
                            sensitive: false,
                            deprecated: false,
                        },
                    )
                })
                .collect(),
            // NestedBlock::List is nesting LIST, min_items 0, max_items i64::MAX
            // (unbounded, like 0).
            blocks: self
                .blocks
                .iter()
                .map(|(name, b)| (name.clone(), NestedBlock::List(b.to_tf_block())))
                .collect(),
            description: Description::plain(""),
            deprecated: false,
        }
    }
}

impl ProviderDef {
    pub fn parse(v: &Json, path: &str) -> Result<Self, String> {
        let obj = object(v, path)?;
        let mut def = ProviderDef::default();
        if let Some(config) = obj.get("config").filter(|c| !c.is_null()) {
            def.config = BlockDef::parse(config, &format!("{path}.config"))?;
        }
        for (key, map) in [
            ("resources", &mut def.resources),
            ("data_sources", &mut def.data_sources),
        ] {
            if let Some(types) = optional_object(obj, key, path)? {
                for (name, b) in types {
                    map.insert(
                        name.clone(),
                        BlockDef::parse(b, &format!("{path}.{key}.{name}"))?,
                    );
                }
            }
        }
        // `id` is always there in a resource, computed.
        for def in def.resources.values_mut() {
            def.attributes.entry("id".to_string()).or_insert(AttrDef {
                optional: false,
                computed: true,
                fake: None,
            });
        }
        Ok(def)
    }
}

/// Parse the whole file and return the section of `provider`.
pub fn parse_for_provider(text: &str, provider: &str) -> Result<ProviderDef, String> {
    let root: Json = serde_json::from_str(text).map_err(|e| format!("invalid JSON: {e}"))?;
    let providers = object(&root, "$")?
        .get("providers")
        .ok_or_else(|| "no top-level \"providers\" object".to_string())?;
    let providers = object(providers, "$.providers")?;
    let section = providers.get(provider).ok_or_else(|| {
        let known: Vec<&str> = providers.keys().map(String::as_str).collect();
        format!(
            "no section for provider \"{provider}\" under \"providers\" (it has: {})",
            if known.is_empty() {
                "nothing".to_string()
            } else {
                known.join(", ")
            }
        )
    })?;
    ProviderDef::parse(section, &format!("$.providers.{provider}"))
}

/// Read `TFSCOPE_MOCK_SCHEMA` and return the section of `provider`, or a
/// message naming the variable and what went wrong.
pub fn load(provider: &str) -> Result<ProviderDef, String> {
    let path = match std::env::var_os(SCHEMA_ENV) {
        Some(p) if !p.is_empty() => p,
        _ => {
            return Err(format!(
                "{SCHEMA_ENV} is not set: the tfscope mock provider serves the resource and data \
                 source types listed in the JSON schema file that {SCHEMA_ENV} names"
            ))
        }
    };
    let shown = std::path::Path::new(&path).display().to_string();
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("{SCHEMA_ENV}={shown}: cannot read the schema file: {e}"))?;
    parse_for_provider(&text, provider).map_err(|e| format!("{SCHEMA_ENV}={shown}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_sections_and_adds_id() {
        let text = r#"{"providers":{"aws":{
            "config":{"attributes":{"region":{"optional":true}},"blocks":{"default_tags":{"attributes":{"tags":{"optional":true}}}}},
            "resources":{"aws_vpc":{"attributes":{"cidr_block":{"optional":true}}}},
            "data_sources":{"aws_ami":{"attributes":{"name":{"computed":true,"fake":"x"}}}}}}}"#;
        let p = parse_for_provider(text, "aws").unwrap();
        assert!(p.config.attributes["region"].optional);
        assert!(p.config.blocks.contains_key("default_tags"));
        assert!(p.resources["aws_vpc"].attributes["id"].computed);
        assert_eq!(
            p.data_sources["aws_ami"].attributes["name"].fake,
            Some(Json::from("x"))
        );
        let err = parse_for_provider(text, "google").unwrap_err();
        assert!(err.contains("no section for provider \"google\""), "{err}");
    }

    #[test]
    fn dynamic_detection() {
        let empty = BlockDef::default();
        assert!(!empty.has_dynamic());
        let mut outer = BlockDef::default();
        outer.blocks.insert("timeouts".into(), BlockDef::default());
        assert!(!outer.has_dynamic());
        let mut inner = BlockDef::default();
        inner.attributes.insert("a".into(), AttrDef::default());
        outer.blocks.insert("x".into(), inner);
        assert!(outer.has_dynamic());
    }
}
