//! The editor: given one resource block parsed by hcl-edit and the text it was parsed from, says
//! what its tags argument holds for one key and, when something must change, the smallest text
//! splices that change it. It never re-prints the tree: every byte outside a splice stays as it
//! was (comments, blank lines, alignment, quoting), and what it inserts is laid out as
//! `terraform fmt` lays it out, re-aligning the `=` of the one run of lines it joins (fmt aligns
//! the `=` of consecutive one-line arguments). Which key, value and argument to use, and what a
//! different value means, is [`super`]'s business.

use std::ops::Range;

use hcl_edit::expr::{Expression, FuncCall, Object, ObjectKey, TraversalOperator};
use hcl_edit::structure::{Block, Structure};
use hcl_edit::Span;

/// Replace `range` of the original text with `text` (an insertion when the range is empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Splice {
    pub range: Range<usize>,
    pub text: String,
}

/// What the tags argument of a block holds for a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// The key holds the wanted value.
    Same,
    /// The key holds another literal string: `splices` would replace it with the wanted value.
    Other { value: String, splices: Vec<Splice> },
    /// The key is not there: `splices` add it.
    Missing { splices: Vec<Splice> },
    /// tfscope cannot tell or cannot edit safely; the reason.
    Unsupported(String),
}

/// What the `attribute` argument of `block` holds for `key`, and how to make it `value`.
pub fn inspect(text: &str, block: &Block, attribute: &str, key: &str, value: &str) -> Found {
    let entry = format!("{} = {}", object_key(key), quote(value));
    let as_block = block.body.iter().any(|s| match s {
        Structure::Block(b) => {
            b.ident.as_str() == attribute
                || (b.ident.as_str() == "dynamic"
                    && b.labels.first().is_some_and(|l| l.as_str() == attribute))
        }
        Structure::Attribute(_) => false,
    });
    if as_block {
        return Found::Unsupported(format!("`{attribute}` is written as a block"));
    }
    if ignores_changes(block, attribute, key) {
        return Found::Unsupported(format!(
            "lifecycle ignore_changes covers `{attribute}`, so Terraform would never send the tag \
             to what exists; take `{attribute}` out of ignore_changes, or tag it by hand"
        ));
    }
    let Some(attr) = block.body.get_attribute(attribute) else {
        return insert_attribute(text, block, &format!("{attribute} = {{ {entry} }}"));
    };
    let Some(span) = attr.value.span() else {
        return Found::Unsupported("no source position".into());
    };
    match &attr.value {
        Expression::Object(object) => in_object(text, object, key, value, &entry),
        Expression::FuncCall(call) if call.name.name.as_str() == "merge" => {
            in_merge(text, call, key, value, &entry)
        }
        Expression::Null(_) => Found::Missing {
            splices: vec![Splice {
                range: span,
                text: format!("{{ {entry} }}"),
            }],
        },
        other if mentions_key(other, key) => set_inside(key),
        _ => {
            let written = &text[span.clone()];
            // fmt indents a line's inner lines one level however many brackets it opens, so
            // `merge({` keeps a multi-line `{ for ... }` or `c ? {` formatted as it was.
            let first_line = written.lines().next().unwrap_or_default().trim_end();
            if written.contains('\n') && !first_line.ends_with(['{', '[', '(']) {
                return Found::Unsupported(format!(
                    "`{attribute}` is a multi-line expression; add {entry} by hand"
                ));
            }
            Found::Missing {
                splices: vec![Splice {
                    range: span,
                    text: format!("merge({written}, {{ {entry} }})"),
                }],
            }
        }
    }
}

/// Whether the block's `lifecycle { ignore_changes = ... }` is `all`, names `attribute`, or names
/// `key` in it (`tags["Scope"]`, `tags.Scope`, or an index tfscope cannot read). Other keys
/// (`tags["kubernetes.io/role"]`, common in public modules) leave the scope tag alone.
fn ignores_changes(block: &Block, attribute: &str, key: &str) -> bool {
    let covers = |e: &Expression| match e {
        Expression::Variable(v) => v.as_str() == attribute,
        Expression::Traversal(t) => {
            let on_attribute =
                matches!(&t.expr, Expression::Variable(v) if v.as_str() == attribute);
            on_attribute
                && match t.operators.first().map(|o| o.value()) {
                    Some(TraversalOperator::GetAttr(i)) => i.as_str() == key,
                    Some(TraversalOperator::Index(Expression::String(s))) => s.as_str() == key,
                    _ => true,
                }
        }
        // The quoted form of Terraform 0.11: "tags", "tags.Scope".
        Expression::String(s) => {
            s.as_str() == attribute || s.as_str() == format!("{attribute}.{key}")
        }
        _ => false,
    };
    block
        .body
        .blocks()
        .filter(|b| b.ident.as_str() == "lifecycle")
        .filter_map(|b| b.body.get_attribute("ignore_changes"))
        .any(|a| match &a.value {
            Expression::Variable(v) => v.as_str() == "all",
            Expression::Array(items) => items.iter().any(covers),
            _ => false,
        })
}

