//! The man page (issue 17): the committed `man/wslgo.1` is what the CLI generates now, `man`
//! renders every section of it without a warning, and it documents every command and option,
//! every config key, every variable the code reads and every warning id.

mod common;
use clap::CommandFactory;
use common::*;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use wslgo::cli::Cli;
use wslgo::manpage;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The sections a man page for a command like this one must have (man-pages(7)), and the ones
/// wslgo adds.
const SECTIONS: &[&str] = &[
    "NAME",
    "SYNOPSIS",
    "DESCRIPTION",
    "OPTIONS",
    "COMMANDS",
    "CONFIGURATION",
    "ENVIRONMENT",
    "WARNINGS",
    "FILES",
    "EXIT STATUS",
    "VERSION",
    "SEE ALSO",
];

/// The variables SPEC and issue 17 name as read by wslgo.
const SPEC_VARIABLES: &[&str] = &["WSLGO_CONFIG", "WSLGO_DISABLE", "WSLGO_QUIET", "WSLGO_SYSROOT", "NO_COLOR"];

/// `wslgo init`, `wslgo config path`, ...: every visible command path of the CLI.
fn command_paths() -> Vec<(String, BTreeSet<String>)> {
    fn walk(c: &clap::Command, prefix: &str, out: &mut Vec<(String, BTreeSet<String>)>) {
        for s in c.get_subcommands().filter(|s| !s.is_hide_set() && s.get_name() != "help") {
            let path = format!("{prefix} {}", s.get_name());
            let longs = s
                .get_arguments()
                .filter(|a| !a.is_hide_set() && !a.is_global_set())
                .filter_map(|a| a.get_long())
                .filter(|l| *l != "help" && *l != "version")
                .map(|l| format!("--{l}"))
                .collect();
            out.push((path.clone(), longs));
            walk(s, &path, out);
        }
    }
    let mut cmd = Cli::command();
    cmd.build();
    let mut out = Vec::new();
    walk(&cmd, "wslgo", &mut out);
    out
}

// ---------------------------------------------------------------------------------------------
// The committed file

/// The committed page is what the CLI generates now. With WSLGO_UPDATE_MAN=1 it is rewritten
/// instead (scripts/gen-man is the usual way).
#[test]
fn committed_page_is_current() {
    let path = repo().join(manpage::COMMITTED_PATH);
    let generated = manpage::render();
    if std::env::var("WSLGO_UPDATE_MAN").as_deref() == Ok("1") {
        std::fs::write(&path, &generated).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "{} is stale: run scripts/gen-man (or WSLGO_UPDATE_MAN=1 cargo test --test manpage)",
        path.display()
    );
}

/// The staleness check can fail: a command, an option or a new help text changes the page.
#[test]
fn a_changed_cli_makes_the_page_stale() {
    let committed = std::fs::read_to_string(repo().join(manpage::COMMITTED_PATH)).unwrap();
    assert_eq!(manpage::render_for(Cli::command()), committed, "run scripts/gen-man");
    let added = Cli::command().subcommand(clap::Command::new("zz-added").about("A command added later"));
    let page = manpage::render_for(added);
    assert_ne!(page, committed);
    assert!(page.contains("zz\\-added"), "the new command is not on the page");
    let new_opt = Cli::command().mut_subcommand("env", |c| {
        c.arg(clap::Arg::new("zz").long("zz-opt").action(clap::ArgAction::SetTrue).help("Later"))
    });
    let page = manpage::render_for(new_opt);
    assert_ne!(page, committed);
    assert!(page.contains("zz\\-opt"), "the new option is not on the page");
}

/// Every `WSLGO_*` variable the code reads (a string literal in src/, not the `__WSLGO_` state
/// variables) and every variable SPEC names is in the ENVIRONMENT table.
#[test]
fn every_variable_the_code_reads_is_documented() {
    let documented: BTreeSet<String> = manpage::ENVIRONMENT
        .iter()
        .flat_map(|(names, _)| names.split(", ").map(str::to_string))
        .collect();
    let mut read = BTreeSet::new();
    let mut files = vec![repo().join("src")];
    while let Some(p) = files.pop() {
        if p.is_dir() {
            files.extend(std::fs::read_dir(&p).unwrap().map(|e| e.unwrap().path()));
            continue;
        }
        if p.extension().is_none_or(|e| e != "rs") || p.ends_with("manpage.rs") {
            continue;
        }
        let text = std::fs::read_to_string(&p).unwrap();
        for (i, _) in text.match_indices("\"WSLGO_") {
            let name: String = text[i + 1..]
                .chars()
                .take_while(|c| c.is_ascii_uppercase() || *c == '_' || c.is_ascii_digit())
                .collect();
            if text[i + 1 + name.len()..].starts_with('"') {
                read.insert(name);
            }
        }
    }
    assert!(
        read.contains("WSLGO_CONFIG") && read.contains("WSLGO_SYSROOT"),
        "the scan found {read:?}"
    );
    for v in read.iter().map(String::as_str).chain(SPEC_VARIABLES.iter().copied()) {
        assert!(documented.contains(v), "{v} is read but not in manpage::ENVIRONMENT");
    }
}

// ---------------------------------------------------------------------------------------------
// Rendered by man

