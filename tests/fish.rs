//! SPEC 5.8 and the SPEC 11 contract that applies to fish, in real interactive fish (`fish -i`
//! fed a script: fish_prompt fires before each line, as for a person typing).

mod common;
use common::*;
use std::path::{Path, PathBuf};
use std::process::Command;

fn c_utf8_root() -> TempDir {
    let r = TempDir::new("fcroot");
    std::fs::create_dir_all(r.path().join("usr/lib/locale/C.utf8")).unwrap();
    r
}

fn sandbox(tag: &str, root: &Path) -> Sandbox {
    let mut sb = Sandbox::new(tag);
    sb.set("WSLGO_SYSROOT", root.as_os_str());
    sb
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

fn count(o: &Output, key: &str) -> usize {
    let v = o.value(key).unwrap_or_else(|| panic!("no {key}: {}\n{}", o.stdout, o.stderr));
    v.trim().parse().unwrap_or_else(|_| panic!("{key}={v} is no count"))
}

/// Quiet prompts run nothing; a `cd` refreshes once (at the cd, not again at the prompt); a
/// `wslgo config` command refreshes at the next prompt; the interval refreshes; WSLGO_DISABLE=1
/// stops everything.
#[test]
fn fish_runs_no_process_on_a_quiet_prompt() {
    let root = c_utf8_root();
    let mut sb = sandbox("fnospawn", root.path());
    sb.config("[hook]\ninterval_secs = 3600\n");
    let (w, log) = counting_wrapper(&sb);
    sb.rc_after = format!("set -g _wslgo_bin '{}'\n", w.display());
    let n = |k: &str| format!("echo \"{k}=\"(count (cat '{}'))\n", log.display());
    let mut script = String::from("echo first\n");
    script.push_str(&n("N0"));
    for _ in 0..10 {
        script.push_str("true\n");
    }
    script.push_str(&n("N1"));
    script.push_str("cd /tmp\n");
    script.push_str(&n("N2"));
    for _ in 0..10 {
        script.push_str("true\n");
    }
    script.push_str(&n("N3"));
    script.push_str("wslgo config path >/dev/null\ntrue\n");
    script.push_str(&n("N4"));
    script.push_str("set -gx WSLGO_DISABLE 1\ncd /\ncd /tmp\n");
    script.push_str(&n("N5"));
    let Some(o) = sb.run("fish", &script) else { return };
    let (n0, n1, n2, n3, n4, n5) = (
        count(&o, "N0"),
        count(&o, "N1"),
        count(&o, "N2"),
        count(&o, "N3"),
        count(&o, "N4"),
        count(&o, "N5"),
    );
    assert_eq!(n0, 0, "the first prompts after start ran the binary: {}", o.stderr);
    assert_eq!(n1, n0, "quiet prompts ran the binary");
    assert_eq!(n2, n1 + 1, "a cd refreshes once");
    assert_eq!(n3, n2, "quiet prompts ran the binary");
    assert_eq!(n4, n3 + 2, "`wslgo config path` and the refresh after it");
    assert_eq!(n5, n4, "WSLGO_DISABLE=1 still ran the binary");
}

#[test]
fn fish_interval_refreshes() {
    let root = c_utf8_root();
    let mut sb = sandbox("finterval", root.path());
    sb.config("[hook]\ninterval_secs = 1\n");
    let (w, log) = counting_wrapper(&sb);
    sb.rc_after = format!("set -g _wslgo_bin '{}'\n", w.display());
    let l = log.display();
    // /proc/uptime counts whole seconds here: 2.2 s always crosses at least one 1 s interval.
    let script = format!("true\necho \"N0=\"(count (cat '{l}'))\nsleep 2.2\ntrue\necho \"N1=\"(count (cat '{l}'))\n");
    let Some(o) = sb.run("fish", &script) else { return };
    assert!(
        count(&o, "N1") > count(&o, "N0"),
        "the interval passed without a refresh: {}",
        o.stderr
    );
}

/// $status survives the hook, for the next command and for the prompt itself.
#[test]
fn fish_status_survives_the_hook() {
    let root = c_utf8_root();
    let mut sb = sandbox("fstatus", root.path());
    sb.config("[hook]\ninterval_secs = 0\n");
    sb.rc_after = "function fish_prompt; echo \"<rc=$status>\" >&2; end\n".into();
    let Some(o) = sb.run("fish", "false\necho \"S=$status\"\nfalse\n") else {
        return;
    };
    assert_eq!(o.value("S").as_deref(), Some("1"), "{}", o.stderr);
    assert!(o.stderr.contains("<rc=1>"), "the prompt did not see $status=1: {}", o.stderr);
}

/// Sourcing the init line twice registers one handler of each kind.
#[test]
fn fish_resourcing_registers_one_hook() {
    let root = c_utf8_root();
    let mut sb = sandbox("fresource", root.path());
    sb.rc_after = sb.init_line("fish");
    let Some(o) = sb.run("fish", "echo \"H=\"(count (functions --handlers-type generic | string match -e _wslgo_hook))\necho \"C=\"(count (functions --handlers-type variable | string match -e _wslgo_cd))\n") else {
        return;
    };
    assert_eq!(o.value("H").as_deref(), Some("1"), "{}", o.stderr);
    assert_eq!(o.value("C").as_deref(), Some("1"), "{}", o.stderr);
}

/// PATH is a list: wslgo's elements go first (GOROOT/bin) and last (GOPATH/bin), an element the
/// user adds mid-session keeps its place, and deactivate leaves the user's list and original
/// values, with every function and the completion gone.
#[test]
fn fish_path_list_and_deactivate() {
    let root = c_utf8_root();
    let mut sb = sandbox("fpath", root.path());
    sb.set("LANG", "xx_YY.UTF-8").unset("LC_ALL");
    sb.set("PATH", "/usr/bin:/bin");
    let sdk = root.path().join("usr/local/go");
    std::fs::create_dir_all(sdk.join("bin")).unwrap();
    std::fs::write(sdk.join("VERSION"), "go1.22.5\n").unwrap();
    std::fs::write(sdk.join("bin/go"), "#!/bin/sh\n").unwrap();
    Command::new("chmod").arg("+x").arg(sdk.join("bin/go")).status().unwrap();
    // go.root names it: the default would otherwise be the SDK behind a real /usr/bin/go
    // (SPEC 5.2), which this machine may have.
    sb.config(&format!("[go]\nroot = \"{}\"\n", sdk.display()));
    let script = "echo \"A=$LANG|$LC_ALL\"\necho \"N=\"(count $PATH)\necho \"P0=\"(string join '|' $PATH)\nset -gx PATH /mine $PATH\ncd /tmp\necho \"P1=\"(string join '|' $PATH)\nwslgo deactivate fish | source\necho \"B=$LANG|\"(set -q LC_ALL; and echo set; or echo unset)\"|\"(set -q __WSLGO_STATE; and echo set; or echo unset)\necho \"P2=\"(string join '|' $PATH)\necho \"F=\"(count (functions -a | string match -r '^_?wslgo'))\necho \"CMP=\"(count (complete -c wslgo))\ncd /\necho \"P3=\"(string join '|' $PATH)\n";
    let Some(o) = sb.run("fish", script) else { return };
    let sdkbin = format!("{}/bin", std::fs::canonicalize(&sdk).unwrap().display());
    let gobin = format!("{}/go/bin", sb.home.display());
    assert_eq!(o.value("A").as_deref(), Some("C.UTF-8|C.UTF-8"), "{}", o.stderr);
    assert_eq!(o.value("P0"), Some(format!("{sdkbin}|/usr/bin|/bin|{gobin}")), "{}", o.stderr);
    assert_eq!(o.value("N").as_deref(), Some("4"), "PATH is a list of elements");
    // GOROOT/bin stays first (as in bash and zsh); the user's element keeps its place among theirs.
    assert_eq!(o.value("P1"), Some(format!("{sdkbin}|/mine|/usr/bin|/bin|{gobin}")));
    assert_eq!(o.value("B").as_deref(), Some("xx_YY.UTF-8|unset|unset"), "{}", o.stderr);
    assert_eq!(o.value("P2").as_deref(), Some("/mine|/usr/bin|/bin"));
    assert_eq!(o.value("F").as_deref(), Some("0"), "functions left: {}", o.stdout);
    assert_eq!(o.value("CMP").as_deref(), Some("0"));
    assert_eq!(
        o.value("P3").as_deref(),
        Some("/mine|/usr/bin|/bin"),
        "a cd after deactivate changed PATH"
    );
}

/// Deactivate after a Tab has loaded the completion script: the script's own helper functions
/// (`__fish_wslgo_*`, defined by clap_complete's script at the first Tab) go too, as well as
/// every function wslgo defined; a function of the user's with a similar name stays.
#[test]
fn fish_deactivate_after_completion_removes_every_function() {
    let root = c_utf8_root();
    let sb = sandbox("fdeacomp", root.path());
    let script = "function my_wslgo_thing; end\necho \"TOP=\"(complete -C 'wslgo ' | string replace -r '\\t.*' '' | string join ,)\necho \"L=\"(count (functions -a | string match '__fish_wslgo_*'))\nwslgo deactivate fish | source\necho \"F=\"(string join , (functions -a | string match '*wslgo*'))\necho \"CMP=\"(count (complete -c wslgo))\n";
    let Some(o) = sb.run("fish", script) else { return };
    let top = o.value("TOP").unwrap_or_else(|| panic!("{}", o.stderr));
    assert!(top.split(',').any(|x| x == "doctor"), "the completion script did not load: {top}");
    let loaded = count(&o, "L");
    assert!(loaded > 0, "the completion helpers (__fish_wslgo_*) were not defined");
    assert_eq!(o.value("F").as_deref(), Some("my_wslgo_thing"), "functions left: {}", o.stdout);
    assert_eq!(o.value("CMP").as_deref(), Some("0"), "{}", o.stderr);
}

/// A warning (no UTF-8 locale anywhere) shows once, at the first prompt, never while
/// config.fish runs, and not again at later refreshes.
#[test]
fn fish_warns_once_at_the_first_prompt() {
    let none = TempDir::new("fnoloc");
    std::fs::create_dir_all(none.path().join("usr/lib/locale")).unwrap();
    let mut sb = sandbox("fwarn", none.path());
    sb.unset("LANG").unset("LC_ALL");
    sb.config("[hook]\ninterval_secs = 0\n");
    sb.rc_before = "echo RC-START >&2\n".to_string();
    sb.rc_after = "echo RC-END >&2\n".into();
    let Some(o) = sb.run("fish", "cd /\ncd /tmp\ntrue\necho done=1\n") else {
        return;
    };
    assert_eq!(o.count_warning("locale-missing"), 1, "{}", o.stderr);
    let end = o.stderr.find("RC-END").unwrap();
    let w = o.stderr.find("wslgo: locale-missing").unwrap();
    assert!(w > end, "the warning came while config.fish ran: {}", o.stderr);
}

/// The binary vanishes: one message, the hooks and the wrapper function go.
#[test]
fn fish_vanished_binary_says_so_once_and_unhooks() {
    let root = c_utf8_root();
    let mut sb = sandbox("fvanish", root.path());
    let copy = sb.dir.path().join("bin/wslgo");
    std::fs::create_dir_all(copy.parent().unwrap()).unwrap();
    std::fs::copy(bin(), &copy).unwrap();
    sb.bin = copy.clone();
    let script = format!(
        "rm -f '{}'\ncd /\ncd /tmp\ncd /\necho \"H=\"(count (functions -a | string match -r '^(_wslgo_hook|_wslgo_cd|wslgo)$'))\necho B=1\n",
        copy.display()
    );
    let Some(o) = sb.run("fish", &script) else { return };
    assert_eq!(o.value("B").as_deref(), Some("1"));
    assert_eq!(o.stderr.matches("is gone").count(), 1, "{}", o.stderr);
    assert_eq!(o.value("H").as_deref(), Some("0"), "{}", o.stderr);
}

/// Completions are registered by init: fish's own completion engine offers the commands and
/// the shells of `init`; non-interactive fish does nothing at all.
#[test]
fn fish_completions_and_non_interactive() {
    let root = c_utf8_root();
    let sb = sandbox("fcomp", root.path());
    let script = "echo \"TOP=\"(complete -C 'wslgo ' | string replace -r '\\t.*' '' | string join ,)\necho \"INIT=\"(complete -C 'wslgo init ' | string replace -r '\\t.*' '' | string join ,)\n";
    let Some(o) = sb.run("fish", script) else { return };
    let top = o.value("TOP").unwrap_or_else(|| panic!("{}", o.stderr));
    for c in ["init", "hook", "env", "doctor", "setup", "deactivate", "config"] {
        assert!(top.split(',').any(|x| x == c), "{c} not offered: {top}");
    }
    assert_eq!(o.value("INIT").as_deref(), Some("bash,fish,zsh"), "{}", o.stderr);

    let Some(fish) = shell_path("fish") else { return };
    let out = Command::new(fish)
        .env_clear()
        .envs(sb.env.iter().map(|(k, v)| (k, v)))
        .env("LANG", "xx_YY.UTF-8")
        .arg("-c")
        .arg(format!(
            "{}; echo \"LC=\"(set -q LC_ALL; and echo set; or echo unset); echo \"F=\"(functions -q _wslgo_hook; and echo yes; or echo no)",
            sb.init_line("fish").trim()
        ))
        .output()
        .unwrap();
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(s.contains("LC=unset") && s.contains("F=no"), "{s}");
}

/// fish's deactivate code typed into bash or zsh changes nothing and says so (its first line
/// is a guard the other shells stop at); bash's deactivate sourced in fish changes nothing
/// either (fish refuses to parse it), and fish's own still works after.
#[test]
fn deactivate_for_the_wrong_shell_changes_nothing() {
    let root = c_utf8_root();
    for sh in SHELLS {
        let sb = sandbox("fwrong", root.path());
        let script = "cd /\neval \"$(wslgo deactivate fish)\"\necho \"S=${__WSLGO_STATE:+kept}|$(type -t _wslgo_hook 2>/dev/null || whence -w _wslgo_hook)\"\n";
        let Some(o) = sb.run(sh, script) else { continue };
        assert_eq!(o.stderr.matches("this is fish code").count(), 1, "{sh}: {}", o.stderr);
        assert!(
            o.stderr
                .contains("wslgo: this is fish code and this shell is not fish; nothing was changed"),
            "{sh}: {}",
            o.stderr
        );
        let s = o.value("S").unwrap_or_else(|| panic!("{sh}: {}", o.stderr));
        assert!(s.starts_with("kept|") && s.contains("function"), "{sh}: {s}");
    }
    let sb = sandbox("fwrong-fish", root.path());
    let script = "cd /\nwslgo deactivate bash | source\necho \"S=\"(set -q __WSLGO_STATE; and echo kept)(functions -q _wslgo_hook; and echo -hooked)\nwslgo deactivate fish | source\necho \"T=\"(set -q __WSLGO_STATE; or echo gone)\n";
    let Some(o) = sb.run("fish", script) else { return };
    assert_eq!(o.value("S").as_deref(), Some("kept-hooked"), "{}", o.stderr);
    assert_eq!(o.value("T").as_deref(), Some("gone"), "{}", o.stderr);
}

/// `bytes` as one fish word typed at the prompt: every byte as `\XHH`, so nothing in it is
/// quoted, expanded or split by the shell that reads the script.
fn fish_word(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("\\X{b:02x}")).collect()
}

