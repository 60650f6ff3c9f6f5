//! The iptables backend's effects: the iptables-restore input that makes each mangle table hold
//! the plan, and the bookkeeping of what iptables-nft creates on the tool's behalf (the mangle
//! table, a built-in chain), so that remove takes that away too.

use anyhow::anyhow;

use super::iptables::{self, FAMILIES};
use super::nft;
use super::plan::{Chain, Family, Plan};
use super::system;

fn chains_of(plan: &Plan, family: Family) -> Vec<&Chain> {
    plan.chains.iter().filter(|c| c.family == family).collect()
}

/// The iptables-restore input per family that makes the mangle tables hold the plan.
pub fn scripts(plan: &Plan) -> anyhow::Result<Vec<(Family, String)>> {
    let mut scripts = Vec::new();
    for family in FAMILIES {
        let saved = system::iptables_saved(family)?.ok_or_else(|| {
            anyhow!(
                "{} is not installed: apt-get install iptables",
                iptables::program(family, "save")
            )
        })?;
        let chains = chains_of(plan, family);
        let script = if !chains.is_empty() {
            let made = made_by_applying(family, &chains, &saved)?;
            Some(iptables::apply_script(&chains, &saved, &made))
        } else {
            iptables::removal_script(&saved)
        };
        scripts.extend(script.map(|s| (family, s)));
    }
    Ok(scripts)
}

/// What iptables-nft will create for the tool (the mangle table, a built-in chain), together
/// with what it created before, so that remove can take it all away again.
fn made_by_applying(
    family: Family,
    chains: &[&Chain],
    saved: &iptables::Saved,
) -> anyhow::Result<Vec<String>> {
    let mut made = saved.made.clone();
    if !system::iptables_is_nft() {
        return Ok(made);
    }
    let existing = system::nft_table_chains(family, "mangle")?;
    let mut add = |what: &str| {
        if !made.iter().any(|m| m == what) {
            made.push(what.to_string());
        }
    };
    if existing.is_none() {
        add("table");
    }
    for chain in chains {
        let (_, builtin) = iptables::chain_names(chain.hook);
        if !existing.iter().flatten().any(|(name, _)| name == builtin) {
            add(builtin);
        }
    }
    Ok(made)
}

/// Deletes what iptables-nft created for the tool, where it is empty now.
fn remove_made(family: Family, made: &[String]) -> anyhow::Result<()> {
    let Some(chains) = system::nft_table_chains(family, "mangle")? else {
        return Ok(());
    };
    let empty: Vec<&str> = chains
        .iter()
        .filter(|(name, rules)| *rules == 0 && made.iter().any(|m| m == name))
        .map(|(name, _)| name.as_str())
        .collect();
    let table_goes = made.iter().any(|m| m == "table") && empty.len() == chains.len();
    let batch = nft::removal_of_made(family, &empty, table_goes);
    if !batch.objects.is_empty() {
        system::nft_apply(&batch, false)?;
    }
    Ok(())
}

/// Removes the tool's iptables chains; whether there were any.
pub fn remove() -> anyhow::Result<bool> {
    let mut removed = false;
    for family in FAMILIES {
        let Some(saved) = system::iptables_saved(family)? else {
            continue;
        };
        if let Some(script) = iptables::removal_script(&saved) {
            system::iptables_restore(family, &script, false)?;
            if system::iptables_is_nft() {
                remove_made(family, &saved.made)?;
            }
            removed = true;
        }
    }
    Ok(removed)
}
