//! SDK discovery: symlinks resolved inside the sysroot, SDK validity, the candidates of SPEC 5.2.

use super::version::GoVersion;
use crate::probe::memo::Memo;
use crate::sysroot::Sys;
use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::PermissionsExt;
use std::path::{Component, Path, PathBuf};

/// The most bytes of a `VERSION` file read (real ones are under 64 bytes).
const VERSION_MAX: usize = 512;
/// How many symlinks one resolution follows (the kernel's own limit is 40).
const MAX_LINKS: usize = 40;
/// How many entries of one directory are looked at for `go*` names.
const MAX_DIR_ENTRIES: usize = 4096;

/// Resolves every symlink in the system path `abs`, inside the sysroot when one is in force
/// (an absolute link target means the image's `/`, not the host's). Returns the real path and
/// the system path it stands for; `None` on a loop, a dangling link or a missing component.
pub(crate) fn resolve_sys(sys: &Sys, abs: &Path) -> Option<(PathBuf, PathBuf)> {
    if !sys.is_fake() {
        let real = crate::sysroot::realpath(abs).ok()?;
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

/// One Go SDK found on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Sdk {
    /// The real, symlink-free directory: what GOROOT is set to and what the shell can run.
    pub root: PathBuf,
    pub version: GoVersion,
    /// How it was found ("/usr/local/go", "~/sdk/go1.21.0", "PATH", ...), for `wslgo env`.
    pub found_as: Vec<String>,
    /// A toolchain the go command downloaded into the module cache (`golang.org/toolchain`).
    pub downloaded: bool,
}

/// The go command's name for this machine's architecture (`GOARCH`), as in the names of the
/// toolchains it downloads (`go1.22.3.linux-amd64`).
pub fn go_arch() -> &'static str {
    match std::env::consts::ARCH {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        "x86" => "386",
        "arm" => "armv6l",
        "powerpc64" => "ppc64",
        "loongarch64" => "loong64",
        other => other,
    }
}

/// Where the go command keeps a downloaded toolchain: `$GOMODCACHE/golang.org/toolchain@v0.0.1-<name>.linux-<arch>`
/// (`cmd/go/internal/toolchain`: module golang.org/toolchain, version `v0.0.1-<name>.<GOOS>-<GOARCH>`).
pub fn downloaded_toolchain_dir(modcache: &Path, name: &str) -> PathBuf {
    modcache.join(format!("golang.org/toolchain@v0.0.1-{name}.linux-{}", go_arch()))
}