/// A refresh's code reaches fish through a command substitution (one element per line, joined
/// again by `eval`): values holding newlines, quotes, backslashes, `$(...)` and bytes that are
/// not UTF-8 arrive byte for byte, and nothing in them runs. The refresh at the `cd` sets the
/// new GOPATH from the config and rewrites PATH with the user's hostile entry in it.
#[test]
fn fish_hostile_values_survive_the_refresh() {
    use std::os::unix::ffi::OsStrExt;
    let root = c_utf8_root();
    let sb = sandbox("fhostile", root.path());
    let cfg = sb.config("[hook]\ninterval_secs = 3600\n");
    let canary = sb.dir.path().join("canary");
    let gopath = format!("{}/g\nx'y\\z \u{e9}", sb.home.display());
    let toml_path = gopath.replace('\\', "\\\\").replace('\n', "\\n");
    let new = sb.dir.path().join("new.toml");
    std::fs::write(&new, format!("[hook]\ninterval_secs = 3600\n[go]\npath = \"{toml_path}\"\n")).unwrap();
    let mut entry = b"/h\n'$(touch ".to_vec();
    entry.extend_from_slice(canary.as_os_str().as_bytes());
    entry.extend_from_slice(b")\\\xff \xc3\xa9");
    let (out_path, out_gopath) = (sb.dir.path().join("path.out"), sb.dir.path().join("gopath.out"));
    let script = format!(
        "set -gx PATH {} $PATH\ncp '{}' '{}'\ncd /\nprintf '%s\\0' $PATH > '{}'\nprintf '%s' $GOPATH > '{}'\necho DONE=1\n",
        fish_word(&entry),
        new.display(),
        cfg.display(),
        out_path.display(),
        out_gopath.display()
    );
    let Some(o) = sb.run("fish", &script) else { return };
    assert_eq!(o.value("DONE").as_deref(), Some("1"), "{}", o.stderr);
    assert_eq!(std::fs::read(&out_gopath).unwrap(), gopath.as_bytes(), "GOPATH: {}", o.stderr);
    let path = std::fs::read(&out_path).unwrap();
    let elems: Vec<&[u8]> = path.split(|&b| b == 0).filter(|e| !e.is_empty()).collect();
    assert!(elems.contains(&entry.as_slice()), "the user's entry changed: {elems:?}");
    let bin = format!("{gopath}/bin");
    assert!(elems.contains(&bin.as_bytes()), "no GOPATH/bin on PATH: {elems:?}");
    assert!(!canary.exists(), "a value was executed");
}

