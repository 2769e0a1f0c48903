//! The warm start (src/cmd/warm.rs): a new terminal takes the parsed config and the discovery
//! cache from `<cache dir>/warm` instead of parsing and listing again, and trusts it no more
//! than an inherited variable: a changed config file wins, and a file anyone else could have
//! written is ignored.

mod common;
use common::{SHELLS, Sandbox, wslgo};
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;

fn warm_file(sb: &Sandbox) -> PathBuf {
    sb.dir.path().join("run/wslgo/warm")
}

/// `_wslgo_iv` as the shell has it after start (the config's hook.interval_secs).
fn interval_in(sb: &Sandbox, shell: &str) -> String {
    let o = sb.run(shell, "echo \"iv=$_wslgo_iv\"").expect("shell");
    o.value("iv")
        .unwrap_or_else(|| panic!("{shell}: no iv line in {:?} / {:?}", o.stdout, o.stderr))
}

/// The file made by one init, with the config cache's interval changed from `from` to `to`:
/// the stamp still matches the config file, so only the file can be the source of `to`.
fn doctor_the_file(sb: &Sandbox, from: u64, to: u64) {
    let f = warm_file(sb);
    let text = std::fs::read_to_string(&f).expect("init wrote the warm file");
    let needle = format!("\"interval_secs\":{from}");
    assert!(text.contains(&needle), "no {needle} in {text}");
    std::fs::write(&f, text.replace(&needle, &format!("\"interval_secs\":{to}"))).unwrap();
}

#[test]
fn a_new_terminal_starts_from_the_warm_file_and_a_changed_config_wins() {
    for shell in SHELLS {
        let sb = Sandbox::new("warm");
        sb.config("[hook]\ninterval_secs = 7\n");
        assert_eq!(interval_in(&sb, shell), "7", "{shell}: first start reads the config");
        let f = warm_file(&sb);
        let mode = std::fs::metadata(&f).expect("the first start wrote the file").permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{shell}: the file is the user's alone");
        // The next terminal takes the config from the file (doctored to 42: the config file
        // itself still says 7).
        doctor_the_file(&sb, 7, 42);
        assert_eq!(interval_in(&sb, shell), "42", "{shell}: a new terminal uses the warm file");
        // The user edits the config: its stamp changes, the file's cache no longer holds.
        std::thread::sleep(std::time::Duration::from_millis(20));
        sb.config("[hook]\ninterval_secs = 9\n");
        assert_eq!(interval_in(&sb, shell), "9", "{shell}: the edited config wins over the file");
        let text = std::fs::read_to_string(&f).unwrap();
        assert!(
            text.contains("\"interval_secs\":9"),
            "{shell}: the file follows the new config: {text}"
        );
    }
}

#[test]
fn a_warm_file_someone_else_could_write_is_ignored() {
    let sb = Sandbox::new("warm-unsafe");
    sb.config("[hook]\ninterval_secs = 7\n");
    assert_eq!(interval_in(&sb, "bash"), "7");
    let dir = warm_file(&sb).parent().unwrap().to_path_buf();

    // A directory others can write to.
    doctor_the_file(&sb, 7, 42);
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o777)).unwrap();
    assert_eq!(interval_in(&sb, "bash"), "7", "a world-writable directory's file is not read");

    // (That start made the directory 0700 again and rewrote the file.) A file owned by another
    // user.
    doctor_the_file(&sb, 7, 42);
    std::os::unix::fs::chown(warm_file(&sb), Some(4321), Some(4321)).unwrap();
    let o = wslgo(&sb, &["init", "bash"]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("_wslgo_iv='7'"), "another user's file is not read: {out}");

    // A symlink to a file with the doctored value.
    let elsewhere = sb.dir.path().join("planted");
    std::fs::write(&elsewhere, std::fs::read(warm_file(&sb)).unwrap()).unwrap();
    std::fs::remove_file(warm_file(&sb)).unwrap();
    std::os::unix::fs::symlink(&elsewhere, warm_file(&sb)).unwrap();
    let o = wslgo(&sb, &["init", "bash"]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("_wslgo_iv='7'"), "a symlinked file is not read: {out}");
}

