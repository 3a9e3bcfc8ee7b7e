// index.d.ts - TypeScript declarations of the Lattice runtime for Node.js (index.js).

/** One id of a node path: a non-negative safe integer, a bigint below 2^63, or a string. A string
 * never equals a number: "7" and 7 are different nodes. */
export type NodeId = number | bigint | string;

/** A node as its ancestor path: the ids from its tree's root down to the node itself. */
export type NodePath = readonly NodeId[];

/** Roles held at one node, with that node's flags (flags declared on scope kinds). */
export interface Membership {
  node: NodePath;
  roles: readonly string[];
  nodeFlags?: readonly string[];
}

/** A principal by name: its kind (user type), its own flags and its memberships. */
export interface PrincipalSpec {
  kind: string;
  flags?: readonly string[];
  /** Role names are the table's roles and, with a set, its custom roles. */
  memberships: readonly Membership[];
  /** Custom roles named in memberships; a set built on another table is refused. */
  customRoles?: CustomRoles | null;
}

export interface Request extends PrincipalSpec {
  permission: string;
  /** The resource's own node if its kind is a scope, else its owner node. */
  target: NodePath;
  /** The request's facts by name: `resource.x`, `target.x`, `request.x`. */
  facts?: readonly string[];
}

export type Reason =
  | 'allowed' | 'denied_by_rule' | 'no_allow' | 'bad_request' | 'other_tree'
  | 'role_not_for_kind' | 'exclusive' | 'not_applicable' | 'requirement' | 'no_table'
  | 'denied_by_policy';

export type Relation = 'self' | 'descendants' | 'ancestors' | 'elsewhere' | 'none';

export interface Decision {
  allowed: boolean;
  reason: Reason;
  /** The role that allowed or denied, or null. */
  decidingRole: string | null;
  /** Index of the membership the deciding role was held through, or null. */
  decidingMembership: number | null;
}

/** A loaded, immutable decision table. Names are resolved against this table only. */
export class Table {
  private constructor();
  /** Reads and validates a table file; throws LoadError. */
  static loadFile(path: string, options?: { maxBytes?: number }): Table;
  /** Validates a copy of table bytes; throws LoadError. */
  static fromBuffer(data: Uint8Array | ArrayBuffer): Table;
  readonly policyName: string;
  /** The vocabulary fingerprint: equal in two tables iff every name has the same id in both. */
  readonly fingerprint: bigint;
  /** What `lattice build --revision` recorded ('' when nothing was given). */
  readonly revision: string;
  /** Names in id order. */
  readonly kinds: string[];
  readonly roles: string[];
  readonly permissions: string[];
  readonly flags: string[];
  /** Decides one request; throws UnknownNameError for a name the table lacks. */
  decide(request: Request): Decision;
  /** A principal resolved once against this table, to decide many requests. */
  principal(spec: PrincipalSpec): Principal;
  /** Decides for roles held at one node, given the target's relation to it (default self). */
  decideAt(request: {
    kind: string; roles: readonly string[]; permission: string; relation?: Relation;
    flags?: readonly string[];
  }): Decision;
  /** Whether a principal holding `roles` may assign the role `target`; with `flags` (the
   * assigner's own and its node's) a conditional `assigns` counts when they satisfy it. */
  canAssign(roles: readonly string[], target: string, flags?: readonly string[]): boolean;
  /** Who can be allowed `permission` at `relation` (default self) with exactly `flags` set (any
   * side: the principal's, its node's, facts): the roles a principal holding one of them alone is
   * allowed it through, the custom-role ceilings whose widest role is, and their user types, each
   * in id order. Throws UnknownNameError for a name the table lacks, RangeError for a bad
   * relation. */
  whoCan(question: { permission: string; relation?: Relation; flags?: readonly string[] }): WhoCan;
  /** Custom role ceilings, in id order. */
  readonly ceilings: string[];
  /** The user types whose principals may hold roles of a ceiling. */
  ceilingKinds(ceiling: string): string[];
  /** The relations a role of the ceiling may reach with a permission ([] if none). */
  ceilingReach(ceiling: string, permission: string): Relation[];
  /** Whether a principal holding `roles` may create (and give) custom roles of `ceiling`. */
  canCreate(roles: readonly string[], ceiling: string): boolean;
}

/** Table.whoCan's answer. */
export interface WhoCan {
  roles: string[];
  ceilings: string[];
  userTypes: string[];
}

/** A reach of a custom role's permission: a relation word, `subtree` (self and descendants),
 * `tenant` (the whole tree), or several of them. */
export type ReachWord = 'self' | 'descendants' | 'ancestors' | 'elsewhere' | 'subtree' | 'tenant';
export type Reach = ReachWord | readonly ReachWord[];

/** Custom roles built at run time within one table's ceilings; keeps the table alive. */
export class CustomRoles {
  constructor(table: Table);
  readonly table: Table;
  readonly names: string[];
  readonly size: number;
  has(name: string): boolean;
  /** Builds role `name` of `ceiling`, all or nothing; throws CustomRoleError naming the
   * runtime's status and the offending permission. Returns the name, usable in memberships. */
  add(name: string, ceiling: string,
      permissions: Readonly<Record<string, Reach>> | readonly (readonly [string, Reach])[]): string;
  ceilingOf(name: string): string;
  reach(name: string, permission: string): Relation[];
}

/** A principal of one table; it keeps that table alive and decides only against it. */
export class Principal {
  private constructor();
  readonly table: Table;
  /** The custom role set it was built with (kept alive), or null. */
  readonly customRoles: CustomRoles | null;
  /** With the request's facts by name: `resource.x`, `target.x`, `request.x`. */
  decide(permission: string, target: NodePath, facts?: readonly string[]): Decision;
  /** Every permission allowed on `target` (exactly those `decide` allows), in declaration order. */
  whatCan(target: NodePath, facts?: readonly string[]): string[];
  /** The target nodes it may act on with `permission` (docs/filter-list-endpoint.md). */
  listFilterTerms(permission: string, facts?: readonly string[]): FilterTerm[];
  /** The same as a WHERE predicate over the key column, with its parameters as bytes. */
  listFilterSql(permission: string, options: {
    dialect: 'postgres' | 'sqlite';
    column?: string;
    facts?: readonly string[];
    firstParam?: number;
  }): { sql: string; params: Uint8Array[] };
}

/** A term of a list filter: exactly `node`, its subtree, or everything strictly below it, minus
 * the subtrees of `exclusions`. */
export interface FilterTerm {
  kind: 'node' | 'subtree' | 'below';
  node: Array<number | bigint>;
  exclusions: Array<Array<number | bigint>>;
}

/** The relation of the target node to a node, both as paths (another tree: 'none'). */
export function relation(node: NodePath, target: NodePath): Relation;

export class LatticeError extends Error {}
export class LoadError extends LatticeError {
  readonly status: string;
}
export class CustomRoleError extends LatticeError {
  readonly status: 'bad_argument' | 'unknown_ceiling' | 'unknown_permission' | 'bad_reach'
    | 'not_for_kinds' | 'outside_ceiling' | 'reach_beyond_ceiling' | 'too_many' | 'out_of_memory';
  readonly role: string | null;
  readonly ceiling: string;
  readonly permission: string | null;
}
export class UnknownNameError extends LatticeError {
  readonly category: 'kind' | 'role' | 'permission' | 'flag';
  readonly unknownName: string;
}
