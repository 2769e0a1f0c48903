//! Startup files: which ones a shell mode reads, and what `~/.profile` would set (SPEC 5.6).
//!
//! Two questions, both answered by reading shell scripts without running them:
//!
//! 1. Does this shell's startup read `~/.profile`? The files a mode reads are fixed by bash and
//!    zsh (see [`mode_files`]); a file also counts as read when a read file sources it with `.`
//!    or `source` (also inside `emulate sh -c '...'` and `eval '...'`), followed a few levels.
//!    This side is generous: a `. ~/.profile` anywhere (even under a condition or in a function)
//!    counts, because a missed source only costs a warning that the environment check below
//!    then suppresses anyway.
//! 2. What would `~/.profile` have set? `export VAR=value`, `VAR=value; export VAR`, and PATH
//!    additions, with `~`, `$HOME` and `$VAR` expanded, following `if [ -d DIR ]` guards (they
//!    hold only when the directory exists). This side is strict: whatever it cannot understand
//!    (command substitutions, loops, `case`, function bodies, heredocs, an unbalanced quote and
//!    everything after it, a file that is binary, huge beyond the bound, or not a regular file)
//!    is left out, so it never names an entry the shell would not really have set.
//!
//! Lines are tokenized with `shell-words` (quotes and comments), then split into commands on
//! `;`, `&&`, `||`, `|`. Every read is bounded ([`MAX_SCRIPT`]) and refuses FIFOs and devices,
//! so a hostile home directory cannot hang the first prompt.

use crate::plan::Shell;
use crate::shellenv::ShellEnv;
use crate::sysroot::{Sys, read_bounded};
use std::collections::HashMap;
use std::ffi::OsStr;
use std::io;
use std::path::{Path, PathBuf};

/// The most read of one startup file. Real ones are a few KiB; the cut only guards the prompt.
pub const MAX_SCRIPT: usize = 256 * 1024;
/// How deep `.`/`source` is followed from the files a mode reads.
const MAX_DEPTH: usize = 4;
/// How many files are read at most in one analysis.
const MAX_FILES: usize = 32;
/// How many physical lines one logical line may span while quotes stay open.
const MAX_JOIN: usize = 64;

/// Reads at most `max` bytes of a regular file as text; `None` for anything else (missing,
/// unreadable, FIFO, device, directory) and for binary files (a NUL byte: bash refuses those).
/// A file cut at `max` loses its last, partial line, so a half line is never parsed.
pub fn read_script(path: &Path, max: usize) -> Option<String> {
    load_script(path, max).ok()
}

/// [`read_script`] with the reason it read nothing, for `wslgo doctor`: the I/O error
/// (`NotFound`; `InvalidInput` for a FIFO, device or directory) or `InvalidData` for a binary file.
pub fn load_script(path: &Path, max: usize) -> io::Result<String> {
    let mut buf = read_bounded(path, max + 1)?;
    if buf.len() > max {
        buf.truncate(max);
        let end = buf.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        buf.truncate(end);
    }
    if memchr::memchr(0, &buf).is_some() {
        return Err(io::Error::new(io::ErrorKind::InvalidData, "binary (it holds a NUL byte)"));
    }
    Ok(String::from_utf8_lossy(&buf).into_owned())
}

/// Reads a bounded file that may be a FIFO without blocking (see [`read_bounded`]), as bytes.
pub fn read_bytes(path: &Path, max: usize) -> Option<Vec<u8>> {
    read_bounded(path, max).ok()
}

/// A startup file: a system path (read through the sysroot) or a real path under HOME.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Script {
    System(PathBuf),
    User(PathBuf),
}

impl Script {
    fn real(&self, sys: &Sys) -> PathBuf {
        match self {
            Script::System(p) => sys.path(p),
            Script::User(p) => p.clone(),
        }
    }
}

/// Where the user's startup files live.
#[derive(Debug, Clone)]
pub struct Homes {
    pub home: PathBuf,
    /// `$ZDOTDIR`, else HOME.
    pub zdotdir: PathBuf,
}

impl Homes {
    /// HOME and ZDOTDIR from the environment (a relative ZDOTDIR is ignored, as it depends on
    /// the directory zsh happens to start in).
    pub fn from_env(env: &ShellEnv) -> Homes {
        let home = env.home();
        let zdotdir = match env.get_nonempty("ZDOTDIR") {
            Some(z) if Path::new(z).is_absolute() => PathBuf::from(z),
            _ => home.clone(),
        };
        Homes { home, zdotdir }
    }
}

