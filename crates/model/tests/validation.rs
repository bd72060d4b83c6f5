//! Every validation rule of `docs/knowledge-base.md`, one broken overlay at a time.
//!
//! Each test copies a built-in file, breaks it with a string replacement, writes it into a
//! temporary overlay directory, reads it back with `read_dir` and loads it over the built-in
//! knowledge base, then checks the problem is reported where it is: file, line, column, field,
//! message and expectation.

use stackmatrix_model::{
    builtin, builtin_files, load, load_overlay, read_dir, Concept, Diagnostic, Diagnostics,
    KnowledgeBase, Scene, SourceFile, TechKind, TimeSlice, TABLE_FILES,
};
use std::path::Path;
use tempfile::TempDir;

/// The text of a built-in file.
fn builtin_text(path: &str) -> String {
    builtin_files()
        .into_iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("no built-in file {path}"))
        .text
}

/// A built-in file with `old` (which must occur exactly once) replaced by `new`.
fn edit(path: &str, old: &str, new: &str) -> String {
    let text = builtin_text(path);
    assert_eq!(text.matches(old).count(), 1, "{old:?} in {path}");
    text.replacen(old, new, 1)
}

/// 1-based line and character column of the only occurrence of `needle` in `text`.
fn pos(text: &str, needle: &str) -> (usize, usize) {
    assert_eq!(text.matches(needle).count(), 1, "{needle:?} is not unique");
    let offset = text.find(needle).unwrap();
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (
        before.matches('\n').count() + 1,
        before[line_start..].chars().count() + 1,
    )
}

/// 1-based number of the only line of `text` that starts with `prefix`, counted line by line
/// (independently of `pos`, so the two check each other).
fn line_starting_with(text: &str, prefix: &str) -> usize {
    let lines: Vec<usize> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.starts_with(prefix))
        .map(|(i, _)| i + 1)
        .collect();
    assert_eq!(lines.len(), 1, "{prefix:?} does not start exactly one line");
    lines[0]
}

/// Writes files (relative path, contents) into a fresh directory.
fn write_dir(files: &[(&str, &[u8])]) -> TempDir {
    let dir = TempDir::new().unwrap();
    for (rel, contents) in files {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
    }
    dir
}

/// Loads an overlay of text files over the built-in knowledge base.
fn load_texts(files: &[(&str, String)]) -> (TempDir, Result<KnowledgeBase, Diagnostics>) {
    let bytes: Vec<(&str, &[u8])> = files.iter().map(|(p, t)| (*p, t.as_bytes())).collect();
    let dir = write_dir(&bytes);
    let overlay = read_dir(dir.path()).expect("the overlay directory reads");
    let result = load_overlay(&builtin_files(), &overlay);
    (dir, result)
}

/// The problems of an overlay that must not load.
fn errors(files: &[(&str, String)]) -> (TempDir, Vec<Diagnostic>) {
    let (dir, result) = load_texts(files);
    match result {
        Ok(_) => panic!("the broken overlay loaded"),
        Err(d) => {
            assert!(!d.is_empty());
            (dir, d.0)
        }
    }
}

/// The knowledge base of an overlay that must load.
fn loads(files: &[(&str, String)]) -> KnowledgeBase {
    match load_texts(files).1 {
        Ok(kb) => kb,
        Err(e) => panic!("the overlay does not load:\n{e}"),
    }
}

/// The single problem of a broken overlay.
fn only_error(files: &[(&str, String)]) -> (TempDir, Diagnostic) {
    let (dir, mut errs) = errors(files);
    assert_eq!(
        errs.len(),
        1,
        "exactly one problem, got:\n{}",
        Diagnostics(errs)
    );
    (dir, errs.remove(0))
}

fn file_in(dir: &TempDir, rel: &str) -> String {
    dir.path().join(rel).display().to_string()
}

/// Asserts every part of a diagnostic at once, so a failure shows the whole message.
#[track_caller]
fn assert_diag(
    d: &Diagnostic,
    file: &str,
    at: Option<(usize, usize)>,
    field: &str,
    message: &str,
    expected: &str,
) {
    let actual = (
        d.file.as_str(),
        d.line.zip(d.column),
        d.field.as_str(),
        d.message.as_str(),
        d.expected.as_str(),
    );
    assert_eq!(actual, (file, at, field, message, expected), "{d}");
    if at.is_none() {
        assert_eq!((d.line, d.column), (None, None), "{d}");
    }
}

const K3S: &str = "technologies/k3s.toml";
const K3S_Q: &str = "Q     = [0.2, 0.8, 0.9, 0.8, 0.8, 0.9]";
const EDGE: &str = "scenarios/edge.toml";
const SIX: &str = "6 values (dev, ci, prod, edge, serverless, multitenant)";
const UNIT: &str = "a number between 0 and 1";
const NON_NEGATIVE: &str = "a finite number of 0 or more, at most 1e12";

// ---- rows and values -------------------------------------------------------------------------

#[test]
fn a_row_with_five_values_is_refused() {
    let text = edit(K3S, K3S_Q, "Q     = [0.2, 0.8, 0.9, 0.8, 0.8]");
    let (dir, d) = only_error(&[(K3S, text.clone())]);
    let at = pos(&text, "[0.2, 0.8, 0.9, 0.8, 0.8]");
    assert_diag(
        &d,
        &file_in(&dir, K3S),
        Some(at),
        "maturity.static.Q",
        "row has 5 values",
        SIX,
    );
    // The row's opening bracket: on the Q line, after `Q     = `.
    assert_eq!(
        at,
        (line_starting_with(&text, "Q     = "), "Q     = ".len() + 1)
    );
}

#[test]
fn a_row_with_seven_values_is_refused() {
    let text = edit(K3S, K3S_Q, "Q     = [0.2, 0.8, 0.9, 0.8, 0.8, 0.9, 0.1]");
    let (dir, d) = only_error(&[(K3S, text.clone())]);
    assert_diag(
        &d,
        &file_in(&dir, K3S),
        Some(pos(&text, "[0.2, 0.8, 0.9, 0.8, 0.8, 0.9, 0.1]")),
        "maturity.static.Q",
        "row has 7 values",
        SIX,
    );
}

#[test]
fn a_chain_needs_all_twelve_rows() {
    let text = edit(K3S, &format!("{K3S_Q}\n"), "");
    let (dir, d) = only_error(&[(K3S, text.clone())]);
    assert_diag(
        &d,
        &file_in(&dir, K3S),
        Some(pos(&text, "[maturity.static]")),
        "maturity.static",
        "missing rows for Q",
        "all 12 concept rows (I C Q R M V L S B P T Theta)",
    );
}

