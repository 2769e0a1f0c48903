//! `wsl.winpath` (SPEC 8): the Windows PATH that interop appends: a Windows `go.exe` that
//! editors pick up, and many /mnt/c entries that make every command-not-found slow. (Its
//! siblings on the Windows side: [`super::wslconfig`], [`super::gitproxy`].)

use super::{Check, Input};
use crate::render::quote;

/// More Windows PATH entries than this make every command-not-found slow (microsoft/WSL#5696).
const MANY_WINPATH: usize = 8;

/// A path or word shell-quoted for a fix the user pastes.
pub(super) fn q(s: &str) -> String {
    String::from_utf8_lossy(&quote(s.as_bytes())).into_owned()
}

// ---------------------------------------------------------------------------------------------
// wsl.winpath

/// A PATH entry on a Windows drive (`/mnt/<letter>/...`), by its name only: a stat there is a
/// round trip to Windows.
fn on_windows_drive(e: &str) -> bool {
    let b = e.as_bytes();
    e.starts_with("/mnt/") && b.len() >= 6 && b[5].is_ascii_alphabetic() && (b.len() == 6 || b[6] == b'/')
}

pub(super) fn winpath(inp: &Input) -> Check {
    const ID: &str = "wsl.winpath";
    if let Some(why) = inp.not_wsl() {
        return Check::skip(ID, why);
    }
    let entries: Vec<String> = inp.env.path_entries().iter().map(|e| e.to_string_lossy().into_owned()).collect();
    let win: Vec<&String> = entries.iter().filter(|e| on_windows_drive(e)).collect();
    let appended = inp.wslconf.get_bool("interop.appendWindowsPath") != Some(false);
    if win.is_empty() {
        return Check::ok(
            ID,
            if appended {
                "no Windows directories on PATH".to_string()
            } else {
                "interop.appendWindowsPath = false: no Windows directories on PATH".to_string()
            },
        );
    }
    // A Windows go.exe: bounded number of stats (doctor, not a prompt).
    let go_exe: Vec<String> = win
        .iter()
        .take(64)
        .map(|e| format!("{}/go.exe", e.trim_end_matches('/')))
        .filter(|p| std::fs::metadata(inp.sys.path(p)).is_ok_and(|m| m.is_file()))
        .collect();
    let mut problems = Vec::new();
    if let Some(g) = go_exe.first() {
        problems.push(format!(
            "a Windows go.exe is on PATH ({g}): editors and tools that look for go.exe (or run `go.exe` by name) use the Windows SDK, not this distro's"
        ));
    }
    if win.len() > MANY_WINPATH {
        problems.push(format!(
            "{} Windows directories on PATH: every command-not-found searches each of them through Windows (seconds per typo, microsoft/WSL#5696)",
            win.len()
        ));
    }
    if problems.is_empty() {
        return Check::ok(ID, format!("{} Windows directories on PATH, no go.exe among them", win.len()));
    }
    // What to add back by hand: the usual ones a Linux user runs, never a Go directory.
    let keep: Vec<&String> = win
        .iter()
        .copied()
        .filter(|e| {
            let l = e.to_ascii_lowercase();
            !go_exe.iter().any(|g| g.starts_with(e.as_str()))
                && (l.ends_with("/windows/system32") || l.ends_with("/windows") || l.contains("microsoft vs code/bin"))
        })
        .collect();
    let add = if keep.is_empty() {
        String::new()
    } else {
        let joined: Vec<String> = keep.iter().map(|e| e.to_string()).collect();
        format!(
            "; then add back what you use, in ~/.bashrc or ~/.zshrc: export PATH=\"$PATH\":{}",
            q(&joined.join(":"))
        )
    };
    let fix = if appended {
        format!("in /etc/wsl.conf put `[interop]` and `appendWindowsPath = false`, then `wsl.exe --shutdown` from Windows{add}")
    } else {
        format!("appendWindowsPath is already false: remove the Windows directories your rc files add to PATH{add}")
    };
    Check::warn(ID, problems.join("; "), fix)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_drive_entries() {
        assert!(on_windows_drive("/mnt/c/Windows"));
        assert!(!on_windows_drive("/mnt/wsl/x"));
        assert!(!on_windows_drive("/mnt/cdrom"));
    }
}
