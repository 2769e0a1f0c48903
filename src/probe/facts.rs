//! What the probes found, each read at most once per run: a refresh and a doctor run share one
//! [`Facts`], and every planner or check that needs a probe asks it here, so a file like
//! `/proc/self/mountinfo` is opened once however many concerns look at the mounts.

use crate::probe::locale::Locales;
use crate::probe::memo::Memo;
use crate::probe::mountinfo::{self, Mount};
use crate::sysroot::Sys;
use std::cell::OnceCell;

/// The probes of one run, filled lazily.
pub(crate) struct Facts<'a> {
    pub sys: &'a Sys,
    /// The discovery cache the shell carried (off for doctor and `wslgo env`).
    pub memo: Memo,
    mounts: OnceCell<std::io::Result<Vec<Mount>>>,
    locales: OnceCell<Locales>,
}

impl<'a> Facts<'a> {
    /// Probes that read everything afresh.
    pub(crate) fn new(sys: &'a Sys) -> Facts<'a> {
        Facts::with_memo(sys, Memo::off())
    }

    /// Probes that take what they can from the shell's discovery cache.
    pub(crate) fn with_memo(sys: &'a Sys, memo: Memo) -> Facts<'a> {
        Facts {
            sys,
            memo,
            mounts: OnceCell::new(),
            locales: OnceCell::new(),
        }
    }

    /// `/proc/self/mountinfo`, parsed (read on first use).
    pub(crate) fn mounts(&self) -> Result<&[Mount], &std::io::Error> {
        self.mounts.get_or_init(|| mountinfo::read(self.sys)).as_deref()
    }

    /// The locales the system offers (probed on first use, or from the discovery cache).
    pub(crate) fn locales(&self) -> &Locales {
        self.locales.get_or_init(|| {
            let [a, b, c] = Locales::keys(self.sys);
            self.memo.locales([&a, &b, &c], || Locales::probe(self.sys))
        })
    }
}
