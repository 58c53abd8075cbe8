//! The dependency graph of a configuration, built the way Terraform builds its own: a node for
//! every resource, data source, variable, local, output, provider configuration and module call,
//! and an edge for every reference (`var.x` inside a module is wired to the caller's argument,
//! `module.m.out` to what the output references, `depends_on = [module.m]` to everything in it).
//! Cycles are errors. The result is projected onto *units* (managed resources, data sources and
//! opaque module calls) and *hubs* (a module call's expansion, and everything inside a module)
//! as a plain [`ResourceGraph`] for classification and targeting. Hubs keep the projection
//! linear: `depends_on = [module.m]` on many calls is one edge per call to `m`'s hub, not one
//! edge per pair of resources; every walk looks through them.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use petgraph::algo::{tarjan_scc, toposort};
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;

use crate::error::{Error, Location, Warning};
use crate::eval::instances::{ArgumentValue, Instances};
use crate::load::address::{Mode, ModulePath, ResourceAddr};
use crate::load::model::{Item, ItemKind, ModuleCall, Reference, Repetition};
use crate::load::{Configuration, Module};

/// Why one node depends on another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EdgeKind {
    /// A reference, `depends_on`, or module wiring: Terraform records it in the state and honours
    /// it for both apply and destroy targeting.
    Value,
    /// A resource's provider configuration references something. Terraform must apply that first,
    /// but does not record it as a dependency for destroy.
    Provider,
}

/// What a unit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    Managed,
    Data,
    /// A module call whose source is not available locally: targeted as a whole.
    OpaqueModule,
}

/// A targetable thing: a resource, a data source, or an opaque module call.
#[derive(Debug, Clone)]
pub struct Unit {
    pub address: String,
    pub kind: UnitKind,
    /// Resource type, or `module` for an opaque module call.
    pub resource_type: String,
    /// The module that declares it (for an opaque call: the module containing the call).
    pub module: ModulePath,
    pub location: Location,
    pub tags: BTreeMap<String, String>,
    pub repetition: Repetition,
    /// Kept arguments ([`crate::load::hcl::Detail::kept`]) in every instance, once evaluated for
    /// an environment ([`ResourceGraph::for_environment`]).
    pub arguments: BTreeMap<String, Vec<ArgumentValue>>,
}

/// Which module-wide node a hub stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum HubRole {
    /// A resolved module call's count/for_each/depends_on, which everything inside inherits.
    Expansion,
    /// Everything inside a module, for `depends_on = [module.m]`.
    Close,
}

/// A module-wide node kept in the resource graph so that edges to a whole module stay one edge.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Hub {
    pub module: ModulePath,
    pub role: HubRole,
}

/// Resource-level dependencies: everything classification and targeting need.
///
/// Nodes are numbered units first (`0..units.len()`), then hubs. A unit's direct dependencies
/// are the units reachable from it through hubs only ([`ResourceGraph::unit_deps`]); walks
/// ([`ResourceGraph::reach`], [`ResourceGraph::fold_adjacent`]) look through hubs and only ever
/// yield units.
#[derive(Debug, Clone)]
pub struct ResourceGraph {
    /// Sorted by address.
    pub units: Vec<Unit>,
    /// Node ids `units.len()..`, sorted by module and role.
    pub hubs: Vec<Hub>,
    /// `deps[n]` for every node: the units and hubs node `n` depends on directly (through any
    /// number of variables, locals, outputs and module boundaries), with the weakest edge kind
    /// on the strongest path.
    pub deps: Vec<BTreeMap<usize, EdgeKind>>,
    /// The reverse of `deps`: who depends on each node directly.
    pub rdeps: Vec<BTreeMap<usize, EdgeKind>>,
    /// Every resolved module call (not the root) with how it repeats.
    pub modules: BTreeMap<ModulePath, Repetition>,
    /// Units with no instance in the environment, left out of `units` (see [`ResourceGraph::for_environment`]).
    pub absent: Vec<Absent>,
    /// Parallel to `units`: for the tracked arguments a unit sets (principals of grants), the
    /// units and hubs each one references, through variables, locals and module boundaries.
    pub arg_deps: Vec<Vec<(String, BTreeSet<usize>)>>,
    pub warnings: Vec<Warning>,
}

/// A unit that has no instance in the evaluated environment.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Absent {
    pub address: String,
    pub kind: UnitKind,
    pub resource_type: String,
    pub location: Location,
    /// Which `count`/`for_each` leaves it without instances.
    pub why: String,
}

impl ResourceGraph {
    pub fn find(&self, address: &str) -> Option<usize> {
        self.units
            .binary_search_by(|u| u.address.as_str().cmp(address))
            .ok()
    }

    /// Direct dependents of each node (the reverse of `deps`).
    pub fn dependents(&self) -> &[BTreeMap<usize, EdgeKind>] {
        &self.rdeps
    }

    pub fn is_unit(&self, n: usize) -> bool {
        n < self.units.len()
    }

    fn edges(&self, direction: Direction) -> &[BTreeMap<usize, EdgeKind>] {
        match direction {
            Direction::Dependencies => &self.deps,
            Direction::Dependents => &self.rdeps,
        }
    }

