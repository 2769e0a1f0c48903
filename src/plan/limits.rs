//! GOMAXPROCS and GOMEMLIMIT sized to the cgroup limits (SPEC 5.3).
//!
//! Why at all: Go before 1.25 sizes GOMAXPROCS by the CPUs it may run on, not by the CPU
//! quota, so a build or test in a 1.5-CPU cgroup runs a thread per host CPU and gets throttled;
//! and no Go version sizes its heap goal by the memory limit, so it is OOM-killed where
//! GOMEMLIMIT would have made the GC work harder first. Go >= 1.25 reads the quota of its own
//! cgroup only; a limit on a parent slice is missed, which is why the probe walks ancestors.
//!
//! The rules are pure functions of what [`crate::probe::cgroup`] found, so unit tests drive
//! them with data. A user's own GOMAXPROCS/GOMEMLIMIT is never overwritten ([`crate::diff`]
//! keeps it); when no limit applies, the variable is planned absent, so a value wslgo set
//! for another cgroup (the shell moved, the limit was lifted) goes away.

use super::{Ctx, Plan};
use crate::config::{MaxProcs, MemLimit};
use crate::probe::cgroup::{self, Affinity, Quota, Search};

pub(crate) fn plan(ctx: &Ctx, p: &mut Plan) {
    let go = &ctx.cfg.go;
    let need_cpu = matches!(go.maxprocs, MaxProcs::Auto | MaxProcs::Floor);
    let need_mem = matches!(go.memlimit, MemLimit::Auto);
    let l = cgroup::probe(ctx.facts, need_cpu, need_mem);
    match maxprocs(go.maxprocs, &l.cpu, &l.affinity) {
        (Some(n), why) => p.set("GOMAXPROCS", n.to_string(), why),
        (None, why) => p.unset("GOMAXPROCS", why),
    }
    match memlimit(go.memlimit, &l.mem) {
        (Some(n), why) => p.set("GOMEMLIMIT", n.to_string(), why),
        (None, why) => p.unset("GOMEMLIMIT", why),
    }
}

/// `ceil(quota / period)`, at least 1.
pub(crate) fn ceil_cpus(q: &Quota) -> u64 {
    q.quota.div_ceil(q.period).max(1)
}

/// `floor(quota / period)`.
pub(crate) fn floor_cpus(q: &Quota) -> u64 {
    q.quota / q.period
}

/// `quota / period` for people: `1.5`, `2`, `0.25`.
pub(crate) fn show_cpus(q: &Quota) -> String {
    let hundredths = u128::from(q.quota) * 100 / u128::from(q.period);
    let (i, f) = (hundredths / 100, hundredths % 100);
    match f {
        0 => format!("{i}"),
        f if f % 10 == 0 => format!("{i}.{}", f / 10),
        f => format!("{i}.{f:02}"),
    }
}

/// Where a limit came from, for a reason line.
fn level(up: usize) -> String {
    match up {
        0 => "the shell's cgroup".into(),
        1 => "its parent".into(),
        n => format!("{n} levels up"),
    }
}

/// Why a search found no limit: the cgroup that was not found, or the files that could not be
/// used, in one line.
fn no_limit(what: &str, s: &Search<impl Sized>) -> String {
    match &s.cgroup {
        Err(e) => format!("no {what}: {e}"),
        Ok(loc) if s.problems.is_empty() => format!("no {what} on {} or its ancestors", loc.dir.display()),
        Ok(_) => format!("no usable {what}: {}", s.problems.join("; ")),
    }
}

/// Problems beside a limit that was found (a parent's unreadable file), appended to a reason.
fn also(s: &Search<impl Sized>) -> String {
    if s.problems.is_empty() {
        String::new()
    } else {
        format!(" (ignored: {})", s.problems.join("; "))
    }
}

/// GOMAXPROCS for a mode and what the probe found: the value to export (or none) and why.
pub(crate) fn maxprocs(mode: MaxProcs, cpu: &Search<Quota>, aff: &Affinity) -> (Option<u32>, String) {
    let q = match mode {
        MaxProcs::Off => return (None, "go.maxprocs = off".into()),
        MaxProcs::Fixed(n) => return (Some(n), format!("go.maxprocs = {n}")),
        MaxProcs::Auto | MaxProcs::Floor => match &cpu.limit {
            Some(q) => q,
            None => {
                return (
                    None,
                    format!(
                        "{}; Go sizes itself (>= 1.25 tracks cgroup limits on its own)",
                        no_limit("CPU quota", cpu)
                    ),
                );
            }
        },
    };
    let src = format!(
        "CPU quota {} ({}/{} in {}, {})",
        show_cpus(q),
        q.quota,
        q.period,
        q.file.display(),
        level(q.up)
    );
    let a_text = match aff.cpus {
        Some(a) => format!("{a} CPUs in the affinity mask ({})", aff.source),
        None => format!("affinity unknown ({})", aff.source),
    };
    let floor = mode == MaxProcs::Floor;
    let n = procs_for(floor, q, aff.cpus);
    let rule = if floor {
        format!("floor = min(A, max(1, floor(Q))) = {n}")
    } else {
        format!("auto = min(A, max(2, ceil(Q))) = {n}")
    };
    (Some(n), format!("{src}; {a_text}; {rule}{}", also(cpu)))
}

