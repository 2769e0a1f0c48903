//! `drvfs-cwd` (SPEC 5.7) in real interactive bash and zsh: a fixture mountinfo (WSL2's 9p
//! DrvFs lines, and a virtiofs drive) declares temporary directories Windows drives; `cd`
//! around them and count the warnings.

mod common;
use common::*;
use std::path::{Path, PathBuf};

const ID: &str = "drvfs-cwd";

struct World {
    sb: Sandbox,
    _root: TempDir,
    _drives: TempDir,
    /// 9p DrvFs (the fixture's /mnt/c and /mnt/d), virtiofs, tmpfs.
    c: PathBuf,
    d: PathBuf,
    v: PathBuf,
    t: PathBuf,
}

fn mkdirs(base: &Path, dirs: &[&str]) {
    for d in dirs {
        std::fs::create_dir_all(base.join(d)).unwrap();
    }
}

fn touch(p: PathBuf) {
    std::fs::write(p, "module example.com/x\n\ngo 1.19\n").unwrap();
}

/// Drives in a temp tree, a sysroot whose /proc/self/mountinfo mounts them, and a sandbox
/// whose binary reads that sysroot.
fn world(tag: &str) -> World {
    let drives = TempDir::new("drives");
    let base = std::fs::canonicalize(drives.path()).unwrap();
    let (c, d, v, t) = (base.join("c"), base.join("d"), base.join("v"), base.join("t"));
    mkdirs(&c, &["notes", "proj/pkg/sub", "viasym"]);
    mkdirs(&d, &["app"]);
    mkdirs(&v, &["svc/cmd"]);
    mkdirs(&t, &["mod"]);
    touch(c.join("proj/go.mod"));
    touch(c.join("viasym/go.mod"));
    std::fs::write(d.join("app/go.work"), "go 1.19\n\nuse .\n").unwrap();
    touch(v.join("svc/go.mod"));
    touch(t.join("mod/go.mod"));

    // The fixture's two 9p DrvFs lines, moved from /mnt/c and /mnt/d to the temp drives.
    let fixture = std::fs::read_to_string(fixtures().join("wsl/proc/mounts/mountinfo.wsl2-drvfs-c.synth.txt")).unwrap();
    assert!(fixture.contains(" /mnt/c ") && fixture.contains(" /mnt/d "));
    let drvfs = fixture
        .replace(" /mnt/c ", &format!(" {} ", c.display()))
        .replace(" /mnt/d ", &format!(" {} ", d.display()));
    // The virtiofs drive of mounts.wsl2-virtiofs.canonical.txt (`drvfs /mnt/d virtiofs
    // rw,noatime 0 0`), in mountinfo form.
    let mountinfo = format!(
        "82 1 8:32 / / rw,relatime - ext4 /dev/sdc rw,discard,errors=remount-ro,data=ordered\n{drvfs}\
         99 82 0:60 / {} rw,noatime - virtiofs drvfs rw\n\
         100 82 0:61 / {} rw,nosuid,nodev - tmpfs none rw\n",
        v.display(),
        t.display()
    );
    let root = TempDir::new("drvfs-root");
    put(root.path(), "/proc/self/mountinfo", mountinfo);
    std::fs::create_dir_all(root.path().join("usr/lib/locale/C.utf8")).unwrap();
    let mut sb = Sandbox::new(tag);
    sb.set("WSLGO_SYSROOT", root.path());
    mkdirs(&sb.home, &["mod"]);
    touch(sb.home.join("mod/go.mod"));
    std::os::unix::fs::symlink(c.join("viasym"), sb.home.join("win")).unwrap();
    World {
        sb,
        _root: root,
        _drives: drives,
        c,
        d,
        v,
        t,
    }
}

fn lines_naming(o: &Output, dir: &Path) -> usize {
    let pfx = format!("wslgo: {ID}: {} is a Go module", dir.display());
    o.stderr.lines().filter(|l| l.starts_with(&pfx)).count()
}

#[test]
fn warns_once_per_module_on_drvfs_only() {
    for sh in SHELLS {
        let w = world("drvfs");
        let (c, d, v, t) = (w.c.display(), w.d.display(), w.v.display(), w.t.display());
        let script = format!(
            "cd {c}/notes\necho notes=1\ncd {c}/proj/pkg/sub\ncd {c}/proj\ncd {t}/mod\ncd ~/mod\ncd {c}/proj/pkg\n\
             cd {d}/app\ncd {v}/svc/cmd\ncd ~/win\ncd {c}/proj\necho done=1\n"
        );
        let Some(o) = w.sb.run(sh, &script) else { return };
        assert!(o.value("done").is_some(), "{sh}: script ran: {}", o.stderr);
        assert_eq!(o.count_warning(ID), 4, "{sh}: {}", o.stderr);
        for dir in [w.c.join("proj"), w.d.join("app"), w.v.join("svc"), w.c.join("viasym")] {
            assert_eq!(lines_naming(&o, &dir), 1, "{sh}: {}: {}", dir.display(), o.stderr);
        }
        let line = o.warnings().into_iter().find(|l| l.contains("/proj is a Go module")).unwrap();
        assert!(line.contains("order of magnitude"), "{line}");
        assert!(
            line.ends_with(&format!(
                "-- move it under ~ (or git clone it there) and work from there: mkdir -p ~/src && mv -T -- {c}/proj ~/src/proj && cd ~/src/proj"
            )),
            "{line}"
        );
    }
}

#[test]
fn silent_outside_modules_and_when_disabled() {
    let w = world("drvfs-quiet");
    let c = w.c.display();
    let t = w.t.display();
    let Some(o) =
        w.sb.run("bash", &format!("cd {c}/notes\ncd {c}\ncd {t}/mod\ncd ~/mod\necho done=1\n"))
    else {
        return;
    };
    assert!(o.value("done").is_some(), "script ran: {}", o.stderr);
    assert_eq!(o.count_warning(ID), 0, "{}", o.stderr);

    w.sb.config("[warn]\ndisable = [\"drvfs-cwd\"]\n");
    let Some(o) = w.sb.run("zsh", &format!("cd {c}/proj\necho done=1\n")) else {
        return;
    };
    assert!(o.value("done").is_some(), "script ran: {}", o.stderr);
    assert_eq!(o.count_warning(ID), 0, "{}", o.stderr);
}
