//! Go fixtures for the shell tests: fake SDKs, a sandbox whose PATH holds only its own
//! directories, and readers for the `KEY=GOROOT|PATH` lines the scripts print.

use super::*;
use std::os::unix::fs::PermissionsExt;

/// Writes a fake SDK at `dir`: `VERSION` (first line `go<version>`) and `bin/go`.
pub fn fake_sdk(dir: &Path, version: &str) {
    std::fs::create_dir_all(dir.join("bin")).unwrap();
    std::fs::write(dir.join("VERSION"), format!("go{version}\ntime 2024-06-04T20:55:22Z\n")).unwrap();
    let go = dir.join("bin/go");
    std::fs::write(&go, format!("#!/bin/sh\necho \"fake go{version} GOROOT=$GOROOT\"\n")).unwrap();
    std::fs::set_permissions(&go, std::fs::Permissions::from_mode(0o755)).unwrap();
}

pub fn canon(p: &Path) -> String {
    std::fs::canonicalize(p).unwrap().to_str().unwrap().to_string()
}

pub fn write(p: &Path, text: impl AsRef<[u8]>) {
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// A sandbox with a sysroot, two user PATH dirs and nothing else on PATH.
pub struct World {
    pub sb: Sandbox,
    pub root: PathBuf,
    pub u1: String,
    pub u2: String,
}

impl World {
    pub fn new(tag: &str) -> World {
        let mut sb = Sandbox::new(tag);
        let root = sb.dir.path().join("root");
        // A UTF-8 locale, so the locale planner stays quiet.
        std::fs::create_dir_all(root.join("usr/lib/locale/C.utf8")).unwrap();
        let u1 = sb.dir.path().join("u1");
        let u2 = sb.dir.path().join("u2");
        std::fs::create_dir_all(&u1).unwrap();
        std::fs::create_dir_all(&u2).unwrap();
        let (u1, u2) = (canon(&u1), canon(&u2));
        sb.set("WSLGO_SYSROOT", &root);
        sb.set("PATH", format!("{u1}:{u2}"));
        World { sb, root, u1, u2 }
    }

    pub fn sys(&self, abs: &str) -> PathBuf {
        self.root.join(abs.trim_start_matches('/'))
    }

    pub fn gobin(&self) -> String {
        format!("{}/go/bin", self.sb.home.to_str().unwrap())
    }
}

/// Splits `GOROOT|PATH` as the scripts print them.
pub fn pair(o: &Output, key: &str) -> (String, String) {
    let v = o
        .value(key)
        .unwrap_or_else(|| panic!("no {key}= line; stdout: {}\nstderr: {}", o.stdout, o.stderr));
    let (g, p) = v.split_once('|').unwrap();
    (g.to_string(), p.to_string())
}

/// A fake SDK with its own `go.env` (what Google's builds ship: `GOTOOLCHAIN=auto` and GOPROXY).
pub fn fake_sdk_env(dir: &Path, version: &str, go_env: &str) {
    fake_sdk(dir, version);
    std::fs::write(dir.join("go.env"), go_env).unwrap();
}

/// The go command's name for this machine's architecture.
pub fn goarch() -> &'static str {
    match std::env::consts::ARCH {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        other => other,
    }
}

/// A toolchain "downloaded" by the go command into the module cache `modcache`.
pub fn fake_downloaded(modcache: &Path, version: &str) -> PathBuf {
    let d = modcache.join(format!("golang.org/toolchain@v0.0.1-go{version}.linux-{}", goarch()));
    fake_sdk_env(&d, version, "GOPROXY=https://proxy.golang.org,direct\nGOTOOLCHAIN=auto\n");
    d
}

/// Debian's golang-go, when installed: `/usr/bin/go` -> `/usr/lib/go-1.19/bin/go`. `None`
/// (a visible SKIP line) when absent; under CI=true its absence fails the test.
pub fn real_debian_go() -> Option<PathBuf> {
    let p = Path::new("/usr/lib/go-1.19");
    if p.join("bin/go").exists() && Path::new("/usr/bin/go").exists() {
        return Some(p.to_path_buf());
    }
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("Debian's golang-go (go1.19 in /usr/lib/go-1.19) is required under CI=true");
    }
    eprintln!("SKIPPED: Debian's golang-go (/usr/lib/go-1.19) is not installed");
    None
}
