//! Reading a Parquet inventory: row groups become blocks of typed columns, mapped in parallel
//! like CSV rows.

#[cfg(feature = "parquet")]
use crate::decode_guard::guard;
use crate::score::Slot;
use crate::{FleetError, Reject};
use rayon::prelude::*;
use stackmatrix_engine::fleet::{
    match_rules, widen, Cell, ColumnarMatcher, RuleSet, TypedColumn, EMPTY_BOOL, EMPTY_CODE,
};
use stackmatrix_model::FleetRules;
use std::borrow::Cow;
use std::path::Path;

/// One column of a block, typed as the file stores it.
#[cfg_attr(not(feature = "parquet"), allow(dead_code))]
pub(crate) enum ColumnData {
    /// The file has no such column (an optional rules column).
    Absent,
    F64(Vec<Option<f64>>),
    I64(Vec<Option<i64>>),
    Bool(Vec<Option<bool>>),
    Text(Vec<Option<String>>),
}

impl ColumnData {
    #[cfg(feature = "parquet")]
    fn len(&self) -> Option<usize> {
        match self {
            ColumnData::Absent => None,
            ColumnData::F64(v) => Some(v.len()),
            ColumnData::I64(v) => Some(v.len()),
            ColumnData::Bool(v) => Some(v.len()),
            ColumnData::Text(v) => Some(v.len()),
        }
    }

    fn cell(&self, i: usize) -> Cell<'_> {
        match self {
            ColumnData::Absent => Cell::Missing,
            ColumnData::F64(v) => v[i].map_or(Cell::Missing, Cell::Number),
            ColumnData::I64(v) => v[i].map_or(Cell::Missing, Cell::Integer),
            ColumnData::Bool(v) => v[i].map_or(Cell::Missing, Cell::Bool),
            ColumnData::Text(v) => v[i].as_deref().map_or(Cell::Missing, Cell::Text),
        }
    }
}

/// A block of rows: ids and the rules' columns in rules order.
pub(crate) struct ParquetBlock {
    /// Row number (0-based) of the block's first row in the file.
    pub first_row: u64,
    pub ids: Vec<Option<String>>,
    pub columns: Vec<ColumnData>,
}

impl ParquetBlock {
    pub(crate) fn len(&self) -> usize {
        self.ids.len()
    }
}

/// A column of a block encoded for [`ColumnarMatcher`].
enum Encoded {
    Absent,
    F64(Vec<f64>),
    I64(Vec<i64>),
    Bool(Vec<u8>),
    Text(Vec<u8>, Vec<String>),
}

impl Encoded {
    /// `None` when a text column has more than 254 distinct values (the row path reads it).
    fn of(c: &ColumnData) -> Option<Encoded> {
        Some(match c {
            ColumnData::Absent => Encoded::Absent,
            ColumnData::F64(v) => Encoded::F64(v.iter().map(|x| x.unwrap_or(f64::NAN)).collect()),
            ColumnData::I64(v) => Encoded::I64(
                v.iter()
                    .map(|x| match x {
                        // i64::MIN stands for empty; the row path decides such a value.
                        Some(i64::MIN) | None => i64::MIN,
                        Some(i) => *i,
                    })
                    .collect(),
            ),
            ColumnData::Bool(v) => Encoded::Bool(
                v.iter()
                    .map(|x| x.map_or(EMPTY_BOOL, |b| b as u8))
                    .collect(),
            ),
            ColumnData::Text(v) => {
                let mut values: Vec<String> = Vec::new();
                let mut index: std::collections::HashMap<&str, u8> = Default::default();
                let mut codes = Vec::with_capacity(v.len());
                for t in v {
                    codes.push(match t.as_deref() {
                        None => EMPTY_CODE,
                        Some(t) => match index.get(t) {
                            Some(k) => *k,
                            None => {
                                if values.len() >= EMPTY_CODE as usize {
                                    return None;
                                }
                                let k = values.len() as u8;
                                values.push(t.to_string());
                                index.insert(t, k);
                                k
                            }
                        },
                    });
                }
                Encoded::Text(codes, values)
            }
        })
    }

    fn typed(&self, r: std::ops::Range<usize>) -> TypedColumn<'_> {
        match self {
            Encoded::Absent => TypedColumn::Absent,
            Encoded::F64(v) => TypedColumn::F64(&v[r]),
            Encoded::I64(v) => TypedColumn::I64(&v[r]),
            Encoded::Bool(v) => TypedColumn::Bool(&v[r]),
            Encoded::Text(v, values) => TypedColumn::Text(&v[r], values),
        }
    }
}

/// Rows per parallel piece of a block.
const PIECE: usize = 1 << 14;

