//! Shipping (issue 17): `scripts/package` builds a .deb whose every file is checked after
//! unpacking it into a scratch root (`dpkg -x`), the packaged binary runs and reports the
//! version in Cargo.toml, the changelog has that version, and `scripts/deps` says exactly what
//! is missing when it cannot install it.

mod common;
use common::build;
use common::*;
use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The version in Cargo.toml, read from the file (not from what cargo compiled in).
fn cargo_toml_version() -> String {
    let t: toml::Table = toml::from_str(&std::fs::read_to_string(repo().join("Cargo.toml")).unwrap()).unwrap();
    t["package"]["version"].as_str().unwrap().to_string()
}

fn stdout(c: &mut Command) -> String {
    let o = c.output().unwrap_or_else(|e| panic!("{c:?}: {e}"));
    assert!(
        o.status.success(),
        "{c:?}: {}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).unwrap()
}

/// `wslgo --version` (and `-V`) prints `wslgo <the version in Cargo.toml>`.
#[test]
fn version_matches_cargo_toml() {
    let want = format!("wslgo {}\n", cargo_toml_version());
    for flag in ["--version", "-V"] {
        assert_eq!(stdout(Command::new(bin()).arg(flag)), want, "{flag}");
    }
    // Only on wslgo itself: a subcommand has no version of its own (issue 13), so the flag is
    // a usage error there.
    let o = Command::new(bin()).args(["config", "--version"]).output().unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", String::from_utf8_lossy(&o.stderr));
}

/// CHANGELOG.md is in keep-a-changelog form and has an entry for the current version.
#[test]
fn changelog_has_the_current_version() {
    let text = std::fs::read_to_string(repo().join("CHANGELOG.md")).unwrap();
    assert!(text.starts_with("# Changelog\n"), "keep-a-changelog starts with # Changelog");
    assert!(text.contains("\n## [Unreleased]\n"), "no Unreleased section");
    let v = cargo_toml_version();
    let line = text
        .lines()
        .find(|l| l.starts_with(&format!("## [{v}] - ")))
        .unwrap_or_else(|| panic!("CHANGELOG.md has no `## [{v}] - YYYY-MM-DD` entry"));
    let date = line.rsplit(' ').next().unwrap();
    assert!(
        date.len() == 10 && date.as_bytes()[4] == b'-' && date.as_bytes()[7] == b'-',
        "{line}: the date is YYYY-MM-DD"
    );
    // Unreleased comes first, then versions, newest first.
    assert!(text.find("## [Unreleased]").unwrap() < text.find(&format!("## [{v}]")).unwrap());
    for kind in text.lines().filter_map(|l| l.strip_prefix("### ")) {
        assert!(
            ["Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"].contains(&kind),
            "### {kind} is not a keep-a-changelog heading"
        );
    }
}

/// The Debian copyright file holds LICENSE word for word (in the machine-readable format:
/// each line indented by one space, empty lines as ` .`).
#[test]
fn debian_copyright_is_the_licence() {
    let licence = std::fs::read_to_string(repo().join("LICENSE")).unwrap();
    let copyright = std::fs::read_to_string(repo().join("debian/copyright")).unwrap();
    assert!(licence.starts_with("MIT License\n"));
    let toml: toml::Table = toml::from_str(&std::fs::read_to_string(repo().join("Cargo.toml")).unwrap()).unwrap();
    assert_eq!(toml["package"]["license"].as_str(), Some("MIT"));
    let body: Vec<&str> = copyright
        .split("\nLicense: MIT\n")
        .nth(2)
        .expect("a `License: MIT` paragraph with the text")
        .lines()
        .map(|l| {
            let l = l.strip_prefix(' ').expect("licence lines are indented");
            if l == "." { "" } else { l }
        })
        .collect();
    let want: Vec<&str> = licence.lines().skip(2).collect();
    assert_eq!(body, want);
}

/// The files the package must hold, with where each comes from in the repository.
fn expected_files() -> BTreeMap<&'static str, Option<&'static str>> {
    BTreeMap::from([
        ("usr/bin/wslgo", None),
        ("usr/share/bash-completion/completions/wslgo", Some("completions/wslgo.bash")),
        ("usr/share/zsh/vendor-completions/_wslgo", Some("completions/_wslgo")),
        ("usr/share/fish/vendor_completions.d/wslgo.fish", Some("completions/wslgo.fish")),
        ("usr/share/man/man1/wslgo.1.gz", Some("man/wslgo.1")),
        ("usr/share/doc/wslgo/README.md", Some("README.md")),
        ("usr/share/doc/wslgo/CHANGELOG.md", Some("CHANGELOG.md")),
        ("usr/share/doc/wslgo/copyright", Some("debian/copyright")),
    ])
}

fn files_under(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![root.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                todo.push(p);
            } else {
                out.push(p.strip_prefix(root).unwrap().to_path_buf());
            }
        }
    }
    out.sort();
    out
}