    /// The units unit `u` depends on directly, looking through hubs, with the weakest edge kind
    /// on the strongest path. Linear in what it returns; for one unit at a time (a pass over
    /// every unit uses [`ResourceGraph::fold_adjacent`]).
    pub fn unit_deps(&self, u: usize) -> BTreeMap<usize, EdgeKind> {
        self.adjacent_units(Direction::Dependencies, u)
    }

    /// The units that depend on unit `u` directly, looking through hubs.
    pub fn unit_dependents(&self, u: usize) -> BTreeMap<usize, EdgeKind> {
        self.adjacent_units(Direction::Dependents, u)
    }

    fn adjacent_units(&self, direction: Direction, n: usize) -> BTreeMap<usize, EdgeKind> {
        let edges = self.edges(direction);
        let mut out = BTreeMap::new();
        // Value edges first: a unit reached by an all-value path is a value dependency.
        for kind in [EdgeKind::Value, EdgeKind::Provider] {
            let mut seen: BTreeSet<usize> = BTreeSet::new();
            let mut stack = vec![n];
            while let Some(m) = stack.pop() {
                for (&t, &k) in &edges[m] {
                    if k > kind || !seen.insert(t) {
                        continue;
                    }
                    if self.is_unit(t) {
                        out.entry(t).or_insert(kind);
                    } else {
                        stack.push(t);
                    }
                }
            }
        }
        out
    }

    /// Units reachable from `seeds` along `direction` (not including the seeds unless reached
    /// again); `value_only` follows only value edges.
    pub fn reach(
        &self,
        direction: Direction,
        seeds: impl IntoIterator<Item = usize>,
        value_only: bool,
    ) -> BTreeSet<usize> {
        let edges = self.edges(direction);
        // A bitmap keeps the walk linear in the edges it follows.
        let mut seen = vec![false; edges.len()];
        let mut queue: Vec<usize> = Vec::new();
        let visit = |from: usize, seen: &mut Vec<bool>, queue: &mut Vec<usize>| {
            for (&t, &k) in &edges[from] {
                if (!value_only || k == EdgeKind::Value) && !seen[t] {
                    seen[t] = true;
                    queue.push(t);
                }
            }
        };
        for s in seeds {
            visit(s, &mut seen, &mut queue);
        }
        while let Some(u) = queue.pop() {
            visit(u, &mut seen, &mut queue);
        }
        seen[..self.units.len()]
            .iter()
            .enumerate()
            .filter_map(|(u, &s)| s.then_some(u))
            .collect()
    }

    /// Folds `leaf` over the units adjacent to node `n` along `direction`, looking through hubs:
    /// `merge` combines summaries, and a hub's summary is computed once and kept in `memo`.
    /// This is how a pass over every unit asks about its direct neighbours in linear time. The
    /// memo is valid while `leaf` gives the same answers for the units behind the hubs in it.
    pub fn fold_adjacent<S: Clone>(
        &self,
        direction: Direction,
        n: usize,
        leaf: &impl Fn(usize) -> Option<S>,
        merge: &impl Fn(S, S) -> S,
        memo: &mut HashMap<usize, Option<S>>,
    ) -> Option<S> {
        let mut acc: Option<S> = None;
        for &t in self.edges(direction)[n].keys() {
            let s = self.fold_node(direction, t, leaf, merge, memo);
            acc = match (acc, s) {
                (Some(a), Some(b)) => Some(merge(a, b)),
                (a, b) => a.or(b),
            };
        }
        acc
    }

    /// [`ResourceGraph::fold_adjacent`] seen from a node: `leaf(n)` for a unit, and for a hub
    /// the fold over the units behind it, computed once and kept in `memo`.
    pub fn fold_node<S: Clone>(
        &self,
        direction: Direction,
        n: usize,
        leaf: &impl Fn(usize) -> Option<S>,
        merge: &impl Fn(S, S) -> S,
        memo: &mut HashMap<usize, Option<S>>,
    ) -> Option<S> {
        if self.is_unit(n) {
            return leaf(n);
        }
        if let Some(s) = memo.get(&n) {
            return s.clone();
        }
        let s = self.fold_adjacent(direction, n, leaf, merge, memo);
        memo.insert(n, s.clone());
        s
    }

    /// Unit ids in an order where every unit comes after all units that depend on it (through
    /// hubs), taking the smallest ready unit first. Hubs are passed as soon as they are ready,
    /// so the order is the one the unit-level graph would give.
    pub fn dependents_first(&self) -> Vec<usize> {
        let n = self.deps.len();
        let mut remaining: Vec<usize> = self.rdeps.iter().map(BTreeMap::len).collect();
        let mut ready: BTreeSet<usize> = BTreeSet::new();
        let mut hubs: Vec<usize> = Vec::new();
        for (i, &r) in remaining.iter().enumerate() {
            if r == 0 {
                if self.is_unit(i) {
                    ready.insert(i);
                } else {
                    hubs.push(i);
                }
            }
        }
        let mut order = Vec::with_capacity(self.units.len());
        loop {
            let next = match hubs.pop() {
                Some(h) => h,
                None => match ready.pop_first() {
                    Some(u) => {
                        order.push(u);
                        u
                    }
                    None => break,
                },
            };
            for &d in self.deps[next].keys() {
                remaining[d] -= 1;
                if remaining[d] == 0 {
                    if self.is_unit(d) {
                        ready.insert(d);
                    } else {
                        hubs.push(d);
                    }
                }
            }
        }
        debug_assert_eq!(order.len(), self.units.len(), "{n} nodes, acyclic");
        order
    }
}

