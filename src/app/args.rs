//! The command line as clap parses it: the global flags, one subcommand with its arguments, and
//! the argument groups several commands share. Help text lives here; nothing is resolved.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use crate::classify::config::Config;
use crate::error::Error;
use crate::load::address::shell_quote;
use crate::target::Selection;

/// What `up` and `down` share.
#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// Environment: passes environments/NAME.tfvars with -var-file.
    #[arg(long)]
    pub env: Option<String>,
    /// Apply each verified plan without asking (direct mode: pass -auto-approve to Terraform).
    #[arg(long)]
    pub auto_approve: bool,
    /// Print the commands, run nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Start at this phase (1-based), to resume after a failure.
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub from_phase: usize,
    /// Skip verification: run `terraform apply/destroy -target=...` directly, as tfscope did
    /// before saved plans (for backends or Terraform versions that cannot save a plan).
    #[arg(long)]
    pub no_verify: bool,
    /// Terraform or OpenTofu binary (default: $TFSCOPE_TERRAFORM, else terraform, else tofu on PATH).
    #[arg(long, value_name = "PATH")]
    pub tf: Option<PathBuf>,
    /// History file each phase appends a line to (default: $TFSCOPE_HISTORY, else
    /// DIR/.tfscope/history.jsonl).
    #[arg(long, value_name = "FILE")]
    pub history: Option<PathBuf>,
    /// Root module directory (default: . if it holds .tf files, else the bundled modules/).
    pub dir: Option<PathBuf>,
}

/// Which scopes an apply is about: one scope (with what it depends on), or every scope up to
/// and including one, phase by phase.
#[derive(Debug, Clone, clap::Args)]
#[group(required = true, multiple = false)]
pub struct Which {
    /// Scope to act on (see `tfscope classify` for the names), or `all`.
    #[arg(long)]
    pub scope: Option<String>,
    /// Every scope up to and including this one, in order (infra-only: `--through base`).
    #[arg(long, value_name = "SCOPE")]
    pub through: Option<String>,
}

impl Which {
    /// `--scope S` or `--through K`, as the user wrote it (for messages and resume commands).
    pub fn flag(&self) -> String {
        match (&self.scope, &self.through) {
            (_, Some(k)) => format!("--through {}", shell_quote(k)),
            (Some(s), None) => format!("--scope {}", shell_quote(s)),
            (None, None) => unreachable!("clap requires --scope or --through"),
        }
    }

    /// The selection in the configuration's scopes.
    pub fn selection(&self, config: &Config) -> Result<Selection, Error> {
        match (&self.scope, &self.through) {
            (_, Some(k)) => config.require_scope(k).map(Selection::Through),
            (Some(s), None) => Selection::named(config, s),
            (None, None) => unreachable!("clap requires --scope or --through"),
        }
    }
}

const ABOUT: &str = "Split one Terraform configuration into ordered scopes (base < runtime) and compute exact -target lists";

