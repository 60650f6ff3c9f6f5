//! The collector's tunnel device, with `ip` as for every other device the tool reads: made
//! when missing, replaced when the SPEC names another collector, brought up when down, deleted
//! by `remove` or once no collector is named. The device's alias records the collector it was
//! made for, so that the tunnel converges on content like the rules do.

use anyhow::bail;

use super::collector::{Collector, OWNED_PREFIX, TUNNEL};
use super::host::{Host, Interface};
use super::system::{self, ip};

/// The link types the tool makes; a `tmir*` device of another type (the rebind probe's veth)
/// is not its tunnel.
const KINDS: [&str; 5] = ["vxlan", "gretap", "ip6gretap", "erspan", "ip6erspan"];
/// Where a new tunnel is made before it takes the place of the old one, so that a tunnel the
/// kernel cannot make leaves the old one as it was.
const NEW: &str = "tmirnew";
/// Larger than any source's: the tunnel never drops a copy for its size. A copy larger than the
/// underlay takes is sent in fragments (see [`Collector::encapsulation`]).
const MTU: &str = "65000";

/// Whether `iface` is a tunnel of the tool's.
pub fn is_owned(iface: &Interface) -> bool {
    iface.name.starts_with(OWNED_PREFIX)
        && iface.kind.as_deref().is_some_and(|k| KINDS.contains(&k))
}

fn description(c: &Collector) -> String {
    format!("tool-mirror collector {c}")
}

/// Whether `iface` is the tool's tunnel to `c`, up or down.
fn made_for(c: &Collector, iface: &Interface) -> bool {
    is_owned(iface)
        && iface.kind.as_deref() == Some(c.kind.link_type(c.addr.is_ipv4()))
        && iface.alias.as_deref() == Some(&description(c))
}

/// Whether `host` has the tunnel to `c`, up.
pub fn in_place(c: &Collector, host: &Host) -> bool {
    host.get(TUNNEL).is_some_and(|t| made_for(c, t) && t.up)
}

/// Makes `host` hold the tunnel to `collector` and no other tunnel of the tool's; whether it
/// changed anything. The caller holds the lock.
pub fn converge(collector: Option<&Collector>, host: &Host) -> anyhow::Result<bool> {
    let kept = collector.and_then(|c| host.get(TUNNEL).filter(|t| made_for(c, t)));
    let to_make = collector.filter(|_| kept.is_none());
    if let Some(c) = to_make {
        make(c, NEW)?;
    }
    let mut changed = false;
    for old in host.interfaces.iter().filter(|i| is_owned(i)) {
        if kept.is_none_or(|k| k.name != old.name) {
            ip(&["link", "del", &old.name])?;
            changed = true;
        }
    }
    if to_make.is_some() {
        ip(&["link", "set", NEW, "name", TUNNEL, "up"])?;
        changed = true;
    } else if kept.is_some_and(|k| !k.up) {
        // Bringing it up keeps its index, and the rules bound to it.
        ip(&["link", "set", TUNNEL, "up"])?;
        changed = true;
    }
    Ok(changed)
}

/// Makes the tunnel to `c` as `name`, down.
fn make(c: &Collector, name: &str) -> anyhow::Result<()> {
    let kind = c.kind.link_type(c.addr.is_ipv4());
    let addr = c.addr.to_string();
    let (vni, port) = (c.vni.to_string(), c.port.to_string());
    let mut args = vec![
        "link", "add", name, "mtu", MTU, "type", kind, "remote", &addr,
    ];
    match c.kind {
        // No learning: the collector only receives, and nothing comes back to learn from.
        super::collector::Kind::Vxlan => args.extend(["id", &vni, "dstport", &port, "nolearning"]),
        super::collector::Kind::Gretap => args.extend(["key", &vni]),
        super::collector::Kind::Erspan => {
            args.extend(["seq", "key", &vni, "erspan_ver", "1", "erspan", &vni])
        }
    }
    if let Err(e) = ip(&args) {
        if format!("{e}").contains("Unknown device type") {
            let module = c.kind.module(c.addr.is_ipv4());
            bail!(
                "this kernel has no {kind} tunnels (module {module} is missing): modprobe {module}, or use --collector vxlan:{}; nothing was changed",
                c.addr
            );
        }
        return Err(e.context("cannot make the collector's tunnel; nothing was changed"));
    }
    // The alias is what tells the next apply which collector the tunnel is for.
    if let Err(e) = ip(&["link", "set", name, "alias", &description(c)]) {
        let _ = ip(&["link", "del", name]);
        return Err(e);
    }
    Ok(())
}

/// Deletes every tunnel of the tool's; their names.
pub fn remove() -> anyhow::Result<Vec<String>> {
    let host = Host::read()?;
    let mut removed = Vec::new();
    for t in host.interfaces.iter().filter(|i| is_owned(i)) {
        ip(&["link", "del", &t.name])?;
        removed.push(t.name.clone());
    }
    Ok(removed)
}

/// Whether this kernel makes `c`'s kind of tunnel: made in a namespace of its own, so the host's
/// network is not touched.
pub fn probe(c: &Collector) -> Result<String, String> {
    let kind = c.kind.link_type(c.addr.is_ipv4());
    system::in_own_namespace(|| make(c, TUNNEL))
        .map(|()| format!("the kernel makes {kind} tunnels"))
        .map_err(|e| format!("{e:#}"))
}
