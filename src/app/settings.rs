//! Settings: what a command resolves once from its arguments before it calls the library: the
//! root module (the bundled `modules/` when none is given), the configuration file, the
//! environment with its tfvars file, and whether warnings are printed. Owns those defaults, not
//! the analysis.

use std::path::{Path, PathBuf};

use crate::analysis::Analysis;
use crate::app::args::Cli;
use crate::error::Error;
use crate::load::hcl::Detail;
use crate::run::invocation::Invocation;

/// The bundled reference root, used when no DIR is given and `.` has no Terraform files.
pub const REFERENCE_ROOT: &str = "modules";

/// The flags every command takes (`--config`, `--quiet`).
#[derive(Debug, Clone, Default)]
pub struct Global {
    pub config: Option<PathBuf>,
    pub quiet: bool,
}

impl Global {
    pub fn of(cli: &Cli) -> Global {
        Global {
            config: cli.config.clone(),
            quiet: cli.quiet,
        }
    }
}

/// One command's view of the root it works on.
#[derive(Debug, Clone)]
pub struct Settings {
    pub root: PathBuf,
    pub config: Option<PathBuf>,
    pub env: Option<String>,
    /// `environments/ENV.tfvars`, found once.
    pub var_file: Option<PathBuf>,
    pub quiet: bool,
}

impl Settings {
    /// Resolves DIR and `--env`: an unknown environment is an error here, before any parsing.
    pub fn resolve(
        global: &Global,
        dir: Option<PathBuf>,
        env: Option<String>,
    ) -> Result<Settings, Error> {
        let root = root_or_default(dir);
        let var_file = env
            .as_deref()
            .map(|e| crate::load::env::find_env(&root, e))
            .transpose()?;
        Ok(Settings {
            root,
            config: global.config.clone(),
            env,
            var_file,
            quiet: global.quiet,
        })
    }

    /// Loads, evaluates (with the environment's tfvars) and classifies the root.
    pub fn analyse(&self) -> Result<Analysis, Error> {
        self.analyse_with(Detail::default())
    }

    /// [`Settings::analyse`], keeping `detail` from every parsed file.
    pub fn analyse_with(&self, detail: Detail) -> Result<Analysis, Error> {
        crate::analysis::analyse_with(
            &self.root,
            self.config.as_deref(),
            self.var_file.as_deref(),
            detail,
        )
    }

    /// How Terraform runs for this root and environment. A dry run that finds no Terraform
    /// prints `terraform`.
    pub fn invocation(&self, tf: Option<&Path>, dry_run: bool) -> Result<Invocation, Error> {
        let binary = match crate::run::find_terraform(tf) {
            Ok(b) => b.path.display().to_string(),
            Err(_) if dry_run => "terraform".to_string(),
            Err(e) => return Err(e),
        };
        Ok(Invocation {
            binary,
            ..Invocation::new(&self.root, self.var_file.as_deref())
        })
    }
}

/// DIR, else `.` when it holds Terraform files (or there is no bundled root), else the bundled
/// reference root.
pub fn root_or_default(dir: Option<PathBuf>) -> PathBuf {
    dir.unwrap_or_else(|| {
        if has_config_files(Path::new(".")) || !Path::new(REFERENCE_ROOT).is_dir() {
            PathBuf::from(".")
        } else {
            PathBuf::from(REFERENCE_ROOT)
        }
    })
}

fn has_config_files(dir: &Path) -> bool {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .any(|e| crate::load::is_config_file(&e.file_name().to_string_lossy()))
        })
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    //! Settings resolve DIR and the environment once, with an error for an unknown environment.

    use super::*;

    #[test]
    fn an_explicit_root_and_its_environment_resolve_to_the_tfvars_file() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("infra");
        std::fs::create_dir_all(root.join("environments")).unwrap();
        std::fs::write(root.join("environments/dev.tfvars"), "").unwrap();
        let global = Global {
            config: None,
            quiet: true,
        };
        let s = Settings::resolve(&global, Some(root.clone()), Some("dev".into())).unwrap();
        assert_eq!(s.root, root);
        assert_eq!(s.var_file, Some(root.join("environments/dev.tfvars")));
        assert!(s.quiet);
        let err = Settings::resolve(&global, Some(root), Some("nowhere".into())).unwrap_err();
        assert!(err.to_string().contains("environment \"nowhere\""), "{err}");
    }
}
