// lattice_test.go - the Go binding on a real compiled example (EV charging): allow and deny with
// memberships, fail-closed loading of corrupt tables, reload safety when ids shift, and unknown
// names refused with an error that names them. TestMain builds the tables with `lattice build`
// (LATTICE_BIN, else `lattice` on PATH; LATTICE_EXAMPLES, else the repository's examples).
package lattice_test

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	lattice "example.invalid/lattice/bindings/go"
)

var v1Path, v2Path string

const anchor = `role support_agent "Support agent" for tenant_user {`
const inserted = "role supervisor \"Supervisor\" for tenant_user {\n  allow * in tenant;\n}\n\n"

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "lattice-go-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := func() int {
		defer os.RemoveAll(dir)
		if err := buildTables(dir); err != nil {
			fmt.Fprintln(os.Stderr, "setup:", err)
			return 1
		}
		return m.Run()
	}()
	os.Exit(code)
}

// buildTables compiles the example as shipped (v1) and with a role inserted above support_agent
// (v2), so every later role id shifts.
func buildTables(dir string) error {
	bin := os.Getenv("LATTICE_BIN")
	if bin == "" {
		bin = "lattice"
	}
	examples := os.Getenv("LATTICE_EXAMPLES")
	if examples == "" {
		examples = filepath.Join("..", "..", "examples")
	}
	source := filepath.Join(examples, "ev_charging", "policy.lat")
	text, err := os.ReadFile(source)
	if err != nil {
		return err
	}
	if !strings.Contains(string(text), anchor) {
		return errors.New("the example no longer declares support_agent as the test expects")
	}
	v2Source := filepath.Join(dir, "v2.lat")
	if err := os.WriteFile(v2Source, []byte(strings.Replace(string(text), anchor, inserted+anchor, 1)), 0o644); err != nil {
		return err
	}
	v1Path, v2Path = filepath.Join(dir, "v1.ltab"), filepath.Join(dir, "v2.ltab")
	for _, b := range [][]string{{"--revision", "test-v1", source, v1Path}, {v2Source, v2Path}} {
		n := len(b)
		args := append([]string{"build", "--color", "never"}, b[:n-1]...)
		out, err := exec.Command(bin, append(args, "-o", b[n-1])...).CombinedOutput()
		if err != nil {
			return fmt.Errorf("lattice build %s: %v\n%s", b[n-2], err, out)
		}
	}
	return nil
}

func load(t *testing.T, path string) *lattice.Table {
	t.Helper()
	table, err := lattice.LoadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { table.Close() })
	return table
}

// loadBytes loads the table file at path through Load, and returns the bytes it gave Load too.
func loadBytes(t *testing.T, path string) (*lattice.Table, []byte) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	table, err := lattice.Load(data)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { table.Close() })
	return table, data
}

var adminAtAccount = []lattice.Membership{{Node: lattice.IDs(1, 10), Roles: []string{"account_admin"}}}

