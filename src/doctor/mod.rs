//! `wslgo doctor [--json]`: every known WSL + Go setup trap, checked on demand (SPEC 7, 8).
//!
//! Doctor is not the prompt hook: it may take a second (one bounded network probe), but it
//! never hangs and never trusts the system. It runs no whole plan: each group of checks reads
//! the same probes the hook reads, through one lazily filled [`Input`] (each probe runs at most
//! once per doctor run), and reuses the planners' pure rules (the Windows host, the locale
//! candidates, GOMAXPROCS sizing, the startup-file fix) rather than keeping copies of them.
//! The decisions are plain functions of what was found, so unit tests can drive them with data
//! and integration tests with fake trees (`WSLGO_SYSROOT`).
//!
//! Every check answers with a [`Status`]: `ok`, `warn` (a trap that costs time or surprises),
//! `fail` (broken or unsafe: Go cannot work, or checksums are off), or `skip` with the reason
//! (not WSL, nothing to look at, could not read). A file that cannot be read never aborts the
//! run: the check that needed it says what it could not read.
//!
//! The groups are the modules: [`wsl`] (WSL itself and Windows drives), [`net`] (DNS, the
//! Windows host, the proxy), [`limits`] (cgroups and GOMAXPROCS), [`locale`], [`go`] (SDK,
//! GOPATH, `go env -w`, cgo) and [`shell`] (rc files and startup files).

pub(crate) mod cgo;
pub(crate) mod gitproxy;
pub(crate) mod go;
pub(crate) mod goenv;
pub(crate) mod limits;
pub(crate) mod locale;
pub(crate) mod net;
pub(crate) mod shell;
pub(crate) mod windows;
pub(crate) mod wsl;
pub(crate) mod wslconf;
pub(crate) mod wslconfig;

use crate::cli::Color;
use crate::config::Config;
use crate::probe::Facts;
use crate::probe::mountinfo::Mount;
use crate::probe::wsl::Platform;
use crate::shellenv::ShellEnv;
use crate::sysroot::Sys;
use serde::Serialize;
use std::cell::OnceCell;
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Status {
    Ok,
    Warn,
    Fail,
    Skip,
}

impl Status {
    pub(crate) fn word(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Warn => "warn",
            Status::Fail => "fail",
            Status::Skip => "skip",
        }
    }
}

/// The result of one check (SPEC 7's `checks[]` entry).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Check {
    pub id: &'static str,
    pub status: Status,
    /// One line: the verdict and the facts behind it.
    pub summary: String,
    /// A command or edit the user can paste; empty for `ok` and `skip`.
    pub fix: String,
}

impl Check {
    pub(crate) fn ok(id: &'static str, summary: impl Into<String>) -> Check {
        Check::new(id, Status::Ok, summary, "")
    }
    pub(crate) fn warn(id: &'static str, summary: impl Into<String>, fix: impl Into<String>) -> Check {
        Check::new(id, Status::Warn, summary, fix)
    }
    pub(crate) fn fail(id: &'static str, summary: impl Into<String>, fix: impl Into<String>) -> Check {
        Check::new(id, Status::Fail, summary, fix)
    }
    pub(crate) fn skip(id: &'static str, why: impl Into<String>) -> Check {
        Check::new(id, Status::Skip, why, "")
    }
    fn new(id: &'static str, status: Status, summary: impl Into<String>, fix: impl Into<String>) -> Check {
        Check {
            id,
            status,
            summary: crate::warn::one_line(&summary.into()),
            fix: crate::warn::one_line(&fix.into()),
        }
    }
}

/// The groups of the human output, in order, with their check ids (SPEC 8's ids, each once).
pub(crate) const GROUPS: &[(&str, &[&str])] = &[
    (
        "WSL",
        &[
            "wsl.version",
            "wsl.kernel",
            "wsl.conf",
            "wsl.wslconfig",
            "wsl.winpath",
            "drvfs.metadata",
            "drvfs.workdir",
        ],
    ),
    ("network", &["dns.resolv", "net.host", "proxy.reach", "git.proxy"]),
    ("cgroup/limits", &["cgroup.version", "go.maxprocs"]),
    ("locale", &["locale.utf8"]),
    (
        "Go",
        &[
            "go.sdk",
            "go.shadowed",
            "go.path",
            "go.gopath_bin",
            "go.goroot_owner",
            "go.env",
            "cgo.toolchain",
        ],
    ),
    ("shell", &["shell.startup", "shell.hook"]),
];

