//! Rebuilds the crate when the web page's files change: they are embedded with include_dir,
//! which does not tell cargo which files it read.

fn main() {
    println!("cargo:rerun-if-changed=assets");
}
