//! The tfscope binary: parse arguments, run, exit. Everything else is in the library.

use clap::Parser;

fn main() {
    let cli = tfscope::cli::Cli::parse();
    let code = tfscope::cli::run(cli);
    std::process::exit(code.code());
}
