import { describe, expect, it } from 'vitest';
import type { Extension, Issue, Objection } from './api/client';
import { extensionDecisions, mayRequestExtension, objectionRulings } from './rulings';

const issue = (state: string): Issue =>
  ({ id: '7', state, leadOrgId: 'hlj-water', responsibleOrgIds: ['gov-230102'] }) as Issue;
const extension = (state: Extension['state']): Extension => ({ id: '3', state });
const objection = (state: Objection['state']): Objection => ({ id: '4', state });

describe('extensions', () => {
  it('are asked for by a rectifying org while the issue is assigned or rectifying, one at a time', () => {
    expect(mayRequestExtension('department', 'hlj-water', issue('RECTIFYING'))).toBe(true);
    expect(mayRequestExtension('county', 'gov-230102', issue('ASSIGNED'), [extension('REFUSED')])).toBe(true);
    expect(mayRequestExtension('county', 'gov-230102', issue('RECTIFYING'), [extension('PENDING')])).toBe(false);
    expect(mayRequestExtension('county', 'gov-230102', issue('ACCEPTANCE_REQUESTED'))).toBe(false);
    expect(mayRequestExtension('department', 'hlj-forest', issue('RECTIFYING'))).toBe(false);
    expect(mayRequestExtension('office', 'hlj-office', issue('RECTIFYING'))).toBe(false);
    expect(mayRequestExtension('public', '', issue('RECTIFYING'))).toBe(false);
  });

  it('are decided by the office while pending', () => {
    expect(extensionDecisions('office', extension('PENDING'))).toEqual(['approve', 'refuse']);
    expect(extensionDecisions('office', extension('APPROVED'))).toEqual([]);
    expect(extensionDecisions('department', extension('PENDING'))).toEqual([]);
    expect(extensionDecisions('supervisor', extension('PENDING'))).toEqual([]);
  });
});

describe('objections', () => {
  it('are ruled on by the office: upheld only while the notice runs, dismissed any time while pending', () => {
    expect(objectionRulings('office', issue('PUBLIC_NOTICE'), objection('PENDING'))).toEqual(['uphold', 'dismiss']);
    expect(objectionRulings('office', issue('RECTIFYING'), objection('PENDING'))).toEqual(['dismiss']);
    expect(objectionRulings('office', issue('PUBLIC_NOTICE'), objection('DISMISSED'))).toEqual([]);
    expect(objectionRulings('county', issue('PUBLIC_NOTICE'), objection('PENDING'))).toEqual([]);
    expect(objectionRulings('discipline', issue('PUBLIC_NOTICE'), objection('PENDING'))).toEqual([]);
  });
});
