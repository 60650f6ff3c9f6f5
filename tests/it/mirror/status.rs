//! `tool mirror status` tells the truth in the monitoring-plugins convention (0 OK, 1 WARNING,
//! 2 CRITICAL, 3 UNKNOWN): each state is produced for real in the namespaces of
//! tests/it/support/netns.rs, and where it says copying goes on or stopped, marked probes counted
//! at the monitor agree.

use crate::support;

use std::process::{Command, Stdio};

use support::netns::{L2_SPEC, Lab, N, Path, assert_copied, probe};

/// Traffic that enters the bridge through vif2.0.
const GUEST2_TO_GUEST1: Path = Path {
    mark: "g2-g1",
    from: "g2",
    to: "198.18.0.11",
    source: None,
};

fn apply(lab: &Lab, spec: &[&str]) {
    lab.tool_ok(&[&["mirror", "apply"][..], spec].concat());
}

/// Runs `status` with `args` (drops sampled only where asked): its exit status and stdout.
fn status(lab: &Lab, args: &[&str]) -> (i32, String) {
    let mut all = vec!["mirror", "status"];
    if !args.contains(&"--interval") {
        all.extend(["--interval", "0"]);
    }
    all.extend(args);
    let out = lab.tool(&all);
    assert!(
        out.stderr.is_empty(),
        "status says it all on stdout: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (
        out.status.code().expect("an exit status"),
        String::from_utf8(out.stdout).unwrap(),
    )
}

