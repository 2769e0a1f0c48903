//! `git.proxy` (SPEC 8): git's own http.proxy/https.proxy in ~/.gitconfig or the XDG git
//! config overrides the environment: one that points at a dead proxy, or at the Windows host
//! of an earlier WSL start, breaks every fetch. The files are read (git is never run), and only
//! the Windows host or loopback is ever probed.

use super::windows::q;
use super::{Check, Input};
use crate::probe::proxy::{self, Answer, Wait};
use std::path::PathBuf;

const MAX_FILE: usize = 256 * 1024;

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

pub(super) fn check(inp: &Input) -> Check {
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
        let is_host = host.as_ref().is_some_and(|w| crate::plan::proxy::adopt::is_windows_host(&h, w));
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
}
