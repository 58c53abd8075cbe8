//! tfscope: read a Terraform configuration, build its resource dependency graph, classify every
//! resource into ordered scopes (default `base` < `runtime`), and compute exact `-target` lists.
//!
//! The modules are the pipeline's stages, and data flows one way through them:
//! [`load`] (files → modules) → [`eval`] (values, count/for_each instances) → [`graph`]
//! (addresses and edges) → [`classify`] (scopes with reasons, findings) → [`analysis`] (the four
//! in one call) → [`target`] (closures, `-target` lists, phases, explain) → [`run`] (every
//! Terraform process) → [`output`] (text, JSON, markdown, generated HCL) → [`tag`] (scope tags
//! written into the configuration) → [`cost`] (prices and schedules) → [`diagram`] (the picture
//! `tfscope graph` draws) → [`app`] (the command line). A stage imports only earlier ones, [`error`],
//! [`calendar`] (schedules in a time zone, which settings, CI output and cost share) and itself; `tests/cli/layout.rs` fails when one does not.

pub mod error;

pub mod calendar;

pub mod load;

pub mod eval;

pub mod graph;

pub mod classify;

pub mod analysis;

pub mod target;

pub mod run;

pub mod output;

pub mod tag;

pub mod cost;

pub mod diagram;

pub mod app;

#[cfg(test)]
mod testing;
