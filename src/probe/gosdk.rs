//! Go SDKs and Go modules on disk (SPEC 5.2), found without ever running `go`.
//!
//! An SDK is a directory with an executable `bin/go` and a `VERSION` file whose first line is
//! `goX.Y[.Z]` (a release) or `goX.YrcN`-style (a pre-release). Running `go version` would cost
//! a process per candidate on a hot path, and `go` itself may be the broken thing.
//!
//! Versions compare as the go command's own `internal/gover` does, so wslgo and go agree on
//! what "new enough" means: `1.21 < 1.21rc1 < 1.21.0 < 1.21.1`, and before Go 1.21 a missing
//! patch is `.0` (`1.20 == 1.20.0`).
//!
//! Everything read here may be hostile: a `VERSION` of garbage, a `go.mod` of 10 MB of random
//! bytes, a FIFO named `go.mod`, symlink loops, directories 200 levels deep, unreadable
//! directories. Every read is bounded, FIFOs and devices are never opened, symlink chains are
//! cut after [`MAX_LINKS`], and the walk up from the working directory stops after
//! [`MAX_LEVELS`].

use crate::sysroot::Sys;
use std::cmp::Ordering;
use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::PermissionsExt;
use std::path::{Component, Path, PathBuf};

/// The most bytes of a `go.mod`/`go.work` read: the `go` and `toolchain` lines sit at the top.
pub const MODFILE_MAX: usize = 64 * 1024;
/// The most bytes of a `VERSION` file read (real ones are under 64 bytes).
const VERSION_MAX: usize = 512;
/// How many directories the module search climbs (PATH_MAX allows ~2000; real trees ~10).
pub const MAX_LEVELS: usize = 256;
/// How many symlinks one resolution follows (the kernel's own limit is 40).
const MAX_LINKS: usize = 40;
/// How many entries of one directory are looked at for `go*` names.
const MAX_DIR_ENTRIES: usize = 4096;

// ---------------------------------------------------------------------------------------------
// Versions
// ---------------------------------------------------------------------------------------------

/// A Go version as `internal/gover` parses it (no `go` prefix): numbers kept as their decimal
/// text, so a hostile `go 1.99999999999999999999999` compares right instead of overflowing.
#[derive(Debug, Clone)]
pub struct GoVersion {
    /// As written (without `go`), for messages.
    pub text: String,
    major: String,
    minor: String,
    patch: String,
    /// `""` for releases, else `alpha`, `beta`, `rc`, ...
    kind: String,
    pre: String,
}

impl GoVersion {
    /// Parses `1.22`, `1.22.5`, `1.21rc1` (no `go` prefix); `None` when gover would not accept it.
    pub fn parse(s: &str) -> Option<GoVersion> {
        let text = s.to_string();
        let (major, x) = cut_int(s)?;
        let mut v = GoVersion {
            text,
            major: major.into(),
            minor: String::new(),
            patch: String::new(),
            kind: String::new(),
            pre: String::new(),
        };
        if x.is_empty() {
            // "1" is "1.0.0".
            v.minor = "0".into();
            v.patch = "0".into();
            return Some(v);
        }
        let (minor, x) = cut_int(x.strip_prefix('.')?)?;
        v.minor = minor.into();
        if x.is_empty() {
            // Before Go 1.21 a missing patch means ".0"; from 1.21 on, "1.21" < "1.21.0".
            if cmp_int(&v.minor, "21") == Ordering::Less {
                v.patch = "0".into();
            }
            return Some(v);
        }
        if let Some(rest) = x.strip_prefix('.') {
            // gover allows no pre-release on a patch release.
            let (patch, x) = cut_int(rest)?;
            if !x.is_empty() {
                return None;
            }
            v.patch = patch.into();
            return Some(v);
        }
        let i = x.bytes().take_while(u8::is_ascii_lowercase).count();
        if i == 0 {
            return None;
        }
        v.kind = x[..i].into();
        let x = &x[i..];
        if !x.is_empty() {
            let (pre, rest) = cut_int(x)?;
            if !rest.is_empty() {
                return None;
            }
            v.pre = pre.into();
        }
        Some(v)
    }

