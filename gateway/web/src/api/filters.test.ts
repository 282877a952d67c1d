import { describe, expect, it } from 'vitest';
import { filterExpression, fromQuery, toQuery } from './filters';

describe('ledger filters', () => {
  it('make the expression ListIssues takes', () => {
    expect(
      filterExpression({
        state: 'RECTIFYING',
        region: '230100',
        overdue: true,
        deadlineFrom: '2023-01-01',
        deadlineTo: 'not a date',
        text: ' 黑臭 "水体" ',
      }),
    ).toBe(
      'state = RECTIFYING AND region = "230100" AND overdue = true AND deadline >= "2023-01-01"' +
        ' AND title : "黑臭 \\"水体\\""',
    );
    expect(filterExpression({})).toBe('');
  });

  it('round-trip through the URL, leaving out what is unset', () => {
    const f = { state: 'CLOSED', klass: 'LONG_TERM', overdue: true, text: '河' };
    const q = toQuery(f);
    expect(q).toEqual({ state: 'CLOSED', klass: 'LONG_TERM', overdue: 'true', text: '河' });
    expect(fromQuery(q)).toEqual(f);
    expect(fromQuery({ overdue: 'false', state: ['ASSIGNED', 'CLOSED'], bogus: 'x' })).toEqual({
      overdue: false,
      state: 'ASSIGNED',
    });
  });
});
