// The JSON of the WebAssembly exports, generated from the facade's Rust types (src/facade/)
// by `UPDATE_TYPESCRIPT=1 cargo test --lib facade::typescript`. Do not edit.

/** JSON text whose parsed value has type `T` (a string at run time). */
export type JsonText<T> = string & { readonly __json?: T };

/** A failure's stable kind; other kinds may be added. */
export type ErrorKind =
  | "malformed_json" | "wrong_type" | "missing_member" | "unknown_member"
  | "duplicate_member" | "invalid_context_value" | "invalid_value" | "duplicate_parameter"
  | "unknown_action" | "unsupported_service" | "missing_parameter" | "missing_account"
  | "missing_region" | "bad_parameter" | "malformed_policy_json" | "invalid_policy"
  | "no_calls" | "catalog" | "input" | "trap"
  | string;

/**
 * The differences of one action.
 */
export type ActionDiff = { 
/**
 * The catalog's qualified name (`ecs:DescribeInstances`), or the name as a request would
 * carry it for an action the catalog does not know.
 */
action: string, 
/**
 * Whether the catalog knows the action (its ARNs are then the catalog's templates; for
 * other actions any resource string is considered).
 */
in_catalog: boolean, differences: Array<Difference>, };

/**
 * Whether this answer agrees with RAM's, and why it may not.
 */
export type Agreement = { 
/**
 * `None` when RAM's decision is unknown.
 */
agrees: boolean | null, message: string, 
/**
 * Likely reasons for a disagreement.
 */
reasons: Array<string>, 
/**
 * `MatchedPolicies` that are not among the given files.
 */
policies_not_given: Array<string>, 
/**
 * Where the input says it: ``ActionTrail `errorCode` ``, ```AccessDeniedDetail.NoPermissionType` ``…
 */
source: string, 
/**
 * What RAM decided, in words (`denied (NoPermission)`, `ExplicitDeny`, `allowed`).
 */
said: string, 
/**
 * Whether RAM denied the call; `None` when the input does not tell (a failure for another
 * reason than permissions).
 */
denied: boolean | null, 
/**
 * The kind of deny, when the input tells it.
 */
deny_kind?: Decision, 
/**
 * Policies RAM named (`MatchedPolicies`).
 */
matched_policies: Array<string>, };

/**
 * How a parameter carries its values.
 */
export type Arity = "single" | "repeat" | "json_array" | "comma_list";

/**
 * One ARN RAM checks, its decision and the statements behind it.
 */
export type ArnExplanation = { arn: string, decision: Decision, 
/**
 * Where the ARN's values came from, e.g. `$groupNo = sg-2 (from SecurityGroupIds.2)`.
 */
sources: Array<BoundVariable>, named_by?: string, 
/**
 * The matching `Deny` statements (explicit deny) or `Allow` statements (allowed).
 */
deciding: Array<Deciding>, 
/**
 * For an implicit deny: the `Allow` statements that came closest, best first.
 */
closest: Array<Closest>, };

/**
 * Where a template variable's value comes from.
 */
export type Binding = { "from": "region", 
/**
 * The parameter that names this region instead of `RegionId`.
 */
param?: string, } | { "from": "account" } | { "from": "param", params: Array<ParamSource>, } | { "from": "resource_type", param: string, 
/**
 * Lower-case parameter value → ARN resource type.
 */
values: { [key in string]: string }, };

/**
 * A variable's value and its origin.
 */
export type BoundVariable = { 
/**
 * The variable name, without `$`.
 */
variable: string, 
/**
 * The value put into the ARN.
 */
value: string, 
/**
 * The request parameter it came from (`SecurityGroupIds.2`, `RegionId`), or `region` /
 * `account` for the request's own members.
 */
source: string, };

/**
 * The options of `evaluate`, `explain` and `evaluateAndExplain`; absent, empty or `{}` means
 * none.
 */
export type CallOptions = { 
/**
 * Condition keys and values; they replace the input's values of those keys (as the CLI's
 * `--context KEY=VALUE`).
 */
context?: { [key in string]: ContextValues }, 
/**
 * The front end's clock, e.g. `new Date().toISOString()`: `acs:CurrentTime` of a call whose
 * policies use that key and whose input gives none ([`super::current_time`]). The library
 * never reads a clock.
 */
current_time?: string | null, 
/**
 * `explain` with kind `actiontrail`: explain every event, not only the denied ones.
 */
all?: boolean, };