    /// A toolchain name (`go1.21.0`, `go1.21.0-custom`, `go1.21.0+auto`) as a version.
    pub fn from_toolchain(name: &str) -> Option<GoVersion> {
        let v = name.strip_prefix("go")?;
        let v = v.split(['-', '+']).next().unwrap_or(v);
        GoVersion::parse(v)
    }

    /// A release, not an alpha/beta/rc.
    pub fn is_release(&self) -> bool {
        self.kind.is_empty()
    }

    /// The name golang.org/dl publishes the first release satisfying this version under:
    /// `1.23` -> `go1.23.0` (from 1.21 on, the `.0` is part of the name), `1.20` -> `go1.20`.
    pub fn dl_name(&self) -> String {
        if self.patch.is_empty() && self.kind.is_empty() {
            format!("go{}.{}.0", self.major, self.minor)
        } else {
            format!("go{}", self.text)
        }
    }
}

impl std::fmt::Display for GoVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "go{}", self.text)
    }
}

impl Ord for GoVersion {
    fn cmp(&self, o: &Self) -> Ordering {
        cmp_int(&self.major, &o.major)
            .then_with(|| cmp_int(&self.minor, &o.minor))
            .then_with(|| cmp_int(&self.patch, &o.patch))
            // "" (release) < "alpha" < "beta" < "rc": plain string order, as gover does.
            .then_with(|| self.kind.cmp(&o.kind))
            .then_with(|| cmp_int(&self.pre, &o.pre))
    }
}

impl PartialOrd for GoVersion {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}

impl PartialEq for GoVersion {
    fn eq(&self, o: &Self) -> bool {
        self.cmp(o) == Ordering::Equal
    }
}

impl Eq for GoVersion {}

/// A decimal number without leading zeros at the start of `x`, and the rest.
fn cut_int(x: &str) -> Option<(&str, &str)> {
    let i = x.bytes().take_while(u8::is_ascii_digit).count();
    if i == 0 || (x.as_bytes()[0] == b'0' && i != 1) {
        return None;
    }
    Some((&x[..i], &x[i..]))
}

/// Compares decimal texts without leading zeros; `""` is below every number.
fn cmp_int(x: &str, y: &str) -> Ordering {
    x.len().cmp(&y.len()).then_with(|| x.cmp(y))
}

// ---------------------------------------------------------------------------------------------
// Bounded, FIFO-safe reads and symlink resolution
// ---------------------------------------------------------------------------------------------

/// Resolves every symlink in the system path `abs`, inside the sysroot when one is in force
/// (an absolute link target means the image's `/`, not the host's). Returns the real path and
/// the system path it stands for; `None` on a loop, a dangling link or a missing component.
pub fn resolve_sys(sys: &Sys, abs: &Path) -> Option<(PathBuf, PathBuf)> {
    if !sys.is_fake() {
        let real = std::fs::canonicalize(abs).ok()?;
        return Some((real.clone(), real));
    }
    let mut cur = PathBuf::from("/");
    // Components still to walk, in reverse (the next one last).
    let mut todo: Vec<OsString> = components_rev(abs);
    let mut links = 0;
    while let Some(c) = todo.pop() {
        match c.as_bytes() {
            b"" | b"." => continue,
            b".." => {
                cur.pop();
                continue;
            }
            _ => {}
        }
        let next = cur.join(&c);
        let real = sys.path(&next);
        let meta = std::fs::symlink_metadata(&real).ok()?;
        if meta.file_type().is_symlink() {
            links += 1;
            if links > MAX_LINKS {
                return None;
            }
            let target = std::fs::read_link(&real).ok()?;
            if target.is_absolute() {
                cur = PathBuf::from("/");
            }
            todo.extend(components_rev(&target));
        } else {
            cur = next;
        }
    }
    Some((sys.path(&cur), cur))
}

