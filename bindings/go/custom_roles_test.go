// custom_roles_test.go - custom roles through the Go binding, on the shared policy
// bindings/common/testdata/custom_roles.lat: roles built within a ceiling decide as the C API
// says, refusals name the runtime's status and the permission, a creator gets nothing beyond its
// own rights, a set never crosses tables, lifetimes hold under the collector, and adding to a
// set while other goroutines decide with it is safe.
package lattice_test

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"testing"

	lattice "example.invalid/lattice/bindings/go"
)

var keyAtAccount = lattice.IDs(10, 11) // tenant 10, account 11

func testdata() string {
	if dir := os.Getenv("LATTICE_TESTDATA"); dir != "" {
		return dir
	}
	return filepath.Join("..", "common", "testdata")
}

// buildPolicy compiles a policy with `lattice build` into dir.
func buildPolicy(t *testing.T, source, out string) string {
	t.Helper()
	bin := os.Getenv("LATTICE_BIN")
	if bin == "" {
		bin = "lattice"
	}
	if msg, err := exec.Command(bin, "build", "--color", "never", source, "-o", out).CombinedOutput(); err != nil {
		t.Fatalf("lattice build %s: %v\n%s", source, err, msg)
	}
	return out
}

var customOnce sync.Once
var customPath string

func customTable(t *testing.T) *lattice.Table {
	t.Helper()
	customOnce.Do(func() {
		dir, err := os.MkdirTemp("", "lattice-go-custom")
		if err != nil {
			t.Fatal(err)
		}
		customPath = buildPolicy(t, filepath.Join(testdata(), "custom_roles.lat"), filepath.Join(dir, "custom.ltab"))
	})
	if customPath == "" {
		t.Fatal("the custom-role table was not built")
	}
	return load(t, customPath)
}

func keyRoles(t *testing.T, table *lattice.Table) *lattice.CustomRoles {
	t.Helper()
	set, err := table.NewCustomRoles()
	if err != nil {
		t.Fatal(err)
	}
	if err := set.Add("ci_key", "key_role", []lattice.Cell{
		{Permission: "station.view", Reach: lattice.ReachSubtree},
		{Permission: "card.block", Reach: lattice.ReachSelf}}); err != nil {
		t.Fatal(err)
	}
	return set
}

func TestCeilingsAreIntrospected(t *testing.T) {
	table := customTable(t)
	if got := table.Ceilings(); !reflect.DeepEqual(got, []string{"key_role", "operator_role", "key_only"}) {
		t.Fatalf("ceilings %v", got)
	}
	kinds, err := table.CeilingKinds("key_role")
	if err != nil || !reflect.DeepEqual(kinds, []string{"account_user", "api_key"}) {
		t.Fatalf("kinds %v %v", kinds, err)
	}
	for _, c := range []struct {
		ceiling, permission string
		want                lattice.Reach
	}{{"key_role", "station.view", lattice.ReachSubtree}, {"operator_role", "station.activate", lattice.ReachTenant},
		{"key_role", "station.activate", 0}} {
		if r, err := table.CeilingReach(c.ceiling, c.permission); err != nil || r != c.want {
			t.Errorf("%s %s: %v %v, want %v", c.ceiling, c.permission, r, err, c.want)
		}
	}
	if r := lattice.ReachSubtree; r.String() != "self|descendants" ||
		!reflect.DeepEqual(r.Relations(), []lattice.Relation{lattice.RelationSelf, lattice.RelationDescendants}) {
		t.Errorf("subtree is %q %v", r.String(), r.Relations())
	}
	var ce *lattice.CustomRoleError
	if _, err := table.CeilingReach("no_such_ceiling", "station.view"); !errors.As(err, &ce) || ce.Status != lattice.CustomUnknownCeiling {
		t.Errorf("unknown ceiling: %v", err)
	}
	var un *lattice.UnknownNameError
	if _, err := table.CeilingReach("key_role", "station.fly"); !errors.As(err, &un) {
		t.Errorf("unknown permission: %v", err)
	}
	if r, err := lattice.ParseReach("self", "descendants"); err != nil || r != lattice.ReachSubtree {
		t.Errorf("ParseReach: %v %v", r, err)
	}
	if _, err := lattice.ParseReach("everywhere"); err == nil || !strings.Contains(err.Error(), "`everywhere`") {
		t.Errorf("ParseReach everywhere: %v", err)
	}
}

