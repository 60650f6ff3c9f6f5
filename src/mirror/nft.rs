//! The nftables backend: a plan as an nft script for people, as the JSON batch `nft -j` applies
//! (one transaction that replaces only the tool's own tables), and the tool's rules read back
//! from a listing.

use std::borrow::Cow;
use std::fmt::Write as _;

use nftables::expr::{
    BinaryOperation, Expression, Meta, MetaKey, NamedExpression, Payload, PayloadField, Prefix,
    SetItem,
};
use nftables::schema::{self, FlushObject, NfCmd, NfListObject, NfObject, Nftables};
use nftables::stmt::{Counter, Dup, Mangle, Match, Operator, Statement};
use nftables::types::{NfChainPolicy, NfChainType, NfFamily, NfHook};

use super::collector::TUNNELLED;
use super::net::IpNet;
use super::plan::{Chain, Family, Hook, Plan, Rule, Side, Target};
use super::quote::quote;
use super::tag::Tag;

/// The name of the tool's table in each family. Nothing else is ever touched.
pub const TABLE: &str = "tool_mirror";

/// Every family the tool may have a table in.
pub const FAMILIES: [Family; 4] = [Family::Netdev, Family::Ip, Family::Ip6, Family::Bridge];

/// Before every other ingress/egress chain, so copies are of frames as they arrived.
const NETDEV_PRIORITY: i32 = -500;
/// The mangle priority, where the post's TEE rule sat.
const IP_PRIORITY: i32 = -150;
/// After br_netfilter's and everyone else's forward and output chains, so that no rule but the
/// tool's own sees the mark it sets there.
const BRIDGE_PRIORITY: i32 = 500;

/// The packet mark bit that says "copied where it entered" between the bridge family's
/// forward or output hook and a port's egress chain, which takes it off again. Other bits of
/// the mark are left as they are.
pub const COPIED: u32 = 0x0010_0000;

pub fn nf_family(f: Family) -> NfFamily {
    match f {
        Family::Netdev => NfFamily::NetDev,
        Family::Ip => NfFamily::IP,
        Family::Ip6 => NfFamily::IP6,
        Family::Bridge => NfFamily::Bridge,
    }
}

fn priority(f: Family) -> i32 {
    match f {
        Family::Netdev => NETDEV_PRIORITY,
        Family::Ip | Family::Ip6 => IP_PRIORITY,
        Family::Bridge => BRIDGE_PRIORITY,
    }
}

fn table(family: Family) -> NfListObject<'static> {
    table_named(family, TABLE)
}

fn table_named(family: Family, name: &'static str) -> NfListObject<'static> {
    NfListObject::Table(schema::Table {
        family: nf_family(family),
        name: name.into(),
        handle: None,
    })
}

/// Adding a table that exists is a no-op and deleting one that does not is an error, so
/// "add, delete" removes the tool's table whether or not it was there (nft 1.0.6 has no
/// `destroy`).
fn drop_table(family: Family, cmds: &mut Vec<NfObject<'static>>) {
    cmds.push(NfObject::CmdObject(NfCmd::Add(table(family))));
    cmds.push(NfObject::CmdObject(NfCmd::Delete(table(family))));
}

/// The batch that removes every table of the tool's, in one transaction.
pub fn removal_batch() -> Nftables<'static> {
    let mut cmds = Vec::new();
    for family in FAMILIES {
        drop_table(family, &mut cmds);
    }
    Nftables {
        objects: cmds.into(),
    }
}

/// The batch that deletes the mangle table's `chains` (or the whole table) of `family`, which
/// iptables-nft created for the tool and which are empty now.
pub fn removal_of_made(family: Family, chains: &[&str], whole_table: bool) -> Nftables<'static> {
    let mangle = || schema::Table {
        family: nf_family(family),
        name: "mangle".into(),
        handle: None,
    };
    let objects: Vec<NfObject<'static>> = if whole_table {
        vec![NfObject::CmdObject(NfCmd::Delete(NfListObject::Table(
            mangle(),
        )))]
    } else {
        chains
            .iter()
            .map(|c| {
                NfObject::CmdObject(NfCmd::Delete(NfListObject::Chain(schema::Chain {
                    family: nf_family(family),
                    table: "mangle".into(),
                    name: c.to_string().into(),
                    ..schema::Chain::default()
                })))
            })
            .collect()
    };
    Nftables {
        objects: objects.into(),
    }
}

