//! Schedules as code: `schedule` blocks priced by `cost --schedule`, the CI definitions
//! `schedule --ci` writes (GitHub checked by actionlint, GitLab parsed and checked), and a
//! simulated month of the GitHub workflow's cron lines through `schedule due`, across the
//! change to summer time, against the calendar's up-hours.

use std::path::Path;

use tfscope::calendar::{hours_up, Event};

use crate::{code, fixture, result, stderr, stdout, tfscope, tfscope_in};

fn dir() -> String {
    fixture("schedules")
}

fn json(args: &[&str]) -> serde_json::Value {
    let out = tfscope(args);
    assert_eq!(code(&out), 0, "{}", result(&out));
    serde_json::from_str(&stdout(&out)).unwrap()
}

#[test]
fn cost_takes_the_hours_of_a_schedule_block_from_its_calendar() {
    let d = dir();
    let v = json(&[
        "cost",
        &d,
        "--env",
        "dev",
        "--schedule",
        "nights",
        "--year",
        "2027",
        "--format",
        "json",
    ]);
    let nights = &v["schedules"][1];
    assert_eq!(nights["name"], "nights");
    // 2027 has 261 weekdays; the two holidays (Fridays) lose their 11.5-hour day: 259 x 11.5 / 12.
    let average: f64 = 259.0 * 11.5 / 12.0;
    assert!(
        (nights["up_hours_per_month"].as_f64().unwrap() - (average * 100.0).round() / 100.0).abs()
            < 1e-9,
        "{nights}"
    );
    // The runtime scope (one 1 vCPU / 2 GB Fargate task, $36.04 always on) is up that many hours.
    let runtime = nights["scopes"][1]["monthly"].as_f64().unwrap();
    assert!(
        (runtime - 36.04 * average / 730.0).abs() < 0.01,
        "{runtime}"
    );
    // The months: March (23 weekdays, clocks change on the 28th), December (two holidays).
    let months = nights["calendar"]["months"].as_array().unwrap();
    assert_eq!(months[2], 23.0 * 11.5);
    assert_eq!(months[11], 21.0 * 11.5);
    let out = tfscope(&[
        "cost",
        &d,
        "--env",
        "dev",
        "--schedule",
        "nights",
        "--year",
        "2027",
    ]);
    assert!(stdout(&out).contains("nights: down Mon-Fri 19:00, up Mon-Fri 07:30 (Europe/Berlin), 2 holiday(s); up-hours are the average of 2027's months (230.0 to 264.5 h)"), "{}", result(&out));
}

#[test]
fn a_schedule_never_prices_an_environment_it_does_not_list() {
    let d = dir();
    let out = tfscope(&[
        "cost",
        &d,
        "--env",
        "prod",
        "--schedule",
        "nights",
        "--year",
        "2027",
    ]);
    assert_eq!(code(&out), 2, "{}", result(&out));
    assert!(stderr(&out).contains("schedule \"nights\" never takes environment \"prod\" down"));
    assert!(stderr(&out).contains("it runs for: dev, staging"));
    // Two blocks of the same scope compare in one report.
    let v = json(&[
        "cost",
        &d,
        "--env",
        "staging",
        "--schedule",
        "nights",
        "--schedule",
        "weekends",
        "--year",
        "2027",
        "--format",
        "json",
    ]);
    let names: Vec<&str> = v["schedules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["always", "nights", "weekends"]);
}

/// The generated workflow as YAML.
fn github() -> (String, serde_yaml::Value) {
    let out = tfscope(&["schedule", &dir(), "--ci", "github", "--year", "2027"]);
    assert_eq!(code(&out), 0, "{}", result(&out));
    let text = stdout(&out);
    let yaml = serde_yaml::from_str(&text).unwrap();
    (text, yaml)
}

fn actionlint() -> std::path::PathBuf {
    let bin = Path::new(env!("CARGO_MANIFEST_DIR")).join(".cache/actionlint/bin/actionlint");
    assert!(
        bin.exists(),
        "actionlint is missing: run `make tools` (scripts/install-actionlint.sh)"
    );
    bin
}

#[test]
fn the_github_workflow_passes_actionlint_and_runs_only_listed_environments() {
    let (text, yaml) = github();
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("tfscope-schedule.yml");
    std::fs::write(&file, &text).unwrap();
    let lint = std::process::Command::new(actionlint())
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        lint.status.success(),
        "actionlint:\n{}{}",
        String::from_utf8_lossy(&lint.stdout),
        String::from_utf8_lossy(&lint.stderr)
    );
    // actionlint itself fails on a broken workflow, so this check can fail.
    std::fs::write(&file, text.replace("runs-on: ubuntu-latest", "runs-on: [")).unwrap();
    assert!(!std::process::Command::new(actionlint())
        .arg(&file)
        .output()
        .unwrap()
        .status
        .success());

    let jobs = yaml["jobs"].as_mapping().unwrap();
    let names: Vec<&str> = jobs.keys().map(|k| k.as_str().unwrap()).collect();
    assert_eq!(names, ["nights-dev", "nights-staging", "weekends-staging"]);
    for (name, job) in jobs {
        let env = name.as_str().unwrap().rsplit('-').next().unwrap();
        assert_eq!(
            job["concurrency"]["group"].as_str(),
            Some(format!("tfscope-{env}").as_str())
        );
        assert_eq!(
            job["concurrency"]["cancel-in-progress"].as_bool(),
            Some(false)
        );
        let runs: Vec<&str> = job["steps"]
            .as_sequence()
            .unwrap()
            .iter()
            .filter_map(|s| s["run"].as_str())
            .collect();
        assert!(
            runs.iter().any(|r| r.contains(&format!(
                "infra-down DIR=tests/fixtures/schedules ENV={env} SCOPE=runtime"
            ))),
            "{runs:?}"
        );
    }
    assert!(!text.contains("prod"), "prod is in no schedule");
    let options = yaml["on"]["workflow_dispatch"]["inputs"]["environment"]["options"]
        .as_sequence()
        .unwrap();
    assert_eq!(options.len(), 2, "dev and staging only");
}

