// How a refusal the form cannot place beside a field is said: the reason's explanation when the
// portal knows it, with the service's message; else the HTTP status and the message.
import { useI18n } from 'vue-i18n';
import type { ApiError } from './api/client';

export function useRefusal(): (e: ApiError) => string {
  const { t, te } = useI18n();
  return (e) => {
    const known = `reasons.${e.reason}`;
    return e.reason && te(known) ? `${t(known)}（${e.message}）` : `${e.status}: ${e.message}`;
  };
}
