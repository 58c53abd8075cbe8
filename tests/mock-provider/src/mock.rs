//! The provider, its resources and data sources.

use std::collections::{BTreeMap, HashMap};
use std::io::{Read, Write};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use async_trait::async_trait;
use rmpv::Value;
use tf_provider::schema::Schema;
use tf_provider::{
    AttributePath, DataSource, Diagnostics, DynamicDataSource, DynamicResource, Provider, Resource,
};

use crate::cty::{self, Faker, Ty};
use crate::fault::{self, Effect, Operation, FAULT_ENV};
use crate::schema_file::{BlockDef, ProviderDef};

pub const LOG_ENV: &str = "TFSCOPE_MOCK_LOG";

/// One served type: its provider's name, its own name, its schema.
struct TypeDef {
    provider: String,
    type_name: String,
    def: BlockDef,
    /// Type of each position of the top-level object.
    top: BTreeMap<String, Ty>,
}

impl TypeDef {
    fn new(provider: &str, type_name: &str, def: BlockDef) -> Self {
        let top = top_types(&def);
        Self {
            provider: provider.to_string(),
            type_name: type_name.to_string(),
            def,
            top,
        }
    }

    fn schema(&self) -> Schema {
        Schema {
            version: 0,
            block: self.def.to_tf_block(),
        }
    }
}

/// The type Terraform gives a nested LIST block of this schema: a tuple
/// (i.e. DynamicPseudoType at its position) as soon as anything in it is
/// dynamic, otherwise a list of objects.
fn block_position_type(def: &BlockDef) -> Ty {
    if def.has_dynamic() {
        Ty::Dynamic
    } else {
        Ty::List(Box::new(Ty::Object(
            def.blocks
                .iter()
                .map(|(k, b)| (k.clone(), block_position_type(b)))
                .collect(),
        )))
    }
}

fn top_types(def: &BlockDef) -> BTreeMap<String, Ty> {
    let mut top: BTreeMap<String, Ty> = def
        .attributes
        .keys()
        .map(|k| (k.clone(), Ty::Dynamic))
        .collect();
    for (k, b) in &def.blocks {
        top.insert(k.clone(), block_position_type(b));
    }
    top
}

/// What a null computed attribute becomes.
enum Mode<'a> {
    /// Resource plan: unknown (or the known `fake` template).
    Unknown,
    /// Data source read: a known fake (or the `fake` template).
    Known(&'a Faker<'a>),
}

struct Ctx<'a> {
    root_config: &'a Value,
    top: &'a BTreeMap<String, Ty>,
    mode: Mode<'a>,
}

