//! Whether a port can receive the copies: the one judgement `apply`, `plan` and `check` share.
//! A wrong destination does not fail, it corrupts traffic: copies sent to the mirrored bridge
//! are flooded back to every guest, copies to a source are copied again, copies to a bridge
//! port also reach that bridge's other ports, and `lo` hands them to the host's own stack.

use std::fmt;

use super::host::{Host, Interface};
use super::spec::Spec;

/// Why copies must not go to a destination, and what to do instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub problem: String,
    pub fix: String,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.problem, self.fix)
    }
}

const ELSEWHERE: &str =
    "name the monitor's own capture port with --to (a port off every bridge, e.g. vifmon)";

/// Refuses `dest` as the destination of `spec` on `host`, where copies sent there would loop,
/// be copied again or reach the guests. `sources` are the interfaces the SPEC mirrors.
pub fn refusal(
    spec: &Spec,
    host: &Host,
    dest: &Interface,
    sources: &[&Interface],
) -> Option<Refusal> {
    let refuse = |problem: String, fix: &str| {
        Some(Refusal {
            problem,
            fix: fix.to_string(),
        })
    };
    let name = &dest.name;
    if dest.loopback {
        return refuse(
            format!(
                "destination '{name}' is the loopback: copies would be handed to this host's own network stack"
            ),
            ELSEWHERE,
        );
    }
    let mirrored_bridges: Vec<&str> = spec
        .bridge
        .iter()
        .map(String::as_str)
        .chain(sources.iter().filter_map(|s| s.master.as_deref()))
        .collect();
    if dest.is_bridge && mirrored_bridges.contains(&name.as_str()) {
        return refuse(
            format!(
                "destination '{name}' is the mirrored bridge: it would flood every copy back to the guests"
            ),
            ELSEWHERE,
        );
    }
    if spec.sources.iter().any(|p| p == name) {
        return refuse(
            format!("destination '{name}' is also a --source: its copies would be copied again"),
            "drop it from --source, or name another port with --to",
        );
    }
    match &dest.master {
        Some(master)
            if host.get(master).is_some_and(|m| m.is_bridge) && !spec.allow_bridged_monitor =>
        {
            refuse(
                format!(
                    "destination '{name}' is a port of bridge '{master}': the copies would also reach its other ports, and it would get the bridge's flooding"
                ),
                &format!(
                    "take it off the bridge (ip link set {name} nomaster), or pass --allow-bridged-monitor if that is really wanted"
                ),
            )
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mirror::host::test_iface;
    use crate::mirror::spec::SpecInput;

    fn host() -> Host {
        let mut lo = test_iface("lo", 1, None);
        lo.loopback = true;
        Host {
            interfaces: vec![
                lo,
                test_iface("xenbr0", 2, None),
                test_iface("vif1.0", 3, Some("xenbr0")),
                test_iface("vif2.0", 4, Some("xenbr0")),
                test_iface("xenbr1", 5, None),
                test_iface("vif5.0", 6, Some("xenbr1")),
                test_iface("vifmon", 7, None),
            ],
            br_netfilter: None,
        }
    }

    fn judged(f: impl FnOnce(&mut SpecInput), to: &str) -> Option<String> {
        let mut input = SpecInput {
            bridge: Some("xenbr0".into()),
            to: Some(to.into()),
            ..SpecInput::default()
        };
        f(&mut input);
        let spec = input.resolve().unwrap();
        let host = host();
        let sources: Vec<&Interface> = spec.sources.iter().filter_map(|s| host.get(s)).collect();
        refusal(&spec, &host, host.get(to).unwrap(), &sources).map(|r| r.to_string())
    }

    #[test]
    fn the_bridge_its_ports_lo_and_sources_are_refused_with_a_fix() {
        let bridge = judged(|_| {}, "xenbr0").unwrap();
        assert!(bridge.contains("'xenbr0' is the mirrored bridge") && bridge.contains("--to"));
        let by_source = judged(
            |s| {
                s.bridge = None;
                s.source = vec!["vif1.0".into()];
            },
            "xenbr0",
        );
        assert!(by_source.unwrap().contains("mirrored bridge"));
        let port = judged(|_| {}, "vif2.0").unwrap();
        assert!(
            port.contains("port of bridge 'xenbr0'") && port.contains("--allow-bridged-monitor")
        );
        let other_bridge_port = judged(|_| {}, "vif5.0").unwrap();
        assert!(other_bridge_port.contains("port of bridge 'xenbr1'"));
        assert!(judged(|_| {}, "lo").unwrap().contains("loopback"));
        let source = judged(
            |s| {
                s.bridge = None;
                s.source = vec!["vif1.0".into(), "vifmon".into()];
            },
            "vifmon",
        );
        assert!(source.unwrap().contains("also a --source"));
    }

    #[test]
    fn allowed_where_the_copies_stay_apart() {
        assert_eq!(judged(|_| {}, "vifmon"), None);
        assert_eq!(
            judged(|s| s.allow_bridged_monitor = Some(true), "vif2.0"),
            None
        );
        assert!(
            judged(|s| s.allow_bridged_monitor = Some(true), "xenbr0").is_some(),
            "never the bridge itself"
        );
        // Another bridge is only refused as a port of the mirrored one would be.
        assert_eq!(
            judged(
                |s| {
                    s.bridge = None;
                    s.source = vec!["vif1.0".into()];
                },
                "xenbr1"
            ),
            None
        );
    }
}
