//! `tool mirror`: the verbs, around the pure planner.

use std::io::{self, Write};

use anyhow::{Context, anyhow, bail};

use super::check;
use super::host::Host;
use super::iptables;
use super::lock;
use super::nft;
use super::plan::{self, Chain, Family, Plan};
use super::rebind;
use super::report;
use super::spec::{Backend, Destination, Spec, SpecInput};
use super::status::{self, Copying};
use super::system;
use crate::cli::{
    MirrorApplyArgs, MirrorArgs, MirrorCheckArgs, MirrorCommand, MirrorPlanArgs, MirrorRemoveArgs,
    MirrorSpecArgs, MirrorStatusArgs,
};

const IP_FAMILIES: [Family; 2] = [Family::Ip, Family::Ip6];

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
    let flags = SpecInput {
        bridge: args.bridge.clone(),
        source: args.source.clone(),
        to: args.to.clone(),
        gateway: args.gateway.clone(),
        exclude_iface: args.exclude_iface.clone(),
        exclude_net: args.exclude_net.clone(),
        direction: args.direction.clone(),
        backend: args.backend.clone(),
        allow_bridged_monitor: args.allow_bridged_monitor.then_some(true),
    };
    let Some(path) = &args.config else {
        return Ok(flags);
    };
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read --config {}: check the path", path.display()))?;
    let file =
        SpecInput::from_toml(&text).map_err(|e| anyhow!("--config {}: {e}", path.display()))?;
    Ok(file.overridden_by(flags))
}

pub(crate) fn resolve(args: &MirrorSpecArgs) -> anyhow::Result<Spec> {
    spec_input(args)?.resolve().map_err(anyhow::Error::msg)
}

/// Plans `spec` on the host as it is. `alongside` runs while the host is read: both mostly wait
/// on the kernel, and on a host with hundreds of ports each takes tens of milliseconds.
fn planned<T: Send>(
    spec: &Spec,
    alongside: impl FnOnce(&Spec) -> T + Send,
) -> anyhow::Result<(Host, Plan, T)> {
    let (host, extra) = std::thread::scope(|s| {
        let extra = s.spawn(|| alongside(spec));
        (Host::read(), extra.join().expect("a query does not panic"))
    });
    let host = host?;
    let plan = plan::plan(spec, &host).map_err(anyhow::Error::msg)?;
    Ok((host, plan, extra))
}

fn print_warnings(plan: &Plan) {
    for w in &plan.warnings {
        eprintln!("warning: {w}");
    }
}

fn chains_of(plan: &Plan, family: Family) -> Vec<&Chain> {
    plan.chains.iter().filter(|c| c.family == family).collect()
}

/// The iptables-restore input per family that makes the mangle tables hold the plan.
fn iptables_scripts(plan: &Plan) -> anyhow::Result<Vec<(Family, String)>> {
    let mut scripts = Vec::new();
    for family in IP_FAMILIES {
        let saved = system::iptables_saved(family)?.ok_or_else(|| {
            anyhow!(
                "{} is not installed: apt-get install iptables",
                iptables::program(family, "save")
            )
        })?;
        let chains = chains_of(plan, family);
        let script = if !chains.is_empty() {
            let made = made_by_applying(family, &chains, &saved)?;
            Some(iptables::apply_script(&chains, &saved, &made))
        } else {
            iptables::removal_script(&saved)
        };
        scripts.extend(script.map(|s| (family, s)));
    }
    Ok(scripts)
}

/// What iptables-nft will create for the tool (the mangle table, a built-in chain), together
/// with what it created before, so that remove can take it all away again.
fn made_by_applying(
    family: Family,
    chains: &[&Chain],
    saved: &iptables::Saved,
) -> anyhow::Result<Vec<String>> {
    let mut made = saved.made.clone();
    if !system::iptables_is_nft() {
        return Ok(made);
    }
    let existing = system::nft_table_chains(family, "mangle")?;
    let mut add = |what: &str| {
        if !made.iter().any(|m| m == what) {
            made.push(what.to_string());
        }
    };
    if existing.is_none() {
        add("table");
    }
    for chain in chains {
        let (_, builtin) = iptables::chain_names(chain.hook);
        if !existing.iter().flatten().any(|(name, _)| name == builtin) {
            add(builtin);
        }
    }
    Ok(made)
}

/// Deletes what iptables-nft created for the tool, where it is empty now.
fn remove_made(family: Family, made: &[String]) -> anyhow::Result<()> {
    let Some(chains) = system::nft_table_chains(family, "mangle")? else {
        return Ok(());
    };
    let empty: Vec<&str> = chains
        .iter()
        .filter(|(name, rules)| *rules == 0 && made.iter().any(|m| m == name))
        .map(|(name, _)| name.as_str())
        .collect();
    let table_goes = made.iter().any(|m| m == "table") && empty.len() == chains.len();
    let batch = nft::removal_of_made(family, &empty, table_goes);
    if !batch.objects.is_empty() {
        system::nft_apply(&batch, false)?;
    }
    Ok(())
}

