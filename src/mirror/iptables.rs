//! The iptables backend, the post's own way: `TEE --gateway` in chains of the tool's own in the
//! mangle table, jumped to first thing from PREROUTING and OUTPUT. Changes go through
//! `iptables-restore --noflush`, one atomic commit per table.

use std::fmt::Write as _;

use super::plan::{Chain, Family, Hook, Rule, Side, Target};
use super::quote::quote;
use super::tag::Tag;

/// The tool's chain for a hook, and the built-in chain that jumps to it.
pub fn chain_names(hook: Hook) -> (&'static str, &'static str) {
    match hook {
        Hook::Output => ("TOOL-MIRROR-OUT", "OUTPUT"),
        _ => ("TOOL-MIRROR-IN", "PREROUTING"),
    }
}

const OURS: [Hook; 2] = [Hook::Prerouting, Hook::Output];

/// The families iptables (IPv4) and ip6tables (IPv6) hold rules in.
pub const FAMILIES: [Family; 2] = [Family::Ip, Family::Ip6];

/// The command of each family.
pub fn program(family: Family, action: &str) -> String {
    let base = if family == Family::Ip6 {
        "ip6tables"
    } else {
        "iptables"
    };
    format!("{base}-{action}")
}

/// The comment of the rule that records what iptables-nft created on the tool's behalf (the
/// mangle table, its PREROUTING or OUTPUT chain), so that remove can take those away too.
const MADE: &str = "tool-mirror-made";

/// What `iptables-save -c -t mangle` shows of the tool.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Saved {
    /// What the tool's applying created besides its own chains: `table`, `PREROUTING`, `OUTPUT`.
    pub made: Vec<String>,
    /// The tool's chains that exist.
    pub chains: Vec<String>,
    /// The `-j TOOL-MIRROR-*` jumps in the built-in chains.
    pub jumps: Vec<Jump>,
    /// Every rule of the tool's chains as (chain, rule), the rule as iptables-save prints it
    /// after `-A CHAIN `: what apply compares with the plan.
    pub lines: Vec<(String, String)>,
    /// The tool's copying rules, with their counters.
    pub rules: Vec<SavedRule>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedRule {
    pub chain: String,
    pub tag: Tag,
    pub packets: u64,
    pub bytes: u64,
}

/// A jump from a built-in chain to one of the tool's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Jump {
    pub builtin: String,
    pub target: String,
    /// Whether it is the built-in chain's first rule, where the post puts it.
    pub first: bool,
}

impl Saved {
    pub fn is_empty(&self) -> bool {
        self.chains.is_empty() && self.jumps.is_empty()
    }

    /// The rules of the tool's chain `chain`, in order.
    pub fn lines_of(&self, chain: &str) -> Vec<String> {
        self.lines
            .iter()
            .filter(|(c, _)| c == chain)
            .map(|(_, l)| l.clone())
            .collect()
    }
}

fn is_ours(chain: &str) -> bool {
    OURS.iter().any(|&h| chain_names(h).0 == chain)
}

/// Reads `iptables-save -c -t mangle` output.
pub fn parse_save(text: &str) -> Saved {
    let mut saved = Saved::default();
    // The chains that had a rule already, to tell each chain's first rule.
    let mut seen: Vec<String> = Vec::new();
    for line in text.lines() {
        if let Some(decl) = line.strip_prefix(':') {
            let name = decl.split_whitespace().next().unwrap_or_default();
            if is_ours(name) {
                saved.chains.push(name.to_string());
            }
            continue;
        }
        // With -c each rule starts with its counters: "[packets:bytes] -A CHAIN ...".
        let (counters, rule) = match line.strip_prefix('[').and_then(|l| l.split_once("] ")) {
            Some((c, r)) => (Some(c), r),
            None => (None, line),
        };
        let Some(rule) = rule.strip_prefix("-A ") else {
            continue;
        };
        let words: Vec<&str> = rule.split_whitespace().collect();
        let Some(&chain) = words.first() else {
            continue;
        };
        let first = !seen.iter().any(|c| c == chain);
        if first {
            seen.push(chain.to_string());
        }
        if is_ours(chain) {
            let text = rule[chain.len()..].trim_start();
            saved.lines.push((chain.to_string(), text.to_string()));
        }
        if words.len() == 3 && words[1] == "-j" && is_ours(words[2]) {
            saved.jumps.push(Jump {
                builtin: chain.to_string(),
                target: words[2].to_string(),
                first,
            });
        } else if is_ours(chain)
            && let Some(made) = comment_of(rule)
                .as_deref()
                .and_then(|c| c.strip_prefix(MADE))
        {
            saved.made = made.trim().split(',').map(str::to_string).collect();
        } else if is_ours(chain)
            && let Some(tag) = comment_of(rule).and_then(|c| Tag::from_comment(&c))
        {
            let (packets, bytes) = counters
                .and_then(|c| c.split_once(':'))
                .map(|(p, b)| (p.parse().unwrap_or(0), b.parse().unwrap_or(0)))
                .unwrap_or((0, 0));
            saved.rules.push(SavedRule {
                chain: chain.to_string(),
                tag,
                packets,
                bytes,
            });
        }
    }
    saved
}

