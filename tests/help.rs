//! `--help` for every command, as a user reads it: compared to tests/golden/help.txt
//! (`WSLGO_UPDATE_GOLDEN=1` rewrites it), and checked for what must never be there.

mod common;
use common::*;
use std::path::Path;

const COMMANDS: &[&[&str]] = &[
    &[],
    &["init"],
    &["hook"],
    &["setup"],
    &["env"],
    &["doctor"],
    &["deactivate"],
    &["completions"],
    &["config"],
    &["config", "path"],
    &["config", "init"],
    &["config", "check"],
    &["config", "show"],
];

fn help(args: &[&str]) -> String {
    let o = std::process::Command::new(bin())
        .args(args)
        .arg("--help")
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .output()
        .unwrap();
    assert!(o.status.success(), "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap()
}

#[test]
fn help_texts_match_golden() {
    let mut all = String::new();
    for args in COMMANDS {
        all.push_str(&format!("==== wslgo {} --help\n", args.join(" ")));
        all.push_str(&help(args));
    }
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/help.txt");
    if std::env::var_os("WSLGO_UPDATE_GOLDEN").is_some_and(|v| v == "1") {
        std::fs::write(&golden, &all).unwrap();
    }
    let want = std::fs::read_to_string(&golden).expect("golden file (WSLGO_UPDATE_GOLDEN=1 writes it)");
    assert_eq!(all, want, "--help output differs from {}", golden.display());
}

#[test]
fn help_texts_hold_no_internal_references_and_only_meaningful_flags() {
    for args in COMMANDS {
        let h = help(args);
        for bad in ["SPEC", "completions/", "shell/", "src/", "issue"] {
            assert!(!h.contains(bad), "wslgo {args:?} --help mentions {bad:?}:\n{h}");
        }
        // --color where output is coloured; -V on the top level only.
        let colored = matches!(args, ["env"] | ["doctor"]);
        assert_eq!(h.contains("--color"), colored, "wslgo {args:?} --help:\n{h}");
        assert_eq!(h.contains("--version"), args.is_empty(), "wslgo {args:?} --help:\n{h}");
    }
    let hook = help(&["hook"]);
    assert!(hook.contains("never the first prompt"), "{hook}");
    // `--color` is refused where it means nothing (a usage error, exit 2).
    let o = std::process::Command::new(bin())
        .args(["config", "path", "--color", "never"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
}