#[derive(Debug, Parser)]
#[command(name = "tfscope", version, about = ABOUT, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,

    /// Configuration file (default: DIR/tfscope.hcl when it exists).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Do not print warnings.
    #[arg(long, short, global = true)]
    pub quiet: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    Text,
    Json,
    Markdown,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum CostFormat {
    Table,
    Markdown,
    Json,
    Html,
    /// An infracost usage file (YAML): `monthly_hrs` of the hourly resources a schedule tears down.
    InfracostUsage,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List every resource with its scope and the reason for it.
    #[command(
        after_help = "Examples:\n  tfscope classify\n  tfscope classify infra/ --format json | jq '.resources[] | select(.scope == \"base\")'"
    )]
    Classify(ClassifyArgs),
    /// Print one -target=ADDR per line for a scope, ready for terraform apply/destroy.
    #[command(
        after_help = "Examples:\n  terraform apply $(tfscope targets --scope runtime)\n  tfscope targets --scope runtime --destroy | xargs terraform destroy\n  tfscope targets --scope base --expand\n\nAddresses with instance keys are single-quoted for a shell; use xargs or eval when they occur."
    )]
    Targets(TargetsArgs),
    /// Show the phases, commands and blast radius of bringing a scope up or down.
    #[command(
        after_help = "Examples:\n  tfscope plan --scope all --env dev\n  tfscope plan --through base --env dev\n  tfscope plan --scope runtime --destroy --format markdown > plan.md\n  tfscope plan --scope base --destroy --format json"
    )]
    Plan(PlanArgs),
    /// Explain one resource: its scope, why, its dependencies and what up/down does to it.
    #[command(
        after_help = "Examples:\n  tfscope explain module.edge.aws_acm_certificate_validation.this\n  tfscope explain 'module.app.module.service[\"api\"].aws_ecs_service.this' --format json"
    )]
    Explain(ExplainArgs),
    /// Apply a scope with Terraform, phase by phase (`all`: every scope in order), each phase's
    /// saved plan verified against tfscope's promise before it is applied.
    #[command(
        after_help = "Examples:\n  tfscope up --scope runtime --env dev\n  tfscope up --scope all --env prod --auto-approve\n  tfscope up --through base --env dev        # infra only: every scope up to base\n  tfscope up --scope all --env dev --dry-run\n  tfscope up --scope all --env dev --from-phase 2\n\nEach phase: terraform plan -out=FILE -target=..., terraform show -json FILE, compare with the\npromise (refuse and change nothing on a mismatch), then terraform apply FILE."
    )]
    Up(UpArgs),
    /// Destroy a scope with Terraform; later scopes go first, since they depend on it. Each
    /// phase's saved plan must delete exactly what tfscope promised, or nothing runs.
    #[command(
        after_help = "Examples:\n  tfscope down --scope runtime --env dev\n  tfscope down --scope base --env dev --auto-approve --allow-cascade --allow-stateful\n\nA down that cascades into another scope, or that destroys a stateful resource without\nallow_destroy, is refused unless --auto-approve comes with --allow-cascade / --allow-stateful.\nEach phase: terraform plan -destroy -out=FILE, terraform show -json FILE, compare, then\nterraform apply FILE; a plan that deletes anything else is refused and nothing changes."
    )]
    Down(DownArgs),
    /// Check Terraform's own plan for a scope against tfscope's promise, applying nothing: exit 0
    /// when every phase agrees, 1 when not (for CI and pull requests).
    #[command(
        after_help = "Examples:\n  tfscope verify --scope runtime --destroy --env dev\n  tfscope verify --scope all --env prod --format markdown >> $GITHUB_STEP_SUMMARY\n  tfscope verify --scope runtime --env dev --format json | jq .phases[].unexpected\n\nRuns terraform plan -out and terraform show -json per phase against the current state;\nTerraform's own output goes to stderr."
    )]
    Verify(VerifyArgs),
    /// Show which scopes are up, down or partial, from Terraform state.
    #[command(
        after_help = "Examples:\n  tfscope status --env dev\n  tfscope status --state terraform.tfstate --format json\n  terraform state pull | tfscope status --state -"
    )]
    Status(StatusArgs),
    /// Draw the resource graph coloured by scope: DOT, Mermaid, a self-contained HTML viewer,
    /// or JSON. Stateful resources marked, cross-scope edges highlighted; with --state each
    /// resource's state, with --cost its monthly cost.
    #[command(
        after_help = "Examples:\n  tfscope graph --env dev | dot -Tsvg > graph.svg\n  tfscope graph --env dev --format html --cost > graph.html\n  tfscope graph --scope runtime --format mermaid\n  terraform show -json | tfscope graph --state - | dot -Tsvg > status.svg\n\nArrows run from a dependency to what needs it (the order `up` applies in); purple ones cross scopes.\nPast 400 resources the picture collapses by module unless --collapse none."
    )]
    Graph(GraphArgs),
    /// Write resource-scopes.tf: a generated locals block with each scope's addresses.
    #[command(
        after_help = "Examples:\n  tfscope render\n  tfscope render infra/ --out infra/scopes.tf\n  tfscope render --out -\n\nA file that tfscope did not generate is never replaced without --force."
    )]
    Render(RenderArgs),
    /// What each scope costs per month, offline, and what schedules that tear later scopes down save.
    #[command(
        after_help = "Examples:\n  tfscope cost --env dev\n  tfscope cost --env prod --schedule nights --schedule weekends --schedule crunch=84\n  tfscope cost --env dev --usage usage.toml --prices my-prices.toml --format json\n  tfscope cost --env dev --actual --since 2026-12-01      # what up/down really saved\n  tfscope cost --env dev --format infracost-usage --schedule nights > infracost-usage.yml\n\nPrices: data/prices/ (AWS us-east-1, Google us-central1, Azure East US; with sources); --prices adds or replaces entries.\nUsage file (TOML): one table per resource type or address ([*]: any key), e.g. [aws_nat_gateway] or [\"module.svc[*].aws_ecs_service.this\"], then gb_processed = 500."
    )]
    Cost(CostArgs),
    /// Schedules of tfscope.hcl: list them, write the CI definition that runs them (--ci), or
    /// tell a CI run whether its event is due (`due`).
    #[command(
        args_conflicts_with_subcommands = true,
        after_help = "Examples:\n  tfscope schedule\n  tfscope schedule --ci github --out .github/workflows/tfscope-schedule.yml\n  tfscope schedule --ci gitlab --out tfscope-schedule.gitlab-ci.yml\n  tfscope schedule due nights --cron \"0 17 * 3-10 1-5\"\n\nA schedule block:\n  schedule \"nights\" {\n    timezone     = \"Europe/Berlin\"\n    down         = \"Mon-Fri 19:00\"\n    up           = \"Mon-Fri 07:30\"\n    holidays     = [\"2026-12-24\", \"2026-12-31\"]\n    environments = [\"dev\", \"staging\"]\n    scope        = \"runtime\"   # the default\n  }"
    )]
    Schedule(ScheduleArgs),
    /// Print a provider schema for the mock provider of the end-to-end tests (JSON).
    #[command(hide = true)]
    MockSchema(MockSchemaArgs),
    /// What the configuration uses that the catalog cannot classify, each with a rule for
    /// tfscope.hcl; exit 1 when there is any. Or the catalog's provider coverage, or one type.
    #[command(
        after_help = "Examples:\n  tfscope catalog\n  tfscope catalog infra/ --format json\n  tfscope catalog --type aws_msk_topic\n  tfscope catalog --type Microsoft.Storage/storageAccounts\n  tfscope catalog --coverage --format markdown"
    )]
    Catalog(CatalogArgs),
    /// CI gate: exit 1 on cycles, scope violations, unprotected stateful resources, or resources
    /// the catalog cannot classify.
    #[command(
        after_help = "Examples:\n  tfscope check\n  tfscope check infra/ --strict --format json"
    )]
    Check(CheckArgs),
    /// Write each resource's scope into its cost-allocation tags (`tags` on AWS and Azure,
    /// `labels` on Google), keeping formatting and comments; `--check` for CI.
    #[command(
        after_help = "Examples:\n  tfscope tag --diff\n  tfscope tag infra/\n  tfscope tag --check --format json\n\nExit: 0 every tag right, 1 tags missing or stale (--check) or a finding left\n(a hand-set value, a module whose calls disagree, an argument tfscope cannot edit)."
    )]
    Tag(TagArgs),
}

