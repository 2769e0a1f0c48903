//! Every case of tests/fixtures/shared/cgroup (uber-go/automaxprocs' testdata, the Go runtime's
//! number and escape cases) as a fake system under WSLGO_SYSROOT, each asserting the GOMAXPROCS
//! wslgo exports (or that it exports none) for a given affinity (`Cpus_allowed_list`).
//!
//! Each case is checked twice: in `wslgo env --json` (value, or a removal with a reason that
//! names what was wrong), and in real interactive bash and zsh sessions that walk through all
//! the cases of a test one after the other (`export WSLGO_SYSROOT=...; cd ...`, so each prompt
//! refreshes), which also shows that a value wslgo set for one cgroup goes away in the next.
//!
//! Where a source is not a GOMAXPROCS rule (a parser's error, a path translation), the case
//! plants limit files where a wrong parse or translation would find them, so the assertion
//! can fail. Where our answer differs from a source's on purpose, the case says so.

mod common;
use common::*;
use std::path::PathBuf;

/// A fixture file's bytes.
fn fx(rel: &str) -> Vec<u8> {
    let p = fixtures().join("cgroup").join(rel);
    std::fs::read(&p).unwrap_or_else(|e| panic!("fixture {}: {e}", p.display()))
}

const CPU_MOUNT: &str = "31 23 0:24 / /sys/fs/cgroup/cpu rw,nosuid,nodev,noexec,relatime shared:1 - cgroup cgroup rw,cpu\n";

/// One fake system and what wslgo must export on it.
struct Case {
    name: String,
    root: TempDir,
    config: Option<&'static str>,
    /// GOMAXPROCS, `None` = not exported.
    want: Option<u32>,
    /// GOMEMLIMIT when the case is about it.
    want_mem: Option<Option<u64>>,
    /// Text the GOMAXPROCS reason must contain (for the cases where nothing is exported).
    reason_has: Option<String>,
}

impl Case {
    /// A system with `Cpus_allowed_list: 0-7` (A = 8) and nothing else.
    fn new(name: &str, want: Option<u32>) -> Case {
        let root = TempDir::new("cgfx");
        put(root.path(), "/proc/self/status", "Name:\twslgo\nCpus_allowed_list:\t0-7\n");
        Case {
            name: name.into(),
            root,
            config: None,
            want,
            want_mem: None,
            reason_has: None,
        }
    }

    fn file(self, path: &str, bytes: impl AsRef<[u8]>) -> Case {
        put(self.root.path(), path, bytes);
        self
    }

    /// A file at a system path given as raw bytes (paths with newlines, non-UTF-8 bytes).
    fn file_raw(self, path: &[u8], bytes: &[u8]) -> Case {
        use std::os::unix::ffi::OsStrExt;
        let mut p = self.root.path().as_os_str().as_bytes().to_vec();
        p.extend_from_slice(path);
        let p = PathBuf::from(std::ffi::OsStr::from_bytes(&p));
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
        self
    }

    fn cgroup(self, text: impl AsRef<[u8]>) -> Case {
        self.file("/proc/self/cgroup", text)
    }

    fn mountinfo(self, text: impl AsRef<[u8]>) -> Case {
        self.file("/proc/self/mountinfo", text)
    }

    fn cpus(self, list: &str) -> Case {
        self.file("/proc/self/status", format!("Cpus_allowed_list:\t{list}\n"))
    }

    fn v1_quota(self, dir: &str, quota: u64, period: u64) -> Case {
        self.file(&format!("{dir}/cpu.cfs_quota_us"), format!("{quota}\n"))
            .file(&format!("{dir}/cpu.cfs_period_us"), format!("{period}\n"))
    }

    fn config(mut self, c: &'static str) -> Case {
        self.config = Some(c);
        self
    }

    fn mem(mut self, m: Option<u64>) -> Case {
        self.want_mem = Some(m);
        self
    }

    fn reason(mut self, s: &str) -> Case {
        self.reason_has = Some(s.into());
        self
    }

    /// The v1 cpu hierarchy at /sys/fs/cgroup/cpu with the shell in `/app`.
    fn v1_app(name: &str, want: Option<u32>) -> Case {
        Case::new(name, want).mountinfo(CPU_MOUNT).cgroup("1:cpu:/app\n")
    }

    /// cgroup v2 at /sys/fs/cgroup (automaxprocs' mountinfo-v2) with the shell in `/Example`.
    fn v2_example(name: &str, want: Option<u32>) -> Case {
        Case::new(name, want)
            .mountinfo(fx("automaxprocs-testdata/proc/v2/mountinfo-v2"))
            .cgroup(fx("automaxprocs-testdata/proc/v2/cgroup-subdir"))
    }

    fn config_path(&self) -> PathBuf {
        match self.config {
            Some(c) => {
                let p = self.root.path().join("wslgo-config.toml");
                std::fs::write(&p, c).unwrap();
                p
            }
            None => self.root.path().join("no-config.toml"),
        }
    }
}

