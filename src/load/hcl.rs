//! Turns the text of one `.tf` file into a [`FileModel`]: hcl-edit parses it (keeping spans for
//! diagnostics), a visitor collects every reference, and meta-arguments (`count`, `for_each`,
//! `depends_on`, `provider`, `lifecycle`, `dynamic`) are read the way Terraform reads them.
//! The parse tree is dropped before returning. Knows nothing about other files or modules.

use std::collections::BTreeMap;

use hcl_edit::expr::{Expression, ForExpr, ObjectKey, Traversal, TraversalOperator};
use hcl_edit::structure::{Attribute, Block, Body, Structure};
use hcl_edit::template::ForTemplateExpr;
use hcl_edit::visit::{self, Visit};
use hcl_edit::Span;

use crate::error::{Error, LineIndex, Location};
use crate::load::model::{
    FileModel, Item, ItemKind, Iteration, ModuleCall, Reference, Repetition, Shape,
};

/// The arguments of a resource type whose expressions a parse keeps, for evaluation per instance.
pub type KeptArguments = fn(&str) -> &'static [&'static str];

/// What a parse keeps beyond names and references.
#[derive(Debug, Clone, Copy)]
pub struct Detail {
    /// Each resource's and provider's [`crate::load::model::Shape`] (the attributes and blocks it
    /// writes), for deriving the mock provider's schema (`tfscope mock-schema`); left empty
    /// otherwise.
    pub shapes: bool,
    /// The arguments whose expressions are kept, per resource type: what classification reads
    /// (the analysis passes `classify::kept_arguments`). The default keeps none.
    pub kept: KeptArguments,
}

impl Default for Detail {
    fn default() -> Detail {
        Detail {
            shapes: false,
            kept: |_| &[],
        }
    }
}

/// Parses one file for the analysis. `file` is the path shown in messages.
pub fn parse_file(file: &str, text: &str) -> Result<FileModel, Error> {
    parse_file_with(file, text, Detail::default())
}

/// Parses one file, keeping `detail` too.
pub fn parse_file_with(file: &str, text: &str, detail: Detail) -> Result<FileModel, Error> {
    let body = crate::load::hcl_syntax::parse_body(text).map_err(|e| {
        let offset = e.location().offset();
        Error::syntax(file, text, offset..offset + 1, e.message().to_string())
    })?;
    let cx = Cx {
        file,
        text,
        index: LineIndex::new(text),
        detail,
    };
    let mut items = Vec::with_capacity(body.len());
    // The tree is consumed: expressions kept for evaluation are moved out, not copied.
    for block in body.into_iter().filter_map(|s| s.into_block().ok()) {
        cx.top_level_block(block, &mut items)?;
    }
    Ok(FileModel {
        file: file.to_string(),
        items,
    })
}

/// References in a string template such as `"${var.a}-${aws_x.y.id}"` (JSON syntax). Strings
/// that are not valid templates hold no references.
pub fn template_refs(template: &str) -> Vec<Reference> {
    if !template.contains("${") && !template.contains("%{") {
        return Vec::new();
    }
    let Ok(parsed) = hcl_edit::parser::parse_template(template) else {
        return Vec::new();
    };
    let index = LineIndex::new(template);
    let mut collector = RefCollector::new(&index, template);
    collector.visit_template(&parsed);
    collector.refs
}

/// References in a bare expression such as `aws_vpc.main` (JSON `depends_on` entries).
pub fn expression_text_refs(text: &str) -> Vec<Reference> {
    let Ok(expr) = hcl_edit::parser::parse_expr(text) else {
        return Vec::new();
    };
    let index = LineIndex::new(text);
    let mut collector = RefCollector::new(&index, text);
    collector.visit_expr(&expr);
    collector.refs
}

struct Cx<'a> {
    file: &'a str,
    text: &'a str,
    index: LineIndex,
    detail: Detail,
}

