//! A small table type and its renderings. Widths count terminal columns, so Chinese labels line up.

use std::fmt::Write;
use unicode_width::UnicodeWidthStr;

/// Horizontal alignment of a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Text.
    Left,
    /// Numbers.
    Right,
}

/// One cell: its text and, for maturity values, a shade in [0, 1] for colour terminals.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub text: String,
    pub shade: Option<f64>,
}

impl From<String> for Cell {
    fn from(text: String) -> Self {
        Cell { text, shade: None }
    }
}

impl From<&str> for Cell {
    fn from(text: &str) -> Self {
        Cell {
            text: text.to_string(),
            shade: None,
        }
    }
}

impl Cell {
    /// A cell shaded by a value in [0, 1].
    pub fn shaded(text: String, value: f64) -> Cell {
        Cell {
            text,
            shade: Some(value),
        }
    }
}

/// A table with a header row.
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub headers: Vec<String>,
    pub align: Vec<Align>,
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    /// A table with these headers and alignments.
    pub fn new(columns: &[(&str, Align)]) -> Table {
        Table {
            headers: columns.iter().map(|(h, _)| h.to_string()).collect(),
            align: columns.iter().map(|(_, a)| *a).collect(),
            rows: Vec::new(),
        }
    }

    /// Appends a row.
    pub fn push(&mut self, row: Vec<Cell>) {
        self.rows.push(row);
    }

    /// Aligned text, two spaces between columns, a rule under the header. With `color`, shaded
    /// cells get a background from red (0) through yellow to green (1).
    pub fn to_text(&self, color: bool) -> String {
        let mut widths: Vec<usize> = self.headers.iter().map(|h| h.width()).collect();
        for row in &self.rows {
            for (i, c) in row.iter().enumerate() {
                if i < widths.len() {
                    widths[i] = widths[i].max(c.text.width());
                }
            }
        }
        let mut out = String::new();
        let header: Vec<Cell> = self
            .headers
            .iter()
            .map(|h| Cell::from(h.as_str()))
            .collect();
        self.line(&mut out, &header, &widths, false);
        let rule: Vec<Cell> = widths.iter().map(|w| Cell::from("-".repeat(*w))).collect();
        self.line(&mut out, &rule, &widths, false);
        for row in &self.rows {
            self.line(&mut out, row, &widths, color);
        }
        out
    }

    fn line(&self, out: &mut String, row: &[Cell], widths: &[usize], color: bool) {
        let mut line = String::new();
        for (i, w) in widths.iter().enumerate() {
            let cell = row.get(i).cloned().unwrap_or_else(|| Cell::from(""));
            let pad = w.saturating_sub(cell.text.width());
            let padded = match self.align.get(i).copied().unwrap_or(Align::Left) {
                Align::Left => format!("{}{}", cell.text, " ".repeat(pad)),
                Align::Right => format!("{}{}", " ".repeat(pad), cell.text),
            };
            if i > 0 {
                line.push_str("  ");
            }
            match (color, cell.shade) {
                (true, Some(v)) => {
                    let _ = write!(line, "\x1b[30;48;5;{}m{padded}\x1b[0m", shade_colour(v));
                }
                _ => line.push_str(&padded),
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }

    /// RFC 4180 CSV: fields with commas, quotes or line breaks are quoted.
    pub fn to_csv(&self) -> String {
        let mut out = String::new();
        let mut write_row = |cells: Vec<&str>| {
            let fields: Vec<String> = cells.into_iter().map(csv_field).collect();
            out.push_str(&fields.join(","));
            out.push('\n');
        };
        write_row(self.headers.iter().map(String::as_str).collect());
        for row in &self.rows {
            write_row(row.iter().map(|c| c.text.as_str()).collect());
        }
        out
    }

    /// A GitHub-flavoured Markdown table; `|` in cells is escaped.
    pub fn to_markdown(&self) -> String {
        let esc = |s: &str| s.replace('|', "\\|").replace('\n', " ");
        let mut out = String::new();
        let header: Vec<String> = self.headers.iter().map(|h| esc(h)).collect();
        let _ = writeln!(out, "| {} |", header.join(" | "));
        let rule: Vec<&str> = self
            .align
            .iter()
            .map(|a| match a {
                Align::Left => "---",
                Align::Right => "---:",
            })
            .collect();
        let _ = writeln!(out, "| {} |", rule.join(" | "));
        for row in &self.rows {
            let cells: Vec<String> = row.iter().map(|c| esc(&c.text)).collect();
            let _ = writeln!(out, "| {} |", cells.join(" | "));
        }
        out
    }
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// An xterm-256 background colour for a value in [0, 1]: red, orange, yellow, light green, green.
fn shade_colour(v: f64) -> u8 {
    const RAMP: [u8; 6] = [203, 209, 215, 221, 151, 114];
    let i = (v.clamp(0.0, 1.0) * (RAMP.len() - 1) as f64).round() as usize;
    RAMP[i]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Table {
        let mut t = Table::new(&[("名称", Align::Left), ("Score", Align::Right)]);
        t.push(vec!["K3s".into(), "8.7500".into()]);
        t.push(vec!["a,b \"c\"".into(), "1".into()]);
        t
    }

    #[test]
    fn text_aligns_wide_characters() {
        let text = sample().to_text(false);
        // The last column is right-aligned, so every line ends at the same display column
        // when wide characters are counted as two.
        let widths: Vec<usize> = text.lines().map(|l| l.width()).collect();
        assert!(widths.iter().all(|w| *w == widths[0]), "{text}");
        assert!(text.lines().next().unwrap().starts_with("名称 "));
    }

    #[test]
    fn csv_quotes_and_markdown_escapes() {
        let t = sample();
        assert_eq!(t.to_csv().lines().nth(2), Some("\"a,b \"\"c\"\"\",1"));
        let mut m = Table::new(&[("a", Align::Left)]);
        m.push(vec!["x|y".into()]);
        assert!(m.to_markdown().contains("x\\|y"));
    }

    #[test]
    fn shades_only_when_coloured() {
        let mut t = Table::new(&[("v", Align::Right)]);
        t.push(vec![Cell::shaded("1.0".into(), 1.0)]);
        assert!(!t.to_text(false).contains('\x1b'));
        assert!(t.to_text(true).contains("\x1b[30;48;5;114m"));
    }
}
