//! The Windows system proxy (SPEC 5.4): `ProxyEnable`, `ProxyServer` and `AutoConfigURL` from
//! `HKCU\Software\Microsoft\Windows\CurrentVersion\Internet Settings`, read with `reg.exe query`
//! through WSL interop, and a PAC file's first `PROXY host:port`.
//!
//! Interop is slow (a Windows process per call, tens to hundreds of milliseconds, seconds on a
//! busy machine) and may hang, so no prompt ever runs it: the hook reads a cached result (one
//! small file in the liveness cache's 0700 directory) and, when that is older than
//! [`FRESH_SECS`], starts the detached `wslgo probe-winproxy`, which runs `reg.exe` bounded by
//! [`WAIT`] (the child's process group is killed then), fetches a PAC file when one is set
//! (plain HTTP, bounded in time and size, only from the Windows host or loopback), and writes the
//! result by atomic rename. `wslgo env` and doctor run the same query in the foreground.
//!
//! `reg.exe` prints in the console's code page (GBK, cp1252, ...): the output is parsed as bytes,
//! and only the three values read are turned into text. What is parsed:
//!
//! ```text
//! HKEY_CURRENT_USER\Software\Microsoft\Windows\CurrentVersion\Internet Settings\r\n
//!     ProxyEnable    REG_DWORD    0x1\r\n
//!     ProxyServer    REG_SZ    http=127.0.0.1:7890;https=127.0.0.1:7890;socks=127.0.0.1:7891\r\n
//!     AutoConfigURL    REG_SZ    http://127.0.0.1:33331/pac\r\n
//! ```

use super::pac::host_port;
pub(crate) use super::pac::windows_local;
use crate::shellenv::ShellEnv;
use crate::sysroot::Sys;
use std::path::Path;
use std::time::{Duration, Instant};

/// Where interop puts reg.exe (read under the sysroot: tests put a stand-in script there).
pub const REG_EXE: &str = "/mnt/c/Windows/System32/reg.exe";
pub const KEY: &str = r"HKCU\Software\Microsoft\Windows\CurrentVersion\Internet Settings";
/// The most one lookup (reg.exe, and a PAC fetch) may take.
pub const WAIT: Duration = Duration::from_secs(3);
/// How long a result is trusted.
pub const FRESH_SECS: u64 = 600;
const MAX_REG_OUT: usize = 256 * 1024;
const FILE: &str = "winproxy";
const MARKER: &str = "winproxy.probing";
const TAG: &str = "wslgo-winproxy-1";
const MAX_LINE: usize = 1024;

/// The three values, as read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Values {
    pub enable: Option<bool>,
    pub server: Option<String>,
    pub pac: Option<String>,
}

impl Values {
    fn any(&self) -> bool {
        self.enable.is_some() || self.server.is_some() || self.pac.is_some()
    }
    fn merge(&mut self, o: Values) {
        self.enable = self.enable.or(o.enable);
        self.server = self.server.take().or(o.server);
        self.pac = self.pac.take().or(o.pac);
    }
}

/// Parses `reg.exe query` output (the whole key, or one value with `/v`): lines of
/// `<4 spaces><name><4 spaces><REG_type><4 spaces><data>`, CRLF or LF, any bytes elsewhere.
pub fn parse_reg(out: &[u8]) -> Values {
    let mut v = Values::default();
    for line in out.split(|&b| b == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let Some(rest) = line.strip_prefix(b"    ") else { continue };
        let Some(i) = memchr::memmem::find(rest, b"    REG_") else {
            continue;
        };
        let name = &rest[..i];
        let after = &rest[i + 4..];
        let (ty, data) = match memchr::memmem::find(after, b"    ") {
            Some(j) => (&after[..j], &after[j + 4..]),
            None => (after, &b""[..]),
        };
        let text = || {
            std::str::from_utf8(data)
                .ok()
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
        };
        if name.eq_ignore_ascii_case(b"ProxyEnable") && ty == b"REG_DWORD" {
            let d = std::str::from_utf8(data).unwrap_or("").trim();
            let n = d
                .strip_prefix("0x")
                .map_or_else(|| d.parse::<u64>().ok(), |h| u64::from_str_radix(h, 16).ok());
            v.enable = n.map(|n| n != 0).or(v.enable);
        } else if name.eq_ignore_ascii_case(b"ProxyServer") && ty.starts_with(b"REG_") {
            v.server = text().or(v.server);
        } else if name.eq_ignore_ascii_case(b"AutoConfigURL") && ty.starts_with(b"REG_") {
            v.pac = text().or(v.pac);
        }
    }
    v
}

