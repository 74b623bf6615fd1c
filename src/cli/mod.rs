//! Command-line interface: argument parsing and the headless subcommands.
//!
//! Headless commands never touch a display, so they run in CI, over SSH and in scripts.

mod diagrams;
mod practice;
use crate::persistence;
use crate::text::{count, counts_line};
use clap::{CommandFactory, Parser, Subcommand};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Exit code for "some input was not valid" (clap uses the same code for bad arguments).
pub const EXIT_INVALID: u8 = 2;

#[derive(Debug, Parser)]
#[command(
    name = "archboard",
    version,
    about = "A desktop whiteboard for system-design interviews",
    long_about = "A desktop whiteboard for system-design interviews.\n\n\
                  With no subcommand, opens the app window on FILE (a new board bound to FILE when it \
                  does not exist yet, so Ctrl+S saves it there), or on a new untitled board.",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    /// Board file (.ron) to open in the window.
    pub file: Option<PathBuf>,

    /// Print how long start-up took, up to the first frame on screen, and, when FILE exists,
    /// up to the first frame showing the board it opened (read on a worker meanwhile).
    #[arg(long)]
    pub timings: bool,

    /// Open the window in a shared room (ws://HOST:PORT/ROOM): the room's board, kept in sync
    /// with everyone in it. An empty room gets FILE's board.
    #[arg(long, value_name = "URL")]
    pub join: Option<String>,

    /// Your name, as the others in the room see it.
    #[arg(long, value_name = "NAME", requires = "join", value_parser = parse_name)]
    pub name: Option<String>,

    /// Join as the candidate (draws), the interviewer (draws, keeps private notes) or a viewer
    /// (watches).
    #[arg(long, value_enum, default_value = "candidate", requires = "join")]
    pub role: JoinRole,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum JoinRole {
    Candidate,
    Interviewer,
    Viewer,
}

impl From<JoinRole> for crate::collab::presence::Role {
    fn from(r: JoinRole) -> Self {
        use crate::collab::presence::Role;
        match r {
            JoinRole::Candidate => Role::Candidate,
            JoinRole::Interviewer => Role::Interviewer,
            JoinRole::Viewer => Role::Viewer,
        }
    }
}

