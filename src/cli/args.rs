//! The command line as clap reads it: the window's flags and every subcommand's arguments.

use super::EXIT_INVALID;
use clap::{CommandFactory, Parser, Subcommand as ClapSubcommand};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

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
    pub command: Option<Subcommand>,

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

#[derive(Debug, ClapSubcommand)]
pub enum Subcommand {
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
        /// Most connections at once from one address (0: no cap).
        #[arg(long, default_value_t = crate::collab::relay::MAX_PER_ADDRESS)]
        max_per_address: usize,
        /// Serve wss:// with this certificate chain (PEM); needs --tls-key.
        #[arg(long, requires = "tls_key")]
        tls_cert: Option<PathBuf>,
        /// The certificate's private key (PEM); needs --tls-cert.
        #[arg(long, requires = "tls_cert")]
        tls_key: Option<PathBuf>,
        /// Serve the web app built into this folder (`bash web/build.sh DIR`) on the rooms'
        /// port: a guest opens http://HOST:PORT/?room=ROOM in a browser.
        #[arg(long)]
        web: Option<PathBuf>,
    },
    /// Load a relay: ROOMS rooms of PEERS peers, each making RATE edits a second for SECONDS,
    /// and print how long edits take to reach the other peers (p50, p95, p99) and how many
    /// were lost.
    Loadtest {
        /// The relay's address without a room: ws://HOST:PORT, or hocuspocus+ws://HOST:PORT.
        url: String,
        #[arg(long, default_value_t = 10)]
        rooms: usize,
        #[arg(long, default_value_t = 2)]
        peers: usize,
        /// Edits a second, per peer; 0 holds the rooms open, idle, for the seconds given.
        #[arg(long, default_value_t = 2.0)]
        rate: f64,
        #[arg(long, default_value_t = 10.0)]
        seconds: f64,
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
        assert!(matches!(cli.command, Some(Subcommand::Check { files }) if files.len() == 2));
        assert!(
            Cli::try_parse_from(["archboard", "check"]).is_err(),
            "check needs a file"
        );
    }
}
