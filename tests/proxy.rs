//! The proxy (SPEC 5.4): host finding over every route fixture, and real TCP end to end in
//! real shells against listeners on loopback (a fake WSL2 tree whose default gateway is
//! 127.0.0.1, so no packet leaves the machine).

mod common;
use common::*;
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::os::fd::AsRawFd;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;
use wslgo::plan::proxy::find_host;
use wslgo::probe::route::{self, Gateway};
use wslgo::probe::wsl::{Kind, Networking, Platform};
use wslgo::sysroot::Sys;

fn route_fixture(name: &str) -> PathBuf {
    fixtures().join("wsl/proc/net").join(name)
}

fn gateway_of(bytes: &[u8]) -> Gateway {
    let d = TempDir::new("route");
    put(d.path(), "/proc/net/route", bytes);
    route::default_gateway(&Sys::with_root(d.path().to_path_buf()))
}

fn nat() -> Platform {
    Platform {
        kind: Kind::Wsl2,
        kernel: "5.15.153.1-microsoft-standard-WSL2".into(),
        networking: Some(Networking::Nat),
    }
}

// ---------------------------------------------------------------------------------------------
// Host finding

/// Every route fixture: the expected gateway is the one MANIFEST.md names for it (the kernel's
/// little-endian hex decoded by hand there), or no host with one reason.
#[test]
fn host_from_every_route_fixture() {
    let found = [
        ("route.wsl2-nat.canonical-good.txt", Ipv4Addr::new(172, 25, 32, 1)),
        ("route.wsl2-nat.canonical-padded.txt", Ipv4Addr::new(172, 25, 32, 1)),
        ("route.wsl2-nat.172.29.64.1.kernelfmt.synth.txt", Ipv4Addr::new(172, 29, 64, 1)),
        ("route.native-linux.sandbox-capture.txt", Ipv4Addr::new(192, 0, 2, 1)),
    ];
    for (f, want) in found {
        let g = gateway_of(&std::fs::read(route_fixture(f)).unwrap());
        assert!(
            matches!(&g, Gateway::Found { addr, iface } if *addr == want && iface == "eth0"),
            "{f}: {g:?}"
        );
        let h = find_host("auto", &nat(), || g.clone()).unwrap();
        assert_eq!(h.addr, want.to_string(), "{f}");
        assert!(h.how.contains("/proc/net/route"), "{f}: {}", h.how);
    }
    for f in ["route.no-default.kernelfmt.synth.txt", "route.canonical-bad.txt"] {
        let g = gateway_of(&std::fs::read(route_fixture(f)).unwrap());
        assert_eq!(g, Gateway::NoDefault, "{f}");
        let e = find_host("auto", &nat(), || g).unwrap_err();
        assert!(e.contains("no default route"), "{f}: {e}");
    }
    // A corrupt default row: no host, and the reason names what is wrong.
    let g = gateway_of(&std::fs::read(route_fixture("route.canonical-bad-ip.txt")).unwrap());
    let e = find_host("auto", &nat(), || g).unwrap_err();
    assert!(e.contains("BAD_IP_HERE"), "{e}");
    // Missing, empty and binary tables.
    let d = TempDir::new("route-missing");
    assert!(matches!(
        route::default_gateway(&Sys::with_root(d.path().to_path_buf())),
        Gateway::Corrupt(_)
    ));
    assert!(matches!(gateway_of(b""), Gateway::Corrupt(_)));
    assert!(matches!(gateway_of(b"\x00\x01\xfe\xff\n\x00"), Gateway::Corrupt(_)));
}

/// The default route is the row with destination and mask 0 and the gateway flag, not the
/// first row: here the kernel-format fixture's rows are reordered and a gateway-less default
/// (flags 0001, as a point-to-point link has) put first.
#[test]
fn default_route_is_not_merely_the_first_row() {
    let text = std::fs::read_to_string(route_fixture("route.wsl2-nat.172.29.64.1.kernelfmt.synth.txt")).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    let header = lines.remove(0);
    lines.reverse();
    let fake = "tun0\t00000000\t0A0A0A0A\t0001\t0\t0\t0\t00000000\t0\t0\t0";
    let table = format!("{header}\n{fake}\n{}\n", lines.join("\n"));
    assert!(!table.lines().nth(1).unwrap().contains("01401DAC"));
    assert!(matches!(gateway_of(table.as_bytes()), Gateway::Found { addr, .. } if addr == Ipv4Addr::new(172, 29, 64, 1)));
}

/// WSL1 and mirrored mode reach Windows on 127.0.0.1 whatever the table says; `proxy.host`
/// wins over everything; resolv.conf's nameserver is never the host.
#[test]
fn host_in_wsl1_mirrored_and_configured() {
    let good = std::fs::read(route_fixture("route.wsl2-nat.canonical-good.txt")).unwrap();
    let mirrored = Platform {
        networking: Some(Networking::Mirrored),
        ..nat()
    };
    let h = find_host("auto", &mirrored, || gateway_of(&good)).unwrap();
    assert_eq!(h.addr, "127.0.0.1");
    assert!(h.how.contains("loopback0"), "{}", h.how);
    let wsl1 = Platform {
        kind: Kind::Wsl1,
        kernel: "4.4.0-19041-Microsoft".into(),
        networking: None,
    };
    assert_eq!(find_host("auto", &wsl1, || gateway_of(&good)).unwrap().addr, "127.0.0.1");
    assert_eq!(find_host("10.1.2.3", &nat(), || gateway_of(&good)).unwrap().addr, "10.1.2.3");
    // A tree with DNS tunneling's resolv.conf and no default route: no host at all.
    let d = TempDir::new("resolv");
    std::fs::copy(fixtures().join("wsl/etc/resolv.conf/resolv.conf.wsl2-dnstunneling.txt"), {
        std::fs::create_dir_all(d.path().join("etc")).unwrap();
        d.path().join("etc/resolv.conf")
    })
    .unwrap();
    put(
        d.path(),
        "/proc/net/route",
        std::fs::read(route_fixture("route.no-default.kernelfmt.synth.txt")).unwrap(),
    );
    let sys = Sys::with_root(d.path().to_path_buf());
    assert!(find_host("auto", &nat(), || route::default_gateway(&sys)).is_err());
}

