//! Whether what was applied still copies, judged the way monitoring systems read it: a state of
//! the monitoring-plugins convention (Nagios, Icinga) and a stable code per problem. Pure: the
//! caller reads the rules, the host (twice, for drop counters) and the kernel's behaviour.

use std::net::IpAddr;

use serde::Serialize;

use super::collector::OWNED_PREFIX;
use super::glob;
use super::host::{Host, Interface};
use super::plan::{Family, Hook};
use super::tag::Tag;

/// The monitoring-plugins states, worst last; the number is the exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    Ok,
    Warning,
    Critical,
    Unknown,
}

impl State {
    pub fn code(self) -> u8 {
        self as u8
    }

    /// As plugins print it on their first line.
    pub fn label(self) -> &'static str {
        match self {
            State::Ok => "OK",
            State::Warning => "WARNING",
            State::Critical => "CRITICAL",
            State::Unknown => "UNKNOWN",
        }
    }
}

/// What went wrong, as a stable name that alert rules can match on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Code {
    /// A port joined the mirrored bridge after apply and has no chain.
    PortNotMirrored,
    /// A device matches a `--source` glob but has no chain.
    GlobMatchNotMirrored,
    /// L3 copies miss bridged traffic: br_netfilter is off or not loaded.
    BrNetfilterOff,
    NothingApplied,
    DestinationMissing,
    DestinationDown,
    DestinationNoCarrier,
    /// The destination's MTU is smaller than a source's: larger copies are dropped.
    DestinationMtu,
    /// The destination's transmit drops rose between two reads.
    DestinationDropping,
    /// The destination was re-created: `dup` still points at the old interface index.
    DestinationRecreated,
    /// A source was re-created and this kernel did not re-bind its chain.
    ChainUnbound,
    /// The rules or the host could not be read.
    CannotRead,
}

impl Code {
    pub fn state(self) -> State {
        match self {
            Code::PortNotMirrored | Code::GlobMatchNotMirrored | Code::BrNetfilterOff => {
                State::Warning
            }
            Code::CannotRead => State::Unknown,
            _ => State::Critical,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub code: Code,
    /// What is wrong and what to do, in one line.
    pub text: String,
}

/// Which firewall holds a copying rule: nft, or iptables' TEE in the IPv4 or IPv6 table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Copier {
    Nft,
    Iptables,
    Ip6tables,
}

impl Copier {
    /// iptables' TEE in `family`'s table.
    pub fn tee(family: Family) -> Copier {
        if family == Family::Ip6 {
            Copier::Ip6tables
        } else {
            Copier::Iptables
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Copier::Nft => "nft",
            Copier::Iptables => "iptables",
            Copier::Ip6tables => "ip6tables",
        }
    }
}

/// One copying rule of the tool's, wherever it lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Copying {
    pub backend: Copier,
    pub tag: Tag,
    pub packets: u64,
    pub bytes: u64,
    /// For nft `dup to DEVICE`: what the kernel's binding resolves to now.
    pub bound_to: Option<String>,
}

/// Whether a source's copies still flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceState {
    Ok,
    /// Copying of this source stopped.
    Stale,
    /// The source device no longer exists (a guest shut down): nothing to copy, no alert.
    Gone,
}

/// A source's report line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceStatus {
    pub backend: Copier,
    pub source: String,
    pub hook: &'static str,
    pub destination: String,
    pub packets: u64,
    pub bytes: u64,
    pub state: SourceState,
}

/// A destination device's transmit drops, as last read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Destination {
    pub name: String,
    pub tx_dropped: u64,
}

/// The whole report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    /// The worst problem's state, or OK.
    pub state: State,
    pub sources: Vec<SourceStatus>,
    /// Worst first.
    pub problems: Vec<Problem>,
    pub destinations: Vec<Destination>,
}

impl Status {
    /// What is known when nothing could be read.
    pub fn unknown(text: String) -> Status {
        Status {
            state: State::Unknown,
            sources: Vec::new(),
            problems: vec![Problem {
                code: Code::CannotRead,
                text,
            }],
            destinations: Vec::new(),
        }
    }
}

/// Whether this kernel keeps a netdev chain bound to a device deleted and made again under the
/// same name (a guest's port after a restart), as probed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rebinding {
    Rebinds,
    DoesNot,
    /// The probe could not run: a re-created source is then taken as not copied.
    Unknown,
}