/// What every check may look at, read once.
pub(crate) struct Input<'a> {
    pub sys: &'a Sys,
    pub env: &'a ShellEnv,
    pub cfg: &'a Config,
    pub platform: Platform,
    /// The probes, each read at most once per doctor run (shared with the planners' rules).
    pub facts: Facts<'a>,
    /// The `go env -w` file, read on first use.
    env_file: OnceCell<goenv::EnvFile>,
    /// GOROOT, GOPATH, GOMODCACHE, GOBIN and the toolchain (the hook's resolver), on first use.
    go: OnceCell<crate::plan::go::GoEnv>,
    /// `/etc/wsl.conf`, parsed (see [`wslconf`]).
    pub wslconf: wslconf::Read,
    pub home: PathBuf,
}

impl<'a> Input<'a> {
    pub(crate) fn probe(sys: &'a Sys, env: &'a ShellEnv, cfg: &'a Config) -> Input<'a> {
        let platform = Platform::detect(sys, env.is_set("WSL_DISTRO_NAME"));
        Input {
            sys,
            env,
            cfg,
            platform,
            facts: Facts::new(sys),
            env_file: OnceCell::new(),
            go: OnceCell::new(),
            wslconf: wslconf::read(sys),
            home: env.home(),
        }
    }

    /// The `go env -w` file (read once per run).
    pub(crate) fn env_file(&self) -> &goenv::EnvFile {
        self.env_file.get_or_init(|| goenv::env_file(self.env))
    }

    /// GOROOT, GOPATH, GOMODCACHE, GOBIN and the toolchain (resolved once per run).
    pub(crate) fn go(&self) -> &crate::plan::go::GoEnv {
        self.go.get_or_init(|| goenv::resolve_go(self))
    }

    /// `/proc/self/mountinfo`, or why it could not be read.
    pub(crate) fn mounts(&self) -> Result<&[Mount], String> {
        match self.facts.mounts() {
            Ok([]) => Err("/proc/self/mountinfo is empty".to_string()),
            Ok(m) => Ok(m),
            Err(e) => Err(format!("cannot read /proc/self/mountinfo: {}", io_why(e))),
        }
    }

    /// The reason WSL-only checks skip, `None` on WSL.
    pub(crate) fn not_wsl(&self) -> Option<String> {
        if self.platform.is_wsl() {
            return None;
        }
        Some(if self.platform.kernel.is_empty() {
            "not WSL (cannot read /proc/sys/kernel/osrelease)".to_string()
        } else if self.platform.kernel.contains("WSL") || self.platform.kernel.contains("microsoft-standard") {
            format!("not a WSL distro (a container on WSL's kernel {})", self.platform.kernel)
        } else {
            format!("not WSL (kernel {})", self.platform.kernel)
        })
    }
}

/// An I/O error in a few words (the probes' rule: `wslgo env` and doctor say it alike).
pub(crate) use crate::sysroot::io_why;

/// Runs every check, in the order of [`GROUPS`].
pub(crate) fn checks(inp: &Input) -> Vec<Check> {
    let mut all = Vec::new();
    all.extend(wsl::checks(inp));
    all.push(wslconfig::check(inp));
    all.push(windows::winpath(inp));
    all.push(gitproxy::check(inp));
    all.extend(net::checks(inp));
    all.extend(limits::checks(inp));
    all.extend(locale::checks(inp));
    all.extend(go::checks(inp));
    all.extend(shell::checks(inp));
    let order = |id: &str| {
        GROUPS
            .iter()
            .flat_map(|(_, ids)| ids.iter())
            .position(|x| *x == id)
            .unwrap_or(usize::MAX)
    };
    all.sort_by_key(|c| order(c.id));
    all
}

/// `{"ok": n, "warn": n, "fail": n, "skip": n}`.
pub(crate) fn counts(checks: &[Check]) -> [(Status, usize); 4] {
    [Status::Ok, Status::Warn, Status::Fail, Status::Skip].map(|s| (s, checks.iter().filter(|c| c.status == s).count()))
}

/// SPEC 7's JSON shape (fields in the order SPEC 7 lists them).
pub(crate) fn to_json(checks: &[Check]) -> String {
    #[derive(Serialize)]
    struct Counts {
        ok: usize,
        warn: usize,
        fail: usize,
        skip: usize,
    }
    #[derive(Serialize)]
    struct Out<'a> {
        checks: &'a [Check],
        counts: Counts,
    }
    let [ok, warn, fail, skip] = counts(checks).map(|(_, n)| n);
    let out = Out {
        checks,
        counts: Counts { ok, warn, fail, skip },
    };
    format!("{}\n", serde_json::to_string_pretty(&out).unwrap_or_default())
}

