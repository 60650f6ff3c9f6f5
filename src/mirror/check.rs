//! `tool mirror check`: can this host mirror, and if not, what to do about it.

use std::net::IpAddr;

use super::collector::{Collector, TUNNEL};
use super::destination;
use super::foreign;
use super::host::Host;
use super::nft;
use super::plan::{self, Family};
use super::spec::{Backend, Destination, Spec};
use super::system;
use super::tunnel;

/// One preflight result.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Finding {
    pub check: String,
    pub ok: bool,
    pub detail: String,
    /// What to do when it failed.
    pub fix: Option<String>,
}

fn finding(check: &str, result: Result<String, (String, String)>) -> Finding {
    match result {
        Ok(detail) => Finding {
            check: check.into(),
            ok: true,
            detail,
            fix: None,
        },
        Err((detail, fix)) => Finding {
            check: check.into(),
            ok: false,
            detail,
            fix: Some(fix),
        },
    }
}

/// Runs every check that applies to `spec` (or the general ones without one).
pub fn run(spec: Option<&Spec>, host: &Host) -> Vec<Finding> {
    let backend = spec.map_or(Backend::Nft, |s| s.backend);
    let mut findings = vec![finding(
        "nft present",
        system::version_of("nft").ok_or((
            "nft is not installed".into(),
            "apt-get install nftables".into(),
        )),
    )];
    findings.push(finding(
        "iptables present",
        system::version_of("iptables").ok_or((
            "iptables is not installed (needed for --backend iptables)".into(),
            "apt-get install iptables".into(),
        )),
    ));
    if findings[0].ok {
        findings.push(finding(
            "kernel: netdev dup and egress hook",
            probe_netdev_dup(),
        ));
    }
    if backend == Backend::Iptables && findings[1].ok {
        findings.push(finding("kernel: iptables TEE target", probe_tee()));
    }
    if let Some(spec) = spec {
        findings.extend(spec_findings(spec, host));
        if let Destination::Gateways(gateways) = &spec.destination {
            findings.extend(copy_path_findings(gateways, host));
        }
        if let Some(collector) = spec.destination.collector() {
            findings.extend(collector_findings(spec, collector, host));
        }
    }
    findings
}

/// What the kernel's other rules and settings do to L3 copies: rules that send them elsewhere,
/// and VLAN-tagged bridged frames that never reach the ip hooks.
fn copy_path_findings(gateways: &[IpAddr], host: &Host) -> Vec<Finding> {
    let ruleset = system::nft_ruleset();
    let mut findings: Vec<Finding> = gateways
        .iter()
        .map(|&gw| {
            let result = match &ruleset {
                Err(e) => Err((
                    format!("cannot list the ruleset: {e:#}"),
                    "run check as root, with nft installed".into(),
                )),
                Ok(ruleset) => {
                    let found = foreign::find(ruleset, Family::of(gw));
                    if found.is_empty() {
                        Ok("no other rule in prerouting or output sets the mark or redirects".into())
                    } else {
                        let rules: Vec<String> =
                            found.iter().map(|f| format!("{} {}", f.place, f.what)).collect();
                        Err((
                            format!(
                                "{}: the copies are routed again by their own destination, so guests get them twice and {gw} none",
                                rules.join("; ")
                            ),
                            format!(
                                "let that rule skip copies (match `ip daddr != {gw}` in nft, `! -d {gw}` in iptables), or mirror at L2 with --to"
                            ),
                        ))
                    }
                }
            };
            finding(&format!("no rule turns copies to {gw} away"), result)
        })
        .collect();
    if host.interfaces.iter().any(|i| i.is_bridge) {
        findings.push(finding(
            "VLAN-tagged bridged traffic",
            match system::sysctl_on("net/bridge/bridge-nf-filter-vlan-tagged") {
                Some(true) => Ok("bridge-nf-filter-vlan-tagged is 1: VLAN-tagged frames between guests are copied".into()),
                _ => Err((
                    "bridge-nf-filter-vlan-tagged is 0 or br_netfilter is not loaded: VLAN-tagged frames bridged between guests never reach the ip hooks and are not copied".into(),
                    "sysctl -w net.bridge.bridge-nf-filter-vlan-tagged=1 (or mirror at L2 with --to, which sees every frame)".into(),
                )),
            },
        ));
    }
    findings
}

