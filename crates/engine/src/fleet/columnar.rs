//! The rules matched a column at a time: the same answer as [`super::match_rules`] row by row,
//! computed in passes over typed columns that the compiler can vectorise.
//!
//! Columns come as a columnar reader holds them: numbers as `f64` with NaN for an empty value,
//! integers as `i64` with `i64::MIN` for empty, bools as bytes (0 false, 1 true, 2 empty), texts
//! as one-byte codes into a list of values (255 empty). A row that fails a column's check is
//! flagged, not explained: the caller checks it again with [`super::check_cell`] for the message.

use super::RuleSet;
use stackmatrix_model::{ColumnKind, CompareOp, Condition, ConditionValue, FleetRules};

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

/// `set[r] &= !(1 << bit)` where `value[r] op v` does not hold, with the operator chosen once
/// per pass (so each pass is a plain loop the compiler vectorises). An empty value (NaN)
/// never holds.
#[inline(always)]
fn compare_f64(sets: &mut [u32], values: &[f64], op: CompareOp, v: &[f64], bit: u32) {
    let clear = |s: &mut u32, hold: bool| *s &= !((!hold as u32) << bit);
    let pairs = sets.iter_mut().zip(values);
    if op == CompareOp::In {
        pairs.for_each(|(s, x)| clear(s, v.contains(x)));
        return;
    }
    let v0 = v[0];
    match op {
        CompareOp::Lt => pairs.for_each(|(s, x)| clear(s, *x < v0)),
        CompareOp::Le => pairs.for_each(|(s, x)| clear(s, *x <= v0)),
        CompareOp::Gt => pairs.for_each(|(s, x)| clear(s, *x > v0)),
        CompareOp::Ge => pairs.for_each(|(s, x)| clear(s, *x >= v0)),
        CompareOp::Eq => pairs.for_each(|(s, x)| clear(s, *x == v0)),
        CompareOp::Ne | CompareOp::In => {
            pairs.for_each(|(s, x)| clear(s, (*x != v0) & !x.is_nan()))
        }
    }
}

/// As [`compare_f64`] for integers (`i64::MIN` empty), compared as `x as f64` is: the
/// comparison is turned once into a range of integers, checked without converting.
#[inline(always)]
fn compare_i64(sets: &mut [u32], values: &[i64], op: CompareOp, v: &[f64], bit: u32) {
    let clear = |s: &mut u32, hold: bool| *s &= !((!hold as u32) << bit);
    let pairs = sets.iter_mut().zip(values);
    if op == CompareOp::In {
        pairs.for_each(|(s, x)| clear(s, *x != i64::MIN && v.contains(&(*x as f64))));
        return;
    }
    let v0 = v[0];
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
        None => pairs.for_each(|(s, x)| clear(s, negate & (*x != i64::MIN))),
        Some(w) => {
            pairs.for_each(|(s, x)| clear(s, (*x != i64::MIN) & (within(*x, a, w) ^ negate)))
        }
    }
}

/// Matches the rules for `sets.len()` rows of `columns` (in `rules.columns` order, each at least
/// that long): `sets[r]` gets the rule set of row `r` and `bad[r]` is set when a cell of row `r`
/// needs the row-by-row path: a cell that fails its column's check, or one the columnar checks
/// do not decide (a text in a number column, say). Its set is then meaningless: the caller
/// maps the row with [`super::match_rules`], which gives the set or the error. At most 32 rules.
///
/// Every rule's bit starts set and each condition clears it where it does not hold, so the
/// conditions on one column are applied in one place: for a bool or text column, one pass with
/// a table by code of the bits to keep (and of the check); for a number column, one pass for the
/// check and one per condition.
pub fn match_rules_columnar(
    rules: &FleetRules,
    columns: &[TypedColumn],
    sets: &mut [u32],
    bad: &mut [bool],
) {
    match_rules_columnar_on(rules, columns, sets, bad, true)
}

