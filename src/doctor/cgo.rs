//! `cgo.toolchain`: a C compiler when cgo is on; for GOOS=windows a mingw-w64 compiler, not
//! musl-gcc. Variables as the go command sees them (environment, then the `go env -w` file).

use super::goenv::go_var;
use super::{Check, Input};
use crate::probe::go;
use crate::shellenv::ShellEnv;
use std::path::{Path, PathBuf};

/// The first executable `name` on PATH, found as the SDK probe finds `go`.
fn which(env: &ShellEnv, name: &str) -> Option<PathBuf> {
    go::which(&env.path_entries(), name)
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

pub(crate) fn check(inp: &Input) -> Check {
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
    fn mingw_names() {
        assert_eq!(mingw_for("amd64"), "x86_64-w64-mingw32-gcc");
        assert_eq!(mingw_for("arm64"), "aarch64-w64-mingw32-gcc");
    }
}
