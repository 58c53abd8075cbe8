//! `tfscope mock-schema`: the provider schema the end-to-end tests' mock provider serves.

use super::{finish, CommandResult};
use crate::app::args::MockSchemaArgs;
use crate::app::exit::Exit;
use crate::app::printer::Out;
use crate::app::settings::{Global, Settings};
use crate::load::hcl::Detail;

pub fn run(args: MockSchemaArgs, global: &Global, out: &mut Out) -> CommandResult {
    let settings = Settings::resolve(global, args.dir, None)?;
    let a = settings.analyse_with(Detail {
        shapes: true,
        ..Detail::default()
    })?;
    out.json(&crate::output::mock_schema::derive(&a.loaded));
    Ok((Exit::Ok, finish(a)))
}
