//! The only place colours and sizes live, for light and dark themes alike.

use egui::Color32;

/// Colours for drawing a board and the UI around it; the screen and exports take them from here.
#[derive(Clone, Debug, PartialEq)]
pub struct Colors {
    pub background: Color32,
    pub grid: Color32,
    pub text: Color32,
    pub muted_text: Color32,
    pub block_fill: Color32,
    pub block_stroke: Color32,
    pub frame_fill: Color32,
    pub frame_stroke: Color32,
    pub link: Color32,
    pub selection: Color32,
    pub selection_fill: Color32,
    pub label_background: Color32,
    /// Text on a filled accent (a coverage pill, a load pill): its own colour, because the
    /// canvas background may be transparent in an export.
    pub on_accent: Color32,
    pub error: Color32,
    pub warning: Color32,
    pub ok: Color32,
}

impl Colors {
    pub fn light() -> Self {
        Self {
            background: Color32::from_rgb(0xf8, 0xf9, 0xfb),
            grid: Color32::from_rgb(0xd5, 0xd9, 0xe0),
            text: Color32::from_rgb(0x1f, 0x23, 0x2b),
            muted_text: Color32::from_rgb(0x5c, 0x64, 0x70),
            block_fill: Color32::WHITE,
            block_stroke: Color32::from_rgb(0x46, 0x4f, 0x5d),
            frame_fill: Color32::from_rgba_unmultiplied(0x6b, 0x8a, 0xc9, 18),
            frame_stroke: Color32::from_rgb(0x8a, 0x9b, 0xbf),
            link: Color32::from_rgb(0x3c, 0x44, 0x52),
            selection: Color32::from_rgb(0x2f, 0x6f, 0xeb),
            selection_fill: Color32::from_rgba_unmultiplied(0x2f, 0x6f, 0xeb, 28),
            label_background: Color32::from_rgb(0xf8, 0xf9, 0xfb),
            on_accent: Color32::WHITE,
            error: Color32::from_rgb(0xc6, 0x28, 0x28),
            warning: Color32::from_rgb(0xc7, 0x7c, 0x02),
            ok: Color32::from_rgb(0x2e, 0x7d, 0x32),
        }
    }

    pub fn dark() -> Self {
        Self {
            background: Color32::from_rgb(0x1b, 0x1d, 0x22),
            grid: Color32::from_rgb(0x33, 0x37, 0x3f),
            text: Color32::from_rgb(0xe6, 0xe8, 0xec),
            muted_text: Color32::from_rgb(0xa0, 0xa7, 0xb3),
            block_fill: Color32::from_rgb(0x26, 0x29, 0x30),
            block_stroke: Color32::from_rgb(0xa9, 0xb1, 0xbe),
            frame_fill: Color32::from_rgba_unmultiplied(0x8a, 0xa8, 0xe8, 16),
            frame_stroke: Color32::from_rgb(0x5f, 0x72, 0x99),
            link: Color32::from_rgb(0xc4, 0xca, 0xd4),
            selection: Color32::from_rgb(0x5b, 0x93, 0xff),
            selection_fill: Color32::from_rgba_unmultiplied(0x5b, 0x93, 0xff, 36),
            label_background: Color32::from_rgb(0x1b, 0x1d, 0x22),
            on_accent: Color32::from_rgb(0x14, 0x16, 0x1b),
            error: Color32::from_rgb(0xff, 0x6b, 0x6b),
            warning: Color32::from_rgb(0xff, 0xb3, 0x40),
            ok: Color32::from_rgb(0x66, 0xbb, 0x6a),
        }
    }

    pub fn for_dark_mode(dark: bool) -> Self {
        if dark { Self::dark() } else { Self::light() }
    }
}

/// World units between grid lines at 100 % zoom; blocks snap to it.
pub const GRID: f32 = 20.0;
/// Block label size in world units.
pub const LABEL_SIZE: f32 = 14.0;
/// Text drawn smaller than this on screen is skipped: unreadable, and costly to lay out.
pub const MIN_TEXT_PX: f32 = 6.0;
pub const BLOCK_ROUNDING: f32 = 8.0;
pub const STROKE_WIDTH: f32 = 1.5;

/// Fill and outline colours for a palette tint.
pub fn tint_colors(tint: crate::palette::Tint, dark: bool) -> (Color32, Color32) {
    use crate::palette::Tint;
    // (light fill, light stroke, dark fill, dark stroke)
    let (lf, ls, df, ds) = match tint {
        Tint::Slate => (0xffffff, 0x475569, 0x262a31, 0xa8b3c4),
        Tint::Blue => (0xe8f0fe, 0x2f5fb3, 0x1d2a40, 0x7aa7f5),
        Tint::Teal => (0xe3f5f3, 0x1f7a70, 0x17302d, 0x5fc7b8),
        Tint::Green => (0xe8f5e9, 0x2e7d32, 0x1c2e1e, 0x76c47a),
        Tint::Amber => (0xfff4dc, 0x9a6700, 0x33290f, 0xe6b450),
        Tint::Orange => (0xffeadb, 0xb45309, 0x36230f, 0xf0a262),
        Tint::Red => (0xfde8e8, 0xb42318, 0x3a1d1d, 0xf28b82),
        Tint::Purple => (0xf1eafd, 0x6b3fb8, 0x2a2140, 0xb69af5),
        Tint::Pink => (0xfce8f3, 0xa3246b, 0x3a1c2d, 0xf08cc0),
        Tint::Gray => (0xf1f3f5, 0x5f6670, 0x2a2c30, 0xa0a6ae),
    };
    let c = |v: u32| Color32::from_rgb((v >> 16) as u8, (v >> 8) as u8, v as u8);
    if dark { (c(df), c(ds)) } else { (c(lf), c(ls)) }
}
/// Kind tag ("LB", "SQL") size in world units.
pub const TAG_SIZE: f32 = 10.0;
pub const FRAME_TITLE_SIZE: f32 = 16.0;
pub const LINK_LABEL_SIZE: f32 = 12.0;
/// Side of a resize handle on screen.
pub const HANDLE_PX: f32 = 8.0;
/// Blocks smaller than this on screen are drawn as plain tiles (level of detail).
pub const LOD_BLOCK_PX: f32 = 24.0;
/// Below this zoom, links are drawn as plain thin lines.
pub const LOD_LINK_ZOOM: f32 = 0.3;
