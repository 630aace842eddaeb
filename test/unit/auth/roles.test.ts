// Role order viewer < trader < admin, and the 403 error.

import { describe, expect, it } from 'vitest';
import { hasRole, isRole, requireRole } from '../../../src/auth/roles.js';

describe('roles', () => {
  it('orders viewer < trader < admin', () => {
    expect(hasRole('admin', 'trader')).toBe(true);
    expect(hasRole('trader', 'trader')).toBe(true);
    expect(hasRole('trader', 'viewer')).toBe(true);
    expect(hasRole('viewer', 'trader')).toBe(false);
    expect(hasRole('trader', 'admin')).toBe(false);
  });

  it('knows only the three roles', () => {
    expect(['viewer', 'trader', 'admin', 'root', 'Admin', 1].map(isRole)).toEqual([true, true, true, false, false, false]);
  });

  it('requireRole throws PI5_ERR_FORBIDDEN naming both roles', () => {
    expect(() => requireRole('viewer', 'trader', 'submitting orders')).toThrow(
      expect.objectContaining({ code: 'PI5_ERR_FORBIDDEN', message: 'submitting orders needs role trader or above; this user is viewer' }),
    );
    expect(() => requireRole('admin', 'trader')).not.toThrow();
  });
});
