//! The config file (SPEC 4): `$XDG_CONFIG_HOME/wslgo/config.toml`, or `WSLGO_CONFIG`: the
//! schema (the [`Config`] struct, its defaults and value rules) here, the loader in `load.rs`.
//!
//! No file is needed: [`Config::default`] holds the embedded defaults, which are also the text
//! that `wslgo config init` writes ([`DEFAULT_TOML`]). A bad file never breaks a prompt and costs
//! only what it touches:
//! - the text is parsed with the toml crate's recoverable parser (spans for every key and
//!   value); a line with a syntax error is blanked and the rest parsed again, so a syntax error
//!   costs the lines it spans;
//! - the known sections and keys are the ones the [`Config`] struct serializes (one source of
//!   truth: there is no second list), and each key is checked on its own by deserializing the
//!   struct with that key added, so a wrong type costs that key (a list, its bad elements);
//! - a broken key keeps its last good value when the caller knows it (the hook's cached config),
//!   else its default;
//! - every problem becomes an [`Issue`] with file, line and the column of the offending value,
//!   and, for an unknown name, the nearest known one (strsim's edit distance).

mod load;
#[cfg(test)]
mod tests;

pub(crate) use load::{Issue, is_null, load, load_from, path_from};
#[cfg(test)]
pub(crate) use load::{Loaded, known_keys, parse};

use crate::shellenv::ShellEnv;
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use std::path::PathBuf;

/// The commented default config, written by `wslgo config init`.
pub(crate) const DEFAULT_TOML: &str = include_str!("../../shell/config.default.toml");

/// The largest config file read; a bigger one is not read at all (and reported).
const MAX_CONFIG: usize = 256 * 1024;
/// How many times a syntax error's lines are blanked and the text parsed again.
const MAX_ROUNDS: usize = 32;
/// The longest duration a `*_secs` key accepts (a day).
const MAX_SECS: u64 = 86_400;

