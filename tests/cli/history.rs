//! The history of `up`/`down` and `tfscope cost --actual`: every phase that ran appends a line
//! (dry runs do not), and the realized savings of a hand-written history, at an injected now,
//! are the down-hours times the scope's hourly cost.

use std::path::Path;

use crate::workflow::Fake;
use crate::{code, result, stderr, stdout, tfscope};

/// The history lines as JSON values.
fn lines(path: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).expect("each history line is JSON"))
        .collect()
}

/// `(env, scope, action, result)` of each line.
fn summary(path: &Path) -> Vec<(String, String, String, String)> {
    lines(path)
        .iter()
        .map(|v| {
            let s = |k: &str| v[k].as_str().unwrap_or("null").to_string();
            (s("env"), s("scope"), s("action"), s("result"))
        })
        .collect()
}

#[test]
fn up_and_down_append_a_line_per_phase_and_dry_runs_append_nothing() {
    let fake = Fake::new();
    let up = [
        "up",
        "--no-verify",
        "--scope",
        "all",
        "--env",
        "dev",
        "--auto-approve",
    ];
    let out = fake.run(&up, "");
    assert_eq!(code(&out), 0, "{}", result(&out));
    let row = |scope: &str, action: &str, result: &str| {
        (
            "dev".to_string(),
            scope.into(),
            action.into(),
            result.into(),
        )
    };
    assert_eq!(
        summary(&fake.history()),
        [row("base", "up", "ok"), row("runtime", "up", "ok")]
    );
    let first = &lines(&fake.history())[0];
    assert_eq!(first["version"], env!("CARGO_PKG_VERSION"));
    let time = first["time"].as_str().unwrap();
    assert!(
        time.len() == 20 && time.ends_with('Z'),
        "RFC 3339, UTC, to the second: {time}"
    );

    // A dry run appends nothing.
    let mut dry = up.to_vec();
    dry.push("--dry-run");
    let out = fake.run(&dry, "");
    assert_eq!(code(&out), 0, "{}", result(&out));
    assert_eq!(lines(&fake.history()).len(), 2);

    // A failed phase is recorded as failed, and the run stops there.
    let down = [
        "down",
        "--no-verify",
        "--scope",
        "runtime",
        "--env",
        "dev",
        "--auto-approve",
    ];
    let out = fake.run(&down, "destroy");
    assert_eq!(code(&out), 3, "{}", result(&out));
    assert_eq!(
        summary(&fake.history())[2],
        row("runtime", "down", "failed")
    );

    // --history wins over TFSCOPE_HISTORY, and the resume command repeats it.
    let other = fake.dir.path().join("elsewhere/history.jsonl");
    let mut elsewhere = down.to_vec();
    elsewhere.extend(["--history", other.to_str().unwrap()]);
    let out = fake.run(&elsewhere, "destroy");
    assert!(
        stderr(&out).contains(&format!("--history {}", other.display())),
        "{}",
        result(&out)
    );
    let out = fake.run(&elsewhere, "");
    assert_eq!(code(&out), 0, "{}", result(&out));
    assert_eq!(
        summary(&other),
        [
            row("runtime", "down", "failed"),
            row("runtime", "down", "ok")
        ]
    );
    assert_eq!(lines(&fake.history()).len(), 3);
}

#[test]
fn the_default_history_is_under_the_root_module() {
    let fake = Fake::new();
    let root = tempfile::tempdir().unwrap();
    std::fs::write(
        root.path().join("main.tf"),
        "resource \"aws_vpc\" \"v\" {}\nresource \"aws_ecs_cluster\" \"c\" {}\n",
    )
    .unwrap();
    let dir = root.path().to_str().unwrap();
    let out = fake
        .command(&[
            "down",
            "--no-verify",
            "--scope",
            "runtime",
            "--auto-approve",
            dir,
        ])
        .env_remove("TFSCOPE_HISTORY")
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", result(&out));
    let history = root.path().join(".tfscope/history.jsonl");
    assert_eq!(
        summary(&history),
        [(
            "null".to_string(),
            "runtime".to_string(),
            "down".to_string(),
            "ok".to_string()
        )]
    );
}

