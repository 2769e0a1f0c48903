//! The discovery cache (`__WSLGO_DISC`) in real interactive shells: SDK and locale discovery are
//! carried between prompts keyed on the stamps (inode, size, mtime, ctime) of what they read,
//! so a change on disk is seen at the next refresh, and a value that is corrupt, foreign or
//! stale is never trusted.
//!
//! A result read within 2 s of its inputs' last change is not cached (a change in the same
//! second could leave the stamp as it was), so these tests build their trees, then wait 3 s
//! before the shells start: init then writes the cache, and the tests check that it did before
//! changing anything.

mod common;
use common::*;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long a fresh tree waits before its stamps are trusted (the cache's 2 s, plus a second
/// of rounding).
const SETTLE: Duration = Duration::from_millis(3100);

fn fake_sdk(dir: &Path, version: &str) {
    std::fs::create_dir_all(dir.join("bin")).unwrap();
    std::fs::write(dir.join("VERSION"), format!("go{version}\ntime 2024-06-04T20:55:22Z\n")).unwrap();
    let go = dir.join("bin/go");
    std::fs::write(&go, format!("#!/bin/sh\necho fake go{version}\n")).unwrap();
    std::fs::set_permissions(&go, std::fs::Permissions::from_mode(0o755)).unwrap();
}

fn canon(p: &Path) -> String {
    std::fs::canonicalize(p).unwrap().to_str().unwrap().to_string()
}

/// A sandbox whose system is a sysroot with the given locale directories, and whose PATH has
/// no `go` (so the default SDK is the newest found): the scripts call /bin/mkdir and the like
/// by their paths.
fn world(tag: &str, locales: &[&str]) -> (Sandbox, PathBuf) {
    let mut sb = Sandbox::new(tag);
    let root = sb.dir.path().join("root");
    for l in locales {
        std::fs::create_dir_all(root.join("usr/lib/locale").join(l)).unwrap();
    }
    std::fs::create_dir_all(root.join("lib")).unwrap();
    let bin = sb.dir.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    sb.set("WSLGO_SYSROOT", &root);
    sb.set("PATH", canon(&bin));
    sb.unset("LANG").unset("LC_ALL");
    (sb, root)
}

/// Prints the value a line of the script echoed, or fails with the whole output.
fn val(o: &Output, key: &str) -> String {
    o.value(key)
        .unwrap_or_else(|| panic!("no {key}= line; stdout: {}\nstderr: {}", o.stdout, o.stderr))
}

/// A new SDK dropped into ~/sdk (which changes the directory's mtime) is found at the next
/// refresh, although the listing of ~/sdk was cached; deactivate removes the cache variable.
#[test]
fn new_sdk_in_home_sdk_is_found_at_next_refresh() {
    let worlds: Vec<(&str, Sandbox)> = SHELLS
        .iter()
        .map(|sh| {
            let (sb, _) = world("disc-sdk", &["C.utf8"]);
            fake_sdk(&sb.home.join("sdk/go1.21.0"), "1.21.0");
            (*sh, sb)
        })
        .collect();
    std::thread::sleep(SETTLE);
    for (sh, sb) in &worlds {
        let sdk = sb.home.join("sdk");
        let script = format!(
            r#"echo "A=$GOROOT"
echo "C=$__WSLGO_DISC"
/bin/mkdir -p {new}/bin && printf 'go1.22.0\n' > {new}/VERSION && printf '#!/bin/sh\n' > {new}/bin/go && /bin/chmod +x {new}/bin/go
cd /
echo "B=$GOROOT"
/bin/rm -r {new}
cd ~
echo "D=$GOROOT"
eval "$(wslgo deactivate {sh})"
echo "E=${{__WSLGO_DISC-unset}}"
"#,
            new = sdk.join("go1.22.0").display()
        );
        let Some(o) = sb.run(sh, &script) else { continue };
        let old = canon(&sdk.join("go1.21.0"));
        assert_eq!(val(&o, "A"), old, "{sh}: the only SDK");
        // init cached the listing of ~/sdk (and the SDK's check): the refreshes below had a
        // cache to trust, and had to see that it no longer held.
        let c = val(&o, "C");
        assert!(c.starts_with("d1;"), "{sh}: no discovery cache after init: {c:?}");
        assert!(
            c.contains(&format!("l,{},go,", sdk.display())) && c.contains("go1.21.0"),
            "{sh}: {c}"
        );
        assert!(c.contains("v1.21.0"), "{sh}: the SDK check is cached too: {c}");
        assert_eq!(
            val(&o, "B"),
            format!("{}/go1.22.0", canon(&sdk)),
            "{sh}: the new, newer SDK is the default"
        );
        assert_eq!(val(&o, "D"), old, "{sh}: the removed SDK is gone at the next refresh");
        assert_eq!(val(&o, "E"), "unset", "{sh}: deactivate leaves no cache behind");
    }
}

/// An SDK rewritten in place (its VERSION file edited, the directories untouched) is seen at
/// the next refresh: an SDK check is keyed on VERSION and bin/go themselves.
#[test]
fn sdk_changed_in_place_is_seen() {
    let worlds: Vec<(&str, Sandbox)> = SHELLS
        .iter()
        .map(|sh| {
            let (sb, _) = world("disc-inplace", &["C.utf8"]);
            fake_sdk(&sb.home.join("sdk/go1.21.0"), "1.21.0");
            fake_sdk(&sb.home.join("sdk/go1.22.0"), "1.22.0");
            (*sh, sb)
        })
        .collect();
    std::thread::sleep(SETTLE);
    for (sh, sb) in &worlds {
        let sdk = sb.home.join("sdk");
        let g22 = sdk.join("go1.22.0");
        // The newer one loses its go: it is no SDK now, and the older one is the default.
        let script = format!(
            r#"echo "A=$GOROOT"
echo "C=$__WSLGO_DISC"
/bin/chmod -x {g22}/bin/go
cd /
echo "B=$GOROOT"
/bin/chmod +x {g22}/bin/go
printf 'go1.23.4\n' > {g22}/VERSION
cd ~
echo "D=$GOROOT"
wslgo env --json > env.json
"#,
            g22 = g22.display()
        );
        let Some(o) = sb.run(sh, &script) else { continue };
        assert_eq!(val(&o, "A"), canon(&g22), "{sh}");
        assert!(val(&o, "C").contains("v1.22.0"), "{sh}: the check of go1.22.0 was cached");
        assert_eq!(val(&o, "B"), canon(&sdk.join("go1.21.0")), "{sh}: bin/go no longer executable");
        assert_eq!(val(&o, "D"), canon(&g22), "{sh}: back, and newest again");
        let env = std::fs::read_to_string(sb.home.join("env.json")).unwrap();
        assert!(env.contains("go1.23.4"), "{sh}: the rewritten VERSION is read: {env}");
    }
}

/// A locale directory added to /usr/lib/locale is available at the next refresh, and one
/// removed is no longer: LANG follows (C.UTF-8 is preferred to en_US.UTF-8).
#[test]
fn locale_added_or_removed_is_noticed() {
    let worlds: Vec<(&str, Sandbox, PathBuf)> = SHELLS
        .iter()
        .map(|sh| {
            let (sb, root) = world("disc-locale", &["en_US.utf8"]);
            (*sh, sb, root)
        })
        .collect();
    std::thread::sleep(SETTLE);
    for (sh, sb, root) in &worlds {
        let c = root.join("usr/lib/locale/C.utf8");
        let script = format!(
            r#"echo "A=$LANG"
echo "C=$__WSLGO_DISC"
/bin/mkdir {c}
cd /
echo "B=$LANG"
/bin/rmdir {c}
cd ~
echo "D=$LANG"
"#,
            c = c.display()
        );
        let Some(o) = sb.run(sh, &script) else { continue };
        assert_eq!(val(&o, "A"), "en_US.UTF-8", "{sh}: the only locale");
        assert!(val(&o, "C").contains(";x,"), "{sh}: the locales were cached at init");
        assert_eq!(val(&o, "B"), "C.UTF-8", "{sh}: the added locale is seen");
        assert_eq!(val(&o, "D"), "en_US.UTF-8", "{sh}: the removed locale is no longer used");
    }
}

/// A corrupt, foreign, forged or oversized cache value is discarded: the refresh probes afresh
/// (the same GOROOT and LANG as without a cache) and writes a valid value of its own.
#[test]
fn corrupt_cache_values_are_discarded() {
    let (sb, root) = world("disc-corrupt", &["C.utf8"]);
    fake_sdk(&sb.home.join("sdk/go1.21.0"), "1.21.0");
    std::thread::sleep(SETTLE);
    let want = canon(&sb.home.join("sdk/go1.21.0"));
    // A well-formed value that lies (an SDK that does not exist, a locale list without C.utf8)
    // under a wrong checksum, and the same under another version tag.
    let lie = format!(
        ";l,{}/sdk,go,0000000000000000,go9.9;s,/nowhere,0000000000000000,v9.9;x,0000000000000000,0,,-,",
        sb.home.display()
    );
    let huge = format!("d1;{}", "A".repeat(64 * 1024));
    let values = [
        "garbage".to_string(),
        "d1;".to_string(),
        format!("d1;0123456789abcdef{lie}"),
        format!("d9;0123456789abcdef{lie}"),
        "d1;0000000000000000;l,/,go,zz,\u{7f}'$(touch pwned)'".to_string(),
        huge,
    ];
    for sh in SHELLS {
        for v in &values {
            let mut sb2 = Sandbox::new("disc-corrupt-sh");
            sb2.env = sb.env.clone();
            sb2.set("__WSLGO_DISC", v.as_str());
            let script = "echo \"G=$GOROOT\"\necho \"L=$LANG\"\necho \"C=$__WSLGO_DISC\"\n";
            let Some(o) = sb2.run(sh, script) else { continue };
            let shown: String = v.chars().take(40).collect();
            assert_eq!(val(&o, "G"), want, "{sh}: {shown:?}");
            assert_eq!(val(&o, "L"), "C.UTF-8", "{sh}: {shown:?}");
            let c = val(&o, "C");
            assert!(
                c.starts_with("d1;") && !c.contains("go9.9") && c.len() <= 4096,
                "{sh}: {shown:?} -> {c}"
            );
            assert!(!sb2.home.join("pwned").exists() && !root.join("pwned").exists());
        }
    }
}
