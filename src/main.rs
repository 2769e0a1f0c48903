use clap::Parser;

fn main() {
    let cli = wslgo::cli::Cli::parse();
    std::process::exit(wslgo::main_with(cli));
}
