//! The command layer: clap arguments, resolved once into settings, then one function per
//! command that calls the library and writes data to stdout and diagnostics to stderr.
//! Exit codes: 0 ok, 1 findings, 2 usage or input error.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand, ValueEnum};

use crate::classify::config::Config;
use crate::error::{Error, Warning};
use crate::target::{Action, Selection};

/// Process exit codes, one place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Ok,
    Findings,
    Error,
    /// `up`/`down`: Terraform failed with this code.
    Terraform(i32),
    /// `up`/`down` stopped by SIGINT or SIGTERM.
    Interrupted,
}

impl Exit {
    pub fn code(self) -> i32 {
        match self {
            Exit::Ok => 0,
            Exit::Findings => 1,
            Exit::Error => 2,
            Exit::Terraform(code) => code,
            Exit::Interrupted => 130,
        }
    }
}

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
    /// Root module directory (default: . if it holds .tf files, else the bundled modules/).
    pub dir: Option<PathBuf>,
    /// Set from the global --quiet: no warnings.
    #[arg(skip)]
    pub quiet: bool,
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
            (_, Some(k)) => format!("--through {}", crate::load::address::shell_quote(k)),
            (Some(s), None) => format!("--scope {}", crate::load::address::shell_quote(s)),
            (None, None) => unreachable!("clap requires --scope or --through"),
        }
    }

    fn selection(&self, config: &Config) -> Result<Selection, Error> {
        match (&self.scope, &self.through) {
            (_, Some(k)) => config.require_scope(k).map(Selection::Through),
            (Some(s), None) => selection(config, s),
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
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List every resource with its scope and the reason for it.
    #[command(
        after_help = "Examples:\n  tfscope classify\n  tfscope classify infra/ --format json | jq '.resources[] | select(.scope == \"base\")'"
    )]
    Classify {
        /// Root module directory (default: . if it holds .tf files, else the bundled modules/).
        dir: Option<PathBuf>,
        /// Environment: evaluates count/for_each with environments/NAME.tfvars (default: variable
        /// defaults and auto-loaded tfvars only).
        #[arg(long)]
        env: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// Print one -target=ADDR per line for a scope, ready for terraform apply/destroy.
    #[command(
        after_help = "Examples:\n  terraform apply $(tfscope targets --scope runtime)\n  tfscope targets --scope runtime --destroy | xargs terraform destroy\n  tfscope targets --scope base --expand\n\nAddresses with instance keys are single-quoted for a shell; use xargs or eval when they occur."
    )]
    Targets {
        /// Scope to target (see `tfscope classify` for the scope names), or `all`.
        #[arg(long)]
        scope: String,
        /// Targets for terraform destroy: the scope and every later scope, never an earlier one.
        #[arg(long)]
        destroy: bool,
        /// List every resource instead of the minimal set.
        #[arg(long)]
        expand: bool,
        /// Environment whose tfvars evaluate count/for_each of modules (environments/NAME.tfvars).
        #[arg(long)]
        env: Option<String>,
        /// Root module directory (default: . if it holds .tf files, else the bundled modules/).
        dir: Option<PathBuf>,
    },
    /// Show the phases, commands and blast radius of bringing a scope up or down.
    #[command(
        after_help = "Examples:\n  tfscope plan --scope all --env dev\n  tfscope plan --through base --env dev\n  tfscope plan --scope runtime --destroy --format markdown > plan.md\n  tfscope plan --scope base --destroy --format json"
    )]
    Plan {
        #[command(flatten)]
        which: Which,
        /// The phases of bringing the scope down: it and every later scope, later ones first.
        #[arg(long, conflicts_with = "through")]
        destroy: bool,
        /// Environment: evaluates count/for_each with environments/NAME.tfvars and passes it
        /// to Terraform with -var-file.
        #[arg(long)]
        env: Option<String>,
        /// List every resource instead of the minimal targets.
        #[arg(long)]
        expand: bool,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        /// Root module directory (default: . if it holds .tf files, else the bundled modules/).
        dir: Option<PathBuf>,
    },
    /// Explain one resource: its scope, why, its dependencies and what up/down does to it.
    #[command(
        after_help = "Examples:\n  tfscope explain module.edge.aws_acm_certificate_validation.this\n  tfscope explain 'module.app.module.service[\"api\"].aws_ecs_service.this' --format json"
    )]
    Explain {
        /// The resource to explain, as in the configuration (`module.app.aws_ecs_service.this`);
        /// instance keys are accepted.
        address: String,
        /// Environment: evaluates count/for_each with environments/NAME.tfvars (default: variable
        /// defaults and auto-loaded tfvars only).
        #[arg(long)]
        env: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        /// Root module directory (default: . if it holds .tf files, else the bundled modules/).
        dir: Option<PathBuf>,
    },
    /// Apply a scope with Terraform, phase by phase (`all`: every scope in order), each phase's
    /// saved plan verified against tfscope's promise before it is applied.
    #[command(
        after_help = "Examples:\n  tfscope up --scope runtime --env dev\n  tfscope up --scope all --env prod --auto-approve\n  tfscope up --through base --env dev        # infra only: every scope up to base\n  tfscope up --scope all --env dev --dry-run\n  tfscope up --scope all --env dev --from-phase 2\n\nEach phase: terraform plan -out=FILE -target=..., terraform show -json FILE, compare with the\npromise (refuse and change nothing on a mismatch), then terraform apply FILE."
    )]
    Up {
        #[command(flatten)]
        which: Which,
        #[command(flatten)]
        run: RunArgs,
        /// Accept Terraform replacing (or deleting) this object of an earlier scope (instance or
        /// resource address; repeatable).
        #[arg(long, value_name = "ADDR")]
        allow_replace: Vec<String>,
    },
    /// Destroy a scope with Terraform; later scopes go first, since they depend on it. Each
    /// phase's saved plan must delete exactly what tfscope promised, or nothing runs.
    #[command(
        after_help = "Examples:\n  tfscope down --scope runtime --env dev\n  tfscope down --scope base --env dev --auto-approve --allow-cascade --allow-stateful\n\nA down that cascades into another scope, or that destroys a stateful resource without\nallow_destroy, is refused unless --auto-approve comes with --allow-cascade / --allow-stateful.\nEach phase: terraform plan -destroy -out=FILE, terraform show -json FILE, compare, then\nterraform apply FILE; a plan that deletes anything else is refused and nothing changes."
    )]
    Down {
        /// Scope to bring down (with every later scope), or `all`.
        #[arg(long)]
        scope: String,
        #[command(flatten)]
        run: RunArgs,
        /// Accept destroying later scopes too (with --auto-approve).
        #[arg(long)]
        allow_cascade: bool,
        /// Accept destroying stateful resources (with --auto-approve).
        #[arg(long)]
        allow_stateful: bool,
    },
    /// Check Terraform's own plan for a scope against tfscope's promise, applying nothing: exit 0
    /// when every phase agrees, 1 when not (for CI and pull requests).
    #[command(
        after_help = "Examples:\n  tfscope verify --scope runtime --destroy --env dev\n  tfscope verify --scope all --env prod --format markdown >> $GITHUB_STEP_SUMMARY\n  tfscope verify --scope runtime --env dev --format json | jq .phases[].unexpected\n\nRuns terraform plan -out and terraform show -json per phase against the current state;\nTerraform's own output goes to stderr."
    )]
    Verify {
        #[command(flatten)]
        which: Which,
        /// Verify bringing the scope down (it and every later scope).
        #[arg(long, conflicts_with = "through")]
        destroy: bool,
        /// Environment: passes environments/NAME.tfvars with -var-file.
        #[arg(long)]
        env: Option<String>,
        /// Accept Terraform replacing this object of an earlier scope (repeatable).
        #[arg(long, value_name = "ADDR")]
        allow_replace: Vec<String>,
        /// Terraform or OpenTofu binary.
        #[arg(long, value_name = "PATH")]
        tf: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        /// Root module directory (default: . if it holds .tf files, else the bundled modules/).
        dir: Option<PathBuf>,
    },
    /// Show which scopes are up, down or partial, from Terraform state.
    #[command(
        after_help = "Examples:\n  tfscope status --env dev\n  tfscope status --state terraform.tfstate --format json\n  terraform state pull | tfscope status --state -"
    )]
    Status {
        /// Environment: instance counts that depend on its tfvars.
        #[arg(long)]
        env: Option<String>,
        /// A state file (terraform.tfstate, or `terraform show -json` output), or - for stdin.
        /// Default: run `terraform show -json` in the root.
        #[arg(long, value_name = "FILE")]
        state: Option<PathBuf>,
        /// Terraform or OpenTofu binary for `show -json`.
        #[arg(long, value_name = "PATH")]
        tf: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        /// Root module directory (default: . if it holds .tf files, else the bundled modules/).
        dir: Option<PathBuf>,
    },
    /// Write resource-scopes.tf: a generated locals block with each scope's addresses.
    #[command(
        after_help = "Examples:\n  tfscope render\n  tfscope render infra/ --out infra/scopes.tf\n  tfscope render --out -\n\nA file that tfscope did not generate is never replaced without --force."
    )]
    Render {
        /// Root module directory (default: . if it holds .tf files, else the bundled modules/).
        dir: Option<PathBuf>,
        /// Environment: evaluates count/for_each with environments/NAME.tfvars (default: variable
        /// defaults and auto-loaded tfvars only).
        #[arg(long)]
        env: Option<String>,
        /// Output file (default: DIR/resource-scopes.tf), or - for stdout.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Replace the file even if tfscope did not generate it.
        #[arg(long)]
        force: bool,
    },
    /// What each scope costs per month, offline, and what schedules that tear later scopes down save.
    #[command(
        after_help = "Examples:\n  tfscope cost --env dev\n  tfscope cost --env prod --schedule nights --schedule weekends --schedule crunch=84\n  tfscope cost --env dev --usage usage.toml --prices my-prices.toml --format json\n\nPrices: data/prices.toml (us-east-1 on-demand, with sources); --prices adds or replaces entries.\nUsage file (TOML): one table per resource type, e.g. [aws_nat_gateway] gb_processed = 500."
    )]
    Cost {
        /// Root module directory (default: . if it holds .tf files, else the bundled modules/).
        dir: Option<PathBuf>,
        /// Environment: evaluates count/for_each and the priced arguments with
        /// environments/NAME.tfvars.
        #[arg(long)]
        env: Option<String>,
        /// always, nights, weekends, nights-and-weekends, office-hours, or up-hours per week
        /// (HOURS or NAME=HOURS); repeatable. Default: the built-in ones.
        #[arg(long = "schedule", value_name = "NAME|SPEC")]
        schedules: Vec<String>,
        /// The first scope schedules tear down (with every later one). Default: runtime, or the
        /// scope catalog runtime types land in.
        #[arg(long, value_name = "SCOPE")]
        down: Option<String>,
        /// A price file in data/prices.toml's format that adds or replaces entries.
        #[arg(long, value_name = "FILE")]
        prices: Option<PathBuf>,
        /// Usage values per resource type (TOML).
        #[arg(long, value_name = "FILE")]
        usage: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value = "table")]
        format: CostFormat,
    },
    /// Print a provider schema for the mock provider of the end-to-end tests (JSON).
    #[command(hide = true)]
    MockSchema {
        /// Root module directory (default: . if it holds .tf files, else the bundled modules/).
        dir: Option<PathBuf>,
    },
    /// What the configuration uses that the catalog cannot classify, each with a rule for
    /// tfscope.hcl; exit 1 when there is any. Or the catalog's provider coverage, or one type.
    #[command(
        after_help = "Examples:\n  tfscope catalog\n  tfscope catalog infra/ --format json\n  tfscope catalog --type aws_msk_topic\n  tfscope catalog --type Microsoft.Storage/storageAccounts\n  tfscope catalog --coverage --format markdown"
    )]
    Catalog {
        /// Root module directory (default: . if it holds .tf files, else the bundled modules/).
        dir: Option<PathBuf>,
        /// Environment: evaluates count/for_each and generic types' arguments with
        /// environments/NAME.tfvars.
        #[arg(long)]
        env: Option<String>,
        /// Print how many of each covered provider's resource types the catalog lists.
        #[arg(long, conflicts_with = "type_name")]
        coverage: bool,
        /// Say what the catalog knows about this resource type (or ARM type, `Microsoft.X/y`).
        #[arg(long = "type", value_name = "TYPE")]
        type_name: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// CI gate: exit 1 on cycles, scope violations, unprotected stateful resources, or resources
    /// the catalog cannot classify.
    #[command(
        after_help = "Examples:\n  tfscope check\n  tfscope check infra/ --strict --format json"
    )]
    Check {
        /// Also fail on module calls tfscope cannot read (not installed: run terraform init).
        #[arg(long)]
        strict: bool,
        /// Environment: evaluates count/for_each with environments/NAME.tfvars (default: variable
        /// defaults and auto-loaded tfvars only).
        #[arg(long)]
        env: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        /// Root module directory (default: . if it holds .tf files, else the bundled modules/).
        dir: Option<PathBuf>,
    },
}

