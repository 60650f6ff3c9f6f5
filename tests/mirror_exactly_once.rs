//! `tool mirror` copies every frame exactly once whatever runs when: concurrent applies, a
//! chain edited by hand, a destination that would loop, glob sources seen both ways. Real
//! kernel, inside the namespaces of tests/support/netns.rs.

mod support;

use std::process::Child;

use support::netns::{
    GUEST_TO_GUEST, GUEST_TO_HOST, HOST_TO_GUEST, L2_SPEC, Lab, OUTSIDE_TO_GUEST, Path,
    assert_copied, probe,
};

/// `mirror apply` with the lab's L2 SPEC.
fn apply_args() -> Vec<&'static str> {
    [&["mirror", "apply"][..], &L2_SPEC].concat()
}

/// Each chain of the tool's netdev table with the number of `dup` rules in it.
fn dups_per_chain(lab: &Lab) -> Vec<(String, usize)> {
    let listing = lab.sh_ok("dom0", "nft list table netdev tool_mirror");
    let mut chains: Vec<(String, usize)> = Vec::new();
    for line in listing.lines().map(str::trim) {
        if let Some(name) = line.strip_prefix("chain ") {
            chains.push((name.trim_end_matches(" {").to_string(), 0));
        } else if line.contains("dup to")
            && let Some(last) = chains.last_mut()
        {
            last.1 += 1;
        }
    }
    chains
}

fn assert_one_dup_each(lab: &Lab, what: &str) {
    let chains = dups_per_chain(lab);
    assert_eq!(
        chains.len(),
        4,
        "{what}: in-vif1.0, in-vif2.0, in-uplink, out-xenbr0: {chains:?}"
    );
    assert!(
        chains.iter().all(|(_, dups)| *dups == 1),
        "{what}: one dup rule per chain: {chains:?}"
    );
}

const ACROSS_THE_BRIDGE: [&Path; 4] = [
    &GUEST_TO_GUEST,
    &GUEST_TO_HOST,
    &HOST_TO_GUEST,
    &OUTSIDE_TO_GUEST,
];

#[test]
fn concurrent_applies_leave_one_copy() {
    let Some(lab) = Lab::xen_host() else {
        return;
    };
    for trial in 0..4 {
        let runs: Vec<Child> = (0..4)
            .map(|_| {
                lab.tool_command(&apply_args())
                    .spawn()
                    .expect("the tool starts")
            })
            .collect();
        for run in runs {
            let out = run.wait_with_output().unwrap();
            assert!(out.status.success(), "trial {trial}: {out:?}");
        }
        assert_one_dup_each(&lab, &format!("trial {trial}"));
        let counts = probe(&lab, &ACROSS_THE_BRIDGE);
        assert_copied(&counts, &ACROSS_THE_BRIDGE, &[]);
        // Concurrent removes and applies: whichever runs last decides, never a mix.
        let runs: Vec<Child> = [apply_args(), vec!["mirror", "remove"], apply_args()]
            .iter()
            .map(|args| lab.tool_command(args).spawn().expect("the tool starts"))
            .collect();
        for run in runs {
            assert!(run.wait_with_output().unwrap().status.success());
        }
        lab.tool_ok(&["mirror", "remove"]);
    }
}

#[test]
fn a_held_lock_makes_apply_wait_then_give_up_cleanly() {
    let Some(lab) = Lab::xen_host() else {
        return;
    };
    let before = lab.nft_ruleset();
    let inode = lab.sh_ok("dom0", "stat -L -c %i /proc/self/ns/net");
    let lock = format!("/run/tool/mirror-{}.lock", inode.trim());
    // Someone else (a hook script's apply, say) holds the lock for a while.
    std::fs::create_dir_all("/run/tool").unwrap();
    let mut holder = std::process::Command::new("flock")
        .args([&lock, "-c", "echo held; exec sleep 4"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("flock runs");
    let mut held = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(holder.stdout.take().unwrap()),
        &mut held,
    )
    .unwrap();
    assert_eq!(held, "held\n");
    let mut args = apply_args();
    args.extend(["--wait", "1"]);
    let out = lab.tool(&args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.starts_with("error: ") && stderr.contains(&lock),
        "{stderr}"
    );
    assert!(stderr.contains("--wait"), "{stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    assert_eq!(lab.nft_ruleset(), before, "nothing changed");
    // Within --wait, the second caller simply waits its turn.
    let mut args = apply_args();
    args.extend(["--wait", "20"]);
    lab.tool_ok(&args);
    assert!(holder.wait().unwrap().success());
    assert_one_dup_each(&lab, "after waiting");
}