/// [`match_rules_columnar`], with the AVX2 build of the passes allowed or not (tests run both
/// builds on a machine that has AVX2).
fn match_rules_columnar_on(
    rules: &FleetRules,
    columns: &[TypedColumn],
    sets: &mut [u32],
    bad: &mut [bool],
    allow_avx2: bool,
) {
    assert!(
        rules.rules.len() <= 32,
        "the columnar kernel takes at most 32 rules"
    );
    let all = match rules.rules.len() {
        32 => u32::MAX,
        k => (1u32 << k) - 1,
    };
    // The conditions on each column, with their rule's bit.
    let mut on_column: Vec<Vec<(u32, &Condition)>> = vec![Vec::new(); rules.columns.len()];
    for (i, rule) in rules.rules.iter().enumerate() {
        for c in &rule.when {
            on_column[c.column].push((i as u32, c));
        }
    }
    // The tables of the bool and text columns: by code, the rule bits kept and the check.
    let tables: Vec<Option<CodeTable>> = rules
        .columns
        .iter()
        .zip(columns)
        .zip(&on_column)
        .map(|((spec, col), conds)| {
            let mut keep = [u32::MAX; 256];
            let mut flag = [false; 256];
            match *col {
                TypedColumn::Bool(_) => {
                    let ok_kind = spec.kind == ColumnKind::Bool;
                    for (x, f) in flag.iter_mut().enumerate() {
                        let missing = x as u8 == EMPTY_BOOL;
                        *f = (missing & spec.required) | (!missing & !ok_kind);
                    }
                    for (i, c) in conds {
                        let want = match c.value {
                            ConditionValue::Bool(b) => b as u8,
                            _ => EMPTY_BOOL,
                        };
                        let ne = c.op == CompareOp::Ne;
                        for (x, k) in keep.iter_mut().enumerate() {
                            let x = x as u8;
                            let hold = (x != EMPTY_BOOL) & ((x == want) ^ ne);
                            *k &= !((!hold as u32) << i);
                        }
                    }
                }
                TypedColumn::Text(_, values) => {
                    let mut allowed = [false; 256];
                    for (k, v) in values.iter().enumerate().take(255) {
                        // Values the row path would trim or treat as empty take the row path.
                        allowed[k] = spec.kind == ColumnKind::Text
                            && !v.is_empty()
                            && v.trim() == v
                            && (spec.values.is_empty() || spec.values.contains(v));
                    }
                    allowed[EMPTY_CODE as usize] = !spec.required;
                    for (f, a) in flag.iter_mut().zip(allowed) {
                        *f = !a;
                    }
                    for (i, c) in conds {
                        let mut table = [false; 256];
                        if let ConditionValue::Texts(t) = &c.value {
                            for (k, v) in values.iter().enumerate().take(255) {
                                table[k] = match c.op {
                                    CompareOp::Ne => *v != t[0],
                                    CompareOp::In => t.contains(v),
                                    _ => *v == t[0],
                                };
                            }
                        }
                        for (k, hold) in keep.iter_mut().zip(table) {
                            *k &= !((!hold as u32) << i);
                        }
                    }
                }
                _ => return None,
            }
            Some((keep, flag))
        })
        .collect();
    let chunks = Chunks {
        rules,
        columns,
        all,
        on_column: &on_column,
        tables: &tables,
    };
    #[cfg(not(target_arch = "x86_64"))]
    let _ = allow_avx2;
    #[cfg(target_arch = "x86_64")]
    if allow_avx2 && std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU has AVX2, checked just above.
        unsafe { chunks.run_avx2(sets, bad) };
        return;
    }
    chunks.run(sets, bad);
}

/// A code column's table: by code, the rule bits kept and whether the row is flagged.
type CodeTable = ([u32; 256], [bool; 256]);

/// What [`match_rules_columnar`] prepares once per call, for its passes.
struct Chunks<'r, 'c> {
    rules: &'r FleetRules,
    columns: &'c [TypedColumn<'c>],
    all: u32,
    on_column: &'r [Vec<(u32, &'r Condition)>],
    tables: &'r [Option<CodeTable>],
}

