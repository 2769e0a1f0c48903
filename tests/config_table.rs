//! Broken configs cost only what they touch (SPEC 4, issue 13): a table of broken files where
//! every unaffected key still applies (seen through `wslgo env --json` and `config show`) and
//! each problem names the right line and column; and, in real shells, `config-invalid` once per
//! distinct set of problems, with the last good value of a broken key kept.

mod common;
use common::*;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

fn fake_sdk(root: &Path, dir: &str, version: &str) {
    put(root, &format!("{dir}/bin/go"), "#!/bin/sh\necho fake go\n");
    let go = root.join(dir.trim_start_matches('/')).join("bin/go");
    std::fs::set_permissions(&go, std::fs::Permissions::from_mode(0o755)).unwrap();
    put(root, &format!("{dir}/VERSION"), format!("{version}\n"));
}

fn setup(tag: &str) -> (TempDir, Sandbox) {
    let root = sysroot(&[]);
    std::fs::create_dir_all(root.path().join("usr/lib/locale/C.utf8")).unwrap();
    std::fs::create_dir_all(root.path().join("usr/lib/locale/en_US.utf8")).unwrap();
    fake_sdk(root.path(), "/usr/local/go", "go1.21.0");
    put(root.path(), "/proc/sys/kernel/osrelease", "6.1.0\n");
    let mut sb = Sandbox::new(tag);
    let bin = sb.dir.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    sb.set("WSLGO_SYSROOT", root.path().as_os_str()).set("PATH", bin.as_os_str());
    sb.unset("LANG").unset("LC_ALL");
    // go.root is the user's own path (in HOME), not a system one under the sysroot.
    let home = sb.home.display().to_string();
    fake_sdk(Path::new("/"), &format!("{home}/sdk/go1.22"), "go1.22.5");
    (root, sb)
}

/// The good file every case starts from: each line sets something visible.
const GOOD: &[&str] = &[
    "[locale]",                     // 1
    "lang = \"en_US.UTF-8\"",       // 2
    "[go]",                         // 3
    "root = \"~/sdk/go1.22\"",      // 4
    "path = \"/srv/gopath\"",       // 5
    "maxprocs = 3",                 // 6
    "goprivate = \"corp.example\"", // 7
    "[hook]",                       // 8
    "interval_secs = 7",            // 9
    "[warn]",                       // 10
    "disable = [\"go-missing\"]",   // 11
];

/// What the good file gives, variable by variable (GOROOT by its suffix).
fn expected() -> Vec<(&'static str, Option<&'static str>)> {
    vec![
        ("LANG", Some("en_US.UTF-8")),
        ("GOROOT", Some("/home/sdk/go1.22")),
        ("GOPATH", Some("/srv/gopath")),
        ("GOMAXPROCS", Some("3")),
        ("GOPRIVATE", Some("corp.example")),
    ]
}

struct Case {
    name: &'static str,
    /// (line number in GOOD to replace, new text); line 0 = prepend a line.
    edits: &'static [(usize, &'static str)],
    /// (line, column, words) of each problem, in order.
    problems: &'static [(usize, usize, &'static str)],
    /// Variables that change because of the break: (name, value now).
    changed: &'static [(&'static str, Option<&'static str>)],
}

