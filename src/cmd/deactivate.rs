//! `wslgo deactivate <shell>`: every variable back to its value before wslgo; hook removed.

use crate::diff;
use crate::plan::Shell;
use crate::render;
use crate::shellenv::ShellEnv;
use crate::state::{self, State};

pub fn code(env: &ShellEnv, shell: Shell) -> Vec<u8> {
    let st = State::decode(env.get(state::VAR));
    let mut out = Vec::new();
    render::changes(&mut out, shell, &diff::restore(env, &st));
    render::unset(&mut out, shell, state::VAR);
    render::unset(&mut out, shell, super::hook::CFG_VAR);
    out.extend_from_slice(match shell {
        Shell::Bash => include_bytes!("../../shell/deactivate.bash").as_slice(),
        Shell::Zsh => include_bytes!("../../shell/deactivate.zsh").as_slice(),
        Shell::Fish => include_bytes!("../../shell/deactivate.fish").as_slice(),
    });
    out
}

pub fn run(shell: Shell) -> i32 {
    super::emit(&code(&ShellEnv::from_process(), shell));
    0
}
