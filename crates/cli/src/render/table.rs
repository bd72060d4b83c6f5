//! A small table type and its renderings. Widths count terminal columns, so Chinese labels line up.
//!
//! Cells hold names and notes from knowledge-base files and decision tables: every rendering
//! shows them through [`stackmatrix_model::untrusted`], control characters as visible escapes
//! (`\u001b`). Aligned text also cuts a cell after [`TEXT_CELL_LIMIT`] characters with its
//! length said, so one huge value cannot blow up the table; CSV and Markdown keep whole values.

use stackmatrix_model::untrusted;
use std::borrow::Cow;
use std::fmt::Write;
use unicode_width::UnicodeWidthStr;

/// The most characters of a cell in aligned text before it is cut with its length said.
pub const TEXT_CELL_LIMIT: usize = 200;

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
    ///
    /// The colours are written with [`super::colour_escape`], which only the standard-output
    /// guard ([`super::guard`]) turns into ESC: text from the cells cannot forge them.
    pub fn to_text(&self, color: bool) -> String {
        // Cells as shown: borrowed when plain, so a large table costs no copy here.
        fn shown(text: &str) -> Cow<'_, str> {
            untrusted::shown_within(text, TEXT_CELL_LIMIT)
        }
        let header: Vec<(Cow<'_, str>, Option<f64>)> =
            self.headers.iter().map(|h| (shown(h), None)).collect();
        let rows: Vec<Vec<(Cow<'_, str>, Option<f64>)>> = self
            .rows
            .iter()
            .map(|row| row.iter().map(|c| (shown(&c.text), c.shade)).collect())
            .collect();
        let mut widths: Vec<usize> = header.iter().map(|(h, _)| h.width()).collect();
        for row in &rows {
            for (i, (text, _)) in row.iter().enumerate() {
                if i < widths.len() {
                    widths[i] = widths[i].max(text.width());
                }
            }
        }
        let mut out = String::new();
        self.line(&mut out, &header, &widths, false);
        let rule: Vec<(Cow<'_, str>, Option<f64>)> = widths
            .iter()
            .map(|w| (Cow::Owned("-".repeat(*w)), None))
            .collect();
        self.line(&mut out, &rule, &widths, false);
        for row in &rows {
            self.line(&mut out, row, &widths, color);
        }
        out
    }

    /// One line of aligned text from cells already made safe, each with its shade.
    fn line(
        &self,
        out: &mut String,
        row: &[(Cow<'_, str>, Option<f64>)],
        widths: &[usize],
        color: bool,
    ) {
        let mut line = String::new();
        for (i, w) in widths.iter().enumerate() {
            let (text, shade) = row.get(i).map_or(("", None), |(t, s)| (t.as_ref(), *s));
            let pad = w.saturating_sub(text.width());
            let padded = match self.align.get(i).copied().unwrap_or(Align::Left) {
                Align::Left => format!("{}{}", text, " ".repeat(pad)),
                Align::Right => format!("{}{}", " ".repeat(pad), text),
            };
            if i > 0 {
                line.push_str("  ");
            }
            match (color, shade) {
                (true, Some(v)) => {
                    let esc = super::colour_escape();
                    let _ = write!(line, "{esc}[30;48;5;{}m{padded}{esc}[0m", shade_colour(v));
                }
                _ => line.push_str(&padded),
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }

    /// RFC 4180 CSV: fields with commas, quotes or line breaks are quoted. Control characters
    /// in a field are written as visible escapes (a line break as `\n`), as everywhere a person
    /// may read the output; `-o json` gives the exact values.
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

    /// A GitHub-flavoured Markdown table; `|` in cells is escaped, and control characters are
    /// written as visible escapes (a line break as `\n`).
    pub fn to_markdown(&self) -> String {
        let esc = |s: &str| untrusted::escaped(s).replace('|', "\\|");
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
    let s: Cow<'_, str> = untrusted::escaped(s);
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
        assert!(!super::super::guard(t.to_text(false)).contains('\x1b'));
        assert!(super::super::guard(t.to_text(true)).contains("\x1b[30;48;5;114m"));
    }

    #[test]
    fn every_rendering_escapes_control_characters() {
        let mut t = Table::new(&[("name\x07", Align::Left), ("v", Align::Right)]);
        t.push(vec!["evil\x1b]0;t\x07\u{202e}".into(), "a\nb".into()]);
        for text in [t.to_text(false), t.to_csv(), t.to_markdown()] {
            assert!(!text.contains(['\x1b', '\x07', '\u{202e}']), "{text:?}");
            assert!(text.contains("evil\\u001b]0;t\\u0007\\u202e"), "{text}");
            assert!(text.contains("name\\u0007"), "{text}");
            assert!(text.contains("a\\nb"), "{text}");
        }
        // A forged colour in a cell stays an escape even when the table is coloured.
        let mut c = Table::new(&[("v", Align::Left)]);
        c.push(vec![Cell::shaded("\x1b[31mred".into(), 0.5)]);
        let shown = super::super::guard(c.to_text(true));
        assert!(shown.contains("\\u001b[31mred"), "{shown:?}");
        assert_eq!(shown.matches('\x1b').count(), 2, "{shown:?}");
    }

    #[test]
    fn a_huge_cell_is_cut_in_text_and_kept_in_csv() {
        let mut t = Table::new(&[("v", Align::Left)]);
        t.push(vec!["x".repeat(1 << 20).into()]);
        let text = t.to_text(false);
        assert!(text.len() < 1024, "{} bytes", text.len());
        assert!(text.contains("(1,048,576 bytes in all)"), "{text}");
        assert!(t.to_csv().len() > 1 << 20);
    }
}
