//! The rules matched a column at a time: the same answer as [`super::match_rules`] row by row,
//! computed in passes over typed columns that the compiler can vectorise.
//!
//! Columns come as a columnar reader holds them: numbers as `f64` with NaN for an empty value,
//! integers as `i64` with `i64::MIN` for empty, bools as bytes (0 false, 1 true, 2 empty), texts
//! as one-byte codes into a list of values (255 empty). A row that fails a column's check is
//! flagged, not explained: the caller checks it again with [`super::check_cell`] for the message.

use super::RuleSet;
use stackmatrix_model::{ColumnKind, CompareOp, ConditionValue, FleetRules};

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

/// `mask[r] &= value[r] op v` with the operator chosen once per pass (so each pass is a plain
/// loop the compiler vectorises). An empty value (NaN) never holds.
#[inline]
fn compare<T: Copy>(
    mask: &mut [bool],
    values: &[T],
    op: CompareOp,
    v: &[f64],
    f: impl Fn(T) -> f64,
) {
    let pairs = mask.iter_mut().zip(values.iter().map(|x| f(*x)));
    match op {
        CompareOp::Lt => pairs.for_each(|(m, x)| *m &= x < v[0]),
        CompareOp::Le => pairs.for_each(|(m, x)| *m &= x <= v[0]),
        CompareOp::Gt => pairs.for_each(|(m, x)| *m &= x > v[0]),
        CompareOp::Ge => pairs.for_each(|(m, x)| *m &= x >= v[0]),
        CompareOp::Eq => pairs.for_each(|(m, x)| *m &= x == v[0]),
        CompareOp::Ne => pairs.for_each(|(m, x)| *m &= (x != v[0]) & !x.is_nan()),
        CompareOp::In => pairs.for_each(|(m, x)| *m &= v.contains(&x)),
    }
}

/// Matches the rules for `sets.len()` rows of `columns` (in `rules.columns` order, each at least
/// that long): `sets[r]` gets the rule set of row `r` and `bad[r]` is set when a cell of row `r`
/// needs the row-by-row path: a cell that fails its column's check, or one the columnar checks
/// do not decide (a text in a number column, say). Its set is then meaningless: the caller
/// maps the row with [`super::match_rules`], which gives the set or the error. At most 32 rules.
pub fn match_rules_columnar(
    rules: &FleetRules,
    columns: &[TypedColumn],
    sets: &mut [u32],
    bad: &mut [bool],
) {
    assert!(
        rules.rules.len() <= 32,
        "the columnar kernel takes at most 32 rules"
    );
    let n = sets.len();
    let mut mask = [false; COLUMNAR_CHUNK];
    for start in (0..n).step_by(COLUMNAR_CHUNK) {
        let end = (start + COLUMNAR_CHUNK).min(n);
        let sets = &mut sets[start..end];
        let bad = &mut bad[start..end];
        let len = end - start;
        sets.fill(0);
        bad.fill(false);
        // Column checks.
        for (spec, col) in rules.columns.iter().zip(columns) {
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
                }
                TypedColumn::F64(v) => match spec.kind {
                    ColumnKind::Number => {
                        for (b, x) in bad.iter_mut().zip(&v[start..end]) {
                            let missing = x.is_nan();
                            *b |= (missing & req)
                                | (!missing & ((*x < lo) | (*x > hi) | x.is_infinite()));
                        }
                    }
                    ColumnKind::Integer => {
                        for (b, x) in bad.iter_mut().zip(&v[start..end]) {
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
                        for (b, x) in bad.iter_mut().zip(&v[start..end]) {
                            *b |= !x.is_nan() | req;
                        }
                    }
                },
                TypedColumn::I64(v) => {
                    let integer =
                        spec.kind == ColumnKind::Integer || spec.kind == ColumnKind::Number;
                    for (b, x) in bad.iter_mut().zip(&v[start..end]) {
                        let missing = *x == i64::MIN;
                        let f = *x as f64;
                        *b |= (missing & req) | (!missing & ((f < lo) | (f > hi) | !integer));
                    }
                }
                TypedColumn::Bool(v) => {
                    let ok_kind = spec.kind == ColumnKind::Bool;
                    for (b, x) in bad.iter_mut().zip(&v[start..end]) {
                        let missing = *x == EMPTY_BOOL;
                        *b |= (missing & req) | (!missing & !ok_kind);
                    }
                }
                TypedColumn::Text(codes, values) => {
                    let mut allowed = [false; 256];
                    for (k, v) in values.iter().enumerate().take(255) {
                        // Values the row path would trim or treat as empty take the row path.
                        allowed[k] = spec.kind == ColumnKind::Text
                            && !v.is_empty()
                            && v.trim() == v
                            && (spec.values.is_empty() || spec.values.contains(v));
                    }
                    allowed[EMPTY_CODE as usize] = !req;
                    for (b, c) in bad.iter_mut().zip(&codes[start..end]) {
                        *b |= !allowed[*c as usize];
                    }
                }
            }
        }
        // Rules: one pass per condition, ANDed into the rule's mask, ORed into the sets.
        for (i, rule) in rules.rules.iter().enumerate() {
            let mask = &mut mask[..len];
            mask.fill(true);
            for c in &rule.when {
                match columns[c.column] {
                    TypedColumn::Absent => mask.fill(false),
                    TypedColumn::F64(v) => {
                        compare(mask, &v[start..end], c.op, num(&c.value), |x| x)
                    }
                    TypedColumn::I64(v) => {
                        compare(mask, &v[start..end], c.op, num(&c.value), |x| {
                            if x == i64::MIN {
                                f64::NAN
                            } else {
                                x as f64
                            }
                        })
                    }
                    TypedColumn::Bool(v) => {
                        let want = match c.value {
                            ConditionValue::Bool(b) => b as u8,
                            _ => EMPTY_BOOL,
                        };
                        let ne = c.op == CompareOp::Ne;
                        for (m, x) in mask.iter_mut().zip(&v[start..end]) {
                            *m &= (*x != EMPTY_BOOL) & ((*x == want) ^ ne);
                        }
                    }
                    TypedColumn::Text(codes, values) => {
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
                        for (m, code) in mask.iter_mut().zip(&codes[start..end]) {
                            *m &= table[*code as usize];
                        }
                    }
                }
            }
            for (s, m) in sets.iter_mut().zip(mask.iter()) {
                *s |= (*m as u32) << i;
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
