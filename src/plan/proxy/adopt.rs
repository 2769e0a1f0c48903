//! Adopting the proxy variables a shell started with (SPEC 3, 5.4; `proxy.adopt`).
//!
//! Current WSL copies the Windows proxy into every session once (autoProxy: `http_proxy`,
//! `HTTP_PROXY`, `https_proxy`/`HTTPS_PROXY` when Windows has a secure proxy) and never updates
//! it; the classic rc-file recipe placed before the init line does the same. When the proxy app
//! stops, every `go mod download` in every open shell hangs on a dead proxy. So at init, the
//! proxy variables whose host is the Windows host (as [`super::proxy::find_host`] finds it;
//! also `localhost`/127.0.0.1 when the host is reached through Windows' loopback) are taken over:
//! wslgo learns scheme, host and port from them, records the adoption in the state, and from
//! then on they are wslgo's (unset while the proxy is down, their original value back while it
//! is up, restored by `wslgo deactivate`). A variable pointing anywhere else, or one set after
//! init, is the user's.
//!
//! Only at init, and only when the shell has no wslgo state yet: a child shell inherits its
//! parent's state (and with it the parent's adoption), and re-sourcing the rc file must not
//! adopt what the user exported since.

use super::host::{Host, URL_VARS, scheme_of, url, url_host_port};
use crate::plan::{Ctx, Desired, Plan};
use crate::state::{ADOPT_SCHEMES, Adoption};

/// The adoption this refresh works with, and whether it is made now (the variables are then
/// still the user's and are taken over by this refresh).
pub(super) fn current(ctx: &Ctx, host: &Host) -> Option<(Adoption, bool)> {
    if let Some(a) = &ctx.state.adopted {
        return Some((a.clone(), false));
    }
    if !ctx.init || !ctx.cfg.proxy.adopt || !ctx.state.vars.is_empty() {
        return None;
    }
    let vars = URL_VARS.iter().filter_map(|&n| Some((n, ctx.env.get_str(n)?)));
    find(vars, host).map(|a| (a, true))
}

/// The variables (name, value) that point at the Windows host; the first one decides scheme,
/// host and port, and only variables naming the same host and port are adopted with it.
pub(crate) fn find<'a>(vars: impl Iterator<Item = (&'static str, &'a str)>, host: &Host) -> Option<Adoption> {
    let mut found: Option<Adoption> = None;
    for (name, value) in vars {
        let Some((scheme, h, port)) = parse(value) else { continue };
        if !is_windows_host(&h, host) {
            continue;
        }
        match &mut found {
            None => {
                found = Some(Adoption {
                    scheme,
                    host: h,
                    port,
                    vars: vec![name],
                })
            }
            Some(a) if a.host == h && a.port == port => a.vars.push(name),
            Some(_) => {}
        }
    }
    found.filter(Adoption::valid)
}

/// Scheme, host and port of a proxy URL (`http` when it has no scheme); `None` for a scheme
/// wslgo does not manage.
pub(crate) fn parse(value: &str) -> Option<(String, String, u16)> {
    let value = value.trim();
    let scheme = match value.split_once("://") {
        Some((s, _)) => s.to_ascii_lowercase(),
        None => "http".to_string(),
    };
    if !ADOPT_SCHEMES.contains(&scheme.as_str()) {
        return None;
    }
    let (h, p) = url_host_port(value)?;
    Some((scheme, h.to_ascii_lowercase(), p))
}

/// `h` is the Windows host: its address, or Windows' own loopback when that is how it is reached.
pub(crate) fn is_windows_host(h: &str, host: &Host) -> bool {
    let bare = h.trim_start_matches('[').trim_end_matches(']');
    bare.eq_ignore_ascii_case(&host.addr)
        || (host.loopback && (bare.eq_ignore_ascii_case("localhost") || bare.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())))
}

/// The adopted variables are wslgo's: their original value while the proxy is up on the host
/// and port they name (else wslgo's URL), unset while it is down; taken over from the user by
/// the refresh that adopts them (`fresh`), and recorded in the state.
pub(super) fn take_over(ctx: &Ctx, p: &mut Plan, host: &Host, a: &Adoption, fresh: bool, up: Option<u16>) {
    for &name in &a.vars {
        let orig = ctx.prior_str(name).map(str::to_string);
        let Some(d) = p.get(name).cloned() else { continue };
        let same = |o: &str| parse(o).is_some_and(|(_, h, port)| Some(port) == up && is_windows_host(&h, host));
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

#[cfg(test)]
mod tests {
    use super::*;

    fn nat() -> Host {
        Host {
            addr: "172.29.64.1".into(),
            how: String::new(),
            loopback: false,
        }
    }

    #[test]
    fn finds_the_windows_host_only() {
        let v = [
            ("http_proxy", "http://172.29.64.1:7890"),
            ("https_proxy", "http://proxy.corp.example:8080"),
            ("HTTP_PROXY", "http://172.29.64.1:7890/"),
            ("HTTPS_PROXY", "http://172.29.64.1:9999"),
            ("all_proxy", "socks5://127.0.0.1:7890"),
        ];
        let a = find(v.into_iter(), &nat()).unwrap();
        assert_eq!((a.scheme.as_str(), a.host.as_str(), a.port), ("http", "172.29.64.1", 7890));
        assert_eq!(
            a.vars,
            vec!["http_proxy", "HTTP_PROXY"],
            "same host:port only; 127.0.0.1 is Linux's own in NAT mode"
        );
        assert!(find([("http_proxy", "http://10.0.0.1:3128")].into_iter(), &nat()).is_none());
        assert!(find([("http_proxy", "ftp://172.29.64.1:21")].into_iter(), &nat()).is_none());
    }

    #[test]
    fn loopback_host_takes_localhost() {
        let lo = Host {
            addr: "127.0.0.1".into(),
            how: String::new(),
            loopback: true,
        };
        let a = find(
            [("HTTP_PROXY", "http://localhost:7897"), ("http_proxy", "HTTP://LOCALHOST:7897")].into_iter(),
            &lo,
        )
        .unwrap();
        assert_eq!((a.host.as_str(), a.port), ("localhost", 7897));
        assert_eq!(a.vars, vec!["HTTP_PROXY", "http_proxy"]);
    }
}
