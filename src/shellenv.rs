//! A snapshot of the shell's exported variables, as the binary sees them.
//!
//! The hook runs as `$(wslgo hook ...)`, so its process environment is exactly what the shell
//! exports. Values are raw bytes (`OsString`): a variable may hold anything but NUL.

// A BTreeMap, not a HashMap: std's HashMap seeds its hasher with a getrandom(2) call at
// every start, and a few dozen variables are found as fast in order.
use std::collections::BTreeMap;
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};

/// The exported variables of the shell that asked for a refresh.
#[derive(Debug, Clone, Default)]
pub struct ShellEnv {
    vars: BTreeMap<OsString, OsString>,
}

impl ShellEnv {
    /// This process's environment.
    pub fn from_process() -> ShellEnv {
        ShellEnv {
            vars: std::env::vars_os().collect(),
        }
    }

    /// A made-up environment, for unit tests.
    #[cfg(test)]
    pub(crate) fn from_pairs<K: Into<OsString>, V: Into<OsString>>(pairs: impl IntoIterator<Item = (K, V)>) -> ShellEnv {
        ShellEnv {
            vars: pairs.into_iter().map(|(k, v)| (k.into(), v.into())).collect(),
        }
    }

    /// The same environment with `name` set to `value` (init lends its refresh the caches a
    /// new terminal does not carry yet: see `cmd::warm`).
    pub(crate) fn with(mut self, name: &str, value: impl Into<OsString>) -> ShellEnv {
        self.vars.insert(name.into(), value.into());
        self
    }

    pub(crate) fn get(&self, name: &str) -> Option<&OsStr> {
        self.vars.get(OsStr::new(name)).map(|v| v.as_os_str())
    }

    /// The value, when it is set and not empty.
    pub(crate) fn get_nonempty(&self, name: &str) -> Option<&OsStr> {
        self.get(name).filter(|v| !v.is_empty())
    }

    /// The value as UTF-8 text, when it is set and valid UTF-8.
    pub(crate) fn get_str(&self, name: &str) -> Option<&str> {
        self.get(name).and_then(|v| v.to_str())
    }

    pub(crate) fn is_set(&self, name: &str) -> bool {
        self.vars.contains_key(OsStr::new(name))
    }

    /// The value of `name` as a path, when it is set, not empty and absolute: the one rule
    /// behind every path taken from the environment (see [`crate::paths`]).
    pub(crate) fn absolute(&self, name: &str) -> Option<PathBuf> {
        self.get_nonempty(name).map(PathBuf::from).filter(|p| p.is_absolute())
    }

    /// HOME as a path, when it is absolute; empty otherwise (then nothing under HOME is found,
    /// and no path is taken from the current directory).
    pub(crate) fn home(&self) -> PathBuf {
        self.absolute("HOME").unwrap_or_default()
    }

    /// The shell's working directory: `$PWD` when it is absolute (it keeps the user's symlinked
    /// spelling, which matters for `/mnt/c`), else the process's own.
    pub(crate) fn cwd(&self) -> PathBuf {
        match self.get("PWD") {
            Some(p) if Path::new(p).is_absolute() => PathBuf::from(p),
            _ => std::env::current_dir().unwrap_or_else(|_| PathBuf::from("/")),
        }
    }

    /// The entries of PATH in order (empty entries kept, as the shell keeps them).
    pub(crate) fn path_entries(&self) -> Vec<&OsStr> {
        match self.get("PATH") {
            Some(p) if !p.is_empty() => split_path(p),
            _ => Vec::new(),
        }
    }
}

/// Splits a PATH-like value on `:` without decoding it.
pub(crate) fn split_path(p: &OsStr) -> Vec<&OsStr> {
    p.as_encoded_bytes()
        .split(|&b| b == b':')
        // SAFETY: each piece is split at an ASCII byte of a valid OsStr, as the std docs allow.
        .map(|s| unsafe { OsStr::from_encoded_bytes_unchecked(s) })
        .collect()
}
