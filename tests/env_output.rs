//! `wslgo env` for people (issue 13): by default only what wslgo sets, changes or keeps for a
//! reason worth reading, the proxy variables as one row; `--all` every managed variable; the
//! JSON complete in SPEC 7's shape. The human output of two fake systems is compared to golden
//! files under tests/golden (`WSLGO_UPDATE_GOLDEN=1` rewrites them).

mod common;
use common::*;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

const MOUNTS: &str = "24 1 8:32 / / rw,relatime - ext4 /dev/sdc rw\n30 24 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime - cgroup2 cgroup2 rw,nsdelegate\n";

/// A Go SDK at system path `dir` inside the sysroot.
fn sdk(root: &Path, dir: &str, version: &str) {
    put(root, &format!("{dir}/bin/go"), "#!/bin/sh\necho fake go\n");
    let go = root.join(dir.trim_start_matches('/')).join("bin/go");
    std::fs::set_permissions(&go, std::fs::Permissions::from_mode(0o755)).unwrap();
    put(root, &format!("{dir}/VERSION"), format!("{version}\ntime 2024-01-01T00:00:00Z\n"));
}

/// Plain Linux with a C.utf8 locale, an SDK in /usr/local/go, a cgroup v2 CPU quota of 1.5.
fn plain_linux() -> (TempDir, Sandbox) {
    let root = sysroot(&[]);
    let r = root.path();
    put(r, "/proc/sys/kernel/osrelease", "6.1.0-13-amd64\n");
    std::fs::create_dir_all(r.join("usr/lib/locale/C.utf8")).unwrap();
    sdk(r, "/usr/local/go", "go1.22.5");
    put(r, "/proc/self/mountinfo", MOUNTS);
    put(r, "/proc/self/cgroup", "0::/user.slice\n");
    put(r, "/proc/self/status", "Name:\twslgo\nCpus_allowed_list:\t0-3\n");
    put(r, "/sys/fs/cgroup/user.slice/cpu.max", "150000 100000\n");
    put(r, "/sys/fs/cgroup/user.slice/memory.max", "max\n");
    let mut sb = Sandbox::new("envout");
    let bin = sb.dir.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    sb.set("WSLGO_SYSROOT", r.as_os_str()).set("PATH", bin.as_os_str());
    sb.unset("LANG").unset("LC_ALL");
    (root, sb)
}

/// Replaces what differs between runs: the temp directories, a port, timings.
fn normalize(text: &str, sb: &Sandbox, root: &Path, port: Option<u16>) -> String {
    let mut t = text
        .replace(&root.display().to_string(), "<root>")
        .replace(&sb.dir.path().display().to_string(), "<sandbox>");
    if let Some(p) = port {
        t = t.replace(&p.to_string(), "<port>");
    }
    // "in 0.05 ms" -> "in <t> ms"
    let mut out = String::new();
    let mut rest = t.as_str();
    while let Some(i) = rest.find("in ") {
        out.push_str(&rest[..i + 3]);
        rest = &rest[i + 3..];
        let n = rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(rest.len());
        if n > 0 && rest[n..].starts_with(" ms") {
            out.push_str("<t>");
            rest = &rest[n..];
        }
    }
    out.push_str(rest);
    out
}

fn golden(name: &str, text: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden").join(name);
    if std::env::var_os("WSLGO_UPDATE_GOLDEN").is_some_and(|v| v == "1") {
        std::fs::write(&path, text).unwrap();
    }
    let want = std::fs::read_to_string(&path).expect("golden file (WSLGO_UPDATE_GOLDEN=1 writes it)");
    assert_eq!(text, want, "wslgo env output differs from {}", path.display());
}

fn env_text(sb: &Sandbox, args: &[&str]) -> String {
    let o = wslgo(sb, args);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap()
}

fn row_names(text: &str) -> Vec<String> {
    text.lines()
        .filter(|l| l.starts_with("set ") || l.starts_with("unset ") || l.starts_with("keep "))
        .map(|l| l.split_whitespace().nth(1).unwrap().to_string())
        .collect()
}

