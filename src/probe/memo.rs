//! The discovery cache: what a refresh learnt from directories that rarely change (the SDK
//! search directories, the SDKs' `VERSION` and `bin/go`, the locales), kept between prompts in
//! the exported `__WSLGO_DISC` and trusted only while the stamps it was keyed on still hold.
//!
//! Each entry is one probe result and the [`Stamp`] of everything it read:
//! - a directory listing (`/usr/local`, `~/sdk`, `/usr/lib`, the module cache's toolchains,
//!   any directory [`Memo::list_dir`] is asked for): the directory's stamp, which changes when
//!   an entry is added, removed or renamed (a new SDK dropped into `~/sdk`);
//! - an SDK check (is `<root>` an SDK, which version): the stamps of `<root>/VERSION` and
//!   `<root>/bin/go` (a file rewritten, replaced, made executable or removed changes them);
//! - the locales: the stamps of `/lib` (musl's loader), `/usr/lib/locale` (a locale directory
//!   added or removed) and `/usr/lib/locale/locale-archive` (`locale-gen` rewrites it).
//!
//! A refresh stats each key (one `statx` each) instead of listing, resolving and reading:
//! what changed is probed again, the rest is taken from the cache. A result read within 2 s of
//! its inputs' last change is not cached ([`Stamp::settled`]). The value is one line of ASCII,
//! checksummed and at most [`MAX_LEN`] bytes (entries that do not fit are not kept: they are
//! probed at every refresh); a value that is malformed, foreign, of another version or does not
//! match its checksum is discarded whole. Only the entries this run used are written back, so
//! the cache holds what the current shell needs and nothing stale.

use crate::probe::go::GoVersion;
use crate::probe::locale::Locales;
use crate::sysroot::Stamp;
use std::cell::RefCell;
use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::{Path, PathBuf};

/// The exported variable.
pub(crate) const VAR: &str = "__WSLGO_DISC";
/// The longest value written or read (every exported byte is copied into every program the
/// shell starts; typical values are a few hundred bytes).
pub(crate) const MAX_LEN: usize = 4 * 1024;
const TAG: &str = "d1";

/// One cached probe result.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Entry {
    /// The names in `dir` that start with `prefix`, sorted.
    List {
        dir: PathBuf,
        prefix: Vec<u8>,
        stamp: u64,
        names: Vec<OsString>,
    },
    /// `check_sdk(root)`: the version text, or why it is not an SDK.
    Sdk {
        root: PathBuf,
        stamp: u64,
        result: Result<String, String>,
    },
    /// What the system offers as locales.
    Locales { stamp: u64, value: Locales },
}

/// The cache of one run: what the shell carried in, and what this run used or learnt.
#[derive(Debug, Default)]
pub(crate) struct Memo {
    /// False for `wslgo env` and doctor, which always look afresh.
    enabled: bool,
    old: Vec<Entry>,
    /// The raw value the shell carried (to tell whether it must be rewritten).
    old_raw: Option<Vec<u8>>,
    used: RefCell<Vec<Entry>>,
    now: i64,
}

