//! Three peers edit one shared board at once; their updates arrive late, out of order, twice or
//! only at the end. Afterwards every peer holds the same board, and it is one a file could hold.

use archboard::collab::SharedBoard;
use archboard::model::{Block, BlockId, Board, Document, Edit, Link, LinkId, Point, Rect};
use proptest::prelude::*;
use std::collections::BTreeSet;

#[derive(Clone, Debug)]
enum Op {
    Insert,
    Delete(usize),
    Move(usize, i16, i16),
    Resize(usize, u8),
    /// Inserts text at a position of the label (concurrent typing).
    Type(usize, usize, char),
    Link(usize, usize),
    Unlink(usize),
    Tick(usize, u8, bool),
    Rename(usize),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => Just(Op::Insert),
        1 => any::<usize>().prop_map(Op::Delete),
        2 => (any::<usize>(), -50i16..50, -50i16..50).prop_map(|(b, x, y)| Op::Move(b, x, y)),
        1 => (any::<usize>(), 1u8..200).prop_map(|(b, s)| Op::Resize(b, s)),
        2 => (any::<usize>(), any::<usize>(), prop::char::range('a', 'z')).prop_map(|(b, i, c)| Op::Type(b, i, c)),
        2 => (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Op::Link(a, b)),
        1 => any::<usize>().prop_map(Op::Unlink),
        2 => (any::<usize>(), 0u8..4, any::<bool>()).prop_map(|(b, k, on)| Op::Tick(b, k, on)),
        1 => any::<usize>().prop_map(Op::Rename),
    ]
}

/// What happens next: a peer edits, or some messages are delivered.
#[derive(Clone, Debug)]
enum Step {
    Edit(usize, Op),
    /// Deliver up to `n` pending messages, picked by `seed`, possibly twice.
    Deliver(u64, u8, bool),
    /// Hold back the next message until the very end.
    Withhold(u64),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        6 => (0usize..3, op()).prop_map(|(p, o)| Step::Edit(p, o)),
        3 => (any::<u64>(), 1u8..6, any::<bool>()).prop_map(|(s, n, d)| Step::Deliver(s, n, d)),
        1 => any::<u64>().prop_map(Step::Withhold),
    ]
}

struct Peer {
    doc: Document,
    shared: SharedBoard,
}

impl Peer {
    fn new(site: u32) -> Self {
        let mut doc = Document::new(Board::default());
        doc.set_id_site(Some(site));
        Self {
            doc,
            shared: SharedBoard::new(u64::from(site)),
        }
    }

    fn nth_block(&self, n: usize) -> Option<BlockId> {
        let b = &self.doc.board().blocks;
        (!b.is_empty()).then(|| *b.keys().nth(n % b.len()).expect("in range"))
    }

    fn edit(&mut self, op: &Op) {
        let block = |p: &Peer, n| {
            p.nth_block(n)
                .and_then(|id| p.doc.board().block(id).cloned())
        };
        let edit = match op {
            Op::Insert => {
                let id = self.doc.new_block_id();
                let n = self.doc.board().blocks.len() as f32;
                Some(Edit::Insert {
                    blocks: vec![Block::new(
                        id,
                        "service",
                        "s",
                        Rect::new(n * 10.0, 0.0, 100.0, 50.0),
                    )],
                    links: vec![],
                })
            }
            Op::Delete(n) => self.nth_block(*n).map(|id| Edit::Remove {
                blocks: vec![id],
                links: vec![],
            }),
            Op::Move(n, x, y) => self.nth_block(*n).map(|id| Edit::Move {
                blocks: vec![id],
                delta: Point::new(f32::from(*x), f32::from(*y)),
            }),
            Op::Resize(n, s) => block(self, *n).map(|mut b| {
                b.rect.w = 20.0 + f32::from(*s);
                Edit::UpdateBlocks(vec![b])
            }),
            Op::Type(n, i, c) => block(self, *n).map(|mut b| {
                let at = i % (b.label.chars().count() + 1);
                let mut chars: Vec<char> = b.label.chars().collect();
                chars.insert(at, *c);
                b.label = chars.into_iter().collect();
                Edit::UpdateBlocks(vec![b])
            }),
            Op::Rename(n) => block(self, *n).map(|mut b| {
                b.label = "renamed".into();
                Edit::UpdateBlocks(vec![b])
            }),
            Op::Link(a, b) => match (self.nth_block(*a), self.nth_block(*b)) {
                (Some(a), Some(b)) if a != b => {
                    let id = self.doc.new_link_id();
                    Some(Edit::Insert {
                        blocks: vec![],
                        links: vec![Link::new(id, a, b)],
                    })
                }
                _ => None,
            },
            Op::Unlink(n) => {
                let links = &self.doc.board().links;
                (!links.is_empty()).then(|| Edit::Remove {
                    blocks: vec![],
                    links: vec![*links.keys().nth(n % links.len()).expect("in range")],
                })
            }
            Op::Tick(n, k, on) => block(self, *n).map(|mut b| {
                let key = format!("any/item{k}");
                if *on {
                    b.checked.insert(key);
                } else {
                    b.checked.remove(&key);
                }
                Edit::UpdateBlocks(vec![b])
            }),
        };
        if let Some(e) = edit {
            self.doc.apply(e).expect("a peer's own edit applies");
        }
    }

