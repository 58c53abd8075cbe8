//! Terraform's JSON syntax (`*.tf.json`, as CDKTF writes it): the same blocks as native HCL, with
//! expressions inside `"${...}"` string templates. Produces the same [`FileModel`] as
//! [`crate::load::hcl`]; locations point at the block's name in the file.

use serde_json::Value;

use crate::error::{offset_of, Error, LineIndex, Location};
use crate::load::hcl::{expression_text_refs, template_refs, KeptArguments};
use crate::load::model::{FileModel, Item, ItemKind, ModuleCall, Reference, Repetition};

/// Parses one `.tf.json` file. `file` is the path shown in messages.
pub fn parse_json_file(file: &str, text: &str, kept: KeptArguments) -> Result<FileModel, Error> {
    let root = root_object(file, text)?;
    let names = Names {
        file,
        text,
        index: LineIndex::new(text),
    };
    let mut items = Vec::new();
    for (block, content) in &root {
        match block.as_str() {
            "resource" | "data" => resource_blocks(block, content, &names, kept, &mut items),
            "module" => module_blocks(content, &names, &mut items),
            "variable" => variable_blocks(content, &names, &mut items),
            "locals" => locals_blocks(content, &names, &mut items),
            "output" => output_blocks(content, &names, &mut items),
            "provider" => provider_blocks(content, &names, &mut items),
            _ => {}
        }
    }
    Ok(FileModel {
        file: file.to_string(),
        items,
    })
}

/// The file's text as its one top-level JSON object, or the syntax error at its position.
fn root_object(file: &str, text: &str) -> Result<serde_json::Map<String, Value>, Error> {
    let root: Value = serde_json::from_str(text).map_err(|e| {
        let offset = offset_of(text, e.line(), e.column());
        Error::syntax(file, text, offset..offset + 1, format!("invalid JSON: {e}"))
    })?;
    let Value::Object(root) = root else {
        return Err(Error::syntax(
            file,
            text,
            0..1,
            "a .tf.json file holds one JSON object".into(),
        ));
    };
    Ok(root)
}

/// Where names are written in one file, for the locations of the items they declare.
struct Names<'a> {
    file: &'a str,
    text: &'a str,
    index: LineIndex,
}

impl Names<'_> {
    /// The first `"name"` in the file (its start when there is none).
    fn locate(&self, name: &str) -> Location {
        let needle = format!("\"{name}\"");
        let offset = self.text.find(&needle).unwrap_or(0);
        self.index.location(self.file, self.text, offset)
    }
}

/// `"resource"` or `"data"`: `{ type: { name: body } }`, one item per type and name.
fn resource_blocks(
    block: &str,
    content: &Value,
    names: &Names,
    kept: KeptArguments,
    items: &mut Vec<Item>,
) {
    for (kind, by_name) in objects(content) {
        for (name, body) in objects(by_name) {
            let item_kind = if block == "resource" {
                ItemKind::Resource {
                    resource_type: kind.clone(),
                    name: name.clone(),
                }
            } else {
                ItemKind::Data {
                    resource_type: kind.clone(),
                    name: name.clone(),
                }
            };
            let mut item = Item::new(item_kind, names.locate(name));
            for body in bodies(body) {
                resource_body(body, &mut item, kept);
            }
            items.push(item);
        }
    }
}

/// `"module"`: `{ name: body }`, one module call per name.
fn module_blocks(content: &Value, names: &Names, items: &mut Vec<Item>) {
    for (name, body) in objects(content) {
        items.push(module_call(name, body, names.locate(name)));
    }
}

/// One module call: its source and version, meta-arguments, providers, and every other
/// argument as an input.
fn module_call(name: &str, body: &Value, location: Location) -> Item {
    let mut call = ModuleCall::named(name);
    let mut item = Item::new(
        ItemKind::Variable {
            name: String::new(),
        },
        location,
    );
    for body in bodies(body) {
        for (key, value) in body {
            match key.as_str() {
                "source" => call.source = value.as_str().map(str::to_string),
                "version" => call.version = value.as_str().map(str::to_string),
                "depends_on" => item.depends_on = bare_refs(value),
                "count" | "for_each" => repeat(&mut item, key, value),
                "providers" => {
                    if let Value::Object(m) = value {
                        for (child, parent) in m {
                            if let Some(p) = parent.as_str() {
                                call.providers.insert(child.clone(), p.to_string());
                            }
                        }
                    }
                }
                input => {
                    call.inputs.insert(input.to_string(), value_refs(value));
                    call.input_exprs
                        .insert(input.to_string(), argument_expression(value));
                }
            }
        }
    }
    item.kind = ItemKind::Module(call);
    item
}

