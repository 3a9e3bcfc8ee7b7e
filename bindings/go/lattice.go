// Package lattice decides requests from compiled Lattice decision tables: the Go binding of the
// Lattice runtime's C API (cgo; the runtime is found through pkg-config, `lattice.pc`).
//
// Names (kinds, roles, permissions, flags) are resolved against each Table, and ids never leave
// the package, so a table loaded later can never give a cached id another meaning: to reload,
// load a new Table and swap the pointer (for example with sync/atomic.Pointer).
package lattice

/*
#cgo pkg-config: lattice
#include <stdlib.h>
#include "lattice_go.h"
*/
import "C"

import (
	"runtime"
	"sync"
	"unsafe"
)

// Table is a loaded, immutable decision table. Its methods may be called from any number of
// goroutines at once. The table is freed by Close or, once unreachable, by the garbage
// collector.
type Table struct {
	mu          sync.Mutex // guards Close against a second Close
	handle      *C.lattice_table
	bytes       unsafe.Pointer // the C copy of the bytes given to Load, or nil
	policy      string
	fingerprint uint64
	revision    string
	vocab       [4]vocabulary
	flagSides   []uint32 // per flag id: C.LATTICE_FLAG_PRINCIPAL or C.LATTICE_FLAG_NODE
}

type vocabulary struct {
	names []string
	ids   map[string]uint32
}

// LoadFile reads and validates a table file of at most 256 MiB (LoadFileMax for another limit).
// A corrupt or truncated file is a *LoadError; no Table is returned.
func LoadFile(path string) (*Table, error) {
	return LoadFileMax(path, int64(C.LATTICE_DEFAULT_MAX_TABLE_BYTES))
}

// LoadFileMax is LoadFile with the host's own maximum size in bytes.
func LoadFileMax(path string, maxBytes int64) (*Table, error) {
	if maxBytes < 0 {
		maxBytes = 0
	}
	cpath := C.CString(path)
	defer C.free(unsafe.Pointer(cpath))
	var h *C.lattice_table
	status := C.lattice_table_load_file_max(cpath, C.size_t(maxBytes), &h)
	if status != C.LATTICE_LOAD_OK || h == nil {
		return nil, &LoadError{Status: LoadStatus(status), Path: path}
	}
	return newTable(h, nil), nil
}

// Load validates a copy of table bytes (data may be reused afterwards).
func Load(data []byte) (*Table, error) {
	buf := C.CBytes(data) // the table reads these bytes for its whole life
	var h *C.lattice_table
	status := C.lattice_table_load(buf, C.size_t(len(data)), &h)
	if status != C.LATTICE_LOAD_OK || h == nil {
		C.free(buf)
		return nil, &LoadError{Status: LoadStatus(status)}
	}
	return newTable(h, buf), nil
}

func newTable(h *C.lattice_table, buf unsafe.Pointer) *Table {
	t := &Table{handle: h, bytes: buf, policy: C.GoString(C.lattice_policy_name(h)),
		fingerprint: uint64(C.lattice_table_fingerprint(h)),
		revision:    C.GoString(C.lattice_table_revision(h))}
	counts := [4]C.uint32_t{C.lattice_kind_count(h), C.lattice_role_count(h),
		C.lattice_permission_count(h), C.lattice_flag_count(h)}
	for c := range t.vocab {
		v := vocabulary{names: make([]string, counts[c]), ids: make(map[string]uint32, counts[c])}
		for i := C.uint32_t(0); i < counts[c]; i++ {
			var name *C.char
			switch category(c) {
			case kindCategory:
				name = C.lattice_kind_name(h, i)
			case roleCategory:
				name = C.lattice_role_name(h, i)
			case permissionCategory:
				name = C.lattice_permission_name(h, i)
			default:
				name = C.lattice_flag_name(h, i)
			}
			v.names[i] = C.GoString(name)
			v.ids[v.names[i]] = uint32(i)
		}
		t.vocab[c] = v
	}
	t.flagSides = make([]uint32, len(t.vocab[flagCategory].names))
	for i := range t.flagSides {
		t.flagSides[i] = uint32(C.lattice_flag_side(h, C.uint32_t(i)))
	}
	runtime.SetFinalizer(t, (*Table).Close)
	return t
}

