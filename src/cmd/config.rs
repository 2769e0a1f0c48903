//! `wslgo config path|init|check|show`.

use crate::cli::ConfigAction;
use crate::config;
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
            super::emit(format!("{}\n", path.display()).as_bytes());
            0
        }
        ConfigAction::Init { force } => {
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
            let l = config::load(&path);
            if l.issues.is_empty() {
                match l.file {
                    Some(f) => super::emit(format!("{}: ok\n", f.display()).as_bytes()),
                    None => super::emit(format!("{}: no file; the defaults serve\n", path.display()).as_bytes()),
                }
                0
            } else {
                for i in &l.issues {
                    eprintln!("{}", super::hook::config_warning(i).line());
                }
                1
            }
        }
        ConfigAction::Show => {
            let l = config::load(&path);
            for i in &l.issues {
                eprintln!("{}", super::hook::config_warning(i).line());
            }
            let text = toml::to_string(&l.config).unwrap_or_default();
            super::emit(
                format!(
                    "# effective config ({})\n{text}",
                    l.file.map_or("defaults".into(), |f| f.display().to_string())
                )
                .as_bytes(),
            );
            0
        }
    }
}