fn components_rev(p: &Path) -> Vec<OsString> {
    let mut v: Vec<OsString> = p
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_os_string()),
            Component::ParentDir => Some(OsString::from("..")),
            _ => None,
        })
        .collect();
    v.reverse();
    v
}

fn is_executable_file(p: &Path) -> bool {
    std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

// ---------------------------------------------------------------------------------------------
// SDKs
// ---------------------------------------------------------------------------------------------

/// One Go SDK found on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sdk {
    /// The real, symlink-free directory: what GOROOT is set to and what the shell can run.
    pub root: PathBuf,
    pub version: GoVersion,
    /// How it was found ("/usr/local/go", "~/sdk/go1.21.0", "PATH", ...), for `wslgo env`.
    pub found_as: Vec<String>,
}

/// Checks one real directory; `Err` says why it is not an SDK.
pub fn check_sdk(root: &Path) -> Result<GoVersion, String> {
    if !is_executable_file(&root.join("bin/go")) {
        return Err("no executable bin/go".into());
    }
    let raw = crate::sysroot::read_bounded(&root.join("VERSION"), VERSION_MAX).map_err(|e| format!("no readable VERSION ({e})"))?;
    let first = raw.split(|&b| b == b'\n').next().unwrap_or(&[]);
    let line = String::from_utf8_lossy(first);
    let line = line.trim();
    line.strip_prefix("go").and_then(GoVersion::parse).ok_or_else(|| {
        format!(
            "VERSION does not start with goX.Y ({:?})",
            crate::warn::one_line(&line.chars().take(40).collect::<String>())
        )
    })
}

/// The first `go` on a PATH (given as entries), if any: the file as found and the SDK root
/// behind it (the directory above the `bin/` the resolved file sits in).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathGo {
    /// The PATH entry it was found in.
    pub dir: PathBuf,
    /// The SDK root behind it, when the resolved file is `<root>/bin/go`.
    pub root: Option<PathBuf>,
}

/// Finds the first executable `go` in `entries` (real paths: PATH entries are not under the
/// sysroot) and resolves it. Relative and empty entries are skipped: they depend on the
/// directory a command happens to run in.
pub fn first_go_on(entries: &[&OsStr]) -> Option<PathGo> {
    let f = which(entries, "go")?;
    let root = std::fs::canonicalize(&f).ok().and_then(|real| {
        let bin = real.parent()?;
        (bin.file_name() == Some(OsStr::new("bin"))).then(|| bin.parent().map(Path::to_path_buf))?
    });
    Some(PathGo {
        dir: f.parent()?.to_path_buf(),
        root,
    })
}

/// The first executable file `name` in PATH `entries` (real paths), as the shell would find
/// it; relative and empty entries are skipped, at most [`MAX_DIR_ENTRIES`] are looked at. A
/// `name` with a `/` is a path and is taken as it is.
pub fn which(entries: &[&OsStr], name: &str) -> Option<PathBuf> {
    if name.contains('/') {
        let p = PathBuf::from(name);
        return is_executable_file(&p).then_some(p);
    }
    entries
        .iter()
        .take(MAX_DIR_ENTRIES)
        .map(Path::new)
        .filter(|d| d.is_absolute())
        .map(|d| d.join(name))
        .find(|f| is_executable_file(f))
}

/// What discovery found.
#[derive(Debug, Clone, Default)]
pub struct Discovery {
    pub sdks: Vec<Sdk>,
    /// `go.root` from the config: the SDK's index, or why it is not one.
    pub cfg_root: Option<Result<usize, String>>,
    /// The GOROOT the shell had before wslgo (the user's): index, or why it is not an SDK.
    pub user_goroot: Option<Result<usize, String>>,
    /// `/usr/local/go`, when it is an SDK.
    pub usr_local_go: Option<usize>,
    /// The first `go` on the user's own PATH.
    pub path_go: Option<PathGo>,
    /// The SDK behind [`Discovery::path_go`], when it is one.
    pub path_go_sdk: Option<usize>,
    /// Candidates that looked like SDKs but are not, and why (for `wslgo env`).
    pub rejected: Vec<(String, String)>,
}

