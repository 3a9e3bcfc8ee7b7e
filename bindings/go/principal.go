// principal.go - principals resolved against one table: built once, decided many times.
package lattice

// #include "lattice_go.h"
import "C"

import (
	"runtime"
)

// Principal is a principal (kind, flags, memberships) resolved against one Table and validated
// and precomputed once in a runtime principal handle (lattice_principal_new); each request then
// costs the relations to the target and a few bit tests (lattice_decide_as). It keeps its table
// alive and is only ever decided against it; build principals again after a reload. Safe for
// concurrent use. Its handle is freed by the garbage collector (before its table's, whose
// finalizer cannot run while the principal refers to it).
type Principal struct {
	table     *Table
	handle    *C.lattice_principal // nil for the one-request principals of Table.Decide
	kind      C.uint32_t
	flags     C.uint64_t
	layout    []C.uint32_t // per membership: path start, path length, role start, role count
	nodeFlags []C.uint64_t
	pathIDs   []C.uint64_t
	roleIDs   []C.uint32_t
	strings   map[string]uint64 // string path segments interned from 1<<63 up
	custom    *CustomRoles      // the set its custom role names resolve in (kept alive), or nil
}

const firstStringID = uint64(1) << 63

// NewPrincipal resolves a principal's names against the table and builds its runtime handle.
func (t *Table) NewPrincipal(kind string, flags []string, memberships []Membership) (*Principal, error) {
	return t.newPrincipal(kind, flags, memberships, nil)
}

func (t *Table) newPrincipal(kind string, flags []string, memberships []Membership, set *CustomRoles) (*Principal, error) {
	p, err := t.resolvePrincipal(kind, flags, memberships, set)
	if err != nil {
		return nil, err
	}
	unlock := set.readLock() // the handle copies the set's cells: not while a role is added
	defer unlock()
	layout, nodeFlags, pathIDs, roleIDs := p.arrays()
	t.mu.Lock() // not while Close frees the table
	defer t.mu.Unlock()
	if t.handle == nil {
		return nil, errNoTable
	}
	status := C.lattice_go_principal_new(t.handle, set.get(), p.kind, p.flags, C.uint32_t(len(p.nodeFlags)),
		layout, nodeFlags, pathIDs, roleIDs, &p.handle)
	if status != C.LATTICE_PRINCIPAL_OK || p.handle == nil {
		return nil, &InvalidRequestError{"cannot build the principal: " +
			C.GoString(C.lattice_principal_status_message(status))}
	}
	p.layout, p.nodeFlags, p.pathIDs, p.roleIDs = nil, nil, nil, nil // the handle has its copy
	runtime.SetFinalizer(p, func(p *Principal) { C.lattice_principal_free(p.handle) })
	return p, nil
}

// arrays gives the flat arrays' first elements for C (nil for empty ones).
func (p *Principal) arrays() (layout *C.uint32_t, nodeFlags, pathIDs *C.uint64_t, roleIDs *C.uint32_t) {
	return first(p.layout), first(p.nodeFlags), first(p.pathIDs), first(p.roleIDs)
}

// resolvePrincipal resolves the names into ids and interned paths, without a runtime handle.
func (t *Table) resolvePrincipal(kind string, flags []string, memberships []Membership, set *CustomRoles) (*Principal, error) {
	if err := set.checkTable(t); err != nil {
		return nil, err
	}
	k, err := t.id(kindCategory, kind)
	if err != nil {
		return nil, err
	}
	mask, err := t.flagMask(flags, principalSide)
	if err != nil {
		return nil, err
	}
	p := &Principal{table: t, kind: C.uint32_t(k), flags: C.uint64_t(mask), custom: set}
	for _, m := range memberships {
		if len(m.Node) == 0 {
			return nil, &InvalidRequestError{"a membership needs a node: a path of at least one id"}
		}
		p.layout = append(p.layout, C.uint32_t(len(p.pathIDs)), C.uint32_t(len(m.Node)),
			C.uint32_t(len(p.roleIDs)), C.uint32_t(len(m.Roles)))
		for _, s := range m.Node {
			id, err := p.segment(s, true)
			if err != nil {
				return nil, err
			}
			p.pathIDs = append(p.pathIDs, C.uint64_t(id))
		}
		for _, role := range m.Roles {
			id, err := t.roleID(role, set)
			if err != nil {
				return nil, err
			}
			p.roleIDs = append(p.roleIDs, C.uint32_t(id))
		}
		nf, err := t.flagMask(m.NodeFlags, nodeSide)
		if err != nil {
			return nil, err
		}
		p.nodeFlags = append(p.nodeFlags, C.uint64_t(nf))
	}
	return p, nil
}

