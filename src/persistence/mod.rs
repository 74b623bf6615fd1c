//! Reading and writing board files.
//!
//! Every file is untrusted: size is capped before reading, parsing is depth-limited, the version
//! is checked, and every field is validated before a [`Board`] exists. Writing is atomic.

mod atomic;
mod backup;
mod error;
mod format;
pub mod lock;
mod migrate;
mod png_embed;
pub mod recovery;
pub mod svg_embed;

pub use crate::model::limits::{
    MAX_COORD, MAX_ESTIMATE, MAX_INSTANCES, MAX_LABEL_CHARS, MAX_NOTES_CHARS, MAX_SIDE,
};
pub use atomic::{WriteStep, write_atomic, write_atomic_with};
pub use backup::backup_path;
pub use error::{LoadError, SaveError};
pub use format::{BoardFile, FORMAT_VERSION, RecoveryInfo, file_to_ron_string, to_ron_string};

use crate::model::Board;
use serde::Deserialize;
use std::io::Read;
use std::path::Path;

/// Files larger than this are refused before they are read.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Reads and validates a board file.
pub fn load_board(path: &Path) -> Result<Board, LoadError> {
    let bytes = read_capped(path)?;
    parse_board_bytes(&bytes, path)
}

/// [`load_board`], also returning the recovery record a recovery file carries.
pub fn load_board_with_recovery(path: &Path) -> Result<(Board, Option<RecoveryInfo>), LoadError> {
    let bytes = read_capped(path)?;
    if png_embed::is_png(&bytes) || svg_embed::is_svg(&bytes) {
        return parse_board_bytes(&bytes, path).map(|b| (b, None));
    }
    let text = utf8(&bytes, path)?;
    parse_board_file(text, path)
}

/// Reads at most [`MAX_FILE_BYTES`] (+1 to detect overflow), whatever the metadata claims: a file
/// can grow while it is read, and special files report no size.
pub fn read_capped(path: &Path) -> Result<Vec<u8>, LoadError> {
    let file = std::fs::File::open(path).map_err(|e| LoadError::io(path, e))?;
    let meta = file.metadata().map_err(|e| LoadError::io(path, e))?;
    if meta.is_dir() {
        return Err(LoadError::io(
            path,
            std::io::Error::other("it is a folder, not a file"),
        ));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(LoadError::TooLarge {
            name: path.to_path_buf(),
            size: meta.len(),
            limit: MAX_FILE_BYTES,
        });
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| LoadError::io(path, e))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(LoadError::TooLarge {
            name: path.to_path_buf(),
            size: bytes.len() as u64,
            limit: MAX_FILE_BYTES,
        });
    }
    Ok(bytes)
}

/// Parses a board from bytes; `name` is used in error messages only.
pub fn parse_board_bytes(bytes: &[u8], name: &Path) -> Result<Board, LoadError> {
    if png_embed::is_png(bytes) {
        let text = png_embed::embedded_board_text(bytes).map_err(|problem| LoadError::Picture {
            name: name.to_path_buf(),
            problem,
        })?;
        return parse_board(&text, name);
    }
    if svg_embed::is_svg(bytes) {
        let text = svg_embed::embedded_board_text(bytes).map_err(|problem| LoadError::Picture {
            name: name.to_path_buf(),
            problem,
        })?;
        return parse_board(&text, name);
    }
    parse_board(utf8(bytes, name)?, name)
}

fn utf8<'a>(bytes: &'a [u8], name: &Path) -> Result<&'a str, LoadError> {
    std::str::from_utf8(bytes).map_err(|e| {
        let (line, col) = line_col(&bytes[..e.valid_up_to()]);
        LoadError::NotText {
            name: name.to_path_buf(),
            line,
            col,
        }
    })
}

/// Parses a board from RON text; `name` is used in error messages only.
pub fn parse_board(text: &str, name: &Path) -> Result<Board, LoadError> {
    parse_board_file(text, name).map(|(board, _)| board)
}

