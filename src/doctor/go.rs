//! Go itself: `go.sdk`, `go.shadowed`, `go.path`, `go.gopath_bin`, `go.goroot_owner`,
//! `go.env` (and, from [`super::cgo`], `cgo.toolchain`).
//!
//! Nothing here runs `go` (SPEC 5.2): what the go command would see is worked out the way it
//! works it out: a variable in the environment wins over the `go env -w` file
//! (`$GOENV`, else `$XDG_CONFIG_HOME/go/env`, else `~/.config/go/env`), which wins over the
//! built-in default.

use super::goenv::{EnvFile, go_var, goroot_sdk};
use super::{Check, Input};
use crate::plan::go::resolve::first_entry;
use crate::plan::go::{GoEnv, fixes};
use crate::probe::go;
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

fn euid() -> u32 {
    // SAFETY: geteuid(2) takes nothing, touches no memory and always succeeds.
    unsafe { libc::geteuid() }
}

pub(crate) fn checks(inp: &Input) -> Vec<Check> {
    let g = inp.go();
    vec![
        sdk_check(inp, g),
        shadowed_check(inp, g),
        path_check(inp, g),
        gopath_bin(inp, g),
        goroot_owner(inp, g),
        env_check(inp),
        super::cgo::check(inp),
    ]
}

// ---------------------------------------------------------------------------------------
// The SDK, GOPATH and the module cache: the hook's own resolver ([`crate::plan::go::resolve`]).

/// A path for the user: the system path for SDKs inside the sysroot, `~/...` under HOME.
fn show(inp: &Input, p: &Path) -> String {
    if !inp.home.as_os_str().is_empty()
        && let Ok(rel) = p.strip_prefix(&inp.home)
    {
        return format!("~/{}", rel.display());
    }
    fixes::sys_path(inp.sys, p)
}

/// [`show`] as one word of a command a user may paste: `"$HOME"/...` under HOME (a `~` is not
/// expanded inside an assignment in every shell), the rest shell-quoted
/// ([`crate::quote::fix_word`]), so a path holding `$(...)`, quotes or spaces stays a path.
fn show_sh(inp: &Input, p: &Path) -> String {
    use crate::quote::fix_word;
    if !inp.home.as_os_str().is_empty()
        && inp.home.is_absolute()
        && let Ok(rel) = p.strip_prefix(&inp.home)
    {
        if rel.as_os_str().is_empty() {
            return "\"$HOME\"".into();
        }
        return format!("\"$HOME\"/{}", fix_word(rel.as_os_str().as_encoded_bytes()));
    }
    let shown = if inp.sys.is_fake() {
        inp.sys.unpath(p).unwrap_or_else(|| p.to_path_buf())
    } else {
        p.to_path_buf()
    };
    fix_word(shown.as_os_str().as_encoded_bytes())
}

/// `p` with `.bak` appended to its name.
fn bak(p: &Path) -> std::path::PathBuf {
    let mut n = p.as_os_str().to_os_string();
    n.push(".bak");
    n.into()
}

/// `export PATH=<dir>/bin:"$PATH"`, the directory quoted.
fn path_first(inp: &Input, dir: &Path) -> String {
    format!("export PATH={}:\"$PATH\"", show_sh(inp, &dir.join("bin")))
}

fn lossy(v: &OsStr) -> String {
    String::from_utf8_lossy(v.as_bytes()).into_owned()
}

fn sdk_check(inp: &Input, g: &GoEnv) -> Check {
    const ID: &str = "go.sdk";
    if let (Some(bad), true) = (&g.user_goroot_bad, inp.env.get_nonempty("GOROOT").is_some()) {
        let instead = match &g.goroot {
            Some(gr) => format!("; wslgo sets GOROOT={} ({})", lossy(&gr.value), g.disc.sdks[gr.sdk].version),
            None => String::new(),
        };
        return Check::warn(
            ID,
            format!("{bad}{instead}"),
            "unset GOROOT (wslgo then picks an installed SDK); or point it at an SDK directory",
        );
    }
    let Some(gr) = &g.goroot else {
        return Check::fail(
            ID,
            "no Go SDK found (go.root, $GOROOT, go on PATH, /usr/local/go*, ~/sdk/go*, ~/.local/go, /usr/lib/go-*, downloaded toolchains)",
            fixes::install_go(g.module.as_ref().and_then(|m| m.go.as_ref())),
        );
    };
    let sdk = &g.disc.sdks[gr.sdk];
    let others = g.disc.sdks.iter().filter(|s| s.root != sdk.root).count();
    let also = if others > 0 {
        format!("; {others} more found")
    } else {
        String::new()
    };
    let summary = format!("GOROOT={} ({}: {}){also}", lossy(&gr.value), sdk.version, gr.reason);
    if go::which(&inp.env.path_entries(), "go").is_none() {
        return Check::warn(
            ID,
            format!("{summary}; but no `go` on PATH"),
            format!(
                "{}; or: {}",
                super::shell::init_fix(inp, "puts it on PATH"),
                path_first(inp, Path::new(&gr.value))
            ),
        );
    }
    Check::ok(ID, summary)
}