/// Asserts the exit status, the first line's start and the JSON's codes.
fn assert_state(lab: &Lab, code: i32, first_line: &str, problem: Option<&str>) {
    let (got, text) = status(lab, &[]);
    assert_eq!(got, code, "{text}");
    let line = text.lines().next().unwrap_or_default();
    assert!(line.starts_with(first_line), "{first_line:?}: {text}");
    let (_, json) = status(lab, &["--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["state_code"], code, "{json}");
    if let Some(problem) = problem {
        assert_eq!(v["problem_codes"][0], problem, "{json}");
        assert_eq!(
            v["problems"].as_array().unwrap().len(),
            v["problem_codes"].as_array().unwrap().len()
        );
    }
}

#[test]
fn the_destinations_faults_are_critical() {
    let Some(lab) = Lab::xen_host() else {
        return;
    };
    apply(&lab, &L2_SPEC);
    assert_state(&lab, 0, "OK: ", None);

    // Each fault, then its mend. When the monitor VM stops, its side of the port goes down and
    // ours loses carrier.
    for (role, fault, first_line, code, mend) in [
        (
            "dom0",
            "ip link set vifmon mtu 1280",
            "CRITICAL: destination vifmon has MTU 1280 but source",
            "destination_mtu",
            "ip link set vifmon mtu 1500",
        ),
        (
            "mon",
            "ip link set cap0 down",
            "CRITICAL: destination vifmon has no carrier",
            "destination_no_carrier",
            "ip link set cap0 up",
        ),
        (
            "dom0",
            "ip link set vifmon down",
            "CRITICAL: destination vifmon is down",
            "destination_down",
            "ip link set vifmon up",
        ),
    ] {
        lab.sh_ok(role, fault);
        assert_state(&lab, 2, first_line, Some(code));
        lab.sh_ok(role, mend);
    }
    assert_state(&lab, 0, "OK: ", None);

    // The monitor's own interface takes smaller frames than ours sends: each large copy is
    // dropped on the way, and only two reads of the drop counter show it.
    lab.sh_ok("mon", "ip link set cap0 mtu 1280");
    lab.ping("g1", "198.18.0.12");
    let mut traffic = Command::new("ip")
        .args(["netns", "exec", &lab.ns("g1")])
        .args([
            "ping",
            "-q",
            "-i",
            "0.01",
            "-s",
            "1400",
            "-w",
            "20",
            "198.18.0.12",
        ])
        .stdout(Stdio::null())
        .spawn()
        .expect("ping runs");
    let (code, text) = status(&lab, &["--interval", "1"]);
    let (_, metrics) = status(&lab, &["--interval", "1", "--format", "prometheus"]);
    let _ = traffic.kill();
    let _ = traffic.wait();
    assert_eq!(code, 2, "{text}");
    assert!(
        text.starts_with("CRITICAL: destination vifmon dropped "),
        "{text}"
    );
    let dropped: u64 = metrics
        .lines()
        .find_map(|l| {
            l.strip_prefix("tool_mirror_destination_dropped_total{destination=\"vifmon\"} ")
        })
        .unwrap_or_else(|| panic!("{metrics}"))
        .parse()
        .unwrap();
    assert!(dropped > 0, "{metrics}");
    assert!(metrics.contains("\ntool_mirror_state 2\n"), "{metrics}");
    lab.sh_ok("mon", "ip link set cap0 mtu 1500");
    // No traffic, no new drops: the counter's old value is no alert.
    assert_state(&lab, 0, "OK: ", None);

    lab.sh_ok("dom0", "ip link del vifmon");
    assert_state(
        &lab,
        2,
        "CRITICAL: destination vifmon is gone",
        Some("destination_missing"),
    );
    lab.tool_ok(&["mirror", "remove"]);
    assert_state(
        &lab,
        2,
        "CRITICAL: nothing is mirrored",
        Some("nothing_applied"),
    );
}

#[test]
fn guests_coming_and_going_are_judged_as_the_kernel_copies() {
    let Some(lab) = Lab::xen_host() else {
        return;
    };
    apply(&lab, &L2_SPEC);
    // A guest restarted: its port is deleted and made again under the same name.
    lab.sh_ok(
        "dom0",
        &format!(
            "ip link del vif2.0 && ip link add vif2.0 type veth peer name eth0 netns {} && ip link set vif2.0 master xenbr0 up",
            lab.ns("g2")
        ),
    );
    lab.sh_ok(
        "g2",
        "ip addr add 198.18.0.12/24 dev eth0 && ip link set eth0 up",
    );
    let counts = probe(&lab, &[&GUEST2_TO_GUEST1]);
    let (code, text) = status(&lab, &[]);
    // Whatever this kernel does, status agrees with it.
    let rebound = counts.of(GUEST2_TO_GUEST1.mark) == u64::from(N);
    eprintln!("this kernel re-binds a re-created port's chain: {rebound}");
    if rebound {
        assert_eq!(
            code, 0,
            "the kernel re-bound the chain and copying went on: {text}"
        );
    } else {
        assert_eq!(counts.of(GUEST2_TO_GUEST1.mark), 0, "{counts:?}");
        assert_eq!(code, 2, "copying stopped: {text}");
        assert!(text.contains("source vif2.0 was re-created"), "{text}");
    }
    apply(&lab, &L2_SPEC);

    // A guest started since apply.
    lab.sh_ok(
        "dom0",
        "ip link add vif9.0 type veth peer name vif9p && ip link set vif9.0 master xenbr0 up",
    );
    assert_state(
        &lab,
        1,
        "WARNING: port vif9.0 joined xenbr0",
        Some("port_not_mirrored"),
    );
    apply(&lab, &L2_SPEC);
    assert_state(&lab, 0, "OK: ", None);
    // It shut down: nothing to alert about.
    lab.sh_ok("dom0", "ip link del vif9.0");
    assert_state(&lab, 0, "OK: ", None);
    let (_, json) = status(&lab, &["--json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let vif9 = v["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["source"] == "vif9.0")
        .unwrap_or_else(|| panic!("{json}"));
    assert_eq!(vif9["state"], "gone");

    // A --source glob: a new device it matches has no chain yet.
    lab.tool_ok(&["mirror", "remove"]);
    let glob = [
        "--source",
        "vif*",
        "--to",
        "vifmon",
        "--exclude-iface",
        "vif3.0",
        "--direction",
        "in",
    ];
    apply(&lab, &glob);
    assert_state(&lab, 0, "OK: ", None);
    lab.sh_ok(
        "dom0",
        "ip link add vif7.0 type veth peer name guest7 && ip link set vif7.0 up",
    );
    assert_state(
        &lab,
        1,
        "WARNING: vif7.0 matches --source 'vif*' but is not mirrored",
        Some("glob_match_not_mirrored"),
    );
    apply(&lab, &glob);
    assert_state(&lab, 0, "OK: ", None);
    let counts = probe(&lab, &[&GUEST2_TO_GUEST1]);
    assert_copied(&counts, &[&GUEST2_TO_GUEST1], &[]);

    let (_, metrics) = status(&lab, &["--format", "prometheus"]);
    let line = metrics
        .lines()
        .find(|l| {
            l.starts_with(
                "tool_mirror_packets_total{source=\"vif2.0\",hook=\"ingress\",destination=\"vifmon\",backend=\"nft\"} ",
            )
        })
        .unwrap_or_else(|| panic!("{metrics}"));
    let packets: u64 = line.rsplit(' ').next().unwrap().parse().unwrap();
    assert!(packets >= u64::from(N), "{metrics}");
    assert!(metrics.contains("\ntool_mirror_bytes_total{source=\"vif2.0\""));
    assert!(metrics.contains("\ntool_mirror_state 0\n"), "{metrics}");
}

#[test]
fn what_cannot_be_read_is_unknown() {
    let Some(lab) = Lab::xen_host() else {
        return;
    };
    if !support::require("setpriv", "drops the status command's rights") {
        return;
    }
    apply(&lab, &L2_SPEC);
    let tool = env!("CARGO_BIN_EXE_tool");
    // Root without its capabilities, as an unprivileged user is.
    let out = lab.sh(
        "dom0",
        &format!("setpriv --inh-caps=-all --bounding-set=-all {tool} mirror status --interval 0"),
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(3), "{text}");
    assert!(
        text.starts_with("UNKNOWN: cannot read the rules without CAP_NET_ADMIN"),
        "{text}"
    );
    let out = lab.sh(
        "dom0",
        &format!("setpriv --reuid=65534 --regid=65534 --clear-groups {tool} mirror status --format prometheus"),
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(3), "{text}");
    assert!(text.contains("\ntool_mirror_state 3\n"), "{text}");

    // nft is missing: only `ip` is on the PATH.
    let bin = std::env::temp_dir().join(lab.ns("bin"));
    std::fs::create_dir_all(&bin).unwrap();
    let ip = String::from_utf8(
        Command::new("sh")
            .args(["-c", "command -v ip"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    std::os::unix::fs::symlink(ip.trim(), bin.join("ip")).unwrap();
    let out = lab
        .tool_command(&["mirror", "status", "--interval", "0", "--format", "json"])
        .env("PATH", &bin)
        .output()
        .unwrap();
    std::fs::remove_dir_all(&bin).unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(3), "{v}");
    assert_eq!(v["state"], "unknown");
    assert_eq!(v["problem_codes"][0], "cannot_read");
    assert!(
        v["problems"][0]
            .as_str()
            .unwrap()
            .contains("nft is not installed"),
        "{v}"
    );
}