    /// Publishes what changed and returns the update to send, if any.
    fn outgoing(&mut self) -> Option<Vec<u8>> {
        self.shared.publish(&mut self.doc);
        self.shared.take_outgoing()
    }

    fn take(&mut self, update: &[u8]) {
        self.shared.receive(update).expect("honest updates apply");
        let problems = self.shared.absorb(&mut self.doc);
        assert!(problems.is_empty(), "{problems:?}");
    }
}

/// A message on its way: from which peer, to which, what.
struct Message {
    to: usize,
    bytes: std::rc::Rc<Vec<u8>>,
}

fn send(peers: &mut [Peer], from: usize, pending: &mut Vec<Message>) {
    if let Some(u) = peers[from].outgoing() {
        let bytes = std::rc::Rc::new(u);
        for to in 0..peers.len() {
            if to != from {
                pending.push(Message {
                    to,
                    bytes: std::rc::Rc::clone(&bytes),
                });
            }
        }
    }
}

/// Everything but the id counter, which each peer keeps for itself.
fn content(b: &Board) -> impl PartialEq + std::fmt::Debug + '_ {
    (&b.title, &b.blocks, &b.links, &b.estimate, &b.timer)
}

fn run(steps: Vec<Step>) {
    let mut peers: Vec<Peer> = (1..=3).map(Peer::new).collect();
    let mut pending: Vec<Message> = Vec::new();
    let mut withheld: Vec<Message> = Vec::new();
    for s in steps {
        match s {
            Step::Edit(p, op) => {
                peers[p].edit(&op);
                send(&mut peers, p, &mut pending);
            }
            Step::Deliver(seed, n, twice) => {
                for k in 0..u64::from(n) {
                    if pending.is_empty() {
                        break;
                    }
                    let i = ((seed.wrapping_mul(k + 7)) % pending.len() as u64) as usize;
                    let m = pending.swap_remove(i);
                    peers[m.to].take(&m.bytes);
                    if twice {
                        peers[m.to].take(&m.bytes);
                    }
                    // Taking in may make repairs to send on.
                    send(&mut peers, m.to, &mut pending);
                }
            }
            Step::Withhold(seed) => {
                if !pending.is_empty() {
                    let i = (seed % pending.len() as u64) as usize;
                    withheld.push(pending.swap_remove(i));
                }
            }
        }
    }
    pending.extend(withheld);
    // Deliver until nothing is left (repairs are sent on, and settle).
    let mut rounds = 0;
    while !pending.is_empty() {
        rounds += 1;
        assert!(rounds < 10_000, "the peers never settle");
        let m = pending.pop().expect("non-empty");
        peers[m.to].take(&m.bytes);
        send(&mut peers, m.to, &mut pending);
    }
    for p in &mut peers {
        send_nothing_left(p);
    }
    let first = peers[0].doc.board().clone();
    for (i, p) in peers.iter().enumerate() {
        let b = p.doc.board();
        assert_eq!(content(b), content(&first), "peer {i} differs");
        for l in b.links.values() {
            assert!(
                b.block(l.from.block).is_some() && b.block(l.to.block).is_some(),
                "dangling {l:?}"
            );
        }
        // What a peer holds is a board a file could hold, and the document agrees with it.
        let text = archboard::persistence::to_ron_string(b).expect("ser");
        let back = archboard::persistence::parse_board(&text, std::path::Path::new("peer"))
            .expect("the merged board passes the validator");
        assert_eq!(content(&back), content(b));
        let (from_doc, problems) = p.shared.board().expect("readable");
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            content(&from_doc),
            content(b),
            "peer {i}'s document and board agree"
        );
    }
}

