//! `wslgo deactivate <shell>`: every variable back to its value before wslgo; hook removed.

use crate::diff;
use crate::plan::Shell;
use crate::render;
use crate::shellenv::ShellEnv;
use crate::state::{self, State};

pub fn code(env: &ShellEnv, shell: Shell) -> Vec<u8> {
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

pub fn run(shell: Shell) -> i32 {
    let env = ShellEnv::from_process();
    let st = State::decode(env.get(state::VAR));
    for name in &st.lost {
        if st.original_lost(name) && st.owner(name, env.get(name)) == state::Owner::Wslgo {
            eprintln!("wslgo: {name}: its value before wslgo was too long to keep; it is unset instead of restored");
        }
    }
    super::emit(&code(&env, shell));
    0
}
