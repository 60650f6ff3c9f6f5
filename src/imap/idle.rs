//! Waiting in an open folder for the server to announce a new message: IDLE (RFC 2177) where
//! the server offers it, NOOP at an interval where it does not.

use std::time::Duration;

use super::connect::IO_TIMEOUT;
use super::error::{Error, is_timeout};
use super::response::{self, Completion, Status};
use super::session::{Folder, Session};
use super::wire::Step;

/// RFC 2177: a server may log off a client that has been idle for 30 minutes, so IDLE is ended
/// and issued again well before 29.
pub const IDLE_RENEW: Duration = Duration::from_secs(25 * 60);
const _: () = assert!(IDLE_RENEW.as_secs() < 29 * 60);

impl Folder<'_> {
    /// Waits with IDLE until the server announces a new message count, issuing IDLE again every
    /// [`IDLE_RENEW`]. Only for a server that [offers](Session::offers) IDLE.
    pub fn idle(&mut self) -> Result<(), Error> {
        self.message_count()?;
        let session = &mut *self.session;
        loop {
            let tag = session.wire.send("IDLE", &[])?;
            let timeout = |s: &Session, t| {
                s.socket
                    .set_read_timeout(Some(t))
                    .map_err(|source| Error::Io {
                        server: s.wire.server.clone(),
                        source,
                    })
            };
            timeout(session, IDLE_RENEW)?;
            // Until a new count comes, the server ends the IDLE, or it is time to renew it.
            let waited = loop {
                match session.step(tag) {
                    Ok(Step::Data(frame)) if response::exists(frame).is_some() => break Ok(true),
                    Ok(Step::Data(_)) => {}
                    Ok(Step::Done(Completion::Ok, _)) => break Ok(false),
                    Ok(Step::Done(status, text)) => {
                        let status = status.refusal().unwrap_or(Status::Bad);
                        break Err(session.refused(status, text));
                    }
                    Err(Error::Io { source, .. }) if is_timeout(&source) => break Ok(false),
                    Err(e) => break Err(e),
                }
            };
            timeout(session, IO_TIMEOUT)?;
            let arrived = waited?;
            if session.wire.waiting_for(tag) {
                // DONE ends the IDLE; its tagged answer follows.
                session.wire.send_line("DONE");
                let (status, text) = session.finish(tag, |_| {})?;
                if let Some(status) = status.refusal() {
                    return Err(session.refused(status, text));
                }
            }
            if arrived {
                return Ok(());
            }
        }
    }

    /// Asks the server for news (NOOP); a new message count it announces is noted for
    /// [`Session::take_news`].
    pub fn noop(&mut self) -> Result<(), Error> {
        self.message_count()?;
        let session = &mut *self.session;
        let tag = session.wire.send("NOOP", &[])?;
        let (status, text) = session.finish(tag, |_| {})?;
        match status.refusal() {
            None => Ok(()),
            Some(status) => Err(session.refused(status, text)),
        }
    }

    /// The session, to ask it for news.
    pub fn session(&mut self) -> &mut Session {
        self.session
    }
}
