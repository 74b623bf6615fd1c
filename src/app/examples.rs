//! Example boards for classic interview problems, compiled in so File → Open example works from
//! any folder.

pub const EXAMPLES: &[(&str, &str)] = &[
    (
        "URL shortener",
        include_str!("../../saves/url-shortener.ron"),
    ),
    ("News feed", include_str!("../../saves/news-feed.ron")),
    ("Chat service", include_str!("../../saves/chat-service.ron")),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn examples_load_with_frames_lens_work_and_notes() {
        for (name, text) in EXAMPLES {
            let b = crate::persistence::parse_board(text, std::path::Path::new(name)).expect(name);
            assert!(
                b.blocks.len() >= 8 && b.links.len() >= 8,
                "{name} is a real design"
            );
            let frames: Vec<_> = b
                .blocks
                .values()
                .filter(|b| b.is_frame())
                .map(|b| b.label.to_lowercase())
                .collect();
            assert!(frames.len() >= 2, "{name} has frames for its paths");
            assert!(
                b.blocks.values().filter(|b| !b.checked.is_empty()).count() >= 4,
                "{name} has lens work"
            );
            assert!(
                b.blocks.values().filter(|b| !b.notes.is_empty()).count() >= 3,
                "{name} has notes"
            );
            assert!(
                b.blocks.values().any(|b| b.deep_dive),
                "{name} marks deep-dive blocks"
            );
            let lenses = crate::lens::LensLibrary::bundled();
            let palette = crate::palette::Palette::bundled();
            for block in b.blocks.values() {
                let keys = lenses.keys_for(&palette.kind_or_fallback(&block.kind).lens);
                for k in &block.checked {
                    assert!(
                        keys.contains(k),
                        "{name}: {} ticks unknown item {k}",
                        block.label
                    );
                }
            }
        }
    }
}
