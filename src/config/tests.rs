//! The config's unit tests: the default text, recovery, types, names, paths.

use super::*;
use std::path::Path;

fn env() -> ShellEnv {
    ShellEnv::from_pairs([("HOME", "/home/u"), ("SDKS", "/opt/sdks")])
}

fn p(s: &str) -> Loaded {
    parse(Path::new("c.toml"), s.as_bytes(), &env(), None)
}

fn at(l: &Loaded) -> Vec<(usize, usize)> {
    l.issues.iter().map(|i| (i.line, i.column)).collect()
}

#[test]
fn default_text_is_the_default_config_and_names_every_key() {
    let l = p(DEFAULT_TOML);
    assert!(l.issues.is_empty(), "{:?}", l.issues);
    assert_eq!(l.config, Config::default());
    // Every key of the struct is written (and documented) in the default file.
    for k in known_keys() {
        let (s, key) = k.split_once('.').unwrap();
        let in_section = DEFAULT_TOML
            .split(&format!("[{s}]"))
            .nth(1)
            .is_some_and(|rest| rest.split("\n[").next().unwrap().contains(&format!("\n{key} = ")));
        assert!(in_section, "{k} is missing from config.default.toml");
    }
    assert!(known_keys().contains(&"proxy.adopt".to_string()));
}

#[test]
fn typo_names_nearest_key_with_line_and_column() {
    let l = p("[locale]\nlang = \"zh_CN.UTF-8\"\n  lcall = false\n");
    assert_eq!(at(&l), vec![(3, 3)]);
    assert!(l.issues[0].what.contains("`locale.lc_all`"), "{}", l.issues[0].what);
    assert_eq!(l.config.locale.lang, "zh_CN.UTF-8", "the good key still applies");
    assert!(l.config.locale.lc_all);
}

#[test]
fn syntax_error_costs_its_line_only() {
    let l = p("[hook]\ninterval_secs = 3s\n[go]\nroot = \"/x\"\nmaxprocs = = 3\npath = \"/p\"\n");
    assert_eq!(at(&l), vec![(2, 17), (5, 12)], "{:?}", l.issues);
    assert!(l.issues[0].what.contains("`hook.interval_secs`: syntax error"), "{}", l.issues[0]);
    assert!(l.issues[0].what.ends_with("using 3"), "{}", l.issues[0]);
    assert_eq!(l.config.go.root, "/x");
    assert_eq!(l.config.go.path, "/p");
    assert_eq!(l.config.go.maxprocs, MaxProcs::Auto);
    // An unclosed array costs its own line, not the section after it.
    let l = p("[locale]\nlang = \"auto\"\nlc_all = [true\n[go]\nroot = \"/x\"\n");
    assert_eq!(l.issues.len(), 1, "{:?}", l.issues);
    assert_eq!((l.issues[0].line, l.issues[0].column), (3, 10));
    assert_eq!(l.config.go.root, "/x");
    // An unterminated string.
    let l = p("[go]\nroot = \"/unterminated\npath = \"/p\"\n[hook]\ninterval_secs = 5\n");
    assert_eq!(l.issues.len(), 1);
    assert_eq!(l.issues[0].line, 2);
    assert_eq!((l.config.go.path.as_str(), l.config.hook.interval_secs), ("/p", 5));
}

#[test]
fn wrong_types_keep_default_or_last_good() {
    let text = "[go]\nmaxprocs = \"lots\"\nmemlimit = \"3GiB\"\n[proxy]\nport = 70000\nscheme = \"socks5h\"\n";
    let l = p(text);
    assert_eq!(at(&l), vec![(2, 12), (5, 8)], "{:?}", l.issues);
    assert_eq!(l.config.go.maxprocs, MaxProcs::Auto);
    assert_eq!(l.config.go.memlimit, MemLimit::Bytes(3 << 30));
    assert_eq!(l.config.proxy.port, None);
    assert_eq!(l.config.proxy.scheme, Scheme::Socks5h);
    let mut prev = Config::default();
    prev.go.maxprocs = MaxProcs::Fixed(4);
    prev.proxy.port = Some(7890);
    let l = parse(Path::new("c.toml"), text.as_bytes(), &env(), Some(&prev));
    assert_eq!(l.config.go.maxprocs, MaxProcs::Fixed(4));
    assert_eq!(l.config.proxy.port, Some(7890));
    assert!(l.issues[0].what.contains("keeping the last good value 4"), "{}", l.issues[0]);
    // A key that is gone from the file goes back to its default, whatever it was before.
    let l = parse(Path::new("c.toml"), b"", &env(), Some(&prev));
    assert_eq!(l.config, Config::default());
}

