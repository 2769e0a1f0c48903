//! `drvfs-cwd` (SPEC 5.7): the working directory is inside a Go module on a Windows drive.
//!
//! Files under `/mnt/<drive>` live on the Windows side and every open, stat and read crosses
//! the VM boundary (9p or virtiofs). `go build` and `go test` touch thousands of files, so they
//! run an order of magnitude slower there than under ~ (the ext4 disk of the distro). People
//! clone into `/mnt/c/Users/...` to share the tree with Windows editors and never learn why
//! their builds crawl.
//!
//! The check is cheap enough for every refresh: one bounded read of /proc/self/mountinfo; the
//! walk up for go.mod/go.work happens only when the directory is on such a mount, and stops at
//! its mount point (a stat on DrvFs is itself slow). The warning's subject is the module root,
//! so it shows once per module and session, however deep the user goes inside it.

use super::{Ctx, Plan};
use crate::probe::mountinfo::{self, Mount};
use crate::warn::Warning;
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

pub(crate) fn plan(ctx: &Ctx, p: &mut Plan) {
    if !ctx.cwd.is_absolute() {
        return;
    }
    let Ok(mounts) = ctx.facts.mounts() else {
        return;
    };
    let has_mod = |d: &Path| d.join("go.mod").is_file() || d.join("go.work").is_file();
    let found = drvfs_module(mounts, &ctx.cwd, has_mod).or_else(|| {
        // $PWD keeps a symlinked spelling (~/win -> /mnt/c/src); mountinfo has the real one.
        // With no Windows drive mounted at all (plain Linux) there is nothing to resolve for.
        if !mounts.iter().any(Mount::is_drvfs) {
            return None;
        }
        let real = std::fs::canonicalize(&ctx.cwd).ok().filter(|r| r != &ctx.cwd)?;
        drvfs_module(mounts, &real, has_mod)
    });
    let Some((root, m)) = found else { return };
    let kind = match m.fstype.as_str() {
        "9p" => "9p DrvFs",
        "virtiofs" => "virtiofs",
        _ => "DrvFs",
    };
    let home = ctx.env.home();
    let name = root.file_name().map(|n| n.to_os_string()).unwrap_or_else(|| "project".into());
    p.warn(Warning::new(
        "drvfs-cwd",
        root.to_string_lossy(),
        format!(
            "{} is a Go module on a Windows drive ({kind} at {}): go build and go test there are an order of magnitude (10x or more) slower than on the Linux disk",
            root.display(),
            m.mount_point.display()
        ),
        move_fix(&home, &root, &name),
    ));
}

/// The fix: a command that moves the module to `~/src/<name>` and goes there, every path
/// quoted (SPEC 5.7). `mv -T` refuses to move the tree into an existing directory of that name.
pub(crate) fn move_fix(home: &Path, root: &Path, name: &OsStr) -> String {
    let rel = Path::new("src").join(name);
    let to = format!("~/{}", crate::quote::fix_word(rel.as_os_str().as_bytes()));
    let src = crate::quote::fix_path(home, root);
    format!("move it under ~ (or git clone it there) and work from there: mkdir -p ~/src && mv -T -- {src} {to} && cd {to}")
}

/// The module root (nearest directory with go.mod or go.work, up from `cwd` to the mount point)
/// when `cwd` is on a DrvFs mount, with that mount.
pub(crate) fn drvfs_module<'a>(mounts: &'a [Mount], cwd: &Path, has_mod: impl Fn(&Path) -> bool) -> Option<(PathBuf, &'a Mount)> {
    let m = mountinfo::mount_of(mounts, cwd)?;
    if !m.is_drvfs() {
        return None;
    }
    let mut dir = Some(cwd);
    while let Some(d) = dir {
        if has_mod(d) {
            return Some((d.to_path_buf(), m));
        }
        if d == m.mount_point {
            break;
        }
        dir = d.parent();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const MI: &[u8] = b"1 0 0:1 / / rw - ext4 /dev/sdc rw\n\
97 1 0:50 / /mnt/c rw,noatime shared:23 - 9p C:\\134 rw,dirsync,aname=drvfs;path=C:\\;uid=1000\n\
98 1 0:51 / /mnt/wsl rw - tmpfs none rw\n\
99 1 0:52 / /mnt/d rw - virtiofs drvfsD rw\n";

    #[test]
    fn finds_module_root_on_drvfs_only() {
        let ms = mountinfo::parse(MI);
        let mods = |d: &Path| d == Path::new("/mnt/c/src/app") || d == Path::new("/mnt/wsl/app") || d == Path::new("/home/u/app");
        let (root, m) = drvfs_module(&ms, Path::new("/mnt/c/src/app/pkg/x"), mods).unwrap();
        assert_eq!(root, PathBuf::from("/mnt/c/src/app"));
        assert_eq!(m.mount_point, PathBuf::from("/mnt/c"));
        assert!(drvfs_module(&ms, Path::new("/mnt/c/src/other"), mods).is_none(), "no module");
        assert!(drvfs_module(&ms, Path::new("/mnt/wsl/app"), mods).is_none(), "tmpfs");
        assert!(drvfs_module(&ms, Path::new("/home/u/app"), mods).is_none(), "ext4");
        let all = |_: &Path| true;
        assert_eq!(drvfs_module(&ms, Path::new("/mnt/d/x"), all).unwrap().0, PathBuf::from("/mnt/d/x"));
        // The walk stops at the mount point: a go.mod above it is not this tree's module.
        let above = |d: &Path| d == Path::new("/mnt");
        assert!(drvfs_module(&ms, Path::new("/mnt/c/src"), above).is_none());
    }
}