/// What the tool's tables hold now, rule by rule, so that apply can tell a chain that is exactly
/// as planned (left alone, its counters running on) from one that is doubled, edited by hand or
/// partly deleted (replaced).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Current {
    pub families: Vec<Family>,
    /// Families whose table holds something besides chains and rules (a set, a named counter):
    /// the tool never makes those, so such a table is rebuilt whole.
    pub cluttered: Vec<Family>,
    pub chains: Vec<CurrentChain>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CurrentChain {
    pub family: Family,
    pub name: String,
    /// Type, hook, priority and policy; `None` for a regular chain. The device is left out:
    /// nft 1.0.6 does not list it, and the copying rule's tag records the index it was bound to.
    pub base: Option<BaseChain>,
    pub rules: Vec<LoadedRule>,
}

/// A base chain's type, hook, priority and policy.
pub type BaseChain = (
    Option<NfChainType>,
    Option<NfHook>,
    Option<i32>,
    Option<NfChainPolicy>,
);

/// One rule as loaded: its statements with counter values left out, and its comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadedRule {
    pub stmts: Vec<Statement<'static>>,
    pub comment: Option<String>,
}

impl CurrentChain {
    /// The chain as it is right after `chain` was loaded.
    pub fn planned(chain: &Chain) -> CurrentChain {
        let object = chain_object(chain);
        CurrentChain {
            family: chain.family,
            name: chain.name.clone(),
            base: Some((object._type, object.hook, object.prio, object.policy)),
            rules: chain_rules(chain)
                .into_iter()
                .map(|r| LoadedRule {
                    stmts: r.stmts.iter().map(Stmt::to_json).collect(),
                    comment: r.tag.map(|t| t.to_comment()),
                })
                .collect(),
        }
    }

    /// The tag of its first rule that carries one of the tool's.
    fn tag(&self) -> Option<Tag> {
        self.rules
            .iter()
            .find_map(|r| r.comment.as_deref().and_then(Tag::from_comment))
    }
}

