// Server-sent events over fetch: EventSource cannot send an Authorization header, so the feed
// (GET /v1/events) is read as a stream and parsed here. It starts from now (the past is not
// replayed: the page has just read what it shows) and reconnects after the server's `retry` hint
// (or 3 s), sending the last id seen as Last-Event-ID, so nothing is missed or repeated.
export interface FeedEvent {
  id: string;
  type: string;
  data: string;
}

// Parses the text/event-stream format incrementally: feed it chunks, get whole events back.
export class EventStreamParser {
  private buffer = '';
  private id = '';
  private type = '';
  private data: string[] = [];
  retryMs = 3000;
  lastId = '';

  push(chunk: string): FeedEvent[] {
    this.buffer += chunk;
    const events: FeedEvent[] = [];
    let newline: number;
    while ((newline = this.buffer.search(/\r\n|\r|\n/)) >= 0) {
      const line = this.buffer.slice(0, newline);
      const skip = this.buffer.startsWith('\r\n', newline) ? 2 : 1;
      this.buffer = this.buffer.slice(newline + skip);
      if (line === '') {
        // An id alone moves the last id without an event (where a feed from now starts).
        if (this.id) this.lastId = this.id;
        if (this.data.length > 0) {
          events.push({ id: this.lastId, type: this.type || 'message', data: this.data.join('\n') });
        }
        this.type = '';
        this.data = [];
        continue;
      }
      if (line.startsWith(':')) continue; // a comment: the heartbeat
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'data') this.data.push(value);
      else if (field === 'event') this.type = value;
      else if (field === 'id' && !value.includes('\0')) this.id = value;
      else if (field === 'retry' && /^\d+$/.test(value)) this.retryMs = Number(value);
    }
    return events;
  }
}

export interface Feed {
  close(): void;
}

// `onState(true, fresh)`: connected; `fresh` when the feed started from now rather than resumed
// from the last id, so what changed before it opened is not in it: the page reads again.
export function openFeed(
  path: string,
  headers: () => Record<string, string>,
  onEvent: (e: FeedEvent) => void,
  onState: (connected: boolean, fresh: boolean) => void = () => {},
): Feed {
  let closed = false;
  let controller: AbortController | null = null;
  const parser = new EventStreamParser();
  const run = async () => {
    while (!closed) {
      controller = new AbortController();
      try {
        const h: Record<string, string> = { Accept: 'text/event-stream', ...headers() };
        const fresh = !parser.lastId;
        if (!fresh) h['Last-Event-ID'] = parser.lastId;
        const url = fresh ? `${path}${path.includes('?') ? '&' : '?'}from=now` : path;
        const response = await fetch(url, { headers: h, signal: controller.signal });
        if (response.ok && response.body) {
          onState(true, fresh);
          const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            for (const e of parser.push(value)) onEvent(e);
          }
        }
      } catch {
        // the connection failed or was closed: tried again below unless closed
      }
      onState(false, false);
      if (!closed) await new Promise((r) => setTimeout(r, parser.retryMs));
    }
  };
  void run();
  return {
    close() {
      closed = true;
      controller?.abort();
    },
  };
}
