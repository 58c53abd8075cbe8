//! Bad input: a clear message with file:line:col where one exists, exit 2, nothing on stdout.

use insta::assert_snapshot;

use crate::{code, fixture, result, stderr, stdout, tfscope, tfscope_in};

fn assert_input_error(out: &std::process::Output) {
    assert_eq!(code(out), 2, "{}", result(out));
    assert_eq!(stdout(out), "", "nothing on stdout");
    assert!(!stderr(out).contains("panicked"), "{}", result(out));
}

#[test]
fn malformed_hcl() {
    let out = tfscope(&["classify", &fixture("syntax_error")]);
    assert_input_error(&out);
    assert!(stderr(&out).contains("tests/fixtures/syntax_error/main.tf:7:16"));
    assert_snapshot!(result(&out));
}

#[test]
fn missing_module_directory() {
    let out = tfscope(&["plan", "--scope", "all", &fixture("missing_module")]);
    assert_input_error(&out);
    assert_snapshot!(result(&out));
}

#[test]
fn unknown_scope() {
    let out = tfscope(&["targets", "--scope", "app"]);
    assert_input_error(&out);
    assert_snapshot!(result(&out));
}

#[test]
fn a_cycle_outside_check() {
    let out = tfscope(&["targets", "--scope", "base", &fixture("cycle")]);
    assert_input_error(&out);
    assert!(stderr(&out).contains("dependency cycle: aws_security_group.a"));
}

#[test]
fn empty_directory() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tfscope_in(tmp.path(), &["classify", "."]);
    assert_input_error(&out);
    assert!(
        stderr(&out).contains("no Terraform configuration files"),
        "{}",
        result(&out)
    );
}

#[test]
fn unreadable_file() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("main.tf"),
        "resource \"aws_vpc\" \"v\" {}\n",
    )
    .unwrap();
    // Not valid UTF-8: Terraform refuses it too.
    std::fs::write(tmp.path().join("bad.tf"), b"resource \xff\n").unwrap();
    let out = tfscope_in(tmp.path(), &["classify", "."]);
    assert_input_error(&out);
    assert!(
        stderr(&out).contains("cannot read bad.tf"),
        "{}",
        result(&out)
    );
}

#[test]
fn missing_directory() {
    let out = tfscope(&["classify", "no/such/dir"]);
    assert_input_error(&out);
    assert!(
        stderr(&out).contains("cannot read no/such/dir"),
        "{}",
        result(&out)
    );
}

#[test]
fn bad_config_file() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("main.tf"),
        "resource \"aws_vpc\" \"v\" {}\n",
    )
    .unwrap();
    std::fs::write(
        tmp.path().join("tfscope.hcl"),
        "scopes = [\"base\", \"runtime\"]\ndefault_scope = \"later\"\n",
    )
    .unwrap();
    let out = tfscope_in(tmp.path(), &["classify", "."]);
    assert_input_error(&out);
    assert!(
        stderr(&out).contains("tfscope.hcl:2:17: unknown scope \"later\""),
        "{}",
        result(&out)
    );
    // The diagnostic shows the line, with a caret under the value.
    assert_snapshot!(result(&out));
}

#[test]
fn bad_usage_and_price_files_point_at_the_line() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("main.tf"),
        "resource \"aws_nat_gateway\" \"n\" {}\n",
    )
    .unwrap();
    std::fs::write(
        tmp.path().join("usage.toml"),
        "[aws_nat_gateway]\ngb_processed = \n",
    )
    .unwrap();
    let out = tfscope_in(tmp.path(), &["cost", ".", "--usage", "usage.toml"]);
    assert_input_error(&out);
    assert_snapshot!("bad_usage_file", result(&out));
    // A table key that is neither a resource type nor a resource address.
    std::fs::write(
        tmp.path().join("usage.toml"),
        "[aws_nat_gateway]\ngb_processed = 5\n\n[\"module.net.aws_nat_gateway.n[x]\"]\ngb_processed = 9\n",
    )
    .unwrap();
    let out = tfscope_in(tmp.path(), &["cost", ".", "--usage", "usage.toml"]);
    assert_input_error(&out);
    assert_snapshot!("bad_usage_key", result(&out));
    std::fs::write(
        tmp.path().join("prices.toml"),
        "[[price]]\ntype = \"aws_vpc\"\ncomponent = \"x\"\nunit = \"fortnight\"\nprice = 1\n\
         region = \"r\"\nsource = \"s\"\ndate = \"d\"\nquantity = \"1\"\n",
    )
    .unwrap();
    let out = tfscope_in(tmp.path(), &["cost", ".", "--prices", "prices.toml"]);
    assert_input_error(&out);
    assert_snapshot!("bad_price_file", result(&out));
}

#[test]
fn usage_errors_exit_2() {
    let out = tfscope(&["targets"]);
    assert_eq!(code(&out), 2);
    let out = tfscope(&["frobnicate"]);
    assert_eq!(code(&out), 2);
}

#[test]
fn help_has_examples_for_every_command() {
    for cmd in ["classify", "targets", "plan", "explain", "check"] {
        let out = tfscope(&[cmd, "--help"]);
        assert_eq!(code(&out), 0);
        assert!(stdout(&out).contains("Examples:"), "{cmd}");
    }
}

#[test]
fn a_config_rule_that_matches_nothing_is_a_warning() {
    let out = tfscope(&["classify", &fixture("violation")]);
    assert_eq!(code(&out), 0);
    assert!(stderr(&out).contains(
        "warning: tests/fixtures/violation/tfscope.hcl:7:1: rule unused matches no resource"
    ));
}

/// Issue 9: a file that needs the newline fold (a conditional broken over lines in a `for`
/// object) and has a real error further down: the error points at the real place.
#[test]
fn a_syntax_error_after_a_multiline_for_conditional_points_at_its_line() {
    let out = tfscope(&["classify", &fixture("syntax_error_after_fold")]);
    assert_input_error(&out);
    assert!(
        stderr(&out).contains("tests/fixtures/syntax_error_after_fold/main.tf:7:16"),
        "{}",
        result(&out)
    );
}

#[test]
fn a_bad_schedule_is_a_usage_error_that_names_the_flag() {
    let out = tfscope(&["cost", "--schedule", "bogus=abc"]);
    assert_input_error(&out);
    let err = stderr(&out);
    assert!(err.contains("tfscope::usage"), "{}", result(&out));
    assert!(
        err.contains("--schedule: unknown schedule \"bogus=abc\""),
        "{}",
        result(&out)
    );
}