/// Runs every case: `wslgo env --json` for each, then all of them in one bash and one zsh
/// session.
fn check(cases: Vec<Case>) {
    let mut sb = Sandbox::new("cgfx");
    sb.set("WSLGO_QUIET", "1");
    let mut script = String::new();
    for (i, c) in cases.iter().enumerate() {
        let cfg = c.config_path();
        sb.set("WSLGO_SYSROOT", c.root.path());
        sb.set("WSLGO_CONFIG", &cfg);
        let o = wslgo(&sb, &["env", "--json"]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(o.status.success() && !err.contains("panicked"), "{}: env failed: {err}", c.name);
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        let var = json_var(&v, "GOMAXPROCS").unwrap_or_else(|| panic!("{}: no GOMAXPROCS entry", c.name));
        let reason = var["reason"].as_str().unwrap_or("");
        match c.want {
            Some(n) => {
                assert_eq!(var["action"], "set", "{}: {var}", c.name);
                assert_eq!(var["value"].as_str(), Some(n.to_string().as_str()), "{}: {var}", c.name);
            }
            None => {
                assert_eq!(var["action"], "unset", "{}: {var}", c.name);
                assert!(!reason.is_empty(), "{}: no reason", c.name);
            }
        }
        if let Some(h) = &c.reason_has {
            assert!(reason.contains(h.as_str()), "{}: reason lacks {h:?}: {reason}", c.name);
        }
        if let Some(m) = c.want_mem {
            let mv = json_var(&v, "GOMEMLIMIT").unwrap();
            assert_eq!(
                mv["value"].as_str().map(str::to_string),
                m.map(|m| m.to_string()),
                "{}: {mv}",
                c.name
            );
        }
        script.push_str(&format!(
            "export WSLGO_SYSROOT='{}' WSLGO_CONFIG='{}'; cd '{}'\necho \"c{i}=${{GOMAXPROCS-none}}/${{GOMEMLIMIT-none}}\"\n",
            c.root.path().display(),
            cfg.display(),
            c.root.path().display()
        ));
    }
    sb.unset("WSLGO_SYSROOT").unset("WSLGO_CONFIG");
    for sh in SHELLS {
        let Some(o) = sb.run(sh, &script) else { continue };
        for (i, c) in cases.iter().enumerate() {
            let got = o
                .value(&format!("c{i}"))
                .unwrap_or_else(|| panic!("{sh}: {}: no output\n{}\n{}", c.name, o.stdout, o.stderr));
            let (procs, mem) = got.split_once('/').unwrap();
            let want = c.want.map_or("none".to_string(), |n| n.to_string());
            assert_eq!(procs, want, "{sh}: {}: GOMAXPROCS in the shell", c.name);
            if let Some(m) = c.want_mem {
                assert_eq!(mem, m.map_or("none".to_string(), |m| m.to_string()), "{sh}: {}: GOMEMLIMIT", c.name);
            }
        }
    }
}

/// automaxprocs' v1 quota directories, copied into the shell's cgroup /app.
#[test]
fn automaxprocs_v1_quota_dirs() {
    let dir = |name: &str, want: Option<u32>| {
        let mut c = Case::v1_app(&format!("cgroups/{name}"), want);
        let src = fixtures().join("cgroup/automaxprocs-testdata/cgroups").join(name);
        for f in std::fs::read_dir(&src).unwrap() {
            let f = f.unwrap();
            c = c.file(
                &format!("/sys/fs/cgroup/cpu/app/{}", f.file_name().to_str().unwrap()),
                std::fs::read(f.path()).unwrap(),
            );
        }
        c
    };
    check(vec![
        // 600000/100000 = 6 CPUs (automaxprocs asserts 6.0): auto = min(8, max(2, 6)) = 6.
        dir("cpu", Some(6)),
        // floor mode is automaxprocs' rule and gives its 6 too.
        dir("cpu", Some(6)).config("[go]\nmaxprocs = \"floor\"\n"),
        // The affinity caps it: min(4, 6) = 4.
        dir("cpu", Some(4)).cpus("0-1,4-5"),
        // A fixed value is exported as is, quota or not.
        dir("cpu", Some(3)).config("[go]\nmaxprocs = 3\n"),
        dir("cpu", None).config("[go]\nmaxprocs = \"off\"\n").reason("off"),
        // quota -1: undefined, nothing exported.
        dir("undefined", None),
        // period 0: automaxprocs says undefined; we too, and say why.
        dir("zero-period", None).reason("cpu.cfs_period_us"),
        // no period file: automaxprocs returns an error; we export nothing and name the file.
        dir("undefined-period", None).reason("cpu.cfs_period_us"),
        dir("empty", None).reason("cpu.cfs_quota_us"),
        dir("invalid", None).reason("cpu.cfs_quota_us"),
    ]);
}

/// automaxprocs' cgroup v2 `cpu.max` files, as the cpu.max of the shell's cgroup /Example.
#[test]
fn automaxprocs_v2_cpu_max() {
    let f = |name: &str, want: Option<u32>| {
        Case::v2_example(&format!("cgroups/v2/{name}"), want).file(
            "/sys/fs/cgroup/Example/cpu.max",
            fx(&format!("automaxprocs-testdata/cgroups/v2/{name}")),
        )
    };
    check(vec![
        // "250000 100000" without a newline: automaxprocs reads 2.5; Go's strict parser wants the
        // kernel's trailing newline and gives up. We differ from Go on purpose (a missing newline
        // changes nothing about the limit): auto = min(8, max(2, ceil(2.5))) = 3.
        f("set", Some(3)),
        // floor mode reproduces automaxprocs' floor(2.5) = 2.
        f("set", Some(2)).config("[go]\nmaxprocs = \"floor\"\n"),
        f("unset", None),
        // "500000": automaxprocs assumes the default period (5); Go calls it malformed. We side
        // with Go on purpose: the kernel always writes two fields, so this is not a cpu.max.
        f("only-max", None).reason("cpu.max"),
        f("invalid-max", None).reason("cpu.max"),
        f("invalid-period", None).reason("cpu.max"),
        f("empty", None).reason("cpu.max"),
        f("too-few-fields", None).reason("cpu.max"),
        f("too-many-fields", None).reason("cpu.max"),
        f("zero-period", None).reason("cpu.max"),
        // No cpu.max at all (automaxprocs' `nonexistent`): no limit.
        Case::v2_example("cgroups/v2/nonexistent", None),
    ]);
}

/// automaxprocs' /proc fixtures: which cgroup directory a process is in.
#[test]
fn automaxprocs_proc_files() {
    let p = |f: &str| fx(&format!("automaxprocs-testdata/proc/{f}"));
    check(vec![
        // cpu,cpuacct:/docker under a mount whose root is /docker: the directory is the mount
        // point itself (automaxprocs and Go after go.dev/issue/76390 agree). A quota planted at
        // .../docker (Go 1.25.0's answer, which ignored the root) must not be read.
        Case::new("proc/cgroups", Some(3))
            .cgroup(p("cgroups/cgroup"))
            .mountinfo(p("cgroups/mountinfo"))
            .v1_quota("/sys/fs/cgroup/cpu,cpuacct", 300_000, 100_000)
            .v1_quota("/sys/fs/cgroup/cpu,cpuacct/docker", 100_000, 100_000)
            // memory:/docker/large -> /sys/fs/cgroup/memory/large (root /docker stripped).
            .file("/sys/fs/cgroup/memory/large/memory.limit_in_bytes", "1073741824\n")
            .file("/sys/fs/cgroup/memory/docker/large/memory.limit_in_bytes", "1048576\n")
            .mem(Some(966_367_641)),
        // invalid-cgroup with automaxprocs' /dev/null mountinfo: no cgroup mount, nothing.
        Case::new("proc/invalid-cgroup + empty mountinfo", None)
            .cgroup(p("invalid-cgroup/cgroup"))
            .mountinfo("")
            .v1_quota("/sys/fs/cgroup/cpu/cpu", 400_000, 100_000),
        // The same cgroup file with a cpu mount: automaxprocs rejects the whole file for its bad
        // second line; we skip that line like Go does and use 1:cpu:/cpu (differs on purpose).
        Case::new("proc/invalid-cgroup + cpu mount", Some(4))
            .cgroup(p("invalid-cgroup/cgroup"))
            .mountinfo(CPU_MOUNT)
            .v1_quota("/sys/fs/cgroup/cpu/cpu", 400_000, 100_000),
        // invalid-mountinfo (an ext4 line without super options) with automaxprocs' /dev/null
        // cgroup, and with a cpu line: no cgroup mount either way.
        Case::new("proc/invalid-mountinfo + empty cgroup", None)
            .cgroup("")
            .mountinfo(p("invalid-mountinfo/mountinfo"))
            .v1_quota("/sys/fs/cgroup/cpu", 400_000, 100_000),
        Case::new("proc/invalid-mountinfo + cpu line", None)
            .cgroup("1:cpu:/\n")
            .mountinfo(p("invalid-mountinfo/mountinfo"))
            .v1_quota("/sys/fs/cgroup/cpu", 400_000, 100_000)
            .reason("mount"),
        // untranslatable: cpuacct:/docker is outside its mount's root, which fails automaxprocs
        // as a whole; only the cpu line matters to us (as to Go): /sys/fs/cgroup/cpu/docker.
        Case::new("proc/untranslatable", Some(4))
            .cgroup(p("untranslatable/cgroup"))
            .mountinfo(p("untranslatable/mountinfo"))
            .v1_quota("/sys/fs/cgroup/cpu/docker", 400_000, 100_000),
        // v1-only mountinfo with 0::/ : no cgroup2 mount, nothing (automaxprocs: ErrNotV2).
        Case::new("proc/v2/mountinfo + cgroup-root", None)
            .cgroup(p("v2/cgroup-root"))
            .mountinfo(p("v2/mountinfo"))
            .file("/sys/fs/cgroup/cpu.max", "200000 100000\n"),
        // Hybrid with 0::/ only: cgroup2 is at /sys/fs/cgroup/unified, where the cpu controller
        // is not, so there is no cpu.max: nothing (as Go).
        Case::new("proc/v2/mountinfo-v1-v2 + cgroup-root", None)
            .cgroup(p("v2/cgroup-root"))
            .mountinfo(p("v2/mountinfo-v1-v2")),
        // Hybrid with a v1 cpu line: it wins over 0:: (a planted unified cpu.max must lose).
        Case::new("proc/v2/mountinfo-v1-v2 + v1 cpu line", Some(4))
            .cgroup("4:cpu,cpuacct:/user.slice\n0::/user.slice\n")
            .mountinfo(p("v2/mountinfo-v1-v2"))
            .v1_quota("/sys/fs/cgroup/cpu,cpuacct/user.slice", 400_000, 100_000)
            .file("/sys/fs/cgroup/unified/user.slice/cpu.max", "100000 100000\n")
            // `wslgo env` names the file, the level and the affinity count.
            .reason("4 (400000/100000 in /sys/fs/cgroup/cpu,cpuacct/user.slice/cpu.cfs_quota_us, the shell's cgroup); 8 CPUs"),
        // "0::/" without a newline: Go reports an incomplete line; we read it (the kernel
        // always ends it, and the line is whole). cpu.max on the mount point itself.
        Case::new("proc/v2/mountinfo-v2 + cgroup-root", Some(5))
            .cgroup(p("v2/cgroup-root"))
            .mountinfo(p("v2/mountinfo-v2"))
            .file("/sys/fs/cgroup/cpu.max", "500000 100000\n"),
        Case::new("proc/v2/mountinfo-v2 + cgroup-subdir", Some(5))
            .cgroup(p("v2/cgroup-subdir"))
            .mountinfo(p("v2/mountinfo-v2"))
            .file("/sys/fs/cgroup/Example/cpu.max", "500000 100000\n"),
        // "1::/" is not the v2 line (id must be 0).
        Case::new("proc/v2/mountinfo-v2 + cgroup-no-match", None)
            .cgroup(p("v2/cgroup-no-match"))
            .mountinfo(p("v2/mountinfo-v2"))
            .file("/sys/fs/cgroup/cpu.max", "500000 100000\n"),
        Case::new("proc/v2/mountinfo-v2 + cgroup-invalid", None)
            .cgroup(p("v2/cgroup-invalid"))
            .mountinfo(p("v2/mountinfo-v2"))
            .file("/sys/fs/cgroup/cpu.max", "500000 100000\n"),
    ]);
}

/// automaxprocs' mountinfo line cases.
#[test]
fn automaxprocs_mountinfo_lines() {
    let l = |f: &str| fx(&format!("automaxprocs-testdata-extracted/mountpoint_lines/{f}"));
    // The valid lines together, the WSL 9p line (spaces in its super options) among them: the
    // cgroup line (root /docker at /sys/fs/cgroup/cpu) is found.
    let mut all = l("valid/root.line");
    all.extend(l("valid/wsl.line"));
    all.extend(l("valid/cgroup.line"));
    let mut cases = vec![
        Case::new("mountpoint_lines/valid", Some(4))
            .mountinfo(all)
            .cgroup("1:cpu:/docker/abc\n")
            .v1_quota("/sys/fs/cgroup/cpu/abc", 400_000, 100_000),
    ];
    // The invalid lines are ext4 root mounts, which no cgroup search would use; to make each
    // case able to fail, the same mechanical edit turns the fstype into `cgroup` and the super
    // options into `rw,cpu`. The valid root line so edited is read (the control); each invalid
    // one must still be refused.
    let edit = |b: Vec<u8>| {
        String::from_utf8(b)
            .unwrap()
            .replace(" ext4 ", " cgroup ")
            .replace("rw,errors=remount-ro,data=ordered", "rw,cpu")
    };
    cases.push(
        Case::new("mountpoint_lines/valid/root.line as cgroup (control)", Some(4))
            .mountinfo(edit(l("valid/root.line")))
            .cgroup("1:cpu:/\n")
            .v1_quota("/", 400_000, 100_000),
    );
    for n in 0..8 {
        cases.push(
            Case::new(&format!("mountpoint_lines/invalid/0{n}"), None)
                .mountinfo(edit(l(&format!("invalid/0{n}.line"))))
                .cgroup("1:cpu:/\n")
                .v1_quota("/", 400_000, 100_000),
        );
    }
    check(cases);
}

/// automaxprocs' path translations under a mount whose root is /docker/0123456789abcdef.
#[test]
fn automaxprocs_translate() {
    let mi = fx("automaxprocs-testdata-extracted/translate/mountinfo.line");
    let tsv = String::from_utf8(fx("automaxprocs-testdata-extracted/translate/EXPECTED.tsv")).unwrap();
    let mut cases = Vec::new();
    for row in tsv.lines().skip(1) {
        let f: Vec<&str> = row.split('\t').collect();
        let (path, result, translated) = (f[0], f[1], f.get(2).copied().unwrap_or(""));
        let c = Case::new(&format!("translate {path}"), None)
            .mountinfo(&mi)
            .cgroup(format!("1:cpu:{path}\n"));
        cases.push(if result == "ok" {
            // The quota sits in the translated directory (the source's answer): found.
            Case { want: Some(5), ..c }.v1_quota(translated, 500_000, 100_000)
        } else {
            // Refused: quotas are planted where a naive join, a plain string prefix strip or
            // the mount point would lead; none may be read.
            let rel = path.trim_start_matches('/');
            let naive = format!("/sys/fs/cgroup/cpu/{rel}");
            let stripped = format!("/sys/fs/cgroup/cpu{}", path.strip_prefix("/docker/0123456789abcdef").unwrap_or(""));
            let c = c.v1_quota("/sys/fs/cgroup/cpu", 500_000, 100_000);
            let c = if rel.is_empty() { c } else { c.v1_quota(&naive, 500_000, 100_000) };
            if stripped.starts_with("/sys/fs/cgroup/cpu/") {
                c.v1_quota(&stripped, 500_000, 100_000)
            } else {
                c
            }
        });
    }
    assert_eq!(cases.len(), 11, "every row of translate/EXPECTED.tsv");
    check(cases);
}

/// automaxprocs' /proc/self/cgroup line cases (a path may contain `:`).
#[test]
fn automaxprocs_subsys_lines() {
    let tsv = String::from_utf8(fx("automaxprocs-testdata-extracted/subsys_lines/EXPECTED.tsv")).unwrap();
    let mut cases = Vec::new();
    for row in tsv.lines().skip(1) {
        let f: Vec<&str> = row.split('\t').collect();
        let line = fx(&format!("automaxprocs-testdata-extracted/subsys_lines/{}.line", f[0]));
        let c = Case::new(&format!("subsys_lines/{}", f[0]), None)
            .mountinfo("31 23 0:24 / /sys/fs/cgroup/cpu rw - cgroup cgroup rw,cpu,cpuacct,cpuset\n")
            .cgroup(line);
        cases.push(if f[1] == "ok" {
            let dir = format!("/sys/fs/cgroup/cpu{}", f[4].trim_end_matches('/'));
            Case { want: Some(4), ..c }.v1_quota(&dir, 400_000, 100_000)
        } else {
            // A lenient parser would take `/` (illegal id) and read the mount point's quota.
            c.v1_quota("/sys/fs/cgroup/cpu", 400_000, 100_000)
        });
    }
    assert_eq!(cases.len(), 5);
    check(cases);
}

/// The Go runtime's number cases: v1 `cpu.cfs_quota_us` (period 100000) and v2 `cpu.max`.
#[test]
fn go_runtime_numbers() {
    let v1 = |name: &str, want: Option<u32>| {
        Case::v1_app(&format!("parse_v1_number/{name}"), want)
            .file(
                "/sys/fs/cgroup/cpu/app/cpu.cfs_quota_us",
                fx(&format!("go-runtime/parse_v1_number/{name}")),
            )
            .file("/sys/fs/cgroup/cpu/app/cpu.cfs_period_us", "100000\n")
    };
    let v2 = |name: &str, want: Option<u32>| {
        Case::v2_example(&format!("parse_v2_limit/{name}"), want)
            .file("/sys/fs/cgroup/Example/cpu.max", fx(&format!("go-runtime/parse_v2_limit/{name}")))
    };
    check(vec![
        v1("disabled", None),
        v1("500000", Some(5)),
        // MaxInt64 microseconds per 0.1 s: more CPUs than A; A = 8 caps it.
        v1("MaxInt64", Some(8)),
        // Go rejects a missing newline; we read the number (differs on purpose, as above).
        v1("missing-newline", Some(5)),
        v1("not-a-number", None).reason("cpu.cfs_quota_us"),
        v1("v2", None).reason("cpu.cfs_quota_us"),
        v2("disabled", None),
        v2("5", Some(5)),
        // 0.5 CPU: ceil = 1, and auto never goes below 2 (as Go >= 1.25): 2.
        v2("0.5", Some(2)),
        v2("2.5", Some(3)),
        // MaxInt64/MaxInt64 = 1 CPU: max(2, 1) = 2.
        v2("MaxInt64", Some(2)),
        v2("missing-newline", Some(5)),
        v2("v1", None).reason("cpu.max"),
        v2("quota-not-a-number", None).reason("cpu.max"),
        v2("period-not-a-number", None).reason("cpu.max"),
    ]);
}

/// The Go runtime's escape cases: each escaped path as a cgroup mount point (and, where a
/// /proc/self/cgroup line can hold it, as the mount's root): the limit is found at the
/// decoded path. Invalid escapes make the line unusable (as in Go).
#[test]
fn go_runtime_escapes() {
    use std::os::unix::ffi::OsStrExt;
    let mut cases = Vec::new();
    let dir = fixtures().join("cgroup/go-runtime/escape_path");
    let mut names: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name()).collect();
    names.sort();
    for n in &names {
        let name = n.to_str().unwrap();
        let esc = fx(&format!("go-runtime/escape_path/{name}/escaped"));
        let raw = fx(&format!("go-runtime/escape_path/{name}/unescaped"));
        let rel = |b: &[u8]| b.strip_prefix(b"/").unwrap_or(b).to_vec();
        // As the mount point: /sys/fs/cgroup/<escaped>.
        let mut mi = b"31 23 0:24 / /sys/fs/cgroup/".to_vec();
        mi.extend(rel(&esc));
        mi.extend(b" rw - cgroup cgroup rw,cpu\n");
        let mut qdir = b"/sys/fs/cgroup/".to_vec();
        qdir.extend(rel(&raw));
        cases.push(
            Case::new(&format!("escape_path/{name} (mount point)"), Some(4))
                .mountinfo(mi)
                .cgroup("1:cpu:/\n")
                .file_raw(&[&qdir[..], b"/cpu.cfs_quota_us"].concat(), b"400000\n")
                .file_raw(&[&qdir[..], b"/cpu.cfs_period_us"].concat(), b"100000\n"),
        );
        // As the mount root, with the shell in <root>/leaf. A newline cannot stand in a
        // /proc/self/cgroup line, so that case is only a mount point.
        if !raw.contains(&b'\n') {
            let mut mi = b"31 23 0:24 /".to_vec();
            mi.extend(rel(&esc));
            mi.extend(b" /sys/fs/cgroup/cpu rw - cgroup cgroup rw,cpu\n");
            let mut cg = b"1:cpu:/".to_vec();
            cg.extend(rel(&raw));
            cg.extend(b"/leaf\n");
            cases.push(
                Case::new(&format!("escape_path/{name} (mount root)"), Some(4))
                    .mountinfo(mi)
                    .cgroup(cg)
                    .v1_quota("/sys/fs/cgroup/cpu/leaf", 400_000, 100_000),
            );
        }
    }
    assert_eq!(names.len(), 8, "{names:?}");
    let tsv = String::from_utf8(fx("go-runtime/unescape_invalid/EXPECTED.tsv")).unwrap();
    for row in tsv.lines().skip(1) {
        let case = row.split('\t').next().unwrap();
        let input = fx(&format!("go-runtime/unescape_invalid/{case}"));
        let rel = input.strip_prefix(b"/").unwrap_or(&input).to_vec();
        let mut mi = b"31 23 0:24 / /sys/fs/cgroup/".to_vec();
        mi.extend(&rel);
        mi.extend(b" rw - cgroup cgroup rw,cpu\n");
        // Go's test fails 05 and 06 only because its output buffer is 8 bytes; both are valid
        // (no escape / valid escapes), so we read them: the decoded path holds the quota.
        // 00-04 hold an invalid escape: the line is refused, even with a quota at the literal
        // path a lenient decoder would produce.
        let valid = matches!(case, "05" | "06");
        let decoded = if valid {
            let mut d = b"/sys/fs/cgroup/".to_vec();
            d.extend(unescape(&rel));
            d
        } else {
            [&b"/sys/fs/cgroup/"[..], &rel].concat()
        };
        let c = Case::new(&format!("unescape_invalid/{case}"), valid.then_some(4))
            .mountinfo(mi)
            .cgroup("1:cpu:/\n");
        if std::ffi::OsStr::from_bytes(&decoded).len() < 200 {
            cases.push(
                c.file_raw(&[&decoded[..], b"/cpu.cfs_quota_us"].concat(), b"400000\n")
                    .file_raw(&[&decoded[..], b"/cpu.cfs_period_us"].concat(), b"100000\n"),
            );
        }
    }
    check(cases);
}

