//! What a user reads: `wslgo env` and `wslgo doctor` say why a system file could not be read in
//! a few words ("not found", "permission denied"), never with Rust's io::Error tail
//! ("No such file or directory (os error 2)").

mod common;
use common::*;

/// A WSL2 tree whose /proc/self/cgroup and /proc/self/mountinfo are missing
/// and whose /proc/net/route is a directory: each reason names the file and what is wrong.
#[test]
fn unreadable_system_files_are_named_without_os_error_codes() {
    let root = TempDir::new("words");
    put(root.path(), "/proc/sys/kernel/osrelease", "5.15.153.1-microsoft-standard-WSL2\n");
    std::fs::create_dir_all(root.path().join("run/WSL")).unwrap();
    std::fs::create_dir_all(root.path().join("proc/net/route")).unwrap();
    let mut sb = Sandbox::new("words");
    sb.set("WSLGO_SYSROOT", root.path().as_os_str().to_owned());
    sb.config("[proxy]\nmode = \"off\"\n");
    // The per-variable reasons (GOMAXPROCS's here) are rows of `env --all`: the default view
    // shows only what wslgo sets or changes.
    for args in [
        &["env", "--all"][..],
        &["env"],
        &["env", "--json"],
        &["doctor"],
        &["doctor", "--json"],
    ] {
        let o = wslgo(&sb, args);
        let text = format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
        assert!(!text.contains("os error"), "wslgo {}: {text}", args.join(" "));
        if args == ["env", "--all"] {
            assert!(text.contains("cannot read /proc/self/cgroup: not found"), "{text}");
        }
    }
    // The proxy planner reads the route table when the mode lets it.
    sb.config("[proxy]\nmode = \"auto\"\n");
    let o = wslgo(&sb, &["env"]);
    let text = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(!text.contains("os error"), "{text}");
    assert!(text.contains("cannot read /proc/net/route: not a regular file"), "{text}");
    // The cgroup file is there, the mount table is not.
    put(root.path(), "/proc/self/cgroup", "0::/user.slice/user-1000.slice\n");
    let o = wslgo(&sb, &["env", "--all"]);
    let text = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(!text.contains("os error"), "{text}");
    assert!(text.contains("cannot read /proc/self/mountinfo: not found"), "{text}");
}
