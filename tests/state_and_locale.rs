//! Hostile `__WSLGO_*` state, locale selection over fixture trees, and a broken config, in
//! real interactive shells.

mod common;
use common::*;
use std::path::Path;

fn fx(rel: &str) -> std::path::PathBuf {
    fixtures().join(rel)
}

/// A sysroot with a locale-archive copied from the fixtures and optional locale directories.
fn locale_root(archive: Option<&str>, dirs: &[&str]) -> TempDir {
    let r = TempDir::new("loc");
    std::fs::create_dir_all(r.path().join("usr/lib/locale")).unwrap();
    if let Some(a) = archive {
        std::fs::copy(fx(&format!("wsl/locale/{a}")), r.path().join("usr/lib/locale/locale-archive")).unwrap();
    }
    for d in dirs {
        std::fs::create_dir_all(r.path().join("usr/lib/locale").join(d)).unwrap();
    }
    r
}

fn sb_with(root: &Path, tag: &str) -> Sandbox {
    let mut sb = Sandbox::new(tag);
    sb.set("WSLGO_SYSROOT", root.as_os_str()).unset("LANG").unset("LC_ALL");
    sb
}

const SHOW: &str = "echo \"L=${LANG-unset}|${LC_ALL-unset}\"\ncd /\ncd /tmp\necho \"M=${LANG-unset}|${LC_ALL-unset}\"\necho \"OK=1\"\n";

#[test]
fn archive_with_zh_cn_serves_locale_lang() {
    let root = locale_root(Some("locale-archive.en_US+zh_CN.head18860.bin"), &[]);
    for sh in SHELLS {
        let sb = sb_with(root.path(), "zh");
        sb.config("[locale]\nlang = \"zh_CN.UTF-8\"\n");
        let Some(o) = sb.run(sh, SHOW) else { continue };
        assert_eq!(o.value("L").as_deref(), Some("zh_CN.UTF-8|zh_CN.UTF-8"), "{sh}: {}", o.stderr);
        assert!(o.warnings().is_empty(), "{sh}: {}", o.stderr);
    }
}

#[test]
fn without_zh_cn_c_utf8_serves_and_nothing_is_missing() {
    // The en_US-only archive and Debian's C.utf8 directory.
    let root = locale_root(Some("locale-archive.en_US.head18860.bin"), &["C.utf8"]);
    for sh in SHELLS {
        let sb = sb_with(root.path(), "noz");
        sb.config("[locale]\nlang = \"zh_CN.UTF-8\"\n");
        let Some(o) = sb.run(sh, SHOW) else { continue };
        assert_eq!(o.value("L").as_deref(), Some("C.UTF-8|C.UTF-8"), "{sh}: {}", o.stderr);
        assert_eq!(o.count_warning("locale-missing"), 0, "{sh}: {}", o.stderr);
    }
    // Only the archive: en_US.UTF-8 is the one left.
    let root = locale_root(Some("locale-archive.en_US.head18860.bin"), &[]);
    let sb = sb_with(root.path(), "enus");
    if let Some(o) = sb.run("bash", SHOW) {
        assert_eq!(o.value("L").as_deref(), Some("en_US.UTF-8|en_US.UTF-8"), "{}", o.stderr);
    }
}

#[test]
fn no_locale_at_all_warns_once_with_the_fix() {
    for archive in [
        None,
        Some("locale-archive.empty.bin"),
        Some("locale-archive.bad-magic.head18860.bin"),
    ] {
        let root = locale_root(archive, &[]);
        for sh in SHELLS {
            let sb = sb_with(root.path(), "none");
            let Some(o) = sb.run(sh, SHOW) else { continue };
            assert_eq!(o.value("OK").as_deref(), Some("1"), "{sh} {archive:?}");
            assert_eq!(o.count_warning("locale-missing"), 1, "{sh} {archive:?}: {}", o.stderr);
            let w = o.warnings().join("\n");
            assert!(w.contains("locale-gen"), "{sh}: the fix is named: {w}");
            assert_eq!(o.warnings().len(), 1, "{sh} {archive:?}: nothing else is said: {}", o.stderr);
            assert_eq!(o.value("L").as_deref(), Some("unset|unset"), "{sh}: nothing invented");
        }
    }
}

