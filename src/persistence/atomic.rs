//! Crash-safe file replacement.
//!
//! The bytes go to a temporary file in the target's folder, are flushed to disk, and the temporary
//! file is renamed over the target; then the folder itself is flushed so the rename survives a
//! power cut. A crash at any instant leaves either the old file or the new one, never a mix.

#[cfg(not(target_arch = "wasm32"))]
use std::fs::File;
use std::io;
#[cfg(not(target_arch = "wasm32"))]
use std::io::Write;
use std::path::{Path, PathBuf};

/// The points between which a writer can be interrupted; tests stop it at each one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WriteStep {
    /// The temporary file exists and holds some of the bytes.
    PartlyWritten,
    /// All bytes are in the temporary file, not yet flushed.
    Written,
    /// The temporary file is flushed to disk.
    Synced,
    /// The temporary file has replaced the target.
    Renamed,
}

/// Replaces `path` with `bytes` atomically.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_atomic_with(path, bytes, |_| Ok(()))
}

/// In a browser tab a file cannot be written in place: "writing" it offers it as a download
/// under the path's file name, the browser's way of saving. Nothing is half-written, so the
/// hook hears only that it is done.
#[cfg(target_arch = "wasm32")]
pub fn write_atomic_with(
    path: &Path,
    bytes: &[u8],
    mut hook: impl FnMut(WriteStep) -> io::Result<()>,
) -> io::Result<()> {
    let name = path
        .file_name()
        .map_or_else(|| "board.ron".into(), |n| n.to_string_lossy().into_owned());
    let mime = match path.extension().and_then(|e| e.to_str()) {
        Some("png") => "image/png",
        Some("svg") => "image/svg+xml",
        Some("html") => "text/html",
        Some("excalidraw" | "json") => "application/json",
        Some("drawio" | "xml") => "application/xml",
        _ => "text/plain",
    };
    crate::platform::files::download(&name, bytes, mime).map_err(io::Error::other)?;
    hook(WriteStep::Renamed)
}

/// [`write_atomic`] with a hook called after each step; an error from the hook aborts the write
/// as a crash at that point would.
#[cfg(not(target_arch = "wasm32"))]
pub fn write_atomic_with(
    path: &Path,
    bytes: &[u8],
    mut hook: impl FnMut(WriteStep) -> io::Result<()>,
) -> io::Result<()> {
    let target = resolve_symlink(path);
    let dir = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let prefix = format!(
        ".{}.",
        target
            .file_name()
            .map_or("board".into(), |n| n.to_string_lossy())
    );
    let mut tmp = tempfile::Builder::new()
        .prefix(&prefix)
        .suffix(".tmp")
        .tempfile_in(&dir)?;
    // Keep the permissions the user gave the file. A new file gets the usual 0644 rather than
    // the temporary file's private 0600. A failure here is not worth a lost save.
    match std::fs::metadata(&target) {
        Ok(meta) => {
            let _ = tmp.as_file().set_permissions(meta.permissions());
        }
        Err(_) => {
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                let _ = tmp
                    .as_file()
                    .set_permissions(std::fs::Permissions::from_mode(0o644));
            }
        }
    }
    let half = bytes.len() / 2;
    tmp.write_all(&bytes[..half])?;
    hook(WriteStep::PartlyWritten)?;
    tmp.write_all(&bytes[half..])?;
    hook(WriteStep::Written)?;
    tmp.as_file().sync_all()?;
    hook(WriteStep::Synced)?;
    tmp.persist(&target).map_err(|e| e.error)?;
    hook(WriteStep::Renamed)?;
    sync_dir(&dir);
    Ok(())
}

/// Saving through a symlink should update the file it points at, not replace the link.
pub(super) fn resolve_symlink(path: &Path) -> PathBuf {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => {
            std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
        }
        _ => path.to_path_buf(),
    }
}

/// Flushes a folder's entries so a rename inside it is durable. Not every platform can open a
/// folder for this; the data itself is already safe, so failures are ignored.
#[cfg(not(target_arch = "wasm32"))]
fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_content_and_leaves_no_temp_files() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("b.ron");
        write_atomic(&p, b"one").expect("write");
        write_atomic(&p, b"two").expect("write");
        assert_eq!(std::fs::read(&p).expect("read"), b"two");
        let names: Vec<_> = std::fs::read_dir(dir.path()).expect("ls").collect();
        assert_eq!(names.len(), 1, "only the target remains");
    }

    #[test]
    fn interrupted_at_any_step_the_target_is_old_or_new() {
        let old = b"old board".repeat(1000);
        let new = b"new board".repeat(1000);
        for stop_at in [
            WriteStep::PartlyWritten,
            WriteStep::Written,
            WriteStep::Synced,
            WriteStep::Renamed,
        ] {
            let dir = tempfile::tempdir().expect("tempdir");
            let p = dir.path().join("b.ron");
            std::fs::write(&p, &old).expect("seed");
            let r = write_atomic_with(&p, &new, |step| {
                if step == stop_at {
                    Err(io::Error::other("crash"))
                } else {
                    Ok(())
                }
            });
            assert!(r.is_err());
            let now = std::fs::read(&p).expect("read");
            if stop_at == WriteStep::Renamed {
                assert_eq!(now, new, "after the rename the new file is in place");
            } else {
                assert_eq!(now, old, "stopped at {stop_at:?}: the old file is intact");
            }
            let leftovers = std::fs::read_dir(dir.path()).expect("ls").count();
            assert_eq!(leftovers, 1, "the temporary file is cleaned up");
        }
    }

    #[cfg(unix)]
    #[test]
    fn new_files_are_readable_by_others_and_existing_modes_are_kept() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("new.ron");
        write_atomic(&p, b"x").expect("write");
        assert_eq!(
            std::fs::metadata(&p).expect("meta").permissions().mode() & 0o777,
            0o644
        );
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o600)).expect("chmod");
        write_atomic(&p, b"y").expect("write");
        assert_eq!(
            std::fs::metadata(&p).expect("meta").permissions().mode() & 0o777,
            0o600
        );
    }

    #[test]
    fn writes_through_a_symlink() {
        let dir = tempfile::tempdir().expect("tempdir");
        let real = dir.path().join("real.ron");
        let link = dir.path().join("link.ron");
        std::fs::write(&real, "a").expect("seed");
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(&real, &link).expect("symlink");
            write_atomic(&link, b"b").expect("write");
            assert_eq!(std::fs::read(&real).expect("read"), b"b");
            assert!(
                std::fs::symlink_metadata(&link)
                    .expect("meta")
                    .file_type()
                    .is_symlink()
            );
        }
    }

    #[test]
    fn unwritable_folder_is_an_error_not_a_panic() {
        let r = write_atomic(Path::new("/nonexistent-folder-for-archboard/x.ron"), b"x");
        assert!(r.is_err());
    }
}
