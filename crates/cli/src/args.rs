//! Command-line arguments: the verbs and their flags.

use clap::{ArgGroup, Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Choose cloud-native technology stacks with the matrix perspective.
///
/// Technologies are concept x scene maturity matrices, scenarios are weighted scene vectors;
/// stackmatrix scores, ranks and explains them from a knowledge base that is plain TOML.
#[derive(Debug, Parser)]
#[command(name = "stackmatrix", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// Overlay a knowledge-base directory on the built-in one (new ids are added, existing ids replaced).
    #[arg(long, global = true, value_name = "DIR")]
    pub model: Option<PathBuf>,

    /// Output format: table, json, csv or md. For `report`: the file to write (.html or .md).
    #[arg(
        short = 'o',
        long = "format",
        global = true,
        value_name = "FORMAT|FILE",
        default_value = "table",
        value_parser = parse_output
    )]
    pub output: Output,

    /// Language of labels and names.
    #[arg(long, global = true, value_enum, default_value_t = LangArg::En)]
    pub lang: LangArg,

    /// When to colour tables (NO_COLOR is honoured in auto mode).
    #[arg(long, global = true, value_enum, default_value_t = ColorArg::Auto)]
    pub color: ColorArg,

    #[command(subcommand)]
    pub command: Command,
}

/// Where output goes: a format on standard output, or (for `report`) a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Output {
    /// A format, written to standard output.
    Format(Format),
    /// A file; its extension decides the format (.html, .htm, .md, .markdown).
    File(PathBuf),
}

/// Parses `-o`: a format name, or a file name ending in .html, .htm, .md or .markdown.
fn parse_output(value: &str) -> Result<Output, String> {
    let format = match value {
        "table" => Some(Format::Table),
        "json" => Some(Format::Json),
        "csv" => Some(Format::Csv),
        "md" => Some(Format::Md),
        _ => None,
    };
    if let Some(f) = format {
        return Ok(Output::Format(f));
    }
    let lower = value.to_ascii_lowercase();
    if [".html", ".htm", ".md", ".markdown", ".csv", ".parquet"]
        .iter()
        .any(|e| lower.ends_with(e))
    {
        return Ok(Output::File(PathBuf::from(value)));
    }
    Err(format!(
        "'{value}' is not a format; expected table, json, csv or md (or, for `report`, a file ending in .html or .md; for `fleet`, .csv or .parquet)"
    ))
}

/// The value parser of every flag that takes an id, a scene, a concept or a list of them: an
/// empty value is refused here, where clap names the flag (`--from ''` used to say only
/// "unknown chain ''").
pub fn non_empty(value: &str) -> Result<String, String> {
    if value.trim().is_empty() {
        Err("an empty value; expected a name (see `stackmatrix list`)".into())
    } else {
        Ok(value.to_string())
    }
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Aligned text for a terminal.
    Table,
    /// Stable JSON (documented in docs/json.md).
    Json,
    /// Comma-separated values with a header row.
    Csv,
    /// A Markdown table.
    Md,
}

/// Languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LangArg {
    /// English.
    En,
    /// 中文.
    Zh,
}

/// Colour choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    /// Colour when writing to a terminal and NO_COLOR is not set.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// Time slices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TimeArg {
    /// The static slice (the seed's formula).
    Static,
    /// The dynamic slice (static where no dynamic row is given).
    Dynamic,
    /// 0.6 · static + 0.4 · dynamic.
    Blend,
}