/// The host as read at the start and, when drops are sampled, once more a while later.
pub struct Reads<'a> {
    pub first: &'a Host,
    pub second: Option<&'a Host>,
}

/// Whether any source device has a new index since apply, so that whether the kernel re-binds
/// matters (the probe is only run then).
pub fn has_recreated_source(rules: &[Copying], host: &Host) -> bool {
    rules
        .iter()
        .any(|r| recreated_source(&r.tag, host).is_some())
}

fn recreated_source<'h>(tag: &Tag, host: &'h Host) -> Option<&'h Interface> {
    let index = tag.source_index?;
    host.get(&tag.source).filter(|now| now.index != index)
}

/// Judges the applied rules against the host as it is now.
pub fn evaluate(rules: &[Copying], reads: Reads, rebinding: Rebinding) -> Status {
    let host = reads.first;
    let mut problems: Vec<Problem> = Vec::new();
    let mut add = |p: Problem| {
        // A destination's problem concerns every source: say it once.
        if !problems.contains(&p) {
            problems.push(p);
        }
    };
    let mut sources = Vec::new();
    for rule in rules {
        let dest = destination_problems(rule, rules, &reads);
        let source = source_problem(&rule.tag, host, rebinding);
        let gone = rule.tag.source_index.is_some() && host.get(&rule.tag.source).is_none();
        let state = if dest.iter().any(|p| stops_copying(p.code)) || source.is_some() {
            SourceState::Stale
        } else if gone {
            SourceState::Gone
        } else {
            SourceState::Ok
        };
        dest.into_iter().chain(source).for_each(&mut add);
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
    uncovered_bridge_ports(rules, host).for_each(&mut add);
    uncovered_glob_matches(rules, host).for_each(&mut add);
    br_netfilter_off(rules, host).for_each(&mut add);
    if rules.is_empty() {
        add(Problem {
            code: Code::NothingApplied,
            text: "nothing is mirrored: run `tool mirror apply`".into(),
        });
    }
    problems.sort_by_key(|p| std::cmp::Reverse(p.code.state()));
    let destinations = destinations(rules, reads.second.unwrap_or(host));
    Status {
        state: problems.first().map_or(State::Ok, |p| p.code.state()),
        sources,
        problems,
        destinations,
    }
}

/// Whether no copy gets through at all (as against some being lost).
fn stops_copying(code: Code) -> bool {
    matches!(
        code,
        Code::DestinationMissing
            | Code::DestinationDown
            | Code::DestinationNoCarrier
            | Code::DestinationRecreated
    )
}

/// What keeps a rule's copies from reaching its destination device. nft resolves `dup to
/// DEVICE` to an interface index when the rule is loaded and never again: a re-created
/// destination (a monitor VM restart) silently gets no copies.
fn destination_problems(rule: &Copying, rules: &[Copying], reads: &Reads) -> Vec<Problem> {
    let tag = &rule.tag;
    let Some(index) = tag.dest_index else {
        return Vec::new();
    };
    let name = &tag.dest;
    let problem = |code, text| vec![Problem { code, text }];
    // The tool makes the collector's tunnel itself: apply (or watch) makes it again.
    let tunnel = name.starts_with(OWNED_PREFIX);
    let Some(dest) = reads.first.get(name) else {
        return problem(
            Code::DestinationMissing,
            if tunnel {
                format!(
                    "the collector's tunnel {name} is gone: copies to the collector are dropped; run `tool mirror apply` (watch makes it again by itself)"
                )
            } else {
                format!(
                    "destination {name} is gone: copies are dropped; start the monitor VM, then run `tool mirror apply`"
                )
            },
        );
    };
    if dest.index != index || rule.bound_to.as_deref() != Some(name) {
        return problem(
            Code::DestinationRecreated,
            format!(
                "destination {name} was re-created (index {index}, now {}): copying to it stopped; run `tool mirror apply`",
                dest.index
            ),
        );
    }
    if !dest.up {
        return problem(
            Code::DestinationDown,
            format!(
                "destination {name} is down: copies are dropped; {}",
                if tunnel {
                    "run `tool mirror apply`".to_string()
                } else {
                    format!("`ip link set {name} up`")
                }
            ),
        );
    }
    if !dest.carrier {
        return problem(
            Code::DestinationNoCarrier,
            format!(
                "destination {name} has no carrier: copies are dropped; start the monitor VM or bring its capture interface up"
            ),
        );
    }
    let mut found = Vec::new();
    let largest = rules
        .iter()
        .filter(|r| r.tag.dest == *name)
        .filter_map(|r| reads.first.get(&r.tag.source))
        .max_by_key(|s| s.mtu);
    if let Some(source) = largest.filter(|s| s.mtu > dest.mtu) {
        found.push(Problem {
            code: Code::DestinationMtu,
            text: format!(
                "destination {name} has MTU {} but source {} has {}: larger copies are dropped; `ip link set {name} mtu {}` (and the monitor's interface)",
                dest.mtu, source.name, source.mtu, source.mtu
            ),
        });
    }
    if let Some(later) = reads.second.and_then(|h| h.get(name))
        && later.index == dest.index
        && later.tx_dropped > dest.tx_dropped
    {
        found.push(Problem {
            code: Code::DestinationDropping,
            text: format!(
                "destination {name} dropped {} frame(s) while status watched: copies are being lost; check its MTU, its queue and whether the monitor keeps up",
                later.tx_dropped - dest.tx_dropped
            ),
        });
    }
    found
}

/// A re-created source is only a problem where the kernel left its chain unbound; a source that
/// is gone is no problem (a guest shut down).
fn source_problem(tag: &Tag, host: &Host, rebinding: Rebinding) -> Option<Problem> {
    let now = recreated_source(tag, host)?;
    let why = match rebinding {
        Rebinding::Rebinds => return None,
        Rebinding::DoesNot => "this kernel does not re-bind its chain",
        Rebinding::Unknown => "whether this kernel re-binds its chain could not be probed",
    };
    Some(Problem {
        code: Code::ChainUnbound,
        text: format!(
            "source {} was re-created (index {}, now {}) and {why}: its {} traffic is not copied; run `tool mirror apply`",
            tag.source,
            tag.source_index.unwrap_or_default(),
            now.index,
            tag.hook.name()
        ),
    })
}

/// Whether `name`, which `tag`'s bridge or glob covers, should have a chain and has none: it is
/// neither excluded nor a destination.
fn wants_chain(rules: &[Copying], tag: &Tag, name: &str) -> bool {
    !rules
        .iter()
        .any(|r| r.tag.source == name || r.tag.dest == name)
        && !tag.excluded.iter().any(|p| glob::matches(p, name))
}

/// A guest started after apply has a new port on the bridge that nothing copies.
fn uncovered_bridge_ports<'a>(
    rules: &'a [Copying],
    host: &'a Host,
) -> impl Iterator<Item = Problem> + 'a {
    rules
        .iter()
        .filter(|r| {
            r.tag.hook == Hook::Egress
                && r.tag.bridge.as_deref() == Some(&r.tag.source)
                && !r.tag.exclusions_unknown()
        })
        .flat_map(move |own| {
            let bridge = &own.tag.source;
            host.ports_of(bridge)
                .filter(move |port| wants_chain(rules, &own.tag, &port.name))
                .map(move |port| Problem {
                    code: Code::PortNotMirrored,
                    text: format!(
                        "port {} joined {bridge} after apply and is not mirrored; run `tool mirror apply`",
                        port.name
                    ),
                })
        })
}