/// The refresh's output carries the directory it was made for, spelled for fish: after a `cd`
/// into a directory whose name holds a newline, quotes, `$(...)` and a byte that is not UTF-8,
/// the stamp equals `$PWD` again, so the quiet prompts that follow run nothing.
#[test]
fn fish_a_hostile_directory_refreshes_once() {
    use std::os::unix::ffi::OsStrExt;
    let root = c_utf8_root();
    let mut sb = sandbox("fhostdir", root.path());
    sb.config("[hook]\ninterval_secs = 3600\n");
    let (w, log) = counting_wrapper(&sb);
    sb.rc_after = format!("set -g _wslgo_bin '{}'\n", w.display());
    let canary = sb.dir.path().join("canary");
    let mut name = b"d\n'$(touch ".to_vec();
    name.extend_from_slice(canary.as_os_str().as_bytes());
    name.extend_from_slice(b")\\\xff \xc3\xa9");
    let dir = sb.home.join(std::ffi::OsStr::from_bytes(&name));
    std::fs::create_dir_all(&dir).unwrap();
    let n = |k: &str| format!("echo \"{k}=\"(count (cat '{}'))\n", log.display());
    let mut script = n("N0");
    script.push_str(&format!("cd {}\n", fish_word(dir.as_os_str().as_bytes())));
    script.push_str(&n("N1"));
    for _ in 0..5 {
        script.push_str("true\n");
    }
    script.push_str(&n("N2"));
    script.push_str("test \"$PWD\" = \"$_wslgo_last[1]\"; and echo SAME=1\n");
    let Some(o) = sb.run("fish", &script) else { return };
    assert_eq!(count(&o, "N1"), count(&o, "N0") + 1, "the cd did not refresh once: {}", o.stderr);
    assert_eq!(count(&o, "N2"), count(&o, "N1"), "quiet prompts ran the binary: {}", o.stderr);
    assert_eq!(o.value("SAME").as_deref(), Some("1"), "{}", o.stderr);
    assert!(!canary.exists(), "a directory name was executed");
}