/// A statement as compared: counters count, so their values never make two rules differ.
fn uncounted(stmt: &Statement<'static>) -> Statement<'static> {
    match stmt {
        Statement::Counter(Counter::Anonymous(_)) => Statement::Counter(Counter::Anonymous(None)),
        other => other.clone(),
    }
}

impl Current {
    /// Reads `nft -j list table FAMILY tool_mirror` documents.
    pub fn from_listings(listings: &[(Family, Nftables<'static>)]) -> Current {
        let mut current = Current::default();
        for (family, listing) in listings {
            current.families.push(*family);
            for object in listing.objects.iter() {
                let NfObject::ListObject(object) = object else {
                    continue;
                };
                match object {
                    NfListObject::Chain(c) if c.table == TABLE => {
                        current.chains.push(CurrentChain {
                            family: *family,
                            name: c.name.to_string(),
                            base: c
                                .hook
                                .is_some()
                                .then_some((c._type, c.hook, c.prio, c.policy)),
                            rules: Vec::new(),
                        });
                    }
                    NfListObject::Rule(r) if r.table == TABLE => {
                        if let Some(chain) = current
                            .chains
                            .iter_mut()
                            .find(|c| c.family == *family && c.name == r.chain)
                        {
                            chain.rules.push(LoadedRule {
                                stmts: r.expr.iter().map(uncounted).collect(),
                                comment: r.comment.as_ref().map(|c| c.to_string()),
                            });
                        }
                    }
                    NfListObject::Table(_) | NfListObject::MetainfoObject(_) => {}
                    _ => {
                        if !current.cluttered.contains(family) {
                            current.cluttered.push(*family);
                        }
                    }
                }
            }
        }
        current
    }
}

/// The tag of a planned chain's copying rule.
fn copy_tag(chain: &Chain) -> Option<&Tag> {
    chain.rules.iter().find_map(|r| match r {
        Rule::Copy { tag, .. } => Some(tag),
        _ => None,
    })
}

fn chain_object(chain: &Chain) -> schema::Chain<'static> {
    chain_in(chain, TABLE)
}

fn chain_in(chain: &Chain, table: &'static str) -> schema::Chain<'static> {
    schema::Chain {
        family: nf_family(chain.family),
        table: table.into(),
        name: chain.name.clone().into(),
        _type: Some(NfChainType::Filter),
        hook: Some(nf_hook(chain.hook)),
        prio: Some(priority(chain.family)),
        dev: chain.device.clone().map(Cow::Owned),
        policy: Some(NfChainPolicy::Accept),
        ..schema::Chain::default()
    }
}

/// The batch that makes the kernel hold exactly `plan`, given what the tool's tables hold now:
/// one transaction, so a failure changes nothing. A chain whose every rule is as planned is left
/// alone, its counters running on; one that differs in any rule (doubled by a race, edited by
/// hand, partly deleted) has its rules replaced, keeping its hook (re-registering hundreds of
/// device hooks is what makes a rebuild slow); a chain whose hook differs or whose device was
/// re-created is made anew, which rebinds it; chains and tables no longer planned go. Applying
/// twice gives the same ruleset, and the second batch is empty.
pub fn apply_batch(plan: &Plan, current: &Current) -> Nftables<'static> {
    let mut cmds = Vec::new();
    for family in FAMILIES {
        let planned: Vec<&Chain> = plan.chains.iter().filter(|c| c.family == family).collect();
        let mut exists = current.families.contains(&family);
        let rebuilt = exists && (planned.is_empty() || current.cluttered.contains(&family));
        if rebuilt {
            drop_table(family, &mut cmds);
            exists = false;
        }
        if planned.is_empty() {
            continue;
        }
        if !exists {
            cmds.push(command(NfCmd::Add(table(family))));
        }
        let have: Vec<&CurrentChain> = current
            .chains
            .iter()
            .filter(|c| exists && c.family == family)
            .collect();
        for chain in &planned {
            let found = have.iter().find(|o| o.name == chain.name).copied();
            converge_chain(chain, found, &mut cmds);
        }
        // Unplanned chains go last and flushed first, so that no rule still jumps to one.
        let unplanned: Vec<&CurrentChain> = have
            .into_iter()
            .filter(|o| !planned.iter().any(|p| p.name == o.name))
            .collect();
        let object = |old: &CurrentChain| schema::Chain {
            family: nf_family(family),
            table: TABLE.into(),
            name: old.name.clone().into(),
            ..schema::Chain::default()
        };
        for old in &unplanned {
            cmds.push(command(NfCmd::Flush(FlushObject::Chain(object(old)))));
        }
        for old in &unplanned {
            cmds.push(command(NfCmd::Delete(NfListObject::Chain(object(old)))));
        }
    }
    Nftables {
        objects: cmds.into(),
    }
}
fn command(c: NfCmd<'static>) -> NfObject<'static> {
    NfObject::CmdObject(c)
}

/// The commands that make `chain` as planned, given the chain of that name now, if any.
fn converge_chain(chain: &Chain, found: Option<&CurrentChain>, cmds: &mut Vec<NfObject<'static>>) {
    let wanted = CurrentChain::planned(chain);
    match found {
        Some(old) if *old == wanted => return,
        // Same hook, same device: replacing the rules is enough.
        Some(old) if old.base == wanted.base && still_bound(chain, old) => {
            cmds.push(command(NfCmd::Flush(FlushObject::Chain(chain_object(
                chain,
            )))));
        }
        found => {
            if found.is_some() {
                cmds.push(command(NfCmd::Delete(NfListObject::Chain(chain_object(
                    chain,
                )))));
            }
            cmds.push(command(NfCmd::Add(NfListObject::Chain(chain_object(
                chain,
            )))));
        }
    }
    for rule in wanted.rules {
        cmds.push(command(NfCmd::Add(rule_in(chain, TABLE, rule))));
    }
}

fn rule_in(chain: &Chain, table: &'static str, rule: LoadedRule) -> NfListObject<'static> {
    NfListObject::Rule(schema::Rule {
        family: nf_family(chain.family),
        table: table.into(),
        chain: chain.name.clone().into(),
        expr: rule.stmts.into(),
        comment: rule.comment.map(Cow::Owned),
        ..schema::Rule::default()
    })
}

/// What `check` loads to learn whether this kernel takes what `apply` loads at L2: a netdev
/// egress chain that skips marked frames and copies with `dup`, and a bridge forward chain that
/// marks them. Built by apply's own builders, in a throwaway table deleted in the same
/// transaction: the kernel checks every part, and the net change is nothing.
pub fn probe_batch() -> Nftables<'static> {
    const PROBE: &str = "tool_mirror_probe";
    let lo = || "lo".to_string();
    let chains = [
        Chain {
            family: Family::Netdev,
            name: "probe".into(),
            hook: Hook::Egress,
            device: Some(lo()),
            rules: vec![
                Rule::SkipCopied,
                Rule::Copy {
                    target: Target::Port(lo()),
                    only_iface: None,
                    tag: Tag {
                        source: lo(),
                        source_index: None,
                        hook: Hook::Egress,
                        dest: lo(),
                        dest_index: None,
                        bridge: None,
                        glob: None,
                        excluded: Vec::new(),
                    },
                },
            ],
        },
        Chain {
            family: Family::Bridge,
            name: "probe".into(),
            hook: Hook::Forward,
            device: None,
            rules: vec![Rule::MarkCopied {
                from: vec![lo()],
                to: vec![lo()],
            }],
        },
    ];
    let mut cmds = Vec::new();
    for chain in &chains {
        cmds.push(command(NfCmd::Add(table_named(chain.family, PROBE))));
        cmds.push(command(NfCmd::Add(NfListObject::Chain(chain_in(
            chain, PROBE,
        )))));
        for rule in CurrentChain::planned(chain).rules {
            cmds.push(command(NfCmd::Add(rule_in(chain, PROBE, rule))));
        }
        cmds.push(command(NfCmd::Delete(table_named(chain.family, PROBE))));
    }
    Nftables {
        objects: cmds.into(),
    }
}

/// Whether a loaded netdev chain is bound to the device the plan names: nft binds it by index,
/// and a device deleted and made again under the same name has a new one.
fn still_bound(chain: &Chain, old: &CurrentChain) -> bool {
    chain.device.is_none()
        || old.tag().map(|t| t.source_index) == copy_tag(chain).map(|t| t.source_index)
}

/// The plan as an nft script (what `nft list` would show after apply, counters aside).
pub fn to_text(plan: &Plan) -> String {
    let mut out = String::new();
    for family in plan.families() {
        let _ = writeln!(out, "table {} {TABLE} {{", family.name());
        for chain in plan.chains.iter().filter(|c| c.family == family) {
            let _ = writeln!(out, "\tchain {} {{", chain.name);
            let device = chain
                .device
                .as_ref()
                .map(|d| format!(" device {}", quote(d)))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "\t\ttype filter hook {}{device} priority {}; policy accept;",
                chain.hook.name(),
                priority(family)
            );
            for rule in chain_rules(chain) {
                let stmts: Vec<String> = rule.stmts.iter().map(Stmt::to_text).collect();
                let comment = rule
                    .tag
                    .map(|t| format!(" comment {}", quote(&t.to_comment())))
                    .unwrap_or_default();
                let _ = writeln!(out, "\t\t{}{comment}", stmts.join(" "));
            }
            let _ = writeln!(out, "\t}}");
        }
        let _ = writeln!(out, "}}");
    }
    out
}

fn nf_hook(h: Hook) -> NfHook {
    match h {
        Hook::Ingress => NfHook::Ingress,
        Hook::Egress => NfHook::Egress,
        Hook::Prerouting => NfHook::Prerouting,
        Hook::Output => NfHook::Output,
        Hook::Forward => NfHook::Forward,
    }
}

/// The few nft statements the tool writes, rendered both as JSON and as script text from here,
/// so that `plan` shows exactly what `apply` loads.
enum Stmt {
    Match(Field, Value),
    Counter,
    Dup(Value),
    Return,
    /// Sets (true) or clears (false) a bit of the packet mark ([`COPIED`], [`TUNNELLED`]).
    Mark(u32, bool),
}

enum Field {
    Payload(&'static str, &'static str),
    Iifname,
    Oifname,
    /// One bit of the packet mark.
    MarkBit(u32),
}

enum Value {
    Name(String),
    /// Any of these names, sorted (an anonymous set).
    Names(Vec<String>),
    Net(IpNet),
    Number(u32),
}

fn mark() -> Expression<'static> {
    Expression::Named(NamedExpression::Meta(Meta { key: MetaKey::Mark }))
}

/// One name as itself, several as a set: nft lists a set of one as its element.
fn names(names: &[String]) -> Value {
    match names {
        [one] => Value::Name(one.clone()),
        many => Value::Names(many.to_vec()),
    }
}

struct NftRule {
    stmts: Vec<Stmt>,
    /// The copying rule's tag, written as its comment.
    tag: Option<Tag>,
}

impl Stmt {
    fn to_json(&self) -> Statement<'static> {
        match self {
            Stmt::Match(field, value) => Statement::Match(Match {
                left: field.to_json(),
                right: value.to_json(),
                op: Operator::EQ,
            }),
            Stmt::Counter => Statement::Counter(Counter::Anonymous(None)),
            Stmt::Dup(to) => Statement::Dup(Dup {
                addr: to.to_json(),
                dev: None,
            }),
            // As the kernel lists it, so that a loaded rule compares equal to the planned one.
            Stmt::Return => Statement::Return(None),
            Stmt::Mark(bit, set) => Statement::Mangle(Mangle {
                key: mark(),
                value: Expression::BinaryOperation(Box::new(if *set {
                    BinaryOperation::OR(vec![mark(), Expression::Number(*bit)])
                } else {
                    BinaryOperation::AND(mark(), Expression::Number(!*bit))
                })),
            }),
        }
    }

    fn to_text(&self) -> String {
        match self {
            Stmt::Match(field, value) => format!("{} {}", field.to_text(), value.to_text()),
            Stmt::Counter => "counter".into(),
            Stmt::Dup(to) => format!("dup to {}", to.to_text()),
            Stmt::Return => "return".into(),
            Stmt::Mark(bit, true) => format!("meta mark set meta mark | {bit:#010x}"),
            Stmt::Mark(bit, false) => format!("meta mark set meta mark & {:#010x}", !bit),
        }
    }
}

