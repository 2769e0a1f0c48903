//! Startup files: which ones a shell mode reads, and what `~/.profile` would set (SPEC 5.6).
//!
//! Two questions, both answered by reading shell scripts without running them:
//!
//! 1. Does this shell's startup read `~/.profile`? The files a mode reads are fixed by bash and
//!    zsh (see [`mode_files`]); a file also counts as read when a read file sources it with `.`
//!    or `source` (also inside `emulate sh -c '...'` and `eval '...'`), followed a few levels.
//!    This side is generous: a `. ~/.profile` anywhere (even under a condition or in a function)
//!    counts, because a missed source only costs a warning that the environment check below
//!    then suppresses anyway.
//! 2. What would `~/.profile` have set? `export VAR=value`, `VAR=value; export VAR`, and PATH
//!    additions, with `~`, `$HOME` and `$VAR` expanded, following `if [ -d DIR ]` guards (they
//!    hold only when the directory exists). This side is strict: whatever it cannot understand
//!    (command substitutions, loops, `case`, function bodies, heredocs, an unbalanced quote and
//!    everything after it, a file that is binary, huge beyond the bound, or not a regular file)
//!    is left out, so it never names an entry the shell would not really have set.
//!
//! Lines are tokenized with `shell-words` (quotes and comments), then split into commands on
//! `;`, `&&`, `||`, `|`. Every read is bounded ([`MAX_SCRIPT`]) and refuses FIFOs and devices,
//! so a hostile home directory cannot hang the first prompt.

pub(crate) mod expand;
pub(crate) mod files;
pub(crate) mod lex;
pub(crate) mod profile;
#[cfg(test)]
mod tests;

pub(crate) use expand::Lookup;
pub(crate) use files::{Homes, Script, bash_login_file, fish_config, mode_files, rc_files, reads, source_path, sourced};
pub(crate) use profile::{FsWorld, Settings, lookup_value, profile_settings};

/// The most read of one startup file. Real ones are a few KiB; the cut only guards the prompt.
pub(crate) const MAX_SCRIPT: usize = 256 * 1024;
/// How deep `.`/`source` is followed from the files a mode reads.
pub(super) const MAX_DEPTH: usize = 4;
/// How many files are read at most in one analysis.
pub(super) const MAX_FILES: usize = 32;
