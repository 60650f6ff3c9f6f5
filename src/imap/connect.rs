//! Reaching the server: our own TcpStream (so that timeouts cover every command), TLS through
//! native-tls, STARTTLS checked before anything else is sent, then LOGIN.

use std::io::{self, Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use native_tls::{Certificate, HandshakeError, TlsConnector, TlsStream};
use serde::Deserialize;

use super::error::Error;
use super::session::Session;

/// How long to wait for a connection, the TLS handshake and the greeting.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(20);
/// How long any later read or write may stall; a big FETCH streams, so this is per read.
pub const IO_TIMEOUT: Duration = Duration::from_secs(60);

/// How the connection is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[cfg_attr(test, derive(serde::Serialize))]
#[serde(rename_all = "lowercase")]
pub enum Security {
    /// TLS from the first byte (port 993).
    Tls,
    /// Plain text upgraded with STARTTLS before logging in; refused if the server lacks it.
    StartTls,
    /// No encryption: the password travels in clear.
    Plain,
}

impl Security {
    pub const ALL: [Security; 3] = [Security::Tls, Security::StartTls, Security::Plain];

    pub fn name(self) -> &'static str {
        match self {
            Security::Tls => "tls",
            Security::StartTls => "starttls",
            Security::Plain => "plain",
        }
    }

    pub fn default_port(self) -> u16 {
        match self {
            Security::Tls => 993,
            Security::StartTls | Security::Plain => 143,
        }
    }
}

/// Where and how to connect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Server {
    pub host: String,
    pub port: u16,
    pub security: Security,
    /// An extra trust anchor, for a server whose certificate comes from a private CA.
    pub ca_file: Option<PathBuf>,
}

impl Server {
    /// `host:port`, with brackets around an IPv6 address, for messages.
    pub fn address(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }
}

/// The byte stream under the IMAP client, which keeps the last line the server sent: the
/// client cannot read a tagged answer whose text is UTF-8, and the session reads it here.
#[derive(Debug)]
pub(super) struct Stream {
    transport: Transport,
    last_line: LastLine,
}

#[derive(Debug)]
enum Transport {
    Plain(TcpStream),
    Tls(Box<TlsStream<TcpStream>>),
}

/// The last complete line read, shared between the stream and its session.
#[derive(Debug, Clone, Default)]
pub(super) struct LastLine(Arc<Mutex<Recorder>>);

#[derive(Debug, Default)]
struct Recorder {
    last: Vec<u8>,
    current: Vec<u8>,
}

/// A status line's text is short; the start of a longer line is all that is kept.
const LINE_KEPT: usize = 8 * 1024;

impl LastLine {
    pub(super) fn get(&self) -> Vec<u8> {
        self.0.lock().map(|r| r.last.clone()).unwrap_or_default()
    }

    fn record(&self, chunk: &[u8]) {
        let Ok(mut r) = self.0.lock() else { return };
        let keep = |into: &mut Vec<u8>, bytes: &[u8]| {
            let room = LINE_KEPT.saturating_sub(into.len());
            into.extend_from_slice(&bytes[..bytes.len().min(room)]);
        };
        let Some(lf) = chunk.iter().rposition(|&b| b == b'\n') else {
            keep(&mut r.current, chunk);
            return;
        };
        let ended = &chunk[..=lf];
        match ended[..lf].iter().rposition(|&b| b == b'\n') {
            Some(previous) => {
                r.last.clear();
                keep(&mut r.last, &ended[previous + 1..]);
            }
            None => {
                keep(&mut r.current, ended);
                r.last = std::mem::take(&mut r.current);
            }
        }
        r.current.clear();
        keep(&mut r.current, &chunk[lf + 1..]);
    }
}

impl Stream {
    fn new(transport: Transport, last_line: &LastLine) -> Stream {
        Stream {
            transport,
            last_line: last_line.clone(),
        }
    }
}

impl Read for Stream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = match &mut self.transport {
            Transport::Plain(s) => s.read(buf),
            Transport::Tls(s) => s.read(buf),
        }?;
        self.last_line.record(&buf[..n]);
        Ok(n)
    }
}

impl Write for Stream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &mut self.transport {
            Transport::Plain(s) => s.write(buf),
            Transport::Tls(s) => s.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.transport {
            Transport::Plain(s) => s.flush(),
            Transport::Tls(s) => s.flush(),
        }
    }
}