/// Maps every row of a block (phase A), in parallel: a column at a time
/// ([`ColumnarMatcher`]) where it can, row by row ([`match_rules`]) for the rows it flags
/// and for blocks it cannot encode; both give the same rule set (tested).
pub(crate) fn map_block<'a>(
    block: &'a ParquetBlock,
    rules: &FleetRules,
    lookup: &(dyn Fn(RuleSet) -> Option<u32> + Sync),
) -> Vec<(u64, Slot<'a>)> {
    let encoded: Option<Vec<Encoded>> = if rules.rules.len() <= 32 {
        block.columns.par_iter().map(Encoded::of).collect()
    } else {
        None
    };
    let n = block.len();
    let slot = |i: usize, set: Option<RuleSet>| -> (u64, Slot<'a>) {
        // Line numbers as if the file were a CSV with a header: row 0 is line 2.
        let line = block.first_row + i as u64 + 2;
        let Some(id) = block.ids[i].as_deref() else {
            return (
                line,
                Slot::Reject(Box::new(Reject {
                    line,
                    id: None,
                    column: rules.id_column.clone(),
                    reason: "missing; every row needs an id".into(),
                })),
            );
        };
        let matched = match set {
            Some(set) => Ok(set),
            None => {
                let mut cells = [Cell::Missing; 32];
                let mut heap = Vec::new();
                let k = block.columns.len();
                let cells: &mut [Cell] = if k <= 32 {
                    &mut cells[..k]
                } else {
                    heap.resize(k, Cell::Missing);
                    &mut heap
                };
                for (c, col) in cells.iter_mut().zip(&block.columns) {
                    *c = col.cell(i);
                }
                match_rules(rules, cells)
            }
        };
        let id_bytes = Cow::Borrowed(id.as_bytes());
        let slot = match matched {
            Ok(set) => match lookup(set) {
                Some(k) => Slot::Key(id_bytes, k),
                None => Slot::Miss(id_bytes, set),
            },
            Err(e) => Slot::Reject(Box::new(Reject {
                line,
                id: Some(id.to_string()),
                column: e.column,
                reason: e.reason,
            })),
        };
        (line, slot)
    };
    match encoded {
        Some(enc) => {
            // The rules prepared once for the block's layout, then run piece by piece.
            let whole: Vec<TypedColumn> = enc.iter().map(|e| e.typed(0..n)).collect();
            let matcher = ColumnarMatcher::new(rules, &whole);
            (0..n.div_ceil(PIECE))
                .into_par_iter()
                .flat_map_iter(|p| {
                    let r = p * PIECE..((p + 1) * PIECE).min(n);
                    let typed: Vec<TypedColumn> = enc.iter().map(|e| e.typed(r.clone())).collect();
                    let mut sets = vec![0u32; r.len()];
                    let mut bad = vec![false; r.len()];
                    matcher.run(&typed, &mut sets, &mut bad);
                    let slot = &slot;
                    r.clone()
                        .zip(sets.into_iter().zip(bad))
                        .map(move |(i, (set, b))| slot(i, (!b).then_some(widen(set))))
                        .collect::<Vec<_>>()
                })
                .collect()
        }
        None => (0..n)
            .into_par_iter()
            .with_min_len(4096)
            .map(|i| slot(i, None))
            .collect(),
    }
}

/// Reads a Parquet inventory block by block.
#[cfg(not(feature = "parquet"))]
pub(crate) fn read(
    _rules: &FleetRules,
    path: &Path,
    _each: &mut dyn FnMut(ParquetBlock) -> Result<(), FleetError>,
) -> Result<(), FleetError> {
    Err(FleetError::Input(format!(
        "--input: {}: this build has no Parquet support (build with the `parquet` feature); expected a .csv file",
        path.display()
    )))
}

#[cfg(feature = "parquet")]
fn perr(path: &Path) -> impl Fn(parquet::errors::ParquetError) -> FleetError + '_ {
    move |e| {
        FleetError::Input(format!(
            "--input: {}: cannot read Parquet: {e}",
            path.display()
        ))
    }
}

/// The error for a panic of the Parquet decoder (caught by [`guard`]) while reading `what`:
/// the file is corrupt, told like any other corrupt-Parquet error.
#[cfg(feature = "parquet")]
fn corrupt(path: &Path, what: &str, panic: &str) -> FleetError {
    FleetError::Input(format!(
        "--input: {}: cannot read Parquet ({what}): the file is corrupt (the decoder failed: {panic}); expected a valid Parquet file",
        path.display()
    ))
}

/// Dense values of a column chunk and, for an optional column, its definition levels.
#[cfg(feature = "parquet")]
type Dense<T> = (Vec<T>, Option<Vec<i16>>);

