//! A small CPU rasterizer for egui's tessellated meshes, so exports need no window or GPU.
//!
//! egui's tessellator already anti-aliases by feathering edges into thin translucent triangles,
//! so sampling each pixel centre once reproduces the screen. Colours are premultiplied sRGB
//! bytes, blended "source over" as egui's renderers do.

use egui::epaint::{ClippedPrimitive, ImageDelta, Mesh, Primitive, TextureId};
use egui::{Color32, ImageData, Rect};
use std::collections::HashMap;

/// Texture images by id, kept up to date from egui's texture deltas.
#[derive(Default)]
pub struct Textures {
    images: HashMap<TextureId, Image>,
}

/// One texture's pixels, row by row.
struct Image {
    w: usize,
    h: usize,
    px: Vec<Color32>,
}

impl Textures {
    /// Takes in egui's texture changes (and marks them handled, as egui requires).
    pub fn apply(&mut self, delta: &mut egui::TexturesDelta) {
        for (id, deltas) in &delta.set {
            for d in deltas {
                self.set(*id, d);
            }
        }
        for id in &delta.free {
            self.images.remove(id);
        }
        delta.clear();
    }

    fn set(&mut self, id: TextureId, d: &ImageDelta) {
        let ImageData::Color(img) = &d.image;
        let [w, h] = img.size;
        match d.pos {
            None => {
                self.images.insert(
                    id,
                    Image {
                        w,
                        h,
                        px: img.pixels.clone(),
                    },
                );
            }
            Some([x0, y0]) => {
                if let Some(t) = self.images.get_mut(&id) {
                    for y in 0..h {
                        for x in 0..w {
                            let (tx, ty) = (x0 + x, y0 + y);
                            if tx < t.w && ty < t.h {
                                t.px[ty * t.w + tx] = img.pixels[y * w + x];
                            }
                        }
                    }
                }
            }
        }
    }
}

impl Image {
    /// Bilinear sample at normalised `uv`; white when there is no image.
    fn sample(image: Option<&Image>, u: f32, v: f32) -> [f32; 4] {
        let Some(&Image { w, h, ref px }) = image else {
            return [255.0; 4];
        };
        if w == 0 || h == 0 {
            return [255.0; 4];
        }
        let x = (u * w as f32 - 0.5).clamp(0.0, (w - 1) as f32);
        let y = (v * h as f32 - 0.5).clamp(0.0, (h - 1) as f32);
        // Both are non-negative here, so truncation is floor (without a libm call).
        let (x0, y0) = (x as usize, y as usize);
        let (x1, y1) = ((x0 + 1).min(w - 1), (y0 + 1).min(h - 1));
        let (fx, fy) = (x - x0 as f32, y - y0 as f32);
        let get = |x: usize, y: usize| px[y * w + x].to_array().map(f32::from);
        let (a, b, c, d) = (get(x0, y0), get(x1, y0), get(x0, y1), get(x1, y1));
        let mut out = [0.0; 4];
        for i in 0..4 {
            let top = a[i] + (b[i] - a[i]) * fx;
            let bottom = c[i] + (d[i] - c[i]) * fx;
            out[i] = top + (bottom - top) * fy;
        }
        out
    }
}

/// An RGBA image with premultiplied alpha, being drawn into.
pub struct Pixmap {
    pub width: usize,
    pub height: usize,
    /// Premultiplied RGBA, row by row.
    pub data: Vec<u8>,
}

impl Pixmap {
    pub fn new(width: usize, height: usize) -> Self {
        Self {
            width,
            height,
            data: vec![0; width * height * 4],
        }
    }

    /// Sets every pixel to `color` (premultiplied).
    pub fn fill(&mut self, color: Color32) {
        let c = color.to_array();
        for px in self.data.chunks_exact_mut(4) {
            px.copy_from_slice(&c);
        }
    }

    /// Fills every primitive's triangles, clipped to its clip rectangle. The picture is split into
    /// horizontal bands drawn in parallel; each band only touches its own rows.
    pub fn draw(&mut self, prims: &[ClippedPrimitive], textures: &Textures) {
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .clamp(1, 8);
        self.draw_in_bands(prims, textures, threads);
    }