/// The bundled reference root, used when no DIR is given and `.` has no Terraform files.
pub const REFERENCE_ROOT: &str = "modules";

fn has_tf_files(dir: &Path) -> bool {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .any(|e| crate::load::is_config_file(&e.file_name().to_string_lossy()))
        })
        .unwrap_or(false)
}

fn resolve_dir(dir: Option<PathBuf>) -> PathBuf {
    dir.unwrap_or_else(|| {
        if has_tf_files(Path::new(".")) || !Path::new(REFERENCE_ROOT).is_dir() {
            PathBuf::from(".")
        } else {
            PathBuf::from(REFERENCE_ROOT)
        }
    })
}

use crate::analysis::Analysis;

/// Loads, evaluates (with the environment's tfvars, when `env` names one) and classifies a root.
fn analyse(
    dir: Option<PathBuf>,
    config_path: Option<&Path>,
    env: Option<&str>,
) -> Result<Analysis, Error> {
    analyse_with(dir, config_path, env, crate::load::hcl::Detail::default())
}

fn analyse_with(
    dir: Option<PathBuf>,
    config_path: Option<&Path>,
    env: Option<&str>,
    detail: crate::load::hcl::Detail,
) -> Result<Analysis, Error> {
    let dir = resolve_dir(dir);
    let var_file = env
        .map(|e| crate::load::env::find_env(&dir, e))
        .transpose()?;
    crate::analysis::analyse_with(&dir, config_path, var_file.as_deref(), detail)
}

