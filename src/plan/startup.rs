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
use crate::warn::Warning;
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

/// How many missing entries the warning names before "and N more".
const MAX_NAMED: usize = 5;

pub(crate) fn plan(ctx: &Ctx, p: &mut Plan) {
    if !ctx.first_prompt {
        return;
    }
    let Some(shell) = ctx.shell.or_else(|| shell_from_env(ctx)) else {
        return;
    };
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
    let files = startup::mode_files(shell, ctx.login, &homes);
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
    let (what, fix) = message(shell, ctx.login, &homes, &lacking);
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

/// The warning's two halves: what is wrong, and the exact fix for this shell.
pub(crate) fn message(shell: Shell, login: bool, h: &Homes, lacking: &[String]) -> (String, String) {
    let mut named: Vec<String> = lacking.iter().take(MAX_NAMED).cloned().collect();
    if lacking.len() > MAX_NAMED {
        named.push(format!("and {} more", lacking.len() - MAX_NAMED));
    }
    let list = named.join(", ");
    let what = match shell {
        Shell::Bash => {
            // A non-login bash gets ~/.profile only through the login shell it inherits from.
            let by = if login { "" } else { " (this non-login bash inherits from one)" };
            format!(
                "~/.profile is not read: bash login shells{by} read {} instead and it does not source ~/.profile; missing {list}",
                tilde(h, &fix_file(Shell::Bash, h))
            )
        }
        Shell::Zsh => {
            format!("~/.profile is not read: zsh never reads it by itself and no zsh startup file sources it; missing {list}")
        }
    };
    (what, fix(shell, h))
}

/// The file SPEC 5.6's fix goes into: the login file bash reads instead of ~/.profile (else
/// ~/.bash_profile), or zsh's `.zprofile`.
pub(crate) fn fix_file(shell: Shell, h: &Homes) -> std::path::PathBuf {
    match shell {
        Shell::Bash => startup::bash_login_file(&h.home).unwrap_or_else(|| h.home.join(".bash_profile")),
        Shell::Zsh => h.zdotdir.join(".zprofile"),
    }
}

/// The exact fix for a shell whose startup skips ~/.profile (also `wslgo doctor`'s): the line
/// to add, as a command that appends it to the file (the file's path quoted, SPEC 5.6).
pub(crate) fn fix(shell: Shell, h: &Homes) -> String {
    let line = match shell {
        Shell::Bash => "'. ~/.profile'",
        Shell::Zsh => "\"emulate sh -c '. ~/.profile'\"",
    };
    format!(
        "add the line to {}: echo {line} >> {}",
        tilde(h, &fix_file(shell, h)),
        crate::quote::fix_path(&h.home, &fix_file(shell, h))
    )
}

fn tilde(h: &Homes, p: &Path) -> String {
    match p.strip_prefix(&h.home) {
        Ok(r) => format!("~/{}", r.display()),
        Err(_) => p.display().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::probe::startup::profile::{PathAdd, SetVar};
    use std::path::PathBuf;

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
        let (what, fix) = message(Shell::Zsh, true, &h, &lack);
        assert!(
            what.contains("X4=1") && !what.contains("X5=1") && what.contains("and 2 more"),
            "{what}"
        );
        assert_eq!(
            fix,
            "add the line to ~/.config/zsh/.zprofile: echo \"emulate sh -c '. ~/.profile'\" >> ~/.config/zsh/.zprofile"
        );
        let (_, fix) = message(Shell::Bash, true, &h, &lack);
        assert_eq!(fix, "add the line to ~/.bash_profile: echo '. ~/.profile' >> ~/.bash_profile");
    }
}
