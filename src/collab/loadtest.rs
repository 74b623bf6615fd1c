//! `archboard loadtest`: many rooms with a few peers each, every peer editing at a steady rate
//! (block moves and label typing, mixed), timing how long each edit takes to reach every other
//! peer of its room. It sizes a relay (archboard's, y-websocket, Hocuspocus) before an interview
//! day, and measures archboard's own.
//!
//! Each peer owns one block and writes a sequence number into it: odd edits move the block to
//! x = n, even edits set its label to n. A peer that sees another's block at n has every edit up
//! to n (a later state includes the earlier ones), so each edit's time is when it was sent to
//! when the last other peer first saw it or a later one.

use super::session::Session;
use super::url::RoomUrl;
use crate::model::patch::BlockField;
use crate::model::{Block, BlockId, Board, Document, Edit, Rect};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// What to run.
#[derive(Clone, Debug)]
pub struct Plan {
    /// The relay's address without a room: `ws://HOST:PORT` or `hocuspocus+ws://HOST:PORT`.
    pub server: String,
    pub rooms: usize,
    pub peers: usize,
    /// Edits a second, per peer.
    pub rate: f64,
    pub seconds: f64,
}

/// What was measured.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    pub edits: usize,
    /// Milliseconds from an edit to the last peer of its room seeing it, for edits all saw.
    pub p50: f64,
    pub p95: f64,
    pub p99: f64,
    /// Edits sent plus edits received (one per edit and peer that saw it), per second.
    pub messages_per_second: f64,
    /// Edits some other peer of the room never saw.
    pub lost: usize,
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} edits: p50 {:.1} ms, p95 {:.1} ms, p99 {:.1} ms; {:.0} messages/s; {} lost",
            self.edits, self.p50, self.p95, self.p99, self.messages_per_second, self.lost
        )
    }
}

/// Most peers one run opens.
pub const MAX_PEERS: usize = 4_000;

/// Which peers have news: each peer's connection rings with its number, and the run handles
/// only those, so a thousand quiet peers cost the load generator nothing.
#[derive(Default)]
struct Bell {
    rung: Mutex<Vec<usize>>,
    ring: Condvar,
}

impl Bell {
    fn ring(&self, peer: usize) {
        self.rung
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(peer);
        self.ring.notify_one();
    }

    /// The peers that rang, waiting until `until` for one when none has.
    fn wait(&self, until: Instant) -> Vec<usize> {
        let mut rung = self.rung.lock().unwrap_or_else(PoisonError::into_inner);
        let wait = until.saturating_duration_since(Instant::now());
        if rung.is_empty() && !wait.is_zero() {
            rung = self
                .ring
                .wait_timeout(rung, wait)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
        let mut peers = std::mem::take(&mut *rung);
        peers.sort_unstable();
        peers.dedup();
        peers
    }
}

/// How long to wait for every peer to join and see every block before timing starts, and for
/// the last edits to arrive after it ends.
const SETTLE: Duration = Duration::from_secs(15);
const GRACE: Duration = Duration::from_secs(3);

struct Peer {
    session: Session,
    doc: Document,
    block: Option<BlockId>,
    /// Edits sent, and when each was sent (index = sequence number - 1).
    sent: Vec<Instant>,
    /// The highest sequence number seen from each peer of the room.
    seen: Vec<u64>,
}

impl Peer {
    fn round(&mut self) {
        let r = self.session.round(&mut self.doc);
        if let Some(board) = r.replace {
            self.doc = Document::new(board);
            self.doc.set_id_site(Some(self.session.site()));
        }
    }

