//! Text and number fields whose typing or dragging becomes one undo step when it ends: the draft
//! lives here while the user works, and only the finished value becomes an edit.

use crate::model::limits::{MAX_PARTITION_KEY_CHARS, truncate_chars};
use crate::model::{Block, BlockId, LinkId};

/// Drafts of the fields being worked on.
#[derive(Default)]
pub struct Fields {
    /// Text being typed into a field, committed as one edit when the field loses focus.
    draft: Option<(Field, String)>,
    /// A number being dragged or typed, committed as one edit when the drag or typing ends.
    num_draft: Option<(NumField, f64)>,
}

/// The number fields of the design review.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NumField {
    Instances(BlockId),
    Capacity(BlockId),
    Replication(BlockId),
    Share(LinkId),
    /// The estimator's inputs, by their index in `EstimateInputs::fields`.
    Estimate(usize),
}

/// How a number field reads and steps.
pub struct Num<'a> {
    pub range: std::ops::RangeInclusive<f64>,
    /// Change per pixel dragged.
    pub speed: f64,
    pub suffix: &'a str,
    /// Whole numbers only: instances, copies, users, bytes.
    pub whole: bool,
}

impl<'a> Num<'a> {
    pub fn whole(range: std::ops::RangeInclusive<f64>, suffix: &'a str) -> Self {
        Self {
            range,
            speed: 0.05,
            suffix,
            whole: true,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Field {
    BlockLabel(BlockId),
    Notes(BlockId),
    LinkLabel(LinkId),
    PartitionKey(BlockId),
    PrivateNote(Option<BlockId>),
    /// An entity's field name or type, by the field's place.
    EntityName(BlockId, usize),
    EntityType(BlockId, usize),
    /// A card's item by its place, and which part of it (a requirement's text; an endpoint's
    /// path, request or response).
    CardItem(BlockId, usize, u8),
}

impl Fields {
    /// A number field whose drag or typing becomes one undo step when it ends.
    pub fn number(
        &mut self,
        ui: &mut egui::Ui,
        field: NumField,
        current: f64,
        spec: Num<'_>,
        label: egui::Id,
    ) -> Option<f64> {
        let mut v = match self.num_draft {
            Some((f, v)) if f == field => v,
            _ => current,
        };
        let mut drag = egui::DragValue::new(&mut v)
            .range(spec.range)
            .speed(spec.speed)
            .suffix(spec.suffix);
        if spec.whole {
            drag = drag.max_decimals(0);
        }
        let r = ui.add(drag).labelled_by(label);
        if r.changed() || r.dragged() || r.has_focus() {
            self.num_draft = Some((field, v));
        }
        let ended =
            r.drag_stopped() || r.lost_focus() || (r.changed() && !r.dragged() && !r.has_focus());
        if ended {
            self.num_draft = None;
            if v != current && v.is_finite() {
                return Some(v);
            }
        }
        None
    }

    pub fn partition_key(&mut self, ui: &mut egui::Ui, block: &Block) -> Option<String> {
        self.draft_field(
            ui,
            Field::PartitionKey(block.id),
            &block.props.partition_key,
            1,
            "e.g. user_id",
        )
        .map(|k| truncate_chars(&k, MAX_PARTITION_KEY_CHARS))
    }

    /// A one-line field `width` wide of at most `max` characters, committed like
    /// [`Fields::draft_field`].
    pub fn draft_narrow(
        &mut self,
        ui: &mut egui::Ui,
        field: Field,
        current: &str,
        (width, max): (f32, usize),
        hint: &str,
    ) -> Option<String> {
        self.draft(ui, field, current, |text| {
            egui::TextEdit::singleline(text)
                .hint_text(hint)
                .char_limit(max)
                .desired_width(width)
        })
    }

    /// A text field whose edits become one undo step when it loses focus.
    pub fn draft_field(
        &mut self,
        ui: &mut egui::Ui,
        field: Field,
        current: &str,
        rows: usize,
        hint: &str,
    ) -> Option<String> {
        self.draft(ui, field, current, |text| {
            let edit = if rows > 1 {
                egui::TextEdit::multiline(text).desired_rows(rows)
            } else {
                egui::TextEdit::singleline(text)
            };
            edit.hint_text(hint).desired_width(f32::INFINITY)
        })
    }

    /// The text box `make` builds over the draft (or `current`); its text when it loses focus
    /// changed.
    fn draft(
        &mut self,
        ui: &mut egui::Ui,
        field: Field,
        current: &str,
        make: impl for<'t> FnOnce(&'t mut String) -> egui::TextEdit<'t>,
    ) -> Option<String> {
        let mut text = match &self.draft {
            Some((f, t)) if *f == field => t.clone(),
            _ => current.to_owned(),
        };
        let r = ui.add(make(&mut text));
        if r.has_focus() || r.changed() {
            self.draft = Some((field, text.clone()));
        }
        if r.lost_focus() {
            self.draft = None;
            if text != current {
                return Some(text);
            }
        }
        None
    }
}
