//! What the probes found, each read at most once per run: a refresh and a doctor run share one
//! [`Facts`], and every planner or check that needs a probe asks it here, so a file like
//! `/proc/self/mountinfo` is opened once however many concerns look at the mounts.

use crate::probe::mountinfo::{self, Mount};
use crate::sysroot::Sys;
use std::cell::OnceCell;

/// The probes of one run, filled lazily.
pub(crate) struct Facts<'a> {
    pub sys: &'a Sys,
    mounts: OnceCell<std::io::Result<Vec<Mount>>>,
}

impl<'a> Facts<'a> {
    pub(crate) fn new(sys: &'a Sys) -> Facts<'a> {
        Facts {
            sys,
            mounts: OnceCell::new(),
        }
    }

    /// `/proc/self/mountinfo`, parsed (read on first use).
    pub(crate) fn mounts(&self) -> Result<&[Mount], &std::io::Error> {
        self.mounts.get_or_init(|| mountinfo::read(self.sys)).as_deref()
    }
}