fn action(destroy: bool) -> Action {
    if destroy {
        Action::Destroy
    } else {
        Action::Apply
    }
}

fn selection(config: &Config, scope: &str) -> Result<Selection, Error> {
    if scope == "all" {
        return Ok(Selection::All);
    }
    config.require_scope(scope).map(Selection::Scope)
}

/// Output that may be cut short by a closed pipe.
struct Out {
    buf: String,
}

impl Out {
    fn line<S: AsRef<str> + Into<String>>(&mut self, s: S) {
        let newline = !s.as_ref().ends_with('\n');
        if self.buf.is_empty() {
            // A command's whole output is often one string (a large JSON document): take it.
            self.buf = s.into();
        } else {
            self.buf.push_str(s.as_ref());
        }
        if newline {
            self.buf.push('\n');
        }
    }
}

/// Runs a parsed command line and returns the exit code.
pub fn run(cli: Cli) -> Exit {
    let quiet = cli.quiet;
    let mut out = Out { buf: String::new() };
    let result = dispatch(cli, &mut out);
    // Data first (stdout), so a pipeline sees it even when a diagnostic follows.
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout
        .write_all(out.buf.as_bytes())
        .and_then(|_| stdout.flush())
    {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("error: writing output: {e}");
            return Exit::Error;
        }
    }
    match result {
        Ok((exit, warnings)) => {
            if !quiet {
                for w in warnings {
                    eprintln!("warning: {w}");
                }
            }
            exit
        }
        Err(e) => {
            eprint!("{}", render_error(&e));
            Exit::Error
        }
    }
}