// Table is the table the principal was resolved against.
func (p *Principal) Table() *Table { return p.table }

// segment maps a path segment to its id: numbers as they are, strings interned (for a
// membership) or looked up (for a target: an unknown string gets an id no membership uses).
func (p *Principal) segment(s Segment, intern bool) (uint64, error) {
	if !s.isString {
		if s.number < 0 {
			return 0, &InvalidRequestError{"a node id must be a non-negative integer below 2^63"}
		}
		return uint64(s.number), nil
	}
	if id, ok := p.strings[s.text]; ok {
		return id, nil
	}
	if !intern {
		return firstStringID + uint64(len(p.strings)), nil
	}
	if p.strings == nil {
		p.strings = map[string]uint64{}
	}
	id := firstStringID + uint64(len(p.strings))
	p.strings[s.text] = id
	return id, nil
}

// Decide decides the principal's request for permission on the target node.
func (p *Principal) Decide(permission string, target Path) (Decision, error) {
	return p.DecideWithFacts(permission, target, nil)
}

// DecideWithFacts decides the principal's request with the request's facts by name: facts of the
// resource (`resource.archived`), of the target's node (`target.business`) and of the request
// (`request.mfa_used`). A name that is not a fact is an InvalidRequestError.
func (p *Principal) DecideWithFacts(permission string, target Path, facts []string) (Decision, error) {
	if p == nil || p.table == nil {
		return denied, errNoTable
	}
	t := p.table
	perm, err := t.id(permissionCategory, permission)
	if err != nil {
		return denied, err
	}
	factMask, err := t.flagMask(facts, factSide)
	if err != nil {
		return denied, err
	}
	if len(target) == 0 {
		return denied, &InvalidRequestError{"a target needs a node: a path of at least one id"}
	}
	var stack [8]C.uint64_t
	ids := stack[:0]
	for _, s := range target {
		id, err := p.segment(s, false)
		if err != nil {
			return denied, err
		}
		ids = append(ids, C.uint64_t(id))
	}
	var d C.lattice_access_decision
	if p.custom != nil {
		p.custom.mu.RLock() // not while a role is added to the set
	}
	switch {
	case t.handle == nil: // closed: a handle would read a freed table
		d = C.lattice_access_decision{reason: C.LATTICE_REASON_NO_TABLE,
			deciding_role: C.LATTICE_NO_ID, deciding_membership: C.LATTICE_NO_ID}
	case p.handle != nil:
		d = C.lattice_go_decide_as(p.handle, C.uint32_t(perm), &ids[0], C.uint32_t(len(ids)),
			C.uint64_t(factMask))
	default:
		layout, nodeFlags, pathIDs, roleIDs := p.arrays()
		d = C.lattice_go_decide(t.handle, p.custom.get(), p.kind, p.flags, C.uint32_t(len(p.nodeFlags)), layout,
			nodeFlags, pathIDs, roleIDs, C.uint32_t(perm), &ids[0], C.uint32_t(len(ids)),
			C.uint64_t(factMask))
	}
	out := p.decision(d) // a custom role is named under the set's read lock
	if p.custom != nil {
		p.custom.mu.RUnlock()
	}
	runtime.KeepAlive(p)
	runtime.KeepAlive(t)
	return out, nil
}

// RelationOf is the relation of the target node to a node, both as paths (RelationNone for
// another tree), as the runtime computes it per membership.
func RelationOf(node, target Path) (Relation, error) {
	if len(node) == 0 || len(target) == 0 {
		return RelationNone, &InvalidRequestError{"a node needs a path of at least one id"}
	}
	var p Principal // its string interning, shared by both paths
	ids := [2][]C.uint64_t{}
	for i, path := range [2]Path{node, target} {
		for _, s := range path {
			id, err := p.segment(s, true)
			if err != nil {
				return RelationNone, err
			}
			ids[i] = append(ids[i], C.uint64_t(id))
		}
	}
	r := C.lattice_go_relation(&ids[0][0], C.uint32_t(len(ids[0])), &ids[1][0], C.uint32_t(len(ids[1])))
	return Relation(r), nil
}
