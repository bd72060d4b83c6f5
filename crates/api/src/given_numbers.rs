//! Numbers as a request gives them in JSON: one number, an array in a fixed order, or an
//! object of numbers keyed by name. Θ (`theta`) and the attribute weights ω
//! (`attribute_weights`) both take this shape; each type checks the numbers its own way.

use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde::Deserializer;
use std::fmt;

/// The numbers as given, before any check.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum GivenNumbers {
    /// One number (only where `one` is allowed).
    One(f64),
    /// An array, in order.
    List(Vec<f64>),
    /// An object: (key, number) pairs in the order given.
    Keyed(Vec<(String, f64)>),
}

/// Reads [`GivenNumbers`]; `expecting` says what the field takes (serde's message for any
/// other JSON value); a lone number is refused unless `one` allows it.
pub(crate) fn deserialize_given_numbers<'de, D: Deserializer<'de>>(
    d: D,
    expecting: &'static str,
    one: bool,
) -> Result<GivenNumbers, D::Error> {
    struct V {
        expecting: &'static str,
        one: bool,
    }
    impl V {
        fn number<E: de::Error>(
            &self,
            x: f64,
            unexpected: de::Unexpected,
        ) -> Result<GivenNumbers, E> {
            if self.one {
                Ok(GivenNumbers::One(x))
            } else {
                Err(E::invalid_type(unexpected, self))
            }
        }
    }
    impl<'de> Visitor<'de> for V {
        type Value = GivenNumbers;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str(self.expecting)
        }
        fn visit_f64<E: de::Error>(self, x: f64) -> Result<GivenNumbers, E> {
            self.number(x, de::Unexpected::Float(x))
        }
        fn visit_u64<E: de::Error>(self, x: u64) -> Result<GivenNumbers, E> {
            self.number(x as f64, de::Unexpected::Unsigned(x))
        }
        fn visit_i64<E: de::Error>(self, x: i64) -> Result<GivenNumbers, E> {
            self.number(x as f64, de::Unexpected::Signed(x))
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<GivenNumbers, A::Error> {
            let mut v = Vec::new();
            while let Some(x) = seq.next_element::<f64>()? {
                v.push(x);
            }
            Ok(GivenNumbers::List(v))
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<GivenNumbers, A::Error> {
            let mut out = Vec::new();
            while let Some((k, v)) = map.next_entry::<String, f64>()? {
                out.push((k, v));
            }
            Ok(GivenNumbers::Keyed(out))
        }
    }
    d.deserialize_any(V { expecting, one })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(json: &str, one: bool) -> Result<GivenNumbers, String> {
        let mut d = serde_json::Deserializer::from_str(json);
        deserialize_given_numbers(&mut d, "numbers", one).map_err(|e| e.to_string())
    }

    #[test]
    fn every_shape_reads_and_a_lone_number_only_where_allowed() {
        assert_eq!(read("0.5", true), Ok(GivenNumbers::One(0.5)));
        assert_eq!(read("1", true), Ok(GivenNumbers::One(1.0)));
        assert_eq!(
            read("[1, 0.5]", false),
            Ok(GivenNumbers::List(vec![1.0, 0.5]))
        );
        assert_eq!(
            read(r#"{"I": 0.9}"#, false),
            Ok(GivenNumbers::Keyed(vec![("I".into(), 0.9)]))
        );
        let refused = read("1", false).unwrap_err();
        assert!(refused.contains("expected numbers"), "{refused}");
        assert!(read(r#""x""#, true)
            .unwrap_err()
            .contains("expected numbers"));
    }
}
