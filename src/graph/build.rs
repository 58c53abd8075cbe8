//! Builds the dependency graph of a loaded configuration the way Terraform does: a node for
//! every declaration in every module, names resolved in each module's scope, and an edge for
//! every reference, `depends_on`, module input and provider configuration. Owns the build
//! graph's nodes and name resolution; breaking and rejecting cycles is `cycles.rs`, projecting
//! onto units and hubs is `project.rs`.

use std::collections::{BTreeSet, HashMap};

use petgraph::graph::{DiGraph, NodeIndex};

use crate::error::{Error, Location, Warning};
use crate::load::address::{Mode, ModulePath, ResourceAddr};
use crate::load::model::{Item, ItemKind, ModuleCall, Reference};
use crate::load::{Configuration, Module};

use super::{EdgeKind, ResourceGraph};

/// What a node of the build graph stands for.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(super) enum NodeKind {
    Resource(ResourceAddr),
    Opaque(ModulePath),
    Variable(ModulePath, String),
    Local(ModulePath, String),
    Output(ModulePath, String),
    /// A resolved module call: its count/for_each/depends_on, which everything inside inherits.
    Expansion(ModulePath),
    /// Everything inside a module, for `depends_on = [module.m]`.
    Close(ModulePath),
    Provider(ModulePath, String),
}

impl NodeKind {
    /// The node's name as written in the configuration (`module.m.var.x`), for messages.
    pub(super) fn describe(&self) -> String {
        match self {
            NodeKind::Resource(a) => a.to_string(),
            NodeKind::Opaque(p) | NodeKind::Expansion(p) | NodeKind::Close(p) => p.to_string(),
            NodeKind::Variable(m, n) => format!("{}var.{n}", m.prefix()),
            NodeKind::Local(m, n) => format!("{}local.{n}", m.prefix()),
            NodeKind::Output(m, n) => format!("{}output.{n}", m.prefix()),
            NodeKind::Provider(m, n) => format!("{}provider.{n}", m.prefix()),
        }
    }

    /// Whether the node is a unit: a resource, a data source or an opaque module call.
    pub(super) fn is_unit(&self) -> bool {
        matches!(self, NodeKind::Resource(_) | NodeKind::Opaque(_))
    }

    /// Whether the node is a hub: a resolved module call's expansion or close node.
    pub(super) fn is_hub(&self) -> bool {
        matches!(self, NodeKind::Expansion(_) | NodeKind::Close(_))
    }
}

/// A node of the build graph.
pub(super) struct Node<'a> {
    pub(super) kind: NodeKind,
    pub(super) location: Option<Location>,
    /// The declaration of a unit (the last one, if declared twice).
    pub(super) item: Option<&'a Item>,
}

/// A hash map with a fast, fixed hasher: keys are names from the configuration, and nothing
/// iterates these maps, so neither DoS resistance nor order matters.
type FastMap<K, V> = HashMap<K, V, foldhash::fast::FixedState>;

/// What a module call in a module resolves to.
#[derive(Clone, Copy)]
enum CallNodes {
    /// Its source is loaded: the expansion and close nodes, and the child's position.
    Resolved {
        expansion: NodeIndex,
        close: NodeIndex,
        child: usize,
    },
    /// Its source is not available: one opaque unit.
    Opaque(NodeIndex),
}

/// The nodes one module instance declares, by name, borrowing the names from the
/// configuration: a reference resolves without building an owned key.
#[derive(Default)]
pub(super) struct Scope<'a> {
    resources: FastMap<(Mode, &'a str, &'a str), NodeIndex>,
    variables: FastMap<&'a str, NodeIndex>,
    locals: FastMap<&'a str, NodeIndex>,
    outputs: FastMap<&'a str, NodeIndex>,
    /// By local name (`aws`, `aws.east`).
    providers: FastMap<String, NodeIndex>,
    calls: FastMap<&'a str, CallNodes>,
    /// This module's own expansion and close nodes (not for the root).
    expansion: Option<NodeIndex>,
    close: Option<NodeIndex>,
    /// The module that calls this one, with the call.
    pub(super) parent: Option<(usize, &'a ModuleCall, &'a Item)>,
}

