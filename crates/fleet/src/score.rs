//! The streaming pipeline of `fleet score`: read a block of rows, map and look up each row in
//! parallel, score the rule sets not seen before, write the block in order, repeat.
//!
//! Memory is bounded by the block size (plus the cache of distinct rule sets, which does not
//! grow with the input): a 10-million-row file is never held whole.

use crate::atomic::AtomicFile;
use crate::csv::{split_fields, split_records, write_field, Record, MAX_RECORD_BYTES};
use crate::{FileKind, FleetError, Progress, Reject};
use rayon::prelude::*;
use stackmatrix_engine::fleet::{
    fleet_summary, match_rules, score_rule_set, Cell, FleetOptions, FleetOutcome, FleetSummary,
    RowCounts, RowError, RuleSet, RunNames,
};
use stackmatrix_engine::InputError;
use stackmatrix_model::csv::read_header;
use stackmatrix_model::untrusted::shown;
use stackmatrix_model::{FleetRules, KnowledgeBase, Scene};
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::io::{Read, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

/// What `--on-error` says to do with a bad row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OnError {
    /// Stop at the first bad row; write nothing.
    #[default]
    Fail,
    /// Leave bad rows out, list them, and go on.
    Skip,
}

/// How to run `fleet score`.
#[derive(Debug, Clone)]
pub struct ScoreOptions {
    /// The inventory (`.csv` or `.parquet`).
    pub input: PathBuf,
    /// Where to write the per-row results (`.csv` or `.parquet`).
    pub output: PathBuf,
    /// Best chains per row (at least 1).
    pub top: usize,
    /// Search the best stack per row too.
    pub stacks: bool,
    /// What to do with a bad row.
    pub on_error: OnError,
    /// Where to list every rejected row (CSV: line, id, column, reason).
    pub rejects: Option<PathBuf>,
    /// Bytes read per block (CSV) or rows per block (Parquet).
    pub block_bytes: usize,
    /// How many rejected rows to keep for the caller to show.
    pub keep_rejects: usize,
}

impl ScoreOptions {
    /// Options with the defaults: top 1, no stacks, fail on the first bad row, 8 MiB blocks.
    pub fn new(input: PathBuf, output: PathBuf) -> ScoreOptions {
        ScoreOptions {
            input,
            output,
            top: 1,
            stacks: false,
            on_error: OnError::Fail,
            rejects: None,
            block_bytes: 8 << 20,
            keep_rejects: 20,
        }
    }
}

/// The result of a run.
#[derive(Debug, Clone)]
pub struct ScoreRun {
    /// Counts, distributions and shares.
    pub summary: FleetSummary,
    /// The first rejected rows (at most `keep_rejects`).
    pub rejects: Vec<Reject>,
    /// Wall-clock seconds.
    pub seconds: f64,
}

/// A distinct rule set, scored once.
pub(crate) struct Entry {
    pub set: RuleSet,
    pub outcome: Result<FleetOutcome, String>,
    /// The CSV fields after the id, with the line break.
    pub tail: Vec<u8>,
}

/// Distinct rule sets seen so far, scored.
pub(crate) struct Cache<'a> {
    rules: &'a FleetRules,
    kb: &'a KnowledgeBase,
    options: FleetOptions,
    index: HashMap<RuleSet, u32>,
    /// With at most [`DENSE_RULES`] rules: entry index by rule set, `u32::MAX` when unknown.
    dense: Option<Vec<u32>>,
    pub entries: Vec<Entry>,
}

/// Rule files with at most this many rules look rule sets up in a table (4 MiB) instead of a
/// hash map.
const DENSE_RULES: usize = 20;

impl<'a> Cache<'a> {
    fn new(kb: &'a KnowledgeBase, rules: &'a FleetRules, options: FleetOptions) -> Self {
        Cache {
            rules,
            kb,
            options,
            index: HashMap::new(),
            dense: (rules.rules.len() <= DENSE_RULES)
                .then(|| vec![u32::MAX; 1 << rules.rules.len()]),
            entries: Vec::new(),
        }
    }

    fn get(&self, set: RuleSet) -> Option<u32> {
        match &self.dense {
            Some(d) => d.get(set as usize).copied().filter(|k| *k != u32::MAX),
            None => self.index.get(&set).copied(),
        }
    }

