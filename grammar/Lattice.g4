// Lattice.g4 - the syntax of Lattice policy files (.lat).
// Syntax only: names are resolved and checked in compiler/sema, never in actions here.
grammar Lattice;

file : header? importDecl* decl* EOF ;

header : kind=(POLICY | MODULE) qualifiedName ';' ;

importDecl : IMPORT qualifiedName ';' ;

qualifiedName : ident ('.' ident)* ;

decl
  : scopeDecl
  | resourceDecl
  | actionSetDecl
  | userTypeDecl
  | flagDecl
  | roleDecl
  | exclusiveDecl
  | requireDecl
  | policyRuleDecl
  | testDecl
  ;

// scope account "Customer account" under tenant;
scopeDecl : SCOPE ident label? (UNDER identList)? ';' ;

// resource station "Stations" owned_by account, subaccount { view, reset; group remote { ... } include crud; }
// resource repository owned_by organization as scope { ... }   (each instance is also a node)
resourceDecl : RESOURCE ident label? (OWNED_BY identList)? (AS SCOPE)? '{' resourceItem* '}' ;
resourceItem : actionDecl | groupDecl | includeDecl ;
actionDecl : actionItem (',' actionItem)* (FOR identList)? ';' ;
actionItem : ident label? ;
groupDecl : GROUP ident label? '{' actionDecl* '}' ;
includeDecl : INCLUDE ident ';' ;

// actions crud { create, read, update, delete; }  (a reusable action set, see `include`)
actionSetDecl : ACTIONS ident '{' actionDecl* '}' ;

// usertype account_user at account, subaccount;
userTypeDecl : USERTYPE ident label? AT identList ';' ;

// flag business on account;  flag active on account_user;   (principal and node flags)
// flag archived on resource document, folder;               (a fact of the resource)
// flag mfa_used on request;                                 (a fact of the request)
flagDecl : FLAG names=identList ON flagTargets ';' ;
flagTargets : RESOURCE resources=identList | REQUEST | targets=identList ;

// locked role user "User" for partner_user extends viewer { allow ...; assigns ...; }
// custom role api_key_role for api_key { allow station.* in subtree; created_by account_admin; }
//   (a ceiling: what tenants' custom roles may hold at most, and who creates them; sema checks
//   which modifiers and items each form takes)
roleDecl : roleModifier* ROLE ident label? FOR kinds=identList (EXTENDS parents=identList)? '{' roleItem* '}' ;
roleModifier : DEPRECATED STRING? | LOCKED | CUSTOM ;
roleItem : ruleDecl | assignsDecl | createdByDecl ;
// created_by account_admin, tenant_admin;   (in a custom role: who may create and assign one)
createdByDecl : CREATED_BY identList ';' ;
// allow station.* in subtree when business for partner_user;   (`for`: only principals of those
// user types; the rule applies to every user type of the role without it)
ruleDecl
  : effect=(ALLOW | DENY) patterns=permissionList (EXCEPT excluded=permissionList)?
    (IN relation=ident)? (WHEN condition)? (FOR kinds=identList)? ';'
  ;
// assigns driver, viewer when business;   (the condition reads the assigner's flags)
assignsDecl : ASSIGNS identList (WHEN condition)? ';' ;

permissionList : permissionPattern (',' permissionPattern)* ;
permissionPattern
  : '*'                            # anyPermission
  | ident '.' '*'                  # anyAction
  | ident '.' '{' identList '}'    # actionSet
  | ident '.' ident                # singleAction
  ;

condition
  : NOT condition                  # notCondition
  | condition AND condition        # andCondition
  | condition OR condition         # orCondition
  | '(' condition ')'              # parenCondition
  | flagRef                        # flagCondition
  ;
// `business`, or a fact with its side: `resource.archived`, `request.mfa_used`, `target.business`
flagRef : ident ('.' ident)? ;
flagList : flagRef (',' flagRef)* ;

// deny billing.* in tenant when suspended;   (at the top level: a policy-wide deny, whatever role
// granted the access; sema refuses a top-level `allow`)
policyRuleDecl : ruleDecl ;

// exclusive support_agent, tenant_admin;
exclusiveDecl : EXCLUSIVE identList ';' ;

// require active;  require verified for account_user;
requireDecl : REQUIRE condition (FOR kinds=identList)? ';' ;

