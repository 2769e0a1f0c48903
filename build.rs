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

const TEMPLATES: [&str; 3] = ["wslgo.bash", "wslgo.zsh", "wslgo.fish"];

fn main() {
    let out = std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR");
    println!("cargo::rerun-if-changed=build.rs");
    for name in TEMPLATES {
        let src = Path::new("shell").join(name);
        println!("cargo::rerun-if-changed={}", src.display());
        let text = std::fs::read_to_string(&src).unwrap_or_else(|e| panic!("{}: {e}", src.display()));
        std::fs::write(Path::new(&out).join(name), strip_comments(&text)).expect("write to OUT_DIR");
    }
}

/// `tpl` without its comment-only lines, except the first two and shellcheck's directives.
fn strip_comments(tpl: &str) -> String {
    let mut out = String::with_capacity(tpl.len());
    for (i, line) in tpl.split_inclusive('\n').enumerate() {
        let t = line.trim_start();
        if i > 1 && t.starts_with('#') && !t.starts_with("# shellcheck") {
            continue;
        }
        out.push_str(line);
    }
    out
}
