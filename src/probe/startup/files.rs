//! Which files a shell mode reads, and whether they (or files they source) read a target.

use super::expand::{Lookup, expand};
use super::lex::for_each_command;
use super::{MAX_DEPTH, MAX_FILES, MAX_SCRIPT};
use crate::shell::Shell;
use crate::shellenv::ShellEnv;
use crate::sysroot::{Sys, read_script};
use std::path::{Path, PathBuf};

/// A startup file: a system path (read through the sysroot) or a real path under HOME.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Script {
    System(PathBuf),
    User(PathBuf),
}

impl Script {
    fn real(&self, sys: &Sys) -> PathBuf {
        match self {
            Script::System(p) => sys.path(p),
            Script::User(p) => p.clone(),
        }
    }
}

/// Where the user's startup files live.
#[derive(Debug, Clone)]
pub(crate) struct Homes {
    pub home: PathBuf,
    /// `$ZDOTDIR`, else HOME.
    pub zdotdir: PathBuf,
}

impl Homes {
    /// HOME and ZDOTDIR from the environment (a relative ZDOTDIR is ignored, as it depends on
    /// the directory zsh happens to start in).
    pub(crate) fn from_env(env: &ShellEnv) -> Homes {
        let home = env.home();
        let zdotdir = match env.get_nonempty("ZDOTDIR") {
            Some(z) if Path::new(z).is_absolute() => PathBuf::from(z),
            _ => home.clone(),
        };
        Homes { home, zdotdir }
    }
}

/// The files a shell mode reads by itself, in order (whether they exist or not, except for
/// bash's first-of rule, which depends on existence). A non-login interactive shell also gets
/// its login mode's files: it normally runs under a login session of the same user and
/// inherits that environment, and SPEC 5.6's fixes live in the login files.
pub(crate) fn mode_files(shell: Shell, login: bool, h: &Homes) -> Vec<Script> {
    let sys = |p: &str| Script::System(PathBuf::from(p));
    let mut v = Vec::new();
    match shell {
        Shell::Bash => {
            v.push(sys("/etc/profile"));
            if let Some(f) = bash_login_file(&h.home) {
                v.push(Script::User(f));
            }
            if !login {
                v.push(sys("/etc/bash.bashrc"));
                v.push(Script::User(h.home.join(".bashrc")));
            }
        }
        Shell::Zsh => {
            // Debian and Ubuntu build zsh with /etc/zsh/; most others with /etc.
            for name in ["zshenv", "zprofile", "zshrc", "zlogin"] {
                v.push(Script::System(PathBuf::from(format!("/etc/zsh/{name}"))));
                v.push(Script::System(PathBuf::from(format!("/etc/{name}"))));
                v.push(Script::User(h.zdotdir.join(format!(".{name}"))));
            }
            // `export ZDOTDIR=...` in ~/.zshenv is the usual way to move the zsh files; then
            // ~/.zshenv itself was read too (a ZDOTDIR from outside cannot be told apart).
            let home_env = h.home.join(".zshenv");
            if h.home.is_absolute() && h.zdotdir != h.home && read_script(&home_env, MAX_SCRIPT).is_some_and(|t| t.contains("ZDOTDIR")) {
                v.push(Script::User(home_env));
            }
        }
        // fish reads neither ~/.profile nor any POSIX file: SPEC 5.6 is about bash and zsh.
        Shell::Fish => {}
    }
    // No HOME (or a relative one): no user file, rather than one in the current directory.
    v.retain(|s| !matches!(s, Script::User(p) if !p.is_absolute()));
    v
}

/// The files an interactive non-login shell reads by itself: bash's /etc/bash.bashrc and
/// ~/.bashrc; zsh's zshenv and zshrc (system and `$ZDOTDIR`).
pub(crate) fn rc_files(shell: Shell, h: &Homes) -> Vec<Script> {
    let mut v = Vec::new();
    match shell {
        Shell::Bash => {
            v.push(Script::System(PathBuf::from("/etc/bash.bashrc")));
            v.push(Script::User(h.home.join(".bashrc")));
        }
        Shell::Zsh => {
            for name in ["zshenv", "zshrc"] {
                v.push(Script::System(PathBuf::from(format!("/etc/zsh/{name}"))));
                v.push(Script::System(PathBuf::from(format!("/etc/{name}"))));
                v.push(Script::User(h.zdotdir.join(format!(".{name}"))));
            }
            let home_env = h.home.join(".zshenv");
            if h.home.is_absolute() && h.zdotdir != h.home && read_script(&home_env, MAX_SCRIPT).is_some_and(|t| t.contains("ZDOTDIR")) {
                v.push(Script::User(home_env));
            }
        }
        Shell::Fish => {}
    }
    v.retain(|s| !matches!(s, Script::User(p) if !p.is_absolute()));
    v
}