impl Memo {
    /// A cache read from the shell's `__WSLGO_DISC` (`None`, foreign or corrupt: empty).
    pub(crate) fn from_value(raw: Option<&OsStr>) -> Memo {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0));
        Memo {
            enabled: true,
            old: raw.and_then(|r| decode(r.as_bytes())).unwrap_or_default(),
            old_raw: raw.map(|r| r.as_bytes().to_vec()),
            used: RefCell::new(Vec::new()),
            now,
        }
    }

    /// No cache: every probe runs (doctor, `wslgo env`).
    pub(crate) fn off() -> Memo {
        Memo::default()
    }

    fn keep(&self, e: Entry, settled: bool) {
        if self.enabled && settled {
            let mut used = self.used.borrow_mut();
            if !used.contains(&e) {
                used.push(e);
            }
        }
    }

    /// The names in `dir` starting with `prefix`, sorted, at most `max` looked at (from the
    /// cache while the directory's stamp holds).
    pub(crate) fn list_dir(&self, dir: &Path, prefix: &[u8], max: usize) -> Vec<OsString> {
        if !self.enabled {
            return list_dir(dir, prefix, max);
        }
        let st = Stamp::of(dir);
        let hit = self.old.iter().find_map(|e| match e {
            Entry::List {
                dir: d,
                prefix: p,
                stamp,
                names,
            } if d == dir && p == prefix && *stamp == st.hash => Some(names.clone()),
            _ => None,
        });
        let names = hit.unwrap_or_else(|| list_dir(dir, prefix, max));
        self.keep(
            Entry::List {
                dir: dir.to_path_buf(),
                prefix: prefix.to_vec(),
                stamp: st.hash,
                names: names.clone(),
            },
            st.settled(self.now),
        );
        names
    }

    /// Whether the real directory `root` is an SDK and its version (`check` does the work; from
    /// the cache while the stamps of `VERSION` and `bin/go` hold).
    pub(crate) fn check_sdk(&self, root: &Path, check: impl FnOnce(&Path) -> Result<GoVersion, String>) -> Result<GoVersion, String> {
        if !self.enabled {
            return check(root);
        }
        let (a, b) = (Stamp::of(&root.join("VERSION")), Stamp::of(&root.join("bin/go")));
        let st = a.hash ^ b.hash.rotate_left(1);
        let hit = self.old.iter().find_map(|e| match e {
            Entry::Sdk { root: r, stamp, result } if r == root && *stamp == st => match result {
                Ok(text) => GoVersion::parse(text).map(Ok),
                Err(why) => Some(Err(why.clone())),
            },
            _ => None,
        });
        let result = hit.unwrap_or_else(|| check(root));
        self.keep(
            Entry::Sdk {
                root: root.to_path_buf(),
                stamp: st,
                result: result.as_ref().map(|v| v.text.clone()).map_err(Clone::clone),
            },
            a.settled(self.now) && b.settled(self.now),
        );
        result
    }

    /// The locales (`probe` does the work, given the real paths of `/lib`, `/usr/lib/locale` and
    /// the archive; from the cache while their stamps hold).
    pub(crate) fn locales(&self, keys: [&Path; 3], probe: impl FnOnce() -> Locales) -> Locales {
        if !self.enabled {
            return probe();
        }
        let stamps = keys.map(Stamp::of);
        let st = stamps.iter().fold(0u64, |h, s| h.rotate_left(7) ^ s.hash);
        let hit = self.old.iter().find_map(|e| match e {
            Entry::Locales { stamp, value } if *stamp == st => Some(value.clone()),
            _ => None,
        });
        let value = hit.unwrap_or_else(probe);
        self.keep(
            Entry::Locales {
                stamp: st,
                value: value.clone(),
            },
            stamps.iter().all(|s| s.settled(self.now)),
        );
        value
    }

    /// The value to export when it differs from what the shell has: `Some("")` means unset it.
    pub(crate) fn new_value(&self) -> Option<String> {
        if !self.enabled {
            return None;
        }
        let used = self.used.borrow();
        // The usual case, nothing changed: no need to encode to know.
        if self.old_raw.is_some() && *used == self.old {
            return None;
        }
        let v = encode(&used);
        let same = match &self.old_raw {
            Some(r) => r.as_slice() == v.as_bytes(),
            None => v.is_empty(),
        };
        (!same).then_some(v)
    }
}

/// The names in `dir` that start with `prefix`, sorted (for a stable order), bounded.
fn list_dir(dir: &Path, prefix: &[u8], max: usize) -> Vec<OsString> {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut v: Vec<OsString> = rd
        .take(max)
        .flatten()
        .map(|e| e.file_name())
        .filter(|n| n.as_bytes().starts_with(prefix))
        .collect();
    v.sort();
    v
}

// --- the wire format ------------------------------------------------------------------------
//
//   d1;<checksum>;<entry>;<entry>...
//   l,<dir>,<prefix>,<stamp>,<name>:<name>...       a listing
//   s,<root>,<stamp>,v<version> | e<why>            an SDK check
//   x,<stamp>,<musl 0|1>,<archive names>,<p|-><problem>,<locale dirs>
//
// Every text field is percent-encoded (only [A-Za-z0-9._/+@-] stay as they are), so `,` `;`
// `:` never occur inside one and the value is printable ASCII without quotes or newlines.

fn encode(entries: &[Entry]) -> String {
    let mut body = String::new();
    let budget = MAX_LEN - TAG.len() - 18;
    for e in entries {
        let s = encode_entry(e);
        // An entry that does not fit is left out: it is probed again at every refresh.
        if body.len() + s.len() < budget {
            body.push(';');
            body.push_str(&s);
        }
    }
    if body.is_empty() {
        return String::new();
    }
    format!("{TAG};{:016x}{body}", crate::hash::fnv(body.as_bytes()))
}

