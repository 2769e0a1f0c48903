//! Go itself: `go.sdk`, `go.path`, `go.gopath_bin`, `go.goroot_owner`, `go.env`,
//! `cgo.toolchain`.
//!
//! Nothing here runs `go` (SPEC 5.2): what the go command would see is worked out the way it
//! works it out: a variable in the environment wins over the `go env -w` file
//! (`$GOENV`, else `$XDG_CONFIG_HOME/go/env`, else `~/.config/go/env`), which wins over the
//! built-in default.

use super::goenv::{EnvFile, Found, go_var, gopath};
use super::{Check, Input};
use crate::probe::go;
use crate::shellenv::ShellEnv;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

fn euid() -> u32 {
    // SAFETY: geteuid(2) takes nothing, touches no memory and always succeeds.
    unsafe { libc::geteuid() }
}

pub(crate) fn checks(inp: &Input) -> Vec<Check> {
    let sdk = inp.sdks();
    vec![
        sdk_check(inp, sdk),
        path_check(inp, sdk),
        gopath_bin(inp),
        goroot_owner(inp, sdk),
        env_check(inp),
        cgo(inp),
    ]
}

// ---------------------------------------------------------------------------------------
// The SDK.

/// The first executable `name` on PATH, found as the SDK probe finds `go`.
fn which(env: &ShellEnv, name: &str) -> Option<PathBuf> {
    go::which(&env.path_entries(), name)
}

/// A path for the user: the system path for SDKs inside the sysroot, `~/...` under HOME.
fn show(inp: &Input, p: &Path) -> String {
    if !inp.home.as_os_str().is_empty()
        && let Ok(rel) = p.strip_prefix(&inp.home)
    {
        return format!("~/{}", rel.display());
    }
    if inp.sys.is_fake() {
        return inp.sys.unpath(p).unwrap_or_else(|| p.to_path_buf()).display().to_string();
    }
    p.display().to_string()
}

/// [`show`] as one word of a command a user may paste: `"$HOME"/...` under HOME (a `~` is not
/// expanded inside an assignment in every shell), the rest shell-quoted
/// ([`crate::quote::fix_word`]), so a path holding `$(...)`, quotes or spaces stays a path.
fn show_sh(inp: &Input, p: &Path) -> String {
    use crate::quote::fix_word;
    if !inp.home.as_os_str().is_empty()
        && inp.home.is_absolute()
        && let Ok(rel) = p.strip_prefix(&inp.home)
    {
        if rel.as_os_str().is_empty() {
            return "\"$HOME\"".into();
        }
        return format!("\"$HOME\"/{}", fix_word(rel.as_os_str().as_encoded_bytes()));
    }
    let shown = if inp.sys.is_fake() {
        inp.sys.unpath(p).unwrap_or_else(|| p.to_path_buf())
    } else {
        p.to_path_buf()
    };
    fix_word(shown.as_os_str().as_encoded_bytes())
}

/// `p` with `.bak` appended to its name.
fn bak(p: &Path) -> std::path::PathBuf {
    let mut n = p.as_os_str().to_os_string();
    n.push(".bak");
    n.into()
}

/// `export PATH=<dir>/bin:"$PATH"`, the directory quoted.
fn path_first(inp: &Input, dir: &Path) -> String {
    format!("export PATH={}:\"$PATH\"", show_sh(inp, &dir.join("bin")))
}

const INSTALL_FIX: &str =
    "download a release from https://go.dev/dl/ and: sudo rm -rf /usr/local/go && sudo tar -C /usr/local -xzf go1.X.Y.linux-amd64.tar.gz";

fn sdk_check(inp: &Input, f: &Found) -> Check {
    const ID: &str = "go.sdk";
    if let Some((p, None)) = &f.goroot_env {
        return Check::warn(
            ID,
            format!("GOROOT={} is not a Go SDK (no bin/go with a VERSION file)", p.display()),
            "unset GOROOT (wslgo then picks an installed SDK); or point it at an SDK directory",
        );
    }
    let Some(main) = f.main() else {
        return Check::fail(
            ID,
            "no Go SDK found ($GOROOT, go on PATH, /usr/local/go*, ~/sdk/go*, ~/.local/go, /usr/lib/go-*)",
            INSTALL_FIX,
        );
    };
    let others = f.installed.iter().filter(|s| s.root != main.root).count();
    let also = if others > 0 {
        format!("; {others} more installed")
    } else {
        String::new()
    };
    match &f.on_path {
        None => Check::warn(
            ID,
            format!("{} at {}, but no `go` on PATH", main.version, show(inp, &main.root)),
            format!(
                "eval \"$(wslgo init bash)\" in ~/.bashrc (or zsh in ~/.zshrc) puts it on PATH; or: {}",
                path_first(inp, &main.root)
            ),
        ),
        Some((go, sdk)) if sdk.as_ref().is_none_or(|s| s.root != main.root) => Check::warn(
            ID,
            format!(
                "the first go on PATH ({}{}) is not GOROOT's SDK ({} at {})",
                go.display(),
                sdk.as_ref().map(|s| format!(", {}", s.version)).unwrap_or_default(),
                main.version,
                show(inp, &main.root)
            ),
            format!("{}, or remove the other go", path_first(inp, &main.root)),
        ),
        Some(_) => Check::ok(ID, format!("{} at {} (go on PATH){also}", main.version, show(inp, &main.root))),
    }
}

