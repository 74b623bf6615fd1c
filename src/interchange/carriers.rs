//! The wrappings other tools put around a diagram: PNG text chunks, SVG comments and attributes,
//! base64, deflate and URL encoding. Every layer is capped, so a small file cannot unpack into
//! gigabytes.

use base64::Engine;
use std::io::Read;

/// Most bytes any unpacked layer may grow to.
pub const MAX_UNPACKED: usize = 64 * 1024 * 1024;

/// One text chunk of a PNG, with its text as bytes (latin-1 for `tEXt`).
pub struct TextChunk {
    pub keyword: String,
    pub text: Vec<u8>,
}

/// Every text chunk of a PNG, wherever it sits (some tools write theirs after the image data).
/// Compressed chunks (`zTXt`, compressed `iTXt`) are inflated with zlib; a chunk that does not
/// inflate is kept raw, since draw.io once wrote raw deflate into `zTXt`.
pub fn png_text_chunks(bytes: &[u8]) -> Result<Vec<TextChunk>, String> {
    const SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
    if !bytes.starts_with(SIGNATURE) {
        return Err("not a PNG".into());
    }
    let mut at = SIGNATURE.len();
    let mut out = Vec::new();
    while at + 8 <= bytes.len() {
        let len =
            u32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]) as usize;
        let kind = &bytes[at + 4..at + 8];
        let start = at + 8;
        let Some(end) = start.checked_add(len).filter(|e| *e <= bytes.len()) else {
            return Err(format!(
                "a PNG chunk at byte {at} runs past the end of the file"
            ));
        };
        let data = &bytes[start..end];
        match kind {
            b"tEXt" => {
                if let Some((k, text)) = split_keyword(data) {
                    out.push(TextChunk {
                        keyword: k,
                        text: text.to_vec(),
                    });
                }
            }
            b"zTXt" => {
                if let Some((k, rest)) = split_keyword(data)
                    && let Some((_method, packed)) = rest.split_first()
                {
                    out.push(TextChunk {
                        keyword: k,
                        text: inflate_any(packed)?,
                    });
                }
            }
            b"iTXt" => {
                if let Some((k, rest)) = split_keyword(data)
                    && rest.len() >= 2
                {
                    let compressed = rest[0] == 1;
                    let rest = &rest[2..];
                    // Language tag and translated keyword, each ended by a zero byte.
                    let mut parts = rest.splitn(3, |b| *b == 0);
                    let _lang = parts.next();
                    let _translated = parts.next();
                    let text = parts.next().unwrap_or_default();
                    out.push(TextChunk {
                        keyword: k,
                        text: if compressed {
                            inflate_any(text)?
                        } else {
                            text.to_vec()
                        },
                    });
                }
            }
            b"IEND" => break,
            _ => {}
        }
        at = end + 4; // past the CRC
    }
    Ok(out)
}

fn split_keyword(data: &[u8]) -> Option<(String, &[u8])> {
    let zero = data.iter().position(|b| *b == 0)?;
    let keyword = latin1(&data[..zero]);
    Some((keyword, &data[zero + 1..]))
}

/// Latin-1 bytes as text (every byte is the code point of the same number).
pub fn latin1(bytes: &[u8]) -> String {
    bytes.iter().map(|b| char::from(*b)).collect()
}

/// Inflates zlib data, or raw deflate when it has no zlib header.
pub fn inflate_any(bytes: &[u8]) -> Result<Vec<u8>, String> {
    inflate_zlib(bytes).or_else(|_| inflate_raw(bytes))
}

pub fn inflate_zlib(bytes: &[u8]) -> Result<Vec<u8>, String> {
    capped(flate2::read::ZlibDecoder::new(bytes))
}

pub fn inflate_raw(bytes: &[u8]) -> Result<Vec<u8>, String> {
    capped(flate2::read::DeflateDecoder::new(bytes))
}

fn capped(reader: impl Read) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    reader
        .take(MAX_UNPACKED as u64 + 1)
        .read_to_end(&mut out)
        .map_err(|e| format!("compressed data is damaged ({e})"))?;
    if out.len() > MAX_UNPACKED {
        return Err(format!(
            "compressed data unpacks to more than {} MiB; refused",
            MAX_UNPACKED / (1024 * 1024)
        ));
    }
    Ok(out)
}

/// Decodes base64, standard or URL-safe, with or without padding, ignoring whitespace.
pub fn base64_decode(text: &str) -> Result<Vec<u8>, String> {
    let clean: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let trimmed = clean.trim_end_matches('=');
    let engines = [
        base64::engine::general_purpose::STANDARD_NO_PAD,
        base64::engine::general_purpose::URL_SAFE_NO_PAD,
    ];
    engines
        .iter()
        .find_map(|e| e.decode(trimmed).ok())
        .ok_or_else(|| "base64 data is damaged".to_owned())
}

#[cfg(test)]
pub fn base64_encode(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Undoes `encodeURIComponent` (and `+`-free URL encoding generally); bad escapes stay as they are.
pub fn url_decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}

/// What `encodeURIComponent` does.
#[cfg(test)]
pub fn url_encode(text: &str) -> String {
    use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
    const KEEP: &AsciiSet = &NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'!')
        .remove(b'~')
        .remove(b'*')
        .remove(b'\'')
        .remove(b'(')
        .remove(b')');
    utf8_percent_encode(text, KEEP).to_string()
}

/// Deflates without a zlib header, as draw.io compresses its pages.
#[cfg(test)]
pub fn deflate_raw(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut enc = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
    // Writing into a Vec cannot fail.
    let _ = enc.write_all(bytes);
    enc.finish().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_deflate_bomb_is_refused() {
        use std::io::Write;
        let mut enc = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        let zeros = vec![0u8; 1024 * 1024];
        for _ in 0..70 {
            enc.write_all(&zeros).expect("write");
        }
        let bomb = enc.finish().expect("finish");
        assert!(bomb.len() < 200 * 1024, "a small file: {}", bomb.len());
        let err = inflate_zlib(&bomb).expect_err("refused");
        assert!(err.contains("refused"), "{err}");
    }

    #[test]
    fn url_and_base64_round_trip() {
        let text = "<mxGraphModel a=\"1\">é & ü</mxGraphModel>";
        assert_eq!(url_decode(&url_encode(text)), text);
        let packed = base64_encode(&deflate_raw(url_encode(text).as_bytes()));
        let back = inflate_raw(&base64_decode(&packed).expect("b64")).expect("inflate");
        assert_eq!(url_decode(&String::from_utf8(back).expect("utf8")), text);
    }
}
