//! A logged-in session, read-only by construction: folders are opened with EXAMINE and every
//! fetch of content uses BODY.PEEK, so no command here can change a flag.
//!
//! Commands are pipelined (RFC 3501 section 5.5): each is queued, and the queue goes out in one
//! write when an answer is first needed. LOGIN, EXAMINE and the FETCH that follows travel
//! together, so a listing costs one round trip after the greeting; nothing is asked that the
//! server already said (capabilities come with the greeting and with LOGIN's answer).

use mail_parser::Message;

use super::auth::Exchange;
use super::batch::{self, Limits};
use super::error::Error;
use super::fetch::{self, Fetched};
use super::folder_name;
use super::mime;
use super::response::{self, Completion, Listed};
use super::search::{Criteria, Key};
use super::wire::{Arg, Step, Tag, Wire};

/// A logged-in connection; see [`super::connect`].
pub struct Session {
    pub(super) wire: Wire,
    /// A second handle on the socket: for the timeout of IDLE, and to end a wait from another
    /// thread (see [`Session::socket`]).
    pub(super) socket: std::net::TcpStream,
    /// The login while its answer has not been read.
    login: Option<Pending>,
}

/// A login sent or queued: LOGIN, or AUTHENTICATE with `mechanism`.
struct Pending {
    tag: Tag,
    user: String,
    mechanism: Option<&'static str>,
}