impl Cx<'_> {
    fn location(&self, span: Option<std::ops::Range<usize>>) -> Location {
        self.index
            .location(self.file, self.text, span.map_or(0, |s| s.start))
    }

    fn error(&self, span: Option<std::ops::Range<usize>>, message: String) -> Error {
        Error::syntax(self.file, self.text, span.unwrap_or(0..1), message)
    }

    fn collector(&self) -> RefCollector<'_> {
        RefCollector::new(&self.index, self.text)
    }

    fn labels<'b>(&self, block: &'b Block, want: &[&str]) -> Result<Vec<&'b str>, Error> {
        let labels: Vec<&str> = block.labels.iter().map(|l| l.as_str()).collect();
        if labels.len() != want.len() {
            let ident = block.ident.as_str();
            return Err(self.error(
                block.span(),
                format!(
                    "a {ident} block takes {} label(s) ({}), found {}",
                    want.len(),
                    want.join(", "),
                    labels.len()
                ),
            ));
        }
        Ok(labels)
    }

    /// One top-level block: the items it declares go onto `items`.
    fn top_level_block(&self, block: Block, items: &mut Vec<Item>) -> Result<(), Error> {
        let location = self.location(block.span());
        match block.ident.as_str() {
            "resource" | "data" => items.push(self.resource_item(block, location)?),
            "module" => {
                let name = self.labels(&block, &["name"])?[0].to_string();
                items.push(self.module_call(&name, block.body, location));
            }
            "variable" => items.push(self.variable_item(block, location)?),
            "locals" => self.local_items(block.body, items),
            "output" => items.push(self.output_item(block, location)?),
            "provider" => items.push(self.provider_item(&block, location)?),
            // terraform, moved, import, removed, check: no graph nodes of their own.
            _ => {}
        }
        Ok(())
    }

    /// `resource "type" "name"` or `data "type" "name"`.
    fn resource_item(&self, block: Block, location: Location) -> Result<Item, Error> {
        let labels = self.labels(&block, &["type", "name"])?;
        let (kind, name) = (labels[0].to_string(), labels[1].to_string());
        let item_kind = if block.ident.as_str() == "resource" {
            ItemKind::Resource {
                resource_type: kind,
                name,
            }
        } else {
            ItemKind::Data {
                resource_type: kind,
                name,
            }
        };
        let mut item = Item::new(item_kind, location);
        self.resource_body(block.body, &mut item);
        Ok(item)
    }

    /// `variable "name"`: its default, type and nullability.
    fn variable_item(&self, block: Block, location: Location) -> Result<Item, Error> {
        let labels = self.labels(&block, &["name"])?;
        let mut item = Item::new(
            ItemKind::Variable {
                name: labels[0].to_string(),
            },
            location,
        );
        // The first of each argument counts, as `Body::get_attribute` finds it.
        let mut nullable = None;
        for attr in block.body.into_attributes() {
            match attr.key.as_str() {
                "default" if item.value.is_none() => {
                    item.value = Some(hcl::Expression::from(attr.value));
                }
                "type" if item.type_expr.is_none() => {
                    item.type_expr = Some(hcl::Expression::from(attr.value));
                }
                "nullable" if nullable.is_none() => nullable = Some(attr.value),
                _ => {}
            }
        }
        item.non_nullable = nullable
            .is_some_and(|v| matches!(hcl::Expression::from(v), hcl::Expression::Bool(false)));
        Ok(item)
    }

    /// `locals { ... }`: one item per attribute, located at the attribute.
    fn local_items(&self, body: Body, items: &mut Vec<Item>) {
        for attr in body.into_attributes() {
            let mut item = Item::new(
                ItemKind::Local {
                    name: attr.key.as_str().to_string(),
                },
                self.location(attr.span()),
            );
            let mut c = self.collector();
            c.visit_expr(&attr.value);
            item.refs = c.refs;
            item.iterations = c.iterations;
            item.value = Some(hcl::Expression::from(attr.value));
            items.push(item);
        }
    }

    /// `output "name"`: its value, `depends_on`, and the references of everything else.
    fn output_item(&self, block: Block, location: Location) -> Result<Item, Error> {
        let labels = self.labels(&block, &["name"])?;
        let mut item = Item::new(
            ItemKind::Output {
                name: labels[0].to_string(),
            },
            location,
        );
        let mut c = self.collector();
        for structure in block.body.into_iter() {
            match structure {
                Structure::Attribute(a) if a.key.as_str() == "depends_on" => {
                    item.depends_on = self.refs_of(&a.value);
                }
                Structure::Attribute(a) if a.key.as_str() == "value" => {
                    c.visit_attr(&a);
                    item.value = Some(hcl::Expression::from(a.value));
                }
                other => c.visit_structure(&other),
            }
        }
        item.refs = c.refs;
        item.iterations = c.iterations;
        Ok(item)
    }

    /// `provider "name"`: its alias, its `region` expression, references and (with
    /// [`Detail::shapes`]) shape.
    fn provider_item(&self, block: &Block, location: Location) -> Result<Item, Error> {
        let labels = self.labels(block, &["name"])?;
        let alias = block
            .body
            .get_attribute("alias")
            .and_then(|a| string_literal(&a.value));
        let mut item = Item::new(
            ItemKind::Provider {
                name: labels[0].to_string(),
                alias,
            },
            location,
        );
        if let Some(region) = block.body.get_attribute("region") {
            // The region a resource using this configuration is priced in (`cost`).
            item.kept
                .insert("region".into(), hcl::Expression::from(region.value.clone()));
        }
        let mut c = self.collector();
        c.visit_body(&block.body);
        item.refs = c.refs;
        item.iterations = c.iterations;
        if self.detail.shapes {
            item.shape = shape_of(&block.body, &["alias", "version"]);
        }
        Ok(item)
    }

    fn refs_of(&self, expr: &Expression) -> Vec<Reference> {
        let mut c = self.collector();
        c.visit_expr(expr);
        c.refs
    }

    /// A resource's or data source's body: its meta-arguments, tags, kept arguments and
    /// references, and (with [`Detail::shapes`]) its shape.
    fn resource_body(&self, body: Body, item: &mut Item) {
        let kept = match &item.kind {
            ItemKind::Resource {
                resource_type: kind,
                ..
            } => (self.detail.kept)(kind),
            _ => &[],
        };
        // What needs the whole body, before the loop below takes its expressions.
        let shape = self.detail.shapes.then(|| resource_shape(&body));
        let for_each_collection = self.for_each_collection(&body);
        let mut c = self.collector();
        for structure in body.into_iter() {
            match structure {
                Structure::Attribute(attr) => self.resource_attribute(attr, item, &mut c, kept),
                Structure::Block(block) if block.ident.as_str() == "lifecycle" => {
                    // ignore_changes names attributes of this resource, not dependencies.
                    for inner in block.body.iter() {
                        match inner {
                            Structure::Attribute(a) if a.key.as_str() == "ignore_changes" => {}
                            other => c.visit_structure(other),
                        }
                    }
                }
                Structure::Block(block) => c.visit_block(&block),
            }
        }
        add_each_value_fields(&mut c, for_each_collection);
        item.refs = c.refs;
        item.iterations = c.iterations;
        if let Some(shape) = shape {
            item.shape = shape;
        }
    }

    /// `for_each = aws_x.y` hands the instances of another resource to `each.value`: that
    /// resource, when `for_each` is a plain reference.
    fn for_each_collection(&self, body: &Body) -> Option<Reference> {
        body.iter()
            .find(|s| matches!(s, Structure::Attribute(a) if a.key.as_str() == "for_each"))
            .and_then(|s| s.as_attribute())
            .filter(|a| matches!(a.value, Expression::Traversal(_)))
            .and_then(|a| self.refs_of(&a.value).into_iter().next())
    }

    /// One argument of a resource body, read as Terraform reads it; the references it holds
    /// are recorded under its name.
    fn resource_attribute(
        &self,
        attr: Attribute,
        item: &mut Item,
        c: &mut RefCollector,
        kept: &[&str],
    ) {
        let start = c.refs.len() as u32;
        match attr.key.as_str() {
            "depends_on" => item.depends_on = self.refs_of(&attr.value),
            "provider" => item.provider = traversal_text(&attr.value),
            "count" | "for_each" => {
                item.repetition_at = Some(self.location(attr.value.span()));
                item.repetition =
                    Repetition::of_argument(attr.key.as_str()).expect("count or for_each");
                c.visit_attr(&attr);
                item.repetition_expr = Some(hcl::Expression::from(attr.value));
            }
            "tags" | "labels" => {
                collect_literal_map(&attr.value, &mut item.tags);
                c.visit_attr(&attr);
            }
            key if kept.contains(&key) => {
                c.visit_attr(&attr);
                item.kept
                    .insert(key.to_string(), hcl::Expression::from(attr.value));
            }
            _ => c.visit_attr(&attr),
        }
        let end = c.refs.len() as u32;
        if end > start {
            item.arg_refs
                .push((attr.key.as_str().to_string(), start..end));
        }
    }

    fn module_call(&self, name: &str, body: Body, location: Location) -> Item {
        let mut call = ModuleCall::named(name);
        let mut item = Item::new(
            ItemKind::Variable {
                name: String::new(),
            },
            location,
        );
        let mut c = self.collector();
        for attr in body.into_attributes() {
            match attr.key.as_str() {
                "source" => call.source = string_literal(&attr.value),
                "version" => call.version = string_literal(&attr.value),
                "depends_on" => item.depends_on = self.refs_of(&attr.value),
                "count" | "for_each" => {
                    item.repetition =
                        Repetition::of_argument(attr.key.as_str()).expect("count or for_each");
                    item.repetition_at = Some(self.location(attr.value.span()));
                    c.visit_attr(&attr);
                    item.repetition_expr = Some(hcl::Expression::from(attr.value));
                }
                "providers" => {
                    if let Expression::Object(obj) = &attr.value {
                        for (key, value) in obj.iter() {
                            let child = match key {
                                ObjectKey::Ident(id) => Some(id.as_str().to_string()),
                                ObjectKey::Expression(e) => traversal_text(e),
                            };
                            if let (Some(child), Some(parent)) =
                                (child, traversal_text(value.expr()))
                            {
                                call.providers.insert(child, parent);
                            }
                        }
                    }
                }
                input => {
                    let mut inputs = self.collector();
                    inputs.visit_expr(&attr.value);
                    item.iterations.extend(inputs.iterations);
                    call.inputs.insert(input.to_string(), inputs.refs);
                    call.input_exprs
                        .insert(input.to_string(), hcl::Expression::from(attr.value));
                }
            }
        }
        item.refs = c.refs;
        item.kind = ItemKind::Module(call);
        item
    }
}

