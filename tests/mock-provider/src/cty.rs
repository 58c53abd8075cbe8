//! Terraform (cty) values in their MessagePack wire form, handled as raw
//! `rmpv::Value`s.
//!
//! What the wire form looks like (cty's msgpack package):
//! - an object is a map from attribute name to value; a list, set or tuple an
//!   array; a map a map;
//! - null is nil at any type;
//! - an unknown value is an extension value (code 0, or 12 for an unknown with
//!   refinements in newer Terraform) at any type and any depth;
//! - a value at a position whose type is DynamicPseudoType ("dynamic") is, when
//!   neither null nor unknown, the two-element array
//!   `[<type as JSON, msgpack bin>, <value encoded for that type>]`.
//!
//! tf-provider hands the msgpack bytes to rmp_serde and we deserialize them
//! into `rmpv::Value` (extensions become `Value::Ext`, bins `Value::Binary`), so
//! nothing is decoded for us: the dynamic wrappers are handled here, in both
//! directions, with the type JSON parsed into `Ty` where we need to walk into
//! a value.

use std::collections::BTreeMap;

use rmpv::Value;
use serde_json::Value as Json;

/// A cty type, as in cty's JSON type encoding.
#[derive(Debug, Clone, PartialEq)]
pub enum Ty {
    String,
    Number,
    Bool,
    Dynamic,
    List(Box<Ty>),
    Set(Box<Ty>),
    Map(Box<Ty>),
    Object(BTreeMap<String, Ty>),
    Tuple(Vec<Ty>),
    /// Anything else (e.g. a capsule type): kept as is, never walked into.
    Opaque(Json),
}

impl Ty {
    pub fn from_json(j: &Json) -> Ty {
        match j {
            Json::String(s) => match s.as_str() {
                "string" => Ty::String,
                "number" => Ty::Number,
                "bool" => Ty::Bool,
                "dynamic" => Ty::Dynamic,
                _ => Ty::Opaque(j.clone()),
            },
            Json::Array(a) if a.len() >= 2 => match (a[0].as_str(), &a[1]) {
                (Some("list"), t) => Ty::List(Box::new(Ty::from_json(t))),
                (Some("set"), t) => Ty::Set(Box::new(Ty::from_json(t))),
                (Some("map"), t) => Ty::Map(Box::new(Ty::from_json(t))),
                // A third element (optional attributes) only appears in type
                // constraints, never in the type of a value.
                (Some("object"), Json::Object(attrs)) => Ty::Object(
                    attrs
                        .iter()
                        .map(|(k, t)| (k.clone(), Ty::from_json(t)))
                        .collect(),
                ),
                (Some("tuple"), Json::Array(elems)) => {
                    Ty::Tuple(elems.iter().map(Ty::from_json).collect())
                }
                _ => Ty::Opaque(j.clone()),
            },
            _ => Ty::Opaque(j.clone()),
        }
    }

    pub fn from_json_bytes(b: &[u8]) -> Ty {
        match serde_json::from_slice::<Json>(b) {
            Ok(j) => Ty::from_json(&j),
            Err(_) => Ty::Opaque(Json::Null),
        }
    }

    pub fn to_json(&self) -> Json {
        match self {
            Ty::String => "string".into(),
            Ty::Number => "number".into(),
            Ty::Bool => "bool".into(),
            Ty::Dynamic => "dynamic".into(),
            Ty::List(t) => Json::Array(vec!["list".into(), t.to_json()]),
            Ty::Set(t) => Json::Array(vec!["set".into(), t.to_json()]),
            Ty::Map(t) => Json::Array(vec!["map".into(), t.to_json()]),
            Ty::Object(attrs) => Json::Array(vec![
                "object".into(),
                Json::Object(
                    attrs
                        .iter()
                        .map(|(k, t)| (k.clone(), t.to_json()))
                        .collect(),
                ),
            ]),
            Ty::Tuple(elems) => Json::Array(vec![
                "tuple".into(),
                Json::Array(elems.iter().map(Ty::to_json).collect()),
            ]),
            Ty::Opaque(j) => j.clone(),
        }
    }
}

/// cty's encoding of an unknown value: fixext1, code 0, payload 0.
pub fn unknown() -> Value {
    Value::Ext(0, vec![0])
}

/// Any extension value is an unknown (cty has no other extension; code 12
/// carries refinements of an unknown).
pub fn is_unknown(v: &Value) -> bool {
    matches!(v, Value::Ext(..))
}

