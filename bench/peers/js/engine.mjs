// js/engine.mjs - the policy of bench/scenario/policy.lat as a plain hand-written JavaScript check:
// rules per role in object literals, the user's records in arrays, a parent walk for the scope.

// Relations as bits, and the reach of each rule kind (docs/language.md).
const SAME = 1, DESCENDANT = 2, ANCESTOR = 4, OTHER_NODE = 8;
const SELF = SAME, SUBTREE = SAME | DESCENDANT, TENANT = SAME | DESCENDANT | ANCESTOR | OTHER_NODE;

const ACTIONS = {
  station: ['view', 'reset', 'charge', 'unlock_connector', 'set_max_current', 'update_firmware',
    'logs'],
  card: ['view', 'activate', 'block', 'transactions'],
  account: ['view_overview', 'billing_info', 'download_invoices', 'reimburse_drivers'],
  customer: ['invite_drivers', 'block', 'edit_roles'],
};

/// 'station.*' -> every station permission; '*' -> every permission; else the name itself.
function permissions(patterns) {
  const out = new Set();
  for (const pattern of patterns) {
    const [type, action] = pattern.split('.');
    for (const [t, actions] of Object.entries(ACTIONS)) {
      if (pattern === '*' || (t === type && action === '*'))
        actions.forEach((a) => out.add(`${t}.${a}`));
    }
    if (action !== '*' && pattern !== '*') out.add(pattern);
  }
  return out;
}

const ruleOf = (deny) => (patterns, reach, when = null) =>
  ({ deny, perms: permissions(patterns), reach, when });
const allow = ruleOf(false);
const deny = ruleOf(true);
const business = (node) => node.business;
const notBusiness = (node) => !node.business;

const RULES = {
  tenant_admin: [allow(['*'], TENANT)],
  customer_support: [
    allow(['card.*', 'station.view', 'station.reset', 'station.charge',
      'station.unlock_connector', 'account.view_overview', 'account.billing_info',
      'customer.invite_drivers', 'customer.block'], TENANT),
  ],
  technical_support: [
    allow(['station.*', 'account.view_overview'], TENANT),
    deny(['account.billing_info', 'account.download_invoices', 'account.reimburse_drivers'],
      TENANT),
  ],
  account_owner: [
    allow(['station.*', 'card.*', 'customer.*', 'account.view_overview', 'account.billing_info',
      'account.download_invoices'], SUBTREE),
    allow(['account.reimburse_drivers'], SUBTREE, business),
  ],
  subaccount_owner: [
    allow(['station.*', 'card.*', 'customer.invite_drivers', 'customer.block',
      'account.view_overview', 'account.billing_info', 'account.download_invoices'], SUBTREE),
  ],
  account_admin: [
    allow(['station.view', 'station.reset', 'station.charge', 'station.unlock_connector',
      'station.logs', 'card.*', 'account.view_overview', 'account.billing_info',
      'customer.block'], SUBTREE),
    allow(['customer.invite_drivers'], SUBTREE, business),
  ],
  station_admin: [
    allow(['station.*'], SUBTREE),
    deny(['station.update_firmware'], SUBTREE, notBusiness),
  ],
  auditor: [
    allow(['station.view', 'station.logs', 'card.view', 'card.transactions',
      'account.view_overview', 'account.billing_info', 'account.download_invoices'], SUBTREE),
  ],
  driver: [
    allow(['station.view', 'station.charge', 'station.unlock_connector', 'card.view',
      'card.transactions', 'account.view_overview'], SELF),
  ],
};

export async function loadPolicy() {
  return RULES;
}

/// js-names: the requests as a service receives them, the user and the resource by name ("u12",
/// "r345", the names lattice_driver --names gives them), converted before the timing.
export function requestsFor(requests, { variant }) {
  if (variant !== 'names') return requests;
  return requests.map(({ user, permission, resource }) =>
    ({ user: `u${user}`, permission, resource: `r${resource}` }));
}

export async function loadEntities(rules, { nodes, users, resources }, { variant } = {}) {
  for (const user of users) user.rules = user.roles.map((role) => rules[role] ?? []);

  function below(node, ancestor) {
    for (let n = node; n >= 0; n = nodes[n].parent) if (n === ancestor) return true;
    return false;
  }
  function relation(principal, owner) {
    if (nodes[principal].tenant !== nodes[owner].tenant) return 0;
    if (principal === owner) return SAME;
    if (below(owner, principal)) return DESCENDANT;
    if (below(principal, owner)) return ANCESTOR;
    return OTHER_NODE;
  }

  function decide({ user: userId, permission, resource }) {
    const user = users[userId];
    if (user.blocked) return false;
    if (user.roles.includes('auditor') && user.roles.includes('account_admin')) return false;
    const rel = relation(user.node, resources[resource].owner);
    if (rel === 0) return false;
    const node = nodes[user.node];
    let allowed = false;
    for (const roleRules of user.rules) {
      for (const rule of roleRules) {
        if (!(rule.reach & rel) || !rule.perms.has(permission)) continue;
        if (rule.when && !rule.when(node)) continue;
        if (rule.deny) return false;
        allowed = true;
      }
    }
    return allowed;
  }
  if (variant !== 'names') return decide;

  // The whole request of a service that receives names, as lattice-names does it: the user's
  // and the resource's records through the host's name indexes (Maps built at load), then the
  // same check. An unknown name denies.
  const userIndex = new Map(users.map((_, i) => [`u${i}`, i]));
  const resourceIndex = new Map(resources.map((_, i) => [`r${i}`, i]));
  return function decideByName({ user, permission, resource }) {
    const u = userIndex.get(user), r = resourceIndex.get(resource);
    if (u === undefined || r === undefined) return false;
    return decide({ user: u, permission, resource: r });
  };
}
