//! The one resolver for GOROOT, GOPATH, GOMODCACHE, GOBIN and the toolchain that will run:
//! the hook's planner and doctor's Go checks both call [`resolve`], so they cannot disagree.

use super::choose::{Choice, choose};
use super::toolchain::{self, Runs, Source, Target};
use crate::config::Config;
use crate::probe::Facts;
use crate::probe::go::{Discovery, GoVersion, Inputs, Module, PathGo, find_module, go_found, read_go_env, read_sdk_go_env, which};
use crate::shellenv::ShellEnv;
use crate::state::State;
use crate::sysroot::Sys;
use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

/// The go command's default module proxy (what Google's `go.env` sets).
pub(crate) const DEFAULT_GOPROXY: &str = "https://proxy.golang.org,direct";

/// What the resolver reads.
pub(crate) struct GoIn<'a> {
    pub sys: &'a Sys,
    /// The run's probes (the mounts: PATH entries on Windows drives are never looked into).
    pub facts: &'a Facts<'a>,
    pub env: &'a ShellEnv,
    pub cfg: &'a Config,
    /// The shell's wslgo state: which values are the user's.
    pub state: &'a State,
    pub cwd: &'a Path,
}

impl GoIn<'_> {
    /// The user's own non-empty value (see [`crate::plan::Ctx::prior`]).
    fn prior(&self, name: &str) -> Option<&OsStr> {
        self.state.prior(name, self.env.get(name)).filter(|v| !v.is_empty())
    }
}

/// GOROOT as the shell will have it.
#[derive(Debug, Clone)]
pub(crate) struct Goroot {
    /// The SDK (index into [`GoEnv::disc`]).
    pub sdk: usize,
    /// The value: the user's own spelling when it is their SDK, else the SDK's real path.
    pub value: OsString,
    /// The user's GOROOT is replaced (it is not an SDK, or go.root / the module needs another).
    pub replace_user: bool,
    pub reason: String,
    /// `$GOROOT/bin` can go first on PATH (absolute, no `:`).
    pub bin_on_path: bool,
}

/// Where `go install` puts commands, and whether wslgo exports GOBIN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Gobin {
    /// The user's own GOBIN (exported as it is).
    User(OsString),
    /// GOBIN in the go env file (not exported: go reads it there).
    File(OsString),
    None,
}

/// Everything about Go this shell gets, and why.
#[derive(Debug, Clone)]
pub(crate) struct GoEnv {
    pub disc: Discovery,
    pub module: Option<Module>,
    pub choice: Choice,
    /// Why the GOROOT the user had is not an SDK, when it is not one.
    pub user_goroot_bad: Option<String>,
    pub goroot: Option<Goroot>,
    /// The `go env -w` file.
    pub env_file: Option<PathBuf>,
    /// The GOPATH wslgo exports (a user's own one is kept by diff) and why.
    pub gopath_want: Option<(OsString, String)>,
    /// The GOPATH the shell has after the hook, and where it comes from.
    pub gopath: Option<(OsString, String)>,
    pub gobin: Gobin,
    /// The directory `go install` writes to, and why.
    pub install_dir: Option<(PathBuf, String)>,
    /// The module cache, and where its location comes from.
    pub gomodcache: Option<(PathBuf, String)>,
    /// The toolchain the go command will run (an SDK was found).
    pub runs: Option<Runs>,
    /// The module's `go` line, when the toolchain that will run is older and go cannot switch.
    pub too_old: Option<GoVersion>,
    /// The first `go` on the shell's PATH after the hook, when it is not GOROOT's.
    pub shadow_here: Option<PathGo>,
}

/// `go.root` as a directory (None for `auto`). `~`, `$HOME` and `${VAR}` expand; a value that
/// is not then absolute is a config problem (the loader reports it) and counts as `auto`.
pub(crate) fn cfg_root(cfg: &Config, env: &ShellEnv) -> Option<PathBuf> {
    cfg.go.root_dir(env).ok().flatten()
}

/// `go.path` as GOPATH (None for `auto`), expanded the same way; a `:` list stays a list.
pub(crate) fn cfg_gopath(cfg: &Config, env: &ShellEnv) -> Option<OsString> {
    cfg.go.gopath(env).ok().flatten().map(PathBuf::into_os_string)
}

/// The first entry of a GOPATH list (what `go install` and the module cache use).
pub(crate) fn first_entry(gopath: &OsStr) -> Option<PathBuf> {
    let first = gopath.as_bytes().split(|&b| b == b':').find(|e| !e.is_empty())?;
    Some(PathBuf::from(OsStr::from_bytes(first)))
}

