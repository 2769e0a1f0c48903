//! Limit parsing: CPU quotas (v1 and v2) and memory limits read level by level, strictly.

use super::short;
use super::{Located, MAX_NUMBER_FILE, MAX_STAT_FILE, MEM_UNLIMITED, MemLimit, Quota, Search, Version};
use crate::sysroot::Sys;
use std::io::ErrorKind;
use std::path::Path;

/// A file's text, `Ok(None)` when it does not exist (that level sets no limit), `Err` with a
/// problem line when it exists but cannot be used.
pub(super) fn read_small(sys: &Sys, file: &Path, max: usize) -> Result<Option<Vec<u8>>, String> {
    match sys.read_attr(file, max + 1) {
        Ok(b) if b.len() > max => Err(format!("{}: longer than {max} bytes", file.display())),
        Ok(b) => Ok(Some(b)),
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("{}: cannot read: {}", file.display(), crate::sysroot::io_why(&e))),
    }
}

/// A decimal number: ASCII digits, an optional leading `-`, surrounding whitespace (the
/// kernel's newline, or none) allowed, nothing else.
pub(crate) fn parse_int(b: &[u8]) -> Option<i64> {
    let t = b.trim_ascii();
    let digits = t.strip_prefix(b"-").unwrap_or(t);
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(t).ok()?.parse().ok()
}

/// The v1 quota of one level (`cpu.cfs_quota_us` / `cpu.cfs_period_us`): `Ok(None)` for -1
/// (no quota) or a missing quota file.
pub(crate) fn v1_quota(sys: &Sys, dir: &Path, up: usize) -> Result<Option<Quota>, String> {
    let qf = dir.join("cpu.cfs_quota_us");
    let Some(q) = read_small(sys, &qf, MAX_NUMBER_FILE)? else {
        return Ok(None);
    };
    let quota = match parse_int(&q) {
        Some(-1) => return Ok(None),
        Some(n) if n > 0 => n as u64,
        _ => return Err(format!("{}: not a quota (-1 or a positive number): {:?}", qf.display(), short(&q))),
    };
    let pf = dir.join("cpu.cfs_period_us");
    let p = read_small(sys, &pf, MAX_NUMBER_FILE)?.ok_or_else(|| format!("{}: missing (the quota needs it)", pf.display()))?;
    let period = match parse_int(&p) {
        Some(n) if n > 0 => n as u64,
        _ => return Err(format!("{}: not a period (a positive number): {:?}", pf.display(), short(&p))),
    };
    Ok(Some(Quota {
        quota,
        period,
        file: qf,
        up,
    }))
}

/// The v2 quota of one level (`cpu.max`, `$MAX $PERIOD`): `Ok(None)` for `max` or a missing file.
pub(crate) fn v2_quota(sys: &Sys, dir: &Path, up: usize) -> Result<Option<Quota>, String> {
    let f = dir.join("cpu.max");
    let Some(b) = read_small(sys, &f, MAX_NUMBER_FILE)? else {
        return Ok(None);
    };
    let bad = || format!("{}: not `max PERIOD` or `QUOTA PERIOD`: {:?}", f.display(), short(&b));
    let fields: Vec<&[u8]> = b.split(u8::is_ascii_whitespace).filter(|s| !s.is_empty()).collect();
    let [q, p] = fields[..] else {
        return Err(bad());
    };
    let period = match parse_int(p) {
        Some(n) if n > 0 => n as u64,
        _ => return Err(bad()),
    };
    if q == b"max" {
        return Ok(None);
    }
    let quota = match parse_int(q) {
        Some(n) if n > 0 => n as u64,
        _ => return Err(bad()),
    };
    Ok(Some(Quota {
        quota,
        period,
        file: f,
        up,
    }))
}