fn path_check(inp: &Input, f: &Found) -> Check {
    const ID: &str = "go.path";
    let (p, src) = gopath(inp);
    if !p.is_absolute() {
        return Check::fail(
            ID,
            format!("GOPATH={} ({src}) is relative: the go command refuses it", p.display()),
            "export GOPATH=\"$HOME/go\" (or unset GOPATH: wslgo sets $HOME/go)",
        );
    }
    if let Some(s) = f.main()
        && (s.root == p || std::fs::canonicalize(&p).ok() == std::fs::canonicalize(&s.root).ok() && p.exists())
    {
        return Check::fail(
            ID,
            format!(
                "GOPATH={} ({src}) is the SDK itself: go ignores it (\"GOPATH set to GOROOT has no effect\")",
                p.display()
            ),
            "export GOPATH=\"$HOME/go\"",
        );
    }
    match p.metadata() {
        Err(_) => Check::ok(ID, format!("GOPATH={} ({src}); created by the first go install", show(inp, &p))),
        Ok(m) if !m.is_dir() => Check::fail(
            ID,
            format!("GOPATH={} ({src}) is not a directory", show(inp, &p)),
            format!("move it away: mv -- {} {}", show_sh(inp, &p), show_sh(inp, &bak(&p))),
        ),
        Ok(m) if !writable_by_me(&m) => Check::warn(
            ID,
            format!(
                "GOPATH={} ({src}) is not writable by you (owner uid {}): go install and module downloads fail",
                show(inp, &p),
                m.uid()
            ),
            format!("sudo chown -R \"$USER\" {}", show_sh(inp, &p)),
        ),
        Ok(_) => Check::ok(ID, format!("GOPATH={} ({src})", show(inp, &p))),
    }
}

fn writable_by_me(m: &std::fs::Metadata) -> bool {
    let me = euid();
    me == 0 || (m.uid() == me && m.mode() & 0o200 != 0) || m.mode() & 0o002 != 0
}

fn gopath_bin(inp: &Input) -> Check {
    const ID: &str = "go.gopath_bin";
    let file = inp.env_file();
    let (bin, what) = match go_var(inp.env, file, "GOBIN").filter(|(v, _)| !v.is_empty()) {
        Some((v, _)) => (PathBuf::from(v), "GOBIN"),
        None => (gopath(inp).0.join("bin"), "GOPATH/bin"),
    };
    let norm = |p: &Path| p.components().collect::<PathBuf>();
    let on = inp
        .env
        .path_entries()
        .iter()
        .any(|e| !e.is_empty() && norm(Path::new(e)) == norm(&bin));
    if on {
        Check::ok(ID, format!("{what} {} is on PATH", show(inp, &bin)))
    } else {
        Check::warn(
            ID,
            format!(
                "{what} {} is not on PATH: tools from go install (gopls, dlv, staticcheck) are not found",
                show(inp, &bin)
            ),
            format!(
                "eval \"$(wslgo init bash)\" in ~/.bashrc (zsh: in ~/.zshrc) adds it; or: export PATH=\"$PATH\":{}",
                show_sh(inp, &bin)
            ),
        )
    }
}

/// The ownership verdict for an SDK directory, from its metadata (a pure function of the
/// numbers, for unit tests).
pub(crate) fn owner_verdict(mode: u32, uid: u32, me: u32, under_home: bool) -> Option<(&'static str, bool)> {
    if mode & 0o002 != 0 {
        return Some(("writable by every user: anyone on this machine can replace the compiler", true));
    }
    if me != 0 && uid == me && mode & 0o200 != 0 && !under_home {
        return Some(("writable by you outside HOME: any script you run can patch the toolchain", false));
    }
    None
}

