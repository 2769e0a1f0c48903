//! Loading the config file: the recoverable parse, each key checked against the [`Config`]
//! struct, problems with line and column, the last good value of a broken key.

use super::{Config, MAX_CONFIG, MAX_ROUNDS, nearest, unknown};
use crate::shellenv::ShellEnv;
use serde::Deserialize;
use std::path::{Path, PathBuf};
use toml::de::{DeTable, DeValue};

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
    /// In line order.
    pub issues: Vec<Issue>,
}

/// Where the config lives ([`crate::paths::config_file`]), or why there is none.
pub(crate) fn path_from(env: &ShellEnv) -> Result<PathBuf, String> {
    crate::paths::config_file(env)
}

/// The config at `path`, or the defaults when there is no path.
pub(crate) fn load_from(path: &Result<PathBuf, String>, env: &ShellEnv, prev: Option<&Config>) -> Loaded {
    match path {
        Ok(p) => load(p, env, prev),
        Err(_) => Loaded::default(),
    }
}

/// `WSLGO_CONFIG=/dev/null`: no config at all, and no problem.
pub(crate) fn is_null(path: &Path) -> bool {
    path == Path::new("/dev/null")
}

/// Loads the config at `path`. A missing file (or /dev/null) is no problem; anything else wrong
/// is an issue. `env` expands paths; `prev` is the config in force before (the hook's cache),
/// whose values a broken key keeps.
pub(crate) fn load(path: &Path, env: &ShellEnv, prev: Option<&Config>) -> Loaded {
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
pub(crate) fn parse(file: &Path, bytes: &[u8], env: &ShellEnv, prev: Option<&Config>) -> Loaded {
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
    // The usual file has no mistake: all its keys are checked at once (one deserialization),
    // and only a file with a mistake is taken apart key by key to find which.
    let mut all = schema.clone();
    for e in &entries {
        set(&mut all, &e.section, &e.key, e.value.clone());
    }
    let whole = Config::deserialize(toml::Value::Table(all.clone()))
        .ok()
        .filter(|c| c.env_problems(env).is_empty());
    let mut good = schema.clone();
    let per_key = if whole.is_some() {
        good = all;
        &[][..]
    } else {
        &entries[..]
    };
    for e in per_key {
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
    let config = match whole {
        Some(c) if problems.is_empty() => c,
        _ => Config::deserialize(toml::Value::Table(good)).unwrap_or_default(),
    };
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
#[cfg(test)]
pub(crate) fn known_keys() -> Vec<String> {
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

/// 1-based line and column (in characters) of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text.as_bytes()[..offset];
    let line = memchr::memchr_iter(b'\n', before).count() + 1;
    let start = memchr::memrchr(b'\n', before).map_or(0, |p| p + 1);
    let col = String::from_utf8_lossy(&before[start..]).chars().count() + 1;
    (line, col)
}
