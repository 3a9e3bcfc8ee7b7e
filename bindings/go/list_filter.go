// list_filter.go - list filters (docs/filter-list-endpoint.md): the target nodes a principal may
// act on with a permission, as terms over paths or as a SQL predicate with byte parameters.
package lattice

// #include <stdlib.h>
// #include "lattice/list_filter.h"
import "C"

import (
	"runtime"
	"unsafe"
)

// FilterTerm is one term of a list filter: exactly Node ("node"), Node and everything below it
// ("subtree"), or everything strictly below it ("below"), minus the subtrees of Exclusions.
type FilterTerm struct {
	Kind       string
	Node       []uint64
	Exclusions [][]uint64
}

// FilterSQL is a WHERE predicate over the key column with $N (PostgreSQL) or ?N (SQLite)
// placeholders, and each parameter's bytes, to bind as bytea / BLOB.
type FilterSQL struct {
	SQL    string
	Params [][]byte
}

// withFilter builds the principal's filter, calls use with it and frees it.
func (p *Principal) withFilter(permission string, facts []string, use func(*C.lattice_list_filter) error) error {
	if p == nil || p.table == nil || p.handle == nil {
		return errNoTable
	}
	t := p.table
	perm, err := t.id(permissionCategory, permission)
	if err != nil {
		return err
	}
	factMask, err := t.flagMask(facts, factSide)
	if err != nil {
		return err
	}
	t.mu.Lock() // not while Close frees the table the handle reads
	defer t.mu.Unlock()
	if t.handle == nil {
		return errNoTable
	}
	if p.custom != nil { // the handle borrows the set: not while a role is added to it
		p.custom.mu.RLock()
		defer p.custom.mu.RUnlock()
	}
	var f *C.lattice_list_filter
	status := C.lattice_list_filter_as(p.handle, C.uint32_t(perm), C.uint64_t(factMask), &f)
	runtime.KeepAlive(p)
	if status != C.LATTICE_FILTER_OK {
		return &InvalidRequestError{"no list filter: " +
			C.GoString(C.lattice_filter_status_message(status))}
	}
	defer C.lattice_list_filter_free(f)
	return use(f)
}

func goPath(p C.lattice_node_path) []uint64 {
	ids := unsafe.Slice((*C.uint64_t)(p.ids), int(p.depth))
	out := make([]uint64, len(ids))
	for i, id := range ids {
		out[i] = uint64(id)
	}
	return out
}

func filterTerms(f *C.lattice_list_filter) ([]FilterTerm, error) {
	kinds := [3]string{"node", "subtree", "below"}
	terms := []FilterTerm{}
	for i := C.uint32_t(0); i < C.lattice_list_filter_term_count(f); i++ {
		t := C.lattice_list_filter_term(f, i)
		term := FilterTerm{Kind: kinds[t.kind%3], Node: goPath(t.node), Exclusions: [][]uint64{}}
		for _, e := range unsafe.Slice(t.exclusions, int(t.exclusion_count)) {
			term.Exclusions = append(term.Exclusions, goPath(e))
		}
		// Strings are interned per principal from 1<<63: rows keyed by the host's ids cannot
		// match them.
		for _, path := range append([][]uint64{term.Node}, term.Exclusions...) {
			for _, id := range path {
				if id >= firstStringID {
					return nil, &InvalidRequestError{"a list filter needs the host's numeric node ids: a membership's node is named by a string"}
				}
			}
		}
		terms = append(terms, term)
	}
	return terms, nil
}

// ListFilterTerms is the filter of the permission for this principal (with the request's facts
// by name) as disjoint terms. A permission whose rules read a resource or target fact has none
// (an InvalidRequestError): the node alone cannot decide it.
func (p *Principal) ListFilterTerms(permission string, facts []string) ([]FilterTerm, error) {
	var terms []FilterTerm
	err := p.withFilter(permission, facts, func(f *C.lattice_list_filter) (err error) {
		terms, err = filterTerms(f)
		return err
	})
	return terms, err
}

// ListFilterSQL is the same filter as a predicate for dialect "postgres" or "sqlite" over the
// key column, placeholders numbered from firstParam (>= 1).
func (p *Principal) ListFilterSQL(permission string, facts []string, dialect, column string, firstParam uint32) (FilterSQL, error) {
	var out FilterSQL
	var d C.uint32_t
	switch dialect {
	case "postgres":
		d = C.LATTICE_SQL_POSTGRESQL
	case "sqlite":
		d = C.LATTICE_SQL_SQLITE
	default:
		return out, &InvalidRequestError{"unknown SQL dialect `" + dialect + "`: expected postgres or sqlite"}
	}
	err := p.withFilter(permission, facts, func(f *C.lattice_list_filter) error {
		if _, err := filterTerms(f); err != nil {
			return err
		}
		ccolumn := C.CString(column)
		defer C.free(unsafe.Pointer(ccolumn))
		n := C.lattice_list_filter_sql(f, d, ccolumn, C.uint32_t(firstParam), nil, 0)
		if n == 0 {
			return &InvalidRequestError{"`" + column + "` is not a plain column name (letters, digits, `_`, optionally `table.column`), or the first parameter number is 0"}
		}
		buf := make([]byte, int(n)+1)
		C.lattice_list_filter_sql(f, d, ccolumn, C.uint32_t(firstParam), (*C.char)(unsafe.Pointer(&buf[0])), C.size_t(len(buf)))
		out.SQL = string(buf[:n])
		out.Params = [][]byte{}
		for i := C.uint32_t(0); i < C.lattice_list_filter_param_count(f); i++ {
			var size C.uint32_t
			data := C.lattice_list_filter_param(f, i, &size)
			out.Params = append(out.Params, C.GoBytes(unsafe.Pointer(data), C.int(size)))
		}
		return nil
	})
	return out, err
}
