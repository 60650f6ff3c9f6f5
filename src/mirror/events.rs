//! What `tool mirror watch` listens to: the kernel's own announcements, never a poll. Link
//! changes come from rtnetlink (RTNLGRP_LINK), ruleset changes from nfnetlink
//! (NFNLGRP_NFTABLES: every nftables transaction, also those of iptables-nft). Both sockets are
//! plain non-blocking netlink sockets that the caller polls; decoding is pure and tested here.

use std::io::{self, ErrorKind};
use std::os::fd::{AsRawFd, RawFd};

use netlink_packet_core::{
    NLA_HEADER_SIZE, NetlinkBuffer, NetlinkMessage, NetlinkPayload, NlaBuffer, NlasIterator,
};
use netlink_packet_route::link::{LinkAttribute, LinkMessage};
use netlink_packet_route::{AddressFamily, RouteNetlinkMessage};
use netlink_sys::protocols::{NETLINK_NETFILTER, NETLINK_ROUTE};
use netlink_sys::{Socket, SocketAddr};

use super::plan::Family;

/// A network interface as a link message names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub index: u32,
    pub name: String,
    /// The index of its bridge (or other master).
    pub master: Option<u32>,
}

/// One announcement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// An interface was created, renamed, enslaved, released or merely changed state.
    LinkNew(Link),
    /// An interface was deleted.
    LinkDel(Link),
    /// A link message that could not be read: something changed, what is unknown.
    LinkUnreadable,
    /// Something in table `table` of `family` (`None`: a family the tool has no tables in)
    /// changed: a table, chain, rule, set or device hook.
    Table {
        family: Option<Family>,
        table: String,
        /// The table itself was deleted.
        table_deleted: bool,
    },
    /// A transaction ended (NFT_MSG_NEWGEN), made by process `pid` named `process`; the
    /// [`Event::Table`] events before it were its changes.
    Generation { pid: u32, process: String },
    /// The kernel dropped announcements (the socket's buffer was full): what happened since
    /// is unknown.
    Lost,
}

const RTM_NEWLINK: u16 = 16;
const RTM_DELLINK: u16 = 17;
const RTMGRP_LINK: u32 = 1;
const NFNLGRP_NFTABLES: u32 = 7;
const NFNL_SUBSYS_NFTABLES: u16 = 10;
const NFT_MSG_DELTABLE: u16 = 2;
const NFT_MSG_NEWGEN: u16 = 15;
const NFT_MSG_DESTROYTABLE: u16 = 26;
const NFT_MSG_TRACE: u16 = 17;
const NFTA_GEN_PROC_PID: u16 = 2;
const NFTA_GEN_PROC_NAME: u16 = 3;
/// In every nftables object message (table, chain, rule, set, element, object, flowtable,
/// device hook) attribute 1 names the table.
const NFTA_TABLE: u16 = 1;
/// struct nfgenmsg: family, version, resource id.
const NFGENMSG_LEN: usize = 4;
const NFPROTO_IPV4: u8 = 2;
const NFPROTO_NETDEV: u8 = 5;
const NFPROTO_IPV6: u8 = 10;
/// Room for the largest datagram the kernel sends a listener (a link message with all its
/// statistics is a few KiB).
const RECEIVE_BUFFER: usize = 1 << 16;
/// The socket buffers: a Xen host starting many guests at once announces hundreds of links.
const SOCKET_BUFFER: usize = 4 << 20;

/// The two subscribed sockets.
pub struct Listener {
    route: Socket,
    netfilter: Socket,
    buffer: Vec<u8>,
}

impl Listener {
    /// Subscribes to link and nftables announcements of this network namespace.
    pub fn open() -> io::Result<Listener> {
        let open = |protocol, groups: u32, group: Option<u32>| -> io::Result<Socket> {
            let mut socket = Socket::new(protocol)?;
            socket.bind(&SocketAddr::new(0, groups))?;
            if let Some(group) = group {
                socket.add_membership(group)?;
            }
            socket.set_non_blocking(true)?;
            // Best effort: the default buffer still works, it only overflows sooner.
            let _ = socket.set_rx_buf_sz(SOCKET_BUFFER);
            Ok(socket)
        };
        Ok(Listener {
            route: open(NETLINK_ROUTE, RTMGRP_LINK, None)?,
            netfilter: open(NETLINK_NETFILTER, 0, Some(NFNLGRP_NFTABLES))?,
            buffer: Vec::with_capacity(RECEIVE_BUFFER),
        })
    }

    /// The descriptors to poll for reading.
    pub fn fds(&self) -> [RawFd; 2] {
        [self.route.as_raw_fd(), self.netfilter.as_raw_fd()]
    }

