//! GOROOT, GOPATH, GOBIN and their PATH entries (SPEC 5.2 and the Go rows of SPEC 3).
//!
//! The SDK is chosen in two steps, both pure functions of what [`crate::probe::go`] found so
//! unit tests can drive them with data: [`default_sdk`] (outside any module) and [`choose`]
//! (inside the module that governs the working directory). What the shell then gets follows
//! SPEC 3's ownership: a user's valid GOROOT is their default and is only replaced while a
//! module needs another SDK (diff keeps the user's value as the original, so leaving the module
//! gives it back byte for byte); a GOROOT that is not an SDK is replaced with the reason.
//!
//! `go-shadowed` looks at the user's own PATH (without wslgo's entries): wslgo puts GOROOT/bin
//! first in this shell, so here `go` is always GOROOT's; the trap is every process that
//! inherits GOROOT but rebuilds PATH (login shells re-reading /etc/profile, Makefiles and
//! scripts that prepend /usr/bin, `sudo -E`, editor tasks): they run the other SDK's `go`
//! against this GOROOT, the classic "compile: version go1.22 does not match go tool version
//! go1.19".

use super::{Ctx, Desired, PathEntry, Plan};
use crate::probe::go::{Discovery, GoVersion, Inputs, Module, find_module, read_go_env};
use crate::warn::Warning;
use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::{Path, PathBuf};

/// Where `go-missing` tells the user to get an SDK.
const GET_GO: &str = "install one: sudo apt-get install golang-go, or from https://go.dev/dl/ \
    (sudo tar -C /usr/local -xzf go1.X.Y.linux-amd64.tar.gz), or go install golang.org/dl/go1.X.Y@latest && go1.X.Y download";

/// The default SDK (outside modules) and why, in SPEC 5.2's order. A valid GOROOT the user
/// set comes before `go.root`: SPEC 3 never overwrites a user's variable, so while one is set
/// it is the GOROOT this shell has, whatever the config says.
pub(crate) fn default_sdk(d: &Discovery) -> Option<(usize, String)> {
    if let Some(Ok(i)) = d.user_goroot {
        return Some((i, "the GOROOT set before wslgo".into()));
    }
    if let Some(Ok(i)) = d.cfg_root {
        return Some((i, "go.root in the config".into()));
    }
    if let Some(i) = d.usr_local_go {
        return Some((i, "/usr/local/go".into()));
    }
    let newest = (0..d.sdks.len()).reduce(|a, b| if d.sdks[b].version > d.sdks[a].version { b } else { a })?;
    Some((newest, "the newest SDK found".into()))
}

/// The SDK for this directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Choice {
    pub default: Option<usize>,
    pub pick: Option<usize>,
    /// Why [`Choice::pick`], for `wslgo env`.
    pub why: String,
    /// The module's `go` line when no installed SDK satisfies it (`go-too-old`).
    pub too_old: Option<GoVersion>,
}