/// A string literal as HCL writes it.
fn quote(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            // `${` and `%{` start templates; a doubled `$` or `%` before `{` escapes them, and
            // anywhere else stays doubled.
            '$' | '%' if chars.peek() == Some(&'{') => {
                out.push(c);
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out.push('"');
    out
}

/// An object key as HCL writes it: bare when it is an identifier, else quoted
/// (`"kubernetes.io/scope"`).
fn object_key(key: &str) -> String {
    let mut chars = key.chars();
    let ident = chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_' || c == '-');
    if ident {
        key.to_string()
    } else {
        quote(key)
    }
}

/// What an object literal holds under a key.
enum Lookup<'a> {
    /// The last item with that key (the last wins, as in Terraform).
    Found(&'a Expression),
    Missing,
    /// A key is an expression (`(local.k) = ...`): it may be this key.
    Unknown,
}

fn lookup<'a>(object: &'a Object, key: &str) -> Lookup<'a> {
    let mut found = Lookup::Missing;
    for (k, v) in object.iter() {
        match k {
            ObjectKey::Ident(i) if i.as_str() == key => found = Lookup::Found(v.expr()),
            ObjectKey::Expression(Expression::String(s)) if s.as_str() == key => {
                found = Lookup::Found(v.expr())
            }
            ObjectKey::Ident(_) | ObjectKey::Expression(Expression::String(_)) => {}
            // `"kubernetes.io/cluster/${var.name}"` is never `Scope`: a template's text is in
            // whatever it evaluates to.
            ObjectKey::Expression(Expression::StringTemplate(t))
                if t.iter().any(|e| match e {
                    hcl_edit::template::Element::Literal(l) => !key.contains(l.as_str()),
                    _ => false,
                }) => {}
            ObjectKey::Expression(_) => return Lookup::Unknown,
        }
    }
    found
}

fn expression_key(key: &str) -> Found {
    Found::Unsupported(format!(
        "a key of the map is an expression that may be {key}; set {key} by hand"
    ))
}

/// Whether an object literal anywhere inside `expr` sets `key` (or a key tfscope cannot read),
/// so wrapping `expr` in `merge(expr, { key = ... })` would override what it says.
fn mentions_key(expr: &Expression, key: &str) -> bool {
    struct Finder<'k> {
        key: &'k str,
        found: bool,
    }
    impl hcl_edit::visit::Visit for Finder<'_> {
        fn visit_object(&mut self, node: &Object) {
            self.found |= !matches!(lookup(node, self.key), Lookup::Missing);
            hcl_edit::visit::visit_object(self, node);
        }
    }
    let mut finder = Finder { key, found: false };
    hcl_edit::visit::Visit::visit_expr(&mut finder, expr);
    finder.found
}

fn set_inside(key: &str) -> Found {
    Found::Unsupported(format!(
        "{key} is set inside an expression tfscope does not evaluate; set it there by hand"
    ))
}

/// What a found value means.
fn judge(value_expr: &Expression, key: &str, value: &str) -> Found {
    match value_expr {
        Expression::String(s) if s.as_str() == value => Found::Same,
        Expression::String(s) => match value_expr.span() {
            Some(range) => Found::Other {
                value: s.to_string(),
                splices: vec![Splice {
                    range,
                    text: quote(value),
                }],
            },
            None => Found::Unsupported("no source position".into()),
        },
        _ => Found::Unsupported(format!("{key} is set to an expression, not a literal")),
    }
}

fn in_object(text: &str, object: &Object, key: &str, value: &str, entry: &str) -> Found {
    match lookup(object, key) {
        Lookup::Found(v) => return judge(v, key, value),
        Lookup::Unknown => return expression_key(key),
        Lookup::Missing => {}
    }
    match append_to_object(text, object, entry) {
        Some(splices) => Found::Missing { splices },
        None => Found::Unsupported("no source position".into()),
    }
}

