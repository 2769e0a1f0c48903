//! SPEC 11 and the hook engine of issue 2, in real interactive bash and zsh.

mod common;
use common::*;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A sysroot where C.UTF-8 is available (a /usr/lib/locale/C.utf8 directory, as Debian has).
fn c_utf8_root() -> TempDir {
    let r = TempDir::new("croot");
    std::fs::create_dir_all(r.path().join("usr/lib/locale/C.utf8")).unwrap();
    r
}

fn sandbox(tag: &str, root: &Path) -> Sandbox {
    let mut sb = Sandbox::new(tag);
    sb.set("WSLGO_SYSROOT", root.as_os_str());
    sb
}

#[test]
fn exit_status_and_pipestatus_survive_the_hook() {
    let root = c_utf8_root();
    // Each refresh really runs the binary (interval 0), the hard case.
    let variants: &[(&str, &str)] = &[
        ("none", ""),
        ("string", "PROMPT_COMMAND='_u=1'\n"),
        ("semicolon", "PROMPT_COMMAND='_u=1;'\n"),
        ("semicolon-space", "PROMPT_COMMAND='_u=1 ;  '\n"),
        ("array", "PROMPT_COMMAND=('_u=1' '_v=2')\n"),
    ];
    for (name, pc) in variants {
        let mut sb = sandbox("status", root.path());
        sb.config("[hook]\ninterval_secs = 0\n");
        sb.rc_before = pc.to_string();
        sb.rc_before.push_str("PS1='<rc=$?>'\n");
        let Some(o) = sb.run("bash", "false\necho \"S=$?\"\nfalse | true\necho \"P=${PIPESTATUS[*]}\"\ntrue | false | true\necho \"Q=${PIPESTATUS[*]}\"\necho \"U=${_u-}${_v-}\"\nfalse\n")
        else {
            return;
        };
        assert_eq!(o.value("S").as_deref(), Some("1"), "{name}: {}", o.stderr);
        assert_eq!(o.value("P").as_deref(), Some("1 0"), "{name}");
        assert_eq!(o.value("Q").as_deref(), Some("0 1 0"), "{name}");
        if !pc.is_empty() {
            assert!(
                o.value("U").unwrap().starts_with('1'),
                "{name}: the user's PROMPT_COMMAND still runs"
            );
        }
        // The prompt itself sees the user's $?: after `false`, PS1 shows 1.
        assert!(o.stderr.contains("<rc=1>"), "{name}: prompt did not see $?=1: {}", o.stderr);
        assert!(
            !o.stderr.contains("syntax error") && !o.stderr.contains("command not found"),
            "{name}: {}",
            o.stderr
        );
    }
    let mut sb = sandbox("status", root.path());
    sb.config("[hook]\ninterval_secs = 0\n");
    sb.rc_before = "PS1='<rc=%?>'\n".into();
    sb.rc_after = "PS1='<rc=%?>'\n".into();
    let Some(o) = sb.run("zsh", "false\necho \"S=$?\"\nfalse | true\necho \"P=${pipestatus[*]}\"\nfalse\n") else {
        return;
    };
    assert_eq!(o.value("S").as_deref(), Some("1"), "{}", o.stderr);
    assert_eq!(o.value("P").as_deref(), Some("1 0"));
    assert!(o.stderr.contains("<rc=1>"), "zsh prompt did not see $?=1: {}", o.stderr);
}

#[test]
fn resourcing_registers_one_hook() {
    let root = c_utf8_root();
    for sh in SHELLS {
        let mut sb = sandbox("resource", root.path());
        let init = format!("eval \"$('{}' init {sh})\"\n", sb.bin.display());
        sb.rc_after = format!("{init}{init}");
        let probe = if *sh == "bash" {
            "echo \"H=${PROMPT_COMMAND}\""
        } else {
            "echo \"H=${precmd_functions[*]}\""
        };
        let Some(o) = sb.run(sh, probe) else { continue };
        let h = o.value("H").unwrap_or_else(|| panic!("{sh}: {}", o.stderr));
        assert_eq!(h.matches("_wslgo_hook").count(), 1, "{sh}: {h}");
        if *sh == "bash" {
            assert!(!o.value("A").unwrap_or_default().contains('x'), "bash: PROMPT_COMMAND was exported");
        }
    }
}

