//! Google Cloud prices (data/prices/google.toml): every catalogued google and google-beta type is
//! priced, free or unpriced with a reason; list prices checked by hand on the Google fixture
//! (tests/fixtures/cost_google, env dev) and on small configurations written here.

use insta::assert_snapshot;
use serde_json::Value;

use crate::{code, result, stdout, tfscope};
use tfscope::classify::catalog::Catalog;
use tfscope::cost::coverage::price_coverage;
use tfscope::cost::price::PriceList;

const FIXTURE: &str = "tests/fixtures/cost_google";

#[test]
fn every_google_type_is_priced_free_or_unpriced_with_a_reason() {
    let prices = PriceList::builtin();
    let mut missing = Vec::new();
    for provider in ["google", "google-beta"] {
        let c = price_coverage(&prices, Catalog::builtin(), provider);
        println!("{}", c.summary());
        for (reason, types) in &c.unpriced {
            println!("  unpriced {}: {reason}", types.len());
        }
        assert!(c.priced.len() >= 40, "{}", c.summary());
        if !c.missing.is_empty() {
            missing.push(format!("{}: {:?}", c.summary(), c.missing));
        }
    }
    assert!(missing.is_empty(), "{missing:#?}");
}

fn cost_json(args: &[&str]) -> Value {
    let mut all = vec!["cost"];
    all.extend(args);
    all.extend(["--format", "json"]);
    let out = tfscope(&all);
    assert_eq!(code(&out), 0, "{}", result(&out));
    serde_json::from_str(&stdout(&out)).unwrap()
}

