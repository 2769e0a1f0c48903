//! Where the proxy's port comes from, first that applies (SPEC 5.4): `proxy.port`; the proxy
//! variables the shell started with (adopted); the Windows system proxy (read in the
//! background); the list of usual ports.

use super::adopt;
use super::host::{Host, scheme_of};
use crate::config::{AUTO_PORTS, Scheme};
use crate::plan::Ctx;
use crate::probe::proxy;
use crate::probe::winproxy::{self, Found, Lookup};
use crate::state::Adoption;

/// Which ports to try, and where they come from (SPEC 5.4's order).
pub(super) struct PortSource {
    pub ports: Vec<u16>,
    /// A port someone named (config, the adopted variables, Windows): it gets the warnings.
    pub named: Option<u16>,
    pub scheme: Scheme,
    pub how: String,
    pub notes: Vec<String>,
}

/// `proxy.port`; else the adopted variables; else (on WSL, host auto) the Windows system proxy
/// when it is on the Windows host; else the list.
pub(super) fn port_source(ctx: &Ctx, host: &Host, adopted: Option<&Adoption>) -> PortSource {
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
