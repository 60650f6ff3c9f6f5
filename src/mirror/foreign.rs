//! Other rules on the L3 copies' way. A copy made by nft `dup to IP` or `TEE --gateway` leaves
//! through the output path; a rule there that sets the packet mark or rewrites the destination
//! makes the kernel route it again, by its original destination: the copy goes to the real
//! recipient (a guest gets it twice) and the monitor gets nothing. Pure: reads a listing of the
//! whole ruleset.

use nftables::schema::{Chain, NfListObject, NfObject, Nftables, Rule};
use nftables::stmt::{JumpTarget, Statement};
use nftables::types::{NfChainType, NfFamily, NfHook};

use super::nft::TABLE;
use super::plan::Family;

/// A rule of someone else's that would turn the copies away.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Foreign {
    /// `table ip mangle chain OUTPUT`.
    pub place: String,
    /// What it does, e.g. `sets the packet mark (MARK)`.
    pub what: String,
}

/// iptables targets (seen through iptables-nft) that set the mark or re-route.
const XT_TARGETS: [&str; 5] = ["MARK", "CONNMARK", "DNAT", "REDIRECT", "TPROXY"];

/// The rules in the prerouting and output hooks of `family` (and of inet tables) that set the
/// packet mark or redirect packets, in chains the hooks reach.
pub fn find(ruleset: &Nftables, family: Family) -> Vec<Foreign> {
    let families = [
        NfFamily::INet,
        if family == Family::Ip6 {
            NfFamily::IP6
        } else {
            NfFamily::IP
        },
    ];
    let chains: Vec<&Chain> = ruleset
        .objects
        .iter()
        .filter_map(|o| match o {
            NfObject::ListObject(NfListObject::Chain(c)) => Some(c),
            _ => None,
        })
        .filter(|c| families.contains(&c.family) && c.table != TABLE)
        .collect();
    let rules: Vec<&Rule> = ruleset
        .objects
        .iter()
        .filter_map(|o| match o {
            NfObject::ListObject(NfListObject::Rule(r)) => Some(r),
            _ => None,
        })
        .collect();
    // The base chains the copies pass, then every chain they jump or go to.
    let mut reached: Vec<(&Chain, bool)> = chains
        .iter()
        .filter(|c| matches!(c.hook, Some(NfHook::Prerouting | NfHook::Output)))
        .map(|c| (*c, c._type == Some(NfChainType::Route)))
        .collect();
    let mut i = 0;
    while i < reached.len() {
        let (chain, route) = reached[i];
        for target in rules_of(&rules, chain)
            .into_iter()
            .flat_map(|r| r.expr.iter())
            .filter_map(jump_target)
        {
            if let Some(next) = chains
                .iter()
                .find(|c| c.family == chain.family && c.table == chain.table && c.name == target)
                && !reached.iter().any(|(r, _)| r == next)
            {
                reached.push((*next, route));
            }
        }
        i += 1;
    }
    let mut found = Vec::new();
    for (chain, route) in reached {
        // The tool's own iptables chains hold only TEE.
        if chain.name.starts_with("TOOL-MIRROR") {
            continue;
        }
        for rule in rules_of(&rules, chain) {
            if let Some(what) = rule.expr.iter().find_map(|s| diverts(s, route)) {
                found.push(Foreign {
                    place: format!(
                        "table {} {} chain {}",
                        family_name(chain.family),
                        chain.table,
                        chain.name
                    ),
                    what,
                });
            }
        }
    }
    found
}

fn rules_of<'r, 'a>(rules: &[&'r Rule<'a>], chain: &Chain) -> Vec<&'r Rule<'a>> {
    rules
        .iter()
        .copied()
        .filter(|r| r.family == chain.family && r.table == chain.table && r.chain == chain.name)
        .collect()
}

