//! Other tools' diagrams in and out: Excalidraw, draw.io and Mermaid.
//!
//! Every file that comes in is untrusted, like a board file: each layer is size-capped before it
//! is unpacked, the XML reader never expands entities, and the board an import makes passes the
//! same validator as a file before anyone sees it. Importers produce a [`scene::Scene`] in the
//! file's own terms; [`scene::build`] turns any scene into a board the same way.

mod carriers;
pub mod drawio;
pub mod excalidraw;
mod kinds;
pub mod layered;
pub mod mermaid;
pub mod scene;
pub mod sketch;

pub use scene::Summary;

use crate::model::Board;
use crate::palette::Palette;
use std::path::{Path, PathBuf};

/// Largest file an import reads: the same cap as a board file.
pub const MAX_INPUT: usize = crate::persistence::MAX_FILE_BYTES as usize;

/// The formats archboard reads and writes besides its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Excalidraw,
    DrawIo,
    Mermaid,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Excalidraw => "Excalidraw",
            Format::DrawIo => "draw.io",
            Format::Mermaid => "Mermaid",
        }
    }

    /// The format a file name asks for when writing (`board.excalidraw`, `x.drawio`, `x.mmd`).
    pub fn for_output(path: &Path) -> Option<Format> {
        let name = path.file_name()?.to_string_lossy().to_ascii_lowercase();
        if name.ends_with(".excalidraw") {
            Some(Format::Excalidraw)
        } else if name.ends_with(".drawio") || name.ends_with(".xml") {
            Some(Format::DrawIo)
        } else if name.ends_with(".mmd") || name.ends_with(".mermaid") {
            Some(Format::Mermaid)
        } else {
            None
        }
    }

    /// Whether a dropped or opened file should go through an importer rather than the board
    /// loader: by extension, with a look inside for `.svg` and `.png`, which may be either.
    pub fn of_file(path: &Path, bytes: &[u8]) -> Option<Format> {
        Format::by_name(path).or_else(|| sniff(bytes))
    }

    /// The format a file's name alone says it holds (`.png` and `.svg` say nothing).
    pub fn by_name(path: &Path) -> Option<Format> {
        let name = path.file_name()?.to_string_lossy().to_ascii_lowercase();
        if name.ends_with(".excalidraw") || name.ends_with(".excalidraw.json") {
            Some(Format::Excalidraw)
        } else if name.ends_with(".drawio") || name.ends_with(".dio") {
            Some(Format::DrawIo)
        } else if name.ends_with(".mmd") || name.ends_with(".mermaid") || name.ends_with(".md") {
            Some(Format::Mermaid)
        } else {
            None
        }
    }
}

/// The format of some bytes, from what they hold.
pub fn sniff(bytes: &[u8]) -> Option<Format> {
    if bytes.starts_with(b"\x89PNG") {
        let chunks = carriers::png_text_chunks(bytes).ok()?;
        return chunks.iter().find_map(|c| match c.keyword.as_str() {
            excalidraw::MIME => Some(Format::Excalidraw),
            "mxfile" | "mxGraphModel" => Some(Format::DrawIo),
            _ => None,
        });
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(64 * 1024)]);
    if head.contains("payload-type:application/vnd.excalidraw+json") {
        return Some(Format::Excalidraw);
    }
    if drawio::looks_like(&head)
        || head.contains("content=\"&lt;mxfile")
        || head.contains("content=\"%3Cmxfile")
    {
        return Some(Format::DrawIo);
    }
    if excalidraw::looks_like(&head) {
        return Some(Format::Excalidraw);
    }
    let text = std::str::from_utf8(bytes).ok()?;
    mermaid::looks_like(text).then_some(Format::Mermaid)
}

