//! Terraform's built-in functions, as far as `count`, `for_each`, module inputs, locals and
//! priced arguments use them. Each follows Terraform's unknown rules: a result that depends on an
//! unknown is unknown, but `length` of a list of unknowns, `keys` of a map of unknowns and
//! `try(..., fallback)` stay known where Terraform's do. A function tfscope does not implement
//! yields unknown, never an error, so `try` and `can` never pick a fallback by mistake.

use std::collections::BTreeMap;

use hcl::expr::Expression;

use super::expr::Evaluator;
use super::value::{fail, format_number, EvalError, Result, Value};

pub fn call(
    ev: &mut Evaluator<'_>,
    name: &str,
    args: &[Expression],
    expand_final: bool,
) -> Result<Value> {
    // Functions whose arguments are evaluated lazily.
    match name {
        "try" => {
            let mut last = EvalError("try needs at least one argument".into());
            for a in args {
                match ev.eval(a) {
                    // Terraform: an unknown first result makes try unknown, since it cannot
                    // tell whether it would fail.
                    Ok(v) => return Ok(v),
                    Err(e) => last = e,
                }
            }
            return Err(EvalError(format!("no argument of try succeeded: {last}")));
        }
        "can" => {
            let [a] = args else {
                return fail("can takes one argument");
            };
            return Ok(match ev.eval(a) {
                Ok(Value::Unknown) => Value::Unknown,
                Ok(_) => Value::Bool(true),
                Err(_) => Value::Bool(false),
            });
        }
        _ => {}
    }
    let mut values: Vec<Value> = args.iter().map(|a| ev.eval(a)).collect::<Result<_>>()?;
    if expand_final {
        match values.pop() {
            Some(Value::List(items)) => values.extend(items.iter().cloned()),
            Some(Value::Unknown) => return Ok(Value::Unknown),
            Some(other) => return fail(format!("cannot expand a {}", other.type_name())),
            None => {}
        }
    }
    if let Some(result) = collection_function(ev, name, &values) {
        return result;
    }
    // Everything else needs wholly known arguments.
    if values.iter().any(|v| !v.is_wholly_known()) {
        return Ok(Value::Unknown);
    }
    scalar_function(ev, name, &values)
}

fn arg(values: &[Value], i: usize, name: &str) -> Result<Value> {
    values
        .get(i)
        .cloned()
        .ok_or_else(|| EvalError(format!("{name} needs argument {}", i + 1)))
}

fn list_of(v: &Value, name: &str) -> Result<Vec<Value>> {
    match v {
        Value::List(items) => Ok(items.as_ref().clone()),
        other => fail(format!("{name} needs a list, not a {}", other.type_name())),
    }
}

fn map_of(v: &Value, name: &str) -> Result<BTreeMap<String, Value>> {
    match v {
        Value::Map(m) => Ok(m.as_ref().clone()),
        other => fail(format!("{name} needs a map, not a {}", other.type_name())),
    }
}