/// A script that proves the shell still works and the environment was refreshed.
const CHECK: &str = "cd /\ncd /tmp\necho \"L=$LANG|$LC_ALL\"\necho \"OK=1\"\n";

#[test]
fn user_options_and_aliases_change_nothing() {
    let root = c_utf8_root();
    let hostile_bash = "set -u\nIFS=:\nalias command='echo HIJACKED'\nalias builtin='echo HIJACKED'\nalias printf='echo HIJACKED'\n";
    let hostile_zsh = "setopt ksh_arrays sh_word_split nounset\nIFS=:\nalias command='echo HIJACKED'\nalias builtin='echo HIJACKED'\nalias printf='echo HIJACKED'\n";
    for (sh, rc) in [("bash", hostile_bash), ("zsh", hostile_zsh)] {
        let mut sb = sandbox("opts", root.path());
        sb.unset("LANG").unset("LC_ALL");
        sb.config("[hook]\ninterval_secs = 0\n");
        sb.rc_before = rc.to_string();
        let Some(o) = sb.run(sh, CHECK) else { continue };
        assert_eq!(o.value("L").as_deref(), Some("C.UTF-8|C.UTF-8"), "{sh}: {}", o.stderr);
        assert_eq!(o.value("OK").as_deref(), Some("1"));
        assert!(!o.stdout.contains("HIJACKED"), "{sh}: {}", o.stdout);
        for bad in ["unbound", "parameter not set", "not found", "syntax error", "bad substitution"] {
            assert!(!o.stderr.contains(bad), "{sh}: {bad}: {}", o.stderr);
        }
    }
}

#[test]
fn errexit_does_not_kill_the_shell() {
    let root = c_utf8_root();
    for (sh, opt) in [("bash", "set -e"), ("zsh", "setopt err_exit")] {
        let mut sb = sandbox("errexit", root.path());
        sb.config("[hook]\ninterval_secs = 0\n");
        sb.rc_after = format!("{opt}\n");
        // `false && true` leaves $? = 1 without tripping errexit; the hook must not trip it either.
        let Some(o) = sb.run(sh, "false && true\ncd /tmp\necho \"ALIVE=1\"\n") else {
            continue;
        };
        assert_eq!(o.value("ALIVE").as_deref(), Some("1"), "{sh}: {}", o.stderr);
    }
}

