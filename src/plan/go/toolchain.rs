//! GOTOOLCHAIN (SPEC 5.2): which toolchain the go command itself will run, worked out as
//! `cmd/go/internal/toolchain.Select` does, without running go.
//!
//! From Go 1.21 the go command may hand a command over to another toolchain: the module's
//! `toolchain` line, or the first release of its `go` line, when either is newer than the
//! minimum GOTOOLCHAIN allows (`auto` = `local+auto`: the running SDK). It looks for that
//! toolchain on PATH (a golang.org/dl wrapper `go1.22.3`), else, unless the mode is `path`,
//! in the module cache (downloaded before), else downloads it through GOPROXY. A fixed
//! `GOTOOLCHAIN=go1.22.3` always runs that one; `local` (and an SDK older than 1.21, which
//! knows nothing of GOTOOLCHAIN) never switches.

use crate::probe::go::{GoVersion, Module, downloaded_toolchain_dir, which};
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

/// The effective GOTOOLCHAIN and where it comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Setting {
    pub value: String,
    pub from: From,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum From {
    /// Exported in the environment.
    Env,
    /// The `go env -w` file.
    File(PathBuf),
    /// The SDK's own `$GOROOT/go.env`.
    SdkEnv(PathBuf),
    /// Set nowhere: the go command then behaves as `local`.
    Nowhere,
}

impl std::fmt::Display for Setting {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.from {
            From::Env => write!(f, "GOTOOLCHAIN={} from the environment", self.value),
            From::File(p) => write!(f, "GOTOOLCHAIN={} from {} (go env -w)", self.value, p.display()),
            From::SdkEnv(p) => write!(f, "GOTOOLCHAIN={} from {}", self.value, p.display()),
            From::Nowhere => write!(f, "GOTOOLCHAIN set nowhere (so local)"),
        }
    }
}

/// The go command's lookup: the environment (an empty value counts as unset), else the
/// `go env -w` file, else `$GOROOT/go.env`.
pub(crate) fn setting(env: Option<&OsStr>, file: Option<(&OsStr, &Path)>, sdk_env: Option<(&OsStr, &Path)>) -> Setting {
    let s = |v: &OsStr| String::from_utf8_lossy(v.as_encoded_bytes()).into_owned();
    if let Some(v) = env.filter(|v| !v.is_empty()) {
        return Setting {
            value: s(v),
            from: From::Env,
        };
    }
    if let Some((v, p)) = file {
        return Setting {
            value: s(v),
            from: From::File(p.to_path_buf()),
        };
    }
    if let Some((v, root)) = sdk_env {
        return Setting {
            value: s(v),
            from: From::SdkEnv(root.join("go.env")),
        };
    }
    Setting {
        value: String::new(),
        from: From::Nowhere,
    }
}

/// What the go command decides before looking for a toolchain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Target {
    /// The SDK it was started from runs the command.
    Local,
    /// It hands over to this toolchain (`go1.22.3`); `path_only`: GOTOOLCHAIN=path, never a download.
    Other { name: String, path_only: bool },
}

/// How a GOTOOLCHAIN value lets the go command switch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Mode {
    /// `local` or unset: never.
    Local,
    /// A fixed toolchain (`go1.22.3`): always that one.
    Fixed(String),
    /// `auto`, `path`, `<name>+auto`, `<name>+path`: up to what the module asks for.
    Switch { min: Option<String>, path_only: bool },
}

