//! The one-way rule of `src/`: each top-level module is a stage of the pipeline, and a stage's
//! code imports only earlier stages, the shared `error` module and itself. Unit-test modules
//! (`#[cfg(test)] mod ...`) may reach further, to build their inputs.

use std::path::Path;

/// The stages in pipeline order. `error` comes first because every stage reports errors, and
/// `calendar` next because settings, CI output and cost all read schedules; a new top-level
/// module must be ranked here before the test passes.
const STAGES: &[&str] = &[
    "error", "calendar", "load", "eval", "graph", "classify", "analysis", "target", "run",
    "output", "tag", "cost", "diagram", "app",
];

/// Files outside the pipeline: the crate roots and the unit tests' helpers.
const OUTSIDE: &[&str] = &["lib", "main", "bin", "testing"];

/// The stage a path under `src/` belongs to: its first component, without `.rs`.
fn stage_of(relative: &Path) -> String {
    let first = relative.components().next().expect("a path under src/");
    let name = first.as_os_str().to_string_lossy();
    name.trim_end_matches(".rs").to_string()
}

/// The code of a file without its unit-test modules: everything before the first
/// `#[cfg(test)]` that opens a module.
fn non_test_code(text: &str) -> &str {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if line.trim() == "#[cfg(test)]" {
            let rest = text[offset + line.len()..].trim_start();
            if ["mod ", "pub mod ", "pub(crate) mod "]
                .iter()
                .any(|m| rest.starts_with(m))
            {
                return &text[..offset];
            }
        }
        offset += line.len();
    }
    text
}

/// Every stage a piece of code names through `crate::`.
fn imported_stages(code: &str) -> Vec<&str> {
    let mut stages = Vec::new();
    for (start, _) in code.match_indices("crate::") {
        let preceded_by_ident = code[..start]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$');
        if preceded_by_ident {
            continue;
        }
        let rest = &code[start + "crate::".len()..];
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        stages.push(&rest[..end]);
    }
    stages
}

/// The imports of one file that break the rule, as `file: stage -> imported`.
fn violations(relative: &Path, text: &str) -> Vec<String> {
    let stage = stage_of(relative);
    if OUTSIDE.contains(&stage.as_str()) {
        return Vec::new();
    }
    let rank = |s: &str| STAGES.iter().position(|x| *x == s);
    let own = rank(&stage).unwrap_or_else(|| panic!("src/{stage} is not ranked in STAGES"));
    let mut found = Vec::new();
    for imported in imported_stages(non_test_code(text)) {
        let allowed = match rank(imported) {
            Some(r) => r == 0 || r <= own,
            None => false,
        };
        if !allowed {
            found.push(format!("src/{}: {stage} -> {imported}", relative.display()));
        }
    }
    found.dedup();
    found
}

#[test]
fn no_stage_imports_a_later_one() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut found = Vec::new();
    let mut files = 0;
    for entry in walkdir::WalkDir::new(&src) {
        let entry = entry.expect("src/ is readable");
        if entry.path().extension().is_none_or(|e| e != "rs") {
            continue;
        }
        files += 1;
        let relative = entry.path().strip_prefix(&src).expect("under src/");
        let text = std::fs::read_to_string(entry.path()).expect("a source file reads");
        found.extend(violations(relative, &text));
    }
    assert!(files > 30, "only {files} source files found");
    assert!(
        found.is_empty(),
        "imports against the pipeline order:\n{}",
        found.join("\n")
    );
}

#[test]
fn every_top_level_module_is_a_ranked_stage() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    for entry in std::fs::read_dir(&src).expect("src/ is readable") {
        let name = entry.expect("an entry").file_name();
        let stage = stage_of(Path::new(&name));
        assert!(
            STAGES.contains(&stage.as_str()) || OUTSIDE.contains(&stage.as_str()),
            "src/{} is neither a ranked stage nor outside the pipeline",
            name.to_string_lossy()
        );
    }
}

#[test]
fn the_checker_sees_a_backward_import_and_ignores_tests() {
    let code = "use crate::error::Error;\nuse crate::graph::ResourceGraph;\nfn f() { crate::app::run(); }\n\
                #[cfg(test)]\nmod tests {\n    use crate::testing;\n    use crate::app;\n}\n";
    let found = violations(Path::new("graph/walk.rs"), code);
    assert_eq!(found, ["src/graph/walk.rs: graph -> app"]);
    assert!(violations(Path::new("app/mod.rs"), code).is_empty());
    assert_eq!(
        violations(Path::new("load/hcl.rs"), "fn f() { crate::nowhere::x(); }"),
        ["src/load/hcl.rs: load -> nowhere"]
    );
}