    /// The sequence number in the block `id`, as this peer sees it.
    fn seq_of(&self, id: BlockId) -> Option<u64> {
        let b = self.doc.board().block(id)?;
        let label: u64 = b.label.parse().unwrap_or(0);
        Some(label.max(b.rect.x.max(0.0) as u64))
    }
}

/// Runs `plan`, calling `progress` with a line now and then.
pub fn run(plan: &Plan, progress: &dyn Fn(String)) -> Result<Outcome, String> {
    let total = plan.rooms.saturating_mul(plan.peers);
    if plan.rooms == 0 || plan.peers < 2 {
        return Err("a load test needs at least 1 room of 2 peers".into());
    }
    if total > MAX_PEERS {
        return Err(format!("{total} peers; one run opens at most {MAX_PEERS}"));
    }
    let rate_ok = plan.rate >= 0.0 && plan.rate <= 1000.0;
    let seconds_ok = plan.seconds > 0.0 && plan.seconds <= 3600.0;
    if !(rate_ok && seconds_ok) {
        return Err("--rate must be in [0, 1000] and --seconds in (0, 3600]".into());
    }
    let base = plan.server.trim().trim_end_matches('/');
    let run_id = &super::url::new_room_name()[..8];
    let bell = Arc::new(Bell::default());
    let mut rooms: Vec<Vec<Peer>> = Vec::new();
    for r in 0..plan.rooms {
        let url =
            RoomUrl::parse(&format!("{base}/load-{run_id}-{r}")).map_err(|e| e.to_string())?;
        let peers = (0..plan.peers)
            .map(|p| {
                let (bell, k) = (Arc::clone(&bell), r * plan.peers + p);
                let mut doc = Document::new(Board::default());
                let session = Session::join(
                    url.clone(),
                    &mut doc,
                    false,
                    r##"{"user":{"name":"archboard loadtest","color":"#888888"}}"##.into(),
                    Arc::new(move || bell.ring(k)),
                );
                Peer {
                    session,
                    doc,
                    block: None,
                    sent: Vec::new(),
                    seen: vec![0; plan.peers],
                }
            })
            .collect();
        rooms.push(peers);
    }
    progress(format!("{total} peers joining {} rooms", plan.rooms));
    settle(&mut rooms, &bell)?;
    progress("every peer sees every block; editing".into());

    let start = Instant::now();
    let end = start + Duration::from_secs_f64(plan.seconds);
    if plan.rate == 0.0 {
        // Idle rooms: the peers only keep their presence alive, as open windows do.
        while Instant::now() < end {
            for k in bell.wait(end) {
                rooms[k / plan.peers][k % plan.peers].round();
            }
        }
        let dropped = rooms
            .iter()
            .flatten()
            .filter(|p| *p.session.connection() != super::Connection::Connected)
            .count();
        if dropped > 0 {
            return Err(format!(
                "{dropped} of {total} idle peers lost their connection"
            ));
        }
        return Ok(Outcome {
            edits: 0,
            p50: 0.0,
            p95: 0.0,
            p99: 0.0,
            messages_per_second: 0.0,
            lost: 0,
        });
    }
    let interval = Duration::from_secs_f64(1.0 / plan.rate);
    let mut next: Vec<Instant> = (0..total)
        // Spread the peers' first edits over one interval, so they do not all send at once.
        .map(|i| start + interval.mul_f64(i as f64 / total as f64))
        .collect();
    let mut latencies: Vec<f64> = Vec::new();
    // For each room, author and sequence number: how many other peers have seen it.
    let mut reached: Vec<Vec<Vec<usize>>> = rooms
        .iter()
        .map(|peers| vec![Vec::new(); peers.len()])
        .collect();
    let mut due: Vec<usize> = Vec::new();
    loop {
        let now = Instant::now();
        let sending = now < end;
        if !sending && (now > end + GRACE || all_seen(&rooms)) {
            break;
        }
        // Edits that are due.
        due.clear();
        if sending {
            due.extend((0..total).filter(|&k| now >= next[k]));
        }
        for &k in &due {
            next[k] += interval;
            let (r, p) = (k / plan.peers, k % plan.peers);
            if edit(&mut rooms[r][p]) {
                reached[r][p].push(0);
            }
            rooms[r][p].round();
        }
        let soonest = if sending {
            next.iter().min().copied().unwrap_or(end).min(end)
        } else {
            Instant::now() + Duration::from_millis(50)
        };
        // What arrived, then who sees what, in the rooms it touched.
        let woken = bell.wait(soonest);
        let mut touched: Vec<usize> = woken.iter().map(|k| k / plan.peers).collect();
        for &k in &woken {
            rooms[k / plan.peers][k % plan.peers].round();
        }
        touched.dedup();
        for r in touched {
            observe(&mut rooms[r], &mut reached[r], &mut latencies);
        }
    }
    let elapsed = start.elapsed().as_secs_f64().max(1e-3);
    let edits: usize = reached.iter().flatten().map(Vec::len).sum();
    let deliveries: usize = reached.iter().flatten().flatten().sum();
    let lost = reached
        .iter()
        .flatten()
        .flatten()
        .filter(|n| **n + 1 < plan.peers)
        .count();
    latencies.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    Ok(Outcome {
        edits,
        p50: percentile(&latencies, 0.50),
        p95: percentile(&latencies, 0.95),
        p99: percentile(&latencies, 0.99),
        messages_per_second: (edits + deliveries) as f64 / elapsed,
        lost,
    })
}

/// Joins every peer, gives each its block, and waits until every peer sees every block.
fn settle(rooms: &mut [Vec<Peer>], bell: &Bell) -> Result<(), String> {
    let until = Instant::now() + SETTLE;
    loop {
        let mut ready = true;
        for peers in rooms.iter_mut() {
            let ids: Vec<Option<BlockId>> = peers.iter().map(|p| p.block).collect();
            for peer in peers.iter_mut() {
                peer.round();
                if let super::Connection::Refused(why) = peer.session.connection() {
                    return Err(why.clone());
                }
                if peer.session.is_synced() && peer.block.is_none() {
                    let id = peer.doc.new_block_id();
                    let n = peer.doc.board().blocks.len() as f32;
                    let _ = peer.doc.apply(Edit::Insert {
                        blocks: vec![Block::new(
                            id,
                            "service",
                            "0",
                            Rect::new(0.0, n * 100.0, 140.0, 70.0),
                        )],
                        links: vec![],
                    });
                    peer.block = Some(id);
                }
                ready &= ids
                    .iter()
                    .all(|id| id.is_some_and(|id| peer.doc.board().block(id).is_some()));
            }
        }
        if ready {
            return Ok(());
        }
        if Instant::now() > until {
            return Err(format!(
                "the peers did not all join and see each other within {} s (a relay may cap \
                 the connections from one address: run archboard serve with --max-per-address 0)",
                SETTLE.as_secs()
            ));
        }
        bell.wait(Instant::now() + Duration::from_millis(20));
    }
}

/// The peer's next edit: a move on odd numbers, its label on even ones. False when the peer
/// has no block to edit.
fn edit(peer: &mut Peer) -> bool {
    let Some(id) = peer.block else { return false };
    let Some(b) = peer.doc.board().block(id) else {
        return false;
    };
    let n = peer.sent.len() as u64 + 1;
    let field = if n % 2 == 1 {
        BlockField::Rect(Rect::new(n as f32, b.rect.y, b.rect.w, b.rect.h))
    } else {
        BlockField::Label(n.to_string())
    };
    let ok = peer
        .doc
        .apply(Edit::PatchBlocks(vec![(id, vec![field])]))
        .is_ok();
    if ok {
        peer.sent.push(Instant::now());
    }
    ok
}

/// Records, for each peer of a room, which of the others' edits it now sees.
fn observe(peers: &mut [Peer], reached: &mut [Vec<usize>], latencies: &mut Vec<f64>) {
    let now = Instant::now();
    for o in 0..peers.len() {
        for a in 0..peers.len() {
            if a == o {
                continue;
            }
            let Some(id) = peers[a].block else { continue };
            let Some(seq) = peers[o].seq_of(id) else {
                continue;
            };
            let before = peers[o].seen[a];
            let seq = seq.min(peers[a].sent.len() as u64);
            if seq <= before {
                continue;
            }
            peers[o].seen[a] = seq;
            for s in before + 1..=seq {
                let i = (s - 1) as usize;
                let count = &mut reached[a][i];
                *count += 1;
                // An edit's time is when its last other peer saw it.
                if *count + 1 == peers.len() {
                    latencies.push(now.duration_since(peers[a].sent[i]).as_secs_f64() * 1000.0);
                }
            }
        }
    }
}

fn all_seen(rooms: &[Vec<Peer>]) -> bool {
    rooms.iter().all(|peers| {
        peers.iter().enumerate().all(|(o, peer)| {
            peers
                .iter()
                .enumerate()
                .all(|(a, author)| a == o || peer.seen[a] >= author.sent.len() as u64)
        })
    })
}

fn percentile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * q).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_pick_from_the_sorted_times() {
        let v: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(percentile(&v, 0.5), 51.0);
        assert_eq!(percentile(&v, 0.99), 99.0);
        assert_eq!(percentile(&[], 0.5), 0.0);
    }

    #[test]
    fn a_plan_out_of_bounds_is_refused_before_anything_connects() {
        let plan = Plan {
            server: "ws://127.0.0.1:1".into(),
            rooms: 1,
            peers: 1,
            rate: 1.0,
            seconds: 1.0,
        };
        assert!(run(&plan, &|_| {}).is_err());
        let many = Plan {
            rooms: 5_000,
            peers: 2,
            ..plan.clone()
        };
        assert!(
            run(&many, &|_| {})
                .expect_err("too many")
                .contains("at most")
        );
        let fast = Plan {
            peers: 2,
            rate: 2000.0,
            ..plan
        };
        assert!(run(&fast, &|_| {}).is_err());
    }
}
