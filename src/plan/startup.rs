//! `profile-skipped` (SPEC 5.6): ~/.profile exists, this shell's startup does not read it, and
//! the environment lacks what it would have set.
//!
//! The classic trap: a tool's installer creates ~/.bash_profile (or the user switches to zsh),
//! and from then on the login shell no longer reads ~/.profile, where `$HOME/go/bin` went on
//! PATH years ago. `go install`ed tools then "vanish" with no error anywhere.
//!
//! Both halves are needed before warning. The file analysis alone would warn in a non-login
//! shell that inherited a login shell's environment (which is fine), and the environment alone
//! cannot say why something is missing. So: the mode does not read ~/.profile (by
//! [`crate::probe::startup`]'s generous source following) AND some entry ~/.profile would
//! certainly have set (by its strict simulation) is missing from the user's own environment
//! (wslgo's own PATH entries and values do not count: `$HOME/go/bin` put there by wslgo as
//! `$GOPATH/bin` does not make ~/.profile's line work).
//!
//! A non-login shell is judged by its login mode's files too (see
//! [`crate::probe::startup::mode_files`]): it normally inherits a login shell's environment,
//! and both of SPEC's fixes go into login files (~/.bash_profile, ~/.zprofile). So a non-login
//! zsh warns unless ~/.zprofile (or another zsh file) sources ~/.profile, and a non-login bash
//! whose login setup reads ~/.profile stays silent even when its environment lacks the entries
//! (it was started outside a login session; no startup-file line would fix that).
//!
//! This runs once per shell session (`ctx.first_prompt`, after the rc files ran; and in
//! `wslgo env`), never on an ordinary refresh: it reads a handful of files.

use super::{Ctx, Plan};
use crate::probe::startup::{self, FsWorld, Homes, MAX_SCRIPT, Settings};
use crate::shell::Shell;
use crate::state::user_path;
use crate::sysroot::Sys;
use crate::warn::Warning;
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

/// How many missing entries the warning names before "and N more".
const MAX_NAMED: usize = 5;

pub(crate) fn plan(ctx: &Ctx, p: &mut Plan) {
    if !ctx.first_prompt {
        return;
    }
    let Some(shell) = ctx.shell.or_else(|| shell_from_env(ctx)) else {
        return;
    };
    if shell == Shell::Fish {
        return;
    }
    let homes = Homes::from_env(ctx.env);
    if !homes.home.is_absolute() {
        return;
    }
    let profile = homes.home.join(".profile");
    if !std::fs::metadata(&profile).is_ok_and(|m| m.is_file()) {
        return;
    }
    let lookup = |n: &str| startup::lookup_value(ctx.prior(n));
    let world = FsWorld {
        sys: ctx.sys,
        home: &homes.home,
        lookup: &lookup,
    };
    // A login shell is judged by its login files; a non-login one (a terminal tab, VS Code's
    // terminal, `wsl.exe -e bash`) by its rc files alone: what it lacks then came from neither.
    // `wslgo env` cannot tell how its shell started: it judges the login setup (as doctor does).
    let login = ctx.login || ctx.interactive;
    let files = if login {
        startup::mode_files(shell, true, &homes)
    } else {
        startup::rc_files(shell, &homes)
    };
    if startup::reads(ctx.sys, &files, &profile, &homes, &lookup) {
        return;
    }
    let Some(text) = crate::sysroot::read_script(&profile, MAX_SCRIPT) else {
        return;
    };
    let settings = startup::profile_settings(&text, &world);
    let entries: Vec<&OsStr> = ctx.env.path_entries();
    let users = user_path(&entries, ctx.state);
    let lacking = missing(&settings, &users, |n| ctx.env.get(n), |n| ctx.prior(n));
    if lacking.is_empty() {
        return;
    }
    let (what, fix) = if login {
        message(ctx.sys, shell, true, &homes, &lacking)
    } else {
        let login_reads = startup::reads(ctx.sys, &startup::mode_files(shell, true, &homes), &profile, &homes, &lookup);
        // Windows Terminal and `wsl.exe` only on WSL (SPEC 5.5); `None` names no Windows command.
        let distro = ctx
            .platform
            .is_wsl()
            .then(|| ctx.env.get_str("WSL_DISTRO_NAME").filter(|d| !d.is_empty()).unwrap_or("<distro>"));
        non_login_message(ctx.sys, shell, &homes, &lacking, login_reads, distro)
    };
    p.warn(Warning::new("profile-skipped", profile.to_string_lossy(), what, fix));
}