func TestARoleWithinTheCeilingDecidesItsCells(t *testing.T) {
	table := customTable(t)
	set := keyRoles(t, table)
	if !reflect.DeepEqual(set.Names(), []string{"ci_key"}) || !set.Has("ci_key") || set.Table() != table {
		t.Fatalf("names %v", set.Names())
	}
	if c, err := set.Ceiling("ci_key"); err != nil || c != "key_role" {
		t.Errorf("ceiling %q %v", c, err)
	}
	for perm, want := range map[string]lattice.Reach{"station.view": lattice.ReachSubtree,
		"card.block": lattice.ReachSelf, "station.reset": 0} {
		if r, err := set.Reach("ci_key", perm); err != nil || r != want {
			t.Errorf("reach %s: %v %v", perm, r, err)
		}
	}
	key := []lattice.Membership{{Node: keyAtAccount, Roles: []string{"ci_key"}}}
	ask := func(permission string, target lattice.Path) lattice.Decision {
		return decide(t, table, lattice.Request{Kind: "api_key", Memberships: key, Permission: permission,
			Target: target, CustomRoles: set})
	}
	if d := ask("station.view", lattice.IDs(10, 11, 12)); !d.Allowed || d.DecidingRole != "ci_key" || d.DecidingMembership != 0 {
		t.Errorf("view below: %+v", d)
	}
	if d := ask("card.block", lattice.IDs(10, 11, 12)); d.Allowed {
		t.Errorf("block below (self only): %+v", d)
	}
	if d := ask("card.block", keyAtAccount); !d.Allowed {
		t.Errorf("block at self: %+v", d)
	}
	if d := ask("station.reset", keyAtAccount); d.Allowed || d.Reason != lattice.ReasonNoAllow || d.DecidingRole != "" {
		t.Errorf("reset: %+v", d)
	}
	if d := ask("station.view", lattice.IDs(20, 11)); d.Reason != lattice.ReasonOtherTree {
		t.Errorf("other tenant: %+v", d)
	}
	// A principal handle decides the same, beside a compiled role in another membership.
	p, err := table.NewPrincipalCustom("account_user", nil, []lattice.Membership{
		{Node: keyAtAccount, Roles: []string{"ci_key"}},
		{Node: lattice.IDs(10, 30), Roles: []string{"account_admin"}}}, set)
	if err != nil {
		t.Fatal(err)
	}
	if p.CustomRoles() != set {
		t.Error("the principal does not name its set")
	}
	if d, _ := p.Decide("station.view", lattice.IDs(10, 11, 5)); !d.Allowed || d.DecidingRole != "ci_key" || d.DecidingMembership != 0 {
		t.Errorf("principal view: %+v", d)
	}
	if d, _ := p.Decide("card.delete", lattice.IDs(10, 30)); !d.Allowed || d.DecidingRole != "account_admin" || d.DecidingMembership != 1 {
		t.Errorf("principal delete: %+v", d)
	}
	if d, _ := p.Decide("card.block", lattice.IDs(10, 11, 5)); d.Reason != lattice.ReasonNoAllow {
		t.Errorf("principal block below: %+v", d)
	}
	// Held by a user type outside its ceiling's: role_not_for_kind, naming it.
	only, _ := table.NewCustomRoles()
	if err := only.Add("only_keys", "key_only", []lattice.Cell{{Permission: "station.view", Reach: lattice.ReachSelf}}); err != nil {
		t.Fatal(err)
	}
	d := decide(t, table, lattice.Request{Kind: "account_user", Permission: "station.view", Target: keyAtAccount,
		Memberships: []lattice.Membership{{Node: keyAtAccount, Roles: []string{"only_keys"}}}, CustomRoles: only})
	if d.Reason != lattice.ReasonRoleNotForKind || d.DecidingRole != "only_keys" {
		t.Errorf("not for kind: %+v", d)
	}
}

