//! The history of `up` and `down`: one JSON line per phase that ran, appended when the phase
//! ends, so that `tfscope cost --actual` can count the hours a scope was really down. Owns the
//! line's shape ([`Entry`]), where the file lives ([`path`]) and the append; reading the file
//! back and counting hours is `cost::history`'s.
//!
//! The file is `DIR/.tfscope/history.jsonl` beside the root module unless `--history FILE` or
//! `TFSCOPE_HISTORY` names another. It is the one file tfscope writes without the atomic
//! replace of `output::hcl::write`: a log is appended, not replaced, and replacing it (read, add
//! a line, rename) would lose the line of a second tfscope finishing at the same moment. Each
//! line is one `write(2)` on a file opened with `O_APPEND`, which puts it at the end of the file
//! whole; a reader never sees half a line from a finished write. Dry runs never get here.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::target::Action;

/// The default history file of a root module, relative to it.
pub const DEFAULT: &str = ".tfscope/history.jsonl";

/// What `up` or `down` did to a scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verb {
    Up,
    Down,
}

impl From<Action> for Verb {
    fn from(action: Action) -> Verb {
        match action {
            Action::Apply => Verb::Up,
            Action::Destroy => Verb::Down,
        }
    }
}

/// How a phase ended. Only `ok` changes what is up: a failed phase may have changed part of
/// the scope, and the next successful phase says where it stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// Terraform applied the phase (or its verified plan had nothing to change).
    Ok,
    /// Terraform exited with an error.
    Failed,
    /// Terraform's plan broke tfscope's promise; nothing was applied.
    Refused,
    /// The person at the prompt did not answer `yes`; nothing was applied.
    Declined,
    /// SIGINT or SIGTERM while the phase ran.
    Interrupted,
    /// A result a later tfscope writes that this one does not know: it changes nothing.
    #[serde(other)]
    Other,
}

/// One line of the history file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// When the phase ended, UTC, RFC 3339 to the second (`2026-12-01T18:00:00Z`).
    pub time: String,
    /// `--env`, or null without one.
    pub env: Option<String>,
    pub scope: String,
    pub action: Verb,
    pub result: Outcome,
    /// The tfscope version that wrote the line.
    pub version: String,
}

/// The history file: `explicit` (`--history`), else `$TFSCOPE_HISTORY`, else
/// `ROOT/.tfscope/history.jsonl`.
pub fn path(explicit: Option<&Path>, root: &Path) -> PathBuf {
    let from_env = std::env::var_os("TFSCOPE_HISTORY").filter(|v| !v.is_empty());
    match (explicit, from_env) {
        (Some(p), _) => p.to_path_buf(),
        (None, Some(p)) => PathBuf::from(p),
        (None, None) => root.join(DEFAULT),
    }
}

/// Appends `entry` as one line, creating the file and its directory when needed.
pub fn append(path: &Path, entry: &Entry) -> std::io::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let mut line = serde_json::to_string(entry).expect("an entry serializes");
    line.push('\n');
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    // One write: O_APPEND places it at the end of the file in one piece.
    file.write_all(line.as_bytes())
}

/// What `up`/`down` record for each phase: the file and what every line of this run shares.
#[derive(Debug, Clone)]
pub struct Recorder {
    pub path: PathBuf,
    pub env: Option<String>,
}

impl Recorder {
    /// Appends the line of a phase that just ended, stamped now.
    pub fn record(&self, scope: &str, action: Action, result: Outcome) -> std::io::Result<()> {
        let entry = Entry {
            time: now_utc(),
            env: self.env.clone(),
            scope: scope.to_string(),
            action: action.into(),
            result,
            version: env!("CARGO_PKG_VERSION").to_string(),
        };
        append(&self.path, &entry)
    }
}

/// Now, UTC, to the second.
fn now_utc() -> String {
    let now = jiff::Timestamp::now();
    // Truncated, not rounded: a phase is never recorded as ending after it did.
    let second = jiff::TimestampRound::new()
        .smallest(jiff::Unit::Second)
        .mode(jiff::RoundMode::Trunc);
    now.round(second).unwrap_or(now).to_string()
}

#[cfg(test)]
mod tests {
    //! The append: one parseable line per entry, the directory created, earlier lines kept.

    use super::*;

    #[test]
    fn append_adds_one_json_line_per_entry_and_creates_the_directory() {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join(".tfscope/history.jsonl");
        let entry = |scope: &str, action, result| Entry {
            time: "2026-12-01T18:00:00Z".into(),
            env: Some("dev".into()),
            scope: scope.into(),
            action,
            result,
            version: "0.1.0".into(),
        };
        let down = entry("runtime", Verb::Down, Outcome::Ok);
        let up = entry("runtime", Verb::Up, Outcome::Failed);
        append(&file, &down).unwrap();
        append(&file, &up).unwrap();
        let text = std::fs::read_to_string(&file).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            r#"{"time":"2026-12-01T18:00:00Z","env":"dev","scope":"runtime","action":"down","result":"ok","version":"0.1.0"}"#
        );
        assert_eq!(lines.len(), 2);
        assert!(text.ends_with('\n'));
        let back: Entry = serde_json::from_str(lines[1]).unwrap();
        assert_eq!(back, up);
    }

    #[test]
    fn the_recorder_stamps_the_version_and_the_current_time() {
        let tmp = tempfile::tempdir().unwrap();
        let recorder = Recorder {
            path: tmp.path().join("h.jsonl"),
            env: None,
        };
        let before = jiff::Timestamp::now() - jiff::SignedDuration::from_secs(1);
        recorder
            .record("base", Action::Destroy, Outcome::Refused)
            .unwrap();
        let text = std::fs::read_to_string(&recorder.path).unwrap();
        let back: Entry = serde_json::from_str(text.trim_end()).unwrap();
        assert_eq!(
            (back.env, back.scope.as_str(), back.action, back.result),
            (None, "base", Verb::Down, Outcome::Refused)
        );
        assert_eq!(back.version, env!("CARGO_PKG_VERSION"));
        let time: jiff::Timestamp = back.time.parse().unwrap();
        assert!(time >= before && time <= jiff::Timestamp::now());
        assert!(
            back.time.ends_with('Z') && !back.time.contains('.'),
            "{}",
            back.time
        );
    }

    #[test]
    fn an_explicit_path_wins() {
        let p = path(Some(Path::new("x.jsonl")), Path::new("modules"));
        assert_eq!(p, PathBuf::from("x.jsonl"));
    }
}
