//! Reading ActionTrail events: the audit log of API calls, as `explain --actiontrail` and
//! `generate --actiontrail` take it.
//!
//! # Input forms
//! [`EventReader`] detects the form by itself:
//! - a single event object (pretty-printed over many lines or on one line);
//! - a JSON array of events (streamed element by element: the array is never held whole);
//! - JSON Lines: one event per line, blank lines allowed; a line holding an array counts as
//!   several records;
//! - a Log Service export: records whose field `event` holds the event as a JSON string (or as
//!   an object), the records themselves given in any of the forms above.
//!
//! The form is decided at the first line break after the first value: when a whole value ended
//! on the first line, the input is JSON Lines and every line is parsed alone, so a broken line
//! yields one error and the next line is read normally. Otherwise (a pretty-printed document, a
//! top-level array) the input is split into values by tracking brackets and strings; a record
//! with a syntax error yields one error and the next record is read normally, but a record whose
//! brackets or quotes never close swallows the rest of the input (holding at most
//! [`MAX_RECORD_BYTES`] of it) and is reported once at its end. The splitting is
//! `src/stream.rs`'s, shared with `generate --requests`.
//!
//! Memory holds one record at a time (records above [`MAX_RECORD_BYTES`] are refused), never
//! the whole input.
//!
//! # From event to request
//! See `docs/inputs.md` for every rule; in short: the action is `<service>:<eventName>`, the
//! account is `recipientAccountId` else `userIdentity.accountId`, the region is `acsRegion`, the
//! parameters are `requestParameters` (nested objects and arrays of objects flattened to ECS's
//! dotted form, `SystemDisk.Category`, `Tag.1.Key`), and the context carries `acs:SourceIp`,
//! `acs:MFAPresent`, `acs:AccessId`, `acs:UserAgent`, `acs:CurrentTime` and `acs:SecureTransport`
//! when the event tells them. Masked values (`10.10.**.**`, `11.168.XX.XX`, `STS.abc****`) are
//! kept out of the context and listed in [`Event::masked`].

mod event;
mod mapping;
#[cfg(not(target_arch = "wasm32"))]
pub mod parallel;
mod reader;
#[cfg(test)]
mod tests;

pub use event::{format_time, is_masked, parse_time, Event, EventError, UserIdentity};
pub use mapping::{not_recorded, EventFilter, Gap, SkipReason, ROOT_ACCOUNT_NOTE};
pub use reader::{parse_events, read_events, EventReader, Layout};
