// custom_roles.go - custom roles: roles a tenant composes at run time within the policy's
// ceilings (lattice_custom_roles), named in memberships beside compiled roles.
package lattice

// #include <stdlib.h>
// #include "lattice_go.h"
import "C"

import (
	"fmt"
	"runtime"
	"strings"
	"sync"
	"unsafe"
)

// Reach is the set of relations a custom role holds a permission at (LATTICE_REACH_*): bit r is
// Relation r.
type Reach uint32

const (
	ReachSelf        Reach = C.LATTICE_REACH_SELF
	ReachDescendants Reach = C.LATTICE_REACH_DESCENDANTS
	ReachAncestors   Reach = C.LATTICE_REACH_ANCESTORS
	ReachElsewhere   Reach = C.LATTICE_REACH_ELSEWHERE
	ReachSubtree     Reach = C.LATTICE_REACH_SUBTREE // self and descendants
	ReachTenant      Reach = C.LATTICE_REACH_TENANT  // the whole tree
)

var reachWords = map[string]Reach{"self": ReachSelf, "descendants": ReachDescendants,
	"ancestors": ReachAncestors, "elsewhere": ReachElsewhere, "subtree": ReachSubtree,
	"tenant": ReachTenant}

// ParseReach is the union of reach words: self, descendants, ancestors, elsewhere, subtree,
// tenant. An unknown word is an *InvalidRequestError.
func ParseReach(words ...string) (Reach, error) {
	var r Reach
	for _, w := range words {
		bits, ok := reachWords[w]
		if !ok {
			return 0, &InvalidRequestError{"unknown reach `" + w +
				"`: expected self, descendants, ancestors, elsewhere, subtree or tenant"}
		}
		r |= bits
	}
	return r, nil
}

// Relations lists the relations of the reach, in relation order.
func (r Reach) Relations() []Relation {
	var out []Relation
	for rel := RelationSelf; rel < RelationNone; rel++ {
		if r&(1<<rel) != 0 {
			out = append(out, rel)
		}
	}
	return out
}

// String is the reach as relation words joined by "|" ("self|descendants"; "" for none).
func (r Reach) String() string {
	var words []string
	for _, rel := range r.Relations() {
		words = append(words, rel.String())
	}
	return strings.Join(words, "|")
}

// Cell is one permission of a custom role with the relations it reaches.
type Cell struct {
	Permission string
	Reach      Reach
}

// CustomStatus is why the runtime refused a custom role (lattice_custom_status).
type CustomStatus uint32

const (
	CustomOK CustomStatus = iota
	CustomBadArgument
	CustomUnknownCeiling
	CustomUnknownPermission
	CustomBadReach
	CustomNotForKinds
	CustomOutsideCeiling
	CustomReachBeyondCeiling
	CustomTooMany
	CustomOutOfMemory
)

var customStatusNames = [...]string{"ok", "bad_argument", "unknown_ceiling",
	"unknown_permission", "bad_reach", "not_for_kinds", "outside_ceiling",
	"reach_beyond_ceiling", "too_many", "out_of_memory"}

func (s CustomStatus) String() string { return word(customStatusNames[:], uint32(s), "status") }

// CustomRoleError is a custom role the runtime refused; nothing was added to the set.
type CustomRoleError struct {
	Status     CustomStatus
	Role       string // the name the role was to have ("" for a ceiling query)
	Ceiling    string
	Permission string // the offending permission, "" when no entry is at fault
}

func (e *CustomRoleError) Error() string {
	msg := fmt.Sprintf("custom role `%s` of ceiling `%s` refused", e.Role, e.Ceiling)
	if e.Permission != "" {
		msg += fmt.Sprintf(" at permission `%s`", e.Permission)
	}
	return msg + ": " + C.GoString(C.lattice_custom_status_message(C.lattice_custom_status(e.Status)))
}

// CustomRoles is a set of custom roles built against one Table, which it keeps alive; each role
// has a name the host gives it, used in Membership.Roles beside compiled role names with
// Request.CustomRoles or Table.NewPrincipalCustom. Safe for concurrent use: Add waits for
// decisions that read the set. Freed by the garbage collector (after every principal built with
// it, which keeps it alive).
type CustomRoles struct {
	table  *Table
	mu     sync.RWMutex // Add writes the C set; decisions and principal builds read it
	handle *C.lattice_custom_roles
	names  []string
	ids    map[string]uint32
}

