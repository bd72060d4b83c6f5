//! Decision and pairwise matrices read from CSV (`decide --matrix`, `--ahp`), by the product's
//! shared CSV rules (`stackmatrix_model::csv`: one record a line, LF or CRLF, quoted fields
//! without line breaks, a record length limit, one header reader that drops a byte-order mark
//! and refuses a name given twice).

use crate::error::{ApiError, ApiResult};
use crate::request::{DecideRequest, PairwiseRequest};
use stackmatrix_model::csv::{self as rules, read_header, split_cells, MAX_RECORD_BYTES};
use stackmatrix_model::untrusted::shown;
use std::borrow::Cow;
use std::collections::HashMap;

/// A table of numbers read from CSV: a header row naming the columns (its first cell names the
/// first column and may be empty) and a first column naming the rows.
#[derive(Debug, Clone, PartialEq)]
pub struct LabelledMatrix {
    /// Column names, from the header row without its first cell.
    pub columns: Vec<String>,
    /// Row names, from the first column.
    pub rows: Vec<String>,
    /// `values[i][j]`: row `i`, column `j`.
    pub values: Vec<Vec<f64>>,
    /// The line of the file each row starts on (1-based).
    pub lines: Vec<usize>,
}

/// What the rows and columns of a [`LabelledMatrix`] are, for messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CsvShape {
    /// What a row names (`alternative`).
    pub row: &'static str,
    /// What a column names (`criterion`).
    pub column: &'static str,
}

impl CsvShape {
    /// A decision matrix: alternatives by criteria.
    pub const DECISION: CsvShape = CsvShape {
        row: "alternative",
        column: "criterion",
    };
    /// A pairwise comparison matrix: criteria by criteria.
    pub const PAIRWISE: CsvShape = CsvShape {
        row: "criterion",
        column: "criterion",
    };
}

/// One cell of a CSV record: its text, the line it starts on and its position (1-based).
///
/// The text borrows from the file's text wherever it can (an unquoted cell, or a quoted one
/// without `""`): a million rows of ten numbers are eleven million cells, and one allocation
/// each was most of `decide`'s time on them.
struct CsvCell<'a> {
    text: Cow<'a, str>,
    line: usize,
    column: usize,
    quoted: bool,
}