const CASES: &[Case] = &[
    Case {
        name: "syntax error in one line",
        edits: &[(6, "maxprocs = 3s")],
        problems: &[(6, 12, "`go.maxprocs`: syntax error")],
        changed: &[("GOMAXPROCS", None)],
    },
    Case {
        name: "unclosed array swallows nothing after its line",
        edits: &[(11, "disable = [\"go-missing\""), (0, "[proxy]\nno_proxy = [\".corp\"")],
        problems: &[(2, 12, "`proxy.no_proxy`: syntax error"), (13, 11, "`warn.disable`: syntax error")],
        changed: &[],
    },
    Case {
        name: "wrong type",
        edits: &[(7, "goprivate = 5")],
        problems: &[(7, 13, "`go.goprivate`: invalid type: integer `5`")],
        changed: &[("GOPRIVATE", None)],
    },
    Case {
        name: "misspelt section",
        edits: &[(8, "[hooks]")],
        problems: &[(8, 2, "unknown section `hooks` (did you mean `hook`?)")],
        changed: &[],
    },
    Case {
        name: "misspelt top-level key",
        edits: &[(0, "lang = \"C.UTF-8\"")],
        problems: &[(1, 1, "unknown key `lang` (did you mean `locale.lang`?)")],
        changed: &[],
    },
    Case {
        name: "misspelt key",
        edits: &[(5, "gopath = \"/srv/gopath\"")],
        problems: &[(5, 1, "unknown key `go.gopath` (did you mean `go.path`?)")],
        changed: &[("GOPATH", Some("<home>/go"))],
    },
    Case {
        name: "bad warn id",
        edits: &[(11, "disable = [\"go-missing\", \"drvfs-cdw\"]")],
        problems: &[(11, 26, "unknown warning id `drvfs-cdw` (did you mean `drvfs-cwd`?)")],
        changed: &[],
    },
    Case {
        name: "dotted keys and inline tables",
        edits: &[
            (1, "locale = { lang = \"en_US.UTF-8\", lc_all = \"yes\" }"),
            (2, "go.root = \"~/sdk/go1.22\""),
            (3, "go.path = \"/srv/gopath\""),
            (4, "go.maxprocs = 3"),
            (5, "go.goprivate = \"corp.example\""),
            (6, "go.goproxy = \"https://proxy.golang.org\""),
            (7, "hook.interval_secs = 7"),
            (8, "warn = { disable = [\"go-missing\"] }"),
            (9, ""),
            (10, ""),
            (11, ""),
        ],
        problems: &[(1, 43, "`locale.lc_all`: invalid type: string \"yes\"")],
        changed: &[("GOPROXY", Some("https://proxy.golang.org"))],
    },
    Case {
        name: "relative go.path",
        edits: &[(5, "path = \"gopath\"")],
        problems: &[(5, 8, "`go.path`: `gopath` is not an absolute path")],
        changed: &[("GOPATH", Some("<home>/go"))],
    },
    Case {
        name: "go.path from $HOME and go.root from ${VAR}",
        edits: &[(5, "path = \"$HOME/gopath\""), (4, "root = \"${SDKS}/go1.22\"")],
        problems: &[],
        changed: &[("GOPATH", Some("<home>/gopath"))],
    },
    Case {
        name: "unset variable in go.root",
        edits: &[(4, "root = \"${NOPE}/go1.22\"")],
        problems: &[(4, 8, "`go.root`: `${NOPE}/go1.22`: $NOPE is not set")],
        changed: &[("GOROOT", Some("/usr/local/go"))],
    },
];

fn text_of(edits: &[(usize, &str)]) -> String {
    let mut lines: Vec<String> = GOOD.iter().map(|s| s.to_string()).collect();
    for (n, t) in edits {
        if *n > 0 {
            lines[n - 1] = t.to_string();
        }
    }
    for (n, t) in edits {
        if *n == 0 {
            lines.insert(0, t.to_string());
        }
    }
    lines.join("\n") + "\n"
}

#[test]
fn broken_configs_cost_only_what_they_touch() {
    for case in CASES {
        let (root, mut sb) = setup("table");
        let home = sb.home.display().to_string();
        sb.set("SDKS", sb.home.join("sdk").into_os_string());
        let path = sb.config(&text_of(case.edits));
        let ctx = format!("{}:\n{}", case.name, text_of(case.edits));

        // config check: exit 1 with each problem, in line order, at its line and column.
        let c = wslgo(&sb, &["config", "check"]);
        let err = String::from_utf8_lossy(&c.stderr).into_owned();
        let lines: Vec<&str> = err.lines().filter(|l| l.starts_with("wslgo: config-invalid: ")).collect();
        assert_eq!(lines.len(), case.problems.len(), "{ctx}\n{err}");
        assert_eq!(c.status.code(), Some(if case.problems.is_empty() { 0 } else { 1 }), "{ctx}\n{err}");
        for (l, (line, col, words)) in lines.iter().zip(case.problems) {
            let at = format!("{}:{line}:{col}: ", path.display());
            assert!(l.contains(&at) && l.contains(words), "{ctx}\nwant {at}{words}\ngot  {l}");
        }
        assert!(!err.contains("config check"), "check never points at itself: {err}");

        // Every other key still applies.
        let v = env_json(&sb);
        for (name, want) in expected() {
            let want = case.changed.iter().find(|(n, _)| *n == name).map_or(want, |(_, w)| *w);
            let got = json_var(&v, name).and_then(|x| x["value"].as_str()).map(str::to_string);
            let want = want.map(|w| w.replace("<home>", &home));
            let ok = match (&got, &want) {
                (Some(g), Some(w)) if name == "GOROOT" => g.ends_with(w.as_str()),
                (g, w) => g == w,
            };
            assert!(ok, "{ctx}\n{name}: got {got:?}, want {want:?}");
        }
        for (name, want) in case.changed.iter().filter(|(n, _)| !expected().iter().any(|(e, _)| e == n)) {
            let got = json_var(&v, name).and_then(|x| x["value"].as_str());
            assert_eq!(got, *want, "{ctx}\n{name}");
        }
        // config show: the keys that are not broken, as written.
        let show = String::from_utf8(wslgo(&sb, &["config", "show"]).stdout).unwrap();
        if !case
            .edits
            .iter()
            .any(|(n, t)| (*n == 9 || *n == 8) && !t.contains("interval_secs = 7"))
        {
            assert!(show.contains("interval_secs = 7"), "{ctx}\n{show}");
        }
        if !case.edits.iter().any(|(n, t)| *n == 11 && t.contains("disable")) || case.name == "bad warn id" {
            assert!(show.contains("disable = [\"go-missing\"]"), "{ctx}\n{show}");
        }
        drop(root);
    }
}