/// Renders an error as a diagnostic with the offending line, without colour when NO_COLOR is
/// set or stderr is not a terminal.
pub fn render_error(e: &Error) -> String {
    use std::io::IsTerminal;
    let color = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        && std::io::stderr().is_terminal();
    let theme = if color {
        miette::GraphicalTheme::unicode()
    } else {
        miette::GraphicalTheme::unicode_nocolor()
    };
    let mut s = String::new();
    let handler = miette::GraphicalReportHandler::new_themed(theme).with_width(100);
    if handler.render_report(&mut s, e).is_err() {
        s = format!("error: {e}\n");
    }
    s
}

type Outcome = Result<(Exit, Vec<Warning>), Error>;

fn dispatch(cli: Cli, out: &mut Out) -> Outcome {
    let config_path = cli.config.as_deref();
    let quiet = cli.quiet;
    match cli.command {
        Command::Classify { dir, env, format } => {
            let a = analyse(dir, config_path, env.as_deref())?;
            match format {
                Format::Json => out.line(pretty(&crate::output::report::classify_json(
                    &a.graph, &a.class,
                ))),
                _ => out.line(crate::output::report::classify_text(&a.graph, &a.class)),
            }
            Ok((Exit::Ok, finish(a)))
        }
        Command::Targets {
            scope,
            destroy,
            expand,
            env,
            dir,
        } => {
            let a = analyse(dir, config_path, env.as_deref())?;
            let sel = selection(&a.config, &scope)?;
            let action = action(destroy);
            let (want, allowed) = crate::target::wanted(&a.graph, &a.class, sel, action);
            let t = crate::target::compute(&a.graph, want, allowed, action, expand);
            if !t.outside.is_empty() {
                let names: Vec<&str> = t
                    .outside
                    .iter()
                    .map(|&u| a.graph.units[u].address.as_str())
                    .collect();
                return Err(Error::Targets {
                    message: format!(
                        "these targets would also {} resources of scopes they must not touch: {}",
                        action.verb(),
                        names.join(", ")
                    ),
                    help: Some(
                        "run `tfscope check` to see the scope violations behind this".into(),
                    ),
                });
            }
            let rendered = crate::target::render(&a.graph, &t.targets, &a.instances)?;
            if rendered.is_empty() {
                // An empty list is dangerous: `terraform destroy $(tfscope targets ...)` would
                // destroy everything. Say so and fail, so scripts stop.
                let mut warnings = finish(a);
                warnings.push(Warning {
                    location: None,
                    message: format!(
                        "nothing to {} in scope {scope}: no targets printed (an empty -target list makes Terraform act on everything)",
                        action.verb()
                    ),
                });
                return Ok((Exit::Findings, warnings));
            }
            for addr in rendered {
                out.line(crate::load::address::target_flag(&addr));
            }
            Ok((Exit::Ok, finish(a)))
        }
        Command::Plan {
            which,
            destroy,
            env,
            expand,
            format,
            dir,
        } => {
            let a = analyse(dir, config_path, env.as_deref())?;
            let sel = which.selection(&a.config)?;
            let action = action(destroy);
            let invocation = crate::run::invocation::Invocation::new(&a.dir, a.var_file.as_deref());
            let request = crate::target::plan::PlanRequest {
                selection: sel,
                action,
                expand,
                instances: &a.instances,
                command: &|action, targets| invocation.command(action, targets),
                env,
            };
            let plan = crate::target::plan::plan(&a.graph, &a.class, request)?;
            match format {
                Format::Json => out.line(pretty(&crate::output::report::plan_json(&plan))),
                Format::Markdown => out.line(crate::output::report::plan_markdown(&plan)),
                Format::Text => out.line(crate::output::report::plan_text(&plan)),
            }
            let violated = plan.phases.iter().any(|p| !p.outside.is_empty());
            Ok((if violated { Exit::Findings } else { Exit::Ok }, finish(a)))
        }
        Command::Explain {
            address,
            env,
            format,
            dir,
        } => {
            let a = analyse(dir, config_path, env.as_deref())?;
            if let Some(m) = crate::target::explain::explain_module(&a.graph, &a.class, &address) {
                match format {
                    Format::Json => out.line(pretty(&m)),
                    _ => out.line(crate::output::report::explain_module_text(&m)),
                }
                return Ok((Exit::Ok, finish(a)));
            }
            if let Some(absent) = crate::target::explain::explain_absent(&a.graph, &address) {
                match format {
                    Format::Json => out.line(pretty(&serde_json::json!({
                        "address": absent.address,
                        "absent": true,
                        "why": absent.why,
                    }))),
                    _ => out.line(crate::output::report::explain_absent_text(absent)),
                }
                return Ok((Exit::Ok, finish(a)));
            }
            let e = crate::target::explain::explain(&a.graph, &a.class, &address)?;
            match format {
                Format::Json => out.line(pretty(&e)),
                _ => out.line(crate::output::report::explain_text(&e)),
            }
            Ok((Exit::Ok, finish(a)))
        }
        Command::Up {
            which,
            mut run,
            allow_replace,
        } => {
            run.quiet = quiet;
            let flag = which.flag();
            run_scope(
                flag,
                |c| which.selection(c),
                run,
                Action::Apply,
                crate::run::consent::Consent::default(),
                allow_replace,
                config_path,
                out,
            )
        }
        Command::Down {
            scope,
            mut run,
            allow_cascade,
            allow_stateful,
        } => {
            run.quiet = quiet;
            let consent = crate::run::consent::Consent {
                auto_approve: run.auto_approve,
                allow_cascade,
                allow_stateful,
            };
            let which = format!("--scope {}", crate::load::address::shell_quote(&scope));
            run_scope(
                which,
                |c| selection(c, &scope),
                run,
                Action::Destroy,
                consent,
                Vec::new(),
                config_path,
                out,
            )
        }
        Command::Verify {
            which,
            destroy,
            env,
            allow_replace,
            tf,
            format,
            dir,
        } => {
            let Prepared {
                a,
                plan,
                invocation,
                ..
            } = prepare(
                dir,
                config_path,
                env,
                |c| which.selection(c),
                action(destroy),
                (tf.as_deref(), false),
            )?;
            let verifier = crate::run::verify::Verifier {
                graph: &a.graph,
                class: &a.class,
                instances: &a.instances,
                allow_replace: &allow_replace,
            };
            let ran = crate::run::verify(
                &plan,
                &invocation,
                &a.dir,
                &verifier,
                &mut std::io::stderr(),
            )?;
            let checks = match ran {
                crate::run::Verified::Checked(checks) => checks,
                crate::run::Verified::Failed { phase, code } => {
                    eprintln!("tfscope: terraform failed while planning phase {phase} (exit {code}); nothing was verified");
                    return Ok((Exit::Error, a.warnings));
                }
                crate::run::Verified::Interrupted { phase } => {
                    eprintln!("tfscope: interrupted while planning phase {phase}");
                    return Ok((Exit::Interrupted, a.warnings));
                }
            };
            let v = crate::run::verify::Verification::new(&plan, checks);
            match format {
                Format::Json => out.line(pretty(&crate::output::report::verify_json(&v))),
                Format::Markdown => out.line(crate::output::report::verify_markdown(&v)),
                Format::Text => out.line(crate::output::report::verify_text(&v)),
            }
            let exit = if v.agrees { Exit::Ok } else { Exit::Findings };
            Ok((exit, a.warnings))
        }
        Command::Status {
            env,
            state,
            tf,
            format,
            dir,
        } => {
            let a = analyse(dir, config_path, env.as_deref())?;
            let (text, origin) = read_state(&a.dir, state.as_deref(), tf.as_deref())?;
            let doc: serde_json::Value = serde_json::from_str(&text).map_err(|e| Error::State {
                origin: origin.clone(),
                message: e.to_string(),
            })?;
            let present = crate::run::status::resources_in_state(&doc)
                .map_err(|message| Error::State { origin, message })?;
            let s = crate::run::status::status(&a.graph, &a.class, &present, env);
            match format {
                Format::Json => out.line(pretty(&s)),
                _ => out.line(crate::output::report::status_text(&s)),
            }
            Ok((Exit::Ok, finish(a)))
        }
        Command::Render {
            dir,
            env,
            out: file,
            force,
        } => {
            let a = analyse(dir, config_path, env.as_deref())?;
            let text = crate::output::hcl::render(&a.graph, &a.class);
            let path = file.unwrap_or_else(|| a.dir.join(crate::output::hcl::FILE_NAME));
            if path == Path::new("-") {
                out.line(text);
                return Ok((Exit::Ok, finish(a)));
            }
            let what = match crate::output::hcl::write(&path, &text, force)? {
                crate::output::hcl::Written::Created => "wrote",
                crate::output::hcl::Written::Updated => "updated",
                crate::output::hcl::Written::Unchanged => "up to date:",
            };
            eprintln!("tfscope: {what} {}", crate::error::display_path(&path));
            Ok((Exit::Ok, finish(a)))
        }
        Command::Cost {
            dir,
            env,
            schedules,
            down,
            prices,
            usage,
            format,
        } => {
            let a = analyse(dir, config_path, env.as_deref())?;
            let estimate = cost(
                &a,
                env,
                &schedules,
                down.as_deref(),
                prices.as_deref(),
                usage.as_deref(),
            )?;
            match format {
                CostFormat::Json => out.line(pretty(&crate::cost::render::json(&estimate))),
                CostFormat::Markdown => out.line(crate::cost::render::markdown(&estimate)),
                CostFormat::Table => out.line(crate::cost::render::table(&estimate)),
                CostFormat::Html => out.line(crate::cost::render::html(&estimate)),
            }
            Ok((Exit::Ok, finish(a)))
        }
        Command::MockSchema { dir } => {
            let detail = crate::load::hcl::Detail {
                shapes: true,
                ..Default::default()
            };
            let a = analyse_with(dir, config_path, None, detail)?;
            let schema = crate::output::mock_schema::derive(&a.loaded);
            out.line(pretty(&schema));
            Ok((Exit::Ok, finish(a)))
        }
        Command::Catalog {
            dir,
            env,
            coverage,
            type_name,
            format,
        } => {
            let catalog = crate::classify::catalog::Catalog::builtin();
            if coverage {
                match format {
                    Format::Json => out.line(pretty(
                        &serde_json::to_value(catalog.coverage()).expect("serializes"),
                    )),
                    f => out.line(crate::classify::gaps::coverage_text(
                        catalog,
                        matches!(f, Format::Markdown),
                    )),
                }
                return Ok((Exit::Ok, Vec::new()));
            }
            if let Some(name) = type_name {
                return match crate::classify::gaps::describe_type(catalog, &name) {
                    Some(text) => {
                        out.line(text);
                        Ok((Exit::Ok, Vec::new()))
                    }
                    None => {
                        out.line(format!(
                            "{name}: not in the catalog; a resource of this type is kept in the earliest scope until a rule or tag classifies it"
                        ));
                        Ok((Exit::Findings, Vec::new()))
                    }
                };
            }
            let a = analyse(dir, config_path, env.as_deref())?;
            let gaps = crate::classify::gaps::gaps(&a.graph, &a.class, &a.config, catalog);
            match format {
                Format::Json => out.line(pretty(&crate::classify::gaps::gaps_json(&gaps))),
                _ => out.line(crate::classify::gaps::gaps_text(&gaps)),
            }
            let exit = if gaps.is_empty() {
                Exit::Ok
            } else {
                Exit::Findings
            };
            Ok((exit, finish(a)))
        }
        Command::Check {
            strict,
            env,
            format,
            dir,
        } => {
            let (findings, warnings) = match analyse(dir, config_path, env.as_deref()) {
                Ok(a) => {
                    let mut findings = crate::classify::check::check(&a.graph, &a.class, strict);
                    if let Some(file) = crate::output::hcl::stale(&a.dir, &a.graph, &a.class) {
                        findings.push(crate::classify::check::Finding {
                            kind: crate::classify::check::FindingKind::Stale,
                            address: None,
                            location: None,
                            message: format!(
                                "{file} is stale: it no longer matches the configuration; run `tfscope render`"
                            ),
                        });
                    }
                    (findings, finish(a))
                }
                Err(Error::Cycle { cycle }) => (
                    vec![crate::classify::check::Finding {
                        kind: crate::classify::check::FindingKind::Cycle,
                        address: None,
                        location: None,
                        message: format!("dependency cycle: {}", cycle.join(" -> ")),
                    }],
                    Vec::new(),
                ),
                Err(e) => return Err(e),
            };
            match format {
                Format::Json => out.line(pretty(&crate::output::report::check_json(&findings))),
                _ => out.line(crate::output::report::check_text(&findings)),
            }
            let exit = if findings.is_empty() {
                Exit::Ok
            } else {
                Exit::Findings
            };
            Ok((exit, warnings))
        }
    }
}