/// Give every computed attribute that is null in `config` its planned value,
/// in one object: the top-level object (`attr_tys` None: every attribute
/// position is dynamic) or one element of a nested block (`attr_tys` is that
/// element's object type, updated where a value's type changes). Recurses
/// into nested blocks. Returns whether anything changed.
fn complete_object(
    def: &BlockDef,
    obj: &mut Value,
    mut attr_tys: Option<&mut BTreeMap<String, Ty>>,
    config: &Value,
    ctx: &Ctx,
) -> bool {
    if !matches!(obj, Value::Map(_)) {
        return false;
    }
    let top_level = attr_tys.is_none();
    let mut changed = false;
    for (name, a) in &def.attributes {
        if !a.computed || !cty::attr_is_null(config, name) || !cty::attr_is_null(obj, name) {
            continue;
        }
        let (t, v) = match (&a.fake, &ctx.mode) {
            (Some(tpl), _) => cty::build_template(tpl, ctx.root_config, ctx.top),
            (None, Mode::Unknown) => (Ty::Dynamic, cty::unknown()),
            (None, Mode::Known(f)) => (Ty::String, Value::from(f.string_for(name, top_level))),
        };
        match attr_tys.as_deref_mut() {
            None => cty::set(obj, name, cty::wrap(&t, v)),
            Some(tys) => {
                if cty::is_unknown(&v) {
                    // An unknown fits any type: keep the declared one.
                    tys.entry(name.clone()).or_insert(Ty::Dynamic);
                } else {
                    tys.insert(name.clone(), t);
                }
                cty::set(obj, name, v);
            }
        }
        changed = true;
    }
    for (bname, bdef) in &def.blocks {
        if !bdef.has_dynamic() {
            continue; // no attribute anywhere inside: nothing to complete
        }
        let Some(cur) = cty::get(obj, bname).cloned() else {
            continue;
        };
        let (container_ty, inner, wrapped) = match cty::unwrap(&cur) {
            Some((t, inner)) => (t, inner.clone(), true),
            None => {
                if cur.is_nil() || cty::is_unknown(&cur) {
                    continue;
                }
                match attr_tys.as_deref().and_then(|tys| tys.get(bname)) {
                    Some(t) => (t.clone(), cur.clone(), false),
                    None => continue,
                }
            }
        };
        let Value::Array(mut elems) = inner else {
            continue;
        };
        let mut elem_tys: Vec<Ty> = match container_ty {
            Ty::Tuple(ts) if ts.len() == elems.len() => ts,
            Ty::List(t) => vec![*t; elems.len()],
            _ => continue,
        };
        let cfg_elems: Vec<Value> = cty::get(config, bname)
            .and_then(|c| match cty::unwrap(c) {
                Some((_, i)) => i.as_array().cloned(),
                None => c.as_array().cloned(),
            })
            .unwrap_or_default();
        let mut block_changed = false;
        for (i, elem) in elems.iter_mut().enumerate() {
            if let Ty::Object(atys) = &mut elem_tys[i] {
                let cfg = cfg_elems.get(i).cloned().unwrap_or(Value::Nil);
                block_changed |= complete_object(bdef, elem, Some(atys), &cfg, ctx);
            }
        }
        if !block_changed {
            continue;
        }
        let new_ty = Ty::Tuple(elem_tys);
        if wrapped {
            cty::set(obj, bname, cty::wrap(&new_ty, Value::Array(elems)));
        } else if let Some(tys) = attr_tys.as_deref_mut() {
            tys.insert(bname.clone(), new_ty);
            cty::set(obj, bname, Value::Array(elems));
        }
        changed = true;
    }
    changed
}

/// Replace every unknown left in a top-level object by a fake known value.
fn fill_top(state: &Value, top: &BTreeMap<String, Ty>, faker: &Faker) -> Value {
    match state {
        Value::Map(m) => Value::Map(
            m.iter()
                .map(|(k, v)| {
                    let name = k.as_str().unwrap_or("");
                    let ty = top.get(name).unwrap_or(&Ty::Dynamic);
                    (k.clone(), faker.fill(v, ty, name, true))
                })
                .collect(),
        ),
        other => other.clone(),
    }
}

/// 16 hex characters, unique per call across processes and runs.
fn new_hex() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut buf = [0u8; 8];
    let random = std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut buf))
        .is_ok();
    let mut x = u64::from_le_bytes(buf);
    if !random {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        x = cty::fnv1a(&[
            &nanos.to_le_bytes(),
            &std::process::id().to_le_bytes(),
            &COUNTER.fetch_add(1, Ordering::Relaxed).to_le_bytes(),
        ]);
    }
    format!("{x:016x}")
}

/// The log line of a create, update or delete.
fn action_line(action: &str, t: &TypeDef, id: &str) -> serde_json::Value {
    serde_json::json!({
        "action": action,
        "provider": t.provider,
        "type": t.type_name,
        "id": id,
    })
}

/// Append one create, update or delete to `TFSCOPE_MOCK_LOG` (if set).
fn log_action(diags: &mut Diagnostics, action: &str, t: &TypeDef, id: &str) {
    append_log(diags, &action_line(action, t, id));
}

/// The log line of a fault that fires: `id` only when the object has one
/// (not on create).
fn fault_line(op: Operation, rule: &fault::Rule, t: &TypeDef, id: &str) -> serde_json::Value {
    let mut line = serde_json::json!({
        "action": "fault",
        "operation": op.as_str(),
        "effect": rule.effect.name(),
        "provider": t.provider,
        "type": t.type_name,
    });
    if !id.is_empty() {
        line["id"] = serde_json::Value::from(id);
    }
    line["rule"] = serde_json::Value::from(rule.text.as_str());
    line
}