#[test]
fn truncated_archive_is_no_error() {
    // A header that promises more than the file holds.
    let root = locale_root(None, &["C.utf8"]);
    let head = std::fs::read(fx("wsl/locale/locale-archive.en_US+zh_CN.head18860.bin")).unwrap();
    std::fs::write(root.path().join("usr/lib/locale/locale-archive"), &head[..4000]).unwrap();
    let sb = sb_with(root.path(), "trunc");
    sb.config("[locale]\nlang = \"zh_CN.UTF-8\"\n");
    for sh in SHELLS {
        let Some(o) = sb.run(sh, SHOW) else { continue };
        assert_eq!(o.value("L").as_deref(), Some("C.UTF-8|C.UTF-8"), "{sh}: {}", o.stderr);
        assert!(o.warnings().is_empty(), "{sh}: {}", o.stderr);
    }
}

#[test]
fn musl_accepts_every_name() {
    let root = locale_root(None, &[]);
    put(root.path(), "/lib/ld-musl-x86_64.so.1", b"\x7fELF");
    let sb = sb_with(root.path(), "musl");
    sb.config("[locale]\nlang = \"zh_CN.UTF-8\"\n");
    let Some(o) = sb.run("bash", SHOW) else { return };
    assert_eq!(o.value("L").as_deref(), Some("zh_CN.UTF-8|zh_CN.UTF-8"), "{}", o.stderr);
}

#[test]
fn a_users_valid_lang_is_kept_and_an_unavailable_one_replaced() {
    let root = locale_root(Some("locale-archive.en_US+zh_CN.head18860.bin"), &["C.utf8"]);
    for sh in SHELLS {
        let mut sb = sb_with(root.path(), "keep");
        sb.set("LANG", "zh_CN.UTF-8");
        let Some(o) = sb.run(sh, SHOW) else { continue };
        assert_eq!(o.value("M").as_deref(), Some("zh_CN.UTF-8|zh_CN.UTF-8"), "{sh}");
        sb.set("LANG", "de_DE.UTF-8").set("LC_ALL", "fr_FR.UTF-8");
        let Some(o) = sb.run(sh, SHOW) else { continue };
        assert_eq!(o.value("M").as_deref(), Some("C.UTF-8|C.UTF-8"), "{sh}: {}", o.stderr);
    }
}

#[test]
fn hostile_state_is_discarded_silently() {
    let root = locale_root(None, &["C.utf8"]);
    let valid = {
        // A state as wslgo writes it, to corrupt.
        let sb = sb_with(root.path(), "st0");
        let o = wslgo(&sb, &["hook", "bash"]);
        let code = String::from_utf8(o.stdout).unwrap();
        let line = code.lines().find(|l| l.starts_with("export __WSLGO_STATE=")).unwrap().to_string();
        line.trim_start_matches("export __WSLGO_STATE='").trim_end_matches('\'').to_string()
    };
    let mut bad: Vec<Vec<u8>> = vec![
        valid.as_bytes()[..valid.len() / 2].to_vec(),
        valid.replacen("LC_ALL", "LC_ALX", 1).into_bytes(),
        valid.replacen("w1;", "w1;0", 1).into_bytes(),
        b"w1;0000000000000000;v,LANG,w,-,x$(touch CANARY);".to_vec(),
        b"$(touch CANARY)`touch CANARY`'\"\n".to_vec(),
        vec![0xff, 0xfe, b';', 0x80],
        "w1;".repeat(30_000).into_bytes(),
        Vec::new(),
    ];
    // Flip each byte of a valid state in turn (a sample of positions).
    for i in (0..valid.len()).step_by(7) {
        let mut v = valid.clone().into_bytes();
        v[i] ^= 0x01;
        if v[i] != 0 {
            bad.push(v);
        }
    }
    for sh in SHELLS {
        for (n, state) in bad.iter().enumerate() {
            let mut sb = sb_with(root.path(), "st");
            let canary = sb.dir.path().join("CANARY");
            // The user's own LANG, which a forged state claims to have set.
            sb.set("LANG", "C.UTF-8").set("LC_ALL", "C.UTF-8");
            sb.set(
                "__WSLGO_STATE",
                <std::ffi::OsString as std::os::unix::ffi::OsStringExt>::from_vec(state.clone()),
            );
            let script = format!(
                "cd '{}'\necho \"L=$LANG|$LC_ALL\"\neval \"$(wslgo deactivate {sh})\"\necho \"D=${{LANG-unset}}|${{LC_ALL-unset}}\"\n",
                sb.dir.path().display()
            );
            let Some(o) = sb.run(sh, &script) else { break };
            assert_eq!(o.value("L").as_deref(), Some("C.UTF-8|C.UTF-8"), "{sh} #{n}: {}", o.stderr);
            // Deactivate trusts nothing from the bad state: the user's values stay.
            assert_eq!(o.value("D").as_deref(), Some("C.UTF-8|C.UTF-8"), "{sh} #{n}: {}", o.stderr);
            assert!(o.warnings().is_empty() && !o.stderr.contains("rror"), "{sh} #{n}: {}", o.stderr);
            assert!(!canary.exists(), "{sh} #{n}: state content ran");
        }
    }
}

