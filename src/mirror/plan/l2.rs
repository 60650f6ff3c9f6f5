//! L2: netdev chains that `dup` frames onto the monitor's capture port.

use super::{
    Chain, Family, Hook, Plan, Rule, Side, Target, excluded, matching_glob, source_interfaces,
    the_bridge,
};
use crate::mirror::collector::{OWNED_PREFIX, TUNNEL};
use crate::mirror::destination;
use crate::mirror::host::{Host, Interface};
use crate::mirror::spec::{Backend, Spec};
use crate::mirror::tag::Tag;

/// One place every chain copies to: the capture port or the collector's tunnel, with the index
/// it was planned against (`None` for a tunnel `apply` has yet to make).
struct Copied {
    target: Target,
    name: String,
    index: Option<u32>,
}

pub(super) fn plan(
    spec: &Spec,
    host: &Host,
    port: Option<&str>,
    collector: bool,
) -> Result<Plan, String> {
    let sources = source_interfaces(spec, host)?;
    let mut copied = Vec::new();
    let mut warnings = Vec::new();
    if let Some(dest_name) = port {
        let dest = host.get(dest_name).ok_or_else(|| {
            format!("destination interface '{dest_name}' does not exist: start the monitor VM, or name its capture port with --to")
        })?;
        if let Some(refused) = destination::refusal(spec, host, dest, &sources) {
            return Err(refused.to_string());
        }
        if !dest.up {
            warnings.push(format!(
                "destination '{}' is down: copies are dropped until it is up",
                dest.name
            ));
        }
        copied.push(Copied {
            target: Target::Port(dest.name.clone()),
            name: dest.name.clone(),
            index: Some(dest.index),
        });
    }
    if collector {
        let tunnel = host.get(TUNNEL);
        if tunnel.is_none() {
            warnings.push(format!(
                "the collector's tunnel {TUNNEL} does not exist yet: apply makes it"
            ));
        }
        copied.push(Copied {
            target: Target::Tunnel(TUNNEL.into()),
            name: TUNNEL.into(),
            index: tunnel.map(|t| t.index),
        });
    }
    let mut chains: Vec<Chain> = Vec::new();
    for (iface, hook, bridge_of) in hooks(spec, host, &copied, &sources)? {
        let name = chain_name(hook, iface);
        if !chains.iter().any(|have| have.name == name) {
            chains.push(port_chain(spec, &copied, iface, hook, bridge_of));
        }
    }
    if chains.is_empty() {
        return Err(
            "nothing is left to mirror once the destination and --exclude-iface are taken out"
                .into(),
        );
    }
    copy_once(host, &mut chains);
    Ok(Plan {
        backend: Backend::Nft,
        chains,
        warnings,
    })
}

/// Each device and hook to copy at, with the mirrored bridge it belongs to.
type Hooked<'h> = (&'h Interface, Hook, Option<&'h Interface>);

/// Where frames are copied: ingress on every port of `--bridge` sees each bridged frame exactly
/// once, and what the host itself sends leaves through the bridge device; each `--source` in
/// its `--direction`. Never a destination, nor a device named like the tool's tunnels
/// (`tmir*`), nor an excluded interface.
fn hooks<'h>(
    spec: &Spec,
    host: &'h Host,
    copied: &[Copied],
    sources: &[&'h Interface],
) -> Result<Vec<Hooked<'h>>, String> {
    let skipped = |name: &str| {
        copied.iter().any(|c| c.name == name)
            || name.starts_with(OWNED_PREFIX)
            || excluded(spec, name)
    };
    let mut hooked = Vec::new();
    if let Some(br) = the_bridge(spec, host)? {
        for port in host.ports_of(&br.name) {
            if !skipped(&port.name) {
                hooked.push((port, Hook::Ingress, Some(br)));
            }
        }
        hooked.push((br, Hook::Egress, Some(br)));
    }
    for &s in sources {
        if skipped(&s.name) {
            continue;
        }
        if spec.direction.includes_in() {
            hooked.push((s, Hook::Ingress, None));
        }
        if spec.direction.includes_out() {
            hooked.push((s, Hook::Egress, None));
        }
    }
    Ok(hooked)
}

