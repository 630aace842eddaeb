// Kernel bus events become session events (API, WebSocket) only once the session is live: recovery re-runs
// stay silent, or every client would see the session's whole past again.

import type { MessageBus } from '../../core/bus.js';
import type { Kernel } from '../kernel.js';
import type { TradingSessionEvents } from './sessionEvents.js';
import type { SessionLedger } from './sessionLedger.js';

export function forwardSessionEvents(kernel: Kernel, ledger: SessionLedger, events: MessageBus<TradingSessionEvents>, isLive: () => boolean): void {
  const bus = kernel.bus;
  bus.subscribe('orderUpdated', (o) => {
    if (isLive()) events.publish('order', o);
  });
  bus.subscribe('orderFilled', (f) => {
    if (isLive()) events.publish('fill', f);
  });
  bus.subscribe('bar', (b) => {
    if (isLive()) events.publish('bar', b);
  });
  bus.subscribe('riskSnapshot', (r) => {
    if (isLive()) events.publish('risk', r);
  });
  bus.subscribe('riskDenied', (d) => {
    if (isLive()) events.publish('denial', d);
  });
  bus.subscribe('riskStateChanged', (r) => {
    if (isLive()) events.publish('killSwitch', r);
  });
  ledger.onStep((p) => {
    if (isLive()) events.publish('portfolio', p);
  });
}
