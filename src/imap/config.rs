//! Named accounts in `$XDG_CONFIG_HOME/tool/config.toml`, so that a cron line needs only
//! `--account NAME`:
//!
//! ```toml
//! [imap.accounts.work]
//! host = "imap.example.org"
//! user = "me@example.org"
//! password_command = "pass show mail/work"
//! ```

use std::ffi::OsString;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde::de::{DeserializeSeed, Deserializer, Error as _, IgnoredAny, MapAccess, Visitor};

use super::{Auth, Security};

crate::layered! {
/// One account's settings, from an `[imap.accounts.NAME]` table or from the flags after `imap`
/// (which win): one definition for both, so each is documented once, in `--help` and the man
/// page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, clap::Args)]
#[cfg_attr(test, derive(serde::Serialize))]
#[serde(deny_unknown_fields)]
pub struct Account {
    /// The server's host name or address
    #[arg(long, global = true, value_name = "HOST")]
    pub host: Option<String>,

    /// The server's port [default: 993 with tls, 143 otherwise]
    #[arg(long, global = true, value_name = "PORT")]
    pub port: Option<u16>,

    /// The user to log in as
    #[arg(long, global = true, value_name = "USER")]
    pub user: Option<String>,

    /// How the connection is protected [default: tls]
    #[arg(long, global = true, value_name = "MODE")]
    pub security: Option<Security>,

    /// A PEM file with a CA certificate to trust besides the system's (for a private CA)
    // In the file, a relative path is taken from the file's directory.
    #[arg(long, global = true, value_name = "PEM")]
    pub ca_file: Option<PathBuf>,

    /// Run CMD with sh and use the first line it prints as the password
    #[arg(long, global = true, value_name = "CMD")]
    pub password_command: Option<String>,

    /// How to log in: the password, or an OAuth 2.0 access token (from the same sources as
    /// the password, e.g. a token broker as --password-command) [default: password]
    #[arg(long, global = true, value_name = "MECHANISM")]
    pub auth: Option<Auth>,
}
}

/// How the file is laid out, for the tests that write one.
#[cfg(test)]
#[derive(Debug, Default, serde::Serialize)]
struct ConfigFile {
    imap: ImapTable,
}

#[cfg(test)]
#[derive(Debug, Default, serde::Serialize)]
struct ImapTable {
    accounts: std::collections::BTreeMap<String, Account>,
}

/// Reading the file: other subcommands' tables are skipped, the `imap` table is read strictly,
/// and of its accounts only the one asked for is read (strictly: a typo in it is an error), so
/// that a mistake in one account does not break the others.
struct Pick<'a> {
    name: &'a str,
    /// The nesting level this seed reads: the file, the `imap` table, or `accounts`.
    level: Level,
}

#[derive(Clone, Copy)]
enum Level {
    File,
    Imap,
    Accounts,
}

/// The account, if found, and the names of all accounts.
type Picked = (Option<Account>, Vec<String>);

impl<'de> DeserializeSeed<'de> for Pick<'_> {
    type Value = Picked;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Picked, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Pick<'_> {
    type Value = Picked;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a table")
    }

    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Picked, M::Error> {
        let mut picked: Picked = (None, Vec::new());
        while let Some(key) = map.next_key::<String>()? {
            let inner = |level| Pick {
                name: self.name,
                level,
            };
            match self.level {
                Level::File if key == "imap" => picked = map.next_value_seed(inner(Level::Imap))?,
                Level::Imap if key == "accounts" => {
                    picked = map.next_value_seed(inner(Level::Accounts))?;
                }
                Level::Imap => return Err(M::Error::unknown_field(&key, &["accounts"])),
                Level::Accounts if key == self.name => {
                    picked.0 = Some(map.next_value()?);
                    picked.1.push(key);
                }
                Level::File | Level::Accounts => {
                    map.next_value::<IgnoredAny>()?;
                    if matches!(self.level, Level::Accounts) {
                        picked.1.push(key);
                    }
                }
            }
        }
        Ok(picked)
    }
}

