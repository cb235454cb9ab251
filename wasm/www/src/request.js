// Pure functions of the request panel: which fields an action has (from the catalog's
// bindings), and the form the `buildRequest` export turns into request JSON. No DOM here, so
// that `node --test` can check them.

/** Human words for a parameter's arity, shown under its field. */
export const ARITY_HELP = {
  single: "one value",
  repeat: "several values, separated by commas or spaces; sent as Name.1, Name.2, …",
  json_array: "several values, separated by commas or spaces; sent as a JSON array in a string",
  comma_list: "several values, separated by commas or spaces; sent as one comma-separated string",
};

/**
 * The parameter fields of a catalog action, in the order its resources' bindings name them,
 * each once: `{ name, arity, choices? }`. `RegionId` appears when a template takes the region
 * (it falls back to the request's region when empty).
 */
export function parameterFields(action) {
  const fields = [];
  const seen = new Set();
  const add = (field) => {
    if (!seen.has(field.name)) {
      seen.add(field.name);
      fields.push(field);
    }
  };
  for (const resource of action.resources || []) {
    for (const binding of Object.values(resource.bindings || {})) {
      switch (binding.from) {
        case "region":
          if (binding.param) add({ name: binding.param, arity: "single" });
          add({ name: "RegionId", arity: "single", region: true });
          break;
        case "param":
          for (const source of binding.params || []) add({ name: source.name, arity: source.arity });
          break;
        case "resource_type":
          add({ name: binding.param, arity: "single", choices: Object.keys(binding.values || {}) });
          break;
        default:
          break;
      }
    }
  }
  return fields;
}

/**
 * The form the `buildRequest` export takes for the panel's state
 * (`{ action, fields: {name: text}, account, region, context: [{key, value}] }`): each parameter
 * field with its arity and typed text. The library encodes the values by arity (`Name.1`, a JSON
 * array in a string, a comma-separated list) and leaves out what is empty.
 */
export function requestForm(state, fields) {
  return {
    action: String(state.action ?? ""),
    account: String(state.account ?? ""),
    region: String(state.region ?? ""),
    parameters: fields.map((field) => ({ name: field.name, arity: field.arity, text: String(state.fields?.[field.name] ?? "") })),
    context: (state.context || []).map((row) => ({ key: String(row.key ?? ""), value: String(row.value ?? "") })),
  };
}

/** Actions whose name, category or description contain every word of `query` (any case). */
export function searchActions(actions, query) {
  const words = String(query ?? "").toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return actions;
  return actions.filter((action) => {
    const haystack = `${action.action} ${action.category} ${action.description}`.toLowerCase();
    return words.every((word) => haystack.includes(word));
  });
}
