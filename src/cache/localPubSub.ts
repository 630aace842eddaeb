// Process-local pub/sub registry: MemoryCache's whole pub/sub, and RedisCache's dispatch of received messages
// (and its local-only delivery while Redis is down).

import type { Logger } from '../core/log.js';
import type { MessageHandler } from './types.js';

export class LocalPubSub {
  private readonly handlers = new Map<string, Set<MessageHandler>>();

  constructor(private readonly log: Logger) {}

  /** Adds handler; returns true when it is the channel's first handler. */
  add(channel: string, handler: MessageHandler): boolean {
    let set = this.handlers.get(channel);
    const first = !set;
    if (!set) {
      set = new Set();
      this.handlers.set(channel, set);
    }
    set.add(handler);
    return first;
  }

  /** Removes handler; returns true when the channel has no handlers left. */
  remove(channel: string, handler: MessageHandler): boolean {
    const set = this.handlers.get(channel);
    if (!set || !set.delete(handler)) return false;
    if (set.size > 0) return false;
    this.handlers.delete(channel);
    return true;
  }

  channels(): string[] {
    return [...this.handlers.keys()];
  }

  has(channel: string): boolean {
    return this.handlers.has(channel);
  }

  /** Calls every handler of channel; a handler that throws is logged and does not stop the others. */
  deliver(channel: string, message: string): void {
    const set = this.handlers.get(channel);
    if (!set) return;
    for (const handler of [...set]) {
      try {
        handler(message, channel);
      } catch (e) {
        this.log.error('cache subscriber threw', { channel, error: (e as Error).message });
      }
    }
  }

  clear(): void {
    this.handlers.clear();
  }
}
