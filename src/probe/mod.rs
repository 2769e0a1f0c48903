//! Probes: read the system (behind the sysroot) and say what is there. No decisions here;
//! those are the planners' ([`crate::plan`]).

pub mod cgroup;
pub mod facts;
pub mod go;
pub mod interop;
pub mod locale;
pub mod mountinfo;
pub mod proxy;
pub mod route;
pub mod startup;
pub mod winproxy;
pub mod wsl;

pub use facts::Facts;