/// Meta-arguments and meta-blocks of resources: not part of the provider's schema.
const RESOURCE_META: &[&str] = &[
    "count",
    "for_each",
    "depends_on",
    "provider",
    "lifecycle",
    "provisioner",
    "connection",
];

/// What a resource body writes, for the mock schema: its shape without meta-arguments, plus
/// the attributes `ignore_changes` names.
fn resource_shape(body: &Body) -> Shape {
    let mut shape = shape_of(body, RESOURCE_META);
    shape.attributes.extend(ignored_attributes(body));
    shape
}

/// `for_each = { for o in x.attr : o.key => o }` hands whole objects to `each.value`: the
/// fields this resource reads from it belong to the iterated collection too. So do they for
/// `for_each = aws_x.y` (`for_each_collection`), recorded as an iteration of its own.
fn add_each_value_fields(c: &mut RefCollector, for_each_collection: Option<Reference>) {
    let each_fields: Vec<String> = c
        .refs
        .iter()
        .filter(|r| r.root == "each" && r.attr(0) == Some("value"))
        .filter_map(|r| r.attr(1).map(str::to_string))
        .collect();
    for it in c.iterations.iter_mut().filter(|it| it.whole) {
        it.fields.extend(each_fields.iter().cloned());
    }
    if let Some(collection) = for_each_collection {
        c.iterations.push(Iteration {
            collection,
            fields: each_fields.iter().cloned().collect(),
            whole: false,
        });
    }
}

