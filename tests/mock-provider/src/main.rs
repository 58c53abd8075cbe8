//! tfscope's mock Terraform provider.
//!
//! One binary, installed under several names
//! (`terraform-provider-<NAME>_v<VERSION>`): the name decides which provider
//! it is, and the section `providers.<NAME>` of the JSON schema file named by
//! `TFSCOPE_MOCK_SCHEMA` decides which resource and data source types it
//! serves. Every attribute is typed `dynamic`, so any value shape passes.
//!
//! Behaviour (see README.md beside Cargo.toml):
//! - plan (create): computed attributes left null by the config are unknown,
//!   or, with a `fake` template, a known value built from it;
//! - plan (update): computed attributes keep their prior values; never replace;
//! - apply: unknowns become fake strings (`id` = `<type>-<16 hex>`); every
//!   create/update/delete is appended as one JSON line to `TFSCOPE_MOCK_LOG`;
//! - read returns the prior state; data sources return their config with
//!   computed attributes filled with deterministic fakes;
//! - `TFSCOPE_MOCK_FAULT` makes chosen creates, updates and deletes fail or
//!   stall (`fault.rs`).
//!
//! `terraform-provider-<NAME> --check` loads the schema and the fault rules
//! and prints what it would serve, without serving.

mod cty;
mod fault;
mod mock;
mod schema_file;

use std::process::ExitCode;

/// `terraform-provider-aws_v5.99.0` → `aws`. Provider type names cannot
/// contain `_`, so the name ends at the first one.
fn provider_name(argv0: &str) -> String {
    let file = std::path::Path::new(argv0)
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    let file = file.strip_suffix(".exe").unwrap_or(&file);
    let rest = file.strip_prefix("terraform-provider-").unwrap_or(file);
    rest.split('_').next().unwrap_or(rest).to_string()
}

/// Ignore SIGINT, as providers built on HashiCorp's go-plugin do. A Ctrl-C
/// in a terminal reaches the whole foreground process group, provider
/// included; Terraform handles it and stops its providers itself
/// (StopProvider), waiting for the operations in flight. Without this the
/// mock would die mid-operation ("Plugin did not respond"). This matters
/// for Terraform 1.0.3 in particular: a SIGINT sent to its outer (panicwrap)
/// process alone is not passed on, so only one sent to the whole process
/// group stops it.
fn ignore_sigint() {
    // SAFETY: SIG_IGN runs no handler code; no other thread exists yet.
    unsafe {
        libc::signal(libc::SIGINT, libc::SIG_IGN);
    }
}

fn main() -> ExitCode {
    // tf-provider captures a backtrace into every diagnostic when backtraces
    // are enabled (RUST_BACKTRACE=1 in a developer's shell): keep them out of
    // the messages Terraform shows. Panics still honour RUST_BACKTRACE.
    std::env::set_var("RUST_LIB_BACKTRACE", "0");
    let argv0 = std::env::args().next().unwrap_or_default();
    let name = provider_name(&argv0);
    let def = schema_file::load(&name);
    let faults = fault::from_env();

    if std::env::args().nth(1).as_deref() == Some("--check") {
        return match (def, faults) {
            (Ok(d), Ok(rules)) => {
                println!(
                    "provider {name}: {} resource types, {} data source types, {} config attributes, {} config blocks",
                    d.resources.len(),
                    d.data_sources.len(),
                    d.config.attributes.len(),
                    d.config.blocks.len()
                );
                if !rules.is_empty() {
                    println!("{}: {} fault rules", fault::FAULT_ENV, rules.len());
                }
                ExitCode::SUCCESS
            }
            (Err(e), _) | (_, Err(e)) => {
                eprintln!("terraform-provider-{name}: error: {e}");
                ExitCode::FAILURE
            }
        };
    }

    if std::env::var_os("TF_PLUGIN_MAGIC_COOKIE").is_none() {
        eprintln!(
            "terraform-provider-{name}: this is a Terraform provider plugin (tfscope's mock); \
             Terraform starts it. Run it with --check to validate {}.",
            schema_file::SCHEMA_ENV
        );
        return ExitCode::FAILURE;
    }
    for e in [def.as_ref().err(), faults.as_ref().err()]
        .into_iter()
        .flatten()
    {
        // Terraform shows this as a diagnostic too (GetProviderSchema).
        eprintln!("terraform-provider-{name}: error: {e}");
    }

    ignore_sigint();
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("terraform-provider-{name}: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let provider = mock::MockProvider::new(name.clone(), def, faults);
    let prefix = mock::type_prefix(&name).to_string();
    match runtime.block_on(tf_provider::serve(prefix, provider)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("terraform-provider-{name}: {e:#}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::provider_name;

    #[test]
    fn name_from_executable() {
        assert_eq!(provider_name("/m/terraform-provider-aws_v5.99.0"), "aws");
        assert_eq!(
            provider_name("terraform-provider-azurerm_v4.0.0"),
            "azurerm"
        );
        assert_eq!(provider_name("terraform-provider-null"), "null");
        assert_eq!(provider_name("./terraform-provider-mock"), "mock");
        assert_eq!(
            provider_name("terraform-provider-google-beta_v6.0.0"),
            "google-beta"
        );
    }

    #[test]
    fn google_beta_serves_google_types() {
        assert_eq!(crate::mock::type_prefix("google-beta"), "google");
        assert_eq!(crate::mock::type_prefix("aws"), "aws");
    }
}
