//! tfscope: read a Terraform configuration, build its resource dependency graph, classify every
//! resource into ordered scopes (default `base` < `runtime`), and compute exact `-target` lists.
//!
//! Data flows one way: [`load`] (files → modules) → [`graph`] (addresses and edges) →
//! [`classify`] (scopes with reasons) → [`target`] (closures and `-target` lists) → [`plan`] and
//! [`report`]. The command layer in [`cli`] is thin.

pub mod address;
pub mod analysis;
pub mod catalog;
pub mod check;
pub mod classify;
pub mod cli;
pub mod config;
pub mod cost;
pub mod error;
pub mod eval;
pub mod explain;
pub mod gaps;
pub mod graph;
pub mod hazard;
pub mod hcl_syntax;
pub mod instances;
pub mod json;
pub mod load;
pub mod model;
pub mod parse;
pub mod plan;
pub mod render;
pub mod report;
pub mod runner;
pub mod schema;
pub mod status;
pub mod target;
pub mod templates;
#[cfg(test)]
mod testing;
pub mod verify;
