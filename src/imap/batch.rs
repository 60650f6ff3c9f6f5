//! How many messages one FETCH of whole messages asks for (an export's, which records its
//! progress between batches): enough that round trips vanish, few enough that a batch stays a
//! few MiB.

/// The most one FETCH may bring back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Sum of the messages' RFC822.SIZE; a single message larger than this is fetched alone.
    pub bytes: u64,
    pub messages: usize,
}

impl Limits {
    /// Whole messages: a few MiB a round trip is already far past the latency of one.
    pub const MESSAGES: Limits = Limits {
        bytes: 8 << 20,
        messages: 256,
    };
}

/// How many of `sizes` (in UID order) the next FETCH takes: at least one, and as many more as
/// fit the limits.
pub fn next_batch_len(sizes: impl IntoIterator<Item = u64>, limits: Limits) -> usize {
    let mut total = 0u64;
    let mut count = 0;
    for size in sizes {
        total = total.saturating_add(size);
        if count > 0 && (total > limits.bytes || count == limits.messages) {
            break;
        }
        count += 1;
    }
    count
}

/// An IMAP sequence set for ascending UIDs or sequence numbers, runs written as ranges.
pub fn sequence_set(uids: &[u32]) -> String {
    let mut out = String::new();
    let mut i = 0;
    while i < uids.len() {
        let start = uids[i];
        let mut end = start;
        while i + 1 < uids.len() && uids[i + 1] == end.wrapping_add(1) {
            i += 1;
            end = uids[i];
        }
        if !out.is_empty() {
            out.push(',');
        }
        if start == end {
            out.push_str(&start.to_string());
        } else {
            out.push_str(&format!("{start}:{end}"));
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Reads a sequence set back, to check [`sequence_set`] against.
    fn parse_set(set: &str) -> Vec<u32> {
        set.split(',')
            .flat_map(|part| match part.split_once(':') {
                Some((a, b)) => a.parse::<u32>().unwrap()..=b.parse().unwrap(),
                None => part.parse::<u32>().unwrap()..=part.parse().unwrap(),
            })
            .collect()
    }

    #[test]
    fn sets() {
        assert_eq!(sequence_set(&[]), "");
        assert_eq!(sequence_set(&[7]), "7");
        assert_eq!(sequence_set(&[1, 2, 3, 5, 7, 8]), "1:3,5,7:8");
        assert_eq!(
            sequence_set(&[u32::MAX - 1, u32::MAX]),
            "4294967294:4294967295"
        );
    }

    #[test]
    fn batches() {
        let limits = Limits {
            bytes: 10,
            messages: 3,
        };
        assert_eq!(next_batch_len([], limits), 0);
        assert_eq!(next_batch_len([100, 1], limits), 1);
        assert_eq!(next_batch_len([4, 4, 4], limits), 2);
        assert_eq!(next_batch_len([1, 1, 1, 1], limits), 3);
    }

    proptest! {
        #[test]
        fn sets_round_trip(
            start in 1u32..1000,
            steps in proptest::collection::vec(
                prop_oneof![Just(1u32), 2u32..5, 1000u32..100_000], 0..80),
        ) {
            // Runs and gaps, as real folders have.
            let uids: Vec<u32> = steps
                .iter()
                .scan(start, |next, step| {
                    let uid = *next;
                    *next += step;
                    Some(uid)
                })
                .collect();
            let set = sequence_set(&uids);
            prop_assert!(!set.contains(char::is_whitespace));
            if uids.is_empty() {
                prop_assert_eq!(set, "");
            } else {
                prop_assert_eq!(parse_set(&set), uids);
            }
        }

        #[test]
        fn batches_cover_everything_within_the_limits(
            sizes in proptest::collection::vec(0u64..5000, 0..300),
            bytes in 1u64..20_000,
            messages in 1usize..50,
        ) {
            let limits = Limits { bytes, messages };
            let mut rest = &sizes[..];
            while !rest.is_empty() {
                let n = next_batch_len(rest.iter().copied(), limits);
                prop_assert!(n >= 1 && n <= messages);
                let total: u64 = rest[..n].iter().sum();
                prop_assert!(n == 1 || total <= bytes);
                // Greedy: the next message would not have fitted.
                if n < rest.len() && n < messages {
                    prop_assert!(total + rest[n] > bytes);
                }
                rest = &rest[n..];
            }
        }
    }
}
