//! `tool imap`: the effects around the session (config file, password, stdout, progress).

use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};

use anyhow::{Context, bail};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::cli::{ImapArgs, ImapCommand, ImapConnectionArgs, ImapFilterArgs};
use crate::imap::config::{self, Account};
use crate::imap::export::{self, Change, Export, Source, Target};
use crate::imap::mail::{self, SubjectLine};
use crate::imap::mime;
use crate::imap::{
    Auth, Compression, Criteria, Fetcher, Limits, Messages, Security, Server, Session, connect,
};
use crate::interrupt::{self, Interrupted};
use crate::output::{Paint, Stream, single_line, warn, write_json_line};

mod watch;

/// The environment variable that carries the password.
pub const PASSWORD_VAR: &str = "TOOL_IMAP_PASSWORD";

/// Everything needed to log in, once flags and the account are merged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub server: Server,
    pub user: String,
    pub password_command: Option<String>,
    pub compression: Compression,
    /// How to log in; the "password" is the access token for OAuth.
    pub auth: Auth,
}

pub fn run(args: ImapArgs) -> anyhow::Result<()> {
    let account = match &args.connection.account {
        Some(name) => load_account(name)?,
        None => Account::default(),
    };
    let settings = settings(&args.connection, account)?;
    match args.command {
        ImapCommand::Folders(a) => folders(&settings, a.json),
        ImapCommand::Subjects(a) => subjects(&settings, &a.folder, a.json, &criteria(&a.filter)),
        ImapCommand::Messages(a) => messages(&settings, &a.folder, a.json, &criteria(&a.filter)),
        ImapCommand::Show(a) => show(&settings, &a.folder, a.uid, a.raw),
        ImapCommand::Export(a) => {
            let target = match (a.mbox, a.maildir) {
                (Some(file), _) => Target::Mbox(file),
                (None, Some(dir)) => Target::Maildir(dir),
                (None, None) => bail!("give --mbox FILE or --maildir DIR"),
            };
            export(&settings, &a.folder, target, &criteria(&a.filter))
        }
        ImapCommand::Watch(a) => watch::run(&settings, &a),
    }
}

fn criteria(filter: &ImapFilterArgs) -> Criteria {
    Criteria {
        since: filter.since,
        before: filter.before,
        from: filter.from.clone(),
        to: filter.to.clone(),
        subject: filter.subject.clone(),
        unseen: filter.unseen,
        larger: filter.larger,
        smaller: filter.smaller,
    }
}

/// Flags win over the account; what neither gives takes its default.
pub fn settings(flags: &ImapConnectionArgs, account: Account) -> anyhow::Result<Settings> {
    let explicitly_plain = flags.settings.security == Some(Security::Plain);
    let given = account.overridden_by(flags.settings.clone());
    let security = given.security.unwrap_or(Security::Tls);
    let auth = given.auth.unwrap_or_default();
    // A bearer token in clear is anyone's on the way: the flag, not a config file written for
    // a password, must say so.
    if auth != Auth::Password && security == Security::Plain && !explicitly_plain {
        bail!(
            "refusing to send the access token in clear: the account says security = \"plain\"; \
             give --security plain on the command line to allow it, or use tls or starttls"
        );
    }
    let host = given
        .host
        .context("no server given: pass --host, or --account with a host in its config entry")?;
    let user = given
        .user
        .context("no user given: pass --user, or --account with a user in its config entry")?;
    Ok(Settings {
        server: Server {
            host,
            port: given.port.unwrap_or(security.default_port()),
            security,
            ca_file: given.ca_file,
        },
        user,
        password_command: given.password_command,
        auth,
        compression: match (flags.compress, flags.no_compress) {
            (true, _) => Compression::Always,
            (_, true) => Compression::Never,
            _ => Compression::Auto,
        },
    })
}

fn load_account(name: &str) -> anyhow::Result<Account> {
    let path = config::path(
        std::env::var_os("XDG_CONFIG_HOME"),
        std::env::var_os("HOME"),
    )
    .context("--account needs a config file, but neither XDG_CONFIG_HOME nor HOME is set")?;
    let text = std::fs::read_to_string(&path).with_context(|| {
        format!(
            "--account {name}: cannot read {}: create it with an [imap.accounts.{name}] table",
            path.display()
        )
    })?;
    let dir = path.parent().map(PathBuf::from).unwrap_or_default();
    config::account(&text, name, &dir).with_context(|| path.display().to_string())
}