/// Append one JSON line to `TFSCOPE_MOCK_LOG` (if set) with a single write.
fn append_log(diags: &mut Diagnostics, entry: &serde_json::Value) {
    let Some(path) = std::env::var_os(LOG_ENV).filter(|p| !p.is_empty()) else {
        return;
    };
    let mut line = serde_json::to_vec(entry).expect("log line serializes");
    line.push(b'\n');
    let res = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .and_then(|mut f| {
            let n = f.write(&line)?;
            if n == line.len() {
                Ok(())
            } else {
                Err(std::io::Error::other(format!(
                    "short write ({n} of {} bytes)",
                    line.len()
                )))
            }
        });
    if let Err(e) = res {
        diags.root_warning(
            format!("tfscope mock provider: cannot append to {LOG_ENV}"),
            format!("{}: {e}", std::path::Path::new(&path).display()),
        );
    }
}

fn state_id(state: &Value) -> String {
    cty::get(state, "id")
        .and_then(cty::as_plain_string)
        .unwrap_or_default()
}

/// The rules of `TFSCOPE_MOCK_FAULT`, or why it could not be parsed.
pub type Faults = Result<Vec<fault::Rule>, String>;

fn fault_spec_error(diags: &mut Diagnostics, msg: &str) {
    diags.root_error(
        "tfscope mock provider: fault injection misconfigured",
        format!("{msg}; {}", fault::GRAMMAR),
    );
}

struct MockResource {
    t: Arc<TypeDef>,
    faults: Arc<Faults>,
}

impl MockResource {
    /// Run the `TFSCOPE_MOCK_FAULT` rules that match this operation, in
    /// order: each is logged when it fires; a sleep waits, then the next
    /// rule is looked at; a fail adds its error and ends the loop. Returns
    /// whether the operation goes ahead. `objects` are where an `ATTR=VALUE`
    /// rule looks; `id` is the object's id, empty on create.
    async fn faults(
        &self,
        diags: &mut Diagnostics,
        op: Operation,
        objects: &[&Value],
        id: &str,
    ) -> bool {
        let t = &self.t;
        let rules = match self.faults.as_ref() {
            Ok(rules) => rules,
            Err(msg) => {
                fault_spec_error(diags, msg);
                return false;
            }
        };
        for rule in rules
            .iter()
            .filter(|r| r.matches(op, &t.type_name, objects))
        {
            append_log(diags, &fault_line(op, rule, t, id));
            match rule.effect {
                Effect::Fail => {
                    diags.root_error_short(format!(
                        "mock fault: {op} of {} failed on purpose ({FAULT_ENV}={})",
                        t.type_name, rule.text
                    ));
                    return false;
                }
                // tf-provider 0.2 gives a provider no way to learn about
                // StopProvider, so the sleep always runs its full length.
                Effect::Sleep(d) => tokio::time::sleep(d).await,
            }
        }
        true
    }
}