/// Where to look, beyond the fixed system and HOME locations.
pub struct Inputs<'a> {
    pub home: &'a Path,
    /// `go.root` when it is not `auto` (a real path).
    pub cfg_root: Option<&'a Path>,
    /// The user's GOROOT (a real path).
    pub user_goroot: Option<&'a OsStr>,
    /// The user's own PATH entries (without wslgo's).
    pub user_path: &'a [&'a OsStr],
}

impl Discovery {
    /// Looks at every SPEC 5.2 candidate, in its order.
    pub fn probe(sys: &Sys, inp: &Inputs) -> Discovery {
        let mut d = Discovery::default();
        if let Some(r) = inp.cfg_root {
            d.cfg_root = Some(d.add_real(r, "go.root"));
        }
        if let Some(g) = inp.user_goroot.filter(|g| !g.is_empty()) {
            d.user_goroot = Some(d.add_real(Path::new(g), "GOROOT"));
        }
        d.path_go = first_go_on(inp.user_path);
        if let Some(root) = d.path_go.as_ref().and_then(|p| p.root.clone()) {
            d.path_go_sdk = d.add_real(&root, "PATH").ok();
        }
        d.usr_local_go = d.add_sys(sys, Path::new("/usr/local/go")).ok();
        for name in list_dir(&sys.path("/usr/local"), b"go") {
            d.add_sys(sys, &Path::new("/usr/local").join(name)).ok();
        }
        if !inp.home.as_os_str().is_empty() {
            let sdk = inp.home.join("sdk");
            for name in list_dir(&sdk, b"go") {
                d.add_home(&sdk.join(&name), inp.home);
            }
            d.add_home(&inp.home.join(".local/go"), inp.home);
        }
        for name in list_dir(&sys.path("/usr/lib"), b"go-") {
            d.add_sys(sys, &Path::new("/usr/lib").join(name)).ok();
        }
        d
    }

    fn add_home(&mut self, p: &Path, home: &Path) {
        if p.exists() {
            let shown = match p.strip_prefix(home) {
                Ok(rel) => format!("~/{}", rel.display()),
                Err(_) => p.display().to_string(),
            };
            let _ = self.add_real(p, &shown);
        }
    }

    /// A system candidate, behind the sysroot; a missing one is not worth a note.
    fn add_sys(&mut self, sys: &Sys, abs: &Path) -> Result<usize, String> {
        if std::fs::symlink_metadata(sys.path(abs)).is_err() {
            return Err("absent".into());
        }
        let shown = abs.display().to_string();
        match resolve_sys(sys, abs) {
            // Every link inside the image is resolved; canonicalizing now only settles the
            // sysroot's own spelling, so one SDK reached two ways is one entry.
            Some((real, _)) => self.add_checked(&std::fs::canonicalize(&real).unwrap_or(real), &shown),
            None => {
                let why = "a symlink loop or dangling link".to_string();
                self.rejected.push((shown, why.clone()));
                Err(why)
            }
        }
    }

    fn add_real(&mut self, p: &Path, shown: &str) -> Result<usize, String> {
        match std::fs::canonicalize(p) {
            Ok(real) => self.add_checked(&real, shown),
            Err(e) => {
                let why = format!("{} does not resolve ({e})", p.display());
                self.rejected.push((shown.to_string(), why.clone()));
                Err(why)
            }
        }
    }

    fn add_checked(&mut self, real: &Path, shown: &str) -> Result<usize, String> {
        if let Some(i) = self.sdks.iter().position(|s| s.root == real) {
            if !self.sdks[i].found_as.iter().any(|f| f == shown) {
                self.sdks[i].found_as.push(shown.to_string());
            }
            return Ok(i);
        }
        match check_sdk(real) {
            Ok(version) => {
                self.sdks.push(Sdk {
                    root: real.to_path_buf(),
                    version,
                    found_as: vec![shown.to_string()],
                });
                Ok(self.sdks.len() - 1)
            }
            Err(why) => {
                if !self.rejected.iter().any(|(s, _)| s == shown) {
                    self.rejected.push((shown.to_string(), why.clone()));
                }
                Err(why)
            }
        }
    }
}

