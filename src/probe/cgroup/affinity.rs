//! How many CPUs this process may run on (`sched_getaffinity`, or `Cpus_allowed_list` under a
//! sysroot).

use super::short;
use super::{Affinity, MAX_STATUS_FILE};
use crate::sysroot::Sys;

/// The CPUs this process may run on: `sched_getaffinity` on the real system, the
/// `Cpus_allowed_list` of /proc/self/status under a sysroot (so tests can set it).
pub(crate) fn affinity(sys: &Sys) -> Affinity {
    if sys.is_fake() {
        return match sys.read_attr("/proc/self/status", MAX_STATUS_FILE) {
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
                source: format!("cannot read /proc/self/status: {}", crate::sysroot::io_why(&e)),
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
pub(crate) fn count_cpu_list(v: &[u8]) -> Option<u32> {
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

/// The number of CPUs in this thread's affinity mask (room for 8192 CPUs: larger than
/// `libc::cpu_set_t`'s 1024, so the call does not fail on big machines).
pub(super) fn sched_affinity_count() -> Option<u32> {
    let mut mask = [0u64; 128];
    // SAFETY: the pointer and size describe `mask`, which lives across the call (the kernel
    // takes the size from `cpusetsize`, not from cpu_set_t); pid 0 is the calling thread.
    let r = unsafe { libc::sched_getaffinity(0, std::mem::size_of_val(&mask), mask.as_mut_ptr().cast()) };
    if r != 0 {
        return None;
    }
    let n: u32 = mask.iter().map(|w| w.count_ones()).sum();
    (n > 0).then_some(n)
}
