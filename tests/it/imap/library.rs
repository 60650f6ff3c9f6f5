//! The library under `tool imap`, against a real Dovecot: the lazy iterator of parsed
//! messages, batches bounded by a byte budget, header listings many messages a FETCH, and
//! read-only commands only (checked on the wire).

use crate::support::dovecot;
use crate::support::imap_server;

use dovecot::{Dovecot, PASSWORD, Proxy, USER, message};
use tool::imap::{Error, Limits, Security, Server, Session, connect};

const COUNT: u32 = 30;

fn fill(server: &Dovecot) {
    for n in 1..=COUNT {
        let flags = if n % 3 == 0 { None } else { Some("S") };
        server.deliver(
            "Thirty",
            &message(n, Some(&format!(" number {n}")), "text"),
            flags,
        );
    }
}

fn server() -> Option<&'static Dovecot> {
    Dovecot::shared(module_path!(), fill)
}

/// A session over plain text, so that a proxy can read the commands.
fn plain_session(port: u16) -> Session {
    let server = Server {
        host: "127.0.0.1".into(),
        port,
        security: Security::Plain,
        ca_file: None,
    };
    connect(&server).unwrap().login(USER, PASSWORD).unwrap()
}

/// The commands a client sent, one a line, without their tags.
fn commands(proxy: &Proxy) -> Vec<String> {
    String::from_utf8(proxy.sent_by_client())
        .unwrap()
        .lines()
        .map(|l| l.split_once(' ').map_or(l, |(_, c)| c).to_string())
        .collect()
}

#[test]
fn messages_are_parsed_mail_in_uid_order() {
    let Some(server) = server() else { return };
    let tls = Server {
        host: "127.0.0.1".into(),
        port: server.imaps_port,
        security: Security::Tls,
        ca_file: Some(server.ca_file()),
    };
    let mut session = connect(&tls).unwrap().login(USER, PASSWORD).unwrap();
    let mut folder = session.examine("Thirty").unwrap();
    assert_eq!(folder.message_count().unwrap(), COUNT);
    let mails: Vec<_> = folder.messages().unwrap().map(Result::unwrap).collect();
    let subjects: Vec<String> = mails
        .iter()
        .map(|m| m.message().subject().unwrap().to_string())
        .collect();
    assert_eq!(
        subjects,
        (1..=COUNT)
            .map(|n| format!("number {n}"))
            .collect::<Vec<_>>()
    );
    assert_eq!(mails[0].uid, 1);
    assert_eq!(mails[0].flags, ["\\Seen"]);
    assert!(mails[2].flags.is_empty(), "{:?}", mails[2].flags);
    assert_eq!(
        mails[0].size as usize,
        message(1, Some(" number 1"), "text").len()
    );
    session.logout();
}

#[test]
fn batches_stay_within_the_byte_budget() {
    let Some(server) = server() else { return };
    let proxy = Proxy::start(server.imap_port, None);
    let mut session = plain_session(proxy.port);
    let size = message(10, Some(" number 10"), "text").len() as u64;
    // Room for three messages of this size a batch, and no more.
    let limits = Limits {
        bytes: 3 * size + 2,
        messages: 100,
    };
    let mut fetcher = session
        .examine("Thirty")
        .unwrap()
        .raw_messages(0, limits)
        .unwrap();
    assert_eq!(fetcher.total(), u64::from(COUNT));
    assert!(!fetcher.has_buffered());
    let first = fetcher.next().unwrap().unwrap();
    assert_eq!(first.uid, 1);
    // Lazy: one batch asked for so far, and the rest of it waits in memory.
    assert!(fetcher.has_buffered());
    let fetches = |p: &Proxy| {
        commands(p)
            .iter()
            .filter(|c| c.starts_with("UID FETCH"))
            .count()
    };
    assert_eq!(fetches(&proxy), 2, "the size listing and one batch");
    let rest: Vec<u32> = fetcher.map(|m| m.unwrap().uid).collect();
    assert_eq!(rest, (2..=COUNT).collect::<Vec<_>>());
    // Messages 1-9 are one digit shorter than the rest: batches of three, and one of four.
    let batches = fetches(&proxy) - 1;
    assert!(
        (9..=10).contains(&batches),
        "{batches} batches: {:?}",
        commands(&proxy)
    );
    session.logout();
}

#[test]
fn raw_messages_after_a_uid_are_only_the_new_ones() {
    let Some(server) = server() else { return };
    let mut session = plain_session(server.imap_port);
    let uids = |session: &mut Session, after| -> Vec<u32> {
        let folder = session.examine("Thirty").unwrap();
        let fetcher = folder.raw_messages(after, Limits::MESSAGES).unwrap();
        fetcher.map(|m| m.unwrap().uid).collect()
    };
    assert_eq!(uids(&mut session, 25), [26, 27, 28, 29, 30]);
    // `31:*` still names message 30 on the wire; it is not new.
    assert_eq!(uids(&mut session, COUNT), Vec::<u32>::new());
    assert_eq!(uids(&mut session, u32::MAX), Vec::<u32>::new());
    session.logout();
}