/// What the snippet passes the binary: `--login` in a login shell only (asked once, at
/// sourcing), `--first` at the session's first refresh only (its output drops the flag), and
/// `--now` with /proc/uptime's whole seconds (the clock the snippet compares with).
#[test]
fn fish_refresh_arguments() {
    let root = c_utf8_root();
    for login in [false, true] {
        let mut sb = sandbox("fargs", root.path());
        sb.config("[hook]\ninterval_secs = 3600\n");
        let log = sb.dir.path().join("args.log");
        let w = sb.dir.path().join("args-wslgo");
        std::fs::write(
            &w,
            format!("#!/bin/sh\necho \"$*\" >> '{}'\nexec '{}' \"$@\"\n", log.display(), bin().display()),
        )
        .unwrap();
        Command::new("chmod").arg("+x").arg(&w).status().unwrap();
        sb.rc_after = format!("set -g _wslgo_bin '{}'\n", w.display());
        let before = uptime();
        let Some(o) = sb.run_opts("fish", login, "cd /tmp\ncd /\necho DONE=1\n") else {
            return;
        };
        let after = uptime();
        assert_eq!(o.value("DONE").as_deref(), Some("1"), "{}", o.stderr);
        let text = std::fs::read_to_string(&log).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2, "login={login}: two cds, two refreshes: {text}");
        for (i, l) in lines.iter().enumerate() {
            let words: Vec<&str> = l.split(' ').collect();
            let mut want = vec!["hook", "fish"];
            if i == 0 {
                want.push("--first");
            }
            if login {
                want.push("--login");
            }
            want.push("--now");
            assert_eq!(words[..words.len() - 1], want[..], "login={login}, refresh {i}: {l}");
            let now: u64 = words[words.len() - 1].parse().unwrap_or_else(|_| panic!("no clock: {l}"));
            assert!(
                (before..=after).contains(&now),
                "--now {now} is not /proc/uptime's {before}..{after}"
            );
        }
    }
}

