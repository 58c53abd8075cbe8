//! Parsing HCL native syntax the way Terraform does. hcl-edit is the parser; this module owns
//! the one place where it is stricter than Terraform: inside a `{ for ... }` object expression
//! and a `%{ ... }` template directive, Terraform ignores newlines (hclsyntax parses them with
//! newlines turned off), while hcl-edit 0.9.7 rejects a line break in a conditional or binary
//! operation there (`k => k == "a" ? "x" :` newline `"y"`, as in cloudposse/label/null).
//!
//! When hcl-edit rejects a text, it is parsed once more after those newlines are folded into
//! spaces, and line comments in the same places into blanks. The fold keeps every byte where it
//! was, so spans, lines and columns computed against the original text stay exact; a text
//! hcl-edit accepts is never touched.

use hcl_edit::parser::Error as ParseError;
use hcl_edit::structure::Body;

/// `hcl_edit::parser::parse_body`, accepting what Terraform accepts (see the module doc). Spans
/// in the result and in the error are byte offsets into `text`.
pub fn parse_body(text: &str) -> Result<Body, ParseError> {
    match hcl_edit::parser::parse_body(text) {
        Ok(body) => Ok(body),
        Err(strict) => match fold_ignored_newlines(text) {
            Some(folded) => hcl_edit::parser::parse_body(&folded),
            None => Err(strict),
        },
    }
}

/// Where the scanner is. Only the innermost context matters for folding.
#[derive(Debug, Clone, PartialEq)]
enum Context {
    /// A block body or an object constructor: newlines separate items.
    Braces,
    /// `{ for ... }`: newlines are insignificant.
    ForBraces,
    Brackets,
    Parens,
    /// `${ ... }` inside a string or heredoc.
    Interpolation,
    /// `%{ ... }` inside a string or heredoc: newlines are insignificant.
    Directive,
    /// A quoted string (a template).
    Quoted,
    /// A heredoc body, ended by a line that holds only its marker.
    Heredoc(Vec<u8>),
}

/// The text with the newlines Terraform ignores and hcl-edit rejects turned into spaces (and
/// line comments there blanked, since their newline ends them), or `None` when there are none.
pub fn fold_ignored_newlines(text: &str) -> Option<String> {
    let src = text.as_bytes();
    let mut fold = Fold {
        src,
        out: src.to_vec(),
        stack: Vec::new(),
        changed: false,
    };
    let mut i = 0;
    while i < src.len() {
        i = match fold.stack.last() {
            Some(Context::Quoted) => fold.quoted(i),
            Some(Context::Heredoc(_)) => fold.heredoc(i),
            _ => fold.code(i),
        };
    }
    // Only ASCII bytes were replaced, by ASCII spaces: the result is valid UTF-8.
    fold.changed
        .then(|| String::from_utf8(fold.out).unwrap_or_else(|_| text.to_string()))
}

/// The scanner of [`fold_ignored_newlines`]: the text, its folded copy and the open contexts.
struct Fold<'a> {
    src: &'a [u8],
    out: Vec<u8>,
    stack: Vec<Context>,
    changed: bool,
}

