// who_can_test.go - Table.WhoCan: on the example it lists exactly the roles DecideAt allows a
// principal holding each alone (and their user types), on the custom-role policy the ceilings
// too, and unknown names, a bad relation and a closed table list nobody with an error.
package lattice_test

import (
	"errors"
	"reflect"
	"testing"

	lattice "example.invalid/lattice/bindings/go"
)

func TestWhoCanListsExactlyWhatDecideAtAllows(t *testing.T) {
	table := load(t, v1Path)
	relations := []lattice.Relation{lattice.RelationSelf, lattice.RelationDescendants,
		lattice.RelationAncestors, lattice.RelationElsewhere}
	for _, permission := range table.Permissions() {
		for _, relation := range relations {
			for _, flags := range [][]string{nil, {"business"}, {"blocked"}} {
				got, err := table.WhoCan(permission, relation, flags)
				if err != nil {
					t.Fatal(err)
				}
				roles, kinds := map[string]bool{}, map[string]bool{}
				for _, kind := range table.Kinds() {
					for _, role := range table.Roles() {
						d, err := table.DecideAt(kind, []string{role}, permission, relation, flags)
						if err != nil {
							t.Fatal(err)
						}
						if d.Allowed {
							roles[role], kinds[kind] = true, true
						}
					}
				}
				want := lattice.WhoCan{Roles: []string{}, Ceilings: []string{}, UserTypes: []string{}}
				for _, role := range table.Roles() {
					if roles[role] {
						want.Roles = append(want.Roles, role)
					}
				}
				for _, kind := range table.Kinds() {
					if kinds[kind] {
						want.UserTypes = append(want.UserTypes, kind)
					}
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("%s at %v with %v: %+v, DecideAt %+v", permission, relation, flags, got, want)
				}
			}
		}
	}
	// `require not blocked`: nobody.
	if got, _ := table.WhoCan("station.view", lattice.RelationSelf, []string{"blocked"}); len(got.Roles)+len(got.UserTypes) != 0 {
		t.Errorf("blocked: %+v", got)
	}
}

func TestWhoCanListsCeilings(t *testing.T) {
	table := customTable(t)
	got, err := table.WhoCan("station.view", lattice.RelationSelf, nil)
	want := lattice.WhoCan{Roles: []string{"account_admin", "tenant_support"},
		Ceilings:  []string{"key_role", "operator_role", "key_only"},
		UserTypes: []string{"account_user", "api_key"}}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("station.view at self: %+v %v", got, err)
	}
	got, err = table.WhoCan("station.view", lattice.RelationElsewhere, nil)
	want = lattice.WhoCan{Roles: []string{"tenant_support"}, Ceilings: []string{"operator_role"},
		UserTypes: []string{"account_user"}}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("station.view elsewhere: %+v %v", got, err)
	}
}

func TestWhoCanFailsClosed(t *testing.T) {
	table := load(t, v1Path)
	var unknown *lattice.UnknownNameError
	if got, err := table.WhoCan("station.veiw", lattice.RelationSelf, nil); !errors.As(err, &unknown) ||
		unknown.Category != "permission" || got.Roles != nil {
		t.Errorf("unknown permission: %+v %v", got, err)
	}
	if _, err := table.WhoCan("station.view", lattice.RelationSelf, []string{"blokced"}); !errors.As(err, &unknown) {
		t.Errorf("unknown flag: %v", err)
	}
	var invalid *lattice.InvalidRequestError
	if _, err := table.WhoCan("station.view", lattice.Relation(9), nil); !errors.As(err, &invalid) {
		t.Errorf("bad relation: %v", err)
	}
	if got, err := table.WhoCan("station.view", lattice.RelationNone, nil); err != nil || len(got.Roles) != 0 {
		t.Errorf("another tree: %+v %v", got, err)
	}
	closed := load(t, v1Path)
	closed.Close()
	if got, err := closed.WhoCan("station.view", lattice.RelationSelf, nil); err == nil || got.Roles != nil {
		t.Errorf("closed table: %+v %v", got, err)
	}
}
