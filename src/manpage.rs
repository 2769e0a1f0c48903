//! The man page, `man/wslgo.1` (issue 17), generated from the clap definition.
//!
//! clap_mangen renders the title, NAME, SYNOPSIS, DESCRIPTION, OPTIONS and VERSION from the
//! CLI. COMMANDS is walked from the same definition here (clap_mangen's own list points at one
//! page per subcommand, which this single page does not have): every visible command with its
//! usage, help text and arguments, so a new command or option shows up on the next
//! `scripts/gen-man`. The sections clap does not know about (the config file, the variables
//! wslgo reads, the warning ids) come from the tables below and from the embedded default
//! config; tests check the tables against the code (every id in [`crate::warn::IDS`], every
//! key of the default config).
//!
//! The binary never calls this: it lives in the library for `examples/gen-man.rs` and the
//! staleness test, and link-time optimisation leaves it out of `wslgo` itself.

use crate::cli::Cli;
use clap::CommandFactory;
use clap_mangen::Man;
use clap_mangen::roff::{Inline, Roff, bold, italic, roman};

/// Where the page is committed (relative to the repository root).
pub const COMMITTED_PATH: &str = "man/wslgo.1";

/// The environment variables wslgo reads, and what each does.
pub const ENVIRONMENT: &[(&str, &str)] = &[
    (
        "WSLGO_CONFIG",
        "The config file to read instead of the default path (see FILES). WSLGO_CONFIG=/dev/null means no config: the embedded defaults serve.",
    ),
    (
        "WSLGO_DISABLE",
        "WSLGO_DISABLE=1 turns every hook into a no-op: the init snippet applies nothing and the prompt hook runs no process. Unset it to get wslgo back.",
    ),
    (
        "WSLGO_QUIET",
        "WSLGO_QUIET=1 silences every warning (see WARNINGS); warn.disable in the config silences single ids.",
    ),
    (
        "WSLGO_SYSROOT",
        "A directory read in place of / for every system file (/proc, /sys, /etc, /usr, /run, /mnt, /lib, and Go SDK search paths outside HOME): for tests, or to inspect a mounted image. HOME, XDG_*, PATH, PWD and the shell's variables still come from the real environment, and network probes still go to the real network.",
    ),
    (
        "NO_COLOR",
        "When set to a non-empty value, output is not coloured under --color auto (the default).",
    ),
    (
        "HOME, XDG_CONFIG_HOME, XDG_RUNTIME_DIR, XDG_CACHE_HOME",
        "Where the config and the cache live (see FILES). An unset or relative value is never used: wslgo then reads no config and writes no cache from the current directory.",
    ),
    ("SHELL", "The shell wslgo setup writes the init line for when none is named."),
];

/// Every warning id (SPEC 6) and what it means.
pub const WARNINGS: &[(&str, &str)] = &[
    (
        "profile-skipped",
        "~/.profile exists, this shell's start-up mode never reads it, and the environment lacks what it sets (the missing entries are named). The fix is the line that makes this mode read it: . ~/.profile in ~/.bash_profile for bash, emulate sh -c '. ~/.profile' in ~/.zprofile for zsh, or starting the terminal as a login shell.",
    ),
    (
        "go-missing",
        "No Go SDK was found, or PATH still lacks go. The fix says where to get one (go.dev/dl, apt install golang-go).",
    ),
    (
        "go-shadowed",
        "After the hook, the first go on the shell's PATH is not the one in GOROOT: something wslgo cannot fix in this shell (\"go tool version does not match\"). Doctor's go.shadowed check covers programs that rebuild PATH.",
    ),
    (
        "go-too-old",
        "The module's go line needs a newer Go than any installed SDK, and the go command cannot switch toolchains itself (SDK older than 1.21, or GOTOOLCHAIN=local). The fix allows switching or names the golang.org/dl commands.",
    ),
    (
        "drvfs-cwd",
        "The current Go module is on a Windows drive (/mnt/c: 9p, virtiofs or drvfs), where builds are an order of magnitude slower. The fix moves it under ~.",
    ),
    (
        "proxy-refused",
        "The Windows proxy port refuses connections from WSL: the proxy app listens on 127.0.0.1 only. The fix: turn on Allow LAN in the proxy app.",
    ),
    (
        "proxy-timeout",
        "Connections to the Windows proxy get no answer: the Windows firewall drops WSL's traffic. The fix is the PowerShell command (New-NetFirewallRule) to run as administrator; on plain Linux no Windows command is named.",
    ),
    (
        "locale-missing",
        "No UTF-8 locale is available. The fix is the command that generates one (locale-gen).",
    ),
    (
        "config-invalid",
        "The config file has a problem (file, line and column; for an unknown key or id the nearest known one). Every other key still applies; a different mistake warns again.",
    ),
];

