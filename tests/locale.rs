//! Locale choice in real interactive bash and zsh (SPEC 5.1, issue 13): C and POSIX are
//! available, an inherited non-UTF-8 LANG/LC_ALL is replaced under `auto`, a value the user
//! sets later in the shell is kept, an explicit `locale.lang` wins over an inherited LANG, and
//! LC_ALL is not exported over the user's own LC_* categories.

mod common;
use common::*;
use std::path::Path;

/// A sysroot whose only compiled locales are Debian's C.utf8, en_US.utf8, zh_CN.utf8 and a
/// latin1 en_US (as directories under /usr/lib/locale).
fn root() -> TempDir {
    let r = TempDir::new("locroot");
    for d in ["C.utf8", "en_US.utf8", "zh_CN.utf8", "en_US.iso88591"] {
        std::fs::create_dir_all(r.path().join("usr/lib/locale").join(d)).unwrap();
    }
    r
}

fn sb(root: &Path, tag: &str) -> Sandbox {
    let mut sb = Sandbox::new(tag);
    sb.set("WSLGO_SYSROOT", root.as_os_str()).unset("LANG").unset("LC_ALL");
    sb
}

/// Prints LANG and LC_ALL at the first prompt (A), after two directory changes (B), runs
/// `middle`, changes directory twice more (C), and after deactivate (D).
fn script(sh: &str, middle: &str) -> String {
    format!(
        "echo \"A=${{LANG-unset}}|${{LC_ALL-unset}}\"\ncd /\ncd /tmp\necho \"B=${{LANG-unset}}|${{LC_ALL-unset}}\"\n{middle}\ncd /\ncd /tmp\nsleep 0.01\necho \"C=${{LANG-unset}}|${{LC_ALL-unset}}\"\neval \"$(wslgo deactivate {sh})\"\necho \"D=${{LANG-unset}}|${{LC_ALL-unset}}\"\n"
    )
}

fn run(sb: &Sandbox, sh: &str, middle: &str) -> Option<Output> {
    sb.run(sh, &script(sh, middle))
}

#[test]
fn inherited_c_and_posix_and_latin1_are_replaced() {
    let r = root();
    for sh in SHELLS {
        for (lang, lc_all) in [
            ("C", None),
            ("POSIX", None),
            ("en_US.ISO-8859-1", None),
            ("C", Some("C")),
            ("C.UTF-8", Some("POSIX")),
        ] {
            let mut sb = sb(r.path(), "inh");
            sb.set("LANG", lang);
            if let Some(l) = lc_all {
                sb.set("LC_ALL", l);
            }
            let Some(o) = run(&sb, sh, "") else { return };
            let want = "C.UTF-8|C.UTF-8";
            assert_eq!(o.value("A").as_deref(), Some(want), "{sh} {lang} {lc_all:?}: {}", o.stderr);
            assert_eq!(o.value("C").as_deref(), Some(want), "{sh} {lang} {lc_all:?}");
            assert!(o.warnings().is_empty(), "{sh}: C and POSIX are available: {}", o.stderr);
            // deactivate gives the inherited values back.
            let orig = format!("{lang}|{}", lc_all.unwrap_or("unset"));
            assert_eq!(o.value("D"), Some(orig), "{sh} {lang} {lc_all:?}: {}", o.stderr);
        }
    }
}

#[test]
fn a_value_the_user_sets_later_is_kept() {
    let r = root();
    for sh in SHELLS {
        let sb = sb(r.path(), "later");
        let Some(o) = run(&sb, sh, "export LC_ALL=C") else { return };
        assert_eq!(o.value("B").as_deref(), Some("C.UTF-8|C.UTF-8"), "{sh}: {}", o.stderr);
        assert_eq!(
            o.value("C").as_deref(),
            Some("C.UTF-8|C"),
            "{sh}: export LC_ALL=C survives cd: {}",
            o.stderr
        );
        let Some(o) = run(&sb, sh, "export LANG=POSIX; unset LC_ALL") else {
            return;
        };
        assert_eq!(o.value("C").as_deref(), Some("POSIX|unset"), "{sh}: {}", o.stderr);
        let Some(o) = run(&sb, sh, "export LANG=zh_CN.UTF-8") else { return };
        // LC_ALL follows the user's new UTF-8 LANG (it would override it otherwise).
        assert_eq!(o.value("C").as_deref(), Some("zh_CN.UTF-8|zh_CN.UTF-8"), "{sh}: {}", o.stderr);
        // Even in a shell that inherited LANG=C, a LANG=C the user sets again later is kept.
        let mut sb2 = self::sb(r.path(), "later2");
        sb2.set("LANG", "C");
        let Some(o) = run(&sb2, sh, "export LANG=C") else { return };
        assert_eq!(o.value("B").as_deref(), Some("C.UTF-8|C.UTF-8"), "{sh}: {}", o.stderr);
        assert!(o.value("C").unwrap().starts_with("C|"), "{sh}: {:?} {}", o.value("C"), o.stderr);
    }
}