/// `wslgo env` has no shell argument: `$SHELL` tells which one the user runs.
fn shell_from_env(ctx: &Ctx) -> Option<Shell> {
    let s = ctx.env.get("SHELL")?;
    match Path::new(s).file_name()?.as_bytes() {
        b"bash" => Some(Shell::Bash),
        b"zsh" => Some(Shell::Zsh),
        _ => None,
    }
}

/// The entries of `s` the environment lacks, as the user wrote them: `$HOME/go/bin` for a PATH
/// directory, `NAME=value` for a variable. A PATH directory counts as present when the user's
/// part of PATH holds it (with or without a trailing `/`, or spelled as written); a variable
/// when the user has a value of their own, or the current value is the one ~/.profile sets.
pub(crate) fn missing<'a>(
    s: &Settings,
    user_path: &[&OsStr],
    now: impl Fn(&str) -> Option<&'a OsStr>,
    prior: impl Fn(&str) -> Option<&'a OsStr>,
) -> Vec<String> {
    let norm = |b: &[u8]| -> Vec<u8> {
        let mut v = b.to_vec();
        while v.len() > 1 && v.last() == Some(&b'/') {
            v.pop();
        }
        v
    };
    let have: Vec<Vec<u8>> = user_path.iter().map(|e| norm(e.as_bytes())).collect();
    let mut out = Vec::new();
    for a in &s.path {
        let present = have.contains(&norm(a.dir.as_bytes())) || have.contains(&norm(a.written.as_bytes()));
        if !present {
            out.push(format!("{} on PATH", a.written));
        }
    }
    for v in &s.vars {
        let own = prior(&v.name).is_some_and(|x| !x.is_empty());
        let same = now(&v.name).is_some_and(|x| x.as_bytes() == v.value.as_bytes());
        if !own && !same {
            out.push(format!("{}={}", v.name, v.written));
        }
    }
    out
}

fn named(lacking: &[String]) -> String {
    let mut named: Vec<String> = lacking.iter().take(MAX_NAMED).cloned().collect();
    if lacking.len() > MAX_NAMED {
        named.push(format!("and {} more", lacking.len() - MAX_NAMED));
    }
    named.join(", ")
}

/// The warning's two halves for a login shell: what is wrong, and the exact fix for this shell.
pub fn message(sys: &Sys, shell: Shell, login: bool, h: &Homes, lacking: &[String]) -> (String, String) {
    let list = named(lacking);
    let what = match shell {
        Shell::Bash => {
            let by = if login { "" } else { " (this non-login bash inherits from one)" };
            format!(
                "~/.profile is not read: bash login shells{by} read {} instead and it does not source ~/.profile; missing {list}",
                tilde(h, &fix_file(Shell::Bash, h))
            )
        }
        Shell::Zsh | Shell::Fish => {
            format!("~/.profile is not read: zsh never reads it by itself and no zsh startup file sources it; missing {list}")
        }
    };
    (what, fix(sys, shell, h))
}