fn encode_entry(e: &Entry) -> String {
    match e {
        Entry::List { dir, prefix, stamp, names } => format!(
            "l,{},{},{stamp:016x},{}",
            pct(dir.as_os_str().as_bytes()),
            pct(prefix),
            list(names.iter().map(|n| n.as_bytes()))
        ),
        Entry::Sdk { root, stamp, result } => {
            let r = match result {
                Ok(v) => format!("v{}", pct(v.as_bytes())),
                Err(why) => format!("e{}", pct(why.as_bytes())),
            };
            format!("s,{},{stamp:016x},{r}", pct(root.as_os_str().as_bytes()))
        }
        Entry::Locales { stamp, value } => format!(
            "x,{stamp:016x},{},{},{},{}",
            u8::from(value.musl),
            list(value.archive.iter().map(|n| n.as_bytes())),
            match &value.archive_problem {
                Some(p) => format!("p{}", pct(p.as_bytes())),
                None => "-".to_string(),
            },
            list(value.root_dirs.iter().map(|n| n.as_bytes()))
        ),
    }
}

fn list<'a>(items: impl Iterator<Item = &'a [u8]>) -> String {
    items.map(pct).collect::<Vec<_>>().join(":")
}

fn decode(raw: &[u8]) -> Option<Vec<Entry>> {
    if raw.len() > MAX_LEN {
        return None;
    }
    let s = std::str::from_utf8(raw).ok()?;
    let rest = s.strip_prefix(TAG)?.strip_prefix(';')?;
    let (sum, body) = (rest.get(..16)?, rest.get(16..)?);
    if u64::from_str_radix(sum, 16).ok()? != crate::hash::fnv(body.as_bytes()) || !body.starts_with(';') {
        return None;
    }
    body[1..].split(';').map(decode_entry).collect()
}

fn decode_entry(s: &str) -> Option<Entry> {
    let f: Vec<&str> = s.split(',').collect();
    match f.as_slice() {
        ["l", dir, prefix, stamp, names] => Some(Entry::List {
            dir: PathBuf::from(OsString::from_vec(unpct(dir)?)),
            prefix: unpct(prefix)?,
            stamp: hex(stamp)?,
            names: unlist(names)?.into_iter().map(OsString::from_vec).collect(),
        }),
        ["s", root, stamp, r] => Some(Entry::Sdk {
            root: PathBuf::from(OsString::from_vec(unpct(root)?)),
            stamp: hex(stamp)?,
            result: match (r.get(..1)?, &r[1..]) {
                ("v", v) => Ok(text(v)?),
                ("e", why) => Err(text(why)?),
                _ => return None,
            },
        }),
        ["x", stamp, musl, archive, problem, dirs] => Some(Entry::Locales {
            stamp: hex(stamp)?,
            value: Locales::from_parts(
                match *musl {
                    "0" => false,
                    "1" => true,
                    _ => return None,
                },
                unlist(archive)?.into_iter().map(String::from_utf8).collect::<Result<_, _>>().ok()?,
                match *problem {
                    "-" => None,
                    p => Some(text(p.strip_prefix('p')?)?),
                },
                unlist(dirs)?.into_iter().map(String::from_utf8).collect::<Result<_, _>>().ok()?,
            ),
        }),
        _ => None,
    }
}

fn hex(s: &str) -> Option<u64> {
    (s.len() == 16).then(|| u64::from_str_radix(s, 16).ok())?
}

fn text(s: &str) -> Option<String> {
    String::from_utf8(unpct(s)?).ok()
}

fn unlist(s: &str) -> Option<Vec<Vec<u8>>> {
    if s.is_empty() {
        return Some(Vec::new());
    }
    s.split(':').map(unpct).collect()
}

fn plain(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"._/+@-".contains(&b)
}

fn pct(b: &[u8]) -> String {
    let mut s = String::with_capacity(b.len());
    for &c in b {
        if plain(c) {
            s.push(char::from(c));
        } else {
            s.push_str(&format!("%{c:02X}"));
        }
    }
    s
}