/**
 * `catalog`'s value: the same JSON as `ram-policy actions --format json`.
 */
export type Catalog = { 
/**
 * The edition in use (`setCatalogEdition`).
 */
edition: Edition, 
/**
 * The service prefixes the catalog covers.
 */
services: Array<string>, source: Source, actions: Array<CatalogAction>, errata: Array<Erratum>, };

/**
 * One action of the catalog.
 */
export type CatalogAction = { 
/**
 * `ecs:Name`, `vpc:Name`.
 */
action: string, name: string, service: string, 
/**
 * Where the authorization facts come from.
 */
source: FactSource, 
/**
 * Whether the name is an API of the service's metadata.
 */
api: boolean, 
/**
 * False for a real API that no authorization entry documents.
 */
authorization_documented: boolean, 
/**
 * `get`, `list`, `create`, `update`, `delete` or `none` (today's reference), or null.
 */
access_level: string | null, resource_types: Array<string>, condition_keys: Array<string>, reference_line: number | null, 
/**
 * Edition `current`: the seed's templates where they differ (`[]`: `*` only), else null.
 */
seed_resources: Array<string> | null, 
/**
 * Reference templates no request parameter fills.
 */
unbound_resources: Array<string>, category: string, description: string, overview_line: number | null, table_line: number | null, api_page_line: number | null, resource_level: boolean, resources: Array<CatalogResource>, };

/**
 * One resource RAM checks for an action. Actions without resource-level authorization have
 * the single entry `{"template": "*"}`.
 */
export type CatalogResource = { template: string, } | ScopedResource;

/**
 * Whether a difference is proven.
 */
export type Certainty = "exact" | "possible";

/**
 * A statement that came close to allowing an ARN.
 */
export type Closest = { 
/**
 * How many of action, resource and condition match (0–3).
 */
score: number, 
/**
 * The dimensions that match.
 */
matching: Array<string>, differences: Array<Difference>, policy: string, 
/**
 * Index in the policy's `Statement` array (from 0, as in JSON pointers); text
 * for people says "statement N" from 1.
 */
statement: number, effect: Effect, 
/**
 * `file:line:col`.
 */
location: string, line: number, column: number, source: Array<SourceLine>, };

/**
 * What one `--condition` key became.
 */
export type ConditionReport = { key: string, operator: string, 
/**
 * The actions that got the condition.
 */
actions: Array<string>, 
/**
 * Every value used, sorted.
 */
values: Array<string>, 
/**
 * Actions that did not get it, and why.
 */
omitted: Array<string>, };

/**
 * A condition key and the witness's values for it.
 */
export type ConditionSetting = { key: string, 
/**
 * `None`: the witness does not carry the key.
 */
values: Array<string> | null, };

/**
 * A condition key the answer depends on.
 */
export type ContextKey = { key: string, 
/**
 * The request's values; `None` when the key is absent.
 */
values: Array<string> | null, 
/**
 * The key is absent and a statement's outcome rests on it: RAM's treatment of absent keys
 * is not documented, so this part of the answer is this tool's choice.
 */
undocumented: boolean, 
/**
 * The key is not in the registry of known keys (see `crate::condition::keys`).
 */
unknown_key: boolean, 
/**
 * RAM sets the key from facts the input does not carry: not known from the input, and the
 * answer depends on it. The text says what it depends on.
 */
not_known?: string, 
/**
 * Where the key is consulted (`file:line:col`), in statement order.
 */
consulted_at: Array<string>, 
/**
 * Filled in by the front end (the CLI fills `acs:CurrentTime` from the clock).
 */
filled_by?: string, };

/**
 * One context row of the form.
 */
export type ContextRow = { key: string, value?: string, };

/**
 * A context key's value or values: strings, numbers or booleans (numbers and booleans are
 * taken as their JSON text).
 */
export type ContextValues = Scalar | Scalar[];

/**
 * A statement that decided an ARN, and why it applies.
 */
export type Deciding = { 
/**
 * Why it applies: the action pattern, the resource pattern, each condition met.
 */
because: Array<string>, policy: string, 
/**
 * Index in the policy's `Statement` array (from 0, as in JSON pointers); text
 * for people says "statement N" from 1.
 */
statement: number, effect: Effect, 
/**
 * `file:line:col`.
 */
location: string, line: number, column: number, source: Array<SourceLine>, };

