//! The shells: `shell.hook` (is `wslgo init` in the rc files) and `shell.startup` (is
//! ~/.profile read in each mode, SPEC 5.6).

use super::{Check, Input};
use crate::probe::startup::{self, FsWorld, Homes, Lookup, MAX_SCRIPT};
use crate::shell::Shell;
use std::path::Path;

pub(crate) fn checks(inp: &Input) -> Vec<Check> {
    vec![startup(inp), hook(inp)]
}

/// The user's login shell (`$SHELL`'s name).
fn login_shell(inp: &Input) -> Option<&'static str> {
    let s = inp.env.get_str("SHELL")?;
    match Path::new(s).file_name()?.to_str()? {
        "bash" => Some("bash"),
        "zsh" => Some("zsh"),
        "fish" => Some("fish"),
        _ => None,
    }
}

fn show(inp: &Input, p: &Path) -> String {
    match p.strip_prefix(&inp.home) {
        Ok(r) if !inp.home.as_os_str().is_empty() => format!("~/{}", r.display()),
        _ => p.display().to_string(),
    }
}

/// How an rc file runs wslgo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum InitLine {
    /// `eval "$(wslgo init <shell>)"` (the shell named).
    Eval(String),
    /// `wslgo init <shell>` without eval: prints the snippet instead of running it.
    NoEval(String),
}

/// Finds the first uncommented `wslgo ... init <shell>` line.
pub(crate) fn find_init(text: &str) -> Option<InitLine> {
    for line in text.lines() {
        let code = line.trim_start();
        if code.starts_with('#') {
            continue;
        }
        let code = code.split(" #").next().unwrap_or(code);
        let Some(i) = code.find("wslgo") else { continue };
        let rest = &code[i..];
        let Some(j) = rest.find(" init ") else { continue };
        let sh: String = rest[j + 6..]
            .trim_start()
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        if sh.is_empty() {
            continue;
        }
        return Some(
            if code.contains("eval") || code.contains("source <(") || code.contains("| source") {
                InitLine::Eval(sh)
            } else {
                InitLine::NoEval(sh)
            },
        );
    }
    None
}

/// The line each shell needs, as its rc file holds it.
fn line(sh: &str) -> String {
    if sh == "fish" {
        "wslgo init fish | source".to_string()
    } else {
        format!("eval \"$(wslgo init {sh})\"")
    }
}

