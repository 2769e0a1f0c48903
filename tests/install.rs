//! `scripts/install` (the README's first command): the static musl build where the toolchain
//! has (or rustup can add) the musl target, the dynamic glibc build with a one-line note where
//! it cannot. Each install builds in the suite's own target directory
//! ([`common::build::target_dir`]), so cargo reuses the release builds the suite already made.

mod common;
use common::build::{elf_interpreter, has_target, musl_target, target_dir};
use common::*;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The README's install command (the first indented line of "Two commands").
fn readme_install_command() -> String {
    common::readme_commands().into_iter().next().expect("an indented command")
}

fn home_var(k: &str, default: &str) -> OsString {
    std::env::var_os(k).unwrap_or_else(|| format!("{}/{default}", std::env::var("HOME").unwrap()).into())
}

/// Runs `cmd` with bash in the repository, as a user types it, installing into `root` (via
/// CARGO_INSTALL_ROOT) with `path` first on PATH, `root/bin` next.
fn run_install(cmd: &str, d: &TempDir, root: &Path, path: &str, extra: &[(&str, &str)]) -> Output {
    let path = format!("{}:{}", root.join("bin").display(), path);
    let mut c = Command::new("bash");
    c.arg("-c")
        .arg(cmd)
        .current_dir(repo())
        .env("CARGO_INSTALL_ROOT", root)
        .env("CARGO_TARGET_DIR", target_dir())
        .env("PATH", path)
        .env("HOME", d.path())
        .env("XDG_CONFIG_HOME", d.path().join("config"))
        .env("XDG_CACHE_HOME", d.path().join("cache"))
        .env("CARGO_HOME", home_var("CARGO_HOME", ".cargo"))
        .env("RUSTUP_HOME", home_var("RUSTUP_HOME", ".rustup"))
        .env("WSLGO_CONFIG", "/dev/null")
        // .ci/run's "rustup could not fetch it": the tests say what is missing themselves.
        .env_remove("WSLGO_CI_NO_MUSL");
    for (k, v) in extra {
        c.env(k, v);
    }
    let o = c.output().unwrap();
    assert!(
        o.status.success(),
        "`{cmd}`: {}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

/// `--version` prints Cargo.toml's version.
fn assert_version(exe: &Path) {
    let o = Command::new(exe).arg("--version").output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(String::from_utf8_lossy(&o.stdout), format!("wslgo {}\n", env!("CARGO_PKG_VERSION")));
}

/// The environment bash has after `eval "$(<exe> hook bash)"` in the sandbox, without wslgo's
/// own bookkeeping variables (`__WSLGO_*`, which name the binary) and `_`; and the hook's output.
fn env_after_hook(sb: &Sandbox, exe: &Path) -> (Vec<String>, String) {
    let mut c = Command::new("bash");
    c.env_clear().envs(sb.env.iter().map(|(k, v)| (k, v)));
    c.args([
        "--norc",
        "--noprofile",
        "-c",
        "out=$(\"$0\" hook bash) || exit 9; eval \"$out\"; printf '%s\\n' \"$out\" >&2; env -0",
    ])
    .arg(exe)
    .current_dir(&sb.home);
    let o = c.output().unwrap();
    let hook = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(o.status.success(), "{}: hook bash: {:?} {hook}", exe.display(), o.status);
    let mut vars: Vec<String> = o
        .stdout
        .split(|&b| b == 0)
        .map(|v| String::from_utf8_lossy(v).into_owned())
        .filter(|v| !v.is_empty() && !v.starts_with("__WSLGO_") && !v.starts_with("_=") && !v.starts_with("SHLVL="))
        .collect();
    vars.sort();
    (vars, hook)
}

/// The README's install command, as written, into a scratch root: `scripts/install` builds the
/// static musl binary (no ELF interpreter), says where it put it, and `wslgo env` then runs
/// from PATH. The installed binary prints its version and its `hook bash` gives bash exactly the
/// environment the suite's own build gives.
#[test]
fn readme_install_command_installs_the_static_build() {
    let cmd = readme_install_command();
    assert_eq!(cmd, "scripts/install && wslgo env");
    let Some(triple) = musl_target() else { return };
    let d = TempDir::new("install-static");
    let root = d.path().join("root");
    let o = run_install(&cmd, &d, &root, &std::env::var("PATH").unwrap_or_default(), &[]);
    let out = String::from_utf8_lossy(&o.stdout);
    let err = String::from_utf8_lossy(&o.stderr);
    let exe = root.join("bin/wslgo");
    assert!(exe.is_file(), "nothing installed in {}: {err}", root.display());
    assert!(
        out.lines()
            .any(|l| l == format!("install: installed {} (static musl build, {triple})", exe.display())),
        "scripts/install did not say where it installed:\n{out}"
    );
    assert!(!err.contains("dynamically linked"), "{err}");
    assert!(out.contains("GOPATH"), "`wslgo env` printed:\n{out}");
    assert_eq!(elf_interpreter(&exe), None, "the installed binary is dynamically linked");
    // The suite's own build is the dynamic one: the test compares against a real difference.
    assert!(elf_interpreter(&bin()).is_some());

    assert_version(&exe);
    let sb = Sandbox::new("install-hook");
    let (got, hook) = env_after_hook(&sb, &exe);
    let (want, _) = env_after_hook(&sb, &bin());
    assert!(hook.contains("export __WSLGO_STATE="), "{hook}");
    // It did set something: the sandbox starts with no GOPATH and no LANG.
    assert!(
        got.iter().any(|v| v.starts_with("GOPATH=")) && got.iter().any(|v| v.starts_with("LANG=")),
        "{got:?}"
    );
    assert_eq!(got, want, "the static build's hook sets another environment");
}

/// A PATH directory with the toolchain's own cargo and rustc (not rustup's proxies), so that
/// no `rustup` can be found.
fn toolchain_without_rustup(dir: &Path) -> PathBuf {
    let bin = dir.join("toolchain");
    std::fs::create_dir_all(&bin).unwrap();
    for tool in ["cargo", "rustc"] {
        let real = match Command::new("rustup").args(["which", tool]).output() {
            Ok(o) if o.status.success() => PathBuf::from(String::from_utf8(o.stdout).unwrap().trim()),
            _ => {
                let o = Command::new("bash").args(["-c", &format!("command -v {tool}")]).output().unwrap();
                std::fs::canonicalize(String::from_utf8(o.stdout).unwrap().trim()).unwrap()
            }
        };
        assert_ne!(real.file_name().unwrap(), "rustup", "{tool}");
        std::os::unix::fs::symlink(&real, bin.join(tool)).unwrap();
    }
    bin
}

/// Without the musl target and without rustup to add it, `scripts/install` (the README command
/// as written) installs the default host build, dynamically linked, and says so in one line
/// naming how to get the static one. The missing target is one this toolchain lacks, named
/// with WSLGO_MUSL_TRIPLE (scripts/lib/build.sh); the build is otherwise the real one.
#[test]
fn install_without_the_musl_target_falls_back_to_the_dynamic_build() {
    let cmd = readme_install_command();
    let Some(missing) = [
        "aarch64-unknown-linux-musl",
        "x86_64-unknown-linux-musl",
        "riscv64gc-unknown-linux-musl",
        "powerpc64le-unknown-linux-musl",
    ]
    .into_iter()
    .find(|t| !has_target(t)) else {
        panic!("this toolchain has every musl target named here");
    };
    let d = TempDir::new("install-dynamic");
    let tools = toolchain_without_rustup(d.path());
    let path = format!("{}:/usr/bin:/bin", tools.display());
    for dir in ["/usr/bin", "/bin"] {
        assert!(
            !Path::new(dir).join("rustup").exists(),
            "{dir}/rustup: the fallback cannot be reached"
        );
    }
    let root = d.path().join("root");
    let o = run_install(&cmd, &d, &root, &path, &[("WSLGO_MUSL_TRIPLE", missing)]);
    let out = String::from_utf8_lossy(&o.stdout);
    let err = String::from_utf8_lossy(&o.stderr);
    let exe = root.join("bin/wslgo");
    assert!(
        out.lines()
            .any(|l| l == format!("install: installed {} (dynamic glibc build)", exe.display())),
        "{out}"
    );
    let notes: Vec<&str> = err.lines().filter(|l| l.starts_with("install: ")).collect();
    assert_eq!(notes.len(), 1, "one line of note, got: {notes:?}\n{err}");
    let note = notes[0];
    assert!(
        note.contains("slower, dynamically linked glibc build")
            && note.contains(&format!("no {missing} target and no rustup"))
            && note.contains(&format!("rustup target add {missing}")),
        "{note}"
    );
    assert!(out.contains("GOPATH"), "`wslgo env` printed:\n{out}");
    let interp = elf_interpreter(&exe).expect("the fallback build is dynamically linked");
    assert!(interp.contains("ld-linux"), "{interp}");
    assert_version(&exe);
}

/// Without Rust (a new user who has not run rustup yet), the README's install command says so
/// in one line that points at the prerequisites, instead of bash's "command not found"s.
#[test]
fn install_without_rust_says_what_to_install() {
    let d = TempDir::new("install-norust");
    let o = Command::new("bash")
        .arg("-c")
        .arg(readme_install_command())
        .current_dir(repo())
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .env("HOME", d.path())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(!err.contains("command not found"), "{err}");
    let lines: Vec<&str> = err.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "{err}");
    assert!(lines[0].contains("rustup") && lines[0].contains("Prerequisites"), "{err}");
}
