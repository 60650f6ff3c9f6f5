//! Loading a plan into the kernel and taking the tool's rules out again, for either backend:
//! what `apply` and `remove` do once they hold the lock.

use anyhow::{Context, bail};
use nftables::schema::Nftables;

use super::host::Host;
use super::iptables;
use super::iptables_load;
use super::nft;
use super::plan::{self, Family, Plan};
use super::spec::{Backend, Spec};
use super::system;

/// Plans `spec` on the host as it is. `alongside` runs while the host is read: both mostly wait
/// on the kernel, and on a host with hundreds of ports each takes tens of milliseconds.
pub fn planned<T: Send>(
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

/// Makes the kernel hold `plan` (with `dry`, has the firewall check it and changes nothing);
/// `listings` are the tool's nft tables as read while the plan was made. The other backend's
/// rules go: copies made by both would arrive twice. Whether the kernel's rules changed (or, with
/// `dry`, would).
pub fn load(
    plan: &Plan,
    listings: Option<anyhow::Result<Vec<(Family, Nftables<'static>)>>>,
    dry: bool,
) -> anyhow::Result<bool> {
    let changed = match plan.backend {
        Backend::Nft => {
            let listings = listings.expect("listed for the nft backend")?;
            let current = nft::Current::from_listings(&listings);
            let batch = nft::apply_batch(plan, &current);
            // Nothing to change: the chains keep their hooks and their counters run on.
            if !batch.objects.is_empty() {
                system::nft_apply(&batch, dry).context("nothing was changed")?;
            }
            let cleared = !dry && iptables_load::remove()?;
            !batch.objects.is_empty() || cleared
        }
        Backend::Iptables => {
            let scripts: Vec<(Family, String)> = iptables_load::scripts(plan)?
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
    Ok(changed)
}

/// Removes what the tool holds in `which` backend (both without one); what was removed.
pub fn remove(which: Option<Backend>) -> anyhow::Result<Vec<&'static str>> {
    let nft_installed = system::version_of("nft").is_some();
    if which == Some(Backend::Nft) && !nft_installed {
        bail!("nft is not installed: install nftables (apt-get install nftables)");
    }
    let mut removed = Vec::new();
    if which != Some(Backend::Iptables) && nft_installed && remove_nft()? {
        removed.push("nft tables");
    }
    if which != Some(Backend::Nft) && iptables_load::remove()? {
        removed.push("iptables chains");
    }
    Ok(removed)
}

/// Removes the tool's nft tables; whether there were any.
fn remove_nft() -> anyhow::Result<bool> {
    if system::nft_own_families()?.is_empty() {
        return Ok(false);
    }
    system::nft_apply(&nft::removal_batch(), false)?;
    Ok(true)
}
