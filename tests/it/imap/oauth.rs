//! OAuth 2.0 logins (`--auth xoauth2|oauthbearer`) against a real Dovecot whose oauth2 passdb
//! asks a token introspection endpoint (RFC 7662) that the test runs on 127.0.0.1: a good
//! token gets in with either mechanism, from the environment or a token command; a bad or
//! expired one gets one line with the server's JSON error; the token is never printed, never
//! sent in clear unless `--security plain` is on the command line, and costs no round trip
//! more than a password (SASL-IR).

use crate::support;
use crate::support::dovecot;
use crate::support::introspect;

use std::process::Output;
use std::sync::OnceLock;
use std::time::Duration;

use dovecot::{Dovecot, Options, PASSWORD, Proxy, USER, message};
use introspect::Introspection;
use support::{assert_fails, assert_succeeds, stdout};

const COUNT: u32 = 40;
/// Characters a real token holds (RFC 6750's b64token), `~`, `+` and `/` among them, which
/// the endpoint only sees right if the form encoding is undone.
const GOOD: &str = "ya29.a0Af-good_token~+/x==";
const EXPIRED: &str = "ya29.a0Af-expired_token";
const MADE_UP: &str = "ya29.a0Af-made_up_token";
const MECHANISMS: [(&str, &str); 2] = [("xoauth2", "XOAUTH2"), ("oauthbearer", "OAUTHBEARER")];
/// Half a 50 ms round trip.
const ONE_WAY: Duration = Duration::from_millis(25);

struct Setup {
    server: Dovecot,
    tokens: Introspection,
}

/// A Dovecot taking tokens (and passwords too, for comparison), with an INBOX.
fn setup() -> Option<&'static Setup> {
    static SETUP: OnceLock<Option<Setup>> = OnceLock::new();
    SETUP
        .get_or_init(|| {
            let tokens = Introspection::start();
            let server = Dovecot::start(Options {
                oauth2: Some(tokens.port),
                ..Options::default()
            })?;
            fill(&server);
            tokens.issue(GOOD, USER, Duration::from_secs(3600));
            tokens.issue_expired(EXPIRED, USER);
            Some(Setup { server, tokens })
        })
        .as_ref()
}

fn fill(server: &Dovecot) {
    for n in 1..=COUNT {
        server.deliver(
            "INBOX",
            &message(n, Some(&format!(" token {n}")), "text"),
            None,
        );
    }
}

/// `tool imap VERB_ARGS --auth AUTH` over `security` with `token` in the environment.
fn with_token(
    server: &Dovecot,
    verb_args: &[&str],
    security: &str,
    auth: &str,
    token: &str,
    set: &[(&str, &str)],
) -> Output {
    let mut set = set.to_vec();
    set.push(("--auth", auth));
    server
        .tool_with(verb_args, security, &set)
        .env("TOOL_IMAP_PASSWORD", token)
        .output()
        .unwrap()
}

fn lines(out: &Output) -> usize {
    stdout(out).lines().count()
}