    fn draw_in_bands(&mut self, prims: &[ClippedPrimitive], textures: &Textures, threads: usize) {
        let width = self.width;
        let rows_per_band = self.height.div_ceil(threads).max(1);
        if width == 0 {
            return;
        }
        let draw_band = |mut band: Band<'_>| {
            for p in prims {
                if let Primitive::Mesh(mesh) = &p.primitive {
                    band.draw_mesh(p.clip_rect, mesh, textures);
                }
            }
        };
        // One band needs no thread, and a browser tab (which reports no parallelism) has none.
        if threads == 1 {
            draw_band(Band {
                width,
                top: 0,
                rows: self.height,
                data: &mut self.data,
            });
            return;
        }
        std::thread::scope(|scope| {
            for (i, chunk) in self.data.chunks_mut(rows_per_band * width * 4).enumerate() {
                let rows = chunk.len() / (width * 4);
                let band = Band {
                    width,
                    top: i * rows_per_band,
                    rows,
                    data: chunk,
                };
                scope.spawn(move || draw_band(band));
            }
        });
    }

    /// Converts premultiplied pixels to the straight alpha PNG stores.
    pub fn into_straight_rgba(mut self) -> Vec<u8> {
        for px in self.data.chunks_exact_mut(4) {
            let a = px[3];
            if a != 0 && a != 255 {
                for c in &mut px[..3] {
                    *c = ((u32::from(*c) * 255 + u32::from(a) / 2) / u32::from(a)).min(255) as u8;
                }
            }
        }
        self.data
    }
}

/// Where the horizontal line at `py` crosses a triangle: (leftmost x, rightmost x).
fn row_span(tri: [egui::Pos2; 3], py: f32) -> Option<(f32, f32)> {
    let (mut lo, mut hi) = (f32::INFINITY, f32::NEG_INFINITY);
    for (p, q) in [(tri[0], tri[1]), (tri[1], tri[2]), (tri[2], tri[0])] {
        if (p.y <= py && q.y >= py) || (q.y <= py && p.y >= py) {
            if (q.y - p.y).abs() < 1e-6 {
                lo = lo.min(p.x.min(q.x));
                hi = hi.max(p.x.max(q.x));
            } else {
                let x = p.x + (py - p.y) / (q.y - p.y) * (q.x - p.x);
                lo = lo.min(x);
                hi = hi.max(x);
            }
        }
    }
    (lo <= hi).then_some((lo, hi))
}

/// A horizontal strip of a [`Pixmap`]: rows `top..top + rows`.
struct Band<'a> {
    width: usize,
    top: usize,
    rows: usize,
    data: &'a mut [u8],
}

