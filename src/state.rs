//! The shell's wslgo state, kept between prompts in the exported variable `__WSLGO_STATE`.
//!
//! It records, for each variable wslgo has set, a hash of the value it set (so a later change by
//! the user is seen: the variable then belongs to the user) and the value it had before wslgo
//! (for `wslgo deactivate`); which PATH entries wslgo added (hashes again, so the state stays
//! small whatever the paths); and which warnings were already shown.
//!
//! The value is inherited by child shells, tmux and editors, and anyone can set it, so it is
//! checked before use: a wrong version, a bad checksum, an unknown variable name or anything
//! malformed discards the whole state, and every variable present is then the user's.

use crate::hash::{Fnv, fnv};
use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::{OsStrExt, OsStringExt};

pub const VAR: &str = "__WSLGO_STATE";
/// A state longer than this is not read (it cannot be one wslgo wrote).
pub const MAX_LEN: usize = 64 * 1024;
/// The longest original value kept for `wslgo deactivate`. Every exported variable is passed to
/// every program the shell starts, and Linux refuses an `execve` whose single string is over
/// 128 KiB: a state that grew past that would break every command. A longer original (a
/// garbage LANG) is not kept; deactivate then removes the variable instead.
pub const MAX_ORIG: usize = 8 * 1024;
/// How many shown-warning keys are kept (the oldest go first).
const MAX_SHOWN: usize = 64;
const TAG: &str = "w1";

/// The proxy variables, in the order [`MANAGED`] lists them.
pub const PROXY_VARS: &[&str] = &[
    "http_proxy",
    "https_proxy",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "no_proxy",
    "NO_PROXY",
    "all_proxy",
    "ALL_PROXY",
];

/// Every variable wslgo manages besides PATH.
pub const MANAGED: &[&str] = &[
    "LANG",
    "LC_ALL",
    "GOROOT",
    "GOPATH",
    "GOBIN",
    "GOMAXPROCS",
    "GOMEMLIMIT",
    "http_proxy",
    "https_proxy",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "no_proxy",
    "NO_PROXY",
    "all_proxy",
    "ALL_PROXY",
    "GOPROXY",
    "GOPRIVATE",
    "GONOSUMDB",
    "GONOPROXY",
];

/// Who a variable belongs to, as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Record {
    /// wslgo set it: `set` is the hash of the value it set (`None`: wslgo removed it), `orig`
    /// the value before wslgo touched it (`None`: it was absent).
    Wslgo { set: Option<u64>, orig: Option<OsString> },
    /// wslgo had set it and the user changed or removed it since: it is the user's for good.
    User,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct State {
    pub vars: Vec<(&'static str, Record)>,
    pub path_front: Vec<u64>,
    pub path_back: Vec<u64>,
    pub shown: Vec<u64>,
    /// The Windows proxy learnt from the proxy variables the shell started with (SPEC 5.4).
    pub adopted: Option<Adoption>,
}

/// The adoption of the proxy variables a shell started with (WSL's autoProxy copy, or an rc
/// file's recipe before the init line), made once at init: where they pointed, and which
/// variables wslgo manages from then on. Their original values are the records' `orig`
/// (restored by `wslgo deactivate`). Small by construction: a known scheme, a host of at most
/// [`MAX_ADOPT_HOST`] plain bytes, at most the six URL variables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Adoption {
    /// `http`, `https`, `socks5` or `socks5h`.
    pub scheme: String,
    pub host: String,
    pub port: u16,
    pub vars: Vec<&'static str>,
}

/// The longest host an adoption records (a DNS name is at most 253 bytes).
pub const MAX_ADOPT_HOST: usize = 255;
/// The schemes an adoption may record.
pub const ADOPT_SCHEMES: &[&str] = &["http", "https", "socks5", "socks5h"];

impl Adoption {
    /// Whether this adoption can be written to and read back from the state.
    pub fn valid(&self) -> bool {
        ADOPT_SCHEMES.contains(&self.scheme.as_str())
            && !self.host.is_empty()
            && self.host.len() <= MAX_ADOPT_HOST
            && self.host.bytes().all(|b| b.is_ascii_alphanumeric() || b".-:[]_".contains(&b))
            && self.port != 0
            && !self.vars.is_empty()
            && self.vars.len() <= PROXY_VARS.len()
            && self.vars.iter().all(|v| PROXY_VARS.contains(v))
    }
}

