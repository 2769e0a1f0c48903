//! The `go` a user gets (issue 12): the default SDK in SPEC 5.2's order on a stock machine
//! (Debian's real go1.19 in /usr/bin plus SDKs from golang.org/dl), and GOTOOLCHAIN: which
//! toolchain the go command will really run, GOROOT, the note in `wslgo env` and `go-too-old`,
//! in real bash and zsh.

mod common;
use common::go::*;
use common::*;
use serde_json::Value;
use std::path::Path;

fn notes(v: &Value) -> Vec<String> {
    v["notes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|n| n.as_str().map(str::to_string))
        .collect()
}

fn note_with<'a>(ns: &'a [String], s: &str) -> &'a str {
    ns.iter()
        .find(|n| n.contains(s))
        .unwrap_or_else(|| panic!("no note with {s:?}: {ns:#?}"))
}

fn doctor_check(sb: &Sandbox, id: &str) -> Value {
    let o = wslgo(sb, &["doctor", "--json"]);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    v["checks"].as_array().unwrap().iter().find(|c| c["id"] == id).unwrap().clone()
}

/// A stock Debian/Ubuntu machine: golang-go (the real go1.19) in /usr/bin, one SDK from
/// golang.org/dl under ~/sdk. GOROOT is the go the user already runs, with no warning at all;
/// installing another SDK with golang.org/dl later leaves it alone; a module that needs newer
/// Go switches to the ~/sdk SDK without an inline warning (doctor's go.shadowed says the rest).
#[test]
fn stock_machine_keeps_the_users_go() {
    let Some(deb) = real_debian_go() else { return };
    for sh in SHELLS {
        let mut w = World::new("gostock");
        w.sb.set("PATH", format!("{}:/usr/bin:/bin", w.u1));
        fake_sdk(&w.sb.home.join("sdk/go1.22.5"), "1.22.5");
        write(&w.sb.home.join("m/go.mod"), "module m\ngo 1.22\n");
        let script = "echo \"A=$GOROOT|$(go version)\"\nmkdir -p ~/sdk/go1.23.0/bin\nprintf 'go1.23.0\\n' > ~/sdk/go1.23.0/VERSION\n\
                      cp ~/sdk/go1.22.5/bin/go ~/sdk/go1.23.0/bin/go\ncd /\ncd ~\necho \"B=$GOROOT|$(go version)\"\n\
                      cd m\necho \"C=$GOROOT\"\ncd ..\necho \"D=$GOROOT\"\n";
        let Some(o) = w.sb.run(sh, script) else { continue };
        let deb = deb.to_str().unwrap();
        let (g, v) = pair(&o, "A");
        assert_eq!(g, deb, "{sh}: the go on the user's PATH is the default; {}", o.stderr);
        assert!(v.starts_with("go version go1.19"), "{sh}: {v}");
        let (g, v) = pair(&o, "B");
        assert_eq!(g, deb, "{sh}: a golang.org/dl SDK installed later changes nothing");
        assert!(v.starts_with("go version go1.19"), "{sh}: {v}");
        assert_eq!(
            o.value("C").unwrap(),
            canon(&w.sb.home.join("sdk/go1.22.5")),
            "{sh}: the module switches"
        );
        assert_eq!(o.value("D").unwrap(), deb, "{sh}");
        assert_eq!(o.warnings(), Vec::<String>::new(), "{sh}: nothing is wrong, nothing is said");
        // A new shell after the install: still Debian's go.
        let Some(o) = w.sb.run(sh, "echo \"G=$GOROOT\"\n") else { continue };
        assert_eq!(o.value("G").unwrap(), deb, "{sh}");
        assert_eq!(o.warnings(), Vec::<String>::new(), "{sh}");
    }
    // Doctor: at home GOROOT is PATH's go, go.shadowed ok; in the module it explains the risk
    // with fixes a user can act on (the distro package, nothing for interactive work).
    let mut w = World::new("gostockdoc");
    w.sb.set("PATH", format!("{}:/usr/bin:/bin", w.u1));
    fake_sdk(&w.sb.home.join("sdk/go1.22.5"), "1.22.5");
    write(&w.sb.home.join("m/go.mod"), "module m\ngo 1.22\n");
    assert_eq!(doctor_check(&w.sb, "go.shadowed")["status"], "ok");
    w.sb.set("PWD", w.sb.home.join("m"));
    let c = doctor_check(&w.sb, "go.shadowed");
    assert_eq!(c["status"], "warn", "{c}");
    let fix = c["fix"].as_str().unwrap();
    assert!(fix.contains("sudo apt remove golang-go") && fix.contains("interactive"), "{fix}");
    assert!(!fix.contains("/usr/bin") && !fix.contains("PATH="), "{fix}");
}