/// Functions that look only at the shape of a collection, so unknown elements can stay.
///
/// Long on purpose: one short match arm per Terraform built-in, a table read by function name;
/// splitting it would scatter the table without making any arm shorter.
fn collection_function(
    ev: &mut Evaluator<'_>,
    name: &str,
    values: &[Value],
) -> Option<Result<Value>> {
    let _ = ev;
    let first_unknown = values.first().is_some_and(Value::is_unknown);
    let r = match name {
        "length" => {
            if first_unknown {
                return Some(Ok(Value::Unknown));
            }
            arg(values, 0, name).and_then(|v| {
                Ok(Value::Number(match v {
                    Value::List(a) => a.len() as f64,
                    Value::Map(m) => m.len() as f64,
                    Value::String(s) => s.chars().count() as f64,
                    other => return fail(format!("length of a {}", other.type_name())),
                }))
            })
        }
        "keys" => {
            if first_unknown {
                return Some(Ok(Value::Unknown));
            }
            arg(values, 0, name).and_then(|v| {
                Ok(Value::list(
                    map_of(&v, name)?.into_keys().map(Value::String).collect(),
                ))
            })
        }
        "values" => {
            if first_unknown {
                return Some(Ok(Value::Unknown));
            }
            arg(values, 0, name)
                .and_then(|v| Ok(Value::list(map_of(&v, name)?.into_values().collect())))
        }
        "tolist" | "tuple" => {
            if first_unknown {
                return Some(Ok(Value::Unknown));
            }
            arg(values, 0, name).and_then(|v| match v {
                Value::List(_) | Value::Null => Ok(v),
                other => fail(format!("tolist of a {}", other.type_name())),
            })
        }
        "tomap" | "sensitive" | "nonsensitive" | "tostring" | "tonumber" | "tobool"
            if first_unknown =>
        {
            Ok(Value::Unknown)
        }
        "tomap" | "sensitive" | "nonsensitive" => arg(values, 0, name),
        "toset" => {
            if first_unknown {
                return Some(Ok(Value::Unknown));
            }
            arg(values, 0, name).and_then(|v| match v {
                Value::Null => Ok(Value::Null),
                v => Ok(Value::set(list_of(&v, name)?)),
            })
        }
        "concat" => {
            if values.iter().any(Value::is_unknown) {
                return Some(Ok(Value::Unknown));
            }
            values
                .iter()
                .map(|v| list_of(v, name))
                .collect::<Result<Vec<_>>>()
                .map(|ls| Value::list(ls.into_iter().flatten().collect()))
        }
        "merge" => {
            if values.iter().any(Value::is_unknown) {
                return Some(Ok(Value::Unknown));
            }
            let mut out = BTreeMap::new();
            for v in values {
                match v {
                    Value::Null => {}
                    Value::Map(m) => out.extend(m.iter().map(|(k, v)| (k.clone(), v.clone()))),
                    other => return Some(fail(format!("merge of a {}", other.type_name()))),
                }
            }
            Ok(Value::map(out))
        }
        "lookup" => {
            if first_unknown || values.get(1).is_some_and(Value::is_unknown) {
                return Some(Ok(Value::Unknown));
            }
            (|| {
                let m = map_of(&arg(values, 0, name)?, name)?;
                let k = arg(values, 1, name)?.to_str()?;
                match m.get(&k) {
                    Some(v) => Ok(v.clone()),
                    None => values
                        .get(2)
                        .cloned()
                        .ok_or_else(|| EvalError(format!("lookup: no key {k:?}"))),
                }
            })()
        }
        "element" => {
            if !values.iter().all(|v| !v.is_unknown()) {
                return Some(Ok(Value::Unknown));
            }
            (|| {
                let l = list_of(&arg(values, 0, name)?, name)?;
                let i = arg(values, 1, name)?.to_number()? as usize;
                if l.is_empty() {
                    return fail("element of an empty list");
                }
                Ok(l[i % l.len()].clone())
            })()
        }
        "flatten" => {
            if first_unknown {
                return Some(Ok(Value::Unknown));
            }
            fn go(v: &Value, out: &mut Vec<Value>) -> bool {
                match v {
                    Value::List(items) => items.iter().all(|x| go(x, out)),
                    Value::Unknown => false,
                    other => {
                        out.push(other.clone());
                        true
                    }
                }
            }
            let mut out = Vec::new();
            match arg(values, 0, name) {
                Ok(v) if go(&v, &mut out) => Ok(Value::list(out)),
                Ok(_) => Ok(Value::Unknown),
                Err(e) => Err(e),
            }
        }
        "zipmap" => {
            if values.iter().any(Value::is_unknown) {
                return Some(Ok(Value::Unknown));
            }
            (|| {
                let ks = list_of(&arg(values, 0, name)?, name)?;
                let vs = list_of(&arg(values, 1, name)?, name)?;
                if ks.iter().any(|k| !k.is_wholly_known()) {
                    return Ok(Value::Unknown);
                }
                let mut out = BTreeMap::new();
                for (k, v) in ks.iter().zip(vs) {
                    out.insert(k.to_str()?, v);
                }
                Ok(Value::map(out))
            })()
        }
        "slice" => {
            if values.iter().any(Value::is_unknown) {
                return Some(Ok(Value::Unknown));
            }
            (|| {
                let l = list_of(&arg(values, 0, name)?, name)?;
                let a = arg(values, 1, name)?.to_number()? as usize;
                let b = arg(values, 2, name)?.to_number()? as usize;
                if a > b || b > l.len() {
                    return fail("slice indexes out of range");
                }
                Ok(Value::list(l[a..b].to_vec()))
            })()
        }
        "reverse" => {
            if first_unknown {
                return Some(Ok(Value::Unknown));
            }
            arg(values, 0, name).and_then(|v| {
                let mut l = list_of(&v, name)?;
                l.reverse();
                Ok(Value::list(l))
            })
        }
        "one" => {
            if first_unknown {
                return Some(Ok(Value::Unknown));
            }
            arg(values, 0, name).and_then(|v| {
                let l = list_of(&v, name)?;
                match l.len() {
                    0 => Ok(Value::Null),
                    1 => Ok(l[0].clone()),
                    n => fail(format!("one of a list of {n}")),
                }
            })
        }
        "coalesce" => {
            // The first non-null, non-empty argument; unknown if an unknown comes first.
            for v in values {
                match v {
                    Value::Unknown => return Some(Ok(Value::Unknown)),
                    Value::Null => {}
                    Value::String(s) if s.is_empty() => {}
                    other => return Some(Ok(other.clone())),
                }
            }
            fail("coalesce: no non-null argument")
        }
        "coalescelist" => {
            for v in values {
                match v {
                    Value::Unknown => return Some(Ok(Value::Unknown)),
                    Value::List(l) if l.is_empty() => {}
                    Value::List(_) => return Some(Ok(v.clone())),
                    _ => {}
                }
            }
            fail("coalescelist: no non-empty list")
        }
        "compact" => {
            if first_unknown {
                return Some(Ok(Value::Unknown));
            }
            arg(values, 0, name).and_then(|v| {
                let l = list_of(&v, name)?;
                if l.iter().any(Value::is_unknown) {
                    return Ok(Value::Unknown);
                }
                Ok(Value::list(
                    l.into_iter()
                        .filter(|x| !matches!(x, Value::Null) && x.as_str_opt() != Some(""))
                        .collect(),
                ))
            })
        }
        "range" => {
            if values.iter().any(Value::is_unknown) {
                return Some(Ok(Value::Unknown));
            }
            (|| {
                let n: Vec<f64> = values
                    .iter()
                    .map(|v| v.to_number())
                    .collect::<Result<_>>()?;
                let (start, end, step) = match n.as_slice() {
                    [e] => (0.0, *e, 1.0),
                    [s, e] => (*s, *e, if s <= e { 1.0 } else { -1.0 }),
                    [s, e, st] => (*s, *e, *st),
                    _ => return fail("range takes one to three numbers"),
                };
                if step == 0.0 {
                    return fail("range step must not be zero");
                }
                let mut out = Vec::new();
                let mut x = start;
                while (step > 0.0 && x < end) || (step < 0.0 && x > end) {
                    out.push(Value::Number(x));
                    x += step;
                    if out.len() > 1024 * 1024 {
                        return fail("range too large");
                    }
                }
                Ok(Value::list(out))
            })()
        }
        _ => return None,
    };
    Some(r)
}

