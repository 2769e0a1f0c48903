//! `wslgo init <shell>`: the snippet for the rc file, with the first refresh already applied,
//! so shell start costs one process.

use crate::render;
use crate::shell::Shell;
use crate::shellenv::ShellEnv;
use crate::sysroot::Sys;

// The templates shell/wslgo.* without their comment lines (build.rs): the shell parses every
// byte of the snippet at each shell start, and init does no per-line work for it.
const BASH: &str = include_str!(concat!(env!("OUT_DIR"), "/wslgo.bash"));
const ZSH: &str = include_str!(concat!(env!("OUT_DIR"), "/wslgo.zsh"));
const FISH: &str = include_str!(concat!(env!("OUT_DIR"), "/wslgo.fish"));

/// The snippet text for a binary at `bin`, with `apply` (the first refresh's code) and
/// `completions` (a stub in shell/completion-stub.*: code only, its comments are in the
/// template) spliced in.
pub(crate) fn snippet(shell: Shell, bin: &[u8], apply: &[u8], completions: &str) -> Vec<u8> {
    let tpl = match shell {
        Shell::Bash => BASH,
        Shell::Zsh => ZSH,
        Shell::Fish => FISH,
    };
    let mut out = Vec::with_capacity(tpl.len() + apply.len() + completions.len() + 64);
    let mut rest = tpl.as_bytes();
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
            out.extend_from_slice(completions.as_bytes());
            rest = t;
        } else {
            out.extend_from_slice(b"__WSLGO_");
            rest = &tail[8..];
        }
    }
    out.extend_from_slice(rest);
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The templates as init includes them (build.rs) and the completion stubs hold no
    /// comment-only line but the two-line header and shellcheck's directives; every
    /// placeholder is there once.
    #[test]
    fn snippet_text_has_no_comment_lines() {
        for shell in [Shell::Bash, Shell::Zsh, Shell::Fish] {
            let stub = crate::completions::for_init(shell);
            let out = snippet(shell, b"/opt/wslgo", b"__APPLIED__=1\n", stub);
            let text = String::from_utf8(out).unwrap();
            for (i, line) in text.lines().enumerate() {
                let t = line.trim_start();
                assert!(
                    i < 2 || !t.starts_with('#') || t.starts_with("# shellcheck "),
                    "{shell:?}: line {}: {line}",
                    i + 1
                );
            }
            assert!(!text.contains("__WSLGO_"), "{shell:?}: a placeholder is left");
            assert_eq!(text.matches("__APPLIED__=1").count(), 1, "{shell:?}");
            assert_eq!(text.matches(stub).count(), 1, "{shell:?}");
            assert_eq!(text.matches("/opt/wslgo").count(), 1, "{shell:?}");
        }
        // The directives that keep the bash snippet `shellcheck --enable=all` clean stay.
        assert!(BASH.contains("# shellcheck shell=bash") && BASH.contains("# shellcheck disable="));
    }
}
