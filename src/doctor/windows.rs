//! Doctor's Windows side (SPEC 8): `wsl.wslconfig` (%UserProfile%\.wslconfig, read through
//! /mnt/c), `wsl.winpath` (the Windows PATH that interop appends) and `git.proxy` (git's own
//! proxy setting, which overrides the environment wslgo keeps right).

use super::{Check, Input};
use crate::probe::proxy::{self, Answer, Wait};
use crate::render::quote;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// How long doctor waits for interop to name the Windows profile.
const INTEROP_WAIT: Duration = Duration::from_secs(2);
const MAX_FILE: usize = 256 * 1024;
/// More Windows PATH entries than this make every command-not-found slow (microsoft/WSL#5696).
const MANY_WINPATH: usize = 8;

pub fn checks(inp: &Input) -> Vec<Check> {
    vec![wslconfig(inp), winpath(inp), git_proxy(inp)]
}

fn q(s: &str) -> String {
    String::from_utf8_lossy(&quote(s.as_bytes())).into_owned()
}

// ---------------------------------------------------------------------------------------------
// wsl.wslconfig

/// The keys WSL reads from `.wslconfig` (microsoft/WSL WslCoreConfig.cpp; `[experimental]` also
/// takes the networking keys, their old place).
const WSL2_KEYS: &[&str] = &[
    "kernel",
    "kernelCommandLine",
    "kernelModules",
    "memory",
    "processors",
    "localhostForwarding",
    "swap",
    "swapFile",
    "pageReporting",
    "guiApplications",
    "debugConsole",
    "nestedVirtualization",
    "vmIdleTimeout",
    "dnsProxy",
    "networkingMode",
    "firewall",
    "dnsTunneling",
    "autoProxy",
    "defaultVhdSize",
    "safeMode",
    "maxCrashDumpCount",
    "virtio9p",
    "virtiofs",
    "hardwarePerformanceCounters",
];
const EXPERIMENTAL_KEYS: &[&str] = &[
    "autoMemoryReclaim",
    "sparseVhd",
    "bestEffortDnsParsing",
    "dnsTunnelingIpAddress",
    "initialAutoProxyTimeout",
    "ignoredPorts",
    "hostAddressLoopback",
    "networkingMode",
    "dnsTunneling",
    "firewall",
    "autoProxy",
    "useWindowsDnsCache",
];
/// `/etc/wsl.conf`'s sections: they do nothing in `.wslconfig`.
const WSLCONF_SECTIONS: &[&str] = &["boot", "automount", "network", "interop", "user", "filesystem", "gpu", "time"];

/// A parsed `.wslconfig`: `section.key = value` entries (first wins) and what is wrong.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct WslConfig {
    pub entries: Vec<(String, String)>,
    pub problems: Vec<String>,
}

impl WslConfig {
    /// The value of a `[wsl2]` key, else of the same key under `[experimental]`.
    pub fn get(&self, key: &str) -> Option<&str> {
        let find = |s: &str| {
            self.entries
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(&format!("{s}.{key}")))
                .map(|(_, v)| v.as_str())
        };
        find("wsl2").or_else(|| find("experimental"))
    }
}

/// Parses the text of a `.wslconfig`.
pub fn parse_wslconfig(text: &str) -> WslConfig {
    let mut c = WslConfig::default();
    let mut section = String::new();
    for (i, raw) in text.lines().enumerate() {
        let n = i + 1;
        let line = raw.trim_start_matches('\u{feff}').trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(rest) = line.strip_prefix('[') {
            section = rest.split(']').next().unwrap_or("").trim().to_ascii_lowercase();
            if WSLCONF_SECTIONS.contains(&section.as_str()) {
                c.problems.push(format!(
                    "line {n}: [{section}] is a section of /etc/wsl.conf (inside the distro), not of .wslconfig"
                ));
            } else if section != "wsl2" && section != "experimental" {
                c.problems.push(format!(
                    "line {n}: unknown section [{section}]{}",
                    near(&section, ["wsl2", "experimental"].into_iter())
                ));
            }
            continue;
        }
        let Some((k, v)) = line.split_once('=') else {
            c.problems.push(format!("line {n}: `{}` is not key = value", short(line)));
            continue;
        };
        let key = k.trim();
        let value = v.split('#').next().unwrap_or("").trim().trim_matches('"').to_string();
        let known: &[&str] = match section.as_str() {
            "wsl2" => WSL2_KEYS,
            "experimental" => EXPERIMENTAL_KEYS,
            _ => continue,
        };
        if !known.iter().any(|x| x.eq_ignore_ascii_case(key)) {
            c.problems
                .push(format!("line {n}: unknown key {section}.{key}{}", near(key, known.iter().copied())));
            continue;
        }
        if let Some(why) = bad_value(key, &value) {
            c.problems.push(format!("line {n}: {section}.{key} = {}: {why}", short(&value)));
        }
        c.entries.push((format!("{section}.{key}"), value));
    }
    c
}