/// IDLE waits longer than any other read: the crate sets its own timeout for the wait, and
/// `None` afterwards, which here means back to [`IO_TIMEOUT`].
impl imap::extensions::idle::SetReadTimeout for Stream {
    fn set_read_timeout(&mut self, timeout: Option<Duration>) -> imap::Result<()> {
        let socket = match &self.transport {
            Transport::Plain(s) => s,
            Transport::Tls(s) => s.get_ref(),
        };
        socket
            .set_read_timeout(Some(timeout.unwrap_or(IO_TIMEOUT)))
            .map_err(imap::Error::Io)
    }
}

/// A connection that is ready for LOGIN: greeted, and encrypted unless `plain` was asked for.
pub struct Connection {
    pub(super) client: imap::Client<Stream>,
    pub(super) server: String,
    pub(super) last_line: LastLine,
    /// A second handle on the socket, which the session keeps (see [`Session::socket`]).
    pub(super) socket: TcpStream,
}

/// Connects, reads the greeting and sets up TLS as `server.security` says.
pub fn connect(server: &Server) -> Result<Connection, Error> {
    let address = server.address();
    let tls = match server.security {
        Security::Plain => None,
        Security::Tls | Security::StartTls => Some(tls_connector(server)?),
    };
    let tcp = tcp_connect(server, &address)?;
    let last_line = LastLine::default();
    // A second handle on the socket: the client hides its stream, and the timeouts and the
    // STARTTLS handshake need it.
    let socket = tcp.try_clone().map_err(|source| Error::Connect {
        server: address.clone(),
        source,
    })?;
    let client = match (server.security, tls) {
        (Security::Tls, Some(tls)) => {
            let mut client = imap::Client::new(Stream::new(
                tls_handshake(&tls, server, tcp, &address)?,
                &last_line,
            ));
            read_greeting(&mut client, &address)?;
            client
        }
        (Security::StartTls, Some(tls)) => {
            let mut plain = imap::Client::new(Stream::new(Transport::Plain(tcp), &last_line));
            read_greeting(&mut plain, &address)?;
            let offers = plain
                .capabilities()
                .map_err(|e| Error::protocol(&address, e))?
                .has_str("STARTTLS");
            if !offers {
                return Err(Error::NoStartTls { server: address });
            }
            // The client has no public way to send STARTTLS: hand the socket back and say it
            // ourselves. Nothing is left unread: the server waits for our next command.
            drop(plain);
            let tcp = socket.try_clone().map_err(|source| Error::Connect {
                server: address.clone(),
                source,
            })?;
            start_tls(&tcp, &address)?;
            imap::Client::new(Stream::new(
                tls_handshake(&tls, server, tcp, &address)?,
                &last_line,
            ))
        }
        _ => {
            let mut client = imap::Client::new(Stream::new(Transport::Plain(tcp), &last_line));
            read_greeting(&mut client, &address)?;
            client
        }
    };
    socket
        .set_read_timeout(Some(IO_TIMEOUT))
        .map_err(|source| Error::Connect {
            server: address.clone(),
            source,
        })?;
    Ok(Connection {
        client,
        server: address,
        last_line,
        socket,
    })
}

impl Connection {
    pub fn login(self, user: &str, password: &str) -> Result<Session, Error> {
        let server = self.server;
        match self.client.login(user, password) {
            Ok(session) => Ok(Session::new(session, server, self.last_line, self.socket)),
            Err((imap::Error::No(no), _)) => Err(Error::Login {
                server,
                user: user.to_string(),
                reason: no.information,
            }),
            Err((imap::Error::Validate(v), _)) => Err(Error::Login {
                server,
                user: user.to_string(),
                reason: format!("{v}; the user name and the password cannot hold a line break"),
            }),
            Err((e, _)) => Err(Error::protocol(&server, e)),
        }
    }
}

