//! AWS prices (issue 13): every type the classification catalog knows is priced, free or
//! unpriced with a reason; figures of the entries added for the common billable types, checked by
//! hand on `tests/fixtures/cost_aws_more`; and the regional factors.

use tfscope::classify::catalog::Catalog;
use tfscope::cost::coverage::price_coverage;
use tfscope::cost::price::PriceList;

use crate::{code, fixture, result, stdout, tfscope};

/// `tfscope cost --format json` on the fixture.
fn report() -> serde_json::Value {
    let out = tfscope(&["cost", &fixture("cost_aws_more"), "--format", "json"]);
    assert_eq!(code(&out), 0, "{}", result(&out));
    serde_json::from_str(&stdout(&out)).unwrap()
}

/// The monthly figure of one resource, and of each of its components by name.
fn monthly(v: &serde_json::Value, address: &str) -> (f64, Vec<(String, f64)>) {
    let r = v["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["address"] == address)
        .unwrap_or_else(|| panic!("{address} is not priced: {v}"));
    let parts = r["components"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["name"].as_str().unwrap().to_string(),
                c["monthly"].as_f64().unwrap(),
            )
        })
        .collect();
    (r["monthly"].as_f64().unwrap(), parts)
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 0.005
}

#[test]
fn every_aws_type_is_priced_free_or_unpriced_with_a_reason() {
    let c = price_coverage(&PriceList::builtin(), Catalog::builtin(), "aws");
    println!("{}", c.summary());
    for (reason, types) in &c.unpriced {
        println!("  unpriced {:4}  {reason}", types.len());
    }
    assert!(c.missing.is_empty(), "{}: {:?}", c.summary(), c.missing);
    assert!(c.priced.len() >= 75, "{}", c.summary());
    // Billable types are never declared free, even where a broad group could catch them.
    for billable in [
        "aws_ec2_transit_gateway_vpc_attachment",
        "aws_ec2_client_vpn_network_association",
        "aws_vpc_endpoint_subnet_association",
        "aws_fms_policy",
        "aws_cloudwatch_log_metric_filter",
        "aws_s3_bucket_metric",
        "aws_grafana_license_association",
    ] {
        assert!(!c.free.contains(&billable.to_string()), "{billable}");
    }
    assert!(c.free.contains(&"aws_iam_role".to_string()));
    assert!(c
        .free
        .contains(&"aws_cloudwatch_log_subscription_filter".to_string()));
}

