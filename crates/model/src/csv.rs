//! The CSV rules shared by every tabular input of the product: fleet inventories
//! (`fleet score`), decision and pairwise matrices (`decide`) and feedback files (`learn`).
//! One set of rules, read by one header reader and one field splitter, so that a file that one
//! verb accepts reads the same way in another:
//!
//! - **A record is one line.** Lines end in LF or CRLF. A quoted field may hold commas and
//!   doubled quotes (`""`) but not a line break. Why: a quote left open then spoils one row
//!   only (that row is refused and the next line reads as it should), and a reader that has to
//!   skip a row always finds where the next one starts, at the next line feed, whatever the
//!   quotes before it. Under the RFC 4180 rule (quoted fields spanning lines) one stray quote
//!   silently swallows the rest of a file into one record.
//! - **A record is at most [`MAX_RECORD_BYTES`] long**, so a file without line ends (or with
//!   CR-only line ends) is refused quickly with a clear message instead of being buffered whole.
//! - **A field is quoted when its first non-blank character is `"`**; blanks may follow the
//!   closing quote before the comma. A quote inside an unquoted field is refused (quote the whole
//!   field and double the quote).
//! - **The header** ([`read_header`]) may start with a UTF-8 byte-order mark (removed); its
//!   names are trimmed; a name given twice is refused, naming both columns, since one of the two
//!   columns would silently be ignored.
//! - **Values echoed in messages** go through the one sanitiser ([`crate::untrusted::shown`]):
//!   escaped and cut, so an error about a 5 MB cell is a line, not 5 MB.

use std::borrow::Cow;

/// The longest record (one line, its line end excluded) any CSV input may have: 1 MiB.
///
/// Real rows are far shorter (a fleet inventory row is about 50 bytes; a decision matrix row
/// with 1,000 criteria about 10 KiB). The limit bounds the memory a reader holds for one row and
/// turns a file without line ends into an error at its first MiB.
pub const MAX_RECORD_BYTES: usize = 1 << 20;

/// The UTF-8 byte-order mark some editors write at the start of a file.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// `bytes` without a leading UTF-8 byte-order mark.
pub fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(BOM).unwrap_or(bytes)
}

/// Why a record cannot be split into fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SplitErrorKind {
    /// A quoted field is not closed before the end of the line.
    UnclosedQuote,
    /// Text follows a closing quote before the next comma.
    TextAfterQuote,
    /// A quote inside a field that does not start with one.
    QuoteInUnquoted,
}

/// Why a record cannot be split into fields, and in which field (1-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SplitError {
    /// What is wrong.
    pub kind: SplitErrorKind,
    /// The field at fault, 1-based.
    pub field: usize,
}

impl std::fmt::Display for SplitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self.kind {
            SplitErrorKind::UnclosedQuote => {
                "a quoted field is not closed by the end of the line; expected a closing \" (a quoted field may hold commas, not line breaks)"
            }
            SplitErrorKind::TextAfterQuote => {
                "text after a closing quote; expected a comma after the closing \" (write a quote inside a quoted field as \"\")"
            }
            SplitErrorKind::QuoteInUnquoted => {
                "a quote inside an unquoted field; expected the whole field quoted, with the quote doubled (\"a\"\"b\")"
            }
        })
    }
}

impl std::error::Error for SplitError {}

/// Splits a record (one line, without its line end) into its fields, unquoted; fields
/// without quotes borrow the record and keep their blanks. A record without a quote is split at
/// its commas with nothing else looked at (the fast path of a fleet inventory).
pub fn split_fields<'a>(rec: &'a [u8], out: &mut Vec<Cow<'a, [u8]>>) -> Result<(), SplitError> {
    out.clear();
    if memchr::memchr(b'"', rec).is_none() {
        out.extend(rec.split(|b| *b == b',').map(Cow::Borrowed));
        return Ok(());
    }
    split_quoted(rec, &mut |field, _| out.push(field))
}

/// [`split_fields`], with whether each field was quoted (a quoted `"1"` is a name, not a
/// number, in a decision matrix's header).
pub fn split_cells<'a>(
    rec: &'a [u8],
    out: &mut Vec<(Cow<'a, [u8]>, bool)>,
) -> Result<(), SplitError> {
    out.clear();
    split_quoted(rec, &mut |field, quoted| out.push((field, quoted)))
}

