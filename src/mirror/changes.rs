//! Which announcements matter to `tool mirror watch`, and how to say what changed. Pure: the
//! announcements come from [`super::events`], the interfaces from the last [`Host`] read.

use std::collections::BTreeMap;
use std::fmt;

use super::collector::OWNED_PREFIX;
use super::events::{Event, Link};
use super::glob;
use super::host::Host;
use super::nft::TABLE;
use super::plan::Family;
use super::spec::{Backend, Spec};

/// Why the rules are checked again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// `watch` started.
    Started,
    /// SIGHUP: the SPEC was read again.
    Reloaded,
    /// A new interface, on `bridge` if it is already enslaved.
    Appeared {
        name: String,
        bridge: Option<String>,
    },
    Deleted {
        name: String,
    },
    /// Deleted and made again under the same name (a new interface index).
    Recreated {
        name: String,
    },
    Renamed {
        from: String,
        to: String,
    },
    Joined {
        name: String,
        bridge: String,
    },
    Left {
        name: String,
        bridge: String,
    },
    /// Someone else changed (or deleted, `deleted`) a table the rules live in; `by` is the
    /// process the kernel named, when it named one.
    Table {
        table: String,
        deleted: bool,
        by: Option<(u32, String)>,
    },
    /// Announcements were lost or unreadable: anything may have changed.
    Unknown,
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Change::Started => f.write_str("started"),
            Change::Reloaded => f.write_str("SIGHUP, SPEC read again"),
            Change::Appeared { name, bridge: None } => write!(f, "{name} appeared"),
            Change::Appeared {
                name,
                bridge: Some(bridge),
            }
            | Change::Joined { name, bridge } => write!(f, "{name} joined {bridge}"),
            Change::Deleted { name } => write!(f, "{name} deleted"),
            Change::Recreated { name } => write!(f, "{name} re-created"),
            Change::Renamed { from, to } => write!(f, "{from} renamed {to}"),
            Change::Left { name, bridge } => write!(f, "{name} left {bridge}"),
            Change::Table { table, deleted, by } => {
                write!(f, "table {table} ")?;
                f.write_str(if *deleted { "deleted" } else { "changed" })?;
                match by {
                    Some((pid, process)) => write!(f, " by {process} (pid {pid})"),
                    None => f.write_str(" by the kernel"),
                }
            }
            Change::Unknown => f.write_str("network announcements were lost"),
        }
    }
}

impl Change {
    /// Whether it is a change of the interfaces.
    pub fn of_links(&self) -> bool {
        matches!(
            self,
            Change::Appeared { .. }
                | Change::Deleted { .. }
                | Change::Recreated { .. }
                | Change::Renamed { .. }
                | Change::Joined { .. }
                | Change::Left { .. }
        )
    }
}

/// The changes, as one log line's start.
pub fn describe(changes: &[Change]) -> String {
    let mut seen: Vec<String> = Vec::new();
    for text in changes.iter().map(Change::to_string) {
        if !seen.contains(&text) {
            seen.push(text);
        }
    }
    seen.join(", ")
}

/// Whether `spec` names interface `name`, a port of `bridge` if any.
fn named_by(spec: &Spec, name: &str, bridge: Option<&str>) -> bool {
    let port = |p: &str| p == name;
    spec.bridge
        .as_deref()
        .is_some_and(|b| b == name || Some(b) == bridge)
        || spec.destination.port().is_some_and(port)
        // The collector's tunnel, made by the tool: watch makes it again when it goes.
        || (spec.destination.collector().is_some() && name.starts_with(OWNED_PREFIX))
        || spec
            .sources
            .iter()
            .chain(&spec.exclude_ifaces)
            .any(|p| glob::matches(p, name))
}

/// An interface as far as the rules care: its name and its bridge.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Known {
    name: String,
    master: Option<u32>,
}

/// The interfaces as the last read of the host and the announcements since describe them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Links(BTreeMap<u32, Known>);

impl Links {
    pub fn of(host: &Host) -> Links {
        Links(
            host.interfaces
                .iter()
                .map(|i| {
                    let master = i
                        .master
                        .as_deref()
                        .and_then(|m| host.get(m))
                        .map(|m| m.index);
                    let name = i.name.clone();
                    (i.index, Known { name, master })
                })
                .collect(),
        )
    }

