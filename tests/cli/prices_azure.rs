//! Azure prices (data/prices/azure.toml): every azurerm and azapi type the catalog knows is
//! priced, free or unpriced with a reason; list prices checked by hand; and the Azure fixture
//! (tests/fixtures/cost_azure), a small environment as a new user writes it.

use insta::assert_snapshot;
use tfscope::classify::catalog::Catalog;
use tfscope::cost::coverage::price_coverage;
use tfscope::cost::price::PriceList;

use crate::{classified, code, fixture, result, stdout, tfscope};

#[test]
fn every_azure_type_is_priced_free_or_unpriced_with_a_reason() {
    let prices = PriceList::builtin();
    for provider in ["azurerm", "azapi"] {
        let c = price_coverage(&prices, Catalog::builtin(), provider);
        println!("{}", c.summary());
        for (reason, types) in &c.unpriced {
            println!("  unpriced {:>4}: {reason}", types.len());
        }
        assert!(
            c.missing.is_empty(),
            "{}: missing {:#?}",
            c.summary(),
            c.missing
        );
    }
    let azurerm = price_coverage(&prices, Catalog::builtin(), "azurerm");
    for t in [
        "azurerm_linux_virtual_machine",
        "azurerm_postgresql_flexible_server",
        "azurerm_container_app",
        "azurerm_kubernetes_cluster",
        "azurerm_mssql_database",
        "azurerm_redis_cache",
        "azurerm_application_gateway",
        "azurerm_service_plan",
    ] {
        assert!(azurerm.priced.contains(&t.to_string()), "{t} is not priced");
    }
    for t in [
        "azurerm_resource_group",
        "azurerm_virtual_network",
        "azurerm_subnet",
        "azurerm_network_security_group",
        "azurerm_network_security_rule",
        "azurerm_role_assignment",
        "azurerm_route_table",
        "azurerm_mssql_server",
    ] {
        assert!(azurerm.free.contains(&t.to_string()), "{t} is not free");
    }
}

