//! cgroups and CPU limits: `cgroup.version`, `go.maxprocs`.

use super::{Check, Input};
use crate::config::MaxProcs;
use crate::plan::limits;
use crate::probe::cgroup;
use crate::probe::go::GoVersion;
use crate::probe::mountinfo::Mount;
use crate::probe::wsl::Kind;

pub(crate) fn checks(inp: &Input) -> Vec<Check> {
    vec![version(inp), maxprocs(inp)]
}

/// Which cgroup hierarchies are mounted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Layout {
    /// cgroup2 only.
    Unified,
    /// v1 controllers with cgroup2 beside them (`/sys/fs/cgroup/unified`).
    Hybrid,
    /// v1 controllers only.
    Legacy,
    None,
}

pub(crate) fn layout(mounts: &[Mount]) -> Layout {
    let v1 = mounts.iter().any(|m| m.fstype == "cgroup");
    let v2 = mounts.iter().any(|m| m.fstype == "cgroup2");
    match (v1, v2) {
        (false, true) => Layout::Unified,
        (true, true) => Layout::Hybrid,
        (true, false) => Layout::Legacy,
        (false, false) => Layout::None,
    }
}

fn version(inp: &Input) -> Check {
    const ID: &str = "cgroup.version";
    if inp.platform.kind == Kind::Wsl1 {
        return Check::skip(ID, "WSL1 has no cgroups");
    }
    let mounts = match inp.mounts() {
        Ok(m) => m,
        Err(why) => return Check::skip(ID, why),
    };
    let wsl = inp.platform.is_wsl();
    let fix = if wsl && inp.wslconf.get("automount.cgroups") == Some("v1") {
        "set [automount] cgroups = v2 in /etc/wsl.conf (or remove the line); then in PowerShell: wsl --shutdown"
    } else if wsl {
        "in PowerShell: wsl --update (WSL mounts cgroup v2 only since 2.x); or add kernelCommandLine = cgroup_no_v1=all under [wsl2] in %UserProfile%\\.wslconfig; then wsl --shutdown"
    } else {
        "boot with systemd.unified_cgroup_hierarchy=1 on the kernel command line"
    };
    let v2_at = mounts
        .iter()
        .find(|m| m.fstype == "cgroup2")
        .map(|m| m.mount_point.display().to_string())
        .unwrap_or_default();
    match layout(mounts) {
        Layout::Unified => Check::ok(ID, format!("cgroup v2 (unified) at {v2_at}")),
        Layout::Hybrid => Check::warn(
            ID,
            format!(
                "hybrid cgroups: v1 controllers, v2 at {v2_at}: v1 is deprecated (systemd 256+ refuses it; Docker and testcontainers expect v2)"
            ),
            fix,
        ),
        Layout::Legacy => Check::warn(
            ID,
            "cgroup v1 only: deprecated (systemd 256+ refuses it; Docker and testcontainers expect v2)",
            fix,
        ),
        Layout::None => Check::warn(
            ID,
            "no cgroup file system is mounted: CPU and memory limits cannot be read",
            if wsl {
                "in PowerShell: wsl --shutdown, then start the distro again"
            } else {
                "sudo mount -t cgroup2 none /sys/fs/cgroup"
            },
        ),
    }
}

/// Judges the shell's GOMAXPROCS against the CPU quota, both found and sized exactly as the
/// prompt hook does: [`cgroup::probe`] finds the tightest quota over the shell's cgroup and its
/// ancestors and the affinity mask, [`limits::procs_for`] turns them into the number wslgo
/// would export (`auto`, or `floor` when the config says so).
fn maxprocs(inp: &Input) -> Check {
    const ID: &str = "go.maxprocs";
    let l = cgroup::probe(&inp.facts, true, false);
    let set = inp.env.get_str("GOMAXPROCS").filter(|v| !v.is_empty());
    let a_txt = l.affinity.cpus.map(|n| format!("{n} CPUs")).unwrap_or_else(|| "all CPUs".into());
    let ignored = if l.cpu.problems.is_empty() {
        String::new()
    } else {
        format!(" (ignored: {})", l.cpu.problems.join("; "))
    };
    let Some(q) = &l.cpu.limit else {
        return match set {
            Some(v) => Check::ok(ID, format!("no CPU quota; GOMAXPROCS={v} as set{ignored}")),
            None => Check::ok(ID, format!("no CPU quota: Go uses {a_txt}{ignored}")),
        };
    };
    let want = limits::procs_for(inp.cfg.go.maxprocs == MaxProcs::Floor, q, l.affinity.cpus);
    let quota = format!("{} ({}{})", limits::show_cpus(q), q.file.display(), ignored);
    let fix = format!("{}; or: export GOMAXPROCS={want}", super::shell::init_fix(inp, "exports it"));
    match set.map(|v| v.trim().parse::<u32>()) {
        Some(Ok(n)) if n > want => Check::warn(
            ID,
            format!("GOMAXPROCS={n}, but the CPU quota is {quota}: Go runs more threads than it may use and is throttled"),
            fix,
        ),
        Some(Ok(n)) => Check::ok(ID, format!("GOMAXPROCS={n} fits the CPU quota {quota}")),
        Some(Err(_)) => Check::warn(
            ID,
            format!("GOMAXPROCS={:?} is not a number: Go ignores it", set.unwrap_or("")),
            fix,
        ),
        None => {
            let new_go = GoVersion::parse("1.25").is_some_and(|v125| super::goenv::goroot_sdk(inp.go()).is_some_and(|s| s.version >= v125));
            if new_go {
                Check::ok(ID, format!("CPU quota {quota}; Go 1.25+ sizes GOMAXPROCS to it"))
            } else {
                Check::warn(
                    ID,
                    format!("CPU quota {quota} but GOMAXPROCS is unset: Go before 1.25 uses {a_txt} and is throttled"),
                    fix,
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::probe::mountinfo::parse;

    #[test]
    fn layouts() {
        let v2 = parse(b"1 0 0:1 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n");
        assert_eq!(layout(&v2), Layout::Unified);
        let hy =
            parse(b"1 0 0:1 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw\n2 0 0:2 / /sys/fs/cgroup/cpu rw - cgroup cgroup rw,cpu\n");
        assert_eq!(layout(&hy), Layout::Hybrid);
        assert_eq!(layout(&[]), Layout::None);
    }
}
