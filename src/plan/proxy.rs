//! The proxy variables and GOPROXY/GOPRIVATE (SPEC 3, 5.4).
//!
//! On WSL a Go developer's proxy usually runs on Windows (Clash, v2rayN, ...), and its address
//! depends on WSL's networking: WSL1 and mirrored mode share Windows' localhost, NAT mode reaches
//! Windows at the default gateway. The variables point there while the proxy answers and vanish
//! when it stops, so `go get` never hangs on a dead proxy; GOPROXY can switch along with it
//! (`go.goproxy` through the proxy, `go.goproxy_direct` without, e.g. a mirror).
//!
//! The decisions ([`find_host`], [`decide`], [`goproxy`], the values) are pure functions; the
//! route table and the liveness probe are read by [`plan`] at the edge.

use super::{Ctx, Desired, Plan, adopt};
use crate::config::{AUTO_PORTS, Config, ProxyMode, Scheme};
use crate::probe::proxy::{self, Answer, PortStatus, Source, Wait};
use crate::probe::route::{self, Gateway};
use crate::probe::winproxy::{self, Found, Lookup};
use crate::probe::wsl::{Kind, Networking, Platform};
use crate::state::Adoption;
use crate::state::Owner;
use crate::warn::Warning;

/// The variables that carry the proxy URL.
pub(crate) const URL_VARS: &[&str] = &["http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"];
/// Every proxy variable wslgo manages.
const ALL_VARS: &[&str] = crate::state::PROXY_VARS;

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

/// What the liveness results mean.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Decision {
    /// Export the variables, for this port.
    pub up: Option<u16>,
    /// A warning to give: the configured port and what it got.
    pub trouble: Option<(u16, Answer)>,
}