/// Parses a board and the recovery record a recovery file carries.
fn parse_board_file(text: &str, name: &Path) -> Result<(Board, Option<RecoveryInfo>), LoadError> {
    if text.trim().is_empty() {
        return Err(LoadError::Empty {
            name: name.to_path_buf(),
        });
    }
    let current = u64::from(FORMAT_VERSION);
    let file = match ron_options().from_str::<BoardFile>(text) {
        Ok(file) if file.format_version == current => file,
        Ok(file) => upgrade_or_refuse(text, file.format_version, name)?,
        Err(err) => match probe_version(text) {
            // A newer file may fail to parse only because of fields this build does not know:
            // saying "newer version" is more useful than naming the first unknown field.
            Some(v) if v != current => upgrade_or_refuse(text, v, name)?,
            _ => return Err(syntax_error(err, text, name)),
        },
    };
    let recovery = file.recovery.clone();
    let board = crate::model::validate::assemble(file.into_parts()).map_err(|problem| {
        LoadError::Invalid {
            name: name.to_path_buf(),
            problem,
        }
    })?;
    Ok((board, recovery))
}

/// Writes a board atomically as RON, keeping the file it replaces as `NAME.bak`.
pub fn save_board(path: &Path, board: &Board) -> Result<(), SaveError> {
    let text = to_ron_string(board).map_err(|e| SaveError {
        path: path.to_path_buf(),
        source: std::io::Error::other(e.to_string()),
    })?;
    // A save that writes what the file already holds keeps the older backup.
    if backup::unchanged(path, text.as_bytes()) {
        return Ok(());
    }
    backup::keep_previous(path);
    write_atomic(path, text.as_bytes()).map_err(|source| SaveError {
        path: path.to_path_buf(),
        source,
    })
}

fn upgrade_or_refuse(text: &str, version: u64, name: &Path) -> Result<BoardFile, LoadError> {
    if version > u64::from(FORMAT_VERSION) {
        return Err(LoadError::NewerVersion {
            name: name.to_path_buf(),
            found: version,
            supported: FORMAT_VERSION,
        });
    }
    migrate::upgrade(text, version, name)
}

/// Default RON options keep a recursion limit, so deeply nested input errors out instead of
/// overflowing the stack.
fn ron_options() -> ron::Options {
    ron::Options::default()
}

/// Reads only `format_version`, ignoring every other field.
fn probe_version(text: &str) -> Option<u64> {
    #[derive(Deserialize)]
    struct Probe {
        format_version: u64,
    }
    ron_options()
        .from_str::<Probe>(text)
        .ok()
        .map(|p| p.format_version)
}

fn syntax_error(err: ron::error::SpannedError, text: &str, name: &Path) -> LoadError {
    let mut message = err
        .code
        .to_string()
        .replace("struct `BoardFile`", "the board")
        .replace("`BoardFile`", "the board");
    let (end_line, end_col) = line_col(text.trim_end().as_bytes());
    if (err.span.start.line, err.span.start.col) >= (end_line, end_col) {
        message.push_str(" (the file ends here: is it truncated?)");
    }
    LoadError::Syntax {
        name: name.to_path_buf(),
        line: err.span.start.line,
        col: err.span.start.col,
        message,
    }
}

