mod common;
use common::*;

/// The snippet in a real shell: after init, LANG and LC_ALL hold an available UTF-8 locale.
#[test]
fn init_sets_utf8_locale_in_both_shells() {
    for sh in SHELLS {
        let mut sb = Sandbox::new("smoke");
        sb.unset("LANG").unset("LC_ALL");
        let Some(o) = sb.run(sh, "echo \"L=$LANG/$LC_ALL\"") else {
            continue;
        };
        let v = o.value("L").unwrap_or_else(|| panic!("{sh}: no output; stderr: {}", o.stderr));
        let (lang, lc) = v.split_once('/').unwrap();
        assert!(lang.to_lowercase().contains("utf"), "{sh}: LANG={lang}");
        assert_eq!(lang, lc, "{sh}");
    }
}