/// The tightest quota over the cgroup and its ancestors.
pub(super) fn cpu_search(sys: &Sys, loc: Result<Located, String>) -> Search<Quota> {
    let (mut s, loc, lv) = match Search::start(loc) {
        Ok(t) => t,
        Err(s) => return s,
    };
    for (up, dir) in lv.iter().enumerate() {
        let r = match loc.version {
            Version::V1 => v1_quota(sys, dir, up),
            Version::V2 => v2_quota(sys, dir, up),
        };
        match r {
            Ok(Some(q)) => {
                if s.limit.as_ref().is_none_or(|best| q.tighter_than(best)) {
                    s.limit = Some(q);
                }
            }
            Ok(None) => {}
            Err(e) => s.problems.push(e),
        }
    }
    s
}

/// A byte count, `Ok(None)` for `max` (v2) or a value at or above [`MEM_UNLIMITED`].
pub(super) fn parse_bytes(b: &[u8], what: &str) -> Result<Option<u64>, String> {
    if b.trim_ascii() == b"max" {
        return Ok(None);
    }
    match parse_int(b) {
        Some(n) if n >= MEM_UNLIMITED as i64 => Ok(None),
        Some(n) if n > 0 => Ok(Some(n as u64)),
        // The maximum i64 and above overflow i64 but still mean "none".
        None if b.trim_ascii().len() >= 19 && b.trim_ascii().iter().all(u8::is_ascii_digit) => Ok(None),
        _ => Err(format!("{what}: not a positive number of bytes: {:?}", short(b))),
    }
}

/// The memory limits of one level: v1 `memory.limit_in_bytes` and memory.stat's
/// `hierarchical_memory_limit`; v2 `memory.max`.
pub(super) fn mem_level(sys: &Sys, v: Version, dir: &Path, up: usize, out: &mut Vec<MemLimit>, problems: &mut Vec<String>) {
    let files: &[(&str, Option<&'static str>)] = match v {
        Version::V1 => &[("memory.limit_in_bytes", None), ("memory.stat", Some("hierarchical_memory_limit"))],
        Version::V2 => &[("memory.max", None)],
    };
    for (name, key) in files {
        // hierarchical_memory_limit already folds in every ancestor (even those above the
        // mount root), so the leaf's is enough; a parent's would only repeat it.
        if key.is_some() && up > 0 {
            continue;
        }
        let f = dir.join(name);
        let max = if key.is_some() { MAX_STAT_FILE } else { MAX_NUMBER_FILE };
        let b = match read_small(sys, &f, max) {
            Ok(Some(b)) => b,
            Ok(None) => continue,
            Err(e) => {
                problems.push(e);
                continue;
            }
        };
        let value: &[u8] = match key {
            None => &b,
            Some(k) => {
                let found = b.split(|&c| c == b'\n').find_map(|l| {
                    let (name, rest) = l.split_at(l.iter().position(|&c| c == b' ')?);
                    (name == k.as_bytes()).then_some(rest)
                });
                match found {
                    Some(v) => v,
                    None => continue,
                }
            }
        };
        let label = match key {
            None => f.display().to_string(),
            Some(k) => format!("{} {k}", f.display()),
        };
        match parse_bytes(value, &label) {
            Ok(Some(bytes)) => out.push(MemLimit {
                bytes,
                file: f,
                key: *key,
                up,
            }),
            Ok(None) => {}
            Err(e) => problems.push(e),
        }
    }
}

/// The tightest memory limit over the cgroup and its ancestors.
pub(super) fn mem_search(sys: &Sys, loc: Result<Located, String>) -> Search<MemLimit> {
    let (mut s, loc, lv) = match Search::start(loc) {
        Ok(t) => t,
        Err(s) => return s,
    };
    let mut found = Vec::new();
    for (up, dir) in lv.iter().enumerate() {
        mem_level(sys, loc.version, dir, up, &mut found, &mut s.problems);
    }
    // The tightest. On a tie, the level's own limit file wins over a hierarchical_memory_limit
    // (which only repeats an ancestor's), then the level nearest the shell's cgroup: the reason
    // then names the file where the limit was actually set.
    s.limit = found.into_iter().min_by_key(|m| (m.bytes, m.key.is_some(), m.up));
    s
}