impl Fold<'_> {
    /// At `i` inside a quoted string: steps over an escape, the closing quote or a template
    /// opening. Returns the next position.
    fn quoted(&mut self, mut i: usize) -> usize {
        match self.src[i] {
            b'\\' => i += 1,
            b'"' => {
                self.stack.pop();
            }
            b'$' | b'%' => i = template_open(self.src, i, &mut self.stack),
            _ => {}
        }
        i + 1
    }

    /// At `i` inside a heredoc: steps over its closing line or a template opening. Returns the
    /// next position.
    fn heredoc(&mut self, mut i: usize) -> usize {
        let src = self.src;
        if i == 0 || src[i - 1] == b'\n' {
            let end = line_end(src, i);
            let trimmed = trim_ascii(&src[i..end]);
            let closes = match self.stack.last() {
                Some(Context::Heredoc(marker)) => trimmed == marker.as_slice(),
                _ => false,
            };
            if closes {
                self.stack.pop();
                return end;
            }
        }
        let c = src[i];
        if c == b'$' || c == b'%' {
            i = template_open(src, i, &mut self.stack);
        }
        i + 1
    }

    /// At `i` outside strings and heredocs: opens and closes contexts, steps over comments, and
    /// folds the newlines of a folding context. Returns the next position.
    fn code(&mut self, i: usize) -> usize {
        let src = self.src;
        let at = |k: usize| src.get(k).copied().unwrap_or(0);
        let folding = matches!(
            self.stack.last(),
            Some(Context::ForBraces | Context::Directive)
        );
        match src[i] {
            b'"' => self.stack.push(Context::Quoted),
            b'<' if at(i + 1) == b'<' => {
                if let Some((marker, body_start)) = heredoc_start(src, i) {
                    self.stack.push(Context::Heredoc(marker));
                    return body_start;
                }
            }
            b'#' => return line_comment(src, &mut self.out, i, folding, &mut self.changed),
            b'/' if at(i + 1) == b'/' => {
                return line_comment(src, &mut self.out, i, folding, &mut self.changed);
            }
            b'/' if at(i + 1) == b'*' => return self.block_comment(i, folding),
            b'{' => self.stack.push(if opens_for(src, i + 1) {
                Context::ForBraces
            } else {
                Context::Braces
            }),
            b'[' => self.stack.push(Context::Brackets),
            b'(' => self.stack.push(Context::Parens),
            b'}' | b']' | b')' => {
                self.stack.pop();
            }
            b'\n' | b'\r' if folding => {
                self.out[i] = b' ';
                self.changed = true;
            }
            _ => {}
        }
        i + 1
    }

    /// A block comment from `i`, its line breaks folded when folding. Returns the position after
    /// it.
    fn block_comment(&mut self, i: usize, folding: bool) -> usize {
        let end = find(self.src, i + 2, b"*/").map_or(self.src.len(), |e| e + 2);
        if folding {
            for b in &mut self.out[i..end] {
                if *b == b'\n' || *b == b'\r' {
                    *b = b' ';
                    self.changed = true;
                }
            }
        }
        end
    }
}

/// At `$` or `%` in a template: pushes the context that `${` or `%{` opens and returns the
/// index of its `{`; `$${` and `%%{` are literal. Otherwise returns `i`.
fn template_open(src: &[u8], i: usize, stack: &mut Vec<Context>) -> usize {
    let c = src[i];
    match (src.get(i + 1), src.get(i + 2)) {
        (Some(&d), Some(b'{')) if d == c => i + 2, // escaped: skip the pair and the brace
        (Some(b'{'), _) => {
            stack.push(if c == b'$' {
                Context::Interpolation
            } else {
                Context::Directive
            });
            i + 1
        }
        _ => i,
    }
}

/// A line comment from `i` to its newline (kept, and returned as the next position), blanked
/// with the newline when folding.
fn line_comment(src: &[u8], out: &mut [u8], i: usize, folding: bool, changed: &mut bool) -> usize {
    let end = line_end(src, i);
    if !folding {
        return end;
    }
    let stop = (end + 1).min(src.len());
    for b in &mut out[i..stop] {
        *b = b' ';
    }
    *changed = true;
    stop
}

/// `<<ID` or `<<-ID` followed by a newline: the marker and where the body starts.
fn heredoc_start(src: &[u8], i: usize) -> Option<(Vec<u8>, usize)> {
    let mut k = i + 2;
    if src.get(k) == Some(&b'-') {
        k += 1;
    }
    let start = k;
    while k < src.len() && (src[k].is_ascii_alphanumeric() || src[k] == b'_' || src[k] == b'-') {
        k += 1;
    }
    if k == start || !src[start].is_ascii_alphabetic() {
        return None;
    }
    let marker = src[start..k].to_vec();
    while k < src.len() && (src[k] == b' ' || src[k] == b'\t' || src[k] == b'\r') {
        k += 1;
    }
    (src.get(k) == Some(&b'\n')).then_some((marker, k + 1))
}

/// After `{`: whitespace, newlines and comments, then `for`, a space and an identifier.
fn opens_for(src: &[u8], mut k: usize) -> bool {
    loop {
        while k < src.len() && src[k].is_ascii_whitespace() {
            k += 1;
        }
        match (src.get(k), src.get(k + 1)) {
            (Some(b'#'), _) | (Some(b'/'), Some(b'/')) => k = line_end(src, k),
            (Some(b'/'), Some(b'*')) => k = find(src, k + 2, b"*/").map_or(src.len(), |e| e + 2),
            _ => break,
        }
    }
    if !src[k.min(src.len())..].starts_with(b"for") {
        return false;
    }
    let mut j = k + 3;
    let spaced = j < src.len() && src[j].is_ascii_whitespace();
    while j < src.len() && src[j].is_ascii_whitespace() {
        j += 1;
    }
    spaced && j < src.len() && (src[j].is_ascii_alphabetic() || src[j] == b'_')
}

