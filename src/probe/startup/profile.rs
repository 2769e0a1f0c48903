//! The profile simulation: what `~/.profile` would export and add to PATH, following `if [ -d ]`
//! guards, and leaving out whatever it cannot understand.

use super::expand::{Lookup, assignment, expand, is_name};
use super::lex::{Command, Link, for_each_command};
use crate::sysroot::Sys;
use std::collections::HashMap;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

/// A variable `~/.profile` would export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SetVar {
    pub name: String,
    /// The value as written (quotes removed).
    pub written: String,
    pub value: String,
}

/// A directory `~/.profile` would put on PATH.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PathAdd {
    /// As written, e.g. `$HOME/go/bin`.
    pub written: String,
    /// Expanded.
    pub dir: String,
}

/// What a profile would set, as far as it can be known.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Settings {
    pub vars: Vec<SetVar>,
    pub path: Vec<PathAdd>,
}

/// Three-valued truth of a condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tri {
    True,
    False,
    Unknown,
}

impl Tri {
    fn not(self) -> Tri {
        match self {
            Tri::True => Tri::False,
            Tri::False => Tri::True,
            Tri::Unknown => Tri::Unknown,
        }
    }
    fn and(self, o: Tri) -> Tri {
        match (self, o) {
            (Tri::False, _) | (_, Tri::False) => Tri::False,
            (Tri::True, Tri::True) => Tri::True,
            _ => Tri::Unknown,
        }
    }
    fn or(self, o: Tri) -> Tri {
        self.not().and(o.not()).not()
    }
}

/// A block the simulation is inside.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Frame {
    /// `if`: whether the current branch runs, whether an earlier branch may have run, and
    /// whether the condition is still being read (before `then`).
    If { branch: Tri, taken: Tri, in_cond: bool },
    /// Loops, `case`, function bodies, subshells: what is inside is not counted.
    Opaque,
    /// A `{ ...; }` group in the current shell.
    Group,
}

/// The file-system facts a profile's guards ask about.
pub(crate) trait World {
    fn lookup(&self, name: &str) -> Lookup;
    fn is_dir(&self, p: &Path) -> bool;
    fn is_file(&self, p: &Path) -> bool;
}

/// A variable's value as a [`Lookup`]: unset, known, or (not UTF-8) unknown.
pub(crate) fn lookup_value(v: Option<&OsStr>) -> Lookup {
    match v {
        Some(v) => match v.to_str() {
            Some(s) => Lookup::Known(s.to_string()),
            None => Lookup::Unknown,
        },
        None => Lookup::Unset,
    }
}

/// The real system as a [`World`]: paths under HOME are real, others behind the sysroot;
/// variables from `lookup` (the planner passes the user's own values, doctor the environment).
pub(crate) struct FsWorld<'a> {
    pub sys: &'a Sys,
    pub home: &'a Path,
    pub lookup: &'a dyn Fn(&str) -> Lookup,
}

impl FsWorld<'_> {
    fn real(&self, p: &Path) -> PathBuf {
        if p.starts_with(self.home) {
            p.to_path_buf()
        } else {
            self.sys.path(p)
        }
    }
}

impl World for FsWorld<'_> {
    fn lookup(&self, name: &str) -> Lookup {
        (self.lookup)(name)
    }
    fn is_dir(&self, p: &Path) -> bool {
        self.real(p).is_dir()
    }
    fn is_file(&self, p: &Path) -> bool {
        self.real(p).is_file()
    }
}

/// Simulates `~/.profile`'s text: what it would export and put on PATH (see the module docs for
/// what is left out).
pub(crate) fn profile_settings(text: &str, world: &dyn World) -> Settings {
    let mut sim = Sim {
        world,
        vars: HashMap::new(),
        exported: Vec::new(),
        frames: Vec::new(),
        guard: Tri::True,
        last: Tri::True,
        pending_func: false,
        out: Settings::default(),
    };
    for_each_command(text, |c| {
        sim.command(c);
        true
    });
    sim.out
}

struct Sim<'a> {
    world: &'a dyn World,
    /// Variables the profile assigned: their value, `None` when not known.
    vars: HashMap<String, Option<String>>,
    exported: Vec<String>,
    frames: Vec<Frame>,
    /// The and-or list's guard on the current command.
    guard: Tri,
    /// The exit status (as truth) of the previous command in the list.
    last: Tri,
    /// A function header was read; its body (`{`) follows.
    pending_func: bool,
    out: Settings,
}