/// Parses GOTOOLCHAIN as the go command does; `Err` is its complaint about a bad value.
pub(crate) fn mode(value: &str) -> Result<Mode, String> {
    match value {
        "" | "local" => return Ok(Mode::Local),
        "auto" | "path" => {
            return Ok(Mode::Switch {
                min: None,
                path_only: value == "path",
            });
        }
        _ => {}
    }
    let (min, suffix) = match value.split_once('+') {
        Some((m, s)) => (m, Some(s)),
        None => (value, None),
    };
    let min = if min == "local" {
        None
    } else if GoVersion::from_toolchain(min).is_some() {
        Some(min.to_string())
    } else {
        return Err(format!("invalid GOTOOLCHAIN {value:?}"));
    };
    match (suffix, min) {
        (None, None) => Ok(Mode::Local),
        (None, Some(m)) => Ok(Mode::Fixed(m)),
        (Some(s @ ("auto" | "path")), min) => Ok(Mode::Switch {
            min,
            path_only: s == "path",
        }),
        (Some(_), _) => Err(format!("invalid GOTOOLCHAIN {value:?}: only version suffixes are +auto and +path")),
    }
}

/// `toolchain.Select`: the toolchain the go command started from an SDK of version `local`
/// runs for module `m` under GOTOOLCHAIN `value`.
pub(crate) fn select(local: &GoVersion, value: &str, m: Option<&Module>) -> Result<Target, String> {
    if !local.can_switch() {
        // Before 1.21 the go command knows nothing of GOTOOLCHAIN.
        return Ok(Target::Local);
    }
    let (mut name, mut min_vers, path_only) = match mode(value)? {
        Mode::Local => return Ok(Target::Local),
        Mode::Fixed(n) => {
            let v = GoVersion::from_toolchain(&n).ok_or_else(|| format!("invalid GOTOOLCHAIN {n:?}"))?;
            (n, v, false)
        }
        Mode::Switch { min, path_only } => match min {
            Some(n) => {
                let v = GoVersion::from_toolchain(&n).ok_or_else(|| format!("invalid GOTOOLCHAIN {n:?}"))?;
                (n, v, path_only)
            }
            None => (local.to_string(), local.clone(), path_only),
        },
    };
    let switching = !matches!(mode(value)?, Mode::Fixed(_));
    if switching && let Some(m) = m.filter(|m| !m.toolchain_default) {
        if let Some(tc) = &m.toolchain
            && *tc > min_vers
        {
            name = tc.to_string();
            min_vers = tc.clone();
        }
        if let Some(g) = &m.go
            && *g > min_vers
        {
            // A `go 1.22` line asks for go1.22.0, never for a toolchain called go1.22.
            name = g.toolchain_for_go_line();
        }
    }
    if name == local.to_string() {
        return Ok(Target::Local);
    }
    Ok(Target::Other { name, path_only })
}

/// Where the toolchain that will run comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Source {
    /// GOROOT's own go.
    Local,
    /// A `goX.Y.Z` command on PATH (golang.org/dl's wrapper): the go command runs it.
    OnPath(PathBuf),
    /// Downloaded before into the module cache.
    Downloaded(PathBuf),
    /// To be downloaded through GOPROXY (this value) at the first go command.
    Download(String),
    /// The go command will fail instead: why.
    Fails(String),
}

/// The toolchain that will run here, and where it comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Runs {
    pub setting: Setting,
    /// The toolchain name (`go1.22.3`).
    pub name: String,
    /// Its version, when the name is one (a failure may have none).
    pub version: Option<GoVersion>,
    pub source: Source,
    /// GOROOT's SDK is a toolchain the go command downloaded (for [`Source::Local`]).
    pub local_downloaded: bool,
}

impl Runs {
    /// True when the go command hands over to another toolchain than GOROOT's.
    pub(crate) fn switches(&self) -> bool {
        !matches!(self.source, Source::Local)
    }

    /// One line for `wslgo env`.
    pub(crate) fn describe(&self) -> String {
        match &self.source {
            Source::Local if self.version.as_ref().is_some_and(|v| !v.can_switch()) => {
                format!("{} runs: it predates GOTOOLCHAIN (Go 1.21) and never switches", self.name)
            }
            Source::Local => format!(
                "{} runs: GOROOT's own, {} ({})",
                self.name,
                if self.local_downloaded {
                    "already downloaded by the go command"
                } else {
                    "installed"
                },
                self.setting
            ),
            Source::OnPath(p) => format!(
                "the go command runs {} ({}): installed, {} on PATH",
                self.name,
                self.setting,
                p.display()
            ),
            Source::Downloaded(p) => format!(
                "the go command runs {} ({}): already downloaded, {}",
                self.name,
                self.setting,
                p.display()
            ),
            Source::Download(proxy) => format!(
                "the go command runs {} ({}): to be downloaded through GOPROXY={proxy} at the first go command, which needs the network (and the proxy, where one is needed)",
                self.name, self.setting
            ),
            Source::Fails(why) => format!("the go command cannot run {} ({}): {why}", self.name, self.setting),
        }
    }
}