fn line_end(src: &[u8], i: usize) -> usize {
    src[i..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(src.len(), |p| i + p)
}

fn find(src: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    src.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| from + p)
}

fn trim_ascii(s: &[u8]) -> &[u8] {
    let start = s
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(s.len());
    let end = s
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
        .map_or(start, |p| p + 1);
    &s[start..end]
}

#[cfg(test)]
mod tests {
    //! The newline fold: what hcl-edit rejects and Terraform accepts parses, every byte in place.

    use super::*;

    fn parses(text: &str) -> bool {
        parse_body(text).is_ok()
    }

    // cloudposse/label/null main.tf:82, the construct that stopped every cloudposse root.
    #[test]
    fn a_conditional_broken_over_lines_in_a_for_object_parses() {
        let text = "m = { for k in [\"a\"] : k => k == \"a\" ? \"x\" :\n  \"y\" }\n";
        assert!(
            hcl_edit::parser::parse_body(text).is_err(),
            "hcl-edit gap closed?"
        );
        assert!(parses(text));
        for text in [
            "m = { for k in [\"a\"] : k => k == \"a\"\n ? \"x\" : \"y\" }\n",
            "m = { for k in [\"a\"] : k => k ==\n \"a\" }\n",
            "m = { for k in [\"a\"] : k => k == \"a\" ? \"x\" : # why\n \"y\" }\n",
            "m = { for k in [\"a\"] : k => k == \"a\" ? \"x\" : // why\r\n \"y\" }\n",
            "m = \"%{ if var.a ==\n \"b\" }x%{ endif }\"\n",
            "m = <<EOT\n%{ for x in var.l ~}\n${x ? \"a\" :\n\"b\"}\n%{ endfor ~}\nEOT\nn = { for k in [\"a\"] : k => k == \"a\" ? 1 :\n 2 }\n",
        ] {
            assert!(parses(text), "{text}");
        }
    }

    #[test]
    fn the_fold_keeps_every_byte_in_place_and_leaves_objects_alone() {
        let text = "m = { for k, v in var.m : k => {\n  a = v\n  b = v == 1 ? 2 :\n 3 # c\n } }\n";
        let folded = fold_ignored_newlines(text).unwrap_or_else(|| text.to_string());
        assert_eq!(folded.len(), text.len());
        // The inner object's newlines separate its items: kept. Terraform rejects the line break
        // after `:` there too, so this stays an error.
        assert_eq!(folded, text);
        assert!(!parses(text));

        let text = "x = 1\nm = { for k in l :\n k => k ? 1 :\n 2 } # end\ny = \"{ for\"\n";
        let folded = fold_ignored_newlines(text).unwrap();
        assert_eq!(folded.len(), text.len());
        assert_eq!(
            folded,
            "x = 1\nm = { for k in l :  k => k ? 1 :  2 } # end\ny = \"{ for\"\n"
        );
    }

    #[test]
    fn strings_heredocs_and_escapes_do_not_open_contexts() {
        // `{ for` inside a string, `$${` and a heredoc with braces: nothing to fold.
        let text = "a = \"{ for x in y\"\nb = \"$${ for }\"\nc = <<-EOT\n  { for k in l :\n  EOT\n";
        assert_eq!(fold_ignored_newlines(text), None);
        // An attribute named `for` in a block body is no for expression.
        assert!(!opens_for(b" for = 1 }", 0));
        assert!(opens_for(b"\n  # c\n  for k, v in m", 0));
    }

    #[test]
    fn a_real_syntax_error_still_points_at_its_place() {
        let text = "m = { for k in l : k => k ? 1 :\n 2 }\nresource \"a\" \"b\" {\n  x = = 1\n}\n";
        let err = parse_body(text).unwrap_err();
        let offset = err.location().offset();
        let line = text[..offset].matches('\n').count() + 1;
        assert_eq!(line, 4, "{}", err.message());
    }
}
