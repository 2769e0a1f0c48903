//! Render: the changes as shell code for one shell.
//!
//! Values are single-quoted, the one quoting in which bash and zsh give every byte but NUL its
//! literal meaning (a `'` becomes `'\''`), so a value is never expanded or executed, whatever it
//! holds: `$(...)`, backticks, newlines, bytes that are not UTF-8.
//!
//! fish's single quotes know two escapes, `\\` and `\'`, and nothing else; fish reads its
//! input as UTF-8, so a byte that is not part of valid UTF-8 is written outside the quotes as
//! `\XHH` (fish's escape for one raw byte). fish's PATH is a list: it is set element by element
//! (the diff has already kept every user entry in its place).

use crate::diff::Change;
use crate::plan::Shell;
use std::ffi::OsStr;
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

/// Appends `s` quoted for fish: valid UTF-8 in single quotes (`\\` and `\'` escaped), every
/// other byte as `\XHH` outside them. The empty value is `''`.
pub fn fish_quote_into(out: &mut Vec<u8>, s: &[u8]) {
    if s.is_empty() {
        out.extend_from_slice(b"''");
        return;
    }
    for chunk in s.utf8_chunks() {
        let valid = chunk.valid().as_bytes();
        if !valid.is_empty() {
            out.push(b'\'');
            for &b in valid {
                if b == b'\'' || b == b'\\' {
                    out.push(b'\\');
                }
                out.push(b);
            }
            out.push(b'\'');
        }
        for &b in chunk.invalid() {
            out.extend_from_slice(format!("\\X{b:02x}").as_bytes());
        }
    }
}

/// `s` quoted for `shell`.
pub fn quote_for(shell: Shell, out: &mut Vec<u8>, s: &[u8]) {
    match shell {
        Shell::Fish => fish_quote_into(out, s),
        Shell::Bash | Shell::Zsh => quote_into(out, s),
    }
}

/// Appends `export NAME='value'` (a NAME is always one of wslgo's, plain ASCII); fish:
/// `set -gx NAME 'value'`, and PATH as a list.
pub fn export(out: &mut Vec<u8>, shell: Shell, name: &str, value: &OsStr) {
    match shell {
        Shell::Fish => {
            out.extend_from_slice(b"set -gx ");
            out.extend_from_slice(name.as_bytes());
            if name == "PATH" {
                if !value.is_empty() {
                    for e in value.as_bytes().split(|&b| b == b':') {
                        out.push(b' ');
                        fish_quote_into(out, e);
                    }
                }
            } else {
                out.push(b' ');
                fish_quote_into(out, value.as_bytes());
            }
        }
        Shell::Bash | Shell::Zsh => {
            out.extend_from_slice(b"export ");
            out.extend_from_slice(name.as_bytes());
            out.push(b'=');
            quote_into(out, value.as_bytes());
        }
    }
    out.push(b'\n');
}

pub fn unset(out: &mut Vec<u8>, shell: Shell, name: &str) {
    out.extend_from_slice(match shell {
        Shell::Fish => b"set -e ".as_slice(),
        Shell::Bash | Shell::Zsh => b"unset ".as_slice(),
    });
    out.extend_from_slice(name.as_bytes());
    out.push(b'\n');
}

/// Appends `_wslgo_NAME=value` (a snippet variable, not exported; `value` is plain ASCII).
pub fn snippet_var(out: &mut Vec<u8>, shell: Shell, name: &str, value: &[u8]) {
    match shell {
        Shell::Fish => {
            out.extend_from_slice(b"set -g ");
            out.extend_from_slice(name.as_bytes());
            out.push(b' ');
            fish_quote_into(out, value);
        }
        Shell::Bash | Shell::Zsh => {
            out.extend_from_slice(name.as_bytes());
            out.push(b'=');
            quote_into(out, value);
        }
    }
    out.push(b'\n');
}

/// The code for a list of changes.
///
/// Removals come first. zsh re-reads the locale whenever LANG or LC_ALL changes, and a value
/// assigned while LC_ALL still names a UTF-8 locale is misread once a later `unset LC_ALL`
/// drops the shell into the C locale (zsh 5.9 then globs the value's bytes even inside double
/// quotes). Unsetting first means every value is stored under the locale it will be read in.
pub fn changes(out: &mut Vec<u8>, shell: Shell, ch: &[Change]) {
    for c in ch {
        if let Change::Unset(n) = c {
            unset(out, shell, n);
        }
    }
    for c in ch {
        if let Change::Set(n, v) = c {
            export(out, shell, n, v);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting() {
        assert_eq!(quote(b"a'b"), b"'a'\\''b'");
        assert_eq!(quote(b""), b"''");
        assert_eq!(quote(b"$(x)\n`y`\xff"), b"'$(x)\n`y`\xff'");
    }

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
        let mut v = Vec::new();
        export(&mut v, Shell::Fish, "PATH", OsStr::new("/a::/b"));
        assert_eq!(v, b"set -gx PATH '/a' '' '/b'\n");
    }
}
