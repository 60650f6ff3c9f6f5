//! The Dovecot that `bench/imap.sh` measures against, served by the tests' own harness
//! (tests/support/dovecot.rs) so that its configuration lives in one place. A bench target rather
//! than a test: it is a server to run, not a check. Folders: Bench10k (10,000 messages of about
//! 3 kB) and Big2MB (60 messages of 2 MB). It writes the connection details as JSON to the file
//! named by its argument, then serves until its stdin closes.

#[path = "../tests/support/dovecot.rs"]
mod dovecot;
#[path = "../tests/support/mod.rs"]
mod support;

use dovecot::{Dovecot, PASSWORD, USER, message};

fn main() {
    let Some(info) = std::env::args_os().nth(1) else {
        eprintln!("usage: imap_server INFO.json (bench/imap.sh runs this)");
        std::process::exit(2);
    };
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
    // Attachments as base64 lines of pseudo-random alphabet characters: valid, incompressible.
    const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    for n in 1..=60u32 {
        let mut attachment = String::with_capacity(2 << 20);
        while attachment.len() < 2_000_000 {
            for _ in 0..76 {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                attachment.push(char::from(B64[(state % 64) as usize]));
            }
            attachment.push_str("\r\n");
        }
        let mail = format!(
            "From: big@example.org\r\nSubject: big {n}\r\nMIME-Version: 1.0\r\n\
             Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\
             Content-Type: text/plain\r\n\r\nSee the attachment.\r\n--b\r\n\
             Content-Type: application/octet-stream; name=\"data{n}.bin\"\r\n\
             Content-Transfer-Encoding: base64\r\n\r\n{attachment}--b--\r\n"
        );
        server.deliver("Big2MB", mail.as_bytes(), Some("S"));
    }
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