// NewCustomRoles makes an empty set of custom roles of the table.
func (t *Table) NewCustomRoles() (*CustomRoles, error) {
	if t == nil {
		return nil, errNoTable
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.handle == nil {
		return nil, errNoTable
	}
	c := &CustomRoles{table: t, handle: C.lattice_custom_roles_new(t.handle), ids: map[string]uint32{}}
	if c.handle == nil {
		return nil, &CustomRoleError{Status: CustomOutOfMemory}
	}
	runtime.SetFinalizer(c, func(c *CustomRoles) { C.lattice_custom_roles_free(c.handle) })
	return c, nil
}

// Table is the table the set was built against.
func (c *CustomRoles) Table() *Table { return c.table }

// Add builds role name of ceiling from cells, all or nothing. A refusal by the runtime is a
// *CustomRoleError naming its status and the offending permission; a name the table's roles or
// the set already have is an *InvalidRequestError.
func (c *CustomRoles) Add(name, ceiling string, cells []Cell) error {
	t := c.table
	if name == "" || strings.IndexByte(name, 0) >= 0 {
		return &InvalidRequestError{"a custom role needs a name without NUL characters"}
	}
	if _, ok := t.vocab[roleCategory].ids[name]; ok {
		return &InvalidRequestError{"custom role `" + name + "`: the policy `" + t.policy + "` has a role of that name"}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.ids[name]; ok {
		return &InvalidRequestError{"custom role `" + name + "` is already in the set"}
	}
	refused := func(s CustomStatus, permission string) error {
		return &CustomRoleError{Status: s, Role: name, Ceiling: ceiling, Permission: permission}
	}
	if strings.IndexByte(ceiling, 0) >= 0 {
		return refused(CustomUnknownCeiling, "")
	}
	n := len(cells)
	// C memory for the names and reaches: cgo may not be given Go memory holding Go pointers.
	// (calloc: every name pointer starts NULL, so the deferred free is right at any return).
	cnames := (*[1 << 28]*C.char)(C.calloc(C.size_t(n+1), C.size_t(unsafe.Sizeof((*C.char)(nil)))))[: n+1 : n+1]
	reaches := (*[1 << 28]C.uint32_t)(C.calloc(C.size_t(n+1), 4))[: n+1 : n+1]
	defer func() {
		for i := 0; i < n; i++ {
			C.free(unsafe.Pointer(cnames[i]))
		}
		C.free(unsafe.Pointer(&cnames[0]))
		C.free(unsafe.Pointer(&reaches[0]))
	}()
	for i, cell := range cells {
		if strings.IndexByte(cell.Permission, 0) >= 0 { // C reads up to the NUL: no such name
			return refused(CustomUnknownPermission, cell.Permission)
		}
		cnames[i] = C.CString(cell.Permission)
		reaches[i] = C.uint32_t(cell.Reach)
	}
	cceiling := C.CString(ceiling)
	defer C.free(unsafe.Pointer(cceiling))
	t.mu.Lock() // not while Close frees the table the set reads
	defer t.mu.Unlock()
	if t.handle == nil {
		return errNoTable
	}
	role, bad := C.uint32_t(C.LATTICE_NO_ID), C.uint32_t(C.LATTICE_NO_ID) // bad: set per entry only
	status := CustomStatus(C.lattice_custom_role_add_names(c.handle, cceiling, &cnames[0],
		&reaches[0], C.uint32_t(len(cells)), &role, &bad))
	if status != CustomOK {
		permission := ""
		if int(bad) < len(cells) {
			permission = cells[bad].Permission
		}
		return refused(status, permission)
	}
	c.ids[name] = uint32(role)
	c.names = append(c.names, name)
	return nil
}

// Names lists the set's roles in the order they were added.
func (c *CustomRoles) Names() []string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return append([]string(nil), c.names...)
}

// Has tells whether the set has a role of that name.
func (c *CustomRoles) Has(name string) bool {
	c.mu.RLock()
	defer c.mu.RUnlock()
	_, ok := c.ids[name]
	return ok
}

func (c *CustomRoles) id(name string) (uint32, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if id, ok := c.ids[name]; ok {
		return id, nil
	}
	return 0, &UnknownNameError{Category: "role", Name: name, Policy: c.table.policy}
}

// Ceiling is the ceiling role name was built in.
func (c *CustomRoles) Ceiling(name string) (string, error) {
	id, err := c.id(name)
	if err != nil {
		return "", err
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	ceiling := C.lattice_custom_role_ceiling(c.handle, C.uint32_t(id))
	return C.GoString(C.lattice_ceiling_name(c.table.handle, ceiling)), nil
}

// Reach is the reach role name holds permission with (0 if it does not hold it).
func (c *CustomRoles) Reach(name, permission string) (Reach, error) {
	id, err := c.id(name)
	if err != nil {
		return 0, err
	}
	perm, err := c.table.id(permissionCategory, permission)
	if err != nil {
		return 0, err
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	return Reach(C.lattice_custom_role_reach(c.handle, C.uint32_t(id), C.uint32_t(perm))), nil
}

// NewPrincipalCustom is NewPrincipal with custom roles of set named in memberships; the
// principal keeps the set alive. A set of another Table is an *InvalidRequestError.
func (t *Table) NewPrincipalCustom(kind string, flags []string, memberships []Membership, set *CustomRoles) (*Principal, error) {
	if set == nil {
		return nil, &InvalidRequestError{"NewPrincipalCustom needs a set of custom roles"}
	}
	return t.newPrincipal(kind, flags, memberships, set)
}

// CustomRoles is the set the principal was built with, or nil.
func (p *Principal) CustomRoles() *CustomRoles { return p.custom }

// Ceilings lists the table's custom role ceilings in id order.
func (t *Table) Ceilings() []string {
	n := C.lattice_ceiling_count(t.handle)
	out := make([]string, n)
	for i := C.uint32_t(0); i < n; i++ {
		out[i] = C.GoString(C.lattice_ceiling_name(t.handle, i))
	}
	runtime.KeepAlive(t)
	return out
}

func (t *Table) ceilingID(ceiling string) (C.uint32_t, error) {
	id := C.uint32_t(C.LATTICE_NO_ID)
	if strings.IndexByte(ceiling, 0) < 0 {
		cs := C.CString(ceiling)
		id = C.lattice_ceiling_id(t.handle, cs)
		C.free(unsafe.Pointer(cs))
	}
	if id == C.LATTICE_NO_ID {
		return 0, &CustomRoleError{Status: CustomUnknownCeiling, Ceiling: ceiling}
	}
	return id, nil
}

// CeilingKinds lists the user types whose principals may hold roles of the ceiling.
func (t *Table) CeilingKinds(ceiling string) ([]string, error) {
	id, err := t.ceilingID(ceiling)
	if err != nil {
		return nil, err
	}
	mask := uint64(C.lattice_ceiling_kinds(t.handle, id))
	runtime.KeepAlive(t)
	var out []string
	for k, name := range t.vocab[kindCategory].names {
		if k < 64 && mask&(1<<k) != 0 {
			out = append(out, name)
		}
	}
	return out, nil
}

// CeilingReach is the reach a role of the ceiling may hold permission with (0: not at all).
func (t *Table) CeilingReach(ceiling, permission string) (Reach, error) {
	id, err := t.ceilingID(ceiling)
	if err != nil {
		return 0, err
	}
	perm, err := t.id(permissionCategory, permission)
	if err != nil {
		return 0, err
	}
	r := C.lattice_ceiling_reach(t.handle, id, C.uint32_t(perm))
	runtime.KeepAlive(t)
	return Reach(r), nil
}

// CanCreate tells whether a principal holding roles (compiled roles) may create custom roles of
// the ceiling and give them (one of the roles is in its `created_by`).
func (t *Table) CanCreate(roles []string, ceiling string) (bool, error) {
	ids, err := t.roleIDs(roles)
	if err != nil {
		return false, err
	}
	id, err := t.ceilingID(ceiling)
	if err != nil {
		return false, err
	}
	ok := C.lattice_can_create(t.handle, first(ids), C.uint32_t(len(ids)), id)
	runtime.KeepAlive(t)
	return ok != 0, nil
}

// get is the C set, or NULL for a nil set.
func (c *CustomRoles) get() *C.lattice_custom_roles {
	if c == nil {
		return nil
	}
	return c.handle
}

// readLock read-locks a non-nil set and returns its unlock.
func (c *CustomRoles) readLock() func() {
	if c == nil {
		return func() {}
	}
	c.mu.RLock()
	return c.mu.RUnlock
}

// checkTable refuses a set of another table (nil: no set, fine).
func (c *CustomRoles) checkTable(t *Table) error {
	if c != nil && c.table != t {
		return &InvalidRequestError{"custom roles built on another table (policy `" + c.table.policy +
			"`) cannot be used with this one: build them again on it"}
	}
	return nil
}

// roleID resolves a membership's role: a compiled role of the table, else a custom role of set.
func (t *Table) roleID(name string, set *CustomRoles) (uint32, error) {
	id, err := t.id(roleCategory, name)
	if err == nil || set == nil {
		return id, err
	}
	return set.id(name)
}

// decision names the deciding role: compiled from the table, custom from the principal's set
// (which the caller holds read-locked).
func (p *Principal) decision(d C.lattice_access_decision) Decision {
	out := p.table.decision(d)
	if id := uint32(d.deciding_role); id != uint32(C.LATTICE_NO_ID) && id&uint32(C.LATTICE_CUSTOM_ROLE) != 0 && p.custom != nil {
		if i := int(id &^ uint32(C.LATTICE_CUSTOM_ROLE)); i < len(p.custom.names) {
			out.DecidingRole = p.custom.names[i]
		}
	}
	return out
}
