//! Process start-up: note the time, parse the command line, hand over to the CLI.

use archboard::cli::{parse_args, run};
use std::process::ExitCode;

fn main() -> ExitCode {
    // First thing, so `--timings` counts everything after the process was loaded.
    let started = std::time::Instant::now();
    match parse_args() {
        Ok(cli) => run(cli, started),
        Err(code) => code,
    }
}