/// The attributes `lifecycle { ignore_changes = [tags_all, labels["x"]] }` names: Terraform
/// checks them against the provider's schema, so they are part of the shape.
fn ignored_attributes(body: &Body) -> Vec<String> {
    let lists = body
        .blocks()
        .filter(|b| b.ident.as_str() == "lifecycle")
        .flat_map(|b| b.body.attributes())
        .filter(|a| a.key.as_str() == "ignore_changes");
    let mut names = Vec::new();
    for list in lists {
        let Expression::Array(items) = &list.value else {
            continue; // `ignore_changes = all`
        };
        for item in items.iter() {
            let root = match item {
                Expression::Traversal(t) => &t.expr,
                other => other,
            };
            if let Expression::Variable(v) = root {
                names.push(v.as_str().to_string());
            }
        }
    }
    names
}

/// What a body sets, skipping `skip`; `dynamic "x" { content { ... } }` counts as block `x`.
fn shape_of(body: &Body, skip: &[&str]) -> Shape {
    let mut shape = Shape::default();
    for structure in body.iter() {
        match structure {
            Structure::Attribute(a) if !skip.contains(&a.key.as_str()) => {
                shape.attributes.insert(a.key.as_str().to_string());
            }
            Structure::Block(b) if b.ident.as_str() == "dynamic" => {
                let Some(name) = b.labels.first() else {
                    continue;
                };
                for content in b.body.blocks().filter(|c| c.ident.as_str() == "content") {
                    shape
                        .blocks
                        .entry(name.as_str().to_string())
                        .or_default()
                        .merge(&shape_of(&content.body, &[]));
                }
            }
            Structure::Block(b) if !skip.contains(&b.ident.as_str()) => {
                shape
                    .blocks
                    .entry(b.ident.as_str().to_string())
                    .or_default()
                    .merge(&shape_of(&b.body, &[]));
            }
            _ => {}
        }
    }
    shape
}

