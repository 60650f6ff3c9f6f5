//! A logged-in session, read-only by construction: folders are opened with EXAMINE and every
//! fetch of content uses BODY.PEEK, so no command here can change a flag.

use mail_parser::{Message, MessageParser, MessagePart};

use super::batch::{self, Limits};
use super::connect::Stream;
use super::error::Error;
use super::folder_name;

/// The IMAP session type underneath.
type Inner = imap::Session<Stream>;

/// A logged-in connection; see [`super::connect`].
pub struct Session {
    inner: Inner,
    server: String,
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
    pub(super) fn new(inner: Inner, server: String) -> Session {
        Session { inner, server }
    }

    /// Every folder with its message count, in the server's order.
    pub fn folders(&mut self) -> Result<Vec<FolderEntry>, Error> {
        let names = self
            .inner
            .list(Some(""), Some("*"))
            .map_err(|e| Error::protocol(&self.server, e))?;
        let listed: Vec<(String, bool)> = names
            .iter()
            .map(|n| {
                let selectable = !n
                    .attributes()
                    .iter()
                    .any(|a| matches!(a, imap_proto::NameAttribute::NoSelect));
                (n.name().to_string(), selectable)
            })
            .collect();
        drop(names);
        let mut folders = Vec::with_capacity(listed.len());
        for (raw, selectable) in listed {
            let messages = if selectable {
                let status = self
                    .inner
                    .status(&raw, "(MESSAGES)")
                    .map_err(|e| Error::protocol(&self.server, e))?;
                Some(status.exists)
            } else {
                None
            };
            folders.push(FolderEntry {
                name: folder_name::decode(&raw).unwrap_or(raw),
                messages,
            });
        }
        self.discard_unsolicited();
        Ok(folders)
    }

    /// Opens `folder` (a UTF-8 name) read-only.
    pub fn examine(&mut self, folder: &str) -> Result<Folder<'_>, Error> {
        let mailbox = match self.inner.examine(folder_name::encode(folder)) {
            Ok(mailbox) => mailbox,
            Err(imap::Error::No(no)) => {
                return Err(Error::NoFolder {
                    server: self.server.clone(),
                    folder: folder.to_string(),
                    reason: no.information,
                });
            }
            Err(e) => return Err(Error::protocol(&self.server, e)),
        };
        self.discard_unsolicited();
        Ok(Folder {
            session: self,
            name: folder.to_string(),
            uid_validity: mailbox.uid_validity.unwrap_or(0),
            exists: mailbox.exists,
        })
    }

    /// Says goodbye; a server that is already gone does not matter any more.
    pub fn logout(mut self) {
        let _ = self.inner.logout();
    }

    /// Untagged news about other messages is of no use here, and would pile up over a long run.
    fn discard_unsolicited(&mut self) {
        self.inner.take_all_unsolicited().for_each(drop);
    }
}

/// An open (examined) folder.
pub struct Folder<'s> {
    session: &'s mut Session,
    name: String,
    uid_validity: u32,
    exists: u32,
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

/// A parsed message that owns its data.
#[derive(Debug)]
pub struct Mail {
    pub uid: u32,
    pub size: u64,
    pub flags: Vec<String>,
    pub message: Message<'static>,
}

/// A message's header fields, as fetched for listings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderFields {
    pub uid: u32,
    /// The requested fields, folded as they came, with the blank line that ends them.
    pub raw: Vec<u8>,
}

impl RawMail {
    /// Parses the message. mail-parser takes anything; bytes without a single header still make
    /// a message, with the bytes as its text.
    pub fn parse(self) -> Mail {
        let message = MessageParser::default()
            .parse(&self.raw)
            .map(Message::into_owned)
            .unwrap_or_else(|| headerless(self.raw.clone()));
        Mail {
            uid: self.uid,
            size: self.size,
            flags: self.flags,
            message,
        }
    }
}