impl Value {
    fn as_str_opt(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }
}

/// Functions over wholly known arguments.
///
/// Long on purpose: one short match arm per Terraform built-in (over forty), a table read by
/// function name; splitting it would scatter the table without making any arm shorter.
fn scalar_function(ev: &mut Evaluator<'_>, name: &str, values: &[Value]) -> Result<Value> {
    let s = |i: usize| -> Result<String> { arg(values, i, name)?.to_str() };
    let n = |i: usize| -> Result<f64> { arg(values, i, name)?.to_number() };
    Ok(match name {
        "tostring" => match arg(values, 0, name)? {
            Value::Null => Value::Null,
            v => Value::String(v.to_str()?),
        },
        "tonumber" => match arg(values, 0, name)? {
            Value::Null => Value::Null,
            v => Value::Number(v.to_number()?),
        },
        "tobool" => match arg(values, 0, name)? {
            Value::Null => Value::Null,
            v => Value::Bool(v.to_bool()?),
        },
        "contains" => {
            let l = arg(values, 0, name)?.elements()?;
            Value::Bool(l.contains(&arg(values, 1, name)?))
        }
        "distinct" => {
            let mut out: Vec<Value> = Vec::new();
            for v in list_of(&arg(values, 0, name)?, name)? {
                if !out.contains(&v) {
                    out.push(v);
                }
            }
            Value::list(out)
        }
        "sort" => {
            let mut l = list_of(&arg(values, 0, name)?, name)?;
            let mut strings: Vec<String> = l.iter().map(|v| v.to_str()).collect::<Result<_>>()?;
            strings.sort();
            l = strings.into_iter().map(Value::String).collect();
            Value::list(l)
        }
        "index" => {
            let l = list_of(&arg(values, 0, name)?, name)?;
            let v = arg(values, 1, name)?;
            match l.iter().position(|x| *x == v) {
                Some(i) => Value::Number(i as f64),
                None => return fail("index: value not in list"),
            }
        }
        "setunion" => {
            let mut all = Vec::new();
            for v in values {
                all.extend(v.elements()?);
            }
            Value::set(all)
        }
        "setintersection" => {
            let mut it = values.iter();
            let mut acc = it
                .next()
                .map(|v| v.elements())
                .transpose()?
                .unwrap_or_default();
            for v in it {
                let other = v.elements()?;
                acc.retain(|x| other.contains(x));
            }
            Value::set(acc)
        }
        "setsubtract" => {
            let mut a = arg(values, 0, name)?.elements()?;
            let b = arg(values, 1, name)?.elements()?;
            a.retain(|x| !b.contains(x));
            Value::set(a)
        }
        "setproduct" => {
            let mut acc: Vec<Vec<Value>> = vec![Vec::new()];
            for v in values {
                let els = v.elements()?;
                acc = acc
                    .into_iter()
                    .flat_map(|prefix| {
                        els.iter().map(move |e| {
                            let mut p = prefix.clone();
                            p.push(e.clone());
                            p
                        })
                    })
                    .collect();
            }
            Value::list(acc.into_iter().map(Value::list).collect())
        }
        "chunklist" => {
            let l = list_of(&arg(values, 0, name)?, name)?;
            let size = n(1)? as usize;
            if size == 0 {
                Value::list(vec![Value::list(l)])
            } else {
                Value::list(l.chunks(size).map(|c| Value::list(c.to_vec())).collect())
            }
        }
        "alltrue" => Value::Bool(
            list_of(&arg(values, 0, name)?, name)?
                .iter()
                .map(Value::to_bool)
                .collect::<Result<Vec<_>>>()?
                .into_iter()
                .all(|b| b),
        ),
        "anytrue" => Value::Bool(
            list_of(&arg(values, 0, name)?, name)?
                .iter()
                .map(Value::to_bool)
                .collect::<Result<Vec<_>>>()?
                .into_iter()
                .any(|b| b),
        ),
        "sum" => Value::Number(
            list_of(&arg(values, 0, name)?, name)?
                .iter()
                .map(Value::to_number)
                .sum::<Result<f64>>()?,
        ),
        "transpose" => {
            let mut out: BTreeMap<String, Vec<Value>> = BTreeMap::new();
            for (k, v) in map_of(&arg(values, 0, name)?, name)? {
                for x in list_of(&v, name)? {
                    out.entry(x.to_str()?)
                        .or_default()
                        .push(Value::String(k.clone()));
                }
            }
            Value::map(out.into_iter().map(|(k, v)| (k, Value::list(v))).collect())
        }
        "min" | "max" => {
            let nums: Vec<f64> = values.iter().map(Value::to_number).collect::<Result<_>>()?;
            let f = if name == "min" { f64::min } else { f64::max };
            match nums.into_iter().reduce(f) {
                Some(x) => Value::Number(x),
                None => return fail(format!("{name} needs an argument")),
            }
        }
        "abs" => Value::Number(n(0)?.abs()),
        "ceil" => Value::Number(n(0)?.ceil()),
        "floor" => Value::Number(n(0)?.floor()),
        "signum" => Value::Number(n(0)?.signum()),
        "pow" => Value::Number(n(0)?.powf(n(1)?)),
        "parseint" => {
            let radix = n(1)? as u32;
            match i64::from_str_radix(&s(0)?, radix) {
                Ok(x) => Value::Number(x as f64),
                Err(e) => return fail(format!("parseint: {e}")),
            }
        }
        "lower" => Value::String(s(0)?.to_lowercase()),
        "upper" => Value::String(s(0)?.to_uppercase()),
        "title" => Value::String(
            s(0)?
                .split(' ')
                .map(|w| {
                    let mut c = w.chars();
                    match c.next() {
                        Some(f) => f.to_uppercase().chain(c).collect(),
                        None => String::new(),
                    }
                })
                .collect::<Vec<String>>()
                .join(" "),
        ),
        "trimspace" => Value::String(s(0)?.trim().to_string()),
        "trim" => {
            let cut: Vec<char> = s(1)?.chars().collect();
            Value::String(s(0)?.trim_matches(|c| cut.contains(&c)).to_string())
        }
        "trimprefix" => {
            let (x, p) = (s(0)?, s(1)?);
            Value::String(x.strip_prefix(&p).unwrap_or(&x).to_string())
        }
        "trimsuffix" => {
            let (x, p) = (s(0)?, s(1)?);
            Value::String(x.strip_suffix(&p).unwrap_or(&x).to_string())
        }
        "startswith" => Value::Bool(s(0)?.starts_with(&s(1)?)),
        "endswith" => Value::Bool(s(0)?.ends_with(&s(1)?)),
        "strcontains" => Value::Bool(s(0)?.contains(&s(1)?)),
        "replace" => {
            let (x, from, to) = (s(0)?, s(1)?, s(2)?);
            if from.len() > 1 && from.starts_with('/') && from.ends_with('/') {
                // Regular expressions: not evaluated here.
                return Ok(Value::Unknown);
            }
            Value::String(x.replace(&from, &to))
        }
        "substr" => {
            let x: Vec<char> = s(0)?.chars().collect();
            let off = n(1)? as i64;
            let len = n(2)? as i64;
            let start = if off < 0 {
                (x.len() as i64 + off).max(0)
            } else {
                off.min(x.len() as i64)
            } as usize;
            let end = if len < 0 {
                x.len()
            } else {
                (start + len as usize).min(x.len())
            };
            Value::String(x[start..end].iter().collect())
        }
        "join" => {
            let sep = s(0)?;
            let mut parts = Vec::new();
            for v in &values[1..] {
                for x in list_of(v, name)? {
                    parts.push(x.to_str()?);
                }
            }
            Value::String(parts.join(&sep))
        }
        "split" => {
            let (sep, x) = (s(0)?, s(1)?);
            if x.is_empty() {
                Value::list(vec![Value::string("")])
            } else {
                Value::list(x.split(sep.as_str()).map(Value::string).collect())
            }
        }
        "format" => Value::String(format(&s(0)?, &values[1..])?),
        "formatlist" => {
            let fmt = s(0)?;
            let args = &values[1..];
            let len = args
                .iter()
                .filter_map(|a| match a {
                    Value::List(l) => Some(l.len()),
                    _ => None,
                })
                .max();
            match len {
                None => Value::list(vec![Value::String(format(&fmt, args)?)]),
                Some(len) => {
                    let mut out = Vec::with_capacity(len);
                    for i in 0..len {
                        let row: Vec<Value> = args
                            .iter()
                            .map(|a| match a {
                                Value::List(l) => l.get(i).cloned().unwrap_or(Value::Null),
                                other => other.clone(),
                            })
                            .collect();
                        out.push(Value::String(format(&fmt, &row)?));
                    }
                    Value::list(out)
                }
            }
        }
        "jsondecode" => match serde_json::from_str::<serde_json::Value>(&s(0)?) {
            Ok(j) => Value::from(&j),
            Err(e) => return fail(format!("jsondecode: {e}")),
        },
        "jsonencode" => Value::String(to_json(&arg(values, 0, name)?).to_string()),
        "file" => {
            let Some(dir) = ev.base_dir() else {
                return Ok(Value::Unknown);
            };
            match std::fs::read_to_string(dir.join(s(0)?)) {
                Ok(text) => Value::String(text),
                Err(e) => return fail(format!("file {}: {e}", s(0)?)),
            }
        }
        "fileexists" => match ev.base_dir() {
            Some(dir) => Value::Bool(dir.join(s(0)?).is_file()),
            None => Value::Unknown,
        },
        // Not implemented: unknown, so nothing is decided on a guess.
        _ => Value::Unknown,
    })
}