/// Picks the SDK for the module governing the working directory (SPEC 5.2's order): the
/// `toolchain` line's SDK when installed and not older than the `go` line; else the default
/// when it is new enough; else the oldest installed release at or above the `go` line (a
/// pre-release only when no release fits); else the default stays and the module is too new.
pub(crate) fn choose(d: &Discovery, m: Option<&Module>) -> Choice {
    let def = default_sdk(d);
    let default = def.as_ref().map(|(i, _)| *i);
    let mut c = Choice {
        default,
        pick: default,
        why: match &def {
            Some((i, why)) => format!("{} is the default SDK ({why})", d.sdks[*i].version),
            None => "no Go SDK found".into(),
        },
        too_old: None,
    };
    let (Some(m), Some(di)) = (m, default) else {
        return c;
    };
    let file = m.file.display();
    let ver = |i: usize| &d.sdks[i].version;
    // Among SDKs with the same version, the default wins, then the first found.
    let prefer = |cands: &mut dyn Iterator<Item = usize>| -> Option<usize> {
        let mut best: Option<usize> = None;
        for i in cands {
            best = match best {
                None => Some(i),
                Some(b) if ver(i) < ver(b) || (ver(i) == ver(b) && i == di) => Some(i),
                keep => keep,
            };
        }
        best
    };
    let mut tc_note = String::new();
    if let Some(tc) = &m.toolchain {
        if m.go.as_ref().is_some_and(|g| tc < g) {
            tc_note = format!("; its toolchain {tc} is older than its go line and is ignored");
        } else if let Some(i) = prefer(&mut (0..d.sdks.len()).filter(|&i| ver(i) == tc)) {
            c.pick = Some(i);
            c.why = format!("{tc}: the toolchain line of {file}");
            return c;
        } else {
            tc_note = format!("; its toolchain {tc} is not installed (the go command downloads it unless GOTOOLCHAIN=local)");
        }
    }
    let Some(need) = &m.go else {
        c.why = format!("{} is the default SDK; {file} has no usable go line{tc_note}", ver(di));
        return c;
    };
    if ver(di) >= need {
        c.why = format!(
            "{} is the default SDK and is new enough for go {} in {file}{tc_note}",
            ver(di),
            need.text
        );
        return c;
    }
    let fits = |rel: bool| prefer(&mut (0..d.sdks.len()).filter(|&i| ver(i) >= need && ver(i).is_release() == rel));
    if let Some(i) = fits(true).or_else(|| fits(false)) {
        c.pick = Some(i);
        c.why = format!(
            "{}: the oldest installed SDK at or above go {} in {file} (the default {} is older){tc_note}",
            ver(i),
            need.text,
            ver(di)
        );
        return c;
    }
    c.why = format!(
        "{} stays: {file} needs go {} and no installed SDK is that new{tc_note}",
        ver(di),
        need.text
    );
    c.too_old = Some(need.clone());
    c
}

pub(crate) fn plan(ctx: &Ctx, p: &mut Plan) {
    let home = ctx.env.home();
    let entries = ctx.env.path_entries();
    let user_path = crate::state::user_path(&entries, ctx.state);
    let cfg_root = (ctx.cfg.go.root != "auto" && !ctx.cfg.go.root.is_empty()).then(|| expand_home(&ctx.cfg.go.root, &home));
    let user_goroot = ctx.prior("GOROOT").filter(|v| !v.is_empty());
    let d = Discovery::probe(
        ctx.sys,
        &Inputs {
            home: &home,
            cfg_root: cfg_root.as_deref(),
            user_goroot,
            user_path: &user_path,
        },
    );
    let module = find_module(&ctx.cwd, ctx.env.get("GOWORK"));
    let c = choose(&d, module.as_ref());
    notes(p, &d, module.as_ref());
    goroot(p, &d, &c, user_goroot, module.as_ref());
    gopath(ctx, p, &home);
}

