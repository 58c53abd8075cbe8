//! The tfscope binary: parse arguments, run, exit. Everything else is in the library.

use clap::Parser;

/// mimalloc: the analysis makes millions of small allocations on two threads (names, references,
/// map nodes); glibc malloc spent about a quarter of a profile on them and fragmented the heap
/// across the parse threads.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let cli = tfscope::app::Cli::parse();
    let code = tfscope::app::run(cli);
    std::process::exit(code.code());
}