fn unpct(s: &str) -> Option<Vec<u8>> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let h = s.get(i + 1..i + 3)?;
            let c = u8::from_str_radix(h, 16).ok()?;
            // Canonical only: one value, one spelling (so a re-encoded value compares equal).
            if plain(c) || h.bytes().any(|x| x.is_ascii_lowercase()) {
                return None;
            }
            out.push(c);
            i += 3;
        } else if plain(b[i]) {
            out.push(b[i]);
            i += 1;
        } else {
            return None;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<Entry> {
        vec![
            Entry::List {
                dir: PathBuf::from("/home/a b/sdk"),
                prefix: b"go".to_vec(),
                stamp: 0x0123_4567_89ab_cdef,
                names: vec![OsString::from("go1.22.0"), OsString::from_vec(b"go,\xff;:%".to_vec())],
            },
            Entry::List {
                dir: PathBuf::from("/nowhere"),
                prefix: b"go-".to_vec(),
                stamp: 7,
                names: vec![],
            },
            Entry::Sdk {
                root: PathBuf::from("/usr/lib/go-1.19"),
                stamp: 1,
                result: Ok("1.19.8".into()),
            },
            Entry::Sdk {
                root: PathBuf::from("/x"),
                stamp: 2,
                result: Err("no executable bin/go".into()),
            },
            Entry::Locales {
                stamp: 3,
                value: Locales::from_parts(false, vec!["en_US.utf8".into()], Some("bad, bad; x".into()), vec!["C.utf8".into()]),
            },
        ]
    }

    #[test]
    fn round_trip() {
        let v = encode(&sample());
        assert!(v.len() <= MAX_LEN && v.bytes().all(|b| b.is_ascii_graphic()), "{v}");
        assert_eq!(decode(v.as_bytes()), Some(sample()));
        assert_eq!(encode(&[]), "");
    }

    #[test]
    fn corrupt_or_foreign_values_are_discarded() {
        let v = encode(&sample());
        // One byte changed anywhere: the checksum (or the syntax) refuses it.
        for i in 0..v.len() {
            let mut b = v.clone().into_bytes();
            b[i] = if b[i] == b'a' { b'b' } else { b'a' };
            assert_eq!(decode(&b), None, "byte {i} of {v}");
        }
        for bad in ["", "d1", "d1;", "x", "d2;0000000000000000;l,/,go,0000000000000000,", "\u{1}\n"] {
            assert_eq!(decode(bad.as_bytes()), None, "{bad:?}");
        }
        // A well-formed value with a forged checksum is refused too.
        let body = ";s,/x,0000000000000001,v1.22.0";
        assert_eq!(decode(format!("d1;{:016x}{body}", 5).as_bytes()), None);
        assert!(decode(format!("d1;{:016x}{body}", crate::hash::fnv(body.as_bytes())).as_bytes()).is_some());
        // Too long: not even looked at.
        let long = format!("d1;{}", "a".repeat(MAX_LEN));
        assert_eq!(decode(long.as_bytes()), None);
    }

    #[test]
    fn never_over_the_cap() {
        let big: Vec<Entry> = (0..100)
            .map(|i| Entry::List {
                dir: PathBuf::from(format!("/d{i}")),
                prefix: b"go".to_vec(),
                stamp: i,
                names: (0..20).map(|j| OsString::from(format!("go1.{j}.{i}"))).collect(),
            })
            .collect();
        let v = encode(&big);
        assert!(v.len() <= MAX_LEN, "{}", v.len());
        let back = decode(v.as_bytes()).expect("what is written reads back");
        assert!(!back.is_empty() && back.len() < big.len());
    }

    /// A stamp from the future or the last 2 s is not trusted; older ones are.
    #[test]
    fn racy_stamps_are_not_kept() {
        let d = std::env::temp_dir().join(format!("wslgo-memo-{}", std::process::id()));
        std::fs::create_dir_all(d.join("go1.22.0")).unwrap();
        let m = Memo::from_value(None);
        assert_eq!(m.list_dir(&d, b"go", 100), vec![OsString::from("go1.22.0")]);
        assert_eq!(m.new_value(), None, "a directory changed just now is not cached");
        let later = Memo {
            now: m.now + 10,
            ..Memo::from_value(None)
        };
        later.list_dir(&d, b"go", 100);
        let v = later.new_value().expect("a settled listing is cached");
        assert!(v.contains("go1.22.0"));
        std::fs::remove_dir_all(d).unwrap();
    }
}
