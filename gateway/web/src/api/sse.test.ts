import { describe, expect, it } from 'vitest';
import { EventStreamParser } from './sse';

describe('the event stream parser', () => {
  it('reads events split anywhere, skips heartbeats and keeps the last id', () => {
    const text =
      'retry: 3000\n: open\n\nid: issues=1,supervision=0,cases=0\nevent: issue.created\n' +
      'data: {"cursor":"1"}\n\n: heartbeat\n\nevent: unavailable\ndata: {"service":"cases"}\r\n\r\n';
    for (let cut = 0; cut <= text.length; ++cut) {
      const p = new EventStreamParser();
      const events = [...p.push(text.slice(0, cut)), ...p.push(text.slice(cut))];
      expect(events).toEqual([
        { id: 'issues=1,supervision=0,cases=0', type: 'issue.created', data: '{"cursor":"1"}' },
        { id: 'issues=1,supervision=0,cases=0', type: 'unavailable', data: '{"service":"cases"}' },
      ]);
      expect(p.lastId).toBe('issues=1,supervision=0,cases=0');
      expect(p.retryMs).toBe(3000);
    }
  });

  it('takes an id that comes alone (where a feed from now starts) without an event', () => {
    const p = new EventStreamParser();
    expect(p.push('retry: 3000\n: open\n\nid: issues=7,supervision=0,cases=0\n\n')).toEqual([]);
    expect(p.lastId).toBe('issues=7,supervision=0,cases=0');
    expect(p.push('id: issues=7,supervision=3,cases=0\n\nevent: x\ndata: {}\n\n')).toEqual([
      { id: 'issues=7,supervision=3,cases=0', type: 'x', data: '{}' },
    ]);
  });

  it('joins multi-line data and ignores ids with NUL', () => {
    const p = new EventStreamParser();
    expect(p.push('id: a\0b\ndata: one\ndata: two\n\n')).toEqual([
      { id: '', type: 'message', data: 'one\ntwo' },
    ]);
  });
});
