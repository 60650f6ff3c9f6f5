//! The effects: running nft, iptables-save and iptables-restore.

use std::collections::VecDeque;
use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::Mutex;

use anyhow::{Context, bail};
use nftables::helper::{self, NftablesError};
use nftables::schema::{NfListObject, NfObject, Nftables};

use super::iptables::{self, Saved};
use super::nft::{self, ListedRule, TABLE};
use super::plan::Family;

fn nft_error(e: NftablesError) -> anyhow::Error {
    match e {
        NftablesError::NftExecution { inner, .. }
            if inner.kind() == std::io::ErrorKind::NotFound =>
        {
            anyhow::anyhow!("nft is not installed: install nftables (apt-get install nftables)")
        }
        NftablesError::NftFailed { stderr, .. } => {
            anyhow::anyhow!("nft refused it: {}", first_line(&stderr))
        }
        other => anyhow::anyhow!("nft failed: {other}"),
    }
}

/// The processes this one ran to change the ruleset, newest last. `watch` tells its own
/// changes from someone else's by the process id the kernel names with each nftables
/// transaction. (Inside a PID namespace of its own the kernel's ids differ from these; its own
/// changes then only cost it a check that finds nothing to do.)
static CHANGERS: Mutex<VecDeque<u32>> = Mutex::new(VecDeque::new());
/// More than one apply runs.
const CHANGERS_KEPT: usize = 32;

/// Whether `pid` is a process this one ran to change the ruleset.
pub fn ran_here(pid: u32) -> bool {
    CHANGERS
        .lock()
        .is_ok_and(|changers| changers.contains(&pid))
}

/// Runs `program` with `args` and `input` on its stdin to change the ruleset, and remembers
/// its process id. `Err` holds the first line it wrote to stderr when it failed.
fn run_changer(program: &str, args: &[&str], input: &[u8]) -> std::io::Result<Result<(), String>> {
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()?;
    if let Ok(mut changers) = CHANGERS.lock() {
        if changers.len() == CHANGERS_KEPT {
            changers.pop_front();
        }
        changers.push_back(child.id());
    }
    // A program that fails early closes its stdin: what it says on stderr tells why.
    let _ = child.stdin.take().expect("piped stdin").write_all(input);
    let out = child.wait_with_output()?;
    if out.status.success() {
        return Ok(Ok(()));
    }
    Ok(Err(
        first_line(&String::from_utf8_lossy(&out.stderr)).to_string()
    ))
}

/// The first line of a program's complaint that says something, trimmed: the one that tells
/// why (nft and iptables-restore put the reason first, then context).
fn first_line(stderr: &str) -> &str {
    stderr
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim()
}

/// Loads `batch` in one transaction, or with `check_only` has nft check it and change nothing.
pub fn nft_apply(batch: &Nftables, check_only: bool) -> anyhow::Result<()> {
    let json = serde_json::to_vec(batch)?;
    let check: &[&str] = if check_only { &["-c"] } else { &[] };
    match run_changer("nft", &[check, &["-j", "-f", "-"]].concat(), &json) {
        Ok(Ok(())) => Ok(()),
        Ok(Err(first)) => bail!("nft refused it: {first}"),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            bail!("nft is not installed: install nftables (apt-get install nftables)")
        }
        Err(e) => bail!("cannot run nft: {e}"),
    }
}

/// The tool's tables that exist now.
pub fn nft_own_families() -> anyhow::Result<Vec<Family>> {
    let tables = helper::get_current_ruleset_with_args(helper::DEFAULT_NFT, ["list", "tables"])
        .map_err(nft_error)?;
    Ok(nft::FAMILIES
        .into_iter()
        .filter(|f| {
            tables.objects.iter().any(|o| {
                matches!(o, NfObject::ListObject(NfListObject::Table(t))
                    if t.name == TABLE && t.family == nft::nf_family(*f))
            })
        })
        .collect())
}

/// The listing of each of the tool's tables.
pub fn nft_listings() -> anyhow::Result<Vec<(Family, Nftables<'static>)>> {
    nft_own_families()?
        .into_iter()
        .map(|family| {
            helper::get_current_ruleset_with_args(
                helper::DEFAULT_NFT,
                ["list", "table", family.name(), TABLE],
            )
            .map(|listing| (family, listing))
            .map_err(nft_error)
        })
        .collect()
}

/// The tool's copying rules in nft, with their counters.
pub fn nft_listed() -> anyhow::Result<Vec<ListedRule>> {
    Ok(nft_listings()?
        .iter()
        .flat_map(|(_, listing)| nft::listed_rules(listing))
        .collect())
}

/// What the mangle table of `family` holds of the tool's; `None` when iptables is not installed.
pub fn iptables_saved(family: Family) -> anyhow::Result<Option<Saved>> {
    let program = iptables::program(family, "save");
    let out = match Command::new(&program).args(["-c", "-t", "mangle"]).output() {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        other => other.with_context(|| format!("cannot run {program}"))?,
    };
    if !out.status.success() {
        bail!(
            "{program} failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(Some(iptables::parse_save(&String::from_utf8_lossy(
        &out.stdout,
    ))))
}

