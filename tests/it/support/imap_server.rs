//! The Dovecot that `bench/imap.sh` measures against, served by the tests' own harness
//! (dovecot.rs beside it) so that its configuration lives in one place. A test helper, not a
//! test: `bench_server` in tests/it/imap/library.rs runs it when the bench script sets
//! TOOL_BENCH_SERVER_INFO, so that it is built and linted with the tests. Folders: Bench10k
//! (10,000 messages of about 3 kB), Big2MB (60 messages of 2 MB) and Huge150MB (one message of
//! 150 MB). The WAN the script measures through is its own proxy (bench/imap_wan_proxy.py).

use super::dovecot::{self, Dovecot, PASSWORD, USER, message, with_attachment};
use std::path::Path;

/// Fills a new Dovecot with the bench folders, writes its connection details as JSON to `info`,
/// and serves until stdin closes.
pub fn serve(info: &Path) {
    let Some(server) = Dovecot::start(dovecot::Options::default()) else {
        panic!("the benchmark needs Dovecot");
    };
    let body = "All systems nominal; nothing to report this week.\n".repeat(60);
    for n in 1..=10_000u32 {
        // One subject in ten in encoded words, as mail from abroad comes.
        let subject = if n % 10 == 0 {
            format!(" =?UTF-8?Q?Gr=C3=BC=C3=9Fe_{n}?=")
        } else {
            format!(" Status report {n}")
        };
        server.deliver("Bench10k", &message(n, Some(&subject), &body), Some("S"));
    }
    let mut seed = 0x2545_f491_4f6c_dd1d_u64;
    for n in 1..=60u32 {
        let mail = with_attachment(
            &format!("big {n}"),
            &format!("data{n}.bin"),
            2_000_000,
            &mut seed,
        );
        server.deliver("Big2MB", &mail, Some("S"));
    }
    let huge = with_attachment("huge", "huge.bin", 150 << 20, &mut seed);
    server.deliver("Huge150MB", &huge, Some("S"));
    drop(huge);
    let details = serde_json::json!({
        "host": "127.0.0.1",
        "imap_port": server.imap_port,
        "imaps_port": server.imaps_port,
        "ca_file": server.ca_file(),
        "user": USER,
        "password": PASSWORD,
    });
    std::fs::write(info, details.to_string()).unwrap();
    std::io::Read::read_to_end(&mut std::io::stdin(), &mut Vec::new()).unwrap();
}