/// Whether this kernel makes the tunnel, whether the collector can be reached, and what
/// encapsulation does to the largest frames the mirrored interfaces carry.
fn collector_findings(spec: &Spec, c: &Collector, host: &Host) -> Vec<Finding> {
    let kind = c.kind.link_type(c.addr.is_ipv4());
    let module = c.kind.module(c.addr.is_ipv4());
    let mut findings = vec![finding(
        &format!("kernel: {kind} tunnels"),
        tunnel::probe(c).map_err(|e| {
            (
                e,
                format!(
                    "modprobe {module} (a kernel built with it), or use --collector vxlan:ADDR"
                ),
            )
        }),
    )];
    findings.push(finding(
        &format!("collector tunnel {TUNNEL}"),
        tunnel_state(c, host),
    ));
    let addr = c.addr;
    findings.push(finding(
        &format!("route to collector {addr}"),
        if system::has_route(addr) {
            Ok(format!("{addr} has a route"))
        } else {
            Err((
                format!("no route to {addr}: every tunnelled copy would be dropped"),
                format!("give the host an address on the collector's network, or a route to it (`ip route get {addr}`)"),
            ))
        },
    ));
    let mirrored = spec
        .bridge
        .iter()
        .filter_map(|b| host.get(b))
        .chain(plan::source_interfaces(spec, host).unwrap_or_default());
    let largest = mirrored.map(|i| i.mtu).max().unwrap_or(1500);
    let underlay = system::route_device(addr)
        .and_then(|dev| host.get(&dev).map(|i| i.mtu))
        .unwrap_or(1500);
    findings.push(finding(
        "encapsulation of full-size frames",
        c.encapsulation(largest, underlay),
    ));
    findings
}

/// Whether the tunnel is there and up, judged like a destination: missing or down only fails
/// once rules copy to it (before the first apply, apply makes it).
fn tunnel_state(c: &Collector, host: &Host) -> Result<String, (String, String)> {
    let copying = system::nft_listed()
        .map(|rules| rules.iter().any(|r| r.tag.dest == TUNNEL))
        .unwrap_or(false);
    let fix = || "tool mirror apply (tool mirror watch does it by itself)".to_string();
    match host.get(TUNNEL) {
        Some(_) if tunnel::in_place(c, host) => Ok(format!("{TUNNEL} is up, to {c}")),
        Some(t) if copying && !t.up => Err((
            format!("{TUNNEL} is down: copies to the collector are dropped"),
            fix(),
        )),
        None if copying => Err((
            format!("{TUNNEL} is gone: copies to the collector are dropped"),
            fix(),
        )),
        Some(_) => Ok(format!("apply makes {TUNNEL} to {c} anew")),
        None => Ok(format!("apply makes {TUNNEL} to {c}")),
    }
}

/// The checks that depend on the host's interfaces and settings; pure.
pub fn spec_findings(spec: &Spec, host: &Host) -> Vec<Finding> {
    let mut findings = Vec::new();
    match &spec.destination {
        Destination::Frames { port: None, .. } => {}
        Destination::Frames {
            port: Some(dest), ..
        } => {
            findings.push(finding(
                "destination present",
                match host.get(dest) {
                    Some(i) if i.up => Ok(format!("{dest} is up")),
                    Some(_) => Err((
                        format!("{dest} is down: copies would be dropped"),
                        format!("ip link set {dest} up (or start the monitor VM)"),
                    )),
                    None => Err((
                        format!("{dest} does not exist"),
                        "start the monitor VM, or name its capture port with --to".into(),
                    )),
                },
            ));
            if let Some(i) = host.get(dest) {
                let sources = plan::source_interfaces(spec, host).unwrap_or_default();
                findings.push(finding(
                    "destination can take copies",
                    match destination::refusal(spec, host, i, &sources) {
                        None => Ok(format!(
                            "{dest} is no source, no mirrored bridge, no bridge port and not the loopback"
                        )),
                        Some(r) => Err((r.problem, r.fix)),
                    },
                ));
            }
        }
        Destination::Gateways(gateways) => {
            for &gw in gateways {
                let family = Family::of(gw);
                let (key, on) = match (family, host.br_netfilter) {
                    (Family::Ip, Some((v4, _))) => ("iptables", Some(v4)),
                    (_, Some((_, v6))) => ("ip6tables", Some(v6)),
                    (Family::Ip, None) => ("iptables", None),
                    (_, None) => ("ip6tables", None),
                };
                findings.push(finding(
                    &format!("br_netfilter for {}", family.name()),
                    match on {
                        Some(true) => Ok(format!("bridge-nf-call-{key} is 1: bridged traffic is copied")),
                        Some(false) => Err((
                            format!("bridge-nf-call-{key} is 0: traffic bridged between guests is not copied"),
                            format!("sysctl -w net.bridge.bridge-nf-call-{key}=1"),
                        )),
                        None => Err((
                            "br_netfilter is not loaded: traffic bridged between guests is not copied".into(),
                            format!("modprobe br_netfilter && sysctl -w net.bridge.bridge-nf-call-{key}=1"),
                        )),
                    },
                ));
                findings.push(finding(
                    &format!("route to {gw}"),
                    if system::has_route(gw) {
                        Ok(format!("{gw} has a route"))
                    } else {
                        Err((
                            format!("no route to {gw}: copies would be dropped"),
                            format!("give the host an address on the monitor's network (ip addr add ...), or check `ip route get {gw}`"),
                        ))
                    },
                ));
            }
        }
    }
    findings.push(finding(
        "plan",
        plan::plan(spec, host)
            .map(|p| format!("{} chain(s) would be loaded", p.chains.len()))
            .map_err(|e| (e, "correct the SPEC as the message says".into())),
    ));
    findings
}