/// The files a shell mode reads by itself, in order (whether they exist or not, except for
/// bash's first-of rule, which depends on existence). A non-login interactive shell also gets
/// its login mode's files: it normally runs under a login session of the same user and
/// inherits that environment, and SPEC 5.6's fixes live in the login files.
pub fn mode_files(shell: Shell, login: bool, h: &Homes) -> Vec<Script> {
    let sys = |p: &str| Script::System(PathBuf::from(p));
    let mut v = Vec::new();
    match shell {
        Shell::Bash => {
            v.push(sys("/etc/profile"));
            if let Some(f) = bash_login_file(&h.home) {
                v.push(Script::User(f));
            }
            if !login {
                v.push(sys("/etc/bash.bashrc"));
                v.push(Script::User(h.home.join(".bashrc")));
            }
        }
        Shell::Zsh => {
            // Debian and Ubuntu build zsh with /etc/zsh/; most others with /etc.
            for name in ["zshenv", "zprofile", "zshrc", "zlogin"] {
                v.push(Script::System(PathBuf::from(format!("/etc/zsh/{name}"))));
                v.push(Script::System(PathBuf::from(format!("/etc/{name}"))));
                v.push(Script::User(h.zdotdir.join(format!(".{name}"))));
            }
            // `export ZDOTDIR=...` in ~/.zshenv is the usual way to move the zsh files; then
            // ~/.zshenv itself was read too (a ZDOTDIR from outside cannot be told apart).
            let home_env = h.home.join(".zshenv");
            if h.home.is_absolute() && h.zdotdir != h.home && read_script(&home_env, MAX_SCRIPT).is_some_and(|t| t.contains("ZDOTDIR")) {
                v.push(Script::User(home_env));
            }
        }
    }
    // No HOME (or a relative one): no user file, rather than one in the current directory.
    v.retain(|s| !matches!(s, Script::User(p) if !p.is_absolute()));
    v
}

/// The file bash runs for a login shell: the first of ~/.bash_profile, ~/.bash_login,
/// ~/.profile that exists.
pub fn bash_login_file(home: &Path) -> Option<PathBuf> {
    if !home.is_absolute() {
        return None;
    }
    [".bash_profile", ".bash_login", ".profile"]
        .iter()
        .map(|n| home.join(n))
        .find(|p| p.exists())
}

/// True when `target` is read by the mode's files or by a file they source.
pub fn reads(sys: &Sys, files: &[Script], target: &Path, h: &Homes, lookup: &dyn Fn(&str) -> Lookup) -> bool {
    let mut queue: Vec<(Script, usize)> = files.iter().cloned().map(|s| (s, 0)).collect();
    let mut seen: Vec<PathBuf> = Vec::new();
    let mut i = 0;
    while i < queue.len() && seen.len() < MAX_FILES {
        let (s, depth) = queue[i].clone();
        i += 1;
        let real = s.real(sys);
        if same_file(&real, target) {
            return true;
        }
        if seen.contains(&real) {
            continue;
        }
        seen.push(real.clone());
        if depth >= MAX_DEPTH {
            continue;
        }
        let Some(text) = read_script(&real, MAX_SCRIPT) else { continue };
        for src in sourced(&text, 0) {
            let Some(p) = source_path(&src, h, lookup) else { continue };
            let next = if p.starts_with(&h.home) || p.starts_with(&h.zdotdir) {
                Script::User(p)
            } else {
                Script::System(p)
            };
            queue.push((next, depth + 1));
        }
    }
    false
}

/// Two paths name the same file (same device and inode), or are equal when they do not exist.
fn same_file(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(x), Ok(y)) => x.dev() == y.dev() && x.ino() == y.ino(),
        _ => a == b,
    }
}

/// Resolves a sourced word to a path: `~`, `$HOME`, `$ZDOTDIR` and `${ZDOTDIR:-$HOME}` expand;
/// a relative path is taken from HOME (where a login shell starts). `None` when it holds
/// anything that cannot be known without running the shell.
fn source_path(word: &str, h: &Homes, lookup: &dyn Fn(&str) -> Lookup) -> Option<PathBuf> {
    let look = |n: &str| match n {
        "HOME" => Lookup::Known(h.home.to_string_lossy().into_owned()),
        "ZDOTDIR" => Lookup::Known(h.zdotdir.to_string_lossy().into_owned()),
        _ => lookup(n),
    };
    let e = expand(word, &look)?;
    if e.is_empty() {
        return None;
    }
    let p = PathBuf::from(e);
    // Never a path relative to the current directory (a HOME that is not absolute).
    Some(if p.is_absolute() { p } else { h.home.join(p) }).filter(|p| p.is_absolute())
}

