//! Real cgroup v1 limits on this machine (as root): a hooked shell moved into a cgroup gets
//! GOMAXPROCS / GOMEMLIMIT by SPEC 5.3's rule, and a real Go program (Debian's golang-go)
//! started from that shell runs with exactly those values.
//!
//! Each test makes its own cgroups (`wslgo-test-<pid>-<n>`) and removes them in a Drop guard
//! that first moves any process left in them back to where the test process lives, so a
//! failing test leaves nothing behind. Without root, cgroup v1 or Go these tests skip, and
//! fail under CI=true.

mod common;
use common::*;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

const V1: &str = "/sys/fs/cgroup";

/// Skips (or fails under CI=true) when the thing needed is missing.
fn require(ok: bool, what: &str) -> bool {
    if ok {
        return true;
    }
    common::skip(&format!("{what} is missing"));
    false
}

/// The test process's own cgroup directory for a v1 controller (where pids go back to).
fn own_cgroup(controller: &str) -> PathBuf {
    let text = std::fs::read_to_string("/proc/self/cgroup").unwrap();
    let path = text
        .lines()
        .find_map(|l| {
            let mut f = l.splitn(3, ':');
            let (_, c, p) = (f.next()?, f.next()?, f.next()?);
            c.split(',').any(|x| x == controller).then(|| p.to_string())
        })
        .unwrap_or_else(|| "/".into());
    Path::new(V1).join(controller).join(path.trim_start_matches('/'))
}

/// A parent cgroup and a child under it for one v1 controller, removed on drop.
struct Cgroup {
    parent: PathBuf,
    child: PathBuf,
    home: PathBuf,
}

impl Cgroup {
    fn new(controller: &str) -> Option<Cgroup> {
        let root = Path::new(V1).join(controller);
        let is_root = Command::new("id").arg("-u").output().map(|o| o.stdout == b"0\n").unwrap_or(false);
        if !require(
            is_root && root.join("cgroup.procs").exists(),
            &format!("root and a cgroup v1 `{controller}` hierarchy"),
        ) {
            return None;
        }
        static N: AtomicUsize = AtomicUsize::new(0);
        let parent = root.join(format!("wslgo-test-{}-{}", std::process::id(), N.fetch_add(1, Ordering::SeqCst)));
        let child = parent.join("child");
        let g = Cgroup {
            parent: parent.clone(),
            child: child.clone(),
            home: own_cgroup(controller),
        };
        std::fs::create_dir(&parent).unwrap_or_else(|e| panic!("mkdir {}: {e}", parent.display()));
        std::fs::create_dir(&child).unwrap();
        Some(g)
    }

    fn procs(&self) -> String {
        self.child.join("cgroup.procs").display().to_string()
    }

    fn write(&self, dir: &Path, file: &str, value: &str) {
        std::fs::write(dir.join(file), value).unwrap_or_else(|e| panic!("write {value} to {}/{file}: {e}", dir.display()));
    }
}

impl Drop for Cgroup {
    fn drop(&mut self) {
        for dir in [&self.child, &self.parent] {
            for _ in 0..100 {
                if !dir.exists() {
                    break;
                }
                // A process still inside (a shell that has not exited yet) goes back home.
                if let Ok(pids) = std::fs::read_to_string(dir.join("cgroup.procs")) {
                    for pid in pids.lines() {
                        let _ = std::fs::write(self.home.join("cgroup.procs"), pid);
                    }
                }
                if std::fs::remove_dir(dir).is_ok() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        }
    }
}

/// A Go program (built once per test binary, with Debian's go) that prints what the Go runtime
/// took: `go_procs=<runtime.GOMAXPROCS(0)> go_mem=<debug.SetMemoryLimit(-1)>`.
fn go_probe() -> Option<PathBuf> {
    static BIN: OnceLock<Option<PathBuf>> = OnceLock::new();
    BIN.get_or_init(|| {
        if !require(Path::new("/usr/bin/go").exists(), "Debian's golang-go (/usr/bin/go)") {
            return None;
        }
        // Cargo's scratch directory for integration tests: kept between runs, so the build and
        // Go's cache are reused; nothing lands in /tmp.
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("wslgo-goprobe");
        let bin = dir.join("goprobe");
        if bin.exists() {
            return Some(bin);
        }
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("main.go"),
            "package main\n\nimport (\n\t\"fmt\"\n\t\"runtime\"\n\t\"runtime/debug\"\n)\n\nfunc main() {\n\tfmt.Printf(\"go_procs=%d\\ngo_mem=%d\\n\", runtime.GOMAXPROCS(0), debug.SetMemoryLimit(-1))\n}\n",
        )
        .unwrap();
        let tmp = dir.join(format!("goprobe.{}", std::process::id()));
        let o = Command::new("/usr/bin/go")
            .args(["build", "-o"])
            .arg(&tmp)
            .arg("main.go")
            .current_dir(&dir)
            .env_clear()
            .env("PATH", "/usr/bin:/bin")
            .env("HOME", &dir)
            .env("GOCACHE", dir.join("cache"))
            .env("GOPATH", dir.join("gopath"))
            .env("GO111MODULE", "off")
            .env("GOFLAGS", "-mod=mod")
            .env("GOTOOLCHAIN", "local")
            .env("CGO_ENABLED", "0")
            .output()
            .expect("run go build");
        assert!(o.status.success(), "go build failed: {}", String::from_utf8_lossy(&o.stderr));
        std::fs::rename(&tmp, &bin).unwrap();
        Some(bin)
    })
    .clone()
}

