//! Whether what was applied still copies: counters per source, and the ways mirroring silently
//! stops (a re-created monitor port or guest port, a port that joined the bridge since).

use super::glob;
use super::host::Host;
use super::plan::Hook;
use super::tag::Tag;

/// One copying rule of the tool's, wherever it lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Copying {
    /// `nft` or `iptables`/`ip6tables`.
    pub backend: &'static str,
    pub tag: Tag,
    pub packets: u64,
    pub bytes: u64,
    /// For nft `dup to DEVICE`: what the kernel's binding resolves to now.
    pub bound_to: Option<String>,
}

/// A source's report line.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SourceStatus {
    pub backend: &'static str,
    pub source: String,
    pub hook: &'static str,
    pub destination: String,
    pub packets: u64,
    pub bytes: u64,
    /// `ok` or `stale`.
    pub state: &'static str,
}

/// The whole report.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Status {
    /// `ok`, `stale`, or `absent` when the tool has nothing applied.
    pub state: &'static str,
    pub sources: Vec<SourceStatus>,
    /// Each reason the mirroring is stale, with what to do.
    pub problems: Vec<String>,
}

/// Judges the applied rules against the host as it is now.
pub fn evaluate(rules: &[Copying], host: &Host) -> Status {
    let mut problems = Vec::new();
    let mut sources = Vec::new();
    for rule in rules {
        let found = device_problems(rule, host);
        let state = if found.is_empty() { "ok" } else { "stale" };
        for p in found {
            // A re-created destination concerns every source: say it once.
            if !problems.contains(&p) {
                problems.push(p);
            }
        }
        sources.push(SourceStatus {
            backend: rule.backend,
            source: rule.tag.source.clone(),
            hook: rule.tag.hook.name(),
            destination: rule.tag.dest.clone(),
            packets: rule.packets,
            bytes: rule.bytes,
            state,
        });
    }
    check_bridge_coverage(rules, host, &mut problems);
    let state = if rules.is_empty() {
        "absent"
    } else if problems.is_empty() {
        "ok"
    } else {
        "stale"
    };
    Status {
        state,
        sources,
        problems,
    }
}

/// nft binds netdev chains and `dup to DEVICE` to interface indexes when the rules are loaded;
/// a device deleted and made again (a VM restart) gets a new index and is silently left out.
fn device_problems(rule: &Copying, host: &Host) -> Vec<String> {
    let mut problems = Vec::new();
    let tag = &rule.tag;
    if let Some(index) = tag.dest_index {
        match host.get(&tag.dest) {
            None => problems.push(format!(
                "destination {} is gone: copies are dropped; run `tool mirror apply` once it is back",
                tag.dest
            )),
            Some(now) if now.index != index || rule.bound_to.as_deref() != Some(&tag.dest) => {
                problems.push(format!(
                    "destination {} was re-created (index {index}, now {}): copying to it stopped; run `tool mirror apply`",
                    tag.dest, now.index
                ))
            }
            Some(_) => {}
        }
    }
    if let Some(index) = tag.source_index {
        match host.get(&tag.source) {
            None => problems.push(format!(
                "source {} is gone: run `tool mirror apply` to drop or re-bind its chain",
                tag.source
            )),
            Some(now) if now.index != index => problems.push(format!(
                "source {} was re-created (index {index}, now {}): its {} traffic is not copied; run `tool mirror apply`",
                tag.source,
                now.index,
                tag.hook.name()
            )),
            Some(_) => {}
        }
    }
    problems
}

/// A guest started after apply has a new port on the bridge that nothing copies.
fn check_bridge_coverage(rules: &[Copying], host: &Host, problems: &mut Vec<String>) {
    for own in rules
        .iter()
        .filter(|r| r.tag.hook == Hook::Egress && r.tag.bridge.as_deref() == Some(&r.tag.source))
    {
        if own.tag.exclusions_unknown() {
            continue;
        }
        let bridge = &own.tag.source;
        for port in host.ports_of(bridge) {
            let covered = rules
                .iter()
                .any(|r| r.tag.hook == Hook::Ingress && r.tag.source == port.name);
            let excluded = own
                .tag
                .excluded
                .iter()
                .any(|p| glob::matches(p, &port.name));
            if !covered && !excluded && port.name != own.tag.dest {
                problems.push(format!(
                    "port {} joined {bridge} after apply and is not mirrored; run `tool mirror apply`",
                    port.name
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mirror::host::test_iface as iface;

    fn host(mon_index: u32, extra_port: bool) -> Host {
        let mut interfaces = vec![
            iface("xenbr0", 2, None),
            iface("vif1.0", 3, Some("xenbr0")),
            iface("vif3.0", 4, Some("xenbr0")),
            iface("vifmon", mon_index, None),
        ];
        if extra_port {
            interfaces.push(iface("vif9.0", 20, Some("xenbr0")));
        }
        Host {
            interfaces,
            br_netfilter: None,
        }
    }

    fn copying(source: &str, index: u32, hook: Hook, bound_to: &str) -> Copying {
        Copying {
            backend: "nft",
            tag: Tag {
                source: source.into(),
                source_index: Some(index),
                hook,
                dest: "vifmon".into(),
                dest_index: Some(7),
                bridge: Some("xenbr0".into()),
                excluded: if hook == Hook::Egress {
                    vec!["vif3.*".into()]
                } else {
                    vec![]
                },
            },
            packets: 5,
            bytes: 500,
            bound_to: Some(bound_to.into()),
        }
    }

    fn applied(bound_to: &str) -> Vec<Copying> {
        vec![
            copying("vif1.0", 3, Hook::Ingress, bound_to),
            copying("xenbr0", 2, Hook::Egress, bound_to),
        ]
    }

    #[test]
    fn fresh_rules_are_ok() {
        let s = evaluate(&applied("vifmon"), &host(7, false));
        assert_eq!(s.state, "ok", "{:?}", s.problems);
        assert_eq!(s.sources.len(), 2);
    }

    #[test]
    fn a_recreated_monitor_port_is_stale() {
        let s = evaluate(&applied("7"), &host(9, false));
        assert_eq!(s.state, "stale");
        assert!(s.problems[0].contains("re-created"), "{:?}", s.problems);
        assert!(s.sources.iter().all(|x| x.state == "stale"));
    }

    #[test]
    fn a_missing_monitor_port_is_stale() {
        let mut h = host(7, false);
        h.interfaces.retain(|i| i.name != "vifmon");
        let s = evaluate(&applied("7"), &h);
        assert_eq!(s.state, "stale");
        assert!(s.problems[0].contains("gone"));
    }

    #[test]
    fn a_new_bridge_port_is_reported() {
        let s = evaluate(&applied("vifmon"), &host(7, true));
        assert_eq!(s.state, "stale");
        assert_eq!(s.problems.len(), 1);
        assert!(s.problems[0].contains("vif9.0"));
    }

    #[test]
    fn nothing_applied_is_absent() {
        assert_eq!(evaluate(&[], &host(7, false)).state, "absent");
    }
}