#[test]
fn an_addon_may_give_some_rows_but_not_none() {
    // An addon with only a few rows loads...
    let mut text = edit(K3S, "kind = \"chain\"", "kind = \"addon\"");
    for row in ["Q", "R", "M", "V", "L", "S", "B", "P", "T"] {
        let line = text
            .lines()
            .find(|l| l.starts_with(&format!("{row} ")))
            .unwrap()
            .to_string();
        text = text.replace(&format!("{line}\n"), "");
    }
    // ... once the chain-transition table no longer names it as a chain.
    let transitions = builtin_text("tables/transitions.toml");
    let kb = loads(&[
        (
            "technologies/k3s-addon.toml",
            text.replace("id = \"k3s\"", "id = \"k3s-addon\""),
        ),
        ("tables/transitions.toml", transitions),
    ]);
    let addon = kb.technology("k3s-addon").unwrap();
    assert_eq!(addon.kind, TechKind::Addon);
    assert!(addon
        .maturity
        .row(TimeSlice::Static, Concept::Image)
        .is_some());
    assert!(addon
        .maturity
        .row(TimeSlice::Static, Concept::Quota)
        .is_none());
    assert_eq!(addon.maturity.matrix(TimeSlice::Static), None);
    assert_eq!(kb.chains().count(), builtin().unwrap().chains().count());

    // An addon without any row does not.
    let start = text.find("[maturity.static]").unwrap();
    let empty = format!(
        "{}[maturity.static]\n",
        &text[..start].replace("id = \"k3s\"", "id = \"empty\"")
    );
    let (dir, d) = only_error(&[("technologies/empty.toml", empty.clone())]);
    assert_diag(
        &d,
        &file_in(&dir, "technologies/empty.toml"),
        Some(pos(&empty, "[maturity.static]")),
        "maturity.static",
        "an addon with no rows",
        "at least one concept row",
    );
}

#[test]
fn an_unknown_kind_is_refused() {
    let text = edit(K3S, "kind = \"chain\"", "kind = \"stack\"");
    let (dir, d) = only_error(&[(K3S, text.clone())]);
    assert_diag(
        &d,
        &file_in(&dir, K3S),
        Some(pos(&text, "\"stack\"")),
        "kind",
        "unknown kind 'stack'",
        "chain or addon",
    );
}

#[test]
fn a_value_above_one_is_refused() {
    let text = edit(K3S, K3S_Q, "Q     = [0.2, 0.8, 0.9, 1.2, 0.8, 0.9]");
    let (dir, d) = only_error(&[(K3S, text.clone())]);
    let at = pos(&text, "1.2");
    // The fourth value of the Q row: after `Q     = [0.2, 0.8, 0.9, `.
    assert_eq!(
        at,
        (
            line_starting_with(&text, "Q     = "),
            "Q     = [0.2, 0.8, 0.9, ".len() + 1
        )
    );
    assert_diag(
        &d,
        &file_in(&dir, K3S),
        Some(at),
        "maturity.static.Q[3]",
        "1.2 is outside [0, 1]",
        UNIT,
    );
    assert_eq!(
        d.to_string(),
        format!(
            "{}:{}:{}: maturity.static.Q[3]: 1.2 is outside [0, 1]; expected {UNIT}",
            file_in(&dir, K3S),
            at.0,
            at.1
        )
    );
}

#[test]
fn a_value_below_zero_is_refused() {
    let text = edit(K3S, K3S_Q, "Q     = [0.2, 0.8, 0.9, 0.8, -0.1, 0.9]");
    let (dir, d) = only_error(&[(K3S, text.clone())]);
    assert_diag(
        &d,
        &file_in(&dir, K3S),
        Some(pos(&text, "-0.1")),
        "maturity.static.Q[4]",
        "-0.1 is outside [0, 1]",
        UNIT,
    );
}

#[test]
fn nan_and_infinities_are_refused() {
    let text = edit(K3S, K3S_Q, "Q     = [nan, 0.8, inf, 0.8, -inf, 0.9]");
    let (dir, errs) = errors(&[(K3S, text.clone())]);
    assert_eq!(errs.len(), 3, "{}", Diagnostics(errs.clone()));
    let file = file_in(&dir, K3S);
    assert_diag(
        &errs[0],
        &file,
        Some(pos(&text, "[nan")).map(|(l, c)| (l, c + 1)),
        "maturity.static.Q[0]",
        "NaN is not a finite number",
        UNIT,
    );
    assert_diag(
        &errs[1],
        &file,
        Some(pos(&text, " inf") /* the space before it */).map(|(l, c)| (l, c + 1)),
        "maturity.static.Q[2]",
        "inf is not a finite number",
        UNIT,
    );
    assert_diag(
        &errs[2],
        &file,
        Some(pos(&text, "-inf")),
        "maturity.static.Q[4]",
        "-inf is not a finite number",
        UNIT,
    );
}

#[test]
fn nan_is_refused_where_only_non_negative_is_asked() {
    // A non-negative range has no upper bound, so NaN and inf must be caught on their own.
    let text = edit(EDGE, "edge = 1.0", "edge = 1.0\nprod = inf\nci = nan");
    let (dir, errs) = errors(&[(EDGE, text.clone())]);
    let shown: Vec<(&str, &str, &str)> = errs
        .iter()
        .map(|d| (d.field.as_str(), d.message.as_str(), d.expected.as_str()))
        .collect();
    assert_eq!(
        shown,
        [
            ("vector.prod", "inf is not a finite number", NON_NEGATIVE),
            ("vector.ci", "NaN is not a finite number", NON_NEGATIVE),
        ]
    );
    assert!(errs.iter().all(|d| d.file == file_in(&dir, EDGE)));
    assert_eq!(
        errs[1].line.zip(errs[1].column),
        Some(pos(&text, "ci = nan")).map(|(l, c)| (l, c + 5))
    );
}

#[test]
fn an_unknown_concept_key_is_refused() {
    let text = edit(K3S, K3S_Q, "X     = [0.2, 0.8, 0.9, 0.8, 0.8, 0.9]");
    let (dir, errs) = errors(&[(K3S, text.clone())]);
    let file = file_in(&dir, K3S);
    assert_eq!(errs.len(), 2, "{}", Diagnostics(errs.clone()));
    // Q is now missing too, and says so at the table's header, which comes first in the file.
    assert_eq!(errs[0].message, "missing rows for Q");
    assert_diag(
        &errs[1],
        &file,
        Some(pos(&text, "X     =")),
        "maturity.static",
        "unknown concept key 'X'",
        "one of I, C, Q, R, M, V, L, S, B, P, T, Theta",
    );
}

#[test]
fn an_unknown_scene_key_in_a_scenario_vector_is_refused() {
    let text = edit(EDGE, "edge = 1.0", "egde = 1.0");
    let (dir, d) = only_error(&[(EDGE, text.clone())]);
    assert_diag(
        &d,
        &file_in(&dir, EDGE),
        Some(pos(&text, "egde")),
        "vector",
        "unknown scene key 'egde'",
        "one of dev, ci, prod, edge, serverless, multitenant",
    );
}

