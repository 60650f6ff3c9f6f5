//! L3: copies routed to the monitor's address, with nft `dup to IP` or iptables `TEE` in the
//! prerouting and output hooks.

use std::net::IpAddr;

use super::{
    Chain, Family, Hook, Plan, Rule, Side, Target, excluded, source_interfaces, the_bridge,
};
use crate::mirror::host::{Host, Interface};
use crate::mirror::net::IpNet;
use crate::mirror::spec::{Backend, Spec};
use crate::mirror::tag::Tag;

pub(super) fn plan(spec: &Spec, host: &Host, gateways: &[IpAddr]) -> Result<Plan, String> {
    let bridge = the_bridge(spec, host)?;
    let narrowed = narrowing(spec, host)?;
    let excluded_ifaces: Vec<&Interface> = host
        .interfaces
        .iter()
        .filter(|i| excluded(spec, &i.name))
        .collect();
    let mut warnings = Vec::new();
    let mut chains = Vec::new();
    for &gateway in gateways {
        let skips = skips(spec, gateway);
        for (hook, name) in [(Hook::Prerouting, "prerouting"), (Hook::Output, "output")] {
            let only = narrowed.as_ref().map(|n| n.of(hook));
            if only.is_some_and(|o| o.is_empty()) {
                continue;
            }
            let mut rules = skips.clone();
            if hook == Hook::Prerouting {
                rules.extend(excluded_ifaces.iter().map(|i| Rule::SkipIface {
                    iface: i.name.clone(),
                    bridge_port: i.master.is_some(),
                }));
            }
            match only {
                Some(only) => rules.extend(only.iter().map(|i| copy(gateway, hook, Some(i)))),
                None => rules.push(copy(gateway, hook, None)),
            }
            chains.push(Chain {
                family: Family::of(gateway),
                name: name.to_string(),
                hook,
                device: None,
                rules,
            });
        }
        let has_bridge = bridge.is_some() || host.interfaces.iter().any(|i| i.is_bridge);
        if has_bridge {
            warnings.extend(br_netfilter_off(host, Family::of(gateway)));
        }
    }
    if spec.backend == Backend::Nft {
        for i in excluded_ifaces.iter().filter(|i| i.master.is_some()) {
            warnings.push(format!(
                "--exclude-iface {}: nft's ip hooks see a bridge port's traffic as the bridge's, so this excludes only what is routed through it; use --exclude-net, or --backend iptables (physdev)",
                i.name
            ));
        }
    }
    Ok(Plan {
        backend: spec.backend,
        chains,
        warnings,
    })
}

/// The interfaces `--bridge` and `--source` narrow copying to, per hook.
struct Narrowed {
    ins: Vec<String>,
    outs: Vec<String>,
}

impl Narrowed {
    fn of(&self, hook: Hook) -> &[String] {
        if hook == Hook::Output {
            &self.outs
        } else {
            &self.ins
        }
    }
}

/// What `--bridge` and `--source` narrow copying to; `None` when neither is given and
/// everything the hooks see is copied.
fn narrowing(spec: &Spec, host: &Host) -> Result<Option<Narrowed>, String> {
    let bridge = the_bridge(spec, host)?;
    let sources = source_interfaces(spec, host)?;
    if bridge.is_none() && sources.is_empty() {
        return Ok(None);
    }
    let mut n = Narrowed {
        ins: bridge.iter().map(|b| b.name.clone()).collect(),
        outs: bridge.iter().map(|b| b.name.clone()).collect(),
    };
    for s in sources.iter().filter(|s| !excluded(spec, &s.name)) {
        if spec.direction.includes_in() && !n.ins.contains(&s.name) {
            n.ins.push(s.name.clone());
        }
        if spec.direction.includes_out() && !n.outs.contains(&s.name) {
            n.outs.push(s.name.clone());
        }
    }
    if n.ins.is_empty() && n.outs.is_empty() {
        return Err("nothing is left to mirror once --exclude-iface is taken out".into());
    }
    Ok(Some(n))
}

/// Never the monitor's own traffic, nor copies on their way to it; nor the excluded networks
/// of the gateway's IP version.
fn skips(spec: &Spec, gateway: IpAddr) -> Vec<Rule> {
    let both =
        |net: IpNet| [Side::Source, Side::Destination].map(|side| Rule::SkipNet { side, net });
    let family = Family::of(gateway);
    let mut skips: Vec<Rule> = both(IpNet::host(gateway)).into();
    for &net in spec
        .exclude_nets
        .iter()
        .filter(|n| Family::of(n.addr()) == family)
    {
        skips.extend(both(net));
    }
    skips
}

/// The copy to `gateway` in `hook`, of what passes `only_iface` or of everything.
fn copy(gateway: IpAddr, hook: Hook, only_iface: Option<&String>) -> Rule {
    Rule::Copy {
        tag: Tag {
            source: only_iface.cloned().unwrap_or_else(|| "*".into()),
            source_index: None,
            hook,
            dest: gateway.to_string(),
            dest_index: None,
            bridge: None,
            glob: None,
            excluded: Vec::new(),
        },
        target: Target::Gateway(gateway),
        only_iface: only_iface.cloned(),
    }
}

/// Traffic bridged between guests reaches the ip hooks only with br_netfilter on.
fn br_netfilter_off(host: &Host, family: Family) -> Option<String> {
    let (v4, v6) = host.br_netfilter.unwrap_or((false, false));
    let (on, key) = if family == Family::Ip {
        (v4, "iptables")
    } else {
        (v6, "ip6tables")
    };
    (!on).then(|| {
        format!(
            "br_netfilter is off for {}: traffic bridged between guests is not copied; turn it on with `sysctl -w net.bridge.bridge-nf-call-{key}=1`",
            family.name()
        )
    })
}
