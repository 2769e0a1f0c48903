//! `wsl.wslconfig` (SPEC 8): %UserProfile%\.wslconfig, the Windows-side settings of the WSL VM,
//! read through /mnt/c: networkingMode, autoProxy, dnsTunneling, memory, processors, unknown
//! keys, and /etc/wsl.conf's sections put there by mistake.

use super::windows::q;
use super::{Check, Input};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// How long doctor waits for interop to name the Windows profile.
const INTEROP_WAIT: Duration = Duration::from_secs(2);
const MAX_FILE: usize = 256 * 1024;

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

pub(super) fn check(inp: &Input) -> Check {
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
    fn paths() {
        assert_eq!(windows_to_mnt(r"C:\Users\alice"), Some(PathBuf::from("/mnt/c/Users/alice")));
        assert_eq!(windows_to_mnt("%UserProfile%"), None);
        assert_eq!(windows_to_mnt(r"C:\Users\..\x"), None);
    }
}