/// /proc/uptime's whole seconds.
fn uptime() -> u64 {
    let s = std::fs::read_to_string("/proc/uptime").unwrap();
    s.split('.').next().unwrap().parse().unwrap()
}

/// A fish started before an upgrade runs the older snippet (no `--now`; it counts the interval
/// from `_wslgo_next`): the hook still tells it when the next refresh is due, and the current
/// snippet, which passes `--now`, gets no such line.
#[test]
fn fish_hook_without_now_serves_the_older_snippet() {
    let root = c_utf8_root();
    let sb = sandbox("fold", root.path());
    sb.config("[hook]\ninterval_secs = 60\n");
    let before = uptime();
    let old = wslgo(&sb, &["hook", "fish"]);
    let after = uptime();
    let text = String::from_utf8_lossy(&old.stdout);
    let next: u64 = text
        .lines()
        .find_map(|l| l.strip_prefix("set -g _wslgo_next ")?.strip_suffix(';'))
        .unwrap_or_else(|| panic!("no _wslgo_next: {text}"))
        .parse()
        .unwrap();
    assert!((before + 60..=after + 60).contains(&next), "{next} is not now + 60 s");
    let new = wslgo(&sb, &["hook", "fish", "--now", "100"]);
    let text = String::from_utf8_lossy(&new.stdout);
    assert!(!text.contains("_wslgo_next"), "{text}");
    assert!(text.contains(" 160 60;"), "the next refresh counts from --now: {text}");
}

