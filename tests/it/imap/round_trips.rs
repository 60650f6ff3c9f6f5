//! Round trips, counted on the wire: `tool imap` through a proxy that delays every byte (a
//! 50 ms round trip, as real mail servers are away) and counts the client's flights, against a
//! real Dovecot. The protocol allows LOGIN, EXAMINE and the FETCH that covers a folder to go in
//! one flight (RFC 3501 section 5.5), and LOGOUT is not waited for; TLS adds its handshake.
//! Flights are counted, never time.

use crate::support;
use crate::support::dovecot;

use std::time::Duration;

use dovecot::{Dovecot, PASSWORD, Proxy, USER, message};
use support::assert_succeeds;
use tool::imap::{Compression, Security, Server, connect};

const COUNT: u32 = 300;
/// Half a 50 ms round trip.
const ONE_WAY: Duration = Duration::from_millis(25);

fn fill(server: &Dovecot) {
    for n in 1..=COUNT {
        server.deliver("Far", &message(n, Some(&format!(" far {n}")), "text"), None);
    }
    for folder in ["Two", "Three"] {
        server.deliver(folder, &message(1, Some(" one"), "text"), None);
    }
}

fn server() -> Option<&'static Dovecot> {
    Dovecot::shared(module_path!(), fill)
}

/// Runs `tool imap VERB_ARGS` through `proxy` over `security`: its output, and the client's
/// flights.
fn through(server: &Dovecot, proxy: &Proxy, verb_args: &[&str], security: &str) -> (Vec<u8>, u64) {
    proxy.reset();
    let out = server
        .tool_with(verb_args, security, &[("--port", &proxy.port.to_string())])
        .output()
        .unwrap();
    (assert_succeeds(&out), proxy.flights())
}

/// The harness's server as the library reaches it through `proxy`, over plain IMAP.
fn plain_through(proxy: &Proxy) -> Server {
    Server {
        host: "127.0.0.1".into(),
        port: proxy.port,
        security: Security::Plain,
        ca_file: None,
    }
}

const VERBS: [&[&str]; 5] = [
    &["subjects", "Far"],
    &["subjects", "Far", "--json"],
    &["messages", "Far", "--json"],
    &["show", "Far", "7"],
    &["folders"],
];

/// Every verb through a proxy on `port` over `security`: the same output as without it, in
/// `flights` client flights.
fn assert_every_verb_takes(server: &Dovecot, port: u16, security: &str, flights: u64) {
    let proxy = Proxy::delayed(port, ONE_WAY);
    for verb in VERBS {
        let direct = assert_succeeds(&server.tool(verb, security).output().unwrap());
        let (out, taken) = through(server, &proxy, verb, security);
        assert!(out == direct, "{verb:?}: the same output through the proxy");
        assert_eq!(
            taken,
            flights,
            "{verb:?} over {security}: {}",
            String::from_utf8_lossy(&proxy.sent_by_client())
        );
    }
}

#[test]
fn every_verb_takes_two_flights_on_plain_imap() {
    let Some(server) = server() else { return };
    // Everything after the greeting in one, and LOGOUT (not waited for).
    assert_every_verb_takes(server, server.imap_port, "plain", 2);
    let proxy = Proxy::delayed(server.imap_port, ONE_WAY);
    let (out, _) = through(server, &proxy, &["subjects", "Far"], "plain");
    assert_eq!(out.iter().filter(|&&b| b == b'\n').count(), COUNT as usize);
}

#[test]
fn tls_adds_its_one_round_trip() {
    let Some(server) = server() else { return };
    // TLS 1.3: the ClientHello, then the Finished with every command, then LOGOUT.
    assert_every_verb_takes(server, server.imaps_port, "tls", 3);
}

#[test]
fn starttls_costs_its_command_and_the_handshake() {
    let Some(server) = server() else { return };
    // STARTTLS, the ClientHello, the Finished with every command, LOGOUT.
    assert_every_verb_takes(server, server.imap_port, "starttls", 4);
}

