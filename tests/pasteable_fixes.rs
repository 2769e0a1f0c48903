//! Every fix wslgo prints is a command a user can paste (issue 11 item 5, SPEC 5.6, 5.7): the
//! printed fix is run in a real shell in a sandbox (a temp HOME, a temp tree standing in for
//! /mnt/c) and must do exactly what it says and nothing else. Directory names hold spaces,
//! quotes, `$(touch x)`, backticks, a newline and a byte that is not UTF-8: a fix that ran a
//! `touch` leaves a stray file behind, which is looked for everywhere.

mod common;
use common::*;
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Names that break an unquoted (or double-quoted) fix.
const NAMES: &[&[u8]] = &[
    b"go app",
    b"we'ird $(touch x)",
    b"back`touch y`tick \"q\" \\z",
    b"new\nline \xff end",
];

/// Files named like what a hostile name would create when executed.
fn strays(dirs: &[&Path]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for d in dirs {
        for n in ["x", "y"] {
            if d.join(n).exists() {
                out.push(d.join(n));
            }
        }
    }
    out
}

/// Runs `cmd` in `shell -c` with HOME set, in `cwd`; returns stdout.
fn paste(shell: &str, cmd: &str, home: &Path, cwd: &Path) -> Vec<u8> {
    let o = Command::new(shell)
        .arg("-c")
        .arg(cmd)
        .env_clear()
        .env("HOME", home)
        .env("PATH", "/usr/bin:/bin")
        .current_dir(cwd)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "{shell}: the pasted fix failed: {cmd}\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    o.stdout
}

/// `drvfs-cwd`: for each hostile module name on a fake drive, the printed `mkdir && mv && cd`
/// (from `wslgo env --json`, the hook's own planner) is pasted into bash and zsh: the module
/// is under ~/src with its name and contents, the shell ends up in it, the drive no longer has
/// it, and no command hidden in the name ran. One name also goes through a real interactive
/// bash, whose warning line is the one pasted.
#[test]
fn drvfs_cwd_fix_moves_exactly_the_module() {
    for shell in SHELLS {
        let Some(sh) = shell_path(shell) else { continue };
        for (i, name) in NAMES.iter().enumerate() {
            let name = OsStr::from_bytes(name);
            let drives = TempDir::new("pfix-drive");
            let c = std::fs::canonicalize(drives.path()).unwrap().join("c");
            let module = c.join("My Projects").join(name);
            std::fs::create_dir_all(module.join("pkg")).unwrap();
            std::fs::write(module.join("go.mod"), "module example.com/x\n\ngo 1.19\n").unwrap();
            std::fs::write(module.join("pkg/a.go"), "package pkg\n").unwrap();
            let root = TempDir::new("pfix-root");
            put(
                root.path(),
                "/proc/self/mountinfo",
                format!(
                    "82 1 8:32 / / rw,relatime - ext4 /dev/sdc rw\n\
                     97 82 0:50 / {} rw,noatime - 9p C:\\134 rw,dirsync,aname=drvfs;path=C:\\;uid=1000\n",
                    c.display()
                ),
            );
            std::fs::create_dir_all(root.path().join("usr/lib/locale/C.utf8")).unwrap();
            let mut sb = Sandbox::new("pfix");
            sb.set("WSLGO_SYSROOT", root.path());
            sb.set("PWD", &module);

            let line = if i == 1 && *shell == "bash" {
                // Through a real interactive shell: the warning as the user sees it.
                sb.unset("PWD");
                let cd = format!(
                    "cd {}\necho ok=1\n",
                    String::from_utf8(wslgo::render::quote(module.as_os_str().as_bytes())).unwrap()
                );
                let Some(o) = sb.run("bash", &cd) else { return };
                assert_eq!(o.value("ok").as_deref(), Some("1"), "{}", o.stderr);
                let w: Vec<String> = o.warnings().into_iter().filter(|l| l.starts_with("wslgo: drvfs-cwd: ")).collect();
                assert_eq!(w.len(), 1, "{}", o.stderr);
                w[0].clone()
            } else {
                let v = {
                    let mut c = Command::new(&sb.bin);
                    c.env_clear().envs(sb.env.iter().map(|(k, v)| (k, v))).current_dir(&module);
                    let o = c.args(["env", "--json"]).output().unwrap();
                    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
                    serde_json::from_slice::<serde_json::Value>(&o.stdout).unwrap()
                };
                let w = v["warnings"].as_array().unwrap().iter().find(|w| w["id"] == "drvfs-cwd");
                w.unwrap_or_else(|| panic!("no drvfs-cwd for {name:?}: {v}"))["message"]
                    .as_str()
                    .unwrap()
                    .to_string()
            };
            let cmd = line
                .split_once("work from there: ")
                .unwrap_or_else(|| panic!("no command in {line}"))
                .1;
            let scratch = TempDir::new("pfix-cwd");
            let out = paste(sh.to_str().unwrap(), &format!("{cmd} && pwd -P"), &sb.home, scratch.path());
            let dest = std::fs::canonicalize(&sb.home).unwrap().join("src").join(name);
            let case = format!("{shell} {name:?}: {cmd}");
            assert_eq!(out.strip_suffix(b"\n"), Some(dest.as_os_str().as_bytes()), "{case}: cd");
            assert!(!module.exists(), "{case}: still on the drive");
            assert_eq!(std::fs::read_to_string(dest.join("pkg/a.go")).unwrap(), "package pkg\n", "{case}");
            assert!(dest.join("go.mod").is_file(), "{case}");
            // Nothing else: ~/src holds only the module, the drive only the empty parent.
            let in_src: Vec<_> = std::fs::read_dir(sb.home.join("src"))
                .unwrap()
                .flatten()
                .map(|e| e.file_name())
                .collect();
            assert_eq!(in_src, vec![name.to_os_string()], "{case}");
            let left: Vec<_> = std::fs::read_dir(c.join("My Projects")).unwrap().flatten().collect();
            assert!(left.is_empty(), "{case}: {left:?}");
            let s = strays(&[scratch.path(), &sb.home, &c, &c.join("My Projects"), &dest]);
            assert!(s.is_empty(), "{case}: a command in the name ran: {s:?}");
        }
    }
}

