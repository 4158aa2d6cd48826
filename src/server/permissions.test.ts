import { describe, expect, it } from 'vitest';
import { actionsOf, may } from './permissions.js';

describe('permissions', () => {
  it('lets a user without roles do nothing, not even read', () => {
    expect(actionsOf([])).toEqual([]);
    expect(may([], 'read')).toBe(false);
  });

  it('lets a viewer only read and a deployer act on deployments without approving', () => {
    expect(actionsOf(['viewer'])).toEqual(['read']);
    expect(actionsOf(['deployer'])).toEqual(['read', 'deploy', 'operate', 'rollback', 'check']);
    expect(may(['deployer'], 'approve')).toBe(false);
  });

  it('treats a role named by a plan as one that may read and approve', () => {
    expect(actionsOf(['release-manager'])).toEqual(['read', 'approve']);
    expect(actionsOf(['deployer', 'security-lead'])).toContain('approve');
  });

  it('gives an admin every action, including managing users and tokens', () => {
    expect(may(['admin'], 'admin')).toBe(true);
    expect(may(['deployer', 'release-manager'], 'admin')).toBe(false);
  });
});
