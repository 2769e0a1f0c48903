//! The command line (SPEC 2).

use crate::shell::Shell;
use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "wslgo",
    version,
    about = "A correct, current Go environment on every WSL2 prompt",
    long_about = "A correct, current Go environment on every WSL2 prompt: a UTF-8 locale, the right Go SDK \
                  on PATH, GOMAXPROCS/GOMEMLIMIT sized to the cgroup limits, proxy variables that follow \
                  the Windows proxy, and a one-line warning for each classic setup trap.\n\n\
                  Add one line to your shell's rc file (or let `wslgo setup` do it):\n  \
                  eval \"$(wslgo init zsh)\"     # ~/.zshrc\n  \
                  eval \"$(wslgo init bash)\"    # ~/.bashrc\n  \
                  wslgo init fish | source     # ~/.config/fish/config.fish\n\n\
                  Then `wslgo env` shows what it sets and why, and `wslgo doctor` checks the whole setup."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}

/// `--color`, on the commands that print coloured text.
#[derive(Debug, Clone, Copy, Args)]
pub struct ColorArg {
    /// When to colour the output (auto: on a terminal, unless NO_COLOR is set)
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
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
    /// Print the line to eval in your rc file: eval "$(wslgo init zsh)"; fish: wslgo init fish | source
    ///
    /// The printed code registers the prompt hook, applies the environment right away and
    /// registers completions. It prints nothing on stderr: warnings wait for the first prompt.
    Init {
        /// The shell whose rc file runs it
        #[arg(value_enum)]
        shell: Shell,
    },
    /// Print the code that brings this shell's environment up to date (the prompt hook runs it)
    ///
    /// Prints shell code on stdout and warnings on stderr. The code from `wslgo init` runs it
    /// when the directory changes and every few seconds; you can run it by hand:
    /// eval "$(wslgo hook zsh)"
    Hook {
        /// The shell that evaluates the code
        #[arg(value_enum)]
        shell: Shell,
        /// The shell is a login shell (it decides which startup files count as read)
        #[arg(long)]
        login: bool,
        /// This is the session's first refresh (a cd, or the first interval after the shell
        /// started, never the first prompt itself): also check the startup files
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
    /// Show what wslgo sets in this shell, and why
    ///
    /// By default only what wslgo sets, removes, or keeps for a reason worth reading; --all lists
    /// every variable it manages.
    Env {
        /// List every variable wslgo manages, also those it leaves alone
        #[arg(long)]
        all: bool,
        /// Print everything as JSON (for scripts; always complete)
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        color: ColorArg,
    },
    /// Check the setup against every known WSL and Go trap; exit 1 when a check fails
    Doctor {
        /// Print the checks as JSON (for scripts)
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        color: ColorArg,
    },
    /// Print the code that puts every variable back as it was before wslgo, and removes the hook
    ///
    /// eval "$(wslgo deactivate zsh)"
    Deactivate {
        /// The shell that evaluates the code
        #[arg(value_enum)]
        shell: Shell,
    },
    /// Print the completion script for a shell (`wslgo init` already registers it)
    Completions {
        /// The shell to complete for
        #[arg(value_enum)]
        shell: CompletionShell,
    },
    /// Show where the config file is, write a commented default, check it, or show what applies
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
    /// Print where the config file is (or would be): WSLGO_CONFIG, else $XDG_CONFIG_HOME/wslgo/config.toml
    Path,
    /// Write the commented default config there (an existing file is kept)
    Init {
        /// Overwrite an existing file
        #[arg(long)]
        force: bool,
    },
    /// Check the config file: every problem with its line and column; exit 1 when there is one
    Check,
    /// Print every key with its value in force, and what each `auto` gives in this shell now
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
