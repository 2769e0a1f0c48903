//! WSL itself and the Windows drives: `wsl.version`, `wsl.kernel`, `wsl.conf`,
//! `drvfs.metadata`, `drvfs.workdir`.

use super::wslconf::Read;
use super::{Check, Input};
use crate::probe::mountinfo::{self, Mount};
use crate::probe::wsl::{Kind, Networking};
use std::path::PathBuf;

/// The oldest WSL2 kernel that is not a trap: 5.10 is the kernel WSL has shipped since 2021;
/// systemd support, cgroup v2 by default and WSLg all assume it.
const MIN_KERNEL: (u32, u32) = (5, 10);

pub(crate) fn checks(inp: &Input) -> Vec<Check> {
    vec![version(inp), kernel(inp), conf(inp), metadata(inp), workdir(inp)]
}

fn distro(inp: &Input) -> String {
    inp.env
        .get_str("WSL_DISTRO_NAME")
        .filter(|d| !d.is_empty() && d.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c)))
        .unwrap_or("<distro>")
        .to_string()
}

fn version(inp: &Input) -> Check {
    const ID: &str = "wsl.version";
    let p = &inp.platform;
    match p.kind {
        Kind::Wsl2 => {
            let net = match p.networking {
                Some(Networking::Nat) => "NAT networking",
                Some(Networking::Mirrored) => "mirrored networking",
                _ => "networking mode unknown",
            };
            Check::ok(ID, format!("WSL2, {net} (kernel {})", p.kernel))
        }
        Kind::Wsl1 => Check::warn(
            ID,
            format!(
                "WSL1 (kernel {}): no cgroups, no real Linux kernel, and file access slows every go build",
                p.kernel
            ),
            format!("in PowerShell: wsl --set-version {} 2", distro(inp)),
        ),
        Kind::Linux => Check::skip(ID, inp.not_wsl().unwrap_or_default()),
    }
}

/// `5.15.153.1-microsoft-standard-WSL2` -> (5, 15).
pub(crate) fn kernel_version(release: &str) -> Option<(u32, u32)> {
    let mut it = release.split(|c: char| !c.is_ascii_digit());
    let major = it.next()?.parse().ok()?;
    let minor = it.next()?.parse().ok()?;
    Some((major, minor))
}

fn kernel(inp: &Input) -> Check {
    const ID: &str = "wsl.kernel";
    let p = &inp.platform;
    match p.kind {
        Kind::Linux => Check::skip(ID, inp.not_wsl().unwrap_or_default()),
        Kind::Wsl1 => Check::skip(ID, format!("WSL1 has no Linux kernel ({} is a translation layer)", p.kernel)),
        Kind::Wsl2 => match kernel_version(&p.kernel) {
            Some(v) if v >= MIN_KERNEL => Check::ok(ID, format!("kernel {} (>= {}.{})", p.kernel, MIN_KERNEL.0, MIN_KERNEL.1)),
            Some(_) => Check::warn(
                ID,
                format!(
                    "kernel {} is older than {}.{}: no systemd support, cgroup v1 only, old WSL",
                    p.kernel, MIN_KERNEL.0, MIN_KERNEL.1
                ),
                "in PowerShell: wsl --update; then wsl --shutdown",
            ),
            None => Check::warn(
                ID,
                format!("cannot tell the version of kernel {:?}", p.kernel),
                "in PowerShell: wsl --update; then wsl --shutdown",
            ),
        },
    }
}

fn conf(inp: &Input) -> Check {
    const ID: &str = "wsl.conf";
    if let Some(why) = inp.not_wsl() {
        return Check::skip(ID, why);
    }
    let c = match &inp.wslconf {
        Read::Missing => return Check::ok(ID, "no /etc/wsl.conf: WSL's defaults apply"),
        Read::Unreadable(why) => {
            return Check::warn(
                ID,
                format!("{why}; WSL cannot read it either and uses its defaults"),
                "sudo rm /etc/wsl.conf and write it again as text ([section] and key = value lines)",
            );
        }
        Read::Parsed(c) => c,
    };
    let mut what: Vec<String> = Vec::new();
    let mut fix: Vec<String> = Vec::new();
    if !c.misplaced.is_empty() {
        let keys: Vec<&str> = c.misplaced.iter().map(|e| e.name.split('.').nth(1).unwrap_or(&e.name)).collect();
        let section = c.misplaced[0].name.split('.').next().unwrap_or("wsl2");
        what.push(format!(
            "line {}: [{section}] {} are settings of %UserProfile%\\.wslconfig (the VM); WSL ignores them in /etc/wsl.conf",
            c.misplaced[0].line,
            keys.join(", ")
        ));
        fix.push("move them under [wsl2] in %UserProfile%\\.wslconfig on Windows (/mnt/c/Users/<you>/.wslconfig), delete them here".into());
    }
    for p in &c.problems {
        what.push(p.what.clone());
        fix.push(p.fix.clone());
    }
    if what.is_empty() {
        let n = c.entries.len();
        return Check::ok(
            ID,
            format!("/etc/wsl.conf: {n} setting{}, all known to WSL", if n == 1 { "" } else { "s" }),
        );
    }
    fix.push("then in PowerShell: wsl --shutdown".into());
    fix.dedup();
    Check::warn(ID, format!("/etc/wsl.conf: {}", what.join("; ")), fix.join("; "))
}

