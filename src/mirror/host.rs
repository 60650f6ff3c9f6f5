//! What the host's network looks like: its interfaces, their bridges, and br_netfilter.
//!
//! Interfaces come from `ip -j -s -d link show` (netlink, so they are the current network
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
    /// Whether the link has carrier: a monitor VM's port is up but carrier-less while the VM
    /// is stopped, and frames sent to it are dropped.
    pub carrier: bool,
    pub mtu: u32,
    /// Frames the device dropped on the way out: copies that did not reach the monitor.
    pub tx_dropped: u64,
    /// The link type (`ip -d link`'s kind: veth, bridge, vxlan, ...), where it has one.
    pub kind: Option<String>,
    /// The interface's alias, in which the tool describes the tunnel it made.
    pub alias: Option<String>,
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
            .args(["-j", "-s", "-d", "link", "show"])
            .output()
            .context("cannot run `ip` (iproute2): install it, e.g. apt-get install iproute2")?;
        if !out.status.success() {
            bail!(
                "`ip -j -s -d link show` failed: {}",
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

/// The host of most unit tests: bridge xenbr0 with guests vif1.0 and vif2.0, and the monitor's
/// port vifmon off the bridge.
#[cfg(test)]
pub fn test_host() -> Host {
    Host {
        interfaces: vec![
            test_iface("xenbr0", 2, None),
            test_iface("vif1.0", 3, Some("xenbr0")),
            test_iface("vif2.0", 4, Some("xenbr0")),
            test_iface("vifmon", 5, None),
        ],
        br_netfilter: None,
    }
}

/// An interface for tests: up with carrier, MTU 1500, and a bridge when its name starts with
/// "xenbr".
#[cfg(test)]
pub fn test_iface(name: &str, index: u32, master: Option<&str>) -> Interface {
    Interface {
        name: name.into(),
        index,
        master: master.map(str::to_string),
        is_bridge: name.starts_with("xenbr"),
        up: true,
        loopback: false,
        carrier: true,
        mtu: 1500,
        tx_dropped: 0,
        kind: None,
        alias: None,
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
    #[serde(default)]
    mtu: u32,
    stats64: Option<Stats>,
    ifalias: Option<String>,
}

#[derive(Deserialize)]
struct Stats {
    tx: Counters,
}

#[derive(Deserialize)]
struct Counters {
    #[serde(default)]
    dropped: u64,
}

#[derive(Deserialize)]
struct LinkInfo {
    info_kind: Option<String>,
}

/// Parses `ip -j -s -d link show`.
pub fn parse_links(json: &[u8]) -> Result<Vec<Interface>, serde_json::Error> {
    let links: Vec<Link> = serde_json::from_slice(json)?;
    Ok(links
        .into_iter()
        .map(|l| Interface {
            is_bridge: l.linkinfo.as_ref().and_then(|i| i.info_kind.as_deref()) == Some("bridge"),
            kind: l.linkinfo.and_then(|i| i.info_kind),
            alias: l.ifalias,
            up: l.flags.iter().any(|f| f == "UP"),
            loopback: l.flags.iter().any(|f| f == "LOOPBACK"),
            // iproute2 names the lack of carrier only on a link that is up; one that is down
            // has none either.
            carrier: l.flags.iter().any(|f| f == "LOWER_UP"),
            mtu: l.mtu,
            tx_dropped: l.stats64.map_or(0, |s| s.tx.dropped),
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
            {"ifindex":2,"ifname":"xenbr0","flags":["UP","LOWER_UP"],"mtu":9000,"linkinfo":{"info_kind":"bridge"}},
            {"ifindex":3,"ifname":"vif1.0","flags":["NO-CARRIER","UP"],"master":"xenbr0","linkinfo":{"info_kind":"veth"},
             "stats64":{"rx":{"dropped":1},"tx":{"packets":9,"dropped":7}}}
        ]"#;
        let links = parse_links(json).unwrap();
        assert_eq!(links.len(), 3);
        assert!(links[0].loopback && !links[1].loopback);
        assert!(links[1].is_bridge && links[1].up && links[1].carrier);
        assert_eq!(links[1].mtu, 9000);
        assert_eq!(links[2].master.as_deref(), Some("xenbr0"));
        assert!(links[2].up && !links[2].carrier);
        assert_eq!((links[1].tx_dropped, links[2].tx_dropped), (0, 7));
        let host = Host {
            interfaces: links,
            br_netfilter: None,
        };
        let ports: Vec<_> = host.ports_of("xenbr0").map(|i| i.name.as_str()).collect();
        assert_eq!(ports, ["vif1.0"]);
    }
}
