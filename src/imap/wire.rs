//! The bytes between us and the server, driven by hand so that commands can be pipelined (RFC
//! 3501 section 5.5): commands wait in a queue and go out together, in one write, when an answer
//! is first needed; answers are read one response at a time, each whole with its literals, so a
//! FETCH that covers a folder is handled as it streams and memory holds one message at a time.

use std::collections::VecDeque;
use std::io::{self, Read, Write};
use std::net::TcpStream;

use rustls::{ClientConnection, StreamOwned};

use super::auth;
use super::deflate::Deflated;
use super::error::Error;
use super::response::{self, Completion, Reply};

/// A command's tag, `t1`, `t2`, ...
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tag(u32);

/// The encrypted, compressed or plain connection.
#[derive(Debug)]
pub(super) enum Transport {
    Plain(TcpStream),
    Tls(Box<StreamOwned<ClientConnection, TcpStream>>),
    Deflate(Box<Deflated<Transport>>),
    /// Handed over to a layer above it (the moment COMPRESS starts).
    Closed,
}

impl Read for Transport {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Transport::Plain(s) => s.read(buf),
            // A server that stops without TLS's close_notify (killed, or one that just closes)
            // has closed the connection like any other: the protocol's own framing tells a
            // cut answer from a whole one, so a truncation is still caught as such.
            Transport::Tls(s) => match s.read(buf) {
                Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => Ok(0),
                read => read,
            },
            Transport::Deflate(s) => s.read(buf),
            Transport::Closed => Ok(0),
        }
    }
}

impl Write for Transport {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Transport::Plain(s) => s.write(buf),
            Transport::Tls(s) => s.write(buf),
            Transport::Deflate(s) => s.write(buf),
            Transport::Closed => Err(io::ErrorKind::NotConnected.into()),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Transport::Plain(s) => s.flush(),
            Transport::Tls(s) => s.flush(),
            Transport::Deflate(s) => s.flush(),
            Transport::Closed => Err(io::ErrorKind::NotConnected.into()),
        }
    }
}

