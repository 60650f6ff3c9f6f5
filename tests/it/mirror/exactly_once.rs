//! `tool mirror` copies every frame exactly once whatever runs when: concurrent applies, a
//! chain edited by hand, a destination that would loop, glob sources seen both ways. Real
//! kernel, inside the namespaces of tests/it/support/netns.rs.

use crate::support;

use support::netns::{
    FROM_EXCLUDED_NET, GUEST_TO_GUEST, GUEST_TO_GUEST_V6, GUEST_TO_HOST, GUEST_TO_OUTSIDE,
    HOST_TO_GUEST, L2_SPEC, L3_SPEC, Lab, N, OUTSIDE_TO_GUEST, Path, assert_copied, probe,
};

/// `mirror apply` with the lab's L2 SPEC.
fn apply_args() -> Vec<&'static str> {
    [&["mirror", "apply"][..], &L2_SPEC].concat()
}

/// Each chain of the tool's netdev table with the number of `dup` rules in it.
fn dups_per_chain(lab: &Lab) -> Vec<(String, usize)> {
    let listing = lab.sh_ok("dom0", "nft list table netdev tool_mirror");
    let mut chains: Vec<(String, usize)> = Vec::new();
    for line in listing.lines().map(str::trim) {
        if let Some(name) = line.strip_prefix("chain ") {
            chains.push((name.trim_end_matches(" {").to_string(), 0));
        } else if line.contains("dup to")
            && let Some(last) = chains.last_mut()
        {
            last.1 += 1;
        }
    }
    chains
}

fn assert_one_dup_each(lab: &Lab, what: &str) {
    let chains = dups_per_chain(lab);
    assert_eq!(
        chains.len(),
        4,
        "{what}: in-vif1.0, in-vif2.0, in-uplink, out-xenbr0: {chains:?}"
    );
    assert!(
        chains.iter().all(|(_, dups)| *dups == 1),
        "{what}: one dup rule per chain: {chains:?}"
    );
}

const ACROSS_THE_BRIDGE: [&Path; 4] = [
    &GUEST_TO_GUEST,
    &GUEST_TO_HOST,
    &HOST_TO_GUEST,
    &OUTSIDE_TO_GUEST,
];

#[test]
fn concurrent_applies_leave_one_copy() {
    let Some(lab) = Lab::xen_host() else {
        return;
    };
    for trial in 0..4 {
        lab.tool_at_once(&vec![apply_args(); 4], &format!("trial {trial}"));
        assert_one_dup_each(&lab, &format!("trial {trial}"));
        let counts = probe(&lab, &ACROSS_THE_BRIDGE);
        assert_copied(&counts, &ACROSS_THE_BRIDGE, &[]);
        // Concurrent removes and applies: whichever runs last decides, never a mix.
        lab.tool_at_once(
            &[apply_args(), vec!["mirror", "remove"], apply_args()],
            &format!("trial {trial}, removes among applies"),
        );
        lab.tool_ok(&["mirror", "remove"]);
    }
}