/// Names in `dir` that start with `prefix`, sorted (for a stable order), bounded.
fn list_dir(dir: &Path, prefix: &[u8]) -> Vec<OsString> {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut v: Vec<OsString> = rd
        .take(MAX_DIR_ENTRIES)
        .flatten()
        .map(|e| e.file_name())
        .filter(|n| n.as_bytes().starts_with(prefix))
        .collect();
    v.sort();
    v
}

// ---------------------------------------------------------------------------------------------
// Modules
// ---------------------------------------------------------------------------------------------

/// The go.work or go.mod that governs a directory, and what it asks for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Module {
    /// The file (real path as found: the working directory's spelling).
    pub file: PathBuf,
    /// The `go` line (`None`: none, or not a version).
    pub go: Option<GoVersion>,
    /// The `toolchain` line, unless it says `default`.
    pub toolchain: Option<GoVersion>,
    /// Lines that were there but unusable, for `wslgo env`.
    pub problems: Vec<String>,
}

/// Finds the governing file as the go command does: with `GOWORK` unset/empty/`auto`, the
/// nearest `go.work` from `cwd` up wins (even over a nearer `go.mod`), else the nearest
/// `go.mod`; `GOWORK=off` skips workspaces; `GOWORK=<file>` names one. The walk is lexical on
/// `$PWD`, as go's (os.Getwd returns `$PWD`), so symlinked spellings climb the way the user sees.
pub fn find_module(cwd: &Path, gowork: Option<&OsStr>) -> Option<Module> {
    let mode = gowork.map(OsStr::as_bytes).unwrap_or(b"");
    let look_work = mode.is_empty() || mode == b"auto";
    if !look_work && mode != b"off" {
        let p = Path::new(OsStr::from_bytes(mode));
        if p.is_absolute() && !p.is_dir() {
            return Some(read_modfile(p));
        }
    }
    let mut first_mod: Option<PathBuf> = None;
    for dir in cwd.ancestors().take(MAX_LEVELS) {
        if look_work {
            let w = dir.join("go.work");
            if is_present_file(&w) {
                return Some(read_modfile(&w));
            }
        } else if first_mod.is_some() {
            break;
        }
        if first_mod.is_none() {
            let m = dir.join("go.mod");
            if is_present_file(&m) {
                first_mod = Some(m);
            }
        }
    }
    first_mod.map(|m| read_modfile(&m))
}

/// Present and not a directory (the go command's own test: a FIFO counts, and is then not read).
fn is_present_file(p: &Path) -> bool {
    std::fs::metadata(p).is_ok_and(|m| !m.is_dir())
}

/// Reads the `go` and `toolchain` lines of a go.mod/go.work (its first [`MODFILE_MAX`] bytes).
pub fn read_modfile(p: &Path) -> Module {
    let mut m = Module {
        file: p.to_path_buf(),
        ..Module::default()
    };
    match crate::sysroot::read_bounded(p, MODFILE_MAX) {
        Ok(b) => parse_modfile(&b, &mut m),
        Err(e) => m.problems.push(format!("unreadable ({e})")),
    }
    m
}