/// The GOMAXPROCS a quota calls for (SPEC 5.3), given the CPUs of the affinity mask (`None`:
/// unknown, no cap): `auto` = min(A, max(2, ceil(Q))), `floor` = min(A, max(1, floor(Q))).
/// `wslgo doctor` judges a user's GOMAXPROCS against this same number.
pub(crate) fn procs_for(floor: bool, q: &Quota, cpus: Option<u32>) -> u32 {
    let a = cpus.map_or(u64::MAX, u64::from);
    let n = if floor {
        floor_cpus(q).max(1).min(a)
    } else {
        ceil_cpus(q).max(2).min(a)
    };
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// GOMEMLIMIT for a mode and what the probe found: bytes to export (or none) and why.
pub(crate) fn memlimit(mode: MemLimit, mem: &Search<cgroup::MemLimit>) -> (Option<u64>, String) {
    match mode {
        MemLimit::Off => (None, "go.memlimit = off".into()),
        MemLimit::Bytes(n) => (Some(n), format!("go.memlimit = {n} bytes")),
        MemLimit::Auto => match &mem.limit {
            None => (None, no_limit("memory limit", mem)),
            Some(m) => {
                let v = (u128::from(m.bytes) * 9 / 10) as u64;
                let file = match m.key {
                    Some(k) => format!("{} {k}", m.file.display()),
                    None => m.file.display().to_string(),
                };
                (
                    Some(v),
                    format!(
                        "memory limit {} bytes ({file}, {}); auto = floor(0.9 x limit){}",
                        m.bytes,
                        level(m.up),
                        also(mem)
                    ),
                )
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::probe::cgroup::{Located, Version};

    fn found(quota: u64, period: u64) -> Search<Quota> {
        Search {
            cgroup: Ok(Located {
                version: Version::V1,
                dir: "/sys/fs/cgroup/cpu/x".into(),
                mount_point: "/sys/fs/cgroup/cpu".into(),
            }),
            limit: Some(Quota {
                quota,
                period,
                file: "/sys/fs/cgroup/cpu/x/cpu.cfs_quota_us".into(),
                up: 0,
            }),
            problems: Vec::new(),
        }
    }

    fn aff(n: u32) -> Affinity {
        Affinity {
            cpus: Some(n),
            source: "test".into(),
        }
    }

    #[test]
    fn auto_rule() {
        // (quota, period, affinity) -> min(A, max(2, ceil(Q)))
        for (q, p, a, want) in [
            (150_000, 100_000, 8, 2),
            (250_000, 100_000, 8, 3),
            (50_000, 100_000, 8, 2),
            (600_000, 100_000, 4, 4),
            (600_000, 100_000, 1, 1),
            (i64::MAX as u64, i64::MAX as u64, 8, 2),
            (i64::MAX as u64, 100_000, 16, 16),
        ] {
            assert_eq!(maxprocs(MaxProcs::Auto, &found(q, p), &aff(a)).0, Some(want), "{q}/{p} A={a}");
        }
    }

    #[test]
    fn floor_rule_is_automaxprocs() {
        for (q, p, a, want) in [
            (150_000, 100_000, 8, 1),
            (270_000, 100_000, 8, 2),
            (50_000, 100_000, 8, 1),
            (600_000, 100_000, 4, 4),
        ] {
            assert_eq!(maxprocs(MaxProcs::Floor, &found(q, p), &aff(a)).0, Some(want), "{q}/{p} A={a}");
        }
    }

    #[test]
    fn modes_without_quota() {
        let none = Search::<Quota> {
            cgroup: Err("no cpu".into()),
            limit: None,
            problems: Vec::new(),
        };
        assert_eq!(maxprocs(MaxProcs::Auto, &none, &aff(4)).0, None);
        assert_eq!(maxprocs(MaxProcs::Fixed(3), &none, &aff(4)).0, Some(3));
        assert_eq!(maxprocs(MaxProcs::Off, &found(100_000, 100_000), &aff(4)).0, None);
        let (v, why) = maxprocs(MaxProcs::Auto, &found(150_000, 100_000), &aff(8));
        assert_eq!(v, Some(2));
        assert!(why.contains("1.5") && why.contains("8 CPUs"), "{why}");
    }

    #[test]
    fn memlimit_rule() {
        let s = Search {
            cgroup: Err(String::new()),
            limit: Some(cgroup::MemLimit {
                bytes: 1 << 30,
                file: "/m/memory.max".into(),
                key: None,
                up: 1,
            }),
            problems: Vec::new(),
        };
        assert_eq!(memlimit(MemLimit::Auto, &s).0, Some(966_367_641));
        assert_eq!(memlimit(MemLimit::Off, &s).0, None);
        assert_eq!(memlimit(MemLimit::Bytes(5), &s).0, Some(5));
    }

    #[test]
    fn shows_cpus() {
        let q = |a, b| Quota {
            quota: a,
            period: b,
            file: "/x".into(),
            up: 0,
        };
        assert_eq!(show_cpus(&q(150_000, 100_000)), "1.5");
        assert_eq!(show_cpus(&q(200_000, 100_000)), "2");
        assert_eq!(show_cpus(&q(25_000, 100_000)), "0.25");
    }
}
