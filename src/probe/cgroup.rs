//! The shell's cgroup limits (SPEC 5.3): which cgroup directory holds the CPU and memory
//! controllers for this process, the tightest CPU quota and memory limit over that cgroup and
//! its ancestors, and how many CPUs the affinity mask allows.
//!
//! Why walk the ancestors: a WSL distro, a systemd slice or a container runtime often puts the
//! limit on a parent (`user.slice`, the container's own cgroup) and runs the shell in a child
//! without one. Go's own detection (>= 1.25) reads only the leaf and misses that.
//!
//! Why so careful with the text: the files come from the kernel on a real system, but under
//! `WSLGO_SYSROOT` (and on odd container setups) they can be anything. Every read is bounded,
//! every number is parsed strictly, a path that would climb out of its mount (`..`) is refused,
//! and each thing that could not be used becomes a problem string for `wslgo env`, never a
//! panic. This module only finds and reads; what GOMAXPROCS/GOMEMLIMIT become is decided in
//! [`crate::plan::limits`].

use super::mountinfo::{self, Mount};
use crate::sysroot::Sys;
use std::ffi::OsStr;
use std::io::ErrorKind;
use std::os::unix::ffi::OsStrExt;
use std::path::{Component, Path, PathBuf};

/// Longest `/proc/self/cgroup` read (a real one is a few hundred bytes).
const MAX_CGROUP_FILE: usize = 64 * 1024;
/// Longest limit file read; `cpu.max` is at most two 20-digit numbers. Longer is malformed.
const MAX_NUMBER_FILE: usize = 64;
/// Longest `memory.stat` read (v1 has ~40 lines).
const MAX_STAT_FILE: usize = 16 * 1024;
/// Longest `/proc/self/status` read.
const MAX_STATUS_FILE: usize = 64 * 1024;
/// The kernel's PATH_MAX: a longer cgroup directory cannot be opened anyway.
const PATH_MAX: usize = 4096;
/// At most this many levels are read, leaf first (real hierarchies are under 10 deep).
const MAX_LEVELS: usize = 32;
/// Limits at or above 2^62 bytes mean "none" (v1 writes 2^63-4096 for unlimited).
pub const MEM_UNLIMITED: u64 = 1 << 62;

/// Which cgroup hierarchy a directory belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    V1,
    V2,
}

/// A controller's cgroup directory for this process.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    pub version: Version,
    /// The cgroup's directory (a system path; read through [`Sys`]).
    pub dir: PathBuf,
    /// The mount point of the hierarchy: the walk up the ancestors stops here.
    pub mount_point: PathBuf,
}

/// The CPU quota of one level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quota {
    /// Microseconds of CPU time per period (> 0).
    pub quota: u64,
    /// Period in microseconds (> 0).
    pub period: u64,
    /// The file that set it (system path).
    pub file: PathBuf,
    /// Levels above the shell's cgroup (0 = the cgroup itself).
    pub up: usize,
}

impl Quota {
    /// True when this quota allows fewer CPUs than `o`.
    pub fn tighter_than(&self, o: &Quota) -> bool {
        u128::from(self.quota) * u128::from(o.period) < u128::from(o.quota) * u128::from(self.period)
    }
}

/// The memory limit of one level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemLimit {
    pub bytes: u64,
    pub file: PathBuf,
    /// Which value of the file (`hierarchical_memory_limit` in memory.stat), if not the whole file.
    pub key: Option<&'static str>,
    pub up: usize,
}

/// The result of looking for one limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Search<T> {
    /// The controller's cgroup, or why it was not found.
    pub cgroup: Result<Located, String>,
    /// The tightest limit found over the cgroup and its ancestors.
    pub limit: Option<T>,
    /// Files that exist but could not be used (unreadable, malformed), one line each.
    pub problems: Vec<String>,
}

impl<T> Search<T> {
    fn not_found(why: String) -> Search<T> {
        Search {
            cgroup: Err(why),
            limit: None,
            problems: Vec::new(),
        }
    }

    /// The common start of a search: the located cgroup and its levels, or the finished
    /// (empty) search that says why there are none.
    #[allow(clippy::type_complexity)]
    fn start(loc: Result<Located, String>) -> Result<(Search<T>, Located, Vec<PathBuf>), Search<T>> {
        let loc = loc.map_err(Search::not_found)?;
        let mut s = Search {
            cgroup: Ok(loc.clone()),
            limit: None,
            problems: Vec::new(),
        };
        match levels(&loc) {
            Ok(lv) => Ok((s, loc, lv)),
            Err(e) => {
                s.problems.push(e);
                Err(s)
            }
        }
    }
}