/// `go.shadowed`: programs that rebuild PATH (login shells re-reading /etc/profile, `sudo`,
/// Makefiles and scripts that prepend /usr/bin, editor tasks) but inherit GOROOT find the first
/// `go` on the user's own PATH: when that is another SDK's, it runs against GOROOT's tree.
fn shadowed_check(inp: &Input, g: &GoEnv) -> Check {
    const ID: &str = "go.shadowed";
    let Some(gr) = &g.goroot else {
        return Check::skip(ID, "no Go SDK found");
    };
    let sdk = &g.disc.sdks[gr.sdk];
    let d = &g.disc;
    let Some(pg) = &d.path_go else {
        return Check::ok(
            ID,
            format!(
                "no go on your own PATH besides wslgo's GOROOT/bin ({}): nothing else to run",
                sdk.version
            ),
        );
    };
    let other = d.path_go_sdk.map(|i| &d.sdks[i]);
    if other.is_some_and(|o| o.root == sdk.root) {
        return Check::ok(
            ID,
            format!(
                "the first go on your own PATH, {}/go, is GOROOT's ({})",
                pg.dir.display(),
                sdk.version
            ),
        );
    }
    let Some(o) = other else {
        return Check::warn(
            ID,
            format!(
                "the first go on your own PATH, {}/go, is not inside an SDK (a wrapper?): programs that rebuild PATH run it, not GOROOT's {}",
                pg.dir.display(),
                sdk.version
            ),
            "make sure it runs the SDK you want, or remove it; nothing to do for interactive work: in every shell with wslgo's hook go is GOROOT's",
        );
    };
    let where_ = match &g.module {
        Some(m) if g.choice.pick != g.choice.default => format!(" for {}", m.file.display()),
        _ => String::new(),
    };
    let default_is_other = g.choice.default.is_some_and(|i| d.sdks[i].root == o.root);
    Check::warn(
        ID,
        format!(
            "the first go on your own PATH is {}/go ({}) but GOROOT{where_} is {} ({}): programs that rebuild PATH but inherit GOROOT \
             (login shells, sudo, Makefiles, editor tasks) run {} against GOROOT's {} (\"compile: version ... does not match go tool version ...\")",
            pg.dir.display(),
            o.version,
            lossy(&gr.value),
            sdk.version,
            o.version,
            sdk.version,
        ),
        fixes::shadowed(inp.sys, inp.env, Some(o), default_is_other, true),
    )
}

fn path_check(inp: &Input, g: &GoEnv) -> Check {
    const ID: &str = "go.path";
    let Some((gp, src)) = &g.gopath else {
        return Check::fail(ID, "GOPATH has no value (HOME is not set)", "export HOME (and GOPATH=\"$HOME/go\")");
    };
    let p = first_entry(gp).unwrap_or_default();
    let mc = match &g.gomodcache {
        Some((m, why)) => format!("; GOMODCACHE={} ({why})", m.display()),
        None => String::new(),
    };
    let shown = format!("GOPATH={} ({src}){mc}", lossy(gp));
    if !p.is_absolute() {
        return Check::fail(
            ID,
            format!("{shown}: {} is relative, and the go command refuses it", p.display()),
            "export GOPATH=\"$HOME/go\" (or unset GOPATH: wslgo sets $HOME/go)",
        );
    }
    if let Some(s) = goroot_sdk(g)
        && (s.root == p || std::fs::canonicalize(&p).ok() == std::fs::canonicalize(&s.root).ok() && p.exists())
    {
        return Check::fail(
            ID,
            format!("{shown}: the SDK itself, which go ignores (\"GOPATH set to GOROOT has no effect\")"),
            "export GOPATH=\"$HOME/go\"",
        );
    }
    match p.metadata() {
        Err(_) => Check::ok(ID, format!("{shown}; created by the first go install")),
        Ok(m) if !m.is_dir() => Check::fail(
            ID,
            format!("{shown}: {} is not a directory", show(inp, &p)),
            format!("move it away: mv -- {} {}", show_sh(inp, &p), show_sh(inp, &bak(&p))),
        ),
        Ok(m) if !writable_by_me(&m) => Check::warn(
            ID,
            format!(
                "{shown}: {} is not writable by you (owner uid {}): go install and module downloads fail",
                show(inp, &p),
                m.uid()
            ),
            format!("sudo chown -R \"$USER\" {}", show_sh(inp, &p)),
        ),
        Ok(_) => Check::ok(ID, shown),
    }
}

