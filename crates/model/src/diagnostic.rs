//! Errors found while loading a knowledge base, each pointing at the file, line, column and field.

use crate::untrusted::{shown, shown_within, MESSAGE_LINE_LIMIT};
use std::fmt;
use std::ops::Range;

/// One problem in one knowledge-base file.
///
/// Displayed as `file:line:column: field: message; expected ...`, the shape compilers use, so
/// editors and terminals can jump to the place. File names, fields and messages may quote the
/// files' own text, so the display passes them through [`crate::untrusted`]: control characters
/// escaped, a long file name or field cut, and the whole kept to one bounded line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Path of the file relative to the knowledge-base root (or as given by the user).
    pub file: String,
    /// 1-based line, when the problem has a place in the file.
    pub line: Option<usize>,
    /// 1-based column in characters, when known.
    pub column: Option<usize>,
    /// Dotted path of the field (`maturity.static.Q[3]`), empty when the whole file is meant.
    pub field: String,
    /// What is wrong.
    pub message: String,
    /// What would have been accepted, empty when the message already says it.
    pub expected: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&shown(&self.file))?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        f.write_str(": ")?;
        if !self.field.is_empty() {
            write!(f, "{}: ", shown(&self.field))?;
        }
        f.write_str(&shown_within(&self.message, MESSAGE_LINE_LIMIT))?;
        if !self.expected.is_empty() {
            write!(
                f,
                "; expected {}",
                shown_within(&self.expected, MESSAGE_LINE_LIMIT)
            )?;
        }
        Ok(())
    }
}

/// Every problem found in a load, in file order. Never empty when returned as an error.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

impl Diagnostics {
    /// Number of problems.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when there is no problem.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Collects diagnostics for one file, turning byte spans into lines and columns.
pub(crate) struct FileReporter<'a> {
    file: &'a str,
    text: &'a str,
    line_starts: Vec<usize>,
    out: &'a mut Vec<Diagnostic>,
}

impl<'a> FileReporter<'a> {
    pub(crate) fn new(file: &'a str, text: &'a str, out: &'a mut Vec<Diagnostic>) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        FileReporter {
            file,
            text,
            line_starts,
            out,
        }
    }

    /// The file's name as shown in messages.
    pub(crate) fn file_name(&self) -> &str {
        self.file
    }

    /// 1-based line and character column of a byte offset.
    pub(crate) fn position(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line];
        let column = self
            .text
            .get(start..offset)
            .map_or(1, |s| s.chars().count() + 1);
        (line + 1, column)
    }

    /// Reports a problem at a span of the file.
    pub(crate) fn at(&mut self, span: Range<usize>, field: &str, message: String, expected: &str) {
        let (line, column) = self.position(span.start);
        self.out.push(Diagnostic {
            file: self.file.to_string(),
            line: Some(line),
            column: Some(column),
            field: field.to_string(),
            message,
            expected: expected.to_string(),
        });
    }

    /// Reports a problem of the whole file (a missing field, say).
    pub(crate) fn file(&mut self, field: &str, message: String, expected: &str) {
        self.out.push(Diagnostic {
            file: self.file.to_string(),
            line: None,
            column: None,
            field: field.to_string(),
            message,
            expected: expected.to_string(),
        });
    }

    /// Reports a TOML syntax or shape error, naming the field from the text around it.
    pub(crate) fn toml_error(&mut self, err: &toml::de::Error) {
        let (message, expected) = plain_serde_message(err.message().trim());
        // serde names a missing field only in its message, and points at the table that lacks
        // it: the header of a nested table, or an empty span at 0 for the file's top level.
        let missing = message
            .strip_prefix("missing field `")
            .and_then(|m| m.strip_suffix('`'))
            .map(str::to_string);
        match (err.span(), missing) {
            (Some(span), Some(name)) if !span.is_empty() => {
                let field = match self.field_at(span.start) {
                    table if table.is_empty() => name,
                    table => format!("{table}.{name}"),
                };
                self.at(span, &field, message, &expected);
            }
            (_, Some(name)) => self.file(&name, message, &expected),
            (Some(span), None) => {
                let field = self.field_at(span.start);
                self.at(span, &field, message, &expected);
            }
            (None, None) => self.file("", message, ""),
        }
    }

    /// Best-effort dotted field path of the key whose value contains `offset`: the nearest table
    /// header above it plus the key on its line. Only used to label serde's own errors, which do
    /// not carry a path.
    fn field_at(&self, offset: usize) -> String {
        let (line, _) = self.position(offset);
        let lines: Vec<&str> = self.text.lines().collect();
        let mut key = String::new();
        if let Some(text) = lines.get(line - 1) {
            if let Some((k, _)) = text.split_once('=') {
                let k = k.trim();
                if !k.is_empty() && !k.starts_with('[') && !k.starts_with('#') {
                    key = k.trim_matches('"').to_string();
                }
            }
        }
        // The header of the table the offset is in: its own line when that is a header
        // (serde points a table's errors there), else the nearest one above.
        let header = lines[..line.min(lines.len())]
            .iter()
            .rev()
            .map(|l| l.trim())
            .find(|l| l.starts_with('['))
            .map(|l| l.trim_matches(|c| c == '[' || c == ']').trim().to_string());
        match (header, key.is_empty()) {
            (Some(h), false) => format!("{h}.{key}"),
            (Some(h), true) => h,
            (None, _) => key,
        }
    }
}

