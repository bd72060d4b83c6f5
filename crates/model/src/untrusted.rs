//! The one sanitiser for untrusted text shown to a person: knowledge-base names and notes,
//! inventory cells, file names, flag values and any message that quotes them.
//!
//! Text from files and flags may hold terminal control sequences (`ESC ]0;title BEL` retitles a
//! terminal, `ESC [31m` colours it, U+202E reverses what follows) or be megabytes long. Every
//! human rendering — tables, Markdown, CSV written to a terminal, error messages, the HTML
//! report and the web page — passes such text through this module, so that:
//!
//! - no control character reaches the reader raw: C0 controls, DEL, C1 controls, the bidi
//!   embedding, override and isolate marks, the line and paragraph separators and the
//!   zero-width no-break space (BOM) are written as visible escapes: `\n`, `\r`, `\t`, and
//!   `\u001b` (four hex digits) for the others. Printable text, including every other
//!   non-ASCII character, is unchanged, and a backslash stays a backslash.
//! - a value quoted in a message is at most [`SHOWN_LIMIT`] characters (after escaping) followed
//!   by `…` and its length: `abc… (5,242,880 bytes in all)`; a line of a whole message is cut
//!   in the middle after [`MESSAGE_LINE_LIMIT`] characters ([`message`]).
//!
//! The escapes are those of JSON, JavaScript and TOML basic strings, and every unsafe character
//! is in the Basic Multilingual Plane, so `\uXXXX` always names it: applied to JSON text, the
//! escaper yields the same JSON values, which lets the command line pass all its standard
//! output through one guard. JSON output is data, not a rendering: its values stay exact, only
//! written with escapes instead of raw characters.

use std::borrow::Cow;
use std::fmt::Write;

/// The most characters of a value quoted in a message (after escaping), before it is cut and
/// its length said. Long enough for any real name or path, short enough that a 5 MB value
/// gives a message of one line.
pub const SHOWN_LIMIT: usize = 200;

/// The most characters of one line of a whole message ([`message`]) before it is cut; a
/// backstop for messages that quote a value without [`shown`].
pub const MESSAGE_LINE_LIMIT: usize = 2000;

/// The most characters kept from the end of a message line that is cut: a message says what
/// was expected after the value it quotes, and that part must survive the cut.
pub const MESSAGE_TAIL: usize = 300;

/// The most characters the note of a cut adds after the kept text: `…`, a space and
/// `(18,446,744,073,709,551,615 bytes in all)`.
pub const CUT_NOTE_MAX: usize = 45;

/// True for a character that must not reach a terminal or a page raw: C0 and C1 controls and
/// DEL, the bidi marks, embeddings, overrides and isolates (U+061C, U+200E, U+200F,
/// U+202A–U+202E, U+2066–U+2069), the line and paragraph separators (U+2028, U+2029) and the
/// zero-width no-break space U+FEFF (an invisible BOM).
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}'
                | '\u{200E}'
                | '\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2066}'..='\u{2069}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{FEFF}'
        )
}

/// The text with every unsafe character ([`is_unsafe`]) written as a visible escape, however
/// long: for renderings that show whole values (table cells, Markdown, CSV to a terminal).
/// Borrowed when nothing needed escaping.
pub fn escaped(text: &str) -> Cow<'_, str> {
    render(text, usize::MAX)
}

/// A value as quoted in a message: escaped like [`escaped`] and cut after [`SHOWN_LIMIT`]
/// characters with its length in bytes said.
pub fn shown(text: &str) -> Cow<'_, str> {
    render(text, SHOWN_LIMIT)
}

/// [`shown`] with another limit in characters (a table column that may be wide, say). The
/// result holds at most `limit` characters of the escaped text, plus at most [`CUT_NOTE_MAX`]
/// characters saying the cut.
pub fn shown_within(text: &str, limit: usize) -> Cow<'_, str> {
    render(text, limit)
}

/// Text made of lines, such as a verb's whole output: line breaks are kept, every other unsafe
/// character is escaped, nothing is cut. The guard on the command line's standard output;
/// JSON and TOML text keep their values (see the module's note on escapes).
pub fn escaped_lines(text: &str) -> Cow<'_, str> {
    if !has_unsafe(text, true) {
        return Cow::Borrowed(text);
    }
    let lines: Vec<Cow<'_, str>> = text.split('\n').map(escaped).collect();
    Cow::Owned(lines.join("\n"))
}

