//! The planning rules: from a [`Spec`] and the [`Host`] as it is, the chains and rules that
//! mirror it. Pure: nothing here runs a command.

use std::net::IpAddr;

use super::destination;
use super::glob;
use super::host::{Host, Interface};
use super::net::IpNet;
use super::spec::{Backend, Destination, Spec};
use super::tag::Tag;

/// The table family a chain lives in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Family {
    Netdev,
    Ip,
    Ip6,
    /// Only where a frame can enter one source and leave another: it marks such frames so
    /// that they are copied once (see [`Rule::MarkCopied`]).
    Bridge,
}

impl Family {
    pub fn of(addr: IpAddr) -> Family {
        if addr.is_ipv4() {
            Family::Ip
        } else {
            Family::Ip6
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Family::Netdev => "netdev",
            Family::Ip => "ip",
            Family::Ip6 => "ip6",
            Family::Bridge => "bridge",
        }
    }
}

/// Where in the packet path a chain hooks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Hook {
    Ingress,
    Egress,
    Prerouting,
    Output,
    Forward,
}

impl Hook {
    pub fn name(self) -> &'static str {
        match self {
            Hook::Ingress => "ingress",
            Hook::Egress => "egress",
            Hook::Prerouting => "prerouting",
            Hook::Output => "output",
            Hook::Forward => "forward",
        }
    }

    pub fn from_name(name: &str) -> Option<Hook> {
        [
            Hook::Ingress,
            Hook::Egress,
            Hook::Prerouting,
            Hook::Output,
            Hook::Forward,
        ]
        .into_iter()
        .find(|h| h.name() == name)
    }
}

/// Which address of a packet a rule looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Source,
    Destination,
}

/// Where copies go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Port(String),
    Gateway(IpAddr),
}

/// One rule, in order: skips first, the copy last.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rule {
    /// Packets whose `side` address lies in `net` are not copied.
    SkipNet { side: Side, net: IpNet },
    /// Packets received on `iface` are not copied; `bridge_port` says it is a bridge port, which
    /// only a physdev match sees in the ip hooks.
    SkipIface { iface: String, bridge_port: bool },
    /// Count and copy, optionally only packets received on (prerouting) or sent through
    /// (output) `only_iface`.
    Copy {
        target: Target,
        only_iface: Option<String>,
        tag: Tag,
    },
    /// In the bridge family: a frame the bridge forwards from one of `from` (in the forward
    /// hook; empty in the output hook, where the host itself sends it) to one of `to` was
    /// copied already where it was first seen; mark it for the egress chain of `to`.
    MarkCopied { from: Vec<String>, to: Vec<String> },
    /// First in an egress chain of a bridge port: a marked frame has its mark taken off again
    /// and is not copied a second time.
    SkipCopied,
}

/// One base chain of the tool's own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chain {
    pub family: Family,
    pub name: String,
    pub hook: Hook,
    /// The device a netdev chain is bound to.
    pub device: Option<String>,
    pub rules: Vec<Rule>,
}

/// Everything the tool will make, and what the user should know about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub backend: Backend,
    pub chains: Vec<Chain>,
    pub warnings: Vec<String>,
}

impl Plan {
    /// The families the plan has tables in, in order.
    pub fn families(&self) -> Vec<Family> {
        let mut f: Vec<Family> = self.chains.iter().map(|c| c.family).collect();
        f.sort();
        f.dedup();
        f
    }
}

/// Plans `spec` on `host`. Errors say what is wrong and what to do.
pub fn plan(spec: &Spec, host: &Host) -> Result<Plan, String> {
    match &spec.destination {
        Destination::Port(dest) => plan_l2(spec, host, dest),
        Destination::Gateways(gateways) => plan_l3(spec, host, gateways),
    }
}

fn excluded(spec: &Spec, name: &str) -> bool {
    spec.exclude_ifaces.iter().any(|p| glob::matches(p, name))
}

/// The interfaces `--source` patterns name; a pattern that matches nothing is an error.
pub fn source_interfaces<'h>(spec: &Spec, host: &'h Host) -> Result<Vec<&'h Interface>, String> {
    let mut found: Vec<&Interface> = Vec::new();
    for pattern in &spec.sources {
        let matched: Vec<&Interface> = host
            .interfaces
            .iter()
            .filter(|i| glob::matches(pattern, &i.name))
            .collect();
        if matched.is_empty() {
            return Err(if glob::is_glob(pattern) {
                format!("--source '{pattern}' matches no interface: check `ip link`")
            } else {
                format!("--source interface '{pattern}' does not exist: check `ip link`")
            });
        }
        for i in matched {
            if !found.iter().any(|f| f.name == i.name) {
                found.push(i);
            }
        }
    }
    Ok(found)
}

