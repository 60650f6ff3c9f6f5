//! The planning rules: from a [`Spec`] and the [`Host`] as it is, the chains and rules that
//! mirror it. Pure: nothing here runs a command.

use std::net::IpAddr;

use super::glob;
use super::host::{Host, Interface};
use super::net::IpNet;
use super::spec::{Backend, Destination, Spec};
use super::tag::Tag;

/// The table family a chain lives in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
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
    /// The collector's tunnel device: the copy is marked as one on its way in, so that the
    /// packet it travels in is not copied in turn.
    Tunnel(String),
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
    /// First in an egress chain when copies also go to a collector: the tunnel's own packets
    /// (marked [`crate::mirror::collector::TUNNELLED`]) leave through the mirrored bridge
    /// when the collector is reached through its uplink, and are never copied.
    SkipTunnelled,
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
    /// How many rules copy.
    pub fn copying_rules(&self) -> usize {
        self.chains
            .iter()
            .flat_map(|c| &c.rules)
            .filter(|r| matches!(r, Rule::Copy { .. }))
            .count()
    }

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
        Destination::Frames { port, collector } => {
            l2::plan(spec, host, port.as_deref(), collector.is_some())
        }
        Destination::Gateways(gateways) => l3::plan(spec, host, gateways),
    }
}

mod l2;
mod l3;

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mirror::host::test_iface as iface;
    use crate::mirror::spec::{Direction, SpecInput};

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
    fn a_collector_gets_its_own_copy_and_its_tunnel_is_never_copied() {
        let mut h = host();
        h.interfaces.push(iface("tmir0", 10, None));
        let planned = plan(
            &spec(|s| s.collector = Some("vxlan:198.51.100.7".into())),
            &h,
        )
        .unwrap();
        for chain in &planned.chains {
            let targets: Vec<&Target> = chain
                .rules
                .iter()
                .filter_map(|r| match r {
                    Rule::Copy { target, .. } => Some(target),
                    _ => None,
                })
                .collect();
            assert_eq!(
                targets,
                [
                    &Target::Port("vifmon".into()),
                    &Target::Tunnel("tmir0".into())
                ],
                "{}: each destination once",
                chain.name
            );
            assert_eq!(
                chain.rules.first() == Some(&Rule::SkipTunnelled),
                chain.hook == Hook::Egress,
                "{}: the tunnel's packets leave through egress chains only",
                chain.name
            );
        }
        let alone = plan(
            &spec(|s| {
                s.to = None;
                s.bridge = None;
                s.source = vec!["*".into()];
                s.direction = Some(Direction::In);
                s.collector = Some("vxlan:198.51.100.7".into());
            }),
            &h,
        )
        .unwrap();
        assert!(
            !names(&alone).iter().any(|(n, _)| n.contains("tmir0")),
            "the tunnel is never a source: {:?}",
            names(&alone)
        );
        assert_eq!(alone.copying_rules(), alone.chains.len());
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
                s.direction = Some(Direction::Out);
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
                s.direction = Some(Direction::Out);
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
                s.direction = Some(Direction::In);
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