/// The verbs.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Rank the technology chains in a scenario.
    Rank(RankArgs),
    /// Recommend the best stack for a scenario under constraints (exact search, proven optimal).
    Recommend(RecommendArgs),
    /// Explain one technology's score in a scenario, concept by concept.
    Explain(ExplainArgs),
    /// Rank the alternatives of a decision matrix of your own (CSV) by a multi-criteria method.
    Decide(DecideArgs),
    /// Rank a scenario's chains by several multi-criteria methods side by side, with rank correlations.
    Compare(CompareArgs),
    /// How robust a scenario's ranking is: SMAA-2 acceptability and weight stability.
    Robustness(RobustnessArgs),
    /// List technologies, scenarios, concepts or scenes.
    List(ListArgs),
    /// Show a technology's maturity matrix.
    Show(ShowArgs),
    /// List, show and validate the practice cases against the model.
    #[command(subcommand)]
    Cases(CasesCommand),
    /// Audit every documented claim: rankings, stacks and cases beside what the model computes.
    Audit,
    /// The cheapest migration path between chains (or scenes) and the next cheapest ones.
    Migrate(MigrateArgs),
    /// Score a fleet inventory (CSV or Parquet, millions of rows) row by row, generate one, or print the fleet rules.
    #[command(subcommand)]
    Fleet(crate::cmd::fleet::FleetCommand),
    /// Concept dependencies (row depends on column): closure, cyclic groups, critical chains, one concept, or a stack's coverage of a scenario.
    Deps(crate::cmd::deps::DepsArgs),
    /// Named operations (build, deploy, scale, upgrade) as impact vectors, and chains of them applied to a concept vector.
    #[command(subcommand)]
    Ops(crate::cmd::ops::OpsCommand),
    /// The risk of a chain or stack (static drop, dynamic jitter, AI uncertainty), or every chain ranked by risk.
    Risk(crate::cmd::risk::RiskArgs),
    /// The memory cost of a chain or stack under each weighting, the normalised attribute score and the footprint.
    Cost(crate::cmd::cost::CostArgs),
    /// How well a chain or stack carries each concept when a workload moves between scenes.
    Adapt(crate::cmd::adapt::AdaptArgs),
    /// Learn Θ (each concept's confidence θ_c) from feedback and write it to an overlay directory.
    Learn(LearnArgs),
    /// Fit concept weights to the source document's scores (least squares); changes no default.
    Calibrate,
    /// Write a self-contained report for a scenario: HTML (inline SVG charts) or Markdown.
    Report(ReportArgs),
    /// Serve the JSON API under /v1/ and the web page.
    Serve(ServeArgs),
    /// Check or export knowledge-base directories.
    #[command(subcommand)]
    Model(ModelCommand),
    /// Print a shell completion script.
    Completions(CompletionsArgs),
}

/// What to score: a scenario of the knowledge base or a vector, with optional weights and time.
///
/// Exactly one of `--scenario` and `--vector` is required; the group makes clap name both when
/// neither is given (a bare `required_unless_present` named only `--scenario`).
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("input").args(["scenario", "vector"]).required(true).multiple(false)))]
pub struct ScenarioArgs {
    /// A scenario id (see `stackmatrix list scenarios`).
    #[arg(long, value_name = "ID", value_parser = crate::args::non_empty)]
    pub scenario: Option<String>,

    /// A scene vector: 6 numbers in scene order (dev,ci,prod,edge,serverless,multitenant) or SCENE=VALUE pairs; normalised to sum 1.
    #[arg(long, value_name = "V1,..,V6", allow_hyphen_values = true)]
    pub vector: Option<String>,

    /// Concept weights: 12 numbers in concept order (I,C,Q,R,M,V,L,S,B,P,T,Theta) or KEY=VALUE pairs (others weigh 1).
    #[arg(long, value_name = "W", allow_hyphen_values = true)]
    pub weights: Option<String>,

    /// Time slice [default: the scenario's, else static].
    #[arg(long, value_enum)]
    pub time: Option<TimeArg>,
}

/// `rank`.
#[derive(Debug, Args)]
pub struct RankArgs {
    #[command(flatten)]
    pub scenario: ScenarioArgs,

    /// Also explain the top-ranked technology.
    #[arg(long)]
    pub explain: bool,

    /// Rank these stacks instead of single chains: stacks separated by ',', members by '+' (k8s+istio,k3s).
    #[arg(long, value_name = "STACKS")]
    pub stacks: Option<String>,

    // Help: rank by a multi-criteria method, with the engine's method names.
    #[arg(long, value_name = "METHOD", conflicts_with = "explain", help = format!(
        "Rank by a multi-criteria method on the 12 concept fits instead of the model's score: {}",
        stackmatrix_api::method_choices_text()
    ))]
    pub method: Option<String>,

    /// With --method, add cost criteria: memory (memory per node, MB) or memory=W with its weight on the concept weights' scale [default W: 1]. Alternatives without a figure are left out and named.
    #[arg(long, value_name = "LIST", requires = "method")]
    pub cost_criteria: Option<String>,
}

