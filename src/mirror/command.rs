//! `tool mirror`: the verbs, dispatched to the modules that do the work, and their output.

use std::io::{self, Write};

use anyhow::bail;

use super::apply::converge;
use super::check;
use super::host::Host;
use super::iptables;
use super::iptables_load;
use super::load;
use super::lock;
use super::nft;
use super::observe;
use super::report;
use super::spec::{Backend, Spec, SpecInput};
use super::status;
use super::system;
use super::tunnel;
use crate::cli::{
    MirrorApplyArgs, MirrorArgs, MirrorCheckArgs, MirrorCommand, MirrorPlanArgs, MirrorPlanFormat,
    MirrorRemoveArgs, MirrorSpecArgs, MirrorStatusArgs,
};
use crate::output;

pub fn run(args: MirrorArgs) -> anyhow::Result<()> {
    match args.command {
        MirrorCommand::Plan(a) => plan(&a),
        MirrorCommand::Apply(a) => apply(&a),
        MirrorCommand::Status(a) => status(&a),
        MirrorCommand::Remove(a) => remove(&a),
        MirrorCommand::Check(a) => check(&a),
        MirrorCommand::Watch(a) => super::watch::run(&a),
    }
}

/// The SPEC as given: the --config file's fields, overridden by the flags.
fn spec_input(args: &MirrorSpecArgs) -> anyhow::Result<SpecInput> {
    args.fields
        .clone()
        .over_file(args.config.as_deref())
        .map_err(anyhow::Error::msg)
}

pub(crate) fn resolve(args: &MirrorSpecArgs) -> anyhow::Result<Spec> {
    spec_input(args)?.resolve().map_err(anyhow::Error::msg)
}

fn print_warnings(warnings: &[String]) {
    for w in warnings {
        output::warn(w);
    }
}

fn plan(args: &MirrorPlanArgs) -> anyhow::Result<()> {
    // Only the JSON batch depends on what is loaded now.
    let (_, plan, listings) = load::planned(&resolve(&args.spec)?, |spec| {
        (spec.backend == Backend::Nft && args.format == MirrorPlanFormat::Json)
            .then(system::nft_listings)
    })?;
    print_warnings(&plan.warnings);
    let text = match (plan.backend, args.format) {
        (Backend::Nft, MirrorPlanFormat::Json) => {
            let listings = listings.expect("listed for the nft backend")?;
            let current = nft::Current::from_listings(&listings);
            serde_json::to_string_pretty(&nft::apply_batch(&plan, &current))? + "\n"
        }
        (Backend::Nft, MirrorPlanFormat::Text) => nft::to_text(&plan),
        (Backend::Iptables, MirrorPlanFormat::Json) => {
            bail!(
                "--format json is the nft backend's: the iptables plan is iptables-restore input (--format text)"
            )
        }
        (Backend::Iptables, MirrorPlanFormat::Text) => iptables_load::scripts(&plan)?
            .into_iter()
            .map(|(f, s)| format!("# {} --noflush\n{s}", iptables::program(f, "restore")))
            .collect(),
    };
    let mut out = io::stdout().lock();
    out.write_all(text.as_bytes())?;
    Ok(out.flush()?)
}

fn apply(args: &MirrorApplyArgs) -> anyhow::Result<()> {
    let spec = resolve(&args.spec)?;
    // Held from reading what is loaded until the change is in: a dry run changes nothing.
    let _lock = (!args.dry_run)
        .then(|| lock::acquire(args.lock.duration()))
        .transpose()?;
    let applied = converge(&spec, args.dry_run)?;
    print_warnings(&applied.warnings);
    println!(
        "{}{}",
        if args.dry_run {
            "dry run, nothing changed: would load "
        } else {
            "applied "
        },
        applied.summary()
    );
    Ok(())
}

fn remove(args: &MirrorRemoveArgs) -> anyhow::Result<()> {
    let _lock = lock::acquire(args.lock.duration())?;
    let mut removed: Vec<String> = load::remove(args.backend)?
        .into_iter()
        .map(String::from)
        .collect();
    // After the rules, which copy to it.
    if args.backend != Some(Backend::Iptables) {
        removed.extend(
            tunnel::remove()?
                .into_iter()
                .map(|t| format!("collector tunnel {t}")),
        );
    }
    if removed.is_empty() {
        println!("nothing to remove: the tool has nothing applied");
    } else {
        println!("removed the tool's {}", removed.join(" and "));
    }
    Ok(())
}

fn status(args: &MirrorStatusArgs) -> anyhow::Result<()> {
    let report = match observe::read(args.interval) {
        Ok(report) => report,
        Err(e) => status::Status::unknown(format!("{e:#}")),
    };
    let format = if args.json {
        report::Format::Json
    } else {
        args.format
    };
    let mut out = io::stdout().lock();
    out.write_all(report::render(&report, format).as_bytes())?;
    out.flush()?;
    match report.state {
        status::State::Ok => Ok(()),
        state => Err(crate::exit::Reported(state.code()).into()),
    }
}

fn check(args: &MirrorCheckArgs) -> anyhow::Result<()> {
    let given = spec_input(&args.spec)?;
    let spec = if given == SpecInput::default() {
        None
    } else {
        Some(given.resolve().map_err(anyhow::Error::msg)?)
    };
    let findings = check::run(spec.as_ref(), &Host::read()?);
    let mut out = io::stdout().lock();
    if args.json {
        output::write_json_line(&mut out, &findings)?;
    } else {
        for f in &findings {
            writeln!(
                out,
                "{:<4}  {}: {}",
                if f.ok { "ok" } else { "FAIL" },
                f.check,
                f.detail
            )?;
            if let Some(fix) = &f.fix {
                writeln!(out, "      fix: {fix}")?;
            }
        }
    }
    out.flush()?;
    let failed = findings.iter().filter(|f| !f.ok).count();
    if failed > 0 {
        bail!("{failed} check(s) failed; each FAIL above says how to fix it");
    }
    Ok(())
}