/// `aws.east` (or the legacy string form "aws.east") as text.
fn traversal_text(expr: &Expression) -> Option<String> {
    match expr {
        Expression::Variable(v) => Some(v.as_str().to_string()),
        Expression::String(s) => Some(s.value().to_string()),
        Expression::Traversal(t) => {
            let mut out = traversal_text(&t.expr)?;
            for op in &t.operators {
                match op.value() {
                    TraversalOperator::GetAttr(id) => {
                        out.push('.');
                        out.push_str(id.as_str());
                    }
                    _ => return None,
                }
            }
            Some(out)
        }
        _ => None,
    }
}

fn string_literal(expr: &Expression) -> Option<String> {
    match expr {
        Expression::String(s) => Some(s.value().to_string()),
        _ => None,
    }
}

/// Literal `key = "value"` pairs of an object expression; `merge(...)` arguments are searched
/// too, since `tags = merge(local.tags, { Scope = "base" })` is how tags are usually written.
fn collect_literal_map(expr: &Expression, out: &mut BTreeMap<String, String>) {
    match expr {
        Expression::Object(obj) => {
            for (key, value) in obj.iter() {
                let key = match key {
                    ObjectKey::Ident(id) => Some(id.as_str().to_string()),
                    ObjectKey::Expression(e) => string_literal(e),
                };
                if let (Some(k), Some(v)) = (key, string_literal(value.expr())) {
                    out.insert(k, v);
                }
            }
        }
        Expression::FuncCall(call) if call.name.name.as_str() == "merge" => {
            for arg in call.args.iter() {
                collect_literal_map(arg, out);
            }
        }
        Expression::Parenthesis(p) => collect_literal_map(p.inner(), out),
        _ => {}
    }
}

/// An open `for` expression over a reference.
struct Frame {
    iterator: String,
    collection: Reference,
    fields: std::collections::BTreeSet<String>,
    whole: bool,
}

/// Collects references, skipping names bound by `for` expressions, `for` template directives
/// and `dynamic` block iterators.
struct RefCollector<'a> {
    refs: Vec<Reference>,
    iterations: Vec<Iteration>,
    /// Open `for` expressions over a reference: (iterator name, collection, fields read).
    frames: Vec<Frame>,
    bound: Vec<String>,
    index: &'a LineIndex,
    text: &'a str,
}

