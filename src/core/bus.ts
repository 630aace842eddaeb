// Typed, synchronous, in-process message bus. Handlers of one event type run in registration order;
// no promises and no allocation per publish, so the backtest hot path stays fast and deterministic.

export type Handler<T> = (event: T) => void;

/** Handlers of one type. Replaced (copy on write) on every change, so a publish in progress keeps its snapshot. */
interface Slot {
  handlers: Handler<never>[];
}

export class MessageBus<EventMap extends object> {
  private readonly slots = new Map<keyof EventMap, Slot>();

  private slot(type: keyof EventMap): Slot {
    let s = this.slots.get(type);
    if (!s) {
      s = { handlers: [] };
      this.slots.set(type, s);
    }
    return s;
  }

  subscribe<K extends keyof EventMap>(type: K, handler: Handler<EventMap[K]>): () => void {
    const s = this.slot(type);
    s.handlers = [...s.handlers, handler as Handler<never>];
    let subscribed = true;
    return () => {
      // Removes this registration only (a handler subscribed twice keeps its other one), and only once.
      if (!subscribed) return;
      subscribed = false;
      const i = s.handlers.lastIndexOf(handler as Handler<never>);
      if (i >= 0) s.handlers = [...s.handlers.slice(0, i), ...s.handlers.slice(i + 1)];
    };
  }

  /** A publisher bound to one event type: skips the type lookup on every event (the hot-path way to emit). */
  publisher<K extends keyof EventMap>(type: K): (event: EventMap[K]) => void {
    const s = this.slot(type);
    return (event) => {
      const list = s.handlers as Handler<EventMap[K]>[];
      for (let i = 0; i < list.length; i++) (list[i] as Handler<EventMap[K]>)(event);
    };
  }

  publish<K extends keyof EventMap>(type: K, event: EventMap[K]): void {
    const s = this.slots.get(type);
    if (s === undefined) return;
    const list = s.handlers as Handler<EventMap[K]>[];
    for (let i = 0; i < list.length; i++) (list[i] as Handler<EventMap[K]>)(event);
  }

  hasSubscribers(type: keyof EventMap): boolean {
    const s = this.slots.get(type);
    return s !== undefined && s.handlers.length > 0;
  }
}
