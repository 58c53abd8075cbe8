//! Scope tags: writes each resource's scope into its cost-allocation tags (`tags` on AWS and
//! Azure, `labels` on Google), so the bill splits by scope. This module owns the plan: per
//! resource block, what the tag holds and what to do about it, and the text of every file that
//! must change. [`edit`] owns the text surgery on one block, [`taggable`] the data that says
//! which types take tags in which argument. It reads an [`Analysis`] and writes through
//! [`crate::output::hcl::replace`]; it never runs Terraform.
//!
//! The rules, per resource block (a block in a local module called twice is one block):
//! - a type the provider gives no tags map: **not taggable**, nothing to do;
//! - the key missing: **add** it (into the object, the last object of `merge(...)`, or by
//!   wrapping another expression in `merge(EXPR, { Scope = "..." })`);
//! - the key holding the scope: **correct**;
//! - the key holding the name of another scope of the configuration: **stale** (tfscope wrote
//!   it, or it was meant as a scope, and the scope is now another: a rule in tfscope.hcl won
//!   over it): update it;
//! - the key holding any other value: **conflict**, set by hand; left untouched, a finding;
//! - a block whose calls give it different scopes: **module conflict**; one file cannot hold
//!   two values; untouched, a finding (pass the scope in as a variable);
//! - a block in an installed registry module: **registry**, not editable; a hint naming the
//!   module's own `tags`/`labels` input when it has one;
//! - a taggable block with no instance in the environment (`count = var.create ? 1 : 0` and
//!   `create` false): **absent**, untouched; `tag --env` with an environment that creates it
//!   tags it;
//! - an argument tfscope cannot edit safely (a `dynamic` block, a multi-line expression whose
//!   first line opens no bracket, the key set to an expression or perhaps set by an expression
//!   key or inside a wrapped expression, tags that `lifecycle { ignore_changes }` covers, JSON
//!   syntax): **unsupported**, untouched, a finding.
//!
//! Google label keys and values must be lowercase (`[a-z0-9_-]`, at most 63 characters): the
//! key and the value are written in [`label_form`] there (`Scope` becomes `scope`), which
//! classification reads back.

pub mod edit;
pub mod taggable;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use serde::Serialize;

use crate::analysis::Analysis;
use crate::classify::label_form;
use crate::error::{Error, Location};
use crate::graph::UnitKind;
use crate::load::address::ModulePath;
use crate::load::model::ItemKind;
use crate::load::Origin;

use edit::{Found, Splice};
use taggable::Taggable;

/// What tfscope does about one resource block's tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// The key is missing: added.
    Add,
    /// The key names another scope: updated.
    Stale,
    /// The key holds the scope already.
    Correct,
    /// The key holds a value set by hand: untouched.
    Conflict,
    /// The module's calls give the block different scopes: untouched.
    ModuleConflict,
    /// tfscope cannot edit the argument safely: untouched.
    Unsupported,
    /// Inside an installed registry module: not editable.
    Registry,
    /// The type takes no tags.
    NotTaggable,
    /// A taggable block with no instance in the environment (`count = 0`): it has no scope
    /// here, so it is left for a run with the environment that creates it.
    Absent,
}

impl Status {
    /// A change `tag` makes and `tag --check` fails on.
    pub fn is_change(self) -> bool {
        matches!(self, Status::Add | Status::Stale)
    }

    /// Left wrong and needing a person: `tag` and `tag --check` both exit 1.
    pub fn is_finding(self) -> bool {
        matches!(
            self,
            Status::Conflict | Status::ModuleConflict | Status::Unsupported
        )
    }
}

/// One resource block and what happens to its tag.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    /// Every address the block has (one per module call it is reached through).
    pub addresses: Vec<String>,
    pub resource_type: String,
    #[serde(serialize_with = "location_string")]
    pub location: Location,
    /// The argument (`tags`, `labels`); empty when the type takes none.
    pub attribute: String,
    pub key: String,
    /// The value the tag should hold; empty when the scopes disagree.
    pub value: String,
    /// The value found, when the key was there.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub found: Option<String>,
    pub status: Status,
    /// Why, for findings.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub message: String,
}

