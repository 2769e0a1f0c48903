//! Render: the changes as shell code for one shell.
//!
//! Values are single-quoted, the one quoting in which bash and zsh give every byte but NUL its
//! literal meaning (a `'` becomes `'\''`), so a value is never expanded or executed, whatever it
//! holds: `$(...)`, backticks, newlines, bytes that are not UTF-8.

use crate::diff::Change;
// The quoting rules live in the leaf module `quote` (planners and doctor quote fixes too);
// `render::quote` and friends stay the public names.
pub(crate) use crate::quote::quote_into;
pub use crate::quote::{fix_path, fix_word, quote};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

/// Appends `export NAME='value'` (a NAME is always one of wslgo's, plain ASCII).
pub(crate) fn export(out: &mut Vec<u8>, name: &str, value: &OsStr) {
    out.extend_from_slice(b"export ");
    out.extend_from_slice(name.as_bytes());
    out.push(b'=');
    quote_into(out, value.as_bytes());
    out.push(b'\n');
}

pub(crate) fn unset(out: &mut Vec<u8>, name: &str) {
    out.extend_from_slice(b"unset ");
    out.extend_from_slice(name.as_bytes());
    out.push(b'\n');
}

/// The code for a list of changes (the same for bash and zsh).
///
/// Removals come first. zsh re-reads the locale whenever LANG or LC_ALL changes, and a value
/// assigned while LC_ALL still names a UTF-8 locale is misread once a later `unset LC_ALL`
/// drops the shell into the C locale (zsh 5.9 then globs the value's bytes even inside double
/// quotes). Unsetting first means every value is stored under the locale it will be read in.
pub(crate) fn changes(out: &mut Vec<u8>, ch: &[Change]) {
    for c in ch {
        if let Change::Unset(n) = c {
            unset(out, n);
        }
    }
    for c in ch {
        if let Change::Set(n, v) = c {
            export(out, n, v);
        }
    }
}