#[async_trait]
impl Resource for MockResource {
    type State<'a> = Value;
    type PrivateState<'a> = Value;
    type ProviderMetaState<'a> = Value;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        Some(self.t.schema())
    }

    async fn read<'a>(
        &self,
        _diags: &mut Diagnostics,
        state: Value,
        private_state: Value,
        _meta: Value,
    ) -> Option<(Value, Value)> {
        Some((state, private_state))
    }

    async fn plan_create<'a>(
        &self,
        _diags: &mut Diagnostics,
        proposed_state: Value,
        config_state: Value,
        _meta: Value,
    ) -> Option<(Value, Value)> {
        let t = &self.t;
        let mut planned = proposed_state;
        let ctx = Ctx {
            root_config: &config_state,
            top: &t.top,
            mode: Mode::Unknown,
        };
        complete_object(&t.def, &mut planned, None, &config_state, &ctx);
        Some((planned, Value::Nil))
    }

    async fn plan_update<'a>(
        &self,
        _diags: &mut Diagnostics,
        prior_state: Value,
        proposed_state: Value,
        config_state: Value,
        prior_private_state: Value,
        _meta: Value,
    ) -> Option<(Value, Value, Vec<AttributePath>)> {
        let mut planned = proposed_state;
        for (name, a) in &self.t.def.attributes {
            if a.computed && cty::attr_is_null(&config_state, name) {
                let prior = cty::get(&prior_state, name).cloned().unwrap_or(Value::Nil);
                cty::set(&mut planned, name, prior);
            }
        }
        // Never require replacement.
        Some((planned, prior_private_state, vec![]))
    }

    async fn plan_destroy<'a>(
        &self,
        _diags: &mut Diagnostics,
        _prior_state: Value,
        prior_private_state: Value,
        _meta: Value,
    ) -> Option<Value> {
        Some(prior_private_state)
    }

    async fn create<'a>(
        &self,
        diags: &mut Diagnostics,
        planned_state: Value,
        config_state: Value,
        planned_private_state: Value,
        _meta: Value,
    ) -> Option<(Value, Value)> {
        let objects = [&planned_state, &config_state];
        if !self.faults(diags, Operation::Create, &objects, "").await {
            return None; // no object
        }
        let t = &self.t;
        let hex = new_hex();
        let faker = Faker {
            type_name: &t.type_name,
            hex: &hex,
        };
        let mut state = planned_state;
        // A `fake` template that was partly unknown at plan time (its config
        // attribute was unknown then) is rebuilt from the now-known config.
        for (name, a) in &t.def.attributes {
            if let Some(tpl) = &a.fake {
                if cty::get(&state, name).is_some_and(cty::contains_unknown) {
                    let (ty, v) = cty::build_template(tpl, &config_state, &t.top);
                    cty::set(&mut state, name, cty::wrap(&ty, v));
                }
            }
        }
        let state = fill_top(&state, &t.top, &faker);
        log_action(diags, "create", t, &state_id(&state));
        Some((state, planned_private_state))
    }

    async fn update<'a>(
        &self,
        diags: &mut Diagnostics,
        prior_state: Value,
        planned_state: Value,
        config_state: Value,
        planned_private_state: Value,
        _meta: Value,
    ) -> Option<(Value, Value)> {
        let objects = [&planned_state, &config_state];
        if !self
            .faults(diags, Operation::Update, &objects, &state_id(&prior_state))
            .await
        {
            // No new state: Terraform keeps the prior one.
            return None;
        }
        let t = &self.t;
        let hex = new_hex();
        let faker = Faker {
            type_name: &t.type_name,
            hex: &hex,
        };
        // The id is known (kept from the prior state), so it stays.
        let state = fill_top(&planned_state, &t.top, &faker);
        log_action(diags, "update", t, &state_id(&state));
        Some((state, planned_private_state))
    }

    async fn destroy<'a>(
        &self,
        diags: &mut Diagnostics,
        prior_state: Value,
        _planned_private_state: Value,
        _meta: Value,
    ) -> Option<()> {
        let id = state_id(&prior_state);
        if !self
            .faults(diags, Operation::Delete, &[&prior_state], &id)
            .await
        {
            // tf-provider answers a destroy with a null new state whatever
            // happens; with an error beside it, Terraform keeps the prior
            // state.
            return None;
        }
        log_action(diags, "delete", &self.t, &id);
        Some(())
    }
}

struct MockDataSource(Arc<TypeDef>);

#[async_trait]
impl DataSource for MockDataSource {
    type State<'a> = Value;
    type ProviderMetaState<'a> = Value;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        Some(self.0.schema())
    }

    async fn read<'a>(
        &self,
        _diags: &mut Diagnostics,
        config: Value,
        _meta: Value,
    ) -> Option<Value> {
        let t = &self.0;
        // Deterministic: the same type and config give the same fakes.
        let bytes = rmp_serde::to_vec_named(&config).unwrap_or_default();
        let hex = format!("{:016x}", cty::fnv1a(&[t.type_name.as_bytes(), &bytes]));
        let faker = Faker {
            type_name: &t.type_name,
            hex: &hex,
        };
        let mut state = config.clone();
        let ctx = Ctx {
            root_config: &config,
            top: &t.top,
            mode: Mode::Known(&faker),
        };
        complete_object(&t.def, &mut state, None, &config, &ctx);
        Some(fill_top(&state, &t.top, &faker))
    }
}

pub struct MockProvider {
    name: String,
    def: Result<ProviderDef, String>,
    faults: Arc<Faults>,
}

/// The prefix of the type names a provider serves: its name, except that `google-beta` serves
/// `google_*` types, as the real one does.
pub fn type_prefix(provider: &str) -> &str {
    provider.strip_suffix("-beta").unwrap_or(provider)
}

impl MockProvider {
    pub fn new(name: String, def: Result<ProviderDef, String>, faults: Faults) -> Self {
        Self {
            name,
            def,
            faults: Arc::new(faults),
        }
    }