#[test]
fn a_bad_config_warns_once_and_the_prompt_keeps_working() {
    let root = locale_root(None, &["C.utf8"]);
    for sh in SHELLS {
        let sb = sb_with(root.path(), "cfg");
        let path = sb.config("[locale]\nlang = \"auto\"\nlcall = false\n");
        let Some(o) = sb.run(sh, "cd /\ncd /tmp\necho \"L=$LANG|$LC_ALL\"\necho OK=1\n") else {
            continue;
        };
        assert_eq!(o.value("OK").as_deref(), Some("1"), "{sh}");
        assert_eq!(o.count_warning("config-invalid"), 1, "{sh}: {}", o.stderr);
        let w = o.warnings().join("\n");
        assert!(w.contains(&format!("{}:3:1:", path.display())), "{sh}: line and column: {w}");
        assert!(w.contains("locale.lc_all"), "{sh}: nearest key: {w}");
        assert_eq!(o.value("L").as_deref(), Some("C.UTF-8|C.UTF-8"), "{sh}: defaults serve");
        let c = wslgo(&sb, &["config", "check"]);
        assert_eq!(c.status.code(), Some(1));
        let err = String::from_utf8_lossy(&c.stderr);
        assert!(err.contains(":3:1:") && err.contains("locale.lc_all"), "{err}");

        let path = sb.config("[locale]\nlang = \"auto\"\nlc_all = [true\n");
        let Some(o) = sb.run(sh, "cd /\necho OK=1\n") else { continue };
        assert_eq!(o.value("OK").as_deref(), Some("1"), "{sh}");
        assert_eq!(o.count_warning("config-invalid"), 1, "{sh}: {}", o.stderr);
        let w = o.warnings().join("\n");
        assert!(
            w.contains(&format!("{}:3:", path.display())) && w.contains("syntax error"),
            "{sh}: {w}"
        );
        assert_eq!(wslgo(&sb, &["config", "check"]).status.code(), Some(1));
    }
}

#[test]
fn warnings_are_silenced_by_config_and_quiet() {
    let root = locale_root(None, &[]);
    for sh in SHELLS {
        let sb = sb_with(root.path(), "quiet");
        sb.config("[warn]\ndisable = [\"locale-missing\"]\n");
        let Some(o) = sb.run(sh, SHOW) else { continue };
        assert_eq!(o.count_warning("locale-missing"), 0, "{sh}: {}", o.stderr);
        let mut sb = sb_with(root.path(), "quiet2");
        sb.set("WSLGO_QUIET", "1");
        let Some(o) = sb.run(sh, SHOW) else { continue };
        assert!(o.warnings().is_empty(), "{sh}: {}", o.stderr);
    }
}

#[test]
fn nested_shells_inherit_state_without_repeating_warnings() {
    let root = locale_root(None, &[]);
    let sb = sb_with(root.path(), "nest");
    let Some(bash) = shell_path("bash") else { return };
    let rc = sb.dir.path().join("bashrc");
    // The outer shell warns once; a nested interactive shell (tmux pane, VS Code terminal)
    // inherits the state and stays quiet, and its own refreshes keep working.
    let script = format!(
        "echo \"S1=${{__WSLGO_STATE:+yes}}\"\n{} --rcfile '{}' -i <<'EOF'\necho \"NESTED=${{__WSLGO_STATE:+yes}}\"\ncd /\necho \"NOK=1\"\nEOF\necho \"OK=1\"\n",
        bash.display(),
        rc.display()
    );
    let Some(o) = sb.run("bash", &script) else { return };
    assert_eq!(o.value("NESTED").as_deref(), Some("yes"), "{}", o.stderr);
    assert_eq!(o.value("NOK").as_deref(), Some("1"));
    assert_eq!(o.count_warning("locale-missing"), 1, "once for both shells: {}", o.stderr);
}
