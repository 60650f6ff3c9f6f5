//! A Xen-like host built from network namespaces that the test creates and deletes, so that
//! mirroring runs against the real kernel and never against this machine's own network.
//!
//! ```text
//!   g1 eth0 ── vif1.0 ┐                         dom0 (xenbr0 198.18.0.1, 2001:db8::1)
//!   g2 eth0 ── vif2.0 ┼─ xenbr0                 drbd0 198.19.0.1 ── peer eth0 198.19.0.2
//!  mon eth0 ── vif3.0 ┤  (the monitor's own     vifmon 198.18.200.1 ── mon cap0 198.18.200.2
//!  out eth0 ── uplink ┘   vif on the bridge)    (the monitor's capture port, off the bridge)
//! ```
//! Guests are 198.18.0.11-.13 and 2001:db8::11-13; "outside" is 198.18.0.254 and .253.
//! Only 198.18.0.0/15 and 2001:db8::/32 are used.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::process::{Child, ChildStdin, ChildStdout, Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

use super::{assert_ran, require, require_root};

pub const PORT: u16 = 9999;
const PROBE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/it/support/probe.py");

pub struct Lab {
    id: String,
    /// Guests added after the host was built, deleted with it.
    added: std::sync::Mutex<Vec<String>>,
}

/// What a capture or receiver counted.
#[derive(Debug, Default)]
pub struct Counts {
    pub marks: HashMap<String, u64>,
    /// Probes found anywhere in a frame but an ICMP error: also those wrapped in a tunnel's
    /// packet, so that a copy of a copy counts here and not in `marks`.
    pub anywhere: HashMap<String, u64>,
    pub arp: u64,
    pub ipv6: u64,
    /// ARP frames by sender ("arp 198.18.0.11"), neighbour discovery by source ("nd 2001:db8::11").
    pub neighbour: HashMap<String, u64>,
}

impl Counts {
    pub fn of(&self, mark: &str) -> u64 {
        self.marks.get(mark).copied().unwrap_or(0)
    }
}

/// A running capture or receiver; [`Listener::finish`] stops it and returns its counts.
pub struct Listener {
    child: Child,
    stdin: Option<ChildStdin>,
    stdout: BufReader<ChildStdout>,
}

impl Listener {
    /// Tells it to stop (it counts half a second more); [`Listener::finish`] then reads the
    /// counts. Stopping two listeners first makes them count over the same time.
    pub fn stop(&mut self) {
        drop(self.stdin.take());
    }

