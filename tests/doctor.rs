//! `wslgo doctor`: fake systems built from tests/fixtures/shared under WSLGO_SYSROOT, a fake user
//! in a temp HOME, and the verdicts read back through `--json` (SPEC 7, 8).
//!
//! Two trees carry most of the weight: a healthy WSL2 machine where every check is `ok`, and a
//! broken one where every check that can be wrong is; between them each check is shown both
//! ways. The broken tree's human output is also compared to a golden file.

mod common;
use common::*;
use serde_json::Value;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn fx(rel: &str) -> PathBuf {
    fixtures().join(rel)
}

fn copy(root: &Path, fixture: &str, dst: &str) {
    let text = std::fs::read(fx(fixture)).unwrap_or_else(|e| panic!("fixture {fixture}: {e}"));
    put(root, dst, text);
}

/// A `.wslconfig` fixture (tests/fixtures/shared/wsl/windows, see its MANIFEST.md).
fn win_fx(rel: &str) -> Vec<u8> {
    std::fs::read(fx(&format!("wsl/windows/{rel}"))).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn mkdir(p: &Path) {
    std::fs::create_dir_all(p).unwrap();
}

fn exec(p: &Path, text: &str) {
    mkdir(p.parent().unwrap());
    std::fs::write(p, text).unwrap();
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// A Go SDK at `dir` (bin/go and VERSION).
fn sdk(dir: &Path, version: &str) {
    exec(&dir.join("bin/go"), "#!/bin/sh\necho fake go\n");
    mkdir(&dir.join("pkg/tool"));
    std::fs::write(dir.join("VERSION"), format!("{version}\ntime 2024-01-01T00:00:00Z\n")).unwrap();
    for d in [dir.to_path_buf(), dir.join("bin"), dir.join("pkg/tool")] {
        std::fs::set_permissions(&d, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
}

/// A fake user and an empty system; PATH holds only the sandbox's own bin directory, so
/// nothing of the test machine (its go, its gcc) leaks in.
struct Tree {
    sb: Sandbox,
    root: TempDir,
    bin: PathBuf,
}

impl Tree {
    fn new(tag: &str) -> Tree {
        let mut sb = Sandbox::new(tag);
        let root = sysroot(&[]);
        let bin = sb.dir.path().join("bin");
        mkdir(&bin);
        sb.set("WSLGO_SYSROOT", root.path().as_os_str());
        sb.set("PATH", bin.as_os_str());
        sb.set("SHELL", "/bin/bash");
        let home = sb.home.clone();
        sb.set("PWD", home.as_os_str());
        Tree { sb, root, bin }
    }

    fn r(&self) -> &Path {
        self.root.path()
    }

    /// A WSL2 distro: kernel, the interop entry, NAT's eth0.
    fn wsl2(&self, osrelease: &str) {
        copy(self.r(), osrelease, "/proc/sys/kernel/osrelease");
        copy(
            self.r(),
            "wsl/proc/binfmt_misc/WSLInterop.wsl2-flags-PF.txt",
            "/proc/sys/fs/binfmt_misc/WSLInterop",
        );
        mkdir(&self.r().join("sys/class/net/eth0"));
    }

    fn doctor(&self) -> (Value, i32) {
        let o = wslgo(&self.sb, &["doctor", "--json"]);
        let v: Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
            panic!(
                "doctor --json: {e}\n{}\n{}",
                String::from_utf8_lossy(&o.stdout),
                String::from_utf8_lossy(&o.stderr)
            )
        });
        (v, o.status.code().unwrap_or(-1))
    }
}

/// `(status, summary, fix)` of one check.
fn check(v: &Value, id: &str) -> (String, String, String) {
    let c = v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no check {id} in {v:#}"));
    let s = |k: &str| c[k].as_str().unwrap_or_default().to_string();
    (s("status"), s("summary"), s("fix"))
}

/// Asserts the status of `id` and that summary and fix hold the key words.
fn expect(v: &Value, id: &str, status: &str, summary_has: &[&str], fix_has: &[&str]) {
    let (st, sum, fix) = check(v, id);
    assert_eq!(st, status, "{id}: {sum} / {fix}");
    for w in summary_has {
        assert!(sum.contains(w), "{id} summary lacks {w:?}: {sum}");
    }
    for w in fix_has {
        assert!(fix.contains(w), "{id} fix lacks {w:?}: {fix}");
    }
}

const CGROUP2_MOUNTS: &str = "\
24 1 8:32 / / rw,relatime - ext4 /dev/sdc rw,discard,errors=remount-ro,data=ordered
30 24 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime - cgroup2 cgroup2 rw,nsdelegate
";

/// Every check ok: a current WSL2 with DNS tunneling, a drive mounted with metadata, cgroup v2,
/// a UTF-8 locale, an SDK on PATH, GOPATH/bin on PATH, a safe go env file, gcc, the hook in
/// ~/.bashrc, no ~/.profile to skip.
fn healthy(tag: &str) -> Tree {
    let mut t = Tree::new(tag);
    t.wsl2("wsl/proc/osrelease/osrelease.wsl2-5.15.153.1.txt");
    let drive_d = std::fs::read_to_string(fx("wsl/proc/mounts/mountinfo.wsl2-drvfs-c.synth.txt")).unwrap();
    let drive_d = drive_d.lines().find(|l| l.contains("/mnt/d")).unwrap();
    put(t.r(), "/proc/self/mountinfo", format!("{CGROUP2_MOUNTS}{drive_d}\n"));
    put(t.r(), "/proc/self/cgroup", "0::/\n");
    put(t.r(), "/proc/self/status", "Name:\twslgo\nCpus_allowed_list:\t0-3\n");
    copy(t.r(), "wsl/etc/wsl.conf/wsl.conf.metadata-automount.txt", "/etc/wsl.conf");
    copy(t.r(), "wsl/etc/resolv.conf/resolv.conf.wsl2-dnstunneling.txt", "/etc/resolv.conf");
    copy(
        t.r(),
        "wsl/proc/net/route.wsl2-nat.172.29.64.1.kernelfmt.synth.txt",
        "/proc/net/route",
    );
    mkdir(&t.r().join("usr/lib/locale/C.utf8"));
    sdk(&t.r().join("usr/local/go"), "go1.22.1");
    std::os::unix::fs::symlink(t.r().join("usr/local/go/bin/go"), t.bin.join("go")).unwrap();
    exec(&t.bin.join("gcc"), "#!/bin/sh\n");
    let gobin = t.sb.home.join("go/bin");
    mkdir(&gobin);
    let path = format!("{}:{}", t.bin.display(), gobin.display());
    t.sb.set("PATH", path.clone());
    t.sb.set("LANG", "C.UTF-8");
    put(
        &t.sb.home,
        ".config/go/env",
        "GOPRIVATE=git.corp.example/*\nGOPROXY=https://proxy.golang.org,direct\n",
    );
    put(&t.sb.home, ".bashrc", "# ~/.bashrc\neval \"$(wslgo init bash)\"\n");
    // The gateway (172.29.64.1) is not on this machine: the proxy probe stays off the network.
    t.sb.config("[proxy]\nmode = \"off\"\n");
    // Windows: a .wslconfig, a short Windows PATH without go.exe, git's proxy a corporate one.
    put(
        t.r(),
        "/mnt/c/Users/dev/.wslconfig",
        win_fx("wslconfig/wslconfig.msdocs-example.txt"),
    );
    let path = format!("{path}:/mnt/c/Windows/System32:/mnt/c/Windows");
    t.sb.set("PATH", path);
    put(
        &t.sb.home,
        ".gitconfig",
        "[user]\n\tname = Dev\n[http]\n\tproxy = http://proxy.corp.example:8080\n",
    );
    t
}

#[test]
fn healthy_wsl2_tree_is_all_ok() {
    let t = healthy("doc-ok");
    let (v, code) = t.doctor();
    expect(&v, "wsl.version", "ok", &["WSL2", "NAT"], &[]);
    expect(&v, "wsl.kernel", "ok", &["5.15.153.1"], &[]);
    expect(&v, "wsl.conf", "ok", &["all known"], &[]);
    expect(&v, "drvfs.metadata", "ok", &["/mnt/d", "D:"], &[]);
    expect(&v, "drvfs.workdir", "ok", &[], &[]);
    expect(&v, "dns.resolv", "ok", &["10.255.255.254", "not the Windows host"], &[]);
    expect(&v, "net.host", "ok", &["172.29.64.1", "default gateway"], &[]);
    expect(&v, "proxy.reach", "skip", &["proxy.mode = off"], &[]);
    expect(&v, "cgroup.version", "ok", &["v2"], &[]);
    expect(&v, "go.maxprocs", "ok", &["no CPU quota", "4 CPUs"], &[]);
    expect(&v, "locale.utf8", "ok", &["C.UTF-8"], &[]);
    expect(&v, "go.sdk", "ok", &["go1.22.1", "/usr/local/go"], &[]);
    expect(&v, "go.path", "ok", &["/home/go (go.path = auto: $HOME/go)"], &[]);
    expect(&v, "go.gopath_bin", "ok", &["on PATH"], &[]);
    expect(&v, "go.goroot_owner", "ok", &["go1.22.1"], &[]);
    expect(&v, "go.shadowed", "ok", &["GOROOT's"], &[]);
    expect(&v, "go.env", "ok", &["GOPRIVATE", "checksums verified"], &[]);
    expect(&v, "cgo.toolchain", "ok", &["gcc"], &[]);
    expect(&v, "shell.hook", "ok", &["~/.bashrc"], &[]);
    expect(&v, "shell.startup", "ok", &["no ~/.profile"], &[]);
    expect(
        &v,
        "wsl.wslconfig",
        "ok",
        &["/mnt/c/Users/dev/.wslconfig", "networkingMode nat", "memory 4GB", "processors 2"],
        &[],
    );
    expect(&v, "wsl.winpath", "ok", &["2 Windows directories", "no go.exe"], &[]);
    expect(&v, "git.proxy", "ok", &["proxy.corp.example:8080", "not probed"], &[]);
    assert_eq!(v["counts"]["ok"], 22, "{v:#}");
    assert_eq!(v["counts"]["skip"], 1);
    assert_eq!(code, 0);
    // Every SPEC 8 id, once.
    assert_eq!(v["checks"].as_array().unwrap().len(), 23);
}

/// Many traps at once (also the golden file's tree).
fn broken(tag: &str) -> Tree {
    let mut t = Tree::new(tag);
    t.wsl2("wsl/proc/osrelease/osrelease.wsl2-4.19.128.txt");
    let drive_c = std::fs::read_to_string(fx("wsl/proc/mounts/mountinfo.wsl2-drvfs-c.synth.txt")).unwrap();
    let drive_c = drive_c.lines().find(|l| l.contains("/mnt/c")).unwrap();
    // Hybrid cgroups, the shell in a v1 cpu cgroup limited to 1.5 CPUs.
    let mounts = format!(
        "24 1 8:32 / / rw,relatime - ext4 /dev/sdc rw\n\
         30 24 0:26 / /sys/fs/cgroup/unified rw,nosuid - cgroup2 cgroup2 rw\n\
         31 24 0:27 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid - cgroup cgroup rw,cpu,cpuacct\n\
         {drive_c}\n"
    );
    put(t.r(), "/proc/self/mountinfo", mounts);
    put(t.r(), "/proc/self/cgroup", "3:cpu,cpuacct:/build\n0::/build\n");
    put(t.r(), "/sys/fs/cgroup/cpu,cpuacct/build/cpu.cfs_quota_us", "150000\n");
    put(t.r(), "/sys/fs/cgroup/cpu,cpuacct/build/cpu.cfs_period_us", "100000\n");
    put(t.r(), "/proc/self/status", "Cpus_allowed_list:\t0-7\n");
    let mut conf = std::fs::read_to_string(fx("wsl/etc/wsl.conf/wsl.conf.MISPLACED-wsl2-section.synth.txt")).unwrap();
    conf.push_str("[automount]\noptios = \"metadata\"\n");
    put(t.r(), "/etc/wsl.conf", conf);
    copy(
        t.r(),
        "wsl/etc/resolv.conf/resolv.conf.user-static.generateResolvConf-false.txt",
        "/etc/resolv.conf",
    );
    copy(t.r(), "wsl/proc/net/route.no-default.kernelfmt.synth.txt", "/proc/net/route");
    mkdir(&t.r().join("usr/lib/locale/C.utf8"));
    t.sb.set("LANG", "en_US.UTF-8");
    t.sb.set("PWD", "/mnt/c/Users/dev/src/app");
    exec(&t.bin.join("musl-gcc"), "#!/bin/sh\n");
    t.sb.set("GOOS", "windows");
    t.sb.set("CGO_ENABLED", "1");
    t.sb.set("CC", "musl-gcc");
    put(&t.sb.home, ".config/go/env", "GOSUMDB=off\nGOPROXY=https://goproxy.cn,direct\n");
    put(
        &t.sb.home,
        ".profile",
        "export GOPATH=\"$HOME/work\"\nPATH=\"$HOME/.local/bin:$PATH\"\n",
    );
    t.sb.set("SHELL", "/usr/bin/zsh");
    // Windows: wsl.conf's [boot] in .wslconfig; a Windows go.exe among many Windows PATH
    // entries; git's proxy on a loopback port where nothing listens (port 9, discard).
    let mut wc = win_fx("wslconfig/wslconfig.nat-no-autoproxy.txt");
    wc.extend_from_slice(b"[boot]\nsystemd = true\n");
    put(t.r(), "/mnt/c/Users/dev/.wslconfig", wc);
    put(t.r(), "/mnt/c/Program Files/Go/bin/go.exe", "MZ");
    let mut path = t.bin.display().to_string();
    for d in [
        "Windows/System32",
        "Windows",
        "Windows/System32/Wbem",
        "Program Files/Go/bin",
        "Program Files/Git/cmd",
        "Program Files/dotnet",
        "Users/dev/AppData/Local/Microsoft/WindowsApps",
        "Users/dev/AppData/Local/Programs/Microsoft VS Code/bin",
        "Program Files/Docker/Docker/resources/bin",
        "ProgramData/chocolatey/bin",
    ] {
        path.push_str(&format!(":/mnt/c/{d}"));
    }
    t.sb.set("PATH", path);
    put(&t.sb.home, ".gitconfig", "[http]\n\tproxy = http://127.0.0.1:9\n");
    t
}

#[test]
fn broken_wsl2_tree_warns_and_fails() {
    let t = broken("doc-bad");
    let (v, code) = t.doctor();
    expect(&v, "wsl.kernel", "warn", &["4.19.128", "older than 5.10"], &["wsl --update"]);
    expect(
        &v,
        "wsl.conf",
        "warn",
        &["[wsl2] memory, processors", ".wslconfig", "did you mean `options`"],
        &["%UserProfile%\\.wslconfig", "rename `optios` to `options`", "wsl --shutdown"],
    );
    expect(
        &v,
        "drvfs.metadata",
        "warn",
        &["/mnt/c (C:)", "without metadata"],
        &["options = \"metadata"],
    );
    expect(
        &v,
        "drvfs.workdir",
        "warn",
        &["working directory /mnt/c/Users/dev/src/app is on a Windows drive (C:)"],
        &["under ~"],
    );
    expect(
        &v,
        "dns.resolv",
        "warn",
        &["8.8.8.8", "replaces it"],
        &["generateResolvConf = false"],
    );
    expect(&v, "net.host", "warn", &["no default route"], &["networkingMode"]);
    expect(&v, "proxy.reach", "skip", &["no Windows host"], &[]);
    expect(&v, "cgroup.version", "warn", &["hybrid"], &["cgroup_no_v1=all"]);
    expect(
        &v,
        "go.maxprocs",
        "warn",
        &["CPU quota 1.5 (", "/sys/fs/cgroup/cpu,cpuacct/build/cpu.cfs_quota_us", "8 CPUs"],
        &["GOMAXPROCS=2"],
    );
    expect(
        &v,
        "locale.utf8",
        "warn",
        &["en_US.UTF-8 is not installed", "C.UTF-8 is available"],
        &["LANG=C.UTF-8"],
    );
    expect(&v, "go.sdk", "fail", &["no Go SDK"], &["go.dev/dl"]);
    expect(&v, "go.gopath_bin", "warn", &["not on PATH"], &["export PATH="]);
    expect(&v, "go.goroot_owner", "skip", &["no Go SDK"], &[]);
    expect(
        &v,
        "go.env",
        "fail",
        &["GOSUMDB=off", "go env -w", "checksum verification"],
        &["go env -u GOSUMDB", "GOPRIVATE"],
    );
    expect(
        &v,
        "cgo.toolchain",
        "fail",
        &["musl-gcc", "not Windows"],
        &["gcc-mingw-w64-x86-64", "CC=x86_64-w64-mingw32-gcc"],
    );
    expect(&v, "shell.hook", "warn", &["neither ~/.bashrc nor"], &["wslgo init zsh"]);
    expect(
        &v,
        "shell.startup",
        "warn",
        &["GOPATH, PATH", "zsh login"],
        &["emulate sh -c '. ~/.profile'"],
    );
    expect(
        &v,
        "wsl.wslconfig",
        "warn",
        &["networkingMode nat", "autoProxy false", "[boot] is a section of /etc/wsl.conf"],
        &["/mnt/c/Users/dev/.wslconfig", "wsl.exe --shutdown"],
    );
    expect(
        &v,
        "wsl.winpath",
        "warn",
        &["/mnt/c/Program Files/Go/bin/go.exe", "10 Windows directories", "command-not-found"],
        &["appendWindowsPath = false", "/mnt/c/Windows/System32", "Microsoft VS Code/bin"],
    );
    let (_, _, fix) = check(&v, "wsl.winpath");
    assert!(!fix.contains("Go/bin"), "the fix never adds the Windows Go back: {fix}");
    expect(
        &v,
        "git.proxy",
        "warn",
        &["http.proxy = http://127.0.0.1:9", "refused"],
        &["git config --file", "--unset 'http.proxy'"],
    );
    assert_eq!(code, 1, "a failed check exits 1");
    assert_eq!(v["counts"]["fail"], 3);
}

#[test]
fn human_output_matches_golden() {
    let t = broken("doc-golden");
    let o = wslgo(&t.sb, &["doctor", "--color", "never"]);
    assert_eq!(o.status.code(), Some(1));
    let text = String::from_utf8(o.stdout).unwrap();
    let text = text.replace(&t.sb.dir.path().display().to_string(), "<tmp>");
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/doctor-several-problems.txt");
    if std::env::var_os("WSLGO_UPDATE_GOLDEN").is_some_and(|v| v == "1") {
        std::fs::write(&golden, &text).unwrap();
    }
    let want = std::fs::read_to_string(&golden).expect("golden file (WSLGO_UPDATE_GOLDEN=1 writes it)");
    assert_eq!(text, want, "human output differs from {}", golden.display());
    assert!(!text.contains('\x1b'));
    let coloured = wslgo(&t.sb, &["doctor", "--color", "always"]);
    let c = String::from_utf8_lossy(&coloured.stdout);
    assert!(c.contains("\x1b[31mfail"), "{c}");
    // Not a terminal: auto means no colour.
    assert!(!String::from_utf8_lossy(&wslgo(&t.sb, &["doctor"]).stdout).contains('\x1b'));
}

#[test]
fn plain_linux_skips_wsl_checks_and_still_checks_go_and_shell() {
    let t = Tree::new("doc-linux");
    put(t.r(), "/proc/sys/kernel/osrelease", "6.1.0-18-amd64\n");
    put(t.r(), "/proc/self/mountinfo", CGROUP2_MOUNTS);
    copy(
        t.r(),
        "wsl/etc/resolv.conf/resolv.conf.systemd-resolved-stub.modern.txt",
        "/etc/resolv.conf",
    );
    // A wsl.conf left behind is not looked at off WSL.
    copy(t.r(), "wsl/etc/wsl.conf/wsl.conf.MISPLACED-wsl2-section.synth.txt", "/etc/wsl.conf");
    let (v, _) = t.doctor();
    for id in [
        "wsl.version",
        "wsl.kernel",
        "wsl.conf",
        "drvfs.metadata",
        "drvfs.workdir",
        "net.host",
    ] {
        expect(&v, id, "skip", &["not WSL", "6.1.0-18-amd64"], &[]);
    }
    expect(&v, "proxy.reach", "skip", &["not WSL"], &[]);
    expect(&v, "dns.resolv", "ok", &["systemd-resolved", "127.0.0.53"], &[]);
    expect(&v, "cgroup.version", "ok", &["v2"], &[]);
    for id in [
        "go.sdk",
        "go.path",
        "go.gopath_bin",
        "go.env",
        "cgo.toolchain",
        "shell.hook",
        "shell.startup",
        "locale.utf8",
    ] {
        assert_ne!(check(&v, id).0, "skip", "{id} runs off WSL too");
    }
    expect(&v, "go.sdk", "fail", &["no Go SDK"], &[]);
    expect(&v, "locale.utf8", "fail", &["no UTF-8 locale"], &["locale-gen"]);
}

/// A container on WSL's kernel is not WSL (SPEC 5.5), and WSL1 has no kernel to check.
#[test]
fn wsl1_and_container_on_wsl_kernel() {
    let t = Tree::new("doc-wsl1");
    copy(t.r(), "wsl/proc/osrelease/osrelease.wsl1-19041.txt", "/proc/sys/kernel/osrelease");
    let (v, _) = t.doctor();
    expect(&v, "wsl.version", "warn", &["WSL1"], &["wsl --set-version"]);
    expect(&v, "wsl.kernel", "skip", &["WSL1"], &[]);
    expect(&v, "net.host", "ok", &["127.0.0.1", "WSL1"], &[]);

    let t = Tree::new("doc-container");
    copy(
        t.r(),
        "wsl/proc/osrelease/osrelease.wsl2-5.15.153.1.txt",
        "/proc/sys/kernel/osrelease",
    );
    let (v, _) = t.doctor();
    expect(&v, "wsl.version", "skip", &["container on WSL's kernel"], &[]);
}

#[test]
fn go_sdk_owner_env_and_cgo_variants() {
    // A world-writable SDK fails; GOROOT naming no SDK warns; GONOSUMDB=* fails; a mingw
    // compiler makes a Windows cgo build fine.
    let mut t = healthy("doc-go");
    let goroot = t.r().join("usr/local/go");
    std::fs::set_permissions(goroot.join("bin"), std::fs::Permissions::from_mode(0o777)).unwrap();
    exec(&t.bin.join("x86_64-w64-mingw32-gcc"), "#!/bin/sh\n");
    t.sb.set("GOOS", "windows").set("CGO_ENABLED", "1");
    t.sb.set("GONOSUMDB", "*");
    let (v, code) = t.doctor();
    expect(
        &v,
        "go.goroot_owner",
        "fail",
        &["/usr/local/go/bin", "writable by every user"],
        &["chmod -R go-w"],
    );
    expect(
        &v,
        "go.env",
        "fail",
        &["GONOSUMDB=*", "the environment"],
        &["GONOSUMDB='git.example.com/*'"],
    );
    expect(&v, "cgo.toolchain", "ok", &["x86_64-w64-mingw32-gcc"], &[]);
    assert_eq!(code, 1);

    t.sb.set("GOROOT", t.sb.home.join("nosdk").as_os_str());
    t.sb.unset("GONOSUMDB");
    t.sb.set("GOOS", "linux").set("CGO_ENABLED", "1");
    std::fs::remove_file(t.bin.join("gcc")).unwrap();
    let (v, _) = t.doctor();
    expect(&v, "go.sdk", "warn", &["GOROOT=", "not a Go SDK"], &["unset GOROOT"]);
    expect(
        &v,
        "cgo.toolchain",
        "fail",
        &["CGO_ENABLED=1", "gcc is not on PATH"],
        &["build-essential"],
    );
    t.sb.unset("CGO_ENABLED");
    let (v, _) = t.doctor();
    expect(&v, "cgo.toolchain", "warn", &["no C compiler", "-race"], &["build-essential"]);

    // A second SDK first on PATH shadows GOROOT's.
    t.sb.unset("GOROOT");
    t.sb.set("GOROOT", goroot.as_os_str());
    let other = t.sb.home.join("sdk/go1.21.0");
    sdk(&other, "go1.21.0");
    std::fs::remove_file(t.bin.join("go")).unwrap();
    std::os::unix::fs::symlink(other.join("bin/go"), t.bin.join("go")).unwrap();
    let (v, _) = t.doctor();
    expect(&v, "go.sdk", "ok", &["GOROOT=", "go1.22.1"], &[]);
    expect(
        &v,
        "go.shadowed",
        "warn",
        &["first go on your own PATH", "go1.21.0", "go1.22.1", "rebuild PATH"],
        &["go.root = \"", "interactive"],
    );
    let (_, _, fix) = check(&v, "go.shadowed");
    assert!(!fix.contains("PATH="), "never a PATH edit: {fix}");
}

#[test]
fn go_path_relative_and_gopath_equal_goroot() {
    let mut t = healthy("doc-gopath");
    t.sb.set("GOPATH", "go");
    let (v, code) = t.doctor();
    expect(&v, "go.path", "fail", &["relative"], &["GOPATH="]);
    assert_eq!(code, 1);
    t.sb.set("GOPATH", t.r().join("usr/local/go").as_os_str());
    let (v, _) = t.doctor();
    expect(&v, "go.path", "fail", &["the SDK itself"], &[]);
}

#[test]
fn resolv_conf_kinds_on_wsl() {
    let t = healthy("doc-dns");
    // A hand-written file kept by generateResolvConf = false is fine.
    copy(t.r(), "wsl/etc/wsl.conf/wsl.conf.msdocs-example.txt", "/etc/wsl.conf");
    copy(
        t.r(),
        "wsl/etc/resolv.conf/resolv.conf.user-static.generateResolvConf-false.txt",
        "/etc/resolv.conf",
    );
    let (v, _) = t.doctor();
    expect(&v, "dns.resolv", "ok", &["8.8.8.8", "kept"], &[]);
    // WSL's generated NAT file left behind after turning generation off is stale.
    copy(
        t.r(),
        "wsl/etc/resolv.conf/resolv.conf.wsl2-nat.172.29.64.1.txt",
        "/etc/resolv.conf",
    );
    let (v, _) = t.doctor();
    expect(
        &v,
        "dns.resolv",
        "warn",
        &["still WSL's old file", "172.29.64.1"],
        &["sudo tee /etc/resolv.conf"],
    );
    // No nameserver at all fails.
    put(t.r(), "/etc/resolv.conf", "# empty\n");
    let (v, code) = t.doctor();
    expect(&v, "dns.resolv", "fail", &["no nameserver"], &[]);
    assert_eq!(code, 1);
}

#[test]
fn proxy_reach_up_and_refused_on_loopback() {
    let t = healthy("doc-proxy");
    // Mirrored networking: the Windows host is 127.0.0.1.
    mkdir(&t.r().join("sys/class/net/loopback0"));
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    t.sb.config(&format!("[proxy]\nport = {port}\n"));
    let (v, _) = t.doctor();
    expect(&v, "net.host", "ok", &["127.0.0.1", "mirrored"], &[]);
    expect(&v, "proxy.reach", "ok", &[&format!("http://127.0.0.1:{port}")], &[]);
    // Doctor ran the hook's probe: its answer is in the hook's cache for the next prompt.
    let entry = t.sb.dir.path().join(format!("run/wslgo/proxy-127.0.0.1-{port}"));
    let cached = std::fs::read_to_string(&entry).unwrap_or_else(|e| panic!("{}: {e}", entry.display()));
    assert!(cached.split_whitespace().any(|w| w == "up"), "{cached}");
    drop(l);
    let start = Instant::now();
    let (v, _) = t.doctor();
    // Mirrored mode reaches Windows' own loopback: refused means nothing listens (the hook's
    // proxy-refused text, one source for both).
    expect(&v, "proxy.reach", "warn", &["nothing listens", "refused"], &["start the proxy app"]);
    assert!(start.elapsed() < Duration::from_secs(5));
}

/// A listener whose accept queue is full drops new SYNs, as a firewall does: the probe gives
/// up after its 1 s bound and says so.
#[test]
fn proxy_reach_timeout_is_bounded() {
    let t = healthy("doc-proxy-drop");
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    let mut held = Vec::new();
    let mut full = false;
    for _ in 0..5000 {
        match std::net::TcpStream::connect_timeout(&l.local_addr().unwrap(), Duration::from_millis(200)) {
            Ok(s) => held.push(s),
            Err(_) => {
                full = true;
                break;
            }
        }
    }
    assert!(full, "the accept queue never filled");
    t.sb.config(&format!("[proxy]\nhost = \"127.0.0.1\"\nport = {port}\n"));
    let start = Instant::now();
    let (v, _) = t.doctor();
    let took = start.elapsed();
    expect(&v, "proxy.reach", "warn", &["no answer within 1 s"], &[]);
    assert!(took < Duration::from_secs(4), "doctor took {took:?}");
    drop(held);
}

#[test]
fn hostile_tree_finishes_and_reports_what_it_could_not_read() {
    let t = Tree::new("doc-hostile");
    // WSL2, but no /proc/self at all (no mountinfo, no cgroup).
    t.wsl2("wsl/proc/osrelease/osrelease.wsl2-5.15.153.1.txt");
    // A binary wsl.conf.
    let junk: Vec<u8> = (0..4096u32).map(|i| (i.wrapping_mul(2654435761) >> 13) as u8).collect();
    put(t.r(), "/etc/wsl.conf", &junk);
    // 1 GB sparse files where small text files belong.
    for p in ["etc/resolv.conf", "usr/lib/locale/locale-archive", "proc/net/route"] {
        let f = t.r().join(p);
        mkdir(f.parent().unwrap());
        std::fs::File::create(&f).unwrap().set_len(1 << 30).unwrap();
    }
    let f = std::fs::File::create(t.sb.home.join(".bashrc")).unwrap();
    f.set_len(1 << 30).unwrap();
    // A FIFO as the go env file: opening it for reading would block forever.
    mkdir(&t.sb.home.join(".config/go"));
    let st = std::process::Command::new("mkfifo")
        .arg(t.sb.home.join(".config/go/env"))
        .status()
        .unwrap();
    assert!(st.success());
    // A directory where ~/.profile belongs.
    mkdir(&t.sb.home.join(".profile"));
    let start = Instant::now();
    let (v, code) = t.doctor();
    let took = start.elapsed();
    assert!(took < Duration::from_secs(10), "doctor took {took:?}");
    expect(&v, "wsl.conf", "warn", &["not a text file"], &[]);
    expect(&v, "drvfs.metadata", "skip", &["cannot read /proc/self/mountinfo"], &[]);
    expect(&v, "cgroup.version", "skip", &["cannot read /proc/self/mountinfo"], &[]);
    expect(&v, "dns.resolv", "fail", &["no nameserver"], &[]);
    expect(&v, "net.host", "warn", &["/proc/net/route", "unknown"], &[]);
    expect(&v, "go.env", "warn", &["cannot read", "not a regular file"], &[]);
    expect(&v, "shell.startup", "warn", &["cannot read ~/.profile"], &[]);
    expect(&v, "locale.utf8", "fail", &["locale-archive"], &[]);
    assert_eq!(code, 1);
    assert_eq!(v["checks"].as_array().unwrap().len(), 23);
}

/// Unreadable files and directories for a user who is not root (root reads everything, so
/// doctor runs as `nobody` through setpriv).
#[test]
fn unreadable_as_unprivileged_user() {
    let Some(setpriv) = ["/usr/bin/setpriv", "/bin/setpriv"].iter().map(Path::new).find(|p| p.exists()) else {
        common::skip("setpriv is not installed");
        return;
    };
    let t = healthy("doc-perm");
    // Let `nobody` reach the trees, then lock /etc and the go env file.
    for d in [t.sb.dir.path(), t.r()] {
        let _ = std::process::Command::new("chmod").arg("-R").arg("a+rX").arg(d).status();
    }
    let etc = t.r().join("etc");
    std::fs::set_permissions(&etc, std::fs::Permissions::from_mode(0o000)).unwrap();
    std::fs::set_permissions(t.sb.home.join(".config/go/env"), std::fs::Permissions::from_mode(0o000)).unwrap();
    let mut c = std::process::Command::new(setpriv);
    c.args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
        .arg(&t.sb.bin)
        .args(["doctor", "--json"]);
    c.env_clear();
    for (k, v) in &t.sb.env {
        c.env(k, v);
    }
    let o = c.current_dir("/").output().unwrap();
    let v: Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&o.stderr)));
    expect(&v, "wsl.conf", "warn", &["cannot read /etc/wsl.conf", "permission denied"], &[]);
    expect(
        &v,
        "dns.resolv",
        "fail",
        &["cannot read /etc/resolv.conf", "permission denied"],
        &[],
    );
    expect(&v, "go.env", "warn", &["permission denied"], &[]);
    assert_eq!(o.status.code(), Some(1));
    std::fs::set_permissions(&etc, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// In a real interactive shell with the snippet, doctor sees the hook at work: GOPATH/bin on
/// PATH and wslgo's state in the environment.
#[test]
fn in_a_real_shell_the_hook_is_active() {
    for sh in SHELLS {
        let t = healthy("doc-shell");
        let rc = if *sh == "zsh" {
            t.sb.dir.path().join("zdot/.zshrc")
        } else {
            t.sb.home.join(".bashrc")
        };
        let mut sb = t.sb;
        sb.set("SHELL", format!("/bin/{sh}"));
        // Only the hook may put GOPATH/bin on PATH.
        sb.set("PATH", t.bin.as_os_str());
        let bin = sb.bin.display().to_string();
        let Some(o) = sb.run(sh, &format!("'{bin}' doctor --json > \"$HOME/out.json\"; echo rc=$?")) else {
            continue;
        };
        assert!(rc.exists() || *sh == "zsh", "{sh}: rc file");
        let v: Value = serde_json::from_slice(&std::fs::read(sb.home.join("out.json")).unwrap())
            .unwrap_or_else(|e| panic!("{sh}: {e}; stderr {}", o.stderr));
        expect(&v, "shell.hook", "ok", &["active in this shell"], &[]);
        assert_eq!(o.value("rc").as_deref(), Some("0"), "{sh}: {}", o.stderr);
        let _ = t.root;
    }
}

/// go.maxprocs and the prompt hook share one probe and one rule: a quota on a parent slice
/// (the leaf has none) is found by both, and the GOMAXPROCS doctor asks for is the one
/// `wslgo env` plans, for `auto` and for `floor`.
#[test]
fn maxprocs_agrees_with_the_hook_on_a_parent_quota() {
    let mut t = healthy("doc-maxprocs");
    put(t.r(), "/proc/self/mountinfo", CGROUP2_MOUNTS);
    put(t.r(), "/proc/self/cgroup", "0::/user.slice/build\n");
    put(t.r(), "/sys/fs/cgroup/user.slice/cpu.max", "250000 100000\n");
    put(t.r(), "/sys/fs/cgroup/user.slice/build/cpu.max", "max 100000\n");
    let mut seen = Vec::new();
    for (mode, cfg) in [("auto", ""), ("floor", "[go]\nmaxprocs = \"floor\"\n")] {
        t.sb.unset("GOMAXPROCS");
        t.sb.config(&format!("[proxy]\nmode = \"off\"\n{cfg}"));
        let env = env_json(&t.sb);
        let planned = json_var(&env, "GOMAXPROCS")
            .and_then(|v| v["value"].as_str())
            .unwrap_or_else(|| panic!("{mode}: no GOMAXPROCS planned: {env:#}"))
            .to_string();
        let n: u32 = planned.parse().unwrap();
        seen.push(n);
        // Unset, with an SDK older than 1.25: the hook's value is the fix.
        let (v, _) = t.doctor();
        expect(
            &v,
            "go.maxprocs",
            "warn",
            &["CPU quota 2.5", "/sys/fs/cgroup/user.slice/cpu.max", "4 CPUs"],
            &[&format!("GOMAXPROCS={planned}")],
        );
        // One more than the hook would export is too many; the hook's own value fits.
        t.sb.set("GOMAXPROCS", (n + 1).to_string());
        let (v, _) = t.doctor();
        expect(
            &v,
            "go.maxprocs",
            "warn",
            &[&format!("GOMAXPROCS={}", n + 1)],
            &[&format!("GOMAXPROCS={planned}")],
        );
        t.sb.set("GOMAXPROCS", planned.clone());
        let (v, _) = t.doctor();
        expect(&v, "go.maxprocs", "ok", &[&format!("GOMAXPROCS={planned} fits")], &[]);
    }
    assert_ne!(seen[0], seen[1], "auto and floor size a 2.5-CPU quota differently");
}

/// shell.startup reads ~/.profile with the hook's strict simulation: a PATH line guarded by a
/// directory that does not exist sets nothing, so skipping the file costs nothing; once the
/// directory exists, zsh skipping it is a trap, with the same fix `profile-skipped` gives; a
/// ~/.zprofile that sources it (inside `emulate sh -c`) makes every mode read it.
#[test]
fn startup_follows_the_hooks_profile_rules() {
    let mut t = healthy("doc-startup");
    t.sb.set("SHELL", "/usr/bin/zsh");
    put(
        &t.sb.home,
        ".profile",
        "# set PATH so it includes user's private bin if it exists\nif [ -d \"$HOME/.local/bin\" ] ; then\n    PATH=\"$HOME/.local/bin:$PATH\"\nfi\n",
    );
    let (v, _) = t.doctor();
    expect(&v, "shell.startup", "ok", &["sets nothing"], &[]);

    mkdir(&t.sb.home.join(".local/bin"));
    let (v, _) = t.doctor();
    expect(&v, "shell.startup", "warn", &["sets PATH", "zsh login", "zsh non-login"], &[]);
    let fix = check(&v, "shell.startup").2;
    let env = env_json(&t.sb);
    let hook: Vec<&str> = env["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|w| w["id"] == "profile-skipped")
        .filter_map(|w| w["message"].as_str())
        .collect();
    assert_eq!(hook.len(), 1, "{env:#}");
    assert!(hook[0].contains(&fix), "doctor's fix {fix:?} is not the hook's: {}", hook[0]);

    put(&t.sb.home, ".zprofile", "emulate sh -c '. ~/.profile'\n");
    let (v, _) = t.doctor();
    expect(&v, "shell.startup", "ok", &["sets PATH", "read by"], &[]);
}

/// Doctor's Windows side, each check both ways beyond the two trees: the profile that interop
/// names wins over other profiles (and a hanging interop costs only its bound), the old
/// `[experimental]` placement, a UTF-16 file, a typo; the Windows PATH turned off in wsl.conf;
/// git's proxy at an earlier WSL start's Windows address (XDG git config, never probed), and
/// one on loopback that answers.
#[test]
fn windows_side_checks_both_ways() {
    let wsl = |tag: &str| {
        let t = Tree::new(tag);
        t.wsl2("wsl/proc/osrelease/osrelease.wsl2-5.15.153.1.txt");
        copy(
            t.r(),
            "wsl/proc/net/route.wsl2-nat.172.29.64.1.kernelfmt.synth.txt",
            "/proc/net/route",
        );
        t.sb.config("[proxy]\nmode = \"off\"\n");
        t
    };
    // Interop names alice's profile; bob has a .wslconfig too.
    let t = wsl("doc-win-interop");
    exec(
        &t.r().join("mnt/c/Windows/System32/cmd.exe"),
        "#!/bin/sh\nprintf 'C:\\\\Users\\\\alice\\r\\n'\n",
    );
    put(
        t.r(),
        "/mnt/c/Users/alice/.wslconfig",
        win_fx("wslconfig/wslconfig.mirrored-autoproxy.txt"),
    );
    put(t.r(), "/mnt/c/Users/bob/.wslconfig", "[wsl2]\nmemory=1GB\n");
    let (v, _) = t.doctor();
    expect(
        &v,
        "wsl.wslconfig",
        "ok",
        &[
            "/mnt/c/Users/alice/.wslconfig",
            "asked through interop",
            "networkingMode mirrored",
            "autoProxy true",
        ],
        &[],
    );

    // Interop hangs: doctor waits its bound, then finds the one profile with a .wslconfig.
    let t = wsl("doc-win-hang");
    exec(&t.r().join("mnt/c/Windows/System32/cmd.exe"), "#!/bin/sh\nsleep 30\n");
    put(
        t.r(),
        "/mnt/c/Users/dev/.wslconfig",
        win_fx("wslconfig/wslconfig.legacy-experimental-section.txt"),
    );
    let start = Instant::now();
    let (v, _) = t.doctor();
    assert!(start.elapsed() < Duration::from_secs(8), "{:?}", start.elapsed());
    expect(
        &v,
        "wsl.wslconfig",
        "ok",
        &["/mnt/c/Users/dev/.wslconfig", "networkingMode mirrored", "[experimental]"],
        &[],
    );

    // A typo and a bad value; then a UTF-16 file (Notepad's "Unicode").
    let t = wsl("doc-win-typo");
    put(
        t.r(),
        "/mnt/c/Users/dev/.wslconfig",
        "[wsl2]\nnetworkingMode=mirored\nautoProxi=false\nprocessors=4\n",
    );
    let (v, _) = t.doctor();
    expect(
        &v,
        "wsl.wslconfig",
        "warn",
        &[
            "mirored: expected nat or mirrored",
            "autoProxi (did you mean autoProxy?)",
            "processors 4",
        ],
        &["wsl.exe --shutdown"],
    );
    let utf16: Vec<u8> = "[wsl2]\r\nmemory=4GB\r\n".encode_utf16().flat_map(u16::to_le_bytes).collect();
    put(t.r(), "/mnt/c/Users/dev/.wslconfig", [&[0xff, 0xfe][..], &utf16].concat());
    let (v, _) = t.doctor();
    expect(&v, "wsl.wslconfig", "warn", &["not plain text"], &["UTF-8"]);

    // appendWindowsPath = false and no Windows directory on PATH.
    let t = wsl("doc-win-path");
    put(t.r(), "/etc/wsl.conf", "[interop]\nappendWindowsPath = false\n");
    let (v, _) = t.doctor();
    expect(&v, "wsl.winpath", "ok", &["appendWindowsPath = false"], &[]);

    // git: an earlier start's Windows host in the XDG file (today's gateway is 172.29.64.1).
    let mut t = wsl("doc-win-git");
    let xdg = t.sb.dir.path().join("xdg");
    t.sb.set("XDG_CONFIG_HOME", xdg.as_os_str());
    put(&xdg, "git/config", "[http]\n\tproxy = http://172.25.32.1:7890\n");
    let (v, _) = t.doctor();
    expect(
        &v,
        "git.proxy",
        "warn",
        &["172.25.32.1", "earlier WSL start", "today's is 172.29.64.1"],
        &["git config --file", "xdg/git/config", "--unset 'http.proxy'"],
    );

    // git: a proxy on loopback that answers.
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let t = wsl("doc-win-git-up");
    put(
        &t.sb.home,
        ".gitconfig",
        format!("[https]\n\tproxy = http://127.0.0.1:{}\n", l.local_addr().unwrap().port()),
    );
    let (v, _) = t.doctor();
    expect(&v, "git.proxy", "ok", &["https.proxy", "answers"], &[]);

    // Not WSL: skipped.
    let t = Tree::new("doc-win-linux");
    put(t.r(), "/proc/sys/kernel/osrelease", "6.1.0-18-amd64\n");
    let (v, _) = t.doctor();
    expect(&v, "wsl.wslconfig", "skip", &["not WSL"], &[]);
    expect(&v, "wsl.winpath", "skip", &["not WSL"], &[]);
}

/// A bash user (`$SHELL` bash, no zsh startup file) whose bash login reads ~/.profile is not
/// told to write a ~/.zprofile for a zsh they never start: shell.startup is ok and says zsh is
/// not in use. Once zsh is in use (a ~/.zshrc, or `$SHELL` zsh), its skipping counts again.
#[test]
fn startup_judges_zsh_only_when_it_is_in_use() {
    let mut t = healthy("doc-startup-bash");
    t.sb.set("SHELL", "/bin/bash");
    put(&t.sb.home, ".profile", "export EDITOR_T=vim\n");
    let (v, _) = t.doctor();
    expect(&v, "shell.startup", "ok", &["read by bash login", "zsh is not in use"], &[]);
    assert!(!check(&v, "shell.startup").2.contains("zprofile"), "{v:#}");

    put(&t.sb.home, ".zshrc", "eval \"$(wslgo init zsh)\"\n");
    let (v, _) = t.doctor();
    expect(&v, "shell.startup", "warn", &["zsh login"], &["emulate sh -c '. ~/.profile'"]);

    std::fs::remove_file(t.sb.home.join(".zshrc")).unwrap();
    t.sb.set("SHELL", "/usr/bin/zsh");
    let (v, _) = t.doctor();
    expect(&v, "shell.startup", "warn", &["zsh login"], &["emulate sh -c '. ~/.profile'"]);
}

/// fish counts for `shell.hook`: a config.fish with `wslgo init fish | source` (at
/// $XDG_CONFIG_HOME) is the hook when $SHELL is fish; without it the fix is the fish line.
#[test]
fn shell_hook_knows_fish() {
    for with_line in [true, false] {
        let mut sb = Sandbox::new("doc-fish");
        sb.set("SHELL", "/usr/bin/fish");
        let xdg = sb.home.join("xdg");
        sb.set("XDG_CONFIG_HOME", &xdg);
        std::fs::create_dir_all(xdg.join("fish")).unwrap();
        if with_line {
            std::fs::write(xdg.join("fish/config.fish"), "set -gx EDITOR vim\nwslgo init fish | source\n").unwrap();
        }
        let o = wslgo(&sb, &["doctor", "--json"]);
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        let c = v["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == "shell.hook")
            .unwrap()
            .clone();
        if with_line {
            assert_eq!(c["status"], "ok", "{c}");
            assert!(
                c["summary"]
                    .as_str()
                    .unwrap()
                    .contains("~/xdg/fish/config.fish (your shell is fish)"),
                "{c}"
            );
        } else {
            assert_eq!(c["status"], "warn", "{c}");
            assert_eq!(c["fix"], "echo 'wslgo init fish | source' >> ~/xdg/fish/config.fish", "{c}");
        }
    }
}

/// Doctor run outside a hooked shell while ~/.bashrc already has the line (a shell opened
/// before `wslgo setup`): every fix that would bring in wslgo says the line is there and to
/// start a new shell, as `shell.hook` reports, instead of asking to add it; where the line is
/// missing, the same fixes still ask for it.
#[test]
fn fixes_outside_a_hooked_shell_agree_with_shell_hook() {
    for has_line in [true, false] {
        let mut t = healthy("doc-unhooked");
        // Not hooked: no locale, no GOPATH/bin and no go on PATH.
        t.sb.unset("LANG");
        t.sb.set("PATH", t.r().join("nothing").as_os_str());
        if !has_line {
            put(&t.sb.home, ".bashrc", "# ~/.bashrc\n");
        }
        let (v, _) = t.doctor();
        let hook = check(&v, "shell.hook");
        assert_eq!(hook.0, if has_line { "ok" } else { "warn" }, "{hook:?}");
        for id in ["locale.utf8", "go.sdk", "go.gopath_bin"] {
            let (st, sum, fix) = check(&v, id);
            assert_eq!(st, "warn", "{id}: {sum} / {fix}");
            if has_line {
                assert!(!fix.contains("wslgo init"), "{id} asks to add the line that is there: {fix}");
                assert!(
                    fix.contains("the line is in ~/.bashrc; open a new shell or `exec $SHELL`"),
                    "{id}: {fix}"
                );
            } else {
                assert!(fix.contains("eval \"$(wslgo init bash)\" in ~/.bashrc"), "{id}: {fix}");
            }
        }
    }
}