fn location_string<S: serde::Serializer>(l: &Location, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&l.to_string())
}

/// An installed registry module whose resources take tags: what to pass it.
#[derive(Debug, Clone, Serialize)]
pub struct ModuleHint {
    /// The call's address (`module.vpc`).
    pub module: String,
    pub source: Option<String>,
    #[serde(serialize_with = "location_string")]
    pub location: Location,
    /// Its taggable resources, by scope.
    pub scopes: BTreeMap<String, usize>,
    /// The module's own `tags`/`labels` variable, when it has one.
    pub input: Option<String>,
    pub hint: String,
}

/// A file `tag` rewrites.
#[derive(Debug, Clone, Serialize)]
pub struct FileChange {
    #[serde(skip)]
    pub path: PathBuf,
    pub file: String,
    /// Resource blocks changed in it.
    pub edits: usize,
    #[serde(skip)]
    pub before: String,
    #[serde(skip)]
    pub after: String,
}

/// Everything `tag` would do, computed before anything is written.
#[derive(Debug, Clone, Serialize)]
pub struct TagPlan {
    pub key: String,
    pub entries: Vec<Entry>,
    pub modules: Vec<ModuleHint>,
    pub files: Vec<FileChange>,
}

impl TagPlan {
    pub fn count(&self, status: Status) -> usize {
        self.entries.iter().filter(|e| e.status == status).count()
    }

    /// Tags missing or stale: what `--check` fails on, besides findings.
    pub fn changes(&self) -> usize {
        self.entries.iter().filter(|e| e.status.is_change()).count()
    }

    pub fn findings(&self) -> usize {
        self.entries
            .iter()
            .filter(|e| e.status.is_finding())
            .count()
    }

    /// Writes every changed file atomically, all or none; nothing when the plan has no change.
    pub fn write(&self) -> Result<(), Error> {
        let files: Vec<(&std::path::Path, &str)> = self
            .files
            .iter()
            .map(|f| (f.path.as_path(), f.after.as_str()))
            .collect();
        crate::output::hcl::replace_all(&files)
    }
}

/// One parsed file, kept while the plan is made.
struct Source {
    text: String,
    body: Option<hcl_edit::structure::Body>,
    splices: Vec<Splice>,
    edits: usize,
}

/// Plans the tags of every managed resource of `a` under `key`.
pub fn plan(a: &Analysis, key: &str) -> Result<TagPlan, Error> {
    plan_with(a, key, Taggable::builtin())
}

