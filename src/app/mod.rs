//! The command line: the only place with clap, stdout/stderr and exit codes. [`args`] is what
//! clap parses, [`settings`] what a command resolves from it once, `commands` one file per
//! command, [`printer`] where output goes and [`exit`] the exit codes. Policy lives in the
//! library stages; this layer orders calls and prints.

pub mod args;
mod commands;
pub mod exit;
pub mod printer;
pub mod settings;

pub use args::{Cli, Command};
pub use exit::Exit;
pub use settings::REFERENCE_ROOT;

use commands::CommandResult;
use printer::Out;
use settings::Global;

/// Runs a parsed command line and returns the exit code.
pub fn run(cli: Cli) -> Exit {
    let global = Global::of(&cli);
    let mut out = Out::default();
    let result = dispatch(cli.command, &global, &mut out);
    // Data first (stdout), so a pipeline sees it even when a diagnostic follows.
    if let Err(e) = out.flush() {
        eprintln!("error: writing output: {e}");
        return Exit::Error;
    }
    match result {
        Ok((exit, warnings)) => {
            printer::warn(warnings, global.quiet);
            exit
        }
        Err(e) => {
            eprint!("{}", printer::render_error(&e));
            Exit::Error
        }
    }
}

fn dispatch(command: Command, global: &Global, out: &mut Out) -> CommandResult {
    match command {
        Command::Classify(args) => commands::classify::run(args, global, out),
        Command::Targets(args) => commands::targets::run(args, global, out),
        Command::Plan(args) => commands::plan::run(args, global, out),
        Command::Explain(args) => commands::explain::run(args, global, out),
        Command::Up(args) => commands::up_down::up(args, global, out),
        Command::Down(args) => commands::up_down::down(args, global, out),
        Command::Verify(args) => commands::verify::run(args, global, out),
        Command::Status(args) => commands::status::run(args, global, out),
        Command::Graph(args) => commands::graph::run(args, global, out),
        Command::Render(args) => commands::render::run(args, global, out),
        Command::Cost(args) => commands::cost::run(args, global, out),
        Command::Schedule(args) => commands::schedule::run(args, global, out),
        Command::MockSchema(args) => commands::mock_schema::run(args, global, out),
        Command::Catalog(args) => commands::catalog::run(args, global, out),
        Command::Check(args) => commands::check::run(args, global, out),
        Command::Tag(args) => commands::tag::run(args, global, out),
    }
}

#[cfg(test)]
mod tests {
    //! The command-line definition itself: a consistent clap tree.

    use super::*;

    #[test]
    fn the_cli_definition_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
