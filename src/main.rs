//! Process start-up: tune the allocator, note the time, parse the command line, hand over to the
//! CLI.

#[cfg(not(target_arch = "wasm32"))]
use archboard::cli::{parse_args, run};
#[cfg(not(target_arch = "wasm32"))]
use std::process::ExitCode;

/// In a browser the page is the command line: its address says what to open.
#[cfg(target_arch = "wasm32")]
fn main() {
    archboard::app::web::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> ExitCode {
    tune_allocator();
    // First thing after that, so `--timings` counts everything after the process was loaded.
    let started = std::time::Instant::now();
    match parse_args() {
        Ok(cli) => run(cli, started),
        Err(code) => code,
    }
}

/// glibc's malloc gives each thread that allocates its own arena and keeps what each frees for
/// later. Opening a big board parses on one worker, reviews on another and lays out links on a
/// third, so every arena keeps its own peak: with the board of `archboard generate 100000` the
/// window held 337 MB, where one arena that hands back free memory above 1 MiB holds 251 MB
/// (`archboard bench`), frame times unchanged. glibc reads these settings only at start, so the
/// process starts itself again once with them set, unless the user chose their own. `exec`
/// keeps the process id; it returns only when it fails, and then the process goes on untuned.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn tune_allocator() {
    use std::os::unix::process::CommandExt;
    if std::env::var_os("MALLOC_ARENA_MAX").is_some() {
        return;
    }
    let Ok(exe) = std::env::current_exe() else {
        return;
    };
    let _failed = std::process::Command::new(exe)
        .args(std::env::args_os().skip(1))
        .env("MALLOC_ARENA_MAX", "1")
        .env("MALLOC_TRIM_THRESHOLD_", "1048576")
        .exec();
}

#[cfg(not(any(all(target_os = "linux", target_env = "gnu"), target_arch = "wasm32")))]
fn tune_allocator() {}