/// Reads every record of one column chunk: dense values and, for an optional column, the
/// definition levels (1 = present).
#[cfg(feature = "parquet")]
fn read_all<T: parquet::data_type::DataType>(
    mut reader: parquet::column::reader::ColumnReaderImpl<T>,
    rows: usize,
    optional: bool,
) -> parquet::errors::Result<Dense<T::T>>
where
    T::T: Default + Clone,
{
    let mut values = Vec::with_capacity(rows);
    let mut defs: Option<Vec<i16>> = optional.then(|| Vec::with_capacity(rows));
    let mut done = 0;
    while done < rows {
        let (records, _, _) = reader.read_records(rows - done, defs.as_mut(), None, &mut values)?;
        if records == 0 {
            break;
        }
        done += records;
    }
    Ok((values, defs))
}

/// Spreads dense values over rows by their definition levels.
#[cfg(feature = "parquet")]
fn spread<T, U>(values: Vec<T>, defs: Option<Vec<i16>>, f: impl Fn(T) -> U) -> Vec<Option<U>> {
    match defs {
        None => values.into_iter().map(|v| Some(f(v))).collect(),
        Some(defs) => {
            let mut it = values.into_iter();
            defs.iter()
                .map(|d| if *d > 0 { it.next().map(&f) } else { None })
                .collect()
        }
    }
}

#[cfg(feature = "parquet")]
fn read_column(
    rg: &dyn parquet::file::reader::RowGroupReader,
    index: usize,
    rows: usize,
) -> parquet::errors::Result<ColumnData> {
    use parquet::column::reader::ColumnReader as R;
    let optional = rg.metadata().schema_descr().column(index).max_def_level() > 0;
    let text = |b: parquet::data_type::ByteArray| String::from_utf8_lossy(b.data()).into_owned();
    Ok(match rg.get_column_reader(index)? {
        R::BoolColumnReader(r) => {
            let (v, d) = read_all(r, rows, optional)?;
            ColumnData::Bool(spread(v, d, |x| x))
        }
        R::Int32ColumnReader(r) => {
            let (v, d) = read_all(r, rows, optional)?;
            ColumnData::I64(spread(v, d, i64::from))
        }
        R::Int64ColumnReader(r) => {
            let (v, d) = read_all(r, rows, optional)?;
            ColumnData::I64(spread(v, d, |x| x))
        }
        R::FloatColumnReader(r) => {
            let (v, d) = read_all(r, rows, optional)?;
            ColumnData::F64(spread(v, d, f64::from))
        }
        R::DoubleColumnReader(r) => {
            let (v, d) = read_all(r, rows, optional)?;
            ColumnData::F64(spread(v, d, |x| x))
        }
        R::ByteArrayColumnReader(r) => {
            let (v, d) = read_all(r, rows, optional)?;
            ColumnData::Text(spread(v, d, text))
        }
        R::FixedLenByteArrayColumnReader(_) | R::Int96ColumnReader(_) => {
            return Err(parquet::errors::ParquetError::General(format!(
                "column {} has a fixed-length or INT96 type; expected a number, integer, boolean or string column",
                rg.metadata().schema_descr().column(index).name()
            )))
        }
    })
}

