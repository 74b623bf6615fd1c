//! Where links run and where their labels sit: the world-space layout the painter, hit-testing
//! and exports share, measured with the painter's own fonts.

use super::link_labels::{self, Measure};
use super::route;
use crate::model::{BlockId, Board, Link, LinkId, Point};
use egui::{Color32, FontId};
use std::collections::{BTreeSet, HashMap};

/// Text sizes by (hash of the text, font size, wrap width).
type TextSizes = HashMap<(u64, u32, u32), (f32, f32)>;

/// Where links run and where their labels sit, in world space: computed once per board state
/// and shared by the screen, hit-testing and exports.
#[derive(Debug, Default)]
pub struct LinkLayout {
    /// Fan-out offsets of parallel links ([`route::fan_offsets`]).
    pub fans: HashMap<LinkId, f32>,
    /// Each labelled link's label: centre and size at 100 % zoom ([`link_labels::place`]).
    pub labels: HashMap<LinkId, link_labels::Placed>,
    /// Text sizes measured for this layout, kept for the next one: most labels do not change
    /// between two board states, and laying text out is the expensive part.
    sizes: TextSizes,
}

impl LinkLayout {
    pub fn new(board: &Board, fonts: &mut egui::epaint::text::FontsView<'_>) -> Self {
        Self::after(board, fonts, None)
    }

    /// A layout for `board`, reusing the text sizes `previous` measured.
    pub fn after(
        board: &Board,
        fonts: &mut egui::epaint::text::FontsView<'_>,
        previous: Option<&LinkLayout>,
    ) -> Self {
        let fans = route::fan_offsets(board);
        let mut measure = FontMeasure {
            fonts,
            old: previous.map(|p| &p.sizes),
            sizes: HashMap::new(),
        };
        let labels = link_labels::place(board, &fans, &mut measure);
        let sizes = measure.sizes;
        Self {
            fans,
            labels,
            sizes,
        }
    }

    /// This layout with the labels of links touching `moving` placed again, for the frames of
    /// a drag: cheap on a big board, and exact again once the drag ends and a full layout
    /// follows.
    pub fn moved(
        &self,
        board: &Board,
        fonts: &mut egui::epaint::text::FontsView<'_>,
        moving: &BTreeSet<BlockId>,
    ) -> Self {
        let redo: BTreeSet<LinkId> = board
            .links
            .values()
            .filter(|l| moving.contains(&l.from.block) || moving.contains(&l.to.block))
            .map(|l| l.id)
            .collect();
        let mut measure = FontMeasure {
            fonts,
            old: Some(&self.sizes),
            sizes: HashMap::new(),
        };
        let labels =
            link_labels::replace_some(board, &self.fans, &mut measure, &self.labels, &redo);
        Self {
            fans: self.fans.clone(),
            labels,
            sizes: self.sizes.clone(),
        }
    }

    pub fn fan(&self, id: LinkId) -> f32 {
        self.fans.get(&id).copied().unwrap_or(0.0)
    }

    /// Where a link's label (and what is drawn beside it) sits: its placed centre, or the
    /// middle of its path when it has no label.
    pub fn label_anchor(&self, link: &Link, path: &[Point]) -> Point {
        self.labels
            .get(&link.id)
            .map_or_else(|| route::midpoint(path), |p| p.centre)
    }
}

/// Measures text with the fonts the painter draws with, remembering what it measured.
struct FontMeasure<'f, 'a, 'o> {
    fonts: &'f mut egui::epaint::text::FontsView<'a>,
    old: Option<&'o TextSizes>,
    sizes: TextSizes,
}

impl Measure for FontMeasure<'_, '_, '_> {
    fn measure(&mut self, text: &str, size: f32, wrap: Option<f32>) -> (f32, f32) {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        text.hash(&mut h);
        let key = (h.finish(), size.to_bits(), wrap.unwrap_or(-1.0).to_bits());
        if let Some(&s) = self.sizes.get(&key).or_else(|| self.old?.get(&key)) {
            self.sizes.insert(key, s);
            return s;
        }
        let font = FontId::proportional(size);
        let galley = match wrap {
            Some(w) => self.fonts.layout(text.to_owned(), font, Color32::WHITE, w),
            None => self
                .fonts
                .layout_no_wrap(text.to_owned(), font, Color32::WHITE),
        };
        let s = (galley.size().x, galley.size().y);
        self.sizes.insert(key, s);
        s
    }
}