/// Ends a command with its analysis: keeps the warnings and leaks the rest. The process exits
/// right after the output is written, and freeing a large configuration piece by piece costs
/// more than the command's own output (issue 11); the operating system reclaims it at once.
/// Only for the command layer: library code never leaks.
fn finish(mut a: Analysis) -> Vec<Warning> {
    let warnings = std::mem::take(&mut a.warnings);
    std::mem::forget(a);
    warnings
}

/// What `up`, `down` and `verify` start from: the analysis, the plan and how to call Terraform.
struct Prepared {
    a: Analysis,
    selection: Selection,
    plan: crate::target::plan::Plan,
    invocation: crate::run::invocation::Invocation,
}

/// Analyses the root, plans `selection` for `action` and resolves the Terraform binary (a dry
/// run prints `terraform` when there is none).
fn prepare(
    dir: Option<PathBuf>,
    config_path: Option<&Path>,
    env: Option<String>,
    pick: impl FnOnce(&Config) -> Result<Selection, Error>,
    action: Action,
    (tf, dry_run): (Option<&Path>, bool),
) -> Result<Prepared, Error> {
    let dir = resolve_dir(dir);
    let var_file = env
        .as_deref()
        .map(|e| crate::load::env::find_env(&dir, e))
        .transpose()?;
    let a = crate::analysis::analyse(&dir, config_path, var_file.as_deref())?;
    let selection = pick(&a.config)?;
    let binary = match crate::run::find_terraform(tf) {
        Ok(b) => b.path.display().to_string(),
        Err(_) if dry_run => "terraform".to_string(),
        Err(e) => return Err(e),
    };
    let mut invocation = crate::run::invocation::Invocation::new(&a.dir, var_file.as_deref());
    invocation.binary = binary;
    let request = crate::target::plan::PlanRequest {
        selection,
        action,
        expand: false,
        instances: &a.instances,
        command: &|action, targets| invocation.command(action, targets),
        env,
    };
    let plan = crate::target::plan::plan(&a.graph, &a.class, request)?;
    Ok(Prepared {
        a,
        selection,
        plan,
        invocation,
    })
}