/// GOROOT, GOROOT/bin on PATH, and the SDK warnings.
fn goroot(p: &mut Plan, d: &Discovery, c: &Choice, user_goroot: Option<&OsStr>, m: Option<&Module>) {
    let lossy = |v: &OsStr| String::from_utf8_lossy(v.as_bytes()).into_owned();
    if let Some(Err(why)) = &d.cfg_root {
        p.warn(Warning::new(
            "go-missing",
            "go.root",
            format!("go.root in the config is not a Go SDK ({why})"),
            "point go.root at a directory with bin/go and VERSION, or set it to \"auto\"",
        ));
    }
    let user_bad = match (&d.user_goroot, user_goroot) {
        (Some(Err(why)), Some(g)) => Some(format!("GOROOT={} is not a Go SDK ({why})", lossy(g))),
        _ => None,
    };
    let Some(i) = c.pick else {
        let why = match &user_bad {
            Some(b) => format!("{b}, and no Go SDK was found"),
            None => "no Go SDK found".into(),
        };
        p.unset("GOROOT", why);
        if d.path_go.is_none() {
            p.warn(Warning::new(
                "go-missing",
                "",
                "no Go SDK found (looked at go.root, GOROOT, the go on PATH, /usr/local/go, /usr/local/go*, ~/sdk/go*, ~/.local/go, /usr/lib/go-*)",
                GET_GO,
            ));
        } else {
            p.warn(Warning::new(
                "go-missing",
                "",
                "the go on PATH is not part of a Go SDK wslgo can use (no bin/go with a VERSION beside it), so GOROOT is not set",
                GET_GO,
            ));
        }
        return;
    };
    let sdk = &d.sdks[i];
    let users_own = matches!(d.user_goroot, Some(Ok(j)) if j == i);
    let (value, replace_user): (OsString, bool) = match (users_own, user_goroot) {
        (true, Some(g)) => (g.to_os_string(), false),
        _ => (sdk.root.clone().into_os_string(), user_goroot.is_some()),
    };
    let reason = match (&user_bad, users_own, user_goroot) {
        (Some(b), ..) => format!("{b}; {}", c.why),
        (None, false, Some(g)) => format!("{} (the user's GOROOT {} comes back outside it)", c.why, lossy(g)),
        _ => c.why.clone(),
    };
    let bin = Path::new(&value).join("bin");
    p.put(Desired {
        name: "GOROOT",
        value: Some(value.clone()),
        reason,
        replace_user,
    });
    let usable = bin.is_absolute() && !bin.as_os_str().as_bytes().contains(&b':');
    if usable {
        p.path_front.push(PathEntry {
            dir: bin.into_os_string(),
            reason: format!("GOROOT/bin first: {}'s go", sdk.version),
        });
    } else if d.path_go.is_none() {
        p.warn(Warning::new(
            "go-missing",
            "path",
            format!(
                "GOROOT {} cannot go on PATH (a PATH entry cannot hold ':'), and PATH has no go",
                lossy(&value)
            ),
            "move or symlink the SDK to a path without ':' (e.g. ~/sdk/goX.Y.Z) and set go.root to it",
        ));
    }

    if let Some(need) = &c.too_old {
        let file = m.map(|m| m.file.display().to_string()).unwrap_or_default();
        let dl = need.dl_name();
        let newest = d.sdks.iter().map(|s| &s.version).max();
        p.warn(Warning::new(
            "go-too-old",
            format!("{file}\0{}", need.text),
            format!(
                "{file} needs go {} but the newest installed SDK is {}; GOROOT stays {}",
                need.text,
                newest.map(|v| v.to_string()).unwrap_or_default(),
                sdk.version
            ),
            format!("go install golang.org/dl/{dl}@latest && {dl} download (wslgo then finds it in ~/sdk/{dl})"),
        ));
    }

    // go-shadowed: the user's own first `go` belongs to an SDK of another version.
    if let (Some(pg), Some(j)) = (&d.path_go, d.path_go_sdk)
        && d.sdks[j].version != sdk.version
    {
        let other = &d.sdks[j];
        p.warn(Warning::new(
            "go-shadowed",
            pg.dir.display().to_string(),
            format!(
                "the first go on your own PATH is {}/go ({}, in {}) but GOROOT is {} ({}): shells and scripts that rebuild PATH \
                 run {} against GOROOT's {} (\"compile: version ... does not match go tool version ...\")",
                pg.dir.display(),
                other.version,
                other.root.display(),
                lossy(&value),
                sdk.version,
                other.version,
                sdk.version,
            ),
            format!(
                "remove {} from PATH in your shell startup files{} (wslgo puts GOROOT/bin first itself)",
                crate::quote::fix_word(pg.dir.as_os_str().as_bytes()),
                if pg.dir == Path::new("/usr/bin") || pg.dir == Path::new("/bin") {
                    ", or the distro package: sudo apt-get remove golang-go"
                } else {
                    ""
                }
            ),
        ));
    }
}

