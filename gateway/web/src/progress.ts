// A progress report's measure updates (ProgressReport.measure_updates): the form holds, per measure
// of the issue, whether it is done and a note; the report carries only the measures whose state
// changed or that have a note (an unchanged measure sent again would move its done date), and a
// violation the service names by the update's index is shown beside that measure's field.
import type { Measure, MeasureUpdate } from './api/client';

export const doneKey = (measureId: string) => `measures.${measureId}.done`;
export const noteKey = (measureId: string) => `measures.${measureId}.note`;

// The form's starting values: each measure as the issue has it.
export function initialMeasureValues(measures: Measure[] = []): Record<string, string> {
  const values: Record<string, string> = {};
  for (const m of measures) {
    if (!m.id) continue;
    values[doneKey(m.id)] = m.done ? 'true' : 'false';
    values[noteKey(m.id)] = '';
  }
  return values;
}

export function measureUpdates(measures: Measure[] = [], values: Record<string, string>): MeasureUpdate[] {
  const updates: MeasureUpdate[] = [];
  for (const m of measures) {
    if (!m.id) continue;
    const done = values[doneKey(m.id)] === undefined ? !!m.done : values[doneKey(m.id)] === 'true';
    const note = (values[noteKey(m.id)] ?? '').trim();
    if (done !== !!m.done || note) updates.push({ measureId: m.id, done, note: note || undefined });
  }
  return updates;
}

// The form key for a violation of `report.measure_updates[i].…` (or its lowerCamelCase twin):
// the note's field for the note, else the measure's done field.
export function measureFieldOf(
  field: string,
  measures: Measure[] = [],
  values: Record<string, string>,
): string | undefined {
  const match = /^(?:report\.)?measure_?[uU]pdates\[(\d+)\](?:\.(\w+))?$/.exec(field);
  if (!match) return undefined;
  const update = measureUpdates(measures, values)[Number(match[1])];
  if (!update?.measureId) return undefined;
  return match[2] === 'note' ? noteKey(update.measureId) : doneKey(update.measureId);
}
