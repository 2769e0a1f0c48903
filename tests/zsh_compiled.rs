//! zsh's functions from their file (src/cmd/zshfile.rs, shell/wslgo-load.zsh): init keeps them
//! in wslgo's cache directory, the first shell compiles that file, later shells load the
//! compiled form; a file that went away, was changed, or could have been written by someone
//! else never costs the user a working prompt, and nothing planted there runs.

mod common;
use common::{Sandbox, wslgo};
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;

fn cache(sb: &Sandbox) -> PathBuf {
    sb.dir.path().join("run/wslgo")
}

/// The functions' file and its compiled form, when init made them.
fn files(sb: &Sandbox) -> (Option<PathBuf>, Option<PathBuf>) {
    let mut zsh = None;
    let mut zwc = None;
    for e in std::fs::read_dir(cache(sb)).into_iter().flatten().flatten() {
        let n = e.file_name().to_string_lossy().into_owned();
        if n.starts_with("init-") && n.ends_with(".zsh") {
            zsh = Some(e.path());
        } else if n.starts_with("init-") && n.ends_with(".zsh.zwc") {
            zwc = Some(e.path());
        }
    }
    (zsh, zwc)
}

/// A zsh session: the functions exist, the hook is registered, the environment was applied at
/// start, and a `cd` into a module refreshes (GOFLAGS-free check: PWD seen by the hook).
const PROBE: &str = "whence -w _wslgo_hook _wslgo_refresh _wslgo_chpwd wslgo _wslgo\n\
    echo \"hooks=$precmd_functions/$chpwd_functions\"\n\
    echo \"goroot=${GOROOT-unset}\"\n\
    cd /tmp\n\
    echo \"seen=$_wslgo_pwd\"\n";

fn assert_working(sb: &Sandbox, what: &str) -> common::Output {
    let o = sb.run("zsh", PROBE).expect("zsh");
    for f in ["_wslgo_hook", "_wslgo_refresh", "_wslgo_chpwd", "wslgo", "_wslgo"] {
        assert!(
            o.stdout.contains(&format!("{f}: function")),
            "{what}: {f} missing: {} / {}",
            o.stdout,
            o.stderr
        );
    }
    assert_eq!(
        o.value("hooks").as_deref(),
        Some("_wslgo_hook/_wslgo_chpwd"),
        "{what}: {}",
        o.stdout
    );
    assert_ne!(
        o.value("goroot").as_deref(),
        Some("unset"),
        "{what}: the environment was applied: {}",
        o.stdout
    );
    assert_eq!(o.value("seen").as_deref(), Some("/tmp"), "{what}: a cd refreshed: {}", o.stdout);
    assert!(
        !o.stderr.contains("not found") && !o.stderr.contains("wslgo:"),
        "{what}: stderr: {}",
        o.stderr
    );
    o
}

#[test]
fn the_first_zsh_compiles_the_functions_and_the_next_loads_them() {
    let sb = Sandbox::new("zwc");
    assert_working(&sb, "first start");
    let (zsh, zwc) = files(&sb);
    let zsh = zsh.expect("init kept the functions in a file");
    let zwc = zwc.expect("the first shell compiled the file");
    for f in [&zsh, &zwc] {
        let m = std::fs::metadata(f).unwrap();
        assert_eq!(m.permissions().mode() & 0o022, 0, "{}: nobody else can write it", f.display());
    }
    // The file holds the functions, and the snippet itself no longer does.
    let text = std::fs::read_to_string(&zsh).unwrap();
    assert!(text.contains("_wslgo_refresh() {"), "{text}");
    let out = String::from_utf8(wslgo(&sb, &["init", "zsh"]).stdout).unwrap();
    assert!(!out.contains("_wslgo_refresh() {"), "the snippet sources the file: {out}");
    assert!(out.contains(&*zsh.to_string_lossy()), "{out}");
    assert!(!out.contains("zcompile"), "compiled once, not at every start: {out}");
    // zsh takes the compiled form: a second session works from it, and does not compile again.
    let before = std::fs::metadata(&zwc).unwrap().modified().unwrap();
    assert_working(&sb, "second start");
    assert_eq!(std::fs::metadata(&zwc).unwrap().modified().unwrap(), before, "not compiled again");
    // --inline prints the text and touches no file.
    let inline = String::from_utf8(wslgo(&sb, &["init", "zsh", "--inline"]).stdout).unwrap();
    assert!(inline.contains("_wslgo_refresh() {") && !inline.contains("source"), "{inline}");
}

/// Output saved to a file and sourced later (after a reboot cleared the runtime directory, or
/// after an upgrade removed an old build's file): the snippet falls back to the text, silently.
#[test]
fn a_saved_snippet_whose_file_went_away_still_works() {
    let mut sb = Sandbox::new("zwc-gone");
    let saved = sb.dir.path().join("saved.zsh");
    std::fs::write(&saved, wslgo(&sb, &["init", "zsh"]).stdout).unwrap();
    let (zsh, _) = files(&sb);
    std::fs::remove_file(zsh.expect("the file")).unwrap();
    sb.init = false;
    sb.rc_after = format!("source {}\n", saved.display());
    assert_working(&sb, "file gone");
}

