//! cgroups and CPU limits: `cgroup.version`, `go.maxprocs`.

use super::{Check, Input};
use crate::probe::mountinfo::Mount;
use crate::probe::wsl::Kind;
use std::path::{Path, PathBuf};

pub fn checks(inp: &Input) -> Vec<Check> {
    vec![version(inp), maxprocs(inp)]
}

/// Which cgroup hierarchies are mounted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// cgroup2 only.
    Unified,
    /// v1 controllers with cgroup2 beside them (`/sys/fs/cgroup/unified`).
    Hybrid,
    /// v1 controllers only.
    Legacy,
    None,
}

pub fn layout(mounts: &[Mount]) -> Layout {
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
    let mounts = match &inp.mounts {
        Ok(m) => m,
        Err(why) => return Check::skip(ID, why.clone()),
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

/// The CPU quota that applies to this shell (cores), with the cgroup directory that sets it.
/// Reads v2 `cpu.max` or v1 `cpu.cfs_quota_us`/`cpu.cfs_period_us` from the shell's cgroup up
/// to its mount point; the tightest wins.
pub fn cpu_quota(inp: &Input) -> Option<(f64, PathBuf)> {
    let mounts = inp.mounts.as_ref().ok()?;
    let cg = inp.sys.read_max("/proc/self/cgroup", 64 * 1024).ok()?;
    let cg = String::from_utf8_lossy(&cg);
    // A v1 line whose controller list holds `cpu` wins over `0::`.
    let mut v1: Option<&str> = None;
    let mut v2: Option<&str> = None;
    for line in cg.lines() {
        let mut f = line.splitn(3, ':');
        let (_, ctl, path) = (f.next()?, f.next().unwrap_or(""), f.next().unwrap_or(""));
        if ctl.split(',').any(|c| c == "cpu") {
            v1 = Some(path);
        } else if ctl.is_empty() {
            v2 = Some(path);
        }
    }
    let (path, want_v1) = match (v1, v2) {
        (Some(p), _) => (p, true),
        (None, Some(p)) => (p, false),
        _ => return None,
    };
    let m = mounts.iter().rev().find(|m| {
        if want_v1 {
            m.fstype == "cgroup" && m.super_options.split(',').any(|o| o == "cpu")
        } else {
            m.fstype == "cgroup2"
        }
    })?;
    let rel = Path::new(path).strip_prefix(&m.root).ok()?;
    if rel.components().any(|c| matches!(c, std::path::Component::ParentDir)) {
        return None;
    }
    let mut dir = m.mount_point.join(rel);
    let mut best: Option<(f64, PathBuf)> = None;
    loop {
        let q = if want_v1 {
            let q = read_num(inp, &dir.join("cpu.cfs_quota_us"));
            let p = read_num(inp, &dir.join("cpu.cfs_period_us"));
            match (q, p) {
                (Some(q), Some(p)) if q > 0.0 && p > 0.0 => Some(q / p),
                _ => None,
            }
        } else {
            inp.sys.read_max(dir.join("cpu.max"), 256).ok().and_then(|b| {
                let s = String::from_utf8_lossy(&b).into_owned();
                let mut f = s.split_whitespace();
                let q: f64 = f.next()?.parse().ok()?;
                let p: f64 = f.next().unwrap_or("100000").parse().ok()?;
                (q > 0.0 && p > 0.0).then_some(q / p)
            })
        };
        if let Some(q) = q
            && best.as_ref().is_none_or(|(b, _)| q < *b)
        {
            best = Some((q, dir.clone()));
        }
        if dir == m.mount_point || !dir.pop() {
            break;
        }
    }
    best
}

fn read_num(inp: &Input, p: &Path) -> Option<f64> {
    let b = inp.sys.read_max(p, 64).ok()?;
    String::from_utf8_lossy(&b).trim().parse().ok()
}

/// The CPUs this process may run on.
pub fn cpus(inp: &Input) -> Option<usize> {
    if inp.sys.is_fake() {
        let st = inp.sys.read_max("/proc/self/status", 256 * 1024).ok()?;
        let st = String::from_utf8_lossy(&st);
        let list = st.lines().find_map(|l| l.strip_prefix("Cpus_allowed_list:"))?.trim().to_string();
        let mut n = 0usize;
        for part in list.split(',').filter(|p| !p.is_empty()) {
            let (a, b) = part.split_once('-').unwrap_or((part, part));
            let (a, b): (usize, usize) = (a.trim().parse().ok()?, b.trim().parse().ok()?);
            n += b.checked_sub(a)? + 1;
        }
        return (n > 0).then_some(n);
    }
    std::thread::available_parallelism().ok().map(|n| n.get())
}

/// `go1.25.1` -> (1, 25).
fn go_minor(v: &str) -> Option<(u32, u32)> {
    let r = v.strip_prefix("go")?;
    let mut it = r.split(|c: char| !c.is_ascii_digit());
    Some((it.next()?.parse().ok()?, it.next()?.parse().ok()?))
}

fn maxprocs(inp: &Input) -> Check {
    const ID: &str = "go.maxprocs";
    let a = cpus(inp);
    let quota = cpu_quota(inp);
    let set = inp.env.get_str("GOMAXPROCS").filter(|v| !v.is_empty());
    let a_txt = a.map(|n| format!("{n} CPUs")).unwrap_or_else(|| "all CPUs".into());
    let Some((q, dir)) = quota else {
        return match set {
            Some(v) => Check::ok(ID, format!("no CPU quota; GOMAXPROCS={v} as set")),
            None => Check::ok(ID, format!("no CPU quota: Go uses {a_txt}")),
        };
    };
    let want = (q.ceil() as usize).max(2).min(a.unwrap_or(usize::MAX));
    let shown = inp.sys.unpath(&inp.sys.path(&dir)).unwrap_or(dir).display().to_string();
    let fix = format!("eval \"$(wslgo init bash)\" in ~/.bashrc (zsh: ~/.zshrc) exports it; or: export GOMAXPROCS={want}");
    match set.map(|v| v.trim().parse::<usize>()) {
        Some(Ok(n)) if n > want => Check::warn(
            ID,
            format!("GOMAXPROCS={n}, but the CPU quota is {q:.2} ({shown}): Go runs more threads than it may use and is throttled"),
            fix,
        ),
        Some(Ok(n)) => Check::ok(ID, format!("GOMAXPROCS={n} fits the CPU quota {q:.2} ({shown})")),
        Some(Err(_)) => Check::warn(
            ID,
            format!("GOMAXPROCS={:?} is not a number: Go ignores it", set.unwrap_or("")),
            fix,
        ),
        None => {
            let sdk = super::go::find_sdk(inp);
            let new_go = sdk.main().and_then(|s| go_minor(&s.version)).is_some_and(|v| v >= (1, 25));
            if new_go {
                Check::ok(ID, format!("CPU quota {q:.2} ({shown}); Go 1.25+ sizes GOMAXPROCS to it"))
            } else {
                Check::warn(
                    ID,
                    format!("CPU quota {q:.2} ({shown}) but GOMAXPROCS is unset: Go before 1.25 uses {a_txt} and is throttled"),
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
        assert_eq!(go_minor("go1.25.1"), Some((1, 25)));
        assert_eq!(go_minor("go1.9"), Some((1, 9)));
    }
}