#[test]
fn a_good_token_logs_in_with_either_mechanism() {
    let Some(Setup { server, tokens }) = setup() else {
        return;
    };
    let with_password = stdout(&server.tool(&["subjects", "INBOX"], "tls").output().unwrap());
    assert_eq!(with_password.lines().count(), COUNT as usize);
    for (auth, _) in MECHANISMS {
        for security in ["tls", "starttls"] {
            let out = with_token(server, &["subjects", "INBOX"], security, auth, GOOD, &[]);
            assert_eq!(stdout(&out), with_password, "{auth} over {security}");
            assert!(
                out.stderr.is_empty(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        // From a token broker, as --password-command.
        let out = server
            .tool_with(
                &["folders"],
                "tls",
                &[
                    ("--auth", auth),
                    ("--password-command", &format!("printf '%s\\n' '{GOOD}'")),
                ],
            )
            .env_remove("TOOL_IMAP_PASSWORD")
            .output()
            .unwrap();
        assert!(stdout(&out).contains("INBOX"), "{auth}");
    }
    // The endpoint got the token as it was: the form encoding was undone right.
    assert!(
        tokens.asked().iter().any(|t| t == GOOD),
        "{:?}",
        tokens.asked()
    );
}

#[test]
fn a_bad_or_expired_token_gets_one_line_with_the_servers_error() {
    let Some(Setup { server, tokens }) = setup() else {
        return;
    };
    for (auth, mechanism) in MECHANISMS {
        for token in [MADE_UP, EXPIRED] {
            for verb in [
                &["subjects", "INBOX"][..],
                &["folders"],
                &["show", "INBOX", "1"],
            ] {
                let out = with_token(server, verb, "tls", auth, token, &[]);
                let refused = format!("refused the {mechanism} access token of '{USER}'");
                let line = assert_fails(&out, &[&refused, "\"status\":", "a fresh token"]);
                assert!(!line.contains(token), "{line}");
            }
            // With COMPRESS, which waits for the login's answer, nothing follows the token:
            // the server's challenge is answered, not left waiting.
            let out = with_token(
                server,
                &["folders", "--compress"],
                "starttls",
                auth,
                token,
                &[],
            );
            assert_fails(&out, &[mechanism, "\"status\":"]);
        }
        assert!(tokens.asked().iter().any(|t| t == EXPIRED));
        // The password is no token.
        let out = with_token(server, &["folders"], "tls", auth, PASSWORD, &[]);
        let line = assert_fails(&out, &["access token"]);
        assert!(!line.contains(PASSWORD), "{line}");
    }
}

#[test]
fn a_token_goes_in_clear_only_with_security_plain_on_the_command_line() {
    let Some(Setup { server, .. }) = setup() else {
        return;
    };
    let proxy = Proxy::start(server.imap_port, None);
    let config = server.dir().join("config").join("tool");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(
        config.join("config.toml"),
        format!(
            "[imap.accounts.clear]\nhost = \"127.0.0.1\"\nport = {}\nuser = \"{USER}\"\n\
             security = \"plain\"\nauth = \"oauthbearer\"\n",
            proxy.port
        ),
    )
    .unwrap();
    let run = |extra: &[&str]| {
        support::tool()
            .args(["imap", "folders", "--account", "clear"])
            .args(extra)
            .env("TOOL_IMAP_PASSWORD", GOOD)
            .env("XDG_CONFIG_HOME", server.dir().join("config"))
            .output()
            .unwrap()
    };
    assert_fails(
        &run(&[]),
        &[
            "refusing to send the access token in clear",
            "--security plain",
        ],
    );
    assert!(proxy.sent_by_client().is_empty(), "nothing was sent");
    let out = run(&["--security", "plain"]);
    assert!(stdout(&out).contains("INBOX"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("the access token travels in clear"),
        "{stderr}"
    );
    assert!(!stderr.contains(GOOD), "{stderr}");
    // It did travel, as asked: in SASL's base64.
    let sent = String::from_utf8_lossy(&proxy.sent_by_client()).into_owned();
    assert!(sent.contains("AUTHENTICATE OAUTHBEARER "), "{sent}");
}

#[test]
fn an_oauth_login_takes_the_round_trips_of_a_password_login() {
    let Some(Setup { server, .. }) = setup() else {
        return;
    };
    for (security, port, flights) in [
        // Everything after the greeting in one flight, and LOGOUT.
        ("plain", server.imap_port, 2),
        // The ClientHello, the Finished with every command, LOGOUT.
        ("tls", server.imaps_port, 3),
    ] {
        let proxy = Proxy::delayed(port, ONE_WAY);
        let port = proxy.port.to_string();
        for verb in [
            &["subjects", "INBOX"][..],
            &["folders"],
            &["show", "INBOX", "3"],
        ] {
            for (auth, _) in MECHANISMS {
                proxy.reset();
                let out = with_token(server, verb, security, auth, GOOD, &[("--port", &port)]);
                assert_succeeds(&out);
                assert_eq!(proxy.flights(), flights, "{verb:?} {auth} over {security}");
            }
            proxy.reset();
            let out = server
                .tool_with(verb, security, &[("--port", &port)])
                .output()
                .unwrap();
            assert_succeeds(&out);
            assert_eq!(proxy.flights(), flights, "{verb:?} with a password");
        }
    }
}

#[test]
fn a_server_without_the_mechanism_names_those_it_has() {
    let Some(server) = Dovecot::start(Options::default()) else {
        return;
    };
    for (auth, mechanism) in MECHANISMS {
        let out = with_token(&server, &["folders"], "tls", auth, GOOD, &[]);
        let line = assert_fails(
            &out,
            &[mechanism, "it offers AUTH=PLAIN AUTH=LOGIN", "--auth"],
        );
        assert!(!line.contains(GOOD), "{line}");
    }
}

#[test]
fn without_sasl_ir_the_token_waits_for_the_servers_go_ahead() {
    let tokens = Introspection::start();
    let Some(server) = Dovecot::start(Options {
        oauth2: Some(tokens.port),
        hide: &["SASL-IR"],
        ..Options::default()
    }) else {
        return;
    };
    fill(&server);
    tokens.issue(GOOD, USER, Duration::from_secs(3600));
    let proxy = Proxy::delayed(server.imap_port, ONE_WAY);
    let port = proxy.port.to_string();
    for (auth, mechanism) in MECHANISMS {
        proxy.reset();
        let out = with_token(
            &server,
            &["subjects", "INBOX"],
            "starttls",
            auth,
            GOOD,
            &[("--port", &port)],
        );
        assert_eq!(lines(&out), COUNT as usize);
        // STARTTLS, the ClientHello, the Finished with AUTHENTICATE, the token with the rest,
        // LOGOUT: one more than with SASL-IR, the greeting having said it lacks it.
        assert_eq!(proxy.flights(), 5, "{auth}");
        let out = with_token(&server, &["folders"], "starttls", auth, MADE_UP, &[]);
        assert_fails(&out, &[mechanism, "\"status\":"]);
    }
}
