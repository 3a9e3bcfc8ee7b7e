// principal.go - principals resolved against one table: built once, decided many times.
package lattice

// #include "lattice_go.h"
import "C"

import (
	"runtime"
)

// Principal is a principal (kind, flags, memberships) resolved against one Table. It keeps that
// table alive and is only ever decided against it; build principals again after a reload.
type Principal struct {
	table     *Table
	kind      C.uint32_t
	flags     C.uint64_t
	layout    []C.uint32_t // per membership: path start, path length, role start, role count
	nodeFlags []C.uint64_t
	pathIDs   []C.uint64_t
	roleIDs   []C.uint32_t
	strings   map[string]uint64 // string path segments interned from 1<<63 up
}

const firstStringID = uint64(1) << 63

// NewPrincipal resolves a principal's names against the table.
func (t *Table) NewPrincipal(kind string, flags []string, memberships []Membership) (*Principal, error) {
	k, err := t.id(kindCategory, kind)
	if err != nil {
		return nil, err
	}
	mask, err := t.flagMask(flags, principalSide)
	if err != nil {
		return nil, err
	}
	p := &Principal{table: t, kind: C.uint32_t(k), flags: C.uint64_t(mask)}
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
			id, err := t.id(roleCategory, role)
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
	if p == nil || p.table == nil {
		return denied, errNoTable
	}
	t := p.table
	perm, err := t.id(permissionCategory, permission)
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
	n := len(p.nodeFlags)
	var layout *C.uint32_t
	var nodeFlags, pathIDs *C.uint64_t
	var roleIDs *C.uint32_t
	if n > 0 {
		layout, nodeFlags, pathIDs = &p.layout[0], &p.nodeFlags[0], &p.pathIDs[0]
	}
	if len(p.roleIDs) > 0 {
		roleIDs = &p.roleIDs[0]
	}
	d := C.lattice_go_decide(t.handle, p.kind, p.flags, C.uint32_t(n), layout, nodeFlags, pathIDs,
		roleIDs, C.uint32_t(perm), &ids[0], C.uint32_t(len(ids)))
	runtime.KeepAlive(p)
	runtime.KeepAlive(t)
	return t.decision(d), nil
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
