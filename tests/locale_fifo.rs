//! The locale-archive goes through sysroot's guarded open (issue 11 item 7): a FIFO planted at
//! /usr/lib/locale/locale-archive never blocks a prompt, and the hook still picks an available
//! UTF-8 locale. (The race in which a FIFO replaces the file between the check and the open,
//! which blocked before, is `probe::locale::tests::archive_swapped_for_a_fifo_never_blocks`.)

mod common;
use common::*;
use std::time::{Duration, Instant};

#[test]
fn fifo_archive_does_not_block_the_hook() {
    let root = TempDir::new("lfifo");
    std::fs::create_dir_all(root.path().join("usr/lib/locale/C.utf8")).unwrap();
    let fifo = root.path().join("usr/lib/locale/locale-archive");
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let mut sb = Sandbox::new("lfifo");
    sb.set("WSLGO_SYSROOT", root.path())
        .set("WSLGO_CONFIG", "/dev/null")
        .set("LANG", "POSIX");

    // The hook by itself: prompt, and valid shell.
    let t = Instant::now();
    let mut c = std::process::Command::new(&sb.bin);
    c.env_clear().envs(sb.env.iter().map(|(k, v)| (k, v))).args(["hook", "bash"]);
    let o = run_with_input(&mut c, "", Duration::from_secs(10));
    let took = t.elapsed();
    assert_eq!(o.code, Some(0), "hook: {}", o.stderr);
    assert!(took < Duration::from_secs(2), "hook took {took:?}");
    assert!(o.stdout.contains("export LANG='C.UTF-8'"), "{}", o.stdout);
    let n = std::process::Command::new("bash")
        .arg("-n")
        .arg("-c")
        .arg(&o.stdout)
        .status()
        .unwrap();
    assert!(n.success(), "not valid bash: {}", o.stdout);

    // And in real interactive shells.
    for sh in SHELLS {
        let Some(o) = sb.run(sh, "echo \"L=$LANG\"\n") else { continue };
        assert_eq!(o.value("L").as_deref(), Some("C.UTF-8"), "{sh}: {}", o.stderr);
    }
}