/// Who owns a variable now, given the state and the variable's current value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    /// wslgo set it and it still holds what wslgo set.
    Wslgo,
    /// Present and not wslgo's, or changed by the user.
    User,
    /// Absent and unclaimed: wslgo may set it.
    Free,
}

/// The hash under which a value (or its absence) is recorded.
pub fn value_hash(v: Option<&OsStr>) -> Option<u64> {
    v.map(|v| fnv(v.as_bytes()))
}

impl State {
    pub fn record(&self, name: &str) -> Option<&Record> {
        self.vars.iter().find(|(n, _)| *n == name).map(|(_, r)| r)
    }

    pub fn set_record(&mut self, name: &'static str, r: Option<Record>) {
        self.vars.retain(|(n, _)| *n != name);
        if let Some(r) = r {
            self.vars.push((name, r));
        }
    }

    pub fn owner(&self, name: &str, cur: Option<&OsStr>) -> Owner {
        match self.record(name) {
            Some(Record::Wslgo { set, .. }) if *set == value_hash(cur) => Owner::Wslgo,
            Some(_) => Owner::User,
            None if cur.is_some() => Owner::User,
            None => Owner::Free,
        }
    }

    /// The value before wslgo: the current one when the user owns the variable, the recorded
    /// original when wslgo does.
    pub fn prior<'a>(&'a self, name: &str, cur: Option<&'a OsStr>) -> Option<&'a OsStr> {
        match (self.owner(name, cur), self.record(name)) {
            (Owner::Wslgo, Some(Record::Wslgo { orig, .. })) => orig.as_deref(),
            _ => cur,
        }
    }

    pub fn was_shown(&self, key: u64) -> bool {
        self.shown.contains(&key)
    }

    pub fn mark_shown(&mut self, key: u64) {
        if !self.shown.contains(&key) {
            if self.shown.len() >= MAX_SHOWN {
                self.shown.remove(0);
            }
            self.shown.push(key);
        }
    }

    /// Reads a state value; anything not exactly as wslgo writes it gives the empty state.
    pub fn decode(raw: Option<&OsStr>) -> State {
        raw.and_then(|r| Self::try_decode(r.as_bytes())).unwrap_or_default()
    }

    fn try_decode(raw: &[u8]) -> Option<State> {
        if raw.len() > MAX_LEN {
            return None;
        }
        let raw = std::str::from_utf8(raw).ok()?;
        let mut parts = raw.splitn(3, ';');
        if parts.next()? != TAG {
            return None;
        }
        let sum = hex_u64(parts.next()?)?;
        let payload = parts.next().unwrap_or("");
        if sum != checksum(payload) {
            return None;
        }
        let mut st = State::default();
        for rec in payload.split(';').filter(|r| !r.is_empty()) {
            let f: Vec<&str> = rec.split(',').collect();
            match f.as_slice() {
                ["v", name, "u"] => {
                    let name = managed(name)?;
                    st.vars.push((name, Record::User));
                }
                ["v", name, "w", set, orig] => {
                    let name = managed(name)?;
                    let set = if *set == "-" { None } else { Some(hex_u64(set)?) };
                    let orig = if *orig == "-" {
                        None
                    } else {
                        Some(OsString::from_vec(unpct(orig.strip_prefix('x')?)?))
                    };
                    st.vars.push((name, Record::Wslgo { set, orig }));
                }
                ["pf", hs @ ..] => st.path_front = hs.iter().map(|h| hex_u64(h)).collect::<Option<_>>()?,
                ["pb", hs @ ..] => st.path_back = hs.iter().map(|h| hex_u64(h)).collect::<Option<_>>()?,
                ["s", ks @ ..] => st.shown = ks.iter().map(|h| hex_u64(h)).collect::<Option<_>>()?,
                ["a", scheme, port, host, names @ ..] if st.adopted.is_none() => {
                    let a = Adoption {
                        scheme: scheme.to_string(),
                        host: String::from_utf8(unpct(host)?).ok()?,
                        port: port.parse().ok().filter(|p: &u16| p.to_string() == *port)?,
                        vars: names
                            .iter()
                            .map(|n| PROXY_VARS.iter().copied().find(|m| m == n))
                            .collect::<Option<_>>()?,
                    };
                    if !a.valid() {
                        return None;
                    }
                    st.adopted = Some(a);
                }
                _ => return None,
            }
        }
        if st.shown.len() > MAX_SHOWN {
            return None;
        }
        Some(st)
    }

