//! The module layout is the data flow, and this test holds it there: every `crate::...` and
//! `super::...` path in src/ is resolved to the module (file) it names, and
//!
//! 1. no module names one in a higher layer (the table below: sysroot and other leaves, then
//!    the probes with config and state, then plan, diff, render, and cmd/doctor on top);
//! 2. no modules name each other in a cycle (a parent naming its own submodules, e.g.
//!    `plan::plan` calling each planner, is composition and not counted);
//! 3. no source file is over 500 lines unless its first line says why.
//!
//! A new top-level module must be added to [`LAYERS`] (the test fails until it is).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Each top-level module of src/ and its layer; a module may name only its own layer or lower.
const LAYERS: &[(&str, u8)] = &[
    // 0: leaves every layer may use.
    ("sysroot", 0),
    ("arena", 0),
    ("paths", 0),
    ("shell", 0),
    ("quote", 0),
    ("shellenv", 0),
    ("hash", 0),
    ("warn", 0),
    // 1: what is read: the system, the config file, the shell's wslgo state.
    ("probe", 1),
    ("config", 1),
    ("state", 1),
    // 2: the desired environment.
    ("plan", 2),
    // 3: what changes against the state.
    ("diff", 3),
    // 4: shell code.
    ("render", 4),
    // 5: the commands.
    ("cmd", 5),
    ("doctor", 5),
    ("cli", 5),
    ("completions", 5),
    ("manpage", 5),
];

/// The crate root (lib.rs, main.rs) sits above everything.
const ROOT_LAYER: u8 = 6;
const MAX_LINES: usize = 500;

fn layer(module: &str) -> Option<u8> {
    let top = module.split("::").next().unwrap_or("");
    if top.is_empty() {
        return Some(ROOT_LAYER);
    }
    LAYERS.iter().find(|(n, _)| *n == top).map(|(_, l)| *l)
}

