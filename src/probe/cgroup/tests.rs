use super::affinity::*;
use super::limits::*;
use super::locate::*;
use super::*;
use crate::probe::mountinfo::{self, Mount};
use std::path::PathBuf;

fn mount(root: &str, mp: &str) -> Mount {
    mountinfo::parse_line(format!("31 23 0:24 {root} {mp} rw - cgroup cgroup rw,cpu").as_bytes()).unwrap()
}

#[test]
fn translate_at_path_boundary() {
    let m = mount("/docker/abc", "/sys/fs/cgroup/cpu");
    let t = |p: &str| translate(&m, p.as_bytes());
    assert_eq!(t("/docker/abc"), Some(PathBuf::from("/sys/fs/cgroup/cpu")));
    assert_eq!(t("/docker/abc/"), Some(PathBuf::from("/sys/fs/cgroup/cpu")));
    assert_eq!(t("/docker/abc/x/y"), Some(PathBuf::from("/sys/fs/cgroup/cpu/x/y")));
    assert_eq!(t("/docker/abcd"), None);
    assert_eq!(t("/docker"), None);
    assert_eq!(t("/docker/abc/../../x"), None);
    assert_eq!(t("docker/abc"), None);
    let root = mount("/", "/sys/fs/cgroup/cpu");
    assert_eq!(translate(&root, b"/a"), Some(PathBuf::from("/sys/fs/cgroup/cpu/a")));
    assert_eq!(translate(&root, b"/"), Some(PathBuf::from("/sys/fs/cgroup/cpu")));
    assert_eq!(translate(&root, b"/../x"), None, "`..` left over");
    // Another cgroup namespace's view: `..` matched as a plain component of the root.
    let up = mount("/../../../..", "/sys/fs/cgroup/cpu");
    assert_eq!(
        translate(&up, b"/../../../../init.scope"),
        Some(PathBuf::from("/sys/fs/cgroup/cpu/init.scope"))
    );
    assert_eq!(translate(&up, b"/../../init.scope"), None);
}

#[test]
fn levels_stop_at_mount_point() {
    let l = Located {
        version: Version::V1,
        dir: "/m/a/b".into(),
        mount_point: "/m".into(),
    };
    assert_eq!(levels(&l).unwrap(), vec![PathBuf::from("/m/a/b"), "/m/a".into(), "/m".into()]);
}

#[test]
fn cgroup_lines() {
    let l = parse_cgroup_line(b"12:cpu,cpuacct:/a:b:c").unwrap();
    assert_eq!((l.id, l.controllers, l.path), (12, "cpu,cpuacct", &b"/a:b:c"[..]));
    assert!(parse_cgroup_line(b"1:cpu").is_none());
    assert!(parse_cgroup_line(b"x:cpu:/").is_none());
    assert!(parse_cgroup_line(b":cpu:/").is_none());
}

#[test]
fn numbers() {
    assert_eq!(parse_int(b"-1\n"), Some(-1));
    assert_eq!(parse_int(b"500000"), Some(500000));
    assert_eq!(parse_int(b"123max\n"), None);
    assert_eq!(parse_int(b"1000 5000\n"), None);
    assert_eq!(parse_int(b"-\n"), None);
    assert_eq!(parse_int(b"99999999999999999999999"), None);
    assert_eq!(parse_bytes(b"max\n", "f"), Ok(None));
    assert_eq!(parse_bytes(b"9223372036854771712\n", "f"), Ok(None));
    assert_eq!(parse_bytes(b"18446744073709551615\n", "f"), Ok(None));
    assert_eq!(parse_bytes(b"1048576\n", "f"), Ok(Some(1 << 20)));
    assert!(parse_bytes(b"-5\n", "f").is_err());
}

#[test]
fn cpu_lists() {
    assert_eq!(count_cpu_list(b"\t0-3,8,10-11\n"), Some(7));
    assert_eq!(count_cpu_list(b"0"), Some(1));
    assert_eq!(count_cpu_list(b"3-1"), None);
    assert_eq!(count_cpu_list(b""), None);
    assert_eq!(count_cpu_list(b"0-x"), None);
    assert_eq!(count_cpu_list(b"0-9999999"), Some(10_000_000));
}

#[test]
fn real_affinity_counts_something() {
    let n = sched_affinity_count().expect("sched_getaffinity works");
    assert!(n >= 1);
}