/// The human report: grouped, aligned, one line per check, the fix indented under it.
pub(crate) fn to_human(checks: &[Check], color: bool) -> String {
    let (bold, dim, reset) = if color { ("\x1b[1m", "\x1b[2m", "\x1b[0m") } else { ("", "", "") };
    let paint = |s: Status| -> &'static str {
        if !color {
            return "";
        }
        match s {
            Status::Ok => "\x1b[32m",
            Status::Warn => "\x1b[33m",
            Status::Fail => "\x1b[31m",
            Status::Skip => "\x1b[2m",
        }
    };
    let idw = checks.iter().map(|c| c.id.len()).max().unwrap_or(0);
    let mut out = String::new();
    for (group, ids) in GROUPS {
        let in_group: Vec<&Check> = checks.iter().filter(|c| ids.contains(&c.id)).collect();
        if in_group.is_empty() {
            continue;
        }
        out.push_str(&format!("{bold}{group}{reset}\n"));
        for c in in_group {
            let word = c.status.word();
            out.push_str(&format!("  {}{word:<4}{reset}  {:<idw$}  {}\n", paint(c.status), c.id, c.summary));
            if !c.fix.is_empty() && matches!(c.status, Status::Warn | Status::Fail) {
                out.push_str(&format!("  {:<4}  {:<idw$}  {dim}fix: {}{reset}\n", "", "", c.fix));
            }
        }
    }
    let n = counts(checks);
    let line: Vec<String> = n.iter().map(|(s, k)| format!("{k} {}", s.word())).collect();
    out.push_str(&format!("\n{bold}{}{reset}\n", line.join(", ")));
    out
}

/// The exit code: 1 when any check failed.
pub(crate) fn exit_code(checks: &[Check]) -> i32 {
    i32::from(checks.iter().any(|c| c.status == Status::Fail))
}

pub(crate) fn run(json: bool, color: Color) -> i32 {
    let env = ShellEnv::from_process();
    let sys = Sys::from_env();
    let loaded = crate::config::load_from(&crate::config::path_from(&env), &env, None);
    let inp = Input::probe(&sys, &env, &loaded.config);
    let all = checks(&inp);
    if json {
        crate::cmd::emit(to_json(&all).as_bytes());
    } else {
        let c = crate::cmd::use_color(color, false);
        crate::cmd::emit(to_human(&all, c).as_bytes());
    }
    exit_code(&all)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_spec_id_once_in_groups() {
        let spec = [
            "wsl.version",
            "wsl.kernel",
            "wsl.conf",
            "drvfs.metadata",
            "wsl.winpath",
            "wsl.wslconfig",
            "git.proxy",
            "drvfs.workdir",
            "cgroup.version",
            "locale.utf8",
            "dns.resolv",
            "net.host",
            "proxy.reach",
            "go.sdk",
            "go.shadowed",
            "go.path",
            "go.gopath_bin",
            "go.goroot_owner",
            "go.env",
            "go.maxprocs",
            "shell.startup",
            "shell.hook",
            "cgo.toolchain",
        ];
        let ids: Vec<&str> = GROUPS.iter().flat_map(|(_, ids)| ids.iter().copied()).collect();
        assert_eq!(ids.len(), spec.len());
        for s in spec {
            assert_eq!(ids.iter().filter(|i| **i == s).count(), 1, "{s}");
        }
    }

    #[test]
    fn human_aligns_and_counts() {
        let cs = vec![
            Check::ok("wsl.version", "WSL2"),
            Check::fail("go.env", "GOSUMDB=off", "go env -u GOSUMDB"),
            Check::skip("proxy.reach", "proxy.mode = off"),
        ];
        let h = to_human(&cs, false);
        assert!(h.contains("  ok    wsl.version  WSL2\n"), "{h}");
        assert!(
            h.contains("  fail  go.env       GOSUMDB=off\n                     fix: go env -u GOSUMDB\n"),
            "{h}"
        );
        assert!(h.ends_with("\n1 ok, 0 warn, 1 fail, 1 skip\n"), "{h}");
        assert!(!h.contains('\x1b'));
        assert!(to_human(&cs, true).contains("\x1b[31mfail"));
        assert_eq!(exit_code(&cs), 1);
        let j: serde_json::Value = serde_json::from_str(&to_json(&cs)).unwrap();
        assert_eq!(j["counts"]["fail"], 1);
        assert_eq!(j["checks"][1]["status"], "fail");
    }
}
