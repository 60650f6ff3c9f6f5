//! `tool mirror`: virtual port mirroring on a Xen or KVM host, after the post "Monitor All
//! Network Traffic On A Virtual Host Within A Virtual Machine On That Host".
//!
//! The pure core plans rules from a [`spec::Spec`] and the [`host::Host`] as it is
//! ([`plan`]), renders them for nftables ([`nft`]) or iptables ([`iptables`]), and judges what
//! is loaded ([`status`], printed by [`report`]); [`system`], [`rebind`] and [`command`] run the
//! tools. [`watch`] follows the kernel's announcements ([`events`], [`changes`]) and applies
//! again when the host changes.

pub mod apply;
pub mod changes;
pub mod check;
pub mod collector;
pub mod command;
pub mod destination;
pub mod events;
pub mod foreign;
pub mod glob;
pub mod host;
pub mod iptables;
pub mod iptables_load;
pub mod load;
pub mod lock;
pub mod log;
pub mod net;
pub mod nft;
pub mod observe;
pub mod plan;
pub mod quote;
pub mod rebind;
pub mod report;
pub mod spec;
pub mod status;
pub mod system;
pub mod tag;
pub mod tunnel;
pub mod watch;
