//! What the go command would see, resolved once per doctor run (cached in [`Input`]): the
//! `go env -w` file, and GOROOT, GOPATH, GOMODCACHE and GOBIN from the hook's own resolver.

use super::Input;
use crate::plan::go::{GoEnv, GoIn, resolve};
use crate::probe::go::{GoEnvVar, Sdk, load_go_env};
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

/// GOROOT, GOPATH, GOMODCACHE, GOBIN and the toolchain, worked out by the hook's own resolver
/// ([`crate::plan::go::resolve`]) for this shell (its state says which values are the user's).
pub(crate) fn resolve_go(inp: &Input) -> GoEnv {
    let state = crate::state::State::decode(inp.env.get(crate::state::VAR));
    let cwd = inp.env.cwd();
    resolve(&GoIn {
        sys: inp.sys,
        facts: &inp.facts,
        env: inp.env,
        cfg: inp.cfg,
        state: &state,
        cwd: &cwd,
    })
}

/// GOROOT's SDK, when one is found.
pub(crate) fn goroot_sdk(g: &GoEnv) -> Option<&Sdk> {
    g.goroot.as_ref().map(|r| &g.disc.sdks[r.sdk])
}
