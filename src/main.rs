//! Process start-up: parse the command line, then run headless or open the window.

use archboard::cli::{Cli, run_headless};
use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(command) => run_headless(command),
        None => match archboard::app::run_window(cli.file) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("archboard: {e:#}");
                ExitCode::FAILURE
            }
        },
    }
}