fn near<'a>(name: &str, known: impl Iterator<Item = &'a str>) -> String {
    crate::config::nearest(name, known).map_or_else(String::new, |k| format!(" (did you mean {k}?)"))
}

fn short(s: &str) -> String {
    let s: String = s.chars().take(60).collect();
    crate::warn::one_line(&s)
}

fn bad_value(key: &str, v: &str) -> Option<String> {
    let k = key.to_ascii_lowercase();
    let boolish = [
        "localhostforwarding",
        "dnstunneling",
        "autoproxy",
        "firewall",
        "dnsproxy",
        "guiapplications",
        "debugconsole",
        "nestedvirtualization",
        "pagereporting",
        "safemode",
        "sparsevhd",
        "hostaddressloopback",
        "bestEffortDnsParsing",
    ];
    if boolish.iter().any(|b| b.eq_ignore_ascii_case(&k)) && !matches!(v.to_ascii_lowercase().as_str(), "true" | "false") {
        return Some("expected true or false".into());
    }
    match k.as_str() {
        "networkingmode"
            if !matches!(
                v.to_ascii_lowercase().as_str(),
                "nat" | "mirrored" | "virtioproxy" | "bridged" | "none"
            ) =>
        {
            Some("expected nat or mirrored".into())
        }
        "processors" if v.parse::<u32>().map_or(true, |n| n == 0) => Some("expected a number of processors".into()),
        "memory" | "swap" if size_bytes(v).is_none() => Some("expected a size such as 8GB".into()),
        _ => None,
    }
}

/// `4GB`, `4G`, `512MB`, `1024` (bytes) as WSL reads them.
fn size_bytes(v: &str) -> Option<u64> {
    let v = v.trim();
    let i = v.find(|c: char| !c.is_ascii_digit()).unwrap_or(v.len());
    let n: u64 = v[..i].parse().ok()?;
    let mult = match v[i..].trim().to_ascii_uppercase().as_str() {
        "" | "B" => 1,
        "K" | "KB" => 1 << 10,
        "M" | "MB" => 1 << 20,
        "G" | "GB" => 1 << 30,
        "T" | "TB" => 1 << 40,
        _ => return None,
    };
    n.checked_mul(mult)
}

/// The Windows user's profile under /mnt/c: the one interop names (`cmd.exe /c echo
/// %UserProfile%`, within [`INTEROP_WAIT`]), else the one `/mnt/c/Users/<name>` that holds a
/// `.wslconfig`. `Err`: why none.
fn profile(inp: &Input) -> Result<(PathBuf, String), String> {
    let cmd = inp.sys.path("/mnt/c/Windows/System32/cmd.exe");
    let asked = crate::probe::interop::run(&cmd, &["/d", "/c", "echo %UserProfile%"], Instant::now() + INTEROP_WAIT, 4096);
    if let Ok(out) = &asked {
        let s = String::from_utf8_lossy(out);
        let s = s.trim();
        if let Some(p) = windows_to_mnt(s) {
            return Ok((p, format!("%UserProfile% is {s} (asked through interop)")));
        }
    }
    let users = inp.sys.path("/mnt/c/Users");
    let mut holders: Vec<String> = Vec::new();
    if let Ok(rd) = std::fs::read_dir(&users) {
        for e in rd.flatten().take(256) {
            let name = e.file_name().to_string_lossy().into_owned();
            if std::fs::symlink_metadata(e.path().join(".wslconfig")).is_ok_and(|m| m.is_file()) {
                holders.push(name);
            }
        }
    }
    holders.sort();
    match holders.as_slice() {
        [one] => Ok((
            PathBuf::from(format!("/mnt/c/Users/{one}")),
            "the one Windows profile under /mnt/c/Users with a .wslconfig; interop did not name one".to_string(),
        )),
        [] => Err("no .wslconfig in any Windows profile under /mnt/c/Users (WSL's defaults apply)".into()),
        many => Err(format!(
            "several Windows profiles hold a .wslconfig ({}) and interop did not say which is yours",
            many.join(", ")
        )),
    }
}

