//! Interface-name globs (`vif*`, `vif?.0`, `tap[0-9]*`), as `ip` and `nft` users write them.

/// Whether `name` matches `pattern`: `*` is any run of characters, `?` any one, `[...]` one of a
/// set (`a-z` ranges, `!` or `^` to negate); anything else matches itself.
pub fn matches(pattern: &str, name: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    // Classic backtracking over the last star: linear in practice, no recursion.
    let (mut pi, mut ni) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ni < n.len() {
        match p.get(pi) {
            Some('*') => {
                star = Some((pi, ni));
                pi += 1;
                continue;
            }
            Some('?') => {
                pi += 1;
                ni += 1;
                continue;
            }
            Some('[') => match class(&p, pi, n[ni]) {
                Some((true, next)) => {
                    pi = next;
                    ni += 1;
                    continue;
                }
                // An unclosed bracket is a literal character.
                None if n[ni] == '[' => {
                    pi += 1;
                    ni += 1;
                    continue;
                }
                _ => {}
            },
            Some(&c) if c == n[ni] => {
                pi += 1;
                ni += 1;
                continue;
            }
            _ => {}
        }
        match star {
            Some((sp, sn)) => {
                pi = sp + 1;
                ni = sn + 1;
                star = Some((sp, sn + 1));
            }
            None => return false,
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

/// Whether `c` is in the class opening at `p[start]` (a `[`), and the index after the class;
/// `None` when the class is not closed (the `[` is then literal).
fn class(p: &[char], start: usize, c: char) -> Option<(bool, usize)> {
    let mut i = start + 1;
    let negate = matches!(p.get(i), Some('!' | '^'));
    if negate {
        i += 1;
    }
    let mut hit = false;
    let mut first = true;
    loop {
        let &ch = p.get(i)?;
        if ch == ']' && !first {
            return Some((hit != negate, i + 1));
        }
        first = false;
        if p.get(i + 1) == Some(&'-') && p.get(i + 2).is_some_and(|&e| e != ']') {
            let end = p[i + 2];
            hit |= ch <= c && c <= end;
            i += 3;
        } else {
            hit |= ch == c;
            i += 1;
        }
    }
}

/// Whether `pattern` has glob characters (a plain name is matched only exactly).
pub fn is_glob(pattern: &str) -> bool {
    pattern.contains(['*', '?', '['])
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn globs() {
        assert!(matches("vif*", "vif1.0"));
        assert!(matches("vif*", "vif"));
        assert!(!matches("vif*", "xvif1"));
        assert!(matches("vif?.0", "vif2.0"));
        assert!(!matches("vif?.0", "vif12.0"));
        assert!(matches("*.0", "vif12.0"));
        assert!(matches("tap[0-9]*", "tap3x"));
        assert!(!matches("tap[0-9]*", "tapx"));
        assert!(matches("tap[!0-9]", "tapx"));
        assert!(!matches("tap[!0-9]", "tap1"));
        assert!(matches("a[]]b", "a]b"));
        assert!(matches("a[b", "a[b"));
        assert!(matches("*a*b*", "xxaybz"));
        assert!(!matches("*a*b", "xxaybz"));
        assert!(matches("eth0", "eth0"));
        assert!(!matches("eth0", "eth01"));
        assert!(matches("", ""));
        assert!(!matches("", "a"));
        assert!(is_glob("vif*") && !is_glob("vif1.0"));
    }

    proptest! {
        #[test]
        fn never_panics(p in "[a-c*?\\[\\]!^-]{0,12}", n in "[a-c\\[\\]-]{0,12}") {
            let _ = matches(&p, &n);
        }

        #[test]
        fn a_plain_name_matches_only_itself(a in "[a-z0-9.]{1,15}", b in "[a-z0-9.]{1,15}") {
            prop_assert_eq!(matches(&a, &b), a == b);
        }

        #[test]
        fn star_suffix_is_prefix_match(prefix in "[a-z0-9.]{0,8}", rest in "[a-z0-9.]{0,8}") {
            let pattern = format!("{prefix}*");
            let name = format!("{prefix}{rest}");
            prop_assert!(matches(&pattern, &name));
        }
    }
}