fn in_merge(text: &str, call: &FuncCall, key: &str, value: &str, entry: &str) -> Found {
    if call.args.expand_final() {
        return Found::Unsupported("merge(...) expands a list; add the key by hand".into());
    }
    let args: Vec<&Expression> = call.args.iter().collect();
    for arg in args.iter().rev() {
        match arg {
            Expression::Object(o) => match lookup(o, key) {
                Lookup::Found(v) => return judge(v, key, value),
                Lookup::Unknown => return expression_key(key),
                Lookup::Missing => {}
            },
            other if mentions_key(other, key) => return set_inside(key),
            _ => {}
        }
    }
    let Some(last) = args.last().copied() else {
        // merge() with no arguments: give it one.
        let Some(span) = call.span() else {
            return Found::Unsupported("no source position".into());
        };
        if text[span.clone()].contains(['#', '/']) {
            return Found::Unsupported("merge() holds only a comment; add the key by hand".into());
        }
        return Found::Missing {
            splices: vec![Splice {
                range: span,
                text: format!("merge({{ {entry} }})"),
            }],
        };
    };
    if let Expression::Object(o) = last {
        return match append_to_object(text, o, entry) {
            Some(splices) => Found::Missing { splices },
            None => Found::Unsupported("no source position".into()),
        };
    }
    let (Some(last_span), Some(call_span)) = (last.span(), call.span()) else {
        return Found::Unsupported("no source position".into());
    };
    let close = call_span.end - 1;
    if same_line(text, last_span.end, close) {
        return Found::Missing {
            splices: vec![Splice {
                range: last_span.end..last_span.end,
                text: format!(", {{ {entry} }}"),
            }],
        };
    }
    // One argument a line: a new line after the last, in its style.
    let indent = indentation(text, last_span.start);
    let mut splices = Vec::new();
    let after = text[last_span.end..].trim_start_matches([' ', '\t']);
    let has_comma = after.starts_with(',');
    if !has_comma {
        splices.push(Splice {
            range: last_span.end..last_span.end,
            text: ",".into(),
        });
    }
    let at = line_end(text, last_span.end);
    let comma = if call.args.trailing_comma() || has_comma {
        ","
    } else {
        ""
    };
    splices.push(Splice {
        range: at..at,
        text: format!("{indent}{{ {entry} }}{comma}\n"),
    });
    Found::Missing { splices }
}

/// Adds `entry` as the object's last item: inline for a one-line object, else on a new line
/// after the last item, indented and aligned like its neighbours.
fn append_to_object(text: &str, object: &Object, entry: &str) -> Option<Vec<Splice>> {
    let span = object.span()?;
    let Some((last_key, last_value)) = object.iter().last() else {
        let close = span.end - 1;
        if text[span.start + 1..close].trim().is_empty() {
            return Some(vec![Splice {
                range: span,
                text: format!("{{ {entry} }}"),
            }]);
        }
        // `{` newline, perhaps comments, `}`: a line before the closing brace keeps them.
        let indent = format!("{}  ", indentation(text, span.start));
        return Some(insert_line(text, line_start(text, close), &indent, entry));
    };
    let value_end = last_value.expr().span()?.end;
    let close = span.end - 1;
    if same_line(text, value_end, close) {
        let after = text[value_end..close].trim_start_matches([' ', '\t']);
        let (at, lead) = if after.starts_with(',') {
            (value_end + text[value_end..].find(',')? + 1, " ")
        } else {
            (value_end, ", ")
        };
        return Some(vec![Splice {
            range: at..at,
            text: format!("{lead}{entry}"),
        }]);
    }
    let key_start = last_key.span()?.start;
    Some(insert_line(
        text,
        line_end(text, value_end),
        &indentation(text, key_start),
        entry,
    ))
}

/// Adds `entry` (an argument) to a block: after the last argument that comes before the first
/// nested block, else before the first nested block, else into the empty body.
fn insert_attribute(text: &str, block: &Block, entry: &str) -> Found {
    let no_position = || Found::Unsupported("no source position".into());
    let Some(block_span) = block.span() else {
        return no_position();
    };
    let structures: Vec<&Structure> = block.body.iter().collect();
    let first_block = structures
        .iter()
        .position(|s| matches!(s, Structure::Block(_)))
        .unwrap_or(structures.len());
    let open = match block.labels.last().and_then(|l| l.span()) {
        Some(l) => l.end + text[l.end..].find('{').unwrap_or(0),
        None => block_span.start + text[block_span.start..].find('{').unwrap_or(0),
    };
    if same_line(text, open, block_span.end - 1) {
        if !structures.is_empty() {
            return Found::Unsupported("a one-line block; add the argument by hand".into());
        }
        let indent = indentation(text, block_span.start);
        return Found::Missing {
            splices: vec![Splice {
                range: open..block_span.end,
                text: format!("{{\n{indent}  {entry}\n{indent}}}"),
            }],
        };
    }
    let before_blocks = &structures[..first_block];
    if let Some(Structure::Attribute(last)) = before_blocks.last() {
        let Some(span) = last.span() else {
            return no_position();
        };
        let value_end = last.value.span().map_or(span.end, |s| s.end);
        let indent = indentation(text, span.start);
        return Found::Missing {
            splices: insert_line(text, line_end(text, value_end), &indent, entry),
        };
    }
    if let Some(first) = structures.first() {
        let start = match first {
            Structure::Block(b) => b.span(),
            Structure::Attribute(a) => a.span(),
        };
        let Some(start) = start else {
            return no_position();
        };
        let indent = indentation(text, start.start);
        let at = line_start(text, start.start);
        return Found::Missing {
            splices: insert_line(text, at, &indent, entry),
        };
    }
    // An empty body over several lines: before the closing brace's line.
    let close = block_span.end - 1;
    let indent = format!("{}  ", indentation(text, block_span.start));
    Found::Missing {
        splices: insert_line(text, line_start(text, close), &indent, entry),
    }
}

