// Repositories over the Database/Queryable interface: users, refresh tokens, audit log, paper sessions, corporate actions.

export { UserRepository, USER_ROLES, type User, type UserRole, type NewUser } from './users.js';
export { RefreshTokenRepository, type RefreshTokenRecord } from './refreshTokens.js';
export { AuditRepository, type AuditEntry, type AuditInput, type AuditOutcome, type AuditPage, type AuditQuery } from './audit.js';
export { TradingSessionRepository } from './tradingSessions.js';
export { CorporateActionRepository, withinSameTransaction, type StoredCorporateAction } from './corporateActions.js';
