//! Build step: the init snippets' templates (shell/wslgo.*) without their comment lines, for
//! `src/cmd/init.rs` to include.
//!
//! The shell parses every byte of `eval "$(wslgo init zsh)"` at each shell start (zsh ~120 CPU
//! instructions a byte even for a comment), and most of the templates' comments are for the
//! reader of shell/. Stripping them here costs `wslgo init` nothing at run time. Kept: the
//! first two lines (what this is and where it goes) and shellcheck's directives; a comment
//! after code stays too (only whole lines go, so a `#` inside a string or a word is never
//! touched: the templates hold no multi-line strings or here-documents, which a test of the
//! init output guards by linting and running it in the real shells).

use std::path::Path;

/// The snippets' templates (their first two lines, what this is and where it goes, stay) and
/// the pieces init adds to zsh's (every comment line goes).
const TEMPLATES: [&str; 5] = ["wslgo.bash", "wslgo.zsh", "wslgo.fish", "wslgo-body.zsh", "wslgo-load.zsh"];

fn main() {
    let out = std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR");
    println!("cargo::rerun-if-changed=build.rs");
    for name in TEMPLATES {
        let src = Path::new("shell").join(name);
        println!("cargo::rerun-if-changed={}", src.display());
        let text = std::fs::read_to_string(&src).unwrap_or_else(|e| panic!("{}: {e}", src.display()));
        let keep = if name.starts_with("wslgo.") { 2 } else { 0 };
        let mut text = strip_comments(&text, keep);
        if name == "wslgo-body.zsh" {
            // The functions with the completion stub in place, and their hash (the name of the
            // file init keeps them in): both fixed for a build, so init does neither per run.
            let stub = Path::new("shell/completion-stub.zsh");
            println!("cargo::rerun-if-changed={}", stub.display());
            let stub = std::fs::read_to_string(stub).expect("shell/completion-stub.zsh");
            text = text.replace("__WSLGO_COMPLETIONS__", &stub);
            let hash = format!("0x{:016x}", fnv(text.as_bytes()));
            std::fs::write(Path::new(&out).join("wslgo-body.zsh.fnv"), hash).expect("write to OUT_DIR");
        }
        std::fs::write(Path::new(&out).join(name), text).expect("write to OUT_DIR");
    }
}

/// `tpl` without its comment-only lines, except the first `keep` and shellcheck's directives.
fn strip_comments(tpl: &str, keep: usize) -> String {
    let mut out = String::with_capacity(tpl.len());
    for (i, line) in tpl.split_inclusive('\n').enumerate() {
        let t = line.trim_start();
        if i >= keep && t.starts_with('#') && !t.starts_with("# shellcheck") {
            continue;
        }
        out.push_str(line);
    }
    out
}

/// FNV-1a 64, as src/hash.rs computes it (a unit test in src/cmd/init.rs checks that the two
/// agree).
fn fnv(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}
