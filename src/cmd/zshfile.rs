//! The zsh snippet's functions kept in a file, so that zsh can load them compiled.
//!
//! Why: at every shell start zsh parses each byte that `eval "$(wslgo init zsh)"` hands it,
//! and the functions (shell/wslgo-body.zsh) are most of those bytes: ~0.2 ms of CPU on the
//! development VM, against ~1.5 ms for the whole of `eval "$(/bin/true)"` (SPEC 10 measures
//! init against that). A file can be compiled once (`zcompile`), and zsh's `source` then
//! loads `<file>.zwc` without parsing. init writes the file; the snippet compiles it the first
//! time (shell/wslgo-load.zsh).
//!
//! What is trusted: the file is sourced, so it is used only from wslgo's cache directory when
//! that directory is this user's, not a symlink and writable by nobody else (the warm file's
//! rule), and only when the file is a regular file of this user's, writable by nobody else,
//! that holds exactly this build's functions (read back and compared at each init: ~2 KB).
//! Its name carries the hash of the text, so builds with other functions never share one. A
//! compiled form beside it must pass the same ownership test, else the text is printed; one
//! without zsh's header (empty: zcompile on a full disk) is compiled again, and its header's
//! zsh version goes into the snippet, which removes a form another zsh wrote. Any
//! failure (no such directory, a read-only disk) only means the functions are printed as text,
//! as before.

use crate::paths::uid;
use crate::shellenv::ShellEnv;
use std::io::Read;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

/// The file that holds `body`, and whether zsh will find its compiled form beside it.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Ready {
    pub path: PathBuf,
    /// The zsh version that wrote the compiled form (its header's), `None` when there is none
    /// zsh would load yet. zsh ignores a .zwc of another version and parses the text instead,
    /// so after a zsh upgrade the snippet removes the old form (the next start compiles again).
    pub compiled: Option<Vec<u8>>,
}

/// Makes sure `<dir>/init-<hash>.zsh` holds exactly `body` (`hash`: its FNV-1a, which build.rs
/// computed); `None` when it cannot be trusted or written (the snippet then carries the text).
/// `dir` is wslgo's cache directory and `private` what [`crate::paths::is_private_dir`] said of
/// it (init looks once, for this file and the warm file); a missing one is created here.
pub(crate) fn prepare(env: &ShellEnv, dir: &Path, private: bool, body: &[u8], hash: u64) -> Option<Ready> {
    if !private {
        // Missing (the first start): created closed to others. Anything else is not used.
        if std::fs::symlink_metadata(dir).is_ok() {
            return None;
        }
        crate::probe::proxy::cache_dir(env).ok()?;
        if !crate::paths::is_private_dir(dir) {
            return None;
        }
    }
    let name = format!("init-{hash:016x}.zsh");
    let path = dir.join(&name);
    let zwc = compiled_name(&path);
    if let Some(mtime) = holds(&path, body) {
        return match zwc_version(&zwc, mtime) {
            Zwc::Ours(zsh_version) => Some(Ready {
                path,
                compiled: Some(zsh_version),
            }),
            // Not one of ours (or not a file): zsh would load it, so the text is printed.
            Zwc::Foreign => None,
            // None, or one that zsh would not load (empty or cut short: zcompile on a full
            // disk can leave one; older than the file): compiled again, and renamed over it.
            Zwc::Missing => Some(Ready { path, compiled: None }),
        };
    }
    // Missing or different: a compiled form of other text must go before the new text comes
    // (zsh takes a .zwc that is not older than its file, and mtimes have coarse ticks).
    match std::fs::remove_file(&zwc) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(_) => return None,
    }
    if !super::cachefile::write_private(dir, &name, body) {
        return None;
    }
    prune(dir, &path);
    Some(Ready { path, compiled: None })
}

/// What stands at a compiled form's path.
enum Zwc {
    /// A private file with zsh's header: the version that wrote it.
    Ours(Vec<u8>),
    /// Something zsh would load that is not ours to trust (a symlink, others can write it).
    Foreign,
    /// Nothing, or a private file zsh would not load (no valid header): compile anew.
    Missing,
}

