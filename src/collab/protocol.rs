//! The y-protocols messages on the wire, as y-websocket frames them: one binary WebSocket
//! message each, a varint tag (0 sync, 1 awareness), then the payload.
//!
//! Everything read here comes from someone else: sizes are capped before anything is decoded,
//! and a message that does not decode is an error for the caller to report, never a panic.

use yrs::StateVector;
use yrs::sync::{Awareness, AwarenessUpdate, Message, SyncMessage};
use yrs::updates::decoder::Decode;
use yrs::updates::encoder::Encode;

/// Largest message taken from the network. A board of the largest size a file may hold fits;
/// ten million blocks (hundreds of megabytes) does not.
pub const MAX_MESSAGE_BYTES: usize = 48 * 1024 * 1024;

pub fn sync_step1(sv: &StateVector) -> Vec<u8> {
    Message::Sync(SyncMessage::SyncStep1(sv.clone())).encode_v1()
}

pub fn sync_step2(update: Vec<u8>) -> Vec<u8> {
    Message::Sync(SyncMessage::SyncStep2(update)).encode_v1()
}

pub fn update(update: Vec<u8>) -> Vec<u8> {
    Message::Sync(SyncMessage::Update(update)).encode_v1()
}

pub fn awareness(update: AwarenessUpdate) -> Vec<u8> {
    Message::Awareness(update).encode_v1()
}

/// Our awareness state as a message, when there is one.
pub fn awareness_of(a: &Awareness) -> Option<Vec<u8>> {
    a.update().ok().map(awareness)
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WireError {
    #[error("a message of {0} bytes is over the {MAX_MESSAGE_BYTES}-byte limit")]
    TooLarge(usize),
    #[error("a message could not be read: {0}")]
    Malformed(String),
}

/// Decodes one message, refusing oversized ones before looking inside.
pub fn decode(bytes: &[u8]) -> Result<Message, WireError> {
    if bytes.len() > MAX_MESSAGE_BYTES {
        return Err(WireError::TooLarge(bytes.len()));
    }
    Message::decode_v1(bytes).map_err(|e| WireError::Malformed(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_round_trip_and_garbage_is_an_error() {
        let sv = StateVector::default();
        let m = decode(&sync_step1(&sv)).expect("step 1");
        assert_eq!(m, Message::Sync(SyncMessage::SyncStep1(sv)));
        assert!(matches!(
            decode(&[0, 7, 1, 2]),
            Err(WireError::Malformed(_))
        ));
        assert!(matches!(decode(&[0]), Err(WireError::Malformed(_))));
        assert!(decode(&[]).is_err());
        let big = vec![0u8; MAX_MESSAGE_BYTES + 1];
        assert!(matches!(decode(&big), Err(WireError::TooLarge(_))));
    }
}
