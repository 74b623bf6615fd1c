//! The previous version of a saved file, kept as `NAME.bak` next to it, so a save the user
//! regrets can be undone outside the app (copy the `.bak` back).

use super::atomic::resolve_symlink;
use std::path::{Path, PathBuf};

/// Where the previous version of `path` is kept: `design.ron` → `design.ron.bak`.
pub fn backup_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".bak");
    path.with_file_name(name)
}

/// Whether the file at `path` already holds exactly `bytes`.
pub(super) fn unchanged(path: &Path, bytes: &[u8]) -> bool {
    let target = resolve_symlink(path);
    match std::fs::metadata(&target) {
        Ok(meta) if meta.is_file() && meta.len() == bytes.len() as u64 => {
            std::fs::read(&target).is_ok_and(|old| old == bytes)
        }
        _ => false,
    }
}

/// Makes `NAME.bak` the current content of `path`, just before `path` is replaced.
///
/// A hard link costs nothing and cannot half-fail: the save then renames a new file over
/// `path`, and the link keeps the old one. Where links are not supported the file is copied.
/// Failing to keep a backup never stops the save itself; it is reported on stderr only.
pub(super) fn keep_previous(path: &Path) {
    let target = resolve_symlink(path);
    if !std::fs::metadata(&target).is_ok_and(|m| m.is_file()) {
        return;
    }
    let bak = backup_path(&target);
    let mut tmp_name = bak.file_name().unwrap_or_default().to_os_string();
    tmp_name.push(".tmp");
    let tmp = bak.with_file_name(tmp_name);
    let _ = std::fs::remove_file(&tmp);
    let made = std::fs::hard_link(&target, &tmp)
        .or_else(|_| std::fs::copy(&target, &tmp).map(|_| ()))
        .and_then(|()| std::fs::rename(&tmp, &bak));
    if made.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Board;
    use crate::persistence::{load_board, save_board};

    #[test]
    fn each_save_keeps_the_version_it_replaced() {
        let dir = tempfile::tempdir().expect("tmp");
        let p = dir.path().join("design.ron");
        save_board(&p, &Board::new("first")).expect("save");
        assert!(
            !backup_path(&p).exists(),
            "a new file has nothing to back up"
        );
        save_board(&p, &Board::new("second")).expect("save");
        save_board(&p, &Board::new("third")).expect("save");
        assert_eq!(load_board(&p).expect("load").title, "third");
        let bak = load_board(&backup_path(&p)).expect("backup loads");
        assert_eq!(bak.title, "second");
        // Saving the same board again keeps the backup of the real previous version.
        save_board(&p, &Board::new("third")).expect("save");
        assert_eq!(load_board(&backup_path(&p)).expect("bak").title, "second");
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .expect("ls")
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names.len(), 2, "no temporary files left: {names:?}");
    }

    #[cfg(unix)]
    #[test]
    fn saving_through_a_symlink_backs_up_the_real_file() {
        let dir = tempfile::tempdir().expect("tmp");
        let real = dir.path().join("real.ron");
        let link = dir.path().join("link.ron");
        save_board(&real, &Board::new("one")).expect("save");
        std::os::unix::fs::symlink(&real, &link).expect("symlink");
        save_board(&link, &Board::new("two")).expect("save");
        assert_eq!(load_board(&backup_path(&real)).expect("bak").title, "one");
        assert!(
            std::fs::symlink_metadata(&link)
                .expect("meta")
                .file_type()
                .is_symlink()
        );
    }

    #[test]
    fn backup_name_appends_bak() {
        assert_eq!(
            backup_path(Path::new("/a/b/design.ron")),
            Path::new("/a/b/design.ron.bak")
        );
    }
}
