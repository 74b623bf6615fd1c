//! TLS for `wss://` relays (a public y-websocket or Hocuspocus server behind HTTPS), with the
//! Mozilla root certificates built in, so nothing depends on the system's certificate store.

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use std::net::TcpStream;
use std::path::Path;
use std::sync::Arc;

/// Names a PEM file of extra certificates the client trusts, beside the built-in roots: a
/// relay with its own certificate authority (a company's, or a test's).
pub const EXTRA_ROOTS_VAR: &str = "ARCHBOARD_TLS_CA";

/// The client's TLS settings: the built-in roots and any named by [`EXTRA_ROOTS_VAR`].
pub fn client_config() -> Result<Arc<rustls::ClientConfig>, String> {
    let mut roots = rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    if let Some(path) = std::env::var_os(EXTRA_ROOTS_VAR) {
        for cert in certificates(Path::new(&path))? {
            roots
                .add(cert)
                .map_err(|e| format!("{EXTRA_ROOTS_VAR}: a certificate was refused ({e})"))?;
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(Arc::new(config))
}

/// The name `host` must carry in its certificate.
pub fn server_name(host: &str) -> Result<rustls::pki_types::ServerName<'static>, String> {
    rustls::pki_types::ServerName::try_from(host.to_owned())
        .map_err(|e| format!("{host} is not a name a certificate can carry ({e})"))
}

/// Wraps a blocking `stream` in a TLS client session for `host` (y-sweet's HTTP calls).
pub fn wrap(
    host: &str,
    stream: TcpStream,
) -> Result<rustls::StreamOwned<rustls::ClientConnection, TcpStream>, String> {
    let conn = rustls::ClientConnection::new(client_config()?, server_name(host)?)
        .map_err(|e| e.to_string())?;
    Ok(rustls::StreamOwned::new(conn, stream))
}

/// The certificates in a PEM file, or why not.
fn certificates(path: &Path) -> Result<Vec<CertificateDer<'static>>, String> {
    let certs = CertificateDer::pem_file_iter(path)
        .and_then(|it| it.collect::<Result<Vec<_>, _>>())
        .map_err(|e| format!("{}: {e}", path.display()))?;
    if certs.is_empty() {
        return Err(format!("{} holds no certificate", path.display()));
    }
    Ok(certs)
}

/// A relay's TLS from PEM files: its certificate chain and the chain's private key.
pub fn server_config(cert: &Path, key: &Path) -> Result<Arc<rustls::ServerConfig>, String> {
    let certs = certificates(cert)?;
    let key = PrivateKeyDer::from_pem_file(key).map_err(|e| format!("{}: {e}", key.display()))?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .map_err(|e| format!("the certificate and key do not go together: {e}"))?;
    Ok(Arc::new(config))
}
