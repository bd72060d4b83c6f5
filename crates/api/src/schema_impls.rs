//! The JSON Schema of the types whose serde forms are written by hand (an array or an object,
//! numbers keyed by concept, ...). Every other request and view derives its schema from its
//! serde attributes; these few say here what their `Serialize`/`Deserialize` impls accept.

use crate::cost::AttributeWeightsSpec;
use crate::request::{ConceptWeights, DecideWeights, KeyedValues, MaturityVector, SceneVector};
use crate::risk::ThetaValues;
use crate::views::ConceptValues;
use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use stackmatrix_model::Concept;
use std::borrow::Cow;

/// Implements `JsonSchema` with a fixed name and a schema built by `$schema`.
macro_rules! schema_of {
    ($t:ty, $name:literal, $schema:expr) => {
        impl JsonSchema for $t {
            fn schema_name() -> Cow<'static, str> {
                $name.into()
            }
            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                $schema
            }
        }
    };
}

/// An object of numbers by key.
fn numbers_by_key() -> serde_json::Value {
    serde_json::json!({"type": "object", "additionalProperties": {"type": "number"}})
}

/// An array of numbers.
fn numbers() -> serde_json::Value {
    serde_json::json!({"type": "array", "items": {"type": "number"}})
}

/// An array of numbers or an object of numbers by key.
fn array_or_object(description: &str) -> Schema {
    json_schema!({"description": description, "oneOf": [numbers(), numbers_by_key()]})
}

schema_of!(ConceptValues, "ConceptValues", {
    let props: serde_json::Map<String, serde_json::Value> = Concept::ALL
        .iter()
        .map(|c| (c.key().to_string(), serde_json::json!({"type": "number"})))
        .collect();
    let required: Vec<&str> = Concept::ALL.iter().map(|c| c.key()).collect();
    json_schema!({
        "description": "Per-concept values keyed by concept key, in concept order.",
        "type": "object",
        "properties": props,
        "required": required,
        "additionalProperties": false,
    })
});

schema_of!(
    KeyedValues,
    "KeyedValues",
    Schema::try_from(numbers_by_key()).unwrap()
);

schema_of!(
    SceneVector,
    "SceneVector",
    array_or_object("6 numbers in scene order (dev, ci, prod, edge, serverless, multitenant), or numbers by scene key; scenes not named weigh 0.")
);

schema_of!(
    ConceptWeights,
    "ConceptWeights",
    array_or_object("12 numbers in concept order (I, C, Q, R, M, V, L, S, B, P, T, Theta), or numbers by concept key; concepts not named weigh 1.")
);

schema_of!(
    MaturityVector,
    "MaturityVector",
    array_or_object("12 numbers in [0, 1] in concept order, or numbers by concept key; concepts not named are 1.")
);

schema_of!(
    AttributeWeightsSpec,
    "AttributeWeights",
    array_or_object(
        "4 numbers (maturity, latency, memory, compatibility), or numbers keyed by those names."
    )
);

schema_of!(
    ThetaValues,
    "ThetaValues",
    json_schema!({
        "description": "Θ for the AI uncertainty: one number in [0, 1], 12 numbers, or numbers by concept key.",
        "oneOf": [{"type": "number"}, numbers(), numbers_by_key()],
    })
);

schema_of!(
    DecideWeights,
    "DecideWeights",
    json_schema!({
        "description": "One number per criterion (divided by their sum), or a weighting method: equal, entropy, std, merec, critic, cilos, idocriw, angle, gini, variance, lopcow.",
        "oneOf": [numbers(), {"type": "string"}],
    })
);
