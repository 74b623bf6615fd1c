//! Recovery files: what autosave writes while a board has unsaved changes, and what start-up
//! finds after a crash.
//!
//! A recovery file is an ordinary board file with a `recovery` record naming the file it
//! belongs to, so `archboard check` and `archboard FILE` read it like any board. Each open board
//! writes its own file (named by board, time, process and a counter, so two windows or two boards
//! never collide), and holds a lock beside it (`NAME.ron.lock`) while its window lives: start-up
//! only offers files whose lock is free, never the live work of another window.

use super::lock::{self, Held};
use super::{BoardFile, LoadError, RecoveryInfo, SaveError};
use crate::model::Board;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// Most recovery files looked at on start-up; more is a sign of something odd, not of work.
const MAX_SCANNED: usize = 200;

/// The folders under the user's data folder (`$XDG_DATA_HOME/archboard` on Linux).
pub fn data_dir() -> Option<PathBuf> {
    crate::platform::dirs::data_dir()
}

pub fn recovery_dir(data: &Path) -> PathBuf {
    data.join("recovery")
}

pub fn locks_dir(data: &Path) -> PathBuf {
    data.join("locks")
}

pub fn now_ms() -> u64 {
    ms_since_epoch(SystemTime::now())
}

fn ms_since_epoch(t: SystemTime) -> u64 {
    t.duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

/// A fresh, unique recovery file for a board bound to `original` (or untitled), and its lock.
pub fn new_file(dir: &Path, original: Option<&Path>) -> (PathBuf, Option<Held>) {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let stem = original.and_then(Path::file_stem).map_or_else(
        || "untitled".into(),
        |s| lock::sanitize(&s.to_string_lossy()),
    );
    let path = dir.join(format!(
        "{stem}-{:x}-{}-{}.ron",
        now_ms(),
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let held = lock::try_take(&lock_path(&path)).ok();
    (path, held)
}

/// The lock that says a live window owns the recovery file at `path`.
pub fn lock_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".lock");
    path.with_file_name(name)
}

/// Writes `board` as the recovery file at `path`, atomically.
pub fn write(path: &Path, board: &Board, original: Option<&Path>) -> Result<(), SaveError> {
    let fail = |source| SaveError {
        path: path.to_path_buf(),
        source,
    };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(fail)?;
    }
    let mut file = BoardFile::from_board(board);
    file.recovery = Some(RecoveryInfo {
        original: original.map(Path::to_path_buf),
        written_ms: now_ms(),
    });
    let text =
        super::file_to_ron_string(&file).map_err(|e| fail(std::io::Error::other(e.to_string())))?;
    super::write_atomic(path, text.as_bytes()).map_err(fail)
}

/// Removes a recovery file and then its lock file (still held by `lock`, released after).
pub fn remove(path: &Path, lock: Option<Held>) -> std::io::Result<()> {
    let removed = match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    };
    if removed.is_ok() {
        let _ = std::fs::remove_file(lock_path(path));
    }
    drop(lock);
    removed
}

/// Unsaved work found on start-up.
#[derive(Debug)]
pub struct Recoverable {
    pub path: PathBuf,
    pub original: Option<PathBuf>,
    pub written_ms: u64,
    pub board: Board,
    /// Held while the offer is open, so a second window starting now does not offer it too.
    pub lock: Held,
}

impl Recoverable {
    /// The board's name as the user knows it.
    pub fn name(&self) -> String {
        self.original
            .as_deref()
            .and_then(Path::file_name)
            .map_or_else(|| "Untitled".into(), |n| n.to_string_lossy().into_owned())
    }
}

/// What start-up found in the recovery folder.
#[derive(Debug, Default)]
pub struct Scan {
    /// Newest first.
    pub offers: Vec<Recoverable>,
    /// Unreadable files, moved aside: (new place, why).
    pub broken: Vec<(PathBuf, LoadError)>,
    /// Files older than the board saved on disk since, removed.
    pub stale: Vec<PathBuf>,
}

/// The recovery files in `dir` (`*.ron`), in name order; none when it does not exist.
pub fn list(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "ron") && p.is_file())
        .collect();
    paths.sort();
    paths
}

/// Looks through `dir` for recovery files no live window owns.
pub fn scan(dir: &Path) -> Scan {
    let mut scan = Scan::default();
    let mut paths = list(dir);
    paths.truncate(MAX_SCANNED);
    for path in paths {
        let Ok(held) = lock::try_take(&lock_path(&path)) else {
            continue; // a live window's work, or a lock we cannot take: leave it alone
        };
        match super::load_board_with_recovery(&path) {
            Ok((board, info)) => {
                // A board file put here by hand is treated as untitled work.
                let info = info.unwrap_or_else(|| RecoveryInfo {
                    original: None,
                    written_ms: modified_ms(&path).unwrap_or(0),
                });
                let saved_since = info
                    .original
                    .as_deref()
                    .and_then(modified_ms)
                    .is_some_and(|saved| saved > info.written_ms);
                if saved_since {
                    if remove(&path, Some(held)).is_ok() {
                        scan.stale.push(path);
                    }
                    continue;
                }
                scan.offers.push(Recoverable {
                    path,
                    original: info.original,
                    written_ms: info.written_ms,
                    board,
                    lock: held,
                });
            }
            Err(e) => {
                let aside = free_name(&path, "broken");
                if std::fs::rename(&path, &aside).is_ok() {
                    let _ = std::fs::remove_file(lock_path(&path));
                    scan.broken.push((aside, e));
                }
            }
        }
    }
    scan.offers.sort_by_key(|r| std::cmp::Reverse(r.written_ms));
    scan
}

