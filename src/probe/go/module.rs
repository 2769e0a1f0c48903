//! Module files: the go.work or go.mod that governs a directory, and its `go`/`toolchain` lines.

use super::version::GoVersion;
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

/// The most bytes of a `go.mod`/`go.work` read: the `go` and `toolchain` lines sit at the top.
pub(crate) const MODFILE_MAX: usize = 64 * 1024;
/// How many directories the module search climbs (PATH_MAX allows ~2000; real trees ~10).
pub(crate) const MAX_LEVELS: usize = 256;

/// The go.work or go.mod that governs a directory, and what it asks for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Module {
    /// The file (real path as found: the working directory's spelling).
    pub file: PathBuf,
    /// The `go` line (`None`: none, or not a version).
    pub go: Option<GoVersion>,
    /// The `toolchain` line, unless it says `default`.
    pub toolchain: Option<GoVersion>,
    /// The `toolchain` line says `default`: the go command never switches for this module.
    pub toolchain_default: bool,
    /// Lines that were there but unusable, for `wslgo env`.
    pub problems: Vec<String>,
}

/// Finds the governing file as the go command does: with `GOWORK` unset/empty/`auto`, the
/// nearest `go.work` from `cwd` up wins (even over a nearer `go.mod`), else the nearest
/// `go.mod`; `GOWORK=off` skips workspaces; `GOWORK=<file>` names one. The walk is lexical on
/// `$PWD`, as go's (os.Getwd returns `$PWD`), so symlinked spellings climb the way the user sees.
pub(crate) fn find_module(cwd: &Path, gowork: Option<&OsStr>) -> Option<Module> {
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
pub(crate) fn read_modfile(p: &Path) -> Module {
    let mut m = Module {
        file: p.to_path_buf(),
        ..Module::default()
    };
    match crate::sysroot::read_bounded(p, MODFILE_MAX) {
        Ok(b) => parse_modfile(&b, &mut m),
        Err(e) => m.problems.push(format!("unreadable ({})", crate::sysroot::io_why(&e))),
    }
    m
}

/// The directive lines that matter; everything else (and any junk) is skipped.
pub(crate) fn parse_modfile(b: &[u8], m: &mut Module) {
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
                m.toolchain_default = val == "default";
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