func decide(t *testing.T, table *lattice.Table, r lattice.Request) lattice.Decision {
	t.Helper()
	d, err := table.Decide(r)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestLoadFromFileAndBytes(t *testing.T) {
	table := load(t, v1Path)
	fromBytes, data := loadBytes(t, v1Path)
	for i := range data {
		data[i] = 0 // the table keeps its own copy
	}
	if table.PolicyName() != "ev_charging" || fromBytes.PolicyName() != "ev_charging" {
		t.Fatalf("policy names %q, %q", table.PolicyName(), fromBytes.PolicyName())
	}
	d := decide(t, fromBytes, lattice.Request{Kind: "account_user", Memberships: adminAtAccount,
		Permission: "station.view", Target: lattice.IDs(1, 10)})
	if !d.Allowed {
		t.Fatalf("from bytes: %+v", d)
	}
}

func TestFingerprintAndRevision(t *testing.T) {
	v1, v2 := load(t, v1Path), load(t, v2Path)
	fromBytes, _ := loadBytes(t, v1Path)
	if fromBytes.Fingerprint() != v1.Fingerprint() || v2.Fingerprint() == v1.Fingerprint() {
		t.Errorf("fingerprints %x %x %x", v1.Fingerprint(), fromBytes.Fingerprint(), v2.Fingerprint())
	}
	if v1.Revision() != "test-v1" || v2.Revision() != "" {
		t.Errorf("revisions %q %q", v1.Revision(), v2.Revision())
	}
}

func TestFlagsOnTheWrongSideAreRefused(t *testing.T) {
	table := load(t, v1Path)
	_, err := table.Decide(lattice.Request{Kind: "account_user", Flags: []string{"business"},
		Memberships: adminAtAccount, Permission: "station.view", Target: lattice.IDs(1, 10)})
	if err == nil || !strings.Contains(err.Error(), "`business` is a node flag") {
		t.Errorf("business as a principal flag: %v", err)
	}
	_, err = table.Decide(lattice.Request{Kind: "account_user", Permission: "station.view",
		Memberships: []lattice.Membership{{Node: lattice.IDs(1, 10), Roles: []string{"account_admin"},
			NodeFlags: []string{"blocked"}}}, Target: lattice.IDs(1, 10)})
	if err == nil || !strings.Contains(err.Error(), "`blocked` is a principal flag") {
		t.Errorf("blocked as a node flag: %v", err)
	}
}

func TestAllowAndDenyByRelation(t *testing.T) {
	table := load(t, v1Path)
	cases := []struct {
		target lattice.Path
		want   lattice.Decision
	}{
		{lattice.IDs(1, 10, 100), lattice.Decision{Allowed: true, Reason: lattice.ReasonAllowed, DecidingRole: "account_admin", DecidingMembership: 0}},
		{lattice.IDs(1, 11), lattice.Decision{Reason: lattice.ReasonNoAllow, DecidingMembership: -1}},
		{lattice.IDs(2, 10), lattice.Decision{Reason: lattice.ReasonOtherTree, DecidingMembership: -1}},
	}
	for _, c := range cases {
		got := decide(t, table, lattice.Request{Kind: "account_user", Memberships: adminAtAccount,
			Permission: "station.view", Target: c.target})
		if got != c.want {
			t.Errorf("target %v: got %+v, want %+v", c.target, got, c.want)
		}
	}
}

func TestDecidingMembershipAndFlags(t *testing.T) {
	table := load(t, v1Path)
	two := []lattice.Membership{{Node: lattice.IDs(1, 11), Roles: []string{"account_station_admin"}},
		{Node: lattice.IDs(1, 10), Roles: []string{"account_admin"}}}
	d := decide(t, table, lattice.Request{Kind: "account_user", Memberships: two,
		Permission: "station.view", Target: lattice.IDs(1, 10)})
	if !d.Allowed || d.DecidingMembership != 1 {
		t.Errorf("two memberships: %+v", d)
	}
	d = decide(t, table, lattice.Request{Kind: "account_user", Flags: []string{"blocked"},
		Memberships: adminAtAccount, Permission: "station.view", Target: lattice.IDs(1, 10)})
	if d.Allowed || d.Reason != lattice.ReasonRequirement {
		t.Errorf("blocked: %+v", d)
	}
	insights := lattice.Request{Kind: "account_user", Memberships: adminAtAccount,
		Permission: "insights.site_dashboard", Target: lattice.IDs(1, 10)}
	if d := decide(t, table, insights); d.Allowed || d.Reason != lattice.ReasonNoAllow {
		t.Errorf("insights without business: %+v", d)
	}
	insights.Memberships = []lattice.Membership{{Node: lattice.IDs(1, 10),
		Roles: []string{"account_admin"}, NodeFlags: []string{"business"}}}
	if d := decide(t, table, insights); !d.Allowed {
		t.Errorf("insights with business: %+v", d)
	}
	d = decide(t, table, lattice.Request{Kind: "account_user", Permission: "station.view",
		Memberships: []lattice.Membership{{Node: lattice.IDs(1), Roles: []string{"tenant_admin"}}},
		Target:      lattice.IDs(1)})
	if d.Reason != lattice.ReasonRoleNotForKind || d.DecidingRole != "tenant_admin" {
		t.Errorf("role not for kind: %+v", d)
	}
}

func TestStringPaths(t *testing.T) {
	table := load(t, v1Path)
	r := lattice.Request{Kind: "account_user", Permission: "station.view",
		Memberships: []lattice.Membership{{Node: lattice.Keys("acme", "eu"), Roles: []string{"account_admin"}}},
		Target:      lattice.Path{lattice.Key("acme"), lattice.Key("eu"), lattice.ID(7)}}
	if d := decide(t, table, r); !d.Allowed {
		t.Errorf("string path: %+v", d)
	}
	r.Memberships = []lattice.Membership{{Node: lattice.IDs(1), Roles: []string{"account_admin"}}}
	r.Target = lattice.Keys("1")
	if d := decide(t, table, r); d.Reason != lattice.ReasonOtherTree {
		t.Errorf("\"1\" is not 1: %+v", d)
	}
}

func TestPrincipalDecidesManyRequests(t *testing.T) {
	table := load(t, v1Path)
	p, err := table.NewPrincipal("account_user", nil, adminAtAccount)
	if err != nil {
		t.Fatal(err)
	}
	if p.Table() != table {
		t.Error("principal not tied to its table")
	}
	for _, c := range []struct {
		permission string
		target     lattice.Path
		allowed    bool
	}{{"station.view", lattice.IDs(1, 10), true}, {"station.activate", lattice.IDs(1, 10), false},
		{"station.view", lattice.IDs(1, 12), false}} {
		d, err := p.Decide(c.permission, c.target)
		if err != nil || d.Allowed != c.allowed {
			t.Errorf("%s on %v: %+v, %v", c.permission, c.target, d, err)
		}
	}
}

func TestRelationOf(t *testing.T) {
	for _, c := range []struct {
		node, target lattice.Path
		want         lattice.Relation
	}{{lattice.IDs(1, 10), lattice.IDs(1, 10), lattice.RelationSelf},
		{lattice.IDs(1, 10), lattice.IDs(1, 10, 100), lattice.RelationDescendants},
		{lattice.IDs(1, 10), lattice.IDs(1), lattice.RelationAncestors},
		{lattice.IDs(1, 10), lattice.IDs(1, 11), lattice.RelationElsewhere},
		{lattice.IDs(1, 10), lattice.IDs(2, 10), lattice.RelationNone},
		{lattice.Keys("acme", "eu"), lattice.Path{lattice.Key("acme"), lattice.Key("eu"), lattice.ID(7)}, lattice.RelationDescendants},
		{lattice.IDs(1), lattice.Keys("1"), lattice.RelationNone}} {
		if got, err := lattice.RelationOf(c.node, c.target); err != nil || got != c.want {
			t.Errorf("RelationOf(%v, %v) = %v, %v; want %v", c.node, c.target, got, err, c.want)
		}
	}
	if _, err := lattice.RelationOf(nil, lattice.IDs(1)); err == nil {
		t.Error("an empty path was accepted")
	}
}

func TestDecideAtAndCanAssign(t *testing.T) {
	table := load(t, v1Path)
	d, err := table.DecideAt("account_user", []string{"account_admin"}, "station.view", lattice.RelationDescendants, nil)
	if err != nil || !d.Allowed {
		t.Errorf("descendants: %+v %v", d, err)
	}
	d, err = table.DecideAt("account_user", []string{"account_admin"}, "station.view", lattice.RelationElsewhere, nil)
	if err != nil || d.Allowed || d.Reason != lattice.ReasonNoAllow {
		t.Errorf("elsewhere: %+v %v", d, err)
	}
	for _, c := range []struct {
		roles  []string
		target string
		want   bool
	}{{[]string{"account_owner"}, "account_admin", true}, {[]string{"driver"}, "driver", false},
		{[]string{"account_admin"}, "account_owner", false},
		{[]string{"account_owner"}, "driver", false}} { // only from a BUSINESS account
		if got, err := table.CanAssign(c.roles, c.target); err != nil || got != c.want {
			t.Errorf("CanAssign(%v, %s) = %v, %v", c.roles, c.target, got, err)
		}
	}
	// A conditional `assigns` reads the assigner's flags.
	if got, err := table.CanAssignWith([]string{"account_owner"}, "driver", []string{"business"}); err != nil || !got {
		t.Errorf("CanAssignWith(business) = %v, %v", got, err)
	}
	if got, err := table.CanAssignWith([]string{"account_owner"}, "driver", nil); err != nil || got {
		t.Errorf("CanAssignWith(no flags) = %v, %v", got, err)
	}
	if _, err := table.CanAssignWith([]string{"account_owner"}, "driver", []string{"vip"}); err == nil {
		t.Error("CanAssignWith an unknown flag")
	}
}

func TestUnknownNamesAreRefused(t *testing.T) {
	table := load(t, v1Path)
	base := lattice.Request{Kind: "account_user", Memberships: adminAtAccount, Permission: "station.view", Target: lattice.IDs(1)}
	agent := base
	agent.Memberships = []lattice.Membership{{Node: lattice.IDs(1), Roles: []string{"agent"}}}
	fly := base
	fly.Permission = "station.fly"
	robot := base
	robot.Kind = "robot"
	vip := base
	vip.Flags = []string{"vip"}
	for _, c := range []struct {
		request  lattice.Request
		category string
		name     string
	}{{agent, "role", "agent"}, {fly, "permission", "station.fly"}, {robot, "kind", "robot"}, {vip, "flag", "vip"}} {
		d, err := table.Decide(c.request)
		var unknown *lattice.UnknownNameError
		if !errors.As(err, &unknown) || unknown.Category != c.category || unknown.Name != c.name {
			t.Errorf("%s %s: error %v", c.category, c.name, err)
			continue
		}
		want := fmt.Sprintf("unknown %s `%s` in policy `ev_charging`", c.category, c.name)
		if err.Error() != want || d.Allowed {
			t.Errorf("got %q (allowed %v), want %q", err, d.Allowed, want)
		}
	}
	if ok, err := table.CanAssign([]string{"account_owner"}, "agent"); ok || err == nil {
		t.Errorf("CanAssign to an unknown role: %v, %v", ok, err)
	}
}

func TestBadPathsAreRefused(t *testing.T) {
	table := load(t, v1Path)
	for _, target := range []lattice.Path{nil, lattice.IDs(-1)} {
		d, err := table.Decide(lattice.Request{Kind: "account_user", Memberships: adminAtAccount,
			Permission: "station.view", Target: target})
		var invalid *lattice.InvalidRequestError
		if !errors.As(err, &invalid) || d.Allowed {
			t.Errorf("target %v: %+v, %v", target, d, err)
		}
	}
	_, err := table.Decide(lattice.Request{Kind: "account_user", Permission: "station.view",
		Memberships: []lattice.Membership{{Roles: []string{"account_admin"}}}, Target: lattice.IDs(1)})
	if err == nil || !strings.Contains(err.Error(), "needs a node") {
		t.Errorf("membership without a node: %v", err)
	}
}

func TestCorruptTablesFailClosed(t *testing.T) {
	data, err := os.ReadFile(v1Path)
	if err != nil {
		t.Fatal(err)
	}
	flipped := append([]byte(nil), data...)
	flipped[len(data)/2] ^= 1
	dir := t.TempDir()
	for _, c := range []struct {
		bytes  []byte
		status string
	}{{data[:len(data)/2], "bad_size"}, {flipped, "bad_checksum"}, {data[:10], "too_small"},
		{[]byte(strings.Repeat("not a table", 100)), "bad_magic"}} {
		table, err := lattice.Load(c.bytes)
		var loadErr *lattice.LoadError
		if table != nil || !errors.As(err, &loadErr) || loadErr.Status.String() != c.status {
			t.Errorf("bytes, want %s: %v", c.status, err)
		}
		path := filepath.Join(dir, c.status+".ltab")
		if err := os.WriteFile(path, c.bytes, 0o644); err != nil {
			t.Fatal(err)
		}
		table, err = lattice.LoadFile(path)
		if table != nil || !errors.As(err, &loadErr) || loadErr.Status.String() != c.status ||
			!strings.Contains(err.Error(), path) {
			t.Errorf("file, want %s: %v", c.status, err)
		}
	}
	for path, status := range map[string]string{filepath.Join(dir, "missing.ltab"): "io_error", dir: "not_a_file"} {
		_, err := lattice.LoadFile(path)
		var loadErr *lattice.LoadError
		if !errors.As(err, &loadErr) || loadErr.Status.String() != status {
			t.Errorf("%s: want %s, got %v", path, status, err)
		}
	}
	if _, err := lattice.LoadFileMax(v1Path, 64); err == nil || !strings.Contains(err.Error(), "larger") {
		t.Errorf("max bytes: %v", err)
	}
}

// The reload scenario of issue 17: v2 inserts `supervisor` (allow * in tenant) above
// support_agent, so the id that meant support_agent now means supervisor.
func TestReloadNeverReinterpretsARole(t *testing.T) {
	v1, v2 := load(t, v1Path), load(t, v2Path)
	oldID := indexOf(v1.Roles(), "support_agent")
	if v2.Roles()[oldID] != "supervisor" || indexOf(v2.Roles(), "support_agent") != oldID+1 {
		t.Fatalf("ids did not shift as the scenario needs: %v", v2.Roles())
	}
	agent := []lattice.Membership{{Node: lattice.IDs(1), Roles: []string{"support_agent"}}}
	p1, err := v1.NewPrincipal("tenant_user", nil, agent)
	if err != nil {
		t.Fatal(err)
	}
	var current atomic.Pointer[lattice.Table]
	current.Store(v1)
	for _, next := range []*lattice.Table{v1, v2} {
		current.Store(next) // the reload: publish the new table; the old one lives while used
		table := current.Load()
		d := decide(t, table, lattice.Request{Kind: "tenant_user", Memberships: agent,
			Permission: "card.deactivate_now", Target: lattice.IDs(1, 10)})
		if d.Allowed || d.Reason != lattice.ReasonNoAllow {
			t.Errorf("%s: support_agent got supervisor's rights: %+v", table.Roles()[oldID], d)
		}
		d = decide(t, table, lattice.Request{Kind: "tenant_user", Memberships: agent,
			Permission: "card.view", Target: lattice.IDs(1, 10)})
		if !d.Allowed || d.DecidingRole != "support_agent" {
			t.Errorf("card.view: %+v", d)
		}
	}
	if d, _ := p1.Decide("card.deactivate_now", lattice.IDs(1, 10)); d.Allowed || p1.Table() != v1 {
		t.Errorf("the principal built on v1 changed meaning: %+v", d)
	}
	sup := decide(t, v2, lattice.Request{Kind: "tenant_user", Permission: "card.deactivate_now",
		Memberships: []lattice.Membership{{Node: lattice.IDs(1), Roles: []string{"supervisor"}}},
		Target:      lattice.IDs(1, 10)})
	if !sup.Allowed || sup.DecidingRole != "supervisor" {
		t.Errorf("supervisor: %+v", sup)
	}
}

// Goroutines decide on whichever table is current while another swaps v1 and v2 back and
// forth: every decision for support_agent is support_agent's, whatever the table.
func TestConcurrentReload(t *testing.T) {
	v1, v2 := load(t, v1Path), load(t, v2Path)
	var current atomic.Pointer[lattice.Table]
	current.Store(v1)
	agent := []lattice.Membership{{Node: lattice.IDs(1), Roles: []string{"support_agent"}}}
	done := make(chan struct{})
	errs := make(chan string, 4)
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-done:
					return
				default:
				}
				table := current.Load()
				for _, c := range []struct {
					permission string
					allowed    bool
				}{{"card.deactivate_now", false}, {"card.view", true}} {
					d, err := table.Decide(lattice.Request{Kind: "tenant_user", Memberships: agent,
						Permission: c.permission, Target: lattice.IDs(1, 10)})
					if err != nil || d.Allowed != c.allowed {
						errs <- fmt.Sprintf("%s: %+v, %v", c.permission, d, err)
						return
					}
				}
			}
		}()
	}
	for i := 0; i < 200; i++ { // about 0.1 s: each goroutine decides across many swaps
		if i%2 == 0 {
			current.Store(v2)
		} else {
			current.Store(v1)
		}
		time.Sleep(500 * time.Microsecond)
	}
	close(done)
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