/// The monthly figure of `component` of the resource at `address`.
fn component(v: &Value, address: &str, component: &str) -> f64 {
    let r = v["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["address"] == address)
        .unwrap_or_else(|| panic!("no resource {address} in {v}"));
    r["components"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == component)
        .unwrap_or_else(|| panic!("no component {component} in {r}"))["monthly"]
        .as_f64()
        .unwrap()
}

fn resource(v: &Value, address: &str) -> f64 {
    v["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["address"] == address)
        .unwrap_or_else(|| panic!("no resource {address} in {v}"))["monthly"]
        .as_f64()
        .unwrap()
}

fn near(actual: f64, expected: f64) {
    assert!(
        (actual - expected).abs() < 0.006,
        "{actual} is not {expected}"
    );
}

#[test]
fn the_google_fixture_is_priced_by_hand() {
    // The list prices are us-central1's: environments/us.tfvars puts the fixture there.
    let v = cost_json(&[FIXTURE, "--env", "us"]);
    // Cloud SQL, db-custom-1-3840, zonal, 20 GB SSD (us-central1, Enterprise edition):
    // 1 vCPU x 730 h x $0.0413 = $30.149; 3840 MB = 3.75 GB x 730 h x $0.007 = $19.1625;
    // 20 GB x $0.17 = $3.40. Total $52.71.
    let db = "google_sql_database_instance.db";
    near(component(&v, db, "vCPU"), 30.149);
    near(component(&v, db, "memory"), 19.1625);
    near(component(&v, db, "storage"), 3.40);
    near(resource(&v, db), 52.71);
    // Cloud Run v2, min_instance_count = 1, cpu "1", memory "512Mi", request-based billing:
    // idle minimum instance 1 x 1 vCPU x 730 h x $0.009 (= $0.0000025/s) = $6.57, and
    // 0.5 GiB x 730 h x $0.009 = $3.285.
    let run = "google_cloud_run_v2_service.app";
    near(component(&v, run, "min instances vCPU"), 6.57);
    near(component(&v, run, "min instances memory"), 3.285);
    // Cloud NAT: 2 VMs (usage default) x 730 h x $0.0014 = $2.044, plus 50 GiB x $0.045 = $2.25.
    let nat = "google_compute_router_nat.nat";
    near(component(&v, nat, "gateway"), 2.044);
    near(component(&v, nat, "data processed"), 2.25);
    // Global forwarding rule of the HTTPS load balancer: 730 h x $0.025 = $18.25.
    near(
        component(
            &v,
            "google_compute_global_forwarding_rule.https",
            "forwarding rule",
        ),
        18.25,
    );
    // Cloud DNS managed zone: $0.20 a month. Secret version: $0.06. KMS key version: $0.06.
    near(
        component(&v, "google_dns_managed_zone.public", "managed zone"),
        0.20,
    );
    near(
        component(
            &v,
            "google_secret_manager_secret_version.db_password",
            "active version",
        ),
        0.06,
    );
    near(
        component(&v, "google_kms_crypto_key.secrets", "key versions"),
        0.06,
    );
    // dev is in europe-west1: the E2-derived factor 1.10 where no exact figure is published.
    let dev = cost_json(&[FIXTURE, "--env", "dev"]);
    near(resource(&dev, db), (30.149 + 19.1625 + 3.40) * 1.10);
    let basis = dev["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["address"] == db)
        .unwrap()["region_basis"]
        .clone();
    assert_eq!(basis, "factor 1.1", "{dev}");
    // Everything in the fixture is priced or free: nothing is left out of the totals.
    assert_eq!(v["unpriced"], serde_json::json!([]), "{v}");
    // Runtime costs something, and tearing it down at night saves.
    let runtime = crate::cost_figure(&v, "scopes", "runtime", "monthly");
    assert!(runtime > 0.0, "{v}");
    let nights = crate::cost_figure(&v, "schedules", "nights", "savings");
    assert!(nights > 0.0, "{v}");
}

/// Prices a configuration written to a temporary directory.
fn cost_of(main_tf: &str) -> Value {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("main.tf"), main_tf).unwrap();
    cost_json(&[tmp.path().to_str().unwrap()])
}

#[test]
fn vms_node_pools_and_memorystore_are_priced_by_hand() {
    let v = cost_of(
        r#"
resource "google_compute_instance" "e2" {
  machine_type = "e2-standard-2"
  boot_disk {
    initialize_params {
      type = "pd-balanced"
      size = 20
    }
  }
}

resource "google_compute_instance" "custom" {
  machine_type = "custom-2-8192"
}

resource "google_compute_instance" "odd" {
  machine_type = "custom-3-5000"
}

resource "google_redis_instance" "cache" {
  memory_size_gb = 5
}

resource "google_redis_instance" "ha" {
  tier           = "STANDARD_HA"
  memory_size_gb = 1
}

resource "google_container_cluster" "gke" {
  location                 = "us-central1"
  remove_default_node_pool = true
  initial_node_count       = 1
}

resource "google_container_node_pool" "pool" {
  cluster    = google_container_cluster.gke.id
  node_count = 2
}

resource "google_container_cluster" "zonal" {
  location           = "us-central1-b"
  initial_node_count = 2
  node_config {
    machine_type = "e2-standard-2"
  }
}

resource "google_container_cluster" "autopilot" {
  location         = "us-central1"
  enable_autopilot = true
}

resource "google_redis_cluster" "cache" {
  shard_count   = 3
  replica_count = 1
}

resource "google_cloud_run_service" "v1" {
  template {
    metadata {
      annotations = {
        "autoscaling.knative.dev/minScale" = "2"
      }
    }
    spec {
      containers {
        image = "gcr.io/cloudrun/hello"
        resources {
          limits = {
            cpu    = "2000m"
            memory = "1Gi"
          }
        }
      }
    }
  }
}
"#,
    );
    // e2-standard-2 = 2 vCPU x $0.021811 + 8 GB x $0.002923 = $0.067006 an hour x 730 =
    // $48.914; boot disk 20 GB pd-balanced x $0.10 = $2.00.
    let e2 = "google_compute_instance.e2";
    near(component(&v, e2, "vCPU"), 2.0 * 0.021811 * 730.0);
    near(component(&v, e2, "memory"), 8.0 * 0.002923 * 730.0);
    near(component(&v, e2, "boot disk"), 2.0);
    near(resource(&v, e2), 50.91);
    // N1 custom-2-8192: 2 x $0.033191 + 8 GB x $0.004446 = $0.10195 an hour x 730 = $74.42;
    // boot disk 10 GB pd-standard x $0.04 = $0.40.
    near(resource(&v, "google_compute_instance.custom"), 74.42 + 0.40);
    // Memorystore Basic, 5 GB (capacity band M2): 5 x $0.027 x 730 = $98.55; Standard HA 1 GB
    // (M1): 1 x $0.064 x 730 = $46.72.
    near(resource(&v, "google_redis_instance.cache"), 98.55);
    near(resource(&v, "google_redis_instance.ha"), 46.72);
    // Node pool: 2 nodes per zone x 3 zones (regional cluster in us-central1) = 6 e2-medium
    // nodes x (1 x $0.021811 + 4 x $0.002923) x 730 = $146.74; 6 x 100 GB pd-balanced x
    // $0.10 = $60. The cluster: $0.10 x 730 = $73.
    let pool = "google_container_node_pool.pool";
    near(
        component(&v, pool, "vCPU") + component(&v, pool, "memory"),
        6.0 * 0.033503 * 730.0,
    );
    near(component(&v, pool, "node boot disk"), 60.0);
    near(resource(&v, "google_container_cluster.gke"), 73.0);
    // A zonal Standard cluster keeping its default pool: $73 + 2 e2-standard-2 nodes x
    // $0.067006 x 730 = $97.83 + 2 x 100 GB pd-balanced x $0.10 = $20.
    near(
        resource(&v, "google_container_cluster.zonal"),
        73.0 + 2.0 * 0.067006 * 730.0 + 20.0,
    );
    // Autopilot with the usage defaults: $73 + 1 vCPU x 730 x $0.0445 = $32.485, + 2 GB x 730
    // x $0.0049225 = $7.187, + 10 GB ephemeral x 730 x $0.0000548 = $0.40.
    near(
        resource(&v, "google_container_cluster.autopilot"),
        73.0 + 32.485 + 7.18685 + 0.40004,
    );
    // Memorystore for Redis Cluster: 3 shards x (1 + 1 replica) = 6 REDIS_HIGHMEM_MEDIUM nodes x
    // $0.1923 x 730 = $842.27.
    near(
        resource(&v, "google_redis_cluster.cache"),
        6.0 * 0.1923 * 730.0,
    );
    // Cloud Run (v1) with the minScale annotation 2, cpu 2000m, 1Gi: idle minimum instances
    // 2 x 2 vCPU x 730 x $0.009 = $26.28 and 2 x 1 GiB x 730 x $0.009 = $13.14.
    let v1 = "google_cloud_run_service.v1";
    near(component(&v, v1, "min instances vCPU"), 26.28);
    near(component(&v, v1, "min instances memory"), 13.14);
    // A custom shape outside the table is reported, not counted as zero.
    let unpriced = v["unpriced"].to_string();
    assert!(
        unpriced.contains("google_compute_instance.odd"),
        "{unpriced}"
    );
}

#[test]
fn google_fixture_dev() {
    let out = tfscope(&["cost", FIXTURE, "--env", "dev"]);
    assert_eq!(code(&out), 0, "{}", result(&out));
    assert_snapshot!(result(&out));
}

#[test]
fn the_readme_google_example_matches_the_report() {
    let out = tfscope(&["cost", FIXTURE, "--env", "dev"]);
    assert_eq!(code(&out), 0, "{}", result(&out));
    crate::assert_readme_shows(
        "tfscope cost tests/fixtures/cost_google --env dev",
        &stdout(&out),
    );
}

#[test]
fn custom_shapes_outside_the_old_tables_are_read_from_their_names() {
    let v = cost_of(
        r#"
resource "google_sql_database_instance" "zonal" {
  settings {
    tier = "db-custom-4-7680"
  }
}

resource "google_sql_database_instance" "regional" {
  settings {
    tier              = "db-custom-4-7680"
    availability_type = "REGIONAL"
  }
}

resource "google_sql_database_instance" "odd" {
  settings {
    tier = "db-custom-3-7680"
  }
}

resource "google_compute_instance" "n1" {
  machine_type = "custom-4-5120"
}

resource "google_compute_instance" "n1_odd" {
  machine_type = "custom-3-5120"
}

resource "google_compute_instance" "n2" {
  machine_type = "n2-custom-6-20480"
}

resource "google_compute_instance" "e2" {
  machine_type = "e2-custom-6-10240"
}

resource "google_compute_instance" "e2_too_big" {
  machine_type = "e2-custom-32-196608"
}

resource "google_compute_instance" "ext" {
  machine_type = "custom-2-15360-ext"
}

resource "google_compute_instance" "weird" {
  machine_type = "weird-custom-2-2048"
}

resource "google_container_node_pool" "pool" {
  location   = "us-central1-a"
  node_count = 2
  node_config {
    machine_type = "n2-custom-6-20480"
  }
}

resource "google_container_cluster" "default_pool" {
  location           = "us-central1-b"
  initial_node_count = 1
  node_config {
    machine_type = "e2-custom-6-10240"
  }
}
"#,
    );
    // Cloud SQL db-custom-4-7680 (4 vCPUs, 7680 MB = 7.5 GB), zonal: 4 x 730 h x $0.0413 =
    // $120.596; 7.5 GB x 730 h x $0.007 = $38.325; 10 GB SSD (disk_size unset) x $0.17 = $1.70.
    let db = "google_sql_database_instance.zonal";
    near(component(&v, db, "vCPU"), 120.596);
    near(component(&v, db, "memory"), 38.325);
    near(resource(&v, db), 120.596 + 38.325 + 1.70);
    // REGIONAL (high availability) doubles all three: $241.192 + $76.65 + $3.40.
    let ha = "google_sql_database_instance.regional";
    near(component(&v, ha, "vCPU"), 241.192);
    near(component(&v, ha, "memory"), 76.65);
    near(resource(&v, ha), 241.192 + 76.65 + 3.40);
    // N1 custom-4-5120: 4 x $0.033191 + 5 GB x $0.004446 = $0.154994 an hour x 730 = $113.146;
    // boot disk 10 GB pd-standard x $0.04 = $0.40.
    let n1 = "google_compute_instance.n1";
    near(component(&v, n1, "vCPU"), 4.0 * 0.033191 * 730.0);
    near(component(&v, n1, "memory"), 5.0 * 0.004446 * 730.0);
    near(resource(&v, n1), 113.146 + 0.40);
    // N2 n2-custom-6-20480: 6 x $0.033191 + 20 GB x $0.004449 = $0.288126 an hour x 730 =
    // $210.332 (infracost's golden file: $116.30 + $51.96 after its 20% sustained-use
    // discount, / 0.8 = $210.33).
    let n2 = "google_compute_instance.n2";
    near(component(&v, n2, "vCPU"), 145.37658);
    near(component(&v, n2, "memory"), 64.9554);
    near(resource(&v, n2), 210.332 + 0.40);
    // E2 e2-custom-6-10240 at the E2 rates: 6 x $0.021811 + 10 GB x $0.002923 = $0.160096 an
    // hour x 730 = $116.870.
    let e2 = "google_compute_instance.e2";
    near(component(&v, e2, "vCPU"), 6.0 * 0.021811 * 730.0);
    near(component(&v, e2, "memory"), 10.0 * 0.002923 * 730.0);
    near(resource(&v, e2), 116.870 + 0.40);
    // N1 extended memory, custom-2-15360-ext: 2 vCPUs x $0.033191 x 730 = $48.459; 13 GB (6.5
    // per vCPU) x $0.004446 x 730 = $42.193; the other 2 GB at the extended-memory rate,
    // 2 x $0.00955 x 730 = $13.943 (infracost: $9.76 after 30% sustained use, / 0.7 = $13.94).
    let ext = "google_compute_instance.ext";
    near(component(&v, ext, "vCPU"), 48.45886);
    near(component(&v, ext, "memory"), 42.19254);
    near(component(&v, ext, "extended memory"), 13.943);
    // Node pool: 2 nodes in one zone of n2-custom-6-20480: 2 x $210.332, + 2 x 100 GB
    // pd-balanced x $0.10 = $20.
    let pool = "google_container_node_pool.pool";
    near(
        component(&v, pool, "vCPU") + component(&v, pool, "memory"),
        2.0 * 210.332,
    );
    // A zonal cluster's default pool: 1 node of e2-custom-6-10240 ($116.870), its 100 GB
    // pd-balanced boot disk ($10) and the cluster fee ($73).
    near(
        resource(&v, "google_container_cluster.default_pool"),
        73.0 + 116.870 + 10.0,
    );
    // Shapes Google rejects, or of no known family, are reported, never counted as zero:
    // Cloud SQL and N1 custom shapes take 1 or an even number of vCPUs; E2 has at most 128 GB;
    // "weird" is no family at all.
    let unpriced = v["unpriced"].to_string();
    for odd in [
        "google_sql_database_instance.odd",
        "google_compute_instance.n1_odd",
        "google_compute_instance.e2_too_big",
        "google_compute_instance.weird",
    ] {
        assert!(unpriced.contains(odd), "{odd} in {unpriced}");
    }
}

#[test]
fn managed_instance_groups_are_priced_by_their_template() {
    let v = cost_of(
        r#"
resource "google_compute_instance_template" "web" {
  machine_type = "e2-standard-2"
  disk {
    boot         = true
    disk_size_gb = 20
    disk_type    = "pd-balanced"
  }
}

resource "google_compute_instance_template" "n2" {
  machine_type = "n2-custom-6-20480"
  disk {
    boot = true
  }
}

resource "google_compute_region_instance_group_manager" "web" {
  region      = "us-central1"
  target_size = 3
  version {
    instance_template = google_compute_instance_template.web.self_link_unique
  }
}

resource "google_compute_instance_group_manager" "n2" {
  zone        = "us-central1-a"
  target_size = 2
  version {
    instance_template = google_compute_instance_template.n2.id
  }
}

resource "google_compute_instance_group_manager" "autoscaled" {
  zone = "us-central1-a"
  version {
    instance_template = google_compute_instance_template.web.id
  }
}
"#,
    );
    // 3 VMs of e2-standard-2: 3 x (2 x $0.021811 + 8 GB x $0.002923) = 3 x $0.067006 an hour
    // x 730 = $146.743; boot disks 3 x 20 GB pd-balanced x $0.10 = $6.00.
    let web = "google_compute_region_instance_group_manager.web";
    near(
        component(&v, web, "vCPU") + component(&v, web, "memory"),
        3.0 * 0.067006 * 730.0,
    );
    near(component(&v, web, "boot disk"), 6.0);
    // 2 VMs of n2-custom-6-20480: 2 x $210.332 = $420.664; boot disks 2 x 10 GB pd-standard
    // (both unset) x $0.04 = $0.80.
    near(
        resource(&v, "google_compute_instance_group_manager.n2"),
        420.664 + 0.80,
    );
    // Sized by an autoscaler (no target_size): reported, not counted as zero.
    let unpriced = v["unpriced"].to_string();
    assert!(
        unpriced.contains("google_compute_instance_group_manager.autoscaled"),
        "{unpriced}"
    );
}
