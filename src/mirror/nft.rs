//! The nftables backend: a plan as an nft script for people, as the JSON batch `nft -j` applies
//! (one transaction that replaces only the tool's own tables), and the tool's rules read back
//! from a listing.

use std::borrow::Cow;
use std::fmt::Write as _;

use nftables::expr::{Expression, Meta, MetaKey, NamedExpression, Payload, PayloadField, Prefix};
use nftables::schema::{self, NfCmd, NfListObject, NfObject, Nftables};
use nftables::stmt::{Counter, Dup, Match, Operator, Return, Statement};
use nftables::types::{NfChainPolicy, NfChainType, NfFamily, NfHook};

use super::net::IpNet;
use super::plan::{Chain, Family, Hook, Plan, Rule, Side, Target};
use super::tag::Tag;

/// The name of the tool's table in each family. Nothing else is ever touched.
pub const TABLE: &str = "tool_mirror";

/// Every family the tool may have a table in.
pub const FAMILIES: [Family; 3] = [Family::Netdev, Family::Ip, Family::Ip6];

/// Before every other ingress/egress chain, so copies are of frames as they arrived.
const NETDEV_PRIORITY: i32 = -500;
/// The mangle priority, where the post's TEE rule sat.
const IP_PRIORITY: i32 = -150;

pub fn nf_family(f: Family) -> NfFamily {
    match f {
        Family::Netdev => NfFamily::NetDev,
        Family::Ip => NfFamily::IP,
        Family::Ip6 => NfFamily::IP6,
    }
}

fn priority(f: Family) -> i32 {
    if f == Family::Netdev {
        NETDEV_PRIORITY
    } else {
        IP_PRIORITY
    }
}

fn table(family: Family) -> NfListObject<'static> {
    NfListObject::Table(schema::Table {
        family: nf_family(family),
        name: TABLE.into(),
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

/// The batch that makes the kernel hold exactly `plan`: the tool's tables dropped and made anew,
/// in one transaction, so applying twice gives the same ruleset and a failure changes nothing.
pub fn apply_batch(plan: &Plan) -> Nftables<'static> {
    let mut cmds = removal_batch().objects.into_owned();
    for family in plan.families() {
        cmds.push(NfObject::CmdObject(NfCmd::Add(table(family))));
    }
    for chain in &plan.chains {
        cmds.push(NfObject::CmdObject(NfCmd::Add(NfListObject::Chain(
            schema::Chain {
                family: nf_family(chain.family),
                table: TABLE.into(),
                name: chain.name.clone().into(),
                _type: Some(NfChainType::Filter),
                hook: Some(nf_hook(chain.hook)),
                prio: Some(priority(chain.family)),
                dev: chain.device.clone().map(Cow::Owned),
                policy: Some(NfChainPolicy::Accept),
                ..schema::Chain::default()
            },
        ))));
        for rule in chain.rules.iter().flat_map(|r| nft_rules(chain, r)) {
            cmds.push(NfObject::CmdObject(NfCmd::Add(NfListObject::Rule(
                schema::Rule {
                    family: nf_family(chain.family),
                    table: TABLE.into(),
                    chain: chain.name.clone().into(),
                    expr: rule
                        .stmts
                        .iter()
                        .map(Stmt::to_json)
                        .collect::<Vec<_>>()
                        .into(),
                    comment: rule.comment.map(Cow::Owned),
                    ..schema::Rule::default()
                },
            ))));
        }
    }
    Nftables {
        objects: cmds.into(),
    }
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
            for rule in chain.rules.iter().flat_map(|r| nft_rules(chain, r)) {
                let stmts: Vec<String> = rule.stmts.iter().map(Stmt::to_text).collect();
                let comment = rule
                    .comment
                    .map(|c| format!(" comment {}", quote(&c)))
                    .unwrap_or_default();
                let _ = writeln!(out, "\t\t{}{comment}", stmts.join(" "));
            }
            let _ = writeln!(out, "\t}}");
        }
        let _ = writeln!(out, "}}");
    }
    out
}

fn quote(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

fn nf_hook(h: Hook) -> NfHook {
    match h {
        Hook::Ingress => NfHook::Ingress,
        Hook::Egress => NfHook::Egress,
        Hook::Prerouting => NfHook::Prerouting,
        Hook::Output => NfHook::Output,
    }
}

/// The few nft statements the tool writes, rendered both as JSON and as script text from here,
/// so that `plan` shows exactly what `apply` loads.
enum Stmt {
    Match(Field, Value),
    Counter,
    Dup(Value),
    Return,
}

enum Field {
    Payload(&'static str, &'static str),
    Iifname,
    Oifname,
}

enum Value {
    Name(String),
    Net(IpNet),
}

struct NftRule {
    stmts: Vec<Stmt>,
    comment: Option<String>,
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
            Stmt::Return => Statement::Return(Some(Return {})),
        }
    }

    fn to_text(&self) -> String {
        match self {
            Stmt::Match(field, value) => format!("{} {}", field.to_text(), value.to_text()),
            Stmt::Counter => "counter".into(),
            Stmt::Dup(to) => format!("dup to {}", to.to_text()),
            Stmt::Return => "return".into(),
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
        };
        Expression::Named(named)
    }

    fn to_text(&self) -> String {
        match self {
            Field::Payload(protocol, field) => format!("{protocol} {field}"),
            Field::Iifname => "iifname".into(),
            Field::Oifname => "oifname".into(),
        }
    }
}

impl Value {
    fn to_json(&self) -> Expression<'static> {
        match self {
            Value::Name(n) => Expression::String(n.clone().into()),
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

/// One plan rule as nft rules: a skipped network takes one rule per header field.
fn nft_rules(chain: &Chain, rule: &Rule) -> Vec<NftRule> {
    let skip = |field: Field, value: Value| NftRule {
        stmts: vec![Stmt::Match(field, value), Stmt::Return],
        comment: None,
    };
    match rule {
        Rule::SkipNet { side, net } => address_fields(chain.family, *side, net.is_ipv4())
            .into_iter()
            .map(|f| skip(f, Value::Net(*net)))
            .collect(),
        Rule::SkipIface { iface, .. } => vec![skip(Field::Iifname, Value::Name(iface.clone()))],
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
            stmts.push(Stmt::Dup(match target {
                Target::Port(p) => Value::Name(p.clone()),
                Target::Gateway(a) => Value::Net(IpNet::host(*a)),
            }));
            vec![NftRule {
                stmts,
                comment: Some(tag.to_comment()),
            }]
        }
    }
}

/// A copying rule of the tool's, as listed by the kernel.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ListedRule {
    pub family: &'static str,
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
            let family = FAMILIES
                .into_iter()
                .find(|f| nf_family(*f) == r.family)?
                .name();
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