/// Connects, then asks for the password (so that nobody types one for a server that is not
/// there), then logs in.
fn open_session(settings: &Settings) -> anyhow::Result<Session> {
    open_session_with(settings, || password(settings))
}

/// [`open_session`] with the password from `password`.
fn open_session_with(
    settings: &Settings,
    password: impl FnOnce() -> anyhow::Result<String>,
) -> anyhow::Result<Session> {
    if settings.server.security == Security::Plain {
        warn(&format!(
            "--security plain: the {} travels in clear to {}",
            settings.auth.secret(),
            settings.server.address()
        ));
    }
    let connection = connect(&settings.server)?.compression(settings.compression);
    let secret = password()?;
    Ok(connection.authenticate(settings.auth, &settings.user, &secret)?)
}

/// Whether the password is typed at a prompt, rather than read from the environment or a
/// command (which can be asked again, and may give a fresh one).
fn password_is_typed(settings: &Settings) -> bool {
    std::env::var_os(PASSWORD_VAR).is_none() && settings.password_command.is_none()
}

/// The password: from the environment, else from a command, else typed on the terminal.
fn password(settings: &Settings) -> anyhow::Result<String> {
    if let Some(value) = std::env::var_os(PASSWORD_VAR) {
        return value
            .into_string()
            .map_err(|_| anyhow::anyhow!("{PASSWORD_VAR} is not valid UTF-8; set it again"));
    }
    if let Some(command) = &settings.password_command {
        return password_from_command(command);
    }
    let who = format!("{} on {}", settings.user, settings.server.address());
    let secret = settings.auth.secret();
    if io::stdin().is_terminal() {
        let mut prompt = format!("{secret} for {who}: ");
        prompt[..1].make_ascii_uppercase();
        return rpassword::prompt_password(prompt)
            .with_context(|| format!("cannot read the {secret} for {who} from the terminal"));
    }
    bail!(
        "no {secret} for {who}: set {PASSWORD_VAR}, give --password-command (or \
         password_command in the account), or run on a terminal to be asked"
    )
}

/// Runs `command` with sh; its first line of output is the password. The output is never
/// shown, whatever happens.
fn password_from_command(command: &str) -> anyhow::Result<String> {
    let output = Command::new("sh")
        .arg("-c")
        .arg(command)
        .stdin(Stdio::inherit())
        .stderr(Stdio::inherit())
        .stdout(Stdio::piped())
        .output()
        .context("cannot run the password command with sh")?;
    if !output.status.success() {
        bail!(
            "the password command failed ({}); run it by hand to see why",
            output.status
        );
    }
    let text = String::from_utf8(output.stdout)
        .map_err(|_| anyhow::anyhow!("the password command printed something that is not UTF-8"))?;
    let first = text.lines().next().unwrap_or("");
    if first.is_empty() {
        bail!("the password command printed no password on its first line");
    }
    Ok(first.to_string())
}

fn folders(settings: &Settings, json: bool) -> anyhow::Result<()> {
    let mut session = open_session(settings)?;
    let folders = session.folders()?;
    session.logout();
    let mut out = BufWriter::new(io::stdout().lock());
    for folder in &folders {
        if json {
            write_json_line(&mut out, folder)?;
        } else {
            let count = folder
                .messages
                .map_or_else(|| "-".to_string(), |n| n.to_string());
            writeln!(out, "{count:>8}  {}", single_line(&folder.name))?;
        }
    }
    Ok(out.flush()?)
}

fn subjects(
    settings: &Settings,
    folder: &str,
    json: bool,
    criteria: &Criteria,
) -> anyhow::Result<()> {
    let mut session = open_session(settings)?;
    let fields: &[&str] = if json {
        &mail::LISTING_FIELDS
    } else {
        &["SUBJECT"]
    };
    let headers = session.examine(folder)?.search(criteria)?.headers(fields)?;
    print_each(headers, Fetcher::has_buffered, |out, fields| {
        let line = mail::subject_line(fields.uid, &fields.raw);
        write_line(out, json, &line, |line: &SubjectLine| {
            single_line(line.subject.as_deref().unwrap_or(""))
        })
    })?;
    session.logout();
    Ok(())
}

fn messages(
    settings: &Settings,
    folder: &str,
    json: bool,
    criteria: &Criteria,
) -> anyhow::Result<()> {
    let mut session = open_session(settings)?;
    let messages = session.examine(folder)?.search(criteria)?.messages()?;
    print_each(messages, Messages::has_buffered, |out, mail| {
        let summary = mail::summary(mail.uid, mail.size, &mail.message());
        write_line(out, json, &summary, message_line)
    })?;
    session.logout();
    Ok(())
}