/// What the rc files hold: (shell, file) with the right line; (what, fix) of wrong lines; the
/// files that cannot be read.
struct Scan {
    good: Vec<(&'static str, String)>,
    bad: Vec<(String, String)>,
    unreadable: Vec<String>,
}

fn scan(inp: &Input, rcs: &[(&'static str, std::path::PathBuf)]) -> Scan {
    let mut good: Vec<(&'static str, String)> = Vec::new();
    let mut bad: Vec<(String, String)> = Vec::new();
    let mut unreadable: Vec<String> = Vec::new();
    for (sh, rc) in rcs {
        let sh = *sh;
        let text = match crate::sysroot::load_script(rc, MAX_SCRIPT) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => {
                unreadable.push(format!("{}: {}", show(inp, rc), super::io_why(&e)));
                continue;
            }
        };
        match find_init(&text) {
            Some(InitLine::Eval(s)) if s == sh => good.push((sh, show(inp, rc))),
            Some(InitLine::Eval(s)) => bad.push((
                format!("{} runs `wslgo init {s}` ({s} code in {sh})", show(inp, rc)),
                format!("in {}: {}", show(inp, rc), line(sh)),
            )),
            Some(InitLine::NoEval(s)) => bad.push((
                format!(
                    "{} runs wslgo init {s} without eval: it prints the snippet instead of running it",
                    show(inp, rc)
                ),
                format!("in {}: {}", show(inp, rc), line(sh)),
            )),
            None => {}
        }
    }
    Scan { good, bad, unreadable }
}

/// The rc files of the three shells, as `shell.hook` reads them.
fn rc_files(inp: &Input) -> [(&'static str, std::path::PathBuf); 3] {
    let zshrc = Homes::from_env(inp.env).zdotdir.join(".zshrc");
    let fishrc = startup::fish_config(inp.env, &inp.home);
    [("bash", inp.home.join(".bashrc")), ("zsh", zshrc), ("fish", fishrc)]
}

/// The fix of a check whose problem wslgo's hook would solve: "add the init line", or, when
/// `shell.hook` finds the line already in your shell's rc file but this shell is not hooked
/// (opened before the line was added), to start a new shell. `does` says what the hook does
/// about the problem ("sets it").
pub(crate) fn init_fix(inp: &Input, does: &str) -> String {
    if !inp.env.is_set(crate::state::VAR) {
        let Scan { good, bad, .. } = scan(inp, &rc_files(inp));
        let mine = login_shell(inp);
        let rc = match mine {
            Some(m) => good.iter().find(|(s, _)| *s == m),
            None => good.first(),
        };
        if let (true, Some((_, rc))) = (bad.is_empty(), rc) {
            return format!("the line is in {rc}; open a new shell or `exec $SHELL`, which {does}");
        }
    }
    format!("eval \"$(wslgo init bash)\" in ~/.bashrc (zsh: ~/.zshrc) {does}")
}

fn hook(inp: &Input) -> Check {
    const ID: &str = "shell.hook";
    let rcs = rc_files(inp);
    let (zshrc, fishrc) = (rcs[1].1.clone(), rcs[2].1.clone());
    let mine = login_shell(inp);
    let Scan { good, bad, unreadable } = scan(inp, &rcs);
    let active = inp.env.is_set(crate::state::VAR);
    let act = if active { "; active in this shell" } else { "" };
    let note = if unreadable.is_empty() {
        String::new()
    } else {
        format!(" (cannot read {})", unreadable.join(", "))
    };
    if !bad.is_empty() {
        let (w, f): (Vec<String>, Vec<String>) = bad.into_iter().unzip();
        return Check::warn(ID, format!("{}{note}", w.join("; ")), f.join("; "));
    }
    let target = mine.unwrap_or("bash");
    let rc_of = |sh: &str| match sh {
        "zsh" => show(inp, &zshrc),
        "fish" => show(inp, &fishrc),
        _ => "~/.bashrc".into(),
    };
    // The same file as one word of a pasteable command.
    let rc_sh = |sh: &str| match sh {
        "zsh" => crate::quote::fix_path(&inp.home, &zshrc),
        "fish" => crate::quote::fix_path(&inp.home, &fishrc),
        _ => "~/.bashrc".into(),
    };
    let append = |sh: &str| format!("echo {} >> {}", crate::quote::fix_word(line(sh).as_bytes()), rc_sh(sh));
    match (good.iter().find(|(s, _)| Some(*s) == mine), good.first()) {
        (Some((s, rc)), _) => Check::ok(ID, format!("wslgo init is in {rc} (your shell is {s}){act}{note}")),
        (None, Some((_, rc))) if mine.is_some() => Check::warn(
            ID,
            format!("wslgo init is in {rc}, but not in {} of your shell {target}{note}", rc_of(target)),
            append(target),
        ),
        (None, Some((_, rc))) => Check::ok(ID, format!("wslgo init is in {rc}{act}{note}")),
        (None, None) => Check::warn(
            ID,
            format!(
                "wslgo init is in neither ~/.bashrc nor {} nor {}: no prompt gets the environment{note}",
                rc_of("zsh"),
                rc_of("fish")
            ),
            append(target),
        ),
    }
}

// ---------------------------------------------------------------------------------------
// shell.startup

/// Which of bash and zsh, login and not, read ~/.profile: the files each mode reads and the
/// `.`/`source` lines followed from them, exactly as the `profile-skipped` warning decides it
/// ([`startup::mode_files`], [`startup::reads`]).
pub(crate) fn profile_readers(inp: &Input, homes: &Homes, lookup: &dyn Fn(&str) -> Lookup) -> Vec<(Shell, bool, bool)> {
    let profile = homes.home.join(".profile");
    [(Shell::Bash, true), (Shell::Bash, false), (Shell::Zsh, true), (Shell::Zsh, false)]
        .into_iter()
        .map(|(sh, login)| {
            let files = startup::mode_files(sh, login, homes);
            (sh, login, startup::reads(inp.sys, &files, &profile, homes, lookup))
        })
        .collect()
}

fn startup(inp: &Input) -> Check {
    const ID: &str = "shell.startup";
    let homes = Homes::from_env(inp.env);
    if !homes.home.is_absolute() {
        return Check::skip(ID, "HOME is not an absolute path: no startup files to check");
    }
    let text = match crate::sysroot::load_script(&homes.home.join(".profile"), MAX_SCRIPT) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Check::ok(ID, "no ~/.profile: nothing for a shell to skip");
        }
        Err(e) => return Check::warn(ID, format!("cannot read ~/.profile: {}", super::io_why(&e)), "ls -l ~/.profile"),
    };
    // What ~/.profile would set, by the same strict simulation as the prompt hook's warning:
    // a line it cannot understand, or a PATH addition guarded by a missing directory, is not
    // something a shell that skips the file would miss.
    let lookup = |n: &str| startup::lookup_value(inp.env.get(n));
    let world = FsWorld {
        sys: inp.sys,
        home: &homes.home,
        lookup: &lookup,
    };
    let sets = startup::profile_settings(&text, &world);
    let mut names: Vec<&str> = sets.vars.iter().map(|v| v.name.as_str()).collect();
    if !sets.path.is_empty() {
        names.push("PATH");
    }
    if names.is_empty() {
        return Check::ok(ID, "~/.profile sets nothing a shell could miss: nothing for a shell to skip");
    }
    let names = names.iter().take(6).copied().collect::<Vec<_>>().join(", ");
    let mut readers = profile_readers(inp, &homes, &lookup);
    // zsh counts when it is in use: `$SHELL` names it, or it has a startup file of its own
    // (a terminal that starts zsh without a .zshrc meets zsh's first-run wizard, not a prompt).
    // A bash user is not told to write a ~/.zprofile for a zsh that is merely installed.
    let zsh_in_use = crate::cmd::setup::shell_from_env(inp.env) == Some(Shell::Zsh)
        || [".zshenv", ".zprofile", ".zshrc", ".zlogin"]
            .iter()
            .any(|f| homes.zdotdir.join(f).exists());
    let unused = if zsh_in_use {
        String::new()
    } else {
        readers.retain(|r| r.0 != Shell::Zsh);
        format!("; zsh is not in use (no {})", show(inp, &homes.zdotdir.join(".zshrc")))
    };
    let mode = |sh: Shell, login: bool| format!("{} {}", sh.name(), if login { "login" } else { "non-login" });
    let skipped: Vec<String> = readers.iter().filter(|r| !r.2).map(|r| mode(r.0, r.1)).collect();
    // A non-login bash inherits the login shell's environment (a terminal's first shell is a
    // login shell on WSL), so only login modes and zsh count as a trap.
    let matters: Vec<Shell> = readers.iter().filter(|r| !r.2 && (r.1 || r.0 == Shell::Zsh)).map(|r| r.0).collect();
    if matters.is_empty() {
        let also = if skipped.is_empty() {
            String::new()
        } else {
            format!(" ({} inherits it)", skipped.join(", "))
        };
        return Check::ok(ID, format!("~/.profile (sets {names}) is read by bash login{also}{unused}"));
    }
    let mut fixes: Vec<String> = Vec::new();
    for sh in [Shell::Zsh, Shell::Bash] {
        if matters.contains(&sh) {
            fixes.push(crate::plan::startup::fix(inp.sys, sh, &homes));
        }
    }
    Check::warn(
        ID,
        format!(
            "~/.profile sets {names}, but {} never read{} it",
            skipped.join(", "),
            if skipped.len() == 1 { "s" } else { "" }
        ),
        fixes.join("; "),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn init_lines() {
        assert_eq!(find_init("eval \"$(wslgo init zsh)\"\n"), Some(InitLine::Eval("zsh".into())));
        assert_eq!(find_init("# eval \"$(wslgo init zsh)\"\n"), None);
        assert_eq!(find_init("/opt/bin/wslgo init bash\n"), Some(InitLine::NoEval("bash".into())));
        assert_eq!(find_init("x=1\n"), None);
    }
}
