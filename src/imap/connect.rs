//! Reaching the server: our own TcpStream (so that timeouts cover every command), TLS through
//! rustls with the system's trust anchors, STARTTLS checked before anything else is sent. The greeting's capabilities are
//! kept, so that nobody asks for what the server already said.

use std::io;
use std::net::{TcpStream, ToSocketAddrs};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};
use rustls::{ClientConfig, ClientConnection, RootCertStore, StreamOwned};
use serde::Deserialize;

use super::auth::{Auth, Exchange};
use super::error::Error;
use super::response::{self, Completion};
use super::session::{Compression, Session};
use super::wire::{Step, Transport, Wire};

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

/// A connection that is ready for LOGIN: greeted, and encrypted unless `plain` was asked for.
pub struct Connection {
    wire: Wire,
    /// For OAUTHBEARER, which names them.
    host: String,
    port: u16,
    /// A second handle on the socket, which the session keeps (see [`Session::socket`]).
    socket: TcpStream,
    loopback: bool,
    compression: Compression,
}

/// Connects, reads the greeting and sets up TLS as `server.security` says.
pub fn connect(server: &Server) -> Result<Connection, Error> {
    let address = server.address();
    let tls = match server.security {
        Security::Plain => None,
        Security::Tls | Security::StartTls => Some(tls_connector(server)?),
    };
    let tcp = tcp_connect(server, &address)?;
    let loopback = tcp.peer_addr().is_ok_and(|a| a.ip().is_loopback());
    // A second handle on the socket, for the timeouts once the stream is wrapped.
    let socket = tcp.try_clone().map_err(|source| Error::Connect {
        server: address.clone(),
        source,
    })?;
    // The greeting is read when something depends on it: LOGIN and what follows go out without
    // waiting for it (after the TLS handshake, with its last flight).
    let wire = match (server.security, tls) {
        (Security::Tls, Some(tls)) => {
            Wire::new(tls_handshake(&tls, server, tcp, &address)?, address.clone())
        }
        (Security::StartTls, Some(tls)) => {
            let mut wire = Wire::new(Transport::Plain(tcp), address.clone());
            if wire.capabilities()?.is_empty() {
                let capabilities = ask_capabilities(&mut wire)?;
                wire.set_capabilities(capabilities);
            }
            if !wire.has("STARTTLS")? {
                return Err(Error::NoStartTls { server: address });
            }
            let tag = wire.send("STARTTLS", &[])?;
            match wire.step(tag)? {
                Step::Done(Completion::Ok, _) => {}
                Step::Done(_, text) => {
                    return Err(Error::Tls {
                        server: address,
                        reason: format!("the server refused STARTTLS: {text}"),
                    });
                }
                Step::Data(_) => unreachable!("step returns only the tagged answer here"),
            }
            let mut before = wire;
            // What the server said before TLS is kept only as a hint for what goes with LOGIN
            // (LITERAL+, LIST-STATUS), which a forger could only make fail; LOGIN's answer
            // names them again, and that replaces it. Asking again would cost a round trip.
            let mut capabilities = before.capabilities()?.to_vec();
            capabilities.retain(|c| c != "STARTTLS");
            before.set_capabilities(capabilities);
            let Transport::Plain(tcp) = before.take_transport()? else {
                unreachable!("STARTTLS starts on a plain connection")
            };
            let transport = tls_handshake(&tls, server, tcp, &address)?;
            Wire::resume(transport, address.clone(), &before)
        }
        _ => Wire::new(Transport::Plain(tcp), address.clone()),
    };
    socket
        .set_read_timeout(Some(IO_TIMEOUT))
        .map_err(|source| Error::Connect {
            server: address.clone(),
            source,
        })?;
    Ok(Connection {
        wire,
        host: server.host.clone(),
        port: server.port,
        socket,
        loopback,
        compression: Compression::Auto,
    })
}

impl Connection {
    /// Whether to compress; [`Compression::Auto`] unless said.
    pub fn compression(self, compression: Compression) -> Connection {
        Connection {
            compression,
            ..self
        }
    }

    /// Logs in with a password. Nothing is sent yet: LOGIN goes out with the first commands
    /// of the session, and a refusal comes back from the first answer that is waited for.
    pub fn login(self, user: &str, password: &str) -> Result<Session, Error> {
        self.authenticate(Auth::Password, user, password)
    }