/// `recommend`.
#[derive(Debug, Args)]
pub struct RecommendArgs {
    #[command(flatten)]
    pub scenario: ScenarioArgs,

    /// Most members a stack may have (per environment for a scenario that spans environments).
    #[arg(long, value_name = "K", default_value_t = 4)]
    pub max_size: usize,

    /// Memory per node the stack may use, in MB (members of unknown memory count 0 and are named).
    #[arg(long, value_name = "N")]
    pub budget_mb: Option<f64>,

    /// A capability the stack must bring (gpu, offline, wasm, ...); repeat or separate by ','.
    #[arg(long, value_name = "CAP", value_parser = crate::args::non_empty, value_delimiter = ',')]
    pub require: Vec<String>,

    /// A technology the stack must contain; repeat or separate by ','.
    #[arg(long, value_name = "ID", value_parser = crate::args::non_empty, value_delimiter = ',')]
    pub include: Vec<String>,

    /// A technology the stack may not contain; repeat or separate by ','.
    #[arg(long, value_name = "ID", value_parser = crate::args::non_empty, value_delimiter = ',')]
    pub exclude: Vec<String>,

    /// How many stacks to show: the best and the next best.
    #[arg(long, value_name = "N", default_value_t = 5)]
    pub alternatives: usize,

    /// Answer each weighted scene as its own environment (automatic for scenarios that span environments, such as hybrid).
    #[arg(long)]
    pub per_environment: bool,

    /// Most members of the shared layers of a scenario that spans environments.
    #[arg(long, value_name = "N", default_value_t = 3)]
    pub max_shared: usize,

    /// Answer the cheapest stack (memory per node) whose score reaches --min-score (exact search).
    #[arg(long)]
    pub min_cost: bool,

    /// With --min-cost: the score, 0 to 10, the stack must reach.
    #[arg(long, value_name = "X", allow_hyphen_values = true)]
    pub min_score: Option<f64>,

    /// With --min-cost: admit members of unknown memory (counted 0 MB; stacks with one rank after every fully priced stack).
    #[arg(long)]
    pub allow_unknown_memory: bool,
}

/// `explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    #[command(flatten)]
    pub scenario: ScenarioArgs,

    /// The technology to explain [default: the top-ranked one].
    #[arg(long, value_name = "ID", value_parser = crate::args::non_empty)]
    pub tech: Option<String>,
}

/// `list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// What to list.
    #[arg(value_enum)]
    pub what: ListWhat,
}

/// Things `list` lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListWhat {
    /// Technologies (chains and addons).
    Techs,
    /// Scenarios.
    Scenarios,
    /// The 12 concepts.
    Concepts,
    /// The 6 scenes.
    Scenes,
}

/// `show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// A technology id (see `stackmatrix list techs`).
    #[arg(value_parser = non_empty)]
    pub tech: String,

    /// Time slice to show.
    #[arg(long, value_enum, default_value_t = TimeArg::Static)]
    pub time: TimeArg,
}

/// `model` sub-verbs.
#[derive(Debug, Subcommand)]
pub enum ModelCommand {
    /// Check a knowledge-base directory and report every problem.
    Check(ModelCheckArgs),
    /// Write the built-in knowledge base as editable files.
    Export(ModelExportArgs),
}

/// `model check`.
#[derive(Debug, Args)]
pub struct ModelCheckArgs {
    /// The directory to check.
    pub dir: PathBuf,

    /// Check the directory as a complete knowledge base on its own, not as an overlay on the built-in one.
    #[arg(long)]
    pub standalone: bool,
}

/// `model export`.
#[derive(Debug, Args)]
pub struct ModelExportArgs {
    /// The directory to write (created if missing).
    pub dir: PathBuf,

    /// Overwrite files that exist and differ.
    #[arg(long)]
    pub force: bool,
}

/// `completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// `cases` sub-verbs.
#[derive(Debug, Subcommand)]
pub enum CasesCommand {
    /// List the practice cases.
    List,
    /// Show one case as documented.
    Show {
        /// A case id (see `stackmatrix cases list`).
        #[arg(value_parser = non_empty)]
        id: String,
    },
    /// Check a case's claims (or every case's) against the model.
    Validate {
        /// A case id; every case when omitted.
        #[arg(value_parser = non_empty)]
        id: Option<String>,
    },
}

