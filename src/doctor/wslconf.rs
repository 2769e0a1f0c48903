//! `/etc/wsl.conf`, read the way WSL's own parser reads it (microsoft/WSL
//! src/shared/configfile: gitconfig-style `[section]` and `key = value`, names matched without
//! regard to case, `#` comments, values optionally in double quotes).
//!
//! WSL itself only prints `Unknown key 'x' in /etc/wsl.conf:N` on a console nobody watches
//! and goes on with its defaults, so a typo (`optios`) or a setting in the wrong file
//! silently does nothing. The most copied mistake is a `[wsl2]` section with `memory` and
//! `processors`: those are VM settings and live in `%UserProfile%\.wslconfig` on Windows.
//! Here every key is checked against the list WSL knows (WslDistributionConfig.cpp), with
//! the nearest known one for a typo, and every value against its kind.

use crate::sysroot::Sys;

/// The largest wsl.conf read; a real one is a few hundred bytes.
pub(crate) const MAX_WSLCONF: usize = 64 * 1024;

/// What kind of value a key takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Bool,
    Int,
    Str,
    /// `automount.cgroups`: `v1` or `v2`.
    Cgroups,
}

/// Every key WSL reads from /etc/wsl.conf, as `section.key`, with its kind.
pub(crate) const KEYS: &[(&str, Kind)] = &[
    ("automount.enabled", Kind::Bool),
    ("automount.root", Kind::Str),
    ("automount.options", Kind::Str),
    ("automount.mountFsTab", Kind::Bool),
    ("automount.ldconfig", Kind::Bool),
    ("automount.cgroups", Kind::Cgroups),
    ("filesystem.umask", Kind::Int),
    ("interop.appendWindowsPath", Kind::Bool),
    ("interop.enabled", Kind::Bool),
    ("network.generateHosts", Kind::Bool),
    ("network.generateResolvConf", Kind::Bool),
    ("network.hostname", Kind::Str),
    ("time.useWindowsTimezone", Kind::Bool),
    ("fileServer.enabled", Kind::Bool),
    ("fileServer.logFile", Kind::Str),
    ("fileServer.logLevel", Kind::Int),
    ("fileServer.logTruncate", Kind::Bool),
    ("gpu.enabled", Kind::Bool),
    ("gpu.appendLibPath", Kind::Bool),
    ("user.default", Kind::Str),
    ("boot.command", Kind::Str),
    ("boot.systemd", Kind::Bool),
    ("boot.initTimeout", Kind::Int),
    ("boot.protectBinfmt", Kind::Bool),
    ("general.guiApplications", Kind::Bool),
];

/// Sections of `%UserProfile%\.wslconfig` (the VM's settings), which WSL ignores here.
const WSLCONFIG_SECTIONS: &[&str] = &["wsl2", "experimental"];

/// One `key = value` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Entry {
    /// `section.key` as written.
    pub name: String,
    pub value: String,
    pub line: usize,
}

/// One thing wrong, with the line it is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Problem {
    pub line: usize,
    pub what: String,
    pub fix: String,
}

/// A parsed wsl.conf.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct WslConf {
    pub entries: Vec<Entry>,
    pub problems: Vec<Problem>,
    /// Keys found under a `.wslconfig` section (`wsl2.memory`, ...).
    pub misplaced: Vec<Entry>,
}

/// The outcome of reading the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Read {
    Missing,
    /// Exists but could not be read (a directory, a FIFO, permission), or is not text.
    Unreadable(String),
    Parsed(WslConf),
}

impl Read {
    pub(crate) fn conf(&self) -> Option<&WslConf> {
        match self {
            Read::Parsed(c) => Some(c),
            _ => None,
        }
    }

    /// The value of `section.key` (matched without regard to case), as WSL would take it.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.conf()?.get(name)
    }

    /// A boolean setting; `None` when absent or not a boolean (WSL then keeps its default).
    pub(crate) fn get_bool(&self, name: &str) -> Option<bool> {
        self.get(name).and_then(parse_bool)
    }
}

impl WslConf {
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        // WSL keeps the first of duplicated keys.
        self.entries
            .iter()
            .find(|e| e.name.eq_ignore_ascii_case(name))
            .map(|e| e.value.as_str())
    }
}

/// Reads `/etc/wsl.conf` through the sysroot, bounded.
pub(crate) fn read(sys: &Sys) -> Read {
    match sys.read_max("/etc/wsl.conf", MAX_WSLCONF + 1) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Read::Missing,
        Err(e) => Read::Unreadable(format!("cannot read /etc/wsl.conf: {}", super::io_why(&e))),
        Ok(b) if b.len() > MAX_WSLCONF => Read::Unreadable(format!("/etc/wsl.conf is larger than {} KiB", MAX_WSLCONF / 1024)),
        Ok(b) if b.contains(&0) => Read::Unreadable("/etc/wsl.conf is not a text file (it holds NUL bytes)".into()),
        Ok(b) => Read::Parsed(parse(&String::from_utf8_lossy(&b))),
    }
}

