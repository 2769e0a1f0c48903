//! Tab completions (issue 8): the committed scripts are current, and real shells complete
//! `wslgo` with them — bash and zsh through `wslgo init`, fish with the committed file.
//!
//! Expected words come from the CLI definition (clap's `Command`, the same thing `--help`
//! shows) and, for the commands SPEC 2 names, from SPEC itself.

mod common;
use clap::CommandFactory;
use common::tmux::{READY, Tmux, launcher};
use common::*;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;
use wslgo::cli::{Cli, CompletionShell};
use wslgo::completions;

const ALL: [CompletionShell; 3] = [CompletionShell::Bash, CompletionShell::Zsh, CompletionShell::Fish];

/// The commands SPEC 2 names (doctor arrives with issue 7; it is checked when present).
const SPEC_COMMANDS: &[&str] = &["init", "hook", "env", "setup", "deactivate", "completions", "config"];

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The visible subcommand names of `path` (e.g. `[]` or `["config"]`) in the CLI, plus clap's
/// `help`: what a Tab after that path should offer.
fn subcommands(path: &[&str]) -> BTreeSet<String> {
    let mut cmd = Cli::command();
    cmd.build();
    let mut c = &cmd;
    for p in path {
        c = c.find_subcommand(p).unwrap_or_else(|| panic!("no subcommand {p}"));
    }
    c.get_subcommands()
        .filter(|s| !s.is_hide_set())
        .map(|s| s.get_name().to_string())
        .collect()
}

/// The value names a positional or option takes in the CLI.
fn values(path: &[&str], arg: &str) -> BTreeSet<String> {
    let mut cmd = Cli::command();
    cmd.build();
    let mut c = &cmd;
    for p in path {
        c = c.find_subcommand(p).unwrap();
    }
    let a = c
        .get_arguments()
        .find(|a| a.get_id() == arg)
        .unwrap_or_else(|| panic!("no arg {arg}"));
    a.get_possible_values().iter().map(|v| v.get_name().to_string()).collect()
}

fn set(words: &[&str]) -> BTreeSet<String> {
    words.iter().map(|s| s.to_string()).collect()
}

// ---------------------------------------------------------------------------------------------
// The committed files