/// A whole human-facing message, possibly of several lines, possibly quoting values that were
/// not passed through [`shown`]: line breaks are kept, every other unsafe character is escaped
/// and a line longer than [`MESSAGE_LINE_LIMIT`] characters is cut in the middle, keeping its
/// start and its last [`MESSAGE_TAIL`] characters (where a message says what it expected)
/// around the note of its length: `start… (5,243,017 bytes in all) …end`. Applied where errors
/// are printed, as a backstop.
pub fn message(text: &str) -> Cow<'_, str> {
    if text
        .split('\n')
        .all(|line| is_plain(line, MESSAGE_LINE_LIMIT))
    {
        return Cow::Borrowed(text);
    }
    let lines: Vec<Cow<'_, str>> = text.split('\n').map(message_line).collect();
    Cow::Owned(lines.join("\n"))
}

/// One line of [`message`].
fn message_line(line: &str) -> Cow<'_, str> {
    let whole = escaped(line);
    if whole.chars().count() <= MESSAGE_LINE_LIMIT {
        return whole;
    }
    // Longer than the limit once escaped: the start is cut as [`shown_within`] cuts, with the
    // note of the length; the end is kept whole escapes at a time.
    let mut out = render(line, MESSAGE_LINE_LIMIT - MESSAGE_TAIL).into_owned();
    let mut tail: Vec<String> = Vec::new();
    let mut kept = 0usize;
    for c in line.chars().rev() {
        let e = escaped(c.encode_utf8(&mut [0u8; 4])).into_owned();
        kept += e.chars().count();
        if kept > MESSAGE_TAIL {
            break;
        }
        tail.push(e);
    }
    out.push_str(" …");
    out.extend(tail.into_iter().rev());
    Cow::Owned(out)
}

/// True when the text is shown as it is: no unsafe character and no more than `limit`
/// characters.
fn is_plain(text: &str, limit: usize) -> bool {
    (text.len() <= limit || text.chars().count() <= limit) && !has_unsafe(text, false)
}

/// True when the text holds an unsafe character (but a line feed when `lines`). Whole outputs
/// pass here, so printable ASCII, the common case, is settled byte by byte first.
fn has_unsafe(text: &str, lines: bool) -> bool {
    let plain_byte = |b: &u8| (0x20..0x7f).contains(b) || (lines && *b == b'\n');
    if text.as_bytes().iter().all(plain_byte) {
        return false;
    }
    text.chars().any(|c| is_unsafe(c) && !(lines && c == '\n'))
}

fn render(text: &str, limit: usize) -> Cow<'_, str> {
    if is_plain(text, limit) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len().min(limit.saturating_add(CUT_NOTE_MAX)));
    let mut kept = 0usize;
    let mut escape = String::new();
    for c in text.chars() {
        escape.clear();
        if is_unsafe(c) {
            match c {
                '\n' => escape.push_str("\\n"),
                '\r' => escape.push_str("\\r"),
                '\t' => escape.push_str("\\t"),
                c => {
                    let _ = write!(escape, "\\u{:04x}", c as u32);
                }
            }
        } else {
            escape.push(c);
        }
        let width = escape.chars().count();
        if kept + width > limit {
            let _ = write!(out, "… ({} bytes in all)", grouped(text.len()));
            return Cow::Owned(out);
        }
        kept += width;
        out.push_str(&escape);
    }
    Cow::Owned(out)
}

