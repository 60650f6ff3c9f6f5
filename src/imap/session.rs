//! A logged-in session, read-only by construction: folders are opened with EXAMINE and every
//! fetch of content uses BODY.PEEK, so no command here can change a flag.

use mail_parser::Message;

use super::batch::{self, Limits};
use super::connect::{LastLine, Stream};
use super::error::Error;
use super::folder_name;
use super::mime;
use super::response::{self, Listed};

/// The IMAP session type underneath.
type Inner = imap::Session<Stream>;

/// A logged-in connection; see [`super::connect`].
pub struct Session {
    pub(super) inner: Inner,
    pub(super) server: String,
    last_line: LastLine,
    socket: std::net::TcpStream,
    /// The server announced a new message count (EXISTS) among the responses read so far: see
    /// [`Session::take_news`].
    news: bool,
}

/// A folder as `LIST` and `STATUS` show it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FolderEntry {
    /// The name in UTF-8, as it is typed on the command line.
    pub name: String,
    /// `None` for a name that only holds other folders (\Noselect).
    pub messages: Option<u32>,
}

impl Session {
    pub(super) fn new(
        inner: Inner,
        server: String,
        last_line: LastLine,
        socket: std::net::TcpStream,
    ) -> Session {
        Session {
            inner,
            server,
            last_line,
            socket,
            news: false,
        }
    }

    /// A second handle on the connection's socket: shutting it down from another thread (on a
    /// signal) ends whatever the session is waiting for.
    pub fn socket(&self) -> std::io::Result<std::net::TcpStream> {
        self.socket.try_clone()
    }

    /// Whether the server announced a new message count since the last call: a message that
    /// arrives while others are being fetched is announced in the middle of that FETCH, and a
    /// watcher must not wait for the next one to fetch it.
    pub fn take_news(&mut self) -> bool {
        std::mem::take(&mut self.news)
    }

    /// Every folder with its message count, in the server's order.
    pub fn folders(&mut self) -> Result<Vec<FolderEntry>, Error> {
        let listed = self.list("*")?;
        let mut folders = Vec::with_capacity(listed.len());
        for Listed { name, selectable } in listed {
            let messages = if selectable {
                let data =
                    self.command(&format!("STATUS {} (MESSAGES)", response::quote(&name)))?;
                Some(response::status_messages(&data).unwrap_or(0))
            } else {
                None
            };
            let raw = String::from_utf8_lossy(&name).into_owned();
            folders.push(FolderEntry {
                name: folder_name::decode(&raw).unwrap_or(raw),
                messages,
            });
        }
        Ok(folders)
    }

    /// The folders LIST gives for `pattern` (a name as the server spells it, `*` and `%`
    /// wildcards).
    fn list(&mut self, pattern: &str) -> Result<Vec<Listed>, Error> {
        let data = self.command(&format!(
            "LIST \"\" {}",
            response::quote(pattern.as_bytes())
        ))?;
        Ok(response::list(&data))
    }

    /// Runs a command and returns its untagged responses, read here: see [`response`].
    fn command(&mut self, command: &str) -> Result<Vec<u8>, Error> {
        let data = self
            .inner
            .run_command_and_read_response(command)
            .map_err(|e| self.failure(e))?;
        self.discard_unsolicited();
        Ok(data)
    }

    /// The error for a failed command. The client cannot read a tagged answer whose text is
    /// not ASCII and reports a BYE with "no explanation given": the answer's own line says
    /// what the server said.
    pub(super) fn failure(&self, cause: imap::Error) -> Error {
        if let imap::Error::Bye(bye) = &cause
            && bye.code.is_none()
            && let Some((status, text)) = response::refusal(&self.last_line.get())
        {
            return Error::Refused {
                server: self.server.clone(),
                status,
                text,
            };
        }
        Error::protocol(&self.server, cause)
    }

