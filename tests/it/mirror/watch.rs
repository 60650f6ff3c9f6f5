//! `tool mirror watch` heals what a live Xen host does to mirroring: guests that start or reboot
//! under a new vif name, a monitor VM that restarts, the tool's table deleted by hand, the lock
//! held by a hook script's apply. Each is checked with marked probes counted at the monitor:
//! every frame copied exactly once once the watch has reacted. Real kernel, inside the
//! namespaces of tests/it/support/netns.rs; the watch's speed is measured by bench/mirror.sh.

use crate::support;

use support::netns::{
    GUEST_TO_GUEST, GUEST_TO_HOST, L2_SPEC, L3_SPEC, Lab, Path, assert_copied, probe,
};
use support::watch::Watcher;

const FROM_G2: Path = Path {
    mark: "from-g2",
    from: "g2",
    to: "198.18.0.11",
    source: None,
};
const FROM_NEW_GUEST: Path = Path {
    mark: "from-new-guest",
    from: "g3",
    to: "198.18.0.11",
    source: None,
};
const TO_NEW_GUEST: Path = Path {
    mark: "to-new-guest",
    from: "g1",
    to: "198.18.0.14",
    source: None,
};

/// The log says what happened in plain lines: no terminal colours or time stamps for journald.
fn assert_plain(log: &[String]) {
    for line in log {
        assert!(
            !line.contains('\x1b') && !line.starts_with(|c: char| c.is_ascii_digit()),
            "{line:?}"
        );
    }
}

/// How many lines of the log name `what`.
fn lines_naming(log: &[String], what: &str) -> usize {
    log.iter().filter(|l| l.contains(what)).count()
}

#[test]
fn new_guests_and_xen_reboots_are_copied_exactly_once() {
    let Some(lab) = Lab::xen_host() else {
        return;
    };
    let mut watch = Watcher::start(&lab, &L2_SPEC);
    assert_copied(&probe(&lab, &[&GUEST_TO_GUEST]), &[&GUEST_TO_GUEST], &[]);

    lab.add_guest("g3", "vif7.0", "14");
    watch.wait_for(&["vif7.0 joined xenbr0", ": applied"]);
    let paths = [&FROM_NEW_GUEST, &TO_NEW_GUEST];
    assert_copied(&probe(&lab, &paths), &paths, &[]);

    // Xen: the guest's domain ends with its port vif2.0, and it comes back as domain 5.
    lab.reboot_guest("g2", "vif2.0", "vif5.0", "12");
    watch.wait_for(&["vif5.0 joined xenbr0", ": applied"]);
    let paths = [&GUEST_TO_GUEST, &FROM_G2, &FROM_NEW_GUEST, &GUEST_TO_HOST];
    assert_copied(&probe(&lab, &paths), &paths, &[]);
    let chains = lab.sh_ok("dom0", "nft list table netdev tool_mirror");
    assert!(
        !chains.contains("vif2.0"),
        "the old port's chain went: {chains}"
    );

    let log = watch.log();
    assert_plain(&log);
    for port in ["vif7.0", "vif2.0", "vif5.0"] {
        assert_eq!(lines_naming(&log, port), 1, "one line per change: {log:#?}");
    }
    assert!(!log.iter().any(|l| l.starts_with("error")), "{log:#?}");
}

#[test]
fn a_monitor_restart_and_hand_edits_of_the_table_are_healed() {
    let Some(lab) = Lab::xen_host() else {
        return;
    };
    let mut watch = Watcher::start(&lab, &L2_SPEC);
    let paths = [&GUEST_TO_GUEST, &FROM_G2, &GUEST_TO_HOST];

    lab.recreate_monitor_port();
    watch.wait_for(&["vifmon re-created: applied"]);
    assert_copied(&probe(&lab, &paths), &paths, &[]);

    lab.sh_ok("dom0", "nft delete table netdev tool_mirror");
    let line = watch.wait_for(&[": applied"]);
    assert!(
        line.starts_with("table netdev tool_mirror deleted by nft (pid "),
        "{line}"
    );
    assert_copied(&probe(&lab, &paths), &paths, &[]);

    // A second dup by hand would copy g1's frames twice.
    lab.sh_ok(
        "dom0",
        "nft add rule netdev tool_mirror in-vif1.0 dup to vifmon",
    );
    let line = watch.wait_for(&[": applied"]);
    assert!(
        line.starts_with("table netdev tool_mirror changed by nft (pid "),
        "{line}"
    );
    assert_copied(&probe(&lab, &paths), &paths, &[]);
    assert_plain(&watch.log());
}