func TestRefusalsNameTheStatusAndThePermission(t *testing.T) {
	table := customTable(t)
	for _, c := range []struct {
		ceiling    string
		cells      []lattice.Cell
		status     lattice.CustomStatus
		permission string
	}{
		{"key_role", []lattice.Cell{{"station.view", lattice.ReachSelf}, {"station.activate", lattice.ReachSelf}}, lattice.CustomOutsideCeiling, "station.activate"},
		{"key_role", []lattice.Cell{{"card.view", lattice.ReachSelf}, {"station.view", lattice.ReachTenant}}, lattice.CustomReachBeyondCeiling, "station.view"},
		{"key_role", []lattice.Cell{{"station.fly", lattice.ReachSelf}}, lattice.CustomUnknownPermission, "station.fly"},
		{"key_role", []lattice.Cell{{"station.view", 0}}, lattice.CustomBadReach, "station.view"},
		{"key_role", []lattice.Cell{{"station.view", 16}}, lattice.CustomBadReach, "station.view"},
		{"key_only", []lattice.Cell{{"station.update_firmware", lattice.ReachSelf}}, lattice.CustomNotForKinds, "station.update_firmware"},
		{"no_such_ceiling", []lattice.Cell{{"station.view", lattice.ReachSelf}}, lattice.CustomUnknownCeiling, ""},
	} {
		set, _ := table.NewCustomRoles()
		err := set.Add("refused", c.ceiling, c.cells)
		var ce *lattice.CustomRoleError
		if !errors.As(err, &ce) || ce.Status != c.status || ce.Permission != c.permission || ce.Role != "refused" || ce.Ceiling != c.ceiling {
			t.Errorf("%s %v: %#v (%v)", c.ceiling, c.cells, ce, err)
			continue
		}
		if c.permission != "" && !strings.Contains(err.Error(), "`"+c.permission+"`") {
			t.Errorf("message %q does not name %s", err, c.permission)
		}
		if len(set.Names()) != 0 { // never a silent partial role
			t.Errorf("%s: the set has %v", c.ceiling, set.Names())
		}
		var un *lattice.UnknownNameError
		if _, err := table.Decide(lattice.Request{Kind: "api_key", Permission: "station.view", Target: keyAtAccount,
			Memberships: []lattice.Membership{{Node: keyAtAccount, Roles: []string{"refused"}}}, CustomRoles: set}); !errors.As(err, &un) || un.Name != "refused" {
			t.Errorf("a refused role decides: %v", err)
		}
	}
	set := keyRoles(t, table)
	var ir *lattice.InvalidRequestError
	for name, want := range map[string]string{"ci_key": "already in the set", "account_admin": "has a role of that name", "": "needs a name"} {
		if err := set.Add(name, "key_role", []lattice.Cell{{"station.view", lattice.ReachSelf}}); !errors.As(err, &ir) || !strings.Contains(err.Error(), want) {
			t.Errorf("name %q: %v", name, err)
		}
	}
}

