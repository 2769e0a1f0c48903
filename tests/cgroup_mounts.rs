//! Which mount shows the shell's cgroup (SPEC 5.3): among the mounts of the hierarchy, the
//! longest root that prefixes the cgroup path at a component boundary and leaves no `..`;
//! paths from another cgroup namespace (`/../..`) are matched as plain components; mountinfo
//! order never decides.
//!
//! Each fixture tree is built here (container bind mounts of a subtree, several mounts of one
//! hierarchy, `/..` paths, v1 and v2) with a quota in the directory the rule picks and a
//! different quota where a wrong pick would lead, and each case runs in both mountinfo orders,
//! through `wslgo env --json` under WSLGO_SYSROOT.

mod common;
use common::*;

/// A fake system: `Cpus_allowed_list: 0-7` (A = 8), the given cgroup file and mount lines.
fn system(cgroup: &str, mounts: &[&str]) -> TempDir {
    let root = TempDir::new("cgmnt");
    put(root.path(), "/proc/self/status", "Name:\twslgo\nCpus_allowed_list:\t0-7\n");
    put(root.path(), "/proc/self/cgroup", cgroup);
    let mut mi = String::from("22 1 8:1 / / rw,relatime - ext4 /dev/sdc rw\n");
    for (i, m) in mounts.iter().enumerate() {
        mi.push_str(&format!("{} 22 0:{} {m}\n", 30 + i, 40 + i));
    }
    put(root.path(), "/proc/self/mountinfo", mi);
    root
}

fn v1_quota(root: &TempDir, dir: &str, cpus: u64) {
    put(root.path(), &format!("{dir}/cpu.cfs_quota_us"), format!("{}\n", cpus * 100_000));
    put(root.path(), &format!("{dir}/cpu.cfs_period_us"), "100000\n");
}

fn v2_quota(root: &TempDir, dir: &str, cpus: u64) {
    put(root.path(), &format!("{dir}/cpu.max"), format!("{} 100000\n", cpus * 100_000));
}

/// GOMAXPROCS from `wslgo env --json` (`None`: not exported), and its reason.
fn maxprocs(root: &TempDir) -> (Option<String>, String) {
    let mut sb = Sandbox::new("cgmnt");
    sb.set("WSLGO_SYSROOT", root.path());
    sb.set("WSLGO_CONFIG", "/dev/null");
    let v = env_json(&sb);
    let var = json_var(&v, "GOMAXPROCS").expect("a GOMAXPROCS entry").clone();
    let value = (var["action"] == "set").then(|| var["value"].as_str().unwrap().to_string());
    (value, var["reason"].as_str().unwrap_or("").to_string())
}

/// Runs one shape with its mount lines in the given order and reversed: both must give `want`.
fn check(name: &str, cgroup: &str, mounts: &[&str], quotas: &[(&str, u64)], want: Option<u64>) {
    let mut rev = mounts.to_vec();
    rev.reverse();
    for (order, ms) in [("as listed", mounts.to_vec()), ("reversed", rev)] {
        let root = system(cgroup, &ms);
        // Both versions' files: the mount's fstype decides which are read.
        for (dir, n) in quotas {
            v1_quota(&root, dir, *n);
            v2_quota(&root, dir, *n);
        }
        let (got, reason) = maxprocs(&root);
        assert_eq!(got, want.map(|n| n.to_string()), "{name} ({order}): GOMAXPROCS; reason: {reason}");
    }
}

const V1: &str = "rw,nosuid,nodev,noexec,relatime shared:5 - cgroup cgroup rw,cpu,cpuacct";
const V2: &str = "rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate";

/// A container runtime bind-mounts the container's own subtree at /sys/fs/cgroup/cpu, and the
/// host's whole hierarchy (`/`) is mounted later elsewhere: the subtree's mount is the one.
#[test]
fn v1_container_subtree_beats_a_later_root_mount() {
    let own = format!("/docker/abc /sys/fs/cgroup/cpu,cpuacct {V1}");
    let host = format!("/ /host/sys/fs/cgroup/cpu,cpuacct {V1}");
    check(
        "v1 subtree + later /",
        "12:cpu,cpuacct:/docker/abc\n0::/\n",
        &[&own, &host],
        &[
            ("/sys/fs/cgroup/cpu,cpuacct", 3),
            // Where the `/` mount leads; the host's directory has a looser limit.
            ("/host/sys/fs/cgroup/cpu,cpuacct/docker/abc", 5),
        ],
        Some(3),
    );
}

