//! A Terraform workspace for one test: a copy of a root module (and its environments) in a
//! temporary directory, real Terraform from `.cache/terraform/VERSION`, the mock provider from the
//! filesystem mirror in `.cache/mirror`, and a provider schema derived by tfscope itself.
//! `make test` installs all of it; anything missing fails with how to install it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;
use tempfile::TempDir;

use tfscope::classify::Classification;
use tfscope::graph::{ResourceGraph, UnitKind};
use tfscope::load::address::{parse_address, ResourceAddr};

fn cache() -> PathBuf {
    std::env::var_os("TFSCOPE_CACHE")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join(".cache"))
}

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn require(path: PathBuf, what: &str) -> PathBuf {
    assert!(
        path.exists(),
        "{what} is missing at {}: run `make test` (or `make tools`) to install it",
        path.display()
    );
    path
}

/// The scopes tfscope gives a root, for checking Terraform's results against.
pub struct Scopes {
    pub graph: ResourceGraph,
    pub class: Classification,
}

impl Scopes {
    /// The analysis of `root` in the environment whose tfvars file is `var_file`.
    pub fn of(root: &Path, var_file: Option<&Path>) -> Scopes {
        let a = tfscope::analysis::analyse(root, None, var_file).expect("root analyses");
        Scopes {
            graph: a.graph,
            class: a.class,
        }
    }

    pub fn names(&self) -> &[String] {
        &self.class.scopes
    }

    /// Scope index of a managed resource's config address.
    pub fn scope_of(&self, config_address: &str) -> usize {
        let u = self
            .graph
            .find(config_address)
            .unwrap_or_else(|| panic!("{config_address} is not in tfscope's graph"));
        assert_eq!(self.graph.units[u].kind, UnitKind::Managed);
        self.class.units[u].scope.index()
    }
}

/// `module.a["k"].aws_x.y[0]` -> `module.a.aws_x.y`.
pub fn config_address(instance: &str) -> String {
    let (module, resource) =
        parse_address(instance).unwrap_or_else(|| panic!("bad address {instance}"));
    let (mode, kind, name) = resource.unwrap_or_else(|| panic!("{instance} is not a resource"));
    ResourceAddr {
        module,
        mode,
        kind,
        name,
    }
    .to_string()
}