fn jump_target<'a>(stmt: &'a Statement) -> Option<&'a str> {
    match stmt {
        Statement::Jump(JumpTarget { target }) | Statement::Goto(JumpTarget { target }) => {
            Some(target)
        }
        _ => None,
    }
}

/// What a statement does to a packet's route, if anything: in a `route` chain (iptables' mangle
/// OUTPUT) any change re-routes it.
fn diverts(stmt: &Statement, route_chain: bool) -> Option<String> {
    match stmt {
        Statement::Mangle(m) => {
            let key = serde_json::to_string(&m.key).unwrap_or_default();
            if key.contains("\"mark\"") && key.contains("meta") {
                Some("sets the packet mark".into())
            } else if route_chain {
                Some(format!("rewrites {key} in a route chain"))
            } else {
                None
            }
        }
        Statement::XT(Some(xt)) => {
            let name = xt.get("name").and_then(|n| n.as_str()).unwrap_or_default();
            XT_TARGETS
                .contains(&name)
                .then(|| format!("sets the packet mark or redirects ({name})"))
        }
        Statement::DNAT(_) | Statement::Redirect(_) => Some("redirects packets (dnat)".into()),
        Statement::TProxy(_) => Some("redirects packets (tproxy)".into()),
        _ => None,
    }
}

fn family_name(f: NfFamily) -> &'static str {
    match f {
        NfFamily::IP => "ip",
        NfFamily::IP6 => "ip6",
        NfFamily::INet => "inet",
        _ => "other",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ruleset(json: serde_json::Value) -> Nftables<'static> {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn finds_marks_and_redirects_where_the_copies_pass() {
        let listing = ruleset(serde_json::json!({"nftables": [
            {"chain": {"family": "ip", "table": "mangle", "name": "OUTPUT", "handle": 1,
                "type": "route", "hook": "output", "prio": -150, "policy": "accept"}},
            {"chain": {"family": "ip", "table": "mangle", "name": "FORWARD", "handle": 2,
                "type": "filter", "hook": "forward", "prio": -150, "policy": "accept"}},
            {"chain": {"family": "inet", "table": "fw", "name": "pre", "handle": 3,
                "type": "filter", "hook": "prerouting", "prio": 0, "policy": "accept"}},
            {"chain": {"family": "inet", "table": "fw", "name": "marking", "handle": 4}},
            {"chain": {"family": "ip", "table": "tool_mirror", "name": "output", "handle": 5,
                "type": "filter", "hook": "output", "prio": -150, "policy": "accept"}},
            {"rule": {"family": "ip", "table": "mangle", "chain": "OUTPUT", "handle": 6,
                "expr": [{"counter": {"packets": 0, "bytes": 0}},
                         {"xt": {"type": "target", "name": "MARK"}}]}},
            {"rule": {"family": "ip", "table": "mangle", "chain": "FORWARD", "handle": 7,
                "expr": [{"xt": {"type": "target", "name": "MARK"}}]}},
            {"rule": {"family": "inet", "table": "fw", "chain": "pre", "handle": 8,
                "expr": [{"jump": {"target": "marking"}}]}},
            {"rule": {"family": "inet", "table": "fw", "chain": "marking", "handle": 9,
                "expr": [{"mangle": {"key": {"meta": {"key": "mark"}}, "value": 5}}]}},
            {"rule": {"family": "ip", "table": "tool_mirror", "chain": "output", "handle": 10,
                "expr": [{"counter": null}]}}
        ]}));
        let found = find(&listing, Family::Ip);
        let places: Vec<&str> = found.iter().map(|f| f.place.as_str()).collect();
        assert_eq!(
            places,
            [
                "table ip mangle chain OUTPUT",
                "table inet fw chain marking"
            ]
        );
        assert!(found[0].what.contains("MARK"));
        assert!(found[1].what.contains("mark"));
        // The IPv6 copies pass only the inet table.
        assert_eq!(find(&listing, Family::Ip6).len(), 1);
    }
}
