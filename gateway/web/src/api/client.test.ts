import { describe, expect, it } from 'vitest';
import { errorFrom, fileNameOf, queryString } from './client';

describe('the API client', () => {
  it('reads AIP-193 errors with their field violations and reason', () => {
    const e = errorFrom(
      400,
      {
        error: {
          code: 400,
          status: 'INVALID_ARGUMENT',
          message: 'invalid request',
          details: [
            { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'INVALID_ARGUMENT' },
            {
              '@type': 'type.googleapis.com/google.rpc.BadRequest',
              fieldViolations: [{ field: 'metadata.file_name', description: '1 to 255 characters' }],
            },
          ],
        },
      },
      null,
    );
    expect(e.status).toBe('INVALID_ARGUMENT');
    expect(e.violationOf('metadata.fileName')).toBe('1 to 255 characters');
    expect(e.violationOf('metadata.file_name')).toBe('1 to 255 characters');
    expect(errorFrom(429, {}, '2').retryAfterSeconds).toBe(2);
  });

  it('names downloads by filename* first', () => {
    expect(fileNameOf(`attachment; filename="____.pdf"; filename*=UTF-8''%E6%95%B4%E6%94%B9.pdf`)).toBe(
      '整改.pdf',
    );
    expect(fileNameOf('attachment; filename="ledger.csv"')).toBe('ledger.csv');
  });

  it('builds queries without empty values, repeating arrays', () => {
    expect(queryString({ a: '1', b: '', c: undefined, d: ['x', 'y'], e: true })).toBe(
      '?a=1&d=x&d=y&e=true',
    );
    expect(queryString({})).toBe('');
  });
});