impl Band<'_> {
    fn draw_mesh(&mut self, clip: Rect, mesh: &Mesh, textures: &Textures) {
        let band = Rect::from_min_size(
            egui::pos2(0.0, self.top as f32),
            egui::vec2(self.width as f32, self.rows as f32),
        );
        let clip = clip.intersect(band);
        if clip.width() <= 0.0 || clip.height() <= 0.0 {
            return;
        }
        // One lookup per mesh, not per pixel.
        let image = textures.images.get(&mesh.texture_id);
        for tri in mesh.indices.chunks_exact(3) {
            let v = [tri[0], tri[1], tri[2]].map(|i| mesh.vertices.get(i as usize));
            if let [Some(a), Some(b), Some(c)] = v {
                self.fill_triangle(clip, [a, b, c], image);
            }
        }
    }

    fn fill_triangle(&mut self, clip: Rect, v: [&egui::epaint::Vertex; 3], image: Option<&Image>) {
        let [a, b, c] = v.map(|v| v.pos);
        // Most triangles belong to another band: leave before any per-triangle work.
        if a.y.max(b.y).max(c.y) < clip.min.y || a.y.min(b.y).min(c.y) > clip.max.y {
            return;
        }
        let area = (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x);
        if area.abs() < 1e-6 {
            return;
        }
        let min_x = a.x.min(b.x).min(c.x).max(clip.min.x).floor().max(0.0) as usize;
        let max_x = (a.x.max(b.x).max(c.x).min(clip.max.x).ceil() as usize).min(self.width);
        let min_y = (a.y.min(b.y).min(c.y).max(clip.min.y).floor().max(0.0) as usize).max(self.top);
        let max_y =
            (a.y.max(b.y).max(c.y).min(clip.max.y).ceil() as usize).min(self.top + self.rows);
        let inv = 1.0 / area;
        let colors = v.map(|v| v.color.to_array().map(f32::from));
        let uvs = v.map(|v| v.uv);
        // A triangle that samples one texel everywhere (all of egui's untextured shapes sample the
        // white texel) needs no per-pixel texture lookup.
        let flat_uv = uvs[0] == uvs[1] && uvs[1] == uvs[2];
        let flat_tex = flat_uv.then(|| Image::sample(image, uvs[0].x, uvs[0].y));
        // Most fills are one colour throughout: blend a precomputed colour, no interpolation.
        let solid = match flat_tex {
            Some(t) if colors[0] == colors[1] && colors[1] == colors[2] => {
                Some(std::array::from_fn::<f32, 4, _>(|i| {
                    colors[0][i] * t[i] / 255.0
                }))
            }
            _ => None,
        };
        if solid.is_some_and(|s| s[3] <= 0.0) {
            return;
        }
        for y in min_y..max_y {
            let py = y as f32 + 0.5;
            // Only the pixels between where this row enters and leaves the triangle: a long thin
            // diagonal (a link across the board) would otherwise test its whole bounding box.
            let Some((lo, hi)) = row_span([a, b, c], py) else {
                continue;
            };
            let x_start = ((lo - 0.5 - 1e-3).ceil().max(min_x as f32)) as usize;
            let x_end = (((hi - 0.5 + 1e-3).floor() + 1.0).max(0.0) as usize).min(max_x);
            if let Some(src) = solid {
                // A solid fill needs no weights: the row span already says which pixel centres
                // are inside, with the same tolerance the weights would apply.
                let row = (y - self.top) * self.width * 4;
                let span = &mut self.data[row + x_start.min(x_end) * 4..row + x_end * 4];
                blend_span(span, src);
                continue;
            }
            for x in x_start..x_end {
                let px = x as f32 + 0.5;
                let w0 = ((b.x - px) * (c.y - py) - (b.y - py) * (c.x - px)) * inv;
                let w1 = ((c.x - px) * (a.y - py) - (c.y - py) * (a.x - px)) * inv;
                let w2 = 1.0 - w0 - w1;
                // Pixel centres exactly on a shared edge (egui's feathering puts edges on pixel
                // centres) must land in one of the two triangles despite rounding.
                const EDGE: f32 = -1e-4;
                if w0 < EDGE || w1 < EDGE || w2 < EDGE {
                    continue;
                }
                let src: [f32; 4] = match solid {
                    Some(s) => s,
                    None => {
                        let t = match flat_tex {
                            Some(t) => t,
                            None => {
                                let u = uvs[0].x * w0 + uvs[1].x * w1 + uvs[2].x * w2;
                                let v = uvs[0].y * w0 + uvs[1].y * w1 + uvs[2].y * w2;
                                Image::sample(image, u, v)
                            }
                        };
                        std::array::from_fn(|i| {
                            let vc = colors[0][i] * w0 + colors[1][i] * w1 + colors[2][i] * w2;
                            vc * t[i] / 255.0
                        })
                    }
                };
                if src[3] <= 0.0 {
                    continue;
                }
                let o = ((y - self.top) * self.width + x) * 4;
                blend_span(&mut self.data[o..o + 4], src);
            }
        }
    }
}

