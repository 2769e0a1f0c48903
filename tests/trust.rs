//! Issue 11 (trust), items 1-4 and 10, in real shells and through the binary: nothing wslgo
//! exports, reads or prints can hurt the user's shell.

mod common;
use common::*;
use std::ffi::OsString;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn q(p: &Path) -> String {
    String::from_utf8(wslgo::render::quote(p.as_os_str().as_bytes())).unwrap()
}

/// The `__WSLGO_` variables in an `env -0` dump.
fn wslgo_vars(dump: &[u8]) -> Vec<(String, Vec<u8>)> {
    dump.split(|&b| b == 0)
        .filter(|e| e.starts_with(b"__WSLGO_"))
        .map(|e| {
            let i = e.iter().position(|&b| b == b'=').unwrap();
            (String::from_utf8_lossy(&e[..i]).into_owned(), e[i + 1..].to_vec())
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// 1. E2BIG: every __WSLGO_ value capped, none holding a newline

/// A valid config of ~245 KB (95 KB of comments, a `proxy.no_proxy` list of 150 KB): programs
/// still run after init and after a refresh, the config still applies (read afresh), and every
/// `__WSLGO_` value is small and one line.
#[test]
fn huge_config_costs_the_cache_never_the_next_command() {
    let mut text = String::new();
    for i in 0..1300 {
        text.push_str(&format!(
            "# comment line {i:05} of a long and chatty config file, padded out......\n"
        ));
    }
    text.push_str("[go]\npath = \"/custom/gopath\"\n[proxy]\nno_proxy = [");
    for i in 0..5500 {
        text.push_str(&format!("\"host-{i:05}.corp.example\", "));
    }
    text.push_str("]\n");
    // Under the config's own 256 KiB limit, and the list alone, as JSON, over Linux's 128 KiB
    // limit for one environment string.
    assert!(text.len() < 256 * 1024 && 5500 * 26 > 128 * 1024, "{}", text.len());
    for sh in SHELLS {
        let sb = Sandbox::new("e2big");
        sb.config(&text);
        let dump = sb.dir.path().join("env.dump");
        let script = format!(
            "/bin/true && echo ok1=1\ncd /\ncd ~\n/bin/true && echo ok2=1\necho \"G=$GOPATH\"\n/usr/bin/env -0 > {}\n",
            q(&dump)
        );
        let Some(o) = sb.run(sh, &script) else { return };
        assert_eq!(o.value("ok1").as_deref(), Some("1"), "{sh}: exec after init failed: {}", o.stderr);
        assert_eq!(
            o.value("ok2").as_deref(),
            Some("1"),
            "{sh}: exec after a refresh failed: {}",
            o.stderr
        );
        assert_eq!(o.value("G").as_deref(), Some("/custom/gopath"), "{sh}: the config still applies");
        assert!(!o.stderr.contains("too long"), "{sh}: {}", o.stderr);
        let vars = wslgo_vars(&std::fs::read(&dump).unwrap());
        assert!(vars.iter().any(|(n, _)| n == "__WSLGO_STATE"), "{sh}: no state exported");
        for (n, v) in &vars {
            assert!(v.len() <= 48 * 1024, "{sh}: {n} is {} bytes", v.len());
            assert!(!v.contains(&b'\n'), "{sh}: {n} holds a newline");
        }
    }
}

/// A small config is still cached (one line, and a refresh with the file unchanged does not
/// need to read it: the cache value stays as it was).
#[test]
fn small_config_cache_is_one_line() {
    let sb = Sandbox::new("cfgcache");
    sb.config("[go]\npath = \"/g\"\n");
    let dump = sb.dir.path().join("env.dump");
    let Some(o) = sb.run("bash", &format!("cd /\ncd ~\n/usr/bin/env -0 > {}\n", q(&dump))) else {
        return;
    };
    let vars = wslgo_vars(&std::fs::read(&dump).unwrap());
    let cfg = vars
        .iter()
        .find(|(n, _)| n == "__WSLGO_CFG")
        .unwrap_or_else(|| panic!("no cache: {}", o.stderr));
    assert!(
        !cfg.1.contains(&b'\n') && cfg.1.len() < 8 * 1024,
        "{}",
        String::from_utf8_lossy(&cfg.1)
    );
    // Only the key that differs from the defaults is carried in every program's environment.
    let text = String::from_utf8_lossy(&cfg.1);
    assert!(text.ends_with(";{\"go\":{\"path\":\"/g\"}}"), "{text}");
}

// ---------------------------------------------------------------------------------------------
// 2. Never a state wslgo would refuse to read back

/// LANG, LC_ALL and GOROOT set to 8 KiB values of unusual bytes before init: wslgo replaces
/// them (not a UTF-8 locale, not an SDK), keeps its state across refreshes, and deactivate
/// restores all three byte for byte.
#[test]
fn three_long_originals_are_restored() {
    let long = |c: &str| c.repeat(8192 / c.len());
    let vals = [("LANG", long("é")), ("LC_ALL", long("$ ")), ("GOROOT", long("/ü"))];
    for sh in SHELLS {
        let mut sb = Sandbox::new("longorig");
        for (k, v) in &vals {
            sb.set(k, v.as_str());
            sb.set(&format!("O_{k}"), v.as_str());
        }
        let script = format!(
            "cd /\ncd ~\necho \"L=${{#LANG}}\"\neval \"$(wslgo deactivate {sh})\"\n\
             [[ \"$LANG\" == \"$O_LANG\" ]] && echo r1=1\n[[ \"$LC_ALL\" == \"$O_LC_ALL\" ]] && echo r2=1\n\
             [[ \"$GOROOT\" == \"$O_GOROOT\" ]] && echo r3=1\n"
        );
        let Some(o) = sb.run(sh, &script) else { return };
        let l: usize = o.value("L").unwrap_or_else(|| panic!("{sh}: {}", o.stderr)).parse().unwrap();
        assert!(l < 100, "{sh}: wslgo replaced the bad LANG");
        for r in ["r1", "r2", "r3"] {
            assert_eq!(o.value(r).as_deref(), Some("1"), "{sh}: {r} not restored; stderr: {}", o.stderr);
        }
    }
}

/// An original too long to keep (over 8 KiB) is not kept, and wslgo says so: in `wslgo env`
/// and when deactivate unsets the variable instead of restoring it.
#[test]
fn an_original_too_long_to_keep_is_said() {
    let mut sb = Sandbox::new("lostorig");
    sb.set("LANG", "x".repeat(9000));
    let script = "cd /\ncd ~\nwslgo env\neval \"$(wslgo deactivate bash)\"\necho \"U=${LANG-unset}\"\n";
    let Some(o) = sb.run("bash", script) else { return };
    let lang_line = o.stdout.lines().find(|l| l.contains("LANG") && l.contains("too long to keep"));
    assert!(lang_line.is_some(), "wslgo env does not say it: {}", o.stdout);
    assert_eq!(o.value("U").as_deref(), Some("unset"));
    assert!(
        o.stderr.contains("wslgo: LANG: its value before wslgo was too long to keep"),
        "{}",
        o.stderr
    );
}

// ---------------------------------------------------------------------------------------------
// 3. Nothing from a relative path (the current directory is never trusted)

/// A cloned repository whose `.config/wslgo/config.toml` sets `go.root` to an SDK inside it,
/// and a `sdk/go1.99.0` beside it: with HOME unset, empty or relative, or XDG_CONFIG_HOME
/// relative, a shell started there (and cd'ing back into it) gets none of it, and wslgo
/// creates nothing in it.
#[test]
fn a_cloned_directory_cannot_configure_wslgo() {
    let t = TempDir::new("clone");
    let repo = t.path().join("repo");
    let sdk = repo.join("evil-sdk");
    std::fs::create_dir_all(sdk.join("bin")).unwrap();
    std::fs::write(sdk.join("VERSION"), "go1.99.0\n").unwrap();
    std::fs::write(sdk.join("bin/go"), "#!/bin/sh\necho evil\n").unwrap();
    std::fs::set_permissions(sdk.join("bin/go"), std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    for base in [repo.join(".config/wslgo"), repo.join("x/wslgo")] {
        std::fs::create_dir_all(&base).unwrap();
        std::fs::write(
            base.join("config.toml"),
            format!("[go]\nroot = {:?}\npath = \"/evil\"\n", sdk.display()),
        )
        .unwrap();
    }
    type Case<'a> = (&'a str, &'a [(&'a str, Option<&'a str>)]);
    let cases: &[Case] = &[
        ("HOME unset", &[("HOME", None)]),
        ("HOME empty", &[("HOME", Some(""))]),
        ("HOME .", &[("HOME", Some("."))]),
        ("HOME relative", &[("HOME", Some("repo"))]),
        ("XDG_CONFIG_HOME relative", &[("XDG_CONFIG_HOME", Some("x"))]),
        ("WSLGO_CONFIG relative", &[("WSLGO_CONFIG", Some(".config/wslgo/config.toml"))]),
    ];
    for sh in SHELLS {
        for (name, vars) in cases {
            let mut sb = Sandbox::new("clone");
            for k in ["XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_RUNTIME_DIR"] {
                sb.unset(k);
            }
            for (k, v) in *vars {
                match v {
                    Some(v) => sb.set(k, *v),
                    None => sb.unset(k),
                };
            }
            let mut cmd = match sb.command(sh, false) {
                Some(c) => c,
                None => return,
            };
            cmd.current_dir(&repo);
            let script = format!(
                "cd /\ncd {}\necho \"G=${{GOROOT-}}\"\necho \"P=$GOPATH\"\necho \"PATH=$PATH\"\nwslgo config show >/dev/null 2>&1\n",
                q(&repo)
            );
            let o = run_with_input(&mut cmd, &script, std::time::Duration::from_secs(60));
            let g = o.value("G").unwrap_or_else(|| panic!("{sh} {name}: {}", o.stderr));
            assert!(!g.contains("evil"), "{sh} {name}: GOROOT from the clone: {g}");
            assert_ne!(o.value("P").as_deref(), Some("/evil"), "{sh} {name}");
            assert!(!o.value("PATH").unwrap().contains("evil"), "{sh} {name}");
            for made in ["wslgo", ".cache", "x/go", ".config/go", "repo"] {
                assert!(!repo.join(made).exists(), "{sh} {name}: created {made} in the current directory");
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// 4. Arguments from argc/argv (musl); a closed stdout ends quietly

/// Every printing command, its stdout a pipe nobody reads, started with SIGPIPE ignored (as
/// some launchers leave it): each ends by SIGPIPE (the shell's 141, README "Choices"), prints
/// nothing on stderr, never panics.
#[test]
fn closed_stdout_ends_quietly_by_sigpipe() {
    let sb = Sandbox::new("pipe");
    for args in [
        &["completions", "bash"][..],
        &["completions", "zsh"],
        &["env"],
        &["env", "--json"],
        &["doctor"],
        &["config", "show"],
        &["init", "bash"],
        &["--help"],
    ] {
        let (r, w) = std::io::pipe().unwrap();
        drop(r);
        let mut c = Command::new("bash");
        c.env_clear().envs(sb.env.iter().map(|(k, v)| (k, v)));
        c.arg("-c").arg("trap '' PIPE; exec \"$0\" \"$@\"").arg(bin()).args(args);
        let o = c.stdin(Stdio::null()).stdout(w).stderr(Stdio::piped()).output().unwrap();
        assert_eq!(
            o.status.signal(),
            Some(13),
            "{args:?}: {:?} stderr: {}",
            o.status,
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(o.stderr.is_empty(), "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
    }
    // As a user types it.
    let Some(o) = sb.run("bash", "wslgo completions bash | head -1 >/dev/null\necho \"PS=${PIPESTATUS[*]}\"\nwslgo env | head -c1 >/dev/null; echo \"E=${PIPESTATUS[0]}\"\n") else {
        return;
    };
    let ps = o.value("PS").unwrap();
    assert!(ps == "141 0" || ps == "0 0", "{ps}");
    assert!(!o.stderr.contains("panicked") && !o.stderr.contains("Broken pipe"), "{}", o.stderr);
}

/// A static musl build (the build that ships: scripts/lib/build.sh) sees its arguments: std
/// does not fill `std::env::args` there without its own start-up, so `main` builds them from
/// argc/argv. The release build in the suite's target directory, the one scripts/package and
/// scripts/install make (built once for all three).
#[test]
fn musl_build_sees_its_arguments() {
    // Under CI a missing target fails too, unless .ci/run could not fetch it (rustup's server
    // is not a package registry CI is sure to reach): then the SKIP line says so.
    let Some(triple) = common::build::musl_target() else { return };
    let dir = common::build::target_dir();
    let st = Command::new(env!("CARGO"))
        .args(["build", "--release", "--quiet", "--target", &triple, "--target-dir"])
        .arg(&dir)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .status()
        .unwrap();
    assert!(st.success(), "musl build failed");
    let musl = dir.join(&triple).join("release/wslgo");
    assert_eq!(common::build::elf_interpreter(&musl), None, "the musl build is not static");
    let o = Command::new(&musl).arg("--version").output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(
        String::from_utf8_lossy(&o.stdout).trim(),
        format!("wslgo {}", env!("CARGO_PKG_VERSION"))
    );
    // Non-UTF-8 bytes pass through as they are (clap names the bad value).
    let o = Command::new(&musl)
        .arg(OsString::from_vec(b"completions".to_vec()))
        .arg(OsString::from_vec(b"fi\xffsh".to_vec()))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    // The hand-parsed hot path too.
    let sb = Sandbox::new("musl");
    let mut c = Command::new(&musl);
    c.env_clear().envs(sb.env.iter().map(|(k, v)| (k, v))).args(["hook", "bash"]);
    let o = c.output().unwrap();
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stdout).contains("export __WSLGO_STATE="));
}

// ---------------------------------------------------------------------------------------------
// 10. Leftovers

/// The binary is deleted: the next refresh says so once and removes the hook, and no `wslgo`
/// function (nor completion) is left pointing at the old path.
#[test]
fn gone_binary_leaves_no_wslgo_function() {
    for sh in SHELLS {
        let mut sb = Sandbox::new("gone");
        let copy: PathBuf = sb.dir.path().join("wslgo-copy");
        std::fs::copy(bin(), &copy).unwrap();
        sb.bin = copy.clone();
        let check = match *sh {
            "bash" => {
                "declare -F wslgo >/dev/null && echo F=yes || echo F=no\ncomplete -p wslgo >/dev/null 2>&1 && echo C=yes || echo C=no\n"
            }
            _ => "(( ${+functions[wslgo]} )) && echo F=yes || echo F=no\necho C=no\n",
        };
        let script = format!("rm -f {}\ncd /\ncd ~\ncd /\n{check}", q(&copy));
        let Some(o) = sb.run(sh, &script) else { return };
        assert_eq!(
            o.stderr.matches("is gone; the prompt hook removed itself").count(),
            1,
            "{sh}: {}",
            o.stderr
        );
        assert_eq!(o.value("F").as_deref(), Some("no"), "{sh}: a wslgo function is left");
        assert_eq!(o.value("C").as_deref(), Some("no"), "{sh}: a completion is left");
    }
}

/// `eval "$(wslgo deactivate bash)"` typed in zsh (and zsh's in bash): one clear line, nothing
/// changed (the hook and state stay, the right deactivate still works after).
#[test]
fn deactivate_for_the_other_shell_says_so_once() {
    for (sh, other) in [("bash", "zsh"), ("zsh", "bash")] {
        let sb = Sandbox::new("deact-other");
        let script = format!(
            "cd /\neval \"$(wslgo deactivate {other})\"\necho \"S=${{__WSLGO_STATE:+kept}}\"\n\
             eval \"$(wslgo deactivate {sh})\"\necho \"T=${{__WSLGO_STATE:-gone}}\"\n"
        );
        let Some(o) = sb.run(sh, &script) else { return };
        let lines = o.warnings();
        assert_eq!(lines.len(), 1, "{sh}: {}", o.stderr);
        assert!(lines[0].starts_with(&format!("wslgo: this is {other} code")), "{sh}: {}", lines[0]);
        for bad in [
            "no such builtin",
            "command not found",
            "syntax error",
            "parse error",
            "bad substitution",
        ] {
            assert!(!o.stderr.contains(bad), "{sh}: {bad}: {}", o.stderr);
        }
        assert_eq!(o.value("S").as_deref(), Some("kept"), "{sh}: nothing changed");
        assert_eq!(o.value("T").as_deref(), Some("gone"), "{sh}: its own deactivate works");
    }
}

/// Through the binary, HOME unset in a cloned directory: `config path` says why there is none
/// (exit 1), `config show` prints the defaults, and doctor reads no startup file from it.
#[test]
fn commands_without_home_read_nothing_from_the_cwd() {
    let t = TempDir::new("clone-cmd");
    let repo = t.path();
    std::fs::create_dir_all(repo.join(".config/wslgo")).unwrap();
    std::fs::write(repo.join(".config/wslgo/config.toml"), "[go]\npath = \"/evil\"\n").unwrap();
    std::fs::write(repo.join(".profile"), "export EVIL_PROFILE=1\nPATH=\"/evil/bin:$PATH\"\n").unwrap();
    let mut sb = Sandbox::new("clone-cmd");
    for k in ["HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_RUNTIME_DIR"] {
        sb.unset(k);
    }
    let run = |args: &[&str]| {
        let mut c = Command::new(bin());
        c.env_clear().envs(sb.env.iter().map(|(k, v)| (k, v))).current_dir(repo).args(args);
        c.stdin(Stdio::null()).output().unwrap()
    };
    let o = run(&["config", "path"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no config is read"), "{o:?}");
    let o = run(&["config", "show"]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("(defaults)") && !out.contains("/evil"), "{out}");
    let o = run(&["env", "--json"]);
    assert!(!String::from_utf8_lossy(&o.stdout).contains("/evil"));
    let o = run(&["doctor", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let c = v["checks"].as_array().unwrap().iter().find(|c| c["id"] == "shell.startup").unwrap();
    assert_eq!(c["status"], "skip", "{c}");
    assert!(!o.stdout.windows(4).any(|w| w == b"EVIL"), "{}", String::from_utf8_lossy(&o.stdout));
}