fn plan(args: &MirrorPlanArgs) -> anyhow::Result<()> {
    // Only the JSON batch depends on what is loaded now.
    let (_, plan, listings) = planned(&resolve(&args.spec)?, |spec| {
        (spec.backend == Backend::Nft && args.format == "json").then(system::nft_listings)
    })?;
    print_warnings(&plan);
    let text = match (plan.backend, args.format.as_str()) {
        (Backend::Nft, "json") => {
            let listings = listings.expect("listed for the nft backend")?;
            let current = nft::Current::from_listings(&listings);
            serde_json::to_string_pretty(&nft::apply_batch(&plan, &current))? + "\n"
        }
        (Backend::Nft, _) => nft::to_text(&plan),
        (Backend::Iptables, "json") => {
            bail!(
                "--format json is the nft backend's: the iptables plan is iptables-restore input (--format text)"
            )
        }
        (Backend::Iptables, _) => iptables_scripts(&plan)?
            .into_iter()
            .map(|(f, s)| format!("# {} --noflush\n{s}", iptables::program(f, "restore")))
            .collect(),
    };
    let mut out = io::stdout().lock();
    out.write_all(text.as_bytes())?;
    Ok(out.flush()?)
}

fn destination(spec: &Spec) -> String {
    match &spec.destination {
        Destination::Port(p) => p.clone(),
        Destination::Gateways(g) => g
            .iter()
            .map(|a| a.to_string())
            .collect::<Vec<_>>()
            .join(" and "),
    }
}

fn apply(args: &MirrorApplyArgs) -> anyhow::Result<()> {
    let spec = resolve(&args.spec)?;
    // Held from reading what is loaded until the change is in: a dry run changes nothing.
    let _lock = (!args.dry_run)
        .then(|| lock::acquire(args.lock.duration()))
        .transpose()?;
    let applied = converge(&spec, args.dry_run)?;
    for w in &applied.warnings {
        eprintln!("warning: {w}");
    }
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
        let backend = if self.backend == Backend::Nft {
            "nft"
        } else {
            "iptables"
        };
        format!(
            "{} copying rule(s) in {} chain(s) to {} ({backend})",
            self.copying, self.chains, self.destination
        )
    }
}

/// Makes the kernel hold the plan of `spec` for the host as it is now, changing nothing that
/// already matches; with `dry` only checks the change. Unless `dry`, the caller holds the lock.
pub(crate) fn converge(spec: &Spec, dry: bool) -> anyhow::Result<Applied> {
    let (host, plan, listings) = planned(spec, |spec| {
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
    let changed = match plan.backend {
        Backend::Nft => {
            let listings = listings.expect("listed for the nft backend")?;
            let current = nft::Current::from_listings(&listings);
            let batch = nft::apply_batch(&plan, &current);
            // Nothing to change: the chains keep their hooks and their counters run on.
            if !batch.objects.is_empty() {
                system::nft_apply(&batch, dry).context("nothing was changed")?;
            }
            // Copies made by both backends would arrive twice.
            let cleared = !dry && remove_iptables()?;
            !batch.objects.is_empty() || cleared
        }
        Backend::Iptables => {
            let scripts: Vec<(Family, String)> = iptables_scripts(&plan)?
                .into_iter()
                .filter(|(_, script)| iptables::changes_anything(script))
                .collect();
            for (family, script) in &scripts {
                system::iptables_restore(*family, script, dry)
                    .context("that table was left as it was")?;
            }
            let cleared = !dry && system::version_of("nft").is_some() && remove_nft()?;
            !scripts.is_empty() || cleared
        }
    };
    let copying = plan
        .chains
        .iter()
        .map(|c| {
            c.rules
                .iter()
                .filter(|r| matches!(r, plan::Rule::Copy { .. }))
                .count()
        })
        .sum::<usize>();
    Ok(Applied {
        changed: changed && !dry,
        copying,
        chains: plan.chains.len(),
        destination: destination(spec),
        backend: plan.backend,
        warnings: plan.warnings,
        host,
    })
}

/// Removes the tool's nft tables; whether there were any.
fn remove_nft() -> anyhow::Result<bool> {
    if system::nft_own_families()?.is_empty() {
        return Ok(false);
    }
    system::nft_apply(&nft::removal_batch(), false)?;
    Ok(true)
}

/// Removes the tool's iptables chains; whether there were any.
fn remove_iptables() -> anyhow::Result<bool> {
    let mut removed = false;
    for family in IP_FAMILIES {
        let Some(saved) = system::iptables_saved(family)? else {
            continue;
        };
        if let Some(script) = iptables::removal_script(&saved) {
            system::iptables_restore(family, &script, false)?;
            if system::iptables_is_nft() {
                remove_made(family, &saved.made)?;
            }
            removed = true;
        }
    }
    Ok(removed)
}

fn remove(args: &MirrorRemoveArgs) -> anyhow::Result<()> {
    let _lock = lock::acquire(args.lock.duration())?;
    let which = args.backend.as_deref();
    let nft_installed = system::version_of("nft").is_some();
    if which == Some("nft") && !nft_installed {
        bail!("nft is not installed: install nftables (apt-get install nftables)");
    }
    let mut removed = Vec::new();
    if which != Some("iptables") && nft_installed && remove_nft()? {
        removed.push("nft tables");
    }
    if which != Some("nft") && remove_iptables()? {
        removed.push("iptables chains");
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
        serde_json::to_writer(&mut out, &findings)?;
        writeln!(out)?;
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
