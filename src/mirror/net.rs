//! IP networks in CIDR form, as `--exclude-net` takes them.

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

/// An IPv4 or IPv6 network: an address with its host bits zero, and a prefix length.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct IpNet {
    addr: IpAddr,
    len: u8,
}

impl IpNet {
    pub fn addr(&self) -> IpAddr {
        self.addr
    }

    pub fn prefix_len(&self) -> u8 {
        self.len
    }

    pub fn is_ipv4(&self) -> bool {
        self.addr.is_ipv4()
    }

    /// The network of one address (/32 or /128).
    pub fn host(addr: IpAddr) -> IpNet {
        IpNet {
            addr,
            len: max_len(addr),
        }
    }

    /// Whether `addr` lies in this network.
    pub fn contains(&self, addr: IpAddr) -> bool {
        match (self.addr, addr) {
            (IpAddr::V4(net), IpAddr::V4(a)) => mask_v4(u32::from(a), self.len) == u32::from(net),
            (IpAddr::V6(net), IpAddr::V6(a)) => mask_v6(u128::from(a), self.len) == u128::from(net),
            _ => false,
        }
    }
}

fn max_len(addr: IpAddr) -> u8 {
    if addr.is_ipv4() { 32 } else { 128 }
}

fn mask_v4(bits: u32, len: u8) -> u32 {
    if len == 0 {
        0
    } else {
        bits & (u32::MAX << (32 - u32::from(len)))
    }
}

fn mask_v6(bits: u128, len: u8) -> u128 {
    if len == 0 {
        0
    } else {
        bits & (u128::MAX << (128 - u32::from(len)))
    }
}

impl FromStr for IpNet {
    type Err = String;

    /// `198.18.0.0/15`, `2001:db8::/32`, or a bare address for one host. Host bits must be
    /// zero: `198.18.0.1/24` is more likely a typo than a wish to mean `198.18.0.0/24`.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let bad = || {
            format!(
                "'{text}' is not a network: write it as ADDRESS/LENGTH, e.g. 198.18.0.0/15 or 2001:db8::/32"
            )
        };
        let (addr, len) = match text.split_once('/') {
            Some((a, l)) => (a, Some(l)),
            None => (text, None),
        };
        let addr: IpAddr = addr.parse().map_err(|_| bad())?;
        let max = max_len(addr);
        let len = match len {
            None => max,
            Some(l) if !l.is_empty() && l.bytes().all(|b| b.is_ascii_digit()) => {
                l.parse::<u8>().ok().filter(|&n| n <= max).ok_or_else(|| {
                    format!("'{text}': a prefix length is 0 to {max} for this address family")
                })?
            }
            Some(_) => return Err(bad()),
        };
        let net = match addr {
            IpAddr::V4(a) => IpAddr::from(mask_v4(u32::from(a), len).to_be_bytes()),
            IpAddr::V6(a) => IpAddr::from(mask_v6(u128::from(a), len).to_be_bytes()),
        };
        if net != addr {
            return Err(format!(
                "'{text}' has host bits set: did you mean {net}/{len}?"
            ));
        }
        Ok(IpNet { addr, len })
    }
}

impl fmt::Display for IpNet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.addr, self.len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_networks_and_hosts() {
        let n: IpNet = "198.18.0.0/15".parse().unwrap();
        assert_eq!(
            (n.to_string(), n.prefix_len()),
            ("198.18.0.0/15".to_string(), 15)
        );
        assert!(n.contains("198.19.255.1".parse().unwrap()));
        assert!(!n.contains("198.20.0.1".parse().unwrap()));
        assert!(!n.contains("2001:db8::1".parse().unwrap()));
        let h: IpNet = "198.18.0.7".parse().unwrap();
        assert_eq!(h.to_string(), "198.18.0.7/32");
        let v6: IpNet = "2001:db8::/32".parse().unwrap();
        assert!(v6.contains("2001:db8:1::5".parse().unwrap()));
        assert_eq!("0.0.0.0/0".parse::<IpNet>().unwrap().prefix_len(), 0);
        assert!(
            "0.0.0.0/0"
                .parse::<IpNet>()
                .unwrap()
                .contains("8.8.8.8".parse().unwrap())
        );
        assert_eq!("::/0".parse::<IpNet>().unwrap().prefix_len(), 0);
    }

    #[test]
    fn refuses_what_is_not_a_network() {
        for bad in [
            "",
            "/",
            "198.18.0.0/",
            "198.18.0.0/33",
            "2001:db8::/129",
            "x/8",
            "1.2.3/8",
            "198.18.0.0/+1",
            "198.18.0.0/ 8",
        ] {
            assert!(bad.parse::<IpNet>().is_err(), "{bad:?}");
        }
        let e = "198.18.0.1/24".parse::<IpNet>().unwrap_err();
        assert!(e.contains("did you mean 198.18.0.0/24"), "{e}");
    }

    proptest! {
        #[test]
        fn parsing_never_panics(text in ".{0,40}") {
            let _ = text.parse::<IpNet>();
        }

        #[test]
        fn display_round_trips(a in any::<u32>(), len in 0u8..=32) {
            let net = IpAddr::from(mask_v4(a, len).to_be_bytes());
            let text = format!("{net}/{len}");
            let parsed: IpNet = text.parse().unwrap();
            prop_assert_eq!(parsed.to_string(), text);
            prop_assert!(parsed.contains(IpAddr::from(a.to_be_bytes())));
        }
    }
}