/// An argument of a command.
#[derive(Debug, Clone, Copy)]
pub enum Arg<'a> {
    /// Sent as it is: a keyword, a number, a sequence set, a parenthesised list.
    Atom(&'a str),
    /// A string: quoted, or a non-synchronising literal (LITERAL+) where quoting cannot carry it.
    Text(&'a [u8]),
}

/// How far a read got in the buffer.
pub(super) struct Wire {
    transport: Transport,
    /// `host:port`, for messages.
    pub server: String,
    /// A buffer whose bytes `start..end` were read and not handed out yet.
    input: Vec<u8>,
    start: usize,
    end: usize,
    /// The length of the response handed out last, consumed at the next read.
    handed: usize,
    /// Commands waiting to be written.
    output: Vec<u8>,
    next_tag: u32,
    /// Tags sent or queued whose tagged answer has not been read, oldest first.
    waiting: VecDeque<Tag>,
    /// Upper case; `None` until the greeting was read, which is the first response but is
    /// waited for only when something depends on it.
    capabilities: Option<Vec<String>>,
    /// The text of an untagged BYE, to say why the connection then closed.
    bye: Option<String>,
    /// An untagged EXISTS was read since [`Wire::take_news`] was last called.
    news: bool,
    /// A SASL exchange under way: its AUTHENTICATE's tag, and what to answer the server's
    /// challenge with (see [`super::auth::Exchange::acknowledge`]).
    sasl: Option<(Tag, &'static str)>,
    /// The text of the server's last challenge in that exchange, decoded.
    challenge: Option<String>,
}

/// What reading for a command found.
pub(super) enum Step<'a> {
    /// An untagged response of that command, CRLF and all.
    Data(&'a [u8]),
    /// Its tagged answer.
    Done(Completion, String),
}

/// The most read at once while no literal says how much is coming.
const CHUNK: usize = 64 * 1024;

impl Wire {
    pub(super) fn new(transport: Transport, server: String) -> Wire {
        Wire {
            transport,
            server,
            input: Vec::new(),
            start: 0,
            end: 0,
            handed: 0,
            output: Vec::new(),
            next_tag: 1,
            waiting: VecDeque::new(),
            capabilities: None,
            bye: None,
            news: false,
            sasl: None,
            challenge: None,
        }
    }

    /// The server's capabilities, read from the greeting if that was not read yet.
    pub(super) fn capabilities(&mut self) -> Result<&[String], Error> {
        if self.capabilities.is_none() {
            self.greet()?;
        }
        Ok(self.capabilities.as_deref().unwrap_or_default())
    }

    /// Whether the server offers `capability` (upper case).
    pub(super) fn has(&mut self, capability: &str) -> Result<bool, Error> {
        Ok(self.capabilities()?.iter().any(|c| c == capability))
    }

    /// The capabilities if they are known without reading (the greeting was read, or STARTTLS
    /// kept what the server said before it).
    pub(super) fn known_capabilities(&self) -> Option<&[String]> {
        self.capabilities.as_deref()
    }

    /// What the server said it offers since the greeting (LOGIN's answer names them again).
    pub(super) fn set_capabilities(&mut self, capabilities: Vec<String>) {
        self.capabilities = Some(capabilities);
    }

    /// Reads the greeting, before any other response and without sending what is queued.
    fn greet(&mut self) -> Result<(), Error> {
        let len = loop {
            match response::frame_len(&self.input[self.start..self.end]) {
                Ok(len) => break len,
                Err(needed) => self.fill(needed).map_err(|e| match e {
                    Error::Io { server, source } => Error::Connect { server, source },
                    Error::Lost { server } => Error::Greeting {
                        server,
                        reason: "it closed the connection without a word".to_string(),
                    },
                    e => e,
                })?,
            }
        };
        let greeting = &self.input[self.start..self.start + len];
        self.start += len;
        if greeting.starts_with(b"* OK") || greeting.starts_with(b"* PREAUTH") {
            self.capabilities = Some(response::capabilities(greeting).unwrap_or_default());
            return Ok(());
        }
        let text = String::from_utf8_lossy(greeting);
        let reason = match text.strip_prefix("* BYE") {
            Some(why) => format!("it refused the connection:{}", why.trim_end()),
            None => format!("it said {:?}", text.trim_end()),
        };
        Err(Error::Greeting {
            server: self.server.clone(),
            reason,
        })
    }

    /// Queues a command; it goes out with the next [`Wire::flush`], which any read does first.
    pub(super) fn send(&mut self, verb: &str, args: &[Arg<'_>]) -> Result<Tag, Error> {
        // Whether UTF-8 text may go as a literal depends on the greeting.
        if args
            .iter()
            .any(|a| matches!(a, Arg::Text(t) if !t.is_ascii()))
        {
            self.capabilities()?;
        }
        let tag = Tag(self.next_tag);
        self.next_tag += 1;
        self.output
            .extend_from_slice(format!("t{} {verb}", tag.0).as_bytes());
        for arg in args {
            self.output.push(b' ');
            match arg {
                Arg::Atom(atom) => self.output.extend_from_slice(atom.as_bytes()),
                Arg::Text(text) => self.text(text),
            }
        }
        self.output.extend_from_slice(b"\r\n");
        self.waiting.push_back(tag);
        Ok(tag)
    }

    /// A string argument: quoted when that can carry it, else a literal. Callers keep CR, LF
    /// and NUL out (no IMAP string carries them but a binary literal).
    fn text(&mut self, text: &[u8]) {
        let literal_plus = self
            .capabilities
            .as_ref()
            .is_some_and(|c| c.iter().any(|c| c == "LITERAL+"));
        if literal_plus && !text.is_ascii() {
            self.output
                .extend_from_slice(format!("{{{}+}}\r\n", text.len()).as_bytes());
            self.output.extend_from_slice(text);
        } else {
            // Servers without LITERAL+ take UTF-8 in a quoted string as readily.
            self.output
                .extend_from_slice(response::quote(text).as_bytes());
        }
    }

    /// Whether `tag` still waits for its tagged answer.
    pub(super) fn waiting_for(&self, tag: Tag) -> bool {
        self.waiting.contains(&tag)
    }

    /// Whether the server announced a message count since the last call.
    pub(super) fn take_news(&mut self) -> bool {
        std::mem::take(&mut self.news)
    }

    /// Queues a line that is not a command (IDLE's DONE).
    pub(super) fn send_line(&mut self, line: &str) {
        self.output.extend_from_slice(line.as_bytes());
        self.output.extend_from_slice(b"\r\n");
    }

    /// Writes every queued command at once.
    pub(super) fn flush(&mut self) -> Result<(), Error> {
        if self.output.is_empty() {
            return Ok(());
        }
        let output = std::mem::take(&mut self.output);
        self.transport
            .write_all(&output)
            .and_then(|()| self.transport.flush())
            .map_err(|e| self.io_error(e))
    }

    /// Reads the next response to the oldest command still waiting, which must be `tag`; the
    /// answers of older commands (a listing stopped part-way) are read and dropped first.
    pub(super) fn step(&mut self, tag: Tag) -> Result<Step<'_>, Error> {
        loop {
            let &oldest = self.waiting.front().ok_or_else(|| Error::Protocol {
                server: self.server.clone(),
                reason: "a response was awaited for no command".to_string(),
            })?;
            let (len, reply) = self.read_response()?;
            match reply {
                ReplyKind::Untagged if oldest == tag => {
                    let start = self.start;
                    self.handed = len;
                    return Ok(Step::Data(&self.input[start..start + len]));
                }
                ReplyKind::Continue(text) => {
                    self.handed = len;
                    self.challenged(oldest, text);
                }
                ReplyKind::Untagged => self.handed = len,
                ReplyKind::Done(done_tag, status, text) => {
                    self.handed = len;
                    if oldest.0 != done_tag {
                        return Err(Error::Protocol {
                            server: self.server.clone(),
                            reason: format!(
                                "an answer to t{done_tag} came before one to t{}",
                                oldest.0
                            ),
                        });
                    }
                    self.waiting.pop_front();
                    if oldest == tag {
                        return Ok(Step::Done(status, text));
                    }
                }
            }
        }
    }

    /// From now until `tag`'s answer, a challenge (`+ ...`) to it is answered with `reply`
    /// and its text kept for [`Wire::take_challenge`].
    pub(super) fn answer_challenges(&mut self, tag: Tag, reply: &'static str) {
        self.sasl = Some((tag, reply));
        self.challenge = None;
    }

    /// The text of the challenge to the SASL exchange, if the server sent one: on a failure,
    /// its JSON error.
    pub(super) fn take_challenge(&mut self) -> Option<String> {
        self.challenge.take()
    }

    /// A continuation request while `oldest` is waiting: answered as [`Wire::answer_challenges`]
    /// said; any other command is not waiting for one, so a request for it is ignored.
    fn challenged(&mut self, oldest: Tag, text: Vec<u8>) {
        if let Some((tag, reply)) = self.sasl
            && tag == oldest
        {
            self.challenge = Some(auth::challenge_text(&text));
            self.send_line(reply);
        }
    }

    /// Sends what is queued and reads up to the server's continuation request for `tag`:
    /// `None` then, else the tagged answer that came instead.
    pub(super) fn continuation(&mut self, tag: Tag) -> Result<Option<(Completion, String)>, Error> {
        loop {
            let (len, reply) = self.read_response()?;
            self.handed = len;
            match reply {
                ReplyKind::Continue(_) => return Ok(None),
                ReplyKind::Untagged => {}
                ReplyKind::Done(done, status, text) => {
                    if self.waiting.front() == Some(&Tag(done)) {
                        self.waiting.pop_front();
                    }
                    if done == tag.0 {
                        return Ok(Some((status, text)));
                    }
                }
            }
        }
    }

    /// The response [`Wire::step`] handed out last, taken out of the buffer: a large one (a
    /// whole message) is moved, not copied.
    pub(super) fn take_handed(&mut self) -> Vec<u8> {
        let (start, len) = (self.start, self.handed);
        self.handed = 0;
        self.start += len;
        if len < CHUNK || 2 * len < self.end - start {
            return self.input[start..start + len].to_vec();
        }
        // Most of the buffer: the buffer becomes the response, and what follows moves.
        let rest = self.input[start + len..self.end].to_vec();
        (self.start, self.end) = (0, rest.len());
        let mut frame = std::mem::replace(&mut self.input, rest);
        frame.truncate(start + len);
        frame.drain(..start);
        frame
    }

    /// Whether a whole response waits in the buffer, so that the next step will not wait on
    /// the network.
    pub(super) fn has_buffered(&self) -> bool {
        response::frame_len(&self.input[self.start + self.handed..self.end]).is_ok()
    }

    /// Reads one whole response, leaving it at `self.start`: its length and what it is.
    fn read_response(&mut self) -> Result<(usize, ReplyKind), Error> {
        self.flush()?;
        self.start += std::mem::take(&mut self.handed);
        if self.capabilities.is_none() {
            self.greet()?;
        }
        loop {
            match response::frame_len(&self.input[self.start..self.end]) {
                Ok(len) => {
                    let frame = &self.input[self.start..self.start + len];
                    let kind = match response::reply(frame) {
                        Reply::Untagged(line) => {
                            if let Some(text) = response::bye(line) {
                                self.bye = Some(text);
                            }
                            self.news |= response::exists(line).is_some();
                            ReplyKind::Untagged
                        }
                        Reply::Continue(text) => ReplyKind::Continue(text.to_vec()),
                        Reply::Done { tag, status, text } => {
                            let tag = std::str::from_utf8(tag)
                                .ok()
                                .and_then(|t| t.strip_prefix('t'))
                                .and_then(|n| n.parse().ok());
                            match tag {
                                Some(tag) => ReplyKind::Done(tag, status, text),
                                None => return Err(self.garbage(frame)),
                            }
                        }
                        Reply::Garbage => return Err(self.garbage(frame)),
                    };
                    return Ok((len, kind));
                }
                Err(needed) => self.fill(needed)?,
            }
        }
    }

    /// Reads until the buffer holds at least `needed` bytes from `start` (a literal's length
    /// is known up front, so a large message is read straight into a buffer of its size).
    fn fill(&mut self, needed: usize) -> Result<(), Error> {
        if self.start > 0 && (self.start == self.end || self.start >= CHUNK) {
            self.input.copy_within(self.start..self.end, 0);
            (self.start, self.end) = (0, self.end - self.start);
        }
        // Room for what is needed, and a chunk more while it is small; zeroed once, kept.
        let room = self.start + needed.max(self.end - self.start + CHUNK);
        if self.input.len() < room {
            self.input.resize(room, 0);
        }
        while self.end - self.start < needed {
            let got = match self.transport.read(&mut self.input[self.end..]) {
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(self.io_error(e)),
            };
            if got == 0 {
                return Err(match self.bye.take() {
                    Some(text) => Error::Refused {
                        server: self.server.clone(),
                        status: response::Status::Bye,
                        text,
                    },
                    None => Error::Lost {
                        server: self.server.clone(),
                    },
                });
            }
            self.end += got;
        }
        Ok(())
    }

    fn garbage(&self, frame: &[u8]) -> Error {
        Error::Protocol {
            server: self.server.clone(),
            reason: format!(
                "a line that is no response: {:?}",
                String::from_utf8_lossy(&frame[..frame.len().min(80)])
            ),
        }
    }

    fn io_error(&self, source: io::Error) -> Error {
        Error::Io {
            server: self.server.clone(),
            source,
        }
    }

    /// The connection, for STARTTLS.
    pub(super) fn take_transport(&mut self) -> Result<Transport, Error> {
        self.check_switch()?;
        Ok(std::mem::replace(&mut self.transport, Transport::Closed))
    }

    /// Compresses from here on, both ways (after COMPRESS's OK).
    pub(super) fn deflate(&mut self) -> Result<(), Error> {
        let plain = self.take_transport()?;
        self.transport = Transport::Deflate(Box::new(Deflated::new(plain)));
        Ok(())
    }

    /// Whether the connection is compressed.
    pub(super) fn compressed(&self) -> bool {
        matches!(self.transport, Transport::Deflate(_))
    }

    /// A switch of layers is refused while anything is still buffered, since it was sent
    /// before the switch.
    fn check_switch(&mut self) -> Result<(), Error> {
        self.start += std::mem::take(&mut self.handed);
        if self.start != self.end || !self.output.is_empty() {
            return Err(Error::Protocol {
                server: self.server.clone(),
                reason: "it sent more than its answer before the encryption or compression \
                         started"
                    .to_string(),
            });
        }
        Ok(())
    }

    /// The same session on a new transport (after STARTTLS): tags go on from where they were.
    pub(super) fn resume(transport: Transport, server: String, before: &Wire) -> Wire {
        Wire {
            next_tag: before.next_tag,
            capabilities: before.capabilities.clone(),
            ..Wire::new(transport, server)
        }
    }
}

enum ReplyKind {
    Untagged,
    Continue(Vec<u8>),
    Done(u32, Completion, String),
}