pub struct Workspace {
    _tmp: TempDir,
    pub root: PathBuf,
    terraform: PathBuf,
    cli_config: PathBuf,
    schema: PathBuf,
    pub log: PathBuf,
    env: Option<String>,
    pub version: String,
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from)
        .into_iter()
        .filter_entry(|e| e.file_name() != ".terraform")
    {
        let entry = entry.expect("walk");
        let rel = entry.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

impl Workspace {
    /// Copies `root` (and `environments`, if given, beside it) and runs `terraform init`.
    pub fn new(
        version: &str,
        root: &Path,
        environments: Option<&Path>,
        env: Option<&str>,
    ) -> Workspace {
        let terraform = require(
            cache().join("terraform").join(version).join("terraform"),
            "Terraform",
        );
        let cli_config = require(
            cache().join("terraformrc"),
            "the mock provider's CLI config",
        );
        let tmp = tempfile::tempdir().unwrap();
        let dest = tmp.path().join("root");
        copy_tree(root, &dest);
        if let Some(envs) = environments {
            copy_tree(envs, &tmp.path().join("environments"));
        }
        let schema = tmp.path().join("schema.json");
        // The schema needs every resource's shape, which only a load that asks for it keeps.
        let detail = tfscope::load::hcl::Detail {
            shapes: true,
            ..Default::default()
        };
        let loaded = tfscope::load::load_with(&dest, detail).expect("copy loads");
        let derived = tfscope::output::mock_schema::derive(&loaded);
        std::fs::write(&schema, serde_json::to_string_pretty(&derived).unwrap()).unwrap();
        let ws = Workspace {
            root: dest,
            log: tmp.path().join("mock.log"),
            _tmp: tmp,
            terraform,
            cli_config,
            schema,
            env: env.map(str::to_string),
            version: version.to_string(),
        };
        ws.ok(&["init", "-input=false", "-no-color"]);
        ws
    }

    /// Derives the mock provider's schema again from the root as it is now (after `tfscope
    /// tag` added arguments the first schema did not have).
    pub fn derive_schema(&self) {
        let detail = tfscope::load::hcl::Detail {
            shapes: true,
            ..Default::default()
        };
        let loaded = tfscope::load::load_with(&self.root, detail).expect("the root loads");
        let derived = tfscope::output::mock_schema::derive(&loaded);
        std::fs::write(
            &self.schema,
            serde_json::to_string_pretty(&derived).unwrap(),
        )
        .unwrap();
    }

    /// tfscope's scopes for this workspace's root and environment.
    pub fn scopes(&self) -> Scopes {
        let var_file = self
            .env
            .as_deref()
            .map(|e| tfscope::load::env::find_env(&self.root, e).expect("the environment exists"));
        Scopes::of(&self.root, var_file.as_deref())
    }

    pub fn terraform(&self, args: &[&str]) -> Output {
        Command::new(&self.terraform)
            .current_dir(&self.root)
            .env("TF_CLI_CONFIG_FILE", &self.cli_config)
            .env("TFSCOPE_MOCK_SCHEMA", &self.schema)
            .env("TFSCOPE_MOCK_LOG", &self.log)
            .env("CHECKPOINT_DISABLE", "1")
            .env("TF_IN_AUTOMATION", "1")
            .args(args)
            .output()
            .expect("terraform runs")
    }

    /// Runs terraform and fails the test with its output unless it succeeds.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.terraform(args);
        assert!(
            out.status.success(),
            "terraform {} {} failed ({}):\n{}{}",
            self.version,
            args.join(" "),
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// `-var-file` for the environment: `environments/` inside the root, or beside it.
    fn var_file(&self) -> Vec<String> {
        self.env
            .iter()
            .map(|e| {
                let inside = format!("environments/{e}.tfvars");
                if self.root.join(&inside).is_file() {
                    format!("-var-file={inside}")
                } else {
                    format!("-var-file=../{inside}")
                }
            })
            .collect()
    }

    fn run_with(&self, verb: &[&str], targets: &[String]) -> String {
        let mut args: Vec<String> = verb.iter().map(|s| s.to_string()).collect();
        args.extend(["-input=false".into(), "-no-color".into()]);
        args.extend(self.var_file());
        args.extend(targets.iter().map(|t| format!("-target={t}")));
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        self.ok(&refs)
    }

    pub fn apply(&self, targets: &[String]) {
        self.run_with(&["apply", "-auto-approve"], targets);
    }

    pub fn destroy(&self, targets: &[String]) {
        self.run_with(&["destroy", "-auto-approve"], targets);
    }

    /// `plan -detailed-exitcode`: 0 when nothing would change.
    pub fn plan_exit_code(&self) -> i32 {
        let mut args = vec![
            "plan".to_string(),
            "-detailed-exitcode".into(),
            "-input=false".into(),
            "-no-color".into(),
        ];
        args.extend(self.var_file());
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        self.terraform(&refs).status.code().unwrap_or(-1)
    }

    /// Config addresses that `plan -out` + `show -json` would create (apply) or delete (destroy).
    pub fn planned(&self, targets: &[String], destroy: bool) -> BTreeSet<String> {
        let mut verb = vec!["plan", "-out=tfscope.plan"];
        if destroy {
            verb.push("-destroy");
        }
        self.run_with(&verb, targets);
        let json: Value =
            serde_json::from_str(&self.ok(&["show", "-json", "tfscope.plan"])).unwrap();
        let wanted = if destroy { "delete" } else { "create" };
        json["resource_changes"]
            .as_array()
            .map(|a| a.as_slice())
            .unwrap_or_default()
            .iter()
            .filter(|c| c["mode"] == "managed")
            .filter(|c| {
                c["change"]["actions"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|a| a == wanted)
            })
            .map(|c| config_address(c["address"].as_str().unwrap()))
            .collect()
    }

    /// Managed resource instances in the state: instance address -> id.
    pub fn state(&self) -> BTreeMap<String, String> {
        let json: Value = serde_json::from_str(&self.ok(&["show", "-json", "-no-color"])).unwrap();
        let mut out = BTreeMap::new();
        fn walk(module: &Value, out: &mut BTreeMap<String, String>) {
            for r in module["resources"]
                .as_array()
                .map(|a| a.as_slice())
                .unwrap_or_default()
            {
                if r["mode"] == "managed" {
                    let id = r["values"]["id"].as_str().unwrap_or_default().to_string();
                    out.insert(r["address"].as_str().unwrap().to_string(), id);
                }
            }
            for child in module["child_modules"]
                .as_array()
                .map(|a| a.as_slice())
                .unwrap_or_default()
            {
                walk(child, out);
            }
        }
        walk(&json["values"]["root_module"], &mut out);
        out
    }

    /// `tfscope targets` for this workspace, unquoted back into plain addresses; `None` when the
    /// scope has nothing to do (tfscope then exits 1 and prints nothing, never an empty list).
    pub fn targets(&self, scope: &str, destroy: bool) -> Option<Vec<String>> {
        let mut args = vec!["targets", "--scope", scope];
        if destroy {
            args.push("--destroy");
        }
        if let Some(e) = &self.env {
            args.extend(["--env", e.as_str()]);
        }
        args.push(".");
        let out = self.tfscope(&args);
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        if out.status.code() == Some(1) && stdout.is_empty() && stderr.contains("nothing to") {
            return None;
        }
        assert!(
            out.status.success(),
            "tfscope {} failed:\n{stderr}",
            args.join(" ")
        );
        let targets: Vec<String> = stdout.lines().map(unquote_target).collect();
        assert!(!targets.is_empty());
        Some(targets)
    }

    /// Union of the managed resources every phase of `tfscope plan --format json` will touch.
    pub fn promised(&self, scope: &str, destroy: bool) -> BTreeSet<String> {
        let mut args = vec!["plan", "--scope", scope, "--format", "json"];
        if destroy {
            args.push("--destroy");
        }
        if let Some(e) = &self.env {
            args.extend(["--env", e.as_str()]);
        }
        args.push(".");
        let out = self.tfscope(&args);
        assert!(
            out.status.success(),
            "tfscope {} failed:\n{}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr)
        );
        let json: Value = serde_json::from_slice(&out.stdout).unwrap();
        json["phases"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|p| p["touches"].as_array().unwrap().iter())
            .map(|a| a.as_str().unwrap().to_string())
            .collect()
    }

    /// `make -f Makefile.infra ARGS` on this workspace: its root, this Terraform, this tfscope,
    /// and the mock provider's environment.
    pub fn make(&self, args: &[&str]) -> Output {
        Command::new("make")
            .arg("-f")
            .arg(repo().join("Makefile.infra"))
            .arg("--no-print-directory")
            .args(args)
            .arg(format!("DIR={}", self.root.display()))
            .arg(format!("TF={}", self.terraform.display()))
            .arg(format!("TFSCOPE={}", env!("CARGO_BIN_EXE_tfscope")))
            .current_dir(repo())
            .env("TF_CLI_CONFIG_FILE", &self.cli_config)
            .env("TFSCOPE_MOCK_SCHEMA", &self.schema)
            .env("TFSCOPE_MOCK_LOG", &self.log)
            .env("CHECKPOINT_DISABLE", "1")
            .env("TF_IN_AUTOMATION", "1")
            .output()
            .expect("make runs")
    }

    /// tfscope as a user runs it on this workspace: this Terraform (TFSCOPE_TERRAFORM), the mock
    /// provider's environment, and `extra` variables (a fault for the mock provider, TMPDIR).
    pub fn tfscope_command(&self, args: &[&str], extra: &[(&str, &Path)]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_tfscope"));
        cmd.current_dir(&self.root)
            .env("TFSCOPE_TERRAFORM", &self.terraform)
            .env("TF_CLI_CONFIG_FILE", &self.cli_config)
            .env("TFSCOPE_MOCK_SCHEMA", &self.schema)
            .env("TFSCOPE_MOCK_LOG", &self.log)
            .env("CHECKPOINT_DISABLE", "1")
            .env("TF_IN_AUTOMATION", "1")
            .env("NO_COLOR", "1")
            .env_remove("TFSCOPE_MOCK_FAULT")
            .args(args)
            .stdin(std::process::Stdio::null());
        for (k, v) in extra {
            cmd.env(k, v);
        }
        cmd
    }

    /// Runs tfscope (see [`Workspace::tfscope_command`]) with `--env` when the workspace has one.
    pub fn run_tfscope(&self, args: &[&str], extra: &[(&str, &Path)]) -> Output {
        let mut all: Vec<&str> = args.to_vec();
        if let Some(e) = &self.env {
            all.extend(["--env", e.as_str()]);
        }
        all.push(".");
        self.tfscope_command(&all, extra)
            .output()
            .expect("tfscope runs")
    }

    /// The raw bytes of the local state file (empty when there is none).
    pub fn state_bytes(&self) -> Vec<u8> {
        std::fs::read(self.root.join("terraform.tfstate")).unwrap_or_default()
    }

    /// A script that runs this Terraform with the mock provider's environment, for driving
    /// `tfscope::run` from the test process itself.
    pub fn terraform_wrapper(&self) -> PathBuf {
        let script = self.log.with_file_name("terraform-wrapper");
        let q = |p: &Path| format!("'{}'", p.display());
        std::fs::write(
            &script,
            format!(
                "#!/bin/sh\nexport TF_CLI_CONFIG_FILE={} TFSCOPE_MOCK_SCHEMA={} TFSCOPE_MOCK_LOG={} CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1\nexec {} \"$@\"\n",
                q(&self.cli_config),
                q(&self.schema),
                q(&self.log),
                q(&self.terraform)
            ),
        )
        .unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
        script
    }

    pub fn tfscope(&self, args: &[&str]) -> Output {
        assert_cmd::Command::cargo_bin("tfscope")
            .unwrap()
            .current_dir(&self.root)
            .args(args)
            .output()
            .unwrap()
    }

    /// (action, id) of every create/update/delete the mock provider logged.
    pub fn log(&self) -> Vec<(String, String)> {
        std::fs::read_to_string(&self.log)
            .unwrap_or_default()
            .lines()
            .map(|l| {
                let v: Value = serde_json::from_str(l).expect("log lines are JSON");
                (
                    v["action"].as_str().unwrap().to_string(),
                    v["id"].as_str().unwrap_or_default().to_string(),
                )
            })
            .collect()
    }
}

/// `-target='module.a["k"].x.y'` -> `module.a["k"].x.y`.
fn unquote_target(line: &str) -> String {
    let addr = line
        .strip_prefix("-target=")
        .unwrap_or_else(|| panic!("not a target flag: {line}"));
    match addr.strip_prefix('\'').and_then(|a| a.strip_suffix('\'')) {
        Some(inner) => inner.replace("'\\''", "'"),
        None => addr.to_string(),
    }
}
