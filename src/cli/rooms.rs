//! The subcommands of shared rooms: `serve` runs a relay, `push` and `pull` move a board in and
//! out of a room.

use super::EXIT_INVALID;
use crate::text::counts_line;
use std::io::Write;
use std::path::Path;

/// `archboard serve`: a relay until Ctrl+C or SIGTERM.
pub fn serve(
    mut opts: crate::collab::relay::RelayOptions,
    tls: Option<(std::path::PathBuf, std::path::PathBuf)>,
    err: &mut dyn Write,
) -> u8 {
    if let Some((cert, key)) = tls {
        match crate::collab::tls::server_config(&cert, &key) {
            Ok(config) => opts.tls = Some(config),
            Err(e) => {
                let _ = writeln!(err, "error: cannot serve TLS: {e}");
                return EXIT_INVALID;
            }
        }
    }
    if let Some(web) = opts
        .web
        .as_ref()
        .filter(|w| !w.join("index.html").is_file())
    {
        let _ = writeln!(
            err,
            "error: {}: no web app there (build one with `bash web/build.sh {}`)",
            web.display(),
            web.display()
        );
        return EXIT_INVALID;
    }
    // One line per event, stamped, as a process manager's log expects.
    let log: crate::collab::relay::Log = std::sync::Arc::new(|line: String| {
        let now = humantime::format_rfc3339_seconds(std::time::SystemTime::now());
        let _ = writeln!(std::io::stdout().lock(), "{now} {line}");
    });
    match crate::collab::relay::serve(opts, log) {
        Ok(()) => 0,
        Err(e) => {
            let _ = writeln!(err, "error: {e}");
            EXIT_INVALID
        }
    }
}

/// `archboard loadtest`: progress on stderr, the numbers on stdout.
pub fn loadtest(
    plan: &crate::collab::loadtest::Plan,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> u8 {
    let progress = |line: String| {
        let _ = writeln!(std::io::stderr().lock(), "{line}");
    };
    match crate::collab::loadtest::run(plan, &progress) {
        Ok(_) if plan.rate == 0.0 => {
            let _ = writeln!(
                out,
                "{} rooms × {} peers idle for {} s: every peer stayed connected",
                plan.rooms, plan.peers, plan.seconds
            );
            0
        }
        Ok(outcome) => {
            let _ = writeln!(
                out,
                "{} rooms × {} peers × {} edits/s for {} s: {outcome}",
                plan.rooms, plan.peers, plan.rate, plan.seconds
            );
            0
        }
        Err(e) => {
            let _ = writeln!(err, "error: {e}");
            EXIT_INVALID
        }
    }
}

/// How long `push` and `pull` wait for a relay.
const ROOM_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// Joins a room for a command: the session and a document to hold the room's board.
fn join_room(
    url: &str,
    err: &mut dyn Write,
) -> Result<(crate::collab::Session, crate::model::Document), u8> {
    let url = crate::collab::RoomUrl::parse(url).map_err(|e| {
        let _ = writeln!(err, "error: {e}");
        EXIT_INVALID
    })?;
    let mut doc = crate::model::Document::new(crate::model::Board::default());
    let presence = r##"{"user":{"name":"archboard (command line)","color":"#888888"}}"##.to_owned();
    let mut session = crate::collab::Session::join(
        url.clone(),
        &mut doc,
        false,
        presence,
        std::sync::Arc::new(|| {}),
    );
    match session.wait_for_sync(&mut doc, ROOM_WAIT) {
        Ok(round) => {
            for n in round.notices {
                let _ = writeln!(err, "note: {n}");
            }
            if let Some(board) = round.replace {
                doc = crate::model::Document::new(board);
            }
            Ok((session, doc))
        }
        Err(e) => {
            let _ = writeln!(err, "error: {url}: {e}");
            Err(EXIT_INVALID)
        }
    }
}

/// `archboard push FILE URL`: the room then holds exactly the file's board.
pub fn push(file: &Path, url: &str, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let board = match super::load(file, err) {
        Ok(b) => b,
        Err(code) => return code,
    };
    let (mut session, mut doc) = match join_room(url, err) {
        Ok(s) => s,
        Err(code) => return code,
    };
    session.replace_room(&board);
    if let Err(e) = session.confirm(&mut doc, ROOM_WAIT) {
        let _ = writeln!(err, "error: {url}: {e}");
        return EXIT_INVALID;
    }
    let _ = writeln!(
        out,
        "pushed {} to {url}",
        counts_line(board.blocks.len(), board.links.len())
    );
    0
}

/// `archboard pull URL -o FILE`: writes the room's board, checked like a file.
pub fn pull(url: &str, output: &Path, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let (_session, doc) = match join_room(url, err) {
        Ok(s) => s,
        Err(code) => return code,
    };
    super::save(output, doc.board(), &format!(" from {url}"), out, err)
}