fn goroot_owner(inp: &Input, f: &Found) -> Check {
    const ID: &str = "go.goroot_owner";
    let Some(sdk) = f.main() else {
        return Check::skip(ID, "no Go SDK found");
    };
    let under_home = !inp.home.as_os_str().is_empty() && sdk.root.starts_with(&inp.home);
    let me = euid();
    let places = [
        sdk.root.clone(),
        sdk.root.join("bin"),
        sdk.root.join("bin/go"),
        sdk.root.join("pkg/tool"),
    ];
    let mut worst: Option<(String, &str, bool)> = None;
    for p in &places {
        let Ok(m) = std::fs::symlink_metadata(p) else { continue };
        if m.file_type().is_symlink() {
            continue;
        }
        if let Some((why, fail)) = owner_verdict(m.mode(), m.uid(), me, under_home)
            && worst.as_ref().is_none_or(|w| fail && !w.2)
        {
            worst = Some((show(inp, p), why, fail));
        }
    }
    let root = show(inp, &sdk.root);
    match worst {
        None => Check::ok(
            ID,
            if under_home {
                format!("{} at {root} is yours, under HOME (as golang.org/dl installs it)", sdk.version)
            } else {
                format!("{} at {root} is writable only by its owner (root)", sdk.version)
            },
        ),
        Some((p, why, true)) => Check::fail(
            ID,
            format!("{p} is {why}"),
            format!("sudo chmod -R go-w {}", show_sh(inp, &sdk.root)),
        ),
        Some((p, why, false)) => Check::warn(
            ID,
            format!("{p} is {why}"),
            format!("sudo chown -R root:root {}", show_sh(inp, &sdk.root)),
        ),
    }
}

/// A `GONOSUMDB`/`GOPRIVATE` list that matches every module path (a bare `*`).
fn covers_everything(list: &str) -> bool {
    list.split(',').any(|p| p.trim() == "*")
}

fn env_check(inp: &Input) -> Check {
    const ID: &str = "go.env";
    let file = inp.env_file();
    let (where_, n) = match &file {
        EnvFile::Off => ("GOENV=off".to_string(), 0),
        EnvFile::Missing(p) => (format!("no {}", show(inp, p)), 0),
        EnvFile::Unreadable(p, why) => {
            return Check::warn(
                ID,
                format!("cannot read the go env -w file {}: {why}", show(inp, p)),
                format!("look at it, then remove it if it is not yours: rm {}", show_sh(inp, p)),
            );
        }
        EnvFile::Parsed(p, v) => (show(inp, p), v.len()),
    };
    let src = |s: &str| {
        if s.starts_with('$') {
            "the environment".to_string()
        } else {
            "go env -w".to_string()
        }
    };
    let mut fails = Vec::new();
    let mut warns = Vec::new();
    let mut fixes = Vec::new();
    if let Some((v, s)) = go_var(inp.env, file, "GOSUMDB")
        && v.trim() == "off"
    {
        fails.push(format!(
            "GOSUMDB=off (from {}) turns off checksum verification of every module download",
            src(&s)
        ));
        fixes.push(format!(
            "{}; for private modules instead: go env -w GOPRIVATE='git.example.com/*' (it implies GONOSUMDB)",
            if s.starts_with('$') {
                "unset GOSUMDB (and remove its export)"
            } else {
                "go env -u GOSUMDB"
            }
        ));
    }
    for name in ["GONOSUMDB", "GOPRIVATE", "GONOSUMCHECK"] {
        if let Some((v, s)) = go_var(inp.env, file, name)
            && covers_everything(&v)
        {
            fails.push(format!(
                "{name}={v} (from {}) skips checksum verification for every module",
                src(&s)
            ));
            fixes.push(format!("list only your private hosts: go env -w {name}='git.example.com/*'"));
        }
    }
    if let Some((v, s)) = go_var(inp.env, file, "GOINSECURE").filter(|(v, _)| !v.is_empty()) {
        warns.push(format!("GOINSECURE={v} (from {}) fetches those modules over plain HTTP", src(&s)));
        fixes.push("serve them over HTTPS and go env -u GOINSECURE".to_string());
    }
    if let Some((v, s)) = go_var(inp.env, file, "GOPROXY")
        && v.trim() == "off"
    {
        warns.push(format!("GOPROXY=off (from {}) forbids every module download", src(&s)));
        fixes.push("go env -u GOPROXY (or set go.goproxy in wslgo's config)".to_string());
    }
    if !fails.is_empty() {
        fails.extend(warns);
        return Check::fail(ID, fails.join("; "), fixes.join("; "));
    }
    if !warns.is_empty() {
        return Check::warn(ID, warns.join("; "), fixes.join("; "));
    }
    if n == 0 {
        Check::ok(ID, format!("{where_}: no go env -w settings; checksums verified (GOSUMDB default)"))
    } else {
        let names: Vec<&str> = match &file {
            EnvFile::Parsed(_, v) => v.iter().map(|v| v.name.as_str()).collect(),
            _ => Vec::new(),
        };
        Check::ok(ID, format!("{where_}: {} set; checksums verified", names.join(", ")))
    }
}

