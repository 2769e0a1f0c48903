//! The commands: each a thin layer over probe -> plan -> diff -> render.

pub(crate) mod cachefile;
pub(crate) mod config;
pub(crate) mod deactivate;
pub(crate) mod env;
pub mod hook;
pub(crate) mod init;
pub(crate) mod setup;
pub(crate) mod warm;
pub(crate) mod zshfile;

use crate::cli::Color;
use std::io::{IsTerminal, Write};

/// Writes all of `bytes` to stdout in one go; a closed pipe is not an error worth a panic.
pub(crate) fn emit(bytes: &[u8]) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(bytes);
    let _ = out.flush();
}

/// Whether to colour stream output: `--color`, NO_COLOR, and whether it is a terminal.
pub(crate) fn use_color(c: Color, stderr: bool) -> bool {
    match c {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => {
            let tty = if stderr {
                std::io::stderr().is_terminal()
            } else {
                std::io::stdout().is_terminal()
            };
            tty && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}