func TestATenantAdminCannotObtainARightItLacks(t *testing.T) {
	table := customTable(t)
	admin := []string{"account_admin"}
	for _, c := range []struct {
		roles   []string
		ceiling string
		want    bool
	}{{admin, "key_role", true}, {admin, "key_only", true}, {admin, "operator_role", false},
		{[]string{"tenant_support"}, "operator_role", true}, {nil, "key_role", false}} {
		if ok, err := table.CanCreate(c.roles, c.ceiling); err != nil || ok != c.want {
			t.Errorf("CanCreate(%v, %s) = %v %v", c.roles, c.ceiling, ok, err)
		}
	}
	if d := decide(t, table, lattice.Request{Kind: "account_user", Permission: "station.activate", Target: keyAtAccount,
		Memberships: []lattice.Membership{{Node: keyAtAccount, Roles: admin}}}); d.Allowed {
		t.Fatalf("the admin activates stations: %+v", d)
	}
	set, _ := table.NewCustomRoles()
	var ce *lattice.CustomRoleError
	if err := set.Add("sneaky", "key_role", []lattice.Cell{{"station.activate", lattice.ReachSelf}}); !errors.As(err, &ce) || ce.Status != lattice.CustomOutsideCeiling {
		t.Errorf("activate: %v", err)
	}
	if err := set.Add("sneaky", "key_role", []lattice.Cell{{"station.view", lattice.ReachTenant}}); !errors.As(err, &ce) || ce.Status != lattice.CustomReachBeyondCeiling {
		t.Errorf("tenant-wide view: %v", err)
	}
	var widest []lattice.Cell
	for _, p := range []string{"station.view", "station.reset", "card.view", "card.block"} {
		widest = append(widest, lattice.Cell{Permission: p, Reach: lattice.ReachSubtree})
	}
	if err := set.Add("widest", "key_role", widest); err != nil {
		t.Fatal(err)
	}
	d := decide(t, table, lattice.Request{Kind: "account_user", Permission: "station.activate", Target: keyAtAccount,
		Memberships: []lattice.Membership{{Node: keyAtAccount, Roles: []string{"account_admin", "widest"}}}, CustomRoles: set})
	if d.Allowed || d.Reason != lattice.ReasonNoAllow {
		t.Errorf("activate with every key role cell: %+v", d)
	}
	var un *lattice.UnknownNameError
	if _, err := table.CanCreate([]string{"widest"}, "key_role"); !errors.As(err, &un) {
		t.Errorf("a custom role creates: %v", err)
	}
}

func TestASetOfAnotherTableIsRefused(t *testing.T) {
	table := customTable(t)
	set := keyRoles(t, table)
	other := load(t, customPath) // the same policy, another Table
	r := lattice.Request{Kind: "api_key", Permission: "station.view", Target: keyAtAccount,
		Memberships: []lattice.Membership{{Node: keyAtAccount, Roles: []string{"ci_key"}}}, CustomRoles: set}
	var ir *lattice.InvalidRequestError
	if d, err := other.Decide(r); !errors.As(err, &ir) || !strings.Contains(err.Error(), "another table") || d.Allowed {
		t.Errorf("decide: %+v %v", d, err)
	}
	if _, err := other.NewPrincipalCustom(r.Kind, nil, r.Memberships, set); !errors.As(err, &ir) {
		t.Errorf("principal: %v", err)
	}
	r.CustomRoles = nil
	var un *lattice.UnknownNameError
	if _, err := other.Decide(r); !errors.As(err, &un) || un.Name != "ci_key" {
		t.Errorf("without the set: %v", err)
	}
}

