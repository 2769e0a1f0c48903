//! The binary. `#![no_main]`: the C runtime calls `main` directly, skipping std's start-up
//! (which reads /proc/self/maps to find the main thread's stack guard and installs a signal
//! stack): measured about 0.1 ms of every refresh, for a guard this short-lived process does not
//! need. std's argument and environment access work as usual on Linux.
#![no_main]

use clap::Parser;

#[unsafe(no_mangle)]
extern "C" fn main(_argc: std::ffi::c_int, _argv: *const *const std::ffi::c_char) -> std::ffi::c_int {
    // The prompt hook is the one hot command: it is parsed by hand, so a refresh does not build
    // clap's whole command tree. Anything unexpected falls through to clap, which gives the
    // usual errors and help.
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if let Some(code) = wslgo::fast_hook(&args) {
        return code;
    }
    let cli = wslgo::cli::Cli::parse_from(args);
    wslgo::main_with(cli)
}