    pub fn encode(&self) -> String {
        let mut p = String::new();
        for (name, r) in &self.vars {
            match r {
                Record::User => p.push_str(&format!("v,{name},u;")),
                Record::Wslgo { set, orig } => {
                    let set = set.map_or("-".to_string(), |h| format!("{h:016x}"));
                    let orig = match orig {
                        Some(o) if o.len() <= MAX_ORIG => format!("x{}", pct(o.as_bytes())),
                        _ => "-".to_string(),
                    };
                    p.push_str(&format!("v,{name},w,{set},{orig};"));
                }
            }
        }
        for (tag, list) in [("pf", &self.path_front), ("pb", &self.path_back), ("s", &self.shown)] {
            if !list.is_empty() {
                p.push_str(tag);
                for h in list {
                    p.push_str(&format!(",{h:016x}"));
                }
                p.push(';');
            }
        }
        if let Some(a) = self.adopted.as_ref().filter(|a| a.valid()) {
            p.push_str(&format!("a,{},{},{}", a.scheme, a.port, pct(a.host.as_bytes())));
            for n in &a.vars {
                p.push(',');
                p.push_str(n);
            }
            p.push(';');
        }
        format!("{TAG};{:016x};{p}", checksum(&p))
    }
}

fn managed(name: &str) -> Option<&'static str> {
    MANAGED.iter().copied().find(|m| *m == name)
}

fn checksum(payload: &str) -> u64 {
    let mut h = Fnv::new();
    h.write(b"wslgo-state-1\0");
    h.write(payload.as_bytes());
    h.finish()
}

fn hex_u64(s: &str) -> Option<u64> {
    // Exactly as `{:016x}` writes it: any other spelling of the same number is not ours.
    if s.len() != 16 || !s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
        return None;
    }
    u64::from_str_radix(s, 16).ok()
}

/// Percent-encoding: the usual bytes of a value stay as they are (the state stays small), the
/// rest, and the state's own separators, become `%XX`.
fn pct(b: &[u8]) -> String {
    let mut s = String::with_capacity(b.len());
    for &x in b {
        if plain(x) {
            s.push(x as char);
        } else {
            s.push_str(&format!("%{x:02X}"));
        }
    }
    s
}

fn plain(x: u8) -> bool {
    x.is_ascii_alphanumeric() || b"._/-+@=:".contains(&x)
}

fn unpct(s: &str) -> Option<Vec<u8>> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            out.push(u8::from_str_radix(s.get(i + 1..i + 3)?, 16).ok()?);
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