    /// Scores the sets not yet known, in parallel.
    fn add(&mut self, mut sets: Vec<RuleSet>) {
        sets.sort_unstable();
        sets.dedup();
        sets.retain(|s| self.get(*s).is_none());
        let (rules, kb, options) = (self.rules, self.kb, self.options);
        let new: Vec<Entry> = sets
            .par_iter()
            .map(|&set| {
                // Weights, Θ and the time slice are settled here, once per rule set, by the
                // engine's one constructor; rows only look the entry up.
                let outcome = score_rule_set(rules, kb, set, options).map_err(|e| match e {
                    InputError::SceneAllZero => {
                        format!("cannot be scored: {e} (no rule weighs a scene for this row)")
                    }
                    e => format!("cannot be scored: {e}"),
                });
                let tail = match &outcome {
                    Ok(o) => csv_tail(o, options),
                    Err(_) => Vec::new(),
                };
                Entry { set, outcome, tail }
            })
            .collect();
        for e in new {
            let k = self.entries.len() as u32;
            match &mut self.dense {
                Some(d) => d[e.set as usize] = k,
                None => {
                    self.index.insert(e.set, k);
                }
            }
            self.entries.push(e);
        }
    }
}

/// The output header for the options.
pub fn csv_header(options: FleetOptions) -> Vec<u8> {
    let mut h = String::from("id");
    for s in Scene::ALL {
        h.push(',');
        h.push_str(s.key());
    }
    h.push_str(",require,budget_mb");
    for k in 1..=options.top.max(1) {
        h.push_str(&format!(",chain_{k},score_{k}"));
    }
    if options.stacks {
        h.push_str(",stack,stack_score");
    }
    h.push('\n');
    h.into_bytes()
}

fn csv_tail(o: &FleetOutcome, options: FleetOptions) -> Vec<u8> {
    let mut t = String::new();
    use std::fmt::Write as _;
    for v in o.mapped.vector {
        let _ = write!(t, ",{v}");
    }
    let _ = write!(t, ",{}", o.mapped.require.join(";"));
    match o.mapped.budget_mb {
        Some(b) => {
            let _ = write!(t, ",{b}");
        }
        None => t.push(','),
    }
    for k in 0..options.top.max(1) {
        match o.top.get(k) {
            Some(s) => {
                let _ = write!(t, ",{},{}", s.id, s.score);
            }
            None => t.push_str(",,"),
        }
    }
    if options.stacks {
        match &o.stack {
            Some(s) => {
                let _ = write!(t, ",{},{}", s.id, s.score);
            }
            None => t.push_str(",,"),
        }
    }
    t.push('\n');
    t.into_bytes()
}

/// Where each rules column is in the input: its field index, or `None` when the input does not
/// have it (an optional column).
pub(crate) struct Layout {
    pub id: usize,
    pub columns: Vec<Option<usize>>,
    pub fields: usize,
}

/// Matches a header against the rules: the id column and every required column must be there.
pub(crate) fn layout(
    rules: &FleetRules,
    header: &[String],
    file: &str,
) -> Result<Layout, FleetError> {
    let find = |name: &str| header.iter().position(|h| h == name);
    let listed = shown(&header.join(", ")).into_owned();
    let id = find(&rules.id_column).ok_or_else(|| {
        FleetError::Input(format!(
            "{file}: the header has no id column '{}' (rules: {}); columns: {listed}",
            rules.id_column, rules.file
        ))
    })?;
    let mut columns = Vec::new();
    for spec in &rules.columns {
        let at = find(&spec.name);
        if at.is_none() && spec.required {
            return Err(FleetError::Input(format!(
                "{file}: the header has no column '{}', which the rules require ({}); columns: {listed}",
                spec.name, rules.file
            )));
        }
        columns.push(at);
    }
    Ok(Layout {
        id,
        columns,
        fields: header.len(),
    })
}

/// A row after phase A: the id, and its entry, or a rule set to score, or why it was rejected.
pub(crate) enum Slot<'a> {
    Key(Cow<'a, [u8]>, u32),
    Miss(Cow<'a, [u8]>, RuleSet),
    Reject(Box<Reject>),
}

fn reject(line: u64, id: Option<&[u8]>, e: RowError) -> Slot<'static> {
    Slot::Reject(Box::new(Reject {
        line,
        id: id.map(|i| String::from_utf8_lossy(i).into_owned()),
        column: e.column,
        reason: e.reason,
    }))
}

const PIECE: usize = 4096;

/// Why a row longer than [`MAX_RECORD_BYTES`] is refused.
fn too_long() -> RowError {
    RowError {
        column: String::new(),
        reason: format!(
            "the row is longer than {MAX_RECORD_BYTES} bytes (the record length limit); expected a row of the inventory ending in a line feed (LF or CRLF)"
        ),
    }
}