pub fn contains_unknown(v: &Value) -> bool {
    match v {
        Value::Ext(..) => true,
        Value::Array(a) => a.iter().any(contains_unknown),
        Value::Map(m) => m
            .iter()
            .any(|(k, v)| contains_unknown(k) || contains_unknown(v)),
        _ => false,
    }
}

/// Wrap a value for a DynamicPseudoType position: `[type-json-bin, value]`.
/// Null and unknown values are never wrapped.
pub fn wrap(ty: &Ty, v: Value) -> Value {
    if v.is_nil() || is_unknown(&v) {
        return v;
    }
    let tj = serde_json::to_vec(&ty.to_json()).expect("type JSON serializes");
    Value::Array(vec![Value::Binary(tj), v])
}

/// If `v` is a wrapped dynamic value, its type and inner value.
pub fn unwrap(v: &Value) -> Option<(Ty, &Value)> {
    match v {
        Value::Array(a) if a.len() == 2 => match &a[0] {
            Value::Binary(tj) => Some((Ty::from_json_bytes(tj), &a[1])),
            // Be lenient: a str-encoded type JSON is accepted as well.
            Value::String(s) => s
                .as_str()
                .map(|s| (Ty::from_json_bytes(s.as_bytes()), &a[1])),
            _ => None,
        },
        _ => None,
    }
}

/// Look up a key of a msgpack map (an object's attribute).
pub fn get<'v>(obj: &'v Value, key: &str) -> Option<&'v Value> {
    match obj {
        Value::Map(m) => m
            .iter()
            .find(|(k, _)| k.as_str() == Some(key))
            .map(|(_, v)| v),
        _ => None,
    }
}

pub fn get_mut<'v>(obj: &'v mut Value, key: &str) -> Option<&'v mut Value> {
    match obj {
        Value::Map(m) => m
            .iter_mut()
            .find(|(k, _)| k.as_str() == Some(key))
            .map(|(_, v)| v),
        _ => None,
    }
}

/// Set a key of a msgpack map; a non-map becomes an empty map first.
pub fn set(obj: &mut Value, key: &str, val: Value) {
    if !matches!(obj, Value::Map(_)) {
        *obj = Value::Map(vec![]);
    }
    if let Some(slot) = get_mut(obj, key) {
        *slot = val;
    } else if let Value::Map(m) = obj {
        m.push((Value::from(key), val));
    }
}

/// Whether an attribute of a (config) object is null or absent.
pub fn attr_is_null(obj: &Value, key: &str) -> bool {
    get(obj, key).is_none_or(Value::is_nil)
}

/// The string inside a (possibly dynamic-wrapped) string value.
pub fn as_plain_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => s.as_str().map(str::to_string),
        _ => unwrap(v).and_then(|(_, inner)| inner.as_str().map(str::to_string)),
    }
}

/// A cty-encodable (type, value) pair built from a JSON template, where every
/// JSON string of the exact form `${config:NAME}` is replaced by the
/// resource's own top-level configuration attribute NAME (with its type), or
/// the string "mock" when that attribute is null or absent.
///
/// JSON arrays become tuples and JSON objects become objects, so any shape
/// works; `for_each`/`for` over the result behave as over a list/object.
pub fn build_template(tpl: &Json, config: &Value, top: &BTreeMap<String, Ty>) -> (Ty, Value) {
    match tpl {
        // A typed null: cty has no null of "no type"; string is as good as any.
        Json::Null => (Ty::String, Value::Nil),
        Json::Bool(b) => (Ty::Bool, Value::Boolean(*b)),
        Json::Number(n) => (
            Ty::Number,
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                Value::F64(n.as_f64().unwrap_or(0.0))
            },
        ),
        Json::String(s) => {
            if let Some(name) = s
                .strip_prefix("${config:")
                .and_then(|r| r.strip_suffix('}'))
            {
                return config_attr(config, name, top);
            }
            (Ty::String, Value::from(s.as_str()))
        }
        Json::Array(items) => {
            let (tys, vals) = items.iter().map(|i| build_template(i, config, top)).unzip();
            (Ty::Tuple(tys), Value::Array(vals))
        }
        Json::Object(fields) => {
            let mut tys = BTreeMap::new();
            let mut vals = BTreeMap::new();
            for (k, v) in fields {
                let (t, val) = build_template(v, config, top);
                tys.insert(k.clone(), t);
                vals.insert(k.clone(), val);
            }
            (
                Ty::Object(tys),
                Value::Map(vals.into_iter().map(|(k, v)| (Value::from(k), v)).collect()),
            )
        }
    }
}

