//! Boards embedded in exported PNGs: finding and reading the `archboard` text chunk.

/// The 8 bytes every PNG file starts with.
pub const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
const KEYWORD: &str = "archboard";
/// Largest embedded board text accepted after decompression.
const MAX_TEXT: usize = 64 * 1024 * 1024;

pub fn is_png(bytes: &[u8]) -> bool {
    bytes.starts_with(PNG_SIGNATURE)
}

/// The board text embedded in a PNG, or why there is none.
pub fn embedded_board_text(bytes: &[u8]) -> Result<String, String> {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    decoder.set_ignore_text_chunk(false);
    let reader = decoder
        .read_info()
        .map_err(|e| format!("not a readable PNG ({e})"))?;
    let info = reader.info();
    let damaged = |e: png::DecodingError| format!("its archboard data is damaged ({e})");
    let text = match (
        info.utf8_text.iter().find(|c| c.keyword == KEYWORD),
        info.compressed_latin1_text
            .iter()
            .find(|c| c.keyword == KEYWORD),
    ) {
        (Some(c), _) => {
            let mut c = c.clone();
            c.decompress_text_with_limit(MAX_TEXT)
                .and_then(|()| c.get_text())
        }
        (None, Some(c)) => {
            let mut c = c.clone();
            c.decompress_text_with_limit(MAX_TEXT)
                .and_then(|()| c.get_text())
        }
        (None, None) => {
            return Err(
                "this PNG holds no archboard board (it was not exported by archboard)".into(),
            );
        }
    };
    text.map_err(damaged)
}