/// `C:` for a drive mount (`C:\` in the source, or the letter of `/mnt/c`).
fn drive(m: &Mount) -> String {
    let src = m.source.trim_end_matches('\\');
    if src.len() == 2 && src.ends_with(':') {
        return src.to_string();
    }
    m.mount_point.display().to_string()
}

fn metadata(inp: &Input) -> Check {
    const ID: &str = "drvfs.metadata";
    if let Some(why) = inp.not_wsl() {
        return Check::skip(ID, why);
    }
    let mounts = match inp.mounts() {
        Ok(m) => m,
        Err(why) => return Check::skip(ID, why),
    };
    let drives: Vec<&Mount> = mounts.iter().filter(|m| m.is_drvfs()).collect();
    if drives.is_empty() {
        return Check::ok(ID, "no Windows drive is mounted (automount off?)");
    }
    let without: Vec<&&Mount> = drives.iter().filter(|m| !m.has_option("metadata")).collect();
    let list = |ms: &mut dyn Iterator<Item = &Mount>| {
        ms.map(|m| format!("{} ({})", m.mount_point.display(), drive(m)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if without.is_empty() {
        return Check::ok(ID, format!("mounted with metadata: {}", list(&mut drives.iter().copied())));
    }
    let asked = inp
        .wslconf
        .get("automount.options")
        .is_some_and(|o| o.split(',').any(|x| x.trim() == "metadata"));
    let fix = if asked {
        "/etc/wsl.conf already asks for metadata: restart WSL (in PowerShell: wsl --shutdown)".to_string()
    } else {
        "add to /etc/wsl.conf: [automount] options = \"metadata,umask=22,fmask=11\"; then in PowerShell: wsl --shutdown".to_string()
    };
    Check::warn(
        ID,
        format!(
            "mounted without metadata: {}: chmod/chown do not stick, every file is 0777 (git sees mode changes, ssh refuses keys)",
            list(&mut without.iter().map(|m| **m))
        ),
        fix,
    )
}

fn workdir(inp: &Input) -> Check {
    const ID: &str = "drvfs.workdir";
    if let Some(why) = inp.not_wsl() {
        return Check::skip(ID, why);
    }
    let mounts = match inp.mounts() {
        Ok(m) => m,
        Err(why) => return Check::skip(ID, why),
    };
    // GOPATH and GOMODCACHE as the hook resolves them.
    let g = inp.go();
    let gopath = g.gopath.as_ref().and_then(|(v, _)| crate::plan::go::resolve::first_entry(v));
    let places: Vec<(&str, PathBuf)> = [
        ("working directory", Some(inp.env.cwd())),
        ("GOPATH", gopath),
        ("GOMODCACHE", g.gomodcache.as_ref().map(|(p, _)| p.clone())),
    ]
    .into_iter()
    .filter_map(|(w, p)| Some((w, p?)))
    .collect();
    let on_drive: Vec<String> = places
        .iter()
        .filter_map(|(what, p)| {
            let m = mountinfo::mount_of(mounts, p).filter(|m| m.is_drvfs())?;
            Some(format!("{what} {} is on a Windows drive ({})", p.display(), drive(m)))
        })
        .collect();
    if on_drive.is_empty() {
        return Check::ok(ID, "working directory, GOPATH and GOMODCACHE are on the Linux file system");
    }
    let mut fix = Vec::new();
    if on_drive.iter().any(|s| s.starts_with("working")) {
        fix.push("move the project under ~ (git clone it again there, or cp -a it)".to_string());
    }
    if on_drive.iter().any(|s| s.starts_with("GOPATH") || s.starts_with("GOMODCACHE")) {
        fix.push(
            "keep GOPATH and GOMODCACHE under ~: go env -u GOPATH GOMODCACHE; unset GOPATH GOMODCACHE (wslgo then uses $HOME/go)".into(),
        );
    }
    Check::warn(
        ID,
        format!(
            "{}: builds there are an order of magnitude slower (Windows files over 9p)",
            on_drive.join("; ")
        ),
        fix.join("; "),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kernel_versions() {
        assert_eq!(kernel_version("5.15.153.1-microsoft-standard-WSL2"), Some((5, 15)));
        assert_eq!(kernel_version("4.19.128-microsoft-standard"), Some((4, 19)));
        assert_eq!(kernel_version("garbage"), None);
        assert!(kernel_version("5.4.72-microsoft-standard-WSL2").unwrap() < MIN_KERNEL);
        assert!(kernel_version("6.6.36.3-microsoft-standard-WSL2").unwrap() >= MIN_KERNEL);
    }
}
