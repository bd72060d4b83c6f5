//! The Markdown report: GitHub-flavoured, with the same sections and tables as the HTML report
//! and no charts.

use crate::doc::{build, Block, Inline, Table};
use crate::ReportData;
use std::fmt::Write;

/// Escapes text for GitHub-flavoured Markdown: `|` (a table cell's end), `\`, `*`, `_`, `` ` ``,
/// `[` and `]` are backslash-escaped, a `<` that could open an HTML tag becomes `&lt;`, and line
/// breaks become spaces, so text stays text in a paragraph and in a table cell alike. Other
/// control characters (and the bidi overrides) are shown as visible escapes, `\u001b`, by
/// [`stackmatrix_model::untrusted`].
///
/// ```
/// assert_eq!(stackmatrix_report::escape_markdown("a|b <br> *c* <50"), r"a\|b &lt;br> \*c\* <50");
/// ```
pub fn escape_markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '|' | '\\' | '*' | '_' | '`' | '[' | ']' => {
                out.push('\\');
                out.push(c);
            }
            '<' if chars
                .peek()
                .is_some_and(|n| n.is_ascii_alphabetic() || matches!(n, '/' | '!' | '?')) =>
            {
                out.push_str("&lt;")
            }
            '\r' => {}
            '\n' => out.push(' '),
            // The escape starts with a backslash, itself escaped so that it shows.
            c if stackmatrix_model::untrusted::is_unsafe(c) => {
                out.push('\\');
                out.push_str(&stackmatrix_model::untrusted::escaped(
                    c.encode_utf8(&mut [0; 4]),
                ));
            }
            c => out.push(c),
        }
    }
    out
}

use escape_markdown as esc;

/// Renders a report as GitHub-flavoured Markdown.
pub fn render_markdown(d: &ReportData) -> String {
    let doc = build(d);
    let mut out = String::with_capacity(16 * 1024);
    let _ = writeln!(out, "# {}\n", esc(&doc.title));
    for line in &doc.meta {
        let _ = writeln!(out, "{}  ", inlines(line));
    }
    out.push('\n');
    for block in &doc.blocks {
        match block {
            Block::Section(_, title) => {
                let _ = writeln!(out, "## {}\n", esc(title));
            }
            Block::Heading(h) => {
                let _ = writeln!(out, "### {}\n", esc(h));
            }
            Block::Para(p) => {
                let _ = writeln!(out, "{}\n", inlines(p));
            }
            Block::Note(p) => {
                let _ = writeln!(out, "_{}_\n", inlines(p));
            }
            Block::Provenance(p) => {
                let _ = writeln!(out, "> {}\n", esc(p));
            }
            Block::List(items) => {
                for item in items {
                    let _ = writeln!(out, "- {}", inlines(item));
                }
                out.push('\n');
            }
            Block::Table(t) => table(&mut out, t),
            Block::Cards(cards) => {
                for c in cards {
                    let mut line = format!("- **{}**: {}", esc(&c.label), inlines(&c.value));
                    if !c.detail.is_empty() && !inlines(&c.detail).is_empty() {
                        let _ = write!(line, " — {}", inlines(&c.detail));
                    }
                    let _ = writeln!(out, "{line}");
                }
                out.push('\n');
            }
            Block::Charts(_) => {}
        }
    }
    let _ = writeln!(out, "---\n\n{}", inlines(&doc.footer));
    crate::finish(out)
}

fn table(out: &mut String, t: &Table) {
    out.push('|');
    for c in &t.cols {
        let _ = write!(out, " {} |", esc(&c.title));
    }
    out.push_str("\n|");
    for c in &t.cols {
        out.push_str(if c.num { " ---: |" } else { " --- |" });
    }
    out.push('\n');
    for r in &t.rows {
        out.push('|');
        for i in 0..t.cols.len() {
            let text = r
                .cells
                .get(i)
                .map_or_else(String::new, |c| inlines(&c.parts));
            if r.strong && !text.is_empty() {
                let _ = write!(out, " **{text}** |");
            } else {
                let _ = write!(out, " {text} |");
            }
        }
        out.push('\n');
    }
    out.push('\n');
}

fn inlines(parts: &[Inline]) -> String {
    let mut out = String::new();
    for p in parts {
        match p {
            Inline::Text(s) => out.push_str(&esc(s)),
            // A code span shows its text as it is: only control characters are escaped.
            Inline::Code(s) if !s.contains('`') && !s.contains('|') && !s.is_empty() => {
                let _ = write!(out, "`{}`", stackmatrix_model::untrusted::escaped(s));
            }
            Inline::Code(s) => out.push_str(&esc(s)),
            Inline::Strong(s) if !s.trim().is_empty() => {
                let _ = write!(out, "**{}**", esc(s.trim()));
                if s.ends_with(' ') {
                    out.push(' ');
                }
            }
            Inline::Strong(s) => out.push_str(&esc(s)),
            Inline::Badge(_, s) => out.push_str(&esc(s)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_pipes_and_tags() {
        assert_eq!(escape_markdown("a|b"), r"a\|b");
        assert_eq!(escape_markdown("<script>"), "&lt;script>");
        assert_eq!(
            escape_markdown("a\x1b]0;t\x07"),
            "a\\\\u001b\\]0;t\\\\u0007"
        );
        assert_eq!(escape_markdown("内存占用：<50 MB"), "内存占用：<50 MB");
        assert_eq!(escape_markdown("x\ny"), "x y");
        assert_eq!(escape_markdown("a_b*c"), r"a\_b\*c");
    }
}