fn is_blank(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

/// The splitter for records that hold quotes: `push(field, quoted)` for each field in order.
fn split_quoted<'a>(
    rec: &'a [u8],
    push: &mut dyn FnMut(Cow<'a, [u8]>, bool),
) -> Result<(), SplitError> {
    let mut i = 0;
    let mut field = 1;
    loop {
        let lead = rec[i..].iter().take_while(|b| is_blank(**b)).count();
        if rec.get(i + lead) == Some(&b'"') {
            let mut text = Vec::new();
            i += lead + 1;
            loop {
                let Some(off) = memchr::memchr(b'"', &rec[i..]) else {
                    return Err(SplitError {
                        kind: SplitErrorKind::UnclosedQuote,
                        field,
                    });
                };
                text.extend_from_slice(&rec[i..i + off]);
                i += off + 1;
                if rec.get(i) == Some(&b'"') {
                    text.push(b'"');
                    i += 1;
                } else {
                    break;
                }
            }
            push(Cow::Owned(text), true);
            i += rec[i..].iter().take_while(|b| is_blank(**b)).count();
            match rec.get(i) {
                None => return Ok(()),
                Some(b',') => i += 1,
                Some(_) => {
                    return Err(SplitError {
                        kind: SplitErrorKind::TextAfterQuote,
                        field,
                    })
                }
            }
        } else {
            let end = memchr::memchr(b',', &rec[i..]).map_or(rec.len(), |o| i + o);
            if memchr::memchr(b'"', &rec[i..end]).is_some() {
                return Err(SplitError {
                    kind: SplitErrorKind::QuoteInUnquoted,
                    field,
                });
            }
            push(Cow::Borrowed(&rec[i..end]), false);
            if end == rec.len() {
                return Ok(());
            }
            i = end + 1;
        }
        field += 1;
    }
}

/// The lines of a text held in memory: `(line, bytes)` with 1-based line numbers and the line
/// end (LF or CRLF) removed. A last line without a line end is a line; an empty text has none.
pub fn lines(text: &[u8]) -> impl Iterator<Item = (usize, &[u8])> {
    let body = text.strip_suffix(b"\n").unwrap_or(text);
    let none = text.is_empty();
    body.split(|b| *b == b'\n')
        .filter(move |_| !none)
        .enumerate()
        .map(|(i, l)| (i + 1, l.strip_suffix(b"\r").unwrap_or(l)))
}

/// One name of a header row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderCell {
    /// The name, trimmed.
    pub name: String,
    /// True when it was written quoted.
    pub quoted: bool,
}

/// Why a header row cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeaderError {
    /// The header is longer than [`MAX_RECORD_BYTES`].
    TooLong {
        /// Its length in bytes, or at least this many when it was not read to its end.
        bytes: usize,
    },
    /// A carriage return inside the line: the file's lines end in CR only.
    BareCarriageReturn,
    /// A quote problem.
    Split(SplitError),
    /// A name is not UTF-8.
    NotUtf8 {
        /// The column, 1-based.
        column: usize,
    },
    /// A name is given twice.
    Duplicate {
        /// The name.
        name: String,
        /// The first column with it, 1-based.
        first: usize,
        /// The second, 1-based.
        second: usize,
    },
}

impl HeaderError {
    /// The column at fault (1-based), when one is.
    pub fn column(&self) -> Option<usize> {
        match self {
            HeaderError::Split(e) => Some(e.field),
            HeaderError::NotUtf8 { column } => Some(*column),
            HeaderError::Duplicate { second, .. } => Some(*second),
            HeaderError::TooLong { .. } | HeaderError::BareCarriageReturn => None,
        }
    }
}

impl std::fmt::Display for HeaderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            HeaderError::TooLong { bytes } => write!(
                f,
                "the header row is longer than {MAX_RECORD_BYTES} bytes (the record length limit; {bytes} bytes without a line feed); expected a header row of column names ending in a line feed, LF or CRLF (lines ending in CR only have none)"
            ),
            HeaderError::BareCarriageReturn => f.write_str(
                "the header row holds a carriage return not followed by a line feed (lines ending in CR only); expected lines ending in LF or CRLF",
            ),
            HeaderError::Split(e) => write!(f, "column {} of the header: {e}", e.field),
            HeaderError::NotUtf8 { column } => {
                write!(f, "column {column} of the header is not UTF-8 text; expected a column name")
            }
            HeaderError::Duplicate {
                name,
                first,
                second,
            } => write!(
                f,
                "the header names '{}' twice (columns {first} and {second}); expected each column named once",
                crate::untrusted::shown(name)
            ),
        }
    }
}

impl std::error::Error for HeaderError {}