    pub fn finish(mut self) -> Counts {
        drop(self.stdin.take());
        let mut line = String::new();
        self.stdout
            .read_line(&mut line)
            .expect("the listener reports");
        let _ = self.child.wait();
        let v: serde_json::Value =
            serde_json::from_str(&line).unwrap_or_else(|e| panic!("listener output {line:?}: {e}"));
        let counted = |key: &str| -> HashMap<String, u64> {
            v[key]
                .as_object()
                .map(|m| {
                    m.iter()
                        .map(|(k, n)| (k.clone(), n.as_u64().unwrap_or(0)))
                        .collect()
                })
                .unwrap_or_default()
        };
        Counts {
            marks: counted("marks"),
            anywhere: counted("anywhere"),
            arp: v["arp"].as_u64().unwrap_or(0),
            ipv6: v["ipv6"].as_u64().unwrap_or(0),
            neighbour: counted("neighbour"),
        }
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Lab {
    /// Builds the host, or returns `None` after a loud message where it cannot be built here
    /// (under CI=true that fails the test instead).
    pub fn xen_host() -> Option<Lab> {
        if !require_root("mirror tests need root to make network namespaces") {
            return None;
        }
        for (program, why) in [
            ("ip", "iproute2 builds the test host"),
            ("nft", "nftables is what apply drives"),
            ("iptables", "the TEE backend"),
            ("python3", "the probes and the capture"),
        ] {
            if !require(program, why) {
                return None;
            }
        }
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let id = format!(
            "tmt{}x{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::SeqCst)
        );
        let lab = Lab {
            id,
            added: Default::default(),
        };
        lab.build();
        Some(lab)
    }

    pub fn ns(&self, role: &str) -> String {
        format!("{}-{role}", self.id)
    }

    fn build(&self) {
        let [d, g1, g2, mon, out, peer] =
            ["dom0", "g1", "g2", "mon", "out", "peer"].map(|r| self.ns(r));
        let mut s = String::new();
        for ns in [&d, &g1, &g2, &mon, &out, &peer] {
            s += &format!("ip netns add {ns}\nip -n {ns} link set lo up\n");
        }
        s += &format!(
            "ip -n {d} link add xenbr0 type bridge\n\
             ip -n {d} link set xenbr0 up\n\
             ip -n {d} addr add 198.18.0.1/24 dev xenbr0\n\
             ip -n {d} addr add 2001:db8::1/64 dev xenbr0 nodad\n"
        );
        for (vif, role, host) in [
            ("vif1.0", "g1", "11"),
            ("vif2.0", "g2", "12"),
            ("vif3.0", "mon", "13"),
            ("uplink", "out", "254"),
        ] {
            s += &self.guest_port_script(vif, role, host);
        }
        s += &format!(
            "ip -n {out} addr add 198.18.0.253/24 dev eth0\n\
             ip -n {d} link add drbd0 type veth peer name eth0 netns {peer}\n\
             ip -n {d} addr add 198.19.0.1/24 dev drbd0\n\
             ip -n {d} link set drbd0 up\n\
             ip -n {peer} addr add 198.19.0.2/24 dev eth0\n\
             ip -n {peer} link set eth0 up\n"
        );
        s += &self.monitor_port_script();
        self.run_script(&s, "building the test host");
    }

    /// Plugs `role`'s eth0 into xenbr0 as port `vif`, with addresses 198.18.0.HOST and
    /// 2001:db8::HOST, as Xen's hotplug script does when a guest starts.
    fn guest_port_script(&self, vif: &str, role: &str, host: &str) -> String {
        let (d, ns) = (self.ns("dom0"), self.ns(role));
        format!(
            "ip -n {d} link add {vif} type veth peer name eth0 netns {ns}\n\
             ip -n {d} link set {vif} master xenbr0 up\n\
             ip -n {ns} addr add 198.18.0.{host}/24 dev eth0\n\
             ip -n {ns} addr add 2001:db8::{host}/64 dev eth0 nodad\n\
             ip -n {ns} link set eth0 up\n"
        )
    }

    fn run_script(&self, script: &str, what: &str) {
        let script = format!("set -e\n{script}");
        assert_ran(
            Command::new("bash")
                .arg("-c")
                .arg(&script)
                .output()
                .unwrap(),
            what,
        );
    }

    /// Starts a new guest `role` on port `vif` (see [`Lab::guest_port_script`]).
    pub fn add_guest(&self, role: &str, vif: &str, host: &str) {
        let ns = self.ns(role);
        self.added.lock().unwrap().push(role.to_string());
        self.run_script(
            &format!(
                "ip netns add {ns}\nip -n {ns} link set lo up\n{}",
                self.guest_port_script(vif, role, host)
            ),
            "starting a guest",
        );
    }

    /// Reboots guest `role` the Xen way: its port `old_vif` goes away with the old domain, and
    /// the guest comes back on a new port `new_vif` (a new domain id) with the same addresses
    /// and, from its domain's configuration, the same MAC address.
    pub fn reboot_guest(&self, role: &str, old_vif: &str, new_vif: &str, host: &str) {
        let ns = self.ns(role);
        self.run_script(
            &format!(
                "mac=$(ip -n {ns} link show eth0 | awk '/link\\/ether/ {{ print $2 }}')\n\
                 ip -n {} link del {old_vif}\n{}\
                 ip -n {ns} link set eth0 address \"$mac\"\n",
                self.ns("dom0"),
                self.guest_port_script(new_vif, role, host)
            ),
            "rebooting a guest",
        );
    }

    fn monitor_port_script(&self) -> String {
        let (d, mon) = (self.ns("dom0"), self.ns("mon"));
        format!(
            "ip -n {d} link add vifmon type veth peer name cap0 netns {mon}\n\
             ip -n {d} addr add 198.18.200.1/30 dev vifmon\n\
             ip -n {d} link set vifmon up\n\
             ip -n {mon} addr add 198.18.200.2/30 dev cap0\n\
             ip -n {mon} link set cap0 up promisc on\n"
        )
    }

    /// Adds a collector host off the bridge, namespace `col`, on a link of its own from dom0:
    /// dom0's `colnet` has 198.18.210.1/24 and 2001:db8:210::1/64, the collector's eth0 .2.
    pub fn add_collector_host(&self) {
        let (d, col) = (self.ns("dom0"), self.ns("col"));
        self.added.lock().unwrap().push("col".into());
        self.run_script(
            &format!(
                "ip netns add {col}\nip -n {col} link set lo up\n\
                 ip -n {d} link add colnet type veth peer name eth0 netns {col}\n\
                 ip -n {d} addr add 198.18.210.1/24 dev colnet\n\
                 ip -n {d} addr add 2001:db8:210::1/64 dev colnet nodad\n\
                 ip -n {d} link set colnet up\n\
                 ip -n {col} addr add 198.18.210.2/24 dev eth0\n\
                 ip -n {col} addr add 2001:db8:210::2/64 dev eth0 nodad\n\
                 ip -n {col} link set eth0 up\n"
            ),
            "adding a collector host",
        );
    }

    /// Makes `role` a collector: a tunnel device `rx0` of `link` (an `ip link add ... type`
    /// tail such as "vxlan id 7 dstport 4789") bound to its address `local`, which takes the
    /// copies out again; a capture on `rx0` counts them.
    pub fn decapsulate(&self, role: &str, local: &str, link: &str) {
        let ns = self.ns(role);
        self.run_script(
            &format!(
                "ip -n {ns} link add rx0 type {link} local {local}\nip -n {ns} link set rx0 up\n"
            ),
            "making a collector",
        );
    }

    /// Deletes the monitor's capture port and makes it again, as a monitor VM restart does.
    pub fn recreate_monitor_port(&self) {
        let script = format!(
            "ip -n {} link del vifmon\n{}",
            self.ns("dom0"),
            self.monitor_port_script()
        );
        self.run_script(&script, "re-creating vifmon");
    }

    /// Runs `script` with sh inside `role`'s namespace.
    pub fn sh(&self, role: &str, script: &str) -> Output {
        Command::new("ip")
            .args(["netns", "exec", &self.ns(role), "sh", "-c", script])
            .output()
            .expect("ip netns exec runs")
    }

    pub fn sh_ok(&self, role: &str, script: &str) -> String {
        String::from_utf8(assert_ran(self.sh(role, script), script).stdout).unwrap()
    }

    /// `tool ARGS` in dom0, to be run.
    pub fn tool_command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new("ip");
        cmd.args([
            "netns",
            "exec",
            &self.ns("dom0"),
            env!("CARGO_BIN_EXE_tool"),
        ])
        .args(args)
        .env_remove("NO_COLOR");
        cmd
    }

    /// Runs `tool ARGS` in dom0.
    /// Runs `tool` with each of `runs` at the same moment in dom0 and asserts that every one
    /// succeeded (`trial` names the round in the message).
    pub fn tool_at_once(&self, runs: &[Vec<&str>], trial: &str) {
        let children: Vec<_> = runs
            .iter()
            .map(|args| self.tool_command(args).spawn().expect("the tool starts"))
            .collect();
        for child in children {
            let out = child.wait_with_output().unwrap();
            assert!(out.status.success(), "{trial}: {out:?}");
        }
    }

    pub fn tool(&self, args: &[&str]) -> Output {
        self.tool_command(args).output().expect("the tool runs")
    }

    pub fn tool_ok(&self, args: &[&str]) -> String {
        String::from_utf8(assert_ran(self.tool(args), &format!("tool {args:?}")).stdout).unwrap()
    }

    /// Sends `count` probes marked `mark` from `role` to `dst`.
    pub fn send(&self, role: &str, dst: &str, count: u32, mark: &str, from: Option<&str>) {
        self.send_padded(role, dst, count, mark, from, 0);
    }

    /// Sends `count` probes marked `mark`, each padded by `pad` bytes, from `role` to `dst`.
    pub fn send_padded(
        &self,
        role: &str,
        dst: &str,
        count: u32,
        mark: &str,
        from: Option<&str>,
        pad: usize,
    ) {
        let mut cmd = Command::new("ip");
        cmd.args([
            "netns",
            "exec",
            &self.ns(role),
            "python3",
            PROBE,
            "send",
            dst,
            &count.to_string(),
            mark,
        ]);
        if let Some(f) = from {
            cmd.args(["--from", f]);
        }
        if pad > 0 {
            cmd.args(["--pad", &pad.to_string()]);
        }
        assert_ran(cmd.output().unwrap(), &format!("sending {mark}"));
    }

    fn listen(&self, role: &str, args: &[&str]) -> Listener {
        let mut child = Command::new("ip")
            .args(["netns", "exec", &self.ns(role), "python3", PROBE])
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("python3 runs");
        let stdin = child.stdin.take();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        stdout.read_line(&mut line).unwrap();
        assert_eq!(line.trim(), "ready", "listener in {role} did not start");
        Listener {
            child,
            stdin,
            stdout,
        }
    }

    /// Captures every frame arriving at the monitor's capture port.
    pub fn capture_at_monitor(&self) -> Listener {
        self.capture("mon", "cap0")
    }

    /// Captures every frame sent or received on `iface` in `role`'s namespace.
    pub fn capture(&self, role: &str, iface: &str) -> Listener {
        self.listen(role, &["capture", iface])
    }

    /// Counts the probes a guest's UDP port receives.
    pub fn receive(&self, role: &str) -> Listener {
        self.listen(role, &["recv", &PORT.to_string()])
    }

    /// The whole nft ruleset of dom0, without counter values.
    pub fn nft_ruleset(&self) -> String {
        self.sh_ok("dom0", "nft -s list ruleset")
    }

    /// dom0's mangle tables as iptables-save shows them, minus the timestamp comments.
    pub fn iptables_mangle(&self) -> String {
        let text = self.sh_ok("dom0", "iptables-save -t mangle; ip6tables-save -t mangle");
        text.lines()
            .filter(|l| !l.starts_with('#'))
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// Loads an nft script in dom0.
    pub fn load_nft(&self, script: &str) {
        let mut child = Command::new("ip")
            .args(["netns", "exec", &self.ns("dom0"), "nft", "-f", "-"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("nft runs");
        std::io::Write::write_all(&mut child.stdin.take().unwrap(), script.as_bytes()).unwrap();
        assert_ran(child.wait_with_output().unwrap(), "loading an nft script");
    }

    /// Warms up neighbour caches so probes are not held back by address resolution.
    pub fn ping(&self, role: &str, dst: &str) {
        self.sh_ok(role, &format!("ping -c 1 -W 2 {dst} > /dev/null"));
    }
}

impl Drop for Lab {
    fn drop(&mut self) {
        let added = self.added.lock().map(|a| a.clone()).unwrap_or_default();
        let roles = ["dom0", "g1", "g2", "mon", "out", "peer"].map(String::from);
        for role in roles.iter().chain(&added) {
            let _ = Command::new("ip")
                .args(["netns", "del", &self.ns(role)])
                .output();
        }
    }
}

/// Probes per path.
pub const N: u32 = 10;

/// A probe path: its mark, the sending namespace, the destination, and the source address.
pub struct Path {
    pub mark: &'static str,
    pub from: &'static str,
    pub to: &'static str,
    pub source: Option<&'static str>,
}

const fn path(mark: &'static str, from: &'static str, to: &'static str) -> Path {
    Path {
        mark,
        from,
        to,
        source: None,
    }
}

pub const GUEST_TO_GUEST: Path = path("guest-guest", "g1", "198.18.0.12");
pub const GUEST_TO_HOST: Path = path("guest-host", "g1", "198.18.0.1");
pub const HOST_TO_GUEST: Path = path("host-guest", "dom0", "198.18.0.11");
pub const OUTSIDE_TO_GUEST: Path = path("outside-guest", "out", "198.18.0.11");
pub const GUEST_TO_OUTSIDE: Path = path("guest-outside", "g1", "198.18.0.254");
pub const GUEST_TO_GUEST_V6: Path = path("guest-guest-v6", "g1", "2001:db8::12");
pub const TO_DRBD_PEER: Path = path("to-drbd", "dom0", "198.19.0.2");
pub const FROM_DRBD_PEER: Path = path("from-drbd", "peer", "198.19.0.1");
pub const FROM_MONITOR: Path = path("from-monitor-vif", "mon", "198.18.0.11");
pub const FROM_EXCLUDED_NET: Path = Path {
    mark: "from-excluded-net",
    from: "out",
    to: "198.18.0.11",
    source: Some("198.18.0.253"),
};
pub const TO_EXCLUDED_NET: Path = path("to-excluded-net", "g1", "198.18.0.253");

/// Resolves neighbours first (so no probe waits on ARP), then sends every path's probes while
/// the monitor's port is captured.
pub fn probe(lab: &Lab, paths: &[&Path]) -> Counts {
    for p in paths {
        lab.ping(p.from, p.to);
    }
    let capture = lab.capture_at_monitor();
    for p in paths {
        lab.send(p.from, p.to, N, p.mark, p.source);
    }
    capture.finish()
}

pub fn assert_copied(counts: &Counts, copied: &[&Path], not_copied: &[&Path]) {
    for p in copied {
        assert_eq!(
            counts.of(p.mark),
            u64::from(N),
            "{} copied once per probe: {counts:?}",
            p.mark
        );
    }
    for p in not_copied {
        assert_eq!(
            counts.of(p.mark),
            0,
            "{} must not be copied: {counts:?}",
            p.mark
        );
    }
}

/// The L3 SPEC without its backend: the bridge to the monitor's address, without the monitor's
/// own vif and one outside address.
pub const L3_SPEC: [&str; 9] = [
    "--bridge",
    "xenbr0",
    "--gateway",
    "198.18.200.2",
    "--exclude-net",
    "198.18.0.253/32",
    "--exclude-iface",
    "vif3.0",
    "--config=/dev/null",
];

/// The L2 SPEC most tests apply: the whole bridge to the monitor's capture port, without the
/// monitor's own vif and one outside address.
pub const L2_SPEC: [&str; 9] = [
    "--bridge",
    "xenbr0",
    "--to",
    "vifmon",
    "--exclude-iface",
    "vif3.0",
    "--exclude-net",
    "198.18.0.253/32",
    "--config=/dev/null",
];