/**
 * The answer for a request or one of its ARNs.
 */
export type Decision = "Allow" | "ExplicitDeny" | "ImplicitDeny" | "Indeterminate";

/**
 * A `Deny` statement to change for an explicit deny.
 */
export type DenyChange = { 
/**
 * The ARNs it denies.
 */
arns: Array<string>, because: Array<string>, policy: string, 
/**
 * Index in the policy's `Statement` array (from 0, as in JSON pointers); text
 * for people says "statement N" from 1.
 */
statement: number, effect: Effect, 
/**
 * `file:line:col`.
 */
location: string, line: number, column: number, source: Array<SourceLine>, };

/**
 * Both directions of a comparison.
 */
export type DiffReport = { 
/**
 * What NEW allows and OLD does not, by action.
 */
new_access: Array<ActionDiff>, 
/**
 * What OLD allowed and NEW does not, by action.
 */
removed_access: Array<ActionDiff>, };

/**
 * One difference: a set of resources (one catalog template within the allowing side's
 * patterns) where one side allows what the other denies.
 */
export type Difference = { certainty: Certainty, 
/**
 * The ARN template the difference lies in (`*` for an action RAM authorizes on `*` only;
 * `any` for an action outside the catalog).
 */
template: string, 
/**
 * The allowing side's `Resource` patterns that admit the witness's ARNs.
 */
patterns: Array<string>, 
/**
 * A request allowed by one side and denied by the other (for a possible difference: the
 * candidate that could not be confirmed, when there is one).
 */
witness?: Witness, 
/**
 * The allowing side's statements that allow the witness.
 */
statements: Array<StatementPlace>, 
/**
 * The denying side's `Deny` statements that deny the witness (empty for an implicit deny).
 */
denied_by: Array<StatementPlace>, 
/**
 * Set when the denying side's statements cover the witness's action and ARNs and only
 * their conditions (or a conditional `Deny`) keep them from allowing it: the condition keys
 * and the witness's values (`absent` when the witness does not carry the key).
 */
conditions_only: Array<ConditionSetting>, 
/**
 * Why the difference is only possible.
 */
reason?: string, };

/**
 * Replace the text of `region` with `replacement`.
 */
export type Edit = { replacement: string, line: number, column: number, end_line: number, end_column: number, offset: number, end_offset: number, };

/**
 * Which authorization data decides.
 */
export type Edition = "seed" | "current";

/**
 * `setCatalogEdition`'s value.
 */
export type EditionChoice = { edition: Edition, };

/**
 * `Allow` or `Deny`.
 */
export type Effect = "Allow" | "Deny";

/**
 * A correction to what the seed prints.
 */
export type Erratum = { 
/**
 * Stable id, `E01`, `E02`, …
 */
id: string, 
/**
 * Seed line of the mistake.
 */
line: number, 
/**
 * The action concerned (canonical name).
 */
action: string, 
/**
 * `wrong_resource_type`, `truncated_template`, `wrong_service`, `variable_spelling`,
 * `action_name`, `optionality`, `unbindable_variable`, …
 */
kind: string, 
/**
 * What the seed prints.
 */
printed: string, 
/**
 * What the catalog uses instead.
 */
corrected: string, 
/**
 * Why.
 */
reason: string, };

/**
 * What every export answers on failure, inside `{"error": …}`: a stable `kind`, a `message` for
 * people, and where the input is wrong (members present only when known).
 */
export type ErrorBody = { 
/**
 * Stable, e.g. `malformed_json`, `unknown_action`, `invalid_policy`.
 */
kind: ErrorKind, message: string, 
/**
 * The policy's name (policy errors).
 */
file?: string, 
/**
 * The record's number in an ActionTrail input (1-based).
 */
record?: number, 
/**
 * 1-based position in the input text.
 */
line?: number, column?: number, 
/**
 * JSON pointer to the offending value.
 */
pointer?: string, 
/**
 * A member given twice: where it was first given.
 */
first_line?: number, first_column?: number, 
/**
 * `invalid_context_value`: the condition key.
 */
key?: string, 
/**
 * `unknown_action`: the closest action names.
 */
suggestions?: Array<string>, 
/**
 * `missing_parameter`: the parameters of which one is needed.
 */
parameters?: Array<string>, };