#[test]
fn hostile_warm_files_cost_only_the_warm_start() {
    let sb = Sandbox::new("warm-hostile");
    sb.config("[hook]\ninterval_secs = 7\n");
    let dir = sb.dir.path().join("run/wslgo");
    let f = warm_file(&sb);
    let fifo = |p: &std::path::Path| {
        let c = std::ffi::CString::new(p.as_os_str().as_encoded_bytes()).unwrap();
        // SAFETY: a valid path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    };
    type Make<'a> = Box<dyn Fn() + 'a>;
    let cases: Vec<(&str, Make)> = vec![
        ("empty", Box::new(|| std::fs::write(&f, b"").unwrap())),
        (
            "garbage",
            Box::new(|| std::fs::write(&f, b"\xff\xfe$(touch pwned)\n`id`\n").unwrap()),
        ),
        ("truncated", Box::new(|| std::fs::write(&f, b"wslgo-warm 1\ncfg c3;0011").unwrap())),
        ("huge", Box::new(|| std::fs::write(&f, vec![b'x'; 1 << 20]).unwrap())),
        ("fifo", Box::new(|| fifo(&f))),
        (
            "a cache claiming a proxy",
            Box::new(|| {
                std::fs::write(
                    &f,
                    "wslgo-warm 1\ncfg c3;0000000000000000;0000000000000000;{\"proxy\":{\"mode\":\"on\",\"host\":\"203.0.113.9\"}}\n",
                )
                .unwrap()
            }),
        ),
    ];
    for (name, make) in cases {
        let _ = std::fs::remove_file(&f);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).unwrap();
        make();
        let start = std::time::Instant::now();
        let o = wslgo(&sb, &["init", "bash"]);
        assert!(start.elapsed() < std::time::Duration::from_secs(10), "{name}: init blocked");
        assert!(o.status.success(), "{name}");
        let out = String::from_utf8_lossy(&o.stdout);
        assert!(out.contains("_wslgo_iv='7'"), "{name}: the config file is read instead: {out}");
        assert!(!out.contains("203.0.113.9"), "{name}: nothing from the file applies");
        assert!(!sb.home.join("pwned").exists(), "{name}");
        // The shell takes the output: it is valid bash.
        let check = std::process::Command::new("bash")
            .arg("-n")
            .arg("-c")
            .arg(out.as_ref())
            .output()
            .unwrap();
        assert!(check.status.success(), "{name}: {}", String::from_utf8_lossy(&check.stderr));
    }
}

/// A broken key keeps its last good value only in a running shell (README "Config"): a new
/// terminal gets the default, as `wslgo config check` says, whether or not an earlier
/// terminal left a warm file holding the last good config.
#[test]
fn a_new_terminal_never_keeps_a_broken_keys_old_value_from_the_warm_file() {
    for shell in SHELLS {
        let sb = Sandbox::new("warm-broken");
        sb.config("[hook]\ninterval_secs = 7\n");
        assert_eq!(interval_in(&sb, shell), "7", "{shell}: first start reads the config");
        assert!(warm_file(&sb).exists(), "{shell}: the first start wrote the warm file");
        std::thread::sleep(std::time::Duration::from_millis(20));
        sb.config("[hook]\ninterval_secs = \"seven\"\n");
        let check = wslgo(&sb, &["config", "check"]);
        let said = String::from_utf8_lossy(&check.stderr);
        assert!(said.contains("using 3"), "{shell}: config check names the default: {said}");
        assert_eq!(
            interval_in(&sb, shell),
            "3",
            "{shell}: a new terminal uses the default of a broken key, not the old config's value"
        );
        // Still so for the terminal after that (the file must not carry the old value on).
        assert_eq!(interval_in(&sb, shell), "3", "{shell}: the next new terminal too");
    }
}