impl LabelledMatrix {
    /// Reads CSV text by the shared rules (comma-separated, one record a line ending in LF or
    /// CRLF, `"` quotes a cell with `""` inside and no line break, a leading byte-order mark
    /// and blank lines ignored, spaces around unquoted cells dropped). Errors are bad input of
    /// `field` and name `file`, the line and the column (1-based) of the problem: a missing
    /// header, a row with the wrong number of cells, a cell that is not a number or not finite,
    /// an empty or repeated name, a quote not closed on its line, a row over the record length
    /// limit, CR-only line ends.
    pub fn parse_csv(
        text: &str,
        file: &str,
        field: &'static str,
        shape: CsvShape,
    ) -> ApiResult<LabelledMatrix> {
        let bad = |message: String| ApiError::bad_input(field, format!("{file}, {message}"));
        // One pass: each line is split and its numbers parsed as it is read, so that no record
        // is kept (a million rows of eleven cells each were half a gigabyte of cells, and their
        // allocations a tenth of `decide`'s time). The messages stay those of two passes: a
        // structural problem anywhere in the file (a quote, a row too long, the header) is
        // reported before any problem of content, which is the first one in file order. So
        // the first problem of content is kept, and the rest of the file only split.
        // Sized from the count of line feeds, an upper bound of the rows: growing the name
        // table would hash every name again at each doubling.
        let capacity = text.bytes().filter(|&b| b == b'\n').count() + 1;
        let mut reader = MatrixReader {
            shape,
            header: None,
            header_line: 0,
            columns: Vec::new(),
            rows: Vec::with_capacity(capacity),
            values: Vec::with_capacity(capacity),
            lines: Vec::with_capacity(capacity),
            seen: HashMap::with_capacity(capacity),
            pending: None,
        };
        let mut cells = Vec::new();
        let mut record: Vec<CsvCell<'_>> = Vec::new();
        for (line, bytes) in rules::lines(text.as_bytes()) {
            if bytes.len() > MAX_RECORD_BYTES {
                return Err(bad(format!(
                    "line {line}: the row is longer than {MAX_RECORD_BYTES} bytes (the record length limit); expected rows of names and numbers ending in a line feed"
                )));
            }
            let content = if line == 1 {
                rules::strip_bom(bytes)
            } else {
                bytes
            };
            if content.iter().all(|b| b.is_ascii_whitespace()) {
                continue;
            }
            if reader.header.is_none() {
                let header = read_header(bytes).map_err(|e| {
                    bad(match e.column() {
                        Some(c) => format!("line {line}, column {c}: {e}"),
                        None => format!("line {line}: {e}"),
                    })
                })?;
                let header: Vec<CsvCell<'_>> = header
                    .into_iter()
                    .enumerate()
                    .map(|(i, h)| CsvCell {
                        text: Cow::Owned(h.name),
                        line,
                        column: i + 1,
                        quoted: h.quoted,
                    })
                    .collect();
                reader.header_line = line;
                if let Err(message) = reader.read_header(&header) {
                    reader.pending = Some(message);
                }
                reader.header = Some(header.len());
                continue;
            }
            split_cells(bytes, &mut cells)
                .map_err(|e| bad(format!("line {line}, column {}: {e}", e.field)))?;
            if reader.pending.is_some() {
                continue;
            }
            record.clear();
            record.extend(cells.drain(..).enumerate().map(|(i, (t, quoted))| CsvCell {
                text: cell_text(t, quoted),
                line,
                column: i + 1,
                quoted,
            }));
            if let Err(message) = reader.read_row(&mut record) {
                reader.pending = Some(message);
            }
        }
        if let Some(message) = reader.pending {
            return Err(bad(message));
        }
        if reader.header.is_none() {
            return Err(ApiError::bad_input(
                field,
                format!(
                    "{file}: the file is empty; expected a header row (an empty first cell, then one name per {}) and one row per {}",
                    shape.column, shape.row
                ),
            ));
        }
        if reader.rows.is_empty() {
            return Err(bad(format!(
                "line {}: only a header row; expected one row per {} after it",
                reader.header_line, shape.row
            )));
        }
        Ok(LabelledMatrix {
            columns: reader.columns,
            rows: reader.rows,
            values: reader.values,
            lines: reader.lines,
        })
    }
}

/// The state of [`LabelledMatrix::parse_csv`] while it reads: the header's cell count once
/// read, the rows so far and the first problem of content met (`line N...: message`).
struct MatrixReader<'a> {
    shape: CsvShape,
    header: Option<usize>,
    header_line: usize,
    columns: Vec<String>,
    rows: Vec<String>,
    values: Vec<Vec<f64>>,
    lines: Vec<usize>,
    /// Row names seen, with their row: a hash lookup, so that reading stays linear in the rows
    /// (a million alternatives).
    seen: HashMap<Cow<'a, str>, usize>,
    pending: Option<String>,
}

