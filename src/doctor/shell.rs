//! The shells: `shell.hook` (is `wslgo init` in the rc files) and `shell.startup` (is
//! ~/.profile read in each mode, SPEC 5.6).

use super::{Check, Input};
use crate::sysroot::read_bounded;
use std::path::{Path, PathBuf};

/// The largest rc file read.
const MAX_RC: usize = 256 * 1024;

pub fn checks(inp: &Input) -> Vec<Check> {
    vec![startup(inp), hook(inp)]
}

/// `$ZDOTDIR`, else HOME: where zsh reads its dot files.
fn zdotdir(inp: &Input) -> PathBuf {
    inp.env
        .get_nonempty("ZDOTDIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| inp.home.clone())
}

/// The user's login shell (`$SHELL`'s name).
fn login_shell(inp: &Input) -> Option<&'static str> {
    let s = inp.env.get_str("SHELL")?;
    match Path::new(s).file_name()?.to_str()? {
        "bash" => Some("bash"),
        "zsh" => Some("zsh"),
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
pub enum InitLine {
    /// `eval "$(wslgo init <shell>)"` (the shell named).
    Eval(String),
    /// `wslgo init <shell>` without eval: prints the snippet instead of running it.
    NoEval(String),
}

/// Finds the first uncommented `wslgo ... init <shell>` line.
pub fn find_init(text: &str) -> Option<InitLine> {
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
        return Some(if code.contains("eval") || code.contains("source <(") {
            InitLine::Eval(sh)
        } else {
            InitLine::NoEval(sh)
        });
    }
    None
}

fn hook(inp: &Input) -> Check {
    const ID: &str = "shell.hook";
    let rcs = [("bash", inp.home.join(".bashrc")), ("zsh", zdotdir(inp).join(".zshrc"))];
    let mine = login_shell(inp);
    let mut good: Vec<(&str, String)> = Vec::new();
    let mut bad: Vec<(String, String)> = Vec::new();
    let mut unreadable: Vec<String> = Vec::new();
    for (sh, rc) in &rcs {
        let text = match read_bounded(rc, MAX_RC) {
            Ok(b) => String::from_utf8_lossy(&b).into_owned(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => {
                unreadable.push(format!("{}: {}", show(inp, rc), super::io_why(&e)));
                continue;
            }
        };
        match find_init(&text) {
            Some(InitLine::Eval(s)) if s == *sh => good.push((sh, show(inp, rc))),
            Some(InitLine::Eval(s)) => bad.push((
                format!("{} runs `wslgo init {s}` ({s} code in {sh})", show(inp, rc)),
                format!("in {}: eval \"$(wslgo init {sh})\"", show(inp, rc)),
            )),
            Some(InitLine::NoEval(s)) => bad.push((
                format!(
                    "{} runs wslgo init {s} without eval: it prints the snippet instead of running it",
                    show(inp, rc)
                ),
                format!("in {}: eval \"$(wslgo init {sh})\"", show(inp, rc)),
            )),
            None => {}
        }
    }
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
    let rc_of = |sh: &str| {
        if sh == "zsh" {
            show(inp, &zdotdir(inp).join(".zshrc"))
        } else {
            "~/.bashrc".into()
        }
    };
    match (good.iter().find(|(s, _)| Some(*s) == mine), good.first()) {
        (Some((s, rc)), _) => Check::ok(ID, format!("wslgo init is in {rc} (your shell is {s}){act}{note}")),
        (None, Some((_, rc))) if mine.is_some() => Check::warn(
            ID,
            format!("wslgo init is in {rc}, but not in {} of your shell {target}{note}", rc_of(target)),
            format!("echo 'eval \"$(wslgo init {target})\"' >> {}", rc_of(target)),
        ),
        (None, Some((_, rc))) => Check::ok(ID, format!("wslgo init is in {rc}{act}{note}")),
        (None, None) => Check::warn(
            ID,
            format!(
                "wslgo init is in neither ~/.bashrc nor {}: no prompt gets the environment{note}",
                rc_of("zsh")
            ),
            format!("echo 'eval \"$(wslgo init {target})\"' >> {}", rc_of(target)),
        ),
    }
}

// ---------------------------------------------------------------------------------------
// shell.startup

/// True when `file` (or a file it sources, a few levels deep) sources ~/.profile.
fn sources_profile(inp: &Input, file: &Path, depth: usize) -> bool {
    if depth > 3 {
        return false;
    }
    let Ok(b) = read_bounded(file, MAX_RC) else { return false };
    let text = String::from_utf8_lossy(&b);
    for line in text.lines() {
        let code = line.trim_start();
        if code.starts_with('#') {
            continue;
        }
        for stmt in code.split([';', '\'', '"']).flat_map(|s| s.split("&&")) {
            let words = shell_words::split(stmt.trim()).unwrap_or_default();
            let Some(pos) = words.iter().position(|w| w == "." || w == "source") else {
                continue;
            };
            let Some(arg) = words.get(pos + 1) else { continue };
            let target = expand_home(inp, arg);
            if target == inp.home.join(".profile") {
                return true;
            }
            if target != file && sources_profile(inp, &target, depth + 1) {
                return true;
            }
        }
    }
    false
}

fn expand_home(inp: &Input, w: &str) -> PathBuf {
    let home = inp.home.display().to_string();
    let w = w.replace("${HOME}", &home).replace("$HOME", &home);
    match w.strip_prefix("~/") {
        Some(r) => inp.home.join(r),
        None => PathBuf::from(w),
    }
}

/// The modes (of bash and zsh, login or not) that read ~/.profile.
pub fn profile_readers(inp: &Input) -> Vec<(&'static str, bool, bool)> {
    let h = &inp.home;
    let z = zdotdir(inp);
    let src = |p: &Path| sources_profile(inp, p, 0);
    let bash_login = ["~/.bash_profile", "~/.bash_login"]
        .iter()
        .map(|f| h.join(&f[2..]))
        .find(|p| p.exists())
        .map(|p| src(&p))
        .unwrap_or(true);
    let bash_nonlogin = src(&h.join(".bashrc"));
    let zsh_common = src(&z.join(".zshenv")) || src(&z.join(".zshrc"));
    let zsh_login = zsh_common || src(&z.join(".zprofile")) || src(&z.join(".zlogin"));
    vec![
        ("bash", true, bash_login),
        ("bash", false, bash_nonlogin),
        ("zsh", true, zsh_login),
        ("zsh", false, zsh_common),
    ]
}

/// What ~/.profile sets: the names of its `export VAR=` lines and whether it touches PATH.
fn profile_sets(text: &str) -> Vec<String> {
    let mut v: Vec<String> = Vec::new();
    for line in text.lines() {
        let code = line.trim_start();
        let code = code.strip_prefix("export ").unwrap_or(code).trim_start();
        if let Some((name, _)) = code.split_once('=')
            && !name.is_empty()
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && !v.iter().any(|x| x == name)
        {
            v.push(name.to_string());
        }
    }
    v
}

fn startup(inp: &Input) -> Check {
    const ID: &str = "shell.startup";
    let profile = inp.home.join(".profile");
    let text = match read_bounded(&profile, MAX_RC) {
        Ok(b) => String::from_utf8_lossy(&b).into_owned(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Check::ok(ID, "no ~/.profile: nothing for a shell to skip");
        }
        Err(e) => return Check::warn(ID, format!("cannot read ~/.profile: {}", super::io_why(&e)), "ls -l ~/.profile"),
    };
    let sets = profile_sets(&text);
    if sets.is_empty() {
        return Check::ok(ID, "~/.profile sets no variables: nothing for a shell to skip");
    }
    let readers = profile_readers(inp);
    let mode = |sh: &str, login: bool| format!("{sh} {}", if login { "login" } else { "non-login" });
    let skipped: Vec<String> = readers.iter().filter(|r| !r.2).map(|r| mode(r.0, r.1)).collect();
    // A non-login bash inherits the login shell's environment (a terminal's first shell is a
    // login shell on WSL), so only login modes and zsh count as a trap.
    let matters: Vec<&(&str, bool, bool)> = readers.iter().filter(|r| !r.2 && (r.1 || r.0 == "zsh")).collect();
    let names = sets.iter().take(6).cloned().collect::<Vec<_>>().join(", ");
    if matters.is_empty() {
        let also = if skipped.is_empty() {
            String::new()
        } else {
            format!(" ({} inherits it)", skipped.join(", "))
        };
        return Check::ok(ID, format!("~/.profile (sets {names}) is read by bash login{also}"));
    }
    let mut fix = Vec::new();
    if matters.iter().any(|r| r.0 == "zsh") {
        fix.push(format!(
            "add to {}: emulate sh -c '. ~/.profile'",
            show(inp, &zdotdir(inp).join(".zprofile"))
        ));
    }
    if matters.iter().any(|r| r.0 == "bash") {
        let bp = ["~/.bash_profile", "~/.bash_login"]
            .into_iter()
            .find(|f| inp.home.join(&f[2..]).exists())
            .unwrap_or("~/.bash_profile");
        fix.push(format!("add to {bp}: . ~/.profile"));
    }
    Check::warn(
        ID,
        format!(
            "~/.profile sets {names}, but {} never read{} it",
            skipped.join(", "),
            if skipped.len() == 1 { "s" } else { "" }
        ),
        fix.join("; "),
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

    #[test]
    fn profile_vars() {
        assert_eq!(
            profile_sets("export GOPATH=$HOME/go\nPATH=\"$HOME/bin:$PATH\"\nif [ -n x ]; then\n"),
            ["GOPATH", "PATH"]
        );
    }
}
