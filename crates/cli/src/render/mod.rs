//! Rendering tables as aligned text, CSV and Markdown; JSON is written with serde.

mod table;

pub use table::{Align, Cell, Table};