#[test]
fn theta_given_twice_under_its_two_keys_is_refused() {
    // `Θ` is a synonym of `Theta`; giving both would silently drop one of the two rows.
    let theta = "Theta = [0.1, 0.6, 0.9, 0.8, 1.0, 0.9]";
    let text = edit(
        K3S,
        theta,
        &format!("{theta}\n\"Θ\" = [0.5, 0.5, 0.5, 0.5, 0.5, 0.5]"),
    );
    let (dir, d) = only_error(&[(K3S, text.clone())]);
    assert_diag(
        &d,
        &file_in(&dir, K3S),
        Some(pos(&text, "\"Θ\"")),
        "maturity.static",
        "Theta is given twice, as 'Theta' and as 'Θ'",
        "one entry per concept (Theta or Θ, not both)",
    );
    // `Θ` alone is accepted as the key of the Theta row.
    let alone = edit(K3S, "Theta =", "\"Θ\" =");
    let kb = loads(&[(K3S, alone)]);
    let row = kb
        .technology("k3s")
        .unwrap()
        .maturity
        .row(TimeSlice::Static, Concept::Theta);
    assert_eq!(row, Some([0.1, 0.6, 0.9, 0.8, 1.0, 0.9]));
}

#[test]
fn a_dynamic_row_needs_its_static_row() {
    let text =
        edit(K3S, "kind = \"chain\"", "kind = \"addon\"").replacen(&format!("{K3S_Q}\n"), "", 1)
            + "\n[maturity.dynamic]\nQ = [0.1, 0.1, 0.1, 0.1, 0.1, 0.1]\n";
    let text = text.replace("id = \"k3s\"", "id = \"partial\"");
    let (dir, d) = only_error(&[("technologies/partial.toml", text.clone())]);
    assert_diag(
        &d,
        &file_in(&dir, "technologies/partial.toml"),
        Some(pos(&text, "[0.1, 0.1, 0.1, 0.1, 0.1, 0.1]")),
        "maturity.dynamic.Q",
        "a dynamic row without a static row",
        "a static row for every dynamic row",
    );
}

#[test]
fn whole_numbers_are_accepted_as_numbers() {
    let kb = loads(&[
        (EDGE, edit(EDGE, "edge = 1.0", "edge = 1")),
        (K3S, edit(K3S, K3S_Q, "Q     = [0, 1, 0.9, 0.8, 0.8, 0.9]")),
    ]);
    assert_eq!(
        kb.scenario("edge").unwrap().vector,
        [0.0, 0.0, 0.0, 1.0, 0.0, 0.0]
    );
    let q = kb
        .technology("k3s")
        .unwrap()
        .maturity
        .row(TimeSlice::Static, Concept::Quota);
    assert_eq!(q, Some([0.0, 1.0, 0.9, 0.8, 0.8, 0.9]));
}

// ---- shape of the file -----------------------------------------------------------------------

#[test]
fn an_unknown_top_level_field_is_refused() {
    let text = edit(K3S, "kind = \"chain\"", "kinds = \"chain\"");
    let (dir, d) = only_error(&[(K3S, text.clone())]);
    assert_diag(
        &d,
        &file_in(&dir, K3S),
        Some(pos(&text, "kinds")),
        "kinds",
        "unknown field `kinds`",
        "one of id, kind, name, roles, version, capabilities, requires, conflicts, hosts, provenance, rationale, maturity, enhancements, footprint",
    );
}

#[test]
fn a_missing_field_is_named() {
    // At the top level: no line to point at, the field names what is missing.
    let text = edit(EDGE, "[vector]\nedge = 1.0\n", "");
    let (dir, d) = only_error(&[(EDGE, text)]);
    assert_diag(
        &d,
        &file_in(&dir, EDGE),
        None,
        "vector",
        "missing field `vector`",
        "",
    );

    // In a table: the table's header, and the table's name in the field.
    let source = "source = \"AdaMartin18010/wasmedge_k3s, docs/COGNITIVE/03-theoretical-perspectives/matrix-perspective (chain maturity matrices)\"\n";
    let text = edit(K3S, source, "");
    let (dir, d) = only_error(&[(K3S, text.clone())]);
    assert_diag(
        &d,
        &file_in(&dir, K3S),
        Some(pos(&text, "[provenance]")),
        "provenance.source",
        "missing field `source`",
        "",
    );
}

#[test]
fn an_empty_file_is_reported_not_skipped() {
    let (dir, d) = only_error(&[(K3S, String::new())]);
    assert_diag(
        &d,
        &file_in(&dir, K3S),
        None,
        "id",
        "missing field `id`",
        "",
    );
}

#[test]
fn a_toml_syntax_error_is_reported_at_its_place() {
    let text = edit(K3S, "Q     = [0.2, 0.8,", "Q     = [0.2,, 0.8,");
    let (dir, d) = only_error(&[(K3S, text.clone())]);
    assert_diag(
        &d,
        &file_in(&dir, K3S),
        Some(pos(&text, ",,")).map(|(l, c)| (l, c + 1)),
        "maturity.static.Q",
        "extra comma in array",
        "a value",
    );
}

#[test]
fn a_wrong_type_is_reported_at_its_place() {
    let text = edit(K3S, "Q     = [0.2,", "Q     = [\"high\",");
    let (dir, d) = only_error(&[(K3S, text.clone())]);
    assert_eq!(d.file, file_in(&dir, K3S));
    // At the string, the first value of the Q row.
    let at = pos(&text, "\"high\"");
    assert_eq!(
        at,
        (line_starting_with(&text, "Q     = "), "Q     = [".len() + 1)
    );
    assert_eq!((d.line, d.column), (Some(at.0), Some(at.1)));
    assert_eq!(d.field, "maturity.static.Q");
    assert!(
        d.message.starts_with("invalid type: string \"high\""),
        "{d}"
    );
}

#[test]
fn columns_count_characters_not_bytes() {
    let text = edit(EDGE, "zh = \"边缘计算\"", "zh = \"边缘计算\" oops");
    let (dir, d) = only_error(&[(EDGE, text.clone())]);
    assert_eq!(d.file, file_in(&dir, EDGE));
    // z h _ = _ " 边 缘 计 算 " _ o: the `o` is the 13th character, though the 23rd byte.
    assert_eq!((d.line, d.column), (Some(pos(&text, "oops").0), Some(13)));
    assert_eq!(pos(&text, "oops").1, 13);
    assert_eq!(d.field, "name.zh");
}

// ---- ids and references ----------------------------------------------------------------------

#[test]
fn a_copy_under_another_file_name_is_refused_as_misnamed() {
    let k3s = builtin_text(K3S);
    let copy = "technologies/k3s-copy.toml";
    let (dir, d) = only_error(&[(K3S, k3s.clone()), (copy, k3s.clone())]);
    // The copy is the file in the wrong: it is named for an id it does not hold (and so
    // would add an entry or clash with one instead of replacing the one its name says).
    assert_diag(
        &d,
        &file_in(&dir, copy),
        Some(pos(&k3s, "\"k3s\"")),
        "id",
        "id 'k3s' differs from the file name 'k3s-copy.toml'",
        "the file named after its id (k3s.toml)",
    );
}

#[test]
fn a_file_named_for_another_id_is_refused_and_a_scenario_may_share_a_technology_id() {
    let edge = builtin_text(EDGE);
    let (dir, d) = only_error(&[(EDGE, edge.clone()), ("scenarios/edge2.toml", edge.clone())]);
    assert_eq!(d.file, file_in(&dir, "scenarios/edge2.toml"));
    assert_eq!(
        d.message,
        "id 'edge' differs from the file name 'edge2.toml'"
    );
    // Scenario ids and technology ids are separate namespaces.
    let kb = loads(&[(
        "scenarios/k3s.toml",
        edge.replace("id = \"edge\"", "id = \"k3s\""),
    )]);
    assert!(kb.scenario("k3s").is_some() && kb.technology("k3s").is_some());
}

