// list_filter_test.go - list filters through the Go binding: terms, SQL and parameters of a
// principal with two memberships, and the refusals (docs/filter-list-endpoint.md).
package lattice_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"reflect"
	"strings"
	"testing"

	lattice "example.invalid/lattice/bindings/go"
)

func key(ids ...uint64) []byte {
	var b bytes.Buffer
	for _, id := range ids {
		binary.Write(&b, binary.BigEndian, id)
	}
	return b.Bytes()
}

func TestListFilters(t *testing.T) {
	table := load(t, v1Path)
	p, err := table.NewPrincipal("account_user", nil, []lattice.Membership{
		{Node: lattice.IDs(1, 10), Roles: []string{"account_admin"}},
		{Node: lattice.IDs(1, 12), Roles: []string{"account_admin"}}})
	if err != nil {
		t.Fatal(err)
	}
	terms, err := p.ListFilterTerms("station.view", nil)
	want := []lattice.FilterTerm{{Kind: "subtree", Node: []uint64{1, 10}, Exclusions: [][]uint64{}},
		{Kind: "subtree", Node: []uint64{1, 12}, Exclusions: [][]uint64{}}}
	if err != nil || !reflect.DeepEqual(terms, want) {
		t.Fatalf("terms %v, %v; want %v", terms, err, want)
	}
	sql, err := p.ListFilterSQL("station.view", nil, "postgres", "node_key", 1)
	if err != nil || sql.SQL != "((node_key >= $1 AND node_key < $2) OR (node_key >= $3 AND node_key < $4))" {
		t.Fatalf("sql %q, %v", sql.SQL, err)
	}
	if !reflect.DeepEqual(sql.Params, [][]byte{key(1, 10), key(1, 11), key(1, 12), key(1, 13)}) {
		t.Errorf("params %x", sql.Params)
	}
	lite, err := p.ListFilterSQL("station.view", nil, "sqlite", "s.key", 3)
	if err != nil || !strings.HasPrefix(lite.SQL, "((s.key >= ?3 AND s.key < ?4) OR") {
		t.Errorf("sqlite %q, %v", lite.SQL, err)
	}
	blocked, err := table.NewPrincipal("account_user", []string{"blocked"}, adminAtAccount)
	if err != nil {
		t.Fatal(err)
	}
	if none, err := blocked.ListFilterSQL("station.view", nil, "sqlite", "node_key", 1); err != nil || none.SQL != "0" || len(none.Params) != 0 {
		t.Errorf("nothing allowed: %q %v, %v", none.SQL, none.Params, err)
	}
}

func TestListFiltersRefuse(t *testing.T) {
	table := load(t, v1Path)
	p, err := table.NewPrincipal("account_user", nil, adminAtAccount)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.ListFilterSQL("station.view", nil, "postgres", "k; DROP TABLE t", 1); err == nil || !strings.Contains(err.Error(), "not a plain column name") {
		t.Errorf("column: %v", err)
	}
	if _, err := p.ListFilterSQL("station.view", nil, "mysql", "k", 1); err == nil {
		t.Error("mysql accepted")
	}
	var unknown *lattice.UnknownNameError
	if _, err := p.ListFilterTerms("station.teleport", nil); !errors.As(err, &unknown) {
		t.Errorf("unknown permission: %v", err)
	}
	named, err := table.NewPrincipal("account_user", nil, []lattice.Membership{
		{Node: lattice.Keys("acme"), Roles: []string{"account_admin"}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := named.ListFilterTerms("station.view", nil); err == nil || !strings.Contains(err.Error(), "numeric node ids") {
		t.Errorf("string nodes: %v", err)
	}
}