impl Field {
    fn to_json(&self) -> Expression<'static> {
        let named = match self {
            Field::Payload(protocol, field) => {
                NamedExpression::Payload(Payload::PayloadField(PayloadField {
                    protocol: (*protocol).into(),
                    field: (*field).into(),
                }))
            }
            Field::Iifname => NamedExpression::Meta(Meta {
                key: MetaKey::Iifname,
            }),
            Field::Oifname => NamedExpression::Meta(Meta {
                key: MetaKey::Oifname,
            }),
            Field::MarkBit(bit) => {
                return Expression::BinaryOperation(Box::new(BinaryOperation::AND(
                    mark(),
                    Expression::Number(*bit),
                )));
            }
        };
        Expression::Named(named)
    }

    fn to_text(&self) -> String {
        match self {
            Field::Payload(protocol, field) => format!("{protocol} {field}"),
            Field::Iifname => "iifname".into(),
            Field::Oifname => "oifname".into(),
            Field::MarkBit(bit) => format!("meta mark & {bit:#010x}"),
        }
    }
}

impl Value {
    fn to_json(&self) -> Expression<'static> {
        match self {
            Value::Name(n) => Expression::String(n.clone().into()),
            Value::Names(names) => Expression::Named(NamedExpression::Set(
                names
                    .iter()
                    .map(|n| SetItem::Element(Expression::String(n.clone().into())))
                    .collect(),
            )),
            Value::Number(n) => Expression::Number(*n),
            Value::Net(net) => {
                let addr = Expression::String(net.addr().to_string().into());
                if *net == IpNet::host(net.addr()) {
                    addr
                } else {
                    Expression::Named(NamedExpression::Prefix(Prefix {
                        addr: Box::new(addr),
                        len: u32::from(net.prefix_len()),
                    }))
                }
            }
        }
    }

    fn to_text(&self) -> String {
        match self {
            Value::Name(n) => quote(n),
            Value::Names(names) => {
                let quoted: Vec<String> = names.iter().map(|n| quote(n)).collect();
                format!("{{ {} }}", quoted.join(", "))
            }
            Value::Number(n) => format!("{n:#010x}"),
            Value::Net(net) if *net == IpNet::host(net.addr()) => net.addr().to_string(),
            Value::Net(net) => net.to_string(),
        }
    }
}