/**
 * `evaluate`'s value: `ram-policy eval --format json`.
 */
export type Evaluation = { action: string, catalog_edition: Edition, 
/**
 * `Indeterminate`: the answer depends on condition keys RAM sets from facts the input does
 * not carry (listed in `unknown_context_keys`), or on an undocumented authorization; never
 * an allow.
 */
decision: Decision, 
/**
 * Why the decision is `Indeterminate` because of the action's authorization.
 */
depends_on_authorization?: string, missing_context_keys: Array<string>, 
/**
 * Hints about the request itself; the decision does not depend on them.
 */
notes?: Array<string>, resources: Array<ResourceDecision>, 
/**
 * Statements that did not apply, with the first reason.
 */
trace: Array<TraceEntry>, 
/**
 * Keys RAM sets from facts the input does not carry; the answer depends on them.
 */
unknown_context_keys?: Array<string>, };

/**
 * `evaluateAndExplain`'s value: the editor's one call per edit.
 */
export type EvaluationAndExplanation = { evaluation: Evaluation, explanation: ExplainOutput, };

/**
 * The event an explanation is about.
 */
export type EventInfo = { record: number, line: number, event_id?: string, event_time?: string, event_name?: string, 
/**
 * `ApiCall`, `ConsoleOperation`, …
 */
event_type?: string, error_code?: string, principal?: string, };

/**
 * The smallest change that allows the call.
 */
export type ExplainFix = { 
/**
 * The `Allow` statement for exactly the ARNs no statement allows, when any.
 */
statement: unknown, 
/**
 * The statement as JSON ready to paste.
 */
statement_text?: string, 
/**
 * A whole policy document holding only the statement.
 */
policy_text?: string, 
/**
 * Existing `Deny` statements that would still deny some of the statement's ARNs.
 */
blocked_by: Array<StatementView>, 
/**
 * For an explicit deny: the `Deny` statements to change (remove, or narrow so that they
 * no longer match these ARNs).
 */
change_deny: Array<DenyChange>, 
/**
 * Checked by evaluation: with the statement added and the listed `Deny` statements
 * removed, the call is allowed.
 */
allowed_after: boolean, notes: Array<string>, 
/**
 * Every way found to get the call allowed, checked by evaluation: first those that keep every
 * `Deny` and every condition, then those that weaken a guard rail (see `fixes`).
 */
options: Array<FixOption>, };

/**
 * What `explain`'s input is.
 */
export type ExplainKind = "request" | "actiontrail" | "error";

/**
 * `explain`'s answer: for a request or an error body with one explanation, the explanation
 * itself with `input`; otherwise the whole report.
 */
export type ExplainOutput = Explanation | Report;

/**
 * One explained call: `ram-policy explain --format json` for a request or an error body.
 */
export type Explanation = { 
/**
 * `request` or `error`.
 */
input: "request" | "error", event?: EventInfo, 
/**
 * `ALLOWED`, `DENIED (explicit deny)` or `DENIED (no statement allows it)`.
 */
headline: string, decision: Decision, action: string, account?: string, region?: string, resources: Array<ArnExplanation>, skipped: Array<SkippedResource>, context_keys: Array<ContextKey>, fix?: ExplainFix, ram?: Agreement, 
/**
 * What the input does not tell.
 */
unknown: Array<Gap>, notes: Array<string>, };

/**
 * Every export's failure: `{"error": {...}}`.
 */
export type FacadeError = { error: ErrorBody, };

/**
 * Where an action's authorization facts come from.
 */
export type FactSource = "seed" | "reference" | "api_metadata";

/**
 * One problem found in a policy document.
 */
export type Finding = { 
/**
 * Stable UPPER_SNAKE_CASE code (see `ram-policy rules`).
 */
code: string, severity: Severity, 
/**
 * What is wrong and what to do, in one or two sentences.
 */
message: string, 
/**
 * JSON pointer to the offending value (`/Statement/0/Action/1`); empty for the document.
 */
path: string, 
/**
 * A machine-applicable fix, when one exists.
 */
fix?: Fix, line: number, column: number, end_line: number, end_column: number, offset: number, end_offset: number, };

/**
 * Text edits that resolve a finding. Offsets refer to the linted text; edits never overlap.
 */
export type Fix = { 
/**
 * What the fix does, e.g. "replace with `ecs:DescribeInstances`".
 */
title: string, edits: Array<Edit>, };

