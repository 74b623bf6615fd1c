//! A shared board's peer driven by a test: joins a room, edits, and runs rounds until a
//! condition holds (bounded in time).

use archboard::collab::{RoomUrl, Session};
use archboard::model::{Block, Board, Document, Edit, Rect};
use std::sync::Arc;
use std::time::{Duration, Instant};

pub struct Peer {
    pub session: Session,
    pub doc: Document,
}

impl Peer {
    pub fn join(url: &RoomUrl) -> Self {
        let mut doc = Document::new(Board::default());
        let session = Session::join(
            url.clone(),
            &mut doc,
            true,
            r#"{"user":{"name":"t"}}"#.into(),
            Arc::new(|| {}),
        );
        Self { session, doc }
    }

    pub fn round(&mut self) -> Vec<String> {
        let r = self.session.round(&mut self.doc);
        if let Some(board) = r.replace {
            self.doc = Document::new(board);
            self.doc.set_id_site(Some(self.session.site()));
        }
        r.notices
    }

    pub fn add(&mut self, label: &str) {
        let id = self.doc.new_block_id();
        let n = self.doc.board().blocks.len() as f32;
        self.doc
            .apply(Edit::Insert {
                blocks: vec![Block::new(
                    id,
                    "service",
                    label,
                    Rect::new(n * 200.0, 0.0, 140.0, 70.0),
                )],
                links: vec![],
            })
            .expect("insert");
    }

    pub fn labels(&self) -> Vec<String> {
        let mut v: Vec<String> = self
            .doc
            .board()
            .blocks
            .values()
            .map(|b| b.label.clone())
            .collect();
        v.sort();
        v
    }
}

/// Runs rounds on every peer until `done` holds, failing after 10 s. Returns the notices seen.
pub fn until(
    peers: &mut [&mut Peer],
    what: &str,
    done: impl Fn(&[&mut Peer]) -> bool,
) -> Vec<String> {
    let start = Instant::now();
    let mut notices = Vec::new();
    loop {
        for p in peers.iter_mut() {
            notices.extend(p.round());
        }
        if done(peers) {
            return notices;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "timed out waiting for {what}; notices: {notices:?}"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}
