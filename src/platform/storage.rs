//! The page's local storage: the solo board and settings survive a reload.

fn local() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

pub fn get(key: &str) -> Option<String> {
    local()?.get_item(key).ok()?
}

/// Stores `value` under `key`; the browser's refusal (a full or disabled storage) is returned.
pub fn set(key: &str, value: &str) -> Result<(), String> {
    let storage = local().ok_or("this browser keeps no local storage")?;
    storage.set_item(key, value).map_err(|e| {
        format!(
            "the browser refused to store the board: {}",
            super::socket::describe(&e)
        )
    })
}

pub fn remove(key: &str) {
    if let Some(s) = local() {
        let _ = s.remove_item(key);
    }
}