// `#[serde(default)]`: a key left out takes its default. The TOML loader always hands serde
// every key (the schema's defaults under the file's values), so it is the config cache that
// uses this: its JSON holds only the keys that differ from the defaults, and is read straight
// into the struct, where serializing the defaults and laying the JSON over them cost a refresh
// about a tenth of its instructions (measured with callgrind).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct Config {
    pub locale: LocaleCfg,
    pub go: GoCfg,
    pub proxy: ProxyCfg,
    pub hook: HookCfg,
    pub warn: WarnCfg,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct LocaleCfg {
    /// `auto` or a locale name such as `zh_CN.UTF-8`.
    #[serde(deserialize_with = "nonempty")]
    pub lang: String,
    pub lc_all: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct GoCfg {
    /// `auto` or a path to an SDK (`~`, `$HOME`, `${VAR}` expanded: [`GoCfg::root_dir`]).
    #[serde(deserialize_with = "nonempty")]
    pub root: String,
    /// GOPATH: `auto` (= `$HOME/go`) or a path (expanded: [`GoCfg::gopath`]).
    #[serde(deserialize_with = "nonempty")]
    pub path: String,
    pub maxprocs: MaxProcs,
    pub memlimit: MemLimit,
    pub goproxy: String,
    pub goproxy_direct: String,
    pub goprivate: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum MaxProcs {
    Auto,
    Floor,
    Off,
    #[serde(untagged)]
    Fixed(u32),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum MemLimit {
    Auto,
    Off,
    #[serde(untagged)]
    Bytes(u64),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum ProxyMode {
    Auto,
    On,
    Off,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Scheme {
    Http,
    Socks5,
    Socks5h,
}

impl Scheme {
    pub fn as_str(self) -> &'static str {
        match self {
            Scheme::Http => "http",
            Scheme::Socks5 => "socks5",
            Scheme::Socks5h => "socks5h",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct ProxyCfg {
    pub mode: ProxyMode,
    /// `auto` or an address or name.
    #[serde(deserialize_with = "nonempty")]
    pub host: String,
    /// `None` = auto: the first that answers of [`AUTO_PORTS`] (written `"auto"`).
    #[serde(with = "port_auto")]
    pub port: Option<u16>,
    pub scheme: Scheme,
    pub no_proxy: Vec<String>,
    #[serde(deserialize_with = "secs")]
    pub recheck_secs: u64,
    /// Manage the proxy variables the shell started with when they point at the Windows host
    /// (SPEC 5.4: WSL's autoProxy copy): unset while the proxy is down, back when it is up.
    pub adopt: bool,
}

/// The ports `port = "auto"` tries, in order (Clash, Clash Verge, v2rayN socks/http, common socks).
pub const AUTO_PORTS: &[u16] = &[7890, 7897, 10808, 10809, 1080];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct HookCfg {
    #[serde(deserialize_with = "secs")]
    pub interval_secs: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub(crate) struct WarnCfg {
    /// Warning ids, each one of [`crate::warn::IDS`].
    #[serde(deserialize_with = "warn_ids")]
    pub disable: Vec<String>,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            locale: LocaleCfg {
                lang: "auto".into(),
                lc_all: true,
            },
            go: GoCfg {
                root: "auto".into(),
                path: "auto".into(),
                maxprocs: MaxProcs::Auto,
                memlimit: MemLimit::Auto,
                goproxy: String::new(),
                goproxy_direct: String::new(),
                goprivate: String::new(),
            },
            proxy: ProxyCfg {
                mode: ProxyMode::Auto,
                host: "auto".into(),
                port: None,
                scheme: Scheme::Http,
                no_proxy: Vec::new(),
                recheck_secs: 10,
                adopt: true,
            },
            hook: HookCfg { interval_secs: 3 },
            warn: WarnCfg::default(),
        }
    }
}

// Each section's defaults are the ones [`Config::default`] holds (the one place they are written).
macro_rules! section_defaults {
    ($($section:ty => $field:ident),*) => {
        $(impl Default for $section {
            fn default() -> $section {
                Config::default().$field
            }
        })*
    };
}
section_defaults!(LocaleCfg => locale, GoCfg => go, ProxyCfg => proxy, HookCfg => hook);

impl GoCfg {
    /// `go.root` as a directory: `None` for auto; an error when it does not expand to an
    /// absolute path (never used then).
    pub fn root_dir(&self, env: &ShellEnv) -> Result<Option<PathBuf>, String> {
        if self.root == "auto" {
            return Ok(None);
        }
        expand_path(&self.root, env).map(Some)
    }

    /// `go.path` as GOPATH (a list of absolute directories joined by `:`): `None` for auto.
    pub fn gopath(&self, env: &ShellEnv) -> Result<Option<PathBuf>, String> {
        if self.path == "auto" {
            return Ok(None);
        }
        let mut parts = Vec::new();
        for entry in self.path.split(':').filter(|e| !e.is_empty()) {
            parts.push(expand_path(entry, env)?.into_os_string());
        }
        if parts.is_empty() {
            return Err("names no directory".into());
        }
        Ok(Some(PathBuf::from(parts.join(std::ffi::OsStr::new(":")))))
    }
}

impl Config {
    /// The problems that depend on the environment (paths that must expand to absolute ones)
    /// and the values no environment variable can hold, as (section, key, what).
    fn env_problems(&self, env: &ShellEnv) -> Vec<(&'static str, &'static str, String)> {
        let mut v = Vec::new();
        if let Err(e) = self.go.root_dir(env) {
            v.push(("go", "root", e));
        }
        if let Err(e) = self.go.gopath(env) {
            v.push(("go", "path", e));
        }
        // A NUL (`"\u0000"`) fits a TOML string but no environment variable; printed into
        // shell code it cuts the text short (fish's `source` stops there, and the whole snippet
        // fails): such a value costs its key (a list, its element).
        let nul = |s: &String| s.contains('\0');
        let (l, g, p) = (&self.locale, &self.go, &self.proxy);
        for (s, k, bad) in [
            ("locale", "lang", nul(&l.lang)),
            ("go", "root", nul(&g.root)),
            ("go", "path", nul(&g.path)),
            ("go", "goproxy", nul(&g.goproxy)),
            ("go", "goproxy_direct", nul(&g.goproxy_direct)),
            ("go", "goprivate", nul(&g.goprivate)),
            ("proxy", "host", nul(&p.host)),
            ("proxy", "no_proxy", p.no_proxy.iter().any(nul)),
        ] {
            if bad {
                v.push((s, k, "holds a NUL character (\\u0000), which no environment variable can".into()));
            }
        }
        v
    }
}

/// Expands `~`, `~/...`, `$NAME` and `${NAME}` from the environment; the result must be an
/// absolute path.
pub(crate) fn expand_path(raw: &str, env: &ShellEnv) -> Result<PathBuf, String> {
    use std::os::unix::ffi::OsStrExt;
    let mut out: Vec<u8> = Vec::with_capacity(raw.len());
    let mut rest = raw;
    if rest == "~" || rest.starts_with("~/") {
        let home = env.get_nonempty("HOME").ok_or("`~` needs HOME, which is not set")?;
        out.extend_from_slice(home.as_bytes());
        rest = &rest[1..];
    } else if rest.starts_with('~') {
        return Err(format!("`{raw}`: only `~` and `~/` are expanded (not `~user`)"));
    }
    while let Some(i) = rest.find('$') {
        out.extend_from_slice(&rest.as_bytes()[..i]);
        let after = &rest[i + 1..];
        let (name, len) = if let Some(b) = after.strip_prefix('{') {
            let end = b.find('}').ok_or_else(|| format!("`{raw}`: `${{` without `}}`"))?;
            (&b[..end], end + 2)
        } else {
            let end = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(after.len());
            (&after[..end], end)
        };
        let valid = !name.is_empty()
            && !name.starts_with(|c: char| c.is_ascii_digit())
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !valid {
            return Err(format!("`{raw}`: `$` must start a variable name ($NAME or ${{NAME}})"));
        }
        let v = env.get_nonempty(name).ok_or_else(|| format!("`{raw}`: ${name} is not set"))?;
        out.extend_from_slice(v.as_bytes());
        rest = &after[len..];
    }
    out.extend_from_slice(rest.as_bytes());
    let p = PathBuf::from(std::ffi::OsStr::from_bytes(&out));
    if p.is_absolute() {
        Ok(p)
    } else {
        Err(format!(
            "`{raw}` is not an absolute path (it gives `{}`); write it from / or start it with ~/ or $HOME/",
            p.display()
        ))
    }
}

// ---- value rules (serde), with words a user can act on ----

fn nonempty<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let s = String::deserialize(d)?;
    if s.is_empty() {
        return Err(de::Error::custom("must not be empty (write \"auto\" for the default)"));
    }
    Ok(s)
}

fn secs<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    struct V;
    impl Visitor<'_> for V {
        type Value = u64;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            write!(f, "a whole number of seconds from 0 to {MAX_SECS}")
        }
        fn visit_i64<E: de::Error>(self, n: i64) -> Result<u64, E> {
            match u64::try_from(n) {
                Ok(n) => self.visit_u64(n),
                Err(_) => Err(E::invalid_value(de::Unexpected::Signed(n), &self)),
            }
        }
        fn visit_u64<E: de::Error>(self, n: u64) -> Result<u64, E> {
            if n > MAX_SECS {
                return Err(E::invalid_value(de::Unexpected::Unsigned(n), &self));
            }
            Ok(n)
        }
    }
    d.deserialize_any(V)
}

fn warn_ids<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    let ids = Vec::<String>::deserialize(d)?;
    for id in &ids {
        if !crate::warn::IDS.contains(&id.as_str()) {
            let near = nearest(id, crate::warn::IDS.iter().copied());
            return Err(de::Error::custom(unknown("warning id", id, near)));
        }
    }
    Ok(ids)
}

/// `"auto"` or a whole number, for MaxProcs and MemLimit.
struct Choice<T>(&'static str, fn(&str) -> Option<T>, fn(u64) -> Option<T>);

impl<T> Visitor<'_> for Choice<T> {
    type Value = T;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(self.0)
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<T, E> {
        (self.1)(s).ok_or_else(|| E::invalid_value(de::Unexpected::Str(s), &self))
    }
    fn visit_i64<E: de::Error>(self, n: i64) -> Result<T, E> {
        u64::try_from(n)
            .ok()
            .and_then(self.2)
            .ok_or_else(|| E::invalid_value(de::Unexpected::Signed(n), &self))
    }
    fn visit_u64<E: de::Error>(self, n: u64) -> Result<T, E> {
        (self.2)(n).ok_or_else(|| E::invalid_value(de::Unexpected::Unsigned(n), &self))
    }
}

impl<'de> Deserialize<'de> for MaxProcs {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let fixed = |n: u64| (1..=1_000_000).contains(&n).then_some(MaxProcs::Fixed(n as u32));
        d.deserialize_any(Choice(
            "auto, floor, off or a whole number from 1",
            |s| match s {
                "auto" => Some(MaxProcs::Auto),
                "floor" => Some(MaxProcs::Floor),
                "off" => Some(MaxProcs::Off),
                n => n
                    .parse::<u64>()
                    .ok()
                    .and_then(|n| (1..=1_000_000).contains(&n).then_some(MaxProcs::Fixed(n as u32))),
            },
            fixed,
        ))
    }
}

