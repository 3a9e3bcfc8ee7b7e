// who_can.go - who can be allowed a permission (lattice_who_can), as names: the roles, custom-role
// ceilings and user types, for access reviews and a decision server's who-can endpoint.
package lattice

// #include "lattice/lattice.h"
import "C"

import (
	"runtime"
)

// WhoCan is Table.WhoCan's answer, each list in declaration order.
type WhoCan struct {
	Roles     []string // roles a principal holding one of them alone is allowed the permission by
	Ceilings  []string // custom-role ceilings whose widest role is allowed it
	UserTypes []string // the user types of those roles and ceilings that are allowed it
}

// WhoCan lists who can be allowed permission at relation with exactly flags set (names of any
// side: the principal's, its node's and facts, one word as for DecideAt). Unknown names are an
// *UnknownNameError, a bad relation an *InvalidRequestError; nobody is listed then.
func (t *Table) WhoCan(permission string, relation Relation, flags []string) (WhoCan, error) {
	perm, err := t.id(permissionCategory, permission)
	if err != nil {
		return WhoCan{}, err
	}
	mask, err := t.flagMask(flags, anySide)
	if err != nil {
		return WhoCan{}, err
	}
	if relation > RelationNone {
		return WhoCan{}, &InvalidRequestError{"unknown relation " + relation.String()}
	}
	if t.handle == nil { // closed
		return WhoCan{}, errNoTable
	}
	roles := t.vocab[roleCategory].names
	kinds := t.vocab[kindCategory].names
	ceilings := t.Ceilings()
	// One word more than needed: never empty, so &words[0] is valid without ceilings too.
	roleWords := make([]C.uint64_t, len(roles)/64+1)
	ceilingWords := make([]C.uint64_t, len(ceilings)/64+1)
	kindWords := make([]C.uint64_t, len(kinds)/64+1)
	status := C.lattice_who_can(t.handle, C.uint32_t(perm), C.uint32_t(relation), C.uint64_t(mask),
		&roleWords[0], C.uint32_t(len(roleWords)), &ceilingWords[0], C.uint32_t(len(ceilingWords)),
		&kindWords[0], C.uint32_t(len(kindWords)))
	runtime.KeepAlive(t)
	if status != C.LATTICE_WHO_CAN_OK {
		return WhoCan{}, &InvalidRequestError{"who-can refused the question: " +
			C.GoString(C.lattice_who_can_status_message(status))}
	}
	pick := func(names []string, words []C.uint64_t) []string {
		out := []string{}
		for i, name := range names {
			if uint64(words[i/64])>>(uint(i)%64)&1 == 1 {
				out = append(out, name)
			}
		}
		return out
	}
	return WhoCan{pick(roles, roleWords), pick(ceilings, ceilingWords), pick(kinds, kindWords)}, nil
}