// Close frees the table. Call it only when no goroutine uses the table any more (after a
// reload, leaving the old table to the garbage collector is the simple safe choice). Requests
// to a closed table are denied.
func (t *Table) Close() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.handle != nil {
		C.lattice_table_free(t.handle)
		t.handle = nil
	}
	if t.bytes != nil {
		C.free(t.bytes)
		t.bytes = nil
	}
	runtime.SetFinalizer(t, nil)
	return nil
}

// PolicyName is the name the policy declares.
func (t *Table) PolicyName() string { return t.policy }

// Fingerprint is the table's vocabulary fingerprint: equal in two tables iff every name has the
// same id in both (for the host's logs; the binding never lets ids cross tables anyway).
func (t *Table) Fingerprint() uint64 { return t.fingerprint }

// Revision is what `lattice build --revision` recorded ("" when nothing was given).
func (t *Table) Revision() string { return t.revision }

// Kinds, Roles, Permissions and Flags list the table's names in id order.
func (t *Table) Kinds() []string { return append([]string(nil), t.vocab[kindCategory].names...) }
func (t *Table) Roles() []string { return append([]string(nil), t.vocab[roleCategory].names...) }
func (t *Table) Permissions() []string {
	return append([]string(nil), t.vocab[permissionCategory].names...)
}
func (t *Table) Flags() []string { return append([]string(nil), t.vocab[flagCategory].names...) }

func (t *Table) id(c category, name string) (uint32, error) {
	if t == nil {
		return 0, errNoTable
	}
	if id, ok := t.vocab[c].ids[name]; ok {
		return id, nil
	}
	return 0, &UnknownNameError{Category: c.String(), Name: name, Policy: t.policy}
}

// Where a flag is given (flag sides): the principal's flags, a membership's node flags, or
// either (DecideAt: one node, one flag word).
type flagSide int

const (
	principalSide flagSide = iota
	nodeSide
	factSide // the request's facts: resource.x, target.x, request.x
	anySide
)

// flagMask maps flag names to a mask; a flag of the other side is refused with the side it
// belongs to, rather than denied as a bad request by the runtime.
func (t *Table) flagMask(names []string, side flagSide) (uint64, error) {
	var mask uint64
	for _, name := range names {
		id, err := t.id(flagCategory, name)
		if err != nil {
			return 0, err
		}
		actual := t.flagSides[id]
		isFact := actual&C.LATTICE_FLAG_FACTS != 0
		if side == factSide && !isFact {
			return 0, &InvalidRequestError{"flag `" + name + "` is not a fact: give it in the principal's Flags or a membership's NodeFlags"}
		}
		if (side == principalSide || side == nodeSide) && isFact {
			return 0, &InvalidRequestError{"flag `" + name + "` is a fact: give it in the request's facts"}
		}
		if side == principalSide && actual == C.LATTICE_FLAG_NODE {
			return 0, &InvalidRequestError{"flag `" + name + "` is a node flag (declared on scope kinds): give it in a membership's NodeFlags"}
		}
		if side == nodeSide && actual == C.LATTICE_FLAG_PRINCIPAL {
			return 0, &InvalidRequestError{"flag `" + name + "` is a principal flag (declared on user types): give it in the principal's Flags"}
		}
		if id >= 64 {
			return 0, &InvalidRequestError{"flag `" + name + "` has an id beyond the 64 flags a request carries"}
		}
		mask |= 1 << id
	}
	return mask, nil
}

// CanAssign tells whether a principal holding roles may assign the role target. A conditional
// `assigns` (`assigns driver when business;`) never counts here: see CanAssignWith.
func (t *Table) CanAssign(roles []string, target string) (bool, error) {
	return t.canAssign(roles, target, nil, false)
}