fn comment_of(rule: &str) -> Option<String> {
    let rest = &rule[rule.find("--comment ")? + "--comment ".len()..];
    match rest.strip_prefix('"') {
        Some(quoted) => {
            let mut out = String::new();
            let mut chars = quoted.chars();
            while let Some(c) = chars.next() {
                match c {
                    '\\' => out.push(chars.next()?),
                    '"' => return Some(out),
                    c => out.push(c),
                }
            }
            None
        }
        None => rest.split_whitespace().next().map(str::to_string),
    }
}

/// The `iptables-restore --noflush` input that makes the mangle table hold exactly `chains`
/// (all of one family) of the tool's, given what is there now; `made` is recorded for remove.
/// A chain whose every rule is as planned is left alone, its counters running on; one that
/// differs in any rule (doubled by a race, edited by hand, partly deleted) is flushed and
/// filled again. Each built-in chain ends up with exactly one jump to the tool's, first.
pub fn apply_script(chains: &[&Chain], saved: &Saved, made: &[String]) -> String {
    let planned: Vec<(&str, &str, Vec<String>)> = OURS
        .iter()
        .filter_map(|&hook| chains.iter().find(|c| c.hook == hook))
        .enumerate()
        .map(|(i, chain)| {
            let (ours, builtin) = chain_names(chain.hook);
            let mut lines: Vec<String> = chain
                .rules
                .iter()
                .flat_map(|r| rule_lines(chain.hook, r))
                .collect();
            if i == 0 && !made.is_empty() {
                lines.push(format!(
                    "-m comment --comment \"{MADE} {}\" -j RETURN",
                    made.join(",")
                ));
            }
            (ours, builtin, lines)
        })
        .collect();
    let changed: Vec<&(&str, &str, Vec<String>)> = planned
        .iter()
        .filter(|(ours, _, lines)| {
            !saved.chains.iter().any(|c| c == ours) || saved.lines_of(ours) != *lines
        })
        .collect();
    let mut s = String::from("*mangle\n");
    // Declarations first, as iptables-restore wants them; declaring a chain flushes it, so the
    // rules below replace what was there.
    for (ours, _, _) in &changed {
        let _ = writeln!(s, ":{ours} - [0:0]");
    }
    for (ours, _, lines) in &changed {
        for line in lines {
            let _ = writeln!(s, "-A {ours} {line}");
        }
    }
    for (ours, builtin, _) in &planned {
        let jumps: Vec<&Jump> = saved
            .jumps
            .iter()
            .filter(|j| j.builtin == *builtin && j.target == *ours)
            .collect();
        if let [only] = jumps[..]
            && only.first
        {
            continue;
        }
        // A doubled jump copies twice; a jump after someone else's rule copies what they let
        // through. Take them all out and put one back, first thing, as the post advises.
        for _ in &jumps {
            let _ = writeln!(s, "-D {builtin} -j {ours}");
        }
        let _ = writeln!(s, "-I {builtin} 1 -j {ours}");
    }
    for hook in OURS {
        if !chains.iter().any(|c| c.hook == hook) {
            remove_chain(&mut s, hook, saved);
        }
    }
    s.push_str("COMMIT\n");
    s
}

/// Whether an input of [`apply_script`] changes anything: one for a table already as planned
/// holds only the table's name and COMMIT.
pub fn changes_anything(script: &str) -> bool {
    script.lines().any(|l| l != "*mangle" && l != "COMMIT")
}

