//! The pen and the eraser: freehand ink on the board.
//!
//! A stroke becomes a board item the moment the pen goes down, inside one gesture, so the
//! whole stroke is one undo step however long it takes to draw. The board (and with it a
//! room) hears of new points at most [`SYNC_EVERY`]: each update only appends to the stroke's
//! text, which keeps a stroke being drawn well under a kilobyte a second on the wire. The
//! screen draws the points not yet handed on from the pen's own copy, so drawing feels
//! immediate.

use super::{CanvasState, View};
use crate::model::ink::{self, INK_KIND};
use crate::model::patch::BlockField;
use crate::model::{Block, BlockId, Document, Edit, Point};
use std::collections::BTreeSet;
use std::time::Duration;
use web_time::Instant;

/// How often a stroke being drawn is written to the board (and so to a room).
pub const SYNC_EVERY: Duration = Duration::from_millis(160);
/// Points closer than this to the previous one, in screen pixels, are dropped: they add
/// bytes, not shape.
const MIN_STEP_PX: f32 = 3.0;

#[derive(Default)]
pub(super) struct PenState {
    stroke: Option<Stroke>,
    /// Strokes the eraser has crossed in this drag, removed together when it lifts.
    erasing: BTreeSet<BlockId>,
}

/// A stroke being drawn.
struct Stroke {
    id: BlockId,
    /// Where its first point lies in the world.
    origin: Point,
    points: Vec<Point>,
    /// How many points the board has.
    synced: usize,
    last_sync: Instant,
}

impl CanvasState {
    /// The pen or the eraser, while it is the tool: down draws (or erases), up finishes.
    pub(super) fn pen_pointer(
        &mut self,
        ui: &egui::Ui,
        response: &egui::Response,
        doc: &mut Document,
        view: &View,
        down: bool,
    ) {
        // A viewer's board takes no ink: the press is ignored rather than refused every frame.
        if doc.is_read_only() {
            return;
        }
        let at = response
            .interact_pointer_pos()
            .or_else(|| response.hover_pos())
            .map(|p| view.to_world(p));
        match at.filter(|_| down) {
            Some(p) if self.tool == super::Tool::Pen => self.pen_at(doc, p, view.camera.zoom),
            Some(p) => {
                if let Some(id) = super::hit::block_at(doc, p, view.camera.zoom).filter(|id| {
                    doc.board()
                        .block(*id)
                        .is_some_and(|b| b.is_ink() && !b.locked)
                }) {
                    self.pen.erasing.insert(id);
                }
            }
            None => self.finish_pen(doc),
        }
        if self.pen.stroke.is_some() || !self.pen.erasing.is_empty() {
            ui.ctx().request_repaint_after(SYNC_EVERY);
        }
    }

    fn pen_at(&mut self, doc: &mut Document, world: Point, zoom: f32) {
        let now = Instant::now();
        let Some(stroke) = &mut self.pen.stroke else {
            let origin = Point::new(ink::quantize(world.x), ink::quantize(world.y));
            let points = vec![Point::new(0.0, 0.0)];
            let id = doc.new_block_id();
            let mut block = Block::new(id, INK_KIND, "", ink::rect_at(origin, &points));
            block.ink = points.clone();
            // In a room, ink is in the person's colour, as their pointer and laser are.
            block.ink_color = self.laser_color.map(|c| [c.r(), c.g(), c.b()]);
            doc.begin_gesture();
            if self.apply(
                doc,
                Edit::Insert {
                    blocks: vec![block],
                    links: vec![],
                },
            ) {
                self.pen.stroke = Some(Stroke {
                    id,
                    origin,
                    points,
                    synced: 1,
                    last_sync: now,
                });
            } else {
                doc.end_gesture();
            }
            return;
        };
        let p = Point::new(
            ink::quantize(world.x - stroke.origin.x),
            ink::quantize(world.y - stroke.origin.y),
        );
        let last = stroke.points[stroke.points.len() - 1];
        if (p.x - last.x).hypot(p.y - last.y) * zoom >= MIN_STEP_PX
            && stroke.points.len() < ink::MAX_POINTS
        {
            stroke.points.push(p);
        }
        if now.duration_since(stroke.last_sync) >= SYNC_EVERY {
            self.sync_stroke(doc);
        }
    }

    /// Hands the stroke's new points to the board.
    fn sync_stroke(&mut self, doc: &mut Document) {
        let Some(stroke) = &mut self.pen.stroke else {
            return;
        };
        stroke.last_sync = Instant::now();
        if stroke.synced == stroke.points.len() {
            return;
        }
        stroke.synced = stroke.points.len();
        let fields = vec![
            BlockField::Ink(stroke.points.clone()),
            BlockField::Rect(ink::rect_at(stroke.origin, &stroke.points)),
        ];
        let id = stroke.id;
        if !self.apply(doc, Edit::PatchBlocks(vec![(id, fields)])) {
            // Gone under us (a peer deleted it, or the board was replaced): stop drawing it.
            self.pen.stroke = None;
            doc.end_gesture();
        }
    }

    /// Ends a stroke or an erasing drag, if one is under way.
    pub(super) fn finish_pen(&mut self, doc: &mut Document) {
        if self.pen.stroke.is_some() {
            self.sync_stroke(doc);
            if self.pen.stroke.take().is_some() {
                doc.end_gesture();
            }
        }
        let erased = std::mem::take(&mut self.pen.erasing);
        let erased: Vec<BlockId> = erased
            .into_iter()
            .filter(|id| doc.board().block(*id).is_some())
            .collect();
        if !erased.is_empty() {
            self.selection.blocks.retain(|id| !erased.contains(id));
            self.apply(
                doc,
                Edit::Remove {
                    blocks: erased,
                    links: vec![],
                },
            );
        }
    }

    /// The stroke being drawn (its own points and where its first lies), for the screen.
    pub(super) fn pen_preview(&self) -> Option<(BlockId, Point, &[Point])> {
        self.pen
            .stroke
            .as_ref()
            .map(|s| (s.id, s.origin, s.points.as_slice()))
    }

    /// Strokes the eraser has crossed and will remove when it lifts.
    pub(super) fn erasing(&self) -> &BTreeSet<BlockId> {
        &self.pen.erasing
    }
}