/// Feeds `script` to `iptables-restore --noflush` (one atomic commit of the mangle table), or
/// with `test_only` has it only check the script.
pub fn iptables_restore(family: Family, script: &str, test_only: bool) -> anyhow::Result<()> {
    let program = iptables::program(family, "restore");
    let test: &[&str] = if test_only { &["--test"] } else { &[] };
    match run_changer(
        &program,
        &[&["--noflush", "--wait"], test].concat(),
        script.as_bytes(),
    ) {
        Ok(Ok(())) => Ok(()),
        Ok(Err(first)) => bail!("{program} refused it: {first}"),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            bail!("{program} is not installed: install iptables (apt-get install iptables)")
        }
        Err(e) => bail!("cannot run {program}: {e}"),
    }
}

/// Whether `program --version` runs, and what it says.
pub fn version_of(program: &str) -> Option<String> {
    let out = Command::new(program).arg("--version").output().ok()?;
    out.status.success().then(|| {
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .next()
            .unwrap_or("")
            .trim()
            .to_string()
    })
}

/// Whether this process may read and change the firewall (CAP_NET_ADMIN in effect), as root
/// may and an unprivileged user may not.
pub fn has_net_admin() -> bool {
    const CAP_NET_ADMIN: u32 = 12;
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("CapEff:"))
                .and_then(|hex| u64::from_str_radix(hex.trim(), 16).ok())
        })
        .is_some_and(|caps| caps & (1 << CAP_NET_ADMIN) != 0)
}

/// The whole ruleset, every table of every family.
pub fn nft_ruleset() -> anyhow::Result<Nftables<'static>> {
    helper::get_current_ruleset_with_args(helper::DEFAULT_NFT, ["list", "ruleset"])
        .map_err(nft_error)
}

/// A boolean sysctl under /proc/sys (e.g. `net/bridge/bridge-nf-filter-vlan-tagged`); `None`
/// where it does not exist (br_netfilter not loaded).
pub fn sysctl_on(path: &str) -> Option<bool> {
    std::fs::read_to_string(format!("/proc/sys/{path}"))
        .ok()
        .map(|v| v.trim() == "1")
}

/// Whether the host has a route to `addr`.
pub fn has_route(addr: std::net::IpAddr) -> bool {
    Command::new("ip")
        .args(["route", "get", &addr.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// The chains of nft table `name` in `family` with their rule counts; `None` when the table
/// does not exist.
pub fn nft_table_chains(
    family: Family,
    name: &str,
) -> anyhow::Result<Option<Vec<(String, usize)>>> {
    let tables = helper::get_current_ruleset_with_args(helper::DEFAULT_NFT, ["list", "tables"])
        .map_err(nft_error)?;
    let exists = tables.objects.iter().any(|o| {
        matches!(o, NfObject::ListObject(NfListObject::Table(t))
            if t.name == name && t.family == nft::nf_family(family))
    });
    if !exists {
        return Ok(None);
    }
    let listing = helper::get_current_ruleset_with_args(
        helper::DEFAULT_NFT,
        ["list", "table", family.name(), name],
    )
    .map_err(nft_error)?;
    let mut chains: Vec<(String, usize)> = Vec::new();
    for o in listing.objects.iter() {
        match o {
            NfObject::ListObject(NfListObject::Chain(c)) => chains.push((c.name.to_string(), 0)),
            NfObject::ListObject(NfListObject::Rule(r)) => {
                if let Some(entry) = chains.iter_mut().find(|(n, _)| *n == r.chain) {
                    entry.1 += 1;
                }
            }
            _ => {}
        }
    }
    Ok(Some(chains))
}

/// Whether iptables is the nf_tables variant, which creates tables and built-in chains on
/// demand (the legacy one always has them).
pub fn iptables_is_nft() -> bool {
    version_of("iptables").is_some_and(|v| v.contains("nf_tables"))
}

/// Runs `ip ARGS`; `Err` holds its first line on stderr.
pub fn ip(args: &[&str]) -> anyhow::Result<()> {
    let out = Command::new("ip")
        .args(args)
        .output()
        .context("cannot run `ip` (iproute2): install it, e.g. apt-get install iproute2")?;
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        bail!(
            "ip {}: {}",
            args.join(" "),
            stderr
                .lines()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("")
                .trim()
        );
    }
    Ok(())
}

/// Runs `probe` on a thread of its own in a new, empty network namespace, so that what it makes
/// (and the programs it runs) never touch the host's network; the namespace goes away with the
/// thread.
pub fn in_own_namespace<T: Send>(
    probe: impl FnOnce() -> anyhow::Result<T> + Send,
) -> anyhow::Result<T> {
    std::thread::scope(|s| {
        s.spawn(|| {
            // SAFETY: unshare(2) takes no pointers. CLONE_NEWNET moves only this thread, and
            // what it starts, into a new network namespace.
            if unsafe { libc::unshare(libc::CLONE_NEWNET) } != 0 {
                bail!(
                    "cannot make a network namespace: {}",
                    std::io::Error::last_os_error()
                );
            }
            probe()
        })
        .join()
        .unwrap_or_else(|_| Err(anyhow::anyhow!("the probe panicked")))
    })
}

/// The device the host's route to `addr` leaves through.
pub fn route_device(addr: std::net::IpAddr) -> Option<String> {
    let out = Command::new("ip")
        .args(["-j", "route", "get", &addr.to_string()])
        .output()
        .ok()?;
    let routes: serde_json::Value = serde_json::from_slice(&out.stdout).ok()?;
    routes[0]["dev"].as_str().map(str::to_string)
}
