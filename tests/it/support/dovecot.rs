//! A real Dovecot for the imap tests, started by the tests themselves: a temp dir, free ports on
//! 127.0.0.1, plaintext (with STARTTLS) and TLS listeners with a CA and server certificate made
//! for this run, COMPRESS=DEFLATE offered, one user, and Maildir content the tests write. It runs as root the way Dovecot
//! allows: login processes as dovenull, internal ones as dovecot, mail as the `mail` user.
//!
//! A watchdog shell holds a pipe from the test process; when the process ends, however it
//! ends, the pipe closes and the watchdog stops Dovecot and removes the temp dir.

use std::collections::BTreeMap;
use std::fs;
use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, OnceLock};
use std::time::{Duration, Instant};

use crate::support;

pub const USER: &str = "tester";
/// With a space and a quote, so that quoting on the way to the server is exercised.
pub const PASSWORD: &str = "correct \"horse\" battery";

/// How long Dovecot may take to come up, or a proxy to trip, before the test gives up.
const PATIENCE: Duration = Duration::from_secs(30);

static COUNTER: AtomicU64 = AtomicU64::new(0);

pub struct Dovecot {
    dir: PathBuf,
    config: PathBuf,
    /// Plaintext, offering STARTTLS when TLS is on.
    pub imap_port: u16,
    /// TLS from the first byte; 0 when TLS is off.
    pub imaps_port: u16,
    master: Mutex<Option<Child>>,
    watchdog: Mutex<Option<Child>>,
    mail_owner: (u32, u32),
}

/// What kind of server to start.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Whether the server has TLS at all (a TLS port, and STARTTLS on the plain one).
    pub tls: bool,
    /// Whether it offers IDLE; without, clients must poll.
    pub idle: bool,
    /// Capabilities it does not name, before login or after (it may still answer them).
    pub hide: &'static [&'static str],
    /// The port of a token introspection endpoint (see `introspect.rs`) on 127.0.0.1: the
    /// user then logs in with XOAUTH2 or OAUTHBEARER and a token that endpoint accepts, and
    /// never with the password.
    pub oauth2: Option<u16>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            tls: true,
            idle: true,
            hide: &[],
            oauth2: None,
        }
    }
}

/// What Dovecot 2.3 names after login, and before it with STARTTLS, less AUTH=.
const CAPABILITIES: &str = "IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE SORT SORT=DISPLAY \
    THREAD=REFERENCES THREAD=REFS THREAD=ORDEREDSUBJECT MULTIAPPEND URL-PARTIAL CATENATE UNSELECT \
    CHILDREN NAMESPACE UIDPLUS LIST-EXTENDED I18NLEVEL=1 CONDSTORE QRESYNC ESEARCH ESORT \
    SEARCHRES WITHIN CONTEXT=SEARCH LIST-STATUS BINARY MOVE SNIPPET=FUZZY PREVIEW=FUZZY PREVIEW \
    STATUS=SIZE SAVEDATE LITERAL+ NOTIFY SPECIAL-USE STARTTLS";

/// The shared servers, one per test module: each module fills its own folders.
static SHARED: Mutex<BTreeMap<&'static str, &'static OnceLock<Option<Dovecot>>>> =
    Mutex::new(BTreeMap::new());