#[test]
fn an_invalid_id_is_refused() {
    let text = edit(K3S, "id = \"k3s\"", "id = \"K3s\"");
    let (dir, d) = only_error(&[(K3S, text.clone())]);
    assert_diag(
        &d,
        &file_in(&dir, K3S),
        Some(pos(&text, "id = \"K3s\"")).map(|(l, c)| (l, c + 5)),
        "id",
        "'K3s' is not a valid id",
        "an id of lowercase letters, digits and '-', starting with a letter",
    );
}

/// The expectation of an unknown technology id: every built-in technology id, in id order.
fn known() -> String {
    let kb = builtin().unwrap();
    let ids: Vec<&str> = kb.technologies.iter().map(|t| t.id.as_str()).collect();
    format!("one of {}", ids.join(", "))
}

#[test]
fn a_claim_naming_an_unknown_technology_is_refused() {
    let text = edit(
        EDGE,
        "label = \"Docker\"\ntech = \"docker\"",
        "label = \"Docker\"\ntech = \"dokcer\"",
    );
    let (dir, d) = only_error(&[(EDGE, text.clone())]);
    assert_diag(
        &d,
        &file_in(&dir, EDGE),
        Some(pos(&text, "\"dokcer\"")),
        "claims.ranking[4].tech",
        "unknown technology id 'dokcer'",
        &known(),
    );
}

#[test]
fn a_claimed_stack_naming_an_unknown_technology_is_refused() {
    let text = edit(
        EDGE,
        "[[claims.stack]]\nlabel = \"OPA-Wasm\"\ntech = \"opa-wasm\"",
        "[[claims.stack]]\nlabel = \"OPA-Wasm\"\ntech = \"no-such-tech\"",
    );
    let (dir, d) = only_error(&[(EDGE, text.clone())]);
    assert_diag(
        &d,
        &file_in(&dir, EDGE),
        Some(pos(&text, "\"no-such-tech\"")),
        "claims.stack[2].tech",
        "unknown technology id 'no-such-tech'",
        &known(),
    );
}

#[test]
fn requiring_an_unknown_technology_is_refused() {
    let text = edit(
        K3S,
        "capabilities = [\"offline\"]",
        "capabilities = [\"offline\"]\nrequires = [\"k8s\", \"nope\"]",
    );
    let (dir, d) = only_error(&[(K3S, text.clone())]);
    assert_diag(
        &d,
        &file_in(&dir, K3S),
        Some(pos(&text, "\"nope\"")),
        "requires[1]",
        "unknown technology id 'nope'",
        &known(),
    );
}

#[test]
fn a_technology_requiring_or_conflicting_with_itself_is_refused() {
    // k3s already conflicts with k8s: add itself to that list, and a `requires` naming itself.
    let text = edit(
        K3S,
        "capabilities = [\"offline\"]",
        "capabilities = [\"offline\"]\nrequires = [\"k3s\"]",
    )
    .replacen("conflicts = [\"k8s\"]", "conflicts = [\"k8s\", \"k3s\"]", 1);
    assert_eq!(text.matches("conflicts = [\"k8s\", \"k3s\"]").count(), 1);
    let (dir, errs) = errors(&[(K3S, text.clone())]);
    assert_eq!(errs.len(), 2, "{}", Diagnostics(errs.clone()));
    let file = file_in(&dir, K3S);
    assert_diag(
        &errs[0],
        &file,
        Some(pos(&text, "[\"k3s\"]")).map(|(l, c)| (l, c + 1)),
        "requires[0]",
        "'k3s' refers to itself",
        "another technology's id",
    );
    assert_diag(
        &errs[1],
        &file,
        Some(pos(&text, "\"k8s\", \"k3s\"")).map(|(l, c)| (l, c + 7)),
        "conflicts[1]",
        "'k3s' refers to itself",
        "another technology's id",
    );
}

#[test]
fn a_reference_to_a_new_technology_of_the_same_overlay_resolves() {
    let new = edit(K3S, "id = \"k3s\"", "id = \"k3s-gpu\"").replace(
        "capabilities = [\"offline\"]",
        "capabilities = [\"offline\", \"gpu\"]\nrequires = [\"k3s\"]",
    );
    let edge = edit(
        EDGE,
        "label = \"OPA-Wasm\"\ntech = \"opa-wasm\"",
        "label = \"OPA-Wasm\"\ntech = \"k3s-gpu\"",
    );
    let kb = loads(&[("technologies/k3s-gpu.toml", new), (EDGE, edge)]);
    assert_eq!(kb.technology("k3s-gpu").unwrap().requires, ["k3s"]);
}

#[test]
fn a_broken_technology_is_not_also_reported_as_unknown_where_it_is_named() {
    // The scenario names the new technology; only the technology's own problem is reported.
    let new = edit(K3S, "id = \"k3s\"", "id = \"k3s-gpu\"")
        .replace(K3S_Q, "Q     = [1.5, 0.8, 0.9, 0.8, 0.8, 0.9]");
    let edge = edit(
        EDGE,
        "label = \"OPA-Wasm\"\ntech = \"opa-wasm\"",
        "label = \"OPA-Wasm\"\ntech = \"k3s-gpu\"",
    );
    let (dir, d) = only_error(&[("technologies/k3s-gpu.toml", new), (EDGE, edge.clone())]);
    assert_eq!(d.file, file_in(&dir, "technologies/k3s-gpu.toml"));
    assert_eq!(d.message, "1.5 is outside [0, 1]");

    // The same when the technology's file does not even parse: its file name stands in for its id.
    let (dir, d) = only_error(&[
        (
            "technologies/k3s-gpu.toml",
            "id = \"k3s-gpu\"\nkind = ".into(),
        ),
        (EDGE, edge),
    ]);
    assert_eq!(d.file, file_in(&dir, "technologies/k3s-gpu.toml"));
}

#[test]
fn a_file_with_a_bad_value_still_has_its_references_checked() {
    // The vector problem makes the scenario unusable; its unknown claim is reported all the same.
    let text =
        edit(EDGE, "edge = 1.0", "edge = -1.0").replace("tech = \"docker\"", "tech = \"dokcer\"");
    let (dir, errs) = errors(&[(EDGE, text.clone())]);
    let shown: Vec<(&str, &str)> = errs
        .iter()
        .map(|d| (d.field.as_str(), d.message.as_str()))
        .collect();
    assert_eq!(
        shown,
        [
            ("vector.edge", "-1 is negative"),
            ("claims.ranking[4].tech", "unknown technology id 'dokcer'"),
        ]
    );
    assert!(errs.iter().all(|d| d.file == file_in(&dir, EDGE)));
}

// ---- scenarios -------------------------------------------------------------------------------

