//! `wslgo deactivate <shell>`: every variable back to its value before wslgo; hook removed.

use crate::diff;
use crate::render;
use crate::shell::Shell;
use crate::shellenv::ShellEnv;
use crate::state::{self, State};

pub(crate) fn code(env: &ShellEnv, shell: Shell) -> Vec<u8> {
    let st = State::decode(env.get(state::VAR));
    let mut out = Vec::new();
    render::changes(&mut out, &diff::restore(env, &st));
    render::unset(&mut out, state::VAR);
    render::unset(&mut out, super::hook::CFG_VAR);
    out.extend_from_slice(match shell {
        Shell::Bash => include_bytes!("../../shell/deactivate.bash").as_slice(),
        Shell::Zsh => include_bytes!("../../shell/deactivate.zsh").as_slice(),
    });
    out
}

pub(crate) fn run(shell: Shell) -> i32 {
    super::emit(&code(&ShellEnv::from_process(), shell));
    0
}
