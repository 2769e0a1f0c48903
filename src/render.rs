//! Render: the changes as shell code for one shell.
//!
//! Values are single-quoted, the one quoting in which bash and zsh give every byte but NUL its
//! literal meaning (a `'` becomes `'\''`), so a value is never expanded or executed, whatever it
//! holds: `$(...)`, backticks, newlines, bytes that are not UTF-8.
//!
//! fish's single quotes know two escapes, `\\` and `\'`, and nothing else; fish reads its
//! input as UTF-8, so a byte that is not part of valid UTF-8 is written outside the quotes as
//! `\XHH` (fish's escape for one raw byte; see [`crate::quote::fish_quote_into`]). fish's PATH
//! is a list: it is set element by element (the diff has already kept every user entry in its
//! place). fish's refresh takes the code through a command substitution, which splits it into
//! lines, and `eval` joins them with spaces: each fish statement ends in `;`, and no value
//! holds a raw newline (fish_quote_into spells it `\n`).

use crate::diff::Change;
// The quoting rules live in the leaf module `quote` (planners and doctor quote fixes too);
// `render::quote` and friends stay the public names.
pub(crate) use crate::quote::{fish_quote_into, quote_into};
pub use crate::quote::{fix_path, fix_word, quote};
use crate::shell::Shell;
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

/// `s` quoted for `shell`.
pub(crate) fn quote_for(shell: Shell, out: &mut Vec<u8>, s: &[u8]) {
    match shell {
        Shell::Fish => fish_quote_into(out, s),
        Shell::Bash | Shell::Zsh => quote_into(out, s),
    }
}

/// Appends `export NAME='value'` (a NAME is always one of wslgo's, plain ASCII); fish:
/// `set -gx NAME 'value'`, and PATH as a list.
pub(crate) fn export(out: &mut Vec<u8>, shell: Shell, name: &str, value: &OsStr) {
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
    end(out, shell);
}

/// Ends a statement: fish's with `;` too (see the module's comment).
pub(crate) fn end(out: &mut Vec<u8>, shell: Shell) {
    if shell == Shell::Fish {
        out.push(b';');
    }
    out.push(b'\n');
}

pub(crate) fn unset(out: &mut Vec<u8>, shell: Shell, name: &str) {
    out.extend_from_slice(match shell {
        Shell::Fish => b"set -e ".as_slice(),
        Shell::Bash | Shell::Zsh => b"unset ".as_slice(),
    });
    out.extend_from_slice(name.as_bytes());
    end(out, shell);
}

/// Appends `_wslgo_NAME=value` (a snippet variable, not exported; `value` is plain ASCII).
pub(crate) fn snippet_var(out: &mut Vec<u8>, shell: Shell, name: &str, value: &[u8]) {
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
    end(out, shell);
}

/// The code for a list of changes.
///
/// Removals come first. zsh re-reads the locale whenever LANG or LC_ALL changes, and a value
/// assigned while LC_ALL still names a UTF-8 locale is misread once a later `unset LC_ALL`
/// drops the shell into the C locale (zsh 5.9 then globs the value's bytes even inside double
/// quotes). Unsetting first means every value is stored under the locale it will be read in.
pub(crate) fn changes(out: &mut Vec<u8>, shell: Shell, ch: &[Change]) {
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
    fn fish_path_is_a_list() {
        let mut v = Vec::new();
        export(&mut v, Shell::Fish, "PATH", OsStr::new("/a::/b"));
        assert_eq!(v, b"set -gx PATH '/a' '' '/b';\n");
    }
}
