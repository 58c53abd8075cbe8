//! `tfscope status`: which scopes are up, down or partly there, read from Terraform state. The
//! state comes as `terraform show -json` output, a raw state file (`terraform.tfstate`, format 4)
//! or `terraform state pull` output; all are reduced to the set of resources present. Resources
//! the configuration no longer has and resources known to have no instances in the environment
//! (`count = 0`) are reported apart, so an environment without autoscaling is still "up".

use std::collections::BTreeSet;

use serde_json::Value;

use crate::classify::Classification;
use crate::error::{offset_of, Error, StateError};
use crate::graph::{ResourceGraph, UnitKind};

/// [`resources_in_state`] of a document's text; `origin` says where it came from, for errors,
/// which show the line when the text is not JSON.
pub fn resources_in_state_text(text: &str, origin: String) -> Result<BTreeSet<String>, Error> {
    let doc: Value = serde_json::from_str(text).map_err(|e| {
        let offset = offset_of(text, e.line(), e.column());
        let (_, src, span) = crate::error::locate(&origin, text, offset..offset + 1);
        Error::State(Box::new(StateError {
            origin: origin.clone(),
            message: e.to_string(),
            src: Some(src),
            span: Some(span),
        }))
    })?;
    resources_in_state(&doc).map_err(|message| Error::state(origin, message))
}