/// Which way a walk follows edges.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// From a node to what it depends on (what `apply -target` pulls in).
    Dependencies,
    /// From a node to what depends on it (what `destroy -target` takes along).
    Dependents,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum NodeKind {
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
    fn describe(&self) -> String {
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
    fn is_unit(&self) -> bool {
        matches!(self, NodeKind::Resource(_) | NodeKind::Opaque(_))
    }

    /// Whether the node is a hub: a resolved module call's expansion or close node.
    fn is_hub(&self) -> bool {
        matches!(self, NodeKind::Expansion(_) | NodeKind::Close(_))
    }
}

struct Node<'a> {
    kind: NodeKind,
    location: Option<Location>,
    /// The declaration of a unit (the last one, if declared twice).
    item: Option<&'a Item>,
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
struct Scope<'a> {
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
    parent: Option<(usize, &'a ModuleCall, &'a Item)>,
}

struct Builder<'a> {
    /// Arguments whose references are kept apart per unit.
    tracked: &'a BTreeSet<String>,
    arg_nodes: HashMap<NodeIndex, Vec<(String, Vec<NodeIndex>)>>,
    graph: DiGraph<Node<'a>, EdgeKind>,
    /// Parallel to `config.modules`.
    scopes: Vec<Scope<'a>>,
    /// Edges in the order they were first added, with the position of each in `edges`.
    edges: Vec<(NodeIndex, NodeIndex, EdgeKind)>,
    edge_at: FastMap<(NodeIndex, NodeIndex), usize>,
    config: &'a Configuration,
    warnings: Vec<Warning>,
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
    fn node(&mut self, kind: NodeKind, location: Option<Location>) -> NodeIndex {
        self.graph.add_node(Node {
            kind,
            location,
            item: None,
        })
    }

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
                ItemKind::Resource { kind, name } | ItemKind::Data { kind, name } => {
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
    /// that is loaded (and tells the child's scope who calls it), or one opaque unit.
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
                ItemKind::Resource { kind, name } | ItemKind::Data { kind, name } => {
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

    /// A cycle through a module call that is not installed is not a configuration error:
    /// Terraform resolves the module's outputs one by one, and tfscope, without the module's
    /// files, sees all of them depend on all of its inputs. Drop the call's input edges inside
    /// the cycle and warn: exact targets need `terraform init`.
    fn break_opaque_cycles(&mut self) {
        loop {
            let mut broke = false;
            for scc in tarjan_scc(&self.graph) {
                if scc.len() < 2 {
                    continue;
                }
                let members: BTreeSet<NodeIndex> = scc.iter().copied().collect();
                let Some(&opaque) = members
                    .iter()
                    .find(|&&n| matches!(self.graph[n].kind, NodeKind::Opaque(_)))
                else {
                    continue;
                };
                let inside: Vec<_> = self
                    .graph
                    .edges(opaque)
                    .filter(|e| members.contains(&e.target()))
                    .map(|e| e.id())
                    .collect();
                for e in inside {
                    self.graph.remove_edge(e);
                }
                let call = self.graph[opaque].kind.describe();
                self.warnings.push(Warning {
                    location: self.graph[opaque].location.clone(),
                    message: format!(
                        "{call} is not installed and its inputs and outputs form a cycle that Terraform resolves output by output; run terraform init for exact targets"
                    ),
                });
                broke = true;
                // Edge removal renumbers edges: recompute the components.
                break;
            }
            if !broke {
                return;
            }
        }
    }

    fn check_cycles(&self) -> Result<(), Error> {
        for scc in tarjan_scc(&self.graph) {
            let cyclic =
                scc.len() > 1 || (scc.len() == 1 && self.graph.find_edge(scc[0], scc[0]).is_some());
            if !cyclic {
                continue;
            }
            let members: BTreeSet<NodeIndex> = scc.iter().copied().collect();
            // Walk one concrete cycle inside the component, starting from its smallest member.
            let start = *members
                .iter()
                .min_by_key(|&&n| self.describe(n))
                .expect("non-empty");
            let mut path = vec![start];
            let mut seen = BTreeSet::from([start]);
            let mut current = start;
            loop {
                let mut next: Vec<NodeIndex> = self
                    .graph
                    .edges(current)
                    .map(|e| e.target())
                    .filter(|t| members.contains(t))
                    .collect();
                next.sort_by_key(|&n| self.describe(n));
                let step = next
                    .iter()
                    .copied()
                    .find(|&n| n == start)
                    .or_else(|| next.iter().copied().find(|n| !seen.contains(n)))
                    .unwrap_or(start);
                path.push(step);
                if step == start || !seen.insert(step) {
                    break;
                }
                current = step;
            }
            return Err(Error::Cycle {
                cycle: path.iter().map(|&n| self.describe(n)).collect(),
            });
        }
        Ok(())
    }

    fn describe(&self, n: NodeIndex) -> String {
        let node = &self.graph[n];
        match &node.location {
            Some(loc) => format!("{} ({loc})", node.kind.describe()),
            None => node.kind.describe(),
        }
    }

    /// Projects the graph onto units and hubs: each depends directly on the units and hubs it
    /// reaches through variables, locals, outputs and provider configurations.
    fn project(mut self) -> ResourceGraph {
        // A module directory called twice reports the same reference twice.
        self.warnings.sort();
        self.warnings.dedup();
        let reach = self.reach_through_others();
        let units = self.units();
        let hubs = self.hubs();
        let nodes: Vec<NodeIndex> = units
            .iter()
            .map(|(n, _)| *n)
            .chain(hubs.iter().map(|(n, _)| *n))
            .collect();
        let mut position: Vec<usize> = vec![usize::MAX; self.graph.node_count()];
        for (i, n) in nodes.iter().enumerate() {
            position[n.index()] = i;
        }
        let deps: Vec<BTreeMap<usize, EdgeKind>> = nodes
            .iter()
            .map(|n| {
                reach[n.index()]
                    .iter()
                    .filter(|(u, _)| u != n)
                    .map(|(u, k)| (position[u.index()], *k))
                    .collect()
            })
            .collect();
        let rdeps = reverse(&deps);
        let modules = self.module_repetitions();
        let arg_deps = self.arg_deps(&units, &reach, &position);
        ResourceGraph {
            units: units.into_iter().map(|(_, u)| u).collect(),
            hubs: hubs.into_iter().map(|(_, h)| h).collect(),
            deps,
            rdeps,
            modules,
            absent: Vec::new(),
            arg_deps,
            warnings: self.warnings,
        }
    }

    /// Whether node `n` is kept in the projection: a unit or a hub.
    fn is_projected(&self, n: NodeIndex) -> bool {
        let kind = &self.graph[n].kind;
        kind.is_unit() || kind.is_hub()
    }

    /// For every node, the units and hubs reachable from it through other nodes, with the edge
    /// kind (sorted by node, one entry per node).
    fn reach_through_others(&self) -> Vec<Vec<(NodeIndex, EdgeKind)>> {
        let g = &self.graph;
        // Reverse topological order: dependencies before dependents.
        let mut order = toposort(g, None).expect("cycles were rejected");
        order.reverse();
        let mut reach: Vec<Vec<(NodeIndex, EdgeKind)>> = vec![Vec::new(); g.node_count()];
        for &n in &order {
            let mut mine: Vec<(NodeIndex, EdgeKind)> = Vec::new();
            for e in g.edges(n) {
                let (t, kind) = (e.target(), *e.weight());
                if self.is_projected(t) {
                    mine.push((t, kind));
                } else {
                    mine.extend(reach[t.index()].iter().map(|&(u, k)| (u, k.max(kind))));
                }
            }
            // The strongest path to each: the smallest kind comes first after sorting.
            mine.sort_unstable();
            mine.dedup_by_key(|(u, _)| *u);
            reach[n.index()] = mine;
        }
        reach
    }

    /// The units with their nodes, sorted by address.
    fn units(&self) -> Vec<(NodeIndex, Unit)> {
        let g = &self.graph;
        let mut units: Vec<(NodeIndex, Unit)> = g
            .node_indices()
            .filter(|&n| g[n].kind.is_unit())
            .map(|n| (n, unit_of(&g[n])))
            .collect();
        units.sort_by(|a, b| a.1.address.cmp(&b.1.address));
        units
    }

    /// The hubs with their nodes, sorted by module and role.
    fn hubs(&self) -> Vec<(NodeIndex, Hub)> {
        let g = &self.graph;
        let mut hubs: Vec<(NodeIndex, Hub)> = g
            .node_indices()
            .filter_map(|n| match &g[n].kind {
                NodeKind::Expansion(m) => Some((
                    n,
                    Hub {
                        module: m.clone(),
                        role: HubRole::Expansion,
                    },
                )),
                NodeKind::Close(m) => Some((
                    n,
                    Hub {
                        module: m.clone(),
                        role: HubRole::Close,
                    },
                )),
                _ => None,
            })
            .collect();
        hubs.sort_by(|a, b| a.1.cmp(&b.1));
        hubs
    }

    /// Every resolved module call (not the root) with how it repeats.
    fn module_repetitions(&self) -> BTreeMap<ModulePath, Repetition> {
        self.scopes
            .iter()
            .zip(&self.config.modules)
            .filter_map(|(scope, module)| {
                scope
                    .parent
                    .map(|(_, _, item)| (module.path.clone(), item.repetition))
            })
            .collect()
    }

    /// Parallel to `units`: the units and hubs each tracked argument of a unit references,
    /// at their `position` in the projection.
    fn arg_deps(
        &self,
        units: &[(NodeIndex, Unit)],
        reach: &[Vec<(NodeIndex, EdgeKind)>],
        position: &[usize],
    ) -> Vec<Vec<(String, BTreeSet<usize>)>> {
        units
            .iter()
            .map(|(n, _)| {
                self.arg_nodes
                    .get(n)
                    .map(|args| {
                        args.iter()
                            .map(|(name, nodes)| {
                                let mut set = BTreeSet::new();
                                for &t in nodes {
                                    if self.is_projected(t) {
                                        set.insert(position[t.index()]);
                                    } else {
                                        set.extend(
                                            reach[t.index()]
                                                .iter()
                                                .map(|(u, _)| position[u.index()]),
                                        );
                                    }
                                }
                                (name.clone(), set)
                            })
                            .collect()
                    })
                    .unwrap_or_default()
            })
            .collect()
    }
}

/// The unit a resource or opaque module node stands for.
fn unit_of(node: &Node) -> Unit {
    let item = node.item.expect("units are declared");
    match &node.kind {
        NodeKind::Resource(addr) => Unit {
            address: addr.to_string(),
            kind: if addr.mode == Mode::Data {
                UnitKind::Data
            } else {
                UnitKind::Managed
            },
            resource_type: addr.kind.clone(),
            module: addr.module.clone(),
            location: item.location.clone(),
            tags: item.tags.clone(),
            repetition: item.repetition,
            arguments: BTreeMap::new(),
        },
        NodeKind::Opaque(path) => Unit {
            address: path.to_string(),
            kind: UnitKind::OpaqueModule,
            resource_type: "module".into(),
            module: path.parent().unwrap_or_default(),
            location: item.location.clone(),
            tags: BTreeMap::new(),
            repetition: item.repetition,
            arguments: BTreeMap::new(),
        },
        _ => unreachable!("filtered to units"),
    }
}

impl ResourceGraph {
    /// The graph in the environment of `instances`: every unit gets its kept arguments
    /// evaluated (what a generic resource is), and the units that have no instance there are
    /// left out. Terraform records
    /// every transitive dependency in state, through nodes without instances too, so a unit
    /// that depended on something through an absent unit still depends on it: edges are
    /// contracted, not cut. An absent unit itself is never a target, never implies or cascades
    /// anything and never promotes anything.
    pub fn for_environment(mut self, instances: &Instances) -> ResourceGraph {
        for unit in &mut self.units {
            if let Some(e) = instances.get(&unit.address) {
                unit.arguments = e.arguments.clone();
            }
        }
        // Every node: units, then hubs, which are never absent.
        let gone: Vec<bool> = self
            .units
            .iter()
            .map(|u| instances.is_absent(&u.address))
            .chain(std::iter::repeat_n(false, self.hubs.len()))
            .collect();
        if !gone.contains(&true) {
            return self;
        }
        let through = contract_absent(&self.deps, &gone);
        let position = present_positions(&gone);
        let deps: Vec<BTreeMap<usize, EdgeKind>> = (0..self.deps.len())
            .filter(|&u| !gone[u])
            .map(|u| {
                contracted(&self.deps[u], &gone, &through)
                    .into_iter()
                    .map(|(t, kind)| (position[t].expect("present"), kind))
                    .collect()
            })
            .collect();
        let rdeps = reverse(&deps);
        let arg_deps = self.present_arg_deps(&gone, &through, &position);
        let (units, absent) = split_absent(self.units, self.absent, &gone, instances);
        ResourceGraph {
            units,
            hubs: self.hubs,
            deps,
            rdeps,
            modules: self.modules,
            absent,
            arg_deps,
            warnings: self.warnings,
        }
    }

    /// [`ResourceGraph::arg_deps`] of the units that are not `gone`, with absent units
    /// contracted and every node at its new `position`.
    fn present_arg_deps(
        &self,
        gone: &[bool],
        through: &[Option<BTreeMap<usize, EdgeKind>>],
        position: &[Option<usize>],
    ) -> Vec<Vec<(String, BTreeSet<usize>)>> {
        (0..self.units.len())
            .filter(|&u| !gone[u])
            .map(|u| {
                self.arg_deps[u]
                    .iter()
                    .map(|(name, set)| {
                        let mut mapped = BTreeSet::new();
                        for &t in set {
                            match position[t] {
                                Some(p) => {
                                    mapped.insert(p);
                                }
                                None => mapped.extend(
                                    through[t]
                                        .as_ref()
                                        .expect("computed")
                                        .keys()
                                        .map(|&x| position[x].expect("present")),
                                ),
                            }
                        }
                        (name.clone(), mapped)
                    })
                    .collect()
            })
            .collect()
    }
}

/// For every `gone` node, its dependencies with absent nodes contracted (`None` for the others).
fn contract_absent(
    deps: &[BTreeMap<usize, EdgeKind>],
    gone: &[bool],
) -> Vec<Option<BTreeMap<usize, EdgeKind>>> {
    let mut through: Vec<Option<BTreeMap<usize, EdgeKind>>> = vec![None; deps.len()];
    // Dependencies first: an absent dependency is contracted before its dependents need it.
    for u in dependencies_first(deps) {
        if gone[u] {
            let mine = contracted(&deps[u], gone, &through);
            through[u] = Some(mine);
        }
    }
    through
}

/// One node's dependencies `deps` with every `gone` one replaced by what it depends on
/// (`through`), each with the weakest edge kind on the strongest path.
fn contracted(
    deps: &BTreeMap<usize, EdgeKind>,
    gone: &[bool],
    through: &[Option<BTreeMap<usize, EdgeKind>>],
) -> BTreeMap<usize, EdgeKind> {
    let mut mine: BTreeMap<usize, EdgeKind> = BTreeMap::new();
    let mut add = |t: usize, kind: EdgeKind| {
        let slot = mine.entry(t).or_insert(kind);
        *slot = (*slot).min(kind);
    };
    for (&d, &k) in deps {
        if gone[d] {
            for (&t, &k2) in through[d].as_ref().expect("dependencies first") {
                add(t, k.max(k2));
            }
        } else {
            add(d, k);
        }
    }
    mine
}

/// The position of every node that is not `gone` once the gone ones are left out.
fn present_positions(gone: &[bool]) -> Vec<Option<usize>> {
    let mut next = 0;
    gone.iter()
        .map(|&g| {
            (!g).then(|| {
                next += 1;
                next - 1
            })
        })
        .collect()
}

/// Splits `units` into those that are not `gone` and the absent ones, which join `absent` with
/// why they have no instance (sorted by address).
fn split_absent(
    units: Vec<Unit>,
    mut absent: Vec<Absent>,
    gone: &[bool],
    instances: &Instances,
) -> (Vec<Unit>, Vec<Absent>) {
    let mut present = Vec::with_capacity(units.len());
    for (u, unit) in units.into_iter().enumerate() {
        if gone[u] {
            let why = instances
                .get(&unit.address)
                .and_then(|e| e.why_absent.clone())
                .unwrap_or_else(|| "it has no instances in this environment".into());
            absent.push(Absent {
                address: unit.address,
                kind: unit.kind,
                resource_type: unit.resource_type,
                location: unit.location,
                why,
            });
        } else {
            present.push(unit);
        }
    }
    absent.sort_by(|a, b| a.address.cmp(&b.address));
    (present, absent)
}

/// The reverse of `deps`: who depends on each node directly.
fn reverse(deps: &[BTreeMap<usize, EdgeKind>]) -> Vec<BTreeMap<usize, EdgeKind>> {
    let mut rdeps = vec![BTreeMap::new(); deps.len()];
    for (from, d) in deps.iter().enumerate() {
        for (&to, &kind) in d {
            rdeps[to].insert(from, kind);
        }
    }
    rdeps
}

/// Unit indices in an order where every unit comes after all its dependencies.
fn dependencies_first(deps: &[BTreeMap<usize, EdgeKind>]) -> Vec<usize> {
    let n = deps.len();
    let mut remaining: Vec<usize> = deps.iter().map(BTreeMap::len).collect();
    let mut rdeps: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (u, d) in deps.iter().enumerate() {
        for &t in d.keys() {
            rdeps[t].push(u);
        }
    }
    let mut ready: Vec<usize> = (0..n).filter(|&u| remaining[u] == 0).collect();
    let mut order = Vec::with_capacity(n);
    while let Some(u) = ready.pop() {
        order.push(u);
        for &r in &rdeps[u] {
            remaining[r] -= 1;
            if remaining[r] == 0 {
                ready.push(r);
            }
        }
    }
    order
}

#[cfg(test)]
mod tests {
    //! The dependency graph: module wiring, depends_on, providers, cycles, and walks through hubs.

    use super::*;

    use crate::testing::graph as graph_of;

    fn deps_of(g: &ResourceGraph, addr: &str) -> Vec<String> {
        let i = g.find(addr).unwrap_or_else(|| panic!("no {addr}"));
        g.unit_deps(i)
            .iter()
            .map(|(&d, &k)| match k {
                EdgeKind::Value => g.units[d].address.clone(),
                EdgeKind::Provider => format!("{} (provider)", g.units[d].address),
            })
            .collect()
    }

    // Three public examples stopped with "Terraform rejects cyclic configurations too".
    #[test]
    fn a_cycle_through_a_module_that_is_not_installed_is_a_warning() {
        let g = graph_of(&[(
            "main.tf",
            r#"
module "remote" {
  source = "example/thing/aws"
  role   = aws_iam_role.r.arn
}
resource "aws_iam_role" "r" {
  name   = "r"
  policy = module.remote.policy_json
}
"#,
        )])
        .expect("not an error");
        assert!(
            g.warnings
                .iter()
                .any(|w| w.message.contains("run terraform init for exact targets")),
            "{:?}",
            g.warnings
        );
        assert_eq!(deps_of(&g, "aws_iam_role.r"), vec!["module.remote"]);
    }

    #[test]
    fn dependencies_flow_through_module_inputs_and_outputs() {
        let g = graph_of(&[
            (
                "main.tf",
                r#"
module "net" { source = "./net" }
module "app" {
  source = "./app"
  subnet = module.net.subnet_id
}
"#,
            ),
            (
                "net/main.tf",
                r#"
resource "aws_vpc" "v" {}
resource "aws_subnet" "s" { vpc_id = aws_vpc.v.id }
resource "aws_eip" "unrelated" {}
locals { id = aws_subnet.s.id }
output "subnet_id" { value = local.id }
output "eip" { value = aws_eip.unrelated.id }
"#,
            ),
            (
                "app/main.tf",
                r#"
variable "subnet" {}
resource "aws_instance" "i" { subnet_id = var.subnet }
"#,
            ),
        ])
        .unwrap();
        assert_eq!(
            deps_of(&g, "module.app.aws_instance.i"),
            vec!["module.net.aws_subnet.s"]
        );
        assert_eq!(
            deps_of(&g, "module.net.aws_subnet.s"),
            vec!["module.net.aws_vpc.v"]
        );
    }

    #[test]
    fn depends_on_a_module_means_everything_inside_it() {
        let g = graph_of(&[
            (
                "main.tf",
                r#"
module "db" { source = "./db" }
resource "null_resource" "migrate" { depends_on = [module.db] }
"#,
            ),
            (
                "db/main.tf",
                "resource \"aws_db_instance\" \"a\" {}\nmodule \"inner\" { source = \"./inner\" }\n",
            ),
            ("db/inner/main.tf", "resource \"aws_s3_bucket\" \"b\" {}\n"),
        ])
        .unwrap();
        assert_eq!(
            deps_of(&g, "null_resource.migrate"),
            vec![
                "module.db.aws_db_instance.a",
                "module.db.module.inner.aws_s3_bucket.b"
            ]
        );
    }

    /// Many calls with `depends_on` on one shared module, and a `for_each` call inside each.
    fn shared_module_calls(calls: usize) -> ResourceGraph {
        let mut root = String::from("module \"shared\" { source = \"./shared\" }\n");
        for c in 0..calls {
            root.push_str(&format!(
                "module \"c{c}\" {{\n  source     = \"./caller\"\n  depends_on = [module.shared]\n}}\n"
            ));
        }
        let shared = "resource \"aws_vpc\" \"a\" {}\nresource \"aws_vpc\" \"b\" {}\nresource \"aws_vpc\" \"c\" {}\n";
        let caller = r#"
resource "aws_ecs_cluster" "k" {}
resource "aws_ecs_service" "s" { cluster = aws_ecs_cluster.k.id }
module "inner" {
  source   = "./inner"
  for_each = toset(["x", "y"])
  cluster  = aws_ecs_cluster.k.id
}
"#;
        let inner = "variable \"cluster\" {}\nresource \"aws_ecs_task_definition\" \"t\" { family = var.cluster }\n";
        graph_of(&[
            ("main.tf", root.as_str()),
            ("shared/main.tf", shared),
            ("caller/main.tf", caller),
            ("caller/inner/main.tf", inner),
        ])
        .unwrap()
    }

    #[test]
    fn depends_on_a_module_is_one_edge_per_call_to_its_hub() {
        let g = shared_module_calls(6);
        let hub = |module: &str, role: HubRole| {
            let i = g
                .hubs
                .iter()
                .position(|h| h.module.to_string() == module && h.role == role)
                .unwrap_or_else(|| panic!("no hub for {module}"));
            g.units.len() + i
        };
        let close = hub("module.shared", HubRole::Close);
        // Everything inside the shared module, once, and the six calls' expansions behind it.
        assert_eq!(g.deps[close].len(), 3);
        assert_eq!(g.rdeps[close].len(), 6);
        for c in 0..6 {
            let expansion = hub(&format!("module.c{c}"), HubRole::Expansion);
            assert_eq!(g.deps[expansion].keys().collect::<Vec<_>>(), vec![&close]);
        }
        // Edges grow with the calls, not with calls times resources.
        let edges = |g: &ResourceGraph| g.deps.iter().map(BTreeMap::len).sum::<usize>();
        let (small, big) = (
            edges(&shared_module_calls(6)),
            edges(&shared_module_calls(12)),
        );
        let per_call = (big - small) / 6;
        assert!(per_call <= 12, "{per_call} edges per call");
        // Looking through the hubs, a resource of a call still depends on the whole module.
        assert_eq!(
            deps_of(&g, "module.c3.module.inner.aws_ecs_task_definition.t"),
            vec![
                "module.c3.aws_ecs_cluster.k",
                "module.shared.aws_vpc.a",
                "module.shared.aws_vpc.b",
                "module.shared.aws_vpc.c"
            ]
        );
    }

    #[test]
    fn walks_through_hubs_agree_with_the_unit_level_graph() {
        let g = shared_module_calls(4);
        let n = g.units.len();
        let unit_deps: Vec<BTreeMap<usize, EdgeKind>> = (0..n).map(|u| g.unit_deps(u)).collect();
        // Direct dependents are the reverse of direct dependencies.
        for u in 0..n {
            let from_deps: BTreeSet<usize> =
                (0..n).filter(|&d| unit_deps[d].contains_key(&u)).collect();
            assert_eq!(
                g.unit_dependents(u)
                    .keys()
                    .copied()
                    .collect::<BTreeSet<_>>(),
                from_deps
            );
        }
        // Dependents first, smallest ready unit first: Kahn's order on the unit-level graph.
        let mut remaining: Vec<usize> = (0..n).map(|u| g.unit_dependents(u).len()).collect();
        let mut ready: BTreeSet<usize> = (0..n).filter(|&u| remaining[u] == 0).collect();
        let mut naive = Vec::new();
        while let Some(u) = ready.pop_first() {
            naive.push(u);
            for &d in unit_deps[u].keys() {
                remaining[d] -= 1;
                if remaining[d] == 0 {
                    ready.insert(d);
                }
            }
        }
        assert_eq!(g.dependents_first(), naive);
        // A fold over the neighbours is the fold over `unit_deps`, memo or not.
        let mut memo = HashMap::new();
        for (u, deps) in unit_deps.iter().enumerate() {
            let leaf = |d: usize| Some(g.units[d].address.clone());
            let first =
                g.fold_adjacent(Direction::Dependencies, u, &leaf, &std::cmp::min, &mut memo);
            let expected = deps.keys().map(|&d| g.units[d].address.clone()).min();
            assert_eq!(first, expected, "{}", g.units[u].address);
        }
        // Reach through hubs yields units only: the closure of one shared VPC's dependents.
        let vpc = g.find("module.shared.aws_vpc.a").unwrap();
        let cascade = g.reach(Direction::Dependents, [vpc], true);
        assert!(cascade.iter().all(|&u| g.is_unit(u)));
        assert_eq!(
            cascade.len(),
            4 * 3,
            "the three resources of each of the four calls"
        );
    }

    #[test]
    fn module_depends_on_and_for_each_reach_every_resource_inside() {
        let g = graph_of(&[
            (
                "main.tf",
                r#"
resource "aws_iam_role" "r" {}
resource "aws_s3_bucket" "keys" {}
module "svc" {
  source     = "./svc"
  for_each   = aws_s3_bucket.keys.tags
  depends_on = [aws_iam_role.r]
}
"#,
            ),
            ("svc/main.tf", "resource \"aws_ecs_service\" \"s\" {}\n"),
        ])
        .unwrap();
        assert_eq!(
            deps_of(&g, "module.svc.aws_ecs_service.s"),
            vec!["aws_iam_role.r", "aws_s3_bucket.keys"]
        );
        assert_eq!(
            g.modules[&ModulePath::root().child("svc")],
            Repetition::ForEach
        );
    }

    #[test]
    fn provider_configuration_references_are_provider_edges() {
        let g = graph_of(&[(
            "main.tf",
            r#"
resource "aws_eks_cluster" "c" {}
provider "kubernetes" { host = aws_eks_cluster.c.endpoint }
resource "kubernetes_namespace" "n" {}
resource "kubernetes_deployment" "d" {
  metadata {
    namespace = kubernetes_namespace.n.id
  }
}
"#,
        )])
        .unwrap();
        assert_eq!(
            deps_of(&g, "kubernetes_deployment.d"),
            vec!["aws_eks_cluster.c (provider)", "kubernetes_namespace.n"]
        );
    }

    #[test]
    fn providers_are_passed_into_modules_by_name() {
        let g = graph_of(&[
            (
                "main.tf",
                r#"
resource "aws_iam_role" "deployer" {}
provider "aws" {
  alias = "deploy"
  assume_role { role_arn = aws_iam_role.deployer.arn }
}
module "m" {
  source    = "./m"
  providers = { aws = aws.deploy }
}
"#,
            ),
            ("m/main.tf", "resource \"aws_s3_bucket\" \"b\" {}\n"),
        ])
        .unwrap();
        assert_eq!(
            deps_of(&g, "module.m.aws_s3_bucket.b"),
            vec!["aws_iam_role.deployer (provider)"]
        );
    }

    #[test]
    fn iterator_and_meta_references_are_not_edges() {
        let g = graph_of(&[(
            "main.tf",
            r#"
resource "aws_subnet" "s" {
  count = 2
  cidr_block = cidrsubnet("10.0.0.0/16", 8, count.index)
  tags = { for k, v in var.tags : k => v }
}
resource "aws_route_table_association" "a" {
  for_each  = { for s in aws_subnet.s : s.id => s }
  subnet_id = each.value.id
  route_table_id = "${path.module}/${terraform.workspace}"
}
variable "tags" { default = {} }
"#,
        )])
        .unwrap();
        assert_eq!(
            deps_of(&g, "aws_route_table_association.a"),
            vec!["aws_subnet.s"]
        );
        assert!(deps_of(&g, "aws_subnet.s").is_empty());
    }

    #[test]
    fn a_cycle_is_an_error_that_prints_the_cycle() {
        let err = graph_of(&[(
            "main.tf",
            r#"
resource "aws_a" "x" { v = aws_b.y.id }
resource "aws_b" "y" { v = local.l }
locals { l = aws_a.x.id }
"#,
        )])
        .unwrap_err();
        let msg = err.to_string();
        assert!(msg.starts_with("dependency cycle: aws_a.x ("), "{msg}");
        assert!(msg.contains("aws_b.y ("), "{msg}");
        assert!(msg.contains("local.l ("), "{msg}");
        assert!(msg.contains("main.tf:2:1"), "{msg}");
    }

    #[test]
    fn undeclared_references_are_warnings_with_their_location() {
        let g = graph_of(&[
            (
                "main.tf",
                "module \"m\" { source = \"./m\" }\nresource \"aws_s3_bucket\" \"b\" {\n  bucket = \"${var.nope}-${module.m.missing}-${module.gone.x}\"\n}\n",
            ),
            ("m/main.tf", "output \"ok\" { value = 1 }\n"),
        ])
        .unwrap();
        let messages: Vec<String> = g.warnings.iter().map(|w| w.to_string()).collect();
        assert_eq!(messages.len(), 3, "{messages:?}");
        assert!(
            messages[0]
                .contains("main.tf:3:15: reference to undeclared var.nope in the root module"),
            "{messages:?}"
        );
        assert!(messages[1].contains("module.m.missing"), "{messages:?}");
        assert!(messages[2].contains("module.gone.x"), "{messages:?}");
    }

    #[test]
    fn opaque_modules_are_units_with_their_inputs_as_dependencies() {
        let g = graph_of(&[(
            "main.tf",
            r#"
resource "aws_vpc" "v" {}
module "eks" {
  source = "terraform-aws-modules/eks/aws"
  vpc_id = aws_vpc.v.id
}
resource "aws_iam_role_policy" "p" { role = module.eks.role_name }
"#,
        )])
        .unwrap();
        assert_eq!(deps_of(&g, "module.eks"), vec!["aws_vpc.v"]);
        assert_eq!(deps_of(&g, "aws_iam_role_policy.p"), vec!["module.eks"]);
        let eks = &g.units[g.find("module.eks").unwrap()];
        assert_eq!(eks.kind, UnitKind::OpaqueModule);
    }
}
