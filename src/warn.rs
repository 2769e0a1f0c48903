//! Warnings: one line each on stderr, `wslgo: <id>: <what> -- <fix>` (SPEC 6).
//!
//! A probe that sees a trap pushes a [`Warning`] into the plan. Whether it is shown is decided
//! later, against the shell's state (once per session per id and subject) and the config
//! (`warn.disable`, `WSLGO_QUIET=1`).

use serde::Serialize;

/// Every warning id wslgo can show (SPEC 6).
pub(crate) const IDS: &[&str] = &[
    "profile-skipped",
    "go-missing",
    "go-shadowed",
    "go-too-old",
    "drvfs-cwd",
    "proxy-refused",
    "proxy-timeout",
    "locale-missing",
    "config-invalid",
];

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Warning {
    /// One of [`IDS`].
    pub id: &'static str,
    /// What the warning is about (a directory, a host:port, a file): the same id may be shown
    /// again for another subject. Not shown to the user.
    #[serde(skip)]
    pub subject: String,
    /// `<what> -- <fix>`, one line.
    pub message: String,
}

impl Warning {
    pub(crate) fn new(id: &'static str, subject: impl Into<String>, what: impl AsRef<str>, fix: impl AsRef<str>) -> Warning {
        debug_assert!(IDS.contains(&id), "unknown warning id {id}");
        let message = one_line(&format!("{} -- {}", what.as_ref(), fix.as_ref()));
        Warning {
            id,
            subject: subject.into(),
            message,
        }
    }

    /// The line printed on stderr.
    pub(crate) fn line(&self) -> String {
        format!("wslgo: {}: {}", self.id, self.message)
    }

    /// The key under which "already shown" is remembered in the shell's state.
    pub(crate) fn key(&self) -> u64 {
        let mut h = crate::hash::Fnv::new();
        h.write(self.id.as_bytes());
        h.write(&[0]);
        h.write(self.subject.as_bytes());
        h.finish()
    }
}

/// Folds control characters (newlines from a hostile value) so a warning stays one line and
/// cannot move the cursor or recolour the terminal.
pub(crate) fn one_line(s: &str) -> String {
    s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}