/// A device made after apply that a `--source` glob matches has no chain either.
fn uncovered_glob_matches<'a>(
    rules: &'a [Copying],
    host: &'a Host,
) -> impl Iterator<Item = Problem> + 'a {
    let mut globs: Vec<&Tag> = Vec::new();
    for tag in rules.iter().map(|r| &r.tag) {
        if tag.glob.is_some()
            && !tag.exclusions_unknown()
            && !globs.iter().any(|g| g.glob == tag.glob)
        {
            globs.push(tag);
        }
    }
    globs.into_iter().flat_map(move |tag| {
        let pattern = tag.glob.as_deref().unwrap_or_default();
        host.interfaces
            .iter()
            .filter(move |i| glob::matches(pattern, &i.name) && wants_chain(rules, tag, &i.name))
            .map(move |i| Problem {
                code: Code::GlobMatchNotMirrored,
                text: format!(
                    "{} matches --source '{pattern}' but is not mirrored (made after apply); run `tool mirror apply`",
                    i.name
                ),
            })
    })
}

/// L3 copies are made in the ip hooks, which traffic bridged between guests only passes with
/// br_netfilter on.
fn br_netfilter_off<'a>(rules: &'a [Copying], host: &'a Host) -> impl Iterator<Item = Problem> {
    let mut families: Vec<Family> = rules
        .iter()
        .filter(|r| matches!(r.tag.hook, Hook::Prerouting | Hook::Output))
        .filter_map(|r| r.tag.dest.parse::<IpAddr>().ok().map(Family::of))
        .collect();
    families.sort();
    families.dedup();
    let bridged = host.interfaces.iter().any(|i| i.is_bridge);
    families.into_iter().filter(move |_| bridged).filter_map(move |family| {
        let (key, on) = match family {
            Family::Ip => ("iptables", host.br_netfilter.map(|b| b.0)),
            _ => ("ip6tables", host.br_netfilter.map(|b| b.1)),
        };
        let text = match on {
            Some(true) => return None,
            Some(false) => format!(
                "bridge-nf-call-{key} is 0: {} traffic bridged between guests is not copied; `sysctl -w net.bridge.bridge-nf-call-{key}=1`",
                family.name()
            ),
            None => format!(
                "br_netfilter is not loaded: {} traffic bridged between guests is not copied; `modprobe br_netfilter && sysctl -w net.bridge.bridge-nf-call-{key}=1`",
                family.name()
            ),
        };
        Some(Problem {
            code: Code::BrNetfilterOff,
            text,
        })
    })
}