#[test]
fn sections_and_top_level_keys() {
    let l = p("lang = \"C.UTF-8\"\n[golang]\nroot = \"/x\"\n[go]\npath = \"/p\"\n");
    assert_eq!(at(&l), vec![(1, 1), (2, 2)], "{:?}", l.issues);
    assert!(
        l.issues[0].what.contains("unknown key `lang` (did you mean `locale.lang`?)"),
        "{}",
        l.issues[0]
    );
    assert!(
        l.issues[1].what.contains("unknown section `golang` (did you mean `go`?)"),
        "{}",
        l.issues[1]
    );
    assert_eq!(l.config.go.path, "/p");
    assert_eq!(l.config.go.root, "auto");
    // Dotted keys and inline tables are the same keys.
    let l = p("go.root = \"/x\"\nlocale = { lang = \"C.UTF-8\", lc_all = 1 }\n[hook]\ninterval_secs = 5\n");
    assert_eq!(at(&l), vec![(2, 39)], "{:?}", l.issues);
    assert_eq!(l.config.go.root, "/x");
    assert_eq!(l.config.locale.lang, "C.UTF-8");
    assert!(l.config.locale.lc_all);
    assert_eq!(l.config.hook.interval_secs, 5);
}

#[test]
fn warn_disable_costs_only_its_bad_ids() {
    let l = p("[warn]\ndisable = [\"drvfs-cwd\", \"go-mising\", \"proxy-timeout\"]\n");
    assert_eq!(at(&l), vec![(2, 25)], "{:?}", l.issues);
    assert!(l.issues[0].what.contains("(did you mean `go-missing`?)"), "{}", l.issues[0]);
    assert_eq!(l.config.warn.disable, vec!["drvfs-cwd", "proxy-timeout"]);
}

#[test]
fn paths_expand_and_must_be_absolute() {
    let e = env();
    assert_eq!(expand_path("~/go", &e).unwrap(), PathBuf::from("/home/u/go"));
    assert_eq!(expand_path("$HOME/gopath", &e).unwrap(), PathBuf::from("/home/u/gopath"));
    assert_eq!(expand_path("${SDKS}/go1.22", &e).unwrap(), PathBuf::from("/opt/sdks/go1.22"));
    for bad in ["gopath", "$NOPE/x", "~bob/go", "${HOME", "$/x", "./go"] {
        assert!(expand_path(bad, &e).is_err(), "{bad}");
    }
    let l = p("[go]\nroot = \"~/sdk/go1.22.0\"\npath = \"work/go\"\n");
    assert_eq!(at(&l), vec![(3, 8)], "{:?}", l.issues);
    assert!(l.issues[0].what.contains("not an absolute path"), "{}", l.issues[0]);
    assert_eq!(l.config.go.path, "auto");
    assert_eq!(l.config.go.root_dir(&e).unwrap(), Some(PathBuf::from("/home/u/sdk/go1.22.0")));
    let l = p("[go]\npath = \"$HOME/gopath:${SDKS}/more\"\n");
    assert!(l.issues.is_empty(), "{:?}", l.issues);
    assert_eq!(
        l.config.go.gopath(&e).unwrap(),
        Some(PathBuf::from("/home/u/gopath:/opt/sdks/more"))
    );
}

#[test]
fn hostile_text() {
    for t in [
        "\u{0}\u{1}garbage[[[",
        "[[go]]\nroot = 1\n",
        "go = 3\n",
        "[go]\nroot = '''x\n",
        "[locale",
    ] {
        let l = p(t);
        assert!(!l.issues.is_empty(), "{t:?}");
    }
    let l = parse(Path::new("c.toml"), b"[go]\nroot = \"/a\xff\"\npath = \"/p\"\n", &env(), None);
    assert_eq!(at(&l), vec![(2, 11)], "{:?}", l.issues);
    assert_eq!(l.config.go.path, "/p");
    assert!(load(Path::new("/dev/null"), &env(), None).issues.is_empty());
    // A NUL in a string (no environment variable can hold one): that key keeps its default.
    let l = p("[go]\npath = \"/g\\u0000x\"\ngoproxy = \"https://p\"\n[proxy]\nno_proxy = [\"a\", \"b\\u0000\"]\n");
    assert_eq!(at(&l), vec![(2, 8), (5, 18)], "{:?}", l.issues);
    assert_eq!(l.config.go.path, "auto");
    assert_eq!(l.config.go.goproxy, "https://p");
    assert_eq!(l.config.proxy.no_proxy, vec!["a".to_string()]);
}

#[test]
fn values() {
    assert_eq!(parse_size("3GiB"), Some(3 << 30));
    assert_eq!(parse_size("512MiB"), Some(512 << 20));
    assert_eq!(parse_size("0"), None);
    assert_eq!(parse_size("x"), None);
    let l = p("[go]\nmaxprocs = 4\n[proxy]\nport = 7890\n");
    assert_eq!(l.config.go.maxprocs, MaxProcs::Fixed(4));
    assert_eq!(l.config.proxy.port, Some(7890));
    // The cache's JSON round-trips.
    let json = serde_json::to_string(&l.config).unwrap();
    assert_eq!(serde_json::from_str::<Config>(&json).unwrap(), l.config);
}
