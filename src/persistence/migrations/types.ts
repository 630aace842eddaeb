// A migration: a numbered, named SQL script applied once in its own transaction.

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}