/// How many CPUs this process may run on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Affinity {
    /// `None` when it could not be learned.
    pub cpus: Option<u32>,
    /// Where the count came from (or why there is none), for `wslgo env`.
    pub source: String,
}

/// Everything the limits planner needs.
#[derive(Debug, Clone)]
pub struct Limits {
    pub cpu: Search<Quota>,
    pub mem: Search<MemLimit>,
    pub affinity: Affinity,
}

/// Reads what is needed: the CPU quota and affinity when `cpu`, the memory limit when `mem`.
/// What is not needed is not read (a refresh is on the prompt's hot path).
pub fn probe(sys: &Sys, cpu: bool, mem: bool) -> Limits {
    let (cg, mi) = if cpu || mem {
        (sys.read_max("/proc/self/cgroup", MAX_CGROUP_FILE), sys.read("/proc/self/mountinfo"))
    } else {
        (Ok(Vec::new()), Ok(Vec::new()))
    };
    let ctx = match (&cg, &mi) {
        (Ok(c), Ok(m)) => Ok((c.as_slice(), parse_mounts(m))),
        (Err(e), _) => Err(format!("cannot read /proc/self/cgroup: {e}")),
        (_, Err(e)) => Err(format!("cannot read /proc/self/mountinfo: {e}")),
    };
    let find = |controller: &str| match &ctx {
        Ok((c, m)) => locate(c, m, controller),
        Err(e) => Err(e.clone()),
    };
    Limits {
        cpu: if cpu {
            cpu_search(sys, find("cpu"))
        } else {
            Search::not_found("not needed".into())
        },
        mem: if mem {
            mem_search(sys, find("memory"))
        } else {
            Search::not_found("not needed".into())
        },
        affinity: if cpu {
            affinity(sys)
        } else {
            Affinity {
                cpus: None,
                source: "not needed".into(),
            }
        },
    }
}

/// The mounts of a mountinfo file, without lines whose escapes the kernel could not have
/// written (it escapes every backslash as `\134`, so a lone `\` means the line was not made
/// by the kernel; Go's runtime rejects those too).
pub fn parse_mounts(text: &[u8]) -> Vec<Mount> {
    text.split(|&b| b == b'\n')
        .filter(|l| escapes_valid(l))
        .filter_map(mountinfo::parse_line)
        .collect()
}

/// True when every backslash starts a three-digit octal escape of a byte value.
pub fn escapes_valid(s: &[u8]) -> bool {
    let mut i = 0;
    while let Some(off) = memchr::memchr(b'\\', &s[i..]) {
        let j = i + off;
        let d = match s.get(j + 1..j + 4) {
            Some(d) if d.iter().all(|c| (b'0'..=b'7').contains(c)) => d,
            _ => return false,
        };
        if d[0] > b'3' {
            return false;
        }
        i = j + 4;
    }
    true
}

/// One line of `/proc/self/cgroup`: `id:controllers:path` (the path may contain `:`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CgroupLine<'a> {
    pub id: u32,
    pub controllers: &'a str,
    pub path: &'a [u8],
}

/// Parses one line, `None` when it is not one (fewer than three fields, a non-numeric id).
pub fn parse_cgroup_line(line: &[u8]) -> Option<CgroupLine<'_>> {
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let mut f = line.splitn(3, |&b| b == b':');
    let id = f.next()?;
    let controllers = std::str::from_utf8(f.next()?).ok()?;
    let path = f.next()?;
    if id.is_empty() || !id.iter().all(u8::is_ascii_digit) || id.len() > 9 {
        return None;
    }
    let id = std::str::from_utf8(id).ok()?.parse().ok()?;
    Some(CgroupLine { id, controllers, path })
}

/// Finds the cgroup directory of `controller` (`cpu` or `memory`) for this process: a v1 line
/// naming the controller wins over the v2 `0::` line (hybrid systems keep CPU in v1 and mount
/// an empty cgroup2 at /sys/fs/cgroup/unified).
pub fn locate(cgroup: &[u8], mounts: &[Mount], controller: &str) -> Result<Located, String> {
    let lines: Vec<CgroupLine> = cgroup.split(|&b| b == b'\n').filter_map(parse_cgroup_line).collect();
    let v1 = lines.iter().find(|l| l.controllers.split(',').any(|c| c == controller));
    let v2 = lines.iter().find(|l| l.id == 0 && l.controllers.is_empty());
    let mut why = Vec::new();
    if let Some(l) = v1 {
        let cands = mounts
            .iter()
            .filter(|m| m.fstype == "cgroup" && m.super_options.split(',').any(|o| o == controller));
        match translate_any(cands, l.path) {
            Ok(dir) => {
                return Ok(Located {
                    version: Version::V1,
                    ..dir
                });
            }
            Err(e) => why.push(format!("v1 {controller} cgroup {}: {e}", short(l.path))),
        }
    }
    if let Some(l) = v2 {
        let cands = mounts.iter().filter(|m| m.fstype == "cgroup2");
        match translate_any(cands, l.path) {
            Ok(dir) => {
                return Ok(Located {
                    version: Version::V2,
                    ..dir
                });
            }
            Err(e) => why.push(format!("v2 cgroup {}: {e}", short(l.path))),
        }
    }
    if v1.is_none() && v2.is_none() {
        why.push(format!("no {controller} or 0:: line in /proc/self/cgroup"));
    }
    Err(why.join("; "))
}

