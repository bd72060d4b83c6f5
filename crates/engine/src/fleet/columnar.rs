//! The rules matched a column at a time: the same answer as [`super::match_rules`] row by row,
//! computed in passes over typed columns that the compiler can vectorise.
//!
//! Columns come as a columnar reader holds them: numbers as `f64` with NaN for an empty value,
//! integers as `i64` with `i64::MIN` for empty, bools as bytes (0 false, 1 true, 2 empty), texts
//! as one-byte codes into a list of values (255 empty). A row that fails a column's check is
//! flagged, not explained: the caller checks it again with [`super::check_cell`] for the message.

use super::RuleSet;
use serde::Serialize;
use stackmatrix_model::{ColumnKind, ColumnSpec, CompareOp, Condition, ConditionValue, FleetRules};

/// Code of an empty bool or text cell.
pub const EMPTY_CODE: u8 = 255;
/// Code of an empty bool cell.
pub const EMPTY_BOOL: u8 = 2;

/// One typed column of a block.
#[derive(Debug, Clone, Copy)]
pub enum TypedColumn<'a> {
    /// The input has no such column (every cell empty).
    Absent,
    /// Numbers, NaN where empty.
    F64(&'a [f64]),
    /// Integers, `i64::MIN` where empty.
    I64(&'a [i64]),
    /// Bools: 0 false, 1 true, [`EMPTY_BOOL`] empty.
    Bool(&'a [u8]),
    /// Text codes into the values, [`EMPTY_CODE`] empty.
    Text(&'a [u8], &'a [String]),
}

/// Rows per pass: small enough that a pass's columns stay in the core's cache.
pub const COLUMNAR_CHUNK: usize = 2048;

fn num(v: &ConditionValue) -> &[f64] {
    match v {
        ConditionValue::Numbers(n) => n,
        _ => &[],
    }
}

/// The smallest `x` for which `p(x)` holds (`i64::MAX + 1` if none), `p` false then true.
fn first_true(p: impl Fn(i64) -> bool) -> i128 {
    if !p(i64::MAX) {
        return i64::MAX as i128 + 1;
    }
    let (mut lo, mut hi) = (i64::MIN as i128, i64::MAX as i128);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if p(mid as i64) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    lo
}

/// The largest `x` for which `p(x)` holds (`i64::MIN - 1` if none), `p` true then false.
fn last_true(p: impl Fn(i64) -> bool) -> i128 {
    if !p(i64::MIN) {
        return i64::MIN as i128 - 1;
    }
    let (mut lo, mut hi) = (i64::MIN as i128, i64::MAX as i128);
    while lo < hi {
        let mid = hi - (hi - lo) / 2;
        if p(mid as i64) {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    lo
}

/// The integers `x` in `a..=b` as `i64` bounds (`a > b` when empty). As `x as f64` never
/// decreases with `x`, a comparison of `x as f64` with a number holds on such a range.
fn bounds(a: i128, b: i128) -> (i64, i64) {
    if a > b {
        (i64::MAX, i64::MIN)
    } else {
        (a as i64, b as i64)
    }
}

/// Whether the integer `x` (not `i64::MIN`) is in `a..=b`, as one unsigned compare.
#[inline(always)]
fn within(x: i64, a: i64, width: u64) -> bool {
    (x.wrapping_sub(a) as u64) <= width
}

/// The width for [`within`], `None` when the range is empty.
fn width(a: i64, b: i64) -> Option<u64> {
    (a <= b).then(|| b.wrapping_sub(a) as u64)
}

/// The bit of a row's violations that flags it for the row-by-row path (rules use bits 0..32).
const FLAG: u64 = 1 << 32;

/// When a number cell violates: the bit is set on the rows where the test is true.
#[derive(Debug, Clone)]
enum F64Test {
    /// A condition `x op v` does not hold (NaN never holds).
    Fails(CompareOp, Vec<f64>),
    /// Outside `[lo, hi]`, NaN included: the check of a required number column, with the
    /// bounds clamped to the finite numbers so that infinities fall outside.
    NotWithin(f64, f64),
    /// As `NotWithin`, NaN (empty) excepted: the check of an optional number column.
    NotWithinPresent(f64, f64),
    /// The check of an integer column read as numbers: empty when required, or not a finite
    /// whole number within `[lo, hi]`.
    NotWhole { lo: f64, hi: f64, required: bool },
    /// Any value (or, when required, also none): numbers in a bool or text column.
    PresentOrRequired(bool),
}

/// When an integer cell violates (`i64::MIN` is empty).
#[derive(Debug, Clone)]
enum I64Test {
    /// Empty, or `within(x, a, w)` is `negate`: a condition as an integer range.
    Fails { a: i64, w: u64, negate: bool },
    /// A condition whose integer range is empty: it holds on no integer (`negate` false) or on
    /// every one (`negate` true, a `!=` of a number no integer equals).
    FailsEmpty { negate: bool },
    /// `in`: empty or not among the values, compared as `x as f64`.
    NotIn(Vec<f64>),
    /// The check of a number or integer column: empty when required, or outside `a..=a+w`.
    Outside { a: i64, w: u64, required: bool },
    /// Any value (or, when required, also none): no integer passes the column's check.
    PresentOrRequired(bool),
}

/// The test of one pass over a column: its rows' violations get `bit` where the test says so.
#[derive(Debug, Clone)]
enum Test {
    F64(F64Test),
    I64(I64Test),
    /// Up to [`MAX_FUSED`] tests of one number column in one pass; the bits of a row with no
    /// value.
    FusedF64(Vec<F64Interval>, u64),
    /// As `FusedF64`, for an integer column.
    FusedI64(Vec<I64Interval>, u64),
}

/// Tests of one column run in one pass at most (each count is compiled on its own).
const MAX_FUSED: usize = 4;

/// A test in the form every comparison and check of a number column takes but `in` and the
/// whole-number check: a row with a value violates with `bit` when it lies in `[lo, hi]`,
/// flipped by `inv` (`bit` or 0). A row without one is decided for the whole pass.
#[derive(Debug, Clone, Copy)]
struct F64Interval {
    lo: f64,
    hi: f64,
    bit: u64,
    inv: u64,
}

/// As [`F64Interval`] for an integer column: the interval is `a..=a+w`.
#[derive(Debug, Clone, Copy)]
struct I64Interval {
    a: i64,
    w: u64,
    bit: u64,
    inv: u64,
}

impl F64Test {
    /// The test as an interval, and whether an empty value violates; `None` for `in` and the
    /// whole-number check.
    fn interval(&self, bit: u64) -> Option<(F64Interval, bool)> {
        let (inf, none) = (f64::INFINITY, 0);
        let make = |lo: f64, hi: f64, flipped: bool, empty: bool| {
            let inv = if flipped { bit } else { none };
            Some((F64Interval { lo, hi, bit, inv }, empty))
        };
        match *self {
            F64Test::Fails(op, ref v) => match (op, v.first().copied()) {
                (CompareOp::In, _) => None,
                // `!=` a NaN holds for every value; any other comparison with NaN, or with
                // no value, holds for none.
                (CompareOp::Ne, Some(v0)) if v0.is_nan() => make(-inf, inf, true, true),
                (_, None) => make(-inf, inf, false, true),
                (_, Some(v0)) if v0.is_nan() => make(-inf, inf, false, true),
                (CompareOp::Lt, Some(v0)) => make(v0, inf, false, true),
                (CompareOp::Le, Some(v0)) => make(-inf, v0, true, true),
                (CompareOp::Gt, Some(v0)) => make(-inf, v0, false, true),
                (CompareOp::Ge, Some(v0)) => make(v0, inf, true, true),
                (CompareOp::Eq, Some(v0)) => make(v0, v0, true, true),
                (CompareOp::Ne, Some(v0)) => make(v0, v0, false, true),
            },
            F64Test::NotWithin(lo, hi) => make(lo, hi, true, true),
            F64Test::NotWithinPresent(lo, hi) => make(lo, hi, true, false),
            F64Test::PresentOrRequired(required) => make(-inf, inf, false, required),
            F64Test::NotWhole { .. } => None,
        }
    }
}

impl I64Test {
    /// The test as an interval, and whether an empty value violates; `None` for `in`.
    fn interval(&self, bit: u64) -> Option<(I64Interval, bool)> {
        let make = |a: i64, w: u64, flipped: bool, empty: bool| {
            let inv = if flipped { bit } else { 0 };
            Some((I64Interval { a, w, bit, inv }, empty))
        };
        let every = (i64::MIN, u64::MAX);
        match *self {
            I64Test::Fails { a, w, negate } => make(a, w, !negate, true),
            I64Test::FailsEmpty { negate } => make(every.0, every.1, negate, true),
            I64Test::NotIn(_) => None,
            I64Test::Outside { a, w, required } => make(a, w, true, required),
            I64Test::PresentOrRequired(required) => make(every.0, every.1, false, required),
        }
    }
}

/// The passes of one column: the tests that take the interval form fused, [`MAX_FUSED`] at a
/// time, the others one pass each.
fn column_passes(at: usize, tests: Vec<(Test, u64)>) -> Vec<(usize, Test, u64)> {
    let mut out = Vec::new();
    let (mut f, mut i) = (Vec::new(), Vec::new());
    let (mut f_empty, mut i_empty) = (0u64, 0u64);
    for (test, bit) in tests {
        let fused = match &test {
            Test::F64(t) => t.interval(bit).map(|(iv, empty)| {
                f.push(iv);
                f_empty |= if empty { bit } else { 0 };
            }),
            Test::I64(t) => t.interval(bit).map(|(iv, empty)| {
                i.push(iv);
                i_empty |= if empty { bit } else { 0 };
            }),
            _ => None,
        };
        if fused.is_none() {
            out.push((at, test, bit));
        }
    }
    // The bits of an empty value go with the first pass of each kind; the others OR nothing.
    for (k, group) in f.chunks(MAX_FUSED).enumerate() {
        let empty = if k == 0 { f_empty } else { 0 };
        out.push((at, Test::FusedF64(group.to_vec(), empty), 0));
    }
    for (k, group) in i.chunks(MAX_FUSED).enumerate() {
        let empty = if k == 0 { i_empty } else { 0 };
        out.push((at, Test::FusedI64(group.to_vec(), empty), 0));
    }
    out
}

/// The rules prepared for columns of one layout (each column's type, and a text column's
/// values): built once, then run over any number of row ranges of columns with that layout.
///
/// Each row's *violations* (a bit per rule whose condition fails, and a flag bit for a failed
/// check) start at `base`, and each column ORs in its own: a number column in one pass for its
/// check and one per condition, bool and text columns through a table by code of the bits
/// they set, up to three columns in one pass. The rule set is the rule bits not violated.
#[derive(Debug, Clone)]
pub struct ColumnarMatcher {
    /// The violations every row starts with: absent columns.
    base: u64,
    /// Number and integer passes: column index, test, bit.
    passes: Vec<(usize, Test, u64)>,
    /// Bool and text columns: column index, and by code the violations (rule bits cleared,
    /// and [`FLAG`]).
    codes: Vec<(usize, Box<[u64; 256]>)>,
    /// The rule bits.
    all: u64,
}

/// A number or integer pass over the columns of one call: values, test, bit.
type NumberPass<'m, 'c> = (&'c [f64], &'c [i64], &'m Test, u64);

/// A [`ColumnarMatcher`]'s passes over the columns of one call.
struct Plan<'m, 'c> {
    base: u64,
    passes: Vec<NumberPass<'m, 'c>>,
    codes: Vec<(&'c [u8], &'m [u64; 256])>,
    all: u64,
}

/// The integer range of a condition on an integer column, compared as `x as f64` is.
fn integer_condition(op: CompareOp, v: &[f64]) -> I64Test {
    let Some(&v0) = v.first() else {
        return I64Test::FailsEmpty { negate: false };
    };
    if op == CompareOp::In {
        return I64Test::NotIn(v.to_vec());
    }
    let f = |x: i64| x as f64;
    let (range, negate) = match op {
        CompareOp::Lt => ((i64::MIN as i128, last_true(|x| f(x) < v0)), false),
        CompareOp::Le => ((i64::MIN as i128, last_true(|x| f(x) <= v0)), false),
        CompareOp::Gt => ((first_true(|x| f(x) > v0), i64::MAX as i128), false),
        CompareOp::Ge => ((first_true(|x| f(x) >= v0), i64::MAX as i128), false),
        CompareOp::Eq | CompareOp::Ne | CompareOp::In => (
            (first_true(|x| f(x) >= v0), last_true(|x| f(x) <= v0)),
            op == CompareOp::Ne,
        ),
    };
    let (a, b) = bounds(range.0, range.1);
    match width(a, b) {
        None => I64Test::FailsEmpty { negate },
        Some(w) => I64Test::Fails { a, w, negate },
    }
}

/// The table of a bool column: by code, its check and its conditions.
fn bool_table(spec: &ColumnSpec, conds: &[(u32, &Condition)]) -> Box<[u64; 256]> {
    let mut table = Box::new([0u64; 256]);
    let ok_kind = spec.kind == ColumnKind::Bool;
    for (x, t) in table.iter_mut().enumerate() {
        let x = x as u8;
        let missing = x == EMPTY_BOOL;
        if (missing & spec.required) | (!missing & !ok_kind) {
            *t |= FLAG;
        }
        for (i, c) in conds {
            let want = match c.value {
                ConditionValue::Bool(b) => b as u8,
                _ => EMPTY_BOOL,
            };
            let hold = (x != EMPTY_BOOL) & ((x == want) ^ (c.op == CompareOp::Ne));
            *t |= (!hold as u64) << i;
        }
    }
    table
}

/// The table of a text column: by code into `values`, its check and its conditions.
fn text_table(
    spec: &ColumnSpec,
    values: &[String],
    conds: &[(u32, &Condition)],
) -> Box<[u64; 256]> {
    let mut table = Box::new([0u64; 256]);
    for (k, t) in table.iter_mut().enumerate() {
        let value = values.get(k).filter(|_| k != EMPTY_CODE as usize);
        let allowed = match value {
            // Values the row path would trim or treat as empty take the row path.
            Some(v) => {
                spec.kind == ColumnKind::Text
                    && !v.is_empty()
                    && v.trim() == v
                    && (spec.values.is_empty() || spec.values.contains(v))
            }
            None => k == EMPTY_CODE as usize && !spec.required,
        };
        if !allowed {
            *t |= FLAG;
        }
        for (i, c) in conds {
            let hold = match (value, &c.value) {
                (Some(v), ConditionValue::Texts(w)) => match c.op {
                    CompareOp::Ne => w.first() != Some(v),
                    CompareOp::In => w.contains(v),
                    _ => w.first() == Some(v),
                },
                _ => false,
            };
            *t |= (!hold as u64) << i;
        }
    }
    table
}

impl ColumnarMatcher {
    /// Prepares `rules` for columns laid out as `columns` (in `rules.columns` order): only
    /// each column's type and a text column's values are read, not its rows. At most 32 rules.
    pub fn new(rules: &FleetRules, columns: &[TypedColumn]) -> ColumnarMatcher {
        assert!(
            rules.rules.len() <= 32,
            "the columnar kernel takes at most 32 rules"
        );
        let all = match rules.rules.len() {
            32 => u32::MAX as u64,
            k => (1u64 << k) - 1,
        };
        // The conditions on each column, with their rule's bit.
        let mut on_column: Vec<Vec<(u32, &Condition)>> = vec![Vec::new(); rules.columns.len()];
        for (i, rule) in rules.rules.iter().enumerate() {
            for c in &rule.when {
                on_column[c.column].push((i as u32, c));
            }
        }
        let mut plan = ColumnarMatcher {
            base: 0,
            passes: Vec::new(),
            codes: Vec::new(),
            all,
        };
        for (at, ((spec, col), conds)) in rules
            .columns
            .iter()
            .zip(columns)
            .zip(&on_column)
            .enumerate()
        {
            let (lo, hi) = (
                spec.min.unwrap_or(f64::NEG_INFINITY),
                spec.max.unwrap_or(f64::INFINITY),
            );
            let req = spec.required;
            let bits = conds.iter().fold(0u64, |m, (i, _)| m | (1 << i));
            match *col {
                TypedColumn::Absent => {
                    plan.base |= bits | if req { FLAG } else { 0 };
                }
                TypedColumn::F64(_) => {
                    let (lo_f, hi_f) = (lo.max(-f64::MAX), hi.min(f64::MAX));
                    let check = match spec.kind {
                        ColumnKind::Number if req => F64Test::NotWithin(lo_f, hi_f),
                        ColumnKind::Number => F64Test::NotWithinPresent(lo_f, hi_f),
                        ColumnKind::Integer => F64Test::NotWhole {
                            lo,
                            hi,
                            required: req,
                        },
                        ColumnKind::Bool | ColumnKind::Text => F64Test::PresentOrRequired(req),
                    };
                    let mut tests = vec![(Test::F64(check), FLAG)];
                    for (i, c) in conds {
                        let test = F64Test::Fails(c.op, num(&c.value).to_vec());
                        tests.push((Test::F64(test), 1 << i));
                    }
                    plan.passes.extend(column_passes(at, tests));
                }
                TypedColumn::I64(_) => {
                    let integer =
                        spec.kind == ColumnKind::Integer || spec.kind == ColumnKind::Number;
                    // The integers within the column's bounds, compared as `x as f64` is.
                    let (a, b) = bounds(
                        first_true(|x| (x as f64) >= lo || lo.is_nan()),
                        last_true(|x| (x as f64) <= hi || hi.is_nan()),
                    );
                    let check = match (width(a, b), integer) {
                        (Some(w), true) => I64Test::Outside {
                            a,
                            w,
                            required: req,
                        },
                        _ => I64Test::PresentOrRequired(req),
                    };
                    let mut tests = vec![(Test::I64(check), FLAG)];
                    for (i, c) in conds {
                        let test = integer_condition(c.op, num(&c.value));
                        tests.push((Test::I64(test), 1 << i));
                    }
                    plan.passes.extend(column_passes(at, tests));
                }
                TypedColumn::Bool(_) => plan.codes.push((at, bool_table(spec, conds))),
                TypedColumn::Text(_, values) => {
                    plan.codes.push((at, text_table(spec, values, conds)))
                }
            }
        }
        plan
    }

    /// Matches the rules for `sets.len()` rows of `columns`, which must have the layout the
    /// matcher was built for, each at least `sets.len()` long (a column that does not flags
    /// every row, for the row path to decide). See [`match_rules_columnar`].
    pub fn run(&self, columns: &[TypedColumn], sets: &mut [u32], bad: &mut [bool]) -> usize {
        self.run_with(columns, sets, bad, SimdLevel::Auto)
    }

    /// [`Self::run`] with the build of the passes chosen: the one asked for, or the widest
    /// below it that the CPU has. Every build gives the same answer; benchmarks and tests
    /// compare them.
    pub fn run_with(
        &self,
        columns: &[TypedColumn],
        sets: &mut [u32],
        bad: &mut [bool],
        simd: SimdLevel,
    ) -> usize {
        let n = sets.len().min(bad.len());
        let (sets, bad) = (&mut sets[..n], &mut bad[..n]);
        let Some(plan) = self.plan(columns, n) else {
            sets.fill(0);
            bad.fill(true);
            return n;
        };
        match simd.on_this_cpu() {
            #[cfg(target_arch = "x86_64")]
            // SAFETY: `on_this_cpu` answers AVX-512 only when the CPU has it.
            SimdLevel::Avx512 => unsafe { plan.run_avx512(sets, bad) },
            #[cfg(target_arch = "x86_64")]
            // SAFETY: `on_this_cpu` answers AVX2 only when the CPU has it.
            SimdLevel::Avx2 => unsafe { plan.run_avx2(sets, bad) },
            _ => plan.run(sets, bad),
        }
    }

    /// The passes over `columns`, `None` when a column is not of the matcher's layout or is
    /// shorter than `n` rows.
    fn plan<'m, 'c>(&'m self, columns: &[TypedColumn<'c>], n: usize) -> Option<Plan<'m, 'c>> {
        let mut passes = Vec::with_capacity(self.passes.len());
        for (at, test, bit) in &self.passes {
            let (f, i): (&[f64], &[i64]) = match (columns.get(*at)?, test) {
                (TypedColumn::F64(v), Test::F64(_) | Test::FusedF64(..)) => (v, &[]),
                (TypedColumn::I64(v), Test::I64(_) | Test::FusedI64(..)) => (&[], v),
                _ => return None,
            };
            if f.len().max(i.len()) < n {
                return None;
            }
            passes.push((f, i, test, *bit));
        }
        let mut codes = Vec::with_capacity(self.codes.len());
        for (at, table) in &self.codes {
            match columns.get(*at)? {
                TypedColumn::Bool(c) | TypedColumn::Text(c, _) if c.len() >= n => {
                    codes.push((*c, &**table))
                }
                _ => return None,
            }
        }
        Some(Plan {
            base: self.base,
            passes,
            codes,
            all: self.all,
        })
    }
}

impl Plan<'_, '_> {
    /// The passes compiled for AVX2 (wider vectors), chosen at run time.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    unsafe fn run_avx2(&self, sets: &mut [u32], bad: &mut [bool]) -> usize {
        self.run(sets, bad)
    }

    /// The passes compiled for AVX-512 (eight numbers per compare, mask registers).
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx512f,avx512bw,avx512vl,avx512dq")]
    unsafe fn run_avx512(&self, sets: &mut [u32], bad: &mut [bool]) -> usize {
        self.run(sets, bad)
    }

    /// Runs the passes a chunk at a time: every row's violations start at `base`, each pass
    /// ORs in its bits, and the rule set is the rule bits not violated. Returns the number of
    /// rows flagged.
    #[inline(always)]
    fn run(&self, sets: &mut [u32], bad: &mut [bool]) -> usize {
        let mut viol = [0u64; COLUMNAR_CHUNK];
        let mut flagged = 0u64;
        let n = sets.len();
        for start in (0..n).step_by(COLUMNAR_CHUNK) {
            let end = (start + COLUMNAR_CHUNK).min(n);
            let viol = &mut viol[..end - start];
            viol.fill(self.base);
            for (f, i, test, bit) in &self.passes {
                match test {
                    Test::F64(t) => f64_pass(viol, &f[start..end], t, *bit),
                    Test::I64(t) => i64_pass(viol, &i[start..end], t, *bit),
                    Test::FusedF64(t, empty) => {
                        let ahead = f.get(start + PREFETCH_ROWS..).unwrap_or_default();
                        fused_f64(viol, &f[start..end], ahead, t, *empty)
                    }
                    Test::FusedI64(t, empty) => {
                        let ahead = i.get(start + PREFETCH_ROWS..).unwrap_or_default();
                        fused_i64(viol, &i[start..end], ahead, t, *empty)
                    }
                }
            }
            // Code columns, up to three in one pass (one load and store of the violations);
            // the last pass also writes the rule sets.
            let groups = self.codes.len().div_ceil(3);
            let (sets, bad) = (&mut sets[start..end], &mut bad[start..end]);
            let mut last: &[(&[u8], &[u64; 256])] = &[];
            for (g, group) in self.codes.chunks(3).enumerate() {
                if g + 1 == groups {
                    last = group;
                    break;
                }
                let col = |k: usize| (&group[k].0[start..end], group[k].1);
                match group.len() {
                    1 => code_pass([col(0)], viol),
                    2 => code_pass([col(0), col(1)], viol),
                    _ => code_pass([col(0), col(1), col(2)], viol),
                }
            }
            let col = |k: usize| (&last[k].0[start..end], last[k].1);
            let out = (&*viol, sets, bad, self.all);
            flagged += match last.len() {
                0 => last_pass([], out),
                1 => last_pass([col(0)], out),
                2 => last_pass([col(0), col(1)], out),
                _ => last_pass([col(0), col(1), col(2)], out),
            };
        }
        flagged as usize
    }
}

/// A fused pass over a number column, the count of tests chosen once per pass.
#[inline(always)]
fn fused_f64(viol: &mut [u64], xs: &[f64], ahead: &[f64], tests: &[F64Interval], empty: u64) {
    match tests.len() {
        1 => fused_f64_k::<1>(viol, xs, ahead, tests, empty),
        2 => fused_f64_k::<2>(viol, xs, ahead, tests, empty),
        3 => fused_f64_k::<3>(viol, xs, ahead, tests, empty),
        _ => fused_f64_k::<MAX_FUSED>(viol, xs, ahead, tests, empty),
    }
}

/// `K` interval tests of a number column in one loop: a row with a value ORs in each test's
/// bit (flipped by its `inv`) where it lies in `[lo, hi]`; a row without (NaN) ORs in `empty`.
#[inline(always)]
fn fused_f64_k<const K: usize>(
    viol: &mut [u64],
    xs: &[f64],
    ahead: &[f64],
    tests: &[F64Interval],
    empty: u64,
) {
    let tests: [F64Interval; K] = std::array::from_fn(|k| tests[k]);
    with_prefetch(viol, xs, ahead, |viol, xs| {
        for (o, &x) in viol.iter_mut().zip(xs) {
            let mut acc = 0u64;
            for t in &tests {
                let inside = (x >= t.lo) & (x <= t.hi);
                acc |= (t.bit & (inside as u64).wrapping_neg()) ^ t.inv;
            }
            *o |= if x.is_nan() { empty } else { acc };
        }
    })
}

/// Rows a pass reads ahead of itself (a software prefetch a cache line at a time): the next
/// chunk's rows of a column are otherwise first asked for by the pass that needs them.
const PREFETCH_ROWS: usize = 512;

/// Runs `body` over `viol` and `xs` a cache line of rows at a time, prefetching the line of
/// `ahead` as far ahead.
#[inline(always)]
fn with_prefetch<T>(
    viol: &mut [u64],
    xs: &[T],
    ahead: &[T],
    mut body: impl FnMut(&mut [u64], &[T]),
) {
    const BLOCK: usize = 64;
    let line_rows = 64 / std::mem::size_of::<T>().max(1);
    let mut v = viol.chunks_exact_mut(BLOCK);
    let mut x = xs.chunks_exact(BLOCK);
    for (k, (vo, xo)) in (&mut v).zip(&mut x).enumerate() {
        if let Some(line) = ahead.get(k * BLOCK..(k + 1) * BLOCK) {
            for p in line.iter().step_by(line_rows) {
                prefetch(p);
            }
        }
        body(vo, xo);
    }
    body(v.into_remainder(), x.remainder());
}

/// A hint to bring the cache line of `p` into the core's caches.
#[inline(always)]
fn prefetch<T>(p: &T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch reads nothing into the program; `p` is a valid reference anyway.
    unsafe {
        std::arch::x86_64::_mm_prefetch(
            (p as *const T).cast::<i8>(),
            std::arch::x86_64::_MM_HINT_T0,
        )
    };
    #[cfg(not(target_arch = "x86_64"))]
    let _ = p;
}

/// A fused pass over an integer column, the count of tests chosen once per pass.
#[inline(always)]
fn fused_i64(viol: &mut [u64], xs: &[i64], ahead: &[i64], tests: &[I64Interval], empty: u64) {
    match tests.len() {
        1 => fused_i64_k::<1>(viol, xs, ahead, tests, empty),
        2 => fused_i64_k::<2>(viol, xs, ahead, tests, empty),
        3 => fused_i64_k::<3>(viol, xs, ahead, tests, empty),
        _ => fused_i64_k::<MAX_FUSED>(viol, xs, ahead, tests, empty),
    }
}

/// As [`fused_f64_k`] for an integer column (`i64::MIN` empty), the interval `a..=a+w`.
#[inline(always)]
fn fused_i64_k<const K: usize>(
    viol: &mut [u64],
    xs: &[i64],
    ahead: &[i64],
    tests: &[I64Interval],
    empty: u64,
) {
    let tests: [I64Interval; K] = std::array::from_fn(|k| tests[k]);
    with_prefetch(viol, xs, ahead, |viol, xs| {
        for (o, &x) in viol.iter_mut().zip(xs) {
            let mut acc = 0u64;
            for t in &tests {
                acc |= (t.bit & (within(x, t.a, t.w) as u64).wrapping_neg()) ^ t.inv;
            }
            *o |= if x == i64::MIN { empty } else { acc };
        }
    })
}

/// `viol[r] |= bit` where `violates(x[r])`, as one loop the compiler vectorises.
#[inline(always)]
fn or_where<T: Copy>(viol: &mut [u64], xs: &[T], bit: u64, violates: impl Fn(T) -> bool) {
    for (o, x) in viol.iter_mut().zip(xs) {
        *o |= bit & (violates(*x) as u64).wrapping_neg();
    }
}

/// One pass of a number column for a test that is not fused: a test of the interval form as
/// a fused pass of one, `in` and the whole-number check as their own loops.
#[inline(always)]
fn f64_pass(viol: &mut [u64], xs: &[f64], test: &F64Test, bit: u64) {
    if let Some((interval, empty)) = test.interval(bit) {
        let empty = if empty { bit } else { 0 };
        return fused_f64_k::<1>(viol, xs, &[], &[interval], empty);
    }
    match *test {
        F64Test::Fails(_, ref v) => or_where(viol, xs, bit, |x| !v.contains(&x)),
        F64Test::NotWhole { lo, hi, required } => or_where(viol, xs, bit, |x| {
            let missing = x.is_nan();
            (missing & required)
                | (!missing & ((x < lo) | (x > hi) | x.is_infinite() | (x.fract() != 0.0)))
        }),
        // Every other test has the interval form; were one not to, the row path decides.
        _ => or_where(viol, xs, FLAG, |_| true),
    }
}

/// As [`f64_pass`] for an integer column: `in` is the one test without the interval form.
#[inline(always)]
fn i64_pass(viol: &mut [u64], xs: &[i64], test: &I64Test, bit: u64) {
    if let Some((interval, empty)) = test.interval(bit) {
        let empty = if empty { bit } else { 0 };
        return fused_i64_k::<1>(viol, xs, &[], &[interval], empty);
    }
    match *test {
        I64Test::NotIn(ref v) => or_where(viol, xs, bit, |x| {
            (x == i64::MIN) || !v.contains(&(x as f64))
        }),
        _ => or_where(viol, xs, FLAG, |_| true),
    }
}

/// `N` code columns in one pass: each row's violations get every column's table entry.
#[inline(always)]
fn code_pass<const N: usize>(cols: [(&[u8], &[u64; 256]); N], viol: &mut [u64]) {
    for (r, o) in viol.iter_mut().enumerate() {
        let mut v = *o;
        for (codes, table) in &cols {
            v |= table[codes[r] as usize];
        }
        *o = v;
    }
}

/// The last pass: `N` code columns as [`code_pass`], then each row's rule set (the rule bits
/// of `all` not violated) and flag written out; returns the rows flagged.
#[inline(always)]
fn last_pass<const N: usize>(
    cols: [(&[u8], &[u64; 256]); N],
    (viol, sets, bad, all): (&[u64], &mut [u32], &mut [bool], u64),
) -> u64 {
    let mut flagged = 0u64;
    for (r, ((o, s), b)) in viol
        .iter()
        .zip(sets.iter_mut())
        .zip(bad.iter_mut())
        .enumerate()
    {
        let mut v = *o;
        for (codes, table) in &cols {
            v |= table[codes[r] as usize];
        }
        *s = (all & !v) as u32;
        *b = v & FLAG != 0;
        flagged += (v & FLAG) >> FLAG.trailing_zeros();
    }
    flagged
}

/// Matches the rules for `sets.len()` rows of `columns` (in `rules.columns` order, each at least
/// that long): `sets[r]` gets the rule set of row `r` and `bad[r]` is set when a cell of row `r`
/// needs the row-by-row path: a cell that fails its column's check, or one the columnar checks
/// do not decide (a text in a number column, say). Its set is then meaningless: the caller
/// maps the row with [`super::match_rules`], which gives the set or the error. At most 32 rules.
/// Returns the number of rows flagged (a caller with none has no `bad` to look through).
///
/// A caller that runs many row ranges of one layout builds a [`ColumnarMatcher`] once instead.
pub fn match_rules_columnar(
    rules: &FleetRules,
    columns: &[TypedColumn],
    sets: &mut [u32],
    bad: &mut [bool],
) -> usize {
    ColumnarMatcher::new(rules, columns).run(columns, sets, bad)
}

/// A build of the columnar passes: the compiler's vectors for that instruction set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum SimdLevel {
    /// The widest build the CPU has.
    #[default]
    Auto,
    /// AVX-512 (F, BW, VL, DQ): eight numbers per compare, mask registers.
    Avx512,
    /// AVX2: four numbers per compare.
    Avx2,
    /// The build for any CPU of the target (SSE2 on x86-64).
    Portable,
}

impl SimdLevel {
    /// Every level, widest first.
    pub const ALL: [SimdLevel; 4] = [
        SimdLevel::Auto,
        SimdLevel::Avx512,
        SimdLevel::Avx2,
        SimdLevel::Portable,
    ];

    /// Its name on the command line and in JSON.
    pub fn key(self) -> &'static str {
        match self {
            SimdLevel::Auto => "auto",
            SimdLevel::Avx512 => "avx512",
            SimdLevel::Avx2 => "avx2",
            SimdLevel::Portable => "portable",
        }
    }

    /// The build that runs for this request on this CPU: the one asked for or the widest
    /// below it the CPU has (never `Auto`).
    pub fn on_this_cpu(self) -> SimdLevel {
        let avx2 = {
            #[cfg(target_arch = "x86_64")]
            {
                std::arch::is_x86_feature_detected!("avx2")
            }
            #[cfg(not(target_arch = "x86_64"))]
            {
                false
            }
        };
        match self {
            SimdLevel::Auto | SimdLevel::Avx512 if has_avx512() => SimdLevel::Avx512,
            SimdLevel::Auto | SimdLevel::Avx512 | SimdLevel::Avx2 if avx2 => SimdLevel::Avx2,
            _ => SimdLevel::Portable,
        }
    }
}

/// Whether the CPU has the AVX-512 subsets the kernel's widest build uses (F, BW, VL, DQ).
pub fn has_avx512() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::arch::is_x86_feature_detected!("avx512f")
            && std::arch::is_x86_feature_detected!("avx512bw")
            && std::arch::is_x86_feature_detected!("avx512vl")
            && std::arch::is_x86_feature_detected!("avx512dq")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

/// The row-by-row rule set of a columnar row, for tests and for explaining a flagged row.
pub fn columnar_cell<'a>(col: &TypedColumn<'a>, r: usize) -> super::Cell<'a> {
    use super::Cell;
    match *col {
        TypedColumn::Absent => Cell::Missing,
        TypedColumn::F64(v) if v[r].is_nan() => Cell::Missing,
        TypedColumn::F64(v) => Cell::Number(v[r]),
        TypedColumn::I64(v) if v[r] == i64::MIN => Cell::Missing,
        TypedColumn::I64(v) => Cell::Integer(v[r]),
        TypedColumn::Bool(v) => match v[r] {
            0 => Cell::Bool(false),
            1 => Cell::Bool(true),
            _ => Cell::Missing,
        },
        TypedColumn::Text(codes, values) => match codes[r] {
            EMPTY_CODE => Cell::Missing,
            k => Cell::Text(&values[k as usize]),
        },
    }
}