/// The words given to `.`/`source` in a script (and in `emulate ... -c` / `eval` strings).
pub fn sourced(text: &str, depth: usize) -> Vec<String> {
    let mut out = Vec::new();
    for_each_command(text, |c| {
        let mut w: &[String] = &c.words;
        // Prefixes that run the rest as a command in this shell.
        while let Some(first) = w.first() {
            match first.as_str() {
                "if" | "then" | "else" | "elif" | "do" | "while" | "until" | "{" | "!" | "builtin" | "command" | "exec" => w = &w[1..],
                _ => break,
            }
        }
        match w.first().map(String::as_str) {
            Some(".") | Some("source") => {
                if let Some(arg) = w.get(1) {
                    out.push(arg.clone());
                }
            }
            Some("emulate") | Some("eval") if depth < 2 => {
                let strings: Vec<&String> = if w[0] == "emulate" {
                    w.iter().skip_while(|a| *a != "-c").skip(1).take(1).collect()
                } else {
                    w[1..].iter().collect()
                };
                for s in strings {
                    out.extend(sourced(s, depth + 1));
                }
            }
            _ => {}
        }
        true
    });
    out
}

/// How two commands are joined.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Link {
    /// First of a list (after a newline, `;` or `&`).
    Start,
    And,
    Or,
    Pipe,
}

/// One simple command (or a keyword with what follows it), as words with quotes removed.
#[derive(Debug, Clone)]
pub struct Command {
    pub words: Vec<String>,
    pub link: Link,
    /// The logical line held a single quote: a `$` in a word may have been literal.
    pub single_quoted: bool,
}

/// Calls `f` for each command of a script, in order; stops when `f` returns false, or at a
/// line whose quotes never close (nothing after it can be told apart from string contents).
/// Heredoc bodies are skipped; `\`-continued lines are joined.
pub fn for_each_command(text: &str, mut f: impl FnMut(Command) -> bool) {
    let lines: Vec<&str> = text.split('\n').collect();
    let mut i = 0;
    let mut heredocs: Vec<String> = Vec::new();
    while i < lines.len() {
        if let Some(term) = heredocs.first() {
            if lines[i].trim() == term {
                heredocs.remove(0);
            }
            i += 1;
            continue;
        }
        let mut buf = lines[i].to_string();
        i += 1;
        while ends_with_continuation(&buf) && i < lines.len() {
            buf.pop();
            buf.push_str(lines[i]);
            i += 1;
        }
        // A quote left open continues on the next line: join while one is, found by a scan
        // that carries the quote state (each byte is looked at once; splitting the growing
        // buffer again after every join was quadratic in a long line).
        let mut open = open_quote(None, buf.as_bytes());
        let mut joined = 0;
        while open.is_some() && joined < MAX_JOIN && i < lines.len() {
            buf.push('\n');
            buf.push_str(lines[i]);
            open = open_quote(open, lines[i].as_bytes());
            i += 1;
            joined += 1;
        }
        let Ok(words) = shell_words::split(&buf) else { return };
        heredocs.extend(heredoc_terms(&buf));
        let single_quoted = buf.contains('\'');
        let mut cur: Vec<String> = Vec::new();
        let mut link = Link::Start;
        let mut flush = |cur: &mut Vec<String>, link: Link| -> bool {
            if cur.is_empty() {
                return true;
            }
            f(Command {
                words: std::mem::take(cur),
                link,
                single_quoted,
            })
        };
        for w in words {
            let sep = match w.as_str() {
                ";" | ";;" | "&" | ";&" | ";;&" => Some(Link::Start),
                "&&" => Some(Link::And),
                "||" => Some(Link::Or),
                "|" | "|&" => Some(Link::Pipe),
                _ => None,
            };
            if let Some(next) = sep {
                if !flush(&mut cur, link) {
                    return;
                }
                link = next;
                continue;
            }
            if let Some(stripped) = w.strip_suffix(';').filter(|s| !s.is_empty()) {
                cur.push(stripped.trim_end_matches(';').to_string());
                if !flush(&mut cur, link) {
                    return;
                }
                link = Link::Start;
                continue;
            }
            cur.push(w);
        }
        if !flush(&mut cur, link) {
            return;
        }
    }
}