/// `report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub scenario: ScenarioArgs,

    /// Instead of a scenario report: render a fleet summary (`fleet score --summary FILE.json`) as HTML or Markdown.
    /// (It takes the place of --scenario and --vector: the group "input" of ScenarioArgs.)
    #[arg(long, value_name = "FILE.json", group = "input")]
    pub fleet_summary: Option<PathBuf>,

    /// The migration section: the cheapest path from this chain to the top chain [default: the published and derived transition tables compared].
    #[arg(long, value_name = "CHAIN", value_parser = crate::args::non_empty)]
    pub from: Option<String>,

    /// The cost section: the cheapest stack whose score reaches X [default: the recommended score minus 0.5].
    #[arg(long, value_name = "X", allow_hyphen_values = true)]
    pub min_score: Option<f64>,
}

/// `serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, value_name = "HOST:PORT", default_value = "127.0.0.1:8080")]
    pub addr: std::net::SocketAddr,
}

/// `decide`.
#[derive(Debug, Args)]
pub struct DecideArgs {
    /// The decision matrix: CSV with a header row of criterion names (first cell empty or a label) and one row per alternative, its name first.
    #[arg(long, value_name = "FILE.csv")]
    pub matrix: PathBuf,

    /// One type per criterion: + or benefit (more is better), - or cost (less is better) [default: every criterion a benefit].
    #[arg(long, value_name = "+,-,..", allow_hyphen_values = true)]
    pub types: Option<String>,

    /// Weights: one number per criterion (divided by their sum when it is not 1), or a weighting method deriving them from the matrix: equal, entropy, std, merec, critic, cilos, idocriw, angle, gini, variance, lopcow [default: equal].
    #[arg(
        long,
        value_name = "W1,..|METHOD",
        conflicts_with = "ahp",
        allow_hyphen_values = true
    )]
    pub weights: Option<String>,

    /// AHP weights from a pairwise comparison matrix: CSV with the criteria as header row and first column, Saaty's 1/9..9 judgements; refused when its consistency ratio exceeds 0.1.
    #[arg(long, value_name = "FILE.csv")]
    pub ahp: Option<PathBuf>,

    // Help: the ranking method, with the engine's method names.
    #[arg(long, value_name = "METHOD", help = format!(
        "The ranking method: {} [default: topsis]",
        stackmatrix_api::method_choices_text()
    ))]
    pub method: Option<String>,
}

/// `compare`.
#[derive(Debug, Args)]
pub struct CompareArgs {
    #[command(flatten)]
    pub scenario: ScenarioArgs,

    /// Rank these stacks instead of single chains: stacks separated by ',', members by '+' (k8s+istio,k3s).
    #[arg(long, value_name = "STACKS")]
    pub stacks: Option<String>,

    /// The methods to compare, separated by ',' (each with parameters, e.g. topsis:norm=vector) [default: all eight; those that cannot rank the matrix are skipped and named].
    #[arg(long, value_name = "LIST")]
    pub methods: Option<String>,

    /// Add cost criteria: memory or memory=W, as for rank --method.
    #[arg(long, value_name = "LIST")]
    pub cost_criteria: Option<String>,
}

/// How `robustness` draws the concept weights.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum WeightsModelArg {
    /// Uniformly from the simplex: no preference information (the scenario's weights are not used).
    Uniform,
    /// Dirichlet around the scenario's weights, tighter as --concentration grows.
    Around,
    /// The scenario's weights, not drawn: only the matrix is uncertain.
    Fixed,
}

/// `robustness`.
#[derive(Debug, Args)]
pub struct RobustnessArgs {
    #[command(flatten)]
    pub scenario: ScenarioArgs,

    /// Analyse these stacks instead of single chains: stacks separated by ',', members by '+' (k8s+istio,k3s).
    #[arg(long, value_name = "STACKS")]
    pub stacks: Option<String>,

    /// Monte Carlo samples of each pass (acceptability, confidence).
    #[arg(long, value_name = "N", default_value_t = 100_000)]
    pub samples: u64,

    /// The seed: the same seed gives the same answer on any number of threads.
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,

