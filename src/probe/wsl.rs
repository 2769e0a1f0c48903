//! WSL detection (SPEC 5.5): WSL1, WSL2 or plain Linux, and WSL2's networking mode.

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

impl Platform {
    pub fn is_wsl(&self) -> bool {
        self.kind != Kind::Linux
    }

    /// Detects the platform. `wsl_distro_name` is `$WSL_DISTRO_NAME` of the shell.
    pub fn detect(sys: &Sys, wsl_distro_name: bool) -> Platform {
        let kernel = sys
            .read_max("/proc/sys/kernel/osrelease", 4096)
            .map(|b| String::from_utf8_lossy(&b).trim().to_string())
            .unwrap_or_default();
        let kind = if kernel.contains("Microsoft") {
            Kind::Wsl1
        } else if (kernel.contains("WSL") || kernel.contains("microsoft-standard")) && is_wsl_distro(sys, wsl_distro_name) {
            Kind::Wsl2
        } else {
            Kind::Linux
        };
        let networking = (kind == Kind::Wsl2).then(|| {
            if sys.path("/sys/class/net/loopback0").exists() {
                Networking::Mirrored
            } else if sys.path("/sys/class/net/eth0").exists() {
                Networking::Nat
            } else {
                Networking::Unknown
            }
        });
        Platform { kind, kernel, networking }
    }
}

/// A WSL distro rather than a container on WSL's kernel.
fn is_wsl_distro(sys: &Sys, wsl_distro_name: bool) -> bool {
    wsl_distro_name
        || sys.exists("/proc/sys/fs/binfmt_misc/WSLInterop")
        || sys.exists("/proc/sys/fs/binfmt_misc/WSLInterop-late")
        || sys.exists("/run/WSL")
}
