//! What the go command would see, resolved once per doctor run (cached in [`Input`]): the
//! `go env -w` file, GOPATH and GOMODCACHE, and the SDKs found by the shared probe.

use super::Input;
use crate::probe::go::{GoEnvVar, GoVersion, load_go_env};
use crate::shellenv::ShellEnv;
use std::path::PathBuf;

/// The `go env -w` file and what it holds (found and parsed by [`crate::probe::go`], as
/// the hook reads it for GOPATH/GOBIN).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum EnvFile {
    /// `GOENV=off` (or no HOME to find the file under).
    Off,
    Missing(PathBuf),
    Unreadable(PathBuf, String),
    Parsed(PathBuf, Vec<GoEnvVar>),
}

impl EnvFile {
    pub(crate) fn get(&self, name: &str) -> Option<String> {
        match self {
            EnvFile::Parsed(_, vars) => vars.iter().find(|v| v.name == name).map(|v| v.value.to_string_lossy().into_owned()),
            _ => None,
        }
    }
}

/// Reads the `go env -w` file, bounded.
pub(crate) fn env_file(env: &ShellEnv) -> EnvFile {
    let Some(path) = crate::paths::go_env_file(env) else {
        return EnvFile::Off;
    };
    match load_go_env(&path) {
        Ok(vars) => EnvFile::Parsed(path, vars),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => EnvFile::Missing(path),
        Err(e) => {
            let why = super::io_why(&e);
            EnvFile::Unreadable(path, why)
        }
    }
}

/// A go variable as the go command sees it, with where it came from.
pub(crate) fn go_var(env: &ShellEnv, file: &EnvFile, name: &str) -> Option<(String, String)> {
    if let Some(v) = env.get(name) {
        return Some((String::from_utf8_lossy(v.as_encoded_bytes()).into_owned(), format!("${name}")));
    }
    let path = match file {
        EnvFile::Parsed(p, _) => p.display().to_string(),
        _ => String::new(),
    };
    file.get(name).map(|v| (v, path))
}

/// A Go SDK as doctor reports it (found by [`crate::probe::go`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Sdk {
    /// The real path (under the sysroot for system SDKs).
    pub root: PathBuf,
    pub version: GoVersion,
}

/// What the SDK search found.
#[derive(Debug, Clone, Default)]
pub(crate) struct Found {
    /// `$GOROOT` when set, and whether it is an SDK.
    pub goroot_env: Option<(PathBuf, Option<Sdk>)>,
    /// The `go` first on PATH, and the SDK it belongs to.
    pub on_path: Option<(PathBuf, Option<Sdk>)>,
    /// Every SDK found in the usual places.
    pub installed: Vec<Sdk>,
}

impl Found {
    /// The SDK the user works with: a valid `$GOROOT`, else the one behind `go` on PATH, else
    /// `/usr/local/go`, else the first found.
    pub(crate) fn main(&self) -> Option<&Sdk> {
        self.goroot_env
            .as_ref()
            .and_then(|(_, s)| s.as_ref())
            .or_else(|| self.on_path.as_ref().and_then(|(_, s)| s.as_ref()))
            .or_else(|| self.installed.first())
    }
}

/// Looks for SDKs where SPEC 5.2 says they are, through the shared SDK probe
/// ([`crate::probe::go`]): the same candidates, order and validity rules as the hook.
pub(crate) fn find_sdk(inp: &Input) -> Found {
    use crate::probe::go::{Discovery, Inputs};
    let path = inp.env.path_entries();
    let cfg_root = (inp.cfg.go.root != "auto" && !inp.cfg.go.root.is_empty()).then(|| PathBuf::from(&inp.cfg.go.root));
    let d = Discovery::probe(
        inp.sys,
        &Inputs {
            home: &inp.home,
            cfg_root: cfg_root.as_deref(),
            user_goroot: inp.env.get_nonempty("GOROOT"),
            user_path: &path,
        },
    );
    let conv = |i: usize| {
        d.sdks.get(i).map(|s| Sdk {
            root: s.root.clone(),
            version: s.version.clone(),
        })
    };
    let mut installed: Vec<Sdk> = (0..d.sdks.len()).filter_map(conv).collect();
    // The user's default first: go.root, else /usr/local/go (SPEC 5.2), then the rest.
    if let Some(i) = d.cfg_root.as_ref().and_then(|r| r.as_ref().ok()).copied().or(d.usr_local_go)
        && i < installed.len()
    {
        let s = installed.remove(i);
        installed.insert(0, s);
    }
    Found {
        goroot_env: inp.env.get_nonempty("GOROOT").map(|g| {
            (
                PathBuf::from(g),
                d.user_goroot.as_ref().and_then(|r| r.as_ref().ok()).and_then(|&i| conv(i)),
            )
        }),
        on_path: d.path_go.as_ref().map(|p| (p.dir.join("go"), d.path_go_sdk.and_then(conv))),
        installed,
    }
}

/// GOPATH as the go command will see it: `$GOPATH`, else the `go env -w` file, else the
/// config's `go.path`, else `$HOME/go` (the first entry when it is a list).
pub(crate) fn gopath(inp: &Input) -> (PathBuf, &'static str) {
    if let Some(v) = inp.env.get_nonempty("GOPATH") {
        return (first_entry(v.as_encoded_bytes()), "$GOPATH");
    }
    if let Some(v) = inp.env_file().get("GOPATH") {
        return (first_entry(v.as_bytes()), "go env -w");
    }
    if inp.cfg.go.path != "auto" && !inp.cfg.go.path.is_empty() {
        return (PathBuf::from(&inp.cfg.go.path), "go.path in wslgo's config");
    }
    (inp.home.join("go"), "default $HOME/go")
}

fn first_entry(b: &[u8]) -> PathBuf {
    let first = b.split(|&c| c == b':').next().unwrap_or(b);
    PathBuf::from(String::from_utf8_lossy(first).into_owned())
}

/// GOMODCACHE: `$GOMODCACHE`, else the `go env -w` file, else `$GOPATH/pkg/mod`.
pub(crate) fn gomodcache(inp: &Input) -> PathBuf {
    if let Some(v) = inp.env.get_nonempty("GOMODCACHE") {
        return PathBuf::from(v);
    }
    if let Some(v) = inp.env_file().get("GOMODCACHE") {
        return PathBuf::from(v);
    }
    gopath(inp).0.join("pkg/mod")
}