/// After everything is delivered, a peer has nothing more to say.
fn send_nothing_left(p: &mut Peer) {
    assert!(
        p.outgoing().is_none(),
        "a settled peer still had changes to send"
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn three_peers_converge_to_one_valid_board(steps in prop::collection::vec(step(), 1..60)) {
        run(steps);
    }
}

#[test]
fn a_link_to_a_block_deleted_concurrently_goes_on_every_peer() {
    let mut a = Peer::new(1);
    let mut b = Peer::new(2);
    a.edit(&Op::Insert);
    a.edit(&Op::Insert);
    let seed = a.outgoing().expect("update");
    b.take(&seed);
    // Concurrently: A links the two blocks, B deletes the second.
    a.edit(&Op::Link(0, 1));
    let ua = a.outgoing().expect("link");
    b.edit(&Op::Delete(1));
    let ub = b.outgoing().expect("delete");
    a.take(&ub);
    b.take(&ua);
    let (ra, rb) = (a.outgoing(), b.outgoing());
    for (p, r) in [(&mut a, rb), (&mut b, ra)] {
        if let Some(r) = r {
            p.take(&r);
        }
    }
    for p in [&a, &b] {
        assert_eq!(p.doc.board().blocks.len(), 1);
        assert!(p.doc.board().links.is_empty(), "the dangling link is gone");
    }
}

#[test]
fn a_move_and_a_rename_of_one_block_both_survive_and_typing_merges() {
    let mut a = Peer::new(1);
    let mut b = Peer::new(2);
    a.edit(&Op::Insert);
    let seed = a.outgoing().expect("seed");
    b.take(&seed);
    a.edit(&Op::Move(0, 40, 0));
    a.edit(&Op::Type(0, 0, 'x'));
    b.edit(&Op::Type(0, 1, 'y'));
    b.edit(&Op::Tick(0, 1, true));
    let (ua, ub) = (a.outgoing().expect("a"), b.outgoing().expect("b"));
    a.take(&ub);
    b.take(&ua);
    for p in [&a, &b] {
        let blk = p.doc.board().blocks.values().next().expect("block");
        assert_eq!(blk.rect.x, 40.0, "the move survived");
        assert_eq!(blk.label, "xsy", "both letters are in");
        assert!(blk.checked.contains("any/item1"), "the tick survived");
    }
}

#[test]
fn undo_is_personal_and_never_revives_what_a_peer_deleted() {
    let mut a = Peer::new(1);
    let mut b = Peer::new(2);
    a.edit(&Op::Insert);
    a.edit(&Op::Insert);
    let seed = a.outgoing().expect("seed");
    b.take(&seed);
    // A renames block 0; B moves it; A undoes: the label goes back, B's move stays.
    a.edit(&Op::Rename(0));
    let ua = a.outgoing().expect("rename");
    b.take(&ua);
    b.edit(&Op::Move(0, 100, 0));
    let ub = b.outgoing().expect("move");
    a.take(&ub);
    assert!(a.doc.undo(), "A's own rename is there to undo");
    let blk = a.doc.board().blocks.values().next().expect("block").clone();
    assert_eq!(blk.label, "s");
    assert_eq!(blk.rect.x, 100.0, "the peer's move is not undone");
    // B's change never entered A's history: the next undo removes A's second block, not B's move.
    let before: BTreeSet<BlockId> = a.doc.board().blocks.keys().copied().collect();
    assert!(a.doc.undo());
    assert_eq!(a.doc.board().blocks.len(), before.len() - 1);
    // A links the remaining blocks... then B deletes one of them; undoing A's unlink brings
    // nothing back.
    let mut c = Peer::new(3);
    c.edit(&Op::Insert);
    c.edit(&Op::Insert);
    c.edit(&Op::Link(0, 1));
    let lid: LinkId = *c.doc.board().links.keys().next().expect("link");
    c.doc
        .apply(Edit::Remove {
            blocks: vec![],
            links: vec![lid],
        })
        .expect("unlink");
    let gone = *c.doc.board().blocks.keys().next().expect("block");
    c.doc.apply_remote(archboard::model::Remote {
        blocks: vec![(gone, None)],
        ..Default::default()
    });
    c.doc.undo();
    assert!(
        c.doc.board().links.is_empty(),
        "no link to a deleted block comes back"
    );
}

#[test]
fn a_chain_of_updates_arriving_backwards_is_placed_in_full() {
    // yrs 0.28 alone leaves the last of these waiting; the shared board offers them again.
    let (mut a, mut b, mut c) = (Peer::new(2), Peer::new(1), Peer::new(3));
    a.edit(&Op::Insert);
    let u1 = a.outgoing().expect("create");
    c.take(&u1);
    c.edit(&Op::Move(0, -1, 0));
    let u2 = c.outgoing().expect("c moves");
    a.take(&u2);
    a.edit(&Op::Move(0, -1, 0));
    let u3 = a.outgoing().expect("a moves");
    for u in [&u2, &u3, &u1] {
        b.take(u);
    }
    assert!(!b.shared.waiting());
    assert_eq!(content(b.doc.board()), content(a.doc.board()));
    assert_eq!(
        b.doc.board().blocks.values().next().map(|x| x.rect.x),
        Some(-2.0)
    );
}

#[test]
fn moving_one_block_of_ten_thousand_sends_a_few_dozen_bytes() {
    let mut doc = Document::new(archboard::model::generate::synthetic(10_000, 10_000));
    let mut shared = SharedBoard::new(5);
    shared.replace_with(doc.board());
    let _ = shared.take_outgoing();
    let id = *doc.board().blocks.keys().nth(1_234).expect("block");
    doc.apply(Edit::Move {
        blocks: vec![id],
        delta: Point::new(20.0, 0.0),
    })
    .expect("move");
    assert!(shared.publish(&mut doc));
    let update = shared.take_outgoing().expect("an update");
    let wire = archboard::collab::protocol::update(update).len();
    assert!(wire <= 200, "{wire} bytes for one move");
}
