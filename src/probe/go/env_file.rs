//! The go command's own env file (`go env -w`).

use super::module::MODFILE_MAX;
use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

/// The settings of the go env file that decide where `go install` puts commands. An exported
/// variable overrides the file, so wslgo must know them: exporting `GOPATH=$HOME/go` over a
/// `go env -w GOPATH=/data/go` would silently move the user's module cache and binaries.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct GoEnvFile {
    pub gopath: Option<OsString>,
    pub gobin: Option<OsString>,
    pub gomodcache: Option<OsString>,
    /// As written, even empty (an empty value in the file is what the go command then sees).
    pub gotoolchain: Option<OsString>,
    pub goproxy: Option<OsString>,
}

/// One setting of the go env file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct GoEnvVar {
    pub name: String,
    /// The rest of the line after the first `=`, byte for byte (the go command trims nothing).
    pub value: OsString,
    /// 1-based line number.
    pub line: usize,
}

/// Parses the go env file as the go command does (`cmd/go/internal/cfg.initEnvCache`): a line
/// counts when it holds `=` and starts with `A`-`Z`; the name is everything before the first
/// `=`, the value everything after it; a name set twice keeps its last value.
pub(crate) fn parse_go_env(b: &[u8]) -> Vec<GoEnvVar> {
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
pub(crate) fn load_go_env(p: &Path) -> std::io::Result<Vec<GoEnvVar>> {
    let b = crate::sysroot::read_bounded(p, MODFILE_MAX + 1)?;
    if b.len() > MODFILE_MAX || memchr::memchr(0, &b).is_some() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("not a go env file (binary, or longer than {} KiB)", MODFILE_MAX / 1024),
        ));
    }
    Ok(parse_go_env(&b))
}

/// The settings wslgo needs (where `go install` puts commands, the module cache, toolchain
/// switching); a file that cannot be read sets nothing.
pub(crate) fn read_go_env(p: &Path) -> GoEnvFile {
    let vars = load_go_env(p).unwrap_or_default();
    let raw = |name: &str| vars.iter().find(|v| v.name == name).map(|v| v.value.clone());
    let get = |name: &str| raw(name).filter(|v| !v.is_empty());
    GoEnvFile {
        gopath: get("GOPATH"),
        gobin: get("GOBIN"),
        gomodcache: get("GOMODCACHE"),
        gotoolchain: raw("GOTOOLCHAIN"),
        goproxy: get("GOPROXY"),
    }
}

/// An SDK's own `$GOROOT/go.env` (the defaults its packager chose: `GOTOOLCHAIN=auto` and
/// `GOPROXY` in Google's builds; a distro may change or remove them), same format.
pub(crate) fn read_sdk_go_env(root: &Path) -> GoEnvFile {
    read_go_env(&root.join("go.env"))
}