/// GOPATH (`go.path`, else the go env file's, else `$HOME/go`), GOBIN (only the user's), and
/// the directory `go install` writes to on PATH.
fn gopath(ctx: &Ctx, p: &mut Plan, home: &Path) {
    let env = &ctx.env;
    let file = crate::paths::go_env_file(env).map(|f| (read_go_env(&f), f)).unwrap_or_default();
    let (goenv, goenv_path) = (&file.0, file.1.display());
    let cfg = ctx.cfg.go.path.as_str();
    let auto = cfg == "auto" || cfg.is_empty();
    let want: Option<(OsString, String)> = if !auto {
        Some((expand_home(cfg, home).into_os_string(), format!("go.path = {cfg}")))
    } else if let Some(g) = &goenv.gopath {
        // Exporting anything else would override the user's `go env -w GOPATH=...`.
        Some((g.clone(), format!("go.path = auto: GOPATH in {goenv_path} (go env -w)")))
    } else if !home.as_os_str().is_empty() {
        Some((home.join("go").into_os_string(), "$HOME/go (go.path = auto)".into()))
    } else {
        None
    };
    match &want {
        Some((v, why)) => p.set("GOPATH", v.clone(), why.clone()),
        None => p.unset("GOPATH", "HOME is not set, so go.path = auto has no value"),
    }
    // The GOPATH the shell will have: the user's own when they set one (diff keeps it).
    let gopath: Option<OsString> = ctx
        .prior("GOPATH")
        .filter(|v| !v.is_empty())
        .map(OsStr::to_os_string)
        .or_else(|| want.map(|(v, _)| v));
    let bin = match (ctx.prior("GOBIN").filter(|v| !v.is_empty()), &goenv.gobin) {
        (Some(gobin), _) => {
            p.set("GOBIN", gobin.to_os_string(), "the user's GOBIN: go install puts commands there");
            Some((PathBuf::from(gobin), "GOBIN: where go install puts commands".to_string()))
        }
        (None, Some(gobin)) => {
            p.unset("GOBIN", format!("not exported: go reads GOBIN from {goenv_path}"));
            Some((
                PathBuf::from(gobin),
                format!("GOBIN from {goenv_path}: where go install puts commands"),
            ))
        }
        (None, None) => {
            p.unset("GOBIN", "not set: go install puts commands in the first GOPATH entry's bin");
            gopath.as_ref().and_then(|gp| {
                // go install uses the first entry of a GOPATH list.
                let first = gp.as_bytes().split(|&b| b == b':').find(|e| !e.is_empty())?;
                Some((
                    Path::new(OsStr::from_bytes(first)).join("bin"),
                    "GOPATH/bin: where go install puts commands".to_string(),
                ))
            })
        }
    };
    if let Some((dir, why)) = bin.filter(|(d, _)| d.is_absolute()) {
        p.path_back.push(PathEntry {
            dir: dir.into_os_string(),
            reason: why,
        });
    }
}

/// Lines for `wslgo env`: every SDK found, the candidates that were not SDKs, the module.
fn notes(p: &mut Plan, d: &Discovery, m: Option<&Module>) {
    if d.sdks.is_empty() {
        p.note("go: no SDK found");
    }
    for s in &d.sdks {
        p.note(format!(
            "go: found {} at {} (as {})",
            s.version,
            s.root.display(),
            s.found_as.join(", ")
        ));
    }
    for (what, why) in &d.rejected {
        p.note(format!("go: {what} is not an SDK: {why}"));
    }
    if let Some(pg) = &d.path_go
        && d.path_go_sdk.is_none()
    {
        p.note(format!(
            "go: the first go on PATH, in {}, is not inside an SDK (a wrapper or shim?)",
            pg.dir.display()
        ));
    }
    if let Some(m) = m {
        let go = m.go.as_ref().map_or("none".to_string(), |g| g.text.clone());
        let tc = m.toolchain.as_ref().map_or("none".to_string(), |t| t.to_string());
        p.note(format!("go: module file {} (go {go}, toolchain {tc})", m.file.display()));
        for pr in &m.problems {
            p.note(format!("go: {}: {pr}", m.file.display()));
        }
    }
}