#[derive(Debug, PartialEq, Eq)]
pub enum ConfigError {
    Syntax {
        line: usize,
        column: usize,
        message: String,
    },
    NoAccount {
        name: String,
        known: Vec<String>,
    },
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::Syntax {
                line,
                column,
                message,
            } => write!(f, "line {line}, column {column}: {message}; fix the file"),
            ConfigError::NoAccount { name, known } if known.is_empty() => write!(
                f,
                "no account '{name}': the file has no [imap.accounts.{name}] table, nor any \
                 other account"
            ),
            ConfigError::NoAccount { name, known } => write!(
                f,
                "no account '{name}' (it has: {}); add an [imap.accounts.{name}] table or pick \
                 one of those",
                known.join(", ")
            ),
        }
    }
}

impl std::error::Error for ConfigError {}

/// Reads account `name` from the text of a config file that lives in `dir`.
pub fn account(text: &str, name: &str, dir: &Path) -> Result<Account, ConfigError> {
    let syntax = |e: toml::de::Error| {
        let (line, column) = line_and_column(text, e.span().map_or(0, |s| s.start));
        ConfigError::Syntax {
            line,
            column,
            message: e.message().split_whitespace().collect::<Vec<_>>().join(" "),
        }
    };
    let document = toml::Deserializer::parse(text).map_err(syntax)?;
    let pick = Pick {
        name,
        level: Level::File,
    };
    let (account, mut known) = pick.deserialize(document).map_err(syntax)?;
    let mut account = account.ok_or_else(|| {
        known.sort();
        ConfigError::NoAccount {
            name: name.to_string(),
            known,
        }
    })?;
    account.ca_file = account.ca_file.map(|p| dir.join(p));
    Ok(account)
}

/// 1-based line and column (in characters) of byte `offset`.
fn line_and_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..text.floor_char_boundary(offset)];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, column)
}