// The arguments of `tfscope classify`.
#[derive(Debug, clap::Args)]
pub struct ClassifyArgs {
    /// Root module directory (default: . if it holds .tf files, else the bundled modules/).
    pub dir: Option<PathBuf>,
    /// Environment: evaluates count/for_each with environments/NAME.tfvars (default: variable
    /// defaults and auto-loaded tfvars only).
    #[arg(long)]
    pub env: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
}

// The arguments of `tfscope targets`.
#[derive(Debug, clap::Args)]
pub struct TargetsArgs {
    /// Scope to target (see `tfscope classify` for the scope names), or `all`.
    #[arg(long)]
    pub scope: String,
    /// Targets for terraform destroy: the scope and every later scope, never an earlier one.
    #[arg(long)]
    pub destroy: bool,
    /// List every resource instead of the minimal set.
    #[arg(long)]
    pub expand: bool,
    /// Environment whose tfvars evaluate count/for_each of modules (environments/NAME.tfvars).
    #[arg(long)]
    pub env: Option<String>,
    /// Root module directory (default: . if it holds .tf files, else the bundled modules/).
    pub dir: Option<PathBuf>,
}

// The arguments of `tfscope plan`.
#[derive(Debug, clap::Args)]
pub struct PlanArgs {
    #[command(flatten)]
    pub which: Which,
    /// The phases of bringing the scope down: it and every later scope, later ones first.
    #[arg(long, conflicts_with = "through")]
    pub destroy: bool,
    /// Environment: evaluates count/for_each with environments/NAME.tfvars and passes it
    /// to Terraform with -var-file.
    #[arg(long)]
    pub env: Option<String>,
    /// List every resource instead of the minimal targets.
    #[arg(long)]
    pub expand: bool,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// With --format markdown: embed, per phase, the Mermaid graph of what it touches
    /// (collapsed by module when GitHub would not draw it whole).
    #[arg(long)]
    pub graph: bool,
    /// Root module directory (default: . if it holds .tf files, else the bundled modules/).
    pub dir: Option<PathBuf>,
}

