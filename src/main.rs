//! The binary. `#![no_main]`: the C runtime calls `main` directly, skipping std's start-up
//! (which reads /proc/self/maps to find the main thread's stack guard and installs a signal
//! stack): measured about 0.1 ms of every refresh, for a guard this short-lived process does not
//! need.
//!
//! What std's start-up would have done is done here instead:
//! - the arguments come from the `argc`/`argv` that `main` receives: `std::env::args` is only
//!   filled without std's start-up on glibc (which passes them to init functions); on musl, the
//!   usual way to ship a static binary, it would be empty;
//! - the environment is taken from `main`'s third argument, `envp`, and lent to
//!   `ShellEnv::from_process` (borrowed in place, not copied: see `wslgo::shellenv::set_envp`);
//! - SIGPIPE is set to its default action, so a closed stdout (`wslgo completions bash | head
//!   -1`) ends the process quietly, as it ends `cat` or a Go program: killed by SIGPIPE, which
//!   the shell shows as status 141, whatever disposition the parent left it in (std would
//!   ignore it, and then any write error could surface as a panic).
#![no_main]

use clap::Parser;
use std::ffi::{CStr, OsString, c_char, c_int};
use std::os::unix::ffi::OsStringExt;

/// The argument vector as the kernel gave it.
///
/// # Safety
/// `argv` holds `argc` valid NUL-terminated strings (the C runtime's guarantee for `main`).
unsafe fn args_from(argc: c_int, argv: *const *const c_char) -> Vec<OsString> {
    let n = usize::try_from(argc).unwrap_or(0);
    let mut v = Vec::with_capacity(n);
    for i in 0..n {
        // SAFETY: i < argc, so argv[i] is one of the C runtime's argument strings.
        let p = unsafe { *argv.add(i) };
        if p.is_null() {
            break;
        }
        // SAFETY: a valid NUL-terminated string, alive for the whole process.
        v.push(OsString::from_vec(unsafe { CStr::from_ptr(p) }.to_bytes().to_vec()));
    }
    v
}

#[unsafe(no_mangle)]
extern "C" fn main(argc: c_int, argv: *const *const c_char, envp: *const *const c_char) -> c_int {
    // SAFETY: setting a signal's disposition to its default has no preconditions.
    unsafe { libc::signal(libc::SIGPIPE, libc::SIG_DFL) };
    // SAFETY: `envp` is the environment vector the C runtime passes as main's third argument
    // (glibc and musl both do), and wslgo never changes its own environment.
    unsafe { wslgo::shellenv::set_envp(envp) };
    // SAFETY: argc/argv are exactly what the C runtime passed to main.
    let args = unsafe { args_from(argc, argv) };
    // The prompt hook is the one hot command: it is parsed by hand, so a refresh does not build
    // clap's whole command tree. Anything unexpected falls through to clap, which gives the
    // usual errors and help.
    if let Some(code) = wslgo::fast_hook(&args) {
        return code;
    }
    let cli = wslgo::cli::Cli::parse_from(args);
    wslgo::main_with(cli)
}

/// A bump arena in front of the C library's allocator (see `wslgo::arena` for why). 4 MiB of
/// `.bss`: a refresh or init uses a few hundred KiB of it; a page costs only once touched.
#[global_allocator]
static ALLOC: wslgo::arena::Arena<{ 4 << 20 }> = wslgo::arena::Arena::new();
