// Pure functions of the request panel: which fields an action has (from the catalog's
// bindings), and the request JSON that the form's values make. No DOM here, so that
// `node --test` can check them.

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

/** Splits what a person typed into values: a JSON array, or words separated by commas/spaces. */
export function splitValues(text) {
  const trimmed = String(text ?? "").trim();
  if (trimmed.startsWith("[")) {
    try {
      const parsed = JSON.parse(trimmed);
      if (Array.isArray(parsed)) return parsed.map(String).filter((value) => value !== "");
    } catch {
      // Not JSON after all: fall through to plain splitting.
    }
  }
  return trimmed.split(/[\s,]+/).filter((value) => value !== "");
}

/** The request parameters for one field's typed text, by the field's arity. */
export function encodeParameter(field, text) {
  if (field.arity === "single") {
    const value = String(text ?? "").trim();
    return value === "" ? {} : { [field.name]: value };
  }
  const values = splitValues(text);
  if (values.length === 0) return {};
  switch (field.arity) {
    case "repeat": {
      const out = {};
      values.forEach((value, index) => {
        out[field.name.replace(/\.N(?=\.|$)/, `.${index + 1}`)] = value;
      });
      return out;
    }
    case "json_array":
      return { [field.name]: JSON.stringify(values) };
    case "comma_list":
      return { [field.name]: values.join(",") };
    default:
      return { [field.name]: values.join(",") };
  }
}

/**
 * The request JSON for the form's state:
 * `{ action, fields: {name: text}, account, region, context: [{key, value}] }`.
 * Empty fields are left out; a context key given twice gets an array of values.
 */
export function buildRequest(state, fields) {
  const request = { action: state.action };
  const account = String(state.account ?? "").trim();
  const region = String(state.region ?? "").trim();
  if (account) request.account = account;
  if (region) request.region = region;
  const params = {};
  for (const field of fields) Object.assign(params, encodeParameter(field, state.fields?.[field.name]));
  request.params = params;
  const context = {};
  for (const row of state.context || []) {
    const key = String(row.key ?? "").trim();
    if (!key) continue;
    const value = String(row.value ?? "");
    if (key in context) {
      context[key] = [].concat(context[key], value);
    } else {
      context[key] = value;
    }
  }
  request.context = context;
  return request;
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