/// Several mounts of one hierarchy (`/`, `/a`, `/a/b`): the longest root that prefixes the path.
#[test]
fn v1_several_mounts_longest_root_wins() {
    let m0 = format!("/ /sys/fs/cgroup/cpu,cpuacct {V1}");
    let m1 = format!("/a /mnt/cg-a {V1}");
    let m2 = format!("/a/b /mnt/cg-ab {V1}");
    let m3 = format!("/a/bc /mnt/cg-abc {V1}");
    check(
        "v1 /, /a, /a/b",
        "4:cpu,cpuacct:/a/b/c\n",
        &[&m0, &m1, &m2, &m3],
        &[
            ("/mnt/cg-ab/c", 3),
            ("/mnt/cg-a/b/c", 5),
            ("/sys/fs/cgroup/cpu,cpuacct/a/b/c", 6),
            ("/mnt/cg-abc/c", 7),
        ],
        Some(3),
    );
}

/// cgroup v2 in a container that sees its own subtree at /sys/fs/cgroup and the host's root
/// later: the subtree.
#[test]
fn v2_container_subtree_beats_a_later_root_mount() {
    let own = format!("/kubepods/pod1/ctr /sys/fs/cgroup {V2}");
    let host = format!("/ /host/cgroup {V2}");
    check(
        "v2 subtree + later /",
        "0::/kubepods/pod1/ctr/app\n",
        &[&own, &host],
        &[("/sys/fs/cgroup/app", 3), ("/host/cgroup/kubepods/pod1/ctr/app", 5)],
        Some(3),
    );
}

/// A cgroup outside this cgroup namespace (`/../../../../init.scope`): the root
/// `/../../../..` prefixes it as plain components and leaves `/init.scope`.
#[test]
fn v2_out_of_namespace_path_matches_plain_components() {
    let outer = format!("/../../../.. /sys/fs/cgroup {V2}");
    let own = format!("/ /mnt/ns-cgroup {V2}");
    check(
        "v2 /.. path",
        "0::/../../../../init.scope\n",
        &[&outer, &own],
        &[("/sys/fs/cgroup/init.scope", 3), ("/mnt/ns-cgroup/init.scope", 5)],
        Some(3),
    );
}

/// The same in v1, with a shorter `/..` root that still prefixes the path: the longest wins.
#[test]
fn v1_out_of_namespace_longest_dotdot_root() {
    let a = format!("/.. /mnt/up1 {V1}");
    let b = format!("/../.. /sys/fs/cgroup/cpu,cpuacct {V1}");
    check(
        "v1 /.. roots",
        "3:cpu,cpuacct:/../../user.slice/session\n",
        &[&a, &b],
        &[
            ("/sys/fs/cgroup/cpu,cpuacct/user.slice/session", 3),
            ("/mnt/up1/user.slice/session", 5),
        ],
        Some(3),
    );
}

/// No root leaves a remainder without `..`: nothing is read (quotas sit where a naive join or
/// a string strip would lead), GOMAXPROCS is not exported, and the reason says why.
#[test]
fn dotdot_left_over_reads_nothing() {
    let m = format!("/ /sys/fs/cgroup {V2}");
    let n = format!("/.. /mnt/up1 {V2}");
    // `/../x` under the `/` mount, `/../../x` under both: `..` is left over each time.
    for (name, cg, ms) in [("/ root", "0::/../x\n", vec![&m]), ("/.. root", "0::/../../x\n", vec![&m, &n])] {
        let ms: Vec<&str> = ms.iter().map(|s| s.as_str()).collect();
        let root = system(cg, &ms);
        v2_quota(&root, "/sys/fs/cgroup", 3);
        v2_quota(&root, "/sys/fs/cgroup/x", 3);
        v2_quota(&root, "/mnt/up1/x", 3);
        v2_quota(&root, "/mnt/up1", 3);
        v2_quota(&root, "/x", 3);
        let (got, reason) = maxprocs(&root);
        assert_eq!(got, None, "{name}: {reason}");
        assert!(reason.contains("not under a mount root"), "{name}: {reason}");
    }
}