/// `C:\Users\alice` -> `/mnt/c/Users/alice`.
fn windows_to_mnt(s: &str) -> Option<PathBuf> {
    let b = s.as_bytes();
    if b.len() < 3 || !b[0].is_ascii_alphabetic() || b[1] != b':' || b[2] != b'\\' || s.contains('%') || s.contains(['\n', '\0']) {
        return None;
    }
    let rest = s[3..].replace('\\', "/");
    if rest.split('/').any(|c| c == "..") {
        return None;
    }
    Some(PathBuf::from(format!("/mnt/{}/{rest}", (b[0] as char).to_ascii_lowercase())))
}

fn wslconfig(inp: &Input) -> Check {
    const ID: &str = "wsl.wslconfig";
    if let Some(why) = inp.not_wsl() {
        return Check::skip(ID, why);
    }
    let (dir, how) = match profile(inp) {
        Ok(p) => p,
        Err(why) => return Check::ok(ID, why),
    };
    let path = dir.join(".wslconfig");
    let text = match inp.sys.read_max(&path, MAX_FILE + 1) {
        Ok(b) if b.len() > MAX_FILE => {
            return Check::warn(
                ID,
                format!("{} is larger than {} KiB; not read", path.display(), MAX_FILE / 1024),
                "shorten it",
            );
        }
        Ok(b) if b.contains(&0) => {
            // Notepad's "Unicode" is UTF-16, which WSL does not read either.
            return Check::warn(
                ID,
                format!("{} is not plain text (UTF-16?): WSL ignores it", path.display()),
                "save it as UTF-8 (in Notepad: Save as, Encoding UTF-8)",
            );
        }
        Ok(b) => String::from_utf8_lossy(&b).into_owned(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Check::ok(
                ID,
                format!("no {} ({how}): WSL's defaults apply (NAT networking, autoProxy on)", path.display()),
            );
        }
        Err(e) => return Check::skip(ID, format!("cannot read {}: {}", path.display(), super::io_why(&e))),
    };
    let c = parse_wslconfig(&text);
    let mode = c.get("networkingMode").unwrap_or("nat (default)").to_ascii_lowercase();
    let auto = c.get("autoProxy").unwrap_or("true (default)");
    let dns = c.get("dnsTunneling").unwrap_or("true (default)");
    let mut facts = vec![
        format!("networkingMode {mode}"),
        format!("autoProxy {auto}"),
        format!("dnsTunneling {dns}"),
    ];
    if let Some(m) = c.get("memory") {
        facts.push(format!("memory {m}"));
    }
    if let Some(p) = c.get("processors") {
        facts.push(format!("processors {p}"));
    }
    if c.entries.iter().any(|(k, _)| {
        k.starts_with("experimental.")
            && ["networkingmode", "dnstunneling", "autoproxy", "firewall"].contains(&k[13..].to_ascii_lowercase().as_str())
    }) {
        facts.push("networking keys under [experimental] (their old place; current WSL reads them under [wsl2])".into());
    }
    let summary = format!("{} ({how}): {}", path.display(), facts.join(", "));
    if c.problems.is_empty() {
        return Check::ok(ID, summary);
    }
    Check::warn(
        ID,
        format!("{summary}; {}", c.problems.join("; ")),
        format!(
            "edit {} on Windows (WSL's sections there are [wsl2] and [experimental]; distro settings go in /etc/wsl.conf), then run `wsl.exe --shutdown` from Windows",
            q(&path.display().to_string())
        ),
    )
}

// ---------------------------------------------------------------------------------------------
// wsl.winpath