/// WSL's boolean spellings.
pub(crate) fn parse_bool(v: &str) -> Option<bool> {
    match v.to_ascii_lowercase().as_str() {
        "true" | "1" => Some(true),
        "false" | "0" => Some(false),
        _ => None,
    }
}

/// strtol with base 0: decimal, `0x` hex, leading-0 octal, optional sign.
fn parse_int(v: &str) -> bool {
    let s = v.strip_prefix(['-', '+']).unwrap_or(v);
    if let Some(h) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        !h.is_empty() && h.chars().all(|c| c.is_ascii_hexdigit())
    } else if s.len() > 1 && s.starts_with('0') {
        s.chars().all(|c| ('0'..='7').contains(&c))
    } else {
        !s.is_empty() && s.chars().all(|c| c.is_ascii_digit())
    }
}

/// The value part after `=`: a quoted string, or the text up to a `#` comment, trimmed.
fn value_of(raw: &str) -> String {
    let raw = raw.trim_start_matches([' ', '\t']);
    if let Some(q) = raw.strip_prefix('"') {
        let mut out = String::new();
        let mut chars = q.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => {
                    if let Some(n) = chars.next() {
                        out.push(n);
                    }
                }
                '"' => return out,
                c => out.push(c),
            }
        }
        return out;
    }
    raw.split('#').next().unwrap_or("").trim_end_matches([' ', '\t', '\r']).to_string()
}

fn known_sections() -> Vec<&'static str> {
    let mut v: Vec<&str> = KEYS.iter().map(|(k, _)| k.split('.').next().unwrap_or(k)).collect();
    v.dedup();
    v
}

/// Parses the text of a wsl.conf.
pub(crate) fn parse(text: &str) -> WslConf {
    let mut c = WslConf::default();
    let sections = known_sections();
    let mut section: Option<String> = None;
    let mut section_known = true;
    let mut seen: Vec<(String, usize)> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let n = i + 1;
        let line = raw.trim_start_matches([' ', '\t']).trim_end_matches('\r');
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(rest) = line.strip_prefix('[') {
            let Some((name, _)) = rest.split_once(']') else {
                c.problems.push(Problem {
                    line: n,
                    what: format!("line {n}: `{}` has no closing `]`", short(line)),
                    fix: "write the section as [name]".into(),
                });
                section = None;
                section_known = false;
                continue;
            };
            let name = name.trim().to_string();
            section_known = true;
            if WSLCONFIG_SECTIONS.iter().any(|s| s.eq_ignore_ascii_case(&name)) {
                section_known = false;
            } else if !sections.iter().any(|s| s.eq_ignore_ascii_case(&name)) {
                section_known = false;
                let near = crate::config::nearest(&name.to_ascii_lowercase(), sections.iter().copied());
                c.problems.push(Problem {
                    line: n,
                    what: format!("line {n}: unknown section [{name}]{}", did_you_mean(near.map(|s| format!("[{s}]")))),
                    fix: match near {
                        Some(s) => format!("rename it [{s}]"),
                        None => format!("remove it (known sections: {})", sections.join(", ")),
                    },
                });
            }
            section = Some(name);
            continue;
        }
        let Some((k, v)) = line.split_once('=') else {
            c.problems.push(Problem {
                line: n,
                what: format!("line {n}: `{}` is not `key = value`", short(line)),
                fix: "write it as key = value, or comment it out with #".into(),
            });
            continue;
        };
        let key = k.trim();
        let value = value_of(v);
        let full = match &section {
            Some(s) => format!("{s}.{key}"),
            None => key.to_string(),
        };
        let entry = Entry {
            name: full.clone(),
            value: value.clone(),
            line: n,
        };
        let Some(sec) = &section else {
            c.problems.push(Problem {
                line: n,
                what: format!("line {n}: `{key}` is outside any [section]"),
                fix: match KEYS
                    .iter()
                    .find(|(k, _)| k.split('.').nth(1).is_some_and(|x| x.eq_ignore_ascii_case(key)))
                {
                    Some((k, _)) => format!("put it under [{}]", k.split('.').next().unwrap_or("")),
                    None => "put it under its [section]".into(),
                },
            });
            continue;
        };
        if WSLCONFIG_SECTIONS.iter().any(|s| s.eq_ignore_ascii_case(sec)) {
            c.misplaced.push(entry);
            continue;
        }
        if !section_known {
            continue;
        }
        let Some((canon, kind)) = KEYS.iter().find(|(k, _)| k.eq_ignore_ascii_case(&full)) else {
            let in_section: Vec<&str> = KEYS
                .iter()
                .filter(|(k, _)| k.split('.').next().is_some_and(|s| s.eq_ignore_ascii_case(sec)))
                .filter_map(|(k, _)| k.split('.').nth(1))
                .collect();
            let lower: Vec<String> = in_section.iter().map(|k| k.to_ascii_lowercase()).collect();
            let near = crate::config::nearest(&key.to_ascii_lowercase(), lower.iter().map(String::as_str))
                .and_then(|l| in_section.iter().find(|k| k.to_ascii_lowercase() == l).copied());
            // A right key in the wrong section (`[network] systemd = true`).
            let elsewhere = KEYS
                .iter()
                .find(|(k, _)| k.split('.').nth(1).is_some_and(|x| x.eq_ignore_ascii_case(key)))
                .map(|(k, _)| *k);
            let (hint, fix) = match (near, elsewhere) {
                (Some(k), _) => (did_you_mean(Some(format!("`{k}`"))), format!("rename `{key}` to `{k}` in [{sec}]")),
                (None, Some(k)) => {
                    let s = k.split('.').next().unwrap_or("");
                    (format!(" (it belongs in [{s}])"), format!("move `{key}` to [{s}]"))
                }
                (None, None) => (
                    String::new(),
                    format!("remove `{key}` (known in [{sec}]: {})", in_section.join(", ")),
                ),
            };
            c.problems.push(Problem {
                line: n,
                what: format!("line {n}: unknown key `{key}` in [{sec}]{hint}"),
                fix,
            });
            continue;
        };
        if let Some((_, first)) = seen.iter().find(|(k, _)| k.eq_ignore_ascii_case(canon)) {
            c.problems.push(Problem {
                line: n,
                what: format!("line {n}: `{canon}` is set again (line {first} wins)"),
                fix: format!("remove one of lines {first} and {n}"),
            });
            continue;
        }
        seen.push((canon.to_string(), n));
        let bad = match kind {
            Kind::Bool => parse_bool(&value).is_none().then_some("true or false"),
            Kind::Int => (!parse_int(&value)).then_some("a number"),
            Kind::Cgroups => (!matches!(value.as_str(), "v1" | "v2")).then_some("v1 or v2"),
            Kind::Str => None,
        };
        if let Some(want) = bad {
            c.problems.push(Problem {
                line: n,
                what: format!("line {n}: `{canon}` = `{}` is not {want}; WSL uses its default", short(&value)),
                fix: format!(
                    "set {} = {}",
                    canon.split('.').nth(1).unwrap_or(canon),
                    want.split(' ').next().unwrap_or(want)
                ),
            });
            continue;
        }
        c.entries.push(Entry {
            name: canon.to_string(),
            ..entry
        });
    }
    c
}

