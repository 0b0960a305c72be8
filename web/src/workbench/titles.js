// The titles of a playbook's parts, from the engine's outline: what the sandbox, the coverage
// and the effects say in place of ids (an id without a title stays as it is).

/**
 * Lookups of titles by id from `outline` (the engine's, or null while the playbook does not
 * load): `stage`, `field`, `activity`, `card` and `role`, each `(id) => title`, and `fields`
 * for a list of field ids.
 */
export function titlesOf(outline) {
  const table = (items) => new Map((items ?? []).map((item) => [item.id, item.title || item.id]));
  const stages = table(outline?.stages);
  const fields = table(outline?.fields);
  const activities = table((outline?.stages ?? []).flatMap((stage) => stage.activities ?? []));
  const cards = table(outline?.scorecards);
  const roles = table(outline?.roles);
  const look = (map) => (id) => (id === null || id === undefined ? '' : map.get(id) ?? String(id));
  const titles = {
    stage: look(stages),
    field: look(fields),
    activity: look(activities),
    card: look(cards),
    role: look(roles),
  };
  return { ...titles, fields: (ids) => (ids ?? []).map(titles.field).join(', ') };
}