/// A message as `messages` prints it without --json: uid, date, sender, subject.
fn message_line(s: &mail::Summary) -> String {
    let date = s.date.as_deref().map_or("-", |d| &d[..d.len().min(16)]);
    let mut line = format!(
        "{:>6}  {:<16}  {}  {}",
        s.uid,
        date.replace('T', " "),
        s.from.as_deref().unwrap_or("-"),
        s.subject.as_deref().unwrap_or("")
    );
    if !s.attachments.is_empty() {
        line.push_str(&format!("  [{} attached]", s.attachments.len()));
    }
    single_line(&line)
}

/// Prints each item as it arrives; the output is flushed whenever the next item has to wait
/// for the server, so a reader sees each batch at once.
fn print_each<I: Iterator<Item = Result<T, crate::imap::Error>>, T>(
    mut items: I,
    has_buffered: fn(&I) -> bool,
    mut print: impl FnMut(&mut dyn Write, T) -> io::Result<()>,
) -> anyhow::Result<()> {
    let mut out = BufWriter::new(io::stdout().lock());
    loop {
        if !has_buffered(&items) {
            out.flush()?;
        }
        match items.next() {
            Some(Ok(item)) => print(&mut out, item)?,
            Some(Err(e)) => {
                out.flush()?;
                return Err(e.into());
            }
            None => return Ok(out.flush()?),
        }
    }
}

fn write_line<T: serde::Serialize>(
    out: &mut dyn Write,
    json: bool,
    item: &T,
    text: impl Fn(&T) -> String,
) -> io::Result<()> {
    if json {
        write_json_line(out, item)
    } else {
        writeln!(out, "{}", text(item))
    }
}