/// Reads a Parquet inventory one row group at a time (memory is bounded by the largest row
/// group). Top-level columns are found by name; nested columns are not read.
#[cfg(feature = "parquet")]
pub(crate) fn read(
    rules: &FleetRules,
    path: &Path,
    each: &mut dyn FnMut(ParquetBlock) -> Result<(), FleetError>,
) -> Result<(), FleetError> {
    use parquet::file::reader::{FileReader, SerializedFileReader};
    let file = crate::open_input(path)?;
    #[cfg(unix)]
    let file = pread::PreadFile::new(file)
        .map_err(|e| FleetError::Input(format!("--input: cannot read {}: {e}", path.display())))?;
    // Every call below that decodes the file's bytes runs under `guard`: the parquet crate
    // panics on some corrupt input instead of returning an error.
    let reader = guard(|| SerializedFileReader::new(file))
        .map_err(|p| corrupt(path, "footer metadata", &p))?
        .map_err(perr(path))?;
    let schema = reader.metadata().file_metadata().schema_descr_ptr();
    let names: Vec<String> = schema.columns().iter().map(|c| c.path().string()).collect();
    let find = |name: &str| names.iter().position(|n| n == name);
    let listed = names.join(", ");
    let id = find(&rules.id_column).ok_or_else(|| {
        FleetError::Input(format!(
            "{}: the file has no id column '{}' (rules: {}); columns: {listed}",
            path.display(),
            rules.id_column,
            rules.file
        ))
    })?;
    let mut columns = Vec::new();
    for spec in &rules.columns {
        let at = find(&spec.name);
        if at.is_none() && spec.required {
            return Err(FleetError::Input(format!(
                "{}: the file has no column '{}', which the rules require ({}); columns: {listed}",
                path.display(),
                spec.name,
                rules.file
            )));
        }
        columns.push(at);
    }
    let mut first_row = 0u64;
    for g in 0..reader.num_row_groups() {
        let rg = guard(|| reader.get_row_group(g))
            .map_err(|p| corrupt(path, &format!("row group {g}"), &p))?
            .map_err(perr(path))?;
        let rows = rg.metadata().num_rows().max(0) as usize;
        // The id and the rules' columns are decoded in parallel.
        let wanted: Vec<Option<usize>> = std::iter::once(Some(id))
            .chain(columns.iter().copied())
            .collect();
        // Each column reads its own byte ranges (positioned reads on Unix), so they can be
        // decoded at once; elsewhere one after the other.
        #[cfg(unix)]
        let columns_at = wanted.par_iter();
        #[cfg(not(unix))]
        let columns_at = wanted.iter();
        let mut decoded = columns_at
            .map(|at| match at {
                // Guarded on the thread that decodes (a rayon worker on Unix).
                Some(i) => guard(|| read_column(rg.as_ref(), *i, rows))
                    .map_err(|p| {
                        let what = format!("row group {g}, column '{}'", names[*i]);
                        corrupt(path, &what, &p)
                    })?
                    .map_err(perr(path)),
                None => Ok(ColumnData::Absent),
            })
            .collect::<Result<Vec<ColumnData>, FleetError>>()?;
        let data = decoded.split_off(1);
        let ids = match decoded.pop().expect("the id column") {
            ColumnData::Text(v) => v,
            ColumnData::I64(v) => v.into_iter().map(|x| x.map(|i| i.to_string())).collect(),
            ColumnData::F64(v) => v.into_iter().map(|x| x.map(|i| i.to_string())).collect(),
            ColumnData::Bool(v) => v.into_iter().map(|x| x.map(|i| i.to_string())).collect(),
            ColumnData::Absent => vec![None; rows],
        };
        if ids.len() != rows || data.iter().any(|c| c.len().is_some_and(|n| n != rows)) {
            return Err(FleetError::Input(format!(
                "--input: {}: row group {g} has columns of different lengths; expected {rows} values in each (nested or repeated columns are not read)",
                path.display()
            )));
        }
        each(ParquetBlock {
            first_row,
            ids,
            columns: data,
        })?;
        first_row += rows as u64;
    }
    Ok(())
}

/// A file read with positioned reads (`pread`), so that several column readers can read one
/// file at the same time: `File`'s own reader shares one offset between its clones.
#[cfg(all(unix, feature = "parquet"))]
mod pread {
    use parquet::errors::ParquetError;
    use parquet::file::reader::{ChunkReader, Length};
    use std::fs::File;
    use std::io::Read;
    use std::os::unix::fs::FileExt;
    use std::sync::Arc;

    pub(crate) struct PreadFile {
        file: Arc<File>,
        len: u64,
    }

    impl PreadFile {
        pub(crate) fn new(file: File) -> std::io::Result<PreadFile> {
            let len = file.metadata()?.len();
            Ok(PreadFile {
                file: Arc::new(file),
                len,
            })
        }
    }

    pub(crate) struct PreadReader {
        file: Arc<File>,
        pos: u64,
    }

    impl Read for PreadReader {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.file.read_at(buf, self.pos)?;
            self.pos += n as u64;
            Ok(n)
        }
    }

    impl Length for PreadFile {
        fn len(&self) -> u64 {
            self.len
        }
    }

    impl ChunkReader for PreadFile {
        type T = PreadReader;

        fn get_read(&self, start: u64) -> parquet::errors::Result<PreadReader> {
            Ok(PreadReader {
                file: self.file.clone(),
                pos: start,
            })
        }

        fn get_bytes(&self, start: u64, length: usize) -> parquet::errors::Result<bytes::Bytes> {
            let mut v = vec![0; length];
            self.file
                .read_exact_at(&mut v, start)
                .map_err(|e| ParquetError::External(Box::new(e)))?;
            Ok(bytes::Bytes::from(v))
        }
    }
}

/// The number of rows of a Parquet file, from its footer.
#[cfg(feature = "parquet")]
pub(crate) fn rows(path: &Path) -> Option<u64> {
    use parquet::file::reader::{FileReader, SerializedFileReader};
    let file = crate::open_input(path).ok()?;
    // A corrupt footer may panic the decoder; the count is then unknown, and the read that
    // follows reports the file as corrupt.
    let reader = guard(|| SerializedFileReader::new(file)).ok()?.ok()?;
    u64::try_from(reader.metadata().file_metadata().num_rows()).ok()
}

/// Without Parquet support: unknown.
#[cfg(not(feature = "parquet"))]
pub(crate) fn rows(_path: &Path) -> Option<u64> {
    None
}