pub fn plan_with(a: &Analysis, key: &str, table: &Taggable) -> Result<TagPlan, Error> {
    let scope_names: BTreeSet<&str> = a.class.scopes.iter().map(String::as_str).collect();
    let mut sources: BTreeMap<String, Source> = BTreeMap::new();
    let mut entries = Vec::new();
    let mut hints: BTreeMap<ModulePath, ModuleHint> = BTreeMap::new();
    for ((file, _, _), units) in resource_blocks(a) {
        let first = &a.graph.units[units[0]];
        let mut addresses: Vec<String> = units
            .iter()
            .map(|&u| a.graph.units[u].address.clone())
            .collect();
        addresses.sort();
        let scopes: BTreeSet<&str> = units
            .iter()
            .map(|&u| a.class.scope_name(crate::graph::UnitId::at(u)))
            .collect();
        let mut entry = Entry {
            addresses,
            resource_type: first.resource_type.clone(),
            location: first.location.clone(),
            attribute: String::new(),
            key: key.to_string(),
            value: String::new(),
            found: None,
            status: Status::NotTaggable,
            message: String::new(),
        };
        let Some(spec) = table.spec(&first.resource_type) else {
            entries.push(entry);
            continue;
        };
        entry.attribute = spec.attribute.clone();
        let fold = |s: &str| {
            if spec.lowercase {
                label_form(s)
            } else {
                s.to_string()
            }
        };
        entry.key = fold(key);
        if let Some(call) = installed_call(a, &first.module) {
            entry.status = Status::Registry;
            entry.value = scopes.iter().map(|s| fold(s)).collect::<Vec<_>>().join(",");
            entry.message = format!("inside the registry module {call}; tfscope does not edit it");
            let hint = hints
                .entry(call.clone())
                .or_insert_with(|| module_hint(a, &call, &entry.attribute));
            for &u in &units {
                let s = a.class.scope_name(crate::graph::UnitId::at(u));
                *hint.scopes.entry(s.to_string()).or_default() += 1;
            }
            entries.push(entry);
            continue;
        }
        if scopes.len() > 1 {
            entry.status = Status::ModuleConflict;
            entry.message = module_conflict(a, &units, &entry.key);
            entries.push(entry);
            continue;
        }
        let scope = scopes.iter().next().copied().unwrap_or_default();
        entry.value = fold(scope);
        if crate::load::is_json_file(&file) {
            entry.status = Status::Unsupported;
            entry.message = "JSON syntax (.tf.json): add the tag by hand".into();
            entries.push(entry);
            continue;
        }
        edit_block(&mut entry, &file, &mut sources, spec, &scope_names)?;
        entries.push(entry);
    }
    entries.extend(absent_entries(a, key, table));
    finish_plan(key, entries, hints, sources)
}

/// Taggable managed blocks with no instance in the environment, except those another module
/// call instantiates (they are tagged through it) and those in installed registry modules
/// (never edited: the module's own tags input covers them).
fn absent_entries(a: &Analysis, key: &str, table: &Taggable) -> Vec<Entry> {
    let present: BTreeSet<(&str, usize, usize)> = a
        .graph
        .units
        .iter()
        .map(|u| (u.location.file.as_str(), u.location.line, u.location.column))
        .collect();
    a.graph
        .absent
        .iter()
        .filter(|b| b.kind == UnitKind::Managed)
        .filter(|b| {
            !present.contains(&(b.location.file.as_str(), b.location.line, b.location.column))
        })
        .filter(|b| {
            let module = crate::load::address::parse_address(&b.address).map(|(m, _)| m);
            module.is_some_and(|m| installed_call(a, &m).is_none())
        })
        .filter_map(|b| {
            let spec = table.spec(&b.resource_type)?;
            Some(Entry {
                addresses: vec![b.address.clone()],
                resource_type: b.resource_type.clone(),
                location: b.location.clone(),
                attribute: spec.attribute.clone(),
                key: if spec.lowercase {
                    label_form(key)
                } else {
                    key.to_string()
                },
                value: String::new(),
                found: None,
                status: Status::Absent,
                message: format!(
                    "no instance in this environment ({}); run tag with the --env that creates it",
                    b.why
                ),
            })
        })
        .collect()
}

/// Managed resource blocks: (file, line, column) -> the units declared there (one per module
/// call the block is reached through).
fn resource_blocks(a: &Analysis) -> BTreeMap<(String, usize, usize), Vec<usize>> {
    let mut blocks: BTreeMap<(String, usize, usize), Vec<usize>> = BTreeMap::new();
    for id in a.graph.unit_ids() {
        let unit = &a.graph.units[id.index()];
        if unit.kind != UnitKind::Managed {
            continue;
        }
        let l = &unit.location;
        blocks
            .entry((l.file.clone(), l.line, l.column))
            .or_default()
            .push(id.index());
    }
    blocks
}

