//! One root analysed for one environment: the configuration loaded, its instances evaluated
//! with the environment's variables, the dependency graph built without the units that have no
//! instance there, and every unit classified. Every command starts from an [`Analysis`].

use std::path::{Path, PathBuf};

use crate::classify::catalog::Catalog;
use crate::classify::config::Config;
use crate::classify::{classify, Classification};
use crate::error::{Error, Warning};
use crate::eval::instances::Instances;
use crate::graph::ResourceGraph;
use crate::load::hcl::Detail;
use crate::load::Configuration;

/// Everything loaded, evaluated and classified for one root and environment.
pub struct Analysis {
    pub dir: PathBuf,
    /// The environment's tfvars file the keys were evaluated with (also what Terraform gets
    /// with -var-file).
    pub var_file: Option<PathBuf>,
    pub loaded: Configuration,
    pub config: Config,
    pub instances: Instances,
    pub graph: ResourceGraph,
    pub class: Classification,
    pub warnings: Vec<Warning>,
}

/// Analyses the root `dir` with the tfscope configuration at `config_path` (default:
/// `DIR/tfscope.hcl` when present) and the environment's tfvars file `var_file`.
pub fn analyse(
    dir: &Path,
    config_path: Option<&Path>,
    var_file: Option<&Path>,
) -> Result<Analysis, Error> {
    analyse_with(dir, config_path, var_file, Detail::default())
}

/// [`analyse`], keeping `detail` from every parsed file (`tfscope mock-schema`).
pub fn analyse_with(
    dir: &Path,
    config_path: Option<&Path>,
    var_file: Option<&Path>,
    detail: Detail,
) -> Result<Analysis, Error> {
    let config = Config::discover(dir, config_path)?;
    // Classification reads some arguments per instance (generic types, recreate hazards).
    let detail = Detail {
        kept: crate::classify::kept_arguments,
        ..detail
    };
    let loaded = crate::load::load_with(dir, detail)?;
    // Instance keys and the graph only read the loaded files: build them side by side. An
    // evaluation error still wins over a graph error, as when they ran one after the other.
    let (instances, graph) = rayon::join(
        || Instances::evaluate(&loaded, var_file),
        || crate::graph::build(&loaded, &Catalog::builtin().principal_args()),
    );
    let instances = instances?;
    let graph = graph?.for_environment(&instances);
    let class = classify(&graph, &config, Catalog::builtin());
    let mut warnings = loaded.warnings.clone();
    warnings.extend(graph.warnings.iter().cloned());
    warnings.extend(class.warnings.iter().cloned());
    Ok(Analysis {
        dir: dir.to_path_buf(),
        var_file: var_file.map(Path::to_path_buf),
        loaded,
        config,
        instances,
        graph,
        class,
        warnings,
    })
}