/// 1-based line and column of the end of `prefix`.
fn line_col(prefix: &[u8]) -> (usize, usize) {
    let line = 1 + prefix.iter().filter(|&&b| b == b'\n').count();
    let line_start = prefix
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let col = 1 + String::from_utf8_lossy(&prefix[line_start..])
        .chars()
        .count();
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Block, BlockId, Link, LinkId, LinkStyle, Rect};

    fn sample() -> Board {
        let mut b = Board::new("URL shortener");
        let a = b.alloc_block_id();
        let c = b.alloc_block_id();
        let l = b.alloc_link_id();
        let mut cache = Block::new(
            a,
            "cache",
            "Redis\nhot keys",
            Rect::new(10.0, 20.0, 120.0, 60.0),
        );
        cache.notes = "LRU, 20 % of daily reads".into();
        b.blocks.insert(a, cache);
        b.blocks.insert(
            c,
            Block::new(
                c,
                "database",
                "Postgres",
                Rect::new(200.0, 20.0, 120.0, 80.0),
            ),
        );
        let mut link = Link::new(l, a, c);
        link.label = "miss → read".into();
        link.style = LinkStyle::Async;
        b.links.insert(l, link);
        b
    }

    #[test]
    fn round_trip_is_lossless_and_byte_identical() {
        let board = sample();
        let text = to_ron_string(&board).expect("ser");
        let back = parse_board(&text, Path::new("t.ron")).expect("parse");
        assert_eq!(back, board);
        assert_eq!(to_ron_string(&back).expect("ser"), text);
        assert!(text.starts_with("(\n  format_version: 7,"), "{text}");
    }

    #[test]
    fn save_then_load_through_disk() {
        let dir = tempfile::tempdir().expect("tmp");
        let p = dir.path().join("board.ron");
        save_board(&p, &sample()).expect("save");
        let first = std::fs::read(&p).expect("read");
        let loaded = load_board(&p).expect("load");
        save_board(&p, &loaded).expect("save again");
        assert_eq!(
            std::fs::read(&p).expect("read"),
            first,
            "second save is byte-identical"
        );
    }

    #[test]
    fn syntax_errors_carry_line_and_column() {
        let text = "(\n  format_version: 1,\n  title: \"x\",\n  blocks: [ (id: 1, kind: ] ,\n)";
        let e = parse_board(text, Path::new("bad.ron")).expect_err("bad");
        let msg = e.to_string();
        assert!(msg.starts_with("bad.ron:4:"), "{msg}");
    }

    #[test]
    fn newer_versions_are_refused_naming_both() {
        let text = "(format_version: 9, title: \"\", shiny_new_field: 3)";
        let e = parse_board(text, Path::new("new.ron")).expect_err("newer");
        let msg = e.to_string();
        assert!(msg.contains("format version 9"), "{msg}");
        assert!(msg.contains("up to version 7"), "{msg}");
    }

    #[test]
    fn version_zero_was_never_written() {
        let e = parse_board("(format_version: 0)", Path::new("z.ron")).expect_err("v0");
        assert!(
            matches!(e, LoadError::UnknownVersion { found: 0, .. }),
            "{e}"
        );
    }

    #[test]
    fn unknown_fields_are_reported_not_dropped() {
        let text = "(format_version: 1, titel: \"typo\")";
        let e = parse_board(text, Path::new("t.ron")).expect_err("typo");
        assert!(e.to_string().contains("titel"), "{e}");
    }

    #[test]
    fn unknown_kinds_are_kept() {
        let text = "(format_version: 1, blocks: [(id: 1, kind: \"quantum-cache\", label: \"Q\", rect: (x: 0.0, y: 0.0, w: 10.0, h: 10.0))])";
        let b = parse_board(text, Path::new("k.ron")).expect("loads");
        assert_eq!(b.blocks[&BlockId(1)].kind, "quantum-cache");
    }

    #[test]
    fn not_utf8_names_the_position() {
        let e = parse_board_bytes(b"(format_version: 1,\n ti\xfftle", Path::new("bin.ron"))
            .expect_err("bin");
        assert!(e.to_string().starts_with("bin.ron:2:4:"), "{e}");
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let text = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        assert!(parse_board(&text, Path::new("deep.ron")).is_err());
        let text = format!("(format_version: 1, title: {}", "(".repeat(100_000));
        assert!(parse_board(&text, Path::new("deep.ron")).is_err());
    }

    #[test]
    fn synthetic_boards_round_trip() {
        let b = crate::model::generate::synthetic(1_000, 1_000);
        let text = to_ron_string(&b).expect("ser");
        let back = parse_board(&text, Path::new("gen")).expect("valid");
        assert_eq!(back, b);
    }

    #[test]
    fn links_survive_with_their_style() {
        let text = to_ron_string(&sample()).expect("ser");
        let b = parse_board(&text, Path::new("x")).expect("parse");
        assert_eq!(b.links[&LinkId(3)].style, LinkStyle::Async);
    }
}