fn tcp_connect(server: &Server, address: &str) -> Result<TcpStream, Error> {
    let failed = |source| Error::Connect {
        server: address.to_string(),
        source,
    };
    let mut last = io::Error::new(io::ErrorKind::NotFound, "the host name has no address");
    for addr in (server.host.as_str(), server.port)
        .to_socket_addrs()
        .map_err(failed)?
    {
        match TcpStream::connect_timeout(&addr, CONNECT_TIMEOUT) {
            Ok(tcp) => {
                let setup = tcp
                    .set_read_timeout(Some(CONNECT_TIMEOUT))
                    .and_then(|()| tcp.set_write_timeout(Some(IO_TIMEOUT)))
                    // Commands are single small writes: waiting to batch them only adds latency.
                    .and_then(|()| tcp.set_nodelay(true));
                return setup.map(|()| tcp).map_err(failed);
            }
            Err(e) => last = e,
        }
    }
    Err(failed(last))
}

fn tls_connector(server: &Server) -> Result<TlsConnector, Error> {
    let mut builder = TlsConnector::builder();
    if let Some(path) = &server.ca_file {
        let ca_error = |reason: String| Error::CaFile {
            path: path.clone(),
            reason,
        };
        let pem = std::fs::read(path).map_err(|e| ca_error(e.to_string()))?;
        let certs = Certificate::stack_from_pem(&pem).map_err(|e| ca_error(e.to_string()))?;
        if certs.is_empty() {
            return Err(ca_error("it holds no PEM certificate".to_string()));
        }
        for cert in certs {
            builder.add_root_certificate(cert);
        }
    }
    builder.build().map_err(|e| Error::Tls {
        server: server.address(),
        reason: e.to_string(),
    })
}

fn tls_handshake(
    tls: &TlsConnector,
    server: &Server,
    tcp: TcpStream,
    address: &str,
) -> Result<Transport, Error> {
    match tls.connect(&server.host, tcp) {
        Ok(stream) => Ok(Transport::Tls(Box::new(stream))),
        Err(HandshakeError::Failure(e)) => Err(Error::Tls {
            server: address.to_string(),
            reason: e.to_string(),
        }),
        // A blocking socket only gets here when its read timeout ran out.
        Err(HandshakeError::WouldBlock(_)) => Err(Error::Connect {
            server: address.to_string(),
            source: io::Error::from(io::ErrorKind::TimedOut),
        }),
    }
}

/// Sends STARTTLS and reads up to its tagged answer, one byte at a time so that nothing of the
/// TLS handshake that follows is swallowed.
fn start_tls(mut tcp: &TcpStream, address: &str) -> Result<(), Error> {
    const TAG: &str = "tls1";
    let lost = |source| Error::Connect {
        server: address.to_string(),
        source,
    };
    tcp.write_all(format!("{TAG} STARTTLS\r\n").as_bytes())
        .map_err(lost)?;
    loop {
        let mut line = Vec::new();
        let mut byte = [0u8];
        while !line.ends_with(b"\n") {
            if tcp.read(&mut byte).map_err(lost)? == 0 {
                return Err(Error::protocol(address, imap::Error::ConnectionLost));
            }
            line.push(byte[0]);
            if line.len() > 64 * 1024 {
                return Err(Error::Greeting {
                    server: address.to_string(),
                    reason: "it answered STARTTLS with an endless line".to_string(),
                });
            }
        }
        let text = String::from_utf8_lossy(&line);
        if let Some(status) = text.strip_prefix(TAG) {
            if status.trim_start().starts_with("OK") {
                return Ok(());
            }
            return Err(Error::Tls {
                server: address.to_string(),
                reason: format!("the server refused STARTTLS:{}", status.trim_end()),
            });
        }
    }
}

fn read_greeting(client: &mut imap::Client<Stream>, address: &str) -> Result<(), Error> {
    let greeting = client.read_greeting().map_err(|e| match e {
        imap::Error::Io(source) => Error::Connect {
            server: address.to_string(),
            source,
        },
        imap::Error::ConnectionLost => Error::Greeting {
            server: address.to_string(),
            reason: "it closed the connection without a word".to_string(),
        },
        e => Error::protocol(address, e),
    })?;
    if greeting.starts_with(b"* OK") {
        return Ok(());
    }
    let text = String::from_utf8_lossy(&greeting);
    let reason = match text.strip_prefix("* BYE") {
        Some(why) => format!("it refused the connection:{why}"),
        None => format!("it said {:?}", text.trim_end()),
    };
    Err(Error::Greeting {
        server: address.to_string(),
        reason,
    })
}