/// The build graph while it is built, with the scope of every module.
pub(super) struct Builder<'a> {
    /// Arguments whose references are kept apart per unit.
    tracked: &'a BTreeSet<String>,
    pub(super) arg_nodes: HashMap<NodeIndex, Vec<(String, Vec<NodeIndex>)>>,
    pub(super) graph: DiGraph<Node<'a>, EdgeKind>,
    /// Parallel to `config.modules`.
    pub(super) scopes: Vec<Scope<'a>>,
    /// Edges in the order they were first added, with the position of each in `edges`.
    edges: Vec<(NodeIndex, NodeIndex, EdgeKind)>,
    edge_at: FastMap<(NodeIndex, NodeIndex), usize>,
    pub(super) config: &'a Configuration,
    pub(super) warnings: Vec<Warning>,
}

/// Builds the graph of a loaded configuration and projects it onto units; for the arguments in
/// `tracked`, each unit also keeps which units that argument references.
pub fn build(config: &Configuration, tracked: &BTreeSet<String>) -> Result<ResourceGraph, Error> {
    let mut b = Builder {
        tracked,
        arg_nodes: HashMap::new(),
        graph: DiGraph::new(),
        scopes: config.modules.iter().map(|_| Scope::default()).collect(),
        edges: Vec::new(),
        edge_at: FastMap::default(),
        config,
        warnings: Vec::new(),
    };
    for (i, module) in config.modules.iter().enumerate() {
        b.add_nodes(i, module);
    }
    for (i, module) in config.modules.iter().enumerate() {
        b.add_edges(i, module);
    }
    for (from, to, kind) in std::mem::take(&mut b.edges) {
        b.graph.add_edge(from, to, kind);
    }
    b.break_opaque_cycles();
    b.check_cycles()?;
    Ok(b.project())
}

/// Whether a resource or data item declares a managed resource or a data source.
fn mode_of(kind: &ItemKind) -> Mode {
    if matches!(kind, ItemKind::Resource { .. }) {
        Mode::Managed
    } else {
        Mode::Data
    }
}

/// The local name of a provider configuration: `aws`, or `aws.east` with an alias.
fn provider_key(name: &str, alias: &Option<String>) -> String {
    match alias {
        Some(a) => format!("{name}.{a}"),
        None => name.to_string(),
    }
}

impl<'a> Builder<'a> {
    /// Adds a node; a unit's declaration is attached by the caller.
    fn node(&mut self, kind: NodeKind, location: Option<Location>) -> NodeIndex {
        self.graph.add_node(Node {
            kind,
            location,
            item: None,
        })
    }

    /// Records an edge once, in the order first added; added again, it keeps the stronger kind.
    fn edge(&mut self, from: NodeIndex, to: NodeIndex, kind: EdgeKind) {
        match self.edge_at.get(&(from, to)) {
            Some(&e) => {
                let slot = &mut self.edges[e].2;
                *slot = (*slot).min(kind);
            }
            None => {
                self.edge_at.insert((from, to), self.edges.len());
                self.edges.push((from, to, kind));
            }
        }
    }