/// `up` and `down`: plan, refuse what needs explicit consent, then run Terraform phase by phase,
/// each phase's saved plan verified against the promise unless `--no-verify`.
#[allow(clippy::too_many_arguments)]
fn run_scope(
    which: String,
    pick: impl FnOnce(&Config) -> Result<Selection, Error>,
    run: RunArgs,
    action: Action,
    consent: crate::run::consent::Consent,
    allow_replace: Vec<String>,
    config_path: Option<&Path>,
    out: &mut Out,
) -> Outcome {
    let verb = if action == Action::Apply {
        "up"
    } else {
        "down"
    };
    let Prepared {
        a,
        selection,
        plan,
        mut invocation,
    } = prepare(
        run.dir.clone(),
        config_path,
        run.env.clone(),
        pick,
        action,
        (run.tf.as_deref(), run.dry_run),
    )?;
    invocation.auto_approve = run.auto_approve;
    let mut warnings = a.warnings;
    if plan.phases.is_empty() {
        warnings.push(Warning {
            location: None,
            message: format!("nothing to {verb}: scope {} has no resources", plan.scope),
        });
        return Ok((Exit::Ok, warnings));
    }
    crate::run::consent::check_consent(&plan, selection, consent)?;
    // Before `down`: what it destroys that `up` cannot simply bring back.
    for h in plan.phases.iter().flat_map(|p| &p.hazards) {
        warnings.push(Warning {
            location: Some(h.location.clone()),
            message: h.message.clone(),
        });
    }
    if run.from_phase == 0 || run.from_phase > plan.phases.len() {
        return Err(Error::Refused {
            message: format!(
                "--from-phase {} is out of range: this plan has {} phase(s)",
                run.from_phase,
                plan.phases.len()
            ),
            help: Some(format!(
                "run `tfscope {verb} {which} --dry-run` to see them"
            )),
        });
    }
    let verified = !run.no_verify;
    if run.dry_run {
        for phase in plan.phases.iter().filter(|p| p.number >= run.from_phase) {
            if verified {
                let file = Path::new("PLANFILE");
                out.line(invocation.shell(&invocation.plan_args(
                    phase.action,
                    &phase.targets,
                    file,
                )));
                out.line(invocation.shell(&invocation.show_args(file)));
                out.line(invocation.shell(&invocation.apply_plan_args(file)));
            } else {
                out.line(&phase.command);
            }
        }
        return Ok((Exit::Ok, warnings));
    }
    if !verified {
        warnings.push(Warning {
            location: None,
            message: "--no-verify: Terraform runs apply/destroy -target=... directly; nothing checks its plan against tfscope's promise, so a wrong classification or drifted state can change objects of other scopes".into(),
        });
    }
    // Warnings now, before Terraform's output.
    for w in warnings.drain(..) {
        if !run.quiet {
            eprintln!("warning: {w}");
        }
    }
    let verifier = crate::run::verify::Verifier {
        graph: &a.graph,
        class: &a.class,
        instances: &a.instances,
        allow_replace: &allow_replace,
    };
    let job = crate::run::Run {
        plan: &plan,
        invocation: &invocation,
        root: &a.dir,
        from_phase: run.from_phase,
        verifier: verified.then_some(&verifier),
    };
    let outcome = crate::run::run(&job, &mut std::io::stderr(), &mut std::io::stdin().lock())?;
    let resume = |phase: usize| {
        let mut r = format!("tfscope {verb} {which}");
        if let Some(e) = &run.env {
            r.push_str(&format!(" --env {}", crate::load::address::shell_quote(e)));
        }
        if run.auto_approve {
            r.push_str(" --auto-approve");
        }
        if consent.allow_cascade {
            r.push_str(" --allow-cascade");
        }
        if consent.allow_stateful {
            r.push_str(" --allow-stateful");
        }
        for a in &allow_replace {
            r.push_str(&format!(
                " --allow-replace {}",
                crate::load::address::shell_quote(a)
            ));
        }
        if run.no_verify {
            r.push_str(" --no-verify");
        }
        if let Some(t) = &run.tf {
            r.push_str(&format!(
                " --tf {}",
                crate::load::address::shell_quote(&t.display().to_string())
            ));
        }
        r.push_str(&format!(" --from-phase {phase}"));
        if let Some(d) = &run.dir {
            r.push_str(&format!(
                " {}",
                crate::load::address::shell_quote(&d.display().to_string())
            ));
        }
        r
    };
    let total = plan.phases.len();
    let name = |phase: usize| {
        let p = &plan.phases[phase - 1];
        format!("phase {phase}/{total} ({} {})", p.action.verb(), p.scope)
    };
    use crate::run::Outcome as Ran;
    match outcome {
        Ran::Done { phases } => {
            eprintln!("tfscope: {verb} {}: done ({phases} phase(s))", plan.scope);
            Ok((Exit::Ok, warnings))
        }
        Ran::Failed { phase: 0, code } => {
            eprintln!(
                "tfscope: terraform init failed (exit {code}); fix it and run the same command again"
            );
            Ok((Exit::Terraform(code), warnings))
        }
        Ran::Failed { phase, code } => {
            eprintln!(
                "tfscope: {} failed: terraform exited with {code}",
                name(phase)
            );
            eprintln!("hint: fix the problem, then resume with: {}", resume(phase));
            Ok((Exit::Terraform(code), warnings))
        }
        Ran::Refused { phase, check } => {
            eprintln!(
                "tfscope: refusing {}: Terraform's plan does not keep tfscope's promise; nothing was applied",
                name(phase)
            );
            eprint!("{}", crate::output::report::phase_check_table(&check));
            eprintln!("hint: `tfscope explain ADDRESS` shows why tfscope scoped an address; fix the rules, or the drifted state, then run the same command again");
            Ok((Exit::Findings, warnings))
        }
        Ran::Declined { phase } => {
            eprintln!(
                "tfscope: {} not applied: the answer was not 'yes'",
                name(phase)
            );
            eprintln!("hint: resume with: {}", resume(phase));
            Ok((Exit::Findings, warnings))
        }
        Ran::Interrupted { phase } => {
            eprintln!(
                "tfscope: interrupted during {}: Terraform was asked to stop and has stopped; its state records what it finished",
                name(phase)
            );
            eprintln!(
                "hint: see what is up with `tfscope status`; resume with: {}",
                resume(phase)
            );
            Ok((Exit::Interrupted, warnings))
        }
    }
}