/**
 * What a fix changes.
 */
export type FixKind = "change_request" | "widen_statement" | "add_condition_value" | "add_statement" | "change_deny";

/**
 * One way to get the call allowed.
 */
export type FixOption = { kind: FixKind, 
/**
 * The fix in one sentence, the same in every output.
 */
sentence: string, 
/**
 * The guard rail this fix weakens; `None` when it keeps every `Deny` and every condition.
 */
weakens?: string, 
/**
 * The statement to add, for [`FixKind::AddStatement`] (and [`FixKind::ChangeDeny`] when an
 * ARN also needs an `Allow`).
 */
statement_text?: string, 
/**
 * Checked by evaluation: with this change the call is allowed.
 */
allowed_after: boolean, };

/**
 * One parameter field of the form: the catalog's name (`SecurityGroupIds.N`) and arity, and
 * the typed text (several values separated by commas or white space, or a JSON array).
 */
export type FormParameter = { name: string, arity: Arity, text?: string, };

/**
 * Something an event (or a denial diagnostic) does not tell, so an answer that depends on it
 * cannot be judged.
 */
export type Gap = { 
/**
 * What is unknown: a condition key (`acs:SourceIp`), `params`, `account`, …
 */
subject: string, 
/**
 * Why, in words.
 */
reason: string, };

/**
 * The options as JSON (the facade) or as parsed from the command line: one validation for both.
 *
 * `{"input": "requests" | "actiontrail", "principal": "alice", "since": "2024-01-01",
 *   "until": "2024-02-01T00:00:00Z", "include_failed": false, "generalize": "none",
 *   "max_size": 6144, "split": false, "conditions": ["acs:SourceIp"]}`, every member optional.
 */
export type GenerateOptions = { input?: string, principal?: string, since?: string, until?: string, include_failed: boolean, generalize?: string, max_size?: number, split: boolean, conditions: Array<string>, };

/**
 * `generate`'s value ([`crate::generate::Generation::view`]), with the input kind found when
 * the options said `"input": "auto"`.
 */
export type GenerateOutput = { detected_input?: string, } & ({ policy: unknown, policy_text: string, summary: GenerateSummary, } | { policies: unknown[], policy_texts: Array<string>, summary: GenerateSummary, });

/**
 * The summary as JSON (`generate --summary-format json`, the facade), with `text`: the same
 * summary as the CLI writes it, so that the editor shows the same words.
 */
export type GenerateSummary = { skipped_total: number, size_counting: string, text: string, 
/**
 * Records read (events or requests, malformed ones included).
 */
read: number, 
/**
 * Calls used in the policy.
 */
used: number, 
/**
 * Distinct used calls: action, account, region, parameters and `--condition` values, told
 * apart by a 128-bit fingerprint.
 */
distinct_calls: number, 
/**
 * Skipped records by reason: `malformed`, `no_event_name`, `not_a_call`, `service_event`,
 * `system_identity`, `service_linked_role`, `not_ecs`, `root_account`,
 * `not_in_catalog`, `failed`, `other_principal`, `outside_window`, `no_event_time`,
 * `unresolvable`, `masked`, `no_arn`.
 */
skipped: { [key in string]: Skip }, actions: number, 
/**
 * Distinct ARNs the used calls resolved to.
 */
arns: number, statements: number, 
/**
 * The size of each policy in characters, counted without insignificant whitespace.
 */
sizes: Array<number>, limit: number, generalize: string, 
/**
 * `by_action` or `by_resource`: how statements are grouped (see `docs/generate.md`).
 */
layout: string, widenings: Array<Widening>, conditions: Array<ConditionReport>, include_failed: boolean, 
/**
 * Lint findings at `warning` or above on the output (expected empty; see
 * `docs/generate.md` for the cases that can produce some).
 */
lint: Array<LintNote>, };

/**
 * One explained call.
 */
export type Item = { event?: EventInfo, 
/**
 * `ALLOWED`, `DENIED (explicit deny)` or `DENIED (no statement allows it)`.
 */
headline: string, decision: Decision, action: string, account?: string, region?: string, resources: Array<ArnExplanation>, skipped: Array<SkippedResource>, context_keys: Array<ContextKey>, fix?: ExplainFix, ram?: Agreement, 
/**
 * What the input does not tell.
 */
unknown: Array<Gap>, notes: Array<string>, };

