//! `wslgo deactivate <shell>`: every variable back to its value before wslgo; hook removed.

use crate::diff;
use crate::render;
use crate::shell::Shell;
use crate::shellenv::ShellEnv;
use crate::state::{self, State};

pub(crate) fn code(env: &ShellEnv, shell: Shell) -> Vec<u8> {
    let st = State::decode(env.get(state::VAR));
    let mut restore = Vec::new();
    render::changes(&mut restore, shell, &diff::restore(env, &st));
    render::unset(&mut restore, shell, state::VAR);
    render::unset(&mut restore, shell, super::hook::CFG_VAR);
    render::unset(&mut restore, shell, crate::probe::memo::VAR);
    // The template checks that it runs in its own shell around the restore.
    let tpl = match shell {
        Shell::Bash => include_bytes!("../../shell/deactivate.bash").as_slice(),
        Shell::Zsh => include_bytes!("../../shell/deactivate.zsh").as_slice(),
        Shell::Fish => include_bytes!("../../shell/deactivate.fish").as_slice(),
    };
    let mark = b"__WSLGO_RESTORE__\n";
    let at = memchr::memmem::find(tpl, mark).expect("the deactivate template has its placeholder");
    let mut out = Vec::with_capacity(tpl.len() + restore.len());
    out.extend_from_slice(&tpl[..at]);
    out.extend_from_slice(&restore);
    out.extend_from_slice(&tpl[at + mark.len()..]);
    out
}

pub(crate) fn run(shell: Shell) -> i32 {
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