/// The quote (`'` or `"`) still open after `line`, given the one open before it.
fn open_quote(mut q: Option<u8>, b: &[u8]) -> Option<u8> {
    let mut i = 0;
    while i < b.len() {
        match (q, b[i]) {
            (Some(b'\''), c) => {
                if c == b'\'' {
                    q = None;
                }
                i += 1;
            }
            (Some(_), b'\\') | (None, b'\\') => i += 2,
            (Some(_), c) => {
                if c == b'"' {
                    q = None;
                }
                i += 1;
            }
            (None, c @ (b'\'' | b'"')) => {
                q = Some(c);
                i += 1;
            }
            (None, b'#') if i == 0 || b[i - 1] == b' ' || b[i - 1] == b'\t' => break,
            (None, _) => i += 1,
        }
    }
    q
}

fn ends_with_continuation(s: &str) -> bool {
    s.bytes().rev().take_while(|&b| b == b'\\').count() % 2 == 1
}

/// The terminators of the heredocs a logical line opens (`<<EOF`, `<<-EOF`, `<< 'EOF'`,
/// `<<"E"OF`; not `<<<`), read from the raw text: a `<<` inside quotes (`echo "usage: a <<b"`),
/// after a `\`, in a comment or in `$((...))` arithmetic opens nothing. The terminator is the
/// next word with its quotes removed, as the shell compares it.
fn heredoc_terms(line: &str) -> Vec<String> {
    let b = line.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let mut arith = 0usize;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'\'' => i = skip_single(b, i),
            b'"' => i = skip_double(b, i),
            b'#' if i == 0 || b" \t;&|()".contains(&b[i - 1]) => break,
            b'$' if b[i + 1..].starts_with(b"((") => {
                arith += 1;
                i += 3;
            }
            b')' if arith > 0 && b[i + 1..].starts_with(b")") => {
                arith -= 1;
                i += 2;
            }
            b'<' if arith == 0 && b[i + 1..].starts_with(b"<") => {
                i += 2;
                if b.get(i) == Some(&b'<') {
                    i += 1;
                    continue;
                }
                if b.get(i) == Some(&b'-') {
                    i += 1;
                }
                while matches!(b.get(i), Some(b' ' | b'\t')) {
                    i += 1;
                }
                let (term, next) = heredoc_word(b, i);
                if !term.is_empty() {
                    out.push(term);
                }
                i = next;
            }
            _ => i += 1,
        }
    }
    out
}

/// The index after a single-quoted string starting at `i` (the end of the text if unclosed).
fn skip_single(b: &[u8], i: usize) -> usize {
    memchr::memchr(b'\'', &b[i + 1..]).map_or(b.len(), |e| i + 1 + e + 1)
}

/// The index after a double-quoted string starting at `i`, `\` escapes honoured.
fn skip_double(b: &[u8], mut i: usize) -> usize {
    i += 1;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    b.len()
}

/// A heredoc delimiter word at `i`, quotes removed, and the index after it.
fn heredoc_word(b: &[u8], mut i: usize) -> (String, usize) {
    let mut w = Vec::new();
    while i < b.len() {
        match b[i] {
            b' ' | b'\t' | b';' | b'&' | b'|' | b'<' | b'>' | b'(' | b')' => break,
            b'\\' => {
                if let Some(&c) = b.get(i + 1) {
                    w.push(c);
                }
                i += 2;
            }
            b'\'' => {
                let end = skip_single(b, i);
                w.extend_from_slice(&b[i + 1..end.saturating_sub(1).max(i + 1)]);
                i = end;
            }
            b'"' => {
                let end = skip_double(b, i);
                w.extend(b[i + 1..end.saturating_sub(1).max(i + 1)].iter().filter(|&&c| c != b'\\'));
                i = end;
            }
            c => {
                w.push(c);
                i += 1;
            }
        }
    }
    (String::from_utf8_lossy(&w).into_owned(), i)
}

/// What a variable lookup knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    Known(String),
    /// Known to be unset.
    Unset,
    /// Cannot be known without running the shell.
    Unknown,
}

