// The `ib` section of pi5.config.yaml: where TWS / IB Gateway listens, the API client id and the account
// (docs/brokers-ib.md). Present: the node connects at start and a wrong host, port or client id stops the start.

import { z } from 'zod';

export const ibSettingsSchema = z.strictObject({
  host: z.string().min(1).default('127.0.0.1'),
  /** TWS 7497 (paper) / 7496 (live); IB Gateway 4002 (paper) / 4001 (live). */
  port: z.number().int().min(1).max(65535),
  /** One connection per client id at a time; orders belong to the client id that placed them. */
  clientId: z.number().int().min(0).max(2_147_483_647),
  /** The account orders go to: DU… for paper, U… for live. */
  account: z.string().regex(/^[A-Za-z0-9]{2,20}$/, { message: 'expected an IB account id such as DU1234567' }),
  /** Stay under IB's 50 messages a second. */
  maxMessagesPerSecond: z.number().int().min(1).max(50).default(45),
  connectTimeoutMs: z.number().int().min(100).max(120_000).default(10_000),
  /** How often the node times a round trip to TWS for the broker health monitor. */
  probeIntervalMs: z.number().int().min(100).max(3_600_000).default(15_000),
});

export type IbSettings = z.output<typeof ibSettingsSchema>;