/// `scripts/package` builds the .deb; unpacked into a scratch root it holds exactly the
/// expected files, each the same as the committed one (the man page gzipped), with the right
/// modes; the packaged binary runs, reports Cargo.toml's version, prints the completions it
/// was packaged with, and `man` renders the packaged page.
#[test]
fn deb_holds_every_file_and_runs() {
    let Some(_) = tool("dpkg-deb") else { return };
    let has_cargo_deb = Command::new("cargo")
        .args(["deb", "--version"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_cargo_deb {
        skip("cargo-deb is not installed (scripts/deps and scripts/package install it: cargo install cargo-deb --locked)");
        return;
    }
    let d = TempDir::new("deb");
    let out = d.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    let o = Command::new(repo().join("scripts/package"))
        .arg("--output")
        .arg(format!("{}/", out.display()))
        .output()
        .unwrap();
    assert!(o.status.success(), "scripts/package: {}", String::from_utf8_lossy(&o.stderr));
    let version = cargo_toml_version();
    let deb = PathBuf::from(String::from_utf8(o.stdout).unwrap().trim());
    assert_eq!(deb.parent(), Some(out.as_path()), "scripts/package printed {deb:?}");
    assert!(
        deb.file_name()
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with(&format!("wslgo_{version}-1_")),
        "{deb:?}"
    );

    // The control file.
    let control = stdout(Command::new("dpkg-deb").arg("--field").arg(&deb));
    let field = |k: &str| {
        control
            .lines()
            .find_map(|l| l.strip_prefix(&format!("{k}: ")))
            .unwrap_or_else(|| panic!("no {k} in:\n{control}"))
            .to_string()
    };
    assert_eq!(field("Package"), "wslgo");
    assert_eq!(field("Version"), format!("{version}-1"));
    // The static musl build needs no library (cargo-deb 3.8 writes an empty Depends field; dpkg
    // reads it as none); the dynamic fallback depends on glibc.
    let depends = control.lines().find_map(|l| l.strip_prefix("Depends:")).map(str::trim);
    let static_build = build::musl_target().is_some();
    if static_build {
        assert!(depends.is_none_or(str::is_empty), "{control}");
    } else {
        assert!(depends.is_some_and(|d| d.contains("libc6")), "{control}");
    }
    assert!(!field("Maintainer").is_empty());

    // Every file, with owner and mode, from the archive's own listing.
    let listing = stdout(Command::new("dpkg-deb").arg("--contents").arg(&deb));
    for (path, _) in expected_files() {
        let line = listing
            .lines()
            .find(|l| l.ends_with(&format!(" ./{path}")))
            .unwrap_or_else(|| panic!("{path} is not in the package:\n{listing}"));
        let mode = if path == "usr/bin/wslgo" { "-rwxr-xr-x" } else { "-rw-r--r--" };
        assert!(
            line.starts_with(&format!("{mode} root/root ")) || line.starts_with(&format!("{mode} 0/0 ")),
            "owner or mode: {line}"
        );
    }

    // Unpacked into a scratch root: exactly these files, each the committed one.
    let root = d.path().join("root");
    stdout(Command::new("dpkg").arg("-x").arg(&deb).arg(&root));
    let got: Vec<String> = files_under(&root).iter().map(|p| p.to_str().unwrap().to_string()).collect();
    let want: Vec<String> = expected_files().keys().map(|s| s.to_string()).collect();
    assert_eq!(got, want, "the files in the package");
    for (path, source) in expected_files() {
        let Some(source) = source else { continue };
        let committed = std::fs::read(repo().join(source)).unwrap();
        let packaged = if path.ends_with(".gz") {
            let o = Command::new("gzip").arg("-dc").arg(root.join(path)).output().unwrap();
            assert!(o.status.success());
            o.stdout
        } else {
            std::fs::read(root.join(path)).unwrap()
        };
        assert!(packaged == committed, "{path} differs from {source}");
    }
    let exe = root.join("usr/bin/wslgo");
    assert_eq!(std::fs::metadata(&exe).unwrap().permissions().mode() & 0o777, 0o755);
    // The build that ships: static musl (no ELF interpreter) where the toolchain has the target.
    let interp = build::elf_interpreter(&exe);
    if static_build {
        assert_eq!(interp, None, "the packaged binary is dynamically linked");
    } else {
        assert!(interp.is_some(), "the fallback build is the dynamic one");
    }

    // The packaged binary runs and is this version, and its completions are the packaged ones.
    assert_eq!(stdout(Command::new(&exe).arg("--version")), format!("wslgo {version}\n"));
    for (sh, path) in [
        ("bash", "usr/share/bash-completion/completions/wslgo"),
        ("zsh", "usr/share/zsh/vendor-completions/_wslgo"),
        ("fish", "usr/share/fish/vendor_completions.d/wslgo.fish"),
    ] {
        let printed = stdout(Command::new(&exe).args(["completions", sh]));
        assert!(
            printed.as_bytes() == std::fs::read(root.join(path)).unwrap(),
            "{sh}: the packaged completions are stale"
        );
    }
    let o = Command::new(&exe).args(["init", "bash"]).output().unwrap();
    assert!(o.status.success() && o.stderr.is_empty());

    // man reads the packaged (gzipped) page.
    if let Some(man) = tool("man") {
        let page = stdout(
            Command::new(man)
                .arg("-l")
                .arg(root.join("usr/share/man/man1/wslgo.1.gz"))
                .env("MANPAGER", "cat")
                .env("MANWIDTH", "100")
                .env("LC_ALL", "C.UTF-8"),
        );
        for s in ["NAME", "COMMANDS", "ENVIRONMENT", "WARNINGS"] {
            assert!(page.lines().any(|l| l == s), "the packaged page lacks {s}");
        }
    }

    // dpkg installs it (into a scratch root with its own database): it accepts the control
    // file and its dependencies, and the installed binary runs.
    if euid() == 0 {
        dpkg_installs(d.path(), &deb, static_build, &version);
    } else {
        skip("needs root to install the package with dpkg --root (files owned by root)");
    }

    let size = std::fs::metadata(&deb).unwrap().len();
    let installed: u64 = field("Installed-Size").parse().unwrap();
    eprintln!(
        "package: {} ({size} bytes, installed {installed} KiB)",
        deb.file_name().unwrap().to_string_lossy()
    );
    for f in &got {
        eprintln!("  /{f} {}", std::fs::metadata(root.join(f)).unwrap().len());
    }
    assert!(size < 4 << 20, "the package grew to {size} bytes");
}

/// Installs `deb` with dpkg into a scratch root under `dir` (its own dpkg database) and runs the
/// installed binary.
fn dpkg_installs(dir: &Path, deb: &Path, static_build: bool, version: &str) {
    let inst = dir.join("inst");
    let admin = inst.join("var/lib/dpkg");
    std::fs::create_dir_all(admin.join("info")).unwrap();
    std::fs::create_dir_all(admin.join("updates")).unwrap();
    std::fs::write(admin.join("status"), "").unwrap();
    // Dependencies are checked against the scratch database, which has no libc6 in it.
    let force: &[&str] = if static_build { &[] } else { &["--force-depends"] };
    stdout(
        Command::new("dpkg")
            .arg(format!("--root={}", inst.display()))
            .arg("--force-not-root")
            .args(force)
            .arg("--install")
            .arg(deb),
    );
    let status = stdout(
        Command::new("dpkg")
            .arg(format!("--root={}", inst.display()))
            .args(["--status", "wslgo"]),
    );
    assert!(status.contains("Status: install ok installed\n"), "{status}");
    assert_eq!(
        stdout(Command::new(inst.join("usr/bin/wslgo")).arg("--version")),
        format!("wslgo {version}\n")
    );
}

/// A tool the test needs: its path, or `None` with a visible SKIP (a failure under CI=true).
fn tool(name: &str) -> Option<PathBuf> {
    shell_path(name)
}

// ---------------------------------------------------------------------------------------------
// scripts/deps

/// A PATH of symlinks to everything in /usr/bin, /bin, /usr/sbin and /sbin, minus `drop`,
/// and a stand-in `cargo` that reports `cargo_version` (and has fmt, clippy and deb).
fn fake_path(dir: &Path, drop: &[&str], cargo_version: &str) -> PathBuf {
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    for d in ["/usr/bin", "/bin", "/usr/sbin", "/sbin"] {
        let Ok(rd) = std::fs::read_dir(d) else { continue };
        for e in rd.flatten() {
            let name = e.file_name();
            if drop.iter().any(|t| name == **t) || name == "cargo" || bin.join(&name).exists() {
                continue;
            }
            let _ = std::os::unix::fs::symlink(e.path(), bin.join(&name));
        }
    }
    for t in drop {
        assert!(!bin.join(t).exists(), "{t}");
    }
    std::fs::write(
        bin.join("cargo"),
        format!(
            "#!/bin/sh\ncase \"$1\" in --version) echo 'cargo {cargo_version} (fake)';; fmt|clippy|deb) echo \"$1 0\";; *) exit 1;; esac\n"
        ),
    )
    .unwrap();
    std::fs::set_permissions(bin.join("cargo"), std::fs::Permissions::from_mode(0o755)).unwrap();
    bin
}

/// scripts/deps as an unprivileged user (uid 65534) with `path`: (exit code, stderr).
fn deps_as_nobody(dir: &Path, path: &Path) -> Option<(i32, String)> {
    if euid() != 0 {
        skip("needs root, to run scripts/deps as an unprivileged user");
        return None;
    }
    let scripts = dir.join("repo/scripts");
    std::fs::create_dir_all(&scripts).unwrap();
    std::fs::copy(repo().join("scripts/deps"), scripts.join("deps")).unwrap();
    let o = Command::new(scripts.join("deps"))
        .env_clear()
        .env("PATH", path)
        .env("HOME", dir)
        .env("TMPDIR", dir)
        .current_dir(dir)
        .uid(65534)
        .gid(65534)
        .output()
        .unwrap();
    Some((o.status.code().unwrap_or(-1), String::from_utf8_lossy(&o.stderr).into_owned()))
}

fn euid() -> u32 {
    let o = Command::new("id").arg("-u").output().unwrap();
    String::from_utf8(o.stdout).unwrap().trim().parse().unwrap()
}

fn open_dir(d: &TempDir) {
    // The unprivileged user must reach the script and write its temp files.
    std::fs::set_permissions(d.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
}

/// Without root and with packages missing, scripts/deps names them in the exact apt-get line
/// and exits 1; with nothing missing it exits 0 and installs nothing.
#[test]
fn deps_without_root_prints_the_apt_get_line() {
    let d = TempDir::new("deps-missing");
    open_dir(&d);
    let path = fake_path(d.path(), &["zsh", "fish"], "1.95.0");
    let Some((code, err)) = deps_as_nobody(d.path(), &path) else {
        return;
    };
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("sudo apt-get install -y --no-install-recommends zsh fish\n"),
        "the apt-get line is missing or inexact:\n{err}"
    );

    let d = TempDir::new("deps-complete");
    open_dir(&d);
    let path = fake_path(d.path(), &[], "1.95.0");
    let (code, err) = deps_as_nobody(d.path(), &path).unwrap();
    assert_eq!(code, 0, "nothing is missing, yet: {err}");
    assert!(err.is_empty(), "{err}");
}

/// Debian's own cargo (1.63 in bookworm) is too old for edition 2024: scripts/deps says so and
/// names rustup.
#[test]
fn deps_rejects_an_old_cargo() {
    let d = TempDir::new("deps-old-cargo");
    open_dir(&d);
    let path = fake_path(d.path(), &[], "1.63.0");
    let Some((code, err)) = deps_as_nobody(d.path(), &path) else {
        return;
    };
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("cargo 1.63.0") && err.contains("1.85") && err.contains("rustup"),
        "{err}"
    );
}

// ---------------------------------------------------------------------------------------------
// The README's two commands

/// "Two commands" is the README's first section and holds exactly two: one installs wslgo and
/// runs it, one is the test suite, which exists and is what CI runs.
#[test]
fn readme_starts_with_two_commands() {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let first = readme.lines().find(|l| l.starts_with("## ")).unwrap();
    assert_eq!(first, "## Two commands");
    let cmds = common::readme_commands();
    assert_eq!(cmds.len(), 2, "{cmds:?}");
    // tests/install.rs runs it.
    assert_eq!(cmds[0], "scripts/install && wslgo env");
    let mode = std::fs::metadata(repo().join("scripts/install")).unwrap().permissions().mode();
    assert!(mode & 0o111 != 0, "scripts/install is not executable");
    assert_eq!(cmds[1], "scripts/test");
    let mode = std::fs::metadata(repo().join("scripts/test")).unwrap().permissions().mode();
    assert!(mode & 0o111 != 0, "scripts/test is not executable");
    let ci = std::fs::read_to_string(repo().join(".ci/run")).unwrap();
    assert!(
        ci.contains("./scripts/test") || ci.contains("scripts/test\n"),
        "CI does not run scripts/test"
    );
}
