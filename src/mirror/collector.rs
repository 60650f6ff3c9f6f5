//! A central collector: every copy also goes, encapsulated, to a sensor elsewhere (Zeek,
//! Suricata, a switch's analyzer port) through a tunnel device the tool creates and owns. Pure:
//! what the tunnel is and what encapsulation costs; [`super::tunnel`] makes it.

use std::fmt;
use std::net::IpAddr;

/// The tunnel device's name. Every device whose name starts with [`OWNED_PREFIX`] and is a
/// tunnel is the tool's: `apply` replaces it when the SPEC changed and `remove` deletes it.
pub const TUNNEL: &str = "tmir0";
pub const OWNED_PREFIX: &str = "tmir";

/// The packet mark bit a copy carries onto the tunnel. The tunnel keeps the mark on the packet
/// it wraps the copy in (same network namespace), so the chains on the way out (the bridge's,
/// when the collector is reached through its uplink) know it for a copy and do not copy it
/// again. Set just before the `dup` and cleared right after, so the frame itself never has it.
pub const TUNNELLED: u32 = 0x0020_0000;

/// `vxlan:ADDR`, `gretap:ADDR` or `erspan:ADDR`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Vxlan,
    Gretap,
    Erspan,
}

impl Kind {
    const ALL: [Kind; 3] = [Kind::Vxlan, Kind::Gretap, Kind::Erspan];

    pub fn name(self) -> &'static str {
        match self {
            Kind::Vxlan => "vxlan",
            Kind::Gretap => "gretap",
            Kind::Erspan => "erspan",
        }
    }

    /// The `ip link` type for an underlay of this address family (GRE has one per family).
    pub fn link_type(self, v4: bool) -> &'static str {
        match (self, v4) {
            (Kind::Vxlan, _) => "vxlan",
            (Kind::Gretap, true) => "gretap",
            (Kind::Gretap, false) => "ip6gretap",
            (Kind::Erspan, true) => "erspan",
            (Kind::Erspan, false) => "ip6erspan",
        }
    }

    /// The kernel module that provides the link type.
    pub fn module(self, v4: bool) -> &'static str {
        match (self, v4) {
            (Kind::Vxlan, _) => "vxlan",
            (_, true) => "ip_gre",
            (_, false) => "ip6_gre",
        }
    }
}

/// Where copies are tunnelled to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Collector {
    pub kind: Kind,
    pub addr: IpAddr,
    /// The VXLAN network identifier, GRE key or ERSPAN session id: 24 bits (10 for ERSPAN).
    pub vni: u32,
    /// The collector's UDP port (VXLAN).
    pub port: u16,
}

pub const DEFAULT_VNI: u32 = 1;
pub const DEFAULT_PORT: u16 = 4789;
/// VXLAN identifiers are 24 bits.
const VNI_LIMIT: u32 = 1 << 24;
/// ERSPAN session ids are 10 bits.
const SESSION_LIMIT: u32 = 1 << 10;

impl fmt::Display for Collector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let addr = match self.addr {
            IpAddr::V4(a) => a.to_string(),
            IpAddr::V6(a) => format!("[{a}]"),
        };
        match self.kind {
            Kind::Vxlan => write!(f, "vxlan {addr}:{} vni {}", self.port, self.vni),
            kind => write!(f, "{} {addr} key {}", kind.name(), self.vni),
        }
    }
}

impl Collector {
    /// Parses `--collector KIND:ADDR` with `--vni` and `--collector-port`, each checked.
    pub fn parse(given: &str, vni: Option<u32>, port: Option<u16>) -> Result<Collector, String> {
        let hint = "give vxlan:ADDR, gretap:ADDR or erspan:ADDR with the collector's IPv4 or IPv6 address, e.g. vxlan:198.51.100.7";
        let (kind, addr) = given
            .split_once(':')
            .ok_or_else(|| format!("--collector '{given}' names no tunnel type: {hint}"))?;
        let kind = Kind::ALL
            .into_iter()
            .find(|k| k.name() == kind)
            .ok_or_else(|| {
                format!("--collector '{given}': unknown tunnel type '{kind}': {hint}")
            })?;
        let bare = addr
            .strip_prefix('[')
            .and_then(|a| a.strip_suffix(']'))
            .unwrap_or(addr);
        let addr: IpAddr = bare
            .parse()
            .map_err(|_| format!("--collector '{given}': '{addr}' is not an IP address: {hint}"))?;
        if addr.is_unspecified() || addr.is_multicast() || addr.is_loopback() {
            return Err(format!(
                "--collector '{given}': {addr} cannot be a collector: give its unicast address"
            ));
        }
        let vni = vni.unwrap_or(DEFAULT_VNI);
        let limit = if kind == Kind::Erspan {
            SESSION_LIMIT
        } else {
            VNI_LIMIT
        };
        if vni >= limit {
            return Err(format!(
                "--vni {vni} is out of range: a {} identifier is 0 to {}",
                kind.name(),
                limit - 1
            ));
        }
        if port.is_some() && kind != Kind::Vxlan {
            return Err(format!(
                "--collector-port is VXLAN's UDP port: {} has none; drop it",
                kind.name()
            ));
        }
        let port = port.unwrap_or(DEFAULT_PORT);
        if port == 0 {
            return Err(
                "--collector-port 0 is no port: give the collector's UDP port (VXLAN's is 4789)"
                    .into(),
            );
        }
        Ok(Collector {
            kind,
            addr,
            vni,
            port,
        })
    }