/// `"variable"`: `{ name: body }`, one variable per name (the body is not read).
fn variable_blocks(content: &Value, names: &Names, items: &mut Vec<Item>) {
    for (name, body) in objects(content) {
        let mut item = Item::new(
            ItemKind::Variable { name: name.clone() },
            names.locate(name),
        );
        // The first of each argument counts, as in HCL.
        for body in bodies(body) {
            for (key, value) in body {
                match key.as_str() {
                    // A default is a literal value: its strings are not templates.
                    "default" if item.value.is_none() => {
                        item.value = hcl::to_expression(value).ok();
                    }
                    // A type constraint is written as a string: `"map(string)"`.
                    "type" if item.type_expr.is_none() => {
                        item.type_expr = value.as_str().and_then(|s| s.parse().ok());
                    }
                    "nullable" => item.non_nullable |= value == &Value::Bool(false),
                    _ => {}
                }
            }
        }
        items.push(item);
    }
}

/// `"locals"`: one local per name, in one body or several.
fn locals_blocks(content: &Value, names: &Names, items: &mut Vec<Item>) {
    for body in bodies(content) {
        for (name, value) in body {
            let mut item = Item::new(ItemKind::Local { name: name.clone() }, names.locate(name));
            item.refs = value_refs(value);
            item.value = Some(argument_expression(value));
            items.push(item);
        }
    }
}

/// `"output"`: `{ name: body }`, one output per name.
fn output_blocks(content: &Value, names: &Names, items: &mut Vec<Item>) {
    for (name, body) in objects(content) {
        let mut item = Item::new(ItemKind::Output { name: name.clone() }, names.locate(name));
        for body in bodies(body) {
            for (key, value) in body {
                match key.as_str() {
                    "depends_on" => item.depends_on = bare_refs(value),
                    "value" => {
                        item.value = Some(argument_expression(value));
                        item.refs.extend(value_refs(value));
                    }
                    _ => item.refs.extend(value_refs(value)),
                }
            }
        }
        items.push(item);
    }
}

/// `"provider"`: `{ name: body or [bodies] }`, one provider configuration per body.
fn provider_blocks(content: &Value, names: &Names, items: &mut Vec<Item>) {
    for (name, configs) in objects(content) {
        for body in bodies(configs) {
            let alias = body
                .get("alias")
                .and_then(Value::as_str)
                .map(str::to_string);
            let mut item = Item::new(
                ItemKind::Provider {
                    name: name.clone(),
                    alias,
                },
                names.locate(name),
            );
            if let Some(region) = body.get("region") {
                item.kept.insert("region".into(), kept_expression(region));
            }
            item.refs = value_refs(&Value::Object(body.clone()));
            items.push(item);
        }
    }
}

fn resource_body(body: &serde_json::Map<String, Value>, item: &mut Item, kept: KeptArguments) {
    let kept = match &item.kind {
        ItemKind::Resource {
            resource_type: kind,
            ..
        } => kept(kind),
        _ => &[],
    };
    for (key, value) in body {
        match key.as_str() {
            "depends_on" => item.depends_on = bare_refs(value),
            "provider" => item.provider = value.as_str().map(str::to_string),
            "count" | "for_each" => repeat(item, key, value),
            "lifecycle" => {
                for body in bodies(value) {
                    for (k, v) in body {
                        if k != "ignore_changes" {
                            item.refs.extend(value_refs(v));
                        }
                    }
                }
            }
            "tags" | "labels" => {
                if let Value::Object(m) = value {
                    for (k, v) in m {
                        if let Some(s) = v.as_str().filter(|s| !s.contains("${")) {
                            item.tags.insert(k.clone(), s.to_string());
                        }
                    }
                }
                item.refs.extend(value_refs(value));
            }
            key if kept.contains(&key) => {
                item.kept.insert(key.to_string(), kept_expression(value));
                item.refs.extend(value_refs(value));
            }
            _ => item.refs.extend(value_refs(value)),
        }
    }
}

/// A managed resource block's (type, name) and body.
pub type ResourceBody = ((String, String), hcl::Body);