func TestAReloadCannotReinterpretACustomRole(t *testing.T) {
	table := customTable(t)
	source := filepath.Join(testdata(), "custom_roles.lat")
	text, err := os.ReadFile(source)
	if err != nil {
		t.Fatal(err)
	}
	const anchor = "custom role key_role for api_key, account_user {"
	if !strings.Contains(string(text), anchor) {
		t.Fatal("the policy no longer declares key_role as the test expects")
	}
	dir := t.TempDir()
	shifted := filepath.Join(dir, "shifted.lat")
	if err := os.WriteFile(shifted, []byte(strings.Replace(string(text), anchor,
		"custom role wide for api_key {\n  allow station.* in tenant;\n}\n\n"+anchor, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	next := load(t, buildPolicy(t, shifted, filepath.Join(dir, "shifted.ltab")))
	if next.Ceilings()[0] != "wide" || next.Fingerprint() == table.Fingerprint() { // ceiling names are in the fingerprint
		t.Fatalf("ceilings %v", next.Ceilings())
	}
	set := keyRoles(t, table)
	key := []lattice.Membership{{Node: keyAtAccount, Roles: []string{"ci_key"}}}
	p, err := table.NewPrincipalCustom("api_key", nil, key, set)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := next.NewPrincipalCustom("api_key", nil, key, set); err == nil {
		t.Fatal("a set of the old table was used with the new one")
	}
	fresh := keyRoles(t, next)
	q, err := next.NewPrincipalCustom("api_key", nil, key, fresh)
	if err != nil {
		t.Fatal(err)
	}
	for _, perm := range []string{"station.view", "station.activate", "card.block", "card.view"} {
		a, _ := p.Decide(perm, keyAtAccount)
		b, _ := q.Decide(perm, keyAtAccount)
		if a != b {
			t.Errorf("%s: old %+v new %+v", perm, a, b)
		}
	}
	if d, _ := q.Decide("station.activate", keyAtAccount); d.Allowed {
		t.Errorf("the new table's key activates: %+v", d)
	}
}

func TestPrincipalsKeepTheirSetAliveAndAddingIsSafe(t *testing.T) {
	customTable(t) // builds customPath
	var p *lattice.Principal
	func() {
		table, err := lattice.LoadFile(customPath)
		if err != nil {
			t.Fatal(err)
		}
		set := keyRoles(t, table)
		p, err = table.NewPrincipalCustom("api_key", nil,
			[]lattice.Membership{{Node: keyAtAccount, Roles: []string{"ci_key"}}}, set)
		if err != nil {
			t.Fatal(err)
		}
	}()
	for i := 0; i < 3; i++ {
		runtime.GC()
	}
	if d, _ := p.Decide("station.view", keyAtAccount); !d.Allowed || d.DecidingRole != "ci_key" {
		t.Fatalf("after GC: %+v", d)
	}
	// Goroutines decide with the set while roles are added to it.
	set := p.CustomRoles()
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				if d, err := p.Decide("station.view", keyAtAccount); err != nil || !d.Allowed || d.DecidingRole != "ci_key" {
					t.Errorf("concurrent: %+v %v", d, err)
					return
				}
			}
		}()
	}
	for i := 0; i < 500; i++ {
		if err := set.Add("k"+strings.Repeat("x", i%7)+string(rune('a'+i%26))+strings.Repeat("y", i/26), "key_role",
			[]lattice.Cell{{Permission: "card.view", Reach: lattice.ReachSubtree}}); err != nil {
			t.Error(err)
			break
		}
	}
	close(stop)
	wg.Wait()
	if n := len(set.Names()); n != 501 {
		t.Errorf("%d roles", n)
	}
	if d, _ := p.Decide("card.view", keyAtAccount); d.Allowed {
		t.Errorf("a role added later changed the principal: %+v", d)
	}
}

func TestACorruptTableYieldsNoSet(t *testing.T) {
	closed := customTable(t) // builds customPath
	data, err := os.ReadFile(customPath)
	if err != nil {
		t.Fatal(err)
	}
	data[len(data)/2] ^= 1
	var le *lattice.LoadError
	if table, err := lattice.Load(data); !errors.As(err, &le) || le.Status.String() != "bad_checksum" || table != nil {
		t.Fatalf("corrupt: %v", err)
	}
	var none *lattice.Table
	if _, err := none.NewCustomRoles(); err == nil {
		t.Error("a nil table made a set")
	}
	closed.Close()
	if _, err := closed.NewCustomRoles(); err == nil {
		t.Error("a closed table made a set")
	}
}