    /// Reads every announcement that has arrived, without waiting.
    pub fn drain(&mut self, events: &mut Vec<Event>) -> io::Result<()> {
        for route in [true, false] {
            loop {
                let socket = if route { &self.route } else { &self.netfilter };
                self.buffer.clear();
                match socket.recv(&mut self.buffer, 0) {
                    Ok(_) if route => events.extend(decode_route(&self.buffer)),
                    Ok(_) => events.extend(decode_netfilter(&self.buffer)),
                    Err(e) if e.kind() == ErrorKind::WouldBlock => break,
                    Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                    Err(e) if e.raw_os_error() == Some(libc::ENOBUFS) => events.push(Event::Lost),
                    Err(e) => return Err(e),
                }
            }
        }
        Ok(())
    }
}

/// The netlink messages in one datagram, as (type, whole message).
fn messages(datagram: &[u8]) -> impl Iterator<Item = (u16, &[u8])> {
    let mut rest = datagram;
    std::iter::from_fn(move || {
        let buffer = NetlinkBuffer::new_checked(rest).ok()?;
        let length = buffer.length() as usize;
        let message = (buffer.message_type(), &rest[..length]);
        // Messages are aligned to 4 bytes.
        rest = rest.get(length.next_multiple_of(4)..).unwrap_or_default();
        Some(message)
    })
}

/// Link announcements in an rtnetlink datagram. The bridge also announces its ports in the
/// AF_BRIDGE family (and "deletes" them there when they leave it); only the interfaces'
/// own announcements are taken.
pub fn decode_route(datagram: &[u8]) -> Vec<Event> {
    messages(datagram)
        .filter(|(kind, _)| matches!(*kind, RTM_NEWLINK | RTM_DELLINK))
        .filter_map(
            |(_, bytes)| match NetlinkMessage::<RouteNetlinkMessage>::deserialize(bytes) {
                Ok(NetlinkMessage {
                    payload: NetlinkPayload::InnerMessage(message),
                    ..
                }) => match message {
                    RouteNetlinkMessage::NewLink(m) => link_of(&m).map(Event::LinkNew),
                    RouteNetlinkMessage::DelLink(m) => link_of(&m).map(Event::LinkDel),
                    _ => None,
                },
                _ => Some(Event::LinkUnreadable),
            },
        )
        .collect()
}

fn link_of(message: &LinkMessage) -> Option<Link> {
    if message.header.interface_family != AddressFamily::Unspec {
        return None;
    }
    let mut link = Link {
        index: message.header.index,
        name: String::new(),
        master: None,
    };
    for attribute in &message.attributes {
        match attribute {
            LinkAttribute::IfName(name) => link.name = name.clone(),
            LinkAttribute::Controller(master) => link.master = Some(*master),
            _ => {}
        }
    }
    Some(link)
}

/// nftables announcements in an nfnetlink datagram.
pub fn decode_netfilter(datagram: &[u8]) -> Vec<Event> {
    messages(datagram)
        .filter(|(kind, _)| kind >> 8 == NFNL_SUBSYS_NFTABLES)
        .filter_map(|(kind, bytes)| {
            let message = NetlinkBuffer::new_checked(bytes).ok()?;
            let payload = message.payload();
            let family = *payload.first()?;
            let attributes = payload.get(NFGENMSG_LEN..)?;
            match kind & 0xff {
                NFT_MSG_TRACE => None,
                NFT_MSG_NEWGEN => {
                    let pid = attribute(attributes, NFTA_GEN_PROC_PID)
                        .and_then(|v| Some(u32::from_be_bytes(v.try_into().ok()?)))
                        .unwrap_or(0);
                    let process = attribute(attributes, NFTA_GEN_PROC_NAME)
                        .map(nul_terminated)
                        .unwrap_or_default();
                    Some(Event::Generation { pid, process })
                }
                kind => Some(Event::Table {
                    table_deleted: matches!(kind, NFT_MSG_DELTABLE | NFT_MSG_DESTROYTABLE),
                    family: match family {
                        NFPROTO_NETDEV => Some(Family::Netdev),
                        NFPROTO_IPV4 => Some(Family::Ip),
                        NFPROTO_IPV6 => Some(Family::Ip6),
                        _ => None,
                    },
                    table: nul_terminated(attribute(attributes, NFTA_TABLE)?),
                }),
            }
        })
        .collect()
}

fn attribute(attributes: &[u8], kind: u16) -> Option<&[u8]> {
    NlasIterator::new(attributes)
        .map_while(Result::ok)
        .find(|a: &NlaBuffer<&[u8]>| a.kind() == kind)
        .map(|a| {
            // Checked by the iterator: the length covers the header and fits the buffer.
            let length = usize::from(a.length());
            &a.into_inner()[NLA_HEADER_SIZE..length]
        })
}

