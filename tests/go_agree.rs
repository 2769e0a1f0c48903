//! One resolver (issue 12 item 5): `wslgo env --json` and `wslgo doctor --json` agree on
//! GOROOT, GOPATH, GOMODCACHE and where `go install` puts commands (GOBIN or GOPATH/bin),
//! over config and environment variants, because both call the same functions.

mod common;
use common::go::*;
use common::*;
use serde_json::Value;
use std::os::unix::fs::symlink;

fn doctor_json(sb: &Sandbox) -> Value {
    let o = wslgo(sb, &["doctor", "--json"]);
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("doctor --json: {e}: {}", String::from_utf8_lossy(&o.stderr)))
}

fn summary(d: &Value, id: &str) -> String {
    let c = d["checks"].as_array().unwrap().iter().find(|c| c["id"] == id).unwrap();
    c["summary"].as_str().unwrap().to_string()
}

/// The value env gives a variable (set or kept), None when unset.
fn env_value(v: &Value, name: &str) -> Option<String> {
    let x = json_var(v, name)?;
    (x["action"] != "unset").then(|| x["value"].as_str().map(str::to_string)).flatten()
}

fn env_note(v: &Value, prefix: &str) -> Option<String> {
    v["notes"].as_array().unwrap().iter().filter_map(|n| n.as_str()).find_map(|n| {
        let rest = n.strip_prefix(prefix)?;
        Some(rest.split(" (").next().unwrap_or(rest).to_string())
    })
}