/// fish's config file: `$XDG_CONFIG_HOME/fish/config.fish` (an absolute XDG_CONFIG_HOME only),
/// else `~/.config/fish/config.fish`.
pub(crate) fn fish_config(env: &ShellEnv, home: &Path) -> PathBuf {
    env.get_nonempty("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .unwrap_or_else(|| home.join(".config"))
        .join("fish/config.fish")
}

/// The file bash runs for a login shell: the first of ~/.bash_profile, ~/.bash_login,
/// ~/.profile that exists.
pub(crate) fn bash_login_file(home: &Path) -> Option<PathBuf> {
    if !home.is_absolute() {
        return None;
    }
    [".bash_profile", ".bash_login", ".profile"]
        .iter()
        .map(|n| home.join(n))
        .find(|p| p.exists())
}

/// True when `target` is read by the mode's files or by a file they source.
pub(crate) fn reads(sys: &Sys, files: &[Script], target: &Path, h: &Homes, lookup: &dyn Fn(&str) -> Lookup) -> bool {
    let mut queue: Vec<(Script, usize)> = files.iter().cloned().map(|s| (s, 0)).collect();
    let mut seen: Vec<PathBuf> = Vec::new();
    let mut i = 0;
    while i < queue.len() && seen.len() < MAX_FILES {
        let (s, depth) = queue[i].clone();
        i += 1;
        let real = s.real(sys);
        if same_file(&real, target) {
            return true;
        }
        if seen.contains(&real) {
            continue;
        }
        seen.push(real.clone());
        if depth >= MAX_DEPTH {
            continue;
        }
        let Some(text) = read_script(&real, MAX_SCRIPT) else { continue };
        for src in sourced(&text, 0) {
            let Some(p) = source_path(&src, h, lookup) else { continue };
            let next = if p.starts_with(&h.home) || p.starts_with(&h.zdotdir) {
                Script::User(p)
            } else {
                Script::System(p)
            };
            queue.push((next, depth + 1));
        }
    }
    false
}

/// Two paths name the same file (same device and inode), or are equal when they do not exist.
fn same_file(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(x), Ok(y)) => x.dev() == y.dev() && x.ino() == y.ino(),
        _ => a == b,
    }
}

/// Resolves a sourced word to a path: `~`, `$HOME`, `$ZDOTDIR` and `${ZDOTDIR:-$HOME}` expand;
/// a relative path is taken from HOME (where a login shell starts). `None` when it holds
/// anything that cannot be known without running the shell.
pub(crate) fn source_path(word: &str, h: &Homes, lookup: &dyn Fn(&str) -> Lookup) -> Option<PathBuf> {
    let look = |n: &str| match n {
        "HOME" => Lookup::Known(h.home.to_string_lossy().into_owned()),
        "ZDOTDIR" => Lookup::Known(h.zdotdir.to_string_lossy().into_owned()),
        _ => lookup(n),
    };
    let e = expand(word, &look)?;
    if e.is_empty() {
        return None;
    }
    let p = PathBuf::from(e);
    // Never a path relative to the current directory (a HOME that is not absolute).
    Some(if p.is_absolute() { p } else { h.home.join(p) }).filter(|p| p.is_absolute())
}

/// The words given to `.`/`source` in a script (and in `emulate ... -c` / `eval` strings).
pub(crate) fn sourced(text: &str, depth: usize) -> Vec<String> {
    let mut out = Vec::new();
    for_each_command(text, |c| {
        let mut w: &[String] = &c.words;
        // Prefixes that run the rest as a command in this shell.
        while let Some(first) = w.first() {
            match first.as_str() {
                "if" | "then" | "else" | "elif" | "do" | "while" | "until" | "{" | "!" | "builtin" | "command" | "exec" => w = &w[1..],
                _ => break,
            }
        }
        match w.first().map(String::as_str) {
            Some(".") | Some("source") => {
                if let Some(arg) = w.get(1) {
                    out.push(arg.clone());
                }
            }
            Some("emulate") | Some("eval") if depth < 2 => {
                let strings: Vec<&String> = if w[0] == "emulate" {
                    w.iter().skip_while(|a| *a != "-c").skip(1).take(1).collect()
                } else {
                    w[1..].iter().collect()
                };
                for s in strings {
                    out.extend(sourced(s, depth + 1));
                }
            }
            _ => {}
        }
        true
    });
    out
}
