//! One module per verb. Each returns the text to print on standard output.

pub mod audit;
pub mod cases;
pub mod compare;
pub mod decide;
pub mod explain;
pub mod list;
pub mod migrate;
pub mod model;
pub mod rank;
pub mod recommend;
pub mod report;
pub mod robustness;
pub mod scenario_input;
pub mod serve;
pub mod show;