/// Which page (draw.io) or chart (Markdown with several mermaid fences) to import.
#[derive(Clone, Copy, Debug, Default)]
pub struct Choice {
    /// 0-based.
    pub index: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{}: {problem}", name.display())]
    Invalid { name: PathBuf, problem: String },
    /// The file could not be read (missing, a folder, over the size cap…).
    #[error(transparent)]
    Read(#[from] crate::persistence::LoadError),
}

/// What an import made.
#[derive(Clone, Debug)]
pub struct Imported {
    pub board: Board,
    pub summary: Summary,
    pub format: Format,
}

/// Reads and imports a file.
pub fn import_file(
    path: &Path,
    choice: Choice,
    palette: &Palette,
) -> Result<Imported, ImportError> {
    let bytes = crate::persistence::read_capped(path)?;
    import_bytes(&bytes, path, choice, palette)
}

/// Imports a diagram from bytes; `name` is for messages and for the format's extension.
pub fn import_bytes(
    bytes: &[u8],
    name: &Path,
    choice: Choice,
    palette: &Palette,
) -> Result<Imported, ImportError> {
    let invalid = |problem: String| ImportError::Invalid {
        name: name.to_path_buf(),
        problem,
    };
    if bytes.len() > MAX_INPUT {
        return Err(invalid("more than an import reads (64 MiB)".into()));
    }
    let format = Format::of_file(name, bytes).ok_or_else(|| {
        invalid(if bytes.starts_with(b"\x89PNG") {
            "this PNG holds no Excalidraw or draw.io diagram".into()
        } else {
            "not an Excalidraw, draw.io or Mermaid diagram".into()
        })
    })?;
    let scene = read_scene(bytes, format, choice).map_err(invalid)?;
    let title = name
        .file_name()
        .map(|n| {
            n.to_string_lossy()
                .split('.')
                .next()
                .unwrap_or("")
                .to_owned()
        })
        .unwrap_or_default();
    finish(scene, format, &title, palette).map_err(invalid)
}

/// Builds the board of a scene and passes it through the same gate as a file: anything the
/// builder let through that a file could not hold is refused here.
fn finish(
    scene: scene::Scene,
    format: Format,
    title: &str,
    palette: &Palette,
) -> Result<Imported, String> {
    let (mut board, summary) = scene::build(scene, palette)?;
    if board.title.is_empty() {
        board.title = title.to_owned();
    }
    let board = crate::model::validate::board(board)
        .map_err(|p| format!("the imported board is not valid: {p}"))?;
    Ok(Imported {
        board,
        summary,
        format,
    })
}

/// Imports pasted text (Excalidraw clipboard JSON or a Mermaid chart), or `None` when the text
/// is neither.
pub fn import_text(text: &str, palette: &Palette) -> Option<Result<Imported, ImportError>> {
    let format = if excalidraw::looks_like(text) {
        Format::Excalidraw
    } else if text.len() <= MAX_INPUT
        && mermaid::charts(text).iter().any(|c| {
            // Only a chart on its own: prose that mentions one is pasted as a note.
            let t = c.trim_start();
            t.starts_with("graph") || t.starts_with("flowchart")
        })
        && text.trim_start().starts_with(['g', 'f', '`', '-', '%'])
    {
        Format::Mermaid
    } else {
        return None;
    };
    Some(
        read_scene(text.as_bytes(), format, Choice::default())
            .and_then(|scene| finish(scene, format, "", palette))
            .map_err(|problem| ImportError::Invalid {
                name: PathBuf::from("clipboard"),
                problem,
            }),
    )
}

/// The `<mxfile>` XML of a draw.io file, out of its PNG or SVG carrier when it has one.
fn drawio_xml(bytes: &[u8]) -> Result<String, String> {
    if bytes.starts_with(b"\x89PNG") {
        return drawio::xml_from_png(bytes);
    }
    let t = utf8(bytes)?;
    if t.contains("<svg") && !t.trim_start().starts_with("<mxfile") {
        drawio::xml_from_svg(&t)
    } else {
        Ok(t)
    }
}

fn utf8(bytes: &[u8]) -> Result<String, String> {
    std::str::from_utf8(bytes)
        .map(|t| t.trim_start_matches('\u{feff}').to_owned())
        .map_err(|e| format!("not UTF-8 text (bad byte at {})", e.valid_up_to()))
}

fn read_scene(bytes: &[u8], format: Format, choice: Choice) -> Result<scene::Scene, String> {
    match format {
        Format::Excalidraw => {
            let json = if bytes.starts_with(b"\x89PNG") {
                excalidraw::json_from_png(bytes)?
            } else {
                let t = utf8(bytes)?;
                if t.trim_start().starts_with('<') {
                    excalidraw::json_from_svg(&t)?
                } else {
                    t
                }
            };
            excalidraw::parse(&json)
        }
        Format::DrawIo => drawio::parse(&drawio_xml(bytes)?, choice.index),
        Format::Mermaid => mermaid::parse(&utf8(bytes)?, choice.index),
    }
}

/// The pages (draw.io) or charts (Markdown) a file offers, by name, when there is a choice.
pub fn choices(bytes: &[u8], name: &Path) -> Vec<String> {
    match Format::of_file(name, bytes) {
        Some(Format::DrawIo) => drawio_xml(bytes)
            .and_then(|x| drawio::page_names(&x))
            .unwrap_or_default()
            .into_iter()
            .enumerate()
            .map(|(i, n)| {
                if n.is_empty() {
                    format!("Page {}", i + 1)
                } else {
                    n
                }
            })
            .collect(),
        Some(Format::Mermaid) => std::str::from_utf8(bytes)
            .map(|t| {
                mermaid::charts(t)
                    .iter()
                    .enumerate()
                    .map(|(i, c)| {
                        let first = c
                            .lines()
                            .map(str::trim)
                            .find(|l| !l.is_empty() && !l.starts_with("%%") && *l != "---")
                            .unwrap_or("");
                        format!(
                            "Chart {}: {}",
                            i + 1,
                            first.chars().take(40).collect::<String>()
                        )
                    })
                    .collect()
            })
            .unwrap_or_default(),
        _ => Vec::new(),
    }
}

/// Writes `board` in `format`.
pub fn write(board: &Board, format: Format, palette: &Palette) -> String {
    match format {
        Format::Excalidraw => excalidraw::write(board, palette),
        Format::DrawIo => drawio::write(board, palette),
        Format::Mermaid => mermaid::write(board, palette),
    }
}