/// Inserts the line `indent` + `entry` at `at` (the start of a line), with its `=` aligned to
/// the run of one-line assignments it joins, re-aligning that run when its key is the longest.
fn insert_line(text: &str, at: usize, indent: &str, entry: &str) -> Vec<Splice> {
    let (key, rest) = split_entry(entry);
    let own = indent.chars().count() + key.chars().count();
    // The run: consecutive assignment lines right above and right below `at`.
    // A heredoc is one line to fmt: the argument it starts and the next line chain.
    let mut run = Vec::new();
    let mut start = at;
    while start > 0 {
        let mut prev = line_start(text, start - 1);
        let line = &text[prev..start];
        let a = match assignment(line) {
            Some(a) => a,
            None => match heredoc_opener(text, prev, line.trim()) {
                Some((opener, a)) => {
                    prev = opener;
                    a
                }
                None => break,
            },
        };
        run.push((prev, a));
        start = prev;
    }
    let mut pos = at;
    while pos < text.len() {
        let end = line_end(text, pos);
        let Some(a) = assignment(&text[pos..end]) else {
            break;
        };
        let heredoc = a.heredoc.clone();
        run.push((pos, a));
        pos = end;
        if let Some(marker) = &heredoc {
            // Past the closing marker.
            while pos < text.len() {
                let end = line_end(text, pos);
                let closing = text[pos..end].trim() == marker;
                pos = end;
                if closing {
                    break;
                }
            }
        }
    }
    let widest = run.iter().map(|(_, a)| a.width).max().unwrap_or(0).max(own);
    let mut splices: Vec<Splice> = run
        .iter()
        .filter(|(_, a)| a.equals - a.lead_end != widest - a.width + 1 || a.tab)
        .map(|(line, a)| Splice {
            range: line + a.lead_end..line + a.equals,
            text: " ".repeat(widest - a.width + 1),
        })
        .collect();
    splices.push(Splice {
        range: at..at,
        text: format!("{indent}{key}{}= {rest}\n", " ".repeat(widest - own + 1)),
    });
    splices
}

/// `key = value` at the first ` = ` outside the quotes of a quoted key.
fn split_entry(entry: &str) -> (&str, &str) {
    let key_end = match entry.strip_prefix('"') {
        Some(rest) => {
            let mut escaped = false;
            let close = rest.char_indices().find(|&(_, c)| {
                let end = c == '"' && !escaped;
                escaped = c == '\\' && !escaped;
                end
            });
            close.map_or(0, |(i, _)| i + 2)
        }
        None => 0,
    };
    match entry[key_end..].find(" = ") {
        Some(i) => (&entry[..key_end + i], &entry[key_end + i + 3..]),
        None => (entry, ""),
    }
}

/// When the line that ends at `end` closes a heredoc (`marker` alone), the assignment that
/// opened it and where its line starts.
fn heredoc_opener(text: &str, end: usize, marker: &str) -> Option<(usize, Assignment)> {
    if marker.is_empty() || !marker.chars().all(|c| c.is_alphanumeric() || c == '_') {
        return None;
    }
    let mut start = end;
    while start > 0 {
        let prev = line_start(text, start - 1);
        if let Some(a) = assignment(&text[prev..start]) {
            if a.heredoc.as_deref() == Some(marker) {
                return Some((prev, a));
            }
        }
        start = prev;
    }
    None
}

/// A line that `terraform fmt` aligns: a one-line `key = value` (value with balanced brackets),
/// or one that opens a heredoc.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Assignment {
    /// Columns of the indentation and the key.
    width: usize,
    /// Byte offsets within the line: where the key ends and where `=` is.
    lead_end: usize,
    equals: usize,
    /// The space before `=` holds a tab (fmt turns it into spaces).
    tab: bool,
    /// The marker of the heredoc the value opens.
    heredoc: Option<String>,
}