/// The (type, value) of a top-level config attribute for a template.
fn config_attr(config: &Value, name: &str, top: &BTreeMap<String, Ty>) -> (Ty, Value) {
    let mock = || (Ty::String, Value::from("mock"));
    let Some(v) = get(config, name) else {
        return mock();
    };
    if v.is_nil() {
        return mock();
    }
    if is_unknown(v) {
        // Unknown of unknown type: the position is dynamic.
        return (Ty::Dynamic, v.clone());
    }
    match top.get(name) {
        Some(Ty::Dynamic) | None => match unwrap(v) {
            Some((t, inner)) => (t, inner.clone()),
            None => (Ty::Dynamic, v.clone()),
        },
        Some(t) => (t.clone(), v.clone()),
    }
}

/// How a fake value is named: `id` → `<type>-<hex>`, anything else →
/// `mock-<attr>-<hex>`.
pub struct Faker<'a> {
    pub type_name: &'a str,
    pub hex: &'a str,
}

impl Faker<'_> {
    pub fn string_for(&self, attr: &str, top_level: bool) -> String {
        if top_level && attr == "id" {
            format!("{}-{}", self.type_name, self.hex)
        } else {
            format!("mock-{}-{}", attr, self.hex)
        }
    }

    /// A known value of type `ty` (a string where the type allows one).
    pub fn value_for(&self, ty: &Ty, attr: &str, top_level: bool) -> Value {
        match ty {
            Ty::String => Value::from(self.string_for(attr, top_level)),
            Ty::Dynamic | Ty::Opaque(_) => {
                wrap(&Ty::String, Value::from(self.string_for(attr, top_level)))
            }
            Ty::Number => Value::from(0),
            Ty::Bool => Value::Boolean(false),
            Ty::List(_) | Ty::Set(_) => Value::Array(vec![]),
            Ty::Map(_) => Value::Map(vec![]),
            Ty::Tuple(ts) => {
                Value::Array(ts.iter().map(|t| self.value_for(t, attr, false)).collect())
            }
            Ty::Object(attrs) => Value::Map(
                attrs
                    .iter()
                    .map(|(k, t)| (Value::from(k.as_str()), self.value_for(t, k, false)))
                    .collect(),
            ),
        }
    }

    /// Replace every unknown inside `v` (a value at a position of type `ty`)
    /// by a fake known value. Types never change: a fake conforms to the type
    /// of the position it replaces, so enclosing type JSON stays valid.
    /// `attr` is the name of the innermost object attribute, for naming.
    pub fn fill(&self, v: &Value, ty: &Ty, attr: &str, top_level: bool) -> Value {
        if is_unknown(v) {
            return self.value_for(ty, attr, top_level);
        }
        if v.is_nil() {
            return Value::Nil;
        }
        match ty {
            Ty::Dynamic => match unwrap(v) {
                Some((t, inner)) => {
                    let filled = self.fill(inner, &t, attr, top_level);
                    match v {
                        Value::Array(a) => Value::Array(vec![a[0].clone(), filled]),
                        _ => unreachable!("unwrap only accepts arrays"),
                    }
                }
                None => v.clone(),
            },
            Ty::List(t) | Ty::Set(t) => match v {
                Value::Array(a) => {
                    Value::Array(a.iter().map(|e| self.fill(e, t, attr, false)).collect())
                }
                _ => v.clone(),
            },
            Ty::Tuple(ts) => match v {
                Value::Array(a) => Value::Array(
                    a.iter()
                        .enumerate()
                        .map(|(i, e)| self.fill(e, ts.get(i).unwrap_or(&Ty::Dynamic), attr, false))
                        .collect(),
                ),
                _ => v.clone(),
            },
            Ty::Map(t) => match v {
                Value::Map(m) => Value::Map(
                    m.iter()
                        .map(|(k, e)| (k.clone(), self.fill(e, t, attr, false)))
                        .collect(),
                ),
                _ => v.clone(),
            },
            Ty::Object(attrs) => match v {
                Value::Map(m) => Value::Map(
                    m.iter()
                        .map(|(k, e)| {
                            let name = k.as_str().unwrap_or(attr);
                            let t = attrs.get(name).unwrap_or(&Ty::Dynamic);
                            (k.clone(), self.fill(e, t, name, false))
                        })
                        .collect(),
                ),
                _ => v.clone(),
            },
            Ty::String | Ty::Number | Ty::Bool | Ty::Opaque(_) => v.clone(),
        }
    }
}