impl Sim<'_> {
    fn lookup(&self, name: &str) -> Lookup {
        match self.vars.get(name) {
            Some(Some(v)) => Lookup::Known(v.clone()),
            Some(None) => Lookup::Unknown,
            None => self.world.lookup(name),
        }
    }

    fn expand(&self, w: &str, single_quoted: bool) -> Option<String> {
        if single_quoted && w.contains('$') {
            return None;
        }
        expand(w, &|n| self.lookup(n))
    }

    /// Every enclosing block runs for sure.
    fn blocks_run(&self) -> bool {
        self.frames.iter().all(|f| match f {
            Frame::If { branch, in_cond, .. } => *branch == Tri::True && !in_cond,
            Frame::Opaque => false,
            Frame::Group => true,
        })
    }

    fn command(&mut self, c: Command) {
        // The and-or list: a command after `&&` runs when the previous succeeded.
        self.guard = match c.link {
            Link::Start => Tri::True,
            Link::And => self.guard.and(self.last),
            Link::Or => self.guard.and(self.last.not()),
            Link::Pipe => Tri::False, // a pipeline's parts run in subshells
        };
        if c.link == Link::Start {
            self.last = Tri::True;
        }
        let mut w: &[String] = &c.words;
        while let Some(first) = w.first() {
            let kw = first.as_str();
            match kw {
                "if" | "elif" => {
                    let cond = if self.guard == Tri::True {
                        self.test(&w[1..], c.single_quoted)
                    } else {
                        Tri::Unknown
                    };
                    if kw == "if" {
                        self.frames.push(Frame::If {
                            branch: cond,
                            taken: Tri::False,
                            in_cond: true,
                        });
                    } else if let Some(Frame::If { branch, taken, in_cond }) = self.frames.last_mut() {
                        *taken = taken.or(*branch);
                        *branch = taken.not().and(cond);
                        *in_cond = true;
                    }
                    return;
                }
                "then" => {
                    if let Some(Frame::If { in_cond, .. }) = self.frames.last_mut() {
                        *in_cond = false;
                    }
                    self.guard = Tri::True;
                    w = &w[1..];
                }
                "else" => {
                    if let Some(Frame::If { branch, taken, .. }) = self.frames.last_mut() {
                        *taken = taken.or(*branch);
                        *branch = taken.not();
                    }
                    w = &w[1..];
                }
                "fi" | "done" | "esac" | "}" => {
                    self.frames.pop();
                    w = &w[1..];
                }
                "while" | "until" | "for" | "select" | "case" => {
                    self.frames.push(Frame::Opaque);
                    return;
                }
                "do" | "!" | "time" => w = &w[1..],
                "{" => {
                    self.frames.push(if self.pending_func || self.guard != Tri::True {
                        Frame::Opaque
                    } else {
                        Frame::Group
                    });
                    self.pending_func = false;
                    w = &w[1..];
                }
                "function" => {
                    self.pending_func = true;
                    w = &w[w.len().min(2)..];
                }
                _ if kw.ends_with("()") || w.get(1).is_some_and(|x| x == "()") => {
                    self.pending_func = true;
                    w = &w[if kw.ends_with("()") { 1 } else { 2 }..];
                }
                _ if kw.starts_with('(') => {
                    // A subshell: nothing in it reaches this shell.
                    self.last = Tri::Unknown;
                    return;
                }
                _ => break,
            }
        }
        if w.is_empty() {
            return;
        }
        if let Some(Frame::If { in_cond: true, .. }) = self.frames.last() {
            // A command inside an `if` condition list (`if [ -d a ] && [ -d b ]; then`).
            let t = self.test(w, c.single_quoted);
            if let Some(Frame::If { branch, .. }) = self.frames.last_mut() {
                *branch = match c.link {
                    Link::And => branch.and(t),
                    Link::Or => branch.or(t),
                    _ => Tri::Unknown,
                };
            }
            return;
        }
        let runs = self.blocks_run() && self.guard == Tri::True;
        self.simple(w, runs, c.single_quoted);
    }

    /// Evaluates a condition command (`[ -d DIR ]`, `test -f FILE`, `! ...`).
    fn test(&self, w: &[String], sq: bool) -> Tri {
        let (neg, w) = match w.first().map(String::as_str) {
            Some("!") => (true, &w[1..]),
            _ => (false, w),
        };
        let args: &[String] = match w.first().map(String::as_str) {
            Some("[") if w.last().is_some_and(|l| l == "]") => &w[1..w.len() - 1],
            Some("[[") if w.last().is_some_and(|l| l == "]]") => &w[1..w.len() - 1],
            Some("test") => &w[1..],
            _ => return Tri::Unknown,
        };
        let t = match args {
            [op, arg] if matches!(op.as_str(), "-d" | "-e" | "-f" | "-r" | "-x" | "-s") => match self.expand(arg, sq) {
                Some(p) if Path::new(&p).is_absolute() => {
                    let p = Path::new(&p);
                    let yes = match op.as_str() {
                        "-d" => self.world.is_dir(p),
                        "-e" | "-r" | "-x" => self.world.is_dir(p) || self.world.is_file(p),
                        _ => self.world.is_file(p),
                    };
                    if yes { Tri::True } else { Tri::False }
                }
                _ => Tri::Unknown,
            },
            _ => Tri::Unknown,
        };
        if neg { t.not() } else { t }
    }

    fn simple(&mut self, w: &[String], runs: bool, sq: bool) {
        let cmd = w[0].as_str();
        // A test's result guards what follows it with `&&`/`||`.
        self.last = match cmd {
            "[" | "[[" | "test" if runs => self.test(w, sq),
            "true" | ":" => Tri::True,
            "false" => Tri::False,
            _ => Tri::Unknown,
        };
        match cmd {
            "export" | "declare" | "typeset" => {
                let flags: Vec<&String> = w[1..].iter().filter(|a| a.starts_with('-')).collect();
                if flags.iter().any(|f| f.contains('n') || f.contains('f')) {
                    return;
                }
                let exports = cmd == "export" || flags.iter().any(|f| f.contains('x'));
                for a in w[1..].iter().filter(|a| !a.starts_with('-')) {
                    match assignment(a) {
                        Some((n, v)) => self.assign(n, v, runs, sq, exports),
                        None if is_name(a) && exports => self.export(a, runs),
                        None => {}
                    }
                }
                self.last = Tri::True;
            }
            "unset" => {
                for a in w[1..].iter().filter(|a| is_name(a)) {
                    // Unset, or (when this may not run) unknown: neither expands to a value.
                    self.vars.insert(a.clone(), None);
                    if runs {
                        self.out.vars.retain(|v| &v.name != a);
                    }
                }
            }
            _ => {
                // Only assignments, no command: they stay in the shell.
                if w.iter().all(|a| assignment(a).is_some()) {
                    for a in w {
                        let (n, v) = assignment(a).unwrap_or_default();
                        let exported = self.exported.iter().any(|e| e == n);
                        self.assign(n, v, runs, sq, exported);
                    }
                    self.last = Tri::True;
                } else if let Some(f) = w.iter().find(|a| assignment(a).is_none())
                    && (f == "." || f == "source" || f == "eval")
                {
                    // Whatever a sourced file or an eval sets is not known here.
                    self.vars.values_mut().for_each(|v| *v = None);
                }
            }
        }
    }

    fn assign(&mut self, name: &str, raw: &str, runs: bool, sq: bool, exported: bool) {
        if name == "PATH" {
            for comp in raw.split(':') {
                if comp.is_empty() || comp == "$PATH" || comp == "${PATH}" {
                    continue;
                }
                let Some(dir) = self.expand(comp, sq) else { continue };
                if runs && !self.out.path.iter().any(|p| p.dir == dir) {
                    self.out.path.push(PathAdd {
                        written: comp.to_string(),
                        dir,
                    });
                }
            }
            return;
        }
        let value = if runs { self.expand(raw, sq) } else { None };
        self.vars.insert(name.to_string(), value.clone());
        if exported {
            self.export(name, runs);
        }
        if let (true, Some(v)) = (runs && exported, value) {
            let sv = SetVar {
                name: name.to_string(),
                written: raw.to_string(),
                value: v,
            };
            match self.out.vars.iter_mut().find(|x| x.name == name) {
                Some(x) => *x = sv,
                None => self.out.vars.push(sv),
            }
        }
    }

    fn export(&mut self, name: &str, runs: bool) {
        if !self.exported.iter().any(|e| e == name) {
            self.exported.push(name.to_string());
        }
        if name == "PATH" || !runs || self.out.vars.iter().any(|v| v.name == name) {
            return;
        }
        if let Some(Some(v)) = self.vars.get(name) {
            self.out.vars.push(SetVar {
                name: name.to_string(),
                written: format!("${name}"),
                value: v.clone(),
            });
        }
    }
}