impl Chunks<'_, '_> {
    /// The passes compiled for AVX2 (wider vectors), chosen at run time.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    unsafe fn run_avx2(&self, sets: &mut [u32], bad: &mut [bool]) {
        self.run(sets, bad)
    }

    #[inline(always)]
    fn run(&self, sets: &mut [u32], bad: &mut [bool]) {
        let Chunks {
            rules,
            columns,
            all,
            on_column,
            tables,
        } = *self;
        let n = sets.len();
        for start in (0..n).step_by(COLUMNAR_CHUNK) {
            let end = (start + COLUMNAR_CHUNK).min(n);
            let sets = &mut sets[start..end];
            let bad = &mut bad[start..end];
            sets.fill(all);
            bad.fill(false);
            for (((spec, col), conds), table) in
                rules.columns.iter().zip(columns).zip(on_column).zip(tables)
            {
                let (lo, hi) = (
                    spec.min.unwrap_or(f64::NEG_INFINITY),
                    spec.max.unwrap_or(f64::INFINITY),
                );
                let req = spec.required;
                match *col {
                    TypedColumn::Absent => {
                        if req {
                            bad.fill(true);
                        }
                        let clear = conds.iter().fold(0u32, |m, (i, _)| m | (1 << i));
                        for s in sets.iter_mut() {
                            *s &= !clear;
                        }
                    }
                    TypedColumn::F64(v) => {
                        let v = &v[start..end];
                        match spec.kind {
                            ColumnKind::Number => {
                                for (b, x) in bad.iter_mut().zip(v) {
                                    let missing = x.is_nan();
                                    *b |= (missing & req)
                                        | (!missing & ((*x < lo) | (*x > hi) | x.is_infinite()));
                                }
                            }
                            ColumnKind::Integer => {
                                for (b, x) in bad.iter_mut().zip(v) {
                                    let missing = x.is_nan();
                                    *b |= (missing & req)
                                        | (!missing
                                            & ((*x < lo)
                                                | (*x > hi)
                                                | x.is_infinite()
                                                | (x.fract() != 0.0)));
                                }
                            }
                            // Numbers in a bool or text column: the row path explains them.
                            ColumnKind::Bool | ColumnKind::Text => {
                                for (b, x) in bad.iter_mut().zip(v) {
                                    *b |= !x.is_nan() | req;
                                }
                            }
                        }
                        for (i, c) in conds {
                            compare_f64(sets, v, c.op, num(&c.value), *i);
                        }
                    }
                    TypedColumn::I64(v) => {
                        let v = &v[start..end];
                        let integer =
                            spec.kind == ColumnKind::Integer || spec.kind == ColumnKind::Number;
                        // The integers within the column's bounds, compared as `x as f64` is.
                        let (a, b) = bounds(
                            first_true(|x| (x as f64) >= lo || lo.is_nan()),
                            last_true(|x| (x as f64) <= hi || hi.is_nan()),
                        );
                        match (width(a, b), integer) {
                            (Some(w), true) => {
                                for (b, x) in bad.iter_mut().zip(v) {
                                    let missing = *x == i64::MIN;
                                    *b |= (missing & req) | (!missing & !within(*x, a, w));
                                }
                            }
                            _ => {
                                for (b, x) in bad.iter_mut().zip(v) {
                                    let missing = *x == i64::MIN;
                                    *b |= (missing & req) | !missing;
                                }
                            }
                        }
                        for (i, c) in conds {
                            compare_i64(sets, v, c.op, num(&c.value), *i);
                        }
                    }
                    TypedColumn::Bool(codes) | TypedColumn::Text(codes, _) => {
                        let (keep, flag) = table.as_ref().expect("a table for each code column");
                        for ((s, b), c) in
                            sets.iter_mut().zip(bad.iter_mut()).zip(&codes[start..end])
                        {
                            *s &= keep[*c as usize];
                            *b |= flag[*c as usize];
                        }
                    }
                }
            }
        }
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
    use stackmatrix_model::FleetRules;

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
        // The portable build of the passes gives the same answer as the AVX2 one.
        let (mut portable_sets, mut portable_bad) = (vec![0u32; n], vec![false; n]);
        match_rules_columnar_on(&rules, &cols, &mut portable_sets, &mut portable_bad, false);
        assert_eq!((&portable_sets, &portable_bad), (&sets, &bad));
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
}
