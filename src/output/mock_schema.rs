//! Derives a provider schema from a configuration, for the mock provider the end-to-end tests run
//! real Terraform against: for every resource and data source type, the attributes and nested
//! blocks the configuration sets, plus every attribute something references (computed). An
//! attribute iterated by a `for` expression gets a fake value template: a list with one object
//! whose fields copy same-named configuration attributes, as real providers compute
//! `domain_validation_options` from `domain_name` at plan time.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use serde_json::{json, Value};

use crate::load::model::{ItemKind, Reference, Shape};
use crate::load::{Configuration, Module};

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Attribute {
    pub optional: bool,
    pub computed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fake: Option<Value>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Block {
    pub attributes: BTreeMap<String, Attribute>,
    pub blocks: BTreeMap<String, Block>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ProviderSchema {
    pub config: Block,
    pub resources: BTreeMap<String, Block>,
    pub data_sources: BTreeMap<String, Block>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Schema {
    pub providers: BTreeMap<String, ProviderSchema>,
}

impl Block {
    fn add_shape(&mut self, shape: &Shape) {
        for a in &shape.attributes {
            self.attributes.entry(a.clone()).or_default().optional = true;
        }
        for (name, inner) in &shape.blocks {
            self.blocks
                .entry(name.clone())
                .or_default()
                .add_shape(inner);
        }
    }

    /// A name the configuration writes as a nested block is a block, even where something also
    /// references it as an attribute (`aws_x.y.rule`): Terraform rejects a schema that has both.
    fn drop_attributes_named_like_blocks(&mut self) {
        let Block { attributes, blocks } = self;
        attributes.retain(|name, _| !blocks.contains_key(name));
        for inner in blocks.values_mut() {
            inner.drop_attributes_named_like_blocks();
        }
    }

    /// A referenced path: through the nested blocks the configuration writes, down to the
    /// attribute it reads (`vpc_config[0].cluster_security_group_id` of `aws_eks_cluster`).
    fn computed_path(&mut self, path: &[String]) {
        match path {
            [] => {}
            [first, rest @ ..] if !rest.is_empty() && self.blocks.contains_key(first) => {
                if let Some(inner) = self.blocks.get_mut(first) {
                    inner.computed_path(rest);
                }
            }
            [first, ..] => {
                self.computed(first);
            }
        }
    }

    fn computed(&mut self, name: &str) -> &mut Attribute {
        let a = self.attributes.entry(name.to_string()).or_default();
        a.computed = true;
        a
    }
}

/// The provider a resource type belongs to: the `provider` meta-argument's local name, else the
/// type's prefix, as Terraform infers it.
fn provider_of(kind: &str, meta: Option<&str>) -> String {
    match meta {
        Some(p) => p.split('.').next().unwrap_or(p).to_string(),
        None => kind.split('_').next().unwrap_or(kind).to_string(),
    }
}

/// The schema of every type `config` uses. `config` must be loaded with
/// [`crate::load::hcl::Detail::shapes`]: without shapes every type comes out with no attributes.
pub fn derive(config: &Configuration) -> Schema {
    let mut schema = Schema::default();
    let owner = add_declared_types(&mut schema, config);
    // Referenced attributes are computed; iterated ones get a fake collection template.
    for module in &config.modules {
        let (computed, iterated) = references(module);
        for (data, kind, path) in computed {
            for block in blocks_mut(&mut schema, &owner, data, &kind) {
                block.computed_path(&path);
            }
        }
        add_fake_collections(&mut schema, &owner, iterated);
    }
    for p in schema.providers.values_mut() {
        p.config.drop_attributes_named_like_blocks();
        for block in p.resources.values_mut().chain(p.data_sources.values_mut()) {
            block.drop_attributes_named_like_blocks();
        }
    }
    schema
}

/// (mode is data, type) -> provider, so references can find their block.
/// A type can be served by several providers (`google` and `google-beta`).
type Owners = BTreeMap<(bool, String), BTreeSet<String>>;

/// A referenced attribute: (mode is data, type, the attribute path after the resource's name).
type Target = (bool, String, Vec<String>);

/// Adds the block of every resource, data source and provider configuration that `config`
/// declares, with what it writes; returns the providers of each type.
fn add_declared_types(schema: &mut Schema, config: &Configuration) -> Owners {
    let mut owner = Owners::new();
    for module in &config.modules {
        for item in module.items.iter() {
            match &item.kind {
                ItemKind::Resource {
                    resource_type: kind,
                    ..
                }
                | ItemKind::Data {
                    resource_type: kind,
                    ..
                } => {
                    let data = matches!(item.kind, ItemKind::Data { .. });
                    let provider = provider_of(kind, item.provider.as_deref());
                    let p = schema.providers.entry(provider.clone()).or_default();
                    let blocks = if data {
                        &mut p.data_sources
                    } else {
                        &mut p.resources
                    };
                    let block = blocks.entry(kind.clone()).or_default();
                    block.add_shape(&item.shape);
                    block.computed("id");
                    owner
                        .entry((data, kind.clone()))
                        .or_default()
                        .insert(provider);
                }
                ItemKind::Provider { name, .. } => {
                    schema
                        .providers
                        .entry(name.clone())
                        .or_default()
                        .config
                        .add_shape(&item.shape);
                }
                _ => {}
            }
        }
    }
    owner
}

/// The attributes `module` references (computed), and the ones it iterates with the fields
/// each iteration reads.
fn references(module: &Module) -> (Vec<Target>, Vec<(Target, BTreeSet<String>)>) {
    let declared = Declared::of(module);
    let mut computed = Vec::new();
    let mut iterated = Vec::new();
    for item in module.items.iter() {
        let inputs = match &item.kind {
            ItemKind::Module(call) => call.inputs.values().flatten().collect::<Vec<_>>(),
            _ => Vec::new(),
        };
        for r in item.refs.iter().chain(inputs) {
            computed.extend(declared.target(r));
        }
        for it in &item.iterations {
            if let Some(t) = declared.target(&it.collection) {
                iterated.push((t, it.fields.clone()));
            } else if let Some((data, kind)) = declared.instances(&it.collection) {
                computed.extend(
                    it.fields
                        .iter()
                        .map(|f| (data, kind.clone(), vec![f.clone()])),
                );
            }
        }
    }
    (computed, iterated)
}

/// The resources and data sources one module declares: (mode is data, type, name).
struct Declared<'a>(BTreeSet<(bool, &'a str, &'a str)>);

impl<'a> Declared<'a> {
    /// What `module` declares.
    fn of(module: &'a Module) -> Declared<'a> {
        Declared(
            module
                .items
                .iter()
                .filter_map(|i| match &i.kind {
                    ItemKind::Resource {
                        resource_type: kind,
                        name,
                    } => Some((false, kind.as_str(), name.as_str())),
                    ItemKind::Data {
                        resource_type: kind,
                        name,
                    } => Some((true, kind.as_str(), name.as_str())),
                    _ => None,
                })
                .collect(),
        )
    }

    /// The attribute path after the resource's name: `aws_x.y.vpc_config[0].sg_id` ->
    /// ["vpc_config", "sg_id"] (keys are not in the path).
    fn target(&self, r: &Reference) -> Option<Target> {
        let (data, kind, name, skip) = if r.root == "data" {
            (true, r.attr(0)?, r.attr(1)?, 2)
        } else {
            (false, r.root.as_str(), r.attr(0)?, 1)
        };
        let path = r.attrs.get(skip..).filter(|p| !p.is_empty())?.to_vec();
        self.0
            .contains(&(data, kind, name))
            .then(|| (data, kind.to_string(), path))
    }

    /// `for r in aws_x.y : r.f` iterates instances: `f` is an attribute of `aws_x`.
    fn instances(&self, r: &Reference) -> Option<(bool, String)> {
        let (data, kind, name) = if r.root == "data" {
            (true, r.attr(0)?, r.attr(1)?)
        } else {
            (false, r.root.as_str(), r.attr(0)?)
        };
        let whole = if data {
            r.attrs.len() == 2
        } else {
            r.attrs.len() == 1
        };
        (whole && self.0.contains(&(data, kind, name))).then(|| (data, kind.to_string()))
    }
}

/// Makes each iterated attribute computed, with a fake value: a list of one object whose
/// fields copy the same-named configuration attributes (or are `mock-<field>`).
fn add_fake_collections(
    schema: &mut Schema,
    owner: &Owners,
    iterated: Vec<(Target, BTreeSet<String>)>,
) {
    for ((data, kind, path), fields) in iterated {
        for block in blocks_mut(schema, owner, data, &kind) {
            let object: serde_json::Map<String, Value> = fields
                .iter()
                .map(|f| {
                    let value = if block.attributes.get(f).is_some_and(|a| a.optional) {
                        json!(format!("${{config:{f}}}"))
                    } else {
                        json!(format!("mock-{f}"))
                    };
                    (f.clone(), value)
                })
                .collect();
            block.computed(&path[0]).fake = Some(json!([object]));
        }
    }
}

/// The schema blocks of `kind` in every provider that serves it.
fn blocks_mut<'a>(
    schema: &'a mut Schema,
    owner: &Owners,
    data: bool,
    kind: &str,
) -> Vec<&'a mut Block> {
    let Some(providers) = owner.get(&(data, kind.to_string())) else {
        return Vec::new();
    };
    schema
        .providers
        .iter_mut()
        .filter(|(name, _)| providers.contains(name.as_str()))
        .filter_map(|(_, p)| {
            if data {
                p.data_sources.get_mut(kind)
            } else {
                p.resources.get_mut(kind)
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    //! The mock provider's schema: set and referenced attributes, blocks and iterated collections.

    use super::*;

    #[test]
    fn schema_covers_set_and_referenced_attributes_blocks_and_iterated_collections() {
        let tmp = crate::testing::tree(&[
            (
                "main.tf",
                r#"
provider "aws" {
  region = "us-east-1"
  default_tags {
    tags = { a = "b" }
  }
}
resource "aws_acm_certificate" "c" {
  domain_name = "example.com"
  lifecycle {
    create_before_destroy = true
  }
}
resource "aws_route53_record" "v" {
  for_each = { for o in aws_acm_certificate.c.domain_validation_options : o.domain_name => o }
  name     = each.value.resource_record_name
}
output "fqdns" {
  value = [for r in aws_route53_record.v : r.fqdn]
}
resource "aws_ecr_lifecycle_policy" "p" {
  for_each   = aws_route53_record.v
  repository = "${each.value.zone_id}%{ for r in aws_route53_record.v }${r.ttl}%{ endfor }"
}
resource "aws_security_group" "sg" {
  dynamic "ingress" {
    for_each = [1]
    content {
      from_port = ingress.value
    }
  }
  egress {
    to_port = 0
  }
}
data "aws_region" "r" {}
resource "random_id" "x" {
  keepers = { region = data.aws_region.r.name }
}
module "m" {
  source = "./m"
  arn    = aws_acm_certificate.c.arn
}
"#,
            ),
            ("m/main.tf", "variable \"arn\" {}\n"),
        ]);
        let config = crate::load::load_with(
            tmp.path(),
            crate::load::hcl::Detail {
                shapes: true,
                ..Default::default()
            },
        )
        .unwrap();
        let schema = derive(&config);
        let aws = &schema.providers["aws"];
        assert!(aws.config.attributes["region"].optional);
        assert!(aws.config.blocks.contains_key("default_tags"));
        let cert = &aws.resources["aws_acm_certificate"];
        assert!(cert.attributes["domain_name"].optional);
        assert!(
            cert.attributes["arn"].computed,
            "referenced through a module input"
        );
        assert!(
            !cert.attributes.contains_key("lifecycle") && !cert.blocks.contains_key("lifecycle")
        );
        assert_eq!(
            cert.attributes["domain_validation_options"].fake,
            Some(
                json!([{"domain_name": "${config:domain_name}", "resource_record_name": "mock-resource_record_name"}])
            )
        );
        let sg = &aws.resources["aws_security_group"];
        assert!(sg.blocks["ingress"].attributes.contains_key("from_port"));
        assert!(sg.blocks["egress"].attributes.contains_key("to_port"));
        assert!(aws.data_sources["aws_region"].attributes["name"].computed);
        let record = &aws.resources["aws_route53_record"];
        for attr in ["fqdn", "zone_id", "ttl"] {
            assert!(record.attributes[attr].computed, "{attr}");
        }
        assert!(schema.providers["random"].resources["random_id"].attributes["id"].computed);
    }

    // aws_s3_bucket_versioning in terraform-aws-modules/s3-bucket: `versioning_configuration {}`
    // written as a block and read as `aws_s3_bucket_versioning.this.versioning_configuration`.
    #[test]
    fn a_referenced_block_stays_a_block_and_its_read_attributes_are_computed() {
        let tmp = crate::testing::tree(&[(
            "main.tf",
            r#"
resource "aws_s3_bucket_versioning" "v" {
  versioning_configuration {
    status = "Enabled"
  }
}
output "status" {
  value = aws_s3_bucket_versioning.v.versioning_configuration
}
resource "aws_eks_cluster" "c" {
  vpc_config {
    subnet_ids = []
  }
}
resource "aws_ec2_tag" "t" {
  resource_id = aws_eks_cluster.c.vpc_config[0].cluster_security_group_id
}
resource "google_cloud_run_service" "api" {}
resource "google_cloud_run_service" "fe" {
  provider = google-beta
  name     = google_cloud_run_service.api.url
}
"#,
        )]);
        let schema = derive(
            &crate::load::load_with(
                tmp.path(),
                crate::load::hcl::Detail {
                    shapes: true,
                    ..Default::default()
                },
            )
            .unwrap(),
        );
        let v = &schema.providers["aws"].resources["aws_s3_bucket_versioning"];
        assert!(v.blocks.contains_key("versioning_configuration"));
        assert!(!v.attributes.contains_key("versioning_configuration"));
        let eks = &schema.providers["aws"].resources["aws_eks_cluster"];
        let vpc_config = &eks.blocks["vpc_config"].attributes;
        assert!(vpc_config["cluster_security_group_id"].computed);
        assert!(vpc_config["subnet_ids"].optional);
        for provider in ["google", "google-beta"] {
            let run = &schema.providers[provider].resources["google_cloud_run_service"];
            assert!(run.attributes["url"].computed, "{provider}");
        }
    }
}