/// The kernel's octal escapes, decoded here independently of the code under test.
fn unescape(s: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < s.len() {
        if s[i] == b'\\' && i + 4 <= s.len() {
            let v = (s[i + 1] - b'0') * 64 + (s[i + 2] - b'0') * 8 + (s[i + 3] - b'0');
            out.push(v);
            i += 4;
        } else {
            out.push(s[i]);
            i += 1;
        }
    }
    out
}

/// Bad input: nothing is exported, nothing panics, and the reason names what was wrong.
#[test]
fn bad_input() {
    let app = "/sys/fs/cgroup/cpu/app";
    let fifo_case = Case::v1_app("quota file is a FIFO", None).file(&format!("{app}/cpu.cfs_period_us"), "100000\n");
    let fifo = fifo_case.root.path().join("sys/fs/cgroup/cpu/app/cpu.cfs_quota_us");
    let st = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(st.success());
    let dir_case = Case::v1_app("quota file is a directory", None).file(&format!("{app}/cpu.cfs_period_us"), "100000\n");
    std::fs::create_dir_all(dir_case.root.path().join("sys/fs/cgroup/cpu/app/cpu.cfs_quota_us")).unwrap();
    let huge_mount_point = format!("31 23 0:24 / /sys/fs/cgroup/{} rw - cgroup cgroup rw,cpu\n", "m".repeat(70_000));
    let huge_root = format!("31 23 0:24 /{} /sys/fs/cgroup/cpu rw - cgroup cgroup rw,cpu\n", "r".repeat(70_000));
    let deep = format!("1:cpu:/{}\n", "abcdefgh/".repeat(600));
    check(vec![
        fifo_case.reason("cpu.cfs_quota_us"),
        dir_case.reason("cpu.cfs_quota_us"),
        Case::v1_app("empty quota", None)
            .file(&format!("{app}/cpu.cfs_quota_us"), "")
            .file(&format!("{app}/cpu.cfs_period_us"), "100000\n")
            .reason("cpu.cfs_quota_us"),
        Case::v1_app("huge quota file", None)
            .file(&format!("{app}/cpu.cfs_quota_us"), "9".repeat(4 << 20))
            .file(&format!("{app}/cpu.cfs_period_us"), "100000\n")
            .reason("longer than"),
        Case::v1_app("non-numeric period", None)
            .file(&format!("{app}/cpu.cfs_quota_us"), "200000\n")
            .file(&format!("{app}/cpu.cfs_period_us"), "\u{0}\u{1}binary\u{ff}\n")
            .reason("cpu.cfs_period_us"),
        Case::v1_app("negative quota", None)
            .file(&format!("{app}/cpu.cfs_quota_us"), "-5\n")
            .file(&format!("{app}/cpu.cfs_period_us"), "100000\n")
            .reason("cpu.cfs_quota_us"),
        Case::v1_app("negative period", None)
            .file(&format!("{app}/cpu.cfs_quota_us"), "200000\n")
            .file(&format!("{app}/cpu.cfs_period_us"), "-100000\n")
            .reason("cpu.cfs_period_us"),
        Case::v2_example("cpu.max of binary junk", None)
            .file("/sys/fs/cgroup/Example/cpu.max", b"\xff\xfe\x00 \x01\n".as_slice())
            .reason("cpu.max"),
        Case::v1_app("70 KB mountinfo line (mount point)", None)
            .mountinfo(huge_mount_point)
            .v1_quota(app, 400_000, 100_000)
            .reason("PATH_MAX"),
        Case::v1_app("70 KB mountinfo line (root)", None)
            .mountinfo(huge_root)
            .v1_quota(app, 400_000, 100_000)
            .reason("mount root"),
        Case::new("cgroup path longer than PATH_MAX", None)
            .mountinfo(CPU_MOUNT)
            .cgroup(deep)
            .v1_quota("/sys/fs/cgroup/cpu", 400_000, 100_000)
            .reason("PATH_MAX"),
        Case::new("no /proc/self/cgroup", None)
            .mountinfo(CPU_MOUNT)
            .v1_quota("/sys/fs/cgroup/cpu", 400_000, 100_000)
            .reason("/proc/self/cgroup"),
        Case::v1_app("affinity list is junk: the quota still counts, uncapped", Some(4))
            .v1_quota(app, 400_000, 100_000)
            .cpus("zero-three"),
    ]);
}

