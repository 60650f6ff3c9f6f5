//! Waiting in an open folder for the server to announce a new message: IDLE (RFC 2177) where
//! the server offers it, NOOP at an interval where it does not.

use std::time::Duration;

use imap::types::UnsolicitedResponse;

use super::error::Error;
use super::session::{Folder, Session};

/// RFC 2177: a server may log off a client that has been idle for 30 minutes, so IDLE is ended
/// and issued again well before 29.
pub const IDLE_RENEW: Duration = Duration::from_secs(25 * 60);
const _: () = assert!(IDLE_RENEW.as_secs() < 29 * 60);

impl Session {
    /// Whether the server offers `capability` (`IDLE`, ...).
    pub fn offers(&mut self, capability: &str) -> Result<bool, Error> {
        let offered = self
            .inner
            .capabilities()
            .map_err(|e| self.failure(e))?
            .has_str(capability);
        self.discard_unsolicited();
        Ok(offered)
    }
}

impl Folder<'_> {
    /// Waits with IDLE until the server announces a new message count, issuing IDLE again every
    /// [`IDLE_RENEW`]. Only for a server that [offers](Session::offers) IDLE.
    pub fn idle(&mut self) -> Result<(), Error> {
        let session = &mut *self.session;
        let mut handle = session.inner.idle();
        handle.timeout(IDLE_RENEW).keepalive(true);
        let outcome = handle.wait_while(|r| !matches!(r, UnsolicitedResponse::Exists(_)));
        // Dropping the handle ends the IDLE (DONE) before the next command.
        drop(handle);
        outcome.map(drop).map_err(|e| session.failure(e))
    }

    /// Asks the server for news (NOOP); a new message count it announces is noted for
    /// [`Session::take_news`].
    pub fn noop(&mut self) -> Result<(), Error> {
        let session = &mut *self.session;
        session.inner.noop().map_err(|e| session.failure(e))?;
        session.discard_unsolicited();
        Ok(())
    }

    /// The session, to ask it for news.
    pub fn session(&mut self) -> &mut Session {
        self.session
    }
}