#[test]
fn explicit_locale_lang_wins_over_an_inherited_lang() {
    let r = root();
    for sh in SHELLS {
        let mut sb = sb(r.path(), "explicit");
        sb.set("LANG", "en_US.UTF-8").set("LC_ALL", "en_US.UTF-8");
        sb.config("[locale]\nlang = \"zh_CN.UTF-8\"\n");
        let Some(o) = run(&sb, sh, "") else { return };
        assert_eq!(o.value("A").as_deref(), Some("zh_CN.UTF-8|zh_CN.UTF-8"), "{sh}: {}", o.stderr);
        assert_eq!(o.value("D").as_deref(), Some("en_US.UTF-8|en_US.UTF-8"), "{sh}");
        // Not available: auto's choice (the inherited UTF-8 LANG stays), with a note.
        sb.config("[locale]\nlang = \"de_DE.UTF-8\"\n");
        let Some(o) = run(&sb, sh, "") else { return };
        assert_eq!(o.value("A").as_deref(), Some("en_US.UTF-8|en_US.UTF-8"), "{sh}: {}", o.stderr);
    }
    let mut sb = sb(r.path(), "explicit-note");
    sb.set("LANG", "en_US.UTF-8");
    sb.config("[locale]\nlang = \"de_DE.UTF-8\"\n");
    let v = env_json(&sb);
    let notes = v["notes"].to_string();
    assert!(notes.contains("de_DE.UTF-8 is not available"), "{notes}");
    assert_eq!(json_var(&v, "LANG").unwrap()["value"], "en_US.UTF-8");
}

#[test]
fn lc_all_is_not_exported_over_the_users_own_categories() {
    let r = root();
    for sh in SHELLS {
        let mut sb = sb(r.path(), "cats");
        sb.set("LC_TIME", "en_US.UTF-8");
        let Some(o) = run(&sb, sh, "") else { return };
        assert_eq!(o.value("A").as_deref(), Some("C.UTF-8|unset"), "{sh}: {}", o.stderr);
        // An inherited LC_ALL=C would hide both LANG and LC_TIME: removed (and restored by
        // deactivate).
        sb.set("LC_ALL", "C");
        let Some(o) = run(&sb, sh, "") else { return };
        assert_eq!(o.value("A").as_deref(), Some("C.UTF-8|unset"), "{sh}: {}", o.stderr);
        assert_eq!(o.value("D").as_deref(), Some("unset|C"), "{sh}: {}", o.stderr);
        // A UTF-8 LC_CTYPE (fish exports one by itself) is no reason to leave LC_ALL out.
        let mut sb3 = self::sb(r.path(), "cats3");
        sb3.set("LC_CTYPE", "en_US.UTF-8");
        let Some(o) = run(&sb3, sh, "") else { return };
        assert_eq!(o.value("A").as_deref(), Some("C.UTF-8|C.UTF-8"), "{sh}: {}", o.stderr);
        // A user who sets LC_MESSAGES later: LC_ALL leaves at the next refresh.
        let sb2 = self::sb(r.path(), "cats2");
        let Some(o) = run(&sb2, sh, "export LC_MESSAGES=zh_CN.UTF-8") else {
            return;
        };
        assert_eq!(o.value("B").as_deref(), Some("C.UTF-8|C.UTF-8"), "{sh}");
        assert_eq!(o.value("C").as_deref(), Some("C.UTF-8|unset"), "{sh}: {}", o.stderr);
    }
    let mut sb = sb(r.path(), "cats-env");
    sb.set("LC_TIME", "en_US.UTF-8");
    let o = wslgo(&sb, &["env"]);
    let text = String::from_utf8_lossy(&o.stdout);
    let row = text
        .lines()
        .find(|l| l.contains("LC_ALL"))
        .unwrap_or_else(|| panic!("LC_ALL's reason is shown: {text}"));
    assert!(text.contains("LC_TIME"), "{row}\n{text}");
}
