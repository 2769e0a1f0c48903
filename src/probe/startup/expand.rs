//! Expansion of `~`, `$VAR` and `${VAR...}` in a word, as far as it can be known without
//! running the shell.

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Lookup {
    Known(String),
    /// Known to be unset.
    Unset,
    /// Cannot be known without running the shell.
    Unknown,
}

/// Expands `~` (at the start), `$NAME`, `${NAME}`, `${NAME:-word}` and `${NAME-word}` in a word
/// whose quotes are already removed. `None` for anything else with a `$` or a backtick
/// (command substitution, arithmetic, positional parameters, other operators), for `~user`,
/// and for a plain reference to a variable that is not known.
pub(crate) fn expand(word: &str, lookup: &dyn Fn(&str) -> Lookup) -> Option<String> {
    if word.contains('`') {
        return None;
    }
    let mut out = String::new();
    let mut rest = word;
    if let Some(r) = rest.strip_prefix('~') {
        if !(r.is_empty() || r.starts_with('/')) {
            return None;
        }
        match lookup("HOME") {
            Lookup::Known(h) => out.push_str(&h),
            _ => return None,
        }
        rest = r;
    }
    while let Some(pos) = rest.find('$') {
        out.push_str(&rest[..pos]);
        let after = &rest[pos + 1..];
        if let Some(inner) = after.strip_prefix('{') {
            let end = inner.find('}')?;
            let body = &inner[..end];
            rest = &inner[end + 1..];
            let name_len = body.bytes().take_while(|b| b.is_ascii_alphanumeric() || *b == b'_').count();
            let (name, op) = body.split_at(name_len);
            if !is_name(name) {
                return None;
            }
            let val = lookup(name);
            match op {
                "" => match val {
                    Lookup::Known(v) => out.push_str(&v),
                    _ => return None,
                },
                _ if op.starts_with(":-") || op.starts_with('-') => {
                    let colon = op.starts_with(':');
                    let default = &op[if colon { 2 } else { 1 }..];
                    match val {
                        Lookup::Known(v) if !(colon && v.is_empty()) => out.push_str(&v),
                        Lookup::Unknown => return None,
                        _ => out.push_str(&expand(default, lookup)?),
                    }
                }
                _ => return None,
            }
        } else {
            let n = after.bytes().take_while(|b| b.is_ascii_alphanumeric() || *b == b'_').count();
            let name = &after[..n];
            if !is_name(name) {
                return None;
            }
            match lookup(name) {
                Lookup::Known(v) => out.push_str(&v),
                _ => return None,
            }
            rest = &after[n..];
        }
    }
    out.push_str(rest);
    Some(out)
}

/// A shell variable name.
pub(crate) fn is_name(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty() && (b[0].is_ascii_alphabetic() || b[0] == b'_') && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'_')
}

/// `NAME=value` split, when the word is an assignment.
pub(super) fn assignment(w: &str) -> Option<(&str, &str)> {
    let (n, v) = w.split_once('=')?;
    is_name(n).then_some((n, v))
}