/// Reads until `buf` holds `want` bytes or the input ends.
fn fill(
    file: &mut impl Read,
    buf: &mut Vec<u8>,
    want: usize,
    at_eof: &mut bool,
    name: &str,
) -> Result<(), FleetError> {
    while !*at_eof && buf.len() < want {
        let old = buf.len();
        buf.resize(want, 0);
        let n = file
            .read(&mut buf[old..])
            .map_err(|e| FleetError::Io(format!("cannot read {name}: {e}")))?;
        buf.truncate(old + n);
        if n == 0 {
            *at_eof = true;
        }
    }
    Ok(())
}

/// Drops the rest of a row too long to keep: input up to and including the next line feed,
/// reading on a block at a time; what follows it stays in `buf`. Returns the bytes dropped.
/// Records never span lines, so the next line is always the start of the next row.
fn skip_line(
    file: &mut impl Read,
    buf: &mut Vec<u8>,
    block: usize,
    at_eof: &mut bool,
    name: &str,
    interrupted: &AtomicBool,
) -> Result<u64, FleetError> {
    let mut dropped = 0u64;
    loop {
        if let Some(i) = memchr::memchr(b'\n', buf) {
            buf.drain(..=i);
            return Ok(dropped + i as u64 + 1);
        }
        dropped += buf.len() as u64;
        buf.clear();
        if *at_eof {
            return Ok(dropped);
        }
        if interrupted.load(Ordering::Relaxed) {
            return Err(FleetError::Interrupted);
        }
        fill(file, buf, block, at_eof, name)?;
    }
}

/// Splits, checks and maps one CSV record (phase A).
fn map_record<'a>(
    buf: &'a [u8],
    rec: &Record,
    layout: &Layout,
    rules: &FleetRules,
    cache: &Cache,
    fields: &mut Vec<Cow<'a, [u8]>>,
) -> Slot<'a> {
    let bytes = &buf[rec.start..rec.end];
    if bytes.len() > MAX_RECORD_BYTES {
        return reject(rec.line, None, too_long());
    }
    if bytes.is_empty() {
        return reject(
            rec.line,
            None,
            RowError {
                column: String::new(),
                reason: "empty line; expected a row of the inventory".into(),
            },
        );
    }
    if let Err(e) = split_fields(bytes, fields) {
        return reject(
            rec.line,
            None,
            RowError {
                column: String::new(),
                reason: format!("field {}: {e}", e.field),
            },
        );
    }
    if fields.len() != layout.fields {
        let id = fields.get(layout.id).map(|f| f.as_ref());
        return reject(
            rec.line,
            id,
            RowError {
                column: String::new(),
                reason: format!(
                    "{} fields; expected {} as in the header",
                    fields.len(),
                    layout.fields
                ),
            },
        );
    }
    // Cells borrow the fields (which borrow `buf` or own their unquoted text).
    let n = layout.columns.len();
    let mut on_stack = [Cell::Missing; 32];
    let mut on_heap: Vec<Cell> = Vec::new();
    let cells: &mut [Cell] = if n <= 32 {
        &mut on_stack[..n]
    } else {
        on_heap.resize(n, Cell::Missing);
        &mut on_heap
    };
    for (cell, (at, spec)) in cells
        .iter_mut()
        .zip(layout.columns.iter().zip(&rules.columns))
    {
        if let Some(i) = at {
            match std::str::from_utf8(&fields[*i]) {
                Ok(t) => *cell = Cell::Text(t),
                Err(_) => {
                    return reject(
                        rec.line,
                        Some(&fields[layout.id]),
                        RowError {
                            column: spec.name.clone(),
                            reason: "is not UTF-8 text".into(),
                        },
                    )
                }
            }
        }
    }
    let matched = match_rules(rules, cells);
    let id = std::mem::replace(&mut fields[layout.id], Cow::Borrowed(&[]));
    match matched {
        Ok(set) => match cache.get(set) {
            Some(k) => Slot::Key(id, k),
            None => Slot::Miss(id, set),
        },
        Err(e) => reject(rec.line, Some(&id), e),
    }
}

/// The per-row output of a block, written by the chosen sink.
pub(crate) struct Block<'a> {
    slots: Vec<(u64, Slot<'a>)>,
}