/// Terraform's `format` verbs that matter for names and keys: %s, %d, %v, %q, %%, with widths.
fn format(fmt: &str, args: &[Value]) -> Result<String> {
    let mut out = String::new();
    let mut chars = fmt.chars().peekable();
    let mut next = 0usize;
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut spec = String::new();
        while let Some(&d) = chars.peek() {
            if d.is_ascii_digit() || d == '-' || d == '.' || d == '0' || d == '#' || d == '+' {
                spec.push(d);
                chars.next();
            } else {
                break;
            }
        }
        let Some(verb) = chars.next() else {
            return fail("format: a verb is missing after %");
        };
        if verb == '%' {
            out.push('%');
            continue;
        }
        let v = args
            .get(next)
            .ok_or_else(|| EvalError("format: too few arguments".into()))?;
        next += 1;
        let text = match verb {
            's' | 'v' => v.to_str().unwrap_or_else(|_| v.to_string()),
            'd' => format_number(v.to_number()?.trunc()),
            'q' => format!("{:?}", v.to_str()?),
            'f' => {
                let prec = spec
                    .split('.')
                    .nth(1)
                    .and_then(|p| p.parse::<usize>().ok())
                    .unwrap_or(6);
                format!("{:.*}", prec, v.to_number()?)
            }
            _ => return Ok(String::new()).and_then(|_: String| fail("format: unsupported verb")),
        };
        let width: usize = spec
            .trim_start_matches(['-', '0', '+', '#'])
            .split('.')
            .next()
            .and_then(|w| w.parse().ok())
            .unwrap_or(0);
        let pad = width.saturating_sub(text.chars().count());
        if spec.starts_with('-') {
            out.push_str(&text);
            out.push_str(&" ".repeat(pad));
        } else if spec.starts_with('0') && verb == 'd' {
            out.push_str(&"0".repeat(pad));
            out.push_str(&text);
        } else {
            out.push_str(&" ".repeat(pad));
            out.push_str(&text);
        }
    }
    Ok(out)
}

