//! `wslgo setup [bash|zsh|fish] [--dry-run]`: the init line, once, at the end of the right rc
//! file, after a backup; says what it changed and how to undo it.
//!
//! The file: bash `~/.bashrc`; zsh `$ZDOTDIR/.zshrc` (else `~/.zshrc`); fish
//! `$XDG_CONFIG_HOME/fish/config.fish` (else `~/.config/fish/config.fish`). A symlinked rc file
//! (dotfile managers) is followed and its target edited. A file that is not text (a NUL byte,
//! not UTF-8) or not a regular file is refused untouched. The line goes at the end, after the
//! user's own PATH changes, which it must see.

use crate::render;
use crate::shell::Shell;
use crate::shellenv::ShellEnv;
use crate::sysroot::read_bounded;
use std::ffi::OsStr;
use std::io::Write;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

/// The largest rc file setup edits (real ones are a few KiB).
const MAX_RC: usize = 4 * 1024 * 1024;

/// The shell named by `$SHELL`.
pub fn shell_from_env(env: &ShellEnv) -> Option<Shell> {
    match Path::new(env.get("SHELL")?).file_name()?.as_bytes() {
        b"bash" => Some(Shell::Bash),
        b"zsh" => Some(Shell::Zsh),
        b"fish" => Some(Shell::Fish),
        _ => None,
    }
}

/// The rc file `wslgo setup` writes for `shell`, or why there is none.
pub fn rc_file(env: &ShellEnv, shell: Shell) -> Result<PathBuf, String> {
    let home = env.home();
    if !home.is_absolute() {
        return Err("HOME is unset or not an absolute path".into());
    }
    Ok(match shell {
        Shell::Bash => home.join(".bashrc"),
        Shell::Zsh => crate::probe::startup::Homes::from_env(env).zdotdir.join(".zshrc"),
        Shell::Fish => crate::probe::startup::fish_config(env, &home),
    })
}

/// Directories on every shell's PATH before any user file runs (login's and the distros'
/// defaults): a `wslgo` there is found by any shell.
const SYSTEM_DIRS: &[&str] = &["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"];

/// The line for the rc file. The bare name when the `wslgo` on PATH is this binary and the
/// next `shell` will find it too: its directory is a system one, or `shell` is `$SHELL`'s,
/// whose own startup files built this PATH. Otherwise a path, quoted for `shell`: the `wslgo`
/// found on PATH (a symlink stays the name the user installed, e.g. `~/.local/bin/wslgo`), else
/// this binary. `wslgo setup zsh` typed in bash, with `~/.cargo/bin` on PATH only through
/// bash's `~/.profile`, must not write a line that zsh cannot run.
pub fn init_line(env: &ShellEnv, shell: Shell, exe: &Path) -> String {
    let on_path = env.path_entries().into_iter().filter(|d| Path::new(d).is_absolute()).find_map(|d| {
        let p = Path::new(d).join("wslgo");
        p.is_file().then_some(p)
    });
    let quoted = |p: &Path| {
        let mut out = Vec::new();
        render::quote_for(shell, &mut out, p.as_os_str().as_bytes());
        String::from_utf8_lossy(&out).into_owned()
    };
    let cmd = match on_path {
        Some(p) if same_file(&p, exe) => {
            let system = p.parent().is_some_and(|d| SYSTEM_DIRS.iter().any(|s| d == Path::new(s)));
            if system || shell_from_env(env) == Some(shell) {
                "wslgo".to_string()
            } else {
                quoted(&p)
            }
        }
        _ => quoted(exe),
    };
    match shell {
        Shell::Fish => format!("{cmd} init fish | source"),
        _ => format!("eval \"$({cmd} init {})\"", shell.name()),
    }
}

fn same_file(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(x), Ok(y)) => x.dev() == y.dev() && x.ino() == y.ino(),
        _ => false,
    }
}

/// The line number (1-based) of an active init line for `shell` in `text`.
pub fn existing_line(text: &str, shell: Shell) -> Option<usize> {
    let needle = format!("init {}", shell.name());
    text.lines()
        .position(|l| {
            let t = l.trim_start();
            !t.starts_with('#') && t.contains("wslgo") && t.contains(&needle)
        })
        .map(|i| i + 1)
}

/// A path as a shell word (quoted when it needs to be).
fn q(p: &Path) -> String {
    render::fix_word(p.as_os_str().as_bytes())
}

