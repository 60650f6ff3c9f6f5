//! `tool mirror` against the real kernel, inside a Xen-like host made of network namespaces
//! (tests/it/support/netns.rs): marked UDP probes on every path, captured at the monitor's port,
//! counted exactly. Nothing here touches this machine's own firewall or network.

use crate::support;

use support::netns::{
    FROM_DRBD_PEER, FROM_EXCLUDED_NET, FROM_MONITOR, GUEST_TO_GUEST, GUEST_TO_GUEST_V6,
    GUEST_TO_HOST, GUEST_TO_OUTSIDE, HOST_TO_GUEST, L2_SPEC, L3_SPEC, Lab, N, OUTSIDE_TO_GUEST,
    Path, TO_DRBD_PEER, TO_EXCLUDED_NET, assert_copied, probe,
};

fn apply_l2(lab: &Lab) {
    let mut args = vec!["mirror", "apply"];
    args.extend(L2_SPEC);
    lab.tool_ok(&args);
}

#[test]
fn l2_copies_every_path_through_the_bridge_exactly_once() {
    let Some(lab) = Lab::xen_host() else {
        return;
    };
    apply_l2(&lab);
    let copied = [
        &GUEST_TO_GUEST,
        &GUEST_TO_HOST,
        &HOST_TO_GUEST,
        &OUTSIDE_TO_GUEST,
        &GUEST_TO_OUTSIDE,
        &GUEST_TO_GUEST_V6,
    ];
    let not_copied = [
        &TO_DRBD_PEER,
        &FROM_DRBD_PEER,
        &FROM_MONITOR,
        &FROM_EXCLUDED_NET,
        &TO_EXCLUDED_NET,
    ];
    let all: Vec<&Path> = copied.iter().chain(not_copied.iter()).copied().collect();
    let counts = probe(&lab, &all);
    assert_copied(&counts, &copied, &not_copied);
    assert!(counts.ipv6 > 0, "IPv6 frames are copied: {counts:?}");

    // ARP too: forget the neighbour and let the next probe ask for it again.
    lab.sh_ok("g1", "ip neigh flush dev eth0");
    let capture = lab.capture_at_monitor();
    lab.send("g1", "198.18.0.12", 1, "after-flush", None);
    let counts = capture.finish();
    assert!(counts.arp > 0, "ARP frames are copied: {counts:?}");
    assert_eq!(counts.of("after-flush"), 1);

    let status = lab.tool_ok(&["mirror", "status"]);
    let vif1 = status
        .lines()
        .find(|l| l.starts_with("vif1.0"))
        .expect("a line for vif1.0");
    let packets: u64 = vif1.split_whitespace().nth(4).unwrap().parse().unwrap();
    assert!(packets >= u64::from(4 * N), "{status}");
    assert!(
        !status.contains("vif3.0"),
        "the excluded port has no chain: {status}"
    );
}

#[test]
fn guests_lose_nothing_while_the_monitor_is_down() {
    let Some(lab) = Lab::xen_host() else {
        return;
    };
    apply_l2(&lab);
    lab.ping("g1", "198.18.0.12");
    lab.sh_ok("dom0", "ip link set vifmon down");
    let receiver = lab.receive("g2");
    lab.send("g1", "198.18.0.12", 200, "monitor-down", None);
    assert_eq!(receiver.finish().of("monitor-down"), 200);
    lab.sh_ok("dom0", "ip link del vifmon");
    let receiver = lab.receive("g2");
    lab.send("g1", "198.18.0.12", 200, "monitor-gone", None);
    assert_eq!(receiver.finish().of("monitor-gone"), 200);
}

#[test]
fn a_recreated_monitor_port_is_critical_until_apply_heals_it() {
    let Some(lab) = Lab::xen_host() else {
        return;
    };
    apply_l2(&lab);
    lab.tool_ok(&["mirror", "status"]);
    lab.recreate_monitor_port();
    let out = lab.tool(&["mirror", "status", "--interval", "0"]);
    assert_eq!(out.status.code(), Some(2));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.starts_with("CRITICAL: destination vifmon was re-created"),
        "{stdout}"
    );
    let json = lab.tool(&["mirror", "status", "--json", "--interval", "0"]);
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["state"], "critical");
    assert_eq!(v["problem_codes"][0], "destination_recreated");
    assert_eq!(v["sources"][0]["state"], "stale");

    // Copying really did stop, as status said.
    let counts = probe(&lab, &[&GUEST_TO_GUEST]);
    assert_eq!(counts.of(GUEST_TO_GUEST.mark), 0, "{counts:?}");

    apply_l2(&lab);
    lab.tool_ok(&["mirror", "status"]);
    let counts = probe(&lab, &[&GUEST_TO_GUEST]);
    assert_copied(&counts, &[&GUEST_TO_GUEST], &[]);
}