/// `src/a/b.rs` -> `a::b`, `src/a/mod.rs` -> `a`, `src/lib.rs` -> `` (the crate root).
fn module_of(rel: &Path) -> String {
    let mut parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    let last = parts.pop().unwrap();
    let stem = last.trim_end_matches(".rs");
    if !(stem == "mod" || (parts.is_empty() && (stem == "lib" || stem == "main"))) {
        parts.push(stem.to_string());
    }
    parts.join("::")
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Every path a `use` tree or expression starting at `s` spells (`a::b`, `a::{b, c::d}`).
fn paths_at(s: &str, prefix: Vec<String>, out: &mut Vec<Vec<String>>) -> usize {
    let b: Vec<char> = s.chars().collect();
    let mut i = 0;
    let mut cur = prefix;
    loop {
        while i < b.len() && b[i] == ' ' {
            i += 1;
        }
        if i < b.len() && b[i] == '{' {
            // A group: each item extends `cur`.
            i += 1;
            loop {
                let rest: String = b[i..].iter().collect();
                i += paths_at(&rest, cur.clone(), out);
                while i < b.len() && (b[i] == ' ' || b[i] == '\n') {
                    i += 1;
                }
                if i < b.len() && b[i] == ',' {
                    i += 1;
                    while i < b.len() && (b[i] == ' ' || b[i] == '\n') {
                        i += 1;
                    }
                    if i < b.len() && b[i] == '}' {
                        i += 1;
                        return i;
                    }
                    continue;
                }
                if i < b.len() && b[i] == '}' {
                    i += 1;
                }
                return i;
            }
        }
        let start = i;
        while i < b.len() && is_ident(b[i]) {
            i += 1;
        }
        if i == start {
            out.push(cur);
            return i;
        }
        let word: String = b[start..i].iter().collect();
        if word != "self" {
            cur.push(word);
        }
        if i + 1 < b.len() && b[i] == ':' && b[i + 1] == ':' {
            i += 2;
            continue;
        }
        out.push(cur);
        return i;
    }
}

/// The modules a file's code names, as paths from the crate root.
fn references(module: &str, text: &str) -> Vec<Vec<String>> {
    // Comments (and doc comments, which link to other layers freely) are not code.
    let code: String = text
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .map(|l| format!("{l}\n"))
        .collect();
    let here: Vec<String> = module.split("::").filter(|s| !s.is_empty()).map(String::from).collect();
    let mut out = Vec::new();
    // An inline module (`mod tests { ... }` at the end of a file) is one level deeper: its
    // `super::` is the file's own module.
    let inline = code.lines().scan(0usize, |pos, l| {
        let at = *pos;
        *pos += l.len() + 1;
        Some((at, l))
    });
    let split = inline
        .filter(|(_, l)| {
            let t = l.trim_start();
            let t = t.strip_prefix("pub(crate) ").or_else(|| t.strip_prefix("pub ")).unwrap_or(t);
            t.starts_with("mod ") && t.trim_end().ends_with('{')
        })
        .map(|(at, _)| at)
        .next()
        .unwrap_or(code.len());
    let mut inner = here.clone();
    inner.push("tests".into());
    scan(&code[..split], &here, &mut out);
    scan(&code[split..], &inner, &mut out);
    out
}

fn scan(code: &str, here: &[String], out: &mut Vec<Vec<String>>) {
    let bytes = code.as_bytes();
    for kw in ["crate::", "super::"] {
        let mut from = 0;
        while let Some(off) = code[from..].find(kw) {
            let at = from + off;
            from = at + kw.len();
            if at > 0 && is_ident(bytes[at - 1] as char) {
                continue; // e.g. `my_crate::`
            }
            if kw == "super::" && at >= 7 && &code[at - 7..at] == "super::" {
                continue; // the tail of `super::super::`, handled from its head
            }
            let mut base = if kw == "crate::" { Vec::new() } else { here.to_vec() };
            let mut rest = &code[at..];
            if kw == "super::" {
                while let Some(r) = rest.strip_prefix("super::") {
                    base.pop();
                    rest = r;
                }
            } else {
                rest = &rest["crate::".len()..];
            }
            paths_at(rest, base, out);
        }
    }
}

/// The longest prefix of `path` that is a module of the crate.
fn resolve(path: &[String], modules: &BTreeSet<String>) -> Option<String> {
    (0..=path.len()).rev().map(|n| path[..n].join("::")).find(|m| modules.contains(m))
}

/// Problems with the layering of these files (module path -> source text).
fn check(files: &BTreeMap<String, String>) -> Vec<String> {
    let modules: BTreeSet<String> = files.keys().cloned().collect();
    let mut problems = Vec::new();
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (m, text) in files {
        let Some(from) = layer(m) else {
            problems.push(format!("{m}: not in the layer table of tests/layers.rs"));
            continue;
        };
        for p in references(m, text) {
            let Some(to) = resolve(&p, &modules) else { continue };
            if to == *m {
                continue;
            }
            let Some(l) = layer(&to) else { continue };
            if l > from {
                problems.push(format!("{m} (layer {from}) uses {} from {to} (layer {l})", p.join("::")));
            }
            // A module naming its own submodule composes it; everything else is a dependency.
            let is_descendant = m.is_empty() || to.starts_with(&format!("{m}::"));
            if !is_descendant {
                edges.entry(m.clone()).or_default().insert(to);
            }
        }
    }
    // Cycles: depth-first search, reporting each back edge's cycle.
    fn visit(
        n: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, u8>,
        stack: &mut Vec<String>,
        out: &mut Vec<String>,
    ) {
        state.insert(n.to_string(), 1);
        stack.push(n.to_string());
        for t in edges.get(n).into_iter().flatten() {
            match state.get(t.as_str()) {
                Some(1) => {
                    let i = stack.iter().position(|s| s == t).unwrap();
                    out.push(format!("cycle: {} -> {t}", stack[i..].join(" -> ")));
                }
                Some(_) => {}
                None => visit(t, edges, state, stack, out),
            }
        }
        stack.pop();
        state.insert(n.to_string(), 2);
    }
    let mut state = BTreeMap::new();
    for n in edges.keys() {
        if !state.contains_key(n.as_str()) {
            visit(n, &edges, &mut state, &mut Vec::new(), &mut problems);
        }
    }
    problems
}

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            sources(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

fn src_files() -> BTreeMap<String, String> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut paths = Vec::new();
    sources(&src, &mut paths);
    paths
        .iter()
        .map(|p| {
            let m = module_of(p.strip_prefix(&src).unwrap());
            let text = std::fs::read_to_string(p).unwrap();
            // main.rs and lib.rs are both the root: keep them apart in the map.
            let key = if p.ends_with("main.rs") { "".to_string() } else { m };
            (key, text)
        })
        .fold(BTreeMap::new(), |mut acc, (k, v)| {
            acc.entry(k).and_modify(|t: &mut String| t.push_str(&v)).or_insert(v);
            acc
        })
}

#[test]
fn layers_only_point_down_and_nothing_cycles() {
    let files = src_files();
    assert!(files.len() > 20, "found only {} modules under src/", files.len());
    let problems = check(&files);
    assert!(problems.is_empty(), "layering problems:\n  {}", problems.join("\n  "));
}

#[test]
fn the_checker_catches_upward_imports_and_cycles() {
    let f = |pairs: &[(&str, &str)]| -> BTreeMap<String, String> { pairs.iter().map(|(m, t)| (m.to_string(), t.to_string())).collect() };
    // A probe that names the planner layer.
    let up = check(&f(&[
        ("probe", ""),
        ("probe::x", "use crate::plan::{Ctx, go::Thing};\n"),
        ("plan", ""),
        ("plan::go", ""),
    ]));
    assert!(up.iter().any(|p| p.contains("probe::x (layer 1) uses plan::go::Thing")), "{up:?}");
    assert!(up.iter().any(|p| p.contains("uses plan::Ctx from plan (layer 2)")), "{up:?}");
    // Two siblings naming each other through super::.
    let cyc = check(&f(&[
        ("doctor", "pub mod a;\npub mod b;\nfn f() { a::x(); }\n"),
        ("doctor::a", "fn x() { super::b::y(); }\n"),
        ("doctor::b", "use super::{a::x, Input};\n"),
    ]));
    assert!(
        cyc.iter()
            .any(|p| p.starts_with("cycle:") && p.contains("doctor::a") && p.contains("doctor::b")),
        "{cyc:?}"
    );
    // Downward imports, comments and a parent composing its children are fine.
    let ok = check(&f(&[
        ("plan", "fn p() { crate::plan::go::plan(); }\n"),
        (
            "plan::go",
            "use super::Ctx;\nuse crate::probe::go::{self, Sdk};\n// crate::cmd::hook in a comment\n",
        ),
        ("probe", ""),
        ("probe::go", "use crate::sysroot::Sys;\n"),
        ("sysroot", ""),
    ]));
    assert!(ok.is_empty(), "{ok:?}");
    // A module missing from the table.
    assert!(check(&f(&[("newthing", "")])).iter().any(|p| p.contains("not in the layer table")));
}

#[test]
fn no_file_over_500_lines_without_a_reason() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut paths = Vec::new();
    sources(&src, &mut paths);
    let long: Vec<String> = paths
        .iter()
        .filter_map(|p| {
            let text = std::fs::read_to_string(p).unwrap();
            let n = text.lines().count();
            // A reason is a line at the top saying why the file is long: `//! (long: <why>)`.
            let reason = text.lines().take(3).any(|l| l.starts_with("//!") && l.contains("(long:"));
            (n > MAX_LINES && !reason).then(|| format!("{} ({n} lines)", p.display()))
        })
        .collect();
    assert!(
        long.is_empty(),
        "over {MAX_LINES} lines without a `//! (long: why)` line at the top: {long:?}"
    );
}

