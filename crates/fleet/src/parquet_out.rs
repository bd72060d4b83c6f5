//! Writing per-row results as Parquet.

use crate::atomic::AtomicFile;
use crate::score::Entry;
use crate::FleetError;
use stackmatrix_engine::fleet::FleetOptions;
use std::borrow::Cow;
use std::path::Path;

/// A Parquet output being written.
#[cfg(not(feature = "parquet"))]
pub(crate) struct ParquetSink;

#[cfg(not(feature = "parquet"))]
impl ParquetSink {
    pub(crate) fn new(
        _file: AtomicFile,
        path: &Path,
        _options: FleetOptions,
    ) -> Result<ParquetSink, FleetError> {
        Err(FleetError::Input(format!(
            "--output: {}: this build has no Parquet support (build with the `parquet` feature); expected a .csv file",
            path.display()
        )))
    }

    pub(crate) fn write_rows(
        &mut self,
        _rows: &[(Cow<[u8]>, u32)],
        _entries: &[Entry],
    ) -> Result<(), FleetError> {
        Ok(())
    }

    pub(crate) fn commit(self) -> Result<(), FleetError> {
        Ok(())
    }
}

/// Writes a generated inventory as Parquet.
#[cfg(not(feature = "parquet"))]
pub(crate) fn generate_parquet(
    opts: &crate::GenerateOptions,
    _interrupted: &std::sync::atomic::AtomicBool,
) -> Result<u64, FleetError> {
    Err(FleetError::Input(format!(
        "--output: {}: this build has no Parquet support (build with the `parquet` feature); expected a .csv file",
        opts.output.display()
    )))
}

#[cfg(feature = "parquet")]
mod imp {
    use super::*;
    use parquet::basic::Compression;
    use parquet::column::writer::ColumnWriter;
    use parquet::data_type::ByteArray;
    use parquet::file::properties::{EnabledStatistics, WriterProperties};
    use parquet::file::writer::SerializedFileWriter;
    use parquet::schema::parser::parse_message_type;
    use parquet::schema::types::ColumnPath;
    use stackmatrix_model::Scene;
    use std::sync::Arc;

