//! `wslgo init <shell>`: the snippet for the rc file, with the first refresh already applied,
//! so shell start costs one process.

use super::hook::CFG_VAR;
use super::warm;
use crate::probe::memo;
use crate::render;
use crate::shell::Shell;
use crate::shellenv::ShellEnv;
use crate::sysroot::Sys;

// The templates shell/wslgo.* without their comment lines (build.rs): the shell parses every
// byte of the snippet at each shell start, and init does no per-line work for it.
const BASH: &str = include_str!(concat!(env!("OUT_DIR"), "/wslgo.bash"));
const ZSH: &str = include_str!(concat!(env!("OUT_DIR"), "/wslgo.zsh"));
const FISH: &str = include_str!(concat!(env!("OUT_DIR"), "/wslgo.fish"));
/// zsh's functions with the completion stub in place (the same at every start; build.rs splices
/// them and hashes the result), and the lines that load them from their file.
pub(crate) const ZSH_BODY: &str = include_str!(concat!(env!("OUT_DIR"), "/wslgo-body.zsh"));
pub(crate) const ZSH_BODY_FNV: u64 = include!(concat!(env!("OUT_DIR"), "/wslgo-body.zsh.fnv"));
const ZSH_LOAD: &str = include_str!(concat!(env!("OUT_DIR"), "/wslgo-load.zsh"));

/// How the snippet gets zsh's functions: as text, or from their file (with the compile step
/// when zsh has not compiled it yet).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Body<'a> {
    Inline,
    /// `compiled`: the zsh version that wrote the compiled form, `None` while there is none.
    File {
        path: &'a [u8],
        compiled: Option<&'a [u8]>,
    },
}

/// The snippet text for a binary at `bin`, with `apply` (the first refresh's code) and
/// `completions` (a stub in shell/completion-stub.*: code only, its comments are in the
/// template) spliced in; zsh's functions as `body` says.
pub(crate) fn snippet(shell: Shell, bin: &[u8], apply: &[u8], completions: &str, body: Body) -> Vec<u8> {
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
        } else if let Some(t) = tail.strip_prefix(b"__WSLGO_BODY_END__") {
            if let Body::File { .. } = body {
                out.extend_from_slice(load_piece(2).as_bytes());
            }
            rest = t.strip_prefix(b"\n").unwrap_or(t);
        } else if let Some(t) = tail.strip_prefix(b"__WSLGO_BODY__") {
            match body {
                Body::Inline => out.extend_from_slice(ZSH_BODY.as_bytes()),
                Body::File { path, compiled } => {
                    let zsh_version = compiled.unwrap_or_default();
                    for piece in if compiled.is_some() { &[0, 3][..] } else { &[0, 1][..] } {
                        for (i, part) in load_piece(*piece).split("__WSLGO_FILE__").enumerate() {
                            if i > 0 {
                                render::quote_for(shell, &mut out, path);
                            }
                            for (j, bit) in part.split("__WSLGO_ZVER__").enumerate() {
                                if j > 0 {
                                    render::quote_for(shell, &mut out, zsh_version);
                                }
                                out.extend_from_slice(bit.as_bytes());
                            }
                        }
                    }
                }
            }
            rest = t.strip_prefix(b"\n").unwrap_or(t);
        } else {
            out.extend_from_slice(b"__WSLGO_");
            rest = &tail[8..];
        }
    }
    out.extend_from_slice(rest);
    out
}

/// Piece `i` of shell/wslgo-load.zsh (each ends at a line `__WSLGO_END__`).
fn load_piece(i: usize) -> &'static str {
    ZSH_LOAD.split("__WSLGO_END__\n").nth(i).unwrap_or("")
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

/// `inline`: the functions as text even where their file could serve (what the snippet asks
/// for when its file went away).
pub(crate) fn run(shell: Shell, inline: bool) -> i32 {
    let real = ShellEnv::from_process();
    let completions = crate::completions::for_init(shell);
    // wslgo's cache directory, looked at once: the zsh functions' file and the warm file.
    let cache = crate::paths::cache_dir(&real).ok();
    let private = cache.as_deref().is_some_and(crate::paths::is_private_dir);
    let file = match (shell, &cache) {
        (Shell::Zsh, Some(dir)) if !inline => super::zshfile::prepare(&real, dir, private, ZSH_BODY.as_bytes(), ZSH_BODY_FNV),
        _ => None,
    };
    let apply = if real.get("WSLGO_DISABLE").is_some_and(|v| v == "1") {
        Vec::new()
    } else {
        // A new terminal carries no caches: the warm-start file lends them (each is checked
        // exactly as an inherited one would be).
        let saved = if real.get(CFG_VAR).is_none() || real.get(memo::VAR).is_none() {
            // (A directory the zsh file's preparation just created holds no warm file yet.)
            cache.as_deref().filter(|_| private).map(warm::read_in).unwrap_or_default()
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
        let mut code = super::hook::code(&r, shell, &env, None);
        code.extend_from_slice(&super::hook::warnings_code(&r, shell));
        code
    };
    let body = match &file {
        Some(r) => Body::File {
            path: r.path.as_os_str().as_encoded_bytes(),
            compiled: r.compiled.as_deref(),
        },
        None => Body::Inline,
    };
    super::emit(&snippet(shell, &self_path(), &apply, completions, body));
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
            let out = snippet(shell, b"/opt/wslgo", b"__APPLIED__=1\n", stub, Body::Inline);
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

    /// build.rs hashed the functions exactly as init prints them, and the file's form of the
    /// zsh snippet sources that file (compiling it only when asked) and falls back to the text.
    #[test]
    fn zsh_body_from_its_file() {
        assert_eq!(ZSH_BODY_FNV, crate::hash::fnv(ZSH_BODY.as_bytes()));
        assert!(ZSH_BODY.contains("_wslgo_refresh() {") && !ZSH_BODY.contains("__WSLGO_"));
        let stub = crate::completions::for_init(Shell::Zsh);
        let inline = String::from_utf8(snippet(Shell::Zsh, b"/opt/wslgo", b"", stub, Body::Inline)).unwrap();
        assert_eq!(inline.matches(ZSH_BODY).count(), 1);
        assert!(!inline.contains("source") && !inline.contains("zcompile"));
        for compiled in [false, true] {
            let body = Body::File {
                path: b"/run/it's",
                compiled: compiled.then_some(&b"5.9"[..]),
            };
            let text = String::from_utf8(snippet(Shell::Zsh, b"/opt/wslgo", b"__APPLIED__=1\n", stub, body)).unwrap();
            assert!(!text.contains("_wslgo_refresh() {"), "the functions are not printed");
            assert!(!text.contains("__WSLGO_"), "a placeholder is left: {text}");
            assert!(text.contains("\\builtin source -- '/run/it'\\''s' 2>/dev/null; then"), "{text}");
            assert_eq!(text.contains("zcompile"), !compiled, "{text}");
            assert_eq!(
                text.contains("[[ $ZSH_VERSION == '5.9' ]] || \\builtin command rm -f -- '/run/it'\\''s'.zwc"),
                compiled,
                "{text}"
            );
            assert_eq!(text.matches("init zsh --inline").count(), 1);
            assert_eq!(text.matches("__APPLIED__=1").count(), 1);
        }
    }
}