/// A PATH entry on a Windows drive (`/mnt/<letter>/...`), by its name only: a stat there is a
/// round trip to Windows.
fn on_windows_drive(e: &str) -> bool {
    let b = e.as_bytes();
    e.starts_with("/mnt/") && b.len() >= 6 && b[5].is_ascii_alphabetic() && (b.len() == 6 || b[6] == b'/')
}

fn winpath(inp: &Input) -> Check {
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

// ---------------------------------------------------------------------------------------------
// git.proxy

/// git's proxy settings in one config file: (`http.proxy`-style key, value, line).
pub fn git_proxies(text: &str) -> Vec<(String, String, usize)> {
    let mut out = Vec::new();
    let mut section = String::new();
    let mut sub: Option<String> = None;
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        let mut rest = line;
        if let Some(r) = line.strip_prefix('[') {
            let Some((head, after)) = r.split_once(']') else { continue };
            let head = head.trim();
            match head.split_once([' ', '\t']) {
                Some((s, subs)) => {
                    section = s.to_ascii_lowercase();
                    sub = Some(subs.trim().trim_matches('"').to_string());
                }
                None => match head.split_once('.') {
                    Some((s, subs)) => {
                        section = s.to_ascii_lowercase();
                        sub = Some(subs.to_ascii_lowercase());
                    }
                    None => {
                        section = head.to_ascii_lowercase();
                        sub = None;
                    }
                },
            }
            rest = after.trim();
            if rest.is_empty() {
                continue;
            }
        }
        if section != "http" && section != "https" {
            continue;
        }
        let Some((k, v)) = rest.split_once('=') else { continue };
        if !k.trim().eq_ignore_ascii_case("proxy") {
            continue;
        }
        let mut v = v.trim();
        if let Some(c) = v.find([' ', '\t']).filter(|_| !v.starts_with('"')).and_then(|_| v.find([';', '#'])) {
            v = v[..c].trim();
        }
        let v = v.split(['#', ';']).next().unwrap_or("").trim().trim_matches('"').to_string();
        let key = match &sub {
            Some(s) => format!("{section}.{s}.proxy"),
            None => format!("{section}.proxy"),
        };
        out.push((key, v, i + 1));
    }
    out
}

/// A private address of the kind WSL's NAT gives the Windows host (172.16.0.0/12 or
/// 192.168.0.0/16, ending in .1): one that is not today's came from an earlier WSL start.
fn looks_like_windows_host(h: &str) -> bool {
    match h.parse::<std::net::Ipv4Addr>() {
        Ok(ip) => {
            let o = ip.octets();
            o[3] == 1 && ((o[0] == 172 && (16..32).contains(&o[1])) || (o[0] == 192 && o[1] == 168))
        }
        Err(_) => false,
    }
}