    /// Opens `folder` (a UTF-8 name) read-only.
    pub fn examine(&mut self, folder: &str) -> Result<Folder<'_>, Error> {
        let encoded = folder_name::encode(folder);
        let mailbox = match self.inner.examine(&encoded) {
            Ok(mailbox) => mailbox,
            Err(e) => {
                return Err(match self.failure(e) {
                    Error::Refused {
                        status: response::Status::No,
                        text,
                        ..
                    } => self.missing(folder, &encoded, text)?,
                    other => other,
                });
            }
        };
        self.discard_unsolicited();
        Ok(Folder {
            session: self,
            name: folder.to_string(),
            uid_validity: mailbox.uid_validity.unwrap_or(0),
            exists: mailbox.exists,
            uid_next: mailbox.uid_next,
        })
    }

    /// Why EXAMINE said NO: a name that only holds other folders (servers call that missing
    /// too), or no such folder.
    fn missing(&mut self, folder: &str, encoded: &str, reason: String) -> Result<Error, Error> {
        let listed = self.list(encoded)?;
        let unselectable = listed
            .iter()
            .any(|l| !l.selectable && l.name == encoded.as_bytes());
        Ok(if unselectable {
            Error::NotSelectable {
                server: self.server.clone(),
                folder: folder.to_string(),
            }
        } else {
            Error::NoFolder {
                server: self.server.clone(),
                folder: folder.to_string(),
                reason,
            }
        })
    }

    /// Says goodbye; a server that is already gone does not matter any more.
    pub fn logout(mut self) {
        let _ = self.inner.logout();
    }

    /// Untagged news about other messages is of no use here, and would pile up over a long run.
    /// Drops the responses the server sent unasked, noting only whether one announced a new
    /// message count (see [`Session::take_news`]).
    pub(super) fn discard_unsolicited(&mut self) {
        for response in self.inner.take_all_unsolicited() {
            if let imap::types::UnsolicitedResponse::Exists(_) = response {
                self.news = true;
            }
        }
    }
}

/// An open (examined) folder.
pub struct Folder<'s> {
    pub(super) session: &'s mut Session,
    name: String,
    uid_validity: u32,
    exists: u32,
    /// UIDNEXT, when the server said it.
    uid_next: Option<u32>,
}

/// A message as the server stores it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawMail {
    pub uid: u32,
    /// RFC822.SIZE.
    pub size: u64,
    /// IMAP flags as the server spells them (`\Seen`, `$Forwarded`, ...), without `\Recent`.
    pub flags: Vec<String>,
    /// INTERNALDATE (when the server received it), in seconds since the epoch.
    pub internal_date: Option<i64>,
    /// The exact bytes.
    pub raw: Vec<u8>,
}

/// A message, or one piece of a message too large to hold at once (see
/// [`Folder::pieces`]). The pieces of a message come in order, the first at `offset` 0, the
/// last with `last` set; `mail.raw` holds this piece's bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub mail: RawMail,
    pub offset: u64,
    pub last: bool,
}

/// A message's header fields, as fetched for listings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderFields {
    pub uid: u32,
    /// The requested fields, folded as they came, with the blank line that ends them.
    pub raw: Vec<u8>,
}

impl RawMail {
    /// Parses the message as [`mime::parse`] does, borrowing from its bytes rather than copying
    /// them.
    pub fn message(&self) -> Message<'_> {
        mime::parse(&self.raw)
    }
}

impl<'s> Folder<'s> {
    /// UIDVALIDITY: while it stays the same, a UID names the same message.
    pub fn uid_validity(&self) -> u32 {
        self.uid_validity
    }

    /// How many messages the folder held when it was opened.
    pub fn message_count(&self) -> u32 {
        self.exists
    }

