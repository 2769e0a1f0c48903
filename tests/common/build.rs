//! The build that ships (scripts/lib/build.sh: static musl): the tests' own view of it, found
//! independently of the script (the toolchain's host triple made musl, the toolchain's sysroot,
//! the ELF program headers read here), and the one cargo target directory every test that
//! builds a release binary shares, so the suite builds each target once.

use super::*;

/// The cargo target directory this suite was built in (target/, or target/ci under .ci/run):
/// building there again reuses what `scripts/test` already built.
pub fn target_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).parent().unwrap().to_path_buf()
}

fn rustc(args: &[&str]) -> Option<String> {
    let o = Command::new("rustc").args(args).output().ok()?;
    o.status.success().then(|| String::from_utf8_lossy(&o.stdout).trim().to_string())
}

/// The static musl triple of this toolchain's host: x86_64-unknown-linux-musl on x86-64,
/// aarch64-unknown-linux-musl on arm64; or WSLGO_MUSL_TRIPLE, which scripts/lib/build.sh reads
/// too (to try the fallback by hand: a triple the toolchain lacks, and no rustup on PATH).
pub fn musl_triple() -> String {
    if let Some(t) = std::env::var_os("WSLGO_MUSL_TRIPLE") {
        return t.to_string_lossy().into_owned();
    }
    let vv = rustc(&["-vV"]).expect("rustc -vV");
    let host = vv.lines().find_map(|l| l.strip_prefix("host: ")).expect("rustc -vV names the host");
    host.replace("-linux-gnu", "-linux-musl")
}

/// Whether the toolchain has the standard library for `triple` (what a build for it needs).
pub fn has_target(triple: &str) -> bool {
    let Some(sysroot) = rustc(&["--print", "sysroot"]) else {
        return false;
    };
    let lib = Path::new(&sysroot).join("lib/rustlib").join(triple).join("lib");
    std::fs::read_dir(lib).is_ok_and(|d| d.flatten().any(|e| e.file_name().to_string_lossy().starts_with("libstd-")))
}

/// The musl target, or `None` after a visible SKIP: missing here, or under CI=true when .ci/run
/// could not fetch it (WSLGO_CI_NO_MUSL=1: rustup's server is not a package registry CI is sure
/// to reach); missing under CI=true otherwise fails the test.
pub fn musl_target() -> Option<String> {
    let triple = musl_triple();
    if has_target(&triple) {
        return Some(triple);
    }
    let ci_without = std::env::var_os("WSLGO_CI_NO_MUSL").is_some();
    skip_under(
        ci() && !ci_without,
        &format!("the {triple} target is not installed (rustup target add {triple})"),
    );
    None
}

/// The ELF interpreter a binary asks for (PT_INTERP), `None` for a static one. Panics when the
/// file is not a little- or big-endian ELF32/ELF64 file.
pub fn elf_interpreter(path: &Path) -> Option<String> {
    let f = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(f.len() > 64 && f.starts_with(b"\x7fELF"), "{}: not an ELF file", path.display());
    let wide = f[4] == 2;
    let big = f[5] == 2;
    let n = |at: usize, len: usize| -> u64 {
        let b = &f[at..at + len];
        let mut v = 0u64;
        for i in 0..len {
            let byte = if big { b[i] } else { b[len - 1 - i] };
            v = v << 8 | u64::from(byte);
        }
        v
    };
    let (phoff, phentsize, phnum) = if wide {
        (n(0x20, 8) as usize, n(0x36, 2) as usize, n(0x38, 2) as usize)
    } else {
        (n(0x1c, 4) as usize, n(0x2a, 2) as usize, n(0x2c, 2) as usize)
    };
    for i in 0..phnum {
        let h = phoff + i * phentsize;
        if n(h, 4) != 3 {
            continue; // not PT_INTERP
        }
        let (off, size) = if wide {
            (n(h + 8, 8) as usize, n(h + 32, 8) as usize)
        } else {
            (n(h + 4, 4) as usize, n(h + 16, 4) as usize)
        };
        let name = &f[off..off + size];
        return Some(String::from_utf8_lossy(name.strip_suffix(b"\0").unwrap_or(name)).into_owned());
    }
    None
}
