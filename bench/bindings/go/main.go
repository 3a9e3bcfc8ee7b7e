// main.go - bench/bindings for Go: the same three requests as decide_c.c through the binding, on
// a principal built once (`principal`) and as whole requests by name (`request`).
// With CUSTOM_TABLE (custom_roles.lat of bindings/common/testdata), also the same requests by a
// principal holding the compiled role `account_admin` and by one holding a custom role of the
// same cells (`compiled`, `custom`).
// Usage: PKG_CONFIG_PATH=build/bindings/go/pkgconfig go run . TABLE N [CUSTOM_TABLE]
package main

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"syscall"
	"unsafe"

	lattice "example.invalid/lattice/bindings/go"
)

var permissions = []string{"station.view", "station.activate", "station.view"}
var targets = []lattice.Path{lattice.IDs(1, 10, 100), lattice.IDs(1, 10), lattice.IDs(1, 11)}
var expected = []bool{true, false, false}
var memberships = []lattice.Membership{
	{Node: lattice.IDs(1, 10), Roles: []string{"account_admin"}},
	{Node: lattice.IDs(1, 12), Roles: []string{"account_station_admin"}},
}

// threadCPU is the calling thread's CPU time in ns (CLOCK_THREAD_CPUTIME_ID): a busy machine
// does not count. main locks the goroutine to its thread.
func threadCPU() int64 {
	var ts syscall.Timespec
	syscall.Syscall(syscall.SYS_CLOCK_GETTIME, 3, uintptr(unsafe.Pointer(&ts)), 0)
	return ts.Nano()
}

func bestOf(rounds, n int, call func(string, lattice.Path) (lattice.Decision, error)) float64 {
	best := 1e300
	for r := 0; r < rounds; r++ {
		start := threadCPU()
		for i := 0; i < n; i++ {
			call(permissions[i%3], targets[i%3])
		}
		if ns := float64(threadCPU()-start) / float64(n); ns < best {
			best = ns
		}
	}
	return best
}

func main() {
	runtime.LockOSThread()
	table, err := lattice.LoadFile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	n, _ := strconv.Atoi(os.Args[2])
	p, err := table.NewPrincipal("account_user", nil, memberships)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	whole := func(permission string, target lattice.Path) (lattice.Decision, error) {
		return table.Decide(lattice.Request{Kind: "account_user", Memberships: memberships,
			Permission: permission, Target: target})
	}
	for i := range permissions {
		a, errA := p.Decide(permissions[i], targets[i])
		b, errB := whole(permissions[i], targets[i])
		if errA != nil || errB != nil || a.Allowed != expected[i] || b.Allowed != expected[i] {
			fmt.Fprintln(os.Stderr, "decided wrongly")
			os.Exit(1)
		}
	}
	fmt.Printf("go principal %.1f\n", bestOf(5, n, p.Decide))
	quarter := n / 4
	if quarter == 0 {
		quarter = 1
	}
	fmt.Printf("go request %.1f\n", bestOf(5, quarter, whole))
	if len(os.Args) > 3 {
		custom(os.Args[3], n)
	}
}

func custom(path string, n int) {
	table, err := lattice.LoadFile(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	roles, err := table.NewCustomRoles()
	if err == nil {
		var cells []lattice.Cell
		for _, p := range []string{"station.view", "station.reset", "card.view", "card.block"} {
			cells = append(cells, lattice.Cell{Permission: p, Reach: lattice.ReachSubtree})
		}
		err = roles.Add("ops", "key_role", cells)
	}
	var compiled, built *lattice.Principal
	if err == nil {
		compiled, err = table.NewPrincipal("account_user", nil,
			[]lattice.Membership{{Node: lattice.IDs(1, 10), Roles: []string{"account_admin"}}})
	}
	if err == nil {
		built, err = table.NewPrincipalCustom("account_user", nil,
			[]lattice.Membership{{Node: lattice.IDs(1, 10), Roles: []string{"ops"}}}, roles)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	for i := range permissions {
		a, errA := compiled.Decide(permissions[i], targets[i])
		b, errB := built.Decide(permissions[i], targets[i])
		if errA != nil || errB != nil || a.Allowed != expected[i] || b.Allowed != expected[i] {
			fmt.Fprintln(os.Stderr, "decided wrongly with a custom role")
			os.Exit(1)
		}
	}
	fmt.Printf("go compiled %.1f\n", bestOf(5, n, compiled.Decide))
	fmt.Printf("go custom %.1f\n", bestOf(5, n, built.Decide))
}
