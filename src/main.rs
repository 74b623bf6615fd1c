//! Process start-up: note the time, parse the command line, hand over to the CLI.

use archboard::cli::{Cli, run};
use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    // First thing, so `--timings` counts everything after the process was loaded.
    let started = std::time::Instant::now();
    run(Cli::parse(), started)
}
