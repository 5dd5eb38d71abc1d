//! The `layerlint` binary: parse the arguments, run the command, exit with its code.

use clap::Parser;

fn main() {
    let cli = layerlint::cli::Cli::parse();
    std::process::exit(layerlint::cli::run(cli));
}