    fn perr(path: &Path) -> impl Fn(parquet::errors::ParquetError) -> FleetError + '_ {
        move |e| FleetError::Io(format!("cannot write {}: {e}", path.display()))
    }

    /// One column's values for a row group: dense values and definition levels.
    pub(crate) enum Values {
        Text(Vec<ByteArray>, Option<Vec<i16>>),
        F64(Vec<f64>, Option<Vec<i16>>),
        I64(Vec<i64>, Option<Vec<i16>>),
        Bool(Vec<bool>, Option<Vec<i16>>),
    }

    impl Values {
        fn write(&self, w: &mut ColumnWriter) -> parquet::errors::Result<()> {
            match (self, w) {
                (Values::Text(v, d), ColumnWriter::ByteArrayColumnWriter(w)) => {
                    w.write_batch(v, d.as_deref(), None)?;
                }
                (Values::F64(v, d), ColumnWriter::DoubleColumnWriter(w)) => {
                    w.write_batch(v, d.as_deref(), None)?;
                }
                (Values::I64(v, d), ColumnWriter::Int64ColumnWriter(w)) => {
                    w.write_batch(v, d.as_deref(), None)?;
                }
                (Values::Bool(v, d), ColumnWriter::BoolColumnWriter(w)) => {
                    w.write_batch(v, d.as_deref(), None)?;
                }
                _ => {
                    return Err(parquet::errors::ParquetError::General(
                        "column type mismatch".into(),
                    ))
                }
            }
            Ok(())
        }
    }

    /// An optional column's dense values (the present ones) and definition levels (1 present,
    /// 0 null), as Parquet's column writers take them.
    fn dense<T>(items: impl Iterator<Item = Option<T>>) -> (Vec<T>, Option<Vec<i16>>) {
        let (mut v, mut d) = (Vec::new(), Vec::new());
        for x in items {
            d.push(x.is_some() as i16);
            v.extend(x);
        }
        (v, Some(d))
    }

    /// Optional text: values and definition levels.
    fn opt_text<'a>(items: impl Iterator<Item = Option<&'a str>>) -> Values {
        opt_bytes(items.map(|x| x.map(|s| ByteArray::from(s.as_bytes()))))
    }

    /// Optional shared text: values and definition levels.
    fn opt_bytes(items: impl Iterator<Item = Option<ByteArray>>) -> Values {
        let (v, d) = dense(items);
        Values::Text(v, d)
    }

    fn opt_f64(items: impl Iterator<Item = Option<f64>>) -> Values {
        let (v, d) = dense(items);
        Values::F64(v, d)
    }

    /// A Parquet file being written, one row group per call.
    pub(crate) struct ParquetSink {
        writer: SerializedFileWriter<AtomicFile>,
        path: std::path::PathBuf,
        options: FleetOptions,
    }

    fn props() -> Arc<WriterProperties> {
        Arc::new(
            WriterProperties::builder()
                .set_compression(Compression::SNAPPY)
                // No min/max statistics (comparing every text value took a fifth of the time),
                // and no dictionary for the ids, which are all different.
                .set_statistics_enabled(EnabledStatistics::None)
                .set_column_dictionary_enabled(ColumnPath::from("id"), false)
                .build(),
        )
    }

    impl ParquetSink {
        pub(crate) fn new(
            file: AtomicFile,
            path: &Path,
            options: FleetOptions,
        ) -> Result<ParquetSink, FleetError> {
            let mut schema = String::from("message fleet {\n  required binary id (UTF8);\n");
            for s in Scene::ALL {
                schema.push_str(&format!("  required double {};\n", s.key()));
            }
            schema.push_str("  required binary require (UTF8);\n  optional double budget_mb;\n");
            for k in 1..=options.top.max(1) {
                schema.push_str(&format!(
                    "  optional binary chain_{k} (UTF8);\n  optional double score_{k};\n"
                ));
            }
            if options.stacks {
                schema
                    .push_str("  optional binary stack (UTF8);\n  optional double stack_score;\n");
            }
            schema.push('}');
            let schema = Arc::new(parse_message_type(&schema).map_err(perr(path))?);
            let writer = SerializedFileWriter::new(file, schema, props()).map_err(perr(path))?;
            Ok(ParquetSink {
                writer,
                path: path.to_path_buf(),
                options,
            })
        }

        pub(crate) fn write_rows(
            &mut self,
            rows: &[(Cow<[u8]>, u32)],
            entries: &[Entry],
        ) -> Result<(), FleetError> {
            if rows.is_empty() {
                return Ok(());
            }
            let outcome = |k: u32| {
                entries[k as usize]
                    .outcome
                    .as_ref()
                    .expect("only scored rows are written")
            };
            // Text shared by the rows of an entry is made once and shared (reference counted).
            let shared = |s: &str| ByteArray::from(bytes::Bytes::copy_from_slice(s.as_bytes()));
            type Texts = (ByteArray, Vec<ByteArray>, Option<ByteArray>);
            let texts: Vec<Option<Texts>> = entries
                .iter()
                .map(|e| {
                    e.outcome.as_ref().ok().map(|o| {
                        (
                            shared(&o.mapped.require.join(";")),
                            o.top.iter().map(|s| shared(&s.id)).collect(),
                            o.stack.as_ref().map(|s| shared(&s.id)),
                        )
                    })
                })
                .collect();
            let text = |k: u32| {
                texts[k as usize]
                    .as_ref()
                    .expect("only scored rows are written")
            };
            // The ids, in one buffer sliced per row.
            let mut all = Vec::with_capacity(rows.iter().map(|(id, _)| id.len()).sum());
            for (id, _) in rows {
                all.extend_from_slice(id);
            }
            let all = bytes::Bytes::from(all);
            let mut at = 0;
            let ids = rows
                .iter()
                .map(|(id, _)| {
                    at += id.len();
                    ByteArray::from(all.slice(at - id.len()..at))
                })
                .collect();
            let mut cols: Vec<Values> = vec![Values::Text(ids, None)];
            for j in 0..Scene::ALL.len() {
                cols.push(Values::F64(
                    rows.iter()
                        .map(|(_, k)| outcome(*k).mapped.vector[j])
                        .collect(),
                    None,
                ));
            }
            cols.push(Values::Text(
                rows.iter().map(|(_, k)| text(*k).0.clone()).collect(),
                None,
            ));
            cols.push(opt_f64(
                rows.iter().map(|(_, k)| outcome(*k).mapped.budget_mb),
            ));
            for t in 0..self.options.top.max(1) {
                cols.push(opt_bytes(
                    rows.iter().map(|(_, k)| text(*k).1.get(t).cloned()),
                ));
                cols.push(opt_f64(
                    rows.iter()
                        .map(|(_, k)| outcome(*k).top.get(t).map(|s| s.score)),
                ));
            }
            if self.options.stacks {
                cols.push(opt_bytes(rows.iter().map(|(_, k)| text(*k).2.clone())));
                cols.push(opt_f64(
                    rows.iter()
                        .map(|(_, k)| outcome(*k).stack.as_ref().map(|s| s.score)),
                ));
            }
            write_group(&mut self.writer, &cols).map_err(perr(&self.path))
        }

        pub(crate) fn commit(self) -> Result<(), FleetError> {
            let path = self.path;
            let file = self.writer.into_inner().map_err(perr(&path))?;
            file.commit()
                .map_err(|e| FleetError::Io(format!("cannot write {}: {e}", path.display())))
        }
    }

    fn write_group(
        writer: &mut SerializedFileWriter<AtomicFile>,
        cols: &[Values],
    ) -> parquet::errors::Result<()> {
        let mut rg = writer.next_row_group()?;
        let mut i = 0;
        while let Some(mut col) = rg.next_column()? {
            cols[i].write(col.untyped())?;
            col.close()?;
            i += 1;
        }
        rg.close()?;
        Ok(())
    }

    /// Writes a generated inventory as Parquet (typed columns; a broken field that is not a
    /// value of its type is written as null).
    pub(crate) fn generate_parquet(
        opts: &crate::GenerateOptions,
        interrupted: &std::sync::atomic::AtomicBool,
    ) -> Result<u64, FleetError> {
        use rayon::prelude::*;
        let path = &opts.output;
        let io =
            |e: std::io::Error| FleetError::Io(format!("cannot write {}: {e}", path.display()));
        let file = AtomicFile::create(path).map_err(io)?;
        let schema = "message inventory {\n  required binary id (UTF8);\n  optional double cpu_cores;\n  optional double memory_gb;\n  optional binary network (UTF8);\n  optional boolean offline;\n  optional int64 gpus;\n  optional int64 tenants;\n  optional double latency_ms;\n  optional binary workload (UTF8);\n}";
        let schema = Arc::new(parse_message_type(schema).map_err(perr(path))?);
        let mut writer = SerializedFileWriter::new(file, schema, props()).map_err(perr(path))?;
        const GROUP: u64 = 1 << 17;
        let mut start = 0;
        while start < opts.rows {
            if interrupted.load(std::sync::atomic::Ordering::Relaxed) {
                return Err(FleetError::Interrupted);
            }
            let end = (start + GROUP).min(opts.rows);
            let rows: Vec<Vec<String>> = (start..end)
                .collect::<Vec<u64>>()
                .into_par_iter()
                .map(|i| crate::generate::row_fields(opts.seed, i, opts.broken))
                .collect();
            let text = |j: usize| {
                opt_text(
                    rows.iter()
                        .map(|r| Some(r[j].as_str()).filter(|s| !s.is_empty())),
                )
            };
            let num = |j: usize| opt_f64(rows.iter().map(|r| r[j].parse::<f64>().ok()));
            let int = |j: usize| {
                let (v, d) = dense(rows.iter().map(|r| r[j].parse::<i64>().ok()));
                Values::I64(v, d)
            };
            let boolean = |j: usize| {
                let (v, d) = dense(rows.iter().map(|r| match r[j].as_str() {
                    "true" => Some(true),
                    "false" => Some(false),
                    _ => None,
                }));
                Values::Bool(v, d)
            };
            let cols = vec![
                Values::Text(
                    rows.iter()
                        .map(|r| ByteArray::from(r[0].as_bytes()))
                        .collect(),
                    None,
                ),
                num(1),
                num(2),
                text(3),
                boolean(4),
                int(5),
                int(6),
                num(7),
                text(8),
            ];
            write_group(&mut writer, &cols).map_err(perr(path))?;
            start = end;
        }
        let file = writer.into_inner().map_err(perr(path))?;
        file.commit().map_err(io)?;
        Ok(opts.rows)
    }
}

#[cfg(feature = "parquet")]
pub(crate) use imp::{generate_parquet, ParquetSink};