/// Expands `~` (at the start), `$NAME`, `${NAME}`, `${NAME:-word}` and `${NAME-word}` in a word
/// whose quotes are already removed. `None` for anything else with a `$` or a backtick
/// (command substitution, arithmetic, positional parameters, other operators), for `~user`,
/// and for a plain reference to a variable that is not known.
pub fn expand(word: &str, lookup: &dyn Fn(&str) -> Lookup) -> Option<String> {
    if word.contains('`') {
        return None;
    }
    let mut out = String::new();
    let mut rest = word;
    if let Some(r) = rest.strip_prefix('~') {
        if !(r.is_empty() || r.starts_with('/')) {
            return None;
        }
        match lookup("HOME") {
            Lookup::Known(h) => out.push_str(&h),
            _ => return None,
        }
        rest = r;
    }
    while let Some(pos) = rest.find('$') {
        out.push_str(&rest[..pos]);
        let after = &rest[pos + 1..];
        if let Some(inner) = after.strip_prefix('{') {
            let end = inner.find('}')?;
            let body = &inner[..end];
            rest = &inner[end + 1..];
            let name_len = body.bytes().take_while(|b| b.is_ascii_alphanumeric() || *b == b'_').count();
            let (name, op) = body.split_at(name_len);
            if !is_name(name) {
                return None;
            }
            let val = lookup(name);
            match op {
                "" => match val {
                    Lookup::Known(v) => out.push_str(&v),
                    _ => return None,
                },
                _ if op.starts_with(":-") || op.starts_with('-') => {
                    let colon = op.starts_with(':');
                    let default = &op[if colon { 2 } else { 1 }..];
                    match val {
                        Lookup::Known(v) if !(colon && v.is_empty()) => out.push_str(&v),
                        Lookup::Unknown => return None,
                        _ => out.push_str(&expand(default, lookup)?),
                    }
                }
                _ => return None,
            }
        } else {
            let n = after.bytes().take_while(|b| b.is_ascii_alphanumeric() || *b == b'_').count();
            let name = &after[..n];
            if !is_name(name) {
                return None;
            }
            match lookup(name) {
                Lookup::Known(v) => out.push_str(&v),
                _ => return None,
            }
            rest = &after[n..];
        }
    }
    out.push_str(rest);
    Some(out)
}

/// A shell variable name.
pub fn is_name(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty() && (b[0].is_ascii_alphabetic() || b[0] == b'_') && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'_')
}

/// `NAME=value` split, when the word is an assignment.
fn assignment(w: &str) -> Option<(&str, &str)> {
    let (n, v) = w.split_once('=')?;
    is_name(n).then_some((n, v))
}

/// A variable `~/.profile` would export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetVar {
    pub name: String,
    /// The value as written (quotes removed).
    pub written: String,
    pub value: String,
}

/// A directory `~/.profile` would put on PATH.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathAdd {
    /// As written, e.g. `$HOME/go/bin`.
    pub written: String,
    /// Expanded.
    pub dir: String,
}

/// What a profile would set, as far as it can be known.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
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
pub trait World {
    fn lookup(&self, name: &str) -> Lookup;
    fn is_dir(&self, p: &Path) -> bool;
    fn is_file(&self, p: &Path) -> bool;
}

