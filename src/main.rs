use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use tool::cli::{Cli, Command};
use tool::output;

fn main() -> ExitCode {
    let cli = Cli::parse();
    output::color::set_choice(cli.color_choice());
    match dispatch(cli) {
        Ok(()) => ExitCode::SUCCESS,
        // A reader that went away (`tool ... | head`) is not a failure of ours.
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) if e.is::<tool::exit::Reported>() => {
            ExitCode::from(e.downcast_ref::<tool::exit::Reported>().map_or(1, |r| r.0))
        }
        Err(e) if e.is::<tool::interrupt::Interrupted>() => {
            output::info(&e.to_string());
            ExitCode::from(tool::interrupt::EXIT_STATUS)
        }
        Err(e) => {
            output::error(&e);
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

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
