//! Tab completions (SPEC 2: `wslgo completions <bash|zsh|fish>`), and the part of the init
//! snippet that registers them.
//!
//! The scripts come from clap_complete, so they follow the CLI as it changes. The same text is
//! committed under `completions/` for packagers (`scripts/gen-completions` rewrites it; a test
//! fails when it is stale). `wslgo init` registers a stub that loads the script at the first
//! Tab ([`for_init`]): completions cost the shell no process and almost no parsing at start.
//!
//! clap_complete lists hidden subcommands too; commands hidden from `--help` (internal ones)
//! are pruned here first, so they never show up on Tab either.

use crate::cli::{Cli, CompletionShell};
use crate::shell::Shell;
use clap::{Command, CommandFactory};

/// The name completions are registered for.
pub(crate) const BIN: &str = "wslgo";

/// Where each script lives in the repository (relative to its root).
pub fn committed_path(shell: CompletionShell) -> &'static str {
    match shell {
        CompletionShell::Bash => "completions/wslgo.bash",
        CompletionShell::Zsh => "completions/_wslgo",
        CompletionShell::Fish => "completions/wslgo.fish",
    }
}

/// The completion script for the current CLI.
pub fn script(shell: CompletionShell) -> String {
    script_for(&Cli::command(), shell)
}

/// The completion script for any command tree (tests add commands to show staleness is caught).
pub fn script_for(cmd: &Command, shell: CompletionShell) -> String {
    let mut cmd = visible(cmd);
    let mut out = Vec::new();
    match shell {
        CompletionShell::Bash => clap_complete::generate(clap_complete::Shell::Bash, &mut cmd, BIN, &mut out),
        CompletionShell::Zsh => clap_complete::generate(clap_complete::Shell::Zsh, &mut cmd, BIN, &mut out),
        CompletionShell::Fish => clap_complete::generate(clap_complete::Shell::Fish, &mut cmd, BIN, &mut out),
    }
    let mut s = String::from_utf8(out).expect("clap_complete writes UTF-8");
    if shell == CompletionShell::Fish {
        s.push_str(&fish_positional_values(&cmd));
    }
    s
}

/// clap_complete's fish generator completes the values of options (`--color auto`) but not of
/// positional arguments (`wslgo init bash`); bash and zsh get them. These lines, made from the
/// same command tree and in clap's own format, close that gap. `cmd` has been built.
fn fish_positional_values(cmd: &Command) -> String {
    use std::fmt::Write;
    let esc = |s: &str| s.replace('\\', "\\\\").replace('\'', "\\'");
    let mut rules = Vec::new();
    for sc in cmd.get_subcommands().filter(|c| c.get_name() != "help") {
        rules.push((format!("__fish_{BIN}_using_subcommand {}", sc.get_name()), sc));
        for ssc in sc.get_subcommands().filter(|c| c.get_name() != "help") {
            let cond = format!(
                "__fish_{BIN}_using_subcommand {}; and __fish_seen_subcommand_from {}",
                sc.get_name(),
                ssc.get_name()
            );
            rules.push((cond, ssc));
        }
    }
    let mut out = String::new();
    for (cond, c) in rules {
        for a in c.get_positionals() {
            let vals: Vec<_> = a.get_possible_values().into_iter().filter(|v| !v.is_hide_set()).collect();
            if vals.is_empty() {
                continue;
            }
            let names: Vec<&str> = vals.iter().map(|v| v.get_name()).collect();
            let items: Vec<String> = vals
                .iter()
                .map(|v| {
                    let help = v.get_help().map(|h| h.to_string().replace('\n', " ")).unwrap_or_default();
                    format!("{}\\t'{}'", esc(v.get_name()), esc(&help))
                })
                .collect();
            let _ = writeln!(
                out,
                "complete -c {BIN} -n \"{cond}; and not __fish_seen_subcommand_from {}\" -f -a \"{}\"",
                names.join(" "),
                items.join("\n")
            );
        }
    }
    if !out.is_empty() {
        out.insert_str(
            0,
            "# Values of positional arguments (added by wslgo: clap_complete's fish script has none)\n",
        );
    }
    out
}

/// `cmd` without its hidden subcommands, at every level.
///
/// clap has no way to remove a subcommand, so the tree is copied: after `build()` the help and
/// version flags and propagated global args are ordinary entries, so the copy (with clap's own
/// flags switched off) carries them as they are. clap's `help` subcommand mirrors its
/// siblings, so it is not copied but left for clap to regenerate from the visible ones.
pub(crate) fn visible(cmd: &Command) -> Command {
    let mut built = cmd.clone();
    built.build();
    copy_visible(&built)
}

fn copy_visible(c: &Command) -> Command {
    let auto_help = !c.is_disable_help_subcommand_set();
    let mut n = Command::new(leak(c.get_name()))
        .disable_help_flag(true)
        .disable_version_flag(true)
        .disable_help_subcommand(!auto_help)
        .allow_external_subcommands(c.is_allow_external_subcommands_set())
        .subcommand_required(c.is_subcommand_required_set())
        .visible_aliases(c.get_visible_aliases().map(leak).collect::<Vec<_>>())
        .args(c.get_arguments().cloned());
    if let Some(a) = c.get_about() {
        n = n.about(a.clone());
    }
    if let Some(v) = c.get_version() {
        n = n.version(leak(v));
    }
    if let Some(v) = c.get_long_version() {
        n = n.long_version(leak(v));
    }
    for sc in c.get_subcommands() {
        if sc.is_hide_set() || (auto_help && sc.get_name() == "help") {
            continue;
        }
        n = n.subcommand(copy_visible(sc));
    }
    n
}