    /// Adds a node for every name the module at `at` declares; a name declared twice keeps its
    /// first node (and a unit its last declaration).
    fn add_nodes(&mut self, at: usize, module: &'a Module) {
        let m = &module.path;
        for item in module.items.iter() {
            let loc = Some(item.location.clone());
            match &item.kind {
                ItemKind::Resource {
                    resource_type: kind,
                    name,
                }
                | ItemKind::Data {
                    resource_type: kind,
                    name,
                } => {
                    self.add_resource_node(at, m, item, kind, name);
                }
                ItemKind::Module(call) => self.add_call_nodes(at, m, call, item),
                ItemKind::Variable { name } => {
                    if !self.scopes[at].variables.contains_key(name.as_str()) {
                        let n = self.node(NodeKind::Variable(m.clone(), name.clone()), loc);
                        self.scopes[at].variables.insert(name, n);
                    }
                }
                ItemKind::Local { name } => {
                    if !self.scopes[at].locals.contains_key(name.as_str()) {
                        let n = self.node(NodeKind::Local(m.clone(), name.clone()), loc);
                        self.scopes[at].locals.insert(name, n);
                    }
                }
                ItemKind::Output { name } => {
                    if !self.scopes[at].outputs.contains_key(name.as_str()) {
                        let n = self.node(NodeKind::Output(m.clone(), name.clone()), loc);
                        self.scopes[at].outputs.insert(name, n);
                    }
                }
                ItemKind::Provider { name, alias } => {
                    let key = provider_key(name, alias);
                    if !self.scopes[at].providers.contains_key(&key) {
                        let n = self.node(NodeKind::Provider(m.clone(), key.clone()), loc);
                        self.scopes[at].providers.insert(key, n);
                    }
                }
            }
        }
    }

    /// Adds the node of a resource or data source `item` declared in module `m`, unless the
    /// name is taken; either way the node keeps `item` as its declaration.
    fn add_resource_node(
        &mut self,
        at: usize,
        m: &ModulePath,
        item: &'a Item,
        kind: &'a str,
        name: &'a str,
    ) {
        let mode = mode_of(&item.kind);
        let key = (mode, kind, name);
        let n = match self.scopes[at].resources.get(&key) {
            Some(&n) => n,
            None => {
                let addr = ResourceAddr {
                    module: m.clone(),
                    mode,
                    kind: kind.to_string(),
                    name: name.to_string(),
                };
                let n = self.node(NodeKind::Resource(addr), Some(item.location.clone()));
                self.scopes[at].resources.insert(key, n);
                n
            }
        };
        self.graph[n].item = Some(item);
    }

    /// Adds the nodes of a module call in module `m`: the expansion and close nodes of a module
    /// that is loaded (and tells the child's scope who calls it), or one opaque unit. A call
    /// declared twice keeps its first nodes.
    fn add_call_nodes(&mut self, at: usize, m: &ModulePath, call: &'a ModuleCall, item: &'a Item) {
        if let Some(&nodes) = self.scopes[at].calls.get(call.name.as_str()) {
            if let CallNodes::Opaque(o) = nodes {
                self.graph[o].item = Some(item);
            }
            return;
        }
        let loc = Some(item.location.clone());
        let child = m.child(&call.name);
        let nodes = match self.config.modules.binary_search_by(|c| c.path.cmp(&child)) {
            Ok(position) => {
                let expansion = self.node(NodeKind::Expansion(child.clone()), loc.clone());
                let close = self.node(NodeKind::Close(child), loc);
                let scope = &mut self.scopes[position];
                scope.expansion = Some(expansion);
                scope.close = Some(close);
                scope.parent = Some((at, call, item));
                CallNodes::Resolved {
                    expansion,
                    close,
                    child: position,
                }
            }
            Err(_) => {
                let o = self.node(NodeKind::Opaque(child), loc);
                self.graph[o].item = Some(item);
                CallNodes::Opaque(o)
            }
        };
        self.scopes[at].calls.insert(&call.name, nodes);
    }

