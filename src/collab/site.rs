//! The web app's files, served on the rooms' port (`archboard serve --web DIR`), so a guest
//! opens `http://HOST:PORT/?room=ROOM` and joins over the same port.
//!
//! Only names made of plain characters are served, and only files that, with symbolic links
//! followed, still lie inside DIR: no request reaches anything else on the machine.

use std::path::{Path, PathBuf};

/// A file to send.
#[derive(Debug, PartialEq)]
pub struct Found {
    pub file: PathBuf,
    pub content_type: &'static str,
    /// `gzip` or `br` when a precompressed copy is sent.
    pub encoding: Option<&'static str>,
}

/// The file of `dir` that `path` (the request's, query included) names; `accepts` is the
/// request's `Accept-Encoding`. `None` for anything outside `dir` or not there.
pub fn find(dir: &Path, path: &str, accepts: &str) -> Option<Found> {
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let rel = path.strip_prefix('/')?;
    let rel = if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_owned()
    };
    let plain = rel
        .split('/')
        .all(|part| !part.is_empty() && !part.starts_with('.') && part.chars().all(plain_char));
    if !plain {
        return None;
    }
    let root = dir.canonicalize().ok()?;
    let inside = |p: &Path| {
        p.canonicalize()
            .ok()
            .filter(|c| c.starts_with(&root) && c.is_file())
    };
    let file = inside(&root.join(&rel))?;
    let content_type = content_type(&rel);
    let offered = |token: &str| {
        accepts
            .split(',')
            .any(|e| e.split(';').next().is_some_and(|e| e.trim() == token))
    };
    for (token, ext) in [("br", "br"), ("gzip", "gz")] {
        let packed = offered(token)
            .then(|| inside(&root.join(format!("{rel}.{ext}"))))
            .flatten();
        if let Some(packed) = packed {
            return Some(Found {
                file: packed,
                content_type,
                encoding: Some(token),
            });
        }
    }
    Some(Found {
        file,
        content_type,
        encoding: None,
    })
}

fn plain_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_')
}

fn content_type(name: &str) -> &'static str {
    match name.rsplit('.').next().unwrap_or_default() {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "png" => "image/png",
        "svg" => "image/svg+xml",
        "ico" => "image/x-icon",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("tmp");
        std::fs::write(dir.path().join("index.html"), "<html>").expect("write");
        std::fs::write(dir.path().join("app_bg.wasm"), b"\0asm").expect("write");
        std::fs::write(dir.path().join("app_bg.wasm.gz"), b"gz").expect("write");
        std::fs::write(dir.path().join(".secret"), b"no").expect("write");
        dir
    }

    #[test]
    fn the_page_and_the_wasm_come_with_their_types() {
        let dir = site();
        let index = find(dir.path(), "/?room=r1", "").expect("index");
        assert!(index.file.ends_with("index.html"));
        assert_eq!(index.content_type, "text/html; charset=utf-8");
        let wasm = find(dir.path(), "/app_bg.wasm", "").expect("wasm");
        assert_eq!(
            (wasm.content_type, wasm.encoding),
            ("application/wasm", None)
        );
    }

    #[test]
    fn a_precompressed_copy_is_sent_only_to_a_client_that_takes_it() {
        let dir = site();
        let gz = find(dir.path(), "/app_bg.wasm", "br;q=1.0, gzip, deflate").expect("wasm");
        assert_eq!(gz.encoding, Some("gzip"));
        assert!(gz.file.ends_with("app_bg.wasm.gz"));
        let plain = find(dir.path(), "/app_bg.wasm", "identity").expect("wasm");
        assert_eq!(plain.encoding, None);
        // No index.html.gz: the plain file, though gzip is accepted.
        assert_eq!(find(dir.path(), "/", "gzip").expect("index").encoding, None);
    }

    #[test]
    fn nothing_outside_the_folder_is_reachable() {
        let dir = site();
        let outside = dir.path().parent().expect("parent").to_path_buf();
        std::fs::write(dir.path().join("../archboard-site-test-outside"), "x").ok();
        for path in [
            "/../archboard-site-test-outside",
            "/..%2farchboard-site-test-outside",
            "//etc/passwd",
            "/.secret",
            "/./index.html",
            "/a\\..\\b",
            "/nothing.js",
            "index.html",
        ] {
            assert_eq!(find(dir.path(), path, "gzip"), None, "{path}");
        }
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink("/etc/hostname", dir.path().join("link.txt")).ok();
            assert_eq!(find(dir.path(), "/link.txt", ""), None);
        }
        let _ = std::fs::remove_file(outside.join("archboard-site-test-outside"));
    }
}