/// Whatever is in the directory that is not exactly this build's functions never runs: a
/// changed file is rewritten before it is sourced, and a compiled form that others could have
/// written makes init print the text instead.
#[test]
fn nothing_planted_beside_the_functions_runs() {
    let sb = Sandbox::new("zwc-planted");
    assert_working(&sb, "first start");
    let (zsh, zwc) = files(&sb);
    let (zsh, zwc) = (zsh.unwrap(), zwc.unwrap());
    let marker = sb.dir.path().join("pwned");
    let evil = format!("touch {}\n", marker.display());

    // The text changed (and its compiled form still there): rewritten, and compiled afresh.
    std::fs::write(&zsh, &evil).unwrap();
    assert_working(&sb, "changed file");
    assert!(!marker.exists(), "the changed file ran");
    assert!(std::fs::read_to_string(&zsh).unwrap().contains("_wslgo_refresh() {"));

    // A compiled form of other text (under the same file name, so zsh would take it),
    // writable by others: not used. (Run by hand, `source` of the file does load it and runs
    // the planted code: the check below is what stops it.)
    let elsewhere = sb.dir.path().join("elsewhere");
    std::fs::create_dir_all(&elsewhere).unwrap();
    let planted = elsewhere.join(zsh.file_name().unwrap());
    std::fs::write(&planted, &evil).unwrap();
    let st = std::process::Command::new("zsh")
        .args(["-fc", &format!("zcompile -R {} {}", zwc.display(), planted.display())])
        .status()
        .expect("zsh");
    assert!(st.success());
    std::fs::set_permissions(&zwc, std::fs::Permissions::from_mode(0o666)).unwrap();
    assert_working(&sb, "planted .zwc");
    assert!(!marker.exists(), "a compiled form others could write was loaded");
    let out = String::from_utf8(wslgo(&sb, &["init", "zsh"]).stdout).unwrap();
    assert!(out.contains("_wslgo_refresh() {"), "init printed the text instead: {out}");
    // The planted form is a real threat: sourcing the file by hand runs it.
    let st = std::process::Command::new("zsh")
        .args(["-fc", &format!("source {}", zsh.display())])
        .status()
        .unwrap();
    assert!(st.success());
    assert!(marker.exists(), "the planted .zwc was not loadable, so this test proved nothing");
}

/// Whether zsh itself takes `zwc` as a valid compiled file (`zcompile -t` reads its header).
fn zsh_accepts(zwc: &std::path::Path) -> bool {
    std::process::Command::new("zsh")
        .args(["-fc", "zcompile -t \"$1\" >/dev/null 2>&1", "zsh"])
        .arg(zwc)
        .status()
        .expect("zsh")
        .success()
}

/// A compiled form that zsh will not load is not left in place for good (zsh would quietly
/// parse the text at every start from then on): one that is empty (zcompile on a full disk
/// leaves that, and reports success) or older than its file is compiled again at the next
/// start, and one that another zsh version wrote (zsh ignores it: an upgrade of zsh) is
/// removed by the next start and compiled again by the one after.
#[test]
fn a_compiled_form_zsh_cannot_load_is_compiled_again() {
    let sb = Sandbox::new("zwc-bad");
    assert_working(&sb, "first start");
    let (_, zwc) = files(&sb);
    let zwc = zwc.expect("the first shell compiled the file");
    let good = std::fs::read(&zwc).unwrap();
    assert!(zsh_accepts(&zwc));

    // Empty, private (as a full disk leaves it).
    std::fs::remove_file(&zwc).unwrap();
    std::fs::write(&zwc, b"").unwrap();
    std::fs::set_permissions(&zwc, std::fs::Permissions::from_mode(0o444)).unwrap();
    assert_working(&sb, "empty .zwc");
    assert!(zsh_accepts(&zwc), "the empty compiled form was left in place");

    // Written by another zsh version (the header's version string, at byte 8, changed).
    assert!(good[8].is_ascii_digit(), "zsh's header: {:?}", &good[..16]);
    let mut other = good.clone();
    other[8] = if good[8] == b'4' { b'3' } else { b'4' };
    std::fs::remove_file(&zwc).unwrap();
    std::fs::write(&zwc, &other).unwrap();
    std::fs::set_permissions(&zwc, std::fs::Permissions::from_mode(0o444)).unwrap();
    assert!(
        !zsh_accepts(&zwc),
        "zsh takes a .zwc of another version, so this test proves nothing"
    );
    assert_working(&sb, "old version's .zwc");
    assert_working(&sb, "the start after");
    assert!(zsh_accepts(&zwc), "the other version's compiled form was left in place");

    // Older than its file (zsh then ignores it: a copy of the cache that did not keep the
    // dates): compiled again.
    let (zsh, _) = files(&sb);
    let zsh = zsh.unwrap();
    let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    std::fs::File::open(&zwc).unwrap().set_modified(hour_ago).unwrap();
    assert_working(&sb, "a .zwc older than its file");
    let (t_zwc, t_zsh) = (
        std::fs::metadata(&zwc).unwrap().modified().unwrap(),
        std::fs::metadata(&zsh).unwrap().modified().unwrap(),
    );
    assert!(t_zwc >= t_zsh, "the compiled form is still older than its file");
}