/// Whether to compress the connection with COMPRESS=DEFLATE (RFC 4978) where the server offers
/// it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    /// Except to a loopback address, where it only costs time.
    Auto,
    Always,
    Never,
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
    /// Queues LOGIN, or AUTHENTICATE when `exchange` says so (and COMPRESS, when it is to be
    /// used: see [`Compression`]).
    pub(super) fn login(
        wire: Wire,
        socket: std::net::TcpStream,
        compress: bool,
        user: &str,
        secret: &str,
        exchange: Option<Exchange>,
    ) -> Result<Session, Error> {
        let mut session = Session {
            wire,
            socket,
            login: None,
        };
        let tag = match &exchange {
            None => session.wire.send(
                "LOGIN",
                &[Arg::Text(user.as_bytes()), Arg::Text(secret.as_bytes())],
            )?,
            Some(exchange) => session.authenticate(exchange, user)?,
        };
        session.login = Some(Pending {
            tag,
            user: user.to_string(),
            mechanism: exchange.map(|x| x.mechanism),
        });
        if compress {
            session.compress()?;
        }
        Ok(session)
    }

    /// Queues AUTHENTICATE with the initial response (SASL-IR, RFC 4959), so that the token
    /// goes in the first flight like LOGIN. Its support is assumed until the greeting was read
    /// (it has been, for STARTTLS): every server that offers an OAuth mechanism offers SASL-IR,
    /// and waiting for the greeting would cost TLS a round trip. A server known to lack it gets
    /// the exchange in two steps, before anything else is sent.
    fn authenticate(&mut self, exchange: &Exchange, user: &str) -> Result<Tag, Error> {
        let initial_response = self
            .wire
            .known_capabilities()
            .is_none_or(|c| c.iter().any(|c| c == "SASL-IR"));
        let mechanism = Arg::Atom(exchange.mechanism);
        let tag = if initial_response {
            self.wire
                .send("AUTHENTICATE", &[mechanism, Arg::Atom(&exchange.initial)])?
        } else {
            let tag = self.wire.send("AUTHENTICATE", &[mechanism])?;
            if let Some((_, reason)) = self.wire.continuation(tag)? {
                return Err(self.token_refused(exchange.mechanism, user.to_string(), reason));
            }
            self.wire.send_line(&exchange.initial);
            tag
        };
        self.wire.answer_challenges(tag, exchange.acknowledge);
        Ok(tag)
    }

    /// The refusal of an access token, with the server's JSON error when it sent one, and the
    /// mechanisms it offers when it does not offer this one.
    fn token_refused(&mut self, mechanism: &'static str, user: String, reason: String) -> Error {
        let offered: Vec<String> = self
            .wire
            .known_capabilities()
            .unwrap_or_default()
            .iter()
            .filter(|c| c.starts_with("AUTH="))
            .cloned()
            .collect();
        let named = offered.iter().any(|c| c[5..] == *mechanism);
        Error::Token {
            server: self.wire.server.clone(),
            user,
            mechanism,
            said: self.wire.take_challenge().unwrap_or(reason),
            offered: if named { Vec::new() } else { offered },
        }
    }

    /// Whether the server offers `capability` (upper case), as far as it said so far (the
    /// greeting, then LOGIN's answer).
    pub fn has(&mut self, capability: &str) -> Result<bool, Error> {
        self.wire.has(capability)
    }

    /// COMPRESS=DEFLATE where offered. Its answer must be read before anything else is sent, so
    /// it costs one round trip, and only one: it goes with LOGIN, before LOGIN's answer says
    /// whether the server offers it (Dovecot names it only then). A server that does not is
    /// asked in vain at no cost, as LOGIN's answer is awaited anyway.
    fn compress(&mut self) -> Result<(), Error> {
        if self.login.is_none() && !self.has("COMPRESS=DEFLATE")? {
            return Ok(());
        }
        let tag = self.wire.send("COMPRESS", &[Arg::Atom("DEFLATE")])?;
        let (status, _) = self.finish(tag, |_| {})?;
        if status != Completion::Ok {
            // Refused (not offered after all, or already compressed): carry on plainly.
            return Ok(());
        }
        self.wire.deflate()
    }

    /// Whether the connection is compressed.
    pub fn compressed(&self) -> bool {
        self.wire.compressed()
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
        self.wire.take_news()
    }

    /// Whether the logged-in server offers `capability` (`IDLE`, ...): LOGIN's answer says.
    pub fn offers(&mut self, capability: &str) -> Result<bool, Error> {
        self.logged_in()?;
        self.has(capability)
    }

    /// Reads LOGIN's answer if it is still waiting: a refusal is the error of whatever asked.
    pub(super) fn logged_in(&mut self) -> Result<(), Error> {
        let Some(Pending {
            tag,
            user,
            mechanism,
        }) = self.login.take()
        else {
            return Ok(());
        };
        loop {
            match self.wire.step(tag)? {
                Step::Data(frame) => {
                    if let Some(found) = response::capabilities(frame) {
                        self.wire.set_capabilities(found);
                    }
                }
                Step::Done(Completion::Ok, text) => {
                    if let Some(found) = response::capabilities(text.as_bytes()) {
                        self.wire.set_capabilities(found);
                    }
                    return Ok(());
                }
                Step::Done(_, reason) => {
                    return Err(match mechanism {
                        None => Error::Login {
                            server: self.wire.server.clone(),
                            user,
                            reason,
                        },
                        Some(mechanism) => self.token_refused(mechanism, user, reason),
                    });
                }
            }
        }
    }

    /// The next response to `tag`, once LOGIN went through.
    pub(super) fn step(&mut self, tag: Tag) -> Result<Step<'_>, Error> {
        self.logged_in()?;
        self.wire.step(tag)
    }

    /// Reads up to the tagged answer to `tag`, handing each untagged response to `each`.
    pub(super) fn finish(
        &mut self,
        tag: Tag,
        mut each: impl FnMut(&[u8]),
    ) -> Result<(Completion, String), Error> {
        loop {
            match self.step(tag)? {
                Step::Data(frame) => each(frame),
                Step::Done(status, text) => return Ok((status, text)),
            }
        }
    }

    /// Runs a command and returns its untagged responses as sent; a refusal is an error.
    fn command(&mut self, verb: &str, args: &[Arg<'_>]) -> Result<Vec<u8>, Error> {
        let tag = self.wire.send(verb, args)?;
        self.collect(tag)
    }

    /// The untagged responses to a command already queued; a refusal is an error.
    fn collect(&mut self, tag: Tag) -> Result<Vec<u8>, Error> {
        let mut data = Vec::new();
        let (status, text) = self.finish(tag, |frame| data.extend_from_slice(frame))?;
        match status.refusal() {
            None => Ok(data),
            Some(status) => Err(self.refused(status, text)),
        }
    }

    pub(super) fn refused(&self, status: response::Status, text: String) -> Error {
        Error::Refused {
            server: self.wire.server.clone(),
            status,
            text,
        }
    }

    /// Every folder with its message count, in the server's order: one LIST with LIST-STATUS
    /// (RFC 5819), else LIST and then every STATUS at once. LIST-STATUS goes with LOGIN when
    /// LOGIN was not answered yet, since servers name it only after logging in (Dovecot does); a
    /// server without it refuses it, harmlessly, and gets LIST and STATUS.
    pub fn folders(&mut self) -> Result<Vec<FolderEntry>, Error> {
        let mut data = None;
        if self.login.is_some() || self.has("LIST-STATUS")? {
            let tag = self.wire.send(
                "LIST",
                &[
                    Arg::Text(b""),
                    Arg::Text(b"*"),
                    Arg::Atom("RETURN (STATUS (MESSAGES))"),
                ],
            )?;
            let mut lines = Vec::new();
            let (status, _) = self.finish(tag, |frame| lines.extend_from_slice(frame))?;
            data = (status == Completion::Ok).then_some(lines);
        }
        let with_status = data.is_some();
        let data = match data {
            Some(data) => data,
            None => self.command("LIST", &[Arg::Text(b""), Arg::Text(b"*")])?,
        };
        let listed = response::list(&data);
        let mut counts = response::statuses(&data);
        if !with_status {
            let tags = listed
                .iter()
                .filter(|l| l.selectable)
                .map(|l| {
                    self.wire
                        .send("STATUS", &[Arg::Text(&l.name), Arg::Atom("(MESSAGES)")])
                })
                .collect::<Result<Vec<Tag>, Error>>()?;
            for tag in tags {
                counts.extend(response::statuses(&self.collect(tag)?));
            }
        }
        Ok(listed
            .into_iter()
            .map(|Listed { name, selectable }| {
                let messages = selectable.then(|| {
                    counts
                        .iter()
                        .find(|(n, _)| *n == name)
                        .map_or(0, |&(_, count)| count)
                });
                let raw = String::from_utf8_lossy(&name).into_owned();
                FolderEntry {
                    name: folder_name::decode(&raw).unwrap_or(raw),
                    messages,
                }
            })
            .collect())
    }

    /// Opens `folder` (a UTF-8 name) read-only. EXAMINE is queued, not waited for: it goes out
    /// with what is asked of the folder next, and a missing folder is the error of that.
    pub fn examine(&mut self, folder: &str) -> Result<Folder<'_>, Error> {
        let encoded = folder_name::encode(folder);
        let tag = self
            .wire
            .send("EXAMINE", &[Arg::Text(encoded.as_bytes())])?;
        Ok(Folder {
            session: self,
            name: folder.to_string(),
            encoded,
            opening: Some(tag),
            uid_validity: 0,
            exists: 0,
            uid_next: None,
            selection: None,
        })
    }

    /// Why EXAMINE said NO: a name that only holds other folders (servers call that missing
    /// too), or no such folder.
    fn missing(&mut self, folder: &str, encoded: &str, reason: String) -> Result<Error, Error> {
        let data = self.command("LIST", &[Arg::Text(b""), Arg::Text(encoded.as_bytes())])?;
        let unselectable = response::list(&data)
            .iter()
            .any(|l| !l.selectable && l.name == encoded.as_bytes());
        Ok(if unselectable {
            Error::NotSelectable {
                server: self.wire.server.clone(),
                folder: folder.to_string(),
            }
        } else {
            Error::NoFolder {
                server: self.wire.server.clone(),
                folder: folder.to_string(),
                reason,
            }
        })
    }

    /// Says goodbye without waiting for the answer; a server that is already gone does not
    /// matter any more.
    pub fn logout(mut self) {
        if self.wire.send("LOGOUT", &[]).is_ok() {
            let _ = self.wire.flush();
        }
    }
}

