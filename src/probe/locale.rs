//! Which locales exist (SPEC 5.1), without running `locale`.
//!
//! A locale is available when `/usr/lib/locale/<name>` is a directory (the codeset spelled as
//! glibc normalizes it: `UTF-8` -> `utf8`), or when glibc's `/usr/lib/locale/locale-archive`
//! holds a live entry for it, or on musl, which accepts every name.
//!
//! The archive can be hundreds of megabytes on a distro with every locale compiled, so only
//! its header, its name hash table and the names are read (positioned reads, each bounded).

use crate::sysroot::Sys;
use std::fs::File;
use std::os::unix::fs::FileExt;

const ARCHIVE: &str = "/usr/lib/locale/locale-archive";
const MAGIC: u32 = 0xde02_0109;
/// More hash slots than any real archive has (Ubuntu's all-locales archive: a few thousand).
const MAX_SLOTS: u32 = 1 << 20;
const MAX_STRINGS: u32 = 16 << 20;

/// What the system offers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Locales {
    pub musl: bool,
    /// Live names in the archive, as stored (already normalized by localedef).
    pub archive: Vec<String>,
    /// Why the archive could not be used, when it exists but is broken.
    pub archive_problem: Option<String>,
    /// The directories in `/usr/lib/locale` (compiled locales outside the archive).
    pub root_dirs: Vec<String>,
}

impl Locales {
    /// The real paths whose stamps key a cached result: everything [`Locales::probe`] reads.
    pub(crate) fn keys(sys: &Sys) -> [std::path::PathBuf; 3] {
        [sys.path("/lib"), sys.path("/usr/lib/locale"), sys.path(ARCHIVE)]
    }

    /// A result put back together (the discovery cache).
    pub(crate) fn from_parts(musl: bool, archive: Vec<String>, archive_problem: Option<String>, root_dirs: Vec<String>) -> Locales {
        Locales {
            musl,
            archive,
            archive_problem,
            root_dirs,
        }
    }

    pub(crate) fn probe(sys: &Sys) -> Locales {
        let musl = std::fs::read_dir(sys.path("/lib"))
            .map(|rd| rd.flatten().any(|e| e.file_name().as_encoded_bytes().starts_with(b"ld-musl-")))
            .unwrap_or(false);
        // A FIFO planted as the archive would block open(2) forever: sysroot's guarded open.
        let (archive, archive_problem) = match sys.open(ARCHIVE) {
            Err(e) if e.kind() == std::io::ErrorKind::InvalidInput => {
                (Vec::new(), Some("locale-archive is not a regular file".to_string()))
            }
            Err(_) => (Vec::new(), None),
            Ok((f, meta)) => match read_archive(&f, meta.len()) {
                Ok(names) => (names, None),
                Err(why) => (Vec::new(), Some(why)),
            },
        };
        let root_dirs = std::fs::read_dir(sys.path("/usr/lib/locale"))
            .map(|rd| {
                rd.flatten()
                    .filter(|e| e.file_type().map(|t| t.is_dir()).unwrap_or(false) || e.path().is_dir())
                    .filter_map(|e| e.file_name().into_string().ok())
                    .collect()
            })
            .unwrap_or_default();
        Locales {
            musl,
            archive,
            archive_problem,
            root_dirs,
        }
    }

    /// True when `name` can be used as LANG on this system.
    pub(crate) fn available(&self, name: &str) -> bool {
        if name.is_empty() || name.contains('/') {
            return false;
        }
        // Built into every libc.
        if self.musl || name == "C" || name == "POSIX" {
            return true;
        }
        let norm = normalize(name);
        [name, norm.as_str()]
            .iter()
            .any(|n| self.archive.iter().any(|a| a == n) || self.root_dirs.iter().any(|d| d == n))
    }
}

/// True when a locale name's codeset is UTF-8 (`en_US.UTF-8`, `C.utf8`, `zh_CN.utf-8@x`).
pub(crate) fn is_utf8(name: &str) -> bool {
    codeset(name).is_some_and(|c| normalize_codeset(c) == "utf8")
}

fn codeset(name: &str) -> Option<&str> {
    let dot = name.find('.')?;
    let rest = &name[dot + 1..];
    Some(rest.split('@').next().unwrap_or(rest))
}

/// glibc's `_nl_normalize_codeset`: keep letters (lowercased) and digits; all digits gets `iso`.
fn normalize_codeset(c: &str) -> String {
    let s: String = c
        .chars()
        .filter(|ch| ch.is_ascii_alphanumeric())
        .map(|ch| ch.to_ascii_lowercase())
        .collect();
    if !s.is_empty() && s.chars().all(|ch| ch.is_ascii_digit()) {
        format!("iso{s}")
    } else {
        s
    }
}

/// The name with its codeset normalized, as directory and archive names are stored.
pub(crate) fn normalize(name: &str) -> String {
    let Some(dot) = name.find('.') else { return name.to_string() };
    let (lang, rest) = (&name[..dot], &name[dot + 1..]);
    let (cs, modifier) = match rest.find('@') {
        Some(at) => (&rest[..at], &rest[at..]),
        None => (rest, ""),
    };
    format!("{lang}.{}{modifier}", normalize_codeset(cs))
}

