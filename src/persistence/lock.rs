//! Advisory locks that say "a live archboard window is using this".
//!
//! An exclusive `flock` on a small file: the system drops it when the process ends however it
//! ends, so a crash never leaves a lock behind that someone has to clear by hand.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Held while the lock is ours; dropping it releases the lock.
#[derive(Debug)]
pub struct Held {
    _file: File,
    path: PathBuf,
}

impl Held {
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// Why a lock was not taken.
#[derive(Debug)]
pub enum NotTaken {
    /// Another process holds it; its process id, when it wrote one.
    Busy(Option<u32>),
    /// The lock file could not be opened (no data folder, read-only disk, …).
    Io(std::io::Error),
}

/// Takes the lock at `path` without waiting, writing this process's id into it.
pub fn try_take(path: &Path) -> Result<Held, NotTaken> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(NotTaken::Io)?;
    }
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
        .map_err(NotTaken::Io)?;
    match file.try_lock() {
        Ok(()) => {
            let _ = file.set_len(0);
            let _ = write!(file, "{}", std::process::id());
            Ok(Held {
                _file: file,
                path: path.to_path_buf(),
            })
        }
        Err(std::fs::TryLockError::WouldBlock) => {
            let pid = std::fs::read_to_string(path)
                .ok()
                .and_then(|t| t.trim().parse().ok());
            Err(NotTaken::Busy(pid))
        }
        Err(std::fs::TryLockError::Error(e)) => Err(NotTaken::Io(e)),
    }
}

/// The lock that marks `board` as open in a window, under `locks_dir`. Named by a hash of the
/// board's canonical path, so `./a.ron` and `/home/me/a.ron` are the same board.
pub fn board_lock_path(locks_dir: &Path, board: &Path) -> PathBuf {
    let canonical = std::fs::canonicalize(board).unwrap_or_else(|_| board.to_path_buf());
    let name = board
        .file_stem()
        .map(|s| sanitize(&s.to_string_lossy()))
        .unwrap_or_default();
    locks_dir.join(format!(
        "{name}-{:016x}.lock",
        fnv1a(canonical.as_os_str().as_encoded_bytes())
    ))
}

/// Keeps letters, digits, `-` and `_` (at most 40), so a file name is always safe.
pub fn sanitize(s: &str) -> String {
    let out: String = s
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == '-' || *c == '_')
        .take(40)
        .collect();
    if out.is_empty() { "board".into() } else { out }
}

/// FNV-1a: stable across builds and platforms, unlike the standard library's hasher.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_taker_is_refused_until_the_first_lets_go() {
        let dir = tempfile::tempdir().expect("tmp");
        let p = dir.path().join("locks").join("a.lock");
        let first = try_take(&p).expect("free");
        match try_take(&p) {
            Err(NotTaken::Busy(pid)) => assert_eq!(pid, Some(std::process::id())),
            other => panic!("expected busy, got {other:?}"),
        }
        drop(first);
        assert!(try_take(&p).is_ok(), "free again once released");
    }

    #[test]
    fn the_same_board_by_two_spellings_has_one_lock() {
        let dir = tempfile::tempdir().expect("tmp");
        let board = dir.path().join("design.ron");
        std::fs::write(&board, "x").expect("write");
        let other = dir.path().join(".").join("design.ron");
        let locks = dir.path().join("locks");
        assert_eq!(
            board_lock_path(&locks, &board),
            board_lock_path(&locks, &other)
        );
        assert_ne!(
            board_lock_path(&locks, &board),
            board_lock_path(&locks, &dir.path().join("other.ron"))
        );
        assert!(
            board_lock_path(&locks, &board)
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("design-"))
        );
    }

    #[test]
    fn names_are_sanitized() {
        assert_eq!(sanitize("my design (v2).ron"), "mydesignv2ron");
        assert_eq!(sanitize("../.."), "board");
    }
}