/// clap (without its `string` feature) takes names only as `&'static str`, and its getters lend
/// them out as `&str`. The copy runs once per `wslgo completions` (and in tests), over a few
/// dozen short names: leaking them is bounded and cheaper than another dependency feature.
fn leak(s: &str) -> &'static str {
    Box::leak(s.to_owned().into_boxed_str())
}

/// `wslgo completions <shell>`: prints the script.
pub(crate) fn run(shell: CompletionShell) -> i32 {
    crate::cmd::emit(script(shell).as_bytes());
    0
}

/// What `wslgo init` splices into its snippet: a small stub, registered now, that fetches the
/// full script (`wslgo completions <shell>`) at the first Tab and hands over to it.
///
/// Why not the script itself: clap's scripts are 15-20 KB, and parsing them is most of what
/// the snippet would cost at shell start (measured ~6x the rest of the snippet). The stub costs
/// no process at start; the one process runs at the first Tab, once per shell, and the script
/// it prints is the one the committed files hold (a test keeps them equal). A binary that is
/// gone leaves readline's default completion.
pub(crate) fn for_init(shell: Shell) -> &'static str {
    match shell {
        Shell::Bash => BASH_STUB,
        Shell::Zsh => ZSH_STUB,
        Shell::Fish => FISH_STUB,
    }
}

/// bash: clap's script defines `_wslgo` (replacing this stub) and runs its own `complete`.
const BASH_STUB: &str = include_str!("../shell/completion-stub.bash");

/// zsh: the stub is what compinit calls for `wslgo`; at the first Tab it defines clap's
/// functions (the real `_wslgo` among them) and calls the real one. clap's script ends with
/// a block that, outside a function named `_wslgo` (eval counts as one level), runs
/// `compdef`: the stub cuts it off.
///
/// compinit may run before the init line (`compdef` exists: register now) or after it (a
/// later compinit starts a fresh table): so register again once at the first prompt, when
/// the rc file has finished. compinit stays the user's to run: never here, so never twice.
const ZSH_STUB: &str = include_str!("../shell/completion-stub.zsh");

/// fish: `complete -c wslgo` with a candidate list computed at the first Tab, which loads
/// clap's script (`complete` lines) in place of the stub and answers with its candidates.
const FISH_STUB: &str = include_str!("../shell/completion-stub.fish");

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(mut cmd: Command, shell: clap_complete::Shell) -> String {
        let mut out = Vec::new();
        clap_complete::generate(shell, &mut cmd, BIN, &mut out);
        String::from_utf8(out).unwrap()
    }

    const ALL: [(CompletionShell, clap_complete::Shell); 3] = [
        (CompletionShell::Bash, clap_complete::Shell::Bash),
        (CompletionShell::Zsh, clap_complete::Shell::Zsh),
        (CompletionShell::Fish, clap_complete::Shell::Fish),
    ];

    /// A tree with what the copy must carry over: global args, value enums, aliases, nesting.
    fn synthetic() -> Command {
        use clap::{Arg, ArgAction};
        Command::new("wslgo")
            .version("9.9.9")
            .propagate_version(true)
            .about("top")
            .arg(Arg::new("color").long("color").global(true).value_parser(["auto", "never"]))
            .subcommand(
                Command::new("one")
                    .about("first")
                    .visible_alias("uno")
                    .arg(Arg::new("json").long("json").short('j').action(ArgAction::SetTrue))
                    .arg(Arg::new("shell").value_parser(["bash", "zsh"]).required(true)),
            )
            .subcommand(
                Command::new("two").about("second").subcommand_required(true).subcommand(
                    Command::new("deep")
                        .about("nested")
                        .arg(Arg::new("force").long("force").action(ArgAction::SetTrue)),
                ),
            )
    }

    /// With nothing hidden, the pruned copy generates byte for byte what clap_complete
    /// generates from the original.
    #[test]
    fn copy_is_faithful() {
        for (ours, theirs) in ALL {
            let s = script_for(&synthetic(), ours);
            let r = raw(synthetic(), theirs);
            if ours == CompletionShell::Fish {
                // Plus the positional values clap_complete leaves out for fish.
                let extra = s.strip_prefix(r.as_str()).expect("fish: clap's script comes first, unchanged");
                assert!(
                    extra.contains("using_subcommand one; and not __fish_seen_subcommand_from bash zsh"),
                    "{extra}"
                );
            } else {
                assert_eq!(s, r, "{theirs:?}");
            }
        }
    }

    /// A hidden command (at the top and nested) leaves the scripts exactly as without it, while
    /// clap_complete alone would list it.
    #[test]
    fn hidden_commands_are_left_out() {
        let hide = |c: Command| {
            c.subcommand(Command::new("probe-secret").hide(true).about("internal"))
                .mut_subcommand("two", |t| t.subcommand(Command::new("deep-secret").hide(true)))
        };
        for (ours, theirs) in ALL {
            let with = script_for(&hide(synthetic()), ours);
            assert_eq!(with, script_for(&synthetic(), ours), "{theirs:?}");
            assert!(!with.contains("secret"), "{theirs:?}");
            assert!(
                raw(hide(synthetic()), theirs).contains("probe-secret"),
                "{theirs:?}: clap_complete now prunes by itself?"
            );
        }
    }
}
