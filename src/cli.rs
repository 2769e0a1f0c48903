//! The command line (SPEC 2).

use crate::shell::Shell;
use clap::{Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "wslgo",
    version,
    about = "A correct, current Go environment on every WSL2 prompt",
    propagate_version = true
)]
pub struct Cli {
    /// When to use colour (NO_COLOR is respected).
    #[arg(long, global = true, value_enum, default_value_t = Color::Auto)]
    pub color: Color,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}

/// The shells `wslgo completions` writes for (the same three `init` supports).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CompletionShell {
    Bash,
    Zsh,
    Fish,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print the snippet for the rc file: eval "$(wslgo init zsh)", or in fish: wslgo init fish | source
    Init {
        #[arg(value_enum)]
        shell: Shell,
    },
    /// Print the shell code that moves the current environment to the desired one
    Hook {
        #[arg(value_enum)]
        shell: Shell,
        /// The shell is a login shell (the snippet passes this)
        #[arg(long)]
        login: bool,
        /// The first prompt of the session: run the one-off startup checks
        #[arg(long)]
        first: bool,
    },
    /// Add the init line to the right rc file, once (a backup first; says how to undo it)
    Setup {
        /// The shell (default: the one $SHELL names)
        #[arg(value_enum)]
        shell: Option<Shell>,
        /// Say what would change, change nothing
        #[arg(long)]
        dry_run: bool,
    },
    /// Show the desired environment and why
    Env {
        /// Print JSON (SPEC 7)
        #[arg(long)]
        json: bool,
    },
    /// Check the setup against every known WSL + Go trap; exit 1 when any check fails
    Doctor {
        /// Print JSON (SPEC 7)
        #[arg(long)]
        json: bool,
    },
    /// Print code that restores every variable to its value before wslgo, and removes the hook
    Deactivate {
        #[arg(value_enum)]
        shell: Shell,
    },
    /// Print the completion script for a shell (the same files are under completions/)
    Completions {
        #[arg(value_enum)]
        shell: CompletionShell,
    },
    /// Where the config is, write a default, validate it, print the effective config
    Config {
        #[command(subcommand)]
        action: ConfigAction,
    },
    /// Background proxy liveness probe: started detached by the prompt hook when a connect
    /// did not answer within the prompt's budget; writes the liveness cache.
    #[command(hide = true)]
    ProbeProxy {
        host: String,
        #[arg(required = true)]
        ports: Vec<u16>,
    },
    /// Background lookup of the Windows system proxy (reg.exe through interop, bounded to 3 s):
    /// started detached by the prompt hook when its cached result is older than 10 minutes.
    #[command(hide = true)]
    ProbeWinproxy,
}

#[derive(Debug, Subcommand)]
pub enum ConfigAction {
    /// Print where the config file is (or would be)
    Path,
    /// Write the commented default config (refuses to overwrite)
    Init {
        /// Overwrite an existing file
        #[arg(long)]
        force: bool,
    },
    /// Validate the config file; exit 1 when it has problems
    Check,
    /// Print the effective config (the file over the defaults) as TOML
    Show,
}

/// clap's glue for [`Shell`], kept here so the shell kinds stay free of clap.
impl ValueEnum for Shell {
    fn value_variants<'a>() -> &'a [Self] {
        &Shell::ALL
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(self.name()))
    }
}
