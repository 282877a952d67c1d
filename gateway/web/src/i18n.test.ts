import { describe, expect, it } from 'vitest';
import { ACTIONS } from './actions';
import { ORDERS } from './api/filters';
import { CASE_ACTIONS } from './cases';
import { i18n } from './i18n';

// Every key of a message tree, as dotted paths.
function keys(tree: unknown, prefix = ''): string[] {
  if (typeof tree !== 'object' || tree === null || Array.isArray(tree)) return [prefix];
  return Object.entries(tree).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

describe('the two languages', () => {
  const { messages, te } = i18n.global;
  it('have the same strings', () => {
    expect(keys(messages.value.en).sort()).toEqual(keys(messages.value['zh-CN']).sort());
  });

  it("name every action (on an issue or a case), order and form field the portal shows", () => {
    for (const locale of ['zh-CN', 'en'] as const) {
      for (const a of Object.values(ACTIONS)) {
        expect(te(`actions.${a.key}`, locale), `actions.${a.key}`).toBe(true);
        for (const f of a.fields) expect(te(f.label, locale), f.label).toBe(true);
      }
      for (const o of ORDERS) expect(te(`ledger.orders.${o.replace(' ', '_')}`, locale), o).toBe(true);
      for (const a of Object.values(CASE_ACTIONS)) {
        expect(te(`actions.${a.key}`, locale), `actions.${a.key}`).toBe(true);
        for (const f of a.fields) {
          expect(te(f.label, locale), f.label).toBe(true);
          if (f.hint) expect(te(f.hint, locale), f.hint).toBe(true);
        }
      }
    }
  });
});