/// Exit statuses.
const EXIT_STATUS: &[(&str, &str)] = &[
    ("0", "Success."),
    ("1", "wslgo doctor found a failing check; wslgo config check found a problem."),
    ("2", "A usage error (clap's message on stderr)."),
];

/// The page for the current CLI.
pub fn render() -> String {
    render_for(Cli::command())
}

/// The page for any command tree (tests change the tree to show staleness is caught).
pub fn render_for(mut cmd: clap::Command) -> String {
    cmd.build();
    let version = cmd.get_version().unwrap_or_default().to_string();
    let man = Man::new(cmd.clone())
        .title("WSLGO")
        .manual("User Commands")
        .source(format!("wslgo {version}"));
    let mut out = Vec::new();
    man.render_title(&mut out).expect("writing to a Vec");
    // No hyphenation: names (WSLGO_CONFIG, locale-gen) stay whole, so they can be searched for.
    Roff::new().control("nh", []).to_writer(&mut out).expect("writing to a Vec");
    man.render_name_section(&mut out).expect("writing to a Vec");
    man.render_synopsis_section(&mut out).expect("writing to a Vec");
    man.render_description_section(&mut out).expect("writing to a Vec");
    let mut r = Roff::new();
    description(&mut r);
    r.to_writer(&mut out).expect("writing to a Vec");
    man.render_options_section(&mut out).expect("writing to a Vec");

    let mut r = Roff::new();
    r.control("SH", ["COMMANDS"]);
    for sub in visible(&cmd) {
        command(&mut r, sub);
    }
    configuration(&mut r);
    list(&mut r, "ENVIRONMENT", ENVIRONMENT);
    warnings(&mut r);
    files(&mut r);
    list(&mut r, "EXIT STATUS", EXIT_STATUS);
    r.to_writer(&mut out).expect("writing to a Vec");
    man.render_version_section(&mut out).expect("writing to a Vec");
    let mut r = Roff::new();
    r.control("SH", ["SEE ALSO"]);
    r.text([
        bold("bash"),
        roman("(1), "),
        bold("zsh"),
        roman("(1), "),
        bold("fish"),
        roman("(1), "),
        bold("go"),
        roman("(1), and README.md in /usr/share/doc/wslgo."),
    ]);
    r.to_writer(&mut out).expect("writing to a Vec");
    // roff writes the apostrophe preamble before every part: keep the first one only.
    let text = String::from_utf8(out).expect("roff writes UTF-8");
    let preamble = ".ie \\n(.g .ds Aq \\(aq\n.el .ds Aq '\n";
    let mut parts = text.split(preamble);
    let mut s = parts.next().unwrap_or_default().to_string();
    s.push_str(preamble);
    for p in parts {
        s.push_str(p);
    }
    s
}

fn visible(cmd: &clap::Command) -> impl Iterator<Item = &clap::Command> {
    cmd.get_subcommands().filter(|s| !s.is_hide_set() && s.get_name() != "help")
}

fn paragraphs(r: &mut Roff, text: &str) {
    for (i, p) in text.split("\n\n").enumerate() {
        if i > 0 {
            r.control("PP", []);
        }
        r.text([roman(p.replace('\n', " "))]);
    }
}

fn example(r: &mut Roff, lines: &str) {
    r.control("RS", ["4"]);
    r.control("nf", []);
    for l in lines.lines() {
        r.text([roman(l)]);
    }
    r.control("fi", []);
    r.control("RE", []);
}

