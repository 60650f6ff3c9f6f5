//! What to mirror, from flags and an optional TOML file (flags win): the SPEC of every
//! `tool mirror` verb, checked for sense before anything looks at the host.

use std::net::IpAddr;

use serde::Deserialize;

use super::collector::Collector;
use super::net::IpNet;

/// Where copies go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    /// L2: frames are duplicated (nftables netdev `dup`) onto the monitor VM's capture port,
    /// into the tunnel to a central collector, or both; at least one of them.
    Frames {
        port: Option<String>,
        collector: Option<Collector>,
    },
    /// L3, the post's way: copies routed to the monitor's address, at most one per family.
    Gateways(Vec<IpAddr>),
}

impl Destination {
    /// The capture port of an L2 destination.
    pub fn port(&self) -> Option<&str> {
        match self {
            Destination::Frames { port, .. } => port.as_deref(),
            Destination::Gateways(_) => None,
        }
    }

    pub fn collector(&self) -> Option<&Collector> {
        match self {
            Destination::Frames { collector, .. } => collector.as_ref(),
            Destination::Gateways(_) => None,
        }
    }
}

impl std::fmt::Display for Destination {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Destination::Frames { port, collector } => {
                let parts: Vec<String> = port
                    .iter()
                    .map(String::to_string)
                    .chain(collector.iter().map(|c| format!("collector {c}")))
                    .collect();
                f.write_str(&parts.join(" and "))
            }
            Destination::Gateways(g) => {
                let addrs: Vec<String> = g.iter().map(IpAddr::to_string).collect();
                f.write_str(&addrs.join(" and "))
            }
        }
    }
}

/// Which way traffic of a `--source` port is copied.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Default,
    clap::ValueEnum,
    serde::Deserialize,
    serde::Serialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    In,
    Out,
    #[default]
    Both,
}

impl Direction {
    pub fn includes_in(self) -> bool {
        matches!(self, Direction::In | Direction::Both)
    }

    pub fn includes_out(self) -> bool {
        matches!(self, Direction::Out | Direction::Both)
    }
}

/// Which firewall does the copying.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Default,
    clap::ValueEnum,
    serde::Deserialize,
    serde::Serialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Backend {
    #[default]
    Nft,
    Iptables,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Backend::Nft => "nft",
            Backend::Iptables => "iptables",
        }
    }
}

/// A checked mirroring specification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spec {
    pub bridge: Option<String>,
    /// Names or globs.
    pub sources: Vec<String>,
    pub destination: Destination,
    /// Names or globs.
    pub exclude_ifaces: Vec<String>,
    pub exclude_nets: Vec<IpNet>,
    pub direction: Direction,
    pub backend: Backend,
    pub allow_bridged_monitor: bool,
}

crate::layered! {
/// The SPEC fields as given, on the command line or in the file; each may be missing. One
/// struct for both, so that a field cannot be in one and not the other.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, clap::Args)]
#[serde(deny_unknown_fields)]
pub struct SpecInput {
    /// Mirror every port of this bridge, and what the host sends through it
    #[arg(long, value_name = "BR")]
    pub bridge: Option<String>,

    /// Mirror this interface (repeatable; globs such as 'vif*')
    #[arg(long, value_name = "IFACE")]
    #[serde(default, deserialize_with = "one_or_many")]
    pub source: Vec<String>,

    /// L2: duplicate frames onto this interface, the monitor VM's capture port
    #[arg(long, value_name = "IFACE")]
    pub to: Option<String>,

    /// L3: route copies to this address, the monitor VM's (one per IP version)
    #[arg(long, value_name = "IP")]
    #[serde(default, deserialize_with = "one_or_many")]
    pub gateway: Vec<String>,

    /// L2: also (or only) send every copy through a tunnel to a central collector:
    /// vxlan:ADDR, gretap:ADDR or erspan:ADDR, IPv4 or IPv6
    #[arg(long, value_name = "KIND:ADDR")]
    pub collector: Option<String>,

    /// The collector tunnel's VXLAN network identifier (GRE key, ERSPAN session id), one per
    /// host [default: 1]
    #[arg(long, value_name = "N")]
    pub vni: Option<u32>,

    /// The collector's VXLAN UDP port [default: 4789]
    #[arg(long, value_name = "P")]
    pub collector_port: Option<u16>,

    /// Never copy frames received on this interface (repeatable; globs)
    #[arg(long, value_name = "IFACE")]
    #[serde(default, deserialize_with = "one_or_many")]
    pub exclude_iface: Vec<String>,

    /// Never copy a packet from or to this network (repeatable; IPv4 or IPv6 CIDR)
    #[arg(long, value_name = "CIDR")]
    #[serde(default, deserialize_with = "one_or_many")]
    pub exclude_net: Vec<String>,

    /// Which way --source ports are copied [default: both]
    #[arg(long, value_enum)]
    pub direction: Option<Direction>,

    /// nft, or iptables for the TEE target (L3 only) [default: nft]
    #[arg(long, value_enum)]
    pub backend: Option<Backend>,

    /// Accept a destination that is a port of a mirrored bridge (it also gets the flooding)
    // A flag that is `None` when not given, so that it does not override the file's `true`.
    #[arg(long, num_args = 0, default_missing_value = "true")]
    pub allow_bridged_monitor: Option<bool>,
}
}