    /// Every message with a UID above `after`, exactly as stored, in UID order, fetched in
    /// batches within `limits`; one larger than a batch comes in pieces (see
    /// [`Folder::pieces`]) and is put together here.
    pub fn raw_messages(self, after: u32, limits: Limits) -> Result<Messages<'s>, Error> {
        Ok(Messages {
            pieces: self.pieces(after, limits)?,
        })
    }

    /// Every message, in UID order, fetched in batches of at most 8 MiB.
    pub fn messages(self) -> Result<Messages<'s>, Error> {
        self.raw_messages(0, Limits::MESSAGES)
    }

    /// [`Folder::raw_messages`] without putting large messages together: a message larger than
    /// `limits.bytes` comes in pieces of that size (partial FETCHes, RFC 3501 6.4.5), so that a
    /// caller can write it out while memory holds one piece.
    pub fn pieces(mut self, after: u32, limits: Limits) -> Result<Fetcher<'s, Piece>, Error> {
        let listed = if self.exists == 0 {
            Vec::new()
        } else {
            self.listed_after(after)?
        };
        Ok(fetcher(
            self.session,
            self.name,
            listed,
            true,
            limits,
            RAW_QUERY,
            piece,
        ))
    }

    /// The messages that arrived since the folder was opened (or since the last call), with a
    /// UID above `after`, whole: for a watcher, which keeps the folder open and hears of new
    /// messages from the server (see [`Session::take_news`]).
    pub fn arrived(&mut self, after: u32) -> Result<Messages<'_>, Error> {
        let listed = self.listed_after(after)?;
        Ok(whole(&mut *self.session, self.name.clone(), listed))
    }

    /// The UID below which every message was there when the folder was opened: UIDNEXT - 1, or
    /// where the server does not say UIDNEXT, the highest UID.
    pub fn last_uid(&mut self) -> Result<u32, Error> {
        if let Some(next) = self.uid_next {
            return Ok(next.saturating_sub(1));
        }
        if self.exists == 0 {
            return Ok(0);
        }
        let last = self.sizes("*".to_string(), |_| true)?;
        Ok(last.iter().map(|&(uid, _)| uid).max().unwrap_or(0))
    }

    /// UID and size of every message with a UID above `after`.
    fn listed_after(&mut self, after: u32) -> Result<Vec<(u32, u64)>, Error> {
        if after == u32::MAX {
            return Ok(Vec::new());
        }
        // `N:*` always names the last message, even when its UID is below N.
        self.sizes(format!("{}:*", after + 1), |uid| uid > after)
    }

    /// UID and RFC822.SIZE of the messages in `set` that `keep` accepts: one FETCH, small
    /// answers.
    fn sizes(&mut self, set: String, keep: impl Fn(u32) -> bool) -> Result<Vec<(u32, u64)>, Error> {
        let sizes = self
            .session
            .inner
            .uid_fetch(set, "(UID RFC822.SIZE)")
            .map_err(|e| self.session.failure(e))?;
        let listed = sizes
            .iter()
            .filter_map(|f| {
                let uid = f.uid.filter(|&u| keep(u))?;
                Some((uid, u64::from(f.size.unwrap_or(0))))
            })
            .collect();
        drop(sizes);
        self.session.discard_unsolicited();
        Ok(listed)
    }

    /// The header `fields` (e.g. `["SUBJECT"]`) of every message, in UID order, many messages a
    /// FETCH.
    pub fn headers(self, fields: &[&str]) -> Result<Fetcher<'s, HeaderFields>, Error> {
        // By sequence number, which spares a UID SEARCH: they cannot shift under us, since a
        // server may not announce an expunge while it answers FETCH, nor between commands.
        let listed = (1..=self.exists).map(|seq| (seq, 0)).collect();
        let query = format!("(UID BODY.PEEK[HEADER.FIELDS ({})])", fields.join(" "));
        Ok(fetcher(
            self.session,
            self.name,
            listed,
            false,
            Limits::HEADERS,
            query,
            |f, _| header_fields(f),
        ))
    }

    /// The exact bytes of message `uid`.
    pub fn fetch(&mut self, uid: u32) -> Result<RawMail, Error> {
        let missing = |folder: &str| Error::NoMessage {
            folder: folder.to_string(),
            uid,
        };
        let listed = self.sizes(uid.to_string(), |u| u == uid)?;
        if listed.is_empty() {
            return Err(missing(&self.name));
        }
        match whole(&mut *self.session, self.name.clone(), listed).next() {
            Some(Ok(mail)) => Ok(mail),
            // One message: "stopped after 0 of 1" would only hide the reason.
            Some(Err(Error::Interrupted { cause, .. })) => Err(*cause),
            Some(Err(e)) => Err(e),
            None => Err(missing(&self.name)),
        }
    }
}

/// The messages `listed` (UIDs and sizes), whole, in batches of at most 8 MiB.
fn whole(session: &mut Session, folder: String, listed: Vec<(u32, u64)>) -> Messages<'_> {
    let pieces = fetcher(
        session,
        folder,
        listed,
        true,
        Limits::MESSAGES,
        RAW_QUERY,
        piece,
    );
    Messages { pieces }
}

