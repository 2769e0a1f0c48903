//! Prints the man page (`man/wslgo.1`) for the current CLI: `scripts/gen-man` runs it.
fn main() {
    print!("{}", wslgo::manpage::render());
}