fn module_conflict(a: &Analysis, units: &[usize], key: &str) -> String {
    let each: Vec<String> = units
        .iter()
        .map(|&u| {
            let scope = a.class.scope_name(crate::graph::UnitId::at(u));
            format!("{} is {scope}", a.graph.units[u].address)
        })
        .collect();
    format!(
        "the module's calls give this block different scopes ({}); one file cannot hold both: \
         pass the scope in as a variable and set {key} from it",
        each.join(", ")
    )
}

/// Reads the block's file (once) and decides the entry from what its tag holds.
fn edit_block(
    entry: &mut Entry,
    file: &str,
    sources: &mut BTreeMap<String, Source>,
    spec: &taggable::TagSpec,
    scope_names: &BTreeSet<&str>,
) -> Result<(), Error> {
    let fold = |s: &str| {
        if spec.lowercase {
            label_form(s)
        } else {
            s.to_string()
        }
    };
    let scope = entry.value.clone();
    {
        let source = match sources.entry(file.to_string()) {
            std::collections::btree_map::Entry::Occupied(o) => o.into_mut(),
            std::collections::btree_map::Entry::Vacant(v) => v.insert(read_source(file)?),
        };
        let block = source.body.as_ref().and_then(|body| {
            body.blocks().find(|b| {
                b.ident.as_str() == "resource"
                    && b.labels.len() == 2
                    && b.labels[0].as_str() == entry.resource_type
                    && entry.addresses[0].ends_with(&format!(".{}", b.labels[1].as_str()))
            })
        });
        let Some(block) = block else {
            entry.status = Status::Unsupported;
            entry.message = "the resource block was not found in its file".into();
            return Ok(());
        };
        match edit::inspect(
            &source.text,
            block,
            &entry.attribute,
            &entry.key,
            &entry.value,
        ) {
            Found::Same => entry.status = Status::Correct,
            Found::Missing { splices } => {
                entry.status = Status::Add;
                source.splices.extend(splices);
                source.edits += 1;
            }
            Found::Other { value, splices } => {
                let is_scope = scope_names.contains(value.as_str())
                    || (spec.lowercase && scope_names.iter().any(|s| fold(s) == value));
                if is_scope {
                    entry.status = Status::Stale;
                    source.splices.extend(splices);
                    source.edits += 1;
                } else {
                    entry.status = Status::Conflict;
                    entry.message = format!(
                        "{} = {value:?} was set by hand and is not a scope; tfscope leaves it \
                         (the scope is {scope})",
                        entry.key
                    );
                }
                entry.found = Some(value);
            }
            Found::Unsupported(why) => {
                entry.status = Status::Unsupported;
                entry.message = why;
            }
        }
    }
    Ok(())
}

/// Applies every file's splices, re-parses each result, and assembles the plan.
fn finish_plan(
    key: &str,
    entries: Vec<Entry>,
    hints: BTreeMap<ModulePath, ModuleHint>,
    sources: BTreeMap<String, Source>,
) -> Result<TagPlan, Error> {
    let mut files = Vec::new();
    for (file, source) in sources {
        if source.splices.is_empty() {
            continue;
        }
        let after = edit::apply(&source.text, &source.splices);
        if let Err(e) = crate::load::hcl_syntax::parse_body(&after) {
            let offset = e.location().offset();
            return Err(Error::syntax(
                &file,
                &after,
                offset..offset + 1,
                format!("tfscope's tag edit would not parse (a bug; nothing written): {e}"),
            ));
        }
        files.push(FileChange {
            path: PathBuf::from(&file),
            file,
            edits: source.edits,
            before: source.text,
            after,
        });
    }
    Ok(TagPlan {
        key: key.to_string(),
        entries,
        modules: hints
            .into_values()
            .map(|mut m| {
                m.hint = hint_text(&m, key);
                m
            })
            .collect(),
        files,
    })
}