fn fetcher<'s, T>(
    session: &'s mut Session,
    folder: String,
    listed: Vec<(u32, u64)>,
    by_uid: bool,
    limits: Limits,
    query: impl Into<String>,
    extract: Extract<T>,
) -> Fetcher<'s, T> {
    Fetcher {
        session,
        folder,
        listed,
        next: 0,
        limits,
        query: query.into(),
        by_uid,
        extract,
        batch: None,
        piecewise: None,
        done: 0,
        last_uid: None,
        failed: false,
    }
}

/// Makes an item of one FETCH response; the offset is that of a piece of a large message, `None`
/// for a whole one.
type Extract<T> = fn(&imap::types::Fetch<'_>, Option<(u64, bool)>) -> Option<T>;

/// Everything a backup needs; BODY.PEEK[] leaves \Seen alone where RFC822 would set it.
const RAW_QUERY: &str = "(UID RFC822.SIZE FLAGS INTERNALDATE BODY.PEEK[])";

/// A whole message (`part` `None`), or the piece at `offset` of a large one.
fn piece(f: &imap::types::Fetch<'_>, part: Option<(u64, bool)>) -> Option<Piece> {
    let raw = match (f.body(), part) {
        (Some(body), _) => body.to_vec(),
        // A piece past the end may come back as NIL.
        (None, Some(_)) => Vec::new(),
        (None, None) => return None,
    };
    let (offset, last) = part.unwrap_or((0, true));
    Some(Piece {
        mail: RawMail {
            uid: f.uid?,
            size: u64::from(f.size.unwrap_or(0)),
            flags: f
                .flags()
                .iter()
                .filter(|flag| !matches!(flag, imap::types::Flag::Recent))
                .map(ToString::to_string)
                .collect(),
            internal_date: f.internal_date().map(|d| d.timestamp()),
            raw,
        },
        offset,
        last,
    })
}

fn header_fields(f: &imap::types::Fetch<'_>) -> Option<HeaderFields> {
    Some(HeaderFields {
        uid: f.uid?,
        raw: f.header()?.to_vec(),
    })
}

/// A lazy iterator over a folder's messages: it holds one batch at a time, so memory stays
/// bounded by the batch limits whatever the folder holds. For whole messages, one larger than
/// a batch comes in pieces of `limits.bytes`, one FETCH each.
///
/// After an error, which says how far it got, it ends.
pub struct Fetcher<'s, T> {
    session: &'s mut Session,
    folder: String,
    /// UID (or sequence number) and size of each message to fetch, in UID order.
    listed: Vec<(u32, u64)>,
    /// Index in `listed` of the first message not yet asked for.
    next: usize,
    limits: Limits,
    query: String,
    /// Whether `listed` holds UIDs rather than sequence numbers (and so whole messages, which
    /// may come in pieces).
    by_uid: bool,
    extract: Extract<T>,
    /// The current batch and the index of its next response.
    batch: Option<(imap::types::Fetches, usize)>,
    /// The UID of a message that comes in pieces, and the offset of its next piece.
    piecewise: Option<(u32, u64)>,
    done: u64,
    last_uid: Option<u32>,
    failed: bool,
}