/// The header fields that hold a packet's `side` address for a network of this version. A
/// netdev chain sees ARP too, whose sender and target addresses count as well.
fn address_fields(family: Family, side: Side, v4: bool) -> Vec<Field> {
    let source = side == Side::Source;
    let ip = Field::Payload(
        if v4 { "ip" } else { "ip6" },
        if source { "saddr" } else { "daddr" },
    );
    if v4 && family == Family::Netdev {
        vec![
            ip,
            Field::Payload("arp", if source { "saddr ip" } else { "daddr ip" }),
        ]
    } else {
        vec![ip]
    }
}

/// A chain's rules as nft rules.
fn chain_rules(chain: &Chain) -> Vec<NftRule> {
    chain
        .rules
        .iter()
        .flat_map(|r| nft_rules(chain, r))
        .collect()
}

/// One plan rule as nft rules: a skipped network takes one rule per header field.
fn nft_rules(chain: &Chain, rule: &Rule) -> Vec<NftRule> {
    let skip = |field: Field, value: Value| NftRule {
        stmts: vec![Stmt::Match(field, value), Stmt::Return],
        tag: None,
    };
    match rule {
        Rule::SkipNet { side, net } => address_fields(chain.family, *side, net.is_ipv4())
            .into_iter()
            .map(|f| skip(f, Value::Net(*net)))
            .collect(),
        Rule::SkipIface { iface, .. } => vec![skip(Field::Iifname, Value::Name(iface.clone()))],
        Rule::MarkCopied { from, to } => {
            let mut stmts = Vec::new();
            if !from.is_empty() {
                stmts.push(Stmt::Match(Field::Iifname, names(from)));
            }
            stmts.push(Stmt::Match(Field::Oifname, names(to)));
            stmts.push(Stmt::Mark(COPIED, true));
            vec![NftRule { stmts, tag: None }]
        }
        Rule::SkipCopied => vec![NftRule {
            stmts: vec![
                Stmt::Match(Field::MarkBit(COPIED), Value::Number(COPIED)),
                Stmt::Mark(COPIED, false),
                Stmt::Return,
            ],
            tag: None,
        }],
        Rule::SkipTunnelled => vec![NftRule {
            stmts: vec![
                Stmt::Match(Field::MarkBit(TUNNELLED), Value::Number(TUNNELLED)),
                Stmt::Return,
            ],
            tag: None,
        }],
        Rule::Copy {
            target,
            only_iface,
            tag,
        } => {
            let mut stmts = Vec::new();
            if let Some(i) = only_iface {
                let field = if chain.hook == Hook::Output {
                    Field::Oifname
                } else {
                    Field::Iifname
                };
                stmts.push(Stmt::Match(field, Value::Name(i.clone())));
            }
            stmts.push(Stmt::Counter);
            match target {
                Target::Port(p) => stmts.push(Stmt::Dup(Value::Name(p.clone()))),
                // The copy alone carries the mark into the tunnel (see [`TUNNELLED`]).
                Target::Tunnel(t) => stmts.extend([
                    Stmt::Mark(TUNNELLED, true),
                    Stmt::Dup(Value::Name(t.clone())),
                    Stmt::Mark(TUNNELLED, false),
                ]),
                Target::Gateway(a) => stmts.push(Stmt::Dup(Value::Net(IpNet::host(*a)))),
            }
            vec![NftRule {
                stmts,
                tag: Some(tag.clone()),
            }]
        }
    }
}