/// A proxy address as Windows names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Server {
    /// `http` or `socks5`.
    pub scheme: &'static str,
    pub host: String,
    pub port: u16,
}

/// `host:port`, or per protocol `http=h:p;https=h:p;socks=h:p` (http first, then https, then
/// socks), each maybe written as a URL (`http://h:p`).
pub fn parse_server(s: &str) -> Option<Server> {
    let entries: Vec<&str> = s.split([';', ' ']).map(str::trim).filter(|e| !e.is_empty()).collect();
    let mut by: Vec<(String, &str)> = Vec::new();
    for e in &entries {
        match e.split_once('=') {
            Some((k, v)) => by.push((k.trim().to_ascii_lowercase(), v.trim())),
            None => by.push((String::new(), e)),
        }
    }
    for want in ["", "http", "https", "socks"] {
        for (k, v) in &by {
            if *k != want {
                continue;
            }
            let scheme = if want == "socks" { "socks5" } else { "http" };
            if let Some((host, port)) = host_port(v) {
                return Some(Server { scheme, host, port });
            }
        }
    }
    None
}

/// What the lookup found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// A proxy: where Windows says it is (host as written there), and from which value.
    Proxy {
        scheme: &'static str,
        host: String,
        port: u16,
        from: String,
    },
    /// No proxy set, or it could not be read: why.
    Nothing(String),
}

/// A result and when it was made (Unix seconds).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lookup {
    pub at: u64,
    pub found: Found,
}

/// Asks Windows, bounded by [`WAIT`] in all. `windows_host`: the Windows host as WSL reaches it
/// (where a Windows-local PAC URL is fetched from); `None` when unknown (no PAC fetch then).
pub fn query(sys: &Sys, windows_host: Option<&str>) -> Found {
    let deadline = Instant::now() + WAIT;
    let exe = sys.path(REG_EXE);
    let mut vals = match run_reg(&exe, &[], deadline) {
        Ok(out) => parse_reg(&out),
        Err(e) => return Found::Nothing(e),
    };
    // Some builds answer a whole-key query with nothing useful: ask value by value.
    if !vals.any() {
        for name in ["ProxyEnable", "ProxyServer", "AutoConfigURL"] {
            if Instant::now() >= deadline {
                break;
            }
            if let Ok(out) = run_reg(&exe, &["/v", name], deadline) {
                vals.merge(parse_reg(&out));
            }
        }
    }
    decide(&vals, windows_host, deadline)
}

/// WinINet's order: a setup script (PAC) first, then the manual proxy when it is on.
fn decide(v: &Values, windows_host: Option<&str>, deadline: Instant) -> Found {
    let mut why = Vec::new();
    if let Some(url) = &v.pac {
        match super::pac::fetch(url, windows_host, deadline) {
            Ok((h, p)) => {
                return Found::Proxy {
                    scheme: "http",
                    host: h,
                    port: p,
                    from: format!("the PAC file {url} (AutoConfigURL)"),
                };
            }
            Err(e) => why.push(format!("AutoConfigURL {url}: {e}")),
        }
    }
    match (v.enable, &v.server) {
        (Some(true), Some(s)) => match parse_server(s) {
            Some(sv) => {
                return Found::Proxy {
                    scheme: sv.scheme,
                    host: sv.host,
                    port: sv.port,
                    from: format!("ProxyServer {s} (ProxyEnable 0x1)"),
                };
            }
            None => why.push(format!("ProxyServer {s} names no host:port")),
        },
        (Some(true), None) => why.push("ProxyEnable is 0x1 but no ProxyServer is set".into()),
        (_, Some(s)) => why.push(format!("ProxyServer {s} is set but ProxyEnable is not 0x1")),
        (_, None) if v.pac.is_none() => why.push("no proxy is set in Windows' Internet Settings".into()),
        _ => {}
    }
    Found::Nothing(why.join("; "))
}

