//! The comment on each copying rule: what it copies, to where, and the interface indexes it was
//! bound to, so that `status` can tell a rule whose device was re-created since (nft binds
//! netdev chains and `dup` targets by index, and a re-created device silently gets a new one).

use super::plan::Hook;

const PREFIX: &str = "tool-mirror";
/// nft keeps at most this many bytes of a rule comment.
const MAX_COMMENT: usize = 128;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    /// The source device, or `*` for everything an ip hook sees.
    pub source: String,
    pub source_index: Option<u32>,
    pub hook: Hook,
    /// The destination device or gateway address.
    pub dest: String,
    pub dest_index: Option<u32>,
    /// The mirrored bridge, on the rules planned for it.
    pub bridge: Option<String>,
    /// The `--source` glob that matched the source, so that `status` can tell a device that
    /// matches it now but has no chain (a guest started since).
    pub glob: Option<String>,
    /// On the bridge's own rule and on glob-matched ones: the `--exclude-iface` patterns, so
    /// `status` does not report excluded ports as missing.
    pub excluded: Vec<String>,
}

fn with_index(name: &str, index: Option<u32>) -> String {
    match index {
        Some(i) => format!("{name}#{i}"),
        None => name.to_string(),
    }
}

fn split_index(text: &str) -> (String, Option<u32>) {
    match text.rsplit_once('#') {
        Some((name, i)) if i.parse::<u32>().is_ok() => (name.to_string(), i.parse().ok()),
        _ => (text.to_string(), None),
    }
}

impl Tag {
    pub fn to_comment(&self) -> String {
        let mut c = format!(
            "{PREFIX} src={} hook={} dst={}",
            with_index(&self.source, self.source_index),
            self.hook.name(),
            with_index(&self.dest, self.dest_index)
        );
        if let Some(b) = &self.bridge {
            c.push_str(&format!(" br={b}"));
        }
        if let Some(g) = &self.glob {
            c.push_str(&format!(" g={g}"));
        }
        if !self.excluded.is_empty() {
            let x = format!(" x={}", self.excluded.join(","));
            // Too many exclusions to record: `status` then cannot vouch for the bridge's ports.
            c.push_str(if c.len() + x.len() <= MAX_COMMENT {
                &x
            } else {
                " x=?"
            });
        }
        c
    }

    /// Reads a comment this tool wrote; `None` for any other.
    pub fn from_comment(comment: &str) -> Option<Tag> {
        let mut words = comment.split_whitespace();
        if words.next()? != PREFIX {
            return None;
        }
        let (mut src, mut hook, mut dst, mut bridge, mut glob, mut excluded) =
            (None, None, None, None, None, Vec::new());
        for word in words {
            let (key, value) = word.split_once('=')?;
            match key {
                "src" => src = Some(split_index(value)),
                "hook" => hook = Hook::from_name(value),
                "dst" => dst = Some(split_index(value)),
                "br" => bridge = Some(value.to_string()),
                "g" => glob = Some(value.to_string()),
                "x" => excluded = value.split(',').map(str::to_string).collect(),
                _ => {}
            }
        }
        let ((source, source_index), (dest, dest_index)) = (src?, dst?);
        Some(Tag {
            source,
            source_index,
            hook: hook?,
            dest,
            dest_index,
            bridge,
            glob,
            excluded,
        })
    }

    /// Whether the exclusions were too many to record.
    pub fn exclusions_unknown(&self) -> bool {
        self.excluded == ["?"]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn tag() -> Tag {
        Tag {
            source: "xenbr0".into(),
            source_index: Some(3),
            hook: Hook::Egress,
            dest: "vifmon".into(),
            dest_index: Some(7),
            bridge: Some("xenbr0".into()),
            glob: None,
            excluded: vec!["vif3.0".into(), "vifmon*".into()],
        }
    }

    #[test]
    fn round_trips() {
        let t = tag();
        let c = t.to_comment();
        assert_eq!(
            c,
            "tool-mirror src=xenbr0#3 hook=egress dst=vifmon#7 br=xenbr0 x=vif3.0,vifmon*"
        );
        assert_eq!(Tag::from_comment(&c), Some(t));
        let l3 = Tag {
            source: "*".into(),
            source_index: None,
            hook: Hook::Prerouting,
            dest: "2001:db8::2".into(),
            dest_index: None,
            bridge: None,
            glob: None,
            excluded: vec![],
        };
        assert_eq!(Tag::from_comment(&l3.to_comment()), Some(l3));
        let globbed = Tag {
            source: "vif4.0".into(),
            bridge: None,
            glob: Some("vif*".into()),
            ..tag()
        };
        let c = globbed.to_comment();
        assert!(c.contains(" g=vif* "), "{c}");
        assert_eq!(Tag::from_comment(&c), Some(globbed));
    }

    #[test]
    fn other_comments_are_not_ours() {
        assert_eq!(Tag::from_comment("allow ssh"), None);
        assert_eq!(Tag::from_comment("tool-mirror src=a"), None);
        assert_eq!(Tag::from_comment(""), None);
    }

    #[test]
    fn too_many_exclusions_are_marked_unknown() {
        let t = Tag {
            excluded: (0..40).map(|i| format!("guest{i}")).collect(),
            ..tag()
        };
        let c = t.to_comment();
        assert!(c.len() <= MAX_COMMENT);
        assert!(Tag::from_comment(&c).unwrap().exclusions_unknown());
    }

    proptest! {
        #[test]
        fn parsing_never_panics(text in "\\PC{0,100}") {
            let _ = Tag::from_comment(&text);
            let _ = Tag::from_comment(&format!("tool-mirror {text}"));
        }
    }
}