#[test]
fn a_held_lock_makes_apply_wait_then_give_up_cleanly() {
    let Some(lab) = Lab::xen_host() else {
        return;
    };
    let before = lab.nft_ruleset();
    let inode = lab.sh_ok("dom0", "stat -L -c %i /proc/self/ns/net");
    let lock = format!("/run/tool/mirror-{}.lock", inode.trim());
    // Someone else (a hook script's apply, say) holds the lock for a while.
    std::fs::create_dir_all("/run/tool").unwrap();
    let mut holder = std::process::Command::new("flock")
        .args([&lock, "-c", "echo held; exec sleep 4"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("flock runs");
    let mut held = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(holder.stdout.take().unwrap()),
        &mut held,
    )
    .unwrap();
    assert_eq!(held, "held\n");
    let mut args = apply_args();
    args.extend(["--wait", "1"]);
    let out = lab.tool(&args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.starts_with("error: ") && stderr.contains(&lock),
        "{stderr}"
    );
    assert!(stderr.contains("--wait"), "{stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    assert_eq!(lab.nft_ruleset(), before, "nothing changed");
    // Within --wait, the second caller simply waits its turn.
    let mut args = apply_args();
    args.extend(["--wait", "20"]);
    lab.tool_ok(&args);
    assert!(holder.wait().unwrap().success());
    assert_one_dup_each(&lab, "after waiting");
}

/// The handle of the first rule of the tool's `chain` (in `family`) whose text starts with
/// `rule`.
fn handle_of(lab: &Lab, family: &str, chain: &str, rule: &str) -> String {
    let listing = lab.sh_ok(
        "dom0",
        &format!("nft -a list chain {family} tool_mirror {chain}"),
    );
    listing
        .lines()
        .map(str::trim)
        .find(|l| l.starts_with(rule))
        .and_then(|l| l.rsplit_once("# handle "))
        .map(|(_, h)| h.to_string())
        .unwrap_or_else(|| panic!("{rule} in {listing}"))
}

/// Packets counted by the copying rule of the tool's `chain`, and the chain's rule handles,
/// which change when apply replaces its rules.
fn counted(lab: &Lab, family: &str, chain: &str) -> (u64, Vec<String>) {
    let listing = lab.sh_ok(
        "dom0",
        &format!("nft -a list chain {family} tool_mirror {chain}"),
    );
    let packets = listing
        .split("counter packets ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("a counter in {listing}"));
    let handles = listing
        .lines()
        .filter_map(|l| l.rsplit_once("# handle ").map(|(_, h)| h.to_string()))
        .collect();
    (packets, handles)
}

/// From a guest on vif2.0 to the excluded outside address: never copied.
const FROM_G2_TO_EXCLUDED: Path = Path {
    mark: "g2-excluded",
    from: "g2",
    to: "198.18.0.253",
    source: None,
};

#[test]
fn a_plain_apply_repairs_doubled_edited_and_partly_deleted_nft_chains() {
    let Some(lab) = Lab::xen_host() else {
        return;
    };
    lab.tool_ok(&apply_args());
    let copied = [&GUEST_TO_GUEST, &HOST_TO_GUEST, &OUTSIDE_TO_GUEST];
    let not_copied = [&FROM_EXCLUDED_NET, &FROM_G2_TO_EXCLUDED];
    let all: Vec<&Path> = copied.iter().chain(&not_copied).copied().collect();
    assert_copied(&probe(&lab, &all), &copied, &not_copied);
    let untouched = counted(&lab, "netdev", "out-xenbr0");
    assert!(untouched.0 > 0, "{untouched:?}");

    // Doubled, as two racing applies left it: the copying rule twice in in-vif1.0.
    let listing = lab.sh_ok("dom0", "nft -s list chain netdev tool_mirror in-vif1.0");
    let copy = listing
        .lines()
        .map(str::trim)
        .find(|l| l.contains("dup to"))
        .unwrap();
    lab.sh_ok(
        "dom0",
        &format!("nft 'add rule netdev tool_mirror in-vif1.0 {copy}'"),
    );
    // Edited by hand: in-vif2.0 skips another address than the excluded one.
    let edited = handle_of(&lab, "netdev", "in-vif2.0", "ip daddr 198.18.0.253 return");
    lab.sh_ok(
        "dom0",
        &format!(
            "nft replace rule netdev tool_mirror in-vif2.0 handle {edited} ip daddr 198.18.0.99 return"
        ),
    );
    // Partly deleted: in-uplink lost the rule that skips the excluded sender.
    let deleted = handle_of(&lab, "netdev", "in-uplink", "ip saddr 198.18.0.253 return");
    lab.sh_ok(
        "dom0",
        &format!("nft delete rule netdev tool_mirror in-uplink handle {deleted}"),
    );
    let tampered = probe(&lab, &all);
    assert_eq!(
        tampered.of(GUEST_TO_GUEST.mark),
        2 * u64::from(N),
        "{tampered:?}"
    );
    assert_eq!(
        tampered.of(FROM_EXCLUDED_NET.mark),
        u64::from(N),
        "{tampered:?}"
    );
    assert_eq!(
        tampered.of(FROM_G2_TO_EXCLUDED.mark),
        u64::from(N),
        "{tampered:?}"
    );

    let before = counted(&lab, "netdev", "out-xenbr0");
    lab.tool_ok(&apply_args());
    assert_one_dup_each(&lab, "after a plain apply");
    let after = counted(&lab, "netdev", "out-xenbr0");
    assert_eq!(after.1, before.1, "the unchanged chain was left alone");
    assert!(
        after.0 >= before.0 && before.0 > untouched.0,
        "its counter ran on: {before:?} {after:?}"
    );
    assert_copied(&probe(&lab, &all), &copied, &not_copied);
    let again = lab.nft_ruleset();
    lab.tool_ok(&apply_args());
    assert_eq!(lab.nft_ruleset(), again, "repaired is as planned");
}

/// `mirror apply` with the L3 SPEC and the iptables TEE backend.
fn tee_apply() -> Vec<&'static str> {
    [
        &["mirror", "apply"][..],
        &L3_SPEC,
        &["--backend", "iptables"],
    ]
    .concat()
}

/// Packets counted by the TEE rule of the tool's `chain` in dom0's IPv4 mangle table.
fn tee_packets(lab: &Lab, chain: &str) -> u64 {
    let saved = lab.sh_ok("dom0", "iptables-save -c -t mangle");
    saved
        .lines()
        .find(|l| l.contains(&format!("-A {chain} ")) && l.contains("-j TEE"))
        .and_then(|l| l.strip_prefix('['))
        .and_then(|l| l.split_once(':'))
        .and_then(|(p, _)| p.parse().ok())
        .unwrap_or_else(|| panic!("a TEE rule in {chain}: {saved}"))
}

#[test]
fn a_plain_apply_repairs_doubled_edited_and_partly_deleted_iptables_chains() {
    let Some(lab) = Lab::xen_host() else {
        return;
    };
    lab.sh_ok("dom0", "sysctl -qw net.bridge.bridge-nf-call-iptables=1");
    lab.tool_ok(&tee_apply());
    let copied = [&GUEST_TO_GUEST, &HOST_TO_GUEST, &OUTSIDE_TO_GUEST];
    let not_copied = [&FROM_EXCLUDED_NET, &FROM_G2_TO_EXCLUDED];
    let all: Vec<&Path> = copied.iter().chain(&not_copied).copied().collect();
    assert_copied(&probe(&lab, &all), &copied, &not_copied);
    let untouched = tee_packets(&lab, "TOOL-MIRROR-OUT");
    assert!(untouched > 0);

    // Doubled, as two racing applies leave it: a second jump to the tool's chain. Edited by
    // hand: the excluded destination replaced. Partly deleted: the excluded source's rule.
    lab.sh_ok(
        "dom0",
        "iptables -t mangle -A PREROUTING -j TOOL-MIRROR-IN && \
         iptables -t mangle -R TOOL-MIRROR-IN 4 -d 198.18.0.99/32 -j RETURN && \
         iptables -t mangle -D TOOL-MIRROR-IN -s 198.18.0.253/32 -j RETURN",
    );
    let tampered = probe(&lab, &all);
    assert_eq!(
        tampered.of(GUEST_TO_GUEST.mark),
        2 * u64::from(N),
        "{tampered:?}"
    );
    assert!(tampered.of(FROM_EXCLUDED_NET.mark) > 0, "{tampered:?}");
    assert!(tampered.of(FROM_G2_TO_EXCLUDED.mark) > 0, "{tampered:?}");

    let before = tee_packets(&lab, "TOOL-MIRROR-OUT");
    lab.tool_ok(&tee_apply());
    let after = tee_packets(&lab, "TOOL-MIRROR-OUT");
    assert!(
        after >= before && before > untouched,
        "its counter ran on: {before} {after}"
    );
    assert_copied(&probe(&lab, &all), &copied, &not_copied);
    let repaired = lab.iptables_mangle();
    assert_eq!(
        repaired.matches("-j TOOL-MIRROR-IN").count(),
        1,
        "{repaired}"
    );
    lab.tool_ok(&tee_apply());
    assert_eq!(lab.iptables_mangle(), repaired, "repaired is as planned");
}

#[test]
fn refused_destinations_change_nothing_and_check_says_the_same() {
    let Some(lab) = Lab::xen_host() else {
        return;
    };
    lab.tool_ok(&apply_args());
    let before = (lab.nft_ruleset(), lab.iptables_mangle());
    for (spec, needles) in [
        (
            &["--bridge", "xenbr0", "--to", "xenbr0"][..],
            &["'xenbr0' is the mirrored bridge", "--to"][..],
        ),
        (
            &["--source", "vif1.0", "--to", "xenbr0"],
            &["'xenbr0' is the mirrored bridge", "--to"],
        ),
        (
            &["--bridge", "xenbr0", "--to", "vif2.0"],
            &[
                "'vif2.0' is a port of bridge 'xenbr0'",
                "--allow-bridged-monitor",
            ],
        ),
        (
            &["--source", "drbd0", "--to", "vif2.0"],
            &["'vif2.0' is a port of bridge 'xenbr0'", "nomaster"],
        ),
        (
            &["--bridge", "xenbr0", "--to", "lo"],
            &["'lo' is the loopback", "--to"],
        ),
        (
            &["--source", "vif1.0", "--source", "vifmon", "--to", "vifmon"],
            &["'vifmon' is also a --source", "--to"],
        ),
    ] {
        let out = lab.tool(&[&["mirror", "apply"][..], spec].concat());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{spec:?}: {stderr}");
        assert!(stderr.starts_with("error: "), "{spec:?}: {stderr}");
        assert_eq!(stderr.trim_end().lines().count(), 1, "{spec:?}: {stderr}");
        for needle in needles {
            assert!(stderr.contains(needle), "{spec:?}: {needle} in {stderr}");
        }
        assert_eq!(
            (lab.nft_ruleset(), lab.iptables_mangle()),
            before,
            "{spec:?} changed nothing"
        );
        let check = lab.tool(&[&["mirror", "check"][..], spec].concat());
        let stdout = String::from_utf8_lossy(&check.stdout);
        assert_eq!(check.status.code(), Some(1), "{spec:?}: {stdout}");
        let line = stdout
            .lines()
            .find(|l| l.starts_with("FAIL  destination can take copies"))
            .unwrap_or_else(|| panic!("{spec:?}: {stdout}"));
        assert!(line.contains(needles[0]), "{spec:?}: {stdout}");
    }
    // A glob that also matches the monitor's port leaves it out instead: copying works.
    lab.tool_ok(&["mirror", "apply", "--source", "vif*", "--to", "vifmon"]);
}

#[test]
fn glob_sources_both_ways_copy_each_frame_once_arp_and_nd_included() {
    let Some(lab) = Lab::xen_host() else {
        return;
    };
    // vif1.0, vif2.0 and the monitor's own vif3.0, each in and out; vifmon is left out.
    let apply = ["mirror", "apply", "--source", "vif*", "--to", "vifmon"];
    lab.tool_ok(&apply);
    let copied = [
        &GUEST_TO_GUEST,
        &GUEST_TO_GUEST_V6,
        &GUEST_TO_HOST,
        &HOST_TO_GUEST,
        &OUTSIDE_TO_GUEST,
        &GUEST_TO_OUTSIDE,
    ];
    assert_copied(&probe(&lab, &copied), &copied, &[]);

    // Neighbour discovery both ways: g1 asks for g2 (broadcast ARP, multicast NS, flooded to
    // every port) and g2 answers. The monitor sees each such frame exactly as often as g2's
    // own port does: once.
    lab.sh_ok("g1", "ip neigh flush dev eth0");
    lab.sh_ok("g2", "ip neigh flush dev eth0");
    let mut at_monitor = lab.capture_at_monitor();
    let mut at_g2 = lab.capture("g2", "eth0");
    lab.send("g1", "198.18.0.12", 1, "asked-v4", None);
    lab.send("g1", "2001:db8::12", 1, "asked-v6", None);
    // Both over the same time: a retransmission after one stopped would count in one only.
    at_monitor.stop();
    at_g2.stop();
    let monitor = at_monitor.finish();
    let g2 = at_g2.finish();
    for asked in ["asked-v4", "asked-v6"] {
        assert_eq!(monitor.of(asked), 1, "{monitor:?}");
    }
    for who in [
        "arp 198.18.0.11",
        "arp 198.18.0.12",
        "nd 2001:db8::11",
        "nd 2001:db8::12",
    ] {
        let seen = g2.neighbour.get(who).copied().unwrap_or(0);
        assert!(seen > 0, "{who} at g2: {g2:?}");
        assert_eq!(
            monitor.neighbour.get(who).copied().unwrap_or(0),
            seen,
            "{who}: {monitor:?}"
        );
    }
    // With handles: a rule replaced by the same would get a new one.
    let ruleset = lab.sh_ok("dom0", "nft -a -s list ruleset");
    lab.tool_ok(&apply);
    assert_eq!(
        lab.sh_ok("dom0", "nft -a -s list ruleset"),
        ruleset,
        "applying twice changes nothing"
    );
    lab.tool_ok(&["mirror", "remove"]);
    assert!(!lab.nft_ruleset().contains("tool_mirror"));
}