    /// What changed from these interfaces to `now`'s that `spec` names (its bridge and that
    /// bridge's ports, its sources, exclusions and destination), in the order of the
    /// interfaces' indexes.
    pub fn diff(&self, now: &Links, spec: &Spec) -> Vec<Change> {
        let named = |links: &Links, name: &str| links.0.values().any(|k| k.name == name);
        let matters = |links: &Links, known: &Known| {
            named_by(
                spec,
                &known.name,
                known.master.map(|m| links.name(m)).as_deref(),
            )
        };
        let mut changes = Vec::new();
        for (index, old) in &self.0 {
            let new = now.0.get(index);
            if !matters(self, old) && !new.is_some_and(|n| matters(now, n)) {
                continue;
            }
            let change = match new {
                None if named(now, &old.name) => Change::Recreated {
                    name: old.name.clone(),
                },
                None => Change::Deleted {
                    name: old.name.clone(),
                },
                Some(new) if new.name != old.name => Change::Renamed {
                    from: old.name.clone(),
                    to: new.name.clone(),
                },
                Some(new) => match (old.master, new.master) {
                    (old_master, Some(m)) if old_master != Some(m) => Change::Joined {
                        name: new.name.clone(),
                        bridge: now.name(m),
                    },
                    (Some(m), None) => Change::Left {
                        name: new.name.clone(),
                        bridge: self.name(m),
                    },
                    _ => continue,
                },
            };
            changes.push(change);
        }
        for (index, new) in &now.0 {
            if !self.0.contains_key(index) && !named(self, &new.name) && matters(now, new) {
                changes.push(Change::Appeared {
                    name: new.name.clone(),
                    bridge: new.master.map(|m| now.name(m)),
                });
            }
        }
        changes
    }

    fn name(&self, index: u32) -> String {
        self.0
            .get(&index)
            .map_or_else(|| format!("interface {index}"), |k| k.name.clone())
    }

    /// Takes in one link announcement; what it changed that the rules may depend on (an
    /// interface's existence, name or bridge), if anything. State and counter announcements
    /// change nothing here.
    fn update(&mut self, event: &Event) -> Option<Change> {
        match event {
            Event::LinkNew(Link {
                index,
                name,
                master,
            }) => {
                let now = Known {
                    name: name.clone(),
                    master: *master,
                };
                let change = match self.0.get(index) {
                    None => Change::Appeared {
                        name: name.clone(),
                        bridge: master.map(|m| self.name(m)),
                    },
                    Some(old) if old.name != *name => Change::Renamed {
                        from: old.name.clone(),
                        to: name.clone(),
                    },
                    Some(old) if old.master == *master => return None,
                    Some(old) => match (old.master, master) {
                        (_, Some(m)) => Change::Joined {
                            name: name.clone(),
                            bridge: self.name(*m),
                        },
                        (Some(m), None) => Change::Left {
                            name: name.clone(),
                            bridge: self.name(m),
                        },
                        (None, None) => return None,
                    },
                };
                self.0.insert(*index, now);
                Some(change)
            }
            Event::LinkDel(Link { index, .. }) => self
                .0
                .remove(index)
                .map(|old| Change::Deleted { name: old.name }),
            Event::LinkUnreadable | Event::Lost => Some(Change::Unknown),
            Event::Table { .. } | Event::Generation { .. } => None,
        }
    }
}

/// Follows the announcements: interfaces, and the transactions on the tables the rules live in,
/// each attributed to the process that made it once its end is announced.
#[derive(Debug)]
pub struct Follower {
    pub links: Links,
    backend: Backend,
    /// Changes to watched tables whose transaction has not ended yet, as (table, deleted).
    pending: Vec<(String, bool)>,
}

impl Follower {
    pub fn new(backend: Backend) -> Follower {
        Follower {
            links: Links::default(),
            backend,
            pending: Vec::new(),
        }
    }

    pub fn set_backend(&mut self, backend: Backend) {
        self.backend = backend;
    }

    /// Whether a change to `table` of `family` concerns the rules.
    fn watched(&self, family: Option<Family>, table: &str) -> bool {
        family.is_some()
            && (table == TABLE
                || (self.backend == Backend::Iptables
                    && table == "mangle"
                    && family != Some(Family::Netdev)))
    }

    /// Takes in one announcement; `own` says whether a process id is one this process ran.
    pub fn take(&mut self, event: &Event, own: impl Fn(u32) -> bool) -> Option<Change> {
        match event {
            Event::Table {
                family,
                table,
                table_deleted,
            } => {
                if self.watched(*family, table) {
                    let name = format!("{} {table}", family.map_or("?", Family::name));
                    self.pending.push((name, *table_deleted));
                }
                None
            }
            Event::Generation { pid, process } => {
                let change = self.pending_change(Some((*pid, process.clone())));
                if own(*pid) { None } else { change }
            }
            link => self.links.update(link),
        }
    }

    /// Whether changes to watched tables wait for the end of their transaction.
    pub fn transaction_open(&self) -> bool {
        !self.pending.is_empty()
    }

    /// Changes to watched tables announced without the end of a transaction (the kernel's own,
    /// such as a hooked device going away): they are someone else's.
    pub fn unattributed(&mut self) -> Option<Change> {
        self.pending_change(None)
    }

