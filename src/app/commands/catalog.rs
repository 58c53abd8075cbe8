//! `tfscope catalog`: what the configuration uses that the catalog cannot classify (exit 1 when
//! anything), the catalog's coverage (`--coverage`), or one type (`--type`).

use super::{finish, CommandResult};
use crate::app::args::{CatalogArgs, Format};
use crate::app::exit::Exit;
use crate::app::printer::Out;
use crate::app::settings::{Global, Settings};
use crate::classify::catalog::Catalog;
use crate::classify::gaps;

pub fn run(args: CatalogArgs, global: &Global, out: &mut Out) -> CommandResult {
    let catalog = Catalog::builtin();
    if args.coverage {
        match args.format {
            Format::Json => out.json(&catalog.coverage()),
            f => out.line(gaps::coverage_text(catalog, matches!(f, Format::Markdown))),
        }
        return Ok((Exit::Ok, Vec::new()));
    }
    if let Some(name) = args.type_name {
        let described = gaps::describe_type(catalog, &name);
        let found = described.is_some();
        out.line(described.unwrap_or_else(|| gaps::not_in_catalog(&name)));
        return Ok((Exit::findings_if(!found), Vec::new()));
    }
    let a = Settings::resolve(global, args.dir, args.env)?.analyse()?;
    let gaps = gaps::gaps(&a.graph, &a.class, &a.config, catalog);
    match args.format {
        Format::Json => out.json(&gaps::gaps_json(&gaps)),
        _ => out.line(gaps::gaps_text(&gaps)),
    }
    Ok((Exit::findings_if(!gaps.is_empty()), finish(a)))
}
