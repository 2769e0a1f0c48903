//! The fixes the Go warnings and doctor's Go checks offer (one text for both). Every path in a
//! command is shell-quoted; a config line is valid TOML.

use super::resolve::GoEnv;
use super::toolchain::{From, Mode, Source, mode};
use crate::probe::go::{GoVersion, Sdk, go_arch};
use crate::shellenv::ShellEnv;
use crate::sysroot::Sys;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

/// The release the tarball fix names when no module asks for a version: one known to exist
/// when this wslgo was built (a prompt never asks the network for the newest). Go 1.21 and
/// later switch to what a module needs by themselves.
pub(crate) const TARBALL_RELEASE: &str = "go1.25.0";

/// A path (or any word) in a pasteable command, shell-quoted by the one fix-quoting helper.
pub(crate) fn sh(p: impl AsRef<[u8]>) -> String {
    crate::quote::fix_word(p.as_ref())
}

/// A TOML basic string.
pub(crate) fn toml_str(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// `go-missing`: what works without any go (never `go install`): the official tarball into
/// /usr/local/go (which wslgo finds), or the distro package.
pub(crate) fn install_go(need: Option<&GoVersion>) -> String {
    let rel = need.map_or_else(|| TARBALL_RELEASE.to_string(), GoVersion::toolchain_for_go_line);
    let tgz = format!("{rel}.linux-{}.tar.gz", go_arch());
    format!(
        "install the official release: curl -LO https://go.dev/dl/{tgz} && sudo rm -rf /usr/local/go && sudo tar -C /usr/local -xzf {tgz} \
         (wslgo finds /usr/local/go); or the distro package: sudo apt install golang-go"
    )
}

/// golang.org/dl's commands for release `name` (needs a working go, which the caller has).
fn dl_commands(name: &str) -> String {
    format!("go install golang.org/dl/{name}@latest && {name} download (wslgo then finds it in ~/sdk/{name})")
}

/// `go-too-old`: the fix that fits why the go command cannot switch.
pub(crate) fn too_old(g: &GoEnv, need: &GoVersion) -> String {
    let want = need.toolchain_for_go_line();
    let (Some(gr), Some(r)) = (&g.goroot, &g.runs) else {
        return install_go(Some(need));
    };
    let sdk = &g.disc.sdks[gr.sdk];
    if !sdk.version.can_switch() {
        return format!("install {want}: {}", dl_commands(&want));
    }
    let allow = |value: &str| match &r.setting.from {
        From::Env => format!("export GOTOOLCHAIN={value} where your startup files set GOTOOLCHAIN (go env -w cannot override it)"),
        _ => format!("go env -w GOTOOLCHAIN={value}"),
    };
    match (&r.source, mode(&r.setting.value)) {
        (Source::Fails(why), _) if why.contains("on PATH only") => format!(
            "install {want} on PATH: {}; or let go download it: {}",
            dl_commands(&want),
            allow("auto")
        ),
        (Source::Fails(why), _) if why.contains("language version") => format!(
            "GOTOOLCHAIN={} names no toolchain: {} (or auto)",
            r.setting.value,
            allow(&format!("{}.0", r.setting.value.split('+').next().unwrap_or("")))
        ),
        (Source::Fails(why), _) => format!("{why}; install {want}: {}", dl_commands(&want)),
        (_, Ok(Mode::Local)) => format!(
            "let go switch to the toolchain the module needs: {}; or install {want}: {}",
            allow("auto"),
            dl_commands(&want)
        ),
        (_, Ok(Mode::Fixed(n))) => format!(
            "GOTOOLCHAIN={n} always runs {n}; let it switch up when a module needs more: {}",
            allow(&format!("{n}+auto"))
        ),
        _ => dl_commands(&want),
    }
}

/// The SDK as the system path the user knows (the sysroot's prefix taken off in tests).
pub(crate) fn sys_path(sys: &Sys, p: &Path) -> String {
    if sys.is_fake() {
        return sys.unpath(p).unwrap_or_else(|| p.to_path_buf()).display().to_string();
    }
    p.display().to_string()
}

/// Debian's and Ubuntu's golang-go package: its SDKs live in /usr/lib/go-X.Y.
pub(crate) fn is_distro(sys: &Sys, s: &Sdk) -> bool {
    sys_path(sys, &s.root).starts_with("/usr/lib/go")
}

/// `go-shadowed` and doctor's `go.shadowed`: ways out a user can take, never "take a system
/// directory off PATH". `other` is the SDK whose go comes first (None: not inside an SDK).
pub(crate) fn shadowed(sys: &Sys, env: &ShellEnv, other: Option<&Sdk>, default_is_other: bool, interactive_ok: bool) -> String {
    let mut ways: Vec<String> = Vec::new();
    if let Some(o) = other
        && !default_is_other
    {
        let file = match (crate::paths::config_file(env), crate::paths::home(env)) {
            (Ok(f), Some(h)) => crate::quote::fix_path(&h, &f),
            (Ok(f), None) => sh(f.as_os_str().as_bytes()),
            (Err(_), _) => "wslgo's config (wslgo config path)".to_string(),
        };
        ways.push(format!(
            "make it the default: go.root = {} in {file}",
            toml_str(&o.root.display().to_string()),
        ));
    }
    if let Some(o) = other.filter(|o| is_distro(sys, o)) {
        ways.push(format!(
            "remove the distro package if you do not need {}: sudo apt remove golang-go",
            o.version
        ));
    }
    if interactive_ok {
        ways.push("or nothing, for interactive work: in every shell with wslgo's hook go is GOROOT's".into());
    }
    ways.join("; ")
}