#[test]
fn a_negative_scene_weight_is_refused() {
    let text = edit(EDGE, "edge = 1.0", "edge = 1.0\nprod = -0.5");
    let (dir, d) = only_error(&[(EDGE, text.clone())]);
    assert_diag(
        &d,
        &file_in(&dir, EDGE),
        Some(pos(&text, "-0.5")),
        "vector.prod",
        "-0.5 is negative",
        NON_NEGATIVE,
    );
}

#[test]
fn an_all_zero_vector_is_refused() {
    for replacement in ["edge = 0.0", "edge = 0", ""] {
        let text = edit(EDGE, "edge = 1.0", replacement);
        let (dir, d) = only_error(&[(EDGE, text.clone())]);
        assert_diag(
            &d,
            &file_in(&dir, EDGE),
            Some(pos(&text, "[vector]")),
            "vector",
            "every weight is zero",
            "at least one positive weight",
        );
    }
}

#[test]
fn all_zero_concept_weights_are_refused() {
    let zeros: String = Concept::KEYS
        .iter()
        .map(|k| format!("{k} = 0.0\n"))
        .collect();
    let text = edit(EDGE, "[vector]", &format!("[weights]\n{zeros}\n[vector]"));
    let (dir, d) = only_error(&[(EDGE, text.clone())]);
    assert_diag(
        &d,
        &file_in(&dir, EDGE),
        Some(pos(&text, "[weights]")),
        "weights",
        "every weight is zero",
        "at least one positive weight",
    );
    // Weights not named weigh 1, so zeroing eleven of them is fine.
    let eleven = zeros.replace("Theta = 0.0\n", "");
    let kb = loads(&[(
        EDGE,
        edit(EDGE, "[vector]", &format!("[weights]\n{eleven}\n[vector]")),
    )]);
    let mut expected = [0.0; 12];
    expected[Concept::Theta.index()] = 1.0;
    assert_eq!(kb.scenario("edge").unwrap().weights, expected);
}

#[test]
fn a_negative_concept_weight_and_an_unknown_concept_weight_are_refused() {
    let text = edit(EDGE, "[vector]", "[weights]\nR = -2.0\nZ = 1.0\n\n[vector]");
    let (dir, errs) = errors(&[(EDGE, text.clone())]);
    let file = file_in(&dir, EDGE);
    assert_eq!(errs.len(), 2, "{}", Diagnostics(errs.clone()));
    assert_diag(
        &errs[0],
        &file,
        Some(pos(&text, "-2.0")),
        "weights.R",
        "-2 is negative",
        NON_NEGATIVE,
    );
    assert_diag(
        &errs[1],
        &file,
        Some(pos(&text, "Z = ")),
        "weights",
        "unknown concept key 'Z'",
        "one of I, C, Q, R, M, V, L, S, B, P, T, Theta",
    );
}

#[test]
fn an_unknown_time_mode_is_refused() {
    let text = edit(EDGE, "id = \"edge\"", "id = \"edge\"\ntime = \"later\"");
    let (dir, d) = only_error(&[(EDGE, text.clone())]);
    assert_diag(
        &d,
        &file_in(&dir, EDGE),
        Some(pos(&text, "\"later\"")),
        "time",
        "unknown time mode 'later'",
        "static, dynamic or blend",
    );
    let kb = loads(&[(
        EDGE,
        edit(EDGE, "id = \"edge\"", "id = \"edge\"\ntime = \"blend\""),
    )]);
    assert_eq!(
        kb.scenario("edge").unwrap().time,
        Some(stackmatrix_model::TimeMode::Blend)
    );
}

#[test]
fn claimed_scores_and_ranks_are_checked() {
    let text = edit(EDGE, "score = 9.2\nrank = 1", "score = 92\nrank = 0");
    let (dir, errs) = errors(&[(EDGE, text.clone())]);
    let file = file_in(&dir, EDGE);
    assert_eq!(errs.len(), 2, "{}", Diagnostics(errs.clone()));
    assert_diag(
        &errs[0],
        &file,
        Some(pos(&text, "92")),
        "claims.ranking[0].score",
        "92 is outside [0, 10]",
        "a score between 0 and 10",
    );
    assert_diag(
        &errs[1],
        &file,
        Some(pos(&text, "rank = 0")).map(|(l, c)| (l, c + 7)),
        "claims.ranking[0].rank",
        "0 is not a rank",
        "a whole number of 1 or more",
    );
}

// ---- provenance and tables -------------------------------------------------------------------

#[test]
fn an_unknown_provenance_kind_is_refused() {
    let text = edit(K3S, "kind = \"published\"", "kind = \"guessed\"");
    let (dir, d) = only_error(&[(K3S, text.clone())]);
    assert_diag(
        &d,
        &file_in(&dir, K3S),
        Some(pos(&text, "\"guessed\"")),
        "provenance.kind",
        "unknown provenance kind 'guessed'",
        "published, estimated or measured",
    );
}

#[test]
fn a_row_provenance_override_is_checked_and_kept() {
    let ok = edit(
        K3S,
        "[maturity.static]",
        "[provenance.static.Q]\nkind = \"estimated\"\nsource = \"stackmatrix maintainers\"\nrationale = \"why\"\n\n[maturity.static]",
    );
    let kb = loads(&[(K3S, ok.clone())]);
    let k3s = kb.technology("k3s").unwrap();
    let p = k3s.provenance_of(TimeSlice::Static, Concept::Quota);
    assert_eq!(p.kind, stackmatrix_model::ProvenanceKind::Estimated);
    assert_eq!(p.rationale.as_deref(), Some("why"));
    assert_eq!(
        k3s.provenance_of(TimeSlice::Static, Concept::Image).kind,
        stackmatrix_model::ProvenanceKind::Published
    );

    let bad = ok.replace(
        "[provenance.static.Q]\nkind = \"estimated\"",
        "[provenance.static.Q]\nkind = \"hunch\"",
    );
    let (dir, d) = only_error(&[(K3S, bad.clone())]);
    assert_diag(
        &d,
        &file_in(&dir, K3S),
        Some(pos(&bad, "\"hunch\"")),
        "provenance.static.Q.kind",
        "unknown provenance kind 'hunch'",
        "published, estimated or measured",
    );
}

#[test]
fn a_dependency_value_of_one_half_is_refused() {
    let path = "tables/relations.toml";
    let original = builtin_text(path);
    // The second value of the first dependency row (I) is a 1.
    let start = original.find("[dependency]").unwrap();
    let row = start + original[start..].find("\nI").unwrap() + 1;
    let one = row + original[row..].find("1.0").unwrap();
    let text = format!("{}0.5{}", &original[..one], &original[one + 3..]);
    let (dir, d) = only_error(&[(path, text.clone())]);
    let (line, column) = {
        let before = &text[..one];
        (
            before.matches('\n').count() + 1,
            one - before.rfind('\n').unwrap(),
        )
    };
    assert_diag(
        &d,
        &file_in(&dir, path),
        Some((line, column)),
        "dependency.I[1]",
        "0.5 is neither 0 nor 1",
        "0 (independent) or 1 (linked)",
    );
}