/// Where the toolchain for `target` comes from, as `toolchain.Exec` looks: PATH (the shell's,
/// after the hook), then (unless `path`) the module cache, then a download through GOPROXY.
pub(crate) fn source(target: &Target, path: &[&OsStr], modcache: Option<&Path>, goproxy: &str) -> Source {
    let Target::Other { name, path_only } = target else {
        return Source::Local;
    };
    if let Some(f) = which(path, name) {
        return Source::OnPath(f);
    }
    if *path_only {
        return Source::Fails(format!("GOTOOLCHAIN=path looks for {name} on PATH only, and it is not there"));
    }
    if GoVersion::from_toolchain(name).is_some_and(|v| v.is_lang() && v.can_switch()) {
        return Source::Fails(format!(
            "{name} is a language version, not a toolchain (its releases are {name}.0, {name}.1, ...)"
        ));
    }
    if let Some(dir) = modcache.map(|mc| downloaded_toolchain_dir(mc, name))
        && dir.join("bin/go").is_file()
    {
        return Source::Downloaded(dir);
    }
    if goproxy.split([',', '|']).next().unwrap_or("").trim() == "off" {
        return Source::Fails(format!("it is not downloaded and GOPROXY={goproxy} forbids downloads"));
    }
    Source::Download(goproxy.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> GoVersion {
        GoVersion::parse(s).unwrap()
    }

    fn module(go: &str, tc: Option<&str>) -> Module {
        Module {
            file: "/m/go.mod".into(),
            go: Some(v(go)),
            toolchain: tc.filter(|t| *t != "default").map(|t| GoVersion::from_toolchain(t).unwrap()),
            toolchain_default: tc == Some("default"),
            ..Module::default()
        }
    }

    fn other(name: &str) -> Target {
        Target::Other {
            name: name.into(),
            path_only: false,
        }
    }

    #[test]
    fn modes() {
        assert_eq!(mode(""), Ok(Mode::Local));
        assert_eq!(mode("local"), Ok(Mode::Local));
        assert_eq!(
            mode("auto"),
            Ok(Mode::Switch {
                min: None,
                path_only: false
            })
        );
        assert_eq!(
            mode("path"),
            Ok(Mode::Switch {
                min: None,
                path_only: true
            })
        );
        assert_eq!(mode("go1.22.3"), Ok(Mode::Fixed("go1.22.3".into())));
        assert_eq!(
            mode("go1.22.3+auto"),
            Ok(Mode::Switch {
                min: Some("go1.22.3".into()),
                path_only: false
            })
        );
        assert_eq!(
            mode("local+path"),
            Ok(Mode::Switch {
                min: None,
                path_only: true
            })
        );
        assert!(mode("bash").is_err());
        assert!(mode("go1.22.3+never").is_err());
    }

    #[test]
    fn selection_as_cmd_go() {
        let l = v("1.21.5");
        let m122 = module("1.22", None);
        let tc = module("1.22", Some("go1.22.3"));
        // auto: a `go 1.22` line asks for go1.22.0, never "go1.22".
        assert_eq!(select(&l, "auto", Some(&m122)), Ok(other("go1.22.0")));
        assert_eq!(select(&l, "auto", Some(&tc)), Ok(other("go1.22.3")));
        assert_eq!(select(&l, "local", Some(&tc)), Ok(Target::Local));
        assert_eq!(select(&l, "", Some(&tc)), Ok(Target::Local), "unset everywhere = local");
        assert_eq!(select(&l, "auto", Some(&module("1.21", None))), Ok(Target::Local));
        assert_eq!(select(&l, "auto", None), Ok(Target::Local));
        assert_eq!(
            select(&l, "path", Some(&m122)),
            Ok(Target::Other {
                name: "go1.22.0".into(),
                path_only: true
            })
        );
        // A fixed version always runs, whatever the module says.
        assert_eq!(select(&l, "go1.21.0", Some(&tc)), Ok(other("go1.21.0")));
        assert_eq!(select(&l, "go1.21.5", Some(&tc)), Ok(Target::Local));
        // A minimum with +auto: the module can only raise it.
        assert_eq!(select(&l, "go1.23.1+auto", Some(&tc)), Ok(other("go1.23.1")));
        assert_eq!(select(&l, "go1.21.0+auto", Some(&tc)), Ok(other("go1.22.3")));
        // toolchain default: only the configured minimum.
        let dflt = module("1.22", Some("default"));
        assert_eq!(select(&l, "auto", Some(&dflt)), Ok(Target::Local));
        // The local SDK already newer than both lines.
        assert_eq!(select(&v("1.23.0"), "auto", Some(&tc)), Ok(Target::Local));
        // Before 1.21 GOTOOLCHAIN means nothing.
        assert_eq!(select(&v("1.19.8"), "auto", Some(&tc)), Ok(Target::Local));
        assert!(select(&l, "bash", Some(&tc)).is_err());
        // Pre-1.21 lang versions keep their name; 1.21+ ones get .0.
        assert_eq!(v("1.22").toolchain_for_go_line(), "go1.22.0");
        assert_eq!(v("1.22.3").toolchain_for_go_line(), "go1.22.3");
        assert_eq!(v("1.21rc2").toolchain_for_go_line(), "go1.21rc2");
    }

    #[test]
    fn settings_in_go_order() {
        let p = Path::new("/c/go/env");
        let r = Path::new("/sdk");
        let s = setting(Some(OsStr::new("local")), Some((OsStr::new("auto"), p)), None);
        assert_eq!((s.value.as_str(), &s.from), ("local", &From::Env));
        let s = setting(Some(OsStr::new("")), Some((OsStr::new("auto"), p)), Some((OsStr::new("local"), r)));
        assert_eq!((s.value.as_str(), &s.from), ("auto", &From::File(p.into())));
        let s = setting(None, None, Some((OsStr::new("go1.22.3"), r)));
        assert_eq!(s.from, From::SdkEnv("/sdk/go.env".into()));
        assert_eq!(setting(None, None, None).from, From::Nowhere);
    }

    #[test]
    fn sources() {
        let d = std::env::temp_dir().join(format!("wslgo-tcsrc-{}", std::process::id()));
        let tc = downloaded_toolchain_dir(&d, "go1.22.3");
        std::fs::create_dir_all(tc.join("bin")).unwrap();
        std::fs::write(tc.join("bin/go"), "").unwrap();
        let none: [&OsStr; 0] = [];
        assert_eq!(source(&other("go1.22.3"), &none, Some(&d), "x"), Source::Downloaded(tc));
        assert!(matches!(source(&other("go1.22.4"), &none, Some(&d), "https://p"), Source::Download(p) if p == "https://p"));
        assert!(matches!(source(&other("go1.22.4"), &none, Some(&d), "off"), Source::Fails(_)));
        assert!(matches!(source(&other("go1.22"), &none, Some(&d), "https://p"), Source::Fails(w) if w.contains("language version")));
        let path_only = Target::Other {
            name: "go1.22.3".into(),
            path_only: true,
        };
        assert!(matches!(source(&path_only, &none, Some(&d), "x"), Source::Fails(w) if w.contains("PATH")));
        assert_eq!(source(&Target::Local, &none, None, "x"), Source::Local);
        std::fs::remove_dir_all(&d).unwrap();
    }
}