#[test]
fn plain_linux_shows_what_wslgo_sets_and_nothing_left_alone() {
    let (root, mut sb) = plain_linux();
    sb.set("LC_TIME", "C.UTF-8").set("GOPATH", "/srv/gopath");
    let text = env_text(&sb, &["env"]);
    golden("env-plain-linux.txt", &normalize(&text, &sb, root.path(), None));
    // No row for a variable wslgo leaves unset and the shell does not have.
    assert_eq!(
        row_names(&text),
        ["LANG", "LC_ALL", "GOROOT", "GOPATH", "GOMAXPROCS", "PATH"],
        "{text}"
    );
    assert!(text.contains("LC_TIME"), "why LC_ALL is left out: {text}");
    // --all: every managed variable, one row each.
    let all = env_text(&sb, &["env", "--all"]);
    let names = row_names(&all);
    for v in [
        "LANG",
        "LC_ALL",
        "GOROOT",
        "GOPATH",
        "GOBIN",
        "GOMAXPROCS",
        "GOMEMLIMIT",
        "http_proxy",
        "NO_PROXY",
        "ALL_PROXY",
        "GOPROXY",
        "GOPRIVATE",
        "GONOSUMDB",
        "GONOPROXY",
        "PATH",
    ] {
        assert!(names.iter().any(|n| n == v), "{v} missing from --all: {all}");
    }
    // JSON: complete, in SPEC 7's shape.
    let v = env_json(&sb);
    let vars = v["vars"].as_array().unwrap();
    assert!(vars.len() >= 19, "{v}");
    for x in vars {
        assert!(x["name"].is_string() && x["reason"].is_string(), "{x}");
        assert!(["set", "unset", "keep"].contains(&x["action"].as_str().unwrap()), "{x}");
        assert!(x["value"].is_string() || x["value"].is_null(), "{x}");
    }
    assert_eq!(v["platform"]["kind"], "linux");
    assert!(v["warnings"].is_array());
}

#[test]
fn wsl2_with_the_proxy_up_folds_the_proxy_variables_into_one_row() {
    let (root, mut sb) = plain_linux();
    let r = root.path();
    // What a WSL2 kernel and its interop registration show (as in the team's fixtures).
    put(r, "/proc/sys/kernel/osrelease", "5.15.153.1-microsoft-standard-WSL2\n");
    put(
        r,
        "/proc/sys/fs/binfmt_misc/WSLInterop",
        "enabled\ninterpreter /init\nflags: PF\noffset 0\nmagic 4d5a\n",
    );
    sb.set("WSL_DISTRO_NAME", "Ubuntu");
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    sb.config(&format!(
        "[proxy]\nhost = \"127.0.0.1\"\nport = {port}\nno_proxy = [\".corp\"]\n[go]\ngoproxy = \"https://goproxy.io,direct\"\n"
    ));
    let text = env_text(&sb, &["env"]);
    golden("env-wsl2-proxy-up.txt", &normalize(&text, &sb, r, Some(port)));
    assert_eq!(
        row_names(&text)
            .iter()
            .filter(|n| n.contains("proxy") || n.contains("PROXY"))
            .collect::<Vec<_>>(),
        ["GOPROXY", "proxy"],
        "{text}"
    );
    assert!(
        text.contains(&format!("http://127.0.0.1:{port} (no_proxy=localhost,127.0.0.1,::1,.corp)")),
        "{text}"
    );
    drop(listener);
}

#[test]
fn a_variable_the_user_unset_is_not_called_set_by_the_user() {
    let (_root, sb) = plain_linux();
    for sh in SHELLS {
        let Some(o) = sb.run(sh, "unset GOPATH\ncd /\ncd /tmp\nwslgo env --color never\necho DONE=1\n") else {
            return;
        };
        assert_eq!(o.value("DONE").as_deref(), Some("1"), "{sh}: {}", o.stderr);
        let i = o.stdout.find("GOPATH").unwrap_or_else(|| panic!("{sh}: {}", o.stdout));
        let row: String = o.stdout[i..].lines().take(2).collect::<Vec<_>>().join(" | ");
        assert!(row.contains("unset by the user"), "{sh}: {row}");
        assert!(
            !row.contains("set by the user;") || row.contains("unset by the user"),
            "{sh}: {row}"
        );
    }
}

/// The binary reads its environment from the vector the C runtime hands `main` (borrowed, not
/// copied: src/shellenv.rs): a value holding `=` is whole, an empty value is set (not absent),
/// and a variable the shell did not export is absent.
#[test]
fn the_environment_is_read_as_the_shell_exported_it() {
    let mut sb = Sandbox::new("envp");
    sb.set("GOPATH", "/tmp/a=b=c").set("GOBIN", "");
    sb.unset("GOROOT");
    let v = env_json(&sb);
    let var = |n: &str| json_var(&v, n).unwrap_or_else(|| panic!("no {n} in {v}")).clone();
    assert_eq!(var("GOPATH")["value"], "/tmp/a=b=c", "{}", var("GOPATH"));
    assert_eq!(var("GOPATH")["action"], "keep", "the user's GOPATH is kept: {}", var("GOPATH"));
    assert_eq!(var("GOBIN")["value"], "", "{}", var("GOBIN"));
    assert_eq!(
        var("GOBIN")["action"],
        "keep",
        "an empty GOBIN is set, and the user's: {}",
        var("GOBIN")
    );
}
