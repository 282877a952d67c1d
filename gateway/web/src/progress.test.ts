import { describe, expect, it } from 'vitest';
import type { Measure } from './api/client';
import { doneKey, initialMeasureValues, measureFieldOf, measureUpdates, noteKey } from './progress';

const measures: Measure[] = [
  { id: 'm1', description: '截污纳管', done: false },
  { id: 'm2', description: '清淤疏浚', done: true, doneDate: '2026-10-01' },
  { id: 'm3', description: '生态补水' },
];

describe("a progress report's measure updates", () => {
  it('start from the measures as the issue has them', () => {
    expect(initialMeasureValues(measures)).toEqual({
      [doneKey('m1')]: 'false', [noteKey('m1')]: '',
      [doneKey('m2')]: 'true', [noteKey('m2')]: '',
      [doneKey('m3')]: 'false', [noteKey('m3')]: '',
    });
    expect(initialMeasureValues(undefined)).toEqual({});
  });

  it('carry only the measures that changed or have a note', () => {
    const values = { ...initialMeasureValues(measures), [doneKey('m1')]: 'true', [noteKey('m3')]: ' 已完成补水方案 ' };
    expect(measureUpdates(measures, values)).toEqual([
      { measureId: 'm1', done: true, note: undefined },
      { measureId: 'm3', done: false, note: '已完成补水方案' },
    ]);
    expect(measureUpdates(measures, initialMeasureValues(measures))).toEqual([]);
    // A measure done before and now undone is an update too.
    expect(measureUpdates(measures, { [doneKey('m2')]: 'false' })).toEqual([{ measureId: 'm2', done: false, note: undefined }]);
  });

  it("place a violation of an update beside its measure's field", () => {
    const values = { ...initialMeasureValues(measures), [doneKey('m1')]: 'true', [noteKey('m3')]: 'x'.repeat(1001) };
    expect(measureFieldOf('report.measure_updates[1].note', measures, values)).toBe(noteKey('m3'));
    expect(measureFieldOf('report.measureUpdates[1].note', measures, values)).toBe(noteKey('m3'));
    expect(measureFieldOf('report.measure_updates[0].measure_id', measures, values)).toBe(doneKey('m1'));
    expect(measureFieldOf('report.measure_updates[5].note', measures, values)).toBeUndefined();
    expect(measureFieldOf('report.measure_updates', measures, values)).toBeUndefined();
    expect(measureFieldOf('report.narrative', measures, values)).toBeUndefined();
  });
});
