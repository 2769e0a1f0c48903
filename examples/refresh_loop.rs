//! Times the work of one refresh without the process start: `cargo run --release --example
//! refresh_loop [N]`. The benchmark script compares it with the whole hook run.
use std::time::Instant;

fn main() {
    let n: u32 = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(1000);
    let env = wslgo::shellenv::ShellEnv::from_process();
    let sys = wslgo::sysroot::Sys::from_env();
    let opts = wslgo::cmd::hook::Opts {
        shell: Some(wslgo::shell::Shell::Bash),
        login: false,
        first_prompt: false,
        init: false,
        interactive: false,
        lent_cfg: false,
    };
    let t = Instant::now();
    let mut bytes = 0;
    for _ in 0..n {
        let r = wslgo::cmd::hook::refresh(&env, &sys, &opts);
        bytes += wslgo::cmd::hook::code(&r, wslgo::shell::Shell::Bash, &env, None).len();
    }
    let per = t.elapsed().as_secs_f64() * 1e3 / f64::from(n);
    println!("refresh work: {per:.3} ms per run ({bytes} bytes of code in all)");
}
