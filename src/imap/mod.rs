//! `tool imap`: what "Making imaplib simple" (2009) wanted from Python's imaplib, a folder's
//! messages as parsed mail one at a time, without its one round trip per message.
//!
//! [`connect`] reaches the server (timeouts on every read, TLS through native-tls, STARTTLS
//! refused before LOGIN when the server lacks it) and gives a [`Session`]. A session is
//! read-only by construction: folders are opened with EXAMINE and content is fetched with
//! BODY.PEEK. [`Folder::messages`] iterates a folder's messages (each parsed on demand by
//! mail-parser, borrowing its bytes), fetched by UID in batches bounded by a byte budget, so
//! memory stays bounded whatever the folder holds; a message larger than a batch comes in
//! partial FETCHes, which [`Folder::pieces`] hands over one at a time for writing out.
//! [`Folder::headers`] serves listings with a few header fields, many messages a FETCH.
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
mod batch;
mod connect;
mod date;
mod error;
mod folder_name;
mod header;
mod idle;
mod response;
mod session;

pub mod command;
pub mod config;
pub mod export;
pub mod mail;
pub mod mbox;
pub mod mime;
pub mod watch;

pub use batch::Limits;
pub use connect::{CONNECT_TIMEOUT, Connection, IO_TIMEOUT, Security, Server, connect};
pub use error::Error;
pub use idle::IDLE_RENEW;
pub use response::Status;
pub use session::{Fetcher, Folder, FolderEntry, HeaderFields, Messages, Piece, RawMail, Session};