func TestClosedTableDenies(t *testing.T) {
	table, err := lattice.LoadFile(v1Path)
	if err != nil {
		t.Fatal(err)
	}
	p, err := table.NewPrincipal("account_user", nil, adminAtAccount)
	if err != nil {
		t.Fatal(err)
	}
	table.Close()
	table.Close()
	if d, err := p.Decide("station.view", lattice.IDs(1, 10)); err != nil || d.Allowed || d.Reason != lattice.ReasonNoTable {
		t.Errorf("after Close: %+v, %v", d, err)
	}
}

func TestZeroValuesDeny(t *testing.T) {
	var nilTable *lattice.Table
	if d, err := nilTable.Decide(lattice.Request{Kind: "account_user", Permission: "station.view",
		Target: lattice.IDs(1)}); err == nil || d.Allowed {
		t.Errorf("nil table: %+v, %v", d, err)
	}
	var p lattice.Principal
	if d, err := p.Decide("station.view", lattice.IDs(1)); err == nil || d.Allowed {
		t.Errorf("zero principal: %+v, %v", d, err)
	}
}

func indexOf(names []string, name string) int {
	for i, n := range names {
		if n == name {
			return i
		}
	}
	return -1
}

// factsPolicy is a small policy with facts (docs/language.md, "Facts"): of the resource, of the
// target's node and of the request.
const factsPolicy = `policy facts;
scope tenant;
scope account under tenant;
usertype staff at tenant, account;
flag business on account;
flag archived on resource document;
flag mfa_used on request;
resource document owned_by account { read, edit, delete; }
role editor for staff {
  allow document.{read, edit} in subtree;
  deny document.edit in subtree when resource.archived;
  allow document.delete in subtree when request.mfa_used and target.business;
}
`

