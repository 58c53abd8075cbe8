//! Output: what tfscope prints and writes, for people and scripts. Text tables, stable JSON and
//! markdown ([`report`]), the generated `resource-scopes.tf` ([`hcl`]), the mock provider's
//! schema ([`mock_schema`]) and the one Tera loader every template goes through ([`templates`]).
//! Pure functions from data to strings and atomic file writes; no analysis and no Terraform.

pub mod ci;
pub mod hcl;
pub mod mock_schema;
pub mod report;
pub mod templates;
