// what_can.go - every permission a principal is allowed on one target at once
// (lattice_what_can_as), as names: "which buttons do I show this user?".
package lattice

// #include <string.h>
// #include "lattice/lattice.h"
//
// /* lattice_what_can_as on a target path given as an id array (cgo cannot build the ref). */
// static lattice_what_can_status lattice_go_what_can_as(const lattice_principal *principal,
//     const uint64_t *target, uint32_t depth, uint64_t facts, uint64_t *words, uint32_t count) {
//   lattice_node_ref ref;
//   memset(&ref, 0, sizeof ref);
//   ref.path.ids = target;
//   ref.path.depth = depth;
//   return lattice_what_can_as(principal, ref, facts, words, count);
// }
import "C"

import (
	"runtime"
)

// WhatCan lists every permission the principal is allowed on the target node, in declaration
// order: exactly the permissions Decide allows. A principal allowed nothing (another tree, a
// failed `require`, a role its kind may not hold) gets an empty list and no error.
func (p *Principal) WhatCan(target Path) ([]string, error) {
	return p.WhatCanWithFacts(target, nil)
}

// WhatCanWithFacts is WhatCan with the request's facts by name (`resource.archived`,
// `target.business`, `request.mfa_used`); a name that is not a fact is an InvalidRequestError.
func (p *Principal) WhatCanWithFacts(target Path, facts []string) ([]string, error) {
	if p == nil || p.table == nil || p.handle == nil {
		return nil, errNoTable
	}
	t := p.table
	factMask, err := t.flagMask(facts, factSide)
	if err != nil {
		return nil, err
	}
	if len(target) == 0 {
		return nil, &InvalidRequestError{"a target needs a node: a path of at least one id"}
	}
	ids := make([]C.uint64_t, 0, len(target))
	for _, s := range target {
		id, err := p.segment(s, false)
		if err != nil {
			return nil, err
		}
		ids = append(ids, C.uint64_t(id))
	}
	permissions := t.vocab[permissionCategory].names
	words := make([]C.uint64_t, len(permissions)/64+1)
	if t.handle == nil { // closed: the handle would read a freed table
		return nil, errNoTable
	}
	status := C.lattice_go_what_can_as(p.handle, &ids[0], C.uint32_t(len(ids)),
		C.uint64_t(factMask), &words[0], C.uint32_t(len(words)))
	runtime.KeepAlive(p)
	runtime.KeepAlive(t)
	if status != C.LATTICE_WHAT_CAN_OK {
		return nil, &InvalidRequestError{"what-can refused the request: " +
			C.GoString(C.lattice_what_can_status_message(status))}
	}
	allowed := []string{}
	for i, name := range permissions {
		if uint64(words[i/64])>>(uint(i)%64)&1 == 1 {
			allowed = append(allowed, name)
		}
	}
	return allowed, nil
}