/// The user's part of PATH: the current entries without the ones wslgo added last time.
pub fn user_path<'a>(cur: &'a [&'a OsStr], old: &State) -> Vec<&'a OsStr> {
    let mut v: Vec<&OsStr> = cur.to_vec();
    if let Some(i) = find_run(&v, &old.path_front, false) {
        v.drain(i..i + old.path_front.len());
    }
    if let Some(i) = find_run(&v, &old.path_back, true) {
        v.drain(i..i + old.path_back.len());
    }
    v
}

/// Where the run of entries with these hashes stands (first occurrence, or last with `last`).
fn find_run(entries: &[&OsStr], hashes: &[u64], last: bool) -> Option<usize> {
    if hashes.is_empty() || hashes.len() > entries.len() {
        return None;
    }
    let matches = |i: usize| hashes.iter().enumerate().all(|(k, h)| fnv(entries[i + k].as_bytes()) == *h);
    let range = 0..=entries.len() - hashes.len();
    if last {
        range.rev().find(|&i| matches(i))
    } else {
        range.into_iter().find(|&i| matches(i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> State {
        State {
            vars: vec![
                (
                    "LANG",
                    Record::Wslgo {
                        set: value_hash(Some(OsStr::new("C.UTF-8"))),
                        orig: Some(OsString::from_vec(b"bad\n\xff'".to_vec())),
                    },
                ),
                ("GOROOT", Record::User),
                ("http_proxy", Record::Wslgo { set: None, orig: None }),
            ],
            path_front: vec![1, 2],
            path_back: vec![3],
            shown: vec![0xdead_beef],
            adopted: Some(Adoption {
                scheme: "http".into(),
                host: "172.29.64.1".into(),
                port: 7890,
                vars: vec!["http_proxy", "HTTP_PROXY"],
            }),
        }
    }

    #[test]
    fn round_trip() {
        let s = sample();
        let e = s.encode();
        assert!(e.is_ascii());
        assert_eq!(State::decode(Some(OsStr::new(&e))), s);
    }

    #[test]
    fn tampering_discards() {
        let e = sample().encode();
        for bad in [
            e.replacen("LANG", "LANX", 1),
            e.replacen("w1", "w2", 1),
            e[..e.len() - 3].to_string(),
            format!("{e}x"),
            "w1;0;".to_string(),
            "garbage".to_string(),
            String::new(),
        ] {
            assert_eq!(State::decode(Some(OsStr::new(&bad))), State::default(), "{bad}");
        }
        // An adoption naming a variable that is not a proxy variable, or an unknown scheme.
        for payload in [
            "a,http,7890,h,GOROOT;",
            "a,ftp,7890,h,http_proxy;",
            "a,http,07890,h,http_proxy;",
            "a,http,7890,,http_proxy;",
        ] {
            let forged = format!("w1;{:016x};{payload}", checksum(payload));
            assert_eq!(State::decode(Some(OsStr::new(&forged))), State::default(), "{payload}");
        }
        // A valid checksum over a foreign variable name is still refused.
        let payload = "v,EVIL,u;";
        let forged = format!("w1;{:016x};{payload}", checksum(payload));
        assert_eq!(State::decode(Some(OsStr::new(&forged))), State::default());
        assert_eq!(State::decode(Some(OsStr::from_bytes(b"w1;\xff\xfe"))), State::default());
    }

    #[test]
    fn ownership() {
        let s = sample();
        assert_eq!(s.owner("LANG", Some(OsStr::new("C.UTF-8"))), Owner::Wslgo);
        assert_eq!(s.owner("LANG", Some(OsStr::new("en_US.UTF-8"))), Owner::User);
        assert_eq!(s.owner("LANG", None), Owner::User);
        assert_eq!(s.owner("GOROOT", None), Owner::User);
        assert_eq!(s.owner("http_proxy", None), Owner::Wslgo);
        assert_eq!(s.owner("http_proxy", Some(OsStr::new("x"))), Owner::User);
        assert_eq!(s.owner("GOPATH", None), Owner::Free);
        assert_eq!(s.owner("GOPATH", Some(OsStr::new("/g"))), Owner::User);
        assert_eq!(s.prior("LANG", Some(OsStr::new("C.UTF-8"))).unwrap().as_bytes(), b"bad\n\xff'");
    }

    #[test]
    fn long_originals_are_not_kept() {
        let long = OsString::from("x".repeat(MAX_ORIG + 1));
        let s = State {
            vars: vec![(
                "LANG",
                Record::Wslgo {
                    set: Some(1),
                    orig: Some(long),
                },
            )],
            ..State::default()
        };
        let d = State::decode(Some(OsStr::new(&s.encode())));
        assert_eq!(d.record("LANG"), Some(&Record::Wslgo { set: Some(1), orig: None }));
        assert!(s.encode().len() < 200);
    }
}

#[cfg(test)]
mod lists {
    #[test]
    fn proxy_vars_are_managed() {
        assert!(super::PROXY_VARS.iter().all(|v| super::MANAGED.contains(v)));
    }
}