fn show(settings: &Settings, folder: &str, uid: u32, raw: bool) -> anyhow::Result<()> {
    let mut session = open_session(settings)?;
    let mail = session.examine(folder)?.fetch(uid)?;
    session.logout();
    let paint = Paint::for_stream(Stream::Stdout);
    let mut out = BufWriter::new(io::stdout().lock());
    if raw {
        out.write_all(&mail.raw)?;
        return Ok(out.flush()?);
    }
    let message = mail.message();
    let label = |name: &str| paint.apply(Paint::BOLD, &format!("{name}:"));
    let fields = mail::Fields::of(&message);
    let addresses = |list: &[mail::Mailbox]| {
        list.iter()
            .map(|m| m.display())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let shown = [
        ("From", addresses(&fields.from)),
        ("To", addresses(&fields.to)),
        ("Cc", addresses(&fields.cc)),
        // As sent: a date that cannot be is not made into one.
        ("Date", fields.date_raw.unwrap_or_default()),
        ("Subject", fields.subject.unwrap_or_default()),
    ];
    for (name, value) in shown {
        if !value.is_empty() {
            writeln!(out, "{} {}", label(name), single_line(&value))?;
        }
    }
    writeln!(out)?;
    for text in mime::texts(&message) {
        let text = mail::printable_text(&text);
        write!(out, "{text}")?;
        if !text.ends_with('\n') {
            writeln!(out)?;
        }
    }
    let attachments = mail::attachments(&message);
    if !attachments.is_empty() {
        writeln!(out, "\n{}", label("Attachments"))?;
        for a in attachments {
            writeln!(
                out,
                "  {} ({}, {} bytes)",
                single_line(a.name.as_deref().unwrap_or("(no name)")),
                a.content_type,
                a.size
            )?;
        }
    }
    Ok(out.flush()?)
}

fn export(
    settings: &Settings,
    folder: &str,
    target: Target,
    criteria: &Criteria,
) -> anyhow::Result<()> {
    let mut session = open_session(settings)?;
    let shown = target.path().display().to_string();
    let mut opened = session.examine(folder)?;
    let source = Source {
        server: settings.server.host.clone(),
        user: settings.user.clone(),
        folder: folder.to_string(),
    };
    let mut export = Export::open(target, source, criteria, opened.uid_validity()?)?;
    match export.change() {
        Some(Change::Grew { was, now }) => warn(&format!(
            "{shown} grew from {was} to {now} bytes since the last export; what was added stays,              and the new messages go after it"
        )),
        Some(Change::Rewritten { was, now }) => warn(&format!(
            "{shown} changed since the last export (it was {was} bytes, it is {now}; a mail              reader may have rewritten it): it is kept as it is, and the new messages go after              it"
        )),
        None => {}
    }
    let pieces = opened
        .search(criteria)?
        .pieces(export.last_uid(), Limits::MESSAGES)?;
    let total = pieces.total();
    // From here a signal stops the run between messages, with everything whole recorded.
    let interrupt = interrupt::catch().context("cannot catch Ctrl-C")?;
    let bar = progress_bar(total);
    let outcome = export::run(&mut export, pieces, &interrupt, |_| bar.inc(1));
    bar.finish_and_clear();
    let outcome = outcome?;
    if outcome.interrupted {
        return Err(Interrupted(format!(
            "interrupted after {} of {total}; run the same command again to resume",
            outcome.new_messages
        ))
        .into());
    }
    session.logout();
    println!(
        "{folder}: {} new messages ({} bytes) exported to {shown}, {} in all",
        outcome.new_messages, outcome.new_bytes, outcome.total_messages
    );
    Ok(())
}

/// A bar on stderr when it is a terminal; nothing otherwise.
fn progress_bar(total: u64) -> ProgressBar {
    if !io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let style =
        ProgressStyle::with_template("{spinner} {pos}/{len} messages [{bar:30}] {eta} left")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
    ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr()).with_style(style)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flags() -> ImapConnectionArgs {
        ImapConnectionArgs {
            settings: Account::default(),
            account: None,
            no_compress: false,
            compress: false,
        }
    }

    fn given(settings: Account) -> ImapConnectionArgs {
        ImapConnectionArgs {
            settings,
            ..flags()
        }
    }

    #[test]
    fn flags_override_the_account_and_defaults_fill_in() {
        let account = Account {
            host: Some("mail.example.org".into()),
            port: Some(1143),
            user: Some("me".into()),
            security: Some(Security::StartTls),
            ca_file: None,
            password_command: Some("pass mail".into()),
            auth: None,
        };
        let s = settings(&flags(), account.clone()).unwrap();
        assert_eq!(s.server.port, 1143);
        assert_eq!(s.server.security, Security::StartTls);
        assert_eq!(s.password_command.as_deref(), Some("pass mail"));
        let f = given(Account {
            host: Some("other".into()),
            security: Some(Security::Tls),
            ..Account::default()
        });
        let s = settings(
            &f,
            Account {
                port: None,
                ..account
            },
        )
        .unwrap();
        assert_eq!(s.server.host, "other");
        assert_eq!(s.server.port, 993);
        assert_eq!(s.user, "me");
        let s = settings(
            &given(Account {
                host: Some("h".into()),
                user: Some("u".into()),
                security: Some(Security::Plain),
                ..Account::default()
            }),
            Account::default(),
        )
        .unwrap();
        assert_eq!(s.server.port, 143);
    }

    #[test]
    fn a_token_goes_in_clear_only_when_the_command_line_says_plain() {
        let account = Account {
            host: Some("h".into()),
            user: Some("u".into()),
            security: Some(Security::Plain),
            auth: Some(Auth::Oauthbearer),
            ..Account::default()
        };
        let err = settings(&flags(), account.clone()).unwrap_err().to_string();
        assert!(
            err.starts_with("refusing to send the access token in clear"),
            "{err}"
        );
        let plain = given(Account {
            security: Some(Security::Plain),
            ..Account::default()
        });
        assert_eq!(
            settings(&plain, account.clone()).unwrap().auth,
            Auth::Oauthbearer
        );
        // A password in clear is the account's to allow; TLS needs no permission.
        let password = given(Account {
            auth: Some(Auth::Password),
            ..Account::default()
        });
        assert_eq!(
            settings(&password, account.clone()).unwrap().auth,
            Auth::Password
        );
        let tls = given(Account {
            security: Some(Security::Tls),
            ..Account::default()
        });
        assert_eq!(
            settings(&tls, account).unwrap().server.security,
            Security::Tls
        );
    }

    #[test]
    fn a_missing_host_or_user_is_named() {
        let err = settings(&flags(), Account::default()).unwrap_err();
        assert!(err.to_string().starts_with("no server given"), "{err}");
        let f = given(Account {
            host: Some("h".into()),
            ..Account::default()
        });
        let err = settings(&f, Account::default()).unwrap_err();
        assert!(err.to_string().starts_with("no user given"), "{err}");
    }
}