fn to_json(v: &Value) -> serde_json::Value {
    match v {
        Value::Null | Value::Unknown => serde_json::Value::Null,
        Value::Bool(b) => serde_json::Value::Bool(*b),
        Value::Number(n) => {
            if n.fract() == 0.0 && n.abs() < 9e15 {
                serde_json::Value::from(*n as i64)
            } else {
                serde_json::Value::from(*n)
            }
        }
        Value::String(s) => serde_json::Value::String(s.clone()),
        Value::List(l) => serde_json::Value::Array(l.iter().map(to_json).collect()),
        Value::Map(m) => {
            serde_json::Value::Object(m.iter().map(|(k, v)| (k.clone(), to_json(v))).collect())
        }
    }
}

#[cfg(test)]
mod tests {
    //! Terraform functions, with unknown elements and try/can.

    use super::super::expr::{evaluate, NoNames, Resolver};
    use super::*;

    struct Unknowns;
    impl Resolver for Unknowns {
        fn resolve(&self, _: &str, attrs: &[&str]) -> Result<(Value, usize)> {
            Ok((Value::Unknown, attrs.len().min(1)))
        }
    }

    fn eval(src: &str) -> Value {
        let e: Expression = src.parse().unwrap();
        evaluate(&e, &NoNames).unwrap_or_else(|e| panic!("{src}: {e}"))
    }