impl Dovecot {
    /// The server that the tests of `module` (their `module_path!()`) share, filled by `setup`
    /// on first use. `None` when Dovecot is not installed (after a loud message; under CI=true
    /// that fails instead).
    pub fn shared(module: &'static str, setup: fn(&Dovecot)) -> Option<&'static Dovecot> {
        let mut cells = SHARED.lock().unwrap_or_else(|e| e.into_inner());
        let cell: &'static OnceLock<Option<Dovecot>> = cells
            .entry(module)
            .or_insert_with(|| Box::leak(Box::default()));
        drop(cells);
        // Outside the map's lock: one module's server starting does not hold up another's.
        cell.get_or_init(|| {
            let server = Dovecot::start(Options::default())?;
            setup(&server);
            Some(server)
        })
        .as_ref()
    }

    /// A server of one's own, stopped and removed when dropped.
    pub fn start(options: Options) -> Option<Dovecot> {
        let needed = [
            (
                "dovecot",
                "the imap tests talk to a real Dovecot (Debian: dovecot-imapd)",
            ),
            (
                "doveadm",
                "the imap tests read flags with doveadm (Debian: dovecot-core)",
            ),
            (
                "openssl",
                "the imap tests make a test CA with the openssl CLI",
            ),
        ];
        if !needed
            .iter()
            .all(|(program, why)| support::require(program, why))
            || !support::require_root(
                "the imap tests start Dovecot as root (its mail belongs to the mail user)",
            )
        {
            return None;
        }
        // Two attempts: a free port can be taken by someone else before Dovecot binds it.
        let server = Dovecot::try_start(options).or_else(|why| {
            eprintln!("dovecot did not start, trying again: {why}");
            Dovecot::try_start(options)
        });
        Some(server.unwrap_or_else(|why| panic!("dovecot did not start: {why}")))
    }

    fn try_start(options: Options) -> Result<Dovecot, String> {
        let dir = std::env::temp_dir().join(format!(
            "tool-imap-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = fs::remove_dir_all(&dir);
        for sub in ["run", "state", "config", "home"] {
            fs::create_dir_all(dir.join(sub)).unwrap();
        }
        // Dovecot's unprivileged processes must reach into it.
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o755)).unwrap();
        make_certificates(&dir);
        fs::write(
            dir.join("passwd"),
            format!("{USER}:{{PLAIN}}{PASSWORD}::::::\n"),
        )
        .unwrap();
        let mail_owner = user_ids("mail");
        let imap_port = free_port();
        let imaps_port = if options.tls { free_port() } else { 0 };
        let config = dir.join("dovecot.conf");
        fs::write(&config, config_text(&dir, options, imap_port, imaps_port)).unwrap();
        let maildir = dir.join("home").join(USER).join("Maildir");
        for sub in ["cur", "new", "tmp"] {
            fs::create_dir_all(maildir.join(sub)).unwrap();
        }
        chown_all(&dir.join("home"), mail_owner);
        let watchdog = Command::new("sh")
            .arg("-c")
            .arg(
                "cat >/dev/null; dovecot -c \"$1\" stop >/dev/null 2>&1; i=0; \
                 while [ -e \"$2/run/master.pid\" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); \
                 done; rm -rf \"$2\"",
            )
            .arg("watchdog")
            .arg(&config)
            .arg(&dir)
            .stdin(Stdio::piped())
            .spawn()
            .expect("sh runs");
        let server = Dovecot {
            dir,
            config,
            imap_port,
            imaps_port,
            master: Mutex::new(None),
            watchdog: Mutex::new(Some(watchdog)),
            mail_owner,
        };
        server.launch()?;
        Ok(server)
    }

    /// Starts the master process and waits until every listener answers.
    fn launch(&self) -> Result<(), String> {
        let log = fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.dir.join("dovecot.out"))
            .unwrap();
        let child = Command::new("dovecot")
            .arg("-F")
            .arg("-c")
            .arg(&self.config)
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .map_err(|e| format!("cannot run dovecot: {e}"))?;
        *self.master.lock().unwrap() = Some(child);
        let deadline = Instant::now() + PATIENCE;
        for port in [self.imap_port, self.imaps_port] {
            if port == 0 {
                continue;
            }
            while TcpStream::connect(("127.0.0.1", port)).is_err() {
                let exited = self
                    .master
                    .lock()
                    .unwrap()
                    .as_mut()
                    .is_some_and(|c| c.try_wait().ok().flatten().is_some());
                if exited || Instant::now() > deadline {
                    return Err(format!("port {port} never opened; log: {}", self.log()));
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        }
        Ok(())
    }

    /// Stops the server as a crash or a shutdown would: its processes end, connections drop.
    pub fn stop(&self) {
        if let Some(mut child) = self.master.lock().unwrap().take() {
            let _ = Command::new("kill")
                .arg("-TERM")
                .arg(child.id().to_string())
                .status();
            let _ = child.wait();
        }
    }

    /// Starts it again on the same ports and mail.
    pub fn restart(&self) {
        self.launch().unwrap();
    }

    pub fn log(&self) -> String {
        let mut log = fs::read_to_string(self.dir.join("dovecot.out")).unwrap_or_default();
        log.push_str(&fs::read_to_string(self.dir.join("dovecot.log")).unwrap_or_default());
        log
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The test CA's certificate, for --ca-file.
    pub fn ca_file(&self) -> PathBuf {
        self.dir.join("ca.pem")
    }

    /// A fresh empty directory for a test's own files.
    pub fn scratch(&self, name: &str) -> PathBuf {
        let path = self.dir.join("scratch").join(format!(
            "{name}-{}",
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        fs::create_dir_all(&path).unwrap();
        path
    }

    /// The Maildir directory of a folder; `encoded` is the folder's name as IMAP spells it
    /// (modified UTF-7).
    fn folder_dir(&self, encoded: &str) -> PathBuf {
        let root = self.dir.join("home").join(USER).join("Maildir");
        if encoded == "INBOX" {
            root
        } else {
            root.join(format!(".{encoded}"))
        }
    }

    /// Makes an empty folder.
    pub fn create_folder(&self, encoded: &str) {
        let dir = self.folder_dir(encoded);
        for sub in ["cur", "new", "tmp"] {
            fs::create_dir_all(dir.join(sub)).unwrap();
        }
        fs::write(dir.join("maildirfolder"), "").unwrap();
        chown_all(&dir, self.mail_owner);
    }

    /// Puts a message into a folder as a delivery agent would. `flags` are Maildir letters
    /// ("S" for \Seen, "FS", ...); `None` delivers into new/, unseen and recent.
    pub fn deliver(&self, encoded: &str, message: &[u8], flags: Option<&str>) {
        self.deliver_received(encoded, message, flags, None);
    }

    /// [`Dovecot::deliver`] with the time the server received it (its INTERNALDATE), in seconds
    /// since the epoch; `None` for now.
    pub fn deliver_received(
        &self,
        encoded: &str,
        message: &[u8],
        flags: Option<&str>,
        received: Option<u64>,
    ) {
        let dir = self.folder_dir(encoded);
        if !dir.join("cur").exists() {
            self.create_folder(encoded);
        }
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let unique = format!("{}.M{n}P{}.tooltest", 1_700_000_000 + n, std::process::id());
        let tmp = dir.join("tmp").join(&unique);
        fs::write(&tmp, message).unwrap();
        std::os::unix::fs::chown(&tmp, Some(self.mail_owner.0), Some(self.mail_owner.1)).unwrap();
        if let Some(seconds) = received {
            // A Maildir message's INTERNALDATE is its file's mtime.
            let at = std::time::UNIX_EPOCH + Duration::from_secs(seconds);
            fs::File::options()
                .write(true)
                .open(&tmp)
                .unwrap()
                .set_modified(at)
                .unwrap();
        }
        let target = match flags {
            Some(flags) => dir.join("cur").join(format!("{unique}:2,{flags}")),
            None => dir.join("new").join(unique),
        };
        fs::rename(tmp, target).unwrap();
    }

    /// Runs doveadm against this server.
    pub fn doveadm(&self, args: &[&str]) -> String {
        let out = Command::new("doveadm")
            .arg("-c")
            .arg(&self.config)
            .args(args)
            .output()
            .expect("doveadm runs");
        String::from_utf8(support::assert_ran(out, &format!("doveadm {args:?}")).stdout).unwrap()
    }

    /// Gives a folder a new UIDVALIDITY, as a server does when it renumbers one.
    pub fn renumber(&self, folder: &str, uid_validity: u32) {
        let value = uid_validity.to_string();
        self.doveadm(&[
            "mailbox",
            "update",
            "-u",
            USER,
            "--uid-validity",
            &value,
            folder,
        ]);
    }

    /// Every message's UID and flags as the server sees them (\Recent left out: it belongs to
    /// sessions, not to the mail).
    pub fn flags(&self, folder: &str) -> Vec<(u32, String)> {
        let out = self.doveadm(&["fetch", "-u", USER, "uid flags", "mailbox", folder, "all"]);
        let mut result = Vec::new();
        let mut uid = None;
        for line in out.lines() {
            if let Some(v) = line.strip_prefix("uid: ") {
                uid = Some(v.trim().parse().unwrap());
            } else if let Some(v) = line.strip_prefix("flags:") {
                let flags: Vec<&str> = v.split_whitespace().filter(|f| *f != "\\Recent").collect();
                result.push((uid.take().unwrap(), flags.join(" ")));
            }
        }
        result
    }

    /// The connection options for `tool imap`.
    pub fn args(&self, security: &str) -> Vec<String> {
        let port = match security {
            "tls" => self.imaps_port,
            _ => self.imap_port,
        };
        let mut args = vec![
            "--host".to_string(),
            "127.0.0.1".to_string(),
            "--port".to_string(),
            port.to_string(),
            "--user".to_string(),
            USER.to_string(),
            "--security".to_string(),
            security.to_string(),
        ];
        if security != "plain" {
            args.push("--ca-file".into());
            args.push(self.ca_file().display().to_string());
        }
        args
    }

    /// `tool imap VERB_ARGS... CONNECTION` with the password in the environment, NO_COLOR
    /// unset, and a config dir of its own so the developer's config never leaks in.
    pub fn tool(&self, verb_args: &[&str], security: &str) -> Command {
        self.tool_with(verb_args, security, &[])
    }

    /// [`Dovecot::tool`] with some connection options given other values.
    pub fn tool_with(&self, verb_args: &[&str], security: &str, set: &[(&str, &str)]) -> Command {
        let mut connection = self.args(security);
        for (flag, value) in set {
            match connection.iter().position(|a| a == flag) {
                Some(i) => connection[i + 1] = value.to_string(),
                None => connection.extend([flag.to_string(), value.to_string()]),
            }
        }
        let mut cmd = support::tool();
        cmd.arg("imap")
            .args(verb_args)
            .args(connection)
            .env("TOOL_IMAP_PASSWORD", PASSWORD)
            .env("XDG_CONFIG_HOME", self.dir.join("config"))
            .env_remove("NO_COLOR")
            .stdin(Stdio::null());
        cmd
    }

    /// Runs `tool imap VERB_ARGS...` over STARTTLS and returns its output.
    pub fn run(&self, verb_args: &[&str]) -> Output {
        self.tool(verb_args, "starttls")
            .output()
            .expect("tool runs")
    }
}

/// A simple message with the usual headers; `subject` is the Subject header's raw value (after
/// "Subject:"), `None` for no Subject header at all. Line ends are CRLF, as on the wire.
pub fn message(n: u32, subject: Option<&str>, body: &str) -> Vec<u8> {
    let mut text = format!(
        "From: Sender {n} <sender{n}@example.org>\r\nTo: Reader <reader@example.org>\r\n\
         Date: Tue, 05 Mar 2024 09:{:02}:00 +0100\r\nMessage-ID: <m{n}@example.org>\r\n",
        n % 60
    );
    if let Some(subject) = subject {
        text.push_str(&format!("Subject:{subject}\r\n"));
    }
    text.push_str("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n");
    text.push_str(&body.replace('\n', "\r\n"));
    text.push_str("\r\n");
    text.into_bytes()
}

/// A message with a line of text (one an mbox must quote) and an attachment of about `bytes`
/// bytes: base64 lines of pseudo-random alphabet characters from `seed`, valid and
/// incompressible.
pub fn with_attachment(subject: &str, name: &str, bytes: usize, seed: &mut u64) -> Vec<u8> {
    const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = format!(
        "From: big@example.org\r\nSubject: {subject}\r\nMIME-Version: 1.0\r\n\
         Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\
         Content-Type: text/plain\r\n\r\nFrom here on, see the attachment.\r\n--b\r\n\
         Content-Type: application/octet-stream; name=\"{name}\"\r\n\
         Content-Transfer-Encoding: base64\r\n\r\n"
    )
    .into_bytes();
    out.reserve(bytes + 100);
    while out.len() < bytes {
        for _ in 0..76 {
            *seed ^= *seed << 13;
            *seed ^= *seed >> 7;
            *seed ^= *seed << 17;
            out.push(B64[(*seed % 64) as usize]);
        }
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"--b--\r\n");
    out
}

impl Drop for Dovecot {
    fn drop(&mut self) {
        self.stop();
        if let Some(mut watchdog) = self.watchdog.lock().unwrap().take() {
            drop(watchdog.stdin.take());
            let _ = watchdog.wait();
        }
    }
}

fn config_text(dir: &Path, options: Options, imap_port: u16, imaps_port: u16) -> String {
    let d = dir.display();
    let (ssl, imaps) = if options.tls {
        (
            format!("ssl = yes\nssl_cert = <{d}/server.pem\nssl_key = <{d}/server.key\n"),
            format!("  inet_listener imaps {{\n    port = {imaps_port}\n    ssl = yes\n  }}\n"),
        )
    } else {
        ("ssl = no\n".to_string(), String::new())
    };
    // Dovecot's own list, less what is hidden: it still answers IDLE, but a client that
    // follows the capabilities never sends it. Set, the list replaces the one before login too
    // (AUTH= is added to it there), where STARTTLS is named only on a TLS server.
    let hidden: Vec<&str> = options
        .hide
        .iter()
        .copied()
        .chain((!options.idle).then_some("IDLE"))
        .chain((!options.tls).then_some("STARTTLS"))
        .collect();
    let capabilities = if hidden.is_empty() {
        String::new()
    } else {
        let kept: Vec<&str> = CAPABILITIES
            .split_whitespace()
            .filter(|c| !hidden.contains(c))
            .collect();
        format!("imap_capability = {}\n", kept.join(" "))
    };
    // XOAUTH2 and OAUTHBEARER are checked by an oauth2 passdb against the endpoint, and only
    // by it: the password file answers PLAIN and LOGIN alone, so a password is no token.
    let (mechanisms, oauth2, password_mechanisms) = match options.oauth2 {
        Some(port) => {
            fs::write(
                dir.join("dovecot-oauth2.conf.ext"),
                format!(
                    "introspection_mode = post\n\
                     introspection_url = http://127.0.0.1:{port}/introspect\n\
                     force_introspection = yes\n\
                     username_attribute = username\n\
                     active_attribute = active\n\
                     active_value = true\n"
                ),
            )
            .unwrap();
            (
                " xoauth2 oauthbearer",
                format!(
                    "passdb {{\n  driver = oauth2\n  mechanisms = xoauth2 oauthbearer\n  \
                     args = {d}/dovecot-oauth2.conf.ext\n}}\n"
                ),
                "  mechanisms = plain login\n",
            )
        }
        None => ("", String::new(), ""),
    };
    format!(
        "base_dir = {d}/run
state_dir = {d}/state
log_path = {d}/dovecot.log
protocols = imap
listen = 127.0.0.1
default_login_user = dovenull
default_internal_user = dovecot
first_valid_uid = 1
{ssl}{capabilities}disable_plaintext_auth = no
auth_mechanisms = plain login{mechanisms}
auth_failure_delay = 0
mail_location = maildir:~/Maildir
# COMPRESS=DEFLATE (RFC 4978), as servers offer it.
mail_plugins = $mail_plugins zlib
protocol imap {{
  mail_plugins = $mail_plugins imap_zlib
}}
{oauth2}passdb {{
  driver = passwd-file
{password_mechanisms}  args = {d}/passwd
}}
userdb {{
  driver = static
  args = uid=mail gid=mail home={d}/home/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    port = {imap_port}
  }}
{imaps}}}
service anvil {{
  chroot =
  # No auth penalty (up to 15 s a try from one address): the tests refuse logins on purpose.
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
"
    )
}

/// A CA and a server certificate for 127.0.0.1 and localhost, signed by it.
fn make_certificates(dir: &Path) {
    let openssl = |args: &[&str]| {
        let out = Command::new("openssl")
            .args(args)
            .current_dir(dir)
            .output()
            .expect("openssl runs");
        support::assert_ran(out, &format!("openssl {args:?}"));
    };
    fs::write(
        dir.join("server.ext"),
        "subjectAltName = IP:127.0.0.1, DNS:localhost\nbasicConstraints = CA:FALSE\n\
         extendedKeyUsage = serverAuth\n",
    )
    .unwrap();
    openssl(&[
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "2",
        "-subj",
        "/CN=tool imap test CA",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign",
    ]);
    openssl(&[
        "req",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        "server.key",
        "-out",
        "server.csr",
        "-subj",
        "/CN=localhost",
    ]);
    openssl(&[
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "server.pem",
        "-days",
        "2",
        "-extfile",
        "server.ext",
    ]);
}

fn free_port() -> u16 {
    TcpListener::bind(("127.0.0.1", 0))
        .and_then(|l| l.local_addr())
        .expect("a free port on 127.0.0.1")
        .port()
}

/// uid and gid of a system user, from /etc/passwd.
fn user_ids(name: &str) -> (u32, u32) {
    let passwd = fs::read_to_string("/etc/passwd").unwrap();
    passwd
        .lines()
        .find_map(|line| {
            let fields: Vec<&str> = line.split(':').collect();
            (fields.first() == Some(&name))
                .then(|| (fields[2].parse().unwrap(), fields[3].parse().unwrap()))
        })
        .unwrap_or_else(|| panic!("no user {name} in /etc/passwd"))
}

fn chown_all(path: &Path, (uid, gid): (u32, u32)) {
    std::os::unix::fs::chown(path, Some(uid), Some(gid)).unwrap();
    if path.is_dir() {
        for entry in fs::read_dir(path).unwrap() {
            chown_all(&entry.unwrap().path(), (uid, gid));
        }
    }
}

/// A TCP relay between `tool` and the server that records what the client sends and can cut
/// the connection after a given number of bytes from the server, at a moment the test
/// chooses: it holds the cut until [`Proxy::release`]. It can also delay every byte each way
/// (a WAN without netem), and it counts the client's flights: a flight is what the client sends
/// after having heard from the server (the first sending counts as one).
pub struct Proxy {
    pub port: u16,
    shared: Arc<ProxyShared>,
}

#[derive(Default)]
struct ProxyShared {
    from_client: Mutex<Vec<u8>>,
    /// (tripped, released)
    state: Mutex<(bool, bool)>,
    changed: Condvar,
    flights: AtomicU64,
    /// Bytes relayed from the server to the client.
    from_server: AtomicU64,
    /// Whether the client was handed server bytes since it last sent.
    server_spoke: AtomicBool,
    /// Whether the client sent anything yet.
    client_spoke: AtomicBool,
    /// Connections accepted, and those whose client has closed its side.
    accepted: AtomicU64,
    closed: AtomicU64,
}

impl Proxy {
    /// Relays every connection to `upstream`; with `cut_after`, each connection stops after that
    /// many bytes from the server.
    pub fn start(upstream: u16, cut_after: Option<usize>) -> Proxy {
        Proxy::with(upstream, cut_after, Duration::ZERO)
    }

    /// Relays every connection to `upstream`, each byte `one_way` late in each direction.
    pub fn delayed(upstream: u16, one_way: Duration) -> Proxy {
        Proxy::with(upstream, None, one_way)
    }

    fn with(upstream: u16, cut_after: Option<usize>, delay: Duration) -> Proxy {
        let listener = TcpListener::bind(("127.0.0.1", 0)).unwrap();
        let port = listener.local_addr().unwrap().port();
        let shared = Arc::new(ProxyShared::default());
        let for_thread = Arc::clone(&shared);
        std::thread::spawn(move || {
            for client in listener.incoming() {
                let Ok(client) = client else { return };
                let Ok(server) = TcpStream::connect(("127.0.0.1", upstream)) else {
                    return;
                };
                for_thread.accepted.fetch_add(1, Ordering::SeqCst);
                relay(client, server, cut_after, delay, Arc::clone(&for_thread));
            }
        });
        Proxy { port, shared }
    }

    /// Everything clients sent so far.
    pub fn sent_by_client(&self) -> Vec<u8> {
        self.shared.from_client.lock().unwrap().clone()
    }

    /// The client flights over every connection, once each client has closed its side (what
    /// it sent last may still be on its way when the client process has ended).
    pub fn flights(&self) -> u64 {
        self.settle();
        self.shared.flights.load(Ordering::SeqCst)
    }

    /// Bytes the server sent over every connection, once each client has closed its side.
    pub fn bytes_from_server(&self) -> u64 {
        self.settle();
        self.shared.from_server.load(Ordering::SeqCst)
    }

    fn settle(&self) {
        let deadline = Instant::now() + PATIENCE;
        while self.shared.closed.load(Ordering::SeqCst)
            < self.shared.accepted.load(Ordering::SeqCst)
        {
            assert!(
                Instant::now() < deadline,
                "a client never closed its connection"
            );
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// Starts counting afresh, for the next connection.
    pub fn reset(&self) {
        self.shared.flights.store(0, Ordering::SeqCst);
        self.shared.from_server.store(0, Ordering::SeqCst);
        self.shared.client_spoke.store(false, Ordering::SeqCst);
        self.shared.from_client.lock().unwrap().clear();
    }

    /// Waits until a connection reached its cut.
    pub fn wait_tripped(&self) {
        let state = self.shared.state.lock().unwrap();
        let (state, timeout) = self
            .shared
            .changed
            .wait_timeout_while(state, PATIENCE, |s| !s.0)
            .unwrap();
        assert!(
            !timeout.timed_out() || state.0,
            "the proxy never reached its cut"
        );
    }

    /// Lets the cut connection close.
    pub fn release(&self) {
        self.shared.state.lock().unwrap().1 = true;
        self.shared.changed.notify_all();
    }
}

fn relay(
    client: TcpStream,
    server: TcpStream,
    cut_after: Option<usize>,
    delay: Duration,
    shared: Arc<ProxyShared>,
) {
    let (client_r, server_w) = (client.try_clone().unwrap(), server.try_clone().unwrap());
    let recorder = Arc::clone(&shared);
    std::thread::spawn(move || {
        let shared = recorder;
        let spoke = Arc::clone(&shared);
        let on_read = move |bytes: &[u8]| {
            let first = !spoke.client_spoke.swap(true, Ordering::SeqCst);
            if spoke.server_spoke.swap(false, Ordering::SeqCst) || first {
                spoke.flights.fetch_add(1, Ordering::SeqCst);
            }
            spoke.from_client.lock().unwrap().extend_from_slice(bytes);
        };
        pump(client_r, &server_w, usize::MAX, delay, on_read, |_| {});
        let _ = server_w.shutdown(Shutdown::Write);
        shared.closed.fetch_add(1, Ordering::SeqCst);
    });
    std::thread::spawn(move || {
        let counter = Arc::clone(&shared);
        let on_deliver = move |n: usize| {
            counter.from_server.fetch_add(n as u64, Ordering::SeqCst);
            counter.server_spoke.store(true, Ordering::SeqCst);
        };
        let limit = cut_after.unwrap_or(usize::MAX);
        let tripped = pump(server, &client, limit, delay, |_| {}, on_deliver);
        if tripped {
            let mut state = shared.state.lock().unwrap();
            state.0 = true;
            shared.changed.notify_all();
            let _unused = shared
                .changed
                .wait_timeout_while(state, PATIENCE, |s| !s.1)
                .unwrap();
        }
        let _ = client.shutdown(Shutdown::Both);
    });
}

/// Copies `from` to `to` until the end or `limit` bytes, each chunk `delay` after it was read,
/// in order; `on_read` sees each chunk as it is read, `on_deliver` its length just before it is
/// written (so that nothing the peer sends in answer can come before it is counted).
/// Returns whether the limit was reached.
fn pump(
    mut from: TcpStream,
    to: &TcpStream,
    limit: usize,
    delay: Duration,
    mut on_read: impl FnMut(&[u8]),
    on_deliver: impl Fn(usize) + Send + 'static,
) -> bool {
    let (sender, receiver) = std::sync::mpsc::channel::<(Instant, Vec<u8>)>();
    let mut writer = to.try_clone().unwrap();
    let delivery = std::thread::spawn(move || {
        for (due, bytes) in receiver {
            std::thread::sleep(due.saturating_duration_since(Instant::now()));
            on_deliver(bytes.len());
            if writer.write_all(&bytes).is_err() {
                return;
            }
        }
    });
    let mut left = limit;
    let mut buf = [0u8; 16 * 1024];
    while left > 0 {
        match from.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                let n = n.min(left);
                on_read(&buf[..n]);
                if sender
                    .send((Instant::now() + delay, buf[..n].to_vec()))
                    .is_err()
                {
                    break;
                }
                left -= n;
            }
        }
    }
    drop(sender);
    let _ = delivery.join();
    left == 0
}
