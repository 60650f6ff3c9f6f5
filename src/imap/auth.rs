//! How the user proves who they are: a password with LOGIN, or an OAuth 2.0 access token with
//! SASL (AUTHENTICATE, RFC 3501 section 6.2.2), as XOAUTH2 (Google's and Microsoft's) or
//! OAUTHBEARER (RFC 7628). The token is only ever base64-encoded into the command; nothing here
//! formats it for a human.

use serde::Deserialize;

/// How to log in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, clap::ValueEnum)]
#[cfg_attr(test, derive(serde::Serialize))]
#[serde(rename_all = "lowercase")]
pub enum Auth {
    /// LOGIN with a password
    #[default]
    Password,
    /// AUTHENTICATE XOAUTH2 with an OAuth 2.0 access token (Gmail, Outlook)
    Xoauth2,
    /// AUTHENTICATE OAUTHBEARER with an OAuth 2.0 access token (RFC 7628)
    Oauthbearer,
}

impl Auth {
    /// The SASL mechanism's name; `None` for LOGIN.
    pub fn mechanism(self) -> Option<&'static str> {
        match self {
            Auth::Password => None,
            Auth::Xoauth2 => Some("XOAUTH2"),
            Auth::Oauthbearer => Some("OAUTHBEARER"),
        }
    }

    /// What the secret is called in messages and prompts.
    pub fn secret(self) -> &'static str {
        match self {
            Auth::Password => "password",
            Auth::Xoauth2 | Auth::Oauthbearer => "access token",
        }
    }
}

/// A SASL exchange for an OAuth mechanism, ready to send.
pub(super) struct Exchange {
    pub mechanism: &'static str,
    /// The client's first message, base64-encoded.
    pub initial: String,
    /// The answer to the server's error challenge (a JSON object sent as `+ base64`), which
    /// must be acknowledged before the server says NO: an empty response for XOAUTH2, a
    /// single %x01 for OAUTHBEARER (RFC 7628 section 3.2.3).
    pub acknowledge: &'static str,
}

impl Exchange {
    /// `None` for [`Auth::Password`]. `host` and `port` go into OAUTHBEARER's message, as RFC
    /// 7628 asks.
    pub fn new(auth: Auth, user: &str, token: &str, host: &str, port: u16) -> Option<Exchange> {
        let (message, acknowledge) = match auth {
            Auth::Password => return None,
            Auth::Xoauth2 => (format!("user={user}\x01auth=Bearer {token}\x01\x01"), ""),
            Auth::Oauthbearer => (
                format!(
                    "n,a={},\x01host={host}\x01port={port}\x01auth=Bearer {token}\x01\x01",
                    gs2_name(user)
                ),
                "AQ==",
            ),
        };
        Some(Exchange {
            mechanism: auth.mechanism()?,
            initial: base64(message.as_bytes()),
            acknowledge,
        })
    }
}

/// A user name in a GS2 header (RFC 5801 section 4): `,` and `=` escaped.
fn gs2_name(user: &str) -> String {
    user.replace('=', "=3D").replace(',', "=2C")
}

/// The text of a server's challenge (`+ base64`), decoded; as it came when it is not base64.
pub(super) fn challenge_text(encoded: &[u8]) -> String {
    let trimmed = encoded.trim_ascii();
    let decoded = mail_parser::decoders::base64::base64_decode(trimmed);
    String::from_utf8_lossy(decoded.as_deref().unwrap_or(trimmed)).into_owned()
}

/// Standard base64 with padding (RFC 4648 section 4), as SASL sends it.
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = u32::from(b[0]) << 16 | u32::from(b[1]) << 8 | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_messages_of_each_mechanism() {
        // Google's example (developers.google.com/gmail/imap/xoauth2-protocol).
        let x = Exchange::new(
            Auth::Xoauth2,
            "someuser@example.com",
            "ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg",
            "imap.gmail.com",
            993,
        )
        .unwrap();
        assert_eq!(
            x.initial,
            "dXNlcj1zb21ldXNlckBleGFtcGxlLmNvbQFhdXRoPUJlYXJlciB5YTI5LnZGOWRmdDRxbVRjMk52YjNSbGNrQmhkSFJoZG1semRHRXVZMjl0Q2cBAQ=="
        );
        assert_eq!(x.acknowledge, "");
        // RFC 7628 section 4.1, less its line breaks.
        let o = Exchange::new(
            Auth::Oauthbearer,
            "user@example.com",
            "vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg==",
            "server.example.com",
            143,
        )
        .unwrap();
        assert_eq!(
            o.initial,
            "bixhPXVzZXJAZXhhbXBsZS5jb20sAWhvc3Q9c2VydmVyLmV4YW1wbGUuY29tAXBvcnQ9MTQzAWF1dGg9QmVhcmVyIHZGOWRmdDRxbVRjMk52YjNSbGNrQmhiSFJoZG1semRHRXVZMjl0Q2c9PQEB"
        );
        assert_eq!(o.acknowledge, "AQ==");
        assert!(Exchange::new(Auth::Password, "u", "p", "h", 1).is_none());
        assert_eq!(gs2_name("a,b=c"), "a=2Cb=3Dc");
    }

    #[test]
    fn challenges_are_decoded() {
        let json = r#"{"status":"invalid_token","schemes":"bearer"}"#;
        assert_eq!(
            challenge_text(format!("{}\r\n", base64(json.as_bytes())).as_bytes()),
            json
        );
        assert_eq!(challenge_text(b"not base64!"), "not base64!");
    }

    proptest! {
        #[test]
        fn base64_round_trips(bytes in proptest::collection::vec(any::<u8>(), 0..100)) {
            let encoded = base64(&bytes);
            prop_assert_eq!(encoded.len() % 4, 0);
            let decoded = mail_parser::decoders::base64::base64_decode(encoded.as_bytes());
            prop_assert_eq!(decoded.unwrap_or_default(), bytes);
        }
    }
}
