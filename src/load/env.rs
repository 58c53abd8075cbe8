//! Environments: `NAME.tfvars` files in an `environments/` folder beside or above the root
//! module. Owns where tfscope looks for them, not what they contain (evaluation reads them).

use std::path::{Path, PathBuf};

use crate::error::Error;

/// Finds `environments/NAME.tfvars` beside or above the root module, or in the current directory.
pub fn find_env(root: &Path, name: &str) -> Result<PathBuf, Error> {
    let file = format!("{name}.tfvars");
    let tried: Vec<PathBuf> = vec![
        root.join("environments").join(&file),
        root.join("..").join("environments").join(&file),
        PathBuf::from("environments").join(&file),
    ];
    tried
        .iter()
        .find(|p| p.is_file())
        .map(|p| super::normalize(p))
        .ok_or(Error::UnknownEnv {
            name: name.to_string(),
            tried,
        })
}

#[cfg(test)]
mod tests {
    //! Where tfscope looks for an environment's tfvars file.

    use super::*;

    #[test]
    fn an_unknown_environment_lists_where_it_looked() {
        let tmp = tempfile::tempdir().unwrap();
        let err = find_env(tmp.path(), "nope").unwrap_err().to_string();
        assert!(
            err.contains("environment \"nope\": no tfvars file"),
            "{err}"
        );
        assert!(err.contains("environments/nope.tfvars"), "{err}");
    }
}
