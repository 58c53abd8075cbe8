//! Cost reports (work in progress, issue 5): what each scope costs per month, offline, and what
//! tearing the later scopes down on a schedule saves. This module owns the pieces that are done:
//! schedules (`schedule`) and the price catalog with its quantity expressions (`price`).

pub mod estimate;
pub mod evaluate;
pub mod price;
pub mod render;
pub mod schedule;

/// Hours in a billing month, as cloud price pages count them.
pub const HOURS_PER_MONTH: f64 = 730.0;
