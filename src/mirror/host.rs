//! What the host's network looks like: its interfaces, their bridges, and br_netfilter.
//!
//! Interfaces come from `ip -j -d link show` (netlink, so they are the current network
//! namespace's even where /sys was not remounted for it).

use std::process::Command;

use anyhow::{Context, bail};
use serde::Deserialize;

/// One network interface.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interface {
    pub name: String,
    pub index: u32,
    /// The bridge (or other master) it is enslaved to.
    pub master: Option<String>,
    pub is_bridge: bool,
    pub up: bool,
    pub loopback: bool,
}

/// The interfaces of a host and its br_netfilter settings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Host {
    pub interfaces: Vec<Interface>,
    /// Whether bridged IPv4 and IPv6 traffic passes the ip/ip6 hooks; `None` where
    /// br_netfilter is not loaded.
    pub br_netfilter: Option<(bool, bool)>,
}

impl Host {
    /// Reads the current network namespace.
    pub fn read() -> anyhow::Result<Host> {
        let out = Command::new("ip")
            .args(["-j", "-d", "link", "show"])
            .output()
            .context("cannot run `ip` (iproute2): install it, e.g. apt-get install iproute2")?;
        if !out.status.success() {
            bail!(
                "`ip -j -d link show` failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            );
        }
        let interfaces = parse_links(&out.stdout).context("cannot read `ip -j link` output")?;
        Ok(Host {
            interfaces,
            br_netfilter: read_br_netfilter(),
        })
    }

    pub fn get(&self, name: &str) -> Option<&Interface> {
        self.interfaces.iter().find(|i| i.name == name)
    }

    /// The ports of bridge `bridge`, in interface order.
    pub fn ports_of<'a>(&'a self, bridge: &'a str) -> impl Iterator<Item = &'a Interface> + 'a {
        self.interfaces
            .iter()
            .filter(move |i| i.master.as_deref() == Some(bridge))
    }
}

/// An interface for tests: up, and a bridge when its name starts with "xenbr".
#[cfg(test)]
pub fn test_iface(name: &str, index: u32, master: Option<&str>) -> Interface {
    Interface {
        name: name.into(),
        index,
        master: master.map(str::to_string),
        is_bridge: name.starts_with("xenbr"),
        up: true,
        loopback: false,
    }
}

#[derive(Deserialize)]
struct Link {
    ifindex: u32,
    ifname: String,
    master: Option<String>,
    #[serde(default)]
    flags: Vec<String>,
    linkinfo: Option<LinkInfo>,
}

#[derive(Deserialize)]
struct LinkInfo {
    info_kind: Option<String>,
}

/// Parses `ip -j -d link show`.
pub fn parse_links(json: &[u8]) -> Result<Vec<Interface>, serde_json::Error> {
    let links: Vec<Link> = serde_json::from_slice(json)?;
    Ok(links
        .into_iter()
        .map(|l| Interface {
            is_bridge: l.linkinfo.as_ref().and_then(|i| i.info_kind.as_deref()) == Some("bridge"),
            up: l.flags.iter().any(|f| f == "UP"),
            loopback: l.flags.iter().any(|f| f == "LOOPBACK"),
            name: l.ifname,
            index: l.ifindex,
            master: l.master,
        })
        .collect())
}

fn read_br_netfilter() -> Option<(bool, bool)> {
    let read = |name: &str| {
        std::fs::read_to_string(format!("/proc/sys/net/bridge/{name}"))
            .ok()
            .map(|v| v.trim() == "1")
    };
    Some((
        read("bridge-nf-call-iptables")?,
        read("bridge-nf-call-ip6tables")?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_ip_link_json() {
        let json = br#"[
            {"ifindex":1,"ifname":"lo","flags":["LOOPBACK","UP"]},
            {"ifindex":2,"ifname":"xenbr0","flags":["UP"],"linkinfo":{"info_kind":"bridge"}},
            {"ifindex":3,"ifname":"vif1.0","flags":[],"master":"xenbr0","linkinfo":{"info_kind":"veth"}}
        ]"#;
        let links = parse_links(json).unwrap();
        assert_eq!(links.len(), 3);
        assert!(links[1].is_bridge && links[1].up);
        assert!(links[0].loopback && !links[1].loopback);
        assert_eq!(links[2].master.as_deref(), Some("xenbr0"));
        assert!(!links[2].up);
        let host = Host {
            interfaces: links,
            br_netfilter: None,
        };
        let ports: Vec<_> = host.ports_of("xenbr0").map(|i| i.name.as_str()).collect();
        assert_eq!(ports, ["vif1.0"]);
    }
}