    fn eval_unknowns(src: &str) -> Value {
        let e: Expression = src.parse().unwrap();
        evaluate(&e, &Unknowns).unwrap_or_else(|e| panic!("{src}: {e}"))
    }

    fn strs(xs: &[&str]) -> Value {
        Value::list(xs.iter().map(|x| Value::string(*x)).collect())
    }

    #[test]
    fn shape_functions_see_through_unknown_elements() {
        assert_eq!(
            eval_unknowns("length([aws_x.a.id, aws_x.b.id])"),
            Value::Number(2.0)
        );
        assert_eq!(
            eval_unknowns("keys({ b = aws_x.a.id, a = 1 })"),
            strs(&["a", "b"])
        );
        assert!(eval_unknowns("toset([aws_x.a.id])").is_unknown());
        assert!(eval_unknowns("length(aws_x.a)").is_unknown());
    }

    #[test]
    fn try_and_can_pick_the_first_argument_that_works() {
        assert_eq!(eval("try([][0], \"fallback\")"), Value::string("fallback"));
        assert_eq!(eval("can([][0])"), Value::Bool(false));
        assert!(eval_unknowns("try(aws_x.a[0].arn, \"\")").is_unknown());
        assert!(eval_unknowns("can(aws_x.a.id)").is_unknown());
    }