fn assignment(line: &str) -> Option<Assignment> {
    let body = line.trim_start_matches([' ', '\t']);
    if body.is_empty()
        || body.starts_with('#')
        || body.starts_with("//")
        || body.starts_with("/*")
        || body.starts_with(['}', ']', ')'])
    {
        return None;
    }
    let bytes = line.as_bytes();
    let mut depth = 0i32;
    let mut in_string = false;
    let mut equals = None;
    let mut heredoc = None;
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if in_string {
            match c {
                b'\\' => i += 1,
                b'"' => in_string = false,
                _ => {}
            }
        } else {
            match c {
                b'"' => in_string = true,
                b'#' => break,
                b'/' if bytes.get(i + 1) == Some(&b'/') || bytes.get(i + 1) == Some(&b'*') => break,
                b'<' if bytes.get(i + 1) == Some(&b'<') && equals.is_some() => {
                    let rest = line[i + 2..].trim_start_matches('-');
                    let marker: String = rest
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    heredoc = (!marker.is_empty()).then_some(marker);
                    break;
                }
                b'{' | b'[' | b'(' => depth += 1,
                b'}' | b']' | b')' => depth -= 1,
                b'=' if equals.is_none() => {
                    let next = bytes.get(i + 1).copied();
                    let prev = if i > 0 { bytes[i - 1] } else { b' ' };
                    if depth != 0
                        || matches!(next, Some(b'=') | Some(b'>'))
                        || matches!(prev, b'!' | b'<' | b'>' | b'=')
                    {
                        return None;
                    }
                    equals = Some(i);
                }
                _ => {}
            }
        }
        i += 1;
    }
    let equals = equals?;
    if depth != 0 {
        return None;
    }
    let lead = line[..equals].trim_end_matches([' ', '\t']);
    let lead_end = lead.len();
    Some(Assignment {
        width: lead.chars().count(),
        lead_end,
        equals,
        tab: line[lead_end..equals].contains('\t'),
        heredoc,
    })
}

fn line_start(text: &str, at: usize) -> usize {
    text[..at].rfind('\n').map_or(0, |i| i + 1)
}

/// The offset just after the newline that ends the line holding `at` (or the text's end).
fn line_end(text: &str, at: usize) -> usize {
    text[at..].find('\n').map_or(text.len(), |i| at + i + 1)
}

fn same_line(text: &str, a: usize, b: usize) -> bool {
    let (a, b) = if a <= b { (a, b) } else { (b, a) };
    !text[a..b].contains('\n')
}

/// The whitespace that starts the line holding `at`.
fn indentation(text: &str, at: usize) -> String {
    let start = line_start(text, at);
    text[start..]
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect()
}

/// `text` with `splices` applied; they must not overlap. Inserted lines end as the text's first
/// line does (`\r\n` in a file written on Windows).
pub fn apply(text: &str, splices: &[Splice]) -> String {
    let crlf = text.find('\n').is_some_and(|i| text[..i].ends_with('\r'));
    let mut sorted: Vec<&Splice> = splices.iter().collect();
    sorted.sort_by_key(|s| (s.range.start, s.range.end));
    let mut out = String::with_capacity(text.len() + 64);
    let mut pos = 0;
    for s in sorted {
        if s.range.start < pos {
            continue; // overlapping: never produced for distinct blocks
        }
        out.push_str(&text[pos..s.range.start]);
        if crlf {
            out.push_str(&s.text.replace('\n', "\r\n"));
        } else {
            out.push_str(&s.text);
        }
        pos = s.range.end;
    }
    out.push_str(&text[pos..]);
    out
}

#[cfg(test)]
mod tests {
    //! Exact before/after text for every case the editor handles.

    use super::*;

    /// Tags the first block of `text` with Scope = "runtime" and returns the new text, or the
    /// outcome when nothing is added.
    fn tag(text: &str, attribute: &str) -> Result<String, Found> {
        tag_with(text, attribute, "Scope", "runtime")
    }

    fn tag_with(text: &str, attribute: &str, key: &str, value: &str) -> Result<String, Found> {
        let body = hcl_edit::parser::parse_body(text).unwrap();
        let block = body.blocks().next().unwrap();
        match inspect(text, block, attribute, key, value) {
            Found::Missing { splices } | Found::Other { splices, .. } => {
                let out = apply(text, &splices);
                hcl_edit::parser::parse_body(&out).expect("the result parses");
                Ok(out)
            }
            other => Err(other),
        }
    }

    #[test]
    fn no_tags_goes_after_the_last_argument_aligned_with_it() {
        let before = r#"resource "aws_instance" "web" {
  ami           = "ami-1" # pinned
  instance_type = "t3.micro"

  lifecycle {
    create_before_destroy = true
  }
}
"#;
        let after = r#"resource "aws_instance" "web" {
  ami           = "ami-1" # pinned
  instance_type = "t3.micro"
  tags          = { Scope = "runtime" }