/// Runs `fleet score`: see the module documentation.
pub fn score(
    kb: &KnowledgeBase,
    rules: &FleetRules,
    opts: &ScoreOptions,
    progress: &dyn Progress,
    interrupted: &AtomicBool,
) -> Result<ScoreRun, FleetError> {
    let started = Instant::now();
    let in_kind = FileKind::of(&opts.input, "--input")?;
    let out_kind = FileKind::of(&opts.output, "--output")?;
    let options = FleetOptions {
        top: opts.top.max(1),
        stacks: opts.stacks,
    };
    let input_name = opts.input.display().to_string();
    let mut cache = Cache::new(kb, rules, options);
    let mut sink = crate::sink::Sink::create(out_kind, &opts.output, options)?;
    let mut rejects_file = match &opts.rejects {
        Some(p) => {
            let mut f = AtomicFile::create(p).map_err(|e| {
                FleetError::Io(format!("--rejects: cannot create {}: {e}", p.display()))
            })?;
            f.write_all(b"line,id,column,reason\n")
                .map_err(|e| FleetError::Io(format!("cannot write {}: {e}", p.display())))?;
            Some(f)
        }
        None => None,
    };
    let mut counts = RowCounts::default();
    let mut per_key: Vec<u64> = Vec::new();
    let mut kept: Vec<Reject> = Vec::new();
    let mut by_column: BTreeMap<String, u64> = BTreeMap::new();

    let mut handle = |block: Block, cache: &mut Cache, sink: &mut crate::sink::Sink| {
        // Phase B: score the rule sets this block saw first.
        let misses: Vec<RuleSet> = block
            .slots
            .iter()
            .filter_map(|(_, s)| match s {
                Slot::Miss(_, set) => Some(*set),
                _ => None,
            })
            .collect();
        if !misses.is_empty() {
            cache.add(misses);
        }
        per_key.resize(cache.entries.len(), 0);
        // Resolve and count; a rule set that cannot be scored rejects its rows.
        let mut rows: Vec<(Cow<[u8]>, u32)> = Vec::with_capacity(block.slots.len());
        for (line, slot) in block.slots {
            counts.read += 1;
            let (id, key) = match slot {
                Slot::Key(id, k) => (id, k),
                Slot::Miss(id, set) => (id, cache.get(set).expect("scored in phase B")),
                Slot::Reject(r) => {
                    rejected(
                        *r,
                        opts,
                        &mut counts,
                        &mut kept,
                        &mut by_column,
                        &mut rejects_file,
                    )?;
                    continue;
                }
            };
            if let Err(reason) = &cache.entries[key as usize].outcome {
                let r = Reject {
                    line,
                    id: Some(String::from_utf8_lossy(&id).into_owned()),
                    column: String::new(),
                    reason: reason.clone(),
                };
                rejected(
                    r,
                    opts,
                    &mut counts,
                    &mut kept,
                    &mut by_column,
                    &mut rejects_file,
                )?;
                continue;
            }
            counts.scored += 1;
            per_key[key as usize] += 1;
            rows.push((id, key));
        }
        sink.write_rows(&rows, &cache.entries)?;
        Ok::<(), FleetError>(())
    };

    match in_kind {
        FileKind::Csv => {
            let mut file = crate::open_input(&opts.input)?;
            let block = opts.block_bytes.max(1 << 12);
            let mut buf: Vec<u8> = Vec::new();
            let mut at_eof = false;
            let mut line = 1u64;
            let mut done_bytes = 0u64;
            let mut layout: Option<Layout> = None;
            let mut records = Vec::new();
            loop {
                if interrupted.load(Ordering::Relaxed) {
                    return Err(FleetError::Interrupted);
                }
                // A block's worth of bytes more than the incomplete record carried over, so
                // that every pass reads on: a record longer than a block once made this loop
                // spin on a full buffer without reading (issue 13).
                let want = buf.len() + block;
                fill(&mut file, &mut buf, want, &mut at_eof, &input_name)?;
                records.clear();
                let (used, next_line) = split_records(&buf, line, at_eof, &mut records);
                if layout.is_none() {
                    let Some(first) = records.first().copied() else {
                        if at_eof {
                            return Err(FleetError::Input(format!(
                                "{input_name}: is empty; expected a header row naming the columns"
                            )));
                        }
                        if buf.len() > MAX_RECORD_BYTES {
                            let e =
                                stackmatrix_model::csv::HeaderError::TooLong { bytes: buf.len() };
                            return Err(FleetError::Input(format!("{input_name}:1: {e}")));
                        }
                        continue;
                    };
                    let header: Vec<String> = read_header(&buf[first.start..first.end])
                        .map_err(|e| FleetError::Input(format!("{input_name}:1: {e}")))?
                        .into_iter()
                        .map(|c| c.name)
                        .collect();
                    layout = Some(self::layout(rules, &header, &input_name)?);
                    records.remove(0);
                }
                let lay = layout.as_ref().expect("header read");
                // Phase A: split, check, match and look up, in parallel.
                let slots: Vec<(u64, Slot)> = records
                    .par_chunks(PIECE)
                    .flat_map_iter(|piece| {
                        let mut fields = Vec::new();
                        piece
                            .iter()
                            .map(|r| {
                                let s = map_record(&buf, r, lay, rules, &cache, &mut fields);
                                (r.line, s)
                            })
                            .collect::<Vec<_>>()
                    })
                    .collect();
                let n = slots.len() as u64;
                handle(Block { slots }, &mut cache, &mut sink)?;
                done_bytes += used as u64;
                progress.advance(done_bytes, n);
                buf.drain(..used);
                line = next_line;
                if at_eof {
                    break;
                }
                // The row carried over is already longer than the limit: it is one rejected
                // row (the run stops here under --on-error fail), and reading resumes after its
                // line end.
                if buf.len() > MAX_RECORD_BYTES {
                    let slot = reject(line, None, too_long());
                    handle(
                        Block {
                            slots: vec![(line, slot)],
                        },
                        &mut cache,
                        &mut sink,
                    )?;
                    done_bytes += skip_line(
                        &mut file,
                        &mut buf,
                        block,
                        &mut at_eof,
                        &input_name,
                        interrupted,
                    )?;
                    progress.advance(done_bytes, 1);
                    line += 1;
                    if at_eof && buf.is_empty() {
                        break;
                    }
                }
            }
        }
        FileKind::Parquet => {
            crate::parquet_in::read(rules, &opts.input, &mut |block| {
                if interrupted.load(Ordering::Relaxed) {
                    return Err(FleetError::Interrupted);
                }
                let n = block.len() as u64;
                let slots = crate::parquet_in::map_block(&block, rules, &|set| cache.get(set));
                handle(Block { slots }, &mut cache, &mut sink)?;
                progress.advance(0, n);
                Ok(())
            })?;
        }
    }
    if interrupted.load(Ordering::Relaxed) {
        return Err(FleetError::Interrupted);
    }
    let keys: Vec<(RuleSet, &FleetOutcome, u64)> = cache
        .entries
        .iter()
        .zip(&per_key)
        .filter(|(_, n)| **n > 0)
        .filter_map(|(e, n)| e.outcome.as_ref().ok().map(|o| (e.set, o, *n)))
        .collect();
    let summary = fleet_summary(
        rules,
        &RunNames {
            input: input_name,
            output: opts.output.display().to_string(),
        },
        &keys,
        &by_column,
        counts,
        options.stacks,
        options.top,
    );
    sink.commit()?;
    if let (Some(f), Some(p)) = (rejects_file, &opts.rejects) {
        f.commit()
            .map_err(|e| FleetError::Io(format!("cannot write {}: {e}", p.display())))?;
    }
    Ok(ScoreRun {
        summary,
        rejects: kept,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// Records a rejected row: fails the run in `fail` mode, else counts and lists it.
fn rejected(
    r: Reject,
    opts: &ScoreOptions,
    counts: &mut RowCounts,
    kept: &mut Vec<Reject>,
    by_column: &mut BTreeMap<String, u64>,
    file: &mut Option<AtomicFile>,
) -> Result<(), FleetError> {
    if opts.on_error == OnError::Fail {
        return Err(FleetError::BadRow {
            file: opts.input.display().to_string(),
            reject: r,
        });
    }
    counts.rejected += 1;
    let column = if r.column.is_empty() {
        "(row)".to_string()
    } else {
        r.column.clone()
    };
    *by_column.entry(column).or_default() += 1;
    if let Some(f) = file {
        let mut line = format!("{},", r.line).into_bytes();
        write_field(&mut line, r.id.as_deref().unwrap_or("").as_bytes());
        line.push(b',');
        write_field(&mut line, r.column.as_bytes());
        line.push(b',');
        write_field(&mut line, r.reason.as_bytes());
        line.push(b'\n');
        f.write_all(&line)
            .map_err(|e| FleetError::Io(format!("cannot write the rejects file: {e}")))?;
    }
    if kept.len() < opts.keep_rejects {
        kept.push(r);
    }
    Ok(())
}