/// The state document: a file, stdin, or `terraform show -json` in the root.
fn read_state(
    root: &Path,
    state: Option<&Path>,
    tf: Option<&Path>,
) -> Result<(String, String), Error> {
    use std::io::Read;
    match state {
        Some(p) if p == Path::new("-") => {
            let mut text = String::new();
            std::io::stdin()
                .read_to_string(&mut text)
                .map_err(|source| Error::Io {
                    path: PathBuf::from("<stdin>"),
                    source,
                })?;
            Ok((text, "standard input".into()))
        }
        Some(p) => {
            let text = std::fs::read_to_string(p).map_err(|source| Error::Io {
                path: p.to_path_buf(),
                source,
            })?;
            Ok((text, crate::error::display_path(p)))
        }
        None => {
            let binary = crate::run::find_terraform(tf)?;
            let output = std::process::Command::new(&binary.path)
                .arg(format!("-chdir={}", root.display()))
                .args(["show", "-json", "-no-color"])
                .output()
                .map_err(|source| Error::Spawn {
                    binary: binary.path.display().to_string(),
                    source,
                })?;
            let origin = format!("`terraform show -json` in {}", root.display());
            if !output.status.success() {
                return Err(Error::State {
                    origin,
                    message: String::from_utf8_lossy(&output.stderr).trim().to_string(),
                });
            }
            Ok((String::from_utf8_lossy(&output.stdout).into_owned(), origin))
        }
    }
}

