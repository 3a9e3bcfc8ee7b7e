// example_test.go - the Go example of docs/bindings.md; `go test` checks its output.
package lattice_test

import (
	"fmt"

	lattice "example.invalid/lattice/bindings/go"
)

func Example() {
	table, err := lattice.LoadFile(v1Path) // or lattice.Load(data); err is a *LoadError
	if err != nil {
		panic(err)
	}
	admin := []lattice.Membership{{Node: lattice.IDs(7, 42), Roles: []string{"account_admin"},
		NodeFlags: []string{"business"}}}
	d, _ := table.Decide(lattice.Request{Kind: "account_user", Memberships: admin,
		Permission: "station.view", Target: lattice.IDs(7, 42, 1001)}) // below account 42
	fmt.Println(d.Allowed, d.Reason, d.DecidingRole, d.DecidingMembership)
	p, _ := table.NewPrincipal("account_user", nil, admin) // resolved once, decided many times
	d, _ = p.Decide("station.activate", lattice.IDs(7, 42))
	fmt.Println(d.Reason)
	_, err = p.Decide("station.fly", lattice.IDs(7))
	fmt.Println(err)
	// Output:
	// true allowed account_admin 0
	// no_allow
	// unknown permission `station.fly` in policy `ev_charging`
}