/// The managed resource blocks of a `.tf.json` file as `hcl::Body`s, for evaluating their
/// arguments per instance (`tfscope cost`), keyed by (type, name), in file order. Nested blocks
/// written as arrays of objects evaluate as lists of objects, as HCL blocks do; one written as a
/// single object stays an object, since only the provider's schema tells it from a map.
pub fn resource_bodies(file: &str, text: &str) -> Result<Vec<ResourceBody>, Error> {
    let root = root_object(file, text)?;
    let mut out = Vec::new();
    for (kind, by_name) in root.get("resource").map(objects).unwrap_or_default() {
        for (name, body) in objects(by_name) {
            let mut builder = hcl::Body::builder();
            for (key, value) in bodies(body).into_iter().flatten() {
                if !matches!(
                    key.as_str(),
                    "lifecycle" | "provisioner" | "connection" | "dynamic"
                ) {
                    let attribute = hcl::Attribute::new(key.as_str(), argument_expression(value));
                    builder = builder.add_attribute(attribute);
                }
            }
            out.push(((kind.clone(), name.clone()), builder.build()));
        }
    }
    Ok(out)
}

/// A JSON value as the expression Terraform evaluates: a string that is one interpolation
/// (`"${var.cpu}"`) is that expression, any other string a template, arrays and objects
/// element by element, anything else a literal.
fn argument_expression(value: &Value) -> hcl::Expression {
    match value {
        Value::String(s) => {
            let single = s
                .strip_prefix("${")
                .and_then(|r| r.strip_suffix('}'))
                .filter(|inner| !inner.contains("${"));
            match single.and_then(|inner| inner.parse::<hcl::Expression>().ok()) {
                Some(expr) => expr,
                None => hcl::Expression::from(hcl::TemplateExpr::QuotedString(s.clone())),
            }
        }
        Value::Array(items) => {
            hcl::Expression::Array(items.iter().map(argument_expression).collect())
        }
        Value::Object(map) => hcl::Expression::Object(
            map.iter()
                .map(|(k, v)| (hcl::ObjectKey::from(k.as_str()), argument_expression(v)))
                .collect(),
        ),
        other => hcl::to_expression(other).unwrap_or(hcl::Expression::Null),
    }
}

/// `count` or `for_each` of a resource or module call: the repetition, its expression for
/// instance keys, and its references.
fn repeat(item: &mut Item, key: &str, value: &Value) {
    item.repetition = Repetition::of_argument(key).expect("count or for_each");
    item.repetition_expr = Some(argument_expression(value));
    item.repetition_at = Some(item.location.clone());
    item.refs.extend(value_refs(value));
}

/// A kept argument as written: a string stays a template (`"${var.days}"`, which evaluates
/// like [`argument_expression`] but reads as in the file in messages), anything else a literal.
fn kept_expression(value: &Value) -> hcl::Expression {
    match value {
        Value::String(s) => hcl::Expression::from(hcl::TemplateExpr::QuotedString(s.clone())),
        other => hcl::to_expression(other).unwrap_or(hcl::Expression::Null),
    }
}

/// `{ "a": {...}, "b": {...} }` as (name, value) pairs.
fn objects(value: &Value) -> Vec<(&String, &Value)> {
    match value {
        Value::Object(m) => m.iter().collect(),
        _ => Vec::new(),
    }
}

/// A block body, or several bodies of the same block written as an array.
fn bodies(value: &Value) -> Vec<&serde_json::Map<String, Value>> {
    match value {
        Value::Object(m) => vec![m],
        Value::Array(a) => a.iter().filter_map(Value::as_object).collect(),
        _ => Vec::new(),
    }
}

fn value_refs(value: &Value) -> Vec<Reference> {
    let mut out = Vec::new();
    let mut stack = vec![value];
    while let Some(v) = stack.pop() {
        match v {
            Value::String(s) => out.extend(template_refs(s)),
            Value::Array(a) => stack.extend(a.iter()),
            Value::Object(m) => stack.extend(m.values()),
            _ => {}
        }
    }
    out
}