fn description(r: &mut Roff) {
    r.control("PP", []);
    r.text([roman(
        "wslgo keeps a correct, current environment for Go development at every prompt of a WSL2 shell \
         (and plain Linux, where the WSL parts stay quiet): a UTF-8 locale (LANG, LC_ALL); the right Go SDK \
         (GOROOT, GOPATH, PATH), switching per module to the toolchain its go.mod asks for; GOMAXPROCS and \
         GOMEMLIMIT sized to the cgroup limits; proxy variables (http_proxy, https_proxy, no_proxy and their \
         upper-case forms, all_proxy for SOCKS) that follow the Windows proxy as it comes and goes; GOPROXY, \
         GOPRIVATE, GONOSUMDB and GONOPROXY as configured; and a one-line warning, once, for each classic \
         setup trap.",
    )]);
    r.control("PP", []);
    r.text([
        roman("Add one line to the rc file of your shell, after your own PATH changes, or let "),
        bold("wslgo setup"),
        roman(" add it:"),
    ]);
    example(
        r,
        "eval \"$(wslgo init bash)\"     # ~/.bashrc\n\
         eval \"$(wslgo init zsh)\"      # ~/.zshrc\n\
         wslgo init fish | source      # ~/.config/fish/config.fish",
    );
    r.control("PP", []);
    r.text([roman(
        "wslgo must be on PATH where that line runs. A prompt where nothing can have changed runs no process; \
         a refresh (one run of wslgo hook) happens when the directory changed, every hook.interval_secs, and \
         at the next prompt after a wslgo config command. Variables the user set are never overwritten \
         (except a LANG/LC_ALL that is not an available UTF-8 locale, a GOROOT that is not an SDK, and proxy \
         variables WSL copied from Windows); PATH is shared: wslgo adds and removes only its own entries.",
    )]);
}

/// One command: `.SS <usage>`, its help, its arguments; then its own subcommands.
fn command(r: &mut Roff, sub: &clap::Command) {
    let mut c = sub.clone();
    let usage = c.render_usage().to_string();
    let usage = usage.trim().trim_start_matches("Usage:").trim();
    // Control lines are not escaped by roff: a plain `-` would render as a hyphen.
    r.control("SS", [usage.replace('\\', "\\e").replace('-', "\\-").as_str()]);
    if let Some(about) = sub.get_long_about().or_else(|| sub.get_about()) {
        paragraphs(r, &about.to_string());
    }
    let args: Vec<&clap::Arg> = sub
        .get_arguments()
        .filter(|a| !a.is_hide_set() && !a.is_global_set())
        .filter(|a| !matches!(a.get_id().as_str(), "help" | "version"))
        .collect();
    for a in args {
        r.control("TP", []);
        let mut head: Vec<Inline> = Vec::new();
        if a.is_positional() {
            let name = a
                .get_value_names()
                .and_then(|v| v.first().map(|s| s.to_string()))
                .unwrap_or_else(|| a.get_id().to_string());
            head.push(italic(format!("<{name}>")));
            if a.get_num_args().is_some_and(|n| n.max_values() > 1) {
                head.push(roman("..."));
            }
        } else {
            if let Some(s) = a.get_short() {
                head.push(bold(format!("-{s}")));
                head.push(roman(", "));
            }
            if let Some(l) = a.get_long() {
                head.push(bold(format!("--{l}")));
            }
            if a.get_num_args().is_some_and(|n| n.takes_values()) {
                let name = a
                    .get_value_names()
                    .and_then(|v| v.first().map(|s| s.to_string()))
                    .unwrap_or_default();
                head.push(roman(" "));
                head.push(italic(format!("<{name}>")));
            }
        }
        r.text(head);
        let mut body = a
            .get_long_help()
            .or_else(|| a.get_help())
            .map(|h| h.to_string())
            .unwrap_or_default();
        let values: Vec<String> = a
            .get_possible_values()
            .iter()
            .filter(|v| !v.is_hide_set())
            .map(|v| v.get_name().to_string())
            .collect();
        if !values.is_empty() {
            if !body.is_empty() && !body.ends_with('.') {
                body.push('.');
            }
            if !body.is_empty() {
                body.push(' ');
            }
            body.push_str(&format!("One of: {}.", values.join(", ")));
        }
        if !body.is_empty() {
            r.text([roman(body)]);
        }
    }
    for s in visible(sub) {
        command(r, s);
    }
}

