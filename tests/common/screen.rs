//! Looking at the window as a person does, without a display: what each frame drew, read from
//! egui's layers (text by text, with the clip it was drawn under), checked for text that overlaps,
//! text cut off by its container and anything off the window; and the frame rasterized through
//! the project's own CPU rasterizer, for golden pictures and the README gallery.

use archboard::app::{ArchboardApp, Settings};
use archboard::export::{Pixmap, Textures};
use egui::epaint::{ImageDelta, TextShape};
use egui::{LayerId, Order, Rect, Shape, TextureId, TextureOptions};
use egui_kittest::Harness;
use std::fmt::Write as _;

/// The app, and what its last frame drew.
pub struct Screen {
    pub app: ArchboardApp,
    pub frame: Option<Drawn>,
}

pub type ScreenHarness = Harness<'static, Screen>;

/// One frame's text and windows, back to front.
#[derive(Clone, Debug)]
pub struct Drawn {
    pub screen: Rect,
    pub texts: Vec<TextRun>,
    /// Windows, menus and popups: their layer and where egui put them.
    pub areas: Vec<(LayerId, Rect)>,
}

/// One row of one piece of text, in screen points.
#[derive(Clone, Debug)]
pub struct TextRun {
    pub layer: LayerId,
    /// Which text shape of the frame the row belongs to: rows of one shape may touch.
    pub shape: usize,
    pub text: String,
    /// The row's glyphs (their logical boxes, spaces left out).
    pub rect: Rect,
    pub clip: Rect,
}

impl TextRun {
    fn visible(&self) -> bool {
        self.rect.intersects(self.clip)
    }
}

/// The real app at `size` in `theme`, sidebar as `sidebar` says, recording what each frame drew.
pub fn harness(
    size: egui::Vec2,
    theme: egui::Theme,
    sidebar: bool,
    file: Option<std::path::PathBuf>,
    f: impl FnOnce(ArchboardApp) -> ArchboardApp,
) -> ScreenHarness {
    // A fixed name and colour: the Share and Join dialogs show them, and the first use would
    // otherwise pick a colour at random.
    let settings = Settings {
        sidebar,
        profile: Some(archboard::app::Profile {
            name: "Ana".into(),
            color: archboard::collab::presence::COLORS[0].into(),
        }),
        ..Settings::default()
    };
    let app = f(ArchboardApp::with_settings(settings, file));
    let h = Harness::builder()
        .with_size(size)
        .with_step_dt(1.0 / 60.0)
        .build_ui_state(
            |ui, s: &mut Screen| {
                s.app.show(ui);
                s.frame = Some(capture(ui.ctx()));
            },
            Screen { app, frame: None },
        );
    h.ctx.set_theme(theme);
    h
}

/// Reads the layers egui is about to paint: every text row with its clip, and every area.
pub fn capture(ctx: &egui::Context) -> Drawn {
    let mut layers: Vec<LayerId> = vec![LayerId::background()];
    layers.extend(ctx.memory(|m| m.layer_ids().collect::<Vec<_>>()));
    layers.dedup();
    let visible = ctx.memory(|m| m.areas().visible_layer_ids());
    let transforms: Vec<_> = layers
        .iter()
        .map(|l| ctx.layer_transform_to_global(*l))
        .collect();
    let areas = layers
        .iter()
        .filter(|l| l.order != Order::Background && visible.contains(l))
        .filter_map(|l| Some((*l, ctx.memory(|m| m.area_rect(l.id))?)))
        .collect();
    let mut texts = Vec::new();
    let mut shape = 0;
    ctx.graphics(|g| {
        for (layer, transform) in layers.iter().zip(&transforms) {
            let Some(list) = g.get(*layer) else { continue };
            for clipped in list.all_entries() {
                let mut clip = clipped.clip_rect;
                if let Some(t) = transform {
                    clip = t.mul_rect(clip);
                }
                walk(&clipped.shape, &mut |t: &TextShape| {
                    shape += 1;
                    for row in &t.galley.rows {
                        let mut rect = Rect::NOTHING;
                        let mut text = String::new();
                        for g in &row.glyphs {
                            text.push(g.chr);
                            if !g.chr.is_whitespace() {
                                rect = rect.union(g.logical_rect().translate(row.pos.to_vec2()));
                            }
                        }
                        if !rect.is_positive() || t.angle != 0.0 {
                            continue;
                        }
                        let mut rect = rect.translate(t.pos.to_vec2());
                        if let Some(tr) = transform {
                            rect = tr.mul_rect(rect);
                        }
                        texts.push(TextRun {
                            layer: *layer,
                            shape,
                            text,
                            rect,
                            clip,
                        });
                    }
                });
            }
        }
    });
    Drawn {
        screen: ctx.content_rect(),
        texts,
        areas,
    }
}

