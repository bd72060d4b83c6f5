//! Whatever a knowledge-base file says, loading it returns a result and never panics.
//!
//! Three kinds of input: arbitrary text at every place of the layout, built-in files with one
//! number token replaced by random text or numbers, and built-in files with a line deleted.
//! Every problem reported must also point inside the file it names.

use proptest::prelude::*;
use stackmatrix_model::{builtin_files, load, load_overlay, Diagnostics, SourceFile, TABLE_FILES};

/// The places of the layout, plus one the loader does not read.
fn places() -> Vec<&'static str> {
    let mut p = vec![
        "axes.toml",
        "technologies/x.toml",
        "technologies/k3s.toml",
        "scenarios/x.toml",
        "scenarios/edge.toml",
        "somewhere/else.toml",
    ];
    p.extend(TABLE_FILES);
    p
}

fn file(path: &str, text: String) -> SourceFile {
    SourceFile {
        path: path.to_string(),
        display: format!("overlay/{path}"),
        text,
    }
}

/// Byte ranges of the number tokens of a text (`0.9`, `-1`, `1e-05`, `2024`, ...): words that
/// read as a number, so the `3` of `k3s` is not one.
fn number_tokens(text: &str) -> Vec<std::ops::Range<usize>> {
    let is_word = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '+' | '_');
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        match (start, is_word(c)) {
            (None, true) => start = Some(i),
            (Some(s), false) => {
                let word = &text[s..i];
                if word.chars().any(|c| c.is_ascii_digit())
                    && word.replace('_', "").parse::<f64>().is_ok()
                {
                    out.push(s..i);
                }
                start = None;
            }
            _ => {}
        }
    }
    out
}

/// What a number token is replaced by.
fn replacement() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<f64>().prop_map(|x| format!("{x:?}")),
        any::<i64>().prop_map(|x| x.to_string()),
        (-2.0f64..2.0).prop_map(|x| x.to_string()),
        Just("nan".to_string()),
        Just("-inf".to_string()),
        Just("\"n/a\"".to_string()),
        Just("[]".to_string()),
        Just("[0.5, 0.5]".to_string()),
        Just("{ a = 1 }".to_string()),
        Just(String::new()),
        Just("\"Θ\"".to_string()),
        "[ -~]{0,12}",
        ".{0,8}",
    ]
}

/// Checks the result of a load: an error is never empty, displays, and points inside its file.
fn check(result: Result<stackmatrix_model::KnowledgeBase, Diagnostics>, files: &[SourceFile]) {
    let Err(errors) = result else { return };
    assert!(!errors.is_empty(), "an error with no diagnostic");
    let _ = errors.to_string();
    for d in &errors.0 {
        let Some(line) = d.line else { continue };
        let Some(f) = files.iter().find(|f| f.display == d.file) else {
            continue;
        };
        let lines = f.text.split('\n').count();
        assert!(line >= 1 && line <= lines, "{d}: line outside the file");
        let text = f.text.split('\n').nth(line - 1).unwrap_or("");
        let column = d.column.unwrap_or(1);
        assert!(
            column >= 1 && column <= text.chars().count() + 1,
            "{d}: column outside the line {text:?}"
        );
    }
}

/// Loads one changed file over the built-in files, and in place of its built-in version.
fn load_both_ways(changed: SourceFile) {
    let base = builtin_files();
    let overlay = [changed.clone()];
    check(load_overlay(&base, &overlay), &overlay);

    let mut standalone: Vec<SourceFile> = base
        .iter()
        .filter(|f| f.path != changed.path)
        .cloned()
        .collect();
    standalone.push(changed);
    check(load(&standalone), &standalone);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_text_never_panics(
        place in prop::sample::select(places()),
        text in prop_oneof![
            any::<String>(),
            "[a-zA-Z0-9_\\[\\]{}=\"., \\n#-]{0,200}",
        ],
    ) {
        load_both_ways(file(place, text));
    }

    #[test]
    fn a_replaced_number_never_panics(
        which in any::<prop::sample::Index>(),
        token in any::<prop::sample::Index>(),
        by in replacement(),
    ) {
        let files = builtin_files();
        let f = which.get(&files);
        let tokens = number_tokens(&f.text);
        prop_assume!(!tokens.is_empty());
        let range = token.get(&tokens).clone();
        let text = format!("{}{}{}", &f.text[..range.start], by, &f.text[range.end..]);
        load_both_ways(file(&f.path, text));
    }

    #[test]
    fn a_deleted_line_never_panics(
        which in any::<prop::sample::Index>(),
        line in any::<prop::sample::Index>(),
    ) {
        let files = builtin_files();
        let f = which.get(&files);
        let lines: Vec<&str> = f.text.split('\n').collect();
        let drop = line.index(lines.len());
        let text = lines
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != drop)
            .map(|(_, l)| *l)
            .collect::<Vec<_>>()
            .join("\n");
        load_both_ways(file(&f.path, text));
    }
}

#[test]
fn number_tokens_find_the_numbers_of_a_row() {
    let text = "Q     = [0.2, -0.8, 1e-05]\nid = \"k3s\"";
    let tokens: Vec<&str> = number_tokens(text).into_iter().map(|r| &text[r]).collect();
    assert_eq!(tokens, ["0.2", "-0.8", "1e-05"]);
}