/// The C compiler cgo would use for `goos`/`goarch`.
fn mingw_for(goarch: &str) -> &'static str {
    match goarch {
        "386" => "i686-w64-mingw32-gcc",
        "arm64" => "aarch64-w64-mingw32-gcc",
        _ => "x86_64-w64-mingw32-gcc",
    }
}

fn mingw_pkg(goarch: &str) -> &'static str {
    match goarch {
        "386" => "gcc-mingw-w64-i686",
        "arm64" => "an llvm-mingw toolchain (aarch64-w64-mingw32-gcc)",
        _ => "gcc-mingw-w64-x86-64",
    }
}

fn cgo(inp: &Input) -> Check {
    const ID: &str = "cgo.toolchain";
    let file = inp.env_file();
    let get = |n: &str| go_var(inp.env, file, n).filter(|(v, _)| !v.trim().is_empty());
    let cgo = get("CGO_ENABLED");
    let goos = get("GOOS").map(|(v, _)| v).unwrap_or_else(|| "linux".into());
    let goarch = get("GOARCH").map(|(v, _)| v).unwrap_or_else(|| "amd64".into());
    let cc = get("CC");
    let cc_name = cc.as_ref().and_then(|(v, _)| v.split_whitespace().next().map(str::to_string));
    let cgo_on = cgo.as_ref().map(|(v, _)| v.trim() == "1");
    if cgo_on == Some(false) {
        return Check::ok(ID, format!("cgo off (CGO_ENABLED=0), GOOS={goos}: no C compiler needed"));
    }
    if goos == "windows" {
        let want = mingw_for(&goarch);
        if cgo_on.is_none() {
            return Check::ok(
                ID,
                format!("GOOS=windows: cgo is off when cross-compiling unless CGO_ENABLED=1 (it would need {want})"),
            );
        }
        let install = format!("sudo apt-get install {}; export CC={want}", mingw_pkg(&goarch));
        if let Some(n) = &cc_name {
            let base = Path::new(n)
                .file_name()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            if base.contains("musl") {
                return Check::fail(
                    ID,
                    format!("CGO_ENABLED=1 GOOS=windows with CC={n}: musl-gcc builds Linux binaries, not Windows ones"),
                    install,
                );
            }
            if !base.contains("mingw") && !base.contains("zig") {
                return Check::fail(
                    ID,
                    format!("CGO_ENABLED=1 GOOS=windows with CC={n}: that compiler targets Linux; Windows needs mingw-w64"),
                    install,
                );
            }
            return match which(inp.env, n) {
                Some(p) => Check::ok(ID, format!("CGO_ENABLED=1 GOOS=windows: CC={n} ({})", p.display())),
                None => Check::fail(ID, format!("CGO_ENABLED=1 GOOS=windows: CC={n} is not on PATH"), install),
            };
        }
        return match which(inp.env, want) {
            Some(p) => Check::ok(ID, format!("CGO_ENABLED=1 GOOS=windows: {want} at {}; set CC={want}", p.display())),
            None => {
                let musl = which(inp.env, "musl-gcc")
                    .map(|_| " (musl-gcc is not one: it builds Linux binaries)")
                    .unwrap_or("");
                Check::fail(
                    ID,
                    format!("CGO_ENABLED=1 GOOS=windows needs the mingw-w64 compiler {want}, not on PATH{musl}"),
                    install,
                )
            }
        };
    }
    let name = cc_name.clone().unwrap_or_else(|| "gcc".into());
    match (which(inp.env, &name), cgo_on) {
        (Some(p), _) => Check::ok(ID, format!("cgo on: C compiler {name} at {}", p.display())),
        (None, Some(true)) => Check::fail(
            ID,
            format!("CGO_ENABLED=1 but the C compiler {name} is not on PATH: every cgo build fails"),
            "sudo apt-get install build-essential",
        ),
        (None, _) => Check::warn(
            ID,
            format!("no C compiler ({name} is not on PATH): cgo is silently off, so go test -race and cgo packages (go-sqlite3) fail"),
            "sudo apt-get install build-essential (or export CGO_ENABLED=0 to make it explicit)",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owner() {
        assert!(owner_verdict(0o40777, 0, 1000, false).unwrap().1, "world-writable fails");
        assert!(!owner_verdict(0o40755, 1000, 1000, false).unwrap().1, "mine outside HOME warns");
        assert!(owner_verdict(0o40755, 1000, 1000, true).is_none(), "mine under HOME is fine");
        assert!(owner_verdict(0o40755, 0, 1000, false).is_none(), "root's");
        assert!(owner_verdict(0o40755, 0, 0, false).is_none(), "root running doctor");
    }

    #[test]
    fn patterns() {
        assert!(covers_everything("*") && covers_everything("a.com/*, *") && !covers_everything("*.corp.com"));
        assert_eq!(mingw_for("amd64"), "x86_64-w64-mingw32-gcc");
    }
}
