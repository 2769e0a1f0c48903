//! What is wrong with a proxy port, and the one fix the hook and doctor give for it.

use super::host::Host;
use crate::probe::proxy::Answer;
use crate::probe::wsl::{Networking, Platform};
use crate::warn::Warning;

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