/// The warning for an interactive non-login shell whose environment lacks what ~/.profile
/// sets: it reads only its rc file, and it was not started under a login shell. Both ways out:
/// a login shell in the terminal (the VS Code and, on WSL, Windows Terminal settings), or the
/// line for the rc file; and the login files' own fix when login shells skip ~/.profile too.
/// `wsl` is `Some(distro)` on WSL (`<distro>` when unknown), `None` on plain Linux, where no
/// Windows command is named.
pub fn non_login_message(sys: &Sys, shell: Shell, h: &Homes, lacking: &[String], login_reads: bool, wsl: Option<&str>) -> (String, String) {
    let name = shell.name();
    let rc = rc_file(shell, h);
    let wsl_e = if wsl.is_some() {
        format!(", wsl.exe -e {name}")
    } else {
        String::new()
    };
    let what = format!(
        "~/.profile is not read: this non-login {name} (a terminal tab, VS Code's terminal{wsl_e}) reads only {} and was not started under a login shell; missing {}",
        tilde(h, &rc),
        named(lacking)
    );
    // The distro's name goes into a JSON string and a command line: only a plain one (WSL's
    // names are letters, digits, `.`, `_`, `-`), else the placeholder.
    let terminal = match wsl {
        Some(distro) => {
            let distro = Some(distro)
                .filter(|d| d.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c)))
                .unwrap_or("<distro>");
            format!("; Windows Terminal profile: \"commandline\": \"wsl.exe -d {distro} -- {name} -l\"")
        }
        None => "; or your terminal's own setting".to_string(),
    };
    let rc_fix = match rc_line(sys, shell, h) {
        (line, true) => format!("put this line at the top of {}: {line}", tilde(h, &rc)),
        (line, false) => append(h, &rc, line),
    };
    let mut fix = format!(
        "start the terminal as a login shell (VS Code settings.json: \"terminal.integrated.profiles.linux\": {{\"{name}\": {{\"path\": \"{name}\", \"args\": [\"-l\"]}}}}{terminal}), or {rc_fix}"
    );
    if !login_reads {
        fix.push_str(&format!("; {name} login shells skip it too: {}", self::fix(sys, shell, h)));
    }
    (what, fix)
}

/// The rc file an interactive non-login shell reads.
pub fn rc_file(shell: Shell, h: &Homes) -> PathBuf {
    match shell {
        Shell::Bash => h.home.join(".bashrc"),
        Shell::Zsh | Shell::Fish => h.zdotdir.join(".zshrc"),
    }
}

/// The line that makes the rc file read ~/.profile, and whether it goes at the top. When
/// ~/.profile itself runs ~/.bashrc (Ubuntu's default), a plain `. ~/.profile` there would
/// loop: the guarded line goes first and ends this run, as ~/.profile has just run the whole
/// ~/.bashrc once. The guard is exported, so a nested `bash -i` (which inherits ~/.profile's
/// environment) does not read ~/.profile again and duplicate its PATH entries; a login shell,
/// which is reading ~/.profile already, only sets it.
fn rc_line(sys: &Sys, shell: Shell, h: &Homes) -> (&'static str, bool) {
    match shell {
        Shell::Bash if profile_runs_bashrc(sys, h) => (
            "[ -n \"${PROFILE_READ-}\" ] || { export PROFILE_READ=1; shopt -q login_shell || { . ~/.profile; return; }; }",
            true,
        ),
        Shell::Bash | Shell::Zsh | Shell::Fish => (login_line(shell), false),
    }
}

fn profile_runs_bashrc(sys: &Sys, h: &Homes) -> bool {
    let none = |_: &str| startup::Lookup::Unknown;
    startup::reads(
        sys,
        &[startup::Script::User(h.home.join(".profile"))],
        &h.home.join(".bashrc"),
        h,
        &none,
    )
}

/// The file SPEC 5.6's fix goes into: the login file bash reads instead of ~/.profile (else
/// ~/.bash_profile), or zsh's `.zprofile`.
pub(crate) fn fix_file(shell: Shell, h: &Homes) -> PathBuf {
    match shell {
        Shell::Bash => startup::bash_login_file(&h.home).unwrap_or_else(|| h.home.join(".bash_profile")),
        Shell::Zsh | Shell::Fish => h.zdotdir.join(".zprofile"),
    }
}

/// The exact fix for a login shell whose startup skips ~/.profile (also `wslgo doctor`'s): the
/// line to add, as a command that appends it to the file (the file's path quoted, SPEC 5.6).
///
/// bash: when the login file only sources ~/.bashrc and ~/.profile runs ~/.bashrc too
/// (Ubuntu's ~/.profile does), adding `. ~/.profile` would run ~/.bashrc twice: the fix is
/// then to replace that line.
pub(crate) fn fix(sys: &Sys, shell: Shell, h: &Homes) -> String {
    let file = fix_file(shell, h);
    if shell == Shell::Bash
        && let Some(line) = only_sources_bashrc(&file, h)
        && profile_runs_bashrc(sys, h)
    {
        return format!(
            "in {}, replace the line `{line}` by `. ~/.profile` (~/.profile already runs ~/.bashrc: adding a line would run it twice)",
            tilde(h, &file)
        );
    }
    append(h, &file, login_line(shell))
}

