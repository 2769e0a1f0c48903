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

use super::{Ctx, Desired, Plan};
use crate::config::{AUTO_PORTS, Config, ProxyMode, Scheme};
use crate::probe::proxy::{self, Answer, PortStatus, Source, Wait};
use crate::probe::route;
use crate::state::Owner;

pub(crate) mod adopt;
pub(crate) mod host;
mod source;
pub(crate) mod trouble;

pub use host::{Host, find_host};
pub(crate) use host::{URL_VARS, url, url_host_port, windows_host};
pub(crate) use trouble::{trouble, trouble_warning};

/// Every proxy variable wslgo manages.
const ALL_VARS: &[&str] = crate::state::PROXY_VARS;

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
            p.resolve("proxy.mode", format!("not managed: {why}"));
            down(p, &why);
            set_goproxy(ctx.cfg, p, false);
            check_user_proxies(ctx, p);
            return;
        }
    };
    let adopted = adopt::current(ctx, &host);
    let src = source::port_source(ctx, &host, adopted.as_ref().map(|(a, _)| a));
    let wait = if ctx.interactive { Wait::Interactive } else { Wait::Prompt };
    let report = proxy::check(ctx.env, &host.addr, &src.ports, cfg.recheck_secs, wait);
    let d = decide(cfg.mode, src.named, &report.ports);

    let mode = match cfg.mode {
        ProxyMode::Auto => "auto",
        ProxyMode::On => "on",
        ProxyMode::Off => "off",
    };
    p.note(format!("proxy: mode {mode}; host {} from {}", host.addr, host.how));
    p.resolve("proxy.mode", "managed (this is WSL, or proxy.host is set)");
    p.resolve("proxy.host", format!("{} ({})", host.addr, host.how));
    p.resolve(
        "proxy.port",
        match d.up {
            Some(port) => format!("{port} (it answers)"),
            None => format!("none answers of {:?} (port from {})", src.ports, src.how),
        },
    );
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
        adopt::take_over(ctx, p, &host, a, *fresh, d.up);
    }
    set_goproxy(ctx.cfg, p, d.up.is_some());
    if let Some((port, a)) = d.trouble {
        p.warn(trouble_warning(ctx.platform, &host, port, &a));
    }
    check_user_proxies(ctx, p);
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