/// `man ./man/wslgo.1`, as a user runs it (the pager replaced by cat, a wide terminal),
/// with groff's warnings on. `None` (a visible SKIP) when man is not installed; under CI=true
/// that fails instead.
fn man(page: &Path) -> Option<String> {
    let man = shell_path("man")?;
    let dir = page.parent().unwrap();
    let o = Command::new(man)
        .current_dir(dir)
        .arg("--warnings")
        .arg(format!("./{}", page.file_name().unwrap().to_str().unwrap()))
        .env("MANPAGER", "cat")
        .env("PAGER", "cat")
        .env("MANWIDTH", "200")
        .env("LC_ALL", "C.UTF-8")
        .env("MAN_KEEP_FORMATTING", "")
        .env_remove("MANOPT")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "man failed ({}): {stderr}", o.status);
    assert!(stderr.trim().is_empty(), "man/groff warned: {stderr}");
    Some(String::from_utf8(o.stdout).expect("UTF-8 from man under C.UTF-8"))
}

/// The rendered text of one section: the lines after its heading up to the next heading,
/// with runs of spaces (justification) folded.
fn section<'a>(text: &'a str, name: &str) -> Vec<&'a str> {
    let mut lines = text.lines().skip_while(|l| *l != name);
    assert!(lines.next().is_some(), "no section {name} in:\n{text}");
    lines.take_while(|l| l.is_empty() || l.starts_with(' ')).collect()
}

fn fold(lines: &[&str]) -> String {
    lines.iter().flat_map(|l| l.split_whitespace()).collect::<Vec<_>>().join(" ")
}

/// Every `.SH` of the committed page renders as a heading, in order, and the page has every
/// section it should; every command path with its options, every config key, every variable
/// and every warning id shows up in its section.
#[test]
fn man_renders_every_section() {
    let path = repo().join(manpage::COMMITTED_PATH);
    let source = std::fs::read_to_string(&path).unwrap();
    let Some(text) = man(&path) else { return };

    let declared: Vec<String> = source
        .lines()
        .filter_map(|l| l.strip_prefix(".SH "))
        .map(|h| h.trim_matches('"').to_string())
        .collect();
    for s in SECTIONS {
        assert!(declared.iter().any(|d| d == s), "the page has no {s} section");
    }
    let rendered: Vec<&str> = text
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with(' ') && !l.starts_with("WSLGO(1)") && !l.contains("WSLGO(1)"))
        .collect();
    assert_eq!(rendered, declared, "headings as rendered vs .SH lines:\n{text}");
    for s in SECTIONS {
        assert!(!fold(&section(&text, s)).is_empty(), "section {s} renders empty");
    }

    // COMMANDS: each command's usage line as a subsection heading, its options below it.
    let commands = section(&text, "COMMANDS");
    for (cmd, longs) in command_paths() {
        let at = commands
            .iter()
            .position(|l| l.trim_start().starts_with(&format!("{cmd} ")) || l.trim() == cmd)
            .unwrap_or_else(|| panic!("{cmd} is not documented under COMMANDS:\n{}", commands.join("\n")));
        let body: Vec<&str> = commands[at + 1..]
            .iter()
            .take_while(|l| !l.starts_with("   wslgo"))
            .copied()
            .collect();
        for l in longs {
            assert!(fold(&body).contains(&l), "{cmd}: {l} is not documented");
        }
    }

    // CONFIGURATION: the path rules and every key of the default config, under its section.
    let config = fold(&section(&text, "CONFIGURATION"));
    for want in ["$XDG_CONFIG_HOME/wslgo/config.toml", "~/.config/wslgo/config.toml", "WSLGO_CONFIG"] {
        assert!(config.contains(want), "CONFIGURATION lacks {want}");
    }
    let defaults: toml::Table = toml::from_str(&std::fs::read_to_string(repo().join("shell/config.default.toml")).unwrap()).unwrap();
    assert!(defaults.len() >= 5);
    for (table, keys) in &defaults {
        let keys = keys.as_table().unwrap();
        let at = config
            .find(&format!("[{table}]"))
            .unwrap_or_else(|| panic!("[{table}] not on the page"));
        let end = defaults
            .keys()
            .filter_map(|t| config[at + 1..].find(&format!("[{t}]")).map(|e| at + 1 + e))
            .min()
            .unwrap_or(config.len());
        for k in keys.keys() {
            assert!(config[at..end].contains(&format!(" {k} = ")), "{table}.{k} not on the page");
        }
    }

    // ENVIRONMENT: each variable as an item of its own.
    let env = section(&text, "ENVIRONMENT");
    for (names, _) in manpage::ENVIRONMENT {
        assert!(
            env.iter().any(|l| l.trim() == *names || l.trim().starts_with(&format!("{names} "))),
            "{names}"
        );
    }
    for v in SPEC_VARIABLES {
        assert!(env.iter().any(|l| l.trim().split(", ").any(|n| n == *v)), "ENVIRONMENT lacks {v}");
    }

    // WARNINGS: each id as an item, with its meaning.
    let warnings = section(&text, "WARNINGS");
    // (src/manpage.rs's unit test checks these are exactly the ids the code can show.)
    for (id, _) in manpage::WARNINGS {
        assert!(warnings.iter().any(|l| l.trim() == *id), "WARNINGS lacks {id}");
    }

    // VERSION: the crate's.
    assert!(fold(&section(&text, "VERSION")).contains(env!("CARGO_PKG_VERSION")));
}
