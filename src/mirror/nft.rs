//! The nftables backend: a plan as an nft script for people, as the JSON batch `nft -j` applies
//! (one transaction that replaces only the tool's own tables), and the tool's rules read back
//! from a listing.

use std::borrow::Cow;
use std::fmt::Write as _;

use nftables::expr::{Expression, Meta, MetaKey, NamedExpression, Payload, PayloadField, Prefix};
use nftables::schema::{self, FlushObject, NfCmd, NfListObject, NfObject, Nftables};
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

/// What the tool's tables hold now: the families that have one, and each chain with the tag
/// of its copying rule.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Current {
    pub families: Vec<Family>,
    pub chains: Vec<CurrentChain>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CurrentChain {
    pub family: Family,
    pub name: String,
    pub tag: Option<Tag>,
}

impl Current {
    /// Reads `nft -j list table FAMILY tool_mirror` documents.
    pub fn from_listings(listings: &[(Family, Nftables)]) -> Current {
        let mut current = Current::default();
        for (family, listing) in listings {
            current.families.push(*family);
            let rules = listed_rules(listing);
            for object in listing.objects.iter() {
                if let NfObject::ListObject(NfListObject::Chain(c)) = object
                    && c.table == TABLE
                {
                    current.chains.push(CurrentChain {
                        family: *family,
                        name: c.name.to_string(),
                        tag: rules
                            .iter()
                            .find(|r| r.chain == c.name)
                            .map(|r| r.tag.clone()),
                    });
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
    }
}

/// The batch that makes the kernel hold exactly `plan`, given what the tool's tables hold now:
/// one transaction, so a failure changes nothing. Chains still bound to the right device keep
/// their hook and only have their rules replaced (re-registering hundreds of device hooks is
/// what makes a rebuild slow); a chain whose device was re-created is made anew, which rebinds
/// it; chains and tables no longer planned go. Applying twice gives the same ruleset.
pub fn apply_batch(plan: &Plan, current: &Current) -> Nftables<'static> {
    let mut cmds = Vec::new();
    let cmd = |c: NfCmd<'static>| NfObject::CmdObject(c);
    for family in FAMILIES {
        let planned: Vec<&Chain> = plan.chains.iter().filter(|c| c.family == family).collect();
        let exists = current.families.contains(&family);
        if planned.is_empty() {
            if exists {
                drop_table(family, &mut cmds);
            }
            continue;
        }
        if !exists {
            cmds.push(cmd(NfCmd::Add(table(family))));
        }
        let have: Vec<&CurrentChain> = current
            .chains
            .iter()
            .filter(|c| c.family == family)
            .collect();
        for old in have
            .iter()
            .filter(|o| !planned.iter().any(|p| p.name == o.name))
        {
            cmds.push(cmd(NfCmd::Delete(NfListObject::Chain(schema::Chain {
                family: nf_family(family),
                table: TABLE.into(),
                name: old.name.clone().into(),
                ..schema::Chain::default()
            }))));
        }
        for chain in planned {
            let still_bound = |old: &CurrentChain| {
                chain.device.is_none()
                    || old.tag.as_ref().map(|t| t.source_index)
                        == copy_tag(chain).map(|t| t.source_index)
            };
            let found = have.iter().find(|o| o.name == chain.name);
            if found.is_some_and(|old| old.tag.is_some() && old.tag == loaded_tag(chain)) {
                continue;
            }
            match found {
                Some(old) if still_bound(old) => {
                    cmds.push(cmd(NfCmd::Flush(FlushObject::Chain(chain_object(chain)))));
                }
                found => {
                    if found.is_some() {
                        cmds.push(cmd(NfCmd::Delete(NfListObject::Chain(chain_object(chain)))));
                    }
                    cmds.push(cmd(NfCmd::Add(NfListObject::Chain(chain_object(chain)))));
                }
            }
            for rule in chain_rules(chain) {
                cmds.push(cmd(NfCmd::Add(NfListObject::Rule(schema::Rule {
                    family: nf_family(chain.family),
                    table: TABLE.into(),
                    chain: chain.name.clone().into(),
                    expr: rule
                        .stmts
                        .iter()
                        .map(Stmt::to_json)
                        .collect::<Vec<_>>()
                        .into(),
                    comment: rule.tag.map(|t| Cow::Owned(t.to_comment())),
                    ..schema::Rule::default()
                }))));
            }
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

/// A chain's rules as nft rules, its copying rule's tag carrying a digest of them all.
fn chain_rules(chain: &Chain) -> Vec<NftRule> {
    let mut rules: Vec<NftRule> = chain
        .rules
        .iter()
        .flat_map(|r| nft_rules(chain, r))
        .collect();
    let digest = chain_digest(&rules);
    for tag in rules.iter_mut().filter_map(|r| r.tag.as_mut()) {
        tag.digest = Some(digest.clone());
    }
    rules
}

/// FNV-1a over the rules' text: stable across runs and builds, unlike std's hasher.
fn chain_digest(rules: &[NftRule]) -> String {
    let mut hash: u32 = 0x811c_9dc5;
    for rule in rules {
        for stmt in &rule.stmts {
            for byte in stmt.to_text().bytes().chain([b'\n']) {
                hash = (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193);
            }
        }
    }
    format!("{hash:08x}")
}

/// The tag of a planned chain's copying rule as loaded, digest included.
fn loaded_tag(chain: &Chain) -> Option<Tag> {
    let digest = chain_digest(&chain_rules(chain));
    copy_tag(chain).map(|t| Tag {
        digest: Some(digest),
        ..t.clone()
    })
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
                tag: Some(tag.clone()),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mirror::host::{Host, test_iface};
    use crate::mirror::plan::plan;
    use crate::mirror::spec::SpecInput;

    fn planned(exclude_net: &[&str]) -> Plan {
        let host = Host {
            interfaces: vec![
                test_iface("xenbr0", 2, None),
                test_iface("vif1.0", 3, Some("xenbr0")),
                test_iface("vif2.0", 4, Some("xenbr0")),
                test_iface("vifmon", 5, None),
            ],
            br_netfilter: None,
        };
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
            chains: plan
                .chains
                .iter()
                .map(|c| CurrentChain {
                    family: c.family,
                    name: c.name.clone(),
                    tag: loaded_tag(c),
                })
                .collect(),
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
        let before = planned(&[]);
        let mut current = loaded(&before);
        // vif2.0 was re-created since: its chain must be made anew to bind the new device.
        current.chains[1].tag.as_mut().unwrap().source_index = Some(40);
        current.chains.push(CurrentChain {
            family: Family::Netdev,
            name: "in-vif7.0".into(),
            tag: None,
        });
        let cmds = commands(&apply_batch(&planned(&["198.19.0.0/24"]), &current));
        assert!(
            cmds.contains(&"delete chain in-vif7.0".to_string()),
            "{cmds:?}"
        );
        assert!(
            cmds.contains(&"flush chain in-vif1.0".to_string()),
            "{cmds:?}"
        );
        assert!(
            cmds.contains(&"delete chain in-vif2.0".to_string()),
            "{cmds:?}"
        );
        assert!(
            cmds.contains(&"add chain in-vif2.0".to_string()),
            "{cmds:?}"
        );
        assert!(!cmds.iter().any(|c| c.contains("table")), "{cmds:?}");
    }

    #[test]
    fn the_script_and_the_batch_carry_the_same_tags() {
        let plan = planned(&["2001:db8:d::/48"]);
        let text = to_text(&plan);
        for chain in &plan.chains {
            let comment = loaded_tag(chain).unwrap().to_comment();
            assert!(text.contains(&format!("comment \"{comment}\"")), "{text}");
        }
        assert!(text.contains("ip6 saddr 2001:db8:d::/48 return"), "{text}");
        assert!(
            !text.contains("arp saddr ip 2001"),
            "ARP carries IPv4 only: {text}"
        );
    }
}
