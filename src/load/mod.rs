//! Loads a configuration from disk: the `.tf` files of the root module and, recursively, of every
//! module call whose source is local (`./x`, `../x`) or was installed by `terraform init`
//! (`.terraform/modules/modules.json`). Files are parsed in parallel; results are sorted so that
//! output never depends on thread timing. A call whose source cannot be resolved stays one
//! opaque node and produces a warning. Owns file discovery and module resolution, not the graph.

pub mod address;
pub mod env;
pub mod hcl;
pub mod hcl_syntax;
pub mod json;
pub mod model;

use std::collections::{BTreeMap, HashMap};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::error::{display_path, Error, Warning};
use crate::load::address::ModulePath;
use crate::load::hcl::{parse_file_with, Detail};
use crate::load::model::{FileModel, Item, ItemKind};

/// Module nesting deeper than this is almost surely a module calling itself.
const MAX_DEPTH: usize = 32;

/// A loaded configuration: the root module and every module instance under it.
#[derive(Debug)]
pub struct Configuration {
    pub root_dir: PathBuf,
    /// Sorted by path; the root module comes first.
    pub modules: Vec<Module>,
    pub warnings: Vec<Warning>,
}

/// How a module's source was resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Root,
    Local,
    /// Installed by `terraform init`, found through modules.json.
    Installed,
}

/// One static module instance (one per call path, whatever its count/for_each).
#[derive(Debug, Clone)]
pub struct Module {
    pub path: ModulePath,
    pub dir: PathBuf,
    pub origin: Origin,
    /// The items of all its files, in file order. Shared between calls of the same directory.
    pub items: Arc<Vec<Item>>,
}

impl Configuration {
    pub fn module(&self, path: &ModulePath) -> Option<&Module> {
        self.modules
            .binary_search_by(|m| m.path.cmp(path))
            .ok()
            .map(|i| &self.modules[i])
    }
}

#[derive(serde::Deserialize)]
struct ModulesJson {
    #[serde(rename = "Modules", default)]
    modules: Vec<ModulesJsonEntry>,
}

#[derive(serde::Deserialize)]
struct ModulesJsonEntry {
    #[serde(rename = "Key")]
    key: String,
    #[serde(rename = "Dir")]
    dir: String,
}

/// Loads the configuration rooted at `root`.
pub fn load(root: &Path) -> Result<Configuration, Error> {
    load_with(root, Detail::default())
}

/// Loads the configuration rooted at `root`, keeping `detail` from every file.
pub fn load_with(root: &Path, detail: Detail) -> Result<Configuration, Error> {
    check_directory(root)?;
    let installed = read_modules_json(root)?;
    let mut warnings = Vec::new();
    let mut parsed: HashMap<PathBuf, Arc<Vec<Item>>> = HashMap::new();
    let mut modules = Vec::new();
    let mut level = vec![(ModulePath::root(), normalize(root), Origin::Root)];
    let mut depth = 0;

    while !level.is_empty() {
        parse_new_dirs(&level, detail, &mut parsed, &mut warnings)?;
        let calls = Calls {
            root,
            installed: &installed,
            depth,
        };
        let mut next = Vec::new();
        for (path, dir, origin) in level {
            let items = parsed[&dir].clone();
            if items.is_empty() && origin == Origin::Root {
                return Err(Error::EmptyDirectory { dir });
            }
            let module = Module {
                path,
                dir,
                origin,
                items,
            };
            calls.resolve(&module, &mut next, &mut warnings)?;
            modules.push(module);
        }
        level = next;
        depth += 1;
    }
    modules.sort_by(|a, b| a.path.cmp(&b.path));
    warnings.sort();
    warnings.dedup();
    Ok(Configuration {
        root_dir: normalize(root),
        modules,
        warnings,
    })
}

/// A module instance still to load: its path, directory and how its source was resolved.
type Pending = (ModulePath, PathBuf, Origin);

/// An error unless `root` is a directory.
fn check_directory(root: &Path) -> Result<(), Error> {
    let meta = std::fs::metadata(root).map_err(|source| Error::Io {
        path: root.to_path_buf(),
        source,
    })?;
    if !meta.is_dir() {
        return Err(Error::Io {
            path: root.to_path_buf(),
            source: std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a directory"),
        });
    }
    Ok(())
}