pub(crate) fn resolve(inp: &GoIn) -> GoEnv {
    let env = inp.env;
    let home = env.home();
    let lossy = |v: &OsStr| String::from_utf8_lossy(v.as_bytes()).into_owned();

    // The go env file, then GOPATH and GOMODCACHE (the module cache holds downloaded toolchains).
    let env_file = crate::paths::go_env_file(env);
    let file = env_file.as_deref().map(read_go_env).unwrap_or_default();
    let file_shown = env_file.as_ref().map(|p| p.display().to_string()).unwrap_or_default();
    let gopath_want: Option<(OsString, String)> = if let Some(v) = cfg_gopath(inp.cfg, env) {
        Some((v, format!("go.path = {}", inp.cfg.go.path)))
    } else if let Some(g) = &file.gopath {
        // Exporting anything else would override the user's `go env -w GOPATH=...`.
        Some((g.clone(), format!("go.path = auto: GOPATH in {file_shown} (go env -w)")))
    } else if !home.as_os_str().is_empty() {
        Some((home.join("go").into_os_string(), "go.path = auto: $HOME/go".into()))
    } else {
        None
    };
    let gopath = match inp.prior("GOPATH") {
        Some(v) => Some((v.to_os_string(), "the user's GOPATH".to_string())),
        None => gopath_want.clone(),
    };
    let gomodcache = match (env.get_nonempty("GOMODCACHE"), &file.gomodcache) {
        (Some(v), _) => Some((PathBuf::from(v), "$GOMODCACHE".to_string())),
        (None, Some(v)) => Some((PathBuf::from(v), format!("GOMODCACHE in {file_shown} (go env -w)"))),
        (None, None) => gopath
            .as_ref()
            .and_then(|(g, _)| first_entry(g))
            .map(|g| (g.join("pkg/mod"), "GOPATH/pkg/mod".to_string())),
    }
    .filter(|(p, _)| p.is_absolute());

    // The SDKs and the module. PATH entries on a Windows drive (the Windows PATH WSL appends)
    // are never looked into: each stat there is a round trip to Windows (SPEC 10); a Windows
    // go.exe there is doctor's business.
    let entries = env.path_entries();
    let windows: Vec<&Path> = match inp.facts.mounts() {
        Ok(ms) => ms
            .iter()
            .filter(|m| m.is_drvfs() && m.mount_point != Path::new("/"))
            .map(|m| m.mount_point.as_path())
            .collect(),
        Err(_) => Vec::new(),
    };
    let local = |e: &&OsStr| !windows.iter().any(|w| Path::new(e).starts_with(w));
    let user_path: Vec<&OsStr> = crate::state::user_path(&entries, inp.state);
    let user_path_local: Vec<&OsStr> = user_path.iter().copied().filter(local).collect();
    let cfg_root = cfg_root(inp.cfg, env);
    let user_goroot = inp.prior("GOROOT");
    let disc = Discovery::probe(
        inp.sys,
        &Inputs {
            home: &home,
            cfg_root: cfg_root.as_deref(),
            user_goroot,
            user_path: &user_path_local,
            modcache: gomodcache.as_ref().map(|(p, _)| p.as_path()),
            memo: &inp.facts.memo,
        },
    );
    let module = find_module(inp.cwd, env.get("GOWORK"));
    let choice = choose(&disc, module.as_ref());

    // GOROOT.
    let user_goroot_bad = match (&disc.user_goroot, user_goroot) {
        (Some(Err(why)), Some(g)) => Some(format!("GOROOT={} is not a Go SDK ({why})", lossy(g))),
        _ => None,
    };
    let goroot = choice.pick.map(|i| {
        let users_own = matches!(disc.user_goroot, Some(Ok(j)) if j == i);
        let (value, replace_user): (OsString, bool) = match (users_own, user_goroot) {
            (true, Some(g)) => (g.to_os_string(), false),
            _ => (disc.sdks[i].root.clone().into_os_string(), user_goroot.is_some()),
        };
        let reason = match (&user_goroot_bad, users_own, user_goroot) {
            (Some(b), ..) => format!("{b}; {}", choice.why),
            (None, false, Some(g)) => format!("{} (the user's GOROOT {} comes back outside it)", choice.why, lossy(g)),
            _ => choice.why.clone(),
        };
        let bin = Path::new(&value).join("bin");
        Goroot {
            sdk: i,
            bin_on_path: bin.is_absolute() && !bin.as_os_str().as_bytes().contains(&b':'),
            value,
            replace_user,
            reason,
        }
    });

    // Where go install writes.
    let gobin = match (inp.prior("GOBIN"), &file.gobin) {
        (Some(g), _) => Gobin::User(g.to_os_string()),
        (None, Some(g)) => Gobin::File(g.clone()),
        (None, None) => Gobin::None,
    };
    let install_dir = match &gobin {
        Gobin::User(g) => Some((PathBuf::from(g), "GOBIN".to_string())),
        Gobin::File(g) => Some((PathBuf::from(g), format!("GOBIN in {file_shown} (go env -w)"))),
        Gobin::None => gopath
            .as_ref()
            .and_then(|(g, _)| first_entry(g))
            .map(|g| (g.join("bin"), "GOPATH/bin".to_string())),
    };

    // PATH after the hook: GOROOT/bin first, the user's entries, then the install directory.
    let mut path_after: Vec<OsString> = Vec::new();
    if let Some(g) = goroot.as_ref().filter(|g| g.bin_on_path) {
        path_after.push(Path::new(&g.value).join("bin").into_os_string());
    }
    path_after.extend(user_path.iter().map(|e| e.to_os_string()));
    if let Some((d, _)) = install_dir.as_ref().filter(|(d, _)| d.is_absolute()) {
        let d = d.clone().into_os_string();
        if !path_after.contains(&d) && !d.as_bytes().contains(&b':') {
            path_after.push(d);
        }
    }
    let after: Vec<&OsStr> = path_after.iter().map(OsString::as_os_str).filter(local).collect();

    // The toolchain that will run.
    let runs = goroot.as_ref().map(|g| {
        let sdk = &disc.sdks[g.sdk];
        let sdk_env = read_sdk_go_env(&sdk.root);
        let setting = toolchain::setting(
            env.get("GOTOOLCHAIN"),
            file.gotoolchain.as_deref().zip(env_file.as_deref()),
            sdk_env.gotoolchain.as_deref().map(|v| (v, sdk.root.as_path())),
        );
        let goproxy = env
            .get_nonempty("GOPROXY")
            .map(&lossy)
            .or_else(|| Some(inp.cfg.go.goproxy.clone()).filter(|v| !v.is_empty()))
            .or_else(|| file.goproxy.as_deref().map(lossy))
            .or_else(|| sdk_env.goproxy.as_deref().map(lossy))
            .unwrap_or_else(|| DEFAULT_GOPROXY.to_string());
        match toolchain::select(&sdk.version, &setting.value, module.as_ref()) {
            Ok(target) => {
                let source = toolchain::source(&target, &after, gomodcache.as_ref().map(|(p, _)| p.as_path()), &goproxy);
                let (name, version) = match &target {
                    Target::Local => (sdk.version.to_string(), Some(sdk.version.clone())),
                    Target::Other { name, .. } => (name.clone(), GoVersion::from_toolchain(name)),
                };
                Runs {
                    setting,
                    name,
                    version,
                    source,
                    local_downloaded: sdk.downloaded,
                }
            }
            Err(why) => Runs {
                name: sdk.version.to_string(),
                version: None,
                source: Source::Fails(format!("the go command refuses every command: {why}")),
                setting,
                local_downloaded: sdk.downloaded,
            },
        }
    });

    // go-too-old: the module's go line is above what will run, or above GOROOT's SDK when
    // switching fails.
    let too_old = match (&module, &goroot, &runs) {
        (Some(m), Some(g), Some(r)) => m.go.clone().filter(|need| {
            let ran = match (&r.source, &r.version) {
                (Source::Fails(_), _) | (_, None) => &disc.sdks[g.sdk].version,
                (_, Some(v)) => v,
            };
            ran < need
        }),
        _ => None,
    };

    // The shell's own first go after the hook.
    let shadow_here = goroot.as_ref().and_then(|g| {
        let bin = Path::new(&g.value).join("bin");
        let f = which(&after, "go")?;
        // GOROOT/bin's own go first (the usual case): nothing to resolve.
        if f.parent() == Some(bin.as_path()) {
            return None;
        }
        let pg = go_found(f)?;
        let same = pg.dir == bin || pg.root.as_ref() == Some(&disc.sdks[g.sdk].root);
        (!same).then_some(pg)
    });

    GoEnv {
        disc,
        module,
        choice,
        user_goroot_bad,
        goroot,
        env_file,
        gopath_want,
        gopath,
        gobin,
        install_dir,
        gomodcache,
        runs,
        too_old,
        shadow_here,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gopath_first_entry() {
        assert_eq!(first_entry(OsStr::new("::/a:/b")), Some(PathBuf::from("/a")));
        assert_eq!(first_entry(OsStr::new("")), None);
    }
}