/// The mount that shows `path` (SPEC 5.3): among the candidates whose root prefixes the path at
/// a component boundary and leaves a remainder with no `..`, the longest root wins. Mountinfo
/// order never decides: equal roots are ordered by mount point, so the same files always give
/// the same directory. A container that bind-mounts its own subtree next to the host's `/`
/// mount therefore reads its own cgroup, and a path seen from another cgroup namespace
/// (`/../../init.scope`) is found under a root spelled the same way.
fn translate_any<'a>(cands: impl Iterator<Item = &'a Mount>, path: &[u8]) -> Result<Located, String> {
    let cands: Vec<&Mount> = cands.collect();
    if cands.is_empty() {
        return Err("no such cgroup mount in /proc/self/mountinfo".into());
    }
    let best = cands
        .iter()
        .filter_map(|m| translate(m, path).map(|dir| (m, dir)))
        .max_by(|(a, _), (b, _)| {
            let depth = |m: &Mount| m.root.components().count();
            depth(a).cmp(&depth(b)).then_with(|| b.mount_point.cmp(&a.mount_point))
        });
    if let Some((m, dir)) = best {
        if dir.as_os_str().len() > PATH_MAX {
            return Err(format!("directory longer than PATH_MAX ({PATH_MAX})"));
        }
        return Ok(Located {
            version: Version::V1,
            dir,
            mount_point: m.mount_point.clone(),
        });
    }
    let roots: Vec<String> = cands.iter().take(3).map(|m| short(m.root.as_os_str().as_bytes())).collect();
    Err(format!("not under a mount root ({})", roots.join(", ")))
}

/// The directory of cgroup `path` under mount `m`: the mount's root must prefix the path at a
/// path boundary and is stripped; root and path are compared as plain components, `..`
/// included (a cgroup outside this cgroup namespace reads `/../../x`, and a root `/../..`
/// shows it). A relative path, or a remainder with a `..` component (which could climb out of
/// the mount), shows nothing.
pub fn translate(m: &Mount, path: &[u8]) -> Option<PathBuf> {
    let path = Path::new(OsStr::from_bytes(path));
    if !path.is_absolute() || !m.mount_point.is_absolute() || !m.root.is_absolute() {
        return None;
    }
    // `Path::strip_prefix` compares whole components: `/docker/abc-x` is not under `/docker/abc`.
    let rest = path.strip_prefix(&m.root).ok()?;
    if rest.components().any(|c| !matches!(c, Component::Normal(_))) {
        return None;
    }
    Some(if rest.as_os_str().is_empty() {
        m.mount_point.clone()
    } else {
        m.mount_point.join(rest)
    })
}

/// The cgroup directory and each ancestor up to the mount point, leaf first.
fn levels(loc: &Located) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    let mut d = loc.dir.as_path();
    loop {
        if out.len() == MAX_LEVELS {
            return Err(format!(
                "{} is more than {MAX_LEVELS} levels below {}",
                loc.dir.display(),
                loc.mount_point.display()
            ));
        }
        out.push(d.to_path_buf());
        if d == loc.mount_point {
            return Ok(out);
        }
        d = match d.parent() {
            Some(p) if p.starts_with(&loc.mount_point) => p,
            _ => return Ok(out),
        };
    }
}

/// A file's text, `Ok(None)` when it does not exist (that level sets no limit), `Err` with a
/// problem line when it exists but cannot be used.
fn read_small(sys: &Sys, file: &Path, max: usize) -> Result<Option<Vec<u8>>, String> {
    match sys.read_max(file, max + 1) {
        Ok(b) if b.len() > max => Err(format!("{}: longer than {max} bytes", file.display())),
        Ok(b) => Ok(Some(b)),
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("{}: cannot read: {e}", file.display())),
    }
}

