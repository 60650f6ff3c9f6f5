//! An OAuth 2.0 token introspection endpoint (RFC 7662) for Dovecot's oauth2 passdb, std only,
//! on 127.0.0.1: `POST /introspect` with `token=...` answers `{"active": true, "username": ...}`
//! for a token it issued that has not expired, and `{"active": false}` for any other (an
//! expired one included, as RFC 7662 section 2.2 says).

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

pub struct Introspection {
    pub port: u16,
    shared: Arc<Shared>,
}

#[derive(Default)]
struct Shared {
    /// Each token issued: its user, and when it expires.
    tokens: Mutex<HashMap<String, (String, SystemTime)>>,
    /// Every token asked about, in order.
    asked: Mutex<Vec<String>>,
}

impl Introspection {
    pub fn start() -> Introspection {
        let listener = TcpListener::bind(("127.0.0.1", 0)).unwrap();
        let port = listener.local_addr().unwrap().port();
        let shared = Arc::new(Shared::default());
        let for_thread = Arc::clone(&shared);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { return };
                let shared = Arc::clone(&for_thread);
                std::thread::spawn(move || answer(stream, &shared));
            }
        });
        Introspection { port, shared }
    }

    /// Makes `token` valid for `user` for `lifetime`.
    pub fn issue(&self, token: &str, user: &str, lifetime: Duration) {
        self.shared.tokens.lock().unwrap().insert(
            token.to_string(),
            (user.to_string(), SystemTime::now() + lifetime),
        );
    }

    /// Makes `token` one that was valid for `user` and has expired.
    pub fn issue_expired(&self, token: &str, user: &str) {
        self.shared.tokens.lock().unwrap().insert(
            token.to_string(),
            (
                user.to_string(),
                SystemTime::now() - Duration::from_secs(60),
            ),
        );
    }

    /// The tokens Dovecot asked about so far.
    pub fn asked(&self) -> Vec<String> {
        self.shared.asked.lock().unwrap().clone()
    }
}

/// Reads one request and answers it; the connection is closed after.
fn answer(stream: TcpStream, shared: &Shared) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    let mut length = 0;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().unwrap_or(0);
        }
    }
    let mut body = vec![0; length];
    if reader.read_exact(&mut body).is_err() {
        return;
    }
    let body = String::from_utf8_lossy(&body).into_owned();
    let token = body
        .split('&')
        .find_map(|pair| pair.strip_prefix("token="))
        .map(form_decode);
    let (status, json) = match (request_line.starts_with("POST /introspect "), token) {
        (true, Some(token)) => {
            shared.asked.lock().unwrap().push(token.clone());
            let json = match shared.tokens.lock().unwrap().get(&token) {
                Some((user, expires)) if *expires > SystemTime::now() => {
                    let exp = expires
                        .duration_since(SystemTime::UNIX_EPOCH)
                        .unwrap()
                        .as_secs();
                    format!(r#"{{"active": true, "username": "{user}", "exp": {exp}}}"#)
                }
                _ => r#"{"active": false}"#.to_string(),
            };
            ("200 OK", json)
        }
        _ => (
            "400 Bad Request",
            r#"{"error": "invalid_request"}"#.to_string(),
        ),
    };
    let mut stream = stream;
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{json}",
        json.len()
    );
}

/// application/x-www-form-urlencoded: `+` is a space, `%XX` a byte.
fn form_decode(text: &str) -> String {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
                match u8::from_str_radix(hex, 16) {
                    Ok(b) => {
                        out.push(b);
                        i += 2;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