/// `auto`: up while a port answers (the first in order). `on`: always up, on the port that
/// answers, else the configured one, else the first of the list. Warnings only for a port the
/// user named: with `port = "auto"`, ports that do not answer are the normal case for anyone
/// without a proxy on Windows, and `wslgo env` lists them instead.
pub(crate) fn decide(mode: ProxyMode, cfg_port: Option<u16>, ports: &[PortStatus]) -> Decision {
    let answering = ports.iter().find(|s| s.answer() == Some(&Answer::Up)).map(|s| s.port);
    let up = match mode {
        ProxyMode::Off => None,
        ProxyMode::Auto => answering,
        ProxyMode::On => answering.or(cfg_port).or(AUTO_PORTS.first().copied()),
    };
    let trouble = cfg_port.and_then(|p| {
        let s = ports.iter().find(|s| s.port == p)?;
        match s.answer()? {
            a @ (Answer::Refused | Answer::Timeout) => Some((p, a.clone())),
            _ => None,
        }
    });
    Decision { up, trouble }
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

/// `localhost,127.0.0.1,::1,<host>` and `proxy.no_proxy`, without repeats.
pub(crate) fn no_proxy(host: &str, extra: &[String]) -> String {
    let mut v: Vec<&str> = vec!["localhost", "127.0.0.1", "::1"];
    for e in std::iter::once(host).chain(extra.iter().map(String::as_str)) {
        let e = e.trim();
        if !e.is_empty() && !v.contains(&e) {
            v.push(e);
        }
    }
    v.join(",")
}

/// GOPROXY for a proxy that is up or not: `go.goproxy` while up; `go.goproxy_direct` while down,
/// and `go.goproxy` then too when no direct value is configured (a mirror meant for always).
pub(crate) fn goproxy(cfg: &Config, up: bool) -> Option<(String, &'static str)> {
    let (gp, direct) = (cfg.go.goproxy.trim(), cfg.go.goproxy_direct.trim());
    match (up, gp.is_empty(), direct.is_empty()) {
        (true, false, _) => Some((gp.into(), "go.goproxy, while the proxy is up")),
        (false, _, false) => Some((direct.into(), "go.goproxy_direct, while the proxy is down")),
        (false, false, true) => Some((gp.into(), "go.goproxy (no go.goproxy_direct for when the proxy is down)")),
        _ => None,
    }
}

pub(crate) fn plan(ctx: &Ctx, p: &mut Plan) {
    goprivate(ctx.cfg, p);
    let cfg = &ctx.cfg.proxy;
    let applies = match cfg.mode {
        ProxyMode::Off => Err("proxy.mode = off".to_string()),
        ProxyMode::On => Ok(()),
        ProxyMode::Auto if ctx.platform.is_wsl() || cfg.host.trim() != "auto" => Ok(()),
        ProxyMode::Auto => Err("not WSL and no proxy.host (proxy.mode = auto)".to_string()),
    };
    let host = applies.and_then(|()| find_host(&cfg.host, ctx.platform, || route::default_gateway(ctx.sys)));
    let host = match host {
        Ok(h) => h,
        Err(why) => {
            p.note(format!("proxy: not managed: {why}"));
            down(p, &why);
            set_goproxy(ctx.cfg, p, false);
            check_user_proxies(ctx, p);
            return;
        }
    };
    let adopted = adopt::current(ctx, &host);
    let src = port_source(ctx, &host, adopted.as_ref().map(|(a, _)| a));
    let wait = if ctx.interactive { Wait::Interactive } else { Wait::Prompt };
    let report = proxy::check(ctx.env, &host.addr, &src.ports, cfg.recheck_secs, wait);
    let d = decide(cfg.mode, src.named, &report.ports);

    let mode = match cfg.mode {
        ProxyMode::Auto => "auto",
        ProxyMode::On => "on",
        ProxyMode::Off => "off",
    };
    p.note(format!("proxy: mode {mode}; host {} from {}", host.addr, host.how));
    p.note(format!("proxy: port from {}", src.how));
    for n in &src.notes {
        p.note(format!("proxy: {n}"));
    }
    let now = proxy::now_secs();
    for s in &report.ports {
        p.note(format!("proxy: {}:{} {}", host.addr, s.port, port_line(s, now)));
    }
    if let Err(why) = &report.cache {
        p.note(format!("proxy: liveness is not cached ({why})"));
    }

    match d.up {
        Some(port) => {
            let u = url(src.scheme, &host.addr, port);
            let why = match report.ports.iter().find(|s| s.port == port).and_then(|s| s.probe.as_ref()) {
                Some(pr) if pr.answer == Answer::Up => format!("the proxy at {}:{port} answers", host.addr),
                _ => format!("proxy.mode = on ({}:{port} is not known to answer)", host.addr),
            };
            for name in ["http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"] {
                p.set(name, u.clone(), why.clone());
            }
            let np = no_proxy(&host.addr, &cfg.no_proxy);
            p.set("no_proxy", np.clone(), "local addresses and the proxy host bypass the proxy");
            p.set("NO_PROXY", np, "local addresses and the proxy host bypass the proxy");
            for name in ["all_proxy", "ALL_PROXY"] {
                if src.scheme == Scheme::Http {
                    p.unset(name, "proxy.scheme is http (all_proxy is for socks5)");
                } else {
                    p.set(name, u.clone(), why.clone());
                }
            }
        }
        None => {
            let tried: Vec<String> = src.ports.iter().map(u16::to_string).collect();
            down(p, &format!("no proxy answers at {} (port {})", host.addr, tried.join(", ")));
        }
    }
    if let Some((a, fresh)) = &adopted {
        take_over(ctx, p, &host, a, *fresh, d.up);
    }
    set_goproxy(ctx.cfg, p, d.up.is_some());
    if let Some((port, a)) = d.trouble {
        p.warn(trouble_warning(ctx.platform, &host, port, &a));
    }
    check_user_proxies(ctx, p);
}

/// The Windows host as the hook finds it with `proxy.host = "auto"` (the background lookup of
/// the Windows system proxy fetches a Windows-local PAC URL from there).
pub fn windows_host(sys: &crate::sysroot::Sys, env: &crate::shellenv::ShellEnv) -> Result<Host, String> {
    let platform = Platform::detect(sys, env.is_set("WSL_DISTRO_NAME"));
    find_host("auto", &platform, || route::default_gateway(sys))
}

/// Which ports to try, and where they come from (SPEC 5.4's order).
struct PortSource {
    ports: Vec<u16>,
    /// A port someone named (config, the adopted variables, Windows): it gets the warnings.
    named: Option<u16>,
    scheme: Scheme,
    how: String,
    notes: Vec<String>,
}

fn scheme_of(s: &str) -> Scheme {
    match s {
        "socks5" => Scheme::Socks5,
        "socks5h" => Scheme::Socks5h,
        _ => Scheme::Http,
    }
}

/// `proxy.port`; else the adopted variables; else (on WSL, host auto) the Windows system proxy
/// when it is on the Windows host; else the list.
fn port_source(ctx: &Ctx, host: &Host, adopted: Option<&Adoption>) -> PortSource {
    let cfg = &ctx.cfg.proxy;
    let one = |port: u16, scheme: Scheme, how: String, notes: Vec<String>| PortSource {
        ports: vec![port],
        named: Some(port),
        scheme,
        how,
        notes,
    };
    if let Some(port) = cfg.port {
        return one(port, cfg.scheme, "proxy.port in the config".into(), Vec::new());
    }
    if let Some(a) = adopted {
        let how = format!(
            "the proxy variables the shell started with ({} = {}://{}:{}), adopted at init (WSL's autoProxy or an rc file)",
            a.vars.join(", "),
            a.scheme,
            a.host,
            a.port
        );
        return one(a.port, scheme_of(&a.scheme), how, Vec::new());
    }
    let mut notes = Vec::new();
    if ctx.platform.is_wsl() && cfg.host.trim() == "auto" {
        let k = winproxy::known(ctx.env, ctx.sys, Some(&host.addr), ctx.interactive);
        let age = |at: u64| {
            let s = proxy::now_secs().saturating_sub(at);
            if k.fresh {
                format!("read {s} s ago")
            } else {
                format!("read {s} s ago; rereading in the background")
            }
        };
        match &k.lookup {
            Some(Lookup {
                at,
                found:
                    Found::Proxy {
                        scheme,
                        host: h,
                        port,
                        from,
                    },
            }) if winproxy::windows_local(h) || adopt::is_windows_host(h, host) => {
                let how = format!("the Windows system proxy {h}:{port} from {from} ({})", age(*at));
                return one(*port, scheme_of(scheme), how, notes);
            }
            Some(Lookup {
                at,
                found: Found::Proxy { host: h, port, from, .. },
            }) => notes.push(format!(
                "the Windows system proxy is {h}:{port} ({from}; {}), not on the Windows host: not used",
                age(*at)
            )),
            Some(Lookup {
                at,
                found: Found::Nothing(why),
            }) => notes.push(format!("the Windows system proxy: {why} ({})", age(*at))),
            None if k.pending => notes.push("the Windows system proxy: being read in the background".into()),
            None => notes.push("the Windows system proxy: not read (no cache directory)".into()),
        }
    }
    let list: Vec<String> = AUTO_PORTS.iter().map(u16::to_string).collect();
    PortSource {
        ports: AUTO_PORTS.to_vec(),
        named: None,
        scheme: cfg.scheme,
        how: format!("the list (the first that answers of {})", list.join(" ")),
        notes,
    }
}

/// The adopted variables are wslgo's: their original value while the proxy is up on the host
/// and port they name (else wslgo's URL), unset while it is down; taken over from the user by
/// the refresh that adopts them (`fresh`), and recorded in the state.
fn take_over(ctx: &Ctx, p: &mut Plan, host: &Host, a: &Adoption, fresh: bool, up: Option<u16>) {
    for &name in &a.vars {
        let orig = ctx.prior_str(name).map(str::to_string);
        let Some(d) = p.get(name).cloned() else { continue };
        let same = |o: &str| adopt::parse(o).is_some_and(|(_, h, port)| Some(port) == up && adopt::is_windows_host(&h, host));
        let value = match (up, &orig) {
            (Some(_), Some(o)) if same(o) => Some(o.clone().into()),
            (Some(_), _) => d.value.clone().or_else(|| Some(url(scheme_of(&a.scheme), &host.addr, up?).into())),
            (None, _) => None,
        };
        let was = orig.as_deref().unwrap_or("");
        p.put(Desired {
            name,
            value,
            reason: format!(
                "{}; adopted: the shell started with {name}={was}, the Windows proxy (proxy.adopt)",
                d.reason
            ),
            replace_user: fresh,
        });
    }
    if fresh {
        p.adopted = Some(a.clone());
    }
}

/// One port's status for `wslgo env`: what it got, how fast, and how old that is.
fn port_line(s: &PortStatus, now: u64) -> String {
    let Some(pr) = &s.probe else {
        return "not known yet (checking in the background)".into();
    };
    let fast = match pr.answer {
        Answer::Up | Answer::Refused => format!(" in {:.2} ms", pr.rtt_us as f64 / 1000.0),
        _ => String::new(),
    };
    let age = now.saturating_sub(pr.at);
    let when = match s.source {
        Source::Now => "checked now".to_string(),
        Source::Cached => format!("checked {age} s ago"),
        Source::Pending => format!("checked {age} s ago; rechecking in the background"),
    };
    format!("{}{fast} ({when})", pr.answer.describe())
}

/// Every proxy variable wslgo set goes (a user's stays).
fn down(p: &mut Plan, why: &str) {
    for name in ALL_VARS {
        p.unset(name, why.to_string());
    }
}

fn set_goproxy(cfg: &Config, p: &mut Plan, up: bool) {
    match goproxy(cfg, up) {
        Some((v, why)) => p.set("GOPROXY", v, why),
        None => p.unset("GOPROXY", "neither go.goproxy nor go.goproxy_direct applies"),
    }
}

/// GOPRIVATE from `go.goprivate`; GONOSUMDB and GONOPROXY follow it (as `go` itself does when
/// they are unset), unless the user set them on their own, which ownership keeps.
fn goprivate(cfg: &Config, p: &mut Plan) {
    let v = cfg.go.goprivate.trim();
    for name in ["GOPRIVATE", "GONOSUMDB", "GONOPROXY"] {
        if v.is_empty() {
            p.unset(name, "go.goprivate is not set");
        } else {
            p.set(name, v.to_string(), "go.goprivate");
        }
    }
}

/// What is wrong with a proxy port and the fix: the one text for the hook's warning and
/// doctor's `proxy.reach` (SPEC 5.4: "Doctor and the hook give the same fix").
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Trouble {
    /// `proxy-refused` or `proxy-timeout`.
    pub id: &'static str,
    pub what: String,
    pub fix: String,
}

/// The trouble for host:port and its answer (`Refused`; anything else that is not up is a
/// timeout: packets dropped). On WSL the fixes are the Windows-side ones (Allow LAN, the
/// firewall rule for NAT, the Hyper-V firewall for mirrored mode); on plain Linux they name no
/// Windows command.
pub(crate) fn trouble(platform: &Platform, host: &Host, port: u16, a: &Answer) -> Trouble {
    let subject = format!("{}:{port}", host.addr);
    let wsl = platform.is_wsl();
    let refused = matches!(a, Answer::Refused);
    let (id, what, fix) = match (refused, host.loopback, wsl) {
        (true, true, true) => (
            "proxy-refused",
            format!("nothing listens on {subject} (connection refused)"),
            "start the proxy app on Windows, or set proxy.port in wslgo's config to the port it listens on".to_string(),
        ),
        (true, false, true) => (
            "proxy-refused",
            format!("the proxy at {subject} refused WSL's connection: the app listens on 127.0.0.1 only"),
            "turn on \"Allow LAN\" (allow connections from the LAN) in the proxy app's settings".to_string(),
        ),
        (true, true, false) => (
            "proxy-refused",
            format!("nothing listens on {subject} (connection refused)"),
            "start the proxy, or set proxy.port in wslgo's config to the port it listens on".to_string(),
        ),
        (true, false, false) => (
            "proxy-refused",
            format!("the proxy at {subject} refused the connection"),
            format!(
                "start the proxy on {} and let it listen on an address this machine reaches (not 127.0.0.1 only), or set proxy.host and proxy.port in wslgo's config",
                host.addr
            ),
        ),
        (false, _, true) => {
            let fix = if platform.networking == Some(Networking::Mirrored) || host.loopback {
                "let WSL through the Hyper-V firewall, in an elevated PowerShell: Set-NetFirewallHyperVVMSetting -Name '{40E0AC32-46A5-438A-A0B2-2B479E8F2E90}' -DefaultInboundAction Allow".to_string()
            } else {
                format!(
                    "let WSL's interface through the Windows firewall, in an elevated PowerShell: New-NetFirewallRule -DisplayName \"WSL proxy {port}\" -Direction Inbound -InterfaceAlias \"vEthernet (WSL*)\" -Protocol TCP -LocalPort {port} -Action Allow"
                )
            };
            (
                "proxy-timeout",
                format!("the proxy at {subject} does not answer (packets are dropped, most likely by the Windows firewall)"),
                fix,
            )
        }
        (false, _, false) => (
            "proxy-timeout",
            format!("the proxy at {subject} does not answer (packets are dropped by a firewall, or nothing is there)"),
            format!(
                "let connections to TCP port {port} through the firewall on {} (and any on the way), or set proxy.host and proxy.port in wslgo's config",
                host.addr
            ),
        ),
    };
    Trouble { id, what, fix }
}

/// `proxy-refused` or `proxy-timeout` for host:port, with [`trouble`]'s fix.
pub(crate) fn trouble_warning(platform: &Platform, host: &Host, port: u16, a: &Answer) -> Warning {
    let t = trouble(platform, host, port, a);
    Warning::new(t.id, format!("{}:{port}", host.addr), t.what, t.fix)
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

/// `wslgo env`: a proxy variable the user set is kept, but if its proxy does not answer the
/// user is told (it is the usual cause of a `go get` that hangs).
fn check_user_proxies(ctx: &Ctx, p: &mut Plan) {
    if !ctx.interactive {
        return;
    }
    let mut seen: Vec<((String, u16), Option<Answer>)> = Vec::new();
    for name in URL_VARS {
        let cur = ctx.env.get(name);
        if ctx.state.owner(name, cur) != Owner::User {
            continue;
        }
        let Some(value) = cur.and_then(|v| v.to_str()).filter(|v| !v.is_empty()) else {
            continue;
        };
        let Some(hp) = url_host_port(value) else {
            continue;
        };
        let answer = match seen.iter().find(|(k, _)| *k == hp) {
            Some((_, a)) => a.clone(),
            None => {
                let r = proxy::check(ctx.env, &hp.0, &[hp.1], ctx.cfg.proxy.recheck_secs, Wait::Interactive);
                let a = r.ports.first().and_then(|s| s.answer().cloned());
                seen.push((hp.clone(), a.clone()));
                a
            }
        };
        if let Some(a) = answer.filter(|a| *a != Answer::Up) {
            let what = format!("the user's {name} ({value}) {}", a.describe());
            p.note(format!("proxy: {what}"));
            let d = p.get(name).cloned().unwrap_or(Desired {
                name,
                value: None,
                reason: String::new(),
                replace_user: false,
            });
            p.put(Desired {
                reason: format!("{}; its proxy {}", d.reason, a.describe()),
                ..d
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn st(port: u16, a: Option<Answer>) -> PortStatus {
        PortStatus {
            port,
            probe: a.map(|answer| proxy::Probe {
                answer,
                rtt_us: 100,
                at: 0,
            }),
            source: Source::Cached,
        }
    }

    #[test]
    fn decide_modes() {
        let ports = [
            st(7890, Some(Answer::Refused)),
            st(7897, Some(Answer::Up)),
            st(1080, Some(Answer::Up)),
        ];
        assert_eq!(decide(ProxyMode::Auto, None, &ports).up, Some(7897), "first that answers");
        assert_eq!(decide(ProxyMode::Auto, None, &ports).trouble, None, "auto ports do not warn");
        let one = [st(8080, Some(Answer::Timeout))];
        assert_eq!(
            decide(ProxyMode::Auto, Some(8080), &one),
            Decision {
                up: None,
                trouble: Some((8080, Answer::Timeout))
            }
        );
        assert_eq!(decide(ProxyMode::On, Some(8080), &one).up, Some(8080));
        assert_eq!(decide(ProxyMode::On, None, &[st(1, None)]).up, Some(AUTO_PORTS[0]));
        assert_eq!(decide(ProxyMode::Off, None, &ports).up, None);
    }

    #[test]
    fn values() {
        assert_eq!(url(Scheme::Http, "172.29.64.1", 7890), "http://172.29.64.1:7890");
        assert_eq!(url(Scheme::Socks5h, "::1", 1080), "socks5h://[::1]:1080");
        assert_eq!(
            no_proxy("127.0.0.1", &["corp.example".into(), "localhost".into()]),
            "localhost,127.0.0.1,::1,corp.example"
        );
        assert_eq!(url_host_port("http://u:p@10.0.0.1:3128/"), Some(("10.0.0.1".into(), 3128)));
        assert_eq!(url_host_port("socks5h://[::1]"), Some(("::1".into(), 1080)));
        assert_eq!(url_host_port("proxy.corp:8080"), Some(("proxy.corp".into(), 8080)));
        assert_eq!(url_host_port("http://h:notaport"), None);
    }

    #[test]
    fn goproxy_switch() {
        let mut c = Config::default();
        assert_eq!(goproxy(&c, true), None);
        c.go.goproxy = "https://proxy.golang.org,direct".into();
        assert_eq!(
            goproxy(&c, false).unwrap().0,
            "https://proxy.golang.org,direct",
            "no direct value: always goproxy"
        );
        c.go.goproxy_direct = "https://goproxy.cn,direct".into();
        assert_eq!(goproxy(&c, true).unwrap().0, "https://proxy.golang.org,direct");
        assert_eq!(goproxy(&c, false).unwrap().0, "https://goproxy.cn,direct");
    }
}