/// Someone else's rules, which the tool must leave alone.
fn install_others(lab: &Lab) {
    let others = r#"table inet other {
	chain input {
		type filter hook input priority 0; policy accept;
		udp dport 53 counter accept comment "not ours"
	}
}
table netdev guard {
	chain g {
		type filter hook ingress device "vif1.0" priority 0; policy accept;
		ether type arp counter
	}
}
"#;
    lab.load_nft(others);
    lab.sh_ok(
        "dom0",
        "iptables -t mangle -A PREROUTING -i drbd0 -j ACCEPT && \
         iptables -t mangle -N SOMEONE-ELSE && \
         iptables -t mangle -A SOMEONE-ELSE -j RETURN",
    );
}

/// The section of an nft listing from `table` to its closing brace.
fn section(listing: &str, table: &str) -> String {
    let start = listing
        .find(table)
        .unwrap_or_else(|| panic!("{table} in {listing}"));
    listing[start..].split("\n}\n").next().unwrap().to_string()
}

#[test]
fn only_the_tools_own_rules_change() {
    let Some(lab) = Lab::xen_host() else {
        return;
    };
    install_others(&lab);
    let before = (lab.nft_ruleset(), lab.iptables_mangle());

    let mut plan = vec!["mirror", "plan"];
    plan.extend(L2_SPEC);
    let script = lab.tool_ok(&plan);
    assert!(script.contains("dup to \"vifmon\""), "{script}");
    plan.extend(["--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&lab.tool_ok(&plan)).unwrap();
    assert!(json["nftables"].as_array().unwrap().len() > 5);
    assert_eq!(
        (lab.nft_ruleset(), lab.iptables_mangle()),
        before,
        "plan changes nothing"
    );

    apply_l2(&lab);
    let applied = lab.nft_ruleset();
    assert!(applied.contains("table netdev tool_mirror"));
    for other in ["table inet other", "table netdev guard"] {
        assert_eq!(
            section(&applied, other),
            section(&before.0, other),
            "{other} survives apply"
        );
    }
    apply_l2(&lab);
    assert_eq!(
        lab.nft_ruleset(),
        applied,
        "applying twice gives the same ruleset"
    );

    // The same SPEC from a file, as applied at boot, gives the same rules; flags still win.
    let config = std::env::temp_dir().join(format!("{}-mirror.toml", lab.ns("spec")));
    std::fs::write(
        &config,
        "bridge = \"xenbr0\"\nto = \"vifmon2\"\nexclude_iface = [\"vif3.0\"]\nexclude_net = \"198.18.0.253/32\"\n",
    )
    .unwrap();
    let config_arg = format!("--config={}", config.display());
    lab.tool_ok(&["mirror", "apply", &config_arg, "--to", "vifmon"]);
    std::fs::remove_file(&config).unwrap();
    assert_eq!(
        lab.nft_ruleset(),
        applied,
        "--config gives what the flags give"
    );

    // A dry run has nft check the change and changes nothing.
    let out = lab.tool_ok(&[
        "mirror",
        "apply",
        "--dry-run",
        "--source",
        "vif1.0",
        "--to",
        "vifmon",
    ]);
    assert!(out.starts_with("dry run, nothing changed"), "{out}");
    assert_eq!(lab.nft_ruleset(), applied, "--dry-run changes nothing");

    // The plan's nft script is what apply loads: loading it instead gives the same ruleset.
    lab.tool_ok(&["mirror", "remove"]);
    lab.load_nft(&script);
    assert_eq!(lab.nft_ruleset(), applied, "plan shows what apply loads");

    for (args, needle) in [
        (vec!["--bridge", "xenbr0", "--to", "vifmon9"], "vifmon9"),
        (
            vec![
                "--bridge",
                "xenbr0",
                "--to",
                "vifmon",
                "--exclude-net",
                "198.18.0.1/8",
            ],
            "host bits",
        ),
        (vec!["--bridge", "nobr", "--to", "vifmon"], "nobr"),
        (vec!["--source", "vif7*", "--to", "vifmon"], "vif7*"),
        (
            vec!["--bridge", "xenbr0", "--to", "vif2.0"],
            "--allow-bridged-monitor",
        ),
        (
            vec![
                "--bridge",
                "xenbr0",
                "--to",
                "vifmon",
                "--config",
                "/nonexistent.toml",
            ],
            "/nonexistent.toml",
        ),
    ] {
        let out = lab.tool(&[&["mirror", "apply"][..], &args].concat());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(
            stderr.starts_with("error: ") && stderr.contains(needle),
            "{args:?}: {stderr}"
        );
        assert_eq!(lab.nft_ruleset(), applied, "{args:?} changed nothing");
    }

    lab.tool_ok(&["mirror", "remove"]);
    assert_eq!(
        (lab.nft_ruleset(), lab.iptables_mangle()),
        before,
        "remove leaves no rule of ours"
    );
    let again = lab.tool_ok(&["mirror", "remove"]);
    assert!(again.contains("nothing to remove"), "{again}");
    let out = lab.tool(&["mirror", "status"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("CRITICAL: nothing is mirrored"));
}

fn l3(backend: &str) {
    let Some(lab) = Lab::xen_host() else {
        return;
    };
    install_others(&lab);
    let before = (lab.nft_ruleset(), lab.iptables_mangle());
    let spec = [&L3_SPEC[..], &["--backend", backend]].concat();
    let verb = |verb: &'static str| [&["mirror", verb][..], &spec].concat();
    // Without br_netfilter, traffic bridged between guests never reaches the ip hooks.
    lab.sh_ok("dom0", "sysctl -qw net.bridge.bridge-nf-call-iptables=0");
    let out = lab.tool(&verb("apply"));
    assert!(String::from_utf8_lossy(&out.stderr).contains("warning: br_netfilter is off"));
    let check = lab.tool(&verb("check"));
    assert_eq!(check.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&check.stdout).contains("bridge-nf-call-iptables=1"));
    let out = lab.tool(&["mirror", "status", "--interval", "0"]);
    assert_eq!(out.status.code(), Some(1), "a WARNING");
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .starts_with("WARNING: bridge-nf-call-iptables is 0: ip traffic bridged"),
        "{out:?}"
    );

    lab.sh_ok(
        "dom0",
        "sysctl -qw net.bridge.bridge-nf-call-iptables=1 net.bridge.bridge-nf-filter-vlan-tagged=1",
    );
    lab.tool_ok(&verb("check"));
    lab.tool_ok(&verb("apply"));
    let copied = vec![
        &GUEST_TO_GUEST,
        &GUEST_TO_HOST,
        &HOST_TO_GUEST,
        &OUTSIDE_TO_GUEST,
    ];
    let mut not_copied = vec![
        &TO_DRBD_PEER,
        &FROM_DRBD_PEER,
        &FROM_EXCLUDED_NET,
        &TO_EXCLUDED_NET,
    ];
    if backend == "iptables" {
        // physdev sees the bridge port a packet came in on; nft's ip hooks do not.
        not_copied.push(&FROM_MONITOR);
    }
    let all: Vec<&Path> = copied.iter().chain(not_copied.iter()).copied().collect();
    let counts = probe(&lab, &all);
    assert_copied(&counts, &copied, &not_copied);
    let status = lab.tool_ok(&["mirror", "status", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&status).unwrap();
    assert_eq!(v["state"], "ok");
    assert!(v["sources"][0]["packets"].as_u64().unwrap() > 0, "{status}");

    let applied = (lab.nft_ruleset(), lab.iptables_mangle());
    lab.tool_ok(&verb("apply"));
    assert_eq!(
        (lab.nft_ruleset(), lab.iptables_mangle()),
        applied,
        "applying twice changes nothing"
    );
    lab.tool_ok(&["mirror", "remove", "--backend", backend]);
    assert_eq!(
        (lab.nft_ruleset(), lab.iptables_mangle()),
        before,
        "remove leaves no rule of ours"
    );
}

#[test]
fn l3_with_nft_dup_copies_routed_and_bridged_traffic_once() {
    l3("nft");
}

#[test]
fn l3_with_iptables_tee_copies_routed_and_bridged_traffic_once() {
    l3("iptables");
}

const APPLY_TEE: [&str; 6] = [
    "mirror",
    "apply",
    "--gateway",
    "198.18.200.2",
    "--backend",
    "iptables",
];

#[test]
fn iptables_remove_takes_away_what_iptables_made_for_it() {
    let Some(lab) = Lab::xen_host() else {
        return;
    };
    let before = lab.nft_ruleset();
    lab.tool_ok(&APPLY_TEE);
    assert!(
        lab.iptables_mangle()
            .contains("-j TEE --gateway 198.18.200.2")
    );
    lab.tool_ok(&APPLY_TEE);
    // Switching to nft takes the iptables chains away: copies are never made twice.
    lab.tool_ok(&["mirror", "apply", "--gateway", "198.18.200.2"]);
    assert!(!lab.iptables_mangle().contains("TOOL-MIRROR"));
    assert!(lab.nft_ruleset().contains("table ip tool_mirror"));
    lab.tool_ok(&APPLY_TEE);
    assert!(!lab.nft_ruleset().contains("tool_mirror"));
    lab.tool_ok(&["mirror", "remove"]);
    assert_eq!(
        lab.nft_ruleset(),
        before,
        "the mangle table iptables made for the tool is gone too"
    );
}

#[test]
fn l3_check_names_what_turns_copies_away_and_apply_refuses_an_unrouted_gateway() {
    let Some(lab) = Lab::xen_host() else {
        return;
    };
    let spec = [
        "--bridge",
        "xenbr0",
        "--gateway",
        "198.18.200.2",
        "--exclude-iface",
        "vif3.0",
    ];
    let verb = |verb: &'static str| [&["mirror", verb][..], &spec].concat();
    lab.sh_ok(
        "dom0",
        "sysctl -qw net.bridge.bridge-nf-call-iptables=1 net.bridge.bridge-nf-filter-vlan-tagged=1",
    );
    lab.tool_ok(&verb("check"));
    lab.tool_ok(&verb("apply"));
    let counts = probe(&lab, &[&GUEST_TO_GUEST]);
    assert_copied(&counts, &[&GUEST_TO_GUEST], &[]);

    // Someone else's mangle rule marks what the host sends, copies included: a copy made in
    // prerouting is routed again by its own destination and the monitor gets none of them.
    lab.sh_ok("dom0", "iptables -t mangle -A OUTPUT -j MARK --set-mark 5");
    let check = lab.tool(&verb("check"));
    let text = String::from_utf8_lossy(&check.stdout);
    assert_eq!(check.status.code(), Some(1), "{text}");
    assert!(
        text.contains("FAIL  no rule turns copies to 198.18.200.2 away: table ip mangle chain OUTPUT sets the packet mark or redirects (MARK)"),
        "{text}"
    );
    let counts = probe(&lab, &[&GUEST_TO_GUEST]);
    assert_eq!(
        counts.of(GUEST_TO_GUEST.mark),
        0,
        "as check said: {counts:?}"
    );
    lab.sh_ok("dom0", "iptables -t mangle -D OUTPUT -j MARK --set-mark 5");
    lab.tool_ok(&verb("check"));

    // VLAN-tagged frames between guests pass the ip hooks only with this sysctl.
    lab.sh_ok(
        "dom0",
        "sysctl -qw net.bridge.bridge-nf-filter-vlan-tagged=0",
    );
    let check = lab.tool(&verb("check"));
    let text = String::from_utf8_lossy(&check.stdout);
    assert_eq!(check.status.code(), Some(1), "{text}");
    assert!(
        text.contains("fix: sysctl -w net.bridge.bridge-nf-filter-vlan-tagged=1"),
        "{text}"
    );

    // A gateway without a route would drop every copy: refused, nothing changed.
    let before = lab.nft_ruleset();
    let out = lab.tool(&[
        "mirror",
        "apply",
        "--bridge",
        "xenbr0",
        "--gateway",
        "198.18.99.9",
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.starts_with("error: --gateway 198.18.99.9 has no route")
            && stderr.contains("nothing was changed"),
        "{stderr}"
    );
    assert_eq!(lab.nft_ruleset(), before);
}