/// The directive lines that matter; everything else (and any junk) is skipped.
pub fn parse_modfile(b: &[u8], m: &mut Module) {
    let (mut seen_go, mut seen_tc) = (false, false);
    for line in b.split(|&c| c == b'\n') {
        let line = match memchr::memmem::find(line, b"//") {
            Some(i) => &line[..i],
            None => line,
        };
        let Ok(line) = std::str::from_utf8(line) else { continue };
        let mut words = line.split_ascii_whitespace();
        let (Some(key), Some(val), None) = (words.next(), words.next(), words.next()) else {
            continue;
        };
        let val = val.trim_matches('"');
        match key {
            "go" if !seen_go => {
                seen_go = true;
                m.go = GoVersion::parse(val);
                if m.go.is_none() {
                    m.problems.push(format!(
                        "go line {:?} is not a Go version",
                        val.chars().take(40).collect::<String>()
                    ));
                }
            }
            "toolchain" if !seen_tc => {
                seen_tc = true;
                if val != "default" {
                    m.toolchain = GoVersion::from_toolchain(val);
                    if m.toolchain.is_none() {
                        m.problems.push(format!(
                            "toolchain line {:?} is not a toolchain name",
                            val.chars().take(40).collect::<String>()
                        ));
                    }
                }
            }
            _ => {}
        }
        if seen_go && seen_tc {
            break;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The go command's own env file (`go env -w`)
// ---------------------------------------------------------------------------------------------

/// The settings of the go env file that decide where `go install` puts commands. An exported
/// variable overrides the file, so wslgo must know them: exporting `GOPATH=$HOME/go` over a
/// `go env -w GOPATH=/data/go` would silently move the user's module cache and binaries.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GoEnvFile {
    pub gopath: Option<OsString>,
    pub gobin: Option<OsString>,
}

/// One setting of the go env file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoEnvVar {
    pub name: String,
    /// The rest of the line after the first `=`, byte for byte (the go command trims nothing).
    pub value: OsString,
    /// 1-based line number.
    pub line: usize,
}

/// Parses the go env file as the go command does (`cmd/go/internal/cfg.initEnvCache`): a line
/// counts when it holds `=` and starts with `A`-`Z`; the name is everything before the first
/// `=`, the value everything after it; a name set twice keeps its last value.
pub fn parse_go_env(b: &[u8]) -> Vec<GoEnvVar> {
    let mut out: Vec<GoEnvVar> = Vec::new();
    for (i, line) in b.split(|&c| c == b'\n').enumerate() {
        let Some(eq) = memchr::memchr(b'=', line) else { continue };
        if !line[0].is_ascii_uppercase() {
            continue;
        }
        let name = String::from_utf8_lossy(&line[..eq]).into_owned();
        out.retain(|v| v.name != name);
        out.push(GoEnvVar {
            name,
            value: OsStr::from_bytes(&line[eq + 1..]).to_os_string(),
            line: i + 1,
        });
    }
    out
}

/// Reads and parses the go env file, bounded. `Err`: the read failed (`NotFound` for a missing
/// file; a FIFO or directory is refused unopened), or `InvalidData` for a file that is not one
/// `go env -w` writes (binary, or longer than [`MODFILE_MAX`]).
pub fn load_go_env(p: &Path) -> std::io::Result<Vec<GoEnvVar>> {
    let b = crate::sysroot::read_bounded(p, MODFILE_MAX + 1)?;
    if b.len() > MODFILE_MAX || memchr::memchr(0, &b).is_some() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("not a go env file (binary, or longer than {} KiB)", MODFILE_MAX / 1024),
        ));
    }
    Ok(parse_go_env(&b))
}

/// The settings that decide where `go install` puts commands; a file that cannot be read sets
/// nothing.
pub fn read_go_env(p: &Path) -> GoEnvFile {
    let vars = load_go_env(p).unwrap_or_default();
    let get = |name: &str| {
        vars.iter()
            .find(|v| v.name == name)
            .map(|v| v.value.clone())
            .filter(|v| !v.is_empty())
    };
    GoEnvFile {
        gopath: get("GOPATH"),
        gobin: get("GOBIN"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(v("1.23").dl_name(), "go1.23.0");
        assert_eq!(v("1.20").dl_name(), "go1.20");
        assert_eq!(v("1.22.3").dl_name(), "go1.22.3");
        assert_eq!(v("1.23rc1").dl_name(), "go1.23rc1");
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
}