/// The first `--source` glob that `name` matches, if it was matched by one.
fn matching_glob(spec: &Spec, name: &str) -> Option<String> {
    spec.sources
        .iter()
        .find(|p| glob::is_glob(p) && glob::matches(p, name))
        .cloned()
}

fn the_bridge<'h>(spec: &Spec, host: &'h Host) -> Result<Option<&'h Interface>, String> {
    let Some(name) = &spec.bridge else {
        return Ok(None);
    };
    match host.get(name) {
        Some(i) if i.is_bridge => Ok(Some(i)),
        Some(_) => Err(format!(
            "--bridge '{name}' is not a bridge: name the bridge the guests' ports are on (`ip link show type bridge`)"
        )),
        None => Err(format!(
            "--bridge '{name}' does not exist: check `ip link show type bridge`"
        )),
    }
}

fn plan_l2(spec: &Spec, host: &Host, dest_name: &str) -> Result<Plan, String> {
    let dest = host.get(dest_name).ok_or_else(|| {
        format!("destination interface '{dest_name}' does not exist: start the monitor VM, or name its capture port with --to")
    })?;
    let bridge = the_bridge(spec, host)?;
    let sources = source_interfaces(spec, host)?;
    if let Some(refused) = destination::refusal(spec, host, dest, &sources) {
        return Err(refused.to_string());
    }
    let skips: Vec<Rule> = spec
        .exclude_nets
        .iter()
        .flat_map(|&net| [Side::Source, Side::Destination].map(|side| Rule::SkipNet { side, net }))
        .collect();
    let chain = |iface: &Interface, hook: Hook, bridge_of: Option<&Interface>| {
        let glob = bridge_of
            .is_none()
            .then(|| matching_glob(spec, &iface.name))
            .flatten();
        // Where status looks for ports that should have a chain: the bridge's ports (on its
        // own rule) and what a glob matches.
        let excluded = if (bridge_of.is_some() && hook == Hook::Egress) || glob.is_some() {
            spec.exclude_ifaces.clone()
        } else {
            Vec::new()
        };
        Chain {
            family: Family::Netdev,
            name: chain_name(hook, iface),
            hook,
            device: Some(iface.name.clone()),
            rules: skips
                .iter()
                .cloned()
                .chain([Rule::Copy {
                    target: Target::Port(dest.name.clone()),
                    only_iface: None,
                    tag: Tag {
                        source: iface.name.clone(),
                        source_index: Some(iface.index),
                        hook,
                        dest: dest.name.clone(),
                        dest_index: Some(dest.index),
                        bridge: bridge_of.map(|b| b.name.clone()),
                        glob,
                        excluded,
                    },
                }])
                .collect(),
        }
    };
    let mut chains: Vec<Chain> = Vec::new();
    let mut push = |c: Chain| {
        if !chains.iter().any(|have| have.name == c.name) {
            chains.push(c);
        }
    };
    if let Some(br) = bridge {
        // Ingress on every port sees each bridged frame exactly once; what the host itself sends
        // leaves through the bridge device.
        for port in host.ports_of(&br.name) {
            if port.name != dest.name && !excluded(spec, &port.name) {
                push(chain(port, Hook::Ingress, Some(br)));
            }
        }
        push(chain(br, Hook::Egress, Some(br)));
    }
    for s in sources {
        if s.name == dest.name || excluded(spec, &s.name) {
            continue;
        }
        if spec.direction.includes_in() {
            push(chain(s, Hook::Ingress, None));
        }
        if spec.direction.includes_out() {
            push(chain(s, Hook::Egress, None));
        }
    }
    if chains.is_empty() {
        return Err(
            "nothing is left to mirror once the destination and --exclude-iface are taken out"
                .into(),
        );
    }
    copy_once(host, &mut chains);
    let mut warnings = Vec::new();
    if !dest.up {
        warnings.push(format!(
            "destination '{}' is down: copies are dropped until it is up",
            dest.name
        ));
    }
    Ok(Plan {
        backend: Backend::Nft,
        chains,
        warnings,
    })
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

fn plan_l3(spec: &Spec, host: &Host, gateways: &[IpAddr]) -> Result<Plan, String> {
    let bridge = the_bridge(spec, host)?;
    let sources = source_interfaces(spec, host)?;
    // --bridge and --source narrow what is copied to traffic through them.
    let mut ins: Vec<String> = Vec::new();
    let mut outs: Vec<String> = Vec::new();
    if let Some(br) = bridge {
        ins.push(br.name.clone());
        outs.push(br.name.clone());
    }
    for s in &sources {
        if excluded(spec, &s.name) {
            continue;
        }
        if spec.direction.includes_in() && !ins.contains(&s.name) {
            ins.push(s.name.clone());
        }
        if spec.direction.includes_out() && !outs.contains(&s.name) {
            outs.push(s.name.clone());
        }
    }
    let narrowed = bridge.is_some() || !sources.is_empty();
    if narrowed && ins.is_empty() && outs.is_empty() {
        return Err("nothing is left to mirror once --exclude-iface is taken out".into());
    }
    let excluded_ifaces: Vec<&Interface> = host
        .interfaces
        .iter()
        .filter(|i| excluded(spec, &i.name))
        .collect();
    let mut warnings = Vec::new();
    let mut chains = Vec::new();
    for &gateway in gateways {
        let family = Family::of(gateway);
        // Never copy the monitor's own traffic, nor copies on their way to it.
        let mut skips: Vec<Rule> = [Side::Source, Side::Destination]
            .map(|side| Rule::SkipNet {
                side,
                net: IpNet::host(gateway),
            })
            .into();
        for &net in spec
            .exclude_nets
            .iter()
            .filter(|n| Family::of(n.addr()) == family)
        {
            skips.extend([Side::Source, Side::Destination].map(|side| Rule::SkipNet { side, net }));
        }
        for (hook, name, only) in [
            (Hook::Prerouting, "prerouting", &ins),
            (Hook::Output, "output", &outs),
        ] {
            if narrowed && only.is_empty() {
                continue;
            }
            let mut rules = skips.clone();
            if hook == Hook::Prerouting {
                rules.extend(excluded_ifaces.iter().map(|i| Rule::SkipIface {
                    iface: i.name.clone(),
                    bridge_port: i.master.is_some(),
                }));
            }
            let copy = |only_iface: Option<String>| Rule::Copy {
                tag: Tag {
                    source: only_iface.clone().unwrap_or_else(|| "*".into()),
                    source_index: None,
                    hook,
                    dest: gateway.to_string(),
                    dest_index: None,
                    bridge: None,
                    glob: None,
                    excluded: Vec::new(),
                },
                target: Target::Gateway(gateway),
                only_iface,
            };
            if narrowed {
                rules.extend(only.iter().map(|i| copy(Some(i.clone()))));
            } else {
                rules.push(copy(None));
            }
            chains.push(Chain {
                family,
                name: name.to_string(),
                hook,
                device: None,
                rules,
            });
        }
        let (v4, v6) = host.br_netfilter.unwrap_or((false, false));
        let on = if family == Family::Ip { v4 } else { v6 };
        let has_bridge = bridge.is_some() || host.interfaces.iter().any(|i| i.is_bridge);
        if has_bridge && !on {
            let key = if family == Family::Ip {
                "iptables"
            } else {
                "ip6tables"
            };
            warnings.push(format!(
                "br_netfilter is off for {}: traffic bridged between guests is not copied; turn it on with `sysctl -w net.bridge.bridge-nf-call-{key}=1`",
                family.name()
            ));
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mirror::host::test_iface as iface;
    use crate::mirror::spec::SpecInput;

    fn host() -> Host {
        Host {
            interfaces: vec![
                iface("xenbr0", 2, None),
                iface("vif1.0", 3, Some("xenbr0")),
                iface("vif2.0", 4, Some("xenbr0")),
                iface("vif3.0", 5, Some("xenbr0")),
                iface("uplink", 6, Some("xenbr0")),
                iface("vifmon", 7, None),
                iface("drbd0", 8, None),
                iface("tap@x", 9, None),
            ],
            br_netfilter: Some((true, true)),
        }
    }

    fn spec(f: impl FnOnce(&mut SpecInput)) -> Spec {
        let mut input = SpecInput {
            bridge: Some("xenbr0".into()),
            to: Some("vifmon".into()),
            ..SpecInput::default()
        };
        f(&mut input);
        input.resolve().unwrap()
    }

    fn names(plan: &Plan) -> Vec<(String, Option<String>)> {
        plan.chains
            .iter()
            .map(|c| (c.name.clone(), c.device.clone()))
            .collect()
    }

    #[test]
    fn l2_hooks_every_port_in_and_the_bridge_out() {
        let plan = plan(&spec(|s| s.exclude_iface = vec!["vif3.*".into()]), &host()).unwrap();
        let chains: Vec<String> = names(&plan).into_iter().map(|(n, _)| n).collect();
        assert_eq!(
            chains,
            ["in-vif1.0", "in-vif2.0", "in-uplink", "out-xenbr0"]
        );
        assert!(plan.chains.iter().all(|c| c.family == Family::Netdev));
        let Rule::Copy { target, tag, .. } = plan.chains[0].rules.last().unwrap() else {
            panic!("the copy comes last");
        };
        assert_eq!(*target, Target::Port("vifmon".into()));
        assert_eq!((tag.source_index, tag.dest_index), (Some(3), Some(7)));
        let Rule::Copy { tag, .. } = plan.chains[3].rules.last().unwrap() else {
            panic!()
        };
        assert_eq!(
            tag.excluded,
            ["vif3.*"],
            "the bridge's rule records the exclusions"
        );
    }

    #[test]
    fn excluded_networks_are_skipped_both_ways_before_the_copy() {
        let plan = plan(
            &spec(|s| s.exclude_net = vec!["198.19.0.0/24".into()]),
            &host(),
        )
        .unwrap();
        let rules = &plan.chains[0].rules;
        assert_eq!(rules.len(), 3);
        assert!(matches!(
            rules[0],
            Rule::SkipNet {
                side: Side::Source,
                ..
            }
        ));
        assert!(matches!(
            rules[1],
            Rule::SkipNet {
                side: Side::Destination,
                ..
            }
        ));
    }

    #[test]
    fn sources_follow_globs_and_direction_and_never_include_the_destination() {
        let plan = plan(
            &spec(|s| {
                s.bridge = None;
                s.source = vec!["vif*".into()];
                s.direction = Some("out".into());
            }),
            &host(),
        )
        .unwrap();
        let chains: Vec<String> = names(&plan).into_iter().map(|(n, _)| n).collect();
        assert_eq!(
            chains,
            ["out-vif1.0", "out-vif2.0", "out-vif3.0"],
            "vifmon is never a source"
        );
        let odd = super::plan(
            &spec(|s| {
                s.bridge = None;
                s.source = vec!["tap@x".into()];
            }),
            &host(),
        )
        .unwrap();
        assert_eq!(names(&odd)[0].0, "in-tap_x-9");
        assert_eq!(names(&odd)[0].1.as_deref(), Some("tap@x"));
    }

    #[test]
    fn a_frame_between_two_sources_is_marked_to_be_copied_once() {
        let planned = super::plan(
            &spec(|s| {
                s.bridge = None;
                s.source = vec!["vif1.*".into(), "vif2.0".into(), "drbd0".into()];
            }),
            &host(),
        )
        .unwrap();
        let forward = planned.chains.iter().find(|c| c.family == Family::Bridge);
        let ports = vec!["vif1.0".to_string(), "vif2.0".to_string()];
        assert_eq!(
            forward.map(|c| (c.hook, c.rules.clone())),
            Some((
                Hook::Forward,
                vec![Rule::MarkCopied {
                    from: vec!["drbd0".into(), "vif1.0".into(), "vif2.0".into()],
                    to: ports.clone(),
                }]
            ))
        );
        for chain in &planned.chains {
            let bridged_out =
                chain.hook == Hook::Egress && ports.contains(chain.device.as_ref().unwrap());
            assert_eq!(
                chain.rules.first() == Some(&Rule::SkipCopied),
                bridged_out,
                "{}",
                chain.name
            );
        }
        // The whole bridge and one of its ports outwards: what the host sends is copied at the
        // bridge, so not again at the port.
        let planned = super::plan(
            &spec(|s| {
                s.source = vec!["vif1.0".into()];
                s.direction = Some("out".into());
            }),
            &host(),
        )
        .unwrap();
        let marking: Vec<(Hook, &Vec<Rule>)> = planned
            .chains
            .iter()
            .filter(|c| c.family == Family::Bridge)
            .map(|c| (c.hook, &c.rules))
            .collect();
        assert_eq!(marking.len(), 2, "{marking:?}");
        assert_eq!(
            marking[1],
            (
                Hook::Output,
                &vec![Rule::MarkCopied {
                    from: vec![],
                    to: vec!["vif1.0".into()]
                }]
            )
        );
        // One way only, or one source: nothing to mark.
        for f in [
            (|s: &mut SpecInput| {
                s.bridge = None;
                s.source = vec!["vif*".into()];
                s.direction = Some("in".into());
            }) as fn(&mut SpecInput),
            |s| {
                s.bridge = None;
                s.source = vec!["drbd0".into()];
            },
        ] {
            let planned = super::plan(&spec(f), &host()).unwrap();
            assert!(planned.chains.iter().all(|c| c.family == Family::Netdev));
        }
    }

    #[test]
    fn refusals_say_what_to_do() {
        let refused = |f: fn(&mut SpecInput), needle: &str| {
            let err = plan(&spec(f), &host()).unwrap_err();
            assert!(err.contains(needle), "{err}");
        };
        refused(|s| s.to = Some("vif2.0".into()), "--allow-bridged-monitor");
        refused(|s| s.to = Some("nope".into()), "does not exist");
        refused(|s| s.bridge = Some("drbd0".into()), "not a bridge");
        refused(|s| s.source = vec!["vifmon".into()], "also a --source");
        refused(|s| s.source = vec!["eth*".into()], "matches no interface");
        refused(
            |s| {
                s.bridge = None;
                s.source = vec!["vif1.0".into()];
                s.exclude_iface = vec!["vif*".into()];
            },
            "nothing is left",
        );
        let allowed = plan(
            &spec(|s| {
                s.to = Some("vif2.0".into());
                s.allow_bridged_monitor = Some(true);
            }),
            &host(),
        )
        .unwrap();
        assert!(
            !names(&allowed).iter().any(|(n, _)| n == "in-vif2.0"),
            "still never a source"
        );
    }

    #[test]
    fn l3_skips_the_gateway_and_narrows_to_the_bridge() {
        let spec = spec(|s| {
            s.to = None;
            s.gateway = vec!["198.18.200.2".into()];
            s.exclude_iface = vec!["vif3.0".into(), "drbd0".into()];
            s.exclude_net = vec!["2001:db8:d::/48".into(), "198.19.0.0/24".into()];
        });
        let plan = plan(&spec, &host()).unwrap();
        assert_eq!(plan.families(), [Family::Ip]);
        let pre = &plan.chains[0];
        assert_eq!(
            (pre.name.as_str(), pre.hook),
            ("prerouting", Hook::Prerouting)
        );
        let gw = IpNet::host("198.18.200.2".parse().unwrap());
        assert_eq!(
            pre.rules[0],
            Rule::SkipNet {
                side: Side::Source,
                net: gw
            }
        );
        assert_eq!(
            pre.rules[1],
            Rule::SkipNet {
                side: Side::Destination,
                net: gw
            }
        );
        // Only the IPv4 network applies to an IPv4 gateway.
        assert_eq!(
            pre.rules
                .iter()
                .filter(|r| matches!(r, Rule::SkipNet { .. }))
                .count(),
            4
        );
        assert!(pre.rules.contains(&Rule::SkipIface {
            iface: "vif3.0".into(),
            bridge_port: true
        }));
        assert!(pre.rules.contains(&Rule::SkipIface {
            iface: "drbd0".into(),
            bridge_port: false
        }));
        assert!(
            matches!(pre.rules.last(), Some(Rule::Copy { only_iface: Some(i), .. }) if i == "xenbr0")
        );
        let out = &plan.chains[1];
        assert!(
            !out.rules
                .iter()
                .any(|r| matches!(r, Rule::SkipIface { .. }))
        );
        assert!(
            plan.warnings.iter().any(|w| w.contains("physdev")),
            "{:?}",
            plan.warnings
        );
    }

    #[test]
    fn l3_warns_when_br_netfilter_is_off() {
        let mut h = host();
        h.br_netfilter = Some((false, true));
        let spec = spec(|s| {
            s.to = None;
            s.gateway = vec!["198.18.200.2".into(), "2001:db8::2".into()];
        });
        let plan = plan(&spec, &h).unwrap();
        assert_eq!(plan.families(), [Family::Ip, Family::Ip6]);
        assert_eq!(plan.warnings.len(), 1);
        assert!(plan.warnings[0].contains("bridge-nf-call-iptables=1"));
    }
}
