//! The `stagegate` command: check, evaluate and move deals with a playbook.

mod cli;

use std::process::ExitCode;

use clap::Parser;

// Batch commands allocate and free small values on several threads; mimalloc does that far
// faster than the system allocator. The library leaves the choice to its host.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    ExitCode::from(cli::run(args))
}
