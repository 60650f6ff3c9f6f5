//! Apply: the kernel made to hold a SPEC's plan, the collector's tunnel first, changing nothing
//! that already matches. `tool mirror apply` and `watch` both come here.

use anyhow::bail;

use super::collector::TUNNEL;
use super::host::Host;
use super::load;
use super::spec::{Backend, Destination, Spec};
use super::system;
use super::tunnel;

/// What one [`converge`] found and did.
#[derive(Debug)]
pub struct Applied {
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
pub fn converge(spec: &Spec, dry: bool) -> anyhow::Result<Applied> {
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
