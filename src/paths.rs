//! Every path rule in one place (the bottom layer): where the config file, the cache directory
//! and the go command's env file are, from HOME, the XDG base directories and the overrides.
//!
//! The rule shared by all of them: only an absolute path counts. A HOME that is unset, empty or
//! relative is no home; a relative `XDG_*` value is ignored, as the XDG Base Directory spec
//! says; a relative `WSLGO_CONFIG` or `GOENV` is not used. A relative path would be read from
//! whatever directory the prompt happens to be in, and the current directory (a cloned
//! repository) is never trusted: its `.config/wslgo/config.toml` could otherwise set `go.root`
//! and with it the `go` that comes first on PATH.

use crate::shellenv::ShellEnv;
use std::path::{Path, PathBuf};

/// The value of `name` as a path, when it is set, not empty and absolute
/// ([`ShellEnv::absolute`], the one place of that rule).
pub(crate) fn absolute(env: &ShellEnv, name: &str) -> Option<PathBuf> {
    env.absolute(name)
}

/// HOME, when it is an absolute path.
pub(crate) fn home(env: &ShellEnv) -> Option<PathBuf> {
    absolute(env, "HOME")
}

/// `$XDG_CONFIG_HOME`, else `$HOME/.config`.
pub(crate) fn config_home(env: &ShellEnv) -> Option<PathBuf> {
    absolute(env, "XDG_CONFIG_HOME").or_else(|| home(env).map(|h| h.join(".config")))
}

/// The config file: `WSLGO_CONFIG`, else `$XDG_CONFIG_HOME/wslgo/config.toml`, else
/// `$HOME/.config/wslgo/config.toml`; or why there is none (the defaults then serve).
pub(crate) fn config_file(env: &ShellEnv) -> Result<PathBuf, String> {
    if let Some(p) = env.get_nonempty("WSLGO_CONFIG") {
        return if Path::new(p).is_absolute() {
            Ok(PathBuf::from(p))
        } else {
            Err(format!(
                "WSLGO_CONFIG={} is not an absolute path (it would depend on the current directory); no config is read",
                p.to_string_lossy()
            ))
        };
    }
    config_home(env).map(|d| d.join("wslgo/config.toml")).ok_or_else(|| {
        "neither XDG_CONFIG_HOME nor HOME is an absolute path; no config is read (the current directory is never trusted)".to_string()
    })
}

/// The base of wslgo's cache directory: `$XDG_RUNTIME_DIR`, else `$XDG_CACHE_HOME`, else
/// `$HOME/.cache`; `wslgo` is appended. A runtime directory counts only when it is a directory
/// of this user's (the XDG spec: it must be owned by the user): a root shell that inherited a
/// user's (`sudo -E`, WSLg's shared `/mnt/wslg/runtime-dir`) or one set to a shared `/tmp`
/// would otherwise create a `wslgo` there that another user cannot use or remove.
pub(crate) fn cache_dir(env: &ShellEnv) -> Result<PathBuf, String> {
    absolute(env, "XDG_RUNTIME_DIR")
        .filter(|d| is_own_dir(d))
        .or_else(|| absolute(env, "XDG_CACHE_HOME"))
        .or_else(|| home(env).map(|h| h.join(".cache")))
        .map(|b| b.join("wslgo"))
        .ok_or_else(|| "none of XDG_RUNTIME_DIR, XDG_CACHE_HOME and HOME is an absolute path".to_string())
}

/// A directory (a symlink to one counts) owned by this user.
fn is_own_dir(d: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(d).is_ok_and(|m| m.is_dir() && m.uid() == uid())
}

/// A real directory (not a symlink) of this user's that nobody else can write: where wslgo
/// reads back what it wrote itself (the warm file, the zsh functions' file).
pub(crate) fn is_private_dir(d: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    std::fs::symlink_metadata(d).is_ok_and(|m| m.is_dir() && m.uid() == uid() && m.mode() & 0o022 == 0)
}

/// The real uid: whose files wslgo's own (the cache directory, the warm-start file) must be.
/// Asked once per run (init asked three times: the cache directory, its check, the file's).
pub(crate) fn uid() -> u32 {
    static UID: std::sync::OnceLock<u32> = std::sync::OnceLock::new();
    // SAFETY: getuid(2) takes nothing, touches no memory and cannot fail.
    *UID.get_or_init(|| unsafe { libc::getuid() })
}

/// The go command's `go env -w` file: `$GOENV` (`off`: none), else `os.UserConfigDir()/go/env`
/// (`$XDG_CONFIG_HOME/go/env`, else `$HOME/.config/go/env`). `None` when there is none to read.
pub(crate) fn go_env_file(env: &ShellEnv) -> Option<PathBuf> {
    match env.get_nonempty("GOENV") {
        Some(v) if v == "off" => None,
        Some(v) => Some(PathBuf::from(v)).filter(|p| p.is_absolute()),
        None => config_home(env).map(|d| d.join("go/env")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> ShellEnv {
        ShellEnv::from_pairs(pairs.iter().map(|(k, v)| (*k, *v)))
    }

    #[test]
    fn only_absolute_paths_count() {
        let p = |s: &str| PathBuf::from(s);
        assert_eq!(config_file(&env(&[("HOME", "/h")])), Ok(p("/h/.config/wslgo/config.toml")));
        assert_eq!(
            config_file(&env(&[("HOME", "/h"), ("XDG_CONFIG_HOME", "/x")])),
            Ok(p("/x/wslgo/config.toml"))
        );
        assert_eq!(
            config_file(&env(&[("HOME", "/h"), ("XDG_CONFIG_HOME", ".config")])),
            Ok(p("/h/.config/wslgo/config.toml")),
            "a relative XDG value is ignored"
        );
        for bad in [
            vec![],
            vec![("HOME", "")],
            vec![("HOME", "home")],
            vec![("HOME", "."), ("XDG_CONFIG_HOME", "x")],
        ] {
            let e = env(&bad);
            assert!(config_file(&e).is_err(), "{bad:?}");
            assert_eq!(go_env_file(&e), None, "{bad:?}");
            assert!(cache_dir(&e).is_err(), "{bad:?}");
            assert_eq!(home(&e), None);
        }
        assert!(config_file(&env(&[("HOME", "/h"), ("WSLGO_CONFIG", "c.toml")])).is_err());
        assert_eq!(config_file(&env(&[("WSLGO_CONFIG", "/dev/null")])), Ok(p("/dev/null")));
        assert_eq!(go_env_file(&env(&[("HOME", "/h")])), Some(p("/h/.config/go/env")));
        assert_eq!(go_env_file(&env(&[("HOME", "/h"), ("GOENV", "off")])), None);
        assert_eq!(go_env_file(&env(&[("HOME", "/h"), ("GOENV", "rel/env")])), None);
        assert_eq!(go_env_file(&env(&[("GOENV", "/g/env")])), Some(p("/g/env")));
        assert_eq!(
            cache_dir(&env(&[("HOME", "/h"), ("XDG_RUNTIME_DIR", "run"), ("XDG_CACHE_HOME", "/c")])),
            Ok(p("/c/wslgo"))
        );
        assert_eq!(cache_dir(&env(&[("HOME", "/h")])), Ok(p("/h/.cache/wslgo")));
    }
}