#[test]
fn hand_checked_figures_of_the_new_aws_entries() {
    let v = report();
    let check = |address: &str, total: f64, parts: &[(&str, f64)]| {
        let (got, components) = monthly(&v, address);
        assert!(
            close(got, total),
            "{address}: {got} != {total}: {components:?}"
        );
        for (name, want) in parts {
            let c = components
                .iter()
                .find(|(n, _)| n == name)
                .unwrap_or_else(|| panic!("{address}: no {name}: {components:?}"));
            assert!(close(c.1, *want), "{address} {name}: {} != {want}", c.1);
        }
    };
    // t3.medium, Linux: 730 h x $0.0416 = $30.368 -> $30.37; a 30 GB gp3 root volume:
    // 30 x $0.08 = $2.40; together $32.768 -> $32.77.
    check(
        "aws_instance.web",
        32.77,
        &[("instance hours", 30.37), ("root volume", 2.40)],
    );
    // Aurora db.r6g.large: 730 h x $0.26 = $189.80 (rate NOT CONFIRMED, see the entry).
    check(
        "aws_rds_cluster_instance.writer",
        189.80,
        &[("instance hours", 189.80)],
    );
    // Aurora db.t3.medium: 730 h x $0.082 = $59.86, infracost's fixture figure.
    check(
        "aws_rds_cluster_instance.reader",
        59.86,
        &[("instance hours", 59.86)],
    );
    // The cluster: 10 GB x $0.10 + 1 million I/Os x $0.20 = $1.20 (usage defaults).
    check(
        "aws_rds_cluster.db",
        1.20,
        &[("storage", 1.00), ("I/O requests (millions)", 0.20)],
    );
    // DynamoDB provisioned, 20 WCU and 30 RCU: 20 x 730 x $0.00065 = $9.49,
    // 30 x 730 x $0.00013 = $2.847 -> $2.85 (infracost's fixture: $9.49 and $2.85);
    // 1 GB stored x $0.25; $12.587 -> $12.59.
    check(
        "aws_dynamodb_table.orders",
        12.59,
        &[
            ("write capacity", 9.49),
            ("read capacity", 2.85),
            ("storage", 0.25),
        ],
    );
    // WAF web ACL with 3 rule blocks: $5 + 3 x $1 + 1 million requests x $0.60 = $8.60.
    check(
        "aws_wafv2_web_acl.edge",
        8.60,
        &[
            ("web ACL", 5.0),
            ("rules", 3.0),
            ("requests (millions)", 0.60),
        ],
    );
    // ElastiCache replication group, 2 x cache.t3.micro: 2 x 730 h x $0.017 = $24.82.
    check(
        "aws_elasticache_replication_group.cache",
        24.82,
        &[("node hours", 24.82)],
    );
    // gp3 volume, 100 GB and 4,000 IOPS: 100 x $0.08 + (4,000 - 3,000) x $0.005 = $13.00.
    check(
        "aws_ebs_volume.data",
        13.0,
        &[("storage", 8.0), ("provisioned IOPS", 5.0)],
    );
    // Lambda, 512 MB, usage defaults (1 million requests of 100 ms): $0.20 of requests;
    // 1e6 x 0.1 s x 0.5 GB = 50,000 GB-s = 13.89 GB-h x $0.06 = $0.833 -> $0.83; total $1.03.
    check(
        "aws_lambda_function.worker",
        1.03,
        &[("requests (millions)", 0.20), ("duration", 0.83)],
    );
    // A standard-resolution alarm on one metric: $0.10; a dashboard: $3.00.
    check(
        "aws_cloudwatch_metric_alarm.cpu",
        0.10,
        &[("alarm metrics", 0.10)],
    );
    check("aws_cloudwatch_dashboard.main", 3.0, &[("dashboard", 3.0)]);
    // ECS on the EC2 launch type: the instances pay, the service reads $0.
    check("aws_ecs_service.on_ec2", 0.0, &[("vCPU", 0.0)]);
    // Nothing in the fixture is left unpriced (the IAM role and ECS cluster are free).
    assert_eq!(v["unpriced"], serde_json::json!([]), "{v}");
    // 32.77 + 189.80 + 59.86 + 1.20 + 12.59 + 8.60 + 24.82 + 13.00 + 1.03 + 0.10 + 3.00 + 0
    // = 346.77
    assert!(close(v["monthly"].as_f64().unwrap(), 346.77), "{v}");
}

#[test]
fn aws_regional_factors_cover_the_common_regions() {
    let prices = PriceList::builtin();
    for name in [
        "us-west-2",
        "eu-west-1",
        "eu-central-1",
        "ap-southeast-1",
        "ap-northeast-1",
    ] {
        let r = prices
            .regions
            .iter()
            .find(|r| r.provider == "aws" && r.name == name)
            .unwrap_or_else(|| panic!("no aws factor for {name}"));
        assert!(r.factor >= 1.0 && r.factor < 1.5, "{name}: {}", r.factor);
        assert!(r.source.starts_with("Amazon EC2"), "{}", r.source);
    }
    // m5.large: $0.107 in eu-west-1 over $0.096 in us-east-1.
    let eu = prices
        .regions
        .iter()
        .find(|r| r.provider == "aws" && r.name == "eu-west-1")
        .unwrap();
    assert!((eu.factor - 0.107 / 0.096).abs() < 0.001, "{}", eu.factor);
    // An entry added with exact regional prices: t3.medium's root volume on gp3.
    let gp3 = prices
        .for_type("aws_instance")
        .find(|e| e.component == "root volume" && e.price == 0.08)
        .unwrap();
    assert_eq!(gp3.regional.get("eu-central-1"), Some(&0.0952));
}
