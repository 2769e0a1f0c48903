//! Where the Windows-side proxy is: the Windows host (SPEC 5.4) and the pieces of a proxy URL.

use crate::config::Scheme;
use crate::probe::route::{self, Gateway};
use crate::probe::wsl::{Kind, Networking, Platform};

/// The variables that carry the proxy URL.
pub(crate) const URL_VARS: &[&str] = &["http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"];

/// The Windows host, and how it was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Host {
    pub addr: String,
    pub how: String,
    /// Reached through Windows' own loopback (WSL1, mirrored mode, or a configured 127.0.0.1):
    /// a refused connect then means nothing listens, not that the app refuses the LAN.
    pub loopback: bool,
}

/// Where the proxy is (SPEC 5.4): `proxy.host`; WSL1 and mirrored mode: 127.0.0.1; else the
/// default gateway. `gateway` is only read when needed. Never resolv.conf's nameserver.
pub fn find_host(cfg_host: &str, platform: &Platform, gateway: impl FnOnce() -> Gateway) -> Result<Host, String> {
    if cfg_host != "auto" && !cfg_host.trim().is_empty() {
        let h = cfg_host.trim();
        let loopback = h == "localhost" || h.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback());
        return Ok(Host {
            addr: h.to_string(),
            how: "proxy.host in the config".into(),
            loopback,
        });
    }
    let lo = |how: &str| Host {
        addr: "127.0.0.1".into(),
        how: how.into(),
        loopback: true,
    };
    match (platform.kind, platform.networking) {
        (Kind::Wsl1, _) => Ok(lo("WSL1 shares Windows' network")),
        (Kind::Wsl2, Some(Networking::Mirrored)) => Ok(lo("mirrored networking (/sys/class/net/loopback0): Windows' localhost is shared")),
        _ => match gateway() {
            Gateway::Found { addr, iface } => Ok(Host {
                addr: addr.to_string(),
                how: format!("the default gateway in /proc/net/route (via {iface})"),
                loopback: false,
            }),
            Gateway::NoDefault => Err("no default route with a gateway in /proc/net/route".into()),
            Gateway::Corrupt(why) => Err(why),
        },
    }
}

/// The Windows host as the hook finds it with `proxy.host = "auto"` (the background lookup of
/// the Windows system proxy fetches a Windows-local PAC URL from there).
pub(crate) fn windows_host(sys: &crate::sysroot::Sys, env: &crate::shellenv::ShellEnv) -> Result<Host, String> {
    let platform = Platform::detect(sys, env.is_set("WSL_DISTRO_NAME"));
    find_host("auto", &platform, || route::default_gateway(sys))
}

/// `<scheme>://<host>:<port>`, with an IPv6 address in brackets.
pub(crate) fn url(scheme: Scheme, host: &str, port: u16) -> String {
    let h = if host.contains(':') && !host.starts_with('[') {
        format!("[{host}]")
    } else {
        host.to_string()
    };
    format!("{}://{h}:{port}", scheme.as_str())
}

/// The host and port a proxy URL names (`scheme://[user@]host[:port][/...]`).
pub(crate) fn url_host_port(u: &str) -> Option<(String, u16)> {
    let (scheme, rest) = match u.split_once("://") {
        Some((s, r)) => (s.to_ascii_lowercase(), r),
        None => ("http".to_string(), u),
    };
    let auth = rest.split(['/', '?', '#']).next()?;
    let hostport = auth.rsplit_once('@').map_or(auth, |(_, h)| h);
    let default = match scheme.as_str() {
        "https" => 443,
        "socks5" | "socks5h" | "socks4" | "socks4a" | "socks" => 1080,
        _ => 80,
    };
    let (host, port) = if let Some(r) = hostport.strip_prefix('[') {
        let (h, after) = r.split_once(']')?;
        (h.to_string(), after.strip_prefix(':').map_or(Some(default), |p| p.parse().ok())?)
    } else {
        match hostport.rsplit_once(':') {
            Some((h, p)) => (h.to_string(), p.parse().ok()?),
            None => (hostport.to_string(), default),
        }
    };
    (!host.is_empty()).then_some((host, port))
}

/// The config's scheme for a URL scheme (`http`/`https` -> http).
pub(crate) fn scheme_of(s: &str) -> Scheme {
    match s {
        "socks5" => Scheme::Socks5,
        "socks5h" => Scheme::Socks5h,
        _ => Scheme::Http,
    }
}