#[test]
fn the_gitlab_pipeline_parses_and_runs_only_listed_environments() {
    let out = tfscope(&["schedule", &dir(), "--ci", "gitlab", "--year", "2027"]);
    assert_eq!(code(&out), 0, "{}", result(&out));
    let text = stdout(&out);
    let yaml: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    let map = yaml.as_mapping().unwrap();
    let jobs: Vec<(&str, &serde_yaml::Value)> = map
        .iter()
        .map(|(k, v)| (k.as_str().unwrap(), v))
        .filter(|(k, _)| *k != "stages" && !k.starts_with('.'))
        .collect();
    assert_eq!(
        jobs.iter().map(|j| j.0).collect::<Vec<_>>(),
        ["nights-dev", "nights-staging", "weekends-staging"]
    );
    let stages = yaml["stages"].as_sequence().unwrap();
    for (name, job) in jobs {
        let env = name.rsplit('-').next().unwrap();
        assert_eq!(job["extends"].as_str(), Some(".tfscope"));
        assert!(stages.contains(&yaml[".tfscope"]["stage"]));
        assert_eq!(
            job["resource_group"].as_str(),
            Some(format!("tfscope-{env}").as_str())
        );
        let script = job["script"][0].as_str().unwrap();
        for other in ["dev", "staging", "prod"].iter().filter(|e| **e != env) {
            assert!(
                !script.contains(&format!("ENV={other} ")),
                "{name} runs {other}"
            );
        }
        let rules: Vec<&str> = job["rules"]
            .as_sequence()
            .unwrap()
            .iter()
            .map(|r| r["if"].as_str().unwrap())
            .collect();
        assert!(
            rules[1].ends_with(&format!("$TFSCOPE_ENV == \"{env}\"")),
            "{rules:?}"
        );
    }
    // The pipeline schedules to create, in the zone's own time.
    assert!(text.contains("#   nights down: cron \"0 19 * * 1-5\", time zone \"Europe/Berlin\""));
    assert!(text.contains("#   weekends up: cron \"0 6 * * 1\", time zone \"America/New_York\""));
}

/// Numbers a cron field lists.
fn field(spec: &str, lo: u32, hi: u32) -> Vec<u32> {
    if spec == "*" {
        return (lo..=hi).collect();
    }
    spec.split(',')
        .flat_map(|p| match p.split_once('-') {
            Some((a, b)) => (a.parse().unwrap()..=b.parse().unwrap()).collect::<Vec<u32>>(),
            None => vec![p.parse().unwrap()],
        })
        .collect()
}

