//! `wslgo config path|init|check|show`.

use crate::cli::ConfigAction;
use crate::config::{self, Issue};
use crate::shellenv::ShellEnv;

pub(crate) fn run(action: &ConfigAction) -> i32 {
    let env = ShellEnv::from_process();
    let path = match config::path_from(&env) {
        Ok(p) => p,
        Err(why) => {
            // No absolute place for a config: nothing is read or written (SPEC 11).
            eprintln!("wslgo: {why}");
            return match action {
                ConfigAction::Path | ConfigAction::Init { .. } => 1,
                ConfigAction::Check => 0,
                ConfigAction::Show => {
                    let text = toml::to_string(&config::Config::default()).unwrap_or_default();
                    super::emit(format!("# effective config (defaults)\n{text}").as_bytes());
                    0
                }
            };
        }
    };
    match action {
        ConfigAction::Path => {
            let note = if config::is_null(&path) { " (no config)" } else { "" };
            super::emit(format!("{}{note}\n", path.display()).as_bytes());
            0
        }
        ConfigAction::Init { force } => {
            if config::is_null(&path) {
                eprintln!("wslgo: WSLGO_CONFIG=/dev/null means no config; nothing written");
                return 1;
            }
            if path.exists() && !force {
                eprintln!("wslgo: {} exists; not overwritten (use --force)", path.display());
                return 1;
            }
            if let Some(dir) = path.parent()
                && let Err(e) = std::fs::create_dir_all(dir)
            {
                eprintln!("wslgo: cannot create {}: {e}", dir.display());
                return 1;
            }
            match std::fs::write(&path, config::DEFAULT_TOML) {
                Ok(()) => {
                    eprintln!("wslgo: wrote {}", path.display());
                    0
                }
                Err(e) => {
                    eprintln!("wslgo: cannot write {}: {e}", path.display());
                    1
                }
            }
        }
        ConfigAction::Check => {
            let l = config::load(&path, &env, None);
            if l.issues.is_empty() {
                let what = match (&l.file, config::is_null(&path)) {
                    (_, true) => "WSLGO_CONFIG=/dev/null: no config; the defaults serve",
                    (Some(_), _) => "ok",
                    (None, _) => "no file; the defaults serve",
                };
                super::emit(format!("{}: {what}\n", path.display()).as_bytes());
                0
            } else {
                print_issues(&l.issues);
                1
            }
        }
        ConfigAction::Show => show(&env, &path),
    }
}

/// Each problem on a line of its own, in the words the prompt's `config-invalid` uses.
fn print_issues(issues: &[Issue]) {
    let mut s = String::new();
    for i in issues {
        s.push_str(&format!("wslgo: config-invalid: {}\n", crate::warn::one_line(&i.to_string())));
    }
    let n = issues.len();
    s.push_str(&format!(
        "wslgo: {n} problem{}; every other key applies\n",
        if n == 1 { "" } else { "s" }
    ));
    eprint!("{s}");
}

/// Which variable shows what a key resolves to.
fn var_of(key: &str) -> Option<&'static str> {
    Some(match key {
        "locale.lang" => "LANG",
        "locale.lc_all" => "LC_ALL",
        "go.root" => "GOROOT",
        "go.path" => "GOPATH",
        "go.maxprocs" => "GOMAXPROCS",
        "go.memlimit" => "GOMEMLIMIT",
        "go.goproxy" | "go.goproxy_direct" => "GOPROXY",
        "go.goprivate" => "GOPRIVATE",
        _ => return None,
    })
}

/// The effective config, every key, each with what it gives in this shell now.
fn show(env: &ShellEnv, path: &std::path::Path) -> i32 {
    let sys = crate::sysroot::Sys::from_env();
    let r = super::hook::refresh(
        env,
        &sys,
        &super::hook::Opts {
            shell: None,
            login: false,
            first_prompt: false,
            init: false,
            interactive: true,
            lent_cfg: false,
        },
    );
    let l = config::load(path, env, None);
    if !l.issues.is_empty() {
        print_issues(&l.issues);
    }
    let mut s = match (&l.file, config::is_null(path)) {
        (_, true) => "# WSLGO_CONFIG=/dev/null: no config; the defaults\n".to_string(),
        (Some(f), _) => format!("# effective config: {} over the defaults\n", f.display()),
        (None, _) => format!("# no file at {}; the defaults\n", path.display()),
    };
    // The struct's own order (locale, go, proxy, hook, warn), each key with a comment.
    let text = toml::to_string(&r.config).unwrap_or_default();
    let mut section = String::new();
    for line in text.lines() {
        if let Some(h) = line.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
            section = h.to_string();
            s.push_str(&format!("\n{line}\n"));
            continue;
        }
        let Some((key, _)) = line.split_once(" = ") else {
            if !line.is_empty() {
                s.push_str(&format!("{line}\n"));
            }
            continue;
        };
        let name = format!("{section}.{key}");
        let now = var_of(&name)
            .and_then(|var| r.outcome.report.iter().find(|x| x.name == var))
            .map(|x| match (&x.value, x.action) {
                (Some(v), "keep") => format!("{}={} (kept: {})", x.name, v, x.reason),
                (Some(v), _) => format!("{}={} ({})", x.name, v, x.reason),
                (None, _) => format!("{} not exported ({})", x.name, x.reason),
            })
            .or_else(|| r.plan.resolved.iter().find(|(k, _)| *k == name).map(|(_, w)| w.clone()));
        match now {
            Some(n) => s.push_str(&format!("{line:<24} # now: {}\n", crate::warn::one_line(&n))),
            None => s.push_str(&format!("{line}\n")),
        }
    }
    super::emit(s.as_bytes());
    0
}