#[test]
fn dev_null_is_no_config_and_show_resolves_auto() {
    let (_root, mut sb) = setup("null");
    sb.set("WSLGO_CONFIG", "/dev/null");
    let c = wslgo(&sb, &["config", "check"]);
    assert_eq!(c.status.code(), Some(0), "{}", String::from_utf8_lossy(&c.stderr));
    assert!(c.stderr.is_empty());
    let v = env_json(&sb);
    assert!(v["warnings"].as_array().unwrap().iter().all(|w| w["id"] != "config-invalid"), "{v}");
    let show = String::from_utf8(wslgo(&sb, &["config", "show"]).stdout).unwrap();
    // Every key of the struct is printed; auto ones say what they give now.
    for k in [
        "lang",
        "lc_all",
        "root",
        "path",
        "maxprocs",
        "memlimit",
        "goproxy",
        "goproxy_direct",
        "goprivate",
        "mode",
        "host",
        "port",
        "scheme",
        "no_proxy",
        "recheck_secs",
        "adopt",
        "interval_secs",
        "disable",
    ] {
        assert!(show.lines().any(|l| l.starts_with(&format!("{k} = "))), "{k}: {show}");
    }
    let line = |k: &str| show.lines().find(|l| l.starts_with(&format!("{k} = "))).unwrap().to_string();
    assert!(line("lang").contains("# now: LANG=C.UTF-8"), "{show}");
    assert!(
        line("root").contains("# now: GOROOT=") && line("root").contains("/usr/local/go"),
        "{show}"
    );
    assert!(line("path").contains(&format!("# now: GOPATH={}/go", sb.home.display())), "{show}");
    assert!(line("mode").contains("# now: not managed"), "{show}");
}

#[test]
fn config_invalid_once_per_distinct_set_and_last_good_kept() {
    for sh in SHELLS {
        let (_root, sb) = setup("once");
        let path = sb.config("[go]\nmaxprocs = 3\n");
        let p = path.display();
        let script = format!(
            "echo \"A=$GOMAXPROCS\"\n\
             printf '[go]\\nmaxprocs = \"lots\"\\n' > '{p}'\ncd /\necho \"B=$GOMAXPROCS\"\n\
             touch '{p}'\ncd /tmp\necho \"C=$GOMAXPROCS\"\n\
             printf '[go]\\nmaxprocs = \"lots\"\\n[golang]\\n' > '{p}'\ncd /\necho \"D=$GOMAXPROCS\"\n\
             printf '[go]\\nmaxprocs = 5\\n' > '{p}'\ncd /tmp\necho \"E=$GOMAXPROCS\"\n"
        );
        let Some(o) = sb.run(sh, &script) else { return };
        assert_eq!(o.value("A").as_deref(), Some("3"), "{sh}: {}", o.stderr);
        assert_eq!(o.value("B").as_deref(), Some("3"), "{sh}: the last good value stays: {}", o.stderr);
        assert_eq!(o.value("D").as_deref(), Some("3"), "{sh}: {}", o.stderr);
        assert_eq!(o.value("E").as_deref(), Some("5"), "{sh}: {}", o.stderr);
        let w: Vec<String> = o.warnings().into_iter().filter(|l| l.contains("config-invalid")).collect();
        assert_eq!(w.len(), 2, "{sh}: once for the first set, again for the second: {w:?}");
        assert!(w[0].contains(&format!("{p}:2:12: `go.maxprocs`")), "{sh}: {}", w[0]);
        assert!(w[0].contains("keeping the last good value 3"), "{sh}: {}", w[0]);
        assert!(w[1].contains("unknown section `golang`"), "{sh}: {}", w[1]);
    }
}
