//! `tfscope targets`: one `-target=ADDR` per line for a scope, or a failure (never an empty list,
//! which would make Terraform act on everything).

use super::{action, finish, CommandResult};
use crate::app::args::TargetsArgs;
use crate::app::exit::Exit;
use crate::app::printer::Out;
use crate::app::settings::{Global, Settings};
use crate::load::address::target_flag;
use crate::target::{nothing_to_target, target_list, Selection};

pub fn run(args: TargetsArgs, global: &Global, out: &mut Out) -> CommandResult {
    let a = Settings::resolve(global, args.dir, args.env)?.analyse()?;
    let selection = Selection::named(&a.config, &args.scope)?;
    let action = action(args.destroy);
    let analysis = (&a.graph, &a.class, &a.instances);
    let list = target_list(analysis, selection, action, args.expand)?;
    if list.is_empty() {
        let mut warnings = finish(a);
        warnings.push(nothing_to_target(action, &args.scope));
        return Ok((Exit::Findings, warnings));
    }
    for address in list {
        out.line(target_flag(&address));
    }
    Ok((Exit::Ok, finish(a)))
}