// The arguments of `tfscope explain`.
#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    /// The resource to explain, as in the configuration (`module.app.aws_ecs_service.this`);
    /// instance keys are accepted.
    pub address: String,
    /// Environment: evaluates count/for_each with environments/NAME.tfvars (default: variable
    /// defaults and auto-loaded tfvars only).
    #[arg(long)]
    pub env: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// Root module directory (default: . if it holds .tf files, else the bundled modules/).
    pub dir: Option<PathBuf>,
}

// The arguments of `tfscope up`.
#[derive(Debug, clap::Args)]
pub struct UpArgs {
    #[command(flatten)]
    pub which: Which,
    #[command(flatten)]
    pub run: RunArgs,
    /// Accept Terraform replacing (or deleting) this object of an earlier scope (instance or
    /// resource address; repeatable).
    #[arg(long, value_name = "ADDR")]
    pub allow_replace: Vec<String>,
}

// The arguments of `tfscope down`.
#[derive(Debug, clap::Args)]
pub struct DownArgs {
    /// Scope to bring down (with every later scope), or `all`.
    #[arg(long)]
    pub scope: String,
    #[command(flatten)]
    pub run: RunArgs,
    /// Accept destroying later scopes too (with --auto-approve).
    #[arg(long)]
    pub allow_cascade: bool,
    /// Accept destroying stateful resources (with --auto-approve).
    #[arg(long)]
    pub allow_stateful: bool,
}

// The arguments of `tfscope verify`.
#[derive(Debug, clap::Args)]
pub struct VerifyArgs {
    #[command(flatten)]
    pub which: Which,
    /// Verify bringing the scope down (it and every later scope).
    #[arg(long, conflicts_with = "through")]
    pub destroy: bool,
    /// Environment: passes environments/NAME.tfvars with -var-file.
    #[arg(long)]
    pub env: Option<String>,
    /// Accept Terraform replacing this object of an earlier scope (repeatable).
    #[arg(long, value_name = "ADDR")]
    pub allow_replace: Vec<String>,
    /// Terraform or OpenTofu binary.
    #[arg(long, value_name = "PATH")]
    pub tf: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// Root module directory (default: . if it holds .tf files, else the bundled modules/).
    pub dir: Option<PathBuf>,
}

// The arguments of `tfscope status`.
#[derive(Debug, clap::Args)]
pub struct StatusArgs {
    /// Environment: instance counts that depend on its tfvars.
    #[arg(long)]
    pub env: Option<String>,
    /// A state file (terraform.tfstate, or `terraform show -json` output), or - for stdin.
    /// Default: run `terraform show -json` in the root.
    #[arg(long, value_name = "FILE")]
    pub state: Option<PathBuf>,
    /// Terraform or OpenTofu binary for `show -json`.
    #[arg(long, value_name = "PATH")]
    pub tf: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// Root module directory (default: . if it holds .tf files, else the bundled modules/).
    pub dir: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum GraphFormat {
    /// Graphviz DOT, for `dot -Tsvg`.
    Dot,
    /// A Mermaid flowchart, as GitHub renders it in markdown.
    Mermaid,
    /// One self-contained page (no network) that pans, zooms, filters by scope and searches;
    /// a click shows what `explain` says.
    Html,
    /// The graph as data (what the HTML page reads).
    Json,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum CollapseArg {
    /// One node per top-level module call and scope (the default past 400 resources).
    Module,
    /// One node per resource.
    None,
}

// The arguments of `tfscope graph`.
#[derive(Debug, clap::Args)]
pub struct GraphArgs {
    /// Environment: instance counts that depend on its tfvars.
    #[arg(long)]
    pub env: Option<String>,
    /// Only this scope, with its direct neighbours in other scopes.
    #[arg(long)]
    pub scope: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "dot")]
    pub format: GraphFormat,
    /// A state file (terraform.tfstate, or `terraform show -json` output), or - for stdin:
    /// each resource shows up, down, or missing (down while the rest of its scope is up).
    #[arg(long, value_name = "FILE")]
    pub state: Option<PathBuf>,
    /// Each resource's and scope's monthly cost (as `tfscope cost` estimates it).
    #[arg(long)]
    pub cost: bool,
    /// Group by module (default past 400 resources) or not at all.
    #[arg(long, value_enum)]
    pub collapse: Option<CollapseArg>,
    /// Root module directory (default: . if it holds .tf files, else the bundled modules/).
    pub dir: Option<PathBuf>,
}