/// A message with no header at all (mail-parser declines those): one text part, the bytes.
fn headerless(raw: Vec<u8>) -> Message<'static> {
    let text = String::from_utf8_lossy(&raw).into_owned();
    let end = u32::try_from(raw.len()).unwrap_or(u32::MAX);
    Message {
        text_body: vec![0],
        parts: vec![MessagePart {
            body: mail_parser::PartType::Text(text.into()),
            offset_end: end,
            ..MessagePart::default()
        }],
        raw_message: raw.into(),
        ..Message::default()
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
    /// batches within `limits`.
    pub fn raw_messages(
        mut self,
        after: u32,
        limits: Limits,
    ) -> Result<Fetcher<'s, RawMail>, Error> {
        let listed = self.list_sizes(after)?;
        Ok(self.fetcher(listed, true, limits, RAW_QUERY, raw_mail))
    }

    /// Every message, parsed, in UID order, fetched in batches of at most 8 MiB.
    pub fn messages(mut self) -> Result<Fetcher<'s, Mail>, Error> {
        let listed = self.list_sizes(0)?;
        Ok(self.fetcher(listed, true, Limits::MESSAGES, RAW_QUERY, parsed_mail))
    }

    /// UID and RFC822.SIZE of the messages with a UID above `after`: one FETCH, small answers.
    fn list_sizes(&mut self, after: u32) -> Result<Vec<(u32, u64)>, Error> {
        if self.exists == 0 || after == u32::MAX {
            return Ok(Vec::new());
        }
        let sizes = self
            .session
            .inner
            .uid_fetch(format!("{}:*", after + 1), "(UID RFC822.SIZE)")
            .map_err(|e| Error::protocol(&self.session.server, e))?;
        // `N:*` always names the last message, even when its UID is below N.
        let listed = sizes
            .iter()
            .filter_map(|f| {
                let uid = f.uid.filter(|&u| u > after)?;
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
        Ok(self.fetcher(listed, false, Limits::HEADERS, query, header_fields))
    }

    /// The exact bytes of message `uid`.
    pub fn fetch(&mut self, uid: u32) -> Result<RawMail, Error> {
        let fetches = self
            .session
            .inner
            .uid_fetch(uid.to_string(), RAW_QUERY)
            .map_err(|e| Error::protocol(&self.session.server, e))?;
        let found = fetches
            .iter()
            .filter(|f| f.uid == Some(uid))
            .find_map(raw_mail);
        drop(fetches);
        self.session.discard_unsolicited();
        found.ok_or_else(|| Error::NoMessage {
            folder: self.name.clone(),
            uid,
        })
    }

    fn fetcher<T>(
        self,
        listed: Vec<(u32, u64)>,
        by_uid: bool,
        limits: Limits,
        query: impl Into<String>,
        extract: fn(&imap::types::Fetch<'_>) -> Option<T>,
    ) -> Fetcher<'s, T> {
        Fetcher {
            session: self.session,
            folder: self.name,
            listed,
            next: 0,
            limits,
            query: query.into(),
            by_uid,
            extract,
            batch: None,
            done: 0,
            last_uid: None,
            failed: false,
        }
    }
}

/// Everything a backup needs; BODY.PEEK[] leaves \Seen alone where RFC822 would set it.
const RAW_QUERY: &str = "(UID RFC822.SIZE FLAGS INTERNALDATE BODY.PEEK[])";

fn raw_mail(f: &imap::types::Fetch<'_>) -> Option<RawMail> {
    Some(RawMail {
        uid: f.uid?,
        size: u64::from(f.size.unwrap_or(0)),
        flags: f
            .flags()
            .iter()
            .filter(|flag| !matches!(flag, imap::types::Flag::Recent))
            .map(ToString::to_string)
            .collect(),
        internal_date: f.internal_date().map(|d| d.timestamp()),
        raw: f.body()?.to_vec(),
    })
}

fn parsed_mail(f: &imap::types::Fetch<'_>) -> Option<Mail> {
    raw_mail(f).map(RawMail::parse)
}

fn header_fields(f: &imap::types::Fetch<'_>) -> Option<HeaderFields> {
    Some(HeaderFields {
        uid: f.uid?,
        raw: f.header()?.to_vec(),
    })
}

/// A lazy iterator over a folder's messages: it holds one batch at a time, so memory stays
/// bounded by the batch limits (or the largest message) whatever the folder holds.
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
    /// Whether `listed` holds UIDs rather than sequence numbers.
    by_uid: bool,
    extract: fn(&imap::types::Fetch<'_>) -> Option<T>,
    /// The current batch and the index of its next response.
    batch: Option<(imap::types::Fetches, usize)>,
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
        if rest.is_empty() {
            return Ok(false);
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
        .map_err(|e| Error::protocol(&session.server, e))?;
        session.discard_unsolicited();
        self.batch = Some((fetches, 0));
        Ok(true)
    }
}

impl<T> Iterator for Fetcher<'_, T> {
    type Item = Result<T, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        loop {
            if let Some((fetches, index)) = &mut self.batch {
                // Skip responses that are not ours: flag news about other messages, or a
                // message expunged since the listing.
                while let Some(fetch) = fetches.get(*index) {
                    *index += 1;
                    if let Some(item) = (self.extract)(fetch) {
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
                Err(cause) => {
                    self.failed = true;
                    return Some(Err(Error::Interrupted {
                        folder: self.folder.clone(),
                        done: self.done,
                        total: self.total(),
                        last_uid: self.last_uid,
                        cause: Box::new(cause),
                    }));
                }
            }
        }
    }
}
