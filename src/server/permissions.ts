// Who may do what, in one place. Built-in roles grant actions; every other role is one a plan names for
// its approvals (release-manager, security-lead…): it lets its holder read and approve, and the approval
// step still checks that the role is one it needs, that the approver is not the requester, and counts
// each person once. A user without any role can do nothing.

export const ACTIONS = ['read', 'deploy', 'operate', 'rollback', 'check', 'approve', 'admin'] as const;
export type Action = (typeof ACTIONS)[number];

export const ACTION_MEANING: Record<Action, string> = {
  read: 'see deployments, events, services, metrics and the audit status',
  deploy: 'start deployments',
  operate: 'pause, resume, promote, abort, retry and skip deployments',
  rollback: 'roll a service back',
  check: 'check checklist items',
  approve: 'approve deployments, for the plan roles they hold',
  admin: 'manage users and tokens',
};

export const BUILTIN_ROLES = {
  admin: ACTIONS,
  deployer: ['read', 'deploy', 'operate', 'rollback', 'check'],
  viewer: ['read'],
} as const satisfies Record<string, readonly Action[]>;

export type BuiltinRole = keyof typeof BUILTIN_ROLES;

/** Actions granted by a role a plan names for approvals (any role that is not built in). */
const PLAN_ROLE_ACTIONS: readonly Action[] = ['read', 'approve'];

export function isBuiltinRole(role: string): role is BuiltinRole {
  return Object.hasOwn(BUILTIN_ROLES, role);
}

export function actionsOf(roles: readonly string[]): Action[] {
  const granted = new Set<Action>();
  for (const role of roles) {
    for (const action of isBuiltinRole(role) ? BUILTIN_ROLES[role] : PLAN_ROLE_ACTIONS) granted.add(action);
  }
  return ACTIONS.filter((action) => granted.has(action));
}

export function may(roles: readonly string[], action: Action): boolean {
  return actionsOf(roles).includes(action);
}