/// Compares the committed script with what `generated` says it should be; with
/// WSLGO_UPDATE_COMPLETIONS=1, rewrites it instead (the other way to regenerate).
fn check_committed(shell: CompletionShell, generated: &str) -> Result<(), String> {
    let path = repo().join(completions::committed_path(shell));
    if std::env::var("WSLGO_UPDATE_COMPLETIONS").as_deref() == Ok("1") {
        std::fs::write(&path, generated).unwrap();
        return Ok(());
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    if committed == generated {
        Ok(())
    } else {
        Err(format!(
            "{} is stale: run scripts/gen-completions (or WSLGO_UPDATE_COMPLETIONS=1 cargo test --test completions)",
            path.display()
        ))
    }
}

/// The committed scripts are exactly what clap_complete makes of the current CLI, and what
/// the binary prints.
#[test]
fn committed_scripts_are_current() {
    for shell in ALL {
        check_committed(shell, &completions::script(shell)).unwrap();
        let name = format!("{shell:?}").to_lowercase();
        let o = Command::new(bin()).args(["completions", &name]).output().unwrap();
        assert!(o.status.success(), "{name}: {}", String::from_utf8_lossy(&o.stderr));
        assert_eq!(
            String::from_utf8(o.stdout).unwrap(),
            std::fs::read_to_string(repo().join(completions::committed_path(shell))).unwrap(),
            "{name}: `wslgo completions {name}` differs from the committed file"
        );
    }
}

/// The staleness check fails when a command is added to the CLI without regenerating (what
/// happens when another branch adds `doctor`), for every shell; a hidden one changes nothing.
#[test]
fn staleness_check_fails_when_a_command_is_added() {
    if std::env::var("WSLGO_UPDATE_COMPLETIONS").as_deref() == Ok("1") {
        return;
    }
    let added = Cli::command().subcommand(clap::Command::new("zz-added").about("a new command"));
    let hidden = Cli::command().subcommand(clap::Command::new("zz-hidden").hide(true));
    for shell in ALL {
        let g = completions::script_for(&added, shell);
        assert!(g.contains("zz-added"), "{shell:?}");
        assert!(check_committed(shell, &g).is_err(), "{shell:?}: an added command went unnoticed");
        let h = completions::script_for(&hidden, shell);
        assert!(!h.contains("zz-hidden"), "{shell:?}: a hidden command is completed");
        check_committed(shell, &h).unwrap();
    }
}

/// The init snippets with completions still lint: `shellcheck --enable=all` for bash, `zsh -n`
/// for zsh, `fish -n` for fish.
#[test]
fn init_snippets_with_completions_lint() {
    let sb = Sandbox::new("comp-lint");
    for (sh, lint) in [
        ("bash", ["shellcheck", "--enable=all", "-s", "bash"]),
        ("zsh", ["zsh", "-n", "", ""]),
        ("fish", ["fish", "-n", "", ""]),
    ] {
        let Some(tool) = shell_path(lint[0]) else { continue };
        // zsh's functions (the completion stub among them) come from their file, or as text
        // with --inline (what the snippet asks for when the file is gone): both forms lint.
        let forms: &[&[&str]] = if sh == "zsh" {
            &[&["init", sh], &["init", sh, "--inline"]]
        } else {
            &[&["init", sh]]
        };
        for (i, args) in forms.iter().enumerate() {
            let o = wslgo(&sb, args);
            assert!(o.status.success());
            let text = String::from_utf8(o.stdout).unwrap();
            let registers = if sh == "fish" { "complete -c wslgo" } else { "_wslgo()" };
            let file = text
                .lines()
                .find_map(|l| l.strip_prefix("if \\builtin source -- '"))
                .and_then(|l| l.split('\'').next());
            let all = match file {
                Some(f) => text.clone() + &std::fs::read_to_string(f).unwrap(),
                None => text.clone(),
            };
            assert!(all.contains(registers), "{sh} {args:?}: init registers no completion");
            let f = sb.dir.path().join(format!("init{i}.{sh}"));
            std::fs::write(&f, &text).unwrap();
            let mut c = Command::new(&tool);
            c.args(lint[1..].iter().filter(|a| !a.is_empty())).arg(&f);
            let r = c.output().unwrap();
            assert!(
                r.status.success(),
                "{sh} {args:?}: {}{}",
                String::from_utf8_lossy(&r.stdout),
                String::from_utf8_lossy(&r.stderr)
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// bash, through its own completion machinery

/// In an interactive bash after init: the function `complete -p wslgo` names, called the way
/// readline calls it, offers the commands, the shells, the config subcommands and env --color's
/// values. Run twice: plainly, and with `set -u` in the rc file.
#[test]
fn bash_completes_commands_shells_and_config() {
    // `comp LINE KEY`: completes LINE as readline would (words split on spaces, the cursor at
    // the end) with whatever function is registered for wslgo, and prints KEY=<candidates>.
    let helper = r#"
comp() {
  local f
  f=$(complete -p wslgo) || { echo "$2=NOT-REGISTERED"; return; }
  f=${f##* -F }; f=${f%% *}
  COMP_LINE=$1; COMP_POINT=${#1}
  IFS=' ' read -ra COMP_WORDS <<<"$1"
  if [[ $1 == *' ' ]]; then COMP_WORDS+=(''); fi
  COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
  COMPREPLY=()
  "$f" wslgo "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
  printf '%s=' "$2"; printf '%s ' "${COMPREPLY[@]}"; echo
}
"#;
    for hostile in [false, true] {
        let mut sb = Sandbox::new("comp-bash");
        sb.rc_after = helper.to_string();
        if hostile {
            sb.rc_after.push_str("set -u\n");
        }
        let script = "comp 'wslgo ' TOP\ncomp 'wslgo init ' INIT\ncomp 'wslgo config ' CONFIG\ncomp 'wslgo completions ' COMP\ncomp 'wslgo env --color ' COLOR\ncomp 'wslgo env --' ENV\n";
        let Some(o) = sb.run("bash", script) else { return };
        let words = |k: &str| -> BTreeSet<String> {
            let v = o
                .value(k)
                .unwrap_or_else(|| panic!("no {k}; stdout: {}\nstderr: {}", o.stdout, o.stderr));
            v.split_whitespace().map(str::to_string).collect()
        };
        let plain = |k: &str| -> BTreeSet<String> { words(k).into_iter().filter(|w| !w.starts_with('-')).collect() };
        let ctx = format!("hostile={hostile}; stderr: {}", o.stderr);

        let top = plain("TOP");
        assert_eq!(top, subcommands(&[]), "{ctx}");
        for c in SPEC_COMMANDS {
            assert!(top.contains(*c), "{c} not offered: {top:?}; {ctx}");
        }
        // --color belongs to the commands that colour their output, not to every command.
        assert!(!words("TOP").contains("--color"), "{ctx}");
        assert!(words("ENV").contains("--color"), "{ctx}");
        assert_eq!(plain("INIT"), values(&["init"], "shell"), "{ctx}");
        assert_eq!(plain("INIT"), set(&["bash", "zsh", "fish"]), "{ctx}");
        assert_eq!(plain("CONFIG"), subcommands(&["config"]), "{ctx}");
        for c in ["path", "init", "check", "show"] {
            assert!(plain("CONFIG").contains(c), "{ctx}");
        }
        assert_eq!(plain("COMP"), set(&["bash", "zsh", "fish"]), "{ctx}");
        assert_eq!(words("COLOR"), set(&["auto", "always", "never"]), "{ctx}");
        assert!(words("ENV").contains("--json"), "{ctx}");
        assert!(!o.stderr.contains("unbound variable"), "{ctx}");
    }
}

/// The binary is gone by the first Tab: no candidates, no error, and a later Tab still does
/// not recurse or complain (readline's default completion takes over).
#[test]
fn bash_tab_after_the_binary_is_gone() {
    let mut sb = Sandbox::new("comp-gone");
    let copy = sb.dir.path().join("wslgo-copy");
    std::fs::copy(bin(), &copy).unwrap();
    sb.bin = copy.clone();
    sb.rc_after = format!(
        "rm -f {}\n",
        String::from_utf8(wslgo::render::quote(copy.to_str().unwrap().as_bytes())).unwrap()
    );
    let script = "COMP_WORDS=(wslgo ''); COMP_CWORD=1; COMP_LINE='wslgo '; COMP_POINT=6; COMPREPLY=(); _wslgo wslgo '' wslgo; _wslgo wslgo '' wslgo; echo \"R=${#COMPREPLY[@]}\"\ncomplete -p wslgo >/dev/null && echo REG=yes\n";
    let Some(o) = sb.run("bash", script) else { return };
    assert_eq!(o.value("R").as_deref(), Some("0"), "stdout: {}\nstderr: {}", o.stdout, o.stderr);
    assert_eq!(o.value("REG").as_deref(), Some("yes"));
    for bad in ["No such file", "not found", "recursion", "syntax error"] {
        assert!(!o.stderr.contains(bad), "{bad}: {}", o.stderr);
    }
}

// ---------------------------------------------------------------------------------------------
// Real terminals (tmux)

/// The words shown below the command line after Tab (every line but the prompt lines).
/// zsh lists `name -- description` one per line: only the name counts there.
fn listed(screen: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for l in screen.lines().filter(|l| !l.contains(READY)) {
        match l.split_once(" -- ") {
            Some((name, _)) => out.extend(name.split_whitespace().map(str::to_string)),
            None => out.extend(l.split_whitespace().map(str::to_string)),
        }
    }
    out
}

/// Types `line` and then `tabs` Tabs in a fresh window running the sandbox's shell; waits
/// until every `expect` word is listed; returns the listed words.
fn tab(tm: &Tmux, name: &str, launch: &Path, line: &str, tabs: usize, expect: &BTreeSet<String>) -> BTreeSet<String> {
    let target = format!("t:{name}");
    let o = tm.cmd(&["new-window", "-d", "-t", "t", "-n", name, launch.to_str().unwrap()]);
    assert!(o.status.success(), "tmux new-window: {}", String::from_utf8_lossy(&o.stderr));
    let (ok, screen) = tm.wait(&target, |s| s.contains(READY));
    assert!(ok, "{name}: no prompt in 15 s:\n{screen}");
    tm.cmd(&["send-keys", "-t", &target, "-l", line]);
    for _ in 0..tabs {
        // Readline/zle see each Tab as its own key press.
        std::thread::sleep(Duration::from_millis(150));
        tm.cmd(&["send-keys", "-t", &target, "Tab"]);
    }
    let (ok, screen) = tm.wait(&target, |s| {
        let l = listed(s);
        expect.iter().all(|w| l.contains(w))
    });
    tm.cmd(&["kill-window", "-t", &target]);
    assert!(ok, "{name}: `{line}<Tab>` did not list {expect:?}; the terminal shows:\n{screen}");
    listed(&screen)
}

fn tmux_session(tm: &Tmux, sb: &Sandbox) {
    let o = tm.cmd(&["new-session", "-d", "-s", "t", "-x", "200", "-y", "60", "-n", "idle", "sleep 600"]);
    assert!(o.status.success(), "tmux new-session: {}", String::from_utf8_lossy(&o.stderr));
    let _ = sb;
}

/// Real terminals: `wslgo <Tab>`, `wslgo init <Tab>`, `wslgo config <Tab>` in bash (Tab Tab
/// lists) and in zsh, with compinit loaded before the init line and after it.
#[test]
fn tab_in_a_real_terminal_bash_and_zsh() {
    let setups: &[(&str, &str, &str, usize)] = &[
        ("bash", "", "", 2),
        ("zsh", "autoload -Uz compinit && compinit\n", "", 1),
        ("zsh", "", "autoload -Uz compinit && compinit\n", 1),
    ];
    for (i, (shell, before, after, tabs)) in setups.iter().enumerate() {
        let mut sb = Sandbox::new("comp-tty");
        sb.rc_before = before.to_string();
        sb.rc_after = format!("{after}PS1='{READY} '\n");
        let Some(launch) = launcher(&sb, shell) else { return };
        let Some(tm) = Tmux::new(sb.dir.path()) else { return };
        tmux_session(&tm, &sb);
        let what = format!(
            "{shell} (compinit before init: {}, after: {})",
            !before.is_empty(),
            !after.is_empty()
        );

        let top = subcommands(&[]);
        let got = tab(&tm, &format!("top{i}"), &launch, "wslgo ", *tabs, &top);
        for c in SPEC_COMMANDS {
            assert!(got.contains(*c), "{what}: {c} not listed: {got:?}");
        }
        assert!(
            !got.contains("bash") && !got.contains("path"),
            "{what}: `wslgo ` lists more than commands: {got:?}"
        );

        let shells = values(&["init"], "shell");
        let got = tab(&tm, &format!("init{i}"), &launch, "wslgo init ", *tabs, &shells);
        assert!(
            !got.contains("deactivate") && got.contains("fish") && got.contains("zsh"),
            "{what}: `wslgo init ` lists {got:?}"
        );

        let cfg = subcommands(&["config"]);
        let got = tab(&tm, &format!("cfg{i}"), &launch, "wslgo config ", *tabs, &cfg);
        assert!(!got.contains("deactivate"), "{what}: `wslgo config ` lists {got:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// zsh registration details

/// wslgo never runs compinit: without it the completion system stays unloaded (and nothing
/// complains), with it compinit ran exactly as often as the user ran it; either way `_wslgo`
/// is registered for `wslgo` when compinit is there, also after re-sourcing the rc file.
#[test]
fn zsh_init_never_runs_compinit() {
    let count = "compinit() { (( ++_t_compinit )); }\n";
    // compinit before the init line, then counted; compinit after, counted from there on.
    for (before, after) in [
        (format!("autoload -Uz compinit && compinit\n_t_compinit=0\n{count}"), String::new()),
        (String::new(), format!("autoload -Uz compinit && compinit\n_t_compinit=0\n{count}")),
        (String::new(), String::new()),
    ] {
        let mut sb = Sandbox::new("comp-zsh");
        sb.rc_before = before.clone();
        sb.rc_after = after.clone();
        let script = "echo \"N=${_t_compinit-none} C=${+functions[compdef]} R=${_comps[wslgo]-} P=${(j:,:)precmd_functions}\"\nsource $ZDOTDIR/.zshrc\necho \"N2=${_t_compinit-none} R2=${_comps[wslgo]-} P2=${(j:,:)precmd_functions}\"\n";
        let Some(o) = sb.run("zsh", script) else { return };
        let ctx = format!("before={before:?} after={after:?}; stdout: {}\nstderr: {}", o.stdout, o.stderr);
        let loaded = !before.is_empty() || !after.is_empty();
        let n = o.value("N").unwrap_or_else(|| panic!("{ctx}"));
        let mut f = n.split_whitespace();
        let (calls, compdef, reg, pending) = (
            f.next().unwrap(),
            f.next().unwrap(),
            f.next().unwrap_or("R="),
            f.next().unwrap_or("P="),
        );
        if loaded {
            assert_eq!(calls, "0", "wslgo ran compinit: {ctx}");
            assert_eq!(compdef, "C=1", "{ctx}");
            assert_eq!(reg, "R=_wslgo", "{ctx}");
        } else {
            assert_eq!(calls, "none", "{ctx}");
            assert_eq!(compdef, "C=0", "wslgo loaded the completion system: {ctx}");
        }
        // The first prompt's registration is the hook's own: no precmd function but the hook.
        assert_eq!(pending, "P=_wslgo_hook", "{ctx}");
        assert!(!o.stderr.contains("command not found"), "{ctx}");
        // Re-sourcing the rc file: registered again, nothing left pending.
        let n2 = o.value("N2").unwrap_or_else(|| panic!("{ctx}"));
        if loaded {
            assert!(n2.contains("R2=_wslgo"), "{ctx}");
        }
        assert!(n2.ends_with("P2=_wslgo_hook"), "{ctx}");
        assert!(!o.stderr.contains("compdef"), "{ctx}");
    }
}

/// `wslgo deactivate zsh` after a Tab has loaded the completion script: clap_complete's helper
/// functions (`_wslgo_commands`, `_wslgo__subcmd__*`) go too, as in fish; a function of the
/// user's with a similar name stays. The script is loaded by calling the stub, what the first
/// Tab does (its call of the real `_wslgo` fails outside completion: that is not the point).
#[test]
fn zsh_deactivate_after_completion_removes_the_completion_helpers() {
    let mut sb = Sandbox::new("comp-zsh-deac");
    sb.rc_after = "autoload -Uz compinit && compinit\n".into();
    let script = "my_wslgo_thing() { :; }\n_wslgo 2>/dev/null\necho \"L=${#${(k)functions[(I)*wslgo*]}}\"\neval \"$(wslgo deactivate zsh)\"\necho \"F=${(ok)functions[(I)*wslgo*]}\"\n";
    let Some(o) = sb.run("zsh", script) else { return };
    let loaded: usize = o
        .value("L")
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("{}\n{}", o.stdout, o.stderr));
    assert!(loaded > 10, "the completion script did not load ({loaded} functions): {}", o.stderr);
    assert_eq!(o.value("F").as_deref(), Some("my_wslgo_thing"), "functions left: {}", o.stderr);
}

// ---------------------------------------------------------------------------------------------
// fish, with the committed file

/// `complete -C 'wslgo '` in fish, with completions/wslgo.fish sourced, lists the commands;
/// `wslgo init ` the shells; `wslgo config ` the config subcommands.
#[test]
fn fish_completes_with_the_committed_script() {
    let Some(fish) = shell_path("fish") else { return };
    let d = TempDir::new("comp-fish");
    let file = repo().join("completions/wslgo.fish");
    let run = |line: &str| -> BTreeSet<String> {
        let o = Command::new(&fish)
            .env_clear()
            .env("HOME", d.path())
            .env("XDG_CONFIG_HOME", d.path().join("config"))
            .env("XDG_DATA_HOME", d.path().join("data"))
            .env("XDG_CACHE_HOME", d.path().join("cache"))
            .env("PATH", "/usr/bin:/bin")
            .arg("--no-config")
            .arg("-c")
            .arg(format!(
                "source {}; complete -C {}",
                fish_quote(&file.to_string_lossy()),
                fish_quote(line)
            ))
            .output()
            .unwrap();
        assert!(o.status.success(), "fish: {}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8(o.stdout)
            .unwrap()
            .lines()
            .map(|l| l.split('\t').next().unwrap().to_string())
            .filter(|w| !w.starts_with('-'))
            .collect()
    };
    let top = run("wslgo ");
    assert_eq!(top, subcommands(&[]));
    for c in SPEC_COMMANDS {
        assert!(top.contains(*c), "{c}: {top:?}");
    }
    assert_eq!(run("wslgo init "), values(&["init"], "shell"));
    assert_eq!(run("wslgo config "), subcommands(&["config"]));
    assert_eq!(run("wslgo completions "), set(&["bash", "zsh", "fish"]));
}

fn fish_quote(s: &str) -> String {
    format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'"))
}
