//! The `xxgk-lint` binary: a thin edge around the library.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