impl<'a> RefCollector<'a> {
    fn new(index: &'a LineIndex, text: &'a str) -> Self {
        RefCollector {
            refs: Vec::new(),
            iterations: Vec::new(),
            frames: Vec::new(),
            bound: Vec::new(),
            index,
            text,
        }
    }

    /// Visits a `for` collection; when it is a plain reference, starts recording which fields of
    /// the iterator the body reads.
    fn open_frame(&mut self, collection: &Expression, iterator: &str) -> Option<usize> {
        let before = self.refs.len();
        self.visit_expr(collection);
        let reference = match collection {
            Expression::Traversal(_) if self.refs.len() == before + 1 => self.refs.last().cloned(),
            _ => None,
        }?;
        self.frames.push(Frame {
            iterator: iterator.to_string(),
            collection: reference,
            fields: Default::default(),
            whole: false,
        });
        Some(self.frames.len())
    }

    fn close_frame(&mut self, frame: Option<usize>) {
        if let Some(n) = frame {
            let f = self.frames.remove(n - 1);
            self.iterations.push(Iteration {
                collection: f.collection,
                fields: f.fields,
                whole: f.whole,
            });
        }
    }

    fn push_ref(&mut self, root: &str, attrs: Vec<String>, span: Option<std::ops::Range<usize>>) {
        if self.bound.iter().any(|b| b == root) {
            if let Some(frame) = self.frames.iter_mut().rev().find(|f| f.iterator == root) {
                frame.whole |= attrs.is_empty();
                frame.fields.extend(attrs.into_iter().take(1));
            }
            return;
        }
        let (line, column) = self.index.line_col(self.text, span.map_or(0, |s| s.start));
        self.refs.push(Reference {
            root: root.to_string(),
            attrs,
            line: line as u32,
            column: column as u32,
        });
    }
}

impl Visit for RefCollector<'_> {
    fn visit_expr(&mut self, expr: &Expression) {
        if let Expression::Variable(v) = expr {
            // A bare name such as `module.x` without attributes never parses this way, but a
            // lone identifier (e.g. `local`) can; it refers to nothing tfscope tracks.
            self.push_ref(v.as_str(), Vec::new(), expr.span());
            return;
        }
        visit::visit_expr(self, expr);
    }

    fn visit_traversal(&mut self, node: &Traversal) {
        if let Expression::Variable(root) = &node.expr {
            let attrs = node
                .operators
                .iter()
                .filter_map(|op| match op.value() {
                    TraversalOperator::GetAttr(id) => Some(id.as_str().to_string()),
                    _ => None,
                })
                .take(3)
                .collect();
            self.push_ref(root.as_str(), attrs, node.expr.span());
        } else {
            self.visit_expr(&node.expr);
        }
        for op in &node.operators {
            if let TraversalOperator::Index(e) = op.value() {
                self.visit_expr(e);
            }
        }
    }

    fn visit_for_expr(&mut self, node: &ForExpr) {
        let frame = self.open_frame(&node.intro.collection_expr, node.intro.value_var.as_str());
        let depth = self.bound.len();
        if let Some(k) = &node.intro.key_var {
            self.bound.push(k.as_str().to_string());
        }
        self.bound.push(node.intro.value_var.as_str().to_string());
        if let Some(k) = &node.key_expr {
            self.visit_expr(k);
        }
        self.visit_expr(&node.value_expr);
        if let Some(cond) = &node.cond {
            self.visit_expr(&cond.expr);
        }
        self.bound.truncate(depth);
        self.close_frame(frame);
    }

    // hcl-edit's default skips the collection expression of `%{ for x in EXPR }`.
    fn visit_for_template_expr(&mut self, node: &ForTemplateExpr) {
        let frame = self.open_frame(&node.collection_expr, node.value_var.as_str());
        let depth = self.bound.len();
        if let Some(k) = &node.key_var {
            self.bound.push(k.as_str().to_string());
        }
        self.bound.push(node.value_var.as_str().to_string());
        self.visit_template(&node.template);
        self.bound.truncate(depth);
        self.close_frame(frame);
    }

    fn visit_block(&mut self, block: &Block) {
        if block.ident.as_str() != "dynamic" {
            visit::visit_block(self, block);
            return;
        }
        // dynamic "name" { for_each = ..., iterator = it, content { ... it.value ... } }
        let iterator = block
            .body
            .get_attribute("iterator")
            .and_then(|a| traversal_text(&a.value))
            .or_else(|| block.labels.first().map(|l| l.as_str().to_string()));
        for structure in block.body.iter() {
            match structure {
                Structure::Attribute(a) if a.key.as_str() == "iterator" => {}
                Structure::Attribute(a) => self.visit_attr(a),
                Structure::Block(content) => {
                    let depth = self.bound.len();
                    if let Some(it) = &iterator {
                        self.bound.push(it.clone());
                    }
                    self.visit_block(content);
                    self.bound.truncate(depth);
                }
            }
        }
    }

    fn visit_attr(&mut self, attr: &Attribute) {
        self.visit_expr(&attr.value);
    }
}