/// Parses every not-yet-seen directory of `level` in parallel into `parsed`.
fn parse_new_dirs(
    level: &[Pending],
    detail: Detail,
    parsed: &mut HashMap<PathBuf, Arc<Vec<Item>>>,
    warnings: &mut Vec<Warning>,
) -> Result<(), Error> {
    let mut dirs: Vec<PathBuf> = level
        .iter()
        .map(|(_, d, _)| d.clone())
        .filter(|d| !parsed.contains_key(d))
        .collect();
    dirs.sort();
    dirs.dedup();
    let results: Vec<(PathBuf, DirResult)> = dirs
        .into_par_iter()
        .map(|dir| {
            let r = parse_dir(&dir, detail);
            (dir, r)
        })
        .collect();
    for (dir, result) in results {
        let (items, mut w) = result?;
        warnings.append(&mut w);
        parsed.insert(dir, Arc::new(items));
    }
    Ok(())
}

/// Where the module calls of one level of nesting lead.
struct Calls<'a> {
    root: &'a Path,
    /// modules.json: call path key -> installed directory, relative to `root`.
    installed: &'a BTreeMap<String, String>,
    /// The nesting of the modules that make the calls.
    depth: usize,
}

impl Calls<'_> {
    /// The module instances the calls in `module` lead to go onto `next`; a call whose source
    /// is neither installed nor local stays opaque, with a warning.
    fn resolve(
        &self,
        module: &Module,
        next: &mut Vec<Pending>,
        warnings: &mut Vec<Warning>,
    ) -> Result<(), Error> {
        for item in module.items.iter() {
            let ItemKind::Module(call) = &item.kind else {
                continue;
            };
            let child = module.path.child(&call.name);
            if self.depth + 1 > MAX_DEPTH {
                return Err(Error::ModuleTooDeep {
                    location: item.location.clone(),
                    limit: MAX_DEPTH,
                });
            }
            let source = call.source.clone().unwrap_or_default();
            if let Some(dir) = self.installed.get(&child.json_key()) {
                next.push((child, normalize(&self.root.join(dir)), Origin::Installed));
            } else if is_local(&source) {
                let child_dir = normalize(&module.dir.join(&source));
                if !child_dir.is_dir() {
                    return Err(Error::MissingModule {
                        location: item.location.clone(),
                        call: call.name.clone(),
                        source_addr: source,
                        dir: child_dir,
                    });
                }
                next.push((child, child_dir, Origin::Local));
            } else {
                warnings.push(Warning {
                    location: Some(item.location.clone()),
                    message: format!(
                        "module {:?} (source {:?}) is not installed; treating {} as one opaque node (run `terraform init` to resolve it through .terraform/modules/modules.json)",
                        call.name, source, child
                    ),
                });
            }
        }
        Ok(())
    }
}

fn is_local(source: &str) -> bool {
    source.starts_with("./") || source.starts_with("../") || source == "." || source == ".."
}

fn read_modules_json(root: &Path) -> Result<BTreeMap<String, String>, Error> {
    let path = root.join(".terraform").join("modules").join("modules.json");
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(BTreeMap::new()),
        Err(source) => return Err(Error::Io { path, source }),
    };
    let parsed: ModulesJson = serde_json::from_str(&text).map_err(|e| Error::ModulesJson {
        path: path.clone(),
        message: e.to_string(),
    })?;
    Ok(parsed
        .modules
        .into_iter()
        .filter(|m| !m.key.is_empty())
        .map(|m| (m.key, m.dir))
        .collect())
}

/// Terraform's rule: `.tf` and `.tf.json` files of the directory itself (not subdirectories),
/// ignoring names that start with `.` or `#` or end with `~`.
fn config_files(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(dir)
        .min_depth(1)
        .max_depth(1)
        .follow_links(true)
        .sort_by_file_name()
    {
        // A link to a directory (even `ln -s . loop`) is not a configuration file, and
        // Terraform reads only the directory's own files: skip it.
        if let Err(e) = &entry {
            if e.loop_ancestor().is_some() {
                continue;
            }
        }
        let entry = entry.map_err(|e| Error::Io {
            path: e.path().unwrap_or(dir).to_path_buf(),
            source: e
                .into_io_error()
                .unwrap_or_else(|| std::io::Error::other("filesystem loop")),
        })?;
        if entry.file_type().is_file() && is_config_file(&entry.file_name().to_string_lossy()) {
            files.push(entry.into_path());
        }
    }
    Ok(files)
}

