//! Command-line interface: the arguments (`args.rs`) and the headless subcommands, one file per
//! group. `run` picks the window or a subcommand; `run_headless` sends each subcommand to its file.
//!
//! Headless commands never touch a display, so they run in CI, over SSH and in scripts.

mod args;
mod boards;
mod diagrams;
mod practice;
mod rooms;

pub use args::{Cli, GenerateLayout, JoinRole, Subcommand, mistyped_command, parse_args};
pub use boards::{check, export, review};
pub use rooms::{pull, push};

use crate::persistence;
use std::io::Write;
use std::process::ExitCode;

/// Exit code for "some input was not valid" (clap uses the same code for bad arguments).
pub const EXIT_INVALID: u8 = 2;

/// Runs what the command line asks for. `started` is when the process started.
pub fn run(cli: Cli, started: std::time::Instant) -> ExitCode {
    let join = match &cli.command {
        Some(Subcommand::Bench { join, .. }) => join.as_deref(),
        _ => cli.join.as_deref(),
    };
    let join = match join.map(crate::collab::RoomUrl::parse).transpose() {
        Ok(j) => j,
        Err(e) => {
            let _ = writeln!(std::io::stderr().lock(), "error: {e}");
            return ExitCode::from(EXIT_INVALID);
        }
    };
    let launch = |file, bench: Option<usize>, join| crate::app::Launch {
        file,
        started,
        timings: cli.timings || bench.is_some(),
        bench,
        join,
        name: cli.name.clone(),
        role: cli.role.into(),
    };
    let window = match cli.command {
        None => launch(cli.file, None, join),
        Some(Subcommand::Bench { file, frames, .. }) => {
            // Fail here, with the file named, rather than benchmark an empty board.
            if let Err(e) = persistence::load_board(&file) {
                let _ = writeln!(std::io::stderr().lock(), "error: {e}");
                return ExitCode::from(EXIT_INVALID);
            }
            launch(Some(file), Some(frames as usize), join)
        }
        Some(command) => return run_headless(command),
    };
    match crate::app::run_window(window) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let _ = writeln!(std::io::stderr().lock(), "archboard: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Runs a headless subcommand.
pub fn run_headless(command: Subcommand) -> ExitCode {
    // Unlocked handles (each write takes the lock): the relay logs from its connection threads
    // while this thread waits in `serve`, so holding the lock here would stall them.
    let (out, err) = (&mut std::io::stdout(), &mut std::io::stderr());
    let code = match command {
        Subcommand::Bench { .. } => {
            let _ = writeln!(err, "error: bench needs a window");
            EXIT_INVALID
        }
        Subcommand::Review { file } => review(&file, out, err),
        Subcommand::Serve {
            bind,
            port,
            dir,
            token,
            view_token,
            max_per_address,
            tls_cert,
            tls_key,
            web,
        } => {
            let opts = crate::collab::relay::RelayOptions {
                bind,
                port,
                dir,
                token,
                view_token,
                max_per_address,
                tls: None,
                web,
            };
            rooms::serve(opts, tls_cert.zip(tls_key), err)
        }
        Subcommand::Loadtest {
            url,
            rooms,
            peers,
            rate,
            seconds,
        } => rooms::loadtest(
            &crate::collab::loadtest::Plan {
                server: url,
                rooms,
                peers,
                rate,
                seconds,
            },
            out,
            err,
        ),
        Subcommand::Push { file, url } => push(&file, &url, out, err),
        Subcommand::Pull { url, output } => pull(&url, &output, out, err),
        Subcommand::Check { files } => check(&files, out, err),
        Subcommand::Problems => practice::problems(out, err),
        Subcommand::New { file, problem } => practice::new(&file, &problem, out, err),
        Subcommand::Report { file, output } => practice::report(&file, &output, out, err),
        Subcommand::Import {
            input,
            output,
            page,
        } => diagrams::import(&input, &output, page, out, err),
        Subcommand::Export {
            file,
            output,
            scale,
            background,
            padding,
            selection_ids,
        } => {
            let opts = crate::export::ExportOptions {
                scale,
                background,
                padding,
                selection: selection_ids
                    .map(|ids| ids.into_iter().map(crate::model::BlockId).collect()),
            };
            export(&file, &output, &opts, out, err)
        }
        Subcommand::Generate {
            blocks,
            links,
            output,
            layout,
        } => boards::generate(
            blocks as usize,
            links.unwrap_or(blocks) as usize,
            layout.into(),
            &output,
            out,
            err,
        ),
    };
    ExitCode::from(code)
}

/// The palette the window would use (bundled plus the user's own); a user palette that cannot
/// be read is reported as a note and left out, as the window does.
pub(crate) fn user_palette(err: &mut dyn Write) -> crate::palette::Palette {
    let (palette, problems) = crate::palette::Palette::for_user();
    for p in problems {
        let _ = writeln!(err, "note: palette not loaded: {p}");
    }
    palette
}

/// Loads a board file for a subcommand; a file that cannot be loaded is reported on `err` and
/// gives the exit code.
fn load(file: &std::path::Path, err: &mut dyn Write) -> Result<crate::model::Board, u8> {
    persistence::load_board(file).map_err(|e| {
        let _ = writeln!(err, "error: {e}");
        EXIT_INVALID
    })
}

/// Saves `board` to `output` and prints its counts followed by `after` (` from URL`, say).
/// Returns the exit code.
fn save(
    output: &std::path::Path,
    board: &crate::model::Board,
    after: &str,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> u8 {
    match persistence::save_board(output, board) {
        Ok(()) => {
            let counts = crate::text::counts_line(board.blocks.len(), board.links.len());
            let _ = writeln!(out, "{counts}{after}");
            0
        }
        Err(e) => {
            let _ = writeln!(err, "error: {e}");
            EXIT_INVALID
        }
    }
}
