//! TLS for `wss://` relays (a public y-websocket or Hocuspocus server behind HTTPS), with the
//! Mozilla root certificates built in, so nothing depends on the system's certificate store.

use std::net::TcpStream;
use std::sync::Arc;
use tungstenite::stream::MaybeTlsStream;

/// Wraps `stream` in a TLS client session for `host`.
pub fn wrap(host: &str, stream: TcpStream) -> Result<MaybeTlsStream<TcpStream>, String> {
    let roots = rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_root_certificates(roots)
        .with_no_client_auth();
    let name = rustls::pki_types::ServerName::try_from(host.to_owned())
        .map_err(|e| format!("{host} is not a name a certificate can carry ({e})"))?;
    let conn = rustls::ClientConnection::new(Arc::new(config), name).map_err(|e| e.to_string())?;
    Ok(MaybeTlsStream::Rustls(rustls::StreamOwned::new(
        conn, stream,
    )))
}

/// The TCP socket under a TLS stream, to set its timeouts.
pub fn tcp_of(stream: &mut MaybeTlsStream<TcpStream>) -> Option<&mut TcpStream> {
    match stream {
        MaybeTlsStream::Plain(s) => Some(s),
        MaybeTlsStream::Rustls(s) => Some(s.get_mut()),
        _ => None,
    }
}