func TestFactsByName(t *testing.T) {
	dir := t.TempDir()
	source, out := filepath.Join(dir, "facts.lat"), filepath.Join(dir, "facts.ltab")
	if err := os.WriteFile(source, []byte(factsPolicy), 0o644); err != nil {
		t.Fatal(err)
	}
	bin := os.Getenv("LATTICE_BIN")
	if bin == "" {
		bin = "lattice"
	}
	if msg, err := exec.Command(bin, "build", "--color", "never", source, "-o", out).CombinedOutput(); err != nil {
		t.Fatalf("lattice build: %v\n%s", err, msg)
	}
	table := load(t, out)
	p, err := table.NewPrincipal("staff", nil, []lattice.Membership{{Node: lattice.Path{lattice.ID(1)}, Roles: []string{"editor"}}})
	if err != nil {
		t.Fatal(err)
	}
	target := lattice.Path{lattice.ID(1), lattice.ID(2)}
	cases := []struct {
		permission string
		facts      []string
		allowed    bool
	}{
		{"document.edit", nil, true},
		{"document.edit", []string{"resource.archived"}, false},
		{"document.delete", []string{"request.mfa_used"}, false},
		{"document.delete", []string{"request.mfa_used", "target.business"}, true},
	}
	for _, c := range cases {
		d, err := p.DecideWithFacts(c.permission, target, c.facts)
		if err != nil || d.Allowed != c.allowed {
			t.Errorf("%s with %v: allowed %v (%v), want %v", c.permission, c.facts, d.Allowed, err, c.allowed)
		}
	}
	if _, err := p.DecideWithFacts("document.delete", target, []string{"business"}); err == nil ||
		!strings.Contains(err.Error(), "`business` is not a fact") {
		t.Errorf("a node flag among the facts: %v", err)
	}
}