pub fn resources_in_state(doc: &Value) -> Result<BTreeSet<String>, String> {
    let mut out = BTreeSet::new();
    if doc.get("format_version").is_some() || doc.get("values").is_some() {
        // `terraform show -json`; no "values" when the state is empty.
        fn walk(module: &Value, out: &mut BTreeSet<String>) -> Result<(), String> {
            for r in module["resources"]
                .as_array()
                .map(Vec::as_slice)
                .unwrap_or_default()
            {
                if r["mode"] == "managed" {
                    let addr = r["address"]
                        .as_str()
                        .ok_or("a resource without an address")?;
                    out.insert(strip_keys(addr)?);
                }
            }
            for child in module["child_modules"]
                .as_array()
                .map(Vec::as_slice)
                .unwrap_or_default()
            {
                walk(child, out)?;
            }
            Ok(())
        }
        walk(&doc["values"]["root_module"], &mut out)?;
    } else if doc.get("version").and_then(Value::as_u64) == Some(4) {
        for r in doc["resources"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default()
        {
            if r["mode"] != "managed" || r["instances"].as_array().is_some_and(Vec::is_empty) {
                continue;
            }
            let module = r["module"]
                .as_str()
                .map(|m| format!("{m}."))
                .unwrap_or_default();
            let (t, n) = (
                r["type"].as_str().unwrap_or_default(),
                r["name"].as_str().unwrap_or_default(),
            );
            out.insert(strip_keys(&format!("{module}{t}.{n}"))?);
        }
    } else {
        return Err("neither `terraform show -json` output nor a version 4 state file".into());
    }
    Ok(out)
}

fn strip_keys(address: &str) -> Result<String, String> {
    crate::load::address::resource_address(address)
        .ok_or_else(|| format!("not a resource address: {address}"))
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    Up,
    Down,
    Partial,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct ScopeStatus {
    pub scope: String,
    pub status: State,
    pub present: usize,
    pub expected: usize,
    /// Expected here but not in state.
    pub missing: Vec<String>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Status {
    pub env: Option<String>,
    pub scopes: Vec<ScopeStatus>,
    /// In state, but the configuration has no such resource.
    pub orphans: Vec<String>,
}

pub fn status(
    graph: &ResourceGraph,
    class: &Classification,
    present: &BTreeSet<String>,
    env: Option<String>,
) -> Status {
    let scopes = class
        .each_scope()
        .map(|(k, name)| {
            let expected: Vec<&str> = graph
                .unit_ids()
                .filter(|&u| class.units[u].scope == k && graph.units[u].kind == UnitKind::Managed)
                .map(|u| graph.units[u].address.as_str())
                .collect();
            let missing: Vec<String> = expected
                .iter()
                .filter(|a| !present.contains(**a))
                .map(|a| a.to_string())
                .collect();
            let found = expected.len() - missing.len();
            let status = match (found, missing.len()) {
                (_, 0) if !expected.is_empty() => State::Up,
                (0, _) | (_, 0) => State::Down,
                _ => State::Partial,
            };
            ScopeStatus {
                scope: name.clone(),
                status,
                present: found,
                expected: expected.len(),
                missing,
            }
        })
        .collect();
    let orphans = present
        .iter()
        .filter(|a| graph.find(a).is_none())
        .cloned()
        .collect();
    Status {
        env,
        scopes,
        orphans,
    }
}

#[cfg(test)]
mod tests {
    //! State files of both formats, and scopes up, down or partial with orphans listed.

    use super::*;
    use serde_json::json;

    #[test]
    fn a_state_file_that_is_not_json_points_at_the_line_and_column() {
        let text = "{\"version\": 4,\n \"resources\": [ x ]\n}\n";
        assert_eq!(offset_of(text, 2, 17), text.find('x').unwrap());
        let err = resources_in_state_text(text, "s.tfstate".into()).unwrap_err();
        let Error::State(state) = &err else {
            panic!("not a state error: {err}")
        };
        assert_eq!(state.span.map(|s| s.offset()), text.find('x'));
        assert!(err.to_string().contains("line 2 column 17"), "{err}");
        let not_state = resources_in_state_text("[]", "s.tfstate".into()).unwrap_err();
        assert!(not_state
            .to_string()
            .starts_with("cannot read the state from s.tfstate"));
    }

    #[test]
    fn both_state_formats_reduce_to_config_addresses() {
        let show = json!({"format_version": "1.0", "values": {"root_module": {
            "resources": [{"address": "aws_vpc.v", "mode": "managed"}, {"address": "data.aws_ami.a", "mode": "data"}],
            "child_modules": [{"resources": [{"address": "module.s[\"api\"].aws_ecs_service.this[0]", "mode": "managed"}]}]
        }}});
        let raw = json!({"version": 4, "resources": [
            {"mode": "managed", "type": "aws_vpc", "name": "v", "instances": [{}]},
            {"module": "module.s[\"api\"]", "mode": "managed", "type": "aws_ecs_service", "name": "this", "instances": [{"index_key": 0}]},
            {"mode": "managed", "type": "aws_eip", "name": "gone", "instances": []}
        ]});
        let want: BTreeSet<String> = ["aws_vpc.v", "module.s.aws_ecs_service.this"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(resources_in_state(&show).unwrap(), want);
        assert_eq!(resources_in_state(&raw).unwrap(), want);
        assert!(
            resources_in_state(&json!({"format_version": "1.0"}))
                .unwrap()
                .is_empty(),
            "empty state"
        );
        assert!(resources_in_state(&json!({"version": 3})).is_err());
    }

    #[test]
    fn scopes_are_up_down_or_partial_and_orphans_are_listed() {
        let (graph, class) = crate::testing::analyse(
            &[(
                "main.tf",
                "resource \"aws_vpc\" \"v\" {}\nresource \"aws_subnet\" \"s\" {}\nresource \"aws_ecs_cluster\" \"c\" {}\nresource \"aws_appautoscaling_target\" \"t\" {\n  count = 0\n}\n",
            )],
            "",
        );
        let present: BTreeSet<String> = ["aws_vpc.v", "aws_ecs_cluster.c", "aws_instance.old"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let s = status(&graph, &class, &present, None);
        assert_eq!(s.scopes[0].status, State::Partial);
        assert_eq!(s.scopes[0].missing, vec!["aws_subnet.s"]);
        assert_eq!(
            (s.scopes[1].status.clone(), s.scopes[1].expected),
            (State::Up, 1),
            "count = 0 is not expected (issue 8, reproduction 7: a plan-clean state was partial)"
        );
        assert_eq!(s.orphans, vec!["aws_instance.old"]);
        let none = status(&graph, &class, &BTreeSet::new(), None);
        assert!(none.scopes.iter().all(|s| s.status == State::Down));
    }
}