/// An open (examined) folder.
pub struct Folder<'s> {
    pub(super) session: &'s mut Session,
    name: String,
    encoded: String,
    /// EXAMINE's tag while its answer has not been read.
    opening: Option<Tag>,
    uid_validity: u32,
    exists: u32,
    /// UIDNEXT, when the server said it.
    uid_next: Option<u32>,
    /// The UIDs a search selected, ascending; `None` for every message.
    selection: Option<Vec<u32>>,
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
    /// Reads EXAMINE's answer if it is still waiting.
    fn open(&mut self) -> Result<(), Error> {
        let Some(tag) = self.opening.take() else {
            return Ok(());
        };
        let (mut exists, mut uid_validity, mut uid_next) = (0, 0, None);
        let (status, text) = self.session.finish(tag, |frame| {
            if let Some(n) = response::exists(frame) {
                exists = n;
            } else if let Some(n) = response::uid_validity(frame) {
                uid_validity = n;
            } else if let Some(n) = response::uid_next(frame) {
                uid_next = Some(n);
            }
        })?;
        // The count EXAMINE gives is no news.
        self.session.wire.take_news();
        match status {
            Completion::Ok => {
                (self.exists, self.uid_validity, self.uid_next) = (exists, uid_validity, uid_next);
                Ok(())
            }
            Completion::No => Err(self.session.missing(&self.name, &self.encoded, text)?),
            Completion::Bad => Err(self.session.refused(response::Status::Bad, text)),
        }
    }

    /// Narrows what [`Folder::headers`], [`Folder::messages`] and [`Folder::pieces`] go through
    /// to the messages `criteria` selects: one UID SEARCH, sent with EXAMINE.
    pub fn search(mut self, criteria: &Criteria) -> Result<Folder<'s>, Error> {
        if criteria.is_empty() {
            return Ok(self);
        }
        let keys = criteria.keys();
        let args: Vec<Arg<'_>> = keys
            .iter()
            .map(|k| match k {
                Key::Atom(a) => Arg::Atom(a),
                Key::Text(t) => Arg::Text(t.as_bytes()),
            })
            .collect();
        let tag = self.session.wire.send("UID SEARCH", &args)?;
        self.open()?;
        let mut uids = Vec::new();
        let (status, text) = self.session.finish(tag, |frame| {
            uids.extend(response::search(frame).unwrap_or_default());
        })?;
        if let Some(status) = status.refusal() {
            return Err(self.session.refused(status, text));
        }
        uids.sort_unstable();
        uids.dedup();
        self.selection = Some(uids);
        Ok(self)
    }

    /// UIDVALIDITY: while it stays the same, a UID names the same message.
    pub fn uid_validity(&mut self) -> Result<u32, Error> {
        self.open()?;
        Ok(self.uid_validity)
    }

    /// How many messages the folder held when it was opened.
    pub fn message_count(&mut self) -> Result<u32, Error> {
        self.open()?;
        Ok(self.exists)
    }

    /// Every message with a UID above `after`, exactly as stored, in UID order, fetched in
    /// batches within `limits`; one larger than a batch comes in pieces (see
    /// [`Folder::pieces`]) and is put together here.
    pub fn raw_messages(self, after: u32, limits: Limits) -> Result<Messages<'s>, Error> {
        Ok(Messages {
            pieces: self.pieces(after, limits)?,
        })
    }

    /// Every message, in UID order: one FETCH for the whole folder, sent with EXAMINE and read
    /// as it streams in, one message in memory at a time.
    pub fn messages(self) -> Result<Messages<'s>, Error> {
        Ok(Messages {
            pieces: self.stream(RAW_QUERY.to_string(), piece)?,
        })
    }

    /// [`Folder::raw_messages`] without putting large messages together: a message larger than
    /// `limits.bytes` comes in pieces of that size (partial FETCHes, RFC 3501 6.4.5), so that a
    /// caller can write it out while memory holds one piece.
    pub fn pieces(mut self, after: u32, limits: Limits) -> Result<Fetcher<'s, Piece>, Error> {
        self.open()?;
        let set = match &self.selection {
            _ if self.exists == 0 || after == u32::MAX => None,
            // `N:*` always names the last message, even when its UID is below N.
            None => Some(format!("{}:*", after + 1)),
            Some(uids) => {
                let newer: Vec<u32> = uids.iter().copied().filter(|&u| u > after).collect();
                (!newer.is_empty()).then(|| batch::sequence_set(&newer))
            }
        };
        let listed = match set {
            Some(set) => self.sizes(&set, |uid| uid > after)?,
            None => Vec::new(),
        };
        let total = listed.len() as u64;
        Ok(self.fetcher(
            Plan::Batches {
                listed,
                next: 0,
                limits,
            },
            None,
            total,
            RAW_QUERY.to_string(),
            piece,
        ))
    }

    /// The messages that arrived since the folder was opened (or since the last call), with a
    /// UID above `after`, whole: for a watcher, which keeps the folder open and hears of new
    /// messages from the server (see [`Session::take_news`]).
    pub fn arrived(&mut self, after: u32) -> Result<Messages<'_>, Error> {
        self.open()?;
        let listed = if after == u32::MAX {
            Vec::new()
        } else {
            // `N:*` always names the last message, even when its UID is below N.
            self.sizes(&format!("{}:*", after + 1), |uid| uid > after)?
        };
        let total = listed.len() as u64;
        let plan = Plan::Batches {
            listed,
            next: 0,
            limits: Limits::MESSAGES,
        };
        Ok(Messages {
            pieces: Fetcher {
                session: &mut *self.session,
                folder: self.name.clone(),
                plan,
                total,
                query: RAW_QUERY.to_string(),
                extract: piece,
                current: None,
                piecewise: None,
                done: 0,
                last_uid: None,
                failed: false,
            },
        })
    }

    /// The UID below which every message was there when the folder was opened: UIDNEXT - 1, or
    /// where the server does not say UIDNEXT, the highest UID.
    pub fn last_uid(&mut self) -> Result<u32, Error> {
        self.open()?;
        if let Some(next) = self.uid_next {
            return Ok(next.saturating_sub(1));
        }
        if self.exists == 0 {
            return Ok(0);
        }
        let last = self.sizes("*", |_| true)?;
        Ok(last.iter().map(|&(uid, _)| uid).max().unwrap_or(0))
    }

    /// UID and RFC822.SIZE of the messages in `set` that `keep` accepts: one FETCH, small
    /// answers.
    fn sizes(&mut self, set: &str, keep: impl Fn(u32) -> bool) -> Result<Vec<(u32, u64)>, Error> {
        let tag = self.session.wire.send(
            "UID FETCH",
            &[Arg::Atom(set), Arg::Atom("(UID RFC822.SIZE)")],
        )?;
        let mut listed = Vec::new();
        let (status, text) = self.session.finish(tag, |frame| {
            if let Some(Fetched {
                uid: Some(uid),
                size,
                ..
            }) = fetch::parse(frame)
                && keep(uid)
            {
                listed.push((uid, u64::from(size.unwrap_or(0))));
            }
        })?;
        match status.refusal() {
            None => Ok(listed),
            Some(status) => Err(self.session.refused(status, text)),
        }
    }

    /// The header `fields` (e.g. `["SUBJECT"]`) of every message, in UID order: one FETCH,
    /// sent with EXAMINE and read as it streams in.
    pub fn headers(self, fields: &[&str]) -> Result<Fetcher<'s, HeaderFields>, Error> {
        let query = format!("(UID BODY.PEEK[HEADER.FIELDS ({})])", fields.join(" "));
        self.stream(query, |frame, f, _| {
            Some(HeaderFields {
                uid: f.uid?,
                raw: cut(frame, f.header.clone()?),
            })
        })
    }

    /// A FETCH of every message (or every one selected) queued now, behind EXAMINE, and read as
    /// it streams in.
    fn stream<T>(mut self, query: String, extract: Extract<T>) -> Result<Fetcher<'s, T>, Error> {
        let set = match &self.selection {
            None => "1:*".to_string(),
            Some(uids) if uids.is_empty() => {
                let plan = Plan::Batches {
                    listed: Vec::new(),
                    next: 0,
                    limits: Limits::MESSAGES,
                };
                return Ok(self.fetcher(plan, None, 0, query, extract));
            }
            Some(uids) => batch::sequence_set(uids),
        };
        let tag = self
            .session
            .wire
            .send("UID FETCH", &[Arg::Atom(&set), Arg::Atom(&query)])?;
        self.open()?;
        let total = match &self.selection {
            Some(uids) => uids.len() as u64,
            None => u64::from(self.exists),
        };
        Ok(self.fetcher(Plan::Stream, Some(tag), total, query, extract))
    }

    fn fetcher<T>(
        self,
        plan: Plan,
        current: Option<Tag>,
        total: u64,
        query: String,
        extract: Extract<T>,
    ) -> Fetcher<'s, T> {
        Fetcher {
            session: self.session,
            folder: self.name,
            plan,
            total,
            query,
            extract,
            current: current.map(Current::Batch),
            piecewise: None,
            done: 0,
            last_uid: None,
            failed: false,
        }
    }

    /// The exact bytes of message `uid`: one FETCH, sent with EXAMINE.
    pub fn fetch(&mut self, uid: u32) -> Result<RawMail, Error> {
        let tag = self.session.wire.send(
            "UID FETCH",
            &[Arg::Atom(&uid.to_string()), Arg::Atom(RAW_QUERY)],
        )?;
        self.open()?;
        let mut found = None;
        loop {
            match self.session.step(tag)? {
                Step::Data(frame) => {
                    if found.is_some() {
                        continue;
                    }
                    if let Some(f) = fetch::parse(frame).filter(|f| f.uid == Some(uid)) {
                        let frame = self.session.wire.take_handed();
                        found = piece(frame, &f, None).map(|p| p.mail);
                    }
                }
                Step::Done(Completion::Ok, _) => break,
                Step::Done(status, text) => {
                    let status = status.refusal().unwrap_or(response::Status::Bad);
                    return Err(self.session.refused(status, text));
                }
            }
        }
        found.ok_or_else(|| Error::NoMessage {
            folder: self.name.clone(),
            uid,
        })
    }
}