impl<'de> Deserialize<'de> for MemLimit {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(Choice(
            "auto, off, a number of bytes or a size like \"3GiB\"",
            |s| match s {
                "auto" => Some(MemLimit::Auto),
                "off" => Some(MemLimit::Off),
                s => parse_size(s).map(MemLimit::Bytes),
            },
            |n| (n > 0).then_some(MemLimit::Bytes(n)),
        ))
    }
}

/// `proxy.port`: `"auto"` (None) or a port number.
mod port_auto {
    use super::*;

    pub fn serialize<S: Serializer>(p: &Option<u16>, s: S) -> Result<S::Ok, S::Error> {
        match p {
            Some(n) => s.serialize_u16(*n),
            None => s.serialize_str("auto"),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u16>, D::Error> {
        d.deserialize_any(Choice(
            "\"auto\" or a port number from 1 to 65535",
            |s| if s == "auto" { Some(None) } else { None },
            |n| u16::try_from(n).ok().filter(|&n| n > 0).map(Some),
        ))
    }
}

/// Parses a size the way GOMEMLIMIT spells it: a number and an optional unit B, KiB, MiB,
/// GiB, TiB (also KB/MB/GB/TB as powers of 1000).
pub(crate) fn parse_size(s: &str) -> Option<u64> {
    let s = s.trim();
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (num, unit) = s.split_at(split);
    let n: u64 = num.parse().ok()?;
    let mul: u64 = match unit.trim() {
        "" | "B" => 1,
        "KiB" => 1 << 10,
        "MiB" => 1 << 20,
        "GiB" => 1 << 30,
        "TiB" => 1 << 40,
        "KB" => 1_000,
        "MB" => 1_000_000,
        "GB" => 1_000_000_000,
        "TB" => 1_000_000_000_000,
        _ => return None,
    };
    n.checked_mul(mul).filter(|&b| b > 0)
}

fn unknown(kind: &str, name: &str, near: Option<&str>) -> String {
    match near {
        Some(n) => format!("unknown {kind} `{name}` (did you mean `{n}`?)"),
        None => format!("unknown {kind} `{name}`"),
    }
}

/// The known name closest to `name` (strsim's Damerau-Levenshtein distance), when it is close
/// enough to be a typo, or one is a prefix of the other (`golang` for `go`).
pub(crate) fn nearest<'a>(name: &str, known: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    known
        .filter_map(|k| {
            let d = strsim::damerau_levenshtein(name, k);
            let prefix = k.len() >= 2 && name.len() >= 2 && (name.starts_with(k) || k.starts_with(name));
            (d <= 2.max(k.len().max(name.len()) / 3) || prefix).then_some((d, k))
        })
        .min_by_key(|&(d, _)| d)
        .map(|(_, k)| k)
}
