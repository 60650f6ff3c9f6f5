//! Everything `tool` prints for people and programs goes through here, in the spirit of
//! ripgrep's `messages.rs`: one colour rule for every subcommand ([`color`]), warnings and
//! errors in one style ([`messages`]), tables measured in display width ([`table`]), JSON lines
//! ([`json`]) and text made safe for one line of a terminal ([`text`]).

pub mod color;
pub mod json;
pub mod messages;
pub mod table;
pub mod text;

pub use color::{ColorChoice, Paint, Stream};
pub use json::write_json_line;
pub use messages::{error, info, warn};
pub use table::table;
pub use text::{one_line, single_line};
