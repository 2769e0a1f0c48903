//! Probes: read the system (behind the sysroot) and say what is there. No decisions here;
//! those are the planners' ([`crate::plan`]).

pub(crate) mod cgroup;
pub(crate) mod facts;
pub(crate) mod go;
pub(crate) mod interop;
pub(crate) mod locale;
pub(crate) mod memo;
pub(crate) mod mountinfo;
pub(crate) mod pac;
pub(crate) mod proxy;
pub mod route;
pub(crate) mod startup;
pub(crate) mod winproxy;
pub mod wsl;

pub(crate) use facts::Facts;
