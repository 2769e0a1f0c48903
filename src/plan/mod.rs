//! Plan: from what the probes found to the environment this shell should have.
//!
//! Each concern (locale, Go SDK, CPU and memory limits, proxy, startup files, working
//! directory) is one submodule with one entry point, `plan(&Ctx, &mut Plan)`. They are pure
//! functions of the [`Ctx`] (the system behind the sysroot, the shell's variables, the config)
//! and write down, for every variable they manage, the value wanted or its removal, and why.
//! What the shell then has to do is worked out by [`crate::diff`] against the shell's state.

use crate::config::Config;
use crate::probe::Facts;
use crate::probe::wsl::Platform;
use crate::shell::Shell;
use crate::shellenv::ShellEnv;
use crate::state::State;
use crate::sysroot::Sys;
use crate::warn::Warning;
use std::ffi::{OsStr, OsString};
use std::path::PathBuf;

pub(crate) mod go;
pub(crate) mod limits;
pub(crate) mod locale;
pub mod proxy;
pub(crate) mod startup;
pub(crate) mod workdir;

/// Everything a planner may look at.
pub(crate) struct Ctx<'a> {
    pub sys: &'a Sys,
    /// The probes of this run, each read at most once (shared by every planner).
    pub facts: &'a Facts<'a>,
    pub env: &'a ShellEnv,
    pub cfg: &'a Config,
    pub platform: &'a Platform,
    /// The shell's wslgo state (who owns which variable).
    pub state: &'a State,
    /// The shell's working directory (`$PWD`).
    pub cwd: PathBuf,
    pub shell: Option<Shell>,
    /// A login shell (bash `shopt login_shell`, zsh `[[ -o login ]]`).
    pub login: bool,
    /// The first prompt of this shell session: one-off checks (startup files) run then, once
    /// the rc files have finished.
    pub first_prompt: bool,
    /// `wslgo init`'s refresh: the variables the shell started with are there as it started.
    pub init: bool,
    /// `wslgo env`/`doctor` rather than the prompt hook: a planner may take longer (e.g. wait
    /// for a proxy probe it would otherwise leave to the background).
    pub interactive: bool,
}

impl Ctx<'_> {
    /// The user's own value of a variable: the current one when the user owns it, the one it
    /// had before wslgo when wslgo set it. Planners decide "keep the user's value" on this.
    pub(crate) fn prior(&self, name: &str) -> Option<&OsStr> {
        self.state.prior(name, self.env.get(name))
    }

    /// True when the user set (or unset) the variable in this shell after wslgo first saw it:
    /// that value is theirs whatever it is. False for an inherited value (SPEC 3).
    pub fn set_later(&self, name: &str) -> bool {
        self.state.set_later(name, self.env.get(name))
    }

    /// [`Ctx::prior`] as text, `None` when unset, empty or not UTF-8.
    pub(crate) fn prior_str(&self, name: &str) -> Option<&str> {
        self.prior(name).and_then(|v| v.to_str()).filter(|s| !s.is_empty())
    }
}

/// What one variable should be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Desired {
    pub name: &'static str,
    /// `Some(v)`: export `v`. `None`: wslgo wants it absent (unset only if wslgo owns it).
    pub value: Option<OsString>,
    /// Why, in a few words, for `wslgo env`.
    pub reason: String,
    /// The user's current value is broken and is to be replaced anyway (SPEC 3's two
    /// exceptions: a LANG/LC_ALL naming an unavailable locale, a GOROOT that is not an SDK).
    pub replace_user: bool,
}

/// A directory wslgo puts on PATH.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PathEntry {
    pub dir: OsString,
    pub reason: String,
}

/// The environment this shell should have.
#[derive(Debug, Clone, Default)]
pub(crate) struct Plan {
    pub vars: Vec<Desired>,
    /// Entries that go first on PATH, in this order (GOROOT/bin).
    pub path_front: Vec<PathEntry>,
    /// Entries that go last on PATH, in this order (GOPATH/bin).
    pub path_back: Vec<PathEntry>,
    pub warnings: Vec<Warning>,
    /// Lines for `wslgo env` that explain choices not tied to one variable (SDKs found, the
    /// proxy host and how it was found, the cgroup that set a limit).
    pub notes: Vec<String>,
    /// What `auto` config keys resolve to now (`proxy.host`, `proxy.port`, ...) when no single
    /// variable shows it, for `wslgo config show`.
    pub resolved: Vec<(&'static str, String)>,
    /// Variables whose row `wslgo env` shows even when nothing changes, because the reason is
    /// worth reading (LC_ALL left out over the user's own LC_TIME).
    pub explain: Vec<&'static str>,
    /// An adoption of the proxy variables made by this refresh, for the state (SPEC 5.4).
    pub adopted: Option<crate::state::Adoption>,
}

impl Plan {
    /// Wants `name` exported as `value`.
    pub(crate) fn set(&mut self, name: &'static str, value: impl Into<OsString>, reason: impl Into<String>) {
        self.put(Desired {
            name,
            value: Some(value.into()),
            reason: reason.into(),
            replace_user: false,
        });
    }

    /// Wants `name` absent (removed if wslgo set it; a user's value stays).
    pub(crate) fn unset(&mut self, name: &'static str, reason: impl Into<String>) {
        self.put(Desired {
            name,
            value: None,
            reason: reason.into(),
            replace_user: false,
        });
    }

    /// Records a desire, replacing an earlier one for the same variable.
    pub(crate) fn put(&mut self, d: Desired) {
        match self.vars.iter_mut().find(|v| v.name == d.name) {
            Some(v) => *v = d,
            None => self.vars.push(d),
        }
    }

    pub(crate) fn get(&self, name: &str) -> Option<&Desired> {
        self.vars.iter().find(|v| v.name == name)
    }

    pub(crate) fn warn(&mut self, w: Warning) {
        if !self.warnings.iter().any(|x| x.id == w.id && x.subject == w.subject) {
            self.warnings.push(w);
        }
    }

    pub(crate) fn note(&mut self, line: impl Into<String>) {
        self.notes.push(line.into());
    }

    /// Records what a config key (`section.key`) resolves to now.
    pub fn resolve(&mut self, key: &'static str, what: impl Into<String>) {
        self.resolved.retain(|(k, _)| *k != key);
        self.resolved.push((key, what.into()));
    }
}

/// Runs every planner, in the order their variables depend on each other.
pub(crate) fn plan(ctx: &Ctx) -> Plan {
    let mut p = Plan::default();
    locale::plan(ctx, &mut p);
    go::plan(ctx, &mut p);
    startup::plan(ctx, &mut p);
    workdir::plan(ctx, &mut p);
    proxy::plan(ctx, &mut p);
    limits::plan(ctx, &mut p);
    p
}