/**
 * A lint finding on a generated policy.
 */
export type LintNote = { 
/**
 * The policy's number, from 1.
 */
policy: number, code: string, severity: Severity, message: string, path: string, };

/**
 * `lint`'s value. Malformed JSON is a finding, so lint never fails.
 */
export type LintResult = { findings: Array<Finding>, };

/**
 * One request parameter feeding a binding.
 */
export type ParamSource = { 
/**
 * The parameter name; a repeat list is written with `.N` (`SecurityGroupIds.N`,
 * `DataDisk.N.SnapshotId`).
 */
name: string, 
/**
 * How many values the parameter carries.
 */
arity: Arity, 
/**
 * Seed line where the parameter is documented, when the seed has an API page for it.
 */
seed_line?: number, };

/**
 * Where something is written: start and end (1-based line:column) and the JSON pointer.
 */
export type Place = { line: number, column: number, end_line: number, end_column: number, pointer: string, };

/**
 * A policy as the exports take it: the document as written (results point into it by line and
 * column) and the name results call it by (the CLI uses the file path).
 */
export type PolicyText = { name: string, text: string, };

/**
 * A record that could not be explained.
 */
export type RecordError = { record?: number, line: number, kind: string, message: string, };

/**
 * A record named in the summary.
 */
export type RecordRef = { 
/**
 * The record number, from 1 (0 when unknown).
 */
record: number, 
/**
 * The line the record starts on.
 */
line: number, message?: string, };

/**
 * Everything `explain` says about its input.
 */
export type Report = { 
/**
 * `request`, `actiontrail` or `error`.
 */
input: string, explanations: Array<Item>, skipped: Array<Skipped>, errors: Array<RecordError>, };

/**
 * `buildRequest`'s input: what the editor's request panel holds.
 */
export type RequestForm = { 
/**
 * The action as picked (`ecs:Name`).
 */
action: string, 
/**
 * Left out of the request when blank.
 */
account?: string, 
/**
 * Left out of the request when blank.
 */
region?: string, 
/**
 * The action's parameter fields, in order, with what was typed in each.
 */
parameters?: Array<FormParameter>, 
/**
 * Context rows; a row with a blank key is left out, a key given twice gets both values.
 */
context?: Array<ContextRow>, };

/**
 * `resolve`'s value: the same JSON as `ram-policy resolve FILE --format json`.
 */
export type Resolution = { action: string, resources: Array<string>, };

/**
 * A request, as `resolve`, `evaluate` and `explain` take it (JSON text; read by
 * [`crate::request::Request::from_json`], which names the place of a mistake) and as
 * `buildRequest` makes it.
 */
export type ResolveRequest = { 
/**
 * With or without the `ecs:` prefix, any letter case.
 */
action: string, account?: Scalar, region?: string, 
/**
 * Parameter values: strings, numbers, booleans, or arrays of those.
 */
params?: { [key in string]: ContextValues }, 
/**
 * Condition keys and their value or values.
 */
context?: { [key in string]: ContextValues }, };

/**
 * The decision on one ARN.
 */
export type ResourceDecision = { arn: string, decision: Decision, statements: Array<StatementRef>, 
/**
 * Statements whose conditions depend on keys not known from the input.
 */
undetermined?: Array<StatementRef>, };

/**
 * One check.
 */
export type RuleMeta = { 
/**
 * Stable UPPER_SNAKE_CASE code.
 */
code: string, 
/**
 * Default severity (a configuration file may change it).
 */
severity: Severity, 
/**
 * One line.
 */
summary: string, 
/**
 * Why it matters and what the check looks at.
 */
description: string, 
/**
 * A policy on which the check fires (or, starting with `$generated:`, how the test makes one).
 */
bad: string, 
/**
 * A policy on which it stays silent.
 */
good: string, 
/**
 * The text of the span the finding must point at in `bad` (`$document` for the whole
 * document).
 */
bad_span: string, 
/**
 * What the machine-applicable fix does, when the check offers one.
 */
fix?: string, 
/**
 * The catalog edition the check needs, when it runs in one edition only (its examples are
 * linted with it).
 */
edition?: Edition, };

/**
 * `rules`'s value: `ram-policy rules --format json`.
 */
export type Rules = { rules: Array<RuleMeta>, };