/// A config value holding a NUL (`"\u0000"` is valid TOML; no environment variable can hold
/// one): printed into the snippet, it cut fish's `source` short and the whole snippet failed
/// ("Missing end"). That key costs a config-invalid warning instead, and the rest works.
#[test]
fn fish_a_nul_in_a_config_value_costs_only_that_key() {
    let root = c_utf8_root();
    let sb = sandbox("fnul", root.path());
    sb.config("[hook]\ninterval_secs = 3600\n[go]\npath = \"/g\\u0000x\"\ngoprivate = \"example.com/*\"\n");
    let script = "functions -q _wslgo_hook; and echo HOOKED=1\necho \"GOPRIVATE=$GOPRIVATE\"\necho \"GOPATH=$GOPATH\"\ncd /\necho \"LAST=$_wslgo_last[1]\"\n";
    let Some(o) = sb.run("fish", script) else { return };
    assert_eq!(o.value("HOOKED").as_deref(), Some("1"), "the snippet failed: {}", o.stderr);
    assert_eq!(o.value("GOPRIVATE").as_deref(), Some("example.com/*"), "{}", o.stderr);
    let gopath = o.value("GOPATH").unwrap_or_default();
    assert!(!gopath.is_empty() && !gopath.starts_with("/g"), "GOPATH={gopath}: {}", o.stderr);
    assert_eq!(o.value("LAST").as_deref(), Some("/"), "a cd refreshed: {}", o.stderr);
    assert!(!o.stderr.contains("Missing end"), "{}", o.stderr);
    assert_eq!(o.count_warning("config-invalid"), 1, "{}", o.stderr);
}

/// `wslgo deactivate fish | source` leaves status 0 (fish's prompt shows a non-zero status in
/// red), though some of the variables it removes (an older snippet's) are not there.
#[test]
fn fish_deactivate_leaves_status_zero() {
    let sb = Sandbox::new("fish-deact-status");
    let Some(o) = sb.run("fish", "wslgo deactivate fish | source\necho \"ST=$status\"\n") else {
        return;
    };
    assert_eq!(o.value("ST").as_deref(), Some("0"), "{}", o.stdout);
}