/// A count with thousands separators, `5,242,880`, so a length is read at a glance.
fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(d);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn terminal_sequences_become_visible_escapes() {
        assert_eq!(
            escaped("evil\x1b]0;title\x07"),
            "evil\\u001b]0;title\\u0007"
        );
        assert_eq!(escaped("a\nb\tc\rd"), "a\\nb\\tc\\rd");
        assert_eq!(escaped("\u{9b}31m\u{7f}"), "\\u009b31m\\u007f");
        assert_eq!(escaped("abc\u{202e}fdp.exe"), "abc\\u202efdp.exe");
        assert_eq!(escaped("\u{feff}kind"), "\\ufeffkind");
        assert_eq!(escaped("\u{2066}x\u{2069}"), "\\u2066x\\u2069");
    }

    #[test]
    fn printable_text_is_borrowed_unchanged() {
        for text in [
            "k3s",
            "名称 — Kubernetes",
            "C:\\Users\\x",
            "a \\u001b b",
            "",
        ] {
            assert!(matches!(escaped(text), Cow::Borrowed(t) if t == text));
            assert!(matches!(shown(text), Cow::Borrowed(t) if t == text));
        }
    }

    #[test]
    fn a_long_value_is_cut_with_its_length_said() {
        let big = "x".repeat(5 * 1024 * 1024);
        let s = shown(&big);
        assert!(s.len() < 300, "{} bytes", s.len());
        assert!(s.ends_with("… (5,242,880 bytes in all)"), "{s}");
        assert!(s.starts_with(&"x".repeat(SHOWN_LIMIT)));
        assert_eq!(escaped(&big).len(), big.len(), "escaped never cuts");
    }

    #[test]
    fn a_cut_never_splits_an_escape() {
        let text = format!("{}\x1b{}", "a".repeat(9), "b".repeat(20));
        assert_eq!(shown_within(&text, 12), "aaaaaaaaa… (30 bytes in all)");
        assert_eq!(
            shown_within(&text, 15),
            "aaaaaaaaa\\u001b… (30 bytes in all)"
        );
    }

    #[test]
    fn a_value_exactly_at_the_limit_is_whole() {
        let text = "é".repeat(SHOWN_LIMIT);
        assert!(matches!(shown(&text), Cow::Borrowed(_)));
        let longer = "é".repeat(SHOWN_LIMIT + 1);
        assert!(shown(&longer).ends_with(&format!("({} bytes in all)", 2 * SHOWN_LIMIT + 2)));
    }

    #[test]
    fn messages_keep_their_lines_and_cut_each() {
        assert_eq!(
            message("error: a\x1b\nerror: b"),
            "error: a\\u001b\nerror: b"
        );
        let long = format!(
            "error: '{}' is not a number; expected 0.5\nnext",
            "y".repeat(10 * MESSAGE_LINE_LIMIT)
        );
        let m = message(&long);
        assert_eq!(m.lines().count(), 2);
        assert!(m.len() < MESSAGE_LINE_LIMIT + 100);
        let first = m.lines().next().unwrap();
        assert!(first.starts_with("error: 'yyy"), "{first}");
        assert!(first.contains("y… (20,039 bytes in all) …yyy"), "{first}");
        assert!(
            first.ends_with("y' is not a number; expected 0.5"),
            "{first}"
        );
        assert_eq!(first.chars().count(), MESSAGE_LINE_LIMIT + 25);
        assert!(matches!(message("plain\ntext"), Cow::Borrowed(_)));
    }

    #[test]
    fn escaped_json_reads_as_the_same_json() {
        let value =
            serde_json::json!({"name": "a\u{7f}\u{9b}\u{202e}\u{2028}\u{feff}\u{1b}\n\t z"});
        let text = serde_json::to_string_pretty(&value).unwrap();
        let safe = message(&text);
        assert!(!safe.chars().any(|c| c != '\n' && is_unsafe(c)), "{safe}");
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back, value);
    }

    #[test]
    fn grouping_of_lengths() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1000), "1,000");
        assert_eq!(grouped(5_242_880), "5,242,880");
        assert_eq!(
            grouped(usize::MAX).len() + "… ( bytes in all)".chars().count(),
            43
        );
    }

    proptest! {
        #[test]
        fn output_has_no_unsafe_character_and_is_bounded(
            text in "(\\PC|[\\x00-\\x1f\\x7f\\u{80}-\\u{9f}\\u{202a}-\\u{202e}\\u{2066}-\\u{2069}\\u{feff}]){0,300}",
            limit in 0usize..400,
        ) {
            let s = shown_within(&text, limit);
            prop_assert!(!s.chars().any(is_unsafe), "{:?}", s);
            prop_assert!(s.chars().count() <= limit + CUT_NOTE_MAX, "{:?}", s);
            let e = escaped(&text);
            prop_assert!(!e.chars().any(is_unsafe));
            let m = message(&text);
            prop_assert!(!m.chars().any(|c| c != '\n' && is_unsafe(c)));
            prop_assert!(m.lines().all(|l| l.chars().count() <= MESSAGE_LINE_LIMIT + CUT_NOTE_MAX + 2));
            let l = escaped_lines(&text);
            prop_assert!(!l.chars().any(|c| c != '\n' && is_unsafe(c)));
            prop_assert_eq!(l.matches('\n').count(), text.matches('\n').count());
        }

        #[test]
        fn printable_ascii_within_the_limit_is_unchanged(text in "[ -~]{0,200}") {
            prop_assert_eq!(shown(&text), Cow::Borrowed(text.as_str()));
            prop_assert_eq!(escaped(&text), Cow::Borrowed(text.as_str()));
            prop_assert_eq!(message(&text), Cow::Borrowed(text.as_str()));
            prop_assert_eq!(escaped_lines(&text), Cow::Borrowed(text.as_str()));
        }

        #[test]
        fn a_cut_keeps_a_prefix_and_says_the_length(text in "[ -~]{0,100}", limit in 0usize..120) {
            let s = shown_within(&text, limit);
            if text.len() > limit {
                let note = format!("… ({} bytes in all)", grouped(text.len()));
                prop_assert!(s.ends_with(&note));
                prop_assert_eq!(&s[..s.len() - note.len()], &text[..limit]);
            } else {
                prop_assert_eq!(s, Cow::Borrowed(text.as_str()));
            }
        }
    }
}