    fn pending_change(&mut self, by: Option<(u32, String)>) -> Option<Change> {
        let pending = std::mem::take(&mut self.pending);
        let (first, _) = pending.first()?;
        let deleted = pending.iter().find(|(_, deleted)| *deleted);
        Some(Change::Table {
            table: deleted.map_or(first, |(t, _)| t).clone(),
            deleted: deleted.is_some(),
            by,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mirror::host::{test_host, test_iface};
    use crate::mirror::spec::SpecInput;

    fn follower() -> Follower {
        let host = test_host();
        let mut f = Follower::new(Backend::Nft);
        f.links = Links::of(&host);
        f
    }

    fn link(index: u32, name: &str, master: Option<u32>) -> Link {
        Link {
            index,
            name: name.into(),
            master,
        }
    }

    fn texts(f: &mut Follower, events: &[Event]) -> Vec<String> {
        events
            .iter()
            .filter_map(|e| f.take(e, |pid| pid == 99))
            .map(|c| c.to_string())
            .collect()
    }

    #[test]
    fn a_xen_guest_reboot_is_a_port_deleted_and_a_new_one_joining() {
        let mut f = follower();
        let events = [
            Event::LinkNew(link(4, "vif2.0", Some(2))), // carrier lost: nothing that matters
            Event::LinkDel(link(4, "vif2.0", None)),
            Event::LinkNew(link(9, "vif5.0", None)),
            Event::LinkNew(link(9, "vif5.0", Some(2))),
            Event::LinkNew(link(9, "vif5.0", Some(2))), // up
        ];
        assert_eq!(
            texts(&mut f, &events),
            ["vif2.0 deleted", "vif5.0 appeared", "vif5.0 joined xenbr0"]
        );
    }

    #[test]
    fn renames_and_leaving_the_bridge_are_changes() {
        let mut f = follower();
        let events = [
            Event::LinkNew(link(3, "guest-a", Some(2))),
            Event::LinkNew(link(3, "guest-a", None)),
            Event::LinkDel(link(42, "never-seen", None)),
        ];
        assert_eq!(
            texts(&mut f, &events),
            ["vif1.0 renamed guest-a", "guest-a left xenbr0"]
        );
    }

    #[test]
    fn transactions_on_the_tools_tables_are_someone_elses_unless_ran_here() {
        let mut f = follower();
        let table = |family, table: &str, table_deleted| Event::Table {
            family,
            table: table.into(),
            table_deleted,
        };
        let events = [
            // Ours: applied by a process this one ran.
            table(Some(Family::Netdev), "tool_mirror", false),
            Event::Generation {
                pid: 99,
                process: "nft".into(),
            },
            // Someone's firewall: not ours to watch.
            table(Some(Family::Ip), "filter", false),
            table(None, "tool_mirror", false),
            Event::Generation {
                pid: 7,
                process: "nft".into(),
            },
            // A hand-deleted table.
            table(Some(Family::Netdev), "tool_mirror", false),
            table(Some(Family::Netdev), "tool_mirror", true),
            Event::Generation {
                pid: 1234,
                process: "nft".into(),
            },
            // The mangle table is the iptables backend's only.
            table(Some(Family::Ip), "mangle", false),
            Event::Generation {
                pid: 1235,
                process: "iptables".into(),
            },
        ];
        assert_eq!(
            texts(&mut f, &events),
            ["table netdev tool_mirror deleted by nft (pid 1234)"]
        );
        f.set_backend(Backend::Iptables);
        assert_eq!(
            texts(&mut f, &events[8..]),
            ["table ip mangle changed by iptables (pid 1235)"]
        );
        assert_eq!(f.take(&events[0], |_| false), None);
        assert_eq!(
            f.unattributed().unwrap().to_string(),
            "table netdev tool_mirror changed by the kernel"
        );
        assert_eq!(f.unattributed(), None);
    }

    #[test]
    fn the_difference_of_two_reads_of_the_host() {
        let before = follower().links;
        let host = Host {
            interfaces: vec![
                test_iface("xenbr0", 2, None),
                test_iface("guest-a", 3, None),
                test_iface("vifmon", 8, None),
                test_iface("vif5.0", 9, Some("xenbr0")),
                test_iface("p5", 10, None),
            ],
            br_netfilter: None,
        };
        let spec = SpecInput {
            bridge: Some("xenbr0".into()),
            to: Some("vifmon".into()),
            ..SpecInput::default()
        }
        .resolve()
        .unwrap();
        let texts: Vec<String> = before
            .diff(&Links::of(&host), &spec)
            .iter()
            .map(Change::to_string)
            .collect();
        assert_eq!(
            texts,
            [
                "vif1.0 renamed guest-a",
                "vif2.0 deleted",
                "vifmon re-created",
                "vif5.0 joined xenbr0",
            ],
            "p5, on no bridge, does not matter"
        );
        assert!(before.diff(&before, &spec).is_empty());
    }

    #[test]
    fn lost_announcements_and_duplicates() {
        let mut f = follower();
        assert_eq!(f.take(&Event::Lost, |_| false), Some(Change::Unknown));
        let line = describe(&[
            Change::Deleted {
                name: "vif2.0".into(),
            },
            Change::Unknown,
            Change::Unknown,
        ]);
        assert_eq!(line, "vif2.0 deleted, network announcements were lost");
    }
}
