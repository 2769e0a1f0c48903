//! A PAC (proxy auto-config) file: fetched from the Windows host by a plain HTTP/1.0 GET,
//! bounded in time and size, and its first `PROXY host:port` taken (SPEC 5.4). Only ever from
//! the Windows host (a Windows-local URL host, 127.0.0.1 or localhost, is the Windows host as
//! WSL reaches it); never another address.

use std::io::{Read, Write};
use std::net::{IpAddr, SocketAddr, TcpStream};
use std::time::{Duration, Instant};

const MAX_PAC: usize = 256 * 1024;

/// `h:p`, `[v6]:p` or a URL naming them; the port must be given.
pub(crate) fn host_port(s: &str) -> Option<(String, u16)> {
    let s = s.split_once("://").map_or(s, |(_, r)| r);
    let s = s.split(['/', '?', '#']).next()?;
    let s = s.rsplit_once('@').map_or(s, |(_, h)| h);
    let (h, p) = if let Some(r) = s.strip_prefix('[') {
        let (h, after) = r.split_once(']')?;
        (h, after.strip_prefix(':')?)
    } else {
        s.rsplit_once(':')?
    };
    let port: u16 = p.parse().ok().filter(|&p| p != 0)?;
    let ok = !h.is_empty() && h.len() <= 255 && h.bytes().all(|b| b.is_ascii_alphanumeric() || b".-:_".contains(&b));
    ok.then(|| (h.to_ascii_lowercase(), port))
}

/// 127.0.0.1, localhost, ::1: Windows' own loopback as Windows' proxy apps write it, which is
/// the Windows host as WSL sees it. (Other 127.x addresses are not what these apps use, and are
/// not taken for the Windows host.)
pub fn windows_local(host: &str) -> bool {
    let h = host.trim_start_matches('[').trim_end_matches(']');
    h.eq_ignore_ascii_case("localhost") || h == "127.0.0.1" || h == "::1"
}

/// The first `PROXY host:port` of a PAC file's text.
pub fn pac_proxy(text: &str) -> Option<(String, u16)> {
    let b = text.as_bytes();
    let mut from = 0;
    while let Some(i) = memchr::memmem::find(&b[from..], b"PROXY") {
        let at = from + i;
        from = at + 5;
        // A word of its own: `"PROXY h:p"`, `; PROXY h:p`, not `MYPROXY`.
        if at > 0 && (b[at - 1].is_ascii_alphanumeric() || b[at - 1] == b'_') {
            continue;
        }
        let rest = &text[at + 5..];
        if !rest.starts_with([' ', '\t']) {
            continue;
        }
        let tok: String = rest
            .trim_start()
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || ".-:[]_".contains(*c))
            .collect();
        if let Some(hp) = host_port(&tok) {
            return Some(hp);
        }
    }
    None
}

/// Fetches a PAC file by plain HTTP GET and takes its first `PROXY host:port`. Only from the
/// Windows host (a Windows-local URL host is the Windows host as WSL reaches it) or loopback:
/// never another address.
pub(crate) fn fetch(url: &str, windows_host: Option<&str>, deadline: Instant) -> Result<(String, u16), String> {
    let rest = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("HTTP://"))
        .ok_or("not a plain http:// URL; not fetched")?;
    let (auth, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let (uhost, port) = match host_port(auth) {
        Some(hp) => hp,
        None => (auth.to_ascii_lowercase(), 80),
    };
    let target = if windows_local(&uhost) {
        windows_host.ok_or("the Windows host is not known")?.to_string()
    } else if Some(uhost.as_str()) == windows_host {
        uhost.clone()
    } else {
        return Err(format!("{uhost} is not the Windows host; not fetched"));
    };
    let ip: IpAddr = target
        .trim_start_matches('[')
        .trim_end_matches(']')
        .parse()
        .map_err(|_| format!("{target} is not an address"))?;
    let left = |d: Instant| d.saturating_duration_since(Instant::now()).max(Duration::from_millis(1));
    let mut s = TcpStream::connect_timeout(&SocketAddr::new(ip, port), left(deadline))
        .map_err(|e| format!("{target}:{port}: {}", crate::warn::one_line(&e.to_string())))?;
    let _ = s.set_write_timeout(Some(left(deadline)));
    let path: String = path.chars().filter(|c| !c.is_control() && *c != ' ').collect();
    s.write_all(format!("GET {path} HTTP/1.0\r\nHost: {uhost}:{port}\r\nConnection: close\r\n\r\n").as_bytes())
        .map_err(|e| format!("sending the request: {e}"))?;
    let mut body = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        if Instant::now() >= deadline {
            return Err("no whole answer before the deadline".to_string());
        }
        let _ = s.set_read_timeout(Some(left(deadline)));
        match s.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                body.extend_from_slice(&buf[..n]);
                if body.len() > MAX_PAC + 16 * 1024 {
                    return Err(format!("larger than {} KiB; not read", MAX_PAC / 1024));
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(format!("reading the answer: {e}")),
        }
    }
    let head_end = memchr::memmem::find(&body, b"\r\n\r\n").ok_or("not an HTTP answer")?;
    let status = body.split(|&b| b == b'\n').next().unwrap_or(b"");
    let code = String::from_utf8_lossy(status).split_whitespace().nth(1).unwrap_or("").to_string();
    if code != "200" {
        return Err(format!(
            "answered {}",
            crate::warn::one_line(String::from_utf8_lossy(status).trim())
        ));
    }
    let text = String::from_utf8_lossy(&body[head_end + 4..]);
    pac_proxy(&text).ok_or_else(|| "the PAC file names no PROXY host:port".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pac_first_proxy() {
        let pac = "function FindProxyForURL(url, host) {\n  if (isPlainHostName(host)) return \"DIRECT\";\n  \
                   var MYPROXY = 1;\n  return \"PROXY 127.0.0.1:10809; SOCKS5 127.0.0.1:10808; DIRECT\";\n}\n\
                   // PROXY 10.0.0.1:3128\n";
        assert_eq!(pac_proxy(pac), Some(("127.0.0.1".into(), 10809)));
        assert_eq!(pac_proxy("return 'DIRECT';"), None);
        assert_eq!(
            pac_proxy("PROXYx 1.2.3.4:5 PROXY\tlocalhost:7890"),
            Some(("localhost".into(), 7890))
        );
    }
}