/// `depends_on` holds bare references: `["aws_vpc.main", "module.net"]`.
fn bare_refs(value: &Value) -> Vec<Reference> {
    match value {
        Value::Array(a) => a
            .iter()
            .filter_map(Value::as_str)
            .flat_map(expression_text_refs)
            .collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    //! `.tf.json` files become the same items as HCL, with errors at their position.

    use super::*;

    #[test]
    fn json_blocks_become_the_same_items_as_hcl() {
        let model = parse_json_file(
            "cdk.tf.json",
            r#"{
  "resource": {
    "aws_subnet": {
      "a": { "vpc_id": "${aws_vpc.main.id}", "count": "${length(var.azs)}", "depends_on": ["aws_internet_gateway.gw"] }
    },
    "aws_vpc": { "main": { "cidr_block": "10.0.0.0/16", "tags": { "Scope": "base" } } }
  },
  "module": { "app": { "source": "./app", "subnet": "${aws_subnet.a[0].id}" } },
  "locals": { "name": "${var.env}-x" },
  "output": { "vpc": { "value": "${aws_vpc.main.id}" } },
  "provider": { "aws": [{ "region": "us-east-1" }, { "alias": "east", "region": "${var.r}" }] }
}"#, crate::classify::kept_arguments)
        .unwrap();
        assert_eq!(model.items.len(), 7);
        let subnet = &model.items[0];
        let refs: Vec<String> = subnet.refs.iter().map(Reference::dotted).collect();
        assert_eq!(refs, vec!["aws_vpc.main.id", "var.azs"]);
        assert_eq!(subnet.depends_on[0].dotted(), "aws_internet_gateway.gw");
        assert_eq!(subnet.repetition, Repetition::Count);
        assert_eq!(subnet.location.line, 4);
        assert_eq!(
            model.items[1].tags.get("Scope").map(String::as_str),
            Some("base")
        );
        let ItemKind::Module(call) = &model.items[2].kind else {
            panic!()
        };
        assert_eq!(call.inputs["subnet"][0].dotted(), "aws_subnet.a.id");
        assert!(
            matches!(&model.items[6].kind, ItemKind::Provider { alias: Some(a), .. } if a == "east")
        );
        // Each configuration keeps its own region, for pricing per region.
        let region = |i: usize| model.items[i].kept.get("region").map(ToString::to_string);
        assert_eq!(region(5).as_deref(), Some("\"us-east-1\""));
        assert_eq!(region(6).as_deref(), Some("\"${var.r}\""));
    }

    #[test]
    fn kept_arguments_are_the_expressions_terraform_reads_and_only_for_their_types() {
        let model = parse_json_file(
            "k.tf.json",
            r#"{
  "resource": {
    "aws_secretsmanager_secret": { "s": { "name": "x", "recovery_window_in_days": "${3 + 4}" } },
    "azapi_resource": { "a": { "type": "Microsoft.Storage/storageAccounts@2023-05-01" } },
    "aws_ssm_parameter": { "p": { "type": "String" } }
  },
  "data": { "azapi_resource": { "d": { "type": "Microsoft.Web/sites@2023-12-01" } } }
}"#,
            crate::classify::kept_arguments,
        )
        .unwrap();
        let kept: Vec<Vec<&String>> = model
            .items
            .iter()
            .map(|i| i.kept.keys().collect())
            .collect();
        assert_eq!(
            kept,
            vec![
                vec!["recovery_window_in_days"],
                vec!["type"],
                vec![],
                vec![]
            ]
        );
        let g = crate::testing::graph(&[(
            "k.tf.json",
            r#"{
  "resource": {
    "aws_secretsmanager_secret": { "s": { "recovery_window_in_days": "${3 + 4}" } },
    "azapi_resource": { "a": { "type": "Microsoft.Storage/storageAccounts@2023-05-01" } }
  }
}"#,
        )])
        .unwrap();
        let args = |a: &str| g.units[g.find(a).unwrap()].arguments.clone();
        assert_eq!(
            args("aws_secretsmanager_secret.s")["recovery_window_in_days"],
            vec![crate::eval::instances::ArgumentValue::Scalar {
                value: crate::eval::instances::Scalar::Number(7.0),
                expression: "\"${3 + 4}\"".into()
            }]
        );
        assert_eq!(
            args("azapi_resource.a")["type"],
            vec![crate::eval::instances::ArgumentValue::Known(
                "Microsoft.Storage/storageAccounts@2023-05-01".into()
            )]
        );
    }

    #[test]
    fn invalid_json_is_a_syntax_error_with_its_position() {
        let err = parse_json_file(
            "x.tf.json",
            "{\n  \"resource\": ,\n}",
            crate::classify::kept_arguments,
        )
        .unwrap_err();
        assert!(err.to_string().starts_with("x.tf.json:2:"), "{err}");
    }
}