/// Has the kernel check what apply loads at L2 (see [`nft::probe_batch`]).
fn probe_netdev_dup() -> Result<String, (String, String)> {
    system::nft_apply(&nft::probe_batch(), false)
        .map(|()| "the kernel loads netdev dup in an egress chain, and bridge marks".into())
        .map_err(|e| {
            (
                format!("{e}"),
                "use a kernel of 5.16 or later with CONFIG_NFT_DUP_NETDEV, CONFIG_NETFILTER_EGRESS and CONFIG_NF_TABLES_BRIDGE".into(),
            )
        })
}

/// Makes and drops a chain with a TEE rule in one iptables-restore commit.
fn probe_tee() -> Result<String, (String, String)> {
    let script = "*mangle\n:TOOL-MIRROR-PROBE - [0:0]\n-A TOOL-MIRROR-PROBE -j TEE --gateway 127.0.0.2\n-F TOOL-MIRROR-PROBE\n-X TOOL-MIRROR-PROBE\nCOMMIT\n";
    system::iptables_restore(Family::Ip, script, false)
        .map(|()| "the kernel loads TEE".into())
        .map_err(|e| {
            (
                format!("{e}"),
                "load the TEE target: modprobe xt_TEE (CONFIG_NETFILTER_XT_TARGET_TEE)".into(),
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mirror::host::test_iface;
    use crate::mirror::spec::SpecInput;

    fn host(mon_master: Option<&str>, br_netfilter: Option<(bool, bool)>) -> Host {
        Host {
            interfaces: vec![
                test_iface("xenbr0", 2, None),
                test_iface("vif1.0", 3, Some("xenbr0")),
                test_iface("vifmon", 4, mon_master),
            ],
            br_netfilter,
        }
    }

    fn spec(to: Option<&str>, gateway: Option<&str>) -> Spec {
        SpecInput {
            bridge: Some("xenbr0".into()),
            to: to.map(str::to_string),
            gateway: gateway.into_iter().map(str::to_string).collect(),
            ..SpecInput::default()
        }
        .resolve()
        .unwrap()
    }

    #[test]
    fn a_bridged_destination_fails_with_a_fix() {
        let f = spec_findings(&spec(Some("vifmon"), None), &host(Some("xenbr0"), None));
        let bridged = f
            .iter()
            .find(|f| f.check == "destination can take copies")
            .unwrap();
        assert!(!bridged.ok);
        assert!(bridged.fix.as_deref().unwrap().contains("nomaster"));
        assert!(!f.iter().find(|f| f.check == "plan").unwrap().ok);
    }

    #[test]
    fn br_netfilter_off_fails_for_l3() {
        let f = spec_findings(
            &spec(None, Some("198.18.200.2")),
            &host(None, Some((false, false))),
        );
        let brnf = f.iter().find(|f| f.check == "br_netfilter for ip").unwrap();
        assert!(!brnf.ok);
        assert!(
            brnf.fix
                .as_deref()
                .unwrap()
                .contains("bridge-nf-call-iptables=1")
        );
        let f = spec_findings(
            &spec(None, Some("198.18.200.2")),
            &host(None, Some((true, false))),
        );
        assert!(
            f.iter()
                .find(|f| f.check == "br_netfilter for ip")
                .unwrap()
                .ok
        );
    }
}