/// The destination devices that exist, with their drop counters.
fn destinations(rules: &[Copying], host: &Host) -> Vec<Destination> {
    let mut found: Vec<Destination> = Vec::new();
    for rule in rules.iter().filter(|r| r.tag.dest_index.is_some()) {
        if let Some(dev) = host.get(&rule.tag.dest)
            && !found.iter().any(|d| d.name == dev.name)
        {
            found.push(Destination {
                name: dev.name.clone(),
                tx_dropped: dev.tx_dropped,
            });
        }
    }
    found
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
            backend: Copier::Nft,
            tag: Tag {
                source: source.into(),
                source_index: Some(index),
                hook,
                dest: "vifmon".into(),
                dest_index: Some(7),
                bridge: Some("xenbr0".into()),
                glob: None,
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

    fn judge(rules: &[Copying], host: &Host) -> Status {
        let reads = Reads {
            first: host,
            second: None,
        };
        evaluate(rules, reads, Rebinding::DoesNot)
    }

    fn codes(s: &Status) -> Vec<Code> {
        s.problems.iter().map(|p| p.code).collect()
    }

    #[test]
    fn fresh_rules_are_ok() {
        let s = judge(&applied("vifmon"), &host(7, false));
        assert_eq!(s.state, State::Ok, "{:?}", s.problems);
        assert_eq!(s.sources.len(), 2);
        assert_eq!(s.destinations[0].name, "vifmon");
    }

    #[test]
    fn a_recreated_monitor_port_is_critical() {
        let s = judge(&applied("7"), &host(9, false));
        assert_eq!(s.state, State::Critical);
        assert_eq!(codes(&s), [Code::DestinationRecreated]);
        assert!(s.sources.iter().all(|x| x.state == SourceState::Stale));
    }

    #[test]
    fn a_missing_down_or_carrierless_monitor_port_is_critical() {
        let mut h = host(7, false);
        h.interfaces.retain(|i| i.name != "vifmon");
        assert_eq!(codes(&judge(&applied("7"), &h)), [Code::DestinationMissing]);
        let mut h = host(7, false);
        h.interfaces[3].carrier = false;
        assert_eq!(
            codes(&judge(&applied("vifmon"), &h)),
            [Code::DestinationNoCarrier]
        );
        h.interfaces[3].up = false;
        let s = judge(&applied("vifmon"), &h);
        assert_eq!(codes(&s), [Code::DestinationDown]);
        assert_eq!(s.state.code(), 2);
    }

    #[test]
    fn a_small_mtu_and_rising_drops_are_critical() {
        let mut h = host(7, false);
        h.interfaces[1].mtu = 9000;
        let s = judge(&applied("vifmon"), &h);
        assert_eq!(codes(&s), [Code::DestinationMtu]);
        assert!(s.problems[0].text.contains("vif1.0 has 9000"), "{s:?}");
        // Copying itself goes on: only the larger frames are lost.
        assert!(s.sources.iter().all(|x| x.state == SourceState::Ok));

        let first = host(7, false);
        let mut second = first.clone();
        second.interfaces[3].tx_dropped = 12;
        let reads = Reads {
            first: &first,
            second: Some(&second),
        };
        let s = evaluate(&applied("vifmon"), reads, Rebinding::Rebinds);
        assert_eq!(codes(&s), [Code::DestinationDropping]);
        assert!(s.problems[0].text.contains("dropped 12"));
        assert_eq!(s.destinations[0].tx_dropped, 12);
    }

    #[test]
    fn a_recreated_source_is_critical_only_where_the_kernel_does_not_rebind() {
        let mut h = host(7, false);
        h.interfaces[1].index = 30;
        assert!(has_recreated_source(&applied("vifmon"), &h));
        let reads = || Reads {
            first: &h,
            second: None,
        };
        let s = evaluate(&applied("vifmon"), reads(), Rebinding::Rebinds);
        assert_eq!(s.state, State::Ok, "{s:?}");
        let s = evaluate(&applied("vifmon"), reads(), Rebinding::DoesNot);
        assert_eq!(codes(&s), [Code::ChainUnbound]);
        assert_eq!(s.sources[0].state, SourceState::Stale);
        assert_eq!(s.sources[1].state, SourceState::Ok);
    }

    #[test]
    fn a_guest_that_is_gone_is_no_alert() {
        let mut h = host(7, false);
        h.interfaces.retain(|i| i.name != "vif1.0");
        let s = judge(&applied("vifmon"), &h);
        assert_eq!(s.state, State::Ok, "{s:?}");
        assert_eq!(s.sources[0].state, SourceState::Gone);
    }

    #[test]
    fn a_new_bridge_port_is_a_warning() {
        let s = judge(&applied("vifmon"), &host(7, true));
        assert_eq!(s.state, State::Warning);
        assert_eq!(codes(&s), [Code::PortNotMirrored]);
        assert!(s.problems[0].text.contains("vif9.0"));
    }

    #[test]
    fn a_new_glob_match_is_a_warning() {
        let mut rule = copying("vif1.0", 3, Hook::Ingress, "vifmon");
        rule.tag.bridge = None;
        rule.tag.glob = Some("vif*".into());
        rule.tag.excluded = vec!["vif3.0".into()];
        let s = judge(std::slice::from_ref(&rule), &host(7, false));
        assert_eq!(s.state, State::Ok, "vif3.0 is excluded: {s:?}");
        let s = judge(&[rule], &host(7, true));
        assert_eq!(codes(&s), [Code::GlobMatchNotMirrored]);
        assert!(s.problems[0].text.contains("vif9.0"));
    }

    #[test]
    fn l3_without_br_netfilter_is_a_warning() {
        let rule = Copying {
            backend: Copier::Iptables,
            tag: Tag {
                source: "*".into(),
                source_index: None,
                hook: Hook::Prerouting,
                dest: "198.18.200.2".into(),
                dest_index: None,
                bridge: None,
                glob: None,
                excluded: vec![],
            },
            packets: 0,
            bytes: 0,
            bound_to: None,
        };
        let mut h = host(7, false);
        let s = judge(std::slice::from_ref(&rule), &h);
        assert_eq!(codes(&s), [Code::BrNetfilterOff]);
        h.br_netfilter = Some((true, false));
        assert_eq!(judge(&[rule], &h).state, State::Ok);
    }

    #[test]
    fn the_worst_problem_comes_first() {
        let mut h = host(7, true);
        h.interfaces[3].up = false;
        let s = judge(&applied("vifmon"), &h);
        assert_eq!(s.state, State::Critical);
        assert_eq!(codes(&s), [Code::DestinationDown, Code::PortNotMirrored]);
    }

    #[test]
    fn nothing_applied_is_critical() {
        let s = judge(&[], &host(7, false));
        assert_eq!(codes(&s), [Code::NothingApplied]);
        assert_eq!(s.state, State::Critical);
    }
}
