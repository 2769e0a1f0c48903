//! GOROOT, GOPATH, GOBIN and their PATH entries (SPEC 5.2 and the Go rows of SPEC 3).
//!
//! [`resolve`] works everything out once (the SDK [`choose`] picks, the GOPATH, the module
//! cache, where `go install` writes, the toolchain the go command will really run under
//! GOTOOLCHAIN); this planner turns it into variables, PATH entries, notes and warnings, and
//! doctor's Go checks read the same [`resolve::GoEnv`]. What the shell then gets follows SPEC
//! 3's ownership: a user's valid GOROOT is their default (after `go.root`) and is only replaced
//! while a module needs another SDK (diff keeps the user's value as the original, so leaving
//! the module gives it back byte for byte); a GOROOT that is not an SDK is replaced with the
//! reason.
//!
//! `go-shadowed` is shown only when, after the hook, this shell's own first `go` is not
//! GOROOT's: something wslgo cannot fix here. That programs which rebuild PATH but inherit
//! GOROOT may run another SDK's `go` is doctor's `go.shadowed`, never a prompt warning.

pub(crate) mod choose;
pub(crate) mod fixes;
pub(crate) mod resolve;
pub(crate) mod toolchain;

pub(crate) use resolve::{GoEnv, GoIn, Gobin, resolve};

use super::{Ctx, Desired, PathEntry, Plan};
use crate::warn::Warning;
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

pub(crate) fn plan(ctx: &Ctx, p: &mut Plan) {
    let g = resolve(&GoIn {
        sys: ctx.sys,
        facts: ctx.facts,
        env: ctx.env,
        cfg: ctx.cfg,
        state: ctx.state,
        cwd: &ctx.cwd,
    });
    notes(p, &g);
    goroot(ctx, p, &g);
    gopath(p, &g);
}

fn lossy(v: &OsStr) -> String {
    String::from_utf8_lossy(v.as_bytes()).into_owned()
}

/// GOROOT, GOROOT/bin on PATH, and the SDK warnings.
fn goroot(ctx: &Ctx, p: &mut Plan, g: &GoEnv) {
    let d = &g.disc;
    let need = g.module.as_ref().and_then(|m| m.go.as_ref());
    if let Some(Err(why)) = &d.cfg_root {
        p.warn(Warning::new(
            "go-missing",
            "go.root",
            format!("go.root in the config is not a Go SDK ({why})"),
            "point go.root at a directory with bin/go and VERSION, or set it to \"auto\"",
        ));
    }
    let Some(gr) = &g.goroot else {
        let why = match &g.user_goroot_bad {
            Some(b) => format!("{b}, and no Go SDK was found"),
            None => "no Go SDK found".into(),
        };
        p.unset("GOROOT", why);
        let what = if d.path_go.is_none() {
            "no Go SDK found (looked at go.root, GOROOT, the go on PATH, /usr/local/go, /usr/local/go*, ~/sdk/go*, ~/.local/go, /usr/lib/go-*, downloaded toolchains)"
        } else {
            "the go on PATH is not part of a Go SDK wslgo can use (no bin/go with a VERSION beside it), so GOROOT is not set"
        };
        p.warn(Warning::new("go-missing", "", what, fixes::install_go(need)));
        return;
    };
    let sdk = &d.sdks[gr.sdk];
    let mut reason = gr.reason.clone();
    if let Some(r) = g.runs.as_ref().filter(|r| r.switches()) {
        reason = format!("{reason}; {}", r.describe());
    }
    p.put(Desired {
        name: "GOROOT",
        value: Some(gr.value.clone()),
        reason,
        replace_user: gr.replace_user,
    });
    if gr.bin_on_path {
        p.path_front.push(PathEntry {
            dir: Path::new(&gr.value).join("bin").into_os_string(),
            reason: format!("GOROOT/bin first: {}'s go", sdk.version),
        });
    } else if d.path_go.is_none() {
        p.warn(Warning::new(
            "go-missing",
            "path",
            format!(
                "GOROOT {} cannot go on PATH (a PATH entry cannot hold ':'), and PATH has no go",
                lossy(&gr.value)
            ),
            "move or symlink the SDK to a path without ':' (e.g. ~/sdk/goX.Y.Z) and set go.root to it",
        ));
    }

    if let (Some(need), Some(r)) = (&g.too_old, &g.runs) {
        let file = g.module.as_ref().map(|m| m.file.display().to_string()).unwrap_or_default();
        let runs = match &r.source {
            toolchain::Source::Fails(why) => format!("the go command cannot switch ({why})"),
            _ => r.describe(),
        };
        p.warn(Warning::new(
            "go-too-old",
            format!("{file}\0{}", need.text),
            format!("{file} needs go {} but GOROOT is {} and {runs}", need.text, sdk.version),
            fixes::too_old(g, need),
        ));
    }

    // go-shadowed: this shell's own first go, after the hook, is not GOROOT's.
    if let Some(pg) = &g.shadow_here {
        let other = pg.root.as_ref().and_then(|r| d.sdks.iter().find(|s| &s.root == r));
        let subject = pg.root.clone().unwrap_or_else(|| pg.dir.join("go"));
        let cause = if gr.bin_on_path {
            "a PATH entry before GOROOT/bin holds it"
        } else {
            "GOROOT/bin cannot go on PATH (it holds ':')"
        };
        let default_is_other = other.is_some_and(|o| d.sdks.get(g.choice.default.unwrap_or(usize::MAX)) == Some(o));
        let mut fix = fixes::shadowed(ctx.sys, ctx.env, other, default_is_other, false);
        if !gr.bin_on_path {
            fix = format!("move or symlink GOROOT's SDK to a path without ':' and set go.root to it; {fix}");
        }
        p.warn(Warning::new(
            "go-shadowed",
            subject.display().to_string(),
            format!(
                "go in this shell is {}/go ({}) but GOROOT is {} ({}): {cause}",
                pg.dir.display(),
                other.map_or_else(|| "not inside an SDK".to_string(), |o| o.version.to_string()),
                lossy(&gr.value),
                sdk.version,
            ),
            fix,
        ));
    }
}