/// Where the backup goes: `<file>.wslgo-backup`, or with a number when that is taken.
fn backup_path(target: &Path) -> PathBuf {
    let base = target.as_os_str().as_bytes().to_vec();
    for n in 0..1000 {
        let mut b = base.clone();
        b.extend_from_slice(b".wslgo-backup");
        if n > 0 {
            b.extend_from_slice(format!(".{n}").as_bytes());
        }
        let p = PathBuf::from(OsStr::from_bytes(&b));
        if std::fs::symlink_metadata(&p).is_err() {
            return p;
        }
    }
    PathBuf::from(OsStr::from_bytes(&[base, b".wslgo-backup.last".to_vec()].concat()))
}

pub fn run(shell: Option<Shell>, dry_run: bool) -> i32 {
    let env = ShellEnv::from_process();
    let exe = std::env::current_exe().unwrap_or_else(|_| PathBuf::from("wslgo"));
    let mut out = String::new();
    let code = setup(&env, shell, dry_run, &exe, &mut out);
    let text = out.as_bytes();
    if code == 0 {
        super::emit(text);
    } else {
        let _ = std::io::stderr().lock().write_all(text);
    }
    code
}

/// The whole command, writing what it says into `out`; returns the exit code.
pub fn setup(env: &ShellEnv, shell: Option<Shell>, dry_run: bool, exe: &Path, out: &mut String) -> i32 {
    use std::fmt::Write as _;
    let Some(shell) = shell.or_else(|| shell_from_env(env)) else {
        let s = env.get("SHELL").map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let _ = writeln!(
            out,
            "wslgo setup: cannot tell the shell from SHELL={s:?}; name it: wslgo setup bash|zsh|fish"
        );
        return 2;
    };
    let file = match rc_file(env, shell) {
        Ok(f) => f,
        Err(why) => {
            let _ = writeln!(out, "wslgo setup: {why}: no rc file to write");
            return 1;
        }
    };
    let line = init_line(env, shell, exe);
    // A symlinked rc file (a dotfile manager's) is edited where it points.
    let target = match std::fs::symlink_metadata(&file) {
        Ok(m) if m.file_type().is_symlink() => match std::fs::canonicalize(&file) {
            Ok(t) => t,
            Err(e) => {
                let _ = writeln!(
                    out,
                    "wslgo setup: {} is a symlink whose target cannot be read ({e}); nothing changed. Add this line at its end yourself:\n    {line}",
                    q(&file)
                );
                return 1;
            }
        },
        _ => file.clone(),
    };
    let existing = match std::fs::symlink_metadata(&target) {
        Ok(m) if !m.is_file() => {
            let _ = writeln!(out, "wslgo setup: {} is not a regular file; nothing changed", q(&target));
            return 1;
        }
        Ok(_) => match read_bounded(&target, MAX_RC + 1) {
            Ok(b) if b.len() > MAX_RC => {
                let _ = writeln!(out, "wslgo setup: {} is over {} MiB; nothing changed", q(&target), MAX_RC >> 20);
                return 1;
            }
            Ok(b) => Some(b),
            Err(e) => {
                let _ = writeln!(out, "wslgo setup: cannot read {} ({e}); nothing changed", q(&target));
                return 1;
            }
        },
        Err(_) => None,
    };
    let via = if target != file {
        format!(" (via the symlink {})", q(&file))
    } else {
        String::new()
    };
    let text = match &existing {
        Some(b) => {
            if memchr::memchr(0, b).is_some() {
                let _ = writeln!(
                    out,
                    "wslgo setup: {} holds a NUL byte: not a text file; nothing changed",
                    q(&target)
                );
                return 1;
            }
            match std::str::from_utf8(b) {
                Ok(t) => t.to_string(),
                Err(e) => {
                    let _ = writeln!(
                        out,
                        "wslgo setup: {} is not UTF-8 text (byte {}); nothing changed. Add this line at its end yourself:\n    {line}",
                        q(&target),
                        e.valid_up_to()
                    );
                    return 1;
                }
            }
        }
        None => String::new(),
    };
    if let Some(n) = existing_line(&text, shell) {
        let _ = writeln!(out, "wslgo setup: already there: {}{via}, line {n}; nothing changed", q(&target));
        return 0;
    }
    let mut add = String::new();
    if !text.is_empty() && !text.ends_with('\n') {
        add.push('\n');
    }
    add.push_str("\n# wslgo: the Go environment at every prompt (added by `wslgo setup`)\n");
    add.push_str(&line);
    add.push('\n');
    let backup = existing.as_ref().map(|_| backup_path(&target));
    if dry_run {
        let _ = writeln!(
            out,
            "wslgo setup --dry-run: would add at the end of {}{via}:\n    {line}",
            q(&target)
        );
        match &backup {
            Some(b) => {
                let _ = writeln!(out, "after a backup to {}. Nothing changed.", q(b));
            }
            None => {
                let _ = writeln!(out, "(a new file). Nothing changed.");
            }
        }
        return 0;
    }
    if let Some(b) = &backup {
        // A copy, so the backup keeps the original bytes and mode whatever happens next.
        if let Err(e) = std::fs::copy(&target, b) {
            let _ = writeln!(out, "wslgo setup: cannot write the backup {} ({e}); nothing changed", q(b));
            return 1;
        }
    } else if let Some(dir) = target.parent()
        && let Err(e) = std::fs::create_dir_all(dir)
    {
        let _ = writeln!(out, "wslgo setup: cannot create {} ({e}); nothing changed", q(dir));
        return 1;
    }
    let written = std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(&target)
        .and_then(|mut f| f.write_all(add.as_bytes()));
    if let Err(e) = written {
        let _ = writeln!(out, "wslgo setup: cannot write {} ({e})", q(&target));
        return 1;
    }
    let _ = writeln!(out, "wslgo setup: added at the end of {}{via}:\n    {line}", q(&target));
    match &backup {
        Some(b) => {
            let _ = writeln!(out, "backup: {}\nundo:   mv {} {}", q(b), q(b), q(&target));
        }
        None => {
            let _ = writeln!(out, "(a new file)\nundo:   rm {}", q(&target));
        }
    }
    if let Some(note) = bash_login_note(env, shell) {
        let _ = writeln!(out, "{note}");
    }
    if let Some(note) = zsh_compinit_note(shell, &text, &target) {
        let _ = writeln!(out, "{note}");
    }
    let _ = writeln!(out, "Open a new terminal (or run: exec {}) to start.", shell.name());
    0
}

