//! The bounds every board keeps, whether it comes from a file, the clipboard, an import or a
//! peer. The model enforces them where it creates text (labels, notes); the validator refuses
//! anything beyond them on the way in.

/// Largest |coordinate| accepted: far beyond any real drawing, small enough that f32 sums stay
/// exact to well under a pixel.
pub const MAX_COORD: f32 = 10_000_000.0;
/// Largest block side accepted.
pub const MAX_SIDE: f32 = 1_000_000.0;
pub const MAX_TITLE_CHARS: usize = 1_000;
pub const MAX_KIND_CHARS: usize = 64;
pub const MAX_LABEL_CHARS: usize = 10_000;
pub const MAX_NOTES_CHARS: usize = 100_000;
/// Lens items one block may have ticked.
pub const MAX_CHECKED: usize = 500;
/// Longest lens item key, in bytes.
pub const MAX_CHECKED_KEY_BYTES: usize = 128;
/// Longest partition key.
pub const MAX_PARTITION_KEY_CHARS: usize = MAX_KIND_CHARS * 4;
/// Largest estimator input or per-instance capacity (10^15: beyond any real system).
pub const MAX_ESTIMATE: f64 = 1e15;
/// Most instances or copies a block may declare.
pub const MAX_INSTANCES: u32 = 1_000_000;
/// Most blocks a board may hold (a file, a paste or a shared room).
pub const MAX_BLOCKS: usize = 250_000;
/// Most links a board may hold.
pub const MAX_LINKS: usize = 500_000;
/// Most phases a saved timer may list.
pub const MAX_PHASES: usize = 100;

/// `text` cut to at most `max` characters (never in the middle of one).
pub fn truncate_chars(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}