/// Memory limits: v1 (the lower of memory.limit_in_bytes and memory.stat's
/// hierarchical_memory_limit, over the ancestors) and v2 memory.max; 2^62 and above is none.
#[test]
fn memory_limits() {
    let v1 = "31 23 0:24 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n";
    let unlimited = "9223372036854771712\n";
    let stat = |h: &str| format!("cache 0\nrss 4096\nhierarchical_memory_limit {h}\nhierarchical_memsw_limit 9223372036854771712\n");
    check(vec![
        // The parent's limit, the shell's cgroup unlimited: floor(0.9 x 2 GiB) = 1932735283.
        Case::new("v1 parent limit", Some(3))
            .mountinfo(v1)
            .cgroup("4:memory:/user/shell\n")
            .file("/sys/fs/cgroup/memory/user/shell/memory.limit_in_bytes", unlimited)
            .file("/sys/fs/cgroup/memory/user/memory.limit_in_bytes", "2147483648\n")
            .file("/sys/fs/cgroup/memory/memory.limit_in_bytes", unlimited)
            .mem(Some(1_932_735_283))
            // cpu and memory in one v1 hierarchy (cpu,memory co-mounted): the quota is on the
            // grandparent, two levels up. auto = min(8, max(2, ceil(2.5))) = 3.
            .mountinfo("31 23 0:24 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,cpu,memory\n")
            .cgroup("4:cpu,memory:/user/shell\n")
            .v1_quota("/sys/fs/cgroup/memory", 250_000, 100_000)
            .reason("2 levels up"),
        // hierarchical_memory_limit lower than any limit_in_bytes visible (set above the mount
        // root, outside a container): it wins. floor(0.9 x 1000000000) = 900000000.
        Case::new("v1 hierarchical limit", None)
            .mountinfo(v1)
            .cgroup("4:memory:/shell\n")
            .file("/sys/fs/cgroup/memory/shell/memory.limit_in_bytes", unlimited)
            .file("/sys/fs/cgroup/memory/shell/memory.stat", stat("1000000000"))
            .mem(Some(900_000_000)),
        Case::new("v1 unlimited", None)
            .mountinfo(v1)
            .cgroup("4:memory:/shell\n")
            .file("/sys/fs/cgroup/memory/shell/memory.limit_in_bytes", unlimited)
            .file("/sys/fs/cgroup/memory/shell/memory.stat", stat(unlimited.trim()))
            .mem(None),
        // Exactly 2^62 means none; one byte less is a limit.
        Case::new("v1 2^62", None)
            .mountinfo(v1)
            .cgroup("4:memory:/shell\n")
            .file("/sys/fs/cgroup/memory/shell/memory.limit_in_bytes", "4611686018427387904\n")
            .mem(None),
        Case::new("v1 2^62-1", None)
            .mountinfo(v1)
            .cgroup("4:memory:/shell\n")
            .file("/sys/fs/cgroup/memory/shell/memory.limit_in_bytes", "4611686018427387903\n")
            .mem(Some(4_150_517_416_584_649_112)),
        Case::new("v1 negative limit", None)
            .mountinfo(v1)
            .cgroup("4:memory:/shell\n")
            .file("/sys/fs/cgroup/memory/shell/memory.limit_in_bytes", "-4096\n")
            .mem(None),
        Case::new("v1 huge limit file", None)
            .mountinfo(v1)
            .cgroup("4:memory:/shell\n")
            .file("/sys/fs/cgroup/memory/shell/memory.limit_in_bytes", "1".repeat(1 << 20))
            .mem(None),
        // v2: the tightest of the leaf and its parent.
        Case::v2_example("v2 memory.max", None)
            .cgroup("0::/a/b\n")
            .file("/sys/fs/cgroup/a/b/memory.max", "max\n")
            .file("/sys/fs/cgroup/a/memory.max", "1073741824\n")
            .mem(Some(966_367_641)),
        // go.memlimit off: never exported; a size: exported as is.
        Case::v2_example("v2 memlimit off", None)
            .file("/sys/fs/cgroup/Example/memory.max", "1073741824\n")
            .config("[go]\nmemlimit = \"off\"\n")
            .mem(None),
        Case::v2_example("v2 memlimit size", None)
            .file("/sys/fs/cgroup/Example/memory.max", "1073741824\n")
            .config("[go]\nmemlimit = \"512MiB\"\n")
            .mem(Some(512 << 20)),
    ]);
}

