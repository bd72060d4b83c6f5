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
        let records = csv_records(text).map_err(&bad)?;
        let Some((header, body)) = records.split_first() else {
            return Err(ApiError::bad_input(
                field,
                format!(
                    "{file}: the file is empty; expected a header row (an empty first cell, then one name per {}) and one row per {}",
                    shape.column, shape.row
                ),
            ));
        };
        let header_line = header[0].line;
        if header.len() < 2 {
            let hint = if header[0].text.contains(';') || header[0].text.contains('\t') {
                " (values must be separated by commas, not semicolons or tabs)"
            } else {
                ""
            };
            return Err(bad(format!(
                "line {header_line}: the header row has one cell{hint}; expected a first cell (may be empty) then one name per {}",
                shape.column
            )));
        }
        let names = &header[1..];
        if names
            .iter()
            .all(|c| !c.quoted && c.text.parse::<f64>().is_ok())
        {
            return Err(bad(format!(
                "line {header_line}: the first row holds numbers, not names: the header row is missing; expected a header row with an empty first cell then one name per {} (e.g. ,{}1,{}2)",
                shape.column, shape.column, shape.column
            )));
        }
        let mut columns: Vec<String> = Vec::with_capacity(names.len());
        for c in names {
            if c.text.is_empty() {
                return Err(bad(format!(
                    "line {}, column {}: the {} name is empty; expected a name",
                    c.line, c.column, shape.column
                )));
            }
            // A name given twice was refused by the header reader.
            columns.push(c.text.to_string());
        }
        if body.is_empty() {
            return Err(bad(format!(
                "line {header_line}: only a header row; expected one row per {} after it",
                shape.row
            )));
        }
        let mut rows: Vec<String> = Vec::with_capacity(body.len());
        let mut values = Vec::with_capacity(body.len());
        // Row names seen, with their record: a hash lookup, so that reading stays linear in
        // the rows (a million alternatives).
        let mut seen: HashMap<&str, usize> = HashMap::with_capacity(body.len());
        for (k, record) in body.iter().enumerate() {
            let first = &record[0];
            if record.len() != header.len() {
                return Err(bad(format!(
                    "line {} has {} cell{}; expected {}: the {} name, then {} value{}, one per {} of the header (line {header_line})",
                    first.line,
                    record.len(),
                    if record.len() == 1 { "" } else { "s" },
                    header.len(),
                    shape.row,
                    columns.len(),
                    if columns.len() == 1 { "" } else { "s" },
                    shape.column
                )));
            }
            if first.text.is_empty() {
                return Err(bad(format!(
                    "line {}, column 1: the {} name is empty; expected a name",
                    first.line, shape.row
                )));
            }
            if let Some(&i) = seen.get(first.text.as_ref()) {
                return Err(bad(format!(
                    "line {}, column 1: {} '{}' is named twice (also line {}); expected each name once",
                    first.line,
                    shape.row,
                    shown(&first.text),
                    body[i][0].line
                )));
            }
            seen.insert(&first.text, k);
            let mut row = Vec::with_capacity(columns.len());
            for (c, name) in record[1..].iter().zip(&columns) {
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
                    return Err(bad(format!(
                        "{}: the cell is empty; expected a number",
                        place()
                    )));
                }
                match c.text.parse::<f64>() {
                    Ok(x) if x.is_finite() => row.push(x),
                    Ok(_) => {
                        return Err(bad(format!(
                        "{}: '{}' is not a finite number; expected a decimal number such as 0.5",
                        place(),
                        shown(&c.text)
                    )))
                    }
                    Err(_) => {
                        return Err(bad(format!(
                            "{}: '{}' is not a number; expected a decimal number such as 0.5",
                            place(),
                            shown(&c.text)
                        )))
                    }
                }
            }
            rows.push(first.text.to_string());
            values.push(row);
        }
        let lines = body.iter().map(|r| r[0].line).collect();
        Ok(LabelledMatrix {
            columns,
            rows,
            values,
            lines,
        })
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

/// The records of CSV text, each a non-empty list of trimmed cells (quoted ones kept as
/// written); blank lines are skipped; the first record is the header, read by the shared
/// header reader. The error is `line N[, column C]: message`.
fn csv_records(text: &str) -> Result<Vec<Vec<CsvCell<'_>>>, String> {
    let mut records: Vec<Vec<CsvCell<'_>>> = Vec::new();
    let mut cells = Vec::new();
    for (line, bytes) in rules::lines(text.as_bytes()) {
        if bytes.len() > MAX_RECORD_BYTES {
            return Err(format!(
                "line {line}: the row is longer than {MAX_RECORD_BYTES} bytes (the record length limit); expected rows of names and numbers ending in a line feed"
            ));
        }
        let content = if line == 1 {
            rules::strip_bom(bytes)
        } else {
            bytes
        };
        if content.iter().all(|b| b.is_ascii_whitespace()) {
            continue;
        }
        if records.is_empty() {
            let header = read_header(bytes).map_err(|e| match e.column() {
                Some(c) => format!("line {line}, column {c}: {e}"),
                None => format!("line {line}: {e}"),
            })?;
            records.push(
                header
                    .into_iter()
                    .enumerate()
                    .map(|(i, h)| CsvCell {
                        text: Cow::Owned(h.name),
                        line,
                        column: i + 1,
                        quoted: h.quoted,
                    })
                    .collect(),
            );
            continue;
        }
        split_cells(bytes, &mut cells)
            .map_err(|e| format!("line {line}, column {}: {e}", e.field))?;
        records.push(
            cells
                .drain(..)
                .enumerate()
                .map(|(i, (t, quoted))| {
                    let text = match t {
                        // Borrowed from the text: valid UTF-8 already, so no copy.
                        Cow::Borrowed(b) => match String::from_utf8_lossy(b) {
                            Cow::Borrowed(s) if quoted => Cow::Borrowed(s),
                            Cow::Borrowed(s) => Cow::Borrowed(s.trim()),
                            Cow::Owned(s) => Cow::Owned(owned_cell(s, quoted)),
                        },
                        Cow::Owned(v) => {
                            Cow::Owned(owned_cell(String::from_utf8_lossy(&v).into_owned(), quoted))
                        }
                    };
                    CsvCell {
                        text,
                        line,
                        column: i + 1,
                        quoted,
                    }
                })
                .collect(),
        );
    }
    Ok(records)
}

/// An owned cell's text: as written when quoted, trimmed otherwise.
fn owned_cell(text: String, quoted: bool) -> String {
    if quoted {
        text
    } else {
        text.trim().to_string()
    }
}
