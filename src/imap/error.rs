use std::fmt;
use std::io;
use std::path::PathBuf;

use super::connect::{CONNECT_TIMEOUT, IO_TIMEOUT};
use super::response::Status;
use crate::output::one_line;

/// Why talking to the server failed. Each message is one line that names the server, folder or
/// file concerned and says what to do.
#[derive(Debug)]
pub enum Error {
    Connect {
        server: String,
        source: io::Error,
    },
    CaFile {
        path: PathBuf,
        reason: String,
    },
    Tls {
        server: String,
        reason: String,
    },
    Greeting {
        server: String,
        reason: String,
    },
    /// `--security starttls`, and the server does not offer it: nothing was sent.
    NoStartTls {
        server: String,
    },
    Login {
        server: String,
        user: String,
        reason: String,
    },
    /// An access token refused (AUTHENTICATE said NO or BAD).
    Token {
        server: String,
        user: String,
        mechanism: &'static str,
        /// Why, in the server's words: its error (a JSON object, RFC 7628 section 3.2.2) when
        /// it sent one in a challenge, else its final answer's text. The error says why; the
        /// final answer only answers the line that followed the token (the next command, when
        /// they went together).
        said: String,
        /// The SASL mechanisms the server offers, when this one is not among them.
        offered: Vec<String>,
    },
    NoFolder {
        server: String,
        folder: String,
        reason: String,
    },
    /// The name exists but only holds other folders (\Noselect).
    NotSelectable {
        server: String,
        folder: String,
    },
    NoMessage {
        folder: String,
        uid: u32,
    },
    /// A message deleted on the server while it was being fetched in pieces.
    Vanished {
        folder: String,
        uid: u32,
    },
    /// An iteration stopped part-way; `cause` says why.
    Interrupted {
        folder: String,
        done: u64,
        total: u64,
        last_uid: Option<u32>,
        cause: Box<Error>,
    },
    /// The server said NO, BAD or BYE; `text` is its own words.
    Refused {
        server: String,
        status: Status,
        text: String,
    },
    /// The connection failed while a command was under way.
    Io {
        server: String,
        source: io::Error,
    },
    /// The server closed the connection.
    Lost {
        server: String,
    },
    /// The server said something that is not IMAP, or not in its place.
    Protocol {
        server: String,
        reason: String,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Connect { server, source } if is_timeout(source) => write!(
                f,
                "no answer from {server} within {} s; check --host and --port, and that a \
                 firewall lets you through",
                CONNECT_TIMEOUT.as_secs()
            ),
            Error::Connect { server, source } => write!(
                f,
                "cannot connect to {server}: {}; check --host and --port (the default port is \
                 993 for --security tls, 143 otherwise)",
                one_line(&source.to_string())
            ),
            Error::CaFile { path, reason } => write!(
                f,
                "CA file {}: {}; give a PEM file holding the CA certificate",
                path.display(),
                one_line(reason)
            ),
            Error::Tls { server, reason } => write!(
                f,
                "TLS with {server} failed: {}; if its certificate comes from a private CA, pass \
                 that CA with --ca-file, and check that --port is a TLS port (--security \
                 starttls for 143)",
                one_line(reason)
            ),
            Error::Greeting { server, reason } => write!(
                f,
                "{server} did not greet as an IMAP server ({}); check --port and --security \
                 (993 is TLS, 143 plain or STARTTLS)",
                one_line(reason)
            ),
            Error::NoStartTls { server } => write!(
                f,
                "{server} does not offer STARTTLS, so nothing was sent, not even the user name; \
                 use --security tls if it has a TLS port, or --security plain to send the \
                 password in clear"
            ),
            Error::Login {
                server,
                user,
                reason,
            } => write!(
                f,
                "{server} refused the login of '{}': {}; check the user and the password \
                 (TOOL_IMAP_PASSWORD, --password-command or the account's password_command)",
                one_line(user),
                one_line(reason)
            ),
            Error::Token {
                server,
                user,
                mechanism,
                said,
                offered,
            } => {
                write!(
                    f,
                    "{server} refused the {mechanism} access token of '{}': {}",
                    one_line(user),
                    one_line(said)
                )?;
                if offered.is_empty() {
                    write!(
                        f,
                        "; get a fresh token (it may have expired) from --password-command, the \
                         account's password_command or TOOL_IMAP_PASSWORD"
                    )
                } else {
                    write!(
                        f,
                        "; it offers {}: pick --auth to match",
                        one_line(&offered.join(" "))
                    )
                }
            }
            Error::NoFolder {
                server,
                folder,
                reason,
            } => write!(
                f,
                "{server} has no folder '{}' ({}); list them with 'tool imap folders'",
                one_line(folder),
                one_line(reason)
            ),
            Error::NotSelectable { server, folder } => write!(
                f,
                "'{}' on {server} only holds other folders and has no messages of its own \
                 (\\Noselect); name one of its subfolders, see 'tool imap folders'",
                one_line(folder)
            ),
            Error::NoMessage { folder, uid } => write!(
                f,
                "'{}' has no message with UID {uid}; list them with 'tool imap subjects {} \
                 --json'",
                one_line(folder),
                one_line(folder)
            ),
            Error::Vanished { folder, uid } => write!(
                f,
                "the message with UID {uid} was deleted from '{}' while it was being fetched",
                one_line(folder)
            ),
            Error::Interrupted {
                folder,
                done,
                total,
                last_uid,
                cause,
            } => {
                write!(
                    f,
                    "stopped after {done} of {total} messages of '{}'",
                    one_line(folder)
                )?;
                if let Some(uid) = last_uid {
                    write!(f, " (the last had UID {uid})")?;
                }
                write!(f, ": {cause}")
            }
            Error::Refused {
                server,
                status,
                text,
            } => {
                let what = match status {
                    Status::Bye => "the server ended the session",
                    Status::No => "the server refused",
                    Status::Bad => "the server rejected a command",
                };
                write!(f, "{server}: {what}: {}", one_line(text))
            }
            Error::Lost { server } => write!(f, "{server}: the server closed the connection"),
            Error::Io { server, source } if is_timeout(source) => write!(
                f,
                "{server}: no answer within {} s; the server or the network is stuck",
                IO_TIMEOUT.as_secs()
            ),
            Error::Io { server, source } => {
                write!(f, "{server}: {}", one_line(&source.to_string()))
            }
            Error::Protocol { server, reason } => write!(
                f,
                "{server}: unexpected answer from the server: {}",
                one_line(reason)
            ),
        }
    }
}

impl std::error::Error for Error {}

pub(super) fn is_timeout(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
    )
}