/// Where the config file is: under `$XDG_CONFIG_HOME`, or `~/.config` when that is unset or not
/// absolute (as the XDG spec says to treat it).
pub fn path(xdg_config_home: Option<OsString>, home: Option<OsString>) -> Option<PathBuf> {
    let base = xdg_config_home
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| home.map(|h| PathBuf::from(h).join(".config")))?;
    Some(base.join("tool").join("config.toml"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const EXAMPLE: &str = r#"
[chords]
theme = "dark"

[imap.accounts.work]
host = "imap.example.org"
port = 1993
user = "me@example.org"
security = "starttls"
ca_file = "certs/work.pem"
password_command = "pass show mail/work"
auth = "xoauth2"

[imap.accounts.home]
host = "localhost"
"#;

    #[test]
    fn reads_an_account_among_other_tables() {
        let work = account(EXAMPLE, "work", Path::new("/etc/x")).unwrap();
        assert_eq!(
            work,
            Account {
                host: Some("imap.example.org".into()),
                port: Some(1993),
                user: Some("me@example.org".into()),
                security: Some(Security::StartTls),
                ca_file: Some("/etc/x/certs/work.pem".into()),
                password_command: Some("pass show mail/work".into()),
                auth: Some(Auth::Xoauth2),
            }
        );
        let home = account(EXAMPLE, "home", Path::new("/")).unwrap();
        assert_eq!(home.host.as_deref(), Some("localhost"));
        assert_eq!(home.port, None);
    }

    #[test]
    fn absolute_ca_files_stay_as_they_are() {
        let text = "[imap.accounts.a]\nca_file = \"/srv/ca.pem\"\n";
        let a = account(text, "a", Path::new("/home/me/.config/tool")).unwrap();
        assert_eq!(a.ca_file.as_deref(), Some(Path::new("/srv/ca.pem")));
    }

    #[test]
    fn mistakes_are_named_with_their_place() {
        let err = account(EXAMPLE, "play", Path::new("/")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "no account 'play' (it has: home, work); add an [imap.accounts.play] table or pick \
             one of those"
        );
        let typo = "[imap.accounts.a]\nhots = \"x\"\n";
        let err = account(typo, "a", Path::new("/")).unwrap_err();
        let ConfigError::Syntax { line, message, .. } = &err else {
            panic!("{err:?}")
        };
        assert_eq!(*line, 2);
        assert!(message.contains("hots"), "{message}");
        let bad = "[imap.accounts.a]\nsecurity = \"ssl\"\n";
        let err = account(bad, "a", Path::new("/")).unwrap_err().to_string();
        assert!(err.starts_with("line 2, column 12: "), "{err}");
        assert!(err.contains("starttls"), "{err}");
        // A mistake in another account does not matter.
        let other = "[imap.accounts.a]\nhost = \"x\"\n[imap.accounts.b]\nhots = 1\n";
        assert_eq!(
            account(other, "a", Path::new("/")).unwrap().host.as_deref(),
            Some("x")
        );
        let singular = "[imap.account.a]\nhost = \"x\"\n";
        assert!(account(singular, "a", Path::new("/")).is_err());
    }

    #[test]
    fn every_account_flag_is_a_config_key_and_back() {
        use clap::Args;
        let flags: Vec<String> = Account::augment_args(clap::Command::new("imap"))
            .get_arguments()
            .filter_map(|a| a.get_long())
            .map(|long| long.replace('-', "_"))
            .collect();
        // serde names the keys it knows when it meets one it does not.
        let err = account("[imap.accounts.a]\nzzz = 1\n", "a", Path::new("/"))
            .unwrap_err()
            .to_string();
        let keys: Vec<&str> = err.split('`').skip(3).step_by(2).collect();
        assert_eq!(flags, keys, "{err}");
    }

    #[test]
    fn the_xdg_rules() {
        let p = |x: Option<&str>, h: Option<&str>| path(x.map(Into::into), h.map(Into::into));
        assert_eq!(
            p(Some("/x"), Some("/h")),
            Some("/x/tool/config.toml".into())
        );
        assert_eq!(
            p(Some("rel"), Some("/h")),
            Some("/h/.config/tool/config.toml".into())
        );
        assert_eq!(
            p(Some(""), Some("/h")),
            Some("/h/.config/tool/config.toml".into())
        );
        assert_eq!(p(None, None), None);
    }

    fn security() -> impl Strategy<Value = Security> {
        prop_oneof![
            Just(Security::Tls),
            Just(Security::StartTls),
            Just(Security::Plain)
        ]
    }

    prop_compose! {
        fn any_account()(
            host in proptest::option::of(any::<String>()),
            port in proptest::option::of(any::<u16>()),
            user in proptest::option::of(any::<String>()),
            security in proptest::option::of(security()),
            ca_file in proptest::option::of("/[^\u{0}]{0,20}"),
            password_command in proptest::option::of(any::<String>()),
            auth in proptest::option::of(prop_oneof![
                Just(Auth::Password), Just(Auth::Xoauth2), Just(Auth::Oauthbearer)
            ]),
        ) -> Account {
            Account { host, port, user, security, ca_file: ca_file.map(PathBuf::from),
                password_command, auth }
        }
    }

    proptest! {
        #[test]
        fn accounts_round_trip(
            accounts in proptest::collection::btree_map("[a-z0-9_.\" -]{1,10}", any_account(), 1..4),
        ) {
            let file = ConfigFile { imap: ImapTable { accounts: accounts.clone() } };
            let text = toml::to_string(&file).unwrap();
            for (name, expected) in &accounts {
                prop_assert_eq!(&account(&text, name, Path::new("/")).unwrap(), expected);
            }
        }

        #[test]
        fn any_text_gives_an_account_or_a_placed_error(text in any::<String>()) {
            match account(&text, "a", Path::new("/")) {
                Ok(_) => {}
                Err(ConfigError::Syntax { line, column, message }) => {
                    prop_assert!(line >= 1 && line <= text.lines().count() + 1);
                    prop_assert!(column >= 1);
                    prop_assert!(!message.contains('\n'));
                }
                Err(ConfigError::NoAccount { .. }) => {}
            }
        }
    }
}