/// `tfscope cost --format json` of one `main.tf` (East US, the base region), as
/// `(address, component) -> monthly`.
fn priced(main_tf: &str, extra: &[&str]) -> Vec<(String, String, f64)> {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("main.tf"), main_tf).unwrap();
    let dir = tmp.path().to_str().unwrap();
    let mut args = vec!["cost", "--format", "json", dir];
    args.extend(extra);
    let out = tfscope(&args);
    assert_eq!(code(&out), 0, "{}", result(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let mut rows = Vec::new();
    for r in v["resources"].as_array().unwrap() {
        for c in r["components"].as_array().unwrap() {
            rows.push((
                r["address"].as_str().unwrap().to_string(),
                c["name"].as_str().unwrap().to_string(),
                c["monthly"].as_f64().unwrap(),
            ));
        }
    }
    rows
}

fn monthly(rows: &[(String, String, f64)], address: &str, component: &str) -> f64 {
    rows.iter()
        .find(|(a, c, _)| a == address && c == component)
        .unwrap_or_else(|| panic!("no {address} {component:?} in {rows:#?}"))
        .2
}

fn assert_cents(got: f64, want: f64, what: &str) {
    assert!((got - want).abs() < 0.006, "{what}: {got} != {want}");
}

const HAND_CHECKED: &str = r#"
resource "azurerm_postgresql_flexible_server" "db" {
  name                   = "psql"
  resource_group_name    = "rg"
  location               = "eastus"
  sku_name               = "B_Standard_B1ms"
  storage_mb             = 32768
  administrator_login    = "admin"
  administrator_password = "x"
}

resource "azurerm_postgresql_flexible_server" "ha" {
  name                = "psql-ha"
  resource_group_name = "rg"
  location            = "eastus"
  sku_name            = "GP_Standard_D2ds_v5"
  storage_mb          = 65536
  high_availability {
    mode = "ZoneRedundant"
  }
}

resource "azurerm_linux_virtual_machine" "vm" {
  name                = "vm"
  resource_group_name = "rg"
  location            = "eastus"
  size                = "Standard_B1s"
  admin_username      = "azureuser"
  os_disk {
    caching              = "ReadWrite"
    storage_account_type = "Premium_LRS"
  }
}

resource "azurerm_nat_gateway" "nat" {
  name                = "ng"
  resource_group_name = "rg"
  location            = "eastus"
}

resource "azurerm_public_ip" "ip" {
  name                = "pip"
  resource_group_name = "rg"
  location            = "eastus"
  allocation_method   = "Static"
  sku                 = "Standard"
}

resource "azurerm_servicebus_namespace" "sb" {
  name                = "sb"
  resource_group_name = "rg"
  location            = "eastus"
  sku                 = "Standard"
}

resource "azurerm_container_app" "app" {
  name                         = "ca"
  container_app_environment_id = "x"
  resource_group_name          = "rg"
  revision_mode                = "Single"
  template {
    min_replicas = 1
    container {
      name   = "web"
      image  = "nginx"
      cpu    = 0.5
      memory = "1Gi"
    }
  }
}

resource "azurerm_log_analytics_workspace" "logs" {
  name                = "log"
  resource_group_name = "rg"
  location            = "eastus"
  sku                 = "PerGB2018"
}
"#;

/// List prices in East US (USD, 730 hours a month), worked out by hand.
#[test]
fn hand_checked_list_prices() {
    let rows = priced(HAND_CHECKED, &[]);
    let at = |a: &str, c: &str| monthly(&rows, a, c);
    // PostgreSQL flexible server B_Standard_B1ms: $0.017/h x 730 h = $12.41; 32 GiB of storage
    // (storage_mb 32768 / 1024) x $0.115/GB-month = $3.68.
    let db = "azurerm_postgresql_flexible_server.db";
    assert_cents(at(db, "compute"), 12.41, "B_Standard_B1ms compute");
    assert_cents(at(db, "storage"), 3.68, "B1ms storage");
    // High availability bills a standby of the same size: GP_Standard_D2ds_v5 $0.178/h x 730 h
    // x 2 = $259.88; 64 GiB x $0.115 x 2 = $14.72.
    let ha = "azurerm_postgresql_flexible_server.ha";
    assert_cents(at(ha, "compute"), 259.88, "D2ds_v5 with HA");
    assert_cents(at(ha, "storage"), 14.72, "storage with HA");
    // VM Standard_B1s (Linux): $0.0104/h x 730 h = $7.592; its 30 GiB Premium SSD OS disk is a
    // P4 (up to 32 GiB): $5.28 a month.
    let vm = "azurerm_linux_virtual_machine.vm";
    assert_cents(at(vm, "compute"), 7.592, "Standard_B1s");
    assert_cents(at(vm, "OS disk"), 5.28, "P4 OS disk");
    // NAT gateway: $0.045/h x 730 h = $32.85; 50 GB processed (default usage) x $0.045 = $2.25.
    let nat = "azurerm_nat_gateway.nat";
    assert_cents(at(nat, "gateway hours"), 32.85, "NAT gateway hours");
    assert_cents(at(nat, "data processed"), 2.25, "NAT data processed");
    // Standard static public IP: $0.005/h x 730 h = $3.65.
    assert_cents(
        at("azurerm_public_ip.ip", "IPv4 address"),
        3.65,
        "public IP",
    );
    // Service Bus Standard base charge: $0.0135/h x 730 h = $9.855 (13M operations included).
    assert_cents(
        at("azurerm_servicebus_namespace.sb", "base charge"),
        9.855,
        "Service Bus Standard",
    );
    // Container Apps, one idle min replica of 0.5 vCPU / 1 GiB: idle vCPU $0.000003/s =
    // $0.0108/h x 0.5 x 730 = $3.942; memory $0.000003/GiB-s = $0.0108/h x 1 x 730 = $7.884.
    let app = "azurerm_container_app.app";
    assert_cents(at(app, "vCPU (min replicas, idle)"), 3.942, "idle vCPU");
    assert_cents(at(app, "memory (min replicas, idle)"), 7.884, "idle memory");
    assert_cents(at(app, "vCPU (active)"), 0.0, "no active share by default");
    // Log Analytics PerGB2018: 10 GB ingested (default usage) x $2.30/GB = $23.00.
    assert_cents(
        at("azurerm_log_analytics_workspace.logs", "data ingestion"),
        23.0,
        "Log Analytics ingestion",
    );
}

/// Usage values change the usage-based components: 50 GB of logs, and the replica active a
/// quarter of the time.
#[test]
fn usage_changes_azure_figures() {
    let tmp = tempfile::tempdir().unwrap();
    let usage = tmp.path().join("usage.toml");
    std::fs::write(
        &usage,
        "[azurerm_log_analytics_workspace]\ngb_ingested = 50\n\n[azurerm_container_app]\nactive_share = 0.25\n",
    )
    .unwrap();
    let rows = priced(HAND_CHECKED, &["--usage", usage.to_str().unwrap()]);
    let at = |a: &str, c: &str| monthly(&rows, a, c);
    // 50 GB x $2.30 = $115.00.
    assert_cents(
        at("azurerm_log_analytics_workspace.logs", "data ingestion"),
        115.0,
        "50 GB of logs",
    );
    // Active a quarter of 730 h: 0.5 vCPU x 182.5 h x $0.0864 = $7.884; idle the rest:
    // 0.5 x 547.5 h x $0.0108 = $2.9565.
    let app = "azurerm_container_app.app";
    assert_cents(at(app, "vCPU (active)"), 7.884, "active vCPU");
    assert_cents(at(app, "vCPU (min replicas, idle)"), 2.9565, "idle vCPU");
}

/// The fixture classifies sensibly: the network, data, registry, vault, logs and DNS zone are
/// base; the container app, its environment and identity (with its role assignments) runtime.
#[test]
fn azure_fixture_classifies_sensibly() {
    let dir = fixture("cost_azure");
    let all = classified(&dir);
    let scope = |addr: &str| {
        all.iter()
            .find(|(a, _, _)| a == addr)
            .unwrap_or_else(|| panic!("{addr} not classified: {all:#?}"))
            .1
            .clone()
    };
    for base in [
        "azurerm_virtual_network.main",
        "azurerm_nat_gateway.main",
        "azurerm_public_ip.nat",
        "azurerm_postgresql_flexible_server.main",
        "azurerm_log_analytics_workspace.main",
        "azurerm_container_registry.main",
        "azurerm_servicebus_namespace.main",
        "azurerm_key_vault.main",
        "azurerm_dns_zone.main",
    ] {
        assert_eq!(scope(base), "base", "{base}");
    }
    for runtime in [
        "azurerm_container_app.web",
        "azurerm_container_app_environment.main",
        "azurerm_user_assigned_identity.app",
        "azurerm_role_assignment.acr_pull",
    ] {
        assert_eq!(scope(runtime), "runtime", "{runtime}");
    }
}

/// The fixture's cost report (the README's Azure example): runtime costs something, schedules
/// save on it, and no type is missing from the price list.
#[test]
fn azure_fixture_cost_report() {
    let dir = fixture("cost_azure");
    let out = tfscope(&["cost", &dir]);
    assert_eq!(code(&out), 0, "{}", result(&out));
    let text = stdout(&out);
    assert!(!text.contains("the price catalog does not list"), "{text}");
    let json = tfscope(&["cost", "--format", "json", &dir]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
    let runtime = crate::cost_figure(&v, "scopes", "runtime", "monthly");
    assert!(runtime > 0.0, "{v}");
    let nights = crate::cost_figure(&v, "schedules", "nights", "savings");
    assert!(nights > 0.0, "{v}");
    // West Europe (var.location): Log Analytics has an exact figure, 10 GB x $2.99 = $29.90;
    // the PostgreSQL server the region's factor, $0.017 x 730 h x 1.152 = $14.30.
    let component = |address: &str, name: &str| {
        v["resources"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["address"] == address)
            .and_then(|r| {
                r["components"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|c| c["name"] == name)
            })
            .unwrap_or_else(|| panic!("{address} {name}: {v}"))["monthly"]
            .as_f64()
            .unwrap()
    };
    assert_cents(
        component("azurerm_log_analytics_workspace.main", "data ingestion"),
        29.9,
        "Log Analytics in West Europe",
    );
    assert_cents(
        component("azurerm_postgresql_flexible_server.main", "compute"),
        14.30,
        "B1ms in West Europe by factor",
    );
    assert_snapshot!(result(&out));
    // The README's example is this report, shortened with `...`: every line it shows is here.
    crate::assert_readme_shows("tfscope cost tests/fixtures/cost_azure", &text);
}