/// Whether a file name is one Terraform reads as configuration: `*.tf` or `*.tf.json`, except
/// editor and hidden files (`.x.tf`, `#x.tf#`, `x.tf~`).
pub fn is_config_file(name: &str) -> bool {
    let ignored = name.starts_with('.') || name.starts_with('#') || name.ends_with('~');
    !ignored && (name.ends_with(".tf") || name.ends_with(".tf.json"))
}

/// A configuration file in Terraform's JSON syntax (`*.tf.json`).
pub fn is_json_file(name: &str) -> bool {
    name.ends_with(".tf.json")
}

type DirResult = Result<(Vec<Item>, Vec<Warning>), Error>;

fn parse_dir(dir: &Path, detail: Detail) -> DirResult {
    let files = config_files(dir)?;
    let models: Vec<Result<FileModel, Error>> = files
        .par_iter()
        .map(|path| {
            let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
                path: path.clone(),
                source,
            })?;
            let display = display_path(path);
            if is_json_file(&display) {
                crate::load::json::parse_json_file(&display, &text, detail.kept)
            } else {
                parse_file_with(&display, &text, detail)
            }
        })
        .collect();
    // One allocation for the directory's items rather than doubling per file.
    let total = models
        .iter()
        .map(|m| m.as_ref().map_or(0, |m| m.items.len()))
        .sum();
    let mut items = Vec::with_capacity(total);
    let mut warnings = Vec::new();
    for (path, model) in files.iter().zip(models) {
        let model = model?;
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        let stem = name.trim_end_matches(".json").trim_end_matches(".tf");
        if stem == "override" || stem.ends_with("_override") {
            warnings.push(Warning {
                location: None,
                message: format!(
                    "{}: override files are not merged by tfscope; references they add are ignored",
                    display_path(path)
                ),
            });
            continue;
        }
        items.extend(model.items);
    }
    Ok((items, warnings))
}

/// `path` relative to the directory `base` (both relative to the current directory or both
/// absolute); falls back to an absolute path when that is impossible.
pub fn relative_to(path: &Path, base: &Path) -> PathBuf {
    let abs = |p: &Path| {
        std::path::absolute(p)
            .map(|a| normalize(&a))
            .unwrap_or_else(|_| p.to_path_buf())
    };
    let (path, base) = (abs(path), abs(base));
    let p: Vec<_> = path.components().collect();
    let b: Vec<_> = base.components().collect();
    let common = p.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut out = PathBuf::new();
    for _ in common..b.len() {
        out.push("..");
    }
    for c in &p[common..] {
        out.push(c);
    }
    out
}

/// Lexical normalisation (`a/./b/../c` → `a/c`), keeping the path relative when it was.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out: Vec<Component> = Vec::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => match out.last() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir) => {}
                _ => out.push(c),
            },
            other => out.push(other),
        }
    }
    if out.is_empty() {
        return PathBuf::from(".");
    }
    out.iter().collect()
}

#[cfg(test)]
mod tests {
    //! Loading: local and installed modules, file selection, errors at the call, depth limit.

    use super::*;

    fn write(dir: &Path, rel: &str, text: &str) {
        let p = dir.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    #[test]
    fn loads_local_modules_recursively_and_only_top_level_files() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        write(
            root,
            "main.tf",
            "module \"app\" {\n  source = \"./app\"\n}\n",
        );
        write(root, "notes/extra.tf", "resource \"x_y\" \"ignored\" {}\n");
        write(root, ".hidden.tf", "resource \"x_y\" \"hidden\" {}\n");
        write(
            root,
            "app/main.tf",
            "module \"db\" {\n  source = \"../db\"\n}\n",
        );
        write(
            root,
            "db/main.tf",
            "resource \"aws_db_instance\" \"this\" {}\n",
        );
        let config = load(root).unwrap();
        let paths: Vec<String> = config.modules.iter().map(|m| m.path.to_string()).collect();
        assert_eq!(paths, vec!["", "module.app", "module.app.module.db"]);
        assert_eq!(
            config.modules[0].items.len(),
            1,
            "subdirectories are not part of a module"
        );
        assert!(config.modules[2].dir.ends_with("db"));
    }

