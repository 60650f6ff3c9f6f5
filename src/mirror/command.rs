//! `tool mirror`: the verbs, around the pure planner.

use std::io::{self, Write};

use anyhow::bail;

use super::check;
use super::collector::TUNNEL;
use super::host::Host;
use super::iptables::{self, FAMILIES as IP_FAMILIES};
use super::iptables_load;
use super::load;
use super::lock;
use super::nft;
use super::plan::Family;
use super::rebind;
use super::report;
use super::spec::{Backend, Destination, Spec, SpecInput};
use super::status::{self, Copying};
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

/// What one [`converge`] found and did.
#[derive(Debug)]
pub(crate) struct Applied {
    /// Whether the kernel's rules changed.
    pub changed: bool,
    pub copying: usize,
    pub chains: usize,
    pub destination: String,
    pub backend: Backend,
    pub warnings: Vec<String>,
    /// The host as the plan saw it.
    pub host: Host,
}

impl Applied {
    pub fn summary(&self) -> String {
        format!(
            "{} copying rule(s) in {} chain(s) to {} ({})",
            self.copying,
            self.chains,
            self.destination,
            self.backend.name()
        )
    }
}

/// Makes the kernel hold the plan of `spec` for the host as it is now, changing nothing that
/// already matches; with `dry` only checks the change. Unless `dry`, the caller holds the lock.
/// `apply` and `watch` both come here.
pub(crate) fn converge(spec: &Spec, dry: bool) -> anyhow::Result<Applied> {
    // The tunnel before the rules: they copy to it by its interface index.
    let mut tunnel_made = false;
    let mut made_fresh = false;
    let mut unchecked = None;
    if let Some(c) = spec.destination.collector() {
        let host = Host::read()?;
        if dry {
            unchecked = (!tunnel::in_place(c, &host)).then(|| {
                format!("the tunnel {TUNNEL} would be made first, so nft could not check the rules that copy to it")
            });
        } else {
            let had_one = host.interfaces.iter().any(tunnel::is_owned);
            tunnel_made = tunnel::converge(Some(c), &host)?;
            made_fresh = tunnel_made && !had_one;
        }
    }
    let applied = rules(spec, dry, unchecked);
    // A tunnel made for rules that then could not be loaded goes again: a failed apply leaves
    // the host as it found it.
    if applied.is_err() && made_fresh {
        let _ = tunnel::remove();
    }
    applied.map(|applied| Applied {
        changed: applied.changed || tunnel_made,
        ..applied
    })
}

/// The rules part of [`converge`], once the tunnel is in place; `unchecked` says why nft could
/// not check them (a dry run before the tunnel exists).
fn rules(spec: &Spec, dry: bool, unchecked: Option<String>) -> anyhow::Result<Applied> {
    let collector = spec.destination.collector();
    let (host, plan, listings) = load::planned(spec, |spec| {
        (spec.backend == Backend::Nft).then(system::nft_listings)
    })?;
    // A copy to an address without a route is dropped, every one of them.
    if let Destination::Gateways(gateways) = &spec.destination
        && let Some(gw) = gateways.iter().find(|gw| !system::has_route(**gw))
    {
        bail!(
            "--gateway {gw} has no route: every copy would be dropped; give the host an address on the monitor's network or a route to it (`ip route get {gw}`); nothing was changed"
        );
    }
    let mut warnings = plan.warnings.clone();
    let loaded = match unchecked {
        Some(why) => {
            warnings.push(why);
            true
        }
        None => load::load(&plan, listings, dry)?,
    };
    // A tunnel no longer named goes once no rule copies to it.
    let tunnel_gone = collector.is_none() && !dry && tunnel::converge(None, &host)?;
    Ok(Applied {
        changed: (loaded || tunnel_gone) && !dry,
        copying: plan.copying_rules(),
        chains: plan.chains.len(),
        destination: spec.destination.to_string(),
        backend: plan.backend,
        warnings,
        host,
    })
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
    let report = match read_status(args.interval) {
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

/// Reads the tool's rules with their counters and the host, the host's drop counters once more
/// after `interval`, and (only where a source was re-created) whether the kernel re-binds.
fn read_status(interval: std::time::Duration) -> anyhow::Result<status::Status> {
    if !system::has_net_admin() {
        bail!("cannot read the rules without CAP_NET_ADMIN: run tool mirror status as root");
    }
    if system::version_of("nft").is_none() {
        bail!("nft is not installed, so the rules cannot be read: apt-get install nftables");
    }
    let mut rules: Vec<Copying> = system::nft_listed()?
        .into_iter()
        .map(|r| Copying {
            backend: "nft",
            tag: r.tag,
            packets: r.packets,
            bytes: r.bytes,
            bound_to: r.bound_to,
        })
        .collect();
    for family in IP_FAMILIES {
        for r in system::iptables_saved(family)?
            .map(|s| s.rules)
            .unwrap_or_default()
        {
            rules.push(Copying {
                backend: if family == Family::Ip {
                    "iptables"
                } else {
                    "ip6tables"
                },
                tag: r.tag,
                packets: r.packets,
                bytes: r.bytes,
                bound_to: None,
            });
        }
    }
    let first = Host::read()?;
    let rebinding = if status::has_recreated_source(&rules, &first) {
        rebind::probe()
    } else {
        status::Rebinding::Unknown
    };
    let second = if interval.is_zero() || rules.is_empty() {
        None
    } else {
        std::thread::sleep(interval);
        Some(Host::read()?)
    };
    let reads = status::Reads {
        first: &first,
        second: second.as_ref(),
    };
    Ok(status::evaluate(&rules, reads, rebinding))
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