#[cfg(test)]
mod tests {
    //! The model a file parses into: items, references, module calls, and syntax errors.

    use super::*;

    fn refs(item: &Item) -> Vec<String> {
        let mut r: Vec<String> = item.refs.iter().map(Reference::dotted).collect();
        r.sort();
        r.dedup();
        r
    }

    fn parse(text: &str) -> FileModel {
        parse_file("main.tf", text).expect("parses")
    }

    // terraform-aws-modules/rds-aurora: `ignore_changes = [tags_all]`, never set or read.
    #[test]
    fn ignored_attributes_are_part_of_the_shape_but_not_references() {
        let text = r#"
resource "aws_appautoscaling_target" "t" {
  max_capacity = 2
  lifecycle {
    ignore_changes = [tags_all, labels["asmv"]]
  }
}
"#;
        // The analysis does not keep shapes; the mock provider's schema asks for them.
        assert!(parse(text).items[0].shape.attributes.is_empty());
        let model = parse_file_with(
            "main.tf",
            text,
            Detail {
                shapes: true,
                ..Default::default()
            },
        )
        .expect("parses");
        let item = &model.items[0];
        let attrs: Vec<&str> = item.shape.attributes.iter().map(String::as_str).collect();
        assert_eq!(attrs, vec!["labels", "max_capacity", "tags_all"]);
        assert!(item.refs.is_empty());
    }

    #[test]
    fn references_come_from_every_kind_of_expression() {
        let model = parse(
            r#"
resource "aws_instance" "web" {
  count         = var.n
  ami           = data.aws_ami.x.id
  subnet_id     = element(aws_subnet.private[*].id, count.index)
  user_data     = "host=${aws_db_instance.db.address} %{ for h in local.hosts }${h}%{ endfor }"
  tags          = merge(local.tags, { Scope = "base", Name = "web-${var.env}" })
  vpc_security_group_ids = [for sg in module.net.sg_ids : sg if sg != null]
  key_name      = var.enabled ? aws_key_pair.k[0].key_name : null
  dynamic "ebs_block_device" {
    for_each = var.disks
    content {
      device_name = ebs_block_device.value.name
      kms_key_id  = aws_kms_key.k.arn
    }
  }
  lifecycle {
    ignore_changes        = [ami, tags]
    replace_triggered_by  = [null_resource.trigger]
  }
  depends_on = [aws_iam_role.r, module.other]
  provider   = aws.east
}
"#,
        );
        let item = &model.items[0];
        assert_eq!(
            refs(item),
            vec![
                "aws_db_instance.db.address",
                "aws_key_pair.k.key_name",
                "aws_kms_key.k.arn",
                "aws_subnet.private.id",
                "count.index",
                "data.aws_ami.x.id",
                "local.hosts",
                "local.tags",
                "module.net.sg_ids",
                "null_resource.trigger",
                "var.disks",
                "var.enabled",
                "var.env",
                "var.n",
            ]
        );
        let deps: Vec<String> = item.depends_on.iter().map(Reference::dotted).collect();
        assert_eq!(deps, vec!["aws_iam_role.r", "module.other"]);
        assert_eq!(item.provider.as_deref(), Some("aws.east"));
        assert_eq!(item.repetition, Repetition::Count);
        assert_eq!(item.tags.get("Scope").map(String::as_str), Some("base"));
        assert!(
            !item.tags.contains_key("Name"),
            "templates are not literal tags"
        );
    }