/// Splits serde's `..., expected X` into the problem and the expectation, and says the
/// expectation in the words of the file format rather than Rust's (`f64` is "a number").
fn plain_serde_message(message: &str) -> (String, String) {
    let Some((problem, expected)) = message.split_once(", expected ") else {
        return (message.to_string(), String::new());
    };
    let expected = match expected {
        "f64" | "f32" => "a number".to_string(),
        "i64" | "u32" | "u64" | "i32" | "usize" => "a whole number".to_string(),
        "a sequence" => "an array".to_string(),
        "a boolean" | "a string" => expected.to_string(),
        "value" => "a value".to_string(),
        e if e.starts_with("struct ") || e == "a map" => "a table".to_string(),
        e => e.replace('`', ""),
    };
    (problem.replace("floating point", "number"), expected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters_not_bytes() {
        let mut out = Vec::new();
        let text = "a = 1\n名字 = 2\n";
        let r = FileReporter::new("f.toml", text, &mut out);
        assert_eq!(r.position(0), (1, 1));
        let offset = text.find('2').unwrap();
        assert_eq!(r.position(offset), (2, 6));
    }

    #[test]
    fn serde_jargon_becomes_the_format_words() {
        let (m, e) = plain_serde_message("invalid type: string \"a\", expected f64");
        assert_eq!(
            (m.as_str(), e.as_str()),
            ("invalid type: string \"a\"", "a number")
        );
        let (m, e) = plain_serde_message("unknown field `kinds`, expected one of `id`, `kind`");
        assert_eq!(
            (m.as_str(), e.as_str()),
            ("unknown field `kinds`", "one of id, kind")
        );
    }

    #[test]
    fn display_escapes_controls_and_bounds_values() {
        let d = Diagnostic {
            file: "technologies/evil\x1b]0;t\x07.toml".into(),
            line: Some(1),
            column: None,
            field: "name.en".into(),
            message: format!("unknown '{}'\n\x1b[2J", "x".repeat(5 << 20)),
            expected: "\u{202e}a name".into(),
        };
        let text = d.to_string();
        assert!(!text.chars().any(crate::untrusted::is_unsafe), "{text:?}");
        assert!(text.len() < 4096, "{} bytes", text.len());
        assert!(
            text.starts_with("technologies/evil\\u001b]0;t\\u0007.toml:1: name.en: unknown 'xx")
        );
        assert!(
            text.contains("… (5,242,895 bytes in all); expected \\u202ea name"),
            "{text}"
        );
    }

    #[test]
    fn display_names_file_line_field_and_expectation() {
        let d = Diagnostic {
            file: "technologies/k3s.toml".into(),
            line: Some(14),
            column: Some(22),
            field: "maturity.static.Q[3]".into(),
            message: "1.2 is outside [0, 1]".into(),
            expected: "a maturity between 0 and 1".into(),
        };
        assert_eq!(
            d.to_string(),
            "technologies/k3s.toml:14:22: maturity.static.Q[3]: 1.2 is outside [0, 1]; expected a maturity between 0 and 1"
        );
    }
}