fn configuration(r: &mut Roff) {
    r.control("SH", ["CONFIGURATION"]);
    r.text([
        roman("The config file is "),
        italic("$XDG_CONFIG_HOME/wslgo/config.toml"),
        roman(", else "),
        italic("~/.config/wslgo/config.toml"),
        roman(" (an unset or relative XDG_CONFIG_HOME is ignored); "),
        bold("WSLGO_CONFIG"),
        roman("="),
        italic("file"),
        roman(" overrides both, and "),
        bold("WSLGO_CONFIG=/dev/null"),
        roman(" means no config. "),
        bold("wslgo config path"),
        roman(" prints the path in force."),
    ]);
    r.control("PP", []);
    r.text([roman(
        "No file is needed: the embedded defaults serve, and every key is optional. A bad file (syntax error, \
         unknown key, wrong type) never breaks a prompt and costs only what it touches: every other key still \
         applies, and the hook shows config-invalid once, naming file, line and column. wslgo config check \
         exits 1 with the same words; wslgo config show prints every key, auto ones with what they resolve to \
         now. Paths (go.root, go.path) expand ~, $HOME and ${VAR} and must then be absolute; anything else is \
         a problem, never an exported value. A change to the file applies at the next refresh.",
    )]);
    r.control("PP", []);
    r.text([
        roman("The keys, with their defaults (what "),
        bold("wslgo config init"),
        roman(" writes; every comment is part of the file):"),
    ]);
    example(r, crate::config::DEFAULT_TOML);
}

fn list(r: &mut Roff, heading: &str, items: &[(&str, &str)]) {
    r.control("SH", [heading]);
    for (name, what) in items {
        r.control("TP", []);
        r.text([bold(*name)]);
        r.text([roman(*what)]);
    }
}

fn warnings(r: &mut Roff) {
    r.control("SH", ["WARNINGS"]);
    r.text([
        roman("A warning is one line on stderr, "),
        bold("wslgo: "),
        italic("id"),
        bold(": "),
        italic("what"),
        bold(" -- "),
        italic("fix"),
        roman(
            ", shown once per shell session per id and subject (a nested shell inherits what was shown), \
             never at every prompt. warn.disable in the config silences single ids, WSLGO_QUIET=1 all of them; \
             wslgo env --json lists them too. The ids:",
        ),
    ]);
    for (id, what) in WARNINGS {
        r.control("TP", []);
        r.text([bold(*id)]);
        r.text([roman(*what)]);
    }
}

fn files(r: &mut Roff) {
    let items: &[(&str, &str)] = &[
        (
            "$XDG_CONFIG_HOME/wslgo/config.toml, ~/.config/wslgo/config.toml",
            "The config file (see CONFIGURATION).",
        ),
        (
            "$XDG_RUNTIME_DIR/wslgo/, else $XDG_CACHE_HOME/wslgo/, else ~/.cache/wslgo/",
            "The cache: the proxy liveness results and the warm-start file warm (the parsed config and the discovery cache, which a new terminal starts from). A directory of mode 0700 that must be the user's own and not a symlink (else no cache is used); $XDG_RUNTIME_DIR counts only when it is the user's own directory. Safe to delete.",
        ),
        (
            "/usr/share/bash-completion/completions/wslgo, /usr/share/zsh/vendor-completions/_wslgo, /usr/share/fish/vendor_completions.d/wslgo.fish",
            "The completion scripts, as packaged (the same as wslgo completions prints). wslgo init registers completions by itself.",
        ),
    ];
    r.control("SH", ["FILES"]);
    for (name, what) in items {
        r.control("TP", []);
        r.text([italic(*name)]);
        r.text([roman(*what)]);
    }
}

#[cfg(test)]
mod tests {
    /// The ids the page explains are exactly the ids the code can show.
    #[test]
    fn every_warning_id_is_explained() {
        let documented: std::collections::BTreeSet<&str> = super::WARNINGS.iter().map(|(id, _)| *id).collect();
        let code: std::collections::BTreeSet<&str> = crate::warn::IDS.iter().copied().collect();
        assert_eq!(documented, code);
        for (id, what) in super::WARNINGS {
            assert!(what.len() > 40, "{id}: say what it means");
        }
    }
}
