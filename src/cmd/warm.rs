//! The warm start: the caches a shell carries between prompts (the parsed config,
//! `__WSLGO_CFG`, and the discovery cache, `__WSLGO_DISC`), kept in a file as well, so that a
//! new terminal, which inherits neither, starts from them instead of parsing the TOML file and
//! listing the SDK and locale directories again.
//!
//! Why: reading and checking the config is the largest part of `wslgo init` that a prompt does
//! not pay (measured: init with a three-line config.toml 1.03 ms of CPU, without one 0.78 ms;
//! /bin/true 0.74 ms). SPEC 10 measures init against the exec floor.
//!
//! Nothing here is trusted more than the variables it stands in for: each value is checked by
//! its owner exactly as an inherited one is (the config cache holds only while the config
//! file's stamp is the one it was made from; each discovery entry while its directories'
//! stamps hold; a malformed value is discarded whole). The file is read only from a directory
//! that is this user's, not a symlink, and writable by nobody else, and only when it is a
//! regular file of this user's, at most [`MAX`] bytes: a file planted in a shared directory
//! (an `XDG_RUNTIME_DIR` pointing at /tmp) is ignored, since its config cache could otherwise
//! set the proxy variables. Only `init` reads and writes it; a prompt never touches it.

use crate::paths::uid;
use crate::shellenv::ShellEnv;
use std::ffi::OsString;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::os::unix::fs::MetadataExt;
use std::path::Path;

/// The file's name in wslgo's cache directory.
const NAME: &str = "warm";
/// The largest file read: both values at their caps, with room.
const MAX: usize = 16 * 1024;
const TAG: &[u8] = b"wslgo-warm 1";

/// The values the file held: the config cache, then the discovery cache.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Saved {
    pub cfg: Option<OsString>,
    pub disc: Option<OsString>,
}

/// The saved values in wslgo's cache directory `dir`, which the caller found private
/// ([`crate::paths::is_private_dir`]; init looks at the directory once for this file and the
/// zsh functions' file). None when the file is missing, foreign, unsafe or malformed.
pub(crate) fn read_in(dir: &Path) -> Saved {
    read_file(&dir.join(NAME)).unwrap_or_default()
}

fn read_file(f: &Path) -> Option<Saved> {
    // Not a symlink (O_NOFOLLOW fails on one), never blocking (O_NONBLOCK: a FIFO planted
    // there opens at once and is refused by the fstat check), a regular file of this user's:
    // one open and one fstat, where an lstat, a stat, the open and the fstat stood.
    let file = crate::sysroot::open_ro(f, libc::O_NONBLOCK | libc::O_NOFOLLOW).ok()?;
    let meta = file.metadata().ok()?;
    if !meta.is_file() || meta.uid() != uid() || meta.len() > MAX as u64 {
        return None;
    }
    parse(&crate::sysroot::read_open(file, &meta, MAX).ok()?)
}

/// `TAG`, then `cfg <value>` and `disc <value>`, one line each (both values hold no newline).
fn parse(bytes: &[u8]) -> Option<Saved> {
    let mut lines = bytes.split(|&b| b == b'\n');
    if lines.next()? != TAG {
        return None;
    }
    let mut s = Saved::default();
    for l in lines {
        if let Some(v) = l.strip_prefix(b"cfg ") {
            s.cfg = Some(OsString::from_vec(v.to_vec()));
        } else if let Some(v) = l.strip_prefix(b"disc ") {
            s.disc = Some(OsString::from_vec(v.to_vec()));
        } else if !l.is_empty() {
            return None;
        }
    }
    Some(s)
}

fn format(s: &Saved) -> Vec<u8> {
    let mut out = TAG.to_vec();
    for (k, v) in [("cfg", &s.cfg), ("disc", &s.disc)] {
        if let Some(v) = v.as_ref().filter(|v| !v.is_empty() && !v.as_bytes().contains(&b'\n')) {
            out.push(b'\n');
            out.extend_from_slice(k.as_bytes());
            out.push(b' ');
            out.extend_from_slice(v.as_bytes());
        }
    }
    out.push(b'\n');
    out
}

/// Saves the values (a new file renamed over the old: a reader never sees half of one). Any
/// failure leaves things as they were: the next terminal only starts cold. A file that holds
/// these values already is left alone: a shell started from a shell (tmux, `exec zsh`, an
/// editor's terminal) carries both caches, so `init` reads no file and would otherwise write
/// the same one again at every start (a create, a write and a rename: ~1 ms of a start,
/// measured, where reading it back costs four small syscalls).
pub(crate) fn write(env: &ShellEnv, s: &Saved) {
    let held = crate::paths::cache_dir(env)
        .ok()
        .filter(|d| crate::paths::is_private_dir(d))
        .and_then(|d| read_file(&d.join(NAME)));
    if held.as_ref() == Some(s) {
        return;
    }
    let Ok(dir) = crate::probe::proxy::cache_dir(env) else {
        return;
    };
    super::cachefile::write_private(&dir, NAME, &format(s));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_and_parse_round_trip() {
        let s = Saved {
            cfg: Some("c2;00;11;{\"a\":\"é\"}".into()),
            disc: Some("d1;ab;x".into()),
        };
        assert_eq!(parse(&format(&s)), Some(s));
        assert_eq!(parse(&format(&Saved::default())), Some(Saved::default()));
    }

    #[test]
    fn anything_else_is_no_file() {
        for bad in [&b""[..], b"wslgo-warm 2\ncfg x\n", b"wslgo-warm 1\nrm -rf /\n", b"\xff\xfe"] {
            assert_eq!(parse(bad), None, "{bad:?}");
        }
    }
}