/// Checks one real directory; `Err` says why it is not an SDK.
pub(crate) fn check_sdk(root: &Path) -> Result<GoVersion, String> {
    if !is_executable_file(&root.join("bin/go")) {
        return Err("no executable bin/go".into());
    }
    let raw = crate::sysroot::read_bounded(&root.join("VERSION"), VERSION_MAX)
        .map_err(|e| format!("no readable VERSION ({})", crate::sysroot::io_why(&e)))?;
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
pub(crate) struct PathGo {
    /// The PATH entry it was found in.
    pub dir: PathBuf,
    /// The SDK root behind it, when the resolved file is `<root>/bin/go`.
    pub root: Option<PathBuf>,
}

/// Finds the first executable `go` in `entries` (real paths: PATH entries are not under the
/// sysroot) and resolves it. Relative and empty entries are skipped: they depend on the
/// directory a command happens to run in.
pub(crate) fn first_go_on(entries: &[&OsStr]) -> Option<PathGo> {
    go_found(which(entries, "go")?)
}

/// The [`PathGo`] of a `go` found at `f` (by [`which`]): its directory and, resolved, its SDK.
pub(crate) fn go_found(f: PathBuf) -> Option<PathGo> {
    let root = crate::sysroot::realpath(&f).ok().and_then(|real| {
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
pub(crate) fn which(entries: &[&OsStr], name: &str) -> Option<PathBuf> {
    if name.contains('/') {
        let p = PathBuf::from(name);
        return is_executable_file(&p).then_some(p);
    }
    // A directory listed twice (PATH often has duplicates) is looked in once. Compared as
    // bytes (a Path compares component by component, at a few hundred instructions a pair):
    // a twin spelled differently (`/usr/bin/`) is only looked in again, to the same result.
    let mut seen: Vec<&[u8]> = Vec::new();
    entries
        .iter()
        .take(MAX_DIR_ENTRIES)
        .filter(|d| d.as_encoded_bytes().first() == Some(&b'/'))
        .filter(|d| {
            let b = d.as_encoded_bytes();
            let new = !seen.contains(&b);
            seen.push(b);
            new
        })
        .map(Path::new)
        .map(|d| d.join(name))
        .find(|f| is_executable_file(f))
}

/// What discovery found.
#[derive(Debug, Clone, Default)]
pub(crate) struct Discovery {
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
pub(crate) struct Inputs<'a> {
    pub home: &'a Path,
    /// `go.root` when it is not `auto` (a real path).
    pub cfg_root: Option<&'a Path>,
    /// The user's GOROOT (a real path).
    pub user_goroot: Option<&'a OsStr>,
    /// The user's own PATH entries (without wslgo's).
    pub user_path: &'a [&'a OsStr],
    /// The module cache (GOMODCACHE), where the go command keeps the toolchains it downloaded.
    pub modcache: Option<&'a Path>,
    /// The discovery cache (listings and SDK checks keyed on stamps; [`Memo::off`] for none).
    pub memo: &'a Memo,
}

impl Discovery {
    /// Looks at every SPEC 5.2 candidate, in its order.
    pub(crate) fn probe(sys: &Sys, inp: &Inputs) -> Discovery {
        let m = inp.memo;
        let mut d = Discovery::default();
        if let Some(r) = inp.cfg_root {
            d.cfg_root = Some(d.add_real(r, "go.root", m));
        }
        if let Some(g) = inp.user_goroot.filter(|g| !g.is_empty()) {
            d.user_goroot = Some(d.add_real(Path::new(g), "GOROOT", m));
        }
        d.path_go = first_go_on(inp.user_path);
        if let Some(root) = d.path_go.as_ref().and_then(|p| p.root.clone()) {
            // Already resolved (the parent of a resolved path): no second resolution.
            d.path_go_sdk = d.add_checked(&root, "PATH", m).ok();
        }
        d.usr_local_go = d.add_sys(sys, Path::new("/usr/local/go"), m).ok();
        for name in m.list_dir(&sys.path("/usr/local"), b"go", MAX_DIR_ENTRIES) {
            d.add_sys(sys, &Path::new("/usr/local").join(name), m).ok();
        }
        if !inp.home.as_os_str().is_empty() {
            let sdk = inp.home.join("sdk");
            for name in m.list_dir(&sdk, b"go", MAX_DIR_ENTRIES) {
                d.add_home(&sdk.join(&name), inp.home, m);
            }
            d.add_home(&inp.home.join(".local/go"), inp.home, m);
        }
        for name in m.list_dir(&sys.path("/usr/lib"), b"go-", MAX_DIR_ENTRIES) {
            d.add_sys(sys, &Path::new("/usr/lib").join(name), m).ok();
        }
        if let Some(mc) = inp.modcache.filter(|m| m.is_absolute()) {
            let dir = mc.join("golang.org");
            let suffix = format!(".linux-{}", go_arch());
            for name in m.list_dir(&dir, b"toolchain@v0.0.1-go", MAX_DIR_ENTRIES) {
                if !name.as_bytes().ends_with(suffix.as_bytes()) {
                    continue;
                }
                let shown = format!("GOMODCACHE/golang.org/{}", name.to_string_lossy());
                if let Ok(i) = d.add_real(&dir.join(&name), &shown, m) {
                    // Only when this is its first way in: an SDK also found elsewhere is installed.
                    if d.sdks[i].found_as.len() == 1 {
                        d.sdks[i].downloaded = true;
                    }
                }
            }
        }
        d
    }

    fn add_home(&mut self, p: &Path, home: &Path, m: &Memo) {
        if p.exists() {
            let shown = match p.strip_prefix(home) {
                Ok(rel) => format!("~/{}", rel.display()),
                Err(_) => p.display().to_string(),
            };
            let _ = self.add_real(p, &shown, m);
        }
    }

    /// A system candidate, behind the sysroot; a missing one is not worth a note.
    fn add_sys(&mut self, sys: &Sys, abs: &Path, m: &Memo) -> Result<usize, String> {
        let Ok(meta) = std::fs::symlink_metadata(sys.path(abs)) else {
            return Err("absent".into());
        };
        let shown = abs.display().to_string();
        // A directory (not a link) whose path is already a found SDK's real root is that SDK
        // (the usual case: /usr/local/go found first through the `go` on PATH).
        if !sys.is_fake() && meta.is_dir() && self.sdks.iter().any(|s| s.root == abs) {
            return self.add_checked(abs, &shown, m);
        }
        match resolve_sys(sys, abs) {
            // The real system's path is resolved already. Under a sysroot every link inside the
            // image is resolved; canonicalizing now only settles the sysroot's own spelling, so
            // one SDK reached two ways is one entry.
            Some((real, _)) if !sys.is_fake() => self.add_checked(&real, &shown, m),
            Some((real, _)) => self.add_checked(&std::fs::canonicalize(&real).unwrap_or(real), &shown, m),
            None => {
                let why = "a symlink loop or dangling link".to_string();
                self.rejected.push((shown, why.clone()));
                Err(why)
            }
        }
    }

    fn add_real(&mut self, p: &Path, shown: &str, m: &Memo) -> Result<usize, String> {
        match crate::sysroot::realpath(p) {
            Ok(real) => self.add_checked(&real, shown, m),
            Err(e) => {
                let why = format!("{} does not resolve ({})", p.display(), crate::sysroot::io_why(&e));
                self.rejected.push((shown.to_string(), why.clone()));
                Err(why)
            }
        }
    }

    fn add_checked(&mut self, real: &Path, shown: &str, m: &Memo) -> Result<usize, String> {
        if let Some(i) = self.sdks.iter().position(|s| s.root == real) {
            if !self.sdks[i].found_as.iter().any(|f| f == shown) {
                self.sdks[i].found_as.push(shown.to_string());
            }
            return Ok(i);
        }
        match m.check_sdk(real, check_sdk) {
            Ok(version) => {
                self.sdks.push(Sdk {
                    root: real.to_path_buf(),
                    version,
                    found_as: vec![shown.to_string()],
                    downloaded: false,
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