#[test]
fn a_held_lock_delays_the_watch_which_then_heals() {
    let Some(lab) = Lab::xen_host() else {
        return;
    };
    let mut args = L2_SPEC.to_vec();
    args.extend(["--wait", "1"]);
    let mut watch = Watcher::start(&lab, &args);
    // A hook script's apply holds the lock while the guest starts.
    let inode = lab.sh_ok("dom0", "stat -L -c %i /proc/self/ns/net");
    let holder = std::process::Command::new("flock")
        .args([
            &format!("/run/tool/mirror-{}.lock", inode.trim()),
            "-c",
            "exec sleep 4",
        ])
        .spawn()
        .expect("flock runs");
    std::thread::sleep(std::time::Duration::from_millis(300));
    lab.add_guest("g3", "vif7.0", "14");
    watch.wait_for(&["error: vif7.0", "still holds", "trying again"]);
    watch.wait_for(&["vif7.0 joined xenbr0", ": applied"]);
    assert!(holder.wait_with_output().unwrap().status.success());
    let paths = [&FROM_NEW_GUEST, &TO_NEW_GUEST];
    assert_copied(&probe(&lab, &paths), &paths, &[]);
}

#[test]
fn sigterm_and_sigint_end_the_watch_and_copying_goes_on() {
    let Some(lab) = Lab::xen_host() else {
        return;
    };
    for (signal, name) in [(libc::SIGTERM, "SIGTERM"), (libc::SIGINT, "SIGINT")] {
        let mut watch = Watcher::start(&lab, &L2_SPEC);
        watch.signal(signal);
        watch.wait_for(&[name, "the rules stay in place"]);
        let status = watch.exit();
        assert_eq!(status.code(), Some(0), "{name}");
        let paths = [&GUEST_TO_GUEST, &FROM_G2];
        assert_copied(&probe(&lab, &paths), &paths, &[]);
    }
}

#[test]
fn sighup_reads_the_config_again() {
    let Some(lab) = Lab::xen_host() else {
        return;
    };
    let config = std::env::temp_dir().join(format!("{}-mirror.toml", lab.ns("watch")));
    let write = |text: &str| std::fs::write(&config, text).unwrap();
    let spec = "bridge = \"xenbr0\"\nto = \"vifmon\"\nexclude_net = \"198.18.0.253/32\"\n";
    write(&format!("{spec}exclude_iface = [\"vif3.0\", \"vif2.0\"]\n"));
    let config_arg = format!("--config={}", config.display());
    let mut watch = Watcher::start(&lab, &[&config_arg]);
    // g2's port is excluded: what it sends is not copied.
    let paths = [&GUEST_TO_GUEST, &FROM_G2];
    assert_copied(&probe(&lab, &paths), &[&GUEST_TO_GUEST], &[&FROM_G2]);

    write(&format!("{spec}exclude_iface = \"vif3.0\"\n"));
    watch.signal(libc::SIGHUP);
    watch.wait_for(&["SIGHUP", ": applied"]);
    assert_copied(&probe(&lab, &paths), &paths, &[]);

    // A broken file changes nothing: the watch goes on with what it had.
    write("brige = \"xenbr0\"\n");
    watch.signal(libc::SIGHUP);
    watch.wait_for(&[
        "error: SIGHUP",
        "unknown field",
        "still mirroring as before",
    ]);
    assert_copied(&probe(&lab, &paths), &paths, &[]);
    let _ = std::fs::remove_file(&config);
}