/// A name others can read: printable, at most 40 characters.
fn parse_name(s: &str) -> Result<String, String> {
    let name = s.trim();
    if name.is_empty() || name.chars().count() > 40 || name.chars().any(char::is_control) {
        return Err("a name of 1 to 40 printable characters".into());
    }
    Ok(name.to_owned())
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate board files without opening a window: prints `N blocks, M links` per valid
    /// file; exits 2 if any file is invalid, with the reason on stderr.
    Check {
        /// Board files to check.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Export a board without a window, in the format OUTPUT's extension names: .png, .svg,
    /// .excalidraw, .drawio or .mmd (Mermaid).
    Export {
        /// Board file (.ron, or a PNG exported by archboard).
        file: PathBuf,
        /// The file to write.
        #[arg(short, long)]
        output: PathBuf,
        /// Pixels per board unit (any positive number; lowered if the picture would be too big).
        #[arg(long, default_value_t = 2.0, allow_negative_numbers = true)]
        scale: f32,
        /// Background colour; the drawing's theme follows it.
        #[arg(long, value_enum, default_value = "light")]
        background: crate::export::Background,
        /// Margin around the content, in pixels at scale 1.
        #[arg(long, default_value_t = 32.0, allow_negative_numbers = true)]
        padding: f32,
        /// Export only these block ids (comma-separated) and the links between them.
        #[arg(long, value_delimiter = ',')]
        selection_ids: Option<Vec<u64>>,
    },
    /// Open FILE in a window and measure it: pan at 100 %, fit, zoom in and out, pan back, N
    /// frames each; prints the frame interval and the app's CPU time per frame, then exits.
    Bench {
        /// Board file to measure (see `archboard generate`).
        file: PathBuf,
        /// Frames per phase.
        #[arg(long, default_value_t = 300, value_parser = clap::value_parser!(u32).range(2..=100_000))]
        frames: u32,
        /// Measure in this shared room (ws://HOST:PORT/ROOM), peers' pointers and all.
        #[arg(long, value_name = "URL")]
        join: Option<String>,
    },
    /// Print the design review of a board without a window: peak load, single points of
    /// failure, bottlenecks and gaps, one finding per line. Exits 0 when nothing is flagged,
    /// 1 when something is, 2 when the file is invalid.
    Review {
        /// Board file (.ron, or a PNG exported by archboard).
        file: PathBuf,
    },
    /// Run a relay for shared boards (the y-websocket protocol) until Ctrl+C.
    Serve {
        /// Address to listen on; 127.0.0.1 keeps it to this computer, 0.0.0.0 opens it to the
        /// network.
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        #[arg(long, default_value_t = 7317)]
        port: u16,
        /// Keep each room's document in this folder, so rooms survive a restart.
        #[arg(long)]
        dir: Option<PathBuf>,
        /// Refuse peers that do not give this token (?token=… in the room address).
        #[arg(long)]
        token: Option<String>,
        /// Let peers with this token in to watch without editing.
        #[arg(long)]
        view_token: Option<String>,
    },
    /// Put a board file into a shared room (it then holds exactly that board).
    Push {
        /// Board file (.ron, or a PNG exported by archboard).
        file: PathBuf,
        /// Room address, ws://HOST:PORT/ROOM.
        url: String,
    },
    /// Write a shared room's board to a file.
    Pull {
        /// Room address, ws://HOST:PORT/ROOM.
        url: String,
        /// The board file to write (.ron).
        #[arg(short, long)]
        output: PathBuf,
    },
    /// List the practice problems (bundled and the config folder's): id and title.
    Problems,
    /// Start a new board from a practice problem (see `archboard problems`).
    New {
        /// The board file to write (.ron); refused if it exists.
        file: PathBuf,
        /// The problem's id.
        #[arg(long)]
        problem: String,
    },
    /// Write the interview report of a board as Markdown, with the board's PNG beside it
    /// (REPORT with .png for the extension), or as one HTML page when REPORT ends in .html.
    Report {
        /// Board file (.ron, or a PNG exported by archboard).
        file: PathBuf,
        /// The Markdown file to write.
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Import an Excalidraw (.excalidraw, .excalidraw.png/.svg), draw.io (.drawio, .xml,
    /// .drawio.png/.svg) or Mermaid (.mmd, .md) diagram as a board file, and say what was kept
    /// and what was skipped.
    Import {
        /// The diagram to read.
        input: PathBuf,
        /// The board file to write (.ron).
        #[arg(short, long)]
        output: PathBuf,
        /// Which page of a draw.io file, or which chart of a Markdown file (from 1).
        #[arg(long)]
        page: Option<usize>,
    },
    /// Write a synthetic board of N labelled blocks and links, for benchmarks and stress tests.
    Generate {
        /// Number of blocks (at most 200,000).
        #[arg(value_parser = clap::value_parser!(u32).range(1..=200_000))]
        blocks: u32,
        /// Number of links (default: as many as blocks).
        #[arg(long, value_parser = clap::value_parser!(u32).range(0..=400_000))]
        links: Option<u32>,
        /// Where to write the board (.ron).
        #[arg(short, long)]
        output: PathBuf,
        /// Where blocks go: a grid with short links, clusters with some long links, or random
        /// places with links of every length.
        #[arg(long, value_enum, default_value = "grid")]
        layout: GenerateLayout,
    },
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum GenerateLayout {
    Grid,
    Clusters,
    Random,
}

impl From<GenerateLayout> for crate::model::generate::Layout {
    fn from(l: GenerateLayout) -> Self {
        use crate::model::generate::Layout;
        match l {
            GenerateLayout::Grid => Layout::Grid,
            GenerateLayout::Clusters => Layout::Clusters,
            GenerateLayout::Random => Layout::Random,
        }
    }
}

/// Parses the process's arguments. A first argument that looks like a misspelt subcommand is
/// refused before clap sees it, so `archboard chek board.ron` says "did you mean `check`?"
/// instead of opening a board named `chek` (or failing with clap's puzzling message).
pub fn parse_args() -> Result<Cli, ExitCode> {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if let Some(first) = args.get(1).map(Path::new)
        && !first.to_string_lossy().starts_with('-')
        && let Some(hint) = mistyped_command(first)
    {
        let _ = writeln!(std::io::stderr().lock(), "error: {hint}");
        return Err(ExitCode::from(EXIT_INVALID));
    }
    Ok(Cli::parse_from(args))
}

/// Runs what the command line asks for. `started` is when the process started.
pub fn run(cli: Cli, started: std::time::Instant) -> ExitCode {
    let join = match &cli.command {
        Some(Command::Bench { join, .. }) => join.as_deref(),
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
        Some(Command::Bench { file, frames, .. }) => {
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
pub fn run_headless(command: Command) -> ExitCode {
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    let code = match command {
        Command::Bench { .. } => {
            let _ = writeln!(stderr.lock(), "error: bench needs a window");
            EXIT_INVALID
        }
        Command::Review { file } => review(&file, &mut stdout.lock(), &mut stderr.lock()),
        Command::Serve {
            bind,
            port,
            dir,
            token,
            view_token,
        } => {
            let opts = crate::collab::relay::RelayOptions {
                bind,
                port,
                dir,
                token,
                view_token,
            };
            let log: crate::collab::relay::Log = std::sync::Arc::new(|line: String| {
                let _ = writeln!(std::io::stdout().lock(), "{line}");
            });
            match crate::collab::relay::serve(opts, log) {
                Ok(()) => 0,
                Err(e) => {
                    let _ = writeln!(stderr.lock(), "error: {e}");
                    EXIT_INVALID
                }
            }
        }
        Command::Push { file, url } => push(&file, &url, &mut stdout.lock(), &mut stderr.lock()),
        Command::Pull { url, output } => {
            pull(&url, &output, &mut stdout.lock(), &mut stderr.lock())
        }
        Command::Check { files } => check(&files, &mut stdout.lock(), &mut stderr.lock()),
        Command::Problems => practice::problems(&mut stdout.lock(), &mut stderr.lock()),
        Command::New { file, problem } => {
            practice::new(&file, &problem, &mut stdout.lock(), &mut stderr.lock())
        }
        Command::Report { file, output } => {
            practice::report(&file, &output, &mut stdout.lock(), &mut stderr.lock())
        }
        Command::Import {
            input,
            output,
            page,
        } => diagrams::import(
            &input,
            &output,
            page,
            &mut stdout.lock(),
            &mut stderr.lock(),
        ),
        Command::Export {
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
            export(
                &file,
                &output,
                &opts,
                &mut stdout.lock(),
                &mut stderr.lock(),
            )
        }
        Command::Generate {
            blocks,
            links,
            output,
            layout,
        } => {
            let board = crate::model::generate::synthetic_with(
                blocks as usize,
                links.unwrap_or(blocks) as usize,
                layout.into(),
            );
            match persistence::save_board(&output, &board) {
                Ok(()) => {
                    let _ = writeln!(
                        stdout.lock(),
                        "{}",
                        counts_line(board.blocks.len(), board.links.len())
                    );
                    0
                }
                Err(e) => {
                    let _ = writeln!(stderr.lock(), "error: {e}");
                    EXIT_INVALID
                }
            }
        }
    };
    ExitCode::from(code)
}

/// Loads each file and reports its counts (stdout) or its error (stderr). Returns the exit code.
pub fn check(files: &[PathBuf], out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let mut code = 0;
    for path in files {
        match persistence::load_board(path) {
            Ok(board) => {
                let _ = writeln!(
                    out,
                    "{}",
                    counts_line(board.blocks.len(), board.links.len())
                );
            }
            Err(e) => {
                let _ = writeln!(err, "error: {e}");
                code = EXIT_INVALID;
            }
        }
    }
    code
}

/// Prints the design review of `file`. Returns the exit code.
pub fn review(file: &Path, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let board = match persistence::load_board(file) {
        Ok(b) => b,
        Err(e) => {
            let _ = writeln!(err, "error: {e}");
            return EXIT_INVALID;
        }
    };
    let palette = user_palette(err);
    let lenses = crate::lens::LensLibrary::bundled();
    let r = crate::review::review(&board, &palette, &lenses);
    let est = crate::review::estimate(&board.estimate);
    let _ = writeln!(
        out,
        "{}; peak {}",
        counts_line(board.blocks.len(), board.links.len()),
        crate::review::human(est.peak_rps(), crate::review::Unit::PerSecond)
    );
    for f in &r.findings {
        let kind = if f.kind.is_risk() { "risk" } else { "gap" };
        let lens = f
            .lens
            .as_deref()
            .map_or(String::new(), |l| format!(" [lens {l}]"));
        let _ = writeln!(out, "{kind}: {}{lens}", f.text);
    }
    let (risks, gaps) = r.counts();
    let _ = writeln!(out, "{}, {}", count(risks, "risk"), count(gaps, "gap"));
    u8::from(risks + gaps > 0)
}

/// How long `push` and `pull` wait for a relay.
const ROOM_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// Joins a room for a command: the session and a document to hold the room's board.
fn join_room(
    url: &str,
    err: &mut dyn Write,
) -> Result<(crate::collab::Session, crate::model::Document), u8> {
    let url = crate::collab::RoomUrl::parse(url).map_err(|e| {
        let _ = writeln!(err, "error: {e}");
        EXIT_INVALID
    })?;
    let mut doc = crate::model::Document::new(crate::model::Board::default());
    let presence = r##"{"user":{"name":"archboard (command line)","color":"#888888"}}"##.to_owned();
    let mut session = crate::collab::Session::join(
        url.clone(),
        &mut doc,
        false,
        presence,
        std::sync::Arc::new(|| {}),
    );
    match session.wait_for_sync(&mut doc, ROOM_WAIT) {
        Ok(round) => {
            for n in round.notices {
                let _ = writeln!(err, "note: {n}");
            }
            if let Some(board) = round.replace {
                doc = crate::model::Document::new(board);
            }
            Ok((session, doc))
        }
        Err(e) => {
            let _ = writeln!(err, "error: {url}: {e}");
            Err(EXIT_INVALID)
        }
    }
}

/// `archboard push FILE URL`: the room then holds exactly the file's board.
pub fn push(file: &Path, url: &str, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let board = match persistence::load_board(file) {
        Ok(b) => b,
        Err(e) => {
            let _ = writeln!(err, "error: {e}");
            return EXIT_INVALID;
        }
    };
    let (mut session, mut doc) = match join_room(url, err) {
        Ok(s) => s,
        Err(code) => return code,
    };
    session.replace_room(&board);
    if let Err(e) = session.confirm(&mut doc, ROOM_WAIT) {
        let _ = writeln!(err, "error: {url}: {e}");
        return EXIT_INVALID;
    }
    let _ = writeln!(
        out,
        "pushed {} to {url}",
        counts_line(board.blocks.len(), board.links.len())
    );
    0
}

/// `archboard pull URL -o FILE`: writes the room's board, checked like a file.
pub fn pull(url: &str, output: &Path, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let (_session, doc) = match join_room(url, err) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let board = doc.board();
    match persistence::save_board(output, board) {
        Ok(()) => {
            let _ = writeln!(
                out,
                "{} from {url}",
                counts_line(board.blocks.len(), board.links.len())
            );
            0
        }
        Err(e) => {
            let _ = writeln!(err, "error: {e}");
            EXIT_INVALID
        }
    }
}

/// Loads `file` and writes it as a PNG. Returns the exit code.
pub fn export(
    file: &Path,
    output: &Path,
    opts: &crate::export::ExportOptions,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> u8 {
    let board = match persistence::load_board(file) {
        Ok(b) => b,
        Err(e) => {
            let _ = writeln!(err, "error: {e}");
            return EXIT_INVALID;
        }
    };
    if let Some(ids) = &opts.selection
        && let Some(missing) = ids.iter().find(|id| board.block(**id).is_none())
    {
        let _ = writeln!(
            err,
            "error: {}: --selection-ids names block #{}, which does not exist",
            file.display(),
            missing.0
        );
        return EXIT_INVALID;
    }
    let palette = user_palette(err);
    let lenses = crate::lens::LensLibrary::bundled();
    match crate::export::export_file(&board, opts, &palette, Some(&lenses), output) {
        Ok(crate::export::Written::Picture {
            width,
            height,
            scale,
            svg,
        }) => {
            if scale < opts.scale {
                let _ = writeln!(
                    err,
                    "note: scale lowered from {} to {scale:.3} to stay within {} px a side and 64 megapixels",
                    opts.scale,
                    crate::export::MAX_SIDE
                );
            }
            let kind = if svg { ", SVG" } else { "" };
            let _ = writeln!(
                out,
                "wrote {} ({width}×{height} px{kind})",
                output.display()
            );
            0
        }
        Ok(crate::export::Written::Diagram(format)) => {
            let subject = crate::export::subject(&board, opts);
            let _ = writeln!(
                out,
                "wrote {} ({}, {})",
                output.display(),
                format.name(),
                counts_line(subject.blocks.len(), subject.links.len())
            );
            0
        }
        Err(e) => {
            let _ = writeln!(err, "error: {}: {e}", output.display());
            EXIT_INVALID
        }
    }
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

/// When `file` looks like a misspelt subcommand rather than a board (it does not exist, has
/// no board extension, and is close to a subcommand's name), what to tell the user.
pub fn mistyped_command(file: &Path) -> Option<String> {
    if file.exists() || file.extension().is_some() || file.components().count() != 1 {
        return None;
    }
    let typed = file.to_str()?;
    let names: Vec<String> = Cli::command()
        .get_subcommands()
        .map(|c| c.get_name().to_owned())
        .filter(|n| n != "help")
        .collect();
    if names.iter().any(|n| n == typed) {
        return None;
    }
    let best = names
        .iter()
        .map(|n| (crate::text::edit_distance(typed, n), n))
        .filter(|(d, n)| *d <= 2 && *d < n.len() || n.starts_with(typed) && typed.len() >= 3)
        .min_by_key(|(d, _)| *d)?;
    Some(format!(
        "no such command: `{typed}`; did you mean `{}`? (To open a new board file, give it the .ron extension.)",
        best.1
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_use_singular_for_one() {
        assert_eq!(counts_line(5, 0), "5 blocks, 0 links");
        assert_eq!(counts_line(1, 1), "1 block, 1 link");
    }

    #[test]
    fn near_misses_of_subcommands_are_caught_and_boards_are_not() {
        let hint = mistyped_command(Path::new("chek")).expect("a typo");
        assert!(hint.contains("did you mean `check`?"), "{hint}");
        assert!(mistyped_command(Path::new("exprot")).is_some());
        assert!(mistyped_command(Path::new("revew")).is_some());
        for board in ["chek.ron", "design", "interview-notes", "dir/check"] {
            assert_eq!(mistyped_command(Path::new(board)), None, "{board}");
        }
    }

    #[test]
    fn parses_file_and_subcommands() {
        let cli = Cli::try_parse_from(["archboard", "x.ron"]).expect("parse");
        assert_eq!(cli.file, Some(PathBuf::from("x.ron")));
        let cli = Cli::try_parse_from(["archboard", "check", "a.ron", "b.ron"]).expect("parse");
        assert!(matches!(cli.command, Some(Command::Check { files }) if files.len() == 2));
        assert!(
            Cli::try_parse_from(["archboard", "check"]).is_err(),
            "check needs a file"
        );
    }
}
