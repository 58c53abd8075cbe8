//! Cycles in the build graph: a cycle through a module call that is not installed is broken
//! with a warning, any other cycle is an error that names one concrete cycle. Owns nothing
//! else: the graph is built in `build.rs` and projected in `project.rs`.

use std::collections::BTreeSet;

use petgraph::algo::tarjan_scc;
use petgraph::graph::NodeIndex;
use petgraph::visit::EdgeRef;

use crate::error::{Error, Warning};

use super::build::{Builder, NodeKind};

impl Builder<'_> {
    /// A cycle through a module call that is not installed is not a configuration error:
    /// Terraform resolves the module's outputs one by one, and tfscope, without the module's
    /// files, sees all of them depend on all of its inputs. Drop the call's input edges inside
    /// the cycle and warn: exact targets need `terraform init`.
    pub(super) fn break_opaque_cycles(&mut self) {
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

    /// Rejects any cycle that is left, with one concrete cycle through it in the error.
    pub(super) fn check_cycles(&self) -> Result<(), Error> {
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

    /// A node's name and location, for the cycle error.
    fn describe(&self, n: NodeIndex) -> String {
        let node = &self.graph[n];
        match &node.location {
            Some(loc) => format!("{} ({loc})", node.kind.describe()),
            None => node.kind.describe(),
        }
    }
}