/**
 * A parameter's or context key's value as written in JSON.
 */
export type Scalar = string | number | boolean;

/**
 * A resource with its ARN template and where each variable's value comes from.
 */
export type ScopedResource = { template: string, printed: string, line: number, optional: boolean, unless_params: Array<string>, bindings: { [key in string]: Binding }, errata: Array<string>, };

/**
 * One ARN segment that a Resource pattern does not match.
 */
export type SegmentDiff = { 
/**
 * `service`, `region`, `account`, `resource type`, `resource id`, `resource`, `prefix`,
 * or `arn` (compared as a whole).
 */
segment: string, 
/**
 * The pattern's segment.
 */
pattern: string, 
/**
 * The ARN's segment.
 */
arn: string, };

/**
 * How serious a finding is. Ordered: `Suggestion < Warning < SecurityWarning < Error`.
 */
export type Severity = "suggestion" | "warning" | "security_warning" | "error";

/**
 * The calls skipped for one reason.
 */
export type Skip = { 
/**
 * Exact.
 */
count: number, 
/**
 * By service, action, error code, event type or problem (the first [`DETAIL_LIMIT`]
 * distinct values; the rest counted under `other`).
 */
by: { [key in string]: number }, 
/**
 * Calls counted in `by` under no detail because the list was full.
 */
other: number, 
/**
 * The first [`DETAIL_LIMIT`] records.
 */
records: Array<RecordRef>, };

/**
 * An event that is not explained.
 */
export type Skipped = { record: number, line: number, reason: string, };

/**
 * A catalog resource that this request does not check.
 */
export type SkippedResource = { template_index: number, template: string, reason: string, };

/**
 * The seed document the catalog was read from.
 */
export type Source = { 
/**
 * The service prefix of the seed's actions (`ecs`).
 */
service: string, 
/**
 * File name of the seed (`000_5d5991c6436aa2be.txt`).
 */
seed: string, 
/**
 * The document version the seed states.
 */
document_version: string, };

/**
 * One line of a policy's source.
 */
export type SourceLine = { line: number, text: string, };

/**
 * Where a statement is: its policy, its index and its span.
 */
export type StatementPlace = { 
/**
 * The policy's name (its file, as given).
 */
policy: string, 
/**
 * The index in `Statement` from 0, as in JSON pointers (text says "statement N" from 1).
 */
statement: number, effect: Effect, 
/**
 * The JSON pointer of the statement.
 */
pointer: string, line: number, column: number, end_line: number, end_column: number, };

/**
 * A statement that decided an ARN (0-based `statement` index, 1-based line and column).
 */
export type StatementRef = { column: number, effect: Effect, line: number, policy: string, statement: number, };

/**
 * A statement as shown: where it is and its source lines.
 */
export type StatementView = { policy: string, 
/**
 * Index in the policy's `Statement` array (from 0, as in JSON pointers); text
 * for people says "statement N" from 1.
 */
statement: number, effect: Effect, 
/**
 * `file:line:col`.
 */
location: string, line: number, column: number, source: Array<SourceLine>, };

/**
 * A statement that did not apply, and why.
 */
export type TraceEntry = { column: number, effect: Effect, line: number, 
/**
 * The reason in words, as the CLI prints it.
 */
message: string, policy: string, 
/**
 * The reason as data (a `Value`, so that its members are sorted).
 */
reason: unknown, statement: number, };

/**
 * One widening, as the summary lists it.
 */
export type Widening = { kind: WideningKind, 
/**
 * `generalize` (asked by `--generalize`) or `size` (to fit `--max-size`).
 */
reason: string, 
/**
 * The pattern written instead.
 */
to: string, 
/**
 * How many distinct ARNs (or patterns) it replaces.
 */
replaces: number, 
/**
 * The first [`DETAIL_LIMIT`] of them, sorted.
 */
from: Array<string>, 
/**
 * The actions whose resources changed.
 */
actions: Array<string>, };

/**
 * What a widening replaced.
 */
export type WideningKind = "ids" | "regions";

/**
 * A request, concretely: what `eval` takes, plus the ARNs RAM checks for it.
 */
export type Witness = { action: string, account?: string, region?: string, params: { [key in string]: string }, context: { [key in string]: Array<string> }, 
/**
 * The ARNs RAM checks for the request, in order.
 */
arns: Array<string>, };
