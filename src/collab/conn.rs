//! The start of a relay's connection: its request head is read before anyone knows whether it
//! asks for a WebSocket or for a page, so the bytes read are handed back to whichever reads the
//! stream next. Reading (not peeking) works the same over TLS, which cannot be peeked at.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, ReadBuf};

/// A stream whose first reads return bytes already taken from it.
pub struct Prefixed<S> {
    head: Vec<u8>,
    at: usize,
    inner: S,
}

impl<S> Prefixed<S> {
    pub fn new(head: Vec<u8>, inner: S) -> Self {
        Self { head, at: 0, inner }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Prefixed<S> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if this.at < this.head.len() {
            let n = (this.head.len() - this.at).min(buf.remaining());
            buf.put_slice(&this.head[this.at..this.at + n]);
            this.at += n;
            if this.at == this.head.len() {
                this.head = Vec::new();
                this.at = 0;
            }
            return Poll::Ready(Ok(()));
        }
        Pin::new(&mut this.inner).poll_read(cx, buf)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Prefixed<S> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().inner).poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}

/// Reads from `stream` until a request head is complete (a blank line), at most `max` bytes.
/// The bytes read, which may run past the head; `None` when the client closed first or sent
/// more than `max` without finishing a head.
pub async fn read_head(
    stream: &mut (impl AsyncRead + Unpin),
    max: usize,
) -> io::Result<Option<Vec<u8>>> {
    let mut head = Vec::with_capacity(1024);
    let mut chunk = [0u8; 1024];
    while head.len() < max {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(None);
        }
        // Only the new bytes and the three before them can complete the blank line.
        let from = head.len().saturating_sub(3);
        head.extend_from_slice(&chunk[..n]);
        if head[from..].windows(4).any(|w| w == b"\r\n\r\n") {
            return Ok(Some(head));
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block_on<F: std::future::Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("a runtime")
            .block_on(f)
    }

    #[test]
    fn a_head_ends_at_the_blank_line_and_a_long_one_is_refused() {
        block_on(async {
            let mut input: &[u8] = b"GET / HTTP/1.1\r\nHost: x\r\n\r\nafter";
            let head = read_head(&mut input, 1024)
                .await
                .expect("io")
                .expect("a head");
            assert!(head.starts_with(b"GET / HTTP/1.1\r\n"));
            assert_eq!(
                read_head(&mut &[b'a'; 100][..], 50).await.expect("io"),
                None
            );
            assert_eq!(read_head(&mut &b""[..], 50).await.expect("io"), None);
        });
    }

    #[test]
    fn what_was_read_comes_back_first_then_the_rest_of_the_stream() {
        block_on(async {
            let rest: &[u8] = b" world";
            let mut s = Prefixed::new(b"hello".to_vec(), rest);
            let mut all = String::new();
            s.read_to_string(&mut all).await.expect("io");
            assert_eq!(all, "hello world");
        });
    }
}