#[test]
fn non_interactive_shells_do_nothing() {
    let root = c_utf8_root();
    let sb = sandbox("nonint", root.path());
    for sh in SHELLS {
        let Some(path) = shell_path(sh) else { continue };
        let script = format!(
            "eval \"$('{}' init {sh})\"; echo \"LC=${{LC_ALL-unset}}\"; echo \"F=$(typeset -f _wslgo_hook >/dev/null 2>&1 && echo yes || echo no)\"; echo \"S=${{__WSLGO_STATE-unset}}\"",
            sb.bin.display()
        );
        let mut c = Command::new(path);
        c.env_clear()
            .envs(sb.env.iter().map(|(k, v)| (k, v)))
            .env("LANG", "xx_YY.UTF-8")
            .env_remove("LC_ALL");
        c.arg("-c").arg(&script);
        let o = c.output().unwrap();
        let out = String::from_utf8_lossy(&o.stdout);
        assert!(out.contains("LC=unset"), "{sh}: {out}");
        assert!(out.contains("F=no"), "{sh}: {out}");
        assert!(out.contains("S=unset"), "{sh}: {out}");
        assert!(
            !String::from_utf8_lossy(&o.stderr).contains("wslgo:"),
            "{sh}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
}

#[test]
fn a_vanished_binary_says_so_once_and_unhooks() {
    let root = c_utf8_root();
    for sh in SHELLS {
        let mut sb = sandbox("vanish", root.path());
        let copy = sb.dir.path().join("bin/wslgo");
        std::fs::create_dir_all(copy.parent().unwrap()).unwrap();
        std::fs::copy(bin(), &copy).unwrap();
        sb.bin = copy.clone();
        let hooks = if *sh == "bash" {
            "${PROMPT_COMMAND}"
        } else {
            "${precmd_functions[*]}"
        };
        let script = format!(
            "echo A=1\nrm -f '{}'\ncd /\ncd /tmp\ncd /\necho \"H=[{hooks}]\"\necho \"B=1\"\n",
            copy.display()
        );
        let Some(o) = sb.run(sh, &script) else { continue };
        assert_eq!(o.value("B").as_deref(), Some("1"), "{sh}");
        assert_eq!(o.stderr.matches("is gone").count(), 1, "{sh}: {}", o.stderr);
        assert!(!o.value("H").unwrap().contains("_wslgo_hook"), "{sh}");
        assert!(!o.stderr.contains("No such file"), "{sh}: {}", o.stderr);
    }
}

#[test]
fn deactivate_restores_the_original_values() {
    let root = c_utf8_root();
    for sh in SHELLS {
        let mut sb = sandbox("deact", root.path());
        sb.set("LANG", "xx_YY.UTF-8").unset("LC_ALL");
        let hooks = if *sh == "bash" {
            "${PROMPT_COMMAND-}"
        } else {
            "${precmd_functions[*]-}"
        };
        let script = format!(
            "echo \"A=$LANG|${{LC_ALL-unset}}\"\necho \"P0=$PATH\"\neval \"$(wslgo deactivate {sh})\"\necho \"B=$LANG|${{LC_ALL-unset}}|${{__WSLGO_STATE-unset}}\"\necho \"P1=$PATH\"\necho \"H=[{hooks}]\"\necho \"W=$(whence -w wslgo 2>/dev/null || type -t wslgo)\"\n"
        );
        let Some(o) = sb.run(sh, &script) else { continue };
        assert_eq!(o.value("A").as_deref(), Some("C.UTF-8|C.UTF-8"), "{sh}: {}", o.stderr);
        assert_eq!(o.value("B").as_deref(), Some("xx_YY.UTF-8|unset|unset"), "{sh}: {}", o.stderr);
        let orig = sb
            .env
            .iter()
            .find(|(k, _)| k == "PATH")
            .map(|(_, v)| v.to_string_lossy().into_owned());
        assert_ne!(o.value("P0"), orig, "{sh}: wslgo put its entries on PATH (GOPATH/bin at least)");
        assert_eq!(o.value("P1"), orig, "{sh}: PATH is the user's again");
        assert_eq!(o.value("H").as_deref(), Some("[]"), "{sh}");
        assert!(
            !o.value("W").unwrap_or_default().contains("function"),
            "{sh}: the wrapper function is gone"
        );
    }
}

/// A wrapper that counts the binary's runs, put in place of the snippet's binary.
fn counting_wrapper(sb: &Sandbox) -> (PathBuf, PathBuf) {
    let log = sb.dir.path().join("runs.log");
    let w = sb.dir.path().join("counting-wslgo");
    std::fs::write(&log, "").unwrap();
    std::fs::write(
        &w,
        format!("#!/bin/sh\necho run >> '{}'\nexec '{}' \"$@\"\n", log.display(), bin().display()),
    )
    .unwrap();
    Command::new("chmod").arg("+x").arg(&w).status().unwrap();
    (w, log)
}

/// The number a script printed as `key=N` (a count of the wrapper's runs).
fn count(o: &Output, sh: &str, key: &str) -> usize {
    let v = o.value(key).unwrap_or_else(|| panic!("{sh}: no {key}: {}", o.stderr));
    v.trim().parse().unwrap_or_else(|_| panic!("{sh}: {key}={v} is no count"))
}

fn runs(log: &Path) -> usize {
    std::fs::read_to_string(log).map(|s| s.lines().count()).unwrap_or(0)
}

#[test]
fn a_prompt_where_nothing_changed_runs_no_process() {
    let root = c_utf8_root();
    for sh in SHELLS {
        let mut sb = sandbox("nospawn", root.path());
        sb.config("[hook]\ninterval_secs = 3600\n");
        let (w, log) = counting_wrapper(&sb);
        // The rc file swaps the binary for the counter right after init, so every run after
        // shell start is counted: the first prompt and ten quiet ones, a cd, ten more, a
        // config command.
        sb.rc_after = format!("_wslgo_bin='{}'\n", w.display());
        let mut script = String::from("echo first\n");
        script.push_str("echo \"N0=$(wc -l < '__LOG__' 2>/dev/null || echo 0)\"\n");
        for _ in 0..10 {
            script.push_str(":\n");
        }
        script.push_str("echo \"N1=$(wc -l < '__LOG__' 2>/dev/null || echo 0)\"\ncd /tmp\necho \"N2=$(wc -l < '__LOG__')\"\n");
        for _ in 0..10 {
            script.push_str(":\n");
        }
        script.push_str("echo \"N3=$(wc -l < '__LOG__')\"\nwslgo config path >/dev/null\n:\necho \"N4=$(wc -l < '__LOG__')\"\n");
        let script = script.replace("__LOG__", &log.display().to_string());
        let Some(o) = sb.run(sh, &script) else { continue };
        let n = |k: &str| count(&o, sh, k);
        let (n0, n1, n2, n3, n4) = (n("N0"), n("N1"), n("N2"), n("N3"), n("N4"));
        assert_eq!(n0, 0, "{sh}: the first prompts after shell start ran the binary");
        assert_eq!(n1, n0, "{sh}: quiet prompts ran the binary");
        assert_eq!(n2, n1 + 1, "{sh}: a cd refreshes once");
        assert_eq!(n3, n2, "{sh}: quiet prompts ran the binary");
        // `wslgo config path` is one run itself, and the next prompt refreshes: two.
        assert_eq!(n4, n3 + 2, "{sh}: a config command refreshes at the next prompt");
        assert!(runs(&log) >= n4);
    }
}

#[test]
fn the_interval_refreshes_and_disable_stops_everything() {
    let root = c_utf8_root();
    for sh in SHELLS {
        let sb = sandbox("interval", root.path());
        sb.config("[hook]\ninterval_secs = 1\n");
        let (w, log) = counting_wrapper(&sb);
        let script = format!(
            "_wslgo_bin='{w}'\n:\necho \"N0=$(wc -l < '{l}')\"\nsleep 1.2\n:\necho \"N1=$(wc -l < '{l}')\"; export WSLGO_DISABLE=1\ncd /\ncd /tmp\nsleep 1.2\n:\necho \"N2=$(wc -l < '{l}')\"\n",
            w = w.display(),
            l = log.display()
        );
        let Some(o) = sb.run(sh, &script) else { continue };
        let n = |k: &str| count(&o, sh, k);
        assert!(n("N1") > n("N0"), "{sh}: the interval passed without a refresh");
        assert_eq!(n("N2"), n("N1"), "{sh}: WSLGO_DISABLE=1 still ran the binary");
    }
}

/// Ctrl-C while a refresh runs leaves the environment as it was: typed in a real terminal
/// (tmux), with the binary swapped for one that sleeps before it answers, and a config
/// change that a finished refresh would apply (LC_ALL removed). The control run lets the
/// slow refresh finish and sees the change, so the test can tell the two apart.
#[test]
fn ctrl_c_during_a_refresh_keeps_the_old_environment() {
    use common::tmux::{READY, Tmux, launcher};
    let root = c_utf8_root();
    for sh in ALL_SHELLS {
        let fish = *sh == "fish";
        for interrupt in [true, false] {
            let mut sb = sandbox("ctrlc", root.path());
            sb.unset("LANG").unset("LC_ALL");
            let cfg = sb.config("[hook]\ninterval_secs = 3600\n");
            sb.rc_after = if fish {
                format!("function fish_prompt; echo -n '{READY} '; end\n")
            } else {
                format!("PS1='{READY} '\n")
            };
            let slow = sb.dir.path().join("slow-wslgo");
            std::fs::write(&slow, format!("#!/bin/sh\nsleep 3\nexec '{}' \"$@\"\n", bin().display())).unwrap();
            Command::new("chmod").arg("+x").arg(&slow).status().unwrap();
            let out = sb.dir.path().join("out");
            let Some(launch) = launcher(&sb, sh) else { return };
            let Some(tm) = Tmux::new(sb.dir.path()) else { return };
            let o = tm.cmd(&["new-session", "-d", "-s", "c", "-x", "200", "-y", "50", launch.to_str().unwrap()]);
            assert!(o.status.success(), "tmux: {}", String::from_utf8_lossy(&o.stderr));
            let (ok, screen) = tm.wait("c", |s| s.contains(READY));
            assert!(ok, "{sh}: no prompt: {screen}");
            let before = format!("echo \"$LC_ALL|$__WSLGO_STATE\" > '{}.before'", out.display());
            tm.cmd(&["send-keys", "-t", "c", "-l", &before]);
            tm.cmd(&["send-keys", "-t", "c", "Enter"]);
            // The next prompt refreshes through the slow binary with the new config.
            let go = if fish {
                format!(
                    "printf '[locale]\\nlc_all = false\\n[hook]\\ninterval_secs = 3600\\n' > '{}'; set -g _wslgo_bin '{}'; set -g _wslgo_dirty 1",
                    cfg.display(),
                    slow.display()
                )
            } else {
                format!(
                    "printf '[locale]\\nlc_all = false\\n[hook]\\ninterval_secs = 3600\\n' > '{}'; _wslgo_bin='{}'; _wslgo_dirty=1",
                    cfg.display(),
                    slow.display()
                )
            };
            tm.cmd(&["send-keys", "-t", "c", "-l", &go]);
            tm.cmd(&["send-keys", "-t", "c", "Enter"]);
            std::thread::sleep(std::time::Duration::from_millis(1000));
            if interrupt {
                tm.cmd(&["send-keys", "-t", "c", "C-c"]);
            } else {
                std::thread::sleep(std::time::Duration::from_millis(3000));
            }
            let after = if fish {
                format!(
                    "echo (set -q LC_ALL; and echo $LC_ALL; or echo unset)\"|$__WSLGO_STATE\" > '{}.after'",
                    out.display()
                )
            } else {
                format!("echo \"${{LC_ALL-unset}}|$__WSLGO_STATE\" > '{}.after'", out.display())
            };
            tm.cmd(&["send-keys", "-t", "c", "-l", &after]);
            tm.cmd(&["send-keys", "-t", "c", "Enter"]);
            let mut got = None;
            for _ in 0..200 {
                // The redirect creates the file before echo writes the line: wait for the line.
                if let Ok(s) = std::fs::read_to_string(format!("{}.after", out.display()))
                    && s.ends_with('\n')
                {
                    got = Some(s);
                    break;
                }
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            let screen = tm.capture("c");
            let _ = tm.cmd(&["kill-server"]);
            let before = std::fs::read_to_string(format!("{}.before", out.display())).unwrap();
            let after = got.unwrap_or_else(|| panic!("{sh}: the shell did not answer after the refresh:\n{screen}"));
            assert!(before.starts_with("C.UTF-8|w1;"), "{sh}: {before}");
            if interrupt {
                assert_eq!(after, before, "{sh}: Ctrl-C changed the environment:\n{screen}");
            } else {
                assert!(
                    after.starts_with("unset|w1;"),
                    "{sh}: the finished refresh applied the new config: {after}\n{screen}"
                );
            }
        }
    }
}

/// `wslgo env` run from a hooked shell reports wslgo's own variables as set by wslgo (the
/// state says so), and a variable the user changed as kept.
#[test]
fn env_in_a_hooked_shell_knows_what_wslgo_set() {
    let root = c_utf8_root();
    for sh in SHELLS {
        let mut sb = sandbox("envown", root.path());
        sb.unset("LANG").unset("LC_ALL");
        let script = "export LC_ALL=C.UTF-8\nwslgo env --json > out.json\necho DONE=1\n";
        let Some(o) = sb.run(sh, script) else { continue };
        assert_eq!(o.value("DONE").as_deref(), Some("1"));
        let v: serde_json::Value = serde_json::from_slice(&std::fs::read(sb.home.join("out.json")).unwrap()).unwrap();
        // LANG was set by wslgo at init; LC_ALL too, but the user re-exported the same value:
        // an unchanged value stays wslgo's.
        assert_eq!(json_var(&v, "LANG").unwrap()["action"], "set", "{sh}: {v}");
        assert_eq!(json_var(&v, "LC_ALL").unwrap()["action"], "set", "{sh}: {v}");
        let script = "export LANG=C.utf8\nwslgo env --json > out.json\necho DONE=1\n";
        let Some(_) = sb.run(sh, script) else { continue };
        let v: serde_json::Value = serde_json::from_slice(&std::fs::read(sb.home.join("out.json")).unwrap()).unwrap();
        assert_eq!(json_var(&v, "LANG").unwrap()["action"], "keep", "{sh}: {v}");
    }
}

/// Everything wslgo prints for a shell to eval passes the linters: `shellcheck --enable=all`
/// for bash, `zsh -n` for zsh, `fish -n` for fish, in states that exercise every part of the
/// output (a replaced user value, a missing locale's warning kept for the first prompt,
/// deactivate's restores of hostile bytes).
#[test]
fn generated_code_passes_shellcheck_zsh_n_and_fish_n() {
    let root = c_utf8_root();
    let none = TempDir::new("noloc");
    std::fs::create_dir_all(none.path().join("usr/lib/locale")).unwrap();
    for (sh, lint) in [
        ("bash", vec!["shellcheck", "--enable=all", "-s", "bash", "-"]),
        ("zsh", vec!["zsh", "-n"]),
        ("fish", vec!["fish", "-n"]),
    ] {
        let Some(tool) = shell_path(lint[0]) else { continue };
        let check = |label: &str, code: &[u8]| {
            use std::io::Write;
            let mut c = Command::new(&tool)
                .args(&lint[1..])
                .stdin(std::process::Stdio::piped())
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap();
            c.stdin.take().unwrap().write_all(code).unwrap();
            let o = c.wait_with_output().unwrap();
            assert!(
                o.status.success(),
                "{sh} {label}: {}{}",
                String::from_utf8_lossy(&o.stdout),
                String::from_utf8_lossy(&o.stderr)
            );
        };
        for (label, r, lang) in [
            ("init", root.path(), "xx_YY.UTF-8"),
            ("init-missing-locale", none.path(), "$(touch x)'\n\\'\u{e9}"),
        ] {
            let mut sb = sandbox("lint", r);
            sb.set("LANG", lang);
            let init = wslgo(&sb, &["init", sh]);
            if label == "init-missing-locale" {
                let text = String::from_utf8_lossy(&init.stdout);
                assert!(text.contains("_wslgo_warn"), "{sh}: the warning is not kept for the first prompt");
            }
            check(label, &init.stdout);
            let hook = wslgo(&sb, &["hook", sh, "--login", "--first"]);
            check(&format!("{label}/hook"), &hook.stdout);
            // deactivate in the state the hook left: restores the user's LANG.
            let st = String::from_utf8_lossy(&hook.stdout).lines().find_map(|l| {
                l.strip_prefix("export __WSLGO_STATE='")
                    .or_else(|| l.strip_prefix("set -gx __WSLGO_STATE '"))
                    .map(|v| v.trim_end_matches('\'').to_string())
            });
            assert!(st.is_some(), "{sh}: no state in the hook's output");
            if let Some(st) = st {
                sb.set("__WSLGO_STATE", st).set("LANG", "C.UTF-8").set("LC_ALL", "C.UTF-8");
            }
            check(&format!("{label}/deactivate"), &wslgo(&sb, &["deactivate", sh]).stdout);
        }
    }
}

/// The shell parses every byte of `wslgo init` at each shell start: the printed snippet holds
/// no comment-only line but its two-line header and shellcheck's directives (the templates'
/// comments are left out at build time; the completion stubs carry none), in states that add
/// to the output (a replaced value, a warning kept for the first prompt, the proxy variables).
#[test]
fn init_output_has_no_comment_lines_beyond_its_header() {
    let root = c_utf8_root();
    let none = TempDir::new("noloc");
    std::fs::create_dir_all(none.path().join("usr/lib/locale")).unwrap();
    for sh in ["bash", "zsh", "fish"] {
        for (label, r, lang) in [("plain", root.path(), "xx_YY.UTF-8"), ("warning", none.path(), "C")] {
            let mut sb = sandbox("nocomment", r);
            sb.set("LANG", lang).set("https_proxy", "http://127.0.0.1:9/");
            let o = wslgo(&sb, &["init", sh]);
            assert!(o.status.success(), "{sh} {label}");
            let text = String::from_utf8(o.stdout).unwrap();
            let lines: Vec<&str> = text.lines().collect();
            assert!(lines.len() > 20, "{sh} {label}: {text}");
            assert!(
                lines[0].starts_with("# wslgo for ") && lines[1].starts_with("#   "),
                "{sh} {label}: {text}"
            );
            if label == "warning" {
                assert!(text.contains("_wslgo_warn"), "{sh}: no warning kept: {text}");
            }
            let comments: Vec<&str> = lines[2..]
                .iter()
                .filter(|l| l.trim_start().starts_with('#') && !l.trim_start().starts_with("# shellcheck "))
                .copied()
                .collect();
            assert!(comments.is_empty(), "{sh} {label}: comment lines in the init output: {comments:#?}");
        }
    }
}

/// `wslgo init` prints nothing while the rc file runs (a powerlevel10k instant prompt would
/// complain): the rc file's own stderr, captured apart, is empty, while the warning (no UTF-8
/// locale anywhere) still shows once, at the first prompt. Shell start stays one process: the
/// init line runs through a counting wrapper, and nothing else runs before a cd.
#[test]
fn init_is_silent_and_warnings_wait_for_the_first_prompt() {
    let none = TempDir::new("silent-noloc");
    std::fs::create_dir_all(none.path().join("usr/lib/locale")).unwrap();
    for sh in SHELLS {
        let mut sb = sandbox("silent", none.path());
        sb.unset("LANG").unset("LC_ALL");
        sb.config("[hook]\ninterval_secs = 3600\n");
        let (w, log) = counting_wrapper(&sb);
        sb.bin = w;
        let rcerr = sb.dir.path().join("rc.stderr");
        sb.rc_before = format!("exec 3>&2 2>'{}'\n", rcerr.display());
        sb.rc_after = "exec 2>&3 3>&-\n".into();
        let l = log.display();
        let script = format!("echo \"N0=$(wc -l < '{l}')\"\n:\n:\necho \"N1=$(wc -l < '{l}')\"\ncd /tmp\ncd /\necho done=1\n");
        let Some(o) = sb.run(sh, &script) else { continue };
        assert_eq!(o.value("done").as_deref(), Some("1"), "{sh}: {}", o.stderr);
        let rc = std::fs::read_to_string(&rcerr).unwrap();
        assert_eq!(rc, "", "{sh}: the rc file printed on stderr");
        assert_eq!(o.count_warning("locale-missing"), 1, "{sh}: {}", o.stderr);
        assert_eq!(count(&o, sh, "N0"), 1, "{sh}: shell start ran the binary more than once");
        assert_eq!(count(&o, sh, "N1"), 1, "{sh}: quiet prompts ran the binary");
    }
}