/// Reads a header row (its line end removed): a leading byte-order mark removed, the names
/// split as any record, trimmed, and checked: no carriage return inside (CR-only line ends), no
/// name given twice (empty names are the caller's to refuse or allow), at most
/// [`MAX_RECORD_BYTES`].
pub fn read_header(line: &[u8]) -> Result<Vec<HeaderCell>, HeaderError> {
    let line = strip_bom(line);
    if line.len() > MAX_RECORD_BYTES {
        return Err(HeaderError::TooLong { bytes: line.len() });
    }
    if memchr::memchr(b'\r', line).is_some() {
        return Err(HeaderError::BareCarriageReturn);
    }
    let mut cells = Vec::new();
    split_cells(line, &mut cells).map_err(HeaderError::Split)?;
    let mut out: Vec<HeaderCell> = Vec::with_capacity(cells.len());
    for (i, (text, quoted)) in cells.into_iter().enumerate() {
        let name = std::str::from_utf8(&text)
            .map_err(|_| HeaderError::NotUtf8 { column: i + 1 })?
            .trim()
            .to_string();
        if !name.is_empty() {
            if let Some(first) = out.iter().position(|c| c.name == name) {
                return Err(HeaderError::Duplicate {
                    name,
                    first: first + 1,
                    second: i + 1,
                });
            }
        }
        out.push(HeaderCell { name, quoted });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(s: &str) -> Result<Vec<String>, SplitError> {
        let mut out = Vec::new();
        split_fields(s.as_bytes(), &mut out)?;
        Ok(out
            .iter()
            .map(|f| String::from_utf8(f.to_vec()).unwrap())
            .collect())
    }

    fn kind(s: &str) -> (SplitErrorKind, usize) {
        let e = fields(s).unwrap_err();
        (e.kind, e.field)
    }

    #[test]
    fn fields_are_unquoted_by_one_rule() {
        assert_eq!(fields("a,,c").unwrap(), ["a", "", "c"]);
        assert_eq!(
            fields("\"a,b\",\"say \"\"hi\"\"\",").unwrap(),
            ["a,b", "say \"hi\"", ""]
        );
        assert_eq!(fields("x, \"y\" ,z").unwrap(), ["x", "y", "z"]);
        assert_eq!(kind("\"open"), (SplitErrorKind::UnclosedQuote, 1));
        assert_eq!(kind("a,\"b,c"), (SplitErrorKind::UnclosedQuote, 2));
        assert_eq!(kind("\"a\"b,c"), (SplitErrorKind::TextAfterQuote, 1));
        assert_eq!(kind("a,b\"c,\"d\""), (SplitErrorKind::QuoteInUnquoted, 2));
        let mut cells = Vec::new();
        split_cells(b"a,\"1\"", &mut cells).unwrap();
        assert_eq!((cells[0].1, cells[1].1), (false, true));
    }

    #[test]
    fn lines_end_in_lf_or_crlf() {
        let got: Vec<(usize, &[u8])> = lines(b"a\r\nb\n\nc").collect();
        assert_eq!(
            got,
            [
                (1, &b"a"[..]),
                (2, &b"b"[..]),
                (3, &b""[..]),
                (4, &b"c"[..])
            ]
        );
        assert_eq!(lines(b"a\n").count(), 1);
        assert_eq!(lines(b"").count(), 0);
        assert_eq!(lines(b"\n").count(), 1);
    }

    #[test]
    fn a_header_drops_its_bom_and_refuses_a_name_twice() {
        let h = read_header(b"\xEF\xBB\xBFkind, tech ,\"x\"").unwrap();
        let names: Vec<&str> = h.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["kind", "tech", "x"]);
        assert!(h[2].quoted && !h[0].quoted);
        let e = read_header(b"id,mem,cpu, mem").unwrap_err();
        assert_eq!(
            e,
            HeaderError::Duplicate {
                name: "mem".into(),
                first: 2,
                second: 4
            }
        );
        assert_eq!(e.column(), Some(4));
        assert!(
            e.to_string().contains("'mem' twice (columns 2 and 4)"),
            "{e}"
        );
        // Empty names are the caller's to judge, not duplicates.
        assert!(read_header(b",a,,b,").is_ok());
        assert_eq!(
            read_header(b"id\rnode-1,3\r").unwrap_err(),
            HeaderError::BareCarriageReturn
        );
        let long = vec![b'a'; MAX_RECORD_BYTES + 1];
        assert!(matches!(
            read_header(&long).unwrap_err(),
            HeaderError::TooLong { .. }
        ));
    }
}