/// Every GOTOOLCHAIN case, in real shells: GOROOT, the toolchain `wslgo env` says will run
/// (and where it comes from), and `go-too-old` only when go cannot switch, with the fix that
/// fits.
#[test]
fn gotoolchain_cases() {
    struct Case {
        name: &'static str,
        /// go.env of the default SDK /usr/local/go (go1.21.0); None: no go.env.
        sdk_env: Option<&'static str>,
        /// The go env -w file.
        file: Option<&'static str>,
        /// GOTOOLCHAIN exported.
        env: Option<&'static str>,
        module: &'static str,
        /// A downloaded go1.22.3 in the module cache; an installed ~/sdk/go1.24.1.
        dl: bool,
        sdk124: bool,
        /// Expected GOROOT: "default", "dl" (the downloaded go1.22.3), "sdk124" (~/sdk/go1.24.1).
        goroot: &'static str,
        /// A piece of the "go: ..." toolchain note.
        note: &'static str,
        /// The go-too-old fix has this (None: no warning).
        too_old: Option<&'static str>,
    }
    let official = "GOPROXY=https://proxy.golang.org,direct\nGOSUMDB=sum.golang.org\nGOTOOLCHAIN=auto\n";
    let m122 = "module m\ngo 1.22\n";
    let tc = "module m\ngo 1.22\ntoolchain go1.22.3\n";
    let cases = [
        Case {
            name: "auto from go.env, go 1.22: go1.22.0 downloaded (never go1.22)",
            sdk_env: Some(official),
            file: None,
            env: None,
            module: m122,
            dl: false,
            sdk124: false,
            goroot: "default",
            note: "runs go1.22.0 (GOTOOLCHAIN=auto from",
            // (and: "to be downloaded through GOPROXY", checked below)
            too_old: None,
        },
        Case {
            name: "toolchain line names a downloaded toolchain: it is GOROOT",
            sdk_env: Some(official),
            file: None,
            env: None,
            module: tc,
            dl: true,
            sdk124: true,
            goroot: "dl",
            note: "go1.22.3 runs: GOROOT's own, already downloaded by the go command (GOTOOLCHAIN=auto from",
            too_old: None,
        },
        Case {
            name: "toolchain line, GOTOOLCHAIN=local in the go env file: GOROOT is still the downloaded one",
            sdk_env: Some(official),
            file: Some("GOTOOLCHAIN=local\n"),
            env: None,
            module: tc,
            dl: true,
            sdk124: true,
            goroot: "dl",
            note: "go1.22.3 runs",
            too_old: None,
        },
        Case {
            name: "local in the go env file: cannot switch",
            sdk_env: Some(official),
            file: Some("GOTOOLCHAIN=local\n"),
            env: None,
            module: m122,
            dl: false,
            sdk124: false,
            goroot: "default",
            note: "go1.21.0 runs: GOROOT's own, installed (GOTOOLCHAIN=local from",
            too_old: Some("go env -w GOTOOLCHAIN=auto"),
        },
        Case {
            name: "local in the SDK's own go.env (a distro's choice)",
            sdk_env: Some("GOTOOLCHAIN=local\n"),
            file: None,
            env: None,
            module: m122,
            dl: false,
            sdk124: false,
            goroot: "default",
            note: "GOTOOLCHAIN=local from",
            too_old: Some("go env -w GOTOOLCHAIN=auto"),
        },
        Case {
            name: "set nowhere = local",
            sdk_env: None,
            file: None,
            env: None,
            module: m122,
            dl: false,
            sdk124: false,
            goroot: "default",
            note: "GOTOOLCHAIN set nowhere",
            too_old: Some("go install golang.org/dl/go1.22.0@latest && go1.22.0 download"),
        },
        Case {
            name: "local exported: the fix changes the export, go env -w cannot",
            sdk_env: Some(official),
            file: None,
            env: Some("local"),
            module: m122,
            dl: false,
            sdk124: false,
            goroot: "default",
            note: "from the environment",
            too_old: Some("export GOTOOLCHAIN=auto"),
        },
        Case {
            name: "a fixed version older than the module",
            sdk_env: Some(official),
            file: Some("GOTOOLCHAIN=go1.21.0\n"),
            env: None,
            module: "module m\ngo 1.21.5\n",
            dl: false,
            sdk124: false,
            goroot: "default",
            note: "go1.21.0 runs",
            too_old: Some("go env -w GOTOOLCHAIN=go1.21.0+auto"),
        },
        Case {
            name: "a fixed version newer than GOROOT, already downloaded",
            sdk_env: Some(official),
            file: None,
            env: Some("go1.22.3"),
            module: "module m\ngo 1.21\n",
            dl: true,
            sdk124: true,
            goroot: "default",
            note: "runs go1.22.3 (GOTOOLCHAIN=go1.22.3 from the environment): already downloaded",
            too_old: None,
        },
        Case {
            name: "GOTOOLCHAIN=go1.22 is a language version, not a toolchain",
            sdk_env: Some(official),
            file: None,
            env: Some("go1.22"),
            module: m122,
            dl: false,
            sdk124: false,
            goroot: "default",
            note: "go1.22 is a language version",
            too_old: Some("export GOTOOLCHAIN=go1.22.0 where your startup files"),
        },
        Case {
            name: "path: go1.22.0 is not on PATH",
            sdk_env: Some(official),
            file: Some("GOTOOLCHAIN=path\n"),
            env: None,
            module: m122,
            dl: false,
            sdk124: false,
            goroot: "default",
            note: "looks for go1.22.0 on PATH only",
            too_old: Some("go install golang.org/dl/go1.22.0@latest"),
        },
        Case {
            name: "an installed SDK that fits wins over switching",
            sdk_env: Some(official),
            file: None,
            env: None,
            module: "module m\ngo 1.24\n",
            dl: true,
            sdk124: true,
            goroot: "sdk124",
            note: "go1.24.1 runs: GOROOT's own, installed",
            too_old: None,
        },
    ];
    for sh in SHELLS {
        for c in &cases {
            let mut w = World::new("gotc");
            let def = w.sys("/usr/local/go");
            match c.sdk_env {
                Some(e) => fake_sdk_env(&def, "1.21.0", e),
                None => fake_sdk(&def, "1.21.0"),
            }
            if c.sdk124 {
                fake_sdk(&w.sb.home.join("sdk/go1.24.1"), "1.24.1");
            }
            let mc = w.sb.home.join("go/pkg/mod");
            let dl = if c.dl { fake_downloaded(&mc, "1.22.3") } else { mc.join("none") };
            if let Some(f) = c.file {
                write(&w.sb.home.join(".config/go/env"), f);
            }
            if let Some(e) = c.env {
                w.sb.set("GOTOOLCHAIN", e);
            }
            write(&w.sb.home.join("m/go.mod"), c.module);
            let Some(o) = w.sb.run(sh, "cd m\necho \"G=$GOROOT\"\necho \"RUN=$(go)\"\ncd ..\n") else {
                continue;
            };
            let want = match c.goroot {
                "default" => canon(&def),
                "dl" => canon(&dl),
                _ => canon(&w.sb.home.join("sdk/go1.24.1")),
            };
            let what = format!("{sh}: {}", c.name);
            assert_eq!(o.value("G").unwrap(), want, "{what}; {}", o.stderr);
            assert!(
                o.value("RUN").unwrap().ends_with(&format!("GOROOT={want}")),
                "{what}: GOROOT's go runs"
            );
            let too_old: Vec<String> = o.warnings().into_iter().filter(|l| l.contains("go-too-old")).collect();
            match c.too_old {
                None => assert_eq!(too_old, Vec::<String>::new(), "{what}"),
                Some(fix) => {
                    assert_eq!(too_old.len(), 1, "{what}: {}", o.stderr);
                    assert!(too_old[0].contains(fix), "{what}: {}", too_old[0]);
                }
            }
            if *sh == "bash" {
                w.sb.set("PWD", w.sb.home.join("m"));
                let v = env_json(&w.sb);
                let ns = notes(&v);
                let n = note_with(&ns, "go: toolchain: ");
                assert!(n.contains(c.note), "{what}: {ns:#?}");
                if c.goroot == "default" && c.too_old.is_none() && !c.dl {
                    assert!(
                        n.contains("to be downloaded through GOPROXY=https://proxy.golang.org,direct"),
                        "{what}: {n}"
                    );
                }
                assert!(
                    !ns.iter().any(|n| n.contains("runs go1.22 ") || n.contains("go1.22 runs")),
                    "{what}: {ns:#?}"
                );
            }
        }
    }
}