/// The bytes of `frame` at `range`, cut out in place.
fn cut(mut frame: Vec<u8>, range: std::ops::Range<usize>) -> Vec<u8> {
    frame.truncate(range.end);
    frame.drain(..range.start);
    frame
}

/// Makes an item of one FETCH response (the whole response, and what it says); the offset is
/// that of a piece of a large message, `None` for a whole one.
type Extract<T> = fn(Vec<u8>, &Fetched, Option<(u64, bool)>) -> Option<T>;

/// Everything a backup needs; BODY.PEEK[] leaves \Seen alone where RFC822 would set it.
const RAW_QUERY: &str = "(UID RFC822.SIZE FLAGS INTERNALDATE BODY.PEEK[])";

/// A whole message (`part` `None`), or the piece at `offset` of a large one.
fn piece(frame: Vec<u8>, f: &Fetched, part: Option<(u64, bool)>) -> Option<Piece> {
    let uid = f.uid?;
    let raw = match (&f.body, part) {
        (Some(body), _) => cut(frame, body.clone()),
        // A piece past the end may come back as NIL.
        (None, Some(_)) => Vec::new(),
        (None, None) => return None,
    };
    let (offset, last) = part.unwrap_or((0, true));
    Some(Piece {
        mail: RawMail {
            uid,
            size: u64::from(f.size.unwrap_or(0)),
            flags: f.flags.clone(),
            internal_date: f.internal_date,
            raw,
        },
        offset,
        last,
    })
}

