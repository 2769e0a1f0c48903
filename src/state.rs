//! The shell's wslgo state, kept between prompts in the exported variable `__WSLGO_STATE`.
//! (long: one wire format: the record, its checked encoder/decoder, the size fitting and user_path)
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

pub(crate) const VAR: &str = "__WSLGO_STATE";
/// A state longer than this is not read, and [`State::encode`] never writes a longer one.
/// Every exported variable is passed to every program the shell starts, and Linux refuses an
/// `execve` whose single string is over 128 KiB (and whose environment as a whole passes a
/// quarter of the stack limit): the state stays well under both, whatever the variables held.
pub(crate) const MAX_LEN: usize = 48 * 1024;
/// The longest original value kept for `wslgo deactivate`. A longer original (a garbage LANG)
/// is not kept; nor are the largest ones when together they would pass [`MAX_LEN`]. Either way
/// the variable is listed in [`State::lost`]: `wslgo env` says so, and deactivate removes the
/// variable instead of restoring it.
pub(crate) const MAX_ORIG: usize = 8 * 1024;
/// How many shown-warning keys are kept (the oldest go first).
const MAX_SHOWN: usize = 64;
const TAG: &str = "w1";

/// The proxy variables, in the order [`MANAGED`] lists them.
pub(crate) const PROXY_VARS: &[&str] = &[
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
pub(crate) const MANAGED: &[&str] = &[
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
pub(crate) enum Record {
    /// wslgo set it: `set` is the hash of the value it set (`None`: wslgo removed it), `orig`
    /// the value before wslgo touched it (`None`: it was absent).
    Wslgo { set: Option<u64>, orig: Option<OsString> },
    /// wslgo had set it and the user changed or removed it since: it is the user's for good.
    User,
    /// The user's, present when wslgo first saw it, with the hash of that inherited value: a
    /// different value later is one the user set in this shell.
    Inherited(u64),
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct State {
    pub vars: Vec<(&'static str, Record)>,
    pub path_front: Vec<u64>,
    pub path_back: Vec<u64>,
    pub shown: Vec<u64>,
    /// The Windows proxy learnt from the proxy variables the shell started with (SPEC 5.4).
    pub adopted: Option<Adoption>,
    /// Variables whose value before wslgo was too long to keep (see [`MAX_ORIG`]).
    pub lost: Vec<&'static str>,
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
pub(crate) enum Owner {
    /// wslgo set it and it still holds what wslgo set.
    Wslgo,
    /// Present and not wslgo's, or changed by the user.
    User,
    /// Absent and unclaimed: wslgo may set it.
    Free,
}

/// The hash under which a value (or its absence) is recorded.
pub(crate) fn value_hash(v: Option<&OsStr>) -> Option<u64> {
    v.map(|v| fnv(v.as_bytes()))
}

impl State {
    pub(crate) fn record(&self, name: &str) -> Option<&Record> {
        self.vars.iter().find(|(n, _)| *n == name).map(|(_, r)| r)
    }

    pub(crate) fn set_record(&mut self, name: &'static str, r: Option<Record>) {
        self.vars.retain(|(n, _)| *n != name);
        if let Some(r) = r {
            self.vars.push((name, r));
        }
    }

    /// True when the variable's current value (or its absence) is one the user set in this
    /// shell after wslgo first saw it, as opposed to one the shell inherited: SPEC 3 keeps such a
    /// value whatever it is (`export LC_ALL=C` works), while an inherited broken one is fixed.
    pub(crate) fn set_later(&self, name: &str, cur: Option<&OsStr>) -> bool {
        match self.record(name) {
            None => false,
            Some(Record::Inherited(h)) => Some(*h) != value_hash(cur),
            Some(Record::User) => true,
            Some(Record::Wslgo { .. }) => self.owner(name, cur) == Owner::User,
        }
    }

    pub(crate) fn owner(&self, name: &str, cur: Option<&OsStr>) -> Owner {
        match self.record(name) {
            Some(Record::Wslgo { set, .. }) if *set == value_hash(cur) => Owner::Wslgo,
            Some(_) => Owner::User,
            None if cur.is_some() => Owner::User,
            None => Owner::Free,
        }
    }

    /// The value before wslgo: the current one when the user owns the variable, the recorded
    /// original when wslgo does.
    pub(crate) fn prior<'a>(&'a self, name: &str, cur: Option<&'a OsStr>) -> Option<&'a OsStr> {
        match (self.owner(name, cur), self.record(name)) {
            (Owner::Wslgo, Some(Record::Wslgo { orig, .. })) => orig.as_deref(),
            _ => cur,
        }
    }

    pub(crate) fn was_shown(&self, key: u64) -> bool {
        self.shown.contains(&key)
    }

    pub(crate) fn mark_shown(&mut self, key: u64) {
        if !self.shown.contains(&key) {
            if self.shown.len() >= MAX_SHOWN {
                self.shown.remove(0);
            }
            self.shown.push(key);
        }
    }

    /// Whether the value `name` had before wslgo was too long to keep.
    pub(crate) fn original_lost(&self, name: &str) -> bool {
        self.lost.contains(&name) && matches!(self.record(name), Some(Record::Wslgo { orig: None, .. }))
    }

    /// This state as it will be written: originals longer than [`MAX_ORIG`] are dropped, then
    /// the largest ones until the encoding fits in [`MAX_LEN`] (the oldest shown-warning keys
    /// go last); every variable whose original was dropped is listed in `lost`.
    pub(crate) fn fitted(&self) -> State {
        self.fit().0
    }

    /// [`State::fitted`] and its encoding (made once: the last length check encoded it).
    fn fit(&self) -> (State, String) {
        let mut st = self.clone();
        let vars = &st.vars;
        st.lost
            .retain(|n| vars.iter().any(|(v, r)| v == n && matches!(r, Record::Wslgo { orig: None, .. })));
        for (name, r) in &mut st.vars {
            if let Record::Wslgo { orig: orig @ Some(_), .. } = r
                && orig.as_ref().is_some_and(|o| o.len() > MAX_ORIG)
            {
                *orig = None;
                if !st.lost.contains(name) {
                    st.lost.push(name);
                }
            }
        }
        let mut code = st.raw_encode();
        while code.len() > MAX_LEN {
            // The original whose encoding is longest (the later one on a tie).
            let big = st
                .vars
                .iter()
                .enumerate()
                .filter_map(|(i, (_, r))| match r {
                    Record::Wslgo { orig: Some(o), .. } => Some((encode_orig(o.as_bytes()).len(), i)),
                    _ => None,
                })
                .max();
            match big {
                Some((_, i)) => {
                    let (name, r) = &mut st.vars[i];
                    if let Record::Wslgo { orig, .. } = r {
                        *orig = None;
                    }
                    if !st.lost.contains(name) {
                        st.lost.push(name);
                    }
                }
                None if !st.shown.is_empty() => {
                    st.shown.remove(0);
                }
                None => break,
            }
            code = st.raw_encode();
        }
        (st, code)
    }

    /// Reads a state value; anything not exactly as wslgo writes it gives the empty state.
    pub(crate) fn decode(raw: Option<&OsStr>) -> State {
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
                ["v", name, "i", h] => {
                    let name = managed(name)?;
                    st.vars.push((name, Record::Inherited(hex_u64(h)?)));
                }
                ["v", name, "w", set, orig] => {
                    let name = managed(name)?;
                    let set = if *set == "-" { None } else { Some(hex_u64(set)?) };
                    let orig = if *orig == "-" {
                        None
                    } else {
                        Some(OsString::from_vec(decode_orig(orig)?))
                    };
                    st.vars.push((name, Record::Wslgo { set, orig }));
                }
                ["n", names @ ..] if !names.is_empty() => {
                    for n in names {
                        st.vars.push((managed(n)?, Record::Wslgo { set: None, orig: None }));
                    }
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
                ["l", ns @ ..] => st.lost = ns.iter().map(|n| managed(n)).collect::<Option<_>>()?,
                _ => return None,
            }
        }
        if st.shown.len() > MAX_SHOWN {
            return None;
        }
        Some(st)
    }

    /// The value to export: [`State::fitted`], encoded. Never longer than [`MAX_LEN`], ASCII
    /// without newlines, and always read back by [`State::decode`] as [`State::fitted`].
    pub(crate) fn encode(&self) -> String {
        self.fit().1
    }

    fn raw_encode(&self) -> String {
        use std::fmt::Write;
        // One buffer written in place (`write!` into a String cannot fail): a format! per
        // record was a tenth of init's instructions.
        let mut p = String::with_capacity(1024);
        let mut absent = false;
        for (name, r) in &self.vars {
            // A run of variables wslgo keeps absent (and found absent) is one record,
            // `n,NAME,NAME...;`: with the proxy off that is a dozen names, each of which took
            // a `v,NAME,w,-,-;` record in every snippet and every program's environment.
            if let Record::Wslgo { set: None, orig: None } = r {
                if absent {
                    p.pop();
                    let _ = write!(p, ",{name};");
                } else {
                    let _ = write!(p, "n,{name};");
                }
                absent = true;
                continue;
            }
            absent = false;
            let _ = write!(p, "v,{name},");
            match r {
                Record::User => p.push('u'),
                Record::Inherited(h) => {
                    p.push_str("i,");
                    push_hex(&mut p, *h);
                }
                Record::Wslgo { set, orig } => {
                    p.push_str("w,");
                    match set {
                        Some(h) => {
                            push_hex(&mut p, *h);
                        }
                        None => p.push('-'),
                    }
                    p.push(',');
                    match orig {
                        Some(o) => p.push_str(&encode_orig(o.as_bytes())),
                        None => p.push('-'),
                    }
                }
            }
            p.push(';');
        }
        for (tag, list) in [("pf", &self.path_front), ("pb", &self.path_back), ("s", &self.shown)] {
            if !list.is_empty() {
                p.push_str(tag);
                for h in list {
                    p.push(',');
                    push_hex(&mut p, *h);
                }
                p.push(';');
            }
        }
        if !self.lost.is_empty() {
            p.push('l');
            for n in &self.lost {
                p.push(',');
                p.push_str(n);
            }
            p.push(';');
        }
        if let Some(a) = self.adopted.as_ref().filter(|a| a.valid()) {
            let _ = write!(p, "a,{},{},{}", a.scheme, a.port, pct(a.host.as_bytes()));
            for n in &a.vars {
                p.push(',');
                p.push_str(n);
            }
            p.push(';');
        }
        let mut out = String::with_capacity(p.len() + 24);
        out.push_str(TAG);
        out.push(';');
        push_hex(&mut out, checksum(&p));
        out.push(';');
        out.push_str(&p);
        out
    }
}

/// An original value in the state: `x` and percent-encoding (readable, small for the usual
/// values), or `b` and unpadded URL-safe base64 when that is shorter (values of mostly unusual
/// bytes: at most 4/3 of the value, where percent-encoding can triple it).
fn encode_orig(b: &[u8]) -> String {
    let plain_count = b.iter().filter(|&&x| plain(x)).count();
    let pct_len = plain_count + 3 * (b.len() - plain_count);
    if pct_len <= b.len().div_ceil(3) * 4 {
        format!("x{}", pct(b))
    } else {
        format!("b{}", b64(b))
    }
}

fn decode_orig(s: &str) -> Option<Vec<u8>> {
    if let Some(p) = s.strip_prefix('x') {
        unpct(p)
    } else {
        unb64(s.strip_prefix('b')?)
    }
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Unpadded URL-safe base64 (RFC 4648 section 5), hand-written: a dozen lines, for one field.
fn b64(b: &[u8]) -> String {
    let mut s = String::with_capacity(b.len().div_ceil(3) * 4);
    for c in b.chunks(3) {
        let n = (u32::from(c[0]) << 16) | (u32::from(*c.get(1).unwrap_or(&0)) << 8) | u32::from(*c.get(2).unwrap_or(&0));
        for i in 0..=c.len() {
            s.push(B64[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    s
}

fn unb64(s: &str) -> Option<Vec<u8>> {
    let val = |c: u8| B64.iter().position(|&x| x == c).map(|v| v as u32);
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    for c in s.as_bytes().chunks(4) {
        if c.len() == 1 {
            return None;
        }
        let mut n = 0u32;
        for (i, &x) in c.iter().enumerate() {
            n |= val(x)? << (18 - 6 * i);
        }
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&bytes[..c.len() - 1]);
    }
    // Exactly as [`b64`] writes it (no stray low bits): any other spelling is not ours.
    (b64(&out) == s).then_some(out)
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

/// Appends `h` as `{:016x}` writes it (core::fmt's machinery cost a refresh ~2% of its
/// instructions for these alone).
fn push_hex(out: &mut String, h: u64) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    for i in (0..16).rev() {
        out.push(DIGITS[(h >> (4 * i) & 15) as usize] as char);
    }
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
pub(crate) fn user_path<'a>(cur: &'a [&'a OsStr], old: &State) -> Vec<&'a OsStr> {
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
                ("GOPATH", Record::Inherited(7)),
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
            lost: vec![],
        }
    }

    /// Variables kept absent are written as runs (`n,A,B;`), in their place among the others,
    /// and read back as they were; the older one-record-each form is still read.
    #[test]
    fn absent_runs_are_one_record_each() {
        let absent = || Record::Wslgo { set: None, orig: None };
        let s = State {
            vars: vec![
                ("GOBIN", absent()),
                ("GOPRIVATE", absent()),
                ("GOROOT", Record::Inherited(9)),
                ("http_proxy", absent()),
                ("https_proxy", absent()),
                ("no_proxy", absent()),
                ("GOPATH", Record::User),
                ("GOMEMLIMIT", absent()),
            ],
            ..State::default()
        };
        let e = s.encode();
        let payload = e.splitn(3, ';').nth(2).unwrap();
        assert_eq!(
            payload,
            format!(
                "n,GOBIN,GOPRIVATE;v,GOROOT,i,{:016x};n,http_proxy,https_proxy,no_proxy;v,GOPATH,u;n,GOMEMLIMIT;",
                9
            )
        );
        assert_eq!(State::decode(Some(OsStr::new(&e))), s);
        let old = "v,GOBIN,w,-,-;v,GOPATH,u;";
        let old = format!("{TAG};{:016x};{old}", checksum(old));
        let back = State::decode(Some(OsStr::new(&old)));
        assert_eq!(back.vars, vec![("GOBIN", absent()), ("GOPATH", Record::User)]);
        for bad in ["n;", "n,NOT_MANAGED;", "n,GOBIN,;"] {
            let v = format!("{TAG};{:016x};{bad}", checksum(bad));
            assert_eq!(State::decode(Some(OsStr::new(&v))), State::default(), "{bad}");
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
    fn hex_is_written_as_format_writes_it() {
        for h in [0, 1, 0xabc, u64::MAX, 0x0123_4567_89ab_cdef, 1 << 63] {
            let mut s = String::new();
            push_hex(&mut s, h);
            assert_eq!(s, format!("{h:016x}"));
            assert_eq!(hex_u64(&s), Some(h));
        }
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
        assert_eq!(s.owner("GOPATH", None), Owner::User);
        assert_eq!(s.owner("GOMAXPROCS", None), Owner::Free);
        assert_eq!(s.owner("GOMAXPROCS", Some(OsStr::new("4"))), Owner::User);
        // Inherited and unchanged is not "set later"; changed since, or changed from wslgo's, is.
        let inh = State {
            vars: vec![("LANG", Record::Inherited(value_hash(Some(OsStr::new("C"))).unwrap()))],
            ..State::default()
        };
        assert!(!inh.set_later("LANG", Some(OsStr::new("C"))));
        assert!(inh.set_later("LANG", Some(OsStr::new("C.UTF-8"))));
        assert!(inh.set_later("LANG", None));
        assert!(!s.set_later("LANG", Some(OsStr::new("C.UTF-8"))));
        assert!(s.set_later("LANG", Some(OsStr::new("C"))));
        assert!(!s.set_later("LC_ALL", Some(OsStr::new("C"))), "never seen: inherited");
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
        assert!(d.original_lost("LANG"), "and it says so");
        assert!(s.encode().len() < 200);
    }
}

/// Property tests over worst-case sizes: whatever the state holds, what wslgo writes is small,
/// one line of ASCII, and read back exactly as [`State::fitted`] says; an original is either
/// kept byte for byte or listed as lost (never silently dropped, never an unreadable state).
#[cfg(test)]
mod props {
    use super::*;
    use proptest::prelude::*;

    /// Values of the sizes and bytes that matter: short, around [`MAX_ORIG`], huge; plain
    /// (1 byte each), percent-encoded (3 each), or anything.
    fn value() -> impl Strategy<Value = Vec<u8>> {
        let len = prop_oneof![
            0usize..16,
            (MAX_ORIG - 2)..=(MAX_ORIG + 1),
            Just(MAX_ORIG),
            (MAX_ORIG + 2)..(3 * MAX_ORIG)
        ];
        (len, 0u8..4, any::<u8>()).prop_map(|(n, kind, seed)| match kind {
            0 => vec![b'x'; n],
            1 => vec![b' '; n],
            2 => (0..n).map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed)).collect(),
            _ => (0..n).map(|i| if i % 2 == 0 { b'%' } else { 0xff }).collect(),
        })
    }

    fn record() -> impl Strategy<Value = Record> {
        prop_oneof![
            1 => Just(Record::User),
            4 => (proptest::option::of(any::<u64>()), proptest::option::weighted(0.8, value()))
                .prop_map(|(set, orig)| Record::Wslgo { set, orig: orig.map(OsString::from_vec) }),
        ]
    }

    fn state() -> impl Strategy<Value = State> {
        (
            proptest::collection::vec(proptest::option::weighted(0.7, record()), MANAGED.len()),
            proptest::collection::vec(any::<u64>(), 0..8),
            proptest::collection::vec(any::<u64>(), 0..8),
            proptest::collection::vec(any::<u64>(), 0..=MAX_SHOWN),
            proptest::collection::vec(any::<bool>(), MANAGED.len()),
            any::<bool>(),
        )
            .prop_map(|(recs, path_front, path_back, shown, lost, adopted)| State {
                vars: MANAGED.iter().copied().zip(recs).filter_map(|(n, r)| Some((n, r?))).collect(),
                path_front,
                path_back,
                shown,
                lost: MANAGED.iter().copied().zip(lost).filter_map(|(n, l)| l.then_some(n)).collect(),
                adopted: adopted.then(|| Adoption {
                    scheme: "socks5h".into(),
                    host: "[::1]".into(),
                    port: 10808,
                    vars: PROXY_VARS[..6].to_vec(),
                }),
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn encode_decode_never_loses_silently(s in state()) {
            let e = s.encode();
            prop_assert!(e.len() <= MAX_LEN, "{} bytes", e.len());
            prop_assert!(e.is_ascii() && !e.contains('\n'));
            let fitted = s.fitted();
            let back = State::decode(Some(OsStr::new(&e)));
            prop_assert_eq!(&back, &fitted, "read back as written");
            prop_assert_ne!(back.clone(), State::default());
            prop_assert_eq!(back.encode(), e.clone(), "stable across refreshes");
            for (name, r) in &s.vars {
                let kept = back.record(name);
                match r {
                    Record::Wslgo { set, orig: Some(o) } => {
                        let same = kept == Some(r);
                        let marked = kept == Some(&Record::Wslgo { set: *set, orig: None }) && back.original_lost(name);
                        prop_assert!(same || marked, "{name}: kept neither whole nor marked lost");
                        prop_assert!(o.len() <= MAX_ORIG || marked, "{name}: over MAX_ORIG yet kept");
                    }
                    _ => prop_assert_eq!(kept, Some(r)),
                }
            }
            prop_assert_eq!(&back.path_front, &s.path_front);
            prop_assert_eq!(&back.path_back, &s.path_back);
            prop_assert_eq!(&back.adopted, &s.adopted, "the adoption is never lost");
        }
    }

    /// The case from issue 11: three originals of 8 KiB of unusual bytes (LANG, LC_ALL, GOROOT
    /// set to long values before init) are all kept.
    #[test]
    fn three_full_originals_are_kept() {
        let big = |b: u8| Some(OsString::from_vec(vec![b; MAX_ORIG]));
        let s = State {
            vars: ["LANG", "LC_ALL", "GOROOT"]
                .into_iter()
                .zip([b' ', 0xff, b'\''])
                .map(|(n, b)| {
                    (
                        n,
                        Record::Wslgo {
                            set: Some(1),
                            orig: big(b),
                        },
                    )
                })
                .collect(),
            ..State::default()
        };
        let e = s.encode();
        assert_eq!(State::decode(Some(OsStr::new(&e))), s);
        assert!(e.len() <= MAX_LEN);
    }

    #[test]
    fn base64_round_trips_and_is_canonical() {
        for n in 0..10 {
            let v: Vec<u8> = (0..n).map(|i| 0xf0u8.wrapping_add(i)).collect();
            assert_eq!(unb64(&b64(&v)), Some(v));
        }
        assert_eq!(b64(b"\xff\xfe"), "__4");
        assert_eq!(unb64("__5"), None, "stray low bits");
        assert_eq!(unb64("A"), None);
        assert_eq!(unb64("a;b"), None);
    }
}

#[cfg(test)]
mod lists {
    #[test]
    fn proxy_vars_are_managed() {
        assert!(super::PROXY_VARS.iter().all(|v| super::MANAGED.contains(v)));
    }
}