impl<'a> MatrixReader<'a> {
    /// Checks the header's cells and keeps its names.
    fn read_header(&mut self, header: &[CsvCell<'_>]) -> Result<(), String> {
        let (shape, header_line) = (self.shape, self.header_line);
        if header.len() < 2 {
            let hint = if header[0].text.contains(';') || header[0].text.contains('\t') {
                " (values must be separated by commas, not semicolons or tabs)"
            } else {
                ""
            };
            return Err(format!(
                "line {header_line}: the header row has one cell{hint}; expected a first cell (may be empty) then one name per {}",
                shape.column
            ));
        }
        let names = &header[1..];
        if names
            .iter()
            .all(|c| !c.quoted && c.text.parse::<f64>().is_ok())
        {
            return Err(format!(
                "line {header_line}: the first row holds numbers, not names: the header row is missing; expected a header row with an empty first cell then one name per {} (e.g. ,{}1,{}2)",
                shape.column, shape.column, shape.column
            ));
        }
        self.columns.reserve(names.len());
        for c in names {
            if c.text.is_empty() {
                return Err(format!(
                    "line {}, column {}: the {} name is empty; expected a name",
                    c.line, c.column, shape.column
                ));
            }
            // A name given twice was refused by the header reader.
            self.columns.push(c.text.to_string());
        }
        Ok(())
    }

    /// Checks one row of the body and keeps its name and numbers.
    fn read_row(&mut self, record: &mut [CsvCell<'a>]) -> Result<(), String> {
        let (shape, header_line) = (self.shape, self.header_line);
        let width = self.header.unwrap_or(0);
        let columns = &self.columns;
        let first = &record[0];
        if record.len() != width {
            return Err(format!(
                "line {} has {} cell{}; expected {}: the {} name, then {} value{}, one per {} of the header (line {header_line})",
                first.line,
                record.len(),
                if record.len() == 1 { "" } else { "s" },
                width,
                shape.row,
                columns.len(),
                if columns.len() == 1 { "" } else { "s" },
                shape.column
            ));
        }
        if first.text.is_empty() {
            return Err(format!(
                "line {}, column 1: the {} name is empty; expected a name",
                first.line, shape.row
            ));
        }
        if let Some(&i) = self.seen.get(first.text.as_ref()) {
            return Err(format!(
                "line {}, column 1: {} '{}' is named twice (also line {}); expected each name once",
                first.line,
                shape.row,
                shown(&first.text),
                self.lines[i]
            ));
        }
        let mut row = Vec::with_capacity(columns.len());
        for (c, name) in record[1..].iter().zip(columns) {
            // Formatted only for an error.
            let place = || {
                format!(
                    "line {}, column {} ({} '{}', {} '{}')",
                    c.line,
                    c.column,
                    shape.row,
                    shown(&first.text),
                    shape.column,
                    shown(name)
                )
            };
            if c.text.is_empty() {
                return Err(format!("{}: the cell is empty; expected a number", place()));
            }
            match c.text.parse::<f64>() {
                Ok(x) if x.is_finite() => row.push(x),
                Ok(_) => {
                    return Err(format!(
                        "{}: '{}' is not a finite number; expected a decimal number such as 0.5",
                        place(),
                        shown(&c.text)
                    ))
                }
                Err(_) => {
                    return Err(format!(
                        "{}: '{}' is not a number; expected a decimal number such as 0.5",
                        place(),
                        shown(&c.text)
                    ))
                }
            }
        }
        let line = first.line;
        let name = std::mem::take(&mut record[0].text);
        self.rows.push(name.to_string());
        self.seen.insert(name, self.rows.len() - 1);
        self.values.push(row);
        self.lines.push(line);
        Ok(())
    }
}

impl DecideRequest {
    /// The request for a decision matrix read as CSV ([`LabelledMatrix::parse_csv`]; errors are
    /// bad input of `matrix` naming `file`, the line and the column), with nothing else set.
    pub fn from_csv(text: &str, file: &str) -> ApiResult<DecideRequest> {
        let m = LabelledMatrix::parse_csv(text, file, "matrix", CsvShape::DECISION)?;
        Ok(DecideRequest {
            alternatives: m.rows,
            criteria: m.columns,
            matrix: m.values,
            ..DecideRequest::default()
        })
    }
}

impl PairwiseRequest {
    /// A pairwise comparison matrix read as CSV: the criteria as the header row and, in the
    /// same order, as the first column. Errors are bad input of `ahp` naming `file`, the line
    /// and the column.
    pub fn parse_csv(text: &str, file: &str) -> ApiResult<PairwiseRequest> {
        let m = LabelledMatrix::parse_csv(text, file, "ahp", CsvShape::PAIRWISE)?;
        if m.rows.len() != m.columns.len() {
            return Err(ApiError::bad_input(
                "ahp",
                format!(
                    "{file}: {} rows of judgements for {} criteria; expected a square matrix, one row per criterion of the header",
                    m.rows.len(),
                    m.columns.len()
                ),
            ));
        }
        for (i, (row, column)) in m.rows.iter().zip(&m.columns).enumerate() {
            if row != column {
                return Err(ApiError::bad_input(
                    "ahp",
                    format!(
                        "{file}, line {}, column 1: row {} is '{}' but column {} of the header is '{}'; expected the rows in the order of the header's criteria",
                        m.lines[i],
                        i + 1,
                        shown(row),
                        i + 2,
                        shown(column)
                    ),
                ));
            }
        }
        Ok(PairwiseRequest {
            labels: Some(m.columns),
            matrix: m.values,
        })
    }
}

/// A cell's text from the splitter: borrowed from the file's text when it can be (valid UTF-8
/// already, so no copy), as written when quoted, trimmed otherwise.
fn cell_text(t: Cow<'_, [u8]>, quoted: bool) -> Cow<'_, str> {
    match t {
        Cow::Borrowed(b) => match String::from_utf8_lossy(b) {
            Cow::Borrowed(s) if quoted => Cow::Borrowed(s),
            Cow::Borrowed(s) => Cow::Borrowed(s.trim()),
            Cow::Owned(s) => Cow::Owned(owned_cell(s, quoted)),
        },
        Cow::Owned(v) => Cow::Owned(owned_cell(String::from_utf8_lossy(&v).into_owned(), quoted)),
    }
}

/// An owned cell's text: as written when quoted, trimmed otherwise.
fn owned_cell(text: String, quoted: bool) -> String {
    if quoted {
        text
    } else {
        text.trim().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(text: &str) -> String {
        LabelledMatrix::parse_csv(text, "m.csv", "matrix", CsvShape::DECISION)
            .unwrap_err()
            .to_string()
    }

    /// The reader checks each row as it reads it, yet a quote problem further down the file is
    /// still reported before a bad number above it, as when every record was split first.
    #[test]
    fn a_quote_problem_anywhere_comes_before_a_bad_number() {
        let m = message(",c1,c2\na,1,x\nb,1,2\nc,\"1,2\n");
        assert!(m.contains("line 4, column 2"), "{m}");
        let m = message(",1,2\na,1,2\nb,\"1\n");
        assert!(m.contains("line 3, column 2"), "{m}");
    }

    /// The first problem of content in file order is the one reported.
    #[test]
    fn the_first_bad_row_in_file_order_is_reported() {
        let m = message(",c1,c2\na,1,2\nb,1,x\nc,1\na,1,2\n");
        assert!(m.contains("line 3, column 3") && m.contains("'x'"), "{m}");
        let m = message(",c1,c2\na,1,2\nb,1,2\na,3,4\n");
        assert!(
            m.contains("line 4, column 1") && m.contains("also line 2"),
            "{m}"
        );
        let m = message(",c1,c2\n\n");
        assert!(m.contains("only a header row"), "{m}");
    }

    /// Rows, names, values and lines come out as written, blank lines skipped.
    #[test]
    fn rows_are_read_in_order_with_their_lines() {
        let m = LabelledMatrix::parse_csv(
            "\u{feff},c1,c2\r\n\r\n a ,1,2.5\n\"b,c\",3,4\n",
            "m.csv",
            "matrix",
            CsvShape::DECISION,
        )
        .unwrap();
        assert_eq!(m.columns, ["c1", "c2"]);
        assert_eq!(m.rows, ["a", "b,c"]);
        assert_eq!(m.values, [vec![1.0, 2.5], vec![3.0, 4.0]]);
        assert_eq!(m.lines, [3, 4]);
    }
}