#[test]
fn a_table_row_with_a_bad_value_is_not_also_reported_missing() {
    let path = "tables/relations.toml";
    let original = builtin_text(path);
    let start = original.find("[combination]").unwrap();
    let row = start + original[start..].find("\nQ").unwrap() + 1;
    let end = row + original[row..].find('\n').unwrap();
    let line = &original[row..end];
    let broken = line.replacen("[", "[1.5, ", 1);
    let text = original.replacen(line, &broken, 1);
    let (dir, d) = only_error(&[(path, text.clone())]);
    assert_diag(
        &d,
        &file_in(&dir, path),
        Some(pos(&text, &broken[broken.find('[').unwrap()..])),
        "combination.Q",
        "row has 13 values",
        "12 values (I, C, Q, R, M, V, L, S, B, P, T, Theta)",
    );
    let scenes = edit(
        "tables/transitions.toml",
        "edge        = [0.9, 0.8, 0.7, 0.0, 0.8, 0.9]",
        "edge        = [0.9, 0.8, 0.7, 0.0, 0.8, 1.9]",
    );
    let (_, d) = only_error(&[("tables/transitions.toml", scenes)]);
    assert_eq!(
        (d.field.as_str(), d.message.as_str()),
        ("scene_migration.edge[5]", "1.9 is outside [0, 1]")
    );
}

#[test]
fn latency_accepts_n_a_and_refuses_other_text() {
    let path = "tables/attributes.toml";
    let text = edit(path, "B     = [\"n/a\",", "B     = [\"none\",");
    let (dir, d) = only_error(&[(path, text.clone())]);
    assert_diag(
        &d,
        &file_in(&dir, path),
        Some(pos(&text, "\"none\"")),
        "latency_ms.B[0]",
        "'none' is not a latency",
        "milliseconds (a number of 0 or more) or \"n/a\"",
    );
}

#[test]
fn compatibility_needs_its_mesh_row() {
    let path = "tables/attributes.toml";
    let original = builtin_text(path);
    let line = original.lines().find(|l| l.starts_with("L_mesh")).unwrap();
    let text = original.replace(&format!("{line}\n"), "");
    let (dir, d) = only_error(&[(path, text.clone())]);
    assert_diag(
        &d,
        &file_in(&dir, path),
        Some(pos(&text, "[compatibility]")),
        "compatibility",
        "missing row L_mesh",
        "a row L_mesh (load balance with a service mesh)",
    );
}

#[test]
fn time_blend_weights_must_sum_to_one() {
    let path = "tables/parameters.toml";
    let text = edit(path, "dynamic = 0.4", "dynamic = 0.5");
    let (dir, d) = only_error(&[(path, text.clone())]);
    assert_diag(
        &d,
        &file_in(&dir, path),
        Some(pos(&text, "static = 0.6")).map(|(l, c)| (l, c + 9)),
        "time_blend",
        "static 0.6 and dynamic 0.5 sum to 1.1",
        "weights that sum to 1",
    );
}

#[test]
fn a_zero_learning_rate_is_refused() {
    let path = "tables/theta.toml";
    let text = edit(path, "Theta = 0.00001", "Theta = 0.0");
    let (dir, d) = only_error(&[(path, text.clone())]);
    assert_diag(
        &d,
        &file_in(&dir, path),
        Some(pos(&text, "0.0\n")),
        "learning_rate.Theta",
        "0 is not a learning rate",
        "a positive number",
    );
}

#[test]
fn a_theta_value_above_one_is_refused() {
    let path = "tables/theta.toml";
    let text = edit(path, "P     = 1.0", "P     = 1.5");
    let (dir, d) = only_error(&[(path, text.clone())]);
    assert_diag(
        &d,
        &file_in(&dir, path),
        Some(pos(&text, "1.5")),
        "value.P",
        "1.5 is outside [0, 1]",
        "a number between 0 and 1",
    );
}

#[test]
fn a_theta_value_table_without_a_concept_is_refused() {
    let path = "tables/theta.toml";
    let text = edit(path, "S     = 1.0\n", "");
    let (_dir, d) = only_error(&[(path, text)]);
    assert!(d.field.starts_with("value"), "{d:?}");
    assert!(d.message.contains('S'), "{d:?}");
}

#[test]
fn theta_values_default_to_one() {
    let kb = stackmatrix_model::builtin().unwrap();
    assert!(kb.tables.theta.is_identity());
}

#[test]
fn a_chain_transition_column_must_name_a_chain() {
    let path = "tables/transitions.toml";
    let text = edit(
        path,
        "\"opa\", \"multitenant\"]",
        "\"opa\", \"multitenant\", \"nomad\"]",
    );
    let (dir, errs) = errors(&[(path, text.clone())]);
    let file = file_in(&dir, path);
    let unknown = errs
        .iter()
        .find(|d| d.message == "unknown technology id 'nomad'")
        .unwrap_or_else(|| panic!("{}", Diagnostics(errs.clone())));
    assert_eq!(unknown.file, file);
    assert_eq!(unknown.field, "chain_transition.columns[6]");
    assert_eq!(
        unknown.line.zip(unknown.column),
        Some(pos(&text, "\"nomad\""))
    );
    // Every row now has 6 values for 7 columns, and the nomad row is missing; all in file order.
    let lines: Vec<usize> = errs.iter().map(|d| d.line.unwrap()).collect();
    let mut sorted = lines.clone();
    sorted.sort_unstable();
    assert_eq!(lines, sorted, "{}", Diagnostics(errs.clone()));
    assert_eq!(
        errs.iter()
            .filter(|d| d.message == "row has 6 values")
            .count(),
        6
    );
    assert!(errs.iter().any(|d| d.message == "missing rows for nomad"));
    assert_eq!(errs.len(), 8);
}

// ---- files and directories -------------------------------------------------------------------

#[test]
fn a_file_in_an_unknown_place_is_refused() {
    let k3s = builtin_text(K3S);
    for rel in [
        "techs/x.toml",
        "technologies/sub/x.toml",
        "technologies/x.json",
        "notes.txt",
    ] {
        let (dir, d) = only_error(&[(rel, k3s.clone())]);
        assert_diag(
            &d,
            &file_in(&dir, rel),
            None,
            "",
            "is not in a place the knowledge base reads",
            "axes.toml, technologies/<id>.toml, scenarios/<id>.toml, cases/<id>.toml or \
             tables/{relations,attributes,transitions,operations,theta,parameters}.toml",
        );
    }
}

#[test]
fn hidden_files_and_readmes_are_skipped() {
    let dir = write_dir(&[
        ("README.md", b"notes"),
        (".git/config", b"x"),
        ("technologies/.k3s.toml.swp", b"\xff"),
        ("technologies/readme.txt", b"notes"),
    ]);
    assert_eq!(read_dir(dir.path()).unwrap(), Vec::<SourceFile>::new());
}

#[test]
fn a_file_that_is_not_utf8_is_refused() {
    let dir = write_dir(&[
        ("technologies/x.toml", b"id = \"x\"\nname = \"caf\xe9\"\n"),
        (EDGE, builtin_text(EDGE).as_bytes()),
    ]);
    let errs = read_dir(dir.path()).unwrap_err().0;
    assert_eq!(errs.len(), 1, "{}", Diagnostics(errs.clone()));
    assert_diag(
        &errs[0],
        &file_in(&dir, "technologies/x.toml"),
        Some((2, 12)),
        "",
        "is not UTF-8 text (invalid byte at offset 20)",
        "UTF-8 text",
    );
}