fn read_source(file: &str) -> Result<Source, Error> {
    let text = std::fs::read_to_string(file).map_err(|source| Error::Io {
        path: PathBuf::from(file),
        source,
    })?;
    let body = crate::load::hcl_syntax::parse_body(&text).map_err(|e| {
        let offset = e.location().offset();
        Error::syntax(file, &text, offset..offset + 1, e.message().to_string())
    })?;
    // The body's spans point into `text` as read (also for a text only the newline fold
    // parses): every splice applies to that text.
    Ok(Source {
        text,
        body: Some(body),
        splices: Vec::new(),
        edits: 0,
    })
}

/// The outermost installed (registry) module call on `path`, if any: one `terraform init`
/// copied under `.terraform/`. A local module (`./svc`) is listed in modules.json too once
/// init ran, but its files are the configuration's own and are edited.
fn installed_call(a: &Analysis, path: &ModulePath) -> Option<ModulePath> {
    (1..=path.0.len())
        .map(|n| ModulePath(path.0[..n].to_vec()))
        .find(|p| {
            a.loaded.module(p).is_some_and(|m| {
                m.origin == Origin::Installed
                    && m.dir.components().any(|c| c.as_os_str() == ".terraform")
            })
        })
}

fn module_hint(a: &Analysis, call: &ModulePath, attribute: &str) -> ModuleHint {
    let name = call.0.last().cloned().unwrap_or_default();
    let parent = call.parent().unwrap_or_default();
    let declared = a.loaded.module(&parent).and_then(|m| {
        m.items.iter().find_map(|i| match &i.kind {
            ItemKind::Module(c) if c.name == name => Some((c.source.clone(), i.location.clone())),
            _ => None,
        })
    });
    let (source, location) = declared.unwrap_or((
        None,
        Location {
            file: String::new(),
            line: 0,
            column: 0,
        },
    ));
    let variables: BTreeSet<String> = a
        .loaded
        .module(call)
        .map(|m| {
            m.items
                .iter()
                .filter_map(|i| match &i.kind {
                    ItemKind::Variable { name } => Some(name.clone()),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default();
    let input = [attribute, "tags", "labels"]
        .into_iter()
        .find(|v| variables.contains(*v))
        .map(str::to_string);
    ModuleHint {
        module: call.to_string(),
        source,
        location,
        scopes: BTreeMap::new(),
        input,
        hint: String::new(),
    }
}

/// What to write in the module call, once its resources' scopes are counted.
fn hint_text(m: &ModuleHint, key: &str) -> String {
    let Some(input) = &m.input else {
        return "it has no tags or labels input: tag its resources through the provider's \
                default tags (aws default_tags, google default_labels) or a wrapper module"
            .to_string();
    };
    match m.scopes.keys().collect::<Vec<_>>().as_slice() {
        [scope] => {
            let entry = format!("{{ {key} = \"{scope}\" }}");
            format!("pass the scope to its `{input}` input: {input} = merge(<what you pass now>, {entry})")
        }
        _ => format!(
            "its resources are in different scopes ({}): one `{input}` input cannot tag \
             them right; tag the earliest scope there, or split the module",
            m.scopes.keys().cloned().collect::<Vec<_>>().join(", ")
        ),
    }
}

/// The text report: per file the changes, then findings and hints, then the counts.
pub fn render_text(plan: &TagPlan, check: bool) -> String {
    let mut out = String::new();
    let verb = if check { "would change" } else { "changed" };
    for f in &plan.files {
        let blocks = if f.edits == 1 { "block" } else { "blocks" };
        out.push_str(&format!("{}: {verb} {} {blocks}\n", f.file, f.edits));
        for e in plan.entries.iter().filter(|e| e.location.file == f.file) {
            if e.status.is_change() {
                let what = match (&e.status, &e.found) {
                    (Status::Stale, Some(old)) => format!("{:?} -> {:?}", old, e.value),
                    _ => format!("+ {} = {:?}", e.key, e.value),
                };
                out.push_str(&format!(
                    "  {}:{} {} {}: {what}\n",
                    e.location.line,
                    e.location.column,
                    e.addresses.join(", "),
                    e.attribute
                ));
            }
        }
    }
    out.push_str(&findings_text(plan));
    for m in &plan.modules {
        let scopes: Vec<String> = m.scopes.iter().map(|(s, n)| format!("{n} {s}")).collect();
        out.push_str(&format!(
            "{} {} (registry module, {} taggable resources: {}): not edited\n  hint: {}\n",
            m.location,
            m.module,
            m.scopes.values().sum::<usize>(),
            scopes.join(", "),
            m.hint
        ));
    }
    let n = |s| plan.count(s);
    out.push_str(&format!(
        "{} added, {} updated, {} correct, {} conflicts, {} module conflicts, {} unsupported, \
         {} in registry modules, {} not taggable, {} without instances; {} {verb}\n",
        n(Status::Add),
        n(Status::Stale),
        n(Status::Correct),
        n(Status::Conflict),
        n(Status::ModuleConflict),
        n(Status::Unsupported),
        n(Status::Registry),
        n(Status::NotTaggable),
        n(Status::Absent),
        crate::output::report::count(plan.files.len(), "file")
    ));
    out
}

/// The findings, then the blocks left untagged in this environment.
fn findings_text(plan: &TagPlan) -> String {
    let mut out = String::new();
    let findings: Vec<&Entry> = plan
        .entries
        .iter()
        .filter(|e| e.status.is_finding())
        .collect();
    if !findings.is_empty() {
        out.push_str("findings:\n");
        for e in findings {
            let kind = serde_json::to_value(e.status)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            out.push_str(&format!(
                "  {} {} [{kind}]: {}\n",
                e.location,
                e.addresses.join(", "),
                e.message
            ));
        }
    }
    let absent: Vec<&Entry> = plan
        .entries
        .iter()
        .filter(|e| e.status == Status::Absent)
        .collect();
    if !absent.is_empty() {
        out.push_str("not tagged here:\n");
        for e in absent {
            let addresses = e.addresses.join(", ");
            out.push_str(&format!("  {} {addresses}: {}\n", e.location, e.message));
        }
    }
    out
}

/// A unified diff of every file the plan changes (`--diff`), three lines of context.
pub fn render_diff(plan: &TagPlan) -> String {
    let mut out = String::new();
    for f in &plan.files {
        out.push_str(&unified(&f.file, &f.before, &f.after));
    }
    out
}

/// A unified diff of two texts with three lines of context (`similar`, the diff crate insta
/// uses: Myers' algorithm, linear in memory, so a large file with few edits costs little).
fn unified(file: &str, before: &str, after: &str) -> String {
    let path = file.trim_start_matches('/');
    similar::TextDiff::from_lines(before, after)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn google_labels_are_lowercase_and_short() {
        assert_eq!(label_form("Scope"), "scope");
        assert_eq!(label_form("App Tier"), "app_tier");
        assert_eq!(label_form(&"x".repeat(70)).len(), 63);
    }

    #[test]
    fn findings_and_changes_are_what_check_fails_on() {
        assert!(Status::Add.is_change() && Status::Stale.is_change());
        assert!(!Status::Correct.is_change() && !Status::Correct.is_finding());
        assert!(Status::Conflict.is_finding() && Status::ModuleConflict.is_finding());
        assert!(Status::Unsupported.is_finding());
        assert!(!Status::Registry.is_finding() && !Status::NotTaggable.is_finding());
    }

    #[test]
    fn unified_diff_shows_inserted_lines_with_context() {
        let d = unified("m.tf", "a\nb\nc\n", "a\nb\nx\nc\n");
        assert_eq!(
            d,
            "--- a/m.tf\n+++ b/m.tf\n@@ -1,3 +1,4 @@\n a\n b\n+x\n c\n"
        );
    }
}
