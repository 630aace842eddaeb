// Public surface of the security core, for the API server and the CLI (docs/security.md).

export { AuthService, DEFAULT_REFRESH_TTL_SEC, hashRefreshToken, type AuthServiceOptions } from './service.js';
export { UserAdmin, checkUsername, checkRole, type CreatedUser, type UserRef } from './userAdmin.js';
export { bootstrapAdmin, bootstrapNotice, BOOTSTRAP_ADMIN, type BootstrapResult } from './bootstrap.js';
export { loadJwtSecret, JWT_SECRET_FILE, type JwtSecret } from './secret.js';
export { signAccessToken, verifyAccessToken, DEFAULT_ACCESS_TTL_SEC, DEFAULT_CLOCK_SKEW_SEC, type AccessClaims, type JwtFailure } from './jwt.js';
export { hashPassword, verifyPassword, needsRehash, checkPasswordPolicy, generatePassword, DEFAULT_SCRYPT, PASSWORD_MIN_LENGTH, type ScryptParams } from './password.js';
export { hasRole, requireRole, isRole, ROLES, type Role } from './roles.js';
export { publicUser, type AccessIdentity, type AuditContext, type PublicUser, type TokenPair } from './types.js';