#[test]
fn headers_come_many_messages_a_fetch() {
    let Some(server) = server() else { return };
    let proxy = Proxy::start(server.imap_port, None);
    let mut session = plain_session(proxy.port);
    let headers: Vec<_> = session
        .examine("Thirty")
        .unwrap()
        .headers(&["SUBJECT"])
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(headers.len(), COUNT as usize);
    assert_eq!(headers[4].uid, 5);
    assert_eq!(headers[4].raw, b"Subject: number 5\r\n\r\n");
    let sent = commands(&proxy);
    let fetches: Vec<&String> = sent.iter().filter(|c| c.contains("FETCH")).collect();
    assert_eq!(fetches.len(), 1, "{sent:?}");
    // The whole folder in one FETCH, read as it streams: no UID SEARCH first.
    assert_eq!(
        fetches[0],
        "UID FETCH 1:* (UID BODY.PEEK[HEADER.FIELDS (SUBJECT)])"
    );
    assert!(!sent.iter().any(|c| c.contains("SEARCH")), "{sent:?}");
    session.logout();
}

#[test]
fn only_read_only_commands_reach_the_server() {
    let Some(server) = server() else { return };
    let before = server.flags("Thirty");
    let proxy = Proxy::start(server.imap_port, None);
    let mut session = plain_session(proxy.port);
    session.folders().unwrap();
    let mut folder = session.examine("Thirty").unwrap();
    folder.fetch(3).unwrap();
    folder.messages().unwrap().for_each(|m| drop(m.unwrap()));
    let folder = session.examine("Thirty").unwrap();
    folder.headers(&["SUBJECT", "FROM"]).unwrap().for_each(drop);
    session.logout();
    let sent = commands(&proxy);
    let verbs: Vec<&str> = sent
        .iter()
        .map(|c| c.split(' ').next().unwrap())
        .filter(|v| *v != "UID")
        .collect();
    for verb in &verbs {
        assert!(
            ["LOGIN", "LIST", "STATUS", "EXAMINE", "FETCH", "LOGOUT"].contains(verb),
            "{verb} in {sent:?}"
        );
    }
    for command in sent.iter().filter(|c| c.contains("FETCH")) {
        let upper = command.to_uppercase();
        assert!(
            !upper.contains("BODY[") && !upper.contains("RFC822)"),
            "{command}"
        );
        assert!(
            !upper.contains("RFC822 ") && !upper.contains("RFC822.TEXT"),
            "{command}"
        );
    }
    assert_eq!(server.flags("Thirty"), before);
}

#[test]
fn a_missing_folder_or_message_is_a_typed_error() {
    let Some(server) = server() else { return };
    let mut session = plain_session(server.imap_port);
    // EXAMINE goes out with what is asked of the folder, and its refusal comes back then.
    match session.examine("Nowhere").unwrap().message_count() {
        Err(Error::NoFolder { folder, .. }) => assert_eq!(folder, "Nowhere"),
        other => panic!("{:?}", other.err()),
    }
    let mut folder = session.examine("Thirty").unwrap();
    assert!(matches!(
        folder.fetch(99),
        Err(Error::NoMessage { uid: 99, .. })
    ));
    session.logout();
}

#[test]
fn a_message_larger_than_a_batch_comes_in_pieces_and_whole_again() {
    let Some(server) = server() else { return };
    let proxy = Proxy::start(server.imap_port, None);
    let mut session = plain_session(proxy.port);
    let expected = message(7, Some(" number 7"), "text");
    // Pieces of 100 bytes: each message of about 300 comes in four.
    let limits = Limits {
        bytes: 100,
        messages: 10,
    };
    let pieces: Vec<_> = session
        .examine("Thirty")
        .unwrap()
        .pieces(6, limits)
        .unwrap()
        .take_while(|p| p.as_ref().unwrap().mail.uid == 7)
        .map(Result::unwrap)
        .collect();
    let offsets: Vec<(u64, bool)> = pieces.iter().map(|p| (p.offset, p.last)).collect();
    let full = expected.len() as u64 / 100;
    assert_eq!(offsets.len() as u64, full + 1, "{offsets:?}");
    assert!(
        offsets
            .iter()
            .enumerate()
            .all(|(i, &(offset, last))| { offset == 100 * i as u64 && last == (i as u64 == full) })
    );
    assert_eq!(pieces[0].mail.flags, ["\\Seen"]);
    let joined: Vec<u8> = pieces.iter().flat_map(|p| p.mail.raw.clone()).collect();
    assert_eq!(joined, expected);
    let whole = session
        .examine("Thirty")
        .unwrap()
        .raw_messages(6, limits)
        .unwrap()
        .next()
        .unwrap()
        .unwrap();
    assert_eq!((whole.uid, whole.raw), (7, expected));
    assert_eq!(session.examine("Thirty").unwrap().fetch(7).unwrap().uid, 7);
    session.logout();
    let sent = commands(&proxy);
    assert!(
        sent.contains(
            &"UID FETCH 7 (UID RFC822.SIZE FLAGS INTERNALDATE BODY.PEEK[]<100.100>)".into()
        ),
        "{sent:?}"
    );
    assert!(!sent.iter().any(|c| c.contains("BODY[")), "{sent:?}");
}

/// Not a check: the server bench/imap.sh measures against, kept here so that it is built and
/// linted with the tests. The script runs it by name with TOOL_BENCH_SERVER_INFO set to the file
/// for the connection details; it serves until its stdin closes. Without that variable (a test
/// run) it does nothing.
#[test]
fn bench_server() {
    if let Some(info) = std::env::var_os("TOOL_BENCH_SERVER_INFO") {
        imap_server::serve(std::path::Path::new(&info));
    }
}