/// The longest a function in `src/` may be without a comment saying why.
const MAX_FUNCTION_LINES: usize = 80;

/// The marker a function's doc comment carries when it is longer on purpose.
const LONG_ON_PURPOSE: &str = "Long on purpose:";

/// A line without string and character literals and without its `//` comment, for counting
/// braces.
fn code_only(line: &str) -> String {
    let mut out = String::new();
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                while let Some(d) = chars.next() {
                    match d {
                        '\\' => {
                            chars.next();
                        }
                        '"' => break,
                        _ => {}
                    }
                }
            }
            '\'' => {
                // A char literal ('{', '\''), not a lifetime ('a): skip to its closing quote.
                let rest: String = chars.clone().take(3).collect();
                let literal = rest.starts_with('\\') || rest.chars().nth(1) == Some('\'');
                if literal {
                    while let Some(d) = chars.next() {
                        match d {
                            '\\' => {
                                chars.next();
                            }
                            '\'' => break,
                            _ => {}
                        }
                    }
                }
            }
            '/' if chars.peek() == Some(&'/') => break,
            _ => out.push(c),
        }
    }
    out
}

/// Functions of non-test code longer than the limit, as `file:line name (N lines)`, unless the
/// comment block right above them says why.
fn long_functions(relative: &Path, text: &str) -> Vec<String> {
    let lines: Vec<&str> = non_test_code(text).lines().collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let Some(name) = fn_name(lines[i]) else {
            i += 1;
            continue;
        };
        let (mut depth, mut started, mut end) = (0i64, false, i);
        for (j, line) in lines.iter().enumerate().skip(i) {
            let code = code_only(line);
            for c in code.chars() {
                match c {
                    '{' => {
                        depth += 1;
                        started = true;
                    }
                    '}' => depth -= 1,
                    _ => {}
                }
            }
            end = j;
            if (started && depth == 0) || (!started && code.trim_end().ends_with(';')) {
                break;
            }
        }
        let length = end - i + 1;
        let comment_above = lines[..i]
            .iter()
            .rev()
            .take_while(|l| {
                let l = l.trim_start();
                l.starts_with("//") || l.starts_with("#[")
            })
            .any(|l| l.contains(LONG_ON_PURPOSE));
        if started && length > MAX_FUNCTION_LINES && !comment_above {
            found.push(format!(
                "src/{}:{} {name} ({length} lines)",
                relative.display(),
                i + 1
            ));
        }
        // Nested functions count as part of the one around them.
        i = if started { end + 1 } else { i + 1 };
    }
    found
}

/// The name of the function a line declares, if it declares one.
fn fn_name(line: &str) -> Option<&str> {
    let mut words = line.split_whitespace().peekable();
    while let Some(w) = words.next() {
        match w {
            "pub" | "const" | "async" | "unsafe" | "extern" => continue,
            w if w.starts_with("pub(") => continue,
            "fn" => {
                let name = words.next()?;
                let end = name.find(['(', '<']).unwrap_or(name.len());
                return Some(&name[..end]);
            }
            _ => return None,
        }
    }
    None
}

#[test]
fn no_function_is_longer_than_the_limit_without_saying_why() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut found = Vec::new();
    for entry in walkdir::WalkDir::new(&src).sort_by_file_name() {
        let entry = entry.expect("src/ is readable");
        if entry.path().extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let relative = entry.path().strip_prefix(&src).expect("under src/");
        let text = std::fs::read_to_string(entry.path()).expect("a source file reads");
        found.extend(long_functions(relative, &text));
    }
    assert!(
        found.is_empty(),
        "functions over {MAX_FUNCTION_LINES} lines without a `{LONG_ON_PURPOSE}` comment:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_length_check_counts_braces_outside_strings_and_honours_the_marker() {
    let body = "    let x = \"}}}\"; // }\n    let c = '{';\n".repeat(41);
    let long = format!("pub(crate) fn big<'a>(s: &'a str) {{\n{body}}}\n");
    assert_eq!(
        long_functions(Path::new("x.rs"), &long),
        ["src/x.rs:1 big (84 lines)"]
    );
    let marked = format!("/// Long on purpose: a table.\n#[inline]\n{long}");
    assert!(long_functions(Path::new("x.rs"), &marked).is_empty());
    let short = "fn f() {\n    g();\n}\nfn g();\n";
    assert!(long_functions(Path::new("x.rs"), short).is_empty());
}