    #[test]
    fn collection_functions() {
        assert_eq!(eval("toset([\"b\", \"a\", \"b\"])"), strs(&["a", "b"]));
        assert_eq!(eval("concat([\"a\"], [\"b\"])"), strs(&["a", "b"]));
        assert_eq!(eval("flatten([[\"a\"], [[\"b\"]]])"), strs(&["a", "b"]));
        assert_eq!(
            eval("merge({ a = 1 }, null, { b = 2 })"),
            eval("{ a = 1, b = 2 }")
        );
        assert_eq!(eval("lookup({ a = 1 }, \"b\", 3)"), Value::Number(3.0));
        assert_eq!(
            eval("zipmap([\"a\", \"b\"], [1, 2])"),
            eval("{ a = 1, b = 2 }")
        );
        assert_eq!(eval("range(3)"), eval("[0, 1, 2]"));
        assert_eq!(eval("compact([\"a\", \"\", null])"), strs(&["a"]));
        assert_eq!(eval("distinct([\"b\", \"a\", \"b\"])"), strs(&["b", "a"]));
        assert_eq!(
            eval("setproduct([\"a\"], [1, 2])"),
            eval("[[\"a\", 1], [\"a\", 2]]")
        );
        assert_eq!(eval("coalesce(null, \"\", \"x\")"), Value::string("x"));
        assert_eq!(eval("one([])"), Value::Null);
        assert_eq!(eval("element([\"a\", \"b\"], 3)"), Value::string("b"));
    }

    #[test]
    fn string_functions() {
        assert_eq!(
            eval("format(\"%s-%03d\", \"app\", 7)"),
            Value::string("app-007")
        );
        assert_eq!(eval("join(\"-\", [\"a\", \"b\"])"), Value::string("a-b"));
        assert_eq!(eval("split(\",\", \"a,b\")"), strs(&["a", "b"]));
        assert_eq!(eval("substr(\"hello\", 1, 3)"), Value::string("ell"));
        assert_eq!(
            eval("formatlist(\"%s!\", [\"a\", \"b\"])"),
            strs(&["a!", "b!"])
        );
        assert_eq!(
            eval("jsondecode(\"{\\\"a\\\": [1]}\")"),
            eval("{ a = [1] }")
        );
    }

    #[test]
    fn an_unimplemented_function_is_unknown_not_an_error() {
        assert!(eval("cidrsubnet(\"10.0.0.0/16\", 8, 1)").is_unknown());
        // ... so try does not fall back on a guess.
        assert!(eval("try(cidrsubnet(\"10.0.0.0/16\", 8, 1), \"x\")").is_unknown());
    }
}
