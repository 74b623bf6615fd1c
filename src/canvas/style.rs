//! Everything the painter needs besides the board and the view: one value, built the same way
//! for the screen and for every export, so they draw alike.

use crate::palette::Palette;
use crate::theme::Colors;

pub struct Style<'a> {
    pub colors: &'a Colors,
    pub dark: bool,
    pub palette: &'a Palette,
    pub grid: bool,
    /// Where links run and where their labels sit ([`super::layout::LinkLayout`]); the screen
    /// caches it per board state, exports compute it once.
    pub layout: &'a super::layout::LinkLayout,
    /// When set, blocks show how many lens items were covered and whether they have notes.
    pub badges: Option<&'a crate::lens::LensLibrary>,
    /// The design review's overlay and failure drill, when either is on.
    pub design: Option<&'a super::design::Design>,
}