// CanAssignWith is CanAssign with the assigner's flags (its own and its node's, either side):
// a conditional `assigns` counts when they satisfy its condition.
func (t *Table) CanAssignWith(roles []string, target string, flags []string) (bool, error) {
	return t.canAssign(roles, target, flags, true)
}

func (t *Table) canAssign(roles []string, target string, flags []string, withFlags bool) (bool, error) {
	ids, err := t.roleIDs(roles)
	if err != nil {
		return false, err
	}
	targetID, err := t.id(roleCategory, target)
	if err != nil {
		return false, err
	}
	held, count := first(ids), C.uint32_t(len(ids))
	var ok C.int
	if withFlags {
		mask, err := t.flagMask(flags, anySide)
		if err != nil {
			return false, err
		}
		ok = C.lattice_can_assign_with(t.handle, held, count, C.uint32_t(targetID), C.uint64_t(mask))
	} else {
		ok = C.lattice_can_assign(t.handle, held, count, C.uint32_t(targetID))
	}
	runtime.KeepAlive(t)
	return ok != 0, nil
}

// first is a pointer to a slice's first element for C, or nil for an empty slice.
func first[T any](s []T) *T {
	if len(s) == 0 {
		return nil
	}
	return &s[0]
}

func (t *Table) roleIDs(roles []string) ([]C.uint32_t, error) {
	ids := make([]C.uint32_t, len(roles))
	for i, name := range roles {
		id, err := t.id(roleCategory, name)
		if err != nil {
			return nil, err
		}
		ids[i] = C.uint32_t(id)
	}
	return ids, nil
}

// DecideAt decides for roles held at one node, given the relation of the target to that node.
func (t *Table) DecideAt(kind string, roles []string, permission string, relation Relation,
	flags []string) (Decision, error) {
	k, err := t.id(kindCategory, kind)
	if err != nil {
		return denied, err
	}
	ids, err := t.roleIDs(roles)
	if err != nil {
		return denied, err
	}
	perm, err := t.id(permissionCategory, permission)
	if err != nil {
		return denied, err
	}
	mask, err := t.flagMask(flags, anySide)
	if err != nil {
		return denied, err
	}
	if relation > RelationNone {
		return denied, &InvalidRequestError{"unknown relation " + relation.String()}
	}
	d := C.lattice_go_decide_at(t.handle, C.uint32_t(k), first(ids), C.uint32_t(len(ids)),
		C.uint32_t(perm), C.uint32_t(relation), C.uint64_t(mask))
	runtime.KeepAlive(t)
	return t.decision(C.lattice_access_decision{allowed: d.allowed, reason: d.reason,
		deciding_role: d.deciding_role, deciding_membership: C.LATTICE_NO_ID}), nil
}

// Decide decides one request of a principal with memberships. Unknown names are an
// *UnknownNameError and a malformed path an *InvalidRequestError; the Decision is then a deny.
func (t *Table) Decide(r Request) (Decision, error) {
	p, err := t.resolvePrincipal(r.Kind, r.Flags, r.Memberships, r.CustomRoles) // no handle
	if err != nil {
		return denied, err
	}
	return p.Decide(r.Permission, r.Target)
}

func (t *Table) decision(d C.lattice_access_decision) Decision {
	out := Decision{Allowed: d.allowed != 0, Reason: Reason(d.reason), DecidingMembership: -1}
	if id := uint32(d.deciding_role); id != uint32(C.LATTICE_NO_ID) && int(id) < len(t.vocab[roleCategory].names) {
		out.DecidingRole = t.vocab[roleCategory].names[id]
	}
	if m := uint32(d.deciding_membership); m != uint32(C.LATTICE_NO_ID) {
		out.DecidingMembership = int(m)
	}
	return out
}

func loadStatusMessage(s LoadStatus) string {
	return C.GoString(C.lattice_load_status_message(C.lattice_load_status(s)))
}
