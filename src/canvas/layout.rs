//! Where links run and where their labels sit: the world-space layout the painter, hit-testing
//! and exports share, measured with the painter's own fonts.

use super::link_labels::{self, Measure};
use super::route;
use crate::model::{BlockId, Board, Link, LinkId, Point, SpatialIndex};
use egui::{Color32, FontId};
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, TryRecvError, channel};

/// Text sizes by (hash of the text, font size, wrap width).
type TextSizes = HashMap<(u64, u32, u32), (f32, f32)>;

/// Where links run and where their labels sit, in world space: computed once per board state
/// and shared by the screen, hit-testing and exports. The maps are shared between a layout and
/// the ones made from it during a drag, which only add the labels that moved.
#[derive(Clone, Debug, Default)]
pub struct LinkLayout {
    /// Fan-out offsets of parallel links ([`route::fan_offsets`]).
    pub fans: Arc<HashMap<LinkId, f32>>,
    /// Each labelled link's label: centre and size at 100 % zoom ([`link_labels::place`]).
    labels: Arc<HashMap<LinkId, link_labels::Placed>>,
    /// Labels placed again while their blocks are dragged; they win over `labels`.
    moved: HashMap<LinkId, link_labels::Placed>,
    /// Text sizes measured for this layout, kept for the next one: most labels do not change
    /// between two board states, and laying text out is the expensive part.
    sizes: Arc<TextSizes>,
}

/// Boards with at least this many links get their layout from a worker ([`LayoutWorker`]): at
/// 100,000 links placing every label takes most of a second.
pub const BIG_LAYOUT: usize = 2_000;

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
            old: previous.map(|p| p.sizes.as_ref()),
            sizes: HashMap::new(),
        };
        let labels = link_labels::place(board, &fans, &mut measure);
        let sizes = measure.sizes;
        Self {
            fans: Arc::new(fans),
            labels: Arc::new(labels),
            moved: HashMap::new(),
            sizes: Arc::new(sizes),
        }
    }

    /// This layout with the labels of links touching `moving` placed again, for the frames of
    /// a drag: its cost follows the links that move, not the board. They keep clear of the
    /// blocks around them; the whole layout is redone once the drag ends.
    pub fn moved(
        &self,
        board: &Board,
        index: &SpatialIndex,
        fonts: &mut egui::epaint::text::FontsView<'_>,
        moving: &BTreeSet<BlockId>,
    ) -> Self {
        let redo: BTreeSet<LinkId> = moving
            .iter()
            .flat_map(|b| index.links_of(*b).iter().copied())
            .collect();
        let mut measure = FontMeasure {
            fonts,
            old: Some(&self.sizes),
            sizes: HashMap::new(),
        };
        let moved = link_labels::place_some(board, index, &self.fans, &mut measure, &redo);
        Self {
            fans: Arc::clone(&self.fans),
            labels: Arc::clone(&self.labels),
            moved,
            sizes: Arc::clone(&self.sizes),
        }
    }

    pub fn fan(&self, id: LinkId) -> f32 {
        self.fans.get(&id).copied().unwrap_or(0.0)
    }

    /// Where a link's label sits, when it has one.
    pub fn label(&self, id: LinkId) -> Option<&link_labels::Placed> {
        self.moved.get(&id).or_else(|| self.labels.get(&id))
    }

    /// Where a link's label (and what is drawn beside it) sits: its placed centre, or the
    /// middle of its path when it has no label.
    pub fn label_anchor(&self, link: &Link, path: &[Point]) -> Point {
        self.label(link.id)
            .map_or_else(|| route::midpoint(path), |p| p.centre)
    }
}

/// Computes layouts of big boards on a worker thread with its own fonts (the very fonts the
/// window draws with: both use egui's defaults), one at a time, from a snapshot of the board.
#[derive(Default)]
pub struct LayoutWorker {
    pending: Option<(u64, Receiver<LinkLayout>)>,
}

impl LayoutWorker {
    pub fn is_busy(&self) -> bool {
        self.pending.is_some()
    }

    /// Starts laying out `board` (at `revision`), reusing `previous`'s text sizes; `ctx` is
    /// woken when it is done.
    pub fn start(
        &mut self,
        revision: u64,
        board: Board,
        previous: Option<LinkLayout>,
        ctx: &egui::Context,
    ) {
        let (tx, rx) = channel();
        let wake = ctx.clone();
        let spawned = crate::platform::background("link-layout", move || {
            let fonts = egui::Context::default();
            let mut layout = None;
            // Fonts exist once a frame has run; the frame draws nothing.
            let mut frame = fonts.run_ui(egui::RawInput::default(), |ui| {
                layout = Some(
                    ui.ctx()
                        .fonts_mut(|f| LinkLayout::after(&board, f, previous.as_ref())),
                );
            });
            // No window shows this frame: its font atlas upload goes nowhere on purpose.
            frame.textures_delta.clear();
            if let Some(layout) = layout {
                // The canvas may have moved on to another board; then nobody listens.
                let _ = tx.send(layout);
                wake.request_repaint();
            }
        });
        if spawned.is_ok() {
            self.pending = Some((revision, rx));
        }
    }

