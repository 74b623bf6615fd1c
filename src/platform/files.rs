//! Files in a browser: a download stands in for "Save as", the page's file input for "Open".

use wasm_bindgen::JsCast;

/// Offers `bytes` as a download named `name`.
pub fn download(name: &str, bytes: &[u8], mime: &str) -> Result<(), String> {
    let fail = |e: wasm_bindgen::JsValue| super::socket::describe(&e);
    let window = web_sys::window().ok_or("no window")?;
    let document = window.document().ok_or("no document")?;
    let parts = js_sys::Array::new();
    parts.push(&js_sys::Uint8Array::from(bytes));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob =
        web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options).map_err(fail)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(fail)?;
    let a = document
        .create_element("a")
        .map_err(fail)?
        .dyn_into::<web_sys::HtmlAnchorElement>()
        .map_err(|_| "no link element".to_owned())?;
    a.set_href(&url);
    a.set_download(name);
    a.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

/// A file the user picked or dropped: its name and bytes.
pub struct Picked {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// Asks for a file with the page's file input; `done` gets it once it has been read.
pub fn pick(accept: &str, done: impl FnOnce(Picked) + 'static) -> Result<(), String> {
    use wasm_bindgen::closure::Closure;
    let fail = |e: wasm_bindgen::JsValue| super::socket::describe(&e);
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let input = document
        .create_element("input")
        .map_err(fail)?
        .dyn_into::<web_sys::HtmlInputElement>()
        .map_err(|_| "no input element".to_owned())?;
    input.set_type("file");
    input.set_accept(accept);
    let done = std::cell::Cell::new(Some(done));
    let picker = input.clone();
    let change = Closure::once(move || {
        let Some(file) = picker.files().and_then(|f| f.get(0)) else {
            return;
        };
        let name = file.name();
        wasm_bindgen_futures::spawn_local(async move {
            let Ok(buf) = wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await else {
                return;
            };
            let bytes = js_sys::Uint8Array::new(&buf).to_vec();
            if let Some(done) = done.take() {
                done(Picked { name, bytes });
            }
        });
    });
    input.set_onchange(Some(change.as_ref().unchecked_ref()));
    change.forget(); // lives as long as the input, which the page drops after the pick
    input.click();
    Ok(())
}
