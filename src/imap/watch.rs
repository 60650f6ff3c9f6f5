//! `tool imap watch`: each message that arrives in a folder, once, as it arrives. The folder
//! stays open (EXAMINE) and the watcher waits with IDLE where the server offers it, with NOOP
//! at an interval where not. A lost connection is opened again after a pause that doubles up
//! to [`BACKOFF_CAP`], and the watch catches up by UID from the last message it handed over,
//! so that none is missed or handed over twice; a folder renumbered meanwhile (a new
//! UIDVALIDITY) ends the watch with an error, since its UIDs no longer say what was seen.

use std::time::Duration;

use anyhow::bail;

use super::error::Error;
use super::session::{RawMail, Session};
use crate::interrupt::Stop;

/// The first pause before connecting again.
pub const BACKOFF_START: Duration = Duration::from_secs(1);
/// The longest pause between attempts to connect again.
pub const BACKOFF_CAP: Duration = Duration::from_secs(60);

/// Where a watch stands: every message of the folder up to `last_uid` has been handed over
/// (or was there before the watch began).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub uid_validity: u32,
    pub last_uid: u32,
}

/// Where a watch starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Start {
    /// With the messages that arrive from now on.
    Now,
    /// With the messages above this UID, whatever the folder's UIDVALIDITY.
    After(u32),
    /// Where an earlier watch stopped; the folder's UIDVALIDITY must still be the same.
    Resume(Position),
}

/// How to wait where the server lacks IDLE.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub interval: Duration,
}

/// What the watch hands over.
pub trait Sink {
    /// A message that arrived; each comes once, in UID order.
    fn message(&mut self, mail: &RawMail) -> anyhow::Result<()>;
    /// Where the watch now stands, to resume from: after the messages handed over so far.
    fn position(&mut self, at: Position) -> anyhow::Result<()>;
    /// The watch began, on a connection opened first or again.
    fn watching(&mut self, text: &str);
    /// The connection was lost; the watch goes on.
    fn warn(&mut self, text: &str);
}

/// Watches `folder` until `stop`. `open` connects and logs in; it is called again after a lost
/// connection. Errors on the first connection end the watch, as does any error that is not a
/// lost connection.
pub fn run(
    folder: &str,
    start: Start,
    options: Options,
    stop: &Stop,
    mut open: impl FnMut() -> anyhow::Result<Session>,
    sink: &mut dyn Sink,
) -> anyhow::Result<()> {
    let mut start = start;
    let mut pause = BACKOFF_START;
    let mut connected_before = false;
    loop {
        let outcome = open().and_then(|mut session| {
            let outcome = watch(
                &mut session,
                folder,
                &mut start,
                options,
                stop,
                sink,
                &mut || {
                    connected_before = true;
                    pause = BACKOFF_START;
                },
            );
            if outcome.is_ok() {
                session.logout();
            }
            outcome
        });
        let error = match outcome {
            Ok(()) => return Ok(()),
            Err(_) if stop.is_stopped() => return Ok(()),
            Err(e) if connected_before && is_lost_connection(&e) => e,
            Err(e) => return Err(e),
        };
        sink.warn(&format!(
            "{}; connecting again in {} s",
            crate::output::one_line(&format!("{error:#}")),
            pause.as_secs()
        ));
        if stop.sleep(pause) {
            return Ok(());
        }
        pause = (pause * 2).min(BACKOFF_CAP);
    }
}

/// One connection's watch: open the folder, catch up, then wait and fetch what arrives.
/// `connected` is called once the folder is open.
fn watch(
    session: &mut Session,
    name: &str,
    start: &mut Start,
    options: Options,
    stop: &Stop,
    sink: &mut dyn Sink,
    connected: &mut dyn FnMut(),
) -> anyhow::Result<()> {
    stop.guard(session.socket()?);
    let idle = session.offers("IDLE")?;
    let mut folder = session.examine(name)?;
    let uid_validity = folder.uid_validity()?;
    let last_uid = match *start {
        Start::Resume(at) if at.uid_validity != uid_validity => bail!(
            "the UIDVALIDITY of '{name}' changed from {} to {uid_validity}: the server \
             renumbered its messages, so the last UID seen ({}) no longer names the same \
             message; start again with --since-uid (0 for every message) or without the state \
             file",
            at.uid_validity,
            at.last_uid
        ),
        Start::Resume(at) => at.last_uid,
        Start::After(uid) => uid,
        Start::Now => folder.last_uid()?,
    };
    let mut at = Position {
        uid_validity,
        last_uid,
    };
    *start = Start::Resume(at);
    sink.position(at)?;
    connected();
    sink.watching(&format!(
        "watching '{name}' after UID {last_uid}, {}",
        if idle {
            "with IDLE".to_string()
        } else {
            format!(
                "asking every {} s (the server lacks IDLE)",
                options.interval.as_secs()
            )
        }
    ));
    let mut news = true;
    loop {
        // A message may be announced while others are fetched: ask again until none was.
        while news {
            for mail in folder.arrived(at.last_uid)? {
                let mail = mail?;
                sink.message(&mail)?;
                at.last_uid = mail.uid;
                *start = Start::Resume(at);
                sink.position(at)?;
                if stop.is_stopped() {
                    return Ok(());
                }
            }
            news = folder.session().take_news();
        }
        if stop.is_stopped() {
            return Ok(());
        }
        if idle {
            folder.idle()?;
            news = true;
        } else {
            if stop.sleep(options.interval) {
                return Ok(());
            }
            folder.noop()?;
            news = folder.session().take_news();
        }
    }
}

/// Whether `e` says the connection was lost (or could not be made again), which a watch
/// outlives, rather than a refusal or a mistake, which it reports.
fn is_lost_connection(e: &anyhow::Error) -> bool {
    e.downcast_ref::<Error>()
        .is_some_and(Error::is_lost_connection)
}

impl Error {
    fn is_lost_connection(&self) -> bool {
        match self {
            Error::Connect { .. }
            | Error::Greeting { .. }
            | Error::Lost { .. }
            | Error::Io { .. }
            | Error::Protocol { .. } => true,
            Error::Refused { status, .. } => *status == super::Status::Bye,
            Error::Interrupted { cause, .. } => cause.is_lost_connection(),
            _ => false,
        }
    }
}
