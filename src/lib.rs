//! `ram-policy`: write, check, explain and generate Alibaba Cloud RAM policies for ECS.
//!
//! The data flows one way: **catalog → request → policy → evaluator → explain | lint | generate |
//! diff**.
//! The types and functions most callers need are re-exported here, at the crate root:
//!
//! ```
//! use ram_policy::{evaluate, lint, Decision, PolicySet, Request};
//! let policy = r#"{"Version": "1", "Statement": [{"Effect": "Allow",
//!     "Action": "ecs:DescribeInstances", "Resource": "*"}]}"#;
//! assert!(lint(policy).is_empty());
//! let set = PolicySet::parse(&[("p.json", policy)]).unwrap();
//! let mut request = Request::new("ecs:DescribeInstances");
//! request.account = Some("1234567890123456".into());
//! request.region = Some("cn-hangzhou".into());
//! assert_eq!(evaluate(&set, &request).unwrap().decision, Decision::Allow);
//! ```
//!
//! # The public API
//! Chosen on purpose: a module is public only when callers work with it as a whole; everything
//! else is private, and what callers need of it is re-exported. `#![warn(unnameable_types)]`
//! keeps that honest: a type reachable from the API that a caller could not name is a warning,
//! and CI denies warnings.
//!
//! **At the crate root**, each feature's entry points with their result and error types:
//! - catalog and requests: [`Catalog`], [`Edition`]; [`Request`], [`ParamValue`],
//!   [`RequestError`], [`ParamError`]; [`Arn`], [`ArnError`]; the one rule for context values
//!   every front end applies, [`check_context`] ([`check_context_key`], [`check_context_value`])
//!   with [`ContextValueError`].
//! - resolve: [`resolve()`], [`resolve_with`] → [`Resolution`] ([`ResolvedResources`] of
//!   [`ResolvedResource`],
//!   [`SkippedResource`], [`BoundVariable`], [`Derivation`] with [`KeySources`], [`UnknownKey`]) or
//!   [`ResolveError`].
//! - policies and evaluation: [`PolicyDocument`], [`PolicySet`], [`PolicyError`]; [`evaluate`],
//!   [`evaluate_with`], [`CompiledPolicySet`] → [`Evaluation`] with its [`Decision`].
//! - the analyses: [`explain()`](fn@explain) ([`Policies`], [`Call`] → [`Explanation`]);
//!   [`lint()`](fn@lint), [`lint_with`] → [`Finding`]s with a [`Severity`]; [`Generator`] with
//!   [`GenerateOptions`]; [`diff()`](fn@diff), [`diff_with`], [`diff_sources`] → [`DiffReport`]
//!   (each difference with its [`Certainty`]).
//! - ActionTrail: [`read_events`], [`parse_events`], [`EventReader`] → [`Event`]s
//!   ([`UserIdentity`]) or [`EventError`]; [`EventFilter`], [`SkipReason`], [`Gap`], [`Layout`].
//! - errors: [`Error`], what every front end reports (its JSON form [`ErrorBody`]), and the shared
//!   "this JSON is wrong here" types [`JsonInputError`], [`JsonError`], [`DuplicateMember`].
//! - patterns: [`Pattern`], [`PatternSet`], [`CaseRule`].
//!
//! **Public modules**, each a data model a caller works with as a whole, in the order of the data
//! flow:
//! - [`catalog`]: the RAM authorization table as data, in two editions, with its API-metadata and
//!   authorization layers.
//! - [`policy`]: policy documents with positions and JSON pointers (the span-aware JSON tree and
//!   the condition operators are part of the model); [`wildcard`]: what `*` and `?` mean.
//! - [`eval`]: the compiled and the reference evaluators, their results and the request context.
//! - [`explain`](mod@explain), [`lint`](mod@lint), [`generate`], [`diff`](mod@diff): the analyses,
//!   each with its options, results and renderers (lint also with its rule registry and
//!   `ram-policy.toml`).
//! - [`facade`]: one typed function per feature, what the CLI and the WebAssembly module call;
//!   [`input`], [`text`] and `walk` (feature `walk`): what a front end needs besides, to read
//!   files, print safely and walk folders.
//! - `workload` (feature `workload`): the benchmarks' deterministic generator, not otherwise part
//!   of the library.
//!
//! **Private**: requests and their parameter reader, resolution, ARNs, context values, condition
//! evaluation and keys, ActionTrail reading and mapping, denial messages, the JSON reader, facts
//! about RAM (size limit, regions, private ranges), the compact encoding, the streaming splitter,
//! time and did-you-mean helpers; inside the public modules, their machinery (lint's engine and
//! checks, the generator's layout and reader, explain's fix search, diff's search and witnesses,
//! the wildcard language operations and automata). The hidden `__private` module serves only this repository's tests, fuzz targets
//! and benchmarks.
#![forbid(unsafe_code)]
// A type reachable from the API must be nameable (see "The public API" above).
#![warn(unnameable_types)]