fn modified_ms(path: &Path) -> Option<u64> {
    std::fs::metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .map(ms_since_epoch)
}

/// `path` with `.tag` appended, numbered if that is taken.
fn free_name(path: &Path, tag: &str) -> PathBuf {
    let base = path.file_name().unwrap_or_default().to_string_lossy();
    (0..1000)
        .map(|i| match i {
            0 => path.with_file_name(format!("{base}.{tag}")),
            i => path.with_file_name(format!("{base}.{tag}{i}")),
        })
        .find(|p| !p.exists())
        .unwrap_or_else(|| path.with_file_name(format!("{base}.{tag}-{}", now_ms())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Block, Rect};

    fn board(n: usize) -> Board {
        let mut b = Board::new("work");
        for i in 0..n {
            let id = b.alloc_block_id();
            b.blocks.insert(
                id,
                Block::new(
                    id,
                    "cache",
                    format!("C{i}"),
                    Rect::new(0.0, 0.0, 10.0, 10.0),
                ),
            );
        }
        b
    }

    #[test]
    fn recovery_files_load_as_boards_and_record_their_origin() {
        let dir = tempfile::tempdir().expect("tmp");
        let original = dir.path().join("design.ron");
        let (path, _held) = new_file(dir.path(), Some(&original));
        assert!(
            path.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("design-"))
        );
        write(&path, &board(3), Some(&original)).expect("write");
        let (b, info) = super::super::load_board_with_recovery(&path).expect("load");
        assert_eq!(b.blocks.len(), 3);
        let info = info.expect("recovery record");
        assert_eq!(info.original.as_deref(), Some(original.as_path()));
        assert!(info.written_ms > 0);
        assert_eq!(
            super::super::load_board(&path)
                .expect("plain load")
                .blocks
                .len(),
            3
        );
    }

    #[test]
    fn two_boards_in_one_process_never_share_a_file() {
        let dir = tempfile::tempdir().expect("tmp");
        let (a, _) = new_file(dir.path(), None);
        let (b, _) = new_file(dir.path(), None);
        assert_ne!(a, b);
    }

    #[test]
    fn scan_offers_orphans_skips_live_ones_and_moves_broken_ones_aside() {
        let dir = tempfile::tempdir().expect("tmp");
        // A crashed window's work: written, lock released.
        let (orphan, held) = new_file(dir.path(), None);
        write(&orphan, &board(2), None).expect("write");
        drop(held);
        // A live window's work: its lock is held.
        let (live, live_lock) = new_file(dir.path(), None);
        write(&live, &board(1), None).expect("write");
        // Garbage.
        let broken = dir.path().join("junk.ron");
        std::fs::write(&broken, "(format_version: 1, blocks: [").expect("write");

        let found = scan(dir.path());
        assert_eq!(found.offers.len(), 1, "{found:?}");
        assert_eq!(found.offers[0].path, orphan);
        assert_eq!(found.offers[0].board.blocks.len(), 2);
        assert_eq!(found.broken.len(), 1);
        let (aside, why) = &found.broken[0];
        assert!(aside.exists() && !broken.exists(), "moved, not deleted");
        assert!(why.to_string().contains("junk.ron"), "{why}");
        drop(live_lock);
        drop(found);
    }

    #[test]
    fn work_saved_since_is_stale_and_removed() {
        let dir = tempfile::tempdir().expect("tmp");
        let original = dir.path().join("design.ron");
        let dir = tempfile::tempdir_in(dir.path()).expect("recovery folder");
        let (path, held) = new_file(dir.path(), Some(&original));
        write(&path, &board(2), Some(&original)).expect("write");
        drop(held);
        std::thread::sleep(std::time::Duration::from_millis(20));
        super::super::save_board(&original, &board(5)).expect("save");
        let found = scan(dir.path());
        assert!(found.offers.is_empty(), "{:?}", found.offers);
        assert_eq!(found.stale, vec![path.clone()]);
        assert!(!path.exists());
        assert!(!lock_path(&path).exists());
    }

    #[test]
    fn an_offer_holds_its_lock_so_a_second_scan_skips_it() {
        let dir = tempfile::tempdir().expect("tmp");
        let (path, held) = new_file(dir.path(), None);
        write(&path, &board(1), None).expect("write");
        drop(held);
        let first = scan(dir.path());
        assert_eq!(first.offers.len(), 1);
        assert!(scan(dir.path()).offers.is_empty(), "held by the first");
        drop(first);
        assert_eq!(scan(dir.path()).offers.len(), 1, "free again");
    }
}