fn one_or_many<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    Ok(match OneOrMany::deserialize(d)? {
        OneOrMany::One(s) => vec![s],
        OneOrMany::Many(v) => v,
    })
}

impl SpecInput {
    /// Parses a `--config` file's text.
    pub fn from_toml(text: &str) -> Result<SpecInput, String> {
        toml::from_str(text).map_err(|e| e.message().to_string())
    }

    /// These fields (the flags) over those of the TOML file `config`, if one is given.
    pub fn over_file(self, config: Option<&std::path::Path>) -> Result<SpecInput, String> {
        let Some(path) = config else {
            return Ok(self);
        };
        let text = std::fs::read_to_string(path).map_err(|e| {
            format!(
                "cannot read --config {}: {e}; check the path",
                path.display()
            )
        })?;
        let file =
            SpecInput::from_toml(&text).map_err(|e| format!("--config {}: {e}", path.display()))?;
        Ok(file.overridden_by(self))
    }

    /// Checks the fields for sense; the host is not consulted yet.
    pub fn resolve(self) -> Result<Spec, String> {
        if let Some(bridge) = &self.bridge {
            check_name(bridge, false, "--bridge")?;
        }
        for s in &self.source {
            check_name(s, true, "--source")?;
        }
        for s in &self.exclude_iface {
            check_name(s, true, "--exclude-iface")?;
        }
        let backend = self.backend.unwrap_or_default();
        let collector = match &self.collector {
            Some(given) => Some(Collector::parse(given, self.vni, self.collector_port)?),
            None if self.vni.is_some() || self.collector_port.is_some() => {
                return Err(
                    "--vni and --collector-port describe the tunnel to a --collector: give --collector vxlan:ADDR too, or drop them".into(),
                );
            }
            None => None,
        };
        let destination = match (self.to, self.gateway.is_empty(), collector) {
            (Some(_), false, _) => {
                return Err(
                    "give --to (an interface, L2) or --gateway (an address, L3), not both".into(),
                );
            }
            (None, false, Some(_)) => {
                return Err("--collector takes whole frames (L2): combine it with --to IFACE, or use it alone, not with --gateway".into());
            }
            (None, true, None) => {
                return Err("say where copies go: --to IFACE (the monitor's capture port), --gateway IP (its address) or --collector vxlan:ADDR (a central sensor)".into());
            }
            (port, true, collector) => {
                if let Some(name) = port.as_deref() {
                    check_name(name, false, "--to")?;
                }
                Destination::Frames { port, collector }
            }
            (None, false, None) => Destination::Gateways(parse_gateways(&self.gateway)?),
        };
        let frames = matches!(destination, Destination::Frames { .. });
        if backend == Backend::Iptables && frames {
            return Err("the iptables backend copies at L3 only (TEE --gateway): use --gateway IP, or --backend nft for --to and --collector".into());
        }
        if frames && self.bridge.is_none() && self.source.is_empty() {
            return Err(
                "name what to mirror: --bridge BR (all its ports) or --source IFACE".into(),
            );
        }
        if self.direction.is_some() && self.source.is_empty() {
            return Err(
                "--direction applies to --source ports; a --bridge is always mirrored whole".into(),
            );
        }
        let direction = self.direction.unwrap_or_default();
        let exclude_nets = self
            .exclude_net
            .iter()
            .map(|n| {
                n.parse::<IpNet>()
                    .map_err(|e| format!("--exclude-net: {e}"))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Spec {
            bridge: self.bridge,
            sources: self.source,
            destination,
            exclude_ifaces: self.exclude_iface,
            exclude_nets,
            direction,
            backend,
            allow_bridged_monitor: self.allow_bridged_monitor.unwrap_or(false),
        })
    }
}

fn parse_gateways(given: &[String]) -> Result<Vec<IpAddr>, String> {
    let mut gateways: Vec<IpAddr> = Vec::new();
    for g in given {
        let addr: IpAddr = g
            .parse()
            .map_err(|_| format!("--gateway '{g}' is not an IP address: give the monitor's address, e.g. 198.18.200.2"))?;
        if addr.is_unspecified() || addr.is_multicast() || addr.is_loopback() {
            return Err(format!(
                "--gateway {addr} cannot receive copies: give the monitor's unicast address"
            ));
        }
        if gateways.iter().any(|g| g.is_ipv4() == addr.is_ipv4()) {
            return Err(format!(
                "--gateway {addr}: give at most one IPv4 and one IPv6 gateway"
            ));
        }
        gateways.push(addr);
    }
    Ok(gateways)
}

/// Interface names are 1 to 15 bytes without '/', ':' or white space (the kernel's rule).
fn check_name(name: &str, glob_ok: bool, flag: &str) -> Result<(), String> {
    let bad_char = name
        .chars()
        .find(|&c| c == '/' || c == ':' || c.is_whitespace() || c.is_control());
    let glob_char = !glob_ok && super::glob::is_glob(name);
    if name.is_empty()
        || name.len() > 15
        || name == "."
        || name == ".."
        || bad_char.is_some()
        || glob_char
    {
        let hint = if glob_char {
            " (a glob is not allowed here)"
        } else {
            ""
        };
        return Err(format!(
            "{flag} '{name}' is not an interface name{hint}: names are 1 to 15 bytes without '/', ':' or spaces"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn input() -> SpecInput {
        SpecInput {
            bridge: Some("xenbr0".into()),
            to: Some("vifmon".into()),
            ..SpecInput::default()
        }
    }

    #[test]
    fn a_bridge_to_a_port() {
        let spec = input().resolve().unwrap();
        assert_eq!(spec.destination.port(), Some("vifmon"));
        assert_eq!(spec.backend, Backend::Nft);
        assert_eq!(spec.direction, Direction::Both);
    }

    #[test]
    fn senseless_specs_are_refused_with_a_hint() {
        let cases: Vec<(SpecInput, &str)> = vec![
            (
                SpecInput {
                    to: None,
                    ..input()
                },
                "say where copies go",
            ),
            (
                SpecInput {
                    gateway: vec!["198.18.200.2".into()],
                    ..input()
                },
                "not both",
            ),
            (
                SpecInput {
                    bridge: None,
                    ..input()
                },
                "name what to mirror",
            ),
            (
                SpecInput {
                    backend: Some(Backend::Iptables),
                    ..input()
                },
                "L3 only",
            ),
            (
                SpecInput {
                    direction: Some(Direction::In),
                    ..input()
                },
                "--direction applies",
            ),
            (
                SpecInput {
                    exclude_net: vec!["198.18.0.1/24".into()],
                    ..input()
                },
                "host bits",
            ),
            (
                SpecInput {
                    to: Some("vif*".into()),
                    ..input()
                },
                "glob is not allowed",
            ),
            (
                SpecInput {
                    bridge: Some("a-very-long-bridge-name".into()),
                    ..input()
                },
                "1 to 15 bytes",
            ),
            (
                SpecInput {
                    to: None,
                    gateway: vec!["monitor".into()],
                    ..input()
                },
                "not an IP address",
            ),
            (
                SpecInput {
                    to: None,
                    gateway: vec!["198.18.0.1".into(), "198.18.0.2".into()],
                    ..input()
                },
                "at most one IPv4",
            ),
            (
                SpecInput {
                    to: None,
                    gateway: vec!["0.0.0.0".into()],
                    ..input()
                },
                "cannot receive",
            ),
        ];
        for (spec, needle) in cases {
            let err = spec.clone().resolve().unwrap_err();
            assert!(err.contains(needle), "{spec:?}: {err}");
        }
    }

    #[test]
    fn a_collector_alone_or_with_a_port_from_flags_or_the_file() {
        let alone = SpecInput {
            to: None,
            collector: Some("vxlan:2001:db8::7".into()),
            vni: Some(42),
            ..input()
        }
        .resolve()
        .unwrap();
        assert_eq!(alone.destination.port(), None);
        assert_eq!(alone.destination.collector().map(|c| c.vni), Some(42));
        let file = SpecInput::from_toml(
            "bridge = \"xenbr0\"\nto = \"vifmon\"\ncollector = \"vxlan:198.51.100.7\"\nvni = 7\ncollector_port = 8472\n",
        )
        .unwrap()
        .resolve()
        .unwrap();
        assert_eq!(
            file.destination.to_string(),
            "vifmon and collector vxlan 198.51.100.7:8472 vni 7"
        );
        for (bad, needle) in [
            (
                SpecInput {
                    vni: Some(3),
                    ..input()
                },
                "give --collector",
            ),
            (
                SpecInput {
                    to: None,
                    gateway: vec!["198.18.0.2".into()],
                    collector: Some("vxlan:198.51.100.7".into()),
                    ..input()
                },
                "(L2)",
            ),
        ] {
            let err = bad.resolve().unwrap_err();
            assert!(err.contains(needle), "{err}");
        }
    }

    #[test]
    fn l3_needs_no_sources_and_takes_one_gateway_per_family() {
        let spec = SpecInput {
            gateway: vec!["198.18.200.2".into(), "2001:db8::2".into()],
            backend: Some(Backend::Iptables),
            ..SpecInput::default()
        }
        .resolve()
        .unwrap();
        assert!(matches!(spec.destination, Destination::Gateways(ref g) if g.len() == 2));
    }

    #[test]
    fn config_files_and_flags_merge() {
        let file = SpecInput::from_toml(
            r#"
            bridge = "xenbr0"
            to = "vifmon"
            exclude_iface = "vif3.0"
            exclude_net = ["198.19.0.0/24", "2001:db8:d::/48"]
            allow_bridged_monitor = false
            "#,
        )
        .unwrap();
        assert_eq!(file.exclude_iface, ["vif3.0"]);
        let flags = SpecInput {
            to: Some("vifmon2".into()),
            ..SpecInput::default()
        };
        let merged = file.overridden_by(flags).resolve().unwrap();
        assert_eq!(merged.destination.port(), Some("vifmon2"));
        assert_eq!(merged.exclude_nets.len(), 2);
        let err = SpecInput::from_toml("brige = \"x\"").unwrap_err();
        assert!(err.contains("unknown field"), "{err}");
        let typed = SpecInput::from_toml("direction = \"out\"\nbackend = \"iptables\"").unwrap();
        assert_eq!(
            (typed.direction, typed.backend),
            (Some(Direction::Out), Some(Backend::Iptables))
        );
        for (bad, needle) in [
            ("direction = \"up\"", "`in`, `out`"),
            ("backend = \"pf\"", "`nft`"),
        ] {
            let err = SpecInput::from_toml(bad).unwrap_err();
            assert!(err.contains(needle), "{bad}: {err}");
        }
        assert!(SpecInput::from_toml("bridge = 3").is_err());
    }

    proptest! {
        #[test]
        fn config_parsing_never_panics(text in "\\PC{0,200}") {
            if let Ok(input) = SpecInput::from_toml(&text) {
                let _ = input.resolve();
            }
        }
    }
}