/// CPUs the test process may use, from /proc/self/status (not the code under test's syscall).
fn affinity_count() -> u64 {
    let s = std::fs::read_to_string("/proc/self/status").unwrap();
    let list = s.lines().find_map(|l| l.strip_prefix("Cpus_allowed_list:")).unwrap().trim();
    list.split(',')
        .map(|r| match r.split_once('-') {
            Some((a, b)) => b.parse::<u64>().unwrap() - a.parse::<u64>().unwrap() + 1,
            None => 1,
        })
        .sum()
}

/// The script: move the shell into the child cgroup (and narrow its affinity when asked),
/// change directory so the next prompt refreshes, then print what the shell and Go see.
fn script(procs: &str, taskset: bool, go: &Path) -> String {
    let ts = if taskset { "taskset -pc 0 $$ >/dev/null; " } else { "" };
    format!(
        "{ts}echo $$ > {procs}; cd /\n\
         echo \"sh_procs=${{GOMAXPROCS-none}}\"; echo \"sh_mem=${{GOMEMLIMIT-none}}\"; {go}\n",
        go = go.display()
    )
}

/// SPEC 5.3's auto rule for quota/period and A CPUs.
fn auto_rule(quota: u64, period: u64, a: u64) -> u64 {
    quota.div_ceil(period).max(2).min(a)
}

/// The quota sits on the parent, the shell runs in the child (no quota of its own): wslgo
/// must walk up. Go 1.19 itself ignores cgroups, so what it prints is what wslgo exported.
fn cpu_case(shell: &str, taskset: bool, config: Option<&str>, want: impl Fn(u64) -> u64) {
    let Some(go) = go_probe() else { return };
    let Some(cg) = Cgroup::new("cpu") else { return };
    cg.write(&cg.parent, "cpu.cfs_period_us", "100000");
    cg.write(&cg.parent, "cpu.cfs_quota_us", "150000");
    let sb = Sandbox::new("cgreal");
    if let Some(c) = config {
        sb.config(c);
    }
    let Some(o) = sb.run(shell, &script(&cg.procs(), taskset, &go)) else {
        return;
    };
    let a = if taskset { 1 } else { affinity_count() };
    let expect = want(a).to_string();
    assert_eq!(
        o.value("sh_procs").as_deref(),
        Some(expect.as_str()),
        "{shell}: A={a}\n{}\n{}",
        o.stdout,
        o.stderr
    );
    assert_eq!(
        o.value("go_procs").as_deref(),
        Some(expect.as_str()),
        "{shell}: Go disagrees\n{}",
        o.stdout
    );
}

#[test]
fn quota_on_parent_sets_gomaxprocs_bash() {
    cpu_case("bash", false, None, |a| auto_rule(150_000, 100_000, a));
}

#[test]
fn quota_on_parent_sets_gomaxprocs_zsh() {
    cpu_case("zsh", false, None, |a| auto_rule(150_000, 100_000, a));
}

#[test]
fn quota_with_taskset_one_cpu() {
    cpu_case("bash", true, None, |a| auto_rule(150_000, 100_000, a));
}