fn nul_terminated(value: &[u8]) -> String {
    let end = value.iter().position(|&b| b == 0).unwrap_or(value.len());
    String::from_utf8_lossy(&value[..end]).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// One netlink message: header, `body`, padding.
    fn message(kind: u16, body: &[u8]) -> Vec<u8> {
        let length = 16 + body.len();
        let mut m = Vec::new();
        m.extend((length as u32).to_ne_bytes());
        m.extend(kind.to_ne_bytes());
        m.extend([0u8; 10]);
        m.extend(body);
        m.resize(length.next_multiple_of(4), 0);
        m
    }

    fn nla(kind: u16, value: &[u8]) -> Vec<u8> {
        let length = 4 + value.len();
        let mut a = Vec::new();
        a.extend((length as u16).to_ne_bytes());
        a.extend(kind.to_ne_bytes());
        a.extend(value);
        a.resize(length.next_multiple_of(4), 0);
        a
    }

    /// struct ifinfomsg, then the name and master attributes.
    fn link_message(kind: u16, family: u8, index: u32, name: &str, master: Option<u32>) -> Vec<u8> {
        let mut body = vec![family, 0];
        body.extend(1u16.to_ne_bytes()); // ARPHRD_ETHER
        body.extend(index.to_ne_bytes());
        body.extend(0u32.to_ne_bytes()); // flags
        body.extend(0u32.to_ne_bytes()); // change mask
        body.extend(nla(3, &[name.as_bytes(), b"\0"].concat())); // IFLA_IFNAME
        if let Some(m) = master {
            body.extend(nla(10, &m.to_ne_bytes())); // IFLA_MASTER
        }
        message(kind, &body)
    }

    fn nft_message(kind: u16, family: u8, attributes: &[Vec<u8>]) -> Vec<u8> {
        let mut body = vec![family, 0, 0, 0];
        for a in attributes {
            body.extend(a);
        }
        message((NFNL_SUBSYS_NFTABLES << 8) | kind, &body)
    }

    #[test]
    fn link_announcements_name_the_interface_and_its_bridge() {
        let datagram = [
            link_message(RTM_NEWLINK, 0, 7, "vif5.0", Some(3)),
            link_message(RTM_DELLINK, 0, 4, "vif2.0", None),
        ]
        .concat();
        assert_eq!(
            decode_route(&datagram),
            [
                Event::LinkNew(Link {
                    index: 7,
                    name: "vif5.0".into(),
                    master: Some(3)
                }),
                Event::LinkDel(Link {
                    index: 4,
                    name: "vif2.0".into(),
                    master: None
                }),
            ]
        );
    }

    #[test]
    fn the_bridges_own_announcements_of_its_ports_are_left_out() {
        const AF_BRIDGE: u8 = 7;
        let datagram = link_message(RTM_DELLINK, AF_BRIDGE, 4, "vif2.0", Some(3));
        assert_eq!(decode_route(&datagram), []);
    }

    #[test]
    fn nftables_announcements_name_the_table_and_who_changed_it() {
        const NFT_MSG_NEWRULE: u16 = 6;
        let datagram = [
            nft_message(
                NFT_MSG_DELTABLE,
                NFPROTO_NETDEV,
                &[nla(1, b"tool_mirror\0")],
            ),
            nft_message(
                NFT_MSG_NEWRULE,
                1, // inet
                &[nla(1, b"filter\0"), nla(2, b"input\0")],
            ),
            nft_message(
                NFT_MSG_NEWGEN,
                0,
                &[
                    nla(1, &9u32.to_be_bytes()),
                    nla(2, &2381u32.to_be_bytes()),
                    nla(3, b"nft\0"),
                ],
            ),
        ]
        .concat();
        assert_eq!(
            decode_netfilter(&datagram),
            [
                Event::Table {
                    family: Some(Family::Netdev),
                    table: "tool_mirror".into(),
                    table_deleted: true,
                },
                Event::Table {
                    family: None,
                    table: "filter".into(),
                    table_deleted: false,
                },
                Event::Generation {
                    pid: 2381,
                    process: "nft".into()
                },
            ]
        );
    }

    proptest! {
        #[test]
        fn decoding_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            let _ = decode_route(&bytes);
            let _ = decode_netfilter(&bytes);
        }

        #[test]
        fn decoding_never_panics_on_well_framed_messages(
            kind in any::<u16>(),
            body in proptest::collection::vec(any::<u8>(), 0..200),
        ) {
            let datagram = message(kind, &body);
            let _ = decode_route(&datagram);
            let _ = decode_netfilter(&datagram);
        }
    }
}