// test "drivers cannot flash firmware" { deny driver as account_user: station.update_firmware on same; }
testDecl : TEST STRING '{' testItem* '}' ;
testItem : testCase | testNode | testPrincipal | testCustomRole ;
// A tree of named nodes and principals with memberships on them, for cases about principals:
//   node acme: tenant;  node a: account under acme with business;
//   principal alice: account_user with active { account_admin at a; driver at b; }
//   allow alice: station.reset on a;       (the target node is `a`)
testNode : NODE name=ident ':' kind=ident (UNDER parent=ident)? (WITH flags=identList)? ';' ;
testPrincipal
  : PRINCIPAL name=ident ':' kind=ident (WITH flags=identList)? '{' testMembership* '}' ;
testMembership : roles=identList AT node=ident ';' ;
// A custom role built from exactly these permissions within a ceiling, held by name like a role:
//   custom viewer_key: key_role { allow station.view in subtree; allow card.view; }
testCustomRole : CUSTOM name=ident ':' ceiling=ident '{' ruleDecl* '}' ;
// A decision case, or a delegation case: `assigns admin: agent;` (a holder of `admin` may give
// `agent`), `not assigns admin: owner;` (it may not), `assigns owner with business: driver;`
// (with the assigner's flags, for conditional `assigns`).
testCase
  : expect=(ALLOW | DENY) roles+=ident ('+' roles+=ident)* (AS kind=ident)? (WITH flags=flagList)?
    ':' patterns=permissionList (EXCEPT excluded=permissionList)? ON relationList ';'
  | negated=NOT? ASSIGNS roles+=ident ('+' roles+=ident)* (WITH flags=flagList)?
    ':' targets=identList ';'
  ;
relationList : '*' | ident | '{' identList '}' ;

identList : ident (',' ident)* ;
label : STRING ;

// Keywords stay usable as names (`import` is an action of seed 004's stations).
ident
  : ID
  | POLICY | MODULE | IMPORT | SCOPE | UNDER | RESOURCE | OWNED_BY | GROUP | INCLUDE | ACTIONS
  | USERTYPE | AT | FLAG | ON | ROLE | FOR | EXTENDS | DEPRECATED | LOCKED | ALLOW | DENY
  | EXCEPT | IN | WHEN | ASSIGNS | EXCLUSIVE | REQUIRE | TEST | AS | WITH | AND | OR | NOT
  | NODE | PRINCIPAL | REQUEST | CUSTOM | CREATED_BY
  ;

POLICY : 'policy' ;
MODULE : 'module' ;
IMPORT : 'import' ;
SCOPE : 'scope' ;
UNDER : 'under' ;
RESOURCE : 'resource' ;
OWNED_BY : 'owned_by' ;
GROUP : 'group' ;
INCLUDE : 'include' ;
ACTIONS : 'actions' ;
USERTYPE : 'usertype' ;
AT : 'at' ;
FLAG : 'flag' ;
ON : 'on' ;
ROLE : 'role' ;
FOR : 'for' ;
EXTENDS : 'extends' ;
DEPRECATED : 'deprecated' ;
LOCKED : 'locked' ;
ALLOW : 'allow' ;
DENY : 'deny' ;
EXCEPT : 'except' ;
IN : 'in' ;
WHEN : 'when' ;
ASSIGNS : 'assigns' ;
EXCLUSIVE : 'exclusive' ;
REQUIRE : 'require' ;
TEST : 'test' ;
AS : 'as' ;
WITH : 'with' ;
AND : 'and' ;
OR : 'or' ;
NOT : 'not' ;
NODE : 'node' ;
PRINCIPAL : 'principal' ;
REQUEST : 'request' ;
CUSTOM : 'custom' ;
CREATED_BY : 'created_by' ;

ID : [a-zA-Z_] [a-zA-Z0-9_]* ;
STRING : '"' (~["\\\r\n] | '\\' ["\\nt])* '"' ;

// Comments go to the hidden channel, not away: suppressions and the formatter read them.
LINE_COMMENT : '//' ~[\r\n]* -> channel(HIDDEN) ;
BLOCK_COMMENT : '/*' .*? '*/' -> channel(HIDDEN) ;
WS : [ \t\r\n]+ -> skip ;

// Anything else is one bad character; the parser reports it with its location.
UNKNOWN_CHAR : . ;