    /// The finished layout and the revision it was made for, once there is one.
    pub fn take(&mut self) -> Option<(u64, LinkLayout)> {
        let (revision, rx) = self.pending.as_ref()?;
        match rx.try_recv() {
            Ok(layout) => {
                let revision = *revision;
                self.pending = None;
                Some((revision, layout))
            }
            Err(TryRecvError::Empty) => None,
            // The worker died (it should not); the next frame asks again.
            Err(TryRecvError::Disconnected) => {
                self.pending = None;
                None
            }
        }
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
        let s = match wrap {
            Some(w) => {
                let galley = self.fonts.layout(text.to_owned(), font, Color32::WHITE, w);
                (galley.size().x, galley.size().y)
            }
            // One line per paragraph, each as wide as its glyphs' advances: no galley is made,
            // so measuring 100,000 labels does not fill the font cache with 100,000 galleys
            // (a third of a gigabyte) that nothing draws.
            None => {
                let rows = text.split('\n');
                let (mut width, mut lines) = (0.0f32, 0.0f32);
                for row in rows {
                    let w: f32 = row.chars().map(|c| self.fonts.glyph_width(&font, c)).sum();
                    width = width.max(w);
                    lines += 1.0;
                }
                (width, lines * self.fonts.row_height(&font))
            }
        };
        self.sizes.insert(key, s);
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::generate::synthetic;

    fn laid_out_here(board: &Board) -> LinkLayout {
        let ctx = egui::Context::default();
        let mut out = None;
        let mut frame = ctx.run_ui(egui::RawInput::default(), |ui| {
            out = Some(ui.ctx().fonts_mut(|f| LinkLayout::new(board, f)));
        });
        frame.textures_delta.clear();
        out.expect("laid out")
    }

    #[test]
    fn a_label_measured_from_its_glyphs_is_as_wide_as_its_galley() {
        let ctx = egui::Context::default();
        let mut frame = ctx.run_ui(egui::RawInput::default(), |ui| {
            ui.ctx().fonts_mut(|f| {
                for text in [
                    "call 17",
                    "Writes (async)",
                    "HTTPS / JSON",
                    "AVWA To",
                    "fan-out\nreads",
                ] {
                    let size = crate::theme::LINK_LABEL_SIZE;
                    let galley = f.layout_no_wrap(
                        text.to_owned(),
                        FontId::proportional(size),
                        Color32::WHITE,
                    );
                    let mut m = FontMeasure {
                        fonts: f,
                        old: None,
                        sizes: HashMap::new(),
                    };
                    let (w, h) = m.measure(text, size, None);
                    let g = galley.size();
                    assert!((w - g.x).abs() <= 1.5, "{text:?}: {w} against {}", g.x);
                    assert!((h - g.y).abs() <= 1.0, "{text:?}: {h} against {}", g.y);
                }
            });
        });
        frame.textures_delta.clear();
    }

    #[test]
    fn the_worker_places_labels_where_the_window_would() {
        let board = synthetic(300, 300);
        let here = laid_out_here(&board);
        let mut worker = LayoutWorker::default();
        worker.start(7, board.clone(), None, &egui::Context::default());
        let deadline = web_time::Instant::now() + std::time::Duration::from_secs(60);
        let (revision, there) = loop {
            if let Some(done) = worker.take() {
                break done;
            }
            assert!(
                web_time::Instant::now() < deadline,
                "the worker never finished"
            );
            std::thread::sleep(std::time::Duration::from_millis(5));
        };
        assert_eq!(revision, 7);
        assert!(!worker.is_busy());
        let labelled = board.links.values().filter(|l| !l.label.is_empty()).count();
        assert!(labelled > 100);
        for l in board.links.values() {
            assert_eq!(here.label(l.id), there.label(l.id), "{:?}", l.id);
            assert_eq!(here.fan(l.id), there.fan(l.id));
        }
    }

    #[test]
    fn a_drag_places_only_the_moving_links_labels_again() {
        let mut board = synthetic(200, 200);
        let base = laid_out_here(&board);
        let index = SpatialIndex::build(&board);
        let moving = *board.blocks.keys().nth(50).expect("a block");
        if let Some(b) = board.blocks.get_mut(&moving) {
            b.rect.x += 400.0;
        }
        let index_after = {
            let mut i = index.clone();
            let mut changed = crate::model::Changes::default();
            changed.blocks.insert(moving);
            i.update(&board, &changed);
            i
        };
        let ctx = egui::Context::default();
        let mut dragged = None;
        let mut frame = ctx.run_ui(egui::RawInput::default(), |ui| {
            dragged = Some(
                ui.ctx()
                    .fonts_mut(|f| base.moved(&board, &index_after, f, &BTreeSet::from([moving]))),
            );
        });
        frame.textures_delta.clear();
        let dragged = dragged.expect("laid out");
        let touching: BTreeSet<LinkId> = index_after.links_of(moving).iter().copied().collect();
        assert!(!touching.is_empty());
        for l in board.links.values() {
            if touching.contains(&l.id) {
                let placed = dragged.label(l.id).expect("placed again");
                let (a, b) = (&board.blocks[&l.from.block], &board.blocks[&l.to.block]);
                // It follows the link to where the block went.
                let reach = a.rect.union(&b.rect).expanded(150.0);
                assert!(
                    reach.contains(placed.centre),
                    "{placed:?} away from {reach:?}"
                );
            } else {
                assert_eq!(dragged.label(l.id), base.label(l.id));
            }
        }
    }
}
