//! The repository tests itself: no test, script or source file reads the team's shared folder
//! beside the repository or under /work; every fixture is under tests/fixtures. `.ci/run` also runs the
//! whole suite from a copy of the repository with nothing beside it.

mod common;
use std::path::{Path, PathBuf};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            files(&p, out);
        } else {
            out.push(p);
        }
    }
}

#[test]
fn nothing_reads_outside_the_repo() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut all = Vec::new();
    for d in ["src", "tests", "scripts", ".ci", "shell"] {
        if root.join(d).is_dir() {
            files(&root.join(d), &mut all);
        }
    }
    let fixtures = root.join("tests/fixtures");
    // Spelled in pieces so this file does not match itself.
    let needles = [
        format!("../{}", "shared"),
        format!("/work/{}", "shared"),
        format!("{}/fixtures", "shared"),
    ];
    let mut bad = Vec::new();
    for f in all.iter().filter(|f| !f.starts_with(&fixtures)) {
        let Ok(text) = std::fs::read(f) else { continue };
        let text = String::from_utf8_lossy(&text);
        for (i, line) in text.lines().enumerate() {
            if needles.iter().any(|n| line.contains(n.as_str())) {
                bad.push(format!("{}:{}: {line}", f.strip_prefix(root).unwrap().display(), i + 1));
            }
        }
    }
    assert!(bad.is_empty(), "references outside the repository:\n{}", bad.join("\n"));
    // The copied fixtures keep the files that say where each came from.
    for m in ["wsl/MANIFEST.md", "cgroup/MANIFEST.md"] {
        assert!(common::fixtures().join(m).is_file(), "{m} missing from tests/fixtures/shared");
    }
}

/// A test that cannot run says so and fails under CI=true.
#[test]
fn skipping_fails_under_ci() {
    assert!(std::panic::catch_unwind(|| common::skip_under(true, "a tool is missing")).is_err());
}
