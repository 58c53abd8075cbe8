//! Test support for the unit tests: write a configuration tree into a temporary directory and
//! run the pipeline on it. Compiled for tests only.

use tempfile::TempDir;

use crate::classify::catalog::Catalog;
use crate::classify::config::Config;
use crate::classify::{classify, Classification};
use crate::error::Error;
use crate::graph::ResourceGraph;

/// Writes `(relative path, text)` files into a fresh temporary directory.
pub fn tree(files: &[(&str, &str)]) -> TempDir {
    let tmp = tempfile::tempdir().expect("temporary directory");
    for (rel, text) in files {
        let path = tmp.path().join(rel);
        std::fs::create_dir_all(path.parent().expect("has a parent")).expect("mkdir");
        std::fs::write(path, text).expect("write fixture file");
    }
    tmp
}

/// Loads a tree and builds its graph (variable defaults only; units without instances left out).
pub fn graph(files: &[(&str, &str)]) -> Result<ResourceGraph, Error> {
    let tmp = tree(files);
    let detail = crate::load::hcl::Detail {
        kept: crate::classify::kept_arguments,
        ..Default::default()
    };
    let loaded = crate::load::load_with(tmp.path(), detail)?;
    let instances = crate::eval::instances::Instances::evaluate(&loaded, None)?;
    Ok(
        crate::graph::build(&loaded, &Catalog::builtin().principal_args())?
            .for_environment(&instances),
    )
}

/// Analyses a tree with a `tfscope.hcl` text (empty: the defaults) and no environment.
pub fn analysis(files: &[(&str, &str)], config: &str) -> crate::analysis::Analysis {
    let tmp = tree(files);
    if !config.is_empty() {
        std::fs::write(tmp.path().join("tfscope.hcl"), config).expect("write tfscope.hcl");
    }
    crate::analysis::analyse(tmp.path(), None, None).expect("fixture analyses")
}

/// Loads, builds and classifies a tree with a `tfscope.hcl` text (empty: the defaults).
pub fn analyse(files: &[(&str, &str)], config: &str) -> (ResourceGraph, Classification) {
    let graph = graph(files).expect("fixture loads");
    let config = if config.is_empty() {
        Config::default()
    } else {
        Config::parse("tfscope.hcl", config).expect("fixture config parses")
    };
    let class = classify(&graph, &config, Catalog::builtin());
    (graph, class)
}
