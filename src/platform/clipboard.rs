//! Pictures on the clipboard: arboard on a desktop, the page's asynchronous clipboard in a
//! browser (which allows it only while the page has focus, and says so when it refuses).
//! Text goes through egui's own clipboard integration on both.

/// The system clipboard, opened on first use and kept: on X11 the clipboard's contents live
/// only as long as the program that put them there holds on.
#[derive(Default)]
pub struct Clipboard {
    #[cfg(not(target_arch = "wasm32"))]
    open: Option<arboard::Clipboard>,
}

/// Why a picture could not be put on the clipboard.
#[derive(Debug, thiserror::Error)]
pub enum ClipboardError {
    #[error("no clipboard is available ({0})")]
    Missing(String),
    #[error("the clipboard refused the picture ({0})")]
    Refused(String),
}

impl Clipboard {
    /// Puts an RGBA picture on the clipboard.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn put_image(
        &mut self,
        width: usize,
        height: usize,
        rgba: Vec<u8>,
    ) -> Result<(), ClipboardError> {
        let c = match &mut self.open {
            Some(c) => c,
            None => self.open.insert(
                arboard::Clipboard::new().map_err(|e| ClipboardError::Missing(e.to_string()))?,
            ),
        };
        let image = arboard::ImageData {
            width,
            height,
            bytes: rgba.into(),
        };
        c.set_image(image)
            .map_err(|e| ClipboardError::Refused(e.to_string()))
    }

    /// Puts an RGBA picture on the page's clipboard as a PNG. The browser answers later; a
    /// refusal is logged to the console, since the copy was already reported as started.
    #[cfg(target_arch = "wasm32")]
    pub fn put_image(
        &mut self,
        width: usize,
        height: usize,
        rgba: Vec<u8>,
    ) -> Result<(), ClipboardError> {
        let png = encode_png(width, height, &rgba).map_err(ClipboardError::Refused)?;
        let clipboard = web_sys::window()
            .map(|w| w.navigator().clipboard())
            .ok_or_else(|| ClipboardError::Missing("no window".into()))?;
        let parts = js_sys::Array::new();
        parts.push(&js_sys::Uint8Array::from(png.as_slice()));
        let options = web_sys::BlobPropertyBag::new();
        options.set_type("image/png");
        let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options)
            .map_err(|e| ClipboardError::Refused(super::socket::describe(&e)))?;
        let record = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&record, &"image/png".into(), &blob);
        let item = web_sys::ClipboardItem::new_with_record_from_str_to_blob_promise(&record)
            .map_err(|e| ClipboardError::Refused(super::socket::describe(&e)))?;
        let items = js_sys::Array::of1(&item);
        let promise = clipboard.write(&items);
        wasm_bindgen_futures::spawn_local(async move {
            if let Err(e) = wasm_bindgen_futures::JsFuture::from(promise).await {
                web_sys::console::warn_1(
                    &format!(
                        "the browser refused the picture: {}",
                        super::socket::describe(&e)
                    )
                    .into(),
                );
            }
        });
        Ok(())
    }
}

#[cfg(target_arch = "wasm32")]
fn encode_png(width: usize, height: usize, rgba: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let w = u32::try_from(width).map_err(|e| e.to_string())?;
    let h = u32::try_from(height).map_err(|e| e.to_string())?;
    let mut encoder = png::Encoder::new(&mut out, w, h);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().map_err(|e| e.to_string())?;
    writer.write_image_data(rgba).map_err(|e| e.to_string())?;
    writer.finish().map_err(|e| e.to_string())?;
    Ok(out)
}
