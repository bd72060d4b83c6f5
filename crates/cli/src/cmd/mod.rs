//! One module per verb. Each returns the text to print on standard output.

pub mod adapt;
pub mod audit;
pub mod calibrate;
pub mod cases;
pub mod compare;
pub mod cost;
pub mod decide;
pub mod deps;
pub mod explain;
pub mod fleet;
pub mod learn;
pub mod list;
pub mod migrate;
pub mod model;
pub mod ops;
pub mod rank;
pub mod recommend;
pub mod recommend_cost;
pub mod report;
pub mod risk;
pub mod robustness;
pub mod scenario_input;
pub mod serve;
pub mod show;