/// GOPATH (`go.path`, else the go env file's, else `$HOME/go`), GOBIN (only the user's), and
/// the directory `go install` writes to on PATH.
fn gopath(p: &mut Plan, g: &GoEnv) {
    match &g.gopath_want {
        Some((v, why)) => p.set("GOPATH", v.clone(), why.clone()),
        None => p.unset("GOPATH", "HOME is not set, so go.path = auto has no value"),
    }
    let file = g.env_file.as_ref().map(|f| f.display().to_string()).unwrap_or_default();
    match &g.gobin {
        Gobin::User(v) => p.set("GOBIN", v.clone(), "the user's GOBIN: go install puts commands there"),
        Gobin::File(_) => p.unset("GOBIN", format!("not exported: go reads GOBIN from {file}")),
        Gobin::None => p.unset("GOBIN", "not set: go install puts commands in the first GOPATH entry's bin"),
    }
    if let Some((dir, why)) = g.install_dir.as_ref().filter(|(d, _)| d.is_absolute()) {
        let why = match &g.gobin {
            Gobin::None => "GOPATH/bin: where go install puts commands".to_string(),
            _ => format!("{why}: where go install puts commands"),
        };
        p.path_back.push(PathEntry {
            dir: dir.clone().into_os_string(),
            reason: why,
        });
    }
}

/// Lines for `wslgo env`: every SDK found, the candidates that were not SDKs, the module, the
/// module cache, where go install writes, and the toolchain that will run.
fn notes(p: &mut Plan, g: &GoEnv) {
    let d = &g.disc;
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
    if let Some(m) = &g.module {
        let go = m.go.as_ref().map_or("none".to_string(), |g| g.text.clone());
        let tc = match (&m.toolchain, m.toolchain_default) {
            (Some(t), _) => t.to_string(),
            (None, true) => "default".to_string(),
            (None, false) => "none".to_string(),
        };
        p.note(format!("go: module file {} (go {go}, toolchain {tc})", m.file.display()));
        for pr in &m.problems {
            p.note(format!("go: {}: {pr}", m.file.display()));
        }
    }
    if let Some((mc, why)) = &g.gomodcache {
        p.note(format!("go: GOMODCACHE={} ({why})", mc.display()));
    }
    if let Some((dir, why)) = &g.install_dir {
        p.note(format!("go: go install puts commands in {} ({why})", dir.display()));
    }
    if let Some(r) = &g.runs {
        p.note(format!("go: toolchain: {}", r.describe()));
    }
}