    #[test]
    fn installed_modules_resolve_through_modules_json() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        write(
            root,
            "main.tf",
            "module \"vpc\" {\n  source = \"terraform-aws-modules/vpc/aws\"\n}\nmodule \"gone\" {\n  source = \"git::https://example.com/x.git\"\n}\n",
        );
        write(
            root,
            ".terraform/modules/modules.json",
            r#"{"Modules":[{"Key":"","Source":"","Dir":"."},{"Key":"vpc","Source":"registry.terraform.io/terraform-aws-modules/vpc/aws","Version":"5.0.0","Dir":".terraform/modules/vpc"}]}"#,
        );
        write(
            root,
            ".terraform/modules/vpc/main.tf",
            "resource \"aws_vpc\" \"this\" {}\n",
        );
        let config = load(root).unwrap();
        let vpc = config.module(&ModulePath::root().child("vpc")).unwrap();
        assert_eq!(vpc.origin, Origin::Installed);
        assert!(config.module(&ModulePath::root().child("gone")).is_none());
        assert_eq!(config.warnings.len(), 1);
        assert!(config.warnings[0].message.contains("opaque"));
    }

    #[test]
    fn a_missing_local_module_is_an_error_at_the_call() {
        let tmp = tempfile::tempdir().unwrap();
        write(
            tmp.path(),
            "main.tf",
            "\nmodule \"x\" {\n  source = \"./nope\"\n}\n",
        );
        let err = load(tmp.path()).unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.contains("main.tf:2:1: module \"x\" has source \"./nope\""),
            "{msg}"
        );
    }

    #[test]
    fn an_empty_directory_is_an_error() {
        let tmp = tempfile::tempdir().unwrap();
        assert!(matches!(
            load(tmp.path()),
            Err(Error::EmptyDirectory { .. })
        ));
    }

    #[test]
    fn a_module_calling_itself_stops_at_the_depth_limit() {
        let tmp = tempfile::tempdir().unwrap();
        write(
            tmp.path(),
            "main.tf",
            "module \"me\" {\n  source = \"./\"\n}\n",
        );
        assert!(matches!(load(tmp.path()), Err(Error::ModuleTooDeep { .. })));
    }

    #[cfg(unix)]
    #[test]
    fn a_link_to_a_directory_inside_a_module_is_ignored() {
        // `ln -s . loop` stopped every command with "filesystem loop".
        let tmp = tempfile::tempdir().unwrap();
        write(tmp.path(), "main.tf", "resource \"aws_vpc\" \"v\" {}\n");
        std::os::unix::fs::symlink(".", tmp.path().join("loop")).unwrap();
        std::os::unix::fs::symlink("..", tmp.path().join("up")).unwrap();
        let config = load(tmp.path()).unwrap();
        assert_eq!(config.modules[0].items.len(), 1);
    }

    #[test]
    fn configuration_files_are_tf_and_tf_json_but_not_editor_files() {
        for name in ["main.tf", "x.tf.json", "override.tf"] {
            assert!(is_config_file(name), "{name}");
        }
        for name in [
            ".main.tf",
            "#main.tf#",
            "main.tf~",
            "main.tfvars",
            "main.tf.bak",
            "tf",
        ] {
            assert!(!is_config_file(name), "{name}");
        }
    }

    #[test]
    fn relative_paths_walk_up_from_the_base() {
        assert_eq!(
            relative_to(Path::new("a/b/c.tfvars"), Path::new("a/d")),
            PathBuf::from("../b/c.tfvars")
        );
        assert_eq!(
            relative_to(Path::new("x.tfvars"), Path::new(".")),
            PathBuf::from("x.tfvars")
        );
    }

    #[test]
    fn normalize_is_lexical() {
        assert_eq!(normalize(Path::new("a/./b/../c")), PathBuf::from("a/c"));
        assert_eq!(normalize(Path::new("../x/./y")), PathBuf::from("../x/y"));
        assert_eq!(normalize(Path::new("./")), PathBuf::from("."));
    }
}