#[test]
fn a_missing_directory_is_refused() {
    let dir = TempDir::new().unwrap();
    let missing = dir.path().join("nowhere");
    let errs = read_dir(&missing).unwrap_err().0;
    assert_eq!(errs.len(), 1);
    assert_diag(
        &errs[0],
        &missing.display().to_string(),
        None,
        "",
        "does not exist",
        "a knowledge-base directory",
    );

    let file = dir.path().join("file.toml");
    std::fs::write(&file, "").unwrap();
    let errs = read_dir(&file).unwrap_err().0;
    assert_eq!(errs[0].message, "is not a directory");
}

#[test]
fn a_standalone_load_reports_missing_axes_and_tables() {
    let files: Vec<(&str, String)> = builtin_files()
        .into_iter()
        .filter(|f| f.path.starts_with("technologies/") || f.path.starts_with("scenarios/"))
        .map(|f| (leak(f.path), f.text))
        .collect();
    let bytes: Vec<(&str, &[u8])> = files.iter().map(|(p, t)| (*p, t.as_bytes())).collect();
    let dir = write_dir(&bytes);
    let errs = load(&read_dir(dir.path()).unwrap()).unwrap_err().0;
    let missing: Vec<&str> = std::iter::once("axes.toml").chain(TABLE_FILES).collect();
    assert_eq!(errs.len(), missing.len(), "{}", Diagnostics(errs.clone()));
    for (d, rel) in errs.iter().zip(missing) {
        assert_diag(
            d,
            &file_in(&dir, rel),
            None,
            "",
            "is missing",
            "a complete knowledge base (see docs/knowledge-base.md)",
        );
    }
}

#[test]
fn a_standalone_load_reports_missing_parts_beside_broken_files() {
    // One run shows everything: a broken technology does not hide that the tables are missing,
    // and a broken table is reported as broken, not as missing.
    // k3s names k8s (they conflict), so k8s comes along, unbroken: the only broken technology
    // is the one broken here. (Without it, k3s's `conflicts` is an unknown reference; see
    // `a_standalone_technology_naming_a_missing_one_is_refused`.)
    let k3s = edit(K3S, K3S_Q, "Q     = [0.2, 0.8, 0.9, 0.8, 0.8, 9.0]");
    let k8s = builtin_text("technologies/k8s.toml");
    let theta = "[learning_rate]\nI = 0.1\n".to_string();
    let dir = write_dir(&[
        ("axes.toml", builtin_text("axes.toml").as_bytes()),
        (K3S, k3s.as_bytes()),
        ("technologies/k8s.toml", k8s.as_bytes()),
        ("tables/theta.toml", theta.as_bytes()),
    ]);
    let errs = load(&read_dir(dir.path()).unwrap()).unwrap_err().0;
    let shown: Vec<(String, String)> = errs
        .iter()
        .map(|d| (d.file.clone(), d.message.clone()))
        .collect();
    let mut expected = vec![
        (
            file_in(&dir, "tables/theta.toml"),
            "missing rows for C, Q, R, M, V, L, S, B, P, T, Theta".to_string(),
        ),
        (file_in(&dir, K3S), "9 is outside [0, 1]".to_string()),
    ];
    for t in TABLE_FILES.iter().filter(|t| **t != "tables/theta.toml") {
        expected.push((file_in(&dir, t), "is missing".to_string()));
    }
    assert_eq!(shown, expected);
}

#[test]
fn a_standalone_technology_naming_a_missing_one_is_refused() {
    // k3s conflicts with k8s; in a standalone export without k8s, that reference is unknown.
    // (Other files name k8s too; only k3s's own reference is checked here.)
    let files: Vec<(String, String)> = builtin_files()
        .into_iter()
        .filter(|f| f.path != "technologies/k8s.toml")
        .map(|f| (f.path, f.text))
        .collect();
    let bytes: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_bytes()))
        .collect();
    let dir = write_dir(&bytes);
    let errs = load(&read_dir(dir.path()).unwrap()).unwrap_err().0;
    let file = file_in(&dir, K3S);
    let in_k3s: Vec<&Diagnostic> = errs.iter().filter(|d| d.file == file).collect();
    assert_eq!(in_k3s.len(), 1, "{}", Diagnostics(errs.clone()));
    let kb = builtin().unwrap();
    let others: Vec<&str> = kb
        .technologies
        .iter()
        .map(|t| t.id.as_str())
        .filter(|id| *id != "k8s")
        .collect();
    assert_diag(
        in_k3s[0],
        &file,
        Some(pos(&builtin_text(K3S), "\"k8s\"")),
        "conflicts[0]",
        "unknown technology id 'k8s'",
        &format!("one of {}", others.join(", ")),
    );
}

#[test]
fn three_bad_values_in_one_file_are_all_reported() {
    let text = edit(K3S, K3S_Q, "Q     = [1.2, 0.8, 0.9, 0.8, 0.8, 0.9]")
        .replace(
            "R     = [0.3, 0.7, 0.9, 1.0, 1.0, 0.9]",
            "R     = [0.3, 0.7, 0.9, 2.5, 1.0, 0.9]",
        )
        .replace(
            "Theta = [0.1, 0.6, 0.9, 0.8, 1.0, 0.9]",
            "Theta = [0.1, 0.6, 0.9, 0.8, 1.0, -3.0]",
        );
    let (dir, errs) = errors(&[(K3S, text.clone())]);
    let file = file_in(&dir, K3S);
    assert_eq!(errs.len(), 3, "{}", Diagnostics(errs.clone()));
    assert_diag(
        &errs[0],
        &file,
        Some(pos(&text, "1.2")),
        "maturity.static.Q[0]",
        "1.2 is outside [0, 1]",
        UNIT,
    );
    assert_diag(
        &errs[1],
        &file,
        Some(pos(&text, "2.5")),
        "maturity.static.R[3]",
        "2.5 is outside [0, 1]",
        UNIT,
    );
    assert_diag(
        &errs[2],
        &file,
        Some(pos(&text, "-3.0")),
        "maturity.static.Theta[5]",
        "-3 is outside [0, 1]",
        UNIT,
    );
}

#[test]
fn problems_in_two_files_are_all_reported() {
    let k3s = edit(K3S, K3S_Q, "Q     = [0.2, 0.8, 0.9, 0.8, 0.8, 1.9]");
    let edge = edit(EDGE, "edge = 1.0", "edge = -1.0");
    let theta = edit("tables/theta.toml", "I     = 0.001", "I     = 0.001,");
    let (dir, errs) = errors(&[(K3S, k3s), (EDGE, edge), ("tables/theta.toml", theta)]);
    let shown: Vec<(String, String)> = errs
        .iter()
        .map(|d| (d.file.clone(), d.field.clone()))
        .collect();
    // In path order: scenarios, tables, technologies.
    assert_eq!(
        shown,
        [
            (file_in(&dir, EDGE), "vector.edge".to_string()),
            (
                file_in(&dir, "tables/theta.toml"),
                "learning_rate.I".to_string()
            ),
            (file_in(&dir, K3S), "maturity.static.Q[5]".to_string()),
        ]
    );
}