/// Blends a premultiplied colour over every pixel of `span` ("source over").
fn blend_span(span: &mut [u8], src: [f32; 4]) {
    if src[3] >= 255.0 {
        // Opaque: nothing underneath shows through. Float-to-int `as` saturates, so
        // `+ 0.5` then truncation rounds without calling into libm.
        let c = src.map(|s| (s + 0.5) as u8);
        for px in span.chunks_exact_mut(4) {
            px.copy_from_slice(&c);
        }
        return;
    }
    let keep = 1.0 - src[3] / 255.0;
    for px in span.chunks_exact_mut(4) {
        for (d, s) in px.iter_mut().zip(src) {
            *d = (s + f32::from(*d) * keep + 0.5) as u8;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui::{Pos2, Shape};

    /// Tessellates shapes the way the export does and rasterizes them.
    fn raster(w: usize, h: usize, shapes: Vec<Shape>) -> Pixmap {
        raster_in(w, h, shapes, 4)
    }

    fn raster_in(w: usize, h: usize, shapes: Vec<Shape>, bands: usize) -> Pixmap {
        let ctx = egui::Context::default();
        let input = egui::RawInput {
            screen_rect: Some(Rect::from_min_size(
                Pos2::ZERO,
                egui::vec2(w as f32, h as f32),
            )),
            ..Default::default()
        };
        let mut out = ctx.run_ui(input, |ui| {
            ui.painter().extend(shapes.clone());
        });
        let mut textures = Textures::default();
        textures.apply(&mut out.textures_delta);
        let prims = ctx.tessellate(out.shapes, out.pixels_per_point);
        let mut pm = Pixmap::new(w, h);
        pm.draw_in_bands(&prims, &textures, bands);
        pm
    }

    #[test]
    fn one_band_without_threads_draws_what_many_bands_draw() {
        let shapes = || {
            vec![
                Shape::circle_filled(Pos2::new(30.0, 25.0), 18.0, Color32::from_rgb(20, 120, 200)),
                Shape::line_segment(
                    [Pos2::new(0.0, 0.0), Pos2::new(60.0, 50.0)],
                    egui::Stroke::new(3.0, Color32::from_rgb(200, 40, 20)),
                ),
            ]
        };
        let one = raster_in(60, 50, shapes(), 1);
        assert_eq!(one.data, raster_in(60, 50, shapes(), 4).data);
        assert_ne!(px(&one, 30, 25), [0, 0, 0, 0]);
    }

    fn px(pm: &Pixmap, x: usize, y: usize) -> [u8; 4] {
        let o = (y * pm.width + x) * 4;
        [pm.data[o], pm.data[o + 1], pm.data[o + 2], pm.data[o + 3]]
    }

    #[test]
    fn filled_rect_covers_its_centre_and_not_outside() {
        let r = Rect::from_min_max(Pos2::new(10.0, 10.0), Pos2::new(30.0, 20.0));
        let pm = raster(
            40,
            30,
            vec![Shape::rect_filled(r, 0.0, Color32::from_rgb(200, 20, 40))],
        );
        assert_eq!(px(&pm, 20, 15), [200, 20, 40, 255]);
        assert_eq!(px(&pm, 5, 5), [0, 0, 0, 0]);
    }

    #[test]
    fn a_full_screen_fill_has_no_gaps() {
        let r = Rect::from_min_size(Pos2::ZERO, egui::vec2(64.0, 48.0));
        let pm = raster(
            64,
            48,
            vec![Shape::rect_filled(r, 0.0, Color32::from_rgb(10, 20, 30))],
        );
        assert!(
            pm.data.chunks_exact(4).all(|p| p[3] > 0),
            "every pixel, edges included, is painted"
        );
    }

    #[test]
    fn edges_are_antialiased() {
        // A circle's outline crosses pixels at every angle: its rim must be partly covered.
        let pm = raster(
            40,
            40,
            vec![Shape::circle_filled(
                Pos2::new(20.0, 20.0),
                12.3,
                Color32::WHITE,
            )],
        );
        assert_eq!(px(&pm, 20, 20)[3], 255, "solid inside");
        assert_eq!(px(&pm, 2, 2)[3], 0, "empty outside");
        let rim = pm
            .data
            .chunks_exact(4)
            .filter(|p| p[3] > 10 && p[3] < 245)
            .count();
        assert!(rim > 20, "soft edge pixels: {rim}");
    }

    #[test]
    fn text_leaves_glyph_coverage() {
        // Layout and rasterize in one context so the font atlas matches.
        let ctx = egui::Context::default();
        let input = egui::RawInput {
            screen_rect: Some(Rect::from_min_size(Pos2::ZERO, egui::vec2(80.0, 30.0))),
            ..Default::default()
        };
        let mut out = ctx.run_ui(input, |ui| {
            ui.painter().text(
                Pos2::new(4.0, 4.0),
                egui::Align2::LEFT_TOP,
                "Hello",
                egui::FontId::proportional(20.0),
                Color32::BLACK,
            );
        });
        let mut textures = Textures::default();
        textures.apply(&mut out.textures_delta);
        let prims = ctx.tessellate(out.shapes, out.pixels_per_point);
        let mut pm = Pixmap::new(80, 30);
        pm.draw(&prims, &textures);
        let inked = pm.data.chunks_exact(4).filter(|p| p[3] > 128).count();
        let partial = pm
            .data
            .chunks_exact(4)
            .filter(|p| p[3] > 0 && p[3] < 128)
            .count();
        assert!(inked > 40, "glyphs cover pixels: {inked}");
        assert!(partial > 10, "glyph edges are smooth: {partial}");
    }
}