#[test]
fn env_and_doctor_agree_on_every_go_value() {
    type Setup = Box<dyn Fn(&mut World)>;
    let variants: Vec<(&str, Setup)> = vec![
        ("defaults", Box::new(|_| {})),
        (
            "go.path with ~",
            Box::new(|w| {
                w.sb.config("[go]\npath = \"~/work/go\"\n");
            }),
        ),
        (
            "go.path list",
            Box::new(|w| {
                w.sb.config("[go]\npath = \"/srv/a:/srv/b\"\n");
            }),
        ),
        (
            "go.path with a space",
            Box::new(|w| {
                w.sb.config("[go]\npath = \"/srv/my go\"\n");
            }),
        ),
        (
            "go env -w GOPATH",
            Box::new(|w| write(&w.sb.home.join(".config/go/env"), "GOPATH=/data/go\n")),
        ),
        (
            "GOPATH exported",
            Box::new(|w| {
                w.sb.set("GOPATH", "/mine/go");
            }),
        ),
        (
            "GOMODCACHE exported",
            Box::new(|w| {
                w.sb.set("GOMODCACHE", "/cache/mod");
            }),
        ),
        (
            "go env -w GOMODCACHE and GOBIN",
            Box::new(|w| write(&w.sb.home.join(".config/go/env"), "GOMODCACHE=/fast/mod\nGOBIN=/opt/gobin\n")),
        ),
        (
            "GOBIN exported",
            Box::new(|w| {
                w.sb.set("GOBIN", "/usr/local/mybin");
            }),
        ),
        (
            "go.root",
            Box::new(|w| {
                let p = w.sb.home.join("sdk/go1.23.0");
                w.sb.config(&format!("[go]\nroot = \"{}\"\n", p.display()));
            }),
        ),
        (
            "a valid GOROOT of the user's",
            Box::new(|w| {
                let p = w.sb.home.join("sdk/go1.23.0");
                w.sb.set("GOROOT", p);
            }),
        ),
        (
            "a GOROOT that is not an SDK",
            Box::new(|w| {
                w.sb.set("GOROOT", "/nowhere/go");
            }),
        ),
        (
            "the go on the user's PATH",
            Box::new(|w| {
                let b = w.sb.dir.path().join("ubin");
                std::fs::create_dir_all(&b).unwrap();
                symlink(w.sb.home.join("sdk/go1.23.0/bin/go"), b.join("go")).unwrap();
                let path = format!("{}:{}", b.display(), w.u1);
                w.sb.set("PATH", path);
            }),
        ),
        (
            "a module that switches",
            Box::new(|w| {
                fake_sdk(&w.sb.home.join("sdk/go1.24.1"), "1.24.1");
                write(&w.sb.home.join("m/go.mod"), "module m\ngo 1.24\n");
                let m = w.sb.home.join("m");
                w.sb.set("PWD", m);
            }),
        ),
        (
            "a downloaded toolchain for the module",
            Box::new(|w| {
                fake_downloaded(&w.sb.home.join("go/pkg/mod"), "1.22.3");
                write(&w.sb.home.join("m/go.mod"), "module m\ngo 1.22\ntoolchain go1.22.3\n");
                let m = w.sb.home.join("m");
                w.sb.set("PWD", m);
            }),
        ),
        (
            "no SDK at all",
            Box::new(|w| {
                std::fs::remove_dir_all(w.sys("/usr/local/go1.22.5")).unwrap();
                std::fs::remove_dir_all(w.sb.home.join("sdk")).unwrap();
            }),
        ),
    ];
    assert!(variants.len() >= 12);
    for (name, setup) in &variants {
        let mut w = World::new("goagree");
        fake_sdk(&w.sys("/usr/local/go1.22.5"), "1.22.5");
        symlink("go1.22.5", w.sys("/usr/local/go")).unwrap();
        fake_sdk(&w.sb.home.join("sdk/go1.23.0"), "1.23.0");
        setup(&mut w);
        let e = env_json(&w.sb);
        let d = doctor_json(&w.sb);
        let sdk = summary(&d, "go.sdk");
        match env_value(&e, "GOROOT") {
            Some(g) => assert!(sdk.contains(&format!("GOROOT={g} (")), "{name}: env GOROOT={g}, doctor: {sdk}"),
            None => assert!(sdk.contains("no Go SDK"), "{name}: env has no GOROOT, doctor: {sdk}"),
        }
        let gp = env_value(&e, "GOPATH").unwrap_or_else(|| panic!("{name}: no GOPATH in env"));
        let path = summary(&d, "go.path");
        assert!(path.contains(&format!("GOPATH={gp} (")), "{name}: env GOPATH={gp}, doctor: {path}");
        let mc = env_note(&e, "go: GOMODCACHE=").unwrap_or_else(|| panic!("{name}: no GOMODCACHE note"));
        assert!(
            path.contains(&format!("GOMODCACHE={mc} (")),
            "{name}: env GOMODCACHE={mc}, doctor: {path}"
        );
        let bin = env_note(&e, "go: go install puts commands in ").unwrap();
        let gb = summary(&d, "go.gopath_bin");
        assert!(gb.contains(&format!("puts commands in {bin} (")), "{name}: env {bin}, doctor: {gb}");
        if let Some(v) = env_value(&e, "GOBIN") {
            assert_eq!(v, bin, "{name}: an exported GOBIN is where go install writes");
        }
        // And what the variants are about really shows.
        match *name {
            "go.path with ~" => assert_eq!(gp, format!("{}/work/go", w.sb.home.display())),
            "go env -w GOPATH" => assert_eq!(gp, "/data/go"),
            "GOPATH exported" => assert_eq!(gp, "/mine/go"),
            "GOMODCACHE exported" => assert_eq!(mc, "/cache/mod"),
            "go env -w GOMODCACHE and GOBIN" => assert_eq!((mc.as_str(), bin.as_str()), ("/fast/mod", "/opt/gobin")),
            "go.path list" => assert_eq!((mc.as_str(), bin.as_str()), ("/srv/a/pkg/mod", "/srv/a/bin")),
            "go.root" | "a valid GOROOT of the user's" | "the go on the user's PATH" => {
                assert!(sdk.contains("go1.23.0"), "{name}: {sdk}")
            }
            "a module that switches" => assert!(sdk.contains("go1.24.1"), "{name}: {sdk}"),
            "a downloaded toolchain for the module" => assert!(sdk.contains("toolchain@v0.0.1-go1.22.3"), "{name}: {sdk}"),
            _ => {}
        }
    }
}