/// Runs reg.exe with the key and `extra`, bounded by `deadline`.
fn run_reg(exe: &Path, extra: &[&str], deadline: Instant) -> Result<Vec<u8>, String> {
    let mut args = vec!["query", KEY];
    args.extend_from_slice(extra);
    super::interop::run(exe, &args, deadline, MAX_REG_OUT)
}

fn format_lookup(l: &Lookup) -> String {
    let clean = |s: &str| -> String { crate::warn::one_line(s).chars().filter(|c| *c != '\t').take(MAX_LINE / 2).collect() };
    match &l.found {
        Found::Proxy { scheme, host, port, from } => format!("{TAG}\t{}\tproxy\t{scheme}\t{host}\t{port}\t{}\n", l.at, clean(from)),
        Found::Nothing(why) => format!("{TAG}\t{}\tnone\t{}\n", l.at, clean(why)),
    }
}

fn parse_lookup(text: &str) -> Option<Lookup> {
    let line = text.strip_suffix('\n')?;
    let f: Vec<&str> = line.split('\t').collect();
    if f.first() != Some(&TAG) {
        return None;
    }
    let at: u64 = f.get(1)?.parse().ok()?;
    let found = match &f[2..] {
        ["proxy", scheme, host, port, from] => {
            let scheme = ["http", "socks5"].into_iter().find(|s| s == scheme)?;
            let (host, port) = host_port(&format!("{host}:{port}")).filter(|(h, _)| h == host)?;
            Found::Proxy {
                scheme,
                host,
                port,
                from: from.to_string(),
            }
        }
        ["none", why] => Found::Nothing(why.to_string()),
        _ => return None,
    };
    Some(Lookup { at, found })
}

/// The cached result, if any (anything malformed is no result).
pub fn read_cache(dir: &Path) -> Option<Lookup> {
    let path = dir.join(FILE);
    if !std::fs::symlink_metadata(&path).ok()?.is_file() {
        return None;
    }
    let b = crate::sysroot::read_bounded(&path, MAX_LINE).ok()?;
    parse_lookup(std::str::from_utf8(&b).ok()?)
}

fn write_cache(dir: &Path, l: &Lookup) {
    let _ = super::proxy::write_atomic(dir, FILE, format_lookup(l).as_bytes());
}

/// What the prompt knows: the cached result (maybe stale), and whether it is fresh.
#[derive(Debug, Clone)]
pub struct Known {
    pub lookup: Option<Lookup>,
    pub fresh: bool,
    /// Being looked up in the background now.
    pub pending: bool,
}

/// The prompt's view: the cache; when it is missing or older than [`FRESH_SECS`], a detached
/// `wslgo probe-winproxy` is started (one at a time, whatever the number of shells).
/// `interactive` (`wslgo env`, doctor): a stale result is looked up now instead, bounded.
pub fn known(env: &ShellEnv, sys: &Sys, windows_host: Option<&str>, interactive: bool) -> Known {
    let Ok(dir) = super::proxy::cache_dir(env) else {
        // No cache: nowhere to keep a background result; only an interactive caller asks.
        return if interactive {
            Known {
                lookup: Some(Lookup {
                    at: super::proxy::now_secs(),
                    found: query(sys, windows_host),
                }),
                fresh: true,
                pending: false,
            }
        } else {
            Known {
                lookup: None,
                fresh: false,
                pending: false,
            }
        };
    };
    let now = super::proxy::now_secs();
    let lookup = read_cache(&dir);
    let fresh = lookup.as_ref().is_some_and(|l| l.at <= now && now - l.at < FRESH_SECS);
    if fresh {
        return Known {
            lookup,
            fresh,
            pending: false,
        };
    }
    if interactive {
        let l = Lookup {
            at: now,
            found: query(sys, windows_host),
        };
        write_cache(&dir, &l);
        return Known {
            lookup: Some(l),
            fresh: true,
            pending: false,
        };
    }
    let pending = if super::proxy::claim_marker(&dir, MARKER, now) {
        super::proxy::spawn_detached(&["probe-winproxy".to_string()]);
        true
    } else {
        super::proxy::marker_fresh(&dir, MARKER, now)
    };
    Known {
        lookup,
        fresh: false,
        pending,
    }
}

