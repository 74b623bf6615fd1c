//! Boards embedded in exported SVGs: a comment holding the board's RON in base64, so the
//! picture opens again as a board (as an exported PNG does).

use base64::Engine;

const START: &str = "<!-- archboard-board:";
const END: &str = " -->";

/// The comment that carries `ron`.
pub fn comment(ron: &str) -> String {
    format!(
        "{START}{}{END}",
        base64::engine::general_purpose::STANDARD.encode(ron.as_bytes())
    )
}

/// Whether `bytes` look like an SVG (or other XML) document.
pub fn is_svg(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(512)];
    let text = String::from_utf8_lossy(head);
    let t = text.trim_start_matches('\u{feff}').trim_start();
    t.starts_with("<svg") || (t.starts_with("<?xml") && text.contains("<svg"))
}

/// The board text embedded in an SVG, or why there is none.
pub fn embedded_board_text(bytes: &[u8]) -> Result<String, String> {
    let text = String::from_utf8_lossy(bytes);
    let start = text
        .find(START)
        .ok_or("this SVG holds no archboard board (it was not exported by archboard)")?
        + START.len();
    let end = text[start..]
        .find(END)
        .ok_or("its archboard data is cut off")?
        + start;
    let raw = base64::engine::general_purpose::STANDARD
        .decode(text[start..end].trim())
        .map_err(|e| format!("its archboard data is damaged ({e})"))?;
    String::from_utf8(raw).map_err(|_| "its archboard data is not text".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_comment_carries_the_board_and_damage_is_named() {
        let svg = format!("<svg>{}</svg>", comment("(format_version: 4)"));
        assert!(is_svg(svg.as_bytes()));
        assert_eq!(
            embedded_board_text(svg.as_bytes()).as_deref(),
            Ok("(format_version: 4)")
        );
        assert!(embedded_board_text(b"<svg></svg>").is_err());
        assert!(embedded_board_text(b"<svg><!-- archboard-board:@@@ --></svg>").is_err());
    }
}
