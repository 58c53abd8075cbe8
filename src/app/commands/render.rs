//! `tfscope render`: writes the generated `resource-scopes.tf` (or prints it with `--out -`).

use std::path::Path;

use super::{finish, CommandResult};
use crate::app::args::RenderArgs;
use crate::app::exit::Exit;
use crate::app::printer::Out;
use crate::app::settings::{Global, Settings};
use crate::output::hcl::{render, write, Written, FILE_NAME};

pub fn run(args: RenderArgs, global: &Global, out: &mut Out) -> CommandResult {
    let a = Settings::resolve(global, args.dir, args.env)?.analyse()?;
    let text = render(&a.graph, &a.class);
    let path = args.out.unwrap_or_else(|| a.dir.join(FILE_NAME));
    if path == Path::new("-") {
        out.line(text);
        return Ok((Exit::Ok, finish(a)));
    }
    let what = match write(&path, &text, args.force)? {
        Written::Created => "wrote",
        Written::Updated => "updated",
        Written::Unchanged => "up to date:",
    };
    eprintln!("tfscope: {what} {}", crate::error::display_path(&path));
    Ok((Exit::Ok, finish(a)))
}