/// The compiled form's owner, age and header (zsh's parse.c: a magic word in either byte
/// order, a flags word, then the version as a NUL-ended string, in a 48-byte prelude). zsh's
/// `source` takes it only when its mtime (whole seconds) is not before the file's, `mtime`.
fn zwc_version(zwc: &Path, mtime: i64) -> Zwc {
    let mut f = match crate::sysroot::open_ro(zwc, libc::O_NOFOLLOW | libc::O_NONBLOCK) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Zwc::Missing,
        // ELOOP: a symlink, which zsh would follow.
        Err(_) => return Zwc::Foreign,
    };
    match f.metadata() {
        Ok(m) if private_file(&m) && m.mtime() < mtime => return Zwc::Missing,
        Ok(m) if private_file(&m) => {}
        _ => return Zwc::Foreign,
    }
    let mut head = [0u8; 48];
    let Ok(n) = f.read(&mut head) else {
        return Zwc::Missing;
    };
    let magic = [7u8, 6, 5, 4];
    let other = [4u8, 5, 6, 7];
    if n < head.len() || (head[..4] != magic && head[..4] != other) {
        return Zwc::Missing;
    }
    let v = &head[8..];
    let v = &v[..v.iter().position(|&b| b == 0).unwrap_or(v.len())];
    if v.is_empty() || !v.iter().all(|b| b.is_ascii_graphic()) {
        return Zwc::Missing;
    }
    Zwc::Ours(v.to_vec())
}

/// `<file>.zwc`, where zsh's `source` looks for the compiled form.
fn compiled_name(path: &Path) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(".zwc");
    PathBuf::from(s)
}

/// A regular file of this user's that nobody else can write.
fn private_file(m: &std::fs::Metadata) -> bool {
    m.file_type().is_file() && m.uid() == uid() && m.mode() & 0o022 == 0
}

/// Whether `path` is a private regular file with exactly `body` in it: its mtime (seconds) if
/// so. Four system calls (this runs at every shell start): one open ([`crate::sysroot::open_ro`]: no `fcntl` after it), one
/// fstat, one read (of a regular file, a short read is its end), one close.
fn holds(path: &Path, body: &[u8]) -> Option<i64> {
    // Not through a symlink (O_NOFOLLOW), and a FIFO is opened without waiting, then refused.
    let mut f = crate::sysroot::open_ro(path, libc::O_NOFOLLOW | libc::O_NONBLOCK).ok()?;
    let meta = f.metadata().ok()?;
    if !private_file(&meta) || meta.len() != body.len() as u64 {
        return None;
    }
    let mut buf = vec![0u8; body.len() + 1];
    matches!(f.read(&mut buf), Ok(n) if n == body.len() && buf[..n] == *body).then(|| meta.mtime())
}

