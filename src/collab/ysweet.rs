//! Rooms on a y-sweet server, through its documented flow: with the server's connection string
//! (`ys://[TOKEN@]HOST:PORT`, `yss://` over TLS) and a document name, create the document if
//! it is new (`POST /doc/new`), ask for a client token (`POST /doc/DOC/auth`), and open the
//! WebSocket address the token gives (`url` + `/` + the document, `?token=` when there is one).
//! The WebSocket then speaks the y-protocols as y-websocket does.

use super::url::RoomUrl;
use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

/// How long each HTTP request may take.
const HTTP_WAIT: Duration = Duration::from_secs(4);

/// Largest answer read from the server.
const MAX_ANSWER: u64 = 64 * 1024;

/// The WebSocket room a y-sweet document is served at, from the server's client token.
pub fn room_address(url: &RoomUrl) -> Result<RoomUrl, String> {
    let doc = &url.room;
    let body = format!("{{\"docId\":\"{doc}\"}}");
    post(url, "/doc/new", &body)?;
    let token = post(url, &format!("/doc/{doc}/auth"), "{}")?;
    let token: serde_json::Value = serde_json::from_str(&token)
        .map_err(|e| format!("the server's client token is not JSON ({e})"))?;
    let ws = token
        .get("url")
        .and_then(serde_json::Value::as_str)
        .ok_or("the server's client token has no url")?;
    let doc_id = token
        .get("docId")
        .and_then(serde_json::Value::as_str)
        .unwrap_or(doc);
    let mut address = format!("{}/{doc_id}", ws.trim_end_matches('/'));
    if let Some(t) = token.get("token").and_then(serde_json::Value::as_str) {
        address.push_str(&format!("?token={t}"));
    }
    RoomUrl::parse(&address).map_err(|e| format!("the server gave an unusable address: {e}"))
}

/// POSTs `body` (JSON) to `path` on the server; the answer's body, or why not.
fn post(url: &RoomUrl, path: &str, body: &str) -> Result<String, String> {
    let where_ = format!("{}:{}", url.host, url.port);
    let addr = (url.host.as_str(), url.port)
        .to_socket_addrs()
        .map_err(|e| format!("cannot reach {where_}: {e}"))?
        .next()
        .ok_or_else(|| format!("cannot reach {where_}: no address"))?;
    let tcp = TcpStream::connect_timeout(&addr, HTTP_WAIT)
        .map_err(|e| format!("cannot reach {where_}: {e}"))?;
    let _ = tcp.set_read_timeout(Some(HTTP_WAIT));
    let _ = tcp.set_write_timeout(Some(HTTP_WAIT));
    let mut stream: Box<dyn ReadWrite> = if url.secure {
        Box::new(super::tls::wrap(&url.host, tcp)?)
    } else {
        Box::new(tcp)
    };
    let auth = url
        .token
        .as_deref()
        .map(|t| format!("Authorization: Bearer {t}\r\n"))
        .unwrap_or_default();
    // HTTP/1.0: the server answers with a plain body and closes, so reading to the end is
    // reading the answer.
    let request = format!(
        "POST {path} HTTP/1.0\r\nHost: {where_}\r\n{auth}Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    stream
        .write_all(request.as_bytes())
        .map_err(|e| format!("{where_}: {e}"))?;
    let mut answer = Vec::new();
    stream
        .take(MAX_ANSWER)
        .read_to_end(&mut answer)
        .map_err(|e| format!("{where_} did not answer as y-sweet: {e}"))?;
    let answer = String::from_utf8_lossy(&answer);
    let (head, body) = answer
        .split_once("\r\n\r\n")
        .ok_or_else(|| format!("{where_} did not answer as y-sweet"))?;
    let status = head.split(' ').nth(1).unwrap_or_default();
    if status != "200" {
        let why = body.trim();
        return Err(format!(
            "{where_} refused {path} ({status}{}{})",
            if why.is_empty() { "" } else { ": " },
            why.chars().take(200).collect::<String>()
        ));
    }
    Ok(body.to_owned())
}

trait ReadWrite: Read + Write {}
impl<T: Read + Write> ReadWrite for T {}
