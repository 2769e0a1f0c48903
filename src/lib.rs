//! wslgo: a correct, current Go environment on every WSL2 prompt.
//!
//! The data flow is the module layout: [`probe`] reads the system (behind [`sysroot`]),
//! [`plan`] decides the environment this shell should have, [`diff`] works out what changes
//! against the shell's [`state`], and [`render`] prints it for one shell. [`cmd`] holds the
//! commands, thin layers over that pipeline.

pub mod arena;
pub mod cli;
pub mod cmd;
pub mod completions;
pub mod config;
pub(crate) mod diff;
pub(crate) mod doctor;
pub(crate) mod hash;
pub mod manpage;
pub(crate) mod paths;
pub mod plan;
pub mod probe;
pub(crate) mod quote;
pub mod render;
pub mod shell;
pub mod shellenv;
pub(crate) mod state;
pub mod sysroot;
pub(crate) mod warn;

/// The two commands a shell runs by itself, recognised without clap (building clap's command
/// tree costs about a tenth of a refresh): `wslgo hook <bash|zsh|fish> [--login] [--first]` at
/// a prompt and `wslgo init <bash|zsh|fish>` at shell start; and `wslgo init zsh --inline`,
/// which only the zsh snippet runs (when its functions' file went away: src/cmd/zshfile.rs),
/// so it is no part of the CLI that help and completions show. `None` for anything else (clap
/// then parses it, errors and all).
pub fn fast_hook(args: &[std::ffi::OsString]) -> Option<i32> {
    let mut it = args.iter().skip(1).map(|a| a.to_str());
    let cmd = it.next()??;
    if cmd != "hook" && cmd != "init" {
        return None;
    }
    let shell = match it.next()?? {
        "bash" => shell::Shell::Bash,
        "zsh" => shell::Shell::Zsh,
        "fish" => shell::Shell::Fish,
        _ => return None,
    };
    if cmd == "init" {
        return match it.next() {
            None => Some(cmd::init::run(shell, false)),
            Some(Some("--inline")) if it.next().is_none() => Some(cmd::init::run(shell, true)),
            _ => None,
        };
    }
    let (mut login, mut first) = (false, false);
    for a in it {
        match a? {
            "--login" if !login => login = true,
            "--first" if !first => first = true,
            _ => return None,
        }
    }
    Some(cmd::hook::run(shell, login, first))
}

/// Runs the command line; returns the exit code.
pub fn main_with(cli: cli::Cli) -> i32 {
    use cli::Command;
    match &cli.command {
        Command::Init { shell } => cmd::init::run(*shell, false),
        Command::Hook { shell, login, first } => cmd::hook::run(*shell, *login, *first),
        Command::Setup { shell, dry_run } => cmd::setup::run(*shell, *dry_run),
        Command::Env { all, json, color } => cmd::env::run(*all, *json, color.color),
        Command::Doctor { json, color } => doctor::run(*json, color.color),
        Command::Deactivate { shell } => cmd::deactivate::run(*shell),
        Command::Completions { shell } => completions::run(*shell),
        Command::Config { action } => cmd::config::run(action),
        Command::ProbeProxy { host, ports } => {
            probe::proxy::run_background(&shellenv::ShellEnv::from_process(), host, ports, probe::proxy::BACKGROUND_WAIT)
        }
        Command::ProbeWinproxy => {
            let env = shellenv::ShellEnv::from_process();
            let sys = sysroot::Sys::from_env();
            let host = plan::proxy::windows_host(&sys, &env).ok().map(|h| h.addr);
            probe::winproxy::run_background(&env, &sys, host.as_deref())
        }
    }
}
