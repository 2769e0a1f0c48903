//! The binary. `#![no_main]`: the C runtime calls `main` directly, skipping std's start-up
//! (which reads /proc/self/maps to find the main thread's stack guard and installs a signal
//! stack): measured about 0.1 ms of every refresh, for a guard this short-lived process does not
//! need. The arguments are taken from `argv` itself: `std::env::args_os()` depends on the libc
//! handing them to std's initialisers, which glibc does and musl does not (a static musl build
//! saw no arguments at all). std's environment access works as usual.
#![no_main]

use clap::Parser;
use std::ffi::{CStr, OsString, c_char, c_int};
use std::os::unix::ffi::OsStrExt;

#[unsafe(no_mangle)]
extern "C" fn main(argc: c_int, argv: *const *const c_char) -> c_int {
    let n = usize::try_from(argc).unwrap_or(0);
    let args: Vec<OsString> = (0..n)
        // SAFETY: the C runtime passes argc valid, NUL-terminated strings in argv.
        .map(|i| unsafe { *argv.add(i) })
        .take_while(|p| !p.is_null())
        .map(|p| std::ffi::OsStr::from_bytes(unsafe { CStr::from_ptr(p) }.to_bytes()).to_os_string())
        .collect();
    // The prompt hook is the one hot command: it is parsed by hand, so a refresh does not build
    // clap's whole command tree. Anything unexpected falls through to clap, which gives the
    // usual errors and help.
    if let Some(code) = wslgo::fast_hook(&args) {
        return code;
    }
    let cli = wslgo::cli::Cli::parse_from(args);
    wslgo::main_with(cli)
}