fn git_proxy(inp: &Input) -> Check {
    const ID: &str = "git.proxy";
    // ~/.gitconfig and git's XDG file ($XDG_CONFIG_HOME/git/config, else ~/.config/git/config),
    // from absolute paths only (paths.rs).
    let home = crate::paths::home(inp.env);
    let xdg = crate::paths::config_home(inp.env).map(|d| d.join("git/config"));
    let files: Vec<PathBuf> = [home.map(|h| h.join(".gitconfig")), xdg].into_iter().flatten().collect();
    let mut found = Vec::new();
    for f in &files {
        // Files in HOME are real files, not system files: read directly, bounded.
        if let Some(t) = crate::sysroot::read_script(f, MAX_FILE) {
            for (k, v, line) in git_proxies(&t) {
                found.push((f.clone(), k, v, line));
            }
        }
    }
    if found.is_empty() {
        return Check::ok(
            ID,
            "git has no http.proxy/https.proxy of its own: it follows the environment's proxy variables",
        );
    }
    let host = crate::plan::proxy::windows_host(inp.sys, inp.env).ok();
    let mut warns = Vec::new();
    let mut fixes = Vec::new();
    let mut oks = Vec::new();
    for (file, key, value, line) in &found {
        let at = format!("{key} = {value} ({}:{line})", file.display());
        let unset = format!("git config --file {} --unset {}", q(&file.display().to_string()), q(key));
        if value.is_empty() {
            oks.push(format!("{at}: empty (no proxy for git)"));
            continue;
        }
        let Some((h, port)) = crate::plan::proxy::url_host_port(value) else {
            warns.push(format!("{at}: not a proxy URL git can use"));
            fixes.push(unset);
            continue;
        };
        let is_host = host.as_ref().is_some_and(|w| crate::plan::adopt::is_windows_host(&h, w));
        let loopback = h == "localhost" || h.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback());
        if is_host || loopback {
            // Only the Windows host or loopback is ever probed.
            let target = if h == "localhost" { "127.0.0.1".to_string() } else { h.clone() };
            let r = proxy::check(inp.env, &target, &[port], inp.cfg.proxy.recheck_secs, Wait::Interactive);
            match r.ports.first().and_then(|s| s.answer()) {
                Some(Answer::Up) => oks.push(format!("{at}: answers")),
                Some(a) => {
                    warns.push(format!(
                        "{at} {}: git uses it over the environment, so every git fetch through it fails",
                        a.describe()
                    ));
                    fixes.push(unset);
                }
                None => oks.push(format!("{at}: not checked")),
            }
        } else if let (true, Some(w)) = (looks_like_windows_host(&h), &host) {
            warns.push(format!(
                "{at}: {h} looks like the Windows host of an earlier WSL start (today's is {}): git uses it over the environment",
                w.addr
            ));
            fixes.push(unset);
        } else {
            oks.push(format!("{at}: not the Windows host (not probed)"));
        }
    }
    if warns.is_empty() {
        return Check::ok(ID, oks.join("; "));
    }
    fixes.dedup();
    Check::warn(
        ID,
        warns.join("; "),
        format!(
            "{} (wslgo keeps the environment's proxy variables current; git then follows them)",
            fixes.join(" && ")
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wslconfig_parse() {
        let c = parse_wslconfig(
            "[wsl2]\nnetworkingMode=mirrored # comment\nmemry=4GB\nprocessors=two\n[boot]\nsystemd=true\n[experimental]\nautoProxy=true\n",
        );
        assert_eq!(c.get("networkingMode"), Some("mirrored"));
        assert_eq!(c.get("autoProxy"), Some("true"), "from [experimental]");
        assert_eq!(c.problems.len(), 3, "{:?}", c.problems);
        assert!(c.problems[0].contains("did you mean memory"), "{:?}", c.problems);
        assert!(c.problems[2].contains("/etc/wsl.conf"), "{:?}", c.problems);
        assert_eq!(size_bytes("4GB"), Some(4 << 30));
        assert_eq!(size_bytes("4G"), Some(4 << 30));
        assert_eq!(size_bytes("lots"), None);
    }

    #[test]
    fn git_config_proxies() {
        let t = "[core]\n\teditor = vim\n[http]\n\tproxy = http://172.25.32.1:7890\n[https]\n\tproxy = \"socks5://127.0.0.1:1080\" ; old\n\
                 [http \"https://github.com\"]\n\tProxy = http://10.0.0.1:3128\n[http.https://corp.example]\n\tproxy =\n";
        let p = git_proxies(t);
        let keys: Vec<(&str, &str)> = p.iter().map(|(k, v, _)| (k.as_str(), v.as_str())).collect();
        assert_eq!(
            keys,
            vec![
                ("http.proxy", "http://172.25.32.1:7890"),
                ("https.proxy", "socks5://127.0.0.1:1080"),
                ("http.https://github.com.proxy", "http://10.0.0.1:3128"),
                ("http.https://corp.example.proxy", ""),
            ]
        );
        assert!(looks_like_windows_host("172.25.32.1"));
        assert!(!looks_like_windows_host("10.0.0.1"));
    }

    #[test]
    fn paths() {
        assert_eq!(windows_to_mnt(r"C:\Users\alice"), Some(PathBuf::from("/mnt/c/Users/alice")));
        assert_eq!(windows_to_mnt("%UserProfile%"), None);
        assert_eq!(windows_to_mnt(r"C:\Users\..\x"), None);
        assert!(on_windows_drive("/mnt/c/Windows"));
        assert!(!on_windows_drive("/mnt/wsl/x"));
        assert!(!on_windows_drive("/mnt/cdrom"));
    }
}
