//! CLI tests: run the real binary over the fixtures in `tests/fixtures/` and the reference
//! infrastructure in `modules/`, snapshotting the whole result (exit code, stdout, stderr).
//! Paths are repository-relative, so snapshots need no redaction. One module per command.

mod browser;
mod catalog;
mod check;
mod classify;
mod cost;
mod errors;
mod evaluation;
mod explain;
mod fidelity;
mod graph;
mod graph_html;
mod help;
mod history;
mod infracost;
mod layout;
mod makefile;
mod plan;
mod prices_aws;
mod prices_azure;
mod prices_google;
mod properties;
mod schedule;
mod status;
mod tag;
mod targets;
mod terraform;
mod verified;
mod workflow;

use std::path::Path;
use std::process::Output;

use assert_cmd::Command;

/// Runs tfscope from the repository root without colour.
pub fn tfscope(args: &[&str]) -> Output {
    Command::cargo_bin("tfscope")
        .expect("binary builds")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .args(args)
        .output()
        .expect("tfscope runs")
}

/// Runs tfscope in another directory.
pub fn tfscope_in(dir: &Path, args: &[&str]) -> Output {
    Command::cargo_bin("tfscope")
        .expect("binary builds")
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .expect("tfscope runs")
}

/// The whole result as one string for a snapshot.
pub fn result(out: &Output) -> String {
    format!(
        "exit: {}\n--- stdout\n{}--- stderr\n{}",
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

pub fn code(out: &Output) -> i32 {
    out.status.code().unwrap_or(-1)
}

pub const FIXTURES: &str = "tests/fixtures";

pub fn fixture(name: &str) -> String {
    format!("{FIXTURES}/{name}")
}

/// `(address, scope, stateful)` of every resource `classify --format json DIR` lists.
pub fn classified(dir: &str) -> Vec<(String, String, bool)> {
    let out = tfscope(&["classify", "--format", "json", dir]);
    assert_eq!(code(&out), 0, "{}", result(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    v["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["address"].as_str().unwrap().to_string(),
                r["scope"].as_str().unwrap().to_string(),
                r["stateful"].as_bool().unwrap_or(false),
            )
        })
        .collect()
}

/// Fails unless every line the README shows after `$ COMMAND` (up to the end of its code
/// block, `...` and blank lines aside) is a line of `report`: README examples stay true.
pub fn assert_readme_shows(command: &str, report: &str) {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md reads");
    let example = readme
        .split(&format!("$ {command}\n"))
        .nth(1)
        .unwrap_or_else(|| panic!("README shows no `$ {command}` example"))
        .split("```")
        .next()
        .unwrap_or_default();
    let shown: Vec<&str> = example
        .lines()
        .filter(|l| !l.trim().is_empty() && l.trim() != "...")
        .collect();
    assert!(shown.len() > 5, "README example of `{command}`: {shown:?}");
    for line in shown {
        assert!(
            report.lines().any(|l| l == line),
            "README line {line:?} is not in the report of `{command}`:\n{report}"
        );
    }
}

/// The monthly figure of `name` in a cost JSON report's `list` (`scopes` by `scope`,
/// `schedules` by `name`), under `field`.
pub fn cost_figure(v: &serde_json::Value, list: &str, name: &str, field: &str) -> f64 {
    let key = if list == "scopes" { "scope" } else { "name" };
    v[list]
        .as_array()
        .unwrap_or_else(|| panic!("no {list} in {v}"))
        .iter()
        .find(|s| s[key] == name)
        .unwrap_or_else(|| panic!("no {name} in {list}: {v}"))[field]
        .as_f64()
        .unwrap()
}
