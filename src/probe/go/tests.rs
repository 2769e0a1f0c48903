use super::env_file::*;
use super::module::*;
use super::sdk::*;
use super::version::*;
use crate::sysroot::Sys;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

fn v(s: &str) -> GoVersion {
    GoVersion::parse(s).unwrap_or_else(|| panic!("{s}"))
}

#[test]
fn gover_order() {
    // The order Go's own gover tests list (internal/gover/gover_test.go).
    let ordered = [
        "1",
        "1.0.1",
        "1.19",
        "1.20",
        "1.20.1",
        "1.21",
        "1.21rc1",
        "1.21rc2",
        "1.21.0",
        "1.21.1",
        "1.22beta1",
        "1.22rc1",
        "1.22.0",
        "1.100",
    ];
    for w in ordered.windows(2) {
        assert!(v(w[0]) < v(w[1]), "{} < {}", w[0], w[1]);
    }
    assert_eq!(v("1.20"), v("1.20.0"));
    assert_eq!(v("1"), v("1.0.0"));
    assert!(v("1.21") != v("1.21.0"));
    assert!(v("1.99999999999999999999999") > v("1.22.5"));
    assert!(v("1.21alpha1") < v("1.21beta1"));
}

#[test]
fn gover_rejects() {
    for bad in [
        "", "go1.2", "1.", "1.02", "01.2", "1.2.3rc1", "1.2RC1", "1.2.3.4", "x", "1.2-3", "1.21rc01",
    ] {
        assert!(GoVersion::parse(bad).is_none(), "{bad}");
    }
    // "1.2rc" (a kind without number) is accepted by gover.
    assert!(GoVersion::parse("1.2rc").is_some());
}

#[test]
fn toolchain_names() {
    assert_eq!(GoVersion::from_toolchain("go1.21.0"), Some(v("1.21.0")));
    assert_eq!(GoVersion::from_toolchain("go1.21.3-custom"), Some(v("1.21.3")));
    assert_eq!(GoVersion::from_toolchain("go1.22.1+auto"), Some(v("1.22.1")));
    assert!(GoVersion::from_toolchain("1.21.0").is_none());
    // A `go 1.23` line asks for go1.23.0, never a toolchain called go1.23.
    assert_eq!(v("1.23").toolchain_for_go_line(), "go1.23.0");
    assert_eq!(v("1.20").toolchain_for_go_line(), "go1.20");
    assert_eq!(v("1.22.3").toolchain_for_go_line(), "go1.22.3");
    assert_eq!(v("1.23rc1").toolchain_for_go_line(), "go1.23rc1");
    assert!(v("1.22").is_lang() && !v("1.22.0").is_lang() && !v("1.22rc1").is_lang() && !v("1.20").is_lang());
    assert_eq!(GoVersion::from_toolchain("gccgo-go1.22.1"), Some(v("1.22.1")));
    assert!(GoVersion::from_toolchain("go1.22/../x").is_none());
}

#[test]
fn modfile_lines() {
    let mut m = Module::default();
    parse_modfile(
        b"// comment go 1.99\nmodule example.com/x\n\ngo 1.22 // the language\n\ntoolchain go1.22.4\nrequire (\n\tgo 1.0\n)\n",
        &mut m,
    );
    assert_eq!(m.go, Some(v("1.22")));
    assert_eq!(m.toolchain, Some(v("1.22.4")));
    let mut m = Module::default();
    parse_modfile(b"module x\ngo 1.21\ntoolchain default\n", &mut m);
    assert!(m.toolchain_default);
    assert_eq!((m.go, m.toolchain), (Some(v("1.21")), None));
    let mut m = Module::default();
    parse_modfile(b"\xff\xfe\x00go 1.2\ngo banana\n", &mut m);
    assert_eq!(m.go, None);
    assert_eq!(m.problems.len(), 1);
}

#[test]
fn module_search_order() {
    let d = std::env::temp_dir().join(format!("wslgo-modsearch-{}", std::process::id()));
    let deep = d.join("ws/mod/pkg/sub");
    std::fs::create_dir_all(&deep).unwrap();
    std::fs::write(d.join("ws/go.work"), "go 1.22\n\nuse ./mod\n").unwrap();
    std::fs::write(d.join("ws/mod/go.mod"), "module m\ngo 1.21\ntoolchain go1.21.3\n").unwrap();
    std::fs::create_dir_all(d.join("ws/mod/pkg/go.mod")).unwrap(); // a directory does not count
    let found = |gowork: Option<&str>| find_module(&deep, gowork.map(OsStr::new)).map(|m| m.file);
    // go.work further up wins over the nearer go.mod, as the go command decides.
    assert_eq!(found(None), Some(d.join("ws/go.work")));
    assert_eq!(found(Some("auto")), Some(d.join("ws/go.work")));
    assert_eq!(found(Some("off")), Some(d.join("ws/mod/go.mod")));
    let named = d.join("ws/mod/go.mod");
    assert_eq!(found(Some(named.to_str().unwrap())), Some(named));
    let m = find_module(&deep, Some(OsStr::new("off"))).unwrap();
    assert_eq!((m.go, m.toolchain), (Some(v("1.21")), Some(v("1.21.3"))));
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn sysroot_symlinks_resolve_inside_the_image() {
    let d = std::env::temp_dir().join(format!("wslgo-resolve-{}", std::process::id()));
    std::fs::create_dir_all(d.join("usr/local/go1.22.5/bin")).unwrap();
    std::os::unix::fs::symlink("/usr/local/go1.22.5", d.join("usr/local/go")).unwrap();
    std::os::unix::fs::symlink("../local/go", d.join("usr/local/rel")).unwrap();
    std::os::unix::fs::symlink("loop2", d.join("usr/local/loop1")).unwrap();
    std::os::unix::fs::symlink("loop1", d.join("usr/local/loop2")).unwrap();
    let sys = Sys::with_root(d.clone());
    let want = (d.join("usr/local/go1.22.5"), PathBuf::from("/usr/local/go1.22.5"));
    assert_eq!(resolve_sys(&sys, Path::new("/usr/local/go")), Some(want.clone()));
    assert_eq!(resolve_sys(&sys, Path::new("/usr/local/rel")), Some(want));
    assert_eq!(resolve_sys(&sys, Path::new("/usr/local/loop1")), None);
    assert_eq!(resolve_sys(&sys, Path::new("/usr/local/missing")), None);
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn go_env_file() {
    let d = std::env::temp_dir().join(format!("wslgo-goenv-{}", std::process::id()));
    std::fs::write(&d, "GOPROXY=https://goproxy.cn,direct\nGOPATH=/data/go\nGOBIN=\n").unwrap();
    let f = read_go_env(&d);
    std::fs::remove_file(&d).unwrap();
    assert_eq!(f.gopath.as_deref(), Some(OsStr::new("/data/go")));
    assert_eq!(f.gobin, None);
}

#[test]
fn go_env_lines_as_cmd_go_reads_them() {
    let v = parse_go_env(b"GOSUMDB=off\nbad line\n GOPROXY=x\n#C=1\nGOPRIVATE=a/*=b\nGOSUMDB=sum.golang.org \n");
    let got: Vec<(&str, &OsStr, usize)> = v.iter().map(|v| (v.name.as_str(), v.value.as_os_str(), v.line)).collect();
    assert_eq!(
        got,
        [("GOPRIVATE", OsStr::new("a/*=b"), 5), ("GOSUMDB", OsStr::new("sum.golang.org "), 6)],
        "the last wins; a leading space or `#` hides a line; the value is kept byte for byte"
    );
}