/// What a [`Fetcher`] asks for.
enum Plan {
    /// One FETCH, already sent, that covers everything.
    Stream,
    /// UID and size of each message to fetch, in UID order, asked for a batch at a time.
    Batches {
        listed: Vec<(u32, u64)>,
        /// Index in `listed` of the first message not yet asked for.
        next: usize,
        limits: Limits,
    },
}

/// The FETCH being read.
enum Current {
    Batch(Tag),
    /// A piece of message `uid` at `offset`; `seen` once its response came.
    Piece {
        tag: Tag,
        uid: u32,
        offset: u64,
        seen: bool,
    },
}

/// A lazy iterator over a folder's messages, read as the server's answer streams in: memory
/// holds one response at a time whatever the folder holds. Planned in batches, one larger than
/// a batch comes in pieces of `limits.bytes`, one FETCH each.
///
/// After an error, which says how far it got, it ends.
pub struct Fetcher<'s, T> {
    session: &'s mut Session,
    folder: String,
    plan: Plan,
    total: u64,
    query: String,
    extract: Extract<T>,
    current: Option<Current>,
    /// The UID of a message that comes in pieces, and the offset of its next piece.
    piecewise: Option<(u32, u64)>,
    done: u64,
    last_uid: Option<u32>,
    failed: bool,
}