fn cost(
    a: &Analysis,
    env: Option<String>,
    schedules: &[String],
    down: Option<&str>,
    prices: Option<&Path>,
    usage: Option<&Path>,
) -> Result<crate::cost::estimate::Estimate, Error> {
    use crate::cost::price::Catalog;
    use crate::cost::schedule::Schedule;
    let input_error = |message: String| Error::Refused {
        message,
        help: None,
    };
    let mut catalog = Catalog::builtin();
    if let Some(p) = prices {
        let text = std::fs::read_to_string(p).map_err(|source| Error::Io {
            path: p.to_path_buf(),
            source,
        })?;
        catalog.extend(Catalog::parse(&crate::error::display_path(p), &text).map_err(input_error)?);
    }
    let usage: crate::cost::estimate::Usage = match usage {
        Some(p) => {
            let text = std::fs::read_to_string(p).map_err(|source| Error::Io {
                path: p.to_path_buf(),
                source,
            })?;
            toml::from_str(&text)
                .map_err(|e| input_error(format!("{}: {e}", crate::error::display_path(p))))?
        }
        None => Default::default(),
    };
    let schedules: Vec<Schedule> = if schedules.is_empty() {
        Schedule::builtin()
    } else {
        let mut list = vec![Schedule::always()];
        for s in schedules {
            list.push(Schedule::parse(s).map_err(input_error)?);
        }
        list
    };
    let down_from = match down {
        Some(name) => a.config.require_scope(name)?,
        None => a.config.catalog_runtime,
    };
    let types: std::collections::BTreeSet<String> = catalog
        .entries
        .iter()
        .map(|e| e.resource_type.clone())
        .collect();
    let evaluated =
        crate::cost::evaluate::Evaluator::run(&a.loaded, a.var_file.as_deref(), &types)?;
    let request = crate::cost::estimate::Request {
        catalog: &catalog,
        usage: &usage,
        schedules: &schedules,
        down_from,
        env,
    };
    let estimate = crate::cost::estimate::estimate(
        &a.graph,
        &a.class,
        &evaluated.instances,
        &evaluated.uncounted,
        request,
    );
    // Like the analysis (see `finish`): the process exits after printing, so the evaluated
    // instances are left to the operating system rather than freed one by one.
    std::mem::forget(evaluated);
    Ok(estimate)
}

fn pretty<T: serde::Serialize + ?Sized>(v: &T) -> String {
    serde_json::to_string_pretty(v).expect("JSON values serialize")
}

#[cfg(test)]
mod tests {
    //! The command-line definition itself: stable exit codes and a consistent clap tree.

    use super::*;

    #[test]
    fn exit_codes_are_stable() {
        assert_eq!(Exit::Ok.code(), 0);
        assert_eq!(Exit::Findings.code(), 1);
        assert_eq!(Exit::Error.code(), 2);
        assert_eq!(Exit::Terraform(3).code(), 3);
        assert_eq!(Exit::Interrupted.code(), 130);
    }

    #[test]
    fn the_cli_definition_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
