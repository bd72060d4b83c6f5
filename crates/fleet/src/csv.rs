//! A small, fast CSV reader for inventories (RFC 4180: comma separated, fields may be quoted
//! with `"`, a quote inside a quoted field is doubled, a quoted field may hold commas and line
//! breaks; lines end in LF or CRLF).
//!
//! The input is read in blocks; [`split_records`] finds where each record starts and ends (a
//! sequential scan that tracks quotes), and records are then split into fields in parallel.

use std::borrow::Cow;

/// One record of a block: its byte range (without the line break) and the 1-based line of the
/// file it starts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Record {
    /// First byte.
    pub start: usize,
    /// One past the last byte, line break excluded.
    pub end: usize,
    /// 1-based line number of its first byte.
    pub line: u64,
}

/// Finds the complete records of `buf` (starting on line `first_line`, outside quotes). With
/// `at_eof` the last record may end without a line break. Returns how many bytes were consumed
/// and the next record's line; the rest (an incomplete record) is carried to the next block.
/// A record whose quote is still open at the end of the input ends at the end of the input.
pub fn split_records(
    buf: &[u8],
    first_line: u64,
    at_eof: bool,
    out: &mut Vec<Record>,
) -> (usize, u64) {
    let mut start = 0;
    let mut line = first_line;
    let mut record_line = first_line;
    let mut in_quotes = false;
    let mut pos = 0;
    while let Some(off) = memchr::memchr2(b'"', b'\n', &buf[pos..]) {
        let i = pos + off;
        if buf[i] == b'"' {
            in_quotes = !in_quotes;
        } else {
            line += 1;
            if !in_quotes {
                let mut end = i;
                if end > start && buf[end - 1] == b'\r' {
                    end -= 1;
                }
                out.push(Record {
                    start,
                    end,
                    line: record_line,
                });
                start = i + 1;
                record_line = line;
            }
        }
        pos = i + 1;
    }
    if at_eof && start < buf.len() {
        let mut end = buf.len();
        if buf[end - 1] == b'\r' {
            end -= 1;
        }
        out.push(Record {
            start,
            end,
            line: record_line,
        });
        start = buf.len();
    }
    (start, record_line)
}

/// Why a record cannot be split into fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SplitError {
    /// A quoted field is not closed before the record ends.
    UnclosedQuote,
    /// Text follows a closing quote before the next comma.
    TextAfterQuote,
}

impl std::fmt::Display for SplitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SplitError::UnclosedQuote => {
                f.write_str("a quoted field is not closed; expected a closing \"")
            }
            SplitError::TextAfterQuote => f.write_str(
                "text after a closing quote; expected a comma after the closing \" (write a quote inside a quoted field as \"\")",
            ),
        }
    }
}

/// Splits a record into its fields, unquoted. Fields without quotes borrow the record.
pub fn split_fields<'a>(rec: &'a [u8], out: &mut Vec<Cow<'a, [u8]>>) -> Result<(), SplitError> {
    out.clear();
    if memchr::memchr(b'"', rec).is_none() {
        out.extend(rec.split(|b| *b == b',').map(Cow::Borrowed));
        return Ok(());
    }
    let mut i = 0;
    loop {
        if rec.get(i) == Some(&b'"') {
            let mut field = Vec::new();
            i += 1;
            loop {
                match memchr::memchr(b'"', &rec[i..]) {
                    None => return Err(SplitError::UnclosedQuote),
                    Some(off) => {
                        field.extend_from_slice(&rec[i..i + off]);
                        i += off + 1;
                        if rec.get(i) == Some(&b'"') {
                            field.push(b'"');
                            i += 1;
                        } else {
                            break;
                        }
                    }
                }
            }
            out.push(Cow::Owned(field));
            match rec.get(i) {
                None => return Ok(()),
                Some(b',') => i += 1,
                Some(_) => return Err(SplitError::TextAfterQuote),
            }
        } else {
            let end = memchr::memchr(b',', &rec[i..]).map_or(rec.len(), |o| i + o);
            out.push(Cow::Borrowed(&rec[i..end]));
            if end == rec.len() {
                return Ok(());
            }
            i = end + 1;
        }
    }
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

    fn fields(s: &str) -> Result<Vec<String>, SplitError> {
        let mut out = Vec::new();
        split_fields(s.as_bytes(), &mut out)?;
        Ok(out
            .iter()
            .map(|f| String::from_utf8(f.to_vec()).unwrap())
            .collect())
    }

    #[test]
    fn records_end_at_line_breaks_outside_quotes() {
        let buf = b"a,b\r\n\"x\ny\",2\nlast";
        let mut recs = Vec::new();
        let (used, line) = split_records(buf, 1, false, &mut recs);
        assert_eq!(recs.len(), 2);
        assert_eq!(&buf[recs[0].start..recs[0].end], b"a,b");
        assert_eq!(&buf[recs[1].start..recs[1].end], b"\"x\ny\",2");
        assert_eq!((recs[0].line, recs[1].line), (1, 2));
        assert_eq!(&buf[used..], b"last");
        assert_eq!(line, 4);
        recs.clear();
        let (used, _) = split_records(&buf[used..], line, true, &mut recs);
        assert_eq!(used, 4);
        assert_eq!(recs[0].line, 4);
    }

    #[test]
    fn fields_are_unquoted() {
        assert_eq!(fields("a,,c").unwrap(), ["a", "", "c"]);
        assert_eq!(
            fields("\"a,b\",\"say \"\"hi\"\"\",").unwrap(),
            ["a,b", "say \"hi\"", ""]
        );
        assert_eq!(fields("x,\"y\"").unwrap(), ["x", "y"]);
        assert_eq!(fields("\"open").unwrap_err(), SplitError::UnclosedQuote);
        assert_eq!(fields("\"a\"b,c").unwrap_err(), SplitError::TextAfterQuote);
        let mut out = Vec::new();
        write_field(&mut out, b"a,\"b\"");
        assert_eq!(out, b"\"a,\"\"b\"\"\"");
    }

    proptest::proptest! {
        /// Any fields written with `write_field` come back from `split_records` and
        /// `split_fields` as they were, whatever commas, quotes and line breaks they hold.
        #[test]
        fn fields_round_trip(rows in proptest::collection::vec(
            proptest::collection::vec("[a-z,\"\n\r ]{0,6}", 1..5), 1..5)
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