    /// The served type names for `kind` (resources or data sources), keyed
    /// the way tf-provider wants them: without the `<provider>_` prefix.
    fn types<'d>(
        &self,
        kind: &'d BTreeMap<String, BlockDef>,
    ) -> Vec<(String, &'d String, &'d BlockDef)> {
        let prefix = format!("{}_", type_prefix(&self.name));
        kind.iter()
            .filter_map(|(type_name, def)| match type_name.strip_prefix(&prefix) {
                Some(suffix) if !suffix.is_empty() => Some((suffix.to_string(), type_name, def)),
                _ => {
                    eprintln!(
                        "tfscope mock provider {}: skipping {type_name}: a type served by \
                             provider {} must be named {prefix}*",
                        self.name, self.name
                    );
                    None
                }
            })
            .collect()
    }
}

#[async_trait]
impl Provider for MockProvider {
    type Config<'a> = Value;
    type MetaState<'a> = Value;

    fn schema(&self, diags: &mut Diagnostics) -> Option<Schema> {
        // Every command that loads the provider's schema shows this, before
        // any operation runs (each operation would fail on it as well).
        if let Err(msg) = self.faults.as_ref() {
            fault_spec_error(diags, msg);
        }
        match &self.def {
            Ok(def) => Some(Schema {
                version: 0,
                block: def.config.to_tf_block(),
            }),
            Err(msg) => {
                diags.root_error(
                    format!("tfscope mock provider \"{}\": no schema", self.name),
                    msg.clone(),
                );
                Some(Schema {
                    version: 0,
                    block: BlockDef::default().to_tf_block(),
                })
            }
        }
    }

    fn get_resources(
        &self,
        _diags: &mut Diagnostics,
    ) -> Option<HashMap<String, Box<dyn DynamicResource>>> {
        let Ok(def) = &self.def else {
            return Some(HashMap::new());
        };
        Some(
            self.types(&def.resources)
                .into_iter()
                .map(|(key, type_name, d)| {
                    let r: Box<dyn DynamicResource> = Box::new(MockResource {
                        t: Arc::new(TypeDef::new(&self.name, type_name, d.clone())),
                        faults: self.faults.clone(),
                    });
                    (key, r)
                })
                .collect(),
        )
    }