fn writable_by_me(m: &std::fs::Metadata) -> bool {
    let me = euid();
    me == 0 || (m.uid() == me && m.mode() & 0o200 != 0) || m.mode() & 0o002 != 0
}

fn gopath_bin(inp: &Input, g: &GoEnv) -> Check {
    const ID: &str = "go.gopath_bin";
    let Some((bin, what)) = &g.install_dir else {
        return Check::skip(ID, "no GOPATH (HOME is not set)");
    };
    let norm = |p: &Path| p.components().collect::<PathBuf>();
    let on = inp
        .env
        .path_entries()
        .iter()
        .any(|e| !e.is_empty() && norm(Path::new(e)) == norm(bin));
    if on {
        Check::ok(
            ID,
            format!("go install puts commands in {} ({what}), which is on PATH", bin.display()),
        )
    } else {
        Check::warn(
            ID,
            format!(
                "go install puts commands in {} ({what}), which is not on PATH: tools from go install (gopls, dlv, staticcheck) are not found",
                bin.display()
            ),
            format!(
                "{}; or: export PATH=\"$PATH\":{}",
                super::shell::init_fix(inp, "adds it"),
                show_sh(inp, bin)
            ),
        )
    }
}

/// The ownership verdict for an SDK directory, from its metadata (a pure function of the
/// numbers, for unit tests).
pub(crate) fn owner_verdict(mode: u32, uid: u32, me: u32, under_home: bool) -> Option<(&'static str, bool)> {
    if mode & 0o002 != 0 {
        return Some(("writable by every user: anyone on this machine can replace the compiler", true));
    }
    if me != 0 && uid == me && mode & 0o200 != 0 && !under_home {
        return Some(("writable by you outside HOME: any script you run can patch the toolchain", false));
    }
    None
}

fn goroot_owner(inp: &Input, g: &GoEnv) -> Check {
    const ID: &str = "go.goroot_owner";
    let Some(sdk) = goroot_sdk(g) else {
        return Check::skip(ID, "no Go SDK found");
    };
    let under_home = !inp.home.as_os_str().is_empty() && sdk.root.starts_with(&inp.home);
    let me = euid();
    let places = [
        sdk.root.clone(),
        sdk.root.join("bin"),
        sdk.root.join("bin/go"),
        sdk.root.join("pkg/tool"),
    ];
    let mut worst: Option<(String, &str, bool)> = None;
    for p in &places {
        let Ok(m) = std::fs::symlink_metadata(p) else { continue };
        if m.file_type().is_symlink() {
            continue;
        }
        if let Some((why, fail)) = owner_verdict(m.mode(), m.uid(), me, under_home)
            && worst.as_ref().is_none_or(|w| fail && !w.2)
        {
            worst = Some((show(inp, p), why, fail));
        }
    }
    let root = show(inp, &sdk.root);
    match worst {
        None => Check::ok(
            ID,
            if under_home {
                format!("{} at {root} is yours, under HOME (as golang.org/dl installs it)", sdk.version)
            } else {
                format!("{} at {root} is writable only by its owner (root)", sdk.version)
            },
        ),
        Some((p, why, true)) => Check::fail(
            ID,
            format!("{p} is {why}"),
            format!("sudo chmod -R go-w {}", show_sh(inp, &sdk.root)),
        ),
        Some((p, why, false)) => Check::warn(
            ID,
            format!("{p} is {why}"),
            format!("sudo chown -R root:root {}", show_sh(inp, &sdk.root)),
        ),
    }
}

