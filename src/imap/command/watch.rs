//! `tool imap watch`: each arriving message printed as `messages` prints it, handed to
//! `--exec`, and where the watch stands recorded in the `--state` file.

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use anyhow::{Context, bail};
use serde::{Deserialize, Serialize};

use super::{Settings, message_line, open_session_with, password, password_is_typed, write_line};
use crate::cli::ImapWatchArgs;
use crate::imap::RawMail;
use crate::imap::export::{Source, save_json};
use crate::imap::mail;
use crate::imap::watch::{self, Options, Position, Sink, Start};
use crate::interrupt::Stop;
use crate::output::{self, write_json_line};

/// What `--state` records: which folder, and where the watch stands in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct State {
    #[serde(flatten)]
    source: Source,
    uid_validity: u32,
    last_uid: u32,
}

pub(super) fn run(settings: &Settings, args: &ImapWatchArgs) -> anyhow::Result<()> {
    let source = Source {
        server: settings.server.host.clone(),
        user: settings.user.clone(),
        folder: args.folder.clone(),
    };
    let recorded = match &args.state {
        Some(path) => read_state(path, &source)?,
        None => None,
    };
    let start = match (args.since_uid, recorded) {
        (Some(uid), _) => Start::After(uid),
        (None, Some(state)) => Start::Resume(Position {
            uid_validity: state.uid_validity,
            last_uid: state.last_uid,
        }),
        (None, None) => Start::Now,
    };
    let stop = Stop::on_signals().context("cannot catch SIGTERM and Ctrl-C")?;
    let mut sink = Printer {
        out: BufWriter::new(io::stdout().lock()),
        json: args.json,
        exec: args.exec.as_deref(),
        folder: &args.folder,
        state: args.state.as_deref().map(|path| (path, source)),
        recorded: None,
    };
    // A typed password is asked for once; the environment and a command are asked again at
    // each connection, so a token broker can hand out a fresh token.
    let mut typed: Option<String> = None;
    let open = || {
        open_session_with(settings, || {
            if !password_is_typed(settings) {
                return password(settings);
            }
            if typed.is_none() {
                typed = Some(password(settings)?);
            }
            Ok(typed.clone().unwrap_or_default())
        })
    };
    let options = Options {
        interval: Duration::from_secs(args.interval),
    };
    watch::run(&args.folder, start, options, &stop, open, &mut sink)
}

/// The state recorded in `path` for `source`, if there is one.
fn read_state(path: &Path, source: &Source) -> anyhow::Result<Option<State>> {
    let shown = path.display();
    let text = match fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e).with_context(|| format!("cannot read the state file {shown}")),
    };
    let state: State = serde_json::from_str(&text).map_err(|e| {
        anyhow::anyhow!(
            "the state file {shown} is damaged ({e}); move it aside and give --since-uid to say \
             where to start"
        )
    })?;
    if &state.source != source {
        bail!(
            "the state file {shown} records the watch of '{}' of {} on {}, not this one; give \
             each watch a state file of its own",
            state.source.folder,
            state.source.user,
            state.source.server
        );
    }
    Ok(Some(state))
}

struct Printer<'a> {
    out: BufWriter<io::StdoutLock<'static>>,
    json: bool,
    exec: Option<&'a str>,
    folder: &'a str,
    state: Option<(&'a Path, Source)>,
    /// What the state file holds now, to write it only when that changes.
    recorded: Option<Position>,
}

impl Sink for Printer<'_> {
    fn message(&mut self, mail: &RawMail) -> anyhow::Result<()> {
        let summary = mail::summary(mail.uid, mail.size, &mail.message());
        write_line(&mut self.out, self.json, &summary, message_line)?;
        self.out.flush()?;
        if let Some(command) = self.exec {
            let mut line = Vec::new();
            write_json_line(&mut line, &summary)?;
            if let Err(why) = exec(command, &line, mail.uid, self.folder) {
                output::warn(&format!(
                    "--exec failed for the message with UID {}: {why}; the watch goes on",
                    mail.uid
                ));
            }
        }
        Ok(())
    }

    fn position(&mut self, at: Position) -> anyhow::Result<()> {
        let Some((path, source)) = &self.state else {
            return Ok(());
        };
        if self.recorded == Some(at) {
            return Ok(());
        }
        let state = State {
            source: source.clone(),
            uid_validity: at.uid_validity,
            last_uid: at.last_uid,
        };
        save_json(path, &state).with_context(|| {
            format!(
                "cannot write the state file {}; check its directory and the free space",
                path.display()
            )
        })?;
        self.recorded = Some(at);
        Ok(())
    }

    fn watching(&mut self, text: &str) {
        output::info(text);
    }

    fn warn(&mut self, text: &str) {
        output::warn(text);
    }
}

/// Runs `command` with sh, `input` on its stdin; its output goes where ours goes.
fn exec(command: &str, input: &[u8], uid: u32, folder: &str) -> Result<(), String> {
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(command)
        .env("TOOL_IMAP_UID", uid.to_string())
        .env("TOOL_IMAP_FOLDER", folder)
        .stdin(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run sh: {e}"))?;
    if let Some(mut stdin) = child.stdin.take() {
        // A command that does not read its input is no failure.
        let _ = stdin.write_all(input);
    }
    let status = child.wait().map_err(|e| e.to_string())?;
    if status.success() {
        Ok(())
    } else {
        Err(status.to_string())
    }
}