    /// Bytes each copy grows by: the outer IP header, UDP and VXLAN (8 + 8) or GRE (4, 8 with
    /// a key, and ERSPAN's 8 more), and the copied frame's own Ethernet header, which the
    /// tunnel carries.
    pub fn overhead(&self) -> u32 {
        let ip = if self.addr.is_ipv4() { 20 } else { 40 };
        let tunnel = match self.kind {
            Kind::Vxlan => 16,
            Kind::Gretap => 8,
            Kind::Erspan => 16,
        };
        ip + tunnel + 14
    }

    /// What encapsulation does to a frame of a source with `mtu` sent over an underlay of
    /// `underlay_mtu`, in one sentence for `check`; `Err` (with the fix) where such copies are
    /// lost. IPv4 fragments the tunnel's packets (the tunnel leaves DF unset); IPv6 does not
    /// fragment a packet the host forwards for a device, so the kernel drops it.
    pub fn encapsulation(&self, mtu: u32, underlay_mtu: u32) -> Result<String, (String, String)> {
        let packet = mtu + self.overhead();
        let head = format!(
            "{} adds {} bytes: a full {mtu}-byte IP packet becomes a {packet}-byte {} packet",
            self.kind.name(),
            self.overhead(),
            if self.addr.is_ipv4() { "IPv4" } else { "IPv6" }
        );
        let jumbo = format!(
            "raise the MTU of the path to the collector to {packet} or more (jumbo frames)"
        );
        if packet <= underlay_mtu {
            Ok(format!(
                "{head}, within the underlay's MTU of {underlay_mtu}: sent whole"
            ))
        } else if self.addr.is_ipv4() {
            Ok(format!(
                "{head}, over the underlay's MTU of {underlay_mtu}: it leaves in two fragments, which doubles the packet rate, and the collector reassembles; {jumbo} to avoid that"
            ))
        } else {
            Err((
                format!(
                    "{head}, over the underlay's MTU of {underlay_mtu}: IPv6 does not fragment it, so copies of frames larger than {} bytes are dropped",
                    underlay_mtu.saturating_sub(self.overhead())
                ),
                format!("{jumbo}, or reach the collector over IPv4, which fragments them"),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_each_kind_and_family() {
        let c = Collector::parse("vxlan:198.51.100.7", None, None).unwrap();
        assert_eq!((c.kind, c.vni, c.port), (Kind::Vxlan, 1, 4789));
        assert_eq!(c.to_string(), "vxlan 198.51.100.7:4789 vni 1");
        let c = Collector::parse("vxlan:[2001:db8::7]", Some(16_777_215), Some(8472)).unwrap();
        assert_eq!(c.to_string(), "vxlan [2001:db8::7]:8472 vni 16777215");
        let c = Collector::parse("gretap:2001:db8::7", Some(0), None).unwrap();
        assert_eq!(
            (c.kind.link_type(c.addr.is_ipv4()), c.vni),
            ("ip6gretap", 0)
        );
        assert_eq!(
            Collector::parse("erspan:198.51.100.7", None, None)
                .unwrap()
                .kind
                .module(true),
            "ip_gre"
        );
    }

    #[test]
    fn bad_input_is_refused_with_a_hint() {
        for (given, vni, port, needle) in [
            ("198.51.100.7", None, None, "names no tunnel type"),
            ("geneve:198.51.100.7", None, None, "unknown tunnel type"),
            ("vxlan:collector", None, None, "not an IP address"),
            ("vxlan:198.51.100.300", None, None, "not an IP address"),
            ("vxlan:0.0.0.0", None, None, "unicast"),
            ("vxlan:198.51.100.7", Some(1 << 24), None, "0 to 16777215"),
            ("erspan:198.51.100.7", Some(1024), None, "0 to 1023"),
            ("vxlan:198.51.100.7", None, Some(0), "--collector-port 0"),
            ("gretap:198.51.100.7", None, Some(4789), "has none"),
        ] {
            let err = Collector::parse(given, vni, port).unwrap_err();
            assert!(err.contains(needle), "{given}: {err}");
            assert!(!err.contains('\n'));
        }
    }

    #[test]
    fn says_when_full_size_frames_are_fragmented() {
        let v4 = Collector::parse("vxlan:198.51.100.7", None, None).unwrap();
        assert_eq!(v4.overhead(), 50);
        assert!(
            v4.encapsulation(1500, 1500)
                .unwrap()
                .contains("two fragments")
        );
        assert!(v4.encapsulation(1500, 1550).unwrap().contains("sent whole"));
        let v6 = Collector::parse("vxlan:2001:db8::7", None, None).unwrap();
        assert_eq!(v6.overhead(), 70);
        let (lost, fix) = v6.encapsulation(1500, 1500).unwrap_err();
        assert!(
            lost.contains("larger than 1430 bytes are dropped"),
            "{lost}"
        );
        assert!(fix.contains("1570"), "{fix}");
        assert!(v6.encapsulation(1500, 1570).is_ok());
    }
}