#[test]
fn compress_deflate_carries_the_same_answers_in_fewer_bytes() {
    let Some(server) = server() else { return };
    let proxy = Proxy::delayed(server.imap_port, ONE_WAY);
    let plain = plain_through(&proxy);
    let mut results = Vec::new();
    for compression in [Compression::Never, Compression::Always] {
        proxy.reset();
        let mut session = connect(&plain)
            .unwrap()
            .compression(compression)
            .login(USER, PASSWORD)
            .unwrap();
        assert_eq!(session.compressed(), compression == Compression::Always);
        let subjects: Vec<Vec<u8>> = session
            .examine("Far")
            .unwrap()
            .headers(&["SUBJECT"])
            .unwrap()
            .map(|h| h.unwrap().raw)
            .collect();
        let folders = session.folders().unwrap();
        session.logout();
        results.push((
            subjects,
            folders,
            proxy.bytes_from_server(),
            proxy.flights(),
        ));
    }
    let (never, always) = (&results[0], &results[1]);
    assert_eq!(never.0.len(), COUNT as usize);
    assert_eq!((&never.0, &never.1), (&always.0, &always.1));
    assert!(
        always.2 * 2 < never.2,
        "{} bytes compressed, {} not",
        always.2,
        never.2
    );
    // COMPRESS goes with LOGIN, and its answer is awaited: one round trip.
    assert!(
        always.3 <= never.3 + 1,
        "{} flights, {} without",
        always.3,
        never.3
    );
}

#[test]
fn compress_is_asked_for_only_where_wanted() {
    let Some(server) = server() else { return };
    let proxy = Proxy::start(server.imap_port, None);
    let port = proxy.port.to_string();
    let mut bytes = Vec::new();
    // On a loopback address only when asked, as through an SSH tunnel.
    for (extra, asked) in [
        (&[][..], false),
        (&["--no-compress"][..], false),
        (&["--compress"][..], true),
    ] {
        proxy.reset();
        let args: Vec<&str> = ["subjects", "Far"].iter().chain(extra).copied().collect();
        let out = server
            .tool_with(&args, "plain", &[("--port", &port)])
            .output()
            .unwrap();
        let listed = assert_succeeds(&out);
        assert_eq!(
            listed.iter().filter(|&&b| b == b'\n').count(),
            COUNT as usize
        );
        let sent = String::from_utf8_lossy(&proxy.sent_by_client()).into_owned();
        assert_eq!(
            sent.contains("COMPRESS DEFLATE"),
            asked,
            "{extra:?}: {sent}"
        );
        bytes.push(proxy.bytes_from_server());
    }
    assert!(bytes[2] * 2 < bytes[0], "{bytes:?}");
    let both = server
        .tool_with(&["folders", "--compress", "--no-compress"], "plain", &[])
        .output()
        .unwrap();
    assert_eq!(both.status.code(), Some(2));
}

#[test]
fn folders_falls_back_to_list_and_status_where_the_server_lacks_list_status() {
    let Some(server) = Dovecot::start(dovecot::Options {
        hide: &["LIST-STATUS"],
        ..Default::default()
    }) else {
        return;
    };
    fill(&server);
    let proxy = Proxy::delayed(server.imap_port, ONE_WAY);
    let plain = plain_through(&proxy);
    let mut listed = Vec::new();
    // Once LOGIN was answered, the server has said what it offers: without LIST-STATUS,
    // LIST and then every STATUS at once. Before, LIST-STATUS goes with LOGIN on the chance.
    for asked_first in [true, false] {
        proxy.reset();
        let mut session = connect(&plain).unwrap().login(USER, PASSWORD).unwrap();
        if asked_first {
            assert!(!session.offers("LIST-STATUS").unwrap());
        }
        listed.push(session.folders().unwrap());
        session.logout();
        let sent = String::from_utf8_lossy(&proxy.sent_by_client()).into_owned();
        let statuses = sent.lines().filter(|l| l.contains(" STATUS \"")).count();
        if asked_first {
            assert_eq!(statuses, 4, "{sent}");
            // LOGIN, LIST, the four STATUS together, LOGOUT.
            assert_eq!(proxy.flights(), 4, "{sent}");
        } else {
            assert_eq!(statuses, 0, "{sent}");
            assert_eq!(proxy.flights(), 2, "{sent}");
        }
    }
    assert_eq!(listed[0], listed[1]);
    let counts: Vec<(&str, Option<u32>)> = listed[0]
        .iter()
        .map(|f| (f.name.as_str(), f.messages))
        .collect();
    assert!(counts.contains(&("Far", Some(COUNT))), "{counts:?}");
    assert!(counts.contains(&("INBOX", Some(0))), "{counts:?}");
}
