//! The default gateway from `/proc/net/route` (SPEC 5.4): in WSL2's NAT mode it is the
//! Windows host, where a Windows-side proxy listens.
//!
//! Why not `/etc/resolv.conf`'s nameserver, as many scripts do: with DNS tunneling (WSL's
//! default since 2023) it is `10.255.255.254`, an address on the Linux side, and with a
//! systemd-resolved stub or a static file it is something else again. The routing table
//! always knows the gateway.
//!
//! The kernel writes the table (net/ipv4/fib_trie.c) as a header and one row per route,
//! fields TAB-separated and each line space-padded to 127 characters; addresses are the
//! network-order `__be32` printed with `%08X` on a little-endian host, so `172.29.64.1` reads
//! `01401DAC`. Hand-made copies use spaces; both are split on whitespace. The default route is
//! the row with destination and mask `00000000` and the RTF_GATEWAY flag, not merely the first
//! row; of several, the lowest metric wins (the kernel's own choice).

use crate::sysroot::Sys;
use std::net::Ipv4Addr;

const RTF_UP: u32 = 0x1;
const RTF_GATEWAY: u32 = 0x2;
/// The table is a few hundred bytes; a much larger file is not read past this.
const MAX_ROUTE: usize = 256 * 1024;

/// What the table says about the default gateway.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Gateway {
    /// The default route's gateway and the interface it leaves by.
    Found { addr: Ipv4Addr, iface: String },
    /// A valid table without a default route through a gateway.
    NoDefault,
    /// The table could not be used; the reason, in a few words.
    Corrupt(String),
}

/// Reads `/proc/net/route` behind the sysroot.
pub fn default_gateway(sys: &Sys) -> Gateway {
    match sys.read_max("/proc/net/route", MAX_ROUTE) {
        Ok(b) => parse(&b),
        Err(e) => Gateway::Corrupt(format!("cannot read /proc/net/route: {}", crate::sysroot::io_why(&e))),
    }
}

/// Finds the default gateway in the text of a route table.
pub(crate) fn parse(bytes: &[u8]) -> Gateway {
    let text = String::from_utf8_lossy(bytes);
    let mut lines = text.lines();
    let header: Vec<&str> = match lines.next() {
        Some(h) => h.split_whitespace().collect(),
        None => return Gateway::Corrupt("/proc/net/route is empty".into()),
    };
    let col = |name: &str| header.iter().position(|h| *h == name);
    let (Some(c_if), Some(c_dst), Some(c_gw), Some(c_fl), Some(c_mask)) =
        (col("Iface"), col("Destination"), col("Gateway"), col("Flags"), col("Mask"))
    else {
        return Gateway::Corrupt("/proc/net/route has no Iface/Destination/Gateway/Flags/Mask header".into());
    };
    let c_metric = col("Metric");
    let mut best: Option<(u32, Ipv4Addr, String)> = None;
    let mut problem: Option<String> = None;
    for (n, line) in lines.enumerate() {
        let f: Vec<&str> = line.split_whitespace().collect();
        if f.is_empty() {
            continue;
        }
        let get = |c: usize| f.get(c).copied();
        let (Some(dst), Some(flags), Some(mask)) = (
            get(c_dst).and_then(hex32),
            get(c_fl).and_then(hex_flags),
            get(c_mask).and_then(hex32),
        ) else {
            problem.get_or_insert_with(|| format!("/proc/net/route row {} is malformed", n + 2));
            continue;
        };
        if dst != 0 || mask != 0 || flags & (RTF_UP | RTF_GATEWAY) != RTF_UP | RTF_GATEWAY {
            continue;
        }
        let gw_text = get(c_gw).unwrap_or("");
        let gw = match hex32(gw_text) {
            Some(g) if g != 0 => Ipv4Addr::from(g.to_le_bytes()),
            _ => {
                problem = Some(format!("the default route's gateway {gw_text:?} is not an address"));
                continue;
            }
        };
        let metric = c_metric.and_then(get).and_then(|m| m.parse::<u32>().ok()).unwrap_or(u32::MAX);
        if best.as_ref().is_none_or(|(m, ..)| metric < *m) {
            best = Some((metric, gw, get(c_if).unwrap_or("?").to_string()));
        }
    }
    match (best, problem) {
        (Some((_, addr, iface)), _) => Gateway::Found { addr, iface },
        (None, Some(p)) => Gateway::Corrupt(p),
        (None, None) => Gateway::NoDefault,
    }
}

/// The flags column (the kernel's `%04X`).
fn hex_flags(s: &str) -> Option<u32> {
    if s.is_empty() || s.len() > 8 || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    u32::from_str_radix(s, 16).ok()
}

/// Exactly eight hex digits (the kernel's `%08X`).
fn hex32(s: &str) -> Option<u32> {
    if s.len() != 8 || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    u32::from_str_radix(s, 16).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn little_endian_and_flags() {
        let t = "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n\
                 eth0\t00401DAC\t00000000\t0001\t0\t0\t0\t00F0FFFF\t0\t0\t0\n\
                 eth1\t00000000\t0101A8C0\t0001\t0\t0\t0\t00000000\t0\t0\t0\n\
                 eth0\t00000000\t01401DAC\t0003\t0\t0\t100\t00000000\t0\t0\t0\n\
                 wlan0\t00000000\t0100000A\t0003\t0\t0\t600\t00000000\t0\t0\t0\n";
        assert_eq!(
            parse(t.as_bytes()),
            Gateway::Found {
                addr: Ipv4Addr::new(172, 29, 64, 1),
                iface: "eth0".into()
            }
        );
    }

    #[test]
    fn junk() {
        assert!(matches!(parse(b""), Gateway::Corrupt(_)));
        assert!(matches!(parse(b"\xff\xfe\x00garbage\n"), Gateway::Corrupt(_)));
        assert_eq!(parse(b"Iface Destination Gateway Flags Mask\n"), Gateway::NoDefault);
    }
}