/// The line that makes a login shell read ~/.profile.
fn login_line(shell: Shell) -> &'static str {
    match shell {
        Shell::Bash => ". ~/.profile",
        Shell::Zsh | Shell::Fish => "emulate sh -c '. ~/.profile'",
    }
}

/// "add the line to FILE: echo LINE >> FILE", the line and the path quoted.
fn append(h: &Homes, file: &Path, line: &str) -> String {
    let quoted = if line.contains('\'') {
        format!("\"{line}\"")
    } else {
        format!("'{line}'")
    };
    format!("add the line to {}: echo {quoted} >> {}", tilde(h, file), tilde(h, file))
}

/// The line of `file` that sources ~/.bashrc, when that is all the file does (around it only
/// blank lines, comments and the `if [ -f ~/.bashrc ]; then` ... `fi` that guards it).
fn only_sources_bashrc(file: &Path, h: &Homes) -> Option<String> {
    let text = crate::sysroot::read_script(file, MAX_SCRIPT)?;
    let bashrc = h.home.join(".bashrc");
    let none = |_: &str| startup::Lookup::Unknown;
    let mut found = None;
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let srcs = startup::sourced(line, 0);
        if !srcs.is_empty() {
            let all_bashrc = srcs.iter().all(|w| startup::source_path(w, h, &none).is_some_and(|p| p == bashrc));
            if !all_bashrc || found.is_some() {
                return None;
            }
            found = Some(line.to_string());
            continue;
        }
        let guard = matches!(line, "fi" | "then" | "}")
            || ((line.starts_with("if ") || line.starts_with("[ ") || line.starts_with("[[ ") || line.starts_with("test "))
                && line.contains(".bashrc")
                && !line.contains('`')
                && !line.contains("$("));
        if !guard {
            return None;
        }
    }
    found
}

/// A path for the message: `~/...` under HOME, shell-quoted when it holds anything a shell
/// would read specially, so a fix stays valid when pasted.
fn tilde(h: &Homes, p: &Path) -> String {
    crate::quote::fix_path(&h.home, p)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::probe::startup::profile::{PathAdd, SetVar};

    fn settings() -> Settings {
        Settings {
            vars: vec![SetVar {
                name: "EDITOR".into(),
                written: "vim".into(),
                value: "vim".into(),
            }],
            path: vec![PathAdd {
                written: "$HOME/go/bin".into(),
                dir: "/h/go/bin".into(),
            }],
        }
    }

    #[test]
    fn missing_names_what_the_user_lacks() {
        let s = settings();
        let none = |_: &str| -> Option<&OsStr> { None };
        let got = missing(&s, &[OsStr::new("/usr/bin")], none, none);
        assert_eq!(got, vec!["$HOME/go/bin on PATH".to_string(), "EDITOR=vim".to_string()]);
        // Present with a trailing slash, and EDITOR set by the user to something else.
        let ed = |n: &str| -> Option<&OsStr> { (n == "EDITOR").then(|| OsStr::new("nano")) };
        assert!(missing(&s, &[OsStr::new("/h/go/bin/")], ed, ed).is_empty());
    }

    #[test]
    fn message_names_the_file_to_fix() {
        let h = Homes {
            home: PathBuf::from("/nonexistent-home"),
            zdotdir: PathBuf::from("/nonexistent-home/.config/zsh"),
        };
        let lack: Vec<String> = (0..7).map(|i| format!("X{i}=1")).collect();
        let sys = Sys::from_env();
        let (what, fix) = message(&sys, Shell::Zsh, true, &h, &lack);
        assert!(
            what.contains("X4=1") && !what.contains("X5=1") && what.contains("and 2 more"),
            "{what}"
        );
        assert_eq!(
            fix,
            "add the line to ~/.config/zsh/.zprofile: echo \"emulate sh -c '. ~/.profile'\" >> ~/.config/zsh/.zprofile"
        );
        let (_, fix) = message(&sys, Shell::Bash, true, &h, &lack);
        assert_eq!(fix, "add the line to ~/.bash_profile: echo '. ~/.profile' >> ~/.bash_profile");
    }
}
