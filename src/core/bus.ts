// Typed, synchronous, in-process message bus. Handlers of one event type run in registration order;
// no promises and no allocation per publish, so the backtest hot path stays fast and deterministic.

export type Handler<T> = (event: T) => void;

export class MessageBus<EventMap extends object> {
  private readonly handlers = new Map<keyof EventMap, Handler<never>[]>();

  subscribe<K extends keyof EventMap>(type: K, handler: Handler<EventMap[K]>): () => void {
    let list = this.handlers.get(type);
    if (!list) {
      list = [];
      this.handlers.set(type, list);
    }
    list.push(handler as Handler<never>);
    return () => {
      const current = this.handlers.get(type);
      if (!current) return;
      // Copy on unsubscribe so a publish in progress keeps its snapshot.
      this.handlers.set(
        type,
        current.filter((h) => h !== handler),
      );
    };
  }

  /** Returns a publisher bound to one event type: the fastest way to emit the same type repeatedly. */
  publisher<K extends keyof EventMap>(type: K): (event: EventMap[K]) => void {
    return (event) => this.publish(type, event);
  }

  publish<K extends keyof EventMap>(type: K, event: EventMap[K]): void {
    const list = this.handlers.get(type) as Handler<EventMap[K]>[] | undefined;
    if (list === undefined) return;
    for (let i = 0; i < list.length; i++) (list[i] as Handler<EventMap[K]>)(event);
  }

  hasSubscribers(type: keyof EventMap): boolean {
    const list = this.handlers.get(type);
    return list !== undefined && list.length > 0;
  }
}