    #[test]
    fn dynamic_iterator_names_are_not_references() {
        let model = parse(
            r#"
resource "aws_security_group" "sg" {
  dynamic "ingress" {
    for_each = var.rules
    iterator = rule
    content {
      from_port = rule.value.port
      cidr_blocks = [ingress.value]
    }
  }
}
"#,
        );
        // With an explicit iterator, `ingress.value` is an ordinary (if odd) reference.
        assert_eq!(refs(&model.items[0]), vec!["ingress.value", "var.rules"]);
    }

    #[test]
    fn module_calls_keep_inputs_providers_and_expansion() {
        let model = parse(
            r#"
module "svc" {
  source    = "./service"
  for_each  = var.services
  name      = each.key
  vpc_id    = module.network.vpc_id
  providers = { aws = aws.east }
  depends_on = [module.edge]
}
"#,
        );
        let item = &model.items[0];
        let ItemKind::Module(call) = &item.kind else {
            panic!("not a module call")
        };
        assert_eq!(call.source.as_deref(), Some("./service"));
        assert_eq!(
            call.providers.get("aws").map(String::as_str),
            Some("aws.east")
        );
        let vpc: Vec<String> = call.inputs["vpc_id"]
            .iter()
            .map(Reference::dotted)
            .collect();
        assert_eq!(vpc, vec!["module.network.vpc_id"]);
        assert!(!call.inputs.contains_key("for_each"));
        assert_eq!(item.repetition, Repetition::ForEach);
        assert!(item.repetition_expr.is_some());
        assert_eq!(refs(item), vec!["var.services"]);
    }

    #[test]
    fn locals_outputs_variables_and_providers_are_items() {
        let model = parse(
            r#"
locals {
  a = var.x
  b = "${local.a}-y"
}
variable "x" { default = "v" }
output "o" {
  value      = aws_s3_bucket.b.arn
  depends_on = [aws_s3_bucket_policy.p]
}
provider "aws" {
  alias  = "east"
  region = var.region
}
terraform {
  required_version = ">= 1.0"
}
"#,
        );
        let kinds: Vec<String> = model
            .items
            .iter()
            .map(|i| format!("{:?}", i.kind))
            .collect();
        assert_eq!(model.items.len(), 5, "{kinds:?}");
        assert_eq!(refs(&model.items[1]), vec!["local.a"]);
        assert!(model.items[2].value.is_some());
        assert_eq!(model.items[3].depends_on.len(), 1);
        assert_eq!(
            model.items[4].kind,
            ItemKind::Provider {
                name: "aws".into(),
                alias: Some("east".into())
            }
        );
        // The region expression is kept for pricing per region.
        assert_eq!(
            model.items[4].kept.get("region").map(ToString::to_string),
            Some("var.region".to_string())
        );
    }

    #[test]
    fn syntax_errors_name_file_line_and_column() {
        let err = parse_file("net/main.tf", "resource \"a\" \"b\" {\n  x = = 1\n}\n").unwrap_err();
        let msg = err.to_string();
        assert!(msg.starts_with("net/main.tf:2:"), "{msg}");
    }

    #[test]
    fn wrong_label_count_is_an_error_at_the_block() {
        let err = parse_file("m.tf", "\nresource \"aws_vpc\" {\n}\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "m.tf:2:1: a resource block takes 2 label(s) (type, name), found 1"
        );
    }

    #[test]
    fn duplicate_object_keys_are_accepted_like_terraform() {
        let model = parse("locals {\n  t = { a = 1, a = 2 }\n}\n");
        assert_eq!(model.items.len(), 1);
    }
}