/// zsh completes `wslgo <Tab>` only with its completion system started (`compinit`), which
/// wslgo never runs itself (it is the user's, and slow). A .zshrc that does not start it (a new
/// user's on Debian: setup just created it) gets file names at the Tab: say so, with the line
/// to add (before or after wslgo's: the snippet registers its completion at the first prompt).
/// Ubuntu's /etc/zsh/zshrc starts it for everyone, hence "if".
fn zsh_compinit_note(shell: Shell, rc_text: &str, file: &Path) -> Option<String> {
    if shell != Shell::Zsh || rc_text.contains("compinit") {
        return None;
    }
    Some(format!(
        "note: {} does not start zsh's completion system; if `wslgo <Tab>` lists file names, start it: echo 'autoload -Uz compinit && compinit' >> {}",
        q(file),
        q(file)
    ))
}

/// bash login shells (what wsl.exe starts) read ~/.bashrc only through their login file: when
/// that file does not run it, the line in ~/.bashrc does nothing there.
/// The line to add is guarded: the file may be ~/.profile, which `sh -l` (dash) reads too
/// and must not run bash code in.
fn bash_login_note(env: &ShellEnv, shell: Shell) -> Option<String> {
    use crate::probe::startup::{self, Homes};
    if shell != Shell::Bash {
        return None;
    }
    let homes = Homes::from_env(env);
    let lookup = |n: &str| startup::lookup_value(env.get(n));
    let files = startup::mode_files(Shell::Bash, true, &homes);
    let bashrc = homes.home.join(".bashrc");
    if startup::reads(&crate::sysroot::Sys::from_env(), &files, &bashrc, &homes, &lookup) {
        return None;
    }
    let login = startup::bash_login_file(&homes.home).unwrap_or_else(|| homes.home.join(".bash_profile"));
    Some(format!(
        "note: bash login shells (wsl.exe starts one) read {} and it does not run ~/.bashrc, so they get no hook: add the line to it: echo '[ -n \"$BASH_VERSION\" ] && [ -f ~/.bashrc ] && . ~/.bashrc' >> {}",
        q(&login),
        q(&login)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_an_active_line_only() {
        assert_eq!(existing_line("x\neval \"$(wslgo init zsh)\"\n", Shell::Zsh), Some(2));
        assert_eq!(existing_line("# eval \"$(wslgo init zsh)\"\n", Shell::Zsh), None);
        assert_eq!(existing_line("eval \"$(wslgo init bash)\"\n", Shell::Zsh), None);
        assert_eq!(existing_line("'/opt/x/wslgo' init fish | source\n", Shell::Fish), Some(1));
    }
}