impl<T> Fetcher<'_, T> {
    /// How many messages the iteration covers (for a whole folder, how many it held when
    /// opened).
    pub fn total(&self) -> u64 {
        self.total
    }

    /// Whether the next item is already here, so that asking for it will not wait on the
    /// network: the moment to flush what was printed so far.
    pub fn has_buffered(&self) -> bool {
        self.current.is_some() && self.session.wire.has_buffered()
    }

    /// Queues the next FETCH; `false` when everything was asked for.
    fn ask_next(&mut self) -> Result<bool, Error> {
        if let Some((uid, offset)) = self.piecewise.take() {
            let Plan::Batches { limits, .. } = self.plan else {
                unreachable!("only batches come in pieces")
            };
            let query = format!(
                "(UID RFC822.SIZE FLAGS INTERNALDATE BODY.PEEK[]<{offset}.{}>)",
                limits.bytes
            );
            let tag = self.session.wire.send(
                "UID FETCH",
                &[Arg::Atom(&uid.to_string()), Arg::Atom(&query)],
            )?;
            self.current = Some(Current::Piece {
                tag,
                uid,
                offset,
                seen: false,
            });
            return Ok(true);
        }
        let Plan::Batches {
            listed,
            next,
            limits,
        } = &mut self.plan
        else {
            return Ok(false);
        };
        let rest = &listed[*next..];
        let Some(&(first, size)) = rest.first() else {
            return Ok(false);
        };
        if size > limits.bytes {
            *next += 1;
            self.piecewise = Some((first, 0));
            return self.ask_next();
        }
        let n = batch::next_batch_len(rest.iter().map(|&(_, size)| size), *limits);
        let ids: Vec<u32> = rest[..n].iter().map(|&(id, _)| id).collect();
        *next += n;
        let tag = self.session.wire.send(
            "UID FETCH",
            &[
                Arg::Atom(&batch::sequence_set(&ids)),
                Arg::Atom(&self.query),
            ],
        )?;
        self.current = Some(Current::Batch(tag));
        Ok(true)
    }

    /// Reads the next response of the current FETCH: an item, nothing yet, or its end.
    fn read(&mut self) -> Result<Option<T>, Error> {
        let Some(current) = &mut self.current else {
            return Ok(None);
        };
        let tag = match current {
            Current::Batch(tag) | Current::Piece { tag, .. } => *tag,
        };
        let parsed = match self.session.step(tag)? {
            Step::Data(frame) => fetch::parse(frame),
            Step::Done(Completion::Ok, _) => {
                if let Current::Piece {
                    uid,
                    offset,
                    seen: false,
                    ..
                } = *current
                    && offset > 0
                {
                    return Err(Error::Vanished {
                        folder: self.folder.clone(),
                        uid,
                    });
                }
                // A message expunged before its first piece is skipped, as a batch skips it.
                self.current = None;
                return Ok(None);
            }
            Step::Done(status, text) => {
                let status = status.refusal().unwrap_or(response::Status::Bad);
                return Err(self.session.refused(status, text));
            }
        };
        let Some(f) = parsed else {
            return Ok(None);
        };
        match current {
            Current::Batch(_) => {
                let frame = self.session.wire.take_handed();
                let item = (self.extract)(frame, &f, None);
                if item.is_some() {
                    self.done += 1;
                    self.last_uid = f.uid;
                }
                Ok(item)
            }
            Current::Piece {
                uid, offset, seen, ..
            } => {
                if f.uid != Some(*uid) || *seen {
                    return Ok(None);
                }
                *seen = true;
                let (uid, offset) = (*uid, *offset);
                let Plan::Batches { limits, .. } = self.plan else {
                    unreachable!("only batches come in pieces")
                };
                let got = f.body.as_ref().map_or(0, |b| b.len()) as u64;
                let last = got < limits.bytes;
                self.piecewise = (!last).then_some((uid, offset + got));
                if last {
                    self.done += 1;
                    self.last_uid = Some(uid);
                }
                let frame = self.session.wire.take_handed();
                Ok((self.extract)(frame, &f, Some((offset, last))))
            }
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
            if self.current.is_none() {
                match self.ask_next() {
                    Ok(true) => {}
                    Ok(false) => return None,
                    Err(cause) => return self.fail(cause),
                }
            }
            match self.read() {
                Ok(Some(item)) => return Some(Ok(item)),
                Ok(None) => {}
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
