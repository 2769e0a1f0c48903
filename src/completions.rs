//! Completion scripts registered by `wslgo init`. Issue 8 brings them; until then init
//! registers none.

use crate::plan::Shell;

/// The completion code spliced into the init snippet.
pub fn for_init(_shell: Shell) -> &'static str {
    ""
}