/// A copying rule of the tool's, as listed by the kernel.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ListedRule {
    pub family: Family,
    pub chain: String,
    #[serde(skip)]
    pub tag: Tag,
    pub packets: u64,
    pub bytes: u64,
    /// Where the kernel's `dup` points now: the destination's name while its interface index
    /// still resolves to it; a bare number or another name once it was re-created.
    pub bound_to: Option<String>,
}

/// The tool's copying rules in a `nft -j list` document.
pub fn listed_rules(listing: &Nftables) -> Vec<ListedRule> {
    listing
        .objects
        .iter()
        .filter_map(|o| match o {
            NfObject::ListObject(NfListObject::Rule(r)) if r.table == TABLE => Some(r),
            _ => None,
        })
        .filter_map(|r| {
            let tag = Tag::from_comment(r.comment.as_deref()?)?;
            let family = FAMILIES.into_iter().find(|f| nf_family(*f) == r.family)?;
            let (mut packets, mut bytes, mut bound_to) = (0, 0, None);
            for stmt in r.expr.iter() {
                match stmt {
                    Statement::Counter(Counter::Anonymous(Some(c))) => {
                        packets = c.packets.unwrap_or(0) as u64;
                        bytes = c.bytes.unwrap_or(0) as u64;
                    }
                    Statement::Dup(Dup {
                        addr: Expression::String(to),
                        ..
                    }) => bound_to = Some(to.to_string()),
                    _ => {}
                }
            }
            Some(ListedRule {
                family,
                chain: r.chain.to_string(),
                tag,
                packets,
                bytes,
                bound_to,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mirror::host::test_host;
    use crate::mirror::plan::plan;
    use crate::mirror::spec::SpecInput;

    fn planned(exclude_net: &[&str]) -> Plan {
        let host = test_host();
        let spec = SpecInput {
            bridge: Some("xenbr0".into()),
            to: Some("vifmon".into()),
            exclude_net: exclude_net.iter().map(|n| n.to_string()).collect(),
            ..SpecInput::default()
        };
        plan(&spec.resolve().unwrap(), &host).unwrap()
    }

    /// The tool's tables as they are right after `plan` was applied.
    fn loaded(plan: &Plan) -> Current {
        Current {
            families: plan.families(),
            cluttered: Vec::new(),
            chains: plan.chains.iter().map(CurrentChain::planned).collect(),
        }
    }

    fn commands(batch: &Nftables) -> Vec<String> {
        batch
            .objects
            .iter()
            .map(|o| {
                let v = serde_json::to_value(o).unwrap();
                let (verb, body) = v.as_object().unwrap().iter().next().unwrap();
                let (kind, obj) = body.as_object().unwrap().iter().next().unwrap();
                let name = obj
                    .get("name")
                    .or(obj.get("chain"))
                    .unwrap()
                    .as_str()
                    .unwrap();
                format!("{verb} {kind} {name}")
            })
            .collect()
    }

    #[test]
    fn a_fresh_apply_makes_the_table_its_chains_and_rules() {
        let plan = planned(&[]);
        let cmds = commands(&apply_batch(&plan, &Current::default()));
        assert_eq!(cmds[0], "add table tool_mirror");
        assert_eq!(
            cmds.iter().filter(|c| c.starts_with("add chain")).count(),
            3
        );
        assert_eq!(cmds.iter().filter(|c| c.starts_with("add rule")).count(), 3);
    }

    #[test]
    fn applying_what_is_loaded_changes_nothing() {
        let plan = planned(&["198.19.0.0/24"]);
        assert!(apply_batch(&plan, &loaded(&plan)).objects.is_empty());
    }

    #[test]
    fn changed_rules_are_replaced_in_place_and_rebinding_remakes_the_chain() {
        let plan = planned(&["198.19.0.0/24"]);
        let mut current = loaded(&plan);
        // vif2.0 was re-created since: its chain must be made anew to bind the new device.
        let rebound = &mut current.chains[1];
        let copy = rebound.rules.last_mut().unwrap();
        let mut tag = Tag::from_comment(copy.comment.as_deref().unwrap()).unwrap();
        tag.source_index = Some(40);
        copy.comment = Some(tag.to_comment());
        current.chains.push(CurrentChain {
            family: Family::Netdev,
            name: "in-vif7.0".into(),
            base: None,
            rules: Vec::new(),
        });
        // A race doubled in-vif1.0's copying rule.
        let doubled = &mut current.chains[0];
        doubled.rules.push(doubled.rules.last().unwrap().clone());
        let cmds = commands(&apply_batch(&plan, &current));
        assert_eq!(
            cmds,
            [
                "flush chain in-vif1.0",
                "add rule in-vif1.0",
                "add rule in-vif1.0",
                "add rule in-vif1.0",
                "add rule in-vif1.0",
                "add rule in-vif1.0",
                "delete chain in-vif2.0",
                "add chain in-vif2.0",
                "add rule in-vif2.0",
                "add rule in-vif2.0",
                "add rule in-vif2.0",
                "add rule in-vif2.0",
                "add rule in-vif2.0",
                "flush chain in-vif7.0",
                "delete chain in-vif7.0",
            ],
            "out-xenbr0 is as planned and left alone"
        );
    }

    #[test]
    fn every_rule_counts_but_counter_values_do_not() {
        let plan = planned(&["198.19.0.0/24"]);
        let edits: [fn(&mut Vec<LoadedRule>); 4] = [
            |rules| {
                rules.remove(1);
            },
            |rules| rules.swap(0, 1),
            |rules| {
                rules[0].stmts.pop();
            },
            |rules| rules[2].comment = Some("hand-made".into()),
        ];
        for (i, edit) in edits.into_iter().enumerate() {
            let mut current = loaded(&plan);
            edit(&mut current.chains[2].rules);
            let cmds = commands(&apply_batch(&plan, &current));
            assert_eq!(cmds[0], "flush chain out-xenbr0", "edit {i}: {cmds:?}");
            assert_eq!(cmds.len(), 6, "edit {i}: only that chain: {cmds:?}");
        }
        let mut counted = loaded(&plan);
        for rule in counted.chains.iter_mut().flat_map(|c| c.rules.iter_mut()) {
            for stmt in &mut rule.stmts {
                if let Statement::Counter(c) = stmt {
                    *c = Counter::Anonymous(Some(Default::default()));
                    *stmt = uncounted(stmt);
                }
            }
        }
        assert!(apply_batch(&plan, &counted).objects.is_empty());
    }

    #[test]
    fn a_table_with_foreign_objects_is_rebuilt_whole() {
        let plan = planned(&[]);
        let mut current = loaded(&plan);
        current.cluttered.push(Family::Netdev);
        let cmds = commands(&apply_batch(&plan, &current));
        assert_eq!(
            cmds[..3],
            [
                "add table tool_mirror",
                "delete table tool_mirror",
                "add table tool_mirror"
            ]
        );
        assert_eq!(
            cmds.iter().filter(|c| c.starts_with("add chain")).count(),
            3
        );
    }

    #[test]
    fn the_script_and_the_batch_carry_the_same_tags() {
        let plan = planned(&["2001:db8:d::/48"]);
        let text = to_text(&plan);
        for chain in &plan.chains {
            let comment = copy_tag(chain).unwrap().to_comment();
            assert!(text.contains(&format!("comment \"{comment}\"")), "{text}");
        }
        assert!(text.contains("ip6 saddr 2001:db8:d::/48 return"), "{text}");
        assert!(
            !text.contains("arp saddr ip 2001"),
            "ARP carries IPv4 only: {text}"
        );
    }
}
