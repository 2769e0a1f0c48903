//! `wslgo init <shell>`: the snippet for the rc file, with the first refresh already applied,
//! so shell start costs one process.

use super::hook::CFG_VAR;
use super::warm;
use crate::probe::memo;
use crate::render;
use crate::shell::Shell;
use crate::shellenv::ShellEnv;
use crate::sysroot::Sys;

const BASH: &str = include_str!("../../shell/wslgo.bash");
const ZSH: &str = include_str!("../../shell/wslgo.zsh");
const FISH: &str = include_str!("../../shell/wslgo.fish");

/// The snippet text for a binary at `bin`, with `apply` (the first refresh's code) and
/// `completions` spliced in.
pub(crate) fn snippet(shell: Shell, bin: &[u8], apply: &[u8], completions: &str) -> Vec<u8> {
    let tpl = match shell {
        Shell::Bash => BASH,
        Shell::Zsh => ZSH,
        Shell::Fish => FISH,
    };
    let mut out = Vec::with_capacity(tpl.len() + apply.len() + completions.len() + 64);
    let tpl = strip_comments(tpl);
    let mut rest = tpl.as_slice();
    while let Some(i) = memchr::memmem::find(rest, b"__WSLGO_") {
        out.extend_from_slice(&rest[..i]);
        let tail = &rest[i..];
        if let Some(t) = tail.strip_prefix(b"__WSLGO_BIN__") {
            render::quote_for(shell, &mut out, bin);
            rest = t;
        } else if let Some(t) = tail.strip_prefix(b"__WSLGO_APPLY__") {
            out.extend_from_slice(apply);
            rest = t;
        } else if let Some(t) = tail.strip_prefix(b"__WSLGO_COMPLETIONS__") {
            out.extend_from_slice(&strip_comments(completions));
            rest = t;
        } else {
            out.extend_from_slice(b"__WSLGO_");
            rest = &tail[8..];
        }
    }
    out.extend_from_slice(rest);
    out
}

/// The template without its comment lines: the shell parses every byte of `eval "$(wslgo
/// init zsh)"` at each shell start, and a third of the templates' bytes are comments for the
/// reader of shell/ (`wslgo init` prints what the shell needs). The first two lines (what this is
/// and where it goes) and shellcheck's directives stay; a comment after code stays too (only
/// whole lines go, so a `#` inside a string or a word is never touched: the templates hold no
/// multi-line strings).
fn strip_comments(tpl: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(tpl.len());
    for (i, line) in tpl.split_inclusive('\n').enumerate() {
        let t = line.trim_start();
        if i > 1 && t.starts_with('#') && !t.starts_with("# shellcheck") {
            continue;
        }
        out.extend_from_slice(line.as_bytes());
    }
    out
}

/// A cache's value after a refresh: the new one, else the one it was given (empty: none).
fn now(new: Option<String>, given: Option<&std::ffi::OsStr>) -> String {
    new.unwrap_or_else(|| given.map(|v| v.to_string_lossy().into_owned()).unwrap_or_default())
}

/// What the shell must be told for a cache whose value is now `now`: nothing when it has it
/// (or has none and there is none), else the value (empty: unset).
fn against(shell_has: Option<&std::ffi::OsStr>, now: &str) -> Option<String> {
    match shell_has {
        Some(v) if v.as_encoded_bytes() == now.as_bytes() => None,
        None if now.is_empty() => None,
        _ => Some(now.to_string()),
    }
}

/// The absolute path of this binary, as the snippet will call it.
pub(crate) fn self_path() -> Vec<u8> {
    use std::os::unix::ffi::OsStrExt;
    std::env::current_exe()
        .map(|p| p.as_os_str().as_bytes().to_vec())
        .unwrap_or_else(|_| b"wslgo".to_vec())
}

pub(crate) fn run(shell: Shell) -> i32 {
    let real = ShellEnv::from_process();
    let apply = if real.get("WSLGO_DISABLE").is_some_and(|v| v == "1") {
        Vec::new()
    } else {
        // A new terminal carries no caches: the warm-start file lends them (each is checked
        // exactly as an inherited one would be).
        let saved = if real.get(CFG_VAR).is_none() || real.get(memo::VAR).is_none() {
            warm::read(&real)
        } else {
            warm::Saved::default()
        };
        // What the shell itself has (the environment is lent to the refresh, not copied).
        let shell_cfg = real.get(CFG_VAR).map(ToOwned::to_owned);
        let shell_disc = real.get(memo::VAR).map(ToOwned::to_owned);
        let mut env = real;
        let lent_cfg = shell_cfg.is_none() && saved.cfg.is_some();
        if let Some(v) = saved.cfg.clone().filter(|_| lent_cfg) {
            env = env.with(CFG_VAR, v);
        }
        if let Some(v) = saved.disc.clone().filter(|_| shell_disc.is_none()) {
            env = env.with(memo::VAR, v);
        }
        let sys = Sys::from_env();
        let mut r = super::hook::refresh(
            &env,
            &sys,
            &super::hook::Opts {
                shell: Some(shell),
                login: false,
                first_prompt: false,
                init: true,
                interactive: false,
                lent_cfg,
            },
        );
        // The refresh compared its caches with what it was lent; the shell must get them
        // whenever its own value differs.
        let cfg_now = now(r.cfg_cache.take(), env.get(CFG_VAR));
        let disc_now = now(r.disc_cache.take(), env.get(memo::VAR));
        r.cfg_cache = against(shell_cfg.as_deref(), &cfg_now);
        r.disc_cache = against(shell_disc.as_deref(), &disc_now);
        let kept = |v: &str| (!v.is_empty()).then(|| v.into());
        let fresh = warm::Saved {
            cfg: kept(&cfg_now),
            disc: kept(&disc_now),
        };
        if fresh != saved {
            warm::write(&env, &fresh);
        }
        let mut code = super::hook::code(&r, shell);
        code.extend_from_slice(&super::hook::warnings_code(&r, shell));
        code
    };
    super::emit(&snippet(shell, &self_path(), &apply, crate::completions::for_init(shell)));
    0
}