// ---------------------------------------------------------------------------------------------
// Fake WSL2 on loopback, listeners

/// A WSL2 tree (NAT) whose default gateway is 127.0.0.1 (`0100007F`): the kernel-format
/// fixture with its gateway swapped.
fn loopback_wsl2(mirrored: bool) -> TempDir {
    let root = sysroot(&[(
        &fixtures().join("wsl/proc/osrelease/osrelease.wsl2-5.15.153.1.txt"),
        "/proc/sys/kernel/osrelease",
    )]);
    let table = std::fs::read_to_string(route_fixture("route.wsl2-nat.172.29.64.1.kernelfmt.synth.txt")).unwrap();
    assert!(table.contains("01401DAC"));
    put(root.path(), "/proc/net/route", table.replace("01401DAC", "0100007F"));
    std::fs::create_dir_all(root.path().join("run/WSL")).unwrap();
    std::fs::create_dir_all(root.path().join("sys/class/net/eth0")).unwrap();
    if mirrored {
        std::fs::create_dir_all(root.path().join("sys/class/net/loopback0")).unwrap();
    }
    root
}

/// A listener on 127.0.0.1 that accepts (and drops) connections until dropped.
struct Listener {
    port: u16,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Listener {
    fn bind(port: u16) -> std::io::Result<Listener> {
        Listener::bind_at(Ipv4Addr::LOCALHOST, port)
    }

    fn bind_at(ip: Ipv4Addr, port: u16) -> std::io::Result<Listener> {
        let l = TcpListener::bind((ip, port))?;
        let port = l.local_addr()?.port();
        l.set_nonblocking(true)?;
        let stop = Arc::new(AtomicBool::new(false));
        let s = stop.clone();
        let thread = std::thread::spawn(move || {
            while !s.load(Ordering::SeqCst) {
                match l.accept() {
                    Ok((c, _)) => drop(c),
                    Err(_) => std::thread::sleep(Duration::from_millis(2)),
                }
            }
        });
        Ok(Listener {
            port,
            stop,
            thread: Some(thread),
        })
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// A port nothing listens on (bound, then released).
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

unsafe extern "C" {
    // listen(2) again on a listening socket changes its backlog; std binds with a large one.
    fn listen(fd: i32, backlog: i32) -> i32;
}

/// A port that drops SYNs: a listener with a backlog of 0 that never accepts, its queue filled
/// by connections held open. Linux then drops further SYNs, so a connect gets no answer at all
/// (what a Windows firewall does to WSL's traffic).
struct Blackhole {
    port: u16,
    _l: TcpListener,
    _held: Vec<TcpStream>,
}

impl Blackhole {
    fn new() -> Blackhole {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        assert_eq!(unsafe { listen(l.as_raw_fd(), 0) }, 0);
        let addr: SocketAddr = l.local_addr().unwrap();
        let mut held = Vec::new();
        for _ in 0..16 {
            match TcpStream::connect_timeout(&addr, Duration::from_millis(300)) {
                Ok(s) => held.push(s),
                Err(e) if e.kind() == std::io::ErrorKind::TimedOut => {
                    return Blackhole {
                        port: addr.port(),
                        _l: l,
                        _held: held,
                    };
                }
                Err(e) => panic!("filling the backlog: {e}"),
            }
        }
        panic!("the listen queue never filled: SYNs are not dropped here");
    }
}

/// Lets a shell script close and reopen a listener at a precise point: the script writes
/// `<dir>/<cmd>.req` and waits for `<dir>/<cmd>.ack`.
struct Controller {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

const CTL_FN: &str = "ctl() { : > \"$CTL/$1.req\"; while [ ! -e \"$CTL/$1.ack\" ]; do sleep 0.02; done; rm -f \"$CTL/$1.ack\"; }\n";

impl Controller {
    fn new(dir: PathBuf, port: u16, first: Listener) -> Controller {
        let stop = Arc::new(AtomicBool::new(false));
        let s = stop.clone();
        let thread = std::thread::spawn(move || {
            let mut l = Some(first);
            while !s.load(Ordering::SeqCst) {
                for cmd in ["open", "close"] {
                    let req = dir.join(format!("{cmd}.req"));
                    if req.exists() {
                        l = None;
                        if cmd == "open" {
                            l = Some(Listener::bind(port).expect("rebind"));
                        }
                        std::fs::remove_file(&req).unwrap();
                        std::fs::write(dir.join(format!("{cmd}.ack")), "").unwrap();
                    }
                }
                std::thread::sleep(Duration::from_millis(5));
            }
            drop(l);
        });
        Controller {
            stop,
            thread: Some(thread),
        }
    }
}

impl Drop for Controller {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn wsl_sandbox(tag: &str, root: &Path, config: &str) -> Sandbox {
    let mut sb = Sandbox::new(tag);
    sb.set("WSLGO_SYSROOT", root.as_os_str().to_owned());
    sb.config(config);
    sb
}

const SHOW: &str = "echo \"{K}=$http_proxy|$https_proxy|$HTTP_PROXY|$HTTPS_PROXY|$no_proxy|$NO_PROXY|${all_proxy-unset}|$GOPROXY\"";

fn show(k: &str) -> String {
    SHOW.replace("{K}", k)
}

// ---------------------------------------------------------------------------------------------
// End to end in real shells

/// Up -> down -> up again in a hooked shell: the variables follow the listener within
/// recheck_secs plus one prompt, GOPROXY switches with them, and a user's https_proxy is never
/// touched.
#[test]
fn variables_follow_the_listener_in_real_shells() {
    for sh in SHELLS {
        let root = loopback_wsl2(false);
        let first = Listener::bind(0).unwrap();
        let port = first.port;
        let mut sb = wsl_sandbox(
            "follow",
            root.path(),
            &format!(
                "[proxy]\nport = {port}\nrecheck_secs = 1\nno_proxy = [\".corp.example\"]\n[hook]\ninterval_secs = 0\n\
                 [go]\ngoproxy = \"https://proxy.golang.org,direct\"\ngoproxy_direct = \"https://goproxy.cn,direct\"\n"
            ),
        );
        let ctl = TempDir::new("ctl");
        let _c = Controller::new(ctl.path().to_path_buf(), port, first);
        sb.set("CTL", ctl.path().as_os_str().to_owned());
        sb.rc_before = CTL_FN.to_string();
        let script = [
            show("A"),
            "echo \"UA=$https_proxy\"".into(),
            "unset https_proxy".into(),
            "export https_proxy='http://user.example:3128'".into(),
            ":".into(),
            "echo \"UB=$https_proxy|$http_proxy\"".into(),
            "ctl close".into(),
            "sleep 1.1".into(),
            show("B"),
            "ctl open".into(),
            "sleep 1.1".into(),
            show("C"),
            "echo \"UC=$https_proxy\"".into(),
        ]
        .join("\n");
        let Some(o) = sb.run(sh, &script) else { continue };
        let u = format!("http://127.0.0.1:{port}");
        let np = "localhost,127.0.0.1,::1,.corp.example";
        let up = |gp: &str| format!("{u}|{u}|{u}|{u}|{np}|{np}|unset|{gp}");
        assert_eq!(
            o.value("A").as_deref(),
            Some(up("https://proxy.golang.org,direct").as_str()),
            "{sh}: {}",
            o.stderr
        );
        assert_eq!(o.value("UA").as_deref(), Some(u.as_str()), "{sh}");
        assert_eq!(
            o.value("UB").as_deref(),
            Some(format!("http://user.example:3128|{u}").as_str()),
            "{sh}"
        );
        // Down: every variable wslgo set is gone, the user's https_proxy stays.
        assert_eq!(
            o.value("B").as_deref(),
            Some("|http://user.example:3128|||||unset|https://goproxy.cn,direct"),
            "{sh}: {}",
            o.stderr
        );
        let c = o.value("C").unwrap_or_default();
        assert_eq!(
            c,
            format!("{u}|http://user.example:3128|{u}|{u}|{np}|{np}|unset|https://proxy.golang.org,direct"),
            "{sh}: {}",
            o.stderr
        );
        assert_eq!(o.value("UC").as_deref(), Some("http://user.example:3128"), "{sh}");
        assert_eq!(
            o.count_warning("proxy-refused"),
            1,
            "{sh}: the closed port is reported once: {}",
            o.stderr
        );
    }
}

/// `port = "auto"`: a listener on one of SPEC 4's ports (7890 7897 10808 10809 1080) is found.
/// The test needs every listed port before the one it binds to refuse connections; when this
/// machine already uses them, it says why and checks nothing.
#[test]
fn auto_port_finds_a_listed_port() {
    let mut chosen = None;
    let mut why = Vec::new();
    for &p in wslgo::config::AUTO_PORTS {
        match Listener::bind(p) {
            Ok(l) => {
                chosen = Some(l);
                break;
            }
            Err(e) => {
                why.push(format!("127.0.0.1:{p}: {e}"));
                // Someone else's listener would answer before ours: auto would rightly pick it.
                if TcpStream::connect_timeout(&SocketAddr::from(([127, 0, 0, 1], p)), Duration::from_millis(200)).is_ok() {
                    let msg = format!("127.0.0.1:{p} already answers (another program), so auto mode would pick it");
                    common::skip(&format!("{msg} (CI machines must have the listed ports free)"));
                    return;
                }
            }
        }
    }
    let Some(l) = chosen else {
        common::skip(&format!("none of the auto ports can be bound here: {}", why.join("; ")));
        return;
    };
    let root = loopback_wsl2(false);
    let sb = wsl_sandbox("auto", root.path(), "[proxy]\nrecheck_secs = 1\n[hook]\ninterval_secs = 0\n");
    for sh in SHELLS {
        let Some(o) = sb.run(sh, "echo \"P=$http_proxy|$HTTPS_PROXY\"") else {
            continue;
        };
        let u = format!("http://127.0.0.1:{}", l.port);
        assert_eq!(o.value("P"), Some(format!("{u}|{u}")), "{sh}: {}", o.stderr);
        assert_eq!(o.count_warning("proxy-refused") + o.count_warning("proxy-timeout"), 0, "{sh}");
    }
    // `wslgo env` says which port answered and how fast.
    let v = env_json(&sb);
    let notes: Vec<String> = v["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap().to_string())
        .collect();
    let line = notes.iter().find(|n| n.contains(&format!("127.0.0.1:{} answered in ", l.port)));
    assert!(line.is_some(), "{notes:#?}");
    assert!(
        notes.iter().any(|n| n.contains("mode auto") && n.contains("default gateway")),
        "{notes:#?}"
    );
}

/// A refused port and a port that drops SYNs give the two different warnings, each once per
/// session; the dropping one is learnt by the background probe without any prompt waiting for
/// it (bash's clock around each refresh; the 5 ms target itself is scripts/bench-proxy's).
#[test]
fn refused_and_timeout_warnings() {
    let root = loopback_wsl2(false);
    let refused = free_port();
    let sb = wsl_sandbox(
        "refused",
        root.path(),
        &format!("[proxy]\nport = {refused}\nrecheck_secs = 1\n[hook]\ninterval_secs = 0\n"),
    );
    for sh in SHELLS {
        let Some(o) = sb.run(sh, ":\n:\nsleep 1.1\n:\necho \"P=${http_proxy-unset}\"") else {
            continue;
        };
        assert_eq!(o.value("P").as_deref(), Some("unset"), "{sh}");
        assert_eq!(o.count_warning("proxy-refused"), 1, "{sh}: {}", o.stderr);
        assert_eq!(o.count_warning("proxy-timeout"), 0, "{sh}: {}", o.stderr);
        assert!(o.stderr.contains("Allow LAN"), "{sh}: {}", o.stderr);
    }

    let hole = Blackhole::new();
    let sb = wsl_sandbox(
        "timeout",
        root.path(),
        &format!("[proxy]\nport = {}\nrecheck_secs = 1\n[hook]\ninterval_secs = 0\n", hole.port),
    );
    // Each refresh timed in bash itself (process start included).
    let timed = "t0=${EPOCHREALTIME/./}; _wslgo_refresh; t1=${EPOCHREALTIME/./}; echo \"T=$((t1 - t0))\"";
    let script = format!("{timed}\n{timed}\nsleep 1.5\n{timed}\n{timed}\necho \"P=${{http_proxy-unset}}\"");
    let Some(o) = sb.run("bash", &script) else { return };
    let times: Vec<u64> = o
        .stdout
        .lines()
        .filter_map(|l| l.strip_prefix("T="))
        .map(|t| t.parse().unwrap())
        .collect();
    eprintln!("refresh times with a SYN-dropping proxy (us): {times:?}");
    assert_eq!(times.len(), 4, "{}", o.stdout);
    assert!(times.iter().all(|&t| t < 500_000), "a prompt waited for the network: {times:?}");
    assert_eq!(o.value("P").as_deref(), Some("unset"));
    assert_eq!(o.count_warning("proxy-timeout"), 1, "{}", o.stderr);
    assert_eq!(o.count_warning("proxy-refused"), 0, "{}", o.stderr);
    assert!(o.stderr.contains("New-NetFirewallRule"), "{}", o.stderr);
}

/// Mirrored networking: the host is 127.0.0.1 even though the route table names another
/// gateway; socks5h also fills all_proxy; `wslgo env` names the mode and how the host was found.
#[test]
fn mirrored_mode_and_socks() {
    let root = loopback_wsl2(true);
    put(
        root.path(),
        "/proc/net/route",
        std::fs::read(route_fixture("route.wsl2-nat.172.29.64.1.kernelfmt.synth.txt")).unwrap(),
    );
    let l = Listener::bind(0).unwrap();
    let sb = wsl_sandbox(
        "mirrored",
        root.path(),
        &format!("[proxy]\nport = {}\nscheme = \"socks5h\"\n", l.port),
    );
    let v = env_json(&sb);
    assert_eq!(v["platform"]["networking"], "mirrored");
    let u = format!("socks5h://127.0.0.1:{}", l.port);
    for name in ["http_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"] {
        assert_eq!(json_var(&v, name).unwrap()["value"], u.as_str(), "{name}: {v:#}");
    }
    let notes = v["notes"].to_string();
    assert!(notes.contains("mirrored networking"), "{notes}");
}

/// A user's proxy variable that points at a dead proxy is kept, and `wslgo env` says so.
#[test]
fn env_reports_a_dead_user_proxy() {
    let root = loopback_wsl2(false);
    let dead = free_port();
    let mut sb = wsl_sandbox("userdead", root.path(), &format!("[proxy]\nport = {}\n", free_port()));
    sb.set("https_proxy", format!("http://127.0.0.1:{dead}"));
    let v = env_json(&sb);
    let h = json_var(&v, "https_proxy").unwrap();
    assert_eq!(h["action"], "keep", "{h}");
    assert_eq!(h["value"], format!("http://127.0.0.1:{dead}"));
    assert!(h["reason"].as_str().unwrap().contains("refused"), "{h}");
}

/// The liveness cache: a 0700 directory; a symlink planted at its path is not followed (the
/// target stays empty) and the hook still works; many hooks refreshing at once leave one
/// well-formed entry and no temp files.
#[test]
fn cache_dir_is_private_and_not_a_planted_symlink() {
    use std::os::unix::fs::PermissionsExt;
    let root = loopback_wsl2(false);
    let l = Listener::bind(0).unwrap();
    let cfg = format!("[proxy]\nport = {}\nrecheck_secs = 0\n", l.port);
    let sb = wsl_sandbox("cache", root.path(), &cfg);
    let runs: Vec<_> = (0..8)
        .map(|_| {
            let mut c = std::process::Command::new(&sb.bin);
            c.env_clear().envs(sb.env.iter().map(|(k, v)| (k, v))).args(["hook", "bash"]);
            c.stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for r in runs {
        let o = r.wait_with_output().unwrap();
        assert!(o.status.success());
        assert!(String::from_utf8_lossy(&o.stdout).contains(&format!("http://127.0.0.1:{}", l.port)));
    }
    let dir = sb.dir.path().join("run/wslgo");
    let m = std::fs::symlink_metadata(&dir).unwrap();
    assert!(m.is_dir());
    assert_eq!(m.permissions().mode() & 0o777, 0o700);
    let names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(names, vec![format!("proxy-127.0.0.1-{}", l.port)], "{names:?}");
    let entry = std::fs::read_to_string(dir.join(&names[0])).unwrap();
    assert!(
        entry.contains(" up ") && entry.ends_with('\n') && entry.lines().count() == 1,
        "{entry}"
    );

    // A symlink planted where the cache directory goes.
    let sb = wsl_sandbox("planted", root.path(), &cfg);
    let target = TempDir::new("planted-target");
    std::os::unix::fs::symlink(target.path(), sb.dir.path().join("run/wslgo")).unwrap();
    let o = wslgo(&sb, &["hook", "bash"]);
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stdout).contains(&format!("http://127.0.0.1:{}", l.port)));
    assert_eq!(
        std::fs::read_dir(target.path()).unwrap().count(),
        0,
        "wrote through a planted symlink"
    );
    let notes = env_json(&sb)["notes"].to_string();
    assert!(notes.contains("symlink"), "{notes}");
}

// ---------------------------------------------------------------------------------------------
// Adoption (SPEC 5.4, proxy.adopt): the variables the shell started with

/// The shell starts with WSL's autoProxy copy pointing at the Windows host (here the NAT
/// gateway 127.0.0.1, a loopback listener) and a corporate proxy in https_proxy. wslgo adopts
/// the first two: they go when the listener closes and come back byte for byte when it reopens;
/// the corporate one and a variable exported after init stay the user's; deactivate gives back
/// the originals, whether the proxy is up or down at that moment.
#[test]
fn adopts_the_proxy_the_shell_started_with() {
    for sh in SHELLS {
        for down_at_deactivate in [false, true] {
            let root = loopback_wsl2(false);
            let first = Listener::bind(0).unwrap();
            let port = first.port;
            let mut sb = wsl_sandbox(
                "adopt",
                root.path(),
                "[proxy]\nrecheck_secs = 1\n[hook]\ninterval_secs = 0\n\
                 [go]\ngoproxy = \"https://proxy.golang.org,direct\"\ngoproxy_direct = \"https://goproxy.cn,direct\"\n",
            );
            let ctl = TempDir::new("ctl");
            let _c = Controller::new(ctl.path().to_path_buf(), port, first);
            let orig = format!("http://127.0.0.1:{port}");
            let orig_up = format!("http://127.0.0.1:{port}/");
            sb.set("CTL", ctl.path().as_os_str().to_owned());
            sb.set("http_proxy", orig.clone());
            sb.set("HTTP_PROXY", orig_up.clone());
            sb.set("https_proxy", "http://proxy.corp.example:8080");
            sb.set("NO_PROXY", "localhost,127.0.0.1,.corp.example");
            sb.rc_before = CTL_FN.to_string();
            let v = "echo \"{K}=${http_proxy-unset}|${HTTP_PROXY-unset}|${https_proxy-unset}|${HTTPS_PROXY-unset}|${ALL_PROXY-unset}|${GOPROXY-unset}|${NO_PROXY-unset}\"";
            let showv = |k: &str| v.replace("{K}", k);
            let mut script = vec![
                showv("A"),
                format!("export ALL_PROXY='http://127.0.0.1:{port}'"),
                ":".into(),
                "ctl close".into(),
                "sleep 1.1".into(),
                ":".into(),
                showv("B"),
            ];
            if !down_at_deactivate {
                script.extend(["ctl open".into(), "sleep 1.1".into(), ":".into(), showv("C")]);
            }
            script.extend([format!("eval \"$(wslgo deactivate {sh})\""), showv("D")]);
            let Some(o) = sb.run(sh, &script.join("\n")) else { continue };
            let ctx = format!("{sh} (down at deactivate: {down_at_deactivate}): {}", o.stderr);
            let corp = "http://proxy.corp.example:8080";
            let np = "localhost,127.0.0.1,.corp.example";
            let up = format!("{orig}|{orig_up}|{corp}|{orig}|unset|https://proxy.golang.org,direct|{np}");
            assert_eq!(o.value("A").as_deref(), Some(up.as_str()), "{ctx}");
            let all = format!("http://127.0.0.1:{port}");
            assert_eq!(
                o.value("B"),
                Some(format!("unset|unset|{corp}|unset|{all}|https://goproxy.cn,direct|{np}")),
                "down: adopted and wslgo's own go, the user's stay: {ctx}"
            );
            if !down_at_deactivate {
                assert_eq!(
                    o.value("C"),
                    Some(format!("{orig}|{orig_up}|{corp}|{orig}|{all}|https://proxy.golang.org,direct|{np}")),
                    "{ctx}"
                );
            }
            assert_eq!(
                o.value("D"),
                Some(format!("{orig}|{orig_up}|{corp}|unset|{all}|unset|{np}")),
                "deactivate restores the originals: {ctx}"
            );
            assert_eq!(o.count_warning("proxy-refused"), 1, "the closed port is said once: {ctx}");
        }
    }
}

/// Values for another host, `proxy.adopt = false`, and a value set in the rc file after the
/// init line are never adopted; `wslgo env` says where adopted variables came from.
#[test]
fn adoption_leaves_other_values_alone_and_says_why() {
    let root = loopback_wsl2(false);
    let l = Listener::bind(0).unwrap();
    let dead = free_port();
    let url = format!("http://127.0.0.1:{}", l.port);
    for sh in SHELLS {
        // adopt = false: the variables the shell started with are the user's, even when dead.
        let mut sb = wsl_sandbox(
            "noadopt",
            root.path(),
            "[proxy]\nrecheck_secs = 0\nadopt = false\n[hook]\ninterval_secs = 0\n",
        );
        sb.set("http_proxy", format!("http://127.0.0.1:{dead}"));
        let Some(o) = sb.run(sh, ":\n:\necho \"P=${http_proxy-unset}\"") else {
            continue;
        };
        assert_eq!(o.value("P"), Some(format!("http://127.0.0.1:{dead}")), "{sh}: {}", o.stderr);

        // Exported after the init line: the user's, though it names the Windows host.
        let mut sb = wsl_sandbox("after", root.path(), "[proxy]\nrecheck_secs = 0\n[hook]\ninterval_secs = 0\n");
        sb.rc_after = format!("export http_proxy=http://127.0.0.1:{dead}\n");
        let Some(o) = sb.run(sh, ":\n:\necho \"P=${http_proxy-unset}\"") else {
            continue;
        };
        assert_eq!(o.value("P"), Some(format!("http://127.0.0.1:{dead}")), "{sh}: {}", o.stderr);

        // A child shell inherits the adoption: it manages the same variables.
        let mut sb = wsl_sandbox("child", root.path(), "[proxy]\nrecheck_secs = 0\n[hook]\ninterval_secs = 0\n");
        sb.set("http_proxy", url.clone());
        let Some(o) = sb.run(
            sh,
            &format!("echo \"S=${{__WSLGO_STATE:+set}}\"\n{sh} -ic 'echo \"P=$http_proxy\"'"),
        ) else {
            continue;
        };
        assert_eq!(o.value("P"), Some(url.clone()), "{sh}: {}", o.stderr);
    }
    // wslgo env, run from an adopted shell's environment: the reason names the adoption.
    let mut sb = wsl_sandbox("why", root.path(), "[proxy]\nrecheck_secs = 0\n");
    sb.set("http_proxy", url.clone());
    let Some(o) = sb.run("bash", "wslgo env --json > \"$HOME/env.json\"") else {
        return;
    };
    let v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(sb.home.join("env.json")).unwrap()).unwrap_or_else(|e| panic!("{e}: {}", o.stderr));
    let h = json_var(&v, "http_proxy").unwrap();
    assert_eq!(h["action"], "set", "{h}");
    assert_eq!(h["value"], url.as_str());
    assert!(h["reason"].as_str().unwrap().contains("adopted"), "{h}");
    let notes = v["notes"].to_string();
    assert!(notes.contains("adopted at init"), "{notes}");
}

// ---------------------------------------------------------------------------------------------
// The Windows system proxy (reg.exe through interop, a PAC file), read in the background

/// A stand-in for reg.exe: `query <key>` prints `reg.values` (the whole key) unless
/// `reg.whole-empty` exists; `query <key> /v <name>` prints that value's line. It records its
/// pid and sleeps first when `reg.sleep` holds a number of seconds.
const REG_STUB: &str = r#"#!/bin/sh
d=$(dirname "$0")
echo $$ > "$d/reg.pid"
if [ -f "$d/reg.sleep" ]; then sleep "$(cat "$d/reg.sleep")"; fi
[ "$1" = query ] && [ "$2" = 'HKCU\Software\Microsoft\Windows\CurrentVersion\Internet Settings' ] || exit 1
printf '\r\nHKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Internet Settings\r\n'
if [ "$3" = /v ]; then
  grep -a "^    $4    " "$d/reg.values" || { echo 'ERROR: The system was unable to find the specified registry key or value.' >&2; exit 1; }
  printf '\r\n'
  exit 0
fi
if [ ! -f "$d/reg.whole-empty" ]; then cat "$d/reg.values"; fi
printf '\r\n'
"#;

/// A NAT WSL2 tree whose default gateway is 127.0.0.2 (`0200007F`), with the stand-in reg.exe
/// and these registry values (CRLF lines, as reg.exe writes them; a GBK byte pair in
/// ProxyOverride, as a Chinese Windows' console code page gives).
fn registry_wsl2(values: &[(&str, &str, &str)]) -> TempDir {
    let root = loopback_wsl2(false);
    let table = std::fs::read_to_string(route_fixture("route.wsl2-nat.172.29.64.1.kernelfmt.synth.txt")).unwrap();
    put(root.path(), "/proc/net/route", table.replace("01401DAC", "0200007F"));
    let mut text: Vec<u8> = b"    User Agent    REG_SZ    Mozilla/4.0 (compatible; MSIE 8.0; Win32)\r\n".to_vec();
    text.extend_from_slice(b"    ProxyOverride    REG_SZ    \xd6\xd0\xce\xc4.example;localhost;<local>\r\n");
    for (name, ty, data) in values {
        text.extend_from_slice(format!("    {name}    {ty}    {data}\r\n").as_bytes());
    }
    put(root.path(), "/mnt/c/Windows/System32/reg.values", text);
    put(root.path(), "/mnt/c/Windows/System32/reg.exe", REG_STUB);
    use std::os::unix::fs::PermissionsExt;
    let exe = root.path().join("mnt/c/Windows/System32/reg.exe");
    std::fs::set_permissions(&exe, std::fs::Permissions::from_mode(0o755)).unwrap();
    root
}

/// Serves `body` as a PAC file over HTTP on 127.0.0.2 until dropped; counts the requests.
struct PacServer {
    port: u16,
    hits: Arc<std::sync::atomic::AtomicUsize>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl PacServer {
    fn new(body: String) -> PacServer {
        use std::io::{Read, Write};
        let l = TcpListener::bind((Ipv4Addr::new(127, 0, 0, 2), 0)).unwrap();
        let port = l.local_addr().unwrap().port();
        l.set_nonblocking(true).unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let hits = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let (s, h) = (stop.clone(), hits.clone());
        let thread = std::thread::spawn(move || {
            while !s.load(Ordering::SeqCst) {
                match l.accept() {
                    Ok((mut c, _)) => {
                        c.set_nonblocking(false).unwrap();
                        c.set_read_timeout(Some(Duration::from_secs(2))).unwrap();
                        let mut req = Vec::new();
                        let mut buf = [0u8; 1024];
                        while !req.windows(4).any(|w| w == b"\r\n\r\n") {
                            match c.read(&mut buf) {
                                Ok(0) | Err(_) => break,
                                Ok(n) => req.extend_from_slice(&buf[..n]),
                            }
                        }
                        if req.starts_with(b"GET /proxy.pac ") {
                            h.fetch_add(1, Ordering::SeqCst);
                            let _ = c.write_all(
                                format!("HTTP/1.0 200 OK\r\nContent-Type: application/x-ns-proxy-autoconfig\r\n\r\n{body}").as_bytes(),
                            );
                        } else {
                            let _ = c.write_all(b"HTTP/1.0 404 Not Found\r\n\r\n");
                        }
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(2)),
                }
            }
        });
        PacServer {
            port,
            hits,
            stop,
            thread: Some(thread),
        }
    }
}

impl Drop for PacServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Waits (in the shell) for the background lookup's cache file, then times refreshes in bash
/// (process start included) and prints the proxy variables.
fn registry_script(sh: &str) -> String {
    let wait = "for i in $(seq 1 100); do [ -e \"$XDG_RUNTIME_DIR/wslgo/winproxy\" ] && break; sleep 0.05; done";
    let timed = if sh == "bash" {
        "t0=${EPOCHREALTIME/./}; _wslgo_refresh; t1=${EPOCHREALTIME/./}; echo \"T=$((t1 - t0))\""
    } else {
        "_wslgo_refresh"
    };
    format!("{wait}\n{timed}\n{timed}\necho \"P=${{http_proxy-unset}}|${{HTTPS_PROXY-unset}}|${{all_proxy-unset}}\"")
}

fn refresh_times(o: &Output) -> Vec<u64> {
    o.stdout
        .lines()
        .filter_map(|l| l.strip_prefix("T="))
        .map(|t| t.parse().unwrap())
        .collect()
}

/// Each form Windows writes gives the port: `host:port`, per-protocol lists, a whole-key query
/// that answers nothing (then value by value with `/v`), and a PAC file fetched from the
/// Windows host. A Windows-local 127.0.0.1 means the Windows host as WSL sees it (the gateway,
/// 127.0.0.2 here), and the proxy port is not one of the auto list's: only the registry can
/// have named it. No prompt waits for reg.exe.
#[test]
fn windows_system_proxy_forms_give_the_port() {
    let proxy = Listener::bind_at(Ipv4Addr::new(127, 0, 0, 2), 0).unwrap();
    let p = proxy.port;
    let pac = PacServer::new(format!(
        "function FindProxyForURL(url, host) {{\r\n  if (isPlainHostName(host)) return \"DIRECT\";\r\n  return \"PROXY 127.0.0.1:{p}; SOCKS5 127.0.0.1:1; DIRECT\";\r\n}}\r\n"
    ));
    let server = format!("127.0.0.1:{p}");
    let list = format!("http=127.0.0.1:{p};https=127.0.0.1:{};socks=127.0.0.1:{}", free_port(), free_port());
    let pac_url = format!("http://127.0.0.1:{}/proxy.pac", pac.port);
    type Value<'a> = (&'a str, &'a str, &'a str);
    let cases: Vec<(&str, Vec<Value>, bool)> = vec![
        (
            "host:port",
            vec![("ProxyEnable", "REG_DWORD", "0x1"), ("ProxyServer", "REG_SZ", &server)],
            false,
        ),
        (
            "per protocol",
            vec![("ProxyEnable", "REG_DWORD", "0x1"), ("ProxyServer", "REG_SZ", &list)],
            false,
        ),
        (
            "value by value",
            vec![("ProxyServer", "REG_SZ", &server), ("ProxyEnable", "REG_DWORD", "0x1")],
            true,
        ),
        (
            "PAC",
            vec![("ProxyEnable", "REG_DWORD", "0x0"), ("AutoConfigURL", "REG_SZ", &pac_url)],
            false,
        ),
    ];
    for (what, values, whole_empty) in cases {
        let root = registry_wsl2(&values);
        if whole_empty {
            put(root.path(), "/mnt/c/Windows/System32/reg.whole-empty", "");
        }
        for sh in SHELLS {
            let sb = wsl_sandbox("winproxy", root.path(), "[proxy]\nrecheck_secs = 1\n[hook]\ninterval_secs = 0\n");
            let Some(o) = sb.run(sh, &registry_script(sh)) else { continue };
            let u = format!("http://127.0.0.2:{p}");
            assert_eq!(
                o.value("P"),
                Some(format!("{u}|{u}|unset")),
                "{what}, {sh}: {}\n{}",
                o.stdout,
                o.stderr
            );
            let times = refresh_times(&o);
            eprintln!("{what}, {sh}: refresh times (us) {times:?}");
            assert!(times.iter().all(|&t| t < 300_000), "{what}: a prompt waited: {times:?}");
            let cache = std::fs::read_to_string(sb.dir.path().join("run/wslgo/winproxy")).unwrap();
            assert!(cache.contains(&format!("\tproxy\thttp\t127.0.0.1\t{p}\t")), "{what}: {cache}");
            // wslgo env says where the port came from.
            let notes = env_json(&sb)["notes"].to_string();
            assert!(notes.contains("port from the Windows system proxy 127.0.0.1"), "{what}: {notes}");
        }
    }
    assert!(pac.hits.load(Ordering::SeqCst) >= 2, "the PAC file was fetched from the gateway");
}

/// A reg.exe that hangs: every prompt stays fast, the background lookup gives up after 3 s and
/// kills it, the auto list applies meanwhile and after, and `wslgo env` says why. A PAC URL on
/// another host is never fetched.
#[test]
fn windows_system_proxy_bounded_and_host_limited() {
    let root = registry_wsl2(&[("ProxyEnable", "REG_DWORD", "0x1"), ("ProxyServer", "REG_SZ", "127.0.0.1:1")]);
    put(root.path(), "/mnt/c/Windows/System32/reg.sleep", "30");
    let sb = wsl_sandbox("winslow", root.path(), "[proxy]\nrecheck_secs = 1\n[hook]\ninterval_secs = 0\n");
    let timed = "t0=${EPOCHREALTIME/./}; _wslgo_refresh; t1=${EPOCHREALTIME/./}; echo \"T=$((t1 - t0))\"";
    let pidf = root.path().join("mnt/c/Windows/System32/reg.pid");
    let script = format!(
        "{timed}\n{timed}\nsleep 3.6\n{timed}\necho \"K=$(kill -0 \"$(cat '{}')\" 2>/dev/null && echo alive || echo gone)\"\necho \"P=${{http_proxy-unset}}\"",
        pidf.display()
    );
    if let Some(o) = sb.run("bash", &script) {
        let times = refresh_times(&o);
        eprintln!("refresh times with a hanging reg.exe (us): {times:?}");
        assert_eq!(times.len(), 3, "{}", o.stdout);
        assert!(times.iter().all(|&t| t < 300_000), "a prompt waited for reg.exe: {times:?}");
        assert_eq!(o.value("K").as_deref(), Some("gone"), "reg.exe was not killed: {}", o.stderr);
        let cache = std::fs::read_to_string(sb.dir.path().join("run/wslgo/winproxy")).unwrap();
        assert!(cache.contains("did not answer within 3 s"), "{cache}");
        let notes = env_json(&sb)["notes"].to_string();
        assert!(
            notes.contains("did not answer within 3 s") && notes.contains("port from the list"),
            "{notes}"
        );
    }

    // A PAC URL on another host: not fetched (the listener there sees nothing).
    let other = TcpListener::bind((Ipv4Addr::new(127, 0, 0, 3), 0)).unwrap();
    other.set_nonblocking(true).unwrap();
    let url = format!("http://127.0.0.3:{}/proxy.pac", other.local_addr().unwrap().port());
    let root = registry_wsl2(&[("AutoConfigURL", "REG_SZ", &url)]);
    let sb = wsl_sandbox("winpac", root.path(), "[proxy]\nrecheck_secs = 1\n");
    let notes = env_json(&sb)["notes"].to_string();
    assert!(notes.contains("127.0.0.3 is not the Windows host; not fetched"), "{notes}");
    assert!(other.accept().is_err(), "a connection reached another host");
}

// ---------------------------------------------------------------------------------------------
// One fix for each trouble: the hook and doctor (issue 11 item 9)

/// A system tree built here (no fixture): WSL2 NAT whose default gateway is 127.0.0.1, or
/// plain Linux (a Debian kernel, no WSL marks).
fn system_tree(wsl: bool) -> TempDir {
    let root = TempDir::new("fixsys");
    let route = "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n\
                 eth0\t00000000\t0100007F\t0003\t0\t0\t0\t00000000\t0\t0\t0\n";
    put(root.path(), "/proc/net/route", route);
    if wsl {
        put(root.path(), "/proc/sys/kernel/osrelease", "5.15.153.1-microsoft-standard-WSL2\n");
        std::fs::create_dir_all(root.path().join("run/WSL")).unwrap();
    } else {
        put(root.path(), "/proc/sys/kernel/osrelease", "6.1.0-18-amd64\n");
    }
    root
}

/// The hook's `id` warning line, shown in a real bash session (the first prompt starts the
/// background probe, a later one shows what it learnt).
fn hook_warning(sb: &Sandbox, id: &str) -> Option<String> {
    let o = sb.run("bash", ":\n:\nsleep 1.5\n:\n:\necho done=1")?;
    assert_eq!(o.value("done").as_deref(), Some("1"), "{}", o.stderr);
    let pfx = format!("wslgo: {id}: ");
    let line = o
        .stderr
        .lines()
        .find(|l| l.starts_with(&pfx))
        .unwrap_or_else(|| panic!("no {id}: {}", o.stderr));
    Some(line.to_string())
}

/// `wslgo doctor --json`: the proxy.reach check, and every fix doctor prints.
fn doctor(sb: &Sandbox) -> (serde_json::Value, Vec<String>) {
    let o = wslgo(sb, &["doctor", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&o.stderr)));
    let checks = v["checks"].as_array().unwrap();
    let reach = checks.iter().find(|c| c["id"] == "proxy.reach").unwrap().clone();
    let fixes = checks.iter().map(|c| c["fix"].as_str().unwrap_or("").to_string()).collect();
    (reach, fixes)
}

const WINDOWS_WORDS: &[&str] = &[
    "Windows",
    "PowerShell",
    "Hyper-V",
    "NetFirewall",
    "wsl --shutdown",
    ".wslconfig",
    "Allow LAN",
];

/// For a dropping port and a refused one, on WSL and on plain Linux: doctor's proxy.reach fix
/// is the hook's warning fix, word for word; on plain Linux neither names a Windows command.
#[test]
fn hook_and_doctor_give_one_fix() {
    let hole = Blackhole::new();
    let closed = free_port();
    for wsl in [true, false] {
        let root = system_tree(wsl);
        for (id, port) in [("proxy-timeout", hole.port), ("proxy-refused", closed)] {
            let host = if wsl { "" } else { "host = \"127.0.0.1\"\n" };
            let mut sb = Sandbox::new("onefix");
            sb.set("WSLGO_SYSROOT", root.path());
            sb.config(&format!(
                "[proxy]\n{host}port = {port}\nrecheck_secs = 1\n[hook]\ninterval_secs = 0\n"
            ));
            let case = format!("wsl={wsl} {id}");
            let Some(line) = hook_warning(&sb, id) else { return };
            let hook = line.split_once(" -- ").expect("what -- fix").1.to_string();
            let (reach, fixes) = doctor(&sb);
            assert_eq!(reach["status"], "warn", "{case}: {reach}");
            assert_eq!(reach["fix"].as_str(), Some(hook.as_str()), "{case}: doctor vs hook");
            if wsl {
                let want = if id == "proxy-timeout" {
                    "New-NetFirewallRule"
                } else {
                    "Allow LAN"
                };
                assert!(hook.contains(want), "{case}: {hook}");
            } else {
                for f in fixes.iter().chain([&line]) {
                    for w in WINDOWS_WORDS {
                        assert!(!f.contains(w), "{case}: a Windows command on plain Linux: {f}");
                    }
                }
                let summary = reach["summary"].as_str().unwrap();
                assert!(!summary.contains("Windows"), "{case}: {summary}");
            }
        }
    }
}