func TestWhatCanListsExactlyWhatDecideAllows(t *testing.T) {
	table := load(t, v1Path)
	p, err := table.NewPrincipal("account_user", nil, []lattice.Membership{
		{Node: lattice.IDs(1, 10), Roles: []string{"account_admin"}},
		{Node: lattice.IDs(1, 11), Roles: []string{"account_station_admin"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, target := range []lattice.Path{lattice.IDs(1, 10), lattice.IDs(1, 10, 100), lattice.IDs(1, 11), lattice.IDs(1), lattice.IDs(1, 12)} {
		got, err := p.WhatCan(target)
		if err != nil {
			t.Fatal(err)
		}
		want := []string{}
		for _, name := range table.Permissions() {
			if d, err := p.Decide(name, target); err == nil && d.Allowed {
				want = append(want, name)
			}
		}
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("target %v: WhatCan %v, Decide allows %v", target, got, want)
		}
	}
	if got, _ := p.WhatCan(lattice.IDs(1, 10, 100)); !strings.Contains(","+strings.Join(got, ",")+",", ",station.view,") {
		t.Errorf("station.view is not listed below the admin's account: %v", got)
	}
}

func TestWhatCanFailsClosed(t *testing.T) {
	table := load(t, v1Path)
	admin := []lattice.Membership{{Node: lattice.IDs(1, 10), Roles: []string{"account_admin"}}}
	p, err := table.NewPrincipal("account_user", nil, admin)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := p.WhatCan(lattice.IDs(2, 10)); err != nil || len(got) != 0 {
		t.Errorf("another tree: %v, %v", got, err)
	}
	blocked, err := table.NewPrincipal("account_user", []string{"blocked"}, admin)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := blocked.WhatCan(lattice.IDs(1, 10)); err != nil || len(got) != 0 {
		t.Errorf("require not blocked: %v, %v", got, err)
	}
	wrongKind, err := table.NewPrincipal("tenant_user", nil, admin)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := wrongKind.WhatCan(lattice.IDs(1, 10)); err != nil || len(got) != 0 {
		t.Errorf("a role the kind may not hold: %v, %v", got, err)
	}
	var invalid *lattice.InvalidRequestError
	if _, err := p.WhatCanWithFacts(lattice.IDs(1, 10), []string{"business"}); !errors.As(err, &invalid) {
		t.Errorf("a node flag among the facts: %v", err)
	}
	var unknown *lattice.UnknownNameError
	if _, err := p.WhatCanWithFacts(lattice.IDs(1, 10), []string{"resource.nope"}); !errors.As(err, &unknown) {
		t.Errorf("an unknown fact: %v", err)
	}
	if _, err := p.WhatCan(nil); !errors.As(err, &invalid) {
		t.Errorf("no target: %v", err)
	}
	var zero lattice.Principal
	if got, err := zero.WhatCan(lattice.IDs(1)); err == nil || got != nil {
		t.Errorf("a zero principal: %v, %v", got, err)
	}
	table.Close()
	if got, err := p.WhatCan(lattice.IDs(1, 10)); err == nil || got != nil {
		t.Errorf("a closed table: %v, %v", got, err)
	}
}
