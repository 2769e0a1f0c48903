//! What one run asks of the kernel, seen with strace: `/proc/self/mountinfo` (wanted by the
//! cgroup probe, the DrvFs check and several doctor checks) is opened once per refresh and once
//! per doctor run. Without strace the tests say SKIP, and fail under CI=true.

mod common;

use common::{Sandbox, bin};
use std::process::Command;

/// strace's path, `None` (with a visible SKIP line) when it cannot run here.
fn strace() -> Option<&'static str> {
    let ok = Command::new("strace")
        .args(["-f", "-qq", "-e", "trace=none", "true"])
        .output()
        .is_ok_and(|o| o.status.success());
    if ok {
        return Some("strace");
    }
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("strace is required under CI=true but is not installed (or cannot trace here)");
    }
    eprintln!("SKIP: strace is not installed or cannot trace here");
    None
}

/// The paths opened by `wslgo <args>` in the sandbox (every process, every open call).
fn opened(sb: &Sandbox, args: &[&str]) -> Vec<String> {
    strace_lines(sb, args, &["-e", "trace=open,openat,openat2"])
        .iter()
        .filter_map(|l| {
            let q = l.find('"')?;
            let rest = &l[q + 1..];
            Some(rest[..rest.find('"')?].to_string())
        })
        .collect()
}

/// `wslgo <args>` run under `strace -f -qq <opts>` in the sandbox's environment, from its
/// HOME: strace's lines. The run must succeed (doctor may exit 1 for what it finds).
fn strace_lines(sb: &Sandbox, args: &[&str], opts: &[&str]) -> Vec<String> {
    let log = sb.dir.path().join("strace.log");
    let mut c = Command::new("strace");
    c.args(["-f", "-qq"]).args(opts).arg("-o").arg(&log).arg(bin()).args(args);
    c.env_clear();
    for (k, v) in &sb.env {
        c.env(k, v);
    }
    c.env("PWD", &sb.home).current_dir(&sb.home);
    let out = c.output().unwrap();
    assert!(
        out.status.success() || args[0] == "doctor",
        "wslgo {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::read_to_string(&log).unwrap().lines().map(str::to_string).collect()
}

fn count(paths: &[String], want: &str) -> usize {
    paths.iter().filter(|p| p.as_str() == want).count()
}

#[test]
fn one_refresh_opens_mountinfo_once() {
    if strace().is_none() {
        return;
    }
    let sb = Sandbox::new("strace-hook");
    // The defaults want both limits (so the cgroup probe runs) and the working directory is
    // absolute (so the DrvFs check runs): two readers of the mounts.
    let paths = opened(&sb, &["hook", "bash"]);
    assert!(count(&paths, "/proc/self/cgroup") >= 1, "the cgroup probe did not run: {paths:?}");
    assert_eq!(count(&paths, "/proc/self/mountinfo"), 1, "{paths:?}");
}

#[test]
fn one_doctor_run_opens_mountinfo_once() {
    if strace().is_none() {
        return;
    }
    let sb = Sandbox::new("strace-doctor");
    let paths = opened(&sb, &["doctor", "--json"]);
    assert_eq!(count(&paths, "/proc/self/mountinfo"), 1, "{paths:?}");
}

/// With the discovery cache the shell carries (`__WSLGO_DISC`, written by the refresh before),
/// a refresh lists no SDK directory and reads no VERSION file: it only stats them. Without it,
/// the same refresh opens both (so the test sees the difference it claims).
#[test]
fn a_warm_refresh_lists_no_sdk_directory() {
    use std::os::unix::fs::PermissionsExt;
    if strace().is_none() {
        return;
    }
    let mut sb = Sandbox::new("strace-disc");
    let sdk = sb.home.join("sdk/go1.21.0");
    std::fs::create_dir_all(sdk.join("bin")).unwrap();
    std::fs::write(sdk.join("VERSION"), "go1.21.0\n").unwrap();
    std::fs::write(sdk.join("bin/go"), "#!/bin/sh\n").unwrap();
    std::fs::set_permissions(sdk.join("bin/go"), std::fs::Permissions::from_mode(0o755)).unwrap();
    // Stamps younger than 2 s are not trusted (see src/probe/memo.rs).
    std::thread::sleep(std::time::Duration::from_millis(3100));
    let dir = sb.home.join("sdk").to_str().unwrap().to_string();
    let version = sdk.join("VERSION").to_str().unwrap().to_string();
    let cold = opened(&sb, &["hook", "bash"]);
    assert_eq!(count(&cold, &dir), 1, "{cold:?}");
    assert_eq!(count(&cold, &version), 1, "{cold:?}");
    let out = common::wslgo(&sb, &["hook", "bash"]);
    let text = String::from_utf8(out.stdout).unwrap();
    let disc = text
        .lines()
        .find_map(|l| l.strip_prefix("export __WSLGO_DISC='")?.strip_suffix('\''))
        .unwrap_or_else(|| panic!("no cache written: {text}"));
    sb.set("__WSLGO_DISC", disc);
    let warm = opened(&sb, &["hook", "bash"]);
    assert_eq!(count(&warm, &dir), 0, "{warm:?}");
    assert_eq!(count(&warm, &version), 0, "{warm:?}");
    assert_eq!(count(&warm, "/proc/self/mountinfo"), 1, "{warm:?}");
}

/// The syscalls of `wslgo <args>` in the sandbox, strace'd with `-y` (each descriptor shown
/// with the path it stands for): one line per call.
fn traced(sb: &Sandbox, args: &[&str], calls: &str) -> Vec<String> {
    strace_lines(sb, args, &["-y", "-e", &format!("trace={calls}")])
}

/// Each small file is read without the `read` that returns 0: a regular file stops at the size
/// fstat gave (the config file, the warm-start file), a kernel file of one record at a short
/// read (/proc/self/cgroup, osrelease, the cgroup limit files). Only mountinfo, a file of many
/// records whose reads stop at a page, is read to a 0. And no descriptor is opened with a
/// second `fcntl(F_SETFD)` (musl's `open()` adds one; wslgo opens with `openat`). Each read
/// still returns the whole file: the refresh's output is checked by every other test.
#[test]
fn small_files_are_read_without_an_eof_probe() {
    if strace().is_none() {
        return;
    }
    let sb = Sandbox::new("strace-eof");
    sb.config("[hook]\ninterval_secs = 3600\n");
    // Cold init (reads the config file, writes the warm file), then init again (reads the warm
    // file), then a refresh.
    for args in [&["init", "zsh"][..], &["init", "zsh"], &["hook", "bash"]] {
        let lines = traced(&sb, args, "openat,open,read,fcntl");
        let probes: Vec<&String> = lines
            .iter()
            .filter(|l| l.contains("read(") && l.trim_end().ends_with("= 0") && !l.contains("mountinfo>"))
            .collect();
        assert!(probes.is_empty(), "wslgo {args:?}: reads that returned 0: {probes:#?}");
        let setfd: Vec<&String> = lines.iter().filter(|l| l.contains("F_SETFD")).collect();
        assert!(setfd.is_empty(), "wslgo {args:?}: {setfd:#?}");
        let reads = lines.iter().filter(|l| l.contains("read(")).count();
        assert!(reads >= 3, "wslgo {args:?} read nearly nothing: {lines:#?}");
    }
    let second = traced(&sb, &["init", "zsh"], "openat,open,read");
    let warm = sb.dir.path().join("run/wslgo/warm");
    assert!(
        second.iter().any(|l| l.contains(warm.to_str().unwrap()) && l.contains("read(")),
        "the warm-start file was not read: {second:#?}"
    );
}
