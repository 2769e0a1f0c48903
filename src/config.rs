//! The config file (SPEC 4): `$XDG_CONFIG_HOME/wslgo/config.toml`, or `WSLGO_CONFIG`.
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

use crate::shellenv::ShellEnv;
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use std::path::{Path, PathBuf};
use toml::de::{DeTable, DeValue};

/// The commented default config, written by `wslgo config init`.
pub const DEFAULT_TOML: &str = include_str!("../shell/config.default.toml");

/// The largest config file read; a bigger one is not read at all (and reported).
const MAX_CONFIG: usize = 256 * 1024;
/// How many times a syntax error's lines are blanked and the text parsed again.
const MAX_ROUNDS: usize = 32;
/// The longest duration a `*_secs` key accepts (a day).
const MAX_SECS: u64 = 86_400;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Config {
    pub locale: LocaleCfg,
    pub go: GoCfg,
    pub proxy: ProxyCfg,
    pub hook: HookCfg,
    pub warn: WarnCfg,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LocaleCfg {
    /// `auto` or a locale name such as `zh_CN.UTF-8`.
    #[serde(deserialize_with = "nonempty")]
    pub lang: String,
    pub lc_all: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GoCfg {
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
pub enum MaxProcs {
    Auto,
    Floor,
    Off,
    #[serde(untagged)]
    Fixed(u32),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MemLimit {
    Auto,
    Off,
    #[serde(untagged)]
    Bytes(u64),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ProxyMode {
    Auto,
    On,
    Off,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scheme {
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
pub struct ProxyCfg {
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
pub struct HookCfg {
    #[serde(deserialize_with = "secs")]
    pub interval_secs: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct WarnCfg {
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
    /// The problems that depend on the environment (paths that must expand to absolute ones),
    /// as (section, key, what).
    fn env_problems(&self, env: &ShellEnv) -> Vec<(&'static str, &'static str, String)> {
        let mut v = Vec::new();
        if let Err(e) = self.go.root_dir(env) {
            v.push(("go", "root", e));
        }
        if let Err(e) = self.go.gopath(env) {
            v.push(("go", "path", e));
        }
        v
    }
}

/// Expands `~`, `~/...`, `$NAME` and `${NAME}` from the environment; the result must be an
/// absolute path.
pub fn expand_path(raw: &str, env: &ShellEnv) -> Result<PathBuf, String> {
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
pub fn parse_size(s: &str) -> Option<u64> {
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

// ---- loading ----

/// One problem found in a config file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
    pub what: String,
}

impl std::fmt::Display for Issue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}: {}", self.file.display(), self.line, self.column, self.what)
    }
}

/// The config in force and what was wrong with its file.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    pub config: Config,
    /// The file read, or `None` when there was none (the defaults serve).
    pub file: Option<PathBuf>,
    /// In line order.
    pub issues: Vec<Issue>,
}

/// Where the config lives ([`crate::paths::config_file`]), or why there is none.
pub fn path_from(env: &ShellEnv) -> Result<PathBuf, String> {
    crate::paths::config_file(env)
}

/// The config at `path`, or the defaults when there is no path.
pub fn load_from(path: &Result<PathBuf, String>, env: &ShellEnv, prev: Option<&Config>) -> Loaded {
    match path {
        Ok(p) => load(p, env, prev),
        Err(_) => Loaded::default(),
    }
}

/// `WSLGO_CONFIG=/dev/null`: no config at all, and no problem.
pub fn is_null(path: &Path) -> bool {
    path == Path::new("/dev/null")
}

/// Loads the config at `path`. A missing file (or /dev/null) is no problem; anything else wrong
/// is an issue. `env` expands paths; `prev` is the config in force before (the hook's cache),
/// whose values a broken key keeps.
pub fn load(path: &Path, env: &ShellEnv, prev: Option<&Config>) -> Loaded {
    if is_null(path) {
        return Loaded::default();
    }
    match crate::sysroot::read_bounded(path, MAX_CONFIG + 1) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Loaded::default(),
        Err(e) => Loaded {
            config: prev.cloned().unwrap_or_default(),
            file: Some(path.to_path_buf()),
            issues: vec![Issue {
                file: path.into(),
                line: 1,
                column: 1,
                what: format!("cannot read the file: {e}"),
            }],
        },
        Ok(bytes) => parse(path, &bytes, env, prev),
    }
}

/// A key found in the file: where it is written and its value.
struct Entry {
    section: String,
    key: String,
    key_at: usize,
    val_at: usize,
    value: toml::Value,
    /// For an array: each element's offset and value.
    elems: Vec<(usize, toml::Value)>,
}

/// A problem before its line and column are known.
struct Problem {
    at: usize,
    what: String,
    /// The known key it costs, whose kept value is named at the end.
    key: Option<(String, String)>,
}

/// Parses config text; the file name only labels the issues.
pub fn parse(file: &Path, bytes: &[u8], env: &ShellEnv, prev: Option<&Config>) -> Loaded {
    let issue = |text: &str, at: usize, what: String| {
        let (line, column) = line_col(text, at);
        Issue {
            file: file.to_path_buf(),
            line,
            column,
            what,
        }
    };
    if bytes.len() > MAX_CONFIG {
        return Loaded {
            config: prev.cloned().unwrap_or_default(),
            file: Some(file.to_path_buf()),
            issues: vec![issue("", 0, format!("the file is larger than {} KiB; not read", MAX_CONFIG / 1024))],
        };
    }
    let mut problems: Vec<Problem> = Vec::new();
    // Lines that are not UTF-8 are blanked (the same bytes count, so offsets stay).
    let mut work: Vec<u8> = Vec::with_capacity(bytes.len());
    for (i, line) in bytes.split(|&b| b == b'\n').enumerate() {
        if i > 0 {
            work.push(b'\n');
        }
        match std::str::from_utf8(line) {
            Ok(_) => work.extend_from_slice(line),
            Err(e) => {
                problems.push(Problem {
                    at: work.len() + e.valid_up_to(),
                    what: "this line is not valid UTF-8".into(),
                    key: None,
                });
                work.extend(std::iter::repeat_n(b' ', line.len()));
            }
        }
    }
    let text = String::from_utf8(work).unwrap_or_default();
    let schema = schema();
    let (entries, mut found) = syntax(&text, &schema);
    problems.append(&mut found);

    // Each key on its own, in line order, against the struct.
    let prev_table = prev.and_then(|p| toml::Table::try_from(p).ok());
    let mut good = schema.clone();
    for e in &entries {
        let name = format!("{}.{}", e.section, e.key);
        let mut cand = good.clone();
        set(&mut cand, &e.section, &e.key, e.value.clone());
        let Err(why) = check(&cand, env, &e.section, &e.key) else {
            good = cand;
            continue;
        };
        if e.elems.is_empty() {
            problems.push(Problem {
                at: e.val_at,
                what: format!("`{name}`: {why}"),
                key: Some((e.section.clone(), e.key.clone())),
            });
            continue;
        }
        // A list costs only its bad elements.
        let mut kept = Vec::new();
        for (at, el) in &e.elems {
            let mut one = good.clone();
            set(&mut one, &e.section, &e.key, toml::Value::Array(vec![el.clone()]));
            match check(&one, env, &e.section, &e.key) {
                Ok(()) => kept.push(el.clone()),
                Err(why) => problems.push(Problem {
                    at: *at,
                    what: format!("`{name}`: {why}; the other elements apply"),
                    key: None,
                }),
            }
        }
        let mut cand = good.clone();
        set(&mut cand, &e.section, &e.key, toml::Value::Array(kept));
        if check(&cand, env, &e.section, &e.key).is_ok() {
            good = cand;
        } else {
            problems.push(Problem {
                at: e.val_at,
                what: format!("`{name}`: {why}"),
                key: Some((e.section.clone(), e.key.clone())),
            });
        }
    }

    // A broken key keeps its last good value when there is one, else its default.
    for p in &mut problems {
        let Some((s, k)) = &p.key else { continue };
        let Some(default) = good.get(s).and_then(|t| t.get(k)).cloned() else {
            continue;
        };
        let last = prev_table.as_ref().and_then(|t| t.get(s)?.get(k)).cloned();
        match last {
            Some(v)
                if v != default && {
                    let mut cand = good.clone();
                    set(&mut cand, s, k, v.clone());
                    check(&cand, env, s, k).is_ok()
                } =>
            {
                set(&mut good, s, k, v.clone());
                p.what.push_str(&format!("; keeping the last good value {v}"));
            }
            _ => p.what.push_str(&format!("; using {default}")),
        }
    }
    let config = Config::deserialize(toml::Value::Table(good)).unwrap_or_default();
    let mut issues: Vec<Issue> = problems.into_iter().map(|p| issue(&text, p.at, p.what)).collect();
    issues.sort_by_key(|i| (i.line, i.column));
    issues.dedup();
    Loaded {
        config,
        file: Some(file.to_path_buf()),
        issues,
    }
}

/// The known sections and keys, with their defaults: the [`Config`] struct, serialized.
fn schema() -> toml::Table {
    toml::Table::try_from(Config::default()).unwrap_or_default()
}

/// Every known key as `section.key`.
pub fn known_keys() -> Vec<String> {
    let mut v = Vec::new();
    for (s, t) in schema() {
        if let toml::Value::Table(t) = t {
            v.extend(t.keys().map(|k| format!("{s}.{k}")));
        }
    }
    v
}

fn set(t: &mut toml::Table, section: &str, key: &str, v: toml::Value) {
    if let Some(toml::Value::Table(s)) = t.get_mut(section) {
        s.insert(key.to_string(), v);
    }
}

/// Whether the config with this key set is acceptable: its type (serde) and, for paths, that
/// it expands to an absolute path here.
fn check(t: &toml::Table, env: &ShellEnv, section: &str, key: &str) -> Result<(), String> {
    let cfg = Config::deserialize(toml::Value::Table(t.clone())).map_err(|e| {
        let m = e.to_string();
        m.lines().next().unwrap_or("not a valid value").to_string()
    })?;
    match cfg.env_problems(env).into_iter().find(|(s, k, _)| *s == section && *k == key) {
        Some((_, _, why)) => Err(why),
        None => Ok(()),
    }
}

/// Parses with recovery: a line holding a syntax error is blanked and the text parsed again
/// (bounded), so the error costs that line (for a value spanning lines, the line it starts on).
/// Returns the keys of known sections and the problems found (syntax, unknown names).
fn syntax(text: &str, schema: &toml::Table) -> (Vec<Entry>, Vec<Problem>) {
    let mut problems = Vec::new();
    let mut work = text.as_bytes().to_vec();
    let mut blanked: Vec<usize> = Vec::new();
    for _ in 0..MAX_ROUNDS {
        // line -> (offset for the column, message, key)
        let mut lines: Vec<BrokenLine> = Vec::new();
        {
            let w = std::str::from_utf8(&work).unwrap_or_default();
            let (tree, errs) = DeTable::parse_recoverable(w);
            if errs.is_empty() {
                break;
            }
            let leaves = leaves(tree.get_ref());
            for e in &errs {
                let off = e.span().map_or(0, |s| s.start);
                let leaf = leaves
                    .iter()
                    .filter(|l| l.val.start < l.val.end && l.val.start <= off && off <= l.val.end)
                    .min_by_key(|l| l.val.len());
                // The error belongs to the key whose value holds it (the line that key is on,
                // the column its value starts at), else to its own line and column.
                let (line, at) = match leaf {
                    Some(l) => (line_of(text, l.key.start), l.val.start),
                    None => (line_of(text, off), off),
                };
                let key = leaves
                    .iter()
                    .find(|l| line_of(text, l.key.start) == line)
                    .and_then(|l| Some((l.section.clone()?, l.key_name.clone())));
                let msg = e.message().lines().next().unwrap_or("syntax error").to_string();
                match lines.iter_mut().find(|x| x.0 == line) {
                    Some(x) if msg.starts_with("unclosed") && !x.2.starts_with("unclosed") => x.2 = msg,
                    Some(_) => {}
                    None => lines.push((line, at, msg, key)),
                }
            }
        }
        let mut progressed = false;
        for (line, at, msg, key) in lines {
            if blanked.contains(&line) {
                continue;
            }
            progressed = true;
            blanked.push(line);
            blank_line(&mut work, line);
            let known = key.filter(|(s, k)| schema.get(s).and_then(|t| t.get(k)).is_some());
            let what = match &known {
                Some((s, k)) => format!("`{s}.{k}`: syntax error: {msg}"),
                None => format!("syntax error: {msg}"),
            };
            problems.push(Problem { at, what, key: known });
        }
        if !progressed {
            break;
        }
    }
    let final_text = String::from_utf8(work).unwrap_or_default();
    let (tree, errs) = DeTable::parse_recoverable(&final_text);
    let last_errors: Vec<usize> = errs.iter().map(|e| e.span().map_or(0, |s| s.start)).collect();
    // Errors left after the rounds: report them, and drop the keys they touch.
    let bad_lines: Vec<usize> = last_errors.iter().map(|&o| line_of(text, o)).collect();
    for &o in &last_errors {
        problems.push(Problem {
            at: o,
            what: "syntax error".into(),
            key: None,
        });
    }
    let touches = |a: usize, b: usize| {
        let (la, lb) = (line_of(text, a), line_of(text, b));
        bad_lines.iter().any(|&l| la <= l && l <= lb)
    };

    let mut entries = Vec::new();
    let sections: Vec<&str> = schema.keys().map(String::as_str).collect();
    for (name, v) in tree.get_ref().iter() {
        let (name_at, name) = (name.span().start, name.get_ref().as_ref());
        let known = schema.get(name).and_then(|s| s.as_table());
        match (v.get_ref(), known) {
            (DeValue::Table(t), Some(keys)) => {
                for (k, val) in t.iter() {
                    let (key_at, key) = (k.span().start, k.get_ref().as_ref());
                    if touches(key_at, val.span().end) {
                        continue;
                    }
                    if !keys.contains_key(key) {
                        let near = nearest(key, keys.keys().map(String::as_str))
                            .map(|n| format!("{name}.{n}"))
                            .or_else(|| elsewhere(schema, key));
                        problems.push(Problem {
                            at: key_at,
                            what: unknown("key", &format!("{name}.{key}"), near.as_deref()),
                            key: None,
                        });
                        continue;
                    }
                    let Ok(value) = owned(val) else { continue };
                    let elems = match val.get_ref() {
                        DeValue::Array(a) => a.iter().filter_map(|x| Some((x.span().start, owned(x).ok()?))).collect(),
                        _ => Vec::new(),
                    };
                    entries.push(Entry {
                        section: name.to_string(),
                        key: key.to_string(),
                        key_at,
                        val_at: val.span().start,
                        value,
                        elems,
                    });
                }
            }
            (DeValue::Table(t), None) => {
                let near = nearest(name, sections.iter().copied());
                let n = t.len();
                let cost = match n {
                    0 => String::new(),
                    1 => "; its key is ignored".into(),
                    n => format!("; its {n} keys are ignored"),
                };
                problems.push(Problem {
                    at: name_at,
                    what: format!("{}{cost}", unknown("section", name, near)),
                    key: None,
                });
            }
            (_, Some(_)) => problems.push(Problem {
                at: name_at,
                what: format!("`{name}` must be a table, written [{name}]; its keys are ignored"),
                key: None,
            }),
            (_, None) => {
                let near = elsewhere(schema, name);
                problems.push(Problem {
                    at: name_at,
                    what: unknown("key", name, near.as_deref()),
                    key: None,
                });
            }
        }
    }
    entries.sort_by_key(|e| e.key_at);
    (entries, problems)
}

/// A line to blank: its 0-based number, the offset its column is taken from, the parser's
/// message, and the `(section, key)` written on it.
type BrokenLine = (usize, usize, String, Option<(String, String)>);

/// A key written in the wrong place: the `section.key` that has this name (or the nearest one).
fn elsewhere(schema: &toml::Table, key: &str) -> Option<String> {
    let all: Vec<(String, String)> = schema
        .iter()
        .filter_map(|(s, t)| Some(t.as_table()?.keys().map(|k| (s.clone(), k.clone())).collect::<Vec<_>>()))
        .flatten()
        .collect();
    if let Some((s, k)) = all.iter().find(|(_, k)| k == key) {
        return Some(format!("{s}.{k}"));
    }
    let near = nearest(key, all.iter().map(|(_, k)| k.as_str()))?;
    all.iter().find(|(_, k)| k == near).map(|(s, k)| format!("{s}.{k}"))
}

fn owned(v: &toml::Spanned<DeValue<'_>>) -> Result<toml::Value, toml::de::Error> {
    toml::Value::deserialize(toml::de::ValueDeserializer::from(v.clone()))
}

/// A key with a scalar (or array, or inline table) value, for finding the key a syntax error
/// belongs to.
struct Leaf {
    section: Option<String>,
    key_name: String,
    key: std::ops::Range<usize>,
    val: std::ops::Range<usize>,
}

fn leaves(t: &DeTable<'_>) -> Vec<Leaf> {
    let mut out = Vec::new();
    for (k, v) in t.iter() {
        match v.get_ref() {
            DeValue::Table(inner) => {
                for (ik, iv) in inner.iter() {
                    out.push(Leaf {
                        section: Some(k.get_ref().to_string()),
                        key_name: ik.get_ref().to_string(),
                        key: ik.span(),
                        val: iv.span(),
                    });
                }
            }
            _ => out.push(Leaf {
                section: None,
                key_name: k.get_ref().to_string(),
                key: k.span(),
                val: v.span(),
            }),
        }
    }
    out
}

/// 0-based line of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    let offset = offset.min(text.len());
    memchr::memchr_iter(b'\n', &text.as_bytes()[..offset]).count()
}

/// Replaces a line's bytes with spaces (its length and the offsets after it stay).
fn blank_line(work: &mut [u8], line: usize) {
    let mut start = 0;
    for _ in 0..line {
        match memchr::memchr(b'\n', &work[start..]) {
            Some(i) => start += i + 1,
            None => return,
        }
    }
    let end = memchr::memchr(b'\n', &work[start..]).map_or(work.len(), |i| start + i);
    work[start..end].fill(b' ');
}

fn unknown(kind: &str, name: &str, near: Option<&str>) -> String {
    match near {
        Some(n) => format!("unknown {kind} `{name}` (did you mean `{n}`?)"),
        None => format!("unknown {kind} `{name}`"),
    }
}

/// 1-based line and column (in characters) of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text.as_bytes()[..offset];
    let line = memchr::memchr_iter(b'\n', before).count() + 1;
    let start = memchr::memrchr(b'\n', before).map_or(0, |p| p + 1);
    let col = String::from_utf8_lossy(&before[start..]).chars().count() + 1;
    (line, col)
}

/// The known name closest to `name` (strsim's Damerau-Levenshtein distance), when it is close
/// enough to be a typo, or one is a prefix of the other (`golang` for `go`).
pub fn nearest<'a>(name: &str, known: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    known
        .filter_map(|k| {
            let d = strsim::damerau_levenshtein(name, k);
            let prefix = k.len() >= 2 && name.len() >= 2 && (name.starts_with(k) || k.starts_with(name));
            (d <= 2.max(k.len().max(name.len()) / 3) || prefix).then_some((d, k))
        })
        .min_by_key(|&(d, _)| d)
        .map(|(_, k)| k)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env() -> ShellEnv {
        ShellEnv::from_pairs([("HOME", "/home/u"), ("SDKS", "/opt/sdks")])
    }

    fn p(s: &str) -> Loaded {
        parse(Path::new("c.toml"), s.as_bytes(), &env(), None)
    }

    fn at(l: &Loaded) -> Vec<(usize, usize)> {
        l.issues.iter().map(|i| (i.line, i.column)).collect()
    }

    #[test]
    fn default_text_is_the_default_config_and_names_every_key() {
        let l = p(DEFAULT_TOML);
        assert!(l.issues.is_empty(), "{:?}", l.issues);
        assert_eq!(l.config, Config::default());
        // Every key of the struct is written (and documented) in the default file.
        for k in known_keys() {
            let (s, key) = k.split_once('.').unwrap();
            let in_section = DEFAULT_TOML
                .split(&format!("[{s}]"))
                .nth(1)
                .is_some_and(|rest| rest.split("\n[").next().unwrap().contains(&format!("\n{key} = ")));
            assert!(in_section, "{k} is missing from config.default.toml");
        }
        assert!(known_keys().contains(&"proxy.adopt".to_string()));
    }

    #[test]
    fn typo_names_nearest_key_with_line_and_column() {
        let l = p("[locale]\nlang = \"zh_CN.UTF-8\"\n  lcall = false\n");
        assert_eq!(at(&l), vec![(3, 3)]);
        assert!(l.issues[0].what.contains("`locale.lc_all`"), "{}", l.issues[0].what);
        assert_eq!(l.config.locale.lang, "zh_CN.UTF-8", "the good key still applies");
        assert!(l.config.locale.lc_all);
    }

    #[test]
    fn syntax_error_costs_its_line_only() {
        let l = p("[hook]\ninterval_secs = 3s\n[go]\nroot = \"/x\"\nmaxprocs = = 3\npath = \"/p\"\n");
        assert_eq!(at(&l), vec![(2, 17), (5, 12)], "{:?}", l.issues);
        assert!(l.issues[0].what.contains("`hook.interval_secs`: syntax error"), "{}", l.issues[0]);
        assert!(l.issues[0].what.ends_with("using 3"), "{}", l.issues[0]);
        assert_eq!(l.config.go.root, "/x");
        assert_eq!(l.config.go.path, "/p");
        assert_eq!(l.config.go.maxprocs, MaxProcs::Auto);
        // An unclosed array costs its own line, not the section after it.
        let l = p("[locale]\nlang = \"auto\"\nlc_all = [true\n[go]\nroot = \"/x\"\n");
        assert_eq!(l.issues.len(), 1, "{:?}", l.issues);
        assert_eq!((l.issues[0].line, l.issues[0].column), (3, 10));
        assert_eq!(l.config.go.root, "/x");
        // An unterminated string.
        let l = p("[go]\nroot = \"/unterminated\npath = \"/p\"\n[hook]\ninterval_secs = 5\n");
        assert_eq!(l.issues.len(), 1);
        assert_eq!(l.issues[0].line, 2);
        assert_eq!((l.config.go.path.as_str(), l.config.hook.interval_secs), ("/p", 5));
    }

    #[test]
    fn wrong_types_keep_default_or_last_good() {
        let text = "[go]\nmaxprocs = \"lots\"\nmemlimit = \"3GiB\"\n[proxy]\nport = 70000\nscheme = \"socks5h\"\n";
        let l = p(text);
        assert_eq!(at(&l), vec![(2, 12), (5, 8)], "{:?}", l.issues);
        assert_eq!(l.config.go.maxprocs, MaxProcs::Auto);
        assert_eq!(l.config.go.memlimit, MemLimit::Bytes(3 << 30));
        assert_eq!(l.config.proxy.port, None);
        assert_eq!(l.config.proxy.scheme, Scheme::Socks5h);
        let mut prev = Config::default();
        prev.go.maxprocs = MaxProcs::Fixed(4);
        prev.proxy.port = Some(7890);
        let l = parse(Path::new("c.toml"), text.as_bytes(), &env(), Some(&prev));
        assert_eq!(l.config.go.maxprocs, MaxProcs::Fixed(4));
        assert_eq!(l.config.proxy.port, Some(7890));
        assert!(l.issues[0].what.contains("keeping the last good value 4"), "{}", l.issues[0]);
        // A key that is gone from the file goes back to its default, whatever it was before.
        let l = parse(Path::new("c.toml"), b"", &env(), Some(&prev));
        assert_eq!(l.config, Config::default());
    }

    #[test]
    fn sections_and_top_level_keys() {
        let l = p("lang = \"C.UTF-8\"\n[golang]\nroot = \"/x\"\n[go]\npath = \"/p\"\n");
        assert_eq!(at(&l), vec![(1, 1), (2, 2)], "{:?}", l.issues);
        assert!(
            l.issues[0].what.contains("unknown key `lang` (did you mean `locale.lang`?)"),
            "{}",
            l.issues[0]
        );
        assert!(
            l.issues[1].what.contains("unknown section `golang` (did you mean `go`?)"),
            "{}",
            l.issues[1]
        );
        assert_eq!(l.config.go.path, "/p");
        assert_eq!(l.config.go.root, "auto");
        // Dotted keys and inline tables are the same keys.
        let l = p("go.root = \"/x\"\nlocale = { lang = \"C.UTF-8\", lc_all = 1 }\n[hook]\ninterval_secs = 5\n");
        assert_eq!(at(&l), vec![(2, 39)], "{:?}", l.issues);
        assert_eq!(l.config.go.root, "/x");
        assert_eq!(l.config.locale.lang, "C.UTF-8");
        assert!(l.config.locale.lc_all);
        assert_eq!(l.config.hook.interval_secs, 5);
    }

    #[test]
    fn warn_disable_costs_only_its_bad_ids() {
        let l = p("[warn]\ndisable = [\"drvfs-cwd\", \"go-mising\", \"proxy-timeout\"]\n");
        assert_eq!(at(&l), vec![(2, 25)], "{:?}", l.issues);
        assert!(l.issues[0].what.contains("(did you mean `go-missing`?)"), "{}", l.issues[0]);
        assert_eq!(l.config.warn.disable, vec!["drvfs-cwd", "proxy-timeout"]);
    }

    #[test]
    fn paths_expand_and_must_be_absolute() {
        let e = env();
        assert_eq!(expand_path("~/go", &e).unwrap(), PathBuf::from("/home/u/go"));
        assert_eq!(expand_path("$HOME/gopath", &e).unwrap(), PathBuf::from("/home/u/gopath"));
        assert_eq!(expand_path("${SDKS}/go1.22", &e).unwrap(), PathBuf::from("/opt/sdks/go1.22"));
        for bad in ["gopath", "$NOPE/x", "~bob/go", "${HOME", "$/x", "./go"] {
            assert!(expand_path(bad, &e).is_err(), "{bad}");
        }
        let l = p("[go]\nroot = \"~/sdk/go1.22.0\"\npath = \"work/go\"\n");
        assert_eq!(at(&l), vec![(3, 8)], "{:?}", l.issues);
        assert!(l.issues[0].what.contains("not an absolute path"), "{}", l.issues[0]);
        assert_eq!(l.config.go.path, "auto");
        assert_eq!(l.config.go.root_dir(&e).unwrap(), Some(PathBuf::from("/home/u/sdk/go1.22.0")));
        let l = p("[go]\npath = \"$HOME/gopath:${SDKS}/more\"\n");
        assert!(l.issues.is_empty(), "{:?}", l.issues);
        assert_eq!(
            l.config.go.gopath(&e).unwrap(),
            Some(PathBuf::from("/home/u/gopath:/opt/sdks/more"))
        );
    }

    #[test]
    fn hostile_text() {
        for t in [
            "\u{0}\u{1}garbage[[[",
            "[[go]]\nroot = 1\n",
            "go = 3\n",
            "[go]\nroot = '''x\n",
            "[locale",
        ] {
            let l = p(t);
            assert!(!l.issues.is_empty(), "{t:?}");
        }
        let l = parse(Path::new("c.toml"), b"[go]\nroot = \"/a\xff\"\npath = \"/p\"\n", &env(), None);
        assert_eq!(at(&l), vec![(2, 11)], "{:?}", l.issues);
        assert_eq!(l.config.go.path, "/p");
        assert!(load(Path::new("/dev/null"), &env(), None).issues.is_empty());
    }

    #[test]
    fn values() {
        assert_eq!(parse_size("3GiB"), Some(3 << 30));
        assert_eq!(parse_size("512MiB"), Some(512 << 20));
        assert_eq!(parse_size("0"), None);
        assert_eq!(parse_size("x"), None);
        let l = p("[go]\nmaxprocs = 4\n[proxy]\nport = 7890\n");
        assert_eq!(l.config.go.maxprocs, MaxProcs::Fixed(4));
        assert_eq!(l.config.proxy.port, Some(7890));
        // The cache's JSON round-trips.
        let json = serde_json::to_string(&l.config).unwrap();
        assert_eq!(serde_json::from_str::<Config>(&json).unwrap(), l.config);
    }
}