/// A decimal number: ASCII digits, an optional leading `-`, surrounding whitespace (the
/// kernel's newline, or none) allowed, nothing else.
pub fn parse_int(b: &[u8]) -> Option<i64> {
    let t = b.trim_ascii();
    let digits = t.strip_prefix(b"-").unwrap_or(t);
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(t).ok()?.parse().ok()
}

/// The v1 quota of one level (`cpu.cfs_quota_us` / `cpu.cfs_period_us`): `Ok(None)` for -1
/// (no quota) or a missing quota file.
pub fn v1_quota(sys: &Sys, dir: &Path, up: usize) -> Result<Option<Quota>, String> {
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
pub fn v2_quota(sys: &Sys, dir: &Path, up: usize) -> Result<Option<Quota>, String> {
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
fn cpu_search(sys: &Sys, loc: Result<Located, String>) -> Search<Quota> {
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
fn parse_bytes(b: &[u8], what: &str) -> Result<Option<u64>, String> {
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
fn mem_level(sys: &Sys, v: Version, dir: &Path, up: usize, out: &mut Vec<MemLimit>, problems: &mut Vec<String>) {
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
fn mem_search(sys: &Sys, loc: Result<Located, String>) -> Search<MemLimit> {
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

/// At most 60 characters of a bad file or a path, for a problem line.
fn short(b: &[u8]) -> String {
    let s = String::from_utf8_lossy(b);
    let s = s.trim();
    match s.char_indices().nth(60) {
        Some((i, _)) => format!("{}...", &s[..i]),
        None => s.to_string(),
    }
}

/// The CPUs this process may run on: `sched_getaffinity` on the real system, the
/// `Cpus_allowed_list` of /proc/self/status under a sysroot (so tests can set it).
pub fn affinity(sys: &Sys) -> Affinity {
    if sys.is_fake() {
        return match sys.read_max("/proc/self/status", MAX_STATUS_FILE) {
            Ok(b) => match b
                .split(|&c| c == b'\n')
                .find_map(|l| l.strip_prefix(b"Cpus_allowed_list:"))
                .map(|v| (v, count_cpu_list(v)))
            {
                Some((_, Some(n))) if n > 0 => Affinity {
                    cpus: Some(n),
                    source: "Cpus_allowed_list in /proc/self/status".into(),
                },
                Some((v, _)) => Affinity {
                    cpus: None,
                    source: format!("Cpus_allowed_list in /proc/self/status is not a CPU list: {:?}", short(v)),
                },
                None => Affinity {
                    cpus: None,
                    source: "no Cpus_allowed_list in /proc/self/status".into(),
                },
            },
            Err(e) => Affinity {
                cpus: None,
                source: format!("cannot read /proc/self/status: {e}"),
            },
        };
    }
    match sched_affinity_count() {
        Some(n) => Affinity {
            cpus: Some(n),
            source: "sched_getaffinity".into(),
        },
        None => Affinity {
            cpus: None,
            source: "sched_getaffinity failed".into(),
        },
    }
}

/// Counts the CPUs of a list like `0-3,8,10-11`; `None` when it is not one.
pub fn count_cpu_list(v: &[u8]) -> Option<u32> {
    let v = v.trim_ascii();
    if v.is_empty() {
        return None;
    }
    let mut n: u32 = 0;
    for part in v.split(|&c| c == b',') {
        let num = |s: &[u8]| -> Option<u32> {
            if s.is_empty() || s.len() > 7 || !s.iter().all(u8::is_ascii_digit) {
                return None;
            }
            std::str::from_utf8(s).ok()?.parse().ok()
        };
        let (a, b) = match part.iter().position(|&c| c == b'-') {
            Some(i) => (num(&part[..i])?, num(&part[i + 1..])?),
            None => {
                let a = num(part)?;
                (a, a)
            }
        };
        if b < a {
            return None;
        }
        n = n.checked_add(b - a + 1)?;
    }
    Some(n)
}

// glibc's wrapper (sched.h); declared by hand because the crate takes no libc dependency.
// `pid` 0 = the calling thread; returns 0 on success and zeroes the mask beyond the kernel's
// size, -1 on error.
unsafe extern "C" {
    fn sched_getaffinity(pid: i32, cpusetsize: usize, mask: *mut u64) -> i32;
}

/// The number of CPUs in this thread's affinity mask (room for 8192 CPUs).
fn sched_affinity_count() -> Option<u32> {
    let mut mask = [0u64; 128];
    // SAFETY: the pointer and size describe `mask`, which lives across the call.
    let r = unsafe { sched_getaffinity(0, std::mem::size_of_val(&mask), mask.as_mut_ptr()) };
    if r != 0 {
        return None;
    }
    let n: u32 = mask.iter().map(|w| w.count_ones()).sum();
    (n > 0).then_some(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mount(root: &str, mp: &str) -> Mount {
        mountinfo::parse_line(format!("31 23 0:24 {root} {mp} rw - cgroup cgroup rw,cpu").as_bytes()).unwrap()
    }

    #[test]
    fn translate_at_path_boundary() {
        let m = mount("/docker/abc", "/sys/fs/cgroup/cpu");
        let t = |p: &str| translate(&m, p.as_bytes());
        assert_eq!(t("/docker/abc"), Some(PathBuf::from("/sys/fs/cgroup/cpu")));
        assert_eq!(t("/docker/abc/"), Some(PathBuf::from("/sys/fs/cgroup/cpu")));
        assert_eq!(t("/docker/abc/x/y"), Some(PathBuf::from("/sys/fs/cgroup/cpu/x/y")));
        assert_eq!(t("/docker/abcd"), None);
        assert_eq!(t("/docker"), None);
        assert_eq!(t("/docker/abc/../../x"), None);
        assert_eq!(t("docker/abc"), None);
        let root = mount("/", "/sys/fs/cgroup/cpu");
        assert_eq!(translate(&root, b"/a"), Some(PathBuf::from("/sys/fs/cgroup/cpu/a")));
        assert_eq!(translate(&root, b"/"), Some(PathBuf::from("/sys/fs/cgroup/cpu")));
        assert_eq!(translate(&root, b"/../x"), None, "`..` left over");
        // Another cgroup namespace's view: `..` matched as a plain component of the root.
        let up = mount("/../../../..", "/sys/fs/cgroup/cpu");
        assert_eq!(
            translate(&up, b"/../../../../init.scope"),
            Some(PathBuf::from("/sys/fs/cgroup/cpu/init.scope"))
        );
        assert_eq!(translate(&up, b"/../../init.scope"), None);
    }

    #[test]
    fn levels_stop_at_mount_point() {
        let l = Located {
            version: Version::V1,
            dir: "/m/a/b".into(),
            mount_point: "/m".into(),
        };
        assert_eq!(levels(&l).unwrap(), vec![PathBuf::from("/m/a/b"), "/m/a".into(), "/m".into()]);
    }

    #[test]
    fn cgroup_lines() {
        let l = parse_cgroup_line(b"12:cpu,cpuacct:/a:b:c").unwrap();
        assert_eq!((l.id, l.controllers, l.path), (12, "cpu,cpuacct", &b"/a:b:c"[..]));
        assert!(parse_cgroup_line(b"1:cpu").is_none());
        assert!(parse_cgroup_line(b"x:cpu:/").is_none());
        assert!(parse_cgroup_line(b":cpu:/").is_none());
    }

    #[test]
    fn numbers() {
        assert_eq!(parse_int(b"-1\n"), Some(-1));
        assert_eq!(parse_int(b"500000"), Some(500000));
        assert_eq!(parse_int(b"123max\n"), None);
        assert_eq!(parse_int(b"1000 5000\n"), None);
        assert_eq!(parse_int(b"-\n"), None);
        assert_eq!(parse_int(b"99999999999999999999999"), None);
        assert_eq!(parse_bytes(b"max\n", "f"), Ok(None));
        assert_eq!(parse_bytes(b"9223372036854771712\n", "f"), Ok(None));
        assert_eq!(parse_bytes(b"18446744073709551615\n", "f"), Ok(None));
        assert_eq!(parse_bytes(b"1048576\n", "f"), Ok(Some(1 << 20)));
        assert!(parse_bytes(b"-5\n", "f").is_err());
    }

    #[test]
    fn cpu_lists() {
        assert_eq!(count_cpu_list(b"\t0-3,8,10-11\n"), Some(7));
        assert_eq!(count_cpu_list(b"0"), Some(1));
        assert_eq!(count_cpu_list(b"3-1"), None);
        assert_eq!(count_cpu_list(b""), None);
        assert_eq!(count_cpu_list(b"0-x"), None);
        assert_eq!(count_cpu_list(b"0-9999999"), Some(10_000_000));
    }

    #[test]
    fn escapes() {
        assert!(escapes_valid(b"/a\\040b\\134"));
        assert!(!escapes_valid(b"/a/b\\c"));
        assert!(!escapes_valid(b"/a/b\\01"));
        assert!(!escapes_valid(b"/a/b\\018"));
        assert!(!escapes_valid(b"/a/b\\777"));
    }

    #[test]
    fn real_affinity_counts_something() {
        let n = sched_affinity_count().expect("sched_getaffinity works");
        assert!(n >= 1);
    }
}
