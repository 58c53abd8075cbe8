//! tfscope's evaluator of Terraform expressions: values with unknowns (`value`), expressions
//! (`expr`), built-in functions (`functions`) and type conversion (`types`). It knows
//! nothing of modules or files: names are looked up through a [`Resolver`].

pub mod instances;

mod expr;
mod functions;
mod types;
mod value;

pub use expr::{evaluate, get_attr, index, NoNames, Resolver};
pub use types::convert;
pub use value::{fail, format_number, EvalError, Result, Value};
