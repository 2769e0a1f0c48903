//! Where the cgroup is: `/proc/self/cgroup` lines, the mount that holds a controller, and the
//! directory levels from the cgroup up to its mount point.

use super::short;
use super::{Located, MAX_LEVELS, PATH_MAX, Version};
use crate::probe::mountinfo::Mount;
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::{Component, Path, PathBuf};

/// One line of `/proc/self/cgroup`: `id:controllers:path` (the path may contain `:`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CgroupLine<'a> {
    pub id: u32,
    pub controllers: &'a str,
    pub path: &'a [u8],
}

/// Parses one line, `None` when it is not one (fewer than three fields, a non-numeric id).
pub(crate) fn parse_cgroup_line(line: &[u8]) -> Option<CgroupLine<'_>> {
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
pub(crate) fn locate(cgroup: &[u8], mounts: &[Mount], controller: &str) -> Result<Located, String> {
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
pub(super) fn translate_any<'a>(cands: impl Iterator<Item = &'a Mount>, path: &[u8]) -> Result<Located, String> {
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
pub(crate) fn translate(m: &Mount, path: &[u8]) -> Option<PathBuf> {
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
pub(super) fn levels(loc: &Located) -> Result<Vec<PathBuf>, String> {
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
