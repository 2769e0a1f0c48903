//! A snapshot of the shell's exported variables, as the binary sees them.
//!
//! The hook runs as `$(wslgo hook ...)`, so its process environment is exactly what the shell
//! exports. Values are raw bytes (`OsString`): a variable may hold anything but NUL.

// A sorted Vec, not a HashMap (std's HashMap seeds its hasher with a getrandom(2) call at
// every start) nor a BTreeMap: names are ordered by length first, so a lookup compares
// lengths and reaches the byte comparison (musl's memcmp, a byte loop) only for names of the
// same length; building it is one allocation and a small sort. A refresh looks up about a
// hundred names in a few dozen; this took a tenth of its instructions as a BTreeMap.
use std::borrow::Cow;
use std::cmp::Ordering;
use std::ffi::{OsStr, OsString, c_char};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicPtr, Ordering as AtomicOrdering};

/// A name or a value: borrowed from the C runtime's environment block (which lives as long as
/// the process and which nothing here changes), or owned (tests, [`ShellEnv::with`]).
type Text = Cow<'static, OsStr>;

/// The exported variables of the shell that asked for a refresh.
#[derive(Debug, Clone, Default)]
pub struct ShellEnv {
    /// Sorted by [`order`], one entry per name.
    vars: Vec<(Text, Text)>,
}

/// Shorter names first, then by bytes.
fn order(a: &[u8], b: &[u8]) -> Ordering {
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

/// The environment vector `main` received (see [`set_envp`]); null when none was given.
static ENVP: AtomicPtr<*const c_char> = AtomicPtr::new(std::ptr::null_mut());

/// Hands [`ShellEnv::from_process`] the environment vector the C runtime passed to `main`, so
/// that the variables are borrowed where they lie instead of copied (`std::env::vars_os`
/// copies every name and value: ~5% of a refresh's instructions and a page of its arena).
///
/// # Safety
/// `envp` is the NULL-terminated array of NUL-terminated `NAME=value` strings that `main`
/// received, and the process never changes its environment (no `setenv`, `putenv` or
/// `std::env::set_var`): the strings then stay valid and unchanged until it exits.
pub unsafe fn set_envp(envp: *const *const c_char) {
    ENVP.store(envp.cast_mut(), AtomicOrdering::Relaxed);
}

impl ShellEnv {
    /// This process's environment.
    pub fn from_process() -> ShellEnv {
        let envp = ENVP.load(AtomicOrdering::Relaxed);
        if envp.is_null() {
            let vars = std::env::vars_os().map(|(k, v)| (Cow::Owned(k), Cow::Owned(v))).collect();
            return ShellEnv::from_vec(vars);
        }
        let mut vars: Vec<(Text, Text)> = Vec::with_capacity(64);
        for i in 0.. {
            // SAFETY: `envp` is NULL-terminated (set_envp's contract) and `i` has not passed
            // the NULL yet.
            let p = unsafe { *envp.add(i) };
            if p.is_null() {
                break;
            }
            // SAFETY: a NUL-terminated string that lives, unchanged, as long as the process.
            let entry: &'static [u8] = unsafe { std::ffi::CStr::from_ptr(p) }.to_bytes();
            // As std reads it: the first `=` after the first byte ends the name (a name may
            // start with `=`); an entry without one is skipped.
            let Some(eq) = entry.get(1..).and_then(|rest| memchr::memchr(b'=', rest)).map(|i| i + 1) else {
                continue;
            };
            vars.push((
                Cow::Borrowed(OsStr::from_bytes(&entry[..eq])),
                Cow::Borrowed(OsStr::from_bytes(&entry[eq + 1..])),
            ));
        }
        ShellEnv::from_vec(vars)
    }

    /// Sorts `vars`; of a name given twice the last value holds (as a map collected from them).
    fn from_vec(mut vars: Vec<(Text, Text)>) -> ShellEnv {
        // Stable: equal names keep their order, and the last of each run is kept.
        vars.sort_by(|a, b| order(a.0.as_bytes(), b.0.as_bytes()));
        let mut out: Vec<(Text, Text)> = Vec::with_capacity(vars.len());
        for kv in vars {
            match out.last_mut() {
                Some(last) if last.0 == kv.0 => *last = kv,
                _ => out.push(kv),
            }
        }
        ShellEnv { vars: out }
    }

    fn find(&self, name: &[u8]) -> Result<usize, usize> {
        self.vars.binary_search_by(|(k, _)| order(k.as_bytes(), name))
    }

    /// A made-up environment, for unit tests.
    #[cfg(test)]
    pub(crate) fn from_pairs<K: Into<OsString>, V: Into<OsString>>(pairs: impl IntoIterator<Item = (K, V)>) -> ShellEnv {
        ShellEnv::from_vec(
            pairs
                .into_iter()
                .map(|(k, v)| (Cow::Owned(k.into()), Cow::Owned(v.into())))
                .collect(),
        )
    }

    /// The same environment with `name` set to `value` (init lends its refresh the caches a
    /// new terminal does not carry yet: see `cmd::warm`).
    pub(crate) fn with(mut self, name: &str, value: impl Into<OsString>) -> ShellEnv {
        match self.find(name.as_bytes()) {
            Ok(i) => self.vars[i].1 = Cow::Owned(value.into()),
            Err(i) => self.vars.insert(i, (Cow::Owned(name.into()), Cow::Owned(value.into()))),
        }
        self
    }

    pub(crate) fn get(&self, name: &str) -> Option<&OsStr> {
        self.find(name.as_bytes()).ok().map(|i| &*self.vars[i].1)
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
        self.find(name.as_bytes()).is_ok()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups_find_every_name_and_only_those() {
        let names = ["A", "B", "AB", "PATH", "HOME", "PWD", "LANG", "LC_ALL", "__WSLGO_STATE", "X_"];
        let e = ShellEnv::from_pairs(names.iter().map(|n| (*n, format!("v{n}"))));
        for n in names {
            assert_eq!(e.get(n), Some(OsStr::new(&format!("v{n}"))), "{n}");
            assert!(e.is_set(n));
        }
        for n in ["", "C", "BA", "PAT", "PATHS", "home", "__WSLGO_STAT"] {
            assert_eq!(e.get(n), None, "{n}");
            assert!(!e.is_set(n));
        }
    }

    #[test]
    fn the_last_of_a_name_given_twice_holds_and_with_replaces_or_adds() {
        let e = ShellEnv::from_pairs([("X", "1"), ("Y", "y"), ("X", "2")]);
        assert_eq!(e.get("X"), Some(OsStr::new("2")));
        let e = e.with("X", "3").with("ZZ", "z").with("A", "a");
        assert_eq!(e.get("X"), Some(OsStr::new("3")));
        assert_eq!(e.get("ZZ"), Some(OsStr::new("z")));
        assert_eq!(e.get("A"), Some(OsStr::new("a")));
        assert_eq!(e.get("Y"), Some(OsStr::new("y")));
        assert_eq!(e.vars.len(), 4);
    }
}