/// The `iptables-restore --noflush` input that removes all the tool made, or `None` when there
/// is nothing of it.
pub fn removal_script(saved: &Saved) -> Option<String> {
    if saved.is_empty() {
        return None;
    }
    let mut s = String::from("*mangle\n");
    for hook in OURS {
        remove_chain(&mut s, hook, saved);
    }
    s.push_str("COMMIT\n");
    Some(s)
}

fn remove_chain(s: &mut String, hook: Hook, saved: &Saved) {
    let (ours, _) = chain_names(hook);
    for jump in saved.jumps.iter().filter(|j| j.target == ours) {
        let _ = writeln!(s, "-D {} -j {ours}", jump.builtin);
    }
    if saved.chains.iter().any(|c| c == ours) {
        let _ = writeln!(s, "-F {ours}\n-X {ours}");
    }
}

fn rule_lines(hook: Hook, rule: &Rule) -> Vec<String> {
    match rule {
        Rule::SkipNet { side, net } => {
            let flag = if *side == Side::Source { "-s" } else { "-d" };
            vec![format!("{flag} {net} -j RETURN")]
        }
        Rule::SkipIface { iface, bridge_port } => {
            let mut lines = vec![format!("-i {iface} -j RETURN")];
            if *bridge_port {
                // With br_netfilter, a bridged packet's input device is the bridge; only physdev
                // sees the port it came in on.
                lines.push(format!("-m physdev --physdev-in {iface} -j RETURN"));
            }
            lines
        }
        Rule::Copy {
            target,
            only_iface,
            tag,
        } => {
            let Target::Gateway(gateway) = target else {
                unreachable!("the planner gives the iptables backend gateways only")
            };
            let only = only_iface
                .as_ref()
                .map(|i| format!("{} {i} ", if hook == Hook::Output { "-o" } else { "-i" }))
                .unwrap_or_default();
            vec![format!(
                "{only}-m comment --comment {} -j TEE --gateway {gateway}",
                quote(&tag.to_comment())
            )]
        }
        Rule::MarkCopied { .. } | Rule::SkipCopied | Rule::SkipTunnelled => {
            unreachable!("the planner gives the iptables backend L3 rules only")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mirror::net::IpNet;

    const SAVE: &str = r#"# Generated by iptables-save v1.8.9 (nf_tables)
*mangle
:PREROUTING ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:TOOL-MIRROR-IN - [0:0]
:OTHER - [0:0]
[0:0] -A PREROUTING -j TOOL-MIRROR-IN
[3:120] -A PREROUTING -i eth0 -j OTHER
[0:0] -A TOOL-MIRROR-IN -s 198.18.200.2/32 -j RETURN
[12:1008] -A TOOL-MIRROR-IN -i xenbr0 -m comment --comment "tool-mirror src=xenbr0 hook=prerouting dst=198.18.200.2" -j TEE --gateway 198.18.200.2
[1:1] -A OTHER -m comment --comment "not ours" -j ACCEPT
COMMIT
"#;

    #[test]
    fn reads_what_is_ours_only() {
        let saved = parse_save(SAVE);
        assert_eq!(saved.chains, ["TOOL-MIRROR-IN"]);
        assert_eq!(
            saved.jumps,
            [Jump {
                builtin: "PREROUTING".into(),
                target: "TOOL-MIRROR-IN".into(),
                first: true
            }]
        );
        assert_eq!(
            saved.lines_of("TOOL-MIRROR-IN")[0],
            "-s 198.18.200.2/32 -j RETURN"
        );
        assert_eq!(saved.rules.len(), 1);
        assert_eq!((saved.rules[0].packets, saved.rules[0].bytes), (12, 1008));
        assert_eq!(saved.rules[0].tag.source, "xenbr0");
    }

    #[test]
    fn removal_touches_only_ours() {
        let script = removal_script(&parse_save(SAVE)).unwrap();
        assert_eq!(
            script,
            "*mangle\n-D PREROUTING -j TOOL-MIRROR-IN\n-F TOOL-MIRROR-IN\n-X TOOL-MIRROR-IN\nCOMMIT\n"
        );
        assert_eq!(removal_script(&Saved::default()), None);
    }

    fn prerouting() -> Chain {
        let gw = "198.18.200.2".parse().unwrap();
        Chain {
            family: Family::Ip,
            name: "prerouting".into(),
            hook: Hook::Prerouting,
            device: None,
            rules: vec![
                Rule::SkipNet {
                    side: Side::Source,
                    net: IpNet::host(gw),
                },
                Rule::SkipIface {
                    iface: "vif3.0".into(),
                    bridge_port: true,
                },
                Rule::Copy {
                    target: Target::Gateway(gw),
                    only_iface: None,
                    tag: Tag {
                        source: "*".into(),
                        source_index: None,
                        hook: Hook::Prerouting,
                        dest: gw.to_string(),
                        dest_index: None,
                        bridge: None,
                        glob: None,
                        excluded: vec![],
                    },
                },
            ],
        }
    }

    /// What `iptables-save -c` shows once `script` was restored into an empty mangle table,
    /// with `extra` rules appended.
    fn saved_after(script: &str, extra: &[&str]) -> Saved {
        let mut text = String::from("*mangle\n");
        let lines = script.lines().chain(extra.iter().copied());
        for line in lines.clone().filter(|l| l.starts_with(':')) {
            text += &format!("{line}\n");
        }
        for line in lines.filter(|l| l.starts_with("-")) {
            let line = line.replace("-I PREROUTING 1 ", "-A PREROUTING ");
            text += &format!("[0:0] {line}\n");
        }
        parse_save(&text)
    }

    #[test]
    fn apply_inserts_the_jump_once() {
        let chain = prerouting();
        let fresh = apply_script(&[&chain], &Saved::default(), &["OUTPUT".to_string()]);
        assert!(
            fresh.contains("--comment \"tool-mirror-made OUTPUT\" -j RETURN\n"),
            "{fresh}"
        );
        assert_eq!(
            parse_save(&fresh.replace("-A ", "[0:0] -A ")).made,
            ["OUTPUT"]
        );
        assert!(
            fresh.contains("-I PREROUTING 1 -j TOOL-MIRROR-IN\n"),
            "{fresh}"
        );
        assert!(fresh.contains("-A TOOL-MIRROR-IN -m physdev --physdev-in vif3.0 -j RETURN\n"));
        assert!(fresh.contains("-j TEE --gateway 198.18.200.2\n"));
        let again = apply_script(&[&chain], &parse_save(SAVE), &[]);
        assert!(!again.contains("-I PREROUTING"), "{again}");
    }

    #[test]
    fn apply_converges_on_every_rule_and_jump() {
        let chain = prerouting();
        let fresh = apply_script(&[&chain], &Saved::default(), &[]);
        let tee = fresh.lines().find(|l| l.contains("-j TEE")).unwrap();
        let unchanged = apply_script(&[&chain], &saved_after(&fresh, &[]), &[]);
        assert_eq!(
            unchanged, "*mangle\nCOMMIT\n",
            "as planned: untouched, counters run on"
        );
        assert!(!changes_anything(&unchanged) && changes_anything(&fresh));
        let doubled = apply_script(&[&chain], &saved_after(&fresh, &[tee]), &[]);
        assert!(
            doubled.starts_with("*mangle\n:TOOL-MIRROR-IN - [0:0]\n"),
            "{doubled}"
        );
        assert_eq!(doubled.matches("-j TEE").count(), 1, "{doubled}");
        let edited = fresh.replace("-s 198.18.200.2/32", "-s 198.18.200.9/32");
        assert!(
            apply_script(&[&chain], &saved_after(&edited, &[]), &[]).contains(":TOOL-MIRROR-IN")
        );
        let jump = "-A PREROUTING -j TOOL-MIRROR-IN";
        let twice = apply_script(&[&chain], &saved_after(&fresh, &[jump]), &[]);
        assert_eq!(
            twice,
            "*mangle\n-D PREROUTING -j TOOL-MIRROR-IN\n-D PREROUTING -j TOOL-MIRROR-IN\n-I PREROUTING 1 -j TOOL-MIRROR-IN\nCOMMIT\n"
        );
        let later = saved_after(
            &fresh.replace("-I PREROUTING 1 -j TOOL-MIRROR-IN\n", ""),
            &["-A PREROUTING -i eth0 -j ACCEPT", jump],
        );
        assert!(
            apply_script(&[&chain], &later, &[])
                .contains("-D PREROUTING -j TOOL-MIRROR-IN\n-I PREROUTING 1")
        );
    }
}
