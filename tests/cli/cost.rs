//! `tfscope cost` on the reference infrastructure: whole reports for dev and prod, and the
//! inputs that change them.

use insta::assert_snapshot;

use crate::{code, result, stdout, tfscope};

#[test]
fn reference_infra_dev() {
    let out = tfscope(&["cost", "--env", "dev"]);
    assert_eq!(code(&out), 0, "{}", result(&out));
    assert_snapshot!(result(&out));
}

#[test]
fn reference_infra_prod_json() {
    let out = tfscope(&["cost", "--env", "prod", "--format", "json"]);
    assert_eq!(code(&out), 0, "{}", result(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    // Three NAT gateways in prod (one per AZ), in eu-west-1: 3 x 730 h x $0.048 of gateway hours.
    let nat_hours: f64 = v["resources"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| {
            r["address"]
                .as_str()
                .unwrap()
                .starts_with("module.network.aws_nat_gateway.this[")
        })
        .map(|r| r["components"][0]["monthly"].as_f64().unwrap())
        .sum();
    assert!((nat_hours - 105.12).abs() < 1e-9, "{nat_hours}");
    // Base never changes under a schedule; only runtime does.
    let always = &v["schedules"][0];
    for s in v["schedules"].as_array().unwrap() {
        assert_eq!(
            s["scopes"][0]["monthly"], always["scopes"][0]["monthly"],
            "{s}"
        );
    }
    assert_snapshot!(result(&out));
}

#[test]
fn usage_schedules_and_price_overrides_change_the_figures() {
    let tmp = tempfile::tempdir().unwrap();
    let usage = tmp.path().join("usage.toml");
    std::fs::write(&usage, "[aws_nat_gateway]\ngb_processed = 1000\n").unwrap();
    let base = |args: &[&str]| -> serde_json::Value {
        let mut all = vec!["cost", "--env", "dev", "--format", "json"];
        all.extend(args);
        let out = tfscope(&all);
        assert_eq!(code(&out), 0, "{}", result(&out));
        serde_json::from_str(&stdout(&out)).unwrap()
    };
    let plain = base(&[]);
    let heavy = base(&["--usage", usage.to_str().unwrap()]);
    let nat = |v: &serde_json::Value| v["scopes"][0]["monthly"].as_f64().unwrap();
    // dev has one NAT gateway; its default usage is replaced by 1,000 GB at $0.045/GB.
    assert!(
        nat(&heavy) > nat(&plain),
        "{} vs {}",
        nat(&heavy),
        nat(&plain)
    );
    let custom = base(&["--schedule", "crunch=84"]);
    let names: Vec<&str> = custom["schedules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["always", "crunch"]);
    let prices = tmp.path().join("prices.toml");
    std::fs::write(
        &prices,
        "[[price]]\ntype = \"aws_nat_gateway\"\ncomponent = \"gateway hours\"\nunit = \"hour\"\nprice = 0\nregion = \"us-east-1\"\nsource = \"test\"\ndate = \"2026-11\"\nquantity = \"hours\"\n",
    )
    .unwrap();
    let free_nat = base(&["--prices", prices.to_str().unwrap()]);
    assert!(
        // dev is in eu-west-1: the gateway hours were 730 x $0.048, the region's exact price.
        (nat(&plain) - nat(&free_nat) - 35.04).abs() < 0.011,
        "{} {}",
        nat(&plain),
        nat(&free_nat)
    );
}

#[test]
fn bad_cost_input_is_an_input_error() {
    let out = tfscope(&["cost", "--schedule", "200"]);
    assert_eq!(code(&out), 2);
    assert!(
        crate::stderr(&out).contains("a week has 168 hours"),
        "{}",
        result(&out)
    );
    let out = tfscope(&["cost", "--down", "nope"]);
    assert_eq!(code(&out), 2);
}

/// The HTML report renders in a real browser: headless Chromium (Debian's, installed by
/// `make tools`) turns it into a PNG with both scopes' colours in the chart.
#[test]
fn html_report_renders_headless_with_a_chart() {
    let out = tfscope(&["cost", "--env", "prod", "--format", "html"]);
    assert_eq!(code(&out), 0, "{}", result(&out));
    let shot = crate::browser::Page::new(&stdout(&out)).screenshot("");
    // Base (#1f5f8b) and runtime (#e8a33d) segments, five bars each.
    let (base, runtime) = (
        shot.count([0x1f, 0x5f, 0x8b]),
        shot.count([0xe8, 0xa3, 0x3d]),
    );
    assert!(base > 20_000, "base pixels: {base}");
    assert!(runtime > 5_000, "runtime pixels: {runtime}");
    assert!(
        base > runtime,
        "prod base costs more than runtime: {base} vs {runtime}"
    );
}

#[test]
fn node_groups_are_priced_by_node_count_and_instance_type() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("main.tf"),
        "variable \"nodes\" {\n  default = 3\n}\nresource \"aws_eks_node_group\" \"workers\" {\n  instance_types = [\"m5.large\"]\n  scaling_config {\n    desired_size = var.nodes\n  }\n}\n",
    )
    .unwrap();
    let out = tfscope(&["cost", tmp.path().to_str().unwrap(), "--format", "json"]);
    assert_eq!(code(&out), 0, "{}", result(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    // 3 nodes x 730 h x $0.096
    assert_eq!(v["resources"][0]["monthly"], 210.24);
    assert_eq!(v["unpriced"], serde_json::json!([]));
}

/// Prices and factors for the made-up `acme` provider of `tests/fixtures/cost_regions`.
const ACME_PRICES: &str = r#"
[[price]]
type = "acme_server"
component = "server hours"
unit = "hour"
price = 0.10
region = "home-1"
regional = { "eu-west-1" = 0.12 }
source = "test"
date = "2026-12"
quantity = "hours"

[[price]]
type = "acme_dns_zone"
component = "zone"
unit = "month"
price = 1.0
region = "global"
source = "test"
date = "2026-12"
quantity = "1"

[[price]]
type = "acme_queue"
component = "messages"
unit = "GB"
price = 0.01
region = "global"
source = "test"
date = "2026-12"
quantity = "usage.messages"
usage = { messages = 5 }

[[region]]
provider = "acme"
name = "far-1"
factor = 1.5
source = "test"
date = "2026-12"
"#;

/// Usage per type, per address and per wildcard address, and one key nothing matches.
const ACME_USAGE: &str = r#"
[acme_queue]
messages = 10

["module.svc[*].acme_queue.this"]
messages = 20

["module.svc[\"api\"].acme_queue.this"]
messages = 30

["module.gone.acme_queue.this"]
messages = 1
"#;

fn cost_regions(format: &str) -> std::process::Output {
    let tmp = tempfile::tempdir().unwrap();
    let prices = tmp.path().join("prices.toml");
    let usage = tmp.path().join("usage.toml");
    std::fs::write(&prices, ACME_PRICES).unwrap();
    std::fs::write(&usage, ACME_USAGE).unwrap();
    let fixture = crate::fixture("cost_regions");
    tfscope(&[
        "cost",
        &fixture,
        "--env",
        "dev",
        "--prices",
        prices.to_str().unwrap(),
        "--usage",
        usage.to_str().unwrap(),
        "--format",
        format,
    ])
}

#[test]
fn regions_and_usage_per_address_are_priced_and_reported() {
    let out = cost_regions("json");
    assert_eq!(code(&out), 0, "{}", result(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let rows: Vec<String> = v["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            format!(
                "{} {} {} {}",
                r["address"].as_str().unwrap(),
                r["region"],
                r["region_basis"].as_str().unwrap(),
                r["monthly"]
            )
        })
        .collect();
    assert_eq!(
        rows,
        vec![
            "acme_dns_zone.zone \"eu-west-1\" global 1.0",
            "acme_server.far \"far-1\" factor 1.5 109.5",
            "acme_server.moon \"moon-1\" base: no figure for moon-1 73.0",
            "acme_server.web[0] \"eu-west-1\" exact 87.6",
            "acme_server.web[1] \"eu-west-1\" exact 87.6",
            // 30 GB from its own address, 20 from the wildcard; never the type's 10.
            "module.svc[\"api\"].acme_queue.this \"eu-west-1\" global 0.3",
            "module.svc[\"web\"].acme_queue.this \"eu-west-1\" global 0.2",
        ]
    );
    let table = cost_regions("table");
    assert_eq!(code(&table), 0, "{}", result(&table));
    assert_snapshot!(result(&table));
}

#[test]
fn coverage_lists_every_catalogued_type_as_priced_free_or_unpriced_with_a_reason() {
    let out = tfscope(&["cost", "--coverage", "--format", "json"]);
    assert_eq!(code(&out), 0, "{}", result(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    for c in v.as_array().unwrap() {
        let provider = c["provider"].as_str().unwrap();
        let missing = c["missing"].as_array().unwrap();
        let some: Vec<_> = missing.iter().take(5).collect();
        assert!(
            missing.is_empty(),
            "{provider}: {} missing, e.g. {some:?}",
            missing.len()
        );
        let priced = c["priced"].as_array().unwrap().len();
        let cloud = ["aws", "google", "google-beta", "azurerm"].contains(&provider);
        assert!(priced > 40 || !cloud, "{provider}: {priced} priced");
        for (reason, types) in c["unpriced"].as_object().unwrap() {
            assert!(
                reason.len() > 20,
                "{provider}: a reason says why: {reason:?}"
            );
            assert!(!types.as_array().unwrap().is_empty());
        }
    }
    let text = stdout(&tfscope(&["cost", "--coverage"]));
    assert!(text.starts_with("aws: priced "), "{text}");
}

#[test]
fn an_argument_set_to_null_is_priced_as_unset() {
    // terraform-aws-modules pass optional arguments through variables that default to null:
    // `log_group_class = var.log_group_class` is the provider's default, STANDARD.
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("main.tf"),
        "variable \"log_group_class\" {\n  type    = string\n  default = null\n}\n\n\
         resource \"aws_cloudwatch_log_group\" \"app\" {\n  name            = \"app\"\n  \
         log_group_class = var.log_group_class\n}\n",
    )
    .unwrap();
    let out = crate::tfscope_in(tmp.path(), &["cost", ".", "--format", "json"]);
    assert_eq!(code(&out), 0, "{}", result(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["unpriced"], serde_json::json!([]), "{v}");
    let names: Vec<&str> = v["resources"][0]["components"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"ingestion"), "{names:?}");
}