    fn get_data_sources(
        &self,
        _diags: &mut Diagnostics,
    ) -> Option<HashMap<String, Box<dyn DynamicDataSource>>> {
        let Ok(def) = &self.def else {
            return Some(HashMap::new());
        };
        Some(
            self.types(&def.data_sources)
                .into_iter()
                .map(|(key, type_name, d)| {
                    let r: Box<dyn DynamicDataSource> = Box::new(MockDataSource(Arc::new(
                        TypeDef::new(&self.name, type_name, d.clone()),
                    )));
                    (key, r)
                })
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema_file::parse_for_provider;

    fn acm() -> TypeDef {
        let text = r#"{"providers":{"aws":{"resources":{"aws_acm_certificate":{
            "attributes":{"domain_name":{"optional":true},"arn":{"computed":true},
              "domain_validation_options":{"computed":true,"fake":[{"domain_name":"${config:domain_name}","type":"CNAME"}]}},
            "blocks":{"options":{"attributes":{"preference":{"optional":true},"computed_x":{"computed":true}}}}}}}}}"#;
        let p = parse_for_provider(text, "aws").unwrap();
        TypeDef::new(
            "aws",
            "aws_acm_certificate",
            p.resources["aws_acm_certificate"].clone(),
        )
    }

    /// A config object as Terraform sends it, with one nested block element.
    fn config() -> Value {
        let elem_ty = Ty::Object(
            [
                ("preference".to_string(), Ty::String),
                ("computed_x".to_string(), Ty::Dynamic),
            ]
            .into(),
        );
        Value::Map(vec![
            (Value::from("arn"), Value::Nil),
            (
                Value::from("domain_name"),
                cty::wrap(&Ty::String, Value::from("example.com")),
            ),
            (Value::from("domain_validation_options"), Value::Nil),
            (Value::from("id"), Value::Nil),
            (
                Value::from("options"),
                cty::wrap(
                    &Ty::Tuple(vec![elem_ty]),
                    Value::Array(vec![Value::Map(vec![
                        (Value::from("computed_x"), Value::Nil),
                        (Value::from("preference"), Value::from("x")),
                    ])]),
                ),
            ),
        ])
    }

    #[test]
    fn plan_create_then_fill() {
        let t = acm();
        let cfg = config();
        let mut planned = cfg.clone();
        let ctx = Ctx {
            root_config: &cfg,
            top: &t.top,
            mode: Mode::Unknown,
        };
        assert!(complete_object(&t.def, &mut planned, None, &cfg, &ctx));
        assert!(cty::is_unknown(cty::get(&planned, "id").unwrap()));
        assert!(cty::is_unknown(cty::get(&planned, "arn").unwrap()));
        let dvo = cty::get(&planned, "domain_validation_options").unwrap();
        assert!(!cty::contains_unknown(dvo));
        let (_, inner) = cty::unwrap(dvo).unwrap();
        let first = &inner.as_array().unwrap()[0];
        assert_eq!(
            cty::get(first, "domain_name").unwrap().as_str(),
            Some("example.com")
        );
        // nested computed attribute: unknown
        let (_, opts) = cty::unwrap(cty::get(&planned, "options").unwrap()).unwrap();
        assert!(cty::is_unknown(
            cty::get(&opts.as_array().unwrap()[0], "computed_x").unwrap()
        ));

        let faker = Faker {
            type_name: "aws_acm_certificate",
            hex: "00000000000000ff",
        };
        let state = fill_top(&planned, &t.top, &faker);
        assert!(!cty::contains_unknown(&state));
        assert_eq!(state_id(&state), "aws_acm_certificate-00000000000000ff");
        assert_eq!(
            cty::as_plain_string(cty::get(&state, "arn").unwrap()).as_deref(),
            Some("mock-arn-00000000000000ff")
        );
        let (_, opts) = cty::unwrap(cty::get(&state, "options").unwrap()).unwrap();
        let cx = cty::get(&opts.as_array().unwrap()[0], "computed_x").unwrap();
        assert_eq!(
            cty::as_plain_string(cx).as_deref(),
            Some("mock-computed_x-00000000000000ff")
        );
        // The whole thing still encodes.
        rmp_serde::to_vec_named(&state).unwrap();
    }

    #[test]
    fn data_source_fakes_are_known_and_typed() {
        let t = acm();
        let cfg = config();
        let faker = Faker {
            type_name: &t.type_name,
            hex: "abababababababab",
        };
        let mut state = cfg.clone();
        let ctx = Ctx {
            root_config: &cfg,
            top: &t.top,
            mode: Mode::Known(&faker),
        };
        complete_object(&t.def, &mut state, None, &cfg, &ctx);
        assert!(!cty::contains_unknown(&state));
        let (ty, opts) = cty::unwrap(cty::get(&state, "options").unwrap()).unwrap();
        // The nested element's type now says string for the filled attribute.
        assert_eq!(
            ty.to_json(),
            serde_json::json!(["tuple", [["object", {"computed_x": "string", "preference": "string"}]]])
        );
        assert_eq!(
            cty::get(&opts.as_array().unwrap()[0], "computed_x")
                .unwrap()
                .as_str(),
            Some("mock-computed_x-abababababababab")
        );
    }

    fn with_faults(spec: &str) -> MockResource {
        MockResource {
            t: Arc::new(acm()),
            faults: Arc::new(fault::parse(spec)),
        }
    }

    fn block_on<F: std::future::Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(f)
    }

    #[test]
    fn log_lines_keep_their_shape() {
        let t = TypeDef::new("aws", "aws_vpc", BlockDef::default());
        assert_eq!(
            action_line("create", &t, "aws_vpc-0123456789abcdef").to_string(),
            r#"{"action":"create","provider":"aws","type":"aws_vpc","id":"aws_vpc-0123456789abcdef"}"#
        );
        let rule = &fault::parse("fail:delete:aws_vpc").unwrap()[0];
        assert_eq!(
            fault_line(Operation::Delete, rule, &t, "aws_vpc-0123456789abcdef").to_string(),
            r#"{"action":"fault","operation":"delete","effect":"fail","provider":"aws","type":"aws_vpc","id":"aws_vpc-0123456789abcdef","rule":"fail:delete:aws_vpc"}"#
        );
        // On create the object has no id yet.
        let rule = &fault::parse("sleep=5:create:aws_vpc").unwrap()[0];
        assert_eq!(
            fault_line(Operation::Create, rule, &t, "").to_string(),
            r#"{"action":"fault","operation":"create","effect":"sleep","provider":"aws","type":"aws_vpc","rule":"sleep=5:create:aws_vpc"}"#
        );
    }

    #[test]
    fn fail_rules_fail_the_operation_and_sleeps_carry_on() {
        let cfg = config();
        let summaries = |d: &Diagnostics| {
            d.errors
                .iter()
                .map(|e| e.summary.to_string())
                .collect::<Vec<_>>()
        };

        // No rules, a rule for another type or value, a sleep: the create goes ahead.
        for spec in [
            "",
            "fail:create:aws_vpc",
            "fail:update:aws_acm_certificate",
            "fail:create:aws_acm_certificate:domain_name=other.com",
            "sleep=0.01:create:aws_acm_certificate:domain_name=example.com",
        ] {
            let r = with_faults(spec);
            let mut diags = Diagnostics::default();
            let out = block_on(Resource::create(
                &r,
                &mut diags,
                cfg.clone(),
                cfg.clone(),
                Value::Nil,
                Value::Nil,
            ));
            assert!(out.is_some(), "{spec}");
            assert!(diags.errors.is_empty(), "{spec}: {diags:?}");
        }

        // A sleep, then a fail: the create fails with the fail rule's message.
        let spec = "sleep=0.01:create:aws_acm_certificate;fail:create:aws_acm_certificate:domain_name=example.com";
        let r = with_faults(spec);
        let mut diags = Diagnostics::default();
        let start = std::time::Instant::now();
        let out = block_on(Resource::create(
            &r,
            &mut diags,
            cfg.clone(),
            cfg.clone(),
            Value::Nil,
            Value::Nil,
        ));
        assert!(start.elapsed() >= std::time::Duration::from_millis(10));
        assert!(out.is_none());
        assert_eq!(
            summaries(&diags),
            [
                "mock fault: create of aws_acm_certificate failed on purpose \
              (TFSCOPE_MOCK_FAULT=fail:create:aws_acm_certificate:domain_name=example.com)"
            ]
        );

        // Delete looks at the prior state.
        let mut prior = cfg.clone();
        cty::set(
            &mut prior,
            "id",
            cty::wrap(&Ty::String, Value::from("acm-1")),
        );
        let r = with_faults("fail:delete:aws_acm_certificate:id=acm-1");
        let mut diags = Diagnostics::default();
        assert!(block_on(Resource::destroy(
            &r,
            &mut diags,
            prior.clone(),
            Value::Nil,
            Value::Nil
        ))
        .is_none());
        assert_eq!(
            summaries(&diags),
            [
                "mock fault: delete of aws_acm_certificate failed on purpose \
              (TFSCOPE_MOCK_FAULT=fail:delete:aws_acm_certificate:id=acm-1)"
            ]
        );
        let r = with_faults("fail:delete:aws_acm_certificate:id=acm-2");
        let mut diags = Diagnostics::default();
        assert!(block_on(Resource::destroy(
            &r,
            &mut diags,
            prior.clone(),
            Value::Nil,
            Value::Nil
        ))
        .is_some());

        // Update keeps the prior state (no new state).
        let r = with_faults("fail:update:aws_acm_certificate");
        let mut diags = Diagnostics::default();
        let out = block_on(Resource::update(
            &r,
            &mut diags,
            prior.clone(),
            prior.clone(),
            cfg.clone(),
            Value::Nil,
            Value::Nil,
        ));
        assert!(out.is_none());
        assert_eq!(diags.errors.len(), 1);
    }

    #[test]
    fn a_bad_fault_spec_is_an_error_everywhere() {
        let r = with_faults("fail:create:aws_vpc;explode:create:aws_vpc");
        let mut diags = Diagnostics::default();
        let cfg = config();
        assert!(block_on(Resource::create(
            &r,
            &mut diags,
            cfg.clone(),
            cfg.clone(),
            Value::Nil,
            Value::Nil
        ))
        .is_none());
        assert_eq!(diags.errors.len(), 1);
        assert_eq!(
            diags.errors[0].summary,
            "tfscope mock provider: fault injection misconfigured"
        );
        assert!(diags.errors[0].detail.starts_with(
            "TFSCOPE_MOCK_FAULT: bad rule \"explode:create:aws_vpc\": unknown EFFECT"
        ));

        let p = MockProvider::new(
            "aws".to_string(),
            Ok(ProviderDef::default()),
            fault::parse("fail:create"),
        );
        let mut diags = Diagnostics::default();
        assert!(Provider::schema(&p, &mut diags).is_some());
        assert_eq!(diags.errors.len(), 1);
        assert!(diags.errors[0]
            .detail
            .contains("bad rule \"fail:create\": missing TYPE"));
    }
}