#[test]
fn a_simulated_month_of_the_workflow_matches_the_calendar_across_the_clock_change() {
    // March 2027 in Berlin: the clocks go forward on the 28th. Every cron line of the nights
    // schedule fires at its UTC time, seven minutes late as runners often are; `schedule due`
    // says what each run does. The runs must be one down per weekday evening and one up per
    // weekday morning, and the up-hours they give must be the calendar's.
    let (_, yaml) = github();
    let crons: Vec<String> = yaml["on"]["schedule"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|c| c["cron"].as_str().unwrap().to_string())
        .collect();
    let nights: Vec<&String> = crons
        .iter()
        .filter(|c| !c.ends_with(" 6") && !c.ends_with(" 1"))
        .collect();
    assert_eq!(nights.len(), 4, "{crons:?}");
    let mut runs: Vec<(jiff::Timestamp, String)> = Vec::new();
    let mut day: jiff::civil::Date = "2027-02-26".parse().unwrap();
    let last: jiff::civil::Date = "2027-04-01".parse().unwrap();
    while day <= last {
        for cron in &nights {
            let f: Vec<&str> = cron.split(' ').collect();
            let weekday = day.weekday().to_sunday_zero_offset() as u32;
            if !field(f[3], 1, 12).contains(&(day.month() as u32))
                || !field(f[4], 0, 6).contains(&weekday)
            {
                continue;
            }
            let fired = day
                .to_datetime(
                    jiff::civil::Time::new(f[1].parse().unwrap(), f[0].parse().unwrap(), 0, 0)
                        .unwrap(),
                )
                .to_zoned(jiff::tz::TimeZone::UTC)
                .unwrap()
                .timestamp();
            let now = fired
                .checked_add(jiff::SignedDuration::from_mins(7))
                .unwrap();
            let out = tfscope(&[
                "schedule",
                "due",
                "nights",
                &dir(),
                "--cron",
                cron,
                "--now",
                &now.to_string(),
            ]);
            assert_eq!(code(&out), 0, "{}", result(&out));
            let action = stdout(&out)
                .trim()
                .strip_prefix("action=")
                .unwrap()
                .to_string();
            if action != "none" {
                runs.push((fired, action));
            }
        }
        day = day.tomorrow().unwrap();
    }
    runs.sort();
    let berlin = jiff::tz::TimeZone::get("Europe/Berlin").unwrap();
    let instant = |d: &str| {
        d.parse::<jiff::civil::DateTime>()
            .unwrap()
            .to_zoned(berlin.clone())
            .unwrap()
            .timestamp()
    };
    let (start, end) = (instant("2027-03-01T00:00"), instant("2027-04-01T00:00"));
    let in_march: Vec<&(jiff::Timestamp, String)> = runs
        .iter()
        .filter(|(t, _)| *t >= start && *t < end)
        .collect();
    // 23 weekdays: 23 downs and 23 ups, each at 19:00 and 07:30 Berlin time, before and after the change.
    assert_eq!(in_march.iter().filter(|r| r.1 == "down").count(), 23);
    assert_eq!(in_march.iter().filter(|r| r.1 == "up").count(), 23);
    for (t, action) in &in_march {
        let local = t.to_zoned(berlin.clone());
        let hm = (local.hour(), local.minute());
        assert_eq!(
            hm,
            if action == "down" { (19, 0) } else { (7, 30) },
            "{t} {action}"
        );
    }
    // Up-hours from what ran (down since Friday 26 February evening) against the calendar's.
    let changes: Vec<(jiff::Timestamp, Event)> = in_march
        .iter()
        .map(|(t, a)| (*t, if a == "up" { Event::Up } else { Event::Down }))
        .collect();
    let hours = hours_up(false, &changes, start, end);
    let v = json(&[
        "cost",
        &dir(),
        "--env",
        "dev",
        "--schedule",
        "nights",
        "--year",
        "2027",
        "--format",
        "json",
    ]);
    let march = v["schedules"][1]["calendar"]["months"][2].as_f64().unwrap();
    assert_eq!(march, 23.0 * 11.5);
    assert_eq!(hours, march);
}

#[test]
fn out_writes_atomically_and_keeps_a_file_it_did_not_generate() {
    let tmp = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir());
    let root = root.to_str().unwrap();
    let out = tfscope_in(
        tmp.path(),
        &[
            "schedule", root, "--ci", "github", "--out", "wf.yml", "--year", "2027",
        ],
    );
    assert_eq!(code(&out), 0, "{}", result(&out));
    assert!(stderr(&out).contains("wrote wf.yml"));
    std::fs::write(tmp.path().join("mine.yml"), "name: mine\n").unwrap();
    let out = tfscope_in(
        tmp.path(),
        &[
            "schedule", root, "--ci", "gitlab", "--out", "mine.yml", "--year", "2027",
        ],
    );
    assert_eq!(code(&out), 2, "{}", result(&out));
    assert!(stderr(&out).contains("mine.yml exists and was not generated by tfscope"));
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("mine.yml")).unwrap(),
        "name: mine\n"
    );
    let out = tfscope(&["schedule", &fixture("layers"), "--ci", "github"]);
    assert_eq!(code(&out), 2, "{}", result(&out));
    assert!(stderr(&out).contains("declares no schedule"));
}

#[test]
fn infracost_usage_and_down_follow_the_schedule_block() {
    let d = dir();
    let out = tfscope(&[
        "cost",
        &d,
        "--env",
        "dev",
        "--format",
        "infracost-usage",
        "--schedule",
        "nights",
        "--year",
        "2027",
    ]);
    assert_eq!(code(&out), 0, "{}", result(&out));
    assert!(
        stdout(&out).contains("# schedule nights: runtime up 248.21 h a month"),
        "{}",
        result(&out)
    );
    let out = tfscope(&[
        "cost",
        &d,
        "--env",
        "dev",
        "--schedule",
        "nights",
        "--down",
        "base",
    ]);
    assert_eq!(code(&out), 2, "{}", result(&out));
    assert!(
        stderr(&out).contains("schedule \"nights\" takes runtime down"),
        "{}",
        result(&out)
    );
}
