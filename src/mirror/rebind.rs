//! Whether this kernel re-binds a netdev chain to a device deleted and made again under the
//! same name. Recent kernels (6.18 here) keep netdev hooks by device name and re-attach them,
//! so a guest's port re-created by a restart goes on being copied; older ones leave the chain
//! on the old interface index. `status` must agree with the kernel it runs on, so it asks it:
//! in a network namespace of its own (the host's network is never touched) it hooks a counting
//! chain to a veth, re-creates the veth, sends one datagram out of it and reads the counter.

use std::net::UdpSocket;
use std::time::Duration;

use anyhow::Context;
use nftables::helper;
use nftables::schema::{NfListObject, NfObject, Nftables};
use nftables::stmt::{Counter, Statement};

use super::status::Rebinding;
use super::system::{self, ip};

const DEV: &str = "tmirprobe0";
const PEER: &str = "tmirprobe1";
const TABLE: &str = "tool_mirror_probe";
const ADDR: &str = "198.18.255.1";
const TO: &str = "198.18.255.2:9";

/// Runs the probe; a probe that cannot run (no veth module, no right to make a namespace) says
/// so rather than guessing.
pub fn probe() -> Rebinding {
    match system::in_own_namespace(in_own_namespace) {
        Ok(true) => Rebinding::Rebinds,
        Ok(false) => Rebinding::DoesNot,
        Err(_) => Rebinding::Unknown,
    }
}

fn in_own_namespace() -> anyhow::Result<bool> {
    make_veth()?;
    system::nft_apply(&counting_chain(), false)?;
    ip(&["link", "del", DEV])?;
    make_veth()?;
    ip(&["addr", "add", &format!("{ADDR}/30"), "dev", DEV])?;
    // Its ARP request leaves through the re-created device's egress hook.
    let socket = UdpSocket::bind((ADDR, 0)).context("cannot bind the probe's socket")?;
    socket
        .send_to(b"tool mirror rebind probe", TO)
        .context("cannot send the probe")?;
    for _ in 0..50 {
        if counted()? > 0 {
            return Ok(true);
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    Ok(false)
}

fn make_veth() -> anyhow::Result<()> {
    ip(&["link", "add", DEV, "type", "veth", "peer", "name", PEER])?;
    ip(&["link", "set", PEER, "up"])?;
    ip(&["link", "set", DEV, "up"])
}

fn counting_chain() -> Nftables<'static> {
    serde_json::from_value(serde_json::json!({"nftables": [
        {"add": {"table": {"family": "netdev", "name": TABLE}}},
        {"add": {"chain": {"family": "netdev", "table": TABLE, "name": "c",
            "type": "filter", "hook": "egress", "dev": DEV, "prio": 0, "policy": "accept"}}},
        {"add": {"rule": {"family": "netdev", "table": TABLE, "chain": "c",
            "expr": [{"counter": null}]}}}
    ]}))
    .expect("a well-formed probe")
}

/// The packets the probe's chain counted.
fn counted() -> anyhow::Result<u64> {
    let listing = helper::get_current_ruleset_with_args(
        helper::DEFAULT_NFT,
        ["list", "table", "netdev", TABLE],
    )
    .context("cannot list the probe's table")?;
    Ok(listing
        .objects
        .iter()
        .filter_map(|o| match o {
            NfObject::ListObject(NfListObject::Rule(r)) => Some(r),
            _ => None,
        })
        .flat_map(|r| r.expr.iter())
        .filter_map(|s| match s {
            Statement::Counter(Counter::Anonymous(Some(c))) => c.packets,
            _ => None,
        })
        .map(|p| p as u64)
        .sum())
}
