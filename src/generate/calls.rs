//! Taking one call in: its fingerprint (a call seen before adds nothing), its catalog lookup and
//! resolution, and the ARNs and condition values it adds to its action's sets.

use super::{Generator, Origin, RecordRef};
use crate::catalog::LookupError;
use crate::condition::keys::KeyType;
use crate::condition::{parse_bool, valid_for};
use crate::request::Request;
use crate::resolve::resolve_action;
use std::collections::BTreeSet;
use std::hash::{Hash, Hasher};

impl Generator {
    /// A 128-bit fingerprint of everything a call's contribution depends on: action, account,
    /// region, parameters and the values of the `--condition` keys.
    fn fingerprint(&self, request: &Request) -> u128 {
        let half = |seed: u8| {
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            seed.hash(&mut hasher);
            request.action.hash(&mut hasher);
            request.account.hash(&mut hasher);
            request.region.hash(&mut hasher);
            request.params.len().hash(&mut hasher);
            for (name, value) in &request.params {
                name.hash(&mut hasher);
                match value {
                    crate::request::ParamValue::One(one) => (0u8, one).hash(&mut hasher),
                    crate::request::ParamValue::Many(many) => (1u8, many).hash(&mut hasher),
                }
            }
            for key in &self.keys {
                context_values(request, &key.name).hash(&mut hasher);
            }
            hasher.finish()
        };
        (u128::from(half(0)) << 64) | u128::from(half(1))
    }

    /// Takes in a call that came `count` times (1, except for `--from-calls`).
    pub(super) fn use_request(&mut self, request: &Request, origin: Origin, count: u64) {
        self.summary.read += count;
        let fingerprint = self.fingerprint(request);
        if let Some((action, missing)) = self.seen.get(&fingerprint) {
            // The same call again: it adds nothing but its count.
            if let Some(entry) = self.uses.get_mut(action) {
                entry.calls += count;
                for (index, without) in entry.without.iter_mut().enumerate() {
                    if missing & (1u64 << index.min(63)) != 0 {
                        *without += count;
                    }
                }
                self.summary.used += count;
                if let Some((_, times)) = self
                    .emitted
                    .as_mut()
                    .and_then(|emitted| emitted.get_mut(&fingerprint))
                {
                    *times += count;
                }
                return;
            }
        }
        let action = match self.catalog.lookup(&request.action) {
            Ok(action) => action,
            Err(LookupError::OtherService { name, .. }) => {
                let service = name.split(':').next().unwrap_or_default().to_string();
                self.summary
                    .skip("not_ecs", Some(service), Some(origin.into()));
                return;
            }
            Err(LookupError::UnknownAction { name, .. }) => {
                self.summary
                    .skip("not_in_catalog", Some(name), Some(origin.into()));
                return;
            }
        };
        let resolution = match resolve_action(action, request) {
            Ok(resolution) => resolution,
            Err(error) => {
                let message = error.to_string();
                self.summary.skip(
                    "unresolvable",
                    Some(message.clone()),
                    Some(RecordRef {
                        message: Some(message),
                        ..origin.into()
                    }),
                );
                return;
            }
        };
        if resolution.resources.is_empty() {
            // Every resource of the action is optional and none was named: RAM checks nothing
            // the evaluator could allow, so no policy allows the call.
            let message = format!(
                "`{}` resolves to no ARN with these parameters ({})",
                action.qualified_name(),
                resolution
                    .skipped
                    .iter()
                    .map(|skipped| skipped.reason.clone())
                    .collect::<Vec<_>>()
                    .join("; ")
            );
            self.summary.skip(
                "no_arn",
                Some(action.qualified_name().to_string()),
                Some(RecordRef {
                    message: Some(message),
                    ..origin.into()
                }),
            );
            return;
        }
        if let Some(bound) = resolution
            .resources
            .iter()
            .flat_map(|resource| resource.bindings)
            .find(|bound| bound.value.contains(['*', '?']))
        {
            let message = format!(
                "`{}` (from `{}`) is masked or holds a wildcard, which a policy would read as a pattern",
                bound.value, bound.source
            );
            self.summary.skip(
                "masked",
                Some(action.qualified_name().to_string()),
                Some(RecordRef {
                    message: Some(message),
                    ..origin.into()
                }),
            );
            return;
        }
        // A value with `:` shifts the ARN's fields: no template variable holds one, so lint
        // (`RESOURCE_MISMATCH`) would say the statement never matches.
        let shifted = resolution.resources.iter().find_map(|resource| {
            resource
                .bindings
                .iter()
                .find(|bound| bound.value.contains(':'))
                .map(|bound| {
                    (
                        resource.arn.clone(),
                        format!(
                            "`{}` (from `{}`) contains `:`, the ARN field separator",
                            bound.value, bound.source
                        ),
                    )
                })
        });
        if let Some((arn, problem)) = shifted.or_else(|| {
            resolution.resources.iter().find_map(|resource| {
                crate::facts::unusable_in_policy(&resource.arn)
                    .map(|problem| (resource.arn.clone(), problem))
            })
        }) {
            // RAM refuses such a call, and the policy would not lint clean.
            let message = format!("`{arn}` cannot stand in a policy: {problem}");
            self.summary.skip(
                "invalid_arn",
                Some(action.qualified_name().to_string()),
                Some(RecordRef {
                    message: Some(message),
                    ..origin.into()
                }),
            );
            return;
        }
        let slots = self.keys.len();
        let entry = self.uses.entry(action.qualified_name()).or_default();
        if entry.values.len() != slots {
            entry.values = vec![BTreeSet::new(); slots];
            entry.without = vec![0; slots];
        }
        entry.calls += count;
        entry.arns.extend(resolution.resources.arns());
        let mut missing = 0u64;
        for (index, ((key, values), without)) in self
            .keys
            .iter()
            .zip(entry.values.iter_mut())
            .zip(entry.without.iter_mut())
            .enumerate()
        {
            let observed = context_values(request, &key.name);
            let usable =
                !observed.is_empty() && observed.iter().all(|v| valid_for(key.value_type, v));
            if usable {
                values.extend(
                    observed
                        .iter()
                        .map(|value| normalize(key.value_type, value)),
                );
            } else {
                *without += count;
                missing |= 1u64 << index.min(63);
            }
        }
        self.seen
            .insert(fingerprint, (action.qualified_name(), missing));
        if self.emitted.is_some() {
            let kept = self.keys_context(request);
            if let Some(emitted) = self.emitted.as_mut() {
                emitted.insert(fingerprint, (kept, count));
            }
        }
        self.summary.used += count;
    }

    /// The call as `--emit-calls` writes it: only the `--condition` keys of its context, the
    /// only part of the context a fingerprint (and so the policy) depends on.
    fn keys_context(&self, request: &Request) -> Request {
        let mut kept = request.clone();
        kept.context.retain(|name, _| {
            self.keys
                .iter()
                .any(|key| key.name.eq_ignore_ascii_case(name))
        });
        kept
    }
}

/// The values of a context key (its name compared without ASCII case).
fn context_values<'r>(request: &'r Request, key: &str) -> &'r [String] {
    request
        .context
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(key))
        .map_or(&[], |(_, values)| values.as_slice())
}

/// Condition values as written in the policy: booleans in lower case, the rest as observed.
fn normalize(value_type: KeyType, value: &str) -> String {
    match value_type {
        KeyType::Bool => parse_bool(value).map_or_else(|| value.to_string(), |b| b.to_string()),
        _ => value.trim().to_string(),
    }
}