    /// Adds the edges of everything the module at `at` declares.
    fn add_edges(&mut self, at: usize, module: &'a Module) {
        for item in module.items.iter() {
            let file = &item.location.file;
            match &item.kind {
                ItemKind::Resource {
                    resource_type: kind,
                    name,
                }
                | ItemKind::Data {
                    resource_type: kind,
                    name,
                } => {
                    self.add_resource_edges(at, item, kind, name);
                }
                ItemKind::Local { name } => {
                    let from = self.scopes[at].locals[name.as_str()];
                    self.refs_edges(from, at, &item.refs, false, file);
                }
                ItemKind::Output { name } => {
                    let from = self.scopes[at].outputs[name.as_str()];
                    self.refs_edges(from, at, &item.refs, false, file);
                    self.refs_edges(from, at, &item.depends_on, true, file);
                }
                ItemKind::Provider { name, alias } => {
                    let from = self.scopes[at].providers[&provider_key(name, alias)];
                    self.refs_edges(from, at, &item.refs, false, file);
                }
                ItemKind::Variable { name } => self.add_variable_edges(at, name),
                ItemKind::Module(call) => self.add_call_edges(at, call, item),
            }
        }
    }

    /// Adds the edges of a resource or data source: its references and `depends_on`, its
    /// tracked arguments, its module's expansion and close nodes, and its provider.
    fn add_resource_edges(&mut self, at: usize, item: &'a Item, kind: &'a str, name: &'a str) {
        let file = &item.location.file;
        let from = self.scopes[at].resources[&(mode_of(&item.kind), kind, name)];
        self.refs_edges(from, at, &item.refs, false, file);
        self.refs_edges(from, at, &item.depends_on, true, file);
        self.track_arguments(at, from, item);
        if let Some(e) = self.scopes[at].expansion {
            self.edge(from, e, EdgeKind::Value);
        }
        if let Some(c) = self.scopes[at].close {
            self.edge(c, from, EdgeKind::Value);
        }
        let local_name = match &item.provider {
            Some(p) => p.as_str(),
            None => kind.split('_').next().unwrap_or(kind),
        };
        if let Some(p) = self.resolve_provider(at, local_name) {
            self.edge(from, p, EdgeKind::Provider);
        }
    }

    /// Keeps, for each tracked argument the unit `from` sets, the nodes that argument references.
    fn track_arguments(&mut self, at: usize, from: NodeIndex, item: &'a Item) {
        for (name, _) in item
            .arg_refs
            .iter()
            .filter(|(n, _)| self.tracked.contains(n))
        {
            let nodes: Vec<NodeIndex> = item
                .refs_of_arg(name)
                .iter()
                .flat_map(|r| self.resolve(at, r, false))
                .collect();
            self.arg_nodes
                .entry(from)
                .or_default()
                .push((name.clone(), nodes));
        }
    }

    /// Adds the edges of a variable: to its module's expansion node, and to what the calling
    /// module passes in.
    fn add_variable_edges(&mut self, at: usize, name: &str) {
        let from = self.scopes[at].variables[name];
        if let Some(e) = self.scopes[at].expansion {
            self.edge(from, e, EdgeKind::Value);
        }
        if let Some((parent, call, call_item)) = self.scopes[at].parent {
            if let Some(refs) = call.inputs.get(name) {
                self.refs_edges(from, parent, refs, false, &call_item.location.file);
            }
        }
    }

    /// Adds the edges of a module call: from its expansion node (or opaque unit, with its
    /// inputs) to its references and `depends_on`, and the close node's edge into the call.
    fn add_call_edges(&mut self, at: usize, call: &'a ModuleCall, item: &'a Item) {
        let file = &item.location.file;
        let close = self.scopes[at].close;
        let from = match self.scopes[at].calls[call.name.as_str()] {
            CallNodes::Resolved {
                expansion: e,
                close: child_close,
                ..
            } => {
                // The close node of a call covers everything the child's close covers.
                if let Some(c) = close {
                    self.edge(c, child_close, EdgeKind::Value);
                }
                e
            }
            CallNodes::Opaque(o) => {
                for refs in call.inputs.values() {
                    self.refs_edges(o, at, refs, false, file);
                }
                if let Some(c) = close {
                    self.edge(c, o, EdgeKind::Value);
                }
                o
            }
        };
        self.refs_edges(from, at, &item.refs, false, file);
        self.refs_edges(from, at, &item.depends_on, true, file);
        if let Some(e) = self.scopes[at].expansion {
            self.edge(from, e, EdgeKind::Value);
        }
    }

