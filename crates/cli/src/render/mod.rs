//! Rendering tables as aligned text, CSV and Markdown; JSON is written with serde. Every verb's
//! standard output passes [`guard`] on its way out, so no control character from the data
//! reaches the terminal raw, whatever the format.

mod table;

pub use table::{Align, Cell, Table};

use stackmatrix_model::untrusted;
use std::hash::{BuildHasher, RandomState};
use std::sync::OnceLock;

/// What a coloured table writes where ESC belongs: a private-use character and a random
/// number drawn once per run. Only [`guard`] turns it into ESC, after escaping every control
/// character of the text; names and notes in the text cannot hold it, since they were written
/// before the run drew it.
pub fn colour_escape() -> &'static str {
    static KEY: OnceLock<String> = OnceLock::new();
    KEY.get_or_init(|| format!("\u{E000}{:016x}\u{E001}", RandomState::new().hash_one(0u8)))
}

/// A verb's standard output made safe for a terminal: every control character but the line
/// feed becomes a visible escape ([`untrusted::escaped_lines`]; JSON and TOML text keep their
/// values), then the colours of coloured tables become real ESC sequences.
pub fn guard(text: String) -> String {
    let safe = match untrusted::escaped_lines(&text) {
        std::borrow::Cow::Borrowed(_) => text,
        std::borrow::Cow::Owned(escaped) => escaped,
    };
    let key = colour_escape();
    if safe.contains(key) {
        safe.replace(key, "\x1b")
    } else {
        safe
    }
}
