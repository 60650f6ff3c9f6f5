//! `tool imap`: what "Making imaplib simple" (2009) wanted from Python's imaplib, a folder's
//! messages as parsed mail one at a time, without its one round trip per message.
//!
//! [`connect`] reaches the server (timeouts on every read, TLS through rustls, STARTTLS
//! refused before LOGIN when the server lacks it) and gives a [`Session`], logged in with a
//! password (LOGIN) or an OAuth 2.0 access token ([`Auth`]: SASL XOAUTH2 or OAUTHBEARER, with
//! the initial response so that it travels with the first commands). A session is
//! read-only by construction: folders are opened with EXAMINE and content is fetched with
//! BODY.PEEK. It drives the protocol itself (`wire.rs`) so that commands are pipelined: LOGIN,
//! EXAMINE and a FETCH covering the folder go out in one write, and the answer is read one
//! response at a time as it streams in. [`Folder::messages`] and [`Folder::headers`] iterate a
//! folder that way (each message parsed on demand by mail-parser, borrowing its bytes), so
//! memory holds one message whatever the folder holds; [`Folder::pieces`] fetches in batches
//! bounded by a byte budget, a message larger than a batch in partial FETCHes handed over one
//! at a time for writing out.
//!
//! ```no_run
//! use tool::imap::{Security, Server, connect};
//!
//! let server = Server {
//!     host: "imap.example.org".into(),
//!     port: 993,
//!     security: Security::Tls,
//!     ca_file: None,
//! };
//! let mut session = connect(&server)?.login("me", "secret")?;
//! for mail in session.examine("INBOX")?.messages()? {
//!     let mail = mail?;
//!     println!("{:?}", mail.message().subject());
//! }
//! # Ok::<(), tool::imap::Error>(())
//! ```

mod address;
mod auth;
mod batch;
mod connect;
mod date;
mod deflate;
mod error;
mod fetch;
mod folder_name;
mod header;
mod idle;
mod response;
mod search;
mod session;
mod wire;

pub mod command;
pub mod config;
pub mod export;
pub mod mail;
pub mod mbox;
pub mod mime;
pub mod watch;

pub use auth::Auth;
pub use batch::Limits;
pub use connect::{CONNECT_TIMEOUT, Connection, IO_TIMEOUT, Security, Server, connect};
pub use error::Error;
pub use idle::IDLE_RENEW;
pub use response::Status;
pub use search::{Criteria, Date, parse_size, parse_text};
pub use session::{
    Compression, Fetcher, Folder, FolderEntry, HeaderFields, Messages, Piece, RawMail, Session,
};