/// `profile-skipped` and doctor's `shell.startup`: with ZDOTDIR (and so the file the fix
/// writes) under a hostile directory name, the printed `echo ... >> file` appends exactly the
/// line to exactly that file; after it, a login zsh reads ~/.profile (the warning is gone and
/// the variable set). Doctor's fix is the same command.
#[test]
fn profile_fix_appends_the_line_to_the_named_file() {
    let Some(zsh) = shell_path("zsh") else { return };
    for name in NAMES {
        let name = OsStr::from_bytes(name);
        let mut sb = Sandbox::new("pfix-prof");
        let root = TempDir::new("pfix-prof-root");
        put(root.path(), "/etc/zsh/zshenv", "");
        std::fs::create_dir_all(root.path().join("usr/lib/locale/C.utf8")).unwrap();
        sb.set("WSLGO_SYSROOT", root.path());
        let zd = sb.home.join(name).join("zdot");
        std::fs::create_dir_all(&zd).unwrap();
        sb.set("ZDOTDIR", &zd).set("SHELL", "/usr/bin/zsh");
        std::fs::write(sb.home.join(".profile"), "export EDITOR_T=vim\n").unwrap();
        let case = format!("{name:?}");

        let v = env_json(&sb);
        let w = v["warnings"].as_array().unwrap().iter().find(|w| w["id"] == "profile-skipped");
        let msg = w.unwrap_or_else(|| panic!("{case}: no profile-skipped: {v}"))["message"]
            .as_str()
            .unwrap()
            .to_string();
        let cmd = msg
            .rsplit_once(": echo ")
            .map(|(_, c)| format!("echo {c}"))
            .unwrap_or_else(|| panic!("{case}: {msg}"));

        let o = wslgo(&sb, &["doctor", "--json"]);
        let d: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        let check = d["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == "shell.startup")
            .unwrap()
            .clone();
        assert!(
            check["fix"].as_str().unwrap().ends_with(&cmd),
            "{case}: doctor {check} vs hook {cmd}"
        );

        let scratch = TempDir::new("pfix-prof-cwd");
        paste(zsh.to_str().unwrap(), &cmd, &sb.home, scratch.path());
        let zprofile = zd.join(".zprofile");
        assert_eq!(
            std::fs::read_to_string(&zprofile).unwrap(),
            "emulate sh -c '. ~/.profile'\n",
            "{case}: {cmd}"
        );
        let files: Vec<_> = std::fs::read_dir(&zd).unwrap().flatten().map(|e| e.file_name()).collect();
        assert_eq!(files, vec![OsStr::new(".zprofile").to_os_string()], "{case}: only the named file");
        let s = strays(&[scratch.path(), &sb.home, &zd]);
        assert!(s.is_empty(), "{case}: a command in the name ran: {s:?}");

        // The fix works: a login zsh now has the variable and no warning.
        let Some(o) = sb.run_opts("zsh", true, "echo \"E=$EDITOR_T\"\n") else {
            return;
        };
        assert_eq!(o.value("E").as_deref(), Some("vim"), "{case}: {}", o.stderr);
        assert_eq!(o.count_warning("profile-skipped"), 0, "{case}: {}", o.stderr);
    }
}

/// Doctor's fixes that name paths (go.path's `mv`, shell.hook's `>> rc`): run in a sandbox
/// whose HOME has a hostile name, each does what it says and nothing else. (Names that are
/// valid UTF-8: doctor reads GOPATH as text, so a byte that is not UTF-8 names another path.)
#[test]
fn doctor_fixes_quote_paths() {
    for name in NAMES.iter().filter(|n| std::str::from_utf8(n).is_ok()) {
        let name = OsStr::from_bytes(name);
        let mut sb = Sandbox::new("pfix-doc");
        let root = TempDir::new("pfix-doc-root");
        std::fs::create_dir_all(root.path().join("usr/lib/locale/C.utf8")).unwrap();
        put(root.path(), "/proc/sys/kernel/osrelease", "6.1.0-18-amd64\n");
        sb.set("WSLGO_SYSROOT", root.path());
        // GOPATH is a file: go.path's fix moves it away.
        let gopath = sb.home.join(name).join("gopath");
        std::fs::create_dir_all(gopath.parent().unwrap()).unwrap();
        std::fs::write(&gopath, "not a directory").unwrap();
        sb.set("GOPATH", &gopath);
        // zsh is the user's shell, ZDOTDIR under the hostile name, no init line anywhere.
        let zd = sb.home.join(name).join("zdot");
        std::fs::create_dir_all(&zd).unwrap();
        sb.set("ZDOTDIR", &zd).set("SHELL", "/usr/bin/zsh");
        let case = format!("{name:?}");

        let o = wslgo(&sb, &["doctor", "--json"]);
        let d: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        let fix = |id: &str| -> String {
            let c = d["checks"].as_array().unwrap().iter().find(|c| c["id"] == id).unwrap();
            c["fix"].as_str().unwrap().to_string()
        };
        let scratch = TempDir::new("pfix-doc-cwd");

        let mv = fix("go.path");
        let mv = mv.split_once("move it away: ").unwrap_or_else(|| panic!("{case}: {mv}\n{d}")).1;
        paste("bash", mv, &sb.home, scratch.path());
        let mut bak = gopath.clone().into_os_string();
        bak.push(".bak");
        assert!(!gopath.exists() && Path::new(&bak).is_file(), "{case}: {mv}");

        let hook = fix("shell.hook");
        assert!(hook.starts_with("echo "), "{case}: {hook}");
        paste("bash", &hook, &sb.home, scratch.path());
        assert_eq!(
            std::fs::read_to_string(zd.join(".zshrc")).unwrap(),
            "eval \"$(wslgo init zsh)\"\n",
            "{case}: {hook}"
        );
        let s = strays(&[scratch.path(), &sb.home, &zd, gopath.parent().unwrap()]);
        assert!(s.is_empty(), "{case}: a command in the name ran: {s:?}");
    }
}

/// The quoting itself, against real bash and zsh: every byte but NUL comes back as written.
#[test]
fn fix_words_round_trip_in_real_shells() {
    let mut words: Vec<Vec<u8>> = NAMES.iter().map(|n| n.to_vec()).collect();
    words.push((1u8..=255).collect());
    words.push(b"'".to_vec());
    words.push(Vec::new());
    for shell in SHELLS {
        let Some(sh) = shell_path(shell) else { continue };
        for w in &words {
            let q = wslgo::render::fix_word(w);
            assert!(
                !q.contains('\n') && !q.chars().any(|c| c.is_control()),
                "not one printable line: {q:?}"
            );
            let o = Command::new(&sh).arg("-c").arg(format!("printf '%s' {q}")).output().unwrap();
            assert_eq!(o.stdout, *w, "{shell}: {q}");
        }
    }
}
