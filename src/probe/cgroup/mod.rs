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

mod affinity;
mod limits;
mod locate;
#[cfg(test)]
mod tests;

pub(crate) use affinity::affinity;
pub(crate) use locate::locate;

use crate::probe::Facts;
use limits::{cpu_search, mem_search};
use locate::levels;
use std::path::PathBuf;

/// Longest `/proc/self/cgroup` read (a real one is a few hundred bytes).
pub(super) const MAX_CGROUP_FILE: usize = 64 * 1024;
/// Longest limit file read; `cpu.max` is at most two 20-digit numbers. Longer is malformed.
pub(super) const MAX_NUMBER_FILE: usize = 64;
/// Longest `memory.stat` read (v1 has ~40 lines).
pub(super) const MAX_STAT_FILE: usize = 16 * 1024;
/// Longest `/proc/self/status` read.
pub(super) const MAX_STATUS_FILE: usize = 64 * 1024;
/// The kernel's PATH_MAX: a longer cgroup directory cannot be opened anyway.
pub(super) const PATH_MAX: usize = 4096;
/// At most this many levels are read, leaf first (real hierarchies are under 10 deep).
pub(super) const MAX_LEVELS: usize = 32;
/// Limits at or above 2^62 bytes mean "none" (v1 writes 2^63-4096 for unlimited).
pub(crate) const MEM_UNLIMITED: u64 = 1 << 62;

/// Which cgroup hierarchy a directory belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Version {
    V1,
    V2,
}

/// A controller's cgroup directory for this process.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Located {
    pub version: Version,
    /// The cgroup's directory (a system path; read through [`Sys`]).
    pub dir: PathBuf,
    /// The mount point of the hierarchy: the walk up the ancestors stops here.
    pub mount_point: PathBuf,
}

/// The CPU quota of one level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Quota {
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
    pub(crate) fn tighter_than(&self, o: &Quota) -> bool {
        u128::from(self.quota) * u128::from(o.period) < u128::from(o.quota) * u128::from(self.period)
    }
}

/// The memory limit of one level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MemLimit {
    pub bytes: u64,
    pub file: PathBuf,
    /// Which value of the file (`hierarchical_memory_limit` in memory.stat), if not the whole file.
    pub key: Option<&'static str>,
    pub up: usize,
}

/// The result of looking for one limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Search<T> {
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
pub(crate) struct Affinity {
    /// `None` when it could not be learned.
    pub cpus: Option<u32>,
    /// Where the count came from (or why there is none), for `wslgo env`.
    pub source: String,
}

/// Everything the limits planner needs.
#[derive(Debug, Clone)]
pub(crate) struct Limits {
    pub cpu: Search<Quota>,
    pub mem: Search<MemLimit>,
    pub affinity: Affinity,
}

/// Reads what is needed: the CPU quota and affinity when `cpu`, the memory limit when `mem`.
/// What is not needed is not read (a refresh is on the prompt's hot path).
pub(crate) fn probe(facts: &Facts, cpu: bool, mem: bool) -> Limits {
    let sys = facts.sys;
    let cg = if cpu || mem {
        sys.read_attr("/proc/self/cgroup", MAX_CGROUP_FILE)
    } else {
        Ok(Vec::new())
    };
    let ctx = match &cg {
        Ok(c) => match facts.mounts() {
            Ok(m) => Ok((c.as_slice(), m)),
            Err(e) => Err(format!("cannot read /proc/self/mountinfo: {}", crate::sysroot::io_why(e))),
        },
        Err(e) => Err(format!("cannot read /proc/self/cgroup: {}", crate::sysroot::io_why(e))),
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

/// At most 60 characters of a bad file or a path, for a problem line.
pub(super) fn short(b: &[u8]) -> String {
    let s = String::from_utf8_lossy(b);
    let s = s.trim();
    match s.char_indices().nth(60) {
        Some((i, _)) => format!("{}...", &s[..i]),
        None => s.to_string(),
    }
}