fn u32_at(b: &[u8], i: usize) -> u32 {
    u32::from_ne_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]])
}

/// Walks the archive's name hash table; slots whose locale record offset is 0 are deleted.
fn read_archive(f: &File, len: u64) -> Result<Vec<String>, String> {
    let mut head = [0u8; 56];
    f.read_exact_at(&mut head, 0)
        .map_err(|_| "locale-archive is truncated (no header)".to_string())?;
    if u32_at(&head, 0) != MAGIC {
        return Err("locale-archive has a bad magic number".into());
    }
    let (nh_off, nh_size) = (u32_at(&head, 8), u32_at(&head, 16));
    let (str_off, str_used) = (u32_at(&head, 20), u32_at(&head, 24));
    if nh_size > MAX_SLOTS || str_used > MAX_STRINGS {
        return Err("locale-archive header is implausible".into());
    }
    let mut table = vec![0u8; nh_size as usize * 12];
    f.read_exact_at(&mut table, u64::from(nh_off))
        .map_err(|_| "locale-archive is truncated (name table)".to_string())?;
    let mut strings = vec![0u8; str_used as usize];
    if u64::from(str_off) + u64::from(str_used) > len {
        return Err("locale-archive is truncated (names)".into());
    }
    f.read_exact_at(&mut strings, u64::from(str_off))
        .map_err(|_| "locale-archive is truncated (names)".to_string())?;
    let mut names = Vec::new();
    for slot in table.chunks_exact(12) {
        let (name_off, locrec_off) = (u32_at(slot, 4), u32_at(slot, 8));
        if name_off == 0 || locrec_off == 0 {
            continue;
        }
        let Some(rel) = name_off.checked_sub(str_off).map(|r| r as usize).filter(|&r| r < strings.len()) else {
            continue;
        };
        let end = memchr::memchr(0, &strings[rel..]).map_or(strings.len(), |e| rel + e);
        if let Ok(n) = std::str::from_utf8(&strings[rel..end]) {
            names.push(n.to_string());
        }
    }
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(normalize("en_US.UTF-8"), "en_US.utf8");
        assert_eq!(normalize("de_DE.ISO-8859-1@euro"), "de_DE.iso88591@euro");
        assert_eq!(normalize("C"), "C");
        assert!(is_utf8("C.UTF-8") && is_utf8("zh_CN.utf8") && !is_utf8("C") && !is_utf8("en_US.ISO-8859-1"));
    }

    /// The archive is swapped between a regular file and a FIFO while it is probed, so the
    /// FIFO is sometimes there after the check and before the open: the guarded open never
    /// blocks, and every probe returns.
    #[test]
    fn archive_swapped_for_a_fifo_never_blocks() {
        use std::sync::atomic::{AtomicBool, Ordering};
        use std::sync::{Arc, mpsc};
        use std::time::{Duration, Instant};
        let d = std::env::temp_dir().join(format!("wslgo-locale-fifo-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        let dir = d.join("usr/lib/locale");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("real"), b"not an archive, but a regular file").unwrap();
        let fifo = dir.join("fifo");
        let ok = std::process::Command::new("mkfifo").arg(&fifo).status().is_ok_and(|s| s.success());
        assert!(ok, "mkfifo");
        let archive = dir.join("locale-archive");
        let stop = Arc::new(AtomicBool::new(false));
        let swapper = {
            let (stop, dir, archive) = (stop.clone(), dir.clone(), archive.clone());
            std::thread::spawn(move || {
                let mut i = 0u64;
                while !stop.load(Ordering::Relaxed) {
                    let tmp = dir.join(format!("tmp{}", i % 2));
                    let _ = std::fs::remove_file(&tmp);
                    let target = if i % 2 == 0 { "real" } else { "fifo" };
                    if std::os::unix::fs::symlink(target, &tmp).is_ok() {
                        let _ = std::fs::rename(&tmp, &archive);
                    }
                    i += 1;
                }
            })
        };
        let (tx, rx) = mpsc::channel();
        let root = d.clone();
        std::thread::spawn(move || {
            let sys = Sys::with_root(root);
            let start = Instant::now();
            let mut n = 0;
            while start.elapsed() < Duration::from_millis(1500) {
                let l = Locales::probe(&sys);
                assert!(l.archive.is_empty());
                n += 1;
            }
            let _ = tx.send(n);
        });
        let got = rx.recv_timeout(Duration::from_secs(10));
        stop.store(true, Ordering::Relaxed);
        swapper.join().unwrap();
        if got.is_err() {
            // Release the blocked open (a writer end) before failing.
            let _ = std::fs::OpenOptions::new().write(true).open(&fifo);
        }
        let _ = std::fs::remove_dir_all(&d);
        let n = got.expect("a probe blocked on the FIFO (open without the guard)");
        assert!(n > 100, "only {n} probes ran");
    }
}
