//! WSL detection (SPEC 5.5) through the binary, over every captured kernel release and
//! `/proc/version` string in tests/fixtures/shared/wsl, with and without each WSL distro marker
//! (a container on WSL's kernel has none and is plain Linux), and WSL2's networking mode.

mod common;
use common::*;
use std::path::{Path, PathBuf};

fn fixture_dir(sub: &str) -> PathBuf {
    fixtures().join("wsl/proc").join(sub)
}

fn files(sub: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(fixture_dir(sub)).unwrap().map(|e| e.unwrap().path()).collect();
    v.sort();
    assert!(!v.is_empty(), "no fixtures in {sub}");
    v
}

/// What the fixture's name says it was captured on.
fn labelled(p: &Path) -> &'static str {
    let n = p.file_name().unwrap().to_str().unwrap();
    if n.contains("wsl1") {
        "wsl1"
    } else if n.contains("wsl2") {
        "wsl2"
    } else {
        panic!("unlabelled fixture {n}")
    }
}

/// A markerless way a WSL distro is recognised.
#[derive(Clone, Copy, Debug)]
enum Marker {
    None,
    DistroName,
    Interop,
    InteropLate,
    RunWsl,
}

const MARKERS: &[Marker] = &[
    Marker::None,
    Marker::DistroName,
    Marker::Interop,
    Marker::InteropLate,
    Marker::RunWsl,
];

fn platform(root: &Path, marker: Marker) -> serde_json::Value {
    let mut sb = Sandbox::new("detect");
    // Detection only: no proxy probing.
    sb.config("[proxy]\nmode = \"off\"\n");
    sb.set("WSLGO_SYSROOT", root.as_os_str().to_owned());
    let interop = fixtures().join("wsl/proc/binfmt_misc/WSLInterop.wsl2-flags-PF.txt");
    match marker {
        Marker::None => {}
        Marker::DistroName => {
            sb.set("WSL_DISTRO_NAME", "Ubuntu");
        }
        Marker::Interop => put(root, "/proc/sys/fs/binfmt_misc/WSLInterop", std::fs::read(&interop).unwrap()),
        Marker::InteropLate => put(root, "/proc/sys/fs/binfmt_misc/WSLInterop-late", std::fs::read(&interop).unwrap()),
        Marker::RunWsl => std::fs::create_dir_all(root.join("run/WSL")).unwrap(),
    }
    env_json(&sb)["platform"].clone()
}

fn expect(label: &str, marker: Marker) -> &'static str {
    match (label, marker) {
        ("wsl1", _) => "wsl1",
        (_, Marker::None) => "linux",
        _ => "wsl2",
    }
}

#[test]
fn every_osrelease_fixture_with_every_marker() {
    for f in files("osrelease") {
        for &m in MARKERS {
            let root = sysroot(&[(&f, "/proc/sys/kernel/osrelease")]);
            let p = platform(root.path(), m);
            let want = expect(labelled(&f), m);
            assert_eq!(p["kind"], want, "{} with {m:?}: {p}", f.display());
            let text = std::fs::read_to_string(&f).unwrap();
            assert_eq!(p["kernel"], text.trim(), "{}", f.display());
        }
    }
}

/// With /proc/sys masked (some container runtimes), /proc/version still names the release.
#[test]
fn every_version_fixture_with_and_without_markers() {
    for f in files("version") {
        for &m in &[Marker::None, Marker::RunWsl, Marker::DistroName] {
            let root = sysroot(&[(&f, "/proc/version")]);
            let p = platform(root.path(), m);
            assert_eq!(p["kind"], expect(labelled(&f), m), "{} with {m:?}: {p}", f.display());
            let release = std::fs::read_to_string(&f).unwrap().split_whitespace().nth(2).unwrap().to_string();
            assert_eq!(p["kernel"], release, "{}", f.display());
        }
    }
}

/// A container (Docker Desktop, podman) on WSL2's kernel: the release says WSL2 but nothing
/// else does, so it is plain Linux and no WSL behaviour applies.
#[test]
fn container_on_wsl_kernel_is_linux() {
    let f = fixture_dir("osrelease").join("osrelease.wsl2-5.15.153.1.txt");
    let root = sysroot(&[(&f, "/proc/sys/kernel/osrelease")]);
    std::fs::create_dir_all(root.path().join("sys/class/net/eth0")).unwrap();
    let p = platform(root.path(), Marker::None);
    assert_eq!(p["kind"], "linux");
    assert!(p["networking"].is_null(), "{p}");
    // This machine's own kernel, whatever it is, is not WSL without markers either.
    let own = sysroot(&[(Path::new("/proc/sys/kernel/osrelease"), "/proc/sys/kernel/osrelease")]);
    let p = platform(own.path(), Marker::None);
    assert_eq!(p["kind"], "linux", "{p}");
}

#[test]
fn wsl2_networking_mode() {
    let f = fixture_dir("osrelease").join("osrelease.wsl2-5.4.72.txt");
    for (ifaces, want) in [
        (&["eth0", "loopback0"][..], "mirrored"),
        (&["eth0"][..], "nat"),
        (&[][..], "unknown"),
    ] {
        let root = sysroot(&[(&f, "/proc/sys/kernel/osrelease")]);
        for i in ifaces {
            std::fs::create_dir_all(root.path().join("sys/class/net").join(i)).unwrap();
        }
        let p = platform(root.path(), Marker::RunWsl);
        assert_eq!(p["kind"], "wsl2");
        assert_eq!(p["networking"], want, "{ifaces:?}: {p}");
    }
    // WSL1 has no networking mode of its own.
    let f = fixture_dir("osrelease").join("osrelease.wsl1-19041.txt");
    let root = sysroot(&[(&f, "/proc/sys/kernel/osrelease")]);
    std::fs::create_dir_all(root.path().join("sys/class/net/loopback0")).unwrap();
    let p = platform(root.path(), Marker::None);
    assert_eq!(p["kind"], "wsl1");
    assert!(p["networking"].is_null(), "{p}");
}
