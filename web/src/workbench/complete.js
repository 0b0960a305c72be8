// Completion in the playbook editor: the keys the format allows where the cursor is (from the
// playbook's JSON Schema, with their descriptions), the values a key takes (the schema's choices),
// and the ids a key refers to (stages, fields, activities, roles) from the playbook itself.
import { parse } from 'yaml';
import schema from '../../../schema/playbook.schema.json' with { type: 'json' };

/** Keys whose values name something the playbook declares, and what they name. */
const REFERENCES = {
  to: 'stages',
  from: 'stages',
  stage: 'stages',
  stages: 'stages',
  fields: 'fields',
  key_fields: 'fields',
  activity: 'activities',
  activities: 'activities',
  role: 'roles',
  roles: 'roles',
  force: 'roles',
  move: 'roles',
  by: 'roles',
  value: 'fields',
};

let lastIds = { stages: [], fields: [], activities: [], roles: [] };

/** The ids the playbook declares (those of its last text that parsed, while it does not). */
function ids(text) {
  let doc;
  try {
    doc = parse(text, { uniqueKeys: false });
  } catch {
    return lastIds;
  }
  if (doc === null || typeof doc !== 'object') return lastIds;
  const stages = Array.isArray(doc.stages) ? doc.stages : [];
  const named = (items) => (Array.isArray(items) ? items.map((item) => item?.id).filter((id) => typeof id === 'string') : []);
  lastIds = {
    stages: named(stages),
    fields: Object.keys(doc.fields ?? {}),
    activities: stages.flatMap((stage) => named(stage?.activities)),
    roles: Object.keys(doc.roles ?? {}),
  };
  return lastIds;
}

/** A schema node with its `$ref` followed. */
function resolved(node) {
  let found = node;
  for (let hops = 0; found?.$ref && hops < 20; hops += 1) {
    found = schema.definitions[found.$ref.replace('#/definitions/', '')];
  }
  return found ?? {};
}

/** The nodes a node may be: itself, or each of its `allOf`, `anyOf` and `oneOf` variants. */
function variants(node) {
  const found = resolved(node);
  const parts = [...(found.allOf ?? []), ...(found.anyOf ?? []), ...(found.oneOf ?? [])];
  return [found, ...parts.flatMap(variants)];
}

/** The schema of `key` inside `node` (`[]`: an item of a list), or null when there is none. */
function child(node, key) {
  for (const variant of variants(node)) {
    if (key === '[]' && variant.items) return variant.items;
    if (key !== '[]' && variant.properties?.[key]) return variant.properties[key];
    if (key !== '[]' && typeof variant.additionalProperties === 'object') return variant.additionalProperties;
  }
  return null;
}

/** The keys allowed in `node`, each with its description. */
function keysOf(node) {
  const keys = new Map();
  for (const variant of variants(node)) {
    for (const [key, value] of Object.entries(variant.properties ?? {})) {
      if (!keys.has(key)) keys.set(key, resolved(value).description ?? value.description ?? '');
    }
  }
  return keys;
}

/** The fixed values `node` takes (`const`s and `enum`s), each with its description. */
function choicesOf(node) {
  const choices = new Map();
  for (const variant of variants(node)) {
    if (variant.const !== undefined) choices.set(String(variant.const), variant.description ?? '');
    for (const value of variant.enum ?? []) choices.set(String(value), '');
  }
  return choices;
}

/**
 * The path of keys from the document's top to a key on line `number` (1-based) at `column`
 * (`inItem`: the key follows the `- ` of a list item), read from the indentation of the lines
 * above; `[]` stands for an item of a list.
 */
export function pathAt(lines, number, column, inItem) {
  const path = inItem ? ['[]'] : [];
  const dash = inItem ? /^(\s*)/.exec(lines[number - 1] ?? '')[1].length : column;
  let target = dash;
  let itemDone = inItem;
  for (let n = number - 2; n >= 0 && target > 0; n -= 1) {
    const match = /^(\s*)(-\s+)?([A-Za-z_][\w-]*)\s*:/.exec(lines[n]);
    if (!match) continue;
    const spaces = match[1].length;
    const at = spaces + (match[2]?.length ?? 0);
    if (at < target) {
      path.unshift(match[3]);
      if (match[2]) {
        path.unshift('[]');
        target = spaces;
        itemDone = true;
      } else {
        target = at;
        itemDone = false;
      }
    } else if (at === target && match[2] && !itemDone) {
      // A key of the same list item as the cursor's, on the item's first line.
      path.unshift('[]');
      target = spaces;
      itemDone = true;
    }
  }
  return path;
}

/** The schema node at `path`, or null when the path leaves the format (a key it does not know). */
function nodeAt(path) {
  let node = schema;
  for (const key of path) {
    node = child(node, key);
    if (node === null) return null;
  }
  return node;
}

/** A CodeMirror completion source for playbooks. */
export function playbookCompletions(context) {
  const line = context.state.doc.lineAt(context.pos);
  const before = line.text.slice(0, context.pos - line.from);
  const lines = context.state.doc.toString().split('\n');
  // A key being typed: `  ti|` or `  - ti|`.
  const key = /^(\s*)(- +)?([\w-]*)$/.exec(before);
  if (key && (key[3] !== '' || context.explicit)) {
    const indent = key[1].length + (key[2] ? key[2].length : 0);
    const node = nodeAt(pathAt(lines, line.number, indent, Boolean(key[2])));
    if (node === null) return null;
    const options = [...keysOf(node)].map(([label, info]) => ({ label, type: 'property', info, apply: `${label}: ` }));
    return options.length === 0 ? null : { from: context.pos - key[3].length, options, validFor: /^[\w-]*$/ };
  }
  // A value being typed: `  to: qu|`, `  roles: [rep, ma|`, or a list item under such a key.
  const value = /^(\s*)(- +)?([A-Za-z_][\w-]*)\s*:\s*(?:\[(?:[^\]]*,\s*)?)?([\w-]*)$/.exec(before);
  const listed = /^(\s*)- +([\w-]*)$/.exec(before);
  let name = value?.[3];
  let typed = value?.[4] ?? '';
  if (!value && listed) {
    // A list item: the key it is under names what it is.
    for (let n = line.number - 2; n >= 0; n -= 1) {
      const above = /^(\s*)(?:- +)?([A-Za-z_][\w-]*)\s*:\s*$/.exec(lines[n]);
      if (above && above[1].length < listed[1].length + 1) {
        name = above[2];
        break;
      }
    }
    typed = listed[2];
  }
  if (name === undefined) return null;
  const options = [];
  const kind = REFERENCES[name];
  if (kind) {
    for (const id of ids(context.state.doc.toString())[kind]) options.push({ label: id, type: 'variable', detail: kind.replace(/s$/, '') });
  }
  if (value) {
    const indent = value[1].length + (value[2] ? value[2].length : 0);
    const node = nodeAt([...pathAt(lines, line.number, indent, Boolean(value[2])), name]);
    if (node !== null) {
      for (const [label, info] of choicesOf(node)) options.push({ label, type: 'enum', info });
    }
  }
  if (options.length === 0 || (typed === '' && !context.explicit && !/[:,[]\s*$/.test(before))) return null;
  return { from: context.pos - typed.length, options, validFor: /^[\w-]*$/ };
}