/// `~` and `~/...` under HOME; other values as they are.
fn expand_home(v: &str, home: &Path) -> PathBuf {
    if v == "~" {
        return home.to_path_buf();
    }
    match v.strip_prefix("~/") {
        Some(rest) if !home.as_os_str().is_empty() => home.join(rest),
        _ => PathBuf::from(OsString::from_vec(v.as_bytes().to_vec())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::probe::go::Sdk;

    fn v(s: &str) -> GoVersion {
        GoVersion::parse(s).unwrap()
    }

    fn disc(versions: &[&str]) -> Discovery {
        Discovery {
            sdks: versions
                .iter()
                .enumerate()
                .map(|(i, s)| Sdk {
                    root: PathBuf::from(format!("/sdk/{i}")),
                    version: v(s),
                    found_as: vec![],
                })
                .collect(),
            ..Discovery::default()
        }
    }

    fn module(go: Option<&str>, tc: Option<&str>) -> Module {
        Module {
            file: "/m/go.mod".into(),
            go: go.map(v),
            toolchain: tc.map(v),
            problems: vec![],
        }
    }

    #[test]
    fn default_order() {
        let mut d = disc(&["1.19.8", "1.22.5", "1.21.0"]);
        assert_eq!(default_sdk(&d).unwrap().0, 1, "newest");
        d.usr_local_go = Some(2);
        assert_eq!(default_sdk(&d).unwrap().0, 2, "/usr/local/go beats newest");
        d.cfg_root = Some(Ok(0));
        assert_eq!(default_sdk(&d).unwrap().0, 0, "go.root beats /usr/local/go");
        d.user_goroot = Some(Err("x".into()));
        assert_eq!(default_sdk(&d).unwrap().0, 0, "an invalid GOROOT does not count");
        d.user_goroot = Some(Ok(1));
        assert_eq!(default_sdk(&d).unwrap().0, 1, "the user's valid GOROOT");
        assert!(default_sdk(&disc(&[])).is_none());
    }

    #[test]
    fn module_rules() {
        // Default /usr/local/go = 1.21.0; installed: 1.19.8, 1.22.5, 1.21.0, 1.22.1, 1.23rc1.
        let mut d = disc(&["1.19.8", "1.22.5", "1.21.0", "1.22.1", "1.23rc1"]);
        d.usr_local_go = Some(2);
        let pick = |m: Module| choose(&d, Some(&m));
        assert_eq!(
            pick(module(Some("1.21"), Some("1.19.8"))).pick,
            Some(2),
            "toolchain older than go line: ignored"
        );
        assert_eq!(
            pick(module(Some("1.18"), Some("1.19.8"))).pick,
            Some(0),
            "toolchain wins over a new-enough default"
        );
        assert_eq!(
            pick(module(Some("1.21"), Some("1.21.7"))).pick,
            Some(2),
            "toolchain not installed: default"
        );
        assert_eq!(pick(module(Some("1.21"), None)).pick, Some(2), "1.21 < 1.21.0: default new enough");
        assert_eq!(pick(module(Some("1.21.1"), None)).pick, Some(3), "oldest release at or above");
        assert_eq!(pick(module(Some("1.22"), None)).pick, Some(3));
        assert_eq!(pick(module(Some("1.23"), None)).pick, Some(4), "a pre-release when no release fits");
        let c = pick(module(Some("1.24"), None));
        assert_eq!((c.pick, c.too_old), (Some(2), Some(v("1.24"))));
        assert_eq!(pick(module(None, None)).pick, Some(2));
        assert_eq!(choose(&d, None).pick, Some(2));
        assert_eq!(choose(&disc(&[]), Some(&module(Some("1.21"), None))).pick, None);
    }

    #[test]
    fn same_version_prefers_default() {
        let mut d = disc(&["1.22.5", "1.21.0", "1.22.5"]);
        d.usr_local_go = Some(1);
        assert_eq!(choose(&d, Some(&module(Some("1.22"), None))).pick, Some(0));
        d.usr_local_go = None;
        d.cfg_root = Some(Ok(2));
        assert_eq!(choose(&d, Some(&module(Some("1.22"), Some("1.22.5")))).pick, Some(2));
    }

    #[test]
    fn home_expansion() {
        assert_eq!(expand_home("~/go", Path::new("/h")), PathBuf::from("/h/go"));
        assert_eq!(expand_home("/x", Path::new("/h")), PathBuf::from("/x"));
        assert_eq!(expand_home("~", Path::new("/h")), PathBuf::from("/h"));
    }
}
