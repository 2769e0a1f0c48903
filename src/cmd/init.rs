//! `wslgo init <shell>`: the snippet for the rc file, with the first refresh already applied,
//! so shell start costs one process.

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

/// The absolute path of this binary, as the snippet will call it.
pub(crate) fn self_path() -> Vec<u8> {
    use std::os::unix::ffi::OsStrExt;
    std::env::current_exe()
        .map(|p| p.as_os_str().as_bytes().to_vec())
        .unwrap_or_else(|_| b"wslgo".to_vec())
}

pub(crate) fn run(shell: Shell) -> i32 {
    let env = ShellEnv::from_process();
    let apply = if env.get("WSLGO_DISABLE").is_some_and(|v| v == "1") {
        Vec::new()
    } else {
        let sys = Sys::from_env();
        let r = super::hook::refresh(
            &env,
            &sys,
            &super::hook::Opts {
                shell: Some(shell),
                login: false,
                first_prompt: false,
                init: true,
                interactive: false,
            },
        );
        let mut code = super::hook::code(&r, shell);
        code.extend_from_slice(&super::hook::warnings_code(&r, shell));
        code
    };
    super::emit(&snippet(shell, &self_path(), &apply, crate::completions::for_init(shell)));
    0
}