    /// Adds an edge from `from` to whatever each reference (written in `file`, in the module at
    /// `at`) points at; a reference to something undeclared is a warning, as Terraform rejects it.
    fn refs_edges(
        &mut self,
        from: NodeIndex,
        at: usize,
        refs: &[Reference],
        depends_on: bool,
        file: &str,
    ) {
        for r in refs {
            let targets = self.resolve(at, r, depends_on);
            if targets.is_empty() && self.must_resolve(at, r) {
                let m = &self.config.modules[at].path;
                let place = if m.is_root() {
                    "the root module".to_string()
                } else {
                    m.to_string()
                };
                self.warnings.push(Warning {
                    location: Some(Location {
                        file: file.to_string(),
                        line: r.line as usize,
                        column: r.column as usize,
                    }),
                    message: format!(
                        "reference to undeclared {} in {place}; Terraform will reject it, and tfscope ignores it",
                        r.dotted()
                    ),
                });
            }
            for to in targets {
                self.edge(from, to, EdgeKind::Value);
            }
        }
    }

    /// Whether an unresolved reference names something that must be declared.
    fn must_resolve(&self, at: usize, r: &Reference) -> bool {
        match (r.root.as_str(), r.attr(0), r.attr(1)) {
            ("var" | "local", Some(_), _) | ("data", Some(_), Some(_)) => true,
            ("module", Some(call), out) => match self.scopes[at].calls.get(call) {
                Some(CallNodes::Opaque(_)) => false,
                Some(CallNodes::Resolved { .. }) => out.is_some(),
                None => true,
            },
            _ => false,
        }
    }

    /// The nodes a reference written in the module at `at` points at.
    fn resolve(&self, at: usize, r: &Reference, depends_on: bool) -> Vec<NodeIndex> {
        let scope = &self.scopes[at];
        match (r.root.as_str(), r.attr(0), r.attr(1)) {
            ("var", Some(name), _) => scope.variables.get(name).copied().into_iter().collect(),
            ("local", Some(name), _) => scope.locals.get(name).copied().into_iter().collect(),
            ("module", Some(call), out) => match scope.calls.get(call) {
                None => Vec::new(),
                Some(&CallNodes::Opaque(o)) => vec![o],
                Some(&CallNodes::Resolved { close, child, .. }) => {
                    let outputs = &self.scopes[child].outputs;
                    match out {
                        None if depends_on => vec![close],
                        Some(out) => outputs.get(out).copied().into_iter().collect(),
                        // The whole module object: every output, in declaration order.
                        None => self.config.modules[child]
                            .items
                            .iter()
                            .filter_map(|i| match &i.kind {
                                ItemKind::Output { name } => outputs.get(name.as_str()).copied(),
                                _ => None,
                            })
                            .collect(),
                    }
                }
            },
            ("data", Some(kind), Some(name)) => scope
                .resources
                .get(&(Mode::Data, kind, name))
                .copied()
                .into_iter()
                .collect(),
            ("each" | "count" | "self" | "path" | "terraform" | "var" | "local" | "data", ..) => {
                Vec::new()
            }
            (kind, Some(name), _) => scope
                .resources
                .get(&(Mode::Managed, kind, name))
                .copied()
                .into_iter()
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The provider configuration a resource in the module at `at` uses under the local name
    /// `name` (`aws` or `aws.east`): declared here, passed in through `providers`, or inherited.
    fn resolve_provider(&self, at: usize, name: &str) -> Option<NodeIndex> {
        let scope = &self.scopes[at];
        if let Some(&p) = scope.providers.get(name) {
            return Some(p);
        }
        let (parent, call, _) = scope.parent?;
        if let Some(mapped) = call.providers.get(name) {
            return self.resolve_provider(parent, mapped);
        }
        if !name.contains('.') {
            return self.resolve_provider(parent, name);
        }
        None
    }
}