#[test]
fn a_broken_built_in_file_is_named_as_built_in() {
    let mut base = builtin_files();
    let k3s = base.iter_mut().find(|f| f.path == K3S).unwrap();
    k3s.text = k3s
        .text
        .replace(K3S_Q, "Q     = [0.2, 0.8, 0.9, 0.8, 0.8, 1.9]");
    let errs = load(&base).unwrap_err().0;
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].file, "(built-in)/technologies/k3s.toml");
}

// ---- overlay semantics -----------------------------------------------------------------------

#[test]
fn an_overlay_technology_with_a_new_id_is_added() {
    let new = edit(K3S, "id = \"k3s\"", "id = \"k3s-lts\"");
    let kb = loads(&[("technologies/k3s-lts.toml", new)]);
    let base = builtin().unwrap();
    assert_eq!(kb.technologies.len(), base.technologies.len() + 1);
    let ids: Vec<&str> = kb.technologies.iter().map(|t| t.id.as_str()).collect();
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    assert_eq!(ids, sorted, "technologies stay sorted by id");
    assert_eq!(
        kb.technology("k3s-lts").unwrap().maturity,
        base.technology("k3s").unwrap().maturity
    );
    assert!(kb.technology("k3s").is_some(), "the built-in k3s stays");
}

#[test]
fn an_overlay_technology_with_an_existing_id_replaces_it() {
    let text = edit(K3S, K3S_Q, "Q     = [0.2, 0.8, 0.9, 0.55, 0.8, 0.9]");
    let kb = loads(&[(K3S, text)]);
    let base = builtin().unwrap();
    assert_eq!(kb.technologies.len(), base.technologies.len());
    let k3s = kb.technology("k3s").unwrap();
    let q = k3s.maturity.row(TimeSlice::Static, Concept::Quota).unwrap();
    assert_eq!(q[Scene::Edge.index()], 0.55);
    assert_eq!(q, [0.2, 0.8, 0.9, 0.55, 0.8, 0.9]);
    // Everything else is as built in.
    let mut unchanged = kb.clone();
    let mut expected = base.clone();
    unchanged.technologies.retain(|t| t.id != "k3s");
    expected.technologies.retain(|t| t.id != "k3s");
    assert_eq!(unchanged, expected);
}

#[test]
fn an_overlay_technology_replaces_as_a_whole() {
    // The overlay's k8s has no dynamic rows: the built-in dynamic rows do not survive.
    let original = builtin_text("technologies/k8s.toml");
    let text = &original[..original.find("# Dynamic slice").unwrap()];
    let kb = loads(&[("technologies/k8s.toml", text.to_string())]);
    let k8s = kb.technology("k8s").unwrap();
    assert!(!k8s.maturity.has_dynamic_row(Concept::Image));
    assert!(builtin()
        .unwrap()
        .technology("k8s")
        .unwrap()
        .maturity
        .has_dynamic_row(Concept::Image));
}

#[test]
fn an_overlay_scenario_is_added_or_replaces() {
    let kb = loads(&[
        (EDGE, edit(EDGE, "edge = 1.0", "edge = 0.5\nprod = 0.5")),
        (
            "scenarios/factory.toml",
            edit(EDGE, "id = \"edge\"", "id = \"factory\""),
        ),
    ]);
    assert_eq!(
        kb.scenario("edge").unwrap().vector,
        [0.0, 0.0, 0.5, 0.5, 0.0, 0.0]
    );
    assert_eq!(
        kb.scenario("factory").unwrap().vector,
        [0.0, 0.0, 0.0, 1.0, 0.0, 0.0]
    );
    assert_eq!(kb.scenarios.len(), builtin().unwrap().scenarios.len() + 1);
}

#[test]
fn an_overlay_table_file_replaces_the_built_in_table() {
    let path = "tables/theta.toml";
    let kb = loads(&[(path, edit(path, "Theta = 0.00001", "Theta = 0.5"))]);
    let base = builtin().unwrap();
    assert_eq!(kb.tables.theta.learning_rate[Concept::Theta.index()], 0.5);
    assert_eq!(
        kb.tables.theta.learning_rate[..11],
        base.tables.theta.learning_rate[..11]
    );
    assert_eq!(kb.tables.relations, base.tables.relations);

    // The whole file is replaced: a table file missing a row is not completed from the built-in.
    let (_, d) = only_error(&[(path, edit(path, "Theta = 0.00001\n", ""))]);
    assert_eq!(d.message, "missing rows for Theta");
}

#[test]
fn an_overlay_axes_file_renames_the_axes() {
    let kb = loads(&[(
        "axes.toml",
        edit("axes.toml", "en = \"Quota\"", "en = \"Resource quota\""),
    )]);
    assert_eq!(kb.concept_names(Concept::Quota).en, "Resource quota");
    let text = edit("axes.toml", "[concepts.Q]", "[concepts.Q2]");
    let (dir, errs) = errors(&[("axes.toml", text.clone())]);
    let file = file_in(&dir, "axes.toml");
    assert_eq!(errs.len(), 2, "{}", Diagnostics(errs.clone()));
    assert_diag(
        &errs[0],
        &file,
        None,
        "concepts.Q",
        "missing",
        "names for every concept",
    );
    assert_diag(
        &errs[1],
        &file,
        Some(pos(&text, "Q2")),
        "concepts",
        "unknown concept key 'Q2'",
        "one of I, C, Q, R, M, V, L, S, B, P, T, Theta",
    );
}

#[test]
fn an_empty_overlay_changes_nothing() {
    let dir = TempDir::new().unwrap();
    let overlay = read_dir(dir.path()).unwrap();
    assert!(overlay.is_empty());
    assert_eq!(
        load_overlay(&builtin_files(), &overlay).unwrap(),
        builtin().unwrap()
    );
}

// ---- export round trip -----------------------------------------------------------------------

#[test]
fn an_export_of_the_built_in_files_loads_to_the_built_in_knowledge_base() {
    let files = builtin_files();
    assert!(files.iter().any(|f| f.path == "axes.toml"));
    let bytes: Vec<(&str, &[u8])> = files
        .iter()
        .map(|f| (f.path.as_str(), f.text.as_bytes()))
        .collect();
    let dir = write_dir(&bytes);
    let read = read_dir(dir.path()).unwrap();
    let paths = |v: &[SourceFile]| {
        v.iter()
            .map(|f| (f.path.clone(), f.text.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        paths(&read),
        paths(&files),
        "the export reads back as written"
    );
    for f in &read {
        assert_eq!(Path::new(&f.display), dir.path().join(&f.path));
    }
    assert_eq!(load(&read).unwrap(), builtin().unwrap());
    // And as an overlay over itself it changes nothing either.
    assert_eq!(load_overlay(&files, &read).unwrap(), builtin().unwrap());
}

#[test]
fn the_built_in_files_are_named_as_built_in() {
    for f in builtin_files() {
        assert_eq!(f.display, format!("(built-in)/{}", f.path));
        assert!(!f.path.contains('\\'));
    }
}

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}