// The arguments of `tfscope render`.
#[derive(Debug, clap::Args)]
pub struct RenderArgs {
    /// Root module directory (default: . if it holds .tf files, else the bundled modules/).
    pub dir: Option<PathBuf>,
    /// Environment: evaluates count/for_each with environments/NAME.tfvars (default: variable
    /// defaults and auto-loaded tfvars only).
    #[arg(long)]
    pub env: Option<String>,
    /// Output file (default: DIR/resource-scopes.tf), or - for stdout.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Replace the file even if tfscope did not generate it.
    #[arg(long)]
    pub force: bool,
}

/// CI systems `tfscope schedule --ci` writes for.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum CiKind {
    Github,
    Gitlab,
}

// The arguments of `tfscope schedule`.
#[derive(Debug, clap::Args)]
pub struct ScheduleArgs {
    #[command(subcommand)]
    pub due: Option<ScheduleCommand>,
    /// Root module directory (default: . if it holds .tf files, else the bundled modules/).
    pub dir: Option<PathBuf>,
    /// Write the CI definition for this system (default: list the schedules).
    #[arg(long, value_enum)]
    pub ci: Option<CiKind>,
    /// Output file for --ci (default: stdout).
    #[arg(long, value_name = "FILE", requires = "ci")]
    pub out: Option<PathBuf>,
    /// Replace --out even if tfscope did not generate it.
    #[arg(long, requires = "out")]
    pub force: bool,
    /// The command the CI job installs tfscope with.
    #[arg(
        long,
        value_name = "COMMAND",
        default_value = "cargo install --locked tfscope"
    )]
    pub install: String,
    /// The year whose clock changes the UTC cron lines follow (default: this year).
    #[arg(long, value_name = "YEAR", value_parser = clap::value_parser!(i16).range(1970..=2200))]
    pub year: Option<i16>,
}

#[derive(Debug, Subcommand)]
pub enum ScheduleCommand {
    /// Print `action=down`, `action=up` or `action=none`: what a CI run of a schedule should do
    /// now (for $GITHUB_OUTPUT, or eval in a shell). The reason goes to stderr.
    Due(DueArgs),
}

#[derive(Debug, clap::Args)]
pub struct DueArgs {
    /// The schedule's name in tfscope.hcl.
    pub name: String,
    /// Root module directory (default: . if it holds .tf files, else the bundled modules/).
    pub dir: Option<PathBuf>,
    /// The UTC cron line that started the run (GitHub: github.event.schedule).
    #[arg(
        long,
        value_name = "CRON",
        required_unless_present = "event",
        conflicts_with = "event"
    )]
    pub cron: Option<String>,
    /// The event a runner in the schedule's own time zone started for (GitLab).
    #[arg(long, value_enum)]
    pub event: Option<DueEvent>,
    /// With --event: how many minutes late a run may start and still count.
    #[arg(long, value_name = "MINUTES", default_value_t = 60, requires = "event")]
    pub within: u32,
    /// Skip a down on or before this date in the schedule's zone (YYYY-MM-DD; empty: none).
    #[arg(long, value_name = "DATE")]
    pub keep_up_until: Option<String>,
    /// The time to decide for (RFC 3339; default: now).
    #[arg(long, value_name = "TIME")]
    pub now: Option<String>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum DueEvent {
    Down,
    Up,
}