#[test]
fn a_senseless_spec_stops_the_watch_before_anything_changes() {
    let Some(lab) = Lab::xen_host() else {
        return;
    };
    let before = lab.nft_ruleset();
    let out = lab.tool(&[
        "mirror",
        "watch",
        "--bridge",
        "xenbr0",
        "--config=/dev/null",
    ]);
    let stderr = support::assert_fails(&out, &["say where copies go"]);
    assert!(stderr.contains("--to"), "{stderr}");
    assert_eq!(lab.nft_ruleset(), before);
}

#[test]
fn the_shipped_unit_runs_the_watch_on_the_example_config() {
    let Some(lab) = Lab::xen_host() else {
        return;
    };
    let root = env!("CARGO_MANIFEST_DIR");
    let unit = std::fs::read_to_string(format!("{root}/contrib/tool-mirror.service")).unwrap();
    let exec = |key: &str| {
        unit.lines()
            .find_map(|l| l.strip_prefix(key))
            .unwrap_or_else(|| panic!("{key} in the unit"))
            .to_string()
    };
    let start = exec("ExecStart=");
    let args: Vec<&str> = start
        .strip_prefix("tool mirror watch ")
        .expect("the unit runs the watch")
        .split(' ')
        .collect();
    assert_eq!(args, ["--config", "/etc/tool/mirror.toml"]);
    assert_eq!(exec("ExecReload="), "/bin/kill -HUP $MAINPID");
    let example = format!("{root}/contrib/mirror.toml");
    let mut watch = Watcher::start(&lab, &["--config", &example]);
    let paths = [&GUEST_TO_GUEST, &FROM_G2, &GUEST_TO_HOST];
    assert_copied(&probe(&lab, &paths), &paths, &[]);
    watch.signal(libc::SIGHUP);
    watch.wait_for(&["SIGHUP", "already in place"]);
    // systemctl stop sends SIGTERM; Restart=on-failure must not see a failure.
    watch.signal(libc::SIGTERM);
    assert_eq!(watch.exit().code(), Some(0));
}

#[test]
fn a_renamed_guest_port_is_followed_and_copied_exactly_once() {
    let Some(lab) = Lab::xen_host() else {
        return;
    };
    let mut watch = Watcher::start(&lab, &L2_SPEC);
    assert_copied(&probe(&lab, &[&FROM_G2]), &[&FROM_G2], &[]);

    // A toolstack that names ports after their guests renames a port it already made.
    lab.sh_ok(
        "dom0",
        "ip link set vif2.0 down && ip link set vif2.0 name guest-g2 && ip link set guest-g2 up",
    );
    watch.wait_for(&["vif2.0 renamed guest-g2", ": applied"]);
    let paths = [&GUEST_TO_GUEST, &FROM_G2, &GUEST_TO_HOST];
    assert_copied(&probe(&lab, &paths), &paths, &[]);
    let chains = lab.sh_ok("dom0", "nft list table netdev tool_mirror");
    assert!(
        chains.contains("guest-g2") && !chains.contains("vif2.0"),
        "the chain follows the new name: {chains}"
    );
    assert!(
        !watch.log().iter().any(|l| l.starts_with("error")),
        "{:#?}",
        watch.log()
    );
}

#[test]
fn with_iptables_a_hand_flushed_tee_chain_is_healed() {
    let Some(lab) = Lab::xen_host() else {
        return;
    };
    lab.sh_ok("dom0", "sysctl -qw net.bridge.bridge-nf-call-iptables=1");
    let spec = [&L3_SPEC[..], &["--backend", "iptables"]].concat();
    let mut watch = Watcher::start(&lab, &spec);
    // What the tool made iptables-nft create is recorded in a rule of its own chain, which the
    // flush takes with it: the rules that copy are what must come back.
    let copying = || {
        lab.iptables_mangle()
            .lines()
            .filter(|l| !l.contains("tool-mirror-made"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let applied = copying();
    assert!(applied.contains("-j TEE"), "{applied}");

    lab.sh_ok("dom0", "iptables -t mangle -F TOOL-MIRROR-IN");
    watch.wait_for(&["table ip mangle changed by iptables", ": applied"]);
    assert_eq!(copying(), applied, "the TEE rules are back as they were");
    let paths = [&GUEST_TO_GUEST];
    assert_copied(&probe(&lab, &paths), &paths, &[]);
}