    /// Half-width of the uniform draw of a published matrix entry.
    #[arg(long, value_name = "D", default_value_t = 0.05)]
    pub spread_published: f64,

    /// Half-width of the uniform draw of an estimated matrix entry.
    #[arg(long, value_name = "D", default_value_t = 0.15)]
    pub spread_estimated: f64,

    /// Half-width of the uniform draw of a measured matrix entry.
    #[arg(long, value_name = "D", default_value_t = 0.05)]
    pub spread_measured: f64,

    /// How the concept weights are drawn.
    #[arg(long, value_enum, default_value_t = WeightsModelArg::Uniform)]
    pub weights_model: WeightsModelArg,

    /// The Dirichlet concentration of --weights-model around: larger is tighter [default: 30].
    #[arg(long, value_name = "K")]
    pub concentration: Option<f64>,
}

/// `learn`'s flags.
#[derive(Debug, Args)]
pub struct LearnArgs {
    /// The feedback file: CSV (.csv) or JSON Lines (.jsonl, .ndjson); see docs/learning.md.
    #[arg(long, value_name = "FILE")]
    pub feedback: PathBuf,

    /// The feedback file's format when its extension does not say (`-o`/`--format` is the output's).
    #[arg(long, value_name = "csv|jsonl")]
    pub feedback_format: Option<String>,

    /// Write DIR/tables/theta.toml (atomically); use it with `stackmatrix --model DIR ...`.
    #[arg(long, value_name = "DIR", required_unless_present = "dry_run")]
    pub out: Option<PathBuf>,

    /// Print the report and the learned Θ without writing anything.
    #[arg(long)]
    pub dry_run: bool,

    /// The loss: mse, mae, cross-entropy or ranking.
    #[arg(long, value_name = "LOSS", default_value = "mse")]
    pub loss: String,

    /// The optimiser: gd (batch), sgd (seeded) or adam.
    #[arg(long, value_name = "OPT", default_value = "gd")]
    pub optimizer: String,

    /// Most epochs.
    #[arg(long, value_name = "N", default_value_t = stackmatrix_api::DEFAULT_LEARN_EPOCHS)]
    pub epochs: usize,

    /// Multiplier K of the published per-concept learning rates [default: 500 for gd and sgd, 100 for adam].
    #[arg(long, value_name = "K")]
    pub lr_scale: Option<f64>,

    /// Stop when the loss changes by no more than this from one epoch to the next.
    #[arg(long, value_name = "T", default_value_t = stackmatrix_api::DEFAULT_LEARN_TOLERANCE)]
    pub tolerance: f64,

    /// Seed of the SGD shuffles.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub seed: u64,

    /// Show the loss of every k-th epoch [default: about 20 lines].
    #[arg(long, value_name = "K")]
    pub every: Option<usize>,
}

/// `migrate`.
#[derive(Debug, Args)]
pub struct MigrateArgs {
    /// The chain to move from (see `stackmatrix list techs`).
    #[arg(long, value_name = "ID", value_parser = crate::args::non_empty, requires = "to", conflicts_with_all = ["from_scene", "to_scene"])]
    pub from: Option<String>,

    /// The chain to move to.
    #[arg(long, value_name = "ID", value_parser = crate::args::non_empty, requires = "from")]
    pub to: Option<String>,

    /// The scene to move a workload from (dev, ci, prod, edge, serverless, multitenant).
    #[arg(long, value_name = "SCENE", value_parser = crate::args::non_empty, requires = "to_scene")]
    pub from_scene: Option<String>,

    /// The scene to move a workload to.
    #[arg(long, value_name = "SCENE", value_parser = crate::args::non_empty, requires = "from_scene")]
    pub to_scene: Option<String>,

    /// How many paths to show besides the cheapest one.
    #[arg(long, value_name = "K", default_value_t = 3)]
    pub alternatives: usize,

    /// The chain-transition table to walk: published, or derived from the maturity matrices and Θ [default: published].
    #[arg(long, value_name = "published|derived")]
    pub source: Option<String>,

    /// Print the published and the derived chain-transition tables side by side, with Kendall's tau-b and Spearman's rho.
    #[arg(long, visible_alias = "matrix", conflicts_with_all = ["from", "to", "from_scene", "to_scene", "source"])]
    pub compare: bool,
}
