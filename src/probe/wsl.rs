//! WSL detection (SPEC 5.5): WSL1, WSL2 or plain Linux, and WSL2's networking mode.
//!
//! The kernel release says which kernel runs, not which system: Docker Desktop, Podman and
//! plain `docker run` containers on a WSL2 machine share WSL's kernel (`...-microsoft-standard-WSL2`)
//! but have none of WSL's plumbing (no interop, no Windows host on the default route in the
//! same sense, no `/run/WSL`). So WSL2 needs a second sign that this is a WSL distro. WSL1 has
//! no real Linux kernel at all; its fake release string (`4.4.0-19041-Microsoft`) is enough.
//!
//! The decision is [`classify`], a pure function of the release string and the markers found,
//! so tests drive it over every captured release and `/proc/version` string.

use crate::sysroot::Sys;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Wsl2,
    Wsl1,
    Linux,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Networking {
    Nat,
    Mirrored,
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Platform {
    pub kind: Kind,
    /// `/proc/sys/kernel/osrelease`, trimmed (empty when unreadable).
    pub kernel: String,
    /// WSL2 only (`null` elsewhere).
    pub networking: Option<Networking>,
}

/// The files whose presence marks a WSL distro (besides `$WSL_DISTRO_NAME`). Ubuntu's
/// wsl-setup with systemd registers the interop handler as `WSLInterop-late`.
pub(crate) const MARKERS: &[&str] = &[
    "/proc/sys/fs/binfmt_misc/WSLInterop",
    "/proc/sys/fs/binfmt_misc/WSLInterop-late",
    "/run/WSL",
];

/// WSL1, WSL2 or Linux from a kernel release (or a whole `/proc/version` line, which holds the
/// release) and whether a WSL distro marker was found. Case matters: WSL1 writes `Microsoft`,
/// WSL2 `microsoft-standard` (4.19 kernels) and `-WSL2` (5.x and later).
pub(crate) fn classify(release: &str, wsl_distro: bool) -> Kind {
    if release.contains("Microsoft") {
        Kind::Wsl1
    } else if (release.contains("WSL") || release.contains("microsoft-standard")) && wsl_distro {
        Kind::Wsl2
    } else {
        Kind::Linux
    }
}

impl Platform {
    pub(crate) fn is_wsl(&self) -> bool {
        self.kind != Kind::Linux
    }

    /// Detects the platform. `wsl_distro_name` is `$WSL_DISTRO_NAME` of the shell.
    pub(crate) fn detect(sys: &Sys, wsl_distro_name: bool) -> Platform {
        let read = |p: &str| {
            sys.read_attr(p, 4096)
                .map(|b| String::from_utf8_lossy(&b).trim().to_string())
                .unwrap_or_default()
        };
        let mut kernel = read("/proc/sys/kernel/osrelease");
        // Without /proc/sys (some container runtimes mask it), /proc/version still names the
        // release: `Linux version <release> (...)`.
        if kernel.is_empty() {
            let v = read("/proc/version");
            kernel = v
                .strip_prefix("Linux version ")
                .and_then(|r| r.split_whitespace().next())
                .unwrap_or("")
                .to_string();
        }
        // The markers only matter for a WSL2-like kernel (see [`classify`]): elsewhere they are
        // not looked for (three stats saved on every refresh on plain Linux).
        let wsl2_like = classify(&kernel, true) == Kind::Wsl2;
        let kind = classify(&kernel, wsl_distro_name || (wsl2_like && MARKERS.iter().any(|m| sys.exists(m))));
        let networking = (kind == Kind::Wsl2).then(|| networking(sys));
        Platform { kind, kernel, networking }
    }
}

/// WSL2's networking mode. Mirrored mode adds the `loopback0` interface (it carries the
/// Windows host's loopback); NAT mode has `eth0` on the Hyper-V switch.
fn networking(sys: &Sys) -> Networking {
    if sys.path("/sys/class/net/loopback0").exists() {
        Networking::Mirrored
    } else if sys.path("/sys/class/net/eth0").exists() {
        Networking::Nat
    } else {
        Networking::Unknown
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classify_cases() {
        assert_eq!(classify("4.4.0-19041-Microsoft", false), Kind::Wsl1);
        assert_eq!(classify("5.15.153.1-microsoft-standard-WSL2", true), Kind::Wsl2);
        assert_eq!(classify("5.15.153.1-microsoft-standard-WSL2", false), Kind::Linux, "container");
        assert_eq!(classify("6.1.0-18-amd64", true), Kind::Linux);
        assert_eq!(classify("", true), Kind::Linux);
    }
}