/// `wslgo probe-winproxy`: the background lookup; writes the cache, removes the marker.
pub fn run_background(env: &ShellEnv, sys: &Sys, windows_host: Option<&str>) -> i32 {
    let Ok(dir) = super::proxy::cache_dir(env) else {
        return 1;
    };
    let l = Lookup {
        at: super::proxy::now_secs(),
        found: query(sys, windows_host),
    };
    write_cache(&dir, &l);
    let _ = std::fs::remove_file(dir.join(MARKER));
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reg_output_forms() {
        let whole = b"\r\nHKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Internet Settings\r\n    \
            User Agent    REG_SZ    Mozilla/4.0 (compatible; MSIE 8.0; Win32)\r\n    \
            ProxyOverride    REG_SZ    \xd6\xd0\xce\xc4;localhost;<local>\r\n    \
            ProxyEnable    REG_DWORD    0x1\r\n    \
            ProxyServer    REG_SZ    127.0.0.1:7890\r\n\r\n";
        let v = parse_reg(whole);
        assert_eq!(v.enable, Some(true));
        assert_eq!(v.server.as_deref(), Some("127.0.0.1:7890"));
        assert_eq!(v.pac, None);
        let one = b"\nHKEY_CURRENT_USER\\...\\Internet Settings\n    AutoConfigURL    REG_SZ    http://127.0.0.1:33331/pac\n\n";
        assert_eq!(parse_reg(one).pac.as_deref(), Some("http://127.0.0.1:33331/pac"));
        assert_eq!(parse_reg(b"    ProxyEnable    REG_DWORD    0x0\r\n").enable, Some(false));
        assert_eq!(parse_reg(b"    ProxyServer    REG_SZ    \r\n").server, None, "empty data");
        assert_eq!(
            parse_reg(b"ERROR: The system was unable to find the specified registry key or value.\r\n"),
            Values::default()
        );
        assert_eq!(parse_reg(&[0xff; 300]), Values::default());
    }

    #[test]
    fn server_forms() {
        let s = |t: &str| parse_server(t).map(|s| (s.scheme, s.host, s.port));
        assert_eq!(s("127.0.0.1:7890"), Some(("http", "127.0.0.1".into(), 7890)));
        assert_eq!(
            s("http=127.0.0.1:7890;https=127.0.0.1:7891;socks=127.0.0.1:7892"),
            Some(("http", "127.0.0.1".into(), 7890))
        );
        assert_eq!(s("socks=localhost:10808"), Some(("socks5", "localhost".into(), 10808)));
        assert_eq!(s("https=h:1;ftp=x:2"), Some(("http", "h".into(), 1)));
        assert_eq!(s("http://127.0.0.1:10809"), Some(("http", "127.0.0.1".into(), 10809)));
        assert_eq!(s("proxy.corp.example:8080;"), Some(("http", "proxy.corp.example".into(), 8080)));
        assert_eq!(s("127.0.0.1"), None, "no port");
        assert_eq!(s("h:0"), None);
        assert_eq!(s(""), None);
    }

    #[test]
    fn cache_round_trip() {
        for found in [
            Found::Proxy {
                scheme: "socks5",
                host: "127.0.0.1".into(),
                port: 7891,
                from: "ProxyServer x\ty".into(),
            },
            Found::Nothing("no proxy\nset".into()),
        ] {
            let l = Lookup { at: 42, found };
            let t = format_lookup(&l);
            let back = parse_lookup(&t).unwrap();
            assert_eq!(back.at, 42);
            assert_eq!(std::mem::discriminant(&back.found), std::mem::discriminant(&l.found));
            assert_eq!(t.lines().count(), 1);
        }
        assert!(parse_lookup("wslgo-winproxy-1\t1\tproxy\tftp\th\t1\tx\n").is_none());
        assert!(parse_lookup("wslgo-winproxy-1\t1\tproxy\thttp\t/etc\t1\tx\n").is_none());
        assert!(parse_lookup("garbage").is_none());
    }

    #[test]
    fn windows_local_names() {
        for h in ["127.0.0.1", "localhost", "LOCALHOST", "::1", "[::1]"] {
            assert!(windows_local(h), "{h}");
        }
        for h in ["172.29.64.1", "proxy.corp", "10.255.255.254", "127.0.0.3"] {
            assert!(!windows_local(h), "{h}");
        }
    }
}