impl<T> Fetcher<'_, T> {
    /// How many messages the iteration covers.
    pub fn total(&self) -> u64 {
        self.listed.len() as u64
    }

    /// Whether the next item is already here, so that asking for it will not wait on the
    /// network: the moment to flush what was printed so far.
    pub fn has_buffered(&self) -> bool {
        self.batch
            .as_ref()
            .is_some_and(|(fetches, index)| *index < fetches.len())
    }

    fn fetch_next_batch(&mut self) -> Result<bool, Error> {
        let rest = &self.listed[self.next..];
        let Some(&(first, size)) = rest.first() else {
            return Ok(false);
        };
        if self.by_uid && size > self.limits.bytes {
            self.next += 1;
            self.piecewise = Some((first, 0));
            return Ok(true);
        }
        let n = batch::next_batch_len(rest.iter().map(|&(_, size)| size), self.limits);
        let ids: Vec<u32> = rest[..n].iter().map(|&(id, _)| id).collect();
        self.next += n;
        let session = &mut *self.session;
        let set = batch::sequence_set(&ids);
        let fetches = if self.by_uid {
            session.inner.uid_fetch(set, &self.query)
        } else {
            session.inner.fetch(set, &self.query)
        }
        .map_err(|e| session.failure(e))?;
        session.discard_unsolicited();
        self.batch = Some((fetches, 0));
        Ok(true)
    }

    /// The next piece of the message in `piecewise`; `None` when it was expunged before its
    /// first piece (as a batch skips such a message).
    fn fetch_piece(&mut self, uid: u32, offset: u64) -> Result<Option<T>, Error> {
        let len = self.limits.bytes;
        let query = format!("(UID RFC822.SIZE FLAGS INTERNALDATE BODY.PEEK[]<{offset}.{len}>)");
        let session = &mut *self.session;
        let fetches = session
            .inner
            .uid_fetch(uid.to_string(), query)
            .map_err(|e| session.failure(e))?;
        let found = fetches.iter().find(|f| f.uid == Some(uid)).map(|f| {
            let got = f.body().map_or(0, <[u8]>::len) as u64;
            let last = got < len;
            (got, last, (self.extract)(f, Some((offset, last))))
        });
        drop(fetches);
        session.discard_unsolicited();
        match found {
            Some((got, last, item)) => {
                self.piecewise = (!last).then_some((uid, offset + got));
                if last {
                    self.done += 1;
                    self.last_uid = Some(uid);
                }
                Ok(item)
            }
            None if offset == 0 => {
                self.piecewise = None;
                Ok(None)
            }
            None => Err(Error::Vanished {
                folder: self.folder.clone(),
                uid,
            }),
        }
    }

    fn fail(&mut self, cause: Error) -> Option<Result<T, Error>> {
        self.failed = true;
        Some(Err(Error::Interrupted {
            folder: self.folder.clone(),
            done: self.done,
            total: self.total(),
            last_uid: self.last_uid,
            cause: Box::new(cause),
        }))
    }
}

impl<T> Iterator for Fetcher<'_, T> {
    type Item = Result<T, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        loop {
            if let Some((uid, offset)) = self.piecewise {
                match self.fetch_piece(uid, offset) {
                    Ok(Some(item)) => return Some(Ok(item)),
                    Ok(None) => continue,
                    Err(cause) => return self.fail(cause),
                }
            }
            if let Some((fetches, index)) = &mut self.batch {
                // Skip responses that are not ours: flag news about other messages, or a
                // message expunged since the listing.
                while let Some(fetch) = fetches.get(*index) {
                    *index += 1;
                    if let Some(item) = (self.extract)(fetch, None) {
                        self.done += 1;
                        self.last_uid = fetch.uid;
                        return Some(Ok(item));
                    }
                }
                self.batch = None;
            }
            match self.fetch_next_batch() {
                Ok(true) => continue,
                Ok(false) => return None,
                Err(cause) => return self.fail(cause),
            }
        }
    }
}

/// Whole messages, put together from [`Fetcher`] pieces: a large one is held once, in a buffer
/// of its size.
pub struct Messages<'s> {
    pieces: Fetcher<'s, Piece>,
}

impl Messages<'_> {
    /// How many messages the iteration covers.
    pub fn total(&self) -> u64 {
        self.pieces.total()
    }

    /// See [`Fetcher::has_buffered`].
    pub fn has_buffered(&self) -> bool {
        self.pieces.has_buffered()
    }
}

impl Iterator for Messages<'_> {
    type Item = Result<RawMail, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        let Piece { mut mail, last, .. } = match self.pieces.next()? {
            Ok(piece) => piece,
            Err(e) => return Some(Err(e)),
        };
        if !last {
            let mut whole = Vec::with_capacity(usize::try_from(mail.size).unwrap_or(0));
            whole.extend_from_slice(&std::mem::take(&mut mail.raw));
            mail.raw = whole;
            loop {
                match self.pieces.next() {
                    Some(Ok(piece)) => {
                        mail.raw.extend_from_slice(&piece.mail.raw);
                        if piece.last {
                            break;
                        }
                    }
                    Some(Err(e)) => return Some(Err(e)),
                    None => break,
                }
            }
        }
        Some(Ok(mail))
    }
}