fn did_you_mean(near: Option<String>) -> String {
    near.map(|n| format!(" (did you mean {n}?)")).unwrap_or_default()
}

/// A value cut for a one-line message.
fn short(s: &str) -> String {
    let t: String = s.chars().take(40).collect();
    if t.len() < s.len() { format!("{t}...") } else { t }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typo_gets_nearest_key() {
        let c = parse("[automount]\noptios = \"metadata\"\n");
        assert_eq!(c.problems.len(), 1);
        assert!(c.problems[0].what.contains("did you mean `options`"), "{:?}", c.problems);
        assert!(c.problems[0].fix.contains("rename `optios` to `options`"));
    }

    #[test]
    fn sections_keys_and_kinds() {
        let c = parse("[netwrk]\nx=1\n[network]\nsystemd=true\ngenerateResolvConf = maybe\n[Boot]\nSystemd=TRUE\ncommand=\"a # b\" # c\n");
        let w: Vec<&str> = c.problems.iter().map(|p| p.what.as_str()).collect();
        assert!(w[0].contains("[netwrk]") && w[0].contains("[network]"), "{w:?}");
        assert!(w[1].contains("belongs in [boot]"), "{w:?}");
        assert!(w[2].contains("not true or false"), "{w:?}");
        assert_eq!(w.len(), 3, "{w:?}");
        let r = Read::Parsed(c);
        assert_eq!(r.get_bool("boot.systemd"), Some(true), "case-insensitive names and values");
        assert_eq!(r.get("boot.command"), Some("a # b"));
    }

    #[test]
    fn wsl2_section_is_misplaced() {
        let c = parse("[boot]\nsystemd=true\n[wsl2]\nmemory=2GB\nprocessors=2\n");
        assert!(c.problems.is_empty());
        let m: Vec<&str> = c.misplaced.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(m, ["wsl2.memory", "wsl2.processors"]);
        assert_eq!(c.misplaced[0].line, 4);
    }

    #[test]
    fn ints_and_duplicates() {
        assert!(parse_int("0x3000") && parse_int("0644") && parse_int("-1") && !parse_int("0x") && !parse_int("09") && !parse_int(""));
        let c = parse("[boot]\nsystemd=true\nsystemd=false\ninitTimeout=10s\n");
        assert_eq!(c.problems.len(), 2, "{:?}", c.problems);
        assert!(c.problems[0].what.contains("line 2 wins"));
    }
}