/// Removes the files of other builds (and compiled forms a failed rename left): they would
/// only pile up, one pair per upgrade, in a `~/.cache` that nothing clears. A shell of the old
/// build that starts at this moment finds its file gone and takes the text (the fallback).
fn prune(dir: &Path, keep: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let keep_zwc = compiled_name(keep);
    for e in entries.flatten() {
        let p = e.path();
        let n = e.file_name();
        let n = n.as_encoded_bytes();
        if n.starts_with(b"init-") && (n.ends_with(b".zsh") || n.ends_with(b".zwc")) && p != keep && p != keep_zwc {
            let _ = std::fs::remove_file(&p);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn env_for(dir: &Path) -> ShellEnv {
        ShellEnv::from_pairs([("XDG_RUNTIME_DIR", dir.to_str().unwrap()), ("HOME", "/nonexistent")])
    }

    /// What init does: the cache directory looked at once, then the file prepared.
    fn prepare_in(env: &ShellEnv, body: &[u8], hash: u64) -> Option<Ready> {
        let dir = crate::paths::cache_dir(env).unwrap();
        prepare(env, &dir, crate::paths::is_private_dir(&dir), body, hash)
    }

    fn tmpdir(tag: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("wslgo-zshfile-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        std::fs::set_permissions(&d, std::fs::Permissions::from_mode(0o700)).unwrap();
        d
    }

    #[test]
    fn the_file_holds_the_body_and_a_changed_file_is_rewritten() {
        let d = tmpdir("rw");
        let env = env_for(&d);
        let r = prepare_in(&env, b"f() { :; }\n", 1).unwrap();
        assert!(r.compiled.is_none());
        assert_eq!(std::fs::read(&r.path).unwrap(), b"f() { :; }\n");
        // Tampered text (same length): rewritten, and its stale compiled form removed.
        std::fs::write(&r.path, b"g() { :; }\n").unwrap();
        std::fs::write(compiled_name(&r.path), b"stale").unwrap();
        let again = prepare_in(&env, b"f() { :; }\n", 1).unwrap();
        assert_eq!(
            again,
            Ready {
                path: r.path.clone(),
                compiled: None,
            }
        );
        assert_eq!(std::fs::read(&r.path).unwrap(), b"f() { :; }\n");
        assert!(!compiled_name(&r.path).exists());
        // A private compiled form counts, with the version that wrote it (zsh's header).
        let mut zwc = vec![7u8, 6, 5, 4, 0, 0, 0, 0];
        zwc.extend_from_slice(b"5.9");
        zwc.resize(64, 0);
        std::fs::write(compiled_name(&r.path), &zwc).unwrap();
        std::fs::set_permissions(compiled_name(&r.path), std::fs::Permissions::from_mode(0o444)).unwrap();
        let c = prepare_in(&env, b"f() { :; }\n", 1).unwrap();
        assert!(c.compiled.as_deref() == Some(&b"5.9"[..]), "{c:?}");
        // One zsh cannot load (empty, cut short, no header: a full disk): compiled again.
        for bad in [&b""[..], &zwc[..20], &[0u8; 64][..]] {
            std::fs::remove_file(compiled_name(&r.path)).unwrap();
            std::fs::write(compiled_name(&r.path), bad).unwrap();
            assert!(prepare_in(&env, b"f() { :; }\n", 1).unwrap().compiled.is_none(), "{bad:?}");
        }
        // Another build's body: its own file, and the old pair is gone.
        let other = prepare_in(&env, b"h() { :; }\n", 2).unwrap();
        assert_ne!(other.path, r.path);
        assert!(!r.path.exists() && !compiled_name(&r.path).exists());
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn nothing_is_trusted_that_others_could_write() {
        let d = tmpdir("trust");
        let env = env_for(&d);
        let r = prepare_in(&env, b"f() { :; }\n", 1).unwrap();
        // A compiled form others can write: the text is printed instead.
        std::fs::write(compiled_name(&r.path), b"zwc").unwrap();
        std::fs::set_permissions(compiled_name(&r.path), std::fs::Permissions::from_mode(0o666)).unwrap();
        assert_eq!(prepare_in(&env, b"f() { :; }\n", 1), None);
        std::fs::remove_file(compiled_name(&r.path)).unwrap();
        // A compiled form that is a symlink: the same.
        std::os::unix::fs::symlink("/etc/passwd", compiled_name(&r.path)).unwrap();
        assert_eq!(prepare_in(&env, b"f() { :; }\n", 1), None);
        std::fs::remove_file(compiled_name(&r.path)).unwrap();
        // The file itself writable by others: rewritten private before it is used.
        std::fs::set_permissions(&r.path, std::fs::Permissions::from_mode(0o666)).unwrap();
        let again = prepare_in(&env, b"f() { :; }\n", 1).unwrap();
        assert_eq!(std::fs::metadata(&again.path).unwrap().mode() & 0o777, 0o600);
        // The file a symlink to the right text elsewhere: replaced by a file of its own.
        let elsewhere = d.join("elsewhere");
        std::fs::write(&elsewhere, b"f() { :; }\n").unwrap();
        std::fs::remove_file(&again.path).unwrap();
        std::os::unix::fs::symlink(&elsewhere, &again.path).unwrap();
        let r3 = prepare_in(&env, b"f() { :; }\n", 1).unwrap();
        assert!(!std::fs::symlink_metadata(&r3.path).unwrap().file_type().is_symlink());
        // A cache directory others can write: not used at all.
        let wslgo = d.join("wslgo");
        std::fs::set_permissions(&wslgo, std::fs::Permissions::from_mode(0o777)).unwrap();
        assert_eq!(prepare_in(&env, b"f() { :; }\n", 1), None);
        let _ = std::fs::remove_dir_all(&d);
    }
}
