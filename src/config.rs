//! The config file (SPEC 4): `$XDG_CONFIG_HOME/wslgo/config.toml`, or `WSLGO_CONFIG`.
//! (long: the schema, the embedded defaults and the error-tolerant loader stay together until issue 13 rewrites config parsing)
//!
//! No file is needed: [`Config::default`] holds the embedded defaults, which are also the text
//! that `wslgo config init` writes ([`DEFAULT_TOML`]). A bad file never breaks a prompt: each key
//! is read on its own, so a typo or a wrong type costs only that key (its default is kept), and
//! every problem becomes an [`Issue`] with file, line, column and, for an unknown key, the
//! nearest known one.

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The commented default config, written by `wslgo config init`.
pub(crate) const DEFAULT_TOML: &str = include_str!("../shell/config.default.toml");

/// The largest config file read; the rest is ignored (and reported).
const MAX_CONFIG: usize = 256 * 1024;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Config {
    pub locale: LocaleCfg,
    pub go: GoCfg,
    pub proxy: ProxyCfg,
    pub hook: HookCfg,
    pub warn: WarnCfg,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct LocaleCfg {
    /// `auto` or a locale name such as `zh_CN.UTF-8`.
    pub lang: String,
    pub lc_all: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct GoCfg {
    /// `auto` or a path to an SDK.
    pub root: String,
    /// GOPATH: `auto` (= `$HOME/go`) or a path.
    pub path: String,
    pub maxprocs: MaxProcs,
    pub memlimit: MemLimit,
    pub goproxy: String,
    pub goproxy_direct: String,
    pub goprivate: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum MaxProcs {
    Auto,
    Floor,
    Off,
    #[serde(untagged)]
    Fixed(u32),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Scheme::Http => "http",
            Scheme::Socks5 => "socks5",
            Scheme::Socks5h => "socks5h",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct ProxyCfg {
    pub mode: ProxyMode,
    /// `auto` or an address or name.
    pub host: String,
    /// `None` = auto: the first that answers of [`AUTO_PORTS`].
    pub port: Option<u16>,
    pub scheme: Scheme,
    pub no_proxy: Vec<String>,
    pub recheck_secs: u64,
    /// Manage the proxy variables the shell started with when they point at the Windows host
    /// (SPEC 5.4: WSL's autoProxy copy): unset while the proxy is down, back when it is up.
    pub adopt: bool,
}

/// The ports `port = "auto"` tries, in order (Clash, Clash Verge, v2rayN socks/http, common socks).
pub const AUTO_PORTS: &[u16] = &[7890, 7897, 10808, 10809, 1080];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct HookCfg {
    pub interval_secs: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub(crate) struct WarnCfg {
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

/// One problem found in a config file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Issue {
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
pub(crate) struct Loaded {
    pub config: Config,
    /// The file read, or `None` when there was none (the defaults serve).
    pub file: Option<PathBuf>,
    pub issues: Vec<Issue>,
}

/// Where the config lives ([`crate::paths::config_file`]), or why there is none.
pub(crate) fn path_from(env: &crate::shellenv::ShellEnv) -> Result<PathBuf, String> {
    crate::paths::config_file(env)
}

/// The config at `path`, or the defaults when there is no path.
pub(crate) fn load_from(path: &Result<PathBuf, String>) -> Loaded {
    match path {
        Ok(p) => load(p),
        Err(_) => Loaded::default(),
    }
}

/// Loads the config at `path`. A missing file is no problem; anything else wrong is an issue.
pub(crate) fn load(path: &Path) -> Loaded {
    match crate::sysroot::read_bounded(path, MAX_CONFIG + 1) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Loaded::default(),
        Err(e) => Loaded {
            config: Config::default(),
            file: Some(path.to_path_buf()),
            issues: vec![Issue {
                file: path.into(),
                line: 1,
                column: 1,
                what: format!("cannot read: {e}"),
            }],
        },
        Ok(bytes) => {
            let mut l = parse(path, &bytes);
            l.file = Some(path.to_path_buf());
            l
        }
    }
}

/// Parses config text; the file name only labels the issues.
pub(crate) fn parse(file: &Path, bytes: &[u8]) -> Loaded {
    let mut out = Loaded {
        config: Config::default(),
        file: Some(file.to_path_buf()),
        issues: Vec::new(),
    };
    let issue = |line, column, what: String| Issue {
        file: file.to_path_buf(),
        line,
        column,
        what,
    };
    if bytes.len() > MAX_CONFIG {
        out.issues
            .push(issue(1, 1, format!("file larger than {MAX_CONFIG} bytes; defaults used")));
        return out;
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let (l, c) = line_col(&String::from_utf8_lossy(&bytes[..e.valid_up_to()]), e.valid_up_to());
            out.issues.push(issue(l, c, "not valid UTF-8; defaults used".into()));
            return out;
        }
    };
    let table: toml::Table = match text.parse() {
        Ok(t) => t,
        Err(e) => {
            let (l, c) = e.span().map(|s| line_col(text, s.start)).unwrap_or((1, 1));
            let msg = e.message().lines().next().unwrap_or("syntax error").to_string();
            out.issues.push(issue(l, c, format!("syntax error: {msg}; defaults used")));
            return out;
        }
    };
    let mut cfg = Config::default();
    for (section, value) in &table {
        let Some(keys) = SECTIONS.iter().find(|(s, _)| s == section).map(|(_, k)| *k) else {
            let (l, c) = locate(text, None, section);
            let near = nearest(section, SECTIONS.iter().map(|(s, _)| *s));
            out.issues.push(issue(l, c, unknown("section", section, near)));
            continue;
        };
        let Some(t) = value.as_table() else {
            let (l, c) = locate(text, None, section);
            out.issues.push(issue(l, c, format!("`{section}` must be a table ([{section}])")));
            continue;
        };
        for (key, v) in t {
            let (l, c) = locate(text, Some(section), key);
            if !keys.contains(&key.as_str()) {
                out.issues.push(issue(
                    l,
                    c,
                    unknown(
                        "key",
                        &format!("{section}.{key}"),
                        nearest(key, keys.iter().copied()).map(|k| format!("{section}.{k}")).as_deref(),
                    ),
                ));
                continue;
            }
            if let Err(what) = set_key(&mut cfg, section, key, v) {
                out.issues.push(issue(l, c, format!("`{section}.{key}`: {what}; default kept")));
            }
        }
    }
    out.config = cfg;
    out
}

fn unknown(kind: &str, name: &str, near: Option<&str>) -> String {
    match near {
        Some(n) => format!("unknown {kind} `{name}` (did you mean `{n}`?)"),
        None => format!("unknown {kind} `{name}`"),
    }
}

/// The known sections and their keys.
pub(crate) const SECTIONS: &[(&str, &[&str])] = &[
    ("locale", &["lang", "lc_all"]),
    (
        "go",
        &["root", "path", "maxprocs", "memlimit", "goproxy", "goproxy_direct", "goprivate"],
    ),
    ("proxy", &["mode", "host", "port", "scheme", "no_proxy", "recheck_secs", "adopt"]),
    ("hook", &["interval_secs"]),
    ("warn", &["disable"]),
];

fn set_key(cfg: &mut Config, section: &str, key: &str, v: &toml::Value) -> Result<(), String> {
    let s = || {
        v.as_str()
            .map(str::to_string)
            .ok_or_else(|| format!("expected a string, found {}", v.type_str()))
    };
    let b = || v.as_bool().ok_or_else(|| format!("expected true or false, found {}", v.type_str()));
    let secs = |max: u64| match v.as_integer() {
        Some(n) if n >= 0 && (n as u64) <= max => Ok(n as u64),
        Some(n) => Err(format!("{n} is out of range 0..={max}")),
        None => Err(format!("expected a whole number of seconds, found {}", v.type_str())),
    };
    let strs = || match v.as_array() {
        Some(a) => a
            .iter()
            .map(|x| {
                x.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| "expected a list of strings".to_string())
            })
            .collect(),
        None => Err(format!("expected a list of strings, found {}", v.type_str())),
    };
    match (section, key) {
        ("locale", "lang") => cfg.locale.lang = nonempty(s()?)?,
        ("locale", "lc_all") => cfg.locale.lc_all = b()?,
        ("go", "root") => cfg.go.root = nonempty(s()?)?,
        ("go", "path") => cfg.go.path = nonempty(s()?)?,
        ("go", "maxprocs") => cfg.go.maxprocs = parse_maxprocs(v)?,
        ("go", "memlimit") => cfg.go.memlimit = parse_memlimit(v)?,
        ("go", "goproxy") => cfg.go.goproxy = s()?,
        ("go", "goproxy_direct") => cfg.go.goproxy_direct = s()?,
        ("go", "goprivate") => cfg.go.goprivate = s()?,
        ("proxy", "mode") => {
            cfg.proxy.mode = match s()?.as_str() {
                "auto" => ProxyMode::Auto,
                "on" => ProxyMode::On,
                "off" => ProxyMode::Off,
                o => return Err(format!("`{o}` is not one of auto, on, off")),
            }
        }
        ("proxy", "host") => cfg.proxy.host = nonempty(s()?)?,
        ("proxy", "port") => {
            cfg.proxy.port = match (v.as_str(), v.as_integer()) {
                (Some("auto"), _) => None,
                (_, Some(n)) if (1..=65535).contains(&n) => Some(n as u16),
                (_, Some(n)) => return Err(format!("port {n} is out of range 1..=65535")),
                _ => return Err("expected \"auto\" or a port number".into()),
            }
        }
        ("proxy", "scheme") => {
            cfg.proxy.scheme = match s()?.as_str() {
                "http" => Scheme::Http,
                "socks5" => Scheme::Socks5,
                "socks5h" => Scheme::Socks5h,
                o => return Err(format!("`{o}` is not one of http, socks5, socks5h")),
            }
        }
        ("proxy", "no_proxy") => cfg.proxy.no_proxy = strs()?,
        ("proxy", "recheck_secs") => cfg.proxy.recheck_secs = secs(86_400)?,
        ("proxy", "adopt") => cfg.proxy.adopt = b()?,
        ("hook", "interval_secs") => cfg.hook.interval_secs = secs(86_400)?,
        ("warn", "disable") => {
            let ids: Vec<String> = strs()?;
            if let Some(bad) = ids.iter().find(|i| !crate::warn::IDS.contains(&i.as_str())) {
                let near = nearest(bad, crate::warn::IDS.iter().copied());
                return Err(unknown("warning id", bad, near));
            }
            cfg.warn.disable = ids;
        }
        _ => unreachable!("key list and setter agree"),
    }
    Ok(())
}

fn nonempty(s: String) -> Result<String, String> {
    if s.is_empty() {
        Err("must not be empty (use \"auto\")".into())
    } else {
        Ok(s)
    }
}

fn parse_maxprocs(v: &toml::Value) -> Result<MaxProcs, String> {
    match (v.as_str(), v.as_integer()) {
        (Some("auto"), _) => Ok(MaxProcs::Auto),
        (Some("floor"), _) => Ok(MaxProcs::Floor),
        (Some("off"), _) => Ok(MaxProcs::Off),
        (_, Some(n)) if (1..=1_000_000).contains(&n) => Ok(MaxProcs::Fixed(n as u32)),
        (Some(s), _) if s.parse::<u32>().is_ok_and(|n| n >= 1) => Ok(MaxProcs::Fixed(s.parse().unwrap_or(1))),
        _ => Err("expected auto, floor, off or a whole number >= 1".into()),
    }
}

fn parse_memlimit(v: &toml::Value) -> Result<MemLimit, String> {
    match (v.as_str(), v.as_integer()) {
        (Some("auto"), _) => Ok(MemLimit::Auto),
        (Some("off"), _) => Ok(MemLimit::Off),
        (_, Some(n)) if n > 0 => Ok(MemLimit::Bytes(n as u64)),
        (Some(s), _) => parse_size(s)
            .map(MemLimit::Bytes)
            .ok_or_else(|| format!("`{s}` is not auto, off or a size like 3GiB")),
        _ => Err("expected auto, off, a number of bytes or a size like \"3GiB\"".into()),
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

/// 1-based line and column (in characters) of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text.as_bytes()[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let start = before.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
    let col = String::from_utf8_lossy(&before[start..]).chars().count() + 1;
    (line, col)
}

/// Finds where a key (or, with `section = None`, a section header) is written, for an issue's
/// line and column: the first line, inside that section, that starts with the key.
fn locate(text: &str, section: Option<&str>, key: &str) -> (usize, usize) {
    let mut in_section = section.is_none();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim_start();
        let indent = raw.len() - line.len();
        if let Some(h) = line.strip_prefix('[') {
            let name = h.split(']').next().unwrap_or("").trim().trim_matches('"');
            match section {
                None if name == key => return (i + 1, indent + 2),
                Some(s) => in_section = name == s,
                None => {}
            }
            continue;
        }
        if let (true, Some(s)) = (in_section, section) {
            let _ = s;
            let bare = line.trim_start_matches(['"', '\'']);
            if let Some(rest) = bare.strip_prefix(key) {
                let rest = rest.trim_start_matches(['"', '\'']).trim_start();
                if rest.starts_with('=') {
                    return (i + 1, indent + 1);
                }
            }
        }
    }
    (1, 1)
}

/// The known name closest to `name` by edit distance, when it is close enough to be a typo.
pub(crate) fn nearest<'a>(name: &str, known: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    known
        .map(|k| (levenshtein(name, k), k))
        .filter(|&(d, k)| d <= 2.max(k.len() / 3))
        .min_by_key(|&(d, _)| d)
        .map(|(_, k)| k)
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Loaded {
        parse(Path::new("c.toml"), s.as_bytes())
    }

    #[test]
    fn default_text_is_the_default_config() {
        let l = p(DEFAULT_TOML);
        assert!(l.issues.is_empty(), "{:?}", l.issues);
        assert_eq!(l.config, Config::default());
    }

    #[test]
    fn typo_names_nearest_key_with_line_and_column() {
        let l = p("[locale]\nlang = \"zh_CN.UTF-8\"\n  lcall = false\n");
        assert_eq!(l.issues.len(), 1);
        let i = &l.issues[0];
        assert_eq!((i.line, i.column), (3, 3));
        assert!(i.what.contains("`locale.lc_all`"), "{}", i.what);
        assert_eq!(l.config.locale.lang, "zh_CN.UTF-8", "the good key still applies");
        assert!(l.config.locale.lc_all);
    }

    #[test]
    fn syntax_error_has_position_and_keeps_defaults() {
        let l = p("[go]\nroot = \"/x\"\nmaxprocs = = 3\n");
        assert_eq!(l.issues.len(), 1);
        assert_eq!(l.issues[0].line, 3, "{}", l.issues[0]);
        assert_eq!(l.config, Config::default());
    }

    #[test]
    fn wrong_types_keep_default() {
        let l = p(
            "[go]\nmaxprocs = \"lots\"\nmemlimit = \"3GiB\"\n[proxy]\nport = 70000\nscheme = \"socks5h\"\n[warn]\ndisable = [\"go-mising\"]\n",
        );
        assert_eq!(l.issues.len(), 3, "{:?}", l.issues);
        assert_eq!(l.config.go.maxprocs, MaxProcs::Auto);
        assert_eq!(l.config.go.memlimit, MemLimit::Bytes(3 << 30));
        assert_eq!(l.config.proxy.port, None);
        assert_eq!(l.config.proxy.scheme, Scheme::Socks5h);
        assert!(l.issues[2].what.contains("go-missing"));
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
        assert!(!p("[nope]\n").issues.is_empty());
        assert!(!p("\u{0}\u{1}garbage[[[").issues.is_empty());
    }
}