/// What runtime costs per hour in dev: its hourly part, from the always-on and `nights`
/// figures of `cost --format json` (nights halves the hours).
fn runtime_per_hour() -> f64 {
    let out = tfscope(&[
        "cost",
        "--env",
        "dev",
        "--format",
        "json",
        "--schedule",
        "nights",
    ]);
    assert_eq!(code(&out), 0, "{}", result(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let runtime = |s: usize| v["schedules"][s]["scopes"][1]["monthly"].as_f64().unwrap();
    assert_eq!(v["schedules"][1]["name"], "nights");
    (runtime(0) - runtime(1)) / 365.0
}

#[test]
fn cost_actual_prices_the_down_hours_of_a_hand_written_history() {
    let tmp = tempfile::tempdir().unwrap();
    let history = tmp.path().join("history.jsonl");
    let line = |time: &str, env: &str, scope: &str, action: &str, result: &str| {
        format!(
            "{{\"time\":\"{time}\",\"env\":\"{env}\",\"scope\":\"{scope}\",\"action\":\"{action}\",\"result\":\"{result}\",\"version\":\"0.1.0\"}}\n"
        )
    };
    let text = [
        line("2026-12-01T00:00:00Z", "dev", "base", "up", "ok"),
        line("2026-12-01T00:00:00Z", "dev", "runtime", "up", "ok"),
        // Night one: 20:00 to 08:00, 12 h.
        line("2026-12-01T20:00:00Z", "dev", "runtime", "down", "ok"),
        line("2026-12-02T08:00:00Z", "dev", "runtime", "up", "ok"),
        // A failed down changes nothing.
        line("2026-12-02T12:00:00Z", "dev", "runtime", "down", "failed"),
        // Night two, still down at now: 18:00 to 00:00, 6 h.
        line("2026-12-02T18:00:00Z", "dev", "runtime", "down", "ok"),
        // Another environment, not asked for.
        line("2026-12-01T20:00:00Z", "prod", "runtime", "down", "ok"),
    ]
    .concat();
    std::fs::write(&history, text).unwrap();
    let args = |format: &str| {
        vec![
            "cost".to_string(),
            "--env".into(),
            "dev".into(),
            "--actual".into(),
            "--history".into(),
            history.display().to_string(),
            "--now".into(),
            "2026-12-03T00:00:00Z".into(),
            "--format".into(),
            format.into(),
        ]
    };
    let json_args = args("json");
    let out = tfscope(&json_args.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(code(&out), 0, "{}", result(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["since"], "2026-12-01T00:00:00Z", "the first line");
    assert_eq!(v["window_hours"], 48.0);
    let envs = v["environments"].as_array().unwrap();
    assert_eq!(envs.len(), 1, "--env dev only: {v}");
    let scopes = envs[0]["scopes"].as_array().unwrap();
    let runtime = scopes.iter().find(|s| s["scope"] == "runtime").unwrap();
    let base = scopes.iter().find(|s| s["scope"] == "base").unwrap();
    assert_eq!(base["down_hours"], 0.0);
    assert_eq!(runtime["down_hours"], 18.0);
    assert_eq!(runtime["down_pct"], 37.5);
    let intervals = runtime["intervals"].as_array().unwrap();
    assert_eq!(intervals.len(), 2);
    assert_eq!(intervals[1]["ongoing"], true);
    assert_eq!(intervals[1]["end"], "2026-12-03T00:00:00Z");
    let per_hour = runtime_per_hour();
    assert!(per_hour > 0.0);
    let saved = runtime["saved"].as_f64().unwrap();
    assert!(
        (saved - 18.0 * per_hour).abs() < 0.01,
        "{saved} = 18 h x ${per_hour}/h"
    );
    assert_eq!(v["saved"], runtime["saved"]);
    // Beside the forecast: nights over the same 48 h is down 24 h.
    let nights = envs[0]["forecast"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["schedule"] == "nights")
        .unwrap();
    assert_eq!(nights["down_hours"], 24.0);

    let table_args = args("table");
    let out = tfscope(&table_args.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(code(&out), 0, "{}", result(&out));
    let table = stdout(&out);
    assert!(
        table.contains(
            "down since 2026-12-02T18:00:00Z and still down (counted to 2026-12-03T00:00:00Z)"
        ),
        "{table}"
    );
    assert!(table.contains("forecast for the same window:"), "{table}");
    assert!(
        table.contains(&format!("Total saved: ${saved:.2}")),
        "{table}"
    );

    // --since cuts the first night: from 02:00, 6 h of it are left.
    let mut since = json_args.clone();
    since.extend(["--since".into(), "2026-12-02T02:00:00Z".into()]);
    let out = tfscope(&since.iter().map(String::as_str).collect::<Vec<_>>());
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let runtime = &v["environments"][0]["scopes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["scope"] == "runtime")
        .unwrap()
        .clone();
    assert_eq!(runtime["down_hours"], 12.0, "{v}");
}

#[test]
fn a_malformed_history_line_names_the_file_line_and_column() {
    let tmp = tempfile::tempdir().unwrap();
    let history = tmp.path().join("history.jsonl");
    std::fs::write(
        &history,
        "{\"time\":\"2026-12-01T00:00:00Z\",\"env\":\"dev\",\"scope\":\"runtime\",\"action\":\"down\",\"result\":\"ok\",\"version\":\"0.1.0\"}\n{\"time\":\"2026-12-01T01:00:00Z\",\"env\":\"dev\",\"scope\":\"runtime\",\"action\":\"up\",\"result\":\"ok\",\n",
    )
    .unwrap();
    let out = tfscope(&[
        "cost",
        "--env",
        "dev",
        "--actual",
        "--history",
        history.to_str().unwrap(),
    ]);
    assert_eq!(code(&out), 2, "{}", result(&out));
    let err = stderr(&out);
    let at = format!("{}:2:", history.display());
    assert!(err.contains(&at), "{err}");
    assert!(
        err.contains("history line 2: EOF while parsing a value"),
        "{err}"
    );
    let missing = tmp.path().join("none.jsonl");
    let out = tfscope(&["cost", "--actual", "--history", missing.to_str().unwrap()]);
    assert_eq!(code(&out), 2, "{}", result(&out));
    assert!(stderr(&out).contains("no history at"), "{}", result(&out));
}