fn walk(shape: &Shape, f: &mut impl FnMut(&TextShape)) {
    match shape {
        Shape::Text(t) => f(t),
        Shape::Vec(v) => v.iter().for_each(|s| walk(s, f)),
        _ => {}
    }
}

/// Everything a person would call broken in the frame, one line each.
pub fn problems(d: &Drawn) -> Vec<String> {
    let mut out = Vec::new();
    let texts: Vec<&TextRun> = d.texts.iter().filter(|t| t.visible()).collect();
    // Overlapping text: two pieces of text in one layer whose glyphs cover each other. (A window
    // above another layer hides what is under it, so layers are compared only with themselves.)
    for (i, a) in texts.iter().enumerate() {
        for b in &texts[i + 1..] {
            if a.layer != b.layer || a.shape == b.shape {
                continue;
            }
            let both = a.rect.intersect(b.rect).intersect(a.clip).intersect(b.clip);
            if both.width() > 1.5 && both.height() > 2.0 {
                out.push(format!(
                    "text overlaps: {:?} at {} and {:?} at {}",
                    short(&a.text),
                    rect(a.rect),
                    short(&b.text),
                    rect(b.rect)
                ));
            }
        }
    }
    // Text cut off by its container: across, anywhere (egui wraps or elides text that is meant
    // to fit, so a cut is a layout that does not fit); from below, only where the clip is the
    // window's edge rather than a scrolled list's.
    for t in &texts {
        let cut_across =
            t.rect.left() < t.clip.left() - 0.5 || t.rect.right() > t.clip.right() + 0.5;
        let cut_below = t.rect.bottom() > d.screen.bottom() + 0.5;
        if cut_across || cut_below {
            out.push(format!(
                "text clipped: {:?} at {} drawn in {}",
                short(&t.text),
                rect(t.rect),
                rect(t.clip)
            ));
        }
    }
    // Off the window.
    for t in &texts {
        let shown = t.rect.intersect(t.clip);
        if !d.screen.expand(0.5).contains_rect(shown) {
            out.push(format!(
                "text off the window: {:?} at {}",
                short(&t.text),
                rect(t.rect)
            ));
        }
    }
    for (layer, r) in &d.areas {
        if !d.screen.expand(0.5).contains_rect(*r) {
            out.push(format!(
                "{:?} area {:?} off the window: {}",
                layer.order,
                layer.id,
                rect(*r)
            ));
        }
    }
    out.dedup();
    out
}

fn short(s: &str) -> String {
    let s = s.trim();
    if s.chars().count() > 40 {
        let cut: String = s.chars().take(40).collect();
        format!("{cut}…")
    } else {
        s.to_owned()
    }
}

fn rect(r: Rect) -> String {
    let mut s = String::new();
    let _ = write!(
        s,
        "[{:.0},{:.0} {:.0}×{:.0}]",
        r.min.x,
        r.min.y,
        r.width(),
        r.height()
    );
    s
}

/// The last frame as pixels, through the export's rasterizer: egui's shapes, tessellated, with
/// the font atlas as it stands now.
pub fn render(h: &ScreenHarness) -> image::RgbaImage {
    let out = h.output();
    let ppp = out.pixels_per_point;
    let prims = h.ctx.tessellate(out.shapes.clone(), ppp);
    let mut textures = Textures::default();
    let atlas = h.ctx.fonts(|f| f.image());
    let mut delta = egui::TexturesDelta::default();
    delta.set.insert(
        TextureId::default(),
        vec![ImageDelta::full(atlas, TextureOptions::LINEAR)].into(),
    );
    textures.apply(&mut delta);
    let size = h.ctx.content_rect().size() * ppp;
    let (w, hgt) = (size.x.round() as usize, size.y.round() as usize);
    let mut pixmap = Pixmap::new(w, hgt);
    pixmap.fill(h.ctx.global_style().visuals.panel_fill);
    pixmap.draw(&prims, &textures);
    image::RgbaImage::from_raw(w as u32, hgt as u32, pixmap.into_straight_rgba())
        .expect("the pixmap's size")
}

/// PNG bytes of an image.
pub fn png(img: &image::RgbaImage) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png)
        .expect("encode png");
    out.into_inner()
}