/// The chain on `iface`'s `hook`: the tunnel's own packets skipped on the way out, the excluded
/// networks skipped both ways, then one copy to each destination.
fn port_chain(
    spec: &Spec,
    copied: &[Copied],
    iface: &Interface,
    hook: Hook,
    bridge_of: Option<&Interface>,
) -> Chain {
    // The tunnel's packets are made on this host, so only an egress chain can meet them.
    let tunnelled = (hook == Hook::Egress
        && copied.iter().any(|c| matches!(c.target, Target::Tunnel(_))))
    .then_some(Rule::SkipTunnelled);
    let skips = spec
        .exclude_nets
        .iter()
        .flat_map(|&net| [Side::Source, Side::Destination].map(|side| Rule::SkipNet { side, net }));
    let glob = bridge_of
        .is_none()
        .then(|| matching_glob(spec, &iface.name))
        .flatten();
    // Where status looks for ports that should have a chain: the bridge's ports (on its own
    // rule) and what a glob matches.
    let excluded = if (bridge_of.is_some() && hook == Hook::Egress) || glob.is_some() {
        spec.exclude_ifaces.clone()
    } else {
        Vec::new()
    };
    let copies = copied.iter().map(|c| Rule::Copy {
        target: c.target.clone(),
        only_iface: None,
        tag: Tag {
            source: iface.name.clone(),
            source_index: Some(iface.index),
            hook,
            dest: c.name.clone(),
            dest_index: c.index,
            bridge: bridge_of.map(|b| b.name.clone()),
            glob: glob.clone(),
            excluded: excluded.clone(),
        },
    });
    Chain {
        family: Family::Netdev,
        name: chain_name(hook, iface),
        hook,
        device: Some(iface.name.clone()),
        rules: tunnelled.into_iter().chain(skips).chain(copies).collect(),
    }
}

/// A frame the bridge forwards from a port with an ingress chain to a port with an egress chain
/// (two `--source` ports with `--direction both`), or that the host sends through a mirrored
/// bridge onto such a port, was copied already where it was first seen and would be copied
/// again on its way out. The netdev hooks see one end of its way only; the bridge family sees
/// both. It marks those frames, and the port's egress chain skips them and takes the mark off.
fn copy_once(host: &Host, chains: &mut Vec<Chain>) {
    let devices = |chains: &[Chain], hook: Hook| -> Vec<String> {
        let mut names: Vec<String> = chains
            .iter()
            .filter(|c| c.family == Family::Netdev && c.hook == hook)
            .filter_map(|c| c.device.clone())
            .collect();
        names.sort();
        names
    };
    let bridge_of = |name: &str| {
        host.get(name)
            .and_then(|i| i.master.as_deref())
            .and_then(|m| host.get(m))
            .filter(|m| m.is_bridge)
    };
    let ingress = devices(chains, Hook::Ingress);
    let egress = devices(chains, Hook::Egress);
    let ports: Vec<String> = egress
        .iter()
        .filter(|d| bridge_of(d).is_some())
        .cloned()
        .collect();
    // Onto ports of a bridge whose own egress chain copied what the host sent through it.
    let sent_onto: Vec<String> = ports
        .iter()
        .filter(|p| bridge_of(p).is_some_and(|b| egress.contains(&b.name)))
        .cloned()
        .collect();
    let marking = |name: &str, hook: Hook, from: Vec<String>, to: Vec<String>| Chain {
        family: Family::Bridge,
        name: name.to_string(),
        hook,
        device: None,
        rules: vec![Rule::MarkCopied { from, to }],
    };
    let mut added = Vec::new();
    if !ingress.is_empty() && !ports.is_empty() {
        added.push(marking("forward", Hook::Forward, ingress, ports.clone()));
    }
    if !sent_onto.is_empty() {
        added.push(marking("output", Hook::Output, Vec::new(), sent_onto));
    }
    if added.is_empty() {
        return;
    }
    for chain in chains
        .iter_mut()
        .filter(|c| c.hook == Hook::Egress && c.device.as_ref().is_some_and(|d| ports.contains(d)))
    {
        chain.rules.insert(0, Rule::SkipCopied);
    }
    chains.extend(added);
}

/// A chain name for a device's hook that nft's script syntax takes unquoted: it starts with a
/// letter and keeps to letters, digits, '.', '_' and '-'. A device name may hold more; its
/// index then keeps two such names apart.
fn chain_name(hook: Hook, device: &Interface) -> String {
    let prefix = if hook == Hook::Ingress { "in" } else { "out" };
    let safe: String = device
        .name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if safe == device.name {
        format!("{prefix}-{safe}")
    } else {
        format!("{prefix}-{safe}-{}", device.index)
    }
}
