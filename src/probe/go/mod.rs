//! Go SDKs and Go modules on disk (SPEC 5.2), found without ever running `go`.
//!
//! An SDK is a directory with an executable `bin/go` and a `VERSION` file whose first line is
//! `goX.Y[.Z]` (a release) or `goX.YrcN`-style (a pre-release). Running `go version` would cost
//! a process per candidate on a hot path, and `go` itself may be the broken thing.
//!
//! Versions compare as the go command's own `internal/gover` does, so wslgo and go agree on
//! what "new enough" means: `1.21 < 1.21rc1 < 1.21.0 < 1.21.1`, and before Go 1.21 a missing
//! patch is `.0` (`1.20 == 1.20.0`).
//!
//! Everything read here may be hostile: a `VERSION` of garbage, a `go.mod` of 10 MB of random
//! bytes, a FIFO named `go.mod`, symlink loops, directories 200 levels deep, unreadable
//! directories. Every read is bounded, FIFOs and devices are never opened, symlink chains are
//! cut after [`MAX_LINKS`], and the walk up from the working directory stops after
//! [`MAX_LEVELS`].

pub(crate) mod env_file;
pub(crate) mod module;
pub(crate) mod sdk;
#[cfg(test)]
mod tests;
pub(crate) mod version;

pub(crate) use env_file::*;
pub(crate) use module::*;
pub(crate) use sdk::*;
pub(crate) use version::*;