/// An `XDG_RUNTIME_DIR` that is not this user's (a root shell that inherited the user's, as
/// `sudo -E` or WSLg's shared `/mnt/wslg/runtime-dir` give it; or a shared `/tmp`) is not a
/// runtime directory for this user (the XDG spec: it must be owned by the user): wslgo's cache
/// goes to `$XDG_CACHE_HOME/wslgo` instead, and nothing is created in the other user's
/// directory (a root-owned `wslgo` there would cost that user the warm start and the proxy
/// cache, and they could not remove it).
#[test]
fn a_runtime_dir_that_is_not_this_users_is_left_alone() {
    // SAFETY: geteuid(2) has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        common::skip("needs root, to give the runtime directory to another user");
        return;
    }
    let sb = Sandbox::new("warm-foreign-run");
    sb.config("[hook]\ninterval_secs = 7\n");
    let run = sb.dir.path().join("run");
    std::os::unix::fs::chown(&run, Some(4321), Some(4321)).unwrap();
    std::fs::set_permissions(&run, std::fs::Permissions::from_mode(0o700)).unwrap();
    assert_eq!(interval_in(&sb, "bash"), "7");
    assert!(
        !run.join("wslgo").exists(),
        "wslgo created its cache in another user's runtime directory"
    );
    let home_cache = sb.home.join(".cache/wslgo/warm");
    assert!(home_cache.exists(), "the warm file went to $XDG_CACHE_HOME/wslgo instead");
    // And it is used from there: doctored, a new terminal takes it.
    let text = std::fs::read_to_string(&home_cache).unwrap();
    std::fs::write(&home_cache, text.replace("\"interval_secs\":7", "\"interval_secs\":42")).unwrap();
    assert_eq!(interval_in(&sb, "bash"), "42");
}

/// A config rewritten in place, at the same size, within one tick of a coarse file clock keeps
/// its stamp (path, mtime, size, inode): the parse of a file changed in the last 2 s is not
/// cached, so the rewrite is read at the next refresh (and a new terminal does not inherit the
/// old parse through the warm file).
#[test]
fn a_config_rewritten_within_a_clock_tick_is_read_again() {
    for shell in SHELLS {
        let sb = Sandbox::new("warm-tick");
        let p = sb.home.join(".config/wslgo/config.toml");
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, "[hook]\ninterval_secs = 7\n").unwrap();
        let t = std::fs::metadata(&p).unwrap().modified().unwrap();
        let q = p.display();
        // In the shell: rewrite in place with the same size and put the same mtime back (what a
        // coarse clock does by itself), then cd to force a refresh.
        let script = format!(
            "echo \"a=$_wslgo_iv\"\nprintf '[hook]\\ninterval_secs = 8\\n' 1<> '{q}'\ntouch -d @{} '{q}'\ncd /\necho \"b=$_wslgo_iv\"\n",
            format_args!(
                "{}.{:09}",
                t.duration_since(std::time::UNIX_EPOCH).unwrap().as_secs(),
                t.duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos()
            )
        );
        let o = sb.run(shell, &script).expect("shell");
        assert_eq!(
            std::fs::metadata(&p).unwrap().modified().unwrap(),
            t,
            "{shell}: the stamp's mtime was restored"
        );
        assert_eq!(o.value("a").as_deref(), Some("7"), "{shell}: {}", o.stderr);
        assert_eq!(o.value("b").as_deref(), Some("8"), "{shell}: the rewrite is read: {}", o.stderr);
    }
}

/// Every new terminal says `config-invalid` for a broken config (README "Warnings": once per
/// shell session), not only the first one: the warm file's cached parse of a broken file
/// carries no problems, so a settled broken file is never taken from the cache.
#[test]
fn every_new_terminal_warns_about_a_broken_config() {
    for shell in SHELLS {
        let sb = Sandbox::new("warm-broken-warns");
        let p = sb.home.join(".config/wslgo/config.toml");
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, "[hook]\ninterval_secs = \"seven\"\n").unwrap();
        // Settled: older than the 2 s within which a parse is never cached.
        let old = std::time::SystemTime::now() - std::time::Duration::from_secs(60);
        std::fs::File::options().write(true).open(&p).unwrap().set_modified(old).unwrap();
        for n in 1..=3 {
            let o = sb.run(shell, "echo \"iv=$_wslgo_iv\"").expect("shell");
            let all = format!("{}{}", o.stdout, o.stderr);
            assert_eq!(o.value("iv").as_deref(), Some("3"), "{shell}: terminal {n}: {all}");
            assert!(
                all.contains("config-invalid") && all.contains("interval_secs"),
                "{shell}: terminal {n} did not warn about the broken key: {all}"
            );
            assert!(warm_file(&sb).exists(), "{shell}: terminal {n} left the warm file");
        }
    }
}