/// 64-bit FNV-1a, for deterministic data source fakes.
pub fn fnv1a(parts: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for b in *part {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        // Separator, so ("ab","c") and ("a","bc") differ.
        h ^= 0xff;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roundtrip(v: &Value) -> Value {
        let bytes = rmp_serde::to_vec_named(v).unwrap();
        rmp_serde::from_slice::<Value>(&bytes).unwrap()
    }

    #[test]
    fn unknown_is_ctys_encoding_and_roundtrips_through_serde() {
        let bytes = rmp_serde::to_vec_named(&unknown()).unwrap();
        assert_eq!(bytes, vec![0xd4, 0x00, 0x00]);
        // Nested in a dynamic wrapper inside a map, as Terraform sends it.
        let v = Value::Map(vec![(
            Value::from("tags"),
            wrap(
                &Ty::Map(Box::new(Ty::String)),
                Value::Map(vec![(Value::from("a"), Value::Ext(0, vec![0]))]),
            ),
        )]);
        assert_eq!(roundtrip(&v), v);
        // Refined unknowns (code 12) survive too.
        let r = Value::Array(vec![
            Value::Ext(12, vec![0x81, 0x01, 0xc3]),
            Value::F64(1.5),
        ]);
        assert_eq!(roundtrip(&r), r);
    }

    #[test]
    fn wrapper_uses_bin_type_json() {
        let w = wrap(
            &Ty::List(Box::new(Ty::String)),
            Value::Array(vec![Value::from("x")]),
        );
        let bytes = rmp_serde::to_vec_named(&w).unwrap();
        // fixarray(2), bin8 of the type JSON
        assert_eq!(bytes[0], 0x92);
        assert_eq!(bytes[1], 0xc4);
        let (t, inner) = unwrap(&w).unwrap();
        assert_eq!(t, Ty::List(Box::new(Ty::String)));
        assert_eq!(inner, &Value::Array(vec![Value::from("x")]));
    }

    #[test]
    fn type_json_roundtrip() {
        for s in [
            r#""string""#,
            r#"["list",["object",{"a":"string","b":"dynamic"}]]"#,
            r#"["tuple",[["map","number"],["set","bool"]]]"#,
        ] {
            let j: Json = serde_json::from_str(s).unwrap();
            assert_eq!(Ty::from_json(&j).to_json(), j);
        }
    }

    #[test]
    fn template_substitutes_config() {
        let tpl: Json = serde_json::from_str(
            r#"[{"domain_name":"${config:domain_name}","n":1,"k":"${config:missing}"}]"#,
        )
        .unwrap();
        let config = Value::Map(vec![(
            Value::from("domain_name"),
            wrap(&Ty::String, Value::from("example.com")),
        )]);
        let top: BTreeMap<String, Ty> = [("domain_name".to_string(), Ty::Dynamic)].into();
        let (t, v) = build_template(&tpl, &config, &top);
        assert_eq!(
            t.to_json(),
            serde_json::json!(["tuple", [["object", {"domain_name": "string", "k": "string", "n": "number"}]]])
        );
        let obj = &v.as_array().unwrap()[0];
        assert_eq!(
            get(obj, "domain_name").unwrap().as_str(),
            Some("example.com")
        );
        assert_eq!(get(obj, "k").unwrap().as_str(), Some("mock"));
    }

    #[test]
    fn fill_replaces_nested_unknowns_keeping_types() {
        let f = Faker {
            type_name: "aws_vpc",
            hex: "0123456789abcdef",
        };
        let v = wrap(
            &Ty::Object(
                [
                    ("a".to_string(), Ty::String),
                    ("b".to_string(), Ty::Dynamic),
                ]
                .into(),
            ),
            Value::Map(vec![
                (Value::from("a"), unknown()),
                (Value::from("b"), unknown()),
            ]),
        );
        let filled = f.fill(&v, &Ty::Dynamic, "x", true);
        let (_, inner) = unwrap(&filled).unwrap();
        assert_eq!(
            get(inner, "a").unwrap().as_str(),
            Some("mock-a-0123456789abcdef")
        );
        let b = get(inner, "b").unwrap();
        assert_eq!(
            as_plain_string(b).as_deref(),
            Some("mock-b-0123456789abcdef")
        );
        assert_eq!(
            as_plain_string(&f.fill(&unknown(), &Ty::Dynamic, "id", true)).as_deref(),
            Some("aws_vpc-0123456789abcdef")
        );
        assert!(!contains_unknown(&filled));
    }
}
