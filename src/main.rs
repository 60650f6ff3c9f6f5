use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use tool::cli::{Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match dispatch(cli) {
        Ok(()) => ExitCode::SUCCESS,
        // A reader that went away (`tool ... | head`) is not a failure of ours.
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) if e.is::<tool::exit::Reported>() => {
            ExitCode::from(e.downcast_ref::<tool::exit::Reported>().map_or(1, |r| r.0))
        }
        Err(e) if e.is::<tool::interrupt::Interrupted>() => {
            eprintln!("{e}");
            ExitCode::from(tool::interrupt::EXIT_STATUS)
        }
        Err(e) => {
            eprintln!("error: {}", one_line(&e));
            ExitCode::FAILURE
        }
    }
}

fn dispatch(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Twuu(args) => tool::twuu::command::run(args.0),
        Command::Imap(args) => tool::imap::command::run(*args.0),
        Command::Mirror(args) => tool::mirror::command::run(*args.0),
        Command::Chords(args) => tool::chords::command::run(args.0),
        Command::Completions { shell } => {
            let mut out = std::io::stdout().lock();
            out.write_all(&tool::docs::completion_script(shell))?;
            Ok(out.flush()?)
        }
    }
}

/// The error and its causes, joined by ": ". A cause whose text ends the one before it is left
/// out: an error that shows its source in its own message (as those that wrap an I/O error do)
/// would otherwise print it twice.
fn one_line(e: &anyhow::Error) -> String {
    let mut line = String::new();
    let mut previous = String::new();
    for cause in e.chain() {
        let text = cause.to_string();
        if previous.ends_with(&text) {
            continue;
        }
        if !line.is_empty() {
            line.push_str(": ");
        }
        line.push_str(&text);
        previous = text;
    }
    line
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