/// A variable's value as a [`Lookup`]: unset, known, or (not UTF-8) unknown.
pub fn lookup_value(v: Option<&OsStr>) -> Lookup {
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
pub struct FsWorld<'a> {
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
pub fn profile_settings(text: &str, world: &dyn World) -> Settings {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A made-up world: HOME=/h, and these directories exist.
    struct W(Vec<&'static str>);
    impl World for W {
        fn lookup(&self, name: &str) -> Lookup {
            match name {
                "HOME" => Lookup::Known("/h".into()),
                "LANG" => Lookup::Known("C.UTF-8".into()),
                _ => Lookup::Unset,
            }
        }
        fn is_dir(&self, p: &Path) -> bool {
            self.0.iter().any(|d| Path::new(d) == p)
        }
        fn is_file(&self, _: &Path) -> bool {
            false
        }
    }

    fn dirs(s: &Settings) -> Vec<&str> {
        s.path.iter().map(|p| p.dir.as_str()).collect()
    }

    fn vars(s: &Settings) -> Vec<(&str, &str)> {
        s.vars.iter().map(|v| (v.name.as_str(), v.value.as_str())).collect()
    }

    /// Ubuntu's /etc/skel/.profile (shared with the real-shell tests).
    const UBUNTU: &str = include_str!("../../tests/fixtures/ubuntu.profile");

    #[test]
    fn ubuntu_guards_follow_the_directories() {
        assert!(dirs(&profile_settings(UBUNTU, &W(vec![]))).is_empty());
        assert_eq!(dirs(&profile_settings(UBUNTU, &W(vec!["/h/bin"]))), ["/h/bin"]);
        let both = profile_settings(UBUNTU, &W(vec!["/h/bin", "/h/.local/bin"]));
        assert_eq!(dirs(&both), ["/h/bin", "/h/.local/bin"]);
        assert_eq!(both.path[1].written, "$HOME/.local/bin");
    }

    #[test]
    fn exports_in_their_forms() {
        let t = "export GOPATH=~/work\nEDITOR=vim; export EDITOR\nexport A=1 B=\"$A-x\"\nexport PATH=$PATH:$GOPATH/bin\n\
                 declare -x D=${XDG_X:-$HOME/d}\nLOCAL=1\nexport LANG2=$LANG\nexport UNKNOWN=$NOPE\nexport S='$HOME'\n";
        let s = profile_settings(t, &W(vec![]));
        assert_eq!(
            vars(&s),
            [
                ("GOPATH", "/h/work"),
                ("EDITOR", "vim"),
                ("A", "1"),
                ("B", "1-x"),
                ("D", "/h/d"),
                ("LANG2", "C.UTF-8")
            ]
        );
        assert_eq!(dirs(&s), ["/h/work/bin"]);
    }

    #[test]
    fn one_line_guards_and_else() {
        let t = "[ -d \"$HOME/a\" ] && PATH=\"$HOME/a:$PATH\"\n[ -d /nope ] && PATH=/nope:$PATH\n\
                 [ -d /nope ] || export X=1\ncommand -v go >/dev/null && export Y=1\n\
                 if [ -d /nope ]; then export Z=1; else export E=1; fi\n\
                 if [ -d /h/a ] && [ -d /nope ]; then export Q=1; fi\n";
        let s = profile_settings(t, &W(vec!["/h/a"]));
        assert_eq!(dirs(&s), ["/h/a"]);
        assert_eq!(vars(&s), [("X", "1"), ("E", "1")]);
    }

    #[test]
    fn what_it_cannot_understand_is_left_out() {
        let t = "f() {\n  export F=1\n  PATH=/f:$PATH\n}\nfunction g { export G=1; }\n\
                 cat <<'EOF'\nexport H=1\nEOF\nfor d in a b; do PATH=/l/$d:$PATH; done\n\
                 case $X in a) export C=1 ;; esac\nexport P=\"$(go env GOPATH)/bin\"\nexport T=`id -u`\n\
                 export OK=1\n( export SUB=1 )\necho \"unbalanced\nexport U=1\n";
        let s = profile_settings(t, &W(vec![]));
        assert_eq!(vars(&s), [("OK", "1")]);
        assert!(s.path.is_empty(), "{:?}", s.path);
        // A quote closed on a later line is one string, not commands.
        let t = "echo \"a\nexport IN=1\n\"\nexport AFTER=1\n";
        assert_eq!(vars(&profile_settings(t, &W(vec![]))), [("AFTER", "1")]);
    }

    #[test]
    fn sourced_words() {
        let t = ". ~/.profile\nsource \"$HOME/.profile\" # c\n[ -f ~/.p1 ] && . ~/.p1\nif true; then source ~/.p2; fi\n\
                 emulate sh -c '. ~/.p3'\nemulate -R sh -c 'source $HOME/.p4'\n# . ~/.not\necho . ~/.not2\n";
        assert_eq!(
            sourced(t, 0),
            ["~/.profile", "$HOME/.profile", "~/.p1", "~/.p2", "~/.p3", "$HOME/.p4"]
        );
    }

    #[test]
    fn expansion() {
        let l = |n: &str| match n {
            "HOME" => Lookup::Known("/h".into()),
            "E" => Lookup::Known(String::new()),
            "U" => Lookup::Unknown,
            _ => Lookup::Unset,
        };
        assert_eq!(expand("~/x", &l).as_deref(), Some("/h/x"));
        assert_eq!(expand("${ZDOTDIR:-$HOME}/.zshrc", &l).as_deref(), Some("/h/.zshrc"));
        assert_eq!(expand("${E:-d}", &l).as_deref(), Some("d"));
        assert_eq!(expand("${E-d}", &l).as_deref(), Some(""));
        assert_eq!(expand("${U:-d}", &l), None);
        assert_eq!(expand("$NOPE/x", &l), None);
        assert_eq!(expand("~root/x", &l), None);
        assert_eq!(expand("$(pwd)", &l), None);
        assert_eq!(expand("${#HOME}", &l), None);
    }

    #[test]
    fn read_script_refuses_what_is_not_a_text_file() {
        let d = std::env::temp_dir().join(format!("wslgo-startup-{}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(d.join("bin"), b"export A=1\n\0\x01").unwrap();
        assert!(read_script(&d.join("bin"), 100).is_none());
        std::fs::write(d.join("long"), b"export A=1\nexport B=22222\n").unwrap();
        assert_eq!(read_script(&d.join("long"), 20).unwrap(), "export A=1\n");
        assert!(read_script(&d, 100).is_none());
        assert!(read_script(Path::new("/dev/zero"), 100).is_none());
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn heredoc_needs_an_unquoted_operator() {
        let t = |l: &str| heredoc_terms(l);
        assert_eq!(t("cat <<EOF"), ["EOF"]);
        assert_eq!(t("cat <<-'E O' >x"), ["E O"]);
        assert_eq!(t("cat << \"END\"; cat <<x<<y"), ["END", "x", "y"]);
        assert_eq!(t("cat <<E\\OF"), ["EOF"]);
        assert!(t("echo \"usage: a <<b\"").is_empty());
        assert!(t("echo 'a <<b' \\<<c").is_empty());
        assert!(t("x=$((1<<2)) # cat <<EOF").is_empty());
        assert!(t("read x <<< \"$y\"").is_empty());
        assert_eq!(t("echo a#b <<Z"), ["Z"], "a # inside a word is no comment");
        // The lines after a quoted lookalike are read; after a real heredoc, its body is not.
        let s = profile_settings(
            "echo \"usage: a <<b\"\nexport A=1\ncat <<'E'\nexport B=2\nE\nexport C=3\n",
            &W(vec![]),
        );
        assert_eq!(vars(&s), [("A", "1"), ("C", "3")]);
    }

    /// Shell-flavoured pieces, so random input reaches quotes, heredocs and continuations.
    fn piece() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        prop_oneof![
            Just("<<".to_string()),
            Just("<<-".to_string()),
            Just("<<<".to_string()),
            Just("'".to_string()),
            Just("\"".to_string()),
            Just("\\".to_string()),
            Just("\n".to_string()),
            Just("$((".to_string()),
            Just("))".to_string()),
            Just("#".to_string()),
            Just("EOF".to_string()),
            Just("export A=$HOME/x:$PATH ".to_string()),
            Just(". ~/.profile;".to_string()),
            Just("if [ -d /h ]; then ".to_string()),
            Just("fi".to_string()),
            "[ -~]{0,8}",
            any::<u8>().prop_map(|b| char::from(b).to_string()),
        ]
    }

    /// Bounded property test (proptest): whatever the bytes, the reader returns, never panics,
    /// and each input is handled within a few milliseconds.
    mod property {
        use super::*;
        use proptest::prelude::*;
        use std::time::{Duration, Instant};

        /// "A few ms" for inputs up to 4 KiB, in a debug build (the median is ~0.2 ms).
        const BOUND: Duration = Duration::from_millis(5);

        /// The best of three runs is timed: a shared machine preempts single runs at random,
        /// while a slow path (a quadratic join, a loop that never ends) is slow every time.
        fn run(text: &str) {
            let took = (0..3)
                .map(|_| {
                    let t = Instant::now();
                    let _ = profile_settings(text, &W(vec!["/h"]));
                    let _ = sourced(text, 0);
                    t.elapsed()
                })
                .min()
                .unwrap();
            assert!(took < BOUND, "{} bytes took {took:?}", text.len());
        }

        proptest! {
            #![proptest_config(ProptestConfig { cases: 256, max_shrink_iters: 200, ..ProptestConfig::default() })]

            #[test]
            fn random_bytes(b in proptest::collection::vec(any::<u8>(), 0..4096)) {
                run(&String::from_utf8_lossy(&b));
            }

            #[test]
            fn shell_pieces(v in proptest::collection::vec(piece(), 0..400)) {
                run(&v.concat());
            }
        }
    }
}