/// What each top-level module names of the others (a module's own submodules left out).
fn top_level_graph(files: &BTreeMap<String, String>) -> BTreeMap<String, BTreeSet<String>> {
    let modules: BTreeSet<String> = files.keys().cloned().collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (m, text) in files {
        let from = m.split("::").next().unwrap_or("").to_string();
        if from.is_empty() {
            continue;
        }
        for p in references(m, text) {
            let Some(to) = resolve(&p, &modules) else { continue };
            let to = to.split("::").next().unwrap_or("").to_string();
            if !to.is_empty() && to != from {
                graph.entry(from.clone()).or_default().insert(to);
            }
        }
    }
    graph
}

/// The README's "What each uses" block (under "How it works") is the true import graph: every
/// line `name -> a b c` names exactly what `name` uses, and every module that uses another
/// has its line. A change that adds or drops a dependency fails here until the README says so.
#[test]
fn readme_lists_the_true_import_graph() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let block = readme
        .split("What each uses")
        .nth(1)
        .expect("README: no \"What each uses\" block under \"How it works\"");
    let mut listed: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    // The block: the indented lines after the heading's sentence, up to the next blank line.
    let lines = block
        .lines()
        .skip_while(|l| !l.starts_with("    "))
        .take_while(|l| !l.trim().is_empty());
    for line in lines {
        let Some((name, uses)) = line.split_once("->") else { break };
        // What follows two spaces and a parenthesis is a comment.
        let uses = uses.split("  (").next().unwrap();
        listed.insert(name.trim().to_string(), uses.split_whitespace().map(str::to_string).collect());
    }
    assert!(listed.len() > 5, "README's block has only {} lines: {listed:?}", listed.len());
    let real = top_level_graph(&src_files());
    let mut wrong = Vec::new();
    for name in listed.keys().chain(real.keys()).collect::<BTreeSet<_>>() {
        let (l, r) = (
            listed.get(name).cloned().unwrap_or_default(),
            real.get(name).cloned().unwrap_or_default(),
        );
        if l != r {
            wrong.push(format!(
                "{name} -> {}   (README says: {})",
                r.iter().cloned().collect::<Vec<_>>().join(" "),
                l.iter().cloned().collect::<Vec<_>>().join(" ")
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "README's \"What each uses\" is not the import graph:\n  {}",
        wrong.join("\n  ")
    );
}
