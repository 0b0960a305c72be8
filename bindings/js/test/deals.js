// The deals the tests share: the contract corpus's deals under the bundled playbook.
import { readFileSync, readdirSync } from 'node:fs';

/** The repository's root. */
export const root = new URL('../../../', import.meta.url);

/** Every deal of the contract corpus (tests/contract/evaluate-*.json) under the bundled playbook. */
export const corpus = readdirSync(new URL('tests/contract/', root))
  .filter((f) => f.startsWith('evaluate-') && f.endsWith('.json'))
  .sort()
  .map((f) => JSON.parse(readFileSync(new URL(`tests/contract/${f}`, root), 'utf8')))
  .filter((c) => c.playbook === 'playbooks/b2b-sales.yaml')
  .map((c) => c.deal);
