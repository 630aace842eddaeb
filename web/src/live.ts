// The WebSocket client: authenticates with the `bearer` subprotocol, subscribes to channels, dispatches events
// to listeners by channel, and reconnects (1 s doubling to 15 s) with a fresh token after a drop.

export interface LiveEvent {
  readonly channel: string;
  readonly ts: number;
  readonly data: unknown;
}

type Listener = (e: LiveEvent) => void;

export class LiveFeed {
  private socket: WebSocket | null = null;
  private listeners = new Map<string, Set<Listener>>();
  private delay = 1000;
  private closed = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** 'connecting' | 'open' | 'closed', for the header's indicator. */
  state: 'connecting' | 'open' | 'closed' = 'closed';
  onState: ((s: LiveFeed['state']) => void) | null = null;

  constructor(private readonly token: () => string | null, private readonly refresh: () => Promise<boolean>) {}

  start(): void {
    this.closed = false;
    this.connect();
  }

  stop(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.socket?.close();
    this.socket = null;
    this.setState('closed');
  }

  /** Listens to a channel; returns the unsubscribe function. */
  on(channel: string, fn: Listener): () => void {
    let set = this.listeners.get(channel);
    if (!set) {
      set = new Set();
      this.listeners.set(channel, set);
      this.send({ type: 'subscribe', channels: [channel] });
    }
    set.add(fn);
    return () => {
      set.delete(fn);
    };
  }

  private setState(s: LiveFeed['state']): void {
    this.state = s;
    this.onState?.(s);
  }

  private send(m: unknown): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(m));
  }

  private connect(): void {
    const token = this.token();
    if (!token || this.closed) return;
    this.setState('connecting');
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
    const ws = new WebSocket(url, ['bearer', token]);
    this.socket = ws;
    ws.onmessage = (ev) => this.handle(String(ev.data));
    ws.onclose = (ev) => {
      if (this.socket !== ws) return;
      this.socket = null;
      this.setState('closed');
      if (this.closed) return;
      // 4401: the token was refused (expired): refresh it before trying again.
      const again = (): void => {
        this.timer = setTimeout(() => this.connect(), this.delay);
        this.delay = Math.min(this.delay * 2, 15_000);
      };
      if (ev.code === 4401) void this.refresh().then(again);
      else again();
    };
  }

  private handle(raw: string): void {
    let m: { type?: string; channel?: string; ts?: number; data?: unknown };
    try {
      m = JSON.parse(raw) as typeof m;
    } catch {
      return;
    }
    if (m.type === 'welcome') {
      this.delay = 1000;
      this.setState('open');
      const channels = [...this.listeners.keys()];
      if (channels.length > 0) this.send({ type: 'subscribe', channels });
      return;
    }
    if (m.type !== 'event' || typeof m.channel !== 'string') return;
    const e: LiveEvent = { channel: m.channel, ts: m.ts ?? Date.now(), data: m.data };
    for (const fn of this.listeners.get(m.channel) ?? []) fn(e);
  }
}
