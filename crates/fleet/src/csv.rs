//! The fleet inventory's CSV: the product's shared CSV rules (`stackmatrix_model::csv`: a
//! record is one line ending in LF or CRLF, a quoted field may hold commas and doubled quotes
//! but not a line break, at most [`MAX_RECORD_BYTES`] a record) read in blocks.
//!
//! [`split_records`] finds where each record of a block ends (a scan for line feeds, nothing
//! else: quotes cannot move a record's end, so a quote left open spoils its own row only), and
//! records are then split into fields in parallel with [`split_fields`].

pub use stackmatrix_model::csv::{split_fields, SplitError, SplitErrorKind, MAX_RECORD_BYTES};

/// One record of a block: its byte range (without the line end) and its 1-based line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Record {
    /// First byte.
    pub start: usize,
    /// One past the last byte, line end excluded.
    pub end: usize,
    /// 1-based line number.
    pub line: u64,
}

/// Finds the complete records (lines) of `buf`, the first on line `first_line`. With `at_eof`
/// the last record may end without a line feed. Returns how many bytes were consumed and the
/// next record's line; the rest (an incomplete record) is carried to the next block.
pub fn split_records(
    buf: &[u8],
    first_line: u64,
    at_eof: bool,
    out: &mut Vec<Record>,
) -> (usize, u64) {
    let mut start = 0;
    let mut line = first_line;
    for i in memchr::memchr_iter(b'\n', buf) {
        let end = if i > start && buf[i - 1] == b'\r' {
            i - 1
        } else {
            i
        };
        out.push(Record { start, end, line });
        start = i + 1;
        line += 1;
    }
    if at_eof && start < buf.len() {
        let mut end = buf.len();
        if buf[end - 1] == b'\r' {
            end -= 1;
        }
        out.push(Record { start, end, line });
        start = buf.len();
        line += 1;
    }
    (start, line)
}

/// Appends `field` to `out` as a CSV field, quoted when it holds a comma, a quote or a line
/// break.
pub fn write_field(out: &mut Vec<u8>, field: &[u8]) {
    if field
        .iter()
        .any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r'))
    {
        out.push(b'"');
        for &b in field {
            if b == b'"' {
                out.push(b'"');
            }
            out.push(b);
        }
        out.push(b'"');
    } else {
        out.extend_from_slice(field);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_are_lines_whatever_the_quotes() {
        let buf = b"a,b\r\n\"x\ny\",2\nlast";
        let mut recs = Vec::new();
        let (used, line) = split_records(buf, 1, false, &mut recs);
        let text: Vec<&[u8]> = recs.iter().map(|r| &buf[r.start..r.end]).collect();
        // The open quote of line 2 ends with its line: line 3 is a record of its own.
        assert_eq!(text, [&b"a,b"[..], b"\"x", b"y\",2"]);
        assert_eq!(recs.iter().map(|r| r.line).collect::<Vec<_>>(), [1, 2, 3]);
        assert_eq!(&buf[used..], b"last");
        assert_eq!(line, 4);
        recs.clear();
        let (used, next) = split_records(&buf[used..], line, true, &mut recs);
        assert_eq!((used, next), (4, 5));
        assert_eq!(recs[0].line, 4);
        let mut out = Vec::new();
        assert_eq!(
            split_fields(b"\"x", &mut out).unwrap_err().kind,
            SplitErrorKind::UnclosedQuote
        );
    }

    #[test]
    fn fields_are_written_to_read_back() {
        let mut out = Vec::new();
        write_field(&mut out, b"a,\"b\"");
        assert_eq!(out, b"\"a,\"\"b\"\"\"");
    }

    proptest::proptest! {
        /// Any fields written with `write_field` come back from `split_records` and
        /// `split_fields` as they were, whatever commas, quotes and blanks they hold (an
        /// inventory field holds no line break).
        #[test]
        fn fields_round_trip(rows in proptest::collection::vec(
            proptest::collection::vec("[a-z,\" ]{0,6}", 1..5), 1..5)
        ) {
            let mut buf = Vec::new();
            for row in &rows {
                for (i, f) in row.iter().enumerate() {
                    if i > 0 {
                        buf.push(b',');
                    }
                    write_field(&mut buf, f.as_bytes());
                }
                buf.push(b'\n');
            }
            let mut recs = Vec::new();
            let (used, _) = split_records(&buf, 1, true, &mut recs);
            proptest::prop_assert_eq!(used, buf.len());
            // A row of one empty field is an empty line: it reads back as one empty field.
            proptest::prop_assert_eq!(recs.len(), rows.len());
            for (rec, row) in recs.iter().zip(&rows) {
                let mut out = Vec::new();
                split_fields(&buf[rec.start..rec.end], &mut out).unwrap();
                let got: Vec<String> = out.iter().map(|f| String::from_utf8(f.to_vec()).unwrap()).collect();
                proptest::prop_assert_eq!(&got, row);
            }
        }
    }
}