/// A `GONOSUMDB`/`GOPRIVATE` list that matches every module path (a bare `*`).
fn covers_everything(list: &str) -> bool {
    list.split(',').any(|p| p.trim() == "*")
}

fn env_check(inp: &Input) -> Check {
    const ID: &str = "go.env";
    let file = inp.env_file();
    let (where_, n) = match &file {
        EnvFile::Off => ("GOENV=off".to_string(), 0),
        EnvFile::Missing(p) => (format!("no {}", show(inp, p)), 0),
        EnvFile::Unreadable(p, why) => {
            return Check::warn(
                ID,
                format!("cannot read the go env -w file {}: {why}", show(inp, p)),
                format!("look at it, then remove it if it is not yours: rm {}", show_sh(inp, p)),
            );
        }
        EnvFile::Parsed(p, v) => (show(inp, p), v.len()),
    };
    let src = |s: &str| {
        if s.starts_with('$') {
            "the environment".to_string()
        } else {
            "go env -w".to_string()
        }
    };
    let mut fails = Vec::new();
    let mut warns = Vec::new();
    let mut fixes = Vec::new();
    if let Some((v, s)) = go_var(inp.env, file, "GOSUMDB")
        && v.trim() == "off"
    {
        fails.push(format!(
            "GOSUMDB=off (from {}) turns off checksum verification of every module download",
            src(&s)
        ));
        fixes.push(format!(
            "{}; for private modules instead: go env -w GOPRIVATE='git.example.com/*' (it implies GONOSUMDB)",
            if s.starts_with('$') {
                "unset GOSUMDB (and remove its export)"
            } else {
                "go env -u GOSUMDB"
            }
        ));
    }
    for name in ["GONOSUMDB", "GOPRIVATE", "GONOSUMCHECK"] {
        if let Some((v, s)) = go_var(inp.env, file, name)
            && covers_everything(&v)
        {
            fails.push(format!(
                "{name}={v} (from {}) skips checksum verification for every module",
                src(&s)
            ));
            fixes.push(format!("list only your private hosts: go env -w {name}='git.example.com/*'"));
        }
    }
    if let Some((v, s)) = go_var(inp.env, file, "GOINSECURE").filter(|(v, _)| !v.is_empty()) {
        warns.push(format!("GOINSECURE={v} (from {}) fetches those modules over plain HTTP", src(&s)));
        fixes.push("serve them over HTTPS and go env -u GOINSECURE".to_string());
    }
    if let Some((v, s)) = go_var(inp.env, file, "GOPROXY")
        && v.trim() == "off"
    {
        warns.push(format!("GOPROXY=off (from {}) forbids every module download", src(&s)));
        fixes.push("go env -u GOPROXY (or set go.goproxy in wslgo's config)".to_string());
    }
    if !fails.is_empty() {
        fails.extend(warns);
        return Check::fail(ID, fails.join("; "), fixes.join("; "));
    }
    if !warns.is_empty() {
        return Check::warn(ID, warns.join("; "), fixes.join("; "));
    }
    if n == 0 {
        Check::ok(ID, format!("{where_}: no go env -w settings; checksums verified (GOSUMDB default)"))
    } else {
        let names: Vec<&str> = match &file {
            EnvFile::Parsed(_, v) => v.iter().map(|v| v.name.as_str()).collect(),
            _ => Vec::new(),
        };
        Check::ok(ID, format!("{where_}: {} set; checksums verified", names.join(", ")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owner() {
        assert!(owner_verdict(0o40777, 0, 1000, false).unwrap().1, "world-writable fails");
        assert!(!owner_verdict(0o40755, 1000, 1000, false).unwrap().1, "mine outside HOME warns");
        assert!(owner_verdict(0o40755, 1000, 1000, true).is_none(), "mine under HOME is fine");
        assert!(owner_verdict(0o40755, 0, 1000, false).is_none(), "root's");
        assert!(owner_verdict(0o40755, 0, 0, false).is_none(), "root running doctor");
    }

    #[test]
    fn patterns() {
        assert!(covers_everything("*") && covers_everything("a.com/*, *") && !covers_everything("*.corp.com"));
    }
}