/// `floor` is automaxprocs' rule: floor(1.5) = 1, which also differs from Go 1.19's own
/// default (every CPU), so Go's answer proves the variable reached it.
#[test]
fn floor_mode_gives_one() {
    cpu_case("bash", false, Some("[go]\nmaxprocs = \"floor\"\n"), |a| 1.min(a));
}

/// A user's GOMAXPROCS is never overwritten, even inside a quota.
#[test]
fn user_gomaxprocs_is_kept() {
    let Some(go) = go_probe() else { return };
    let Some(cg) = Cgroup::new("cpu") else { return };
    cg.write(&cg.parent, "cpu.cfs_period_us", "100000");
    cg.write(&cg.parent, "cpu.cfs_quota_us", "150000");
    let mut sb = Sandbox::new("cgreal");
    sb.set("GOMAXPROCS", "7");
    let Some(o) = sb.run("bash", &script(&cg.procs(), false, &go)) else {
        return;
    };
    assert_eq!(o.value("sh_procs").as_deref(), Some("7"), "{}", o.stderr);
    assert_eq!(o.value("go_procs").as_deref(), Some("7"));
}

/// Leaving the cgroup (back to where the test runs, no quota) takes wslgo's GOMAXPROCS away.
#[test]
fn leaving_the_quota_unsets_gomaxprocs() {
    let Some(cg) = Cgroup::new("cpu") else { return };
    cg.write(&cg.parent, "cpu.cfs_period_us", "100000");
    cg.write(&cg.parent, "cpu.cfs_quota_us", "150000");
    let sb = Sandbox::new("cgreal");
    let home = cg.home.join("cgroup.procs");
    let script = format!(
        "echo $$ > {}; cd /\necho \"in=${{GOMAXPROCS-none}}\"; echo $$ > {}; cd /tmp\necho \"out=${{GOMAXPROCS-none}}\"\n",
        cg.procs(),
        home.display()
    );
    let Some(o) = sb.run("bash", &script) else { return };
    let in_quota = auto_rule(150_000, 100_000, affinity_count()).to_string();
    // Only meaningful when the test process itself runs without a CPU quota.
    let home_quota = std::fs::read_to_string(cg.home.join("cpu.cfs_quota_us")).unwrap_or_default();
    assert_eq!(o.value("in").as_deref(), Some(in_quota.as_str()), "{}", o.stderr);
    if home_quota.trim() == "-1" && cg.home == Path::new(V1).join("cpu") {
        assert_eq!(o.value("out").as_deref(), Some("none"), "{}", o.stderr);
    }
}

/// A memory limit on the parent: GOMEMLIMIT = floor(0.9 x limit), and Go reads it back with
/// debug.SetMemoryLimit(-1).
#[test]
fn memory_limit_sets_gomemlimit() {
    let Some(go) = go_probe() else { return };
    let Some(cg) = Cgroup::new("memory") else { return };
    let limit: u64 = 512 << 20;
    cg.write(&cg.parent, "memory.limit_in_bytes", &limit.to_string());
    let sb = Sandbox::new("cgreal");
    let Some(o) = sb.run("bash", &script(&cg.procs(), false, &go)) else {
        return;
    };
    let want = (limit * 9 / 10).to_string();
    assert_eq!(o.value("sh_mem").as_deref(), Some(want.as_str()), "{}\n{}", o.stdout, o.stderr);
    assert_eq!(o.value("go_mem").as_deref(), Some(want.as_str()), "{}", o.stdout);
    // `wslgo env`, run inside the child cgroup, names the file and level that set the limit.
    let sb2 = Sandbox::new("cgreal");
    let sh = format!("echo $$ > {}; exec \"$0\" env --json", cg.procs());
    let mut c = Command::new("/bin/sh");
    c.env_clear()
        .envs(sb2.env.iter().map(|(k, v)| (k, v)))
        .arg("-c")
        .arg(&sh)
        .arg(&sb2.bin);
    let out = c.output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let var = json_var(&v, "GOMEMLIMIT").unwrap();
    assert_eq!(var["action"], "set", "{var}");
    assert_eq!(var["value"].as_str(), Some(want.as_str()), "{var}");
    let reason = var["reason"].as_str().unwrap().to_string();
    assert!(
        reason.contains(&cg.parent.join("memory.limit_in_bytes").display().to_string()) && reason.contains("parent"),
        "{reason}"
    );
}