// The public modules: each is a data model a caller works with as a whole.
pub mod catalog;
pub mod diff;
pub mod eval;
pub mod explain;
pub mod facade;
pub mod generate;
pub mod lint;
pub mod policy;
pub mod wildcard;
// What a front end needs besides the facade: reading inputs, printing safely, walking folders.
pub mod input;
pub mod text;
#[cfg(feature = "walk")]
pub mod walk;
#[cfg(feature = "workload")]
pub mod workload;

// Private: their public items are re-exported below (or by the public module whose types use
// them); everything else is the library's own.
mod actiontrail;
mod arn;
mod compact;
mod condition;
mod context;
mod diagnostic;
mod error;
mod facts;
mod json;
mod request;
mod resolve;
mod sort;
mod stream;
mod suggest;
mod time;

#[cfg(test)]
#[path = "../tests/common/shared.rs"]
mod test_support;

/// Internals that other crates of this repository check against or build on: the integration
/// tests (`tests/`), the fuzz targets (`fuzz/checks.rs`), the benchmark against Cedar
/// (`benches/peers`) and `examples/count_events.rs`. Being separate crates, they reach only `pub`
/// items, and what they need here is not API: hidden from the documentation, no stability
/// promise, for nothing else.
#[doc(hidden)]
pub mod __private {
    /// The span-aware JSON reader under [`crate::PolicyDocument::parse`]: the lint tests and the
    /// fuzz targets check that every quick fix leaves JSON and that pointers name real places;
    /// `count_events` measures the duplicate-member check.
    pub mod json {
        pub use crate::json::{has_duplicate_members, parse};
    }
    /// How RAM reads condition values: the Cedar translation reads a policy's values as RAM does.
    pub mod condition {
        pub use crate::condition::{parse_bool, parse_date, parse_network, parse_number};
    }
    /// Facts about RAM: the generate tests check that no suggested `acs:SourceIp` is private.
    pub mod facts {
        pub use crate::facts::is_private;
    }
}

pub use actiontrail::{
    parse_events, read_events, Event, EventError, EventFilter, EventReader, Gap, Layout,
    SkipReason, UserIdentity,
};
pub use arn::{Arn, ArnError};
pub use catalog::{Catalog, Edition};
pub use condition::derived::{Derivation, KeySources, UnknownKey};
pub use context::{
    check as check_context, check_key as check_context_key, check_value as check_context_value,
    ContextValueError,
};
pub use diff::{diff, diff_sources, diff_with, Certainty, DiffReport};
pub use error::{Error, ErrorBody};
pub use eval::{evaluate, evaluate_with, CompiledPolicySet, Decision, Evaluation, PolicySet};
pub use explain::{explain, Call, Explanation, Policies};
pub use generate::{Generator, Options as GenerateOptions};
pub use json::{DuplicateMember, JsonError, JsonInputError};
pub use lint::{lint, lint_with, Finding, Severity};
pub use policy::{PolicyDocument, PolicyError};
pub use request::{params::ParamError, ParamValue, Request, RequestError};
pub use resolve::{
    resolve, resolve_with, BoundVariable, Resolution, ResolveError, ResolvedResource,
    ResolvedResources, SkippedResource,
};
pub use wildcard::{CaseRule, Pattern, PatternSet};
