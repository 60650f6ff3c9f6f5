//! What `tool mirror status` judges, read off the kernel: the tool's rules with their counters,
//! the host twice (for rising drop counters), and whether this kernel re-binds chains.

use std::time::Duration;

use anyhow::bail;

use super::host::Host;
use super::iptables::FAMILIES as IP_FAMILIES;
use super::rebind;
use super::status::{self, Copier, Copying};
use super::system;

/// Reads the tool's rules with their counters and the host, the host's drop counters once more
/// after `interval`, and (only where a source was re-created) whether the kernel re-binds.
pub fn read(interval: Duration) -> anyhow::Result<status::Status> {
    if !system::has_net_admin() {
        bail!("cannot read the rules without CAP_NET_ADMIN: run tool mirror status as root");
    }
    if system::version_of("nft").is_none() {
        bail!("nft is not installed, so the rules cannot be read: apt-get install nftables");
    }
    let mut rules: Vec<Copying> = system::nft_listed()?
        .into_iter()
        .map(|r| Copying {
            backend: Copier::Nft,
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
                backend: Copier::tee(family),
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