// The arguments of `tfscope cost`.
#[derive(Debug, clap::Args)]
pub struct CostArgs {
    /// Root module directory (default: . if it holds .tf files, else the bundled modules/).
    pub dir: Option<PathBuf>,
    /// Environment: evaluates count/for_each and the priced arguments with
    /// environments/NAME.tfvars.
    #[arg(long)]
    pub env: Option<String>,
    /// A `schedule` block of tfscope.hcl, always, nights, weekends, nights-and-weekends,
    /// office-hours, or up-hours per week (HOURS or NAME=HOURS); repeatable. Default: the
    /// built-in ones.
    #[arg(long = "schedule", value_name = "NAME|SPEC")]
    pub schedules: Vec<String>,
    /// The year whose months a `schedule` block's up-hours average (default: this year).
    #[arg(long, value_name = "YEAR", value_parser = clap::value_parser!(i16).range(1970..=2200))]
    pub year: Option<i16>,
    /// The first scope schedules tear down (with every later one). Default: runtime, or the
    /// scope catalog runtime types land in.
    #[arg(long, value_name = "SCOPE")]
    pub down: Option<String>,
    /// A price file in the format of data/prices/README.md that adds or replaces entries.
    #[arg(long, value_name = "FILE")]
    pub prices: Option<PathBuf>,
    /// Usage values per resource type or address (TOML).
    #[arg(long, value_name = "FILE")]
    pub usage: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: CostFormat,
    #[command(flatten)]
    pub actual: ActualArgs,
    /// Per provider, how many of the types the catalog classifies are priced, free, or left
    /// unpriced (with why); the rest is missing. Reads no configuration.
    #[arg(long, conflicts_with = "actual")]
    pub coverage: bool,
}

/// `tfscope cost --actual`: what the history of `up`/`down` really saved.
#[derive(Debug, clap::Args)]
pub struct ActualArgs {
    /// Report the hours each scope was really down, from the history `up`/`down` append, and
    /// what that saved.
    #[arg(long)]
    pub actual: bool,
    /// Start of the window (RFC 3339 time or YYYY-MM-DD, UTC; default: the history's first line).
    #[arg(long, value_name = "DATE", requires = "actual")]
    pub since: Option<String>,
    /// The history file (default: $TFSCOPE_HISTORY, else DIR/.tfscope/history.jsonl).
    #[arg(long, value_name = "FILE", requires = "actual")]
    pub history: Option<PathBuf>,
    /// End of the window instead of the current time (for tests).
    #[arg(long, value_name = "DATE", requires = "actual", hide = true)]
    pub now: Option<String>,
}

// The arguments of `tfscope mock-schema`.
#[derive(Debug, clap::Args)]
pub struct MockSchemaArgs {
    /// Root module directory (default: . if it holds .tf files, else the bundled modules/).
    pub dir: Option<PathBuf>,
}

// The arguments of `tfscope catalog`.
#[derive(Debug, clap::Args)]
pub struct CatalogArgs {
    /// Root module directory (default: . if it holds .tf files, else the bundled modules/).
    pub dir: Option<PathBuf>,
    /// Environment: evaluates count/for_each and generic types' arguments with
    /// environments/NAME.tfvars.
    #[arg(long)]
    pub env: Option<String>,
    /// Print how many of each covered provider's resource types the catalog lists.
    #[arg(long, conflicts_with = "type_name")]
    pub coverage: bool,
    /// Say what the catalog knows about this resource type (or ARM type, `Microsoft.X/y`).
    #[arg(long = "type", value_name = "TYPE")]
    pub type_name: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
}

// The arguments of `tfscope check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Also fail on module calls tfscope cannot read (not installed: run terraform init).
    #[arg(long)]
    pub strict: bool,
    /// Environment: evaluates count/for_each with environments/NAME.tfvars (default: variable
    /// defaults and auto-loaded tfvars only).
    #[arg(long)]
    pub env: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// Root module directory (default: . if it holds .tf files, else the bundled modules/).
    pub dir: Option<PathBuf>,
}

// The arguments of `tfscope tag`.
#[derive(Debug, clap::Args)]
pub struct TagArgs {
    /// Write nothing; exit 1 when a tag is missing or stale, or a finding is left (CI).
    #[arg(long)]
    pub check: bool,
    /// Write nothing; print the unified diff of what would change.
    #[arg(long)]
    pub diff: bool,
    /// Tag key (default: the first `tag_key` of tfscope.hcl, `Scope`; lowercased on Google).
    #[arg(long)]
    pub key: Option<String>,
    /// Environment: evaluates count/for_each with environments/NAME.tfvars.
    #[arg(long)]
    pub env: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// Root module directory (default: . if it holds .tf files, else the bundled modules/).
    pub dir: Option<PathBuf>,
}