/// The real Debian go1.19 cannot switch: a `go 1.22` module keeps it as GOROOT and
/// `go-too-old` gives golang.org/dl's commands (go exists here), not GOTOOLCHAIN advice.
#[test]
fn real_go119_cannot_switch() {
    let Some(deb) = real_debian_go() else { return };
    for sh in SHELLS {
        let mut w = World::new("go119");
        w.sb.set("PATH", format!("{}:/usr/bin:/bin", w.u1));
        w.sb.set("GOTOOLCHAIN", "auto");
        write(&w.sb.home.join("m/go.mod"), "module m\ngo 1.22\ntoolchain go1.22.3\n");
        let Some(o) = w.sb.run(sh, "cd m\necho \"G=$GOROOT|$(go version)\"\n") else {
            continue;
        };
        let (g, v) = pair(&o, "G");
        assert_eq!(g, deb.to_str().unwrap(), "{sh}");
        assert!(v.starts_with("go version go1.19"), "{sh}: {v}");
        assert_eq!(o.count_warning("go-too-old"), 1, "{sh}: {}", o.stderr);
        let line = o.warnings().into_iter().find(|l| l.contains("go-too-old")).unwrap();
        assert!(
            line.contains("never switches") && line.contains("go install golang.org/dl/go1.22.0@latest && go1.22.0 download"),
            "{sh}: {line}"
        );
        assert!(!line.contains("GOTOOLCHAIN=auto"), "{sh}: {line}");
    }
}

/// Sanity: the fake toolchain lands where the go command keeps downloads.
#[test]
fn downloaded_layout() {
    let d = TempDir::new("dl");
    let t = fake_downloaded(d.path(), "1.22.3");
    assert!(t.ends_with(Path::new(&format!("golang.org/toolchain@v0.0.1-go1.22.3.linux-{}", goarch()))));
}
