//! The compact model of one Terraform file: its blocks (resources, data sources, module calls,
//! variables, locals, outputs, providers) with their references and meta-arguments. Parse trees
//! are dropped after extraction; this model is what the rest of tfscope works on.

use std::collections::{BTreeMap, BTreeSet};

use crate::error::Location;

/// A reference found in an expression: `var.x`, `module.m.out`, `aws_vpc.main.id`.
/// `attrs` holds the attribute names after the root (at most three), index and splat steps
/// skipped: enough to resolve what the reference points at.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Reference {
    pub root: String,
    pub attrs: Vec<String>,
    pub line: u32,
    pub column: u32,
}

impl Reference {
    pub fn attr(&self, i: usize) -> Option<&str> {
        self.attrs.get(i).map(String::as_str)
    }

    /// The reference as written, without keys: `module.m.out`.
    pub fn dotted(&self) -> String {
        std::iter::once(self.root.as_str())
            .chain(self.attrs.iter().map(String::as_str))
            .collect::<Vec<_>>()
            .join(".")
    }
}

/// The attributes and nested blocks a block sets, `dynamic` blocks resolved to the blocks they
/// generate. Used to derive a provider schema for end-to-end tests.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Shape {
    pub attributes: BTreeSet<String>,
    pub blocks: BTreeMap<String, Shape>,
}

impl Shape {
    pub fn merge(&mut self, other: &Shape) {
        self.attributes.extend(other.attributes.iter().cloned());
        for (name, shape) in &other.blocks {
            self.blocks.entry(name.clone()).or_default().merge(shape);
        }
    }
}

/// A `for` expression over an attribute of something (`for o in aws_x.y.attr : o.f`), with the
/// fields the iterator reads: the attribute is a collection of objects with those fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Iteration {
    pub collection: Reference,
    pub fields: BTreeSet<String>,
    /// The iterator is also used whole (`=> o`), so its fields may be read elsewhere.
    pub whole: bool,
}

/// How a block is repeated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Repetition {
    #[default]
    Single,
    Count,
    ForEach,
}

impl Repetition {
    /// The repetition a meta-argument sets: `count` or `for_each`, nothing for any other name.
    pub fn of_argument(name: &str) -> Option<Repetition> {
        match name {
            "count" => Some(Repetition::Count),
            "for_each" => Some(Repetition::ForEach),
            _ => None,
        }
    }
}

/// What a top-level block declares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ItemKind {
    Resource { resource_type: String, name: String },
    Data { resource_type: String, name: String },
    Module(ModuleCall),
    Variable { name: String },
    Local { name: String },
    Output { name: String },
    Provider { name: String, alias: Option<String> },
}

/// A `module "name" { ... }` call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModuleCall {
    pub name: String,
    pub source: Option<String>,
    pub version: Option<String>,
    /// Input arguments and the references of each.
    pub inputs: BTreeMap<String, Vec<Reference>>,
    /// Input argument expressions, for evaluating instance keys further down.
    pub input_exprs: BTreeMap<String, hcl::Expression>,
    /// `providers = { aws = aws.east }`: child's name -> parent's name.
    pub providers: BTreeMap<String, String>,
}

impl ModuleCall {
    /// A call with a name and nothing else yet.
    pub fn named(name: &str) -> ModuleCall {
        ModuleCall {
            name: name.to_string(),
            source: None,
            version: None,
            inputs: BTreeMap::new(),
            input_exprs: BTreeMap::new(),
            providers: BTreeMap::new(),
        }
    }
}

/// One declaration with everything tfscope needs to know about it.
#[derive(Debug, Clone)]
pub struct Item {
    pub kind: ItemKind,
    pub location: Location,
    /// References from every expression that Terraform turns into graph edges (for module calls:
    /// only `count`/`for_each`; inputs are kept per argument in [`ModuleCall::inputs`]).
    pub refs: Vec<Reference>,
    /// `depends_on` entries.
    pub depends_on: Vec<Reference>,
    pub repetition: Repetition,
    /// `count` or `for_each` expression, for instance-key evaluation.
    pub repetition_expr: Option<hcl::Expression>,
    /// Where the `count`/`for_each` argument is written.
    pub repetition_at: Option<Location>,
    /// `provider = aws.east` meta-argument, as written.
    pub provider: Option<String>,
    /// Literal string entries of `tags` / `labels`.
    pub tags: BTreeMap<String, String>,
    /// Value expression of locals, outputs and variable defaults, for evaluation.
    pub value: Option<hcl::Expression>,
    /// A variable's `type` constraint.
    pub type_expr: Option<hcl::Expression>,
    /// A variable declared `nullable = false`: a null input takes its default.
    pub non_nullable: bool,
    /// Top-level arguments of resources and the range of `refs` each one contributed, so a
    /// reference can be traced to the argument it is written in (`role = aws_iam_role.x.name`).
    pub arg_refs: Vec<(String, std::ops::Range<u32>)>,
    /// Resources, data sources and providers: what the block sets.
    pub shape: Shape,
    /// `for` expressions over attributes, anywhere in the block.
    pub iterations: Vec<Iteration>,
    /// Resources: the expressions of the arguments [`crate::load::hcl::Detail::kept`] names for
    /// their type. Providers: `region`.
    pub kept: BTreeMap<String, hcl::Expression>,
}

impl Item {
    /// The references written in a top-level argument.
    pub fn refs_of_arg(&self, name: &str) -> &[Reference] {
        self.arg_refs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, r)| &self.refs[r.start as usize..r.end as usize])
            .unwrap_or(&[])
    }

    pub fn new(kind: ItemKind, location: Location) -> Self {
        Item {
            kind,
            location,
            refs: Vec::new(),
            depends_on: Vec::new(),
            repetition: Repetition::Single,
            repetition_expr: None,
            repetition_at: None,
            provider: None,
            tags: BTreeMap::new(),
            value: None,
            type_expr: None,
            non_nullable: false,
            arg_refs: Vec::new(),
            shape: Shape::default(),
            iterations: Vec::new(),
            kept: BTreeMap::new(),
        }
    }
}

/// The items of one file.
#[derive(Debug, Clone, Default)]
pub struct FileModel {
    pub file: String,
    pub items: Vec<Item>,
}
