//! Shell quoting, a leaf every layer may use: values for `eval` (single-quoted, every byte
//! literal) and words of a fix a user may paste (one printable line, nothing ever expanded).

use std::os::unix::ffi::OsStrExt;

/// Appends `s` single-quoted.
pub fn quote_into(out: &mut Vec<u8>, s: &[u8]) {
    out.push(b'\'');
    for &b in s {
        if b == b'\'' {
            out.extend_from_slice(b"'\\''");
        } else {
            out.push(b);
        }
    }
    out.push(b'\'');
}

/// `s` single-quoted, as a new buffer.
pub fn quote(s: &[u8]) -> Vec<u8> {
    let mut v = Vec::with_capacity(s.len() + 2);
    quote_into(&mut v, s);
    v
}

/// Appends `s` quoted for fish: valid UTF-8 in single quotes (`\\` and `\'` escaped: fish's only
/// escapes there), a newline as `\n` and every byte that is not UTF-8 as `\XHH` outside them
/// (fish reads its input as UTF-8). The empty value is `''`. No raw newline is ever printed, so
/// the code survives fish's command substitution, which splits its output into lines (the
/// snippet's refresh reads the hook's output that way).
pub fn fish_quote_into(out: &mut Vec<u8>, s: &[u8]) {
    if s.is_empty() {
        out.extend_from_slice(b"''");
        return;
    }
    for chunk in s.utf8_chunks() {
        let valid = chunk.valid().as_bytes();
        if !valid.is_empty() {
            for (i, line) in valid.split(|&b| b == b'\n').enumerate() {
                if i > 0 {
                    out.extend_from_slice(b"\\n");
                }
                if line.is_empty() {
                    continue;
                }
                out.push(b'\'');
                for &b in line {
                    if b == b'\'' || b == b'\\' {
                        out.push(b'\\');
                    }
                    out.push(b);
                }
                out.push(b'\'');
            }
        }
        for &b in chunk.invalid() {
            out.extend_from_slice(format!("\\X{b:02x}").as_bytes());
        }
    }
}

/// One word of a command a user may paste (a fix in a warning or in doctor): bare when every
/// byte is plainly safe, else single-quoted, with each control byte and each byte that is not
/// UTF-8 as `$'\xHH'` (bash, zsh), so the word stays one printable line and nothing in it is
/// ever expanded or executed: `$(touch x)`, backticks, quotes, newlines.
pub fn fix_word(s: &[u8]) -> String {
    let safe = |b: u8| b.is_ascii_alphanumeric() || b"_./,+:@%=-".contains(&b);
    if !s.is_empty() && s.iter().all(|&b| safe(b)) {
        return String::from_utf8_lossy(s).into_owned();
    }
    if s.is_empty() {
        return "''".to_string();
    }
    let mut out = String::new();
    let mut open = false;
    let mut rest = s;
    while !rest.is_empty() {
        // The longest valid UTF-8 prefix, up to a control character.
        let (valid, bad) = match std::str::from_utf8(rest) {
            Ok(v) => (v, None),
            Err(e) => {
                let (v, b) = rest.split_at(e.valid_up_to());
                (std::str::from_utf8(v).unwrap_or_default(), b.first().copied())
            }
        };
        let cut = valid.find(|c: char| c.is_control()).unwrap_or(valid.len());
        let (plain, after) = valid.split_at(cut);
        for c in plain.chars() {
            if !open {
                out.push('\'');
                open = true;
            }
            if c == '\'' {
                out.push_str("'\\''");
            } else {
                out.push(c);
            }
        }
        let byte = match after.chars().next() {
            Some(c) => {
                // A control character: its UTF-8 bytes, escaped.
                let n = c.len_utf8();
                rest = &rest[plain.len()..];
                let bytes = &rest[..n];
                rest = &rest[n..];
                Some(bytes.to_vec())
            }
            None => {
                rest = &rest[plain.len()..];
                bad.map(|b| {
                    rest = &rest[1..];
                    vec![b]
                })
            }
        };
        if let Some(bytes) = byte {
            if open {
                out.push('\'');
                open = false;
            }
            out.push_str("$'");
            for b in bytes {
                out.push_str(&format!("\\x{b:02x}"));
            }
            out.push('\'');
        }
    }
    if open {
        out.push('\'');
    }
    out
}

/// A path in a pasteable command: `~/` and the rest quoted when it is under `home` (an
/// absolute, non-empty HOME), else the whole path quoted. `~/'a b'` is `$HOME/a b` in bash,
/// zsh and fish alike.
pub fn fix_path(home: &std::path::Path, p: &std::path::Path) -> String {
    if home.is_absolute()
        && let Ok(rel) = p.strip_prefix(home)
    {
        if rel.as_os_str().is_empty() {
            return "~".to_string();
        }
        return format!("~/{}", fix_word(rel.as_os_str().as_bytes()));
    }
    fix_word(p.as_os_str().as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fish_quoting() {
        let q = |s: &[u8]| {
            let mut v = Vec::new();
            fish_quote_into(&mut v, s);
            String::from_utf8(v).unwrap()
        };
        assert_eq!(q(b""), "''");
        assert_eq!(q(b"a'b\\c$(x)"), "'a\\'b\\\\c$(x)'");
        assert_eq!(q(b"\xff\xc3a\xc3\xa9"), "\\Xff\\Xc3'a\u{e9}'");
        assert_eq!(q(b"\na\n\nb'\n"), "\\n'a'\\n\\n'b\\''\\n");
    }

    #[test]
    fn quoting() {
        assert_eq!(quote(b"a'b"), b"'a'\\''b'");
        assert_eq!(quote(b""), b"''");
        assert_eq!(quote(b"$(x)\n`y`\xff"), b"'$(x)\n`y`\xff'");
    }

    #[test]
    fn fix_words() {
        assert_eq!(fix_word(b"/usr/local/go"), "/usr/local/go");
        assert_eq!(fix_word(b""), "''");
        assert_eq!(fix_word(b"My Projects/go app"), "'My Projects/go app'");
        assert_eq!(fix_word(b"we'ird $(touch x)"), "'we'\\''ird $(touch x)'");
        assert_eq!(fix_word(b"a\nb\xffc"), "'a'$'\\x0a''b'$'\\xff''c'");
        let home = std::path::Path::new("/home/u");
        assert_eq!(fix_path(home, std::path::Path::new("/home/u/src/go app")), "~/'src/go app'");
        assert_eq!(fix_path(home, std::path::Path::new("/home/u/.bash_profile")), "~/.bash_profile");
        assert_eq!(fix_path(std::path::Path::new(""), std::path::Path::new("/x y")), "'/x y'");
    }
}