    /// Logs in as `auth` says, with `secret` the password or the access token; see
    /// [`Connection::login`]. The connection's security is the caller's to check: a token
    /// goes as it is asked to.
    pub fn authenticate(self, auth: Auth, user: &str, secret: &str) -> Result<Session, Error> {
        // SASL's OAuth messages separate their fields with %x01.
        let forbidden: &[char] = match auth {
            Auth::Password => &['\r', '\n', '\0'],
            Auth::Xoauth2 | Auth::Oauthbearer => &['\r', '\n', '\0', '\x01'],
        };
        if [user, secret].iter().any(|s| s.contains(forbidden)) {
            return Err(Error::Login {
                server: self.wire.server.clone(),
                user: user.to_string(),
                reason: format!(
                    "the user name and the {} cannot hold a line break or a control character",
                    auth.secret()
                ),
            });
        }
        let compress = match self.compression {
            Compression::Auto => !self.loopback,
            Compression::Always => true,
            Compression::Never => false,
        };
        let exchange = Exchange::new(auth, user, secret, &self.host, self.port);
        Session::login(self.wire, self.socket, compress, user, secret, exchange)
    }
}

/// CAPABILITY, for a server whose greeting did not say.
fn ask_capabilities(wire: &mut Wire) -> Result<Vec<String>, Error> {
    let tag = wire.send("CAPABILITY", &[])?;
    let mut capabilities = Vec::new();
    loop {
        match wire.step(tag)? {
            Step::Data(frame) => {
                if let Some(found) = response::capabilities(frame) {
                    capabilities = found;
                }
            }
            Step::Done(Completion::Ok, _) => return Ok(capabilities),
            Step::Done(status, text) => {
                return Err(Error::Refused {
                    server: wire.server.clone(),
                    status: status.refusal().unwrap_or(response::Status::Bad),
                    text,
                });
            }
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

/// The TLS settings: the system's trust anchors, and the `--ca-file` ones beside them. Built only
/// for TLS connections, so that nothing else pays for reading the system's certificates.
fn tls_connector(server: &Server) -> Result<Arc<ClientConfig>, Error> {
    let mut roots = RootCertStore::empty();
    // A certificate the store cannot use is skipped, as OpenSSL does with a bad file in
    // /etc/ssl/certs; with none left, the handshake names the untrusted issuer.
    roots.add_parsable_certificates(rustls_native_certs::load_native_certs().certs);
    if let Some(path) = &server.ca_file {
        let ca_error = |reason: String| Error::CaFile {
            path: path.clone(),
            reason,
        };
        let pem = std::fs::read(path).map_err(|e| ca_error(e.to_string()))?;
        let certs = CertificateDer::pem_slice_iter(&pem)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| ca_error(format!("it is not PEM ({e})")))?;
        if certs.is_empty() {
            return Err(ca_error("it holds no PEM certificate".to_string()));
        }
        for cert in certs {
            roots.add(cert).map_err(|e| ca_error(e.to_string()))?;
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::Tls {
            server: server.address(),
            reason: e.to_string(),
        })?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(Arc::new(config))
}

/// The whole handshake, so that a certificate problem is reported here rather than by the first
/// command; in TLS 1.3 the client's last flight leaves with the first commands' bytes.
fn tls_handshake(
    tls: &Arc<ClientConfig>,
    server: &Server,
    mut tcp: TcpStream,
    address: &str,
) -> Result<Transport, Error> {
    let tls_error = |reason: String| Error::Tls {
        server: address.to_string(),
        reason,
    };
    let name = ServerName::try_from(server.host.clone())
        .map_err(|e| tls_error(format!("{:?} is not a host name ({e})", server.host)))?;
    let mut connection =
        ClientConnection::new(Arc::clone(tls), name).map_err(|e| tls_error(e.to_string()))?;
    while connection.is_handshaking() {
        if let Err(e) = connection.complete_io(&mut tcp) {
            return Err(match e.kind() {
                // A blocking socket only gets here when its read timeout ran out.
                io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut => Error::Connect {
                    server: address.to_string(),
                    source: io::Error::from(io::ErrorKind::TimedOut),
                },
                io::ErrorKind::InvalidData => tls_error(e.to_string()),
                _ => Error::Connect {
                    server: address.to_string(),
                    source: e,
                },
            });
        }
    }
    Ok(Transport::Tls(Box::new(StreamOwned::new(connection, tcp))))
}
