//! An exit status that a command chose after printing all it had to say, as monitoring plugins
//! report their state with it (0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN): `main` exits with it
//! and prints nothing more.

use std::fmt;

#[derive(Debug)]
pub struct Reported(pub u8);

impl fmt::Display for Reported {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "exit status {}", self.0)
    }
}

impl std::error::Error for Reported {}