/// A value the user exported is never replaced, in a cgroup with a quota and a memory limit.
#[test]
fn user_values_are_kept() {
    let c = Case::v2_example("user", None)
        .file("/sys/fs/cgroup/Example/cpu.max", "400000 100000\n")
        .file("/sys/fs/cgroup/Example/memory.max", "1073741824\n");
    for sh in SHELLS {
        let mut sb = Sandbox::new("cgfx");
        sb.set("WSLGO_SYSROOT", c.root.path())
            .set("GOMAXPROCS", "3")
            .set("GOMEMLIMIT", "123MiB");
        let Some(o) = sb.run(sh, "echo \"v=$GOMAXPROCS/$GOMEMLIMIT\"\ncd /\necho \"w=$GOMAXPROCS/$GOMEMLIMIT\"") else {
            continue;
        };
        assert_eq!(o.value("v").as_deref(), Some("3/123MiB"), "{sh}: {}", o.stderr);
        assert_eq!(o.value("w").as_deref(), Some("3/123MiB"), "{sh}");
        let v = env_json(&sb);
        assert_eq!(json_var(&v, "GOMAXPROCS").unwrap()["action"], "keep");
        assert_eq!(json_var(&v, "GOMEMLIMIT").unwrap()["action"], "keep");
    }
    // Control: without the user's values the same system gives 4 and floor(0.9 GiB).
    let mut sb = Sandbox::new("cgfx");
    sb.set("WSLGO_SYSROOT", c.root.path());
    let v = env_json(&sb);
    assert_eq!(json_var(&v, "GOMAXPROCS").unwrap()["value"], "4");
    assert_eq!(json_var(&v, "GOMEMLIMIT").unwrap()["value"], "966367641");
}