  lifecycle {
    create_before_destroy = true
  }
}
"#;
        assert_eq!(tag(before, "tags").unwrap(), after);
    }

    #[test]
    fn a_longer_key_realigns_its_run_and_nothing_else() {
        let before = "resource \"google_storage_bucket\" \"b\" {\n  name = \"x\"\n  location = \"EU\"\n\n  ab = 1\n}\n";
        let before = before.replace("  name = ", "  name     = ");
        let after = "resource \"google_storage_bucket\" \"b\" {\n  name     = \"x\"\n  location = \"EU\"\n\n  ab     = 1\n  labels = { Scope = \"runtime\" }\n}\n";
        assert_eq!(tag(&before, "labels").unwrap(), after);
        let before = "resource \"x\" \"y\" {\n  a  = 1\n  bb = 2\n}\n";
        let after =
            "resource \"x\" \"y\" {\n  a    = 1\n  bb   = 2\n  tags = { Scope = \"runtime\" }\n}\n";
        assert_eq!(tag(before, "tags").unwrap(), after);
    }

    #[test]
    fn a_multi_line_argument_ends_the_run() {
        let before = "resource \"x\" \"y\" {\n  policy = jsonencode({\n    a = 1\n  })\n}\n";
        let after = "resource \"x\" \"y\" {\n  policy = jsonencode({\n    a = 1\n  })\n  tags = { Scope = \"runtime\" }\n}\n";
        assert_eq!(tag(before, "tags").unwrap(), after);
    }

    #[test]
    fn blocks_only_and_empty_bodies() {
        let before = "resource \"x\" \"y\" {\n  timeouts {\n    create = \"1m\"\n  }\n}\n";
        let after = "resource \"x\" \"y\" {\n  tags = { Scope = \"runtime\" }\n  timeouts {\n    create = \"1m\"\n  }\n}\n";
        assert_eq!(tag(before, "tags").unwrap(), after);
        assert_eq!(
            tag("resource \"x\" \"y\" {}\n", "tags").unwrap(),
            "resource \"x\" \"y\" {\n  tags = { Scope = \"runtime\" }\n}\n"
        );
        assert_eq!(
            tag("resource \"x\" \"y\" {\n}\n", "tags").unwrap(),
            "resource \"x\" \"y\" {\n  tags = { Scope = \"runtime\" }\n}\n"
        );
        assert!(matches!(
            tag("resource \"x\" \"y\" { a = 1 }\n", "tags"),
            Err(Found::Unsupported(_))
        ));
    }

    #[test]
    fn multi_line_object_keeps_order_comments_and_alignment() {
        let before = r#"resource "azurerm_resource_group" "rg" {
  name = "rg"
  tags = {
    # who pays
    CostCenter = "42"
    Owner      = "team-a" # on call
  }
}
"#;
        let after = r#"resource "azurerm_resource_group" "rg" {
  name = "rg"
  tags = {
    # who pays
    CostCenter = "42"
    Owner      = "team-a" # on call
    Scope      = "runtime"
  }
}
"#;
        assert_eq!(tag(before, "tags").unwrap(), after);
        // A key longer than the others re-aligns the object's run.
        let before = "resource \"x\" \"y\" {\n  tags = {\n    A = \"1\"\n  }\n}\n";
        let after = "resource \"x\" \"y\" {\n  tags = {\n    A     = \"1\"\n    Scope = \"runtime\"\n  }\n}\n";
        assert_eq!(tag(before, "tags").unwrap(), after);
    }

    #[test]
    fn one_line_and_empty_objects() {
        let t = |v: &str| format!("resource \"x\" \"y\" {{\n  tags = {v}\n}}\n");
        assert_eq!(
            tag(&t("{ Name = \"a\" }"), "tags").unwrap(),
            t("{ Name = \"a\", Scope = \"runtime\" }")
        );
        assert_eq!(
            tag(&t("{ Name = \"a\", }"), "tags").unwrap(),
            t("{ Name = \"a\", Scope = \"runtime\" }")
        );
        assert_eq!(tag(&t("{}"), "tags").unwrap(), t("{ Scope = \"runtime\" }"));
        assert_eq!(
            tag(&t("null"), "tags").unwrap(),
            t("{ Scope = \"runtime\" }")
        );
    }

    #[test]
    fn merge_gets_the_key_in_its_last_object_or_a_new_argument() {
        let t = |v: &str| format!("resource \"x\" \"y\" {{\n  tags = {v}\n}}\n");
        assert_eq!(
            tag(&t("merge(var.tags, { Name = \"a\" })"), "tags").unwrap(),
            t("merge(var.tags, { Name = \"a\", Scope = \"runtime\" })")
        );
        assert_eq!(
            tag(&t("merge(var.tags, local.tags)"), "tags").unwrap(),
            t("merge(var.tags, local.tags, { Scope = \"runtime\" })")
        );
        let before = t("merge(\n    var.tags,\n    local.tags,\n  )");
        let after = t("merge(\n    var.tags,\n    local.tags,\n    { Scope = \"runtime\" },\n  )");
        assert_eq!(tag(&before, "tags").unwrap(), after);
        let before = t("merge(\n    var.tags,\n    local.tags\n  )");
        let after = t("merge(\n    var.tags,\n    local.tags,\n    { Scope = \"runtime\" }\n  )");
        assert_eq!(tag(&before, "tags").unwrap(), after);
        let before = t("merge(var.tags, {\n    Name = \"a\"\n  })");
        let after = t("merge(var.tags, {\n    Name  = \"a\"\n    Scope = \"runtime\"\n  })");
        assert_eq!(tag(&before, "tags").unwrap(), after);
    }

    #[test]
    fn other_expressions_are_wrapped_in_merge() {
        let t = |v: &str| format!("resource \"x\" \"y\" {{\n  tags = {v}\n}}\n");
        assert_eq!(
            tag(&t("var.tags"), "tags").unwrap(),
            t("merge(var.tags, { Scope = \"runtime\" })")
        );
        assert_eq!(
            tag(&t("var.on ? var.tags : {}"), "tags").unwrap(),
            t("merge(var.on ? var.tags : {}, { Scope = \"runtime\" })")
        );
        assert_eq!(
            tag(&t("var.on ? {\n    a = 1\n  } : {}"), "tags").unwrap(),
            t("merge(var.on ? {\n    a = 1\n  } : {}, { Scope = \"runtime\" })")
        );
        let for_expr = "{\n    for k, v in var.tags :\n    k => v\n    if v != \"\"\n  }";
        assert_eq!(
            tag(&t(for_expr), "tags").unwrap(),
            t(&format!("merge({for_expr}, {{ Scope = \"runtime\" }})"))
        );
        assert!(matches!(
            tag(&t("lookup(var.m, \"k\",\n  {})"), "tags"),
            Err(Found::Unsupported(_))
        ));
    }

    #[test]
    fn present_keys_are_judged_not_edited() {
        let t = |v: &str| format!("resource \"x\" \"y\" {{\n  tags = {v}\n}}\n");
        assert_eq!(tag(&t("{ Scope = \"runtime\" }"), "tags"), Err(Found::Same));
        assert_eq!(
            tag(&t("merge(var.t, { \"Scope\" = \"runtime\" })"), "tags"),
            Err(Found::Same)
        );
        // A different literal: the splice would replace just the value.
        assert_eq!(
            tag(&t("{ Scope = \"base\", A = \"b\" }"), "tags").unwrap(),
            t("{ Scope = \"runtime\", A = \"b\" }")
        );
        assert!(matches!(
            tag(&t("{ Scope = var.scope }"), "tags"),
            Err(Found::Unsupported(_))
        ));
        assert!(matches!(
            tag("resource \"x\" \"y\" {\n  dynamic \"tags\" {\n    for_each = {}\n    content {}\n  }\n}\n", "tags"),
            Err(Found::Unsupported(_))
        ));
    }

    #[test]
    fn a_heredoc_argument_chains_with_the_next_line_as_fmt_sees_it() {
        let before = "resource \"aws_iam_role\" \"r\" {\n  assume_role_policy = <<EOF\n{\n  \"a\": 1\n}\nEOF\n}\n";
        let after = "resource \"aws_iam_role\" \"r\" {\n  assume_role_policy = <<EOF\n{\n  \"a\": 1\n}\nEOF\n  tags               = { Scope = \"runtime\" }\n}\n";
        assert_eq!(tag(before, "tags").unwrap(), after);
    }

    #[test]
    fn assignment_lines_are_recognised_as_fmt_does() {
        assert_eq!(assignment("  a   = 1").map(|a| a.width), Some(3));
        assert_eq!(
            assignment("  \"k.io/x\" = \"v\" # c").map(|a| a.width),
            Some(10)
        );
        assert_eq!(assignment("  tags = {"), None);
        assert_eq!(assignment("  x = a == b ? 1 : 2").map(|a| a.width), Some(3));
        assert_eq!(assignment("  # a = 1"), None);
        assert_eq!(assignment("  }"), None);
        assert_eq!(assignment("  s = \"a = {\""), assignment("  s = 1"));
    }

    #[test]
    fn a_key_that_is_no_identifier_is_quoted_and_found_again() {
        let before = "resource \"x\" \"y\" {\n  name = \"a\"\n}\n";
        let after = tag_with(before, "tags", "kubernetes.io/scope", "runtime").unwrap();
        assert_eq!(
            after,
            "resource \"x\" \"y\" {\n  name = \"a\"\n  tags = { \"kubernetes.io/scope\" = \"runtime\" }\n}\n"
        );
        assert_eq!(
            tag_with(&after, "tags", "kubernetes.io/scope", "runtime"),
            Err(Found::Same),
            "a second run finds its own tag"
        );
        let multi = "resource \"x\" \"y\" {\n  tags = {\n    Name = \"a\"\n  }\n}\n";
        assert_eq!(
            tag_with(multi, "tags", "a = b", "runtime").unwrap(),
            "resource \"x\" \"y\" {\n  tags = {\n    Name    = \"a\"\n    \"a = b\" = \"runtime\"\n  }\n}\n"
        );
    }

    #[test]
    fn values_escape_only_what_starts_a_template() {
        assert_eq!(quote("net%"), "\"net%\"");
        assert_eq!(quote("50$"), "\"50$\"");
        assert_eq!(quote("a${b}%{c}"), "\"a$${b}%%{c}\"");
        assert_eq!(quote("q\"\\"), "\"q\\\"\\\\\"");
    }

    #[test]
    fn text_before_the_block_in_any_script_keeps_offsets_right() {
        let before = "# éééééé ünïcödé\nresource \"x\" \"y\" {\n  name = \"é\"\n}\n";
        let after = "# éééééé ünïcödé\nresource \"x\" \"y\" {\n  name = \"é\"\n  tags = { Scope = \"runtime\" }\n}\n";
        assert_eq!(tag(before, "tags").unwrap(), after);
    }

    #[test]
    fn a_key_tfscope_cannot_read_is_never_overridden() {
        let expression_key =
            "resource \"x\" \"y\" {\n  tags = {\n    (local.k) = \"shared\"\n  }\n}\n";
        let in_merge =
            "resource \"x\" \"y\" {\n  tags = merge(var.t, { (local.k) = \"shared\" })\n}\n";
        let conditional =
            "resource \"x\" \"y\" {\n  tags = var.on ? { Scope = \"shared\" } : {}\n}\n";
        let merged_conditional =
            "resource \"x\" \"y\" {\n  tags = merge(var.t, var.on ? { Scope = \"shared\" } : {})\n}\n";
        for before in [expression_key, in_merge, conditional, merged_conditional] {
            assert!(
                matches!(tag(before, "tags"), Err(Found::Unsupported(_))),
                "{before}"
            );
        }
        // A template key holding text that Scope does not is another key.
        let template =
            "resource \"x\" \"y\" {\n  tags = {\n    \"k8s.io/${var.n}\" = \"owned\"\n  }\n}\n";
        assert!(tag(template, "tags").is_ok());
        let maybe = "resource \"x\" \"y\" {\n  tags = {\n    \"Sc${var.n}\" = \"owned\"\n  }\n}\n";
        assert!(matches!(tag(maybe, "tags"), Err(Found::Unsupported(_))));
        // An expression that sets no Scope is still wrapped.
        assert_eq!(
            tag("resource \"x\" \"y\" {\n  tags = var.on ? { Name = \"a\" } : {}\n}\n", "tags")
                .unwrap(),
            "resource \"x\" \"y\" {\n  tags = merge(var.on ? { Name = \"a\" } : {}, { Scope = \"runtime\" })\n}\n"
        );
    }

    #[test]
    fn comments_in_an_empty_map_stay() {
        let before = "resource \"x\" \"y\" {\n  tags = {\n    # Owner comes later\n  }\n}\n";
        let after = "resource \"x\" \"y\" {\n  tags = {\n    # Owner comes later\n    Scope = \"runtime\"\n  }\n}\n";
        assert_eq!(tag(before, "tags").unwrap(), after);
        assert_eq!(
            tag("resource \"x\" \"y\" {\n  tags = {\n  }\n}\n", "tags").unwrap(),
            "resource \"x\" \"y\" {\n  tags = { Scope = \"runtime\" }\n}\n"
        );
        let merge = "resource \"x\" \"y\" {\n  tags = merge(\n    # nothing yet\n  )\n}\n";
        assert!(matches!(tag(merge, "tags"), Err(Found::Unsupported(_))));
    }

    #[test]
    fn ignored_tags_are_not_written() {
        for ignore in [
            "all",
            "[tags]",
            "[name, tags[\"Scope\"]]",
            "[tags.Scope]",
            "[tags[var.k]]",
            "[\"tags\"]",
        ] {
            let before = format!(
                "resource \"x\" \"y\" {{\n  name = \"a\"\n  lifecycle {{\n    ignore_changes = {ignore}\n  }}\n}}\n"
            );
            assert!(
                matches!(tag(&before, "tags"), Err(Found::Unsupported(m)) if m.contains("ignore_changes")),
                "{ignore}"
            );
        }
        for other in [
            "[name]",
            "[tags.kubernetes, tags.SubnetType]",
            "[tags[\"Owner\"]]",
        ] {
            let before = format!(
                "resource \"x\" \"y\" {{\n  lifecycle {{\n    ignore_changes = {other}\n  }}\n}}\n"
            );
            assert!(tag(&before, "tags").is_ok(), "{other}");
        }
    }

    #[test]
    fn a_windows_file_keeps_its_line_ends() {
        let before =
            "resource \"x\" \"y\" {\r\n  name = \"a\"\r\n\r\n  lifecycle {\r\n  }\r\n}\r\n";
        let after = tag(before, "tags").unwrap();
        assert_eq!(
            after,
            "resource \"x\" \"y\" {\r\n  name = \"a\"\r\n  tags = { Scope = \"runtime\" }\r\n\r\n  lifecycle {\r\n  }\r\n}\r\n"
        );
        let empty = tag("resource \"x\" \"y\" {}\r\n", "tags").unwrap();
        assert!(!empty.replace("\r\n", "").contains('\n'), "{empty:?}");
    }
}
