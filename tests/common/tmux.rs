//! Real terminals for tests: a private tmux server, and a launcher that starts a sandbox's
//! interactive shell in it (a pty, so Ctrl-C, Tab and job control behave as for a person).

use super::{Sandbox, shell_path};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// A private tmux server (its own socket), killed on drop.
pub struct Tmux {
    sock: PathBuf,
    tmux: PathBuf,
}

impl Tmux {
    pub fn new(dir: &Path) -> Option<Tmux> {
        let tmux = shell_path("tmux")?;
        Some(Tmux {
            sock: dir.join("tmux.sock"),
            tmux,
        })
    }

    pub fn cmd(&self, args: &[&str]) -> std::process::Output {
        Command::new(&self.tmux)
            .arg("-S")
            .arg(&self.sock)
            .arg("-f")
            .arg("/dev/null")
            .args(args)
            .env_remove("TMUX")
            .output()
            .unwrap()
    }

    pub fn capture(&self, target: &str) -> String {
        String::from_utf8_lossy(&self.cmd(&["capture-pane", "-p", "-t", target]).stdout).into_owned()
    }

    /// Polls the pane until `done` holds for its text, or 15 s pass; returns the last text.
    pub fn wait(&self, target: &str, done: impl Fn(&str) -> bool) -> (bool, String) {
        let start = Instant::now();
        loop {
            let t = self.capture(target);
            if done(&t) {
                return (true, t);
            }
            if start.elapsed() > Duration::from_secs(15) {
                return (false, t);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.cmd(&["kill-server"]);
        let _ = std::fs::remove_file(&self.sock);
    }
}

pub const READY: &str = "READY>";

/// Writes a launcher for the sandbox's interactive `shell` (its rc file, its environment, a
/// real terminal type) and returns its path.
pub fn launcher(sb: &Sandbox, shell: &str) -> Option<PathBuf> {
    let cmd = sb.command(shell, false)?;
    let q = |s: &std::ffi::OsStr| String::from_utf8(wslgo::render::quote(std::os::unix::ffi::OsStrExt::as_bytes(s))).unwrap();
    let mut line = format!("cd {} && exec env -i", q(sb.home.as_os_str()));
    for (k, v) in cmd.get_envs() {
        let Some(v) = v else { continue };
        if k == "TERM" {
            continue;
        }
        line.push_str(&format!(" {}={}", k.to_str().unwrap(), q(v)));
    }
    line.push_str(" TERM=screen ");
    line.push_str(&q(cmd.get_program()));
    for a in cmd.get_args() {
        line.push(' ');
        line.push_str(&q(a));
    }
    let p = sb.dir.path().join(format!("launch-{shell}"));
    std::fs::write(&p, format!("#!/bin/bash\n{line}\n")).unwrap();
    std::fs::set_permissions(&p, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    Some(p)
}
