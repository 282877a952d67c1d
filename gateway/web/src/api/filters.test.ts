import { describe, expect, it } from 'vitest';
import { DEFAULT_ORDER, filterExpression, fromQuery, orderOf, sameFilters, toQuery } from './filters';

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

  it('keep the order in the URL, only one ListIssues takes, the default left out', () => {
    const f = { region: '231000', leadOrg: 'hlj-agri', orderBy: 'deadline desc' };
    expect(toQuery(f)).toEqual({ region: '231000', leadOrg: 'hlj-agri', orderBy: 'deadline desc' });
    expect(fromQuery(toQuery(f))).toEqual(f);
    expect(orderOf(f)).toBe('deadline desc');
    // The order is not a filter.
    expect(filterExpression(f)).toBe('region = "231000" AND lead_org = "hlj-agri"');
    expect(toQuery({ orderBy: DEFAULT_ORDER })).toEqual({});
    expect(fromQuery({ orderBy: 'title desc' })).toEqual({});
    expect(fromQuery({ orderBy: 'deadline' })).toEqual({});
    expect(orderOf({ orderBy: 'title; DROP' })).toBe('deadline');
    expect(orderOf({})).toBe('deadline');
    expect(fromQuery({ orderBy: 'update_time desc' }).orderBy).toBe('update_time desc');
  });

  it('tell when two sets of filters ask for the same ledger', () => {
    expect(sameFilters({ region: '230100', orderBy: 'deadline' }, { region: '230100', text: '' })).toBe(true);
    expect(sameFilters({ region: '230100' }, { region: '230100', orderBy: 'create_time' })).toBe(false);
    expect(sameFilters({ overdue: false }, {})).toBe(true);
  });
});