/// Widens a columnar set to a [`RuleSet`].
pub fn widen(set: u32) -> RuleSet {
    set as RuleSet
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fleet::match_rules;
    use stackmatrix_model::{ColumnSpec, FleetRules};

    #[test]
    fn columns_match_as_rows_do() {
        let rules = FleetRules::builtin();
        // Columns of the built-in rules: cpu_cores memory_gb network offline gpus tenants
        // latency_ms workload, with empty cells and out-of-range values mixed in.
        let cpu = [2.0, f64::NAN, 0.5, 64.0, -1.0, 4.0, 8.0];
        let mem = [0.5, 2.0, 0.25, 256.0, 1.0, 3.99, f64::INFINITY];
        let net_values: Vec<String> = ["stable", "intermittent", "offline", "wifi"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let net = [1u8, 0, 2, 0, 255, 3, 0];
        let offline = [1u8, 2, 0, 1, 0, 2, 1];
        let gpus = [0i64, i64::MIN, 1, 8, 0, -2, 0];
        let tenants = [1i64, 2, 21, 500, 0, 1, 3];
        let latency = [10.0, f64::NAN, 19.9, 300.0, 5.0, 20.0, 1.0];
        let wl_values: Vec<String> = ["service", "function", "inference", "ci"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let wl = [0u8, 1, 2, 3, 0, 1, 255];
        let cols = [
            TypedColumn::F64(&cpu),
            TypedColumn::F64(&mem),
            TypedColumn::Text(&net, &net_values),
            TypedColumn::Bool(&offline),
            TypedColumn::I64(&gpus),
            TypedColumn::I64(&tenants),
            TypedColumn::F64(&latency),
            TypedColumn::Text(&wl, &wl_values),
        ];
        let n = cpu.len();
        let mut sets = vec![0u32; n];
        let mut bad = vec![false; n];
        match_rules_columnar(&rules, &cols, &mut sets, &mut bad);
        // Every build of the passes gives the same answer.
        for simd in SimdLevel::ALL {
            let (mut other_sets, mut other_bad) = (vec![0u32; n], vec![false; n]);
            ColumnarMatcher::new(&rules, &cols).run_with(
                &cols,
                &mut other_sets,
                &mut other_bad,
                simd,
            );
            assert_eq!((&other_sets, &other_bad), (&sets, &bad), "{simd:?}");
        }
        for r in 0..n {
            let cells: Vec<_> = cols.iter().map(|c| columnar_cell(c, r)).collect();
            match match_rules(&rules, &cells) {
                Ok(set) => {
                    assert!(!bad[r], "row {r} flagged");
                    assert_eq!(widen(sets[r]), set, "row {r}");
                }
                Err(_) => assert!(bad[r], "row {r} not flagged"),
            }
        }
        assert!(bad.iter().any(|b| *b) && bad.iter().any(|b| !*b));
    }

    /// Edge values of a number column: empty, infinities, signed zeros, bounds, a non-integer.
    const NUMBERS: [f64; 12] = [
        f64::NAN,
        f64::NEG_INFINITY,
        f64::INFINITY,
        -0.0,
        0.0,
        0.5,
        1.0,
        4.0,
        -1.0,
        20.0,
        1e300,
        2.5,
    ];
    /// Edge values of an integer column.
    const INTEGERS: [i64; 9] = [i64::MIN, i64::MAX, i64::MIN + 1, -1, 0, 1, 4, 20, 21];
    const OPS: [CompareOp; 7] = [
        CompareOp::Lt,
        CompareOp::Le,
        CompareOp::Gt,
        CompareOp::Ge,
        CompareOp::Eq,
        CompareOp::Ne,
        CompareOp::In,
    ];

    fn texts(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    proptest::proptest! {
        /// Random rules over every column type and comparison (edge values included, NaN
        /// among them), over edge-valued cells and columns of a type other than their kind:
        /// every build of the columnar kernel gives the row path's rule set for every row it
        /// does not flag, and flags every row the row path rejects.
        #[test]
        fn random_rules_match_as_rows_do(
            kinds in proptest::collection::vec(0usize..4, 4),
            bounds in proptest::collection::vec((0usize..4, 0usize..4, proptest::bool::ANY), 4),
            conds in proptest::collection::vec(
                proptest::collection::vec((0usize..4, 0usize..7, 0usize..12, 0usize..12), 0..4),
                1..8,
            ),
            number_as_i64 in proptest::bool::ANY,
            integer_as_f64 in proptest::bool::ANY,
            cells in proptest::collection::vec(
                (0usize..12, 0usize..9, 0u8..4, proptest::sample::select(vec![0u8, 1, 2, 3, 4, 255])),
                1..300,
            ),
        ) {
            let mut rules = FleetRules::builtin();
            let names = ["n", "i", "b", "t"];
            let kind_of = [ColumnKind::Number, ColumnKind::Integer, ColumnKind::Bool, ColumnKind::Text];
            let limits = [None, Some(0.0), Some(1.0), Some(20.0)];
            // Column k is read as the type of `names[k]`; its declared kind is mostly its own.
            rules.columns = (0..4)
                .map(|k| {
                    let kind = if kinds[k] == 0 { kind_of[(k + 1) % 4] } else { kind_of[k] };
                    let (lo, hi, required) = bounds[k];
                    ColumnSpec {
                        name: names[k].to_string(),
                        kind,
                        required,
                        min: limits[lo],
                        max: limits[hi].map(|h| h * 2.0),
                        values: if k == 3 { texts(&["a", "b", "c"]) } else { Vec::new() },
                    }
                })
                .collect();
            let template = rules.rules[0].clone();
            rules.rules = conds
                .iter()
                .map(|when| {
                    let mut rule = template.clone();
                    rule.when = when
                        .iter()
                        .map(|&(column, op, v, w)| {
                            let op = OPS[op];
                            let value = match column {
                                0 | 1 => ConditionValue::Numbers(if op == CompareOp::In {
                                    vec![NUMBERS[v], NUMBERS[w]]
                                } else {
                                    vec![NUMBERS[v]]
                                }),
                                2 => ConditionValue::Bool(v % 2 == 0),
                                _ => ConditionValue::Texts(texts(&[["a", "b", "c", "z"][v % 4], ["a", "b"][w % 2]])),
                            };
                            Condition { column, op, value }
                        })
                        .collect();
                    rule
                })
                .collect();
            let n = cells.len();
            let nf: Vec<f64> = cells.iter().map(|c| NUMBERS[c.0]).collect();
            let ni: Vec<i64> = cells.iter().map(|c| INTEGERS[c.1 % 9]).collect();
            let ii: Vec<i64> = cells.iter().map(|c| INTEGERS[c.1]).collect();
            let if64: Vec<f64> = cells.iter().map(|c| NUMBERS[c.0]).collect();
            let b: Vec<u8> = cells.iter().map(|c| if c.2 == 3 { EMPTY_BOOL } else { c.2.min(1) }).collect();
            let t: Vec<u8> = cells.iter().map(|c| c.3).collect();
            let values = texts(&["a", "b", "c", " a", ""]);
            let cols = [
                if number_as_i64 { TypedColumn::I64(&ni) } else { TypedColumn::F64(&nf) },
                if integer_as_f64 { TypedColumn::F64(&if64) } else { TypedColumn::I64(&ii) },
                TypedColumn::Bool(&b),
                TypedColumn::Text(&t, &values),
            ];
            let matcher = ColumnarMatcher::new(&rules, &cols);
            let mut answers = Vec::new();
            for simd in SimdLevel::ALL {
                let (mut sets, mut bad) = (vec![0u32; n], vec![false; n]);
                let flagged = matcher.run_with(&cols, &mut sets, &mut bad, simd);
                proptest::prop_assert_eq!(flagged, bad.iter().filter(|b| **b).count());
                answers.push((sets, bad));
            }
            for other in &answers[1..] {
                proptest::prop_assert_eq!(&answers[0], other);
            }
            let (sets, bad) = &answers[0];
            for r in 0..n {
                let row: Vec<_> = cols.iter().map(|c| columnar_cell(c, r)).collect();
                match match_rules(&rules, &row) {
                    Ok(set) if !bad[r] => proptest::prop_assert_eq!(widen(sets[r]), set, "row {}", r),
                    Ok(_) => {}
                    Err(e) => proptest::prop_assert!(bad[r], "row {} not flagged: {:?}", r, e),
                }
            }
        }
    }
}
